/*
 * h5results.h - results files: one HDF5 file per run, netCDF-4 and CF-1.8.
 *
 * Layout (docs/results-format.md): one dimension scale per dimension, named
 * after it, which netCDF-4 and xarray read as its coordinate variable:
 * replication (0 .. R-1), year (calendar years), grade (9 .. 12), and the
 * category names as variable-length UTF-8 strings for every other dimension
 * (pathway, subgroup, credential, destination, dual_enrollment, wbl,
 * postsecondary, apprenticeship, occupation, cost_item, applicant_source,
 * wbl_kind, supply_source, other_source), so ds.sel(pathway="cte") works;
 * string variables per credential and occupation (credential_level,
 * credential_code, credential_field, occupation_title); one variable per
 * entry of as_var_defs with dimensions (replication, year, ...), and its
 * summaries NAME_mean, NAME_sd, NAME_ci_low, NAME_ci_high over (year, ...);
 * openings and other_supply (year, occupation).  Every variable has a
 * long_name and, but for money and codes, a units attribute UDUNITS-2 parses
 * ("1" for counts); money has currency = "USD" instead.  Global attributes:
 * Conventions, source, history, format_version (AS_RESULTS_FORMAT),
 * data_files (the SHA-256 of every table the run read) and the provenance.
 *
 * Writing is atomic: the file is written under a temporary name in the same
 * folder and renamed over `path` only when complete, so a reader never sees
 * half a file and a failed run leaves nothing behind.
 */
#ifndef AS_H5RESULTS_H
#define AS_H5RESULTS_H

#include "error.h"
#include "results.h"

/* The layout's version, the file's format_version attribute: 2 has the names in the dimension scales
 * (1, without the attribute, had integer dimensions 0..n-1 and the names in DIM_label variables). */
#define AS_RESULTS_FORMAT 2

typedef struct as_provenance {
    const char *scenario_name;
    const char *scenario_path;
    const char *scenario_json;   /* after extends and --set */
    const char *start_time;      /* ISO 8601, UTC */
    const char *end_time;
    const char *command_line;
    const char *data_files;      /* "NAME sha256:HEX; ..." of the tables read (as_labor_files_text), or NULL */
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
 * the file is missing, not an alignsim results file, damaged (every part's
 * rank, shape and type is checked before it is read), or of another
 * format_version (a file of an older alignsim: "rerun it"), naming what is
 * wrong; AS_ENOMEM.  Nothing is left allocated on failure. */
int as_h5_read(const char *path, as_results *res, char **scenario_json, as_error *err);

#endif
