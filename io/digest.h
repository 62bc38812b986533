/*
 * digest.h - SHA-256 of the data files a run reads, for the results file's
 * provenance (data_files, io/h5results.h): a reader can tell whether two runs
 * used the same tables, and check a table against the run that used it with
 * `sha256sum`.
 *
 * The hash is Nettle's (Debian package nettle-dev, pkg-config nettle), not
 * our own: a hash written here would be one more thing to get wrong and to
 * test.  Nettle rather than OpenSSL's EVP API because its SHA-256 is three
 * calls on a context on the stack that cannot fail and allocate nothing: no
 * error path, no library or provider initialization, nothing that the
 * allocation-failure test (tests/test_alloc.c) would have to reach.
 */
#ifndef AS_DIGEST_H
#define AS_DIGEST_H

#include <stddef.h>

#define AS_SHA256_HEX 65 /* 64 lowercase hex digits and the NUL */

/* Writes the SHA-256 of bytes[0..n) to hex as 64 lowercase hex digits (what
 * sha256sum prints).  Cannot fail; thread-safe. */
void as_digest_sha256(const void *bytes, size_t n, char hex[AS_SHA256_HEX]);

#endif
