/*
 * demand.h - joins a scenario to the labor tables: checks every CIP and SOC
 * the scenario names, fills the results' occupation labels, wages, openings
 * and other supply, and builds the credential -> occupation weights.
 *
 * Openings per occupation and year = regional_share x (growth + labor-force
 * exits + occupational transfers).  With projection "flat" that is the
 * table's annual average every year; with "growth" employment follows the
 * table's 2024-34 path geometrically and openings are that year's change plus
 * separations at the table's separation rate.
 */
#ifndef AS_DEMAND_H
#define AS_DEMAND_H

#include <stdio.h>

#include "labor.h"
#include "market.h"
#include "results.h"
#include "scenario.h"

/* Loads the labor tables a scenario names (data: paths resolved).  Errors
 * name the file and line, or the scenario's JSON path. */
int as_demand_load(const as_scenario *sc, as_labor **out, as_error *err);

/* Checks every code the scenario names against the tables; all problems at
 * once, as "FILE: JSON.path: ...".  Returns AS_OK or AS_EINPUT. */
int as_demand_check(const as_scenario *sc, const as_labor *labor, as_error *err);

/* Writes a note to f for every credential whose CIP code links to
 * occupations that the entry rules all close to it (its holders supply
 * nothing): a scenario that is valid but probably not what was meant. */
void as_demand_notes(const as_scenario *sc, const as_labor *labor, FILE *f);

/* Allocates res for the scenario and the table's occupations, fills labels,
 * wages, openings and other supply, and builds *market.  Returns AS_OK or
 * AS_ENOMEM; nothing allocated on failure. */
int as_demand_prepare(const as_scenario *sc, const as_labor *labor, as_results *res,
                      as_market **market, as_error *err);

#endif
