/*
 * syscalls — as many small system calls as possible.
 *
 * COUNT (argv[1], default 150000) system calls, alternately a 1-byte write()
 * to /dev/null and a 1-byte read() from /dev/zero, then the number of bytes
 * moved.  Each call costs a recorder at least one stop, so the benchmarks use
 * it to measure the per-syscall cost of recording and replaying.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 150000;
    long i, written = 0, read_bytes = 0;
    char c = 'x';
    int out = open("/dev/null", O_WRONLY);
    int in = open("/dev/zero", O_RDONLY);

    if (out < 0 || in < 0) {
        perror("open");
        return 1;
    }
    for (i = 0; i < count; i++) {
        ssize_t n = i % 2 ? read(in, &c, 1) : write(out, &c, 1);

        if (n != 1) {
            perror(i % 2 ? "read" : "write");
            return 1;
        }
        if (i % 2)
            read_bytes += n;
        else
            written += n;
    }
    printf("%ld syscalls: %ld bytes written, %ld bytes read (last byte %d)\n",
           count, written, read_bytes, c);
    return 0;
}
