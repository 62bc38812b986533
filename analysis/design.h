/*
 * design.h - experimental designs for sweeps: points in the unit cube
 * [0, 1]^k, one coordinate per factor (parameter).  The sweep maps each
 * coordinate to its parameter's range or distribution; nothing here knows
 * parameters, scenarios or the model.
 *
 * Every design is a row-major array x of points, k doubles a row, which the
 * caller allocates (the *_points functions give the row count) and owns.
 * Four designs:
 *   Saltelli  the scheme of Saltelli et al. (2010) on a Sobol' sequence, for
 *             first- and total-order Sobol' indices (analysis/sensitivity.h);
 *   Morris    r one-at-a-time trajectories on a p-level grid (Morris 1991),
 *             for elementary effects;
 *   LHS       a Latin hypercube;
 *   grid      the full factorial grid.
 *
 * Randomness (Morris, LHS) is keyed, never ambient: every draw is
 * as_rng_draw(seed, KEY, a, b, 0, 0) (model/rng.h) with a fixed KEY per
 * design (below) and (a, b) naming what the draw decides, so the same
 * arguments give the same design bit for bit on any machine, in any thread.
 * The Saltelli design is deterministic (a quasi-random sequence, no seed).
 *
 * Return values: 0, or -1 for bad arguments (then x is not written).
 * Saltelli allocates GSL's generator and Morris k indices, each freed before
 * it returns; an allocation that fails returns -1 too (GSL reports its own
 * through the error handler, which main turns off).
 * Pure functions of their arguments; thread-safe.
 */
#ifndef AS_DESIGN_H
#define AS_DESIGN_H

#include <stddef.h>
#include <stdint.h>

/* The designs' second key words ("MRIS", "LHS1"): apart from the engine's
 * small replication numbers, so a design never reuses a simulation's draws
 * of the same seed. */
#define AS_DESIGN_MORRIS_KEY 0x4d524953u
#define AS_DESIGN_LHS_KEY 0x4c485331u

/* GSL's Sobol' generator has 40 dimensions and the scheme takes 2k. */
#define AS_DESIGN_SALTELLI_MAX_FACTORS 20
/* GSL's Sobol' generator counts in 30 bits: it gives 2^30 - 1 points. */
#define AS_DESIGN_SALTELLI_MAX_BLOCKS (((size_t)1 << 30) - 1)

/*
 * The Saltelli (2010) scheme: n blocks for k factors.
 *
 * Point j of a 2k-dimensional Sobol' sequence (GSL's gsl_qrng_sobol, the
 * Gray-code construction of Antonov and Saleev 1979) gives two points: A_j
 * its first k coordinates and B_j its last k.  Block j (j < n) is k + 2
 * consecutive rows:
 *     A_j, B_j, AB_j^(1), ..., AB_j^(k)
 * where AB_j^(i) is A_j with coordinate i taken from B_j.  Row
 * j*(k+2) + 2 + i is therefore AB_j^(i+1) (i counted from 0).
 *
 * Nothing is skipped: GSL's sequence never emits the origin (its first point
 * is (1/2, ..., 1/2)), and no coordinate of any point is exactly 0 or 1, so
 * the sweep may map coordinates through quantile functions (a normal's
 * quantile is infinite at 0 and 1).  The first n' blocks of a design with n
 * blocks are the design with n' blocks, so the indices estimated from a
 * prefix show how they converge with the sample size.  (Because the origin
 * is not emitted, n = 2^m blocks are the sequence's points 1..2^m, not quite
 * its balanced net 0..2^m - 1; tests/test_sensitivity.c measures what the
 * estimates then reach.)
 *
 * x: as_design_saltelli_points(n, k) rows of k doubles.  Returns -1 when
 * k == 0, k > AS_DESIGN_SALTELLI_MAX_FACTORS, n == 0,
 * n > AS_DESIGN_SALTELLI_MAX_BLOCKS, or x is NULL.
 */
int as_design_saltelli(size_t n, size_t k, double *x);

/* n * (k + 2): the rows of the Saltelli design; 0 for arguments
 * as_design_saltelli refuses. */
size_t as_design_saltelli_points(size_t n, size_t k);

/*
 * Morris (1991) trajectories: r trajectories of k + 1 points on the grid of
 * `levels` (p) values {0, 1/(p-1), ..., 1} in each coordinate, p even.  The
 * step is delta = p / (2 (p - 1)) (half the levels apart), so every level
 * below 1 - delta has a partner delta above it and each level is equally
 * likely to appear.
 *
 * Trajectory t: each factor i gets a low level drawn uniformly from the p/2
 * levels in [0, 1 - delta], and a direction (up or down, each with
 * probability 1/2); it starts at the low level when it goes up and at
 * low + delta when it goes down.  The factors then move one at a time, in a
 * random order: row s + 1 is row s with one factor moved by +delta or
 * -delta.  Each factor moves exactly once per trajectory.  (The random
 * orientation matrix B* of Morris 1991, written out.)  Campolongo et al.
 * (2007)'s selection of spread-out trajectories is not done.
 *
 * Draws: as_rng_draw(seed, AS_DESIGN_MORRIS_KEY, t, i, 0, 0) for factor i
 * of trajectory t: lane 0 the low level ((lane * p/2) >> 32), the top bit
 * of lane 1 the direction (1: up), lanes 2 and 3 (64 bits) the inside-out
 * Fisher-Yates swap that places factor i in the order.
 *
 * x: as_design_morris_points(r, k) rows of k doubles, trajectory by
 * trajectory.  Returns -1 when r == 0, k == 0, r > UINT32_MAX,
 * k > UINT32_MAX, levels is odd or below 2, or x is NULL.
 */
int as_design_morris(size_t r, size_t k, int levels, uint32_t seed, double *x);

/* r * (k + 1): the rows of the Morris design; 0 for r == 0, k == 0,
 * k > UINT32_MAX or overflow. */
size_t as_design_morris_points(size_t r, size_t k);

/*
 * A Latin hypercube of n points in k factors: in each column the n points
 * fall one in each stratum [s/n, (s+1)/n), the strata assigned to points by
 * a random permutation (Fisher-Yates) drawn for each column independently,
 * each point uniform inside its stratum.
 *
 * Draws: as_rng_draw(seed, AS_DESIGN_LHS_KEY, i, j, 0, 0) for stratum j of
 * column i: lane 0 the point's position inside the stratum (as_u01), lanes
 * 2 and 3 (64 bits) the row it takes in the inside-out Fisher-Yates
 * shuffle of column i.  For n up to 2^20 no coordinate is 0 or 1: as_u01 is
 * neither, and (stratum + u) / n is exact enough to stay below 1.
 *
 * x: n rows of k doubles.  Returns -1 when n == 0, k == 0, n or k above
 * UINT32_MAX, or x is NULL.
 */
int as_design_lhs(size_t n, size_t k, uint32_t seed, double *x);

/*
 * The full factorial grid: factor i takes levels[i] values, j / (L - 1) for
 * j = 0, ..., L - 1 when L = levels[i] >= 2 (both ends of the range), and the
 * middle 0.5 when L == 1.  Rows run through every combination with the last
 * factor varying fastest, so row 0 is the all-low corner and the last row
 * the all-high corner.
 *
 * as_design_grid_points: the product of the levels, or 0 when k == 0,
 * levels is NULL, a level count is below 1, or the product (times k)
 * overflows.  as_design_grid writes that many rows of k doubles into x;
 * returns -1 where as_design_grid_points gives 0, or x is NULL.
 */
size_t as_design_grid_points(size_t k, const int *levels);
int as_design_grid(size_t k, const int *levels, double *x);

#endif
