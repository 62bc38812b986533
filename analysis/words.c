#include "words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *as_words_count(char *buf, size_t size, double x)
{
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t len = strlen(digits), at = 0;
    if (x <= -0.5 && at + 1 < size)
        buf[at++] = '-';
    for (size_t i = 0; i < len && at + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
    return buf;
}

const char *as_words_about(char *buf, size_t size, double x)
{
    if (isnan(x) || fabs(x) >= 1 || x == 0) {
        double mag = x != 0 && isfinite(x) ? pow(10, floor(log10(fabs(x))) - 2) : 1;
        return as_words_count(buf, size, mag > 1 ? round(x / mag) * mag : round(x));
    }
    snprintf(buf, size, "%.2g", x);
    return buf;
}

const char *as_words_percent(char *buf, size_t size, double rate)
{
    if (isnan(rate))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.1f%%", rate * 100);
    return buf;
}

const char *as_words_money(char *buf, size_t size, double dollars)
{
    if (isnan(dollars)) {
        snprintf(buf, size, "n/a");
    } else if (fabs(dollars) >= 1e9) {
        snprintf(buf, size, "%s$%.2f billion", dollars < 0 ? "-" : "", fabs(dollars) / 1e9);
    } else if (fabs(dollars) >= 1e6) {
        snprintf(buf, size, "%s$%.1f million", dollars < 0 ? "-" : "", fabs(dollars) / 1e6);
    } else {
        char count[48];
        snprintf(buf, size, "%s$%s", dollars < 0 ? "-" : "", as_words_count(count, sizeof count, fabs(dollars)));
    }
    return buf;
}

const char *as_words_fixed(char *buf, size_t size, double x, int decimals)
{
    if (isnan(x))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.*f", decimals, x);
    return buf;
}

const char *as_words_signed(char *buf, size_t size, double x)
{
    char about[48];
    as_words_about(about, sizeof about, fabs(x));
    if (isnan(x))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%s%s", x > 0 ? "+" : x < 0 ? "-" : "", about);
    return buf;
}
