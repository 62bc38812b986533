/*
 * entry.c - state arrays and entry groups (entry.h).
 */
#include "entry.h"

#include <assert.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ /* Linux 5.14; glibc's header may predate them */
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

size_t as_engine_state_bytes(void)
{
    return 15 * sizeof(uint8_t) + 4 * sizeof(uint16_t) + sizeof(float);
}

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define AS_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define AS_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define AS_POISON(p, n) ((void)(p), (void)(n))
#define AS_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

void as_state_free(state *s)
{
    if (s->block) {
        AS_UNPOISON(s->block, s->bytes);
        munmap(s->block, s->bytes);
    }
    memset(s, 0, sizeof *s);
}

/* One allocation, carved into the arrays, each on its own cache lines:
 * anonymous pages from mmap, so every array starts as zeros that cost
 * nothing until a page is touched (see lazy_array), advised for
 * transparent huge pages: the passes reach a student's bytes in a dozen
 * arrays through lists, and with 4 KiB pages both the first touch (on the
 * 2-core benchmark VM, about 1 ms per MB) and the TLB's misses cost.  The
 * toy at N = 10^6 simulates in 0.390 s instead of 0.462 s on one thread,
 * system time 0.02-0.10 s in every run, also with the page cache filling
 * memory (docs/performance.md, "Issue 17, fourth steps").  An earlier
 * engine, which wrote every array at entry, had measured 0.7-1.1 s of
 * system time with the advice ("Issue 17, first steps").  Where the
 * kernel's transparent_hugepage setting is "never" the advice does
 * nothing. */
#define STATE_ALIGN ((size_t)4096)

/* The state's arrays, in the order of the block (state_slots), and their
 * element widths. */
enum {
    SA_STATUS, SA_GRADE, SA_ATTRS, SA_PROGRAM, SA_INTEREST, SA_FLAGS, SA_CREDENTIAL, SA_COURSES, SA_ADVANCED, SA_PREAPP,
    SA_WBL_DONE, SA_YEAR_DUAL, SA_YEAR_WBL, SA_POST, SA_POST_YEARS, SA_HOURS, SA_WBL_HOURS, SA_CREDITS, SA_POST_CREDITS,
    SA_READINESS, STATE_ARRAYS
};
static const size_t state_width[STATE_ARRAYS] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                                 1, 1, 1, 1, 1, 2, 2, 2, 2, sizeof(float)};

static void state_slots(state *s, void **slot[STATE_ARRAYS])
{
    void **all[STATE_ARRAYS] = {
        (void **)&s->status,   (void **)&s->grade,     (void **)&s->attrs,      (void **)&s->program,
        (void **)&s->interest1, (void **)&s->flags,    (void **)&s->credential, (void **)&s->courses,
        (void **)&s->advanced, (void **)&s->preapp1,   (void **)&s->wbl_done1,  (void **)&s->year_dual1,
        (void **)&s->year_wbl1, (void **)&s->post1,    (void **)&s->post_years, (void **)&s->hours,
        (void **)&s->wbl_hours, (void **)&s->credits,  (void **)&s->post_credits, (void **)&s->readiness};
    memcpy(slot, all, sizeof all);
}

int as_state_alloc(state *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    size_t m = (n ? n : 1) + 64, bytes = 0;
    const size_t *width = state_width, arrays = STATE_ARRAYS;
    void **slot[STATE_ARRAYS];
    state_slots(s, slot);
    for (size_t a = 0; a < arrays; a++)
        bytes += (m * width[a] + 63) & ~(size_t)63;
    bytes = (bytes + STATE_ALIGN - 1) & ~(STATE_ALIGN - 1);
    s->bytes = bytes;
    s->block = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s->block == MAP_FAILED) {
        s->block = NULL;
        return -1;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(s->block, bytes, MADV_HUGEPAGE); /* only advice: see above */
#endif
    char *at = s->block;
    for (size_t a = 0; a < arrays; a++) {
        *slot[a] = at;
        size_t used = n * width[a], size = (m * width[a] + 63) & ~(size_t)63;
        /* under AddressSanitizer the gap after each array stays out of bounds */
        AS_POISON(at + used, size - used);
        at += size;
    }
    return 0;
}

/* ---- entry ---------------------------------------------------------------------------- */

/* Whether the uniform of draw x has reached the running sum *acc: the
 * expression entry's interest compares, for its draw limits. */
static int reaches(const void *acc, uint32_t x)
{
    return *(const double *)acc <= as_u01(x);
}

void as_entry_setup(run *R)
{
    const as_params *p = R->p;
    for (size_t j = 0; j < R->n_sub; j++)
        R->share_limit[j] = as_rng_bernoulli_limit(p->subgroups.items[j].share);
    for (size_t cell = 0; cell < R->n_cells; cell++) /* a probability of 1 or more: 2^32, every draw */
        R->aware_limit[cell] = as_rng_bernoulli_limit(R->aware_base * R->sub_aware[cell]);
    for (size_t c = 0; c < p->clusters.n; c++)
        R->interest_limit[c] = as_rng_draw_limit(reaches, &R->interest_acc[c], 0);
}

/* Entrants whose draws are generated together (enter_students). */
#define ENTRY_BLOCK 256

/* An entrant's readiness, as a float: the scenario's mean plus the
 * subgroup cell's shift, plus readiness_sd times the standard normal
 * quantile of the draw x (GSL's), the sum rounded to float. */
static float readiness_of(const run *R, unsigned attrs, uint32_t x)
{
    const as_school *sc = &R->p->school;
    double readiness = sc->readiness_mean + R->sub_readiness[attrs];
    if (sc->readiness_sd > 0)
        readiness += sc->readiness_sd * gsl_cdf_ugaussian_Pinv(as_u01(x));
    return (float)readiness;
}

/* readiness_of for n entrants with cells attrs[] and draws x[], into
 * ready[]: from the approximate quantile (as_normal_quantile_approx) where
 * the float the sum rounds to is the same at both ends of the interval
 * readiness_of's sum lies in (the quantile's error times readiness_sd, and
 * a few ulps of the terms for the roundings of both sums), so that it is
 * readiness_of's float; else, where there is no approximate value (no
 * AVX-512), and in a run without the vector passes, readiness_of itself.
 * The interval's ends round apart for about one draw in 35,000 (173 of the
 * central draws in Miami-Dade's 20 replications, before the tails had
 * approximate values too). */
static void readiness(const run *R, const uint32_t *x, const uint8_t *attrs, size_t n, float *ready)
{
    const as_school *sc = &R->p->school;
    double z[ENTRY_BLOCK];
    int approx = sc->readiness_sd > 0 && R->avx512; /* the vector passes' switch (engine.h: scalar) */
    if (approx)
        as_normal_quantile_approx(x, z, n);
    for (size_t q = 0; q < n; q++) {
        if (!approx || isnan(z[q])) {
            ready[q] = readiness_of(R, attrs[q], x[q]);
            continue;
        }
        double base = sc->readiness_mean + R->sub_readiness[attrs[q]], shift = sc->readiness_sd * z[q];
        double r = base + shift;
        double slack = fabs(sc->readiness_sd) * AS_QUANTILE_ERROR * fmax(1, fabs(z[q])) +
                       4 * DBL_EPSILON * (fabs(base) + fabs(shift)) + DBL_MIN;
        float lo = (float)(r - slack), hi = (float)(r + slack);
        ready[q] = lo == hi ? lo : readiness_of(R, attrs[q], x[q]);
    }
}


/* The random part of the grade-9 entrants [i0, i1) of a group (at most
 * ENTRY_BLOCK): attributes, readiness, interest, awareness; everything else
 * starts at its constant (fill_entry).  Their draws of each stream
 * (AS_S_ATTRS_A, and AS_S_ATTRS_B beyond four subgroups; AS_S_ENTRY where
 * readiness, interest or awareness is random) are generated together
 * (as_rng_draw_many); the streams are keyed, so one skipped shifts
 * nothing. */
static void enter_students(run *R, const group *g, size_t i0, size_t i1)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t n = i1 - i0;
    uint32_t who[ENTRY_BLOCK], a[4][ENTRY_BLOCK], b[4][ENTRY_BLOCK], e[4][ENTRY_BLOCK];
    uint8_t attrs[ENTRY_BLOCK];
    float ready[ENTRY_BLOCK];
    for (size_t q = 0; q < n; q++)
        who[q] = (uint32_t)(i0 + q);
    int random_entry = p->school.readiness_sd > 0 || p->clusters.n || R->aware_base < 1 || R->n_sub;
    if (R->n_sub)
        as_rng_draw_many(R->seed, R->rep, g->cohort, who, n, 0, AS_S_ATTRS_A, a[0], a[1], a[2], a[3]);
    if (R->n_sub > 4)
        as_rng_draw_many(R->seed, R->rep, g->cohort, who, n, 0, AS_S_ATTRS_B, b[0], b[1], b[2], b[3]);
    if (random_entry)
        as_rng_draw_many(R->seed, R->rep, g->cohort, who, n, 0, AS_S_ENTRY, e[0], e[1], e[2], e[3]);
    /* every outcome below compares a draw with a limit tabled by
     * as_entry_setup (rng.h): the same as the expressions, without a
     * branch or a double per entrant; the loops over entrants compare
     * 32-bit draws with 32-bit limits, so that they vectorize (a limit of
     * 2^32 passes every draw) */
    memset(attrs, 0, n);
    for (size_t j = 0; j < R->n_sub; j++) { /* subgroup j: as_bernoulli(x, share) */
        const uint32_t *x = j < 4 ? a[j] : b[j - 4];
        uint64_t lim = R->share_limit[j];
        uint32_t lim32 = lim > UINT32_MAX ? 0 : (uint32_t)lim;
        uint8_t all = (uint8_t)((lim > UINT32_MAX) << j);
        for (size_t q = 0; q < n; q++)
            attrs[q] |= (uint8_t)((x[q] < lim32) << j) | all;
    }
    readiness(R, e[0], attrs, n, ready);
    if (!random_entry)
        memset(e, 0, sizeof e);
    /* the first cluster whose running sum of shares exceeds the uniform of
     * e1, if any: as many as it reaches (none reaches a limit of 2^32) */
    size_t nc = p->clusters.n;
    uint8_t cluster[ENTRY_BLOCK];
    memset(cluster, 0, n);
    for (size_t m = 0; m < nc; m++) {
        if (R->interest_limit[m] > UINT32_MAX)
            continue;
        uint32_t lim = (uint32_t)R->interest_limit[m];
        for (size_t q = 0; q < n; q++)
            cluster[q] += e[1][q] >= lim;
    }
    for (size_t q = 0; q < n; q++) {
        size_t k = g->first + i0 + q;
        s->attrs[k] = attrs[q];
        opt_set(s->interest1, k, cluster[q] < nc ? cluster[q] : NONE8);
        /* awareness + outreach + advising + exposure (capped at 1) times the cell's awareness_mult */
        s->flags[k] = e[2][q] < R->aware_limit[attrs[q]] ? F_AWARE : 0;
        s->readiness[k] = ready[q];
    }
}

/* The arrays that start at zero and that only some events write
 * (coursework, exams, college credit, work-based learning, offers, study
 * after school; the indices among them are kept plus one so that none is
 * 0: sim.h, opt_get), and three that entry writes only when entrants differ
 * (subgroup bits, readiness, interest).  On slots never used before they
 * are not written at entry: their pages stay the kernel's zero page (mapped
 * in with MADV_POPULATE_READ) until an event writes one, and on reused
 * slots they are cleared only where not all zero.  A scenario whose people
 * never have them (the toy: 22 of its 27 bytes a person) never commits
 * that memory, which on the 2-core benchmark VM costs about 1 ms a megabyte
 * on first write (docs/performance.md, "Issue 17, third steps"). */
static const unsigned state_lazy = 1u << SA_ATTRS | 1u << SA_COURSES | 1u << SA_ADVANCED | 1u << SA_POST_YEARS |
                                   1u << SA_HOURS | 1u << SA_WBL_HOURS | 1u << SA_CREDITS | 1u << SA_POST_CREDITS |
                                   1u << SA_READINESS | 1u << SA_INTEREST | 1u << SA_PREAPP | 1u << SA_WBL_DONE |
                                   1u << SA_YEAR_DUAL | 1u << SA_YEAR_WBL | 1u << SA_POST;

static int all_zero(const unsigned char *p, size_t n)
{
    uint64_t acc = 0, x;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, p + i, sizeof x);
        acc |= x;
    }
    for (; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

unsigned as_entry_zero_arrays(const run *R)
{
    const as_params *p = R->p;
    int hours = 0, courses = 0, attempts = 0, dual = p->dual_enrollment.n > 0, wbl = p->wbl.n > 0;
    for (size_t j = 0; j < R->n_prog; j++) {
        hours |= R->prog_hours[j] != 0;
        courses |= R->prog_courses[j] != 0;
        attempts |= R->prog_attempts[j] > 0;
    }
    /* after school: postsecondary programs, apprenticeships (their pool,
     * external applicants), adult IET learners */
    int after = p->postsecondary.n || p->apprenticeships.n || R->pool_years || p->iet.adults_per_year > 0;
    unsigned zero = 0;
    zero |= (unsigned)(R->n_sub == 0) << SA_ATTRS;
    zero |= (unsigned)(R->n_sub == 0 && p->school.readiness_sd == 0 && p->school.readiness_mean == 0) << SA_READINESS;
    zero |= (unsigned)(p->clusters.n == 0) << SA_INTEREST;
    zero |= (unsigned)!courses << SA_COURSES | (unsigned)!hours << SA_HOURS;
    zero |= (unsigned)(!attempts && !dual) << SA_ADVANCED;
    zero |= (unsigned)!dual << SA_CREDITS | (unsigned)!dual << SA_YEAR_DUAL;
    zero |= (unsigned)!wbl << SA_WBL_HOURS | (unsigned)!wbl << SA_WBL_DONE | (unsigned)!wbl << SA_PREAPP |
            (unsigned)!wbl << SA_YEAR_WBL;
    zero |= (unsigned)!after << SA_POST | (unsigned)!after << SA_POST_YEARS | (unsigned)!after << SA_POST_CREDITS;
    return zero & state_lazy;
}

int as_entry_check_zero(const run *R, as_error *err)
{
    static const char *const name[STATE_ARRAYS] = {
        [SA_ATTRS] = "attrs", [SA_READINESS] = "readiness", [SA_INTEREST] = "interest", [SA_COURSES] = "courses",
        [SA_HOURS] = "hours", [SA_ADVANCED] = "advanced", [SA_CREDITS] = "credits", [SA_YEAR_DUAL] = "year_dual",
        [SA_WBL_HOURS] = "wbl_hours", [SA_WBL_DONE] = "wbl_done", [SA_PREAPP] = "preapp", [SA_YEAR_WBL] = "year_wbl",
        [SA_POST] = "post", [SA_POST_YEARS] = "post_years", [SA_POST_CREDITS] = "post_credits"};
    state s = R->s;
    void **slot[STATE_ARRAYS];
    state_slots(&s, slot);
    unsigned zero = as_entry_zero_arrays(R);
    for (size_t a = 0; a < STATE_ARRAYS; a++)
        if (((zero >> a) & 1) && !all_zero(*slot[a], s.touched * state_width[a])) {
            as_error_set(err, AS_EINTERNAL, "engine", "state array %s is not all zero in year %d, though nothing "
                         "in the scenario sets it (as_entry_zero_arrays)", name[a], R->year);
            return -1;
        }
    return 0;
}

/* Every state array of people [first, first + n) at its starting value
 * value[a] (a byte, or for readiness a float's bits; the two-byte arrays
 * start at 0), one array at a time (streaming stores rather than twenty
 * interleaved ones); the arrays of the mask `lazy` (state_lazy) only where
 * they are not all zero already, and those of `zero` not at all (they are
 * zero everywhere: as_entry_zero_arrays). */
static void fill_entry(state *s, size_t first, size_t n, const uint32_t value[STATE_ARRAYS], unsigned lazy,
                       unsigned zero)
{
    void **slot[STATE_ARRAYS];
    state_slots(s, slot);
    for (size_t a = 0; a < STATE_ARRAYS; a++) {
        unsigned char *at = (unsigned char *)*slot[a] + first * state_width[a];
        size_t bytes = n * state_width[a];
        if ((zero >> a) & 1)
            continue;
        if ((lazy >> a) & 1) {
            if (!all_zero(at, bytes))
                memset(at, 0, bytes);
        } else if (state_width[a] == 1 || value[a] == 0) {
            memset(at, (int)value[a], bytes);
        } else {
            uint32_t *v = (uint32_t *)(void *)at;
            for (size_t k = 0; k < n; k++)
                v[k] = value[a];
        }
    }
}

/* Maps in, ahead of their first use, the pages of slots [from, to) of every
 * state array: one madvise per array instead of a page fault per page,
 * MADV_POPULATE_WRITE, or for the arrays of the mask `lazy` (left at zero)
 * MADV_POPULATE_READ, which maps the kernel's zero page.  On the 2-core
 * benchmark VM the first touch of 108 MB took 0.124-0.131 s so and
 * 0.23-0.25 s by faults (bench/floor.c; docs/performance.md, "Issue 17,
 * second steps").  Only a hint: a kernel without it (before Linux 5.14)
 * refuses it and the pages fault in as before. */
static void populate(state *s, size_t from, size_t to, unsigned lazy)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    void **slot[STATE_ARRAYS];
    state_slots(s, slot);
    for (size_t a = 0; a < STATE_ARRAYS; a++) {
        uintptr_t at = (uintptr_t)*slot[a];
        uintptr_t lo = at + from * state_width[a], hi = at + to * state_width[a];
        lo &= ~(page - 1);
        hi = (hi + page - 1) & ~(page - 1);
        (void)madvise((void *)lo, hi - lo, ((lazy >> a) & 1) ? MADV_POPULATE_READ : MADV_POPULATE_WRITE);
    }
}

/* Gives group `g` the first run of free slots long enough for it: free
 * slots are those of no active group.  Every placement ends at most at the
 * sum of the sizes of the groups placed so far (it fills a gap, or goes
 * after the last active group), so the state, sized for everyone, always
 * has room; only the slots actually reused are ever touched, and so the
 * memory in use follows the active people.  Deterministic: the slots a
 * person gets depend on the scenario alone, and no result depends on them. */
void as_entry_place(run *R, group *g)
{
    size_t at = 0;
    for (;;) {
        size_t next = at;
        for (int gi = 0; gi < R->n_groups; gi++) { /* an active group overlapping [at, at + n)? */
            const group *h = &R->groups[gi];
            if (h != g && h->active && h->n && h->first < at + g->n && at < h->first + h->n && h->first + h->n > next)
                next = h->first + h->n;
        }
        if (next == at)
            break;
        at = next;
    }
    assert(at + g->n <= R->s.n);
    g->first = at;
}

void as_entry_group(run *R, const group *g, int threads)
{
    const as_params *p = R->p;
    int adult = g->cohort >= AS_COHORT_ADULT_BASE, external = g->cohort >= AS_COHORT_EXTERNAL_BASE;
    /* nothing random about an entrant when there are no subgroups, no spread
     * of readiness, no interests and everyone knows the programs */
    int constant = adult || (R->n_sub == 0 && p->school.readiness_sd == 0 && p->clusters.n == 0 && R->aware_base >= 1);
    size_t chunks = (g->n + CHUNK - 1) / CHUNK;
    float readiness = adult ? 0.0f : (float)p->school.readiness_mean;
    uint32_t value[STATE_ARRAYS];
    memset(value, 0, sizeof value);
    value[SA_STATUS] = external ? ST_EXTERNAL : adult ? ST_IET : ST_HS;
    value[SA_FLAGS] = adult ? 0 : F_AWARE;
    value[SA_PROGRAM] = value[SA_CREDENTIAL] = NONE8; /* the arrays kept plus one start at 0: none */
    memcpy(&value[SA_READINESS], &readiness, sizeof readiness);
    unsigned lazy = 0;
    for (size_t a = 0; a < STATE_ARRAYS; a++)
        lazy |= (unsigned)(value[a] == 0) << a;
    lazy &= state_lazy;
    if (!constant) /* enter_students writes them */
        lazy &= ~(1u << SA_ATTRS | 1u << SA_READINESS | 1u << SA_INTEREST);
    unsigned zero = as_entry_zero_arrays(R) & lazy;
    size_t fresh0 = g->first > R->s.touched ? g->first : R->s.touched, fresh1 = g->first + g->n;
    if (fresh1 > fresh0) { /* slots never used before: their pages, a share per thread */
        #pragma omp parallel for num_threads(threads) schedule(static)
        for (int t = 0; t < threads; t++)
            populate(&R->s, fresh0 + (fresh1 - fresh0) * (size_t)t / (size_t)threads,
                     fresh0 + (fresh1 - fresh0) * (size_t)(t + 1) / (size_t)threads, lazy);
        R->s.touched = fresh1;
    }
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t ch = 0; ch < chunks; ch++) {
        size_t i0 = ch * CHUNK, i1 = i0 + CHUNK < g->n ? i0 + CHUNK : g->n;
        fill_entry(&R->s, g->first + i0, i1 - i0, value, lazy, zero);
        for (size_t i = i0; i < i1 && !constant; i += ENTRY_BLOCK)
            enter_students(R, g, i, i1 - i < ENTRY_BLOCK ? i1 : i + ENTRY_BLOCK);
    }
}
