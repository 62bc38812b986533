/*
 * cmd_run.c - `alignsim run` and `alignsim validate`: scenario in, checks,
 * engine, results file out.
 */
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "demand.h"
#include "outpath.h"
#include "engine.h"
#include "h5results.h"
#include "h5write.h"
#include "progress.h"
#include "scenario.h"
#include "workcount.h"

#define MAX_SETS 256

typedef struct run_args {
    const char *scenario;
    const char *output;
    const char *sets[MAX_SETS + 2];
    int n_sets;
    int threads;
    int quiet;
    int timing;
    int check;
    char set_buf[2][64];
} run_args;

static void run_usage(FILE *f, const char *cmd)
{
    if (!strcmp(cmd, "validate")) {
        fprintf(f, "usage: alignsim validate SCENARIO.json [--set PATH=VALUE ...]\n\n"
                   "Checks the scenario (after extends and --set) against the parameter table and the\n"
                   "labor tables, and reports every problem at once as FILE: JSON.path: what is wrong.\n"
                   "Exit status 0 when valid, 2 otherwise.  Nothing is run or written.  SCENARIO.json\n"
                   "may be - (standard input; extends then resolves from the current folder).\n");
        return;
    }
    fprintf(f,
            "usage: alignsim run SCENARIO.json [-o RESULTS.h5] [--replications N] [--seed S]\n"
            "                    [--threads N] [--set PATH=VALUE ...] [--quiet] [--timing]\n\n"
            "Simulates the scenario and writes one HDF5 results file (docs/results-format.md).\n"
            "SCENARIO.json may be - (standard input, with -o; extends resolves from the current folder).\n\n"
            "  -o, --output FILE     results file (default: the scenario's name with .h5, here)\n"
            "  --replications N      replications (overrides the scenario's `replications`)\n"
            "  --seed S              seed, 0..4294967295 (overrides `seed`)\n"
            "  --threads N           OpenMP threads (default: all cores); results do not depend on it\n"
            "  --set PATH=VALUE      override any scenario key, e.g. --set programs.it_de.seats=180\n"
            "  --quiet               no progress or summary\n"
            "  --timing              print one JSON line of timings to stdout (for bench/): simulate_s,\n"
            "                        load_s, prepare_s, write_s and the run's size (person_periods: the\n"
            "                        reported students' years; person_years_swept: every person-year the\n"
            "                        engine swept, warm-up years and people after school included;\n"
            "                        phase_s: the engine's seconds by phase, entry, sweep_a, allocation,\n"
            "                        sweep_bc and other, summed over replications, which add up when\n"
            "                        side by side; a build with -DALIGNSIM_COUNT_WORK=ON adds the keyed\n"
            "                        work: blocks_many, blocks_one, choices, alternatives)\n"
            "  --check               verify the engine's invariants every year (slower)\n");
}

/* Returns 0 to go on, or an exit status. */
static int parse_args(int argc, char **argv, run_args *a, int is_run)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"replications", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},   {"threads", required_argument, 0, 't'},
        {"set", required_argument, 0, 'S'},    {"quiet", no_argument, 0, 'q'},
        {"timing", no_argument, 0, 'T'},       {"check", no_argument, 0, 'C'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'o': a->output = optarg; break;
        case 'r':
        case 's':
            strtoul(optarg, &end, 10);
            if (a->n_sets >= MAX_SETS) {
                fprintf(stderr, "alignsim: --%s: at most %d overrides in all\n", c == 'r' ? "replications" : "seed",
                        MAX_SETS);
                return 2;
            }
            if (!*optarg || *end || optarg[0] == '-') {
                fprintf(stderr, "alignsim: --%s: expected a whole number (got \"%s\")\n",
                        c == 'r' ? "replications" : "seed", optarg);
                return 2;
            }
            snprintf(a->set_buf[c == 's'], sizeof a->set_buf[0], "%s=%s", c == 'r' ? "replications" : "seed", optarg);
            a->sets[a->n_sets++] = a->set_buf[c == 's'];
            break;
        case 't':
        {
            long threads = strtol(optarg, &end, 10);
            a->threads = threads >= 1 && threads <= 1024 ? (int)threads : 0;
            if (!*optarg || *end || a->threads == 0) {
                fprintf(stderr, "alignsim: --threads: expected a number from 1 to 1024 (got \"%s\")\n", optarg);
                return 2;
            }
            break;
        }
        case 'S':
            if (a->n_sets >= MAX_SETS) {
                fprintf(stderr, "alignsim: --set: at most %d overrides\n", MAX_SETS);
                return 2;
            }
            a->sets[a->n_sets++] = optarg;
            break;
        case 'q': a->quiet = 1; break;
        case 'T': a->timing = 1; break;
        case 'C': a->check = 1; break;
        case 'h': run_usage(stdout, argv[0]); return -1;
        default:
            fprintf(stderr, "alignsim %s: unknown or incomplete option \"%s\" (see alignsim %s --help)\n", argv[0],
                    argv[optind - 1], argv[0]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "alignsim %s: expected one scenario file (see alignsim %s --help)\n", argv[0], argv[0]);
        return 2;
    }
    a->scenario = argv[optind];
    if (is_run && !strcmp(a->scenario, "-") && !a->output) {
        fprintf(stderr, "alignsim run: the scenario comes from standard input, so the results need a name: "
                        "-o RESULTS.h5\n");
        return 2;
    }
    return 0;
}

static int load_all(const run_args *a, as_scenario **sc, as_labor **labor, as_error *err)
{
    *labor = NULL;
    if (as_scenario_load(a->scenario, a->sets, a->n_sets, sc, err) != AS_OK)
        return err->code;
    if (as_demand_load(*sc, labor, err) != AS_OK || as_demand_check(*sc, *labor, err) != AS_OK) {
        as_labor_free(*labor);
        as_scenario_free(*sc);
        *labor = NULL;
        *sc = NULL;
        return err->code;
    }
    return AS_OK;
}

int as_cmd_validate(int argc, char **argv)
{
    run_args a;
    int rc = parse_args(argc, argv, &a, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    static as_error err;
    as_error_clear(&err);
    as_scenario *sc;
    as_labor *labor;
    if (load_all(&a, &sc, &labor, &err) != AS_OK)
        return as_cli_report(&err);
    const as_params *p = &sc->params;
    printf("%s: valid: \"%s\", %d years from %d, %zu programs, %zu dual-enrollment offers, %zu work-based "
           "learning programs, %zu credentials, %zu postsecondary programs, %zu apprenticeships, %zu occupations\n",
           a.scenario, p->name, p->years, p->start_year, p->programs.n, p->dual_enrollment.n, p->wbl.n,
           p->credentials.n, p->postsecondary.n, p->apprenticeships.n, labor->n_occupations);
    fflush(stdout);
    as_demand_notes(sc, labor, stderr);
    as_labor_free(labor);
    as_scenario_free(sc);
    return 0;
}

typedef struct run_progress {
    as_progress line;
    const as_params *p;
    long years_done;
} run_progress;

/* The engine's progress (each year of each replication) on the terminal's line. */
static int show_progress(void *ctx, int replication, int year, int years)
{
    run_progress *rp = ctx;
    const as_params *p = rp->p;
    int warmup = years - p->years;
    char text[128];
    if (year < warmup)
        snprintf(text, sizeof text, "replication %d of %d, warm-up year %d of %d", replication + 1, p->replications,
                 year + 1, warmup);
    else
        snprintf(text, sizeof text, "replication %d of %d, year %d", replication + 1, p->replications,
                 p->start_year + year - warmup);
    as_progress_show(&rp->line, (double)++rp->years_done, text);
    return 0;
}


static double total_mean(const as_results *r, int v, size_t j, size_t stride)
{
    double s = 0;
    for (int q = 0; q < r->replications; q++)
        for (int t = 0; t < r->years; t++)
            s += as_results_at(r, v, q, t)[j * stride];
    return s / r->replications;
}

static void print_summary(const as_scenario *sc, const as_results *r, const char *output)
{
    const as_params *p = &sc->params;
    size_t G = r->dims[AS_D_SUBGROUP].len, P = r->dims[AS_D_PATHWAY].len;
    double entrants = total_mean(r, AS_V_ENTRANTS, 0, 1), grads = 0, completers = 0, dropouts;
    for (size_t j = 0; j < P; j++) {
        grads += total_mean(r, AS_V_GRADUATES, j, G);
        completers += total_mean(r, AS_V_PATHWAY_COMPLETERS, j, G);
    }
    dropouts = total_mean(r, AS_V_DROPOUTS, 0, 1);
    double creds = 0;
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++)
        creds += total_mean(r, AS_V_CREDENTIALS, k, G);
    int last = r->years - 1;
    size_t O = r->dims[AS_D_OCCUPATION].len;
    double supply = 0, openings = 0, other = 0;
    for (size_t o = 0; o < O; o++) {
        for (int q = 0; q < r->replications; q++)
            supply += as_results_at(r, AS_V_SUPPLY, q, last)[o] / r->replications;
        openings += r->openings[(size_t)last * O + o];
        other += r->other_supply[(size_t)last * O + o];
    }
    printf("%s: %d replications x %d years (%d-%d", p->name, r->replications, r->years, r->start_year,
           r->start_year + r->years - 1);
    if (p->warmup_years)
        printf(", after %d warm-up years", p->warmup_years);
    printf("), %.0f student-years in %.2f s on %d threads\n", r->person_periods, r->simulate_seconds, r->threads);
    printf("  per replication, over all years (mean):\n");
    printf("    entered grade 9   %12.0f\n    graduated         %12.0f\n    dropped out       %12.0f\n",
           entrants, grads, dropouts);
    printf("    pathway completers%12.0f\n    credentials       %12.0f\n", completers, creds);
    printf("  in %d: local pipeline supply %.0f + other supply %.0f vs %.0f openings (all occupations)\n",
           r->start_year + last, supply, other, openings);
    printf("results: %s\n", output);
}

int as_cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_args(argc, argv, &a, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    static as_error err;
    as_error_clear(&err);
    char start[32], end[32];
    as_h5w_now(start, sizeof start);
    as_scenario *sc;
    as_labor *labor;
    double t_load = omp_get_wtime(), t_prepare = 0, t_write = 0; /* --timing: the steps besides the engine */
    if (load_all(&a, &sc, &labor, &err) != AS_OK)
        return as_cli_report(&err);
    t_load = omp_get_wtime() - t_load;
    char default_out[4096];
    if (!a.output)
        a.output = as_cli_output_name(a.scenario, ".h5", default_out, sizeof default_out);
    const char *inputs[1] = {a.scenario};
    if (as_outpath_check(a.output, inputs, 1, &err) != AS_OK) { /* before simulating, not after */
        as_labor_free(labor);
        as_scenario_free(sc);
        return as_cli_report(&err);
    }
    as_results res;
    as_market *market = NULL;
    if (!a.quiet)
        as_demand_notes(sc, labor, stderr);
    t_prepare = omp_get_wtime();
    rc = as_demand_prepare(sc, labor, &res, &market, &err);
    t_prepare = omp_get_wtime() - t_prepare;
    char data_files[2048]; /* the tables' digests, for the results file's provenance */
    as_labor_files_text(labor, data_files, sizeof data_files);
    as_labor_free(labor);
    if (rc == AS_OK) {
        int tty = isatty(STDERR_FILENO) && !a.quiet;
        run_progress rp = {.p = &sc->params};
        as_progress_start(&rp.line, tty,
                          (double)sc->params.replications * (sc->params.warmup_years + sc->params.years));
        as_engine_options opt = {.threads = a.threads, .check_invariants = a.check,
                                 .progress = tty ? show_progress : NULL, .progress_ctx = &rp};
        rc = as_engine_run(&sc->params, market, &opt, &res, &err);
        as_progress_end(&rp.line);
    }
    if (rc == AS_OK) {
        as_h5w_now(end, sizeof end);
        as_provenance prov = {sc->params.name, sc->path, sc->resolved_json, start, end, as_cli_command_line(),
                              data_files};
        t_write = omp_get_wtime();
        rc = as_h5_write(a.output, &res, &prov, &err);
        t_write = omp_get_wtime() - t_write;
    }
    if (rc == AS_OK) {
        if (a.timing) {
            double grads = 0;
            size_t G = res.dims[AS_D_SUBGROUP].len;
            for (size_t j = 0; j < res.dims[AS_D_PATHWAY].len; j++)
                grads += total_mean(&res, AS_V_GRADUATES, j, G);
            double students = 0;
            for (int t = 0; t < sc->params.years; t++)
                students += (double)as_params_cohort_size(&sc->params, t);
            printf("{\"simulate_s\":%.6f,\"person_periods\":%.0f,\"person_years_swept\":%.0f,\"students\":%.0f,"
                   "\"state_bytes_per_student\":%zu,\"graduates\":%.0f,\"threads\":%d,\"replications\":%d,"
                   "\"load_s\":%.6f,\"prepare_s\":%.6f,\"write_s\":%.6f",
                   res.simulate_seconds, res.person_periods, res.person_years_swept, students * sc->params.replications,
                   res.state_bytes_per_student, grads, res.threads, res.replications, t_load, t_prepare, t_write);
#ifdef AS_COUNT_WORK /* a build that counts the keyed work (model/workcount.h) */
            printf(",\"blocks_many\":%llu,\"blocks_one\":%llu,\"choices\":%llu,\"alternatives\":%llu",
                   as_work[AS_W_BLOCKS_MANY], as_work[AS_W_BLOCKS_ONE], as_work[AS_W_CHOICES], as_work[AS_W_ALTERNATIVES]);
#endif
            static const char *const phase[AS_PHASES] = {"entry", "sweep_a", "allocation", "sweep_bc", "other"};
            for (int k = 0; k < AS_PHASES; k++)
                printf("%s\"%s\":%.6f", k ? "," : ",\"phase_s\":{", phase[k], res.phase_seconds[k]);
            printf("}}\n");
        }
        if (!a.quiet)
            print_summary(sc, &res, a.output);
    }
    as_results_free(&res);
    as_market_free(market);
    as_scenario_free(sc);
    return rc == AS_OK ? 0 : as_cli_report(&err);
}

/* The options of a command that takes none but --help: 0 to go on, -1 after --help, or 2. */
static int help_only(int argc, char **argv, const char *usage)
{
    static const struct option longs[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "h", longs, NULL)) != -1;) {
        if (c == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        fprintf(stderr, "alignsim %s: unknown option \"%s\" (see alignsim %s --help)\n", argv[0], argv[optind - 1],
                argv[0]);
        return 2;
    }
    if (optind < argc) {
        fprintf(stderr, "alignsim %s: takes no arguments (see alignsim %s --help)\n", argv[0], argv[0]);
        return 2;
    }
    return 0;
}

/* A command that prints a document generated from the parameter table. */
static int print_generated(int argc, char **argv, const char *usage, int (*write)(FILE *))
{
    int rc = help_only(argc, argv, usage);
    if (rc)
        return rc < 0 ? 0 : rc;
    return write(stdout) == 0 ? 0 : 1;
}

int as_cmd_reference(int argc, char **argv)
{
    return print_generated(argc, argv,
                           "usage: alignsim reference\n\n"
                           "Prints the scenario reference (Markdown) to stdout: every key of a scenario file, its\n"
                           "type, range, default and source, from the parameter table (docs/scenario-reference.md).\n",
                           as_scenario_write_reference);
}

int as_cmd_schema(int argc, char **argv)
{
    return print_generated(argc, argv,
                           "usage: alignsim schema\n\n"
                           "Prints the scenario JSON Schema (draft 2020-12) to stdout, from the parameter table\n"
                           "(docs/scenario.schema.json); editors use it to check and complete scenario files.\n",
                           as_scenario_write_schema);
}
