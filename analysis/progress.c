/*
 * progress.c - the progress line on a terminal (analysis/progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void as_progress_start(as_progress *pr, int on, double total)
{
    *pr = (as_progress){.on = on, .start = now(), .shown = -1, .total = total};
}

const char *as_progress_duration(double seconds, char *buf, unsigned size)
{
    long s = (long)(seconds + 0.5);
    if (s < 60)
        snprintf(buf, size, "%ld s", s);
    else if (s < 3600)
        snprintf(buf, size, "%ld min %02ld s", s / 60, s % 60);
    else
        snprintf(buf, size, "%ld h %02ld min", s / 3600, s / 60 % 60);
    return buf;
}

void as_progress_show(as_progress *pr, double done, const char *text)
{
    if (!pr->on)
        return;
    double t = now();
    pr->done = done;
    int last = pr->total > 0 && done >= pr->total;
    if (!last && pr->shown >= 0 && t - pr->shown < 0.25)
        return;
    pr->shown = t;
    char elapsed[32], left[32] = "";
    as_progress_duration(t - pr->start, elapsed, sizeof elapsed);
    /* the rate so far, once there is one to speak of */
    if (pr->total > 0 && done > 0 && done < pr->total && t - pr->start > 1) {
        char d[24];
        snprintf(left, sizeof left, ", about %s left",
                 as_progress_duration((t - pr->start) * (pr->total - done) / done, d, sizeof d));
    }
    fprintf(stderr, "\ralignsim: %s - %s%s\033[K", text, elapsed, left);
    fflush(stderr);
}

void as_progress_end(as_progress *pr)
{
    if (pr->on)
        fputs("\r\033[K", stderr);
}
