/*
 * compare.h - a proposal against a base: paired differences with common
 * random numbers.
 *
 * Two runs with the same seed and replications share their random numbers
 * student by student, so replication q of the proposal differs from
 * replication q of the base only by what the proposal changes.  For every
 * metric the difference PROPOSAL - BASE is taken replication by replication,
 * and its mean gets a 95% Student-t interval (analysis/stats.h); a metric is
 * "distinguishable" when that interval excludes 0.
 *
 * The metrics (in this order; `year` 0 means the sum over all years, and the
 * final year is the last simulated year):
 *   graduates                           per year, and all years
 *   pathway_completers                  all years: all programs, then each program
 *   credentials                         all years: every level, then each level
 *   graduates_with_college_credit       all years (count)
 *   graduates_with_college_credit_share per year for "all"; all years per subgroup (percent)
 *   dual_enrollment_student_years       all years
 *   wbl_participants                    all years
 *   apprenticeship_starts               all years: all trades, then each trade
 *   pipeline_supply                     final year: all occupations, then each occupation with
 *                                       openings whose supply is above 0 in either run
 *   alignment_index                     final year
 *   cost                                all years: every item, then each item with a cost
 *   cost_per_additional_credential      all years: (cost difference) / (credential difference);
 *                                       base and proposal columns are NaN, the interval is
 *                                       the delta method's for a ratio of means
 *   earnings                            final year (annual earnings of that year's new
 *                                       workers in their field)
 *   apprentice_earnings                 all years (wages of apprentices in training)
 * Categories are matched by label: a program, trade or level that only one
 * run has counts 0 in the other.
 *
 * Owns: the rows of an as_comparison (as_compare_free; accepts NULL).
 * Pure functions of the two results; thread-safe.
 */
#ifndef AS_COMPARE_H
#define AS_COMPARE_H

#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "results.h"
#include "stats.h"

typedef struct as_compare_row {
    char metric[48];      /* machine name, as listed above */
    char category[96];    /* category label, or "all" */
    char title[160];      /* words for the category (occupation title), or "" */
    int year;             /* calendar year, or 0 for the sum over all years */
    const char *unit;     /* "students", "percent of graduates", "dollars", ... */
    as_estimate base, proposal, diff;
    int distinguishable;  /* the diff interval excludes 0 */
} as_compare_row;

typedef struct as_comparison {
    size_t n;
    as_compare_row *rows;
    uint32_t seed;
    int replications, start_year, years;
} as_comparison;

/* Whether base and proposal can be compared: same seed, replications, start
 * year, years and occupation list.  Returns AS_OK, or AS_EINPUT with one line
 * naming both files and the first difference. */
int as_compare_check(const as_results *base, const char *base_name, const as_results *proposal,
                     const char *proposal_name, as_error *err);

/* Computes every row (after as_compare_check).  Returns AS_OK or AS_ENOMEM
 * (out left empty). */
int as_compare_build(const as_results *base, const as_results *proposal, as_comparison *out, as_error *err);

void as_compare_free(as_comparison *c);

/* The row with this metric, category and year (0: all years), or NULL. */
const as_compare_row *as_compare_find(const as_comparison *c, const char *metric, const char *category, int year);

/* A table for people: one line per row, differences and intervals with the
 * row's unit, distinguishable rows marked with '*'.  Returns 0, or -1 when
 * writing failed. */
int as_compare_write_table(FILE *f, const as_comparison *c, const char *base_name, const char *proposal_name);

/* Tidy CSV: metric,category,year,base_mean,proposal_mean,diff_mean,
 * diff_ci_low,diff_ci_high,distinguishable (year "all" for all years, NaN as
 * NA, distinguishable true/false).  Returns 0, or -1 when writing failed. */
int as_compare_write_csv(FILE *f, const as_comparison *c);

#endif
