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

/* Person i of group g applies for an apprenticeship slot in `trade` (< 0:
 * chosen by a keyed choice) and queues for it with lottery number
 * `lottery`, counted under `source` (enum as_applicant_source).  Returns
 * the trade, or -1 when no trade has slots (nothing queued). */
int as_dest_apply_trade(run *R, worker *w, const group *g, size_t i, int trade, uint32_t lottery, int source);

/* A postsecondary program of `sector` for person i of group g, by a keyed
 * choice: its index, or -1 when none is open. */
int as_dest_pick_postsec(const run *R, const group *g, size_t i, int sector);

#endif
