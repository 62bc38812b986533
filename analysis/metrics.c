#include "metrics.h"

#include <math.h>

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
