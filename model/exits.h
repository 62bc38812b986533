/*
 * exits.h - phase B's second half: the exits of a chunk's students in
 * school (dropout, retention, promotion or graduation, each decided by a
 * draw against a tabled limit) and the graduates' counts.  Internal to
 * model/.
 */
#ifndef AS_EXITS_H
#define AS_EXITS_H

#include "sim.h"

/* The exits of the chunk's n students in school (w->draws.student, slots
 * [i0, i1) of group g; their year draws in w->draws.lane): the tally of
 * students in school, the exits, the tally of dropouts and the graduates'
 * counts (graduate).  Leaves the graduates in w->draws.graduate for
 * as_dest_chunk; returns 1 when someone stays in school. */
int as_hs_exits(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n);

#endif
