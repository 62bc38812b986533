/*
 * rng.h - keyed, counter-based random numbers (Random123 Philox4x32-10).
 *
 * A draw is a pure function of (seed, replication, cohort, student, year,
 * stream): the key is (seed, replication) and the counter is (student,
 * cohort, year, stream).  Nothing is stateful, so the order in which threads
 * visit students cannot change a result, and two scenarios run with the same
 * seed give the same student the same draws for the same event (common
 * random numbers), whatever else differs between them.
 *
 * Each call yields four 32-bit lanes; the streams below say which event
 * reads which lane, and that assignment is part of the results' definition:
 * never reuse a lane for two events, and add new events as new streams.
 *
 * Thread-safe: pure functions.
 */
#ifndef AS_RNG_H
#define AS_RNG_H

#include <stddef.h>
#include <stdint.h>
#include <Random123/philox.h>

#include "workcount.h"

enum as_stream {
    /* at entry to grade 9 */
    AS_S_ENTRY = 0,      /* readiness, interest, awareness, - */
    AS_S_ATTRS_A,        /* subgroup attributes 0..3 */
    AS_S_ATTRS_B,        /* subgroup attributes 4..5, -, - */
    /* every school year */
    AS_S_YEAR,           /* -, credential exam, dropout, retention/graduation */
    AS_S_YEAR_B,         /* leave program, -, -, WBL completion */
    AS_S_ADVANCED,       /* advanced course passes 1..4 */
    AS_S_DUAL,           /* dual-enrollment course passes 1..4 */
    AS_S_LOTTERY,        /* program lottery key, dual-enrollment key, WBL key, - */
    /* after high school */
    AS_S_DESTINATION,    /* -, -, seat / slot key, - (choices: AS_S_CHOICE_*) */
    AS_S_POST_YEAR,      /* persistence / attrition / IET completion; IET: route, -, seat key;
                            the apprenticeship pool and external applicants: apply, trade, slot key */
    /* keyed choices (model/choice.h): lanes 0 and 1 start the choice's
       SplitMix64 sequence over the alternatives */
    AS_S_HS_CHOICE,       /* each HS year: program choice start (lanes 0, 1), offer choice start (2, 3) */
    AS_S_CHOICE_DEST,     /* destination after high school */
    AS_S_CHOICE_POSTSEC,  /* postsecondary program */
    AS_S_CHOICE_TRADE,    /* apprenticeship trade */
    AS_S_COUNT
};

/* Cohort numbers for entities that are not grade-9 entrants. */
#define AS_COHORT_ADULT_BASE 0x10000u
#define AS_COHORT_EXTERNAL_BASE 0x20000u  /* external apprenticeship applicants */

typedef struct as_draw { uint32_t lane[4]; } as_draw;

/* as_rng_draw without the count of a build that counts the keyed work
 * (workcount.h): for as_rng_draw_many's own scalar steps, which it counts. */
static inline __attribute__((always_inline)) as_draw as_rng_block(uint32_t seed, uint32_t replication, uint32_t cohort,
                                  uint32_t student, uint32_t year, uint32_t stream)
{
    philox4x32_key_t key = {{seed, replication}};
    philox4x32_ctr_t ctr = {{student, cohort, year, stream}};
    philox4x32_ctr_t r = philox4x32(ctr, key);
    as_draw d = {{r.v[0], r.v[1], r.v[2], r.v[3]}};
    return d;
}

static inline __attribute__((always_inline)) as_draw as_rng_draw(uint32_t seed, uint32_t replication, uint32_t cohort,
                                  uint32_t student, uint32_t year, uint32_t stream)
{
    AS_WORK(AS_W_BLOCKS_ONE, 1);
    return as_rng_block(seed, replication, cohort, student, year, stream);
}

/* Uniform on (0, 1): never exactly 0 or 1, so it is safe in quantile functions. */
static inline double as_u01(uint32_t x)
{
    return ((double)x + 0.5) * (1.0 / 4294967296.0);
}

/* 1 with probability p (p in [0, 1]). */
static inline int as_bernoulli(uint32_t x, double p)
{
    return as_u01(x) < p;
}


/*
 * Draws of one stream for many students of one cohort and year at once:
 * lane[j][q] = as_rng_draw(seed, replication, cohort, student[q], year,
 * stream).lane[j] for q < n, bit for bit.  Uses AVX2 where the processor has
 * it (eight Philox blocks at a time), plain C elsewhere.  Thread-safe.
 */
void as_rng_draw_many(uint32_t seed, uint32_t replication, uint32_t cohort, const uint32_t *student,
                      size_t n, uint32_t year, uint32_t stream, uint32_t *lane0, uint32_t *lane1,
                      uint32_t *lane2, uint32_t *lane3);

/* z[i] ~ the standard normal quantile of as_u01(x[i]) for i < n, within
 * 1e-13 * max(1, |z|) of GSL's gsl_cdf_ugaussian_Pinv (Wichura's algorithm
 * AS 241, which GSL follows: its central branch, and in the tails its second
 * with a vector log); without AVX-512, NaN: the caller takes GSL's value
 * there.  Not GSL's bits: for callers that check whether the difference can
 * matter (entry.c, enter_students). */
#define AS_QUANTILE_ERROR 1e-13
void as_normal_quantile_approx(const uint32_t *x, double *z, size_t n);

/* Draw limits.  Many random outcomes are a function of one 32-bit draw x
 * through a floating-point expression that does not depend on the person
 * (as_bernoulli(x, p), a choice among fixed weights) and are monotone in x.
 * For those a run can table, once, the smallest x at which the outcome
 * passes each value, found by bisection on the very expression; the yearly
 * loop then compares integers.  Because the limits come from the expression
 * itself, deciding by them gives the expression's outcome bit for bit,
 * whatever rounding it does.
 *
 * as_rng_draw_limit: the smallest x in [0, 2^32] with f(ctx, x) > j (2^32
 * when there is none); f must be non-decreasing in x.
 * as_rng_bernoulli_limit: as_bernoulli(x, p) holds iff x < the limit. */
typedef int (*as_outcome_fn)(const void *ctx, uint32_t x);
uint64_t as_rng_draw_limit(as_outcome_fn f, const void *ctx, int j);
uint64_t as_rng_bernoulli_limit(double p);

/* The same with a chosen instruction set (for tests and benchmarks):
 * returns -1, drawing nothing, when the processor lacks it. */
typedef enum as_rng_isa { AS_RNG_BEST, AS_RNG_SCALAR, AS_RNG_AVX2, AS_RNG_AVX512 } as_rng_isa;
int as_rng_draw_many_isa(as_rng_isa isa, uint32_t seed, uint32_t replication, uint32_t cohort,
                         const uint32_t *student, size_t n, uint32_t year, uint32_t stream, uint32_t *lane0,
                         uint32_t *lane1, uint32_t *lane2, uint32_t *lane3);

#endif
