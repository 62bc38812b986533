/*
 * export.h - a results file as tidy CSV tables, one row per observation, for
 * spreadsheets, R and pandas.
 *
 * In DIR (created with its parents when missing):
 *   VAR.csv          for every variable of as_var_defs: replication,year,<its
 *                    dimension names>,value with category labels, not indices
 *                    (replication from 0; year as a calendar year); rows =
 *                    replications x years x categories
 *   openings.csv     year,occupation,occupation_title,openings,other_supply,median_wage
 *   credential_levels.csv  credential,level,code (the level and CIP/SOC code of each credential)
 *   summary.csv      variable,year,dimension_1,category_1,dimension_2,category_2,mean,sd,
 *                    ci_low,ci_high: the mean over replications, its sample standard
 *                    deviation and 95% interval (as_results_summary), per (variable, year,
 *                    categories); empty dimension columns where a variable has fewer
 * Numbers read back exactly (whole numbers as such, others with 15 to 17 significant
 * digits, the fewest that round-trip); NaN as NA.
 * Each file is written atomically (analysis/outfile.h).
 *
 * Reads r only; thread-safe for distinct folders.
 */
#ifndef AS_EXPORT_H
#define AS_EXPORT_H

#include "error.h"
#include "results.h"

/* Returns AS_OK, AS_EIO (naming the folder or file that could not be
 * written) or AS_ENOMEM.  Files written before a failure stay. */
int as_export_csv(const as_results *r, const char *dir, as_error *err);

#endif
