/*
 * highschool.c - the high-school year (highschool.h): its chunk passes,
 * the listing of a chunk, and phase A's choices and applications.  The
 * learning passes are in learning.c, the exits and graduation in exits.c,
 * the tables in hs_tables.c.
 */
#include "highschool.h"

#include "exits.h"
#include "learning.h"
#include "offers.h"

#include <string.h>

#include "choice.h"
#include "destinations.h"
#include "postsec.h"

/* The program a student without one applies to this year, or -1, from the
 * student's row of weights `at` (choose_programs) and keyed start: programs
 * open to new students in the grade compete with weights apply_rate (times
 * interest_mult for the student's field) times the subgroup's apply_mult,
 * capped at 1 in total, by keyed clocks (choice.h).  The weights, their
 * inverses and their total are tabled per (grade, interest, subgroup cell)
 * each year (fill_programs), or computed here from the cumulative weights
 * per (grade, interest) when that table would be too large: the same
 * doubles either way. */
HOT int choose_program(const run *R, uint64_t start, uint32_t at)
{
    /* at = (grade * open_rows + interest row) * n_cells + subgroup cell */
    size_t cell = at % R->n_cells, row = at / R->n_cells % R->open_rows, grade = at / R->n_cells / R->open_rows;
    size_t n = R->open_n[grade];
    const uint8_t *open = R->open_prog + grade * R->n_prog;
    const uint16_t *slot = R->open_slot + grade * R->n_prog;
    int choice;
    if (R->open_wr) {
        size_t np = R->n_prog;
        const double *wr = R->open_wr + (size_t)at * (2 * np + 1);
        choice = as_choose_keyed_tabled(wr, wr + np, wr[2 * np], slot, n, 1, start);
    } else {
        const double *cum = R->open_cum + (grade * R->open_rows + row) * R->n_prog;
        double w[AS_MAX_PROGRAMS];
        for (size_t j = 0; j < n; j++)
            w[j] = (cum[j] - (j ? cum[j - 1] : 0)) * R->sub_apply[cell];
        choice = as_choose_keyed(w, slot, n, 1, start);
    }
    return choice < 0 ? -1 : open[choice];
}

/* ---- phase A: leaving and applying ------------------------------------------------------------ */

/* The applications of the na students who chose a program (places
 * chooser[c] in the pass's list, programs chose[c]): each counted, then,
 * with the GPA the program asks for, admitted at once (unlimited seats) or
 * put on the program's applicant list with a lottery number or, where the
 * program ranks, its GPA first.  The lottery draws (AS_S_LOTTERY) of those
 * who go to a list are generated together; the list is sorted before use,
 * so the order of the pushes changes nothing. */
static void apply_programs(run *R, worker *w, const group *g, const uint32_t *list, const uint32_t *chooser,
                           const int16_t *chose, size_t na)
{
    chunk_draws *cd = &w->draws;
    const as_params *p = R->p;
    state *s = &R->s;
    uint32_t *restrict who = cd->order, *restrict what = cd->row_sorted; /* choose_programs is done with them */
    size_t nl = 0;
    for (size_t c = 0; c < na; c++) {
        uint32_t i = list[chooser[c]];
        int choice = chose[c];
        size_t k = g->first + i;
        count(R, w->count, AS_V_APPLICANTS, (size_t)choice, 1);
        if (!(gpa_of(p, s->readiness[k]) >= p->programs.items[choice].gpa_min))
            continue;
        if (R->prog_seats[choice] < 0) { /* unlimited: admitted at once */
            s->program[k] = (uint8_t)choice;
            count(R, w->count, AS_V_ADMITTED, (size_t)choice, 1);
            continue;
        }
        who[nl] = i;
        what[nl++] = (uint32_t)choice;
    }
    if (nl == 0)
        return;
    as_rng_draw_many(R->seed, R->rep, g->cohort, who, nl, (uint32_t)R->year, AS_S_LOTTERY, cd->lane[0], cd->lane[1],
                     cd->lane[2], cd->lane[3]);
    for (size_t l = 0; l < nl; l++) {
        size_t k = g->first + who[l];
        const as_program *pr = &p->programs.items[what[l]];
        uint32_t lot = cd->lane[0][l];
        uint64_t key = pr->allocation == AS_ALLOC_RANK ? rank_key(gpa_of(p, s->readiness[k]), lot) : lottery_key(lot);
        push(w, key, g, who[l], what[l], s->grade[k], A_PROGRAM);
    }
}

/* ---- chunk passes -------------------------------------------------------------------------------------- */

/* The high-school year of a chunk is a sequence of passes over its
 * students, each doing one event for the students it applies to: listing,
 * phase A (for the students it can change), learning (for students in a
 * program or placed in an offer), then the exits of everyone, in a loop
 * without branches on the draws; dropouts and graduates go to short lists
 * that the passes after it read.  Each pass's draws are generated together
 * (model/rng.c) for exactly the students it needs them for.  A student's
 * events touch only his or her own state and the worker's counters and
 * applicant list (summed, and sorted before use), so doing them pass by
 * pass rather than student by student changes no result. */

/* The chunk's list after school (cd->after): its m people in
 * postsecondary, apprenticeships, IET or applying from outside, then the p
 * of the apprenticeship applicant pool (listed apart in cd->pool), the
 * most numerous, whose year as_post_chunk takes as a pass of its own. */
static void after_pool(chunk_draws *cd, size_t m, size_t p)
{
    memcpy(cd->after + m, cd->pool, p * sizeof *cd->pool);
    cd->pool_from = m;
    cd->n_after = m + p;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HS_AVX512 1

/* list_chunk sixteen slots at a time: masks of the two kinds of status,
 * their slots compress-stored in order.  Where phase A changes only
 * students without a program (R->choosers_only), its list too: those in
 * school without one who know of a program open in their grade. */
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) static size_t list_avx512(const run *R, worker *w,
                                                                                    const group *g, size_t i0,
                                                                                    size_t i1)
{
    chunk_draws *cd = &w->draws;
    const uint8_t *status = R->s.status + g->first;
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i three = _mm_set1_epi8(3), two = _mm_set1_epi8(2);
    const uint8_t *program = R->s.program + g->first, *flags = R->s.flags + g->first, *grade = R->s.grade + g->first;
    __m128i open = _mm_setzero_si128(); /* byte g: a program is open in grade g */
    for (int gr = 0; gr < AS_GRADES; gr++)
        open = _mm_mask_mov_epi8(open, (__mmask16)(1u << gr), _mm_set1_epi8(R->open_n[gr] != 0));
    size_t n = 0, m = 0, c = 0, p = 0;
    __m128i top = _mm_setzero_si128(); /* the highest grade of a student in school, by byte */
    for (size_t i = i0; i < i1; i += 16) {
        __mmask16 in = i1 - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (i1 - i)) - 1);
        __m128i st = _mm_maskz_loadu_epi8(in, status + i);
        __mmask16 hs = _mm_mask_cmpeq_epi8_mask(in, st, _mm_set1_epi8(ST_HS));
        top = _mm_mask_max_epu8(top, hs, top, _mm_maskz_loadu_epi8(hs, grade + i));
        __mmask16 pool = _mm_mask_cmplt_epu8_mask(in, _mm_sub_epi8(st, _mm_set1_epi8(ST_WORK_POOL)), two);
        __mmask16 after = _mm_mask_cmplt_epu8_mask(in, _mm_sub_epi8(st, _mm_set1_epi8(ST_POSTSEC)), three) |
                          _mm_mask_cmpeq_epi8_mask(in, st, _mm_set1_epi8(ST_EXTERNAL));
        __m512i slot = _mm512_add_epi32(_mm512_set1_epi32((int)i), lanes);
        _mm512_mask_compressstoreu_epi32(cd->student + n, hs, slot);
        _mm512_mask_compressstoreu_epi32(cd->after + m, after, slot);
        _mm512_mask_compressstoreu_epi32(cd->pool + p, pool, slot);
        n += (size_t)_mm_popcnt_u32(hs);
        m += (size_t)_mm_popcnt_u32(after);
        p += (size_t)_mm_popcnt_u32(pool);
        if (R->choosers_only) {
            __mmask16 none = _mm_mask_cmpeq_epi8_mask(hs, _mm_maskz_loadu_epi8(hs, program + i), _mm_set1_epi8((char)NONE8));
            __mmask16 aware = _mm_mask_test_epi8_mask(none, _mm_maskz_loadu_epi8(none, flags + i), _mm_set1_epi8(F_AWARE));
            __mmask16 chooser = _mm_mask_test_epi8_mask(aware, _mm_shuffle_epi8(open, _mm_maskz_loadu_epi8(aware, grade + i)),
                                                        _mm_set1_epi8(1));
            _mm512_mask_compressstoreu_epi32(cd->list + c, chooser, slot);
            c += (size_t)_mm_popcnt_u32(chooser);
        }
    }
    after_pool(cd, m, p);
    cd->n_choosers = c;
    top = _mm_max_epu8(top, _mm_srli_si128(top, 8)); /* the largest of the sixteen bytes */
    top = _mm_max_epu8(top, _mm_srli_si128(top, 4));
    top = _mm_max_epu8(top, _mm_srli_si128(top, 2));
    top = _mm_max_epu8(top, _mm_srli_si128(top, 1));
    cd->max_grade = (unsigned)_mm_extract_epi8(top, 0);
    return n;
}
#endif

/* Lists the chunk's high-school students (returns how many) and its people
 * after high school still active (cd->after), in one pass without branches;
 * notes the highest grade among the students (cd->max_grade). */
static size_t list_chunk(const run *R, worker *w, const group *g, size_t i0, size_t i1)
{
#ifdef HS_AVX512
    if (R->avx512)
        return list_avx512(R, w, g, i0, i1);
#endif
    chunk_draws *cd = &w->draws;
    const uint8_t *status = R->s.status + g->first, *grade = R->s.grade + g->first;
    uint32_t *restrict student = cd->student, *restrict after = cd->after, *restrict pool = cd->pool;
    size_t n = 0, m = 0, p = 0;
    unsigned top = 0;
    for (size_t i = i0; i < i1; i++) {
        unsigned st = status[i], gr = grade[i] & -(unsigned)(st == ST_HS);
        student[n] = after[m] = pool[p] = (uint32_t)i;
        n += st == ST_HS;
        m += (st - ST_POSTSEC < 3u) | (st == ST_EXTERNAL);
        p += st - ST_WORK_POOL < 2u;
        top = gr > top ? gr : top;
    }
    after_pool(cd, m, p);
    cd->max_grade = top;
    return n;
}

/* The year draws (AS_S_YEAR) of the chunk's n students, generated together. */
static void year_draws(const run *R, worker *w, const group *g, size_t n)
{
    chunk_draws *cd = &w->draws;
    as_rng_draw_many(R->seed, R->rep, g->cohort, cd->student, n, (uint32_t)R->year, AS_S_YEAR, cd->lane[0],
                     cd->lane[1], cd->lane[2], cd->lane[3]);
}

/* The program choices of choosers c < m whose rows of weights are row[c]
 * and keyed starts start[c], into out[c]: runs of at least eight with the
 * same tabled weights together (as_choose_keyed_many), the rest one at a
 * time (choose_program). */
static void choose_runs(const run *R, const uint32_t *row, const uint64_t *start, size_t m, int *out)
{
    const size_t np = R->n_prog;
    for (size_t c = 0, e; c < m; c = e) {
        for (e = c + 1; e < m && row[e] == row[c]; e++)
            ;
        if (!R->open_wr || e - c < 8) {
            for (size_t b = c; b < e; b++)
                out[b] = choose_program(R, start[b], row[b]);
            continue;
        }
        size_t gr = row[c] / R->n_cells / R->open_rows;
        const double *wr = R->open_wr + (size_t)row[c] * (2 * np + 1);
        const uint8_t *open = R->open_prog + gr * np;
        as_choose_keyed_many(R->avx512 ? AS_CHOICE_BEST : AS_CHOICE_SCALAR, wr, wr + np, wr[2 * np],
                                 R->open_slot + gr * np, R->open_n[gr], 1, start + c, e - c, out + c);
        for (size_t b = c; b < e; b++) { /* open[out[b]], or -1 for none, without a branch on it */
            int none = out[b] < 0;
            out[b] = (int)open[out[b] & -(int)!none] | -none;
        }
    }
}

/* The program choices of phase A's choosers (cd->list[cd->chooser[c]],
 * c < nc) into cd->choice.  Where their rows of weights come in runs of
 * eight or more on average (as in the toy), or without AVX-512 or tabled
 * weights, in runs of the same row (choose_runs); else (interests and
 * subgroups vary, as in Miami-Dade) eight at a time whatever their rows
 * (as_choose_keyed_gather), grade by grade (the programs open, and so the
 * alternatives, depend on the grade): choosers of more than one grade are
 * ordered by grade first (a counting sort). */
static void choose_programs(const run *R, chunk_draws *cd, const group *g, size_t nc)
{
    const size_t first = g->first, np = R->n_prog, per_grade = R->open_rows * R->n_cells;
    const uint8_t *grade = R->s.grade + first, *interest1 = R->s.interest1 + first, *attrs = R->s.attrs + first;
    size_t runs = 0, from[AS_GRADES + 1] = {0}; /* from[g + 1]: choosers in grade g, then in grades up to g */
    for (size_t c = 0; c < nc; c++) {
        size_t a = cd->chooser[c];
        uint32_t i = cd->list[a];
        size_t row = interest1[i]; /* 0: none, else the cluster + 1 */
        cd->start[c] = as_choice_start(cd->lanec[0][a], cd->lanec[1][a]);
        cd->row[c] = (uint32_t)(((size_t)grade[i] * R->open_rows + row) * R->n_cells + attrs[i]);
        runs += c == 0 || cd->row[c] != cd->row[c - 1];
        from[grade[i] + 1]++;
    }
    if (!R->open_wr || !R->avx512 || runs * 8 <= nc) {
        choose_runs(R, cd->row, cd->start, nc, cd->choice);
        return;
    }
    const uint32_t *row = cd->row;
    const uint64_t *start = cd->start;
    int *choice = cd->choice;
    for (int gr = 0; gr < AS_GRADES; gr++)
        from[gr + 1] += from[gr];
    int one_grade = 0;
    for (int gr = 0; gr < AS_GRADES; gr++)
        one_grade |= from[gr + 1] - from[gr] == nc;
    if (!one_grade) { /* ordered by grade */
        size_t at[AS_GRADES];
        memcpy(at, from, sizeof at);
        for (size_t c = 0; c < nc; c++) {
            size_t o = at[cd->row[c] / per_grade]++;
            cd->order[o] = (uint32_t)c;
            cd->row_sorted[o] = cd->row[c];
            cd->start_sorted[o] = cd->start[c];
        }
        row = cd->row_sorted, start = cd->start_sorted, choice = cd->choice_sorted;
    }
    const double *wr = R->open_wr;
    for (int gr = 0; gr < AS_GRADES; gr++) {
        size_t b = from[gr], e = from[gr + 1];
        if (b == e)
            continue;
        const uint8_t *open = R->open_prog + gr * np;
        const as_choice_factors f = {R->open_ra + gr * np, R->open_rb + gr * np, R->open_match + gr * np,
                                     R->open_key, R->open_scale};
        if (R->open_factored[gr])
            as_choose_keyed_factored(wr, wr + np, wr + 2 * np, 2 * np + 1, row + b, R->open_slot + gr * np,
                                     R->open_n[gr], 1, start + b, e - b, choice + b, &f);
        else
            as_choose_keyed_gather(AS_CHOICE_BEST, wr, wr + np, wr + 2 * np, 2 * np + 1, row + b,
                                   R->open_slot + gr * np, R->open_n[gr], 1, start + b, e - b, choice + b);
        for (size_t c = b; c < e; c++) { /* open[choice], or -1 for none, without a branch on it */
            int none = choice[c] < 0;
            choice[c] = (int)open[choice[c] & -(int)!none] | -none;
        }
    }
    if (choice != cd->choice)
        for (size_t o = 0; o < nc; o++)
            cd->choice[cd->order[o]] = choice[o];
}

/* Phase A for the students of the chunk it can change: with offers,
 * everyone; else those in a program that has leavers or limited seats
 * (need_a) and those without one who know of a program open in their
 * grade.  Their choice draws (and, where programs have leavers, their
 * second year draws) are generated together.  Then one pass per event:
 * leaving (and the count of those staying in a program); the program
 * choices of those without one, who know of a program open in their grade;
 * the applications of those who chose one (a list without branches on the
 * choices); the offers.  A student's events touch only his or her own
 * state, the worker's counters and its applicant lists (whose order does
 * not matter: allocation.c orders applicants by key and person), so doing
 * them pass by pass changes nothing. */
static void pass_a(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n)
{
    chunk_draws *cd = &w->draws;
    const size_t first = g->first;
    const uint32_t *restrict student = cd->student;
    uint32_t *restrict list = cd->list;
    uint8_t *restrict program = R->s.program + first;
    const uint8_t *restrict flags = R->s.flags + first, *restrict grade = R->s.grade + first;
    size_t m = 0;
    if (R->any_offers) {
        memcpy(list, student, n * sizeof *list);
        m = n;
    } else if (R->choosers_only && R->avx512) {
        m = cd->n_choosers; /* listed by list_avx512 */
    } else {
        for (size_t q = 0; q < n; q++) {
            uint32_t i = student[q];
            unsigned prog = program[i];
            list[m] = i;
            m += R->need_a[prog] | ((prog == NONE8) & ((flags[i] & F_AWARE) != 0) & (R->open_n[grade[i]] != 0));
        }
    }
    if (m == 0)
        return;
    as_rng_draw_many(R->seed, R->rep, g->cohort, list, m, (uint32_t)R->year, AS_S_HS_CHOICE, cd->lanec[0],
                     cd->lanec[1], cd->lanec[2], cd->lanec[3]);
    if (R->any_leaves)
        as_rng_draw_many(R->seed, R->rep, g->cohort, list, m, (uint32_t)R->year, AS_S_YEAR_B, cd->laneb[0],
                         cd->laneb[1], cd->laneb[2], cd->laneb[3]);
    /* leaving (lane 0 of the second year draw under the program's limit),
     * without a branch on the draw: a student who leaves holds none from now
     * and may apply again next year, not now; one who stays is counted in
     * the program (those without one in the column of none, which nothing
     * reads) */
    uint8_t *restrict held = cd->held;
    uint32_t *restrict chooser = cd->chooser;
    int64_t *restrict in_program = w->in_program; /* COUNT_COPIES copies */
    const size_t in_program_n = (R->n_prog + 1) * AS_GRADES;
    const uint64_t *leave_limit = R->leave_limit;
    const uint8_t *pcol_of = R->pcol_of;
    size_t nc = 0;
    for (size_t a = 0; a < m; a++) {
        uint32_t i = list[a];
        unsigned prog = program[i], gr = grade[i];
        unsigned leaves = R->any_leaves && cd->laneb[0][a] < leave_limit[prog];
        unsigned h = leaves ? NONE8 : prog;
        program[i] = held[a] = (uint8_t)h;
        in_program[(a % COUNT_COPIES) * in_program_n + pcol_of[prog] * AS_GRADES + gr] += !leaves;
        chooser[nc] = (uint32_t)a;
        nc += (prog == NONE8) & ((flags[i] & F_AWARE) != 0) & (R->open_n[gr] != 0);
    }
    /* the program choices, and a list of those who chose one */
    choose_programs(R, cd, g, nc);
    int16_t *restrict chose = cd->chose;
    const int *choice = cd->choice;
    size_t na = 0;
    for (size_t c = 0; c < nc; c++) {
        chooser[na] = chooser[c]; /* na <= c: overwrites only what was read */
        chose[na] = (int16_t)choice[c];
        na += choice[c] >= 0;
    }
    apply_programs(R, w, g, list, chooser, chose, na);
    if (R->any_offers)
        as_hs_offers(R, w, g, i0, i1, m);
}

int as_hs_avx512(void)
{
#ifdef HS_AVX512
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
#else
    return 0;
#endif
}

/* The step functions take a chunk [i0, i1) of a group; each works on a
 * local copy of the run. */
void as_hs_step_a(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared;
    pass_a(&local, w, g, i0, i1, list_chunk(&local, w, g, i0, i1));
}

/* Phase B, destinations and phase C: after phase A, or with it (abc). */
static void step_bc(run *shared, run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n)
{
    w->swept += (int64_t)(n + w->draws.n_after);
    year_draws(R, w, g, n);
    as_hs_learning(R, w, g, n);
    int alive = as_hs_exits(R, w, g, i0, i1, n);
    alive |= as_dest_chunk(shared, w, g);
    as_post_chunk(R, w, g, alive);
}

void as_hs_step_bc(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared;
    step_bc(shared, &local, w, g, i0, i1, list_chunk(&local, w, g, i0, i1));
}

void as_hs_step_abc(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared;
    size_t n = list_chunk(&local, w, g, i0, i1);
    pass_a(&local, w, g, i0, i1, n);
    step_bc(shared, &local, w, g, i0, i1, n);
}
