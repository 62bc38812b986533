/*
 * completions.c - a regional completions table in the layout of IPEDS
 * Completions (docs/model.md 7.21): awards by CIP code and award level from
 * the institutions a scenario does not model, which become other supply.
 */
#include "labor.h"
#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvtab.h"

/* IPEDS Completions award levels (data dictionary of the C20xx_A files,
 * variable AWLEVEL) and the BLS typical entry education (Employment
 * Projections table 5.4 codes) an award of that level meets: certificates
 * and other sub-baccalaureate awards are postsecondary nondegree awards (5),
 * and so on up.  Codes 1 (less than one academic year) and 20, 21 (less than
 * 12 weeks; 12 weeks to one year) are the older and the 2020 split of the
 * same short certificates. */
static const struct award_level {
    int awlevel;
    int education;
} award_levels[] = {
    {1, 5}, {2, 5}, {3, 4}, {4, 5}, {5, 3}, {6, 3}, {7, 2}, {8, 2}, {17, 1}, {18, 1}, {19, 1}, {20, 5}, {21, 5},
};

static int education_of(double awlevel)
{
    for (size_t i = 0; i < sizeof award_levels / sizeof award_levels[0]; i++)
        if (awlevel == award_levels[i].awlevel)
            return award_levels[i].education;
    return 0;
}

/* CIPCODE as "NN.NNNN" into out[8]; a spreadsheet that dropped the leading
 * zero ("1.0101") is accepted.  Returns 1 for a code, 0 for the "99" grand
 * total rows IPEDS files carry (skipped), -1 for anything else. */
static int cip_code(const char *text, char out[8])
{
    size_t len = strlen(text);
    if (!strcmp(text, "99") || !strcmp(text, "99.0000"))
        return 0;
    if (len == 6 && isdigit((unsigned char)text[0]) && text[1] == '.') {
        out[0] = '0';
        memcpy(out + 1, text, 7);
    } else if (len == 7 && text[2] == '.') {
        memcpy(out, text, 8);
    } else {
        return -1;
    }
    for (int i = 0; i < 7; i++)
        if (i != 2 && !isdigit((unsigned char)out[i]))
            return -1;
    return 1;
}

static int by_cip_then_education(const void *a, const void *b)
{
    const as_completion *x = a, *y = b;
    int c = strcmp(x->cip, y->cip);
    return c ? c : (x->education > y->education) - (x->education < y->education);
}

/* Records "PATH:LINE: ..." and gives -1 (the row is bad). */
#define FAIL(...) (as_csv_fail(csv, row->line, err, __VA_ARGS__), -1)

/* Parses one row into *c; returns 1 (a row to keep), 0 (skipped: a grand
 * total or a second major) or -1 after recording the row's problems. */
static int parse_row(const as_csv *csv, const as_csv_row *row, const long *cols, long major_col,
                     const as_labor *labor, as_completion *c, as_error *err)
{
    enum { CIPCODE, AWLEVEL, CTOTALT };
    int status = 1, code = cip_code(row->fields[cols[CIPCODE]], c->cip);
    if (code == 0)
        return 0;
    if (code < 0)
        status = FAIL("column 'CIPCODE': got '%s', expected a CIP 2020 code NN.NNNN", row->fields[cols[CIPCODE]]);
    else if (!as_labor_cip_known(labor, c->cip))
        status = FAIL("column 'CIPCODE': '%s' is not in the CIP-SOC crosswalk (expected a CIP 2020 code it lists)",
                      c->cip);
    double level, awards, major = 1;
    if (as_csv_number(csv, row, (size_t)cols[AWLEVEL], 0, &level, err) != AS_OK)
        status = -1;
    else if (!(c->education = education_of(level)))
        status = FAIL("column 'AWLEVEL': got '%s', expected an IPEDS award level (1-8, 17-21)",
                      row->fields[cols[AWLEVEL]]);
    if (as_csv_number(csv, row, (size_t)cols[CTOTALT], 0, &awards, err) != AS_OK)
        status = -1;
    else if (awards < 0)
        status = FAIL("column 'CTOTALT': negative (got %s, expected >= 0)", row->fields[cols[CTOTALT]]);
    c->awards = awards;
    if (major_col >= 0 && as_csv_number(csv, row, (size_t)major_col, 0, &major, err) != AS_OK)
        status = -1;
    else if (major != 1 && major != 2)
        status = FAIL("column 'MAJORNUM': got '%s', expected 1 or 2", row->fields[major_col]);
    return status < 0 ? -1 : major == 2 ? 0 : 1;
}

int as_labor_load_completions(as_labor *labor, const char *path, as_error *err)
{
    static const char *const names[] = {"CIPCODE", "AWLEVEL", "CTOTALT"};
    long cols[3];
    as_csv *csv = NULL;
    int status = as_csv_read(path, &csv, err);
    if (status != AS_OK)
        return status;
    for (int i = 0; i < 3; i++)
        if ((cols[i] = as_csv_require(csv, names[i], err)) < 0)
            status = AS_EINPUT;
    as_completion *rows = status == AS_OK ? as_calloc(csv->n_rows + 1, sizeof *rows) : NULL;
    if (status == AS_OK && !rows)
        status = as_error_set(err, AS_ENOMEM, path, "out of memory");
    size_t n = 0;
    long major_col = as_csv_column(csv, "MAJORNUM"); /* absent: first majors only */
    for (size_t i = 0; rows && i < csv->n_rows; i++) {
        int kept = parse_row(csv, &csv->rows[i], cols, major_col, labor, &rows[n], err);
        if (kept < 0)
            status = AS_EINPUT;
        else
            n += (size_t)kept;
    }
    char sha256[AS_SHA256_HEX];
    snprintf(sha256, sizeof sha256, "%s", csv->sha256);
    as_csv_free(csv);
    if (status != AS_OK) {
        free(rows);
        return status;
    }
    /* one row per (CIP, education): institutions' rows summed */
    qsort(rows, n, sizeof *rows, by_cip_then_education);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && !by_cip_then_education(&rows[m - 1], &rows[i]))
            rows[m - 1].awards += rows[i].awards;
        else
            rows[m++] = rows[i];
    }
    free(labor->completions);
    labor->completions = rows;
    labor->n_completions = m;
    as_labor_note_file(labor, path, sha256);
    return AS_OK;
}
