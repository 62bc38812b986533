/*
 * dirs.c - the data and scenario folders, found at run time (io/dirs.h).
 */
#include "dirs.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h"

static int is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first folder of the order in dirs.h for env and share/alignsim/name, into buf. */
static const char *find(char *buf, size_t size, const char *env, const char *name, const char *source,
                        const char *installed)
{
    const char *set = getenv(env);
    if (set && *set) {
        snprintf(buf, size, "%s", set);
        return buf;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *up = strrchr(exe, '/'); /* BIN/.. */
            if (up)
                *up = '\0';
            if (up && (size_t)snprintf(buf, size, "%s/share/alignsim/%s", exe, name) < size && is_folder(buf))
                return buf;
        }
    }
    snprintf(buf, size, "%s", is_folder(source) ? source : installed);
    return buf;
}

static char data_dir[PATH_MAX + 64], scenarios_dir[PATH_MAX + 64];

static void find_both(void)
{
    find(data_dir, sizeof data_dir, "ALIGNSIM_DATA", "data", AS_DATA_DIR, AS_INSTALL_DATA_DIR);
    find(scenarios_dir, sizeof scenarios_dir, "ALIGNSIM_SCENARIOS", "scenarios", AS_SCENARIOS_DIR,
         AS_INSTALL_SCENARIOS_DIR);
}

static pthread_once_t found = PTHREAD_ONCE_INIT; /* the same answer for every thread, decided once */

const char *as_dirs_data(void)
{
    pthread_once(&found, find_both);
    return data_dir;
}

const char *as_dirs_scenarios(void)
{
    pthread_once(&found, find_both);
    return scenarios_dir;
}
