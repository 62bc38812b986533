/*
 * alloc.h - every allocation of alignsim's own code goes through here, so a
 * test can make the Nth one fail and check that the failure travels up as a
 * clean error (AS_ENOMEM, exit status 1) with nothing leaked (tests/test_alloc.c,
 * under LeakSanitizer in CI).  The functions behave as their C library
 * namesakes; cJSON's allocations are routed here too (io/scenario.c), HDF5's
 * and GSL's are not.
 */
#ifndef AS_ALLOC_H
#define AS_ALLOC_H

#include <stddef.h>

void *as_malloc(size_t size);
void *as_calloc(size_t n, size_t size);
void *as_realloc(void *p, size_t size);
char *as_strdup(const char *s);
char *as_strndup(const char *s, size_t n);

/* Test hook: allocation number n (counting from 1, over all threads) and
 * every one after it fail; n = 0 turns failures off.  Returns how many
 * allocations were made since the previous call. */
long as_alloc_fail_from(long n);

#endif
