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
