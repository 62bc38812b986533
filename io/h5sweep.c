/*
 * h5sweep.c - a sweep's results file (io/h5sweep.h), with HDF5's high-level
 * interface (H5LT) and dimension scales (io/h5write.h), written the netCDF-4 way
 * the results file is (io/h5write.h) and read through io/h5read.h.
 */
#include "h5sweep.h"
#include "h5read.h"
#include "h5results.h"
#include "h5write.h"
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

/* The dimensions, each a coordinate of the file (io/h5write.h). */
enum { DIM_POINT, DIM_REPLICATION, DIM_PARAMETER, DIM_OUTPUT, N_DIMS };
static const char *const dim_names[N_DIMS] = {"point", "replication", "parameter", "output"};

/* The numeric variables, in the order written.  units NULL: none, since the parameters and the
 * outputs are each of their own kind (a share, a count of students, a factor); flag: point_done's
 * CF flag_values 0, 1.  read: 1, the reader needs it; 0, provenance it reads when there (the
 * timings); -1, not read (output_mean: alignsim recomputes it from output_value). */
typedef struct variable {
    const char *name;
    int rank, dims[3];
    const char *long_name, *units;
    int flag, read;
} variable;

enum { V_DESIGN_UNIT, V_PARAMETER_VALUE, V_OUTPUT_VALUE, V_OUTPUT_MEAN, V_POINT_DONE, V_POINT_SECONDS,
       V_SIMULATE_SECONDS, N_VARIABLES };
static const variable variables[N_VARIABLES] = {
    [V_DESIGN_UNIT] = {"design_unit", 2, {DIM_POINT, DIM_PARAMETER}, "the design in the unit cube", "1", 0, 1},
    [V_PARAMETER_VALUE] = {"parameter_value", 2, {DIM_POINT, DIM_PARAMETER},
                           "value given to the scenario (a factor for scale parameters)", NULL, 0, 1},
    [V_OUTPUT_VALUE] = {"output_value", 3, {DIM_POINT, DIM_REPLICATION, DIM_OUTPUT},
                        "recorded output, NaN where the point did not run", NULL, 0, 1},
    [V_OUTPUT_MEAN] = {"output_mean", 2, {DIM_POINT, DIM_OUTPUT}, "output_value's mean over replications", NULL, 0,
                       -1},
    [V_POINT_DONE] = {"point_done", 1, {DIM_POINT}, "1 where the point ran", NULL, 1, 1},
    [V_POINT_SECONDS] = {"point_seconds", 1, {DIM_POINT}, "wall seconds of the point", "s", 0, 0},
    [V_SIMULATE_SECONDS] = {"simulate_seconds", 1, {DIM_POINT},
                            "wall seconds of the point in the engine (the rest: scenario, labor market, outputs)", "s",
                            0, 0}};

/* Writes variable v of d's values (output_mean: mean) over the dimension scales. */
static int write_variable(hid_t f, as_h5w_attacher *a, const variable *v, const hid_t *scales, const hsize_t *len,
                          const double *values)
{
    hsize_t dims[3];
    hid_t own[3];
    for (int i = 0; i < v->rank; i++) {
        dims[i] = len[v->dims[i]];
        own[i] = scales[v->dims[i]];
    }
    if (H5LTmake_dataset_double(f, v->name, v->rank, dims, values) < 0)
        return -1;
    hid_t ds = H5Dopen2(f, v->name, H5P_DEFAULT);
    static const double flag_values[2] = {0, 1};
    int bad = ds < 0 || as_h5w_attach(a, ds, v->rank, own) < 0;
    bad = bad || as_h5w_attr_text(ds, "long_name", v->long_name) != 0 ||
          (v->units && as_h5w_attr_text(ds, "units", v->units) != 0) ||
          (v->flag && (as_h5w_attr_numbers(ds, "flag_values", H5T_NATIVE_DOUBLE, flag_values, 2) != 0 ||
                       as_h5w_attr_text(ds, "flag_meanings", "not_run ran") != 0));
    int e = errno;
    if (ds >= 0)
        H5Dclose(ds);
    errno = e;
    return bad ? -1 : 0;
}

static int write_attributes(hid_t f, const as_sweep_data *d)
{
    as_sweep_data *m = (as_sweep_data *)d; /* the slot helpers only read through it here */
    char history[4096];
    as_h5w_history(d->end_time, d->command_line, history, sizeof history);
    const int format = AS_SWEEP_FORMAT;
    int bad = as_h5w_attr_text(f, "title", "alignsim sweep") || as_h5w_attr_text(f, "Conventions", "CF-1.8") ||
              as_h5w_attr_text(f, "source", "alignsim " AS_VERSION " (commit " AS_GIT_COMMIT ")") ||
              as_h5w_attr_text(f, "history", history) ||
              as_h5w_attr_text(f, "comment", "Each parameter and output is named by its path in the sweep file; "
                               "they are of different kinds, so parameter_value, output_value and output_mean have "
                               "no units. Layout: docs/sweeps.md.") ||
              as_h5w_attr_text(f, "alignsim_version", AS_VERSION) || as_h5w_attr_text(f, "git_commit", AS_GIT_COMMIT) ||
              as_h5w_attr_numbers(f, "format_version", H5T_NATIVE_INT, &format, 0);
    for (size_t i = 0; !bad && i < sizeof text_attrs / sizeof text_attrs[0]; i++)
        bad = as_h5w_attr_text(f, text_attrs[i], *text_slot(m, i));
    for (size_t i = 0; !bad && i < sizeof number_attrs / sizeof number_attrs[0]; i++)
        bad = as_h5w_attr_numbers(f, number_attrs[i], H5T_NATIVE_DOUBLE, number_slot(m, i), 0);
    double reps = d->replications;
    return bad || as_h5w_attr_numbers(f, "replications", H5T_NATIVE_DOUBLE, &reps, 0) ? -1 : 0;
}

/* The dimensions: point and replication their indices 0..n-1, parameter and output their names. */
static int write_dimensions(hid_t f, const as_sweep_data *d, const hsize_t *len, hid_t *scales)
{
    size_t most = d->n_points > (size_t)d->replications ? d->n_points : (size_t)d->replications;
    int *index = as_malloc((most + 1) * sizeof *index);
    if (!index)
        return -1;
    for (size_t i = 0; i < most; i++)
        index[i] = (int)i;
    char *const *names[N_DIMS] = {[DIM_PARAMETER] = d->param_names, [DIM_OUTPUT] = d->output_names};
    static const char *const long_names[N_DIMS] = {
        [DIM_POINT] = "design point (0 .. points-1)",
        [DIM_REPLICATION] = "stochastic replication of each point (0 .. replications-1)",
        [DIM_PARAMETER] = "swept parameter: its path in the scenario, as in the sweep file",
        [DIM_OUTPUT] = "recorded output: its metric path, as in the sweep file"};
    int bad = 0;
    for (int dim = 0; !bad && dim < N_DIMS; dim++) {
        int named = dim == DIM_PARAMETER || dim == DIM_OUTPUT;
        scales[dim] = as_h5w_dimension(f, dim_names[dim], len[dim], named ? names[dim] : NULL, named ? NULL : index,
                                       long_names[dim]);
        bad = scales[dim] < 0;
    }
    free(index);
    return bad ? -1 : 0;
}

static int write_contents(hid_t f, const as_sweep_data *d)
{
    const hsize_t len[N_DIMS] = {d->n_points, (hsize_t)d->replications, d->n_params, d->n_outputs};
    hid_t scales[N_DIMS] = {-1, -1, -1, -1};
    double *mean = as_calloc(d->n_points * d->n_outputs + 1, sizeof *mean);
    int bad = !mean || write_attributes(f, d) || write_dimensions(f, d, len, scales);
    for (size_t p = 0; mean && p < d->n_points; p++)
        for (size_t o = 0; o < d->n_outputs; o++) {
            for (int q = 0; q < d->replications; q++)
                mean[p * d->n_outputs + o] += d->outputs[(p * (size_t)d->replications + (size_t)q) * d->n_outputs + o];
            mean[p * d->n_outputs + o] /= d->replications;
        }
    const double *values[N_VARIABLES] = {
        [V_DESIGN_UNIT] = d->unit, [V_PARAMETER_VALUE] = d->value, [V_OUTPUT_VALUE] = d->outputs,
        [V_OUTPUT_MEAN] = mean, [V_POINT_DONE] = d->done, [V_POINT_SECONDS] = d->point_seconds,
        [V_SIMULATE_SECONDS] = d->simulate_seconds};
    as_h5w_attacher attach = {0};
    for (int v = 0; !bad && v < N_VARIABLES; v++)
        bad = write_variable(f, &attach, &variables[v], scales, len, values[v]);
    bad = bad || as_h5w_attach_finish(&attach) < 0;
    as_h5w_attach_free(&attach);
    free(mean);
    int e = errno;
    for (int i = 0; i < N_DIMS; i++)
        if (scales[i] >= 0)
            H5Dclose(scales[i]);
    errno = e;
    return bad ? -1 : 0;
}

int as_h5sweep_write(const char *path, const as_sweep_data *d, as_error *err)
{
    char tmp[4096 + 32];
    as_tmp_name(path, tmp, sizeof tmp);
    as_tmp_hold(tmp);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = as_h5w_create(tmp);
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

/* Variable v did not read as want (the sizes of the dimensions): when it has the expected rank but
 * another length along a dimension than that dimension's coordinate, says so (the coordinate, or the
 * variable, is damaged) and returns -1; else 0, for the caller's general words. */
static int mismatch(hid_t f, const char *path, const variable *v, const hsize_t *len, as_error *err)
{
    hsize_t got[H5S_MAX_RANK];
    if (as_h5r_extent(f, v->name, got) != v->rank)
        return 0;
    for (int i = 0; i < v->rank; i++) {
        int dim = v->dims[i];
        if (got[i] == len[dim])
            continue;
        if (dim == DIM_REPLICATION)
            return as_error_set(err, AS_EINPUT, path, "dataset \"%s\" has %llu along replication, but the attribute "
                                "\"replications\" is %llu (a damaged or foreign file)", v->name,
                                (unsigned long long)got[i], (unsigned long long)len[dim]), -1;
        return as_error_set(err, AS_EINPUT, path, "dataset \"%s\" has %llu along %s, but the coordinate \"%s\" %s "
                            "%llu (a damaged or foreign file)", v->name, (unsigned long long)got[i], dim_names[dim],
                            dim_names[dim], dim == DIM_POINT ? "has" : "names", (unsigned long long)len[dim]), -1;
    }
    return 0;
}

/* Reads the sweep file's parts after its sizes are known and checked; returns 0, or -1 with words in err. */
static int read_contents(hid_t f, const char *path, as_sweep_data *d, as_error *err)
{
    size_t P = d->n_points, K = d->n_params, O = d->n_outputs, R = (size_t)d->replications;
    const hsize_t len[N_DIMS] = {P, R, K, O};
    char ***names[N_DIMS] = {[DIM_PARAMETER] = &d->param_names, [DIM_OUTPUT] = &d->output_names};
    for (int dim = DIM_PARAMETER; dim <= DIM_OUTPUT; dim++) { /* the coordinates of names */
        size_t n = 0;
        if (as_h5r_labels(f, dim_names[dim], len[dim], &n, names[dim]) != 0 || n != len[dim]) {
            as_h5r_labels_free(*names[dim], n);
            *names[dim] = NULL;
            return as_error_set(err, AS_EINPUT, path, "dataset \"%s\": expected a list of names, the dimension's "
                                "coordinate (a damaged or foreign file)", dim_names[dim]), -1;
        }
    }
    d->unit = as_malloc((P * K + 1) * sizeof(double));
    d->value = as_malloc((P * K + 1) * sizeof(double));
    d->outputs = as_malloc((P * R * O + 1) * sizeof(double));
    d->done = as_malloc((P + 1) * sizeof(double));
    d->point_seconds = as_malloc((P + 1) * sizeof(double));
    d->simulate_seconds = as_malloc((P + 1) * sizeof(double));
    if (!d->unit || !d->value || !d->outputs || !d->done || !d->point_seconds || !d->simulate_seconds)
        return as_error_set(err, AS_ENOMEM, path, "out of memory reading the sweep file"), -1;
    double *into[N_VARIABLES] = {[V_DESIGN_UNIT] = d->unit, [V_PARAMETER_VALUE] = d->value,
                                 [V_OUTPUT_VALUE] = d->outputs, [V_POINT_DONE] = d->done,
                                 [V_POINT_SECONDS] = d->point_seconds, [V_SIMULATE_SECONDS] = d->simulate_seconds};
    for (size_t p = 0; p < P; p++)
        d->point_seconds[p] = d->simulate_seconds[p] = NAN;
    for (int i = 0; i < N_VARIABLES; i++) {
        const variable *v = &variables[i];
        /* the timings are provenance: a file without them still reads */
        if (v->read < 0 || (v->read == 0 && H5Lexists(f, v->name, H5P_DEFAULT) <= 0))
            continue;
        hsize_t want[3];
        for (int k = 0; k < v->rank; k++)
            want[k] = len[v->dims[k]];
        if (as_h5r_doubles(f, v->name, want, v->rank, into[i]) == 0)
            continue;
        if (mismatch(f, path, v, len, err) == 0)
            as_error_set(err, AS_EINPUT, path, "dataset \"%s\" is missing or has the wrong rank, shape or type "
                         "(expected numbers, %s%s%s%s%s: a damaged or foreign file)", v->name, dim_names[v->dims[0]],
                         v->rank > 1 ? " x " : "", v->rank > 1 ? dim_names[v->dims[1]] : "",
                         v->rank > 2 ? " x " : "", v->rank > 2 ? dim_names[v->dims[2]] : "");
        return -1;
    }
    for (size_t p = 0; p < P; p++)
        if (d->done[p] != 0 && d->done[p] != 1)
            return as_error_set(err, AS_EINPUT, path, "dataset \"point_done\": point %zu is %g (expected 1 or 0: a "
                                "damaged or foreign file)", p, d->done[p]), -1;
    return 0;
}

/* Whether the file is of this layout (AS_SWEEP_FORMAT); 0, or -1 with words in err. */
static int check_format(hid_t f, const char *path, as_error *err)
{
    double format = NAN;
    int has = as_h5r_attr_number(f, "format_version", &format);
    if (has == 0) { /* format 1 */
        char *sweep = as_h5r_attr_string(f, "sweep_path");
        as_error_set(err, AS_EINPUT, path, "written by an older alignsim (no format_version: dimensions parameter "
                     "and output numbered 0..n-1, the names in parameter_label and output_label); rerun it "
                     "(alignsim sweep %s) with this alignsim", sweep && *sweep ? sweep : "SWEEP.json");
        free(sweep);
        return -1;
    }
    if (has < 0 || format != AS_SWEEP_FORMAT)
        return as_error_set(err, AS_EINPUT, path, "format_version %g, expected %d (%s)", format, AS_SWEEP_FORMAT,
                            format > AS_SWEEP_FORMAT ? "written by a newer alignsim: read it with that one"
                            : format >= 1 && format < AS_SWEEP_FORMAT ? "written by an older alignsim; rerun it"
                                                                       : "a damaged or foreign file"), -1;
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
    if (check_format(f, path, err) != 0) {
        H5Fclose(f);
        return err->code;
    }
    for (int dim = 0; dim < N_DIMS; dim++)
        if (dim != DIM_REPLICATION && H5Lexists(f, dim_names[dim], H5P_DEFAULT) <= 0) {
            H5Fclose(f);
            return as_error_set(err, AS_EINPUT, path, "no coordinate \"%s\" (the dimension's list of %s: a damaged "
                                "or foreign file)", dim_names[dim], dim == DIM_POINT ? "points" : "names");
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
