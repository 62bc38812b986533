/*
 * progress.h - the progress line on a terminal: what is being done, the time
 * since the start and, when the amount of work is known, an estimate of the
 * time left ("alignsim: replication 3 of 20, year 2031 - 12 s, about 30 s
 * left").  Rewritten in place (\r) at most four times a second, cleared at
 * the end; nothing at all when off (not a terminal, or --quiet).
 *
 * One line per process; not thread-safe (callers serialize).
 */
#ifndef AS_PROGRESS_H
#define AS_PROGRESS_H

typedef struct as_progress {
    int on;
    double start, shown; /* monotonic seconds */
    double done, total;  /* units of work; total 0: unknown (no estimate) */
} as_progress;

/* Starts the clock; on: show anything at all. */
void as_progress_start(as_progress *pr, int on, double total);

/* done units of work are finished; text says where it is.  Shown when a
 * quarter second has passed since the last line, or at the end. */
void as_progress_show(as_progress *pr, double done, const char *text);

/* Clears the line. */
void as_progress_end(as_progress *pr);

/* "12 s", "3 min 05 s", "1 h 02 min" into buf. */
const char *as_progress_duration(double seconds, char *buf, unsigned size);

#endif
