#include "compare.h"
#include "alloc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "outfile.h"
#include "words.h"

/* ---- can the two runs be paired? ------------------------------------------------------------------------ */

static int refuse(as_error *err, const char *base_name, const char *proposal_name, const char *what)
{
    return as_error_set(err, AS_EINPUT, NULL,
                        "cannot compare %s and %s: %s; a paired comparison needs runs with the same seed, "
                        "replications, start year, years and occupations",
                        base_name, proposal_name, what);
}

int as_compare_check(const as_results *b, const char *base_name, const as_results *p, const char *proposal_name,
                     as_error *err)
{
    char what[512];
    if (b->seed != p->seed)
        snprintf(what, sizeof what, "their seeds differ (%u vs %u)", (unsigned)b->seed, (unsigned)p->seed);
    else if (b->replications != p->replications)
        snprintf(what, sizeof what, "their replications differ (%d vs %d)", b->replications, p->replications);
    else if (b->start_year != p->start_year)
        snprintf(what, sizeof what, "their start years differ (%d vs %d)", b->start_year, p->start_year);
    else if (b->years != p->years)
        snprintf(what, sizeof what, "their numbers of years differ (%d vs %d)", b->years, p->years);
    else if (b->dims[AS_D_OCCUPATION].len != p->dims[AS_D_OCCUPATION].len)
        snprintf(what, sizeof what, "their occupation lists differ (%zu vs %zu occupations)",
                 b->dims[AS_D_OCCUPATION].len, p->dims[AS_D_OCCUPATION].len);
    else {
        for (size_t o = 0; o < b->dims[AS_D_OCCUPATION].len; o++)
            if (strcmp(b->dims[AS_D_OCCUPATION].labels[o], p->dims[AS_D_OCCUPATION].labels[o]) != 0) {
                snprintf(what, sizeof what, "their occupation lists differ (occupation %zu is %s vs %s)", o + 1,
                         b->dims[AS_D_OCCUPATION].labels[o], p->dims[AS_D_OCCUPATION].labels[o]);
                return refuse(err, base_name, proposal_name, what);
            }
        return AS_OK;
    }
    return refuse(err, base_name, proposal_name, what);
}

/* ---- the metrics ----------------------------------------------------------------------------------------- */

enum kind { M_SUM, M_RATE, M_ALIGNMENT, M_COST_PER_ADDITIONAL };
enum category_role { CAT_NONE, CAT_LABEL, CAT_SUBGROUP };

typedef struct measure {
    const char *metric, *unit;
    char category[96], title[160];
    int t;                 /* year index or AS_ALL_YEARS */
    int kind;              /* enum kind */
    int role;              /* what the category selects: enum category_role */
    as_selection num, den; /* label or subgroup filled from category when evaluated */
    double scale;          /* 100 for percentages */
} measure;

typedef struct measures {
    size_t n, cap;
    measure *items;
    int failed;
} measures;

static measure *add(measures *L, const char *metric, const char *unit, int kind, int t)
{
    if (L->failed)
        return NULL;
    if (L->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 64;
        measure *items = as_realloc(L->items, cap * sizeof *items);
        if (!items) {
            L->failed = 1;
            return NULL;
        }
        L->items = items;
        L->cap = cap;
    }
    measure *m = &L->items[L->n++];
    memset(m, 0, sizeof *m);
    m->metric = metric;
    m->unit = unit;
    m->kind = kind;
    m->t = t;
    m->scale = 1;
    snprintf(m->category, sizeof m->category, "all");
    return m;
}

static void add_sum(measures *L, const char *metric, const char *unit, int var, int pick, int t)
{
    measure *m = add(L, metric, unit, M_SUM, t);
    if (m)
        m->num = (as_selection){.var = var, .pick = pick};
}

static void add_labelled(measures *L, const char *metric, const char *unit, int var, const char *label, int t)
{
    measure *m = add(L, metric, unit, M_SUM, t);
    if (m) {
        m->num = (as_selection){.var = var, .pick = AS_PICK_LABEL};
        m->role = CAT_LABEL;
        snprintf(m->category, sizeof m->category, "%s", label);
    }
}

static void add_college_credit_share(measures *L, const char *subgroup, int t)
{
    measure *m = add(L, "graduates_with_college_credit_share", "percent of graduates", M_RATE, t);
    if (m) {
        m->num = (as_selection){.var = AS_V_GRADS_POSTSEC_EXPERIENCE, .pick = AS_PICK_ALL};
        m->den = (as_selection){.var = AS_V_GRADUATES, .pick = AS_PICK_ALL};
        m->role = CAT_SUBGROUP;
        m->scale = 100;
        snprintf(m->category, sizeof m->category, "%s", subgroup);
    }
}

/* Calls fn for every label of dimension d in b, then those of p that b lacks
 * (skipping "none" pathways when skip_none). */
static void each_label(const as_results *b, const as_results *p, int d, int skip_none, measures *L,
                       void (*fn)(measures *, const char *, const void *), const void *ctx)
{
    for (size_t i = 0; i < b->dims[d].len; i++)
        if (!(skip_none && d == AS_D_PATHWAY && i + 1 == b->dims[d].len))
            fn(L, b->dims[d].labels[i], ctx);
    for (size_t i = 0; i < p->dims[d].len; i++)
        if (!(skip_none && d == AS_D_PATHWAY && i + 1 == p->dims[d].len) &&
            as_metrics_find(b, d, p->dims[d].labels[i]) < 0)
            fn(L, p->dims[d].labels[i], ctx);
}

static void completers_of(measures *L, const char *label, const void *ctx)
{
    (void)ctx;
    add_labelled(L, "pathway_completers", "students", AS_V_PATHWAY_COMPLETERS, label, AS_ALL_YEARS);
}

static void starts_of(measures *L, const char *label, const void *ctx)
{
    (void)ctx;
    add_labelled(L, "apprenticeship_starts", "apprentices", AS_V_APPRENTICE_STARTS, label, AS_ALL_YEARS);
}

static void unfilled_of(measures *L, const char *label, const void *ctx)
{
    (void)ctx;
    add_labelled(L, "apprenticeship_unfilled", "slots", AS_V_APPRENTICE_UNFILLED, label, AS_ALL_YEARS);
}

/* Counts by subgroup, beside the shares: how many students, not only what share. */
static void add_subgroup_count(measures *L, const char *metric, int var, const char *subgroup)
{
    measure *m = add(L, metric, "students", M_SUM, AS_ALL_YEARS);
    if (m) {
        m->num = (as_selection){.var = var, .pick = AS_PICK_ALL};
        m->role = CAT_SUBGROUP;
        snprintf(m->category, sizeof m->category, "%s", subgroup);
    }
}

static void counts_of(measures *L, const char *label, const void *ctx)
{
    (void)ctx;
    if (strcmp(label, "all") != 0) /* listed already */
        add_subgroup_count(L, "graduates_with_college_credit", AS_V_GRADS_POSTSEC_EXPERIENCE, label);
    add_subgroup_count(L, "graduates_with_credential", AS_V_GRADS_WITH_CREDENTIAL, label);
    add_subgroup_count(L, "graduates_with_credit_and_credential", AS_V_GRADS_CREDIT_AND_CREDENTIAL, label);
}

static void share_of(measures *L, const char *label, const void *ctx)
{
    (void)ctx;
    add_college_credit_share(L, label, AS_ALL_YEARS);
}

typedef struct two_runs { const as_results *b, *p; } two_runs;

static double any_cost(const as_results *r, const char *item)
{
    as_selection s = {.var = AS_V_COST, .pick = AS_PICK_LABEL, .label = item};
    return as_metrics_sum(r, &s, AS_MEAN, AS_ALL_YEARS);
}

static void cost_of(measures *L, const char *label, const void *ctx)
{
    const two_runs *runs = ctx;
    if (any_cost(runs->b, label) != 0 || any_cost(runs->p, label) != 0)
        add_labelled(L, "cost", "dollars", AS_V_COST, label, AS_ALL_YEARS);
}

static int has_level(const as_results *r, int level)
{
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++)
        if (r->credential_level[k] == level)
            return 1;
    return 0;
}

static int any_supply(const as_results *r, size_t o, int t)
{
    for (int q = 0; q < r->replications; q++)
        if (as_results_at(r, AS_V_SUPPLY, q, t)[o] > 0)
            return 1;
    return 0;
}

static void add_supply(measures *L, const as_results *b, const as_results *p, int last)
{
    size_t n = b->dims[AS_D_OCCUPATION].len;
    for (size_t o = 0; o < n; o++) {
        size_t at = (size_t)last * n + o;
        if (!(b->openings[at] > 0 || p->openings[at] > 0) || !(any_supply(b, o, last) || any_supply(p, o, last)))
            continue;
        measure *m = add(L, "pipeline_supply", "workers", M_SUM, last);
        if (!m)
            return;
        m->num = (as_selection){.var = AS_V_SUPPLY, .pick = AS_PICK_LABEL};
        m->role = CAT_LABEL;
        snprintf(m->category, sizeof m->category, "%s", b->dims[AS_D_OCCUPATION].labels[o]);
        snprintf(m->title, sizeof m->title, "%s", b->occupation_title ? b->occupation_title[o] : "");
    }
}

static void list_measures(const as_results *b, const as_results *p, measures *L)
{
    int last = b->years - 1;
    two_runs runs = {b, p};
    for (int t = 0; t < b->years; t++)
        add_sum(L, "graduates", "students", AS_V_GRADUATES, AS_PICK_ALL, t);
    add_sum(L, "graduates", "students", AS_V_GRADUATES, AS_PICK_ALL, AS_ALL_YEARS);
    add_sum(L, "pathway_completers", "students", AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, AS_ALL_YEARS);
    each_label(b, p, AS_D_PATHWAY, 1, L, completers_of, NULL);
    add_sum(L, "credentials", "credentials", AS_V_CREDENTIALS, AS_PICK_ALL, AS_ALL_YEARS);
    for (int level = 0; level < AS_LEVEL_COUNT; level++) {
        if (!has_level(b, level) && !has_level(p, level))
            continue;
        measure *m = add(L, "credentials", "credentials", M_SUM, AS_ALL_YEARS);
        if (m) {
            m->num = (as_selection){.var = AS_V_CREDENTIALS, .pick = AS_PICK_LEVEL, .level = level};
            snprintf(m->category, sizeof m->category, "%s", as_level_names[level]);
        }
    }
    add_sum(L, "graduates_with_college_credit", "students", AS_V_GRADS_POSTSEC_EXPERIENCE, AS_PICK_ALL,
            AS_ALL_YEARS);
    for (int t = 0; t < b->years; t++)
        add_college_credit_share(L, "all", t);
    each_label(b, p, AS_D_SUBGROUP, 0, L, share_of, NULL);
    each_label(b, p, AS_D_SUBGROUP, 0, L, counts_of, NULL);
    add_sum(L, "dropouts", "students", AS_V_DROPOUTS, AS_PICK_ALL, AS_ALL_YEARS);
    add_sum(L, "dual_enrollment_student_years", "student-years", AS_V_DUAL_STUDENTS, AS_PICK_ALL, AS_ALL_YEARS);
    add_sum(L, "wbl_participants", "students", AS_V_WBL_PARTICIPANTS, AS_PICK_ALL, AS_ALL_YEARS);
    add_sum(L, "apprenticeship_starts", "apprentices", AS_V_APPRENTICE_STARTS, AS_PICK_ALL, AS_ALL_YEARS);
    each_label(b, p, AS_D_TRADE, 0, L, starts_of, NULL);
    add_sum(L, "apprenticeship_unfilled", "slots", AS_V_APPRENTICE_UNFILLED, AS_PICK_ALL, AS_ALL_YEARS);
    each_label(b, p, AS_D_TRADE, 0, L, unfilled_of, NULL);
    add_sum(L, "pipeline_supply", "workers", AS_V_SUPPLY, AS_PICK_ALL, last);
    add_supply(L, b, p, last);
    add(L, "alignment_index", "index", M_ALIGNMENT, last);
    add_sum(L, "cost", "dollars", AS_V_COST, AS_PICK_ALL, AS_ALL_YEARS);
    each_label(b, p, AS_D_COST_ITEM, 0, L, cost_of, &runs);
    add(L, "cost_per_additional_credential", "dollars per credential", M_COST_PER_ADDITIONAL, AS_ALL_YEARS);
    add_sum(L, "earnings", "dollars per year", AS_V_EARNINGS, AS_PICK_ALL, last);
    add_sum(L, "apprentice_earnings", "dollars", AS_V_APPRENTICE_EARNINGS, AS_PICK_ALL, AS_ALL_YEARS);
}

static double value(const measure *m, const as_results *r, int q)
{
    as_selection num = m->num, den = m->den;
    if (m->role == CAT_LABEL)
        num.label = den.label = m->category;
    else if (m->role == CAT_SUBGROUP)
        num.subgroup = den.subgroup = m->category;
    switch (m->kind) {
    case M_SUM: return as_metrics_sum(r, &num, q, m->t) * m->scale;
    case M_RATE: return as_metrics_rate(r, &num, &den, q, m->t) * m->scale;
    case M_ALIGNMENT: return as_metrics_alignment_index(r, m->t, q);
    default: return NAN;
    }
}

/* ---- estimates ------------------------------------------------------------------------------------------- */

/* Delta-method interval for the ratio of mean differences: cost per
 * additional credential = mean(dcost) / mean(dcred). */
static as_estimate ratio_estimate(const double *dcost, const double *dcred, int n)
{
    as_estimate c = as_stats_estimate(dcost, n), k = as_stats_estimate(dcred, n);
    as_estimate e = {NAN, NAN, NAN, NAN, n};
    if (!(k.mean != 0) || isnan(c.mean))
        return e;
    double ratio = c.mean / k.mean, cov = 0;
    for (int q = 0; q < n; q++)
        cov += (dcost[q] - c.mean) * (dcred[q] - k.mean);
    cov = n > 1 ? cov / (n - 1) : 0;
    double var = (c.sd * c.sd - 2 * ratio * cov + ratio * ratio * k.sd * k.sd) / (k.mean * k.mean) / n;
    double half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) * sqrt(var > 0 ? var : 0) : 0;
    e.mean = ratio;
    e.sd = sqrt(var > 0 ? var * n : 0);
    e.lo = ratio - half;
    e.hi = ratio + half;
    return e;
}

static void fill_row(as_compare_row *row, const measure *m, const as_results *b, const as_results *p,
                     double *scratch)
{
    int n = b->replications;
    double *bv = scratch, *pv = scratch + n, *dv = scratch + 2 * n;
    snprintf(row->metric, sizeof row->metric, "%s", m->metric);
    snprintf(row->category, sizeof row->category, "%s", m->category);
    snprintf(row->title, sizeof row->title, "%s", m->title);
    row->year = m->t == AS_ALL_YEARS ? 0 : b->start_year + m->t;
    row->unit = m->unit;
    if (m->kind == M_COST_PER_ADDITIONAL) {
        as_selection creds = {.var = AS_V_CREDENTIALS, .pick = AS_PICK_ALL};
        for (int q = 0; q < n; q++) {
            bv[q] = as_metrics_cost(p, q, m->t) - as_metrics_cost(b, q, m->t);
            pv[q] = as_metrics_sum(p, &creds, q, m->t) - as_metrics_sum(b, &creds, q, m->t);
        }
        as_estimate none = {NAN, NAN, NAN, NAN, n};
        row->base = row->proposal = none;
        row->diff = ratio_estimate(bv, pv, n);
    } else {
        for (int q = 0; q < n; q++) {
            bv[q] = value(m, b, q);
            pv[q] = value(m, p, q);
            dv[q] = pv[q] - bv[q];
        }
        row->base = as_stats_estimate(bv, n);
        row->proposal = as_stats_estimate(pv, n);
        row->diff = as_stats_estimate(dv, n);
    }
    row->distinguishable = as_stats_excludes_zero(&row->diff);
}

int as_compare_build(const as_results *b, const as_results *p, as_comparison *out, as_error *err)
{
    memset(out, 0, sizeof *out);
    measures L = {0};
    list_measures(b, p, &L);
    double *scratch = as_malloc((3 * (size_t)b->replications + 1) * sizeof *scratch);
    out->rows = as_calloc(L.n + 1, sizeof *out->rows);
    if (L.failed || !scratch || !out->rows) {
        free(L.items);
        free(scratch);
        free(out->rows);
        out->rows = NULL;
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory comparing results");
    }
    for (size_t i = 0; i < L.n; i++)
        fill_row(&out->rows[i], &L.items[i], b, p, scratch);
    out->n = L.n;
    out->seed = b->seed;
    out->replications = b->replications;
    out->start_year = b->start_year;
    out->years = b->years;
    free(L.items);
    free(scratch);
    return AS_OK;
}

void as_compare_free(as_comparison *c)
{
    if (!c)
        return;
    free(c->rows);
    memset(c, 0, sizeof *c);
}

const as_compare_row *as_compare_find(const as_comparison *c, const char *metric, const char *category, int year)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->rows[i].metric, metric) && !strcmp(c->rows[i].category, category) && c->rows[i].year == year)
            return &c->rows[i];
    return NULL;
}

/* ---- writing --------------------------------------------------------------------------------------------- */

/* x for people: decimals by size and unit, thousands separated; "n/a" for NaN. */
static const char *number(char *buf, size_t size, double x, const char *unit)
{
    if (!isnan(x) && !strcmp(unit, "index"))
        snprintf(buf, size, "%.4f", x);
    else if (!isnan(x) && (!strncmp(unit, "percent", 7) || fabs(x) < 10))
        snprintf(buf, size, "%.2f", x);
    else if (!isnan(x) && fabs(x) < 1000)
        snprintf(buf, size, "%.1f", x);
    else
        as_words_count(buf, size, x);
    return buf;
}

int as_compare_write_table(FILE *f, const as_comparison *c, const char *base_name, const char *proposal_name)
{
    fprintf(f, "base:      %s\nproposal:  %s\n", base_name, proposal_name);
    fprintf(f, "%d paired replications (seed %u, common random numbers), %d-%d.  difference = proposal - base;\n"
               "* marks a difference whose 95%% interval excludes 0 (distinguishable from chance).\n\n",
            c->replications, (unsigned)c->seed, c->start_year, c->start_year + c->years - 1);
    fprintf(f, "%-36s %-34s %-4s %14s %14s %14s  %-31s\n", "metric", "category", "year", "base", "proposal",
            "difference", "95% interval of the difference");
    for (size_t i = 0; i < c->n; i++) {
        const as_compare_row *r = &c->rows[i];
        char category[300], year[8], b[48], p[48], d[48], lo[48], hi[48], interval[100];
        snprintf(category, sizeof category, "%s%s%s", r->category, r->title[0] ? " " : "", r->title);
        if (strlen(category) > 34)
            snprintf(category + 31, sizeof category - 31, "...");
        if (r->year)
            snprintf(year, sizeof year, "%d", r->year);
        else
            snprintf(year, sizeof year, "all");
        snprintf(interval, sizeof interval, "[%s, %s]", number(lo, sizeof lo, r->diff.lo, r->unit),
                 number(hi, sizeof hi, r->diff.hi, r->unit));
        fprintf(f, "%-36s %-34s %-4s %14s %14s %14s  %-31s%s\n", r->metric, category, year,
                number(b, sizeof b, r->base.mean, r->unit), number(p, sizeof p, r->proposal.mean, r->unit),
                number(d, sizeof d, r->diff.mean, r->unit), interval, r->distinguishable ? " *" : "");
    }
    return ferror(f) ? -1 : 0;
}

int as_compare_write_csv(FILE *f, const as_comparison *c)
{
    fputs("metric,category,year,base_mean,proposal_mean,diff_mean,diff_ci_low,diff_ci_high,distinguishable\n", f);
    for (size_t i = 0; i < c->n; i++) {
        const as_compare_row *r = &c->rows[i];
        as_outfile_csv_text(f, r->metric);
        fputc(',', f);
        as_outfile_csv_text(f, r->category);
        if (r->year)
            fprintf(f, ",%d", r->year);
        else
            fputs(",all", f);
        const double values[5] = {r->base.mean, r->proposal.mean, r->diff.mean, r->diff.lo, r->diff.hi};
        for (int k = 0; k < 5; k++) {
            fputc(',', f);
            as_outfile_csv_number(f, values[k]);
        }
        fputs(r->distinguishable ? ",true\n" : ",false\n", f);
    }
    return ferror(f) ? -1 : 0;
}
