/*
 * sweep_file.c - reading and checking sweep files (io/sweep_file.h).
 */
#include "sweep_file.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

const char *const as_dist_names[AS_DIST_COUNT] = {"uniform", "normal", "triangular", "levels"};
const char *const as_design_names[AS_DESIGN_COUNT] = {"grid", "lhs", "morris", "saltelli"};

/* Arguments of each distribution: how many numbers, and what they are. */
static const struct {
    size_t n;
    const char *expected;
} dist_args[AS_DIST_COUNT] = {
    {2, "[lo, hi] with lo < hi"},
    {2, "[mean, sd] with sd > 0"},
    {3, "[lo, mode, hi] with lo <= mode <= hi and lo < hi"},
    {0, "[v1, v2, ...]: at least one number"},
};

typedef struct ctx {
    const char *file;
    as_error *err;
} ctx;

static void bad(ctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(ctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_error_vset(c->err, AS_EINPUT, c->file, path, fmt, ap);
    va_end(ap);
}

static char *dup_or_null(const char *s)
{
    return s ? as_strdup(s) : NULL;
}

/* The numbers of array v into out (at most max); -1 when v is not an array of numbers. */
static long numbers(const cJSON *v, double *out, size_t max)
{
    if (!cJSON_IsArray(v))
        return -1;
    long n = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
            return -1;
        if ((size_t)n < max)
            out[n] = e->valuedouble;
        n++;
    }
    return n;
}

static int args_ok(int dist, const double *a, long n)
{
    switch (dist) {
    case AS_DIST_UNIFORM: return n == 2 && a[0] < a[1];
    case AS_DIST_NORMAL: return n == 2 && a[1] > 0;
    case AS_DIST_TRIANGULAR: return n == 3 && a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2];
    default: return n >= 1;
    }
}

static void parse_param(ctx *c, const cJSON *v, as_sweep_param *p)
{
    char path[1200];
    snprintf(path, sizeof path, "parameters.%s", v->string);
    p->dist = -1;
    if (!cJSON_IsObject(v)) {
        bad(c, path, "expected an object such as {\"uniform\": [0.5, 1]}");
        return;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        char sub[1400];
        snprintf(sub, sizeof sub, "%s.%s", path, e->string);
        int d = 0;
        while (d < AS_DIST_COUNT && strcmp(as_dist_names[d], e->string))
            d++;
        if (d < AS_DIST_COUNT) {
            if (p->dist >= 0) {
                bad(c, sub, "a second distribution (expected one of uniform, normal, triangular, levels)");
                continue;
            }
            p->dist = d;
            long n = numbers(e, p->arg, 3);
            if (d == AS_DIST_LEVELS && n > 0) {
                p->levels = as_malloc((size_t)n * sizeof *p->levels);
                if (p->levels)
                    numbers(e, p->levels, (size_t)n);
                p->n_levels = (size_t)n;
            }
            if (!args_ok(d, p->arg, n))
                bad(c, sub, "expected %s", dist_args[d].expected);
        } else if (!strcmp(e->string, "scale")) {
            if (!cJSON_IsBool(e))
                bad(c, sub, "expected true or false");
            p->scale = cJSON_IsTrue(e);
        } else if (!strcmp(e->string, "from_year")) {
            if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 1900 ||
                e->valuedouble > 2200)
                bad(c, sub, "expected a calendar year such as 2028");
            else
                p->from_year = (int)e->valuedouble;
        } else {
            bad(c, sub, "unknown key (expected uniform, normal, triangular, levels, scale or from_year)");
        }
    }
    if (p->dist < 0)
        bad(c, path, "no distribution (expected one of uniform, normal, triangular, levels)");
}

static void parse_model(ctx *c, const cJSON *m, as_sweep *sw)
{
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(m, "function");
    if (!cJSON_IsObject(m) || !cJSON_IsString(fn)) {
        bad(c, "model", "expected {\"function\": \"ishigami\" or \"sobol_g\", ...}");
        return;
    }
    for (const cJSON *e = m->child; e; e = e->next)
        if (strcmp(e->string, "function") && strcmp(e->string, "a") && strcmp(e->string, "b"))
            bad(c, "model", "unknown key \"%s\" (expected function, a, b)", e->string);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "a"), *b = cJSON_GetObjectItemCaseSensitive(m, "b");
    if (!strcmp(fn->valuestring, "ishigami")) {
        sw->model = AS_MODEL_ISHIGAMI;
        sw->model_a = cJSON_IsNumber(a) ? a->valuedouble : 7;   /* Ishigami and Homma (1990) */
        sw->model_b = cJSON_IsNumber(b) ? b->valuedouble : 0.1;
        if ((a && !cJSON_IsNumber(a)) || (b && !cJSON_IsNumber(b)))
            bad(c, "model", "ishigami: a and b are numbers");
    } else if (!strcmp(fn->valuestring, "sobol_g")) {
        sw->model = AS_MODEL_SOBOL_G;
        long n = numbers(a, NULL, 0);
        if (n < 1 || b) {
            bad(c, "model.a", "sobol_g: expected \"a\": [a1, a2, ...], one number >= 0 per parameter");
            return;
        }
        sw->g_a = as_malloc((size_t)n * sizeof *sw->g_a);
        sw->n_g = sw->g_a ? (size_t)n : 0;
        numbers(a, sw->g_a, sw->n_g);
        for (size_t i = 0; i < sw->n_g; i++)
            if (sw->g_a[i] < 0)
                bad(c, "model.a", "sobol_g: a_%zu = %g (expected >= 0)", i + 1, sw->g_a[i]);
    } else {
        bad(c, "model.function", "\"%s\" (expected ishigami or sobol_g)", fn->valuestring);
    }
}

static int positive_int(ctx *c, const cJSON *v, const char *path, double max)
{
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 || v->valuedouble > max) {
        bad(c, path, "expected a whole number from 1 to %.0f", max);
        return 0;
    }
    return (int)v->valuedouble;
}

static void parse_design(ctx *c, const cJSON *d, as_sweep *sw)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(d, "method");
    sw->method = -1;
    if (!cJSON_IsObject(d) || !cJSON_IsString(m)) {
        bad(c, "design", "expected {\"method\": \"grid\", \"lhs\", \"morris\" or \"saltelli\", ...}");
        return;
    }
    for (int i = 0; i < AS_DESIGN_COUNT; i++)
        if (!strcmp(m->valuestring, as_design_names[i]))
            sw->method = i;
    if (sw->method < 0) {
        bad(c, "design.method", "\"%s\" (expected grid, lhs, morris or saltelli)", m->valuestring);
        return;
    }
    /* the keys each method takes, and which it needs */
    static const char *const takes[AS_DESIGN_COUNT][4] = {
        {"levels", NULL}, {"n", "seed", NULL}, {"trajectories", "levels", "seed", NULL}, {"n", NULL}};
    for (const cJSON *e = d->child; e; e = e->next) {
        if (!strcmp(e->string, "method"))
            continue;
        int ok = 0;
        for (int i = 0; takes[sw->method][i]; i++)
            ok |= !strcmp(takes[sw->method][i], e->string);
        char path[300];
        snprintf(path, sizeof path, "design.%s", e->string);
        if (!ok) {
            bad(c, path, "not a key of the %s design", as_design_names[sw->method]);
            continue;
        }
        if (!strcmp(e->string, "n"))
            sw->n = (size_t)positive_int(c, e, path, 1 << 24);
        else if (!strcmp(e->string, "levels"))
            sw->levels = positive_int(c, e, path, 1000);
        else if (!strcmp(e->string, "trajectories"))
            sw->trajectories = (size_t)positive_int(c, e, path, 1 << 20);
        else if (cJSON_IsNumber(e) && e->valuedouble >= 0 && e->valuedouble < 4294967296.0)
            sw->design_seed = (uint32_t)e->valuedouble;
        else
            bad(c, path, "expected a whole number from 0 to 4294967295");
    }
    if ((sw->method == AS_DESIGN_LHS || sw->method == AS_DESIGN_SALTELLI) && sw->n == 0)
        bad(c, "design.n", "missing (expected the number of %s)",
            sw->method == AS_DESIGN_LHS ? "points" : "base samples; the design runs n (k + 2) points");
    if (sw->method == AS_DESIGN_MORRIS && sw->trajectories == 0)
        bad(c, "design.trajectories", "missing (expected the number of trajectories, each of k + 1 points)");
    if (sw->method == AS_DESIGN_GRID && sw->levels < 2)
        sw->levels = sw->levels ? sw->levels : 3;
    if (sw->method == AS_DESIGN_MORRIS) {
        if (!sw->levels)
            sw->levels = 4; /* Morris (1991); Saltelli et al. (2008), p = 4 */
        if (sw->levels < 2 || sw->levels % 2)
            bad(c, "design.levels", "%d (expected an even number of grid levels, such as 4)", sw->levels);
    }
}

static void add_set(as_sweep *sw, const char *path, const cJSON *value)
{
    char *text = cJSON_PrintUnformatted(value);
    size_t len = strlen(path) + (text ? strlen(text) : 0) + 2;
    char *set = as_malloc(len), **grown = as_realloc(sw->sets, (size_t)(sw->n_sets + 1) * sizeof *grown);
    if (grown)
        sw->sets = grown;
    if (set && text && grown) {
        snprintf(set, len, "%s=%s", path, text);
        sw->sets[sw->n_sets++] = set;
    } else {
        free(set);
    }
    free(text);
}

static char *resolve(const char *sweep_path, const char *ref)
{
    if (ref[0] == '/')
        return as_strdup(ref);
    const char *slash = strrchr(sweep_path, '/');
    size_t dir = slash ? (size_t)(slash - sweep_path) + 1 : 0, len = dir + strlen(ref) + 1;
    char *p = as_malloc(len);
    if (p)
        snprintf(p, len, "%.*s%s", (int)dir, sweep_path, ref);
    return p;
}

static void parse_root(ctx *c, const cJSON *root, as_sweep *sw)
{
    static const char *const keys[] = {"name", "description", "sources", "scenario", "model", "set",
                                       "replications", "seed", "parameters", "design", "outputs", NULL};
    for (const cJSON *e = root->child; e; e = e->next) {
        int known = 0;
        for (int i = 0; keys[i]; i++)
            known |= !strcmp(keys[i], e->string);
        if (!known)
            bad(c, e->string, "unknown key (expected name, description, sources, scenario or model, set, "
                              "replications, seed, parameters, design, outputs)");
    }
    for (int i = 1; i < 3; i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, keys[i]);
        if (t && !cJSON_IsString(t))
            bad(c, keys[i], "expected a string");
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name) || !*name->valuestring)
        bad(c, "name", "missing or not a non-empty string (expected a name for the sweep)");
    else
        sw->name = as_strdup(name->valuestring);
    const cJSON *scen = cJSON_GetObjectItemCaseSensitive(root, "scenario"), *model = cJSON_GetObjectItemCaseSensitive(root, "model");
    if (!!scen == !!model)
        bad(c, "scenario", "expected exactly one of \"scenario\" (a scenario file) and \"model\" (a test function)");
    else if (scen && !cJSON_IsString(scen))
        bad(c, "scenario", "expected the path of a scenario file, relative to the sweep file");
    else if (scen)
        sw->scenario = resolve(c->file, scen->valuestring);
    else
        parse_model(c, model, sw);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(root, "set");
    if (set && (!cJSON_IsObject(set) || model))
        bad(c, "set", model ? "a test model has no scenario to set" : "expected an object {PATH: value}");
    else if (set)
        for (const cJSON *e = set->child; e; e = e->next)
            add_set(sw, e->string, e);
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "replications");
    if (reps && (sw->replications = positive_int(c, reps, "replications", 100000)) && !model)
        add_set(sw, "replications", reps);
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "seed");
    if (seed && (!cJSON_IsNumber(seed) || seed->valuedouble < 0 || seed->valuedouble >= 4294967296.0 ||
                 seed->valuedouble != floor(seed->valuedouble)))
        bad(c, "seed", "expected a whole number from 0 to 4294967295");
    else if (seed && !model)
        add_set(sw, "seed", seed);

    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "parameters");
    size_t n = cJSON_IsObject(params) ? (size_t)cJSON_GetArraySize(params) : 0;
    if (n == 0)
        bad(c, "parameters", "missing or empty (expected {PATH: {\"uniform\": [lo, hi]}, ...})");
    sw->params = as_calloc(n + 1, sizeof *sw->params);
    for (const cJSON *e = n ? params->child : NULL; e && sw->params; e = e->next) {
        as_sweep_param *p = &sw->params[sw->n_params++];
        p->name = as_strdup(e->string);
        parse_param(c, e, p);
        if (model && (p->scale || p->from_year))
            bad(c, "parameters", "%s: a test model's parameters take no scale or from_year", e->string);
    }
    if (model) /* the test functions' parameters are x1, x2, ... in order */
        for (size_t i = 0; i < sw->n_params; i++) {
            char want[32];
            snprintf(want, sizeof want, "x%zu", i + 1);
            if (strcmp(sw->params[i].name, want))
                bad(c, "parameters", "\"%s\": a test model's parameters are x1, x2, ... in order (expected \"%s\")",
                    sw->params[i].name, want);
        }
    if (sw->model == AS_MODEL_ISHIGAMI && sw->n_params != 3)
        bad(c, "parameters", "ishigami has 3 parameters, x1..x3 (got %zu)", sw->n_params);
    if (sw->model == AS_MODEL_SOBOL_G && sw->n_params != sw->n_g)
        bad(c, "parameters", "sobol_g has one parameter per entry of model.a (%zu, got %zu)", sw->n_g, sw->n_params);

    const cJSON *design = cJSON_GetObjectItemCaseSensitive(root, "design");
    if (!design)
        bad(c, "design", "missing (expected {\"method\": \"saltelli\", \"n\": 256} or another design)");
    else
        parse_design(c, design, sw);
    if (sw->method == AS_DESIGN_SALTELLI && sw->n_params > 20)
        bad(c, "design", "saltelli takes at most 20 parameters (a Sobol sequence of 2k <= 40 dimensions; got %zu)",
            sw->n_params);

    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
    size_t n_out = cJSON_IsArray(outs) ? (size_t)cJSON_GetArraySize(outs) : 0;
    if (n_out == 0)
        bad(c, "outputs", "missing or empty (expected [\"alignment_index.year[2034]\", ...]%s)",
            model ? "; a test model's output is \"y\"" : "");
    sw->outputs = as_calloc(n_out + 1, sizeof *sw->outputs);
    for (const cJSON *e = n_out ? outs->child : NULL; e && sw->outputs; e = e->next) {
        if (!cJSON_IsString(e)) {
            bad(c, "outputs", "expected strings (metric paths)");
            continue;
        }
        if (model && strcmp(e->valuestring, "y"))
            bad(c, "outputs", "\"%s\": a test model's only output is \"y\"", e->valuestring);
        sw->outputs[sw->n_outputs++] = as_strdup(e->valuestring);
    }
}

int as_sweep_load(const char *path, as_sweep **out, as_error *err)
{
    *out = NULL;
    as_sweep *sw = as_calloc(1, sizeof *sw);
    if (!sw)
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    cJSON *root = as_json_read_object(path, &sw->text, err);
    if (!root) {
        as_sweep_free(sw);
        return err->code;
    }
    sw->path = dup_or_null(path);
    ctx c = {path, err};
    int before = err->count;
    parse_root(&c, root, sw);
    cJSON_Delete(root);
    if (err->count != before) {
        as_sweep_free(sw);
        return err->code;
    }
    *out = sw;
    return AS_OK;
}

void as_sweep_free(as_sweep *sw)
{
    if (!sw)
        return;
    for (size_t i = 0; i < sw->n_params; i++) {
        free(sw->params[i].name);
        free(sw->params[i].levels);
    }
    for (int i = 0; i < sw->n_sets; i++)
        free(sw->sets[i]);
    for (size_t i = 0; i < sw->n_outputs; i++)
        free(sw->outputs[i]);
    free(sw->params);
    free(sw->sets);
    free(sw->outputs);
    free(sw->g_a);
    free(sw->scenario);
    free(sw->name);
    free(sw->text);
    free(sw->path);
    free(sw);
}

double as_sweep_value(const as_sweep_param *p, double u)
{
    const double *a = p->arg;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    switch (p->dist) {
    case AS_DIST_UNIFORM:
        return a[0] + u * (a[1] - a[0]);
    case AS_DIST_NORMAL:
        return a[0] + a[1] * gsl_cdf_ugaussian_Pinv(u < 0.001 ? 0.001 : u > 0.999 ? 0.999 : u);
    case AS_DIST_TRIANGULAR: {
        double lo = a[0], mode = a[1], hi = a[2], f = (mode - lo) / (hi - lo);
        return u < f ? lo + sqrt(u * (hi - lo) * (mode - lo)) : hi - sqrt((1 - u) * (hi - lo) * (hi - mode));
    }
    default: {
        size_t i = (size_t)(u * (double)p->n_levels);
        return p->levels[i < p->n_levels ? i : p->n_levels - 1];
    }
    }
}

size_t as_sweep_points(const as_sweep *sw)
{
    size_t k = sw->n_params, n = 1;
    switch (sw->method) {
    case AS_DESIGN_GRID:
        for (size_t i = 0; i < k; i++)
            n *= (size_t)sw->levels;
        return n;
    case AS_DESIGN_LHS: return sw->n;
    case AS_DESIGN_MORRIS: return sw->trajectories * (k + 1);
    default: return sw->n * (k + 2);
    }
}
