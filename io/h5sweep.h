/*
 * h5sweep.h - a sweep's results file (docs/sweeps.md): the design, each
 * point's parameter values, and the recorded outputs of every replication.
 *
 * Datasets (dimension scales point, replication, parameter, output):
 *   parameter_label (parameter), output_label (output)   names
 *   design_unit (point, parameter)       the design in the unit cube
 *   parameter_value (point, parameter)   the value given to the scenario (a
 *                                        factor for "scale" parameters)
 *   output_value (point, replication, output)   NaN where not run
 *   output_mean (point, output)          mean over replications
 *   point_done (point)                   1 where the point ran
 *   point_seconds, simulate_seconds (point)  wall time of the point, and of
 *                                        it in the engine (the rest: setting
 *                                        the point up and reading outputs)
 * Root attributes: title, alignsim_version, git_commit, sweep_name, sweep_path,
 * sweep_json (the sweep file's text), scenario_json (the resolved base
 * scenario; empty for a test model), design, design_n, design_levels,
 * design_trajectories, design_seed, replications, seed, slice, start_time,
 * end_time, command_line.
 *
 * Written to PATH.tmp.PID and renamed, so a reader never sees half a file.
 */
#ifndef AS_H5SWEEP_H
#define AS_H5SWEEP_H

#include <stddef.h>
#include "error.h"

typedef struct as_sweep_data {
    size_t n_points, n_params, n_outputs;
    int replications;
    char **param_names, **output_names;  /* owned */
    double *unit, *value;                /* [point][parameter] */
    double *outputs;                     /* [point][replication][output] */
    double *done;                        /* [point]: 1 or 0 */
    double *point_seconds;               /* [point]: wall seconds of the whole point (0: not run) */
    double *simulate_seconds;            /* [point]: of which in the engine */
    /* provenance (owned strings; NULL is written as "") */
    char *sweep_name, *sweep_path, *sweep_json, *scenario_json, *design, *slice, *start_time, *end_time,
        *command_line;
    double design_n, design_levels, design_trajectories, design_seed, seed;
} as_sweep_data;

int as_h5sweep_write(const char *path, const as_sweep_data *d, as_error *err);

/* Reads a sweep file into *d (zeroed first).  AS_EINPUT for a file that is
 * not an alignsim sweep file. */
int as_h5sweep_read(const char *path, as_sweep_data *d, as_error *err);

void as_sweep_data_free(as_sweep_data *d);

#endif
