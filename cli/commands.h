/*
 * commands.h - the subcommands of `alignsim`.  Each takes the arguments after
 * its name and returns the process exit status: 0 success, 2 bad input
 * (with one line per problem on stderr), 1 any other failure.
 */
#ifndef AS_COMMANDS_H
#define AS_COMMANDS_H

#include <stddef.h>

#include "error.h"

/* The C library's heap in transparent huge pages, for the program's run (cli/heap.c).  Call first. */
void as_heap_huge_pages(void);

int as_cmd_run(int argc, char **argv);
int as_cmd_validate(int argc, char **argv);
int as_cmd_reference(int argc, char **argv);
int as_cmd_schema(int argc, char **argv);
int as_cmd_compare(int argc, char **argv);
int as_cmd_export(int argc, char **argv);
int as_cmd_report(int argc, char **argv);
int as_cmd_sweep(int argc, char **argv);
int as_cmd_sweep_merge(int argc, char **argv);
int as_cmd_sensitivity(int argc, char **argv);
int as_cmd_calibrate(int argc, char **argv);

/* The output named after input: its file name without ".json", with ext
 * (".h5"), in the current folder; into buf, which it returns. */
const char *as_cli_output_name(const char *input, const char *ext, char *buf, size_t size);

/* "alignsim ARGS...": the command line as given, before option parsing reordered it (provenance). */
const char *as_cli_command_line(void);

/* Prints every problem of err to stderr as "alignsim: LINE" and returns the
 * exit status for it. */
int as_cli_report(const as_error *err);

#endif
