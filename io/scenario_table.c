/*
 * scenario_table.c - every scenario key, declared once.
 *
 * Read this file as the scenario reference: docs/scenario-reference.md and
 * docs/scenario.schema.json are generated from it (alignsim reference /
 * alignsim schema), and tests check that the committed copies match.
 */
#include <math.h>
#include <stddef.h>

#include "params.h"
#include "ptable.h"

#define INF HUGE_VAL
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define TABLE(var, label, type) \
    static const as_ptable var = {label, sizeof(type), var##_params, N_OF(var##_params)}

/* Entry makers: key, struct, field, unit, min, max, default, meaning. */
#define REAL(S, k, f, u, lo, hi, d, m) {k, AS_P_REAL, offsetof(S, f), u, lo, hi, d, m, NULL, NULL, NULL}
#define INT(S, k, f, u, lo, hi, d, m) {k, AS_P_INT, offsetof(S, f), u, lo, hi, d, m, NULL, NULL, NULL}
#define BOOL(S, k, f, d, m) {k, AS_P_BOOL, offsetof(S, f), "", 0, 1, d, m, NULL, NULL, NULL}
#define STR(S, k, f, d, m) {k, AS_P_STRING, offsetof(S, f), "", 0, 0, d, m, NULL, NULL, NULL}
#define ENUM(S, k, f, c, d, m) {k, AS_P_ENUM, offsetof(S, f), "", 0, 0, d, m, NULL, c, NULL}
#define REF(S, k, f, r, d, m) {k, AS_P_REF, offsetof(S, f), "", 0, 0, d, m, NULL, NULL, r}
#define REFS(S, k, f, r, d, m) {k, AS_P_REFLIST, offsetof(S, f), "", 0, 0, d, m, NULL, NULL, r}
#define SCHED(S, k, f, u, lo, hi, d, m) {k, AS_P_SCHEDULE, offsetof(S, f), u, lo, hi, d, m, NULL, NULL, NULL}
#define GRADES(S, k, f, u, lo, hi, d, m) {k, AS_P_GRADES, offsetof(S, f), u, lo, hi, d, m, NULL, NULL, NULL}
#define NAMED(S, k, f, c, u, lo, hi, d, m) {k, AS_P_NAMED, offsetof(S, f), u, lo, hi, d, m, NULL, c, NULL}
#define OBJECT(S, k, f, t, m) {k, AS_P_OBJECT, offsetof(S, f), "", 0, 0, "{}", m, &t, NULL, NULL}
#define COLL(S, k, f, t, m) {k, AS_P_COLLECTION, offsetof(S, f), "", 0, 0, "{}", m, &t, NULL, NULL}

static const char *const allocation_names[] = {"lottery", "rank", NULL};
static const char *const pathway_type_names[] = {
    "cte", "career_connections", "innovation", "early_college",
    "advanced_academics", "magnet", "general", NULL};
static const char *const destination_names[] = {
    "four_year", "community_college", "apprenticeship", "work", "none", NULL};
static const char *const dual_kind_names[] = {"academic", "career", NULL};
static const char *const wbl_kind_names[] = {
    "internship", "coop", "capstone", "pre_apprenticeship", NULL};
static const char *const postsec_level_names[] = {"certificate", "associate", "bachelor", NULL};
static const char *const sector_names[] = {"four_year", "community_college", NULL};
static const char *const projection_names[] = {"flat", "growth", NULL};
static const char *const entry_level_names[] = {
    "industry_certification", "certificate", "associate", "bachelor", NULL};
static const char *const entry_experience_names[] = {"none", "less_than_5_years", "any", NULL};
static const char *const pool_source_names[] = {
    "working", "not_working", "postsecondary_leavers", "iet_completers", NULL};

/* ---- subgroups: binary student attributes ---------------------------------- */
static const as_param subgroup_params[] = {
    REAL(as_subgroup, "share", share, "probability", 0, 1, NULL,
         "Share of each entering cohort that has the attribute."),
    REAL(as_subgroup, "readiness_shift", readiness_shift, "SD", -5, 5, "0",
         "Added to academic readiness (in standard deviations) for students with the attribute."),
    REAL(as_subgroup, "dropout_mult", dropout_mult, "ratio", 0, 20, "1",
         "Multiplies the yearly dropout probability."),
    REAL(as_subgroup, "awareness_mult", awareness_mult, "ratio", 0, 20, "1",
         "Multiplies the probability of knowing about programs (advising gaps)."),
    REAL(as_subgroup, "apply_mult", apply_mult, "ratio", 0, 20, "1",
         "Multiplies the probability of applying to a program, dual enrollment or work-based learning."),
    REAL(as_subgroup, "college_shift", college_shift, "logit", -10, 10, "0",
         "Added to the utility of four-year and community college after graduation."),
};
TABLE(subgroup, "subgroup", as_subgroup);

/* ---- career clusters -------------------------------------------------------- */
static const as_param cluster_params[] = {
    STR(as_cluster, "name", name, "\"\"", "Display name of the career cluster."),
    REAL(as_cluster, "interest_share", interest_share, "share", 0, 1, NULL,
         "Share of students whose main interest is this cluster (shares sum to at most 1; the rest have none)."),
};
TABLE(cluster, "cluster", as_cluster);

/* ---- high-school programs ---------------------------------------------------- */
static const as_param requirements_params[] = {
    REAL(as_requirements, "hours", hours, "hours", 0, 10000, "null",
         "Pathway coursework hours needed to complete (cte: 900)."),
    REAL(as_requirements, "courses", courses, "courses", 0, 40, "null",
         "Courses of the sequence needed (career_connections: 2)."),
    REAL(as_requirements, "advanced_courses", advanced_courses, "courses", 0, 40, "null",
         "Advanced (AP or dual-enrollment) courses passed (innovation: 2)."),
    REAL(as_requirements, "wbl_hours", wbl_hours, "hours", 0, 5000, "null",
         "Work-based learning hours (innovation: 100)."),
    REAL(as_requirements, "college_credits", college_credits, "credits", 0, 120, "null",
         "College credits earned in dual enrollment (early_college: 12)."),
    BOOL(as_requirements, "credential", credential, "null",
         "An industry credential is required (cte: true)."),
    BOOL(as_requirements, "wbl", wbl, "null",
         "A completed work-based learning placement is required (cte, career_connections: true)."),
};
TABLE(requirements, "requirements", as_requirements);

static const as_param program_params[] = {
    STR(as_program, "name", name, "\"\"", "Display name."),
    ENUM(as_program, "type", type, pathway_type_names, NULL,
         "Pathway type; sets the default completion requirements (seed 004)."),
    REF(as_program, "cluster", cluster, "clusters", "null",
        "Career cluster of the program; null: no particular cluster."),
    INT(as_program, "entry_grade_min", entry_grade_min, "grade", 9, 12, "9",
        "First grade in which students may be admitted."),
    INT(as_program, "entry_grade_max", entry_grade_max, "grade", 9, 12, "10",
        "Last grade in which students may be admitted."),
    SCHED(as_program, "seats", seats, "students per grade", -1, 1e8, "-1",
         "Seats per grade; -1: unlimited."),
    ENUM(as_program, "allocation", allocation, allocation_names, "\"lottery\"",
         "How seats go when applicants exceed them: lottery, or rank by GPA."),
    SCHED(as_program, "apply_rate", apply_rate, "probability", 0, 1, NULL,
         "Yearly probability that an aware, eligible student without a program applies."),
    REAL(as_program, "interest_mult", interest_mult, "ratio", 0, 100, "1",
         "Multiplies apply_rate for students whose interest is the program's cluster."),
    REAL(as_program, "gpa_min", gpa_min, "GPA", 0, 4, "0",
         "Eligibility: minimum GPA to be admitted."),
    REAL(as_program, "leave_rate", leave_rate, "probability", 0, 1, "0",
         "Yearly probability that a student leaves (switches out of) the program."),
    REAL(as_program, "dropout_mult", dropout_mult, "ratio", 0, 20, "1",
         "Multiplies the dropout probability of the program's students."),
    REAL(as_program, "hours_per_year", hours_per_year, "hours", 0, 2000, "0",
         "Pathway coursework hours a student accumulates per year."),
    REAL(as_program, "courses_per_year", courses_per_year, "courses", 0, 10, "0",
         "Courses of the sequence completed per year."),
    REAL(as_program, "advanced_per_year", advanced_per_year, "courses", 0, 4, "0",
         "Advanced (AP-type) courses attempted per year in grades 11 and 12."),
    REAL(as_program, "advanced_pass", advanced_pass, "probability", 0, 1, "0.6",
         "Probability of passing one advanced course (its exam)."),
    REF(as_program, "credential", credential, "credentials", "null",
        "Industry credential the program prepares for; null: none."),
    REF(as_program, "wbl", wbl, "wbl", "null",
        "Work-based learning program its students are placed through; null: none."),
    OBJECT(as_program, "requirements", req, requirements,
           "Completion rule; any value left out comes from the pathway type."),
    REAL(as_program, "cost_per_seat", cost_per_seat, "dollars per student-year", 0, 1e7, "0",
         "Cost of one enrolled student for one year."),
    REAL(as_program, "four_year_shift", four_year_shift, "logit", -10, 10, "0",
         "Added to a completer's utility of four-year college."),
    REAL(as_program, "community_college_shift", community_college_shift, "logit", -10, 10, "0",
         "Added to a completer's utility of community or technical college."),
    REAL(as_program, "apprenticeship_shift", apprenticeship_shift, "logit", -10, 10, "0",
         "Added to a completer's utility of a registered apprenticeship."),
    REAL(as_program, "work_shift", work_shift, "logit", -10, 10, "0",
         "Added to a completer's utility of direct employment."),
};
TABLE(program, "program", as_program);

/* ---- dual enrollment ------------------------------------------------------------ */
static const as_param dual_params[] = {
    ENUM(as_dual_enrollment, "kind", career, dual_kind_names, "\"academic\"",
         "Academic or career (CTE) dual enrollment (seed 003); a label for reports: both follow the same rules."),
    INT(as_dual_enrollment, "grade_min", grade_min, "grade", 9, 12, "11",
        "First grade in which students may take courses."),
    REAL(as_dual_enrollment, "gpa_min", gpa_min, "GPA", 0, 4, "3.0",
         "Eligibility: minimum GPA."),
    BOOL(as_dual_enrollment, "open_to_all", open_to_all, "true",
         "true: any eligible student; false: only students of the listed pathways."),
    REFS(as_dual_enrollment, "pathways", pathways, "programs", "[]",
         "Programs whose students may enroll when open_to_all is false."),
    SCHED(as_dual_enrollment, "seats", seats, "course seats per year", -1, 1e8, "-1",
         "Course seats per year at partner colleges; -1: unlimited."),
    SCHED(as_dual_enrollment, "apply_rate", apply_rate, "probability", 0, 1, NULL,
         "Yearly probability that an eligible student enrolls."),
    REAL(as_dual_enrollment, "advising_mult", advising_mult, "ratio", 0, 100, "1",
         "Multiplies apply_rate: advising and outreach about dual enrollment."),
    REAL(as_dual_enrollment, "courses_per_year", courses_per_year, "courses", 0, 4, "2",
         "Courses an enrolled student takes per year."),
    REAL(as_dual_enrollment, "credits_per_course", credits_per_course, "credits", 0, 10, "3",
         "College credits of one passed course."),
    REAL(as_dual_enrollment, "pass_rate", pass_rate, "probability", 0, 1, "0.85",
         "Probability of passing a course at average readiness."),
    REAL(as_dual_enrollment, "readiness_slope", readiness_slope, "logit per SD", -10, 10, "0",
         "Change in the log-odds of passing per standard deviation of readiness."),
    REAL(as_dual_enrollment, "cost_per_credit", cost_per_credit, "dollars", 0, 1e5, "0",
         "Cost per credit attempted."),
};
TABLE(dual, "dual_enrollment", as_dual_enrollment);

/* ---- work-based learning ---------------------------------------------------------- */
static const as_param wbl_params[] = {
    STR(as_wbl, "name", name, "\"\"", "Display name."),
    ENUM(as_wbl, "kind", kind, wbl_kind_names, "\"internship\"",
         "internship, coop, capstone or pre_apprenticeship."),
    INT(as_wbl, "grade_min", grade_min, "grade", 9, 12, "11", "First eligible grade."),
    INT(as_wbl, "grade_max", grade_max, "grade", 9, 12, "12", "Last eligible grade."),
    SCHED(as_wbl, "slots", slots, "placements per year", -1, 1e8, "-1",
         "Employer slots per year; -1: unlimited."),
    REAL(as_wbl, "employers", employers, "employers", 0, 1e7, "0",
         "Participating employers (documentation; the engine uses slots)."),
    REAL(as_wbl, "hours", hours, "hours", 0, 5000, NULL, "Hours of one placement."),
    SCHED(as_wbl, "apply_rate", apply_rate, "probability", 0, 1, NULL,
         "Yearly probability that an eligible student applies."),
    BOOL(as_wbl, "open_to_all", open_to_all, "true",
         "true: any student in the grades; false: only students of the listed pathways."),
    REFS(as_wbl, "pathways", pathways, "programs", "[]",
         "Programs whose students may apply when open_to_all is false."),
    REF(as_wbl, "cluster", cluster, "clusters", "null", "Career field of the placements."),
    REAL(as_wbl, "interest_mult", interest_mult, "ratio", 0, 100, "1",
         "Multiplies apply_rate for students whose interest is the placements' field."),
    REAL(as_wbl, "completion", completion, "probability", 0, 1, "0.9",
         "Probability a placed student completes the placement."),
    REAL(as_wbl, "cost_per_slot", cost_per_slot, "dollars", 0, 1e6, "0",
         "Cost per placement (wages, coordination)."),
};
TABLE(wbl, "wbl", as_wbl);

/* ---- industry credentials ---------------------------------------------------------- */
static const as_param credential_params[] = {
    STR(as_credential, "name", name, "\"\"", "Display name (e.g. CompTIA A+)."),
    STR(as_credential, "cip", cip, NULL, "CIP 2020 code of the field (NN.NNNN), linking it to occupations."),
    REF(as_credential, "cluster", cluster, "clusters", "null",
        "Career field, for reporting credentials by field (credential_field in results)."),
    INT(as_credential, "grade_min", grade_min, "grade", 9, 12, "11", "First grade a student may sit the exam."),
    REAL(as_credential, "hours_min", hours_min, "hours", 0, 10000, "0",
         "Pathway hours before a student may sit the exam."),
    REAL(as_credential, "pass_rate", pass_rate, "probability", 0, 1, NULL,
         "Probability of passing at average readiness (one attempt per year)."),
    REAL(as_credential, "readiness_slope", readiness_slope, "logit per SD", -10, 10, "0",
         "Change in the log-odds of passing per standard deviation of readiness."),
    REAL(as_credential, "cost", cost, "dollars", 0, 1e5, "0", "Cost of one exam attempt."),
    REAL(as_credential, "in_field_share", in_field_share, "share", 0, 1, "null",
         "Share of its completers who work in the occupations it leads to; null: labor_market.in_field_share (0 for a credential that prepares for no occupation in particular, such as liberal arts)."),
    REAL(as_credential, "entry_education", entry_education, "BLS entry_education_code", 1, 8, "null",
         "The most demanding typical entry education (BLS code, as in labor_market.entry_rules.education) of an occupation a new holder of this credential can enter; null: entry_rules.education.industry_certification."),
};
TABLE(credential, "credential", as_credential);

/* ---- after high school ---------------------------------------------------------------- */
static const as_param destination_params[] = {
    NAMED(as_destination_params, "base", base, destination_names, "probability", 0, 1,
          "{\"four_year\":0.4,\"community_college\":0.25,\"apprenticeship\":0.02,\"work\":0.23,\"none\":0.1}",
          "Probabilities of each destination for an average graduate; they must sum to 1."),
    NAMED(as_destination_params, "readiness_coef", readiness_coef, destination_names, "logit per SD", -10, 10, "{}",
          "Added to each destination's utility per standard deviation of readiness."),
    NAMED(as_destination_params, "credits_coef", credits_coef, destination_names, "logit per 12 credits", -10, 10, "{}",
          "Added per 12 dual-enrollment credits."),
    NAMED(as_destination_params, "credential_coef", credential_coef, destination_names, "logit", -10, 10, "{}",
          "Added for a graduate holding an industry credential."),
    REAL(as_destination_params, "interest_mult", interest_mult, "ratio", 0, 100, "3",
         "Multiplies the pull of a postsecondary program or apprenticeship in the graduate's field of interest."),
};
TABLE(destination, "destinations", as_destination_params);

static const as_param postsec_params[] = {
    STR(as_postsec_program, "name", name, "\"\"", "Display name."),
    ENUM(as_postsec_program, "level", level, postsec_level_names, NULL,
         "certificate, associate or bachelor."),
    ENUM(as_postsec_program, "sector", sector, sector_names, NULL,
         "four_year or community_college (community and technical colleges)."),
    STR(as_postsec_program, "cip", cip, NULL, "CIP 2020 code of the program."),
    REF(as_postsec_program, "cluster", cluster, "clusters", "null", "Career cluster."),
    REAL(as_postsec_program, "share", share, "weight", 0, 1e6, "1",
         "Relative popularity among the programs of its sector."),
    SCHED(as_postsec_program, "seats", seats, "students per year", -1, 1e8, "-1",
         "New students admitted per year; -1: unlimited."),
    REAL(as_postsec_program, "credits_required", credits_required, "credits", 1, 300, NULL,
         "Credits to complete."),
    REAL(as_postsec_program, "credits_per_year", credits_per_year, "credits", 1, 100, "30",
         "Credits a persisting student earns per year."),
    REAL(as_postsec_program, "persistence", persistence, "probability", 0, 1, "0.8",
         "Probability of continuing into the next year."),
    REAL(as_postsec_program, "transfer_rate", transfer_rate, "share", 0, 1, "0.8",
         "Share of dual-enrollment credits that count toward the program."),
    INT(as_postsec_program, "max_years", max_years, "years", 1, 12, "8",
        "Years after which a student who has not finished leaves."),
    REAL(as_postsec_program, "cost_per_year", cost_per_year, "dollars", 0, 1e6, "0",
         "Cost of one student-year."),
    REAL(as_postsec_program, "in_field_share", in_field_share, "share", 0, 1, "null",
         "Share of its completers who work in the occupations it leads to; null: labor_market.in_field_share (0 for a credential that prepares for no occupation in particular, such as liberal arts)."),
    REAL(as_postsec_program, "entry_education", entry_education, "BLS entry_education_code", 1, 8, "null",
         "The most demanding typical entry education (BLS code) of an occupation a new graduate of this program can enter; null: labor_market.entry_rules.education of its level. For awards that open occupations whose typical entry is higher, such as an associate degree in nursing (NCLEX-RN is open to associate-degree graduates; BLS Occupational Outlook Handbook, Registered Nurses) set 3."),
};
TABLE(postsec, "postsecondary program", as_postsec_program);

static const as_param trade_params[] = {
    STR(as_trade, "name", name, "\"\"", "Display name."),
    STR(as_trade, "soc", soc, NULL, "SOC 2018 code of the journeyworker occupation (NN-NNNN)."),
    STR(as_trade, "cip", cip, "\"\"", "CIP 2020 code of the related instruction (optional; documentation: supply follows the soc code)."),
    REF(as_trade, "cluster", cluster, "clusters", "null", "Career cluster."),
    REAL(as_trade, "share", share, "weight", 0, 1e6, "1",
         "Relative popularity among apprenticeship applicants."),
    SCHED(as_trade, "slots", slots, "apprentices per year", 0, 1e8, NULL,
         "Sponsor slots for new apprentices per year."),
    INT(as_trade, "term_years", term_years, "years", 1, 8, "4", "Length of the apprenticeship."),
    REAL(as_trade, "attrition", attrition, "probability", 0, 1, "0.1",
         "Yearly probability that an apprentice leaves (the final year included)."),
    BOOL(as_trade, "preapp_priority", preapp_priority, "true",
         "Pre-apprenticeship completers are placed before other applicants."),
    REF(as_trade, "preapp", preapp, "wbl", "null",
        "The pre-apprenticeship (a wbl item of kind \"pre_apprenticeship\") that feeds this trade."),
    REAL(as_trade, "preapp_mult", preapp_mult, "ratio", 0, 1000, "10",
         "Multiplies the trade's pull on applicants who completed its pre-apprenticeship."),
    REAL(as_trade, "start_wage_share", start_wage_share, "share", 0, 1, "0.5",
         "First-year wage as a share of the journeyworker's median wage; it rises linearly to 1 in the final year."),
    REAL(as_trade, "cost_per_apprentice", cost_per_apprentice, "dollars per year", 0, 1e6, "0",
         "Related-instruction cost per apprentice-year."),
    REAL(as_trade, "in_field_share", in_field_share, "share", 0, 1, "null",
         "Share of its completers who work in its occupation; null: 1 (a registered apprentice is employed in the trade throughout) when labor_market.entry_rules.enabled, else labor_market.in_field_share."),
    REAL(as_trade, "external_applicants", external_applicants, "people per year", 0, 1e6, "0",
         "Adults from outside the pipeline (workers, career changers, in-migrants) applying for its slots each year; those not placed leave the pool. Local data: the sponsors' applicant logs or RAPIDS."),
};
TABLE(trade, "apprenticeship", as_trade);

static const as_param pool_params[] = {
    INT(as_pool_params, "years", years, "years", 0, 20, "8",
        "Years after leaving high school or college (or completing IET) during which a person at work or out of work may still apply for an apprenticeship; 0: only in the year of graduation. Default: an assumption (new US apprentices are 27-29 years old on average, DOL RAPIDS, so most apply years after school)."),
    NAMED(as_pool_params, "apply_rate", apply, pool_source_names, "probability", 0, 1,
          "{\"working\":0.01,\"not_working\":0.02,\"postsecondary_leavers\":0.02,\"iet_completers\":0.03}",
          "Yearly probability that a person of the pool applies, by where the person is: working, not_working (earlier graduates), postsecondary_leavers, iet_completers. ASSUMPTION (illustrative, not calibrated): fit to the region's apprenticeship starts."),
    REAL(as_pool_params, "decay", decay, "ratio per year", 0, 1, "0.85",
         "Multiplies apply_rate for each year since the person left (interest fades). ASSUMPTION."),
};
TABLE(pool, "apprenticeship_pool", as_pool_params);

static const as_param iet_params[] = {
    REAL(as_iet, "adults_per_year", adults_per_year, "learners per year", 0, 1e7, "0",
         "Adults entering Integrated Education and Training each year (seed 000)."),
    INT(as_iet, "years", years, "years", 1, 4, "1", "Length of the program."),
    REAL(as_iet, "completion", completion, "probability", 0, 1, "0.6",
         "Probability an entrant completes."),
    REAL(as_iet, "to_community_college", to_community_college, "probability", 0, 1, "0.3",
         "Share of completers who go on to community or technical college."),
    REAL(as_iet, "to_work", to_work, "probability", 0, 1, "0.6",
         "Share of completers who go to work in the field (the rest: neither)."),
    STR(as_iet, "cip", cip, "\"\"", "CIP code of the training (links completers to occupations)."),
    REAL(as_iet, "cost_per_learner", cost_per_learner, "dollars", 0, 1e6, "0", "Cost per entrant."),
};
TABLE(iet, "iet", as_iet);

static const as_param other_supply_params[] = {
    REAL(as_other_supply, "per_year", per_year, "workers per year", 0, 1e8, NULL,
         "Workers entering the occupation each year from other institutions and in-migration."),
};
TABLE(other_supply, "other supply", as_other_supply);

static const as_param in_migration_params[] = {
    REAL(as_other_supply, "per_year", per_year, "workers per year", 0, 1e8, NULL,
         "Workers moving into the region into the occupation each year (from a regional migration or job-flows estimate: a scenario input, not a default)."),
};
TABLE(in_migration, "in-migration", as_other_supply);

static const as_param entry_rules_params[] = {
    BOOL(as_entry_rules, "enabled", enabled, "true",
         "Apply the entry rules; false: a credential supplies every occupation its CIP code links to, and an apprenticeship completer counts as labor_market.in_field_share of a worker (the model before the rules)."),
    NAMED(as_entry_rules, "education", education, entry_level_names, "BLS entry_education_code", 1, 8,
          "{\"industry_certification\":5,\"certificate\":5,\"associate\":4,\"bachelor\":3}",
          "By award: the most demanding typical entry education (BLS Employment Projections table 5.4 code: 1 doctoral or professional, 2 master's, 3 bachelor's, 4 associate's, 5 postsecondary nondegree award, 6 some college, 7 high-school diploma, 8 none) of an occupation a new holder can enter. Default: the award meets the education it is (BLS definitions; an industry certification counts as a postsecondary nondegree award, as BLS counts licences and certifications); an occupation with no code in the table is open to all."),
    ENUM(as_entry_rules, "work_experience", work_experience, entry_experience_names, "\"none\"",
         "Related work experience a new entrant may lack: none (occupations that need related experience, BLS work_experience \"Less than 5 years\" or \"5 years or more\", get no pipeline supply: their workers come from other occupations), less_than_5_years (only \"5 years or more\" is closed), any (experience ignored)."),
    BOOL(as_entry_rules, "apprentices_only", apprentices_only, "false",
         "Occupations whose typical on-the-job training (BLS ojt) is an apprenticeship take only registered-apprenticeship completers from the pipeline. Default false: other entrants count too, as trainees (BLS: many such workers train in technical schools or non-registered programs)."),
};
TABLE(entry_rules, "entry rules", as_entry_rules);

static const as_param labor_params[] = {
    OBJECT(as_labor_params, "entry_rules", entry_rules, entry_rules,
           "Which occupations a new credential holder can enter, from the BLS table's entry education, work experience and on-the-job training columns (docs/model.md 7.27)."),
    STR(as_labor_params, "demand_table", demand_table, "\"data:bls_ep_occupations_2024_34.csv\"",
        "Occupational projections (BLS layout); a regional table with the same columns may replace it."),
    STR(as_labor_params, "crosswalk", crosswalk, "\"data:nces_cip2020_soc2018_crosswalk.csv\"",
        "CIP 2020 to SOC 2018 crosswalk."),
    STR(as_labor_params, "soc_map", soc_map, "\"data:soc2018_to_ep_code.csv\"",
        "SOC 2018 to BLS projection-code map."),
    REAL(as_labor_params, "regional_share", regional_share, "share", 0, 1, "1",
         "Region's share of the table's openings (1: use the table as it is)."),
    ENUM(as_labor_params, "projection", projection, projection_names, "\"flat\"",
         "flat: the table's annual average every year; growth: openings follow employment growth year by year."),
    REAL(as_labor_params, "in_field_share", in_field_share, "share", 0, 1, "0.7",
         "Share of completers who take a job in an occupation their credential leads to."),
    REAL(as_labor_params, "other_supply_share", other_supply_share, "share", 0, 10, "0",
         "Other supply as a share of openings, for occupations not listed in other_supply, added to completions and in_migration. An ASSUMPTION wherever it is above 0 (flagged in the results, other_supply_assumed, and the report): for a quick start; set it to 0 when completions and in_migration carry the other supply."),
    COLL(as_labor_params, "other_supply", other_supply, other_supply,
         "All other supply of an occupation, keyed by SOC code: replaces completions, in_migration and other_supply_share for it."),
    STR(as_labor_params, "completions", completions, "\"\"",
        "Completions of the region's institutions that the scenario does not model, in the layout of IPEDS Completions (columns CIPCODE, AWLEVEL, CTOTALT; optional MAJORNUM, second majors skipped): a data:NAME or a path inside the scenario's folder. Each year's other supply gets these awards through the crosswalk and the entry rules (the award level decides the entry education), times completions_in_field_share. Empty: none."),
    REAL(as_labor_params, "completions_in_field_share", completions_in_field_share, "share", 0, 1, "null",
         "Share of the completions table's graduates who take a job in an occupation their award leads to; null: in_field_share."),
    COLL(as_labor_params, "in_migration", in_migration, in_migration,
         "Workers moving into the region each year, by occupation (SOC code), added to other supply."),
};
TABLE(labor, "labor_market", as_labor_params);

/* ---- experience effects (docs/evidence.md gives every default's source) ------------------ */
static const as_param effects_params[] = {
    REAL(as_effects, "dual_enrollment_dropout", de_dropout, "logit", -5, 5, "-0.35",
         "Shift in the log-odds of yearly dropout for a student who has earned college credit. Default from the What Works Clearinghouse dual-enrollment report (2017) and Berger et al. (2013): on-time graduation 86% vs 81%, a yearly hazard 0.037 vs 0.051 (docs/evidence.md)."),
    REAL(as_effects, "dual_enrollment_college_going", de_college_going, "logit", -5, 5, "0.5",
         "Added to the four-year and community-college utilities of a graduate with college credit (beyond destinations.credits_coef per credit). Default: WWC 2017; Berger et al. 2013, college enrollment 80% vs 71%."),
    REAL(as_effects, "dual_enrollment_persistence", de_persistence, "logit", -5, 5, "0.15",
         "Shift in the log-odds of yearly postsecondary persistence for a student who earned college credit in high school. ASSUMPTION (direction from Karp et al. 2007, CCRC; no figure found)."),
    REAL(as_effects, "career_credits_exam", career_credits_exam, "logit", -5, 5, "0.3",
         "Shift in the log-odds of passing the pathway's industry-credential exam for a student who passed a career (CTE) dual-enrollment course: career credits prepare for the credential. ASSUMPTION (no figure found)."),
    REAL(as_effects, "career_credits_bachelor", career_credits_bachelor, "share", 0, 1, "0",
         "Share of a student's dual-enrollment credits that count toward a bachelor's program when all of them are career credits (academic credits count toward general-education transfer; career credits toward certificates and applied degrees: seed 000, seed 003). 1: every credit counts, as before this key."),
    REAL(as_effects, "pathway_dropout", pathway_dropout, "logit", -5, 5, "-0.45",
         "Shift in the log-odds of yearly dropout for a student in a cte-type program (on top of the program's dropout_mult). Default: Dougherty (2018), Massachusetts regional vocational-technical schools, +7 to 10 points on graduation; Brunner, Dougherty and Ross (2021). Set it to 0 where dropout_mult already holds the effect."),
    REAL(as_effects, "pathway_in_field", pathway_in_field, "logit", -5, 5, "0.4",
         "Shift in the log-odds of working in the field (labor_market.in_field_share) for a pathway completer entering work with a credential of the program's cluster. ASSUMPTION (NCES CTE tables; Brunner et al. 2021, indirect)."),
    NAMED(as_effects, "wbl_in_field", wbl_in_field, wbl_kind_names, "logit", -5, 5,
          "{\"internship\":0.2,\"coop\":0.3,\"capstone\":0.1,\"pre_apprenticeship\":0.4}",
          "Shift in the log-odds of working in the field for a person who completed a work-based learning placement of that kind in the credential's cluster (or in no particular cluster). ASSUMPTIONS: co-op 0.3 (Goho and Rew 2009, observational), capstone 0.1 and pre-apprenticeship 0.4 (none found); internship 0.2 is field matching only: summer youth employment trials find no effect on employment as such (Gelber, Isen and Kessler 2016; Davis and Heller 2020)."),
    REAL(as_effects, "credential_in_field", credential_in_field, "logit", -5, 5, "0.3",
         "Shift in the log-odds of working in the field for a person entering work with a later credential of the same cluster as an industry credential earned in high school. ASSUMPTION (none found)."),
    REAL(as_effects, "preapp_apprenticeship", preapp_apprenticeship, "logit", -5, 5, "0.4",
         "Added to the apprenticeship utility of a graduate who completed a pre-apprenticeship, and to the log-odds of applying from the apprenticeship pool. ASSUMPTION (NCVER, Australia; Aspen Institute 2009)."),
    REAL(as_effects, "awareness_offers", awareness_offers, "logit", -5, 5, "0.3",
         "How much less a student who does not know of the programs (school.awareness, outreach, advising, exposure) applies to dual enrollment and work-based learning: the log-odds of applying are lowered by this. ASSUMPTION (none found)."),
    REAL(as_effects, "awareness_college_going", awareness_college_going, "logit", -5, 5, "0.1",
         "Added to the four-year and community-college utilities of a graduate who knows of the programs (advising). Default: Bettinger and Evans (2019), College Advising Corps, about 0 overall and +0.12 for low-income students."),
};
TABLE(effects, "effects", as_effects);

/* ---- high school as a whole ------------------------------------------------------------ */
static const as_param school_params[] = {
    GRADES(as_school, "dropout", dropout, "probability", 0, 1, "0.03",
           "Yearly dropout probability by grade (a number, or [g9, g10, g11, g12])."),
    GRADES(as_school, "retention", retention, "probability", 0, 1, "0",
           "Yearly probability of repeating the grade, by grade."),
    REAL(as_school, "graduation", graduation, "probability", 0, 1, "1",
         "Probability that a grade-12 student who neither drops out nor repeats graduates (else repeats)."),
    REAL(as_school, "readiness_mean", readiness_mean, "SD", -5, 5, "0", "Mean academic readiness."),
    REAL(as_school, "readiness_sd", readiness_sd, "SD", 0, 5, "1",
         "Standard deviation of readiness (0: every student average)."),
    REAL(as_school, "gpa_mean", gpa_mean, "GPA", 0, 4, "2.9", "GPA at average readiness."),
    REAL(as_school, "gpa_per_sd", gpa_per_sd, "GPA per SD", 0, 4, "0.6",
         "GPA change per standard deviation of readiness."),
    REAL(as_school, "awareness", awareness, "probability", 0, 1, "1",
         "Probability a student knows of the programs on offer."),
    REAL(as_school, "outreach", outreach, "probability", 0, 1, "0",
         "Added to awareness by an outreach campaign (seed 000)."),
    REAL(as_school, "advising", advising, "probability", 0, 1, "0",
         "Added to awareness by college and career advising (seeds 002, 003)."),
    REAL(as_school, "middle_school_exposure", middle_school_exposure, "probability", 0, 1, "0",
         "Added to awareness by middle-school career exposure (seed 002)."),
};
TABLE(school, "school", as_school);

/* ---- calibration (alignsim calibrate; the engine ignores it) -------------------------------- */
static const as_param cal_target_params[] = {
    STR(as_cal_target, "metric", metric, NULL,
        "What is observed, as a metric path (docs/sweeps.md): wbl_placed.wbl[summer_internship].year[2025], graduates.year[2028], ..."),
    REAL(as_cal_target, "value", value, "", -1e12, 1e12, NULL, "The observed value."),
    REAL(as_cal_target, "se", se, "", 0, 1e12, "null",
         "Its standard error (sampling or measurement); give se or tolerance."),
    REAL(as_cal_target, "tolerance", tolerance, "", 0, 1e12, "null",
         "Instead of se: the half-width of a 95% range around value (se = tolerance / 1.96)."),
};
TABLE(cal_target, "calibration target", as_cal_target);

static const as_param cal_param_params[] = {
    STR(as_cal_param, "path", path, NULL,
        "The key to fit: a --set path, or a pattern with * for every id of a collection (programs.*.apply_rate)."),
    REAL(as_cal_param, "min", min, "", -1e12, 1e12, NULL, "Lower bound (of the factor, with scale)."),
    REAL(as_cal_param, "max", max, "", -1e12, 1e12, NULL, "Upper bound (of the factor, with scale)."),
    BOOL(as_cal_param, "scale", scale, "false",
         "true: fit one factor on the values in effect of every key the path names (a family keeps its differences)."),
};
TABLE(cal_param, "calibration parameter", as_cal_param);

static const as_param calibration_params[] = {
    COLL(as_calibration, "targets", targets, cal_target,
         "Observed values to reproduce, keyed by a name of your choosing."),
    COLL(as_calibration, "parameters", parameters, cal_param,
         "The free parameters and their bounds, keyed by a name of your choosing; at most as many as targets."),
    INT(as_calibration, "max_evaluations", max_evaluations, "runs", 1, 100000, "300",
        "Most simulations the minimizer may run before it reports non-convergence."),
};
TABLE(calibration, "calibration", as_calibration);

/* ---- the scenario ----------------------------------------------------------------------- */
static const as_param scenario_params[] = {
    STR(as_params, "name", name, NULL, "Short name of the scenario."),
    STR(as_params, "description", description, "\"\"", "What the scenario represents."),
    STR(as_params, "sources", sources, "\"\"",
        "Where its numbers come from: which are from the seeds or the BLS/NCES tables, which are illustrative assumptions."),
    {"seed", AS_P_U32, offsetof(as_params, seed), "", 0, 4294967295.0, "1",
        "Seed of the random streams; the same seed gives the same results, and paired draws across scenarios.",
        NULL, NULL, NULL},
    INT(as_params, "replications", replications, "", 1, 100000, "10", "Independent stochastic replications."),
    INT(as_params, "start_year", start_year, "year", 1900, 2200, "2025", "Calendar year of the first simulated school year."),
    INT(as_params, "years", years, "years", 1, AS_MAX_YEARS, "10", "Simulated years."),
    INT(as_params, "cohort_years", cohort_years, "years", 0, AS_MAX_YEARS, "null",
        "Years in which a new grade-9 cohort enters (default: every simulated year)."),
    INT(as_params, "warmup_years", warmup_years, "years", 0, 20, "0",
        "Years simulated before start_year so that grades 10-12 (and programs after high school) are filled when results begin; they are not reported. 0: the first graduates appear in the fourth year."),
    REAL(as_params, "cohort_size", cohort_size, "students", 0, 1e9, NULL, "Students entering grade 9 in the first year."),
    REAL(as_params, "cohort_growth", cohort_growth, "per year", -0.5, 1, "0", "Yearly growth rate of the entering cohort."),
    OBJECT(as_params, "school", school, school, "Dropout, retention, graduation, readiness and awareness."),
    COLL(as_params, "subgroups", subgroups, subgroup, "Binary student attributes (at most 6), reported as subgroups."),
    COLL(as_params, "clusters", clusters, cluster, "Career clusters that interests and programs refer to."),
    COLL(as_params, "programs", programs, program, "High-school pathway and choice programs."),
    COLL(as_params, "dual_enrollment", dual_enrollment, dual, "Dual-enrollment offers (academic and career)."),
    COLL(as_params, "wbl", wbl, wbl, "Work-based learning: internships, co-ops, capstones, pre-apprenticeships."),
    COLL(as_params, "credentials", credentials, credential, "Industry credentials (certification exams)."),
    OBJECT(as_params, "destinations", destinations, destination, "Where graduates go after high school."),
    COLL(as_params, "postsecondary", postsecondary, postsec, "Postsecondary programs by CIP code."),
    COLL(as_params, "apprenticeships", apprenticeships, trade, "Registered apprenticeships by occupation."),
    OBJECT(as_params, "apprenticeship_pool", apprenticeship_pool, pool,
           "Who in the region may apply for apprenticeship slots after the year they leave school."),
    OBJECT(as_params, "effects", effects, effects,
           "Experience effects: how dual enrollment, pathways, work-based learning, credentials and awareness shift later transitions (0 switches one off)."),
    OBJECT(as_params, "iet", iet, iet, "Integrated Education and Training for adults."),
    OBJECT(as_params, "labor_market", labor, labor, "Regional demand and other supply."),
    OBJECT(as_params, "calibration", calibration, calibration,
           "What alignsim calibrate fits: observed targets and free parameters (docs/model.md, section 9). A documented label for alignsim run: the simulation ignores it."),
};
const as_ptable as_scenario_table = {"scenario", sizeof(as_params), scenario_params, N_OF(scenario_params)};
