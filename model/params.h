/*
 * params.h - the read-only parameters of one scenario.
 *
 * io/scenario.c fills these from a scenario file through one declared table
 * (name, type, unit, range, default, meaning: see docs/scenario-reference.md);
 * model/ only reads them.  After as_params_finish() every reference between
 * collections is an index, every probability is in [0, 1], and the struct is
 * never written again, so all threads share one copy.
 *
 * Collections (programs, credentials, ...) are JSON objects keyed by id in a
 * scenario, and arrays here in the order the file gives them.  Every item
 * struct begins with `char *id` so the parser can name it generically.
 *
 * Grades are 9..12, stored at index grade-9.  Index -1 means "none".
 */
#ifndef AS_PARAMS_H
#define AS_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#define AS_GRADES 4            /* grades 9, 10, 11, 12 */
#define AS_MAX_SUBGROUPS 6     /* binary attributes; 2^6 cells */
#define AS_MAX_PROGRAMS 250    /* high-school pathway programs (uint8 + none) */
#define AS_MAX_ITEMS 250       /* credentials, clusters, postsecondary programs, trades */
#define AS_MAX_OFFERS 64       /* dual-enrollment offers and WBL programs */
#define AS_MAX_YEARS 60

#define AS_COLLECTION(T) struct { size_t n; T *items; }

/* A value that may change from one calendar year to the next (a policy
 * that grows over a proposal's years).  n == 0: `value` holds every year.
 * Otherwise year[0] < year[1] < ... < year[n-1] are the calendar years in
 * which v[0..n) take effect, each holding until the next listed year, and
 * value == v[0].  The reader requires year[0] == start_year and every year
 * within the simulated ones, so the warm-up years (before start_year) take
 * v[0].  Read it with as_schedule_at. */
typedef struct as_schedule {
    double value;
    int n;
    int year[AS_MAX_YEARS];
    double v[AS_MAX_YEARS];
} as_schedule;

/* A list of references to items of another collection, as indices. */
typedef struct as_reflist { size_t n; int *idx; } as_reflist;

/* How a program with more applicants than seats chooses whom to admit. */
enum as_allocation { AS_ALLOC_LOTTERY = 0, AS_ALLOC_RANK = 1 };

/* The pathway types of the seeds, each with its own signature requirements. */
enum as_pathway_type {
    AS_PT_CTE = 0,              /* State-approved CTE (Chapter 74): 900+ h, credential, co-op */
    AS_PT_CAREER_CONNECTIONS,   /* 2-3 course sequence + work-based learning */
    AS_PT_INNOVATION,           /* 100 h internship/capstone + 2 advanced courses */
    AS_PT_EARLY_COLLEGE,        /* 12+ college credits */
    AS_PT_ADVANCED_ACADEMICS,   /* AP and similar */
    AS_PT_MAGNET,               /* magnet / choice program */
    AS_PT_GENERAL,
    AS_PT_COUNT
};

/* Where a graduate goes the year after high school. */
enum as_destination {
    AS_DEST_FOUR_YEAR = 0, AS_DEST_COMMUNITY_COLLEGE, AS_DEST_APPRENTICESHIP,
    AS_DEST_WORK, AS_DEST_NONE, AS_DEST_COUNT
};

/* Level of a credential, for reporting credentials by level. */
enum as_level {
    AS_LEVEL_INDUSTRY = 0, AS_LEVEL_CERTIFICATE, AS_LEVEL_ASSOCIATE,
    AS_LEVEL_BACHELOR, AS_LEVEL_APPRENTICESHIP, AS_LEVEL_COUNT
};

typedef struct as_subgroup {
    char *id;
    double share;            /* probability a student has the attribute */
    double readiness_shift;  /* added to readiness (standard deviations) */
    double dropout_mult;     /* multiplies yearly dropout probability */
    double awareness_mult;   /* multiplies the probability of knowing of programs */
    double apply_mult;       /* multiplies application propensity */
    double college_shift;    /* added to the four-year and community-college utilities */
} as_subgroup;

typedef struct as_cluster {
    char *id;
    char *name;
    double interest_share;   /* share of students whose main interest it is */
} as_cluster;

typedef struct as_requirements {
    double hours;            /* pathway coursework hours */
    double courses;          /* courses in the sequence */
    double advanced_courses; /* AP / dual-enrollment courses passed */
    double wbl_hours;        /* work-based learning hours */
    double college_credits;  /* dual-enrollment credits earned */
    int credential;          /* 1: an industry credential is required */
    int wbl;                 /* 1: a work-based learning experience is required */
} as_requirements;

typedef struct as_program {         /* a high-school pathway or choice program */
    char *id;
    char *name;
    int type;                /* enum as_pathway_type */
    int cluster;             /* career cluster index, -1: any */
    int entry_grade_min, entry_grade_max;
    as_schedule seats;       /* seats per grade; < 0: unlimited */
    int allocation;          /* enum as_allocation */
    as_schedule apply_rate;  /* probability an aware, eligible student applies */
    double interest_mult;    /* multiplies apply_rate when the cluster matches */
    double gpa_min;
    double leave_rate;       /* yearly probability of leaving the program */
    double dropout_mult;     /* multiplies dropout of its students */
    double hours_per_year;
    double courses_per_year;
    double advanced_per_year;    /* AP-type courses attempted per year (grades 11-12) */
    double advanced_pass;        /* probability of passing one */
    int credential;          /* industry credential prepared for, -1 none */
    int wbl;                 /* work-based learning program it places into, -1 */
    as_requirements req;     /* completion rule (defaults from the type) */
    double cost_per_seat;    /* dollars per enrolled student per year */
    double four_year_shift, community_college_shift, apprenticeship_shift, work_shift;
                             /* destination utilities for completers */
} as_program;

typedef struct as_dual_enrollment {
    char *id;
    int career;              /* 0 academic, 1 career (CTE) */
    int grade_min;
    double gpa_min;
    int open_to_all;         /* 1: any student; 0: only students of `pathways` */
    as_reflist pathways;
    as_schedule seats;       /* course seats per year at partner colleges; < 0: unlimited */
    as_schedule apply_rate;
    double advising_mult;    /* multiplies apply_rate (advising and outreach) */
    double courses_per_year;
    double credits_per_course;
    double pass_rate;
    double readiness_slope;  /* logit change in pass probability per SD of readiness */
    double cost_per_credit;
} as_dual_enrollment;

typedef struct as_wbl {             /* internship, co-op, capstone, pre-apprenticeship */
    char *id;
    char *name;
    int kind;                /* 0 internship, 1 co-op, 2 capstone, 3 pre-apprenticeship */
    int grade_min, grade_max;
    as_schedule slots;       /* employer slots per year; < 0: unlimited */
    double employers;        /* participating employers (reported) */
    double hours;            /* hours of one placement */
    as_schedule apply_rate;
    int open_to_all;         /* 1: any student; 0: only students of `pathways` */
    as_reflist pathways;
    int cluster;             /* field, -1: any */
    double interest_mult;    /* multiplies apply_rate when the field matches */
    double completion;       /* probability a placement is completed */
    double cost_per_slot;
} as_wbl;

typedef struct as_credential {      /* an industry certification */
    char *id;
    char *name;
    char *cip;
    int cluster;
    int grade_min;
    double hours_min;        /* pathway hours before a student may sit */
    double pass_rate;
    double readiness_slope;
    double cost;             /* exam cost, dollars */
    double in_field_share;   /* NaN: labor.in_field_share */
    double entry_education;  /* NaN: labor.entry_rules.education.industry_certification */
} as_credential;

typedef struct as_destination_params {
    double base[AS_DEST_COUNT];          /* base probabilities, sum to 1 */
    double readiness_coef[AS_DEST_COUNT];/* utility per SD of readiness */
    double credits_coef[AS_DEST_COUNT];  /* utility per 12 college credits */
    double credential_coef[AS_DEST_COUNT];/* utility for holding an industry credential */
    double interest_mult;    /* pull of a program or trade in one's field */
} as_destination_params;

typedef struct as_postsec_program {
    char *id;
    char *name;
    int level;               /* 0 certificate, 1 associate, 2 bachelor (the scenario key's order) */
    int sector;              /* AS_DEST_FOUR_YEAR or AS_DEST_COMMUNITY_COLLEGE */
    char *cip;
    int cluster;
    double share;            /* weight among programs of its sector */
    as_schedule seats;       /* new students per year; < 0: unlimited */
    double credits_required;
    double credits_per_year;
    double persistence;      /* probability of continuing each year */
    double transfer_rate;    /* share of dual-enrollment credits that count */
    int max_years;
    double cost_per_year;
    double in_field_share;   /* NaN: labor.in_field_share */
    double entry_education;  /* NaN: labor.entry_rules.education of its level */
} as_postsec_program;

typedef struct as_trade {           /* a registered apprenticeship */
    char *id;
    char *name;
    char *soc;
    char *cip;
    int cluster;
    double share;
    as_schedule slots;       /* sponsor slots per year */
    int term_years;
    double attrition;        /* yearly probability of leaving */
    int preapp_priority;     /* pre-apprenticeship completers are placed first */
    int preapp;              /* pre-apprenticeship (wbl index) that feeds it, -1 */
    double preapp_mult;      /* pull on its pre-apprenticeship's completers */
    double start_wage_share; /* first-year wage as a share of the journey wage */
    double cost_per_apprentice;
    double in_field_share;   /* NaN: labor.in_field_share */
    double external_applicants; /* adults from outside the pipeline applying each year */
} as_trade;

/* The region's people who may apply for an apprenticeship in a later year:
 * earlier graduates at work or out of work, postsecondary leavers and IET
 * completers, for `years` years after they leave school or college. */
enum as_pool_source {
    AS_POOL_WORKING = 0, AS_POOL_NOT_WORKING, AS_POOL_POSTSEC_LEAVERS, AS_POOL_IET, AS_POOL_COUNT
};

/* Where an apprenticeship applicant comes from (results dimension
 * applicant_source): this year's graduates, the pool's four kinds, or the
 * external flow of trades' external_applicants. */
enum as_applicant_source {
    AS_SRC_GRADUATES = 0, AS_SRC_WORKING, AS_SRC_NOT_WORKING, AS_SRC_POSTSEC_LEAVERS, AS_SRC_IET,
    AS_SRC_EXTERNAL, AS_SRC_COUNT
};

typedef struct as_pool_params {
    int years;                   /* 0: nobody applies after the year they leave */
    double apply[AS_POOL_COUNT]; /* yearly probability of applying, by enum as_pool_source */
    double decay;                /* multiplies it for each year since leaving */
} as_pool_params;

typedef struct as_iet {             /* Integrated Education and Training for adults */
    double adults_per_year;
    int years;               /* length of the program */
    double completion;
    double to_community_college;
    double to_work;
    char *cip;
    double cost_per_learner;
} as_iet;

typedef struct as_other_supply {
    char *id;                /* SOC code */
    double per_year;
} as_other_supply;

/* Which occupations a new holder of an award may enter (docs/model.md 7.27),
 * read from the BLS table's entry education, work experience and training. */
enum { AS_ENTRY_LEVELS = 4 };     /* industry_certification, certificate, associate, bachelor */
enum as_entry_experience { AS_EXP_NONE = 0, AS_EXP_UNDER_5, AS_EXP_ANY };
typedef struct as_entry_rules {
    int enabled;
    double education[AS_ENTRY_LEVELS]; /* lowest BLS entry_education_code the award meets (1 doctoral .. 8 none) */
    int work_experience;     /* enum as_entry_experience: related experience a new entrant may lack */
    int apprentices_only;    /* occupations trained by apprenticeship: only apprenticeship completers */
} as_entry_rules;

typedef struct as_labor_params {
    as_entry_rules entry_rules;
    char *demand_table;
    char *crosswalk;
    char *soc_map;
    double regional_share;
    int projection;          /* 0 flat annual average, 1 growth path */
    double in_field_share;
    double other_supply_share;   /* of openings, for occupations not listed */
    AS_COLLECTION(as_other_supply) other_supply;
    char *completions;           /* other institutions' completions table ("": none) */
    double completions_in_field_share; /* NaN: in_field_share */
    AS_COLLECTION(as_other_supply) in_migration;
} as_labor_params;

typedef struct as_school {
    double dropout[AS_GRADES];
    double retention[AS_GRADES];
    double graduation;           /* grade-12 students who neither drop out nor repeat */
    double readiness_mean, readiness_sd;
    double gpa_mean, gpa_per_sd; /* GPA = clamp(mean + per_sd * readiness, 0, 4) */
    double awareness;            /* base probability a student knows of the programs */
    double outreach, advising, middle_school_exposure; /* added to awareness */
} as_school;

/* Experience effects (docs/model.md 7.20, docs/evidence.md): how an
 * experience shifts a later transition, each as a shift in log-odds (0:
 * no effect, the model before these effects). */
enum as_wbl_kind { AS_WBL_INTERNSHIP = 0, AS_WBL_COOP, AS_WBL_CAPSTONE, AS_WBL_PREAPP, AS_WBL_KINDS };

typedef struct as_effects {
    double de_dropout;          /* on yearly dropout, for students with college credit */
    double de_college_going;    /* on four-year and community-college utility, graduates with credit */
    double de_persistence;      /* on yearly postsecondary persistence, for students with credit from high school */
    double career_credits_exam; /* on industry-credential exam passing, students with career DE credit */
    double career_credits_bachelor; /* share of career-only DE credits that count toward a bachelor's */
    double pathway_dropout;     /* on yearly dropout, students of a cte-type program */
    double pathway_in_field;    /* on in-field work, pathway completers entering work in the program's field */
    double wbl_in_field[AS_WBL_KINDS]; /* on in-field work, by kind of completed placement in the field */
    double credential_in_field; /* on in-field work, holders of an industry credential of the field */
    double preapp_apprenticeship; /* on the apprenticeship utility and pool applying, pre-apprenticeship completers */
    double awareness_offers;    /* on DE and WBL applying: aware students apply at the rate, others at this much lower log-odds */
    double awareness_college_going; /* on four-year and community-college utility, aware graduates */
} as_effects;

/* calibration: what alignsim calibrate fits (docs/model.md, section 9).
 * The engine ignores it: a scenario runs the same with or without it. */
typedef struct as_cal_target {
    char *id;
    char *metric;            /* metric path (analysis/metric_path.h) */
    double value;            /* observed */
    double se;               /* its standard error; NaN: tolerance / 1.96 */
    double tolerance;        /* half-width of a 95% range; NaN when se is given */
} as_cal_target;

typedef struct as_cal_param {
    char *id;
    char *path;              /* a --set path or a pattern with * */
    double min, max;         /* bounds (the factor's, with scale) */
    int scale;               /* 1: a factor on the value in effect */
} as_cal_param;

typedef struct as_calibration {
    AS_COLLECTION(as_cal_target) targets;
    AS_COLLECTION(as_cal_param) parameters;
    int max_evaluations;
} as_calibration;

typedef struct as_params {
    char *name;
    char *description;
    char *sources;
    uint32_t seed;
    int replications;
    int start_year;
    int years;                   /* simulated school years */
    int cohort_years;            /* years in which new cohorts enter (<= years) */
    int warmup_years;            /* simulated before start_year to fill grades 10-12; not reported */
    double cohort_size;
    double cohort_growth;        /* yearly growth rate of cohort size */
    as_school school;
    AS_COLLECTION(as_subgroup) subgroups;
    AS_COLLECTION(as_cluster) clusters;
    AS_COLLECTION(as_program) programs;
    AS_COLLECTION(as_dual_enrollment) dual_enrollment;
    AS_COLLECTION(as_wbl) wbl;
    AS_COLLECTION(as_credential) credentials;
    as_destination_params destinations;
    AS_COLLECTION(as_postsec_program) postsecondary;
    AS_COLLECTION(as_trade) apprenticeships;
    as_pool_params apprenticeship_pool;
    as_effects effects;
    as_iet iet;
    as_labor_params labor;
    as_calibration calibration;
} as_params;

/* Fills what the scenario left to be derived: completion requirements left
 * null take their pathway type's values (as_pathway_type_defaults), and
 * cohort_years left null means every simulated year.  Call once, before
 * as_params_check. */
void as_params_finish(as_params *p);

/* The signature requirements of each pathway type (seed 004), by enum
 * as_pathway_type. */
extern const as_requirements as_pathway_type_defaults[AS_PT_COUNT];
extern const char *const as_pathway_type_names[AS_PT_COUNT];
extern const char *const as_destination_names[AS_DEST_COUNT];
extern const char *const as_level_names[AS_LEVEL_COUNT];
extern const char *const as_pool_source_names[AS_POOL_COUNT];
extern const char *const as_wbl_kind_names[AS_WBL_KINDS];
extern const char *const as_applicant_source_names[AS_SRC_COUNT];

/* External apprenticeship applicants of one year (all trades, rounded each). */
long as_params_external_applicants(const as_params *p);

/* Cohort size entering grade 9 in year t of the results (rounded); t runs
 * from -warmup_years (warm-up years) to years - 1. */
long as_params_cohort_size(const as_params *p, int t);

/* The value of a schedule in calendar year `year`: the last listed value
 * whose year is at most `year`, v[0] before the first (warm-up years). */
double as_schedule_at(const as_schedule *s, int year);

/* The calendar year of simulated year t, which counts the warm-up years
 * from 0 (the engine's year): start_year + t - warmup_years. */
int as_params_calendar_year(const as_params *p, int t);

/* Checks the cross-field rules the table cannot express (probabilities that
 * must sum, grade ranges, sizes within memory).  Appends every problem to
 * err as "JSON.path: ..." prefixed by `where` (the file name).  Returns
 * AS_OK or AS_EINPUT. */
int as_params_check(const as_params *p, const char *where, as_error *err);

/* Bytes the engine will need for one replication (state + counters). */
double as_params_memory_estimate(const as_params *p);

#endif
