/*
 * allocation.c - scarce seats and slots (allocation.h).
 */
#include "allocation.h"
#include "alloc.h"

#include <omp.h>
#include <string.h>

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
 * then dual-enrollment offers, WBL programs, postsecondary programs, trades;
 * base[kind]: the first block of each kind (block_bases). */
static void block_bases(const run *R, size_t base[A_KINDS + 1])
{
    const as_params *p = R->p;
    base[A_PROGRAM] = 0;
    base[A_DUAL] = R->n_prog * AS_GRADES;
    base[A_WBL] = base[A_DUAL] + p->dual_enrollment.n;
    base[A_POSTSEC] = base[A_WBL] + p->wbl.n;
    base[A_TRADE] = base[A_POSTSEC] + p->postsecondary.n;
}

static inline size_t block_of(const size_t *base, const applicant *a)
{
    return base[a->kind] + (a->kind == A_PROGRAM ? (size_t)a->target * AS_GRADES + a->grade : a->target);
}

size_t as_allocation_blocks(const run *R)
{
    const as_params *p = R->p;
    return R->n_prog * AS_GRADES + p->dual_enrollment.n + p->wbl.n + p->postsecondary.n + p->apprenticeships.n;
}

/* Gathers every worker's applicants into R->merged, grouped by block (a
 * counting sort); R->block_first[b] is where block b starts.  Within a
 * block they come worker by worker, each worker's in the order of its
 * list, as one pass over the workers in turn would place them; but each
 * worker's part is counted and placed by a thread (R->block_fill[worker *
 * blocks + b]: where the worker's next applicant of block b goes), so the
 * gathering is not a serial part of the year. */
static int gather(run *R, size_t *n_out)
{
    const size_t nb = as_allocation_blocks(R);
    const int workers = R->n_workers;
    size_t n = 0, base[A_KINDS + 1];
    block_bases(R, base);
    for (int t = 0; t < workers; t++)
        n += R->workers[t].apps.n;
    if (n > R->merged_cap) {
        applicant *grown = as_realloc(R->merged, n * sizeof *grown);
        if (!grown)
            return -1;
        R->merged = grown;
        R->merged_cap = n;
    }
    size_t *fill = R->block_fill;
    #pragma omp parallel num_threads(workers)
    {
        const int me = omp_get_thread_num(), team = omp_get_num_threads();
        for (int t = me; t < workers; t += team) {
            size_t *mine = fill + (size_t)t * nb;
            memset(mine, 0, nb * sizeof *mine);
            for (size_t i = 0; i < R->workers[t].apps.n; i++)
                mine[block_of(base, &R->workers[t].apps.a[i])]++;
        }
        #pragma omp barrier
        #pragma omp single
        {
            size_t at = 0;
            for (size_t b = 0; b < nb; b++) {
                R->block_first[b] = at;
                for (int t = 0; t < workers; t++) {
                    size_t k = fill[(size_t)t * nb + b];
                    fill[(size_t)t * nb + b] = at;
                    at += k;
                }
            }
            R->block_first[nb] = at;
        }
        for (int t = me; t < workers; t += team) {
            size_t *mine = fill + (size_t)t * nb;
            for (size_t i = 0; i < R->workers[t].apps.n; i++) {
                const applicant *a = &R->workers[t].apps.a[i];
                R->merged[mine[block_of(base, a)]++] = *a;
            }
            R->workers[t].apps.n = 0;
        }
    }
    *n_out = n;
    return 0;
}

/* Seats left for (kind, target, grade) this year, in people. */
static double capacity(const run *R, const int64_t *in_program, const applicant *a)
{
    const as_params *p = R->p;
    switch (a->kind) {
    case A_PROGRAM:
        return R->prog_seats[a->target] - (double)in_program[a->target * AS_GRADES + a->grade];
    case A_DUAL: {
        const as_dual_enrollment *de = &p->dual_enrollment.items[a->target];
        double seats = R->dual_seats[a->target];
        return de->courses_per_year > 0 ? floor(seats / de->courses_per_year) : seats;
    }
    case A_WBL:
        return R->wbl_slots[a->target];
    case A_POSTSEC:
        return R->post_seats[a->target] < 0 ? INFINITY : R->post_seats[a->target];
    case A_TRADE:
        return R->trade_slots[a->target];
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
        opt_set(s->year_dual1, a->slot, a->target);
    } else if (a->kind == A_WBL && admitted) {
        opt_set(s->year_wbl1, a->slot, a->target);
    }
}

/* A graduate waiting for this year's seat or slot counts under a
 * destination; an adult IET completer, a person of the apprenticeship pool
 * and an external applicant do not.  An apprenticeship applicant's source
 * travels in the applicant's `grade` (enum as_applicant_source). */
static void admit_after_school(run *R, const applicant *a, int admitted, int64_t *c)
{
    state *s = &R->s;
    size_t k = a->slot;
    unsigned attrs = s->attrs[k];
    int source = a->kind == A_TRADE ? a->grade : AS_SRC_GRADUATES;
    int graduate = s->status[k] == ST_PENDING && s->grade[k] != NONE8;
    if (admitted) {
        opt_set(s->post1, k, a->target);
        s->post_years[k] = 0;
        if (a->kind == A_POSTSEC) {
            const as_postsec_program *ps = &R->p->postsecondary.items[a->target];
            double counted = s->credits[k]; /* career-only credit counts little toward a bachelor's */
            if (ps->level == 2 /* bachelor */ && (s->flags[k] & (F_CAREER_CREDITS | F_ACADEMIC_CREDITS)) == F_CAREER_CREDITS)
                counted *= R->p->effects.career_credits_bachelor;
            double prior = floor(ps->transfer_rate * counted);
            s->post_credits[k] = (uint16_t)(prior < ps->credits_required ? prior : ps->credits_required);
            s->status[k] = ST_POSTSEC;
            c[R->off[AS_V_POSTSEC_STARTS] + a->target]++;
            if (graduate)
                count_sg(R, c, AS_V_DESTINATIONS, (size_t)ps->sector, attrs, 1);
        } else {
            s->status[k] = ST_APPRENTICE;
            c[R->off[AS_V_APPRENTICE_STARTS] + a->target]++;
            c[R->off[AS_V_APPRENTICE_STARTS_BY_SOURCE] + (size_t)a->target * AS_SRC_COUNT + (size_t)source]++;
            if (graduate)
                count_sg(R, c, AS_V_DESTINATIONS, AS_DEST_APPRENTICESHIP, attrs, 1);
        }
        return;
    }
    if (source == AS_SRC_EXTERNAL) {
        s->status[k] = ST_OUT; /* leaves the region's pool */
        return;
    }
    if (source != AS_SRC_GRADUATES)
        return; /* the pool: stays where the person was */
    /* no seat: the person goes to work with what they hold */
    if (graduate)
        count_sg(R, c, AS_V_DESTINATIONS, AS_DEST_WORK, attrs, 1);
    enter_work(R, c, k, held_credential(R, k));
}

/* Each block admits its `capacity` applicants with the smallest (key,
 * person): all of them when they fit, else the first `capacity` of the
 * block once select_first has put them in front.
 * The admitted set is the same whatever order the workers delivered them in,
 * and blocks are independent, so they are decided in parallel. */
void as_allocation_run(run *R, int after_school, const int64_t *in_program, int threads)
{
    size_t n = 0, nb = as_allocation_blocks(R);
    if (gather(R, &n) != 0) {
        R->workers[0].oom = 1;
        return;
    }
    #pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t b = 0; b < nb; b++) {
        int64_t *c = R->workers[omp_get_thread_num()].count;
        size_t count = R->block_first[b + 1] - R->block_first[b];
        if (count == 0)
            continue; /* (and merged may be NULL: no applicants at all) */
        applicant *first = R->merged + R->block_first[b];
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
