/*
 * allocation.h - scarce seats and slots.
 *
 * Applicants are pushed (sim.h: push) into their worker's list during the
 * sweeps; as_allocation_run gathers them by block (a program's grade, a
 * dual-enrollment offer, a WBL program, a postsecondary program, a trade),
 * and each block admits its `capacity` applicants first in (key, person)
 * order: the same set for any number of threads.  Internal to model/.
 */
#ifndef AS_ALLOCATION_H
#define AS_ALLOCATION_H

#include "sim.h"

/* Number of applicant blocks of a run (sizes R->block_first). */
size_t as_allocation_blocks(const run *R);

/* Decides every block: the high-school seats (after_school 0; in_program:
 * [program][grade] students already holding a seat) or the seats and slots
 * after high school (after_school 1).  Admission updates the state and the
 * workers' counters; out of memory sets R->workers[0].oom. */
void as_allocation_run(run *R, int after_school, const int64_t *in_program, int threads);

#endif
