/*
 * h5sweep.c - a sweep's results file (io/h5sweep.h), with HDF5's high-level
 * interface (H5LT) and dimension scales (H5DS).
 */
#include "h5sweep.h"
#include "h5read.h"
#include "h5results.h"
#include "alloc.h"
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

static const char *const text_attrs[] = {"sweep_name", "sweep_path", "sweep_json", "scenario_json", "design", "slice",
                                         "start_time", "end_time", "command_line"};
static const char *const number_attrs[] = {"design_n", "design_levels", "design_trajectories", "design_seed", "seed"};

static char **text_slot(as_sweep_data *d, size_t i)
{
    char **slots[] = {&d->sweep_name, &d->sweep_path, &d->sweep_json, &d->scenario_json, &d->design, &d->slice,
                      &d->start_time, &d->end_time, &d->command_line};
    return slots[i];
}

static double *number_slot(as_sweep_data *d, size_t i)
{
    double *slots[] = {&d->design_n, &d->design_levels, &d->design_trajectories, &d->design_seed, &d->seed};
    return slots[i];
}

static hid_t scale(hid_t file, const char *name, size_t n)
{
    int *v = as_malloc((n + 1) * sizeof *v);
    hsize_t dim = n;
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = (int)i;
    herr_t rc = H5LTmake_dataset_int(file, name, 1, &dim, v);
    free(v);
    hid_t ds = rc < 0 ? -1 : H5Dopen2(file, name, H5P_DEFAULT);
    if (ds >= 0)
        H5DSset_scale(ds, name);
    return ds;
}

static int doubles(hid_t file, const char *name, int rank, const hsize_t *dims, const hid_t *scales, const double *v,
                   const char *meaning)
{
    if (H5LTmake_dataset_double(file, name, rank, dims, v) < 0)
        return -1;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    int rc = ds < 0 ? -1 : 0;
    for (int i = 0; rc == 0 && i < rank; i++)
        rc = H5DSattach_scale(ds, scales[i], (unsigned)i) < 0 ? -1 : 0;
    if (ds >= 0)
        H5Dclose(ds);
    return rc < 0 || H5LTset_attribute_string(file, name, "long_name", meaning) < 0 ? -1 : 0;
}

static int strings(hid_t file, const char *name, hid_t dim_scale, char *const *v, size_t n)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hsize_t dim = n;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    hid_t ds = H5Dcreate2(file, name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = ds < 0 || H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 || H5DSattach_scale(ds, dim_scale, 0) < 0;
    if (ds >= 0)
        H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(t);
    return rc ? -1 : 0;
}

static int write_contents(hid_t f, const as_sweep_data *d)
{
    as_sweep_data *m = (as_sweep_data *)d; /* the slot helpers only read through it here */
    int bad = H5LTset_attribute_string(f, ".", "title", "alignsim sweep") < 0 ||
              H5LTset_attribute_string(f, ".", "alignsim_version", AS_VERSION) < 0 ||
              H5LTset_attribute_string(f, ".", "git_commit", AS_GIT_COMMIT) < 0;
    for (size_t i = 0; i < sizeof text_attrs / sizeof text_attrs[0]; i++)
        bad |= H5LTset_attribute_string(f, ".", text_attrs[i], *text_slot(m, i) ? *text_slot(m, i) : "") < 0;
    for (size_t i = 0; i < sizeof number_attrs / sizeof number_attrs[0]; i++)
        bad |= H5LTset_attribute_double(f, ".", number_attrs[i], number_slot(m, i), 1) < 0;
    double reps = d->replications;
    bad |= H5LTset_attribute_double(f, ".", "replications", &reps, 1) < 0;
    hid_t sp = scale(f, "point", d->n_points), sr = scale(f, "replication", (size_t)d->replications);
    hid_t sa = scale(f, "parameter", d->n_params), so = scale(f, "output", d->n_outputs);
    bad |= sp < 0 || sr < 0 || sa < 0 || so < 0;
    if (!bad) {
        hsize_t pa[2] = {d->n_points, d->n_params}, pro[3] = {d->n_points, (hsize_t)d->replications, d->n_outputs};
        hsize_t po[2] = {d->n_points, d->n_outputs};
        hid_t s_pa[2] = {sp, sa}, s_pro[3] = {sp, sr, so}, s_po[2] = {sp, so};
        double *mean = as_calloc(d->n_points * d->n_outputs + 1, sizeof *mean);
        for (size_t p = 0; mean && p < d->n_points; p++)
            for (size_t o = 0; o < d->n_outputs; o++) {
                for (int q = 0; q < d->replications; q++)
                    mean[p * d->n_outputs + o] += d->outputs[(p * (size_t)d->replications + (size_t)q) * d->n_outputs + o];
                mean[p * d->n_outputs + o] /= d->replications;
            }
        bad |= !mean || strings(f, "parameter_label", sa, d->param_names, d->n_params) ||
               strings(f, "output_label", so, d->output_names, d->n_outputs) ||
               doubles(f, "design_unit", 2, pa, s_pa, d->unit, "the design in the unit cube") ||
               doubles(f, "parameter_value", 2, pa, s_pa, d->value,
                       "value given to the scenario (a factor for scale parameters)") ||
               doubles(f, "output_value", 3, pro, s_pro, d->outputs, "recorded output, NaN where the point did not run") ||
               doubles(f, "output_mean", 2, po, s_po, mean ? mean : d->outputs, "output_value's mean over replications") ||
               doubles(f, "point_done", 1, pa, s_pa, d->done, "1 where the point ran") ||
               doubles(f, "point_seconds", 1, pa, s_pa, d->point_seconds, "wall seconds of the point") ||
               doubles(f, "simulate_seconds", 1, pa, s_pa, d->simulate_seconds,
                       "wall seconds of the point in the engine (the rest: scenario, labor market, outputs)");
        free(mean);
    }
    hid_t ids[4] = {sp, sr, sa, so};
    for (int i = 0; i < 4; i++)
        if (ids[i] >= 0)
            H5Dclose(ids[i]);
    return bad ? -1 : 0;
}

int as_h5sweep_write(const char *path, const as_sweep_data *d, as_error *err)
{
    char tmp[4096 + 32];
    as_tmp_name(path, tmp, sizeof tmp);
    as_tmp_hold(tmp);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return as_h5_create_failed(path, tmp, "sweep file", err);
    errno = 0;
    int bad = write_contents(f, d);
    const char *os = as_h5_os_words(errno); /* a full disk's errno, left by HDF5's POSIX driver */
    if (H5Fclose(f) < 0) {
        if (!bad)
            os = as_h5_os_words(errno);
        bad = 1;
        as_h5_close_failed();
    }
    if (bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        as_tmp_release();
        return as_error_set(err, AS_EIO, path, "cannot write the sweep file%s", bad ? os : as_h5_os_words(e));
    }
    as_tmp_release();
    return AS_OK;
}

/* The length of the rank-1 dimension-scale dataset name; 0 when it is missing; -1 when it is not rank 1. */
static long long length(hid_t f, const char *name)
{
    if (!as_h5r_is_dataset(f, name))
        return H5Lexists(f, name, H5P_DEFAULT) > 0 ? -1 : 0;
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    hid_t space = ds >= 0 ? H5Dget_space(ds) : -1;
    hsize_t n = 0;
    long long len = space >= 0 && H5Sget_simple_extent_ndims(space) == 1 &&
                            H5Sget_simple_extent_dims(space, &n, NULL) == 1 ? (long long)n : -1;
    if (space >= 0)
        H5Sclose(space);
    if (ds >= 0)
        H5Dclose(ds);
    return len;
}

/* Reads the sweep file's parts after its sizes are known and checked; returns 0, or -1 with words in err. */
static int read_contents(hid_t f, const char *path, as_sweep_data *d, as_error *err)
{
    size_t P = d->n_points, K = d->n_params, O = d->n_outputs, R = (size_t)d->replications;
    size_t n_labels;
    if (as_h5r_labels(f, "parameter_label", K, &n_labels, &d->param_names) != 0 || n_labels != K) {
        as_h5r_labels_free(d->param_names, n_labels);
        d->param_names = NULL;
        return as_error_set(err, AS_EINPUT, path, "dataset \"parameter_label\": expected a list of %zu strings, one "
                            "per parameter (a damaged or foreign file)", K), -1;
    }
    if (as_h5r_labels(f, "output_label", O, &n_labels, &d->output_names) != 0 || n_labels != O) {
        as_h5r_labels_free(d->output_names, n_labels);
        d->output_names = NULL;
        return as_error_set(err, AS_EINPUT, path, "dataset \"output_label\": expected a list of %zu strings, one "
                            "per output (a damaged or foreign file)", O), -1;
    }
    d->unit = as_malloc((P * K + 1) * sizeof(double));
    d->value = as_malloc((P * K + 1) * sizeof(double));
    d->outputs = as_malloc((P * R * O + 1) * sizeof(double));
    d->done = as_malloc((P + 1) * sizeof(double));
    d->point_seconds = as_malloc((P + 1) * sizeof(double));
    d->simulate_seconds = as_malloc((P + 1) * sizeof(double));
    if (!d->unit || !d->value || !d->outputs || !d->done || !d->point_seconds || !d->simulate_seconds)
        return as_error_set(err, AS_ENOMEM, path, "out of memory reading the sweep file"), -1;
    const hsize_t pk[2] = {P, K}, pro[3] = {P, R, O}, p1[1] = {P};
    const struct { const char *name, *shape; int rank; const hsize_t *dims; double *into; int optional; } parts[] = {
        {"design_unit", "point x parameter", 2, pk, d->unit, 0},
        {"parameter_value", "point x parameter", 2, pk, d->value, 0},
        {"output_value", "point x replication x output", 3, pro, d->outputs, 0},
        {"point_done", "point", 1, p1, d->done, 0},
        /* the timings are provenance: a file without them (alignsim before they were written) still reads */
        {"point_seconds", "point", 1, p1, d->point_seconds, 1},
        {"simulate_seconds", "point", 1, p1, d->simulate_seconds, 1}};
    for (size_t p = 0; p < P; p++)
        d->point_seconds[p] = d->simulate_seconds[p] = NAN;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i].optional && H5Lexists(f, parts[i].name, H5P_DEFAULT) <= 0)
            continue;
        if (as_h5r_doubles(f, parts[i].name, parts[i].dims, parts[i].rank, parts[i].into) != 0)
            return as_error_set(err, AS_EINPUT, path, "dataset \"%s\" is missing or has the wrong rank, shape or "
                                "type (expected numbers, %s: a damaged or foreign file)", parts[i].name,
                                    parts[i].shape), -1;
    }
    for (size_t p = 0; p < P; p++)
        if (d->done[p] != 0 && d->done[p] != 1)
            return as_error_set(err, AS_EINPUT, path, "dataset \"point_done\": point %zu is %g (expected 1 or 0: a "
                                "damaged or foreign file)", p, d->done[p]), -1;
    return 0;
}

int as_h5sweep_read(const char *path, as_sweep_data *d, as_error *err)
{
    memset(d, 0, sizeof *d);
    hid_t f = as_h5r_open(path, "an alignsim sweep file", err);
    if (f < 0)
        return err->code;
    char *title = as_h5r_attr_string(f, "title");
    double reps = NAN;
    int known = title && !strcmp(title, "alignsim sweep") && as_h5r_attr_number(f, "replications", &reps) != 0;
    free(title);
    if (!known) {
        H5Fclose(f);
        return as_error_set(err, AS_EINPUT, path, "not an alignsim sweep file (expected one written by alignsim sweep)");
    }
    long long P = length(f, "point"), K = length(f, "parameter"), O = length(f, "output");
    size_t cells;
    if (!as_h5r_whole(reps, 1, 1e6) || P < 0 || K < 0 || O < 0 || P > 100000000 || K > 100000 || O > 100000 ||
        __builtin_mul_overflow((size_t)P * (size_t)reps, (size_t)O, &cells) || cells > (size_t)1 << 32) {
        H5Fclose(f);
        return as_error_set(err, AS_EINPUT, path, "damaged sizes: replications %g, %lld points, %lld parameters, %lld "
                            "outputs (expected whole numbers in range, and point, parameter and output lists of rank 1)",
                            reps, P, K, O);
    }
    d->replications = (int)reps;
    d->n_points = (size_t)P;
    d->n_params = (size_t)K;
    d->n_outputs = (size_t)O;
    for (size_t i = 0; i < sizeof text_attrs / sizeof text_attrs[0]; i++) /* missing or not text: "" */
        if (!(*text_slot(d, i) = as_h5r_attr_string(f, text_attrs[i])))
            *text_slot(d, i) = as_strdup("");
    for (size_t i = 0; i < sizeof number_attrs / sizeof number_attrs[0]; i++) /* missing or not one number: NaN */
        if (as_h5r_attr_number(f, number_attrs[i], number_slot(d, i)) <= 0)
            *number_slot(d, i) = NAN;
    int bad = read_contents(f, path, d, err);
    H5Fclose(f);
    if (bad) {
        as_sweep_data_free(d);
        return err->code;
    }
    return AS_OK;
}

void as_sweep_data_free(as_sweep_data *d)
{
    for (size_t i = 0; d->param_names && i < d->n_params; i++)
        free(d->param_names[i]);
    for (size_t i = 0; d->output_names && i < d->n_outputs; i++)
        free(d->output_names[i]);
    free(d->param_names);
    free(d->output_names);
    for (size_t i = 0; i < sizeof text_attrs / sizeof text_attrs[0]; i++)
        free(*text_slot(d, i));
    free(d->unit);
    free(d->value);
    free(d->outputs);
    free(d->done);
    free(d->point_seconds);
    free(d->simulate_seconds);
    memset(d, 0, sizeof *d);
}
