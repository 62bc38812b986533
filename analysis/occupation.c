#include "occupation.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "stats.h"
#include "words.h"

int as_occupation_parse(const as_results *r, const char *file, const char *socs, size_t *occ, size_t max,
                        size_t *n, as_error *err)
{
    const as_dim *d = &r->dims[AS_D_OCCUPATION];
    *n = 0;
    const char *p = socs;
    while (*p) {
        size_t len = strcspn(p, ",");
        char code[32];
        if (len == 0 || len >= sizeof code)
            return as_error_set(err, AS_EINPUT, "--occupation", "\"%s\": expected SOC codes separated by commas, such as 47-2111,49-9021", socs);
        memcpy(code, p, len);
        code[len] = '\0';
        size_t o = 0;
        while (o < d->len && strcmp(d->labels[o], code) != 0)
            o++;
        if (o == d->len)
            return as_error_set(err, AS_EINPUT, "--occupation",
                                "\"%s\" is not an occupation of %s (expected a detailed SOC code of its labor table, such as 47-2111)",
                                code, file);
        if (*n == max)
            return as_error_set(err, AS_EINPUT, "--occupation", "more than %zu occupations", max);
        occ[(*n)++] = o;
        p += len + (p[len] == ',');
    }
    if (*n == 0)
        return as_error_set(err, AS_EINPUT, "--occupation", "no SOC code given (expected such as 47-2111)");
    return AS_OK;
}

int as_occupation_year(const as_results *r, const char *file, int year, int *t, as_error *err)
{
    *t = year == 0 ? r->years - 1 : year - r->start_year;
    if (*t < 0 || *t >= r->years)
        return as_error_set(err, AS_EINPUT, "--year", "%d is outside %s (expected %d to %d)", year, file,
                            r->start_year, r->start_year + r->years - 1);
    return AS_OK;
}

void as_occupation_other_source(const as_results *r, const char *scenario_json, size_t o, char *buf, size_t size)
{
    const char *code = r->dims[AS_D_OCCUPATION].labels[o];
    cJSON *json = scenario_json ? cJSON_Parse(scenario_json) : NULL;
    const cJSON *lm = cJSON_GetObjectItemCaseSensitive(json, "labor_market");
    const cJSON *listed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(lm, "other_supply"), code);
    const cJSON *share = cJSON_GetObjectItemCaseSensitive(lm, "other_supply_share");
    const double *by = r->other_supply_by_source + o * AS_OTH_COUNT; /* the first year: completions and
                                                                     * in-migration are the same every year */
    size_t at = 0;
    buf[0] = '\0';
    if (!json)
        at += (size_t)snprintf(buf, size, "(source unknown: the file has no scenario)");
    else if (listed)
        at += (size_t)snprintf(buf, size, "scenario input (labor_market.other_supply)");
    if (!listed && by[AS_OTH_COMPLETIONS] > 0 && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%sdata: completions table (labor_market.completions)", at ? "; " : "");
    if (!listed && by[AS_OTH_IN_MIGRATION] > 0 && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%sscenario input: in-migration (labor_market.in_migration)",
                               at ? "; " : "");
    if (r->other_supply_assumed[o] && at < size)
        at += (size_t)snprintf(buf + at, size - at,
                               "%sASSUMPTION, illustrative and not calibrated: %g%% of openings (labor_market.other_supply_share)",
                               at ? "; " : "", cJSON_IsNumber(share) ? 100 * share->valuedouble : NAN);
    if (!at)
        snprintf(buf, size, "none given (0)");
    cJSON_Delete(json);
}

void as_occupation_entry(const as_results *r, size_t o, char *buf, size_t size)
{
    static const char *const education[9] = {
        "entry education not in the table", "doctoral or professional degree", "master's degree",
        "bachelor's degree", "associate's degree", "postsecondary nondegree award", "some college, no degree",
        "high-school diploma or equivalent", "no formal educational credential"};
    static const char *const experience[5] = {
        "related work experience not in the table", "5 years or more of related work experience",
        "less than 5 years of related work experience", "", "no related work experience"};
    int e = (int)r->occupation_entry_education[o], x = (int)r->occupation_work_experience[o];
    snprintf(buf, size, "%s; %s", education[e >= 0 && e <= 8 ? e : 0], experience[x >= 0 && x <= 4 && x != 3 ? x : 0]);
}

const char *const as_occupation_metric_names[AS_OM_COUNT] = {
    "openings", "pipeline supply", "  from high-school credentials", "  from postsecondary awards",
    "  from apprenticeships", "  from IET", "other supply", "  scenario input", "  from the completions table",
    "  from in-migration", "  share of openings (ASSUMPTION)", "pipeline share of openings (%)",
    "gap (openings - all supply)", "ratio (all supply / openings)"};

/* Metric m of occupation o, year t, replication q. */
static double value(const as_results *r, int m, size_t o, int t, int q)
{
    size_t n_occ = r->dims[AS_D_OCCUPATION].len;
    double open = r->openings[(size_t)t * n_occ + o], other = r->other_supply[(size_t)t * n_occ + o];
    double pipe = as_results_at(r, AS_V_SUPPLY, q, t)[o];
    switch (m) {
    case AS_OM_OPENINGS: return open;
    case AS_OM_PIPELINE: return pipe;
    case AS_OM_OTHER: return other;
    case AS_OM_SHARE: return open > 0 ? 100 * pipe / open : NAN;
    case AS_OM_GAP: return open - pipe - other;
    case AS_OM_RATIO: return open > 0 ? (pipe + other) / open : NAN;
    default:
        if (m >= AS_OM_OTHER_SOURCE0)
            return r->other_supply_by_source[((size_t)t * n_occ + o) * AS_OTH_COUNT + (size_t)(m - AS_OM_OTHER_SOURCE0)];
        return as_results_at(r, AS_V_SUPPLY_BY_SOURCE, q, t)[o * AS_SUP_COUNT + (size_t)(m - AS_OM_SOURCE0)];
    }
}

as_estimate as_occupation_estimate(const as_results *a, const as_results *b, int m, size_t o, int t)
{
    int n = a->replications;
    double *x = as_malloc((size_t)(n > 0 ? n : 1) * sizeof *x);
    as_estimate e = {NAN, NAN, NAN, NAN, 0};
    if (!x)
        return e;
    for (int q = 0; q < n; q++)
        x[q] = value(a, m, o, t, q) - (b ? value(b, m, o, t, q) : 0);
    e = as_stats_estimate(x, n);
    free(x);
    return e;
}

/* "214.0 [210.1, 217.9]", or the plain number when every replication agrees. */
static void cell(char *buf, size_t size, as_estimate e, int decimals)
{
    if (isnan(e.mean))
        snprintf(buf, size, "n/a");
    else if (e.hi - e.lo < 0.5 * pow(10, -decimals) || e.n < 2)
        snprintf(buf, size, "%.*f", decimals, e.mean);
    else
        snprintf(buf, size, "%.*f [%.*f, %.*f]", decimals, e.mean, decimals, e.lo, decimals, e.hi);
}

const char *as_occupation_band(double ratio)
{
    if (isnan(ratio))
        return "n/a (no openings)";
    int b = as_metrics_band(ratio);
    return b == AS_BAND_UNDER ? "under-supplied" : b == AS_BAND_OVER ? "over-supplied" : "balanced";
}

int as_occupation_write(FILE *f, const as_results *runs, const char *const *names, const char *const *scenario_json,
                        int n_runs, const size_t *occ, size_t n, int t)
{
    const as_results *r = &runs[0];
    fprintf(f, "Occupation view, %d: mean over %d replications, [95%% interval] = simulation noise only\n", r->start_year + t,
            r->replications);
    for (int i = 0; i < n_runs; i++)
        fprintf(f, "  %s: %s\n", i == 0 ? (n_runs > 1 ? "base" : "run") : "proposal", names[i]);
    for (size_t k = 0; k < n; k++) {
        size_t o = occ[k];
        char buf[3][96], src[160];
        fprintf(f, "\n%s %s\n", r->dims[AS_D_OCCUPATION].labels[o], r->occupation_title ? r->occupation_title[o] : "");
        fprintf(f, "  %-34s %-28s", "", n_runs > 1 ? "base" : "value");
        if (n_runs > 1)
            fprintf(f, " %-28s %s", "proposal", "difference (paired)");
        fputc('\n', f);
        for (int m = 0; m < AS_OM_COUNT; m++) {
            int dec = m == AS_OM_RATIO ? 3 : 1;
            cell(buf[0], sizeof buf[0], as_occupation_estimate(&runs[0], NULL, m, o, t), dec);
            fprintf(f, "  %-34s %-28s", as_occupation_metric_names[m], buf[0]);
            if (n_runs > 1) {
                cell(buf[1], sizeof buf[1], as_occupation_estimate(&runs[1], NULL, m, o, t), dec);
                cell(buf[2], sizeof buf[2], as_occupation_estimate(&runs[1], &runs[0], m, o, t), dec);
                fprintf(f, " %-28s %s", buf[1], buf[2]);
            }
            fputc('\n', f);
        }
        fprintf(f, "  %-34s", "band (of the mean ratio)");
        for (int i = 0; i < n_runs; i++)
            fprintf(f, " %-28s", as_occupation_band(as_occupation_estimate(&runs[i], NULL, AS_OM_RATIO, o, t).mean));
        fputc('\n', f);
        char entry[160];
        as_occupation_entry(r, o, entry, sizeof entry);
        fprintf(f, "  %-34s %s (BLS)\n", "typical entry", entry);
        double wage = r->occupation_wage ? r->occupation_wage[o] : NAN;
        if (isfinite(wage))
            fprintf(f, "  %-34s %s (BLS, 2024)\n", "median wage", as_words_money(entry, sizeof entry, wage));
        else
            fprintf(f, "  %-34s not published\n", "median wage");
        for (int i = 0; i < n_runs; i++) {
            as_occupation_other_source(&runs[i], scenario_json ? scenario_json[i] : NULL, o, src, sizeof src);
            fprintf(f, "  other supply (%s): %s\n", i == 0 ? (n_runs > 1 ? "base" : "run") : "proposal", src);
        }
    }
    return ferror(f) ? -1 : 0;
}
