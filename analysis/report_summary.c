/*
 * report_summary.c - the top of the report: the executive summary (each
 * proposal's main effects in a sentence each, or with one run its key
 * levels) and the table of assumptions (what is data, what comes from the
 * source documents, what is an illustrative ASSUMPTION).
 */
#include "report_page.h"
#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics.h"
#include "stats.h"
#include "words.h"

/* ---- the executive summary --------------------------------------------------------------------------------- */

/* A main effect: a row of the comparisons (metric NULL: supply into the
 * occupations under-supplied in the base, computed here). */
typedef struct main_effect {
    const char *metric, *category;
    int final_year;    /* 1: the final year; 0: all years */
    int style;         /* enum rp_style */
    const char *what;
} main_effect;

static const main_effect main_effects[] = {
    {"credentials", "all", 0, RP_COUNT, "Credentials earned (all kinds)"},
    {"credentials", "industry_certification", 0, RP_COUNT, "Industry certifications earned"},
    {"graduates_with_college_credit", "all", 0, RP_COUNT,
     "Graduates with a postsecondary experience (college credit earned in high school)"},
    {"graduates_with_college_credit_share", "all", 0, RP_POINTS, "Share of graduates with a postsecondary experience"},
    {"credentials", "apprenticeship", 0, RP_COUNT, "Registered apprenticeships completed"},
    {"pathway_completers", "all", 0, RP_COUNT, "Graduates who completed a pathway"},
    {"graduates", "all", 0, RP_COUNT, "High-school graduates"},
    {NULL, "under-supplied", 1, RP_COUNT, "Local pipeline supply into occupations under-supplied in the base"},
    {"pipeline_supply", "all", 1, RP_COUNT, "Local pipeline supply into all occupations (workers a year)"},
    {"alignment_index", "all", 1, RP_INDEX, "Alignment index of supply with openings"},
    {"cost", "all", 0, RP_MONEY, "Cost of all programs"},
};
#define N_MAIN (sizeof main_effects / sizeof main_effects[0])

/* Occupations under-supplied in the base's final year (mean supply), into under[]; returns how many. */
static size_t under_supplied(const page *pg, size_t *under)
{
    const as_results *r = pg->base;
    size_t k = 0;
    for (size_t o = 0; o < r->dims[AS_D_OCCUPATION].len; o++) {
        as_alignment a = as_metrics_occupation(r, o, pg->last, AS_MEAN);
        if (a.openings > 0 && a.band == AS_BAND_UNDER)
            under[k++] = o;
    }
    return k;
}

/* Pipeline supply of replication q into the occupations under[0..k) in year t. */
static double supply_into(const as_results *r, const size_t *under, size_t k, int q, int t)
{
    const double *supply = as_results_at(r, AS_V_SUPPLY, q, t);
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += supply[under[i]];
    return sum;
}

/* The comparison row of supply into the under-supplied occupations of run i
 * against the base.  Returns 0 when there are none (or no memory). */
static int under_supplied_row(const page *pg, size_t i, as_compare_row *row, size_t *n_under)
{
    const as_results *b = pg->base, *p = pg->runs[i].results;
    size_t n_occ = b->dims[AS_D_OCCUPATION].len, reps = (size_t)b->replications;
    size_t *under = as_malloc((n_occ + 1) * sizeof *under);
    double *x = as_malloc((3 * reps + 1) * sizeof *x);
    int ok = under && x && (*n_under = under_supplied(pg, under)) > 0;
    if (ok) {
        for (int q = 0; q < b->replications; q++) {
            x[q] = supply_into(b, under, *n_under, q, pg->last);
            x[reps + (size_t)q] = supply_into(p, under, *n_under, q, pg->last);
            x[2 * reps + (size_t)q] = x[reps + (size_t)q] - x[q];
        }
        memset(row, 0, sizeof *row);
        row->base = as_stats_estimate(x, b->replications);
        row->proposal = as_stats_estimate(x + reps, b->replications);
        row->diff = as_stats_estimate(x + 2 * reps, b->replications);
        row->distinguishable = as_stats_excludes_zero(&row->diff);
    }
    free(under);
    free(x);
    return ok;
}

/* The row of main effect e for run i (cmp[0]: the base against itself), into
 * *own when it is computed here; NULL when the runs have no such row. */
static const as_compare_row *main_row(const page *pg, size_t i, const main_effect *e, as_compare_row *own,
                                      char *what, size_t size)
{
    snprintf(what, size, "%s", e->what);
    if (e->metric)
        return as_compare_find(&pg->cmp[i], e->metric, e->category,
                               e->final_year ? pg->base->start_year + pg->last : 0);
    size_t n_under = 0;
    if (!under_supplied_row(pg, i, own, &n_under))
        return NULL;
    snprintf(what, size, "Local pipeline supply into the %zu occupations under-supplied in %s (workers a year)",
             n_under, pg->name[0]);
    return own;
}

static const char *period(const page *pg, const main_effect *e, char *buf, size_t size)
{
    const as_results *r = pg->base;
    if (e->final_year)
        snprintf(buf, size, "in %d", r->start_year + pg->last);
    else
        snprintf(buf, size, "%d to %d", r->start_year, r->start_year + pg->last);
    return buf;
}

enum verdict { CHANGES, NOISE, NO_EFFECT };

static int verdict(const as_compare_row *row)
{
    return rp_structural_zero(row) ? NO_EFFECT : row->distinguishable ? CHANGES : NOISE;
}

static void change_sentence(const page *pg, size_t i, const main_effect *e, const char *what,
                            const as_compare_row *row, char *text, size_t size)
{
    char when[48], b[64], p[64], d[64], rel[32], range[160];
    period(pg, e, when, sizeof when);
    rp_level(b, sizeof b, row->base.mean, e->style);
    if (verdict(row) == NO_EFFECT) {
        snprintf(text, size, "%s, %s: no effect in this model (%s in both; the same in every replication of both runs).",
                 what, when, b);
        return;
    }
    rp_level(p, sizeof p, row->proposal.mean, e->style);
    rp_signed(d, sizeof d, row->diff.mean, e->style);
    rp_relative_text(rel, sizeof rel, rp_relative(row));
    rp_interval(range, sizeof range, row, e->style);
    snprintf(text, size, "%s, %s: %s with %s against %s in %s, a difference of %s%s (%s; 95%% interval %s)%s.", what,
             when, p, pg->name[i], b, pg->name[0], d, e->style == RP_POINTS ? " percentage points" : "", rel, range,
             row->distinguishable ? "" : ", which cannot be told apart from simulation noise");
}

static void level_sentence(const page *pg, const main_effect *e, const char *what, const as_compare_row *row,
                           char *text, size_t size)
{
    char when[48], b[64], lo[64], hi[64];
    period(pg, e, when, sizeof when);
    rp_level(b, sizeof b, row->base.mean, e->style);
    if (row->base.n < 2 || row->base.hi - row->base.lo <= 0)
        snprintf(text, size, "%s, %s: %s (the same in every replication).", what, when, b);
    else
        snprintf(text, size, "%s, %s: %s (95%% interval %s to %s).", what, when, b,
                 rp_level(lo, sizeof lo, row->base.lo, e->style), rp_level(hi, sizeof hi, row->base.hi, e->style));
}

/* The main effects of run i with verdict v as a list under a heading. */
static void summary_list(page *pg, size_t i, int v, const char *heading)
{
    char text[RP_TEXT], what[RP_CELL];
    int opened = 0;
    for (size_t k = 0; k < N_MAIN; k++) {
        as_compare_row own;
        const as_compare_row *row = main_row(pg, i, &main_effects[k], &own, what, sizeof what);
        if (!row || verdict(row) != v)
            continue;
        if (!opened++) {
            rp_element(pg, "<p class=\"verdict\">", heading, "</p>\n");
            fputs("<ul class=\"summary\">\n", pg->f);
        }
        change_sentence(pg, i, &main_effects[k], what, row, text, sizeof text);
        rp_element(pg, "<li>", text, "</li>\n");
    }
    if (opened)
        fputs("</ul>\n", pg->f);
}

static void summary_of_proposal(page *pg, size_t i)
{
    char text[RP_TEXT];
    if (pg->n > 2)
        rp_heading(pg, 3, NULL, pg->name[i]);
    snprintf(text, sizeof text,
             "What %s changes against %s (difference = %s minus %s, the same simulated students in both):",
             pg->name[i], pg->name[0], pg->name[i], pg->name[0]);
    rp_para(pg, "lede", text);
    summary_list(pg, i, CHANGES, "Changes:");
    summary_list(pg, i, NOISE, "No change that can be told apart from simulation noise:");
    summary_list(pg, i, NO_EFFECT, "No effect in this model (identical in every replication of both runs):");
    if (rp_cost_per_credential(pg, i, text, sizeof text)) {
        text[0] = (char)toupper((unsigned char)text[0]);
        rp_para(pg, "lede", text);
    }
}

static void summary_of_levels(page *pg)
{
    char text[RP_TEXT], what[RP_CELL];
    snprintf(text, sizeof text, "Key numbers of %s (mean over replications):", pg->name[0]);
    rp_para(pg, "lede", text);
    fputs("<ul class=\"summary\">\n", pg->f);
    for (size_t k = 0; k < N_MAIN; k++) {
        as_compare_row own;
        const as_compare_row *row = main_row(pg, 0, &main_effects[k], &own, what, sizeof what);
        if (!row)
            continue;
        level_sentence(pg, &main_effects[k], what, row, text, sizeof text);
        rp_element(pg, "<li>", text, "</li>\n");
    }
    fputs("</ul>\n", pg->f);
}

void rp_write_summary(page *pg)
{
    char text[RP_TEXT], noise[160];
    rp_heading(pg, 2, "summary", "Summary");
    fputs("<section class=\"summary\">\n", pg->f);
    if (pg->n > 1)
        for (size_t i = 1; i < pg->n; i++)
            summary_of_proposal(pg, i);
    else
        summary_of_levels(pg);
    int any_assumed = 0;
    for (size_t o = 0; pg->base->other_supply_assumed && o < pg->base->dims[AS_D_OCCUPATION].len; o++)
        any_assumed |= pg->base->other_supply_assumed[o] > 0;
    snprintf(text, sizeof text,
             "Intervals: %s.  Supply, bands and the alignment index rest on the labor-market assumptions in the "
             "next section%s.",
             rp_noise(pg, noise, sizeof noise),
             any_assumed ? ", above all on other supply, which is an illustrative ASSUMPTION for most occupations"
                         : "");
    rp_para(pg, "note", text);
    fputs("</section>\n", pg->f);
}

/* ---- the assumptions ------------------------------------------------------------------------------------- */

enum kind { K_DOCUMENT, K_DATA, K_ASSUMPTION, K_DATA_ASSUMPTION, K_INPUT, K_NOISE, K_AS_WRITTEN, K_FITTED };
static const char *const kind_words[] = {"FROM THE SOURCE DOCUMENTS", "DATA", "ASSUMPTION", "DATA x ASSUMPTION",
                                         "SCENARIO INPUT", "SIMULATION NOISE", "SOURCES (as written)", "FITTED"};
static const char *const kind_class[] = {"document", "data", "assumption", "assumption", "input", "noise", "input",
                                         "assumption"};

/* A part of the scenario's sources: its kind, where it comes from, and its text. */
typedef struct part {
    int kind;
    char where[RP_TEXT];
    const char *text;   /* into the sources */
    size_t len;
} part;

#define MAX_PARTS 12

static const struct { const char *marker; int kind; } headings[] = {
    {"FROM SEED", K_DOCUMENT}, {"FROM THE DATA", K_DATA}, {"ILLUSTRATIVE ASSUMPTIONS", K_ASSUMPTION},
    {"FITTED by alignsim calibrate", K_FITTED}};

/* The heading that starts at s (at the start of the sources or after a space), or -1. */
static int heading_at(const char *sources, const char *s)
{
    if (s != sources && s[-1] != ' ' && s[-1] != '\n')
        return -1;
    for (size_t h = 0; h < sizeof headings / sizeof headings[0]; h++)
        if (!strncmp(s, headings[h].marker, strlen(headings[h].marker)))
            return (int)h;
    return -1;
}

/* Where a part comes from, from its heading (heading[0..len)): a document's title, the data, or the
 * heading's own words in parentheses. */
static void part_where(part *p, const char *heading, size_t len)
{
    char words[RP_TEXT];
    snprintf(words, sizeof words, "%.*s", (int)len, heading);
    const char *number = strpbrk(words, "0123456789");
    const char *open = strchr(words, '(');
    char *scrubbed = NULL;
    switch (p->kind) {
    case K_DOCUMENT:
        snprintf(p->where, sizeof p->where, "%s", number ? rp_document_title(atoi(number)) : "the source documents");
        if (isalpha((unsigned char)p->where[0]))
            p->where[0] = (char)toupper((unsigned char)p->where[0]);
        break;
    case K_DATA: snprintf(p->where, sizeof p->where, "The data tables that ship with alignsim (data/)"); break;
    case K_FITTED:
        snprintf(p->where, sizeof p->where, "Fitted to observed targets by alignsim calibrate (as good as the "
                                            "targets and the model's other assumptions)");
        break;
    case K_ASSUMPTION:
        scrubbed = open ? rp_scrub(open) : NULL;
        snprintf(p->where, sizeof p->where, "Illustrative%s%s", scrubbed ? " " : ": not from the source documents "
                 "or the data", scrubbed ? scrubbed : "");
        free(scrubbed);
        break;
    default: snprintf(p->where, sizeof p->where, "The scenario's sources"); break;
    }
}

/* Splits sources on its headings into parts[]; returns how many. */
static size_t split_sources(const char *sources, part *parts)
{
    size_t n = 0;
    const char *s = sources, *start = sources;
    int kind = -1;
    while (*s == ' ')
        s++;
    if (!strncasecmp(s, "seed ", 5) && isdigit((unsigned char)s[5])) { /* "Seed 003 (...): ..." */
        const char *colon = strchr(s, ':');
        parts[n] = (part){.kind = K_DOCUMENT};
        part_where(&parts[n], s, colon ? (size_t)(colon - s) : 8);
        start = colon ? colon + 1 : s + 8;
        kind = K_DOCUMENT;
    }
    for (const char *p = start;; p++) {
        int h = *p ? heading_at(sources, p) : -1;
        if (!*p || h >= 0) {
            const char *end = p;
            while (end > start && (end[-1] == ' ' || end[-1] == '.'))
                end--;
            if (end > start && n < MAX_PARTS) {
                if (kind < 0) {
                    parts[n] = (part){.kind = K_AS_WRITTEN};
                    part_where(&parts[n], "", 0);
                }
                parts[n].text = start;
                parts[n].len = (size_t)(end - start);
                while (parts[n].len && *parts[n].text == ' ')
                    parts[n].text++, parts[n].len--;
                n++;
            }
            if (!*p)
                break;
            const char *colon = strchr(p, ':');
            const char *next = p + 1;
            while (*next && heading_at(sources, next) < 0)
                next++;
            size_t len = colon && colon < next ? (size_t)(colon - p) : strlen(headings[h].marker);
            if (n < MAX_PARTS) {
                parts[n] = (part){.kind = headings[h].kind};
                part_where(&parts[n], p, len);
            }
            kind = headings[h].kind;
            start = p + len + (p[len] == ':');
            p = start - 1;
        }
    }
    return n;
}

/* Whether a part of kind `kind` mentions `word`. */
static int mentions(const part *parts, size_t n, int kind, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (parts[i].kind == kind) {
            char *text = as_strndup(parts[i].text, parts[i].len);
            int found = text && strstr(text, word) != NULL;
            free(text);
            if (found)
                return 1;
        }
    return 0;
}

/* One row: kind, what (with as_list, its "; " items as a list when there are several), where. */
static void assumption_row(page *pg, int kind, const char *what, size_t len, int as_list, const char *where)
{
    fprintf(pg->f, "<tr><td class=\"kind %s\">", kind_class[kind]);
    rp_html(pg, kind_words[kind]);
    fputs("</td><td class=\"words\">", pg->f);
    char *text = as_strndup(what, len), *scrubbed = text ? rp_scrub(text) : NULL;
    if (scrubbed) {
        int depth = 0, items = 0;
        for (char *s = scrubbed; *s; s++) {
            depth += (*s == '(') - (*s == ')');
            if (depth == 0 && s[0] == ';' && s[1] == ' ')
                items++;
        }
        if (items == 0 || !as_list) {
            rp_html(pg, scrubbed);
        } else {
            fputs("<ul>", pg->f);
            char *item = scrubbed;
            depth = 0;
            for (char *s = scrubbed;; s++) {
                if (*s)
                    depth += (*s == '(') - (*s == ')');
                if (!*s || (depth == 0 && s[0] == ';' && s[1] == ' ')) {
                    int last = !*s;
                    *s = '\0';
                    rp_element(pg, "<li>", item, "</li>");
                    if (last)
                        break;
                    item = s + 2;
                    s++;
                }
            }
            fputs("</ul>", pg->f);
        }
    }
    free(text);
    free(scrubbed);
    rp_element(pg, "</td><td class=\"words\">", where, "</td></tr>\n");
}

/* What the results and the scenario's parameters say about the labor market: a few rows. */
typedef struct fact {
    int kind;
    char what[RP_TEXT], where[RP_TEXT];
} fact;

#define MAX_FACTS 10

static const char *data_file(const char *ref, char *buf, size_t size)
{
    if (ref && !strncmp(ref, "data:", 5))
        snprintf(buf, size, "data/%s", ref + 5);
    else
        snprintf(buf, size, "%s", ref && *ref ? ref : "(not recorded)");
    return buf;
}

static const char *education_words(double code)
{
    static const char *const words[] = {"", "a doctoral or professional degree", "a master's degree",
                                        "a bachelor's degree", "an associate's degree",
                                        "a postsecondary nondegree award", "some college, no degree",
                                        "a high school diploma", "no formal education"};
    int c = isfinite(code) ? (int)code : 0;
    return c >= 1 && c <= 8 ? words[c] : "(not recorded)";
}

static void openings_fact(const as_labor_params *lm, const part *parts, size_t n_parts, fact *f)
{
    char file[RP_NAME];
    int national = lm->demand_table && strstr(lm->demand_table, "bls_ep_") != NULL;
    int from_data = mentions(parts, n_parts, K_DATA, "regional_share");
    int explained = mentions(parts, n_parts, K_ASSUMPTION, "regional_share");
    f->kind = from_data ? K_DATA : lm->regional_share == 1 && !national ? K_DATA : K_DATA_ASSUMPTION;
    snprintf(f->what, sizeof f->what,
             "Openings a year per occupation: %s (growth, people leaving the labor force and people changing "
             "occupations, %s) x the region's share %g (labor_market.regional_share).  %s",
             national ? "the national BLS Employment Projections table" : "the scenario's table",
             lm->projection ? "following employment growth year by year" : "its annual average every year",
             lm->regional_share,
             from_data                               ? "The share is from the scenario's data sources."
             : lm->regional_share == 1 && !national ? "The table is used as it is."
             : lm->regional_share == 1 ? "The national table stands for the region: an ASSUMPTION."
                                       : "The share is the scenario's ASSUMPTION, not a regional table.");
    snprintf(f->where, sizeof f->where, "Table: %s (DATA).  Share: the scenario%s",
             data_file(lm->demand_table, file, sizeof file),
             explained ? ", which explains it among its illustrative assumptions" : "");
}

static size_t other_supply_facts(const page *pg, size_t i, const as_labor_params *lm, const part *parts,
                                 size_t n_parts, fact *f)
{
    const as_results *r = pg->runs[i].results;
    size_t n_occ = r->dims[AS_D_OCCUPATION].len, n_assumed = 0, k = 0;
    for (size_t o = 0; r->other_supply_assumed && o < n_occ; o++)
        n_assumed += r->other_supply_assumed[o] > 0;
    if (n_assumed) {
        f[k].kind = K_ASSUMPTION;
        snprintf(f[k].what, sizeof f[k].what,
                 "Other supply (other colleges, people moving in) of %zu of the %zu occupations: ASSUMED to be %g%% "
                 "of their openings (labor_market.other_supply_share), illustrative and not calibrated.  It "
                 "decides their gaps, bands and the alignment index.",
                 n_assumed, n_occ, 100 * lm->other_supply_share);
        snprintf(f[k].where, sizeof f[k].where,
                 "The scenario's quick-start default, flagged in the results file (other_supply_assumed)");
        k++;
    }
    if (lm->other_supply.n) {
        int illustrative = mentions(parts, n_parts, K_ASSUMPTION, "other supply") ||
                           mentions(parts, n_parts, K_ASSUMPTION, "other_supply");
        f[k].kind = illustrative ? K_ASSUMPTION : K_INPUT;
        snprintf(f[k].what, sizeof f[k].what,
                 "Other supply of %zu occupations given by the scenario in workers a year "
                 "(labor_market.other_supply)%s.",
                 lm->other_supply.n, illustrative ? ": an ASSUMPTION, listed among its illustrative assumptions" : "");
        snprintf(f[k].where, sizeof f[k].where, "The scenario");
        k++;
    }
    if (lm->completions && lm->completions[0]) {
        char file[RP_NAME];
        f[k].kind = K_DATA;
        snprintf(f[k].what, sizeof f[k].what,
                 "Other supply from other institutions' completions (a table in the IPEDS layout), through the "
                 "crosswalk and the entry rules (labor_market.completions).");
        snprintf(f[k].where, sizeof f[k].where, "%s", data_file(lm->completions, file, sizeof file));
        k++;
    }
    if (lm->in_migration.n) {
        f[k].kind = K_INPUT;
        snprintf(f[k].what, sizeof f[k].what,
                 "In-migration into %zu occupations, in workers a year (labor_market.in_migration).",
                 lm->in_migration.n);
        snprintf(f[k].where, sizeof f[k].where, "The scenario");
        k++;
    }
    if (k == 0) {
        f[k].kind = K_INPUT;
        snprintf(f[k].what, sizeof f[k].what,
                 "Other supply: none is assumed (labor_market.other_supply_share %g); gaps set openings against the "
                 "local pipeline and the other supply the scenario gives.",
                 lm->other_supply_share);
        snprintf(f[k].where, sizeof f[k].where, "The scenario");
        k++;
    }
    return k;
}

/* Programs of the scenario that set their own in-field share: "N programs set their own (A 0, B 0.5)". */
static void own_in_field(const page *pg, size_t i, char *buf, size_t size)
{
    static const char *const keys[] = {"credentials", "postsecondary", "apprenticeships"};
    size_t n = 0, used = 0;
    buf[0] = '\0';
    char list[768] = "";
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const cJSON *item;
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(pg->scenario[i], keys[k]))
        {
            const cJSON *share = cJSON_GetObjectItemCaseSensitive(item, "in_field_share");
            if (!cJSON_IsNumber(share))
                continue;
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
            if (n++ < 3 && used < sizeof list)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s %g", n > 1 ? "; " : "",
                                         cJSON_IsString(name) ? name->valuestring : item->string, share->valuedouble);
        }
    }
    if (n)
        snprintf(buf, size, "  %zu programs set their own share (%s%s).", n, list, n > 3 ? "; ..." : "");
}

static void in_field_fact(const page *pg, size_t i, const as_labor_params *lm, const part *parts, size_t n_parts,
                          fact *f)
{
    char own[1024];
    own_in_field(pg, i, own, sizeof own);
    f->kind = mentions(parts, n_parts, K_DATA, "in_field_share") ? K_DATA : K_ASSUMPTION;
    snprintf(f->what, sizeof f->what,
             "In-field share: %g%% of a program's completers work in an occupation their credential leads to "
             "(labor_market.in_field_share)%s.%s",
             100 * lm->in_field_share,
             lm->entry_rules.enabled ? "; registered-apprenticeship completers work in their trade in full" : "",
             own);
    snprintf(f->where, sizeof f->where, "The scenario%s",
             mentions(parts, n_parts, K_ASSUMPTION, "in_field_share") ? ", among its illustrative assumptions" : "");
}

static void entry_rules_fact(const page *pg, size_t i, const as_labor_params *lm, fact *f)
{
    const as_entry_rules *e = &lm->entry_rules;
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(pg->scenario[i], "labor_market"), "entry_rules");
    f->kind = K_ASSUMPTION;
    if (!e->enabled) {
        snprintf(f->what, sizeof f->what,
                 "Entry rules OFF (labor_market.entry_rules.enabled false): a credential supplies every occupation "
                 "its CIP code links to in the crosswalk, experience-gated ones included, and an apprenticeship "
                 "completer counts as the in-field share of a worker.");
    } else {
        static const char *const experience[] = {
            ("Occupations that need related work experience (BLS: less than 5 years, or 5 years or more) get no "
             "pipeline supply: their workers come from other occupations."),
            "Occupations that need 5 years or more of related work experience get no pipeline supply.",
            "Related work experience is not required."};
        int x = e->work_experience >= 0 && e->work_experience <= 2 ? e->work_experience : 0;
        snprintf(f->what, sizeof f->what,
                 "Entry rules: a new holder of an industry certification may enter occupations whose typical entry "
                 "education (BLS) is %s or less; of a certificate, %s or less; of an associate degree, %s or less; of "
                 "a bachelor's degree, %s or less.  %s  %s",
                 education_words(e->education[0]), education_words(e->education[1]),
                 education_words(e->education[2]), education_words(e->education[3]), experience[x],
                 e->apprentices_only ? "Occupations trained by apprenticeship take only apprenticeship completers."
                                     : "Occupations trained by apprenticeship also take other entrants, as "
                                       "trainees.");
    }
    snprintf(f->where, sizeof f->where,
             "A rule of the model (labor_market.entry_rules, %s) applied to the BLS table's entry education, work "
             "experience and on-the-job training columns (DATA)",
             set ? "set by the scenario" : "the model's defaults");
}

static size_t labor_facts(const page *pg, size_t i, const part *parts, size_t n_parts, fact *f)
{
    const as_params *p = pg->params[i];
    size_t k = 0;
    if (!p) {
        f[k].kind = K_AS_WRITTEN;
        snprintf(f[k].what, sizeof f[k].what,
                 "The labor-market settings (regional share, other supply, in-field share, entry rules) are not "
                 "recorded in a form this version reads: the results file has no scenario, or an older one.");
        snprintf(f[k].where, sizeof f[k].where, "%s", pg->runs[i].path);
        return 1;
    }
    const as_labor_params *lm = &p->labor;
    char file[RP_NAME];
    openings_fact(lm, parts, n_parts, &f[k++]);
    k += other_supply_facts(pg, i, lm, parts, n_parts, &f[k]);
    in_field_fact(pg, i, lm, parts, n_parts, &f[k++]);
    entry_rules_fact(pg, i, lm, &f[k++]);
    f[k].kind = K_DATA;
    snprintf(f[k].what, sizeof f[k].what,
             "Credentials reach occupations through the CIP-SOC crosswalk; wages are the BLS median annual wage of "
             "each occupation.");
    snprintf(f[k].where, sizeof f[k].where, "%s (labor_market.crosswalk); the BLS table above",
             data_file(lm->crosswalk, file, sizeof file));
    k++;
    return k;
}

/* The parts of run i's sources; returns how many. */
static size_t sources_of(const page *pg, size_t i, part *parts)
{
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(pg->scenario[i], "sources");
    return cJSON_IsString(sources) ? split_sources(sources->valuestring, parts) : 0;
}

/* The rows of run i: its sources, split, then the labor-market facts (for a
 * proposal, only those that differ from the base's; a proposal's labor
 * market is mostly the base's, so the base's sources say what is assumed). */
static void assumptions_of(page *pg, size_t i, const fact *base_facts, size_t n_base)
{
    part parts[2 * MAX_PARTS];
    size_t n_parts = sources_of(pg, i, parts), n_known = n_parts;
    if (i > 0)
        n_known += sources_of(pg, 0, parts + n_parts);
    if (n_parts == 0)
        assumption_row(pg, K_AS_WRITTEN, "This scenario gives no sources.", 31, 0, "The scenario");
    for (size_t k = 0; k < n_parts; k++)
        assumption_row(pg, parts[k].kind, parts[k].text, parts[k].len, 1, parts[k].where);
    fact facts[MAX_FACTS];
    size_t n = labor_facts(pg, i, parts, n_known, facts), shown = 0;
    for (size_t k = 0; k < n; k++) {
        int same = 0;
        for (size_t b = 0; base_facts && b < n_base; b++)
            same |= !strcmp(base_facts[b].what, facts[k].what);
        if (!same) {
            assumption_row(pg, facts[k].kind, facts[k].what, strlen(facts[k].what), 0, facts[k].where);
            shown++;
        }
    }
    if (base_facts && !shown)
        assumption_row(pg, K_INPUT, "Openings, other supply, in-field share and entry rules: as in the base.", 72, 0,
                       pg->name[0]);
}

void rp_write_assumptions(page *pg)
{
    char text[RP_TEXT], noise[160];
    rp_heading(pg, 2, "assumptions", "What this rests on: data, source documents and assumptions");
    rp_para(pg, "note",
            "DATA: published tables that ship with alignsim.  FROM THE SOURCE DOCUMENTS: programs and figures the "
            "district's or the agencies' documents give.  ASSUMPTION: a number chosen to make the scenario run, "
            "not measured; change it to a local figure and rerun.  The results can be no better than the "
            "assumptions they rest on.");
    static const char *const heads[] = {"Kind", "What", "Where it comes from"};
    fputs("<div class=\"table long\"><table class=\"assumptions\">\n<caption>", pg->f);
    rp_html(pg, "Data, source documents and assumptions of each scenario");
    fputs("</caption>\n<colgroup><col class=\"kind\"><col class=\"what\"><col class=\"where\"></colgroup>\n"
          "<thead><tr>", pg->f);
    for (size_t h = 0; h < 3; h++)
        rp_element(pg, "<th scope=\"col\">", heads[h], "</th>");
    fputs("</tr></thead>\n<tbody>\n", pg->f);
    fact base_facts[MAX_FACTS];
    part parts[MAX_PARTS];
    size_t n_base = labor_facts(pg, 0, parts, sources_of(pg, 0, parts), base_facts);
    for (size_t i = 0; i < pg->n; i++) {
        if (pg->n > 1) {
            snprintf(text, sizeof text, "%s%s", pg->name[i], i == 0 ? " (the base)" : " (a proposal: what it adds)");
            rp_table_group(pg, text, 3);
        }
        assumptions_of(pg, i, i == 0 ? NULL : base_facts, n_base);
    }
    snprintf(text, sizeof text,
             "Every interval in this report is a %s: it does not include the uncertainty of the data or of the "
             "assumptions above.", rp_noise(pg, noise, sizeof noise));
    assumption_row(pg, K_NOISE, text, strlen(text), 0, "The replications of the simulation");
    rp_table_end(pg);
}
