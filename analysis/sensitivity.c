/*
 * sensitivity.c - Sobol' indices (Saltelli et al. 2010; Jansen 1999) with
 * bootstrap percentile intervals, and Morris (1991) elementary effects.
 *
 * The estimates are plain sums over blocks in block order, so one set of
 * values gives one answer; the bootstrap's picks come from keyed draws, so
 * the intervals are as reproducible as the estimates.
 */
#include "sensitivity.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "rng.h"

/* ---- Sobol' ------------------------------------------------------------------------------------ */

static void sobol_nan(as_sobol_index *out, size_t k)
{
    for (size_t i = 0; out && i < k; i++)
        out[i] = (as_sobol_index){NAN, NAN, NAN, NAN, NAN, NAN};
}

/*
 * S1[i] and ST[i] from the blocks pick[0..n) of y (pick NULL: blocks 0..n-1,
 * each once).  Returns 0, or -1 when their variance is not above 0 (S1 and
 * ST untouched).
 */
static int sobol_estimate(const double *y, size_t n, size_t k, const uint32_t *pick, double *S1, double *ST)
{
    const size_t stride = k + 2;
    /* two passes: the variance of values that are almost equal stays exact */
    double sum = 0;
    for (size_t j = 0; j < n; j++) {
        const double *block = y + (pick ? pick[j] : j) * stride;
        sum += block[0] + block[1];
    }
    const double f0 = sum / (double)(2 * n);
    double ss = 0;
    for (size_t j = 0; j < n; j++) {
        const double *block = y + (pick ? pick[j] : j) * stride;
        ss += (block[0] - f0) * (block[0] - f0) + (block[1] - f0) * (block[1] - f0);
    }
    const double variance = ss / (double)(2 * n - 1);
    if (!(variance > 0))
        return -1;
    for (size_t i = 0; i < k; i++)
        S1[i] = ST[i] = 0;
    for (size_t j = 0; j < n; j++) {
        const double *block = y + (pick ? pick[j] : j) * stride;
        const double fa = block[0], fb = block[1] - f0;
        for (size_t i = 0; i < k; i++) {
            const double fab = block[2 + i];
            S1[i] += fb * (fab - fa);           /* Saltelli et al. 2010, table 2 (b) */
            ST[i] += (fa - fab) * (fa - fab);   /* Jansen 1999; table 2 (f) */
        }
    }
    for (size_t i = 0; i < k; i++) {
        S1[i] /= (double)n * variance;
        ST[i] /= 2.0 * (double)n * variance;
    }
    return 0;
}

/* The percentile interval of the finite values among sample[0..m) (sorted in
 * place); NaN ends when none is finite. */
static void percentile_interval(double *sample, size_t m, double *lo, double *hi)
{
    size_t finite = 0;
    for (size_t b = 0; b < m; b++)
        if (isfinite(sample[b]))
            sample[finite++] = sample[b];
    if (finite == 0) {
        *lo = *hi = NAN;
        return;
    }
    gsl_sort(sample, 1, finite);
    const double tail = (1 - AS_SOBOL_CI_LEVEL) / 2;
    *lo = gsl_stats_quantile_from_sorted_data(sample, 1, finite, tail);
    *hi = gsl_stats_quantile_from_sorted_data(sample, 1, finite, 1 - tail);
}

/* A uniform block number in [0, n) from 64 random bits (multiply-shift; the
 * bias is below n / 2^64). */
static uint32_t pick_block(uint32_t hi, uint32_t lo, size_t n)
{
    uint64_t bits = (uint64_t)hi << 32 | lo;
    return (uint32_t)(((unsigned __int128)bits * n) >> 64);
}

int as_sobol_indices(const double *y, size_t n, size_t k, size_t n_boot, uint32_t seed, as_sobol_index *out)
{
    if (!out || k == 0)
        return -1;
    sobol_nan(out, k);
    if (!y || n < 2 || n > UINT32_MAX || n_boot > UINT32_MAX || k + 2 > SIZE_MAX / n ||
        k > SIZE_MAX / (n_boot + 2) / 2)
        return -1;
    for (size_t v = 0; v < n * (k + 2); v++)
        if (!isfinite(y[v]))
            return -1;

    /* sample[(2 i) n_boot + b] is resample b's S1_i, sample[(2 i + 1) n_boot + b] its ST_i; the last
     * 2 k entries hold one estimate (all blocks, then each resample) before it is filed */
    double *sample = as_malloc((2 * k * n_boot + 2 * k) * sizeof *sample);
    uint32_t *pick = n_boot ? as_malloc(n * sizeof *pick) : NULL;
    int status = -2;
    if (!sample || (n_boot && !pick))
        goto cleanup;
    double *S1 = sample + 2 * k * n_boot, *ST = S1 + k;
    status = sobol_estimate(y, n, k, NULL, S1, ST);
    if (status != 0)
        goto cleanup;
    for (size_t i = 0; i < k; i++) {
        out[i].S1 = S1[i];
        out[i].ST = ST[i];
    }
    if (n_boot == 0)
        goto cleanup;

    for (size_t b = 0; b < n_boot; b++) {
        for (size_t m = 0; 2 * m < n; m++) { /* picks 2m and 2m + 1 from one draw */
            as_draw d = as_rng_draw(seed, AS_SENSITIVITY_BOOT_KEY, (uint32_t)b, (uint32_t)m, 0, 0);
            pick[2 * m] = pick_block(d.lane[0], d.lane[1], n);
            if (2 * m + 1 < n)
                pick[2 * m + 1] = pick_block(d.lane[2], d.lane[3], n);
        }
        if (sobol_estimate(y, n, k, pick, S1, ST) != 0)
            for (size_t i = 0; i < k; i++)
                S1[i] = ST[i] = NAN;
        for (size_t i = 0; i < k; i++) {
            sample[2 * i * n_boot + b] = S1[i];
            sample[(2 * i + 1) * n_boot + b] = ST[i];
        }
    }
    for (size_t i = 0; i < k; i++) {
        percentile_interval(sample + 2 * i * n_boot, n_boot, &out[i].S1_lo, &out[i].S1_hi);
        percentile_interval(sample + (2 * i + 1) * n_boot, n_boot, &out[i].ST_lo, &out[i].ST_hi);
    }
    status = 0;

cleanup:
    if (status != 0)
        sobol_nan(out, k);
    free(pick);
    free(sample);
    return status;
}

/* ---- Morris ------------------------------------------------------------------------------------ */

static void morris_nan(as_morris_index *out, size_t k)
{
    for (size_t i = 0; out && i < k; i++)
        out[i] = (as_morris_index){NAN, NAN, NAN};
}

/* The factor in which rows a and b (k each) differ, or k when they differ in
 * none or in several. */
static size_t changed_factor(const double *a, const double *b, size_t k)
{
    size_t changed = k;
    for (size_t c = 0; c < k; c++)
        if (a[c] != b[c]) {
            if (changed != k)
                return k;
            changed = c;
        }
    return changed;
}

int as_morris_indices(const double *y, const double *x, size_t r, size_t k, as_morris_index *out)
{
    if (!out || k == 0)
        return -1;
    morris_nan(out, k);
    if (!y || !x || r == 0 || k + 1 > SIZE_MAX / k || r > SIZE_MAX / ((k + 1) * k))
        return -1;
    for (size_t v = 0; v < r * (k + 1); v++)
        if (!isfinite(y[v]))
            return -1;
    for (size_t v = 0; v < r * (k + 1) * k; v++)
        if (!isfinite(x[v]))
            return -1;

    double *effect = as_malloc(r * k * sizeof *effect); /* effect[t k + i]: trajectory t's EE of factor i */
    if (!effect)
        return -2;
    int status = -1;
    for (size_t e = 0; e < r * k; e++)
        effect[e] = NAN; /* not yet seen: every value of y and x is finite, so every effect is */
    for (size_t t = 0; t < r; t++) {
        const double *rows = x + t * (k + 1) * k, *values = y + t * (k + 1);
        for (size_t s = 0; s < k; s++) {
            const double *before = rows + s * k, *after = before + k;
            size_t i = changed_factor(before, after, k);
            if (i == k || !isnan(effect[t * k + i]))
                goto cleanup;
            effect[t * k + i] = (values[s + 1] - values[s]) / (after[i] - before[i]);
        }
    }
    /* k steps, each a different factor: every effect is filled */
    for (size_t i = 0; i < k; i++) {
        double sum = 0, sum_abs = 0;
        for (size_t t = 0; t < r; t++) {
            sum += effect[t * k + i];
            sum_abs += fabs(effect[t * k + i]);
        }
        const double mu = sum / (double)r;
        double ss = 0; /* two passes, as in analysis/stats.c */
        for (size_t t = 0; t < r; t++)
            ss += (effect[t * k + i] - mu) * (effect[t * k + i] - mu);
        out[i] = (as_morris_index){sum_abs / (double)r, mu, r > 1 ? sqrt(ss / (double)(r - 1)) : NAN};
    }
    status = 0;

cleanup:
    if (status != 0)
        morris_nan(out, k);
    free(effect);
    return status;
}
