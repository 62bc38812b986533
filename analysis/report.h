/*
 * report.h - one self-contained HTML page that a school board can read:
 * inline CSS (with a print stylesheet), inline SVG charts (analysis/svg.h),
 * no scripts and nothing fetched from the network.
 *
 * Sections, in order:
 *   Summary            the proposal's main effects, a sentence each: the difference
 *                      PROPOSAL - BASE, its relative change and its 95% interval; with one
 *                      run, the key levels with their intervals
 *   Assumptions        what is data, what comes from the source documents and what is an
 *                      illustrative ASSUMPTION: the scenario's `sources`, split on its
 *                      headings, and what the results say about openings (the table x
 *                      regional share), other supply (other_supply_assumed), the in-field
 *                      share and the entry rules
 *   Occupations        with as_report_options.occupations: for each, every run's openings,
 *                      pipeline supply by source, other supply, share of openings, gap,
 *                      ratio, band and median wage (analysis/occupation.h), and the paired
 *                      difference of each proposal
 *   At a glance        key totals of every run side by side
 *   What each proposal changes  paired differences (analysis/compare.h) in words, in a chart
 *                      of relative change on one axis, and in a table with relative beside
 *                      absolute change
 *   Supply and openings  the occupations with the largest shortages in the final year (and
 *                      those the proposals change most), every run side by side
 *   Pathways, Equity
 *   Sensitivity        with as_report_options.sweep: for each of the sweep's outputs, which
 *                      parameters drive it (Sobol S1 and ST in a chart and a ranked table, or
 *                      Morris mu*, mu, sigma), and the share of its variance that is noise
 *   About these numbers
 * Every interval is labelled as simulation noise (over replications, not
 * parameter uncertainty); an output identical in every replication of both
 * runs is "no effect in this model".  Categories are shown by the names of
 * the scenario, not by ids.  Every chart has a caption and a table.
 *
 * Owns nothing after it returns.  Thread-safe for distinct output paths.
 */
#ifndef AS_REPORT_H
#define AS_REPORT_H

#include <stddef.h>
#include "error.h"
#include "results.h"

typedef struct as_report_run {
    const char *path;            /* shown as the run's file */
    const as_results *results;
    const char *scenario_json;   /* the provenance scenario text (name, description, sources); may be NULL */
} as_report_run;

/* The largest number of runs in one report. */
#define AS_REPORT_MAX_RUNS 16
/* The largest number of occupations in the occupation view. */
#define AS_REPORT_MAX_OCCUPATIONS 64

struct as_sweep_data;

typedef struct as_report_options {
    const struct as_sweep_data *sweep;  /* a sweep's results for the sensitivity section (io/h5sweep.h), or NULL */
    const size_t *occupations;   /* indices into the runs' occupations (as_occupation_parse), or NULL */
    size_t n_occupations;        /* 0: no occupation view */
    int year;                    /* year index of the occupation view (as_occupation_year) */
} as_report_options;

/* Writes the report of runs[0..n) to path atomically (analysis/outfile.h).
 * Runs 1..n-1 must pass as_compare_check against run 0 (the caller checks, so
 * it can say which file is wrong).  opt may be NULL (no occupation view).
 * Returns AS_OK, AS_EINPUT (no runs, too many, or an occupation or year out
 * of range), AS_EIO or AS_ENOMEM; on failure nothing is left at path. */
int as_report_write_with(const char *path, const as_report_run *runs, size_t n, const as_report_options *opt,
                         as_error *err);

/* as_report_write_with without options. */
int as_report_write(const char *path, const as_report_run *runs, size_t n, as_error *err);

#endif
