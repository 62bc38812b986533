/*
 * h5read.h - reading HDF5 files that a user hands us, trusting nothing.
 *
 * Both readers (results, io/h5results.c; sweeps, io/h5sweep.c) go through
 * these: each checks a dataset's or attribute's class, rank and shape before
 * reading into memory sized from the file's other parts, so a damaged or
 * foreign file is an error, never an overflow.  HDF5's H5LT helpers read a
 * whole object into the caller's buffer whatever its size, which is why they
 * are not used for reading here.
 */
#ifndef AS_H5READ_H
#define AS_H5READ_H

#include <hdf5.h>
#include <stddef.h>
#include "error.h"

/* Opens path read-only: it must be a readable regular file (a FIFO would hang
 * HDF5) holding HDF5.  what names the expected kind ("an alignsim results
 * file") in the errors.  Returns the file, or -1 with AS_EINPUT in err. */
hid_t as_h5r_open(const char *path, const char *what, as_error *err);

/* Whether name is there and is a dataset (not a group, a named type or a dangling link). */
int as_h5r_is_dataset(hid_t file, const char *name);

/* A variable-length UTF-8 string type, as the writers use (close it). */
hid_t as_h5r_string_type(void);

/* Reads the rank-1 string dataset name into *out (n strings, each and the
 * array owned by the caller).  Variable-length strings (what netCDF-4 writes
 * for NC_STRING, and the results writer for its coordinates) are copied out
 * of HDF5's buffers, which are then reclaimed; fixed-length ones (h5py's
 * numpy bytes) are cut at their first NUL.  A missing dataset is n = 0 and
 * *out NULL (returns 0); one that is not a rank-1 list of strings, or of more
 * than max entries, returns -1. */
int as_h5r_labels(hid_t file, const char *name, size_t max, size_t *n, char ***out);
void as_h5r_labels_free(char **v, size_t n);

/* Reads the rank-1 numeric dataset name (any integer or floating type) as
 * doubles into *out (n values, newly allocated; the caller frees).  A missing
 * dataset is n = 0 and *out NULL (returns 0); one that is not a rank-1 list
 * of numbers, or of more than max entries, returns -1. */
int as_h5r_numbers(hid_t file, const char *name, size_t max, size_t *n, double **out);

/* The rank of dataset name, its dims into dims[0..H5S_MAX_RANK), or -1 when
 * it is missing or not a dataset with a simple dataspace. */
int as_h5r_extent(hid_t file, const char *name, hsize_t *dims);

/* Whether dataset name is there with exactly rank dims want[0..rank) and a
 * numeric type.  Missing, another shape or another class: 0. */
int as_h5r_shaped(hid_t file, const char *name, const hsize_t *want, int rank);

/* Reads dataset name as doubles into out: it must have rank dims want (as
 * as_h5r_shaped).  Returns 0 or -1. */
int as_h5r_doubles(hid_t file, const char *name, const hsize_t *want, int rank, double *out);

/* The number in root attribute name: 1 when it is there as one number (*v
 * set), 0 when missing, -1 when it is there but not one number. */
int as_h5r_attr_number(hid_t file, const char *name, double *v);

/* The text of root attribute name (fixed or variable length, as h5py
 * writes), newly allocated; NULL when missing or not one string. */
char *as_h5r_attr_string(hid_t file, const char *name);

/* Whether x is a whole number in [lo, hi] (NaN is not). */
int as_h5r_whole(double x, double lo, double hi);

#endif
