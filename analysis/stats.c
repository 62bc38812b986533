#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

as_estimate as_stats_estimate(const double *x, int n)
{
    as_estimate e = {NAN, NAN, NAN, NAN, n};
    if (n <= 0)
        return e;
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    if (isnan(sum))
        return e;
    /* two passes: the variance of values that are almost equal stays exact */
    double mean = sum / n, ss = 0;
    for (int i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
    double half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt((double)n) : 0;
    e.mean = mean;
    e.sd = sd;
    e.lo = mean - half;
    e.hi = mean + half;
    return e;
}

int as_stats_excludes_zero(const as_estimate *e)
{
    return e->lo > 0 || e->hi < 0;
}
