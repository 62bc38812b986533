/*
 * test_labor.c - io/csv and io/labor against the real data files in data/
 * (values read off the CSVs by hand) and against small broken files.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "csvtab.h"
#include "labor.h"

#define DATA AS_SOURCE_DIR "/data/"
#define DEMAND DATA "bls_ep_occupations_2024_34.csv"
#define CROSSWALK DATA "nces_cip2020_soc2018_crosswalk.csv"
#define SOC_EP DATA "soc2018_to_ep_code.csv"

static char tmpdir[64];

/* Writes text to tmpdir/name and returns the path (static buffer per slot). */
static const char *write_tmp(const char *name, const char *text)
{
    static char paths[4][128];
    static int slot;
    char *path = paths[slot++ % 4];
    snprintf(path, 128, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return path;
}

static void remove_tmp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    unlink(path);
}

/* ---- the national tables ---------------------------------------------- */

static int load_national(void **state)
{
    as_error err;
    as_error_clear(&err);
    as_labor *labor = NULL;
    if (as_labor_load(DEMAND, CROSSWALK, SOC_EP, &labor, &err) != AS_OK) {
        fprintf(stderr, "%s\n", err.text);
        return -1;
    }
    *state = labor;
    return 0;
}

static int free_national(void **state)
{
    as_labor_free(*state);
    return 0;
}

static const as_occupation *occupation(const as_labor *labor, const char *soc)
{
    long i = as_labor_find_soc(labor, soc);
    assert_true(i >= 0);
    return &labor->occupations[i];
}

static void test_national_counts(void **state)
{
    const as_labor *labor = *state;
    assert_int_equal(labor->n_occupations, 832);        /* occ_type=detail rows */
    assert_int_equal(labor->n_soc_links, 867);          /* rows of the map */
    assert_int_equal(labor->n_links_absent, 0);         /* the map is complete */
    assert_int_equal(labor->n_cips, 2142);              /* distinct real CIPs */
    assert_int_equal(labor->cip_first[labor->n_cips], 5648); /* deduplicated pairs */
    for (size_t i = 1; i < labor->n_occupations; i++)
        assert_true(strcmp(labor->occupations[i - 1].soc, labor->occupations[i].soc) < 0);
}

/* Rows copied from bls_ep_occupations_2024_34.csv (thousands, dollars). */
static const struct {
    const char *soc, *title;
    double emp_2024_k, emp_2034_k, openings_k, exits_k, transfers_k, wage;
    int education;
} national_rows[] = {
    { "47-2111", "Electricians", 818.7, 896.1, 81.0, 27.0, 46.2, 62350, 7 },
    { "31-1120", "Home health and personal care aides", 4347.7, 5087.5, 765.8, 403.9, 288.0, 34900, 7 },
    { "29-1141", "Registered nurses", 3391.0, 3557.1, 189.1, 97.9, 74.6, 93600, 3 },
    { "49-9097", "Signal and track switch repairers", 8.7, 8.8, 0.8, 0.4, 0.5, 83600, 7 },
};

static void test_national_values(void **state)
{
    const as_labor *labor = *state;
    for (size_t i = 0; i < sizeof national_rows / sizeof national_rows[0]; i++) {
        const as_occupation *o = occupation(labor, national_rows[i].soc);
        assert_string_equal(o->soc, national_rows[i].soc);
        assert_string_equal(o->title, national_rows[i].title);
        assert_true(o->employment_base == 1000 * national_rows[i].emp_2024_k);
        assert_true(o->employment_proj == 1000 * national_rows[i].emp_2034_k);
        assert_true(o->openings == 1000 * national_rows[i].openings_k);
        assert_true(o->exits == 1000 * national_rows[i].exits_k);
        assert_true(o->transfers == 1000 * national_rows[i].transfers_k);
        assert_true(o->median_wage == national_rows[i].wage);
        assert_int_equal(o->entry_education, national_rows[i].education);
    }
    assert_true(occupation(labor, "47-2111")->openings == 81000.0);
    /* Actors: no published median wage. */
    assert_true(isnan(occupation(labor, "27-2011")->median_wage));
}

static void test_national_openings_sum(void **state)
{
    const as_labor *labor = *state;
    double sum = 0;
    for (size_t i = 0; i < labor->n_occupations; i++)
        sum += labor->occupations[i].openings;
    /* awk over the detail rows: 18861.6 thousand (the 00-0000 total row says
     * 18863.3: BLS rounds each row, so summary rows must not be summed). */
    assert_true(fabs(sum - 18861600.0) < 1e-3);
}

static void test_find_soc(void **state)
{
    const as_labor *labor = *state;
    static const struct { const char *soc, *ep; } cases[] = {
        { "47-2111", "47-2111" },  /* same */
        { "31-1120", "31-1120" },  /* an EP aggregate by its own code */
        { "31-1121", "31-1120" },  /* SOC merged into the aggregate */
        { "31-1122", "31-1120" },
        { "25-9043", "25-9045" },
        { "55-1011", NULL },       /* military: not projected */
        { "00-0000", NULL },       /* summary row: not kept */
        { "47-2000", NULL },
        { "99-9999", NULL },
        { "47-2111 ", NULL },
        { "", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long index = as_labor_find_soc(labor, cases[i].soc);
        if (cases[i].ep) {
            assert_true(index >= 0);
            assert_string_equal(labor->occupations[index].soc, cases[i].ep);
        } else {
            assert_int_equal(index, -1);
        }
    }
    assert_int_equal(as_labor_find_soc(NULL, "47-2111"), -1);
    assert_int_equal(as_labor_find_soc(labor, NULL), -1);
}

/* Each CIP with the EP codes it must reach (crosswalk rows joined by hand). */
static void test_cip_occupations(void **state)
{
    const as_labor *labor = *state;
    static const struct { const char *cip; size_t n; const char *eps[4]; } cases[] = {
        { "46.0302", 4, { "47-1011", "47-2111", "49-2098", "49-9097" } },
        /* 31-1121 and 31-1122 both become 31-1120: one entry, not two. */
        { "51.2602", 1, { "31-1120" } },
        /* 25-9042 and 25-9043 both become 25-9045. */
        { "13.0101", 2, { "25-1081", "25-9045" } },
        { "01.0508", 0, { NULL } },  /* NO MATCH only: known, no occupation */
        { "28.0503", 0, { NULL } },  /* military only */
        { "99.9999", 0, { NULL } },  /* NO MATCH rows are skipped */
        { "46.03", 0, { NULL } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const size_t *occ = NULL;
        size_t n = as_labor_cip_occupations(labor, cases[i].cip, &occ);
        assert_int_equal(n, cases[i].n);
        if (n == 0)
            assert_null(occ);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(labor->occupations[occ[k]].soc, cases[i].eps[k]);
    }
    assert_true(as_labor_cip_known(labor, "46.0302"));
    assert_true(as_labor_cip_known(labor, "01.0508"));
    assert_true(as_labor_cip_known(labor, "28.0503"));
    assert_false(as_labor_cip_known(labor, "99.9999"));
    assert_false(as_labor_cip_known(labor, "46.03"));
    assert_false(as_labor_cip_known(NULL, "46.0302"));
    assert_int_equal(as_labor_cip_occupations(labor, "46.0302", NULL), 4);
}

/* The index invariant: CIPs strictly ascending, each list strictly
 * ascending (so deduplicated) and inside the occupation table. */
static void test_cip_index_invariant(void **state)
{
    const as_labor *labor = *state;
    for (size_t c = 0; c < labor->n_cips; c++) {
        if (c > 0)
            assert_true(strcmp(labor->cips[c - 1], labor->cips[c]) < 0);
        assert_true(labor->cip_first[c] <= labor->cip_first[c + 1]);
        for (size_t k = labor->cip_first[c]; k < labor->cip_first[c + 1]; k++) {
            assert_true(labor->cip_occ[k] < labor->n_occupations);
            if (k > labor->cip_first[c])
                assert_true(labor->cip_occ[k - 1] < labor->cip_occ[k]);
        }
    }
}

/* ---- small files ------------------------------------------------------- */

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/as_test_labor_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

static void test_csv_quoting_and_lines(void **state)
{
    (void)state;
    const char *path = write_tmp("quoted.csv",
                                 "\xEF\xBB\xBF" "code,title,note\n"         /* 1, with a BOM */
                                 "a,\"one, two\",\"say \"\"hi\"\"\"\n"     /* 2 */
                                 "\n"                                       /* 3: blank */
                                 "b,\"first line\nsecond line\",x\r\n"      /* 4-5, CRLF */
                                 " c ,,\"\"\n"                              /* 6 */
                                 "d,last,no newline");                      /* 7 */
    as_error err;
    as_error_clear(&err);
    as_csv *csv = NULL;
    assert_int_equal(as_csv_read(path, &csv, &err), AS_OK);
    assert_int_equal(csv->n_columns, 3);
    assert_string_equal(csv->header[0], "code");
    assert_int_equal(as_csv_column(csv, "note"), 2);
    assert_int_equal(as_csv_column(csv, "missing"), -1);
    assert_int_equal(csv->n_rows, 4);
    static const struct { size_t line; const char *fields[3]; } rows[] = {
        { 2, { "a", "one, two", "say \"hi\"" } },
        { 4, { "b", "first line\nsecond line", "x" } },
        { 6, { "c", "", "" } },
        { 7, { "d", "last", "no newline" } },
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(csv->rows[i].line, rows[i].line);
        for (size_t k = 0; k < 3; k++)
            assert_string_equal(csv->rows[i].fields[k], rows[i].fields[k]);
    }
    double value = 0;
    assert_int_equal(as_csv_number(csv, &csv->rows[2], 1, 1, &value, &err), AS_OK);
    assert_true(isnan(value));
    assert_int_equal(as_csv_number(csv, &csv->rows[2], 1, 0, &value, &err), AS_EINPUT);
    assert_non_null(strstr(err.text, "quoted.csv:6: column 'title': empty"));
    as_csv_free(csv);
    as_csv_free(NULL);
    remove_tmp("quoted.csv");
}

/* A consistent trio of small files; the cases below break one of them. */
static const char good_demand[] =
    "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
    "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024,entry_education_code\n"
    "00-0000,\"Total, all occupations\",summary,3.0,3.3,0.6,0.2,0.3,50000,\n"
    "31-1120,Home health and personal care aides,detail,1.0,1.2,0.3,0.1,0.1,34900,7\n"
    "47-2111,Electricians,detail,2.0,2.1,0.3,0.1,0.2,,7\n";
static const char good_map[] =
    "soc2018_code,soc2018_title,ep_code,ep_title,match\n"
    "31-1121,Home Health Aides,31-1120,aides,ep_aggregate\n"
    "31-1122,Personal Care Aides,31-1120,aides,ep_aggregate\n"
    "47-2111,Electricians,47-2111,Electricians,same\n"
    "55-1011,Air Crew Officers,,,military_not_in_ep\n";
static const char good_crosswalk[] =
    "cip2020_code,cip2020_title,soc2018_code,soc2018_title\n"
    "46.0302,Electrician.,47-2111,Electricians\n"
    "51.2602,Home Health Aide.,31-1121,Home Health Aides\n"
    "51.2602,Home Health Aide.,31-1122,Personal Care Aides\n"
    "01.0508,Taxidermy.,99-9999,NO MATCH\n"
    "99.9999,NO MATCH,55-1011,Air Crew Officers\n";

static void test_small_tables(void **state)
{
    (void)state;
    as_error err;
    as_error_clear(&err);
    as_labor *labor = NULL;
    const char *demand = write_tmp("demand.csv", good_demand);
    const char *crosswalk = write_tmp("crosswalk.csv", good_crosswalk);
    const char *map = write_tmp("map.csv", good_map);
    assert_int_equal(as_labor_load(demand, crosswalk, map, &labor, &err), AS_OK);
    assert_int_equal(labor->n_occupations, 2);
    assert_true(isnan(occupation(labor, "47-2111")->median_wage));
    assert_true(occupation(labor, "31-1121")->openings == 300.0);
    assert_int_equal(labor->n_cips, 3);
    const size_t *occ;
    assert_int_equal(as_labor_cip_occupations(labor, "51.2602", &occ), 1);
    assert_string_equal(labor->occupations[occ[0]].soc, "31-1120");
    as_labor_free(labor);

    /* A regional table: no occ_type column, no aides.  Map rows that point
     * at 31-1120 are skipped (counted), and so are the CIP pairs. */
    demand = write_tmp("demand.csv",
                       "soc_code,title,emp_2024_k,emp_2034_k,openings_annual_k,"
                       "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
                       "47-2111,Electricians,2.0,2.1,0.3,0.1,0.2,62350\n");
    assert_int_equal(as_labor_load(demand, crosswalk, map, &labor, &err), AS_OK);
    assert_int_equal(err.code, AS_OK);
    assert_int_equal(labor->n_occupations, 1);
    assert_int_equal(labor->n_links_absent, 2);
    assert_int_equal(labor->occupations[0].entry_education, 0);
    assert_int_equal(as_labor_find_soc(labor, "31-1121"), -1);
    assert_true(as_labor_cip_known(labor, "51.2602"));
    assert_int_equal(as_labor_cip_occupations(labor, "51.2602", &occ), 0);
    assert_int_equal(as_labor_cip_occupations(labor, "46.0302", &occ), 1);
    as_labor_free(labor);
    as_labor_free(NULL);
    remove_tmp("demand.csv");
    remove_tmp("crosswalk.csv");
    remove_tmp("map.csv");
}

#define NO_FILE "\x01"  /* a case's file that is not written at all */

static const struct broken {
    const char *name;
    const char *demand, *crosswalk, *map;  /* NULL: the good one */
    const char *where, *what;              /* both must be in the message */
} broken[] = {
    { "missing column", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "47-2111,Electricians,detail,2.0,2.1,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:1: ", "missing column 'openings_annual_k'" },
    { "malformed number", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "31-1120,Aides,detail,1.0,1.2,0.3,0.1,0.1,34900\n"
      "47-2111,Electricians,detail,2.0,2.1,0.3x,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:3: ", "malformed number (got '0.3x'" },
    { "line after a quoted newline", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "31-1120,\"Aides,\nhome\",detail,1.0,1.2,0.3,0.1,0.1,34900\n"
      "47-2111,Electricians,detail,2.0,2.1,0.3,0.1,0.2,lots\n", NULL, NULL,
      "demand.csv:4: ", "column 'median_wage_2024'" },
    { "negative count", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "47-2111,Electricians,detail,2.0,2.1,-0.3,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:2: ", "negative" },
    { "non-existent file", NO_FILE, NULL, NULL, "demand.csv: ", "cannot open: No such file" },
    { "empty file", "", NULL, NULL, "demand.csv: ", "empty file" },
    { "malformed soc", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "47-211,Electricians,detail,2.0,2.1,0.3,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:2: ", "expected NN-NNNN" },
    { "unknown occ_type", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "47-2111,Electricians,Detail,2.0,2.1,0.3,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:2: ", "expected detail or summary" },
    { "duplicate soc", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "47-2111,Electricians,detail,2.0,2.1,0.3,0.1,0.2,62350\n"
      "47-2111,Electricians,detail,2.0,2.1,0.3,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv:3: ", "duplicate soc_code 47-2111 (also on line 2)" },
    { "education code", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024,entry_education_code\n"
      "47-2111,Electricians,detail,2.0,2.1,0.3,0.1,0.2,62350,9\n", NULL, NULL,
      "demand.csv:2: ", "expected 1..8" },
    { "no detail rows", "soc_code,title,occ_type,emp_2024_k,emp_2034_k,openings_annual_k,"
      "labor_force_exits_annual_k,occ_transfers_annual_k,median_wage_2024\n"
      "00-0000,Total,summary,2.0,2.1,0.3,0.1,0.2,62350\n", NULL, NULL,
      "demand.csv: ", "no detail occupations" },
    { "unterminated quote", "soc_code,title\n47-2111,\"Electricians\n", NULL, NULL,
      "demand.csv:2: ", "quoted field not closed" },
    { "stray quote", "soc_code,title\n47-2111,Elec\"tricians\n", NULL, NULL,
      "demand.csv:2: ", "malformed CSV" },
    { "crosswalk SOC not in map", NULL,
      "cip2020_code,cip2020_title,soc2018_code,soc2018_title\n"
      "46.0302,Electrician.,47-2111,Electricians\n"
      "46.0302,Electrician.,47-1011,Supervisors\n", NULL,
      "crosswalk.csv:3: ", "soc2018_code 47-1011 is not in" },
    { "crosswalk field count", NULL,
      "cip2020_code,cip2020_title,soc2018_code,soc2018_title\n"
      "46.0302,Electrician.,47-2111\n", NULL,
      "crosswalk.csv:2: ", "3 fields, expected 4" },
    { "malformed cip", NULL,
      "cip2020_code,cip2020_title,soc2018_code,soc2018_title\n"
      "46.302,Electrician.,47-2111,Electricians\n", NULL,
      "crosswalk.csv:2: ", "expected NN.NNNN" },
    { "crosswalk missing", NULL, NO_FILE, NULL, "crosswalk.csv: ", "cannot open" },
    { "unknown match", NULL, NULL,
      "soc2018_code,soc2018_title,ep_code,ep_title,match\n"
      "47-2111,Electricians,47-2111,Electricians,similar\n",
      "map.csv:2: ", "column 'match': got 'similar'" },
    { "malformed ep_code", NULL, NULL,
      "soc2018_code,soc2018_title,ep_code,ep_title,match\n"
      "47-2111,Electricians,47-2111,Electricians,same\n"
      "31-1121,Home Health Aides,31-112,aides,ep_aggregate\n",
      "map.csv:3: ", "column 'ep_code': malformed code (got '31-112'" },
    { "same but different", NULL, NULL,
      "soc2018_code,soc2018_title,ep_code,ep_title,match\n"
      "47-2111,Electricians,47-2112,Electricians,same\n",
      "map.csv:2: ", "differs" },
    { "duplicate map soc", NULL, NULL,
      "soc2018_code,soc2018_title,ep_code,ep_title,match\n"
      "47-2111,Electricians,47-2111,Electricians,same\n"
      "47-2111,Electricians,47-2111,Electricians,same\n",
      "map.csv:3: ", "duplicate soc2018_code" },
    { "map missing column", NULL, NULL,
      "soc2018_code,soc2018_title,ep_code,ep_title\n"
      "47-2111,Electricians,47-2111,Electricians\n",
      "map.csv:1: ", "missing column 'match'" },
};

static const char *write_or_skip(const char *name, const char *text, const char *good)
{
    if (text && strcmp(text, NO_FILE) == 0) {
        static char path[128];
        snprintf(path, sizeof path, "%s/%s", tmpdir, name);
        return path;
    }
    return write_tmp(name, text ? text : good);
}

static void test_broken_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        const struct broken *b = &broken[i];
        const char *demand = write_or_skip("demand.csv", b->demand, good_demand);
        const char *crosswalk = write_or_skip("crosswalk.csv", b->crosswalk, good_crosswalk);
        const char *map = write_or_skip("map.csv", b->map, good_map);
        as_error err;
        as_error_clear(&err);
        static as_labor sentinel;
        as_labor *labor = &sentinel;  /* the loader must reset it to NULL */
        int status = as_labor_load(demand, crosswalk, map, &labor, &err);
        if (status != AS_EINPUT || !strstr(err.text, b->where) || !strstr(err.text, b->what))
            fail_msg("case '%s': status %d, message '%s'", b->name, status, err.text);
        assert_null(labor);
        assert_int_equal(err.code, AS_EINPUT);
        remove_tmp("demand.csv");
        remove_tmp("crosswalk.csv");
        remove_tmp("map.csv");
    }
}

int main(void)
{
    const struct CMUnitTest national[] = {
        cmocka_unit_test(test_national_counts),
        cmocka_unit_test(test_national_values),
        cmocka_unit_test(test_national_openings_sum),
        cmocka_unit_test(test_find_soc),
        cmocka_unit_test(test_cip_occupations),
        cmocka_unit_test(test_cip_index_invariant),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_csv_quoting_and_lines),
        cmocka_unit_test(test_small_tables),
        cmocka_unit_test(test_broken_inputs),
    };
    int failed = cmocka_run_group_tests_name("labor_national", national, load_national, free_national);
    failed += cmocka_run_group_tests_name("labor_files", files, make_tmpdir, remove_tmpdir);
    return failed;
}
