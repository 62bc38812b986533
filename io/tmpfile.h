/*
 * tmpfile.h - the temporary files behind atomic writes (PATH.tmp.PID,
 * renamed over PATH when complete), made safe against signals and crashes.
 *
 *   as_tmp_name        names the temporary file of path for this process,
 *                      first removing stale ones of path left by processes
 *                      that no longer run (a crash, a kill -9);
 *   as_tmp_hold        marks it as the file to remove if a signal ends the
 *                      process before the write finishes;
 *   as_tmp_release     the write finished (renamed) or failed (removed);
 *   as_signals_install SIGINT, SIGTERM and SIGHUP then remove the held file,
 *                      say so on stderr, and exit with status 128 + n.
 *
 * One file is held at a time per process (alignsim writes its outputs one
 * after another); the handler uses only async-signal-safe calls (unlink,
 * write, _exit).
 */
#ifndef AS_TMPFILE_H
#define AS_TMPFILE_H

#include <stddef.h>

void as_tmp_name(const char *path, char *tmp, size_t size);
void as_tmp_hold(const char *tmp);
void as_tmp_release(void);
void as_signals_install(void);

#endif
