/*
 * engine.c - the yearly schedule of the cohort microsimulation.
 *
 * State is a structure of arrays, one slot per person, laid out entry group
 * by entry group (a cohort of students, a year's adult IET learners) so that
 * a year sweeps only the groups that still have someone active; a group
 * whose people are all in terminal states gives its slots to later groups.
 *
 * One school year, for each replication:
 *   1. a new grade-9 cohort, a group of adult learners and the year's
 *      external apprenticeship applicants enter;
 *   2. phase A (parallel): high-school students may leave their program,
 *      apply to a program, to dual enrollment and to work-based learning;
 *   3. allocation: seats, course seats and employer slots go to applicants in
 *      the order of a keyed lottery number (or GPA), the student number
 *      breaking ties: the same for any number of threads;
 *   4. phase B (parallel): coursework, advanced courses, dual-enrollment
 *      credits, placements, credential exams, then dropout, retention,
 *      graduation; graduates choose a destination;
 *   5. phase C (parallel): postsecondary students, apprentices and adult
 *      learners progress, complete or leave; the apprenticeship pool and the
 *      external applicants apply;
 *   6. allocation of postsecondary seats and apprenticeship slots to the
 *      year's graduates, adult completers and apprenticeship applicants;
 *      unfilled slots are counted.
 * Each phase is its submodel's module (sim.h lists them); this file only
 * calls them in this order.
 * Every count is an integer summed per thread and reduced in a fixed order.
 * warmup_years of the same schedule run first and are not recorded.
 *
 * How it is made fast (docs/performance.md): the sweeps go chunk by chunk
 * (CHUNK people), each chunk listing its active people in one pass and
 * doing the high-school year as passes over them (highschool.c), each
 * pass's random numbers drawn together for the students it needs them for
 * (model/rng.c, AVX-512 or AVX2); when no high-school seat is limited,
 * phases A, B and C are one sweep; phase A and B's learning visit only the
 * students they can change; keyed choices mostly need no logarithm
 * (choice.h); choices read weights tabled once per run (again in a year when a
 * schedule changes a seat count or apply rate), and outcomes that are
 * the same for a whole (grade, program, subgroup cell) compare the draw with
 * a tabled limit; students in school are tallied per sweep; an
 * oversubscribed block is selected, not sorted; finished entry groups give
 * their slots to later ones; replications run side by side, a thread each,
 * in whole rounds, and those left over one at a time on every thread.  None
 * of this changes a result: the draws are keyed, not sequenced, and the
 * limits reproduce the expressions.
 */
#include "engine.h"
#include "alloc.h"

#include "engine.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "allocation.h"
#include "checks.h"
#include "entry.h"
#include "highschool.h"
#include "run.h"
#include "sim.h"

/* Adds the worker's tallies to its counters: of students in school, by
 * grade and enrolled by program and subgroup (a table of small counts per
 * sweep, in R->tally_copies copies, rather than two counter updates per
 * student); of graduates, by program, subgroup and what they hold (one
 * increment per graduate rather than up to five counter updates, taken or
 * not on a branch); of dropouts, by subgroup; of graduates who settle
 * into work or neither, by destination and subgroup. */
static void flush_tally(const run *R, worker *w)
{
    size_t cols = R->n_prog + 1;
    for (int g = 0; g < AS_GRADES; g++)
        for (size_t col = 0; col < cols; col++)
            for (size_t cell = 0; cell < R->n_cells; cell++) {
                size_t at = ((size_t)g * cols + col) * R->n_cells + cell;
                int64_t t = 0;
                for (size_t copy = 0; copy < R->tally_copies; copy++) {
                    t += w->tally[copy * R->tally_cells + at];
                    w->tally[copy * R->tally_cells + at] = 0;
                }
                if (t == 0)
                    continue;
                count(R, w->count, AS_V_STUDENTS_IN_SCHOOL, (size_t)g, t);
                count_sg(R, w->count, AS_V_ENROLLED, col, (unsigned)cell, t);
            }
    uint32_t *grads = w->leavers;
    for (size_t col = 0; col < cols; col++)
        for (size_t cell = 0; cell < R->n_cells; cell++)
            for (unsigned kind = 0; kind < GRAD_KINDS; kind++, grads++) {
                int64_t t = *grads;
                if (t == 0)
                    continue;
                *grads = 0;
                count_sg(R, w->count, AS_V_GRADUATES, col, (unsigned)cell, t);
                if (kind & GRAD_COMPLETER)
                    count_sg(R, w->count, AS_V_PATHWAY_COMPLETERS, col, (unsigned)cell, t);
                if (kind & GRAD_CREDIT)
                    count_sg(R, w->count, AS_V_GRADS_POSTSEC_EXPERIENCE, 0, (unsigned)cell, t);
                if (kind & GRAD_CREDENTIAL)
                    count_sg(R, w->count, AS_V_GRADS_WITH_CREDENTIAL, 0, (unsigned)cell, t);
                if ((kind & GRAD_CREDIT) && (kind & GRAD_CREDENTIAL))
                    count_sg(R, w->count, AS_V_GRADS_CREDIT_AND_CREDENTIAL, 0, (unsigned)cell, t);
            }
    uint32_t *t = w->leavers + R->leaver_dropouts;
    for (size_t cell = 0; cell < R->n_cells; cell++, t++)
        if (*t) {
            count_sg(R, w->count, AS_V_DROPOUTS, 0, (unsigned)cell, *t);
            *t = 0;
        }
    t = w->leavers + R->leaver_dests;
    for (size_t dest = 0; dest < AS_DEST_COUNT; dest++)
        for (size_t cell = 0; cell < R->n_cells; cell++, t++)
            if (*t) {
                count_sg(R, w->count, AS_V_DESTINATIONS, dest, (unsigned)cell, *t);
                *t = 0;
            }
}

/* Runs `fn` over every chunk of every active group, in parallel. */
typedef void (*sweep_fn)(run *R, worker *w, const group *g, size_t i0, size_t i1);

static void sweep(run *R, sweep_fn fn, int threads)
{
    #pragma omp parallel num_threads(threads)
    {
        worker *w = &R->workers[omp_get_thread_num()];
        for (int gi = 0; gi < R->n_groups; gi++) {
            const group *g = &R->groups[gi];
            if (!g->active)
                continue;
            size_t chunks = (g->n + CHUNK - 1) / CHUNK;
            /* guided: long runs of chunks first, then shorter ones, so a thread whose core was
             * slowed (a busy host under a virtual machine) leaves the other less to wait for */
            #pragma omp for schedule(guided) nowait
            for (size_t ch = 0; ch < chunks; ch++)
                fn(R, w, g, ch * CHUNK, ch * CHUNK + CHUNK < g->n ? ch * CHUNK + CHUNK : g->n);
        }
        flush_tally(R, w);
    }
}

/* Sums per-thread counters into c (fixed order: exact integers anyway). */
static void reduce(run *R, int64_t *c, size_t n)
{
    for (int t = 0; t < R->n_workers; t++) {
        int64_t *src = R->workers[t].count;
        for (size_t i = 0; i < n; i++) {
            c[i] += src[i];
            src[i] = 0;
        }
    }
}

/* A group stays active while any worker saw someone in it not yet in a
 * terminal state (as_hs_step_bc records that). */
static void update_active(run *R)
{
    for (int gi = 0; gi < R->n_groups; gi++) {
        int any = 0;
        for (int t = 0; t < R->n_workers; t++) {
            any |= R->workers[t].alive[gi];
            R->workers[t].alive[gi] = 0;
        }
        R->groups[gi].active = any;
    }
}

static int run_replication(run *R, int threads, int check, const as_engine_options *opt, int64_t *c,
                           as_error *err)
{
    const as_params *p = R->p;
    as_results *res = R->res;
    size_t slab = res->slab;
    for (int gi = 0; gi < R->n_groups; gi++)
        R->groups[gi].active = 0;
    int warmup = p->warmup_years;
    double *phase = R->phase_s, since = omp_get_wtime(), now; /* since: the current phase began */
#define PHASE_END(k) (now = omp_get_wtime(), phase[k] += now - since, since = now)
    for (int t = 0; t < warmup + p->years; t++) { /* t counts warm-up years too */
        R->year = t;
        as_run_year(R, t); /* this year's seats, slots and apply rates */
        PHASE_END(AS_PHASE_OTHER);
        memset(c, 0, slab * sizeof *c);
        int span = warmup + p->years;
        for (int q = 0; q < 3; q++) { /* the year's cohort, adult learners, external applicants */
            group *g = &R->groups[q < 2 ? 2 * t + q : 2 * span + t];
            as_entry_place(R, g);
            as_entry_group(R, g, threads);
            g->active = g->n > 0;
            if (q == 0) { /* entrants tallied by subgroup cell, then counted cell by cell */
                #pragma omp parallel num_threads(threads)
                {
                    /* a cell is a byte of attributes; in COUNT_COPIES copies (sim.h): the
                     * entrants of one cell (all of them, without subgroups) would otherwise
                     * each wait for the last one's store */
                    uint32_t tally[COUNT_COPIES][256] = {{0}};
                    const uint8_t *attrs = R->s.attrs + g->first;
                    #pragma omp for schedule(static)
                    for (size_t i = 0; i < g->n; i++)
                        tally[i % COUNT_COPIES][attrs[i]]++;
                    worker *w = &R->workers[omp_get_thread_num()];
                    for (size_t cell = 0; cell < R->n_cells; cell++) {
                        uint32_t in_cell = 0;
                        for (int copy = 0; copy < COUNT_COPIES; copy++)
                            in_cell += tally[copy][cell];
                        if (in_cell)
                            count_sg(R, w->count, AS_V_ENTRANTS, 0, (unsigned)cell, in_cell);
                    }
                }
            }
        }
        PHASE_END(AS_PHASE_ENTRY);
        const size_t in_program_n = (R->n_prog + 1) * AS_GRADES;
        for (int wk = 0; wk < R->n_workers; wk++)
            memset(R->workers[wk].in_program, 0, COUNT_COPIES * in_program_n * sizeof(int64_t));
        int64_t in_program[(AS_MAX_PROGRAMS + 1) * AS_GRADES];
        memset(in_program, 0, sizeof in_program);
        if (R->need_allocation) {
            sweep(R, as_hs_step_a, threads);
            PHASE_END(AS_PHASE_A);
            for (int wk = 0; wk < R->n_workers; wk++)
                for (size_t j = 0; j < COUNT_COPIES * in_program_n; j++)
                    in_program[j % in_program_n] += R->workers[wk].in_program[j];
            as_allocation_run(R, 0, in_program, threads);
            if (check && as_check_seats(R, in_program, err) != 0)
                return err->code;
            PHASE_END(AS_PHASE_ALLOCATION);
            sweep(R, as_hs_step_bc, threads);
            PHASE_END(AS_PHASE_BC);
        } else {
            sweep(R, as_hs_step_abc, threads);
            PHASE_END(AS_PHASE_A);
        }
        as_allocation_run(R, 1, in_program, threads);
        PHASE_END(AS_PHASE_ALLOCATION);
        reduce(R, c, slab);
        for (size_t j = 0; j < p->apprenticeships.n; j++) { /* slots left empty */
            double left = R->trade_slots[j] - (double)c[res->offset[AS_V_APPRENTICE_STARTS] + j];
            c[res->offset[AS_V_APPRENTICE_UNFILLED] + j] = left > 0 ? (int64_t)floor(left) : 0;
        }
        for (int wk = 0; wk < R->n_workers; wk++)
            if (R->workers[wk].oom)
                return as_error_set(err, AS_ENOMEM, "engine", "out of memory for applicant lists");
        update_active(R);
        if (check && as_check_state(R, c, err) != 0)
            return err->code;
        PHASE_END(AS_PHASE_OTHER);
        if (opt && opt->progress) {
            int stop;
            #pragma omp critical(as_engine_progress)
            stop = opt->progress(opt->progress_ctx, (int)R->rep, t, warmup + p->years);
            if (stop)
                return as_error_set(err, AS_EINPUT, "run", "stopped by request");
        }
        if (t < warmup)
            continue; /* warm-up years fill the grades; they are not results */
        double *out = as_results_at(res, 0, (int)R->rep, t - warmup);
        for (size_t i = 0; i < slab; i++)
            out[i] = (double)c[i];
        for (size_t j = 0; j < res->dims[AS_D_CREDENTIAL].len; j++) /* counted in millionths */
            out[res->offset[AS_V_IN_FIELD_WITH_EXPERIENCE] + j] /= 1e6;
    }
    return AS_OK;
#undef PHASE_END
}

/* Replication rep on the run R, which a lane (a thread, or the program) owns. */
static int run_lane(run *R, uint32_t rep, int threads, int check, const as_engine_options *opt, int64_t *c,
                    as_error *err)
{
    R->rep = rep;
    as_error_clear(err);
    return run_replication(R, threads, check, opt, c, err);
}

/* Side by side, a thread each, replications share nothing and scale best;
 * but only in whole rounds: 20 replications on 16 threads, one each, would
 * take two rounds, the second with 12 threads idle (62.5% of the threads'
 * time used).  So a run goes in at most two stages: whole rounds of
 * `threads` replications side by side; then the rest (fewer than `threads`)
 * one at a time, every thread sharing each year, as a run with fewer
 * replications than threads always goes.  That is faster than a last round
 * side by side while one replication on every thread runs more than `rest`
 * times as fast as on one (Miami-Dade on 2 threads: about 1.5 times, so one
 * replication left over goes faster).  Not nested teams: libgomp starts new
 * threads for every nested parallel region (about 200 us each on the 2-core
 * machine, some 140 regions a replication).  Side by side only while the
 * states fit together in SIDE_BY_SIDE_MEMORY.  A replication's results do
 * not depend on the stage it ran in or on its threads. */
#define SIDE_BY_SIDE_MEMORY 4e9

typedef struct stage {
    int first, count; /* replications [first, first + count) */
    int lanes, inner; /* side by side, and the threads of each */
} stage;

int as_engine_side_by_side(const as_params *p, int runs)
{
    return runs > 1 && as_params_memory_estimate(p) * runs < SIDE_BY_SIDE_MEMORY;
}

static int plan_stages(const as_params *p, int threads, stage st[2])
{
    int reps = p->replications, n = 0;
    int whole = as_engine_side_by_side(p, threads) ? reps / threads * threads : 0;
    if (whole)
        st[n++] = (stage){0, whole, threads, 1};
    if (reps > whole)
        st[n++] = (stage){whole, reps - whole, 1, threads};
    return n;
}

static int start_run(run *R, int64_t **c, const as_params *p, const as_market *market, as_results *res,
                     int threads, int scalar)
{
    memset(R, 0, sizeof *R);
    R->avx512 = !scalar && as_hs_avx512();
    R->p = p;
    R->m = market;
    R->res = res;
    R->seed = p->seed;
    *c = as_calloc(res->slab, sizeof **c);
    return *c && as_run_setup(R, p, threads) == 0 ? 0 : -1;
}

/* Stage st of as_engine_run: its replications over its lanes, each lane
 * a run of its own; adds the people swept to *swept and the runs' seconds
 * by phase to res->phase_seconds.  Returns AS_OK, or
 * the code of the first failure (*failed set, err merged). */
static int run_stage(const stage *st, const as_params *p, const as_market *market, const as_engine_options *opt,
                     as_results *res, int scalar, int check, int *failed, double *swept, as_error *err)
{
    const int lanes = st->lanes, inner = st->inner;
    run *runs = as_calloc((size_t)lanes, sizeof *runs);
    int64_t **counts = as_calloc((size_t)lanes, sizeof *counts);
    as_error *errs = as_calloc((size_t)lanes, sizeof *errs);
    int rc = runs && counts && errs ? AS_OK : AS_ENOMEM;
    for (int L = 0; rc == AS_OK && L < lanes; L++)
        if (start_run(&runs[L], &counts[L], p, market, res, inner, scalar) != 0)
            rc = AS_ENOMEM;
    if (rc != AS_OK) {
        size_t people = runs ? runs[0].s.n : 0;
        for (int L = 0; runs && counts && L < lanes; L++) {
            free(counts[L]);
            as_run_free(&runs[L]);
        }
        free(runs);
        free(counts);
        free(errs);
        *failed = 1;
        return as_error_set(err, AS_ENOMEM, "engine", "out of memory for %zu people (about %.0f MB of state, %d at once)",
                            people, (double)people * (double)as_engine_state_bytes() / 1e6, lanes);
    }
    if (lanes == 1) {
        /* Not inside a parallel region of one thread: libgomp would then treat the year's parallel
         * regions as nested, and start and end a new thread for each of them, about 40 a replication,
         * rather than reuse its pool (docs/performance.md, "Issue 17, fifth steps"). */
        for (int r = st->first; r < st->first + st->count && !*failed; r++)
            *failed = run_lane(&runs[0], (uint32_t)r, inner, check, opt, counts[0], &errs[0]) != AS_OK;
    } else {
        #pragma omp parallel for num_threads(lanes) schedule(dynamic, 1)
        for (int r = st->first; r < st->first + st->count; r++) {
            int L = omp_get_thread_num(), stop;
            #pragma omp atomic read
            stop = *failed;
            if (stop)
                continue;
            if (run_lane(&runs[L], (uint32_t)r, inner, check, opt, counts[L], &errs[L]) != AS_OK) {
                #pragma omp atomic write
                *failed = 1;
            }
        }
    }
    for (int L = 0; L < lanes; L++) {
        for (int wk = 0; wk < runs[L].n_workers; wk++)
            *swept += (double)runs[L].workers[wk].swept;
        for (int k = 0; k < AS_PHASES; k++)
            res->phase_seconds[k] += runs[L].phase_s[k];
        as_error_merge(err, &errs[L]);
        free(counts[L]);
        as_run_free(&runs[L]);
    }
    free(runs);
    free(counts);
    free(errs);
    return AS_OK;
}

int as_engine_run(const as_params *p, const as_market *market, const as_engine_options *opt,
                  as_results *res, as_error *err)
{
    int threads = opt && opt->threads > 0 ? opt->threads : omp_get_max_threads();
    int check = opt && opt->check_invariants, scalar = opt && opt->scalar;
    stage st[2];
    int stages = plan_stages(p, threads, st), failed = 0, rc = AS_OK;
    double swept = 0, t0 = omp_get_wtime();
    memset(res->phase_seconds, 0, sizeof res->phase_seconds);
    for (int k = 0; k < stages && rc == AS_OK && !failed; k++)
        rc = run_stage(&st[k], p, market, opt, res, scalar, check, &failed, &swept, err);
    if (rc != AS_OK)
        return rc;
    rc = failed ? (err->code != AS_OK ? err->code : AS_EINTERNAL) : AS_OK;
    double person_periods = 0;
    for (int r = 0; r < p->replications; r++)
        for (int t = 0; t < p->years; t++)
            for (int g = 0; g < AS_GRADES; g++)
                person_periods += as_results_at(res, AS_V_STUDENTS_IN_SCHOOL, r, t)[g];
    res->simulate_seconds = omp_get_wtime() - t0;
    res->person_periods = person_periods;
    res->person_years_swept = swept;
    res->threads = threads;
    res->state_bytes_per_student = as_engine_state_bytes();
    if (rc == AS_OK && market)
        as_market_supply(market, res);
    return rc;
}
