/*
 * sweep_journal.c - the sweep's record of finished points (io/sweep_journal.h).
 */
#include "sweep_journal.h"
#include "alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "alignsim-sweep-journal 1"

uint64_t as_journal_hash(const char *text)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Parses one point line into j; 0 when it is whole and new, -1 when not. */
static int parse_line(as_journal *j, char *line)
{
    char *end;
    unsigned long long p = strtoull(line, &end, 10);
    if (end == line || p >= j->n_points || j->done[p])
        return -1;
    double *v = j->values + p * j->n_values;
    for (size_t i = 0; i < j->n_values; i++) {
        char *next;
        v[i] = strtod(end, &next);
        if (next == end)
            return -1;
        end = next;
    }
    while (*end == ' ')
        end++;
    if (*end)
        return -1;
    j->done[p] = 1;
    return 0;
}

/* Reads an existing journal into j; returns the length of its whole lines,
 * or -1 (and err) when it is another sweep's. */
static long read_existing(as_journal *j, FILE *f, const char *header, as_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long good = 0;
    int first = 1;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] != '\n')
            break; /* cut short by a kill */
        line[n - 1] = '\0';
        if (first) {
            if (strcmp(line, header) != 0) {
                free(line);
                as_error_set(err, AS_EINPUT, j->path,
                             "this journal belongs to another sweep, or to this file before it was edited "
                             "(expected \"%s\"; run without --resume to start again)", header);
                return -1;
            }
            first = 0;
        } else if (parse_line(j, line) != 0) {
            break; /* a damaged line: keep what came before */
        }
        good += (long)n;
    }
    free(line);
    return first ? 0 : good;
}

int as_journal_open(as_journal *j, const char *path, uint64_t key, size_t n_points, size_t n_values, int resume,
                    as_error *err)
{
    memset(j, 0, sizeof *j);
    j->fd = -1;
    j->n_points = n_points;
    j->n_values = n_values;
    j->path = as_strdup(path);
    j->done = as_calloc(n_points + 1, 1);
    j->values = as_malloc((n_points * n_values + 1) * sizeof *j->values);
    if (!j->path || !j->done || !j->values) {
        as_journal_close(j, 0);
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    }
    for (size_t i = 0; i < n_points * n_values; i++)
        j->values[i] = NAN;
    char header[128];
    snprintf(header, sizeof header, MAGIC " %016" PRIx64 " %zu %zu", key, n_points, n_values);
    long keep = 0;
    FILE *f = resume ? fopen(path, "r") : NULL;
    if (f) {
        keep = read_existing(j, f, header, err);
        fclose(f);
        if (keep < 0) {
            as_journal_close(j, 0);
            return AS_EINPUT;
        }
    }
    j->fd = open(path, O_WRONLY | O_CREAT | (keep ? 0 : O_TRUNC), 0644);
    if (j->fd < 0 || (keep && ftruncate(j->fd, keep) != 0) || lseek(j->fd, 0, SEEK_END) < 0) {
        int e = errno;
        as_journal_close(j, 0);
        return as_error_set(err, e == ENOENT || e == EACCES ? AS_EINPUT : AS_EIO, path,
                            "cannot write the sweep's journal: %s", strerror(e));
    }
    if (!keep) {
        char line[160];
        int len = snprintf(line, sizeof line, "%s\n", header);
        if (write_all(j->fd, line, (size_t)len) != 0 || fsync(j->fd) != 0) {
            as_journal_close(j, 0);
            return as_error_set(err, AS_EIO, path, "cannot write the sweep's journal: %s", strerror(errno));
        }
    }
    return AS_OK;
}

int as_journal_add(as_journal *j, size_t p, const double *values, as_error *err)
{
    size_t cap = 32 + j->n_values * 32, len;
    char *line = as_malloc(cap);
    if (!line)
        return as_error_set(err, AS_ENOMEM, j->path, "out of memory");
    len = (size_t)snprintf(line, cap, "%zu", p);
    for (size_t i = 0; i < j->n_values; i++)
        len += (size_t)snprintf(line + len, cap - len, " %a", values[i]);
    line[len++] = '\n';
    /* the line is the kernel's once write() returns, so a killed process loses nothing; fsync at most
     * once a second bounds what a machine crash can lose without one disk flush per point */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
    int bad = write_all(j->fd, line, len) != 0;
    if (!bad && t - j->synced >= 1.0) {
        bad = fsync(j->fd) != 0;
        j->synced = t;
    }
    free(line);
    if (bad)
        return as_error_set(err, AS_EIO, j->path, "cannot write the sweep's journal: %s", strerror(errno));
    memcpy(j->values + p * j->n_values, values, j->n_values * sizeof *values);
    j->done[p] = 1;
    return AS_OK;
}

void as_journal_close(as_journal *j, int remove)
{
    if (j->fd >= 0) {
        if (!remove)
            fsync(j->fd);
        close(j->fd);
    }
    if (remove && j->path)
        unlink(j->path);
    free(j->path);
    free(j->done);
    free(j->values);
    memset(j, 0, sizeof *j);
    j->fd = -1;
}
