/*
 * destinations.c - where graduates go (destinations.h).
 */
#include "destinations.h"
#include "alloc.h"

#include "choice.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DEST_AVX512 1
#endif

/* The table of a sector's postsecondary choice (sector: the destination,
 * four-year or community college) for interest row `row`. */
static const double *post_row(const run *R, int sector, size_t row)
{
    size_t n = R->p->postsecondary.n;
    return R->post_wr + ((size_t)(sector == AS_DEST_FOUR_YEAR ? 0 : 1) * R->open_rows + row) * (2 * n + 1);
}

/* Picks a postsecondary program of a sector for person i of group g:
 * returns its index or -1.  The weights (share, times interest_mult in the
 * person's field) of the sector's open programs, their inverses and their
 * total are tabled per (sector, interest) in as_dest_year; the choice is
 * keyed (choice.h). */
static int pick_postsec(const run *R, const group *g, size_t i, int sector, uint64_t start)
{
    size_t n = R->p->postsecondary.n, k = g->first + i, sec = sector == AS_DEST_FOUR_YEAR ? 0 : 1;
    if (n == 0)
        return -1;
    const double *wr = post_row(R, sector, R->s.interest1[k]); /* row 0: no interest, else the cluster + 1 */
    int c = as_choose_keyed_tabled(wr, wr + n, wr[2 * n], R->post_list_slot + sec * n, R->post_n[sec], 0, start);
    return c < 0 ? -1 : R->post_list[sec * n + (size_t)c];
}

int as_dest_pick_postsec(const run *R, const group *g, size_t i, int sector)
{
    if (R->p->postsecondary.n == 0)
        return -1; /* no draw needed */
    return pick_postsec(R, g, i, sector, choice_start(R, g, i, AS_S_CHOICE_POSTSEC));
}

/* The postsecondary choices of a sector's m graduates, graduate[q] with
 * keyed start start[q], into prog[q] (a program or -1): eight at a time
 * where the processor allows (as_choose_keyed_gather), each with the row
 * of its interest (row: scratch); the same choices as pick_postsec's. */
static void pick_postsec_many(const run *R, const group *g, int sector, const uint32_t *graduate,
                              const uint64_t *start, size_t m, uint32_t *row, int *prog)
{
    size_t n = R->p->postsecondary.n, sec = sector == AS_DEST_FOUR_YEAR ? 0 : 1;
    const uint8_t *interest1 = R->s.interest1 + g->first, *list = R->post_list + sec * n;
    for (size_t q = 0; q < m; q++)
        row[q] = interest1[graduate[q]];
    const double *wr = post_row(R, sector, 0);
    const as_choice_factors f = {R->post_ra + sec * n, R->post_rb + sec * n, R->post_match + sec * n, R->post_key,
                                 R->post_scale};
    if (R->avx512 && R->post_factored[sec])
        as_choose_keyed_factored(wr, wr + n, wr + 2 * n, 2 * n + 1, row, R->post_list_slot + sec * n, R->post_n[sec],
                                 0, start, m, prog, &f);
    else
        as_choose_keyed_gather(R->avx512 ? AS_CHOICE_BEST : AS_CHOICE_SCALAR, wr, wr + n, wr + 2 * n, 2 * n + 1, row,
                               R->post_list_slot + sec * n, R->post_n[sec], 0, start, m, prog);
    for (size_t q = 0; q < m; q++)
        prog[q] = prog[q] < 0 ? -1 : list[prog[q]];
}

/* The factors of a sector's inverse postsecondary weights (post_ra and
 * the others in sim.h: 1 / share, or with interest_mult for a graduate
 * interested in the program's cluster, the row of that interest), and
 * whether every product is within AS_CHOICE_FACTOR_ERROR of the inverse it
 * stands for, as as_choose_keyed_factored requires (fill_factors in
 * hs_tables.c checks the program choices' the same way). */
static void post_factors(run *R, const as_params *p, int sector)
{
    size_t n = p->postsecondary.n, m = R->post_n[sector];
    const uint8_t *list = R->post_list + (size_t)sector * n;
    double *ra = R->post_ra + (size_t)sector * n, *rb = R->post_rb + (size_t)sector * n;
    int32_t *match = R->post_match + (size_t)sector * n;
    for (size_t q = 0; q < m; q++) {
        const as_postsec_program *ps = &p->postsecondary.items[list[q]];
        ra[q] = 1 / ps->share;
        rb[q] = ps->cluster >= 0 ? 1 / (ps->share * p->destinations.interest_mult) : ra[q];
        match[q] = ps->cluster >= 0 ? ps->cluster + 1 : -1;
    }
    int ok = m > 0;
    for (size_t row = 0; row < R->open_rows; row++) {
        const double *r = post_row(R, sector, row) + n; /* sector 0 is AS_DEST_FOUR_YEAR */
        for (size_t q = 0; q < m; q++)
            ok &= as_choice_factor_ok(match[q] == (int32_t)row ? rb[q] : ra[q], r[q]);
    }
    R->post_factored[sector] = ok;
}

/* The postsecondary weights of the year: per (sector, interest row), each
 * program's share (times destinations.interest_mult in the row's field)
 * where it is of the sector and open, as the steps of their cumulative sum
 * (as they have always been taken); only the sector's open programs are
 * tabled (post_list): leaving out the others' weights of 0 changes no sum
 * and no choice. */
void as_dest_year(run *R, const as_params *p)
{
    size_t n = p->postsecondary.n;
    for (int sector = 0; sector < 2; sector++) {
        uint8_t *list = R->post_list + (size_t)sector * n;
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (p->postsecondary.items[j].sector == sector && R->post_seats[j] != 0) {
                R->post_list_slot[(size_t)sector * n + m] = R->post_slot[j];
                list[m++] = (uint8_t)j;
            }
        R->post_n[sector] = m;
        for (size_t row = 0; row < R->open_rows; row++) {
            double *cum = R->post_cum + ((size_t)sector * R->open_rows + row) * n, acc = 0;
            for (size_t j = 0; j < n; j++) {
                const as_postsec_program *ps = &p->postsecondary.items[j];
                double wgt = ps->sector == sector && R->post_seats[j] != 0 ? ps->share : 0;
                if (ps->cluster >= 0 && row > 0 && ps->cluster == (int)row - 1)
                    wgt *= p->destinations.interest_mult;
                cum[j] = acc += wgt;
            }
            double *wr = R->post_wr + ((size_t)sector * R->open_rows + row) * (2 * n + 1), total = 0;
            for (size_t q = 0; q < m; q++) {
                size_t j = list[q];
                wr[q] = cum[j] - (j ? cum[j - 1] : 0);
                wr[n + q] = 1 / wr[q];
                total += wr[q];
            }
            wr[2 * n] = total;
        }
        post_factors(R, p, sector);
    }
}

int as_dest_setup(run *R, const as_params *p)
{
    R->post_cum = as_calloc(2 * R->open_rows * p->postsecondary.n + 1, sizeof *R->post_cum);
    R->post_wr = as_calloc(2 * R->open_rows * (2 * p->postsecondary.n + 1), sizeof *R->post_wr);
    R->post_list = as_malloc(2 * p->postsecondary.n + 1);
    R->post_list_slot = as_malloc((2 * p->postsecondary.n + 1) * sizeof *R->post_list_slot);
    R->post_ra = as_calloc(2 * p->postsecondary.n + 1, sizeof *R->post_ra);
    R->post_rb = as_calloc(2 * p->postsecondary.n + 1, sizeof *R->post_rb);
    R->post_match = as_calloc(2 * p->postsecondary.n + 1, sizeof *R->post_match);
    R->post_key = as_calloc(R->open_rows, sizeof *R->post_key);
    R->post_scale = as_calloc(R->open_rows, sizeof *R->post_scale);
    if (!R->post_cum || !R->post_wr || !R->post_list || !R->post_list_slot || !R->post_ra || !R->post_rb ||
        !R->post_match || !R->post_key || !R->post_scale)
        return -1;
    for (size_t row = 0; row < R->open_rows; row++) { /* the factors' key is the row; no scale */
        R->post_key[row] = (int32_t)row;
        R->post_scale[row] = 1;
    }
    /* with a spread of readiness every graduate's is his or her own, and the memo's key holds it */
    R->dest_memo = p->school.readiness_sd == 0;
    return 0;
}

/* A graduate's destination weights with their sum and inverses
 * (as_choose_keyed_tabled), and what they were computed from: readiness
 * (its bits), credits, the completed program, subgroup cell and flags. */
typedef struct dest_weights {
    uint32_t readiness;
    uint16_t credits;
    uint8_t program, attrs, flags, valid;
    double w[AS_DEST_COUNT], r[AS_DEST_COUNT], total;
} dest_weights;

#define DEST_MEMO 15  /* a few (cell, program, credential) combinations, kept for the chunk */
#define DEST_PROBES 4 /* entries a key may take, from the one its hash names; beyond, the spare */
_Static_assert(DEST_MEMO + 1 == AS_CHOICE_ROWS_MAX, "as_choose_keyed_rows reads the memo and a row for the spare");

static const uint16_t dest_slot[AS_DEST_COUNT] = {1, 2, 3, 4, 5}; /* fixed ids, in enum order */

/* Multinomial logit: weight_j = base_j * exp(shift_j), the shifts summing
 * readiness, credits, credential, subgroup and completed-program terms
 * (every coefficient is within [-10, 10], so exp cannot overflow).  The
 * shifts of graduate k, whose flags are `flags` (F_COMPLETER, F_AWARE,
 * F_PREAPP, and 0x80 for a credential held), completed program `program`
 * (NONE8 for none) and credits `credits`. */
static void dest_shifts(const run *R, size_t k, unsigned attrs, uint8_t flags, uint8_t program, uint16_t credits,
                        double shift[AS_DEST_COUNT])
{
    const as_params *p = R->p;
    const as_destination_params *dp = &p->destinations;
    double readiness = R->s.readiness[k], credits12 = credits / 12.0;
    /* looked up, without a branch on the graduate's program, credit or awareness (run.c) */
    const double *program_shift = R->dest_shift + (size_t)R->pcol_of[program] * AS_DEST_COUNT;
    /* experience effects (effects.*): college credit, awareness (advising) */
    double college_effect = R->college_effect[(credits != 0) * 2 + ((flags & F_AWARE) != 0)];
    for (int j = 0; j < AS_DEST_COUNT; j++) {
        shift[j] = dp->readiness_coef[j] * readiness + dp->credits_coef[j] * credits12 + program_shift[j];
        if (flags & 0x80)
            shift[j] += dp->credential_coef[j];
        if (j == AS_DEST_FOUR_YEAR || j == AS_DEST_COMMUNITY_COLLEGE)
            shift[j] += R->sub_college[attrs] + college_effect;
        if (j == AS_DEST_APPRENTICESHIP && (flags & F_PREAPP))
            shift[j] += p->effects.preapp_apprenticeship;
    }
}

/* What dest_shifts reads of graduate k, as dest_weights records it. */
static uint8_t dest_flags(const state *s, size_t k, uint8_t *program)
{
    uint8_t flags = s->flags[k] & (F_COMPLETER | F_AWARE | F_PREAPP);
    /* the program when completed, else NONE8: without a branch, which completers would mispredict */
    *program = (uint8_t)(s->program[k] | (((flags & F_COMPLETER) ? 0u : 1u) * NONE8));
    return (uint8_t)(flags | (s->credential[k] != NONE8 ? 0x80 : 0));
}

/* The weights of the shifts, with their inverses and sum (added in order). */
static void weigh(const as_destination_params *dp, const double shift[AS_DEST_COUNT], dest_weights *m)
{
    double total = 0;
    for (int j = 0; j < AS_DEST_COUNT; j++) {
        m->w[j] = shift[j] == 0 ? dp->base[j] : dp->base[j] * exp(shift[j]);
        m->r[j] = 1 / m->w[j];
        total += m->w[j];
    }
    m->total = total;
}

/* Graduate k's weights, a function of the inputs dest_weights records and
 * of the run, so graduates alike in those (in the toy: all of a cell and
 * program) share one computation, from the memo: the same doubles either
 * way.  An entry, once filled, stays for the chunk (as_choose_keyed_rows
 * reads the memo as its table after the pass).  Returns NULL for a key that
 * finds its DEST_PROBES entries taken by others. */
static const dest_weights *memo_weights(const run *R, dest_weights *memo, size_t k, unsigned attrs)
{
    const state *s = &R->s;
    uint32_t rbits;
    memcpy(&rbits, &s->readiness[k], sizeof rbits);
    uint8_t program, flags = dest_flags(s, k, &program);
    uint16_t credits = s->credits[k];
    uint64_t key = (uint64_t)rbits | (uint64_t)credits << 32 | (uint64_t)program << 48 | (uint64_t)flags << 56;
    unsigned h = (unsigned)(((key ^ attrs) * 0x9E3779B97F4A7C15ull) >> 60); /* the top 4 bits */
    for (unsigned probe = 0; probe < DEST_PROBES; probe++) {
        dest_weights *e = &memo[(h + probe) % DEST_MEMO];
        if (!e->valid) {
            double shift[AS_DEST_COUNT];
            dest_shifts(R, k, attrs, flags, program, credits, shift);
            weigh(&R->p->destinations, shift, e);
            e->readiness = rbits, e->credits = credits, e->program = program, e->attrs = (uint8_t)attrs;
            e->flags = flags, e->valid = 1;
            return e;
        }
        if (e->readiness == rbits && e->credits == credits && e->program == program && e->attrs == attrs &&
            e->flags == flags)
            return e;
    }
    return NULL;
}

/* The choice of graduate k from the weights of his or her own shifts, one
 * at a time (the graduates the memo has no room for). */
static int choose_alone(const run *R, size_t k, unsigned attrs, uint64_t start)
{
    uint8_t program, flags = dest_flags(&R->s, k, &program);
    double shift[AS_DEST_COUNT];
    dest_weights m;
    dest_shifts(R, k, attrs, flags, program, R->s.credits[k], shift);
    weigh(&R->p->destinations, shift, &m);
    return as_choose_keyed_tabled(m.w, m.r, m.total, dest_slot, AS_DEST_COUNT, 0, start);
}

#ifdef DEST_AVX512
/* The choices of the graduates the memo has no room for (places who[0 ..
 * m) in the chunk's list of graduates, keyed starts start[]), DEST_BLOCK
 * at a time with AVX-512: their shifts as dest_shifts computes them, their
 * weights from as_exp_approx (within 1e-13 of exp: not exp's bits, but far
 * inside the 1e-12 that as_choose_keyed_gather_decide allows), and the
 * choices the clock bounds decide, which are those of the exact weights;
 * the few they leave undecided, those with a shift beyond the
 * approximation's range, and the last few of a block short of eight, from
 * the exact weights (choose_alone).  Where the memo holds no one alike
 * (Miami-Dade: readiness is continuous, so every graduate but the first
 * few of a chunk), this replaces five calls of exp a graduate. */
#define DEST_BLOCK 64
#define DEST_STRIDE (2 * AS_DEST_COUNT + 1)

__attribute__((target("avx512f,avx512dq,avx512vl"))) static void choose_spares_avx512(const run *R,
                                                                                    const group *g,
                                                                                    const uint32_t *graduate,
                                                                                    const uint64_t *start,
                                                                                    const uint32_t *who, size_t m,
                                                                                    uint8_t *dest)
{
    const state *s = &R->s;
    const double *base = R->p->destinations.base;
    double shift[AS_DEST_COUNT][DEST_BLOCK], e[AS_DEST_COUNT][DEST_BLOCK], tab[DEST_BLOCK * DEST_STRIDE];
    uint32_t row[DEST_BLOCK];
    uint64_t st[DEST_BLOCK];
    int out[DEST_BLOCK];
    const __m512i at = _mm512_mullo_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), _mm512_set1_epi64(DEST_STRIDE));
    for (size_t b = 0; b < m; b += DEST_BLOCK) {
        size_t nb = m - b < DEST_BLOCK ? m - b : DEST_BLOCK, nv = nb & ~(size_t)7;
        uint64_t wide = 0; /* bit t: a shift of graduate t beyond as_exp_approx's range */
        for (size_t t = 0; t < nb; t++) {
            size_t k = g->first + graduate[who[b + t]];
            uint8_t program, flags = dest_flags(s, k, &program);
            double sh[AS_DEST_COUNT];
            dest_shifts(R, k, s->attrs[k], flags, program, s->credits[k], sh);
            for (int j = 0; j < AS_DEST_COUNT; j++) {
                shift[j][t] = sh[j];
                wide |= (uint64_t)!(fabs(sh[j]) <= AS_EXP_APPROX_MAX) << t;
            }
            row[t] = (uint32_t)t;
            st[t] = start[who[b + t]];
        }
        for (int j = 0; j < AS_DEST_COUNT; j++)
            as_exp_approx(shift[j], e[j], nv);
        for (size_t t = 0; t < nv; t += 8) {
            __m512d total = _mm512_setzero_pd();
            double *rows = tab + t * DEST_STRIDE;
            for (int j = 0; j < AS_DEST_COUNT; j++) {
                __m512d w = _mm512_mul_pd(_mm512_set1_pd(base[j]), _mm512_loadu_pd(&e[j][t]));
                _mm512_i64scatter_pd(rows + j, at, w, 8);
                _mm512_i64scatter_pd(rows + AS_DEST_COUNT + j, at, _mm512_div_pd(_mm512_set1_pd(1), w), 8);
                total = _mm512_add_pd(total, w);
            }
            _mm512_i64scatter_pd(rows + 2 * AS_DEST_COUNT, at, total, 8);
        }
        as_choose_keyed_gather_decide(tab, tab + AS_DEST_COUNT, tab + 2 * AS_DEST_COUNT, DEST_STRIDE, row,
                                      dest_slot, AS_DEST_COUNT, st, nv, out);
        for (size_t t = 0; t < nb; t++) {
            uint32_t q = who[b + t];
            size_t k = g->first + graduate[q];
            int c = t < nv && !(wide >> t & 1) ? out[t] : AS_CHOICE_UNDECIDED;
            dest[q] = (uint8_t)(c != AS_CHOICE_UNDECIDED ? c : choose_alone(R, k, s->attrs[k], st[t]));
        }
    }
}
#endif

/* The destination choices of the chunk's n graduates into dest[]: each
 * graduate's weights found in (or added to) the memo; then, with AVX-512
 * and where the memo held most of them, the memo's graduates eight at a
 * time, each lane with its own entry's weights (as_choose_keyed_rows), else
 * one at a time; and those the memo had no room for one at a time, or with
 * AVX-512 eight at a time from vector exps (choose_spares_avx512). */
static void choose_destinations(const run *R, chunk_draws *cd, const group *g, size_t n, uint8_t *dest)
{
    const state *s = &R->s;
    dest_weights memo[DEST_MEMO];
    for (int j = 0; j < DEST_MEMO; j++)
        memo[j].valid = 0;
    uint8_t *restrict row = (uint8_t *)cd->chose; /* the memo entry of graduate q, DEST_MEMO for none */
    uint64_t *restrict start = cd->start;
    uint32_t *restrict spare = cd->row; /* the graduates the memo has no room for */
    size_t spares = 0;
    for (size_t q = 0; q < n; q++) {
        /* without R->dest_memo (readiness spread, as in Miami-Dade) no two graduates are alike: the
         * memo would be searched for each and hold only its first few, so everyone is a spare */
        size_t k = g->first + cd->graduate[q];
        const dest_weights *dw = R->dest_memo ? memo_weights(R, memo, k, s->attrs[k]) : NULL;
        start[q] = as_choice_start(cd->laneb[0][q], cd->laneb[1][q]);
        row[q] = (uint8_t)(dw ? dw - memo : DEST_MEMO);
        spare[spares] = (uint32_t)q;
        spares += !dw;
    }
#ifdef DEST_AVX512
    if (R->avx512 && spares >= 8)
        choose_spares_avx512(R, g, cd->graduate, start, spare, spares, dest);
    else
#endif
        for (size_t b = 0; b < spares; b++) {
            size_t q = spare[b], k = g->first + cd->graduate[q];
            dest[q] = (uint8_t)choose_alone(R, k, s->attrs[k], start[q]);
        }
    if (spares == n)
        return;
    if (!R->avx512 || spares * 4 > n) { /* one at a time, those the memo holds */
        for (size_t q = 0; q < n; q++)
            if (row[q] < DEST_MEMO) {
                const dest_weights *dw = &memo[row[q]];
                dest[q] = (uint8_t)as_choose_keyed_tabled(dw->w, dw->r, dw->total, dest_slot, AS_DEST_COUNT, 0,
                                                          start[q]);
            }
        return;
    }
    /* the table: the memo's entries, and for the spare's graduates (row DEST_MEMO) a row of ones whose
     * choices are not kept; entries never filled are no graduate's row */
    double w[(DEST_MEMO + 1) * AS_DEST_COUNT], r[(DEST_MEMO + 1) * AS_DEST_COUNT], total[DEST_MEMO + 1];
    for (size_t e = 0; e <= DEST_MEMO; e++) {
        int filled = e < DEST_MEMO && memo[e].valid;
        for (int j = 0; j < AS_DEST_COUNT; j++) {
            w[e * AS_DEST_COUNT + (size_t)j] = filled ? memo[e].w[j] : 1;
            r[e * AS_DEST_COUNT + (size_t)j] = filled ? memo[e].r[j] : 1;
        }
        total[e] = filled ? memo[e].total : AS_DEST_COUNT;
    }
    int *choice = cd->choice;
    as_choose_keyed_rows(AS_CHOICE_BEST, w, r, total, DEST_MEMO + 1, dest_slot, AS_DEST_COUNT, start, row, n,
                         choice);
    for (size_t q = 0; q < n; q++) /* the spare's graduates keep theirs */
        dest[q] = row[q] < DEST_MEMO ? (uint8_t)choice[q] : dest[q];
}

/* The trade person i of group g seeks a slot in: `trade` when >= 0, else
 * chosen from the uniform draw `pick` among trades with slots (weights
 * share, times interest_mult in the person's field, times preapp_mult for
 * the trade a completed pre-apprenticeship feeds); the application goes to
 * the allocation with the lottery number `lottery`, pre-apprentices first
 * where the trade says so, counted under `source` (enum
 * as_applicant_source).  Returns the trade, or -1 when no trade has slots. */
int as_dest_apply_trade(run *R, worker *w, const group *g, size_t i, int trade, uint32_t lottery, int source)
{
    const as_params *p = R->p;
    const state *s = &R->s;
    size_t k = g->first + i;
    size_t n = p->apprenticeships.n;
    if (trade < 0) {
        double tw[AS_MAX_ITEMS];
        for (size_t j = 0; j < n; j++) {
            const as_trade *t = &p->apprenticeships.items[j];
            tw[j] = R->trade_slots[j] > 0 ? t->share : 0;
            if (t->cluster >= 0 && t->cluster == opt_get(s->interest1, k))
                tw[j] *= p->destinations.interest_mult;
            if ((s->flags[k] & F_PREAPP) && t->preapp >= 0 && t->preapp == opt_get(s->preapp1, k))
                tw[j] *= t->preapp_mult; /* a pre-apprenticeship points at its trade */
        }
        trade = as_choose_keyed(tw, R->trade_slot, n, 0, choice_start(R, g, i, AS_S_CHOICE_TRADE));
        if (trade < 0)
            return -1;
    }
    const as_trade *t = &p->apprenticeships.items[trade];
    int priority = t->preapp_priority && (s->flags[k] & F_PREAPP) && t->preapp >= 0 && t->preapp == opt_get(s->preapp1, k);
    uint64_t key = ((uint64_t)(priority ? 0 : 1) << 32) | lottery;
    count(R, w->count, AS_V_APPRENTICE_APPLICANTS, (size_t)trade, 1);
    count(R, w->count, AS_V_APPRENTICE_APPLICANTS_BY_SOURCE, (size_t)trade * AS_SRC_COUNT + (size_t)source, 1);
    push(w, key, g, i, (size_t)trade, source, A_TRADE);
    return trade;
}

/* Graduate i of group g settles into destination `dest` (work or none):
 * tallied (flush_tally counts it), and entered. */
static void settle(run *R, worker *w, const group *g, uint32_t i, int dest)
{
    size_t k = g->first + i;
    w->leavers[R->leaver_dests + (size_t)dest * R->n_cells + R->s.attrs[k]]++;
    if (dest == AS_DEST_WORK)
        enter_work(R, w->count, k, held_credential(R, k));
    else
        enter_out(R, k);
}

/* Destinations of the chunk's graduates, as passes: their draws generated
 * together (the starts of the keyed choices, and the AS_S_DESTINATION draw
 * whose lane 2 is the lottery number for a seat or slot, only where there
 * are seats or slots); the destination choices; the graduates ordered by
 * destination (a counting sort, without branches on the choices); then
 * each destination's graduates: college-bound ones choose a program and
 * wait for its allocation, apprenticeship-bound ones apply to a trade
 * (either goes to work when there is nothing to choose), the rest settle.
 * Returns 1 when one of them waits for a seat or slot. */
int as_dest_chunk(run *R, worker *w, const group *g)
{
    chunk_draws *cd = &w->draws;
    state *s = &R->s;
    size_t n = cd->n_graduates;
    cd->n_graduates = 0;
    if (n == 0)
        return 0;
    const uint32_t *graduate = cd->graduate;
    int lottery = R->p->postsecondary.n || R->p->apprenticeships.n;
    if (lottery)
        as_rng_draw_many(R->seed, R->rep, g->cohort, graduate, n, (uint32_t)R->year, AS_S_DESTINATION, cd->lane[0],
                         cd->lane[1], cd->lane[2], cd->lane[3]);
    as_rng_draw_many(R->seed, R->rep, g->cohort, graduate, n, (uint32_t)R->year, AS_S_CHOICE_DEST, cd->laneb[0],
                     cd->laneb[1], cd->laneb[2], cd->laneb[3]);
    if (R->p->postsecondary.n)
        as_rng_draw_many(R->seed, R->rep, g->cohort, graduate, n, (uint32_t)R->year, AS_S_CHOICE_POSTSEC,
                         cd->lanec[0], cd->lanec[1], cd->lanec[2], cd->lanec[3]);
    uint8_t *restrict dest = cd->held;
    choose_destinations(R, cd, g, n, dest);
    size_t first[AS_DEST_COUNT + 1] = {0};
    for (size_t q = 0; q < n; q++)
        first[dest[q] + 1]++;
    for (int d = 0; d < AS_DEST_COUNT; d++)
        first[d + 1] += first[d];
    uint32_t *restrict order = cd->chooser;
    size_t at[AS_DEST_COUNT];
    memcpy(at, first, sizeof at);
    for (size_t q = 0; q < n; q++)
        order[at[dest[q]]++] = (uint32_t)q;
    /* the college-bound's programs, by destination in `order`: their
     * graduates and keyed starts put in order in the scratch of phase A
     * (cd->list, cd->start), their choices into prog_of */
    int *prog_of = cd->choice;
    if (R->p->postsecondary.n)
        for (int d = AS_DEST_FOUR_YEAR; d <= AS_DEST_COMMUNITY_COLLEGE; d++) {
            size_t b = first[d], m = first[d + 1] - b;
            for (size_t o = 0; o < m; o++) {
                size_t q = order[b + o];
                cd->list[o] = graduate[q];
                cd->start[o] = as_choice_start(cd->lanec[0][q], cd->lanec[1][q]);
            }
            pick_postsec_many(R, g, d, cd->list, cd->start, m, cd->row, prog_of + b);
        }
    int pending = 0;
    for (int d = 0; d < AS_DEST_COUNT; d++)
        for (size_t o = first[d]; o < first[d + 1]; o++) {
            size_t q = order[o];
            uint32_t i = graduate[q], ticket = lottery ? cd->lane[2][q] : 0;
            int to = d;
            if (d == AS_DEST_FOUR_YEAR || d == AS_DEST_COMMUNITY_COLLEGE) {
                int prog = R->p->postsecondary.n ? prog_of[o] : -1;
                if (prog >= 0) {
                    s->status[g->first + i] = ST_PENDING;
                    push(w, lottery_key(ticket), g, i, (size_t)prog, 0, A_POSTSEC);
                    pending = 1;
                    continue;
                }
                to = AS_DEST_WORK;
            } else if (d == AS_DEST_APPRENTICESHIP) {
                if (as_dest_apply_trade(R, w, g, i, -1, ticket, AS_SRC_GRADUATES) >= 0) {
                    s->status[g->first + i] = ST_PENDING;
                    pending = 1;
                    continue;
                }
                to = AS_DEST_WORK;
            }
            settle(R, w, g, i, to);
        }
    return pending;
}
