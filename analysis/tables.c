/*
 * tables.c - the tables of an export, their columns and rows (analysis/tables.h).
 */
#include "tables.h"
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REPLICATION_COLUMN {"replication", "Stochastic replication, from 0: replications share the scenario " \
                            "and differ only in their random draws.", ""}
#define YEAR_COLUMN {"year", "Simulated school year, as the calendar year it starts in.", "calendar year"}

static const as_table dictionary = {"_dictionary", AS_TABLE_DICTIONARY, 4, {
    {"table", "Table: TABLE.csv in the export folder; in the workbook, the sheet of that name (without a "
              "leading _, cut to 31 characters; a table longer than a sheet holds goes on in sheets "
              "\"NAME (2)\", \"NAME (3)\" ...).", ""},
    {"column", "A column of the table (its header).", ""},
    {"meaning", "What the column holds.", ""},
    {"units", "What a number in the column counts; empty for text.", ""}}};

static const as_table openings = {"openings", AS_TABLE_OPENINGS, 6, {
    YEAR_COLUMN,
    {"occupation", "SOC 2018 code of the occupation (the labor table's).", ""},
    {"occupation_title", "BLS title of the occupation.", ""},
    {"openings", "Annual openings scaled to the region: growth + labor-force exits + occupational transfers.",
     "jobs per year"},
    {"other_supply", "Workers from other institutions and in-migration (a scenario input, or the "
                     "share-of-openings assumption).", "workers per year"},
    {"median_wage", "BLS median annual wage of the occupation; NA (an empty cell in the workbook) where "
                    "not published.", "dollars per year"}}};

static const as_table credentials = {"credential_levels", AS_TABLE_CREDENTIALS, 3, {
    {"credential", "Credential id (the categories of the credential dimension).", ""},
    {"level", "Level: industry_certification, certificate, associate, bachelor or apprenticeship.", ""},
    {"code", "CIP 2020 code of the credential (SOC 2018 code for an apprenticeship); empty when it has none.",
     ""}}};

#define SAME_UNITS "as the variable's value"
static const as_table summary = {"summary", AS_TABLE_SUMMARY, 10, {
    {"variable", "Variable: its table's name; its meaning and units are those of that table's value.", ""},
    YEAR_COLUMN,
    {"dimension_1", "Name of the variable's first dimension; empty when it has none.", ""},
    {"category_1", "Category of dimension_1.", ""},
    {"dimension_2", "Name of the variable's second dimension; empty when it has fewer.", ""},
    {"category_2", "Category of dimension_2.", ""},
    {"mean", "Mean over replications.", SAME_UNITS},
    {"sd", "Sample standard deviation over replications (n - 1).", SAME_UNITS},
    {"ci_low", "Low end of the 95% interval of the mean: mean - t(0.975, R-1) sd / sqrt(R) (zero width "
               "with one replication).", SAME_UNITS},
    {"ci_high", "High end of the 95% interval of the mean: mean + t(0.975, R-1) sd / sqrt(R).", SAME_UNITS}}};

/* The extra tables: the dictionary first, the rest after the variables. */
static const as_table *const after_variables[] = {&openings, &credentials, &summary};
#define N_AFTER (sizeof after_variables / sizeof after_variables[0])

_Static_assert(AS_TABLES_COUNT == 1 + AS_V_COUNT + N_AFTER, "AS_TABLES_COUNT counts every table");

int as_tables_at(size_t i, as_table *t)
{
    if (i == 0) {
        *t = dictionary;
        return 0;
    }
    if (i - 1 >= AS_V_COUNT) {
        if (i - 1 - AS_V_COUNT >= N_AFTER)
            return -1;
        *t = *after_variables[i - 1 - AS_V_COUNT];
        return 0;
    }
    const as_var_def *def = &as_var_defs[i - 1];
    memset(t, 0, sizeof *t);
    t->name = def->name;
    t->var = (int)(i - 1);
    t->columns[t->ncolumns++] = (as_column)REPLICATION_COLUMN;
    t->columns[t->ncolumns++] = (as_column)YEAR_COLUMN;
    for (int k = 0; k < def->ndims; k++)
        t->columns[t->ncolumns++] = (as_column){as_dim_names[def->dims[k]], as_dim_meanings[def->dims[k]], ""};
    t->columns[t->ncolumns++] = (as_column){"value", def->meaning, def->unit};
    return 0;
}

size_t as_tables_rows_of(const as_results *r, const as_table *t)
{
    size_t years = (size_t)r->years, n = 0;
    switch (t->var) {
    case AS_TABLE_DICTIONARY: {
        as_table each;
        for (size_t i = 0; as_tables_at(i, &each) == 0; i++)
            n += (size_t)each.ncolumns;
        return n;
    }
    case AS_TABLE_OPENINGS: return years * r->dims[AS_D_OCCUPATION].len;
    case AS_TABLE_CREDENTIALS: return r->dims[AS_D_CREDENTIAL].len;
    case AS_TABLE_SUMMARY:
        for (int v = 0; v < AS_V_COUNT; v++)
            n += years * as_results_var_size(r, v);
        return n;
    default: return (size_t)r->replications * years * as_results_var_size(r, t->var);
    }
}

static as_cell text(const char *s) { return (as_cell){.text = s ? s : ""}; }
static as_cell number(double x) { return (as_cell){.number = x}; }

/* The label of category i of the variable's dimension k. */
static const char *category(const as_results *r, int v, int k, size_t i)
{
    return r->dims[as_var_defs[v].dims[k]].labels[i];
}

static int dictionary_rows(as_row_fn row, void *sink, as_error *err)
{
    as_table t;
    for (size_t i = 0; as_tables_at(i, &t) == 0; i++)
        for (int c = 0; c < t.ncolumns; c++) {
            const as_column *col = &t.columns[c];
            as_cell cells[4] = {text(t.name), text(col->name), text(col->meaning), text(col->units)};
            int rc = row(sink, cells, 4, err);
            if (rc != AS_OK)
                return rc;
        }
    return AS_OK;
}

static int observation_rows(const as_results *r, int v, as_row_fn row, void *sink, as_error *err)
{
    const as_var_def *def = &as_var_defs[v];
    size_t n1 = def->ndims > 0 ? r->dims[def->dims[0]].len : 1;
    size_t n2 = def->ndims > 1 ? r->dims[def->dims[1]].len : 1;
    as_cell cells[5];
    for (int q = 0; q < r->replications; q++)
        for (int t = 0; t < r->years; t++) {
            const double *x = as_results_at(r, v, q, t);
            for (size_t i = 0; i < n1; i++)
                for (size_t j = 0; j < n2; j++) {
                    int n = 0;
                    cells[n++] = number(q);
                    cells[n++] = number(r->start_year + t);
                    if (def->ndims > 0)
                        cells[n++] = text(category(r, v, 0, i));
                    if (def->ndims > 1)
                        cells[n++] = text(category(r, v, 1, j));
                    cells[n++] = number(x[i * n2 + j]);
                    int rc = row(sink, cells, n, err);
                    if (rc != AS_OK)
                        return rc;
                }
        }
    return AS_OK;
}

static int openings_rows(const as_results *r, as_row_fn row, void *sink, as_error *err)
{
    size_t n = r->dims[AS_D_OCCUPATION].len;
    for (int t = 0; t < r->years; t++)
        for (size_t o = 0; o < n; o++) {
            size_t at = (size_t)t * n + o;
            as_cell cells[6] = {number(r->start_year + t), text(r->dims[AS_D_OCCUPATION].labels[o]),
                                text(r->occupation_title ? r->occupation_title[o] : ""), number(r->openings[at]),
                                number(r->other_supply[at]), number(r->occupation_wage[o])};
            int rc = row(sink, cells, 6, err);
            if (rc != AS_OK)
                return rc;
        }
    return AS_OK;
}

static int credential_rows(const as_results *r, as_row_fn row, void *sink, as_error *err)
{
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++) {
        as_cell cells[3] = {text(r->dims[AS_D_CREDENTIAL].labels[k]), text(as_level_names[r->credential_level[k]]),
                            text(r->credential_code ? r->credential_code[k] : "")};
        int rc = row(sink, cells, 3, err);
        if (rc != AS_OK)
            return rc;
    }
    return AS_OK;
}

/* One variable's summary rows; stats holds 4 x its size doubles. */
static int summary_rows_of(const as_results *r, int v, double *stats, as_row_fn row, void *sink, as_error *err)
{
    const as_var_def *def = &as_var_defs[v];
    size_t size = as_results_var_size(r, v);
    size_t n2 = def->ndims > 1 ? r->dims[def->dims[1]].len : 1;
    for (int t = 0; t < r->years; t++) {
        as_results_summary(r, v, t, stats, stats + size, stats + 2 * size, stats + 3 * size);
        for (size_t c = 0; c < size; c++) {
            as_cell cells[10];
            int n = 0;
            cells[n++] = text(def->name);
            cells[n++] = number(r->start_year + t);
            for (int k = 0; k < 2; k++) {
                int has = k < def->ndims;
                cells[n++] = text(has ? as_dim_names[def->dims[k]] : "");
                cells[n++] = text(has ? category(r, v, k, k == 0 ? c / n2 : c % n2) : "");
            }
            for (int s = 0; s < 4; s++)
                cells[n++] = number(stats[(size_t)s * size + c]);
            int rc = row(sink, cells, n, err);
            if (rc != AS_OK)
                return rc;
        }
    }
    return AS_OK;
}

static int summary_rows(const as_results *r, as_row_fn row, void *sink, as_error *err)
{
    size_t most = 1;
    for (int v = 0; v < AS_V_COUNT; v++)
        if (as_results_var_size(r, v) > most)
            most = as_results_var_size(r, v);
    double *stats = as_malloc(4 * most * sizeof *stats);
    if (!stats)
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory summarizing results");
    int rc = AS_OK;
    for (int v = 0; v < AS_V_COUNT && rc == AS_OK; v++)
        rc = summary_rows_of(r, v, stats, row, sink, err);
    free(stats);
    return rc;
}

int as_tables_rows(const as_results *r, const as_table *t, as_row_fn row, void *sink, as_error *err)
{
    switch (t->var) {
    case AS_TABLE_DICTIONARY: return dictionary_rows(row, sink, err);
    case AS_TABLE_OPENINGS: return openings_rows(r, row, sink, err);
    case AS_TABLE_CREDENTIALS: return credential_rows(r, row, sink, err);
    case AS_TABLE_SUMMARY: return summary_rows(r, row, sink, err);
    default: return observation_rows(r, t->var, row, sink, err);
    }
}

static int taken(const char *name, const char (*used)[AS_SHEET_NAME_MAX + 1], size_t n_used)
{
    for (size_t i = 0; i < n_used; i++)
        if (!strcasecmp(name, used[i]))
            return 1;
    return 0;
}

void as_tables_sheet_name(const char *table, int part, const char (*used)[AS_SHEET_NAME_MAX + 1],
                          size_t n_used, char *out)
{
    const char *base = table[0] == '_' ? table + 1 : table;
    char suffix[32] = "", mark[32] = "";
    if (part > 1)
        snprintf(suffix, sizeof suffix, " (%d)", part);
    for (size_t k = 1;; k++) { /* ends: at most n_used names are taken */
        if (k > 1)
            snprintf(mark, sizeof mark, "~%zu", k);
        size_t ls = strlen(suffix), lm = strlen(mark), lb = strlen(base);
        if (ls + lm > AS_SHEET_NAME_MAX) /* cannot happen: " (part)" and "~k" are a few characters */
            ls = lm = 0;
        if (lb > AS_SHEET_NAME_MAX - ls - lm)
            lb = AS_SHEET_NAME_MAX - ls - lm;
        memcpy(out, base, lb);
        memcpy(out + lb, mark, lm);
        memcpy(out + lb + lm, suffix, ls);
        out[lb + lm + ls] = '\0';
        if (!taken(out, used, n_used))
            return;
    }
}
