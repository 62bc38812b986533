/*
 * test_scenario.c - bad scenarios (issue 5, the reading part): every broken
 * text gives AS_EINPUT, nothing allocated, and one line per problem that
 * names the file and the JSON path and says what was expected.
 *
 * Cases are patches on one valid scenario, applied here like a JSON merge
 * patch (RFC 7386) except that a null in the patch *sets* null (so null
 * values can be tested) and the string "$delete" removes a key.
 *
 * Tests whose name contains "io_bug" state a property the reader does not
 * have yet; they fail until io/scenario.c is fixed, and say where and how.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "params.h"
#include "scenario.h"

#define FIXTURE(name) AS_SOURCE_DIR "/tests/fixtures/" name
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define WHERE "bad.json"

/* Valid: every collection present, so every kind of key can be broken. */
static const char base_text[] =
    "{\"name\": \"base\", \"years\": 6, \"cohort_size\": 100,"
    " \"school\": {\"dropout\": 0.03},"
    " \"subgroups\": {\"ed\": {\"share\": 0.4}},"
    " \"clusters\": {\"it\": {\"interest_share\": 0.3}},"
    " \"programs\": {\"cte\": {\"type\": \"cte\", \"cluster\": \"it\", \"apply_rate\": 0.3, \"seats\": 50,"
    "                        \"credential\": \"cert\", \"wbl\": \"coop\"}},"
    " \"dual_enrollment\": {\"de\": {\"apply_rate\": 0.4, \"open_to_all\": false, \"pathways\": [\"cte\"]}},"
    " \"wbl\": {\"coop\": {\"kind\": \"pre_apprenticeship\", \"hours\": 120, \"apply_rate\": 0.5}},"
    " \"credentials\": {\"cert\": {\"cip\": \"46.0302\", \"pass_rate\": 0.6}},"
    " \"postsecondary\": {\"cc\": {\"level\": \"associate\", \"sector\": \"community_college\","
    "                             \"cip\": \"11.0901\", \"credits_required\": 60}},"
    " \"apprenticeships\": {\"elec\": {\"soc\": \"47-2111\", \"slots\": 10, \"preapp\": \"coop\"}},"
    " \"iet\": {\"adults_per_year\": 10, \"cip\": \"51.3901\"}}";

/* Applies patch onto target: objects merge key by key, "$delete" removes,
 * anything else (null included) replaces. */
static void patch_into(cJSON *target, const cJSON *patch)
{
    for (const cJSON *item = patch->child; item; item = item->next) {
        cJSON *existing = cJSON_GetObjectItemCaseSensitive(target, item->string);
        if (cJSON_IsString(item) && strcmp(item->valuestring, "$delete") == 0) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, item->string);
        } else if (cJSON_IsObject(item) && cJSON_IsObject(existing)) {
            patch_into(existing, item);
        } else {
            cJSON *copy = cJSON_Duplicate(item, 1);
            assert_non_null(copy);
            if (existing)
                cJSON_ReplaceItemViaPointer(target, existing, copy);
            else
                cJSON_AddItemToObject(target, item->string, copy);
        }
    }
}

/* The base scenario with a patch, as text (caller frees). */
static char *patched(const char *patch_text)
{
    cJSON *base = cJSON_Parse(base_text), *patch = cJSON_Parse(patch_text);
    if (!base || !patch)
        fail_msg("test patch is not JSON: %s", patch_text);
    patch_into(base, patch);
    char *text = cJSON_PrintUnformatted(base);
    assert_non_null(text);
    cJSON_Delete(base);
    cJSON_Delete(patch);
    return text;
}

/* Parses text; on success releases the parameters.  Returns the status. */
static int parse(const char *text, as_error *err)
{
    as_params p;
    as_error_clear(err);
    int rc = as_scenario_parse_text(text, WHERE, &p, err);
    if (rc == AS_OK)
        as_params_release(&p);
    return rc;
}

static void test_base_is_valid(void **state)
{
    (void)state;
    as_error err;
    if (parse(base_text, &err) != AS_OK)
        fail_msg("the base scenario does not parse:\n%s", err.text);
    /* nulls where the table's default is null are fine: "decided elsewhere" */
    static const char *const fine[] = {
        "{\"cohort_years\": null}",
        "{\"programs\": {\"cte\": {\"cluster\": null, \"requirements\": {\"hours\": null, \"wbl\": null}}}}",
        "{\"programs\": {\"cte\": {\"type\": \"general\", \"credential\": null, \"wbl\": null}}}",
        /* where an editor finds the schema: any string, ignored */
        "{\"$schema\": \"../docs/scenario.schema.json\"}",
    };
    for (size_t i = 0; i < N_OF(fine); i++) {
        char *text = patched(fine[i]);
        int rc = parse(text, &err);
        free(text);
        if (rc != AS_OK)
            fail_msg("%s should parse:\n%s", fine[i], err.text);
    }
}

typedef struct bad_case {
    const char *what;
    const char *patch;
    const char *path;     /* the JSON path the message must name */
    const char *words;    /* and what it must say */
} bad_case;

static const bad_case bad_cases[] = {
    /* wrong type */
    {"number as text", "{\"cohort_size\": \"many\"}", "cohort_size", "expected a number in [0, 1e+09] (got \"many\")"},
    {"string as number", "{\"name\": 3}", "name", "expected a string (got 3)"},
    {"boolean as text", "{\"dual_enrollment\": {\"de\": {\"open_to_all\": \"yes\"}}}", "dual_enrollment.de.open_to_all",
     "expected true or false (got \"yes\")"},
    {"object as number", "{\"school\": 0.1}", "school", "expected an object (got 0.1)"},
    {"collection as array", "{\"programs\": [\"cte\"]}", "programs", "expected an object of program items keyed by id"},
    {"item as number", "{\"credentials\": {\"cert2\": 5}}", "credentials.cert2",
     "expected an object describing the credential (got 5)"},
    {"id list as text", "{\"dual_enrollment\": {\"de\": {\"pathways\": \"cte\"}}}", "dual_enrollment.de.pathways",
     "expected an array of ids of \"programs\""},
    {"id as number", "{\"programs\": {\"cte\": {\"cluster\": 7}}}", "programs.cte.cluster",
     "expected the id of an item of \"clusters\", or null (got 7)"},
    {"id in list as number", "{\"dual_enrollment\": {\"de\": {\"pathways\": [\"cte\", 2]}}}",
     "dual_enrollment.de.pathways[1]", "expected the id of an item of \"programs\" (got 2)"},
    {"grades as object", "{\"school\": {\"retention\": {\"9\": 0.1}}}", "school.retention",
     "expected a number or an array of 4 numbers"},
    {"grades too short", "{\"school\": {\"retention\": [0, 0.1]}}", "school.retention",
     "expected a number or an array of 4 numbers for grades 9-12"},
    {"named as array", "{\"destinations\": {\"base\": [0.5, 0.5]}}", "destinations.base",
     "expected an object keyed by name"},
    {"enum unknown", "{\"programs\": {\"cte\": {\"type\": \"vocational\"}}}", "programs.cte.type",
     "expected one of \"cte\", \"career_connections\""},
    {"enum as number", "{\"programs\": {\"cte\": {\"allocation\": 1}}}", "programs.cte.allocation",
     "expected one of \"lottery\", \"rank\" (got 1)"},
    {"whole number", "{\"years\": 6.5}", "years", "expected a whole number (got 6.5)"},
    {"$schema as a number", "{\"$schema\": 5}", "$schema", "expected a string, the path or URL of the file's JSON Schema"
     " for editors (got 5)"},
    {"$schema as null", "{\"$schema\": null}", "$schema", "expected a string"},
    /* unknown key */
    {"unknown top-level key", "{\"cohort_sise\": 10}", "cohort_sise", "unknown key (expected one of: name,"},
    {"unknown nested key", "{\"school\": {\"dropot\": 0.1}}", "school.dropot", "unknown key (expected one of: dropout,"},
    {"unknown item key", "{\"programs\": {\"cte\": {\"seat\": 10}}}", "programs.cte.seat", "unknown key"},
    {"unknown requirement", "{\"programs\": {\"cte\": {\"requirements\": {\"hour\": 900}}}}",
     "programs.cte.requirements.hour", "unknown key (expected one of: hours,"},
    {"$schema below the top level", "{\"school\": {\"$schema\": \"s.json\"}}", "school.$schema", "unknown key"},
    {"unknown named key", "{\"destinations\": {\"base\": {\"college\": 0.1}}}", "destinations.base.college",
     "unknown key (expected one of \"four_year\""},
    /* out of range */
    {"probability above 1", "{\"school\": {\"dropout\": 1.5}}", "school.dropout",
     "out of range (got 1.5, expected a number in [0, 1], in probability)"},
    {"one grade out of range", "{\"school\": {\"retention\": [0, 0.1, 1.2, 0]}}", "school.retention[2]",
     "out of range (got 1.2"},
    {"negative seed", "{\"seed\": -1}", "seed", "out of range (got -1"},
    {"grade 13", "{\"programs\": {\"cte\": {\"entry_grade_max\": 13}}}", "programs.cte.entry_grade_max",
     "out of range (got 13, expected a number in [9, 12]"},
    {"seats below -1", "{\"programs\": {\"cte\": {\"seats\": -2}}}", "programs.cte.seats", "out of range (got -2"},
    {"regional share 2", "{\"labor_market\": {\"regional_share\": 2}}", "labor_market.regional_share",
     "out of range (got 2"},
    {"named value out of range", "{\"destinations\": {\"readiness_coef\": {\"work\": 11}}}",
     "destinations.readiness_coef.work", "out of range (got 11"},
    {"zero replications", "{\"replications\": 0}", "replications", "out of range (got 0"},
    /* dangling reference */
    {"credential", "{\"programs\": {\"cte\": {\"credential\": \"nope\"}}}", "programs.cte.credential",
     "\"nope\" is not an item of \"credentials\""},
    {"pathway in a list", "{\"dual_enrollment\": {\"de\": {\"pathways\": [\"cte\", \"ghost\"]}}}",
     "dual_enrollment.de.pathways[1]", "\"ghost\" is not an item of \"programs\""},
    {"pre-apprenticeship", "{\"apprenticeships\": {\"elec\": {\"preapp\": \"nowhere\"}}}", "apprenticeships.elec.preapp",
     "\"nowhere\" is not an item of \"wbl\""},
    {"cluster", "{\"credentials\": {\"cert\": {\"cluster\": \"arts\"}}}", "credentials.cert.cluster",
     "\"arts\" is not an item of \"clusters\""},
    /* missing required key */
    {"cohort_size", "{\"cohort_size\": \"$delete\"}", "cohort_size", "missing (expected a value, in students)"},
    {"name", "{\"name\": \"$delete\"}", "name", "missing (expected a string)"},
    {"apply_rate", "{\"programs\": {\"cte\": {\"apply_rate\": \"$delete\"}}}", "programs.cte.apply_rate",
     "missing (expected a value, in probability)"},
    {"program type", "{\"programs\": {\"cte\": {\"type\": \"$delete\"}}}", "programs.cte.type", "missing"},
    {"wbl hours", "{\"wbl\": {\"coop\": {\"hours\": \"$delete\"}}}", "wbl.coop.hours", "missing"},
    {"postsecondary cip", "{\"postsecondary\": {\"cc\": {\"cip\": \"$delete\"}}}", "postsecondary.cc.cip",
     "missing (expected a string)"},
    {"trade slots", "{\"apprenticeships\": {\"elec\": {\"slots\": \"$delete\"}}}", "apprenticeships.elec.slots",
     "missing"},
    {"subgroup share", "{\"subgroups\": {\"ell\": {\"readiness_shift\": -0.2}}}", "subgroups.ell.share", "missing"},
    /* rules across fields */
    {"cohort_years after years", "{\"cohort_years\": 9}", "cohort_years", "9 is more than years (6)"},
    {"destination shares", "{\"destinations\": {\"base\": {\"four_year\": 0.9}}}", "destinations.base",
     "probabilities sum to"},
    {"entry grades reversed", "{\"programs\": {\"cte\": {\"entry_grade_min\": 12, \"entry_grade_max\": 10}}}",
     "programs.cte.entry_grade_min", "12 is after entry_grade_max 10"},
    {"credential required, none named", "{\"programs\": {\"cte\": {\"credential\": null}}}",
     "programs.cte.requirements.credential", "requires an industry credential but names none"},
    {"wbl required, none named", "{\"programs\": {\"cte\": {\"wbl\": null}}}", "programs.cte.requirements.wbl",
     "requires work-based learning but names no wbl program"},
    {"pre-apprenticeship of another kind", "{\"wbl\": {\"coop\": {\"kind\": \"internship\"}}}",
     "apprenticeships.elec.preapp", "wbl coop is of kind \"internship\" (expected a wbl of kind \"pre_apprenticeship\""},
    {"wbl grades reversed", "{\"wbl\": {\"coop\": {\"grade_min\": 12, \"grade_max\": 11}}}", "wbl.coop.grade_min",
     "after grade_max"},
    {"interest shares", "{\"clusters\": {\"health\": {\"interest_share\": 0.8}}}", "clusters",
     "interest_share values sum to 1.1"},
    {"iet shares", "{\"iet\": {\"to_community_college\": 0.7, \"to_work\": 0.6}}", "iet",
     "to_community_college + to_work = 1.3"},
    {"seven subgroups",
     "{\"subgroups\": {\"a\": {\"share\": 0.1}, \"b\": {\"share\": 0.1}, \"c\": {\"share\": 0.1},"
     " \"d\": {\"share\": 0.1}, \"e\": {\"share\": 0.1}, \"f\": {\"share\": 0.1}}}",
     "subgroups", "7 attributes (expected at most 6)"},
    {"empty id", "{\"programs\": {\"\": {\"type\": \"general\", \"apply_rate\": 0.1}}}", "programs.",
     "an empty id"},
};

/* "bad.json: PATH: " begins a line of err, and that line holds the words. */
static const char *find_problem(const char *text, const char *path, const char *words)
{
    char head[512];
    snprintf(head, sizeof head, WHERE ": %s: ", path);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char buf[AS_ERROR_TEXT];
        memcpy(buf, line, n);
        buf[n] = '\0';
        if (strncmp(buf, head, strlen(head)) == 0 && strstr(buf, words))
            return line;
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

static void check_bad(const bad_case *c)
{
    char *text = patched(c->patch);
    as_error err;
    int rc = parse(text, &err);
    free(text);
    if (rc != AS_EINPUT || !find_problem(err.text, c->path, c->words))
        fail_msg("%s: %s gave status %d and\n%s\nexpected a line \"" WHERE ": %s: ...%s...\"", c->what, c->patch, rc,
                 err.text, c->path, c->words);
    assert_int_equal(err.code, AS_EINPUT);
}

static void test_bad_scenarios(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bad_cases); i++)
        check_bad(&bad_cases[i]);
}

static void test_bad_json_text(void **state)
{
    (void)state;
    static const struct {
        const char *text, *words;
    } cases[] = {
        {"{\"name\": \"x\",\n \"years\": 3,,\n}", WHERE ":2:"},
        {"{\"name\": \"x\"", WHERE ":1:"},
        {"", WHERE ":1:1: malformed JSON"},
        {"[1, 2]", WHERE ": (root): expected a JSON object"},
        {"\"scenario\"", WHERE ": (root): expected a JSON object"},
        {"{\"name\": \"x\"} trailing", WHERE ":1:"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        as_error err;
        int rc = parse(cases[i].text, &err);
        if (rc != AS_EINPUT || !strstr(err.text, cases[i].words))
            fail_msg("%s: status %d, \"%s\"; expected \"%s\"", cases[i].text, rc, err.text, cases[i].words);
    }
}

/* Every problem of a file at once, one line each, all naming the file. */
static void test_all_problems_reported(void **state)
{
    (void)state;
    char *text = patched("{\"cohort_size\": -5, \"school\": {\"dropot\": 0.1, \"retention\": [0, 0, 0, 2]},"
                         " \"programs\": {\"cte\": {\"credential\": \"nope\", \"type\": \"x\"}},"
                         " \"wbl\": {\"coop\": {\"hours\": \"$delete\"}}}");
    as_error err;
    int rc = parse(text, &err);
    free(text);
    assert_int_equal(rc, AS_EINPUT);
    static const struct { const char *path, *words; } expected[] = {
        {"cohort_size", "out of range (got -5"},
        {"school.dropot", "unknown key"},
        {"school.retention[3]", "out of range (got 2"},
        {"programs.cte.type", "expected one of"},
        {"programs.cte.credential", "\"nope\" is not an item of \"credentials\""},
        {"wbl.coop.hours", "missing"},
    };
    for (size_t i = 0; i < N_OF(expected); i++)
        if (!find_problem(err.text, expected[i].path, expected[i].words))
            fail_msg("no line for %s (%s) in:\n%s", expected[i].path, expected[i].words, err.text);
    assert_int_equal(err.count, (int)N_OF(expected));
    for (const char *line = err.text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        assert_int_equal(strncmp(line, WHERE ": ", strlen(WHERE ": ")), 0);
}

/* Overrides (--set) go through as_scenario_load: their problems name the path too. */
static void test_bad_overrides(void **state)
{
    (void)state;
    static const struct {
        const char *set, *words;
    } cases[] = {
        {"cohort_size", "--set: \"cohort_size\": expected PATH=VALUE"},
        {"=3", "--set: \"=3\": expected PATH=VALUE"},
        {"name.first=3", "\"name\" is not an object, so it has no \"first\""},
        {"programs.cte.seat=10", "crn.json: programs.cte.seat: unknown key"},
        {"programs.cte.apply_rate=2", "crn.json: programs.cte.apply_rate: out of range (got 2"},
        {"programs.cte.apply_rate=high", "crn.json: programs.cte.apply_rate: expected a number in [0, 1] or an object {year: number} (got \"high\")"},
        {"school.dropout=[0.1,0.1]", "crn.json: school.dropout: expected a number or an array of 4 numbers"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        const char *sets[] = {cases[i].set};
        as_scenario *sc = (as_scenario *)1;
        as_error err;
        as_error_clear(&err);
        int rc = as_scenario_load(FIXTURE("crn.json"), sets, 1, &sc, &err);
        if (rc != AS_EINPUT || sc != NULL || !strstr(err.text, cases[i].words))
            fail_msg("--set %s: status %d, \"%s\"; expected \"%s\"", cases[i].set, rc, err.text, cases[i].words);
    }
    /* a good override changes the value, and the resolved text keeps it */
    const char *good[] = {"programs.cte.seats=75", "school.retention=[0,0.1,0,0]"};
    as_scenario *sc = NULL;
    as_error err;
    as_error_clear(&err);
    assert_int_equal(as_scenario_load(FIXTURE("crn.json"), good, 2, &sc, &err), AS_OK);
    assert_true(sc->params.programs.items[1].seats.value == 75 && sc->params.programs.items[1].seats.n == 0);
    assert_true(sc->params.school.retention[1] == 0.1 && sc->params.school.retention[0] == 0);
    assert_non_null(strstr(sc->resolved_json, "75"));
    as_scenario_free(sc);
}

/* Schedules by year (the base runs 2025..2030): what a good one reads as,
 * year by year, and what a bad one is told. */
static void test_schedules(void **state)
{
    (void)state;
    static const struct {
        const char *patch;
        double by_year[8];      /* as_schedule_at for 2023 (warm-up) .. 2030 */
    } good[] = {
        {"{\"programs\": {\"cte\": {\"seats\": 80}}}", {80, 80, 80, 80, 80, 80, 80, 80}},
        {"{\"programs\": {\"cte\": {\"seats\": {\"2025\": 100, \"2027\": 200}}}}",
         {100, 100, 100, 100, 200, 200, 200, 200}},
        /* any order of keys; each value holds until the next listed year */
        {"{\"programs\": {\"cte\": {\"seats\": {\"2030\": -1, \"2025\": 10, \"2028\": 0}}}}",
         {10, 10, 10, 10, 10, 0, 0, -1}},
        {"{\"programs\": {\"cte\": {\"seats\": {\"2025\": 7}}}}", {7, 7, 7, 7, 7, 7, 7, 7}},
    };
    for (size_t i = 0; i < N_OF(good); i++) {
        char *text = patched(good[i].patch);
        as_params p;
        as_error err;
        as_error_clear(&err);
        int rc = as_scenario_parse_text(text, WHERE, &p, &err);
        free(text);
        if (rc != AS_OK)
            fail_msg("%s should parse:\n%s", good[i].patch, err.text);
        const as_schedule *seats = &p.programs.items[0].seats;
        for (int y = 2023; y <= 2030; y++)
            if (as_schedule_at(seats, y) != good[i].by_year[y - 2023])
                fail_msg("%s: %g seats in %d (expected %g)", good[i].patch, as_schedule_at(seats, y), y,
                         good[i].by_year[y - 2023]);
        assert_true(seats->value == good[i].by_year[0]);
        as_params_release(&p);
    }
    static const bad_case bad[] = {
        {"key not a year", "{\"programs\": {\"cte\": {\"seats\": {\"2025\": 10, \"soon\": 20}}}}",
         "programs.cte.seats.soon", "a schedule key that is not a calendar year"},
        {"key with a sign", "{\"wbl\": {\"coop\": {\"slots\": {\"2025\": 10, \"+2026\": 20}}}}",
         "wbl.coop.slots.+2026", "not a calendar year"},
        {"value out of range", "{\"programs\": {\"cte\": {\"apply_rate\": {\"2025\": 0.3, \"2027\": 1.5}}}}",
         "programs.cte.apply_rate.2027", "out of range (got 1.5, expected a number in [0, 1], in probability)"},
        {"value not a number", "{\"dual_enrollment\": {\"de\": {\"seats\": {\"2025\": \"many\"}}}}",
         "dual_enrollment.de.seats.2025", "expected a number in [-1, 1e+08] (got \"many\")"},
        {"negative trade slots", "{\"apprenticeships\": {\"elec\": {\"slots\": {\"2025\": 10, \"2026\": -1}}}}",
         "apprenticeships.elec.slots.2026", "out of range (got -1"},
        {"empty object", "{\"postsecondary\": {\"cc\": {\"seats\": {}}}}", "postsecondary.cc.seats",
         "an empty schedule"},
        {"an array", "{\"wbl\": {\"coop\": {\"apply_rate\": [0.1, 0.2]}}}", "wbl.coop.apply_rate",
         "expected a number in [0, 1] or an object {year: number} (got [0.1,0.2])"},
        {"null", "{\"dual_enrollment\": {\"de\": {\"apply_rate\": null}}}", "dual_enrollment.de.apply_rate",
         "expected a number in [0, 1] (got null)"},
        {"year after the last", "{\"programs\": {\"cte\": {\"seats\": {\"2025\": 10, \"2031\": 20}}}}",
         "programs.cte.seats.2031", "year 2031 is not a simulated year (expected 2025..2030"},
        {"year before start_year", "{\"programs\": {\"cte\": {\"seats\": {\"2024\": 10, \"2025\": 20}}}}",
         "programs.cte.seats.2024", "year 2024 is not a simulated year"},
        {"first year after start_year", "{\"wbl\": {\"coop\": {\"slots\": {\"2027\": 40}}}}", "wbl.coop.slots",
         "the schedule begins in 2027 (expected its first year to be start_year, 2025"},
        {"start_year moved past the schedule",
         "{\"start_year\": 2026, \"programs\": {\"cte\": {\"seats\": {\"2025\": 10}}}}",
         "programs.cte.seats.2025", "year 2025 is not a simulated year (expected 2026..2031"},
        {"more than 4 digits", "{\"programs\": {\"cte\": {\"seats\": {\"2025\": 10, \"0002025\": 20}}}}",
         "programs.cte.seats.0002025", "not a calendar year"},
        {"a key that takes no schedule", "{\"programs\": {\"cte\": {\"cost_per_seat\": {\"2025\": 10}}}}",
         "programs.cte.cost_per_seat", "expected a number in [0, 1e+07] (got {\"2025\":10})"},
    };
    for (size_t i = 0; i < N_OF(bad); i++)
        check_bad(&bad[i]);
    /* cJSON keeps a repeated key; the reader refuses it (any key, a schedule's year too) */
    as_error err;
    assert_int_equal(parse("{\"name\": \"d\", \"years\": 3, \"cohort_size\": 10, \"programs\": {\"p\":"
                           " {\"type\": \"general\", \"apply_rate\": 0.1, \"seats\": {\"2025\": 1, \"2025\": 2}}}}",
                           &err),
                     AS_EINPUT);
    assert_non_null(find_problem(err.text, "programs.p.seats.2025", "the key appears twice in one object"));
    /* both forms through --set, and a year added to a schedule */
    static const struct {
        const char *set[2];
        double seats_2025, seats_2028;
    } sets[] = {
        {{"programs.cte.seats=200", NULL}, 200, 200},
        {{"programs.cte.seats={\"2025\":100,\"2028\":300}", NULL}, 100, 300},
        {{"programs.cte.seats={\"2025\":100}", "programs.cte.seats.2028=300"}, 100, 300},
    };
    for (size_t i = 0; i < N_OF(sets); i++) {
        as_scenario *sc = NULL;
        as_error_clear(&err);
        int n = sets[i].set[1] ? 2 : 1;
        if (as_scenario_load(FIXTURE("crn.json"), sets[i].set, n, &sc, &err) != AS_OK)
            fail_msg("--set %s: %s", sets[i].set[0], err.text);
        const as_schedule *seats = &sc->params.programs.items[1].seats;
        assert_true(as_schedule_at(seats, 2025) == sets[i].seats_2025);
        assert_true(as_schedule_at(seats, 2027) == sets[i].seats_2025);
        assert_true(as_schedule_at(seats, 2028) == sets[i].seats_2028);
        as_scenario_free(sc);
    }
}

/*
 * IO BUG (io/scenario.c, parse_value: `if (cJSON_IsNull(v)) *(double *)slot = NAN;`
 * for every AS_P_REAL, `*(int *)slot = -1` for every AS_P_INT and AS_P_BOOL):
 * a JSON null is accepted for any number or boolean, including keys that are
 * required or whose default is a number, and then reaches the engine as NaN
 * or -1: seats null admits nobody (a comparison with NaN), graduation null
 * graduates everyone, replications null is -1 (as_results_alloc sizes from
 * it), open_to_all null is -1 and reads as true.  Fix: accept null only when
 * the declared default is "null" (p->dflt && strcmp(p->dflt, "null") == 0),
 * and otherwise report "expected a number in [min, max] (got null)".
 */
static void test_io_bug_null_only_where_default_is_null(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"required number", "{\"cohort_size\": null}", "cohort_size", "(got null)"},
        {"number with a default", "{\"programs\": {\"cte\": {\"seats\": null}}}", "programs.cte.seats", "(got null)"},
        {"required probability", "{\"programs\": {\"cte\": {\"apply_rate\": null}}}", "programs.cte.apply_rate",
         "(got null)"},
        {"probability with a default", "{\"school\": {\"graduation\": null}}", "school.graduation", "(got null)"},
        {"whole number", "{\"replications\": null}", "replications", "(got null)"},
        {"grade", "{\"programs\": {\"cte\": {\"entry_grade_min\": null}}}", "programs.cte.entry_grade_min",
         "(got null)"},
        {"boolean", "{\"dual_enrollment\": {\"de\": {\"open_to_all\": null}}}", "dual_enrollment.de.open_to_all",
         "(got null)"},
    };
    int failures = 0;
    for (size_t i = 0; i < N_OF(cases); i++) {
        char *text = patched(cases[i].patch);
        as_error err;
        int rc = parse(text, &err);
        free(text);
        if (rc != AS_EINPUT || !find_problem(err.text, cases[i].path, cases[i].words)) {
            print_message("%s: %s gave status %d (%s)\n", cases[i].what, cases[i].patch, rc,
                          rc == AS_OK ? "accepted" : err.text);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* Writes text to AS_BINARY_DIR/test_scenario-PID-NAME; path gets the file's path. */
static void write_case(char *path, size_t size, const char *name, const char *text)
{
    snprintf(path, size, "%s/test_scenario-%ld-%s", AS_BINARY_DIR, (long)getpid(), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* "$schema" (an editor's pointer to the JSON Schema) in a base and in the proposal that extends it:
 * merged and overridden like any key, checked as a string, and left out of the resolved text, which
 * is the same as without it.  The proposal's new item is merged into nothing (RFC 7386), so its nulls
 * are dropped and give the defaults, as they would on an item the base had. */
static void test_schema_key_through_extends(void **state)
{
    (void)state;
    char base[512], proposal[512], plain[512], bad_key[512];
    char *with = patched("{\"$schema\": \"../docs/scenario.schema.json\"}");
    write_case(base, sizeof base, "base.json", with);
    free(with);
    char text[2048];
    snprintf(text, sizeof text, "{\"extends\": \"%s\", \"$schema\": \"proposal.schema.json\", \"cohort_size\": 200,"
             " \"programs\": {\"gen\": {\"type\": \"general\", \"apply_rate\": 0.1, \"name\": null,"
             " \"seats\": {\"2025\": 10, \"2027\": null}}}}", base);
    write_case(proposal, sizeof proposal, "proposal.json", text);
    snprintf(text, sizeof text, "{\"extends\": \"%s\", \"$schema\": null, \"cohort_size\": 200,"
             " \"programs\": {\"gen\": {\"type\": \"general\", \"apply_rate\": 0.1, \"seats\": {\"2025\": 10}}}}",
             base);
    write_case(plain, sizeof plain, "plain.json", text);
    snprintf(text, sizeof text, "{\"extends\": \"%s\", \"$schema\": [\"a.json\"]}", base);
    write_case(bad_key, sizeof bad_key, "bad-key.json", text);

    as_scenario *sc = NULL, *same = NULL;
    as_error err;
    as_error_clear(&err);
    const char *sets[] = {"$schema=elsewhere.json"};
    if (as_scenario_load(proposal, sets, 1, &sc, &err) != AS_OK)
        fail_msg("%s: %s", proposal, err.text);
    assert_null(strstr(sc->resolved_json, "$schema"));
    assert_null(strstr(sc->resolved_json, "extends"));
    assert_true(sc->params.cohort_size == 200);
    assert_int_equal(sc->params.programs.n, 2);
    const as_program *gen = &sc->params.programs.items[1];
    assert_string_equal(gen->id, "gen");
    assert_string_equal(gen->name, "");
    assert_true(gen->seats.n == 1 && as_schedule_at(&gen->seats, 2028) == 10);
    if (as_scenario_load(plain, NULL, 0, &same, &err) != AS_OK)
        fail_msg("%s: %s", plain, err.text);
    assert_string_equal(sc->resolved_json, same->resolved_json);
    as_scenario_free(same);
    /* a derived scenario (sweeps) parses the resolved text again */
    const char *more[] = {"programs.gen.seats=30"};
    assert_int_equal(as_scenario_derive(sc, more, 1, &same, &err), AS_OK);
    as_scenario_free(same);
    as_scenario_free(sc);

    /* a $schema that is no string, in the file or by --set: the file and the key are named */
    static const char *const bad_sets[] = {"$schema=7", "$schema={\"x\":1}"};
    sc = (as_scenario *)1;
    assert_int_equal(as_scenario_load(bad_key, NULL, 0, &sc, &err), AS_EINPUT);
    assert_null(sc);
    snprintf(text, sizeof text, "%s: $schema: expected a string", bad_key);
    if (!strstr(err.text, text))
        fail_msg("expected \"%s\" in:\n%s", text, err.text);
    for (size_t i = 0; i < N_OF(bad_sets); i++) {
        as_error_clear(&err);
        assert_int_equal(as_scenario_load(proposal, &bad_sets[i], 1, &sc, &err), AS_EINPUT);
        snprintf(text, sizeof text, "%s: $schema: expected a string", proposal);
        if (!strstr(err.text, text))
            fail_msg("--set %s: expected \"%s\" in:\n%s", bad_sets[i], text, err.text);
    }
    unlink(base);
    unlink(proposal);
    unlink(plain);
    unlink(bad_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_is_valid),
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_bad_json_text),
        cmocka_unit_test(test_all_problems_reported),
        cmocka_unit_test(test_bad_overrides),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_io_bug_null_only_where_default_is_null),
        cmocka_unit_test(test_schema_key_through_extends),
    };
    if (getenv("AS_TEST_FILTER")) /* e.g. AS_TEST_FILTER='*markov*' to run one test */
        cmocka_set_test_filter(getenv("AS_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
