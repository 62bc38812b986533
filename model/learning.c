/*
 * learning.c - the high-school year's learning (learning.h).
 */
#include "learning.h"

#include <string.h>

/* Phase B, first half: the year's learning of the chunk's students in a
 * program or placed in an offer, as passes in the order a student's
 * events happen (coursework, advanced courses, dual-enrollment courses, the
 * WBL placement, the credential exam, which reads what the others left),
 * each over the students it concerns, with its draws generated together.
 * A student's events touch only his or her own state and the worker's
 * counters, so pass by pass is student by student. */

/* Lists in `list` the places q (in cd->student, of n) of the students whose
 * byte[] is not NONE8; returns how many. */
static size_t list_having(const chunk_draws *cd, size_t n, const uint8_t *byte, uint32_t *restrict list)
{
    size_t m = 0;
    for (size_t q = 0; q < n; q++) {
        list[m] = (uint32_t)q;
        m += byte[cd->student[q]] != NONE8;
    }
    return m;
}

/* Hours and courses of the students in a program, at places list[0..m):
 * counted per program, whose students all add the same.  Stored for every
 * student where some program adds any (adding 0 stores the value there was,
 * without a branch on the student's program), not at all where none does:
 * then the pages stay the zero page (entry.c). */
static void coursework(run *R, worker *w, const group *g, const uint32_t *list, size_t m)
{
    const chunk_draws *cd = &w->draws;
    state *s = &R->s;
    const size_t np = R->n_prog;
    int64_t in_program[COUNT_COPIES * AS_MAX_PROGRAMS];
    memset(in_program, 0, COUNT_COPIES * np * sizeof *in_program);
    for (size_t a = 0; a < m; a++) {
        size_t k = g->first + cd->student[list[a]];
        int prog = s->program[k];
        in_program[(a % COUNT_COPIES) * np + (size_t)prog]++;
        if (R->any_hours)
            s->hours[k] = sat_add16(s->hours[k], R->prog_hours[prog]);
        if (R->any_courses)
            s->courses[k] = sat_add8(s->courses[k], R->prog_courses[prog]);
    }
    for (size_t j = 0; j < np; j++) {
        for (size_t copy = 1; copy < COUNT_COPIES; copy++)
            in_program[j] += in_program[copy * np + j];
        count(R, w->count, AS_V_PATHWAY_HOURS, j, in_program[j] * R->prog_hours[j]);
        w->count[R->off[AS_V_COST] + AS_C_PATHWAYS] += in_program[j] * R->prog_cost[j];
    }
}

/* Advanced courses of the students in a program, at places list[0..m),
 * from grade 11 where the program has any: up to four attempts, each with
 * a lane of the student's AS_S_ADVANCED draw. */
static void advanced_courses(run *R, worker *w, const group *g, const uint32_t *list, size_t m)
{
    chunk_draws *cd = &w->draws;
    const as_params *p = R->p;
    state *s = &R->s;
    uint32_t *restrict who = cd->chooser;
    size_t ma = 0;
    for (size_t a = 0; a < m; a++) {
        uint32_t i = cd->student[list[a]];
        who[ma] = i;
        ma += (s->grade[g->first + i] >= R->advanced_grade) & (R->prog_attempts[s->program[g->first + i]] > 0);
    }
    if (ma == 0)
        return;
    as_rng_draw_many(R->seed, R->rep, g->cohort, who, ma, (uint32_t)R->year, AS_S_ADVANCED, cd->laneb[0],
                     cd->laneb[1], cd->laneb[2], cd->laneb[3]);
    for (size_t b = 0; b < ma; b++) {
        size_t k = g->first + who[b];
        int prog = s->program[k], attempts = R->prog_attempts[prog];
        for (int t = 0; t < attempts && t < 4; t++) { /* no branch on the draw */
            unsigned pass = (unsigned)as_bernoulli(cd->laneb[t][b], p->programs.items[prog].advanced_pass);
            s->advanced[k] = sat_add8(s->advanced[k], pass);
            count(R, w->count, AS_V_ADVANCED_PASSED, (size_t)prog, pass);
        }
    }
}

/* Lists in cd->chooser the students of the chunk placed in an offer this
 * year (placement[], kept plus one, not 0) and generates their draws of `stream` into
 * cd->laneb; returns how many. */
static size_t placed(const run *R, worker *w, const group *g, size_t n, const uint8_t *placement, uint32_t stream)
{
    chunk_draws *cd = &w->draws;
    uint32_t *restrict who = cd->chooser;
    size_t m = 0;
    for (size_t q = 0; q < n; q++) {
        who[m] = cd->student[q];
        m += placement[g->first + cd->student[q]] != 0; /* kept plus one: 0 is none */
    }
    if (m)
        as_rng_draw_many(R->seed, R->rep, g->cohort, who, m, (uint32_t)R->year, stream, cd->laneb[0], cd->laneb[1],
                         cd->laneb[2], cd->laneb[3]);
    return m;
}

/* Dual-enrollment courses of the students placed in an offer this year:
 * up to four, each passed with a lane of the student's AS_S_DUAL draw. */
static void dual_courses(run *R, worker *w, const group *g, size_t n)
{
    chunk_draws *cd = &w->draws;
    const as_params *p = R->p;
    state *s = &R->s;
    int64_t *c = w->count;
    const uint32_t *who = cd->chooser;
    size_t md = placed(R, w, g, n, s->year_dual1, AS_S_DUAL);
    for (size_t b = 0; b < md; b++) {
        size_t k = g->first + who[b];
        int dual = opt_get(s->year_dual1, k);
        size_t pcol = R->pcol_of[s->program[k]];
        const as_dual_enrollment *de = &p->dual_enrollment.items[dual];
        int courses = (int)(de->courses_per_year + 0.5);
        double pass = logit_prob(de->pass_rate, de->readiness_slope, R->dual_logit[dual], s->readiness[k]);
        count(R, c, AS_V_DUAL_ENROLLED, (size_t)dual, 1);
        count_sg(R, c, AS_V_DUAL_STUDENTS, 0, s->attrs[k], 1);
        for (int t = 0; t < courses && t < 4; t++) {
            c[R->off[AS_V_COST] + AS_C_DUAL] += rnd64(de->credits_per_course * de->cost_per_credit);
            if (as_bernoulli(cd->laneb[t][b], pass)) {
                s->credits[k] = add16(s->credits[k], de->credits_per_course);
                s->advanced[k] = add8(s->advanced[k], 1);
                s->flags[k] |= de->career ? F_CAREER_CREDITS : F_ACADEMIC_CREDITS;
                count(R, c, AS_V_DUAL_CREDITS, (size_t)dual, rnd64(de->credits_per_course));
                count(R, c, AS_V_ADVANCED_PASSED, pcol, 1);
            }
        }
    }
}

/* The WBL placements of this year: completed with lane 3 of the student's
 * AS_S_YEAR_B draw. */
static void wbl_placements(run *R, worker *w, const group *g, size_t n)
{
    chunk_draws *cd = &w->draws;
    const as_params *p = R->p;
    state *s = &R->s;
    int64_t *c = w->count;
    const uint32_t *who = cd->chooser;
    size_t mw = placed(R, w, g, n, s->year_wbl1, AS_S_YEAR_B);
    for (size_t b = 0; b < mw; b++) {
        size_t k = g->first + who[b];
        int wi = opt_get(s->year_wbl1, k);
        unsigned attrs = s->attrs[k];
        const as_wbl *wb = &p->wbl.items[wi];
        count(R, c, AS_V_WBL_PLACED, (size_t)wi, 1);
        count_sg(R, c, AS_V_WBL_PARTICIPANTS, 0, attrs, 1);
        c[R->off[AS_V_COST] + AS_C_WBL] += rnd64(wb->cost_per_slot);
        if (as_bernoulli(cd->laneb[3][b], wb->completion)) {
            s->wbl_hours[k] = add16(s->wbl_hours[k], wb->hours);
            s->flags[k] |= F_WBL_DONE;
            opt_set(s->wbl_done1, k, (unsigned)wi);
            count_sg(R, c, AS_V_WBL_COMPLETERS_BY_KIND, (size_t)wb->kind, attrs, 1);
            count(R, c, AS_V_WBL_COMPLETED, (size_t)wi, 1);
            count(R, c, AS_V_WBL_HOURS, (size_t)wi, rnd64(wb->hours));
            if (wb->kind == AS_WBL_PREAPP) {
                s->flags[k] |= F_PREAPP;
                opt_set(s->preapp1, k, (unsigned)wi);
            }
        }
    }
}

/* The credential exams of the students in a program, at places list[0..m),
 * whose program names a credential they do not hold yet and who are in its
 * grade with its hours (listed first, without a branch on any of these):
 * passed by lane 1 of the year draw, compared with a tabled limit where the
 * rate is the same for everyone. */
static void exams(run *R, worker *w, const group *g, uint32_t *list, size_t m)
{
    const as_params *p = R->p;
    state *s = &R->s;
    int64_t *c = w->count;
    const uint32_t *year_lane = w->draws.lane[1];
    size_t me = 0;
    for (size_t a = 0; a < m; a++) { /* me <= a: overwrites only what was read */
        uint32_t q = list[a];
        size_t k = g->first + w->draws.student[q];
        unsigned prog = s->program[k];
        list[me] = q;
        me += (s->credential[k] == NONE8) & (s->grade[k] + 9 >= R->exam_grade_min[prog]) &
              (s->hours[k] >= R->exam_hours_min[prog]);
    }
    for (size_t a = 0; a < me; a++) {
        uint32_t q = list[a];
        size_t k = g->first + w->draws.student[q];
        int ci = p->programs.items[s->program[k]].credential;
        const as_credential *cr = &p->credentials.items[ci];
        c[R->off[AS_V_COST] + AS_C_EXAMS] += rnd64(cr->cost);
        int career = (s->flags[k] & F_CAREER_CREDITS) != 0; /* effects.career_credits_exam */
        uint64_t limit = (career ? R->exam_limit_career : R->exam_limit)[ci];
        double logit = R->exam_logit[ci] + (career ? p->effects.career_credits_exam : 0);
        int pass = limit != UINT64_MAX ? year_lane[q] < limit /* the same for everyone */
                                       : as_bernoulli(year_lane[q], logit_prob(cr->pass_rate, cr->readiness_slope,
                                                                               logit, s->readiness[k]));
        /* no branch on the draw: held was none */
        s->credential[k] = (uint8_t)(ci | -!pass); /* ci, else NONE8 (all ones) */
        count_sg(R, c, AS_V_CREDENTIALS, (size_t)ci, s->attrs[k], pass);
    }
}

void as_hs_learning(run *R, worker *w, const group *g, size_t n)
{
    uint32_t *list = w->draws.list;
    size_t m = list_having(&w->draws, n, R->s.program + g->first, list); /* the students in a program */
    coursework(R, w, g, list, m);
    if (w->draws.max_grade >= R->advanced_grade) /* a chunk's students mostly share a grade */
        advanced_courses(R, w, g, list, m);
    if (R->any_offers) {
        dual_courses(R, w, g, n);
        wbl_placements(R, w, g, n);
    }
    if (w->draws.max_grade >= R->exam_grade)
        exams(R, w, g, list, m);
}
