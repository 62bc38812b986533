#include "export.h"
#include "alloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
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

/* The label of category i of the variable's dimension k. */
static const char *category(const as_results *r, int v, int k, size_t i)
{
    return r->dims[as_var_defs[v].dims[k]].labels[i];
}

static void write_observations(FILE *f, const as_results *r, int v)
{
    const as_var_def *def = &as_var_defs[v];
    fputs("replication,year", f);
    for (int k = 0; k < def->ndims; k++)
        fprintf(f, ",%s", as_dim_names[def->dims[k]]);
    fputs(",value\n", f);
    size_t n1 = def->ndims > 0 ? r->dims[def->dims[0]].len : 1;
    size_t n2 = def->ndims > 1 ? r->dims[def->dims[1]].len : 1;
    for (int q = 0; q < r->replications; q++)
        for (int t = 0; t < r->years; t++) {
            const double *x = as_results_at(r, v, q, t);
            for (size_t i = 0; i < n1; i++)
                for (size_t j = 0; j < n2; j++) {
                    fprintf(f, "%d,%d", q, r->start_year + t);
                    if (def->ndims > 0) {
                        fputc(',', f);
                        as_outfile_csv_text(f, category(r, v, 0, i));
                    }
                    if (def->ndims > 1) {
                        fputc(',', f);
                        as_outfile_csv_text(f, category(r, v, 1, j));
                    }
                    fputc(',', f);
                    as_outfile_csv_number(f, x[i * n2 + j]);
                    fputc('\n', f);
                }
        }
}

static void write_openings(FILE *f, const as_results *r)
{
    size_t n = r->dims[AS_D_OCCUPATION].len;
    fputs("year,occupation,occupation_title,openings,other_supply,median_wage\n", f);
    for (int t = 0; t < r->years; t++)
        for (size_t o = 0; o < n; o++) {
            fprintf(f, "%d,", r->start_year + t);
            as_outfile_csv_text(f, r->dims[AS_D_OCCUPATION].labels[o]);
            fputc(',', f);
            as_outfile_csv_text(f, r->occupation_title ? r->occupation_title[o] : "");
            const double values[3] = {r->openings[(size_t)t * n + o], r->other_supply[(size_t)t * n + o],
                                      r->occupation_wage[o]};
            for (int k = 0; k < 3; k++) {
                fputc(',', f);
                as_outfile_csv_number(f, values[k]);
            }
            fputc('\n', f);
        }
}

static void write_credentials(FILE *f, const as_results *r)
{
    fputs("credential,level,code\n", f);
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++) {
        as_outfile_csv_text(f, r->dims[AS_D_CREDENTIAL].labels[k]);
        fprintf(f, ",%s,", as_level_names[r->credential_level[k]]);
        as_outfile_csv_text(f, r->credential_code ? r->credential_code[k] : "");
        fputc('\n', f);
    }
}

/* One variable's summary rows; stats holds 4 x its size doubles. */
static void write_summary_of(FILE *f, const as_results *r, int v, double *stats)
{
    const as_var_def *def = &as_var_defs[v];
    size_t size = as_results_var_size(r, v);
    size_t n2 = def->ndims > 1 ? r->dims[def->dims[1]].len : 1;
    for (int t = 0; t < r->years; t++) {
        as_results_summary(r, v, t, stats, stats + size, stats + 2 * size, stats + 3 * size);
        for (size_t c = 0; c < size; c++) {
            fprintf(f, "%s,%d", def->name, r->start_year + t);
            for (int k = 0; k < 2; k++) {
                if (k < def->ndims) {
                    fprintf(f, ",%s,", as_dim_names[def->dims[k]]);
                    as_outfile_csv_text(f, category(r, v, k, k == 0 ? c / n2 : c % n2));
                } else {
                    fputs(",,", f);
                }
            }
            for (int s = 0; s < 4; s++) {
                fputc(',', f);
                as_outfile_csv_number(f, stats[(size_t)s * size + c]);
            }
            fputc('\n', f);
        }
    }
}

static int write_summary(FILE *f, const as_results *r, as_error *err)
{
    size_t most = 1;
    for (int v = 0; v < AS_V_COUNT; v++)
        if (as_results_var_size(r, v) > most)
            most = as_results_var_size(r, v);
    double *stats = as_malloc(4 * most * sizeof *stats);
    if (!stats)
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory summarizing results");
    fputs("variable,year,dimension_1,category_1,dimension_2,category_2,mean,sd,ci_low,ci_high\n", f);
    for (int v = 0; v < AS_V_COUNT; v++)
        write_summary_of(f, r, v, stats);
    free(stats);
    return AS_OK;
}

typedef struct table {
    char name[128];
    int var;        /* variable, or one of the extra tables below */
} table;

enum { T_OPENINGS = -1, T_CREDENTIALS = -2, T_SUMMARY = -3 };

static int write_table(const as_results *r, const char *dir, const table *tb, as_error *err)
{
    as_outfile o;
    if (open_in(&o, dir, tb->name, err) != AS_OK)
        return err->code;
    int rc = AS_OK;
    if (tb->var >= 0)
        write_observations(o.f, r, tb->var);
    else if (tb->var == T_OPENINGS)
        write_openings(o.f, r);
    else if (tb->var == T_CREDENTIALS)
        write_credentials(o.f, r);
    else
        rc = write_summary(o.f, r, err);
    if (rc != AS_OK) {
        as_outfile_abort(&o);
        return rc;
    }
    return as_outfile_commit(&o, err);
}

static const table extra[] = {{"openings.csv", T_OPENINGS}, {"credential_levels.csv", T_CREDENTIALS},
                              {"summary.csv", T_SUMMARY}};

/* Table i of the export (the variables, then the extra tables) into tb; 0 past the last. */
static int table_at(size_t i, table *tb)
{
    if (i < AS_V_COUNT) {
        tb->var = (int)i;
        snprintf(tb->name, sizeof tb->name, "%s.csv", as_var_defs[i].name);
        return 1;
    }
    if (i - AS_V_COUNT >= sizeof extra / sizeof extra[0])
        return 0;
    *tb = extra[i - AS_V_COUNT];
    return 1;
}

/* Removes the tables written into folder tmp, then the folder. */
static void remove_tables(const char *tmp)
{
    table tb;
    char path[4400];
    for (size_t i = 0; table_at(i, &tb); i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, tb.name);
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
    /* a signal from here on removes the folder and its tables (io/tmpfile.h) */
    table all[AS_V_COUNT + sizeof extra / sizeof extra[0]];
    const char *names[sizeof all / sizeof all[0]];
    size_t n = 0;
    while (table_at(n, &all[n])) {
        names[n] = all[n].name;
        n++;
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
    sigset_t block, before;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &before);
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
    sigprocmask(SIG_SETMASK, &before, NULL);
    return err->code;
}
