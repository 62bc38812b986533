/*
 * metrics.h - what results mean: alignment of supply with openings, sums of
 * selected categories, equity rates, credentials by level and field, the
 * share of graduates with a postsecondary experience, cost per seat and per
 * credential, and earnings.
 *
 * Alignment.  For an occupation and year: supply = local pipeline supply +
 * other supply; gap = openings - supply; ratio = supply / openings; share of
 * openings met = min(1, ratio).  Bands by ratio: under-supplied below
 * AS_BAND_LOW (0.9), over-supplied above AS_BAND_HIGH (1.1), balanced
 * between.  The alignment index over occupations is 1 - sum |gap| / sum
 * openings (1 is perfect alignment, 0 or below is none), over occupations
 * with openings.
 *
 * Conventions of every function below:
 *   q  replication index, or AS_MEAN (any q < 0) for the mean over
 *      replications of the per-replication value (for a rate: the mean of
 *      the per-replication rates).
 *   t  year index (0 = start year), or AS_ALL_YEARS for the sum over years
 *      (for a rate: the ratio of the sums over years).
 * The subgroup dimension starts with "all" and then one label per attribute
 * (a student may have several), so categories of a subgroup are never added
 * up: a selection picks one subgroup, "all" unless it names another.
 * Rates are fractions in [0, 1]; NaN when the denominator is zero.
 *
 * Pure functions of an as_results (nothing is written, nothing allocated);
 * thread-safe.
 */
#ifndef AS_METRICS_H
#define AS_METRICS_H

#include "results.h"

#define AS_BAND_LOW 0.9
#define AS_BAND_HIGH 1.1
#define AS_MEAN (-1)
#define AS_ALL_YEARS (-1)

enum as_band { AS_BAND_UNDER = -1, AS_BAND_BALANCED = 0, AS_BAND_OVER = 1 };

typedef struct as_alignment {
    double pipeline;     /* local pipeline supply (mean over replications) */
    double other;        /* other supply */
    double openings;
    double gap;          /* openings - pipeline - other */
    double ratio;        /* (pipeline + other) / openings; NaN without openings */
    int band;            /* enum as_band */
} as_alignment;

/* Alignment of occupation o in year t, pipeline supply from replication q, or
 * the mean over replications when q < 0. */
as_alignment as_metrics_occupation(const as_results *r, size_t o, int t, int q);

/* 1 - sum_o |gap_o| / sum_o openings_o in year t, with the supply of
 * replication q, or with the mean supply over replications when q < 0 (not
 * the mean of the replications' indices: gaps of opposite sign in different
 * replications cancel).  NaN when there are no openings. */
double as_metrics_alignment_index(const as_results *r, int t, int q);

/* The band of a supply/demand ratio. */
int as_metrics_band(double ratio);

/* ---- selections: adding up the categories of one variable ---------------------------------------- */

/* Which categories of the variable's non-subgroup dimension to add up. */
enum as_pick {
    AS_PICK_ALL,       /* every category */
    AS_PICK_LABEL,     /* the category whose label is `label` (none when absent) */
    AS_PICK_PROGRAMS,  /* every pathway but the last, "none" (students in no program) */
    AS_PICK_LEVEL,     /* credentials of level `level` (enum as_level) */
    AS_PICK_FIELD      /* credentials whose field (as_metrics_credential_field) is `label` */
};

typedef struct as_selection {
    int var;                /* enum as_var_id */
    int pick;               /* enum as_pick */
    const char *label;      /* for AS_PICK_LABEL and AS_PICK_FIELD */
    int level;              /* for AS_PICK_LEVEL */
    const char *subgroup;   /* subgroup label; NULL means "all"; ignored without a subgroup dimension */
} as_selection;

/* Sum of the selected values.  A label or subgroup that r does not have
 * selects nothing (0): a program that a scenario lacks has no students. */
double as_metrics_sum(const as_results *r, const as_selection *s, int q, int t);

/* sum(num) / sum(den) (per replication, then averaged when q < 0).  NaN when
 * the denominator is 0. */
double as_metrics_rate(const as_results *r, const as_selection *num, const as_selection *den, int q, int t);

/* Index of label in dimension d, or -1. */
long as_metrics_find(const as_results *r, int d, const char *label);

/* ---- equity ------------------------------------------------------------------------------------------ */

enum as_equity_indicator {
    AS_EQ_PARTICIPATION,  /* student-years in a program / student-years in high school */
    AS_EQ_COMPLETION,     /* pathway completers / graduates */
    AS_EQ_CREDENTIAL,     /* graduates holding an industry credential / graduates */
    AS_EQ_COLLEGE_CREDIT, /* graduates with college credit / graduates */
    AS_EQ_DUAL,           /* student-years in dual enrollment / student-years in high school */
    AS_EQ_WBL,            /* work-based learning placements / student-years in high school */
    AS_EQ_COUNT
};
extern const char *const as_equity_names[AS_EQ_COUNT];  /* machine names, e.g. "completion" */
extern const char *const as_equity_words[AS_EQ_COUNT];  /* plain words for a chart or a caption */

/* Rate of indicator i (enum as_equity_indicator) for the subgroup at index g
 * of AS_D_SUBGROUP (0 is "all").  The equity gap of a subgroup is its rate
 * minus the rate of "all". */
double as_metrics_equity_rate(const as_results *r, int i, size_t g, int q, int t);

/* Representation ratio of subgroup g in program j (index in AS_D_PATHWAY):
 * (share of the program's student-years that are subgroup g) / (share of all
 * high-school student-years that are subgroup g).  1 is proportional, below 1
 * under-represented.  NaN when the program or the subgroup is empty. */
double as_metrics_representation(const as_results *r, size_t j, size_t g, int q, int t);

/* Share of graduates with a postsecondary experience (college credit earned in
 * high school, seed 003's accountability metric), for "all". */
double as_metrics_postsec_experience_share(const as_results *r, int q, int t);

/* ---- credentials ------------------------------------------------------------------------------------- */

/* The field of credential k: its career cluster (credential_field of the
 * results, e.g. "it") when it has one; otherwise the two-digit CIP series of
 * its code ("CIP 11" for 11.0901), "SOC 47" for an apprenticeship known by its
 * SOC code, or "" without a code.  Writes into buf (size bytes; a cluster id
 * longer than that is cut) and returns buf. */
const char *as_metrics_credential_field(const as_results *r, size_t k, char *buf, size_t size);

/* Credentials of level `level` (enum as_level) for "all". */
double as_metrics_credentials_by_level(const as_results *r, int level, int q, int t);

/* Credentials (every level) in field `field` for "all". */
double as_metrics_credentials_by_field(const as_results *r, const char *field, int q, int t);

/* ---- cost and earnings ------------------------------------------------------------------------------- */

/* Dollars of every cost item. */
double as_metrics_cost(const as_results *r, int q, int t);

/* Cost per seat-year of a cost item (enum as_cost_item): its dollars over the
 * participant-years that incur it: student-years in programs (pathways),
 * student-years in dual enrollment, work-based learning placements, industry
 * credentials earned (exams), postsecondary student-years, apprentice-years,
 * IET adult-years.  NaN without participants. */
double as_metrics_cost_per_seat(const as_results *r, int item, int q, int t);

/* Every cost over every credential awarded.  NaN without credentials. */
double as_metrics_cost_per_credential(const as_results *r, int q, int t);

/* (cost of proposal - cost of base) / (credentials of proposal - credentials
 * of base), replication by replication when q >= 0 (runs sharing seed and
 * replications), or the ratio of the mean differences when q < 0.  NaN when
 * the credentials do not change. */
double as_metrics_cost_per_additional_credential(const as_results *base, const as_results *proposal, int q, int t);

/* Annual earnings of the pipeline supply at median wages (dollars). */
double as_metrics_earnings(const as_results *r, int q, int t);

/* Earnings per worker of the pipeline supply (NaN without supply). */
double as_metrics_earnings_per_worker(const as_results *r, int q, int t);

#endif
