/*
 * fuzz_results.c - the results and sweep readers under libFuzzer, by
 * structured edits: each input is a list of edits made through the HDF5 API
 * to a real file, so what is fuzzed is the file's structure (which datasets
 * and attributes are there, their rank, shape, type and values), not HDF5's
 * own byte format.
 *
 * The first byte picks the file: even, a results file of the toy fixture
 * (tests/fixtures/toy-small.json, 2 replications, against the BLS table's
 * management, computer, construction and repair occupations; made at
 * start-up by the engine); odd, a sweep file (16 points of a Saltelli design over 2
 * parameters, 2 replications, 2 outputs).  Then each edit is an operation
 * byte, a target byte (a dataset or root attribute of the original file, by
 * index) and the operation's arguments:
 *
 *   0 delete the dataset            4 replace a root attribute (number, text,
 *   1 replace it: rank, shape, type   array, empty)
 *   2 set one value (a number from  5 delete a root attribute
 *     a palette of edge cases, or   6 a group where the dataset was
 *     text from the input)          7 swap two datasets' names
 *   3 keep its first k rows
 *
 * The edited file is read as compare, report, export and sensitivity do.
 * Every read must be AS_OK or an error with words; a file that reads must
 * then go through the comparison, the report and the CSV and XLSX exports (or, for a
 * sweep, the sensitivity indices and the report's sensitivity section)
 * without a crash or a sanitizer report.
 */
#include "fuzz.h"
#include "compare.h"
#include "demand.h"
#include "engine.h"
#include "export.h"
#include "h5results.h"
#include "h5sweep.h"
#include "labor.h"
#include "market.h"
#include "report.h"
#include "scenario.h"
#include "sweep_analysis.h"

#include <cjson/cJSON.h>

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef AS_SOURCE_DIR
#error "AS_SOURCE_DIR: the source tree, for the fixture scenario"
#endif

#define MAX_NAMES 256 /* a target is one byte: every dataset of the seed file (164 in the results file) is reachable */
#define MAX_ELEMENTS 2000000

typedef struct seed_file {
    unsigned char *bytes;
    size_t size;
    char *datasets[MAX_NAMES], *attrs[MAX_NAMES];
    int n_datasets, n_attrs;
} seed_file;

static seed_file seeds[2];
static as_error err;
static as_results base; /* the results file as read at start-up: a sweep's report needs a run */
static char *base_json;
static FILE *devnull;

static const double palette[] = {NAN, INFINITY, -INFINITY, -1, 0, 1, 0.5, 2, 1e300, -1e300, 2147483648.0,
                                 4294967296.0, 1e-300, 9999, 1000, 1e8, -0.0, 13, 3, 2025};
#define N_PALETTE (sizeof palette / sizeof palette[0])

static void die(const char *what)
{
    fprintf(stderr, "fuzz_results: %s\n%s\n", what, err.text);
    abort();
}

static void expect_words(int rc, const char *what)
{
    if (rc != AS_OK && (rc == AS_EINTERNAL || err.text[0] == '\0' || err.code != rc)) {
        fprintf(stderr, "fuzz_results: %s returned %d with \"%s\"\n", what, rc, err.text);
        abort();
    }
}

/* ---- the two seed files --------------------------------------------------------------------------- */

/* Copies the rows of the BLS table whose code starts with one of prefixes (and the header) to path: a
 * file of a few dozen occupations reads, reports and exports in milliseconds, so the fuzzer tries more
 * edits per second than with all 832. */
static void small_table(const char *path)
{
    static const char *const prefixes[] = {"soc_code", "00-", "11-", "15-", "47-", "49-"};
    FILE *in = fopen(AS_SOURCE_DIR "/data/bls_ep_occupations_2024_34.csv", "r"), *out = fopen(path, "w");
    char line[4096];
    if (!in || !out)
        die("cannot copy the occupation table");
    while (fgets(line, sizeof line, in))
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
            if (!strncmp(line, prefixes[i], strlen(prefixes[i])) && (i < 2 || line[3] == '1' || line[3] == '2')) {
                fputs(line, out);
                break;
            }
    fclose(in);
    if (fclose(out) != 0)
        die("cannot copy the occupation table");
}

static void make_results(const char *path)
{
    static const char *const sets[] = {"replications=2", "cohort_size=300", "labor_market.demand_table=occupations.csv"};
    char scenario[512], table[512], *text = NULL;
    as_scenario *sc = NULL;
    as_labor *labor = NULL;
    as_results res;
    as_market *market = NULL;
    as_error_clear(&err);
    as_fuzz_path(table, sizeof table, "occupations.csv");
    small_table(table);
    as_fuzz_path(scenario, sizeof scenario, "toy-small.json");
    struct cJSON *json = as_json_read_object(AS_SOURCE_DIR "/tests/fixtures/toy-small.json", &text, &err);
    if (!json)
        die("cannot read the fixture");
    as_fuzz_write(scenario, text, strlen(text));
    cJSON_Delete(json);
    free(text);
    if (as_scenario_load(scenario, sets, 3, &sc, &err) != AS_OK ||
        as_demand_load(sc, &labor, &err) != AS_OK)
        die("cannot load the fixture");
    if (as_demand_prepare(sc, labor, &res, &market, &err) != AS_OK)
        die("cannot prepare the fixture");
    as_engine_options opt = {.threads = 1};
    char data_files[2048];
    as_labor_files_text(labor, data_files, sizeof data_files);
    as_provenance prov = {sc->params.name, sc->path, sc->resolved_json, "2026-01-01T00:00:00Z",
                          "2026-01-01T00:00:01Z", "fuzz_results", data_files};
    if (as_engine_run(&sc->params, market, &opt, &res, &err) != AS_OK || as_h5_write(path, &res, &prov, &err) != AS_OK)
        die("cannot run the fixture");
    as_results_free(&res);
    as_market_free(market);
    as_labor_free(labor);
    as_scenario_free(sc);
}

static void make_sweep(const char *path)
{
    enum { P = 16, K = 2, R = 2, O = 2 };
    static char *params[K] = {"programs.cte.apply_rate", "school.dropout"}, *outputs[O] = {"graduates", "credentials"};
    double unit[P * K], value[P * K], out[P * R * O], done[P], secs[P];
    for (int i = 0; i < P * K; i++)
        unit[i] = value[i] = (double)((i * 7) % 16) / 16.0;
    for (int i = 0; i < P * R * O; i++)
        out[i] = 100 + (double)((i * 13) % 29);
    for (int p = 0; p < P; p++)
        done[p] = 1, secs[p] = 0.01;
    as_sweep_data d = {.n_points = P, .n_params = K, .n_outputs = O, .replications = R, .param_names = params,
                       .output_names = outputs, .unit = unit, .value = value, .outputs = out, .done = done,
                       .point_seconds = secs, .simulate_seconds = secs, .sweep_name = "fuzz", .design = "saltelli",
                       .design_n = 4, .seed = 1, .start_time = "2026-01-01T00:00:00Z",
                       .end_time = "2026-01-01T00:00:01Z", .command_line = "fuzz_results"};
    as_error_clear(&err);
    if (as_h5sweep_write(path, &d, &err) != AS_OK)
        die("cannot write the seed sweep file");
}

static herr_t add_dataset(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
    (void)g, (void)info;
    seed_file *s = ctx;
    if (s->n_datasets < MAX_NAMES)
        s->datasets[s->n_datasets++] = strdup(name);
    return 0;
}

static herr_t add_attr(hid_t loc, const char *name, const H5A_info_t *info, void *ctx)
{
    (void)loc, (void)info;
    seed_file *s = ctx;
    if (s->n_attrs < MAX_NAMES)
        s->attrs[s->n_attrs++] = strdup(name);
    return 0;
}

static void load_seed(seed_file *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        die("cannot read a seed file");
    s->size = (size_t)ftell(f);
    rewind(f);
    s->bytes = malloc(s->size);
    if (!s->bytes || fread(s->bytes, 1, s->size, f) != s->size)
        die("cannot read a seed file");
    fclose(f);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hsize_t idx = 0;
    H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &idx, add_dataset, s);
    idx = 0;
    H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_INC, &idx, add_attr, s);
    H5Fclose(file);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    devnull = fopen("/dev/null", "w");
    char path[512];
    as_fuzz_path(path, sizeof path, "seed-results.h5");
    make_results(path);
    load_seed(&seeds[0], path);
    if (as_h5_read(path, &base, &base_json, &err) != AS_OK)
        die("cannot read the seed results file");
    as_fuzz_path(path, sizeof path, "seed-sweep.h5");
    make_sweep(path);
    load_seed(&seeds[1], path);
    return 0;
}

/* ---- the edits ------------------------------------------------------------------------------------ */

typedef struct cursor {
    const uint8_t *p, *end;
} cursor;

static unsigned next(cursor *c)
{
    return c->p < c->end ? *c->p++ : 0;
}

static unsigned next16(cursor *c)
{
    unsigned hi = next(c);
    return hi << 8 | next(c);
}

/* Up to max bytes of the input as a string (length from the input). */
static size_t text(cursor *c, char *buf, size_t max)
{
    size_t n = next(c) % max, i = 0;
    for (; i < n && c->p < c->end; i++)
        buf[i] = (char)next(c);
    buf[i] = '\0';
    return i;
}

static hid_t string_type(int fixed, size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, fixed ? (size ? size : 1) : H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Writes n values into a new dataset name of the given rank and dims, of type kind (0 double, 1 int32,
 * 2 uint8, 3 fixed string, 4 variable-length string). */
static void create(hid_t file, const char *name, int rank, const hsize_t *dims, int kind, cursor *c)
{
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    if (n > MAX_ELEMENTS)
        return;
    hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    hid_t ftype = kind == 0 ? H5Tcopy(H5T_IEEE_F64LE) : kind == 1 ? H5Tcopy(H5T_STD_I32LE)
                : kind == 2 ? H5Tcopy(H5T_STD_U8LE) : string_type(kind == 3, 1 + next(c) % 12);
    hid_t ds = H5Dcreate2(file, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ds >= 0 && kind <= 2) {
        double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
        double fill = palette[next(c) % N_PALETTE];
        for (hsize_t i = 0; i < n; i++)
            v[i] = isfinite(fill) || kind == 0 ? fill : 0;
        H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        free(v);
    } else if (ds >= 0 && kind == 4) {
        char word[32];
        text(c, word, sizeof word);
        const char **v = malloc((size_t)(n ? n : 1) * sizeof *v);
        for (hsize_t i = 0; i < n; i++)
            v[i] = word;
        H5Dwrite(ds, ftype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        free(v);
    }
    if (ds >= 0)
        H5Dclose(ds);
    H5Tclose(ftype);
    H5Sclose(space);
}

static int dims_of(hid_t file, const char *name, hsize_t *dims, H5T_class_t *cls)
{
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    if (ds < 0)
        return -1;
    hid_t space = H5Dget_space(ds), type = H5Dget_type(ds);
    int rank = H5Sget_simple_extent_ndims(space);
    if (rank > 0 && rank <= H5S_MAX_RANK)
        H5Sget_simple_extent_dims(space, dims, NULL);
    *cls = H5Tget_class(type);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(ds);
    return rank;
}

/* op 1: the dataset again with a rank, shape and type from the input (near its own shape, or anything small). */
static void reshape(hid_t file, const char *name, cursor *c)
{
    hsize_t dims[H5S_MAX_RANK] = {0};
    H5T_class_t cls;
    int old = dims_of(file, name, dims, &cls);
    int rank = (int)(next(c) % 4), how = (int)next(c);
    for (int i = 0; i < rank; i++)
        dims[i] = how & 1 ? (i < old ? dims[i] : 1) + (hsize_t)(next(c) % 3) - 1 : next(c) % 8;
    H5Ldelete(file, name, H5P_DEFAULT);
    create(file, name, rank, dims, (int)(next(c) % 5), c);
}

/* op 2: one value of a numeric dataset from the palette, or one string of a label list from the input. */
static void set_value(hid_t file, const char *name, cursor *c)
{
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    if (ds < 0)
        return;
    hid_t space = H5Dget_space(ds), type = H5Dget_type(ds);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    if (n > 0 && n <= MAX_ELEMENTS) {
        hsize_t at = (hsize_t)next16(c) % (hsize_t)n;
        hid_t one = H5Screate_simple(1, (hsize_t[]){1}, NULL);
        /* the same element of the dataset's own space, through its flat index */
        hsize_t dims[H5S_MAX_RANK], coord[H5S_MAX_RANK];
        int rank = H5Sget_simple_extent_ndims(space);
        H5Sget_simple_extent_dims(space, dims, NULL);
        for (int i = rank - 1; i >= 0; i--) {
            coord[i] = at % dims[i];
            at /= dims[i];
        }
        if (rank > 0)
            H5Sselect_elements(space, H5S_SELECT_SET, 1, coord);
        if (H5Tget_class(type) == H5T_STRING) {
            char word[64];
            text(c, word, sizeof word);
            hid_t mt = H5Tis_variable_str(type) > 0 ? string_type(0, 0) : H5Tcopy(type);
            if (H5Tis_variable_str(type) > 0) {
                const char *v = word;
                H5Dwrite(ds, mt, one, space, H5P_DEFAULT, &v);
            } else {
                size_t size = H5Tget_size(type);
                char *v = calloc(size + 1, 1);
                memcpy(v, word, strlen(word) < size ? strlen(word) : size);
                H5Dwrite(ds, mt, one, space, H5P_DEFAULT, v);
                free(v);
            }
            H5Tclose(mt);
        } else {
            double v = palette[next(c) % N_PALETTE];
            H5Dwrite(ds, H5T_NATIVE_DOUBLE, one, space, H5P_DEFAULT, &v);
        }
        H5Sclose(one);
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(ds);
}

/* op 3: a numeric dataset cut to its first k rows (values kept). */
static void truncate_rows(hid_t file, const char *name, cursor *c)
{
    hsize_t dims[H5S_MAX_RANK];
    H5T_class_t cls;
    int rank = dims_of(file, name, dims, &cls);
    if (rank < 1 || (cls != H5T_FLOAT && cls != H5T_INTEGER))
        return;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    if (n == 0 || n > MAX_ELEMENTS)
        return;
    double *v = malloc(n * sizeof *v);
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    int ok = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    H5Dclose(ds);
    if (ok) {
        dims[0] = next(c) % (dims[0] + 1);
        H5Ldelete(file, name, H5P_DEFAULT);
        hid_t space = H5Screate_simple(rank, dims, NULL);
        ds = H5Dcreate2(file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (ds >= 0) {
            H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
            H5Dclose(ds);
        }
        H5Sclose(space);
    }
    free(v);
}

/* op 4: a root attribute again as a number, text (fixed or variable), an array or nothing at all. */
static void replace_attr(hid_t file, const char *name, cursor *c)
{
    if (H5Aexists(file, name) > 0)
        H5Adelete(file, name);
    int kind = (int)(next(c) % 6);
    char word[256];
    hid_t space = -1, type = -1;
    double v[8];
    for (int i = 0; i < 8; i++)
        v[i] = palette[next(c) % N_PALETTE];
    if (kind == 0 || kind == 1) {
        space = H5Screate(H5S_SCALAR);
        type = H5Tcopy(kind == 0 ? H5T_IEEE_F64LE : H5T_STD_I64LE);
    } else if (kind == 2 || kind == 3) {
        size_t len = text(c, word, sizeof word);
        space = H5Screate(H5S_SCALAR);
        type = string_type(kind == 2, len);
    } else if (kind == 4) {
        space = H5Screate_simple(1, (hsize_t[]){2 + next(c) % 6}, NULL);
        type = H5Tcopy(H5T_IEEE_F64LE);
    } else {
        space = H5Screate(H5S_NULL);
        type = H5Tcopy(H5T_IEEE_F64LE);
    }
    hid_t a = H5Acreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        if (kind == 2)
            H5Awrite(a, type, word);
        else if (kind == 3) {
            const char *w = word;
            H5Awrite(a, type, &w);
        } else if (kind != 5)
            H5Awrite(a, H5T_NATIVE_DOUBLE, v);
        H5Aclose(a);
    }
    H5Tclose(type);
    H5Sclose(space);
}

static void edit(hid_t file, const seed_file *s, cursor *c)
{
    unsigned op = next(c) % 8, target = next(c);
    const char *ds = s->datasets[target % (unsigned)s->n_datasets];
    const char *attr = s->attrs[target % (unsigned)s->n_attrs];
    if (H5Lexists(file, ds, H5P_DEFAULT) <= 0 && op != 4 && op != 5)
        return; /* deleted by an earlier edit */
    H5O_type_t type = H5O_TYPE_UNKNOWN;
    hid_t o = H5Oopen(file, ds, H5P_DEFAULT);
    if (o >= 0) {
        type = H5Iget_type(o) == H5I_DATASET ? H5O_TYPE_DATASET : H5O_TYPE_GROUP;
        H5Oclose(o);
    }
    if (type != H5O_TYPE_DATASET && op <= 3)
        return;
    switch (op) {
    case 0: H5Ldelete(file, ds, H5P_DEFAULT); break;
    case 1: reshape(file, ds, c); break;
    case 2: set_value(file, ds, c); break;
    case 3: truncate_rows(file, ds, c); break;
    case 4: replace_attr(file, attr, c); break;
    case 5: if (H5Aexists(file, attr) > 0) H5Adelete(file, attr); break;
    case 6: {
        H5Ldelete(file, ds, H5P_DEFAULT);
        hid_t g = H5Gcreate2(file, ds, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g >= 0)
            H5Gclose(g);
        break;
    }
    case 7: {
        const char *other = s->datasets[next(c) % (unsigned)s->n_datasets];
        if (strcmp(other, ds) && H5Lexists(file, other, H5P_DEFAULT) > 0) {
            H5Lmove(file, ds, file, "fuzz-swap", H5P_DEFAULT, H5P_DEFAULT);
            H5Lmove(file, other, file, ds, H5P_DEFAULT, H5P_DEFAULT);
            H5Lmove(file, "fuzz-swap", file, other, H5P_DEFAULT, H5P_DEFAULT);
        }
        break;
    }
    }
}

/* ---- reading the edited file as the commands do ----------------------------------------------------- */

/* workbook: also write the exports, CSV and XLSX (a quarter of the inputs: formatting every value and
 * the workbook's deflate cost most of an input's time, and they only read what the checked reader
 * passed) */
static void use_results(const char *path, int workbook)
{
    as_results r;
    char *json = NULL;
    as_error_clear(&err);
    int rc = as_h5_read(path, &r, &json, &err);
    expect_words(rc, "as_h5_read");
    if (rc != AS_OK)
        return;
    if (as_compare_check(&base, "base.h5", &r, path, &err) == AS_OK) {
        as_comparison cmp;
        if (as_compare_build(&base, &r, &cmp, &err) == AS_OK) {
            as_compare_write_table(devnull, &cmp, "base.h5", path);
            as_compare_write_csv(devnull, &cmp);
            as_compare_free(&cmp);
        }
    }
    char out[512];
    as_fuzz_path(out, sizeof out, "report.html");
    as_report_run runs[2] = {{path, &r, json}, {"base.h5", &base, base_json}};
    as_error_clear(&err);
    expect_words(as_report_write(out, runs, as_compare_check(&r, path, &base, "base.h5", &err) == AS_OK ? 2 : 1, &err),
                 "as_report_write");
    if (workbook) {
        as_fuzz_path(out, sizeof out, "csv");
        as_error_clear(&err);
        expect_words(as_export_csv(&r, out, &err), "as_export_csv");
        as_fuzz_remove(out);
        as_fuzz_path(out, sizeof out, "book.xlsx");
        as_error_clear(&err);
        expect_words(as_export_xlsx(&r, out, &err), "as_export_xlsx");
        as_fuzz_remove(out);
    }
    as_results_free(&r);
    free(json);
}

static void use_sweep(const char *path)
{
    as_sweep_data d;
    as_error_clear(&err);
    int rc = as_h5sweep_read(path, &d, &err);
    expect_words(rc, "as_h5sweep_read");
    if (rc != AS_OK)
        return;
    int method = as_sens_method_of(d.design);
    for (size_t o = 0; method >= 0 && o < d.n_outputs && o < 4; o++) {
        as_sens s;
        as_error_clear(&err);
        rc = as_sens_compute(&d, o, method, 20, 1, path, &s, &err);
        expect_words(rc, "as_sens_compute");
        if (rc == AS_OK) {
            as_sens_write_text(devnull, &s, d.param_names);
            as_sens_free(&s);
        }
    }
    char out[512];
    as_fuzz_path(out, sizeof out, "sweep-report.html");
    as_report_run run = {"base.h5", &base, base_json};
    as_report_options opt = {.sweep = &d};
    as_error_clear(&err);
    expect_words(as_report_write_with(out, &run, 1, &opt, &err), "as_report_write_with (a sweep)");
    as_sweep_data_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    cursor c = {data, data + size};
    unsigned first = next(&c);
    int sweep = first & 1;
    const seed_file *s = &seeds[sweep];
    char path[512];
    as_fuzz_path(path, sizeof path, "edited.h5");
    as_fuzz_write(path, s->bytes, s->size);
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0)
        die("cannot open the copy of a seed file");
    for (int i = 0; i < 16 && c.p < c.end; i++)
        edit(file, s, &c);
    H5Fclose(file);
    if (sweep)
        use_sweep(path);
    else
        use_results(path, (first >> 1) % 4 == 0);
    return 0;
}
