/*
 * tables.h - the tables an export writes, declared once: each table's name,
 * its columns with their meaning and units, and its rows as cells.
 * analysis/export.c writes them as CSV files, analysis/export_xlsx.c as
 * worksheets; the data dictionary (_dictionary) is one of them, built from the
 * column declarations of all of them, itself included, so it cannot drift
 * from what is written.
 *
 * The tables, in order: _dictionary (table,column,meaning,units), one per
 * variable of as_var_defs (replication,year,<its dimensions>,value), openings,
 * credential_levels and summary (analysis/export.h says what each holds).
 *
 * A cell is text (labels and codes: SOC "11-2011" and CIP "11.0901" stay text)
 * or a number (NaN or infinite where there is none).  The module's internal
 * header: export.c, export_xlsx.c and the tests use it.  Reads results only;
 * thread-safe.
 */
#ifndef AS_TABLES_H
#define AS_TABLES_H

#include <stddef.h>
#include "error.h"
#include "results.h"

#define AS_TABLES_MAX_COLUMNS 10

/* The extra tables (as_table.var below 0); a variable's table has its index in as_var_defs. */
enum { AS_TABLE_DICTIONARY = -1, AS_TABLE_OPENINGS = -2, AS_TABLE_CREDENTIALS = -3, AS_TABLE_SUMMARY = -4 };

typedef struct as_column {
    const char *name;
    const char *meaning;
    const char *units;      /* what a number counts ("students", "dollars per year"); "" for text */
} as_column;

typedef struct as_table {
    const char *name;       /* the file TABLE.csv and the dictionary's table: static storage */
    int var;                /* variable of as_var_defs, or AS_TABLE_* */
    int ncolumns;
    as_column columns[AS_TABLES_MAX_COLUMNS]; /* static strings */
} as_table;

typedef struct as_cell {
    const char *text;       /* a text cell when not NULL ("" for an empty one) */
    double number;          /* else a number */
} as_cell;

/* Called once per row with its ncolumns cells (valid during the call only).  Returns AS_OK to go
 * on, or an error status after filling err (the rows stop there). */
typedef int (*as_row_fn)(void *sink, const as_cell *cells, int n, as_error *err);

/* Number of tables an export writes: the dictionary, the variables, openings, credential_levels,
 * summary. */
#define AS_TABLES_COUNT (1 + AS_V_COUNT + 3)

/* Table i (0 .. AS_TABLES_COUNT - 1) into t.  Returns 0, or -1 past the last (t untouched). */
int as_tables_at(size_t i, as_table *t);

/* Rows of t for r, without the header. */
size_t as_tables_rows_of(const as_results *r, const as_table *t);

/* Calls row for every row of t in order (as_tables_rows_of rows).  Returns AS_OK, what row
 * returned when it stopped, or AS_ENOMEM (summary's scratch; err filled). */
int as_tables_rows(const as_results *r, const as_table *t, as_row_fn row, void *sink, as_error *err);

/* ---- worksheet names (export_xlsx.c) ---- */

#define AS_SHEET_NAME_MAX 31 /* Excel's limit, in bytes here: table names are ASCII identifiers */

/* The name of part `part` (1: the first; more where a table has more rows than a worksheet holds)
 * of table's worksheet into out (AS_SHEET_NAME_MAX + 1 bytes): the table's name without a leading
 * '_' ("_dictionary" -> "dictionary"), " (2)", " (3)" ... appended from the second part, cut to 31
 * characters; when that is one of used[0..n_used) (compared ignoring case, as Excel does), "~2",
 * "~3" ... go before the part's suffix until it is not. */
void as_tables_sheet_name(const char *table, int part, const char (*used)[AS_SHEET_NAME_MAX + 1],
                          size_t n_used, char *out);

#endif
