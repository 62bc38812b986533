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
__attribute__((constructor)) static void fill_clock_edges(void)
{
    as_clock_edge[0] = 23;
    for (int k = 1; k <= AS_CLOCK_BUCKETS; k++)
        as_clock_edge[k] = -log((double)k / AS_CLOCK_BUCKETS);
}

/* ---- many choices with the same weights ---------------------------------------------------------- */

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CHOICE_AVX512 1

/* The vector form keeps the alternatives' lower bounds in registers:
 * choices with more alternatives go one at a time. */
#define MANY_VECTOR_MAX 32

/* Eight choices, start[0 .. 8): as_choose_keyed_core lane by lane, with the
 * same IEEE operations (products and comparisons only, so no contraction
 * into a fused multiply-add can change a bit; the minimum as `hi < h ? hi :
 * h`, which is vminpd), infinite bounds for zero weights, "none" at index
 * n.  Writes the choices to out and returns the mask of the undecided,
 * whose out[] are to be overwritten (total > 0 here). */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static unsigned many8_avx512(const double *w, const double *r,
                                                                                 double total,
                                                                                 const uint16_t *slot, size_t n,
                                                                                 int with_none,
                                                                                 const uint64_t *start, int *out)
{
    const __m512d inf = _mm512_set1_pd(INFINITY);
    const __m512i c1 = _mm512_set1_epi64((long long)0xBF58476D1CE4E5B9ull);
    const __m512i c2 = _mm512_set1_epi64((long long)0x94D049BB133111EBull);
    const __m256i next = _mm256_set1_epi32(1);
    __m512i st = _mm512_loadu_si512((const void *)start);
    __m512d low[MANY_VECTOR_MAX + 1], h = inf;
    int none = with_none && total < 1;
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
        /* as_choice_x: SplitMix64 at position sl; the bucket of its high half */
        __m512i z = _mm512_add_epi64(st, _mm512_set1_epi64((long long)((uint64_t)(sl + 1) * 0x9E3779B97F4A7C15ull)));
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), c1);
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), c2);
        z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
        __m256i bucket = _mm512_cvtepi64_epi32(_mm512_srli_epi64(z, 64 - AS_CLOCK_BITS));
        __m512d rv = _mm512_set1_pd(ri);
        low[i] = _mm512_mul_pd(_mm512_i32gather_pd(_mm256_add_epi32(bucket, next), as_clock_edge, 8), rv);
        h = _mm512_min_pd(_mm512_mul_pd(_mm512_i32gather_pd(bucket, as_clock_edge, 8), rv), h);
    }
    __m512d t = _mm512_mul_pd(h, _mm512_set1_pd(1 + 1e-9));
    __m512i below = _mm512_setzero_si512(), which = _mm512_setzero_si512();
    for (size_t i = 0; i < m; i++) {
        __mmask8 in = _mm512_cmp_pd_mask(_mm512_mul_pd(low[i], _mm512_set1_pd(1 - 1e-9)), t, _CMP_LE_OQ);
        below = _mm512_mask_add_epi64(below, in, below, _mm512_set1_epi64(1));
        which = _mm512_mask_add_epi64(which, in, which, _mm512_set1_epi64((long long)i));
    }
    __mmask8 decided = _mm512_cmpeq_epi64_mask(below, _mm512_set1_epi64(1));
    __m512i res = _mm512_mask_blend_epi64(_mm512_cmpeq_epi64_mask(which, _mm512_set1_epi64((long long)n)), which,
                                          _mm512_set1_epi64(-1)); /* index n is "none": -1 */
    /* every lane stored (the undecided are overwritten by the caller): a
     * masked store would keep the loads that follow from forwarding */
    _mm256_storeu_si256((__m256i *)(void *)out, _mm512_cvtepi64_epi32(res));
    return (unsigned)(uint8_t)~decided;
}
#endif

int as_choose_keyed_many(as_choice_isa isa, const double *w, const double *r, double total, const uint16_t *slot,
                         size_t n, int with_none, const uint64_t *start, size_t m, int *out)
{
    size_t q = 0;
#ifdef CHOICE_AVX512
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                 __builtin_cpu_supports("avx512vl");
    if (isa == AS_CHOICE_BEST)
        isa = avx512 ? AS_CHOICE_AVX512 : AS_CHOICE_SCALAR;
    if (isa == AS_CHOICE_AVX512 && !avx512)
        return -1;
    if (isa == AS_CHOICE_AVX512 && total > 0 && n <= MANY_VECTOR_MAX)
        for (; q + 8 <= m; q += 8)
            for (unsigned left = many8_avx512(w, r, total, slot, n, with_none, start + q, out + q); left;
                 left &= left - 1) { /* the undecided: every clock that can ring first */
                size_t a = q + (size_t)__builtin_ctz(left);
                out[a] = as_choose_keyed_exact(w, slot, n, with_none, start[a], total);
            }
#else
    if (isa == AS_CHOICE_AVX512)
        return -1;
#endif
    for (; q < m; q++)
        out[q] = total > 0 ? as_choose_keyed_core(w, r, slot, n, with_none, total, start[q]) : -1;
    return 0;
}
