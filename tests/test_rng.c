/*
 * test_rng.c - the keyed random streams: the vectorized many-at-once draws
 * (scalar, AVX2 and AVX-512, each where the processor has it) equal
 * Random123's philox4x32 bit for bit, for any count (vector body and scalar
 * tail), and Random123's own known-answer vector holds.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "choice.h"
#include "rng.h"

static void test_known_answer(void **state)
{
    (void)state;
    /* Random123 kat_vectors: philox4x32 10 rounds, counter and key all ones */
    philox4x32_ctr_t ctr = {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
    philox4x32_key_t key = {{0xffffffffu, 0xffffffffu}};
    philox4x32_ctr_t r = philox4x32(ctr, key);
    assert_int_equal(r.v[0], 0x408f276du);
    assert_int_equal(r.v[1], 0x41c83b0eu);
    assert_int_equal(r.v[2], 0xa20bc7c6u);
    assert_int_equal(r.v[3], 0x6d5451fdu);
}

static void test_many_equals_one_at_a_time(void **state)
{
    (void)state;
    enum { N = 203 }; /* not a multiple of 8: exercises the tail */
    uint32_t student[N], l[4][N];
    for (int q = 0; q < N; q++)
        student[q] = (uint32_t)(q * 7919u + 3u);
    const uint32_t seeds[] = {0, 1, 4294967295u}, reps[] = {0, 17};
    const as_rng_isa isas[] = {AS_RNG_BEST, AS_RNG_SCALAR, AS_RNG_AVX2, AS_RNG_AVX512};
    const char *names[] = {"best", "scalar", "avx2", "avx512"};
    for (size_t v = 0; v < 4; v++) {
        if (as_rng_draw_many_isa(isas[v], 0, 0, 0, student, 0, 0, 0, l[0], l[1], l[2], l[3]) != 0) {
            printf("# as_rng_draw_many: %s not on this processor, not tested\n", names[v]);
            continue;
        }
        for (size_t a = 0; a < 3; a++)
            for (size_t b = 0; b < 2; b++)
                for (size_t n = 0; n <= N; n += 29) {
                    memset(l, 0, sizeof l);
                    assert_int_equal(as_rng_draw_many_isa(isas[v], seeds[a], reps[b], 5, student, n, 9, AS_S_YEAR,
                                                          l[0], l[1], l[2], l[3]), 0);
                    for (size_t q = 0; q < n; q++) {
                        as_draw d = as_rng_draw(seeds[a], reps[b], 5, student[q], 9, AS_S_YEAR);
                        for (int j = 0; j < 4; j++)
                            assert_int_equal(l[j][q], d.lane[j]);
                    }
                }
    }
    /* the scalar variant runs everywhere */
    assert_int_equal(as_rng_draw_many_isa(AS_RNG_SCALAR, 0, 0, 0, student, 1, 0, 0, l[0], l[1], l[2], l[3]), 0);
}

static void test_uniform_is_open(void **state)
{
    (void)state;
    assert_true(as_u01(0) > 0);
    assert_true(as_u01(0xffffffffu) < 1);
    assert_false(as_bernoulli(0, 0.0));
    assert_true(as_bernoulli(0xffffffffu, 1.0));
}

/* The limits decide exactly as the expressions they come from: at the
 * limit and one below it, and at random draws, for probabilities on and
 * around the boundaries and with long mantissas. */
static void test_bernoulli_limit(void **state)
{
    (void)state;
    const double ps[] = {0, 1, 0.5, 0.05, 0.3, 0.6, 1.0 / 3, 0.1 + 0.2, 1e-12, 1 - 1e-12,
                         0.5 / 4294967296.0, 1.5 / 4294967296.0, 1 - 0.5 / 4294967296.0, 0.9999999999999999};
    for (size_t a = 0; a < sizeof ps / sizeof ps[0]; a++) {
        uint64_t lim = as_rng_bernoulli_limit(ps[a]);
        assert_true(lim <= ((uint64_t)1 << 32));
        if (lim > 0)
            assert_true(as_bernoulli((uint32_t)(lim - 1), ps[a]));
        if (lim < ((uint64_t)1 << 32))
            assert_false(as_bernoulli((uint32_t)lim, ps[a]));
        for (uint32_t q = 0; q < 1000; q++) {
            uint32_t x = as_rng_draw(7, 1, 2, q, 3, (uint32_t)a).lane[0];
            assert_int_equal(x < lim, as_bernoulli(x, ps[a]));
        }
    }
    assert_int_equal(as_rng_bernoulli_limit(0), 0);
    assert_int_equal(as_rng_bernoulli_limit(1), (uint64_t)1 << 32);
    assert_int_equal(as_rng_bernoulli_limit(0.5), 2147483648u); /* (x + 0.5) / 2^32 < 1/2 iff x < 2^31 */
}

/* A three-way outcome: its two limits split the draws where it changes. */
static int third(const void *ctx, uint32_t x)
{
    (void)ctx;
    double u = as_u01(x);
    return u < 0.2 ? 0 : u < 0.7 ? 1 : 2;
}

static void test_draw_limit(void **state)
{
    (void)state;
    uint64_t a = as_rng_draw_limit(third, NULL, 0), b = as_rng_draw_limit(third, NULL, 1);
    assert_true(a < b);
    assert_int_equal(third(NULL, (uint32_t)a - 1), 0);
    assert_int_equal(third(NULL, (uint32_t)a), 1);
    assert_int_equal(third(NULL, (uint32_t)b - 1), 1);
    assert_int_equal(third(NULL, (uint32_t)b), 2);
    assert_int_equal(as_rng_draw_limit(third, NULL, 2), (uint64_t)1 << 32); /* never above 2 */
}

/* Keyed choices (choice.h) pick each alternative with its probability: over
 * many keyed starts, every frequency (none included) is within 4.5 standard
 * errors of w_j (or w_j / sum w); and raising one weight moves people only
 * into that alternative. */
static void test_keyed_choice_probabilities_and_pairing(void **state)
{
    (void)state;
    static const struct { double w[4]; size_t n; int with_none; } cases[] = {
        {{0.1, 0.25, 0.05, 0.3}, 4, 1},
        {{0.6, 0.7, 0, 0}, 2, 1},          /* sum above 1: none never, 6/13 and 7/13 */
        {{3, 1, 0.5, 0.5}, 4, 0},
        {{0.01, 0, 0.002, 0}, 4, 1},
    };
    const uint16_t slot[4] = {7, 2, 40, 13};
    const int draws = 200000;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        long seen[5] = {0};
        double total = 0;
        for (size_t j = 0; j < cases[c].n; j++)
            total += cases[c].w[j];
        for (int x = 0; x < draws; x++) {
            as_draw d = as_rng_draw(5, 1, 2, (uint32_t)x, 3, AS_S_CHOICE_DEST);
            int k = as_choose_keyed(cases[c].w, slot, cases[c].n, cases[c].with_none, as_choice_start(d.lane[0], d.lane[1]));
            seen[k + 1]++;
        }
        double scale = cases[c].with_none && total < 1 ? 1 : 1 / total;
        for (int k = -1; k < (int)cases[c].n; k++) {
            double pk = k < 0 ? (cases[c].with_none && total < 1 ? 1 - total : 0) : cases[c].w[k] * scale;
            double se = sqrt(pk * (1 - pk) / draws) + 1e-12;
            double freq = (double)seen[k + 1] / draws;
            if (fabs(freq - pk) > 4.5 * se)
                fail_msg("case %zu, alternative %d: frequency %.5f, probability %.5f", c, k, freq, pk);
        }
    }
    /* pairing: raising w[1] from 0.25 to 0.35 (none 0.3 -> 0.2) moves a person who chose
     * another alternative only into alternative 1; only people who chose none can go
     * elsewhere, and few do (every other alternative keeps its probability) */
    double before[4] = {0.1, 0.25, 0.05, 0.3}, after[4] = {0.1, 0.35, 0.05, 0.3};
    long into = 0, from_none_elsewhere = 0;
    for (int x = 0; x < draws; x++) {
        as_draw d = as_rng_draw(5, 1, 2, (uint32_t)x, 3, AS_S_CHOICE_DEST);
        uint64_t start = as_choice_start(d.lane[0], d.lane[1]);
        int a = as_choose_keyed(before, slot, 4, 1, start), b = as_choose_keyed(after, slot, 4, 1, start);
        if (a == b)
            continue;
        assert_true(b == 1 || a == -1);
        into += b == 1;
        from_none_elsewhere += b != 1;
    }
    assert_true((double)into / draws > 0.1 - 4.5 * sqrt(0.1 * 0.9 / draws));
    assert_true((double)from_none_elsewhere / draws < 0.05);
}

/* Every clock evaluated, with no bound and no pruning: what as_choose_keyed
 * must give, the logarithm-free decisions included. */
static int choose_every_clock(const double *w, const uint16_t *slot, size_t n, int with_none, uint64_t start)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    int best = -1;
    double best_clock = with_none && total < 1 ? -log(as_choice_u(start, AS_CHOICE_NONE_SLOT)) / (1 - total) : INFINITY;
    unsigned best_slot = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0))
            continue;
        double clock = -log(as_choice_u(start, slot[i])) / w[i];
        if (clock < best_clock || (clock == best_clock && best >= 0 && slot[i] < best_slot))
            best = (int)i, best_clock = clock, best_slot = slot[i];
    }
    return best;
}

/* The table of clock bounds holds for the extreme draws of every bucket
 * and for one inside it: edge[i + 1] < -log(u) < edge[i], strictly. */
static void test_clock_edges_bound(void **state)
{
    (void)state;
    const unsigned shift = 32 - AS_CLOCK_BITS;
    for (uint32_t i = 0; i < AS_CLOCK_BUCKETS; i++) {
        uint32_t lowest = i << shift, highest = lowest | ((1u << shift) - 1);
        uint32_t inside = lowest | (as_rng_draw(5, 0, 0, i, 0, 0).lane[0] >> AS_CLOCK_BITS);
        uint32_t xs[3] = {lowest, highest, inside};
        for (int j = 0; j < 3; j++) {
            double e = -log(as_u01(xs[j]));
            if (!(as_clock_edge[i + 1] < e && e < as_clock_edge[i]))
                fail_msg("bucket %u, draw %u: -log(u) = %.17g outside (%.17g, %.17g)", i, xs[j], e,
                         as_clock_edge[i + 1], as_clock_edge[i]);
        }
    }
    assert_true(as_clock_edge[AS_CLOCK_BUCKETS] == 0);
    assert_true(as_clock_edge[AS_CLOCK_BUCKETS / 2] > 0.693 && as_clock_edge[AS_CLOCK_BUCKETS / 2] < 0.6932);
}

/* The bounds that spare most choices their logarithms change no choice:
 * weights spread over twelve orders of magnitude, nearly equal, summing to
 * just under and over 1, with and without none. */
static void test_keyed_choice_bounds_exact(void **state)
{
    (void)state;
    const uint16_t slot[6] = {3, 1, 6, 2, 5, 4};
    long decided = 0;
    for (int c = 0; c < 4000; c++) {
        double w[6];
        as_draw pick = as_rng_draw(17, 0, 0, (uint32_t)c, 0, 0);
        size_t n = 1 + pick.lane[0] % 6;
        int kind = c % 4;
        for (size_t i = 0; i < n; i++) {
            double u = as_u01(as_rng_draw(17, 1, 0, (uint32_t)c, (uint32_t)i, 0).lane[0]);
            w[i] = kind == 0 ? pow(10, -12 * u)                            /* orders of magnitude */
                 : kind == 1 ? 0.2 * (1 + 1e-12 * (double)i)                /* nearly equal */
                 : kind == 2 ? (0.999999 / (double)n) * (u < 0.8)           /* sum just under 1, some 0 */
                             : u;                                           /* relative */
        }
        double r[6], total = 0; /* the tabled form: inverses (infinite for 0) and the sum in index order */
        for (size_t i = 0; i < n; i++)
            r[i] = 1 / w[i], total += w[i];
        for (int x = 0; x < 200; x++) {
            as_draw d = as_rng_draw(9, 1, (uint32_t)c, (uint32_t)x, 3, AS_S_CHOICE_DEST);
            uint64_t start = as_choice_start(d.lane[0], d.lane[1]);
            for (int with_none = 0; with_none < 2; with_none++) {
                int want = choose_every_clock(w, slot, n, with_none, start);
                int got = as_choose_keyed(w, slot, n, with_none, start);
                if (got != want)
                    fail_msg("case %d (kind %d, n %zu), draw %d, none %d: chose %d, every clock gives %d", c, kind, n,
                             x, with_none, got, want);
                got = as_choose_keyed_tabled(w, r, total, slot, n, with_none, start);
                if (got != want)
                    fail_msg("case %d (kind %d, n %zu), draw %d, none %d: tabled chose %d, every clock gives %d", c,
                             kind, n, x, with_none, got, want);
                decided++;
            }
        }
    }
    assert_int_equal(decided, 4000L * 200 * 2);
}

/* Many choices with the same weights at once (as_choose_keyed_many) decide
 * as evaluating every clock does, on each instruction set the processor
 * has: the weight kinds of the test above plus all zero (-1) and summing
 * past 1 ("none" then has weight 0), tabled inverses or none, counts that
 * leave a tail, and alternatives past the vector form's limit (32). */
/* Slots 1..n in the order (1 + i * step) mod n (a permutation when step
 * and n are coprime), and m keyed choice starts from seed. */
static void slots_and_starts(uint16_t *slot, size_t n, size_t step, uint64_t *start, int m, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        slot[i] = (uint16_t)(1 + (i * step) % n);
    for (int q = 0; q < m; q++) {
        as_draw d = as_rng_draw(seed, 2, 1, (uint32_t)q, 7, AS_S_CHOICE_DEST);
        start[q] = as_choice_start(d.lane[0], d.lane[1]);
    }
}

static void test_keyed_choice_many(void **state)
{
    (void)state;
    enum { M = 203, NMAX = 40 };
    const size_t ns[] = {1, 2, 3, 5, 8, 16, 17, 20, 32, 33, 40};
    const as_choice_isa isas[] = {AS_CHOICE_BEST, AS_CHOICE_SCALAR, AS_CHOICE_AVX512};
    uint16_t slot[NMAX];
    uint64_t start[M];
    slots_and_starts(slot, NMAX, 7, start, M, 5); /* slots: a permutation of 1..40 */
    long checked = 0, vector_runs = 0;
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        for (int kind = 0; kind < 6; kind++) {
            size_t n = ns[t];
            double w[NMAX], r[NMAX], total = 0;
            for (size_t i = 0; i < n; i++) {
                double u = as_u01(as_rng_draw(23, (uint32_t)t, (uint32_t)kind, (uint32_t)i, 0, 0).lane[0]);
                w[i] = kind == 0 ? pow(10, -12 * u)
                     : kind == 1 ? 0.2 * (1 + 1e-12 * (double)i)
                     : kind == 2 ? (0.999999 / (double)n) * (u < 0.8)
                     : kind == 3 ? u
                     : kind == 4 ? 0
                                 : 0.5 + u;
                r[i] = 1 / w[i];
                total += w[i];
            }
            for (int with_none = 0; with_none < 2; with_none++)
                for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++)
                    for (int tabled = 0; tabled < 2; tabled++) {
                        int out[M];
                        if (as_choose_keyed_many(isas[k], w, tabled ? r : NULL, total, slot, n, with_none, start, M,
                                                 out) != 0)
                            continue; /* the processor lacks it */
                        vector_runs += isas[k] == AS_CHOICE_AVX512;
                        for (int q = 0; q < M; q++) {
                            int want = choose_every_clock(w, slot, n, with_none, start[q]);
                            if (out[q] != want)
                                fail_msg("isa %d, n %zu, kind %d, none %d, tabled %d, choice %d: chose %d, every clock "
                                         "gives %d", (int)isas[k], n, kind, with_none, tabled, q, out[q], want);
                            checked++;
                        }
                    }
        }
    assert_true(checked >= 11L * 6 * 2 * 2 * 2 * M); /* BEST and SCALAR at least */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_int_equal(vector_runs, 11 * 6 * 2 * 2);
}

/* as_choose_keyed_rows: each choice with its own row of a table, on every
 * instruction set, against evaluating every clock of its row; tables of 1,
 * 3 and 16 rows (the vector form's most) and of 17 (beyond it), rows of
 * weights over twelve orders of magnitude, nearly equal, some zero. */
static void test_keyed_choice_rows(void **state)
{
    (void)state;
    enum { M = 211, NMAX = 33, RMAX = 17 };
    const size_t ns[] = {1, 2, 5, 8, 33}, rows_n[] = {1, 3, 16, 17};
    const as_choice_isa isas[] = {AS_CHOICE_BEST, AS_CHOICE_SCALAR, AS_CHOICE_AVX512};
    uint16_t slot[NMAX];
    uint64_t start[M];
    slots_and_starts(slot, NMAX, 5, start, M, 7); /* slots: a permutation of 1..33 */
    long vector_runs = 0;
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        for (size_t rt = 0; rt < sizeof rows_n / sizeof rows_n[0]; rt++) {
            size_t n = ns[t], nr = rows_n[rt];
            double w[RMAX * NMAX], r[RMAX * NMAX], total[RMAX];
            for (size_t k = 0; k < nr; k++) {
                total[k] = 0;
                for (size_t i = 0; i < n; i++) {
                    double u = as_u01(as_rng_draw(29, (uint32_t)t, (uint32_t)k, (uint32_t)i, 0, 0).lane[0]);
                    int kind = (int)(k % 4);
                    double x = kind == 0 ? pow(10, -12 * u) : kind == 1 ? 0.2 * (1 + 1e-12 * (double)i)
                             : kind == 2 ? u * (u < 0.7) : 0.5 + u;
                    if (i == 0 && kind == 2)
                        x = 0.3; /* every row has a weight above 0 */
                    w[k * n + i] = x;
                    r[k * n + i] = 1 / x;
                    total[k] += x;
                }
            }
            uint8_t row[M];
            for (int q = 0; q < M; q++)
                row[q] = (uint8_t)((uint32_t)(q * 2654435761u) % nr);
            for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++) {
                int out[M];
                if (as_choose_keyed_rows(isas[v], w, r, total, nr, slot, n, start, row, M, out) != 0)
                    continue; /* the processor lacks it */
                vector_runs += isas[v] == AS_CHOICE_AVX512 && nr <= AS_CHOICE_ROWS_MAX;
                for (int q = 0; q < M; q++) {
                    int want = choose_every_clock(w + row[q] * n, slot, n, 0, start[q]);
                    if (out[q] != want)
                        fail_msg("isa %d, n %zu, rows %zu, choice %d (row %d): chose %d, every clock gives %d",
                                 (int)isas[v], n, nr, q, row[q], out[q], want);
                }
            }
        }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_int_equal(vector_runs, 5 * 3);
}

/* as_choose_keyed_gather: each choice with its own row of a table of any
 * size, laid out as phase A lays out program weights (a row holds the
 * weights, their inverses and their total), on every instruction set, with
 * tabled inverses and without, with "none" and without, against evaluating
 * every clock of its row: rows of weights over twelve orders of magnitude,
 * nearly equal, some zero, all zero (-1), and summing past 1. */
static void test_keyed_choice_gather(void **state)
{
    (void)state;
    enum { M = 213, NMAX = 33, RMAX = 40 };
    const size_t ns[] = {1, 2, 3, 7, 8, 19, 32, 33};
    const as_choice_isa isas[] = {AS_CHOICE_BEST, AS_CHOICE_SCALAR, AS_CHOICE_AVX512};
    uint16_t slot[NMAX];
    uint64_t start[M];
    slots_and_starts(slot, NMAX, 5, start, M, 11); /* slots: a permutation of 1..33 */
    static double tab[RMAX * (2 * NMAX + 1)];
    long vector_runs = 0, none_chosen = 0, item_chosen = 0;
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t], stride = 2 * n + 1;
        for (size_t k = 0; k < RMAX; k++) {
            double *row = tab + k * stride, total = 0;
            int kind = (int)(k % 6);
            for (size_t i = 0; i < n; i++) {
                double u = as_u01(as_rng_draw(31, (uint32_t)t, (uint32_t)k, (uint32_t)i, 0, 0).lane[0]);
                double x = kind == 0 ? pow(10, -12 * u) : kind == 1 ? 0.2 * (1 + 1e-12 * (double)i)
                         : kind == 2 ? u * (u < 0.7) : kind == 3 ? 0 : kind == 4 ? 0.5 + u : 0.01 * u;
                row[i] = x;
                row[n + i] = 1 / x;
                total += x;
            }
            row[2 * n] = total;
        }
        uint32_t rows[M];
        for (int q = 0; q < M; q++)
            rows[q] = (uint32_t)(q * 2654435761u) % RMAX;
        for (int with_none = 0; with_none < 2; with_none++)
            for (int tabled = 0; tabled < 2; tabled++)
                for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++) {
                    int out[M];
                    if (as_choose_keyed_gather(isas[v], tab, tabled ? tab + n : NULL, tab + 2 * n, stride, rows, slot,
                                               n, with_none, start, M, out) != 0)
                        continue; /* the processor lacks it */
                    vector_runs += isas[v] == AS_CHOICE_AVX512 && n <= 32;
                    for (int q = 0; q < M; q++) {
                        const double *row = tab + rows[q] * stride;
                        int want = row[2 * n] > 0 ? choose_every_clock(row, slot, n, with_none, start[q]) : -1;
                        if (out[q] != want)
                            fail_msg("isa %d, n %zu, none %d, tabled %d, choice %d (row %u): chose %d, every clock "
                                     "gives %d", (int)isas[v], n, with_none, tabled, q, rows[q], out[q], want);
                        none_chosen += out[q] < 0;
                        item_chosen += out[q] >= 0;
                    }
                }
    }
    assert_true(none_chosen > 1000 && item_chosen > 1000); /* both outcomes exercised */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_int_equal(vector_runs, 7 * 2 * 2);
}

/* as_choose_keyed_masked: each choice among the alternatives of its own
 * row open to it, some of weight 1, on every instruction set, against
 * evaluating every clock of the open alternatives listed in index order
 * (as phase A chose offers before: the list of the offers a student may
 * apply to, the weights of the others left out): masks empty, full and in
 * between, rows with weights over twelve orders of magnitude, nearly
 * equal, some zero, all zero, and summing past 1; 33 alternatives (beyond
 * the vector form) and 64 (the most). */
static void test_keyed_choice_masked(void **state)
{
    (void)state;
    enum { M = 219, NMAX = 64, RMAX = 30 };
    const size_t ns[] = {1, 2, 3, 7, 8, 19, 32, 33, 64};
    const as_choice_isa isas[] = {AS_CHOICE_BEST, AS_CHOICE_SCALAR, AS_CHOICE_AVX512};
    uint16_t slot[NMAX];
    uint64_t start[M], allow[M], unit[M];
    slots_and_starts(slot, NMAX, 5, start, M, 13); /* slots: a permutation of 1..64 */
    static double tab[RMAX * 2 * NMAX];
    long vector_runs = 0, none_chosen = 0, item_chosen = 0, unit_chosen = 0;
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t], stride = 2 * n;
        for (size_t k = 0; k < RMAX; k++) {
            int kind = (int)(k % 6);
            for (size_t i = 0; i < n; i++) {
                double u = as_u01(as_rng_draw(37, (uint32_t)t, (uint32_t)k, (uint32_t)i, 0, 0).lane[0]);
                double x = kind == 0 ? pow(10, -12 * u) : kind == 1 ? 0.2 * (1 + 1e-12 * (double)i)
                         : kind == 2 ? u * (u < 0.7) : kind == 3 ? 0 : kind == 4 ? 0.5 + u : 0.01 * u;
                tab[k * stride + i] = x;
                tab[k * stride + n + i] = x > 0 ? 1 / x : INFINITY;
            }
        }
        uint32_t rows[M];
        for (int q = 0; q < M; q++) {
            as_draw d = as_rng_draw(41, (uint32_t)t, (uint32_t)q, 0, 0, 0);
            uint64_t bits = (uint64_t)d.lane[0] << 32 | d.lane[1], full = n == 64 ? ~0ull : (1ull << n) - 1;
            int mk = q % 5; /* empty, full, about half, one, about a quarter */
            allow[q] = full & (mk == 0 ? 0 : mk == 1 ? ~0ull : mk == 2 ? bits : mk == 3 ? 1ull << (q % n)
                                                                             : bits & (bits >> 7));
            unit[q] = allow[q] & (q % 3 == 0 ? (uint64_t)d.lane[2] << 32 | d.lane[3] : 0) & (bits >> 3);
            rows[q] = (uint32_t)(q * 2654435761u) % RMAX;
        }
        for (int with_none = 0; with_none < 2; with_none++)
            for (size_t v = 0; v < sizeof isas / sizeof isas[0]; v++)
                for (int units = 0; units < 2; units++) {
                    int out[M];
                    if (as_choose_keyed_masked(isas[v], tab, tab + n, stride, rows, allow, units ? unit : NULL, slot,
                                               n, with_none, start, M, out) != 0)
                        continue; /* the processor lacks it */
                    vector_runs += isas[v] == AS_CHOICE_AVX512 && n <= 32;
                    for (int q = 0; q < M; q++) {
                        double x[NMAX];
                        uint16_t sl[NMAX];
                        int index[NMAX];
                        size_t m = 0;
                        for (size_t i = 0; i < n; i++)
                            if (allow[q] >> i & 1) {
                                x[m] = units && (unit[q] >> i & 1) ? 1 : tab[rows[q] * stride + i];
                                sl[m] = slot[i];
                                index[m++] = (int)i;
                            }
                        int c = choose_every_clock(x, sl, m, with_none, start[q]), want = c < 0 ? -1 : index[c];
                        if (out[q] != want)
                            fail_msg("isa %d, n %zu, none %d, units %d, choice %d (row %u, allow %#llx): chose %d, "
                                     "every clock gives %d", (int)isas[v], n, with_none, units, q, rows[q],
                                     (unsigned long long)allow[q], out[q], want);
                        none_chosen += out[q] < 0;
                        item_chosen += out[q] >= 0;
                        unit_chosen += units && out[q] >= 0 && (unit[q] >> out[q] & 1);
                    }
                }
    }
    assert_true(none_chosen > 1000 && item_chosen > 1000 && unit_chosen > 100); /* every outcome exercised */
    int out[1];
    assert_int_equal(as_choose_keyed_masked(AS_CHOICE_SCALAR, tab, tab, 130, (uint32_t[]){0}, allow, NULL, slot, 65,
                                            1, start, 1, out), -1); /* beyond 64 alternatives */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_int_equal(vector_runs, 7 * 2 * 2);
}

/* as_choose_keyed_gather_decide from weights and inverses each off by a
 * relative error up to `err`: with err = 1e-12 (what it allows) every
 * choice it decides is the choice of every clock with the exact weights,
 * and with AVX-512 it decides nearly all; without AVX-512 it decides none.
 * Weights of one to five alternatives, close together (rows where two
 * clocks often ring close to each other) or spread.  (The bounds' buckets
 * are about 0.2% wide, so wrong decisions need far larger errors: with an
 * error of 5% this finds 150 of some 20,000 decisions wrong, which shows
 * that it can.) */
static long decide_mismatches(double err, long *decided)
{
    enum { M = 4096, N = 5, ROWS = 64, STRIDE = 2 * N + 1 };
    static double exact[ROWS * STRIDE], approx[ROWS * STRIDE];
    uint16_t slot[N];
    static uint64_t start[M];
    static uint32_t rows[M];
    static int out[M];
    slots_and_starts(slot, N, 2, start, M, 23);
    long mismatches = 0;
    *decided = 0;
    for (size_t n = 1; n <= N; n++) {
        for (size_t k = 0; k < ROWS; k++) {
            double *e = exact + k * STRIDE, *a = approx + k * STRIDE, te = 0, ta = 0;
            for (size_t i = 0; i < n; i++) {
                as_draw d = as_rng_draw(41, (uint32_t)n, (uint32_t)k, (uint32_t)i, 0, 0);
                double u = as_u01(d.lane[0]), v = 2 * as_u01(d.lane[1]) - 1; /* v: the error's sign and size */
                e[i] = k % 2 ? 0.3 * (1 + 1e-10 * (double)i) : 0.01 + u;
                a[i] = e[i] * (1 + err * v);
                e[n + i] = 1 / e[i];
                a[n + i] = (1 / e[i]) * (1 - err * v);
                te += e[i], ta += a[i];
            }
            e[2 * n] = te, a[2 * n] = ta;
        }
        for (int q = 0; q < M; q++)
            rows[q] = (uint32_t)(q * 2654435761u) % ROWS;
        size_t stride = 2 * n + 1;
        for (size_t k = 0; k < ROWS; k++) /* rows of n alternatives at stride 2n + 1 */
            memmove(approx + k * stride, approx + k * STRIDE, stride * sizeof *approx),
                memmove(exact + k * stride, exact + k * STRIDE, stride * sizeof *exact);
        as_choose_keyed_gather_decide(approx, approx + n, approx + 2 * n, stride, rows, slot, n, start, M, out);
        for (int q = 0; q < M; q++) {
            if (out[q] == AS_CHOICE_UNDECIDED)
                continue;
            ++*decided;
            mismatches += out[q] != choose_every_clock(exact + rows[q] * stride, slot, n, 0, start[q]);
        }
    }
    return mismatches;
}

/* as_choose_keyed_factored against every clock of the exact table, where
 * the factors' products are off the table's inverses by a relative error
 * up to `err` (the table: weights 1 / (factor * scale), the factors then
 * perturbed): rows of 8 interests (each matching one alternative) by 4
 * cells, 19 alternatives with "none" (as the program choices), weights
 * small (so that "none" often wins) or large.  Returns the choices that
 * differ. */
static long factored_mismatches(double err, long *chosen)
{
    enum { M = 4096, N = 19, KEYS = 8, CELLS = 4, ROWS = KEYS * CELLS, STRIDE = 2 * N + 1 };
    static double tab[ROWS * STRIDE], scale[ROWS], ra[N], rb[N];
    static int32_t key[ROWS], match[N];
    uint16_t slot[N];
    static uint64_t start[M];
    static uint32_t rows[M];
    static int out[M];
    slots_and_starts(slot, N, 3, start, M, 29);
    long mismatches = 0;
    *chosen = 0;
    for (int big = 0; big < 2; big++) {
        for (size_t i = 0; i < N; i++) {
            as_draw d = as_rng_draw(43, (uint32_t)big, (uint32_t)i, 0, 0, 0);
            double a = (big ? 0.1 : 0.004) * (0.5 + as_u01(d.lane[0]));
            ra[i] = 1 / a;
            rb[i] = 1 / (a * 3);
            match[i] = (int32_t)(i % (KEYS + 2)); /* keys 8 and 9 match no row */
        }
        for (size_t k = 0; k < ROWS; k++) {
            double *row = tab + k * STRIDE, s = 0.5 + (double)(k % CELLS) / 3, total = 0;
            key[k] = (int32_t)(k / CELLS);
            scale[k] = 1 / s;
            for (size_t i = 0; i < N; i++) {
                double r = (match[i] == key[k] ? rb[i] : ra[i]) * scale[k];
                row[N + i] = r;
                row[i] = 1 / r;
                total += row[i];
            }
            row[2 * N] = total;
        }
        for (size_t i = 0; i < N; i++) { /* the factors off by up to err */
            as_draw d = as_rng_draw(47, (uint32_t)big, (uint32_t)i, 0, 0, 0);
            ra[i] *= 1 + err * (2 * as_u01(d.lane[0]) - 1);
            rb[i] *= 1 + err * (2 * as_u01(d.lane[1]) - 1);
        }
        for (int q = 0; q < M; q++)
            rows[q] = (uint32_t)(q * 2654435761u) % ROWS;
        const as_choice_factors f = {ra, rb, match, key, scale};
        as_choose_keyed_factored(tab, tab + N, tab + 2 * N, STRIDE, rows, slot, N, 1, start, M, out, &f);
        for (int q = 0; q < M; q++) {
            *chosen += out[q] >= 0;
            mismatches += out[q] != choose_every_clock(tab + rows[q] * STRIDE, slot, N, 1, start[q]);
        }
    }
    return mismatches;
}

/* Products within 1e-12 give every clock's choices (with or without
 * AVX-512); with AVX-512, products off by 5% give some others, which shows
 * that the vector form decides from the products. */
static void test_keyed_choice_factored(void **state)
{
    (void)state;
    long chosen;
    assert_int_equal(factored_mismatches(1e-12, &chosen), 0);
    assert_true(chosen > 1000 && chosen < 2 * 4096 - 1000); /* "none" and the alternatives both chosen */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_true(factored_mismatches(0.05, &chosen) > 0);
    else
        assert_int_equal(factored_mismatches(0.05, &chosen), 0);
}

static void test_keyed_choice_decide_approximate(void **state)
{
    (void)state;
    long decided;
    assert_int_equal(decide_mismatches(1e-12, &decided), 0);
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        assert_true(decided > 5 * 4096 * 95 / 100);
    else
        assert_int_equal(decided, 0);
}

/* as_normal_quantile_approx within AS_QUANTILE_ERROR * max(1, |z|) of
 * GSL's quantile wherever it gives a value: draws spread over every 32-bit
 * value, the draws on both sides of the edges of the central branch
 * (|u - 1/2| = 0.425), and the first and last 4096 draws, where the tails
 * are steepest; with AVX-512 a value for every draw, else none.  The
 * largest errors it finds are printed (6.7e-16 central, 7.2e-16 in the
 * tails); the test asks for 20 times below the bound in both. */
static void test_normal_quantile_approx(void **state)
{
    (void)state;
    enum { N = 1 << 18 };
    static uint32_t x[N];
    static double z[N];
    for (size_t i = 0; i < N; i++)
        x[i] = (uint32_t)(i * 16384u + (uint32_t)(i * 2654435761u >> 18));
    uint32_t edge = (uint32_t)(0.075 * 4294967296.0), high = (uint32_t)(0.925 * 4294967296.0);
    for (uint32_t d = 0; d < 64; d++) { /* about the central branch's edges */
        x[d] = edge - 32 + d;
        x[64 + d] = high - 32 + d;
    }
    for (uint32_t d = 0; d < 4096; d++) { /* the ends of the tails */
        x[128 + d] = d;
        x[128 + 4096 + d] = UINT32_MAX - d;
    }
    x[128 + 8192] = 1u << 31;
    as_normal_quantile_approx(x, z, N);
    double worst[2] = {0, 0}; /* central, tails */
    long valued = 0;
    for (size_t i = 0; i < N; i++) {
        double u = as_u01(x[i]), want = gsl_cdf_ugaussian_Pinv(u);
        int tail = fabs(u - 0.5) > 0.425;
        if (isnan(z[i]))
            continue;
        double err = fabs(z[i] - want) / fmax(1, fabs(want));
        if (!(err <= AS_QUANTILE_ERROR))
            fail_msg("x = %u (u = %.17g): %.17g, GSL %.17g (error %.3g)", x[i], u, z[i], want, err);
        worst[tail] = fmax(worst[tail], err);
        valued++;
    }
    print_message("largest errors: %.3g central, %.3g in the tails\n", worst[0], worst[1]);
    assert_true(worst[0] < AS_QUANTILE_ERROR / 20);
    assert_true(worst[1] < AS_QUANTILE_ERROR / 20);
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
        assert_true(valued == N);
    else
        assert_int_equal(valued, 0);
}

/* as_exp_approx within 1e-13 of exp over its range: random arguments
 * (uniform in [-700, 700], and in [-1, 1] where destination shifts mostly
 * fall), the ends, 0, and the halfway points of the reduction by ln 2. */
static void test_exp_approx(void **state)
{
    (void)state;
    enum { N = 1 << 16 };
    static double x[N], y[N];
    for (size_t i = 0; i < N; i++) {
        double u = as_u01(as_rng_draw(5, 0, 0, (uint32_t)i, 0, 0).lane[0]);
        x[i] = i % 2 ? (2 * u - 1) * AS_EXP_APPROX_MAX : 2 * u - 1;
    }
    x[0] = AS_EXP_APPROX_MAX, x[1] = -AS_EXP_APPROX_MAX, x[2] = 0, x[3] = 0.5 * M_LN2, x[4] = -0.5 * M_LN2;
    x[5] = 1.5 * M_LN2, x[6] = 1e-300, x[7] = -1e-17;
    as_exp_approx(x, y, N - 3); /* a length that leaves a tail for the scalar form */
    as_exp_approx(x + N - 3, y + N - 3, 3);
    double worst = 0;
    for (size_t i = 0; i < N; i++) {
        double want = exp(x[i]), err = fabs(y[i] - want) / want;
        worst = err > worst ? err : worst;
    }
    if (!(worst < 1e-13))
        fail_msg("as_exp_approx: worst relative error %g", worst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_keyed_choice_probabilities_and_pairing),
        cmocka_unit_test(test_clock_edges_bound),
        cmocka_unit_test(test_keyed_choice_bounds_exact),
        cmocka_unit_test(test_keyed_choice_many),
        cmocka_unit_test(test_keyed_choice_rows),
        cmocka_unit_test(test_keyed_choice_gather),
        cmocka_unit_test(test_keyed_choice_masked),
        cmocka_unit_test(test_keyed_choice_factored),
        cmocka_unit_test(test_normal_quantile_approx),
        cmocka_unit_test(test_keyed_choice_decide_approximate),
        cmocka_unit_test(test_exp_approx),
        cmocka_unit_test(test_many_equals_one_at_a_time),
        cmocka_unit_test(test_uniform_is_open),
        cmocka_unit_test(test_bernoulli_limit),
        cmocka_unit_test(test_draw_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
