/*
 * h5results.c - writing and reading results files with HDF5 and dimension
 * scales (HDF5's Dimension Scales specification, attached by io/h5write.h),
 * which is what makes named dimensions visible to netCDF-4, xarray (h5netcdf)
 * and R.
 */
#include "h5results.h"
#include "h5read.h"
#include "h5write.h"
#include "labor.h"
#include "alloc.h"
#include "outpath.h"
#include "tmpfile.h"

#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h"

#define MAX_RANK 4

typedef struct writer {
    hid_t file;
    hid_t scale[AS_D_COUNT];
    hid_t replication_scale, year_scale;
    as_h5w_attacher dims; /* the scales' attachments (io/h5write.h) */
    as_h5w_packer packer; /* the compressed variables' buffers (io/h5write.h) */
    as_error *err;
    const char *path;
    int failed;
} writer;

static int hdf5_broken; /* a file HDF5 could not close: its exit handler would crash on it (as_h5_finish) */

void as_h5_start(void)
{
    H5dont_atexit();
}

void as_h5_finish(void)
{
    if (!hdf5_broken)
        H5close();
}

void as_h5_close_failed(void)
{
    hdf5_broken = 1;
}

const char *as_h5_os_words(int e)
{
    static char words[256];
    if (e != ENOSPC && e != EDQUOT && e != EFBIG && e != EIO && e != EROFS)
        return "";
    snprintf(words, sizeof words, ": %s", strerror(e));
    return words;
}

int as_h5_create_failed(const char *path, const char *tmp, const char *what, as_error *err)
{
    int e = errno;
    unlink(tmp); /* H5Fcreate may have made it before failing (a full disk) */
    as_tmp_release();
    /* a folder that is missing or not writable is the user's input to correct */
    char dir[4096];
    as_path_folder(path, dir, sizeof dir);
    if (access(dir, W_OK) != 0)
        return as_error_set(err, AS_EINPUT, path, "cannot create the %s: folder \"%s\" %s", what, dir,
                            access(dir, F_OK) != 0 ? "does not exist" : "is not writable");
    return as_error_set(err, AS_EIO, path, "cannot create the %s%s", what, as_h5_os_words(e));
}

static int fail(writer *w, const char *what)
{
    const char *os = as_h5_os_words(errno); /* a full disk's errno, left by HDF5's POSIX driver */
    if (!w->failed && errno == ENOMEM)
        as_error_set(w->err, AS_ENOMEM, w->path, "out of memory: could not %s", what);
    else if (!w->failed)
        as_error_set(w->err, AS_EIO, w->path, "HDF5 could not %s%s", what, os);
    w->failed = 1;
    return -1;
}

static void attr_string(writer *w, hid_t obj, const char *name, const char *value)
{
    if (!w->failed && as_h5w_attr_text(obj, name, value) != 0)
        fail(w, "write a string attribute");
}

/* A number attribute of HDF5 type type: scalar when n is 0 (h5py then reads a number, not an
 * array), else a list of n (CF's flag_values). */
static void attr_values(writer *w, hid_t obj, const char *name, hid_t type, const void *values, size_t n)
{
    if (!w->failed && as_h5w_attr_numbers(obj, name, type, values, n) != 0)
        fail(w, "write a number attribute");
}

static void attr_double(writer *w, hid_t obj, const char *name, double value)
{
    attr_values(w, obj, name, H5T_NATIVE_DOUBLE, &value, 0);
}

static void attr_int(writer *w, hid_t obj, const char *name, int value) /* format_version: netCDF's int */
{
    attr_values(w, obj, name, H5T_NATIVE_INT, &value, 0);
}

/* A dimension (io/h5write.h): its category names (labels not NULL) or n integers (values:
 * replications, calendar years, grades), so readers select by name or by real value. */
static hid_t make_scale(writer *w, const char *name, size_t n, char *const *labels, const int *values,
                        const char *long_name)
{
    if (w->failed)
        return -1;
    hid_t ds = as_h5w_dimension(w->file, name, n, labels, values, long_name);
    if (ds < 0)
        fail(w, "write a dimension");
    return ds;
}

/* A string variable over one dimension (credential_code, occupation_title, ...). */
static void write_labels(writer *w, const char *name, const char *meaning, int dim, char *const *labels, size_t n)
{
    if (w->failed || n == 0)
        return;
    hsize_t dims[1] = {n};
    hid_t t = as_h5r_string_type();
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t ds = H5Dcreate2(w->file, name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ds < 0 || as_h5w_write_small(ds, t, n, labels) < 0 || as_h5w_attach(&w->dims, ds, 1, &w->scale[dim]) < 0)
        fail(w, "write labels");
    if (ds >= 0) {
        attr_string(w, ds, "long_name", meaning);
        H5Dclose(ds);
    }
    H5Sclose(space);
    H5Tclose(t);
}

/* The CF attributes of a kind of quantity (enum as_quantity).  Every units string is one UDUNITS-2
 * parses (tests/test_readers.py asks udunits2); money has none, since UDUNITS has no currency. */
typedef struct unit_attrs {
    const char *units, *currency;
    int dollar_year; /* 0: not known (a scenario's cost inputs are in whatever dollars it states) */
} unit_attrs;

static const unit_attrs unit_of[AS_QUANTITIES] = {
    [AS_Q_COUNT] = {"1", NULL, 0}, [AS_Q_HOURS] = {"h", NULL, 0}, [AS_Q_YEARS] = {"year", NULL, 0},
    [AS_Q_USD] = {NULL, "USD", 0}, [AS_Q_WAGE_USD] = {NULL, "USD", AS_LABOR_WAGE_YEAR}};
static const unit_attrs no_units = {NULL, NULL, 0}; /* codes and flags, which have flag_values instead */

/* A code or flag variable's values and their meanings (CF flag_values, flag_meanings). */
typedef struct flags {
    size_t n;
    const double *values;
    const char *meanings; /* one word per value, separated by spaces */
} flags;

/* Storage of a variable (docs/results-format.md, "Storage and provenance"):
 * under VAR_SMALL bytes contiguous, as compressing it saves next to nothing
 * and zlib's set-up of each compressed chunk (it clears its tables) costs
 * more than writing it; up to VAR_ONE_CHUNK bytes one compressed chunk;
 * larger, one chunk per replication (or year). */
#define VAR_SMALL ((hsize_t)4096)
#define VAR_ONE_CHUNK ((hsize_t)1 << 20)

/* Creates a double variable with the given dimension scales, and writes data with its long_name
 * and the attributes of its unit (and flags, when not NULL). */
static void write_var(writer *w, const char *name, int rank, const hsize_t *dims, const hid_t *scales,
                      const double *data, const unit_attrs *unit, const char *meaning, const flags *fl)
{
    if (w->failed)
        return;
    hsize_t bytes = sizeof(double);
    for (int i = 0; i < rank; i++) {
        if (dims[i] == 0)
            return; /* an empty category: nothing to write */
        bytes *= dims[i];
    }
    hid_t ds;
    if (bytes >= VAR_SMALL) {
        hsize_t rows = rank > 1 && bytes > VAR_ONE_CHUNK ? 1 : dims[0]; /* one replication (or year) a chunk */
        ds = as_h5w_packed(&w->packer, w->file, name, rank, dims, rows, 1, data);
    } else {
        hid_t space = H5Screate_simple(rank, dims, NULL);
        ds = H5Dcreate2(w->file, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (ds >= 0 && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
            H5Dclose(ds);
            ds = -1;
        }
        H5Sclose(space);
    }
    if (ds < 0) {
        fail(w, "write a variable");
    } else {
        if (as_h5w_attach(&w->dims, ds, rank, scales) < 0)
            fail(w, "attach a dimension");
        attr_string(w, ds, "long_name", meaning);
        if (unit->units)
            attr_string(w, ds, "units", unit->units);
        if (unit->currency)
            attr_string(w, ds, "currency", unit->currency);
        if (unit->dollar_year)
            attr_int(w, ds, "dollar_year", unit->dollar_year);
        if (fl) {
            attr_values(w, ds, "flag_values", H5T_NATIVE_DOUBLE, fl->values, fl->n);
            attr_string(w, ds, "flag_meanings", fl->meanings);
        }
    }
    if (ds >= 0)
        H5Dclose(ds);
}

static const char *const summary_suffix[4] = {"mean", "sd", "ci_low", "ci_high"};
static const char *const summary_words[4] = {
    "mean over replications", "standard deviation over replications",
    "lower end of the 95% confidence interval of the mean", "upper end of the 95% confidence interval of the mean"};

static void write_variables(writer *w, const as_results *res)
{
    for (int v = 0; v < AS_V_COUNT && !w->failed; v++) {
        const as_var_def *def = &as_var_defs[v];
        const unit_attrs *unit = &unit_of[def->quantity];
        size_t n = as_results_var_size(res, v);
        hsize_t dims[MAX_RANK] = {(hsize_t)res->replications, (hsize_t)res->years};
        hid_t scales[MAX_RANK] = {w->replication_scale, w->year_scale};
        for (int d = 0; d < def->ndims; d++) {
            dims[2 + d] = res->dims[def->dims[d]].len;
            scales[2 + d] = w->scale[def->dims[d]];
        }
        size_t total = (size_t)res->replications * (size_t)res->years * n;
        double *buf = as_malloc((total ? total : 1) * sizeof *buf);
        double *sum = as_malloc((4 * (size_t)res->years * n + 1) * sizeof *sum);
        if (!buf || !sum) {
            free(buf);
            free(sum);
            as_error_set(w->err, AS_ENOMEM, w->path, "out of memory writing %s", def->name);
            w->failed = 1;
            return;
        }
        for (int q = 0; q < res->replications; q++)
            for (int t = 0; t < res->years; t++)
                memcpy(buf + ((size_t)q * (size_t)res->years + (size_t)t) * n, as_results_at(res, v, q, t),
                       n * sizeof *buf);
        write_var(w, def->name, 2 + def->ndims, dims, scales, buf, unit, def->meaning, NULL);
        size_t block = (size_t)res->years * n;
        for (int t = 0; t < res->years; t++) {
            size_t at = (size_t)t * n;
            as_results_summary(res, v, t, sum + at, sum + block + at, sum + 2 * block + at, sum + 3 * block + at);
        }
        for (int s = 0; s < 4; s++) {
            char name[128], meaning[512];
            snprintf(name, sizeof name, "%s_%s", def->name, summary_suffix[s]);
            snprintf(meaning, sizeof meaning, "%s (%s)", def->meaning, summary_words[s]);
            write_var(w, name, 1 + def->ndims, dims + 1, scales + 1, sum + (size_t)s * block, unit, meaning, NULL);
        }
        free(buf);
        free(sum);
    }
}

/* The dimension scales: replication 0..R-1, year the calendar years, grade the grades, every other
 * dimension its category names.  An empty dimension is not written. */
static void write_dimensions(writer *w, const as_results *res)
{
    size_t most = (size_t)(res->replications > res->years ? res->replications : res->years);
    if (most < res->dims[AS_D_GRADE].len)
        most = res->dims[AS_D_GRADE].len;
    int *values = as_malloc((most ? most : 1) * sizeof *values);
    if (!values) {
        as_error_set(w->err, AS_ENOMEM, w->path, "out of memory writing the dimensions");
        w->failed = 1;
        return;
    }
    for (int q = 0; q < res->replications; q++)
        values[q] = q;
    w->replication_scale = make_scale(w, "replication", (size_t)res->replications, NULL, values,
                                      "stochastic replication (0 .. replications-1)");
    for (int t = 0; t < res->years; t++)
        values[t] = res->start_year + t;
    w->year_scale = make_scale(w, "year", (size_t)res->years, NULL, values,
                               "simulated school year, as a calendar year (start_year + t)");
    for (int d = 0; d < AS_D_COUNT; d++) {
        const as_dim *dim = &res->dims[d];
        if (dim->len == 0)
            continue;
        if (d == AS_D_GRADE) { /* the model's labels "9" .. "12", as the numbers they are */
            for (size_t i = 0; i < dim->len; i++)
                values[i] = atoi(dim->labels[i]);
            w->scale[d] = make_scale(w, as_dim_names[d], dim->len, NULL, values, as_dim_meanings[d]);
            continue;
        }
        w->scale[d] = make_scale(w, as_dim_names[d], dim->len, dim->labels, NULL, as_dim_meanings[d]);
    }
    free(values);
}

static void write_file(writer *w, const as_results *res, const as_provenance *prov)
{
    hid_t root = w->file;
    char text[4096];
    attr_string(w, root, "title", "alignsim results");
    attr_string(w, root, "Conventions", "CF-1.8");
    attr_string(w, root, "source", "alignsim " AS_VERSION " (commit " AS_GIT_COMMIT ")");
    /* CF's history: the time the run ended, and its command */
    as_h5w_history(prov ? prov->end_time : NULL, prov ? prov->command_line : NULL, text, sizeof text);
    attr_string(w, root, "history", text);
    attr_string(w, root, "comment",
                "Counts have units \"1\" (what is counted is in long_name). Money has no units attribute, "
                "since UDUNITS has no currency: such variables have currency = \"USD\", and dollar_year where "
                "the dollars are the demand table's wages. Layout: docs/results-format.md.");
    attr_string(w, root, "alignsim_version", AS_VERSION);
    attr_string(w, root, "git_commit", AS_GIT_COMMIT);
    attr_int(w, root, "format_version", AS_RESULTS_FORMAT);
    attr_string(w, root, "data_files", prov && prov->data_files ? prov->data_files : "");
    attr_string(w, root, "scenario_name", prov && prov->scenario_name ? prov->scenario_name : "");
    attr_string(w, root, "scenario_path", prov && prov->scenario_path ? prov->scenario_path : "");
    attr_string(w, root, "scenario_json", prov && prov->scenario_json ? prov->scenario_json : "");
    attr_string(w, root, "start_time", prov && prov->start_time ? prov->start_time : "");
    attr_string(w, root, "end_time", prov && prov->end_time ? prov->end_time : "");
    attr_string(w, root, "command_line", prov && prov->command_line ? prov->command_line : "");
    attr_double(w, root, "seed", (double)res->seed);
    attr_double(w, root, "replications", res->replications);
    attr_double(w, root, "threads", res->threads);
    attr_double(w, root, "start_year", res->start_year);
    attr_double(w, root, "simulate_seconds", res->simulate_seconds);
    attr_double(w, root, "person_periods", res->person_periods);

    write_dimensions(w, res);
    size_t n_cred = res->dims[AS_D_CREDENTIAL].len, n_occ = res->dims[AS_D_OCCUPATION].len;
    char **levels = as_malloc((n_cred ? n_cred : 1) * sizeof *levels);
    if (levels) {
        for (size_t i = 0; i < n_cred; i++)
            levels[i] = (char *)as_level_names[res->credential_level[i]];
        write_labels(w, "credential_level", "level of each credential", AS_D_CREDENTIAL, levels, n_cred);
        free(levels);
    }
    write_labels(w, "credential_code", "CIP 2020 code (SOC for apprenticeships) of each credential", AS_D_CREDENTIAL,
                 res->credential_code, n_cred);
    write_labels(w, "credential_field", "career cluster of each credential (empty: none)", AS_D_CREDENTIAL,
                 res->credential_field, n_cred);
    write_labels(w, "occupation_title", "BLS title of each occupation", AS_D_OCCUPATION, res->occupation_title, n_occ);
    hsize_t odims[2] = {(hsize_t)res->years, n_occ};
    hid_t oscales[2] = {w->year_scale, w->scale[AS_D_OCCUPATION]};
    const unit_attrs *count = &unit_of[AS_Q_COUNT];
    write_var(w, "occupation_median_wage", 1, odims + 1, oscales + 1, res->occupation_wage, &unit_of[AS_Q_WAGE_USD],
              "BLS median annual wage, US dollars per year (NaN where not published)", NULL);
    write_var(w, "openings", 2, odims, oscales, res->openings, count,
              "Regional openings in the year (jobs): growth + labor-force exits + occupational transfers", NULL);
    write_var(w, "other_supply", 2, odims, oscales, res->other_supply, count,
              "Supply in the year (workers) from other institutions and in-migration (a scenario input, or an "
              "assumption where other_supply_assumed is 1)", NULL);
    hsize_t sdims[3] = {(hsize_t)res->years, n_occ, AS_OTH_COUNT};
    hid_t sscales[3] = {w->year_scale, w->scale[AS_D_OCCUPATION], w->scale[AS_D_OTHER_SOURCE]};
    write_var(w, "other_supply_by_source", 3, sdims, sscales, res->other_supply_by_source, count,
              "Other supply (workers) split by where it comes from: scenario_input (labor_market.other_supply), "
              "completions (the completions table through the crosswalk and the entry rules), in_migration, "
              "share_of_openings (labor_market.other_supply_share x openings, an ASSUMPTION); the sources sum to "
              "other_supply", NULL);
    static const double flag[2] = {0, 1}, education[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8}, experience[4] = {0, 1, 2, 4};
    write_var(w, "other_supply_assumed", 1, odims + 1, oscales + 1, res->other_supply_assumed, &no_units,
              "1 where other_supply includes labor_market.other_supply_share x openings: an ASSUMPTION, illustrative "
              "and not calibrated, that every gap, ratio, band and the alignment index of the occupation depend on; "
              "0 where it is all scenario input and data (other_supply, completions, in_migration) or zero",
              &(flags){2, flag, "data_or_zero includes_assumed_share"});
    write_var(w, "occupation_entry_education", 1, odims + 1, oscales + 1, res->occupation_entry_education,
              &no_units,
              "BLS typical entry education: 1 doctoral or professional degree, 2 master's, 3 bachelor's, "
              "4 associate's, 5 postsecondary nondegree award, 6 some college no degree, 7 high-school diploma or "
              "equivalent, 8 no formal credential; 0 not in the table",
              &(flags){9, education, "not_in_table doctoral_or_professional_degree masters_degree bachelors_degree "
                                     "associates_degree postsecondary_nondegree_award some_college_no_degree "
                                     "high_school_diploma_or_equivalent no_formal_credential"});
    write_var(w, "occupation_work_experience", 1, odims + 1, oscales + 1, res->occupation_work_experience,
              &no_units,
              "BLS related work experience typically needed: 1 five years or more, 2 less than five years, 4 none; "
              "0 not in the table",
              &(flags){4, experience, "not_in_table five_years_or_more less_than_five_years none"});
    write_variables(w, res);
}

int as_h5_write(const char *path, const as_results *res, const as_provenance *prov, as_error *err)
{
    char tmp[4096 + 32];
    as_tmp_name(path, tmp, sizeof tmp);
    as_tmp_hold(tmp);
    writer w = {.err = err, .path = path};
    for (int d = 0; d < AS_D_COUNT; d++)
        w.scale[d] = -1;
    w.replication_scale = w.year_scale = -1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors come back as statuses, with our words */
    w.file = as_h5w_create(tmp);
    if (w.file < 0)
        return as_h5_create_failed(path, tmp, "results file", err);
    errno = 0;
    write_file(&w, res, prov);
    if (!w.failed && as_h5w_attach_finish(&w.dims) < 0)
        fail(&w, "attach a dimension");
    as_h5w_attach_free(&w.dims);
    as_h5w_packer_free(&w.packer);
    for (int d = 0; d < AS_D_COUNT; d++)
        if (w.scale[d] >= 0)
            H5Dclose(w.scale[d]);
    if (w.replication_scale >= 0)
        H5Dclose(w.replication_scale);
    if (w.year_scale >= 0)
        H5Dclose(w.year_scale);
    if (H5Fclose(w.file) < 0) {
        fail(&w, "close the file");
        as_h5_close_failed();
    }
    if (!w.failed && rename(tmp, path) != 0)
        fail(&w, "rename the finished file into place");
    if (w.failed)
        remove(tmp);
    as_tmp_release();
    return w.failed ? err->code : AS_OK;
}

/* ---- reading (through io/h5read.h: every shape checked before it is trusted) ------------------------- */

#define MAX_LABELS 100000000

/* The number in root attribute name, into *v: a missing one leaves *v; -1 when it is not one number. */
static int attr_number(hid_t file, const char *name, double *v)
{
    return as_h5r_attr_number(file, name, v) < 0 ? -1 : 0;
}

/* Reads dataset name of dims want[0..rank) into out; nothing to read (a zero dimension) is not an error. */
static int doubles(hid_t file, const char *name, double *out, int rank, const hsize_t *want)
{
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= want[i];
    return n == 0 ? 0 : as_h5r_doubles(file, name, want, rank, out);
}

/* The grade coordinate: whole numbers, as the labels the model gives them ("9" .. "12"). */
static int grades(hid_t file, as_dim *dim)
{
    double *v = NULL;
    size_t n = 0;
    if (as_h5r_numbers(file, as_dim_names[AS_D_GRADE], 100, &n, &v) != 0) /* grades are 0 .. 99 */
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (!as_h5r_whole(v[i], 0, 99))
            rc = -1;
    dim->labels = rc == 0 ? as_calloc(n ? n : 1, sizeof *dim->labels) : NULL;
    for (size_t i = 0; dim->labels && i < n; i++) {
        char text[8];
        snprintf(text, sizeof text, "%d", (int)v[i]);
        if (!(dim->labels[i] = as_strdup(text)))
            rc = -1;
    }
    dim->len = dim->labels ? n : 0;
    if (!dim->labels || rc != 0) {
        as_h5r_labels_free(dim->labels, n);
        dim->labels = NULL;
        dim->len = 0;
        rc = -1;
    }
    free(v);
    return rc;
}

/* Variable v did not read as want: when it has the expected rank but another length along a
 * dimension than that dimension's coordinate names, says so (the coordinate, or the variable, is
 * damaged) and returns the error; else 0, for the caller's general words. */
static int mismatch(hid_t file, const char *path, int v, const hsize_t *want, as_error *err)
{
    const as_var_def *def = &as_var_defs[v];
    hsize_t got[H5S_MAX_RANK];
    if (as_h5r_extent(file, def->name, got) != 2 + def->ndims || got[0] != want[0] || got[1] != want[1])
        return 0;
    for (int d = 0; d < def->ndims; d++)
        if (got[2 + d] != want[2 + d])
            return as_error_set(err, AS_EINPUT, path, "variable \"%s\" has %llu along %s, but the coordinate \"%s\" "
                                "names %llu (a damaged or foreign file)", def->name, (unsigned long long)got[2 + d],
                                as_dim_names[def->dims[d]], as_dim_names[def->dims[d]],
                                (unsigned long long)want[2 + d]);
    return 0;
}

int as_h5_read(const char *path, as_results *res, char **scenario_json, as_error *err)
{
    memset(res, 0, sizeof *res);
    if (scenario_json)
        *scenario_json = NULL;
    hid_t file = as_h5r_open(path, "an alignsim results file", err);
    if (file < 0)
        return err->code;
    double reps = NAN, start = NAN, seed = NAN, threads = 0, secs = 0, pp = 0;
    int rc = AS_OK;
    if (H5Aexists(file, "alignsim_version") <= 0 || as_h5r_attr_number(file, "replications", &reps) == 0 ||
        as_h5r_attr_number(file, "start_year", &start) == 0 || as_h5r_attr_number(file, "seed", &seed) == 0) {
        H5Fclose(file);
        return as_error_set(err, AS_EINPUT, path, "not an alignsim results file (no provenance attributes)");
    }
    double format = NAN;
    int has_format = as_h5r_attr_number(file, "format_version", &format);
    if (has_format == 0) { /* format 1 */
        char *scenario = as_h5r_attr_string(file, "scenario_path");
        H5Fclose(file);
        rc = as_error_set(err, AS_EINPUT, path, "written by an older alignsim (no format_version: dimensions numbered "
                          "0..n-1, the names in DIM_label variables); rerun it (alignsim run %s) with this alignsim",
                          scenario && *scenario ? scenario : "SCENARIO");
        free(scenario);
        return rc;
    }
    if (has_format < 0 || format != AS_RESULTS_FORMAT) {
        H5Fclose(file);
        return as_error_set(err, AS_EINPUT, path, "format_version %g, expected %d (%s)", format, AS_RESULTS_FORMAT,
                            format > AS_RESULTS_FORMAT ? "written by a newer alignsim: read it with that one"
                            : format >= 1 && format < AS_RESULTS_FORMAT ? "written by an older alignsim; rerun it"
                                                                         : "a damaged or foreign file");
    }
    /* a provenance attribute that is not one number reads as NaN, and fails the range check below */
    if (attr_number(file, "threads", &threads) || attr_number(file, "simulate_seconds", &secs) ||
        attr_number(file, "person_periods", &pp))
        threads = NAN;
    hsize_t year_len[H5S_MAX_RANK] = {0};
    if (!as_h5r_is_dataset(file, "year")) {
        H5Fclose(file);
        return as_error_set(err, AS_EINPUT, path, "no \"year\" dimension (expected an alignsim results file)");
    }
    if (as_h5r_extent(file, "year", year_len) != 1)
        year_len[0] = 0;
    size_t n_years = (size_t)year_len[0];
    /* the provenance attributes: whole numbers in range, or the file is not one of ours */
    if (!as_h5r_whole(reps, 1, 1e6) || !as_h5r_whole(start, 1000, 9999) || !as_h5r_whole(seed, 0, 4294967295.0) ||
        n_years == 0 || n_years > 1000 || !(threads >= 0 && threads <= 1e6) || !(secs >= 0) || !(pp >= 0)) {
        H5Fclose(file);
        return as_error_set(err, AS_EINPUT, path, "damaged provenance: replications %g, start_year %g, seed %g, threads %g, "
                            "%zu years (expected whole numbers in range, each one number, and at least one year)",
                            reps, start, seed, threads, n_years);
    }
    res->replications = (int)reps;
    res->years = (int)n_years;
    res->start_year = (int)start;
    res->seed = (uint32_t)seed;
    res->threads = (int)threads;
    res->simulate_seconds = secs;
    res->person_periods = pp;
    for (int d = 0; d < AS_D_COUNT && rc == AS_OK; d++) {
        const char *name = as_dim_names[d];
        if (d == AS_D_GRADE ? grades(file, &res->dims[d]) != 0
                            : as_h5r_labels(file, name, MAX_LABELS, &res->dims[d].len, &res->dims[d].labels) != 0)
            rc = as_error_set(err, AS_EINPUT, path, "dataset \"%s\": expected a list of %s, the dimension's coordinate "
                              "(a damaged or foreign file)", name, d == AS_D_GRADE ? "whole-number grades" : "names");
    }
    size_t n_cred = res->dims[AS_D_CREDENTIAL].len, n_occ = res->dims[AS_D_OCCUPATION].len, n = 0, n_levels = 0;
    char **levels = NULL;
    static const char *const per[][2] = {{"credential_level", "credential"}, {"credential_code", "credential"},
                                         {"credential_field", "credential"}, {"occupation_title", "occupation"}};
    char ***into[] = {&levels, &res->credential_code, &res->credential_field, &res->occupation_title};
    for (int i = 0; i < 4 && rc == AS_OK; i++) { /* one per credential or occupation, or the file is damaged */
        size_t want = i < 3 ? n_cred : n_occ;
        int bad = as_h5r_labels(file, per[i][0], MAX_LABELS, &n, into[i]) != 0;
        if (i == 0)
            n_levels = n;
        if ((bad || n != want) && i > 0) { /* as_results_free counts on one per credential or occupation */
            as_h5r_labels_free(*into[i], n);
            *into[i] = NULL;
        }
        if (bad || n != want)
            rc = as_error_set(err, AS_EINPUT, path, "dataset \"%s\": expected a list of %zu strings, one per %s (a "
                              "damaged or foreign file)", per[i][0], want, per[i][1]);
    }
    res->credential_level = as_calloc(n_cred + 1, sizeof(int));
    for (size_t i = 0; levels && i < n_levels; i++) {
        for (int l = 0; l < AS_LEVEL_COUNT; l++)
            if (res->credential_level && i < n_cred && strcmp(levels[i], as_level_names[l]) == 0)
                res->credential_level[i] = l;
    }
    as_h5r_labels_free(levels, n_levels);
    if (rc == AS_OK) {
        size_t off = 0;
        for (int v = 0; v < AS_V_COUNT; v++) {
            res->offset[v] = off;
            off += as_results_var_size(res, v);
        }
        res->slab = off;
        size_t cells;
        if (__builtin_mul_overflow((size_t)res->replications * n_years, res->slab, &cells) ||
            cells > (size_t)1 << 36 || n_occ > (size_t)1 << 24)
            rc = as_error_set(err, AS_EINPUT, path, "%d replications x %zu years x %zu values per year is more than "
                              "alignsim writes (a damaged or foreign file)", res->replications, n_years, res->slab);
        else {
            res->values = as_calloc(cells + 1, sizeof(double));
            res->occupation_wage = as_calloc(n_occ + 1, sizeof(double));
            res->openings = as_calloc(n_years * n_occ + 1, sizeof(double));
            res->other_supply = as_calloc(n_years * n_occ + 1, sizeof(double));
            res->other_supply_assumed = as_calloc(n_occ + 1, sizeof(double));
            res->other_supply_by_source = as_calloc(n_years * n_occ * AS_OTH_COUNT + 1, sizeof(double));
            res->occupation_entry_education = as_calloc(n_occ + 1, sizeof(double));
            res->occupation_work_experience = as_calloc(n_occ + 1, sizeof(double));
            if (!res->values || !res->occupation_wage || !res->openings || !res->other_supply || !res->credential_level ||
                !res->other_supply_assumed || !res->other_supply_by_source || !res->occupation_entry_education ||
                !res->occupation_work_experience)
                rc = as_error_set(err, AS_ENOMEM, path, "out of memory reading results");
        }
    }
    const hsize_t yo[3] = {n_years, n_occ, AS_OTH_COUNT}, o[1] = {n_occ};
    static const char *const per_occupation[] = {"occupation_median_wage", "other_supply_assumed",
                                                 "occupation_entry_education", "occupation_work_experience"};
    double *into_occ[] = {res->occupation_wage, res->other_supply_assumed, res->occupation_entry_education,
                          res->occupation_work_experience};
    for (int i = 0; i < 4 && rc == AS_OK; i++)
        if (doubles(file, per_occupation[i], into_occ[i], 1, o) != 0)
            rc = as_error_set(err, AS_EINPUT, path, "dataset \"%s\": expected %zu numbers, one per occupation (a damaged "
                              "or foreign file)", per_occupation[i], n_occ);
    if (rc == AS_OK && (doubles(file, "openings", res->openings, 2, yo) != 0 ||
                        doubles(file, "other_supply", res->other_supply, 2, yo) != 0 ||
                        doubles(file, "other_supply_by_source", res->other_supply_by_source, 3, yo) != 0))
        rc = as_error_set(err, AS_EINPUT, path, "cannot read openings and other supply (expected year x occupation "
                          "numbers, and year x occupation x other_source: a damaged or foreign file)");
    for (int v = 0; v < AS_V_COUNT && rc == AS_OK; v++) {
        size_t size = as_results_var_size(res, v), total = (size_t)res->replications * n_years * size;
        if (total == 0) { /* a dimension without categories, so the writer left the variable out */
            int empty = as_var_defs[v].dims[res->dims[as_var_defs[v].dims[0]].len == 0 ? 0 : 1];
            if (as_h5r_is_dataset(file, as_var_defs[v].name))
                rc = as_error_set(err, AS_EINPUT, path, "variable \"%s\" is there but a dimension it needs is not (no "
                                  "coordinate \"%s\": a damaged or foreign file)", as_var_defs[v].name,
                                  as_dim_names[empty]);
            continue;
        }
        double *buf = as_malloc(total * sizeof *buf);
        if (!buf) {
            rc = as_error_set(err, AS_ENOMEM, path, "out of memory");
            break;
        }
        hsize_t want[4] = {(hsize_t)res->replications, n_years, 0, 0};
        for (int d = 0; d < as_var_defs[v].ndims; d++)
            want[2 + d] = res->dims[as_var_defs[v].dims[d]].len;
        if (as_h5r_doubles(file, as_var_defs[v].name, want, 2 + as_var_defs[v].ndims, buf) != 0) {
            if ((rc = mismatch(file, path, v, want, err)) == AS_OK)
                rc = as_error_set(err, AS_EINPUT, path, "variable \"%s\" is missing or has the wrong rank, shape or "
                                  "type (expected numbers, replication x year%s%s%s%s: a damaged or foreign file)",
                                  as_var_defs[v].name, as_var_defs[v].ndims > 0 ? " x " : "",
                                  as_var_defs[v].ndims > 0 ? as_dim_names[as_var_defs[v].dims[0]] : "",
                                  as_var_defs[v].ndims > 1 ? " x " : "",
                                  as_var_defs[v].ndims > 1 ? as_dim_names[as_var_defs[v].dims[1]] : "");
        } else {
            for (int q = 0; q < res->replications; q++)
                for (size_t t = 0; t < n_years; t++)
                    memcpy(as_results_at(res, v, q, (int)t), buf + ((size_t)q * n_years + t) * size,
                           size * sizeof *buf);
        }
        free(buf);
    }
    if (rc == AS_OK && scenario_json)
        *scenario_json = as_h5r_attr_string(file, "scenario_json");
    H5Fclose(file);
    if (rc != AS_OK)
        as_results_free(res);
    return rc;
}
