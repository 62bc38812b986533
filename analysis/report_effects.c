/*
 * report_effects.c - "What each proposal changes": every later run against
 * the first, from the paired comparisons (analysis/compare.h), in words, in a
 * chart of relative change on one shared axis, and in a table with relative
 * beside absolute change.
 */
#include "report_page.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "svg.h"
#include "words.h"

typedef struct headline {
    const char *metric, *category;
    int final_year;           /* 1: the final year's row; 0: all years */
    int style;                /* enum rp_style */
    const char *noun;         /* a heading, and the subject of "no change in ..." */
    const char *more, *fewer; /* a sentence with %s for the size of the change */
} headline;

static const headline headlines[] = {
    {"graduates", "all", 0, RP_COUNT, "high-school graduates",
     "about %s more students would graduate from high school",
     "about %s fewer students would graduate from high school"},
    {"pathway_completers", "all", 0, RP_COUNT, "pathway completers",
     "about %s more students would complete a pathway", "about %s fewer students would complete a pathway"},
    {"graduates_with_college_credit", "all", 0, RP_COUNT, "graduates with college credit",
     "about %s more students would graduate with college credit",
     "about %s fewer students would graduate with college credit"},
    {"graduates_with_college_credit_share", "all", 0, RP_POINTS, "the share of graduates with college credit",
     "the share of graduates with college credit would be about %s percentage points higher",
     "the share of graduates with college credit would be about %s percentage points lower"},
    {"credentials", "all", 0, RP_COUNT, "credentials earned",
     "about %s more credentials would be earned (certifications, college awards, apprenticeships)",
     "about %s fewer credentials would be earned"},
    {"credentials", "apprenticeship", 0, RP_COUNT, "apprenticeship completions",
     "about %s more registered apprenticeships would be completed",
     "about %s fewer registered apprenticeships would be completed"},
    {"wbl_participants", "all", 0, RP_COUNT, "work-based learning placements",
     "about %s more work-based learning placements would be filled",
     "about %s fewer work-based learning placements would be filled"},
    {"apprenticeship_starts", "all", 0, RP_COUNT, "apprenticeship starts",
     "about %s more registered apprenticeships would start", "about %s fewer registered apprenticeships would start"},
    {"pipeline_supply", "all", 1, RP_COUNT, "local workers entering their field (final year)",
     "by the final year, about %s more local workers a year would enter jobs in their field",
     "by the final year, about %s fewer local workers a year would enter jobs in their field"},
    {"alignment_index", "all", 1, RP_INDEX, "the alignment index (final year)",
     "the alignment index of the final year would be about %s higher",
     "the alignment index of the final year would be about %s lower"},
    {"cost", "all", 0, RP_MONEY, "program cost", "the programs would cost about %s more",
     "the programs would cost about %s less"},
};
#define N_HEADLINES (sizeof headlines / sizeof headlines[0])

static const as_compare_row *headline_row(const page *pg, size_t i, const headline *h)
{
    return as_compare_find(&pg->cmp[i], h->metric, h->category, h->final_year ? pg->base->start_year + pg->last : 0);
}

static void effect_sentence(const headline *h, const as_compare_row *row, char *text, size_t size)
{
    char how_much[64], range[160], sentence[512], relative[32];
    rp_interval(range, sizeof range, row, h->style);
    rp_relative_text(relative, sizeof relative, rp_relative(row));
    if (rp_structural_zero(row)) {
        snprintf(text, size, "no effect in this model on %s: it is the same in every replication of both runs.",
                 h->noun);
    } else if (row->distinguishable) {
        snprintf(sentence, sizeof sentence, row->diff.mean > 0 ? h->more : h->fewer,
                 rp_amount(how_much, sizeof how_much, row->diff.mean, h->style));
        snprintf(text, size, "%s (%s of the base; 95%% interval: %s).", sentence, relative, range);
    } else {
        snprintf(text, size, "no change in %s that can be told apart from simulation noise (95%% interval: %s).",
                 h->noun, range);
    }
}

static void write_effect_words(page *pg, size_t i)
{
    const as_results *r = pg->base;
    char text[RP_TEXT];
    rp_heading(pg, 3, NULL, pg->name[i]);
    snprintf(text, sizeof text, "If the district adopts %s instead of %s, then over %d to %d:", pg->name[i],
             pg->name[0], r->start_year, r->start_year + pg->last);
    rp_para(pg, "lede", text);
    fputs("<ul class=\"effects\">\n", pg->f);
    for (size_t k = 0; k < N_HEADLINES; k++) {
        const as_compare_row *row = headline_row(pg, i, &headlines[k]);
        if (!row)
            continue;
        effect_sentence(&headlines[k], row, text, sizeof text);
        rp_element(pg, "<li>", text, "</li>\n");
    }
    if (rp_cost_per_credential(pg, i, text, sizeof text))
        rp_element(pg, "<li>", text, "</li>\n");
    fputs("</ul>\n", pg->f);
}

/* ---- chart and table ------------------------------------------------------------------------------------- */

/* One group of rows of an effects chart and table: a metric and category of
 * the comparisons, with one row per proposal under a heading. */
typedef struct effect_group {
    const char *heading;
    const char *metric, *category;
    int year;       /* calendar year, or 0 for all years */
    int style;      /* enum rp_style */
} effect_group;

typedef struct effect_figure {
    as_svg_chart chart;
    const char *caption, *table_caption;
    int relative;   /* 1: draw the change in % of the base; 0: the difference itself (one unit) */
    const char *axis_unit;
} effect_figure;

/* The chart row of run i: the change (relative or absolute), its interval and its words. */
static as_svg_effect_row effect_row(const page *pg, size_t i, const as_compare_row *row, const effect_figure *fig,
                                    int style, char *value, size_t size)
{
    char d[64], lo[64], hi[64];
    as_svg_effect_row out = {.label = pg->name[i], .value_text = value, .distinguishable = row->distinguishable};
    double base = fabs(row->base.mean), k = fig->relative ? 100 / base : 1;
    if (rp_structural_zero(row)) {
        snprintf(value, size, "no effect in this model");
        out.mean = out.lo = out.hi = 0;
    } else if (fig->relative && !(base > 0 && isfinite(base))) {
        snprintf(value, size, "%s (base 0: not drawn)", rp_signed(d, sizeof d, row->diff.mean, style));
        out.mean = out.lo = out.hi = NAN;
    } else {
        out.mean = row->diff.mean * k;
        out.lo = row->diff.lo * k;
        out.hi = row->diff.hi * k;
        if (fig->relative)
            snprintf(value, size, "%s (%s to %s)", rp_relative_text(d, sizeof d, out.mean),
                     rp_relative_text(lo, sizeof lo, out.lo), rp_relative_text(hi, sizeof hi, out.hi));
        else
            snprintf(value, size, "%s (%s to %s)", rp_signed(d, sizeof d, out.mean, style),
                     rp_signed(lo, sizeof lo, out.lo, style), rp_signed(hi, sizeof hi, out.hi, style));
    }
    return out;
}

static const char *const effects_heads[] = {"Scenario", "Base", "Proposal", "Difference", "Relative change",
                                            "95% interval of the difference (simulation noise)",
                                            "Told apart from noise"};
#define EFFECTS_COLUMNS 7

/* A row of the table, headed by head (the proposal's name, or with one proposal the measure's). */
static void effects_table_row(page *pg, const char *head, const as_compare_row *row, int style)
{
    char cells[EFFECTS_COLUMNS - 1][RP_CELL], range[160], d[64];
    const char *unit = style == RP_POINTS ? " points" : "";
    rp_level(cells[0], RP_CELL, row->base.mean, style);
    rp_level(cells[1], RP_CELL, row->proposal.mean, style);
    snprintf(cells[2], RP_CELL, "%s%s", rp_signed(d, sizeof d, row->diff.mean, style), unit);
    rp_relative_text(cells[3], RP_CELL, rp_relative(row));
    if (rp_structural_zero(row)) {
        snprintf(cells[4], RP_CELL, "none: the same in every replication");
        snprintf(cells[5], RP_CELL, "no effect in this model");
    } else {
        snprintf(cells[4], RP_CELL, "%s%s", rp_interval(range, sizeof range, row, style), unit);
        snprintf(cells[5], RP_CELL, "%s", row->distinguishable ? "yes" : "no");
    }
    rp_table_row(pg, cells, EFFECTS_COLUMNS - 1, head);
}

static void write_effect_figure(page *pg, const effect_figure *fig, const effect_group *groups, size_t n)
{
    size_t most = n * pg->n;
    as_svg_effect_row *rows = as_calloc(most + 1, sizeof *rows);
    char (*values)[RP_CELL] = as_calloc(most + 1, sizeof *values);
    if (!rows || !values) {
        free(rows);
        free(values);
        return;
    }
    size_t k = 0;
    for (size_t g = 0; g < n; g++) {
        rows[k++] = (as_svg_effect_row){.label = groups[g].heading, .heading = 1};
        for (size_t i = 1; i < pg->n; i++) {
            const as_compare_row *row = as_compare_find(&pg->cmp[i], groups[g].metric, groups[g].category,
                                                        groups[g].year);
            if (row) {
                rows[k] = effect_row(pg, i, row, fig, groups[g].style, values[k], sizeof values[k]);
                k++;
            }
        }
    }
    rp_figure_begin(pg);
    as_svg_effects(pg->f, &fig->chart, rows, k, fig->axis_unit);
    rp_figure_end(pg, fig->caption);
    const char *heads[EFFECTS_COLUMNS];
    memcpy(heads, effects_heads, sizeof heads);
    if (pg->n == 2) /* one proposal: a row per measure */
        heads[0] = "Measure";
    rp_table_begin(pg, fig->table_caption, heads, EFFECTS_COLUMNS);
    for (size_t g = 0; g < n; g++) {
        if (pg->n > 2)
            rp_table_group(pg, groups[g].heading, EFFECTS_COLUMNS);
        for (size_t i = 1; i < pg->n; i++) {
            const as_compare_row *row = as_compare_find(&pg->cmp[i], groups[g].metric, groups[g].category,
                                                        groups[g].year);
            if (row)
                effects_table_row(pg, pg->n == 2 ? groups[g].heading : pg->name[i], row, groups[g].style);
        }
    }
    rp_table_end(pg);
    free(rows);
    free(values);
}

static void write_effects_chart(page *pg)
{
    effect_group groups[N_HEADLINES];
    size_t n = 0;
    for (size_t h = 0; h < N_HEADLINES; h++)
        if (headline_row(pg, 1, &headlines[h]))
            groups[n++] = (effect_group){headlines[h].noun, headlines[h].metric, headlines[h].category,
                                         headlines[h].final_year ? pg->base->start_year + pg->last : 0,
                                         headlines[h].style};
    char caption[RP_TEXT], noise[160];
    snprintf(caption, sizeof caption,
             "Every row shares one axis: the change in percent of the base's value, so a small change in a large "
             "total sits near the line whatever its count (the table below gives both).  A filled dot "
             "marks a change whose interval leaves out zero; a hollow grey dot, a change too small to tell apart "
             "from simulation noise.  Lines: %s.",
             rp_noise(pg, noise, sizeof noise));
    char table_caption[RP_TEXT];
    snprintf(table_caption, sizeof table_caption,
             "Differences from the base (proposal minus base, paired by replication), absolute and relative");
    effect_figure fig = {
        {"chart-effects", "What each proposal changes, in percent of the base",
         "For each measure, one line per proposal: the difference from the base in percent of the base's value "
         "(dot) and its 95% interval (line), all on one axis."},
        caption, table_caption, 1, "%"};
    write_effect_figure(pg, &fig, groups, n);
}

static void write_effects_by_group(page *pg)
{
    const as_dim *subgroups = &pg->base->dims[AS_D_SUBGROUP];
    effect_group *groups = as_calloc(subgroups->len + 1, sizeof *groups);
    char (*names)[RP_NAME] = as_calloc(subgroups->len + 1, sizeof *names);
    if (!groups || !names) {
        free(groups);
        free(names);
        return;
    }
    for (size_t g = 0; g < subgroups->len; g++)
        groups[g] = (effect_group){rp_name(pg, AS_D_SUBGROUP, subgroups->labels[g], names[g], sizeof names[g]),
                                   "graduates_with_college_credit_share", subgroups->labels[g], 0, RP_POINTS};
    effect_figure fig = {
        {"chart-effects-groups", "Change in the share of graduates with college credit, by group",
         "For each student group, one line per proposal: the change in percentage points of the share of its "
         "graduates with college credit, with its 95% interval."},
        "Who gains: every group shares one axis here, in percentage points, so the lines compare directly.  A "
        "proposal narrows a gap when a group below all students gains more than all students do.  Lines: 95% "
        "intervals, simulation noise only.",
        "Share of graduates with college credit, by group (differences in percentage points)", 0, "percentage points"};
    write_effect_figure(pg, &fig, groups, subgroups->len);
    free(groups);
    free(names);
}

void rp_write_effects(page *pg)
{
    char text[RP_TEXT], noise[160];
    rp_heading(pg, 2, "effects", "What each proposal changes");
    snprintf(text, sizeof text,
             "Differences are proposal minus base, over the same simulated students, averaged over replications.  "
             "Intervals: %s.  A change whose interval includes zero cannot be told apart from simulation noise; "
             "a measure that is the same in every replication of both runs has no effect in this model.",
             rp_noise(pg, noise, sizeof noise));
    rp_para(pg, "note", text);
    for (size_t i = 1; i < pg->n; i++)
        write_effect_words(pg, i);
    write_effects_chart(pg);
    if (pg->base->dims[AS_D_SUBGROUP].len > 1)
        write_effects_by_group(pg);
}
