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
