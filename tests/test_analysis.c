/*
 * test_analysis.c - analysis/ on a small as_results built by hand, with every
 * expected value worked out by hand in the comments: metrics (sums, equity,
 * credentials, alignment, cost, earnings), the t interval, paired
 * comparisons, the export's tables (rows, dictionary, sheet names), tidy CSV
 * export, atomic files and the words of numbers.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "compare.h"
#include "export.h"
#include "metrics.h"
#include "outfile.h"
#include "report.h"
#include "stats.h"
#include "tables.h"
#include "words.h"

#define EPS 1e-9

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. */
#define assert_close(got, want, eps) close_to((got), (want), (eps), __FILE__, __LINE__)
static void close_to(double got, double want, double eps, const char *file, int line)
{
    if (!(fabs(got - want) <= eps)) {
        print_error("%.17g is not within %g of %.17g\n", got, eps, want);
        _fail(file, line);
    }
}

/* ---- a hand-built results: 2 replications x 2 years (2030, 2031) --------------------------------- */

static void labels(as_results *r, int d, size_t n, const char *const *names)
{
    r->dims[d].len = n;
    r->dims[d].labels = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        r->dims[d].labels[i] = strdup(names[i]);
}

static as_results *build(void)
{
    static const char *const grades[] = {"9", "10", "11", "12"}, *const pathways[] = {"cte", "ap", "none"},
                             *const groups[] = {"all", "el"}, *const creds[] = {"cert", "aas", "elec"},
                             *const dests[] = {"four_year", "work"}, *const duals[] = {"de"},
                             *const wbls[] = {"intern"}, *const posts[] = {"cc_it"}, *const trades[] = {"elec"},
                             *const occs[] = {"A", "B", "C"},
                             *const items[] = {"pathways", "dual_enrollment", "wbl", "exams", "postsecondary",
                                               "apprenticeships", "iet"};
    static const char *const codes[] = {"11.0901", "11.0101", "47-2111"}, *const titles[] = {"Alpha", "Beta", "Gamma"};
    as_results *r = calloc(1, sizeof *r);
    r->replications = 2;
    r->years = 2;
    r->start_year = 2030;
    r->seed = 7;
    labels(r, AS_D_GRADE, 4, grades);
    labels(r, AS_D_PATHWAY, 3, pathways);
    labels(r, AS_D_SUBGROUP, 2, groups);
    labels(r, AS_D_CREDENTIAL, 3, creds);
    labels(r, AS_D_DESTINATION, 2, dests);
    labels(r, AS_D_DUAL, 1, duals);
    labels(r, AS_D_WBL, 1, wbls);
    labels(r, AS_D_POSTSEC, 1, posts);
    labels(r, AS_D_TRADE, 1, trades);
    labels(r, AS_D_OCCUPATION, 3, occs);
    labels(r, AS_D_COST_ITEM, AS_C_COUNT, items);
    size_t off = 0;
    for (int v = 0; v < AS_V_COUNT; v++) {
        r->offset[v] = off;
        off += as_results_var_size(r, v);
    }
    r->slab = off;
    r->values = calloc(4 * r->slab, sizeof(double));
    r->credential_level = calloc(3, sizeof(int));
    r->credential_level[0] = AS_LEVEL_INDUSTRY;
    r->credential_level[1] = AS_LEVEL_ASSOCIATE;
    r->credential_level[2] = AS_LEVEL_APPRENTICESHIP;
    static const char *const fields[] = {"it", "", ""}; /* a career cluster for the certification only */
    r->credential_code = calloc(3, sizeof(char *));
    r->credential_field = calloc(3, sizeof(char *));
    r->occupation_title = calloc(3, sizeof(char *));
    for (int i = 0; i < 3; i++) {
        r->credential_code[i] = strdup(codes[i]);
        r->credential_field[i] = strdup(fields[i]);
        r->occupation_title[i] = strdup(titles[i]);
    }
    r->occupation_wage = calloc(3, sizeof(double));
    r->openings = calloc(6, sizeof(double));
    r->other_supply = calloc(6, sizeof(double));
    return r;
}

static void drop(as_results *r)
{
    as_results_free(r);
    free(r);
}

/* Sets v[q][t][i][j] (j: second dimension, 0 when there is none). */
static void set(as_results *r, int v, int q, int t, size_t i, size_t j, double x)
{
    size_t n2 = as_var_defs[v].ndims > 1 ? r->dims[as_var_defs[v].dims[1]].len : 1;
    as_results_at(r, v, q, t)[i * n2 + j] = x;
}

/* Graduates [pathway][all, el] per (replication, year):
 *   q0 t0: cte 10/3, ap 5/1, none 20/6     q0 t1: cte 12/4, ap 6/2, none 22/7
 *   q1 t0: cte 11/3, ap 5/1, none 19/5     q1 t1: cte 13/5, ap 7/2, none 21/6
 * Completers (both replications): t0 cte 8/2, ap 4/0; t1 cte 9/3, ap 5/1.
 * Enrolled q0 t0: cte 40/4, ap 60/18, none 100/28 (el 50 of 200 = 25%).
 * Credentials q0 t0 (all): cert 7, aas 3, elec 2; fields "it", "CIP 11", "SOC 47".
 * Openings t0: A 100, B 50, C 0; other supply t0: A 60, B 10.
 * Supply t0: q0 A 30, B 50, C 5; q1 A 50, B 30, C 0.
 * Cost q0 t0: pathways 1000, dual 300.  Earnings q0 t0: 1e6. */
static void fill(as_results *r)
{
    static const double grads[2][2][3][2] = {
        {{{10, 3}, {5, 1}, {20, 6}}, {{12, 4}, {6, 2}, {22, 7}}},
        {{{11, 3}, {5, 1}, {19, 5}}, {{13, 5}, {7, 2}, {21, 6}}}};
    static const double done[2][2][2] = {{{8, 2}, {4, 0}}, {{9, 3}, {5, 1}}};
    for (int q = 0; q < 2; q++)
        for (int t = 0; t < 2; t++) {
            for (size_t p = 0; p < 3; p++)
                for (size_t g = 0; g < 2; g++)
                    set(r, AS_V_GRADUATES, q, t, p, g, grads[q][t][p][g]);
            for (size_t p = 0; p < 2; p++)
                for (size_t g = 0; g < 2; g++)
                    set(r, AS_V_PATHWAY_COMPLETERS, q, t, p, g, done[t][p][g]);
        }
    static const double enrolled[3][2] = {{40, 4}, {60, 18}, {100, 28}};
    for (size_t p = 0; p < 3; p++)
        for (size_t g = 0; g < 2; g++)
            set(r, AS_V_ENROLLED, 0, 0, p, g, enrolled[p][g]);
    set(r, AS_V_CREDENTIALS, 0, 0, 0, 0, 7);
    set(r, AS_V_CREDENTIALS, 0, 0, 1, 0, 3);
    set(r, AS_V_CREDENTIALS, 0, 0, 2, 0, 2);
    r->openings[0] = 100;
    r->openings[1] = 50;
    r->other_supply[0] = 60;
    r->other_supply[1] = 10;
    static const double supply[2][3] = {{30, 50, 5}, {50, 30, 0}};
    for (int q = 0; q < 2; q++)
        for (size_t o = 0; o < 3; o++)
            set(r, AS_V_SUPPLY, q, 0, o, 0, supply[q][o]);
    set(r, AS_V_COST, 0, 0, AS_C_PATHWAYS, 0, 1000);
    set(r, AS_V_COST, 0, 0, AS_C_DUAL, 0, 300);
    set(r, AS_V_EARNINGS, 0, 0, 0, 0, 1e6);
}

static int setup(void **state)
{
    as_results *r = build();
    fill(r);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    drop(*state);
    return 0;
}

/* ---- selections ------------------------------------------------------------------------------------ */

static void test_sums(void **state)
{
    const as_results *r = *state;
    static const struct {
        as_selection s;
        int q, t;
        double expect;
    } cases[] = {
        /* every pathway, "all": q0 = 10+5+20+12+6+22 = 75; q1 = 11+5+19+13+7+21 = 76 */
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_ALL}, 0, AS_ALL_YEARS, 75},
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_ALL}, 1, AS_ALL_YEARS, 76},
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_ALL}, AS_MEAN, AS_ALL_YEARS, 75.5},
        /* programs only (not "none"), q0 t0: 10 + 5 */
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_PROGRAMS}, 0, 0, 15},
        /* ap, el, q1 over years: 1 + 2 */
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_LABEL, .label = "ap", .subgroup = "el"}, 1, AS_ALL_YEARS, 3},
        /* a program or subgroup the run lacks selects nothing */
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_LABEL, .label = "magnet"}, 0, 0, 0},
        {{.var = AS_V_GRADUATES, .pick = AS_PICK_ALL, .subgroup = "female"}, 0, 0, 0},
        /* credentials by level and field, q0 t0 */
        {{.var = AS_V_CREDENTIALS, .pick = AS_PICK_LEVEL, .level = AS_LEVEL_INDUSTRY}, 0, 0, 7},
        {{.var = AS_V_CREDENTIALS, .pick = AS_PICK_LEVEL, .level = AS_LEVEL_BACHELOR}, 0, 0, 0},
        {{.var = AS_V_CREDENTIALS, .pick = AS_PICK_FIELD, .label = "it"}, 0, 0, 7},
        {{.var = AS_V_CREDENTIALS, .pick = AS_PICK_FIELD, .label = "CIP 11"}, 0, 0, 3}, /* no cluster: CIP series */
        {{.var = AS_V_CREDENTIALS, .pick = AS_PICK_FIELD, .label = "SOC 47"}, 0, 0, 2},
        /* a variable with no dimension */
        {{.var = AS_V_EARNINGS, .pick = AS_PICK_ALL}, AS_MEAN, 0, 5e5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_close(as_metrics_sum(r, &cases[i].s, cases[i].q, cases[i].t), cases[i].expect, EPS);
}

static void test_credentials(void **state)
{
    const as_results *r = *state;
    char field[16];
    assert_string_equal(as_metrics_credential_field(r, 0, field, sizeof field), "it");
    assert_string_equal(as_metrics_credential_field(r, 1, field, sizeof field), "CIP 11");
    assert_string_equal(as_metrics_credential_field(r, 2, field, sizeof field), "SOC 47");
    assert_close(as_metrics_credentials_by_level(r, AS_LEVEL_ASSOCIATE, 0, 0), 3, EPS);
    assert_close(as_metrics_credentials_by_level(r, AS_LEVEL_APPRENTICESHIP, AS_MEAN, AS_ALL_YEARS), 1, EPS);
    assert_close(as_metrics_credentials_by_field(r, "CIP 11", 0, AS_ALL_YEARS), 3, EPS);
    assert_close(as_metrics_credentials_by_field(r, "it", 0, AS_ALL_YEARS), 7, EPS);
}

/* ---- equity ---------------------------------------------------------------------------------------- */

static void test_equity(void **state)
{
    const as_results *r = *state;
    /* completion, all, q0: (8+4+9+5) / 75; el, q0: (2+0+3+1) / (3+1+6+4+2+7) = 6/23 */
    assert_close(as_metrics_equity_rate(r, AS_EQ_COMPLETION, 0, 0, AS_ALL_YEARS), 26.0 / 75, EPS);
    assert_close(as_metrics_equity_rate(r, AS_EQ_COMPLETION, 1, 0, AS_ALL_YEARS), 6.0 / 23, EPS);
    /* the mean over replications is the mean of the rates: q1 el = 6 / (3+1+5+5+2+6) */
    assert_close(as_metrics_equity_rate(r, AS_EQ_COMPLETION, 1, AS_MEAN, AS_ALL_YEARS),
                        (6.0 / 23 + 6.0 / 22) / 2, EPS);
    /* participation, el, q0 t0: (4 + 18) / 50 */
    assert_close(as_metrics_equity_rate(r, AS_EQ_PARTICIPATION, 1, 0, 0), 0.44, EPS);
    /* no students: undefined, not zero */
    assert_true(isnan(as_metrics_equity_rate(r, AS_EQ_DUAL, 0, 0, 1)));
    assert_true(isnan(as_metrics_equity_rate(r, AS_EQ_COUNT, 0, 0, 0)));
    assert_true(isnan(as_metrics_equity_rate(r, AS_EQ_COMPLETION, 2, 0, 0)));
    /* representation of el: cte 4/40 = 10% against 25%; ap 18/60 = 30% against 25% */
    assert_close(as_metrics_representation(r, 0, 1, 0, 0), 0.4, EPS);
    assert_close(as_metrics_representation(r, 1, 1, 0, 0), 1.2, EPS);
    assert_close(as_metrics_representation(r, 0, 0, 0, 0), 1.0, EPS);
    /* graduates with college credit: none set, so 0 of 75 */
    assert_close(as_metrics_postsec_experience_share(r, 0, AS_ALL_YEARS), 0, EPS);
}

/* ---- alignment ------------------------------------------------------------------------------------- */

static void test_alignment(void **state)
{
    const as_results *r = *state;
    /* A, q0: gap 100 - 30 - 60 = 10, ratio 0.9 (balanced: the band includes 0.9) */
    as_alignment a = as_metrics_occupation(r, 0, 0, 0);
    assert_close(a.gap, 10, EPS);
    assert_close(a.ratio, 0.9, EPS);
    assert_int_equal(a.band, AS_BAND_BALANCED);
    /* B, q0: gap 50 - 50 - 10 = -10, ratio 1.2: over-supplied */
    a = as_metrics_occupation(r, 1, 0, 0);
    assert_close(a.gap, -10, EPS);
    assert_int_equal(a.band, AS_BAND_OVER);
    /* C has no openings: no ratio, and left out of the index */
    assert_true(isnan(as_metrics_occupation(r, 2, 0, 0).ratio));
    /* index, q0 and q1: 1 - (10 + 10) / 150; with mean supply (A 40, B 40) every gap is 0 */
    assert_close(as_metrics_alignment_index(r, 0, 0), 1 - 20.0 / 150, EPS);
    assert_close(as_metrics_alignment_index(r, 0, 1), 1 - 20.0 / 150, EPS);
    assert_close(as_metrics_alignment_index(r, 0, AS_MEAN), 1, EPS);
    assert_true(isnan(as_metrics_alignment_index(r, 1, 0))); /* no openings in 2031 */
    static const struct { double ratio; int band; } bands[] = {
        {0.8999, AS_BAND_UNDER}, {0.9, AS_BAND_BALANCED}, {1.1, AS_BAND_BALANCED}, {1.1001, AS_BAND_OVER},
        {NAN, AS_BAND_UNDER}};
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
        assert_int_equal(as_metrics_band(bands[i].ratio), bands[i].band);
}

/* ---- cost and earnings ----------------------------------------------------------------------------- */

static void test_cost_and_earnings(void **state)
{
    const as_results *r = *state;
    /* pathways: $1000 over 40 + 60 program student-years */
    assert_close(as_metrics_cost_per_seat(r, AS_C_PATHWAYS, 0, 0), 10, EPS);
    assert_true(isnan(as_metrics_cost_per_seat(r, AS_C_DUAL, 0, 0))); /* nobody in dual enrollment */
    assert_true(isnan(as_metrics_cost_per_seat(r, AS_C_COUNT, 0, 0)));
    /* $1300 over 7 + 3 + 2 credentials */
    assert_close(as_metrics_cost(r, 0, 0), 1300, EPS);
    assert_close(as_metrics_cost_per_credential(r, 0, 0), 1300.0 / 12, EPS);
    /* $1e6 of earnings over 30 + 50 + 5 workers */
    assert_close(as_metrics_earnings(r, 0, 0), 1e6, EPS);
    assert_close(as_metrics_earnings_per_worker(r, 0, 0), 1e6 / 85, EPS);
    /* a proposal that spends $600 more for 3 more certifications: $200 each */
    as_results *p = build();
    fill(p);
    set(p, AS_V_COST, 0, 0, AS_C_PATHWAYS, 0, 1600);
    set(p, AS_V_CREDENTIALS, 0, 0, 0, 0, 10);
    assert_close(as_metrics_cost_per_additional_credential(r, p, 0, 0), 200, EPS);
    assert_true(isnan(as_metrics_cost_per_additional_credential(r, p, 1, 0))); /* no extra credential */
    drop(p);
}

/* ---- the t interval -------------------------------------------------------------------------------- */

static void test_estimate(void **state)
{
    (void)state;
    /* 1,2,3,4: mean 2.5, sd sqrt(5/3); t(0.975, 3) = 3.182446305 */
    const double x[4] = {1, 2, 3, 4};
    as_estimate e = as_stats_estimate(x, 4);
    double half = 3.182446305284263 * sqrt(5.0 / 3) / 2;
    assert_close(e.mean, 2.5, EPS);
    assert_close(e.sd, sqrt(5.0 / 3), EPS);
    assert_close(e.lo, 2.5 - half, 1e-8);
    assert_close(e.hi, 2.5 + half, 1e-8);
    assert_true(as_stats_excludes_zero(&e));
    const double same[3] = {5, 5, 5}, one[1] = {7}, nan_in[2] = {1, NAN}, around[2] = {-1, 1};
    e = as_stats_estimate(same, 3);
    assert_true(e.lo == 5 && e.hi == 5 && e.sd == 0);
    e = as_stats_estimate(one, 1);
    assert_true(e.mean == 7 && e.lo == 7 && e.hi == 7);
    assert_true(isnan(as_stats_estimate(nan_in, 2).mean));
    e = as_stats_estimate(around, 2);
    assert_false(as_stats_excludes_zero(&e));
    const double zero[2] = {0, 0};
    e = as_stats_estimate(zero, 2);
    assert_false(as_stats_excludes_zero(&e)); /* [0, 0] touches 0: not distinguishable */
}

/* ---- paired comparisons ---------------------------------------------------------------------------- */

static void test_compare_with_itself(void **state)
{
    const as_results *r = *state;
    as_error err;
    as_error_clear(&err);
    as_comparison c;
    assert_int_equal(as_compare_check(r, "a.h5", r, "a.h5", &err), AS_OK);
    assert_int_equal(as_compare_build(r, r, &c, &err), AS_OK);
    assert_true(c.n > 10);
    for (size_t i = 0; i < c.n; i++) {
        const as_compare_row *row = &c.rows[i];
        assert_false(row->distinguishable);
        if (!strcmp(row->metric, "cost_per_additional_credential"))
            assert_true(isnan(row->diff.mean)); /* no additional credential */
        else if (!isnan(row->diff.mean))
            assert_true(row->diff.mean == 0 && row->diff.lo == 0 && row->diff.hi == 0);
    }
    const as_compare_row *g = as_compare_find(&c, "graduates", "all", 0);
    assert_non_null(g);
    assert_close(g->base.mean, 75.5, EPS);
    assert_non_null(as_compare_find(&c, "pathway_completers", "ap", 0));
    assert_null(as_compare_find(&c, "pathway_completers", "none", 0)); /* "none" is no program */
    assert_non_null(as_compare_find(&c, "pipeline_supply", "all", 2031)); /* the final year */
    assert_null(as_compare_find(&c, "pipeline_supply", "A", 2031));        /* no supply or openings then */
    as_compare_free(&c);
    as_compare_free(NULL);
}

static void test_compare_paired(void **state)
{
    const as_results *r = *state;
    as_results *p = build();
    fill(p);
    /* the proposal adds 2 cte graduates in q0 t0 and 4 in q1 t1: differences 2 and 4 over all years */
    set(p, AS_V_GRADUATES, 0, 0, 0, 0, 12);
    set(p, AS_V_GRADUATES, 1, 1, 0, 0, 17);
    /* and a program the base lacks counts 0 there */
    as_error err;
    as_error_clear(&err);
    as_comparison c;
    assert_int_equal(as_compare_build(r, p, &c, &err), AS_OK);
    const as_compare_row *g = as_compare_find(&c, "graduates", "all", 0);
    double half = 12.706204736174698; /* t(0.975, 1) * sd / sqrt(n), sd = sqrt(2), n = 2 */
    assert_close(g->diff.mean, 3, EPS);
    assert_close(g->diff.lo, 3 - half, 1e-6);
    assert_close(g->diff.hi, 3 + half, 1e-6);
    assert_false(g->distinguishable); /* two replications: wide interval */
    g = as_compare_find(&c, "graduates", "all", 2030);
    assert_close(g->diff.mean, 1, EPS); /* 2 and 0 */
    /* the CSV has a header and one line per row */
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_int_equal(as_compare_write_csv(f, &c), 0);
    fclose(f);
    static const char header[] = "metric,category,year,base_mean,proposal_mean,diff_mean,diff_ci_low,diff_ci_high,"
                                 "distinguishable\n";
    assert_int_equal(strncmp(text, header, strlen(header)), 0);
    size_t lines = 0;
    for (char *s = text; *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, c.n + 1);
    assert_non_null(strstr(text, "\ngraduates,all,all,75.5,78.5,3,"));
    free(text);
    as_compare_free(&c);
    drop(p);
}

static void test_compare_refuses(void **state)
{
    const as_results *r = *state;
    static const struct { const char *field; const char *words; } cases[] = {
        {"seed", "seeds differ (7 vs 8)"}, {"replications", "replications differ"},
        {"start_year", "start years differ"}, {"years", "numbers of years differ"},
        {"occupation", "occupation lists differ (occupation 2 is B vs Z)"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        as_results *p = build();
        if (!strcmp(cases[i].field, "seed"))
            p->seed = 8;
        else if (!strcmp(cases[i].field, "replications"))
            p->replications = 1;
        else if (!strcmp(cases[i].field, "start_year"))
            p->start_year = 2031;
        else if (!strcmp(cases[i].field, "years"))
            p->years = 1;
        else
            p->dims[AS_D_OCCUPATION].labels[1][0] = 'Z';
        as_error err;
        as_error_clear(&err);
        assert_int_equal(as_compare_check(r, "base.h5", p, "prop.h5", &err), AS_EINPUT);
        assert_int_equal(err.count, 1);
        assert_non_null(strstr(err.text, cases[i].words));
        assert_non_null(strstr(err.text, "cannot compare base.h5 and prop.h5"));
        assert_null(strchr(err.text, '\n')); /* one line */
        drop(p);
    }
}

/* ---- the export's tables ---------------------------------------------------------------------------- */

typedef struct counted {
    size_t rows;
    int columns;       /* cells per row, -1 when rows differ */
    size_t dictionary; /* dictionary rows naming a column that the table declares (second pass) */
} counted;

static int count_row(void *sink, const as_cell *cells, int n, as_error *err)
{
    (void)err;
    counted *c = sink;
    if (c->rows++ == 0)
        c->columns = n;
    else if (c->columns != n)
        c->columns = -1;
    (void)cells;
    return AS_OK;
}

/* Dictionary rows against the declarations, one by one: each names a declared column of its table
 * and carries that column's meaning and units. */
static int check_dictionary_row(void *sink, const as_cell *cells, int n, as_error *err)
{
    (void)err;
    counted *c = sink;
    assert_int_equal(n, 4);
    as_table t;
    for (size_t i = 0; as_tables_at(i, &t) == 0; i++) {
        if (strcmp(t.name, cells[0].text))
            continue;
        for (int k = 0; k < t.ncolumns; k++)
            if (!strcmp(t.columns[k].name, cells[1].text)) {
                assert_string_equal(cells[2].text, t.columns[k].meaning);
                assert_string_equal(cells[3].text, t.columns[k].units);
                c->dictionary++;
            }
    }
    return AS_OK;
}

static int stop_at_third(void *sink, const as_cell *cells, int n, as_error *err)
{
    (void)cells;
    (void)n;
    size_t *seen = sink;
    return ++*seen == 3 ? as_error_set(err, AS_EIO, "sink", "full") : AS_OK;
}

/* Every table: as many rows as as_tables_rows_of says, each as wide as the table's columns; the
 * dictionary lists every column of every table once, with its declared meaning and units, and the
 * variables' units from as_var_defs; a sink's error stops the rows. */
static void test_tables(void **state)
{
    const as_results *r = *state;
    as_table t, dictionary;
    size_t columns = 0, n = 0;
    as_error err;
    as_error_clear(&err);
    assert_int_equal(as_tables_at(0, &dictionary), 0);
    assert_int_equal(dictionary.var, AS_TABLE_DICTIONARY);
    for (; as_tables_at(n, &t) == 0; n++) {
        counted c = {0, 0, 0};
        assert_int_equal(as_tables_rows(r, &t, count_row, &c, &err), AS_OK);
        assert_int_equal(c.rows, as_tables_rows_of(r, &t));
        if (c.rows)
            assert_int_equal(c.columns, t.ncolumns);
        assert_true(t.ncolumns <= AS_TABLES_MAX_COLUMNS);
        for (int k = 0; k < t.ncolumns; k++) {
            assert_non_null(t.columns[k].meaning);
            assert_true(strlen(t.columns[k].meaning) > 0);
            for (int j = 0; j < k; j++)
                assert_string_not_equal(t.columns[k].name, t.columns[j].name);
        }
        if (t.var >= 0) {
            assert_string_equal(t.name, as_var_defs[t.var].name);
            assert_string_equal(t.columns[t.ncolumns - 1].name, "value");
            assert_string_equal(t.columns[t.ncolumns - 1].units, as_var_defs[t.var].unit);
        }
        columns += (size_t)t.ncolumns;
    }
    assert_int_equal(n, AS_TABLES_COUNT);
    counted d = {0, 0, 0};
    assert_int_equal(as_tables_rows(r, &dictionary, check_dictionary_row, &d, &err), AS_OK);
    assert_int_equal(d.dictionary, columns); /* names are unique, so one row per column */
    assert_int_equal(as_tables_rows_of(r, &dictionary), columns);
    /* graduates: 2 replications x 2 years x 3 pathways x 2 subgroups */
    assert_int_equal(as_tables_at(1 + AS_V_GRADUATES, &t), 0);
    assert_int_equal(as_tables_rows_of(r, &t), 2 * 2 * 3 * 2);
    size_t seen = 0;
    assert_int_equal(as_tables_rows(r, &t, stop_at_third, &seen, &err), AS_EIO);
    assert_int_equal(seen, 3);
}

/* Worksheet names: cut to 31 characters, unique ignoring case, continuation parts. */
static void test_sheet_names(void **state)
{
    (void)state;
    static const char used[][AS_SHEET_NAME_MAX + 1] = {
        "dictionary", "graduates_with_credit_and_crede", "SUPPLY", "abcdefghijklmnopqrstuvwxyz01234",
        "abcdefghijklmnopqrstuvwxyz012~2"};
    static const struct { const char *table; int part; size_t n_used; const char *want; } cases[] = {
        {"_dictionary", 1, 0, "dictionary"},
        {"graduates", 1, 5, "graduates"},
        {"graduates_with_credit_and_credential", 1, 0, "graduates_with_credit_and_crede"},
        {"graduates_with_credit_and_credential", 1, 2, "graduates_with_credit_and_cre~2"},
        {"supply", 1, 5, "supply~2"},                 /* Excel compares sheet names ignoring case */
        {"supply", 2, 5, "supply (2)"},
        {"supply_by_source", 12, 0, "supply_by_source (12)"},
        {"apprenticeship_applicants_by_source", 2, 0, "apprenticeship_applicants_b (2)"},
        {"abcdefghijklmnopqrstuvwxyz0123456789", 1, 5, "abcdefghijklmnopqrstuvwxyz012~3"},
        {"dictionary", 1, 1, "dictionary~2"},        /* a variable named like the dictionary's sheet */
    };
    char name[AS_SHEET_NAME_MAX + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        as_tables_sheet_name(cases[i].table, cases[i].part, used, cases[i].n_used, name);
        assert_string_equal(name, cases[i].want);
        assert_true(strlen(name) <= AS_SHEET_NAME_MAX);
    }
}

/* ---- files ----------------------------------------------------------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/as_test_analysis_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", tmpdir);
    return system(command) == 0 ? 0 : -1;
}

static size_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_export(void **state)
{
    (void)state;
    as_results *r = build();
    fill(r);
    char dir[128], path[192];
    snprintf(dir, sizeof dir, "%s/deep/er", tmpdir);
    as_error err;
    as_error_clear(&err);
    assert_int_equal(as_export_csv(r, dir, &err), AS_OK);
    /* rows = replications x years x categories, plus the header */
    static const struct { const char *file; size_t rows; } tables[] = {
        {"graduates.csv", 2 * 2 * 3 * 2}, {"supply.csv", 2 * 2 * 3}, {"earnings.csv", 2 * 2},
        {"openings.csv", 2 * 3}, {"credential_levels.csv", 3}};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, tables[i].file);
        assert_int_equal(count_lines(path), tables[i].rows + 1);
    }
    snprintf(path, sizeof path, "%s/graduates.csv", dir);
    FILE *f = fopen(path, "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "replication,year,pathway,subgroup,value\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "0,2030,cte,all,10\n");
    fclose(f);
    /* summary: mean of cte/all graduates in 2030 over q0 = 10, q1 = 11 */
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    f = fopen(path, "r");
    int found = 0;
    while (fgets(line, sizeof line, f))
        found |= !strncmp(line, "graduates,2030,pathway,cte,subgroup,all,10.5,", 45);
    fclose(f);
    assert_true(found);
    snprintf(path, sizeof path, "%s/_dictionary.csv", dir);
    assert_int_equal(count_lines(path), 1 + as_tables_rows_of(r, &(as_table){.var = AS_TABLE_DICTIONARY}));
    /* a folder that cannot be made */
    as_error_clear(&err);
    snprintf(path, sizeof path, "%s/graduates.csv/sub", dir);
    assert_int_equal(as_export_csv(r, path, &err), AS_EIO);
    /* the workbook: in place, nothing beside it; into a missing folder, AS_EIO and nothing */
    as_error_clear(&err);
    snprintf(path, sizeof path, "%s/book.xlsx", tmpdir);
    assert_int_equal(as_export_xlsx(r, path, &err), AS_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 0);
    snprintf(path, sizeof path, "%s/missing/book.xlsx", tmpdir);
    assert_int_equal(as_export_xlsx(r, path, &err), AS_EIO);
    assert_non_null(strstr(err.text, "No such file or directory"));
    snprintf(path, sizeof path, "ls -A '%s' | grep -q tmp", tmpdir);
    assert_int_not_equal(system(path), 0);
    drop(r);
}

static void test_outfile(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/atomic.csv", tmpdir);
    as_error err;
    as_error_clear(&err);
    as_outfile o;
    assert_int_equal(as_outfile_open(&o, path, &err), AS_OK);
    as_outfile_csv_text(o.f, "plain");
    fputc(',', o.f);
    as_outfile_csv_text(o.f, "Cooks, \"restaurant\"");
    fputc(',', o.f);
    as_outfile_csv_number(o.f, NAN);
    fputc(',', o.f);
    as_outfile_csv_number(o.f, 12345678901.0);
    fputc(',', o.f);
    as_outfile_csv_number(o.f, 0.1);
    assert_int_equal(access(path, F_OK), -1); /* nothing at path until commit */
    assert_int_equal(as_outfile_commit(&o, &err), AS_OK);
    FILE *f = fopen(path, "r");
    char line[128];
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "plain,\"Cooks, \"\"restaurant\"\"\",NA,12345678901,0.1");
    /* abort leaves nothing */
    snprintf(path, sizeof path, "%s/aborted.html", tmpdir);
    assert_int_equal(as_outfile_open(&o, path, &err), AS_OK);
    fputs("half", o.f);
    char tmp[sizeof o.tmp];
    memcpy(tmp, o.tmp, sizeof tmp);
    as_outfile_abort(&o);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(access(tmp, F_OK), -1);
    /* a missing folder is an error with words */
    assert_int_equal(as_outfile_open(&o, "/nonexistent/dir/x.csv", &err), AS_EIO);
    assert_non_null(strstr(err.text, "/nonexistent/dir/x.csv: cannot create"));
}

static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

static void test_report(void **state)
{
    (void)state;
    as_results *base = build(), *proposal = build();
    as_results *both[2] = {base, proposal};
    for (int k = 0; k < 2; k++) { /* openings and supply in the final year too, for the supply chart */
        fill(both[k]);
        both[k]->openings[3] = 100;
        set(both[k], AS_V_SUPPLY, 0, 1, 0, 0, 20);
        set(both[k], AS_V_SUPPLY, 1, 1, 0, 0, 30);
    }
    set(proposal, AS_V_GRADUATES, 0, 0, 0, 0, 12);
    as_report_run runs[2] = {{"base.h5", base, "{\"name\":\"base\",\"description\":\"<b>bold</b> & plain\"}"},
                             {"proposal.h5", proposal, NULL}};
    char path[128];
    snprintf(path, sizeof path, "%s/report.html", tmpdir);
    as_error err;
    as_error_clear(&err);
    assert_int_equal(as_report_write(path, runs, 2, &err), AS_OK);
    FILE *f = fopen(path, "r");
    static char html[1 << 20];
    size_t n = fread(html, 1, sizeof html - 1, f);
    fclose(f);
    html[n] = '\0';
    static const char *const expected[] = {
        "<!DOCTYPE html>", "id=\"chart-supply\"", "id=\"chart-enrollment\"", "id=\"chart-completion\"",
        "id=\"chart-equity\"", "id=\"chart-representation\"", "id=\"chart-effects\"", "id=\"chart-effects-groups\"",
        "&lt;b&gt;bold&lt;/b&gt; &amp; plain", /* scenario text is escaped */
        "If the district adopts proposal instead of base", "</html>"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (!strstr(html, expected[i]))
            fail_msg("the report lacks %s", expected[i]);
    /* nothing to fetch: the only address is the SVG namespace */
    assert_int_equal(occurrences(html, "http"), occurrences(html, "http://www.w3.org/2000/svg"));
    as_error_clear(&err);
    assert_int_equal(as_report_write(path, runs, 0, &err), AS_EINPUT);
    drop(base);
    drop(proposal);
}

/* ---- words ------------------------------------------------------------------------------------------ */

static void test_words(void **state)
{
    (void)state;
    char buf[64];
    static const struct { double x; const char *count, *about, *money; } cases[] = {
        {1234567, "1,234,567", "1,230,000", "$1.2 million"},
        {81450, "81,450", "81,500", "$81,450"},
        {-853.4, "-853", "-853", "-$853"},
        {0.25, "0", "0.25", "$0"},
        {2.5e9, "2,500,000,000", "2,500,000,000", "$2.50 billion"},
        {NAN, "n/a", "n/a", "n/a"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(as_words_count(buf, sizeof buf, cases[i].x), cases[i].count);
        assert_string_equal(as_words_about(buf, sizeof buf, cases[i].x), cases[i].about);
        assert_string_equal(as_words_money(buf, sizeof buf, cases[i].x), cases[i].money);
    }
    assert_string_equal(as_words_percent(buf, sizeof buf, 0.1825), "18.2%");
    assert_string_equal(as_words_signed(buf, sizeof buf, 850), "+850");
    assert_string_equal(as_words_signed(buf, sizeof buf, -12), "-12");
    assert_string_equal(as_words_fixed(buf, sizeof buf, 0.80271, 4), "0.8027");
    assert_string_equal(as_words_fixed(buf, sizeof buf, NAN, 2), "n/a");
}

int main(void)
{
    const struct CMUnitTest metrics[] = {
        cmocka_unit_test(test_sums),           cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_equity),         cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_cost_and_earnings), cmocka_unit_test(test_compare_with_itself),
        cmocka_unit_test(test_compare_paired), cmocka_unit_test(test_compare_refuses),
        cmocka_unit_test(test_tables),
    };
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_estimate),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_sheet_names),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_outfile),
        cmocka_unit_test(test_report),
    };
    int failed = cmocka_run_group_tests_name("analysis_metrics", metrics, setup, teardown);
    failed += cmocka_run_group_tests_name("analysis_pure", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("analysis_files", files, make_tmpdir, remove_tmpdir);
    return failed;
}
