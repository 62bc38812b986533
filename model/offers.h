/*
 * offers.h - phase A's last pass: the applications of a chunk's students
 * to dual enrollment and work-based learning.  Internal to model/.
 */
#ifndef AS_OFFERS_H
#define AS_OFFERS_H

#include "sim.h"

/* The dual-enrollment and WBL applications of the chunk [i0, i1)'s m
 * students in school, listed in slot order in w->draws.list (w->draws.held:
 * the program each held before this year's admissions; w->draws.lanec:
 * their AS_S_HS_CHOICE draws). */
void as_hs_offers(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t m);

#endif
