/*
 * hs_tables.c - the tables the high-school year reads (as_hs_setup,
 * as_hs_year in highschool.h): per run, the offers' eligibility, the draw
 * limits of outcomes that are the same for a whole (grade, program, cell);
 * per year, the programs open in each grade with their choice weights, and
 * the offers' weights and masks.
 */
#include "highschool.h"
#include "alloc.h"
#include "choice.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static double log_odds(double p)
{
    return p > 0 && p < 1 ? log(p / (1 - p)) : 0;
}

/* ---- per-run tables ------------------------------------------------------------------------------------ */

/* The largest table of program-choice weights (doubles): 8 MB.  Larger
 * ones (many interests, subgroups and programs at once) are left to
 * choose_program's own arithmetic. */
#define OPEN_WR_MAX ((size_t)1 << 20)

/* Tables what choose_program and the yearly coursework need (the choice's
 * own tables: fill_programs). */
static int setup_programs(run *R, const as_params *p)
{
    size_t np = R->n_prog ? R->n_prog : 1;
    R->open_rows = 1 + p->clusters.n;
    R->open_prog = as_calloc(AS_GRADES * np, 1);
    R->open_cum = as_calloc(AS_GRADES * R->open_rows * np, sizeof(double));
    R->prog_hours = as_calloc(np, sizeof(int64_t));
    R->prog_courses = as_calloc(np, sizeof(int64_t));
    R->prog_cost = as_calloc(np, sizeof(int64_t));
    R->open_slot = as_calloc(AS_GRADES * np, sizeof *R->open_slot);
    if (!R->open_prog || !R->open_cum || !R->prog_hours || !R->prog_courses || !R->prog_cost || !R->open_slot)
        return -1;
    size_t tabled = AS_GRADES * R->open_rows * R->n_cells * (2 * np + 1);
    if (tabled <= OPEN_WR_MAX) {
        size_t rows = AS_GRADES * R->open_rows * R->n_cells;
        R->open_wr = as_calloc(tabled, sizeof *R->open_wr);
        R->open_ra = as_calloc(AS_GRADES * np, sizeof *R->open_ra);
        R->open_rb = as_calloc(AS_GRADES * np, sizeof *R->open_rb);
        R->open_match = as_calloc(AS_GRADES * np, sizeof *R->open_match);
        R->open_key = as_calloc(rows, sizeof *R->open_key);
        R->open_scale = as_calloc(rows, sizeof *R->open_scale);
        if (!R->open_wr || !R->open_ra || !R->open_rb || !R->open_match || !R->open_key || !R->open_scale)
            return -1;
        for (size_t at = 0; at < rows; at++)
            R->open_key[at] = (int32_t)(at / R->n_cells % R->open_rows);
    }
    R->advanced_grade = R->exam_grade = AS_GRADES;
    R->any_hours = R->any_courses = 0;
    for (size_t j = 0; j < R->n_prog; j++) {
        R->prog_attempts[j] = (int)(p->programs.items[j].advanced_per_year + 0.5);
        if (R->prog_attempts[j] > 0)
            R->advanced_grade = 2; /* from grade 11 (advanced_courses) */
        int ci = p->programs.items[j].credential, from = ci >= 0 ? p->credentials.items[ci].grade_min - 9 : AS_GRADES;
        if (from < (int)R->exam_grade)
            R->exam_grade = from < 0 ? 0 : (unsigned)from;
        R->exam_grade_min[j] = ci >= 0 ? p->credentials.items[ci].grade_min : INT_MAX;
        R->exam_hours_min[j] = ci >= 0 ? p->credentials.items[ci].hours_min : 0;
        R->prog_hours[j] = llround(p->programs.items[j].hours_per_year);
        R->prog_courses[j] = llround(p->programs.items[j].courses_per_year);
        R->any_hours |= R->prog_hours[j] != 0;
        R->any_courses |= R->prog_courses[j] != 0;
        R->prog_cost[j] = llround(p->programs.items[j].cost_per_seat);
    }
    return 0;
}

/* The factors of grade g's inverse program weights (open_ra and the
 * others in sim.h), and whether every product is within
 * AS_CHOICE_FACTOR_ERROR of the inverse it stands for, as
 * as_choose_keyed_factored requires: checked here product by product, as
 * the vector form computes them (differences of cumulative weights can
 * lose more than a few ulps; a weight of 0 gives no finite inverse and
 * fails the check). */
static void fill_factors(run *R, const as_params *p, int g)
{
    size_t np = R->n_prog ? R->n_prog : 1, n = R->open_n[g], nc = R->n_cells;
    for (size_t q = 0; q < n; q++) {
        const as_program *pr = &p->programs.items[R->open_prog[(size_t)g * np + q]];
        double a = R->prog_apply[R->open_prog[(size_t)g * np + q]];
        R->open_ra[(size_t)g * np + q] = 1 / a;
        R->open_rb[(size_t)g * np + q] = pr->cluster >= 0 ? 1 / (a * pr->interest_mult) : 1 / a;
        R->open_match[(size_t)g * np + q] = pr->cluster >= 0 ? pr->cluster + 1 : -1;
    }
    int ok = n > 0;
    for (size_t row = 0; row < R->open_rows; row++)
        for (size_t cell = 0; cell < nc; cell++) {
            size_t at = ((size_t)g * R->open_rows + row) * nc + cell;
            const double *r = R->open_wr + at * (2 * np + 1) + np;
            R->open_scale[at] = 1 / R->sub_apply[cell];
            for (size_t q = 0; q < n; q++) {
                size_t j = (size_t)g * np + q;
                double f = (R->open_match[j] == (int32_t)row ? R->open_rb[j] : R->open_ra[j]) * R->open_scale[at];
                ok &= as_choice_factor_ok(f, r[q]);
            }
        }
    R->open_factored[g] = ok;
}

/* The programs open to new students in each grade (seats not 0) and their
 * cumulative application weights, from this year's seats and apply rates. */
static void fill_programs(run *R, const as_params *p)
{
    size_t np = R->n_prog ? R->n_prog : 1;
    for (int g = 0; g < AS_GRADES; g++) {
        size_t n = 0;
        for (size_t j = 0; j < R->n_prog; j++) {
            const as_program *pr = &p->programs.items[j];
            if (g + 9 >= pr->entry_grade_min && g + 9 <= pr->entry_grade_max && R->prog_seats[j] != 0)
                R->open_prog[(size_t)g * np + n++] = (uint8_t)j;
        }
        R->open_n[g] = n;
        for (size_t row = 0; row < R->open_rows; row++) {
            double *cum = R->open_cum + ((size_t)g * R->open_rows + row) * np, acc = 0;
            for (size_t q = 0; q < n; q++) {
                size_t j = R->open_prog[(size_t)g * np + q];
                const as_program *pr = &p->programs.items[j];
                double wgt = R->prog_apply[j];
                if (row > 0 && pr->cluster == (int)row - 1)
                    wgt *= pr->interest_mult;
                cum[q] = acc += wgt;
            }
        }
        for (size_t q = 0; q < n; q++)
            R->open_slot[(size_t)g * np + q] = R->prog_slot[R->open_prog[(size_t)g * np + q]];
        for (size_t row = 0; R->open_wr && row < R->open_rows; row++) {
            const double *cum = R->open_cum + ((size_t)g * R->open_rows + row) * np;
            for (size_t cell = 0; cell < R->n_cells; cell++) {
                /* choose_program's weights, added in its order */
                double *wr = R->open_wr + (((size_t)g * R->open_rows + row) * R->n_cells + cell) * (2 * np + 1);
                double total = 0;
                for (size_t q = 0; q < n; q++) {
                    wr[q] = (cum[q] - (q ? cum[q - 1] : 0)) * R->sub_apply[cell];
                    wr[np + q] = 1 / wr[q];
                    total += wr[q];
                }
                wr[2 * np] = total;
            }
        }
        if (R->open_wr)
            fill_factors(R, p, g);
    }
}

/* The interest classes of WBL (R->wbl_class): the distinct clusters of the
 * WBL programs whose interest_mult is not 1, in order of first appearance,
 * then one class for every other interest and for none; a WBL weight
 * depends on the interest only through whether it is the program's
 * cluster, and not at all where interest_mult is 1 (x * 1 is x).  With the
 * most subgroups and WBL programs the rows take 64 cells * 2 * 65 classes
 * * 128 doubles, 8.5 MB; the library's scenarios have one class. */
static int setup_offers(run *R, const as_params *p)
{
    size_t cols = R->n_prog + 1, nd = p->dual_enrollment.n, nw = p->wbl.n;
    R->dual_allow = as_calloc(AS_GRADES * cols, sizeof *R->dual_allow);
    R->wbl_allow = as_calloc(AS_GRADES * cols, sizeof *R->wbl_allow);
    R->wbl_unit = as_calloc(AS_GRADES * cols, sizeof *R->wbl_unit);
    R->dual_gpa_min = as_calloc(nd + 1, sizeof *R->dual_gpa_min);
    R->wbl_class = as_calloc(256 + 3, 1); /* 3 to spare: offers_front_avx512 reads 4 bytes */
    int cluster_of[AS_MAX_OFFERS + 1]; /* the cluster of each class but the last */
    size_t nk = 0;
    for (size_t j = 0; j < nw; j++) {
        int c = p->wbl.items[j].cluster, seen = c < 0 || p->wbl.items[j].interest_mult == 1;
        for (size_t k = 0; k < nk; k++)
            seen |= cluster_of[k] == c;
        if (!seen)
            cluster_of[nk++] = c;
    }
    R->n_wbl_class = nk + 1;
    R->dual_rows = as_calloc(R->n_cells * 2 * 2 * nd + 1, sizeof *R->dual_rows);
    R->wbl_rows = as_calloc(R->n_cells * 2 * R->n_wbl_class * 2 * nw + 1, sizeof *R->wbl_rows);
    if (!R->dual_allow || !R->wbl_allow || !R->wbl_unit || !R->dual_gpa_min || !R->wbl_class || !R->dual_rows ||
        !R->wbl_rows)
        return -1;
    for (size_t v = 0; v < 256; v++) { /* interest1 holds the cluster plus one, 0 for none */
        R->wbl_class[v] = (uint8_t)nk;
        for (size_t k = 0; k < nk; k++)
            if (v >= 1 && (int)v - 1 == cluster_of[k])
                R->wbl_class[v] = (uint8_t)k;
    }
    for (size_t j = 0; j < nd; j++)
        R->dual_gpa_min[j] = p->dual_enrollment.items[j].gpa_min;
    return 0;
}

/* The interest class of WBL program wb's cluster (nk - 1, the class of
 * any other interest, where it has none or its interest_mult is 1). */
static size_t k_of_cluster(const run *R, const as_wbl *wb)
{
    return R->wbl_class[(size_t)(wb->cluster + 1)];
}

/* An eligible student's weight w and its inverse (infinity for 0) at
 * row[j] and row[n + j] of a row of n offers. */
static void put_weight(double *row, size_t n, size_t j, double w)
{
    row[j] = w;
    row[n + j] = w > 0 ? 1 / w : INFINITY;
}

/* Offer weights, tabled per year.  By grade and program: which offers a
 * student may apply to (an apply rate there that is not 0), and for WBL
 * which is the program's own partner, taking its students with weight 1.
 * By subgroup cell, awareness and, for WBL, interest class (setup_offers):
 * the weight of an eligible student, the same doubles phase A computed one
 * student at a time (the offer's apply rate, times the cell's apply_mult,
 * times interest_mult for a student interested in the cluster of a WBL
 * program, then shifted by -awareness_offers for a student who does not
 * know of the programs), and its inverse, so that the offers are chosen
 * without a branch on awareness or interest, and without an exp and a log
 * for each unaware student's weight. */
static void fill_offers(run *R, const as_params *p)
{
    size_t cols = R->n_prog + 1, nd = p->dual_enrollment.n, nw = p->wbl.n, nc = R->n_cells, nk = R->n_wbl_class;
    double by = -p->effects.awareness_offers;
    for (size_t j = 0; j < nd; j++)
        for (size_t cell = 0; cell < nc; cell++) {
            double x = R->dual_apply[j] * p->dual_enrollment.items[j].advising_mult * R->sub_apply[cell];
            put_weight(R->dual_rows + (cell * 2) * 2 * nd, nd, j, x);
            put_weight(R->dual_rows + (cell * 2 + 1) * 2 * nd, nd, j, shift_odds(x, by));
        }
    for (size_t j = 0; j < nw; j++)
        for (size_t cell = 0; cell < nc; cell++) {
            const as_wbl *wb = &p->wbl.items[j];
            double x = R->wbl_apply[j] * R->sub_apply[cell], xi = x * wb->interest_mult;
            double shifted = shift_odds(x, by), shifted_i = k_of_cluster(R, wb) < nk - 1 ? shift_odds(xi, by) : 0;
            for (size_t k = 0; k < nk; k++) {
                int interested = k + 1 < nk && k_of_cluster(R, wb) == k;
                put_weight(R->wbl_rows + ((cell * 2) * nk + k) * 2 * nw, nw, j, interested ? xi : x);
                put_weight(R->wbl_rows + ((cell * 2 + 1) * nk + k) * 2 * nw, nw, j, interested ? shifted_i : shifted);
            }
        }
    for (int g = 0; g < AS_GRADES; g++)
        for (size_t col = 0; col < cols; col++) {
            size_t at = (size_t)g * cols + col;
            R->dual_allow[at] = R->wbl_allow[at] = R->wbl_unit[at] = 0;
            for (size_t j = 0; j < nd; j++) {
                const as_dual_enrollment *de = &p->dual_enrollment.items[j];
                int ok = g + 9 >= de->grade_min && R->dual_seats[j] != 0 && R->dual_ok[j * cols + col];
                R->dual_allow[at] |= (uint64_t)(ok && R->dual_apply[j] * de->advising_mult != 0) << j;
            }
            for (size_t j = 0; j < nw; j++) {
                const as_wbl *wb = &p->wbl.items[j];
                int ok = g + 9 >= wb->grade_min && g + 9 <= wb->grade_max && R->wbl_slots[j] != 0 &&
                         R->wbl_ok[j * cols + col];
                int partner = col < R->n_prog && p->programs.items[col].wbl == (int)j;
                R->wbl_allow[at] |= (uint64_t)(ok && (partner || R->wbl_apply[j] != 0)) << j;
                R->wbl_unit[at] |= (uint64_t)(ok && partner) << j;
            }
        }
}

static int graduation_outcome(const void *ctx, uint32_t x)
{
    const as_school *sc = ctx; /* 0: repeats (retention), 1: graduates, 2: not yet (repeats) */
    double u = as_u01(x), stay = sc->retention[AS_GRADES - 1];
    return u < stay ? 0 : (u - stay) / (1 - stay) >= sc->graduation ? 2 : 1;
}

/* Tables the draw limits of the outcomes that are the same for everyone in
 * a (grade, program, subgroup cell): the expressions are those of the
 * exits and the exams as they were written before they became limits. */
static int setup_limits(run *R, const as_params *p)
{
    const as_effects *fx = &p->effects;
    size_t cols = R->n_prog + 1, nd = AS_GRADES * cols * R->n_cells;
    R->drop_limit = as_malloc(2 * nd * sizeof *R->drop_limit); /* then drop_limit_de: one table for exits_avx512 */
    R->drop_limit_de = R->drop_limit ? R->drop_limit + nd : NULL;
    R->exam_limit = as_malloc((p->credentials.n + 1) * sizeof *R->exam_limit);
    R->exam_limit_career = as_malloc((p->credentials.n + 1) * sizeof *R->exam_limit_career);
    R->exam_logit = as_malloc((p->credentials.n + 1) * sizeof *R->exam_logit);
    R->dual_logit = as_malloc((p->dual_enrollment.n + 1) * sizeof *R->dual_logit);
    if (!R->drop_limit || !R->drop_limit_de || !R->exam_limit || !R->exam_limit_career || !R->exam_logit ||
        !R->dual_logit)
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
                drop = clamp01(drop);
                if (col < R->n_prog && p->programs.items[col].type == AS_PT_CTE)
                    drop = shift_odds(drop, fx->pathway_dropout);
                size_t at = ((size_t)g * cols + col) * R->n_cells + cell;
                R->drop_limit[at] = as_rng_bernoulli_limit(drop);
                R->drop_limit_de[at] = as_rng_bernoulli_limit(shift_odds(drop, fx->de_dropout));
            }
    for (int g = 0; g < AS_GRADES; g++)
        R->stay_limit[g] = as_rng_bernoulli_limit(p->school.retention[g]);
    R->graduate_limit = as_rng_draw_limit(graduation_outcome, &p->school, 1);
    for (size_t j = 0; j < p->credentials.n; j++) {
        const as_credential *cr = &p->credentials.items[j];
        int varies = varies_with_readiness(cr->pass_rate, cr->readiness_slope);
        R->exam_limit[j] = varies ? UINT64_MAX : as_rng_bernoulli_limit(cr->pass_rate);
        R->exam_limit_career[j] = varies ? UINT64_MAX
                                         : as_rng_bernoulli_limit(shift_odds(cr->pass_rate, fx->career_credits_exam));
    }
    return 0;
}

/* An integer count x meets a requirement r (a real, validated finite and
 * at least 0) exactly when x >= ceil(r); counts stay below 2^16, so
 * requirements beyond that are met by nobody either way. */
static uint32_t minimum(double r)
{
    return r > 65536 ? 65536 : (uint32_t)ceil(r);
}

/* The table graduate() and graduate16_avx512 read for completion: per
 * program the minima of its requirements (enum req_kind; the credential
 * and WBL ones 0 or 1), and for the column of none minima nobody reaches;
 * where there are at most REQ_COLUMNS_MAX columns, the same by requirement. */
static void setup_requirements(run *R, const as_params *p)
{
    for (size_t j = 0; j <= R->n_prog; j++) {
        uint32_t *m = R->req_min + j * REQ_COUNT;
        if (j == R->n_prog) {
            for (int q = 0; q < REQ_COUNT; q++)
                m[q] = UINT32_MAX;
            continue;
        }
        const as_requirements *r = &p->programs.items[j].req;
        m[REQ_HOURS] = minimum(r->hours);
        m[REQ_COURSES] = minimum(r->courses);
        m[REQ_ADVANCED] = minimum(r->advanced_courses);
        m[REQ_WBL_HOURS] = minimum(r->wbl_hours);
        m[REQ_CREDITS] = minimum(r->college_credits);
        m[REQ_CREDENTIAL] = r->credential != 0;
        m[REQ_WBL] = r->wbl != 0;
    }
    for (size_t j = 0; R->req_by_kind && j <= R->n_prog; j++)
        for (int q = 0; q < REQ_COUNT; q++)
            R->req_by_kind[(size_t)q * REQ_COLUMNS_MAX + j] = R->req_min[j * REQ_COUNT + (size_t)q];
}

/* The high-school year's tables: eligibility for the offers, draw limits,
 * and room for those as_hs_year fills. */
int as_hs_setup(run *R, const as_params *p)
{
    R->dual_ok = as_calloc(p->dual_enrollment.n * (R->n_prog + 1) + 1, 1);
    R->wbl_ok = as_calloc(p->wbl.n * (R->n_prog + 1) + 1, 1);
    R->leave_limit = as_calloc(256, sizeof *R->leave_limit);
    R->req_min = as_calloc((R->n_prog + 1) * REQ_COUNT, sizeof *R->req_min);
    if (R->n_prog + 1 <= REQ_COLUMNS_MAX)
        R->req_by_kind = as_calloc(REQ_COUNT * REQ_COLUMNS_MAX, sizeof *R->req_by_kind);
    if (!R->dual_ok || !R->wbl_ok || !R->leave_limit || !R->req_min ||
        (R->n_prog + 1 <= REQ_COLUMNS_MAX && !R->req_by_kind) || setup_programs(R, p) != 0)
        return -1;
    R->any_offers = p->dual_enrollment.n > 0 || p->wbl.n > 0;
    R->any_leaves = 0;
    for (size_t j = 0; j < R->n_prog; j++) {
        R->any_leaves |= R->prog_leaves[j] = p->programs.items[j].leave_rate > 0;
        R->leave_limit[j] = R->prog_leaves[j] ? as_rng_bernoulli_limit(p->programs.items[j].leave_rate) : 0;
    }
    for (size_t j = 0; j < 256; j++)
        R->pcol_of[j] = (uint8_t)(j < R->n_prog ? j : R->n_prog);
    setup_requirements(R, p);
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
    if (setup_offers(R, p) != 0 || setup_limits(R, p) != 0)
        return -1;
    return 0;
}

void as_hs_year(run *R, const as_params *p)
{
    fill_programs(R, p);
    fill_offers(R, p);
    R->need_allocation = 0;
    for (size_t j = 0; j < p->programs.n; j++)
        R->need_allocation |= R->prog_seats[j] >= 0;
    for (size_t j = 0; j < p->dual_enrollment.n; j++)
        R->need_allocation |= R->dual_seats[j] >= 0;
    for (size_t j = 0; j < p->wbl.n; j++)
        R->need_allocation |= R->wbl_slots[j] >= 0;
    memset(R->need_a, 0, sizeof R->need_a); /* NONE8 and unused bytes: 0 */
    R->choosers_only = !R->any_offers;
    for (size_t j = 0; j < R->n_prog; j++) {
        R->need_a[j] = (uint8_t)(R->need_allocation || R->prog_leaves[j]);
        R->choosers_only &= !R->need_a[j];
    }
}
