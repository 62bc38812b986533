#include "csvtab.h"
#include "alloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h> /* libcsv (Debian libcsv-dev): RFC 4180 parsing */

/* State shared with libcsv's callbacks while one file is parsed.  The fields' text goes into one
 * arena, a NUL after each, and their starts into one list of offsets (the arena moves as it grows);
 * as_csv_read turns the offsets into the rows' pointers at the end.  One allocation per table rather
 * than one per field roughly halves the time to load the data tables (docs/performance.md). */
struct reader {
    as_csv *csv;         /* rows[0] is the header until parsing ends; rows[i].fields set at the end */
    size_t cap_rows;
    size_t *widths;      /* fields per row, parallel to csv->rows */
    size_t cap_widths;
    char *text;          /* the arena: every field's text, NUL-terminated */
    size_t used, cap_text;
    size_t *starts;      /* offset in text of every field, in file order */
    size_t n_fields, cap_starts;
    size_t row_fields;   /* fields of the record being assembled (the last ones in starts) */
    size_t line;         /* line the parser has reached (1-based) */
    size_t row_line;     /* line where the record being assembled starts */
    int nomem;           /* an allocation failed inside a callback */
    int has_nul;         /* a field held a NUL byte; line in nul_line */
    size_t nul_line;
};

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
    if (r->row_fields == 0)
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
    if (grow((void **)&r->text, &r->cap_text, r->used + len + 1, 1)
        || grow((void **)&r->starts, &r->cap_starts, r->n_fields + 1, sizeof *r->starts)) {
        r->nomem = 1;
        return;
    }
    memcpy(r->text + r->used, s, len);
    r->text[r->used + len] = '\0';
    r->starts[r->n_fields++] = r->used;
    r->used += len + 1;
    r->row_fields++;
}

/*
 * libcsv: a record ended, or (CSV_REPALL_NL) an unquoted line feed was seen
 * outside a record.  Counting every such call with c == '\n' gives the line
 * number; calls with no pending field are blank lines.
 */
static void on_record(int c, void *data)
{
    struct reader *r = data;
    if (r->row_fields > 0 && !r->nomem) {
        as_csv *csv = r->csv;
        if (grow((void **)&csv->rows, &r->cap_rows, csv->n_rows + 1, sizeof *csv->rows)
            || grow((void **)&r->widths, &r->cap_widths, csv->n_rows + 1, sizeof *r->widths)) {
            r->nomem = 1;
        } else {
            csv->rows[csv->n_rows] = (as_csv_row){ .line = r->row_line };
            r->widths[csv->n_rows] = r->row_fields;
            csv->n_rows++;
        }
    }
    r->row_fields = 0;
    if (c == '\n')
        r->line++;
}

/* Reads the whole stream into a NUL-terminated buffer: a regular file's in one read. */
static int slurp(FILE *f, const char *path, char **text, size_t *len, as_error *err)
{
    size_t cap = 0, used = 0;
    char *buf = NULL;
    struct stat st;
    size_t chunk = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    for (;;) {
        if (grow((void **)&buf, &cap, used + chunk + 1, 1)) {
            free(buf);
            return as_error_set(err, AS_ENOMEM, path, "out of memory reading the file");
        }
        size_t got = fread(buf + used, 1, cap - used - 1, f);
        used += got;
        if (got == 0)
            break;
        chunk = 65536; /* the file grew while being read */
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
    /* the fields' text is rarely longer than the file's */
    if (grow((void **)&r.text, &r.cap_text, len + 1, 1))
        goto nomem;

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

    /* Every row's fields, in one list of pointers into the arena, which the table now owns. */
    if (!(csv->cells_ = as_malloc((r.n_fields ? r.n_fields : 1) * sizeof *csv->cells_)))
        goto nomem;
    for (size_t i = 0; i < r.n_fields; i++)
        csv->cells_[i] = r.text + r.starts[i];
    for (size_t i = 0, at = 0; i < csv->n_rows; at += r.widths[i++])
        csv->rows[i].fields = csv->cells_ + at;
    csv->text_ = r.text;
    r.text = NULL;

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
    if (r.csv) {
        free(r.csv->cells_);
        free(r.csv->rows);
        free(r.csv->path);
        free(r.csv);
    }
    free(r.text);
    free(r.starts);
    free(r.widths);
    free(text);
    return status;
}

void as_csv_free(as_csv *csv)
{
    if (!csv)
        return;
    free(csv->cells_);
    free(csv->text_);
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
