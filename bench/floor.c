/*
 * floor.c - what the toy cohort at N = 10^6 costs before any of its model
 * logic: the parts every run of this engine must pay under its rules
 * (docs/performance.md, "The floor under the toy").
 *
 *   cmake --build build-release --target as_floor && build-release/as_floor [N]
 *
 * On one thread, each part timed on its own, best of three:
 *   draws      the keyed Philox blocks the toy needs: one per person-period
 *              (AS_S_YEAR), one per grade-10 student choosing a program
 *              (AS_S_HS_CHOICE), one per graduate (AS_S_CHOICE_DEST; the
 *              toy has no seats or slots, so no AS_S_DESTINATION, which
 *              destinations.c draws only for their lotteries), in chunks of
 *              2048 like the engine (bench/work.sh's counts agree);
 *   choices    one keyed five-way destination choice per graduate, from
 *              tabled weights (as_choose_keyed_tabled over the default base
 *              probabilities, as destinations.c's memo gives them);
 *   touch      first touch of the state of the people active at once (four
 *              cohorts of N, 27 bytes each), freshly allocated, its pages
 *              mapped in by madvise(MADV_POPULATE_WRITE) as entry does.
 * Then two costs per alternative of a keyed choice (15 alternatives and
 * "none", the bench's own starts subtracted): ns_per_alternative, of the
 * factored vector kernel the engine uses; ns_per_alternative_hash, of its
 * SplitMix64 steps and decision alone, the bounds of -log u taken as free.
 * Counts come from the toy's closed form (scenarios/toy-cohort.json):
 * person-periods 37.09875 N, graduates 8.145 N, grade-10 students 9.5 N.
 * Prints one line of JSON (docs/performance.md sets it beside the NumPy
 * twin).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#include "choice.h"
#include "rng.h"

#define CHUNK 2048

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint32_t sink; /* keeps the compiler from dropping the work */

static uint32_t lane[4][CHUNK], student[CHUNK];

/* n keyed blocks of one stream, chunk by chunk. */
static void draws(size_t n, uint32_t stream)
{
    for (size_t done = 0; done < n; done += CHUNK) {
        size_t m = n - done < CHUNK ? n - done : CHUNK;
        as_rng_draw_many(1, 0, (uint32_t)(done >> 20), student, m, 3, stream, lane[0], lane[1], lane[2], lane[3]);
        sink ^= lane[2][m - 1];
    }
}

/* n destination choices, the starts taken from keyed blocks (not timed
 * here: counted under draws). */
static void choices(size_t n)
{
    static const double w[5] = {0.4, 0.25, 0.02, 0.23, 0.1};
    static const uint16_t slot[5] = {1, 2, 3, 4, 5};
    double r[5], total = 0;
    for (int j = 0; j < 5; j++)
        r[j] = 1 / w[j], total += w[j];
    uint64_t start = 0x243F6A8885A308D3ull;
    for (size_t q = 0; q < n; q++) {
        start = start * 6364136223846793005ull + 1442695040888963407ull; /* stands for the keyed start */
        sink += (uint32_t)as_choose_keyed_tabled(w, r, total, slot, 5, 0, start);
    }
}

/* The vector keyed choices' cost per alternative (for the floor under the
 * full model, bench/work.sh): n choices among ALTS alternatives with
 * "none", each with its own row of a table of 64 whose inverse weights
 * factor (ra[i] times the row's scale), CHUNK at a time by
 * as_choose_keyed_factored, the kernel of the program and postsecondary
 * choices (three in four of Miami-Dade's alternatives). */
#define ALTS 15
#define ROWS 64

static double ra[ALTS]; /* the inverse weights' factors (alternatives) */

/* The next m keyed starts (stand-ins: an LCG from *s) and rows of 64. */
static void next_starts(uint64_t *s, size_t m, uint64_t *start, uint32_t *row)
{
    for (size_t q = 0; q < m; q++) {
        *s = *s * 6364136223846793005ull + 1442695040888963407ull;
        start[q] = *s;
        row[q] = (uint32_t)(*s >> 58);
    }
}

static void alternatives(size_t n, uint32_t unused)
{
    (void)unused;
    static double tab[ROWS * (2 * ALTS + 1)];
    static uint16_t slot[ALTS];
    static uint32_t row[CHUNK];
    static uint64_t start[CHUNK];
    static int out[CHUNK];
    const size_t stride = 2 * ALTS + 1;
    static double scale[ROWS];
    static int32_t match[ALTS], key[ROWS];
    for (size_t i = 0; i < ALTS; i++) {
        ra[i] = 1 / (0.002 + 0.06 * (double)((i * 13) % 17) / 17);
        match[i] = -1;
    }
    for (size_t k = 0; k < ROWS; k++) {
        double total = 0;
        scale[k] = 1 / (0.7 + 0.6 * (double)k / ROWS);
        key[k] = -2;
        for (size_t i = 0; i < ALTS; i++) {
            double r = ra[i] * scale[k]; /* a total below 1: "none" too */
            tab[k * stride + i] = 1 / r;
            tab[k * stride + ALTS + i] = r;
            total += 1 / r;
        }
        tab[k * stride + 2 * ALTS] = total;
    }
    const as_choice_factors f = {ra, ra, match, key, scale};
    for (size_t i = 0; i < ALTS; i++)
        slot[i] = (uint16_t)(i + 1);
    uint64_t s = 0x243F6A8885A308D3ull;
    for (size_t done = 0; done < n; done += CHUNK) {
        size_t m = n - done < CHUNK ? n - done : CHUNK;
        next_starts(&s, m, start, row);
        as_choose_keyed_factored(tab, tab + ALTS, tab + 2 * ALTS, stride, row, slot, ALTS, 1, start, m, out, &f);
        sink += (uint32_t)out[m - 1];
    }
}

/* The same loop's starts and rows alone, to be subtracted. */
static void starts_only(size_t n, uint32_t unused)
{
    (void)unused;
    static uint32_t row[CHUNK];
    static uint64_t start[CHUNK];
    uint64_t s = 0x243F6A8885A308D3ull;
    for (size_t done = 0; done < n; done += CHUNK) {
        size_t m = n - done < CHUNK ? n - done : CHUNK;
        next_starts(&s, m, start, row);
        sink += (uint32_t)(start[m - 1] ^ row[m - 1]);
    }
}

static double touch(size_t bytes)
{
    void *block;
    if (posix_memalign(&block, 4096, bytes) != 0)
        return NAN;
    char *p = block;
    double t = now();
    (void)madvise(p, bytes, MADV_POPULATE_WRITE);
    memset(p, 0xff, bytes);
    t = now() - t;
    sink ^= (uint32_t)p[bytes / 2];
    free(p);
    return t;
}

static double best_of_3(void (*f)(size_t, uint32_t), size_t n, uint32_t stream)
{
    double best = INFINITY;
    for (int r = 0; r < 3; r++) {
        double t = now();
        f(n, stream);
        t = now() - t;
        best = t < best ? t : best;
    }
    return best;
}

/* The same choices' keyed work with the bounds at no cost: each
 * alternative's SplitMix64 step (as_choice_x, eight starts at a time, the
 * steps of choice.c's bucket8, which is the library's own) and
 * the decision (the least "clock" and how many come near it), with the
 * bucket of the draw standing for its bounds instead of clock_pair's gather
 * from a table.  Not a kernel that decides choices: the least an
 * alternative can cost on this processor under keyed, bit-identical choices,
 * for any way of bounding -log u (docs/performance.md, "Issue 17, tenth
 * steps").  NAN without AVX-512. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
__attribute__((target("avx512f,avx512dq,avx512vl"))) static void hash_floor8(size_t n, uint32_t unused)
{
    (void)unused;
    static uint32_t row[CHUNK];
    static uint64_t start[CHUNK];
    uint64_t s = 0x243F6A8885A308D3ull;
    __m512i acc = _mm512_setzero_si512();
    for (size_t done = 0; done < n; done += CHUNK) {
        size_t m = n - done < CHUNK ? n - done : CHUNK;
        next_starts(&s, m, start, row);
        for (size_t q = 0; q + 8 <= m; q += 8) {
            __m512i st = _mm512_loadu_si512((const void *)(start + q));
            __m512d low[ALTS + 1], h = _mm512_set1_pd(INFINITY);
            for (unsigned i = 0; i <= ALTS; i++) { /* "none" and the alternatives */
                __m512i z = _mm512_add_epi64(st, _mm512_set1_epi64((long long)((uint64_t)(i + 1) * 0x9E3779B97F4A7C15ull)));
                z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)),
                                       _mm512_set1_epi64((long long)0xBF58476D1CE4E5B9ull));
                z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)),
                                       _mm512_set1_epi64((long long)0x94D049BB133111EBull));
                __m512d b = _mm512_cvtepi64_pd(_mm512_srli_epi64(z, 64 - AS_CLOCK_BITS));
                __m512d r = _mm512_set1_pd(ra[i % ALTS]);
                low[i] = _mm512_mul_pd(b, r);
                h = _mm512_min_pd(_mm512_mul_pd(_mm512_add_pd(b, _mm512_set1_pd(1)), r), h);
            }
            __m512i below = _mm512_setzero_si512(), which = _mm512_setzero_si512();
            for (unsigned i = 0; i <= ALTS; i++) {
                __mmask8 in = _mm512_cmp_pd_mask(low[i], h, _CMP_LE_OQ);
                below = _mm512_mask_add_epi64(below, in, below, _mm512_set1_epi64(1));
                which = _mm512_mask_add_epi64(which, in, which, _mm512_set1_epi64(i));
            }
            acc = _mm512_add_epi64(acc, _mm512_add_epi64(below, which));
        }
    }
    sink += (uint32_t)_mm512_reduce_add_epi64(acc);
}

static double hash_floor(size_t n)
{
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512dq"))
        return NAN;
    return best_of_3(hash_floor8, n, 0);
}
#else
static double hash_floor(size_t n)
{
    (void)n;
    return NAN;
}
#endif

static void choices_adapter(size_t n, uint32_t unused)
{
    (void)unused;
    choices(n);
}

int main(int argc, char **argv)
{
    double n = argc > 1 ? atof(argv[1]) : 1e6;
    if (!(n >= 1 && n <= 1e8)) {
        fprintf(stderr, "as_floor: N must be a number from 1 to 1e8\n");
        return 2;
    }
    for (uint32_t i = 0; i < CHUNK; i++)
        student[i] = i;
    size_t pp = (size_t)(37.09875 * n), grads = (size_t)(8.145 * n), grade10 = (size_t)(9.5 * n);
    size_t blocks = pp + grade10 + grads;
    double t_draws = best_of_3(draws, blocks, AS_S_YEAR);
    double t_choices = best_of_3(choices_adapter, grads, 0);
    size_t n_alt = (size_t)(n < 1e6 ? n : 1e6);
    double t_starts = best_of_3(starts_only, n_alt, 0);
    double t_alt = best_of_3(alternatives, n_alt, 0) - t_starts, t_hash = hash_floor(n_alt) - t_starts;
    double t_touch = INFINITY;
    for (int r = 0; r < 3; r++) {
        double t = touch((size_t)(4 * n * 27));
        t_touch = t < t_touch ? t : t_touch;
    }
    char hash[32] = "null"; /* JSON has no NaN: null without AVX-512 */
    if (!isnan(t_hash))
        snprintf(hash, sizeof hash, "%.3f", 1e9 * t_hash / ((double)n_alt * (ALTS + 1)));
    printf("{\"n\":%.0f,\"blocks\":%zu,\"draws_s\":%.4f,\"ns_per_block\":%.3f,\"graduates\":%zu,\"choices_s\":%.4f,"
           "\"touch_bytes\":%.0f,\"touch_s\":%.4f,\"floor_s\":%.4f,\"ns_per_alternative\":%.3f,"
           "\"ns_per_alternative_hash\":%s,\"sink\":%u}\n",
           n, blocks, t_draws, 1e9 * t_draws / (double)blocks, grads, t_choices, 4 * n * 27, t_touch,
           t_draws + t_choices + t_touch, 1e9 * t_alt / ((double)n_alt * (ALTS + 1)),
           hash, sink);
    return 0;
}
