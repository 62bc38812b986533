/*
 * postsec.c - phase C (postsec.h).
 */
#include "postsec.h"

#include "destinations.h"

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
            int prog = as_dest_pick_postsec(R->self, k, AS_DEST_COMMUNITY_COLLEGE, as_u01(d.lane[2]));
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

void as_post_chunk(run *R, worker *w, const group *g, int alive)
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
