/*
 * entry.h - the state arrays and the people who enter them.
 *
 * as_state_alloc carves one block into the per-person arrays of `state`
 * (sim.h); as_entry_place gives an entry group (a grade-9 cohort, a year's
 * adult learners) its slots, reusing those of finished groups, and
 * as_entry_group fills them with the group's starting state, drawing what
 * is random about an entrant from its own keyed stream.  Internal to model/.
 */
#ifndef AS_ENTRY_H
#define AS_ENTRY_H

#include "sim.h"

/* Allocates the arrays for n people.  Returns 0, or -1 (out of memory) with
 * nothing to free; as_state_free accepts a zeroed or failed state. */
int as_state_alloc(state *s, size_t n);
void as_state_free(state *s);

/* Gives g the first run of free slots long enough for it (g->first). */
void as_entry_place(run *R, group *g);

/* Entry's draw limits (rng.h), once per run, after the subgroup cells'
 * tables and the interests' running sums: share_limit, aware_limit,
 * interest_limit. */
void as_entry_setup(run *R);

/* Fills g's slots with its entrants; parallel over `threads`. */
void as_entry_group(run *R, const group *g, int threads);

/* The state arrays that are zero for everyone in this scenario (nothing in
 * it makes them otherwise: no subgroups, no dual enrollment, ...), which
 * entry neither writes nor looks at.  as_entry_check_zero checks that they
 * are, over every slot used so far (as_check_state, with the invariants):
 * returns 0, or -1 naming the array in err. */
unsigned as_entry_zero_arrays(const run *R);
int as_entry_check_zero(const run *R, as_error *err);

#endif
