/* pagefault.c — what a fresh anonymous page costs on this machine: map 32 MiB, touch every
 * 4 KiB page, unmap; five rounds, with and without MADV_HUGEPAGE (README, "Where memory and
 * speed conflict"; make bench-repeat). */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

int main(void)
{
    const size_t sz = (size_t)32 << 20;
    for (int huge = 0; huge <= 1; huge++)
        for (int r = 0; r < 5; r++) {
            struct timespec a, b;
            clock_gettime(CLOCK_MONOTONIC, &a);
            char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                return 1;
            if (huge)
                madvise(p, sz, MADV_HUGEPAGE);
            for (size_t i = 0; i < sz; i += 4096)
                p[i] = 1;
            munmap(p, sz);
            clock_gettime(CLOCK_MONOTONIC, &b);
            double us = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
            printf("%s: %.2f us per 4 KiB page (%.1f ms for 32 MiB)\n",
                   huge ? "MADV_HUGEPAGE" : "4 KiB pages  ", us / (double)(sz / 4096), us / 1e3);
        }
    return 0;
}
