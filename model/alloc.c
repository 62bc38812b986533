/*
 * alloc.c - the allocation functions with a failure hook (model/alloc.h).
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long made;      /* allocations since the last as_alloc_fail_from */
static atomic_long fail_from; /* 0: none fail */

static int fails(void)
{
    long n = atomic_fetch_add(&made, 1) + 1, from = atomic_load(&fail_from);
    return from > 0 && n >= from;
}

void *as_malloc(size_t size)
{
    return fails() ? NULL : malloc(size);
}

void *as_calloc(size_t n, size_t size)
{
    return fails() ? NULL : calloc(n, size);
}

void *as_realloc(void *p, size_t size)
{
    return fails() ? NULL : realloc(p, size);
}

char *as_strdup(const char *s)
{
    return fails() ? NULL : strdup(s);
}

char *as_strndup(const char *s, size_t n)
{
    return fails() ? NULL : strndup(s, n);
}

long as_alloc_fail_from(long n)
{
    atomic_store(&fail_from, n);
    return atomic_exchange(&made, 0);
}
