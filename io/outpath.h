/*
 * outpath.h - an output path checked before any work is done: a command
 * that would simulate for an hour and then find it cannot write, or would
 * overwrite its own input, refuses at once (exit status 2).
 *
 * Pure checks on the file system (stat, access); thread-safe.
 */
#ifndef AS_OUTPATH_H
#define AS_OUTPATH_H

#include <stddef.h>
#include "error.h"

/* AS_EINPUT naming path when it is a folder, a device, a FIFO, a socket or
 * a symbolic link; when it is one of the files inputs[0..n) (the same file
 * by device and inode, whatever its name); or when its folder is missing or
 * not writable; "-" too (standard output cannot be renamed into place: HDF5
 * files).  AS_OK otherwise (a new file, or a regular file to replace). */
int as_outpath_check(const char *path, const char *const *inputs, size_t n, as_error *err);

/* as_outpath_check for a text output, where "-" is standard output (AS_OK). */
int as_outpath_check_stream(const char *path, const char *const *inputs, size_t n, as_error *err);

/* For an output folder (created with its parents when missing): AS_EINPUT naming dir when it
 * exists and is not a folder (following symbolic links): one of the files inputs[0..n), another
 * file, a device.  AS_OK otherwise. */
int as_outpath_check_folder(const char *dir, const char *const *inputs, size_t n, as_error *err);

/* The folder of path into dir ("a/b.h5" -> "a", "/b.h5" -> "/", "b.h5" -> "."); returns dir. */
char *as_path_folder(const char *path, char *dir, size_t size);

#endif
