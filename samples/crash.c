/*
 * crash — a heap overflow that corrupts a pointer, and the segfault it causes
 * much later.
 *
 * A `struct user` with a 16-byte name buffer is allocated on the heap, and
 * right after it a `struct session` holding a pointer to a greeting.  Copying a
 * user name that is too long runs past the buffer, over the malloc header of
 * the next block and over `session->greeting`.  Nothing happens then; the
 * program goes on, and only when it prints the greeting does it die with
 * SIGSEGV, far from the bug.  In a debugger: at the crash, `watch
 * session->greeting`, then `reverse-continue`: it stops on the copy loop in
 * set_name().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user {
    char name[16];
    int id;
};

struct session {
    const char *greeting;
    int visits;
};

/* The user names, as if read from a configuration file. */
static const char *const user_names[] = {
    "ada",
    "grace",
    "Maximilian-Alexander von Hohenzollern-Sigmaringen",
};

static void set_name(struct user *u, const char *name)
{
    size_t i;

    /* Copy the name; nobody thought a name could be longer than 15 bytes. */
    for (i = 0; name[i] != '\0'; i++)
        u->name[i] = name[i];
    u->name[i] = '\0';
}

static void greet(const struct user *u, struct session *s)
{
    s->visits++;
    printf("%s, %s! (visit %d)\n", s->greeting, u->name, s->visits);
}

int main(void)
{
    struct user *u;
    struct session *s;
    size_t i;

    /* Line buffering even into a pipe: the lines must be out before the crash. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("crash: greeting %zu users\n", sizeof user_names / sizeof user_names[0]);

    u = calloc(1, sizeof *u);
    s = calloc(1, sizeof *s);
    if (!u || !s)
        return 1;
    s->greeting = "Hello";

    for (i = 0; i < sizeof user_names / sizeof user_names[0]; i++) {
        u->id = (int)i + 1;
        set_name(u, user_names[i]);
        printf("user %d is called %.15s\n", u->id, u->name);
    }
    for (i = 0; i < 2; i++)
        greet(u, s);

    printf("not reached\n");
    return 0;
}
