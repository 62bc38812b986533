#include "labor.h"
#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvtab.h"

/* Columns of the demand table that hold thousands of jobs, in the order of
 * the fields they fill (see parse_demand_row). */
static const char *const count_columns[] = {
    "emp_2024_k", "emp_2034_k", "openings_annual_k",
    "labor_force_exits_annual_k", "occ_transfers_annual_k",
};
#define N_COUNTS (sizeof count_columns / sizeof count_columns[0])

/* A parsed row kept with its line, so duplicates can be reported after
 * sorting. */
struct demand_row {
    as_occupation occ;
    size_t line;
};
struct link_row {
    as_soc_link link;
    size_t line;
};
struct cip_pair {
    char cip[8];
    long occupation;  /* -1: the CIP is known but this row feeds nothing */
};

/* "NN-NNNN" (SOC, sep '-') or "NN.NNNN" (CIP, sep '.'). */
static int code_ok(const char *text, char sep)
{
    for (int i = 0; i < 7; i++) {
        if (i == 2 ? text[i] != sep : !isdigit((unsigned char)text[i]))
            return 0;
    }
    return text[7] == '\0';
}

/*
 * Every table searched here (as_occupation, as_soc_link, the cips rows)
 * starts with its code as a char[8], so one bsearch comparator (key: a
 * string) serves them all.
 */
static int cmp_code(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* By code, then by line, so a duplicate is reported at its later line
 * (qsort is not stable). */
static int cmp_demand_row(const void *a, const void *b)
{
    const struct demand_row *x = a, *y = b;
    int c = strcmp(x->occ.soc, y->occ.soc);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_link_row(const void *a, const void *b)
{
    const struct link_row *x = a, *y = b;
    int c = strcmp(x->link.soc, y->link.soc);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_pair(const void *a, const void *b)
{
    const struct cip_pair *x = a, *y = b;
    int c = strcmp(x->cip, y->cip);
    if (c != 0)
        return c;
    return (x->occupation > y->occupation) - (x->occupation < y->occupation);
}

static long find_occupation(const as_labor *labor, const char *code)
{
    const as_occupation *o = bsearch(code, labor->occupations, labor->n_occupations,
                                     sizeof *o, cmp_code);
    return o ? (long)(o - labor->occupations) : -1;
}

/* Looks up every column in names; reports all missing ones.  */
static int require_columns(const as_csv *csv, const char *const *names, size_t n,
                           long *cols, as_error *err)
{
    int status = AS_OK;
    for (size_t i = 0; i < n; i++) {
        cols[i] = as_csv_require(csv, names[i], err);
        if (cols[i] < 0)
            status = AS_EINPUT;
    }
    return status;
}

/* The optional BLS category columns: name and largest code (1..max). */
static const struct code_column {
    const char *name;
    int max;
} code_columns[] = {
    {"entry_education_code", 8}, {"work_experience_code", 4}, {"ojt_code", 6},
};
#define N_CODES (sizeof code_columns / sizeof code_columns[0])

/* *out = the integer code in column col (absent column or empty cell: 0). */
static int parse_code(const as_csv *csv, const as_csv_row *row, long col, const struct code_column *cc,
                      int *out, as_error *err)
{
    double code;
    *out = 0;
    if (col < 0 || row->fields[col][0] == '\0')
        return AS_OK;
    if (as_csv_number(csv, row, (size_t)col, 0, &code, err) != AS_OK)
        return AS_EINPUT;
    if (code != floor(code) || code < 1 || code > cc->max)
        return as_csv_fail(csv, row->line, err, "column '%s': got %s, expected 1..%d or empty", cc->name,
                           row->fields[col], cc->max);
    *out = (int)code;
    return AS_OK;
}

/* Parses one demand row into *occ (title not yet copied).  Returns AS_OK,
 * or AS_EINPUT after recording every problem of the row. */
static int parse_demand_row(const as_csv *csv, const as_csv_row *row, const long *count_cols,
                            long soc_col, long wage_col, const long *code_cols, as_occupation *occ,
                            as_error *err)
{
    int status = AS_OK;
    const char *soc = row->fields[soc_col];
    if (!code_ok(soc, '-'))
        status = as_csv_fail(csv, row->line, err,
                             "column 'soc_code': malformed code (got '%s', expected NN-NNNN)", soc);
    else
        memcpy(occ->soc, soc, 8);

    double *const counts[N_COUNTS] = {
        &occ->employment_base, &occ->employment_proj, &occ->openings,
        &occ->exits, &occ->transfers,
    };
    for (size_t k = 0; k < N_COUNTS; k++) {
        double thousands;
        size_t col = (size_t)count_cols[k];
        if (as_csv_number(csv, row, col, 0, &thousands, err) != AS_OK)
            status = AS_EINPUT;
        else if (thousands < 0)
            status = as_csv_fail(csv, row->line, err, "column '%s': negative (got %s, expected >= 0)",
                                 count_columns[k], row->fields[col]);
        else
            *counts[k] = thousands * 1000.0;
    }

    if (as_csv_number(csv, row, (size_t)wage_col, 1, &occ->median_wage, err) != AS_OK)
        status = AS_EINPUT;
    else if (occ->median_wage < 0)
        status = as_csv_fail(csv, row->line, err,
                             "column 'median_wage_2024': negative (got %s, expected >= 0 or empty)",
                             row->fields[wage_col]);

    int *const codes[N_CODES] = {&occ->entry_education, &occ->work_experience, &occ->ojt};
    for (size_t k = 0; k < N_CODES; k++)
        if (parse_code(csv, row, code_cols[k], &code_columns[k], codes[k], err) != AS_OK)
            status = AS_EINPUT;
    return status;
}

/* Fills labor->occupations from the demand table, sorted by code. */
static int load_demand(const char *path, as_labor *labor, as_error *err)
{
    enum { SOC, TITLE, WAGE };  /* the first entries of names */
    static const char *const names[] = {
        "soc_code", "title", "median_wage_2024", "emp_2024_k", "emp_2034_k",
        "openings_annual_k", "labor_force_exits_annual_k", "occ_transfers_annual_k",
    };
    long cols[sizeof names / sizeof names[0]];
    struct demand_row *rows = NULL;
    size_t n = 0;
    as_csv *csv = NULL;
    int status = as_csv_read(path, &csv, err);
    if (status != AS_OK)
        return status;
    status = require_columns(csv, names, sizeof names / sizeof names[0], cols, err);
    if (status != AS_OK)
        goto cleanup;
    long count_cols[N_COUNTS];
    for (size_t k = 0; k < N_COUNTS; k++)
        count_cols[k] = as_csv_column(csv, count_columns[k]);
    long type_col = as_csv_column(csv, "occ_type");  /* absent: all detail */
    long code_cols[N_CODES];
    for (size_t k = 0; k < N_CODES; k++)
        code_cols[k] = as_csv_column(csv, code_columns[k].name);

    rows = as_calloc(csv->n_rows ? csv->n_rows : 1, sizeof *rows);
    if (!rows)
        goto nomem;
    for (size_t i = 0; i < csv->n_rows; i++) {
        const as_csv_row *row = &csv->rows[i];
        if (type_col >= 0) {
            const char *type = row->fields[type_col];
            if (strcmp(type, "summary") == 0)
                continue;
            if (strcmp(type, "detail") != 0) {
                status = as_csv_fail(csv, row->line, err,
                                     "column 'occ_type': got '%s', expected detail or summary", type);
                continue;
            }
        }
        struct demand_row *r = &rows[n];
        if (parse_demand_row(csv, row, count_cols, cols[SOC], cols[WAGE], code_cols, &r->occ, err) != AS_OK) {
            status = AS_EINPUT;
            continue;
        }
        if (!(r->occ.title = as_strdup(row->fields[cols[TITLE]])))
            goto nomem;
        r->line = row->line;
        n++;
    }
    if (status != AS_OK)
        goto cleanup;
    if (n == 0) {
        status = as_error_set(err, AS_EINPUT, path, "no detail occupations (expected at least one row)");
        goto cleanup;
    }

    qsort(rows, n, sizeof *rows, cmp_demand_row);
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i].occ.soc, rows[i - 1].occ.soc) == 0)
            status = as_csv_fail(csv, rows[i].line, err, "duplicate soc_code %s (also on line %zu)",
                                 rows[i].occ.soc, rows[i - 1].line);
    if (status != AS_OK)
        goto cleanup;

    if (!(labor->occupations = as_malloc(n * sizeof *labor->occupations)))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        labor->occupations[i] = rows[i].occ;
    labor->n_occupations = n;
    n = 0;  /* titles now belong to labor */
    as_labor_note_file(labor, path, csv->sha256);
    goto cleanup;

nomem:
    status = as_error_set(err, AS_ENOMEM, path, "out of memory");
cleanup:
    for (size_t i = 0; i < n; i++)
        free(rows[i].occ.title);
    free(rows);
    as_csv_free(csv);
    return status;
}

/* Fills labor->soc_links from the SOC -> EP map; needs the occupations. */
static int load_map(const char *path, as_labor *labor, as_error *err)
{
    static const char *const names[] = { "soc2018_code", "ep_code", "match" };
    long cols[3];
    struct link_row *rows = NULL;
    size_t n = 0;
    as_csv *csv = NULL;
    int status = as_csv_read(path, &csv, err);
    if (status != AS_OK)
        return status;
    status = require_columns(csv, names, 3, cols, err);
    if (status != AS_OK)
        goto cleanup;
    rows = as_calloc(csv->n_rows ? csv->n_rows : 1, sizeof *rows);
    if (!rows)
        goto nomem;

    for (size_t i = 0; i < csv->n_rows; i++) {
        const as_csv_row *row = &csv->rows[i];
        const char *soc = row->fields[cols[0]];
        const char *ep = row->fields[cols[1]];
        const char *match = row->fields[cols[2]];
        if (!code_ok(soc, '-')) {
            status = as_csv_fail(csv, row->line, err,
                                 "column 'soc2018_code': malformed code (got '%s', expected NN-NNNN)", soc);
            continue;
        }
        struct link_row *r = &rows[n];
        memcpy(r->link.soc, soc, 8);
        r->link.occupation = -1;
        r->line = row->line;
        if (strcmp(match, "military_not_in_ep") == 0) {
            n++;
            continue;
        }
        if (strcmp(match, "same") != 0 && strcmp(match, "ep_aggregate") != 0) {
            status = as_csv_fail(csv, row->line, err,
                                 "column 'match': got '%s', expected same, ep_aggregate or "
                                 "military_not_in_ep", match);
            continue;
        }
        if (!code_ok(ep, '-')) {
            status = as_csv_fail(csv, row->line, err,
                                 "column 'ep_code': malformed code (got '%s', expected NN-NNNN)", ep);
            continue;
        }
        if (strcmp(match, "same") == 0 && strcmp(ep, soc) != 0) {
            status = as_csv_fail(csv, row->line, err,
                                 "match=same but ep_code %s differs from soc2018_code %s", ep, soc);
            continue;
        }
        /* Absent from this (possibly regional) demand table: not an error,
         * see labor.h. */
        r->link.occupation = find_occupation(labor, ep);
        if (r->link.occupation < 0)
            labor->n_links_absent++;
        n++;
    }
    if (status != AS_OK)
        goto cleanup;

    qsort(rows, n, sizeof *rows, cmp_link_row);
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i].link.soc, rows[i - 1].link.soc) == 0)
            status = as_csv_fail(csv, rows[i].line, err, "duplicate soc2018_code %s (also on line %zu)",
                                 rows[i].link.soc, rows[i - 1].line);
    if (status != AS_OK)
        goto cleanup;

    if (!(labor->soc_links = as_malloc((n ? n : 1) * sizeof *labor->soc_links)))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        labor->soc_links[i] = rows[i].link;
    labor->n_soc_links = n;
    as_labor_note_file(labor, path, csv->sha256);
    goto cleanup;

nomem:
    status = as_error_set(err, AS_ENOMEM, path, "out of memory");
cleanup:
    free(rows);
    as_csv_free(csv);
    return status;
}

/* Builds the CIP index (cips, cip_first, cip_occ) from sorted pairs. */
static int build_cip_index(as_labor *labor, const struct cip_pair *pairs, size_t n)
{
    size_t n_cips = 0, n_occ = 0;
    for (size_t i = 0; i < n; i++) {
        int new_cip = i == 0 || strcmp(pairs[i].cip, pairs[i - 1].cip) != 0;
        n_cips += new_cip;
        if (pairs[i].occupation >= 0 && (new_cip || pairs[i].occupation != pairs[i - 1].occupation))
            n_occ++;
    }
    labor->cips = as_malloc((n_cips ? n_cips : 1) * sizeof *labor->cips);
    labor->cip_first = as_malloc((n_cips + 1) * sizeof *labor->cip_first);
    labor->cip_occ = as_malloc((n_occ ? n_occ : 1) * sizeof *labor->cip_occ);
    if (!labor->cips || !labor->cip_first || !labor->cip_occ)
        return AS_ENOMEM;

    size_t c = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        int new_cip = i == 0 || strcmp(pairs[i].cip, pairs[i - 1].cip) != 0;
        if (new_cip) {
            memcpy(labor->cips[c], pairs[i].cip, 8);
            labor->cip_first[c++] = k;
        }
        /* Pairs are sorted by (cip, occupation): duplicates are adjacent. */
        if (pairs[i].occupation >= 0 && (new_cip || pairs[i].occupation != pairs[i - 1].occupation))
            labor->cip_occ[k++] = (size_t)pairs[i].occupation;
    }
    labor->cip_first[c] = k;
    labor->n_cips = n_cips;
    return AS_OK;
}

/* Fills the CIP index from the crosswalk; needs the SOC links. */
static int load_crosswalk(const char *path, const char *map_path, as_labor *labor, as_error *err)
{
    static const char *const names[] = { "cip2020_code", "soc2018_code" };
    long cols[2];
    struct cip_pair *pairs = NULL;
    size_t n = 0;
    as_csv *csv = NULL;
    int status = as_csv_read(path, &csv, err);
    if (status != AS_OK)
        return status;
    status = require_columns(csv, names, 2, cols, err);
    if (status != AS_OK)
        goto cleanup;
    pairs = as_malloc((csv->n_rows ? csv->n_rows : 1) * sizeof *pairs);
    if (!pairs)
        goto nomem;

    for (size_t i = 0; i < csv->n_rows; i++) {
        const as_csv_row *row = &csv->rows[i];
        const char *cip = row->fields[cols[0]];
        const char *soc = row->fields[cols[1]];
        if (strcmp(cip, "99.9999") == 0)  /* occupation with no program */
            continue;
        if (!code_ok(cip, '.')) {
            status = as_csv_fail(csv, row->line, err,
                                 "column 'cip2020_code': malformed code (got '%s', expected NN.NNNN)", cip);
            continue;
        }
        long occupation = -1;  /* 99-9999: a program with no occupation */
        if (strcmp(soc, "99-9999") != 0) {
            if (!code_ok(soc, '-')) {
                status = as_csv_fail(csv, row->line, err,
                                     "column 'soc2018_code': malformed code (got '%s', expected NN-NNNN)",
                                     soc);
                continue;
            }
            const as_soc_link *link = bsearch(soc, labor->soc_links, labor->n_soc_links,
                                              sizeof *link, cmp_code);
            if (!link) {
                status = as_csv_fail(csv, row->line, err,
                                     "soc2018_code %s is not in %s (expected every crosswalk SOC "
                                     "in the SOC -> EP map)", soc, map_path);
                continue;
            }
            occupation = link->occupation;
        }
        memcpy(pairs[n].cip, cip, 8);
        pairs[n].occupation = occupation;
        n++;
    }
    if (status != AS_OK)
        goto cleanup;

    qsort(pairs, n, sizeof *pairs, cmp_pair);
    if (build_cip_index(labor, pairs, n) != AS_OK)
        goto nomem;
    as_labor_note_file(labor, path, csv->sha256);
    goto cleanup;

nomem:
    status = as_error_set(err, AS_ENOMEM, path, "out of memory");
cleanup:
    free(pairs);
    as_csv_free(csv);
    return status;
}

int as_labor_load(const char *demand_csv, const char *crosswalk_csv,
                  const char *soc_ep_csv, as_labor **out, as_error *err)
{
    *out = NULL;
    as_labor *labor = as_calloc(1, sizeof *labor);
    if (!labor)
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory loading the labor tables");
    int status = load_demand(demand_csv, labor, err);
    if (status == AS_OK)
        status = load_map(soc_ep_csv, labor, err);
    if (status == AS_OK)
        status = load_crosswalk(crosswalk_csv, soc_ep_csv, labor, err);
    if (status != AS_OK) {
        as_labor_free(labor);
        return status;
    }
    *out = labor;
    return AS_OK;
}

void as_labor_note_file(as_labor *labor, const char *path, const char *sha256)
{
    if (labor->n_files >= AS_LABOR_MAX_FILES)
        return;
    as_data_file *f = &labor->files[labor->n_files++];
    const char *slash = strrchr(path, '/');
    snprintf(f->name, sizeof f->name, "%s", slash ? slash + 1 : path);
    snprintf(f->sha256, sizeof f->sha256, "%s", sha256);
}

size_t as_labor_files_text(const as_labor *labor, char *buf, size_t n)
{
    size_t need = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; labor && i < labor->n_files; i++) {
        int len = snprintf(need < n ? buf + need : NULL, need < n ? n - need : 0, "%s%s sha256:%s", i ? "; " : "",
                           labor->files[i].name, labor->files[i].sha256);
        need += len > 0 ? (size_t)len : 0;
    }
    return need;
}

void as_labor_free(as_labor *labor)
{
    if (!labor)
        return;
    for (size_t i = 0; i < labor->n_occupations; i++)
        free(labor->occupations[i].title);
    free(labor->occupations);
    free(labor->cips);
    free(labor->cip_first);
    free(labor->cip_occ);
    free(labor->soc_links);
    free(labor->completions);
    free(labor);
}

long as_labor_find_soc(const as_labor *labor, const char *soc)
{
    if (!labor || !soc)
        return -1;
    long index = find_occupation(labor, soc);
    if (index >= 0)
        return index;
    const as_soc_link *link = bsearch(soc, labor->soc_links, labor->n_soc_links,
                                      sizeof *link, cmp_code);
    return link ? link->occupation : -1;
}

static long find_cip(const as_labor *labor, const char *cip)
{
    if (!labor || !cip)
        return -1;
    const char(*row)[8] = bsearch(cip, labor->cips, labor->n_cips, sizeof *labor->cips, cmp_code);
    return row ? (long)(row - labor->cips) : -1;
}

size_t as_labor_cip_occupations(const as_labor *labor, const char *cip, const size_t **occ)
{
    long c = find_cip(labor, cip);
    size_t count = c < 0 ? 0 : labor->cip_first[c + 1] - labor->cip_first[c];
    if (occ)
        *occ = count ? labor->cip_occ + labor->cip_first[c] : NULL;
    return count;
}

int as_labor_cip_known(const as_labor *labor, const char *cip)
{
    return find_cip(labor, cip) >= 0;
}
