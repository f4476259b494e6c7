/*
 * marks.c — a subject for bench/tl_bench: COUNT iterations of one system
 * call each (getppid), except at the iterations given after COUNT, which
 * call getpid instead. The instruction after getpid's `syscall` therefore
 * runs only at those iterations: a breakpoint there is hit exactly N
 * events before a chosen moment, with no hit in between, which is what
 * "reverse-continue to a breakpoint N events back" measures.
 *
 * Usage: marks COUNT [ITERATION...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: marks COUNT [ITERATION...]\n");
		return 2;
	}
	long count = atol(argv[1]);
	int next = 2;
	long mark = next < argc ? atol(argv[next]) : -1;
	for (long i = 0; i < count; i++) {
		if (i == mark) {
			getpid();
			next++;
			mark = next < argc ? atol(argv[next]) : -1;
		} else {
			getppid();
		}
	}
	return 0;
}
