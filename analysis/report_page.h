/*
 * report_page.h - what the parts of the HTML report share (internal to
 * analysis/report*.c; the report's contract is analysis/report.h).
 *
 * The report is one page written top to bottom by section writers, each in
 * the file of its concern:
 *   report.c          assembling the page; intro, at a glance, pathways, equity, method
 *   report_html.c     small HTML pieces, names for ids, document titles for seed numbers
 *   report_summary.c  the executive summary and the table of assumptions
 *   report_effects.c  what each proposal changes (words, chart on one relative scale, table)
 *   report_supply.c   supply and openings by occupation, sorted by gap; the occupation view
 *   report_sweep.c    the sensitivity section of a sweep
 * A section writes to pg->f and never fails on its own: the caller checks
 * the stream once, when the file is committed (analysis/outfile.h).
 *
 * Not thread-safe for one page; distinct pages are independent.
 */
#ifndef AS_REPORT_PAGE_H
#define AS_REPORT_PAGE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "compare.h"
#include "params.h"
#include "report.h"

#define RP_TEXT 2048    /* a sentence or a caption */
#define RP_CELL 256     /* one table cell */
#define RP_NAME 160     /* a name for an id */

typedef struct page {
    FILE *f;
    const as_report_run *runs;
    size_t n;
    const as_results *base;
    int last;                                /* index of the final year */
    as_report_options opt;
    char name[AS_REPORT_MAX_RUNS][128];
    char *description[AS_REPORT_MAX_RUNS];   /* owned, seed numbers replaced by titles; may be NULL */
    cJSON *scenario[AS_REPORT_MAX_RUNS];     /* the run's scenario text, parsed; NULL without one */
    as_params *params[AS_REPORT_MAX_RUNS];   /* the same with the model's defaults; NULL when it does not parse */
    as_comparison cmp[AS_REPORT_MAX_RUNS];   /* cmp[i]: run i against run 0; cmp[0]: run 0 against itself */
} page;

/* ---- HTML pieces (text is escaped; markup is not) ---------------------------------------------------- */

void rp_html(page *pg, const char *text);
/* open, then text escaped, then close. */
void rp_element(page *pg, const char *open, const char *text, const char *close);
void rp_para(page *pg, const char *cls, const char *text);
/* id (NULL: none) is the target of a link to the heading. */
void rp_heading(page *pg, int level, const char *id, const char *text);
void rp_table_begin(page *pg, const char *caption, const char *const *heads, size_t n);
/* The same with a class on the <table> (cls: [a-z-]+, NULL: none). */
void rp_table_begin_class(page *pg, const char *cls, const char *caption, const char *const *heads, size_t n);
/* The first cell heads the row, the others are numbers; a row head that
 * starts with two spaces is a part of the row above (indented). */
void rp_table_row(page *pg, char cells[][RP_CELL], size_t n, const char *row_head);
/* The same for cells of words (left-aligned, wrapped). */
void rp_table_words_row(page *pg, char cells[][RP_CELL], size_t n, const char *row_head);
/* A table with one column per scenario after the row heads. */
void rp_table_by_scenario(page *pg, const char *caption, const char *row_heads);
/* A row heading the rows below it, across `columns` columns. */
void rp_table_group(page *pg, const char *text, size_t columns);
void rp_table_end(page *pg);
void rp_figure_begin(page *pg);
void rp_figure_end(page *pg, const char *caption);

/* An index and the key it is ranked by; rp_by_key_descending is a qsort comparator. */
typedef struct rp_ranked { size_t index; double key; } rp_ranked;
int rp_by_key_descending(const void *a, const void *b);

/* ---- words ------------------------------------------------------------------------------------------- */

/* "95% interval over N replications: simulation noise only, not parameter
 * uncertainty", the label of every interval in the report. */
const char *rp_noise(const page *pg, char *buf, size_t size);

/* The name of category `id` of dimension d (enum as_dim_id) from the runs'
 * scenarios (their "name" keys), words for fixed ids (cost items, "none",
 * "all", common subgroups), or the id with spaces for underscores. */
const char *rp_name(const page *pg, int d, const char *id, char *buf, size_t size);
/* The same, cut before a parenthesis ("Information technology (CompTIA A+)"
 * -> "Information technology") unless that makes two categories alike. */
const char *rp_short_name(const page *pg, int d, const char *id, char *buf, size_t size);
/* A credential field (as_metrics_credential_field): a career cluster's name,
 * or for a CIP or SOC series the names of its credentials. */
const char *rp_field_name(const page *pg, const char *field, char *buf, size_t size);
/* A credential level (enum as_level) as a plural noun: "associate degrees". */
const char *rp_level_name(int level);

/* text with each "seed NNN" (a project source document) replaced by the
 * document's title, newly allocated (NULL when out of memory or text is NULL). */
char *rp_scrub(const char *text);
/* The title of source document `number` ("the M-DCPS Superintendent's essay
 * ..."), or "a source document" for a number it does not know. */
const char *rp_document_title(int number);

/* ---- numbers of effects ------------------------------------------------------------------------------ */

enum rp_style { RP_COUNT, RP_POINTS, RP_INDEX, RP_MONEY, RP_MONEY_SHORT /* "$40.1M", for a chart */ };

/* |x| in the style; rp_signed with its sign. */
const char *rp_amount(char *buf, size_t size, double x, int style);
const char *rp_signed(char *buf, size_t size, double x, int style);
/* A level (not a change); RP_POINTS levels are percentages. */
const char *rp_level(char *buf, size_t size, double x, int style);
/* "+1.2% to +3.4%" of the difference. */
const char *rp_interval(char *buf, size_t size, const as_compare_row *row, int style);
/* 100 * diff / base, "+3.0%" (NaN, "n/a", when the base is 0). */
double rp_relative(const as_compare_row *row);
const char *rp_relative_text(char *buf, size_t size, double percent);
/* "each additional credential would cost about $X (95% interval ...)." for
 * run i against the base; 0 (nothing written) unless credentials change
 * distinguishably and cost more. */
int rp_cost_per_credential(const page *pg, size_t i, char *text, size_t size);
/* The row's difference is exactly 0 in every replication: no effect in this model. */
int rp_structural_zero(const as_compare_row *row);

/* ---- sections -------------------------------------------------------------------------------------------- */

void rp_write_summary(page *pg);
void rp_write_assumptions(page *pg);
void rp_write_effects(page *pg);
void rp_write_supply(page *pg);
void rp_write_occupations(page *pg);
void rp_write_sweep(page *pg);

#endif
