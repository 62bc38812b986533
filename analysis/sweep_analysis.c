/*
 * sweep_analysis.c - sensitivity of a sweep's outputs (analysis/sweep_analysis.h).
 */
#include "sweep_analysis.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int as_sens_method_of(const char *design)
{
    return !strcmp(design, "saltelli") ? AS_SENS_SOBOL : !strcmp(design, "morris") ? AS_SENS_MORRIS : -1;
}

/* Point means of output o, and the noise share, into s. */
static void point_means(const as_sweep_data *d, size_t o, double *y, as_sens *s)
{
    size_t R = (size_t)d->replications;
    double noise = 0, sum = 0, sq = 0;
    for (size_t p = 0; p < d->n_points; p++) {
        const double *v = d->outputs + p * R * d->n_outputs + o;
        double m = 0, ss = 0;
        for (size_t q = 0; q < R; q++)
            m += v[q * d->n_outputs];
        m /= (double)R;
        for (size_t q = 0; q < R; q++)
            ss += (v[q * d->n_outputs] - m) * (v[q * d->n_outputs] - m);
        noise += R > 1 ? ss / (double)(R - 1) / (double)R : NAN;
        y[p] = m;
        sum += m;
    }
    s->mean = sum / (double)d->n_points;
    for (size_t p = 0; p < d->n_points; p++)
        sq += (y[p] - s->mean) * (y[p] - s->mean);
    double var = d->n_points > 1 ? sq / (double)(d->n_points - 1) : NAN;
    s->sd = sqrt(var);
    s->noise_share = var > 0 ? noise / (double)d->n_points / var : NAN;
}

/* rank[0..k) = the indices of key, largest first (insertion sort: k is small; stable, so ties keep
 * the sweep file's order). */
static void rank_by(const double *key, size_t k, size_t *rank)
{
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        for (; j > 0 && key[rank[j - 1]] < key[i]; j--)
            rank[j] = rank[j - 1];
        rank[j] = i;
    }
}

int as_sens_compute(const as_sweep_data *d, size_t o, int method, size_t n_boot, uint32_t seed, const char *file,
                    as_sens *s, as_error *err)
{
    memset(s, 0, sizeof *s);
    int supported = as_sens_method_of(d->design ? d->design : "");
    if (method < 0)
        method = supported;
    if (method < 0 || method != supported)
        return as_error_set(err, AS_EINPUT, file, "a %s design supports %s (expected a saltelli design for Sobol "
                                                  "indices or a morris design for Morris effects)",
                            d->design, supported < 0 ? "no sensitivity index" : supported ? "morris" : "sobol");
    for (size_t p = 0; p < d->n_points; p++)
        if (!d->done[p])
            return as_error_set(err, AS_EINPUT, file, "point %zu has not run (resume the sweep, or merge its slices)", p);
    s->output = d->output_names[o];
    s->method = method;
    s->k = d->n_params;
    size_t k = s->k;
    double *y = as_malloc((d->n_points + 1) * sizeof *y), *key = as_malloc((k + 1) * sizeof *key);
    s->rank = as_malloc((k + 1) * sizeof *s->rank);
    if (!y || !key || !s->rank) {
        free(y);
        free(key);
        return as_error_set(err, AS_ENOMEM, file, "out of memory");
    }
    point_means(d, o, y, s);
    int rc;
    if (method == AS_SENS_SOBOL) {
        s->n = d->n_points / (k + 2);
        s->sobol = as_calloc(k, sizeof *s->sobol);
        s->steps = as_calloc(AS_SENS_MAX_STEPS * k, sizeof *s->steps);
        rc = s->sobol && s->steps ? as_sobol_indices(y, s->n, k, n_boot, seed, s->sobol) : -2;
        /* the convergence view: the same indices on the first n/32, ..., n/2 blocks */
        for (size_t step = AS_SENS_MAX_STEPS - 1; rc == 0 && step-- > 0;) {
            size_t m = s->n >> (step + 1);
            if (m >= 8 && as_sobol_indices(y, m, k, 0, seed, s->steps + s->n_steps * k) == 0)
                s->step_n[s->n_steps++] = m;
        }
        if (rc == 0) {
            s->step_n[s->n_steps] = s->n;
            memcpy(s->steps + s->n_steps++ * k, s->sobol, k * sizeof *s->sobol);
        }
        for (size_t i = 0; i < k; i++)
            key[i] = s->sobol[i].ST;
    } else {
        s->n = d->n_points / (k + 1);
        s->morris = as_calloc(k, sizeof *s->morris);
        rc = s->morris ? as_morris_indices(y, d->unit, s->n, k, s->morris) : -2;
        for (size_t i = 0; i < k; i++)
            key[i] = s->morris[i].mu_star;
    }
    free(y);
    if (rc == 0)
        rank_by(key, k, s->rank);
    free(key);
    if (rc != 0) {
        as_sens_free(s);
        return rc == -2 ? as_error_set(err, AS_ENOMEM, file, "out of memory")
                        : as_error_set(err, AS_EINPUT, file, "output \"%s\" does not vary across the points (no "
                                                             "share of its variance to give)", d->output_names[o]);
    }
    return AS_OK;
}

void as_sens_free(as_sens *s)
{
    free(s->sobol);
    free(s->morris);
    free(s->steps);
    free(s->rank);
    memset(s, 0, sizeof *s);
}

static void noise_words(FILE *f, const as_sens *s)
{
    if (isnan(s->noise_share))
        fprintf(f, "simulation noise: not known (one replication per point)\n");
    else
        fprintf(f, "simulation noise: %.1f%% of the variance across points (mean over points of the variance of a "
                   "point's mean over its replications)%s\n",
                100 * s->noise_share, s->noise_share > 0.1 ? " - LARGE: the indices are partly noise; add replications" : "");
}

void as_sens_write_text(FILE *f, const as_sens *s, char *const *names)
{
    fprintf(f, "%s: %s, %s %zu; mean %.6g, sd %.6g across points\n", s->output,
            s->method == AS_SENS_SOBOL ? "Sobol indices" : "Morris elementary effects",
            s->method == AS_SENS_SOBOL ? "base sample" : "trajectories", s->n, s->mean, s->sd);
    noise_words(f, s);
    if (s->method == AS_SENS_SOBOL) {
        fprintf(f, "  %-44s %8s %-19s %8s %-19s\n", "parameter (by ST)", "S1", "[95% bootstrap]", "ST", "[95% bootstrap]");
        for (size_t r = 0; r < s->k; r++) {
            const as_sobol_index *x = &s->sobol[s->rank[r]];
            fprintf(f, "  %-44s %8.4f [%7.4f, %7.4f] %8.4f [%7.4f, %7.4f]\n", names[s->rank[r]], x->S1, x->S1_lo,
                    x->S1_hi, x->ST, x->ST_lo, x->ST_hi);
        }
        fprintf(f, "  convergence of ST with the base sample size:\n  %-44s", "parameter");
        for (size_t j = 0; j < s->n_steps; j++)
            fprintf(f, " %8zu", s->step_n[j]);
        fputc('\n', f);
        for (size_t r = 0; r < s->k; r++) {
            fprintf(f, "  %-44s", names[s->rank[r]]);
            for (size_t j = 0; j < s->n_steps; j++)
                fprintf(f, " %8.4f", s->steps[j * s->k + s->rank[r]].ST);
            fputc('\n', f);
        }
    } else {
        fprintf(f, "  %-44s %12s %12s %12s   (per unit of the parameter's whole range)\n", "parameter (by mu*)", "mu*",
                "mu", "sigma");
        for (size_t r = 0; r < s->k; r++) {
            const as_morris_index *x = &s->morris[s->rank[r]];
            fprintf(f, "  %-44s %12.6g %12.6g %12.6g\n", names[s->rank[r]], x->mu_star, x->mu, x->sigma);
        }
    }
}

static cJSON *pair(double lo, double hi)
{
    double v[2] = {lo, hi};
    return cJSON_CreateDoubleArray(v, 2);
}

cJSON *as_sens_json(const as_sens *s, char *const *names)
{
    cJSON *o = cJSON_CreateObject(), *ps = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "output", s->output);
    cJSON_AddStringToObject(o, "method", s->method == AS_SENS_SOBOL ? "sobol" : "morris");
    cJSON_AddNumberToObject(o, s->method == AS_SENS_SOBOL ? "n" : "trajectories", (double)s->n);
    if (isnan(s->noise_share))
        cJSON_AddNullToObject(o, "noise_share");
    else
        cJSON_AddNumberToObject(o, "noise_share", s->noise_share);
    for (size_t r = 0; r < s->k; r++) {
        size_t i = s->rank[r];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", names[i]);
        if (s->method == AS_SENS_SOBOL) {
            cJSON_AddNumberToObject(p, "S1", s->sobol[i].S1);
            cJSON_AddItemToObject(p, "S1_ci", pair(s->sobol[i].S1_lo, s->sobol[i].S1_hi));
            cJSON_AddNumberToObject(p, "ST", s->sobol[i].ST);
            cJSON_AddItemToObject(p, "ST_ci", pair(s->sobol[i].ST_lo, s->sobol[i].ST_hi));
        } else {
            cJSON_AddNumberToObject(p, "mu_star", s->morris[i].mu_star);
            cJSON_AddNumberToObject(p, "mu", s->morris[i].mu);
            if (isnan(s->morris[i].sigma))
                cJSON_AddNullToObject(p, "sigma");
            else
                cJSON_AddNumberToObject(p, "sigma", s->morris[i].sigma);
        }
        cJSON_AddItemToArray(ps, p);
    }
    cJSON_AddItemToObject(o, "parameters", ps);
    if (s->method == AS_SENS_SOBOL) {
        cJSON *conv = cJSON_CreateArray();
        for (size_t j = 0; j < s->n_steps; j++) {
            cJSON *c = cJSON_CreateObject();
            double *st = as_malloc(s->k * sizeof *st), *s1 = as_malloc(s->k * sizeof *s1);
            for (size_t i = 0; st && s1 && i < s->k; i++) {
                st[i] = s->steps[j * s->k + i].ST;
                s1[i] = s->steps[j * s->k + i].S1;
            }
            cJSON_AddNumberToObject(c, "n", (double)s->step_n[j]);
            if (st && s1) {
                cJSON_AddItemToObject(c, "S1", cJSON_CreateDoubleArray(s1, (int)s->k));
                cJSON_AddItemToObject(c, "ST", cJSON_CreateDoubleArray(st, (int)s->k));
            }
            free(st);
            free(s1);
            cJSON_AddItemToArray(conv, c);
        }
        cJSON_AddItemToObject(o, "convergence", conv);
    }
    return o;
}
