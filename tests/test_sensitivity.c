/*
 * test_sensitivity.c - the designs of analysis/design.h and the estimators of
 * analysis/sensitivity.h, on the standard analytic test functions whose
 * indices are known in closed form:
 *   Ishigami (Ishigami and Homma 1990), a = 7, b = 0.1, x_i ~ U(-pi, pi);
 *   Sobol' G (Saltelli and Sobol' 1995), a = (0, 1, 4.5, 9, 99, 99, 99, 99),
 *   x_i ~ U(0, 1);
 *   a linear function, whose elementary effects are its coefficients.
 * The expected indices are derived in the test from the closed forms, not
 * typed in rounded.  Design properties are checked point by point, and the
 * Saltelli design against GSL's Sobol' generator read directly (a naive twin).
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_qrng.h>

#include "design.h"
#include "rng.h"
#include "sensitivity.h"

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. */
#define assert_close(got, want, eps) close_to((got), (want), (eps), #got, __FILE__, __LINE__)
static void close_to(double got, double want, double eps, const char *what, const char *file, int line)
{
    if (!(fabs(got - want) <= eps)) {
        print_error("%s = %.17g is not within %g of %.17g\n", what, got, eps, want);
        _fail(file, line);
    }
}

/* The tolerance on every estimated index. */
#define INDEX_TOLERANCE 0.02

/* ---- the test functions ------------------------------------------------------------------------ */

typedef double (*model_fn)(const double *u, size_t k);

/* Ishigami: u in [0, 1]^3 mapped to x in [-pi, pi]^3. */
#define ISHIGAMI_A 7.0
#define ISHIGAMI_B 0.1
static double ishigami(const double *u, size_t k)
{
    (void)k;
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    return sin(x1) + ISHIGAMI_A * sin(x2) * sin(x2) + ISHIGAMI_B * pow(x3, 4) * sin(x1);
}

/* The closed form: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2,
 * V2 = a^2/8, V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50), no other interaction. */
static void ishigami_indices(double S1[3], double ST[3])
{
    const double a = ISHIGAMI_A, b = ISHIGAMI_B, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    const double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    const double V1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), V2 = a * a / 8;
    const double V13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    S1[0] = V1 / V, S1[1] = V2 / V, S1[2] = 0;
    ST[0] = (V1 + V13) / V, ST[1] = V2 / V, ST[2] = V13 / V;
}

#define G_FACTORS 8
static const double g_a[G_FACTORS] = {0, 1, 4.5, 9, 99, 99, 99, 99};
static double sobol_g(const double *u, size_t k)
{
    double g = 1;
    for (size_t i = 0; i < k; i++)
        g *= (fabs(4 * u[i] - 2) + g_a[i]) / (1 + g_a[i]);
    return g;
}

/* V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, S1_i = V_i / V, ST_i = V_i prod_{j != i} (1 + V_j) / V. */
static void sobol_g_indices(double S1[G_FACTORS], double ST[G_FACTORS])
{
    double Vi[G_FACTORS], all = 1;
    for (size_t i = 0; i < G_FACTORS; i++) {
        Vi[i] = 1 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
        all *= 1 + Vi[i];
    }
    for (size_t i = 0; i < G_FACTORS; i++) {
        S1[i] = Vi[i] / (all - 1);
        ST[i] = Vi[i] * (all / (1 + Vi[i])) / (all - 1);
    }
}

static const double linear_c[] = {2, -3, 0.5, 0, 7};
static double linear(const double *u, size_t k)
{
    double y = 0;
    for (size_t i = 0; i < k; i++)
        y += linear_c[i] * u[i];
    return y;
}

/* y[p] = f(x row p) for the rows of a design. */
static double *evaluate(model_fn f, const double *x, size_t points, size_t k)
{
    double *y = malloc(points * sizeof *y);
    assert_non_null(y);
    for (size_t p = 0; p < points; p++)
        y[p] = f(x + p * k, k);
    return y;
}

/* The output of f on the Saltelli design of n blocks. */
static double *saltelli_outputs(model_fn f, size_t n, size_t k)
{
    size_t points = as_design_saltelli_points(n, k);
    double *x = malloc(points * k * sizeof *x);
    assert_non_null(x);
    assert_int_equal(as_design_saltelli(n, k, x), 0);
    double *y = evaluate(f, x, points, k);
    free(x);
    return y;
}

/* ---- designs ----------------------------------------------------------------------------------- */

static void test_saltelli_layout(void **state)
{
    (void)state;
    enum { N = 256, K = 5 };
    static double x[N * (K + 2) * K], prefix[32 * (K + 2) * K];
    assert_int_equal(as_design_saltelli_points(N, K), N * (K + 2));
    assert_int_equal(as_design_saltelli(N, K, x), 0);
    /* A_j and B_j are GSL's 2K-dimensional Sobol' point j, read directly: nothing skipped */
    gsl_qrng *sobol = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
    assert_non_null(sobol);
    for (size_t j = 0; j < N; j++) {
        double ab[2 * K];
        assert_int_equal(gsl_qrng_get(sobol, ab), 0);
        const double *block = x + j * (K + 2) * K, *a = block, *b = block + K;
        for (size_t c = 0; c < K; c++) {
            assert_true(a[c] == ab[c]);
            assert_true(b[c] == ab[K + c]);
        }
        /* AB^(i) is A with coordinate i from B */
        for (size_t i = 0; i < K; i++)
            for (size_t c = 0; c < K; c++)
                assert_true(block[(2 + i) * K + c] == (c == i ? b[c] : a[c]));
    }
    gsl_qrng_free(sobol);
    /* no coordinate is 0 or 1 (quantile functions are safe); the first block is the centre */
    for (size_t v = 0; v < N * (K + 2) * K; v++)
        assert_true(x[v] > 0 && x[v] < 1);
    for (size_t v = 0; v < (K + 2) * K; v++)
        assert_true(x[v] == 0.5);
    /* A and B differ after the first block */
    assert_true(x[(K + 2) * K] != x[(K + 2) * K + K]);
    /* a prefix of whole blocks is the smaller design */
    assert_int_equal(as_design_saltelli(32, K, prefix), 0);
    assert_memory_equal(prefix, x, sizeof prefix);
}

static void test_saltelli_bad_arguments(void **state)
{
    (void)state;
    double x[8];
    const size_t too_many = AS_DESIGN_SALTELLI_MAX_FACTORS + 1, too_long = AS_DESIGN_SALTELLI_MAX_BLOCKS + 1;
    assert_int_equal(as_design_saltelli(4, 0, x), -1);
    assert_int_equal(as_design_saltelli(0, 2, x), -1);
    assert_int_equal(as_design_saltelli(4, too_many, x), -1);
    assert_int_equal(as_design_saltelli(too_long, 1, x), -1);
    assert_int_equal(as_design_saltelli(1, 2, NULL), -1);
    assert_int_equal(as_design_saltelli_points(4, 0), 0);
    assert_int_equal(as_design_saltelli_points(0, 2), 0);
    assert_int_equal(as_design_saltelli_points(4, too_many), 0);
    assert_int_equal(as_design_saltelli_points(too_long, 1), 0);
    /* the largest are accepted */
    assert_int_equal(as_design_saltelli_points(AS_DESIGN_SALTELLI_MAX_BLOCKS, AS_DESIGN_SALTELLI_MAX_FACTORS),
                     AS_DESIGN_SALTELLI_MAX_BLOCKS * (AS_DESIGN_SALTELLI_MAX_FACTORS + 2));
    static double widest[2 * (AS_DESIGN_SALTELLI_MAX_FACTORS + 2) * AS_DESIGN_SALTELLI_MAX_FACTORS];
    assert_int_equal(as_design_saltelli(2, AS_DESIGN_SALTELLI_MAX_FACTORS, widest), 0);
}

/* Each step of each trajectory moves exactly one factor, by exactly +-delta, each factor once; every
 * point is on the grid; every level is visited. */
static void check_morris_design(const double *x, size_t r, size_t k, int levels)
{
    const double delta = levels / (2.0 * (levels - 1));
    int visited[16] = {0};
    for (size_t t = 0; t < r; t++) {
        const double *rows = x + t * (k + 1) * k;
        int moved[16] = {0};
        for (size_t v = 0; v < (k + 1) * k; v++) {
            double level = rows[v] * (levels - 1);
            assert_true(rows[v] >= 0 && rows[v] <= 1);
            assert_close(level, round(level), 1e-12);
            visited[(int)round(level)]++;
        }
        for (size_t s = 0; s < k; s++) {
            size_t changes = 0, factor = k;
            for (size_t c = 0; c < k; c++)
                if (rows[(s + 1) * k + c] != rows[s * k + c]) {
                    changes++;
                    factor = c;
                }
            assert_int_equal(changes, 1);
            assert_close(fabs(rows[(s + 1) * k + factor] - rows[s * k + factor]), delta, 1e-15);
            moved[factor]++;
        }
        for (size_t c = 0; c < k; c++)
            assert_int_equal(moved[c], 1);
    }
    for (int l = 0; l < levels; l++)
        assert_true(visited[l] > 0);
}

static void test_morris_design(void **state)
{
    (void)state;
    enum { R = 40, K = 6 };
    static double x[R * (K + 1) * K], again[R * (K + 1) * K], other[R * (K + 1) * K];
    const int levels[] = {2, 4, 6, 8};
    assert_int_equal(as_design_morris_points(R, K), R * (K + 1));
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        assert_int_equal(as_design_morris(R, K, levels[l], 12345, x), 0);
        check_morris_design(x, R, K, levels[l]);
        assert_int_equal(as_design_morris(R, K, levels[l], 12345, again), 0);
        assert_memory_equal(x, again, sizeof x);
        assert_int_equal(as_design_morris(R, K, levels[l], 12346, other), 0);
        assert_memory_not_equal(x, other, sizeof x);
    }
    /* one factor: a trajectory is two points */
    double single[R * 2];
    assert_int_equal(as_design_morris(R, 1, 4, 7, single), 0);
    check_morris_design(single, R, 1, 4);
    /* directions: both up and down steps occur */
    assert_int_equal(as_design_morris(R, K, 4, 12345, x), 0);
    int up = 0, down = 0;
    for (size_t t = 0; t < R; t++)
        for (size_t c = 0; c < K; c++) {
            double first = x[t * (K + 1) * K + c], last = x[(t * (K + 1) + K) * K + c];
            up += last > first;
            down += last < first;
        }
    assert_int_equal(up + down, R * K);
    assert_true(up > R * K / 3 && down > R * K / 3);
    /* the order is random: every factor is the first to move in some trajectory */
    int first[K] = {0};
    for (size_t t = 0; t < R; t++)
        for (size_t c = 0; c < K; c++)
            first[c] += x[(t * (K + 1) + 1) * K + c] != x[t * (K + 1) * K + c];
    for (size_t c = 0; c < K; c++)
        assert_true(first[c] > 0);
    /* bad arguments */
    assert_int_equal(as_design_morris(R, K, 3, 1, x), -1);
    assert_int_equal(as_design_morris(R, K, 0, 1, x), -1);
    assert_int_equal(as_design_morris(R, K, -4, 1, x), -1);
    assert_int_equal(as_design_morris(0, K, 4, 1, x), -1);
    assert_int_equal(as_design_morris(R, 0, 4, 1, x), -1);
    assert_int_equal(as_design_morris(R, K, 4, 1, NULL), -1);
    assert_int_equal(as_design_morris_points(0, K), 0);
    assert_int_equal(as_design_morris_points(R, 0), 0);
    assert_int_equal(as_design_morris_points(SIZE_MAX / 2, K), 0);
}

static void test_lhs(void **state)
{
    (void)state;
    enum { N = 97, K = 4 };
    static double x[N * K], again[N * K], other[N * K];
    assert_int_equal(as_design_lhs(N, K, 2024, x), 0);
    for (size_t i = 0; i < K; i++) {
        int in_stratum[N] = {0};
        for (size_t j = 0; j < N; j++) {
            double v = x[j * K + i];
            assert_true(v > 0 && v < 1);
            in_stratum[(size_t)floor(v * N)]++;
        }
        for (size_t s = 0; s < N; s++)
            assert_int_equal(in_stratum[s], 1);
    }
    /* the columns are permuted independently */
    for (size_t i = 1; i < K; i++) {
        size_t same = 0;
        for (size_t j = 0; j < N; j++)
            same += floor(x[j * K] * N) == floor(x[j * K + i] * N);
        assert_true(same < N / 4);
    }
    assert_int_equal(as_design_lhs(N, K, 2024, again), 0);
    assert_memory_equal(x, again, sizeof x);
    assert_int_equal(as_design_lhs(N, K, 2025, other), 0);
    assert_memory_not_equal(x, other, sizeof x);
    double one[3];
    assert_int_equal(as_design_lhs(1, 3, 5, one), 0);
    for (size_t i = 0; i < 3; i++)
        assert_true(one[i] > 0 && one[i] < 1);
    assert_int_equal(as_design_lhs(0, K, 1, x), -1);
    assert_int_equal(as_design_lhs(N, 0, 1, x), -1);
    assert_int_equal(as_design_lhs(N, K, 1, NULL), -1);
    assert_int_equal(as_design_lhs((size_t)UINT32_MAX + 1, 1, 1, x), -1);
}

static void test_grid(void **state)
{
    (void)state;
    const int levels[] = {3, 1, 2};
    const double want[6][3] = {{0, 0.5, 0}, {0, 0.5, 1}, {0.5, 0.5, 0}, {0.5, 0.5, 1}, {1, 0.5, 0}, {1, 0.5, 1}};
    double x[6 * 3];
    assert_int_equal(as_design_grid_points(3, levels), 6);
    assert_int_equal(as_design_grid(3, levels, x), 0);
    for (size_t p = 0; p < 6; p++)
        for (size_t i = 0; i < 3; i++)
            assert_true(x[p * 3 + i] == want[p][i]);
    /* corners of a larger grid */
    const int five[] = {5, 4, 7, 2};
    size_t points = as_design_grid_points(4, five);
    assert_int_equal(points, 5 * 4 * 7 * 2);
    double *big = malloc(points * 4 * sizeof *big);
    assert_non_null(big);
    assert_int_equal(as_design_grid(4, five, big), 0);
    for (size_t i = 0; i < 4; i++) {
        assert_true(big[i] == 0);
        assert_true(big[(points - 1) * 4 + i] == 1);
    }
    assert_true(big[1 * 4 + 3] == 1 && big[2 * 4 + 2] == 1.0 / 6); /* the last factor fastest */
    free(big);
    const int bad[] = {3, 0, 2}, negative[] = {2, -1};
    const int huge[] = {INT_MAX, INT_MAX, INT_MAX};  /* the product overflows (2^93) */
    const int wide[] = {INT_MAX, INT_MAX, 2};        /* the product fits (2^63), times k = 3 doubles does not */
    assert_int_equal(as_design_grid_points(3, bad), 0);
    assert_int_equal(as_design_grid_points(2, negative), 0);
    assert_int_equal(as_design_grid_points(3, huge), 0);
    assert_int_equal(as_design_grid_points(3, wide), 0);
    assert_int_equal(as_design_grid_points(0, levels), 0);
    assert_int_equal(as_design_grid_points(3, NULL), 0);
    assert_int_equal(as_design_grid(3, bad, x), -1);
    assert_int_equal(as_design_grid(3, levels, NULL), -1);
}

/* ---- Sobol' indices ---------------------------------------------------------------------------- */

/* The standard errors of the S1_i and ST_i estimates as means of n independent terms, V held fixed: the
 * terms (f(B) - f0) (f(AB^(i)) - f(A)) / V and (f(A) - f(AB^(i)))^2 / (2 V), written out again. */
static void fixed_variance_errors(const double *y, size_t n, size_t k, size_t i, double *se_S1, double *se_ST)
{
    double f0 = 0, V = 0;
    for (size_t j = 0; j < n; j++)
        f0 += y[j * (k + 2)] + y[j * (k + 2) + 1];
    f0 /= 2.0 * n;
    for (size_t j = 0; j < n; j++)
        V += pow(y[j * (k + 2)] - f0, 2) + pow(y[j * (k + 2) + 1] - f0, 2);
    V /= 2.0 * n - 1;
    double s1 = 0, s1_sq = 0, st = 0, st_sq = 0;
    for (size_t j = 0; j < n; j++) {
        const double *block = y + j * (k + 2);
        double first = (block[1] - f0) * (block[2 + i] - block[0]) / V;
        double total = pow(block[0] - block[2 + i], 2) / (2 * V);
        s1 += first, s1_sq += first * first, st += total, st_sq += total * total;
    }
    *se_S1 = sqrt((s1_sq / n - pow(s1 / n, 2)) / n);
    *se_ST = sqrt((st_sq / n - pow(st / n, 2)) / n);
}

/* Every estimate within INDEX_TOLERANCE of the analytic index and every interval around it. */
static void check_sobol(const char *name, model_fn f, size_t n, size_t k, const double *S1, const double *ST)
{
    double *y = saltelli_outputs(f, n, k);
    as_sobol_index *idx = calloc(k, sizeof *idx);
    assert_non_null(idx);
    assert_int_equal(as_sobol_indices(y, n, k, 1000, 42, idx), 0);
    double err_S1 = 0, err_ST = 0;
    for (size_t i = 0; i < k; i++) {
        printf("# %s n=%zu x%zu: S1 %.4f [%.4f, %.4f] (exact %.4f)  ST %.4f [%.4f, %.4f] (exact %.4f)\n", name, n,
               i + 1, idx[i].S1, idx[i].S1_lo, idx[i].S1_hi, S1[i], idx[i].ST, idx[i].ST_lo, idx[i].ST_hi, ST[i]);
        assert_close(idx[i].S1, S1[i], INDEX_TOLERANCE);
        assert_close(idx[i].ST, ST[i], INDEX_TOLERANCE);
        assert_true(idx[i].S1_lo <= S1[i] && S1[i] <= idx[i].S1_hi);
        assert_true(idx[i].ST_lo <= ST[i] && ST[i] <= idx[i].ST_hi);
        /* the intervals are as wide as the estimators' normal-theory 95% intervals (V held fixed; the
         * bootstrap's came out between 0.82 and 1.42 times as wide on both functions at 2^9 to 2^13) */
        double se_S1, se_ST;
        fixed_variance_errors(y, n, k, i, &se_S1, &se_ST);
        assert_in_range(1000 * (idx[i].S1_hi - idx[i].S1_lo) / (2 * 1.96 * se_S1), 750, 1500);
        assert_in_range(1000 * (idx[i].ST_hi - idx[i].ST_lo) / (2 * 1.96 * se_ST), 750, 1500);
        err_S1 = fmax(err_S1, fabs(idx[i].S1 - S1[i]));
        err_ST = fmax(err_ST, fabs(idx[i].ST - ST[i]));
    }
    printf("# %s n=%zu blocks (%zu points): max |S1 - exact| %.4f, max |ST - exact| %.4f\n", name, n, n * (k + 2),
           err_S1, err_ST);
    free(idx);
    free(y);
}

/* The sample sizes the tests state: 2^13 blocks. */
#define SOBOL_BLOCKS 8192

static void test_sobol_ishigami(void **state)
{
    (void)state;
    double S1[3], ST[3];
    ishigami_indices(S1, ST);
    /* the closed form agrees with the published values (Saltelli et al. 2008, table) */
    assert_close(S1[0], 0.3139, 1e-4);
    assert_close(S1[1], 0.4424, 1e-4);
    assert_close(ST[0], 0.5576, 1e-4);
    assert_close(ST[2], 0.2437, 1e-4);
    check_sobol("ishigami", ishigami, SOBOL_BLOCKS, 3, S1, ST);
}

static void test_sobol_g(void **state)
{
    (void)state;
    double S1[G_FACTORS], ST[G_FACTORS];
    sobol_g_indices(S1, ST);
    check_sobol("sobol-g", sobol_g, SOBOL_BLOCKS, G_FACTORS, S1, ST);
}

/* The same seed gives the same intervals bit for bit, another seed others; no resamples, no intervals;
 * the estimates do not depend on the seed or on n_boot; a prefix of blocks is the smaller design. */
static void test_sobol_bootstrap(void **state)
{
    (void)state;
    enum { N = 512, K = 3 };
    double *y = saltelli_outputs(ishigami, N, K);
    as_sobol_index a[K], b[K], c[K], none[K], small[K], fresh[K];
    assert_int_equal(as_sobol_indices(y, N, K, 200, 7, a), 0);
    assert_int_equal(as_sobol_indices(y, N, K, 200, 7, b), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(as_sobol_indices(y, N, K, 200, 8, c), 0);
    assert_int_equal(as_sobol_indices(y, N, K, 0, 7, none), 0);
    for (size_t i = 0; i < K; i++) {
        assert_true(a[i].S1_lo != c[i].S1_lo && a[i].ST_hi != c[i].ST_hi);
        assert_true(a[i].S1 == c[i].S1 && a[i].ST == c[i].ST && a[i].S1 == none[i].S1 && a[i].ST == none[i].ST);
        assert_true(isnan(none[i].S1_lo) && isnan(none[i].S1_hi) && isnan(none[i].ST_lo) && isnan(none[i].ST_hi));
        assert_true(a[i].S1_lo < a[i].S1_hi && a[i].ST_lo < a[i].ST_hi);
    }
    double *y_small = saltelli_outputs(ishigami, N / 4, K);
    assert_int_equal(as_sobol_indices(y, N / 4, K, 200, 7, small), 0);
    assert_int_equal(as_sobol_indices(y_small, N / 4, K, 200, 7, fresh), 0);
    assert_memory_equal(small, fresh, sizeof small);
    /* the intervals narrow like 1 / sqrt(n): a quarter of the blocks, about twice the width */
    for (size_t i = 0; i < K; i++) {
        double ratio = (small[i].ST_hi - small[i].ST_lo) / (a[i].ST_hi - a[i].ST_lo);
        assert_true(ratio > 1.4 && ratio < 2.8);
    }
    free(y_small);
    free(y);
}

/* GSL's quantile of sorted values: linear between order statistics (Hyndman and Fan's type 7). */
static double type7_quantile(const double *sorted, size_t m, double p)
{
    double h = p * (double)(m - 1);
    size_t below = (size_t)floor(h);
    return below + 1 < m ? sorted[below] + (h - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A naive twin of the bootstrap, from its contract in sensitivity.h: the documented keyed picks, one
 * resample at a time, the estimators written out again for one factor, the percentiles by qsort. */
static void twin_intervals(const double *y, size_t n, size_t k, size_t n_boot, uint32_t seed, size_t i,
                           double S1_ci[2], double ST_ci[2])
{
    double *S1 = malloc(n_boot * sizeof *S1), *ST = malloc(n_boot * sizeof *ST);
    size_t *pick = malloc(n * sizeof *pick);
    assert_true(S1 && ST && pick);
    for (size_t b = 0; b < n_boot; b++) {
        for (size_t q = 0; q < n; q++) {
            as_draw d = as_rng_draw(seed, AS_SENSITIVITY_BOOT_KEY, (uint32_t)b, (uint32_t)(q / 2), 0, 0);
            uint64_t bits = q % 2 == 0 ? (uint64_t)d.lane[0] << 32 | d.lane[1] : (uint64_t)d.lane[2] << 32 | d.lane[3];
            pick[q] = (size_t)(((unsigned __int128)bits * n) >> 64);
        }
        double f0 = 0, V = 0, first = 0, total = 0;
        for (size_t q = 0; q < n; q++)
            f0 += y[pick[q] * (k + 2)] + y[pick[q] * (k + 2) + 1];
        f0 /= 2.0 * n;
        for (size_t q = 0; q < n; q++)
            V += pow(y[pick[q] * (k + 2)] - f0, 2) + pow(y[pick[q] * (k + 2) + 1] - f0, 2);
        V /= 2.0 * n - 1;
        for (size_t q = 0; q < n; q++) {
            const double *block = y + pick[q] * (k + 2);
            first += (block[1] - f0) * (block[2 + i] - block[0]);
            total += pow(block[0] - block[2 + i], 2);
        }
        S1[b] = first / n / V;
        ST[b] = total / (2.0 * n) / V;
    }
    qsort(S1, n_boot, sizeof *S1, by_value);
    qsort(ST, n_boot, sizeof *ST, by_value);
    S1_ci[0] = type7_quantile(S1, n_boot, 0.025), S1_ci[1] = type7_quantile(S1, n_boot, 0.975);
    ST_ci[0] = type7_quantile(ST, n_boot, 0.025), ST_ci[1] = type7_quantile(ST, n_boot, 0.975);
    free(pick);
    free(ST);
    free(S1);
}

static void test_sobol_bootstrap_twin(void **state)
{
    (void)state;
    enum { N = 301, K = 3, BOOT = 250 }; /* N odd: the last pick uses half a draw */
    double *y = saltelli_outputs(ishigami, N, K);
    as_sobol_index idx[K];
    assert_int_equal(as_sobol_indices(y, N, K, BOOT, 2718, idx), 0);
    for (size_t i = 0; i < K; i++) {
        double S1_ci[2], ST_ci[2];
        twin_intervals(y, N, K, BOOT, 2718, i, S1_ci, ST_ci);
        assert_close(idx[i].S1_lo, S1_ci[0], 1e-12);
        assert_close(idx[i].S1_hi, S1_ci[1], 1e-12);
        assert_close(idx[i].ST_lo, ST_ci[0], 1e-12);
        assert_close(idx[i].ST_hi, ST_ci[1], 1e-12);
    }
    free(y);
}

/* Centring: an output in the millions that moves by a few units gives the same indices as the moves
 * alone (uncentred, the first-order estimate would carry the mean squared); scale does not matter. */
static void test_sobol_shift_and_scale(void **state)
{
    (void)state;
    enum { N = 1024, K = 3 };
    double *y = saltelli_outputs(ishigami, N, K);
    double *moved = malloc(N * (K + 2) * sizeof *moved);
    assert_non_null(moved);
    as_sobol_index plain[K], shifted[K], scaled[K];
    assert_int_equal(as_sobol_indices(y, N, K, 100, 3, plain), 0);
    for (size_t p = 0; p < N * (K + 2); p++)
        moved[p] = 5e6 + y[p];
    assert_int_equal(as_sobol_indices(moved, N, K, 100, 3, shifted), 0);
    for (size_t p = 0; p < N * (K + 2); p++)
        moved[p] = -250 * y[p];
    assert_int_equal(as_sobol_indices(moved, N, K, 100, 3, scaled), 0);
    for (size_t i = 0; i < K; i++) {
        assert_close(shifted[i].S1, plain[i].S1, 1e-6);
        assert_close(shifted[i].ST, plain[i].ST, 1e-6);
        assert_close(shifted[i].S1_lo, plain[i].S1_lo, 1e-6);
        assert_close(scaled[i].S1, plain[i].S1, 1e-12);
        assert_close(scaled[i].ST, plain[i].ST, 1e-12);
        assert_close(scaled[i].ST_hi, plain[i].ST_hi, 1e-12);
    }
    free(moved);
    free(y);
}

static void assert_sobol_nan(const as_sobol_index *idx, size_t k)
{
    for (size_t i = 0; i < k; i++)
        assert_true(isnan(idx[i].S1) && isnan(idx[i].S1_lo) && isnan(idx[i].S1_hi) && isnan(idx[i].ST) &&
                    isnan(idx[i].ST_lo) && isnan(idx[i].ST_hi));
}

static void test_sobol_nothing_to_estimate(void **state)
{
    (void)state;
    enum { N = 16, K = 2 };
    double y[N * (K + 2)];
    as_sobol_index idx[K];
    for (size_t p = 0; p < N * (K + 2); p++)
        y[p] = 3.5; /* the output did not vary */
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, idx), -1);
    assert_sobol_nan(idx, K);
    /* A and B constant but AB varying is still V == 0 */
    y[2] = 4;
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, idx), -1);
    assert_sobol_nan(idx, K);
    y[0] = 4;
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, idx), 0);
    assert_true(isfinite(idx[0].S1) && isfinite(idx[1].ST));
    assert_int_equal(as_sobol_indices(y, 1, K, 50, 1, idx), -1);
    assert_sobol_nan(idx, K);
    y[6] = NAN; /* a failed point (an AB point: V alone would not notice) */
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, idx), -1);
    assert_sobol_nan(idx, K);
    y[6] = INFINITY;
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, idx), -1);
    assert_int_equal(as_sobol_indices(NULL, N, K, 50, 1, idx), -1);
    assert_sobol_nan(idx, K);
    assert_int_equal(as_sobol_indices(y, N, K, 50, 1, NULL), -1);
    assert_int_equal(as_sobol_indices(y, N, 0, 50, 1, idx), -1);
    /* two blocks: a quarter of the resamples pick block 0 twice, whose f(A) == f(B) gives V == 0; they
     * are left out, not NaN */
    double two[2 * (1 + 2)] = {1, 1, 0, 2, 3, 2};
    as_sobol_index one[1];
    assert_int_equal(as_sobol_indices(two, 2, 1, 100, 9, one), 0);
    assert_true(isfinite(one[0].S1_lo) && isfinite(one[0].S1_hi) && isfinite(one[0].ST_lo) && isfinite(one[0].ST_hi));
    assert_true(one[0].S1_lo <= one[0].S1_hi && one[0].ST_lo <= one[0].ST_hi);
}

/* ---- Morris ------------------------------------------------------------------------------------ */

static double *morris_outputs(model_fn f, size_t r, size_t k, int levels, uint32_t seed, double **x_out)
{
    size_t points = as_design_morris_points(r, k);
    double *x = malloc(points * k * sizeof *x);
    assert_non_null(x);
    assert_int_equal(as_design_morris(r, k, levels, seed, x), 0);
    double *y = evaluate(f, x, points, k);
    *x_out = x;
    return y;
}

/* mu* ranks the G function's factors by importance: x1 > x2 > x3 > x4 > the four with a = 99, at several
 * seeds and grids (the last four may come in any order among themselves). */
static void test_morris_ranks_sobol_g(void **state)
{
    (void)state;
    enum { R = 50 };
    const int levels[] = {4, 8};
    for (size_t l = 0; l < 2; l++)
        for (uint32_t seed = 1; seed <= 5; seed++) {
            double *x, *y = morris_outputs(sobol_g, R, G_FACTORS, levels[l], seed, &x);
            as_morris_index idx[G_FACTORS];
            assert_int_equal(as_morris_indices(y, x, R, G_FACTORS, idx), 0);
            for (size_t i = 0; i + 1 < 4; i++)
                assert_true(idx[i].mu_star > idx[i + 1].mu_star);
            for (size_t i = 4; i < G_FACTORS; i++) {
                assert_true(idx[3].mu_star > idx[i].mu_star);
                assert_true(idx[i].mu_star > 0);
            }
            if (seed == 1)
                printf("# morris sobol-g r=%d levels=%d: mu* %.3f %.3f %.3f %.3f %.4f %.4f %.4f %.4f\n", R, levels[l],
                       idx[0].mu_star, idx[1].mu_star, idx[2].mu_star, idx[3].mu_star, idx[4].mu_star,
                       idx[5].mu_star, idx[6].mu_star, idx[7].mu_star);
            free(x);
            free(y);
        }
}

/* A linear function's elementary effects are its coefficients: mu = c_i, mu* = |c_i|, sigma = 0. */
static void test_morris_linear(void **state)
{
    (void)state;
    enum { R = 30, K = sizeof linear_c / sizeof *linear_c };
    double *x, *y = morris_outputs(linear, R, K, 6, 99, &x);
    as_morris_index idx[K];
    assert_int_equal(as_morris_indices(y, x, R, K, idx), 0);
    for (size_t i = 0; i < K; i++) {
        assert_close(idx[i].mu, linear_c[i], 1e-12);
        assert_close(idx[i].mu_star, fabs(linear_c[i]), 1e-12);
        assert_close(idx[i].sigma, 0, 1e-12);
    }
    /* one trajectory: no spread to estimate */
    assert_int_equal(as_morris_indices(y, x, 1, K, idx), 0);
    assert_close(idx[4].mu, 7, 1e-12);
    assert_true(isnan(idx[4].sigma));
    free(x);
    free(y);
}

/* Effects of both signs: mu cancels, mu* does not, sigma sees the spread.  f = (x - 1/2)^2 on the
 * levels 0, 1/3, 2/3, 1 with delta 2/3: between 0 and 2/3 the effect is ((1/6)^2 - (1/2)^2) / (2/3) = -1/3
 * (up or down), between 1/3 and 1 it is +1/3, each with probability 1/2. */
static double parabola(const double *u, size_t k)
{
    (void)k;
    return (u[0] - 0.5) * (u[0] - 0.5);
}

static void test_morris_signs(void **state)
{
    (void)state;
    enum { R = 400 };
    double *x, *y = morris_outputs(parabola, R, 1, 4, 5, &x);
    as_morris_index idx[1];
    assert_int_equal(as_morris_indices(y, x, R, 1, idx), 0);
    assert_close(idx[0].mu_star, 1.0 / 3, 1e-12);
    assert_close(idx[0].mu, 0, 0.06);           /* +-1/3 about equally often: sd of the mean 1/60 */
    assert_close(idx[0].sigma, 1.0 / 3, 0.01);  /* sd of +-1/3 with mean near 0 */
    free(x);
    free(y);
}

static void assert_morris_nan(const as_morris_index *idx, size_t k)
{
    for (size_t i = 0; i < k; i++)
        assert_true(isnan(idx[i].mu_star) && isnan(idx[i].mu) && isnan(idx[i].sigma));
}

static void test_morris_not_trajectories(void **state)
{
    (void)state;
    enum { K = 2 };
    as_morris_index idx[K];
    const double y[3] = {1, 2, 3};
    const double good[3 * K] = {0, 0, 1, 0, 1, 1};
    assert_int_equal(as_morris_indices(y, good, 1, K, idx), 0);
    assert_close(idx[0].mu, 1, 0);
    assert_close(idx[1].mu, 1, 0);
    /* by hand, one factor, two trajectories: 0 -> 1 (y 0 -> 2) and 1 -> 0 (y 5 -> 6): effects 2 and -1,
     * mu 1/2, mu* 3/2, sigma sqrt((3/2)^2 + (3/2)^2) / sqrt(2 - 1) */
    const double x_hand[4] = {0, 1, 1, 0}, y_hand[4] = {0, 2, 5, 6};
    assert_int_equal(as_morris_indices(y_hand, x_hand, 2, 1, idx), 0);
    assert_close(idx[0].mu, 0.5, 1e-15);
    assert_close(idx[0].mu_star, 1.5, 1e-15);
    assert_close(idx[0].sigma, 1.5 * sqrt(2.0), 1e-15);
    const double both[3 * K] = {0, 0, 1, 1, 0, 1};   /* a step moves two factors (then factor 1 alone) */
    const double still[3 * K] = {0, 0, 0, 0, 1, 1};  /* a step moves none */
    const double twice[3 * K] = {0, 0, 1, 0, 0, 0};  /* factor 1 moves twice, factor 2 never */
    const double *bad[] = {both, still, twice};
    for (size_t b = 0; b < 3; b++) {
        assert_int_equal(as_morris_indices(y, bad[b], 1, K, idx), -1);
        assert_morris_nan(idx, K);
    }
    const double y_nan[3] = {1, NAN, 3};
    assert_int_equal(as_morris_indices(y_nan, good, 1, K, idx), -1);
    assert_morris_nan(idx, K);
    const double x_inf[3 * K] = {0, 0, INFINITY, 0, INFINITY, 1}; /* else a trajectory: effects 0 and 1 */
    assert_int_equal(as_morris_indices(y, x_inf, 1, K, idx), -1);
    assert_int_equal(as_morris_indices(NULL, good, 1, K, idx), -1);
    assert_int_equal(as_morris_indices(y, NULL, 1, K, idx), -1);
    assert_int_equal(as_morris_indices(y, good, 0, K, idx), -1);
    assert_int_equal(as_morris_indices(y, good, 1, K, NULL), -1);
    assert_int_equal(as_morris_indices(y, good, 1, 0, idx), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saltelli_layout),
        cmocka_unit_test(test_saltelli_bad_arguments),
        cmocka_unit_test(test_morris_design),
        cmocka_unit_test(test_lhs),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_sobol_g),
        cmocka_unit_test(test_sobol_bootstrap),
        cmocka_unit_test(test_sobol_bootstrap_twin),
        cmocka_unit_test(test_sobol_shift_and_scale),
        cmocka_unit_test(test_sobol_nothing_to_estimate),
        cmocka_unit_test(test_morris_ranks_sobol_g),
        cmocka_unit_test(test_morris_linear),
        cmocka_unit_test(test_morris_signs),
        cmocka_unit_test(test_morris_not_trajectories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
