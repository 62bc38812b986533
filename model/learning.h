/*
 * learning.h - phase B's first half: the year's learning of a chunk's
 * students in a program or placed in an offer (coursework, advanced
 * courses, dual-enrollment courses, WBL placements, credential exams), as
 * passes over the chunk.  Internal to model/.
 */
#ifndef AS_LEARNING_H
#define AS_LEARNING_H

#include "sim.h"

/* The learning of the chunk's n students in school (w->draws.student; their
 * year draws in w->draws.lane). */
void as_hs_learning(run *R, worker *w, const group *g, size_t n);

#endif
