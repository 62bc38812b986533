/*
 * tmpfile.c - temporary files safe against signals and crashes (io/tmpfile.h).
 */
#include "tmpfile.h"
#include "outpath.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char held[4096 + 64];
static volatile sig_atomic_t holding;

void as_tmp_name(const char *path, char *tmp, size_t size)
{
    /* stale PATH.tmp.PID of dead processes go first */
    char dir[4096];
    as_path_folder(path, dir, sizeof dir);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t len = strlen(base);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, base, len) || strncmp(e->d_name + len, ".tmp.", 5))
            continue;
        char *end;
        long pid = strtol(e->d_name + len + 5, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char stale[8192];
        snprintf(stale, sizeof stale, "%s/%s", dir, e->d_name);
        unlink(stale);
    }
    if (d)
        closedir(d);
    snprintf(tmp, size, "%s.tmp.%ld", path, (long)getpid());
}

void as_tmp_hold(const char *tmp)
{
    holding = 0;
    snprintf(held, sizeof held, "%s", tmp);
    holding = 1;
}

void as_tmp_release(void)
{
    holding = 0;
}

static void say(const char *s)
{
    ssize_t ignored = write(STDERR_FILENO, s, strlen(s));
    (void)ignored;
}

static void on_signal(int sig)
{
    const char *name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
    say("\nalignsim: interrupted by ");
    say(name);
    if (holding) {
        unlink(held);
        say("; removed the unfinished ");
        say(held);
        say(", nothing was written");
    }
    say("\n");
    _exit(128 + sig);
}

void as_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &sa, NULL);
}
