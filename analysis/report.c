/*
 * report.c - assembling the report (analysis/report.h): the page's head and
 * stylesheet, the intro, "at a glance", pathways, equity and the method
 * notes; the other sections are in analysis/report_*.c (report_page.h).
 */
#include "report.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "metrics.h"
#include "outfile.h"
#include "report_page.h"
#include "scenario.h"
#include "svg.h"
#include "version.h"
#include "words.h"

#define TOP_PROGRAMS 8      /* lines in a chart; more programs are drawn as one "other" line */

/* ---- the page -------------------------------------------------------------------------------------------- */

static const char *const css =
    "body{margin:0;background:#fafafa;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif}\n"
    "main{max-width:880px;margin:0 auto;padding:24px 20px 60px;background:#fff}\n"
    "h1{font-size:1.7em;line-height:1.2;margin:.2em 0 .4em}h2{margin-top:2em;border-bottom:2px solid #0072B2;"
    "padding-bottom:.2em}h3{margin-top:1.5em}\n"
    ".lede{font-size:1.1em;color:#333}.note{color:#555;font-size:.92em}\n"
    "section.summary{background:#f3f8fc;border-left:4px solid #0072B2;padding:.4em 1em .6em;margin:.6em 0 1em}\n"
    "p.verdict{font-weight:600;margin:.8em 0 .2em}ul.summary{margin:.2em 0;padding-left:1.3em}"
    "ul.summary li{margin:.35em 0}\n"
    "figure{margin:1.2em 0;padding:12px;border:1px solid #e3e3e3;border-radius:6px;background:#fff}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "figcaption{margin-top:.6em;font-size:1em;color:#222}\n"
    ".table{overflow-x:auto;margin:.6em 0 1.4em}table{border-collapse:collapse;font-size:.85em;min-width:50%}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0;color:#333}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid #e6e6e6;text-align:right;white-space:nowrap}\n"
    "thead th{background:#f0f4f8;white-space:normal;vertical-align:bottom}\n"
    "th[scope=row],thead th:first-child{text-align:left;white-space:normal;min-width:12em}\n"
    "th.group{text-align:left;background:#f6f6f6;padding-top:8px}thead th.span{text-align:center;border-bottom:1px solid #ccc}th.part{padding-left:1.8em;font-weight:normal}\n"
    "td.words{text-align:left;white-space:normal;vertical-align:top}\n"
    "table.assumptions{width:100%;table-layout:fixed}table.assumptions td{vertical-align:top}"
    "table.assumptions th{text-align:left}col.kind{width:8.5em}col.where{width:30%}"
    "table.assumptions ul{margin:0;padding-left:1.1em}\n"
    "td.kind{text-align:left;white-space:normal;font-weight:700;font-size:.85em}"
    "td.assumption{color:#a03000}td.data{color:#006040}td.document{color:#0a5a8c}td.input,td.noise{color:#444}\n"
    "tbody tr:nth-child(even){background:#fafcfe}\n"
    "ul.effects li{margin:.3em 0}details{margin:.3em 0 .8em}summary{cursor:pointer;color:#0a5a8c}\n"
    "dt{font-weight:600;margin-top:.6em}dd{margin-left:1.2em}\n"
    /* print: A4 or Letter; nothing clipped (tables wrap instead of scrolling), tables and charts kept whole
     * where they fit a page (a table longer than a page breaks between rows, its head repeated), headings
     * kept with what follows */
    "@page{margin:14mm 12mm}\n"
    "@media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}\n"
    "h2{break-after:avoid}h3,caption,p.lede,p.verdict{break-after:avoid}\n"
    "h2#occupations,h2#glance,h2#effects,h2#supply,h2#pathways,h2#equity{break-before:page}\n"
    ".table{overflow:visible;break-inside:avoid}table{width:100%;font-size:8.5pt;break-inside:avoid}"
    ".table.long,table.assumptions,table.assumptions tr{break-inside:auto}"
    "thead{display:table-header-group}tr{break-inside:avoid}\n"
    "th{white-space:normal}td{white-space:nowrap;padding:2px 4px}th{padding:2px 4px}td.words{white-space:normal}"
    "th[scope=row],thead th:first-child{min-width:0}table.occupation th[scope=row]{white-space:nowrap}\n"
    "table.supply{font-size:8pt}table.supply th[scope=row]{min-width:13em}\n"
    "figure{break-inside:avoid;border:none;padding:0}svg.chart{max-height:150mm}\n"
    "p,li{break-inside:avoid}summary{color:#333}}\n";

static void write_head(page *pg)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          pg->f);
    rp_html(pg, "alignsim report: ");
    rp_html(pg, pg->name[0]);
    fprintf(pg->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
}

static void write_scenario_list(page *pg)
{
    fputs("<ul>\n", pg->f);
    for (size_t i = 0; i < pg->n; i++) {
        rp_element(pg, "<li><strong>", pg->name[i], "</strong>");
        rp_html(pg, i == 0 && pg->n > 1 ? " (the base)" : "");
        rp_element(pg, " <span class=\"note\">", pg->runs[i].path, "</span>");
        if (pg->description[i] && *pg->description[i])
            rp_element(pg, "<details><summary>What this scenario is</summary>", pg->description[i], "</details>");
        fputs("</li>\n", pg->f);
    }
    fputs("</ul>\n", pg->f);
}

static void write_intro(page *pg)
{
    const as_results *r = pg->base;
    char text[RP_TEXT], noise[160];
    snprintf(text, sizeof text, "Career pathways and the region's jobs: %s", pg->name[0]);
    rp_heading(pg, 1, "top", text);
    snprintf(text, sizeof text,
             "What happens to students of %d entering classes (%d to %d) under %s: how many graduate, complete "
             "a pathway, earn college credit and credentials, and how well that matches the jobs the region "
             "needs to fill.",
             r->years, r->start_year, r->start_year + pg->last, pg->n > 1 ? "each scenario" : "this scenario");
    rp_para(pg, "lede", text);
    snprintf(text, sizeof text,
             "Written by alignsim %s (commit %.12s).  Each scenario was simulated %d times (replications, random seed %u); "
             "every number is the average over the replications.%s%s%s",
             AS_VERSION, AS_GIT_COMMIT, r->replications, (unsigned)r->seed, r->replications > 1 ? "  Ranges: " : "",
             r->replications > 1 ? rp_noise(pg, noise, sizeof noise) : "", r->replications > 1 ? "." : "");
    rp_para(pg, "note", text);
    if (pg->n > 1) {
        snprintf(text, sizeof text,
                 "The first scenario, %s, is the base.  Every other scenario is a proposal, simulated with the "
                 "same students and the same chance events, so a difference from the base comes from the "
                 "proposal, not from luck.",
                 pg->name[0]);
        rp_para(pg, "note", text);
    }
    write_scenario_list(pg);
}

/* ---- credentials by field ------------------------------------------------------------------------------ */

#define MAX_FIELDS 64

/* Adds the fields of r's credentials not yet in fields[0..*n). */
static void collect_fields(const as_results *r, char fields[][64], size_t *n)
{
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len; k++) {
        char field[64];
        as_metrics_credential_field(r, k, field, sizeof field);
        size_t i = 0;
        while (i < *n && strcmp(fields[i], field) != 0)
            i++;
        if (i == *n && *n < MAX_FIELDS && field[0])
            snprintf(fields[(*n)++], 64, "%s", field);
    }
}

static void write_fields(page *pg)
{
    static char fields[MAX_FIELDS][64];
    size_t n = 0;
    for (size_t i = 0; i < pg->n; i++)
        collect_fields(pg->runs[i].results, fields, &n);
    if (n == 0)
        return;
    rp_ranked order[MAX_FIELDS];
    for (size_t f = 0; f < n; f++)
        order[f] = (rp_ranked){f, as_metrics_credentials_by_field(pg->base, fields[f], AS_MEAN, AS_ALL_YEARS)};
    qsort(order, n, sizeof *order, rp_by_key_descending);
    rp_table_by_scenario(pg, "Credentials earned by field, all years", "Field (career cluster)");
    char cells[AS_REPORT_MAX_RUNS][RP_CELL], field[RP_TEXT];
    for (size_t f = 0; f < n; f++) {
        for (size_t i = 0; i < pg->n; i++)
            as_words_count(cells[i], RP_CELL,
                           as_metrics_credentials_by_field(pg->runs[i].results, fields[order[f].index], AS_MEAN,
                                                           AS_ALL_YEARS));
        rp_table_row(pg, cells, pg->n, rp_field_name(pg, fields[order[f].index], field, sizeof field));
    }
    rp_table_end(pg);
}

/* ---- at a glance ------------------------------------------------------------------------------------------ */

enum glance {
    G_ENTRANTS, G_GRADUATES, G_COMPLETERS, G_COLLEGE_CREDIT, G_COLLEGE_SHARE, G_WITH_CREDENTIAL, G_DUAL, G_WBL,
    G_APPRENTICE_STARTS, G_CREDENTIALS, G_LEVEL, G_SUPPLY, G_OPENINGS, G_ALIGNMENT, G_COST, G_COST_PER_SEAT,
    G_COST_PER_CREDENTIAL, G_EARNINGS, G_EARNINGS_PER_WORKER, G_APPRENTICE_WAGES
};

static double all_sum(const as_results *r, int var, int pick, int t)
{
    as_selection s = {.var = var, .pick = pick};
    return as_metrics_sum(r, &s, AS_MEAN, t);
}

static double openings_total(const as_results *r, int t)
{
    size_t n = r->dims[AS_D_OCCUPATION].len;
    double sum = 0;
    for (size_t o = 0; o < n; o++)
        sum += r->openings[(size_t)t * n + o];
    return sum;
}

static void glance_value(const as_results *r, int kind, int arg, char *buf, size_t size)
{
    int last = r->years - 1, all = AS_ALL_YEARS;
    switch (kind) {
    case G_ENTRANTS: as_words_count(buf, size, all_sum(r, AS_V_ENTRANTS, AS_PICK_ALL, all)); break;
    case G_GRADUATES: as_words_count(buf, size, all_sum(r, AS_V_GRADUATES, AS_PICK_ALL, all)); break;
    case G_COMPLETERS: as_words_count(buf, size, all_sum(r, AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, all)); break;
    case G_COLLEGE_CREDIT:
        as_words_count(buf, size, all_sum(r, AS_V_GRADS_POSTSEC_EXPERIENCE, AS_PICK_ALL, all));
        break;
    case G_COLLEGE_SHARE: as_words_percent(buf, size, as_metrics_postsec_experience_share(r, AS_MEAN, all)); break;
    case G_WITH_CREDENTIAL:
        as_words_count(buf, size, all_sum(r, AS_V_GRADS_WITH_CREDENTIAL, AS_PICK_ALL, all));
        break;
    case G_DUAL: as_words_count(buf, size, all_sum(r, AS_V_DUAL_STUDENTS, AS_PICK_ALL, all)); break;
    case G_WBL: as_words_count(buf, size, all_sum(r, AS_V_WBL_PARTICIPANTS, AS_PICK_ALL, all)); break;
    case G_APPRENTICE_STARTS: as_words_count(buf, size, all_sum(r, AS_V_APPRENTICE_STARTS, AS_PICK_ALL, all)); break;
    case G_CREDENTIALS: as_words_count(buf, size, all_sum(r, AS_V_CREDENTIALS, AS_PICK_ALL, all)); break;
    case G_LEVEL: as_words_count(buf, size, as_metrics_credentials_by_level(r, arg, AS_MEAN, all)); break;
    case G_SUPPLY: as_words_count(buf, size, all_sum(r, AS_V_SUPPLY, AS_PICK_ALL, last)); break;
    case G_OPENINGS: as_words_count(buf, size, openings_total(r, last)); break;
    case G_ALIGNMENT: as_words_fixed(buf, size, as_metrics_alignment_index(r, last, AS_MEAN), 4); break;
    case G_COST: as_words_money(buf, size, as_metrics_cost(r, AS_MEAN, all)); break;
    case G_COST_PER_SEAT: as_words_money(buf, size, as_metrics_cost_per_seat(r, arg, AS_MEAN, all)); break;
    case G_COST_PER_CREDENTIAL: as_words_money(buf, size, as_metrics_cost_per_credential(r, AS_MEAN, all)); break;
    case G_EARNINGS: as_words_money(buf, size, as_metrics_earnings(r, AS_MEAN, last)); break;
    case G_EARNINGS_PER_WORKER: as_words_money(buf, size, as_metrics_earnings_per_worker(r, AS_MEAN, last)); break;
    case G_APPRENTICE_WAGES: as_words_money(buf, size, all_sum(r, AS_V_APPRENTICE_EARNINGS, AS_PICK_ALL, all)); break;
    default: snprintf(buf, size, "n/a"); break;
    }
}

static void glance_row(page *pg, const char *label, int kind, int arg)
{
    char cells[AS_REPORT_MAX_RUNS][RP_CELL];
    for (size_t i = 0; i < pg->n; i++)
        glance_value(pg->runs[i].results, kind, arg, cells[i], sizeof cells[i]);
    rp_table_row(pg, cells, pg->n, label);
}

static int any_level(const page *pg, int level)
{
    for (size_t i = 0; i < pg->n; i++)
        if (as_metrics_credentials_by_level(pg->runs[i].results, level, AS_MEAN, AS_ALL_YEARS) > 0)
            return 1;
    return 0;
}

static int any_cost(const page *pg, int item)
{
    for (size_t i = 0; i < pg->n; i++) {
        const as_results *r = pg->runs[i].results;
        if (item < (int)r->dims[AS_D_COST_ITEM].len) {
            as_selection s = {.var = AS_V_COST, .pick = AS_PICK_LABEL, .label = r->dims[AS_D_COST_ITEM].labels[item]};
            if (as_metrics_sum(r, &s, AS_MEAN, AS_ALL_YEARS) > 0)
                return 1;
        }
    }
    return 0;
}

static void write_glance(page *pg)
{
    static const struct { const char *label; int kind; } rows[] = {
        {"Students entering grade 9", G_ENTRANTS},
        {"High-school graduates", G_GRADUATES},
        {"Graduates who completed a pathway", G_COMPLETERS},
        {"Graduates with college credit (dual enrollment)", G_COLLEGE_CREDIT},
        {"Share of graduates with college credit", G_COLLEGE_SHARE},
        {"Graduates holding an industry credential", G_WITH_CREDENTIAL},
        {"Student-years in dual enrollment", G_DUAL},
        {"Work-based learning placements", G_WBL},
        {"Registered apprenticeships started", G_APPRENTICE_STARTS},
        {"Credentials earned, all kinds", G_CREDENTIALS},
    };
    const as_results *r = pg->base;
    char text[RP_TEXT], y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", r->start_year);
    snprintf(y1, sizeof y1, "%d", r->start_year + pg->last);
    rp_heading(pg, 2, "glance", "At a glance");
    snprintf(text, sizeof text,
             "Totals over %s to %s, averaged over replications, unless the row names the final year (%s).  "
             "College credit counts graduates who earned any in high school: the share of graduates with a "
             "postsecondary experience, the accountability metric of %s.",
             y0, y1, y1, rp_document_title(3));
    rp_para(pg, "note", text);
    rp_table_by_scenario(pg, "Key numbers of each scenario", "Measure");
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        glance_row(pg, rows[k].label, rows[k].kind, 0);
    for (int level = 0; level < AS_LEVEL_COUNT; level++)
        if (any_level(pg, level)) {
            snprintf(text, sizeof text, "  of which %s", rp_level_name(level));
            glance_row(pg, text, G_LEVEL, level);
        }
    snprintf(text, sizeof text, "Local pipeline supply in %s (workers)", y1);
    glance_row(pg, text, G_SUPPLY, 0);
    snprintf(text, sizeof text, "Openings in %s, all occupations", y1);
    glance_row(pg, text, G_OPENINGS, 0);
    snprintf(text, sizeof text, "Alignment index in %s (1 = supply matches openings)", y1);
    glance_row(pg, text, G_ALIGNMENT, 0);
    glance_row(pg, "Cost of all programs", G_COST, 0);
    for (int item = 0; item < AS_C_COUNT; item++)
        if (any_cost(pg, item)) {
            char item_name[RP_NAME];
            snprintf(text, sizeof text, "  cost per seat-year: %s",
                     rp_name(pg, AS_D_COST_ITEM, r->dims[AS_D_COST_ITEM].labels[item], item_name, sizeof item_name));
            glance_row(pg, text, G_COST_PER_SEAT, item);
        }
    glance_row(pg, "Cost per credential earned", G_COST_PER_CREDENTIAL, 0);
    snprintf(text, sizeof text, "Yearly earnings of the %s pipeline workers", y1);
    glance_row(pg, text, G_EARNINGS, 0);
    glance_row(pg, "  per worker (median wage of the occupation)", G_EARNINGS_PER_WORKER, 0);
    glance_row(pg, "Wages paid to apprentices in training", G_APPRENTICE_WAGES, 0);
    rp_table_end(pg);
    write_fields(pg);
}

/* ---- pathways ------------------------------------------------------------------------------------------- */

/* Programs (not "none") ordered by student-years, most first; returns how many. */
static size_t ranked_programs(const as_results *r, rp_ranked *out)
{
    size_t n = r->dims[AS_D_PATHWAY].len ? r->dims[AS_D_PATHWAY].len - 1 : 0;
    for (size_t j = 0; j < n; j++) {
        as_selection s = {.var = AS_V_ENROLLED, .pick = AS_PICK_LABEL, .label = r->dims[AS_D_PATHWAY].labels[j]};
        out[j] = (rp_ranked){j, as_metrics_sum(r, &s, AS_MEAN, AS_ALL_YEARS)};
    }
    qsort(out, n, sizeof *out, rp_by_key_descending);
    return n;
}

/* values[line][year] of var for the top programs, the rest summed into one
 * last line; returns the number of lines and fills names. */
static size_t program_lines(const page *pg, int var, const rp_ranked *order, size_t n_prog, double *values,
                            const char **names, char (*words)[RP_NAME], char *other_name, size_t other_size)
{
    const as_results *r = pg->base;
    size_t lines = n_prog <= TOP_PROGRAMS ? n_prog : TOP_PROGRAMS;
    for (size_t l = 0; l < lines * (size_t)r->years; l++)
        values[l] = 0;
    for (size_t i = 0; i < n_prog; i++) {
        size_t line = i < lines - 1 || n_prog <= TOP_PROGRAMS ? i : lines - 1;
        const char *label = r->dims[AS_D_PATHWAY].labels[order[i].index];
        names[line] = rp_short_name(pg, AS_D_PATHWAY, label, words[line], RP_NAME);
        as_selection s = {.var = var, .pick = AS_PICK_LABEL, .label = label};
        for (int t = 0; t < r->years; t++)
            values[line * (size_t)r->years + (size_t)t] += as_metrics_sum(r, &s, AS_MEAN, t);
    }
    if (n_prog > TOP_PROGRAMS) {
        snprintf(other_name, other_size, "%zu other programs", n_prog - (TOP_PROGRAMS - 1));
        names[lines - 1] = other_name;
    }
    return lines;
}

static void years_table(page *pg, const char *caption, const char *const *names, const double *values,
                        size_t lines)
{
    const as_results *r = pg->base;
    const char *heads[AS_MAX_YEARS + 1] = {"Program"};
    char years[AS_MAX_YEARS][8];
    int shown = r->years < AS_MAX_YEARS ? r->years : AS_MAX_YEARS;
    for (int t = 0; t < shown; t++) {
        snprintf(years[t], sizeof years[t], "%d", r->start_year + t);
        heads[t + 1] = years[t];
    }
    rp_table_begin(pg, caption, heads, (size_t)shown + 1);
    char cells[AS_MAX_YEARS][RP_CELL];
    for (size_t l = 0; l < lines; l++) {
        for (int t = 0; t < shown; t++)
            as_words_count(cells[t], RP_CELL, values[l * (size_t)r->years + (size_t)t]);
        rp_table_row(pg, cells, (size_t)shown, names[l]);
    }
    rp_table_end(pg);
}

static void pathway_chart(page *pg, const char *id, const char *title, const char *desc, const char *y_label,
                          const char *const *names, const double *values, size_t lines, const char *caption,
                          const char *table_caption)
{
    const as_results *r = pg->base;
    int x[AS_MAX_YEARS];
    as_svg_series series[TOP_PROGRAMS];
    for (int t = 0; t < r->years && t < AS_MAX_YEARS; t++)
        x[t] = r->start_year + t;
    for (size_t l = 0; l < lines; l++)
        series[l] = (as_svg_series){names[l], values + l * (size_t)r->years};
    as_svg_chart chart = {id, title, desc};
    rp_figure_begin(pg);
    as_svg_lines(pg->f, &chart, x, (size_t)r->years, series, lines, y_label);
    rp_figure_end(pg, caption);
    years_table(pg, table_caption, names, values, lines);
}

static void pathway_caption(page *pg, const rp_ranked *order, char *text, size_t size)
{
    const as_results *r = pg->base;
    int last = pg->last;
    double in_programs = all_sum(r, AS_V_ENROLLED, AS_PICK_PROGRAMS, last);
    double in_school = all_sum(r, AS_V_ENROLLED, AS_PICK_ALL, last);
    as_selection biggest = {.var = AS_V_ENROLLED, .pick = AS_PICK_LABEL,
                            .label = r->dims[AS_D_PATHWAY].labels[order[0].index]};
    double completers = all_sum(r, AS_V_PATHWAY_COMPLETERS, AS_PICK_ALL, AS_ALL_YEARS);
    double completion = as_metrics_equity_rate(r, AS_EQ_COMPLETION, 0, AS_MEAN, AS_ALL_YEARS);
    char a[64], b[64], c[64], d[64], e[64], name[RP_NAME];
    snprintf(text, size,
             "In %d about %s high-school students (%s of all) are in a pathway program; the largest is %s, with "
             "about %s.  Over %d to %d about %s graduates complete a pathway, %s of all graduates.",
             r->start_year + last, as_words_about(a, sizeof a, in_programs),
             as_words_percent(b, sizeof b, in_school > 0 ? in_programs / in_school : NAN),
             rp_short_name(pg, AS_D_PATHWAY, biggest.label, name, sizeof name),
             as_words_about(c, sizeof c, as_metrics_sum(r, &biggest, AS_MEAN, last)), r->start_year,
             r->start_year + last, as_words_about(d, sizeof d, completers), as_words_percent(e, sizeof e, completion));
}

static void write_pathways(page *pg)
{
    const as_results *r = pg->base;
    rp_heading(pg, 2, "pathways", "Enrollment and completion by pathway");
    size_t n_prog = r->dims[AS_D_PATHWAY].len ? r->dims[AS_D_PATHWAY].len - 1 : 0;
    if (n_prog == 0) {
        rp_para(pg, "note", "This scenario has no pathway programs.");
        return;
    }
    rp_ranked *order = as_malloc(n_prog * sizeof *order);
    double *values = as_malloc((size_t)TOP_PROGRAMS * (size_t)r->years * sizeof *values);
    if (!order || !values) {
        free(order);
        free(values);
        rp_para(pg, "note", "(out of memory drawing this section)");
        return;
    }
    ranked_programs(r, order);
    const char *names[TOP_PROGRAMS];
    char other[64], caption[RP_TEXT], words[TOP_PROGRAMS][RP_NAME];
    pathway_caption(pg, order, caption, sizeof caption);
    size_t lines = program_lines(pg, AS_V_ENROLLED, order, n_prog, values, names, words, other, sizeof other);
    pathway_chart(pg, "chart-enrollment", "Students in each pathway program, by year",
                  "One line per program: students enrolled each year, average over replications.",
                  "students in the program", names, values, lines, caption, "Students in each program, by year");
    lines = program_lines(pg, AS_V_PATHWAY_COMPLETERS, order, n_prog, values, names, words, other, sizeof other);
    pathway_chart(pg, "chart-completion", "Pathway completers, by program and year",
                  "One line per program: graduates who met the program's completion requirements each year.",
                  "pathway completers", names, values, lines,
                  "Students are counted as completers when they graduate; a program's completion rule (hours, "
                  "courses, credential, work-based learning, college credit) decides who counts.",
                  "Pathway completers by program, by year");
    free(order);
    free(values);
}

/* ---- equity ---------------------------------------------------------------------------------------------- */

/* Short names of categories [from, from + n) of dimension d, for a chart or a
 * table: n strings in one allocation (free it); NULL when out of memory. */
static const char **short_names(const page *pg, int d, size_t from, size_t n)
{
    const char **names = as_malloc(n * sizeof *names + n * RP_NAME + 1);
    if (!names)
        return NULL;
    char *text = (char *)(names + n);
    for (size_t i = 0; i < n; i++)
        names[i] = rp_short_name(pg, d, pg->base->dims[d].labels[from + i], text + i * RP_NAME, RP_NAME);
    return names;
}

static void equity_caption(const double *rates, size_t n_groups, const char *const *groups, char *text, size_t size)
{
    double widest = 0;
    int row = -1;
    size_t group = 0;
    for (int i = 0; i < AS_EQ_COUNT; i++)
        for (size_t g = 1; g < n_groups; g++) {
            double gap = rates[(size_t)i * n_groups + g] - rates[(size_t)i * n_groups];
            if (gap < widest)
                widest = gap, row = i, group = g;
        }
    if (row < 0) {
        snprintf(text, size, "No group of students is below all students on any of these measures.");
        return;
    }
    char a[32], b[32];
    snprintf(text, size,
             "The black bar marks all students and each dot one group (a student can belong to several).  The "
             "widest gap: for \"%s\", %s are at %s against %s for all students, %.1f percentage points lower.",
             as_equity_words[row], groups[group],
             as_words_percent(a, sizeof a, rates[(size_t)row * n_groups + group]),
             as_words_percent(b, sizeof b, rates[(size_t)row * n_groups]), -widest * 100);
}

static void equity_table(page *pg, const double *rates, size_t n_groups, const char *const *groups)
{
    const char *heads[64] = {"Measure"};
    size_t shown = n_groups < 63 ? n_groups : 63;
    for (size_t g = 0; g < shown; g++)
        heads[g + 1] = groups[g];
    rp_table_begin(pg, "Rates by student group (in parentheses: percentage points above or below all students)",
                heads, shown + 1);
    char cells[64][RP_CELL];
    for (int i = 0; i < AS_EQ_COUNT; i++) {
        for (size_t g = 0; g < shown; g++) {
            double rate = rates[(size_t)i * n_groups + g], all = rates[(size_t)i * n_groups];
            char pct[32];
            as_words_percent(pct, sizeof pct, rate);
            if (g == 0 || isnan(rate))
                snprintf(cells[g], RP_CELL, "%s", pct);
            else
                snprintf(cells[g], RP_CELL, "%s (%+.1f)", pct, (rate - all) * 100);
        }
        rp_table_row(pg, cells, shown, as_equity_words[i]);
    }
    rp_table_end(pg);
}

static void write_equity_rates(page *pg, size_t n_groups)
{
    const as_results *r = pg->base;
    double *rates = as_malloc((size_t)AS_EQ_COUNT * n_groups * sizeof *rates);
    const char **groups = short_names(pg, AS_D_SUBGROUP, 0, n_groups);
    if (!rates || !groups) {
        free(rates);
        free(groups);
        return;
    }
    double most = 0;
    for (int i = 0; i < AS_EQ_COUNT; i++)
        for (size_t g = 0; g < n_groups; g++) {
            double v = as_metrics_equity_rate(r, i, g, AS_MEAN, AS_ALL_YEARS);
            rates[(size_t)i * n_groups + g] = v;
            if (isfinite(v))
                most = fmax(most, v);
        }
    as_svg_dots_spec spec = {.row_labels = as_equity_words, .n_rows = AS_EQ_COUNT,
                             .group_names = groups, .n_groups = n_groups,
                             .values = rates, .x_max = fmin(1, ceil(most * 10 + 1e-9) / 10), .percent = 1,
                             .first_is_reference = 1, .reference_x = NAN};
    as_svg_chart chart = {"chart-equity", "Rates by student group, against all students",
                          "For each measure, a black bar for all students and one dot per student group."};
    char caption[RP_TEXT];
    equity_caption(rates, n_groups, groups, caption, sizeof caption);
    rp_figure_begin(pg);
    as_svg_dots(pg->f, &chart, &spec);
    rp_figure_end(pg, caption);
    equity_table(pg, rates, n_groups, groups);
    free(rates);
    free(groups);
}

static void representation_caption(const double *ratios, size_t n_prog, size_t n_groups,
                                   const char *const *programs, const char *const *groups, char *text, size_t size)
{
    double lowest = INFINITY;
    size_t at = 0;
    for (size_t i = 0; i < n_prog * n_groups; i++)
        if (isfinite(ratios[i]) && ratios[i] < lowest)
            lowest = ratios[i], at = i;
    int used = snprintf(text, size,
                        "1 (the dashed line) means a group makes up the same share of a program's students as of "
                        "the whole high school; below 1 it is under-represented, above 1 over-represented.");
    if (isfinite(lowest) && used > 0 && (size_t)used < size)
        snprintf(text + used, size - (size_t)used, "  Most under-represented: %s in %s (%.2f).",
                 groups[at % n_groups], programs[at / n_groups], lowest);
}

static void representation_table(page *pg, const double *ratios, size_t n_prog, size_t n_groups,
                                 const char *const *programs, const char *const *groups)
{
    const char *heads[64] = {"Program"};
    size_t shown = n_groups < 63 ? n_groups : 63;
    for (size_t g = 0; g < shown; g++)
        heads[g + 1] = groups[g];
    rp_table_begin(pg, "Representation ratio of each group in each program (1 = proportional)", heads, shown + 1);
    char cells[64][RP_CELL];
    for (size_t j = 0; j < n_prog; j++) {
        for (size_t g = 0; g < shown; g++)
            as_words_fixed(cells[g], RP_CELL, ratios[j * n_groups + g], 2);
        rp_table_row(pg, cells, shown, programs[j]);
    }
    rp_table_end(pg);
}

static void write_representation(page *pg, size_t n_groups)
{
    const as_results *r = pg->base;
    size_t n_prog = r->dims[AS_D_PATHWAY].len - 1;
    double *ratios = as_malloc((n_prog * n_groups + 1) * sizeof *ratios);
    const char **programs = short_names(pg, AS_D_PATHWAY, 0, n_prog);
    const char **groups = short_names(pg, AS_D_SUBGROUP, 1, n_groups);
    if (!ratios || !programs || !groups) {
        free(ratios);
        free(programs);
        free(groups);
        return;
    }
    double most = 0;
    for (size_t j = 0; j < n_prog; j++)
        for (size_t g = 0; g < n_groups; g++) {
            double v = as_metrics_representation(r, j, g + 1, AS_MEAN, AS_ALL_YEARS);
            ratios[j * n_groups + g] = v;
            if (isfinite(v))
                most = fmax(most, v);
        }
    as_svg_dots_spec spec = {.row_labels = programs, .n_rows = n_prog, .group_names = groups,
                             .n_groups = n_groups, .values = ratios,
                             .x_max = fmin(4, fmax(2, ceil(most * 2) / 2)), .reference_x = 1};
    as_svg_chart chart = {"chart-representation", "Representation of each group in each program",
                          "For each program, one dot per student group: its share of the program's students "
                          "divided by its share of all high-school students."};
    char caption[RP_TEXT];
    representation_caption(ratios, n_prog, n_groups, programs, groups, caption, sizeof caption);
    rp_figure_begin(pg);
    as_svg_dots(pg->f, &chart, &spec);
    rp_figure_end(pg, caption);
    representation_table(pg, ratios, n_prog, n_groups, programs, groups);
    free(ratios);
    free(programs);
    free(groups);
}

static void write_equity(page *pg)
{
    const as_results *r = pg->base;
    size_t n_groups = r->dims[AS_D_SUBGROUP].len;
    rp_heading(pg, 2, "equity", "Equity: who takes part and who finishes");
    if (n_groups <= 1) {
        rp_para(pg, "note", "This scenario defines no student groups (subgroups), so there are no gaps to show.");
        return;
    }
    rp_para(pg, "note", "Each measure over all years, for all students and for each group of students.");
    write_equity_rates(pg, n_groups);
    if (r->dims[AS_D_PATHWAY].len > 1)
        write_representation(pg, n_groups - 1);
}

/* ---- about the numbers ------------------------------------------------------------------------------------ */

static void write_method(page *pg)
{
    static const char *const terms[][2] = {
        {"Replications and intervals",
         "The simulation is run several times with different chance events (replications).  A number is the "
         "average over replications; a 95% interval is the mean plus or minus Student's t (replications - 1 "
         "degrees of freedom) times the standard error.  It measures simulation noise only, not parameter "
         "uncertainty: the data and the assumptions are held fixed, so the true uncertainty is wider."},
        {"Paired comparison",
         "A proposal and its base use the same random draws for the same student (common random numbers), so "
         "the difference is taken replication by replication and its interval is narrow."},
        {"Local pipeline supply",
         "People entering work with a credential of these programs, allocated to occupations through the "
         "NCES CIP-SOC crosswalk and the entry rules, times the share who work in their field."},
        {"Openings", "BLS annual openings (growth, people leaving the labor force and people changing "
                     "occupations), scaled to the region by the scenario's regional share."},
        {"No effect in this model",
         "A measure that is the same in every replication of both runs: the proposal does not reach it in this "
         "model (for example, a program the proposal leaves alone), as opposed to a change too small to tell "
         "apart from simulation noise."},
        {"Alignment index",
         "1 - (sum over occupations of |openings - supply|) / (sum of openings), over occupations with openings; "
         "supply is local pipeline plus other supply.  1 is a perfect match.  An occupation is under-supplied "
         "when supply / openings is below 0.9, over-supplied above 1.1, balanced between."},
        {"Equity rates",
         "Participation: share of high-school student-years spent in a pathway program.  Completion, industry "
         "credential, college credit: share of graduates.  Dual enrollment and work-based learning: per "
         "student-year.  Representation ratio: a group's share of a program's students over its share of all "
         "high-school students."},
        {"Cost", "Cost per seat-year: dollars of an item over the student-years (or placements, credentials, "
                 "apprentice-years) that incur it.  Cost per additional credential: extra cost over extra "
                 "credentials of a proposal, with a delta-method interval."},
        {"Earnings", "Yearly earnings of the year's new pipeline workers at the BLS median wage of their "
                     "occupation."},
    };
    rp_heading(pg, 2, "method", "About these numbers");
    fputs("<dl>\n", pg->f);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        rp_element(pg, "<dt>", terms[i][0], "</dt>");
        rp_element(pg, "<dd>", terms[i][1], "</dd>\n");
    }
    fputs("</dl>\n</main>\n</body>\n</html>\n", pg->f);
}

/* ---- assembling ------------------------------------------------------------------------------------------ */

/* Name and description from the scenario text (the file name when absent),
 * and the scenario itself, as JSON and as parameters with the model's
 * defaults (NULL when the text is missing or no longer parses). */
static int read_scenario(page *pg, size_t i)
{
    const as_report_run *run = &pg->runs[i];
    cJSON *json = pg->scenario[i] = run->scenario_json ? cJSON_Parse(run->scenario_json) : NULL;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(json, "description");
    if (cJSON_IsString(name) && name->valuestring[0]) {
        snprintf(pg->name[i], sizeof pg->name[i], "%s", name->valuestring);
    } else {
        const char *base = strrchr(run->path, '/');
        snprintf(pg->name[i], sizeof pg->name[i], "%s", base ? base + 1 : run->path);
        char *dot = strrchr(pg->name[i], '.');
        if (dot && !strcmp(dot, ".h5"))
            *dot = '\0';
    }
    if (cJSON_IsString(desc) && !(pg->description[i] = rp_scrub(desc->valuestring)))
        return AS_ENOMEM;
    as_params *params = as_calloc(1, sizeof *params);
    as_error *quiet = as_calloc(1, sizeof *quiet);
    if (!params || !quiet) {
        free(params);
        free(quiet);
        return AS_ENOMEM;
    }
    if (json && as_scenario_parse_text(run->scenario_json, run->path, params, quiet) == AS_OK)
        pg->params[i] = params;
    else
        free(params);
    free(quiet);
    return AS_OK;
}

static void free_page(page *pg)
{
    for (size_t i = 0; i < pg->n; i++) {
        free(pg->description[i]);
        cJSON_Delete(pg->scenario[i]);
        as_params_release(pg->params[i]);
        free(pg->params[i]);
        as_compare_free(&pg->cmp[i]);
    }
}

static int check_options(const as_results *r, const char *path, const as_report_options *opt, as_error *err)
{
    if (!opt || opt->n_occupations == 0)
        return AS_OK;
    if (opt->n_occupations > AS_REPORT_MAX_OCCUPATIONS || !opt->occupations)
        return as_error_set(err, AS_EINPUT, path, "the occupation view takes 1 to %d occupations",
                            AS_REPORT_MAX_OCCUPATIONS);
    for (size_t k = 0; k < opt->n_occupations; k++)
        if (opt->occupations[k] >= r->dims[AS_D_OCCUPATION].len)
            return as_error_set(err, AS_EINPUT, path, "occupation %zu is not in the results", opt->occupations[k]);
    if (opt->year < 0 || opt->year >= r->years)
        return as_error_set(err, AS_EINPUT, path, "year index %d is outside the run (0 to %d)", opt->year,
                            r->years - 1);
    return AS_OK;
}

static void write_page(page *pg)
{
    write_head(pg);
    write_intro(pg);
    rp_write_summary(pg);
    rp_write_assumptions(pg);
    rp_write_occupations(pg);
    write_glance(pg);
    if (pg->n > 1)
        rp_write_effects(pg);
    rp_write_supply(pg);
    write_pathways(pg);
    write_equity(pg);
    rp_write_sweep(pg);
    write_method(pg);
}

int as_report_write_with(const char *path, const as_report_run *runs, size_t n, const as_report_options *opt,
                         as_error *err)
{
    if (n == 0 || n > AS_REPORT_MAX_RUNS)
        return as_error_set(err, AS_EINPUT, path, "a report takes 1 to %d results files", AS_REPORT_MAX_RUNS);
    int rc = check_options(runs[0].results, path, opt, err);
    if (rc != AS_OK)
        return rc;
    page *pg = as_calloc(1, sizeof *pg);
    if (!pg)
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    pg->runs = runs;
    pg->n = n;
    pg->base = runs[0].results;
    pg->last = pg->base->years - 1;
    if (opt)
        pg->opt = *opt;
    for (size_t i = 0; i < n && rc == AS_OK; i++)
        if ((rc = read_scenario(pg, i)) != AS_OK)
            rc = as_error_set(err, AS_ENOMEM, path, "out of memory");
    for (size_t i = 0; i < n && rc == AS_OK; i++) /* cmp[0]: the base against itself, for its levels */
        rc = as_compare_build(pg->base, runs[i].results, &pg->cmp[i], err);
    as_outfile out;
    if (rc == AS_OK && (rc = as_outfile_open(&out, path, err)) == AS_OK) {
        pg->f = out.f;
        write_page(pg);
        rc = as_outfile_commit(&out, err);
    }
    free_page(pg);
    free(pg);
    return rc;
}

int as_report_write(const char *path, const as_report_run *runs, size_t n, as_error *err)
{
    return as_report_write_with(path, runs, n, NULL, err);
}
