/*
 * export.h - a results file as tidy tables, one row per observation, for
 * spreadsheets, R and pandas: CSV files in a folder, or one XLSX workbook.
 *
 * The tables (declared once in analysis/tables.h, which both formats write):
 *   _dictionary      table,column,meaning,units: one row per column of every
 *                    table here, itself included, with the units of its numbers
 *                    (from the variable registry as_var_defs for the variables)
 *   VAR              for every variable of as_var_defs: replication,year,<its
 *                    dimension names>,value with category labels, not indices
 *                    (replication from 0; year as a calendar year); rows =
 *                    replications x years x categories
 *   openings         year,occupation,occupation_title,openings,other_supply,median_wage
 *   credential_levels  credential,level,code (the level and CIP/SOC code of each credential)
 *   summary          variable,year,dimension_1,category_1,dimension_2,category_2,mean,sd,
 *                    ci_low,ci_high: the mean over replications, its sample standard
 *                    deviation and 95% interval (as_results_summary), per (variable, year,
 *                    categories); empty dimension columns where a variable has fewer
 *
 * CSV (as_export_csv): DIR/TABLE.csv.  Numbers read back exactly (whole numbers as such,
 * others with 15 to 17 significant digits, the fewest that round-trip); NaN as NA,
 * infinities as inf and -inf.
 *
 * XLSX (as_export_xlsx): one sheet per table, the dictionary first (sheet "dictionary"),
 * each with a bold header row.  Labels and codes are text cells, so SOC codes (11-2011) and
 * CIP codes (11.0901) stay as written when a spreadsheet opens them; numbers are number cells,
 * with 16 significant digits (libxlsxwriter writes %.16G: whole numbers exact, a fraction
 * within one part in 10^16); NaN and infinities (NA and inf in the CSV) are empty cells.  Sheet
 * names are the table names cut to Excel's 31 characters, made unique with "~2", "~3" ...
 * (as_tables_sheet_name).  A table with more rows than a sheet holds (1,048,575 below the
 * header) goes on in sheets "NAME (2)", "NAME (3)" ..., each with the header.
 *
 * Reads r only; thread-safe for distinct outputs (the signal hold of io/tmpfile.h is one per
 * process).
 */
#ifndef AS_EXPORT_H
#define AS_EXPORT_H

#include "error.h"
#include "results.h"

/* Writes every table into DIR (created with its parents when missing).  The tables are
 * written into DIR.tmp.PID and moved into DIR only when all are complete; a failure or a
 * signal leaves DIR as it was.  Returns AS_OK, AS_EIO (naming the folder or file that could
 * not be written, with the OS's words) or AS_ENOMEM. */
int as_export_csv(const as_results *r, const char *dir, as_error *err);

/* Writes the workbook FILE (whose folder must exist): into FILE.tmp.PID, renamed over FILE
 * when complete; a failure or a signal leaves nothing (and an earlier FILE as it was).
 * Returns AS_OK, AS_EIO naming FILE (with the OS's words where it gave any, else
 * libxlsxwriter's), AS_ENOMEM or AS_EINTERNAL. */
int as_export_xlsx(const as_results *r, const char *path, as_error *err);

#endif
