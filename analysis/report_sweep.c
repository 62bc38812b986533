/*
 * report_sweep.c - the report's sensitivity section (alignsim report
 * --sweep SWEEP.h5): for every output of a sweep, which parameters drive it
 * (Sobol S1 and ST, or Morris mu*), as a dot chart on one axis and a ranked
 * table, with the share of the output's variance that is simulation noise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_page.h"
#include "alloc.h"
#include "svg.h"
#include "sweep_analysis.h"

static void sweep_intro(page *pg, const as_sweep_data *d)
{
    char text[RP_TEXT];
    snprintf(text, sizeof text,
             "The sweep \"%s\" (%s) ran the scenario at %zu points of a %s design over %zu parameters, %d "
             "replications each, with the same random numbers at every point, so that differences between points "
             "come from the parameters. For each output: S1 is the share of its variance across the points that a "
             "parameter causes alone, ST the share with all its interactions (a parameter with ST near 0 does not "
             "matter over the ranges swept). Ranges are the sweep file's; where its sources call them illustrative, "
             "so are these shares. In brackets: 95%% bootstrap intervals of the estimates.",
             d->sweep_name, d->sweep_path, d->n_points, d->design, d->n_params, d->replications);
    rp_para(pg, NULL, text);
}

static void sobol_output(page *pg, const as_sweep_data *d, const as_sens *s, size_t o)
{
    size_t k = s->k;
    const char **labels = as_malloc(k * sizeof *labels);
    double *values = as_malloc(2 * k * sizeof *values), most = 0;
    if (!labels || !values) {
        free(labels);
        free(values);
        return;
    }
    for (size_t r = 0; r < k; r++) {
        size_t i = s->rank[r];
        labels[r] = d->param_names[i];
        values[2 * r] = s->sobol[i].S1;
        values[2 * r + 1] = s->sobol[i].ST;
        most = fmax(most, fmax(s->sobol[i].ST, s->sobol[i].S1));
    }
    static const char *const groups[] = {"S1 (alone)", "ST (with interactions)"};
    as_svg_dots_spec spec = {.row_labels = labels, .n_rows = k, .group_names = groups, .n_groups = 2,
                             .values = values, .x_max = fmax(1, ceil(most * 10) / 10), .percent = 0,
                             .first_is_reference = 0, .reference_x = NAN};
    char id[64], title[RP_TEXT], caption[RP_TEXT], noise[64];
    snprintf(id, sizeof id, "chart-sensitivity-%zu", o + 1);
    snprintf(title, sizeof title, "What drives %s", s->output);
    as_svg_chart chart = {id, title, "For each parameter, ranked by ST, a dot for S1 and one for ST on one axis from 0."};
    snprintf(noise, sizeof noise, "%.1f%%", 100 * s->noise_share);
    snprintf(caption, sizeof caption,
             "%s: Sobol indices from %zu base samples. The largest, %s, has ST %.2f. Simulation noise is %s of the "
             "variance across points%s.",
             s->output, s->n, d->param_names[s->rank[0]], s->sobol[s->rank[0]].ST,
             isnan(s->noise_share) ? "not known (one replication)" : noise,
             s->noise_share > 0.1 ? ": LARGE, add replications" : "");
    rp_figure_begin(pg);
    as_svg_dots(pg->f, &chart, &spec);
    rp_figure_end(pg, caption);
    static const char *const heads[] = {"Parameter", "S1", "S1, 95% bootstrap", "ST", "ST, 95% bootstrap"};
    char table_caption[RP_TEXT];
    snprintf(table_caption, sizeof table_caption, "%s: Sobol indices, parameters ranked by ST", s->output);
    rp_table_begin(pg, table_caption, heads, 5);
    for (size_t r = 0; r < k; r++) {
        const as_sobol_index *x = &s->sobol[s->rank[r]];
        char cells[4][RP_CELL];
        snprintf(cells[0], RP_CELL, "%.3f", x->S1);
        snprintf(cells[1], RP_CELL, "%.3f to %.3f", x->S1_lo, x->S1_hi);
        snprintf(cells[2], RP_CELL, "%.3f", x->ST);
        snprintf(cells[3], RP_CELL, "%.3f to %.3f", x->ST_lo, x->ST_hi);
        rp_table_row(pg, cells, 4, d->param_names[s->rank[r]]);
    }
    rp_table_end(pg);
    free(labels);
    free(values);
}

static void morris_output(page *pg, const as_sweep_data *d, const as_sens *s)
{
    static const char *const heads[] = {"Parameter", "mu* (importance)", "mu (mean effect)", "sigma (interaction)"};
    char caption[RP_TEXT];
    snprintf(caption, sizeof caption,
             "%s: Morris elementary effects from %zu trajectories, per unit of each parameter's whole range, "
             "ranked by mu*", s->output, s->n);
    rp_table_begin(pg, caption, heads, 4);
    for (size_t r = 0; r < s->k; r++) {
        const as_morris_index *x = &s->morris[s->rank[r]];
        char cells[3][RP_CELL];
        snprintf(cells[0], RP_CELL, "%.4g", x->mu_star);
        snprintf(cells[1], RP_CELL, "%.4g", x->mu);
        snprintf(cells[2], RP_CELL, "%.4g", x->sigma);
        rp_table_row(pg, cells, 3, d->param_names[s->rank[r]]);
    }
    rp_table_end(pg);
}

void rp_write_sweep(page *pg)
{
    const as_sweep_data *d = pg->opt.sweep;
    if (!d)
        return;
    rp_heading(pg, 2, "sensitivity", "What drives the results: a sensitivity sweep");
    sweep_intro(pg, d);
    for (size_t o = 0; o < d->n_outputs; o++) {
        as_sens s;
        as_error err;
        as_error_clear(&err);
        rp_heading(pg, 3, NULL, d->output_names[o]);
        if (as_sens_compute(d, o, -1, 1000, 1, d->sweep_path, &s, &err) != AS_OK) {
            rp_para(pg, "note", err.text);
            continue;
        }
        if (s.method == AS_SENS_SOBOL)
            sobol_output(pg, d, &s, o);
        else
            morris_output(pg, d, &s);
        as_sens_free(&s);
    }
}
