/*
 * market.h - how credentials become occupational supply.
 *
 * A credential (AS_D_CREDENTIAL) links to occupations with weights that sum
 * to 1 (io/ builds them from the CIP->SOC crosswalk, splitting a completer
 * across the linked occupations in proportion to their openings, so nobody
 * is counted twice).  A share in_field_share of labor entrants works in a
 * linked occupation (each credential may set its own share).
 *
 * Owns its arrays; as_market_free accepts NULL.  Read-only once built.
 */
#ifndef AS_MARKET_H
#define AS_MARKET_H

#include <stddef.h>
#include "results.h"

typedef struct as_market {
    size_t n_occupations;
    size_t n_credentials;
    size_t *link_first;      /* n_credentials + 1 */
    size_t *link_occupation; /* occupation index of each link */
    double *link_weight;     /* weights of one credential sum to 1 (or it has no links) */
    double *in_field;        /* per credential: share of its entrants working in the field */
    double *trade_wage;      /* per apprenticeship: journeyworker median wage (NaN: unknown -> 0) */
    unsigned char *source;   /* per credential: enum as_supply_source */
} as_market;

void as_market_free(as_market *m);

/* supply[rep][year][o] = sum over credentials k of labor_entrants[k] *
 * in_field[k] * weight(k, o), and supply_by_source the same sum over the
 * credentials of each source; earnings = sum_o supply * median wage
 * (occupations without a published wage count zero).  Deterministic. */
void as_market_supply(const as_market *m, as_results *res);

#endif
