/*
 * highschool.c - the high-school year (highschool.h): its chunk passes,
 * phase A's choices and applications, and the exits and graduation.  The
 * learning passes are in learning.c, the tables in hs_tables.c.
 */
#include "highschool.h"

#include "learning.h"

#include <assert.h>
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

/* The application of student i of group g (in `grade`) to the program it
 * chose: counted, then, with the GPA the program asks for, admitted at once
 * (unlimited seats) or put on the program's applicant list with a lottery
 * number or, where the program ranks, its GPA first. */
static void apply_program(run *R, worker *w, const group *g, uint32_t i, int grade, int choice)
{
    const as_program *pr = &R->p->programs.items[choice];
    state *s = &R->s;
    size_t k = g->first + i;
    double gpa = gpa_of(R->p, s->readiness[k]);
    count(R, w->count, AS_V_APPLICANTS, (size_t)choice, 1);
    if (!(gpa >= pr->gpa_min))
        return;
    if (R->prog_seats[choice] < 0) { /* unlimited: admitted at once */
        s->program[k] = (uint8_t)choice;
        count(R, w->count, AS_V_ADMITTED, (size_t)choice, 1);
        return;
    }
    as_draw lot = as_rng_draw(R->seed, R->rep, g->cohort, i, (uint32_t)R->year, AS_S_LOTTERY);
    uint64_t key = pr->allocation == AS_ALLOC_RANK ? rank_key(gpa, lot.lane[0]) : lottery_key(lot.lane[0]);
    push(w, key, g, i, (size_t)choice, grade, A_PROGRAM);
}

/* The dual-enrollment and WBL applications of student i of group g, who
 * held program `prog` (NONE8: none) before this year's admissions: a new
 * admission counts from next year whether or not the program's seats are
 * limited (they are allocated after this step).  c: the student's
 * AS_S_HS_CHOICE draw, whose lanes 2 and 3 start the keyed offer choices
 * (choice.h). */
static void apply_offers(run *R, worker *w, const group *g, uint32_t i, int prog, as_draw c)
{
    uint64_t offer_start = as_choice_start(c.lane[2], c.lane[3]);
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int grade = s->grade[k];
    unsigned attrs = s->attrs[k];
    as_draw lot = {{0, 0, 0, 0}};
    int have_lot = 0;
#define NEED_LOT() do { if (!have_lot) { lot = as_rng_draw(R->seed, R->rep, g->cohort, i, (uint32_t)R->year, AS_S_LOTTERY); have_lot = 1; } } while (0)
    if (s->year_dual1[k]) /* none; no store of a 0 over a 0 (entry.c) */
        s->year_dual1[k] = 0;
    if (s->year_wbl1[k])
        s->year_wbl1[k] = 0;
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
        int any = 0, unaware = !(s->flags[k] & F_AWARE);
        for (size_t q = 0; q < m; q++) {
            size_t j = list[q];
            weights[q] = gpa >= p->dual_enrollment.items[j].gpa_min ? base[j] * R->sub_apply[attrs] : 0;
            if (unaware) /* effects.awareness_offers */
                weights[q] = aware_shift(w, p, weights[q]);
            any |= weights[q] > 0;
        }
        if (any) {
            uint16_t slot[AS_MAX_OFFERS];
            for (size_t q = 0; q < m; q++)
                slot[q] = R->dual_slot[list[q]];
            int choice = as_choose_keyed(weights, slot, m, 1, offer_start);
            if (choice >= 0)
                choice = list[choice];
            if (choice >= 0) {
                count(R, w->count, AS_V_DUAL_APPLICANTS, (size_t)choice, 1);
                if (R->dual_seats[choice] < 0) {
                    opt_set(s->year_dual1, k, (unsigned)choice);
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
            if (base[j] > 0 && wb->cluster >= 0 && wb->cluster == opt_get(s->interest1, k))
                wgt *= wb->interest_mult;
            if (base[j] > 0 && !(s->flags[k] & F_AWARE)) /* effects.awareness_offers */
                wgt = aware_shift(w, p, wgt);
            weights[q] = wgt;
            any |= wgt > 0;
        }
        if (any) {
            uint16_t slot[AS_MAX_OFFERS];
            for (size_t q = 0; q < m; q++)
                slot[q] = R->wbl_slot[list[q]];
            int choice = as_choose_keyed(weights, slot, m, 1, AS_CHOICE_SECOND(offer_start));
            if (choice >= 0)
                choice = list[choice];
            if (choice >= 0) {
                count(R, w->count, AS_V_WBL_APPLICANTS, (size_t)choice, 1);
                if (R->wbl_slots[choice] < 0) {
                    opt_set(s->year_wbl1, k, (unsigned)choice);
                } else {
                    NEED_LOT();
                    push(w, lottery_key(lot.lane[2]), g, i, (size_t)choice, 0, A_WBL);
                }
            }
        }
    }
#undef NEED_LOT
}

/* ---- phase B: graduation (the year's learning is in learning.c, the exits below) ------------------------ */

/* A graduate of the year: the pathway completed or not (its requirements
 * met: R->req_min, compared without a branch), and the year's counts of
 * graduates, pathway completers, college credit and credentials by then,
 * into the worker's tally of graduates by program column, subgroup cell
 * and what they hold (flush_tally adds it to the counters).  The
 * destination comes after the chunk (as_dest_chunk). */
HOT void graduate(run *R, worker *w, const group *g, size_t i)
{
    state *s = &R->s;
    size_t k = g->first + i, pcol = R->pcol_of[s->program[k]];
    const uint32_t *req = R->req_min + pcol * REQ_COUNT;
    unsigned credential = s->credential[k] != NONE8, credit = s->credits[k] != 0;
    unsigned done = (s->hours[k] >= req[REQ_HOURS]) & (s->courses[k] >= req[REQ_COURSES]) &
                    (s->advanced[k] >= req[REQ_ADVANCED]) & (s->wbl_hours[k] >= req[REQ_WBL_HOURS]) &
                    (s->credits[k] >= req[REQ_CREDITS]) & (credential >= req[REQ_CREDENTIAL]) &
                    ((unsigned)((s->flags[k] & F_WBL_DONE) != 0) >= req[REQ_WBL]);
    s->flags[k] |= (uint8_t)(done * F_COMPLETER);
    unsigned kind = done * GRAD_COMPLETER | credit * GRAD_CREDIT | credential * GRAD_CREDENTIAL;
    w->leavers[(pcol * R->n_cells + s->attrs[k]) * GRAD_KINDS + kind]++;
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
    const __m128i three = _mm_set1_epi8(3);
    const uint8_t *program = R->s.program + g->first, *flags = R->s.flags + g->first, *grade = R->s.grade + g->first;
    __m128i open = _mm_setzero_si128(); /* byte g: a program is open in grade g */
    for (int gr = 0; gr < AS_GRADES; gr++)
        open = _mm_mask_mov_epi8(open, (__mmask16)(1u << gr), _mm_set1_epi8(R->open_n[gr] != 0));
    size_t n = 0, m = 0, c = 0;
    __m128i top = _mm_setzero_si128(); /* the highest grade of a student in school, by byte */
    for (size_t i = i0; i < i1; i += 16) {
        __mmask16 in = i1 - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (i1 - i)) - 1);
        __m128i st = _mm_maskz_loadu_epi8(in, status + i);
        __mmask16 hs = _mm_mask_cmpeq_epi8_mask(in, st, _mm_set1_epi8(ST_HS));
        top = _mm_mask_max_epu8(top, hs, top, _mm_maskz_loadu_epi8(hs, grade + i));
        __mmask16 after = _mm_mask_cmplt_epu8_mask(in, _mm_sub_epi8(st, _mm_set1_epi8(ST_POSTSEC)), three) |
                          _mm_mask_cmplt_epu8_mask(in, _mm_sub_epi8(st, _mm_set1_epi8(ST_WORK_POOL)), three);
        __m512i slot = _mm512_add_epi32(_mm512_set1_epi32((int)i), lanes);
        _mm512_mask_compressstoreu_epi32(cd->student + n, hs, slot);
        _mm512_mask_compressstoreu_epi32(cd->after + m, after, slot);
        n += (size_t)_mm_popcnt_u32(hs);
        m += (size_t)_mm_popcnt_u32(after);
        if (R->choosers_only) {
            __mmask16 none = _mm_mask_cmpeq_epi8_mask(hs, _mm_maskz_loadu_epi8(hs, program + i), _mm_set1_epi8((char)NONE8));
            __mmask16 aware = _mm_mask_test_epi8_mask(none, _mm_maskz_loadu_epi8(none, flags + i), _mm_set1_epi8(F_AWARE));
            __mmask16 chooser = _mm_mask_test_epi8_mask(aware, _mm_shuffle_epi8(open, _mm_maskz_loadu_epi8(aware, grade + i)),
                                                        _mm_set1_epi8(1));
            _mm512_mask_compressstoreu_epi32(cd->list + c, chooser, slot);
            c += (size_t)_mm_popcnt_u32(chooser);
        }
    }
    cd->n_after = m;
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
    uint32_t *restrict student = cd->student, *restrict after = cd->after;
    size_t n = 0, m = 0;
    unsigned top = 0;
    for (size_t i = i0; i < i1; i++) {
        unsigned st = status[i], gr = grade[i] & -(unsigned)(st == ST_HS);
        student[n] = after[m] = (uint32_t)i;
        n += st == ST_HS;
        m += (st - ST_POSTSEC < 3u) | (st - ST_WORK_POOL < 3u); /* after school, or in the apprenticeship pool */
        top = gr > top ? gr : top;
    }
    cd->n_after = m;
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
 * c < nc) into cd->choice.  Where their rows of weights come in runs
 * shorter than eight on average (interests and subgroups vary, as in
 * Miami-Dade), they are ordered by row first (a counting sort), so that
 * those with the same weights are chosen together. */
#define ROW_SORT_SPAN 4096 /* the widest range of rows sorted */

static void choose_programs(const run *R, chunk_draws *cd, const group *g, size_t nc)
{
    const size_t first = g->first;
    const uint8_t *grade = R->s.grade + first, *interest1 = R->s.interest1 + first, *attrs = R->s.attrs + first;
    uint32_t lo = UINT32_MAX, hi = 0;
    size_t runs = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t a = cd->chooser[c];
        uint32_t i = cd->list[a];
        size_t row = interest1[i]; /* 0: none, else the cluster + 1 */
        uint32_t at = (uint32_t)(((size_t)grade[i] * R->open_rows + row) * R->n_cells + attrs[i]);
        cd->start[c] = as_choice_start(cd->lanec[0][a], cd->lanec[1][a]);
        cd->row[c] = at;
        runs += c == 0 || at != cd->row[c - 1];
        lo = at < lo ? at : lo;
        hi = at > hi ? at : hi;
    }
    if (!R->open_wr || !R->avx512 || runs * 8 <= nc || hi - lo >= ROW_SORT_SPAN) {
        choose_runs(R, cd->row, cd->start, nc, cd->choice);
        return;
    }
    uint32_t at[ROW_SORT_SPAN + 1];
    memset(at, 0, (hi - lo + 2) * sizeof *at);
    for (size_t c = 0; c < nc; c++)
        at[cd->row[c] - lo + 1]++;
    for (uint32_t r = 0; r <= hi - lo; r++)
        at[r + 1] += at[r];
    for (size_t c = 0; c < nc; c++) {
        uint32_t o = at[cd->row[c] - lo]++;
        cd->order[o] = (uint32_t)c;
        cd->row_sorted[o] = cd->row[c];
        cd->start_sorted[o] = cd->start[c];
    }
    choose_runs(R, cd->row_sorted, cd->start_sorted, nc, cd->choice_sorted);
    for (size_t o = 0; o < nc; o++)
        cd->choice[cd->order[o]] = cd->choice_sorted[o];
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
static void pass_a(run *R, worker *w, const group *g, size_t n)
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
    /* leaving: a student who leaves may apply again next year, not now */
    const as_program *programs = R->p->programs.items;
    uint8_t *restrict held = cd->held;
    uint32_t *restrict chooser = cd->chooser;
    size_t nc = 0;
    for (size_t a = 0; a < m; a++) {
        uint32_t i = list[a];
        unsigned prog = program[i], gr = grade[i];
        if (prog != NONE8 && R->prog_leaves[prog] && as_bernoulli(cd->laneb[0][a], programs[prog].leave_rate)) {
            program[i] = held[a] = NONE8;
            continue;
        }
        held[a] = (uint8_t)prog;
        if (prog != NONE8)
            w->in_program[prog * AS_GRADES + gr]++;
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
    for (size_t c = 0; c < na; c++) {
        uint32_t i = list[chooser[c]];
        apply_program(R, w, g, i, grade[i], chose[c]);
    }
    if (R->any_offers)
        for (size_t a = 0; a < m; a++) {
            as_draw c = {{cd->lanec[0][a], cd->lanec[1][a], cd->lanec[2][a], cd->lanec[3][a]}};
            apply_offers(R, w, g, list[a], held[a], c);
        }
}

/* The exits of every student (phase B's second half): the tally of
 * students in school, then dropout, else retention, else promotion or, in
 * grade 12, graduation, each decided by comparing a draw with a tabled
 * limit, in a loop without branches on them.  The tally goes to `copies`
 * copies of the worker's table, student q to copy q % copies, so that
 * neighbours in the same cell do not wait on each other's increment; with
 * one copy (a large table) runs of equal cells are added at once, and a
 * branch says where a run ends.  Leaves the dropouts in cd->list (*n_dropped
 * of them) and the graduates in cd->graduate (cd->n_graduates), and returns
 * 1 when someone stays in school. */
static inline __attribute__((always_inline)) int exits(run *R, worker *w, const group *g, size_t n, size_t copies,
                                                       size_t *n_dropped)
{
    chunk_draws *cd = &w->draws;
    const size_t first = g->first, cols = R->n_prog + 1, n_cells = R->n_cells, tally_cells = R->tally_cells;
    uint8_t *restrict status = R->s.status + first, *restrict grade = R->s.grade + first;
    const uint8_t *restrict program = R->s.program + first, *restrict attrs = R->s.attrs + first;
    const uint16_t *restrict credits = R->s.credits + first;
    const uint32_t *restrict student = cd->student, *restrict drop_lane = cd->lane[2], *restrict exit_lane = cd->lane[3];
    uint32_t *restrict dropped = cd->list, *restrict graduates = cd->graduate;
    const uint64_t *drop_limit = R->drop_limit, *drop_limit_de = R->drop_limit_de;
    const uint8_t *pcol_of = R->pcol_of;
    uint64_t stay_limit[AS_GRADES], graduate_limit = R->graduate_limit;
    memcpy(stay_limit, R->stay_limit, sizeof stay_limit);
    uint32_t *tally = w->tally;
    size_t cur = 0, ndrop = 0, ngrad = 0;
    uint32_t run_length = 0; /* one copy: students of cell `cur` in a row, tallied when the cell changes */
    unsigned stays_any = 0;
    for (size_t q = 0; q < n; q++) {
        uint32_t i = student[q];
        unsigned gr = grade[i];
        size_t cell = ((size_t)gr * cols + pcol_of[program[i]]) * n_cells + attrs[i];
        if (copies > 1) {
            tally[(q % copies) * tally_cells + cell]++;
        } else {
            if (cell != cur) {
                tally[cur] += run_length;
                cur = cell, run_length = 0;
            }
            run_length++;
        }
        uint64_t limit = credits[i] ? drop_limit_de[cell] : drop_limit[cell];
        unsigned drop = drop_lane[q] < limit;
        unsigned stay = !drop & (exit_lane[q] < stay_limit[gr]);
        unsigned last = gr == AS_GRADES - 1, moves = !drop & !stay;
        unsigned grad = moves & last & (exit_lane[q] < graduate_limit);
        status[i] = drop ? ST_DROPPED : ST_HS;
        grade[i] = (uint8_t)(gr + (moves & !last));
        dropped[ndrop] = i;
        ndrop += drop;
        graduates[ngrad] = i;
        ngrad += grad;
        stays_any |= !drop & !grad;
    }
    if (copies == 1)
        tally[cur] += run_length;
    *n_dropped = ndrop;
    cd->n_graduates = ngrad;
    return stays_any != 0;
}

#ifdef HS_AVX512

/* The requirement tables of graduate16_avx512: per requirement (enum
 * req_kind) the minima of the program columns, in two registers each where
 * there are at most 32 columns (a permute), else read by gathers. */
typedef struct req_vectors {
    int in_registers;
    __m512i lo[REQ_COUNT], hi[REQ_COUNT];
} req_vectors;

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void req_vectors_load(const run *R, req_vectors *v)
{
    size_t cols = R->n_prog + 1;
    v->in_registers = cols <= 32;
    for (int r = 0; r < REQ_COUNT && v->in_registers; r++) {
        uint32_t m[32] = {0};
        for (size_t c = 0; c < cols; c++)
            m[c] = R->req_min[c * REQ_COUNT + (size_t)r];
        v->lo[r] = _mm512_loadu_si512((const void *)m);
        v->hi[r] = _mm512_loadu_si512((const void *)(m + 16));
    }
}

/* graduate() for the graduates among sixteen slots from i (mask grad; pcol
 * their program columns), as exits_avx512 finds them: the requirements
 * compared lane by lane, F_COMPLETER stored under a mask, and the tally of
 * graduates added to once per distinct (column, cell, kind) among them. */
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) static void graduate16_avx512(run *R, worker *w,
                                                                                        const req_vectors *rv,
                                                                                        size_t k, __mmask16 grad,
                                                                                        __m512i pcol)
{
    const state *s = &R->s;
    const __m512i one = _mm512_set1_epi32(1);
    __m512i have[REQ_COUNT];
    have[REQ_HOURS] = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(grad, s->hours + k));
    have[REQ_COURSES] = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(grad, s->courses + k));
    have[REQ_ADVANCED] = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(grad, s->advanced + k));
    have[REQ_WBL_HOURS] = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(grad, s->wbl_hours + k));
    have[REQ_CREDITS] = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(grad, s->credits + k));
    __m128i flags = _mm_maskz_loadu_epi8(grad, s->flags + k);
    __mmask16 credential = _mm_mask_cmpneq_epi8_mask(grad, _mm_maskz_loadu_epi8(grad, s->credential + k),
                                                     _mm_set1_epi8((char)NONE8));
    __mmask16 credit = _mm512_mask_cmpneq_epi32_mask(grad, have[REQ_CREDITS], _mm512_setzero_si512());
    have[REQ_CREDENTIAL] = _mm512_maskz_mov_epi32(credential, one);
    have[REQ_WBL] = _mm512_maskz_mov_epi32(_mm_mask_test_epi8_mask(grad, flags, _mm_set1_epi8(F_WBL_DONE)), one);
    __mmask16 done = grad;
    __m512i idx = _mm512_mullo_epi32(pcol, _mm512_set1_epi32(REQ_COUNT));
    for (int r = 0; r < REQ_COUNT; r++) {
        __m512i need = rv->in_registers ? _mm512_permutex2var_epi32(rv->lo[r], pcol, rv->hi[r])
                                        : _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), grad,
                                                                      _mm512_add_epi32(idx, _mm512_set1_epi32(r)),
                                                                      (const int *)R->req_min, 4);
        done = _mm512_mask_cmpge_epu32_mask(done, have[r], need);
    }
    _mm_mask_storeu_epi8(R->s.flags + k, done, _mm_or_si128(flags, _mm_set1_epi8(F_COMPLETER)));
    __m512i kind = _mm512_or_si512(_mm512_maskz_mov_epi32(done, _mm512_set1_epi32(GRAD_COMPLETER)),
                                   _mm512_or_si512(_mm512_maskz_mov_epi32(credit, _mm512_set1_epi32(GRAD_CREDIT)),
                                                   _mm512_maskz_mov_epi32(credential,
                                                                          _mm512_set1_epi32(GRAD_CREDENTIAL))));
    __m512i cell = _mm512_add_epi32(_mm512_mullo_epi32(pcol, _mm512_set1_epi32((int)R->n_cells)),
                                    _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(grad, s->attrs + k)));
    __m512i at = _mm512_add_epi32(_mm512_slli_epi32(cell, 3), kind);
    _Static_assert(GRAD_KINDS == 8, "a kind is the low three bits of a tally index");
    uint32_t at_of[16];
    _mm512_storeu_si512((void *)at_of, at);
    for (__mmask16 m = grad; m;) { /* once per distinct entry among the sixteen */
        uint32_t c = at_of[__builtin_ctz(m)];
        __mmask16 same = _mm512_mask_cmpeq_epi32_mask(m, at, _mm512_set1_epi32((int)c));
        w->leavers[c] += (uint32_t)_mm_popcnt_u32(same);
        m &= ~same;
    }
}

/* exits() sixteen slots at a time with AVX-512, over the slots [i0, i1) of
 * the chunk rather than its list of students: a mask says who is in high
 * school, their draws are expanded from the list's (which is in slot
 * order), the limits gathered from drop_limit and drop_limit_de (one
 * table), the changed status and grade bytes stored under masks, and the
 * dropouts and graduates compress-stored in slot order, so every outcome
 * and list is exits()'s.  The tally of students in school gets one addition
 * per distinct cell among the sixteen (a cohort's students share a grade,
 * so there are few), into the first copy of the table.  The graduates
 * graduate here (graduate16_avx512), not in pass_exit. */
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) static int exits_avx512(run *R, worker *w,
                                                                                   const group *g, size_t i0,
                                                                                   size_t i1, size_t n,
                                                                                   size_t *n_dropped)
{
    chunk_draws *cd = &w->draws;
    const size_t first = g->first, tally_cells = R->tally_cells;
    uint8_t *status = R->s.status + first, *grade = R->s.grade + first;
    const uint8_t *program = R->s.program + first, *attrs = R->s.attrs + first;
    const uint16_t *credits = R->s.credits + first;
    const uint32_t *drop_lane = cd->lane[2], *exit_lane = cd->lane[3];
    uint32_t *dropped = cd->list, *graduates = cd->graduate, *tally = w->tally;
    const long long *limits = (const long long *)R->drop_limit;
    const __m512i stay_limit = _mm512_maskz_loadu_epi64(0x0f, R->stay_limit); /* by grade, in a register */
    const __m512i graduate_limit = _mm512_set1_epi64((long long)R->graduate_limit);
    const __m512i cols = _mm512_set1_epi32((int)(R->n_prog + 1)), n_cells = _mm512_set1_epi32((int)R->n_cells);
    const __m512i no_program = _mm512_set1_epi32((int)R->n_prog), de_offset = _mm512_set1_epi32((int)tally_cells);
    const __m512i last_grade = _mm512_set1_epi32(AS_GRADES - 1), one = _mm512_set1_epi32(1);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    /* a table of at most sixteen limits (a small model: the toy's has eight cells) is held in two
     * registers and permuted rather than gathered */
    const size_t n_limits = 2 * tally_cells; /* drop_limit, then drop_limit_de */
    const int in_registers = n_limits <= 16;
    __m512i table0 = _mm512_setzero_si512(), table1 = _mm512_setzero_si512();
    if (in_registers) {
        table0 = _mm512_maskz_loadu_epi64((__mmask8)((1u << (n_limits < 8 ? n_limits : 8)) - 1), limits);
        table1 = _mm512_maskz_loadu_epi64((__mmask8)((1u << (n_limits > 8 ? n_limits - 8 : 0)) - 1), limits + 8);
    }
    req_vectors rv;
    req_vectors_load(R, &rv);
    size_t q = 0, ndrop = 0, ngrad = 0;
    __mmask16 stays_any = 0;
    uint32_t cell_of[16];
    for (size_t i = i0; i < i1; i += 16) {
        __mmask16 in = i1 - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (i1 - i)) - 1);
        __m512i st = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(in, status + i));
        __mmask16 hs = _mm512_mask_cmpeq_epi32_mask(in, st, _mm512_set1_epi32(ST_HS));
        if (!hs)
            continue;
        __m512i gr = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(hs, grade + i));
        __m512i pcol = _mm512_min_epu32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(hs, program + i)), no_program);
        __m512i cell = _mm512_add_epi32(_mm512_mullo_epi32(_mm512_add_epi32(_mm512_mullo_epi32(gr, cols), pcol), n_cells),
                                        _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(hs, attrs + i)));
        __mmask16 has_credits = _mm256_mask_cmpneq_epu16_mask(hs, _mm256_maskz_loadu_epi16(hs, credits + i),
                                                               _mm256_setzero_si256());
        __m512i at = _mm512_mask_add_epi32(cell, has_credits, cell, de_offset);
        __m512i drop_draw = _mm512_maskz_expandloadu_epi32(hs, drop_lane + q);
        __m512i exit_draw = _mm512_maskz_expandloadu_epi32(hs, exit_lane + q);
        q += (size_t)_mm_popcnt_u32(hs);
        /* 64-bit limits and comparisons, eight lanes at a time */
        __m512i lim0, lim1;
        if (in_registers) {
            lim0 = _mm512_permutex2var_epi64(table0, _mm512_cvtepu32_epi64(_mm512_castsi512_si256(at)), table1);
            lim1 = _mm512_permutex2var_epi64(table0, _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(at, 1)), table1);
        } else {
            lim0 = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), (__mmask8)hs, _mm512_castsi512_si256(at),
                                               limits, 8);
            lim1 = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), (__mmask8)(hs >> 8),
                                               _mm512_extracti64x4_epi64(at, 1), limits, 8);
        }
        __m512i d0 = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(drop_draw));
        __m512i d1 = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(drop_draw, 1));
        __m512i e0 = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(exit_draw));
        __m512i e1 = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(exit_draw, 1));
        __m512i g0 = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(gr));
        __m512i g1 = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(gr, 1));
        __mmask16 drop = (__mmask16)(_mm512_cmplt_epu64_mask(d0, lim0) | _mm512_cmplt_epu64_mask(d1, lim1) << 8) & hs;
        __mmask16 stay = (__mmask16)(_mm512_cmplt_epu64_mask(e0, _mm512_permutexvar_epi64(g0, stay_limit)) |
                                     _mm512_cmplt_epu64_mask(e1, _mm512_permutexvar_epi64(g1, stay_limit)) << 8);
        __mmask16 below_graduate = (__mmask16)(_mm512_cmplt_epu64_mask(e0, graduate_limit) |
                                               _mm512_cmplt_epu64_mask(e1, graduate_limit) << 8);
        __mmask16 last = _mm512_cmpeq_epi32_mask(gr, last_grade);
        __mmask16 moves = hs & ~drop & ~stay;
        __mmask16 grad = moves & last & below_graduate;
        _mm_mask_storeu_epi8(status + i, drop, _mm_set1_epi8((char)ST_DROPPED));
        _mm_mask_storeu_epi8(grade + i, moves & ~last, _mm512_cvtepi32_epi8(_mm512_add_epi32(gr, one)));
        __m512i slot = _mm512_add_epi32(_mm512_set1_epi32((int)i), lanes);
        _mm512_mask_compressstoreu_epi32(dropped + ndrop, drop, slot);
        ndrop += (size_t)_mm_popcnt_u32(drop);
        _mm512_mask_compressstoreu_epi32(graduates + ngrad, grad, slot);
        ngrad += (size_t)_mm_popcnt_u32(grad);
        if (grad)
            graduate16_avx512(R, w, &rv, first + i, grad, pcol);
        stays_any |= hs & ~drop & ~grad;
        _mm512_storeu_si512((void *)cell_of, cell);
        for (__mmask16 m = hs; m;) { /* once per distinct cell among the sixteen */
            uint32_t c = cell_of[__builtin_ctz(m)];
            __mmask16 same = _mm512_mask_cmpeq_epi32_mask(m, cell, _mm512_set1_epi32((int)c));
            tally[c] += (uint32_t)_mm_popcnt_u32(same);
            m &= ~same;
        }
    }
    assert(q == n);
    (void)n;
    *n_dropped = ndrop;
    cd->n_graduates = ngrad;
    return stays_any != 0;
}
#endif

int as_hs_avx512(void)
{
#ifdef HS_AVX512
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
#else
    return 0;
#endif
}

/* The exits of the chunk's n students, slots [i0, i1), then the tally of
 * the dropouts and the graduates' (graduate). */
static int pass_exit(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n)
{
    chunk_draws *cd = &w->draws;
    size_t ndrop;
    int stays, graduated = 0;
#ifdef HS_AVX512
    if (R->avx512)
        stays = exits_avx512(R, w, g, i0, i1, n, &ndrop), graduated = 1;
    else
#endif
        stays = R->tally_copies == TALLY_COPIES ? exits(R, w, g, n, TALLY_COPIES, &ndrop) : exits(R, w, g, n, 1, &ndrop);
    (void)i0, (void)i1;
    const uint8_t *attrs = R->s.attrs + g->first;
    uint32_t *dropouts = w->leavers + R->leaver_dropouts; /* by cell */
    for (size_t a = 0; a < ndrop; a++)
        dropouts[attrs[cd->list[a]]]++;
    for (size_t a = 0; a < cd->n_graduates && !graduated; a++)
        graduate(R, w, g, cd->graduate[a]);
    return stays;
}

/* The step functions take a chunk [i0, i1) of a group; each works on a
 * local copy of the run. */
void as_hs_step_a(run *shared, worker *w, const group *g, size_t i0, size_t i1)
{
    run local = *shared;
    pass_a(&local, w, g, list_chunk(&local, w, g, i0, i1));
}

/* Phase B, destinations and phase C: after phase A, or with it (abc). */
static void step_bc(run *shared, run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n)
{
    year_draws(R, w, g, n);
    as_hs_learning(R, w, g, n);
    int alive = pass_exit(R, w, g, i0, i1, n);
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
    pass_a(&local, w, g, n);
    step_bc(shared, &local, w, g, i0, i1, n);
}
