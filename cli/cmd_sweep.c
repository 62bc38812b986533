/*
 * cmd_sweep.c - `alignsim sweep`, `sweep-merge` and `sensitivity`: sweep files
 * in, sweep results and sensitivity indices out (docs/sweeps.md).
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "alloc.h"
#include "h5sweep.h"
#include "h5write.h"
#include "outpath.h"
#include "sweep.h"
#include "sweep_analysis.h"
#include "sweep_file.h"
#ifdef ALIGNSIM_HAVE_MPI
#include "sweep_mpi.h"
#endif

static void sweep_usage(FILE *f)
{
    fprintf(f, "usage: alignsim sweep SWEEP.json [-o sweep.h5] [--resume] [--slice I/N] [--threads N]\n"
               "                      [--keep-results DIR] [--quiet]\n"
               "       alignsim sweep SWEEP.json --check\n\n"
               "Runs every point of the sweep's design: the base scenario with the sweep's parameters\n"
               "set to the point's values, the same seed and replications at every point (common\n"
               "random numbers).  Finished points are kept in OUTPUT.journal as they finish; the\n"
               "results file is written when every point is done.\n\n"
               "  -o, --output FILE   results file (default: the sweep file's name with .h5)\n"
               "  --resume            keep the points an earlier, interrupted run finished\n"
               "  --slice I/N         run only points p with p %% N == I - 1 (job arrays; then\n"
               "                      alignsim sweep-merge)\n"
               "  --threads N         threads (default: all): N points side by side, one engine thread\n"
               "                      each, while N or more remain; the rest one at a time on N threads\n"
               "  --keep-results DIR  also write each point's whole results (as alignsim run does) to\n"
               "                      DIR/point-NNNNNN.h5 (DIR must exist; test models have none)\n"
               "  --quiet             no progress line or summary\n"
               "  --check             check the sweep against its scenario and print its size; run nothing\n\n"
               "Exit status 2 for a bad sweep file (nothing is run).  See docs/sweeps.md.\n");
}

int as_cmd_sweep(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'}, {"resume", no_argument, 0, 'r'},
                                          {"slice", required_argument, 0, 's'}, {"threads", required_argument, 0, 't'},
                                          {"quiet", no_argument, 0, 'q'},       {"help", no_argument, 0, 'h'},
                                          {"check", no_argument, 0, 'c'},
                                          {"keep-results", required_argument, 0, 'k'},
                                          {0, 0, 0, 0}};
    as_sweep_options opt = {0};
    int quiet = 0, check = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': opt.output = optarg; break;
        case 'r': opt.resume = 1; break;
        case 'q': quiet = 1; break;
        case 'c': check = 1; break;
        case 'k': opt.keep_results = optarg; break;
        case 't':
            opt.threads = (int)strtol(optarg, &end, 10);
            if (*end || opt.threads < 1) {
                fprintf(stderr, "alignsim sweep: --threads: expected a whole number >= 1 (got \"%s\")\n", optarg);
                return 2;
            }
            break;
        case 's': {
            unsigned long i = strtoul(optarg, &end, 10), n = *end == '/' ? strtoul(end + 1, &end, 10) : 0;
            if (*end || n < 1 || i < 1 || i > n) {
                fprintf(stderr, "alignsim sweep: --slice: expected I/N with 1 <= I <= N (got \"%s\")\n", optarg);
                return 2;
            }
            opt.slice = i - 1;
            opt.n_slices = n;
            break;
        }
        case 'h': sweep_usage(stdout); return 0;
        default:
            fprintf(stderr, "alignsim sweep: unknown or incomplete option \"%s\" (see alignsim sweep --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "alignsim sweep: expected one sweep file (see alignsim sweep --help)\n");
        return 2;
    }
    const char *path = argv[optind];
    if (!strcmp(path, "-") && !opt.output) {
        fprintf(stderr, "alignsim sweep: the sweep file comes from standard input, so the results need a name: "
                        "-o SWEEP.h5\n");
        return 2;
    }
    char out[4096];
    if (!opt.output)
        opt.output = as_cli_output_name(path, ".h5", out, sizeof out);
    opt.command_line = as_cli_command_line();
    opt.progress = !quiet && isatty(STDERR_FILENO);
    static as_error err;
    as_error_clear(&err);
    as_sweep *sw = NULL;
    if (check) {
        as_sweep_data d;
        if (as_sweep_load(path, &sw, &err) == AS_OK && as_sweep_prepare(sw, &d, &err) == AS_OK) {
            printf("%s: valid: \"%s\", a %s design of %zu points, %zu parameters, %d replications per point, "
                   "%zu outputs\n", path, sw->name, d.design, d.n_points, d.n_params, d.replications, d.n_outputs);
            as_sweep_data_free(&d);
        }
        as_sweep_free(sw);
        return err.code == AS_OK ? 0 : as_cli_report(&err);
    }
    int mpi = 0;
#ifdef ALIGNSIM_HAVE_MPI
    if ((mpi = as_sweep_mpi_wanted()))
        as_sweep_mpi_init(&argc, &argv);
#endif
    const char *inputs[1] = {path};
    int rc = as_outpath_check(opt.output, inputs, 1, &err);
    if (rc == AS_OK)
        rc = as_sweep_load(path, &sw, &err);
#ifdef ALIGNSIM_HAVE_MPI
    if (rc == AS_OK && mpi)
        rc = as_sweep_mpi_run(sw, &opt, &err);
#endif
    if (rc == AS_OK && !mpi)
        rc = as_sweep_run(sw, &opt, &err);
    if (rc == AS_OK && !quiet && (opt.kept || opt.ran))
        fprintf(stderr, "alignsim sweep: %s: %zu points (%zu kept from an earlier run, %zu run now)\n", opt.output,
                opt.kept + opt.ran, opt.kept, opt.ran);
    as_sweep_free(sw);
#ifdef ALIGNSIM_HAVE_MPI
    if (mpi && as_sweep_mpi_rank() != 0)
        as_error_clear(&err); /* rank 0 speaks for all */
#endif
    int status = err.code == AS_OK ? 0 : as_cli_report(&err);
#ifdef ALIGNSIM_HAVE_MPI
    if (mpi)
        status = as_sweep_mpi_finish(status);
#endif
    return status;
}

/* ---- sweep-merge ------------------------------------------------------------------------------ */

static void merge_usage(FILE *f)
{
    fprintf(f, "usage: alignsim sweep-merge -o OUT.h5 PART.h5 [PART.h5 ...]\n\n"
               "Joins the files of one sweep's slices (alignsim sweep --slice I/N) into one: every\n"
               "point is taken from the part that ran it.  The parts must come from the same sweep\n"
               "file; a point that no part ran, or that two parts ran, is an error.\n");
}

static int same_sweep(const as_sweep_data *a, const as_sweep_data *b)
{
    return a->n_points == b->n_points && a->n_params == b->n_params && a->n_outputs == b->n_outputs &&
           a->replications == b->replications && !strcmp(a->sweep_json, b->sweep_json) &&
           !memcmp(a->unit, b->unit, a->n_points * a->n_params * sizeof *a->unit);
}

int as_cmd_sweep_merge(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
    const char *output = NULL;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1;) {
        if (c == 'h') {
            merge_usage(stdout);
            return 0;
        }
        if (c != 'o') {
            fprintf(stderr, "alignsim sweep-merge: unknown or incomplete option \"%s\" (see alignsim sweep-merge --help)\n",
                    argv[optind - 1]);
            return 2;
        }
        output = optarg;
    }
    int first = optind;
    if (!output || first >= argc) {
        fprintf(stderr, "alignsim sweep-merge: expected -o OUT.h5 and at least one part (see alignsim sweep-merge --help)\n");
        return 2;
    }
    static as_error err;
    as_error_clear(&err);
    as_sweep_data all, part;
    if (as_outpath_check(output, (const char *const *)argv + first, (size_t)(argc - first), &err) != AS_OK ||
        as_h5sweep_read(argv[first], &all, &err) != AS_OK)
        return as_cli_report(&err);
    size_t values = (size_t)all.replications * all.n_outputs;
    for (int i = first + 1; i < argc && err.code == AS_OK; i++) {
        if (as_h5sweep_read(argv[i], &part, &err) != AS_OK)
            break;
        if (!same_sweep(&all, &part))
            as_error_set(&err, AS_EINPUT, argv[i], "not a part of the sweep of %s (its sweep file or design differ)",
                         argv[first]);
        for (size_t p = 0; err.code == AS_OK && p < all.n_points; p++) {
            if (!part.done[p])
                continue;
            if (all.done[p])
                as_error_set(&err, AS_EINPUT, argv[i], "point %zu is also in an earlier part", p);
            all.done[p] = 1;
            memcpy(all.outputs + p * values, part.outputs + p * values, values * sizeof *all.outputs);
            all.point_seconds[p] = part.point_seconds[p];
            all.simulate_seconds[p] = part.simulate_seconds[p];
        }
        as_sweep_data_free(&part);
    }
    for (size_t p = 0; err.code == AS_OK && p < all.n_points; p++)
        if (!all.done[p])
            as_error_set(&err, AS_EINPUT, "sweep-merge", "point %zu is in no part (expected every slice's file)", p);
    if (err.code == AS_OK) { /* the merged file was written by this command, now */
        char now[32];
        free(all.slice);
        free(all.command_line);
        free(all.end_time);
        all.slice = as_strdup("merged");
        all.command_line = as_strdup(as_cli_command_line());
        all.end_time = as_strdup(as_h5w_now(now, sizeof now));
        as_h5sweep_write(output, &all, &err);
    }
    as_sweep_data_free(&all);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}

/* ---- sensitivity ------------------------------------------------------------------------------ */

static void sensitivity_usage(FILE *f)
{
    fprintf(f, "usage: alignsim sensitivity SWEEP.h5 [--method sobol|morris] [--output NAME] [--json]\n"
               "                            [--bootstrap B] [--seed S]\n\n"
               "Which parameters drive each output of a sweep, from each point's mean over its\n"
               "replications: Sobol first- and total-order indices (S1: the parameter alone; ST:\n"
               "with all its interactions) with 95%% bootstrap intervals and their convergence with\n"
               "the sample size, for a saltelli design; Morris mu*, mu and sigma (per unit of each\n"
               "parameter's whole range) for a morris design.  Beside them: the share of the output's\n"
               "variance across points that is simulation noise.\n\n"
               "  --method M     sobol or morris (default: what the design supports)\n"
               "  --output NAME  one output (default: every output)\n"
               "  --json         JSON: one object {\"output\", \"parameters\": [{\"name\", \"S1\", \"S1_ci\",\n"
               "                 \"ST\", \"ST_ci\"} | {\"name\", \"mu_star\", \"mu\", \"sigma\"}], ...}, or an\n"
               "                 array of them for several outputs\n"
               "  --bootstrap B  bootstrap resamples (default 1000)\n"
               "  --seed S       key of the bootstrap's random numbers (default 1)\n");
}

int as_cmd_sensitivity(int argc, char **argv)
{
    static const struct option longs[] = {{"method", required_argument, 0, 'm'}, {"output", required_argument, 0, 'o'},
                                          {"json", no_argument, 0, 'j'},        {"bootstrap", required_argument, 0, 'b'},
                                          {"seed", required_argument, 0, 's'},  {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    int method = -1, json = 0, c;
    const char *only = NULL;
    unsigned long boot = 1000, seed = 1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'm':
            method = !strcmp(optarg, "sobol") ? AS_SENS_SOBOL : !strcmp(optarg, "morris") ? AS_SENS_MORRIS : -2;
            if (method == -2) {
                fprintf(stderr, "alignsim sensitivity: --method: expected sobol or morris (got \"%s\")\n", optarg);
                return 2;
            }
            break;
        case 'o': only = optarg; break;
        case 'j': json = 1; break;
        case 'b':
        case 's':
            *(c == 'b' ? &boot : &seed) = strtoul(optarg, &end, 10);
            if (*end || optarg[0] == '-' || (c == 'b' && boot > 100000) || (c == 's' && seed > 4294967295ul)) {
                fprintf(stderr, "alignsim sensitivity: --%s: expected a whole number%s (got \"%s\")\n",
                        c == 'b' ? "bootstrap" : "seed", c == 'b' ? " up to 100000" : "", optarg);
                return 2;
            }
            break;
        case 'h': sensitivity_usage(stdout); return 0;
        default:
            fprintf(stderr, "alignsim sensitivity: unknown or incomplete option \"%s\" (see alignsim sensitivity --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "alignsim sensitivity: expected one sweep results file (see alignsim sensitivity --help)\n");
        return 2;
    }
    const char *file = argv[optind];
    static as_error err;
    as_error_clear(&err);
    as_sweep_data d;
    if (as_h5sweep_read(file, &d, &err) != AS_OK)
        return as_cli_report(&err);
    size_t first = 0, last = d.n_outputs;
    if (only) {
        while (first < d.n_outputs && strcmp(d.output_names[first], only))
            first++;
        if (first == d.n_outputs)
            as_error_set(&err, AS_EINPUT, "--output", "\"%s\" is not an output of %s", only, file);
        last = first + 1;
    }
    cJSON *all = cJSON_CreateArray();
    for (size_t o = first; err.code == AS_OK && o < last; o++) {
        as_sens s;
        if (as_sens_compute(&d, o, method, boot, (uint32_t)seed, file, &s, &err) != AS_OK)
            break;
        if (json)
            cJSON_AddItemToArray(all, as_sens_json(&s, d.param_names));
        else
            as_sens_write_text(stdout, &s, d.param_names);
        if (!json && o + 1 < last)
            putchar('\n');
        as_sens_free(&s);
    }
    if (err.code == AS_OK && json) {
        cJSON *one = cJSON_GetArraySize(all) == 1 ? cJSON_DetachItemFromArray(all, 0) : NULL;
        char *text = cJSON_Print(one ? one : all);
        if (text)
            puts(text);
        free(text);
        cJSON_Delete(one);
    }
    cJSON_Delete(all);
    as_sweep_data_free(&d);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}
