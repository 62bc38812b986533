/*
 * h5results.h - results files: one HDF5 file per run, netCDF-4 compatible.
 *
 * Layout (docs/results-format.md): dimension scales named replication, year,
 * grade, pathway, subgroup, credential, destination, dual_enrollment, wbl,
 * postsecondary, apprenticeship, occupation, cost_item; label variables
 * (pathway_label, occupation_title, ...); one variable per entry of
 * as_var_defs with dimensions (replication, year, ...), and its summaries
 * NAME_mean, NAME_sd, NAME_ci_low, NAME_ci_high over (year, ...); openings
 * and other_supply (year, occupation); provenance as global attributes.
 *
 * Writing is atomic: the file is written under a temporary name in the same
 * folder and renamed over `path` only when complete, so a reader never sees
 * half a file and a failed run leaves nothing behind.
 */
#ifndef AS_H5RESULTS_H
#define AS_H5RESULTS_H

#include "error.h"
#include "results.h"

typedef struct as_provenance {
    const char *scenario_name;
    const char *scenario_path;
    const char *scenario_json;   /* after extends and --set */
    const char *start_time;      /* ISO 8601, UTC */
    const char *end_time;
    const char *command_line;
} as_provenance;

/* A program's first and last HDF5 calls: HDF5 then does not close files from its exit handler, which
 * crashes (HDF5 1.10) on a file whose close failed (a full disk); as_h5_finish closes the library
 * unless a close failed, when the process ends without it. */
void as_h5_start(void);
void as_h5_finish(void);

/* A writer's H5Fclose failed: as_h5_finish then leaves the library as it is. */
void as_h5_close_failed(void);

/* The OS's words for errno e after a failed HDF5 write (": No space left on device"), or "" when e is
 * not a write error of the file system (HDF5's POSIX driver leaves the failing write's errno). */
const char *as_h5_os_words(int e);

/* H5Fcreate of tmp (path's temporary file, held) failed: removes tmp, releases it, and returns the
 * error: AS_EINPUT when path's folder is missing or not writable, else AS_EIO with the OS's words.
 * what names the file ("results file"). */
int as_h5_create_failed(const char *path, const char *tmp, const char *what, as_error *err);

/* Writes res to path atomically.  Returns AS_OK or AS_EIO with words. */
int as_h5_write(const char *path, const as_results *res, const as_provenance *prov, as_error *err);

/* Reads a results file written by as_h5_write into res (labels, values,
 * openings, other supply, wages).  *scenario_json (may be NULL) receives the
 * provenance scenario text (caller frees).  Returns AS_OK, or AS_EINPUT when
 * the file is missing or not an alignsim results file, naming what is wrong. */
int as_h5_read(const char *path, as_results *res, char **scenario_json, as_error *err);

#endif
