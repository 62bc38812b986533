/*
 * offers.c - the applications to dual enrollment and work-based learning
 * (offers.h).
 *
 * One pass per kind of offer: the front lists the students who may apply
 * to any offer of the kind, each with a mask of the offers open to him or
 * her (those open in the student's grade and program, and for dual
 * enrollment those whose GPA the student has; for WBL also the program's
 * own partner, of weight 1), the row of weights of the student's subgroup
 * cell, awareness and, for WBL, interest class (fill_offers in
 * hs_tables.c), and the keyed start of the choice (lanes 2 and 3 of the
 * student's AS_S_HS_CHOICE draw, WBL's from its second sequence); their
 * choices are made eight at a time (as_choose_keyed_masked); then the
 * applications of those who chose one.  The front also clears the kind's
 * admissions of last year.  With AVX-512 it takes sixteen slots at a time
 * (offers_front_avx512) and lists the same students with the same values
 * as the scalar form.
 */
#include "offers.h"

#include "choice.h"

/* One kind of offer. */
typedef struct offer_kind {
    int counter;          /* its applicants' counter */
    int lane;             /* the lane of AS_S_LOTTERY that numbers its applicants */
    int kind;             /* enum applicant_kind */
    size_t n;             /* offers */
    const uint64_t *allow, *unit; /* [grade][program+1] (unit: NULL for none) */
    const double *rows;   /* weights, then inverses, by row */
    const uint16_t *slot;
    const double *seats;  /* < 0: unlimited */
    uint8_t *year1;       /* this year's admissions, kept plus one */
} offer_kind;

/* The students a front lists for one kind: their places in the list of
 * phase A (pick), rows of weights, masks of the offers open to them and of
 * those of weight 1 (unit: WBL only), and keyed starts; n of them. */
typedef struct offer_list {
    uint32_t *pick, *row;
    uint64_t *allow, *unit, *start;
    size_t n;
} offer_list;

/* The applications of the n students listed by a front who chose an
 * offer of kind k (cd->choice[q] >= 0): counted, then admitted at once
 * where its seats are unlimited, or else put on its applicant list with a
 * lottery number, the students' AS_S_LOTTERY draws generated together.  A
 * new admission counts from next year whether or not the seats are limited
 * (they are allocated after this step). */
static void apply_offers(run *R, worker *w, const group *g, const offer_list *l, const offer_kind *k)
{
    chunk_draws *cd = &w->draws;
    uint32_t *restrict who = cd->row; /* those who go to the lottery (dual's rows, read by now), */
    int *restrict chose = cd->choice; /* and what they chose (written over what was read) */
    uint32_t *restrict pick = l->pick; /* (also written over what was read) */
    size_t na = 0, nl = 0;
    for (size_t q = 0; q < l->n; q++) { /* those who chose one, listed without a branch on the choices */
        pick[na] = pick[q];
        chose[na] = chose[q];
        na += chose[q] >= 0;
    }
    uint8_t *year1 = k->year1 + g->first;
    for (size_t a = 0; a < na; a++) {
        int choice = chose[a];
        uint32_t i = cd->list[pick[a]];
        count(R, w->count, k->counter, (size_t)choice, 1);
        unsigned limited = k->seats[choice] >= 0;
        if (!limited) /* admitted now; no store over the zero byte of those who are not (entry.c) */
            opt_set(year1, i, (unsigned)choice);
        who[nl] = i;
        chose[nl] = choice;
        nl += limited;
    }
    as_rng_draw_many(R->seed, R->rep, g->cohort, who, nl, (uint32_t)R->year, AS_S_LOTTERY, cd->laneb[0], cd->laneb[1],
                     cd->laneb[2], cd->laneb[3]);
    for (size_t c = 0; c < nl; c++)
        push(w, lottery_key(cd->laneb[k->lane][c]), g, who[c], (size_t)chose[c], 0, k->kind);
}

/* The front of kind k into l (dual: 1 for dual enrollment, with its GPA
 * minimums; 0 for WBL, with its interest classes), one student at a
 * time. */
static void offers_front(run *R, chunk_draws *cd, const group *g, size_t m, const offer_kind *k, int dual,
                         offer_list *l)
{
    state *s = &R->s;
    const size_t first = g->first, cols = R->n_prog + 1, nk = R->n_wbl_class;
    const uint8_t *restrict grade = s->grade + first, *restrict attrs = s->attrs + first;
    const uint8_t *restrict flags = s->flags + first, *restrict interest1 = s->interest1 + first;
    uint32_t *restrict pick = l->pick, *restrict row = l->row;
    uint64_t *restrict allow = l->allow, *restrict unit = l->unit, *restrict start = l->start;
    size_t n = 0;
    for (size_t a = 0; a < m; a++) {
        uint32_t i = cd->list[a];
        if (k->year1[first + i]) /* none yet; no store of a 0 over a 0 (entry.c) */
            k->year1[first + i] = 0;
        size_t at = (size_t)grade[i] * cols + R->pcol_of[cd->held[a]], cell2 = (size_t)attrs[i] * 2 + !(flags[i] & F_AWARE);
        uint64_t open = k->allow[at], st = as_choice_start(cd->lanec[2][a], cd->lanec[3][a]);
        if (dual) {
            double gpa = gpa_of(R->p, s->readiness[first + i]);
            uint64_t has_gpa = 0;
            for (size_t j = 0; j < k->n; j++)
                has_gpa |= (uint64_t)(gpa >= R->dual_gpa_min[j]) << j;
            open &= has_gpa;
        } else {
            cell2 = cell2 * nk + R->wbl_class[interest1[i]];
            unit[n] = k->unit[at];
            st = AS_CHOICE_SECOND(st);
        }
        pick[n] = (uint32_t)a;
        row[n] = (uint32_t)cell2;
        allow[n] = open;
        start[n] = st;
        n += open != 0;
    }
    l->n = n;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define OFFERS_AVX512 1
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,popcnt")))

/* Sixteen slots' bytes as 32-bit lanes, 0 outside `hs`. */
AVX512 static inline __m512i bytes16(__mmask16 hs, const uint8_t *a)
{
    return _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(hs, a));
}

/* The 64-bit lanes of lo (lanes 0-7) and hi (8-15) selected by sel, stored in order at out. */
AVX512 static inline void compress64(uint64_t *out, __mmask16 sel, __m512i lo, __m512i hi)
{
    _mm512_mask_compressstoreu_epi64(out, (__mmask8)sel, lo);
    _mm512_mask_compressstoreu_epi64(out + _mm_popcnt_u32(sel & 0xffu), (__mmask8)(sel >> 8), hi);
}

/* Sixteen 64-bit entries of a table at indices at (lanes 0-7 in at_lo,
 * 8-15 in at_hi), 0 outside `hs`: into *lo and *hi. */
AVX512 static inline void gather16(__mmask16 hs, __m256i at_lo, __m256i at_hi, const uint64_t *table, __m512i *lo,
                                   __m512i *hi)
{
    *lo = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), (__mmask8)hs, at_lo, table, 8);
    *hi = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), (__mmask8)(hs >> 8), at_hi, table, 8);
}

/* Appends to l the lanes whose mask of open offers (open_lo, open_hi) is
 * not 0: place, row, mask and start; returns which lanes it took. */
AVX512 static inline __mmask16 append16(offer_list *l, __m512i pos, __m512i row, __m512i open_lo, __m512i open_hi,
                                        __m512i start_lo, __m512i start_hi)
{
    __mmask16 sel = (__mmask16)(_mm512_test_epi64_mask(open_lo, open_lo) |
                                (unsigned)_mm512_test_epi64_mask(open_hi, open_hi) << 8);
    _mm512_mask_compressstoreu_epi32(l->pick + l->n, sel, pos);
    _mm512_mask_compressstoreu_epi32(l->row + l->n, sel, row);
    compress64(l->allow + l->n, sel, open_lo, open_hi);
    compress64(l->start + l->n, sel, start_lo, start_hi);
    return sel;
}

/* offers_front for both kinds in one pass (k[0] dual enrollment, k[1]
 * WBL, into l[0] and l[1]; a kind without offers is passed over), sixteen
 * slots of the chunk at a time: the bytes of a slot's student loaded in
 * place, the values in list order (held, the draws) expanded to the lanes
 * of the students in school, the listed compressed back into list order.
 * A GPA is gpa_of's (its product and sum rounded each, never fused), then
 * compared with the minimums. */
AVX512 static void offers_front_avx512(run *R, chunk_draws *cd, const group *g, size_t i0, size_t i1,
                                       const offer_kind *k, offer_list *l)
{
    state *s = &R->s;
    const size_t first = g->first;
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i cols = _mm512_set1_epi32((int)R->n_prog + 1), none_col = _mm512_set1_epi32((int)R->n_prog);
    const __m512d mean = _mm512_set1_pd(R->p->school.gpa_mean), per_sd = _mm512_set1_pd(R->p->school.gpa_per_sd);
    const __m512i second = _mm512_set1_epi64((long long)AS_CHOICE_SECOND(0ull));
    const int nk = (int)R->n_wbl_class, dual = k[0].n > 0, wbl = k[1].n > 0;
    size_t a = 0;
    l[0].n = l[1].n = 0;
    for (size_t i = i0; i < i1; i += 16) {
        __mmask16 in = i1 - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (i1 - i)) - 1);
        __mmask16 hs = _mm_mask_cmpeq_epi8_mask(in, _mm_maskz_loadu_epi8(in, s->status + first + i),
                                                _mm_set1_epi8(ST_HS));
        unsigned cnt = (unsigned)_mm_popcnt_u32(hs);
        if (cnt == 0)
            continue;
        for (int kind = 0; kind < 2; kind++) {
            if (k[kind].n == 0)
                continue;
            __m128i y = _mm_maskz_loadu_epi8(hs, k[kind].year1 + first + i);
            __mmask16 set = _mm_mask_test_epi8_mask(hs, y, y);
            if (set) /* none yet; no store of a 0 over a 0 */
                _mm_mask_storeu_epi8(k[kind].year1 + first + i, set, _mm_setzero_si128());
        }
        __mmask16 mine = (__mmask16)((1u << cnt) - 1); /* the block's students' places in list order */
        __m512i held = _mm512_maskz_expand_epi32(hs, _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mine, cd->held + a)));
        __m512i at = _mm512_add_epi32(_mm512_mullo_epi32(bytes16(hs, s->grade + first + i), cols),
                                      _mm512_min_epu32(held, none_col));
        __mmask16 unaware = _mm512_mask_testn_epi32_mask(hs, bytes16(hs, s->flags + first + i), _mm512_set1_epi32(F_AWARE));
        __m512i attrs2 = _mm512_slli_epi32(bytes16(hs, s->attrs + first + i), 1);
        __m512i row = _mm512_mask_add_epi32(attrs2, unaware, attrs2, _mm512_set1_epi32(1));
        __m512i pos = _mm512_maskz_expand_epi32(hs, _mm512_add_epi32(_mm512_set1_epi32((int)a), iota));
        __m512i l2 = _mm512_maskz_expandloadu_epi32(hs, cd->lanec[2] + a);
        __m512i l3 = _mm512_maskz_expandloadu_epi32(hs, cd->lanec[3] + a);
        __m512i start_lo = _mm512_or_si512(_mm512_slli_epi64(_mm512_cvtepu32_epi64(_mm512_castsi512_si256(l2)), 32),
                                           _mm512_cvtepu32_epi64(_mm512_castsi512_si256(l3)));
        __m512i start_hi = _mm512_or_si512(_mm512_slli_epi64(_mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(l2, 1)), 32),
                                           _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(l3, 1)));
        __m256i at_lo = _mm512_castsi512_si256(at), at_hi = _mm512_extracti64x4_epi64(at, 1);
        if (dual) {
            __m512i open_lo, open_hi;
            gather16(hs, at_lo, at_hi, k[0].allow, &open_lo, &open_hi);
            __m512 rd = _mm512_maskz_loadu_ps(hs, s->readiness + first + i);
            __m512d r_lo = _mm512_cvtps_pd(_mm512_castps512_ps256(rd));
            __m512d r_hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(rd), 1)));
#define NEAREST (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC) /* an immediate, also at -O0 */
            __m512d g_lo = _mm512_add_round_pd(mean, _mm512_mul_round_pd(per_sd, r_lo, NEAREST), NEAREST);
            __m512d g_hi = _mm512_add_round_pd(mean, _mm512_mul_round_pd(per_sd, r_hi, NEAREST), NEAREST);
#undef NEAREST
            g_lo = _mm512_min_pd(_mm512_max_pd(g_lo, _mm512_setzero_pd()), _mm512_set1_pd(4));
            g_hi = _mm512_min_pd(_mm512_max_pd(g_hi, _mm512_setzero_pd()), _mm512_set1_pd(4));
            __m512i has_lo = _mm512_setzero_si512(), has_hi = _mm512_setzero_si512();
            for (size_t j = 0; j < k[0].n; j++) {
                __m512d least = _mm512_set1_pd(R->dual_gpa_min[j]);
                __m512i bit = _mm512_set1_epi64((long long)(1ull << j));
                has_lo = _mm512_mask_or_epi64(has_lo, _mm512_cmp_pd_mask(g_lo, least, _CMP_GE_OQ), has_lo, bit);
                has_hi = _mm512_mask_or_epi64(has_hi, _mm512_cmp_pd_mask(g_hi, least, _CMP_GE_OQ), has_hi, bit);
            }
            __mmask16 sel = append16(&l[0], pos, row, _mm512_and_si512(open_lo, has_lo),
                                     _mm512_and_si512(open_hi, has_hi), start_lo, start_hi);
            l[0].n += (size_t)_mm_popcnt_u32(sel);
        }
        if (wbl) {
            __m512i open_lo, open_hi, unit_lo, unit_hi;
            gather16(hs, at_lo, at_hi, k[1].allow, &open_lo, &open_hi);
            gather16(hs, at_lo, at_hi, k[1].unit, &unit_lo, &unit_hi);
            __m512i interest = bytes16(hs, s->interest1 + first + i); /* wbl_class has 3 bytes to spare */
            __m512i cls = _mm512_and_si512(_mm512_i32gather_epi32(interest, (const void *)R->wbl_class, 1),
                                           _mm512_set1_epi32(0xff));
            __m512i wrow = _mm512_add_epi32(_mm512_mullo_epi32(row, _mm512_set1_epi32(nk)), cls);
            __mmask16 sel = append16(&l[1], pos, wrow, open_lo, open_hi, _mm512_add_epi64(start_lo, second),
                                     _mm512_add_epi64(start_hi, second));
            compress64(l[1].unit + l[1].n, sel, unit_lo, unit_hi);
            l[1].n += (size_t)_mm_popcnt_u32(sel);
        }
        a += cnt;
    }
}
#endif

void as_hs_offers(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t m)
{
    chunk_draws *cd = &w->draws;
    const as_params *p = R->p;
    state *s = &R->s;
    const offer_kind kinds[2] = {
        {AS_V_DUAL_APPLICANTS, 1, A_DUAL, p->dual_enrollment.n, R->dual_allow, NULL, R->dual_rows, R->dual_slot,
         R->dual_seats, s->year_dual1},
        {AS_V_WBL_APPLICANTS, 2, A_WBL, p->wbl.n, R->wbl_allow, R->wbl_unit, R->wbl_rows, R->wbl_slot, R->wbl_slots,
         s->year_wbl1}};
    offer_list lists[2] = {{cd->chooser, cd->row, cd->allow, NULL, cd->start, 0},
                           {cd->wbl_pick, cd->wbl_row, cd->wbl_allow, cd->unit, cd->wbl_start, 0}};
#ifdef OFFERS_AVX512
    if (R->avx512)
        offers_front_avx512(R, cd, g, i0, i1, kinds, lists);
    else
#endif
        for (int kind = 0; kind < 2; kind++)
            if (kinds[kind].n)
                offers_front(R, cd, g, m, &kinds[kind], kind == 0, &lists[kind]);
    for (int kind = 0; kind < 2; kind++) {
        const offer_kind *k = &kinds[kind];
        const offer_list *l = &lists[kind];
        if (k->n == 0)
            continue;
        as_choose_keyed_masked(R->avx512 ? AS_CHOICE_BEST : AS_CHOICE_SCALAR, k->rows, k->rows + k->n, 2 * k->n, l->row,
                               l->allow, l->unit, k->slot, k->n, 1, l->start, l->n, cd->choice);
        apply_offers(R, w, g, l, k);
    }
}
