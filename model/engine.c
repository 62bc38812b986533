/*
 * engine.c - the yearly schedule of the cohort microsimulation.
 *
 * State is a structure of arrays, one slot per person, laid out entry group
 * by entry group (a cohort of students, a year's adult IET learners) so that
 * a year sweeps only the groups that still have someone active; a group
 * whose people are all in terminal states gives its slots to later groups.
 *
 * One school year, for each replication:
 *   1. a new grade-9 cohort and a new group of adult learners enter;
 *   2. phase A (parallel): high-school students may leave their program,
 *      apply to a program, to dual enrollment and to work-based learning;
 *   3. allocation: seats, course seats and employer slots go to applicants in
 *      the order of a keyed lottery number (or GPA), the student number
 *      breaking ties: the same for any number of threads;
 *   4. phase B (parallel): coursework, advanced courses, dual-enrollment
 *      credits, placements, credential exams, then dropout, retention,
 *      graduation; graduates choose a destination;
 *   5. phase C (parallel): postsecondary students, apprentices and adult
 *      learners progress, complete or leave;
 *   6. allocation of postsecondary seats and apprenticeship slots to the
 *      year's graduates and adult completers.
 * Every count is an integer summed per thread and reduced in a fixed order.
 * warmup_years of the same schedule run first and are not recorded.
 *
 * How it is made fast (docs/performance.md): the sweeps go chunk by chunk
 * (CHUNK people), each chunk listing its active people in one pass and
 * drawing its students' random numbers together (model/rng.c, AVX-512 or
 * AVX2); when no high-school seat is limited, phases A, B and C are one
 * pass; phase A and B's learning are skipped for students they cannot
 * change; choices read weights tabled once per run, and outcomes that are
 * the same for a whole (grade, program, subgroup cell) compare the draw with
 * a tabled limit; students in school are tallied per sweep; an
 * oversubscribed block is selected, not sorted; finished entry groups give
 * their slots to later ones; replications run side by side, a thread each,
 * when there are enough of them.  None of this changes a result: the draws
 * are keyed, not sequenced, and the limits reproduce the expressions.
 */
#include "engine.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rng.h"

#define NONE8 0xFFu

/* The per-person steps are inlined into the chunk loops (step_*), which work
 * on a local copy of the run: no store into the byte-sized state can then
 * alias what the loop reads, so the compiler keeps it in registers. */
#define HOT static inline __attribute__((always_inline))

enum status {
    ST_HS = 0,      /* in high school */
    ST_DROPPED,     /* left high school without a diploma (terminal) */
    ST_POSTSEC,     /* enrolled in a postsecondary program */
    ST_APPRENTICE,  /* in a registered apprenticeship */
    ST_IET,         /* adult in Integrated Education and Training */
    ST_WORK,        /* working (terminal) */
    ST_OUT,         /* neither (terminal) */
    ST_PENDING,     /* waiting for a seat or slot this year (transient) */
    ST_COUNT
};

enum flag {
    F_AWARE = 1u << 0,      /* knows of the programs on offer */
    F_WBL_DONE = 1u << 1,   /* completed a work-based learning placement */
    F_COMPLETER = 1u << 2,  /* completed a pathway */
    F_PREAPP = 1u << 3,     /* completed a pre-apprenticeship (which: `preapp`) */
    F_IET = 1u << 4         /* completed Integrated Education and Training */
};

/* Everything the engine keeps per person: 26 bytes (see as_engine_state_bytes). */
typedef struct state {
    size_t n;
    void *block;           /* one allocation holding every array below */
    size_t bytes;
    uint8_t *status, *grade, *attrs, *program, *interest, *flags;
    uint8_t *credential;   /* industry credential held, NONE8 */
    uint8_t *courses, *advanced, *preapp;
    uint8_t *year_dual, *year_wbl;   /* this year's admission, NONE8 */
    uint8_t *post, *post_years;      /* postsecondary program / trade; years in it */
    uint16_t *hours, *wbl_hours, *credits, *post_credits;
    float *readiness;
} state;

size_t as_engine_state_bytes(void)
{
    return 14 * sizeof(uint8_t) + 4 * sizeof(uint16_t) + sizeof(float);
}

/* An applicant for a scarce seat: admitted in (target, grade, key, person) order.
 * `person` numbers everyone in order of entry (group by group), whatever
 * slot of the state they occupy, so ties break the same however slots are
 * reused. */
typedef struct applicant {
    uint64_t key;
    uint32_t person;
    uint32_t slot;        /* where the person's state is */
    uint16_t target;
    uint8_t grade;
    uint8_t kind;
} applicant;

enum applicant_kind { A_PROGRAM, A_DUAL, A_WBL, A_POSTSEC, A_TRADE, A_KINDS };

typedef struct applicants {
    applicant *a;
    size_t n, cap;
} applicants;

#define CHUNK 2048

/* A chunk's year draws: lane[j][q] for the q-th high-school student. */
typedef struct chunk_draws {
    uint32_t student[CHUNK];    /* the chunk's high-school students */
    uint32_t after[CHUNK];      /* its people in postsecondary, apprenticeships or IET */
    size_t n_after;
    uint32_t lane[4][CHUNK];
    uint32_t laneb[4][CHUNK];   /* AS_S_YEAR_B, when offers exist */
    uint32_t graduate[CHUNK];   /* the chunk's graduates of the year, waiting for destinations */
    size_t n_graduates;
} chunk_draws;

/* Per-thread scratch: counters for the year, applicant lists, draws. */
typedef struct worker {
    int64_t *count;       /* one slab of counters */
    int64_t *in_program;  /* [program][grade] students staying in a program */
    uint32_t *tally;      /* [grade][program+1][cell]: students in school this sweep (flush_tally) */
    applicants apps;
    uint8_t *alive;       /* [group]: someone of the group is not in a terminal state */
    chunk_draws draws;
    int oom;
} worker;

/* An entry group: a cohort of grade-9 entrants or of adult learners.  Its
 * people occupy slots [first, first + n) of the state from the year it
 * enters until none of them is active; then the slots go to later groups
 * (place_group), so the state holds the active people, not everyone ever. */
typedef struct group {
    size_t first, n;
    size_t base;          /* people of the groups before it: numbers its people for ties */
    uint32_t cohort;      /* RNG cohort key */
    int index;
    int active;           /* anyone not in a terminal state */
} group;

typedef struct run {
    const as_params *p;
    const as_market *m;
    as_results *res;
    state s;
    group *groups;
    int n_groups;
    worker *workers;
    int n_workers;
    uint32_t seed, rep;
    int year;
    /* derived once per run */
    size_t n_prog, n_sub, n_sg;   /* programs; subgroups; subgroup labels (1 + n_sub) */
    size_t n_cells;               /* subgroup cells: 2^n_sub */
    double *sub_readiness;        /* [cell]: readiness shift of a subgroup cell */
    double *sub_dropout, *sub_aware, *sub_apply, *sub_college;
    uint8_t *dual_ok;             /* [dual][program+1] eligibility by program */
    uint8_t *wbl_ok;              /* [wbl][program+1] */
    size_t open_n[AS_GRADES];     /* programs open to new students in each grade */
    size_t open_rows;             /* 1 + clusters: a row per interest (row 0: none) */
    uint8_t *open_prog;           /* [grade][j]: their indices */
    double *open_cum;             /* [grade][row][j]: cumulative application weights */
    double *post_cum;             /* [sector][row][j]: cumulative postsecondary weights */
    double *dual_base;            /* [grade][program+1][offer]: apply weight where eligible, else 0 */
    double *wbl_base;             /* [grade][program+1][wbl]: apply weight, 0 ineligible, -1 own partner */
    uint8_t *dual_list, *wbl_list;    /* offers with a nonzero base, by [grade][program+1]: */
    size_t *dual_first, *wbl_first;   /* list[first[at] .. first[at + 1]) (offer_lists) */
    int64_t *prog_hours, *prog_courses, *prog_cost; /* per year, rounded once */
    applicant *merged;
    size_t merged_cap;
    size_t *block_first, *block_fill;   /* n_blocks + 1: applicants by block */
    int need_allocation;          /* some seats or slots are limited in high school */
    size_t off[AS_V_COUNT];       /* res->offset, copied where the hot loops see it */
    size_t cred_postsec0, cred_trade0, cred_iet;  /* credential index bases */
    int any_offers;               /* dual-enrollment or WBL offers exist */
    uint8_t prog_leaves[AS_MAX_PROGRAMS + 1]; /* leave_rate > 0, per program */
    uint8_t pcol_of[256];         /* program byte -> its column: the program, or n_prog for none */
    double aware_base;            /* awareness + outreach + advising + exposure, capped at 1 */
    int dest_shifted;             /* some destination utility can differ from log base */
    /* Draw limits (as_rng_draw_limit): an outcome is decided by comparing
     * a 32-bit draw with a limit tabled once per run (setup_limits). */
    uint64_t *drop_limit;         /* [grade][program+1][cell]: drops out iff lane < limit */
    uint64_t stay_limit[AS_GRADES];   /* repeats the grade iff lane < limit */
    uint64_t graduate_limit;      /* grade 12, not repeating: graduates iff lane < limit */
    uint64_t *exam_limit;         /* [credential]: passes iff lane < limit; UINT64_MAX when it varies */
    double *exam_logit, *dual_logit; /* log-odds of each credential's and offer's pass rate */
    uint64_t dest_limit[AS_DEST_COUNT - 1]; /* unshifted: destination = how many limits lane >= */
    struct run *self;             /* the shared run, for the rare paths */
} run;

/* ---- small model functions ------------------------------------------------------ */

/* Outcomes that are the same for everyone in a (grade, program, subgroup
 * cell) are decided by comparing the draw with limits tabled once per run
 * (as_rng_draw_limit: bit-identical to evaluating the expression). */

HOT int64_t rnd64(double x) { return (int64_t)(x + 0.5); } /* x >= 0: costs, hours */

static inline double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

HOT double gpa_of(const as_params *p, float readiness)
{
    double g = p->school.gpa_mean + p->school.gpa_per_sd * readiness;
    return g < 0 ? 0 : g > 4 ? 4 : g;
}

/* Pass probability at a readiness, from the pass rate at average readiness
 * and a logit slope per standard deviation. */
HOT int varies_with_readiness(double p_avg, double slope)
{
    return slope != 0 && p_avg > 0 && p_avg < 1;
}

/* `logit` is log(p_avg / (1 - p_avg)), computed once per run (log_odds). */
HOT double logit_prob(double p_avg, double slope, double logit, double readiness)
{
    if (!varies_with_readiness(p_avg, slope))
        return p_avg;
    return 1 / (1 + exp(-(logit + slope * readiness)));
}

static double log_odds(double p)
{
    return p > 0 && p < 1 ? log(p / (1 - p)) : 0;
}

/* Adds `by` to counter var[j][subgroup] for "all" and each attribute of the cell. */
HOT void count_sg(const run *R, int64_t *c, int var, size_t j, unsigned attrs, int64_t by)
{
    int64_t *row = c + R->off[var] + j * R->n_sg;
    row[0] += by;
    while (attrs) {
        int b = __builtin_ctz(attrs);
        row[1 + b] += by;
        attrs &= attrs - 1;
    }
}

HOT void count(const run *R, int64_t *c, int var, size_t j, int64_t by)
{
    c[R->off[var] + j] += by;
}

static int push(worker *w, uint64_t key, const group *g, size_t i, size_t target, int grade, int kind)
{
    applicants *v = &w->apps;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        applicant *grown = realloc(v->a, cap * sizeof *grown);
        if (!grown) {
            w->oom = 1;
            return -1;
        }
        v->a = grown;
        v->cap = cap;
    }
    v->a[v->n++] = (applicant){key, (uint32_t)(g->base + i), (uint32_t)(g->first + i), (uint16_t)target,
                               (uint8_t)grade, (uint8_t)kind};
    return 0;
}

/* Chooses among n options with weights w (probabilities, summing to at most 1
 * after capping): returns the index, or -1 for "none". */
static int choose(const double *w, size_t n, double u)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    double scale = total > 1 ? 1 / total : 1;
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += w[i] * scale;
        if (u < acc)
            return (int)i;
    }
    return -1;
}

/* Like choose, but the weights are relative (always picks one when any is positive). */
static int choose_relative(const double *w, size_t n, double u)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    double target = u * total, acc = 0; /* u < acc / total, without a division per option */
    for (size_t i = 0; i < n; i++) {
        acc += w[i];
        if (target < acc)
            return (int)i;
    }
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0)
            return (int)i;
    return -1;
}

/* The program a student without one applies to this year, or -1: programs
 * open to new students in the grade compete with weights apply_rate (times
 * interest_mult for the student's field) times the subgroup's apply_mult,
 * capped at 1 in total.  The cumulative weights per (grade, interest) are
 * tabled once per run (setup_choice). */
HOT int choose_program(const run *R, int grade, uint8_t interest, unsigned attrs, double u)
{
    size_t n = R->open_n[grade], row = interest == NONE8 ? 0 : (size_t)interest + 1;
    const double *cum = R->open_cum + ((size_t)grade * R->open_rows + row) * R->n_prog;
    double total = cum[n - 1] * R->sub_apply[attrs];
    if (total <= 0)
        return -1;
    double scale = total > 1 ? 1 / cum[n - 1] : R->sub_apply[attrs];
    if (u >= (total > 1 ? 1 : total))
        return -1;
    for (size_t j = 0; j < n; j++)
        if (u < cum[j] * scale)
            return R->open_prog[(size_t)grade * R->n_prog + j];
    return R->open_prog[(size_t)grade * R->n_prog + n - 1];
}

static inline uint64_t lottery_key(uint32_t random) { return (uint64_t)random; }

static inline uint64_t rank_key(double gpa, uint32_t random)
{
    /* higher GPA first: invert and quantize, then the lottery number breaks ties */
    uint32_t inv = (uint32_t)llround((4.0 - gpa) * 1e8);
    return ((uint64_t)inv << 32) | random;
}

/* ---- state ----------------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define AS_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define AS_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define AS_POISON(p, n) ((void)(p), (void)(n))
#define AS_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static void state_free(state *s)
{
    if (s->block)
        AS_UNPOISON(s->block, s->bytes);
    free(s->block);
    memset(s, 0, sizeof *s);
}

/* One allocation, carved into the arrays, aligned to 2 MiB and marked for
 * transparent huge pages where the kernel offers them (Linux madvise mode):
 * a million-student run then takes a few hundred page faults instead of
 * tens of thousands, which two threads would otherwise queue for. */
#define STATE_ALIGN ((size_t)2 << 20)

static int state_alloc(state *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    size_t m = (n ? n : 1) + 64, bytes = 0;
    size_t width[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, sizeof(float)};
    void **slot[] = {(void **)&s->status, (void **)&s->grade, (void **)&s->attrs, (void **)&s->program,
                     (void **)&s->interest, (void **)&s->flags, (void **)&s->credential, (void **)&s->courses,
                     (void **)&s->advanced, (void **)&s->preapp, (void **)&s->year_dual, (void **)&s->year_wbl,
                     (void **)&s->post, (void **)&s->post_years, (void **)&s->hours, (void **)&s->wbl_hours,
                     (void **)&s->credits, (void **)&s->post_credits, (void **)&s->readiness};
    size_t arrays = sizeof width / sizeof width[0];
    for (size_t a = 0; a < arrays; a++)
        bytes += (m * width[a] + 63) & ~(size_t)63;
    bytes = (bytes + STATE_ALIGN - 1) & ~(STATE_ALIGN - 1);
    s->bytes = bytes;
    if (posix_memalign(&s->block, STATE_ALIGN, bytes) != 0) {
        s->block = NULL;
        return -1;
    }
#ifdef MADV_HUGEPAGE
    madvise(s->block, bytes, MADV_HUGEPAGE); /* advice only: failure changes nothing */
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

/* The random part of a grade-9 entrant: attributes, readiness, interest,
 * awareness.  Everything else starts at its constant (fill_entry). */
static void enter_student(run *R, const group *g, size_t i)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    unsigned attrs = 0;
    if (R->n_sub) {
        as_draw a = as_rng_draw(R->seed, R->rep, g->cohort, (uint32_t)i, 0, AS_S_ATTRS_A);
        as_draw b = as_rng_draw(R->seed, R->rep, g->cohort, (uint32_t)i, 0, AS_S_ATTRS_B);
        for (size_t j = 0; j < R->n_sub; j++) {
            uint32_t x = j < 4 ? a.lane[j] : b.lane[j - 4];
            if (as_bernoulli(x, p->subgroups.items[j].share))
                attrs |= 1u << j;
        }
    }
    double aware = R->aware_base * R->sub_aware[attrs];
    as_draw e = {{0, 0, 0, 0}};
    if (p->school.readiness_sd > 0 || p->clusters.n || aware < 1) /* the stream is keyed: skipping it shifts nothing */
        e = as_rng_draw(R->seed, R->rep, g->cohort, (uint32_t)i, 0, AS_S_ENTRY);
    double readiness = p->school.readiness_mean + R->sub_readiness[attrs];
    if (p->school.readiness_sd > 0)
        readiness += p->school.readiness_sd * gsl_cdf_ugaussian_Pinv(as_u01(e.lane[0]));
    uint8_t interest = NONE8;
    if (p->clusters.n) {
        double u = as_u01(e.lane[1]), acc = 0;
        for (size_t c = 0; c < p->clusters.n; c++) {
            acc += p->clusters.items[c].interest_share;
            if (u < acc) {
                interest = (uint8_t)c;
                break;
            }
        }
    }
    s->attrs[k] = (uint8_t)attrs;
    s->interest[k] = interest;
    s->flags[k] = (aware >= 1 || as_bernoulli(e.lane[2], aware)) ? F_AWARE : 0;
    s->readiness[k] = (float)readiness;
}

/* Every state array of people [first, first + n) at its starting value, one
 * array at a time (streaming stores rather than nineteen interleaved ones). */
static void fill_entry(state *s, size_t first, size_t n, uint8_t status, uint8_t flags, float readiness)
{
    memset(s->status + first, status, n);
    memset(s->grade + first, 0, n);
    memset(s->attrs + first, 0, n);
    memset(s->program + first, NONE8, n);
    memset(s->interest + first, NONE8, n);
    memset(s->flags + first, flags, n);
    memset(s->credential + first, NONE8, n);
    memset(s->courses + first, 0, n);
    memset(s->advanced + first, 0, n);
    memset(s->preapp + first, NONE8, n);
    memset(s->year_dual + first, NONE8, n);
    memset(s->year_wbl + first, NONE8, n);
    memset(s->post + first, NONE8, n);
    memset(s->post_years + first, 0, n);
    memset(s->hours + first, 0, n * sizeof *s->hours);
    memset(s->wbl_hours + first, 0, n * sizeof *s->wbl_hours);
    memset(s->credits + first, 0, n * sizeof *s->credits);
    memset(s->post_credits + first, 0, n * sizeof *s->post_credits);
    for (size_t k = first; k < first + n; k++)
        s->readiness[k] = readiness;
}

/* ---- phase A: leaving and applying ------------------------------------------------------------ */

HOT void phase_a(run *R, worker *w, const group *g, size_t i, as_draw d, const as_draw *pre_b)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    if (s->status[k] != ST_HS)
        return;
    int grade = s->grade[k];
    unsigned attrs = s->attrs[k];
    uint32_t who = (uint32_t)i, year = (uint32_t)R->year;
    as_draw d2 = {{0, 0, 0, 0}}, lot = {{0, 0, 0, 0}};
    int have_d2 = 0, have_lot = 0;
#define NEED_D2() do { if (!have_d2) { d2 = pre_b ? *pre_b : as_rng_draw(R->seed, R->rep, g->cohort, who, year, AS_S_YEAR_B); have_d2 = 1; } } while (0)
#define NEED_LOT() do { if (!have_lot) { lot = as_rng_draw(R->seed, R->rep, g->cohort, who, year, AS_S_LOTTERY); have_lot = 1; } } while (0)
    if (R->any_offers)
        s->year_dual[k] = s->year_wbl[k] = NONE8; /* else they stay as entry left them */
    int prog = s->program[k], left = 0, held_before;
    if (prog != NONE8 && p->programs.items[prog].leave_rate > 0) {
        NEED_D2();
        if (as_bernoulli(d2.lane[0], p->programs.items[prog].leave_rate))
            prog = s->program[k] = NONE8, left = 1; /* may apply again next year */
    }
    held_before = prog;
    if (prog != NONE8) {
        w->in_program[prog * AS_GRADES + grade]++;
    } else if ((s->flags[k] & F_AWARE) && R->open_n[grade] && !left) {
        int choice = choose_program(R, grade, s->interest[k], attrs, as_u01(d.lane[0]));
        if (choice >= 0) {
            const as_program *pr = &p->programs.items[choice];
            double gpa = gpa_of(p, s->readiness[k]);
            count(R, w->count, AS_V_APPLICANTS, (size_t)choice, 1);
            if (gpa >= pr->gpa_min) {
                if (pr->seats < 0) { /* unlimited: admitted at once */
                    s->program[k] = (uint8_t)choice;
                    count(R, w->count, AS_V_ADMITTED, (size_t)choice, 1);
                } else {
                    NEED_LOT();
                    uint64_t key = pr->allocation == AS_ALLOC_RANK ? rank_key(gpa, lot.lane[0])
                                                                   : lottery_key(lot.lane[0]);
                    push(w, key, g, i, (size_t)choice, grade, A_PROGRAM);
                }
            }
        }
    }
    /* Dual enrollment and WBL look at the program held before this year's
     * admissions, so a new admission counts from next year whether or not
     * the program's seats are limited (they are allocated after this step). */
    prog = held_before;
    size_t pcol = prog == NONE8 ? R->n_prog : (size_t)prog;
    /* Offers compete with weights; only those listed for the student's
     * (grade, program) have any (offer_lists), and leaving out the others'
     * zero weights changes no sum and no choice. */
    size_t at = (size_t)grade * (R->n_prog + 1) + pcol;
    const uint8_t *list = R->dual_list + R->dual_first[at];
    size_t m = R->dual_first[at + 1] - R->dual_first[at];
    if (m) {
        double weights[AS_MAX_OFFERS], gpa = gpa_of(p, s->readiness[k]);
        const double *base = R->dual_base + at * p->dual_enrollment.n;
        int any = 0;
        for (size_t q = 0; q < m; q++) {
            size_t j = list[q];
            weights[q] = gpa >= p->dual_enrollment.items[j].gpa_min ? base[j] * R->sub_apply[attrs] : 0;
            any |= weights[q] > 0;
        }
        if (any) {
            NEED_D2();
            int choice = choose(weights, m, as_u01(d2.lane[1]));
            if (choice >= 0)
                choice = list[choice];
            if (choice >= 0) {
                count(R, w->count, AS_V_DUAL_APPLICANTS, (size_t)choice, 1);
                if (p->dual_enrollment.items[choice].seats < 0) {
                    s->year_dual[k] = (uint8_t)choice;
                } else {
                    NEED_LOT();
                    push(w, lottery_key(lot.lane[1]), g, i, (size_t)choice, 0, A_DUAL);
                }
            }
        }
    }
    list = R->wbl_list + R->wbl_first[at];
    m = R->wbl_first[at + 1] - R->wbl_first[at];
    if (m) {
        double weights[AS_MAX_OFFERS];
        const double *base = R->wbl_base + at * p->wbl.n;
        int any = 0;
        for (size_t q = 0; q < m; q++) {
            size_t j = list[q];
            double wgt = base[j] < 0 ? 1 : base[j] * R->sub_apply[attrs]; /* < 0: the program's own partner */
            const as_wbl *wb = &p->wbl.items[j];
            if (base[j] > 0 && wb->cluster >= 0 && wb->cluster == s->interest[k])
                wgt *= wb->interest_mult;
            weights[q] = wgt;
            any |= wgt > 0;
        }
        if (any) {
            NEED_D2();
            int choice = choose(weights, m, as_u01(d2.lane[2]));
            if (choice >= 0)
                choice = list[choice];
            if (choice >= 0) {
                count(R, w->count, AS_V_WBL_APPLICANTS, (size_t)choice, 1);
                if (p->wbl.items[choice].slots < 0) {
                    s->year_wbl[k] = (uint8_t)choice;
                } else {
                    NEED_LOT();
                    push(w, lottery_key(lot.lane[2]), g, i, (size_t)choice, 0, A_WBL);
                }
            }
        }
    }
#undef NEED_D2
#undef NEED_LOT
}

/* ---- allocation ------------------------------------------------------------------------------------- */

/* The order of admission: (key, person), a total order (people are unique). */
static inline int before(const applicant *a, const applicant *b)
{
    return a->key != b->key ? a->key < b->key : a->person < b->person;
}

static inline void swap_applicants(applicant *a, applicant *b)
{
    applicant t = *a;
    *a = *b;
    *b = t;
}

/* Rearranges a[0, n) so that its k first in admission order come first (in
 * no particular order): quickselect with Hoare's partition and a median of
 * three, linear on average where sorting the block was n log n.  Only the
 * admitted set matters (admission sets state and adds to counters), and it
 * is the same however the block arrived.  Written here because neither libc
 * nor GSL selects on structures. */
static void select_first(applicant *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the boundary k lies within [lo, hi) */
    while (lo < k && k < hi && hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, last = hi - 1;
        /* the median of a[lo], a[mid], a[last] goes to a[lo]: the pivot */
        if (before(&a[mid], &a[lo]))
            swap_applicants(&a[mid], &a[lo]);
        if (before(&a[last], &a[mid]))
            swap_applicants(&a[last], &a[mid]);
        if (before(&a[mid], &a[lo]))
            swap_applicants(&a[mid], &a[lo]);
        swap_applicants(&a[lo], &a[mid]);
        applicant pivot = a[lo];
        size_t i = lo - 1, j = hi; /* wraps below 0 only before the first ++i */
        for (;;) {
            do
                i++;
            while (before(&a[i], &pivot));
            do
                j--;
            while (before(&pivot, &a[j]));
            if (i >= j)
                break;
            swap_applicants(&a[i], &a[j]);
        }
        /* now a[lo, j] come no later than a[j + 1, hi), and lo <= j < hi - 1 */
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
}

/* Blocks of applicants competing for the same seats: programs by grade,
 * then dual-enrollment offers, WBL programs, postsecondary programs, trades. */
static size_t block_of(const run *R, const applicant *a)
{
    const as_params *p = R->p;
    size_t base[A_KINDS + 1];
    base[A_PROGRAM] = 0;
    base[A_DUAL] = R->n_prog * AS_GRADES;
    base[A_WBL] = base[A_DUAL] + p->dual_enrollment.n;
    base[A_POSTSEC] = base[A_WBL] + p->wbl.n;
    base[A_TRADE] = base[A_POSTSEC] + p->postsecondary.n;
    return base[a->kind] + (a->kind == A_PROGRAM ? (size_t)a->target * AS_GRADES + a->grade : a->target);
}

static size_t n_blocks(const run *R)
{
    const as_params *p = R->p;
    return R->n_prog * AS_GRADES + p->dual_enrollment.n + p->wbl.n + p->postsecondary.n + p->apprenticeships.n;
}

/* Gathers every worker's applicants into R->merged, grouped by block
 * (a counting sort); R->block_first[b] is where block b starts. */
static int gather(run *R, size_t *n_out)
{
    size_t n = 0, nb = n_blocks(R);
    for (int t = 0; t < R->n_workers; t++)
        n += R->workers[t].apps.n;
    if (n > R->merged_cap) {
        applicant *grown = realloc(R->merged, n * sizeof *grown);
        if (!grown)
            return -1;
        R->merged = grown;
        R->merged_cap = n;
    }
    memset(R->block_first, 0, (nb + 1) * sizeof *R->block_first);
    for (int t = 0; t < R->n_workers; t++)
        for (size_t i = 0; i < R->workers[t].apps.n; i++)
            R->block_first[block_of(R, &R->workers[t].apps.a[i]) + 1]++;
    for (size_t b = 0; b < nb; b++)
        R->block_first[b + 1] += R->block_first[b];
    memcpy(R->block_fill, R->block_first, nb * sizeof *R->block_fill);
    for (int t = 0; t < R->n_workers; t++) {
        for (size_t i = 0; i < R->workers[t].apps.n; i++) {
            const applicant *a = &R->workers[t].apps.a[i];
            R->merged[R->block_fill[block_of(R, a)]++] = *a;
        }
        R->workers[t].apps.n = 0;
    }
    *n_out = n;
    return 0;
}

/* Seats left for (kind, target, grade), in people. */
static double capacity(const run *R, const int64_t *in_program, const applicant *a)
{
    const as_params *p = R->p;
    switch (a->kind) {
    case A_PROGRAM:
        return p->programs.items[a->target].seats - (double)in_program[a->target * AS_GRADES + a->grade];
    case A_DUAL: {
        const as_dual_enrollment *de = &p->dual_enrollment.items[a->target];
        return de->courses_per_year > 0 ? floor(de->seats / de->courses_per_year) : de->seats;
    }
    case A_WBL:
        return p->wbl.items[a->target].slots;
    case A_POSTSEC:
        return p->postsecondary.items[a->target].seats < 0 ? INFINITY : p->postsecondary.items[a->target].seats;
    case A_TRADE:
        return p->apprenticeships.items[a->target].slots;
    }
    return 0;
}

static void admit_high_school(run *R, const applicant *a, int admitted, int64_t *c)
{
    state *s = &R->s;
    if (a->kind == A_PROGRAM) {
        if (admitted) {
            s->program[a->slot] = (uint8_t)a->target;
            c[R->off[AS_V_ADMITTED] + a->target]++;
        } else {
            c[R->off[AS_V_WAITLISTED] + a->target]++;
        }
    } else if (a->kind == A_DUAL && admitted) {
        s->year_dual[a->slot] = (uint8_t)a->target;
    } else if (a->kind == A_WBL && admitted) {
        s->year_wbl[a->slot] = (uint8_t)a->target;
    }
}

HOT void enter_work(run *R, int64_t *c, size_t k, int credential_index)
{
    R->s.status[k] = ST_WORK;
    if (credential_index >= 0)
        c[R->off[AS_V_LABOR_ENTRANTS] + (size_t)credential_index]++;
}

/* The credential a person takes into the labor market when nothing newer is
 * earned: an IET completion, else an industry credential, else none (-1). */
HOT int held_credential(const run *R, size_t k)
{
    if (R->s.flags[k] & F_IET)
        return (int)R->cred_iet;
    return R->s.credential[k] == NONE8 ? -1 : (int)R->s.credential[k];
}

static void admit_after_school(run *R, const applicant *a, int admitted, int64_t *c)
{
    state *s = &R->s;
    size_t k = a->slot;
    unsigned attrs = s->attrs[k];
    int adult = s->status[k] == ST_PENDING && s->grade[k] == NONE8;
    if (admitted) {
        s->post[k] = (uint8_t)a->target;
        s->post_years[k] = 0;
        if (a->kind == A_POSTSEC) {
            const as_postsec_program *ps = &R->p->postsecondary.items[a->target];
            double prior = floor(ps->transfer_rate * s->credits[k]);
            s->post_credits[k] = (uint16_t)(prior < ps->credits_required ? prior : ps->credits_required);
            s->status[k] = ST_POSTSEC;
            c[R->off[AS_V_POSTSEC_STARTS] + a->target]++;
            if (!adult)
                count_sg(R, c, AS_V_DESTINATIONS, (size_t)ps->sector, attrs, 1);
        } else {
            s->status[k] = ST_APPRENTICE;
            c[R->off[AS_V_APPRENTICE_STARTS] + a->target]++;
            if (!adult)
                count_sg(R, c, AS_V_DESTINATIONS, AS_DEST_APPRENTICESHIP, attrs, 1);
        }
        return;
    }
    /* no seat: the person goes to work with what they hold */
    if (!adult)
        count_sg(R, c, AS_V_DESTINATIONS, AS_DEST_WORK, attrs, 1);
    enter_work(R, c, k, held_credential(R, k));
}

/* Each block admits its `capacity` applicants with the smallest (key,
 * person): all of them when they fit, else the first `capacity` of the
 * block once select_first has put them in front.
 * The admitted set is the same whatever order the workers delivered them in,
 * and blocks are independent, so they are decided in parallel. */
static void allocate(run *R, int after_school, const int64_t *in_program, int threads)
{
    size_t n = 0, nb = n_blocks(R);
    if (gather(R, &n) != 0) {
        R->workers[0].oom = 1;
        return;
    }
    #pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t b = 0; b < nb; b++) {
        int64_t *c = R->workers[omp_get_thread_num()].count;
        applicant *first = R->merged + R->block_first[b];
        size_t count = R->block_first[b + 1] - R->block_first[b];
        if (count == 0)
            continue;
        double cap = capacity(R, in_program, first);
        if ((double)count > cap)
            select_first(first, count, cap > 0 ? (size_t)ceil(cap) : 0); /* admits q < cap */
        for (size_t q = 0; q < count; q++) {
            int admitted = (double)q < cap;
            if (after_school)
                admit_after_school(R, &first[q], admitted, c);
            else
                admit_high_school(R, &first[q], admitted, c);
        }
    }
}

/* ---- phase B: the year's learning, exams and exits ------------------------------------------------------- */

HOT int completed_pathway(const as_params *p, const state *s, size_t k)
{
    if (s->program[k] == NONE8)
        return 0;
    const as_requirements *r = &p->programs.items[s->program[k]].req;
    return s->hours[k] >= r->hours && s->courses[k] >= r->courses && s->advanced[k] >= r->advanced_courses &&
           s->wbl_hours[k] >= r->wbl_hours && s->credits[k] >= r->college_credits &&
           (!r->credential || s->credential[k] != NONE8) && (!r->wbl || (s->flags[k] & F_WBL_DONE));
}

/* Counters saturate instead of wrapping; fractional amounts round (b >= 0). */
HOT uint16_t add16(uint16_t a, double b)
{
    double x = (double)a + b + 0.5;
    return (uint16_t)(x > 65535 ? 65535 : x);
}

HOT uint8_t add8(uint8_t a, double b)
{
    double x = (double)a + b + 0.5;
    return (uint8_t)(x > 250 ? 250 : x);
}

/* add16 and add8 of a whole number b >= 0, in integers (the same values) */
HOT uint16_t sat_add16(uint16_t a, int64_t b)
{
    int64_t x = a + b;
    return (uint16_t)(x > 65535 ? 65535 : x);
}

HOT uint8_t sat_add8(uint8_t a, int64_t b)
{
    int64_t x = a + b;
    return (uint8_t)(x > 250 ? 250 : x);
}

static void choose_destination(run *R, worker *w, const group *g, size_t i, as_draw d);

/* Phase B, first half: coursework, advanced courses, dual-enrollment
 * courses, the WBL placement and the credential exam of a student in a
 * program or placed in an offer this year (the others have none). */
HOT void phase_b_learning(run *R, worker *w, const group *g, size_t i, as_draw d)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int64_t *c = w->count;
    uint32_t who = (uint32_t)i, year = (uint32_t)R->year;
    int grade = s->grade[k];
    unsigned attrs = s->attrs[k];
    int prog = s->program[k];
    size_t pcol = prog == NONE8 ? R->n_prog : (size_t)prog;
    if (prog != NONE8) {
        const as_program *pr = &p->programs.items[prog];
        s->hours[k] = sat_add16(s->hours[k], R->prog_hours[prog]);
        s->courses[k] = sat_add8(s->courses[k], R->prog_courses[prog]);
        count(R, c, AS_V_PATHWAY_HOURS, pcol, R->prog_hours[prog]);
        c[R->off[AS_V_COST] + AS_C_PATHWAYS] += R->prog_cost[prog];
        int attempts = (int)(pr->advanced_per_year + 0.5);
        if (grade >= 2 && attempts > 0) {
            as_draw a = as_rng_draw(R->seed, R->rep, g->cohort, who, year, AS_S_ADVANCED);
            for (int t = 0; t < attempts && t < 4; t++)
                if (as_bernoulli(a.lane[t], pr->advanced_pass)) {
                    s->advanced[k] = add8(s->advanced[k], 1);
                    count(R, c, AS_V_ADVANCED_PASSED, pcol, 1);
                }
        }
    }
    if (s->year_dual[k] != NONE8) {
        const as_dual_enrollment *de = &p->dual_enrollment.items[s->year_dual[k]];
        as_draw a = as_rng_draw(R->seed, R->rep, g->cohort, who, year, AS_S_DUAL);
        int courses = (int)(de->courses_per_year + 0.5);
        double pass = logit_prob(de->pass_rate, de->readiness_slope, R->dual_logit[s->year_dual[k]], s->readiness[k]);
        count(R, c, AS_V_DUAL_ENROLLED, s->year_dual[k], 1);
        count_sg(R, c, AS_V_DUAL_STUDENTS, 0, attrs, 1);
        for (int t = 0; t < courses && t < 4; t++) {
            c[R->off[AS_V_COST] + AS_C_DUAL] += rnd64(de->credits_per_course * de->cost_per_credit);
            if (as_bernoulli(a.lane[t], pass)) {
                s->credits[k] = add16(s->credits[k], de->credits_per_course);
                s->advanced[k] = add8(s->advanced[k], 1);
                count(R, c, AS_V_DUAL_CREDITS, s->year_dual[k], rnd64(de->credits_per_course));
                count(R, c, AS_V_ADVANCED_PASSED, pcol, 1);
            }
        }
    }
    if (s->year_wbl[k] != NONE8) {
        int wi = s->year_wbl[k];
        const as_wbl *wb = &p->wbl.items[wi];
        as_draw d2 = as_rng_draw(R->seed, R->rep, g->cohort, who, year, AS_S_YEAR_B);
        count(R, c, AS_V_WBL_PLACED, (size_t)wi, 1);
        count_sg(R, c, AS_V_WBL_PARTICIPANTS, 0, attrs, 1);
        c[R->off[AS_V_COST] + AS_C_WBL] += rnd64(wb->cost_per_slot);
        if (as_bernoulli(d2.lane[3], wb->completion)) {
            s->wbl_hours[k] = add16(s->wbl_hours[k], wb->hours);
            s->flags[k] |= F_WBL_DONE;
            count(R, c, AS_V_WBL_COMPLETED, (size_t)wi, 1);
            count(R, c, AS_V_WBL_HOURS, (size_t)wi, rnd64(wb->hours));
            if (wb->kind == 3) {
                s->flags[k] |= F_PREAPP;
                s->preapp[k] = (uint8_t)wi;
            }
        }
    }
    if (prog != NONE8 && p->programs.items[prog].credential >= 0 && s->credential[k] == NONE8) {
        int ci = p->programs.items[prog].credential;
        const as_credential *cr = &p->credentials.items[ci];
        if (grade + 9 >= cr->grade_min && s->hours[k] >= cr->hours_min) {
            c[R->off[AS_V_COST] + AS_C_EXAMS] += rnd64(cr->cost);
            uint64_t limit = R->exam_limit[ci];
            int pass = limit != UINT64_MAX ? d.lane[1] < limit /* the same for everyone */
                                           : as_bernoulli(d.lane[1], logit_prob(cr->pass_rate, cr->readiness_slope,
                                                                                R->exam_logit[ci], s->readiness[k]));
            if (pass) {
                s->credential[k] = (uint8_t)ci;
                count_sg(R, c, AS_V_CREDENTIALS, (size_t)ci, attrs, 1);
            }
        }
    }
}

/* Phase B, second half, for every high-school student: the year's counts,
 * then dropout, else retention, graduation or promotion.  Returns 1 when
 * the student stays in school (graduates are settled by their destination). */
HOT int phase_b_exit(run *R, worker *w, const group *g, size_t i, as_draw d)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int64_t *c = w->count;
    int grade = s->grade[k];
    unsigned attrs = s->attrs[k];
    size_t pcol = R->pcol_of[s->program[k]];
    size_t cell = ((size_t)grade * (R->n_prog + 1) + pcol) * R->n_cells + attrs;
    w->tally[cell]++; /* students in school and enrolled, by (grade, program, cell): flush_tally */
    if (d.lane[2] < R->drop_limit[cell]) {
        s->status[k] = ST_DROPPED;
        count_sg(R, c, AS_V_DROPOUTS, 0, attrs, 1);
        return 0;
    }
    if (d.lane[3] < R->stay_limit[grade])
        return 1;
    if (grade < AS_GRADES - 1) {
        s->grade[k] = (uint8_t)(grade + 1);
        return 1;
    }
    if (d.lane[3] >= R->graduate_limit)
        return 1; /* not yet: repeats grade 12 */
    count_sg(R, c, AS_V_GRADUATES, pcol, attrs, 1);
    if (completed_pathway(p, s, k)) {
        s->flags[k] |= F_COMPLETER;
        count_sg(R, c, AS_V_PATHWAY_COMPLETERS, pcol, attrs, 1);
    }
    if (s->credits[k] > 0)
        count_sg(R, c, AS_V_GRADS_POSTSEC_EXPERIENCE, 0, attrs, 1);
    if (s->credential[k] != NONE8)
        count_sg(R, c, AS_V_GRADS_WITH_CREDENTIAL, 0, attrs, 1);
    w->draws.graduate[w->draws.n_graduates++] = (uint32_t)i; /* destinations: after the chunk */
    return 0;
}

/* ---- after high school -------------------------------------------------------------------------------- */


/* Picks a postsecondary program of a sector: returns its index or -1.  The
 * weights (share, times interest_mult in the person's field; 0 for other
 * sectors and closed programs) are tabled per (sector, interest) once per
 * run in setup_postsec; choosing is choose_relative over them. */
static int pick_postsec(const run *R, size_t k, int sector, double u)
{
    size_t n = R->p->postsecondary.n;
    if (n == 0)
        return -1;
    size_t row = R->s.interest[k] == NONE8 ? 0 : (size_t)R->s.interest[k] + 1;
    const double *cum = R->post_cum + ((size_t)(sector == AS_DEST_FOUR_YEAR ? 0 : 1) * R->open_rows + row) * n;
    double total = cum[n - 1];
    if (total <= 0)
        return -1;
    double target = u * total;
    for (size_t j = 0; j < n; j++)
        if (target < cum[j])
            return (int)j;
    for (size_t j = n; j-- > 0;) /* rounding: the last option with weight */
        if (cum[j] > (j ? cum[j - 1] : 0))
            return (int)j;
    return -1;
}

/* Offer weights that depend only on grade and program, tabled once per run:
 * what phase A multiplies by the subgroup's apply_mult (and, for WBL, the
 * interest_mult of the student's field). */
static int setup_offers(run *R, const as_params *p)
{
    size_t cols = R->n_prog + 1, nd = p->dual_enrollment.n, nw = p->wbl.n;
    R->dual_base = calloc(AS_GRADES * cols * nd + 1, sizeof *R->dual_base);
    R->wbl_base = calloc(AS_GRADES * cols * nw + 1, sizeof *R->wbl_base);
    if (!R->dual_base || !R->wbl_base)
        return -1;
    for (int g = 0; g < AS_GRADES; g++)
        for (size_t col = 0; col < cols; col++) {
            for (size_t j = 0; j < nd; j++) {
                const as_dual_enrollment *de = &p->dual_enrollment.items[j];
                int ok = g + 9 >= de->grade_min && de->seats != 0 && R->dual_ok[j * cols + col];
                R->dual_base[((size_t)g * cols + col) * nd + j] = ok ? de->apply_rate * de->advising_mult : 0;
            }
            for (size_t j = 0; j < nw; j++) {
                const as_wbl *wb = &p->wbl.items[j];
                int ok = g + 9 >= wb->grade_min && g + 9 <= wb->grade_max && wb->slots != 0 && R->wbl_ok[j * cols + col];
                int partner = col < R->n_prog && p->programs.items[col].wbl == (int)j;
                R->wbl_base[((size_t)g * cols + col) * nw + j] = !ok ? 0 : partner ? -1 : wb->apply_rate;
            }
        }
    return 0;
}

static int destination_of(const void *ctx, uint32_t x)
{
    return choose_relative(ctx, AS_DEST_COUNT, as_u01(x));
}

static int graduation_outcome(const void *ctx, uint32_t x)
{
    const as_school *sc = ctx; /* 0: repeats (retention), 1: graduates, 2: not yet (repeats) */
    double u = as_u01(x), stay = sc->retention[AS_GRADES - 1];
    return u < stay ? 0 : (u - stay) / (1 - stay) >= sc->graduation ? 2 : 1;
}

/* Tables the draw limits of the outcomes that are the same for everyone in
 * a (grade, program, subgroup cell): the expressions are phase_b_exit's and
 * phase_b_learning's as they were written before they became limits. */
static int setup_limits(run *R, const as_params *p)
{
    size_t cols = R->n_prog + 1;
    R->drop_limit = malloc(AS_GRADES * cols * R->n_cells * sizeof *R->drop_limit);
    R->exam_limit = malloc((p->credentials.n + 1) * sizeof *R->exam_limit);
    R->exam_logit = malloc((p->credentials.n + 1) * sizeof *R->exam_logit);
    R->dual_logit = malloc((p->dual_enrollment.n + 1) * sizeof *R->dual_logit);
    if (!R->drop_limit || !R->exam_limit || !R->exam_logit || !R->dual_logit)
        return -1;
    for (size_t j = 0; j < p->credentials.n; j++)
        R->exam_logit[j] = log_odds(p->credentials.items[j].pass_rate);
    for (size_t j = 0; j < p->dual_enrollment.n; j++)
        R->dual_logit[j] = log_odds(p->dual_enrollment.items[j].pass_rate);
    for (int g = 0; g < AS_GRADES; g++)
        for (size_t col = 0; col < cols; col++)
            for (size_t cell = 0; cell < R->n_cells; cell++) {
                double drop = p->school.dropout[g] * R->sub_dropout[cell];
                if (col < R->n_prog)
                    drop *= p->programs.items[col].dropout_mult;
                R->drop_limit[((size_t)g * cols + col) * R->n_cells + cell] = as_rng_bernoulli_limit(clamp01(drop));
            }
    for (int g = 0; g < AS_GRADES; g++)
        R->stay_limit[g] = as_rng_bernoulli_limit(p->school.retention[g]);
    R->graduate_limit = as_rng_draw_limit(graduation_outcome, &p->school, 1);
    for (size_t j = 0; j < p->credentials.n; j++) {
        const as_credential *cr = &p->credentials.items[j];
        R->exam_limit[j] = varies_with_readiness(cr->pass_rate, cr->readiness_slope)
                               ? UINT64_MAX : as_rng_bernoulli_limit(cr->pass_rate);
    }
    for (int j = 0; j < AS_DEST_COUNT - 1; j++)
        R->dest_limit[j] = as_rng_draw_limit(destination_of, p->destinations.base, j);
    return 0;
}

/* Lists, for each (grade, program column), the offers whose base weight
 * there is nonzero: base is [grade][column][offer], cols columns, n offers. */
static int offer_lists(const double *base, size_t cols, size_t n, uint8_t **list, size_t **first)
{
    size_t cells = AS_GRADES * cols;
    *list = malloc(cells * n + 1);
    *first = calloc(cells + 1, sizeof **first);
    if (!*list || !*first)
        return -1;
    size_t used = 0;
    for (size_t at = 0; at < cells; at++) {
        (*first)[at] = used;
        for (size_t j = 0; j < n; j++)
            if (base[at * n + j] != 0)
                (*list)[used++] = (uint8_t)j;
    }
    (*first)[cells] = used;
    return 0;
}

static int setup_postsec(run *R, const as_params *p)
{
    size_t n = p->postsecondary.n;
    R->post_cum = calloc(2 * R->open_rows * n + 1, sizeof *R->post_cum);
    if (!R->post_cum)
        return -1;
    for (int sector = 0; sector < 2; sector++)
        for (size_t row = 0; row < R->open_rows; row++) {
            double *cum = R->post_cum + ((size_t)sector * R->open_rows + row) * n, acc = 0;
            for (size_t j = 0; j < n; j++) {
                const as_postsec_program *ps = &p->postsecondary.items[j];
                double wgt = ps->sector == sector && ps->seats != 0 ? ps->share : 0;
                if (ps->cluster >= 0 && row > 0 && ps->cluster == (int)row - 1)
                    wgt *= p->destinations.interest_mult;
                cum[j] = acc += wgt;
            }
        }
    return 0;
}

/* Multinomial logit: weight_j = base_j * exp(shift_j), the shifts summing
 * readiness, credits, credential, subgroup and completed-program terms
 * (every coefficient is within [-10, 10], so exp cannot overflow). */
static int shifted_destination(const run *R, size_t k, unsigned attrs, uint32_t lane)
{
    const as_params *p = R->p;
    const state *s = &R->s;
    const as_destination_params *dp = &p->destinations;
    double weights[AS_DEST_COUNT];
    double readiness = s->readiness[k], credits12 = s->credits[k] / 12.0;
    int credential_held = s->credential[k] != NONE8;
    const as_program *pr = (s->flags[k] & F_COMPLETER) ? &p->programs.items[s->program[k]] : NULL;
    const double program_shift[AS_DEST_COUNT] = {
        pr ? pr->four_year_shift : 0, pr ? pr->community_college_shift : 0, pr ? pr->apprenticeship_shift : 0,
        pr ? pr->work_shift : 0, 0};
    for (int j = 0; j < AS_DEST_COUNT; j++) {
        double shift = dp->readiness_coef[j] * readiness + dp->credits_coef[j] * credits12 + program_shift[j];
        if (credential_held)
            shift += dp->credential_coef[j];
        if (j == AS_DEST_FOUR_YEAR || j == AS_DEST_COMMUNITY_COLLEGE)
            shift += R->sub_college[attrs];
        weights[j] = shift == 0 ? dp->base[j] : dp->base[j] * exp(shift);
    }
    return choose_relative(weights, AS_DEST_COUNT, as_u01(lane));
}

static void choose_destination(run *R, worker *w, const group *g, size_t i, as_draw d)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int64_t *c = w->count;
    unsigned attrs = s->attrs[k];
    int dest = 0;
    if (R->dest_shifted)
        dest = shifted_destination(R, k, attrs, d.lane[0]);
    else /* the same weights for all: count the limits the draw reaches */
        for (int j = 0; j < AS_DEST_COUNT - 1; j++)
            dest += d.lane[0] >= R->dest_limit[j];
    int credential = held_credential(R, k);
    if (dest == AS_DEST_FOUR_YEAR || dest == AS_DEST_COMMUNITY_COLLEGE) {
        int prog = pick_postsec(R, k, dest, as_u01(d.lane[1]));
        if (prog >= 0) {
            s->status[k] = ST_PENDING;
            push(w, lottery_key(d.lane[2]), g, i, (size_t)prog, 0, A_POSTSEC);
            return;
        }
        dest = AS_DEST_WORK;
    } else if (dest == AS_DEST_APPRENTICESHIP) {
        double tw[AS_MAX_ITEMS];
        size_t n = p->apprenticeships.n;
        for (size_t j = 0; j < n; j++) {
            const as_trade *t = &p->apprenticeships.items[j];
            tw[j] = t->slots > 0 ? t->share : 0;
            if (t->cluster >= 0 && t->cluster == s->interest[k])
                tw[j] *= p->destinations.interest_mult;
            if ((s->flags[k] & F_PREAPP) && t->preapp >= 0 && t->preapp == s->preapp[k])
                tw[j] *= t->preapp_mult; /* a pre-apprenticeship points at its trade */
        }
        int trade = choose_relative(tw, n, as_u01(d.lane[1]));
        if (trade >= 0) {
            const as_trade *t = &p->apprenticeships.items[trade];
            int priority = t->preapp_priority && (s->flags[k] & F_PREAPP) && t->preapp >= 0 && t->preapp == s->preapp[k];
            uint64_t key = ((uint64_t)(priority ? 0 : 1) << 32) | d.lane[2];
            s->status[k] = ST_PENDING;
            count(R, c, AS_V_APPRENTICE_APPLICANTS, (size_t)trade, 1);
            push(w, key, g, i, (size_t)trade, 0, A_TRADE);
            return;
        }
        dest = AS_DEST_WORK;
    }
    count_sg(R, c, AS_V_DESTINATIONS, (size_t)dest, attrs, 1);
    if (dest == AS_DEST_WORK)
        enter_work(R, c, k, credential);
    else
        s->status[k] = ST_OUT;
}

/* ---- phase C: postsecondary, apprenticeships, adults ------------------------------------------------------ */

HOT void phase_c(run *R, worker *w, const group *g, size_t i)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int64_t *c = w->count;
    uint8_t st = s->status[k];
    if (st != ST_POSTSEC && st != ST_APPRENTICE && st != ST_IET)
        return;
    as_draw d = as_rng_draw(R->seed, R->rep, g->cohort, (uint32_t)i, (uint32_t)R->year, AS_S_POST_YEAR);
    s->post_years[k]++;
    if (st == ST_POSTSEC) {
        int j = s->post[k];
        const as_postsec_program *ps = &p->postsecondary.items[j];
        count(R, c, AS_V_POSTSEC_ENROLLED, (size_t)j, 1);
        c[R->off[AS_V_COST] + AS_C_POSTSEC] += rnd64(ps->cost_per_year);
        s->post_credits[k] = add16(s->post_credits[k], ps->credits_per_year);
        if (s->post_credits[k] >= ps->credits_required) {
            size_t cred = R->cred_postsec0 + (size_t)j;
            count_sg(R, c, AS_V_CREDENTIALS, cred, s->attrs[k], 1);
            count(R, c, AS_V_POSTSEC_YEARS, (size_t)j, s->post_years[k]);
            enter_work(R, c, k, (int)cred);
        } else if (s->post_years[k] >= ps->max_years || !as_bernoulli(d.lane[0], ps->persistence)) {
            enter_work(R, c, k, held_credential(R, k));
        }
    } else if (st == ST_APPRENTICE) {
        int j = s->post[k];
        const as_trade *t = &p->apprenticeships.items[j];
        count(R, c, AS_V_APPRENTICES, (size_t)j, 1);
        c[R->off[AS_V_COST] + AS_C_APPRENTICESHIPS] += rnd64(t->cost_per_apprentice);
        if (R->m && R->m->trade_wage) { /* wage rises linearly from start_wage_share to the journey wage */
            double step = t->term_years > 1 ? (double)(s->post_years[k] - 1) / (t->term_years - 1) : 1;
            double share = t->start_wage_share + (1 - t->start_wage_share) * step;
            count(R, c, AS_V_APPRENTICE_EARNINGS, (size_t)j, rnd64(share * R->m->trade_wage[j]));
        }
        if (as_bernoulli(d.lane[0], t->attrition)) {
            count(R, c, AS_V_APPRENTICE_LEAVERS, (size_t)j, 1);
            enter_work(R, c, k, held_credential(R, k));
        } else if (s->post_years[k] >= t->term_years) {
            size_t cred = R->cred_trade0 + (size_t)j;
            count_sg(R, c, AS_V_CREDENTIALS, cred, s->attrs[k], 1);
            enter_work(R, c, k, (int)cred);
        }
    } else { /* adult IET learner */
        c[R->off[AS_V_IET_ENROLLED]]++;
        if (s->post_years[k] == 1)
            c[R->off[AS_V_COST] + AS_C_IET] += rnd64(p->iet.cost_per_learner);
        if (s->post_years[k] < p->iet.years)
            return;
        if (!as_bernoulli(d.lane[0], p->iet.completion)) {
            s->status[k] = ST_OUT;
            return;
        }
        size_t cred = R->cred_iet;
        s->flags[k] |= F_IET;
        c[R->off[AS_V_IET_COMPLETERS]]++;
        count_sg(R, c, AS_V_CREDENTIALS, cred, 0, 1);
        double u = as_u01(d.lane[1]);
        if (u < p->iet.to_community_college) {
            int prog = pick_postsec(R->self, k, AS_DEST_COMMUNITY_COLLEGE, as_u01(d.lane[2]));
            if (prog >= 0) {
                s->status[k] = ST_PENDING;
                s->grade[k] = NONE8; /* marks an adult among the pending */
                push(w, lottery_key(d.lane[3]), g, i, (size_t)prog, 0, A_POSTSEC);
                return;
            }
        }
        if (u < p->iet.to_community_college + p->iet.to_work)
            enter_work(R, c, k, (int)cred);
        else
            s->status[k] = ST_OUT;
    }
}

/* ---- invariants ------------------------------------------------------------------------------------------ */

/* Every person is in exactly one known state (none left pending); employer
 * placements and apprenticeship starts do not exceed their slots.  Returns 0 or -1 with words in err. */
/* After the high-school admissions: admissions never fill a program's grade
 * beyond its seats (it may hold more only through its own students who
 * stayed: repeaters and those promoted into a full grade, `stayed`), and no
 * dual-enrollment offer holds more students than its course seats allow.
 * Returns 0 or -1 with words in err. */
static int check_seats(const run *R, const int64_t *stayed, as_error *err)
{
    const as_params *p = R->p;
    size_t np = R->n_prog + 1;
    int64_t *held = calloc(np * AS_GRADES + p->dual_enrollment.n + 1, sizeof *held);
    if (!held)
        return as_error_set(err, AS_ENOMEM, "engine", "out of memory checking seats"), -1;
    int64_t *dual = held + np * AS_GRADES;
    for (int gi = 0; gi < 2 * (R->year + 1) && gi < R->n_groups; gi++)
        for (size_t k = R->groups[gi].first; R->groups[gi].active && k < R->groups[gi].first + R->groups[gi].n; k++) {
            if (R->s.status[k] != ST_HS)
                continue;
            if (R->s.program[k] != NONE8)
                held[R->s.program[k] * AS_GRADES + R->s.grade[k]]++;
            if (R->s.year_dual[k] != NONE8)
                dual[R->s.year_dual[k]]++;
        }
    int rc = 0;
    for (size_t j = 0; j < R->n_prog && rc == 0; j++)
        for (int g = 0; g < AS_GRADES && rc == 0; g++)
            if (p->programs.items[j].seats >= 0 &&
                held[j * AS_GRADES + g] > fmax(p->programs.items[j].seats, (double)stayed[j * AS_GRADES + g]))
                rc = -1, as_error_set(err, AS_EINTERNAL, "engine", "programs.%s: %lld students in grade %d over %g seats in year %d",
                                      p->programs.items[j].id, (long long)held[j * AS_GRADES + g], g + 9,
                                      p->programs.items[j].seats, R->year);
    for (size_t j = 0; j < p->dual_enrollment.n && rc == 0; j++) {
        const as_dual_enrollment *de = &p->dual_enrollment.items[j];
        double cap = de->courses_per_year > 0 ? floor(de->seats / de->courses_per_year) : de->seats;
        if (de->seats >= 0 && dual[j] > cap)
            rc = -1, as_error_set(err, AS_EINTERNAL, "engine", "dual_enrollment.%s: %lld students over %g in year %d",
                                  de->id, (long long)dual[j], cap, R->year);
    }
    free(held);
    return rc;
}

static int check_state(const run *R, const int64_t *year_count, as_error *err)
{
    const as_params *p = R->p;
    const as_results *res = R->res;
    for (int gi = 0; gi < 2 * (R->year + 1) && gi < R->n_groups; gi++) { /* groups entered so far */
        const group *g = &R->groups[gi];
        for (size_t k = g->first; g->active && k < g->first + g->n; k++) { /* (inactive: slots reused) */
            if (R->s.status[k] >= ST_COUNT || R->s.status[k] == ST_PENDING) {
                as_error_set(err, AS_EINTERNAL, "engine", "person %zu in state %d after year %d", k,
                             R->s.status[k], R->year);
                return -1;
            }
        }
    }
    for (size_t j = 0; j < p->wbl.n; j++)
        if (p->wbl.items[j].slots >= 0 && year_count[res->offset[AS_V_WBL_PLACED] + j] > p->wbl.items[j].slots) {
            as_error_set(err, AS_EINTERNAL, "engine", "wbl.%s: %lld placements over %g slots in year %d",
                         p->wbl.items[j].id, (long long)year_count[res->offset[AS_V_WBL_PLACED] + j],
                         p->wbl.items[j].slots, R->year);
            return -1;
        }
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        if (year_count[res->offset[AS_V_APPRENTICE_STARTS] + j] > p->apprenticeships.items[j].slots) {
            as_error_set(err, AS_EINTERNAL, "engine", "apprenticeships.%s: starts over slots in year %d",
                         p->apprenticeships.items[j].id, R->year);
            return -1;
        }
    return 0;
}

/* ---- the run ----------------------------------------------------------------------------------------------- */

static void free_run(run *R)
{
    state_free(&R->s);
    for (int t = 0; R->workers && t < R->n_workers; t++) {
        free(R->workers[t].count);
        free(R->workers[t].in_program);
        free(R->workers[t].apps.a);
        free(R->workers[t].alive);
        free(R->workers[t].tally);
    }
    free(R->workers);
    free(R->groups);
    free(R->sub_readiness);
    free(R->sub_dropout);
    free(R->sub_aware);
    free(R->sub_apply);
    free(R->sub_college);
    free(R->dual_ok);
    free(R->wbl_ok);
    free(R->merged);
    free(R->block_first);
    free(R->block_fill);
    free(R->open_prog);
    free(R->open_cum);
    free(R->post_cum);
    free(R->dual_base);
    free(R->wbl_base);
    free(R->drop_limit);
    free(R->dual_list);
    free(R->dual_first);
    free(R->wbl_list);
    free(R->wbl_first);
    free(R->exam_limit);
    free(R->exam_logit);
    free(R->dual_logit);
    free(R->prog_hours);
    free(R->prog_courses);
    free(R->prog_cost);
}

/* Tables what choose_program and the yearly coursework need. */
static int setup_programs(run *R, const as_params *p)
{
    size_t np = R->n_prog ? R->n_prog : 1;
    R->open_rows = 1 + p->clusters.n;
    R->open_prog = calloc(AS_GRADES * np, 1);
    R->open_cum = calloc(AS_GRADES * R->open_rows * np, sizeof(double));
    R->prog_hours = calloc(np, sizeof(int64_t));
    R->prog_courses = calloc(np, sizeof(int64_t));
    R->prog_cost = calloc(np, sizeof(int64_t));
    if (!R->open_prog || !R->open_cum || !R->prog_hours || !R->prog_courses || !R->prog_cost)
        return -1;
    for (size_t j = 0; j < R->n_prog; j++) {
        R->prog_hours[j] = llround(p->programs.items[j].hours_per_year);
        R->prog_courses[j] = llround(p->programs.items[j].courses_per_year);
        R->prog_cost[j] = llround(p->programs.items[j].cost_per_seat);
    }
    for (int g = 0; g < AS_GRADES; g++) {
        size_t n = 0;
        for (size_t j = 0; j < R->n_prog; j++) {
            const as_program *pr = &p->programs.items[j];
            if (g + 9 >= pr->entry_grade_min && g + 9 <= pr->entry_grade_max && pr->seats != 0)
                R->open_prog[(size_t)g * np + n++] = (uint8_t)j;
        }
        R->open_n[g] = n;
        for (size_t row = 0; row < R->open_rows; row++) {
            double *cum = R->open_cum + ((size_t)g * R->open_rows + row) * np, acc = 0;
            for (size_t q = 0; q < n; q++) {
                const as_program *pr = &p->programs.items[R->open_prog[(size_t)g * np + q]];
                double wgt = pr->apply_rate;
                if (row > 0 && pr->cluster == (int)row - 1)
                    wgt *= pr->interest_mult;
                cum[q] = acc += wgt;
            }
        }
    }
    return 0;
}

static int setup(run *R, const as_params *p, int threads)
{
    R->n_prog = p->programs.n;
    R->n_sub = p->subgroups.n;
    R->n_sg = 1 + R->n_sub;
    size_t cells = (size_t)1 << R->n_sub;
    R->n_cells = cells;
    R->sub_readiness = malloc(cells * sizeof(double));
    R->sub_dropout = malloc(cells * sizeof(double));
    R->sub_aware = malloc(cells * sizeof(double));
    R->sub_apply = malloc(cells * sizeof(double));
    R->sub_college = malloc(cells * sizeof(double));
    R->dual_ok = calloc(p->dual_enrollment.n * (R->n_prog + 1) + 1, 1);
    R->wbl_ok = calloc(p->wbl.n * (R->n_prog + 1) + 1, 1);
    if (setup_programs(R, p) != 0 || setup_postsec(R, p) != 0)
        return -1;
    memcpy(R->off, R->res->offset, sizeof R->off);
    R->self = R;
    R->cred_postsec0 = as_results_cred_postsec(p, 0);
    R->cred_trade0 = as_results_cred_trade(p, 0);
    R->cred_iet = as_results_cred_iet(p);
    R->any_offers = p->dual_enrollment.n > 0 || p->wbl.n > 0;
    for (size_t j = 0; j < R->n_prog; j++)
        R->prog_leaves[j] = p->programs.items[j].leave_rate > 0;
    for (size_t j = 0; j < 256; j++)
        R->pcol_of[j] = (uint8_t)(j < R->n_prog ? j : R->n_prog);
    R->aware_base = clamp01(p->school.awareness + p->school.outreach + p->school.advising +
                            p->school.middle_school_exposure);
    R->dest_shifted = 0;
    for (int j = 0; j < AS_DEST_COUNT; j++)
        R->dest_shifted |= p->destinations.readiness_coef[j] != 0 || p->destinations.credits_coef[j] != 0 ||
                           p->destinations.credential_coef[j] != 0;
    for (size_t j = 0; j < R->n_sub; j++)
        R->dest_shifted |= p->subgroups.items[j].college_shift != 0;
    for (size_t j = 0; j < R->n_prog; j++) {
        const as_program *pr = &p->programs.items[j];
        R->dest_shifted |= pr->four_year_shift != 0 || pr->community_college_shift != 0 ||
                           pr->apprenticeship_shift != 0 || pr->work_shift != 0;
    }
    R->block_first = calloc(n_blocks(R) + 1, sizeof *R->block_first);
    R->block_fill = calloc(n_blocks(R) + 1, sizeof *R->block_fill);
    if (!R->block_first || !R->block_fill)
        return -1;
    if (!R->sub_readiness || !R->sub_dropout || !R->sub_aware || !R->sub_apply || !R->sub_college ||
        !R->dual_ok || !R->wbl_ok)
        return -1;
    for (size_t cell = 0; cell < cells; cell++) {
        double ready = 0, drop = 1, aware = 1, apply = 1, college = 0;
        for (size_t j = 0; j < R->n_sub; j++) {
            if (!(cell & ((size_t)1 << j)))
                continue;
            const as_subgroup *sg = &p->subgroups.items[j];
            ready += sg->readiness_shift;
            drop *= sg->dropout_mult;
            aware *= sg->awareness_mult;
            apply *= sg->apply_mult;
            college += sg->college_shift;
        }
        R->sub_readiness[cell] = ready;
        R->sub_dropout[cell] = drop;
        R->sub_aware[cell] = aware;
        R->sub_apply[cell] = apply;
        R->sub_college[cell] = college;
    }
    for (size_t j = 0; j < p->dual_enrollment.n; j++) {
        const as_dual_enrollment *de = &p->dual_enrollment.items[j];
        for (size_t q = 0; q <= R->n_prog; q++)
            R->dual_ok[j * (R->n_prog + 1) + q] = (uint8_t)de->open_to_all;
        for (size_t q = 0; q < de->pathways.n; q++)
            R->dual_ok[j * (R->n_prog + 1) + (size_t)de->pathways.idx[q]] = 1;
    }
    for (size_t j = 0; j < p->wbl.n; j++) {
        const as_wbl *wb = &p->wbl.items[j];
        for (size_t q = 0; q <= R->n_prog; q++)
            R->wbl_ok[j * (R->n_prog + 1) + q] = (uint8_t)wb->open_to_all;
        for (size_t q = 0; q < wb->pathways.n; q++)
            R->wbl_ok[j * (R->n_prog + 1) + (size_t)wb->pathways.idx[q]] = 1;
        for (size_t q = 0; q < R->n_prog; q++) /* a program's own partner takes its students */
            if (p->programs.items[q].wbl == (int)j)
                R->wbl_ok[j * (R->n_prog + 1) + q] = 1;
    }
    if (setup_offers(R, p) != 0 || setup_limits(R, p) != 0 ||
        offer_lists(R->dual_base, R->n_prog + 1, p->dual_enrollment.n, &R->dual_list, &R->dual_first) != 0 ||
        offer_lists(R->wbl_base, R->n_prog + 1, p->wbl.n, &R->wbl_list, &R->wbl_first) != 0)
        return -1;
    R->need_allocation = 0;
    for (size_t j = 0; j < p->programs.n; j++)
        R->need_allocation |= p->programs.items[j].seats >= 0;
    for (size_t j = 0; j < p->dual_enrollment.n; j++)
        R->need_allocation |= p->dual_enrollment.items[j].seats >= 0;
    for (size_t j = 0; j < p->wbl.n; j++)
        R->need_allocation |= p->wbl.items[j].slots >= 0;
    /* entry groups: cohort t, then adults of year t */
    int span = p->warmup_years + p->years;
    R->groups = calloc((size_t)2 * (size_t)span, sizeof *R->groups);
    if (!R->groups)
        return -1;
    size_t total = 0;
    for (int t = 0; t < span; t++) {
        group *g = &R->groups[R->n_groups++];
        g->base = total;
        g->n = (size_t)as_params_cohort_size(p, t - p->warmup_years);
        g->cohort = (uint32_t)t;
        g->index = R->n_groups - 1;
        total += g->n;
        g = &R->groups[R->n_groups++];
        g->base = total;
        g->n = (size_t)llround(p->iet.adults_per_year);
        g->cohort = AS_COHORT_ADULT_BASE + (uint32_t)t;
        g->index = R->n_groups - 1;
        total += g->n;
    }
    if (state_alloc(&R->s, total) != 0)
        return -1;
    R->n_workers = threads;
    R->workers = calloc((size_t)threads, sizeof *R->workers);
    if (!R->workers)
        return -1;
    for (int t = 0; t < threads; t++) {
        R->workers[t].count = calloc(R->res->slab, sizeof(int64_t));
        R->workers[t].in_program = calloc((R->n_prog + 1) * AS_GRADES, sizeof(int64_t));
        R->workers[t].alive = calloc((size_t)R->n_groups, 1);
        R->workers[t].tally = calloc(AS_GRADES * (R->n_prog + 1) * R->n_cells, sizeof(uint32_t));
        if (!R->workers[t].count || !R->workers[t].in_program || !R->workers[t].alive || !R->workers[t].tally)
            return -1;
    }
    return 0;
}

/* Phases B and C touch only the person at hand (a graduate leaves phase B
 * pending or in a terminal state, which phase C skips), and without limited
 * seats phase A needs no allocation after it: so one pass can do them all,
 * reading each person's state once and drawing each stream once. */
static inline int terminal(uint8_t status)
{
    return status == ST_DROPPED || status == ST_WORK || status == ST_OUT;
}

/* Lists the chunk's high-school students (returns how many) and its people
 * after high school still active (cd->after), in one pass without branches,
 * then generates the high-school students' year draws together (vectorized:
 * model/rng.c). */
static size_t chunk_year_draws(const run *R, worker *w, const group *g, size_t i0, size_t i1, int with_b)
{
    chunk_draws *cd = &w->draws;
    const uint8_t *status = R->s.status + g->first;
    size_t n = 0, m = 0;
    for (size_t i = i0; i < i1; i++) {
        unsigned st = status[i];
        cd->student[n] = cd->after[m] = (uint32_t)i;
        n += st == ST_HS;
        m += st - ST_POSTSEC < 3u; /* ST_POSTSEC, ST_APPRENTICE, ST_IET */
    }
    cd->n_after = m;
    as_rng_draw_many(R->seed, R->rep, g->cohort, cd->student, n, (uint32_t)R->year, AS_S_YEAR, cd->lane[0],
                     cd->lane[1], cd->lane[2], cd->lane[3]);
    if (with_b && R->any_offers) /* phase A then reads the second year stream for nearly everyone */
        as_rng_draw_many(R->seed, R->rep, g->cohort, cd->student, n, (uint32_t)R->year, AS_S_YEAR_B,
                         cd->laneb[0], cd->laneb[1], cd->laneb[2], cd->laneb[3]);
    return n;
}

/* The q-th student's AS_S_YEAR_B draw when the chunk generated them, else NULL. */
HOT const as_draw *chunk_draw_b(const run *R, const worker *w, size_t q, as_draw *out)
{
    if (!R->any_offers)
        return NULL;
    const chunk_draws *cd = &w->draws;
    *out = (as_draw){{cd->laneb[0][q], cd->laneb[1][q], cd->laneb[2][q], cd->laneb[3][q]}};
    return out;
}

HOT as_draw chunk_draw(const worker *w, size_t q)
{
    const chunk_draws *cd = &w->draws;
    as_draw d = {{cd->lane[0][q], cd->lane[1][q], cd->lane[2][q], cd->lane[3][q]}};
    return d;
}

/* Destinations of the chunk's graduates, their draws generated together.
 * Returns 1 when one of them waits for a seat or slot. */
static int chunk_destinations(run *R, worker *w, const group *g)
{
    chunk_draws *cd = &w->draws;
    size_t n = cd->n_graduates;
    cd->n_graduates = 0;
    if (n == 0)
        return 0;
    as_rng_draw_many(R->seed, R->rep, g->cohort, cd->graduate, n, (uint32_t)R->year, AS_S_DESTINATION,
                     cd->lane[0], cd->lane[1], cd->lane[2], cd->lane[3]);
    int pending = 0;
    for (size_t q = 0; q < n; q++) {
        choose_destination(R, w, g, cd->graduate[q], chunk_draw(w, q));
        pending |= R->s.status[g->first + cd->graduate[q]] == ST_PENDING;
    }
    return pending;
}

/* Phase C for the chunk's people after high school; notes whether anyone in
 * the group is still active: `alive` says whether a high-school student
 * stayed in school or a graduate waits for a seat; people listed in neither
 * list were already in a terminal state. */
HOT void chunk_after_school(run *R, worker *w, const group *g, int alive)
{
    const chunk_draws *cd = &w->draws;
    const uint8_t *status = R->s.status + g->first;
    for (size_t q = 0; q < cd->n_after; q++)
        phase_c(R, w, g, cd->after[q]);
    for (size_t q = 0; q < cd->n_after; q++)
        alive |= !terminal(status[cd->after[q]]);
    if (alive)
        w->alive[g->index] = 1;
}

/* What of phase A a student needs this year: nothing at all for most (no
 * program to leave, no program open to them, no offers), which the chunk
 * loops test before calling it. */
HOT int needs_phase_a(const run *R, size_t k)
{
    const state *s = &R->s;
    uint8_t prog = s->program[k];
    if (R->any_offers)
        return 1;
    if (prog != NONE8)
        return R->need_allocation || R->prog_leaves[prog];
    return (s->flags[k] & F_AWARE) && R->open_n[s->grade[k]];
}

/* Phase B for one student: learning when there is any, then the exits.
 * Returns 1 when the student stays in school. */
HOT int phase_b(run *R, worker *w, const group *g, size_t i, as_draw d)
{
    size_t k = g->first + i;
    if (R->s.program[k] != NONE8 || (R->any_offers && (R->s.year_dual[k] != NONE8 || R->s.year_wbl[k] != NONE8)))
        phase_b_learning(R, w, g, i, d);
    return phase_b_exit(R, w, g, i, d);
}

/* The step functions take a chunk [i0, i1) of a group, so the per-person
 * work inlines into one loop. */
static void step_a(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared, *R = &local;
    as_draw b;
    size_t n = chunk_year_draws(R, w, g, i0, i1, 1);
    for (size_t q = 0; q < n; q++)
        if (needs_phase_a(R, g->first + w->draws.student[q]))
            phase_a(R, w, g, w->draws.student[q], chunk_draw(w, q), chunk_draw_b(R, w, q, &b));
}

static void step_bc(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared, *R = &local;
    size_t n = chunk_year_draws(R, w, g, i0, i1, 0);
    int alive = 0;
    for (size_t q = 0; q < n; q++)
        alive |= phase_b(R, w, g, w->draws.student[q], chunk_draw(w, q));
    alive |= chunk_destinations(shared, w, g);
    chunk_after_school(R, w, g, alive);
}

static void step_abc(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared, *R = &local;
    as_draw b;
    size_t n = chunk_year_draws(R, w, g, i0, i1, 1);
    int alive = 0;
    for (size_t q = 0; q < n; q++) {
        as_draw d = chunk_draw(w, q);
        if (needs_phase_a(R, g->first + w->draws.student[q]))
            phase_a(R, w, g, w->draws.student[q], d, chunk_draw_b(R, w, q, &b));
        alive |= phase_b(R, w, g, w->draws.student[q], d);
    }
    alive |= chunk_destinations(shared, w, g);
    chunk_after_school(R, w, g, alive);
}


/* Adds the worker's tally of students in school to its counters: by grade,
 * and enrolled by program and subgroup (a table of small counts per sweep,
 * rather than two counter updates per student). */
static void flush_tally(const run *R, worker *w)
{
    size_t cols = R->n_prog + 1;
    for (int g = 0; g < AS_GRADES; g++)
        for (size_t col = 0; col < cols; col++)
            for (size_t cell = 0; cell < R->n_cells; cell++) {
                uint32_t *t = &w->tally[((size_t)g * cols + col) * R->n_cells + cell];
                if (*t == 0)
                    continue;
                count(R, w->count, AS_V_STUDENTS_IN_SCHOOL, (size_t)g, *t);
                count_sg(R, w->count, AS_V_ENROLLED, col, (unsigned)cell, *t);
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
            #pragma omp for schedule(static) nowait
            for (size_t ch = 0; ch < chunks; ch++)
                fn(R, w, g, ch * CHUNK, ch * CHUNK + CHUNK < g->n ? ch * CHUNK + CHUNK : g->n);
        }
        flush_tally(R, w);
    }
}

/* Gives group `g` the first run of free slots long enough for it: free
 * slots are those of no active group.  Every placement ends at most at the
 * sum of the sizes of the groups placed so far (it fills a gap, or goes
 * after the last active group), so the state, sized for everyone, always
 * has room; only the slots actually reused are ever touched, and so the
 * memory in use follows the active people.  Deterministic: the slots a
 * person gets depend on the scenario alone, and no result depends on them. */
static void place_group(run *R, group *g)
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

static void enter_group(run *R, const group *g, int threads)
{
    const as_params *p = R->p;
    int adult = g->cohort >= AS_COHORT_ADULT_BASE;
    /* nothing random about an entrant when there are no subgroups, no spread
     * of readiness, no interests and everyone knows the programs */
    int constant = adult || (R->n_sub == 0 && p->school.readiness_sd == 0 && p->clusters.n == 0 && R->aware_base >= 1);
    size_t chunks = (g->n + CHUNK - 1) / CHUNK;
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t ch = 0; ch < chunks; ch++) {
        size_t i0 = ch * CHUNK, i1 = i0 + CHUNK < g->n ? i0 + CHUNK : g->n;
        fill_entry(&R->s, g->first + i0, i1 - i0, adult ? ST_IET : ST_HS, adult ? 0 : F_AWARE,
                   adult ? 0.0f : (float)p->school.readiness_mean);
        for (size_t i = i0; i < i1 && !constant; i++)
            enter_student(R, g, i);
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
 * terminal state (step_bc records that). */
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

static int run_replication(run *R, int threads, int check, int64_t *c, as_error *err)
{
    const as_params *p = R->p;
    as_results *res = R->res;
    size_t slab = res->slab;
    for (int gi = 0; gi < R->n_groups; gi++)
        R->groups[gi].active = 0;
    int warmup = p->warmup_years;
    for (int t = 0; t < warmup + p->years; t++) { /* t counts warm-up years too */
        R->year = t;
        memset(c, 0, slab * sizeof *c);
        for (int q = 0; q < 2; q++) {
            group *g = &R->groups[2 * t + q];
            place_group(R, g);
            enter_group(R, g, threads);
            g->active = g->n > 0;
            if (q == 0) {
                #pragma omp parallel for num_threads(threads) schedule(static)
                for (size_t i = 0; i < g->n; i++) {
                    worker *w = &R->workers[omp_get_thread_num()];
                    count_sg(R, w->count, AS_V_ENTRANTS, 0, R->s.attrs[g->first + i], 1);
                }
            }
        }
        for (int wk = 0; wk < R->n_workers; wk++)
            memset(R->workers[wk].in_program, 0, (R->n_prog + 1) * AS_GRADES * sizeof(int64_t));
        int64_t in_program[(AS_MAX_PROGRAMS + 1) * AS_GRADES];
        memset(in_program, 0, sizeof in_program);
        if (R->need_allocation) {
            sweep(R, step_a, threads);
            for (int wk = 0; wk < R->n_workers; wk++)
                for (size_t j = 0; j < (R->n_prog + 1) * AS_GRADES; j++)
                    in_program[j] += R->workers[wk].in_program[j];
            allocate(R, 0, in_program, threads);
            if (check && check_seats(R, in_program, err) != 0)
                return err->code;
            sweep(R, step_bc, threads);
        } else {
            sweep(R, step_abc, threads);
        }
        allocate(R, 1, in_program, threads);
        reduce(R, c, slab);
        for (int wk = 0; wk < R->n_workers; wk++)
            if (R->workers[wk].oom)
                return as_error_set(err, AS_ENOMEM, "engine", "out of memory for applicant lists");
        update_active(R);
        if (check && check_state(R, c, err) != 0)
            return err->code;
        if (t < warmup)
            continue; /* warm-up years fill the grades; they are not results */
        double *out = as_results_at(res, 0, (int)R->rep, t - warmup);
        for (size_t i = 0; i < slab; i++)
            out[i] = (double)c[i];
    }
    return AS_OK;
}

/* Replications run side by side, one per thread, when there are enough of
 * them and their states fit (each thread then owns a whole run); otherwise
 * one at a time with the threads sharing each year.  A replication's results
 * do not depend on which way it ran. */
#define SIDE_BY_SIDE_MEMORY 4e9

static int start_run(run *R, int64_t **c, const as_params *p, const as_market *market, as_results *res,
                     int threads)
{
    memset(R, 0, sizeof *R);
    R->p = p;
    R->m = market;
    R->res = res;
    R->seed = p->seed;
    *c = calloc(res->slab, sizeof **c);
    return *c && setup(R, p, threads) == 0 ? 0 : -1;
}

int as_engine_run(const as_params *p, const as_market *market, const as_engine_options *opt,
                  as_results *res, as_error *err)
{
    int threads = opt && opt->threads > 0 ? opt->threads : omp_get_max_threads();
    int check = opt && opt->check_invariants;
    int lanes = threads > 1 && p->replications >= threads &&
                as_params_memory_estimate(p) * threads < SIDE_BY_SIDE_MEMORY ? threads : 1;
    int inner = lanes > 1 ? 1 : threads;
    run *runs = calloc((size_t)lanes, sizeof *runs);
    int64_t **counts = calloc((size_t)lanes, sizeof *counts);
    as_error *errs = calloc((size_t)lanes, sizeof *errs);
    int rc = runs && counts && errs ? AS_OK : AS_ENOMEM;
    for (int L = 0; rc == AS_OK && L < lanes; L++)
        if (start_run(&runs[L], &counts[L], p, market, res, inner) != 0)
            rc = AS_ENOMEM;
    if (rc != AS_OK) {
        size_t people = runs ? runs[0].s.n : 0;
        for (int L = 0; runs && counts && L < lanes; L++) {
            free(counts[L]);
            free_run(&runs[L]);
        }
        free(runs);
        free(counts);
        free(errs);
        return as_error_set(err, AS_ENOMEM, "engine", "out of memory for %zu people (about %.0f MB of state, %d at once)",
                            people, (double)people * (double)as_engine_state_bytes() / 1e6, lanes);
    }
    double t0 = omp_get_wtime();
    int failed = 0;
    #pragma omp parallel for num_threads(lanes) schedule(dynamic, 1)
    for (int r = 0; r < p->replications; r++) {
        int L = omp_get_thread_num(), stop;
        #pragma omp atomic read
        stop = failed;
        if (stop)
            continue;
        run *R = &runs[L];
        R->rep = (uint32_t)r;
        as_error_clear(&errs[L]);
        int rcr = run_replication(R, inner, check, counts[L], &errs[L]);
        if (rcr == AS_OK && opt && opt->progress) {
            #pragma omp critical(as_engine_progress)
            for (int t = 0; t < p->years && rcr == AS_OK; t++)
                if (opt->progress(opt->progress_ctx, r, t))
                    rcr = as_error_set(&errs[L], AS_EINPUT, "run", "stopped by request");
        }
        if (rcr != AS_OK) {
            #pragma omp atomic write
            failed = 1;
        }
    }
    for (int L = 0; L < lanes; L++) {
        as_error_merge(err, &errs[L]);
        free(counts[L]);
        free_run(&runs[L]);
    }
    free(runs);
    free(counts);
    free(errs);
    rc = failed ? (err->code != AS_OK ? err->code : AS_EINTERNAL) : AS_OK;
    double person_periods = 0;
    for (int r = 0; r < p->replications; r++)
        for (int t = 0; t < p->years; t++)
            for (int g = 0; g < AS_GRADES; g++)
                person_periods += as_results_at(res, AS_V_STUDENTS_IN_SCHOOL, r, t)[g];
    res->simulate_seconds = omp_get_wtime() - t0;
    res->person_periods = person_periods;
    res->threads = threads;
    res->state_bytes_per_student = as_engine_state_bytes();
    if (rc == AS_OK && market)
        as_market_supply(market, res);
    return rc;
}
