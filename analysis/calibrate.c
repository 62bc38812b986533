/*
 * calibrate.c - simulated method of moments with common random numbers
 * (analysis/calibrate.h).
 */
#include "calibrate.h"
#include "progress.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "stats.h"
#include "sweep.h"

typedef struct fit {
    as_sweep_job *job;
    as_cal_result *r;
    double *out;            /* one evaluation's values */
    int max_evaluations, failed;
    as_progress line;       /* on the terminal: simulations so far, time since the start */
    as_error *err;
} fit;

static double theta_of(const as_cal_result *r, size_t j, double z)
{
    return r->lo[j] + (r->hi[j] - r->lo[j]) / (1 + exp(-z));
}

/* The per-target means of one evaluation's outputs `out` into m (and the
 * replications' estimates when e); counts the evaluation.  Returns 0, or -1
 * when out of memory. */
static int take(fit *ft, const double *out, double *m, as_estimate *e)
{
    as_cal_result *r = ft->r;
    r->evaluations++;
    char text[96];
    snprintf(text, sizeof text, "calibrate: %d simulations (the fit: at most %d)", r->evaluations, ft->max_evaluations);
    as_progress_show(&ft->line, r->evaluations, text);
    size_t R = (size_t)r->replications;
    double *x = as_malloc((R + 1) * sizeof *x);
    for (size_t t = 0; x && t < r->n_targets; t++) {
        for (size_t q = 0; q < R; q++)
            x[q] = out[q * r->n_targets + t];
        as_estimate est = as_stats_estimate(x, (int)R);
        m[t] = est.mean;
        if (e)
            e[t] = est;
    }
    free(x);
    return x ? 0 : -1;
}

/* Runs theta; per-target means into m (and the replications' estimates when e). */
static int simulate(fit *ft, const double *theta, double *m, as_estimate *e)
{
    if (as_sweep_evaluate(ft->job, theta, ft->out, ft->err) != AS_OK) {
        ft->failed = 1;
        return -1;
    }
    return take(ft, ft->out, m, e);
}

/* Runs the n parameter sets thetas[i * k ...] (side by side where the
 * threads allow: as_sweep_evaluate_many, the same values as one at a time),
 * then takes them in order: per-target means into ms[i * n_targets ...]. */
static int simulate_all(fit *ft, const double *thetas, size_t n, double *ms)
{
    size_t values = as_sweep_values(ft->job);
    double *outs = as_malloc((n * values + 1) * sizeof *outs);
    int rc = outs ? as_sweep_evaluate_many(ft->job, thetas, n, outs, ft->err)
                  : as_error_set(ft->err, AS_ENOMEM, "calibrate", "out of memory");
    for (size_t i = 0; rc == AS_OK && i < n; i++)
        if (take(ft, outs + i * values, ms + i * ft->r->n_targets, NULL) != 0)
            rc = as_error_set(ft->err, AS_ENOMEM, "calibrate", "out of memory");
    free(outs);
    ft->failed |= rc != AS_OK;
    return rc == AS_OK ? 0 : -1;
}

/* Q: the sum of squared standardized distances of the simulated means m from the targets. */
static double distance(const as_cal_result *r, const double *m)
{
    double q = 0;
    for (size_t t = 0; t < r->n_targets; t++)
        q += pow((m[t] - r->observed[t]) / r->se[t], 2);
    return q;
}

static double objective(const gsl_vector *z, void *ctx)
{
    fit *ft = ctx;
    as_cal_result *r = ft->r;
    double theta[64], m[256];
    if (ft->failed)
        return GSL_POSINF;
    for (size_t j = 0; j < r->k; j++)
        theta[j] = theta_of(r, j, gsl_vector_get(z, j));
    if (simulate(ft, theta, m, NULL) != 0)
        return GSL_POSINF;
    double q = distance(r, m);
    return isfinite(q) ? q : GSL_POSINF;
}

/* ---- the result ---------------------------------------------------------------------------- */

static int alloc_result(as_cal_result *r, const as_params *p)
{
    const as_calibration *c = &p->calibration;
    r->k = c->parameters.n;
    r->n_targets = c->targets.n;
    size_t k = r->k + 1, n = r->n_targets + 1;
    r->param_ids = as_calloc(k, sizeof(char *));
    r->param_paths = as_calloc(k, sizeof(char *));
    r->target_ids = as_calloc(n, sizeof(char *));
    r->target_metrics = as_calloc(n, sizeof(char *));
    r->theta = as_calloc(k, sizeof(double));
    r->theta_se = as_calloc(k, sizeof(double));
    r->lo = as_calloc(k, sizeof(double));
    r->hi = as_calloc(k, sizeof(double));
    r->scale = as_calloc(k, sizeof(int));
    r->observed = as_calloc(n, sizeof(double));
    r->se = as_calloc(n, sizeof(double));
    r->sim = as_calloc(n, sizeof(double));
    r->sim_lo = as_calloc(n, sizeof(double));
    r->sim_hi = as_calloc(n, sizeof(double));
    r->z = as_calloc(n, sizeof(double));
    if (!r->param_ids || !r->param_paths || !r->target_ids || !r->target_metrics || !r->theta || !r->theta_se ||
        !r->lo || !r->hi || !r->scale || !r->observed || !r->se || !r->sim || !r->sim_lo || !r->sim_hi || !r->z)
        return -1;
    for (size_t j = 0; j < r->k; j++) {
        const as_cal_param *cp = &c->parameters.items[j];
        r->param_ids[j] = as_strdup(cp->id);
        r->param_paths[j] = as_strdup(cp->path);
        r->lo[j] = cp->min;
        r->hi[j] = cp->max;
        r->scale[j] = cp->scale;
    }
    for (size_t t = 0; t < r->n_targets; t++) {
        const as_cal_target *ct = &c->targets.items[t];
        r->target_ids[t] = as_strdup(ct->id);
        r->target_metrics[t] = as_strdup(ct->metric);
        r->observed[t] = ct->value;
        r->se[t] = isnan(ct->se) ? ct->tolerance / 1.96 : ct->se;
    }
    r->scenario_name = as_strdup(p->name ? p->name : "");
    r->scenario_sources = as_strdup(p->sources ? p->sources : "");
    return 0;
}

void as_cal_result_free(as_cal_result *r)
{
    for (size_t j = 0; r->param_ids && j < r->k; j++) {
        free(r->param_ids[j]);
        free(r->param_paths[j]);
    }
    for (size_t t = 0; r->target_ids && t < r->n_targets; t++) {
        free(r->target_ids[t]);
        free(r->target_metrics[t]);
    }
    void *all[] = {r->param_ids, r->param_paths, r->target_ids, r->target_metrics, r->theta, r->theta_se, r->lo,
                   r->hi, r->scale, r->observed, r->se, r->sim, r->sim_lo, r->sim_hi, r->z, r->sets,
                   r->scenario_name, r->scenario_sources};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(r, 0, sizeof *r);
}

/* ---- checks before fitting ------------------------------------------------------------------ */

static int check_block(const char *path, const as_params *p, as_error *err)
{
    const as_calibration *c = &p->calibration;
    char where[1200];
    int before = err->count;
    if (c->targets.n == 0 || c->parameters.n == 0)
        return as_error_set(err, AS_EINPUT, path, "calibration: expected targets and parameters to fit (see "
                                                  "docs/model.md, section 9)");
    for (size_t t = 0; t < c->targets.n; t++) {
        const as_cal_target *ct = &c->targets.items[t];
        snprintf(where, sizeof where, "%s: calibration.targets.%s", path, ct->id);
        if (isnan(ct->se) == isnan(ct->tolerance))
            as_error_set(err, AS_EINPUT, where, "give exactly one of se and tolerance");
        else if ((isnan(ct->se) ? ct->tolerance : ct->se) <= 0)
            as_error_set(err, AS_EINPUT, where, "se or tolerance must be above 0");
    }
    for (size_t j = 0; j < c->parameters.n; j++) {
        const as_cal_param *cp = &c->parameters.items[j];
        snprintf(where, sizeof where, "%s: calibration.parameters.%s", path, cp->id);
        if (!(cp->min < cp->max))
            as_error_set(err, AS_EINPUT, where, "min %g is not below max %g", cp->min, cp->max);
    }
    if (c->parameters.n > c->targets.n)
        as_error_set(err, AS_EINPUT, path,
                     "calibration: %zu free parameters but %zu targets (expected at most as many parameters as "
                     "targets: the rest cannot be told apart)", c->parameters.n, c->targets.n);
    if (c->parameters.n > 64 || c->targets.n > 256)
        as_error_set(err, AS_EINPUT, path, "calibration: at most 64 parameters and 256 targets");
    return err->count == before ? AS_OK : AS_EINPUT;
}

/* The sweep that evaluates the scenario at parameter values: no design, the targets as outputs. */
static as_sweep *sweep_of(const char *path, const char *const *sets, int n_sets, const as_params *p)
{
    const as_calibration *c = &p->calibration;
    as_sweep *sw = as_calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    sw->path = as_strdup(path);
    sw->text = as_strdup("");
    sw->name = as_strdup("calibration");
    sw->scenario = as_strdup(path);
    sw->method = AS_DESIGN_GRID;
    sw->levels = 1;
    sw->sets = as_calloc((size_t)n_sets + 1, sizeof *sw->sets);
    for (int i = 0; sw->sets && i < n_sets; i++)
        sw->sets[sw->n_sets++] = as_strdup(sets[i]);
    sw->params = as_calloc(c->parameters.n + 1, sizeof *sw->params);
    for (size_t j = 0; sw->params && j < c->parameters.n; j++) {
        as_sweep_param *sp = &sw->params[sw->n_params++];
        sp->name = as_strdup(c->parameters.items[j].path);
        sp->dist = AS_DIST_UNIFORM;
        sp->arg[0] = c->parameters.items[j].min;
        sp->arg[1] = c->parameters.items[j].max;
        sp->scale = c->parameters.items[j].scale;
    }
    sw->outputs = as_calloc(c->targets.n + 1, sizeof *sw->outputs);
    for (size_t t = 0; sw->outputs && t < c->targets.n; t++)
        sw->outputs[sw->n_outputs++] = as_strdup(c->targets.items[t].metric);
    return sw;
}

/* The starting point: the value in effect where it is a number inside the bounds (1 for a factor), else the middle. */
static double start_of(const as_params *p, const as_cal_param *cp)
{
    double mid = 0.5 * (cp->min + cp->max), v = cp->scale ? 1 : NAN;
    if (!cp->scale) {
        as_error quiet;
        as_error_clear(&quiet);
        char **paths;
        size_t n = as_params_expand(p, cp->path, &paths);
        cJSON *j = n ? as_params_value(p, paths[0], "", &quiet) : NULL;
        v = cJSON_IsNumber(j) ? j->valuedouble : NAN;
        cJSON_Delete(j);
        for (size_t i = 0; i < n; i++)
            free(paths[i]);
        free(paths);
    }
    double margin = 0.02 * (cp->max - cp->min);
    return isfinite(v) && v > cp->min + margin && v < cp->max - margin ? v : mid;
}

/* A parameter that moves no target between its bounds makes the objective flat in it.  The 2k
 * simulations (each parameter at its lower and upper bound, the others at theta0) run as a batch. */
static int check_informed(fit *ft, const double *theta0, const char *path, as_error *err)
{
    as_cal_result *r = ft->r;
    size_t k = r->k, nt = r->n_targets;
    double *theta = as_malloc(2 * k * k * sizeof *theta), *m = as_malloc(2 * k * nt * sizeof *m);
    int before = err->count, rc = theta && m ? AS_OK : as_error_set(err, AS_ENOMEM, path, "out of memory");
    for (size_t j = 0; rc == AS_OK && j < k; j++)
        for (int end = 0; end < 2; end++) {
            double *t = theta + (2 * j + (size_t)end) * k;
            memcpy(t, theta0, k * sizeof *t);
            t[j] = end ? r->hi[j] : r->lo[j];
        }
    if (rc == AS_OK && simulate_all(ft, theta, 2 * k, m) != 0)
        rc = AS_EINPUT;
    for (size_t j = 0; rc == AS_OK && j < k; j++) {
        const double *a = m + 2 * j * nt, *b = a + nt;
        int moves = 0;
        for (size_t t = 0; t < nt; t++)
            moves |= fabs(a[t] - b[t]) > 1e-9 * r->se[t];
        if (!moves) {
            char where[1200];
            snprintf(where, sizeof where, "%s: calibration.parameters.%s", path, r->param_ids[j]);
            as_error_set(err, AS_EINPUT, where,
                         "%s moves no target between %g and %g (a flat objective: the targets do not inform it; "
                         "fix it, or add a target it moves)", r->param_paths[j], r->lo[j], r->hi[j]);
        }
    }
    free(theta);
    free(m);
    return rc != AS_OK ? rc : err->count == before ? AS_OK : AS_EINPUT;
}

/* Standard errors at the optimum from the Jacobian of (m_t / s_t), by central differences of 2% of
 * each parameter's range (inside the bounds): 2k simulations, run as a batch. */
static void standard_errors(fit *ft)
{
    as_cal_result *r = ft->r;
    size_t k = r->k, n = r->n_targets;
    gsl_matrix *J = gsl_matrix_alloc(n, k), *JtJ = gsl_matrix_alloc(k, k);
    double *theta = as_malloc(2 * k * k * sizeof *theta), *m = as_malloc(2 * k * n * sizeof *m);
    double step[64];
    int ok = J && JtJ && theta && m;
    for (size_t j = 0; ok && j < k; j++) {
        double h = 0.02 * (r->hi[j] - r->lo[j]), a = fmax(r->lo[j], r->theta[j] - h), b = fmin(r->hi[j], r->theta[j] + h);
        double *down = theta + 2 * j * k, *up = down + k;
        memcpy(down, r->theta, k * sizeof *down);
        memcpy(up, r->theta, k * sizeof *up);
        down[j] = a;
        up[j] = b;
        step[j] = b - a;
    }
    ok = ok && simulate_all(ft, theta, 2 * k, m) == 0;
    for (size_t j = 0; ok && j < k; j++) {
        const double *down = m + 2 * j * n, *up = down + n;
        for (size_t t = 0; t < n; t++)
            gsl_matrix_set(J, t, j, (up[t] - down[t]) / step[j] / r->se[t]);
    }
    for (size_t j = 0; j < k; j++)
        r->theta_se[j] = NAN;
    for (size_t j = 0; ok && j < k; j++) { /* a parameter the targets do not move at the optimum */
        double norm = 0;
        for (size_t t = 0; t < n; t++)
            norm += fabs(gsl_matrix_get(J, t, j));
        if (norm == 0)
            r->theta_se[j] = INFINITY;
    }
    if (ok) {
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, J, J, 0.0, JtJ);
        if (gsl_linalg_cholesky_decomp1(JtJ) == GSL_SUCCESS && gsl_linalg_cholesky_invert(JtJ) == GSL_SUCCESS)
            for (size_t j = 0; j < k; j++)
                if (!isinf(r->theta_se[j]))
                    r->theta_se[j] = sqrt(gsl_matrix_get(JtJ, j, j) * (1 + 1.0 / r->replications));
    }
    free(theta);
    free(m);
    gsl_matrix_free(J);
    gsl_matrix_free(JtJ);
}

/* ---- fitting --------------------------------------------------------------------------------- */

/* The start: the best of the value in effect and a scan of 4 + 4k quasi-random points inside the
 * bounds (GSL's Halton sequence), so that a start on a plateau (seats full: the targets do not move
 * with the rate there) does not trap the simplex, whose first steps would all stay on it.  The
 * points run as a batch; the first of the least distance wins, as when they ran one at a time. */
static int scan_start(fit *ft, double *theta0)
{
    as_cal_result *r = ft->r;
    size_t k = r->k, n = 5 + 4 * k, nt = r->n_targets;
    double best = GSL_POSINF, point[64];
    double *theta = as_malloc(n * k * sizeof *theta), *m = as_malloc(n * nt * sizeof *m);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_halton, (unsigned)k);
    int rc = theta && m && q ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        double *t = theta + i * k;
        if (i == 0) {
            memcpy(t, theta0, k * sizeof *t);
            continue;
        }
        gsl_qrng_get(q, point);
        for (size_t j = 0; j < k; j++) /* inside the bounds, 2% of the range clear of them */
            t[j] = r->lo[j] + (r->hi[j] - r->lo[j]) * (0.02 + 0.96 * point[j]);
    }
    if (rc == 0)
        rc = simulate_all(ft, theta, n, m);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        double Q = distance(r, m + i * nt);
        if (Q < best) {
            best = Q;
            memcpy(r->theta, theta + i * k, k * sizeof *theta);
        }
    }
    if (rc == 0)
        memcpy(theta0, r->theta, k * sizeof *theta0);
    gsl_qrng_free(q);
    free(theta);
    free(m);
    return rc;
}

static int minimise(fit *ft, const double *theta0, as_error *err)
{
    as_cal_result *r = ft->r;
    size_t k = r->k;
    gsl_vector *z = gsl_vector_alloc(k), *step = gsl_vector_alloc(k);
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, k);
    if (!z || !step || !s) {
        gsl_vector_free(z);
        gsl_vector_free(step);
        gsl_multimin_fminimizer_free(s);
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory");
    }
    for (size_t j = 0; j < k; j++) {
        double u = (theta0[j] - r->lo[j]) / (r->hi[j] - r->lo[j]);
        gsl_vector_set(z, j, log(u / (1 - u)));
    }
    gsl_vector_set_all(step, 1.0);
    gsl_multimin_function f = {objective, k, ft};
    gsl_multimin_fminimizer_set(s, &f, z, step);
    int status = GSL_CONTINUE;
    while (status == GSL_CONTINUE && r->evaluations < ft->max_evaluations && !ft->failed) {
        if (gsl_multimin_fminimizer_iterate(s))
            break;
        status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-3);
        if (s->fval < 1e-12) /* every target hit exactly */
            status = GSL_SUCCESS;
    }
    r->converged = status == GSL_SUCCESS;
    for (size_t j = 0; j < k; j++)
        r->theta[j] = theta_of(r, j, gsl_vector_get(s->x, j));
    r->objective = s->fval;
    gsl_vector_free(z);
    gsl_vector_free(step);
    gsl_multimin_fminimizer_free(s);
    return ft->failed ? err->code : AS_OK;
}

int as_calibrate(const char *path, const char *const *sets, int n_sets, const as_cal_options *opt, as_cal_result *r,
                 as_error *err)
{
    memset(r, 0, sizeof *r);
    as_scenario *sc = NULL;
    int rc = as_scenario_load(path, sets, n_sets, &sc, err);
    if (rc == AS_OK)
        rc = check_block(path, &sc->params, err);
    if (rc == AS_OK && alloc_result(r, &sc->params) != 0)
        rc = as_error_set(err, AS_ENOMEM, path, "out of memory");
    as_sweep *sw = rc == AS_OK ? sweep_of(path, sets, n_sets, &sc->params) : NULL;
    as_sweep_options so = {.output = "calibration", .threads = opt->threads};
    fit ft = {.r = r, .err = err,
              .max_evaluations = opt->max_evaluations ? opt->max_evaluations : sc ? sc->params.calibration.max_evaluations : 1};
    as_progress_start(&ft.line, opt->progress, 0); /* the checks and standard errors add to the fit's count */
    double theta0[64];
    if (rc == AS_OK && !sw)
        rc = as_error_set(err, AS_ENOMEM, path, "out of memory");
    if (rc == AS_OK)
        rc = as_sweep_begin(sw, &so, 0, &ft.job, err);
    if (rc == AS_OK) {
        r->replications = as_sweep_replications(ft.job);
        ft.out = as_malloc((as_sweep_values(ft.job) + 1) * sizeof *ft.out);
        for (size_t j = 0; j < r->k; j++)
            theta0[j] = start_of(&sc->params, &sc->params.calibration.parameters.items[j]);
        rc = ft.out ? check_informed(&ft, theta0, path, err) : as_error_set(err, AS_ENOMEM, path, "out of memory");
    }
    if (rc == AS_OK && scan_start(&ft, theta0) != 0)
        rc = ft.failed ? err->code : as_error_set(err, AS_ENOMEM, path, "out of memory");
    if (rc == AS_OK)
        rc = minimise(&ft, theta0, err);
    if (rc == AS_OK) {
        as_estimate e[256];
        if (simulate(&ft, r->theta, r->sim, e) == 0) {
            for (size_t t = 0; t < r->n_targets; t++) {
                r->sim_lo[t] = e[t].lo;
                r->sim_hi[t] = e[t].hi;
                r->z[t] = (r->sim[t] - r->observed[t]) / r->se[t];
            }
            standard_errors(&ft);
            r->sets = as_sweep_scenario_sets(ft.job, r->theta);
        }
        rc = ft.failed ? err->code : AS_OK;
    }
    as_progress_end(&ft.line);
    for (size_t t = 0; rc == AS_OK && t < r->n_targets; t++)
        if (fabs(r->z[t]) > 2) {
            char where[1200];
            snprintf(where, sizeof where, "%s: calibration.targets.%s", path, r->target_ids[t]);
            as_error_set(err, AS_EINPUT, where,
                         "cannot be reached within the bounds: the closest the model comes is %g (observed %g, se %g: "
                         "%.1f standard errors away); widen the bounds or free another parameter",
                         r->sim[t], r->observed[t], r->se[t], r->z[t]);
        }
    for (size_t j = 0; rc == AS_OK && j < r->k; j++)
        if (isinf(r->theta_se[j])) {
            char where[1200];
            snprintf(where, sizeof where, "%s: calibration.parameters.%s", path, r->param_ids[j]);
            as_error_set(err, AS_EINPUT, where,
                         "the targets do not pin %s down: near the fit (%g) they do not move with it, so any value "
                         "around it fits as well (with seats or slots full, a count of placements only says the rate "
                         "is high enough); add a target it moves there, such as its applicants", r->param_paths[j],
                         r->theta[j]);
        }
    if (rc == AS_OK && err->code == AS_OK && !r->converged)
        as_error_set(err, AS_EINTERNAL, path,
                     "calibration did not converge within %d simulations (calibration.max_evaluations; the best "
                     "point so far is shown)", ft.max_evaluations);
    free(ft.out);
    as_sweep_end(ft.job);
    as_sweep_free(sw);
    as_scenario_free(sc);
    return err->code;
}

void as_cal_write_table(FILE *f, const as_cal_result *r)
{
    fprintf(f, "Calibration of %s: %d simulations of %d replications each, objective %.4g (sum of squared "
               "standardized distances)%s\n\n", r->scenario_name, r->evaluations, r->replications, r->objective,
            r->converged ? "" : ", NOT CONVERGED");
    fprintf(f, "  %-22s %-44s %12s %10s %12s %-25s %8s\n", "target", "metric", "observed", "se", "simulated",
            "[95% interval, noise]", "z");
    for (size_t t = 0; t < r->n_targets; t++)
        fprintf(f, "  %-22s %-44s %12.6g %10.4g %12.6g [%10.6g, %10.6g] %+8.2f\n", r->target_ids[t],
                r->target_metrics[t], r->observed[t], r->se[t], r->sim[t], r->sim_lo[t], r->sim_hi[t], r->z[t]);
    fprintf(f, "\n  %-22s %-44s %12s %10s   %s\n", "parameter", "path", "fitted", "se", "bounds");
    for (size_t j = 0; j < r->k; j++)
        fprintf(f, "  %-22s %-44s %12.6g %10.4g   [%g, %g]%s\n", r->param_ids[j], r->param_paths[j], r->theta[j],
                r->theta_se[j], r->lo[j], r->hi[j], r->scale[j] ? " (a factor on the values in effect)" : "");
}
