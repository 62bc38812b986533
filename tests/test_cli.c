/*
 * test_cli.c - the alignsim command end to end: a run writes a results file
 * the project's reader loads with the right values; bad input gives one clear
 * line naming the file and JSON path, exit status 2, and no output file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "h5results.h"

static char dir[256];

/* Runs alignsim with args (shell words); captures stdout and stderr. */
static int alignsim(const char *args, char *out, size_t n_out, char *err, size_t n_err)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd %s && '%s' %s >stdout.txt 2>stderr.txt", dir, AS_ALIGNSIM, args);
    int status = system(cmd);
    char path[512];
    char *bufs[2] = {out, err};
    size_t sizes[2] = {n_out, n_err};
    const char *names[2] = {"stdout.txt", "stderr.txt"};
    for (int i = 0; i < 2; i++) {
        if (!bufs[i])
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        size_t got = f ? fread(bufs[i], 1, sizes[i] - 1, f) : 0;
        bufs[i][got] = '\0';
        if (f)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static const char *toy =
    "{\"name\": \"toy\", \"years\": 13, \"cohort_years\": 10, \"cohort_size\": 2000, \"replications\": 3,\n"
    " \"school\": {\"dropout\": 0.05, \"retention\": 0, \"graduation\": 1, \"readiness_sd\": 0},\n"
    " \"programs\": {\"cte\": {\"type\": \"cte\", \"entry_grade_min\": 10, \"entry_grade_max\": 10,\n"
    "   \"apply_rate\": 0.3, \"credential\": \"cert\",\n"
    "   \"requirements\": {\"hours\": 0, \"credential\": false, \"wbl\": false}}},\n"
    " \"effects\": {\"pathway_dropout\": 0},\n" /* the closed form below is the model without it */
    " \"credentials\": {\"cert\": {\"cip\": \"11.0901\", \"grade_min\": 12, \"pass_rate\": 0.6}}}\n";

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/alignsim-cli-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_file("toy.json", toy);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static void test_run_writes_readable_results(void **state)
{
    (void)state;
    char out[8192], err[8192];
    assert_int_equal(alignsim("run toy.json -o toy.h5 --threads 2", out, sizeof out, err, sizeof err), 0);
    assert_non_null(strstr(out, "results: toy.h5"));
    as_results r;
    as_error e;
    as_error_clear(&e);
    char path[512], *json = NULL;
    snprintf(path, sizeof path, "%s/toy.h5", dir);
    assert_int_equal(as_h5_read(path, &r, &json, &e), AS_OK);
    assert_int_equal(r.replications, 3);
    assert_int_equal(r.years, 13);
    assert_int_equal(r.seed, 1);
    assert_string_equal(r.dims[AS_D_PATHWAY].labels[0], "cte");
    assert_string_equal(r.dims[AS_D_PATHWAY].labels[1], "none");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"cohort_size\""));
    /* flows balance: every entrant is in school, dropped out or graduated */
    size_t G = r.dims[AS_D_SUBGROUP].len;
    for (int q = 0; q < r.replications; q++) {
        double entrants = 0, drop = 0, grads = 0;
        for (int t = 0; t < r.years; t++) {
            entrants += as_results_at(&r, AS_V_ENTRANTS, q, t)[0];
            drop += as_results_at(&r, AS_V_DROPOUTS, q, t)[0];
            for (size_t j = 0; j < 2; j++)
                grads += as_results_at(&r, AS_V_GRADUATES, q, t)[j * G];
        }
        assert_true(entrants == 20000);
        assert_true(drop + grads == entrants); /* all cohorts are out by year 13 */
        double expected = 20000 * 0.95 * 0.95 * 0.95 * 0.95; /* 16290 graduates */
        assert_true(grads > expected - 4 * sqrt(20000 * 0.8145 * 0.1855));
        assert_true(grads < expected + 4 * sqrt(20000 * 0.8145 * 0.1855));
    }
    free(json);
    as_results_free(&r);
}

static void test_threads_do_not_change_results(void **state)
{
    (void)state;
    assert_int_equal(alignsim("run toy.json -o one.h5 --threads 1 --quiet", NULL, 0, NULL, 0), 0);
    assert_int_equal(alignsim("run toy.json -o two.h5 --threads 2 --quiet", NULL, 0, NULL, 0), 0);
    as_results a, b;
    as_error e;
    as_error_clear(&e);
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/one.h5", dir);
    snprintf(pb, sizeof pb, "%s/two.h5", dir);
    assert_int_equal(as_h5_read(pa, &a, NULL, &e), AS_OK);
    assert_int_equal(as_h5_read(pb, &b, NULL, &e), AS_OK);
    assert_int_equal(a.slab, b.slab);
    assert_memory_equal(a.values, b.values, (size_t)a.replications * (size_t)a.years * a.slab * sizeof(double));
    as_results_free(&a);
    as_results_free(&b);
}

/* Bad input: one line per problem naming file and JSON path, status 2, no file. */
static const struct bad_case {
    const char *name;
    const char *json;      /* NULL: the file does not exist */
    const char *expected;  /* a fragment of stderr */
    const char *other_name, *other_json; /* a second file (a base to extend), or NULL */
} bad_cases[] = {
    {"missing.json", NULL, "missing.json: cannot open", NULL, NULL},
    {"malformed.json", "{\"name\": \"x\",\n \"years\": 3,,\n}", "malformed.json:2:", NULL, NULL},
    {"wrong-type.json", "{\"name\": \"x\", \"cohort_size\": \"many\"}",
     "wrong-type.json: cohort_size: expected a number in [0, 1e+09] (got \"many\")", NULL, NULL},
    {"unknown-key.json", "{\"name\": \"x\", \"cohort_size\": 10, \"cohort_sise\": 10}",
     "unknown-key.json: cohort_sise: unknown key", NULL, NULL},
    {"out-of-range.json", "{\"name\": \"x\", \"cohort_size\": 10, \"school\": {\"dropout\": 1.5}}",
     "out-of-range.json: school.dropout: out of range (got 1.5, expected a number in [0, 1]", NULL, NULL},
    {"dangling.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"programs\": {\"p\": {\"type\": \"cte\", \"apply_rate\": 0.1, "
     "\"credential\": \"nope\", \"requirements\": {\"wbl\": false}}}}",
     "dangling.json: programs.p.credential: \"nope\" is not an item of \"credentials\"", NULL, NULL},
    {"cycle-a.json", "{\"extends\": \"cycle-b.json\", \"name\": \"a\"}", "extends: cycle",
     "cycle-b.json", "{\"extends\": \"cycle-a.json\", \"name\": \"b\"}"},
    {"climb.json", "{\"extends\": \"../no-such-folder/base.json\", \"name\": \"x\"}",
     "no-such-folder/base.json: cannot open", NULL, NULL},
    {"no-base.json", "{\"extends\": \"absent.json\", \"name\": \"x\"}", "absent.json: cannot open", NULL, NULL},
    {"huge.json", "{\"name\": \"x\", \"cohort_size\": 900000000, \"years\": 60}",
     "huge.json: cohort_size: the run would need about", NULL, NULL},
    {"bad-cip.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"credentials\": {\"c\": {\"cip\": \"99.1234\", \"pass_rate\": 0.5}}}",
     "bad-cip.json: credentials.c.cip: CIP \"99.1234\" is not in the CIP-SOC crosswalk", NULL, NULL},
    {"bad-soc.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"apprenticeships\": {\"t\": {\"soc\": \"47-9999\", \"slots\": 5}}}",
     "bad-soc.json: apprenticeships.t.soc: SOC \"47-9999\" is not a detailed occupation", NULL, NULL},
    {"bad-supply.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"other_supply\": {\"electricians\": {\"per_year\": 5}}}}",
     "bad-supply.json: labor_market.other_supply.electricians: \"electricians\" is not a detailed occupation", NULL, NULL},
    {"bad-table.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"demand_table\": \"regional.csv\"}}",
     "regional.csv:1: missing column", "regional.csv", "soc_code,title\n47-2111,Electricians\n"},
    {"completions-column.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"c1.csv\"}}",
     "c1.csv:1: missing column 'CTOTALT'", "c1.csv", "CIPCODE,AWLEVEL\n47.0201,2\n"},
    {"completions-level.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"c2.csv\"}}",
     "c2.csv:3: column 'AWLEVEL': got '9', expected an IPEDS award level", "c2.csv",
     "CIPCODE,AWLEVEL,CTOTALT\n47.0201,2,5\n47.0201,9,5\n"},
    {"completions-cip.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"c3.csv\"}}",
     "c3.csv:2: column 'CIPCODE': '99.1234' is not in the CIP-SOC crosswalk", "c3.csv",
     "CIPCODE,AWLEVEL,CTOTALT\n99.1234,2,5\n"},
    {"completions-code.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"c4.csv\"}}",
     "c4.csv:2: column 'CIPCODE': got '47.02', expected a CIP 2020 code NN.NNNN", "c4.csv",
     "CIPCODE,AWLEVEL,CTOTALT\n47.02,2,5\n"},
    {"completions-count.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"c5.csv\"}}",
     "c5.csv:2: column 'CTOTALT': negative (got -5, expected >= 0)", "c5.csv",
     "CIPCODE,AWLEVEL,CTOTALT\n47.0201,2,-5\n"},
    {"completions-missing.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"completions\": \"absent.csv\"}}",
     "absent.csv: cannot open", NULL, NULL},
    {"bad-migration.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"in_migration\": {\"47-21\": {\"per_year\": 5}}}}",
     "bad-migration.json: labor_market.in_migration.47-21: \"47-21\" is not a detailed occupation", NULL, NULL},
    {"dup-key.json", "{\"name\": \"x\", \"cohort_size\": 10, \"cohort_size\": 20}",
     "dup-key.json: cohort_size: the key appears twice in one object", NULL, NULL},
    {"dup-id.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"credentials\": {\"c\": {\"cip\": \"11.0101\"}, \"c\": {\"cip\": \"51.3801\"}}}",
     "dup-id.json: credentials.c: the key appears twice in one object", NULL, NULL},
    {"data-climb.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"labor_market\": {\"demand_table\": \"data:../CMakeLists.txt\"}}",
     "data-climb.json: labor_market.demand_table: \"data:../CMakeLists.txt\" leaves its folder", NULL, NULL},
    {"sum.json",
     "{\"name\": \"x\", \"cohort_size\": 10, \"destinations\": {\"base\": {\"four_year\": 0.5, \"work\": 0.2}}}",
     "sum.json: destinations.base: probabilities sum to", NULL, NULL},
    /* text that is not UTF-8, and NUL characters, which cJSON would cut a string at */
    {"nul-escape.json", "{\"name\": \"a\\u0000b\", \"cohort_size\": 10}",
     "nul-escape.json:1:12: a \\u0000 escape (a NUL character is not allowed in a scenario)", NULL, NULL},
    {"latin1.json", "{\"name\": \"caf\xe9\", \"cohort_size\": 10}",
     "latin1.json:1:14: bytes that are not UTF-8", NULL, NULL},
    {"surrogate.json", "{\"name\": \"\xed\xa0\x80\", \"cohort_size\": 10}",
     "surrogate.json:1:11: bytes that are not UTF-8", NULL, NULL},
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        if (c->json)
            write_file(c->name, c->json);
        if (c->other_name)
            write_file(c->other_name, c->other_json);
        char args[512], err[8192];
        snprintf(args, sizeof args, "run %s -o bad.h5", c->name);
        int status = alignsim(args, NULL, 0, err, sizeof err);
        if (status != 2 || !strstr(err, c->expected))
            fail_msg("%s: status %d, stderr:\n%s\nexpected: %s", c->name, status, err, c->expected);
        assert_false(exists("bad.h5"));
        snprintf(args, sizeof args, "validate %s", c->name);
        assert_int_equal(alignsim(args, NULL, 0, err, sizeof err), 2);
        assert_non_null(strstr(err, c->expected));
    }
}

static void test_output_folder_missing(void **state)
{
    (void)state;
    char err[8192];
    assert_int_equal(alignsim("run toy.json -o no-such-folder/x.h5 --quiet", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "no-such-folder/x.h5: cannot create the output: folder \"no-such-folder\" does not exist"));
    assert_false(exists("no-such-folder"));
}

/* A credential that the entry rules shut out of every occupation of its CIP
 * code is valid but gets a note naming it (a business certificate: every
 * 52.0201 occupation needs a bachelor's or experience); a bachelor's-level
 * entry_education opens some, and the note goes. */
static void test_note_on_closed_credential(void **state)
{
    (void)state;
    write_file("closed.json", "{\"name\": \"x\", \"cohort_size\": 10, \"credentials\": {\"biz\": {\"cip\": \"52.0201\", "
                              "\"pass_rate\": 0.5}}}");
    char out[8192], err[8192];
    assert_int_equal(alignsim("validate closed.json", out, sizeof out, err, sizeof err), 0);
    if (!strstr(err, "closed.json: the entry rules") || !strstr(err, "credentials.biz (CIP 52.0201)"))
        fail_msg("no note on the closed credential:\n%s", err);
    assert_int_equal(alignsim("validate closed.json --set credentials.biz.entry_education=3", out, sizeof out, err,
                              sizeof err), 0);
    assert_null(strstr(err, "note:"));
}

/* The output is checked before anything runs: a folder, a device, a
 * symbolic link or one of the inputs is refused with exit status 2, and the
 * input is left as it was. */
static void test_output_checked_first(void **state)
{
    (void)state;
    char err[8192], path[600], link_target[600];
    snprintf(path, sizeof path, "%s/out-folder", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/link.h5", dir);
    snprintf(link_target, sizeof link_target, "%s/elsewhere.h5", dir);
    assert_int_equal(symlink(link_target, path), 0);
    static const struct {
        const char *args, *expected;
    } cases[] = {
        {"run toy.json -o out-folder --quiet", "out-folder: the output is a folder"},
        {"run toy.json -o /dev/null --quiet", "/dev/null: the output is a device"},
        {"run toy.json -o link.h5 --quiet", "link.h5: the output is a symbolic link"},
        {"run toy.json -o toy.json --quiet", "toy.json: the output is the input toy.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = alignsim(cases[i].args, NULL, 0, err, sizeof err);
        if (status != 2 || !strstr(err, cases[i].expected))
            fail_msg("%s: status %d, stderr:\n%s\nexpected: %s", cases[i].args, status, err, cases[i].expected);
    }
    assert_false(exists("elsewhere.h5"));
    assert_int_equal(alignsim("validate toy.json", NULL, 0, NULL, 0), 0); /* the input is intact */
    assert_int_equal(alignsim("run toy.json -o own.h5 --quiet", NULL, 0, NULL, 0), 0);
    assert_int_equal(alignsim("report own.h5 -o own.h5", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "own.h5: the output is the input own.h5"));
    assert_int_equal(alignsim("report own.h5 -o own.html", NULL, 0, NULL, 0), 0); /* own.h5 still reads */
}

/* The command line is read as strictly as the file. */
static void test_strict_command_line(void **state)
{
    (void)state;
    static const struct {
        const char *args, *expected;
    } cases[] = {
        {"validate toy.json --set 'cohort_size=5 6'", "cohort_size: expected a number in [0, 1e+09] (got \"5 6\")"},
        {"validate toy.json --set .=5", "--set: \".=5\": an empty key in the path"},
        {"validate toy.json --set programs..seats=5", "an empty key in the path"},
        /* counts of people, seats and places are whole numbers: not rounded, not -0.5 for unlimited */
        {"validate toy.json --set cohort_size=1000.5", "cohort_size: expected a whole number of students (got 1000.5)"},
        {"validate toy.json --set programs.cte.seats=-0.5",
         "programs.cte.seats: expected a whole number of students per grade (got -0.5)"},
        /* codes of a table are whole numbers too: BLS has no entry education 4.5 */
        {"validate toy.json --set credentials.cert.entry_education=4.5",
         "credentials.cert.entry_education: expected a whole number, a BLS entry_education_code (got 4.5)"},
        {"run toy.json --threads 4294967297 -o t.h5", "--threads: expected a number from 1 to 1024 (got \"4294967297\")"},
        {"run toy.json --seed -1 -o t.h5", "--seed: expected a whole number (got \"-1\")"},
        /* sizes: a cohort doubling for 60 years used to wrap the state size and run; 100,000 replications
         * of 60 years need far more memory for results than any machine has, and say so before running */
        {"run toy.json --set cohort_growth=1 --set years=60 --set cohort_years=60 -o t.h5",
         "cohort_growth: the cohort of 2000 students growing by 1 a year reaches 1.05e+09 students"},
        {"run toy.json --set replications=100000 --set years=60 -o t.h5", "GB of results: 100000 replications x 60 years"},
    };
    char err[8192], args[8192];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = alignsim(cases[i].args, NULL, 0, err, sizeof err);
        if (status != 2 || !strstr(err, cases[i].expected))
            fail_msg("%s: status %d, stderr:\n%s\nexpected: %s", cases[i].args, status, err, cases[i].expected);
    }
    /* --seed given 300 times: bounded, not an overflow */
    size_t at = (size_t)snprintf(args, sizeof args, "validate toy.json");
    for (int i = 0; i < 300; i++)
        at += (size_t)snprintf(args + at, sizeof args - at, " --seed %d", i);
    assert_int_equal(alignsim(args, NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "--seed: at most"));
    assert_false(exists("t.h5"));
}

/* "extends" works like an include: a proposal in its own folder names its
 * base by a relative path with ".." or by a library name; a cycle spelled two
 * ways is still a cycle. */
static void test_extends_like_include(void **state)
{
    (void)state;
    char path[600], out[8192], err[8192];
    snprintf(path, sizeof path, "%s/proposals", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    write_file("proposals/up.json", "{\"extends\": \"../toy.json\", \"name\": \"up\", \"cohort_size\": 500}");
    assert_int_equal(alignsim("validate proposals/up.json", out, sizeof out, err, sizeof err), 0);
    assert_non_null(strstr(out, "valid: \"up\""));
    write_file("proposals/lib.json", "{\"extends\": \"miami-dade\", \"name\": \"lib\", \"cohort_size\": 500}");
    assert_int_equal(alignsim("validate proposals/lib.json", out, sizeof out, err, sizeof err), 0);
    assert_non_null(strstr(out, "19 programs")); /* the library's miami-dade.json */
    write_file("proposals/loop-a.json", "{\"extends\": \"../proposals/loop-b.json\", \"name\": \"a\"}");
    write_file("proposals/loop-b.json", "{\"extends\": \"loop-a.json\", \"name\": \"b\"}");
    assert_int_equal(alignsim("validate proposals/loop-a.json", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "extends: cycle"));
    write_file("proposals/nothing.json", "{\"extends\": \"no-such-library-scenario\", \"name\": \"n\"}");
    assert_int_equal(alignsim("validate proposals/nothing.json", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "no-such-library-scenario.json: cannot open"));
}

static void test_all_problems_at_once(void **state)
{
    (void)state;
    write_file("two.json", "{\"name\": 3, \"cohort_size\": -1}");
    char err[8192];
    assert_int_equal(alignsim("validate two.json", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "two.json: name: expected a string (got 3)"));
    assert_non_null(strstr(err, "two.json: cohort_size: out of range (got -1"));
}

static void test_set_overrides(void **state)
{
    (void)state;
    char out[8192], err[8192];
    assert_int_equal(alignsim("validate toy.json --set programs.cte.apply_rate=0.5 --set years=12", out,
                              sizeof out, err, sizeof err), 0);
    assert_non_null(strstr(out, "12 years"));
    assert_int_equal(alignsim("validate toy.json --set programs.cte.apply_rate=2", NULL, 0, err, sizeof err), 2);
    assert_non_null(strstr(err, "programs.cte.apply_rate: out of range (got 2"));
}

/* Warm-up years fill grades 10-12 before the first reported year, and are
 * not reported themselves. */
static void test_warmup_fills_grades(void **state)
{
    (void)state;
    assert_int_equal(alignsim("run toy.json -o warm.h5 --quiet --set warmup_years=3", NULL, 0, NULL, 0), 0);
    as_results r;
    as_error e;
    as_error_clear(&e);
    char path[512];
    snprintf(path, sizeof path, "%s/warm.h5", dir);
    assert_int_equal(as_h5_read(path, &r, NULL, &e), AS_OK);
    assert_int_equal(r.years, 13);
    const double *in_school = as_results_at(&r, AS_V_STUDENTS_IN_SCHOOL, 0, 0);
    assert_true(in_school[0] == 2000); /* this year's entrants */
    for (int g = 1; g < AS_GRADES; g++) /* earlier cohorts, thinned by 5% dropout a year */
        assert_true(in_school[g] > 2000 * pow(0.95, g) - 4 * sqrt(2000.0) &&
                    in_school[g] < 2000 * pow(0.95, g) + 4 * sqrt(2000.0));
    size_t G = r.dims[AS_D_SUBGROUP].len;
    double grads = as_results_at(&r, AS_V_GRADUATES, 0, 0)[0] + as_results_at(&r, AS_V_GRADUATES, 0, 0)[G];
    assert_true(grads > 1500); /* the warm-up's first cohort graduates in the first reported year */
    assert_true(as_results_at(&r, AS_V_ENTRANTS, 0, 0)[0] == 2000);
    as_results_free(&r);
}

static void test_help_and_version(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(alignsim("--version", out, sizeof out, NULL, 0), 0);
    assert_non_null(strstr(out, "alignsim "));
    assert_int_equal(alignsim("--help", out, sizeof out, NULL, 0), 0);
    assert_non_null(strstr(out, "run"));
    assert_non_null(strstr(out, "validate"));
    assert_int_equal(alignsim("run --help", out, sizeof out, NULL, 0), 0);
    assert_non_null(strstr(out, "--replications"));
    assert_int_equal(alignsim("frobnicate", NULL, 0, NULL, 0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_writes_readable_results),
        cmocka_unit_test(test_threads_do_not_change_results),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_output_folder_missing),
        cmocka_unit_test(test_all_problems_at_once),
        cmocka_unit_test(test_note_on_closed_credential),
        cmocka_unit_test(test_output_checked_first),
        cmocka_unit_test(test_strict_command_line),
        cmocka_unit_test(test_extends_like_include),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_warmup_fills_grades),
        cmocka_unit_test(test_help_and_version),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
