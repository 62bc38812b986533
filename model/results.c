#include "results.h"
#include "alloc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const as_dim_names[AS_D_COUNT] = {
    "grade", "pathway", "subgroup", "credential", "destination", "dual_enrollment",
    "wbl", "postsecondary", "apprenticeship", "occupation", "cost_item", "applicant_source", "wbl_kind",
    "supply_source", "other_source"};
const char *const as_dim_meanings[AS_D_COUNT] = {
    [AS_D_GRADE] = "High-school grade, 9 to 12.",
    [AS_D_PATHWAY] = "Program (pathway) id of the scenario, or none for students in no program.",
    [AS_D_SUBGROUP] = "Student subgroup: all (every student) or one attribute. Subgroups overlap: select all or one, never add them up.",
    [AS_D_CREDENTIAL] = "Credential id: industry credentials, postsecondary programs, apprenticeships, then iet (each with its level and CIP or SOC code beside it).",
    [AS_D_DESTINATION] = "Where a graduate went after high school.",
    [AS_D_DUAL] = "Dual-enrollment offer id of the scenario.",
    [AS_D_WBL] = "Work-based learning program id of the scenario.",
    [AS_D_POSTSEC] = "Postsecondary program id of the scenario.",
    [AS_D_TRADE] = "Registered apprenticeship id of the scenario.",
    [AS_D_OCCUPATION] = "Occupation: SOC 2018 code of the labor table (its title in openings).",
    [AS_D_COST_ITEM] = "What a cost pays for.",
    [AS_D_APPLICANT_SOURCE] = "Where an apprenticeship applicant comes from.",
    [AS_D_WBL_KIND] = "Kind of work-based learning placement.",
    [AS_D_SUPPLY_SOURCE] = "The kind of credential that pipeline entrants bring to the occupation.",
    [AS_D_OTHER_SOURCE] = "Source of other supply."};
const char *const as_other_source_names[AS_OTH_COUNT] = {
    "scenario_input", "completions", "in_migration", "share_of_openings"};
const char *const as_supply_source_names[AS_SUP_COUNT] = {
    "high_school_credential", "postsecondary", "apprenticeship", "iet"};

#define V0(n, u, q, m) {n, 0, {0, 0}, u, q, m}
#define V1(n, a, u, q, m) {n, 1, {a, 0}, u, q, m}
#define V2(n, a, b, u, q, m) {n, 2, {a, b}, u, q, m}

const as_var_def as_var_defs[AS_V_COUNT] = {
    [AS_V_STUDENTS_IN_SCHOOL] = V1("students_in_school", AS_D_GRADE, "students", AS_Q_COUNT, "High-school students by grade at the start of the year."),
    [AS_V_ENTRANTS] = V1("entrants", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Students entering grade 9."),
    [AS_V_ENROLLED] = V2("enrolled", AS_D_PATHWAY, AS_D_SUBGROUP, "students", AS_Q_COUNT, "High-school students in each program after the year's admissions."),
    [AS_V_APPLICANTS] = V1("applicants", AS_D_PATHWAY, "students", AS_Q_COUNT, "Students who applied to each program (those below its gpa_min are neither admitted nor waitlisted)."),
    [AS_V_ADMITTED] = V1("admitted", AS_D_PATHWAY, "students", AS_Q_COUNT, "Applicants admitted."),
    [AS_V_WAITLISTED] = V1("waitlisted", AS_D_PATHWAY, "students", AS_Q_COUNT, "Eligible applicants not admitted for lack of seats (they may reapply)."),
    [AS_V_PATHWAY_COMPLETERS] = V2("pathway_completers", AS_D_PATHWAY, AS_D_SUBGROUP, "students", AS_Q_COUNT, "Graduates who met their program's completion requirements."),
    [AS_V_GRADUATES] = V2("graduates", AS_D_PATHWAY, AS_D_SUBGROUP, "students", AS_Q_COUNT, "High-school graduates by the program they were in."),
    [AS_V_DROPOUTS] = V1("dropouts", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Students who left high school without graduating."),
    [AS_V_PATHWAY_HOURS] = V1("pathway_hours", AS_D_PATHWAY, "hours", AS_Q_HOURS, "Pathway coursework hours accumulated."),
    [AS_V_ADVANCED_PASSED] = V1("advanced_passed", AS_D_PATHWAY, "courses", AS_Q_COUNT, "Advanced (AP-type and dual-enrollment) courses passed."),
    [AS_V_DUAL_APPLICANTS] = V1("dual_applicants", AS_D_DUAL, "students", AS_Q_COUNT, "Eligible students who sought dual enrollment."),
    [AS_V_DUAL_ENROLLED] = V1("dual_enrolled", AS_D_DUAL, "students", AS_Q_COUNT, "Students enrolled in dual enrollment."),
    [AS_V_DUAL_CREDITS] = V1("dual_credits", AS_D_DUAL, "credits", AS_Q_COUNT, "College credits earned in dual enrollment."),
    [AS_V_DUAL_STUDENTS] = V1("dual_students", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Students in any dual enrollment."),
    [AS_V_WBL_APPLICANTS] = V1("wbl_applicants", AS_D_WBL, "students", AS_Q_COUNT, "Students who sought a work-based learning placement."),
    [AS_V_WBL_PLACED] = V1("wbl_placed", AS_D_WBL, "students", AS_Q_COUNT, "Students placed in an employer slot."),
    [AS_V_WBL_COMPLETED] = V1("wbl_completed", AS_D_WBL, "students", AS_Q_COUNT, "Placements completed."),
    [AS_V_WBL_HOURS] = V1("wbl_hours", AS_D_WBL, "hours", AS_Q_HOURS, "Work-based learning hours completed."),
    [AS_V_WBL_PARTICIPANTS] = V1("wbl_participants", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Students placed in any work-based learning."),
    [AS_V_CREDENTIALS] = V2("credentials", AS_D_CREDENTIAL, AS_D_SUBGROUP, "credentials", AS_Q_COUNT, "Credentials awarded: industry certifications, postsecondary awards, apprenticeship and IET completions."),
    [AS_V_GRADS_POSTSEC_EXPERIENCE] = V1("graduates_with_college_credit", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Graduates who earned college credit in high school (seed 003's accountability metric)."),
    [AS_V_GRADS_WITH_CREDENTIAL] = V1("graduates_with_credential", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Graduates holding an industry credential."),
    [AS_V_DESTINATIONS] = V2("destinations", AS_D_DESTINATION, AS_D_SUBGROUP, "students", AS_Q_COUNT, "Where graduates went (after seats and slots)."),
    [AS_V_POSTSEC_STARTS] = V1("postsecondary_starts", AS_D_POSTSEC, "students", AS_Q_COUNT, "New students of each postsecondary program."),
    [AS_V_POSTSEC_ENROLLED] = V1("postsecondary_enrolled", AS_D_POSTSEC, "students", AS_Q_COUNT, "Students enrolled in each postsecondary program."),
    [AS_V_POSTSEC_YEARS] = V1("postsecondary_years_to_complete", AS_D_POSTSEC, "years", AS_Q_YEARS, "Sum over this year's completers of their years enrolled (divide by completions for the mean)."),
    [AS_V_APPRENTICE_APPLICANTS] = V1("apprenticeship_applicants", AS_D_TRADE, "people", AS_Q_COUNT, "People seeking a registered apprenticeship slot."),
    [AS_V_APPRENTICE_STARTS] = V1("apprenticeship_starts", AS_D_TRADE, "apprentices", AS_Q_COUNT, "New apprentices."),
    [AS_V_APPRENTICES] = V1("apprentices", AS_D_TRADE, "apprentices", AS_Q_COUNT, "Apprentices in training."),
    [AS_V_APPRENTICE_LEAVERS] = V1("apprenticeship_leavers", AS_D_TRADE, "apprentices", AS_Q_COUNT, "Apprentices who left before completing."),
    [AS_V_APPRENTICE_EARNINGS] = V1("apprentice_earnings", AS_D_TRADE, "dollars", AS_Q_WAGE_USD, "Wages of apprentices in training, in US dollars: the journeyworker median wage times a share rising from start_wage_share to 1 over the term."),
    [AS_V_APPRENTICE_APPLICANTS_BY_SOURCE] = V2("apprenticeship_applicants_by_source", AS_D_TRADE, AS_D_APPLICANT_SOURCE, "people", AS_Q_COUNT, "Apprenticeship applicants by where they come from: this year's graduates, earlier graduates working or not, postsecondary leavers, IET completers, external applicants."),
    [AS_V_APPRENTICE_STARTS_BY_SOURCE] = V2("apprenticeship_starts_by_source", AS_D_TRADE, AS_D_APPLICANT_SOURCE, "apprentices", AS_Q_COUNT, "New apprentices by where they come from."),
    [AS_V_APPRENTICE_UNFILLED] = V1("apprenticeship_unfilled", AS_D_TRADE, "slots", AS_Q_COUNT, "Sponsor slots left empty for want of applicants: slots minus starts."),
    [AS_V_APPRENTICE_COMPLETIONS] = V1("apprenticeship_completions", AS_D_TRADE, "apprentices", AS_Q_COUNT, "Apprentices completing their term (journeyworkers)."),
    [AS_V_IET_ENROLLED] = V0("iet_enrolled", "adults", AS_Q_COUNT, "Adults in Integrated Education and Training."),
    [AS_V_IET_COMPLETERS] = V0("iet_completers", "adults", AS_Q_COUNT, "Adults completing Integrated Education and Training."),
    [AS_V_LABOR_ENTRANTS] = V1("labor_entrants", AS_D_CREDENTIAL, "people", AS_Q_COUNT, "People entering the labor market, by the credential that qualifies them."),
    [AS_V_ENTRANTS_WITH_EXPERIENCE] = V1("labor_entrants_with_experience", AS_D_CREDENTIAL, "people", AS_Q_COUNT, "Labor entrants whose chance of working in the field their experiences shift (effects: pathway completion, work-based learning, an industry credential of the field)."),
    [AS_V_IN_FIELD_WITH_EXPERIENCE] = V1("in_field_entrants_with_experience", AS_D_CREDENTIAL, "workers", AS_Q_COUNT, "Expected in-field workers among labor_entrants_with_experience: the sum of their shifted in-field probabilities (supply counts them instead of in_field_share times their number)."),
    [AS_V_GRADS_CREDIT_AND_CREDENTIAL] = V1("graduates_with_credit_and_credential", AS_D_SUBGROUP, "students", AS_Q_COUNT, "Graduates holding both college credit and an industry credential."),
    [AS_V_WBL_COMPLETERS_BY_KIND] = V2("wbl_completers_by_kind", AS_D_WBL_KIND, AS_D_SUBGROUP, "students", AS_Q_COUNT, "Completed work-based learning placements by kind (internship, co-op, capstone, pre-apprenticeship) and subgroup."),
    [AS_V_COST] = V1("cost", AS_D_COST_ITEM, "dollars", AS_Q_USD, "Program costs, in US dollars (as the scenario's cost parameters state them)."),
    [AS_V_SUPPLY] = V1("supply", AS_D_OCCUPATION, "workers", AS_Q_COUNT, "Local pipeline supply (workers): labor entrants allocated to occupations through the crosswalk, times each credential's in-field share."),
    [AS_V_SUPPLY_BY_SOURCE] = V2("supply_by_source", AS_D_OCCUPATION, AS_D_SUPPLY_SOURCE, "workers", AS_Q_COUNT, "Pipeline supply (workers) split by the credential the entrants bring: a high-school industry credential, a postsecondary award, a registered apprenticeship, IET; the sources sum to supply."),
    [AS_V_EARNINGS] = V0("earnings", "dollars per year", AS_Q_WAGE_USD, "Annual earnings of the year's in-field pipeline supply at the occupations' median wages, in US dollars per year."),
};

size_t as_results_var_size(const as_results *r, int v)
{
    size_t n = 1;
    for (int d = 0; d < as_var_defs[v].ndims; d++)
        n *= r->dims[as_var_defs[v].dims[d]].len;
    return n;
}

double as_results_bytes(const as_params *p, size_t n_occ)
{
    as_results r;
    memset(&r, 0, sizeof r);
    const size_t len[AS_D_COUNT] = {
        [AS_D_GRADE] = AS_GRADES, [AS_D_PATHWAY] = p->programs.n + 1, [AS_D_SUBGROUP] = p->subgroups.n + 1,
        [AS_D_CREDENTIAL] = as_results_cred_iet(p) + 1, [AS_D_DESTINATION] = AS_DEST_COUNT,
        [AS_D_DUAL] = p->dual_enrollment.n, [AS_D_WBL] = p->wbl.n, [AS_D_POSTSEC] = p->postsecondary.n,
        [AS_D_APPLICANT_SOURCE] = AS_SRC_COUNT, [AS_D_WBL_KIND] = AS_WBL_KINDS, [AS_D_SUPPLY_SOURCE] = AS_SUP_COUNT,
        [AS_D_OTHER_SOURCE] = AS_OTH_COUNT, [AS_D_TRADE] = p->apprenticeships.n, [AS_D_OCCUPATION] = n_occ,
        [AS_D_COST_ITEM] = AS_C_COUNT};
    for (int d = 0; d < AS_D_COUNT; d++)
        r.dims[d].len = len[d];
    double slab = 0;
    for (int v = 0; v < AS_V_COUNT; v++)
        slab += (double)as_results_var_size(&r, v);
    return 8.0 * ((double)p->replications * p->years * slab + (double)p->years * (double)n_occ * (2 + AS_OTH_COUNT));
}

double *as_results_at(const as_results *r, int v, int replication, int year)
{
    return r->values + ((size_t)replication * (size_t)r->years + (size_t)year) * r->slab + r->offset[v];
}

size_t as_results_cred_industry(const as_params *p, size_t i) { (void)p; return i; }
size_t as_results_cred_postsec(const as_params *p, size_t i) { return p->credentials.n + i; }
size_t as_results_cred_trade(const as_params *p, size_t i) { return p->credentials.n + p->postsecondary.n + i; }
size_t as_results_cred_iet(const as_params *p) { return p->credentials.n + p->postsecondary.n + p->apprenticeships.n; }

static char *copy(const char *s)
{
    char *d = as_malloc(strlen(s) + 1);
    if (d)
        strcpy(d, s);
    return d;
}

/* Fills a dimension from the ids of a collection (item size `size`), plus an optional last label. */
static int dim_from_ids(as_dim *d, const void *items, size_t n, size_t size, const char *last)
{
    d->len = n + (last ? 1 : 0);
    d->labels = as_calloc(d->len ? d->len : 1, sizeof *d->labels);
    if (!d->labels)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(d->labels[i] = copy(*(char *const *)((const char *)items + i * size))))
            return -1;
    if (last && !(d->labels[n] = copy(last)))
        return -1;
    return 0;
}

static int dim_from_names(as_dim *d, const char *const *names, size_t n)
{
    d->len = n;
    d->labels = as_calloc(n ? n : 1, sizeof *d->labels);
    if (!d->labels)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(d->labels[i] = copy(names[i])))
            return -1;
    return 0;
}

int as_results_alloc(as_results *r, const as_params *p, size_t n_occ, char *const *occ_codes, as_error *err)
{
    static const char *const grades[AS_GRADES] = {"9", "10", "11", "12"};
    static const char *const cost_items[AS_C_COUNT] = {
        "pathways", "dual_enrollment", "wbl", "exams", "postsecondary", "apprenticeships", "iet"};
    memset(r, 0, sizeof *r);
    r->replications = p->replications;
    r->years = p->years;
    r->start_year = p->start_year;
    r->seed = p->seed;
    int bad = 0;
    bad |= dim_from_names(&r->dims[AS_D_GRADE], grades, AS_GRADES);
    bad |= dim_from_ids(&r->dims[AS_D_PATHWAY], p->programs.items, p->programs.n, sizeof(as_program), "none");
    bad |= dim_from_ids(&r->dims[AS_D_SUBGROUP], p->subgroups.items, p->subgroups.n, sizeof(as_subgroup), NULL);
    if (!bad) { /* "all" first */
        as_dim *g = &r->dims[AS_D_SUBGROUP];
        char **labels = as_realloc(g->labels, (g->len + 1) * sizeof *labels);
        if (!labels) bad = -1;
        else {
            memmove(labels + 1, labels, g->len * sizeof *labels);
            g->labels = labels;
            g->len++;
            if (!(labels[0] = copy("all"))) bad = -1;
        }
    }
    size_t n_cred = as_results_cred_iet(p) + 1;
    as_dim *c = &r->dims[AS_D_CREDENTIAL];
    c->len = n_cred;
    c->labels = as_calloc(n_cred, sizeof *c->labels);
    r->credential_level = as_calloc(n_cred, sizeof *r->credential_level);
    r->credential_code = as_calloc(n_cred, sizeof *r->credential_code);
    r->credential_field = as_calloc(n_cred, sizeof *r->credential_field);
    if (!c->labels || !r->credential_level || !r->credential_code || !r->credential_field)
        bad = -1;
    for (size_t i = 0; !bad && i < n_cred; i++) {
        const char *id = "iet", *code = p->iet.cip ? p->iet.cip : "";
        int level = AS_LEVEL_CERTIFICATE, cluster = -1;
        if (i < p->credentials.n) {
            const as_credential *cr = &p->credentials.items[i];
            id = cr->id; code = cr->cip; level = AS_LEVEL_INDUSTRY; cluster = cr->cluster;
        } else if (i < as_results_cred_trade(p, 0)) {
            const as_postsec_program *ps = &p->postsecondary.items[i - p->credentials.n];
            id = ps->id; code = ps->cip; cluster = ps->cluster;
            level = ps->level == 0 ? AS_LEVEL_CERTIFICATE : ps->level == 1 ? AS_LEVEL_ASSOCIATE : AS_LEVEL_BACHELOR;
        } else if (i < as_results_cred_iet(p)) {
            const as_trade *t = &p->apprenticeships.items[i - as_results_cred_trade(p, 0)];
            id = t->id; code = t->soc; level = AS_LEVEL_APPRENTICESHIP; cluster = t->cluster;
        }
        r->credential_level[i] = level;
        if (!(c->labels[i] = copy(id)) || !(r->credential_code[i] = copy(code ? code : "")) ||
            !(r->credential_field[i] = copy(cluster >= 0 ? p->clusters.items[cluster].id : "")))
            bad = -1;
    }
    bad |= dim_from_names(&r->dims[AS_D_DESTINATION], as_destination_names, AS_DEST_COUNT);
    bad |= dim_from_ids(&r->dims[AS_D_DUAL], p->dual_enrollment.items, p->dual_enrollment.n, sizeof(as_dual_enrollment), NULL);
    bad |= dim_from_ids(&r->dims[AS_D_WBL], p->wbl.items, p->wbl.n, sizeof(as_wbl), NULL);
    bad |= dim_from_ids(&r->dims[AS_D_POSTSEC], p->postsecondary.items, p->postsecondary.n, sizeof(as_postsec_program), NULL);
    bad |= dim_from_names(&r->dims[AS_D_APPLICANT_SOURCE], as_applicant_source_names, AS_SRC_COUNT);
    bad |= dim_from_names(&r->dims[AS_D_WBL_KIND], as_wbl_kind_names, AS_WBL_KINDS);
    bad |= dim_from_names(&r->dims[AS_D_SUPPLY_SOURCE], as_supply_source_names, AS_SUP_COUNT);
    bad |= dim_from_names(&r->dims[AS_D_OTHER_SOURCE], as_other_source_names, AS_OTH_COUNT);
    bad |= dim_from_ids(&r->dims[AS_D_TRADE], p->apprenticeships.items, p->apprenticeships.n, sizeof(as_trade), NULL);
    bad |= dim_from_names(&r->dims[AS_D_OCCUPATION], (const char *const *)occ_codes, n_occ);
    bad |= dim_from_names(&r->dims[AS_D_COST_ITEM], cost_items, AS_C_COUNT);
    if (!bad) {
        size_t off = 0;
        for (int v = 0; v < AS_V_COUNT; v++) {
            r->offset[v] = off;
            off += as_results_var_size(r, v);
        }
        r->slab = off;
        size_t n = (size_t)r->replications * (size_t)r->years * r->slab;
        r->values = as_calloc(n ? n : 1, sizeof *r->values);
        r->occupation_title = as_calloc(n_occ ? n_occ : 1, sizeof *r->occupation_title);
        r->occupation_wage = as_calloc(n_occ ? n_occ : 1, sizeof *r->occupation_wage);
        r->openings = as_calloc((size_t)r->years * n_occ + 1, sizeof *r->openings);
        r->other_supply = as_calloc((size_t)r->years * n_occ + 1, sizeof *r->other_supply);
        r->other_supply_assumed = as_calloc(n_occ + 1, sizeof *r->other_supply_assumed);
        r->other_supply_by_source = as_calloc((size_t)r->years * n_occ * AS_OTH_COUNT + 1, sizeof(double));
        r->occupation_entry_education = as_calloc(n_occ + 1, sizeof(double));
        r->occupation_work_experience = as_calloc(n_occ + 1, sizeof(double));
        if (!r->values || !r->occupation_title || !r->occupation_wage || !r->openings || !r->other_supply ||
            !r->other_supply_assumed || !r->other_supply_by_source || !r->occupation_entry_education ||
            !r->occupation_work_experience)
            bad = -1;
    }
    if (bad) {
        as_results_free(r);
        return as_error_set(err, AS_ENOMEM, NULL, "out of memory allocating results");
    }
    return AS_OK;
}

void as_results_free(as_results *r)
{
    if (!r)
        return;
    for (int d = 0; d < AS_D_COUNT; d++) {
        for (size_t i = 0; r->dims[d].labels && i < r->dims[d].len; i++)
            free(r->dims[d].labels[i]);
        free(r->dims[d].labels);
    }
    size_t n_cred = r->dims[AS_D_CREDENTIAL].len, n_occ = r->dims[AS_D_OCCUPATION].len;
    for (size_t i = 0; r->credential_code && i < n_cred; i++)
        free(r->credential_code[i]);
    for (size_t i = 0; r->credential_field && i < n_cred; i++)
        free(r->credential_field[i]);
    free(r->credential_field);
    for (size_t i = 0; r->occupation_title && i < n_occ; i++)
        free(r->occupation_title[i]);
    free(r->credential_code);
    free(r->credential_level);
    free(r->occupation_title);
    free(r->occupation_wage);
    free(r->openings);
    free(r->other_supply);
    free(r->other_supply_assumed);
    free(r->other_supply_by_source);
    free(r->occupation_entry_education);
    free(r->occupation_work_experience);
    free(r->values);
    memset(r, 0, sizeof *r);
}

void as_results_summary(const as_results *r, int v, int year, double *mean, double *sd, double *lo,
                        double *hi)
{
    size_t n = as_results_var_size(r, v);
    int reps = r->replications;
    double t = reps > 1 ? gsl_cdf_tdist_Pinv(0.975, reps - 1) : 0;
    for (size_t i = 0; i < n; i++) {
        /* two-pass mean and variance: exact enough, and order-fixed */
        double sum = 0;
        for (int q = 0; q < reps; q++)
            sum += as_results_at(r, v, q, year)[i];
        double m = sum / reps, ss = 0;
        for (int q = 0; q < reps; q++) {
            double dlt = as_results_at(r, v, q, year)[i] - m;
            ss += dlt * dlt;
        }
        double s = reps > 1 ? sqrt(ss / (reps - 1)) : 0;
        double half = reps > 1 ? t * s / sqrt((double)reps) : 0;
        mean[i] = m;
        sd[i] = s;
        lo[i] = m - half;
        hi[i] = m + half;
    }
}
