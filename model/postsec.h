/*
 * postsec.h - after high school: postsecondary students, apprentices and
 * adult Integrated Education and Training learners progress, complete or
 * leave, once a year (phase C).  Internal to model/.
 */
#ifndef AS_POSTSEC_H
#define AS_POSTSEC_H

#include "sim.h"

/* Phase C for the chunk's people after high school (w->draws.after); marks
 * group g alive in w when anyone of it is still active: `alive` says
 * whether a high-school student stayed in school or a graduate waits for a
 * seat (people in neither list were already in a terminal state). */
void as_post_chunk(run *R, worker *w, const group *g, int alive);

#endif
