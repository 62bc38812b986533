/*
 * test_h5write.c - the HDF5 writing that io/h5write.h does by hand: compressed chunks (as_h5w_packed)
 * against HDF5's own shuffle and deflate filters, byte for byte and value for value, and dimension
 * scales attached in bulk (as_h5w_attach) as HDF5's dimension-scale API sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5write.h"

static char path[512];

/* Values with every byte varying: shuffling the wrong byte of any of them changes what is read. */
static double *sample(size_t n)
{
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = i % 97 == 0 ? NAN : (double)i * 0.37 - 1e4 + 1.0 / (double)(i + 3);
    return x;
}

/* The raw (filtered) bytes of the chunk at offset of ds, malloc'ed, their count in *len. */
static unsigned char *raw_chunk(hid_t ds, const hsize_t *offset, hsize_t *len)
{
    assert_true(H5Dget_chunk_storage_size(ds, offset, len) >= 0);
    unsigned char *b = malloc(*len ? *len : 1);
    uint32_t mask = 1;
    assert_true(H5Dread_chunk(ds, H5P_DEFAULT, offset, &mask, b) >= 0);
    assert_int_equal(mask, 0); /* every filter applied */
    return b;
}

static void check_packed(hsize_t rows_per_chunk)
{
    hsize_t dims[3] = {3, 13, 211};
    size_t n = 3 * 13 * 211, per_row = 13 * 211;
    double *x = sample(n), *back = calloc(n, sizeof *back);
    hid_t f = as_h5w_create(path);
    assert_true(f >= 0);
    as_h5w_packer p = {0};
    hid_t ds = as_h5w_packed(&p, f, "ours", 3, dims, rows_per_chunk, 1, x);
    assert_true(ds >= 0);
    /* HDF5's own pipeline, with the same layout */
    hsize_t chunk[3] = {rows_per_chunk, 13, 211};
    hid_t space = H5Screate_simple(3, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    assert_true(H5Pset_chunk(dcpl, 3, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, 1) >= 0);
    hid_t theirs = H5Dcreate2(f, "theirs", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    assert_true(H5Dwrite(theirs, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
    assert_true(H5Dflush(theirs) >= 0);
    for (hsize_t row = 0; row < dims[0]; row += rows_per_chunk) {
        hsize_t offset[3] = {row, 0, 0}, a_len, b_len;
        unsigned char *a = raw_chunk(ds, offset, &a_len), *b = raw_chunk(theirs, offset, &b_len);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        assert_true(a_len < rows_per_chunk * per_row * sizeof(double)); /* compressed */
        free(a);
        free(b);
    }
    /* and HDF5 reads back every value, NaN included */
    assert_true(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
    for (size_t i = 0; i < n; i++)
        assert_true(isnan(x[i]) ? isnan(back[i]) : back[i] == x[i]);
    hid_t dcpl_ours = H5Dget_create_plist(ds);
    assert_int_equal(H5Pget_nfilters(dcpl_ours), 2); /* readers see shuffle, then deflate */
    H5Pclose(dcpl_ours);
    /* a chunk that does not divide the first dimension is refused, and nothing is created */
    assert_true(as_h5w_packed(&p, f, "uneven", 3, dims, 2, 1, x) < 0);
    assert_true(H5Lexists(f, "uneven", H5P_DEFAULT) <= 0);
    as_h5w_packer_free(&p);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Dclose(theirs);
    H5Dclose(ds);
    H5Fclose(f);
    unlink(path);
    free(x);
    free(back);
}

static void packed_one_chunk_equals_hdf5(void **state)
{
    (void)state;
    check_packed(3);
}

static void packed_chunk_per_row_equals_hdf5(void **state)
{
    (void)state;
    check_packed(1);
}

static hid_t scale(hid_t f, const char *name, size_t n)
{
    int values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    hid_t s = as_h5w_dimension(f, name, n, NULL, values, name);
    assert_true(s >= 0);
    return s;
}

static hid_t variable(hid_t f, const char *name, int rank, const hsize_t *dims)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t ds = H5Dcreate2(f, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(space);
    assert_true(ds >= 0);
    return ds;
}

/* Counts the scales H5DSiterate_scales finds on a dimension, and checks they are the expected one. */
static herr_t visit(hid_t ds, unsigned dim, hid_t scale_id, void *data)
{
    (void)ds;
    (void)dim;
    char name[64] = "";
    H5DSget_scale_name(scale_id, name, sizeof name);
    assert_string_equal(name, (const char *)data);
    return 0;
}

static void attached_as_hdf5_sees_it(void **state)
{
    (void)state;
    hid_t f = as_h5w_create(path);
    hid_t year = scale(f, "year", 4), item = scale(f, "item", 3), unused = scale(f, "unused", 2);
    hsize_t d2[2] = {4, 3}, d1[1] = {3};
    hid_t a = variable(f, "a", 2, d2), b = variable(f, "b", 1, d1);
    as_h5w_attacher at = {0};
    hid_t sa[2] = {year, item};
    assert_int_equal(as_h5w_attach(&at, a, 2, sa), 0);
    assert_int_equal(as_h5w_attach(&at, b, 1, &item), 0);
    assert_int_equal(as_h5w_attach_finish(&at), 0);
    /* HDF5's API, which reads both DIMENSION_LIST and REFERENCE_LIST */
    assert_true(H5DSis_attached(a, year, 0) > 0);
    assert_true(H5DSis_attached(a, item, 1) > 0);
    assert_true(H5DSis_attached(b, item, 0) > 0);
    assert_true(H5DSis_attached(a, year, 1) == 0);
    assert_true(H5DSis_attached(a, item, 0) == 0);
    assert_int_equal(H5DSget_num_scales(a, 0), 1);
    assert_int_equal(H5DSget_num_scales(a, 1), 1);
    assert_true(H5DSiterate_scales(a, 1, NULL, visit, "item") >= 0);
    assert_true(H5DSiterate_scales(b, 0, NULL, visit, "item") >= 0);
    assert_true(H5Aexists(unused, "REFERENCE_LIST") == 0); /* as H5DS leaves a scale nothing uses */
    /* a later variable attached with HDF5's own call joins the lists written by hand */
    hid_t c = variable(f, "c", 1, d1);
    assert_true(H5DSattach_scale(c, item, 0) >= 0);
    assert_true(H5DSis_attached(c, item, 0) > 0 && H5DSis_attached(b, item, 0) > 0);
    assert_true(H5DSdetach_scale(b, item, 0) >= 0);
    assert_true(H5DSis_attached(b, item, 0) == 0 && H5DSis_attached(a, item, 1) > 0);
    hid_t all[] = {a, b, c, year, item, unused};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        H5Dclose(all[i]);
    H5Fclose(f);
    unlink(path);
}

int main(void)
{
    snprintf(path, sizeof path, "%s/test_h5write-%ld.h5", AS_BINARY_DIR, (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packed_one_chunk_equals_hdf5),
        cmocka_unit_test(packed_chunk_per_row_equals_hdf5),
        cmocka_unit_test(attached_as_hdf5_sees_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
