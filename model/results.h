/*
 * results.h - what a run produces: counts per replication, year and
 * category, with named dimensions and labels.
 *
 * One registry (as_var_defs) names every output variable, its dimensions,
 * its unit in words, the kind of quantity it is (enum as_quantity) and its
 * meaning; the engine fills it, io/ writes it to HDF5 by walking it, and
 * analysis/ reads it back by name.  Every variable has the implicit
 * leading dimensions (replication, year); values are doubles, and counts are
 * whole numbers summed exactly (integers below 2^53), so they are
 * bit-identical for any number of threads.
 *
 * Owns: labels, values, openings and other supply.  as_results_free accepts NULL.
 */
#ifndef AS_RESULTS_H
#define AS_RESULTS_H

#include <stddef.h>
#include "error.h"
#include "params.h"

enum as_dim_id {
    AS_D_GRADE, AS_D_PATHWAY, AS_D_SUBGROUP, AS_D_CREDENTIAL, AS_D_DESTINATION,
    AS_D_DUAL, AS_D_WBL, AS_D_POSTSEC, AS_D_TRADE, AS_D_OCCUPATION, AS_D_COST_ITEM,
    AS_D_APPLICANT_SOURCE, AS_D_WBL_KIND, AS_D_SUPPLY_SOURCE, AS_D_OTHER_SOURCE,
    AS_D_COUNT
};

enum as_var_id {
    AS_V_STUDENTS_IN_SCHOOL, AS_V_ENTRANTS, AS_V_ENROLLED, AS_V_APPLICANTS, AS_V_ADMITTED,
    AS_V_WAITLISTED, AS_V_PATHWAY_COMPLETERS, AS_V_GRADUATES, AS_V_DROPOUTS, AS_V_PATHWAY_HOURS,
    AS_V_ADVANCED_PASSED, AS_V_DUAL_APPLICANTS, AS_V_DUAL_ENROLLED, AS_V_DUAL_CREDITS,
    AS_V_DUAL_STUDENTS, AS_V_WBL_APPLICANTS, AS_V_WBL_PLACED, AS_V_WBL_COMPLETED, AS_V_WBL_HOURS,
    AS_V_WBL_PARTICIPANTS, AS_V_CREDENTIALS, AS_V_GRADS_POSTSEC_EXPERIENCE,
    AS_V_GRADS_WITH_CREDENTIAL, AS_V_DESTINATIONS, AS_V_POSTSEC_STARTS, AS_V_POSTSEC_ENROLLED,
    AS_V_POSTSEC_YEARS, AS_V_APPRENTICE_APPLICANTS, AS_V_APPRENTICE_STARTS, AS_V_APPRENTICES,
    AS_V_APPRENTICE_LEAVERS, AS_V_APPRENTICE_EARNINGS,
    AS_V_APPRENTICE_APPLICANTS_BY_SOURCE, AS_V_APPRENTICE_STARTS_BY_SOURCE, AS_V_APPRENTICE_UNFILLED,
    AS_V_APPRENTICE_COMPLETIONS, AS_V_IET_ENROLLED, AS_V_IET_COMPLETERS, AS_V_LABOR_ENTRANTS,
    AS_V_ENTRANTS_WITH_EXPERIENCE, AS_V_IN_FIELD_WITH_EXPERIENCE,
    AS_V_COST, AS_V_SUPPLY, AS_V_EARNINGS,
    AS_V_GRADS_CREDIT_AND_CREDENTIAL, AS_V_WBL_COMPLETERS_BY_KIND, AS_V_SUPPLY_BY_SOURCE,
    AS_V_COUNT
};

/* Sources of pipeline supply (AS_D_SUPPLY_SOURCE): the kind of credential
 * an entrant brings (high-school industry credential, postsecondary award,
 * registered apprenticeship, IET). */
enum as_supply_source { AS_SUP_HIGH_SCHOOL, AS_SUP_POSTSECONDARY, AS_SUP_APPRENTICESHIP, AS_SUP_IET, AS_SUP_COUNT };
extern const char *const as_supply_source_names[AS_SUP_COUNT];

/* Sources of other supply (AS_D_OTHER_SOURCE, docs/model.md 7.21): a
 * scenario's figure for the occupation (labor_market.other_supply), the
 * completions table, in-migration, and the share-of-openings ASSUMPTION. */
enum as_other_source { AS_OTH_INPUT, AS_OTH_COMPLETIONS, AS_OTH_IN_MIGRATION, AS_OTH_SHARE, AS_OTH_COUNT };
extern const char *const as_other_source_names[AS_OTH_COUNT];

/* The cost items of AS_D_COST_ITEM. */
enum as_cost_item {
    AS_C_PATHWAYS, AS_C_DUAL, AS_C_WBL, AS_C_EXAMS, AS_C_POSTSEC, AS_C_APPRENTICESHIPS, AS_C_IET,
    AS_C_COUNT
};

/* The kind of quantity a variable is.  io/h5results.c turns it into the file's CF attributes: a count
 * (what is counted is in the variable's meaning) has units "1", hours "h" and years "year" (UDUNITS-2
 * spellings); money has no units attribute (UDUNITS has no currency) but currency = "USD", and
 * dollar_year where the dollars are the demand table's wages (median_wage_2024, io/labor.h). */
/* The engine's phases, as --timing reports their seconds (as_results.phase_seconds). */
enum as_phase {
    AS_PHASE_ENTRY,      /* entrants placed and filled in (entry.c) */
    AS_PHASE_A,          /* the sweep of phase A; where no high-school seat is limited, of phases A to C */
    AS_PHASE_ALLOCATION, /* both allocations: gathering the applicants, then the blocks */
    AS_PHASE_BC,         /* the sweep of phases B and C, where seats are limited */
    AS_PHASE_OTHER,      /* the rest of each year: its schedules, counters' reduction, groups still active */
    AS_PHASES
};

enum as_quantity { AS_Q_COUNT, AS_Q_HOURS, AS_Q_YEARS, AS_Q_USD, AS_Q_WAGE_USD, AS_QUANTITIES };

typedef struct as_var_def {
    const char *name;
    int ndims;              /* 0, 1 or 2 dimensions after (replication, year) */
    int dims[2];            /* enum as_dim_id */
    const char *unit;       /* what one unit is, in words ("students", "dollars"), for people: not UDUNITS */
    int quantity;           /* enum as_quantity: the file's units attributes */
    const char *meaning;    /* the file's long_name: says what is counted, or "US dollars" */
} as_var_def;

extern const as_var_def as_var_defs[AS_V_COUNT];
extern const char *const as_dim_names[AS_D_COUNT];
extern const char *const as_dim_meanings[AS_D_COUNT]; /* one sentence each, for data dictionaries */

typedef struct as_dim {
    size_t len;
    char **labels;          /* len strings, owned */
} as_dim;

typedef struct as_results {
    int replications, years, start_year;
    uint32_t seed;
    as_dim dims[AS_D_COUNT];
    size_t offset[AS_V_COUNT];  /* start of each variable within a (replication, year) slab */
    size_t slab;                /* values per (replication, year) */
    double *values;             /* [replication][year][slab] */
    /* per credential (AS_D_CREDENTIAL): level (enum as_level) and CIP/SOC code */
    int *credential_level;
    char **credential_code;
    char **credential_field;    /* career cluster id, or "" */
    /* per occupation: title and median wage; per year and occupation: openings, other supply */
    char **occupation_title;
    double *occupation_wage;
    double *openings;           /* [year][occupation] */
    double *other_supply;       /* [year][occupation] */
    double *other_supply_by_source; /* [year][occupation][AS_OTH_COUNT]: sums to other_supply */
    double *other_supply_assumed; /* [occupation]: 1 where other_supply includes labor_market.other_supply_share x
                                   * openings (an illustrative assumption), 0 where it is all data or zero */
    /* per occupation: BLS entry education (1..8) and related work experience (1, 2, 4) codes, 0 unknown */
    double *occupation_entry_education;
    double *occupation_work_experience;
    /* what the run was: filled by the caller (cli) for provenance */
    int threads;
    double simulate_seconds;
    double person_periods;      /* student-years simulated, summed over replications */
    double person_years_swept;  /* every person-year the engine swept: the students' (warm-up years included)
                                 * and those of the people after school, summed over replications */
    size_t state_bytes_per_student;
    double phase_seconds[AS_PHASES]; /* the engine's seconds by phase, summed over replications (each on the
                                      * clock of the run that took it: side by side, they add up) */
} as_results;

/* Number of values of variable v in one (replication, year) slab. */
size_t as_results_var_size(const as_results *r, int v);

/* Bytes as_results_alloc will take for p against n_occ occupations: every replication's values and the
 * per-occupation tables (what the memory check of io/demand.c adds to the state's estimate). */
double as_results_bytes(const as_params *p, size_t n_occ);

/* Pointer to variable v for (replication, year). */
double *as_results_at(const as_results *r, int v, int replication, int year);

/* Allocates labels and values for p and the given occupations (labels
 * copied).  Labels of pathways end with "none" (no program); credentials
 * list industry credentials, postsecondary programs, apprenticeships, then
 * "iet".  Returns AS_OK or AS_ENOMEM (nothing left allocated). */
int as_results_alloc(as_results *r, const as_params *p, size_t n_occupations,
                     char *const *occupation_codes, as_error *err);
void as_results_free(as_results *r);

/* Index into AS_D_CREDENTIAL of each kind of credential. */
size_t as_results_cred_industry(const as_params *p, size_t i);
size_t as_results_cred_postsec(const as_params *p, size_t i);
size_t as_results_cred_trade(const as_params *p, size_t i);
size_t as_results_cred_iet(const as_params *p);


/* Across replications, for every value of variable v in year t: mean,
 * sample standard deviation, and the 95% confidence interval of the mean
 * (Student t with replications-1 degrees of freedom; zero width with one
 * replication).  Each output has as_results_var_size(r, v) values. */
void as_results_summary(const as_results *r, int v, int year, double *mean, double *sd,
                        double *lo, double *hi);

#endif
