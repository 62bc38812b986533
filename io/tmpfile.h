/*
 * tmpfile.h - the temporary files behind atomic writes (PATH.tmp.PID,
 * renamed over PATH when complete), made safe against signals and crashes.
 *
 *   as_tmp_name        names the temporary file (or folder) of path for this
 *                      process, first removing stale ones of path left by
 *                      processes that no longer run (a crash, a kill -9): a
 *                      stale file is removed, a stale folder with its files;
 *   as_tmp_hold        marks tmp as the file to remove if a signal ends the
 *                      process before the write finishes;
 *   as_tmp_release     the write finished (renamed) or failed (removed);
 *   as_tmp_hold_folder marks folder tmp, and the files in it named by
 *                      names[0..n) (copied), as what to remove on a signal: a
 *                      table export written into DIR.tmp.PID;
 *   as_tmp_release_folder  the folder was moved into place or removed;
 *   as_signals_install SIGINT, SIGTERM and SIGHUP then remove what is held,
 *                      say so on stderr, and exit with status 128 + n.
 *
 * One file and one folder are held at a time per process (alignsim writes its
 * outputs one after another; an export's tables are files inside its folder,
 * each held while it is written).  The handler uses only async-signal-safe
 * calls (unlink, unlinkat, rmdir, write, _exit).
 */
#ifndef AS_TMPFILE_H
#define AS_TMPFILE_H

#include <signal.h>
#include <stddef.h>

void as_tmp_name(const char *path, char *tmp, size_t size);
void as_tmp_hold(const char *tmp);
void as_tmp_release(void);
int as_tmp_hold_folder(const char *tmp, const char *const *names, size_t n);
void as_tmp_release_folder(void);
void as_signals_install(void);

/* The signals as_signals_install handles wait (as_signals_hold, the mask before into before) until
 * as_signals_resume: for a step that must not be cut in two, such as moving finished files into
 * place. */
void as_signals_hold(sigset_t *before);
void as_signals_resume(const sigset_t *before);

#endif
