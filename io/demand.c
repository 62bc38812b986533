#include "demand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int as_demand_load(const as_scenario *sc, as_labor **out, as_error *err)
{
    const as_labor_params *lp = &sc->params.labor;
    const char *refs[3] = {lp->demand_table, lp->crosswalk, lp->soc_map};
    const char *keys[3] = {"labor_market.demand_table", "labor_market.crosswalk", "labor_market.soc_map"};
    char *paths[3] = {NULL, NULL, NULL};
    int rc = AS_OK;
    for (int i = 0; i < 3; i++) {
        paths[i] = as_scenario_data_path(sc, refs[i]);
        if (!paths[i]) {
            char where[1024];
            snprintf(where, sizeof where, "%s: %s", sc->path, keys[i]);
            rc = as_error_set(err, AS_EINPUT, where,
                              "\"%s\" leaves the scenario's folder (expected \"data:NAME\" or a path inside it)",
                              refs[i]);
        }
    }
    if (rc == AS_OK)
        rc = as_labor_load(paths[0], paths[1], paths[2], out, err);
    for (int i = 0; i < 3; i++)
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
    for (size_t i = 0; i < p->labor.other_supply.n; i++) {
        snprintf(where, sizeof where, "%s: labor_market.other_supply.%s", sc->path, p->labor.other_supply.items[i].id);
        if (as_labor_find_soc(labor, p->labor.other_supply.items[i].id) < 0)
            as_error_set(err, AS_EINPUT, where, "\"%s\" is not a detailed occupation of the demand table (expected a SOC code such as 47-2111)",
                         p->labor.other_supply.items[i].id);
    }
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

/* Links of one credential: the trade's own SOC, or the crosswalk's
 * occupations for its CIP that the entry rules open to it, weighted by their
 * openings. */
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
        education = rules->education[1 + ps->level]; /* certificate, associate, bachelor */
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
    if (!cip || !*cip)
        return 0;
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

int as_demand_prepare(const as_scenario *sc, const as_labor *labor, as_results *res, as_market **market,
                      as_error *err)
{
    const as_params *p = &sc->params;
    size_t n_occ = labor->n_occupations;
    *market = NULL;
    char **codes = malloc((n_occ ? n_occ : 1) * sizeof *codes);
    if (!codes)
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory");
    for (size_t o = 0; o < n_occ; o++)
        codes[o] = (char *)labor->occupations[o].soc;
    int rc = as_results_alloc(res, p, n_occ, codes, err);
    free(codes);
    if (rc != AS_OK)
        return rc;
    as_market *m = calloc(1, sizeof *m);
    size_t n_cred = res->dims[AS_D_CREDENTIAL].len;
    size_t *occ = malloc((n_occ + 1) * sizeof *occ);
    double *w = malloc((n_occ + 1) * sizeof *w);
    if (!m || !occ || !w || !(m->link_first = calloc(n_cred + 1, sizeof(size_t))))
        goto oom;
    m->n_occupations = n_occ;
    m->n_credentials = n_cred;
    if (!(m->in_field = calloc(n_cred + 1, sizeof *m->in_field)) || !(m->source = calloc(n_cred + 1, 1)))
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
    m->link_occupation = malloc((total + 1) * sizeof(size_t));
    m->link_weight = malloc((total + 1) * sizeof(double));
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
    m->trade_wage = calloc(p->apprenticeships.n + 1, sizeof *m->trade_wage);
    if (!m->trade_wage)
        goto oom;
    for (size_t j = 0; j < p->apprenticeships.n; j++) {
        long o = as_labor_find_soc(labor, p->apprenticeships.items[j].soc);
        double wage = o >= 0 ? labor->occupations[o].median_wage : NAN;
        m->trade_wage[j] = isfinite(wage) ? wage : 0;
    }
    for (size_t o = 0; o < n_occ; o++) {
        const as_occupation *oc = &labor->occupations[o];
        if (!(res->occupation_title[o] = strdup(oc->title ? oc->title : "")))
            goto oom;
        res->occupation_wage[o] = oc->median_wage;
        double sep = oc->exits + oc->transfers;
        double avg = 0.5 * (oc->employment_base + oc->employment_proj);
        double sep_rate = avg > 0 ? sep / avg : 0;
        double growth = oc->employment_base > 0 && oc->employment_proj > 0
                            ? pow(oc->employment_proj / oc->employment_base, 0.1) : 1;
        double other = -1;
        for (size_t i = 0; i < p->labor.other_supply.n; i++)
            if (as_labor_find_soc(labor, p->labor.other_supply.items[i].id) == (long)o)
                other = p->labor.other_supply.items[i].per_year;
        res->other_supply_assumed[o] = other < 0 && p->labor.other_supply_share > 0;
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
            res->other_supply[(size_t)t * n_occ + o] = other >= 0 ? other : p->labor.other_supply_share * openings;
        }
    }
    free(occ);
    free(w);
    *market = m;
    return AS_OK;
oom:
    free(occ);
    free(w);
    as_market_free(m);
    as_results_free(res);
    return as_error_set(err, AS_ENOMEM, NULL, "out of memory preparing the labor market");
}
