/*
 * h5sweep.c - a sweep's results file (io/h5sweep.h), with HDF5's high-level
 * interface (H5LT) and dimension scales (H5DS).
 */
#include "h5sweep.h"
#include "alloc.h"
#include "tmpfile.h"

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
              H5LTset_attribute_string(f, ".", "alignsim_version", AS_VERSION) < 0;
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
    if (f < 0) {
        as_tmp_release();
        return as_error_set(err, AS_EINPUT, path, "cannot create the sweep file (is its folder there and writable?)");
    }
    int bad = write_contents(f, d);
    bad |= H5Fclose(f) < 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        as_tmp_release();
        return as_error_set(err, AS_EIO, path, "cannot write the sweep file");
    }
    as_tmp_release();
    return AS_OK;
}

static char **read_strings(hid_t f, const char *name, size_t n)
{
    char **v = as_calloc(n + 1, sizeof *v);
    hid_t ds = v ? H5Dopen2(f, name, H5P_DEFAULT) : -1;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8); /* as written: HDF5 converts no character sets */
    int ok = ds >= 0 && H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    if (ds >= 0)
        H5Dclose(ds);
    H5Tclose(t);
    if (!ok) {
        free(v);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) { /* HDF5's buffers, moved into ours */
        char *s = as_strdup(v[i] ? v[i] : "");
        H5free_memory(v[i]);
        v[i] = s;
    }
    return v;
}

static size_t length(hid_t f, const char *name)
{
    hsize_t dims[3] = {0};
    int rank;
    if (H5LTget_dataset_ndims(f, name, &rank) < 0 || rank != 1 || H5LTget_dataset_info(f, name, dims, NULL, NULL) < 0)
        return 0;
    return (size_t)dims[0];
}

static char *read_text_attr(hid_t f, const char *name)
{
    hsize_t dims;
    H5T_class_t cls;
    size_t size;
    if (H5LTget_attribute_info(f, ".", name, &dims, &cls, &size) < 0)
        return as_strdup("");
    char *s = as_calloc(size + 1, 1);
    if (s && H5LTget_attribute_string(f, ".", name, s) < 0)
        s[0] = '\0';
    return s;
}

int as_h5sweep_read(const char *path, as_sweep_data *d, as_error *err)
{
    memset(d, 0, sizeof *d);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0)
        return as_error_set(err, AS_EINPUT, path, "cannot open: no such readable file");
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) /* a FIFO would hang the reader */
        return as_error_set(err, AS_EINPUT, path, "not a regular file (expected an alignsim sweep file)");
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return as_error_set(err, AS_EINPUT, path, "not an HDF5 file (expected an alignsim sweep file)");
    char title[64] = "";
    double reps = 0;
    if (H5Aexists(f, "title") <= 0 || H5LTget_attribute_string(f, ".", "title", title) < 0 ||
        strcmp(title, "alignsim sweep") || H5LTget_attribute_double(f, ".", "replications", &reps) < 0) {
        H5Fclose(f);
        return as_error_set(err, AS_EINPUT, path, "not an alignsim sweep file (expected one written by alignsim sweep)");
    }
    d->replications = (int)reps;
    d->n_points = length(f, "point");
    d->n_params = length(f, "parameter");
    d->n_outputs = length(f, "output");
    for (size_t i = 0; i < sizeof text_attrs / sizeof text_attrs[0]; i++)
        *text_slot(d, i) = read_text_attr(f, text_attrs[i]);
    for (size_t i = 0; i < sizeof number_attrs / sizeof number_attrs[0]; i++)
        H5LTget_attribute_double(f, ".", number_attrs[i], number_slot(d, i));
    size_t pa = d->n_points * d->n_params, pro = d->n_points * (size_t)d->replications * d->n_outputs;
    d->unit = as_malloc((pa + 1) * sizeof(double));
    d->value = as_malloc((pa + 1) * sizeof(double));
    d->outputs = as_malloc((pro + 1) * sizeof(double));
    d->done = as_malloc((d->n_points + 1) * sizeof(double));
    d->point_seconds = as_malloc((d->n_points + 1) * sizeof(double));
    d->simulate_seconds = as_malloc((d->n_points + 1) * sizeof(double));
    d->param_names = read_strings(f, "parameter_label", d->n_params);
    d->output_names = read_strings(f, "output_label", d->n_outputs);
    int bad = !d->unit || !d->value || !d->outputs || !d->done || !d->param_names || !d->output_names ||
              H5LTread_dataset_double(f, "design_unit", d->unit) < 0 ||
              H5LTread_dataset_double(f, "parameter_value", d->value) < 0 ||
              H5LTread_dataset_double(f, "output_value", d->outputs) < 0 ||
              H5LTread_dataset_double(f, "point_done", d->done) < 0 || !d->point_seconds || !d->simulate_seconds;
    /* the timings are provenance: a file without them (alignsim before they were written) still reads */
    for (size_t p = 0; !bad && p < d->n_points; p++)
        d->point_seconds[p] = d->simulate_seconds[p] = NAN;
    if (!bad && H5Lexists(f, "point_seconds", H5P_DEFAULT) > 0)
        bad = H5LTread_dataset_double(f, "point_seconds", d->point_seconds) < 0 ||
              H5LTread_dataset_double(f, "simulate_seconds", d->simulate_seconds) < 0;
    H5Fclose(f);
    if (bad) {
        as_sweep_data_free(d);
        return as_error_set(err, AS_EINPUT, path, "a dataset of the sweep file is missing or damaged");
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
