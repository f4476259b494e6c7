/*
 * gdb_fake_server.c — serves the scripted fake replay (tests/gdb_fake.c)
 * to one real gdb, for tests/gdb_server.sh. It listens on 127.0.0.1 on a
 * free port, prints the port and a newline on stdout (the test reads it
 * before starting gdb, so nothing has to sleep), serves one connection and
 * prints how it ended on stderr. "-v" traces packets on stderr.
 */
#include "tests/gdb_fake.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void trace(void *arg, const char *dir, const char *payload, size_t len)
{
	(void)arg;
	fprintf(stderr, "%s %.*s\n", dir, (int)(len > 200 ? 200 : len), payload);
}

int main(int argc, char **argv)
{
	static struct gdb_fake fake;
	struct gdb_serve_opts opts = { .ops = &gdb_fake_ops, .be = &fake };
	char err[256];
	int lfd, fd, port;
	enum gdb_end end;

	gdb_fake_init(&fake);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			opts.log = trace;
		else if (strcmp(argv[i], "--exit") == 0)
			fake.exit_at_end = true;
	}
	if (gdb_listen(NULL, 0, &lfd, &port, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("%d\n", port);
	fflush(stdout);
	if (gdb_accept(lfd, &fd, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	close(lfd);
	if (gdb_serve(fd, &opts, &end, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	close(fd);
	fprintf(stderr, "session ended: %s, at event %zu\n",
		end == GDB_END_DETACH ? "detach" : end == GDB_END_KILL ? "kill" : "disconnect",
		fake.pos);
	return 0;
}
