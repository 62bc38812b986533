/*
 * outfile.h - text files written atomically (CSV tables, HTML reports), and
 * the escaping each format needs.
 *
 * A file is written under a temporary name in the same folder
 * (PATH.tmp.PID) and renamed over PATH only when every byte is written and
 * the stream closed cleanly, so a reader never sees half a file and a failed
 * write leaves nothing behind.  The path "-" is standard output, written as
 * it comes (commit flushes it and reports a write error).
 *
 * Owns: the temporary name and the stream until commit or abort.  One
 * as_outfile per thread.
 */
#ifndef AS_OUTFILE_H
#define AS_OUTFILE_H

#include <stdio.h>
#include "error.h"

typedef struct as_outfile {
    FILE *f;            /* write here between open and commit */
    char path[4096];
    char tmp[4096 + 32];
} as_outfile;

/* Opens the temporary file for path.  Returns AS_OK, or AS_EIO naming path
 * when the folder is missing or not writable (nothing created). */
int as_outfile_open(as_outfile *o, const char *path, as_error *err);

/* Closes the stream and renames the temporary file over path.  On a write,
 * close or rename failure removes the temporary file and returns AS_EIO. */
int as_outfile_commit(as_outfile *o, as_error *err);

/* Closes and removes the temporary file (after another failure).  Accepts an
 * as_outfile that was never opened or is already committed. */
void as_outfile_abort(as_outfile *o);

/* Writes s as one CSV field (RFC 4180): quoted when it holds a comma, quote
 * or line break, with quotes doubled. */
void as_outfile_csv_text(FILE *f, const char *s);

/* Writes x as a CSV number that reads back exactly: a whole number as such,
 * anything else with the fewest of 15, 16 or 17 significant digits that
 * round-trips (0.1 stays "0.1"); NA when NaN. */
void as_outfile_csv_number(FILE *f, double x);

/* Writes s with &, <, >, " and ' escaped for HTML text and attributes. */
void as_outfile_html(FILE *f, const char *s);

#endif
