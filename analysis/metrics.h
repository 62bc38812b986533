/*
 * metrics.h - alignment of supply with openings, computed from results.
 *
 * For an occupation and year: supply = local pipeline supply + other supply;
 * gap = openings - supply; ratio = supply / openings; share of openings met =
 * min(1, ratio).  Bands by ratio: under-supplied below AS_BAND_LOW (0.9),
 * over-supplied above AS_BAND_HIGH (1.1), balanced between.  The alignment
 * index over occupations is 1 - sum |gap| / sum openings (1 is perfect
 * alignment, 0 or below is none), over occupations with openings.
 *
 * Pure functions of an as_results; thread-safe.
 */
#ifndef AS_METRICS_H
#define AS_METRICS_H

#include "results.h"

#define AS_BAND_LOW 0.9
#define AS_BAND_HIGH 1.1

enum as_band { AS_BAND_UNDER = -1, AS_BAND_BALANCED = 0, AS_BAND_OVER = 1 };

typedef struct as_alignment {
    double pipeline;     /* local pipeline supply (mean over replications) */
    double other;        /* other supply */
    double openings;
    double gap;          /* openings - pipeline - other */
    double ratio;        /* (pipeline + other) / openings; NaN without openings */
    int band;            /* enum as_band */
} as_alignment;

/* Alignment of occupation o in year t, pipeline supply from replication q, or
 * the mean over replications when q < 0. */
as_alignment as_metrics_occupation(const as_results *r, size_t o, int t, int q);

/* 1 - sum_o |gap_o| / sum_o openings_o in year t (replication q, or the mean
 * when q < 0).  NaN when there are no openings. */
double as_metrics_alignment_index(const as_results *r, int t, int q);

/* The band of a supply/demand ratio. */
int as_metrics_band(double ratio);

#endif
