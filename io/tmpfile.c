/*
 * tmpfile.c - temporary files safe against signals and crashes (io/tmpfile.h).
 */
#include "tmpfile.h"
#include "outpath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char held[4096 + 64];
static volatile sig_atomic_t holding;

/* The held folder: its name, an open descriptor (the handler removes names relative to it, so it
 * builds no paths), and its files' names one after another, each ended by '\0'. */
static char held_folder[4096 + 64];
static char held_names[16384];
static int held_fd = -1;
static volatile sig_atomic_t holding_folder;

/* Removes stale folder path (PATH.tmp.PID of a dead process): its files, then itself.  Only one
 * level: alignsim writes no folders inside it, and one it did not write is left (rmdir fails). */
static void remove_stale_folder(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(fd, e->d_name, 0); /* a folder inside: EISDIR, and it stays */
    closedir(d);
    rmdir(path);
}

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
        struct stat st;
        if (lstat(stale, &st) == 0 && S_ISDIR(st.st_mode))
            remove_stale_folder(stale);
        else
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

int as_tmp_hold_folder(const char *tmp, const char *const *names, size_t n)
{
    as_tmp_release_folder();
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]) + 1;
        if (used + len + 1 > sizeof held_names)
            return -1; /* more names than the handler can keep: the caller's export is not held */
        memcpy(held_names + used, names[i], len);
        used += len;
    }
    held_names[used] = '\0'; /* an empty name ends the list */
    snprintf(held_folder, sizeof held_folder, "%s", tmp);
    held_fd = open(tmp, O_RDONLY | O_DIRECTORY);
    if (held_fd < 0)
        return -1;
    holding_folder = 1;
    return 0;
}

void as_tmp_release_folder(void)
{
    holding_folder = 0;
    if (held_fd >= 0)
        close(held_fd);
    held_fd = -1;
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
    }
    if (holding_folder) {
        for (const char *s = held_names; *s; s += strlen(s) + 1)
            unlinkat(held_fd, s, 0);
        rmdir(held_folder);
        say(holding ? " and the unfinished folder " : "; removed the unfinished folder ");
        say(held_folder);
    }
    if (holding || holding_folder)
        say(", nothing was written");
    say("\n");
    _exit(128 + sig);
}

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

void as_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaction(handled[i], &sa, NULL);
}

void as_signals_hold(sigset_t *before)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaddset(&block, handled[i]);
    sigprocmask(SIG_BLOCK, &block, before);
}

void as_signals_resume(const sigset_t *before)
{
    sigprocmask(SIG_SETMASK, before, NULL);
}
