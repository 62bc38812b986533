/*
 * rng.c - many keyed Philox4x32-10 draws at once.
 *
 * Random123's philox4x32 is one block at a time; a year's sweep needs one
 * block per student, and generating them sixteen at a time with AVX-512 (or
 * eight with AVX2) takes a fraction of the time.  The vector code below is
 * Random123's round and key schedule written with intrinsics (no Debian
 * library offers a vectorized Philox); tests/test_rng.c checks every variant
 * the processor runs bit for bit against philox4x32.
 */
#include "rng.h"

#ifdef AS_COUNT_WORK
unsigned long long as_work[AS_W_COUNT];
#endif

#include <immintrin.h>
#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void draw_many_scalar(uint32_t seed, uint32_t replication, uint32_t cohort, const uint32_t *student,
                             size_t from, size_t n, uint32_t year, uint32_t stream, uint32_t *l0, uint32_t *l1,
                             uint32_t *l2, uint32_t *l3)
{
    for (size_t q = from; q < n; q++) {
        as_draw d = as_rng_block(seed, replication, cohort, student[q], year, stream);
        l0[q] = d.lane[0];
        l1[q] = d.lane[1];
        l2[q] = d.lane[2];
        l3[q] = d.lane[3];
    }
}

/* hi and lo 32-bit halves of m * x in each of eight lanes */
__attribute__((target("avx2"))) static inline void mulhilo8(__m256i m, __m256i x, __m256i *hi, __m256i *lo)
{
    __m256i even = _mm256_mul_epu32(x, m);
    __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) static size_t draw_many_avx2(uint32_t seed, uint32_t replication, uint32_t cohort,
                                                             const uint32_t *student, size_t n, uint32_t year,
                                                             uint32_t stream, uint32_t *l0, uint32_t *l1,
                                                             uint32_t *l2, uint32_t *l3)
{
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M0), m1 = _mm256_set1_epi32((int)PHILOX_M1);
    size_t q = 0;
    for (; q + 8 <= n; q += 8) {
        __m256i c0 = _mm256_loadu_si256((const __m256i *)(student + q));
        __m256i c1 = _mm256_set1_epi32((int)cohort), c2 = _mm256_set1_epi32((int)year);
        __m256i c3 = _mm256_set1_epi32((int)stream);
        uint32_t k0 = seed, k1 = replication;
        for (int r = 0; r < 10; r++) {
            __m256i hi0, lo0, hi1, lo1;
            mulhilo8(m0, c0, &hi0, &lo0);
            mulhilo8(m1, c2, &hi1, &lo1);
            c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
            c1 = lo1;
            c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
            c3 = lo0;
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        _mm256_storeu_si256((__m256i *)(l0 + q), c0);
        _mm256_storeu_si256((__m256i *)(l1 + q), c1);
        _mm256_storeu_si256((__m256i *)(l2 + q), c2);
        _mm256_storeu_si256((__m256i *)(l3 + q), c3);
    }
    return q;
}

/* hi and lo 32-bit halves of m * x in each of sixteen lanes.  The odd lanes
 * are moved into the multiply's place by a shuffle within each 64-bit pair,
 * and the halves put back in order by two masked shuffles, the three
 * exclusive-ors of a word by one instruction (round16).  With 512-bit
 * shifts and blends (as mulhilo8 does with AVX2) and two exclusive-ors, a
 * block took 1.53 ns against 0.97 on the Xeon of docs/performance.md,
 * "Issue 17, twelfth steps" (as_floor's ns_per_block); the likely reason:
 * the shifts share the multiplies' port, the shuffles use another. */
__attribute__((target("avx512f"))) static inline void mulhilo16(__m512i m, __m512i x, __m512i *hi, __m512i *lo)
{
    __m512i even = _mm512_mul_epu32(x, m);
    __m512i odd = _mm512_mul_epu32(_mm512_shuffle_epi32(x, _MM_PERM_CDAB), m);
    *lo = _mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CDAB);
    *hi = _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_CDAB);
}

/* One Philox-4x32 round of sixteen blocks whose words are c[0 .. 4), under
 * the round's keys key0 and key1 (broadcast); each three-way exclusive-or
 * is one instruction (truth table 0x96: a ^ b ^ c). */
__attribute__((target("avx512f"), always_inline)) static inline void round16(__m512i c[4], __m512i m0, __m512i m1,
                                                                              __m512i key0, __m512i key1)
{
    __m512i hi0, lo0, hi1, lo1;
    mulhilo16(m0, c[0], &hi0, &lo0);
    mulhilo16(m1, c[2], &hi1, &lo1);
    c[0] = _mm512_ternarylogic_epi32(hi1, c[1], key0, 0x96);
    c[1] = lo1;
    c[2] = _mm512_ternarylogic_epi32(hi0, c[3], key1, 0x96);
    c[3] = lo0;
}

/* The counters of sixteen blocks: the students from `student`, then cohort, year and stream. */
__attribute__((target("avx512f"), always_inline)) static inline void counters16(__m512i c[4], const uint32_t *student,
                                                                                 uint32_t cohort, uint32_t year,
                                                                                 uint32_t stream)
{
    c[0] = _mm512_loadu_si512((const void *)student);
    c[1] = _mm512_set1_epi32((int)cohort);
    c[2] = _mm512_set1_epi32((int)year);
    c[3] = _mm512_set1_epi32((int)stream);
}

__attribute__((target("avx512f"), always_inline)) static inline void store16(const __m512i c[4], uint32_t *l0,
                                                                              uint32_t *l1, uint32_t *l2, uint32_t *l3)
{
    _mm512_storeu_si512((void *)l0, c[0]);
    _mm512_storeu_si512((void *)l1, c[1]);
    _mm512_storeu_si512((void *)l2, c[2]);
    _mm512_storeu_si512((void *)l3, c[3]);
}

__attribute__((target("avx512f"))) static size_t draw_many_avx512(uint32_t seed, uint32_t replication, uint32_t cohort,
                                                                  const uint32_t *student, size_t n, uint32_t year,
                                                                  uint32_t stream, uint32_t *l0, uint32_t *l1,
                                                                  uint32_t *l2, uint32_t *l3)
{
    const __m512i m0 = _mm512_set1_epi32((int)PHILOX_M0), m1 = _mm512_set1_epi32((int)PHILOX_M1);
    size_t q = 0;
    /* two blocks of sixteen at a time: their rounds interleaved, each block's chain of multiplies
     * waits less on the one before it */
    for (; q + 32 <= n; q += 32) {
        __m512i a[4], b[4];
        counters16(a, student + q, cohort, year, stream);
        counters16(b, student + q + 16, cohort, year, stream);
        uint32_t k0 = seed, k1 = replication;
        for (int r = 0; r < 10; r++, k0 += PHILOX_W0, k1 += PHILOX_W1) {
            const __m512i key0 = _mm512_set1_epi32((int)k0), key1 = _mm512_set1_epi32((int)k1);
            round16(a, m0, m1, key0, key1);
            round16(b, m0, m1, key0, key1);
        }
        store16(a, l0 + q, l1 + q, l2 + q, l3 + q);
        store16(b, l0 + q + 16, l1 + q + 16, l2 + q + 16, l3 + q + 16);
    }
    for (; q + 16 <= n; q += 16) {
        __m512i c[4];
        counters16(c, student + q, cohort, year, stream);
        uint32_t k0 = seed, k1 = replication;
        for (int r = 0; r < 10; r++, k0 += PHILOX_W0, k1 += PHILOX_W1)
            round16(c, m0, m1, _mm512_set1_epi32((int)k0), _mm512_set1_epi32((int)k1));
        store16(c, l0 + q, l1 + q, l2 + q, l3 + q);
    }
    return q;
}

int as_rng_draw_many_isa(as_rng_isa isa, uint32_t seed, uint32_t replication, uint32_t cohort,
                         const uint32_t *student, size_t n, uint32_t year, uint32_t stream, uint32_t *lane0,
                         uint32_t *lane1, uint32_t *lane2, uint32_t *lane3)
{
    size_t done = 0;
    if (isa == AS_RNG_BEST)
        isa = __builtin_cpu_supports("avx512f") ? AS_RNG_AVX512 : __builtin_cpu_supports("avx2") ? AS_RNG_AVX2 : AS_RNG_SCALAR;
    if (isa == AS_RNG_AVX512) {
        if (!__builtin_cpu_supports("avx512f"))
            return -1;
        done = draw_many_avx512(seed, replication, cohort, student, n, year, stream, lane0, lane1, lane2, lane3);
        /* the rest (fewer than 16) eight at a time where AVX2 is there too */
        if (__builtin_cpu_supports("avx2"))
            done += draw_many_avx2(seed, replication, cohort, student + done, n - done, year, stream, lane0 + done,
                                   lane1 + done, lane2 + done, lane3 + done);
    } else if (isa == AS_RNG_AVX2) {
        if (!__builtin_cpu_supports("avx2"))
            return -1;
        done = draw_many_avx2(seed, replication, cohort, student, n, year, stream, lane0, lane1, lane2, lane3);
    }
    draw_many_scalar(seed, replication, cohort, student, done, n, year, stream, lane0, lane1, lane2, lane3);
    return 0;
}

void as_rng_draw_many(uint32_t seed, uint32_t replication, uint32_t cohort, const uint32_t *student, size_t n,
                      uint32_t year, uint32_t stream, uint32_t *lane0, uint32_t *lane1, uint32_t *lane2,
                      uint32_t *lane3)
{
    AS_WORK(AS_W_BLOCKS_MANY, n);
    as_rng_draw_many_isa(AS_RNG_BEST, seed, replication, cohort, student, n, year, stream, lane0, lane1, lane2, lane3);
}

uint64_t as_rng_draw_limit(as_outcome_fn f, const void *ctx, int j)
{
    uint64_t lo = 0, hi = (uint64_t)1 << 32;
    while (lo < hi) { /* invariant: the answer is in [lo, hi] */
        uint64_t mid = lo + (hi - lo) / 2;
        if (f(ctx, (uint32_t)mid) > j)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int bernoulli_fails(const void *ctx, uint32_t x)
{
    return !as_bernoulli(x, *(const double *)ctx);
}

uint64_t as_rng_bernoulli_limit(double p)
{
    return as_rng_draw_limit(bernoulli_fails, &p, 0);
}

/* ---- the normal quantile, approximately ---------------------------------------------------------- */

/* Wichura's PPND16 (Applied Statistics 37, 1988, algorithm AS 241), its
 * rational function for |p - 1/2| <= 0.425: numerator a[], denominator
 * b[] in r = 0.180625 - (p - 1/2)^2, lowest power first.  Written here for
 * eight draws at a time (GSL has only the one-at-a-time quantile);
 * tests/test_rng.c checks it against GSL's. */
static const double ppnd_a[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2, 1.9715909503065514427e+3,
                                 1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                 3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double ppnd_b[8] = {1.0,                      4.2313330701600911252e+1, 6.8718700749205790830e+2,
                                 5.3941960214247511077e+3, 2.1213794301586595867e+4, 3.9307895800092710610e+4,
                                 2.8729085735721942674e+4, 5.2264952788528545610e+3};

/* The same algorithm's rational function for the tails where r =
 * sqrt(-log(min(u, 1 - u))) <= 5, in r - 1.6: numerator c[], denominator
 * d[], lowest power first.  A 32-bit draw's u is at least 2^-33, so r is
 * at most 4.8 and the algorithm's third branch (r > 5) never applies. */
static const double ppnd_c[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,  5.76949722146069140550e0,
                                 3.64784832476320460504e0,  1.27045825245236838258e0,  2.41780725177450611770e-1,
                                 2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double ppnd_d[8] = {1.0,                      2.05319162663775882187e0,  1.67638483018380384940e0,
                                 6.89767334985100004550e-1, 1.48103976427480074590e-1, 1.51986665636164571966e-2,
                                 5.47593808499534494600e-4, 1.05075007164441684324e-9};

/* log of eight doubles in (0, 1]: x = 2^k m with m in [0.75, 1.5), log m
 * = 2 atanh(f) with f = (m - 1) / (m + 1) (|f| <= 0.2) by its series to
 * f^25 (the rest below 1e-19 of it), k ln 2 with ln 2 in two parts as in
 * exp8.  Within a few ulps of log; tests/test_rng.c checks the quantile
 * it serves against GSL's. */
__attribute__((target("avx512f,avx512dq"))) static __m512d log8(__m512d x)
{
    const __m512d one = _mm512_set1_pd(1);
    __m512d m12 = _mm512_getmant_pd(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
    __m512d k = _mm512_getexp_pd(x);
    k = _mm512_mask_add_pd(k, _mm512_cmp_pd_mask(m12, _mm512_set1_pd(1.5), _CMP_GE_OQ), k, one);
    __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_src);
    __m512d f = _mm512_div_pd(_mm512_sub_pd(m, one), _mm512_add_pd(m, one)), f2 = _mm512_mul_pd(f, f);
    __m512d s = _mm512_set1_pd(1.0 / 25);
    for (int j = 23; j >= 3; j -= 2)
        s = _mm512_fmadd_pd(s, f2, _mm512_set1_pd(1.0 / j));
    s = _mm512_mul_pd(s, f2);                       /* f^2 / 3 + f^4 / 5 + ... */
    __m512d f2x = _mm512_add_pd(f, f);
    __m512d logm = _mm512_fmadd_pd(f2x, s, f2x);     /* 2 f (1 + s) */
    __m512d lo = _mm512_fmadd_pd(k, _mm512_set1_pd(1.90821492927058770002e-10), logm);
    return _mm512_fmadd_pd(k, _mm512_set1_pd(6.93147180369123816490e-01), lo);
}

__attribute__((target("avx512f,avx512dq"))) static size_t quantile_avx512(const uint32_t *x, double *z, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d u = _mm512_mul_pd(_mm512_add_pd(_mm512_cvtepu32_pd(_mm256_loadu_si256((const __m256i *)(const void *)(x + i))),
                                                _mm512_set1_pd(0.5)),
                                  _mm512_set1_pd(1.0 / 4294967296.0));
        __m512d q = _mm512_sub_pd(u, _mm512_set1_pd(0.5));
        __m512d r = _mm512_fnmadd_pd(q, q, _mm512_set1_pd(0.180625));
        __m512d num = _mm512_set1_pd(ppnd_a[7]), den = _mm512_set1_pd(ppnd_b[7]);
        for (int k = 6; k >= 0; k--) {
            num = _mm512_fmadd_pd(num, r, _mm512_set1_pd(ppnd_a[k]));
            den = _mm512_fmadd_pd(den, r, _mm512_set1_pd(ppnd_b[k]));
        }
        __mmask8 central = _mm512_cmp_pd_mask(_mm512_abs_pd(q), _mm512_set1_pd(0.425), _CMP_LE_OQ);
        /* the tails: r = sqrt(-log(min(u, 1 - u))) (1 - u is exact), the sign of q */
        __m512d pp = _mm512_min_pd(u, _mm512_sub_pd(_mm512_set1_pd(1), u));
        __m512d t = _mm512_sub_pd(_mm512_sqrt_pd(_mm512_sub_pd(_mm512_setzero_pd(), log8(pp))), _mm512_set1_pd(1.6));
        __m512d tn = _mm512_set1_pd(ppnd_c[7]), td = _mm512_set1_pd(ppnd_d[7]);
        for (int k = 6; k >= 0; k--) {
            tn = _mm512_fmadd_pd(tn, t, _mm512_set1_pd(ppnd_c[k]));
            td = _mm512_fmadd_pd(td, t, _mm512_set1_pd(ppnd_d[k]));
        }
        __m512d tail = _mm512_div_pd(tn, td);
        tail = _mm512_mask_sub_pd(tail, _mm512_cmp_pd_mask(q, _mm512_setzero_pd(), _CMP_LT_OQ), _mm512_setzero_pd(), tail);
        _mm512_storeu_pd(z + i, _mm512_mask_div_pd(tail, central, _mm512_mul_pd(q, num), den));
    }
    return i;
}

void as_normal_quantile_approx(const uint32_t *x, double *z, size_t n)
{
    size_t i = 0;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
        i = quantile_avx512(x, z, n);
    for (; i < n; i++)
        z[i] = NAN;
}
