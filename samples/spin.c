/*
 * spin.c — a program that waits for signals without making system calls.
 *
 * SIGALRM from setitimer every 10 ms; the main loop spins on a volatile
 * flag, counting its turns, and only then prints. A recorder that delivers
 * signals only at system calls would starve it: rrtui holds a signal back
 * for a while, then delivers it where the program is and records that
 * point by its signature (registers + a hash of writable memory), which
 * replay finds again. The printed turn counts show the delivery points: a
 * replay must print the same ones.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 10000}, {0, 10000}};
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 1; i <= rounds; i++) {
		unsigned long turns = 0;
		sig_atomic_t seen = ticks;
		while (ticks == seen)
			turns++;
		printf("signal %d after %lu turns\n", i, turns);
	}
	return 0;
}
