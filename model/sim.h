/*
 * sim.h - what the engine's modules share: the state of a run and the small
 * steps every submodel uses.  Internal to model/ (no other layer includes it).
 *
 * The engine is split along the model's own seams, each one file pair with
 * its own prefix (docs/model.md, "Process overview and scheduling"):
 *
 *   entry.c        as_state_*, as_entry_*  state arrays; entry groups (cohorts, adult learners)
 *   highschool.c   as_hs_*      the high-school year: its chunk passes, leaving, applying
 *                               (learning.c: coursework, dual enrollment, WBL, exams;
 *                               exits.c: dropout, retention, graduation; hs_tables.c)
 *   allocation.c   as_allocation_*  scarce seats and slots by keyed lottery or rank
 *   destinations.c as_dest_*    where graduates go, postsecondary program choice
 *   postsec.c      as_post_*    postsecondary, apprenticeships, adult IET
 *   run.c          as_run_*     the per-run tables (subgroup cells), workers, groups;
 *                               each year's values of the scheduled seats and rates
 *   checks.c       as_check_*   invariants (--check)
 *   engine.c       as_engine_*  the yearly schedule
 *
 * Everything here is read by the hot loops: the `run` is copied to a local
 * in each chunk loop (so a store into the byte-sized state cannot alias
 * what the loop reads), and the helpers are static inline.  Nothing here
 * is thread-shared mutable state: a worker is one thread's scratch.
 */
#ifndef AS_SIM_H
#define AS_SIM_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "engine.h"
#include "rng.h"

#define NONE8 0xFFu

/* every choice's alternatives fit as_choose_keyed_core's bounds array */
_Static_assert(AS_CHOICE_MAX >= AS_MAX_PROGRAMS && AS_CHOICE_MAX >= AS_MAX_ITEMS && AS_CHOICE_MAX >= AS_MAX_OFFERS,
               "AS_CHOICE_MAX is smaller than a collection");

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
    ST_WORK_POOL,   /* working, and may still apply for an apprenticeship */
    ST_OUT_POOL,    /* neither working nor studying, and may still apply */
    ST_EXTERNAL,    /* an external apprenticeship applicant, before the allocation */
    ST_COUNT
};

enum flag {
    F_AWARE = 1u << 0,      /* knows of the programs on offer */
    F_WBL_DONE = 1u << 1,   /* completed a work-based learning placement */
    F_COMPLETER = 1u << 2,  /* completed a pathway */
    F_PREAPP = 1u << 3,     /* completed a pre-apprenticeship (which: `preapp`) */
    F_IET = 1u << 4,        /* completed Integrated Education and Training */
    F_POSTSEC_LEFT = 1u << 5, /* left a postsecondary program without its award */
    F_CAREER_CREDITS = 1u << 6, /* passed a career (CTE) dual-enrollment course */
    F_ACADEMIC_CREDITS = 1u << 7 /* passed an academic dual-enrollment course */
};

/* Everything the engine keeps per person: 27 bytes (see as_engine_state_bytes). */
typedef struct state {
    size_t n;
    void *block;           /* one allocation holding every array below */
    size_t bytes;
    size_t touched;        /* slots [0, touched) have held someone (as_entry_group) */
    uint8_t *status, *grade, *attrs, *program, *flags;
    uint8_t *credential;   /* industry credential held, NONE8 */
    uint8_t *courses, *advanced, *post_years; /* post_years: years in a postsecondary program or trade */
    /* Kept plus one, so that none (NONE8) is 0 (opt_get, opt_set): the
     * arrays of people who never have one stay the kernel's zero page. */
    uint8_t *interest1;    /* career-cluster interest */
    uint8_t *preapp1;      /* the pre-apprenticeship completed */
    uint8_t *wbl_done1;    /* the last work-based learning placement completed */
    uint8_t *year_dual1, *year_wbl1; /* this year's admissions to offers */
    uint8_t *post1;        /* postsecondary program or trade */
    uint16_t *hours, *wbl_hours, *credits, *post_credits;
    float *readiness;
} state;

/* An index of an array kept plus one (interest1 and the others), NONE8 for none. */
static inline uint8_t opt_get(const uint8_t *a, size_t k)
{
    return (uint8_t)(a[k] - 1u);
}

static inline void opt_set(uint8_t *a, size_t k, unsigned v)
{
    a[k] = (uint8_t)(v + 1u);
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
#define POST_CLASSES 3 /* as_post_chunk's classes of status, the pool's people apart */

/* The exit pass spreads its tally of students in school over this many
 * copies when the table has at most TALLY_COPIES_MAX_CELLS cells (as_hs_exits). */
#define TALLY_COPIES 4
#define TALLY_COPIES_MAX_CELLS 4096

/* Counts that most students of a list add to the same counter (entrants by
 * cell, staying in a program by program and grade, coursework by program)
 * go to this many copies in turn, student a to copy a % COUNT_COPIES, and
 * are summed after: one counter incremented by student after student waits
 * for its last store each time. */
#define COUNT_COPIES 4

/* What a graduate holds: the bits of a kind in a worker's tally of
 * graduates (graduate, flush_tally). */
enum grad_kind { GRAD_COMPLETER = 1, GRAD_CREDIT = 2, GRAD_CREDENTIAL = 4, GRAD_KINDS = 8 };

/* A program's completion requirements as integer minima (graduate and
 * graduate16_avx512 compare a student's integer counts x with them: x >= r
 * for a real requirement r exactly when x >= ceil(r)). */
enum req_kind { REQ_HOURS, REQ_COURSES, REQ_ADVANCED, REQ_WBL_HOURS, REQ_CREDITS, REQ_CREDENTIAL, REQ_WBL, REQ_COUNT };

/* A chunk's year draws: lane[j][q] for the q-th high-school student. */
typedef struct chunk_draws {
    uint32_t student[CHUNK];    /* the chunk's high-school students */
    uint32_t after[CHUNK];      /* its people after school: in postsecondary, apprenticeships, IET or
                                 * applying from outside, then from pool_from those of the applicant pool */
    uint32_t pool[CHUNK];       /* (listed apart, then copied after the others) */
    size_t n_after, pool_from;
    size_t n_choosers;          /* list_avx512 with choosers_only: phase A's students, in `list` */
    unsigned max_grade;         /* the highest grade (0: 9th) among the high-school students (list_chunk) */
    uint32_t lane[4][CHUNK];
    uint32_t list[CHUNK];       /* a pass's students (highschool.c; then the college-bound, as_dest_chunk) */
    uint32_t laneb[4][CHUNK];   /* AS_S_YEAR_B of phase A's students (when some program has leavers), then
                                 * AS_S_LOTTERY of the offers' applicants (offers.c); then AS_S_CHOICE_DEST of
                                 * the graduates */
    uint32_t lanec[4][CHUNK];   /* AS_S_HS_CHOICE of phase A's students; then AS_S_CHOICE_POSTSEC of the graduates */
    uint32_t graduate[CHUNK];   /* the chunk's graduates of the year, waiting for destinations */
    uint8_t held[CHUNK];        /* phase A: the program each listed student held before admissions
                                 * (then the graduates' destinations, as_dest_chunk), */
    uint32_t chooser[CHUNK];    /* the students choosing a program, by place in the list (then the
                                 * graduates ordered by destination), */
    int16_t chose[CHUNK];       /* and what they chose */
    uint64_t start[CHUNK];      /* the starts of a pass's keyed choices, */
    uint32_t row[CHUNK];        /* the rows of their weights (in destinations.c also the graduates
                                 * the memo has no room for, then the college-bound's interest rows), */
    int choice[CHUNK];          /* and what they chose (as_choose_keyed_many); */
    uint32_t post_order[POST_CLASSES][CHUNK]; /* places in `after` before pool_from, by status (as_post_chunk) */
    uint64_t allow[CHUNK];      /* the dual-enrollment offers open to each (offers.c), */
    uint32_t wbl_pick[CHUNK], wbl_row[CHUNK]; /* the same for WBL: */
    uint64_t wbl_allow[CHUNK], wbl_start[CHUNK];
    uint64_t unit[CHUNK];       /* and those of weight 1 */
    uint32_t order[CHUNK];      /* the same ordered by row (choose_programs) */
    uint32_t row_sorted[CHUNK];
    uint64_t start_sorted[CHUNK];
    int choice_sorted[CHUNK];
    size_t n_graduates;
} chunk_draws;

/* Per-thread scratch: counters for the year, applicant lists, draws. */
typedef struct worker {
    int64_t *count;       /* one slab of counters */
    int64_t *in_program;  /* [copy][program][grade] students staying in a program, in
                           * COUNT_COPIES copies (pass_a) */
    uint32_t *tally;      /* [copy][grade][program+1][cell]: students in school this sweep (flush_tally) */
    uint32_t *leavers;    /* this sweep's tally of those leaving high school (flush_tally): graduates
                           * [program+1][cell][GRAD_KINDS] by what they hold, then dropouts [cell]
                           * from R->leaver_dropouts, graduates' destinations [dest][cell] from
                           * R->leaver_dests */
    applicants apps;
    uint8_t *alive;       /* [group]: someone of the group is not in a terminal state */
    chunk_draws draws;
    int64_t swept;        /* person-years swept: high-school students and people after school, warm-up included */
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
    /* This year's values of the scheduled parameters (as_run_year), one
     * block: the tables below that depend on them are refilled only in a
     * year when one of them changes. */
    double *sched;                /* n_sched values, then n_sched more for the next year's */
    size_t n_sched;
    int sched_ready;              /* sched and the tables hold some year's values */
    double *prog_seats, *prog_apply;  /* [program] */
    double *dual_seats, *dual_apply;  /* [dual-enrollment offer] */
    double *wbl_slots, *wbl_apply;    /* [wbl program] */
    double *post_seats;               /* [postsecondary program] */
    double *trade_slots;              /* [trade] */
    /* derived once per run (those that read the values above: in a year they change) */
    size_t n_prog, n_sub, n_sg;   /* programs; subgroups; subgroup labels (1 + n_sub) */
    size_t n_cells;               /* subgroup cells: 2^n_sub */
    int avx512;                   /* run the passes that have one in their AVX-512 form (as_hs_avx512) */
    size_t tally_cells;           /* AS_GRADES * (n_prog + 1) * n_cells: a worker's tally */
    size_t tally_copies;          /* copies of it the exit pass spreads students over (as_hs_exits) */
    int tally_by_lane;            /* exits_avx512 tallies lane by lane rather than by distinct cell */
    size_t leaver_dropouts, leaver_dests, leaver_cells; /* a worker's `leavers`: where its parts start; its size */
    double *sub_readiness;        /* [cell]: readiness shift of a subgroup cell */
    double *sub_dropout, *sub_aware, *sub_apply, *sub_college;
    double *interest_acc;         /* [cluster]: interest_share summed over the clusters up to it */
    uint64_t *interest_limit;     /* [cluster]: the least entry draw whose uniform reaches interest_acc */
    uint64_t share_limit[AS_MAX_SUBGROUPS]; /* an entrant is of subgroup j iff its draw is below (as_entry_setup) */
    uint64_t aware_limit[1 << AS_MAX_SUBGROUPS]; /* [cell]: an entrant knows of the programs iff its draw is below */
    uint8_t *dual_ok;             /* [dual][program+1] eligibility by program */
    uint8_t *wbl_ok;              /* [wbl][program+1] */
    size_t open_n[AS_GRADES];     /* programs open to new students in each grade */
    size_t open_rows;             /* 1 + clusters: a row per interest (row 0: none) */
    uint8_t *open_prog;           /* [grade][j]: their indices */
    double *open_cum;             /* [grade][row][j]: cumulative application weights */
    double *open_wr;              /* [grade][row][cell]: choose_program's weights (n_prog), their
                                     inverses (n_prog) and total (1); NULL when too large (fill_programs) */
    uint16_t *open_slot;          /* [grade][j]: the keyed-choice slots of open_prog */
    /* open_wr's inverses as products (as_choice_factors, fill_factors):
     * 1 / apply rate, or with interest_mult for a student interested in
     * the program's cluster (match: the row of that interest), times 1 /
     * apply_mult of the row's subgroup cell; used in a grade where every
     * product is within AS_CHOICE_FACTOR_ERROR of the inverse it stands for (factored) */
    double *open_ra, *open_rb;    /* [grade][j] */
    int32_t *open_match;          /* [grade][j] */
    int32_t *open_key;            /* [grade][row][cell]: the row (interest) */
    double *open_scale;           /* [grade][row][cell]: 1 / the cell's apply_mult */
    int open_factored[AS_GRADES];
    double *post_cum;             /* [sector][row][j]: cumulative postsecondary weights */
    double *post_wr;              /* [sector][row]: the steps of the sector's open programs (post_n[sector]
                                     of the n places), their inverses (at n) and total (at 2n) (pick_postsec) */
    uint8_t *post_list;           /* [sector][n]: those programs, in order */
    uint16_t *post_list_slot;     /* [sector][n]: their keyed-choice slots */
    double *post_ra, *post_rb;    /* [sector][n]: post_wr's inverses as products (post_factors), */
    int32_t *post_match;          /* [sector][n] */
    int32_t *post_key;            /* [row]: the row itself (as_dest_setup) */
    double *post_scale;           /* [row]: 1 */
    int post_factored[2];         /* used where every product is within AS_CHOICE_FACTOR_ERROR */
    size_t post_n[2];
    /* The offers (fill_offers): by [grade][program+1], a bit per offer a
     * student may apply to (its apply rate there is not 0), and for WBL
     * one per program's own partner, which takes its students with weight
     * 1; the weights of an eligible student (then their inverses), by
     * [cell][unaware] for dual enrollment and [cell][unaware][interest
     * class] for WBL; as_choose_keyed_masked reads them. */
    uint64_t *dual_allow, *wbl_allow, *wbl_unit;
    double *dual_rows, *wbl_rows;
    double *dual_gpa_min;         /* [offer] */
    uint8_t *wbl_class;           /* [interest1 byte]: the interest class, the clusters of the WBL
                                     programs in order, then one for any other (and none) */
    size_t n_wbl_class;
    int64_t *prog_hours, *prog_courses, *prog_cost; /* per year, rounded once */
    applicant *merged;
    size_t merged_cap;
    size_t *block_first;          /* n_blocks + 1: applicants by block */
    size_t *block_fill;           /* [worker][n_blocks]: the gathering's counts, then places */
    int need_allocation;          /* some seats or slots are limited in high school */
    size_t off[AS_V_COUNT];       /* res->offset, copied where the hot loops see it */
    size_t cred_postsec0, cred_trade0, cred_iet;  /* credential index bases */
    int any_offers;               /* dual-enrollment or WBL offers exist */
    int any_leaves;               /* some program has a leave_rate */
    uint8_t prog_leaves[AS_MAX_PROGRAMS + 1]; /* leave_rate > 0, per program */
    uint64_t *leave_limit;        /* program byte -> as_rng_bernoulli_limit(leave_rate): 0 (nobody
                                     leaves) for none and programs without leavers */
    int prog_attempts[AS_MAX_PROGRAMS + 1];   /* advanced courses a year (advanced_per_year, rounded) */
    int any_hours, any_courses;   /* some program's prog_hours, prog_courses are not 0 */
    int exam_grade_min[AS_MAX_PROGRAMS + 1];  /* the grade (9-12) from which a program's credential can be
                                                 sat; INT_MAX for a program without one */
    double exam_hours_min[AS_MAX_PROGRAMS + 1]; /* the pathway hours it asks for */
    unsigned advanced_grade;      /* the lowest grade (0: 9th) of advanced courses, AS_GRADES when none */
    unsigned exam_grade;          /* the lowest grade in which a program's credential can be sat, AS_GRADES
                                     when none: learning skips a chunk's courses or exams below them */
    uint8_t need_a[256];          /* program byte -> phase A can change its student (as_hs_year) */
    int choosers_only;            /* phase A changes only students without a program: no offers, and
                                   * need_a 0 for every program (list_avx512 lists them) */
    uint8_t pcol_of[256];         /* program byte -> its column: the program, or n_prog for none */
    uint32_t *req_min;            /* [program column][REQ_COUNT]: completion requirements (enum req_kind);
                                     the column of none has minima nobody reaches */
    uint32_t *req_by_kind;        /* [REQ_COUNT][REQ_COLUMNS_MAX]: the same by requirement, padded, for the
                                     AVX-512 exit pass's registers; NULL with more columns */
#define REQ_COLUMNS_MAX 32
    double aware_base;            /* awareness + outreach + advising + exposure, capped at 1 */
    /* Draw limits (as_rng_draw_limit): an outcome is decided by comparing
     * a 32-bit draw with a limit tabled once per run (setup_limits). */
    uint64_t *drop_limit;         /* [grade][program+1][cell]: drops out iff lane < limit */
    uint64_t stay_limit[AS_GRADES];   /* repeats the grade iff lane < limit */
    uint64_t graduate_limit;      /* grade 12, not repeating: graduates iff lane < limit */
    uint64_t *exam_limit;         /* [credential]: passes iff lane < limit; UINT64_MAX when it varies */
    uint64_t *exam_limit_career;  /* the same with career dual-enrollment credit (effects.career_credits_exam) */
    uint64_t *drop_limit_de;      /* drop_limit for students with college credit (effects.dual_enrollment_dropout) */
    double *persist;              /* [postsecondary][credit from high school]: persistence, without and with */
    double *dest_shift;           /* [program column][destination]: a completed program's shifts; 0 for none */
    double college_effect[4];     /* [credit from high school][aware]: effects on college-going (destinations.c) */
    int *cred_cluster;            /* [credential index]: its career cluster, -1 none */
    int64_t *in_field_micro;      /* [credential][pathway][WBL kind + 1, 0 none][credential held]: the in-field
                                     share the experiences shift it to, in millionths, rounded; -1 where they
                                     shift nothing (as_post_in_field; NULL without a market or shifts) */
    uint16_t *slots;              /* one allocation for the keyed-choice slots below (choice.h) */
    uint16_t *prog_slot, *dual_slot, *wbl_slot, *post_slot, *trade_slot;
    int in_field_shifts;          /* some experience shifts in-field work (effects) */
    int dest_effects;             /* some experience effect shifts destination utilities */
    int dest_memo;                /* graduates' readiness takes few values (no spread), so the
                                     destinations' memo finds graduates alike (destinations.c) */
    double *exam_logit, *dual_logit; /* log-odds of each credential's and offer's pass rate */
    /* The apprenticeship applicant pool (postsec.c): pool_years > 0 and
     * some trade with slots; pool_limit[source][years since leaving]. */
    int pool_years;
    uint64_t pool_limit[AS_POOL_COUNT][21];
    uint64_t pool_limit_preapp[AS_POOL_COUNT][21]; /* the same for pre-apprenticeship completers */
    int64_t *trade_of_external;   /* [trade + 1]: external applicants' first index per trade */
    struct run *self;             /* the shared run, for the rare paths */
    double phase_s[AS_PHASES];    /* seconds by phase (enum as_phase), over the replications it ran */
} run;

/* The place in R->in_field_micro of credential ci with experiences path
 * (0, 1), wbl (0 none, else the kind + 1) and held (0, 1). */
static inline size_t in_field_at(size_t ci, size_t path, size_t wbl, size_t held)
{
    return ((ci * 2 + path) * (AS_WBL_KINDS + 1) + wbl) * 2 + held;
}

/* Outcomes that are the same for everyone in a (grade, program, subgroup
 * cell) are decided by comparing the draw with limits tabled once per run
 * (as_rng_draw_limit: bit-identical to evaluating the expression). */

HOT int64_t rnd64(double x) { return (int64_t)(x + 0.5); } /* x >= 0: costs, hours */

static inline double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* p with its log-odds shifted by `by` (p itself when by is 0 or p is 0 or 1). */
static inline double shift_odds(double p, double by)
{
    if (by == 0 || p <= 0 || p >= 1)
        return p;
    return 1 / (1 + exp(-(log(p / (1 - p)) + by)));
}

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

/* Adds `by` to counter var[j][subgroup] for "all" and each attribute of the
 * cell: every attribute's counter gets `by` or 0, a loop of the run's fixed
 * length rather than one over the cell's bits (a branch on the person's
 * attributes, mispredicted about once a call). */
HOT void count_sg(const run *R, int64_t *c, int var, size_t j, unsigned attrs, int64_t by)
{
    int64_t *row = c + R->off[var] + j * R->n_sg;
    row[0] += by;
    for (size_t b = 0; b < R->n_sub; b++)
        row[1 + b] += by & -(int64_t)((attrs >> b) & 1u);
}

HOT void count(const run *R, int64_t *c, int var, size_t j, int64_t by)
{
    c[R->off[var] + j] += by;
}

static inline int push(worker *w, uint64_t key, const group *g, size_t i, size_t target, int grade, int kind)
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

static inline uint64_t lottery_key(uint32_t random) { return (uint64_t)random; }

static inline uint64_t rank_key(double gpa, uint32_t random)
{
    /* higher GPA first: invert and quantize, then the lottery number breaks ties */
    uint32_t inv = (uint32_t)llround((4.0 - gpa) * 1e8);
    return ((uint64_t)inv << 32) | random;
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

/* The start of a choice of person i of group g this year from its own
 * keyed draw (for the choices after high school; the high-school year's
 * come from the chunk's AS_S_HS_CHOICE draws). */
HOT uint64_t choice_start(const run *R, const group *g, size_t i, uint32_t stream)
{
    as_draw d = as_rng_draw(R->seed, R->rep, g->cohort, (uint32_t)i, (uint32_t)R->year, stream);
    return as_choice_start(d.lane[0], d.lane[1]);
}

/* Enters person k into work, counted as a labor entrant under the credential
 * (-1: none); the person joins the apprenticeship pool when there is one. */
void as_post_in_field(const run *R, int64_t *c, size_t k, int credential_index);

HOT void enter_work(run *R, int64_t *c, size_t k, int credential_index)
{
    R->s.status[k] = R->pool_years ? ST_WORK_POOL : ST_WORK;
    if (R->s.post_years[k]) /* years in the pool: no store of a 0 (entry.c keeps pages of zeros unwritten) */
        R->s.post_years[k] = 0;
    /* counted without a branch on whether there is one (without, 0 is added to the first entry) */
    c[R->off[AS_V_LABOR_ENTRANTS] + (size_t)(credential_index < 0 ? 0 : credential_index)] += credential_index >= 0;
    if (R->in_field_shifts && credential_index >= 0 &&
        (R->s.flags[k] & F_COMPLETER || R->s.wbl_done1[k] || R->s.credential[k] != NONE8))
        as_post_in_field(R, c, k, credential_index); /* experiences shift in-field work (postsec.c) */
}

/* Person k leaves for neither work nor study (into the pool when there is one). */
HOT void enter_out(const run *R, size_t k)
{
    R->s.status[k] = R->pool_years ? ST_OUT_POOL : ST_OUT;
    if (R->s.post_years[k])
        R->s.post_years[k] = 0;
}

/* The credential a person takes into the labor market when nothing newer is
 * earned: an IET completion, else an industry credential, else none (-1). */

HOT int held_credential(const run *R, size_t k)
{
    if (R->s.flags[k] & F_IET)
        return (int)R->cred_iet;
    int c = R->s.credential[k];
    return c | -(c == NONE8); /* -1 for NONE8, without a branch on it */
}

/* Phases B and C touch only the person at hand (a graduate leaves phase B
 * pending or in a terminal state, which phase C skips), and without limited
 * seats phase A needs no allocation after it: so one pass can do them all,
 * reading each person's state once and drawing each stream once. */
static inline int terminal(uint8_t status)
{
    return status == ST_DROPPED || status == ST_WORK || status == ST_OUT;
}

HOT as_draw chunk_draw(const worker *w, size_t q)
{
    const chunk_draws *cd = &w->draws;
    as_draw d = {{cd->lane[0][q], cd->lane[1][q], cd->lane[2][q], cd->lane[3][q]}};
    return d;
}

#endif
