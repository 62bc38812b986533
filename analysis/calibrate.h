/*
 * calibrate.h - fitting a scenario's free parameters to observed targets
 * (alignsim calibrate; docs/model.md, section 9).
 *
 * Simulated method of moments: the parameters theta minimise
 *     Q(theta) = sum_t ((m_t(theta) - y_t) / s_t)^2
 * where m_t is target t's metric averaged over the scenario's replications,
 * y_t the observed value and s_t its standard error.  Every evaluation runs
 * with the scenario's seed (common random numbers), so Q moves with theta,
 * not with the noise.  GSL's Nelder-Mead simplex (gsl_multimin
 * nmsimplex2) searches z = logit((theta - lo) / (hi - lo)), which keeps
 * theta inside its bounds.  Standard errors: (J'J)^-1 (1 + 1/R), J the
 * Jacobian of (m_t / s_t) in theta by central differences of 2% of each
 * range at the optimum, R the replications (the usual SMM correction for
 * simulation noise).  Evaluations run the sweep machinery (analysis/sweep.h)
 * with the engine's threads.
 *
 * Refusals (AS_EINPUT, each naming the key): no calibration block, a target
 * with neither or both of se and tolerance, more free parameters than
 * targets, a parameter that moves no target between its bounds or none near
 * the fit (a flat objective: the targets do not inform it), a target that the model cannot bring within 2 standard errors
 * inside the bounds.  Not converging within max_evaluations is AS_EINTERNAL.
 */
#ifndef AS_CALIBRATE_H
#define AS_CALIBRATE_H

#include <stdio.h>
#include "error.h"

typedef struct as_cal_options {
    int threads;            /* engine threads (0: OpenMP's default) */
    int max_evaluations;    /* 0: the scenario's calibration.max_evaluations */
    int progress;           /* a progress line on stderr */
} as_cal_options;

typedef struct as_cal_result {
    size_t k, n_targets;
    int replications, evaluations, converged;
    double objective;
    char **param_ids, **param_paths, **target_ids, **target_metrics;
    double *theta, *theta_se, *lo, *hi;           /* [k] */
    int *scale;                                   /* [k] */
    double *observed, *se, *sim, *sim_lo, *sim_hi, *z;  /* [n_targets] */
    char *sets;              /* "PATH=JSON" lines of the fitted scenario */
    char *scenario_name, *scenario_sources;
} as_cal_result;

/* Fits the scenario at path (with --set overrides sets) to its calibration
 * block.  On AS_OK *r holds the fit; on a refusal *r may still hold the fit
 * so far (r->theta non-NULL) for the caller to show.  Free with
 * as_cal_result_free either way. */
int as_calibrate(const char *path, const char *const *sets, int n_sets, const as_cal_options *opt, as_cal_result *r,
                 as_error *err);
void as_cal_result_free(as_cal_result *r);

/* The fit table (targets: observed, simulated with its 95% interval over
 * replications, standardized distance) and the parameters with standard
 * errors, as text. */
void as_cal_write_table(FILE *f, const as_cal_result *r);

#endif
