/*
 * test_alloc.c - allocation failure travels up as a clean error (issue 15).
 *
 * model/alloc.h's hook makes the Nth allocation of alignsim's own code (and
 * of cJSON's parser) and every later one fail.  Each test walks N from 1 up
 * to the number of allocations the operation makes when nothing fails: at
 * every N (all up to 1,000, then 1,000 evenly spaced) the operation must
 * return an error status with a message or succeed (never crash), and under LeakSanitizer
 * (the sanitizer build of .ci/run) nothing may leak.  The operations: the
 * scenario loader (a scenario that extends a base, with --set overrides),
 * one run (labor tables, demand, the engine, the results file) and one
 * results read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "demand.h"
#include "engine.h"
#include "h5results.h"
#include "scenario.h"

#define FIXTURE(name) AS_SOURCE_DIR "/tests/fixtures/" name

static char proposal[256], results[256];

static const char *const sets[] = {"cohort_size=200", "replications=1", "programs.cte.apply_rate=0.4"};

static int load(as_error *err)
{
    as_scenario *sc = NULL;
    int rc = as_scenario_load(proposal, sets, 3, &sc, err);
    as_scenario_free(sc);
    return rc;
}

static int run(as_error *err)
{
    as_scenario *sc = NULL;
    as_labor *labor = NULL;
    as_market *market = NULL;
    as_results res;
    memset(&res, 0, sizeof res);
    int rc = as_scenario_load(proposal, sets, 3, &sc, err);
    if (rc == AS_OK)
        rc = as_demand_load(sc, &labor, err);
    if (rc == AS_OK)
        rc = as_demand_check(sc, labor, err);
    if (rc == AS_OK)
        rc = as_demand_prepare(sc, labor, &res, &market, err);
    if (rc == AS_OK) {
        as_engine_options opt = {.threads = 2};
        rc = as_engine_run(&sc->params, market, &opt, &res, err);
    }
    if (rc == AS_OK) {
        char data_files[2048];
        as_labor_files_text(labor, data_files, sizeof data_files);
        as_provenance prov = {sc->params.name, sc->path, sc->resolved_json, "start", "end", "test_alloc", data_files};
        rc = as_h5_write(results, &res, &prov, err);
    }
    as_results_free(&res);
    as_market_free(market);
    as_labor_free(labor);
    as_scenario_free(sc);
    return rc;
}

static int read_back(as_error *err)
{
    as_results res;
    char *json = NULL;
    int rc = as_h5_read(results, &res, &json, err);
    if (rc == AS_OK)
        as_results_free(&res);
    free(json);
    return rc;
}

/* Walks N over op: with the Nth allocation failing it fails cleanly; with none failing it succeeds. */
static void walk(const char *what, int (*op)(as_error *))
{
    static as_error err;
    as_error_clear(&err);
    as_alloc_fail_from(0);
    assert_int_equal(op(&err), AS_OK);
    long total = as_alloc_fail_from(0);
    assert_true(total > 10);
    long failed = 0;
    /* every N up to 1,000, then 1,000 evenly spaced (a run makes tens of thousands, most alike: label copies) */
    long stride = total <= 2000 ? 1 : (total - 1000) / 1000 + 1, tried = 0;
    for (long n = 1; n <= total; n += n < 1000 ? 1 : stride) {
        tried++;
        as_error_clear(&err);
        as_alloc_fail_from(n);
        int rc = op(&err);
        as_alloc_fail_from(0);
        if (rc == AS_OK) /* allowed only where the failing allocation's work was optional */
            continue;
        failed++;
        if (err.text[0] == '\0')
            fail_msg("%s: allocation %ld of %ld failing: status %d with no message", what, n, total, rc);
    }
    printf("%s: %ld allocations, %ld tried, %ld gave a clean error, the rest succeeded\n", what, total, tried, failed);
    assert_true(failed > tried / 2);
}

static void loader_fails_cleanly(void **state)
{
    (void)state;
    walk("scenario loader", load);
}

static void run_fails_cleanly(void **state)
{
    (void)state;
    walk("one run", run);
}

static void read_fails_cleanly(void **state)
{
    (void)state;
    as_error err;
    as_error_clear(&err);
    assert_int_equal(run(&err), AS_OK);
    walk("one results read", read_back);
}

int main(void)
{
    snprintf(proposal, sizeof proposal, "%s/test_alloc-%ld.json", AS_BINARY_DIR, (long)getpid());
    snprintf(results, sizeof results, "%s/test_alloc-%ld.h5", AS_BINARY_DIR, (long)getpid());
    FILE *f = fopen(proposal, "w");
    if (!f)
        return 1;
    fprintf(f, "{\"extends\": \"%s\", \"$schema\": \"s.json\", \"name\": \"alloc-proposal\", \"years\": 6,"
               " \"cohort_years\": 4}\n", FIXTURE("toy-small.json"));
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loader_fails_cleanly),
        cmocka_unit_test(run_fails_cleanly),
        cmocka_unit_test(read_fails_cleanly),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(proposal);
    unlink(results);
    return failed;
}
