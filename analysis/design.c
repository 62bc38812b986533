/*
 * design.c - Saltelli, Morris, Latin hypercube and grid designs in [0, 1]^k.
 *
 * References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
 * S. Tarantola (2010), Variance based sensitivity analysis of model output,
 * Comput. Phys. Commun. 181:259-270 (the A, B, AB^(i) scheme);
 * M. D. Morris (1991), Factorial sampling plans for preliminary computational
 * experiments, Technometrics 33:161-174 (trajectories); M. D. McKay,
 * R. J. Beckman, W. J. Conover (1979), Technometrics 21:239-245 (LHS).
 */
#include "design.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_qrng.h>

#include "rng.h"

/* A uniform integer in [0, m) from 64 random bits (Lemire's multiply-shift;
 * the bias is below m / 2^64). */
static size_t below(uint32_t hi, uint32_t lo, size_t m)
{
    uint64_t bits = (uint64_t)hi << 32 | lo;
    return (size_t)(((unsigned __int128)bits * m) >> 64);
}

/* ---- Saltelli ---------------------------------------------------------------------------------- */

size_t as_design_saltelli_points(size_t n, size_t k)
{
    if (k == 0 || k > AS_DESIGN_SALTELLI_MAX_FACTORS || n == 0 || n > AS_DESIGN_SALTELLI_MAX_BLOCKS)
        return 0;
    return n * (k + 2);
}

int as_design_saltelli(size_t n, size_t k, double *x)
{
    if (as_design_saltelli_points(n, k) == 0 || !x)
        return -1;
    gsl_qrng *sobol = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!sobol)
        return -1;
    double ab[2 * AS_DESIGN_SALTELLI_MAX_FACTORS];
    int status = 0;
    for (size_t j = 0; j < n; j++) {
        if (gsl_qrng_get(sobol, ab) != 0) { /* exhausted: ruled out by the bound on n */
            status = -1;
            break;
        }
        const double *a = ab, *b = ab + k;
        double *block = x + j * (k + 2) * k;
        for (size_t c = 0; c < k; c++) {
            block[c] = a[c];
            block[k + c] = b[c];
        }
        for (size_t i = 0; i < k; i++) {
            double *row = block + (2 + i) * k;
            for (size_t c = 0; c < k; c++)
                row[c] = c == i ? b[c] : a[c];
        }
    }
    gsl_qrng_free(sobol);
    return status;
}

/* ---- Morris ------------------------------------------------------------------------------------ */

size_t as_design_morris_points(size_t r, size_t k)
{
    if (r == 0 || k == 0 || k > UINT32_MAX || r > SIZE_MAX / ((k + 1) * k))
        return 0;
    return r * (k + 1);
}

int as_design_morris(size_t r, size_t k, int levels, uint32_t seed, double *x)
{
    if (as_design_morris_points(r, k) == 0 || r > UINT32_MAX || k > UINT32_MAX || levels < 2 || levels % 2 != 0 ||
        !x)
        return -1;
    size_t *order = as_malloc(k * sizeof *order); /* order[s]: the factor that moves at step s */
    if (!order)
        return -1;
    /* delta is half the levels: level l has the partner l + p/2 for l < p/2 */
    const size_t half = (size_t)levels / 2;
    const double steps = (double)(levels - 1);
    for (size_t t = 0; t < r; t++) {
        double *start = x + t * (k + 1) * k, *end = start + k * k; /* rows 0 and k */
        for (size_t i = 0; i < k; i++) {
            as_draw d = as_rng_draw(seed, AS_DESIGN_MORRIS_KEY, (uint32_t)t, (uint32_t)i, 0, 0);
            size_t low = below(d.lane[0], 0, half);
            int up = d.lane[1] >> 31;
            /* levels as integer / (p - 1): the same level is the same double in every row */
            start[i] = (double)(up ? low : low + half) / steps;
            end[i] = (double)(up ? low + half : low) / steps;
            /* inside-out Fisher-Yates: factor i takes a random place among the first i + 1 */
            size_t place = below(d.lane[2], d.lane[3], i + 1);
            if (place != i)
                order[i] = order[place];
            order[place] = i;
        }
        for (size_t s = 1; s < k; s++) { /* row k is already every factor's end value */
            double *row = start + s * k;
            memcpy(row, row - k, k * sizeof *row);
            row[order[s - 1]] = end[order[s - 1]];
        }
    }
    free(order);
    return 0;
}

/* ---- Latin hypercube --------------------------------------------------------------------------- */

int as_design_lhs(size_t n, size_t k, uint32_t seed, double *x)
{
    if (n == 0 || k == 0 || n > UINT32_MAX || k > UINT32_MAX || n > SIZE_MAX / k || !x)
        return -1;
    for (size_t i = 0; i < k; i++)
        /* inside-out Fisher-Yates on column i: stratum j, with its point already placed inside it,
         * goes to a random row among the first j + 1, whose point moves to row j */
        for (size_t j = 0; j < n; j++) {
            as_draw d = as_rng_draw(seed, AS_DESIGN_LHS_KEY, (uint32_t)i, (uint32_t)j, 0, 0);
            size_t row = below(d.lane[2], d.lane[3], j + 1);
            if (row != j)
                x[j * k + i] = x[row * k + i];
            x[row * k + i] = ((double)j + as_u01(d.lane[0])) / (double)n;
        }
    return 0;
}

/* ---- full grid --------------------------------------------------------------------------------- */

size_t as_design_grid_points(size_t k, const int *levels)
{
    if (k == 0 || !levels)
        return 0;
    size_t points = 1;
    for (size_t i = 0; i < k; i++) {
        if (levels[i] < 1 || points > SIZE_MAX / (size_t)levels[i])
            return 0;
        points *= (size_t)levels[i];
    }
    return points > SIZE_MAX / k ? 0 : points;
}

int as_design_grid(size_t k, const int *levels, double *x)
{
    size_t points = as_design_grid_points(k, levels);
    if (points == 0 || !x)
        return -1;
    for (size_t p = 0; p < points; p++) {
        size_t rest = p; /* mixed radix, the last factor the lowest digit */
        for (size_t i = k; i-- > 0;) {
            size_t j = rest % (size_t)levels[i];
            rest /= (size_t)levels[i];
            x[p * k + i] = levels[i] == 1 ? 0.5 : (double)j / (double)(levels[i] - 1);
        }
    }
    return 0;
}
