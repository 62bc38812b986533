#include "demand.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int as_demand_load(const as_scenario *sc, as_labor **out, as_error *err)
{
    const as_labor_params *lp = &sc->params.labor;
    enum { N_FILES = 4 };
    const char *refs[N_FILES] = {lp->demand_table, lp->crosswalk, lp->soc_map, lp->completions};
    const char *keys[N_FILES] = {"labor_market.demand_table", "labor_market.crosswalk", "labor_market.soc_map",
                                 "labor_market.completions"};
    char *paths[N_FILES] = {NULL};
    int rc = AS_OK, n = lp->completions && *lp->completions ? N_FILES : N_FILES - 1;
    *out = NULL;
    for (int i = 0; i < n; i++) {
        paths[i] = as_scenario_data_path(sc, refs[i]);
        if (!paths[i]) {
            char where[1024];
            snprintf(where, sizeof where, "%s: %s", sc->path, keys[i]);
            rc = as_error_set(err, AS_EINPUT, where,
                              "\"%s\" leaves its folder (expected \"data:NAME\" inside the data folder, or a path "
                              "inside the scenario's folder)",
                              refs[i]);
        }
    }
    if (rc == AS_OK)
        rc = as_labor_load(paths[0], paths[1], paths[2], out, err);
    if (rc == AS_OK && paths[3] && (rc = as_labor_load_completions(*out, paths[3], err)) != AS_OK) {
        as_labor_free(*out);
        *out = NULL;
    }
    for (int i = 0; i < N_FILES; i++)
        free(paths[i]);
    return rc;
}

static void check_cip(const as_scenario *sc, const as_labor *labor, const char *cip, const char *path,
                      int optional, as_error *err)
{
    char where[1024];
    snprintf(where, sizeof where, "%s: %s", sc->path, path);
    if (optional && (!cip || !*cip))
        return;
    if (!cip || strlen(cip) != 7 || cip[2] != '.')
        as_error_set(err, AS_EINPUT, where, "\"%s\" is not a CIP 2020 code (expected NN.NNNN)", cip ? cip : "");
    else if (!as_labor_cip_known(labor, cip))
        as_error_set(err, AS_EINPUT, where, "CIP \"%s\" is not in the CIP-SOC crosswalk (expected a code it lists)", cip);
}

/* Bytes this process may allocate: the machine's physical memory, or less under an address-space limit
 * (ulimit -v, a batch system's). */
static double machine_memory(void)
{
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    struct rlimit lim;
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY && (double)lim.rlim_cur < phys)
        phys = (double)lim.rlim_cur;
    return phys > 0 ? phys : 1e18;
}

int as_demand_check(const as_scenario *sc, const as_labor *labor, as_error *err)
{
    const as_params *p = &sc->params;
    int before = err->count;
    char path[512], where[1024];
    for (size_t i = 0; i < p->credentials.n; i++) {
        snprintf(path, sizeof path, "credentials.%s.cip", p->credentials.items[i].id);
        check_cip(sc, labor, p->credentials.items[i].cip, path, 0, err);
    }
    for (size_t i = 0; i < p->postsecondary.n; i++) {
        snprintf(path, sizeof path, "postsecondary.%s.cip", p->postsecondary.items[i].id);
        check_cip(sc, labor, p->postsecondary.items[i].cip, path, 0, err);
    }
    for (size_t i = 0; i < p->apprenticeships.n; i++) {
        const as_trade *t = &p->apprenticeships.items[i];
        snprintf(path, sizeof path, "apprenticeships.%s.cip", t->id);
        check_cip(sc, labor, t->cip, path, 1, err);
        snprintf(where, sizeof where, "%s: apprenticeships.%s.soc", sc->path, t->id);
        if (as_labor_find_soc(labor, t->soc) < 0)
            as_error_set(err, AS_EINPUT, where, "SOC \"%s\" is not a detailed occupation of the demand table", t->soc);
    }
    check_cip(sc, labor, p->iet.cip, "iet.cip", 1, err);
    const struct {
        const char *key;
        const as_other_supply *items;
        size_t n;
    } by_soc[] = {{"other_supply", p->labor.other_supply.items, p->labor.other_supply.n},
                  {"in_migration", p->labor.in_migration.items, p->labor.in_migration.n}};
    for (size_t c = 0; c < sizeof by_soc / sizeof by_soc[0]; c++)
        for (size_t i = 0; i < by_soc[c].n; i++) {
            const char *soc = by_soc[c].items[i].id;
            snprintf(where, sizeof where, "%s: labor_market.%s.%s", sc->path, by_soc[c].key, soc);
            if (as_labor_find_soc(labor, soc) < 0)
                as_error_set(err, AS_EINPUT, where,
                             "\"%s\" is not a detailed occupation of the demand table (expected a SOC code such as 47-2111)",
                             soc);
        }
    /* One memory estimate for validate and run, before anything is allocated: every replication's results
     * (as_results_bytes) and one replication's state (as_params_memory_estimate; replications side by side
     * add at most SIDE_BY_SIDE_MEMORY, model/engine.c), against the memory this process may have. */
    double results = as_results_bytes(p, labor->n_occupations), state = as_params_memory_estimate(p);
    double have = machine_memory();
    if (err->count == before && results + state > have)
        as_error_set(err, AS_EINPUT, sc->path, "replications: the run would need about %.1f GB (%.1f GB of results: %d "
                     "replications x %d years of %zu occupations' outputs, and %.1f GB of state) and this machine "
                     "allows %.1f GB (expected fewer replications or years)",
                     (results + state) / 1e9, results / 1e9, p->replications, p->years, labor->n_occupations,
                     state / 1e9, have / 1e9);
    return err->count == before ? AS_OK : AS_EINPUT;
}

/* labor_market.entry_rules (docs/model.md 7.27): can a new holder of an
 * award meeting BLS entry education `education` enter occupation oc?  A code
 * the table leaves empty (0) closes nothing. */
static int may_enter(const as_entry_rules *r, const as_occupation *oc, double education)
{
    if (!r->enabled)
        return 1;
    if (oc->entry_education && oc->entry_education < education)
        return 0;
    if (oc->work_experience == 1 && r->work_experience != AS_EXP_ANY) /* 5 years or more */
        return 0;
    if (oc->work_experience == 2 && r->work_experience == AS_EXP_NONE) /* less than 5 years */
        return 0;
    return !(r->apprentices_only && oc->ojt == 2); /* trained by apprenticeship */
}

/* The crosswalk's occupations for cip that the entry rules open to an award
 * meeting entry education `education`, weighted by their openings (equal
 * weights when none has openings): into occ[] and w[], returns their count. */
static size_t open_links(const as_entry_rules *rules, const as_labor *labor, const char *cip, double education,
                         size_t *occ, double *w)
{
    const size_t *list;
    size_t all = as_labor_cip_occupations(labor, cip, &list), n = 0;
    double total = 0;
    for (size_t i = 0; i < all; i++)
        if (may_enter(rules, &labor->occupations[list[i]], education)) {
            occ[n++] = list[i];
            total += labor->occupations[list[i]].openings;
        }
    for (size_t i = 0; i < n; i++)
        w[i] = total > 0 ? labor->occupations[occ[i]].openings / total : 1.0 / (double)n;
    return n;
}

/* Links of one credential: the trade's own SOC, or the open links of its CIP. */
static size_t links_of(const as_params *p, const as_labor *labor, size_t k, size_t *occ, double *w)
{
    const as_entry_rules *rules = &p->labor.entry_rules;
    const char *cip = NULL, *soc = NULL;
    double education;
    if (k < p->credentials.n) {
        cip = p->credentials.items[k].cip;
        education = p->credentials.items[k].entry_education;
        if (isnan(education))
            education = rules->education[0];
    } else if (k < as_results_cred_trade(p, 0)) {
        const as_postsec_program *ps = &p->postsecondary.items[k - p->credentials.n];
        cip = ps->cip;
        education = isnan(ps->entry_education) ? rules->education[1 + ps->level] /* certificate, associate, bachelor */
                                               : ps->entry_education;
    } else if (k < as_results_cred_iet(p)) {
        soc = p->apprenticeships.items[k - as_results_cred_trade(p, 0)].soc;
        education = 0;
    } else {
        cip = p->iet.cip;
        education = rules->education[1]; /* an IET award: a certificate */
    }
    if (soc) {
        long o = as_labor_find_soc(labor, soc);
        if (o < 0)
            return 0;
        occ[0] = (size_t)o;
        w[0] = 1;
        return 1;
    }
    return cip && *cip ? open_links(rules, labor, cip, education, occ, w) : 0;
}

/* Other supply by source of each occupation in one year but the share of
 * openings (added per year): into by[occupation][AS_OTH_COUNT], zeroed
 * first.  A listed figure (labor_market.other_supply) replaces the rest;
 * 1 in listed[o] then. */
static void other_by_source(const as_params *p, const as_labor *labor, double *by, unsigned char *listed,
                            size_t *occ, double *w)
{
    const as_labor_params *lp = &p->labor;
    size_t n_occ = labor->n_occupations;
    memset(by, 0, n_occ * AS_OTH_COUNT * sizeof *by);
    memset(listed, 0, n_occ);
    double in_field = isnan(lp->completions_in_field_share) ? lp->in_field_share : lp->completions_in_field_share;
    for (size_t i = 0; i < labor->n_completions; i++) {
        const as_completion *c = &labor->completions[i];
        size_t n = open_links(&lp->entry_rules, labor, c->cip, c->education, occ, w);
        for (size_t j = 0; j < n; j++)
            by[occ[j] * AS_OTH_COUNT + AS_OTH_COMPLETIONS] += c->awards * in_field * w[j];
    }
    for (size_t i = 0; i < lp->in_migration.n; i++)
        by[(size_t)as_labor_find_soc(labor, lp->in_migration.items[i].id) * AS_OTH_COUNT + AS_OTH_IN_MIGRATION] +=
            lp->in_migration.items[i].per_year;
    for (size_t i = 0; i < lp->other_supply.n; i++) {
        size_t o = (size_t)as_labor_find_soc(labor, lp->other_supply.items[i].id);
        double *row = by + o * AS_OTH_COUNT;
        memset(row, 0, AS_OTH_COUNT * sizeof *row);
        row[AS_OTH_INPUT] += lp->other_supply.items[i].per_year;
        listed[o] = 1;
    }
}

void as_demand_notes(const as_scenario *sc, const as_labor *labor, FILE *f)
{
    const as_params *p = &sc->params;
    size_t n_occ = labor->n_occupations, n_cred = as_results_cred_iet(p) + 1, closed = 0;
    size_t *occ = as_malloc((n_occ + 1) * sizeof *occ);
    double *w = as_malloc((n_occ + 1) * sizeof *w);
    if (!occ || !w || !p->labor.entry_rules.enabled)
        goto done;
    for (size_t k = 0; k < n_cred; k++) {
        const char *cip = k < p->credentials.n ? p->credentials.items[k].cip
                          : k < as_results_cred_trade(p, 0) ? p->postsecondary.items[k - p->credentials.n].cip
                          : k == as_results_cred_iet(p) && p->iet.adults_per_year > 0 ? p->iet.cip : NULL;
        const size_t *list;
        if (!cip || !*cip || as_labor_cip_occupations(labor, cip, &list) == 0 || links_of(p, labor, k, occ, w) > 0)
            continue;
        if (closed++ == 0)
            fprintf(f, "alignsim: note: %s: the entry rules (labor_market.entry_rules, docs/model.md 7.27) close every "
                       "occupation its CIP code links to for these awards, so their holders supply no occupation "
                       "(set its entry_education if that is not meant):", sc->path);
        const char *sep = closed == 1 ? " " : "; ";
        if (k < p->credentials.n)
            fprintf(f, "%scredentials.%s", sep, p->credentials.items[k].id);
        else if (k < as_results_cred_trade(p, 0))
            fprintf(f, "%spostsecondary.%s", sep, p->postsecondary.items[k - p->credentials.n].id);
        else
            fprintf(f, "%siet", sep);
        fprintf(f, " (CIP %s)", cip);
    }
    if (closed)
        fputc('\n', f);
done:
    free(occ);
    free(w);
}

int as_demand_prepare(const as_scenario *sc, const as_labor *labor, as_results *res, as_market **market,
                      as_error *err)
{
    const as_params *p = &sc->params;
    size_t n_occ = labor->n_occupations;
    *market = NULL;
    char **codes = as_malloc((n_occ ? n_occ : 1) * sizeof *codes);
    if (!codes)
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory");
    for (size_t o = 0; o < n_occ; o++)
        codes[o] = (char *)labor->occupations[o].soc;
    int rc = as_results_alloc(res, p, n_occ, codes, err);
    free(codes);
    if (rc != AS_OK)
        return rc;
    as_market *m = as_calloc(1, sizeof *m);
    size_t n_cred = res->dims[AS_D_CREDENTIAL].len;
    size_t *occ = as_malloc((n_occ + 1) * sizeof *occ);
    double *w = as_malloc((n_occ + 1) * sizeof *w), *fixed = NULL;
    unsigned char *listed = NULL;
    if (!m || !occ || !w || !(m->link_first = as_calloc(n_cred + 1, sizeof(size_t))))
        goto oom;
    m->n_occupations = n_occ;
    m->n_credentials = n_cred;
    if (!(m->in_field = as_calloc(n_cred + 1, sizeof *m->in_field)) || !(m->source = as_calloc(n_cred + 1, 1)))
        goto oom;
    for (size_t k = 0; k < n_cred; k++) { /* in-field share and supply source of each credential */
        double own = NAN;
        m->source[k] = AS_SUP_IET;
        if (k < p->credentials.n) {
            own = p->credentials.items[k].in_field_share;
            m->source[k] = AS_SUP_HIGH_SCHOOL;
        } else if (k < as_results_cred_trade(p, 0)) {
            own = p->postsecondary.items[k - p->credentials.n].in_field_share;
            m->source[k] = AS_SUP_POSTSECONDARY;
        } else if (k < as_results_cred_iet(p)) {
            own = p->apprenticeships.items[k - as_results_cred_trade(p, 0)].in_field_share;
            if (isnan(own) && p->labor.entry_rules.enabled)
                own = 1; /* a registered apprentice works in the trade throughout */
            m->source[k] = AS_SUP_APPRENTICESHIP;
        }
        m->in_field[k] = isnan(own) ? p->labor.in_field_share : own;
    }
    size_t total = 0;
    for (size_t k = 0; k < n_cred; k++)
        total += links_of(p, labor, k, occ, w);
    m->link_occupation = as_malloc((total + 1) * sizeof(size_t));
    m->link_weight = as_malloc((total + 1) * sizeof(double));
    if (!m->link_occupation || !m->link_weight)
        goto oom;
    size_t at = 0;
    for (size_t k = 0; k < n_cred; k++) {
        m->link_first[k] = at;
        size_t n = links_of(p, labor, k, occ, w);
        memcpy(m->link_occupation + at, occ, n * sizeof *occ);
        memcpy(m->link_weight + at, w, n * sizeof *w);
        at += n;
    }
    m->link_first[n_cred] = at;
    m->trade_wage = as_calloc(p->apprenticeships.n + 1, sizeof *m->trade_wage);
    fixed = as_malloc((n_occ * AS_OTH_COUNT + 1) * sizeof *fixed);
    listed = as_malloc(n_occ + 1);
    if (!m->trade_wage || !fixed || !listed)
        goto oom;
    other_by_source(p, labor, fixed, listed, occ, w);
    for (size_t j = 0; j < p->apprenticeships.n; j++) {
        long o = as_labor_find_soc(labor, p->apprenticeships.items[j].soc);
        double wage = o >= 0 ? labor->occupations[o].median_wage : NAN;
        m->trade_wage[j] = isfinite(wage) ? wage : 0;
    }
    for (size_t o = 0; o < n_occ; o++) {
        const as_occupation *oc = &labor->occupations[o];
        if (!(res->occupation_title[o] = as_strdup(oc->title ? oc->title : "")))
            goto oom;
        res->occupation_wage[o] = oc->median_wage;
        double sep = oc->exits + oc->transfers;
        double avg = 0.5 * (oc->employment_base + oc->employment_proj);
        double sep_rate = avg > 0 ? sep / avg : 0;
        double growth = oc->employment_base > 0 && oc->employment_proj > 0
                            ? pow(oc->employment_proj / oc->employment_base, 0.1) : 1;
        res->occupation_entry_education[o] = oc->entry_education;
        res->occupation_work_experience[o] = oc->work_experience;
        res->other_supply_assumed[o] = !listed[o] && p->labor.other_supply_share > 0;
        for (int t = 0; t < p->years; t++) {
            double openings = oc->openings;
            if (p->labor.projection == 1) {
                double years_from_base = (double)(p->start_year + t - 2024);
                double emp = oc->employment_base * pow(growth, years_from_base);
                openings = emp * (growth - 1) + sep_rate * emp;
                if (openings < 0)
                    openings = 0;
            }
            openings *= p->labor.regional_share;
            res->openings[(size_t)t * n_occ + o] = openings;
            double *by = res->other_supply_by_source + ((size_t)t * n_occ + o) * AS_OTH_COUNT, sum = 0;
            memcpy(by, fixed + o * AS_OTH_COUNT, AS_OTH_COUNT * sizeof *by);
            by[AS_OTH_SHARE] = listed[o] ? 0 : p->labor.other_supply_share * openings;
            for (int s = 0; s < AS_OTH_COUNT; s++)
                sum += by[s];
            res->other_supply[(size_t)t * n_occ + o] = sum;
        }
    }
    free(occ);
    free(w);
    free(fixed);
    free(listed);
    *market = m;
    return AS_OK;
oom:
    free(occ);
    free(w);
    free(fixed);
    free(listed);
    as_market_free(m);
    as_results_free(res);
    return as_error_set(err, AS_ENOMEM, NULL, "out of memory preparing the labor market");
}
