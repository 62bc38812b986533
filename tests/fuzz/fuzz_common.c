/*
 * fuzz_common.c - what the harnesses share (fuzz.h).
 */
#define _XOPEN_SOURCE 700
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void as_fuzz_remove(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_dir(void)
{
    if (dir[0])
        as_fuzz_remove(dir);
}

const char *as_fuzz_dir(void)
{
    if (!dir[0]) { /* memory-backed where there is one: the harnesses write files every input */
        snprintf(dir, sizeof dir, "%s/alignsim-fuzz-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(remove_dir);
    }
    return dir;
}

void as_fuzz_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", as_fuzz_dir(), name);
}

void as_fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}
