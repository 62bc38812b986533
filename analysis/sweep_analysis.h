/*
 * sweep_analysis.h - sensitivity of a sweep's outputs (alignsim sensitivity):
 * Sobol' indices with bootstrap intervals and their convergence with the
 * sample size (Saltelli designs), or Morris mu*, mu and sigma (Morris
 * designs), computed on each point's mean over its replications
 * (analysis/sensitivity.h), with the share of the output's variance across
 * points that is simulation noise beside them.
 *
 * Noise share: the replications of a point differ only by their random
 * streams, so the variance of a point's mean that is noise is s_p^2 / R
 * (s_p^2 the sample variance of its R replications); the share is the mean
 * of s_p^2 / R over points divided by the variance of the point means.
 * Near 0: the indices measure the parameters; near 1: mostly noise (add
 * replications).  NaN with one replication.
 *
 * Pure functions of the sweep's data; thread-safe.
 */
#ifndef AS_SWEEP_ANALYSIS_H
#define AS_SWEEP_ANALYSIS_H

#include <stdio.h>
#include "error.h"
#include "h5sweep.h"
#include "sensitivity.h"

enum as_sens_method { AS_SENS_SOBOL, AS_SENS_MORRIS };
enum { AS_SENS_MAX_STEPS = 6 };  /* sample sizes of the convergence view */

typedef struct as_sens {
    const char *output;          /* points into the sweep data */
    int method;
    size_t n;                    /* Sobol: base sample size; Morris: trajectories */
    size_t k;
    double noise_share;
    double mean, sd;             /* of the point means */
    as_sobol_index *sobol;       /* [k] */
    as_morris_index *morris;     /* [k] */
    size_t n_steps, step_n[AS_SENS_MAX_STEPS];
    as_sobol_index *steps;       /* [n_steps][k]: Sobol at the prefix sample sizes */
    size_t *rank;                /* [k]: parameters by ST (Sobol) or mu* (Morris), largest first */
} as_sens;

/* The method a design supports ("saltelli" -> Sobol, "morris" -> Morris), or -1. */
int as_sens_method_of(const char *design);

/* Sensitivity of output o of d by method (as_sens_method_of(d->design)
 * unless the caller asks for it and the design supports it); n_boot
 * bootstrap resamples keyed by seed.  AS_EINPUT (naming `file`) when the
 * design does not support the method, a point has not run, or the output
 * does not vary. */
int as_sens_compute(const as_sweep_data *d, size_t o, int method, size_t n_boot, uint32_t seed, const char *file,
                    as_sens *s, as_error *err);
void as_sens_free(as_sens *s);

/* A ranked table (and the convergence view) as text. */
void as_sens_write_text(FILE *f, const as_sens *s, char *const *names);

/* The JSON object {"output", "method", "n", "noise_share", "parameters":
 * [{"name", "S1", "S1_ci", "ST", "ST_ci"} or {"name", "mu_star", "mu",
 * "sigma"}], "convergence"}, in rank order; free with cJSON_Delete. */
struct cJSON *as_sens_json(const as_sens *s, char *const *names);

#endif
