/*
 * h5write.h - the netCDF-4 and CF parts both writers of HDF5 files share:
 * results (io/h5results.c) and sweeps (io/h5sweep.c).
 *
 * It owns how a file is created (creation order tracked, as netCDF-4 does,
 * so ncdump lists variables as written; HDF5 1.8's format, for attributes
 * larger than 64 KiB such as the scenario text), how a dimension is written
 * (a dimension scale named after it, holding its category names as
 * variable-length UTF-8 strings or its integer values, which netCDF-4 and
 * xarray read as the dimension's coordinate), how attributes are written
 * (scalar UTF-8 text; scalar numbers, so h5py reads a number and not an
 * array of one), and CF's history line.  The atomic write around them
 * (PATH.tmp.PID, renamed) is the callers', with io/tmpfile.h.
 *
 * Every function returns 0 (or an open identifier), or -1 when HDF5 fails,
 * with nothing left open and errno as the failing HDF5 call left it (a full
 * disk's ENOSPC from HDF5's POSIX driver: as_h5_os_words, io/h5results.h).
 * None keeps state of its own, so each is as thread-safe as the HDF5 library
 * it calls.
 */
#ifndef AS_H5WRITE_H
#define AS_H5WRITE_H

#include <hdf5.h>
#include <stddef.h>

/* Creates (truncating) the HDF5 file path for writing.  Returns the file (H5Fclose it), or -1. */
hid_t as_h5w_create(const char *path);

/* A scalar UTF-8 text attribute name = value on obj (a file is its root group); NULL is written as "". */
int as_h5w_attr_text(hid_t obj, const char *name, const char *value);

/* A number attribute of HDF5 memory type type (H5T_NATIVE_DOUBLE, H5T_NATIVE_INT: netCDF's int, for
 * format_version): scalar when n is 0, else a list of the n values (CF's flag_values). */
int as_h5w_attr_numbers(hid_t obj, const char *name, hid_t type, const void *values, size_t n);

/* Writes the whole of dataset ds, n elements of memory type t (labels as
 * variable-length strings, or small numbers), with a type-conversion buffer
 * sized for them: HDF5's default is two 1 MiB buffers, allocated zeroed for
 * every write that converts, which cost each run some 28 MiB of fresh pages
 * (docs/performance.md, "Issue 17, second steps").  Returns H5Dwrite's status. */
herr_t as_h5w_write_small(hid_t ds, hid_t t, size_t n, const void *data);

/* A dimension of n entries: a rank-1 dataset called name, marked as the dimension scale of that name,
 * holding names[0..n) as variable-length UTF-8 strings (what netCDF-C writes for NC_STRING) when
 * names is not NULL, else the integers values[0..n), with the attribute long_name.  Returns the open
 * dataset, to attach to the variables over the dimension (as_h5w_attach) and then H5Dclose, or
 * -1.  No DIMENSION_LABELS are written: the dimension's name is the scale's. */
hid_t as_h5w_dimension(hid_t file, const char *name, size_t n, char *const *names, const int *values,
                       const char *long_name);

/*
 * Dimension scales attached to a file's variables (the HDF5 Dimension Scales specification 1.0, which
 * netCDF-4, h5py, h5netcdf and xarray read).  as_h5w_attach writes a variable's DIMENSION_LIST at
 * once and remembers which variables each scale serves; as_h5w_attach_finish writes every scale's
 * REFERENCE_LIST once, before the scales are closed.  The attributes are those H5DSattach_scale
 * writes, in the same order, but H5DSattach_scale reads, deletes and writes again both lists at every
 * attachment (a scale such as year serves 143 variables): 331 attachments took 13 of the 40 ms that
 * writing a results file took (docs/performance.md, "Issue 17, fifth steps"); written once each,
 * about 2.  The scales must have been marked (H5DSset_scale, as as_h5w_dimension does).
 */
#define AS_H5W_MAX_SCALES 32

typedef struct as_h5w_backref { /* an entry of a REFERENCE_LIST: H5DS's layout */
    hobj_ref_t dataset;
    int dimension;
} as_h5w_backref;

typedef struct as_h5w_attacher {
    size_t n;                                  /* scales seen */
    hid_t scale[AS_H5W_MAX_SCALES];            /* not owned */
    hobj_ref_t ref[AS_H5W_MAX_SCALES];         /* each scale's object reference */
    as_h5w_backref *back[AS_H5W_MAX_SCALES];   /* the variables it serves, in attachment order */
    size_t n_back[AS_H5W_MAX_SCALES], cap_back[AS_H5W_MAX_SCALES];
} as_h5w_attacher;

/* Attaches scales[0..rank) to the dimensions of the variable ds: its DIMENSION_LIST now, the scales'
 * REFERENCE_LIST entries in a (zeroed before first use).  Returns 0, or -1 (errno ENOMEM when memory
 * ran out). */
int as_h5w_attach(as_h5w_attacher *a, hid_t ds, int rank, const hid_t *scales);

/* Writes the REFERENCE_LIST of every scale in a and frees what a holds.  Returns 0 or -1. */
int as_h5w_attach_finish(as_h5w_attacher *a);

/* Frees what a holds without writing (after a failure).  Accepts a zeroed a. */
void as_h5w_attach_free(as_h5w_attacher *a);

/*
 * Variables stored in chunks through HDF5's shuffle and deflate filters, the chunks filtered here and
 * written with H5Dwrite_chunk.  The bytes are those HDF5's own filters make (its shuffle, then zlib's
 * compress2 at the given level), so any reader decodes them as usual; but HDF5's pipeline allocates
 * fresh buffers and starts a new zlib stream for every chunk, where a packer reuses one of each
 * (writing a toy results file: 30.2 -> 28.0 ms, 117 fewer page faults; docs/performance.md, "Issue
 * 17, fifth steps").
 */
typedef struct as_h5w_packer {
    void *zs;                   /* zlib's z_stream, once started */
    int level;                  /* the deflate level zs was started with */
    unsigned char *shuffled, *packed;
    size_t cap_shuffled, cap_packed;
} as_h5w_packer;

/* Creates the variable name of n-dimensional doubles dims, in chunks of one row of the first
 * dimension (rows_per_chunk 1) or of all of it (dims[0]), each shuffled and deflated at level, and
 * writes data (row-major) into it.  p starts zeroed.  Returns the open dataset, or -1 (errno ENOMEM
 * when memory ran out). */
hid_t as_h5w_packed(as_h5w_packer *p, hid_t file, const char *name, int rank, const hsize_t *dims,
                    hsize_t rows_per_chunk, int level, const double *data);

/* Frees what p holds.  Accepts a zeroed p. */
void as_h5w_packer_free(as_h5w_packer *p);

/* Now as ISO 8601 in UTC ("2026-12-03T12:00:00Z", the provenance times' form) into buf; returns buf. */
char *as_h5w_now(char *buf, size_t n);

/* CF's history attribute, "TIME: COMMAND", into buf (n bytes, cut to fit): TIME is end_time (ISO
 * 8601, UTC), or now when end_time is NULL or empty; COMMAND is command_line, or "alignsim". */
void as_h5w_history(const char *end_time, const char *command_line, char *buf, size_t n);

#endif
