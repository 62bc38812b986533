/*
 * run.h - one replication's run: its per-run tables, workers and entry
 * groups (the `run` of sim.h).  Internal to model/.
 */
#ifndef AS_RUN_H
#define AS_RUN_H

#include "sim.h"

/* Fills R (zeroed, with p, m, res and seed set) for `threads` workers.
 * Returns 0, or -1 when out of memory; as_run_free undoes it either way. */
int as_run_setup(run *R, const as_params *p, int threads);

/* Sets this year's values of the scheduled parameters (seats, slots, apply
 * rates: params.h, as_schedule) for simulated year t (counting warm-up
 * years from 0), and refills the tables that read them (as_hs_year,
 * as_dest_year) only when one differs from the year before.  Call it
 * before the year's first sweep, outside any parallel region. */
void as_run_year(run *R, int t);

/* Frees what as_run_setup allocated; accepts a zeroed or half-set-up run. */
void as_run_free(run *R);

#endif
