/*
 * choice.h - choosing one alternative among several, by keyed competing
 * clocks.
 *
 * Every alternative has its own uniform draw, keyed by the person, the year,
 * the kind of choice (`stream`) and the alternative's slot: the rank of a
 * hash of its id among the ids of its collection (as_choice_slots), so the
 * order of items in a scenario file changes nothing.  The alternative chosen
 * is the one whose clock E_j / w_j rings first (E_j = -log U_j, standard
 * exponential): it is j with probability w_j / sum(w).  Raising one weight
 * w_k moves to k the people whose clock for k now rings first, and nobody
 * else's choice changes, which keeps paired comparisons tight (docs/model.md
 * 4.9).  A "none" alternative (slot 0) with weight 1 - sum(w) turns the
 * weights into probabilities (capped: when they sum to 1 or more, none has
 * weight 0); then raising w_k also slows none's clock, so a few people who
 * chose none may move to another alternative (whose probability, w_j, is
 * unchanged: they replace the ones it lost to k).
 *
 * Internal to model/.  Pure and thread-safe.
 */
#ifndef AS_CHOICE_H
#define AS_CHOICE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rng.h"

/* The start of a choice's sequence from a keyed draw (lanes a, b). */
static inline uint64_t as_choice_start(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32) | b;
}

/* A second sequence from the same start, 2^20 positions on (slots stay below 2^16). */
#define AS_CHOICE_SECOND(start) ((start) + (0x9E3779B97F4A7C15ull << 20))

/* The 32-bit draw of alternative `slot` (0 is "none", 1..65535 the items):
 * the high half of position `slot` of a SplitMix64 sequence (Steele, Lea
 * and Flood 2014) started from one keyed Philox draw of the choice.  Philox
 * keys the choice by person, year and stream; SplitMix64's increments and
 * finalizer spread it over the alternatives at about a nanosecond each (a
 * Philox block per alternative cost more than the rest of the engine), and
 * the value for a slot does not depend on the other alternatives or their
 * order.  Written here because neither GSL nor Random123 offers a keyed
 * sequence this cheap. */
static inline uint32_t as_choice_x(uint64_t start, unsigned slot)
{
    uint64_t z = start + (uint64_t)(slot + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (uint32_t)(z >> 32);
}

/* Its uniform, in (0, 1). */
static inline double as_choice_u(uint64_t start, unsigned slot)
{
    return as_u01(as_choice_x(start, slot));
}

/* Bounds on E = -log(u) by the draw's top AS_CLOCK_BITS bits:
 * as_clock_edge[i + 1] < E < as_clock_edge[i] for a draw of bucket i
 * (choice.c).  2049 doubles, 16 KiB: they stay in the first-level cache. */
#define AS_CLOCK_BITS 11
#define AS_CLOCK_BUCKETS (1 << AS_CLOCK_BITS)
extern double as_clock_edge[AS_CLOCK_BUCKETS + 1];

#define AS_CHOICE_NONE_SLOT 0
#define AS_CHOICE_MAX 255 /* alternatives in one choice, besides "none" */

/* The choice as_choose_keyed describes, every clock that can ring first
 * evaluated with a logarithm: -log(u) >= 1 - u, so an alternative whose
 * lower bound (1 - u) / w exceeds the best clock so far (with a slack far
 * above rounding) cannot win, and the outcome is that of evaluating every
 * clock.  "None" goes first: it usually wins. */
static inline int as_choose_keyed_exact(const double *w, const uint16_t *slot, size_t n, int with_none,
                                        uint64_t start, double total)
{
    int best = -1;
    double best_clock = INFINITY;
    unsigned best_slot = AS_CHOICE_NONE_SLOT;
    if (with_none && total < 1)
        best_clock = -log(as_choice_u(start, AS_CHOICE_NONE_SLOT)) / (1 - total);
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0))
            continue;
        double u = as_choice_u(start, slot[i]);
        if (1 - u > best_clock * w[i] * (1 + 1e-9))
            continue;
        double clock = -log(u) / w[i];
        if (clock < best_clock || (clock == best_clock && best >= 0 && slot[i] < best_slot))
            best = (int)i, best_clock = clock, best_slot = slot[i];
    }
    return best;
}

/* Bounds on the clock E / w of the draw x, r = 1 / w: a bucket of the
 * table, from a shift and two loads (no logarithm), about 0.2% wide for a
 * clock near 0.3 (against some 4% for the series bounds this replaced). */
static inline void as_choice_bounds(uint32_t x, double r, double *low, double *high)
{
    unsigned i = x >> (32 - AS_CLOCK_BITS);
    *low = as_clock_edge[i + 1] * r;
    *high = as_clock_edge[i] * r;
}

/* The decision of as_choose_keyed for weights with total `total` > 0;
 * r: 1 / w[i] for each w[i] > 0, or NULL to divide here. */
static inline __attribute__((always_inline)) int as_choose_keyed_core(const double *w, const double *r,
                                                                      const uint16_t *slot, size_t n,
                                                                      int with_none, double total, uint64_t start)
{
    /* The clock of the alternative with the smallest upper bound H rings
     * first when every other's lower bound is above H (with the slack): so
     * the choice is decided when exactly one lower bound is at or below H,
     * and it is that alternative (its lower bound is below its upper bound,
     * H).  Found in two passes without a branch on the draws (which
     * alternative leads is random, so a branch would be mispredicted half
     * the time); an alternative of weight 0 gets bounds of infinity. */
    double low[AS_CHOICE_MAX + 1], h = INFINITY;
    AS_WORK(AS_W_CHOICES, 1);
    AS_WORK(AS_W_ALTERNATIVES, n);
    for (size_t i = 0; i < n; i++) {
        double lo, hi;
        as_choice_bounds(as_choice_x(start, slot[i]), r ? r[i] : 1 / w[i], &lo, &hi);
        int zero = !(w[i] > 0);
        low[i] = zero ? INFINITY : lo;
        hi = zero ? INFINITY : hi;
        h = hi < h ? hi : h;
    }
    size_t m = n;
    if (with_none && total < 1) { /* "none" is the alternative at index n */
        double lo, hi;
        as_choice_bounds(as_choice_x(start, AS_CHOICE_NONE_SLOT), 1 / (1 - total), &lo, &hi);
        low[m++] = lo;
        h = hi < h ? hi : h;
    }
    double t = h * (1 + 1e-9);
    size_t below = 0, which = 0;
    for (size_t i = 0; i < m; i++) {
        size_t in = low[i] * (1 - 1e-9) <= t;
        below += in;
        which += in * i;
    }
    if (below == 1)
        return (int)which | -(int)(which == n); /* -1 for none, without a branch on the draw */
    return as_choose_keyed_exact(w, slot, n, with_none, start, total);
}

/* Chooses among n alternatives with weights w >= 0 and slots slot[] (1..,
 * distinct).  with_none: the weights are probabilities and -1 ("none") is
 * chosen with probability 1 - sum(w) (0 when the sum reaches 1); else the
 * weights are relative.  Returns the index into w, or -1 (none, or every
 * weight 0).  Equal clocks go to the lower slot.
 *
 * Most choices are decided without a logarithm: when the alternative with
 * the smallest upper bound on its clock (as_choice_bounds) has it below
 * every other's lower bound (each with a slack of 1e-9, far above the
 * rounding of the bounds and of the logarithm), its clock rings first, and
 * so it is what evaluating every clock gives (as_choose_keyed_exact, which
 * decides the rest: about one choice in a few hundred). */
static inline int as_choose_keyed(const double *w, const uint16_t *slot, size_t n, int with_none, uint64_t start)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    return as_choose_keyed_core(w, NULL, slot, n, with_none, total, start);
}

/* The same choice from weights tabled with their sum, `total` (added in
 * index order, as as_choose_keyed adds them), and their inverses r[i] =
 * 1 / w[i] (any value where w[i] is 0): no sum and no division per choice. */
static inline int as_choose_keyed_tabled(const double *w, const double *r, double total, const uint16_t *slot,
                                         size_t n, int with_none, uint64_t start)
{
    if (total <= 0)
        return -1;
    return as_choose_keyed_core(w, r, slot, n, with_none, total, start);
}

/* m choices at once (choice.c) among the same n alternatives with the same
 * tabled weights (as as_choose_keyed_tabled takes them; r may be NULL, for
 * the inverses to be computed), started from start[0 .. m): out[q] gets
 * what as_choose_keyed_tabled(w, r, total, slot, n, with_none, start[q])
 * returns.  With AVX-512 (F, DQ and VL) eight choices go at a time, their
 * SplitMix64 steps and bounds in vector registers; those the bounds leave
 * undecided, and every choice on other processors, go one at a time.  The
 * decisions are the same either way (tests/test_rng.c).  isa: the
 * instruction set (AS_CHOICE_BEST: the best the processor has); returns -1,
 * choosing nothing, when the processor lacks the one asked for. */
typedef enum as_choice_isa { AS_CHOICE_BEST, AS_CHOICE_SCALAR, AS_CHOICE_AVX512 } as_choice_isa;
int as_choose_keyed_many(as_choice_isa isa, const double *w, const double *r, double total, const uint16_t *slot,
                         size_t n, int with_none, const uint64_t *start, size_t m, int *out);

/* m choices among the same n alternatives and slots without "none", choice
 * q with the weights of row row[q] of a table: w[row * n + i], their
 * inverses r[row * n + i] and totals total[row] (as as_choose_keyed_tabled
 * takes them).  out[q] gets what as_choose_keyed_tabled(w + row[q] * n,
 * r + row[q] * n, total[row[q]], slot, n, 0, start[q]) returns.  With
 * AVX-512, and a table of at most 16 rows whose totals are all above 0,
 * eight choices go at a time, each lane's weights permuted from registers
 * (no reordering by row); the undecided, and every choice elsewhere, go
 * one at a time.  isa as for as_choose_keyed_many. */
#define AS_CHOICE_ROWS_MAX 16 /* rows of as_choose_keyed_rows' table that the vector form takes */
int as_choose_keyed_rows(as_choice_isa isa, const double *w, const double *r, const double *total, size_t n_rows,
                         const uint16_t *slot, size_t n, const uint64_t *start, const uint8_t *row, size_t m, int *out);

/* m choices among the same n alternatives and slots, choice q with its own
 * row of a table: weights w[row[q] * stride + i], inverses r[row[q] *
 * stride + i] (r may be NULL, for them to be computed; else 1 / w for every
 * weight, infinity for a weight of 0) and total
 * total[row[q] * stride] (added in index order, as as_choose_keyed adds
 * them).  out[q] gets what as_choose_keyed_tabled(w + at, r + at, total[at],
 * slot, n, with_none, start[q]) returns, at = row[q] * stride.  With
 * AVX-512 eight choices go at a time, each lane's weights gathered from its
 * row (no reordering by row, any number of rows); the undecided, and every
 * choice elsewhere, go one at a time.  isa as for as_choose_keyed_many. */
int as_choose_keyed_gather(as_choice_isa isa, const double *w, const double *r, const double *total, size_t stride,
                           const uint32_t *row, const uint16_t *slot, size_t n, int with_none, const uint64_t *start,
                           size_t m, int *out);

/* as_choose_keyed_gather's choices (with tabled inverses, every weight
 * above 0) where the inverse weights factor, to a relative error below
 * AS_CHOICE_FACTOR_ERROR (1e-12) each, as r[row * stride + i] ~ (key[row]
 * == match[i] ? rb[i] : ra[i]) * scale[row]: the vector form computes those
 * products instead of gathering the inverses, and its bounds (with their
 * slack of 1e-9, a thousand times the error) decide the choice of the
 * exact weights, as in as_choose_keyed_gather_decide; the undecided are
 * chosen from the exact table.  The caller checks the error of the
 * products against the table (as_choice_factor_ok).  Without AVX-512, or
 * with more than 32 alternatives, this is as_choose_keyed_gather.  out[q]
 * and the return value as there. */
#define AS_CHOICE_FACTOR_ERROR 1e-12 /* the relative error as_choose_keyed_factored allows a product */

/* Whether the product f stands for the inverse weight r closely enough
 * for as_choose_keyed_factored: false for any NaN or infinity (an
 * infinite r is a weight of 0, which the factored form does not take). */
static inline int as_choice_factor_ok(double f, double r)
{
    return isfinite(f) && isfinite(r) && fabs(f - r) <= AS_CHOICE_FACTOR_ERROR * r;
}

typedef struct as_choice_factors {
    const double *ra, *rb;  /* [n] */
    const int32_t *match;   /* [n] */
    const int32_t *key;     /* [row] */
    const double *scale;    /* [row] */
} as_choice_factors;
int as_choose_keyed_factored(const double *w, const double *r, const double *total, size_t stride,
                             const uint32_t *row, const uint16_t *slot, size_t n, int with_none,
                             const uint64_t *start, size_t m, int *out, const as_choice_factors *f);

/* m choices among the same n <= 64 alternatives and slots, choice q among
 * those of its own row of a table open to it: alternative i is open where
 * bit i of allow[q] is set, with the row's weight w[row[q] * stride + i]
 * and inverse r[row[q] * stride + i] (infinity for a weight of 0), or with
 * weight 1 where bit i of unit[q] is set too (unit may be NULL); the
 * others weigh 0.  out[q] gets what as_choose_keyed gives for the open
 * alternatives' weights listed in index order, as an index among all n
 * (the zeros change no sum and no choice): -1 for none or a total of 0.
 * With AVX-512 eight choices go at a time (as as_choose_keyed_gather); the
 * undecided, and every choice elsewhere, go one at a time.  isa as for
 * as_choose_keyed_many; returns -1 also for n above 64. */
int as_choose_keyed_masked(as_choice_isa isa, const double *w, const double *r, size_t stride, const uint32_t *row,
                           const uint64_t *allow, const uint64_t *unit, const uint16_t *slot, size_t n, int with_none,
                           const uint64_t *start, size_t m, int *out);

/* as_choose_keyed_gather's decisions (without "none") from weights and
 * inverses known only to a relative error below 1e-12 each (say, weights
 * from a vector exp within a few ulps): out[q] is the choice wherever the
 * clock bounds decide it, and then it is the choice of the exact weights
 * (the decision's slack of 1e-9 is a thousand times the error), else
 * AS_CHOICE_UNDECIDED, for the caller to choose from the exact weights.
 * Eight at a time with AVX-512; without it, and for the last m % 8,
 * every out[q] is AS_CHOICE_UNDECIDED. */
#define AS_CHOICE_UNDECIDED (-2)
void as_choose_keyed_gather_decide(const double *w, const double *r, const double *total, size_t stride,
                                   const uint32_t *row, const uint16_t *slot, size_t n, const uint64_t *start,
                                   size_t m, int *out);

/* y[i] = exp(x[i]) for i < n, within a relative error of 1e-13 where
 * |x[i]| <= AS_EXP_APPROX_MAX (elsewhere anything: the caller checks), for
 * weights that as_choose_keyed_gather_decide decides from: eight at a time
 * with AVX-512 (choice.c), else exp itself.  Not exp's bits. */
#define AS_EXP_APPROX_MAX 700.0
void as_exp_approx(const double *x, double *y, size_t n);

/* FNV-1a, 32 bits, of an item's id: what a slot is ranked by. */
static inline uint32_t as_choice_hash(const char *id)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h;
}

/* Slots of n items whose ids are at items + i * size (each item begins with
 * `char *id`): 1 + the rank of the id's hash (then of the id) among them. */
static inline void as_choice_slots(const void *items, size_t n, size_t size, uint16_t *slot)
{
    for (size_t i = 0; i < n; i++) {
        const char *a = *(char *const *)((const char *)items + i * size);
        uint32_t ha = as_choice_hash(a);
        unsigned rank = 0;
        for (size_t j = 0; j < n; j++) {
            const char *b = *(char *const *)((const char *)items + j * size);
            uint32_t hb = as_choice_hash(b);
            rank += hb < ha || (hb == ha && strcmp(b, a) < 0);
        }
        slot[i] = (uint16_t)(1 + rank);
    }
}

#endif
