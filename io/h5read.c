/*
 * h5read.c - reading HDF5 files that a user hands us, trusting nothing
 * (h5read.h).
 */
#include "h5read.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

hid_t as_h5r_open(const char *path, const char *what, as_error *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0)
        return as_error_set(err, AS_EINPUT, path, "cannot open: no such readable file"), -1;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) /* a FIFO would hang the reader */
        return as_error_set(err, AS_EINPUT, path, "not a regular file (expected %s)", what), -1;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        as_error_set(err, AS_EINPUT, path, "not an HDF5 file (expected %s)", what);
    return f;
}

int as_h5r_is_dataset(hid_t file, const char *name)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t o = H5Oopen(file, name, H5P_DEFAULT); /* a group or named type of that name is not one */
    int yes = o >= 0 && H5Iget_type(o) == H5I_DATASET;
    if (o >= 0)
        H5Oclose(o);
    return yes;
}

hid_t as_h5r_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

void as_h5r_labels_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Reads n strings of dataset ds (file type t) into copy[]: variable-length
 * strings through HDF5's buffers, fixed-length ones (h5py's numpy bytes) as
 * n blocks of their size, each cut at its first NUL. */
static int read_strings(hid_t ds, hid_t t, hid_t space, size_t n, char **copy)
{
    int rc = 0;
    if (H5Tis_variable_str(t) > 0) {
        char **raw = as_calloc(n ? n : 1, sizeof *raw);
        hid_t mt = as_h5r_string_type();
        /* the file's character set: HDF5 does not convert ASCII and UTF-8 strings one to the other */
        H5Tset_cset(mt, H5Tget_cset(t) == H5T_CSET_UTF8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
        rc = raw && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0 ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (!(copy[i] = as_strdup(raw[i] ? raw[i] : "")))
                rc = -1;
        if (raw && rc == 0)
            H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
        else if (raw) /* a failed read may have filled some */
            for (size_t i = 0; i < n; i++)
                H5free_memory(raw[i]);
        free(raw);
        H5Tclose(mt);
        return rc;
    }
    size_t size = H5Tget_size(t);
    if (size == 0 || size > 1 << 20)
        return -1;
    char *block = as_malloc(n * size + 1);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, size);
    H5Tset_strpad(mt, H5T_STR_NULLPAD);
    H5Tset_cset(mt, H5Tget_cset(t) == H5T_CSET_UTF8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
    rc = block && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, block) >= 0 ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!(copy[i] = as_strndup(block + i * size, size)))
            rc = -1;
    H5Tclose(mt);
    free(block);
    return rc;
}

int as_h5r_labels(hid_t file, const char *name, size_t max, size_t *n, char ***out)
{
    *n = 0;
    *out = NULL;
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return 0; /* an empty dimension is not written */
    if (!as_h5r_is_dataset(file, name))
        return -1;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    if (ds < 0)
        return -1;
    hid_t space = H5Dget_space(ds), type = H5Dget_type(ds);
    hsize_t len = 0;
    int ok = H5Sget_simple_extent_ndims(space) == 1 && H5Tget_class(type) == H5T_STRING &&
             H5Sget_simple_extent_dims(space, &len, NULL) == 1 && len <= max;
    char **copy = ok ? as_calloc(len ? len : 1, sizeof *copy) : NULL;
    int rc = copy && read_strings(ds, type, space, (size_t)len, copy) == 0 ? 0 : -1;
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(ds);
    if (rc != 0) {
        as_h5r_labels_free(copy, (size_t)len);
        return -1;
    }
    *n = (size_t)len;
    *out = copy;
    return 0;
}

int as_h5r_numbers(hid_t file, const char *name, size_t max, size_t *n, double **out)
{
    *n = 0;
    *out = NULL;
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return 0;
    hsize_t len[H5S_MAX_RANK];
    if (as_h5r_extent(file, name, len) != 1 || len[0] > max || !as_h5r_shaped(file, name, len, 1))
        return -1; /* not a list, or not of numbers */
    double *v = as_calloc(len[0] ? len[0] : 1, sizeof *v);
    if (!v || as_h5r_doubles(file, name, len, 1, v) != 0) {
        free(v);
        return -1;
    }
    *n = (size_t)len[0];
    *out = v;
    return 0;
}

int as_h5r_extent(hid_t file, const char *name, hsize_t *dims)
{
    if (!as_h5r_is_dataset(file, name))
        return -1;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    hid_t space = ds >= 0 ? H5Dget_space(ds) : -1;
    int rank = space >= 0 && H5Sget_simple_extent_type(space) == H5S_SIMPLE ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank > 0 && H5Sget_simple_extent_dims(space, dims, NULL) != rank)
        rank = -1;
    if (space >= 0)
        H5Sclose(space);
    if (ds >= 0)
        H5Dclose(ds);
    return rank;
}

int as_h5r_shaped(hid_t file, const char *name, const hsize_t *want, int rank)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return 0;
    if (!as_h5r_is_dataset(file, name))
        return 0;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    if (ds < 0)
        return 0;
    hid_t space = H5Dget_space(ds), type = H5Dget_type(ds);
    H5T_class_t cls = H5Tget_class(type);
    hsize_t got[H5S_MAX_RANK];
    int r = H5Sget_simple_extent_ndims(space);
    int same = (cls == H5T_FLOAT || cls == H5T_INTEGER) && r == rank && H5Sget_simple_extent_type(space) != H5S_NULL;
    if (same && r > 0 && H5Sget_simple_extent_dims(space, got, NULL) == r)
        for (int i = 0; i < r; i++)
            same &= got[i] == want[i];
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(ds);
    return same;
}

int as_h5r_doubles(hid_t file, const char *name, const hsize_t *want, int rank, double *out)
{
    if (!as_h5r_shaped(file, name, want, rank))
        return -1;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= want[i];
    if (n == 0)
        return 0;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    int rc = ds >= 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0 ? 0 : -1;
    if (ds >= 0)
        H5Dclose(ds);
    return rc;
}

int as_h5r_attr_number(hid_t file, const char *name, double *v)
{
    if (H5Aexists(file, name) <= 0)
        return 0;
    hid_t a = H5Aopen(file, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t t = H5Aget_type(a), space = H5Aget_space(a);
    H5T_class_t cls = H5Tget_class(t);
    int rc = (cls == H5T_FLOAT || cls == H5T_INTEGER) && H5Sget_simple_extent_type(space) != H5S_NULL &&
                     H5Sget_simple_extent_npoints(space) == 1 && H5Aread(a, H5T_NATIVE_DOUBLE, v) >= 0
                 ? 1
                 : -1;
    H5Sclose(space);
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

char *as_h5r_attr_string(hid_t file, const char *name)
{
    if (H5Aexists(file, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(file, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t t = H5Aget_type(a), space = H5Aget_space(a);
    char *s = NULL;
    if (H5Tget_class(t) == H5T_STRING && H5Sget_simple_extent_type(space) != H5S_NULL &&
        H5Sget_simple_extent_npoints(space) == 1) {
        if (H5Tis_variable_str(t) > 0) { /* what h5py writes by default */
            char *v = NULL;
            hid_t mt = as_h5r_string_type();
            if (H5Aread(a, mt, &v) >= 0 && v) {
                s = as_strdup(v);
                H5free_memory(v);
            }
            H5Tclose(mt);
        } else {
            size_t len = H5Tget_size(t);
            char *raw = len <= 1 << 26 ? as_calloc(len + 1, 1) : NULL;
            if (raw && H5Aread(a, t, raw) >= 0)
                s = as_strndup(raw, len);
            free(raw);
        }
    }
    H5Sclose(space);
    H5Tclose(t);
    H5Aclose(a);
    return s;
}

int as_h5r_whole(double x, double lo, double hi)
{
    return x >= lo && x <= hi && x == floor(x);
}
