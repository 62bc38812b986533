/*
 * destinations.h - where graduates go the year after high school.
 *
 * A graduate chooses four-year college, community or technical college, a
 * registered apprenticeship, work or neither (multinomial logit on base
 * shares), then a postsecondary program or a trade, and waits for its seat
 * or slot (allocation.h).  Internal to model/.
 */
#ifndef AS_DESTINATIONS_H
#define AS_DESTINATIONS_H

#include "sim.h"

/* Tables the destination choice reads.  Returns 0, or -1 when out of memory. */
int as_dest_setup(run *R, const as_params *p);

/* Refills the postsecondary weights from this year's seats (as_run_year):
 * a program with no seats this year is not chosen. */
void as_dest_year(run *R, const as_params *p);

/* Destinations of the chunk's graduates (w->draws.graduate), their draws
 * generated together.  Returns 1 when one of them waits for a seat or slot. */
int as_dest_chunk(run *R, worker *w, const group *g);

/* A postsecondary program of `sector` for person k, from a uniform u:
 * its index, or -1 when none is open. */
int as_dest_pick_postsec(const run *R, size_t k, int sector, double u);

#endif
