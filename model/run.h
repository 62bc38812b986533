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

/* Frees what as_run_setup allocated; accepts a zeroed or half-set-up run. */
void as_run_free(run *R);

#endif
