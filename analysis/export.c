#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "tables.h"
#include "tmpfile.h"

/* mkdir -p: creates dir and its missing parents. */
static int make_folder(const char *dir, as_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return as_error_set(err, AS_EINPUT, dir, "folder name too long");
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return as_error_set(err, AS_EIO, path, "cannot create the folder: %s", strerror(errno));
        *s = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return as_error_set(err, AS_EIO, path, "cannot create the folder: %s", strerror(errno));
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return as_error_set(err, AS_EIO, path, "exists and is not a folder");
    return AS_OK;
}

static int open_in(as_outfile *o, const char *dir, const char *name, as_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return as_error_set(err, AS_EINPUT, dir, "folder name too long");
    return as_outfile_open(o, path, err);
}

/* One row as CSV: the as_row_fn of as_tables_rows; sink is the stream. */
static int csv_row(void *sink, const as_cell *cells, int n, as_error *err)
{
    (void)err; /* a write error shows in ferror at commit */
    FILE *f = sink;
    for (int c = 0; c < n; c++) {
        if (c)
            fputc(',', f);
        if (cells[c].text)
            as_outfile_csv_text(f, cells[c].text);
        else
            as_outfile_csv_number(f, cells[c].number);
    }
    fputc('\n', f);
    return AS_OK;
}

/* The file of table t in the export folder into name. */
static void file_name(const as_table *t, char *name, size_t size)
{
    snprintf(name, size, "%s.csv", t->name);
}

static int write_table(const as_results *r, const char *dir, const as_table *t, as_error *err)
{
    char name[160];
    file_name(t, name, sizeof name);
    as_outfile o;
    if (open_in(&o, dir, name, err) != AS_OK)
        return err->code;
    for (int c = 0; c < t->ncolumns; c++) {
        if (c)
            fputc(',', o.f);
        as_outfile_csv_text(o.f, t->columns[c].name);
    }
    fputc('\n', o.f);
    if (as_tables_rows(r, t, csv_row, o.f, err) != AS_OK) {
        as_outfile_abort(&o);
        return err->code;
    }
    return as_outfile_commit(&o, err);
}

/* Removes the tables written into folder tmp, then the folder. */
static void remove_tables(const char *tmp)
{
    as_table t;
    char path[4400], name[160];
    for (size_t i = 0; as_tables_at(i, &t) == 0; i++) {
        file_name(&t, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", tmp, name);
        unlink(path);
    }
    rmdir(tmp);
}

/* Every table is written into DIR.tmp.PID first; only when all are complete do they move into
 * DIR (the whole folder by one rename when DIR is new, else one rename per table), so a failure
 * (a full disk, a damaged value) leaves DIR as it was and nothing half-written. */
int as_export_csv(const as_results *r, const char *dir, as_error *err)
{
    char tmp[4200], from[4400], to[4400];
    struct stat st;
    int existed = stat(dir, &st) == 0;
    if (make_folder(dir, err) != AS_OK) /* the parents, and DIR itself: it must be creatable */
        return err->code;
    int fresh = rmdir(dir) == 0; /* it was empty (or new): the finished folder replaces it whole */
    as_tmp_name(dir, tmp, sizeof tmp);
    if (mkdir(tmp, 0777) != 0)
        return as_error_set(err, AS_EIO, tmp, "cannot create the folder: %s", strerror(errno));
    /* a signal from here on removes the folder and its tables, the dictionary among them (io/tmpfile.h) */
    as_table all[AS_TABLES_COUNT];
    char files[AS_TABLES_COUNT][160];
    const char *names[AS_TABLES_COUNT];
    size_t n = 0;
    for (; n < AS_TABLES_COUNT && as_tables_at(n, &all[n]) == 0; n++) {
        file_name(&all[n], files[n], sizeof files[n]);
        names[n] = files[n];
    }
    as_tmp_hold_folder(tmp, names, n);
    for (size_t i = 0; i < n; i++)
        if (write_table(r, tmp, &all[i], err) != AS_OK) {
            remove_tables(tmp);
            as_tmp_release_folder();
            if (fresh && existed)
                mkdir(dir, 0777); /* as it was: an empty folder (a new one is not left behind) */
            return err->code;
        }
    /* moving into place: signals wait until it is done (the held descriptor would follow the
     * folder into DIR), so DIR holds either every old table or every new one */
    sigset_t before;
    as_signals_hold(&before);
    if (fresh) {
        if (rename(tmp, dir) != 0) {
            as_error_set(err, AS_EIO, dir, "cannot move the finished folder into place: %s", strerror(errno));
            remove_tables(tmp);
        }
    } else {
        for (size_t i = 0; i < n; i++) { /* into an existing folder, one rename per table */
            int cut = snprintf(from, sizeof from, "%s/%s", tmp, names[i]) >= (int)sizeof from;
            cut |= snprintf(to, sizeof to, "%s/%s", dir, names[i]) >= (int)sizeof to;
            if ((cut || rename(from, to) != 0) && err->code == AS_OK)
                as_error_set(err, AS_EIO, to, "cannot move the finished table into place: %s", strerror(errno));
        }
        remove_tables(tmp);
    }
    as_tmp_release_folder();
    as_signals_resume(&before);
    return err->code;
}
