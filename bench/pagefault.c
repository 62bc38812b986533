/*
 * pagefault.c - what a first touch of memory costs on this machine (docs/performance.md, "Issue 17,
 * fifth steps"): microseconds per 4 KiB page for a fresh anonymous mapping touched page by page,
 * the same mapping filled by the kernel at once (MAP_POPULATE), and one advised MADV_HUGEPAGE,
 * whose 2 MiB pages take one fault each.
 *
 *   cc -O2 bench/pagefault.c -o /tmp/pagefault && /tmp/pagefault [MiB]   (default 16)
 *
 * Prints one JSON line.  A virtual machine's faults can cost many times bare metal's; this is the
 * number behind the program's heap policy (cli/heap.c).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Microseconds a 4 KiB page to map bytes with flags (and advice, unless 0) and touch every page;
 * the best of 5. */
static double per_page(size_t bytes, int flags, int advice)
{
    double best = 1e30;
    for (int k = 0; k < 5; k++) {
        double t0 = now();
        char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            exit(1);
        }
        if (advice)
            (void)madvise(p, bytes, advice);
        for (size_t i = 0; i < bytes; i += 4096)
            p[i] = 1;
        double us = 1e6 * (now() - t0) / (double)(bytes / 4096);
        munmap(p, bytes);
        if (us < best)
            best = us;
    }
    return best;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;
    size_t bytes = (mib ? mib : 16) << 20;
    printf("{\"mib\":%zu,\"touch_us_per_page\":%.2f,\"populate_us_per_page\":%.2f,\"hugepage_us_per_page\":%.3f}\n",
           bytes >> 20, per_page(bytes, 0, 0), per_page(bytes, MAP_POPULATE, 0),
#ifdef MADV_HUGEPAGE
           per_page(bytes, 0, MADV_HUGEPAGE)
#else
           0.0
#endif
    );
    return 0;
}
