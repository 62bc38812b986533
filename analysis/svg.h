/*
 * svg.h - the charts of the HTML report, written as inline SVG by C: no
 * scripts, no fonts or images to fetch, so a report opens anywhere offline.
 *
 * Every chart is an <svg role="img"> with a <title> and <desc> (its id is
 * `id`, which must be unique in the page), scales to the width of its
 * container (viewBox), and uses the Okabe-Ito palette, which stays readable
 * for color-blind readers; series beyond eight are told apart by dashes.
 * The report puts a table of the same numbers under each chart, so a screen
 * reader user loses nothing.
 *
 * Text is escaped here; callers pass plain UTF-8.  Writes to f; the caller
 * checks ferror(f).  No state; thread-safe for distinct streams.
 */
#ifndef AS_SVG_H
#define AS_SVG_H

#include <stddef.h>
#include <stdio.h>

typedef struct as_svg_chart {
    const char *id;      /* unique in the page, [A-Za-z0-9_-] */
    const char *title;   /* one line */
    const char *desc;    /* what the chart shows, in words */
} as_svg_chart;

/* Supply against openings: one row per item, a light bar for the target
 * (openings) and over it a thin stacked bar of two parts (local pipeline,
 * other supply), with the numbers written at the right. */
typedef struct as_svg_supply_row {
    const char *label;
    double parts[2];
    double target;
} as_svg_supply_row;
void as_svg_supply_bars(FILE *f, const as_svg_chart *c, const as_svg_supply_row *rows, size_t n,
                        const char *const part_names[2], const char *target_name);

/* Lines over x (years): n_series series of n_x values each (NaN: no point),
 * a y axis from 0 with round ticks, and a legend on the right. */
typedef struct as_svg_series {
    const char *name;
    const double *y;
} as_svg_series;
void as_svg_lines(FILE *f, const as_svg_chart *c, const int *x, size_t n_x, const as_svg_series *series,
                  size_t n_series, const char *y_label);

/* A dot plot: one row per item, one dot per group (NaN: no dot), on an x axis
 * from 0 to x_max; with `percent` the axis reads 0%..x_max*100%.  The first
 * group can be drawn as a black bar (first_is_reference, e.g. "all
 * students"); `reference_x` (NaN: none) draws a vertical dashed line, e.g.
 * 1 for a representation ratio. */
typedef struct as_svg_dots_spec {
    const char *const *row_labels;
    size_t n_rows;
    const char *const *group_names;
    size_t n_groups;
    const double *values;      /* [row][group] */
    double x_max;
    int percent;
    int first_is_reference;
    double reference_x;
} as_svg_dots_spec;
void as_svg_dots(FILE *f, const as_svg_chart *c, const as_svg_dots_spec *spec);

/* Effects with intervals (a forest plot): one row per estimate, a point at
 * the mean and a line from lo to hi around a vertical "no change" line.
 * Every row shares one axis, symmetric around 0 and wide enough for the
 * largest mean or interval end, with ticks labelled in axis_unit (one
 * character, such as "%", on every tick; a longer unit, such as "percentage
 * points", once after the axis; NULL: none), so rows compare directly.  value_text is written at the right.  A row with heading set is
 * a group heading (no estimate); a row whose mean is not finite is listed
 * without a point. */
typedef struct as_svg_effect_row {
    const char *label;
    const char *value_text;
    double mean, lo, hi;
    int heading;
    int distinguishable;       /* drawn solid; otherwise hollow and grey */
} as_svg_effect_row;
void as_svg_effects(FILE *f, const as_svg_chart *c, const as_svg_effect_row *rows, size_t n, const char *axis_unit);

/* A round axis step for a range of `span` split into about `ticks` steps
 * (1, 2 or 5 times a power of ten). */
double as_svg_nice_step(double span, int ticks);

#endif
