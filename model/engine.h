/*
 * engine.h - the cohort microsimulation: students through high school,
 * programs, dual enrollment, work-based learning and credentials, then
 * postsecondary, apprenticeships, adult IET and the labor market, one school
 * year at a time, for every replication.
 *
 * Inputs are read-only (as_params, as_market); the results are written into
 * an as_results the caller allocated with as_results_alloc.  Randomness is
 * keyed (model/rng.h), students are swept in parallel with OpenMP, and every
 * allocation of scarce seats and slots sorts its applicants by a keyed random
 * number (or GPA) and the student's number, so results are bit-identical for
 * any number of threads.
 *
 * docs/model.md describes the model these functions implement.
 */
#ifndef AS_ENGINE_H
#define AS_ENGINE_H

#include "error.h"
#include "market.h"
#include "params.h"
#include "results.h"

/* Called as each simulated year of each replication ends (year counts the
 * warm-up years too: 0 .. years - 1, years = warm-up + reported years), by
 * the thread that ran it but never by two threads at once (replications side
 * by side interleave).  Return nonzero to stop the run. */
typedef int (*as_progress_fn)(void *ctx, int replication, int year, int years);

typedef struct as_engine_options {
    int threads;              /* 0: OpenMP's default */
    int check_invariants;     /* 1: verify state invariants every year (tests) */
    int scalar;               /* 1: the engine's own passes without vector instructions, where
                               * they have a vector form (tests: the results are the same) */
    as_progress_fn progress;
    void *progress_ctx;
} as_engine_options;

/*
 * Runs every replication of p into res (allocated for p and market): side by
 * side, a thread each, when there are at least as many replications as
 * threads and their states fit in memory; else one after another, the
 * threads sharing each year's sweep.  Either way the results are the same.  Fills
 * supply and earnings through as_market_supply.  Returns AS_OK,
 * AS_ENOMEM, or AS_EINTERNAL when an invariant check fails (with words in
 * err).  Not reentrant on the same res; different runs may proceed at once.
 */
int as_engine_run(const as_params *p, const as_market *market, const as_engine_options *opt,
                  as_results *res, as_error *err);

/* 1 when `runs` runs of p, a replication at a time each, fit in memory
 * side by side (as_engine_run's rounds of replications; a sweep's points
 * side by side, analysis/sweep.c); 0 for one run. */
int as_engine_side_by_side(const as_params *p, int runs);
/* Bytes of simulation state per student. */
size_t as_engine_state_bytes(void);

#endif
