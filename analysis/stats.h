/*
 * stats.h - the mean of a sample of replications and its 95% confidence
 * interval (Student t with n-1 degrees of freedom, GSL's gsl_cdf_tdist_Pinv).
 *
 * Used for one run's values and for paired differences between two runs that
 * share their random numbers (common random numbers): the difference of
 * replication q of both runs is one observation.  Pure; thread-safe once the
 * GSL error handler is set (gsl_cdf_tdist_Pinv does not fail for n >= 2).
 */
#ifndef AS_STATS_H
#define AS_STATS_H

typedef struct as_estimate {
    double mean;
    double sd;       /* sample standard deviation (n - 1); 0 for one value */
    double lo, hi;   /* 95% interval of the mean; zero width for one value */
    int n;
} as_estimate;

/* The estimate of x[0..n).  A NaN among the values makes every field NaN
 * (a rate that is undefined in one replication is undefined); n == 0 too. */
as_estimate as_stats_estimate(const double *x, int n);

/* Whether the interval excludes 0 (both ends on the same side, not touching). */
int as_stats_excludes_zero(const as_estimate *e);

#endif
