#include "report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "metrics.h"
#include "outfile.h"
#include "svg.h"
#include "version.h"
#include "words.h"

#define TOP_OCCUPATIONS 15
#define TOP_PROGRAMS 8      /* lines in a chart; more programs are drawn as one "other" line */
#define TEXT 2048
#define CELL 256          /* one table cell */

typedef struct page {
    FILE *f;
    const as_report_run *runs;
    size_t n;
    const as_results *base;
    int last;                              /* index of the final year */
    char name[AS_REPORT_MAX_RUNS][128];
    char *description[AS_REPORT_MAX_RUNS]; /* owned; may be NULL */
    as_comparison cmp[AS_REPORT_MAX_RUNS]; /* cmp[i]: run i against run 0 (cmp[0] unused) */
} page;

/* ---- small HTML pieces (text is escaped; markup is not) ---------------------------------------------- */

static void html(page *pg, const char *text)
{
    as_outfile_html(pg->f, text);
}

/* open, then text escaped, then close: an element whose markup is ours and text is not. */
static void element(page *pg, const char *open, const char *text, const char *close)
{
    fputs(open, pg->f);
    html(pg, text);
    fputs(close, pg->f);
}

static void para(page *pg, const char *cls, const char *text)
{
    fprintf(pg->f, "<p class=\"%s\">", cls);
    element(pg, "", text, "</p>\n");
}

/* A heading; id (NULL: none) is the target of a link to the section. */
static void heading(page *pg, int level, const char *id, const char *text)
{
    if (id)
        fprintf(pg->f, "<h%d id=\"%s\">", level, id);
    else
        fprintf(pg->f, "<h%d>", level);
    html(pg, text);
    fprintf(pg->f, "</h%d>\n", level);
}

static void table_begin(page *pg, const char *caption, const char *const *heads, size_t n)
{
    element(pg, "<div class=\"table\"><table>\n<caption>", caption, "</caption>\n<thead><tr>");
    for (size_t i = 0; i < n; i++)
        element(pg, "<th scope=\"col\">", heads[i], "</th>");
    fputs("</tr></thead>\n<tbody>\n", pg->f);
}

/* A row: the first cell heads the row, the others are numbers (right-aligned).
 * A row head that starts with two spaces is a part of the row above (indented). */
static void table_row(page *pg, char cells[][CELL], size_t n, const char *row_head)
{
    if (!strncmp(row_head, "  ", 2))
        element(pg, "<tr><th scope=\"row\" class=\"part\">", row_head + 2, "</th>");
    else
        element(pg, "<tr><th scope=\"row\">", row_head, "</th>");
    for (size_t i = 0; i < n; i++)
        element(pg, "<td>", cells[i], "</td>");
    fputs("</tr>\n", pg->f);
}

/* A table with one column per scenario after the row heads. */
static void table_by_scenario(page *pg, const char *caption, const char *row_heads)
{
    const char *heads[AS_REPORT_MAX_RUNS + 1] = {row_heads};
    for (size_t i = 0; i < pg->n; i++)
        heads[i + 1] = pg->name[i];
    table_begin(pg, caption, heads, pg->n + 1);
}

/* A row that heads the rows below it (a measure, with one row per scenario). */
static void table_group(page *pg, const char *text, size_t columns)
{
    fprintf(pg->f, "<tr><th class=\"group\" scope=\"rowgroup\" colspan=\"%zu\">", columns);
    element(pg, "", text, "</th></tr>\n");
}

static void table_end(page *pg)
{
    fputs("</tbody></table></div>\n", pg->f);
}

static void figure_begin(page *pg)
{
    fputs("<figure>\n", pg->f);
}

static void figure_end(page *pg, const char *caption)
{
    element(pg, "<figcaption>", caption, "</figcaption>\n</figure>\n");
}

/* "english_learner" -> "english learner", for sentences. */
static const char *spoken(char *buf, size_t size, const char *id)
{
    snprintf(buf, size, "%s", id);
    for (char *s = buf; *s; s++)
        if (*s == '_')
            *s = ' ';
    return buf;
}

/* ---- the page -------------------------------------------------------------------------------------------- */

static const char *const css =
    "body{margin:0;background:#fafafa;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif}\n"
    "main{max-width:880px;margin:0 auto;padding:24px 20px 60px;background:#fff}\n"
    "h1{font-size:1.7em;line-height:1.2;margin:.2em 0 .4em}h2{margin-top:2em;border-bottom:2px solid #0072B2;"
    "padding-bottom:.2em}h3{margin-top:1.5em}\n"
    ".lede{font-size:1.1em;color:#333}.note{color:#555;font-size:.92em}\n"
    "figure{margin:1.2em 0;padding:12px;border:1px solid #e3e3e3;border-radius:6px;background:#fff}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "figcaption{margin-top:.6em;font-size:1em;color:#222}\n"
    ".table{overflow-x:auto;margin:.6em 0 1.4em}table{border-collapse:collapse;font-size:.85em;min-width:50%}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0;color:#333}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid #e6e6e6;text-align:right;white-space:nowrap}\n"
    "thead th{background:#f0f4f8;white-space:normal;vertical-align:bottom}\n"
    "th[scope=row],thead th:first-child{text-align:left;white-space:normal;min-width:12em}\n"
    "th.group{text-align:left;background:#f6f6f6;padding-top:8px}th.part{padding-left:1.8em;font-weight:normal}\n"
    "tbody tr:nth-child(even){background:#fafcfe}\n"
    "ul.effects li{margin:.3em 0}details{margin:.3em 0 .8em}summary{cursor:pointer;color:#0a5a8c}\n"
    "dt{font-weight:600;margin-top:.6em}dd{margin-left:1.2em}\n"
    "@media print{body{background:#fff}figure{break-inside:avoid}}\n";

static void write_head(page *pg)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          pg->f);
    html(pg, "alignsim report: ");
    html(pg, pg->name[0]);
    fprintf(pg->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
}

static void write_scenario_list(page *pg)
{
    fputs("<ul>\n", pg->f);
    for (size_t i = 0; i < pg->n; i++) {
        element(pg, "<li><strong>", pg->name[i], "</strong>");
        html(pg, i == 0 && pg->n > 1 ? " (the base)" : "");
        element(pg, " <span class=\"note\">", pg->runs[i].path, "</span>");
        if (pg->description[i] && *pg->description[i])
            element(pg, "<details><summary>What this scenario is</summary>", pg->description[i], "</details>");
        fputs("</li>\n", pg->f);
    }
    fputs("</ul>\n", pg->f);
}

static void write_intro(page *pg)
{
    const as_results *r = pg->base;
    char text[TEXT];
    snprintf(text, sizeof text, "Career pathways and the region's jobs: %s", pg->name[0]);
    heading(pg, 1, "top", text);
    snprintf(text, sizeof text,
             "What happens to students of %d entering classes (%d to %d) under %s: how many graduate, complete "
             "a pathway, earn college credit and credentials, and how well that matches the jobs the region "
             "needs to fill.",
             r->years, r->start_year, r->start_year + pg->last, pg->n > 1 ? "each scenario" : "this scenario");
    para(pg, "lede", text);
    snprintf(text, sizeof text,
             "Written by alignsim %s.  Each scenario was simulated %d times (replications, seed %u); every "
             "number is the average over the replications%s.",
             AS_VERSION, r->replications, (unsigned)r->seed,
             r->replications > 1 ? ", and ranges are 95% intervals" : "");
    para(pg, "note", text);
    if (pg->n > 1) {
        snprintf(text, sizeof text,
                 "The first scenario, %s, is the base.  Every other scenario is a proposal, simulated with the "
                 "same students and the same chance events, so a difference from the base comes from the "
                 "proposal, not from luck.",
                 pg->name[0]);
        para(pg, "note", text);
    }
    write_scenario_list(pg);
}

typedef struct ranked { size_t index; double key; } ranked;

static int by_key_descending(const void *a, const void *b)
{
    double x = ((const ranked *)a)->key, y = ((const ranked *)b)->key;
    return (x < y) - (x > y);
}

/* ---- credentials by field ------------------------------------------------------------------------------ */

#define MAX_FIELDS 64

/* Adds the fields of r's credentials not yet in fields[0..*n). */
static void collect_fields(const as_results *r, char fields[][64], size_t *n)
{
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++) {
        char field[64];
        as_metrics_credential_field(r, k, field, sizeof field);
        size_t i = 0;
        while (i < *n && strcmp(fields[i], field) != 0)
            i++;
        if (i == *n && *n < MAX_FIELDS && field[0])
            snprintf(fields[(*n)++], 64, "%s", field);
    }
}

static void write_fields(page *pg)
{
    static char fields[MAX_FIELDS][64];
    size_t n = 0;
    for (size_t i = 0; i < pg->n; i++)
        collect_fields(pg->runs[i].results, fields, &n);
    if (n == 0)
        return;
    ranked order[MAX_FIELDS];
    for (size_t f = 0; f < n; f++)
        order[f] = (ranked){f, as_metrics_credentials_by_field(pg->base, fields[f], AS_MEAN, AS_ALL_YEARS)};
    qsort(order, n, sizeof *order, by_key_descending);
    table_by_scenario(pg, "Credentials earned by field, all years", "Field (career cluster, or CIP series)");
    char cells[AS_REPORT_MAX_RUNS][CELL];
    for (size_t f = 0; f < n; f++) {
        for (size_t i = 0; i < pg->n; i++)
            as_words_count(cells[i], CELL,
                           as_metrics_credentials_by_field(pg->runs[i].results, fields[order[f].index], AS_MEAN,
                                                           AS_ALL_YEARS));
        table_row(pg, cells, pg->n, fields[order[f].index]);
    }
    table_end(pg);
}

/* ---- at a glance ------------------------------------------------------------------------------------------ */

enum glance {
    G_ENTRANTS, G_GRADUATES, G_COMPLETERS, G_COLLEGE_CREDIT, G_COLLEGE_SHARE, G_WITH_CREDENTIAL, G_DUAL, G_WBL,
    G_APPRENTICE_STARTS, G_CREDENTIALS, G_LEVEL, G_SUPPLY, G_OPENINGS, G_ALIGNMENT, G_COST, G_COST_PER_SEAT,
    G_COST_PER_CREDENTIAL, G_EARNINGS, G_EARNINGS_PER_WORKER, G_APPRENTICE_WAGES
};

static double all_sum(const as_results *r, int var, int pick, int t)
{
    as_selection s = {.var = var, .pick = pick};
    return as_metrics_sum(r, &s, AS_MEAN, t);
}

static double openings_total(const as_results *r, int t)
{
    size_t n = r->dims[AS_D_OCCUPATION].len;
    double sum = 0;
    for (size_t o = 0; o < n; o++)
        sum += r->openings[(size_t)t * n + o];
    return sum;
}

static void glance_value(const as_results *r, int kind, int arg, char *buf, size_t size)
{
    int last = r->years - 1, all = AS_ALL_YEARS;
    switch (kind) {
    case G_ENTRANTS: as_words_count(buf, size, all_sum(r, AS_V_ENTRANTS, AS_PICK_ALL, all)); break;
    case G_GRADUATES: as_words_count(buf, size, all_sum(r, AS_V_GRADUATES, AS_PICK_ALL, all)); break;
    case G_COMPLETERS: as_words_count(buf, size, all_sum(r, AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, all)); break;
    case G_COLLEGE_CREDIT:
        as_words_count(buf, size, all_sum(r, AS_V_GRADS_POSTSEC_EXPERIENCE, AS_PICK_ALL, all));
        break;
    case G_COLLEGE_SHARE: as_words_percent(buf, size, as_metrics_postsec_experience_share(r, AS_MEAN, all)); break;
    case G_WITH_CREDENTIAL:
        as_words_count(buf, size, all_sum(r, AS_V_GRADS_WITH_CREDENTIAL, AS_PICK_ALL, all));
        break;
    case G_DUAL: as_words_count(buf, size, all_sum(r, AS_V_DUAL_STUDENTS, AS_PICK_ALL, all)); break;
    case G_WBL: as_words_count(buf, size, all_sum(r, AS_V_WBL_PARTICIPANTS, AS_PICK_ALL, all)); break;
    case G_APPRENTICE_STARTS: as_words_count(buf, size, all_sum(r, AS_V_APPRENTICE_STARTS, AS_PICK_ALL, all)); break;
    case G_CREDENTIALS: as_words_count(buf, size, all_sum(r, AS_V_CREDENTIALS, AS_PICK_ALL, all)); break;
    case G_LEVEL: as_words_count(buf, size, as_metrics_credentials_by_level(r, arg, AS_MEAN, all)); break;
    case G_SUPPLY: as_words_count(buf, size, all_sum(r, AS_V_SUPPLY, AS_PICK_ALL, last)); break;
    case G_OPENINGS: as_words_count(buf, size, openings_total(r, last)); break;
    case G_ALIGNMENT: as_words_fixed(buf, size, as_metrics_alignment_index(r, last, AS_MEAN), 4); break;
    case G_COST: as_words_money(buf, size, as_metrics_cost(r, AS_MEAN, all)); break;
    case G_COST_PER_SEAT: as_words_money(buf, size, as_metrics_cost_per_seat(r, arg, AS_MEAN, all)); break;
    case G_COST_PER_CREDENTIAL: as_words_money(buf, size, as_metrics_cost_per_credential(r, AS_MEAN, all)); break;
    case G_EARNINGS: as_words_money(buf, size, as_metrics_earnings(r, AS_MEAN, last)); break;
    case G_EARNINGS_PER_WORKER: as_words_money(buf, size, as_metrics_earnings_per_worker(r, AS_MEAN, last)); break;
    case G_APPRENTICE_WAGES: as_words_money(buf, size, all_sum(r, AS_V_APPRENTICE_EARNINGS, AS_PICK_ALL, all)); break;
    default: snprintf(buf, size, "n/a"); break;
    }
}

static void glance_row(page *pg, const char *label, int kind, int arg)
{
    char cells[AS_REPORT_MAX_RUNS][CELL];
    for (size_t i = 0; i < pg->n; i++)
        glance_value(pg->runs[i].results, kind, arg, cells[i], sizeof cells[i]);
    table_row(pg, cells, pg->n, label);
}

static int any_level(const page *pg, int level)
{
    for (size_t i = 0; i < pg->n; i++)
        if (as_metrics_credentials_by_level(pg->runs[i].results, level, AS_MEAN, AS_ALL_YEARS) > 0)
            return 1;
    return 0;
}

static int any_cost(const page *pg, int item)
{
    for (size_t i = 0; i < pg->n; i++) {
        const as_results *r = pg->runs[i].results;
        if (item < (int)r->dims[AS_D_COST_ITEM].len) {
            as_selection s = {.var = AS_V_COST, .pick = AS_PICK_LABEL, .label = r->dims[AS_D_COST_ITEM].labels[item]};
            if (as_metrics_sum(r, &s, AS_MEAN, AS_ALL_YEARS) > 0)
                return 1;
        }
    }
    return 0;
}

static void write_glance(page *pg)
{
    static const struct { const char *label; int kind; } rows[] = {
        {"Students entering grade 9", G_ENTRANTS},
        {"High-school graduates", G_GRADUATES},
        {"Graduates who completed a pathway", G_COMPLETERS},
        {"Graduates with college credit (dual enrollment)", G_COLLEGE_CREDIT},
        {"Share of graduates with college credit", G_COLLEGE_SHARE},
        {"Graduates holding an industry credential", G_WITH_CREDENTIAL},
        {"Student-years in dual enrollment", G_DUAL},
        {"Work-based learning placements", G_WBL},
        {"Registered apprenticeships started", G_APPRENTICE_STARTS},
        {"Credentials earned, all kinds", G_CREDENTIALS},
    };
    const as_results *r = pg->base;
    char text[TEXT], y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", r->start_year);
    snprintf(y1, sizeof y1, "%d", r->start_year + pg->last);
    heading(pg, 2, "glance", "At a glance");
    snprintf(text, sizeof text,
             "Totals over %s to %s, averaged over replications, unless the row names the final year (%s).  "
             "College credit counts graduates who earned any in high school, the accountability metric of "
             "seed 003 (share of graduates with a postsecondary experience).",
             y0, y1, y1);
    para(pg, "note", text);
    table_by_scenario(pg, "Key numbers of each scenario", "Measure");
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        glance_row(pg, rows[k].label, rows[k].kind, 0);
    for (int level = 0; level < AS_LEVEL_COUNT; level++)
        if (any_level(pg, level)) {
            char level_name[64];
            snprintf(text, sizeof text, "  of which %s", spoken(level_name, sizeof level_name, as_level_names[level]));
            glance_row(pg, text, G_LEVEL, level);
        }
    snprintf(text, sizeof text, "Local pipeline supply in %s (workers)", y1);
    glance_row(pg, text, G_SUPPLY, 0);
    snprintf(text, sizeof text, "Openings in %s, all occupations", y1);
    glance_row(pg, text, G_OPENINGS, 0);
    snprintf(text, sizeof text, "Alignment index in %s (1 = supply matches openings)", y1);
    glance_row(pg, text, G_ALIGNMENT, 0);
    glance_row(pg, "Cost of all programs", G_COST, 0);
    for (int item = 0; item < AS_C_COUNT; item++)
        if (any_cost(pg, item)) {
            char item_name[64];
            snprintf(text, sizeof text, "  cost per seat-year: %s",
                     spoken(item_name, sizeof item_name, r->dims[AS_D_COST_ITEM].labels[item]));
            glance_row(pg, text, G_COST_PER_SEAT, item);
        }
    glance_row(pg, "Cost per credential earned", G_COST_PER_CREDENTIAL, 0);
    snprintf(text, sizeof text, "Yearly earnings of the %s pipeline workers", y1);
    glance_row(pg, text, G_EARNINGS, 0);
    glance_row(pg, "  per worker (median wage of the occupation)", G_EARNINGS_PER_WORKER, 0);
    glance_row(pg, "Wages paid to apprentices in training", G_APPRENTICE_WAGES, 0);
    table_end(pg);
    write_fields(pg);
}

/* ---- supply and openings --------------------------------------------------------------------------------- */

/* Occupations with openings and pipeline supply in year t, most supply first. */
static size_t top_occupations(const as_results *r, int t, ranked *out, size_t most)
{
    size_t n = r->dims[AS_D_OCCUPATION].len, found = 0;
    ranked *all = malloc((n + 1) * sizeof *all);
    if (!all)
        return 0;
    for (size_t o = 0; o < n; o++) {
        as_alignment a = as_metrics_occupation(r, o, t, AS_MEAN);
        if (a.openings > 0 && a.pipeline > 0)
            all[found++] = (ranked){o, a.pipeline};
    }
    qsort(all, found, sizeof *all, by_key_descending);
    size_t kept = found < most ? found : most;
    memcpy(out, all, kept * sizeof *out);
    free(all);
    return kept;
}

static const char *band_words(int band)
{
    return band == AS_BAND_UNDER ? "under-supplied" : band == AS_BAND_OVER ? "over-supplied" : "balanced";
}

static void supply_table(page *pg, const ranked *top, size_t k)
{
    static const char *const heads[] = {"Occupation", "SOC", "Openings a year", "Local pipeline", "Other supply",
                                        "Gap (openings - supply)", "Supply / openings", "Band"};
    const as_results *r = pg->base;
    table_begin(pg, "Supply and openings in the final year, by occupation", heads, 8);
    for (size_t i = 0; i < k; i++) {
        as_alignment a = as_metrics_occupation(r, top[i].index, pg->last, AS_MEAN);
        char cells[7][CELL];
        snprintf(cells[0], CELL, "%s", r->dims[AS_D_OCCUPATION].labels[top[i].index]);
        as_words_count(cells[1], CELL, a.openings);
        as_words_count(cells[2], CELL, a.pipeline);
        as_words_count(cells[3], CELL, a.other);
        as_words_count(cells[4], CELL, a.gap);
        as_words_fixed(cells[5], CELL, a.ratio, 2);
        snprintf(cells[6], CELL, "%s", band_words(a.band));
        table_row(pg, cells, 7, r->occupation_title[top[i].index]);
    }
    table_end(pg);
}

static void supply_caption(page *pg, const ranked *top, size_t k, char *text, size_t size)
{
    const as_results *r = pg->base;
    double pipe = 0, open = 0, other = 0, best_share = -1, worst_gap = -INFINITY;
    size_t best = top[0].index, worst = top[0].index;
    for (size_t i = 0; i < k; i++) {
        as_alignment a = as_metrics_occupation(r, top[i].index, pg->last, AS_MEAN);
        pipe += a.pipeline;
        open += a.openings;
        other += a.other;
        if (a.pipeline / a.openings > best_share)
            best_share = a.pipeline / a.openings, best = top[i].index;
        if (a.gap > worst_gap)
            worst_gap = a.gap, worst = top[i].index;
    }
    char p[64], o[64], x[64], s[64], g[64];
    int year = r->start_year + pg->last;
    size_t used = (size_t)snprintf(
        text, size,
        "In %d the local pipeline (people who earned a credential in these programs and work in their field) "
        "supplies about %s workers to these %zu occupations, which have about %s openings a year.",
        year, as_words_about(p, sizeof p, pipe), k, as_words_about(o, sizeof o, open));
    size_t assumed = 0;
    for (size_t i = 0; i < k; i++)
        assumed += r->other_supply_assumed && r->other_supply_assumed[top[i].index] > 0;
    char why[256] = "";
    if (assumed)
        snprintf(why, sizeof why, " (an ASSUMPTION for %zu of these occupations: a fixed share of their openings, "
                                  "labor_market.other_supply_share, illustrative and not calibrated; their gaps and "
                                  "bands depend on it)", assumed);
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
    else if (used < size)
        used += (size_t)snprintf(text + used, size - used,
                                 "  The pipeline fills the largest share of openings for %s: about %s of them.",
                                 r->occupation_title[best], as_words_percent(s, sizeof s, best_share));
    if (used < size && worst_gap > 0)
        used += (size_t)snprintf(text + used, size - used,
                                 "  The biggest gap left is for %s: about %s openings a year that neither the "
                                 "pipeline nor other sources fill.",
                                 r->occupation_title[worst], as_words_about(g, sizeof g, worst_gap));
    if (used < size)
        snprintf(text + used, size - used,
                 "  Across all occupations with openings, the alignment index is %.3f (1 would mean every "
                 "occupation's supply matches its openings).",
                 as_metrics_alignment_index(r, pg->last, AS_MEAN));
}

static void write_supply(page *pg)
{
    const as_results *r = pg->base;
    char text[TEXT];
    heading(pg, 2, "supply", "Who fills the region's openings");
    ranked top[TOP_OCCUPATIONS];
    size_t k = top_occupations(r, pg->last, top, TOP_OCCUPATIONS);
    if (k == 0) {
        snprintf(text, sizeof text, "In %d no graduate of these programs enters an occupation with openings, so "
                 "there is no local pipeline supply to show.", r->start_year + pg->last);
        para(pg, "note", text);
        return;
    }
    as_svg_supply_row rows[TOP_OCCUPATIONS];
    for (size_t i = 0; i < k; i++) {
        as_alignment a = as_metrics_occupation(r, top[i].index, pg->last, AS_MEAN);
        rows[i] = (as_svg_supply_row){r->occupation_title[top[i].index], {a.pipeline, a.other}, a.openings};
    }
    snprintf(text, sizeof text, "Supply and openings in %d, %s", r->start_year + pg->last, pg->name[0]);
    as_svg_chart chart = {"chart-supply", text,
                          "For each occupation: a grey bar for the yearly openings, and over it a dark bar for "
                          "workers from the local pipeline and a light bar for other supply."};
    static const char *const parts[2] = {"local pipeline", "other supply"};
    figure_begin(pg);
    as_svg_supply_bars(pg->f, &chart, rows, k, parts, "openings a year");
    char caption[TEXT];
    supply_caption(pg, top, k, caption, sizeof caption);
    figure_end(pg, caption);
    supply_table(pg, top, k);
}

/* ---- pathways ------------------------------------------------------------------------------------------- */

/* Programs (not "none") ordered by student-years, most first; returns how many. */
static size_t ranked_programs(const as_results *r, ranked *out)
{
    size_t n = r->dims[AS_D_PATHWAY].len ? r->dims[AS_D_PATHWAY].len - 1 : 0;
    for (size_t j = 0; j < n; j++) {
        as_selection s = {.var = AS_V_ENROLLED, .pick = AS_PICK_LABEL, .label = r->dims[AS_D_PATHWAY].labels[j]};
        out[j] = (ranked){j, as_metrics_sum(r, &s, AS_MEAN, AS_ALL_YEARS)};
    }
    qsort(out, n, sizeof *out, by_key_descending);
    return n;
}

/* values[line][year] of var for the top programs, the rest summed into one
 * last line; returns the number of lines and fills names. */
static size_t program_lines(const as_results *r, int var, const ranked *order, size_t n_prog, double *values,
                            const char **names, char *other_name, size_t other_size)
{
    size_t lines = n_prog <= TOP_PROGRAMS ? n_prog : TOP_PROGRAMS;
    for (size_t l = 0; l < lines * (size_t)r->years; l++)
        values[l] = 0;
    for (size_t i = 0; i < n_prog; i++) {
        size_t line = i < lines - 1 || n_prog <= TOP_PROGRAMS ? i : lines - 1;
        const char *label = r->dims[AS_D_PATHWAY].labels[order[i].index];
        names[line] = label;
        as_selection s = {.var = var, .pick = AS_PICK_LABEL, .label = label};
        for (int t = 0; t < r->years; t++)
            values[line * (size_t)r->years + (size_t)t] += as_metrics_sum(r, &s, AS_MEAN, t);
    }
    if (n_prog > TOP_PROGRAMS) {
        snprintf(other_name, other_size, "%zu other programs", n_prog - (TOP_PROGRAMS - 1));
        names[lines - 1] = other_name;
    }
    return lines;
}

static void years_table(page *pg, const char *caption, const char *const *names, const double *values,
                        size_t lines)
{
    const as_results *r = pg->base;
    const char *heads[AS_MAX_YEARS + 1] = {"Program"};
    char years[AS_MAX_YEARS][8];
    int shown = r->years < AS_MAX_YEARS ? r->years : AS_MAX_YEARS;
    for (int t = 0; t < shown; t++) {
        snprintf(years[t], sizeof years[t], "%d", r->start_year + t);
        heads[t + 1] = years[t];
    }
    table_begin(pg, caption, heads, (size_t)shown + 1);
    char cells[AS_MAX_YEARS][CELL];
    for (size_t l = 0; l < lines; l++) {
        for (int t = 0; t < shown; t++)
            as_words_count(cells[t], CELL, values[l * (size_t)r->years + (size_t)t]);
        table_row(pg, cells, (size_t)shown, names[l]);
    }
    table_end(pg);
}

static void pathway_chart(page *pg, const char *id, const char *title, const char *desc, const char *y_label,
                          const char *const *names, const double *values, size_t lines, const char *caption,
                          const char *table_caption)
{
    const as_results *r = pg->base;
    int x[AS_MAX_YEARS];
    as_svg_series series[TOP_PROGRAMS];
    for (int t = 0; t < r->years && t < AS_MAX_YEARS; t++)
        x[t] = r->start_year + t;
    for (size_t l = 0; l < lines; l++)
        series[l] = (as_svg_series){names[l], values + l * (size_t)r->years};
    as_svg_chart chart = {id, title, desc};
    figure_begin(pg);
    as_svg_lines(pg->f, &chart, x, (size_t)r->years, series, lines, y_label);
    figure_end(pg, caption);
    years_table(pg, table_caption, names, values, lines);
}

static void pathway_caption(page *pg, const ranked *order, char *text, size_t size)
{
    const as_results *r = pg->base;
    int last = pg->last;
    double in_programs = all_sum(r, AS_V_ENROLLED, AS_PICK_PROGRAMS, last);
    double in_school = all_sum(r, AS_V_ENROLLED, AS_PICK_ALL, last);
    as_selection biggest = {.var = AS_V_ENROLLED, .pick = AS_PICK_LABEL,
                            .label = r->dims[AS_D_PATHWAY].labels[order[0].index]};
    double completers = all_sum(r, AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, AS_ALL_YEARS);
    double completion = as_metrics_equity_rate(r, AS_EQ_COMPLETION, 0, AS_MEAN, AS_ALL_YEARS);
    char a[64], b[64], c[64], d[64], e[64];
    snprintf(text, size,
             "In %d about %s high-school students (%s of all) are in a pathway program; the largest is %s, with "
             "about %s.  Over %d to %d about %s graduates complete a pathway, %s of all graduates.",
             r->start_year + last, as_words_about(a, sizeof a, in_programs),
             as_words_percent(b, sizeof b, in_school > 0 ? in_programs / in_school : NAN), biggest.label,
             as_words_about(c, sizeof c, as_metrics_sum(r, &biggest, AS_MEAN, last)), r->start_year,
             r->start_year + last, as_words_about(d, sizeof d, completers), as_words_percent(e, sizeof e, completion));
}

static void write_pathways(page *pg)
{
    const as_results *r = pg->base;
    heading(pg, 2, "pathways", "Enrollment and completion by pathway");
    size_t n_prog = r->dims[AS_D_PATHWAY].len ? r->dims[AS_D_PATHWAY].len - 1 : 0;
    if (n_prog == 0) {
        para(pg, "note", "This scenario has no pathway programs.");
        return;
    }
    ranked *order = malloc(n_prog * sizeof *order);
    double *values = malloc((size_t)TOP_PROGRAMS * (size_t)r->years * sizeof *values);
    if (!order || !values) {
        free(order);
        free(values);
        para(pg, "note", "(out of memory drawing this section)");
        return;
    }
    ranked_programs(r, order);
    const char *names[TOP_PROGRAMS];
    char other[64], caption[TEXT];
    pathway_caption(pg, order, caption, sizeof caption);
    size_t lines = program_lines(r, AS_V_ENROLLED, order, n_prog, values, names, other, sizeof other);
    pathway_chart(pg, "chart-enrollment", "Students in each pathway program, by year",
                  "One line per program: students enrolled each year, average over replications.",
                  "students in the program", names, values, lines, caption, "Students in each program, by year");
    lines = program_lines(r, AS_V_PATHWAY_COMPLETERS, order, n_prog, values, names, other, sizeof other);
    pathway_chart(pg, "chart-completion", "Pathway completers, by program and year",
                  "One line per program: graduates who met the program's completion requirements each year.",
                  "pathway completers", names, values, lines,
                  "Students are counted as completers when they graduate; a program's completion rule (hours, "
                  "courses, credential, work-based learning, college credit) decides who counts.",
                  "Pathway completers by program, by year");
    free(order);
    free(values);
}

/* ---- equity ---------------------------------------------------------------------------------------------- */

static void equity_caption(page *pg, const double *rates, size_t n_groups, char *text, size_t size)
{
    const as_results *r = pg->base;
    double widest = 0;
    int row = -1;
    size_t group = 0;
    for (int i = 0; i < AS_EQ_COUNT; i++)
        for (size_t g = 1; g < n_groups; g++) {
            double gap = rates[(size_t)i * n_groups + g] - rates[(size_t)i * n_groups];
            if (gap < widest)
                widest = gap, row = i, group = g;
        }
    if (row < 0) {
        snprintf(text, size, "No group of students is below all students on any of these measures.");
        return;
    }
    char who[96], a[32], b[32];
    snprintf(text, size,
             "The black bar marks all students and each dot one group (a student can belong to several).  The "
             "widest gap: for \"%s\", %s students are at %s against %s for all students, %.1f percentage points "
             "lower.",
             as_equity_words[row], spoken(who, sizeof who, r->dims[AS_D_SUBGROUP].labels[group]),
             as_words_percent(a, sizeof a, rates[(size_t)row * n_groups + group]),
             as_words_percent(b, sizeof b, rates[(size_t)row * n_groups]), -widest * 100);
}

static void equity_table(page *pg, const double *rates, size_t n_groups)
{
    const as_results *r = pg->base;
    const char *heads[64] = {"Measure"};
    size_t shown = n_groups < 63 ? n_groups : 63;
    for (size_t g = 0; g < shown; g++)
        heads[g + 1] = r->dims[AS_D_SUBGROUP].labels[g];
    table_begin(pg, "Rates by student group (in parentheses: percentage points above or below all students)",
                heads, shown + 1);
    char cells[64][CELL];
    for (int i = 0; i < AS_EQ_COUNT; i++) {
        for (size_t g = 0; g < shown; g++) {
            double rate = rates[(size_t)i * n_groups + g], all = rates[(size_t)i * n_groups];
            char pct[32];
            as_words_percent(pct, sizeof pct, rate);
            if (g == 0 || isnan(rate))
                snprintf(cells[g], CELL, "%s", pct);
            else
                snprintf(cells[g], CELL, "%s (%+.1f)", pct, (rate - all) * 100);
        }
        table_row(pg, cells, shown, as_equity_words[i]);
    }
    table_end(pg);
}

static void write_equity_rates(page *pg, size_t n_groups)
{
    const as_results *r = pg->base;
    double *rates = malloc((size_t)AS_EQ_COUNT * n_groups * sizeof *rates);
    if (!rates)
        return;
    double most = 0;
    for (int i = 0; i < AS_EQ_COUNT; i++)
        for (size_t g = 0; g < n_groups; g++) {
            double v = as_metrics_equity_rate(r, i, g, AS_MEAN, AS_ALL_YEARS);
            rates[(size_t)i * n_groups + g] = v;
            if (isfinite(v))
                most = fmax(most, v);
        }
    as_svg_dots_spec spec = {.row_labels = as_equity_words, .n_rows = AS_EQ_COUNT,
                             .group_names = (const char *const *)r->dims[AS_D_SUBGROUP].labels, .n_groups = n_groups,
                             .values = rates, .x_max = fmin(1, ceil(most * 10 + 1e-9) / 10), .percent = 1,
                             .first_is_reference = 1, .reference_x = NAN};
    as_svg_chart chart = {"chart-equity", "Rates by student group, against all students",
                          "For each measure, a black bar for all students and one dot per student group."};
    char caption[TEXT];
    equity_caption(pg, rates, n_groups, caption, sizeof caption);
    figure_begin(pg);
    as_svg_dots(pg->f, &chart, &spec);
    figure_end(pg, caption);
    equity_table(pg, rates, n_groups);
    free(rates);
}

static void representation_caption(page *pg, const double *ratios, size_t n_prog, size_t n_groups, char *text,
                                   size_t size)
{
    const as_results *r = pg->base;
    double lowest = INFINITY;
    size_t at = 0;
    for (size_t i = 0; i < n_prog * n_groups; i++)
        if (isfinite(ratios[i]) && ratios[i] < lowest)
            lowest = ratios[i], at = i;
    char who[96];
    int used = snprintf(text, size,
                        "1 (the dashed line) means a group makes up the same share of a program's students as of "
                        "the whole high school; below 1 it is under-represented, above 1 over-represented.");
    if (isfinite(lowest) && used > 0 && (size_t)used < size)
        snprintf(text + used, size - (size_t)used, "  Most under-represented: %s students in %s (%.2f).",
                 spoken(who, sizeof who, r->dims[AS_D_SUBGROUP].labels[at % n_groups + 1]),
                 r->dims[AS_D_PATHWAY].labels[at / n_groups], lowest);
}

static void representation_table(page *pg, const double *ratios, size_t n_prog, size_t n_groups)
{
    const as_results *r = pg->base;
    const char *heads[64] = {"Program"};
    size_t shown = n_groups < 63 ? n_groups : 63;
    for (size_t g = 0; g < shown; g++)
        heads[g + 1] = r->dims[AS_D_SUBGROUP].labels[g + 1];
    table_begin(pg, "Representation ratio of each group in each program (1 = proportional)", heads, shown + 1);
    char cells[64][CELL];
    for (size_t j = 0; j < n_prog; j++) {
        for (size_t g = 0; g < shown; g++)
            as_words_fixed(cells[g], CELL, ratios[j * n_groups + g], 2);
        table_row(pg, cells, shown, r->dims[AS_D_PATHWAY].labels[j]);
    }
    table_end(pg);
}

static void write_representation(page *pg, size_t n_groups)
{
    const as_results *r = pg->base;
    size_t n_prog = r->dims[AS_D_PATHWAY].len - 1;
    double *ratios = malloc((n_prog * n_groups + 1) * sizeof *ratios);
    if (!ratios)
        return;
    double most = 0;
    for (size_t j = 0; j < n_prog; j++)
        for (size_t g = 0; g < n_groups; g++) {
            double v = as_metrics_representation(r, j, g + 1, AS_MEAN, AS_ALL_YEARS);
            ratios[j * n_groups + g] = v;
            if (isfinite(v))
                most = fmax(most, v);
        }
    as_svg_dots_spec spec = {.row_labels = (const char *const *)r->dims[AS_D_PATHWAY].labels, .n_rows = n_prog,
                             .group_names = (const char *const *)r->dims[AS_D_SUBGROUP].labels + 1,
                             .n_groups = n_groups, .values = ratios,
                             .x_max = fmin(4, fmax(2, ceil(most * 2) / 2)), .reference_x = 1};
    as_svg_chart chart = {"chart-representation", "Representation of each group in each program",
                          "For each program, one dot per student group: its share of the program's students "
                          "divided by its share of all high-school students."};
    char caption[TEXT];
    representation_caption(pg, ratios, n_prog, n_groups, caption, sizeof caption);
    figure_begin(pg);
    as_svg_dots(pg->f, &chart, &spec);
    figure_end(pg, caption);
    representation_table(pg, ratios, n_prog, n_groups);
    free(ratios);
}

static void write_equity(page *pg)
{
    const as_results *r = pg->base;
    size_t n_groups = r->dims[AS_D_SUBGROUP].len;
    heading(pg, 2, "equity", "Equity: who takes part and who finishes");
    if (n_groups <= 1) {
        para(pg, "note", "This scenario defines no student groups (subgroups), so there are no gaps to show.");
        return;
    }
    para(pg, "note", "Each measure over all years, for all students and for each group of students.");
    write_equity_rates(pg, n_groups);
    if (r->dims[AS_D_PATHWAY].len > 1)
        write_representation(pg, n_groups - 1);
}

/* ---- what each proposal changes ---------------------------------------------------------------------------- */

enum style { H_COUNT, H_POINTS, H_INDEX, H_MONEY, H_MONEY_SHORT /* "$40.1M", for a chart */ };

typedef struct headline {
    const char *metric;
    int final_year;           /* 1: the final year's row; 0: all years */
    int style;                /* enum style */
    const char *noun;         /* a heading, and the subject of "no change in ..." */
    const char *more, *fewer; /* a sentence with %s for the size of the change */
} headline;

static const headline headlines[] = {
    {"graduates", 0, H_COUNT, "high-school graduates", "about %s more students would graduate from high school",
     "about %s fewer students would graduate from high school"},
    {"pathway_completers", 0, H_COUNT, "pathway completers", "about %s more students would complete a pathway",
     "about %s fewer students would complete a pathway"},
    {"graduates_with_college_credit", 0, H_COUNT, "graduates with college credit",
     "about %s more students would graduate with college credit",
     "about %s fewer students would graduate with college credit"},
    {"graduates_with_college_credit_share", 0, H_POINTS, "the share of graduates with college credit",
     "the share of graduates with college credit would be about %s percentage points higher",
     "the share of graduates with college credit would be about %s percentage points lower"},
    {"credentials", 0, H_COUNT, "credentials earned",
     "about %s more credentials would be earned (certifications, college awards, apprenticeships)",
     "about %s fewer credentials would be earned"},
    {"wbl_participants", 0, H_COUNT, "work-based learning placements",
     "about %s more work-based learning placements would be filled",
     "about %s fewer work-based learning placements would be filled"},
    {"apprenticeship_starts", 0, H_COUNT, "apprenticeship starts",
     "about %s more registered apprenticeships would start", "about %s fewer registered apprenticeships would start"},
    {"pipeline_supply", 1, H_COUNT, "local workers entering their field (final year)",
     "by the final year, about %s more local workers a year would enter jobs in their field",
     "by the final year, about %s fewer local workers a year would enter jobs in their field"},
    {"alignment_index", 1, H_INDEX, "the alignment index (final year)",
     "the alignment index of the final year would be about %s higher",
     "the alignment index of the final year would be about %s lower"},
    {"cost", 0, H_MONEY, "program cost", "the programs would cost about %s more",
     "the programs would cost about %s less"},
};
#define N_HEADLINES (sizeof headlines / sizeof headlines[0])

static const as_compare_row *headline_row(const page *pg, size_t i, const headline *h)
{
    return as_compare_find(&pg->cmp[i], h->metric, "all", h->final_year ? pg->base->start_year + pg->last : 0);
}

static const char *amount(char *buf, size_t size, double x, int style)
{
    switch (style) {
    case H_POINTS: as_words_fixed(buf, size, fabs(x), fabs(x) >= 0.1 || x == 0 ? 1 : 3); break;
    case H_INDEX: as_words_fixed(buf, size, fabs(x), 4); break;
    case H_MONEY: as_words_money(buf, size, fabs(x)); break;
    case H_MONEY_SHORT:
        if (fabs(x) >= 1e6)
            snprintf(buf, size, "$%.1fM", fabs(x) / 1e6);
        else
            as_words_money(buf, size, fabs(x));
        break;
    default: as_words_about(buf, size, fabs(x)); break;
    }
    return buf;
}

static const char *signed_amount(char *buf, size_t size, double x, int style)
{
    char a[56];
    amount(a, sizeof a, x, style);
    snprintf(buf, size, "%s%s", x > 0 ? "+" : x < 0 ? "-" : "", a);
    return buf;
}

static const char *interval(char *buf, size_t size, const as_compare_row *row, int style)
{
    char lo[64], hi[64];
    snprintf(buf, size, "%s to %s", signed_amount(lo, sizeof lo, row->diff.lo, style),
             signed_amount(hi, sizeof hi, row->diff.hi, style));
    return buf;
}

static void effect_sentence(const headline *h, const as_compare_row *row, char *text, size_t size)
{
    char how_much[64], range[160], sentence[512];
    interval(range, sizeof range, row, h->style);
    if (row->distinguishable) {
        snprintf(sentence, sizeof sentence, row->diff.mean > 0 ? h->more : h->fewer,
                 amount(how_much, sizeof how_much, row->diff.mean, h->style));
        snprintf(text, size, "%s (95%% interval: %s).", sentence, range);
    } else {
        snprintf(text, size, "no change in %s that can be told apart from chance (95%% interval: %s).", h->noun,
                 range);
    }
}

static void write_effect_words(page *pg, size_t i)
{
    const as_results *r = pg->base;
    char text[TEXT];
    heading(pg, 3, NULL, pg->name[i]);
    snprintf(text, sizeof text, "If the district adopts %s instead of %s, then over %d to %d:", pg->name[i],
             pg->name[0], r->start_year, r->start_year + pg->last);
    para(pg, "lede", text);
    fputs("<ul class=\"effects\">\n", pg->f);
    for (size_t k = 0; k < N_HEADLINES; k++) {
        const as_compare_row *row = headline_row(pg, i, &headlines[k]);
        if (!row)
            continue;
        effect_sentence(&headlines[k], row, text, sizeof text);
        element(pg, "<li>", text, "</li>\n");
    }
    const as_compare_row *per = as_compare_find(&pg->cmp[i], "cost_per_additional_credential", "all", 0);
    if (per && isfinite(per->diff.mean) && per->diff.mean > 0) {
        char m[64], lo[64], hi[64];
        snprintf(text, sizeof text, "each additional credential would cost about %s (95%% interval: %s to %s).",
                 as_words_money(m, sizeof m, per->diff.mean), as_words_money(lo, sizeof lo, per->diff.lo),
                 as_words_money(hi, sizeof hi, per->diff.hi));
        element(pg, "<li>", text, "</li>\n");
    }
    fputs("</ul>\n", pg->f);
}

/* Adds the chart row of run i for row (scale filled later). */
static as_svg_effect_row effect_row(const page *pg, size_t i, const as_compare_row *row, int style, char *value,
                                    size_t size)
{
    char d[64], range[160];
    if (style == H_MONEY)
        style = H_MONEY_SHORT;
    snprintf(value, size, "%s (%s)", signed_amount(d, sizeof d, row->diff.mean, style),
             interval(range, sizeof range, row, style));
    return (as_svg_effect_row){.label = pg->name[i], .value_text = value, .mean = row->diff.mean,
                               .lo = row->diff.lo, .hi = row->diff.hi, .distinguishable = row->distinguishable};
}

/* Gives rows [from, to) one scale: the largest distance from 0 among them. */
static void share_scale(as_svg_effect_row *rows, size_t from, size_t to)
{
    double most = 0;
    for (size_t k = from; k < to; k++)
        most = fmax(most, fmax(fabs(rows[k].mean), fmax(fabs(rows[k].lo), fabs(rows[k].hi))));
    for (size_t k = from; k < to; k++)
        rows[k].scale = most > 0 ? most * 1.05 : 1;
}

/* A level (not a change) in the style of its measure; H_POINTS levels are percentages. */
static const char *level_text(char *buf, size_t size, double x, int style)
{
    switch (style) {
    case H_POINTS: as_words_percent(buf, size, x / 100); break;
    case H_INDEX: as_words_fixed(buf, size, x, 4); break;
    case H_MONEY: as_words_money(buf, size, x); break;
    default: as_words_count(buf, size, x); break;
    }
    return buf;
}

static const char *const effects_heads[] = {"Scenario", "Base", "Proposal", "Difference", "95% interval",
                                            "Distinguishable"};
#define EFFECTS_COLUMNS 6

static void effects_table_row(page *pg, size_t i, const as_compare_row *row, int style)
{
    char cells[EFFECTS_COLUMNS - 1][CELL], range[160];
    level_text(cells[0], CELL, row->base.mean, style);
    level_text(cells[1], CELL, row->proposal.mean, style);
    signed_amount(cells[2], CELL, row->diff.mean, style);
    snprintf(cells[3], CELL, "%s", interval(range, sizeof range, row, style));
    snprintf(cells[4], CELL, "%s", row->distinguishable ? "yes" : "no");
    table_row(pg, cells, EFFECTS_COLUMNS - 1, pg->name[i]);
}

/* One group of rows of an effects chart and table: a metric and category of
 * the comparisons, with one row per proposal under a heading. */
typedef struct effect_group {
    const char *heading;
    const char *metric, *category;
    int year;       /* calendar year, or 0 for all years */
    int style;      /* enum style */
} effect_group;

typedef struct effect_figure {
    as_svg_chart chart;
    const char *caption, *table_caption;
    int one_scale;  /* 1: every row on one scale (same unit); 0: one scale per group */
} effect_figure;

static void write_effect_figure(page *pg, const effect_figure *fig, const effect_group *groups, size_t n)
{
    size_t most = n * pg->n;
    as_svg_effect_row *rows = calloc(most + 1, sizeof *rows);
    char (*values)[CELL] = calloc(most + 1, sizeof *values);
    if (!rows || !values) {
        free(rows);
        free(values);
        return;
    }
    size_t k = 0;
    for (size_t g = 0; g < n; g++) {
        rows[k++] = (as_svg_effect_row){.label = groups[g].heading, .heading = 1};
        size_t first = k;
        for (size_t i = 1; i < pg->n; i++) {
            const as_compare_row *row = as_compare_find(&pg->cmp[i], groups[g].metric, groups[g].category,
                                                        groups[g].year);
            if (row) {
                rows[k] = effect_row(pg, i, row, groups[g].style, values[k], sizeof values[k]);
                k++;
            }
        }
        if (!fig->one_scale)
            share_scale(rows, first, k);
    }
    if (fig->one_scale)
        share_scale(rows, 0, k);
    figure_begin(pg);
    as_svg_effects(pg->f, &fig->chart, rows, k);
    figure_end(pg, fig->caption);
    table_begin(pg, fig->table_caption, effects_heads, EFFECTS_COLUMNS);
    for (size_t g = 0; g < n; g++) {
        table_group(pg, groups[g].heading, EFFECTS_COLUMNS);
        for (size_t i = 1; i < pg->n; i++) {
            const as_compare_row *row = as_compare_find(&pg->cmp[i], groups[g].metric, groups[g].category,
                                                        groups[g].year);
            if (row)
                effects_table_row(pg, i, row, groups[g].style);
        }
    }
    table_end(pg);
    free(rows);
    free(values);
}

static void write_effects_chart(page *pg)
{
    effect_group groups[N_HEADLINES];
    for (size_t h = 0; h < N_HEADLINES; h++)
        groups[h] = (effect_group){headlines[h].noun, headlines[h].metric, "all",
                                   headlines[h].final_year ? pg->base->start_year + pg->last : 0,
                                   headlines[h].style};
    static const effect_figure fig = {
        {"chart-effects", "What each proposal changes, against the base",
         "For each measure, one line per proposal: the average difference from the base (dot) and its 95% "
         "interval (line).  Solid: a change that can be told apart from chance."},
        "Each measure has its own scale, centred on no change (the vertical line).  A filled dot marks a change "
        "whose 95% interval leaves out zero; a hollow grey dot, a change too small to tell apart from chance.",
        "Differences from the base (proposal minus base, paired by replication)", 0};
    write_effect_figure(pg, &fig, groups, N_HEADLINES);
}

static void write_effects_by_group(page *pg)
{
    const as_dim *subgroups = &pg->base->dims[AS_D_SUBGROUP];
    effect_group *groups = calloc(subgroups->len + 1, sizeof *groups);
    if (!groups)
        return;
    for (size_t g = 0; g < subgroups->len; g++)
        groups[g] = (effect_group){subgroups->labels[g], "graduates_with_college_credit_share",
                                   subgroups->labels[g], 0, H_POINTS};
    static const effect_figure fig = {
        {"chart-effects-groups", "Change in the share of graduates with college credit, by group",
         "For each student group, one line per proposal: the change in percentage points of the share of its "
         "graduates with college credit, with its 95% interval."},
        "Who gains: every group shares one scale here, in percentage points, so the lines compare directly.  A "
        "proposal narrows a gap when a group below all students gains more than all students do.",
        "Share of graduates with college credit, by group (differences in percentage points)", 1};
    write_effect_figure(pg, &fig, groups, subgroups->len);
    free(groups);
}

static void write_effects(page *pg)
{
    heading(pg, 2, "effects", "What each proposal changes");
    para(pg, "note", "Differences are proposal minus base, over the same simulated students, averaged over "
                     "replications, with a 95% interval.  A change whose interval includes zero cannot be told "
                     "apart from chance.");
    for (size_t i = 1; i < pg->n; i++)
        write_effect_words(pg, i);
    write_effects_chart(pg);
    if (pg->base->dims[AS_D_SUBGROUP].len > 1)
        write_effects_by_group(pg);
}

/* ---- about the numbers ------------------------------------------------------------------------------------ */

static void write_method(page *pg)
{
    static const char *const terms[][2] = {
        {"Replications and intervals",
         "The simulation is run several times with different chance events (replications).  A number is the "
         "average over replications; a 95% interval is the mean plus or minus Student's t (replications - 1 "
         "degrees of freedom) times the standard error."},
        {"Paired comparison",
         "A proposal and its base use the same random draws for the same student (common random numbers), so "
         "the difference is taken replication by replication and its interval is narrow."},
        {"Local pipeline supply",
         "People entering work with a credential of these programs, allocated to occupations through the "
         "NCES CIP-SOC crosswalk, times the share who work in their field."},
        {"Openings", "BLS annual openings (growth, people leaving the labor force and people changing "
                     "occupations), scaled to the region."},
        {"Alignment index",
         "1 - (sum over occupations of |openings - supply|) / (sum of openings), over occupations with openings; "
         "supply is local pipeline plus other supply.  1 is a perfect match.  An occupation is under-supplied "
         "when supply / openings is below 0.9, over-supplied above 1.1, balanced between."},
        {"Equity rates",
         "Participation: share of high-school student-years spent in a pathway program.  Completion, industry "
         "credential, college credit: share of graduates.  Dual enrollment and work-based learning: per "
         "student-year.  Representation ratio: a group's share of a program's students over its share of all "
         "high-school students."},
        {"Cost", "Cost per seat-year: dollars of an item over the student-years (or placements, credentials, "
                 "apprentice-years) that incur it.  Cost per additional credential: extra cost over extra "
                 "credentials of a proposal, with a delta-method interval."},
        {"Earnings", "Yearly earnings of the year's new pipeline workers at the BLS median wage of their "
                     "occupation."},
    };
    heading(pg, 2, "method", "About these numbers");
    fputs("<dl>\n", pg->f);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        element(pg, "<dt>", terms[i][0], "</dt>");
        element(pg, "<dd>", terms[i][1], "</dd>\n");
    }
    fputs("</dl>\n</main>\n</body>\n</html>\n", pg->f);
}

/* ---- assembling ------------------------------------------------------------------------------------------ */

/* Name and description from the scenario text; the file name when absent. */
static void read_words(page *pg, size_t i)
{
    const as_report_run *run = &pg->runs[i];
    cJSON *json = run->scenario_json ? cJSON_Parse(run->scenario_json) : NULL;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(json, "description");
    if (cJSON_IsString(name) && name->valuestring[0]) {
        snprintf(pg->name[i], sizeof pg->name[i], "%s", name->valuestring);
    } else {
        const char *base = strrchr(run->path, '/');
        snprintf(pg->name[i], sizeof pg->name[i], "%s", base ? base + 1 : run->path);
        char *dot = strrchr(pg->name[i], '.');
        if (dot && !strcmp(dot, ".h5"))
            *dot = '\0';
    }
    pg->description[i] = cJSON_IsString(desc) ? strdup(desc->valuestring) : NULL;
    cJSON_Delete(json);
}

static void free_page(page *pg)
{
    for (size_t i = 0; i < pg->n; i++) {
        free(pg->description[i]);
        as_compare_free(&pg->cmp[i]);
    }
}

int as_report_write(const char *path, const as_report_run *runs, size_t n, as_error *err)
{
    if (n == 0 || n > AS_REPORT_MAX_RUNS)
        return as_error_set(err, AS_EINPUT, path, "a report takes 1 to %d results files", AS_REPORT_MAX_RUNS);
    page *pg = calloc(1, sizeof *pg);
    if (!pg)
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    pg->runs = runs;
    pg->n = n;
    pg->base = runs[0].results;
    pg->last = pg->base->years - 1;
    int rc = AS_OK;
    for (size_t i = 0; i < n; i++)
        read_words(pg, i);
    for (size_t i = 1; i < n && rc == AS_OK; i++)
        rc = as_compare_build(pg->base, runs[i].results, &pg->cmp[i], err);
    as_outfile out;
    if (rc == AS_OK && (rc = as_outfile_open(&out, path, err)) == AS_OK) {
        pg->f = out.f;
        write_head(pg);
        write_intro(pg);
        write_glance(pg);
        write_supply(pg);
        write_pathways(pg);
        write_equity(pg);
        if (n > 1)
            write_effects(pg);
        write_method(pg);
        rc = as_outfile_commit(&out, err);
    }
    free_page(pg);
    free(pg);
    return rc;
}
