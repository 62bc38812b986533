/*
 * report.h - one self-contained HTML page that a school board can read:
 * inline CSS, inline SVG charts (analysis/svg.h), no scripts and nothing
 * fetched from the network.
 *
 * Sections, for the first run (the base):
 *   At a glance        key totals of every run side by side (graduates, pathway
 *                      completers, college credit, credentials by level, work-based
 *                      learning, apprenticeships, supply, alignment index, cost, earnings)
 *   Supply and openings  the ~15 occupations with the most local pipeline supply in the
 *                      final year: pipeline and other supply against openings
 *   Pathways           students in each program, and pathway completers, by year
 *   Equity             rates by student group against all students; representation of
 *                      each group in each program against its share of the high school
 * and with two runs or more:
 *   What each proposal changes  each later run against the first: paired differences
 *                      with 95% intervals (analysis/compare.h), in a chart and in words
 *                      ("If the district adopts X, about N more students would ...")
 * Every chart has a caption in plain words and a table of its numbers below it.
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
    const char *scenario_json;   /* the provenance scenario text (name, description); may be NULL */
} as_report_run;

/* The largest number of runs in one report. */
#define AS_REPORT_MAX_RUNS 16

/* Writes the report of runs[0..n) to path atomically (analysis/outfile.h).
 * Runs 1..n-1 must pass as_compare_check against run 0 (the caller checks, so
 * it can say which file is wrong).  Returns AS_OK, AS_EINPUT (no runs, or too
 * many), AS_EIO or AS_ENOMEM; on failure nothing is left at path. */
int as_report_write(const char *path, const as_report_run *runs, size_t n, as_error *err);

#endif
