/*
 * timerand — every way a process can read the time or a random number.
 *
 * getrandom(), the rdtsc and rdtscp instructions, clock_gettime() (realtime
 * and monotonic), gettimeofday() and time() — these three through the vDSO,
 * without a system call unless the recorder patches them — 16 bytes of
 * /dev/urandom, the 16 AT_RANDOM bytes the kernel puts on the initial stack,
 * and rand() seeded from the time.  It prints them all, so two runs never
 * print the same thing, and a replay must print exactly what the recording
 * printed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void print_hex(const char *label, const unsigned char *p, size_t n)
{
    size_t i;

    printf("%s:", label);
    for (i = 0; i < n; i++)
        printf("%s%02x", i ? "" : " ", p[i]);
    printf("\n");
}

static uint64_t read_tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t read_tscp(uint32_t *aux)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
    return (uint64_t)hi << 32 | lo;
}

int main(void)
{
    unsigned char buf[16];
    const unsigned char *at_random;
    struct timespec rt, mono;
    struct timeval tv;
    uint64_t tsc1, tsc2, tscp;
    uint32_t aux;
    time_t t;
    int fd;

    if (getrandom(buf, sizeof buf, 0) != (ssize_t)sizeof buf) {
        perror("getrandom");
        return 1;
    }
    print_hex("getrandom", buf, sizeof buf);

    tsc1 = read_tsc();
    tsc2 = read_tsc();
    tscp = read_tscp(&aux);
    printf("rdtsc: %llu %llu (+%llu)\n", (unsigned long long)tsc1,
           (unsigned long long)tsc2, (unsigned long long)(tsc2 - tsc1));
    printf("rdtscp: %llu aux %u\n", (unsigned long long)tscp, aux);

    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    gettimeofday(&tv, NULL);
    t = time(NULL);
    printf("clock_gettime(REALTIME): %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec);
    printf("clock_gettime(MONOTONIC): %lld.%09ld\n", (long long)mono.tv_sec, mono.tv_nsec);
    printf("gettimeofday: %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
    printf("time: %lld\n", (long long)t);

    fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
        perror("/dev/urandom");
        return 1;
    }
    close(fd);
    print_hex("/dev/urandom", buf, sizeof buf);

    at_random = (const unsigned char *)getauxval(AT_RANDOM);
    if (at_random)
        print_hex("AT_RANDOM", at_random, 16);

    srand((unsigned)rt.tv_nsec ^ (unsigned)t);
    printf("rand: %d %d %d\n", rand(), rand(), rand());
    printf("pid: %d\n", (int)getpid());
    return 0;
}
