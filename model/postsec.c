/*
 * postsec.c - phase C (postsec.h).
 */
#include "postsec.h"

#include "destinations.h"

/* In-field work shifted by experiences (effects): a pathway completer of
 * the credential's cluster, a completed placement in that cluster (or in
 * none), an industry credential of the cluster held beside a later award.
 * Counts the entrant and his or her shifted in-field probability (in
 * millionths: integer sums stay exact for any thread count); supply counts
 * these instead of in_field_share times their number (market.c).  The
 * shifted probability of each credential and set of experiences is tabled
 * once a run (R->in_field_micro, run.c). */
void as_post_in_field(const run *R, int64_t *c, size_t k, int credential_index)
{
    const as_params *p = R->p;
    const state *s = &R->s;
    int field = R->cred_cluster[credential_index];
    if (field < 0 || !R->in_field_micro)
        return;
    size_t path = (s->flags[k] & F_COMPLETER) && s->program[k] != NONE8 &&
                  p->programs.items[s->program[k]].cluster == field;
    size_t wbl = 0; /* 0: none, else the kind + 1 */
    if (s->wbl_done1[k]) {
        const as_wbl *wb = &p->wbl.items[opt_get(s->wbl_done1, k)];
        if (wb->cluster < 0 || wb->cluster == field)
            wbl = (size_t)wb->kind + 1;
    }
    size_t held = s->credential[k] != NONE8 && (size_t)credential_index != s->credential[k] &&
                  p->credentials.items[s->credential[k]].cluster == field;
    int64_t micro = R->in_field_micro[in_field_at((size_t)credential_index, path, wbl, held)];
    if (micro < 0)
        return; /* nothing shifted */
    c[R->off[AS_V_ENTRANTS_WITH_EXPERIENCE] + (size_t)credential_index]++;
    c[R->off[AS_V_IN_FIELD_WITH_EXPERIENCE] + (size_t)credential_index] += micro;
}

/* A pool member's source by (completed IET, left postsecondary, working),
 * in that order of precedence: a lookup, where a chain of tests on people
 * in no particular order was mispredicted. */
static const uint8_t pool_source[8] = {AS_POOL_NOT_WORKING, AS_POOL_WORKING, AS_POOL_POSTSEC_LEAVERS,
                                       AS_POOL_POSTSEC_LEAVERS, AS_POOL_IET, AS_POOL_IET, AS_POOL_IET, AS_POOL_IET};

/* The year of person i of group g after school, but in the applicant
 * pool (pool_pass); d: the person's AS_S_POST_YEAR draw (generated for
 * the chunk). */
HOT void phase_c(run *R, worker *w, const group *g, size_t i, as_draw d)
{
    const as_params *p = R->p;
    state *s = &R->s;
    size_t k = g->first + i;
    int64_t *c = w->count;
    uint8_t st = s->status[k];
    if (st != ST_POSTSEC && st != ST_APPRENTICE && st != ST_IET && st != ST_EXTERNAL)
        return;
    s->post_years[k]++;
    if (st == ST_EXTERNAL) {
        int trade = 0; /* the external applicants of trade j are [first[j], first[j + 1]) of the group */
        while (R->trade_of_external[trade + 1] <= (int64_t)i)
            trade++;
        as_dest_apply_trade(R, w, g, i, trade, d.lane[2], AS_SRC_EXTERNAL);
    } else if (st == ST_POSTSEC) {
        int j = opt_get(s->post1, k);
        const as_postsec_program *ps = &p->postsecondary.items[j];
        count(R, c, AS_V_POSTSEC_ENROLLED, (size_t)j, 1);
        c[R->off[AS_V_COST] + AS_C_POSTSEC] += rnd64(ps->cost_per_year);
        s->post_credits[k] = add16(s->post_credits[k], ps->credits_per_year);
        if (s->post_credits[k] >= ps->credits_required) {
            size_t cred = R->cred_postsec0 + (size_t)j;
            count_sg(R, c, AS_V_CREDENTIALS, cred, s->attrs[k], 1);
            count(R, c, AS_V_POSTSEC_YEARS, (size_t)j, s->post_years[k]);
            enter_work(R, c, k, (int)cred);
        } else if ((s->post_years[k] >= ps->max_years) | /* no branch on the credit or the draw */
                   !as_bernoulli(d.lane[0], R->persist[2 * (size_t)j + (s->credits[k] != 0)])) {
            s->flags[k] |= F_POSTSEC_LEFT;
            enter_work(R, c, k, held_credential(R, k));
        }
    } else if (st == ST_APPRENTICE) {
        int j = opt_get(s->post1, k);
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
            count(R, c, AS_V_APPRENTICE_COMPLETIONS, (size_t)j, 1);
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
            int prog = as_dest_pick_postsec(R->self, g, i, AS_DEST_COMMUNITY_COLLEGE);
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
            enter_out(R, k);
    }
}

/* The classes of the statuses in as_post_chunk, besides the pool's:
 * postsecondary, apprenticeship, any other (IET, external applicants). */
static const uint8_t post_class[256] = {[ST_POSTSEC] = 0, [ST_APPRENTICE] = 1, [ST_IET] = 2, [ST_EXTERNAL] = 2};

/* The year of the people in the apprenticeship applicant pool, places
 * [q0, q1) of the chunk's list after school (post_years counts the years
 * since leaving): each applies with the probability of the person's
 * source times decay per year since leaving (tabled as pool_limit), and
 * leaves the pool, still working or not, after pool_years; one who applied
 * in the last year stays until the allocation has decided (and leaves
 * next year, or now when no trade has slots).  A pre-apprenticeship or an
 * interest points the choice of trade as it does for graduates
 * (as_dest_apply_trade).  Without a branch on a draw: who applies this
 * year goes to a list, and those applications, and what follows from
 * them, come after the pass. */
static void pool_pass(run *R, worker *w, const group *g, size_t q0, size_t q1)
{
    chunk_draws *cd = &w->draws;
    state *s = &R->s;
    uint8_t *restrict status = s->status + g->first, *restrict post_years = s->post_years + g->first;
    const uint8_t *restrict flags = s->flags + g->first;
    const unsigned last = (unsigned)R->pool_years;
    uint32_t *restrict applies = cd->row;
    size_t na = 0;
    for (size_t q = q0; q < q1; q++) {
        uint32_t i = cd->after[q];
        unsigned years = ++post_years[i], f = flags[i], working = status[i] == ST_WORK_POOL;
        int source = pool_source[((f & F_IET) != 0) << 2 | ((f & F_POSTSEC_LEFT) != 0) << 1 | working];
        const uint64_t(*limit)[21] = (f & F_PREAPP) ? R->pool_limit_preapp : R->pool_limit;
        unsigned in_time = years <= last;
        uint64_t lim = limit[source][in_time ? years - 1 : 0];
        unsigned apply = in_time & (cd->lane[0][q] < lim);
        applies[na] = (uint32_t)q;
        na += apply;
        unsigned leaves = !apply & (years >= last);
        status[i] = leaves ? (working ? ST_WORK : ST_OUT) : status[i];
    }
    for (size_t c = 0; c < na; c++) {
        uint32_t q = applies[c], i = cd->after[q];
        int working = status[i] == ST_WORK_POOL;
        int source = pool_source[((flags[i] & F_IET) != 0) << 2 | ((flags[i] & F_POSTSEC_LEFT) != 0) << 1 | working];
        int applied = as_dest_apply_trade(R, w, g, i, -1, cd->lane[2][q], AS_SRC_WORKING + source) >= 0;
        if (post_years[i] == last && !applied)
            status[i] = working ? ST_WORK : ST_OUT;
    }
}

void as_post_chunk(run *R, worker *w, const group *g, int alive)
{
    chunk_draws *cd = &w->draws;
    const uint8_t *status = R->s.status + g->first;
    /* the year draws of the people after school, generated together (the
     * destinations are done with cd->lane) */
    as_rng_draw_many(R->seed, R->rep, g->cohort, cd->after, cd->n_after, (uint32_t)R->year, AS_S_POST_YEAR,
                     cd->lane[0], cd->lane[1], cd->lane[2], cd->lane[3]);
    /* the pool's people in a pass of their own; the others taken status by
     * status, so that phase_c's tests of the status, which follow no order
     * in the list, are predicted: their places in the list go to one list
     * per class (each place is written to every list, and only its own
     * list's end moves on: no branch, no count kept in memory).  A person's
     * year touches only his or her own state, the counters and the
     * applicant lists, so the order changes nothing. */
    uint32_t(*by)[CHUNK] = cd->post_order;
    size_t end[POST_CLASSES] = {0};
    for (size_t q = 0; q < cd->pool_from; q++) {
        unsigned c = post_class[status[cd->after[q]]];
        for (int k = 0; k < POST_CLASSES; k++) {
            by[k][end[k]] = (uint32_t)q;
            end[k] += c == (unsigned)k;
        }
    }
    for (int k = 0; k < POST_CLASSES; k++)
        for (size_t o = 0; o < end[k]; o++) {
            size_t q = by[k][o];
            phase_c(R, w, g, cd->after[q], chunk_draw(w, q));
        }
    pool_pass(R, w, g, cd->pool_from, cd->n_after);
    for (size_t q = 0; !alive && q < cd->n_after; q++) /* only until someone is found active */
        alive = !terminal(status[cd->after[q]]);
    if (alive)
        w->alive[g->index] = 1;
}
