/*
 * metric_path.c - outputs named by paths (analysis/metric_path.h).
 */
#include "metric_path.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static const struct {
    const char *name;
    int kind;
} measures[] = {
    {"openings", AS_MK_OPENINGS}, {"other_supply", AS_MK_OTHER}, {"gap", AS_MK_GAP}, {"ratio", AS_MK_RATIO},
    {"pipeline_share", AS_MK_SHARE}, {"alignment_index", AS_MK_ALIGNMENT},
};

static long find_label(const as_results *r, int d, const char *label)
{
    for (size_t i = 0; i < r->dims[d].len; i++)
        if (!strcmp(r->dims[d].labels[i], label))
            return (long)i;
    return -1;
}

/* Applies one "dim[label]" selection to m. */
static int select_one(const as_results *r, const char *text, const char *dim, const char *label, as_metric *m,
                      as_error *err, const char *where)
{
    char at[1200];
    snprintf(at, sizeof at, "%s: %s", where, text);
    if (!strcmp(dim, "year")) {
        char *end;
        long year = strtol(label, &end, 10);
        if (*end || end == label || year < r->start_year || year >= r->start_year + r->years)
            return as_error_set(err, AS_EINPUT, at, "year[%s]: expected a calendar year from %d to %d", label,
                                r->start_year, r->start_year + r->years - 1);
        m->t = (int)(year - r->start_year);
        return AS_OK;
    }
    int d = 0;
    while (d < AS_D_COUNT && strcmp(as_dim_names[d], dim))
        d++;
    if (d == AS_D_COUNT)
        return as_error_set(err, AS_EINPUT, at, "\"%s\" is not a dimension (expected year or one of "
                                                "docs/results-format.md's dimensions, such as occupation)", dim);
    long i = find_label(r, d, label);
    if (i < 0)
        return as_error_set(err, AS_EINPUT, at, "\"%s\" is not a %s of this scenario", label, dim);
    if (m->kind != AS_MK_VAR) {
        if (d != AS_D_OCCUPATION || m->kind == AS_MK_ALIGNMENT)
            return as_error_set(err, AS_EINPUT, at, "%s has no %s dimension (expected %s)", text, dim,
                                m->kind == AS_MK_ALIGNMENT ? "year only" : "occupation and year");
        m->occupation = i;
        return AS_OK;
    }
    const as_var_def *v = &as_var_defs[m->var];
    for (int j = 0; j < v->ndims; j++)
        if (v->dims[j] == d) {
            m->pick[j] = i;
            return AS_OK;
        }
    return as_error_set(err, AS_EINPUT, at, "%s has no %s dimension", v->name, dim);
}

int as_metric_parse(const as_results *r, const char *text, const char *where, as_metric *m, as_error *err)
{
    memset(m, 0, sizeof *m);
    m->t = -1;
    m->occupation = -1;
    size_t len = strcspn(text, ".");
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), text);
    m->kind = -1;
    for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++)
        if (!strcmp(measures[i].name, name))
            m->kind = measures[i].kind;
    for (int v = 0; m->kind < 0 && v < AS_V_COUNT; v++)
        if (!strcmp(as_var_defs[v].name, name)) {
            m->kind = AS_MK_VAR;
            m->var = v;
        }
    char at[1200];
    snprintf(at, sizeof at, "%s: %s", where, text);
    if (m->kind < 0)
        return as_error_set(err, AS_EINPUT, at, "\"%s\" is not a results variable or a measure (expected one of "
                                                "docs/results-format.md's variables, or openings, other_supply, gap, "
                                                "ratio, pipeline_share, alignment_index)", name);
    m->pick[0] = m->pick[1] = -1;
    if (m->kind == AS_MK_VAR)
        for (int j = 0; j < as_var_defs[m->var].ndims; j++)
            if (as_var_defs[m->var].dims[j] == AS_D_SUBGROUP)
                m->pick[j] = 0; /* "all" */
    const char *p = text + len;
    while (*p == '.') {
        p++;
        const char *open = strchr(p, '['), *close = open ? strchr(open, ']') : NULL;
        if (!open || !close || close == open + 1 || (close[1] && close[1] != '.'))
            return as_error_set(err, AS_EINPUT, at, "expected NAME.dimension[label].year[YYYY]");
        char dim[64], label[256];
        snprintf(dim, sizeof dim, "%.*s", (int)(open - p), p);
        snprintf(label, sizeof label, "%.*s", (int)(close - open - 1), open + 1);
        if (select_one(r, text, dim, label, m, err, where) != AS_OK)
            return AS_EINPUT;
        p = close + 1;
    }
    if (*p)
        return as_error_set(err, AS_EINPUT, at, "expected NAME.dimension[label].year[YYYY]");
    if (m->kind == AS_MK_ALIGNMENT && m->t < 0)
        return as_error_set(err, AS_EINPUT, at, "alignment_index needs a year (expected alignment_index.year[%d])",
                            r->start_year + r->years - 1);
    return AS_OK;
}

static double var_value(const as_results *r, const as_metric *m, int q, int t)
{
    const as_var_def *v = &as_var_defs[m->var];
    size_t n0 = v->ndims > 0 ? r->dims[v->dims[0]].len : 1, n1 = v->ndims > 1 ? r->dims[v->dims[1]].len : 1;
    const double *x = as_results_at(r, m->var, q, t);
    double sum = 0;
    for (size_t i = 0; i < n0; i++)
        for (size_t j = 0; j < n1; j++)
            if ((m->pick[0] < 0 || (size_t)m->pick[0] == i) && (m->pick[1] < 0 || (size_t)m->pick[1] == j))
                sum += x[i * n1 + j];
    return sum;
}

double as_metric_value(const as_results *r, const as_metric *m, int q)
{
    if (m->kind == AS_MK_ALIGNMENT)
        return as_metrics_alignment_index(r, m->t, q);
    int t0 = m->t < 0 ? 0 : m->t, t1 = m->t < 0 ? r->years : m->t + 1;
    double sum = 0, open = 0, pipe = 0, other = 0;
    size_t n_occ = r->dims[AS_D_OCCUPATION].len;
    for (int t = t0; t < t1; t++) {
        if (m->kind == AS_MK_VAR) {
            sum += var_value(r, m, q, t);
            continue;
        }
        const double *s = as_results_at(r, AS_V_SUPPLY, q, t);
        for (size_t o = 0; o < n_occ; o++)
            if (m->occupation < 0 || (size_t)m->occupation == o) {
                open += r->openings[(size_t)t * n_occ + o];
                other += r->other_supply[(size_t)t * n_occ + o];
                pipe += s[o];
            }
    }
    switch (m->kind) {
    case AS_MK_VAR: return sum;
    case AS_MK_OPENINGS: return open;
    case AS_MK_OTHER: return other;
    case AS_MK_GAP: return open - pipe - other;
    case AS_MK_RATIO: return open > 0 ? (pipe + other) / open : NAN;
    default: return open > 0 ? pipe / open : NAN;
    }
}
