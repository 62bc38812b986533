/*
 * sensitivity.h - which factors drive an output: Sobol' first- and
 * total-order indices with bootstrap intervals, and Morris elementary
 * effects, from an output evaluated on the designs of analysis/design.h.
 *
 * The caller evaluates the model (the sweep: one value per design point,
 * e.g. the mean over a point's replications) and passes the values in the
 * design's row order; nothing here knows parameters, files or the model.
 * The sweep's share of variance that is simulation noise (from the
 * replications) is the sweep's to report, beside these indices.
 *
 * Randomness (the bootstrap) is keyed, never ambient: picks 2m and 2m + 1 of
 * resample b come from as_rng_draw(seed, AS_SENSITIVITY_BOOT_KEY, b, m, 0, 0)
 * (model/rng.h; lanes 0-1 and 2-3, each 64 bits taken to a block number by
 * multiply-shift: (bits * n) >> 64), so the same arguments give the same
 * intervals bit for bit on any machine and thread count.
 *
 * Return values: 0; -1 for bad arguments or nothing to estimate (then every
 * index is NaN); -2 when memory runs out (indices NaN).
 * Owns nothing past a call (scratch is freed before it returns).  Pure
 * functions of their arguments; thread-safe.
 */
#ifndef AS_SENSITIVITY_H
#define AS_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

/* The second key word of the bootstrap's draws ("BOOT"): apart from the
 * engine's small replication numbers, so the bootstrap never reuses a
 * simulation's draws of the same seed. */
#define AS_SENSITIVITY_BOOT_KEY 0x424f4f54u

/* The level of the bootstrap intervals: the 2.5% and 97.5% percentiles. */
#define AS_SOBOL_CI_LEVEL 0.95

typedef struct as_sobol_index {
    double S1, S1_lo, S1_hi;   /* first order: the share of variance from the factor alone */
    double ST, ST_lo, ST_hi;   /* total order: alone and in every interaction */
} as_sobol_index;

/*
 * Sobol' indices of k factors from y, the output on as_design_saltelli(n, k)'s
 * points in its order: block j is y[j*(k+2) ..], the values f(A_j), f(B_j),
 * f(AB_j^(1)), ..., f(AB_j^(k)).  Passing the first n' < n blocks (same y,
 * smaller n) gives the indices at sample size n', for the convergence view.
 *
 * Estimators, with V the sample variance (divisor 2n - 1) of the 2n values
 * f(A_j), f(B_j) and f0 their mean:
 *   first order  S1_i = mean_j (f(B_j) - f0) (f(AB_j^(i)) - f(A_j)) / V
 *                (Saltelli et al. 2010, Comput. Phys. Commun. 181:259,
 *                table 2 (b));
 *   total order  ST_i = mean_j (f(A_j) - f(AB_j^(i)))^2 / (2 V)
 *                (Jansen 1999, Comput. Phys. Commun. 117:35; table 2 (f)).
 * Centring f(B) on f0 leaves the estimator's limit unchanged (the mean of
 * f(AB^(i)) - f(A) tends to 0) and keeps its variance from growing with the
 * output's mean: a sweep's outputs are counts in the thousands that move by
 * a few percent, and uncentred the estimate would drown in f0^2.
 * Estimates are not clipped: a small index may come out slightly negative,
 * and ST_i slightly below S1_i.
 *
 * Intervals: the 95% bootstrap percentile intervals from n_boot resamples
 * of the n blocks with replacement (a block keeps its k + 2 values
 * together); each resample re-estimates V and f0.  A resample whose V is 0
 * (possible for tiny n) is left out.  The percentiles are GSL's
 * (gsl_stats_quantile_from_sorted_data: linear between order statistics).
 * n_boot == 0: no intervals (lo, hi NaN), return 0.  The bootstrap treats
 * blocks as independent; the quasi-random design is more even than that,
 * so the intervals are, if anything, wide.
 *
 * out: k entries.  Returns -1 when y or out is NULL, k == 0, n < 2,
 * n > UINT32_MAX, n_boot > UINT32_MAX, a value of y is not finite, or V is 0
 * (the output did not vary: no shares to give); every field is then NaN
 * (out NULL or k == 0: nothing written).  Returns -2 when the scratch
 * (2 k (n_boot + 1) doubles and n block numbers) cannot be allocated.
 * Cost: O(n k) for the estimates and O(n_boot n k) for the intervals.
 */
int as_sobol_indices(const double *y, size_t n, size_t k, size_t n_boot, uint32_t seed, as_sobol_index *out);

typedef struct as_morris_index {
    double mu_star;  /* mean |elementary effect|: the factor's importance */
    double mu;       /* mean elementary effect: effects of opposite sign cancel */
    double sigma;    /* sample sd of the effects (divisor r - 1): interaction or nonlinearity; NaN when r == 1 */
} as_morris_index;

/*
 * Morris (1991, Technometrics 33:161) elementary effects from y, the output
 * on the points x of r trajectories of k + 1 points each (as_design_morris's
 * layout: x has r (k + 1) rows of k, y one value per row).  In each step of
 * a trajectory the factor i that changed and its signed step delta are read
 * from x, and the effect is EE = (y_{s+1} - y_s) / delta; every factor must
 * change exactly once per trajectory.  Reading delta from x keeps the
 * effects exact on whatever grid made the design.  Campolongo et al. (2007,
 * Environ. Model. Softw. 22:1509) recommend mu_star over mu for ranking,
 * since mu lets effects of opposite sign cancel.
 *
 * out: k entries.  Returns -1 when y, x or out is NULL, r == 0, k == 0, a
 * value of y or x is not finite, or x is not a set of trajectories (a step
 * changes no factor or several, or a factor changes twice in a trajectory);
 * every field is then NaN (out NULL or k == 0: nothing written).  Returns
 * -2 when the r k effects cannot be allocated.
 */
int as_morris_indices(const double *y, const double *x, size_t r, size_t k, as_morris_index *out);

#endif
