#include "csvtab.h"
#include "alloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h> /* libcsv (Debian libcsv-dev): RFC 4180 parsing */

/* State shared with libcsv's callbacks while one file is parsed. */
struct reader {
    as_csv *csv;         /* rows[0] is the header until parsing ends */
    size_t cap_rows;
    size_t *widths;      /* fields per row, parallel to csv->rows */
    size_t cap_widths;
    char **fields;       /* the record being assembled */
    size_t n_fields, cap_fields;
    size_t line;         /* line the parser has reached (1-based) */
    size_t row_line;     /* line where the record being assembled starts */
    int nomem;           /* an allocation failed inside a callback */
    int has_nul;         /* a field held a NUL byte; line in nul_line */
    size_t nul_line;
};

static void free_fields(char **fields, size_t n)
{
    if (!fields)
        return;
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
    free(fields);
}

static int grow(void **array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t cap_new = *cap ? 2 * *cap : 16;
    while (cap_new < need)
        cap_new *= 2;
    void *p = as_realloc(*array, cap_new * size);
    if (!p)
        return -1;
    *array = p;
    *cap = cap_new;
    return 0;
}

/* libcsv: one field has been read (NUL-terminated by CSV_APPEND_NULL). */
static void on_field(void *text, size_t len, void *data)
{
    struct reader *r = data;
    if (r->n_fields == 0)
        r->row_line = r->line;
    /* Quoted fields may span lines; keep the line count true. */
    const char *s = text ? text : "";
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n')
            r->line++;
    if (r->nomem)
        return;
    if (memchr(s, '\0', len) && !r->has_nul) {
        r->has_nul = 1;
        r->nul_line = r->row_line;
    }
    char *copy = as_malloc(len + 1);
    if (!copy || grow((void **)&r->fields, &r->cap_fields, r->n_fields + 1, sizeof *r->fields)) {
        free(copy);
        r->nomem = 1;
        return;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    r->fields[r->n_fields++] = copy;
}

/*
 * libcsv: a record ended, or (CSV_REPALL_NL) an unquoted line feed was seen
 * outside a record.  Counting every such call with c == '\n' gives the line
 * number; calls with no pending field are blank lines.
 */
static void on_record(int c, void *data)
{
    struct reader *r = data;
    if (r->n_fields > 0 && !r->nomem) {
        as_csv *csv = r->csv;
        if (grow((void **)&csv->rows, &r->cap_rows, csv->n_rows + 1, sizeof *csv->rows)
            || grow((void **)&r->widths, &r->cap_widths, csv->n_rows + 1, sizeof *r->widths)) {
            r->nomem = 1;
        } else {
            csv->rows[csv->n_rows] = (as_csv_row){ .line = r->row_line, .fields = r->fields };
            r->widths[csv->n_rows] = r->n_fields;
            csv->n_rows++;
            r->fields = NULL;
            r->n_fields = r->cap_fields = 0;
        }
    }
    if (r->nomem) {
        free_fields(r->fields, r->n_fields);
        r->fields = NULL;
        r->n_fields = r->cap_fields = 0;
    }
    if (c == '\n')
        r->line++;
}

/* Reads the whole stream into a NUL-terminated buffer. */
static int slurp(FILE *f, const char *path, char **text, size_t *len, as_error *err)
{
    size_t cap = 0, used = 0;
    char *buf = NULL;
    for (;;) {
        if (grow((void **)&buf, &cap, used + 65536 + 1, 1)) {
            free(buf);
            return as_error_set(err, AS_ENOMEM, path, "out of memory reading the file");
        }
        size_t got = fread(buf + used, 1, cap - used - 1, f);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        return as_error_set(err, AS_EIO, path, "read failed: %s", strerror(saved));
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return AS_OK;
}

static size_t count_lines(const char *text, size_t upto)
{
    size_t line = 1;
    for (size_t i = 0; i < upto; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

int as_csv_read(const char *path, as_csv **out, as_error *err)
{
    *out = NULL;
    int status = AS_OK;
    char *text = NULL;
    size_t len = 0;
    struct csv_parser parser;
    int parser_ready = 0;
    struct reader r = { .line = 1 };
    as_csv *csv = NULL;
    char where[1100];

    FILE *f = fopen(path, "rb");
    if (!f)
        return as_error_set(err, AS_EINPUT, path, "cannot open: %s", strerror(errno));
    status = slurp(f, path, &text, &len, err);
    fclose(f);
    if (status != AS_OK)
        return status;

    r.csv = as_calloc(1, sizeof *r.csv);
    if (!r.csv || !(r.csv->path = as_strdup(path)))
        goto nomem;
    as_digest_sha256(text, len, r.csv->sha256); /* the bytes parsed, not the file again: the same table */
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
        goto nomem;
    parser_ready = 1;

    /* A UTF-8 byte-order mark is not part of the first column's name. */
    size_t start = (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    size_t parsed = csv_parse(&parser, text + start, len - start, on_field, on_record, &r);
    if (parsed != len - start && csv_error(&parser) == CSV_EPARSE) {
        snprintf(where, sizeof where, "%s:%zu", path, count_lines(text, start + parsed));
        status = as_error_set(err, AS_EINPUT, where,
                              "malformed CSV: a quote inside an unquoted field, or text after "
                              "a closing quote (expected RFC 4180 quoting)");
        goto cleanup;
    }
    if (parsed != len - start)
        goto nomem;
    if (csv_fini(&parser, on_field, on_record, &r) != 0) {
        if (csv_error(&parser) != CSV_EPARSE)
            goto nomem;
        snprintf(where, sizeof where, "%s:%zu", path, r.n_fields ? r.row_line : r.line);
        status = as_error_set(err, AS_EINPUT, where,
                              "malformed CSV: quoted field not closed before the end of the file");
        goto cleanup;
    }
    if (r.nomem)
        goto nomem;
    if (r.has_nul) {
        snprintf(where, sizeof where, "%s:%zu", path, r.nul_line);
        status = as_error_set(err, AS_EINPUT, where, "field holds a NUL byte (expected text)");
        goto cleanup;
    }

    csv = r.csv;
    if (csv->n_rows == 0) {
        status = as_error_set(err, AS_EINPUT, path, "empty file (expected a header row)");
        goto cleanup;
    }
    csv->n_columns = r.widths[0];
    for (size_t i = 1; i < csv->n_rows; i++) {
        if (r.widths[i] != csv->n_columns) {
            snprintf(where, sizeof where, "%s:%zu", path, csv->rows[i].line);
            status = as_error_set(err, AS_EINPUT, where, "%zu fields, expected %zu as in the header",
                                  r.widths[i], csv->n_columns);
        }
    }
    if (status != AS_OK)
        goto cleanup;

    /* Split the header off the data rows. */
    csv->header = csv->rows[0].fields;
    csv->header_line = csv->rows[0].line;
    csv->n_rows--;
    memmove(csv->rows, csv->rows + 1, csv->n_rows * sizeof *csv->rows);
    *out = csv;
    r.csv = NULL;
    goto cleanup;

nomem:
    status = as_error_set(err, AS_ENOMEM, path, "out of memory parsing the file");
cleanup:
    if (parser_ready)
        csv_free(&parser);
    free_fields(r.fields, r.n_fields);
    if (r.csv) {
        /* Still in parse layout: rows[0] is the header, widths give sizes. */
        for (size_t i = 0; i < r.csv->n_rows; i++)
            free_fields(r.csv->rows[i].fields, r.widths[i]);
        free(r.csv->rows);
        free(r.csv->path);
        free(r.csv);
    }
    free(r.widths);
    free(text);
    return status;
}

void as_csv_free(as_csv *csv)
{
    if (!csv)
        return;
    for (size_t i = 0; i < csv->n_rows; i++)
        free_fields(csv->rows[i].fields, csv->n_columns);
    free_fields(csv->header, csv->n_columns);
    free(csv->rows);
    free(csv->path);
    free(csv);
}

long as_csv_column(const as_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->n_columns; i++)
        if (strcmp(csv->header[i], name) == 0)
            return (long)i;
    return -1;
}

long as_csv_require(const as_csv *csv, const char *name, as_error *err)
{
    long col = as_csv_column(csv, name);
    if (col < 0)
        as_csv_fail(csv, csv->header_line, err, "missing column '%s'", name);
    return col;
}

int as_csv_number(const as_csv *csv, const as_csv_row *row, size_t col,
                  int empty_ok, double *value, as_error *err)
{
    const char *text = row->fields[col];
    if (text[0] == '\0') {
        if (empty_ok) {
            *value = NAN;
            return AS_OK;
        }
        return as_csv_fail(csv, row->line, err, "column '%s': empty (expected a number)",
                           csv->header[col]);
    }
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x))
        return as_csv_fail(csv, row->line, err,
                           "column '%s': malformed number (got '%s', expected a number)",
                           csv->header[col], text);
    *value = x;
    return AS_OK;
}

int as_csv_fail(const as_csv *csv, size_t line, as_error *err, const char *fmt, ...)
{
    char where[1100], message[1024];
    snprintf(where, sizeof where, "%s:%zu", csv->path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return as_error_set(err, AS_EINPUT, where, "%s", message);
}
