/*
 * export_xlsx.c - the export's tables as one workbook (analysis/export.h), through libxlsxwriter.
 *
 * Its constant-memory mode writes each row to a temporary file as soon as the next one starts, so a
 * large export needs no cell in memory; those files go in the workbook's own folder (the file
 * system the user chose, not a /tmp that may be small or in memory) and are anonymous (unlinked
 * as they are made), so nothing of them can be left behind.  The workbook file itself is only
 * written by workbook_close, into FILE.tmp.PID, then renamed over FILE.
 *
 * libxlsxwriter is opened (dlopen) the first time a workbook is written rather than when the program
 * starts: it brings OpenSSL's libcrypto and minizip, and loading them cost every run of alignsim,
 * which almost never writes a workbook, about 6 ms and 130 page faults (docs/performance.md,
 * "Issue 17, fifth steps").  Its header still gives every call's type.
 */
#include "export.h"
#include "alloc.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "outpath.h"
#include "tables.h"
#include "tmpfile.h"

/* The library's calls this file makes, through lxw once lxw_open has found them. */
#define LXW_CALLS(X)                                                                                               \
    X(workbook_new_opt) X(workbook_add_format) X(workbook_add_worksheet) X(workbook_close) X(lxw_workbook_free)   \
    X(format_set_bold) X(worksheet_write_string) X(worksheet_write_number) X(worksheet_set_column)              \
    X(worksheet_autofilter) X(worksheet_ignore_errors) X(worksheet_freeze_panes) X(lxw_strerror)

static struct {
#define LXW_FIELD(name) __typeof__(name) *name;
    LXW_CALLS(LXW_FIELD)
#undef LXW_FIELD
} lxw;
static char lxw_missing[512]; /* why lxw could not be filled; empty when it was */
static pthread_once_t lxw_once = PTHREAD_ONCE_INIT;

static void lxw_load(void)
{
    void *lib = dlopen(AS_XLSXWRITER_SONAME, RTLD_NOW | RTLD_LOCAL); /* kept open: the process ends first */
    if (!lib) {
        snprintf(lxw_missing, sizeof lxw_missing, "%s", dlerror());
        return;
    }
#define LXW_LOAD(name)                                                                                             \
    if (!lxw_missing[0] && !(*(void **)&lxw.name = dlsym(lib, #name)))                                             \
        snprintf(lxw_missing, sizeof lxw_missing, "%s has no %s", AS_XLSXWRITER_SONAME, #name);
    LXW_CALLS(LXW_LOAD)
#undef LXW_LOAD
}

/* Opens libxlsxwriter once; AS_OK, or an error naming the Debian package when it is missing. */
static int lxw_open(const char *path, as_error *err)
{
    pthread_once(&lxw_once, lxw_load);
    if (lxw_missing[0])
        return as_error_set(err, AS_EIO, path, "cannot write a workbook: libxlsxwriter is missing (Debian: "
                            "apt-get install libxlsxwriter4): %s", lxw_missing);
    return AS_OK;
}

/* Data rows of a sheet, below its header: Excel's 1,048,576 rows less one. */
#define SHEET_ROWS ((size_t)LXW_ROW_MAX - 1)

/* Beyond this many cells the workbook's XML could pass 4 GiB: zip64 then (off by default, as
 * libxlsxwriter has it, for the readers that know only plain zip). */
#define ZIP64_CELLS ((size_t)1 << 26)

typedef struct book {
    const char *path;           /* the workbook, for messages */
    lxw_workbook *workbook;
    lxw_format *bold;
    const as_table *table;      /* the table being written */
    size_t rows_left;           /* its rows not yet written */
    int part;                   /* its sheet: 1, then 2, 3 ... where it needs more than one */
    lxw_worksheet *sheet;
    char sheet_name[AS_SHEET_NAME_MAX + 1];
    size_t row;                 /* the sheet's next row (0 is the header) */
    char (*used)[AS_SHEET_NAME_MAX + 1]; /* the sheet names so far, room for room */
    size_t n_used, room;
} book;

/* Sheets a table of `rows` rows takes: one at least (an empty table still has its header). */
static size_t sheets_for(size_t rows)
{
    return rows == 0 ? 1 : (rows + SHEET_ROWS - 1) / SHEET_ROWS;
}

static double column_width(const char *name)
{
    static const struct { const char *name; double width; } wide[] = {
        {"meaning", 100}, {"occupation_title", 45}, {"table", 36}, {"units", 24}};
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (!strcmp(name, wide[i].name))
            return wide[i].width;
    size_t n = strlen(name) + 3;
    return n < 10 ? 10 : (double)n;
}

static int lxw_failed(const book *b, lxw_error e, as_error *err)
{
    return as_error_set(err, AS_EIO, b->path, "sheet \"%s\", row %zu: %s", b->sheet_name, b->row + 1,
                        lxw.lxw_strerror(e));
}

/* Starts the next sheet of b's table: its name, a bold header row kept in view, an autofilter over
 * its rows, and no "number stored as text" marks on the codes. */
static int start_sheet(book *b, as_error *err)
{
    const as_table *t = b->table;
    as_tables_sheet_name(t->name, b->part, (const char (*)[AS_SHEET_NAME_MAX + 1])b->used, b->n_used,
                         b->sheet_name);
    b->row = 0;
    if (b->n_used == b->room) /* a table gave more rows than as_tables_rows_of counted */
        return as_error_set(err, AS_EINTERNAL, b->path, "table %s: more sheets than counted (%zu)", t->name, b->room);
    errno = 0;
    b->sheet = lxw.workbook_add_worksheet(b->workbook, b->sheet_name);
    if (!b->sheet) /* its temporary file (constant-memory mode), or memory */
        return as_error_set(err, errno ? AS_EIO : AS_ENOMEM, b->path, "cannot add sheet \"%s\" for table %s: %s",
                            b->sheet_name, t->name, strerror(errno ? errno : ENOMEM));
    memcpy(b->used[b->n_used++], b->sheet_name, sizeof b->sheet_name);
    size_t rows = b->rows_left < SHEET_ROWS ? b->rows_left : SHEET_ROWS;
    lxw_error e = LXW_NO_ERROR;
    for (int c = 0; c < t->ncolumns && !e; c++) {
        e = lxw.worksheet_write_string(b->sheet, 0, (lxw_col_t)c, t->columns[c].name, b->bold);
        if (!e)
            e = lxw.worksheet_set_column(b->sheet, (lxw_col_t)c, (lxw_col_t)c, column_width(t->columns[c].name), NULL);
    }
    if (!e)
        e = lxw.worksheet_autofilter(b->sheet, 0, 0, (lxw_row_t)rows, (lxw_col_t)(t->ncolumns - 1));
    if (!e)
        e = lxw.worksheet_ignore_errors(b->sheet, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
    if (e)
        return lxw_failed(b, e, err);
    lxw.worksheet_freeze_panes(b->sheet, 1, 0);
    b->row = 1;
    return AS_OK;
}

/* One row into the sheet (the as_row_fn of as_tables_rows): text as text cells, so codes such as
 * 11-2011 and 11.0901 stay as written; numbers as numbers; NaN and infinities (NA and inf in the
 * CSV) and empty text as empty cells, as a worksheet cell holds no such number. */
static int xlsx_row(void *sink, const as_cell *cells, int n, as_error *err)
{
    book *b = sink;
    if (b->row > SHEET_ROWS) { /* the sheet is full: the table goes on in the next */
        b->part++;
        if (start_sheet(b, err) != AS_OK)
            return err->code;
    }
    lxw_row_t row = (lxw_row_t)b->row;
    for (int c = 0; c < n; c++) {
        lxw_error e = LXW_NO_ERROR;
        if (cells[c].text) {
            if (*cells[c].text)
                e = lxw.worksheet_write_string(b->sheet, row, (lxw_col_t)c, cells[c].text, NULL);
        } else if (isfinite(cells[c].number)) {
            e = lxw.worksheet_write_number(b->sheet, row, (lxw_col_t)c, cells[c].number, NULL);
        }
        if (e)
            return lxw_failed(b, e, err);
    }
    b->row++;
    b->rows_left--;
    return AS_OK;
}

int as_export_xlsx(const as_results *r, const char *path, as_error *err)
{
    char tmp[4096 + 32], folder[4096];
    if (strlen(path) >= 4096)
        return as_error_set(err, AS_EINPUT, path, "file name too long");
    if (lxw_open(path, err) != AS_OK)
        return err->code;
    as_table tables[AS_TABLES_COUNT];
    size_t rows[AS_TABLES_COUNT], n = 0, sheets = 0, cells = 0;
    for (; n < AS_TABLES_COUNT && as_tables_at(n, &tables[n]) == 0; n++) {
        rows[n] = as_tables_rows_of(r, &tables[n]);
        sheets += sheets_for(rows[n]);
        cells += (rows[n] + 1) * (size_t)tables[n].ncolumns;
    }
    book b = {.path = path, .used = as_calloc(sheets, sizeof *b.used), .room = sheets};
    if (!b.used)
        return as_error_set(err, AS_ENOMEM, path, "out of memory naming %zu sheets", sheets);
    as_path_folder(path, folder, sizeof folder);
    if (access(folder, W_OK) != 0) {
        int saved = errno;
        free(b.used);
        return as_error_set(err, AS_EIO, path, "cannot create: folder \"%s\": %s", folder, strerror(saved));
    }
    as_tmp_name(path, tmp, sizeof tmp);
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = folder,
                                    .use_zip64 = cells > ZIP64_CELLS ? LXW_TRUE : LXW_FALSE};
    as_tmp_hold(tmp); /* a signal from here on removes FILE.tmp.PID (io/tmpfile.h) */
    b.workbook = lxw.workbook_new_opt(tmp, &options);
    b.bold = b.workbook ? lxw.workbook_add_format(b.workbook) : NULL;
    int rc = AS_OK;
    if (!b.bold)
        rc = as_error_set(err, AS_ENOMEM, path, "out of memory starting the workbook");
    else
        lxw.format_set_bold(b.bold);
    for (size_t i = 0; i < n && rc == AS_OK; i++) {
        b.table = &tables[i];
        b.rows_left = rows[i];
        b.part = 1;
        rc = start_sheet(&b, err);
        if (rc == AS_OK)
            rc = as_tables_rows(r, &tables[i], xlsx_row, &b, err);
    }
    free(b.used);
    if (rc != AS_OK) { /* nothing is on disk yet: libxlsxwriter writes the file at close */
        lxw.lxw_workbook_free(b.workbook);
        as_tmp_release();
        return rc;
    }
    errno = 0;
    lxw_error e = lxw.workbook_close(b.workbook); /* writes the file and frees the workbook */
    int saved = errno;
    if (e == LXW_NO_ERROR && rename(tmp, path) == 0) {
        as_tmp_release();
        return AS_OK;
    }
    if (e == LXW_NO_ERROR)
        saved = errno;
    unlink(tmp);
    as_tmp_release();
    if (e == LXW_NO_ERROR)
        return as_error_set(err, AS_EIO, path, "cannot move the finished workbook into place: %s", strerror(saved));
    if (saved)
        return as_error_set(err, AS_EIO, path, "cannot write the workbook: %s (%s)", strerror(saved), lxw.lxw_strerror(e));
    return as_error_set(err, AS_EIO, path, "cannot write the workbook: %s", lxw.lxw_strerror(e));
}
