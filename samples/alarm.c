/*
 * alarm — an asynchronous signal arriving in the middle of the program's work.
 *
 * setitimer(ITIMER_REAL) sends SIGALRM every 20 ms; the handler counts them in
 * a volatile variable.  Meanwhile the main loop works: a little arithmetic, a
 * write() of a progress byte to /dev/null, a short nanosleep().  It prints
 * each alarm as it notices it and stops after N alarms (argv[1], default 5).
 * Where each signal lands is up to the kernel, so a recorder must note the
 * point of delivery and a replay must deliver it at the same point: the
 * numbers of work rounds printed at the end differ run to run but not between
 * a recording and its replays.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

int main(int argc, char **argv)
{
    int want = argc > 1 ? atoi(argv[1]) : 5;
    struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
    struct timespec nap = { 0, 3000000 };
    struct sigaction sa;
    unsigned long rounds = 0, sum = 0;
    int seen = 0, devnull;

    if (want <= 0) {
        fprintf(stderr, "usage: alarm [N]\n");
        return 2;
    }
    devnull = open("/dev/null", O_WRONLY);
    if (devnull < 0) {
        perror("/dev/null");
        return 1;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    if (setitimer(ITIMER_REAL, &it, NULL) < 0) {
        perror("setitimer");
        return 1;
    }

    while (seen < want) {
        int i;

        while (seen < alarms && seen < want) {
            seen++;
            printf("alarm %d\n", seen);
            fflush(stdout);
        }
        for (i = 0; i < 1000; i++)
            sum += (sum >> 3) ^ (unsigned long)i * 2654435761u;
        if (write(devnull, ".", 1) < 0)
            perror("write");
        if (nanosleep(&nap, NULL) < 0 && errno != EINTR)
            perror("nanosleep");
        rounds++;
    }

    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
    printf("%d alarms after %lu rounds of work (sum %lu)\n", seen, rounds, sum % 1000);
    return 0;
}
