/*
 * graduates.c - a program built on libalignsim: runs a scenario file (its
 * "extends" and "data:" names resolve in the installed library and data) and
 * prints its graduates per year,
 * averaged over the replications.  It is what CI builds against an
 * installed alignsim, through pkg-config and through find_package.
 *
 *   cc graduates.c $(pkg-config --cflags --libs alignsim) -o graduates
 *   ./graduates "$(pkg-config --variable=scenariosdir alignsim)/toy-cohort.json"
 */
#include <alignsim/demand.h>
#include <alignsim/engine.h>
#include <alignsim/scenario.h>
#include <alignsim/version.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCENARIO.json\n", argv[0]);
        return 2;
    }
    static as_error err;
    as_error_clear(&err);
    as_scenario *sc = NULL;
    as_labor *labor = NULL;
    as_market *market = NULL;
    as_results res;
    memset(&res, 0, sizeof res);
    int rc = as_scenario_load(argv[1], NULL, 0, &sc, &err);
    if (rc == AS_OK && (rc = as_demand_load(sc, &labor, &err)) == AS_OK &&
        (rc = as_demand_check(sc, labor, &err)) == AS_OK &&
        (rc = as_demand_prepare(sc, labor, &res, &market, &err)) == AS_OK) {
        as_engine_options opt = {.threads = 1};
        rc = as_engine_run(&sc->params, market, &opt, &res, &err);
    }
    if (rc == AS_OK) {
        printf("alignsim %s: %s\n", AS_VERSION, sc->params.name);
        size_t pathways = res.dims[AS_D_PATHWAY].len, groups = res.dims[AS_D_SUBGROUP].len;
        for (int t = 0; t < res.years; t++) {
            double total = 0; /* pathway x subgroup; subgroup 0 is "all" students */
            for (int q = 0; q < res.replications; q++) {
                const double *x = as_results_at(&res, AS_V_GRADUATES, q, t);
                for (size_t j = 0; j < pathways; j++)
                    total += x[j * groups];
            }
            printf("%d %.1f\n", res.start_year + t, total / res.replications);
        }
    } else {
        fprintf(stderr, "%s\n", err.text);
    }
    as_results_free(&res);
    as_market_free(market);
    as_labor_free(labor);
    as_scenario_free(sc);
    return rc == AS_OK ? 0 : 2;
}
