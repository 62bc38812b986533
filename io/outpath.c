/*
 * outpath.c - checking an output path up front (io/outpath.h).
 */
#include "outpath.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a folder" : S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "not a regular file";
}

char *as_path_folder(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else
        snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    return dir;
}

int as_outpath_check(const char *path, const char *const *inputs, size_t n, as_error *err)
{
    struct stat out, in;
    if (!path || !*path)
        return as_error_set(err, AS_EINPUT, "output", "an empty file name");
    if (!strcmp(path, "-"))
        return as_error_set(err, AS_EINPUT, "-", "standard output cannot take this output, which is written "
                                                 "under a temporary name and renamed into place (expected a file name)");
    if (lstat(path, &out) == 0) {
        if (!S_ISREG(out.st_mode))
            return as_error_set(err, AS_EINPUT, path, "the output is %s (expected a regular file to write)",
                                kind_of(out.st_mode));
        for (size_t i = 0; i < n; i++)
            if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
                return as_error_set(err, AS_EINPUT, path, "the output is the input %s (it would overwrite it; "
                                                          "expected another file name)", inputs[i]);
    }
    char dir[4096];
    as_path_folder(path, dir, sizeof dir);
    if (access(dir, W_OK) != 0)
        return as_error_set(err, AS_EINPUT, path, "cannot create the output: folder \"%s\" %s", dir,
                            access(dir, F_OK) != 0 ? "does not exist" : "is not writable");
    return AS_OK;
}

int as_outpath_check_stream(const char *path, const char *const *inputs, size_t n, as_error *err)
{
    return path && !strcmp(path, "-") ? AS_OK : as_outpath_check(path, inputs, n, err);
}

int as_outpath_check_folder(const char *dir, const char *const *inputs, size_t n, as_error *err)
{
    struct stat out, in;
    if (!dir || !*dir)
        return as_error_set(err, AS_EINPUT, "output", "an empty folder name");
    if (stat(dir, &out) != 0 || S_ISDIR(out.st_mode))
        return AS_OK;
    for (size_t i = 0; i < n; i++)
        if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
            return as_error_set(err, AS_EINPUT, dir, "the output folder is the input %s (expected a folder "
                                                     "for the tables)", inputs[i]);
    return as_error_set(err, AS_EINPUT, dir, "the output folder is %s (expected a folder for the tables)",
                        S_ISREG(out.st_mode) ? "a file" : kind_of(out.st_mode));
}
