/*
 * cmd_analysis.c - `alignsim compare`, `alignsim export` and `alignsim
 * report`: results files in, tables, CSV and HTML out.  They print nothing
 * but their output and errors; a note on stderr only when it is a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "compare.h"
#include "export.h"
#include "h5results.h"
#include "occupation.h"
#include "outfile.h"
#include "h5sweep.h"
#include "outpath.h"
#include "report.h"

#define MAX_RUNS AS_REPORT_MAX_RUNS

static void compare_usage(FILE *f)
{
    fprintf(f, "usage: alignsim compare BASE.h5 PROPOSAL.h5 [--csv FILE]\n"
               "       alignsim compare BASE.h5 PROPOSAL.h5 --occupation SOC[,SOC...] [--year YEAR]\n\n"
               "Paired differences PROPOSAL - BASE per replication (both runs must share seed,\n"
               "replications, years and occupations: common random numbers), their mean and 95%%\n"
               "interval (Student t), for graduates, pathway completers, credentials by level,\n"
               "graduates with college credit, work-based learning, apprenticeship starts, pipeline\n"
               "supply by occupation, the alignment index, cost and earnings.  A table goes to\n"
               "stdout; --csv FILE also writes the rows as tidy CSV (--csv -: the CSV alone, to stdout).\n\n"
               "With --occupation: for those occupations and YEAR (default: the last year), each\n"
               "run's openings, pipeline supply by source, other supply (and whether it is an input\n"
               "or the illustrative share-of-openings assumption), the pipeline's share of openings,\n"
               "gap, ratio, band and median wage, with the paired difference and 95%% intervals.\n");
}

static void export_usage(FILE *f)
{
    fprintf(f, "usage: alignsim export RESULTS.h5 [--csv DIR] [--xlsx FILE.xlsx]\n\n"
               "Writes every variable as a tidy table (replication,year,<dimensions>,value), plus\n"
               "openings, credential_levels and summary (mean, sd, 95%% interval), and a data\n"
               "dictionary (table,column,meaning,units: every column of every table, with units).\n"
               "At least one of:\n"
               "  --csv DIR    one CSV per table, DIR/VAR.csv ... and DIR/_dictionary.csv (DIR is\n"
               "               created when missing)\n"
               "  --xlsx FILE  one workbook: a sheet per table, the dictionary first; codes and labels\n"
               "               are text cells (SOC 11-2011 and CIP 11.0901 stay as written), numbers are\n"
               "               numbers, NA and infinities empty; a table longer than a sheet holds\n"
               "               (1,048,575 rows) goes on in sheets \"NAME (2)\", \"NAME (3)\" ...; names\n"
               "               longer than 31 characters are cut (see docs/results-format.md)\n"
               "Each output is complete or absent: written under a temporary name, moved into place\n"
               "when done.\n");
}

static void report_usage(FILE *f)
{
    fprintf(f, "usage: alignsim report RESULTS.h5 [PROPOSAL.h5 ...] [-o report.html]\n"
               "                       [--occupation SOC[,SOC...] [--year YEAR]] [--sweep SWEEP.h5]\n\n"
               "Writes one self-contained HTML page (charts, captions and tables; no network; prints\n"
               "on A4 or Letter): a summary of each proposal's main effects against the first file\n"
               "(difference, relative change and 95%% interval; with one file, its key numbers); a\n"
               "table of what is data, what comes from the source documents and what is an\n"
               "illustrative assumption; key numbers of every file; each proposal's effects; supply\n"
               "and openings for the occupations with the largest shortages, every file side by\n"
               "side; enrollment and completion by pathway; and equity gaps.  Intervals are\n"
               "simulation noise over the replications, not parameter uncertainty.\n\n"
               "With --occupation: a section for those occupations and YEAR (default: the last\n"
               "year) with each file's openings, pipeline supply by source, other supply (and\n"
               "whether it is assumed), the pipeline's share of openings, gap, ratio, band and\n"
               "median wage, with intervals, and each proposal's paired difference.\n\n"
               "With --sweep: a section on which parameters drive each output of that sweep\n"
               "(alignsim sweep; Sobol S1 and ST charted and tabled, or Morris mu*), with the\n"
               "share of each output's variance that is simulation noise.\n"
               "Default output: report.html; -o - writes the page to standard output.\n");
}

/* The options of compare, export and report; each command allows some (allowed: a mask of opt). */
enum opt { O_CSV = 1, O_OUTPUT = 2, O_OCCUPATION = 4, O_YEAR = 8, O_SWEEP = 16, O_XLSX = 32 };

typedef struct analysis_args {
    const char *files[MAX_RUNS];
    int n_files;
    const char *csv, *output, *socs, *sweep, *xlsx;
    int year;
} analysis_args;

/* Parses argv (getopt_long: --opt VALUE, --opt=VALUE, -o VALUE, -- ends the options) into a.
 * Returns 0 to go on, -1 after --help, or 2 after a message. */
static int parse(int argc, char **argv, unsigned allowed, analysis_args *a, void (*usage)(FILE *))
{
    static const struct option longs[] = {{"csv", required_argument, 0, O_CSV},
                                           {"output", required_argument, 0, O_OUTPUT},
                                           {"occupation", required_argument, 0, O_OCCUPATION},
                                           {"year", required_argument, 0, O_YEAR},
                                           {"sweep", required_argument, 0, O_SWEEP},
                                           {"xlsx", required_argument, 0, O_XLSX},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
    const char *cmd = argv[0];
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":ho:", longs, NULL)) != -1;) {
        c = c == 'o' ? O_OUTPUT : c;
        if (c == 'h') {
            usage(stdout);
            return -1;
        }
        if (c == ':') {
            fprintf(stderr, "alignsim %s: %s needs a value (see alignsim %s --help)\n", cmd, argv[optind - 1], cmd);
            return 2;
        }
        if (c == '?' || !(allowed & (unsigned)c)) {
            fprintf(stderr, "alignsim %s: unknown option \"%s\" (see alignsim %s --help)\n", cmd, argv[optind - 1], cmd);
            return 2;
        }
        if (c == O_CSV)
            a->csv = optarg;
        else if (c == O_OUTPUT)
            a->output = optarg;
        else if (c == O_OCCUPATION)
            a->socs = optarg;
        else if (c == O_SWEEP)
            a->sweep = optarg;
        else if (c == O_XLSX)
            a->xlsx = optarg;
        else {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || end == optarg || y < 1900 || y > 2200) {
                fprintf(stderr, "alignsim %s: --year: \"%s\" is not a calendar year (expected such as 2030)\n", cmd,
                        optarg);
                return 2;
            }
            a->year = (int)y;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (a->n_files == MAX_RUNS) {
            fprintf(stderr, "alignsim %s: at most %d results files\n", cmd, MAX_RUNS);
            return 2;
        }
        a->files[a->n_files++] = argv[i];
    }
    if (a->year && !a->socs) {
        fprintf(stderr, "alignsim %s: --year goes with --occupation (see alignsim %s --help)\n", cmd, cmd);
        return 2;
    }
    return 0;
}

/* "reading FILE" on a terminal while a file loads (NULL: clear the line);
 * nothing when stderr is not a terminal. */
static void show_reading(const char *file)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (file)
        fprintf(stderr, "\ralignsim: reading %s\033[K", file);
    else
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* "wrote PATH" on a terminal; nothing otherwise. */
static void show_written(const char *path)
{
    if (isatty(STDERR_FILENO) && strcmp(path, "-"))
        fprintf(stderr, "alignsim: wrote %s\n", path);
}

/* Reads n results files; on failure frees what it read. */
static int read_runs(const char **files, int n, as_results *runs, char **scenario_json, as_error *err)
{
    for (int i = 0; i < n; i++) {
        show_reading(files[i]);
        if (as_h5_read(files[i], &runs[i], scenario_json ? &scenario_json[i] : NULL, err) != AS_OK) {
            for (int k = 0; k < i; k++) {
                as_results_free(&runs[k]);
                if (scenario_json)
                    free(scenario_json[k]);
            }
            show_reading(NULL);
            return err->code;
        }
    }
    show_reading(NULL);
    return AS_OK;
}

static int write_compare_csv(const char *path, const as_comparison *c, as_error *err)
{
    as_outfile o;
    if (as_outfile_open(&o, path, err) != AS_OK)
        return err->code;
    as_compare_write_csv(o.f, c);
    return as_outfile_commit(&o, err);
}

static int occupation_view(const char **files, const char *socs, int year)
{
    static as_error err;
    as_error_clear(&err);
    as_results runs[2];
    char *json[2] = {NULL, NULL};
    if (read_runs(files, 2, runs, json, &err) != AS_OK)
        return as_cli_report(&err);
    size_t occ[64], n = 0;
    int t = 0;
    if (as_compare_check(&runs[0], files[0], &runs[1], files[1], &err) == AS_OK &&
        as_occupation_parse(&runs[0], files[0], socs, occ, 64, &n, &err) == AS_OK &&
        as_occupation_year(&runs[0], files[0], year, &t, &err) == AS_OK &&
        as_occupation_write(stdout, runs, files, (const char *const *)json, 2, occ, n, t) != 0)
        as_error_set(&err, AS_EIO, "stdout", "cannot write the table");
    for (int i = 0; i < 2; i++) {
        as_results_free(&runs[i]);
        free(json[i]);
    }
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}

int as_cmd_compare(int argc, char **argv)
{
    analysis_args a = {0};
    int rc = parse(argc, argv, O_CSV | O_OCCUPATION | O_YEAR, &a, compare_usage);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char **files = a.files;
    if (a.n_files != 2) {
        fprintf(stderr, "alignsim compare: expected two results files, BASE.h5 and PROPOSAL.h5 "
                        "(see alignsim compare --help)\n");
        return 2;
    }
    if (a.socs) {
        if (a.csv) {
            fprintf(stderr, "alignsim compare: --csv does not go with --occupation (see alignsim compare --help)\n");
            return 2;
        }
        return occupation_view(files, a.socs, a.year);
    }
    static as_error err;
    as_error_clear(&err);
    as_results runs[2];
    if (read_runs(files, 2, runs, NULL, &err) != AS_OK)
        return as_cli_report(&err);
    as_comparison c = {0};
    if (as_compare_check(&runs[0], files[0], &runs[1], files[1], &err) == AS_OK &&
        as_compare_build(&runs[0], &runs[1], &c, &err) == AS_OK) {
        int csv_out = a.csv && !strcmp(a.csv, "-"); /* --csv -: the CSV alone on standard output */
        if (!csv_out && as_compare_write_table(stdout, &c, files[0], files[1]) != 0)
            as_error_set(&err, AS_EIO, "stdout", "cannot write the table");
        if (a.csv && err.code == AS_OK)
            write_compare_csv(a.csv, &c, &err);
    }
    as_compare_free(&c);
    as_results_free(&runs[0]);
    as_results_free(&runs[1]);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}

int as_cmd_export(int argc, char **argv)
{
    analysis_args a = {0};
    int rc = parse(argc, argv, O_CSV | O_XLSX, &a, export_usage);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char **files = a.files, *dir = a.csv, *xlsx = a.xlsx;
    if (a.n_files != 1 || (!dir && !xlsx)) {
        fprintf(stderr, "alignsim export: expected one results file and --csv DIR, --xlsx FILE or both "
                        "(see alignsim export --help)\n");
        return 2;
    }
    if (dir && xlsx && !strcmp(dir, xlsx)) {
        fprintf(stderr, "alignsim export: --csv and --xlsx name the same path \"%s\"\n", dir);
        return 2;
    }
    static as_error err;
    as_error_clear(&err);
    /* before any work: a folder, a device or the input as the workbook, a file as the folder */
    if ((dir && as_outpath_check_folder(dir, files, 1, &err) != AS_OK) ||
        (xlsx && as_outpath_check(xlsx, files, 1, &err) != AS_OK))
        return as_cli_report(&err);
    as_results r;
    if (read_runs(files, 1, &r, NULL, &err) != AS_OK)
        return as_cli_report(&err);
    if (dir && as_export_csv(&r, dir, &err) == AS_OK)
        show_written(dir);
    if (xlsx && err.code == AS_OK && as_export_xlsx(&r, xlsx, &err) == AS_OK)
        show_written(xlsx);
    as_results_free(&r);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}

/* The occupation view's options against the base run, into opt (occ: its storage). */
static int report_options(const as_results *base, const char *file, const char *socs, int year, size_t *occ,
                          as_report_options *opt, as_error *err)
{
    *opt = (as_report_options){0};
    if (!socs)
        return AS_OK;
    size_t n = 0;
    int t = 0;
    if (as_occupation_parse(base, file, socs, occ, AS_REPORT_MAX_OCCUPATIONS, &n, err) != AS_OK ||
        as_occupation_year(base, file, year, &t, err) != AS_OK)
        return err->code;
    *opt = (as_report_options){.occupations = occ, .n_occupations = n, .year = t};
    return AS_OK;
}

int as_cmd_report(int argc, char **argv)
{
    analysis_args a = {.output = "report.html"};
    int rc = parse(argc, argv, O_OUTPUT | O_OCCUPATION | O_YEAR | O_SWEEP, &a, report_usage);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char **files = a.files, *output = a.output, *socs = a.socs, *sweep_file = a.sweep;
    int n = a.n_files, year = a.year;
    if (n < 1) {
        fprintf(stderr, "alignsim report: expected at least one results file (see alignsim report --help)\n");
        return 2;
    }
    static as_error err;
    as_error_clear(&err);
    static as_results runs[MAX_RUNS];
    char *scenario_json[MAX_RUNS] = {0};
    const char *in[MAX_RUNS + 1];
    memcpy(in, files, (size_t)n * sizeof *in);
    in[n] = sweep_file;
    if (as_outpath_check_stream(output, in, (size_t)n + 1, &err) != AS_OK || read_runs(files, n, runs, scenario_json, &err) != AS_OK)
        return as_cli_report(&err);
    as_report_run inputs[MAX_RUNS];
    for (int i = 0; i < n; i++)
        inputs[i] = (as_report_run){.path = files[i], .results = &runs[i], .scenario_json = scenario_json[i]};
    for (int i = 1; i < n && err.code == AS_OK; i++)
        as_compare_check(&runs[0], files[0], &runs[i], files[i], &err);
    static size_t occ[AS_REPORT_MAX_OCCUPATIONS];
    as_report_options opt;
    static as_sweep_data sweep;
    int have_sweep = 0;
    if (err.code == AS_OK && report_options(&runs[0], files[0], socs, year, occ, &opt, &err) == AS_OK &&
        (!sweep_file || (have_sweep = as_h5sweep_read(sweep_file, &sweep, &err) == AS_OK))) {
        opt.sweep = have_sweep ? &sweep : NULL;
        as_report_write_with(output, inputs, (size_t)n, &opt, &err);
    }
    if (have_sweep)
        as_sweep_data_free(&sweep);
    for (int i = 0; i < n; i++) {
        as_results_free(&runs[i]);
        free(scenario_json[i]);
    }
    if (err.code == AS_OK)
        show_written(output);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}
