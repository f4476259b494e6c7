/*
 * clock — a terminal clock, the toy program of the classic rr talk.
 *
 * Every PERIOD seconds it prints a numbered line with the wall-clock time and
 * a bar that grows by one segment per line and starts over when it is full:
 *
 *     001 14:02:07 #####
 *     002 14:02:08 ##########
 *
 * Typing a digit 1-9 changes the period at run time, 'q' quits (so does
 * Ctrl-C).  On a terminal, stdin is put in non-canonical, no-echo mode so keys
 * act at once; on a pipe or a file, end of input just means no more keys.
 * It waits with poll() and a timeout, reads the time with clock_gettime() and
 * time()/localtime_r(): all inputs that a recorder must capture.
 *
 *     clock [PERIOD [LINES]]    PERIOD seconds, default 1 (0: no wait);
 *                               LINES: exit after that many lines (for tests)
 *
 * It has a bug to find: the line numbers go 1 2 3 4 5 6 8 ... Line 7 is never
 * printed.  `watch line_no` and a reverse-continue from line 8 find why.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BAR_SEGMENTS 6 /* segments in a full bar */
#define SEGMENT "#####"

/* Number of the next line to print; global so a debugger can watch it. */
static int line_no = 1;
/* Segments in the bar of the last line printed. */
static int bar_len;

static int period = 1;         /* seconds between lines */
static int max_lines;          /* 0: run until 'q' */
static int lines_printed;

static struct termios saved_tio;
static int tio_saved;
static volatile sig_atomic_t interrupted;

static void restore_terminal(void)
{
    if (tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
        tio_saved = 0;
    }
}

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Keys take effect at once only if the terminal does not wait for Enter. */
static void raw_terminal(void)
{
    struct termios tio;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) < 0)
        return;
    tio = saved_tio;
    tio.c_lflag &= ~(ICANON | ECHO);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0) {
        tio_saved = 1;
        atexit(restore_terminal);
    }
}

static double now_monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_line(void)
{
    char stamp[16];
    char bar[BAR_SEGMENTS * sizeof SEGMENT];
    time_t t = time(NULL);
    struct tm tm;
    int i;

    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);

    if (bar_len == BAR_SEGMENTS) {
        /* The bar is full: draw a ruler line and start a new bar. */
        // printf("%03d %s ------------------------------\n", line_no, stamp);
        line_no++;
        bar_len = 0;
    }
    bar_len++;
    bar[0] = '\0';
    for (i = 0; i < bar_len; i++)
        strcat(bar, SEGMENT);

    printf("%03d %s %s\n", line_no, stamp, bar);
    fflush(stdout);
    line_no++;
    lines_printed++;
}

/* Returns 1 when the user asked to quit. */
static int handle_keys(const char *buf, ssize_t n)
{
    ssize_t i;

    for (i = 0; i < n; i++) {
        if (buf[i] == 'q' || buf[i] == 'Q')
            return 1;
        if (buf[i] >= '1' && buf[i] <= '9') {
            period = buf[i] - '0';
            fprintf(stderr, "clock: a line every %d s\n", period);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    int stdin_open = 1;
    double last = 0;    /* when the last line was printed */

    if (argc > 1)
        period = atoi(argv[1]);
    if (argc > 2)
        max_lines = atoi(argv[2]);
    if (period < 0 || max_lines < 0) {
        fprintf(stderr, "usage: clock [PERIOD [LINES]]\n");
        return 2;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    raw_terminal();

    while (!interrupted) {
        double now = now_monotonic();
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        int timeout_ms = 0;

        if (lines_printed == 0 || now >= last + period) {
            print_line();
            last = now;
            if (max_lines && lines_printed >= max_lines)
                break;
        } else {
            timeout_ms = (int)((last + period - now) * 1000) + 1;
        }

        if (!stdin_open) {
            if (timeout_ms > 0)
                poll(NULL, 0, timeout_ms);
            continue;
        }
        if (poll(&pfd, 1, timeout_ms) < 0) {
            if (errno == EINTR)
                continue;
            perror("clock: poll");
            break;
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[64];
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                stdin_open = 0; /* end of input: no more keys */
            else if (handle_keys(buf, n))
                break;
        }
    }

    restore_terminal();
    return 0;
}
