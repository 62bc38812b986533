/*
 * highschool.h - the high-school year.
 *
 * Phase A (leaving a program; applying to a program, to dual enrollment and
 * to work-based learning) and phase B (coursework, advanced and
 * dual-enrollment courses, the WBL placement, the credential exam, then
 * dropout, retention, graduation) for a chunk of a group's students, as
 * passes over the chunk, one per event, each with its draws generated
 * together.  The step functions are what the schedule
 * sweeps (engine.c); the graduates of a chunk go on to as_dest_chunk and its
 * people after high school to as_post_chunk.  Internal to model/.
 */
#ifndef AS_HIGHSCHOOL_H
#define AS_HIGHSCHOOL_H

#include "sim.h"

/* Tables the high-school year reads.  Returns 0, or -1 when out of memory. */
int as_hs_setup(run *R, const as_params *p);

/* Refills the tables that read this year's seats, slots and apply rates
 * (R->prog_seats and the rest, set by as_run_year): the programs open per
 * grade and their weights, the offers' weights and masks, need_allocation.
 * Cannot fail (as_hs_setup made room). */
void as_hs_year(run *R, const as_params *p);

/* Whether this processor runs the passes that have an AVX-512 form (F, BW,
 * DQ and VL: the exits, the program choices) in it; R->avx512 says whether
 * a run does. */
int as_hs_avx512(void);

/* A chunk [i0, i1) of group g: phase A only (when seats are limited, before
 * allocation); phases B and C (after it); or all three in one pass (no
 * limited seats).  `shared` is the run; each copies it to a local. */
void as_hs_step_a(run *shared, worker *w, const group *g, size_t i0, size_t i1);
void as_hs_step_bc(run *shared, worker *w, const group *g, size_t i0, size_t i1);
void as_hs_step_abc(run *shared, worker *w, const group *g, size_t i0, size_t i1);

#endif
