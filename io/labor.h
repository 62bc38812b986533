/*
 * labor.h - the regional labor-market tables: occupations with their annual
 * openings and wages (BLS Employment Projections layout), and the NCES
 * CIP 2020 -> SOC 2018 crosswalk mapped onto the projection (EP) codes.
 *
 * Owns: as_labor (occupations, crosswalk, lookups).  Read-only once loaded,
 * so any number of threads may read it at once.
 *
 * Files (columns as in data/SOURCES.md):
 *   demand table  - bls_ep_occupations_2024_34.csv, or a regional table with the
 *                   same columns; only rows with occ_type=detail are kept (a
 *                   regional table may omit occ_type: then every row is detail).
 *                   Required columns: soc_code, title, openings_annual_k,
 *                   labor_force_exits_annual_k, occ_transfers_annual_k,
 *                   emp_2024_k, emp_2034_k, median_wage_2024 (empty allowed).
 *                   Optional columns: entry_education_code (1..8),
                   work_experience_code (1, 2 or 4), ojt_code (1..6);
                   empty or absent = 0 (unknown: no entry rule applies).
 *                   Values in thousands are stored as jobs (x 1000).
 *   crosswalk     - nces_cip2020_soc2018_crosswalk.csv; "NO MATCH" rows
 *                   (99-9999 / 99.9999) are skipped, but a CIP whose only
 *                   rows are 99-9999 is still known (with no occupation).
 *   soc -> ep map - soc2018_to_ep_code.csv (columns soc2018_code, ep_code,
 *                   match); a crosswalk SOC is replaced by its EP code
 *                   (match=same or ep_aggregate); SOCs with
 *                   match=military_not_in_ep are dropped.
 *
 * A map row whose EP code is well formed but absent from the demand table is
 * NOT an error: a regional table may leave occupations out, so the SOC simply
 * reaches no occupation here and its crosswalk pairs are dropped.  Such rows
 * are counted in n_links_absent (0 for the national table), so a caller that
 * loads the national table can insist on a complete map.
 *
 * Errors: AS_EINPUT with "FILE:LINE: what is wrong" for a missing column, a
 * malformed number or code, a negative count or wage, an unknown occ_type or match value, a duplicate
 * code, a crosswalk SOC that is not in the map; "FILE: cannot open: ..." for
 * a missing file; AS_ENOMEM on allocation failure.  All row problems of the
 * failing file are reported, not only the first.  Nothing is left allocated
 * on failure.  CSV parsing is io/csv.h (libcsv).
 */
#ifndef AS_LABOR_H
#define AS_LABOR_H

#include <stddef.h>
#include "digest.h"
#include "error.h"

typedef struct as_occupation {
    char soc[8];            /* "NN-NNNN", EP code */
    char *title;
    double employment_base; /* jobs (not thousands), base year */
    double employment_proj; /* jobs, projection year */
    double openings;        /* annual average openings, jobs */
    double exits;           /* annual labor-force exits, jobs */
    double transfers;       /* annual occupational transfers, jobs */
    double median_wage;     /* US dollars per year; NaN when not published */
    int entry_education;    /* BLS education code 1..8, 0 when absent */
    int work_experience;    /* BLS related work experience code: 1 five years or more, 2 less than 5, 4 none; 0 absent */
    int ojt;                /* BLS on-the-job training code 1..6 (2: apprenticeship); 0 absent */
} as_occupation;

/* One row of the SOC 2018 -> EP map that was kept (see as_labor_find_soc). */
typedef struct as_soc_link {
    char soc[8];            /* SOC 2018 code "NN-NNNN" */
    long occupation;        /* index into occupations; -1 when the SOC is not
                             * projected here (military, or its EP code is
                             * absent from this demand table) */
} as_soc_link;

/* Awards of one CIP code and entry level in a completions table, summed
 * over its rows (institutions). */
typedef struct as_completion {
    char cip[8];            /* "NN.NNNN" */
    int education;          /* BLS entry education code the award meets (1..5) */
    double awards;          /* per year */
} as_completion;

/* A table a loader read, for provenance (data_files in the results file, io/h5results.h). */
typedef struct as_data_file {
    char name[256];               /* the last part of its path */
    char sha256[AS_SHA256_HEX];   /* of its bytes as read (io/digest.h) */
} as_data_file;

/* The year of the demand table's wages (its column median_wage_2024: BLS's May 2024 OEWS figures),
 * which the results file gives as the dollar_year of wages and earnings. */
#define AS_LABOR_WAGE_YEAR 2024

#define AS_LABOR_MAX_FILES 4      /* demand table, SOC -> EP map, crosswalk, completions */

typedef struct as_labor {
    size_t n_occupations;
    as_occupation *occupations;   /* sorted by soc */
    /* crosswalk: CIP codes sorted; cip_first[i]..cip_first[i+1] index into
     * cip_occ, which holds occupation indices (deduplicated per CIP). */
    size_t n_cips;
    char (*cips)[8];              /* "NN.NNNN" */
    size_t *cip_first;            /* n_cips + 1 entries */
    size_t *cip_occ;
    /* every SOC code of the map, sorted by soc */
    size_t n_soc_links;
    as_soc_link *soc_links;
    size_t n_links_absent;        /* map rows (same/ep_aggregate) whose EP
                                   * code the demand table lacks */
    /* a regional completions table (as_labor_load_completions), or none */
    size_t n_completions;
    as_completion *completions;   /* sorted by cip, then education */
    /* the tables read, in the order read: demand table, SOC -> EP map, crosswalk, then completions */
    size_t n_files;
    as_data_file files[AS_LABOR_MAX_FILES];
} as_labor;

/* Loads the three files.  On success returns AS_OK and *out owns
 * everything; free with as_labor_free.  On failure returns the error code,
 * *out is NULL and err says why (see the top of this file).  Thread-safe
 * (no shared state). */
int as_labor_load(const char *demand_csv, const char *crosswalk_csv,
                  const char *soc_ep_csv, as_labor **out, as_error *err);
/* Adds the completions table at path (IPEDS Completions layout: columns
 * CIPCODE, AWLEVEL, CTOTALT, optional MAJORNUM; other columns ignored) to
 * labor.  Rows with CIPCODE 99 (grand totals) and second majors (MAJORNUM 2)
 * are skipped; AWLEVEL is mapped to the BLS entry education it meets.
 * Errors (AS_EINPUT, "PATH:LINE: ...", every bad row): a missing column, a
 * malformed CIP code or one the crosswalk lacks, an unknown award level, a
 * negative or malformed count.  On failure labor is unchanged. */
int as_labor_load_completions(as_labor *labor, const char *path, as_error *err);

/* Writes "NAME sha256:HEX; NAME sha256:HEX" for the tables labor was read from, in the order read,
 * into buf (n bytes, NUL-terminated, cut short if it does not fit; "" for none or a NULL labor).
 * Returns the length the whole text needs, as snprintf does. */
size_t as_labor_files_text(const as_labor *labor, char *buf, size_t n);

/* For the loaders (labor.c, completions.c): records a table read from path with that digest
 * (the last part of path kept; nothing when AS_LABOR_MAX_FILES are recorded). */
void as_labor_note_file(as_labor *labor, const char *path, const char *sha256);

/* Frees a table from as_labor_load.  Accepts NULL. */
void as_labor_free(as_labor *labor);

/* Index of an occupation by EP/SOC code ("47-2111"), or -1.  A SOC code that
 * BLS merges into an EP aggregate is found through the map ("31-1121" gives
 * the index of EP 31-1120).  labor or soc may be NULL (-1). */
long as_labor_find_soc(const as_labor *labor, const char *soc);

/* Occupations a CIP code ("46.0302") prepares for: sets *occ to their
 * indices, ascending and without duplicates, and returns their count (0 and
 * *occ = NULL when the CIP is unknown or maps to no projected occupation).
 * *occ points into labor and lives as long as it. */
size_t as_labor_cip_occupations(const as_labor *labor, const char *cip,
                                const size_t **occ);

/* 1 when the CIP code appears in the crosswalk at all (even if only in
 * "NO MATCH" or military rows), else 0. */
int as_labor_cip_known(const as_labor *labor, const char *cip);

#endif
