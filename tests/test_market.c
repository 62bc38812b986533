/*
 * test_market.c - the labor market (issue 4) end to end, through the
 * scenario, io/demand and the engine:
 *
 *   - openings per occupation equal the BLS table's openings_annual_k x 1000
 *     x regional_share for every detail occupation, every year (the CSV is
 *     read here with plain C, not with io/);
 *   - the crosswalk conserves completers: summed over occupations, supply is
 *     labor entrants x in_field_share over the credentials that link to an
 *     occupation; occupation by occupation it is the openings-weighted split;
 *   - apprenticeship cohorts without attrition: completions in year y + term
 *     equal starts in year y, starts never exceed slots;
 *   - dual-enrollment credits shorten the time to a degree exactly as the
 *     transfer rate says: years = max(1, ceil((R - floor(tau c)) / r));
 *   - adults keep the IET credential when they enter work later.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "demand.h"
#include "engine.h"
#include "labor.h"
#include "results.h"
#include "scenario.h"

#define FIXTURE(name) AS_SOURCE_DIR "/tests/fixtures/" name
#define DEMAND_CSV AS_SOURCE_DIR "/data/bls_ep_occupations_2024_34.csv"
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a scenario with its labor market ---------------------------------------------- */

typedef struct world {
    as_scenario *sc;
    as_labor *labor;
    as_market *market;
    as_results res;
} world;

static int count_sets(const char *const *sets)
{
    int n = 0;
    while (sets && sets[n])
        n++;
    return n;
}

/* Loads a fixture, its labor tables, and results with the table's occupations. */
static void world_load(world *w, const char *path, const char *const *sets)
{
    as_error err;
    as_error_clear(&err);
    memset(w, 0, sizeof *w);
    if (as_scenario_load(path, sets, count_sets(sets), &w->sc, &err) != AS_OK ||
        as_demand_load(w->sc, &w->labor, &err) != AS_OK || as_demand_check(w->sc, w->labor, &err) != AS_OK ||
        as_demand_prepare(w->sc, w->labor, &w->res, &w->market, &err) != AS_OK)
        fail_msg("%s:\n%s", path, err.text);
}

static void world_run(world *w, int threads)
{
    as_error err;
    as_error_clear(&err);
    as_engine_options opt = {.threads = threads, .check_invariants = 1};
    int rc = as_engine_run(&w->sc->params, w->market, &opt, &w->res, &err);
    if (rc != AS_OK)
        fail_msg("as_engine_run: status %d:\n%s", rc, err.text);
}

static void world_free(world *w)
{
    as_results_free(&w->res);
    as_market_free(w->market);
    as_labor_free(w->labor);
    as_scenario_free(w->sc);
    memset(w, 0, sizeof *w);
}

static size_t label_index(const as_results *r, int dim, const char *label)
{
    for (size_t i = 0; i < r->dims[dim].len; i++)
        if (strcmp(r->dims[dim].labels[i], label) == 0)
            return i;
    fail_msg("no label \"%s\" in dimension %s", label, as_dim_names[dim]);
    return 0;
}

/* The value at (first-dimension label, subgroup "all"). */
static double get(const as_results *r, int v, int rep, int year, const char *label)
{
    const as_var_def *d = &as_var_defs[v];
    size_t i = 0;
    if (d->ndims > 0 && label) {
        i = label_index(r, d->dims[0], label);
        if (d->ndims == 2)
            i *= r->dims[d->dims[1]].len;
    }
    return as_results_at(r, v, rep, year)[i];
}

static int close_to(double x, double y)
{
    return fabs(x - y) <= 1e-9 * (fabs(x) > fabs(y) ? fabs(x) : fabs(y)) + 1e-9;
}

/* ---- 1. openings from the BLS table ---------------------------------------------------- */

/* Splits one CSV record (RFC 4180 quotes, no line breaks inside fields) in
 * place; returns the number of fields, or -1. */
static int split_csv(char *line, char **fields, int max)
{
    int n = 0;
    char *r = line, *w = line;
    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = w;
        if (*r == '"') {
            for (r++;; r++) {
                if (*r == '\0')
                    return -1;
                if (*r == '"' && r[1] == '"')
                    *w++ = *r++;
                else if (*r == '"')
                    break;
                else
                    *w++ = *r;
            }
            r++;
        }
        while (*r && *r != ',' && *r != '\n' && *r != '\r')
            *w++ = *r++;
        if (*r != ',') {
            *w = '\0';
            return n;
        }
        *w++ = '\0';
        r++;
    }
}

static int column(char **header, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return i;
    fail_msg("%s: no column %s", DEMAND_CSV, name);
    return -1;
}

static void check_openings(double share)
{
    char set[64];
    snprintf(set, sizeof set, "labor_market.regional_share=%.17g", share);
    const char *sets[] = {set, NULL};
    world w;
    world_load(&w, FIXTURE("apprentice.json"), sets);
    assert_int_equal(w.sc->params.labor.projection, 0); /* flat */
    const as_results *r = &w.res;
    size_t n_occ = r->dims[AS_D_OCCUPATION].len;

    FILE *f = fopen(DEMAND_CSV, "r");
    assert_non_null(f);
    char line[4096], *fields[64];
    assert_non_null(fgets(line, sizeof line, f));
    char *start = strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line;
    int nh = split_csv(start, fields, 64);
    assert_true(nh > 0);
    int c_soc = column(fields, nh, "soc_code"), c_type = column(fields, nh, "occ_type");
    int c_open = column(fields, nh, "openings_annual_k");
    const char *code_names[3] = {"entry_education_code", "work_experience_code", "ojt_code"};
    int c_code[3];
    for (int i = 0; i < 3; i++)
        c_code[i] = column(fields, nh, code_names[i]);
    size_t details = 0;
    while (fgets(line, sizeof line, f)) {
        int n = split_csv(line, fields, 64);
        assert_int_equal(n, nh);
        if (strcmp(fields[c_type], "detail") != 0)
            continue;
        details++;
        char *end;
        double jobs = strtod(fields[c_open], &end) * 1000.0;
        assert_true(end != fields[c_open]);
        size_t o = label_index(r, AS_D_OCCUPATION, fields[c_soc]);
        const as_occupation *oc = &w.labor->occupations[o];
        const int got_code[3] = {oc->entry_education, oc->work_experience, oc->ojt};
        for (int i = 0; i < 3; i++)
            if (got_code[i] != atoi(fields[c_code[i]]))
                fail_msg("%s: %s %d, table '%s'", fields[c_soc], code_names[i], got_code[i], fields[c_code[i]]);
        for (int t = 0; t < r->years; t++) {
            double got = r->openings[(size_t)t * n_occ + o];
            if (got != jobs * share)
                fail_msg("%s year %d, regional_share %g: openings %.17g, table %s thousand", fields[c_soc], t,
                         share, got, fields[c_open]);
            assert_true(r->other_supply[(size_t)t * n_occ + o] == 0); /* other_supply_share 0 */
        }
    }
    fclose(f);
    assert_int_equal(details, n_occ);
    world_free(&w);
}

static void test_openings_equal_bls_table(void **state)
{
    (void)state;
    static const double shares[] = {1, 0.25, 0.0123};
    for (size_t i = 0; i < N_OF(shares); i++)
        check_openings(shares[i]);
}

/* The memory check's estimate of the results (as_results_bytes, io/demand.c) is what as_results_alloc
 * takes for its values and year-by-occupation tables, for a scenario with every dimension in use. */
static void test_results_bytes_match_allocation(void **state)
{
    (void)state;
    world w;
    world_load(&w, FIXTURE("rich.json"), (const char *const[]){"replications=3", NULL});
    size_t n_occ = w.res.dims[AS_D_OCCUPATION].len;
    double allocated = 8.0 * ((double)w.res.replications * w.res.years * (double)w.res.slab +
                              (double)w.res.years * (double)n_occ * (2 + AS_OTH_COUNT));
    assert_true(n_occ > 100 && w.res.slab > n_occ);
    assert_true(as_results_bytes(&w.sc->params, n_occ) == allocated);
    world_free(&w);
}

/* ---- 2. the crosswalk conserves completers ----------------------------------------------- */

/* Occupations of credential k and their weights (openings shares), from the
 * labor tables, as the market's definition says. */
/* The entry rules as docs/model.md 7.27 states them: an award meets BLS
 * entry education code `need` or a less demanding one (a larger code);
 * occupations that need related experience are closed (work_experience
 * "none"), those of "5 years or more" also under "less_than_5_years". */
static int enterable(const as_params *p, const as_occupation *oc, double need)
{
    const as_entry_rules *e = &p->labor.entry_rules;
    if (!e->enabled)
        return 1;
    int open_exp = e->work_experience == AS_EXP_ANY ? 1 : e->work_experience == AS_EXP_UNDER_5 ? oc->work_experience != 1
                                                                                             : oc->work_experience != 1 && oc->work_experience != 2;
    return (oc->entry_education == 0 || oc->entry_education >= need) && open_exp && !(e->apprentices_only && oc->ojt == 2);
}

/* In-field share of credential k's labor entrants. */
static double in_field_of(const as_params *p, size_t k)
{
    size_t t0 = as_results_cred_trade(p, 0);
    if (k >= t0 && k < as_results_cred_iet(p) && p->labor.entry_rules.enabled)
        return 1;
    return p->labor.in_field_share;
}

/* Occupations of cip that an award meeting entry education `need` may
 * enter, and their weights (openings shares). */
static size_t open_occupations(const as_params *p, const as_labor *labor, const char *cip, double need, size_t *occ,
                               double *weight)
{
    const size_t *list = NULL;
    size_t all = cip && *cip ? as_labor_cip_occupations(labor, cip, &list) : 0, n = 0;
    double sum = 0;
    for (size_t i = 0; i < all; i++)
        if (enterable(p, &labor->occupations[list[i]], need)) {
            occ[n++] = list[i];
            sum += labor->occupations[list[i]].openings;
        }
    for (size_t i = 0; i < n; i++)
        weight[i] = sum > 0 ? labor->occupations[occ[i]].openings / sum : 1.0 / (double)n;
    return n;
}

static size_t links(const as_params *p, const as_labor *labor, size_t k, size_t *occ, double *weight)
{
    const char *cip = NULL;
    const double *edu = p->labor.entry_rules.education; /* industry_certification, certificate, associate, bachelor */
    double need = edu[1];
    if (k < p->credentials.n) {
        cip = p->credentials.items[k].cip;
        need = isnan(p->credentials.items[k].entry_education) ? edu[0] : p->credentials.items[k].entry_education;
    } else if (k < as_results_cred_trade(p, 0)) {
        cip = p->postsecondary.items[k - p->credentials.n].cip;
        const as_postsec_program *ps = &p->postsecondary.items[k - p->credentials.n];
        need = isnan(ps->entry_education) ? edu[1 + ps->level] : ps->entry_education;
    } else if (k < as_results_cred_iet(p)) {
        long o = as_labor_find_soc(labor, p->apprenticeships.items[k - as_results_cred_trade(p, 0)].soc);
        if (o < 0)
            return 0;
        occ[0] = (size_t)o;
        weight[0] = 1;
        return 1;
    } else
        cip = p->iet.cip;
    return open_occupations(p, labor, cip, need, occ, weight);
}

static void check_supply(const char *const *sets)
{
    world w;
    world_load(&w, FIXTURE("rich.json"), sets);
    world_run(&w, 2);
    const as_params *p = &w.sc->params;
    const as_results *r = &w.res;
    size_t n_occ = r->dims[AS_D_OCCUPATION].len, n_cred = r->dims[AS_D_CREDENTIAL].len;
    size_t *occ = malloc(n_occ * sizeof *occ);
    double *weight = malloc(n_occ * sizeof *weight), *expect = malloc(n_occ * sizeof *expect);
    double *expect_src = malloc(n_occ * AS_SUP_COUNT * sizeof *expect_src);
    assert_true(occ && weight && expect && expect_src);
    double linked_entrants = 0;
    for (int q = 0; q < r->replications; q++)
        for (int t = 0; t < r->years; t++) {
            const double *entrants = as_results_at(r, AS_V_LABOR_ENTRANTS, q, t);
            const double *shifted = as_results_at(r, AS_V_ENTRANTS_WITH_EXPERIENCE, q, t);
            const double *in_field = as_results_at(r, AS_V_IN_FIELD_WITH_EXPERIENCE, q, t);
            const double *supply = as_results_at(r, AS_V_SUPPLY, q, t);
            memset(expect, 0, n_occ * sizeof *expect);
            memset(expect_src, 0, n_occ * AS_SUP_COUNT * sizeof *expect_src);
            const double *by_source = as_results_at(r, AS_V_SUPPLY_BY_SOURCE, q, t);
            double linked = 0, supplied = 0, earnings = 0;
            for (size_t k = 0; k < n_cred; k++) {
                size_t n = links(p, w.labor, k, occ, weight);
                double share = in_field_of(p, k);
                if (n)
                    linked += (entrants[k] - shifted[k]) * share + in_field[k];
                /* entrants whose experiences shift in-field work (all effects here are
                 * positive) count with their shifted probabilities: more than share each */
                assert_true(shifted[k] <= entrants[k]);
                assert_true(shifted[k] == 0 ? in_field[k] == 0
                            : share < 1 ? in_field[k] > shifted[k] * share && in_field[k] <= shifted[k]
                                        : close_to(in_field[k], shifted[k]));
                int src = k < p->credentials.n ? AS_SUP_HIGH_SCHOOL : k < as_results_cred_trade(p, 0) ? AS_SUP_POSTSECONDARY
                          : k < as_results_cred_iet(p) ? AS_SUP_APPRENTICESHIP : AS_SUP_IET;
                for (size_t l = 0; l < n; l++) {
                    expect[occ[l]] += ((entrants[k] - shifted[k]) * share + in_field[k]) * weight[l];
                    expect_src[occ[l] * AS_SUP_COUNT + src] += ((entrants[k] - shifted[k]) * share + in_field[k]) * weight[l];
                }
            }
            for (size_t o = 0; o < n_occ; o++) {
                supplied += supply[o];
                for (int src = 0; src < AS_SUP_COUNT; src++)
                    if (!close_to(by_source[o * AS_SUP_COUNT + src], expect_src[o * AS_SUP_COUNT + src]))
                        fail_msg("replication %d year %d, %s from %s: supply %.17g, expected %.17g", q, t,
                                 r->dims[AS_D_OCCUPATION].labels[o], as_supply_source_names[src],
                                 by_source[o * AS_SUP_COUNT + src], expect_src[o * AS_SUP_COUNT + src]);
                if (!close_to(supply[o], expect[o]))
                    fail_msg("replication %d year %d, %s: supply %.17g, expected %.17g", q, t,
                             r->dims[AS_D_OCCUPATION].labels[o], supply[o], expect[o]);
                if (isfinite(r->occupation_wage[o]))
                    earnings += supply[o] * r->occupation_wage[o];
            }
            if (!close_to(supplied, linked))
                fail_msg("replication %d year %d: supply sums to %.17g, expected in-field entrants with links %.17g",
                         q, t, supplied, linked);
            assert_true(close_to(*as_results_at(r, AS_V_EARNINGS, q, t), earnings));
            linked_entrants += linked;
        }
    assert_true(linked_entrants > 0);
    free(occ);
    free(weight);
    free(expect);
    free(expect_src);
    world_free(&w);
}

/* Every rule setting: supply is what the stated rules give, occupation by occupation. */
static void test_supply_conserves_completers(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {NULL},
        {"labor_market.entry_rules.enabled=false", NULL},
        {"labor_market.entry_rules.work_experience=\"less_than_5_years\"", "labor_market.entry_rules.apprentices_only=true", NULL},
        {"labor_market.entry_rules.work_experience=\"any\"", "labor_market.entry_rules.education={\"associate\": 1}", NULL},
        {"postsecondary.cc_it.entry_education=3", "postsecondary.cc_elec.entry_education=7", NULL},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_supply(cases[i]);
}

/* On the real BLS table: with the rules, no pipeline supply reaches an occupation that needs related work
 * experience, first-line construction supervisors (47-1011, 5 years or more) among them; without them it does. */
static void test_entry_rules_close_experienced_occupations(void **state)
{
    (void)state;
    for (int enabled = 1; enabled >= 0; enabled--) {
        const char *sets[] = {enabled ? "labor_market.entry_rules.enabled=true" : "labor_market.entry_rules.enabled=false", NULL};
        world w;
        world_load(&w, FIXTURE("rich.json"), sets);
        world_run(&w, 1);
        const as_results *r = &w.res;
        size_t n_occ = r->dims[AS_D_OCCUPATION].len;
        double gated = 0, total = 0, supervisors = 0;
        for (int q = 0; q < r->replications; q++)
            for (int t = 0; t < r->years; t++) {
                const double *s = as_results_at(r, AS_V_SUPPLY, q, t);
                for (size_t o = 0; o < n_occ; o++) {
                    total += s[o];
                    if (w.labor->occupations[o].work_experience == 1 || w.labor->occupations[o].work_experience == 2)
                        gated += s[o];
                }
                supervisors += s[label_index(r, AS_D_OCCUPATION, "47-1011")];
            }
        assert_true(total > 0);
        if (enabled) {
            assert_true(gated == 0 && supervisors == 0);
        } else if (!(gated > 0 && supervisors > 0)) {
            fail_msg("without entry rules: supply to experienced occupations %g, to 47-1011 %g (expected > 0)", gated,
                     supervisors);
        }
        world_free(&w);
    }
}

/* ---- 2b. other supply from a completions table, in-migration and the share -------------- */

/* tests/fixtures/completions.csv summed by CIP and award level, as IPEDS
 * AWLEVEL maps to BLS entry education (2: 1-2 year certificate, 5; 3:
 * associate, 4; 5: bachelor's, 3); its grand-total row (CIPCODE 99) and
 * second major (MAJORNUM 2) are left out, "1.0000" is CIP 01.0000. */
static const as_completion fixture_completions[] = {
    {"01.0000", 3, 7}, {"47.0201", 4, 20}, {"47.0201", 5, 50}, {"51.3801", 3, 100}, {"51.3801", 5, 30},
    {"52.0201", 3, 60},
};

static void test_completions_become_other_supply(void **state)
{
    (void)state;
    const char *sets[] = {"labor_market.completions=\"completions.csv\"", "labor_market.completions_in_field_share=0.5",
                          "labor_market.other_supply_share=0.25",
                          "labor_market.in_migration={\"49-9021\": {\"per_year\": 12}}",
                          "labor_market.other_supply={\"47-2111\": {\"per_year\": 80}}", NULL};
    world w;
    world_load(&w, FIXTURE("rich.json"), sets);
    const as_params *p = &w.sc->params;
    const as_results *r = &w.res;
    size_t n_occ = r->dims[AS_D_OCCUPATION].len;
    assert_int_equal(w.labor->n_completions, N_OF(fixture_completions));
    for (size_t i = 0; i < N_OF(fixture_completions); i++) {
        const as_completion *got = &w.labor->completions[i], *want = &fixture_completions[i];
        if (strcmp(got->cip, want->cip) || got->education != want->education || got->awards != want->awards)
            fail_msg("completion %zu: %s %d %g, expected %s %d %g", i, got->cip, got->education, got->awards, want->cip,
                     want->education, want->awards);
    }
    size_t *occ = malloc(n_occ * sizeof *occ);
    double *weight = malloc(n_occ * sizeof *weight), *expect = calloc(n_occ, sizeof *expect);
    assert_true(occ && weight && expect);
    double reached = 0; /* awards with an occupation open to them */
    for (size_t i = 0; i < N_OF(fixture_completions); i++) {
        const as_completion *c = &fixture_completions[i];
        size_t n = open_occupations(p, w.labor, c->cip, c->education, occ, weight);
        for (size_t l = 0; l < n; l++)
            expect[occ[l]] += 0.5 * c->awards * weight[l];
        reached += n ? c->awards : 0;
    }
    /* RN certificates (51.3801, entry education 5) reach no occupation: RNs need a bachelor's (3) */
    assert_true(reached == 7 + 20 + 50 + 100 + 60);
    size_t electricians = label_index(r, AS_D_OCCUPATION, "47-2111"), hvac = label_index(r, AS_D_OCCUPATION, "49-9021");
    double total = 0;
    for (int t = 0; t < r->years; t++)
        for (size_t o = 0; o < n_occ; o++) {
            const double *by = r->other_supply_by_source + ((size_t)t * n_occ + o) * AS_OTH_COUNT;
            double open = r->openings[(size_t)t * n_occ + o], want[AS_OTH_COUNT] = {0};
            if (o == electricians) {
                want[AS_OTH_INPUT] = 80; /* a listed figure replaces everything else */
            } else {
                want[AS_OTH_COMPLETIONS] = expect[o];
                want[AS_OTH_IN_MIGRATION] = o == hvac ? 12 : 0;
                want[AS_OTH_SHARE] = 0.25 * open;
            }
            double sum = 0;
            for (int s = 0; s < AS_OTH_COUNT; s++) {
                if (!close_to(by[s], want[s]))
                    fail_msg("year %d, %s, %s: %.17g, expected %.17g", t, r->dims[AS_D_OCCUPATION].labels[o],
                             as_other_source_names[s], by[s], want[s]);
                sum += by[s];
            }
            assert_true(close_to(r->other_supply[(size_t)t * n_occ + o], sum));
            assert_true(r->other_supply_assumed[o] == (o != electricians));
            total += t == 0 ? by[AS_OTH_COMPLETIONS] : 0;
        }
    assert_true(close_to(total, 0.5 * reached)); /* every award that can enter an occupation is counted once */
    assert_true(r->occupation_entry_education[label_index(r, AS_D_OCCUPATION, "29-1141")] == 3);
    free(occ);
    free(weight);
    free(expect);
    world_free(&w);
}

/* ---- 3. apprenticeship cohorts ------------------------------------------------------------- */

static void test_apprenticeship_cohorts(void **state)
{
    (void)state;
    world w;
    world_load(&w, FIXTURE("apprentice.json"), NULL);
    world_run(&w, 2);
    const as_params *p = &w.sc->params;
    const as_results *r = &w.res;
    int scarce = 0;
    for (size_t j = 0; j < p->apprenticeships.n; j++) {
        const as_trade *tr = &p->apprenticeships.items[j];
        assert_true(tr->attrition == 0);
        int term = tr->term_years;
        long occupation = as_labor_find_soc(w.labor, tr->soc);
        assert_true(occupation >= 0);
        for (int q = 0; q < r->replications; q++) {
            double started = 0;
            for (int y = 0; y < r->years; y++) {
                double starts = get(r, AS_V_APPRENTICE_STARTS, q, y, tr->id);
                double slots = tr->slots.value;
                if (starts > slots)
                    fail_msg("%s year %d: %g starts in %g slots", tr->id, y, starts, slots);
                scarce |= get(r, AS_V_APPRENTICE_APPLICANTS, q, y, tr->id) > slots && starts == slots;
                assert_true(get(r, AS_V_APPRENTICE_LEAVERS, q, y, tr->id) == 0);
                /* in training: the starts of the last `term` years */
                double training = 0;
                for (int s = y - term; s < y; s++)
                    training += s >= 0 ? get(r, AS_V_APPRENTICE_STARTS, q, s, tr->id) : 0;
                assert_true(get(r, AS_V_APPRENTICES, q, y, tr->id) == training);
                /* completions: the starts of `term` years before, nobody else */
                double completed = get(r, AS_V_CREDENTIALS, q, y, tr->id);
                double cohort = y - term >= 0 ? get(r, AS_V_APPRENTICE_STARTS, q, y - term, tr->id) : 0;
                if (completed != cohort)
                    fail_msg("%s replication %d year %d: %g completions, %g started in year %d", tr->id, q, y,
                             completed, cohort, y - term);
                assert_true(get(r, AS_V_LABOR_ENTRANTS, q, y, tr->id) == completed);
                started += starts;
            }
            assert_true(started > 0);
        }
    }
    assert_true(scarce);
    /* nothing else links to these occupations here: supply is the trade's completers, all in the trade */
    for (int q = 0; q < r->replications; q++)
        for (int y = 0; y < r->years; y++)
            for (size_t j = 0; j < p->apprenticeships.n; j++) {
                const as_trade *tr = &p->apprenticeships.items[j];
                double completed = get(r, AS_V_CREDENTIALS, q, y, tr->id);
                assert_true(close_to(get(r, AS_V_SUPPLY, q, y, tr->soc), completed)); /* entry_rules: in full */
            }
    world_free(&w);
}

/* ---- 4. dual-enrollment credit and time to degree ---------------------------------------------- */

/* One deterministic cohort of 50 (dualcredit.json): dual enrollment in
 * grades 11 and 12, graduation in year 3, the associate program from year 4,
 * persistence 1.  With c credits in high school, a share tau of them count
 * (floor), and the rest of R is earned r a year: the degree takes
 * max(1, ceil((R - min(R, floor(tau c))) / r)) years (a student with every
 * credit still enrolls for one year). */
static const struct {
    int takes_dual, courses;
    double credits_per_course, transfer_rate, required, per_year;
    int years; /* written out by hand */
} degree_cases[] = {
    {0, 2, 3, 0.8, 60, 12, 5},   /* no college credit */
    {1, 2, 3, 1.0, 60, 12, 4},   /* 12 credits, all count: 48 left */
    {1, 2, 3, 0.5, 60, 12, 5},   /* 6 count: 54 left, 4.5 years */
    {1, 4, 3, 1.0, 60, 12, 3},   /* 24 */
    {1, 4, 3, 0.75, 60, 12, 4},  /* 18 count: 42 left, 3.5 years */
    {1, 3, 5, 0.9, 60, 12, 3},   /* 30 credits, 27 count: 33 left */
    {1, 2, 4, 0.7, 60, 12, 5},   /* 16 credits, floor(11.2) = 11 count: 49 left */
    {1, 4, 8, 1.0, 60, 12, 1},   /* 64 credits: the degree is covered */
    {1, 2, 3, 1.0, 60, 15, 4},   /* 48 left at 15 a year: 3.2 */
    {1, 2, 4, 1.0, 60, 15, 3},   /* 16: 44 left, 2.93 */
    {0, 2, 3, 1.0, 120, 30, 4},  /* bachelor-sized, no credit */
    {1, 4, 3, 1.0, 120, 30, 4},  /* 24: 96 left, 3.2 */
    {1, 3, 5, 1.0, 120, 30, 3},  /* 30: 90 left, exactly 3 */
};

static void test_dual_credit_time_to_degree(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(degree_cases); i++) {
        char sets[6][80];
        snprintf(sets[0], 80, "dual_enrollment.de.apply_rate=%d", degree_cases[i].takes_dual);
        snprintf(sets[1], 80, "dual_enrollment.de.courses_per_year=%d", degree_cases[i].courses);
        snprintf(sets[2], 80, "dual_enrollment.de.credits_per_course=%g", degree_cases[i].credits_per_course);
        snprintf(sets[3], 80, "postsecondary.aa.transfer_rate=%g", degree_cases[i].transfer_rate);
        snprintf(sets[4], 80, "postsecondary.aa.credits_required=%g", degree_cases[i].required);
        snprintf(sets[5], 80, "postsecondary.aa.credits_per_year=%g", degree_cases[i].per_year);
        const char *list[] = {sets[0], sets[1], sets[2], sets[3], sets[4], sets[5], NULL};
        as_error err;
        as_error_clear(&err);
        as_scenario *sc = NULL;
        if (as_scenario_load(FIXTURE("dualcredit.json"), list, 6, &sc, &err) != AS_OK)
            fail_msg("%s", err.text);
        const as_params *p = &sc->params;
        as_results res;
        assert_int_equal(as_results_alloc(&res, p, 0, NULL, &err), AS_OK);
        as_engine_options opt = {.threads = 1, .check_invariants = 1};
        assert_int_equal(as_engine_run(p, NULL, &opt, &res, &err), AS_OK);

        /* the formula, from the parameters */
        double c = degree_cases[i].takes_dual ? 2.0 * degree_cases[i].courses * degree_cases[i].credits_per_course : 0;
        double R = degree_cases[i].required, counted = floor(degree_cases[i].transfer_rate * c);
        double formula = ceil((R - (counted < R ? counted : R)) / degree_cases[i].per_year);
        int years = formula < 1 ? 1 : (int)formula;
        assert_int_equal(years, degree_cases[i].years);

        double n = p->cohort_size;
        int grad_year = 3, done = grad_year + years;
        assert_true(done < res.years);
        assert_true(get(&res, AS_V_GRADUATES, 0, grad_year, "none") == n);
        assert_true(get(&res, AS_V_GRADS_POSTSEC_EXPERIENCE, 0, grad_year, "all") == (c > 0 ? n : 0));
        assert_true(get(&res, AS_V_POSTSEC_STARTS, 0, grad_year, "aa") == n);
        for (int t = 0; t < res.years; t++) {
            double completions = get(&res, AS_V_CREDENTIALS, 0, t, "aa");
            double in_program = get(&res, AS_V_POSTSEC_ENROLLED, 0, t, "aa");
            if (completions != (t == done ? n : 0) ||
                get(&res, AS_V_POSTSEC_YEARS, 0, t, "aa") != (t == done ? n * years : 0) ||
                in_program != (t > grad_year && t <= done ? n : 0))
                fail_msg("case %zu (c = %g, tau = %g, R = %g, r = %g): year %d: %g completions, %g years summed, "
                         "%g enrolled; expected the degree in %d years (year %d)",
                         i, c, degree_cases[i].transfer_rate, R, degree_cases[i].per_year, t, completions,
                         get(&res, AS_V_POSTSEC_YEARS, 0, t, "aa"), in_program, years, done);
        }
        as_results_free(&res);
        as_scenario_free(sc);
    }
}

/*
 * docs/model.md 7.17-7.18: an adult who completed IET keeps the IET
 * credential when entering work later: refused a community-college seat, or
 * leaving the college program before completing.  (Found by this test: both
 * paths used to enter work with the industry credential, none for adults.)
 */
static void test_iet_credential_goes_to_work(void **state)
{
    (void)state;
    world w;
    world_load(&w, FIXTURE("iet.json"), NULL);
    world_run(&w, 1);
    const as_params *p = &w.sc->params;
    const as_results *r = &w.res;
    double completers = 0, entrants = 0, seats = p->postsecondary.items[0].seats.value;
    /* those admitted in the last year are still enrolled when the run ends */
    double still_enrolled = get(r, AS_V_POSTSEC_STARTS, 0, r->years - 1, "cc");
    for (int t = 0; t < r->years; t++) {
        completers += get(r, AS_V_IET_COMPLETERS, 0, t, NULL);
        entrants += get(r, AS_V_LABOR_ENTRANTS, 0, t, "iet");
        /* the college program keeps nobody (persistence 0) and graduates nobody */
        assert_true(get(r, AS_V_CREDENTIALS, 0, t, "cc") == 0);
        assert_true(get(r, AS_V_POSTSEC_STARTS, 0, t, "cc") <= seats);
    }
    assert_true(completers == p->iet.adults_per_year * p->years);
    world_free(&w);
    /* every completer works holding the IET credential: refused a seat, or after leaving college */
    if (entrants != completers - still_enrolled)
        fail_msg("%g IET completers, %g of them working by the end, but %g labor entrants hold the IET credential",
                 completers, completers - still_enrolled, entrants);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openings_equal_bls_table),
        cmocka_unit_test(test_results_bytes_match_allocation),
        cmocka_unit_test(test_supply_conserves_completers),
        cmocka_unit_test(test_entry_rules_close_experienced_occupations),
        cmocka_unit_test(test_completions_become_other_supply),
        cmocka_unit_test(test_apprenticeship_cohorts),
        cmocka_unit_test(test_dual_credit_time_to_degree),
        cmocka_unit_test(test_iet_credential_goes_to_work),
    };
    if (getenv("AS_TEST_FILTER")) /* e.g. AS_TEST_FILTER='*markov*' to run one test */
        cmocka_set_test_filter(getenv("AS_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
