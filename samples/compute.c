/*
 * compute — pure computation, no system calls in the hot loop.
 *
 * A sieve of Eratosthenes up to one million, then ITERATIONS rounds (argv[1],
 * default 100000000) of an integer hash mix over the primes.  A recorder that
 * only pays at system calls should run it at native speed: the benchmarks use
 * it to measure the cost of recording a compute-bound program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SIEVE_MAX 1000000

static unsigned char composite[SIEVE_MAX + 1];
static uint32_t primes[80000];

int main(int argc, char **argv)
{
    long long iterations = argc > 1 ? atoll(argv[1]) : 100000000LL;
    uint64_t h = 0x9e3779b97f4a7c15ull;
    size_t nprimes = 0, i, j;
    long long k;

    for (i = 2; i <= SIEVE_MAX; i++) {
        if (composite[i])
            continue;
        primes[nprimes++] = (uint32_t)i;
        for (j = i * i; j <= SIEVE_MAX; j += i)
            composite[j] = 1;
    }

    for (k = 0; k < iterations; k++) {
        h ^= primes[(size_t)k % nprimes];
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }

    printf("%zu primes below %d, hash after %lld rounds: %016llx\n", nprimes,
           SIEVE_MAX, iterations, (unsigned long long)h);
    return 0;
}
