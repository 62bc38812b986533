/*
 * main.c - the alignsim command: dispatches to subcommands.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dirs.h"
#include "h5results.h"
#include "tmpfile.h"
#include "version.h"

static const struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", as_cmd_run, "simulate a scenario and write results (HDF5)"},
    {"validate", as_cmd_validate, "check a scenario and report every problem, without running"},
    {"reference", as_cmd_reference, "print the scenario reference (Markdown) from the parameter table"},
    {"schema", as_cmd_schema, "print the scenario JSON Schema from the parameter table"},
    {"compare", as_cmd_compare, "paired differences of a proposal against a base, with 95% intervals"},
    {"export", as_cmd_export, "write a results file as tidy tables (CSV, XLSX) with a data dictionary"},
    {"report", as_cmd_report, "write a self-contained HTML report with charts"},
    {"sweep", as_cmd_sweep, "run a sensitivity sweep: a design of points over scenario keys"},
    {"sweep-merge", as_cmd_sweep_merge, "join the files of a sweep's slices into one"},
    {"sensitivity", as_cmd_sensitivity, "Sobol or Morris sensitivity indices of a sweep's outputs"},
    {"calibrate", as_cmd_calibrate, "fit a scenario's free parameters to observed targets"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "alignsim %s - labor-market alignment simulator\n\n"
            "usage: alignsim COMMAND [ARGS]\n\ncommands:\n",
            AS_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'alignsim help COMMAND' (or 'alignsim COMMAND --help') describes a command; 'alignsim --version'\n"
               "gives the version and commit.  Exit status: 0 success, "
               "2 bad input, 1 other failure.\n");
}

const char *as_cli_output_name(const char *input, const char *ext, char *buf, size_t size)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".json"))
        len -= 5;
    snprintf(buf, size, "%.*s%s", (int)len, base, ext);
    return buf;
}

/* The command line as given (getopt_long reorders argv as it parses), for provenance. */
static char command_line[4096];

const char *as_cli_command_line(void)
{
    return command_line;
}

int as_cli_report(const as_error *err)
{
    const char *line = err->text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        fprintf(stderr, "alignsim: %.*s\n", (int)n, line);
        if (!end)
            break;
        line = end + 1;
    }
    if (err->dropped)
        fprintf(stderr, "alignsim: ... and %d more problems\n", err->dropped);
    return as_error_exit_status(err);
}

int main(int argc, char **argv)
{
    as_heap_huge_pages();
    /* GSL reports through return codes; never let it abort the process. */
    gsl_set_error_handler_off();
    as_signals_install(); /* SIGINT, SIGTERM, SIGHUP: remove an unfinished output, exit 128 + n */
    snprintf(command_line, sizeof command_line, "alignsim");
    for (int i = 1; i < argc; i++) {
        size_t used = strlen(command_line);
        snprintf(command_line + used, sizeof command_line - used, " %s", argv[i]);
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    char *help[] = {argv[0], argv[argc > 2 ? 2 : 1], "--help", NULL};
    if (!strcmp(argv[1], "help") && argc > 2) { /* alignsim help CMD: CMD --help */
        argv = help;
        argc = 3;
    } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("alignsim %s\ncommit: %s\ndata: %s\nscenarios: %s\n", AS_VERSION, AS_GIT_COMMIT, as_dirs_data(),
               as_dirs_scenarios());
#ifdef ALIGNSIM_HAVE_MPI
        printf("sweep driver: Open MPI (mpirun -np K alignsim sweep ...)\n");
#else
        printf("sweep driver: one process (built without MPI)\n");
#endif
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) {
            as_h5_start(); /* and as_h5_finish: a full disk must not crash HDF5's exit handler */
            int rc = commands[i].fn(argc - 1, argv + 1);
            as_h5_finish();
            return rc;
        }
    fprintf(stderr, "alignsim: unknown command \"%s\" (expected one of:", argv[1]);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, "%s %s", i ? "," : "", commands[i].name);
    fprintf(stderr, "; see alignsim --help)\n");
    return 2;
}
