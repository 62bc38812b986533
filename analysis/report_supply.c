/*
 * report_supply.c - supply and openings by occupation: the occupations with
 * the largest shortages in the final year (and those the proposals change
 * most), every run side by side; and the occupation view of the occupations
 * a reader asks about (analysis/occupation.h), each run with intervals and
 * each proposal's paired difference.
 */
#include "report_page.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "occupation.h"
#include "stats.h"
#include "svg.h"
#include "words.h"

#define TOP_SHORTAGES 20   /* rows of the supply table: the largest gaps in the base */
#define TOP_CHANGED 5      /* and at most this many more: the occupations the proposals change most */
#define MOST_ROWS (TOP_SHORTAGES + TOP_CHANGED)

static int listed(const size_t *rows, size_t n, size_t o)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i] == o)
            return 1;
    return 0;
}

/* The rows of the supply table: occupations with openings in the final year,
 * largest base gap first (TOP_SHORTAGES), then those whose pipeline supply a
 * proposal changes most (TOP_CHANGED, not already listed).  Returns the
 * number of rows; *shortages of them are the first kind. */
static size_t supply_rows(const page *pg, size_t *rows, size_t *shortages)
{
    const as_results *r = pg->base;
    size_t n = r->dims[AS_D_OCCUPATION].len, found = 0, changed = 0;
    rp_ranked *gap = as_malloc((n + 1) * sizeof *gap), *change = as_malloc((n + 1) * sizeof *change);
    *shortages = 0;
    if (!gap || !change) {
        free(gap);
        free(change);
        return 0;
    }
    for (size_t o = 0; o < n; o++) {
        as_alignment a = as_metrics_occupation(r, o, pg->last, AS_MEAN);
        if (!(a.openings > 0))
            continue;
        gap[found++] = (rp_ranked){o, a.gap};
        double most = 0;
        for (size_t i = 1; i < pg->n; i++)
            most = fmax(most, fabs(as_occupation_estimate(pg->runs[i].results, r, AS_OM_PIPELINE, o, pg->last).mean));
        if (most > 0)
            change[changed++] = (rp_ranked){o, most};
    }
    qsort(gap, found, sizeof *gap, rp_by_key_descending);
    qsort(change, changed, sizeof *change, rp_by_key_descending);
    size_t k = 0;
    for (size_t i = 0; i < found && k < TOP_SHORTAGES; i++)
        rows[k++] = gap[i].index;
    *shortages = k;
    for (size_t i = 0; i < changed && k < MOST_ROWS; i++)
        if (!listed(rows, k, change[i].index))
            rows[k++] = change[i].index;
    free(gap);
    free(change);
    return k;
}

static const char *band_words(int band)
{
    return band == AS_BAND_UNDER ? "under-supplied" : band == AS_BAND_OVER ? "over-supplied" : "balanced";
}

static int assumed(const as_results *r, size_t o)
{
    return r->other_supply_assumed && r->other_supply_assumed[o] > 0;
}

/* Two rows of heads: a measure over one column per run, then the runs' names. */
static void supply_heads(page *pg, const char *caption)
{
    static const char *const single[] = {"Occupation", "SOC", "Openings a year", "Other supply (* assumed)"};
    static const char *const spans[] = {"Local pipeline supply", "Gap (openings - all supply)"};
    rp_element(pg, "<div class=\"table\"><table class=\"supply\">\n<caption>", caption, "</caption>\n<thead><tr>");
    for (size_t h = 0; h < 4; h++)
        rp_element(pg, "<th scope=\"col\" rowspan=\"2\">", single[h], "</th>");
    for (size_t h = 0; h < 2; h++) {
        fprintf(pg->f, "<th scope=\"colgroup\" class=\"span\" colspan=\"%zu\">", pg->n);
        rp_element(pg, "", spans[h], "</th>");
    }
    rp_element(pg, "<th scope=\"col\" rowspan=\"2\">", pg->n > 1 ? "Band (base; a proposal's when it differs)" : "Band",
               "</th>");
    fputs("</tr>\n<tr>", pg->f);
    for (size_t h = 0; h < 2; h++)
        for (size_t i = 0; i < pg->n; i++)
            rp_element(pg, "<th scope=\"col\">", pg->name[i], "</th>");
    fputs("</tr></thead>\n<tbody>\n", pg->f);
}

static void supply_table(page *pg, const size_t *rows, size_t k)
{
    const as_results *r = pg->base;
    char caption[RP_TEXT];
    snprintf(caption, sizeof caption, "Supply and openings in %d, by occupation (largest shortages first)",
             r->start_year + pg->last);
    supply_heads(pg, caption);
    for (size_t row = 0; row < k; row++) {
        size_t o = rows[row];
        as_alignment a = as_metrics_occupation(r, o, pg->last, AS_MEAN);
        char cells[3 + 3 * AS_REPORT_MAX_RUNS][RP_CELL], other[64];
        size_t c = 0;
        snprintf(cells[c++], RP_CELL, "%s", r->dims[AS_D_OCCUPATION].labels[o]);
        as_words_count(cells[c++], RP_CELL, a.openings);
        snprintf(cells[c++], RP_CELL, "%s%s", as_words_count(other, sizeof other, a.other), assumed(r, o) ? "*" : "");
        for (int w = 0; w < 2; w++)
            for (size_t i = 0; i < pg->n; i++) {
                as_alignment b = as_metrics_occupation(pg->runs[i].results, o, pg->last, AS_MEAN);
                as_words_count(cells[c++], RP_CELL, w == 0 ? b.pipeline : b.gap);
            }
        size_t used = (size_t)snprintf(cells[c], RP_CELL, "%s", band_words(a.band));
        for (size_t i = 1; i < pg->n && used < RP_CELL; i++) {
            int band = as_metrics_occupation(pg->runs[i].results, o, pg->last, AS_MEAN).band;
            if (band != a.band)
                used += (size_t)snprintf(cells[c] + used, RP_CELL - used, "; %s: %s", pg->name[i], band_words(band));
        }
        c++;
        rp_table_row(pg, cells, c, r->occupation_title[o]);
    }
    rp_table_end(pg);
}

static void supply_caption(page *pg, const size_t *rows, size_t k, size_t shortages, char *text, size_t size)
{
    const as_results *r = pg->base;
    double pipe = 0, open = 0, other = 0, best_share = -1, worst_gap = -INFINITY;
    size_t best = rows[0], worst = rows[0], n_assumed = 0;
    for (size_t i = 0; i < k; i++) {
        as_alignment a = as_metrics_occupation(r, rows[i], pg->last, AS_MEAN);
        pipe += a.pipeline;
        open += a.openings;
        other += a.other;
        n_assumed += (size_t)assumed(r, rows[i]);
        if (a.pipeline / a.openings > best_share)
            best_share = a.pipeline / a.openings, best = rows[i];
        if (a.gap > worst_gap)
            worst_gap = a.gap, worst = rows[i];
    }
    char p[64], o[64], x[64], s[64], g[64];
    int year = r->start_year + pg->last;
    size_t used = (size_t)snprintf(
        text, size,
        "Rows: the %zu occupations with the largest gaps in %s in %d (openings minus all supply, shortages first)"
        "%s.  In %s the local pipeline (people who earned a credential in these programs and work in their "
        "field) supplies about %s workers to these %zu occupations, which have about %s openings a year.",
        shortages, pg->name[0], year,
        k > shortages ? ", then the occupations whose local pipeline supply the proposals change most" : "",
        pg->name[0], as_words_about(p, sizeof p, pipe), k, as_words_about(o, sizeof o, open));
    char why[320] = "";
    if (n_assumed)
        snprintf(why, sizeof why,
                 " (an ASSUMPTION for %zu of these occupations: a fixed share of their openings, "
                 "labor_market.other_supply_share, illustrative and not calibrated; their gaps and bands depend on "
                 "it; marked *)",
                 n_assumed);
    if (used < size && other >= 0.5)
        used += (size_t)snprintf(text + used, size - used,
                                 "  Other sources (other colleges, people moving in) supply about %s more%s.",
                                 as_words_about(x, sizeof x, other), why);
    as_alignment b = as_metrics_occupation(r, best, pg->last, AS_MEAN);
    if (used < size && best_share > 1)
        used += (size_t)snprintf(text + used, size - used,
                                 "  For %s the local pipeline alone supplies more workers than there are openings "
                                 "(about %s for %s).",
                                 r->occupation_title[best], as_words_about(s, sizeof s, b.pipeline),
                                 as_words_about(g, sizeof g, b.openings));
    else if (used < size && best_share > 0)
        used += (size_t)snprintf(text + used, size - used,
                                 "  Of these, the pipeline fills the largest share of openings for %s: about %s.",
                                 r->occupation_title[best], as_words_percent(s, sizeof s, best_share));
    if (used < size && worst_gap > 0)
        used += (size_t)snprintf(text + used, size - used,
                                 "  The biggest gap left is for %s: about %s openings a year that neither the "
                                 "pipeline nor other sources fill.",
                                 r->occupation_title[worst], as_words_about(g, sizeof g, worst_gap));
    if (used < size)
        snprintf(text + used, size - used,
                 "  Across all occupations with openings, the alignment index is %.3f (1 would mean every "
                 "occupation's supply matches its openings).  Any occupation: alignsim report ... --occupation SOC.",
                 as_metrics_alignment_index(r, pg->last, AS_MEAN));
}

void rp_write_supply(page *pg)
{
    const as_results *r = pg->base;
    char text[RP_TEXT];
    rp_heading(pg, 2, "supply", "Who fills the region's openings");
    size_t rows[MOST_ROWS], shortages;
    size_t k = supply_rows(pg, rows, &shortages);
    if (k == 0) {
        snprintf(text, sizeof text, "In %d no occupation has openings, so there is no supply to set against them.",
                 r->start_year + pg->last);
        rp_para(pg, "note", text);
        return;
    }
    as_svg_supply_row bars[MOST_ROWS];
    for (size_t i = 0; i < k; i++) {
        as_alignment a = as_metrics_occupation(r, rows[i], pg->last, AS_MEAN);
        bars[i] = (as_svg_supply_row){r->occupation_title[rows[i]], {a.pipeline, a.other}, a.openings};
    }
    snprintf(text, sizeof text, "Supply and openings in %d, %s", r->start_year + pg->last, pg->name[0]);
    as_svg_chart chart = {"chart-supply", text,
                          "For each occupation: a grey bar for the yearly openings, and over it a dark bar for "
                          "workers from the local pipeline and a light bar for other supply."};
    static const char *const parts[2] = {"local pipeline", "other supply"};
    rp_figure_begin(pg);
    as_svg_supply_bars(pg->f, &chart, bars, k, parts, "openings a year");
    char caption[RP_TEXT];
    supply_caption(pg, rows, k, shortages, caption, sizeof caption);
    rp_figure_end(pg, caption);
    supply_table(pg, rows, k);
}

/* ---- the occupation view ----------------------------------------------------------------------------------- */

/* x with `decimals` decimals and thousands separated ("1,437.2"); sign: always signed. */
static const char *number_text(char *buf, size_t size, double x, int decimals, int sign)
{
    char plain[40], whole[64];
    snprintf(plain, sizeof plain, sign ? "%+.*f" : "%.*f", decimals, x);
    const char *digits = plain + (plain[0] == '+' || plain[0] == '-'), *point = strchr(digits, '.');
    size_t n = point ? (size_t)(point - digits) : strlen(digits), at = 0;
    if (digits > plain)
        whole[at++] = plain[0];
    for (size_t i = 0; i < n && at + 2 < sizeof whole; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            whole[at++] = ',';
        whole[at++] = digits[i];
    }
    whole[at] = '\0';
    snprintf(buf, size, "%s%s", whole, point ? point : "");
    return buf;
}

/* "37.0 [35.1 to 38.9]", or the plain number when the replications agree. */
static const char *estimate_text(char *buf, size_t size, as_estimate e, int decimals, int sign)
{
    char mean[80], lo[80], hi[80];
    if (isnan(e.mean)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    number_text(mean, sizeof mean, e.mean, decimals, sign);
    if (e.n < 2 || e.hi - e.lo < 0.5 * pow(10, -decimals)) {
        snprintf(buf, size, "%s", mean);
        return buf;
    }
    snprintf(buf, size, "%s [%s to %s]", mean, number_text(lo, sizeof lo, e.lo, decimals, sign),
             number_text(hi, sizeof hi, e.hi, decimals, sign));
    return buf;
}

/* "5.2%", or "5.2% (95% interval 4.8% to 5.6%)"; a difference: "+0.4 percentage points (95% interval ...)". */
static const char *share_text(char *buf, size_t size, as_estimate e, int difference)
{
    if (e.n < 2 || e.hi - e.lo < 0.05)
        snprintf(buf, size, difference ? "%+.1f percentage points" : "%.1f%%", e.mean);
    else if (difference)
        snprintf(buf, size, "%+.1f percentage points (95%% interval %+.1f to %+.1f)", e.mean, e.lo, e.hi);
    else
        snprintf(buf, size, "%.1f%% (95%% interval %.1f%% to %.1f%%)", e.mean, e.lo, e.hi);
    return buf;
}

/* The answer in a sentence: the pipeline's share of openings in each run. */
static void occupation_sentence(page *pg, size_t o, int t, char *text, size_t size)
{
    const as_results *r = pg->base;
    char s[128], d[256];
    as_estimate share = as_occupation_estimate(r, NULL, AS_OM_SHARE, o, t);
    if (isnan(share.mean)) {
        snprintf(text, size, "%s has no openings in %d in this table.", r->occupation_title[o], r->start_year + t);
        return;
    }
    size_t used = (size_t)snprintf(text, size, "In %d the local pipeline fills %s of the openings for %s in %s.",
                                   r->start_year + t, share_text(s, sizeof s, share, 0), r->occupation_title[o],
                                   pg->name[0]);
    for (size_t i = 1; i < pg->n && used < size; i++) {
        as_estimate p = as_occupation_estimate(pg->runs[i].results, NULL, AS_OM_SHARE, o, t);
        as_estimate diff = as_occupation_estimate(pg->runs[i].results, r, AS_OM_SHARE, o, t);
        if (diff.mean == 0 && diff.sd == 0)
            snprintf(d, sizeof d, "no effect in this model");
        else
            snprintf(d, sizeof d, "a difference of %s%s", share_text(s, sizeof s, diff, 1),
                     as_stats_excludes_zero(&diff) ? "" : ", which cannot be told apart from simulation noise");
        used += (size_t)snprintf(text + used, size - used, "  With %s: %.1f%%, %s.", pg->name[i], p.mean, d);
    }
}

static void occupation_table(page *pg, size_t o, int t)
{
    const as_results *r = pg->base;
    char heads_text[AS_REPORT_MAX_RUNS][2 * sizeof pg->name[0] + 32], caption[RP_TEXT], noise[160];
    const char *heads[2 * AS_REPORT_MAX_RUNS] = {"Measure"};
    size_t columns = 1;
    for (size_t i = 0; i < pg->n; i++)
        heads[columns++] = pg->name[i];
    for (size_t i = 1; i < pg->n; i++) {
        snprintf(heads_text[i], sizeof heads_text[i], "Difference: %s - %s (paired)", pg->name[i], pg->name[0]);
        heads[columns++] = heads_text[i];
    }
    snprintf(caption, sizeof caption, "%s (%s), %d: mean over replications [%s]", r->occupation_title[o],
             r->dims[AS_D_OCCUPATION].labels[o], r->start_year + t, rp_noise(pg, noise, sizeof noise));
    rp_table_begin_class(pg, "occupation", caption, heads, columns);
    char cells[2 * AS_REPORT_MAX_RUNS][RP_CELL];
    for (int m = 0; m < AS_OM_COUNT; m++) {
        int decimals = m == AS_OM_RATIO ? 3 : 1;
        size_t c = 0;
        for (size_t i = 0; i < pg->n; i++)
            estimate_text(cells[c++], RP_CELL, as_occupation_estimate(pg->runs[i].results, NULL, m, o, t), decimals, 0);
        for (size_t i = 1; i < pg->n; i++) {
            as_estimate diff = as_occupation_estimate(pg->runs[i].results, r, m, o, t);
            if (diff.mean == 0 && diff.sd == 0)
                snprintf(cells[c++], RP_CELL, "no effect in this model");
            else
                estimate_text(cells[c++], RP_CELL, diff, decimals, 1);
        }
        rp_table_row(pg, cells, c, as_occupation_metric_names[m]);
    }
    size_t c = 0;
    for (size_t i = 0; i < pg->n; i++)
        snprintf(cells[c++], RP_CELL, "%s",
                 as_occupation_band(as_occupation_estimate(pg->runs[i].results, NULL, AS_OM_RATIO, o, t).mean));
    while (c < columns - 1)
        snprintf(cells[c++], RP_CELL, "%s", "");
    rp_table_row(pg, cells, c, "band (of the mean ratio)");
    c = 0;
    for (size_t i = 0; i < pg->n; i++) {
        const as_results *ri = pg->runs[i].results;
        double wage = ri->occupation_wage ? ri->occupation_wage[o] : NAN;
        if (isfinite(wage) && wage > 0)
            as_words_money(cells[c++], RP_CELL, wage);
        else
            snprintf(cells[c++], RP_CELL, "not published");
    }
    while (c < columns - 1)
        snprintf(cells[c++], RP_CELL, "%s", "");
    rp_table_row(pg, cells, c, "median wage a year (BLS)");
    c = 0;
    for (size_t i = 0; i < pg->n; i++)
        as_occupation_entry(pg->runs[i].results, o, cells[c++], RP_CELL);
    while (c < columns - 1)
        snprintf(cells[c++], RP_CELL, "%s", "");
    rp_table_words_row(pg, cells, c, "typical entry (BLS)");
    c = 0;
    for (size_t i = 0; i < pg->n; i++)
        as_occupation_other_source(pg->runs[i].results, pg->runs[i].scenario_json, o, cells[c++], RP_CELL);
    while (c < columns - 1)
        snprintf(cells[c++], RP_CELL, "%s", "");
    rp_table_words_row(pg, cells, c, "where other supply comes from");
    rp_table_end(pg);
}

void rp_write_occupations(page *pg)
{
    const as_report_options *opt = &pg->opt;
    if (opt->n_occupations == 0)
        return;
    const as_results *r = pg->base;
    char text[RP_TEXT], noise[160];
    snprintf(text, sizeof text, "The occupations asked about, %d", r->start_year + opt->year);
    rp_heading(pg, 2, "occupations", text);
    snprintf(text, sizeof text,
             "For each occupation: openings a year (the BLS table scaled to the region), the local pipeline's "
             "supply and where it comes from, other supply, the pipeline's share of openings, the gap left and the "
             "ratio of all supply to openings, in each scenario%s.  In brackets: %s.",
             pg->n > 1 ? ", and each proposal's difference from the base, paired by replication" : "",
             rp_noise(pg, noise, sizeof noise));
    rp_para(pg, "note", text);
    for (size_t k = 0; k < opt->n_occupations; k++) {
        size_t o = opt->occupations[k];
        snprintf(text, sizeof text, "%s (%s)", r->occupation_title[o], r->dims[AS_D_OCCUPATION].labels[o]);
        rp_heading(pg, 3, NULL, text);
        occupation_sentence(pg, o, opt->year, text, sizeof text);
        rp_para(pg, "lede", text);
        occupation_table(pg, o, opt->year);
    }
}
