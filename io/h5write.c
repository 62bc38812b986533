/*
 * h5write.c - the netCDF-4 and CF parts of writing HDF5 files that the
 * results and sweep writers share (h5write.h).
 */
#include "h5write.h"
#include "h5read.h"
#include "alloc.h"

#include <errno.h>
#include <limits.h>
#include <hdf5_hl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

hid_t as_h5w_create(const char *path)
{
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    /* netCDF-4 keeps creation order; so do we, so ncdump lists variables as written */
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST); /* large attributes (scenario text) */
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    int e = errno; /* H5Fcreate's, for the caller's words (as_h5_create_failed) */
    H5Pclose(fcpl);
    H5Pclose(fapl);
    errno = e;
    return f;
}

int as_h5w_attr_text(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    size_t len = strlen(value ? value : "");
    H5Tset_size(t, len ? len : 1);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a < 0 || H5Awrite(a, t, len ? value : "") < 0 ? -1 : 0;
    int e = errno;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    H5Tclose(t);
    errno = e;
    return rc;
}

int as_h5w_attr_numbers(hid_t obj, const char *name, hid_t type, const void *values, size_t n)
{
    hsize_t dims[1] = {n};
    hid_t space = n ? H5Screate_simple(1, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a < 0 || H5Awrite(a, type, values) < 0 ? -1 : 0;
    int e = errno;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    errno = e;
    return rc;
}

herr_t as_h5w_write_small(hid_t ds, hid_t t, size_t n, const void *data)
{
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    /* room for every element in memory and in the file (a variable-length
     * string is 16 bytes there), at least a page: one strip, no default
     * 1 MiB buffers */
    size_t bytes = n * 32 + 4096;
    herr_t rc = dxpl < 0 || H5Pset_buffer(dxpl, bytes, NULL, NULL) < 0
                    ? -1
                    : H5Dwrite(ds, t, H5S_ALL, H5S_ALL, dxpl, data);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    return rc;
}

hid_t as_h5w_dimension(hid_t file, const char *name, size_t n, char *const *names, const int *values,
                       const char *long_name)
{
    hsize_t dims[1] = {n};
    hid_t t = names ? as_h5r_string_type() : H5Tcopy(H5T_NATIVE_INT);
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t ds = H5Dcreate2(file, name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int bad = ds < 0 || as_h5w_write_small(ds, t, n, names ? (const void *)names : values) < 0 ||
              H5DSset_scale(ds, name) < 0 || as_h5w_attr_text(ds, "long_name", long_name) != 0;
    int e = errno;
    H5Sclose(space);
    H5Tclose(t);
    if (bad && ds >= 0) {
        H5Dclose(ds);
        ds = -1;
    }
    errno = e;
    return ds;
}

/* The index of scale in a, added (with its object reference) when new; -1 when a is full or HDF5 fails. */
static int scale_index(as_h5w_attacher *a, hid_t scale)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->scale[i] == scale)
            return (int)i;
    if (a->n == AS_H5W_MAX_SCALES || H5Rcreate(&a->ref[a->n], scale, ".", H5R_OBJECT, -1) < 0)
        return -1;
    a->scale[a->n] = scale;
    return (int)a->n++;
}

int as_h5w_attach(as_h5w_attacher *a, hid_t ds, int rank, const hid_t *scales)
{
    hvl_t list[AS_H5W_MAX_SCALES];
    hobj_ref_t self;
    if (rank < 1 || rank > AS_H5W_MAX_SCALES || H5Rcreate(&self, ds, ".", H5R_OBJECT, -1) < 0)
        return -1;
    for (int d = 0; d < rank; d++) {
        int i = scale_index(a, scales[d]);
        if (i < 0)
            return -1;
        if (a->n_back[i] == a->cap_back[i]) {
            size_t cap = a->cap_back[i] ? 2 * a->cap_back[i] : 64;
            as_h5w_backref *p = as_realloc(a->back[i], cap * sizeof *p);
            if (!p) {
                errno = ENOMEM;
                return -1;
            }
            a->back[i] = p;
            a->cap_back[i] = cap;
        }
        a->back[i][a->n_back[i]++] = (as_h5w_backref){self, d};
        list[d] = (hvl_t){1, &a->ref[i]};
    }
    hsize_t dims[1] = {(hsize_t)rank};
    hid_t t = H5Tvlen_create(H5T_STD_REF_OBJ), space = H5Screate_simple(1, dims, NULL);
    hid_t at = t < 0 || space < 0 ? -1 : H5Acreate2(ds, "DIMENSION_LIST", t, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = at < 0 || H5Awrite(at, t, list) < 0 ? -1 : 0;
    int e = errno;
    if (at >= 0)
        H5Aclose(at);
    if (space >= 0)
        H5Sclose(space);
    if (t >= 0)
        H5Tclose(t);
    errno = e;
    return rc;
}

int as_h5w_attach_finish(as_h5w_attacher *a)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(as_h5w_backref));
    int rc = t < 0 || H5Tinsert(t, "dataset", offsetof(as_h5w_backref, dataset), H5T_STD_REF_OBJ) < 0 ||
                     H5Tinsert(t, "dimension", offsetof(as_h5w_backref, dimension), H5T_NATIVE_INT) < 0
                 ? -1
                 : 0;
    for (size_t i = 0; i < a->n && rc == 0; i++) {
        hsize_t dims[1] = {a->n_back[i]};
        hid_t space = H5Screate_simple(1, dims, NULL);
        hid_t at = space < 0 ? -1 : H5Acreate2(a->scale[i], "REFERENCE_LIST", t, space, H5P_DEFAULT, H5P_DEFAULT);
        rc = at < 0 || H5Awrite(at, t, a->back[i]) < 0 ? -1 : 0;
        int e = errno;
        if (at >= 0)
            H5Aclose(at);
        if (space >= 0)
            H5Sclose(space);
        errno = e;
    }
    int e = errno;
    if (t >= 0)
        H5Tclose(t);
    as_h5w_attach_free(a);
    errno = e;
    return rc;
}

void as_h5w_attach_free(as_h5w_attacher *a)
{
    for (size_t i = 0; i < AS_H5W_MAX_SCALES; i++)
        free(a->back[i]);
    memset(a, 0, sizeof *a);
}

/* Grows *buf to at least need bytes; -1 with errno ENOMEM when it cannot. */
static int room(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    unsigned char *b = as_realloc(*buf, need);
    if (!b) {
        errno = ENOMEM;
        return -1;
    }
    *buf = b;
    *cap = need;
    return 0;
}

/* One chunk: n doubles at x, shuffled (byte j of every value together, as HDF5's shuffle filter
 * does) and deflated as zlib's compress2 would, into p->packed; its length in *len.  0 or -1. */
static int pack_chunk(as_h5w_packer *p, const double *x, size_t n, int level, size_t *len)
{
    size_t bytes = n * sizeof *x;
    if (room(&p->shuffled, &p->cap_shuffled, bytes) || room(&p->packed, &p->cap_packed, compressBound(bytes)))
        return -1;
    const unsigned char *in = (const unsigned char *)x;
    for (size_t j = 0; j < sizeof *x; j++)
        for (size_t i = 0; i < n; i++)
            p->shuffled[j * n + i] = in[i * sizeof *x + j];
    z_stream *z = p->zs;
    if (z && p->level != level) { /* a stream keeps the level it started with */
        deflateEnd(z);
        free(z);
        z = p->zs = NULL;
    }
    if (!z) {
        if (!(z = as_calloc(1, sizeof *z)))
            return errno = ENOMEM, -1;
        if (deflateInit(z, level) != Z_OK) {
            free(z);
            return errno = ENOMEM, -1;
        }
        p->zs = z;
        p->level = level;
    } else if (deflateReset(z) != Z_OK) {
        return -1;
    }
    z->next_in = p->shuffled;
    z->avail_in = (uInt)bytes;
    z->next_out = p->packed;
    z->avail_out = (uInt)p->cap_packed;
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return -1;
    *len = p->cap_packed - z->avail_out;
    return 0;
}

hid_t as_h5w_packed(as_h5w_packer *p, hid_t file, const char *name, int rank, const hsize_t *dims,
                    hsize_t rows_per_chunk, int level, const double *data)
{
    hsize_t chunk[AS_H5W_MAX_SCALES], offset[AS_H5W_MAX_SCALES] = {0};
    size_t per_row = 1;
    if (rank < 1 || rank > AS_H5W_MAX_SCALES || rows_per_chunk == 0 || dims[0] % rows_per_chunk != 0)
        return -1;
    for (int i = 0; i < rank; i++) {
        chunk[i] = i ? dims[i] : rows_per_chunk;
        per_row *= i ? (size_t)dims[i] : 1;
    }
    if (per_row * rows_per_chunk > UINT_MAX / sizeof *data)
        return -1; /* beyond what one zlib call takes; the callers' chunks are at most a few MiB */
    hid_t space = H5Screate_simple(rank, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t ds = space < 0 || dcpl < 0 || H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
                       H5Pset_deflate(dcpl, (unsigned)level) < 0
                   ? -1
                   : H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int bad = ds < 0;
    for (hsize_t row = 0; !bad && row < dims[0]; row += rows_per_chunk) {
        size_t len;
        offset[0] = row;
        bad = pack_chunk(p, data + (size_t)row * per_row, per_row * rows_per_chunk, level, &len) != 0 ||
              H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, len, p->packed) < 0;
    }
    int e = errno;
    if (bad && ds >= 0) {
        H5Dclose(ds);
        ds = -1;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    errno = e;
    return ds;
}

void as_h5w_packer_free(as_h5w_packer *p)
{
    if (p->zs) {
        deflateEnd(p->zs);
        free(p->zs);
    }
    free(p->shuffled);
    free(p->packed);
    memset(p, 0, sizeof *p);
}

char *as_h5w_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void as_h5w_history(const char *end_time, const char *command_line, char *buf, size_t n)
{
    char now[32];
    const char *when = end_time && *end_time ? end_time : as_h5w_now(now, sizeof now);
    snprintf(buf, n, "%s: %s", when, command_line ? command_line : "alignsim");
}
