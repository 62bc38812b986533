/*
 * sweep_journal.h - the append-only record of a sweep's finished points, so
 * that no finished point is lost or repeated whatever kills the sweep.
 *
 * One text file, OUTPUT.journal: a header line naming the sweep (a hash of
 * the sweep file's text and the design's size), then one line per finished
 * point: its index and its values (replication by replication, output by
 * output) as C99 hexadecimal floats, which read back bit for bit.  Each
 * line is written with one write(2) as soon as the point finishes, so a
 * process killed at any moment (SIGKILL included) loses no finished point;
 * fsync(2) runs at most once a second (and on close), so a crash of the
 * machine itself loses at most the last second's points.  A line cut short by a kill (no newline, or the
 * wrong number of values) is dropped when the journal is read again, and
 * the file is truncated to its last whole line.
 *
 * Why not HDF5 itself: a process killed inside an HDF5 write can leave the
 * file's metadata unreadable (HDF5 1.10 has no crash-safe append outside
 * SWMR); a journal of whole lines cannot lose a finished point.  The HDF5
 * results are written from it, atomically, when every point is done.
 */
#ifndef AS_SWEEP_JOURNAL_H
#define AS_SWEEP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef struct as_journal {
    int fd;
    char *path;
    size_t n_points, n_values;   /* values per point */
    unsigned char *done;         /* [n_points] */
    double *values;              /* [n_points][n_values], NaN where not done */
    double synced;               /* CLOCK_MONOTONIC seconds of the last fsync */
} as_journal;

/* Opens path for a sweep identified by `key` with n_points points of
 * n_values each.  resume 0: a new, empty journal (an existing one is
 * replaced).  resume 1: reads the finished points of an existing journal
 * (none when there is none); AS_EINPUT when it belongs to another sweep
 * (different key or sizes).  Returns AS_OK, or an error with *j cleared. */
int as_journal_open(as_journal *j, const char *path, uint64_t key, size_t n_points, size_t n_values, int resume,
                    as_error *err);

/* Records point p's values (n_values), durably.  AS_EIO on a failed write. */
int as_journal_add(as_journal *j, size_t p, const double *values, as_error *err);

/* Closes the journal; with remove, deletes its file (the results are written). */
void as_journal_close(as_journal *j, int remove);

/* FNV-1a 64-bit hash of text, the journal's key for a sweep file. */
uint64_t as_journal_hash(const char *text);

#endif
