/*
 * occupation.h - the occupation view: for chosen occupations and one year,
 * each run's openings, pipeline supply by source, other supply (and whether
 * it is a scenario input or the illustrative share-of-openings default), the
 * pipeline's share of openings, gap, ratio, band and median wage, with 95%
 * intervals over replications (simulation noise); with two runs also the
 * paired difference PROPOSAL - BASE (common random numbers, analysis/compare.h).
 *
 * This answers a board's question such as "what share of openings for
 * electricians (47-2111) does the local pipeline fill in 2030, before and
 * after the proposal?" in one command:
 *     alignsim compare base.h5 proposal.h5 --occupation 47-2111 --year 2030
 *
 * Pure functions of the results; thread-safe.
 */
#ifndef AS_OCCUPATION_H
#define AS_OCCUPATION_H

#include <stdio.h>
#include "error.h"
#include "results.h"
#include "stats.h"

/* The rows of the view, in order: openings, pipeline supply and its
 * AS_SUP_COUNT sources, other supply and its AS_OTH_COUNT sources, the
 * pipeline's share of openings (%), gap (openings - all supply), ratio (all
 * supply / openings). */
enum as_occupation_metric {
    AS_OM_OPENINGS, AS_OM_PIPELINE, AS_OM_SOURCE0,
    AS_OM_OTHER = AS_OM_SOURCE0 + AS_SUP_COUNT, AS_OM_OTHER_SOURCE0,
    AS_OM_SHARE = AS_OM_OTHER_SOURCE0 + AS_OTH_COUNT, AS_OM_GAP, AS_OM_RATIO, AS_OM_COUNT
};
extern const char *const as_occupation_metric_names[AS_OM_COUNT];

/* Metric m of occupation o in year index t over a's replications; with b
 * the paired difference a - b (common random numbers).  mean NaN where the
 * metric is undefined (a share or ratio without openings). */
as_estimate as_occupation_estimate(const as_results *a, const as_results *b, int m, size_t o, int t);

/* "under-supplied", "balanced", "over-supplied", or "n/a (no openings)" for a NaN ratio. */
const char *as_occupation_band(double ratio);

/* The BLS typical entry education and related work experience of
 * occupation o, in words ("postsecondary nondegree award; no related work
 * experience"), into buf. */
void as_occupation_entry(const as_results *r, size_t o, char *buf, size_t size);

/* Where a run's other supply for occupation o comes from, in words (from
 * the results' flag and the run's scenario text, which may be NULL). */
void as_occupation_other_source(const as_results *r, const char *scenario_json, size_t o, char *buf, size_t size);

/* Index of each code of the comma-separated list socs in the runs'
 * occupations (they share one list), into occ[0..max); sets *n.  AS_EINPUT
 * when a code is not an occupation of the file (err names it), or the list
 * is empty or longer than max. */
int as_occupation_parse(const as_results *r, const char *file, const char *socs, size_t *occ, size_t max,
                        size_t *n, as_error *err);

/* The year index of calendar year `year` (0: the last simulated year);
 * AS_EINPUT when outside the run. */
int as_occupation_year(const as_results *r, const char *file, int year, int *t, as_error *err);

/* Writes the view of occupations occ[0..n) in year index t for n_runs runs
 * (1 or 2; scenario_json[i] may be NULL) as a text table.  With two runs
 * they must share seed and replications (as_compare_check).  Returns 0, or
 * -1 when writing failed. */
int as_occupation_write(FILE *f, const as_results *runs, const char *const *names, const char *const *scenario_json,
                        int n_runs, const size_t *occ, size_t n, int t);

#endif
