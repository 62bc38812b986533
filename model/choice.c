/*
 * choice.c - the table of clock bounds that as_choose_keyed reads (choice.h).
 */
#include "choice.h"

double as_clock_edge[AS_CLOCK_BUCKETS + 1];

/* edge[k] = -log(k / B) for k = 1..B, so that a uniform of bucket i (the
 * top AS_CLOCK_BITS bits of its 32-bit draw), which lies strictly inside
 * (i / B, (i + 1) / B), has -log(u) strictly between edge[i + 1] and
 * edge[i]: the draws' uniforms sit half a step of 2^-32 inside their
 * bucket, so a rounding of the logarithm (an ulp) cannot cross an edge.
 * edge[0] bounds the smallest uniform, 0.5 / 2^32 (-log: 22.87).
 *
 * Filled before main by a constructor: the table has to exist before any
 * choice, and every program that links a choice links this file (the
 * inline functions refer to the table).  A table still zero (a program
 * that somehow ran a choice first) would only send every choice to the
 * exact path: every bound 0 decides nothing. */
/* The same bounds as single-precision pairs, for the vector forms (pair8):
 * bucket i's lower bound, edge[i + 1] rounded down,
 * in the low half, its upper bound, edge[i] rounded up, in the high half,
 * so that one 64-bit gather fetches both.  They are wider than the doubles
 * by a few parts in 10^8, still bounds: a choice they decide is the choice
 * of every clock, as with the doubles; a few more are left to the exact
 * path.  Written here because no library tables -log by bucket. */
static uint64_t clock_pair[AS_CLOCK_BUCKETS];

static uint32_t float_bits(double x, int up)
{
    float f = (float)x;
    if (up ? (double)f < x : (double)f > x)
        f = nextafterf(f, up ? INFINITY : 0);
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

__attribute__((constructor)) static void fill_clock_edges(void)
{
    as_clock_edge[0] = 23;
    for (int k = 1; k <= AS_CLOCK_BUCKETS; k++)
        as_clock_edge[k] = -log((double)k / AS_CLOCK_BUCKETS);
    for (int k = 0; k < AS_CLOCK_BUCKETS; k++)
        clock_pair[k] = (uint64_t)float_bits(as_clock_edge[k], 1) << 32 | float_bits(as_clock_edge[k + 1], 0);
}

/* ---- many choices with the same weights ---------------------------------------------------------- */

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CHOICE_AVX512 1

/* The vector form keeps the alternatives' lower bounds in registers:
 * choices with more alternatives go one at a time. */
#define MANY_VECTOR_MAX 32

/* The clock-table buckets (as_choice_bounds' index) of the draws of
 * alternative `sl` for eight starts, in 64-bit lanes: as_choice_x's
 * SplitMix64 step, then the top bits of its high half.  The step's last
 * z ^= z >> 31 changes none of them (it reaches down to bit 32 only), so
 * it is left out. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline __m512i bucket8(__m512i st, unsigned sl)
{
    __m512i z = _mm512_add_epi64(st, _mm512_set1_epi64((long long)((uint64_t)(sl + 1) * 0x9E3779B97F4A7C15ull)));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)),
                           _mm512_set1_epi64((long long)0xBF58476D1CE4E5B9ull));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)),
                           _mm512_set1_epi64((long long)0x94D049BB133111EBull));
    return _mm512_srli_epi64(z, 64 - AS_CLOCK_BITS);
}

/* The bounds of eight clocks with inverse weights r from their buckets:
 * both halves of clock_pair in one gather, the low halves (lower bounds)
 * then moved to the first eight floats and the high halves to the last by
 * one permutation. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline void pair8(__m512i bucket, __m512d r, __m512d *low,
                                                                             __m512d *high)
{
    const __m512i halves = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    __m512 pair = _mm512_castsi512_ps(_mm512_i64gather_epi64(bucket, (const void *)clock_pair, 8));
    pair = _mm512_permutexvar_ps(halves, pair);
    *low = _mm512_mul_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(pair)), r);
    *high = _mm512_mul_pd(_mm512_cvtps_pd(_mm512_extractf32x8_ps(pair, 1)), r);
}

/* The decision of as_choose_keyed_core for eight choices from their
 * alternatives' lower bounds low[0 .. m) and the least upper bound h:
 * writes to out the index of the one lower bound at or below h (with the
 * slack), -1 where that index is `none_at` (m for none, else beyond), and
 * returns the mask of the undecided, whose out[] are to be overwritten.
 * Every lane is stored: a masked store would keep the loads that follow
 * from forwarding. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline unsigned decide8(const __m512d *low, size_t m,
                                                                                   __m512d h, size_t none_at,
                                                                                   int *out)
{
    __m512d t = _mm512_mul_pd(h, _mm512_set1_pd(1 + 1e-9));
    __m512i below = _mm512_setzero_si512(), which = _mm512_setzero_si512();
    for (size_t i = 0; i < m; i++) {
        __mmask8 in = _mm512_cmp_pd_mask(_mm512_mul_pd(low[i], _mm512_set1_pd(1 - 1e-9)), t, _CMP_LE_OQ);
        below = _mm512_mask_add_epi64(below, in, below, _mm512_set1_epi64(1));
        which = _mm512_mask_add_epi64(which, in, which, _mm512_set1_epi64((long long)i));
    }
    __mmask8 decided = _mm512_cmpeq_epi64_mask(below, _mm512_set1_epi64(1));
    __m512i res = _mm512_mask_blend_epi64(_mm512_cmpeq_epi64_mask(which, _mm512_set1_epi64((long long)none_at)),
                                          which, _mm512_set1_epi64(-1));
    _mm256_storeu_si256((__m256i *)(void *)out, _mm512_cvtepi64_epi32(res));
    return (unsigned)(uint8_t)~decided;
}

/* Eight choices, start[0 .. 8): as_choose_keyed_core lane by lane, with
 * the bounds from clock_pair (pair8: single precision rounded outward,
 * still bounds, so a choice decided here is the choice of every clock, as
 * in as_choose_keyed_core; a few more are left to the exact path), the
 * same comparisons (products and comparisons only, so no contraction into
 * a fused multiply-add can change a bit; the minimum as `hi < h ? hi : h`,
 * which is vminpd), infinite bounds for zero weights, "none" at index n.
 * Writes the choices to out and returns the mask of the undecided
 * (decide8; total > 0 here). */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned many8_avx512(const double *w, const double *r,
                                                                                 double total,
                                                                                 const uint16_t *slot, size_t n,
                                                                                 int with_none,
                                                                                 const uint64_t *start, int *out)
{
    const __m512d inf = _mm512_set1_pd(INFINITY);
    __m512i st = _mm512_loadu_si512((const void *)start);
    __m512d low[MANY_VECTOR_MAX + 1], h = inf;
    int none = with_none && total < 1;
    AS_WORK(AS_W_CHOICES, 8);
    AS_WORK(AS_W_ALTERNATIVES, 8 * n);
    size_t m = n + (size_t)none;
    for (size_t i = 0; i < m; i++) {
        double ri;
        unsigned sl;
        if (i < n) {
            if (!(w[i] > 0)) {
                low[i] = inf;
                continue;
            }
            ri = r ? r[i] : 1 / w[i];
            sl = slot[i];
        } else {
            ri = 1 / (1 - total);
            sl = AS_CHOICE_NONE_SLOT;
        }
        __m512d hi;
        pair8(bucket8(st, sl), _mm512_set1_pd(ri), &low[i], &hi);
        h = _mm512_min_pd(hi, h);
    }
    return decide8(low, m, h, n, out); /* index n is "none": -1 */
}

/* Eight choices among n alternatives without "none", choice q with the
 * weights of row row[q] of a table of at most 16 rows, each alternative's
 * weights and inverses over the rows held in two registers (wlo/whi,
 * rlo/rhi) and permuted to the lanes: otherwise many8_avx512's steps.
 * Returns the mask of the undecided. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned rows8_avx512(const __m512d *wlo,
                                                                                 const __m512d *whi,
                                                                                 const __m512d *rlo,
                                                                                 const __m512d *rhi,
                                                                                 const uint16_t *slot, size_t n,
                                                                                 const uint64_t *start,
                                                                                 const uint8_t *row, int *out)
{
    const __m512d inf = _mm512_set1_pd(INFINITY);
    __m512i st = _mm512_loadu_si512((const void *)start);
    __m512i idx = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(const void *)row));
    __m512d low[MANY_VECTOR_MAX], h = inf;
    AS_WORK(AS_W_CHOICES, 8);
    AS_WORK(AS_W_ALTERNATIVES, 8 * n);
    for (size_t i = 0; i < n; i++) {
        __m512d rv = _mm512_permutex2var_pd(rlo[i], idx, rhi[i]);
        __mmask8 pos = _mm512_cmp_pd_mask(_mm512_permutex2var_pd(wlo[i], idx, whi[i]), _mm512_setzero_pd(), _CMP_GT_OQ);
        __m512d lo, hi;
        pair8(bucket8(st, slot[i]), rv, &lo, &hi);
        low[i] = _mm512_mask_mov_pd(inf, pos, lo);
        h = _mm512_min_pd(_mm512_mask_mov_pd(inf, pos, hi), h);
    }
    return decide8(low, n, h, SIZE_MAX, out); /* no "none" */
}

/* as_choose_keyed_rows with AVX-512: the table's columns loaded into
 * registers once, then eight choices at a time; returns how many it made. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static size_t rows_avx512(const double *w, const double *r,
                                                                              const double *total, size_t n_rows,
                                                                              const uint16_t *slot, size_t n,
                                                                              const uint64_t *start,
                                                                              const uint8_t *row, size_t m, int *out)
{
    __m512d wlo[MANY_VECTOR_MAX], whi[MANY_VECTOR_MAX], rlo[MANY_VECTOR_MAX], rhi[MANY_VECTOR_MAX];
    for (size_t i = 0; i < n; i++) {
        double a[AS_CHOICE_ROWS_MAX] = {0}, b[AS_CHOICE_ROWS_MAX] = {0};
        for (size_t k = 0; k < n_rows; k++) {
            a[k] = w[k * n + i];
            b[k] = r[k * n + i];
        }
        wlo[i] = _mm512_loadu_pd(a);
        whi[i] = _mm512_loadu_pd(a + 8);
        rlo[i] = _mm512_loadu_pd(b);
        rhi[i] = _mm512_loadu_pd(b + 8);
    }
    size_t q = 0;
    for (; q + 8 <= m; q += 8)
        for (unsigned left = rows8_avx512(wlo, whi, rlo, rhi, slot, n, start + q, row + q, out + q); left;
             left &= left - 1) {
            size_t a = q + (size_t)__builtin_ctz(left);
            out[a] = as_choose_keyed_exact(w + row[a] * n, slot, n, 0, start[a], total[row[a]]);
        }
    return q;
}

/* Eight choices among the same n alternatives and slots, choice q with the
 * weights of its own row of a table (as_choose_keyed_gather): each lane's
 * inverse weights (or weights, to be inverted) and total gathered from its
 * row, the bounds from clock_pair, otherwise as many8_avx512 ("none" at
 * index n where with_none and the lane's total is below 1).  With tabled
 * inverses the weights are not read: an inverse of infinity (a weight of
 * 0) gives a lower bound of infinity, or NaN from the last bucket's 0,
 * which no comparison finds below, and an upper bound of infinity, as
 * zero weights get in as_choose_keyed_core.  Lanes whose total is not
 * above 0 choose -1.  Returns the mask of the undecided.
 *
 * masked (a constant in each caller): the alternatives of lane q are
 * those of its row open to it (as_choose_keyed_masked): alternative i
 * where bit i of allow[q] is set, with weight 1 where bit i of unit[q] is
 * set too (unit may be NULL), else 0; the lane's total is added here in
 * index order (the zeros change no sum) and stored to sum[0 .. 8) for the
 * undecided.  An alternative open to no lane is passed over. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline __attribute__((always_inline)) unsigned
gather8_core(const double *w, const double *r, const double *total, size_t stride, const uint32_t *row,
             const uint16_t *slot, size_t n, int with_none, const uint64_t *start, int *out, int masked,
             const uint64_t *allow, const uint64_t *unit, double *sum, const as_choice_factors *f)
{
    const __m512d inf = _mm512_set1_pd(INFINITY), one = _mm512_set1_pd(1);
    __m512i st = _mm512_loadu_si512((const void *)start);
    __m512i at = _mm512_mullo_epi64(_mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)(const void *)row)),
                                    _mm512_set1_epi64((long long)stride));
    __m512i open_bits = _mm512_setzero_si512(), unit_bits = _mm512_setzero_si512();
    uint64_t any = 0; /* the alternatives open to some lane */
    if (masked) {
        open_bits = _mm512_loadu_si512((const void *)allow);
        unit_bits = unit ? _mm512_loadu_si512((const void *)unit) : unit_bits;
        any = (uint64_t)_mm512_reduce_or_epi64(open_bits);
    }
    AS_WORK(AS_W_CHOICES, 8);
#ifdef AS_COUNT_WORK
    for (int lane = 0; lane < 8; lane++)
        AS_WORK(AS_W_ALTERNATIVES, masked ? (size_t)__builtin_popcountll(allow[lane]) : n);
#endif
    __m512d tot = masked ? _mm512_setzero_pd() : _mm512_i64gather_pd(at, total, 8);
    __m512d low[MANY_VECTOR_MAX + 1], h = inf, lo, hi;
    __m256i key = _mm256_setzero_si256();
    __m512d scale = one;
    if (f) {
        __m256i rw = _mm256_loadu_si256((const __m256i *)(const void *)row);
        key = _mm256_i32gather_epi32((const int *)f->key, rw, 4);
        scale = _mm512_i32gather_pd(rw, f->scale, 8);
    }
    for (size_t i = 0; i < n; i++, at = _mm512_add_epi64(at, _mm512_set1_epi64(1))) {
        if (f) { /* approximate inverses, every weight above 0 */
            __mmask8 match = _mm256_cmpeq_epi32_mask(key, _mm256_set1_epi32(f->match[i]));
            __m512d ri = _mm512_mask_mov_pd(_mm512_set1_pd(f->ra[i]), match, _mm512_set1_pd(f->rb[i]));
            pair8(bucket8(st, slot[i]), _mm512_mul_pd(ri, scale), &lo, &hi);
            low[i] = lo;
            h = _mm512_min_pd(hi, h);
            continue;
        }
        if (masked) {
            if (!(any >> i & 1)) {
                low[i] = inf;
                continue;
            }
            __m512i bit = _mm512_set1_epi64((long long)(1ull << i));
            __mmask8 open = _mm512_test_epi64_mask(open_bits, bit);
            __mmask8 ones = _mm512_mask_test_epi64_mask(open, unit_bits, bit);
            __m512d wi = _mm512_mask_mov_pd(_mm512_mask_i64gather_pd(_mm512_setzero_pd(), open, at, w, 8), ones, one);
            __m512d ri = _mm512_mask_mov_pd(_mm512_mask_i64gather_pd(inf, open, at, r, 8), ones, one);
            tot = _mm512_add_pd(tot, wi);
            __mmask8 pos = _mm512_cmp_pd_mask(wi, _mm512_setzero_pd(), _CMP_GT_OQ);
            pair8(bucket8(st, slot[i]), ri, &lo, &hi);
            low[i] = _mm512_mask_mov_pd(inf, pos, lo);
            h = _mm512_min_pd(_mm512_mask_mov_pd(inf, pos, hi), h);
            continue;
        }
        __m512i bucket = bucket8(st, slot[i]);
        if (r) {
            pair8(bucket, _mm512_i64gather_pd(at, r, 8), &lo, &hi);
        } else {
            __m512d wi = _mm512_i64gather_pd(at, w, 8);
            __mmask8 pos = _mm512_cmp_pd_mask(wi, _mm512_setzero_pd(), _CMP_GT_OQ);
            pair8(bucket, _mm512_div_pd(one, wi), &lo, &hi);
            lo = _mm512_mask_mov_pd(inf, pos, lo);
            hi = _mm512_mask_mov_pd(inf, pos, hi);
        }
        low[i] = lo;
        h = _mm512_min_pd(hi, h);
    }
    if (masked)
        _mm512_storeu_pd(sum, tot);
    size_t m = n;
    if (with_none) {
        __mmask8 none = _mm512_cmp_pd_mask(tot, one, _CMP_LT_OQ);
        pair8(bucket8(st, AS_CHOICE_NONE_SLOT), _mm512_div_pd(one, _mm512_sub_pd(one, tot)), &lo, &hi);
        low[m++] = _mm512_mask_mov_pd(inf, none, lo);
        h = _mm512_min_pd(_mm512_mask_mov_pd(inf, none, hi), h);
    }
    unsigned undecided = decide8(low, m, h, n, out); /* index n is "none": -1 */
    __mmask8 empty = _mm512_cmp_pd_mask(tot, _mm512_setzero_pd(), _CMP_NGT_UQ);
    for (unsigned e = empty; e; e &= e - 1)
        out[__builtin_ctz(e)] = -1;
    return undecided & ~(unsigned)empty;
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned gather8_avx512(const double *w, const double *r,
                                                                                   const double *total,
                                                                                   size_t stride,
                                                                                   const uint32_t *row,
                                                                                   const uint16_t *slot, size_t n,
                                                                                   int with_none,
                                                                                   const uint64_t *start, int *out)
{
    return gather8_core(w, r, total, stride, row, slot, n, with_none, start, out, 0, NULL, NULL, NULL, NULL);
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned factored8_avx512(const double *total,
                                                                                     size_t stride,
                                                                                     const uint32_t *row,
                                                                                     const uint16_t *slot, size_t n,
                                                                                     int with_none,
                                                                                     const uint64_t *start, int *out,
                                                                                     const as_choice_factors *f)
{
    return gather8_core(NULL, NULL, total, stride, row, slot, n, with_none, start, out, 0, NULL, NULL, NULL, f);
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned masked8_avx512(const double *w, const double *r,
                                                                                   size_t stride,
                                                                                   const uint32_t *row,
                                                                                   const uint64_t *allow,
                                                                                   const uint64_t *unit,
                                                                                   const uint16_t *slot, size_t n,
                                                                                   int with_none,
                                                                                   const uint64_t *start, int *out,
                                                                                   double *sum)
{
    return gather8_core(w, r, NULL, stride, row, slot, n, with_none, start, out, 1, allow, unit, sum, NULL);
}
#endif

/* The instruction set asked for, AS_CHOICE_BEST made the best the
 * processor has: -1 when it lacks the one asked for. */
static int resolve_isa(as_choice_isa *isa)
{
#ifdef CHOICE_AVX512
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                 __builtin_cpu_supports("avx512vl");
#else
    int avx512 = 0;
#endif
    if (*isa == AS_CHOICE_BEST)
        *isa = avx512 ? AS_CHOICE_AVX512 : AS_CHOICE_SCALAR;
    return *isa == AS_CHOICE_AVX512 && !avx512 ? -1 : 0;
}

int as_choose_keyed_many(as_choice_isa isa, const double *w, const double *r, double total, const uint16_t *slot,
                         size_t n, int with_none, const uint64_t *start, size_t m, int *out)
{
    size_t q = 0;
    if (resolve_isa(&isa) != 0)
        return -1;
#ifdef CHOICE_AVX512
    if (isa == AS_CHOICE_AVX512 && total > 0 && n <= MANY_VECTOR_MAX)
        for (; q + 8 <= m; q += 8)
            for (unsigned left = many8_avx512(w, r, total, slot, n, with_none, start + q, out + q); left;
                 left &= left - 1) { /* the undecided: every clock that can ring first */
                size_t a = q + (size_t)__builtin_ctz(left);
                out[a] = as_choose_keyed_exact(w, slot, n, with_none, start[a], total);
            }
#endif
    for (; q < m; q++)
        out[q] = total > 0 ? as_choose_keyed_core(w, r, slot, n, with_none, total, start[q]) : -1;
    return 0;
}

int as_choose_keyed_rows(as_choice_isa isa, const double *w, const double *r, const double *total, size_t n_rows,
                         const uint16_t *slot, size_t n, const uint64_t *start, const uint8_t *row, size_t m, int *out)
{
    size_t q = 0;
    int all_positive = 1; /* a row of total 0 chooses nothing: left to the scalar form */
    for (size_t k = 0; k < n_rows; k++)
        all_positive &= total[k] > 0;
    if (resolve_isa(&isa) != 0)
        return -1;
#ifdef CHOICE_AVX512
    if (isa == AS_CHOICE_AVX512 && all_positive && n <= MANY_VECTOR_MAX && n_rows <= AS_CHOICE_ROWS_MAX)
        q = rows_avx512(w, r, total, n_rows, slot, n, start, row, m, out);
#else
    (void)all_positive;
#endif
    for (; q < m; q++)
        out[q] = as_choose_keyed_tabled(w + row[q] * n, r + row[q] * n, total[row[q]], slot, n, 0, start[q]);
    return 0;
}

int as_choose_keyed_gather(as_choice_isa isa, const double *w, const double *r, const double *total, size_t stride,
                           const uint32_t *row, const uint16_t *slot, size_t n, int with_none, const uint64_t *start,
                           size_t m, int *out)
{
    size_t q = 0;
    if (resolve_isa(&isa) != 0)
        return -1;
#ifdef CHOICE_AVX512
    if (isa == AS_CHOICE_AVX512 && n <= MANY_VECTOR_MAX)
        for (; q + 8 <= m; q += 8)
            for (unsigned left = gather8_avx512(w, r, total, stride, row + q, slot, n, with_none, start + q, out + q);
                 left; left &= left - 1) {
                size_t a = q + (size_t)__builtin_ctz(left);
                const double *wa = w + (size_t)row[a] * stride;
                out[a] = as_choose_keyed_exact(wa, slot, n, with_none, start[a], total[(size_t)row[a] * stride]);
            }
#endif
    for (; q < m; q++) {
        size_t at = (size_t)row[q] * stride;
        out[q] = total[at] > 0 ? as_choose_keyed_core(w + at, r ? r + at : NULL, slot, n, with_none, total[at], start[q])
                               : -1;
    }
    return 0;
}

int as_choose_keyed_factored(const double *w, const double *r, const double *total, size_t stride,
                             const uint32_t *row, const uint16_t *slot, size_t n, int with_none,
                             const uint64_t *start, size_t m, int *out, const as_choice_factors *f)
{
    size_t q = 0;
    as_choice_isa isa = AS_CHOICE_BEST;
    if (resolve_isa(&isa) != 0 || isa != AS_CHOICE_AVX512 || n > MANY_VECTOR_MAX)
        return as_choose_keyed_gather(AS_CHOICE_BEST, w, r, total, stride, row, slot, n, with_none, start, m, out);
#ifdef CHOICE_AVX512
    for (; q + 8 <= m; q += 8)
        for (unsigned left = factored8_avx512(total, stride, row + q, slot, n, with_none, start + q, out + q, f); left;
             left &= left - 1) {
            size_t a = q + (size_t)__builtin_ctz(left);
            const double *wa = w + (size_t)row[a] * stride;
            out[a] = as_choose_keyed_exact(wa, slot, n, with_none, start[a], total[(size_t)row[a] * stride]);
        }
#endif
    return as_choose_keyed_gather(AS_CHOICE_BEST, w, r, total, stride, row + q, slot, n, with_none, start + q, m - q,
                                  out + q);
}

/* The alternatives open to choice q of as_choose_keyed_masked, listed in
 * index order (one step per alternative open, as phase A listed a
 * student's offers): their weights x, inverses y, slots sl and indices
 * idx; returns how many, their total in *total. */
static size_t masked_list(const double *w, const double *r, size_t stride, uint32_t row, uint64_t allow,
                          uint64_t unit, const uint16_t *slot, double *x, double *y, uint16_t *sl, int *idx,
                          double *total)
{
    const double *wr = w + (size_t)row * stride, *rr = r + (size_t)row * stride;
    size_t m = 0;
    *total = 0;
    for (uint64_t b = allow; b; b &= b - 1, m++) {
        int i = __builtin_ctzll(b), one = (int)(unit >> i & 1);
        x[m] = one ? 1 : wr[i];
        y[m] = one ? 1 : rr[i];
        sl[m] = slot[i];
        idx[m] = i;
        *total += x[m];
    }
    return m;
}

int as_choose_keyed_masked(as_choice_isa isa, const double *w, const double *r, size_t stride, const uint32_t *row,
                           const uint64_t *allow, const uint64_t *unit, const uint16_t *slot, size_t n, int with_none,
                           const uint64_t *start, size_t m, int *out)
{
    size_t q = 0;
    double x[64], y[64], total;
    uint16_t sl[64];
    int idx[64];
    if (resolve_isa(&isa) != 0 || n > 64)
        return -1;
#ifdef CHOICE_AVX512
    if (isa == AS_CHOICE_AVX512 && n <= MANY_VECTOR_MAX)
        for (; q + 8 <= m; q += 8) {
            double sum[8];
            for (unsigned left = masked8_avx512(w, r, stride, row + q, allow + q, unit ? unit + q : NULL, slot, n,
                                                with_none, start + q, out + q, sum);
                 left; left &= left - 1) {
                size_t a = q + (size_t)__builtin_ctz(left);
                size_t k = masked_list(w, r, stride, row[a], allow[a], unit ? unit[a] : 0, slot, x, y, sl, idx, &total);
                int c = as_choose_keyed_exact(x, sl, k, with_none, start[a], sum[__builtin_ctz(left)]);
                out[a] = c < 0 ? -1 : idx[c];
            }
        }
#endif
    for (; q < m; q++) {
        size_t k = masked_list(w, r, stride, row[q], allow[q], unit ? unit[q] : 0, slot, x, y, sl, idx, &total);
        int c = total > 0 ? as_choose_keyed_core(x, y, sl, k, with_none, total, start[q]) : -1;
        out[q] = c < 0 ? -1 : idx[c];
    }
    return 0;
}

void as_choose_keyed_gather_decide(const double *w, const double *r, const double *total, size_t stride,
                                   const uint32_t *row, const uint16_t *slot, size_t n, const uint64_t *start,
                                   size_t m, int *out)
{
    size_t q = 0;
#ifdef CHOICE_AVX512
    as_choice_isa isa = AS_CHOICE_BEST;
    if (resolve_isa(&isa) == 0 && isa == AS_CHOICE_AVX512 && n <= MANY_VECTOR_MAX)
        for (; q + 8 <= m; q += 8)
            for (unsigned left = gather8_avx512(w, r, total, stride, row + q, slot, n, 0, start + q, out + q); left;
                 left &= left - 1)
                out[q + (size_t)__builtin_ctz(left)] = AS_CHOICE_UNDECIDED;
#else
    (void)w, (void)r, (void)total, (void)stride, (void)row, (void)slot, (void)n, (void)start;
#endif
    for (; q < m; q++)
        out[q] = AS_CHOICE_UNDECIDED;
}

#ifdef CHOICE_AVX512
/* exp of eight doubles: x = k ln 2 + r with |r| <= ln 2 / 2 (k rounded, ln 2
 * in two parts so that k times the first is exact for |k| < 2^11), e^r by
 * its Taylor series to r^11 (the rest below r^12 / 12! < 6e-15 of it),
 * then scaled by 2^k (vscalefpd).  Written here, though glibc's libmvec
 * has an exp of eight doubles (_ZGVeN8v_exp, within a few ulps), because
 * linking libmvec added 0.7 ms to every start of the program (6.0 to 6.7
 * ms, `perf stat -r 50 alignsim --version`) for the one use, and the error
 * the caller relies on is stated and tested here (tests/test_rng.c). */
__attribute__((target("avx512f"))) static __m512d exp8(__m512d x)
{
    const __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(1.4426950408889634)),
                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(6.93147180369123816490e-01), x); /* ln 2, high 32 bits */
    r = _mm512_fnmadd_pd(k, _mm512_set1_pd(1.90821492927058770002e-10), r);          /* and the rest */
    static const double inv_factorial[12] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
                                             1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
                                             1.0 / 39916800};
    __m512d p = _mm512_set1_pd(inv_factorial[11]);
    for (int i = 10; i >= 0; i--)
        p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(inv_factorial[i]));
    return _mm512_scalef_pd(p, k);
}

/* as_exp_approx eight at a time: returns how many it did. */
__attribute__((target("avx512f"))) static size_t exp_many_avx512(const double *x, double *y, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_pd(y + i, exp8(_mm512_loadu_pd(x + i)));
    return i;
}
#endif

void as_exp_approx(const double *x, double *y, size_t n)
{
    size_t i = 0;
#ifdef CHOICE_AVX512
    as_choice_isa isa = AS_CHOICE_BEST;
    if (resolve_isa(&isa) == 0 && isa == AS_CHOICE_AVX512)
        i = exp_many_avx512(x, y, n);
#endif
    for (; i < n; i++)
        y[i] = exp(x[i]);
}
