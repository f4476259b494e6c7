/*
 * killrec — a program that kills its recorder, to test incomplete traces.
 *
 * It prints a few lines, then sends SIGKILL to its parent, which under
 * `rrtui record` is the recorder, and goes on printing for a little while.
 * The trace is cut off at the kill: a replay must show the lines written
 * before it and say that the trace is incomplete.
 *
 * So that a stray run from a shell cannot kill that shell, it only kills a
 * parent whose command name starts with "rrtui" (or any parent with -f).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINES_BEFORE 3
#define LINES_AFTER 5

static int parent_is_recorder(pid_t ppid, char *comm, size_t size)
{
    char path[64];
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/comm", (int)ppid);
    comm[0] = '\0';
    f = fopen(path, "r");
    if (!f)
        return 0;
    if (!fgets(comm, (int)size, f))
        comm[0] = '\0';
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';
    return strncmp(comm, "rrtui", 5) == 0;
}

int main(int argc, char **argv)
{
    pid_t ppid = getppid();
    struct timespec nap = { 0, 10000000 };
    char comm[64];
    int i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!parent_is_recorder(ppid, comm, sizeof comm) &&
        !(argc > 1 && strcmp(argv[1], "-f") == 0)) {
        fprintf(stderr, "killrec: parent %d is '%s', not rrtui: not killing it "
                        "(-f to kill anyway)\n", (int)ppid, comm);
        return 2;
    }

    for (i = 1; i <= LINES_BEFORE; i++)
        printf("before %d\n", i);
    kill(ppid, SIGKILL);
    for (i = 1; i <= LINES_AFTER; i++) {
        nanosleep(&nap, NULL);
        printf("after %d\n", i);
    }
    return 0;
}
