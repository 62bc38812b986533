/*
 * heap.c - the program's memory policy: the C library's heap in transparent huge pages.
 *
 * A run allocates a few tens of MB outside the engine's state (which maps its own, model/entry.c):
 * the data tables, the results, HDF5's and zlib's buffers while the file is written.  Each 4 KiB
 * page the process touches for the first time is a page fault, and on a virtual machine a fault
 * can cost far more than on bare metal: 4-10 us each on the 2-core machine this was measured on
 * (docs/performance.md, "Issue 17, fifth steps"), where the toy's 2,700 faults were about a tenth
 * of its whole-process time.  A heap in 2 MiB pages takes one fault per 2 MiB instead.
 *
 * glibc does this itself with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, but tunables are read once,
 * before main, from the environment; so the program does the same with glibc's public calls:
 *   - the heap grows 64 MiB at a time (address space: memory comes only as it is touched), and
 *     what is freed stays in it rather than going back to the kernel to be faulted in again;
 *   - blocks up to 32 MiB come from it rather than from fresh mappings, and the threads' blocks
 *     too (one arena: OpenMP's workers allocate little, and at the start of a run);
 *   - the span it has grown to is advised MADV_HUGEPAGE, and a block that is never touched fills
 *     the stretch below its first 2 MiB boundary, so that blocks come from the huge pages.
 * Growth beyond that span is ordinary.  The cost is memory: a touched 2 MiB page is resident
 * whole, which adds a few MiB to a run's peak.
 *
 * Only the program does this, not libalignsim (a library does not set its caller's allocator
 * policy), and not under AddressSanitizer, whose allocator is its own.
 */
#include "commands.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define AS_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AS_OWN_ALLOCATOR 1
#endif
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HEAP_STEP ((size_t)64 << 20)

void as_heap_huge_pages(void)
{
#if !defined(AS_OWN_ALLOCATOR) && defined(MADV_HUGEPAGE)
    if (!mallopt(M_TOP_PAD, (int)HEAP_STEP) || !mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_STEP)) ||
        !mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_ARENA_MAX, 1)) /* threads' blocks too */
        return;
    /* a block from the heap makes it grow now, by the block and the pad; freed, it stays there */
    char *block = malloc(HEAP_STEP / 4);
    if (!block)
        return;
    /* the whole heap, from its first 2 MiB boundary: blocks are carved from its low end first */
    uintptr_t top = (uintptr_t)sbrk(0), start = top - mallinfo2().arena;
    uintptr_t from = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    /* only when the block is the heap's (not a mapping: a C library that ignored the settings) */
    if (top == (uintptr_t)-1 || start > (uintptr_t)block || (uintptr_t)block >= top || from >= top) {
        free(block);
        return;
    }
    (void)madvise((void *)from, (top - from) & ~(HUGE_PAGE - 1), MADV_HUGEPAGE); /* advice only */
    free(block);
    /* The heap below its first 2 MiB boundary stays in 4 KiB pages; a block that fills it, kept and
     * never touched beyond its header, costs address space only and sends later blocks above. */
    static void *below;
    if (!below && from - (uintptr_t)block < HUGE_PAGE)
        below = malloc(from - (uintptr_t)block);
#endif
}
