/*
 * sweep_file.h - sweep files: which scenario keys vary, over what ranges,
 * by which design, and which outputs to record (docs/sweeps.md).
 *
 * A sweep file is a JSON object, checked as strictly as a scenario: an
 * unknown key, a wrong type or an impossible range is an error naming the
 * file and the JSON path.  Keys:
 *   name (required), description, sources   text
 *   scenario    the base scenario, relative to the sweep file's folder; or
 *   model       {"function": "ishigami", "a": 7, "b": 0.1} or
 *               {"function": "sobol_g", "a": [0, 1, 4.5, ...]}: an analytic
 *               test function of parameters x1..xk instead of a scenario
 *   set         {PATH: value}: fixed overrides of the base scenario
 *   replications, seed   per point (default: the scenario's)
 *   parameters  {PATH or PATTERN: {DISTRIBUTION, "scale": bool, "from_year": Y}}
 *               DISTRIBUTION is one of "uniform": [lo, hi], "normal":
 *               [mean, sd], "triangular": [lo, mode, hi], "levels": [v, ...]
 *   design      {"method": "grid"|"lhs"|"morris"|"saltelli", "n", "levels",
 *               "trajectories", "seed"}
 *   outputs     [metric path, ...] (analysis/metric_path.h)
 *
 * Owns: as_sweep and everything in it.  Read-only once loaded.
 */
#ifndef AS_SWEEP_FILE_H
#define AS_SWEEP_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

enum as_dist { AS_DIST_UNIFORM, AS_DIST_NORMAL, AS_DIST_TRIANGULAR, AS_DIST_LEVELS, AS_DIST_COUNT };
enum as_design_method { AS_DESIGN_GRID, AS_DESIGN_LHS, AS_DESIGN_MORRIS, AS_DESIGN_SALTELLI, AS_DESIGN_COUNT };
enum as_sweep_model { AS_MODEL_SCENARIO, AS_MODEL_ISHIGAMI, AS_MODEL_SOBOL_G };

extern const char *const as_dist_names[AS_DIST_COUNT];
extern const char *const as_design_names[AS_DESIGN_COUNT];

typedef struct as_sweep_param {
    char *name;          /* the path or pattern as written ("programs.*.apply_rate") */
    int dist;            /* enum as_dist */
    double arg[3];       /* uniform lo, hi; normal mean, sd; triangular lo, mode, hi */
    double *levels;      /* AS_DIST_LEVELS */
    size_t n_levels;
    int scale;           /* 1: the value multiplies the base value of every key it names */
    int from_year;       /* 0: every year; else the value holds from this calendar year on */
} as_sweep_param;

typedef struct as_sweep {
    char *path;          /* the sweep file */
    char *text;          /* its text as read (provenance; --resume checks it) */
    char *name;
    int model;           /* enum as_sweep_model */
    char *scenario;      /* AS_MODEL_SCENARIO: the base scenario's path, resolved */
    double model_a, model_b;  /* Ishigami a, b */
    double *g_a;         /* Sobol G a_i */
    size_t n_g;
    char **sets;         /* "PATH=JSON" overrides, from "set", "replications", "seed" */
    int n_sets;
    int replications;    /* 0: the scenario's */
    as_sweep_param *params;
    size_t n_params;
    int method;          /* enum as_design_method */
    size_t n;            /* lhs: points; saltelli: base sample size */
    int levels;          /* grid: levels per factor; morris: grid levels */
    size_t trajectories; /* morris */
    uint32_t design_seed;
    char **outputs;
    size_t n_outputs;
} as_sweep;

/* Loads and checks a sweep file; every problem at once, as "FILE: path:
 * what is wrong (got X, expected Y)".  Metric paths and scenario keys are
 * checked later, against the scenario (as_sweep_run).  Returns AS_OK and
 * *out, or a status with *out = NULL. */
int as_sweep_load(const char *path, as_sweep **out, as_error *err);
void as_sweep_free(as_sweep *sw);

/* The value of parameter p at unit coordinate u in [0, 1]: uniform and
 * triangular by their inverse distribution functions, normal by its
 * quantile with u clipped to [0.001, 0.999] (mean -/+ 3.09 sd), levels by
 * the level floor(u L) (the last for u = 1). */
double as_sweep_value(const as_sweep_param *p, double u);

/* Number of points of the sweep's design for k = n_params. */
size_t as_sweep_points(const as_sweep *sw);

#endif
