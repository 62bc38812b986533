/*
 * sweep.c - running a sweep's points (analysis/sweep.h).
 */
#include "sweep.h"
#include "progress.h"
#include "h5write.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demand.h"
#include "design.h"
#include "engine.h"
#include "h5results.h"
#include "metric_path.h"
#include "scenario.h"
#include "sweep_journal.h"

/* The keys one sweep parameter sets, with their base values. */
typedef struct target {
    char **paths;
    cJSON **base;
    size_t n;
    int counts;     /* the key counts people, seats or places: what is set is rounded */
} target;

typedef struct runner {
    const as_sweep *sw;
    as_scenario *base;     /* NULL for a test model */
    as_labor *labor;
    target *targets;       /* [n_params] */
    int replications;
} runner;

double as_sweep_ishigami(const double *x, double a, double b)
{
    double s = sin(x[1]);
    return sin(x[0]) + a * s * s + b * pow(x[2], 4) * sin(x[0]);
}

double as_sweep_sobol_g(const double *x, const double *a, size_t k)
{
    double y = 1;
    for (size_t i = 0; i < k; i++)
        y *= (fabs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
    return y;
}

static void where_of(char *buf, size_t size, const as_sweep *sw, const char *key)
{
    snprintf(buf, size, "%s: %s", sw->path, key);
}

/* ---- values of a point ----------------------------------------------------------------------- */

static void scale_numbers(cJSON *v, double factor)
{
    if (cJSON_IsNumber(v))
        cJSON_SetNumberValue(v, v->valuedouble * factor);
    for (cJSON *e = cJSON_IsObject(v) || cJSON_IsArray(v) ? v->child : NULL; e; e = e->next)
        scale_numbers(e, factor);
}

/* The value in effect in `year` of a number or a schedule object. */
static double schedule_at(const cJSON *s, int year)
{
    if (cJSON_IsNumber(s))
        return s->valuedouble;
    double v = NAN;
    for (const cJSON *e = s->child; e; e = e->next)
        if (atoi(e->string) <= year)
            v = e->valuedouble;
    return v;
}

/* The JSON that sets a key of base value `base` to parameter p's value v. */
static cJSON *value_json(const cJSON *base, const as_sweep_param *p, double v, int start_year)
{
    if (!p->from_year) {
        cJSON *out = p->scale ? cJSON_Duplicate(base, 1) : cJSON_CreateNumber(v);
        if (out && p->scale)
            scale_numbers(out, v);
        return out;
    }
    /* a schedule: the base until from_year, the new value from then on */
    cJSON *out = cJSON_CreateObject();
    char year[16];
    if (cJSON_IsNumber(base)) {
        snprintf(year, sizeof year, "%d", start_year);
        cJSON_AddNumberToObject(out, year, base->valuedouble);
    } else {
        for (const cJSON *e = base->child; e; e = e->next)
            if (atoi(e->string) < p->from_year)
                cJSON_AddNumberToObject(out, e->string, e->valuedouble);
            else if (p->scale)
                cJSON_AddNumberToObject(out, e->string, e->valuedouble * v);
    }
    snprintf(year, sizeof year, "%d", p->from_year);
    cJSON_DeleteItemFromObject(out, year);
    cJSON_AddNumberToObject(out, year, p->scale ? schedule_at(base, p->from_year) * v : v);
    return out;
}

/* Rounds every number in v to the nearest whole one (a count key: a fractional seat is not a seat;
 * docs/sweeps.md). */
static void round_numbers(cJSON *v)
{
    if (cJSON_IsNumber(v))
        cJSON_SetNumberValue(v, round(v->valuedouble));
    for (cJSON *e = v ? v->child : NULL; e; e = e->next)
        round_numbers(e);
}

/* "PATH=JSON" for every key the point sets (counts rounded); *n of them.  NULL on no memory. */
static char **point_sets(const runner *rn, const double *values, int *n)
{
    const as_sweep *sw = rn->sw;
    size_t total = 0;
    for (size_t i = 0; i < sw->n_params; i++)
        total += rn->targets[i].n;
    char **sets = as_calloc(total + 1, sizeof *sets);
    *n = 0;
    for (size_t i = 0; sets && i < sw->n_params; i++)
        for (size_t j = 0; j < rn->targets[i].n; j++) {
            cJSON *v = value_json(rn->targets[i].base[j], &sw->params[i], values[i], rn->base->params.start_year);
            if (rn->targets[i].counts)
                round_numbers(v);
            char *text = v ? cJSON_PrintUnformatted(v) : NULL;
            size_t len = strlen(rn->targets[i].paths[j]) + (text ? strlen(text) : 0) + 2;
            if ((sets[*n] = text ? as_malloc(len) : NULL))
                snprintf(sets[(*n)++], len, "%s=%s", rn->targets[i].paths[j], text);
            free(text);
            cJSON_Delete(v);
        }
    return sets;
}

static void free_sets(char **sets, int n)
{
    for (int i = 0; i < n; i++)
        free(sets[i]);
    free(sets);
}

/* ---- one point --------------------------------------------------------------------------------- */

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs the point of parameter values `values` into out[replication][output];
 * *simulated gets the seconds spent in the engine. */
static int run_point(const runner *rn, const double *values, int threads, const char *keep, double *out,
                     double *simulated, as_error *err)
{
    *simulated = 0;
    const as_sweep *sw = rn->sw;
    if (sw->model == AS_MODEL_ISHIGAMI) {
        out[0] = as_sweep_ishigami(values, sw->model_a, sw->model_b);
        return AS_OK;
    }
    if (sw->model == AS_MODEL_SOBOL_G) {
        out[0] = as_sweep_sobol_g(values, sw->g_a, sw->n_g);
        return AS_OK;
    }
    int n_sets;
    char **sets = point_sets(rn, values, &n_sets);
    as_scenario *sc = NULL;
    as_market *market = NULL;
    as_results res;
    memset(&res, 0, sizeof res);
    int rc = sets ? as_scenario_derive(rn->base, (const char *const *)sets, n_sets, &sc, err)
                  : as_error_set(err, AS_ENOMEM, sw->path, "out of memory");
    if (rc == AS_OK)
        rc = as_demand_prepare(sc, rn->labor, &res, &market, err);
    as_engine_options opt = {.threads = threads};
    double start = seconds();
    if (rc == AS_OK)
        rc = as_engine_run(&sc->params, market, &opt, &res, err);
    *simulated = seconds() - start;
    if (rc == AS_OK && keep) { /* the point's whole results, as alignsim run writes them */
        char data_files[2048];
        as_labor_files_text(rn->labor, data_files, sizeof data_files);
        as_provenance prov = {sc->params.name, sc->path, sc->resolved_json, "", "", "alignsim sweep --keep-results",
                              data_files};
        res.threads = threads;
        #pragma omp critical(as_sweep_hdf5) /* points side by side (as_sweep_run): one HDF5 writer at a time */
        rc = as_h5_write(keep, &res, &prov, err);
    }
    for (size_t o = 0; rc == AS_OK && o < sw->n_outputs; o++) {
        as_metric m;
        char where[1200];
        where_of(where, sizeof where, sw, "outputs");
        rc = as_metric_parse(&res, sw->outputs[o], where, &m, err);
        for (int q = 0; rc == AS_OK && q < res.replications; q++)
            out[(size_t)q * sw->n_outputs + o] = as_metric_value(&res, &m, q);
    }
    if (market) {
        as_market_free(market);
        as_results_free(&res);
    }
    as_scenario_free(sc);
    free_sets(sets, n_sets);
    return rc;
}

/* ---- setting up ------------------------------------------------------------------------------ */

static void runner_free(runner *rn)
{
    for (size_t i = 0; rn->targets && i < rn->sw->n_params; i++) {
        for (size_t j = 0; j < rn->targets[i].n; j++) {
            free(rn->targets[i].paths[j]);
            cJSON_Delete(rn->targets[i].base[j]);
        }
        free(rn->targets[i].paths);
        free(rn->targets[i].base);
    }
    free(rn->targets);
    as_labor_free(rn->labor);
    as_scenario_free(rn->base);
    memset(rn, 0, sizeof *rn);
}

/* The keys of every parameter and their base values. */
static int find_targets(runner *rn, as_error *err)
{
    const as_sweep *sw = rn->sw;
    rn->targets = as_calloc(sw->n_params + 1, sizeof *rn->targets);
    if (!rn->targets)
        return as_error_set(err, AS_ENOMEM, sw->path, "out of memory");
    for (size_t i = 0; i < sw->n_params; i++) {
        target *t = &rn->targets[i];
        char where[1200];
        snprintf(where, sizeof where, "%s: parameters.%s", sw->path, sw->params[i].name);
        t->n = as_params_expand(&rn->base->params, sw->params[i].name, &t->paths);
        t->base = as_calloc(t->n + 1, sizeof *t->base);
        if (t->n == 0) {
            as_error_set(err, AS_EINPUT, where, "names no key of the scenario %s (expected a --set path such as "
                                                "programs.ID.apply_rate, or a pattern such as programs.*.apply_rate)",
                         sw->scenario);
            continue;
        }
        for (size_t j = 0; t->base && j < t->n; j++)
            t->base[j] = as_params_value(&rn->base->params, t->paths[j], where, err);
        t->counts = as_params_counts(&rn->base->params, t->paths[0]); /* a family shares its key */
    }
    return err->code;
}

/* Derives the scenario with every parameter at unit value u, to check the range. */
static int check_end(const runner *rn, double u, as_error *err)
{
    double *v = as_malloc((rn->sw->n_params + 1) * sizeof *v);
    if (!v)
        return as_error_set(err, AS_ENOMEM, rn->sw->path, "out of memory");
    for (size_t i = 0; i < rn->sw->n_params; i++)
        v[i] = as_sweep_value(&rn->sw->params[i], u);
    int n;
    char **sets = point_sets(rn, v, &n);
    as_scenario *sc = NULL;
    as_error inner;
    as_error_clear(&inner);
    int rc = as_scenario_derive(rn->base, (const char *const *)sets, n, &sc, &inner);
    if (rc != AS_OK) {
        char where[1200];
        where_of(where, sizeof where, rn->sw, "parameters");
        as_error_set(err, rc, where, "with every parameter at the %s end of its range the scenario is not valid:\n%s",
                     u == 0 ? "low" : "high", inner.text);
    }
    as_scenario_free(sc);
    free_sets(sets, n);
    free(v);
    return rc;
}

static int setup(runner *rn, const as_sweep *sw, as_error *err)
{
    memset(rn, 0, sizeof *rn);
    rn->sw = sw;
    rn->replications = 1;
    if (sw->model != AS_MODEL_SCENARIO)
        return AS_OK;
    if (as_scenario_load(sw->scenario, (const char *const *)sw->sets, sw->n_sets, &rn->base, err) != AS_OK ||
        as_demand_load(rn->base, &rn->labor, err) != AS_OK || as_demand_check(rn->base, rn->labor, err) != AS_OK ||
        find_targets(rn, err) != AS_OK || check_end(rn, 0, err) != AS_OK || check_end(rn, 1, err) != AS_OK)
        return err->code;
    rn->replications = rn->base->params.replications;
    /* the outputs, against the base's results */
    as_results res;
    as_market *market = NULL;
    if (as_demand_prepare(rn->base, rn->labor, &res, &market, err) != AS_OK)
        return err->code;
    char where[1200];
    where_of(where, sizeof where, sw, "outputs");
    for (size_t o = 0; o < sw->n_outputs; o++) {
        as_metric m;
        as_metric_parse(&res, sw->outputs[o], where, &m, err);
    }
    as_market_free(market);
    as_results_free(&res);
    return err->code;
}

static int make_design(const as_sweep *sw, double *x)
{
    size_t k = sw->n_params;
    switch (sw->method) {
    case AS_DESIGN_GRID: {
        int *levels = as_malloc(k * sizeof *levels);
        if (!levels)
            return -1;
        for (size_t i = 0; i < k; i++)
            levels[i] = sw->levels;
        int rc = as_design_grid(k, levels, x);
        free(levels);
        return rc;
    }
    case AS_DESIGN_LHS: return as_design_lhs(sw->n, k, sw->design_seed, x);
    case AS_DESIGN_MORRIS: return as_design_morris(sw->trajectories, k, sw->levels, sw->design_seed, x);
    default: return as_design_saltelli(sw->n, k, x);
    }
}

static char *copy(const char *s)
{
    return as_strdup(s ? s : "");
}

static int fill_data(const runner *rn, as_sweep_data *d, as_error *err)
{
    const as_sweep *sw = rn->sw;
    memset(d, 0, sizeof *d);
    size_t k = sw->n_params, P = as_sweep_points(sw);
    d->n_points = P;
    d->n_params = k;
    d->n_outputs = sw->n_outputs;
    d->replications = rn->replications;
    d->param_names = as_calloc(k + 1, sizeof(char *));
    d->output_names = as_calloc(sw->n_outputs + 1, sizeof(char *));
    d->unit = as_malloc((P * k + 1) * sizeof(double));
    d->value = as_malloc((P * k + 1) * sizeof(double));
    d->outputs = as_malloc((P * (size_t)d->replications * sw->n_outputs + 1) * sizeof(double));
    d->done = as_calloc(P + 1, sizeof(double));
    d->point_seconds = as_calloc(P + 1, sizeof(double));
    d->simulate_seconds = as_calloc(P + 1, sizeof(double));
    if (!d->point_seconds || !d->simulate_seconds || !d->param_names || !d->output_names || !d->unit || !d->value || !d->outputs || !d->done) {
        as_sweep_data_free(d);
        return as_error_set(err, AS_ENOMEM, sw->path, "out of memory for %zu points", P);
    }
    for (size_t i = 0; i < k; i++)
        d->param_names[i] = copy(sw->params[i].name);
    for (size_t o = 0; o < sw->n_outputs; o++)
        d->output_names[o] = copy(sw->outputs[o]);
    if (make_design(sw, d->unit) != 0) {
        as_sweep_data_free(d);
        return as_error_set(err, AS_EINPUT, sw->path, "design: cannot make a %s design of %zu points in %zu factors",
                            as_design_names[sw->method], P, k);
    }
    for (size_t p = 0; p < P; p++)
        for (size_t i = 0; i < k; i++)
            d->value[p * k + i] = as_sweep_value(&sw->params[i], d->unit[p * k + i]);
    for (size_t i = 0; i < P * (size_t)d->replications * sw->n_outputs; i++)
        d->outputs[i] = NAN;
    d->sweep_name = copy(sw->name);
    d->sweep_path = copy(sw->path);
    d->sweep_json = copy(sw->text);
    d->scenario_json = copy(rn->base ? rn->base->resolved_json : "");
    d->design = copy(as_design_names[sw->method]);
    d->design_n = (double)sw->n;
    d->design_levels = sw->levels;
    d->design_trajectories = (double)sw->trajectories;
    d->design_seed = sw->design_seed;
    d->seed = rn->base ? rn->base->params.seed : 0;
    return AS_OK;
}

int as_sweep_prepare(const as_sweep *sw, as_sweep_data *data, as_error *err)
{
    runner rn;
    int rc = setup(&rn, sw, err);
    if (rc == AS_OK)
        rc = fill_data(&rn, data, err);
    runner_free(&rn);
    return rc;
}

/* ---- running ----------------------------------------------------------------------------------- */

static char *now_iso(void)
{
    char buf[32];
    return as_strdup(as_h5w_now(buf, sizeof buf));
}

struct as_sweep_job {
    runner rn;
    as_sweep_data d;
    as_journal j;
    as_sweep_options *opt;
    size_t n_slices, n_out, values;  /* a journal line: the outputs, then the point's seconds in all and in the engine */
};

int as_sweep_begin(const as_sweep *sw, as_sweep_options *opt, int writer, as_sweep_job **out, as_error *err)
{
    as_sweep_job *job = as_calloc(1, sizeof *job);
    *out = NULL;
    if (!job)
        return as_error_set(err, AS_ENOMEM, sw->path, "out of memory");
    job->j.fd = -1;
    job->opt = opt;
    int rc = setup(&job->rn, sw, err);
    if (rc == AS_OK && opt->keep_results && access(opt->keep_results, W_OK) != 0)
        rc = as_error_set(err, AS_EINPUT, "--keep-results", "folder \"%s\" %s", opt->keep_results,
                          access(opt->keep_results, F_OK) ? "does not exist" : "is not writable");
    if (rc == AS_OK)
        rc = fill_data(&job->rn, &job->d, err);
    job->n_slices = opt->n_slices > 1 ? opt->n_slices : 1;
    job->n_out = (size_t)job->d.replications * sw->n_outputs;
    job->values = job->n_out + 2;
    char journal_path[4200];
    snprintf(journal_path, sizeof journal_path, "%s.journal", opt->output);
    if (rc == AS_OK && writer)
        rc = as_journal_open(&job->j, journal_path,
                             as_journal_hash(sw->text) ^ (uint64_t)opt->slice * 0x9e3779b97f4a7c15ull,
                             job->d.n_points, job->values, opt->resume, err);
    job->d.start_time = now_iso();
    opt->kept = opt->ran = 0;
    if (rc != AS_OK) {
        as_sweep_end(job);
        return rc;
    }
    *out = job;
    return AS_OK;
}

size_t as_sweep_values(const as_sweep_job *job)
{
    return job->values;
}

size_t as_sweep_todo(as_sweep_job *job, size_t *points)
{
    size_t n = 0;
    for (size_t p = job->opt->slice; p < job->d.n_points; p += job->n_slices) {
        if (job->j.done && job->j.done[p])
            job->opt->kept++;
        else
            points[n++] = p;
    }
    return n;
}

size_t as_sweep_points_of(const as_sweep_job *job)
{
    return job->d.n_points;
}

/* Runs the scenario at parameter values `values` on `threads` engine
 * threads into out (as_sweep_values(job) doubles). */
static int evaluate(as_sweep_job *job, const double *values, const char *keep, int threads, double *out,
                    as_error *err)
{
    for (size_t i = 0; i < job->values; i++)
        out[i] = NAN;
    double start = seconds();
    int rc = run_point(&job->rn, values, threads, keep, out, &out[job->n_out + 1], err);
    out[job->n_out] = seconds() - start;
    return rc;
}

static int point_on(as_sweep_job *job, size_t p, int threads, double *out, as_error *err)
{
    char keep[4200];
    if (job->opt->keep_results)
        snprintf(keep, sizeof keep, "%s/point-%06zu.h5", job->opt->keep_results, p);
    return evaluate(job, job->d.value + p * job->d.n_params, job->opt->keep_results ? keep : NULL, threads, out,
                    err);
}

int as_sweep_point(as_sweep_job *job, size_t p, double *out, as_error *err)
{
    return point_on(job, p, job->opt->threads, out, err);
}

int as_sweep_evaluate(as_sweep_job *job, const double *values, double *out, as_error *err)
{
    return evaluate(job, values, NULL, job->opt->threads, out, err);
}

int as_sweep_replications(const as_sweep_job *job)
{
    return job->d.replications;
}

char *as_sweep_scenario_sets(const as_sweep_job *job, const double *values)
{
    int n;
    char **sets = point_sets(&job->rn, values, &n);
    size_t len = 1;
    for (int i = 0; sets && i < n; i++)
        len += strlen(sets[i]) + 1;
    char *text = sets ? as_malloc(len) : NULL;
    if (text) {
        text[0] = '\0';
        for (int i = 0; i < n; i++) {
            strcat(text, sets[i]);
            strcat(text, "\n");
        }
    }
    free_sets(sets, n);
    return text;
}

int as_sweep_record(as_sweep_job *job, size_t p, const double *values, as_error *err)
{
    int rc = as_journal_add(&job->j, p, values, err);
    job->opt->ran += rc == AS_OK;
    return rc;
}

int as_sweep_finish(as_sweep_job *job, as_error *err)
{
    as_sweep_data *d = &job->d;
    const as_journal *j = &job->j;
    for (size_t p = 0; p < d->n_points; p++)
        if (j->done[p] && (p % job->n_slices) == job->opt->slice) {
            d->done[p] = 1;
            memcpy(d->outputs + p * job->n_out, j->values + p * job->values, job->n_out * sizeof *d->outputs);
            d->point_seconds[p] = j->values[p * job->values + job->n_out];
            d->simulate_seconds[p] = j->values[p * job->values + job->n_out + 1];
        }
    char slice[64];
    snprintf(slice, sizeof slice, "%zu/%zu", job->opt->slice + 1, job->n_slices);
    d->slice = copy(slice);
    d->end_time = now_iso();
    d->command_line = copy(job->opt->command_line);
    int rc = as_h5sweep_write(job->opt->output, d, err);
    if (rc == AS_OK)
        as_journal_close(&job->j, 1);
    return rc;
}

void as_sweep_end(as_sweep_job *job)
{
    if (!job)
        return;
    as_journal_close(&job->j, 0);
    as_sweep_data_free(&job->d);
    runner_free(&job->rn);
    free(job);
}

/* Runs that share the threads (a sweep's points, a calibration's batches
 * of evaluations) go in two stages, as as_engine_run's replications do:
 * while at least as many runs remain as threads, `threads` of them side by
 * side, one engine thread each, each thread taking the next run when it is
 * done with one (runs may differ in size); the rest one after another,
 * each on every thread.  Side by side only while that many runs fit in
 * memory (as_engine_side_by_side, for the base scenario).  A run's outputs
 * are the same bits on any number of threads, so the stage changes nothing.
 * Not nested teams: libgomp starts threads for every nested parallel
 * region (model/engine.c). */
typedef struct lanes {
    as_sweep_job *job;
    size_t n, done;
    /* run i on `threads` engine threads into out (as_sweep_values(job) doubles) */
    int (*run)(struct lanes *l, size_t i, int threads, double *out, as_error *err);
    /* then, one run at a time (a lock): what to do with its outputs */
    int (*finish)(struct lanes *l, size_t i, const double *out, as_error *err);
    void *ctx;
    int failed;
    size_t failed_at;     /* the first run (in order) that failed, */
    as_error err;         /* and its error */
} lanes;

/* Run i of l; on failure its error is kept if no earlier run failed.
 * Returns 0, or 1 on failure. */
static int lane_run(lanes *l, size_t i, int threads, double *out)
{
    as_error err = {0};
    int rc = l->run(l, i, threads, out, &err);
    #pragma omp critical(as_sweep_lanes)
    {
        l->done++;
        if (rc == AS_OK)
            rc = l->finish(l, i, out, &err);
        if (rc != AS_OK && (!l->failed || i < l->failed_at)) {
            l->failed = 1;
            l->failed_at = i;
            l->err = err;
        }
    }
    return rc != AS_OK;
}

/* Runs l's n runs on `threads` threads (0: OpenMP's default); stops at a
 * failure once the runs beside it are done, and returns the first failed
 * run's error in err. */
static int run_lanes(lanes *l, int threads, as_error *err)
{
    as_sweep_job *job = l->job;
    int team = threads > 0 ? threads : omp_get_max_threads();
    size_t values = as_sweep_values(job);
    double *out = as_malloc(((size_t)team * values + 1) * sizeof *out);
    if (!out)
        return as_error_set(err, AS_ENOMEM, job->rn.sw->path, "out of memory");
    size_t side = l->n >= (size_t)team && job->rn.base && as_engine_side_by_side(&job->rn.base->params, team)
                      ? l->n - l->n % (size_t)team
                      : 0;
    if (side) {
        int stop = 0;
        #pragma omp parallel for num_threads(team) schedule(dynamic, 1)
        for (size_t i = 0; i < side; i++) {
            int give_up;
            #pragma omp atomic read
            give_up = stop;
            if (give_up)
                continue;
            if (lane_run(l, i, 1, out + (size_t)omp_get_thread_num() * values)) {
                #pragma omp atomic write
                stop = 1;
            }
        }
    }
    for (size_t i = side; !l->failed && i < l->n; i++)
        lane_run(l, i, threads, out);
    free(out);
    if (!l->failed)
        return AS_OK;
    as_error_merge(err, &l->err);
    return err->code;
}

/* The sweep's lanes: point todo[i], recorded in the journal as it finishes. */
typedef struct sweep_points {
    const size_t *todo;
    as_progress line;
} sweep_points;

static int run_point_lane(lanes *l, size_t i, int threads, double *out, as_error *err)
{
    const sweep_points *sp = l->ctx;
    return point_on(l->job, sp->todo[i], threads, out, err);
}

static int record_point(lanes *l, size_t i, const double *out, as_error *err)
{
    sweep_points *sp = l->ctx;
    char text[96];
    snprintf(text, sizeof text, "sweep point %zu of %zu", l->done, l->n);
    as_progress_show(&sp->line, (double)l->done, text);
    return as_sweep_record(l->job, sp->todo[i], out, err);
}

/* A batch's lanes: evaluation i at values + i * k, into outs + i * values. */
typedef struct batch {
    const double *values;
    double *outs;
} batch;

static int run_batch_lane(lanes *l, size_t i, int threads, double *out, as_error *err)
{
    const batch *b = l->ctx;
    return evaluate(l->job, b->values + i * l->job->d.n_params, NULL, threads, out, err);
}

static int keep_batch(lanes *l, size_t i, const double *out, as_error *err)
{
    (void)err;
    const batch *b = l->ctx;
    memcpy(b->outs + i * l->job->values, out, l->job->values * sizeof *out);
    return AS_OK;
}

int as_sweep_evaluate_many(as_sweep_job *job, const double *values, size_t n, double *out, as_error *err)
{
    batch b = {values, out};
    lanes l = {.job = job, .n = n, .run = run_batch_lane, .finish = keep_batch, .ctx = &b};
    return run_lanes(&l, job->opt->threads, err);
}

int as_sweep_run(const as_sweep *sw, as_sweep_options *opt, as_error *err)
{
    as_sweep_job *job;
    int rc = as_sweep_begin(sw, opt, 1, &job, err);
    if (rc != AS_OK)
        return rc;
    size_t *todo = as_malloc((as_sweep_points_of(job) + 1) * sizeof *todo);
    size_t n = todo ? as_sweep_todo(job, todo) : 0;
    if (!todo)
        rc = as_error_set(err, AS_ENOMEM, sw->path, "out of memory");
    sweep_points sp = {.todo = todo};
    lanes l = {.job = job, .n = n, .run = run_point_lane, .finish = record_point, .ctx = &sp};
    as_progress_start(&sp.line, opt->progress && n, (double)n);
    if (rc == AS_OK)
        rc = run_lanes(&l, opt->threads, err);
    as_progress_end(&sp.line);
    if (rc == AS_OK)
        rc = as_sweep_finish(job, err);
    free(todo);
    as_sweep_end(job);
    return rc;
}
