/*
 * run.c - one replication's run (run.h).
 */
#include "run.h"
#include "alloc.h"

#include <string.h>

#include "allocation.h"
#include "destinations.h"
#include "entry.h"
#include "highschool.h"

void as_run_free(run *R)
{
    as_state_free(&R->s);
    for (int t = 0; R->workers && t < R->n_workers; t++) {
        free(R->workers[t].count);
        free(R->workers[t].in_program);
        free(R->workers[t].apps.a);
        free(R->workers[t].alive);
        free(R->workers[t].tally);
        free(R->workers[t].leavers);
    }
    free(R->workers);
    free(R->groups);
    free(R->sub_readiness);
    free(R->sub_dropout);
    free(R->sub_aware);
    free(R->sub_apply);
    free(R->sub_college);
    free(R->interest_acc);
    free(R->interest_limit);
    free(R->dual_ok);
    free(R->leave_limit);
    free(R->req_min);
    free(R->req_by_kind);
    free(R->wbl_ok);
    free(R->merged);
    free(R->block_first);
    free(R->block_fill);
    free(R->open_prog);
    free(R->open_cum);
    free(R->open_wr);
    free(R->open_slot);
    free(R->open_ra);
    free(R->open_rb);
    free(R->open_match);
    free(R->open_key);
    free(R->open_scale);
    free(R->post_cum);
    free(R->post_wr);
    free(R->post_list);
    free(R->post_list_slot);
    free(R->post_ra);
    free(R->post_rb);
    free(R->post_match);
    free(R->post_key);
    free(R->post_scale);
    free(R->dual_allow);
    free(R->wbl_allow);
    free(R->wbl_unit);
    free(R->dual_rows);
    free(R->wbl_rows);
    free(R->dual_gpa_min);
    free(R->wbl_class);
    free(R->drop_limit);
    free(R->exam_limit);
    free(R->exam_logit);
    free(R->dual_logit);
    free(R->prog_hours);
    free(R->prog_courses);
    free(R->prog_cost);
    free(R->trade_of_external);
    free(R->cred_cluster);
    free(R->slots);
    free(R->persist);
    free(R->in_field_micro);
    free(R->dest_shift);
    free(R->exam_limit_career);
    free(R->sched);
}

/* What the experience effects need: each credential's cluster, and
 * persistence shifted for students with college credit. */
/* R->in_field_micro: what as_post_in_field counts for each credential and
 * set of experiences, computed as it computed them one entrant at a time
 * (the shift added in the same order, the same shift_odds and rounding),
 * so the counts are the same. */
static int setup_in_field(run *R, const as_effects *fx, size_t n_cred)
{
    const size_t kinds = AS_WBL_KINDS + 1;
    R->in_field_micro = as_malloc(in_field_at(n_cred, 0, 0, 0) * sizeof *R->in_field_micro);
    if (!R->in_field_micro)
        return -1;
    for (size_t ci = 0; ci < n_cred; ci++)
        for (size_t path = 0; path < 2; path++)
            for (size_t wbl = 0; wbl < kinds; wbl++)
                for (size_t held = 0; held < 2; held++) {
                    double by = 0;
                    if (path)
                        by += fx->pathway_in_field;
                    if (wbl)
                        by += fx->wbl_in_field[wbl - 1];
                    if (held)
                        by += fx->credential_in_field;
                    R->in_field_micro[in_field_at(ci, path, wbl, held)] =
                        by == 0 ? -1 : llround(shift_odds(R->m->in_field[ci], by) * 1e6);
                }
    return 0;
}

static int setup_effects(run *R, const as_params *p)
{
    const as_effects *fx = &p->effects;
    size_t n_cred = R->cred_iet + 1;
    R->cred_cluster = as_malloc(n_cred * sizeof *R->cred_cluster);
    R->persist = as_malloc(2 * (p->postsecondary.n + 1) * sizeof *R->persist);
    R->dest_shift = as_calloc((p->programs.n + 1) * AS_DEST_COUNT, sizeof *R->dest_shift);
    if (!R->cred_cluster || !R->persist || !R->dest_shift)
        return -1;
    for (size_t j = 0; j < p->programs.n; j++) {
        const as_program *pr = &p->programs.items[j];
        double *ds = R->dest_shift + j * AS_DEST_COUNT;
        ds[AS_DEST_FOUR_YEAR] = pr->four_year_shift, ds[AS_DEST_COMMUNITY_COLLEGE] = pr->community_college_shift;
        ds[AS_DEST_APPRENTICESHIP] = pr->apprenticeship_shift, ds[AS_DEST_WORK] = pr->work_shift;
    }
    for (int c = 0; c < 4; c++)
        R->college_effect[c] = ((c & 2) ? fx->de_college_going : 0) + ((c & 1) ? fx->awareness_college_going : 0);
    for (size_t j = 0; j < p->credentials.n; j++)
        R->cred_cluster[j] = p->credentials.items[j].cluster;
    for (size_t j = 0; j < p->postsecondary.n; j++) {
        R->cred_cluster[R->cred_postsec0 + j] = p->postsecondary.items[j].cluster;
        R->persist[2 * j] = p->postsecondary.items[j].persistence;
        R->persist[2 * j + 1] = shift_odds(p->postsecondary.items[j].persistence, fx->de_persistence);
    }
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        R->cred_cluster[R->cred_trade0 + j] = p->apprenticeships.items[j].cluster;
    R->cred_cluster[R->cred_iet] = -1;
    R->in_field_shifts = fx->pathway_in_field != 0 || fx->credential_in_field != 0;
    for (int j = 0; j < AS_WBL_KINDS; j++)
        R->in_field_shifts |= fx->wbl_in_field[j] != 0;
    return R->in_field_shifts && R->m ? setup_in_field(R, fx, n_cred) : 0;
}

/* The apprenticeship pool's draw limits, and the external applicants'
 * places in their group by trade. */
static int setup_pool(run *R, const as_params *p)
{
    const as_pool_params *pp = &p->apprenticeship_pool;
    int any_slots = 0;
    for (size_t j = 0; j < p->apprenticeships.n; j++)
    {
        const as_schedule *sl = &p->apprenticeships.items[j].slots;
        any_slots |= sl->value > 0;
        for (int y = 0; y < sl->n; y++)
            any_slots |= sl->v[y] > 0;
    }
    R->pool_years = any_slots ? pp->years : 0;
    for (int src = 0; src < AS_POOL_COUNT; src++)
        for (int y = 0; y < 21; y++) {
            double apply = clamp01(pp->apply[src] * pow(pp->decay, y));
            R->pool_limit[src][y] = as_rng_bernoulli_limit(apply);
            R->pool_limit_preapp[src][y] = as_rng_bernoulli_limit(shift_odds(apply, p->effects.preapp_apprenticeship));
        }
    R->trade_of_external = as_calloc(p->apprenticeships.n + 1, sizeof *R->trade_of_external);
    if (!R->trade_of_external)
        return -1;
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        R->trade_of_external[j + 1] = R->trade_of_external[j] + lround(p->apprenticeships.items[j].external_applicants);
    return 0;
}

/* Room for this year's values of the scheduled parameters, and as many
 * again for the next year's (as_run_year compares them). */
static int setup_schedules(run *R, const as_params *p)
{
    size_t np = R->n_prog, nd = p->dual_enrollment.n, nw = p->wbl.n;
    R->n_sched = 2 * np + 2 * nd + 2 * nw + p->postsecondary.n + p->apprenticeships.n;
    R->sched = as_calloc(2 * R->n_sched + 1, sizeof *R->sched);
    if (!R->sched)
        return -1;
    R->prog_seats = R->sched;
    R->prog_apply = R->prog_seats + np;
    R->dual_seats = R->prog_apply + np;
    R->dual_apply = R->dual_seats + nd;
    R->wbl_slots = R->dual_apply + nd;
    R->wbl_apply = R->wbl_slots + nw;
    R->post_seats = R->wbl_apply + nw;
    R->trade_slots = R->post_seats + p->postsecondary.n;
    R->sched_ready = 0;
    return 0;
}

void as_run_year(run *R, int t)
{
    const as_params *p = R->p;
    int year = as_params_calendar_year(p, t);
    double *next = R->sched + R->n_sched, *v = next; /* in the order of setup_schedules */
    for (size_t j = 0; j < R->n_prog; j++)
        *v++ = as_schedule_at(&p->programs.items[j].seats, year);
    for (size_t j = 0; j < R->n_prog; j++)
        *v++ = as_schedule_at(&p->programs.items[j].apply_rate, year);
    for (size_t j = 0; j < p->dual_enrollment.n; j++)
        *v++ = as_schedule_at(&p->dual_enrollment.items[j].seats, year);
    for (size_t j = 0; j < p->dual_enrollment.n; j++)
        *v++ = as_schedule_at(&p->dual_enrollment.items[j].apply_rate, year);
    for (size_t j = 0; j < p->wbl.n; j++)
        *v++ = as_schedule_at(&p->wbl.items[j].slots, year);
    for (size_t j = 0; j < p->wbl.n; j++)
        *v++ = as_schedule_at(&p->wbl.items[j].apply_rate, year);
    for (size_t j = 0; j < p->postsecondary.n; j++)
        *v++ = as_schedule_at(&p->postsecondary.items[j].seats, year);
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        *v++ = as_schedule_at(&p->apprenticeships.items[j].slots, year);
    if (R->sched_ready && memcmp(R->sched, next, R->n_sched * sizeof *next) == 0)
        return; /* nothing changed (always so without schedules): the tables stand */
    memcpy(R->sched, next, R->n_sched * sizeof *next);
    as_hs_year(R, p);
    as_dest_year(R, p);
    R->sched_ready = 1;
}

/* Everything a replication needs, derived once from p: the subgroup-cell
 * tables, each submodel's own tables (as_hs_setup, as_dest_setup, and the
 * first year's as_run_year), the applicant blocks, the entry groups, the
 * state and one worker per thread.
 * Returns 0, or -1 when out of memory (as_run_free undoes it). */
int as_run_setup(run *R, const as_params *p, int threads)
{
    R->n_prog = p->programs.n;
    R->n_sub = p->subgroups.n;
    R->n_sg = 1 + R->n_sub;
    size_t cells = (size_t)1 << R->n_sub;
    R->n_cells = cells;
    R->sub_readiness = as_malloc(cells * sizeof(double));
    R->sub_dropout = as_malloc(cells * sizeof(double));
    R->sub_aware = as_malloc(cells * sizeof(double));
    R->sub_apply = as_malloc(cells * sizeof(double));
    R->sub_college = as_malloc(cells * sizeof(double));
    R->interest_acc = as_malloc((p->clusters.n + 1) * sizeof(double));
    R->interest_limit = as_malloc((p->clusters.n + 1) * sizeof(uint64_t));
    if (!R->sub_readiness || !R->sub_dropout || !R->sub_aware || !R->sub_apply || !R->sub_college ||
        !R->interest_acc || !R->interest_limit)
        return -1;
    for (size_t c = 0; c < p->clusters.n; c++) /* summed in order, as entry.c did one by one */
        R->interest_acc[c] = (c ? R->interest_acc[c - 1] : 0) + p->clusters.items[c].interest_share;
    memcpy(R->off, R->res->offset, sizeof R->off);
    R->self = R;
    R->cred_postsec0 = as_results_cred_postsec(p, 0);
    R->cred_trade0 = as_results_cred_trade(p, 0);
    R->cred_iet = as_results_cred_iet(p);
    R->aware_base = clamp01(p->school.awareness + p->school.outreach + p->school.advising +
                            p->school.middle_school_exposure);
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
    as_entry_setup(R);
    size_t np = p->programs.n, nd = p->dual_enrollment.n, nw = p->wbl.n, nps = p->postsecondary.n,
           nt = p->apprenticeships.n;
    R->slots = as_calloc(np + nd + nw + nps + nt + 1, sizeof *R->slots);
    if (!R->slots)
        return -1;
    R->prog_slot = R->slots;
    R->dual_slot = R->prog_slot + np;
    R->wbl_slot = R->dual_slot + nd;
    R->post_slot = R->wbl_slot + nw;
    R->trade_slot = R->post_slot + nps;
    as_choice_slots(p->programs.items, np, sizeof(as_program), R->prog_slot);
    as_choice_slots(p->dual_enrollment.items, nd, sizeof(as_dual_enrollment), R->dual_slot);
    as_choice_slots(p->wbl.items, nw, sizeof(as_wbl), R->wbl_slot);
    as_choice_slots(p->postsecondary.items, nps, sizeof(as_postsec_program), R->post_slot);
    as_choice_slots(p->apprenticeships.items, nt, sizeof(as_trade), R->trade_slot);
    if (setup_schedules(R, p) != 0 || as_hs_setup(R, p) != 0 || as_dest_setup(R, p) != 0)
        return -1;
    as_run_year(R, 0);
    R->block_first = as_calloc(as_allocation_blocks(R) + 1, sizeof *R->block_first);
    R->block_fill = as_calloc((size_t)threads * (as_allocation_blocks(R) + 1), sizeof *R->block_fill);
    if (!R->block_first || !R->block_fill)
        return -1;
    if (setup_pool(R, p) != 0 || setup_effects(R, p) != 0)
        return -1;
    /* entry groups: cohort t, then adults of year t; after all of them the
     * external apprenticeship applicants of each year (numbered after
     * everyone else, so their arrival changes no tie among the others) */
    int span = p->warmup_years + p->years;
    R->groups = as_calloc((size_t)3 * (size_t)span, sizeof *R->groups);
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
    for (int t = 0; t < span; t++) {
        group *g = &R->groups[R->n_groups++];
        g->base = total;
        g->n = (size_t)R->trade_of_external[p->apprenticeships.n];
        g->cohort = AS_COHORT_EXTERNAL_BASE + (uint32_t)t;
        g->index = R->n_groups - 1;
        total += g->n;
    }
    if (as_state_alloc(&R->s, total) != 0)
        return -1;
    R->n_workers = threads;
    R->workers = as_calloc((size_t)threads, sizeof *R->workers);
    if (!R->workers)
        return -1;
    R->tally_cells = AS_GRADES * (R->n_prog + 1) * R->n_cells;
    R->tally_copies = R->tally_cells <= TALLY_COPIES_MAX_CELLS ? TALLY_COPIES : 1;
    /* a grade's students spread over (n_prog + 1) * n_cells cells: where that is 8 or more (Miami-Dade:
     * 320), sixteen of them usually hold many distinct cells (exits_avx512) */
    R->tally_by_lane = R->tally_copies == TALLY_COPIES && (R->n_prog + 1) * R->n_cells >= 8;
    R->leaver_dropouts = (R->n_prog + 1) * R->n_cells * GRAD_KINDS;
    R->leaver_dests = R->leaver_dropouts + R->n_cells;
    R->leaver_cells = R->leaver_dests + AS_DEST_COUNT * R->n_cells;
    for (int t = 0; t < threads; t++) {
        R->workers[t].count = as_calloc(R->res->slab, sizeof(int64_t));
        R->workers[t].in_program = as_calloc(COUNT_COPIES * (R->n_prog + 1) * AS_GRADES, sizeof(int64_t));
        R->workers[t].alive = as_calloc((size_t)R->n_groups, 1);
        R->workers[t].tally = as_calloc(R->tally_copies * R->tally_cells, sizeof(uint32_t));
        R->workers[t].leavers = as_calloc(R->leaver_cells, sizeof(uint32_t));
        if (!R->workers[t].count || !R->workers[t].in_program || !R->workers[t].alive || !R->workers[t].tally ||
            !R->workers[t].leavers)
            return -1;
    }
    return 0;
}
