/*
 * exits.c - phase B's second half (exits.h): the exits of a chunk's
 * students in school (dropout, retention, promotion, graduation) and the
 * graduates' counts, in a scalar form and, where the processor has
 * AVX-512, one that takes sixteen slots at a time.
 */
#include "exits.h"

#include <assert.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HS_AVX512 1
#endif

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
    v->in_registers = R->req_by_kind != NULL; /* tabled per run (setup_requirements) */
    _Static_assert(REQ_COLUMNS_MAX == 32, "two registers of sixteen columns");
    for (int r = 0; r < REQ_COUNT && v->in_registers; r++) {
        v->lo[r] = _mm512_loadu_si512((const void *)(R->req_by_kind + (size_t)r * REQ_COLUMNS_MAX));
        v->hi[r] = _mm512_loadu_si512((const void *)(R->req_by_kind + (size_t)r * REQ_COLUMNS_MAX + 16));
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
 * and list is exits()'s.  The tally of students in school gets, where a
 * grade's students spread over many cells (R->tally_by_lane), an addition
 * of 1 or 0 per lane, lane j into copy j % TALLY_COPIES of the table (a loop
 * whose trip count is the number of distinct cells among the sixteen varies
 * with the students' programs and subgroup cells, and was mispredicted);
 * else (the toy: a grade's students in two cells) one addition per distinct
 * cell into the first copy.  The graduates graduate here
 * (graduate16_avx512), not after it (as_hs_exits). */
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) static int exits_avx512(run *R, worker *w,
                                                                                   const group *g, size_t i0,
                                                                                   size_t i1, size_t n,
                                                                                   size_t *n_dropped)
{
    chunk_draws *cd = &w->draws;
    const size_t first = g->first, tally_cells = R->tally_cells;
    const int by_lane = R->tally_by_lane;
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
        if (by_lane) { /* lane j to copy j % 4, 1 or 0: no branch on how many cells differ */
            for (unsigned j = 0; j < 16; j++)
                tally[(j % TALLY_COPIES) * tally_cells + cell_of[j]] += (hs >> j) & 1u;
        } else {
            for (__mmask16 m = hs; m;) { /* once per distinct cell among the sixteen */
                uint32_t c = cell_of[__builtin_ctz(m)];
                __mmask16 same = _mm512_mask_cmpeq_epi32_mask(m, cell, _mm512_set1_epi32((int)c));
                tally[c] += (uint32_t)_mm_popcnt_u32(same);
                m &= ~same;
            }
        }
    }
    assert(q == n);
    (void)n;
    *n_dropped = ndrop;
    cd->n_graduates = ngrad;
    return stays_any != 0;
}
#endif

/* The AVX-512 form where the run uses it (R->avx512, as_hs_avx512), which
 * graduates as it goes; else the scalar one, then graduate(). */
int as_hs_exits(run *R, worker *w, const group *g, size_t i0, size_t i1, size_t n)
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
