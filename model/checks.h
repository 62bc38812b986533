/*
 * checks.h - the engine's invariants, verified every year under --check
 * (tests run every library scenario so).  Each returns 0, or -1 with words
 * in err (AS_EINTERNAL: a bug, not bad input).  Internal to model/.
 */
#ifndef AS_CHECKS_H
#define AS_CHECKS_H

#include "sim.h"

/* After the high-school admissions: admissions never fill a program's grade
 * beyond its seats (it may hold more only through its own students who
 * stayed: repeaters and those promoted into a full grade, `stayed`), and no
 * dual-enrollment offer holds more students than its course seats allow. */
int as_check_seats(const run *R, const int64_t *stayed, as_error *err);

/* After a year: every person is in exactly one known state (none left
 * pending); employer placements and apprenticeship starts do not exceed
 * their slots (year_count: the year's counters). */
int as_check_state(const run *R, const int64_t *year_count, as_error *err);

#endif
