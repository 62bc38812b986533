/*
 * test_workcount.c - the counts of keyed work that a build with
 * -DALIGNSIM_COUNT_WORK=ON reports (model/workcount.h; bench/work.sh):
 * model/rng.c and model/choice.c compiled here with AS_COUNT_WORK, so that
 * every build's tests check what bench/work.sh would count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "choice.h"
#include "rng.h"

static void reset(void)
{
    for (int k = 0; k < AS_W_COUNT; k++)
        as_work[k] = 0;
}

/* Blocks: n from as_rng_draw_many whatever n's remainder by the vector
 * width, one per as_rng_draw. */
static void test_blocks(void **state)
{
    (void)state;
    static uint32_t who[1000], lane[4][1000];
    for (uint32_t i = 0; i < 1000; i++)
        who[i] = i;
    reset();
    as_rng_draw_many(7, 0, 1, who, 1000, 2, AS_S_YEAR, lane[0], lane[1], lane[2], lane[3]);
    as_rng_draw_many(7, 0, 1, who, 13, 2, AS_S_YEAR, lane[0], lane[1], lane[2], lane[3]);
    assert_int_equal(as_work[AS_W_BLOCKS_MANY], 1013);
    for (int t = 0; t < 5; t++)
        (void)as_rng_draw(7, 0, 1, (uint32_t)t, 2, AS_S_YEAR);
    assert_int_equal(as_work[AS_W_BLOCKS_ONE], 5);
    assert_int_equal(as_work[AS_W_CHOICES], 0);
}

/* Choices: one per choice, n alternatives each, eight at a time or one at
 * a time; a choice the vector bounds leave undecided counts once (the
 * exact path is not counted); a masked choice counts its open
 * alternatives. */
static void test_choices(void **state)
{
    (void)state;
    enum { M = 203, N = 5 };
    const double w[N] = {0.1, 0.2, 0.05, 0.3, 0.15};
    const uint16_t slot[N] = {1, 2, 3, 4, 5};
    uint64_t start[M], allow[M];
    uint32_t row[M];
    int out[M];
    double r[N], total = 0;
    for (int i = 0; i < N; i++)
        r[i] = 1 / w[i], total += w[i];
    for (int q = 0; q < M; q++) {
        as_draw d = as_rng_draw(3, 0, 0, (uint32_t)q, 0, AS_S_HS_CHOICE);
        start[q] = as_choice_start(d.lane[0], d.lane[1]);
        row[q] = 0;
        allow[q] = q % 3 == 0 ? 0x1 : q % 3 == 1 ? 0x6 : 0x1f; /* 1, 2 and 5 open */
    }
    const as_choice_isa isas[] = {AS_CHOICE_SCALAR, AS_CHOICE_AVX512};
    for (size_t v = 0; v < 2; v++) {
        reset();
        if (as_choose_keyed_many(isas[v], w, r, total, slot, N, 1, start, M, out) != 0)
            continue; /* the processor lacks it */
        assert_int_equal(as_work[AS_W_CHOICES], M);
        assert_int_equal(as_work[AS_W_ALTERNATIVES], M * N);
        reset();
        assert_int_equal(as_choose_keyed_masked(isas[v], w, r, 0, row, allow, NULL, slot, N, 1, start, M, out), 0);
        assert_int_equal(as_work[AS_W_CHOICES], M);
        assert_int_equal(as_work[AS_W_ALTERNATIVES], 68 * 1 + 68 * 2 + 67 * 5);
    }
    reset();
    (void)as_choose_keyed(w, slot, N, 1, start[0]);
    (void)as_choose_keyed_tabled(w, r, total, slot, N, 1, start[1]);
    assert_int_equal(as_work[AS_W_CHOICES], 2);
    assert_int_equal(as_work[AS_W_ALTERNATIVES], 2 * N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_choices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
