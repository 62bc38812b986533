/*
 * h5sweep.h - a sweep's results file (docs/sweeps.md): the design, each
 * point's parameter values, and the recorded outputs of every replication.
 *
 * netCDF-4 and CF-1.8, as the results file (io/h5results.h, through
 * io/h5write.h): each dimension is a dimension scale named after it, which
 * netCDF-4 and xarray read as its coordinate, so
 * xr.open_dataset(f, engine="h5netcdf").sel(output="graduates") works:
 *   point (int, 0 .. points-1), replication (int, 0 .. replications-1),
 *   parameter, output (their names, as in the sweep file: variable-length
 *   UTF-8 strings)
 * Variables (each with a long_name; units where one kind fits them all):
 *   design_unit (point, parameter)       the design in the unit cube (units "1")
 *   parameter_value (point, parameter)   the value given to the scenario (a
 *                                        factor for "scale" parameters)
 *   output_value (point, replication, output)   NaN where not run
 *   output_mean (point, output)          mean over replications
 *   point_done (point)                   1 where the point ran (CF flags)
 *   point_seconds, simulate_seconds (point)  wall time of the point, and of
 *                                        it in the engine (the rest: setting
 *                                        the point up and reading outputs;
 *                                        units "s")
 * Root attributes: title ("alignsim sweep"), Conventions ("CF-1.8"), source
 * ("alignsim VERSION (commit HASH)"), history ("END_TIME: COMMAND LINE"),
 * comment, alignsim_version, git_commit, format_version (AS_SWEEP_FORMAT, an
 * int), sweep_name, sweep_path, sweep_json (the sweep file's text),
 * scenario_json (the resolved base scenario; empty for a test model), design,
 * slice, start_time, end_time, command_line (text), design_n, design_levels,
 * design_trajectories, design_seed, seed, replications (scalar numbers).
 * No DIMENSION_LABELS and no *_label variables.
 *
 * Written to PATH.tmp.PID and renamed, so a reader never sees half a file.
 */
#ifndef AS_H5SWEEP_H
#define AS_H5SWEEP_H

#include <stddef.h>
#include "error.h"

/* The layout's version, the file's format_version attribute: 2 has the names in the parameter and output
 * coordinates (1, without the attribute, had integer dimensions 0..n-1 and the names in parameter_label
 * and output_label). */
#define AS_SWEEP_FORMAT 2

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

/* Writes d to path atomically (NULL strings as "").  Returns AS_OK, AS_EINPUT when path's folder is missing
 * or not writable, AS_EIO with the OS's words (a full disk). */
int as_h5sweep_write(const char *path, const as_sweep_data *d, as_error *err);

/* Reads a sweep file into *d (zeroed first; as_sweep_data_free it).  AS_EINPUT, naming what is wrong, for a
 * file that is not an alignsim sweep file, is damaged (every part's rank, shape and type is checked before it
 * is read, through io/h5read.h), or is of another format_version (an older alignsim's: "rerun it");
 * AS_ENOMEM.  Nothing is left allocated on failure. */
int as_h5sweep_read(const char *path, as_sweep_data *d, as_error *err);

void as_sweep_data_free(as_sweep_data *d);

#endif
