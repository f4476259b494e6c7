/*
 * spin.c — a program that waits for signals without making system calls.
 *
 * SIGALRM from setitimer every 10 ms; the main loop spins on a volatile
 * flag that the handler changes, and only then prints. A recorder that
 * delivers signals only at system calls would starve it: rrtui holds a
 * signal back for a while, then delivers it where the program is and
 * records that point by its signature (registers + a hash of memory and
 * FP registers), which the replay finds again by comparing states at the
 * recorded instruction.
 *
 * While it spins, the loop steps a phase through a cycle of 16 values, and
 * each round prints the phase the signal found: it differs from run to run,
 * and a replay that delivered the signal one turn early or late would write
 * another (which the replay reports as a divergence, since it checks what
 * the program writes). The state repeats every 16 turns, so the replay
 * finds a state equal to the recorded one within 16 turns of the loop's
 * start. A loop that counted its turns instead would never repeat a state:
 * without performance counters the replay would have to compare one state
 * per turn up to the recorded one, hundreds of millions of them.
 *
 * `spin ROUNDS fill` also fills 64 KiB with the phase at each turn: the
 * signal then finds the program inside memset, most of the time in the
 * middle of a `rep stos`, which the recorder lets finish before it delivers
 * (no breakpoint can stop the replay in the middle of an instruction).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;
static unsigned char block[1 << 16];

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int fill = argc > 2 && strcmp(argv[2], "fill") == 0;
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 10000}, {0, 10000}};
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 1; i <= rounds; i++) {
		unsigned phase = 0;
		sig_atomic_t seen = ticks;
		/* x -> 5x + 3 mod 16 visits all 16 values before it repeats. */
		while (ticks == seen) {
			phase = (phase * 5 + 3) % 16;
			if (fill)
				memset(block, (int)phase, sizeof block);
		}
		printf("signal %d at phase %u\n", i, phase);
	}
	return 0;
}
