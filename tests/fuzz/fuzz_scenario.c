/*
 * fuzz_scenario.c - the scenario loader and validator under libFuzzer:
 * what `alignsim validate` and a short `alignsim run --check` do, with
 * `extends` and `--set`.
 *
 * An input is up to three parts, separated by a line "===":
 *
 *     the scenario (written to main.json)
 *     ===
 *     a base scenario (written to base.json, so "extends": "base.json" or
 *     "base" finds it; the library's names, "miami-dade", also resolve)
 *     ===
 *     --set PATH=VALUE overrides, one per line
 *
 * The loader must answer every input with AS_OK or an error with words;
 * a valid scenario then goes through the labor tables' checks, the memory
 * estimate, the --set paths' lookups, a derived scenario (as sweeps make)
 * and, when it is small, a run with every invariant checked.  A crash, a
 * sanitizer report, an internal error or an error without words is a
 * finding.
 */
#include "fuzz.h"
#include "demand.h"
#include "engine.h"
#include "labor.h"
#include "market.h"
#include "scenario.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUT (1 << 17)
#define MAX_SETS 8
/* A scenario runs when it simulates at most this many student-years over all replications. */
#define MAX_RUN_STUDENTS 20000.0

static FILE *devnull;
static as_error err; /* 8 KB: static, not on libFuzzer's stack */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    devnull = fopen("/dev/null", "w");
    as_fuzz_dir();
    return 0;
}

/* The problem was answered with words (every error names what is wrong), or abort. */
static void expect_words(int rc, const char *what)
{
    if (rc == AS_OK)
        return;
    if (rc == AS_EINTERNAL || err.text[0] == '\0' || err.code != rc) {
        fprintf(stderr, "fuzz_scenario: %s returned %d with \"%s\"\n", what, rc, err.text);
        abort();
    }
}

/* The next part of [*p, end): up to a line "===" (consumed), as a NUL-terminated copy. */
static char *part(const char **p, const char *end)
{
    const char *s = *p, *cut = end, *next = end;
    for (const char *q = s; q + 3 <= end; q++)
        if ((q == s || q[-1] == '\n') && !memcmp(q, "===", 3) && (q + 3 == end || q[3] == '\n')) {
            cut = q;
            next = q + 3 < end ? q + 4 : end;
            break;
        }
    *p = next;
    char *c = malloc((size_t)(cut - s) + 1);
    memcpy(c, s, (size_t)(cut - s));
    c[cut - s] = '\0';
    return c;
}

static void run_small(const as_scenario *sc, const as_labor *labor)
{
    const as_params *p = &sc->params;
    double students = 0;
    for (int t = -p->warmup_years; t < p->years; t++)
        students += (double)as_params_cohort_size(p, t);
    students += (p->iet.adults_per_year + (double)as_params_external_applicants(p)) * (p->warmup_years + p->years);
    if (!(students * p->replications * p->years <= MAX_RUN_STUDENTS * 10))
        return;
    as_results res;
    as_market *market = NULL;
    int rc = as_demand_prepare(sc, labor, &res, &market, &err);
    expect_words(rc, "as_demand_prepare");
    if (rc != AS_OK)
        return;
    as_engine_options opt = {.threads = 1, .check_invariants = 1};
    rc = as_engine_run(p, market, &opt, &res, &err);
    expect_words(rc, "as_engine_run (invariants checked)");
    as_results_free(&res);
    as_market_free(market);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    char *main_text = part(&p, end);
    int has_base = p < end;
    char *base_text = has_base ? part(&p, end) : NULL;
    char *set_text = p < end ? part(&p, end) : NULL;
    char *sets[MAX_SETS];
    int n_sets = 0;
    for (char *line = set_text, *next; line && *line && n_sets < MAX_SETS; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (*line)
            sets[n_sets++] = line;
    }
    char path[512], base_path[512];
    as_fuzz_path(path, sizeof path, "main.json");
    as_fuzz_path(base_path, sizeof base_path, "base.json");
    as_fuzz_write(path, main_text, strlen(main_text));
    if (has_base)
        as_fuzz_write(base_path, base_text, strlen(base_text));
    else
        unlink(base_path);

    as_error_clear(&err);
    as_scenario *sc = NULL;
    int rc = as_scenario_load(path, (const char *const *)sets, n_sets, &sc, &err);
    expect_words(rc, "as_scenario_load");
    if (rc == AS_OK) {
        as_labor *labor = NULL;
        rc = as_demand_load(sc, &labor, &err);
        expect_words(rc, "as_demand_load");
        if (rc == AS_OK) {
            rc = as_demand_check(sc, labor, &err);
            expect_words(rc, "as_demand_check");
            if (rc == AS_OK) {
                as_demand_notes(sc, labor, devnull);
                run_small(sc, labor);
            }
        }
        as_labor_free(labor);
        (void)as_params_memory_estimate(&sc->params);
        for (int i = 0; i < n_sets; i++) { /* the value in effect at each --set path, as sweeps read it */
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)strcspn(sets[i], "="), sets[i]);
            as_error_clear(&err);
            struct cJSON *v = as_params_value(&sc->params, key, "fuzz", &err);
            cJSON_Delete(v);
            (void)as_params_counts(&sc->params, key);
            char **paths = NULL;
            size_t n = as_params_expand(&sc->params, key, &paths);
            for (size_t k = 0; k < n; k++)
                free(paths[k]);
            free(paths);
        }
        as_scenario *derived = NULL; /* the overrides again, on the resolved text: what a sweep point does */
        as_error_clear(&err);
        rc = as_scenario_derive(sc, (const char *const *)sets, n_sets, &derived, &err);
        expect_words(rc, "as_scenario_derive");
        as_scenario_free(derived);
        as_scenario_free(sc);
    }
    free(main_text);
    free(base_text);
    free(set_text);
    return 0;
}
