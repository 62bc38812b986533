/*
 * workcount.h - counts of the keyed work a run does, in a build made to
 * count it (cmake -DALIGNSIM_COUNT_WORK=ON; bench/work.sh): Philox blocks
 * drawn, for many students at once and one at a time, and keyed choices
 * with the alternatives each evaluates.  docs/performance.md ("The floor
 * under the full model") sets them beside the toy's.  In every other
 * build AS_WORK is nothing: the counting costs an atomic add per call.
 */
#ifndef AS_WORKCOUNT_H
#define AS_WORKCOUNT_H

enum as_work_kind {
    AS_W_BLOCKS_MANY,    /* Philox blocks from as_rng_draw_many */
    AS_W_BLOCKS_ONE,     /* from as_rng_draw, one at a time */
    AS_W_CHOICES,        /* keyed choices made (a choice the vector bounds leave to the exact path counts once) */
    AS_W_ALTERNATIVES,   /* their alternatives: n each, and for masked choices those open */
    AS_W_COUNT
};

#ifdef AS_COUNT_WORK
extern unsigned long long as_work[AS_W_COUNT];
#define AS_WORK(kind, n) ((void)__atomic_fetch_add(&as_work[kind], (unsigned long long)(n), __ATOMIC_RELAXED))
#else
#define AS_WORK(kind, n) ((void)0)
#endif

#endif
