/*
 * params.c - derived defaults and the cross-field checks of a scenario.
 */
#include "params.h"
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Seed 004 (Massachusetts DESE) signature learning experiences, and the
 * programs of seed 000.  Read across: hours, courses, advanced courses,
 * WBL hours, college credits, credential required, WBL required. */
const as_requirements as_pathway_type_defaults[AS_PT_COUNT] = {
    [AS_PT_CTE] = {900, 0, 0, 0, 0, 1, 1},
    [AS_PT_CAREER_CONNECTIONS] = {0, 2, 0, 0, 0, 0, 1},
    [AS_PT_INNOVATION] = {0, 0, 2, 100, 0, 0, 0},
    [AS_PT_EARLY_COLLEGE] = {0, 0, 0, 0, 12, 0, 0},
    [AS_PT_ADVANCED_ACADEMICS] = {0, 0, 2, 0, 0, 0, 0},
    [AS_PT_MAGNET] = {0, 4, 0, 0, 0, 0, 0},
    [AS_PT_GENERAL] = {0, 0, 0, 0, 0, 0, 0},
};

const char *const as_pathway_type_names[AS_PT_COUNT] = {
    "cte", "career_connections", "innovation", "early_college", "advanced_academics", "magnet", "general"};
const char *const as_destination_names[AS_DEST_COUNT] = {
    "four_year", "community_college", "apprenticeship", "work", "none"};
const char *const as_level_names[AS_LEVEL_COUNT] = {
    "industry_certification", "certificate", "associate", "bachelor", "apprenticeship"};

void as_params_finish(as_params *p)
{
    if (p->cohort_years < 0)
        p->cohort_years = p->years;
    for (size_t i = 0; i < p->programs.n; i++) {
        as_program *pr = &p->programs.items[i];
        const as_requirements *d = &as_pathway_type_defaults[pr->type];
        as_requirements *r = &pr->req;
        if (isnan(r->hours)) r->hours = d->hours;
        if (isnan(r->courses)) r->courses = d->courses;
        if (isnan(r->advanced_courses)) r->advanced_courses = d->advanced_courses;
        if (isnan(r->wbl_hours)) r->wbl_hours = d->wbl_hours;
        if (isnan(r->college_credits)) r->college_credits = d->college_credits;
        if (r->credential < 0) r->credential = d->credential;
        if (r->wbl < 0) r->wbl = d->wbl;
    }
}

long as_params_cohort_size(const as_params *p, int t)
{
    if (t < -p->warmup_years || t >= p->cohort_years)
        return 0;
    return lround(p->cohort_size * pow(1.0 + p->cohort_growth, t));
}

const char *const as_wbl_kind_names[AS_WBL_KINDS] = {"internship", "coop", "capstone", "pre_apprenticeship"};
const char *const as_pool_source_names[AS_POOL_COUNT] = {
    "working", "not_working", "postsecondary_leavers", "iet_completers"};
const char *const as_applicant_source_names[AS_SRC_COUNT] = {
    "graduates", "working", "not_working", "postsecondary_leavers", "iet_completers", "external"};

long as_params_external_applicants(const as_params *p)
{
    long n = 0;
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        n += lround(p->apprenticeships.items[j].external_applicants);
    return n;
}

double as_schedule_at(const as_schedule *s, int year)
{
    if (s->n == 0)
        return s->value;
    int i = 0;
    while (i + 1 < s->n && s->year[i + 1] <= year)
        i++;
    return s->v[i];
}

int as_params_calendar_year(const as_params *p, int t)
{
    return p->start_year + t - p->warmup_years;
}

double as_params_memory_estimate(const as_params *p)
{
    double students = 0; /* in doubles: a fast-growing cohort must not wrap (as_params_check bounds it) */
    for (int t = -p->warmup_years; t < p->years; t++)
        if (t < p->cohort_years)
            students += p->cohort_size * pow(1.0 + p->cohort_growth, t);
    students += p->iet.adults_per_year * (p->warmup_years + p->years);
    students += (double)as_params_external_applicants(p) * (p->warmup_years + p->years);
    return students * (double)as_engine_state_bytes() + 64.0 * 1024 * 1024;
}

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond))                                                  \
            as_error_set(err, AS_EINPUT, where, __VA_ARGS__);         \
    } while (0)

int as_params_check(const as_params *p, const char *where, as_error *err)
{
    int before = err->count;
    CHECK(p->cohort_years <= p->years, "cohort_years: %d is more than years (%d)", p->cohort_years, p->years);
    CHECK(p->subgroups.n <= AS_MAX_SUBGROUPS, "subgroups: %zu attributes (expected at most %d)",
          p->subgroups.n, AS_MAX_SUBGROUPS);
    CHECK(p->programs.n <= AS_MAX_PROGRAMS, "programs: %zu programs (expected at most %d)", p->programs.n,
          AS_MAX_PROGRAMS);
    const struct { const char *key; size_t n, max; } sizes[] = {
        {"credentials", p->credentials.n, AS_MAX_ITEMS}, {"clusters", p->clusters.n, AS_MAX_ITEMS},
        {"postsecondary", p->postsecondary.n, AS_MAX_ITEMS}, {"apprenticeships", p->apprenticeships.n, AS_MAX_ITEMS},
        {"dual_enrollment", p->dual_enrollment.n, AS_MAX_OFFERS}, {"wbl", p->wbl.n, AS_MAX_OFFERS}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        CHECK(sizes[i].n <= sizes[i].max, "%s: %zu items (expected at most %zu)", sizes[i].key, sizes[i].n,
              sizes[i].max);
    double interest = 0;
    for (size_t i = 0; i < p->clusters.n; i++)
        interest += p->clusters.items[i].interest_share;
    CHECK(interest <= 1 + 1e-9, "clusters: interest_share values sum to %g (expected at most 1)", interest);
    double base = 0;
    for (int d = 0; d < AS_DEST_COUNT; d++)
        base += p->destinations.base[d];
    CHECK(fabs(base - 1) < 1e-6, "destinations.base: probabilities sum to %g (expected 1)", base);
    for (size_t i = 0; i < p->programs.n; i++) {
        const as_program *pr = &p->programs.items[i];
        CHECK(pr->entry_grade_min <= pr->entry_grade_max,
              "programs.%s.entry_grade_min: %d is after entry_grade_max %d", pr->id, pr->entry_grade_min,
              pr->entry_grade_max);
        CHECK(!(pr->req.credential == 1 && pr->credential < 0),
              "programs.%s.requirements.credential: the program requires an industry credential but names "
              "none (expected \"credential\": an id of credentials, or requirements.credential false)",
              pr->id);
        CHECK(!(pr->req.wbl == 1 && pr->wbl < 0),
              "programs.%s.requirements.wbl: the program requires work-based learning but names no wbl "
              "program (expected \"wbl\": an id of wbl, or requirements.wbl false)",
              pr->id);
    }
    for (size_t i = 0; i < p->wbl.n; i++)
        CHECK(p->wbl.items[i].grade_min <= p->wbl.items[i].grade_max, "wbl.%s.grade_min: after grade_max",
              p->wbl.items[i].id);
    for (size_t i = 0; i < p->apprenticeships.n; i++) {
        const as_trade *t = &p->apprenticeships.items[i];
        /* only a completed pre-apprenticeship sets the flag the preapp keys act on */
        CHECK(t->preapp < 0 || p->wbl.items[t->preapp].kind == AS_WBL_PREAPP,
              "apprenticeships.%s.preapp: wbl %s is of kind \"%s\" (expected a wbl of kind "
              "\"pre_apprenticeship\", or null)",
              t->id, t->preapp >= 0 ? p->wbl.items[t->preapp].id : "", t->preapp >= 0 ? as_wbl_kind_names[p->wbl.items[t->preapp].kind] : "");
    }
    CHECK(p->iet.to_community_college + p->iet.to_work <= 1 + 1e-9,
          "iet: to_community_college + to_work = %g (expected at most 1)",
          p->iet.to_community_college + p->iet.to_work);
    for (int t = 0; t < p->cohort_years; t++) { /* the largest cohort, grown, stays a count alignsim can hold */
        double cohort = p->cohort_size * pow(1.0 + p->cohort_growth, t);
        if (!(cohort <= 1e9)) {
            CHECK(0, "cohort_growth: the cohort of %g students growing by %g a year reaches %.3g students in year %d "
                  "(expected at most 1e9 students per cohort; lower cohort_growth or cohort_years)",
                  p->cohort_size, p->cohort_growth, cohort, p->start_year + t);
            break;
        }
    }
    double bytes = as_params_memory_estimate(p);
    CHECK(bytes < 16e9,
          "cohort_size: the run would need about %.1f GB per replication (expected under 16 GB; lower "
          "cohort_size, years or iet.adults_per_year)",
          bytes / 1e9);
    return err->count == before ? AS_OK : AS_EINPUT;
}
