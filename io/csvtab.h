/*
 * csvtab.h - whole-file CSV tables (RFC 4180) for the data loaders in io/.
 *
 * Reads a file into memory as a header plus rows of NUL-terminated fields,
 * each row tagged with the line it starts on, so loaders can report
 * "FILE:LINE: what is wrong".  Parsing is done by libcsv (Debian package
 * libcsv-dev, header <csv.h>, link -lcsv) in strict mode: quoted fields may
 * hold commas, doubled quotes and newlines; a stray quote in an unquoted
 * field or an unterminated quoted field is an error.  Blank lines are
 * skipped, spaces and tabs around unquoted fields are trimmed, and a UTF-8
 * byte-order mark before the header is ignored.  Every row must have as many
 * fields as the header.
 *
 * Owns: as_csv (its path copy, header, rows and the text they point into).  Read-only once read, so
 * any number of threads may read one table at once.  No global state: any
 * number of tables may be read in parallel.
 */
#ifndef AS_CSVTAB_H
#define AS_CSVTAB_H

#include <stddef.h>
#include "digest.h"
#include "error.h"

typedef struct as_csv_row {
    size_t line;    /* 1-based line of the file where the record starts */
    char **fields;  /* n_columns NUL-terminated strings, "" when empty */
} as_csv_row;

typedef struct as_csv {
    char *path;           /* as passed to as_csv_read; used in messages */
    size_t n_columns;
    char **header;        /* n_columns column names */
    size_t header_line;   /* line of the header (1 unless blank lines lead) */
    size_t n_rows;        /* data rows, header excluded */
    as_csv_row *rows;
    char sha256[AS_SHA256_HEX]; /* of the file's bytes as read and parsed (provenance: io/digest.h) */
    char *text_;          /* private: every field's text, which header and rows point into */
    char **cells_;        /* private: the fields of every row, header first, which rows point into */
} as_csv;

/*
 * Reads the whole file at path.  On success returns AS_OK and *out owns the
 * table (free with as_csv_free).  On failure *out is NULL, nothing stays
 * allocated, and err holds one of:
 *   AS_EINPUT "PATH: cannot open: <strerror>"        (missing/unreadable file)
 *   AS_EINPUT "PATH: empty file (expected a header row)"
 *   AS_EINPUT "PATH:LINE: malformed CSV: ..."          (libcsv strict-mode error)
 *   AS_EINPUT "PATH:LINE: N fields, expected M as in the header"
 *   AS_EIO    "PATH: read failed: <strerror>"
 *   AS_ENOMEM on allocation failure.
 * Thread-safe.
 */
int as_csv_read(const char *path, as_csv **out, as_error *err);

/* Frees a table from as_csv_read.  Accepts NULL. */
void as_csv_free(as_csv *csv);

/* Index of the column named name (exact match), or -1 when absent. */
long as_csv_column(const as_csv *csv, const char *name);

/*
 * Like as_csv_column, but a missing column is an error: records AS_EINPUT
 * "PATH:HEADER_LINE: missing column 'NAME'" and returns -1.
 */
long as_csv_require(const as_csv *csv, const char *name, as_error *err);

/*
 * Parses field col of row as a finite decimal number into *value.  An empty
 * field gives NaN when empty_ok, else is an error.  On error records AS_EINPUT
 * "PATH:LINE: column 'NAME': ... (got 'TEXT', expected a number)" and returns
 * AS_EINPUT; returns AS_OK otherwise.
 */
int as_csv_number(const as_csv *csv, const as_csv_row *row, size_t col,
                  int empty_ok, double *value, as_error *err);

/*
 * Records AS_EINPUT "PATH:LINE: <message>" in err (printf-style fmt) and
 * returns AS_EINPUT, for loaders' own checks on a row.
 */
int as_csv_fail(const as_csv *csv, size_t line, as_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
