/*
 * metric_path.h - one number of a run named by a path, for sweeps: the
 * outputs a sweep file records ("gap.occupation[47-2111].year[2030]").
 *
 *   NAME ( "." DIMENSION "[" LABEL "]" )*
 *
 * NAME is a results variable (docs/results-format.md: graduates, credentials,
 * supply, ...) or a derived measure of the labor market:
 *   openings, other_supply   (year, occupation)
 *   gap          openings - pipeline supply - other supply
 *   ratio        (pipeline supply + other supply) / openings
 *   pipeline_share  pipeline supply / openings
 *   alignment_index  1 - sum |gap| / sum openings over occupations (needs a year)
 * DIMENSION is one of the variable's dimensions (occupation, pathway,
 * credential, subgroup, ...) with a category label, or "year" with a
 * calendar year.  A dimension left out is summed over (years too: the whole
 * run), except subgroup, which is "all" unless named; the derived measures
 * are formed from the sums.
 *
 * Pure functions of an as_results; thread-safe.
 */
#ifndef AS_METRIC_PATH_H
#define AS_METRIC_PATH_H

#include "error.h"
#include "results.h"

enum as_metric_kind { AS_MK_VAR, AS_MK_OPENINGS, AS_MK_OTHER, AS_MK_GAP, AS_MK_RATIO, AS_MK_SHARE, AS_MK_ALIGNMENT };

typedef struct as_metric {
    int kind;        /* enum as_metric_kind */
    int var;         /* AS_MK_VAR: enum as_var_id */
    int t;           /* year index, or -1: every year */
    long pick[2];    /* AS_MK_VAR: category of each dimension, or -1: all */
    long occupation; /* labor-market measures: occupation index, or -1: all */
} as_metric;

/* Parses text against r's dimensions and labels into *m.  AS_EINPUT in err
 * (naming `where`, then the path) for an unknown name, dimension, label or
 * year, a dimension the measure does not have, or alignment_index without a
 * year. */
int as_metric_parse(const as_results *r, const char *text, const char *where, as_metric *m, as_error *err);

/* The value of m in replication q. */
double as_metric_value(const as_results *r, const as_metric *m, int q);

#endif
