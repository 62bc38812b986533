#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int as_metrics_band(double ratio)
{
    if (!(ratio >= AS_BAND_LOW))
        return AS_BAND_UNDER;
    return ratio > AS_BAND_HIGH ? AS_BAND_OVER : AS_BAND_BALANCED;
}

static double pipeline(const as_results *r, size_t o, int t, int q)
{
    if (q >= 0)
        return as_results_at(r, AS_V_SUPPLY, q, t)[o];
    double s = 0;
    for (int k = 0; k < r->replications; k++)
        s += as_results_at(r, AS_V_SUPPLY, k, t)[o];
    return s / r->replications;
}

as_alignment as_metrics_occupation(const as_results *r, size_t o, int t, int q)
{
    size_t n = r->dims[AS_D_OCCUPATION].len;
    as_alignment a;
    a.pipeline = pipeline(r, o, t, q);
    a.other = r->other_supply[(size_t)t * n + o];
    a.openings = r->openings[(size_t)t * n + o];
    a.gap = a.openings - a.pipeline - a.other;
    a.ratio = a.openings > 0 ? (a.pipeline + a.other) / a.openings : NAN;
    a.band = as_metrics_band(a.ratio);
    return a;
}

double as_metrics_alignment_index(const as_results *r, int t, int q)
{
    double gaps = 0, openings = 0;
    for (size_t o = 0; o < r->dims[AS_D_OCCUPATION].len; o++) {
        as_alignment a = as_metrics_occupation(r, o, t, q);
        if (a.openings <= 0)
            continue;
        gaps += fabs(a.gap);
        openings += a.openings;
    }
    return openings > 0 ? 1 - gaps / openings : NAN;
}

/* ---- selections ---------------------------------------------------------------------------------------- */

long as_metrics_find(const as_results *r, int d, const char *label)
{
    for (size_t i = 0; i < r->dims[d].len; i++)
        if (strcmp(r->dims[d].labels[i], label) == 0)
            return (long)i;
    return -1;
}

const char *as_metrics_credential_field(const as_results *r, size_t k, char *buf, size_t size)
{
    if (r->credential_field && r->credential_field[k] && r->credential_field[k][0]) {
        snprintf(buf, size, "%s", r->credential_field[k]);
        return buf;
    }
    const char *code = r->credential_code && r->credential_code[k] ? r->credential_code[k] : "";
    size_t digits = strspn(code, "0123456789");
    if (code[digits] == '.')
        snprintf(buf, size, "CIP %.*s", (int)digits, code);
    else if (code[digits] == '-')
        snprintf(buf, size, "SOC %.*s", (int)digits, code);
    else
        snprintf(buf, size, "%s", "");
    return buf;
}

/* Whether category i of the selection's non-subgroup dimension d is picked. */
static int picked(const as_results *r, const as_selection *s, int d, size_t i, long label_index)
{
    char field[128];
    switch (s->pick) {
    case AS_PICK_LABEL: return (long)i == label_index;
    case AS_PICK_PROGRAMS: return d != AS_D_PATHWAY || i + 1 < r->dims[d].len;
    case AS_PICK_LEVEL: return d == AS_D_CREDENTIAL && r->credential_level[i] == s->level;
    case AS_PICK_FIELD:
        return d == AS_D_CREDENTIAL && strcmp(as_metrics_credential_field(r, i, field, sizeof field), s->label) == 0;
    default: return 1;
    }
}

/* Sum of the selection over one (replication, year) slab.  The layout of a
 * variable with two dimensions is [first][second]. */
static double slab_sum(const as_results *r, const as_selection *s, int q, int t)
{
    const as_var_def *def = &as_var_defs[s->var];
    const double *x = as_results_at(r, s->var, q, t);
    int sg_pos = -1, cat_pos = -1;
    for (int k = 0; k < def->ndims; k++) {
        if (def->dims[k] == AS_D_SUBGROUP)
            sg_pos = k;
        else
            cat_pos = k;
    }
    long g = 0;
    if (sg_pos >= 0 && s->subgroup && (g = as_metrics_find(r, AS_D_SUBGROUP, s->subgroup)) < 0)
        return 0;
    if (sg_pos >= 0 && r->dims[AS_D_SUBGROUP].len == 0)
        return 0;
    if (cat_pos < 0)
        return x[sg_pos >= 0 ? g : 0];
    int d = def->dims[cat_pos];
    long label_index = s->pick == AS_PICK_LABEL ? as_metrics_find(r, d, s->label) : -1;
    size_t n_cat = r->dims[d].len, n_sg = sg_pos >= 0 ? r->dims[AS_D_SUBGROUP].len : 1;
    double sum = 0;
    for (size_t i = 0; i < n_cat; i++) {
        if (!picked(r, s, d, i, label_index))
            continue;
        if (sg_pos < 0)
            sum += x[i];
        else
            sum += cat_pos == 0 ? x[i * n_sg + (size_t)g] : x[(size_t)g * n_cat + i];
    }
    return sum;
}

static double years_sum(const as_results *r, const as_selection *s, int q, int t)
{
    if (t >= 0)
        return slab_sum(r, s, q, t);
    double sum = 0;
    for (int y = 0; y < r->years; y++)
        sum += slab_sum(r, s, q, y);
    return sum;
}

double as_metrics_sum(const as_results *r, const as_selection *s, int q, int t)
{
    if (q >= 0)
        return years_sum(r, s, q, t);
    double sum = 0;
    for (int k = 0; k < r->replications; k++)
        sum += years_sum(r, s, k, t);
    return r->replications > 0 ? sum / r->replications : NAN;
}

static double ratio(double num, double den)
{
    return den != 0 ? num / den : NAN;
}

double as_metrics_rate(const as_results *r, const as_selection *num, const as_selection *den, int q, int t)
{
    if (q >= 0)
        return ratio(years_sum(r, num, q, t), years_sum(r, den, q, t));
    double sum = 0;
    for (int k = 0; k < r->replications; k++)
        sum += ratio(years_sum(r, num, k, t), years_sum(r, den, k, t));
    return r->replications > 0 ? sum / r->replications : NAN;
}

/* ---- equity -------------------------------------------------------------------------------------------- */

const char *const as_equity_names[AS_EQ_COUNT] = {
    "program_participation", "pathway_completion", "industry_credential", "college_credit",
    "dual_enrollment", "work_based_learning"};
const char *const as_equity_words[AS_EQ_COUNT] = {
    "in a pathway program (share of student-years)",
    "graduates who completed a pathway",
    "graduates holding an industry credential",
    "graduates with college credit (dual enrollment)",
    "in dual enrollment (share of student-years)",
    "placed in work-based learning (per student-year)"};

/* The numerator and denominator of each equity indicator. */
static void equity_selections(int i, const char *subgroup, as_selection *num, as_selection *den)
{
    static const struct { int num_var, num_pick, den_var; } table[AS_EQ_COUNT] = {
        [AS_EQ_PARTICIPATION] = {AS_V_ENROLLED, AS_PICK_PROGRAMS, AS_V_ENROLLED},
        [AS_EQ_COMPLETION] = {AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, AS_V_GRADUATES},
        [AS_EQ_CREDENTIAL] = {AS_V_GRADS_WITH_CREDENTIAL, AS_PICK_ALL, AS_V_GRADUATES},
        [AS_EQ_COLLEGE_CREDIT] = {AS_V_GRADS_POSTSEC_EXPERIENCE, AS_PICK_ALL, AS_V_GRADUATES},
        [AS_EQ_DUAL] = {AS_V_DUAL_STUDENTS, AS_PICK_ALL, AS_V_ENROLLED},
        [AS_EQ_WBL] = {AS_V_WBL_PARTICIPANTS, AS_PICK_ALL, AS_V_ENROLLED},
    };
    *num = (as_selection){.var = table[i].num_var, .pick = table[i].num_pick, .subgroup = subgroup};
    *den = (as_selection){.var = table[i].den_var, .pick = AS_PICK_ALL, .subgroup = subgroup};
}

double as_metrics_equity_rate(const as_results *r, int i, size_t g, int q, int t)
{
    if (i < 0 || i >= AS_EQ_COUNT || g >= r->dims[AS_D_SUBGROUP].len)
        return NAN;
    as_selection num, den;
    equity_selections(i, r->dims[AS_D_SUBGROUP].labels[g], &num, &den);
    return as_metrics_rate(r, &num, &den, q, t);
}

static double representation_one(const as_results *r, const char *program, const char *subgroup, int q, int t)
{
    as_selection in_program = {.var = AS_V_ENROLLED, .pick = AS_PICK_LABEL, .label = program, .subgroup = subgroup};
    as_selection program_all = in_program, everyone = {.var = AS_V_ENROLLED, .pick = AS_PICK_ALL, .subgroup = subgroup};
    as_selection everyone_all = everyone;
    program_all.subgroup = NULL;
    everyone_all.subgroup = NULL;
    double share_in_program = ratio(years_sum(r, &in_program, q, t), years_sum(r, &program_all, q, t));
    double share_overall = ratio(years_sum(r, &everyone, q, t), years_sum(r, &everyone_all, q, t));
    return ratio(share_in_program, share_overall);
}

double as_metrics_representation(const as_results *r, size_t j, size_t g, int q, int t)
{
    if (j >= r->dims[AS_D_PATHWAY].len || g >= r->dims[AS_D_SUBGROUP].len)
        return NAN;
    const char *program = r->dims[AS_D_PATHWAY].labels[j], *subgroup = r->dims[AS_D_SUBGROUP].labels[g];
    if (q >= 0)
        return representation_one(r, program, subgroup, q, t);
    double sum = 0;
    for (int k = 0; k < r->replications; k++)
        sum += representation_one(r, program, subgroup, k, t);
    return r->replications > 0 ? sum / r->replications : NAN;
}

double as_metrics_postsec_experience_share(const as_results *r, int q, int t)
{
    return as_metrics_equity_rate(r, AS_EQ_COLLEGE_CREDIT, 0, q, t);
}

/* ---- credentials --------------------------------------------------------------------------------------- */

double as_metrics_credentials_by_level(const as_results *r, int level, int q, int t)
{
    as_selection s = {.var = AS_V_CREDENTIALS, .pick = AS_PICK_LEVEL, .level = level};
    return as_metrics_sum(r, &s, q, t);
}

double as_metrics_credentials_by_field(const as_results *r, const char *field, int q, int t)
{
    as_selection s = {.var = AS_V_CREDENTIALS, .pick = AS_PICK_FIELD, .label = field};
    return as_metrics_sum(r, &s, q, t);
}

/* ---- cost and earnings ---------------------------------------------------------------------------------- */

static double total(const as_results *r, int var, int q, int t)
{
    as_selection s = {.var = var, .pick = AS_PICK_ALL};
    return as_metrics_sum(r, &s, q, t);
}

double as_metrics_cost(const as_results *r, int q, int t)
{
    return total(r, AS_V_COST, q, t);
}

double as_metrics_cost_per_seat(const as_results *r, int item, int q, int t)
{
    static const as_selection seats[AS_C_COUNT] = {
        [AS_C_PATHWAYS] = {.var = AS_V_ENROLLED, .pick = AS_PICK_PROGRAMS},
        [AS_C_DUAL] = {.var = AS_V_DUAL_STUDENTS, .pick = AS_PICK_ALL},
        [AS_C_WBL] = {.var = AS_V_WBL_PLACED, .pick = AS_PICK_ALL},
        [AS_C_EXAMS] = {.var = AS_V_CREDENTIALS, .pick = AS_PICK_LEVEL, .level = AS_LEVEL_INDUSTRY},
        [AS_C_POSTSEC] = {.var = AS_V_POSTSEC_ENROLLED, .pick = AS_PICK_ALL},
        [AS_C_APPRENTICESHIPS] = {.var = AS_V_APPRENTICES, .pick = AS_PICK_ALL},
        [AS_C_IET] = {.var = AS_V_IET_ENROLLED, .pick = AS_PICK_ALL},
    };
    if (item < 0 || item >= AS_C_COUNT || item >= (int)r->dims[AS_D_COST_ITEM].len)
        return NAN;
    as_selection dollars = {.var = AS_V_COST, .pick = AS_PICK_LABEL, .label = r->dims[AS_D_COST_ITEM].labels[item]};
    return as_metrics_rate(r, &dollars, &seats[item], q, t);
}

double as_metrics_cost_per_credential(const as_results *r, int q, int t)
{
    as_selection dollars = {.var = AS_V_COST, .pick = AS_PICK_ALL};
    as_selection credentials = {.var = AS_V_CREDENTIALS, .pick = AS_PICK_ALL};
    return as_metrics_rate(r, &dollars, &credentials, q, t);
}

double as_metrics_cost_per_additional_credential(const as_results *base, const as_results *proposal, int q, int t)
{
    double extra_cost = as_metrics_cost(proposal, q, t) - as_metrics_cost(base, q, t);
    double extra_credentials = total(proposal, AS_V_CREDENTIALS, q, t) - total(base, AS_V_CREDENTIALS, q, t);
    return ratio(extra_cost, extra_credentials);
}

double as_metrics_earnings(const as_results *r, int q, int t)
{
    return total(r, AS_V_EARNINGS, q, t);
}

double as_metrics_earnings_per_worker(const as_results *r, int q, int t)
{
    as_selection earnings = {.var = AS_V_EARNINGS, .pick = AS_PICK_ALL};
    as_selection workers = {.var = AS_V_SUPPLY, .pick = AS_PICK_ALL};
    return as_metrics_rate(r, &earnings, &workers, q, t);
}
