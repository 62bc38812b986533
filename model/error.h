/*
 * error.h - the error record that travels up from every layer.
 *
 * Library code never prints and never exits: it returns a status and fills
 * an as_error owned by the caller.  The record can hold several problems
 * (validation reports all of them at once), one per line, each written as
 * "WHERE: what is wrong".  Only cli/ prints it and picks the exit status:
 * AS_EINPUT (bad input from the user) maps to exit status 2.
 *
 * An as_error is plain memory (no allocation), so it can be embedded in a
 * per-thread worker and filled from inside a parallel region.
 */
#ifndef AS_ERROR_H
#define AS_ERROR_H

#include <stdarg.h>

#include <stddef.h>

enum as_status {
    AS_OK = 0,
    AS_EINPUT = 2,    /* the user's input is wrong: file, JSON, value */
    AS_ENOMEM = 3,    /* an allocation failed */
    AS_EIO = 4,       /* reading or writing a file failed */
    AS_EINTERNAL = 5  /* an invariant of the program itself broke */
};

#define AS_ERROR_TEXT 8192

typedef struct as_error {
    int code;                 /* first non-OK status recorded, AS_OK if none */
    int count;                /* number of problems recorded */
    int dropped;              /* problems that did not fit in text */
    char text[AS_ERROR_TEXT]; /* one problem per line, '\n'-separated */
} as_error;

/* Resets err to "no error".  Accepts NULL. */
void as_error_clear(as_error *err);

/*
 * Records one problem: "where: message".  where may be NULL (no prefix).
 * Keeps the first code seen.  Returns code, so callers can write
 * `return as_error_set(err, AS_EINPUT, path, "...")`.  err may be NULL.
 * Not thread-safe on a shared record; give each thread its own.
 */
int as_error_set(as_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* as_error_set with a va_list, and the place in two parts: "file: where: message" (either may be
 * NULL or empty; a file's JSON path, a table's line).  For functions that report like the parsers. */
int as_error_vset(as_error *err, int code, const char *file, const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Copies every problem of src into dst (used to merge per-thread records). */
void as_error_merge(as_error *dst, const as_error *src);

/* The exit status a command should use for this record (0, 2 or 1). */
int as_error_exit_status(const as_error *err);

#endif
