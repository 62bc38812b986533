/*
 * report_html.c - the report's small pieces: HTML elements, names for the
 * ids of results and scenarios, titles for the project's source documents,
 * and numbers of effects in words (analysis/report_page.h).
 */
#include "report_page.h"
#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics.h"
#include "outfile.h"
#include "words.h"

/* ---- HTML pieces ----------------------------------------------------------------------------------------- */

void rp_html(page *pg, const char *text)
{
    as_outfile_html(pg->f, text);
}

void rp_element(page *pg, const char *open, const char *text, const char *close)
{
    fputs(open, pg->f);
    rp_html(pg, text);
    fputs(close, pg->f);
}

void rp_para(page *pg, const char *cls, const char *text)
{
    fprintf(pg->f, "<p class=\"%s\">", cls);
    rp_element(pg, "", text, "</p>\n");
}

void rp_heading(page *pg, int level, const char *id, const char *text)
{
    if (id)
        fprintf(pg->f, "<h%d id=\"%s\">", level, id);
    else
        fprintf(pg->f, "<h%d>", level);
    rp_html(pg, text);
    fprintf(pg->f, "</h%d>\n", level);
}

void rp_table_begin(page *pg, const char *caption, const char *const *heads, size_t n)
{
    rp_table_begin_class(pg, NULL, caption, heads, n);
}

void rp_table_begin_class(page *pg, const char *cls, const char *caption, const char *const *heads, size_t n)
{
    if (cls)
        fprintf(pg->f, "<div class=\"table\"><table class=\"%s\">\n<caption>", cls);
    else
        fputs("<div class=\"table\"><table>\n<caption>", pg->f);
    rp_element(pg, "", caption, "</caption>\n<thead><tr>");
    for (size_t i = 0; i < n; i++)
        rp_element(pg, "<th scope=\"col\">", heads[i], "</th>");
    fputs("</tr></thead>\n<tbody>\n", pg->f);
}

/* A row whose cells open with td (markup). */
static void row(page *pg, char cells[][RP_CELL], size_t n, const char *row_head, const char *td)
{
    if (!strncmp(row_head, "  ", 2))
        rp_element(pg, "<tr><th scope=\"row\" class=\"part\">", row_head + 2, "</th>");
    else
        rp_element(pg, "<tr><th scope=\"row\">", row_head, "</th>");
    for (size_t i = 0; i < n; i++)
        rp_element(pg, td, cells[i], "</td>");
    fputs("</tr>\n", pg->f);
}

void rp_table_row(page *pg, char cells[][RP_CELL], size_t n, const char *row_head)
{
    row(pg, cells, n, row_head, "<td>");
}

void rp_table_words_row(page *pg, char cells[][RP_CELL], size_t n, const char *row_head)
{
    row(pg, cells, n, row_head, "<td class=\"words\">");
}

void rp_table_by_scenario(page *pg, const char *caption, const char *row_heads)
{
    const char *heads[AS_REPORT_MAX_RUNS + 1] = {row_heads};
    for (size_t i = 0; i < pg->n; i++)
        heads[i + 1] = pg->name[i];
    rp_table_begin(pg, caption, heads, pg->n + 1);
}

void rp_table_group(page *pg, const char *text, size_t columns)
{
    fprintf(pg->f, "<tr><th class=\"group\" scope=\"rowgroup\" colspan=\"%zu\">", columns);
    rp_element(pg, "", text, "</th></tr>\n");
}

void rp_table_end(page *pg)
{
    fputs("</tbody></table></div>\n", pg->f);
}

void rp_figure_begin(page *pg)
{
    fputs("<figure>\n", pg->f);
}

void rp_figure_end(page *pg, const char *caption)
{
    rp_element(pg, "<figcaption>", caption, "</figcaption>\n</figure>\n");
}

int rp_by_key_descending(const void *a, const void *b)
{
    double x = ((const rp_ranked *)a)->key, y = ((const rp_ranked *)b)->key;
    return (x < y) - (x > y);
}

/* ---- names ----------------------------------------------------------------------------------------------- */

const char *rp_noise(const page *pg, char *buf, size_t size)
{
    snprintf(buf, size, "95%% interval over %d replications: simulation noise only, not parameter uncertainty",
             pg->base->replications);
    return buf;
}

/* Ids whose words do not come from a scenario. */
static const struct { int d; const char *id, *words; } fixed_names[] = {
    {AS_D_PATHWAY, "none", "no program"},
    {AS_D_CREDENTIAL, "iet", "Integrated Education and Training (adults)"},
    {AS_D_SUBGROUP, "all", "all students"},
    {AS_D_COST_ITEM, "pathways", "pathway programs"},
    {AS_D_COST_ITEM, "dual_enrollment", "dual enrollment"},
    {AS_D_COST_ITEM, "wbl", "work-based learning"},
    {AS_D_COST_ITEM, "exams", "credential exams"},
    {AS_D_COST_ITEM, "postsecondary", "postsecondary programs"},
    {AS_D_COST_ITEM, "apprenticeships", "registered apprenticeships"},
    {AS_D_COST_ITEM, "iet", "Integrated Education and Training"},
};

/* Subgroups have no "name" key in a scenario: words for the common ones. */
static const struct { const char *id, *words; } subgroup_words[] = {
    {"econ_disadv", "economically disadvantaged students"},
    {"english_learner", "English learners"},
    {"disability", "students with disabilities"},
    {"female", "female students"},
    {"male", "male students"},
};

/* The scenario collections whose items are the categories of a dimension. */
static const char *const *collections(int d)
{
    static const char *const programs[] = {"programs", NULL}, *const credentials[] = {
        "credentials", "postsecondary", "apprenticeships", NULL};
    static const char *const trades[] = {"apprenticeships", NULL}, *const wbl[] = {"wbl", NULL},
                             *const dual[] = {"dual_enrollment", NULL}, *const postsec[] = {"postsecondary", NULL};
    switch (d) {
    case AS_D_PATHWAY: return programs;
    case AS_D_CREDENTIAL: return credentials;
    case AS_D_TRADE: return trades;
    case AS_D_WBL: return wbl;
    case AS_D_DUAL: return dual;
    case AS_D_POSTSEC: return postsec;
    default: return NULL;
    }
}

/* The "name" of item id in one of the collections of any run's scenario, or NULL. */
static const char *scenario_name(const page *pg, const char *const *keys, const char *id)
{
    for (size_t i = 0; keys && i < pg->n; i++)
        for (const char *const *k = keys; *k; k++) {
            const cJSON *item = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(pg->scenario[i], *k), id);
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
            if (cJSON_IsString(name) && name->valuestring[0])
                return name->valuestring;
        }
    return NULL;
}

const char *rp_name(const page *pg, int d, const char *id, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof fixed_names / sizeof fixed_names[0]; i++)
        if (fixed_names[i].d == d && !strcmp(fixed_names[i].id, id)) {
            snprintf(buf, size, "%s", fixed_names[i].words);
            return buf;
        }
    const char *name = scenario_name(pg, collections(d), id);
    for (size_t i = 0; !name && d == AS_D_SUBGROUP && i < sizeof subgroup_words / sizeof subgroup_words[0]; i++)
        if (!strcmp(subgroup_words[i].id, id))
            name = subgroup_words[i].words;
    snprintf(buf, size, "%s", name ? name : id);
    if (!name)
        for (char *s = buf; *s; s++)
            if (*s == '_')
                *s = ' ';
    return buf;
}

/* name cut before " (", when something is left. */
static void cut_parenthesis(char *name)
{
    char *open = strstr(name, " (");
    if (open && open > name)
        *open = '\0';
}

const char *rp_short_name(const page *pg, int d, const char *id, char *buf, size_t size)
{
    rp_name(pg, d, id, buf, size);
    cut_parenthesis(buf);
    const as_dim *dim = &pg->base->dims[d];
    for (size_t k = 0; k < dim->len; k++) {
        char other[RP_NAME];
        if (!strcmp(dim->labels[k], id))
            continue;
        rp_name(pg, d, dim->labels[k], other, sizeof other);
        cut_parenthesis(other);
        if (!strcmp(other, buf))
            return rp_name(pg, d, id, buf, size); /* two alike: the whole name tells them apart */
    }
    return buf;
}

const char *rp_field_name(const page *pg, const char *field, char *buf, size_t size)
{
    const cJSON *cluster = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(pg->scenario[0], "clusters"), field);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cluster, "name");
    if (cJSON_IsString(name) && name->valuestring[0]) {
        snprintf(buf, size, "%s", name->valuestring);
        return buf;
    }
    if (strncmp(field, "CIP ", 4) != 0 && strncmp(field, "SOC ", 4) != 0) {
        snprintf(buf, size, "%s", field);
        return buf;
    }
    /* a series outside the career clusters: the credentials in it say what it is */
    const as_results *r = pg->base;
    size_t used = (size_t)snprintf(buf, size, "Other: ");
    int listed = 0;
    for (size_t k = 0; k < r->dims[AS_D_CREDENTIAL].len && used < size; k++) {
        char f[64], credential[RP_NAME];
        if (strcmp(as_metrics_credential_field(r, k, f, sizeof f), field) != 0)
            continue;
        rp_short_name(pg, AS_D_CREDENTIAL, r->dims[AS_D_CREDENTIAL].labels[k], credential, sizeof credential);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", listed++ ? "; " : "", credential);
    }
    if (!listed)
        snprintf(buf, size, "%s", field);
    return buf;
}

const char *rp_level_name(int level)
{
    static const char *const words[AS_LEVEL_COUNT] = {
        "industry certifications", "certificates", "associate degrees", "bachelor's degrees",
        "apprenticeship completions"};
    return level >= 0 && level < AS_LEVEL_COUNT ? words[level] : "credentials";
}

/* ---- source documents ------------------------------------------------------------------------------------ */

/* The project's source documents (shared/seeds), by number. */
static const char *const document_titles[] = {
    "the M-DCPS Superintendent's essay \"From Classroom to Career\"",
    "the article on the federal \"Raise the Bar: Unlocking Career Success\" initiative",
    "the Boston Public Schools Career Pathways Working Group paper (spring 2019)",
    "the article on CTE in dual enrollment",
    "the Massachusetts DESE page \"Pathways Strategies\"",
};

const char *rp_document_title(int number)
{
    if (number >= 0 && (size_t)number < sizeof document_titles / sizeof document_titles[0])
        return document_titles[number];
    return "a source document";
}

/* Length of "seed NNN" at s (any case), or 0; the number into *number. */
static size_t seed_reference(const char *s, int *number)
{
    if (strncasecmp(s, "seed ", 5) != 0 || !isdigit((unsigned char)s[5]))
        return 0;
    char *end;
    *number = (int)strtol(s + 5, &end, 10);
    return (size_t)(end - s);
}

char *rp_scrub(const char *text)
{
    if (!text)
        return NULL;
    size_t references = 0; /* an upper bound: every "seed" may become a title */
    for (const char *s = text; *s; s++)
        references += !strncasecmp(s, "seed", 4);
    size_t most = strlen(text) + references * 128 + 1, at = 0;
    char *out = as_malloc(most);
    if (!out)
        return NULL;
    for (const char *s = text; *s;) {
        int number;
        size_t len = (s == text || !isalnum((unsigned char)s[-1])) ? seed_reference(s, &number) : 0;
        if (len == 0 && !strncmp(s, "the seeds", 9)) { /* the documents, not random seeds */
            at += (size_t)snprintf(out + at, most - at, "the source documents");
            s += 9;
            continue;
        }
        if (len == 0) {
            out[at++] = *s++;
            continue;
        }
        size_t start = at;
        at += (size_t)snprintf(out + at, most - at, "%s", rp_document_title(number));
        if (s[0] == 'S' && s[1] == 'e') /* "Seed 003 ...": a sentence begins */
            out[start] = (char)toupper((unsigned char)out[start]);
        s += len;
        if (s[0] == ' ' && s[1] == '(') { /* "seed 000 (M-DCPS)": the title names it already */
            const char *close = strchr(s, ')');
            if (close)
                s = close + 1;
        }
    }
    out[at] = '\0';
    return out;
}

/* ---- numbers of effects ---------------------------------------------------------------------------------- */

const char *rp_amount(char *buf, size_t size, double x, int style)
{
    switch (style) {
    case RP_POINTS: as_words_fixed(buf, size, fabs(x), fabs(x) >= 0.1 || x == 0 ? 1 : 3); break;
    case RP_INDEX: as_words_fixed(buf, size, fabs(x), 4); break;
    case RP_MONEY: as_words_money(buf, size, fabs(x)); break;
    case RP_MONEY_SHORT:
        if (fabs(x) >= 1e6)
            snprintf(buf, size, "$%.1fM", fabs(x) / 1e6);
        else
            as_words_money(buf, size, fabs(x));
        break;
    default: as_words_about(buf, size, fabs(x)); break;
    }
    return buf;
}

const char *rp_signed(char *buf, size_t size, double x, int style)
{
    char a[56];
    rp_amount(a, sizeof a, x, style);
    snprintf(buf, size, "%s%s", x > 0 ? "+" : x < 0 ? "-" : "", a);
    return buf;
}

const char *rp_level(char *buf, size_t size, double x, int style)
{
    switch (style) {
    case RP_POINTS: as_words_percent(buf, size, x / 100); break;
    case RP_INDEX: as_words_fixed(buf, size, x, 4); break;
    case RP_MONEY: as_words_money(buf, size, x); break;
    default: as_words_count(buf, size, x); break;
    }
    return buf;
}

const char *rp_interval(char *buf, size_t size, const as_compare_row *row, int style)
{
    char lo[64], hi[64];
    snprintf(buf, size, "%s to %s", rp_signed(lo, sizeof lo, row->diff.lo, style),
             rp_signed(hi, sizeof hi, row->diff.hi, style));
    return buf;
}

double rp_relative(const as_compare_row *row)
{
    return row->base.mean != 0 && isfinite(row->base.mean) ? 100 * row->diff.mean / fabs(row->base.mean) : NAN;
}

const char *rp_relative_text(char *buf, size_t size, double percent)
{
    if (!isfinite(percent))
        snprintf(buf, size, "n/a");
    else if (percent == 0)
        snprintf(buf, size, "0%%");
    else if (fabs(percent) < 0.1)
        snprintf(buf, size, "%+.2f%%", percent);
    else
        snprintf(buf, size, "%+.1f%%", percent);
    return buf;
}

int rp_cost_per_credential(const page *pg, size_t i, char *text, size_t size)
{
    const as_compare_row *per = as_compare_find(&pg->cmp[i], "cost_per_additional_credential", "all", 0);
    const as_compare_row *credentials = as_compare_find(&pg->cmp[i], "credentials", "all", 0);
    if (!per || !credentials || !credentials->distinguishable || !isfinite(per->diff.mean) || !(per->diff.mean > 0))
        return 0;
    char m[64], lo[64], hi[64];
    snprintf(text, size, "each additional credential would cost about %s (95%% interval %s to %s).",
             as_words_money(m, sizeof m, per->diff.mean), as_words_money(lo, sizeof lo, per->diff.lo),
             as_words_money(hi, sizeof hi, per->diff.hi));
    return 1;
}

int rp_structural_zero(const as_compare_row *row)
{
    return row->diff.mean == 0 && row->diff.sd == 0 && row->diff.lo == 0 && row->diff.hi == 0;
}
