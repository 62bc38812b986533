#include "svg.h"

#include <math.h>
#include <string.h>

#include "outfile.h"

#define WIDTH 760
#define FONT "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif\""

/* Okabe-Ito, with black and a dark ochre in place of the low-contrast yellow. */
static const char *const palette[8] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                       "#CC79A7", "#56B4E9", "#000000", "#8C6D1F"};

static const char *color(size_t i) { return palette[i % 8]; }

static const char *dash(size_t i)
{
    static const char *const dashes[3] = {"", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 3\""};
    return dashes[(i / 8) % 3];
}

double as_svg_nice_step(double span, int ticks)
{
    if (!(span > 0) || !isfinite(span) || ticks < 1) /* an infinite span would step by infinity, forever */
        return 1;
    double raw = span / ticks, mag = pow(10, floor(log10(raw))), r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

static void open_svg(FILE *f, const as_svg_chart *c, double height)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%s\" viewBox=\"0 0 %d %.0f\" "
               "role=\"img\" aria-labelledby=\"%s-t %s-d\" " FONT " font-size=\"12\">\n<title id=\"%s-t\">",
            c->id, WIDTH, height, c->id, c->id, c->id);
    as_outfile_html(f, c->title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", c->id);
    as_outfile_html(f, c->desc);
    fputs("</desc>\n", f);
}

static void close_svg(FILE *f)
{
    fputs("</svg>\n", f);
}

/* Text at (x, y); anchor "start", "middle" or "end"; cut to `most` characters. */
static void text(FILE *f, double x, double y, const char *anchor, const char *style, const char *s, size_t most)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor, style ? " " : "",
            style ? style : "");
    if (strlen(s) <= most) {
        as_outfile_html(f, s);
    } else {
        char cut[256];
        size_t n = most < sizeof cut - 4 ? most - 1 : sizeof cut - 5;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* never split a UTF-8 character */
        memcpy(cut, s, n);
        memcpy(cut + n, "\xE2\x80\xA6", 4); /* ellipsis */
        as_outfile_html(f, cut);
    }
    fputs("</text>\n", f);
}

/* An axis number: thousands separated, millions shortened, or a percentage. */
static const char *axis_number(char *buf, size_t size, double v, int percent)
{
    if (percent)
        snprintf(buf, size, "%.0f%%", v * 100);
    else if (fabs(v) >= 1e6)
        snprintf(buf, size, "%.3gM", v / 1e6);
    else if (fabs(v) >= 1e4)
        snprintf(buf, size, "%.0fk", v / 1e3);
    else if (v == floor(v))
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.2g", v);
    return buf;
}

/* Vertical grid lines and numbers from 0 to x_max along [x0, x1], below y_bottom. */
static void x_axis(FILE *f, double x0, double x1, double y_top, double y_bottom, double x_max, int percent)
{
    if (!(x_max > 0) || !isfinite(x_max)) /* NaN or infinite values (a damaged file) get a plain 0..1 axis */
        x_max = 1;
    double step = as_svg_nice_step(x_max, 5);
    for (double v = 0; v <= x_max * (1 + 1e-9); v += step) {
        double x = x0 + (x1 - x0) * v / x_max;
        char label[32];
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x, y_top, x, y_bottom);
        text(f, x, y_bottom + 14, "middle", "fill=\"#555\"", axis_number(label, sizeof label, v, percent), 12);
    }
}

/* The largest value an axis must show: 1 for none, NaN or infinity (a damaged file's), so every axis
 * loop ends. */
static double axis_span(double most)
{
    return most > 0 && isfinite(most) ? most : 1;
}

static double round_up(double v, double step)
{
    return step * ceil(v / step - 1e-9);
}

/* ---- supply against openings ------------------------------------------------------------------------------ */

void as_svg_supply_bars(FILE *f, const as_svg_chart *c, const as_svg_supply_row *rows, size_t n,
                        const char *const part_names[2], const char *target_name)
{
    const double top = 40, row_h = 28, x0 = 255, x1 = 520;
    double most = 0;
    for (size_t i = 0; i < n; i++) {
        double supply = rows[i].parts[0] + rows[i].parts[1];
        most = fmax(most, fmax(supply, rows[i].target));
    }
    double x_max = round_up(axis_span(most), as_svg_nice_step(axis_span(most), 5));
    double bottom = top + row_h * (double)n;
    open_svg(f, c, bottom + 30);
    const char *fills[3] = {"#d9d9d9", palette[0], palette[5]};
    const char *names[3] = {target_name, part_names[0], part_names[1]};
    for (int k = 0; k < 3; k++) {
        double x = x0 + 170.0 * k;
        fprintf(f, "<rect x=\"%.1f\" y=\"8\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", x, fills[k]);
        text(f, x + 20, 20, "start", NULL, names[k], 26);
    }
    x_axis(f, x0, x1, top - 4, bottom, x_max, 0);
    for (size_t i = 0; i < n; i++) {
        double y = top + row_h * (double)i, scale = (x1 - x0) / x_max;
        const as_svg_supply_row *r = &rows[i];
        text(f, x0 - 6, y + 17, "end", NULL, r->label, 36);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"20\" fill=\"%s\"/>\n", x0, y + 3,
                r->target * scale, fills[0]);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"10\" fill=\"%s\"/>\n", x0, y + 8,
                r->parts[0] * scale, fills[1]);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"10\" fill=\"%s\"/>\n",
                x0 + r->parts[0] * scale, y + 8, r->parts[1] * scale, fills[2]);
        char value[96];
        snprintf(value, sizeof value, "%.0f + %.0f of %.0f", r->parts[0], r->parts[1], r->target);
        text(f, x1 + 8, y + 17, "start", "fill=\"#333\"", value, 40);
    }
    close_svg(f);
}

/* ---- lines over years ------------------------------------------------------------------------------------- */

void as_svg_lines(FILE *f, const as_svg_chart *c, const int *x, size_t n_x, const as_svg_series *series,
                  size_t n_series, const char *y_label)
{
    const double x0 = 64, x1 = 540, y0 = 30, y1 = 290, legend_x = 560;
    double most = 0;
    for (size_t s = 0; s < n_series; s++)
        for (size_t i = 0; i < n_x; i++)
            if (isfinite(series[s].y[i]))
                most = fmax(most, series[s].y[i]);
    double step = as_svg_nice_step(axis_span(most), 5), y_max = round_up(axis_span(most), step);
    double height = fmax(y1 + 40, y0 + 20.0 * (double)n_series + 10);
    open_svg(f, c, height);
    char label[32];
    for (double v = 0; v <= y_max * (1 + 1e-9); v += step) {
        double y = y1 - (y1 - y0) * v / y_max;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x0, y, x1, y);
        text(f, x0 - 6, y + 4, "end", "fill=\"#555\"", axis_number(label, sizeof label, v, 0), 12);
    }
    text(f, x0, y0 - 14, "start", "fill=\"#555\"", y_label, 60);
    double dx = n_x > 1 ? (x1 - x0) / (double)(n_x - 1) : 0;
    size_t every = n_x > 12 ? (n_x + 11) / 12 : 1;
    for (size_t i = 0; i < n_x; i += every) {
        snprintf(label, sizeof label, "%d", x[i]);
        text(f, x0 + dx * (double)i, y1 + 16, "middle", "fill=\"#555\"", label, 8);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", x0, y1, x1, y1);
    for (size_t s = 0; s < n_series; s++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", color(s), dash(s));
        for (size_t i = 0; i < n_x; i++)
            if (isfinite(series[s].y[i]))
                fprintf(f, "%.1f,%.1f ", x0 + dx * (double)i, y1 - (y1 - y0) * series[s].y[i] / y_max);
        fputs("\"/>\n", f);
        double ly = y0 + 20.0 * (double)s;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s/>\n",
                legend_x, ly, legend_x + 22, ly, color(s), dash(s));
        text(f, legend_x + 28, ly + 4, "start", NULL, series[s].name, 25);
    }
    close_svg(f);
}

/* ---- dot plot --------------------------------------------------------------------------------------------- */

/* Lays out the legend in rows that fit the width and returns the y below it;
 * draws it when f is not NULL (NULL: only measure). */
static double dots_legend(FILE *f, const as_svg_dots_spec *d)
{
    double x = 10, y = 16;
    for (size_t g = 0; g < d->n_groups; g++) {
        size_t width = 36 + 7 * strlen(d->group_names[g]);
        if (x + (double)width > WIDTH) {
            x = 10;
            y += 18;
        }
        if (f) {
            if (g == 0 && d->first_is_reference)
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"14\" fill=\"#000\"/>\n", x + 4, y - 11);
            else
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", x + 6, y - 4,
                        color(g - (d->first_is_reference ? 1 : 0)));
            text(f, x + 16, y, "start", NULL, d->group_names[g], 40);
        }
        x += (double)width;
    }
    return y + 16;
}

void as_svg_dots(FILE *f, const as_svg_chart *c, const as_svg_dots_spec *d)
{
    const double row_h = 26, x0 = 290, x1 = 740;
    double top = dots_legend(NULL, d) + 6;
    double bottom = top + row_h * (double)d->n_rows, x_max = d->x_max > 0 ? d->x_max : 1;
    open_svg(f, c, bottom + 30);
    dots_legend(f, d);
    x_axis(f, x0, x1, top - 4, bottom, x_max, d->percent);
    if (isfinite(d->reference_x))
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>\n",
                x0 + (x1 - x0) * d->reference_x / x_max, top - 4, x0 + (x1 - x0) * d->reference_x / x_max, bottom);
    for (size_t r = 0; r < d->n_rows; r++) {
        double y = top + row_h * (double)r + row_h / 2;
        text(f, x0 - 8, y + 4, "end", NULL, d->row_labels[r], 44);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", x0, y, x1, y);
        for (size_t g = 0; g < d->n_groups; g++) {
            double v = d->values[r * d->n_groups + g];
            if (!isfinite(v))
                continue;
            double x = x0 + (x1 - x0) * fmin(v, x_max) / x_max;
            if (g == 0 && d->first_is_reference)
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"18\" fill=\"#000\"/>\n", x - 2, y - 9);
            else
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" fill-opacity=\"0.85\"/>\n", x, y,
                        color(g - (d->first_is_reference ? 1 : 0)));
        }
    }
    close_svg(f);
}

/* ---- effects with intervals ------------------------------------------------------------------------------ */

/* The half-width of the shared axis: the largest distance from 0 of a row, rounded up to a tick. */
static double effects_scale(const as_svg_effect_row *rows, size_t n, double *step)
{
    double most = 0;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].heading && isfinite(rows[i].mean))
            most = fmax(most, fmax(fabs(rows[i].mean), fmax(fabs(rows[i].lo), fabs(rows[i].hi))));
    most = axis_span(most);
    *step = as_svg_nice_step(most, 3);
    return round_up(most, *step);
}

void as_svg_effects(FILE *f, const as_svg_chart *c, const as_svg_effect_row *rows, size_t n, const char *axis_unit)
{
    const double top = 34, row_h = 24, x0 = 320, x1 = 550, mid = (x0 + x1) / 2, half = (x1 - x0) / 2 - 6;
    double bottom = top + row_h * (double)n, step;
    double scale = effects_scale(rows, n, &step);
    int short_unit = axis_unit && strlen(axis_unit) <= 1;
    open_svg(f, c, bottom + 30);
    text(f, mid - 6, 18, "end", "fill=\"#555\"", "\xE2\x86\x90 less than the base", 30);
    text(f, mid + 6, 18, "start", "fill=\"#555\"", "more than the base \xE2\x86\x92", 30);
    for (double v = -scale; v <= scale * (1 + 1e-9); v += step) {
        double x = mid + half * v / scale;
        char label[40], number[32];
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n", x, top - 6, x,
                bottom);
        axis_number(number, sizeof number, fabs(v), 0);
        snprintf(label, sizeof label, "%s%s%s", v > step * 1e-6 ? "+" : v < -step * 1e-6 ? "-" : "",
                 fabs(v) < step * 1e-6 ? "0" : number, short_unit ? axis_unit : "");
        text(f, x, bottom + 14, "middle", "fill=\"#555\" font-size=\"11\"", label, 12);
    }
    if (axis_unit && !short_unit) /* a long unit once, after the axis */
        text(f, x1 + 6, bottom + 14, "start", "fill=\"#555\" font-size=\"11\"", axis_unit, 24);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n", mid, top - 6, mid, bottom);
    for (size_t i = 0; i < n; i++) {
        const as_svg_effect_row *r = &rows[i];
        double y = top + row_h * (double)i + row_h / 2;
        if (r->heading) {
            text(f, 4, y + 4, "start", "font-weight=\"bold\"", r->label, 60);
            continue;
        }
        text(f, x0 - 8, y + 4, "end", NULL, r->label, 46);
        if (r->value_text)
            text(f, x1 + 6, y + 4, "start", "fill=\"#333\" font-size=\"11\"", r->value_text, 36);
        if (!isfinite(r->mean))
            continue;
        double lo = mid + half * fmax(-1, r->lo / scale), hi = mid + half * fmin(1, r->hi / scale);
        double at = mid + half * fmax(-1, fmin(1, r->mean / scale));
        const char *ink = r->distinguishable ? palette[0] : "#777";
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n", lo, y,
                hi, y, ink);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>\n", at, y,
                r->distinguishable ? ink : "#fff", ink);
    }
    close_svg(f);
}
