/*
 * gdb_backend.h — serving gdb's remote protocol on a replay: the backend
 * of cmds/gdb_server.h implemented over a timeline (core/, struct tl), so
 * gdb moves the same replay that rrtui's console and TUI show.
 */
#ifndef RRTUI_CMDS_GDB_BACKEND_H
#define RRTUI_CMDS_GDB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "cmds/gdb_server.h"

struct tl;

struct gdb_replay_opts {
	const char *host;        /* NULL: 127.0.0.1 (the caller warns when wider) */
	int port;                /* 0: any free port */
	/* Called once listening, with the port (print "target remote :PORT"). */
	void (*on_listen)(void *ctx, int port);
	void *ctx;
	/* Called after each motion gdb made (the console/TUI refresh). */
	void (*on_move)(void *ctx);
	/* Optional packet trace: dir is "<-" (from gdb) or "->". */
	void (*log)(void *ctx, const char *dir, const char *payload, size_t len);
	/* Optional: asked when a signal (Ctrl-C) interrupts the wait for gdb
	 * or for its next packet; nonzero gives up (the console's prompt
	 * comes back, the replay stays where gdb left it). */
	int (*cancelled)(void *ctx);
	/* Optional: gdb has been quiet for a moment (see gdb_serve_opts.idle). */
	void (*on_idle)(void *ctx);
	/* Optional: a gdb connected (before its first packet). */
	void (*on_begin)(void *ctx);
	/* Optional: how each gdb's session ended, once it has. */
	void (*on_end)(void *ctx, enum gdb_end end);
	/* End with the first gdb's session, as rr does; otherwise wait for
	 * the next gdb after each one, as gdbserver does, until cancelled()
	 * says to stop. */
	bool once;
};

/* gdb keeps the registers and frames it read until the target moves in a
 * way it knows of; a monitor command that moves the replay (restart, seek)
 * is not one. rr answers this with hooks in its gdbinit; these do the
 * same for rrtui (give them to gdb with -ix FILE or paste them). */
#define GDB_REPLAY_GDBINIT \
	"define hookpost-monitor\n" \
	"maintenance flush register-cache\n" \
	"end\n"

/* Listens and serves gdbs on the timeline, one at a time: each gdb finds
 * the replay where the last one left it (its breakpoints are gone with
 * it). Returns after the first session when opt->once, else when
 * opt->cancelled says so; the timeline stays usable afterwards. 0 or -1
 * with err. */
int gdb_replay_serve(struct tl *tl, const struct gdb_replay_opts *opt, char *err, size_t errlen);

/* The same backend without the socket it listens on (the fuzz target
 * serves it over a socketpair): new, then any number of serve_fd (one
 * connected client each, as gdb_replay_serve runs them), then free. */
struct gdb_replay;
int gdb_replay_new(struct tl *tl, const struct gdb_replay_opts *opt, struct gdb_replay **out,
		   char *err, size_t errlen);
int gdb_replay_serve_fd(struct gdb_replay *r, int fd, enum gdb_end *end, char *err,
			size_t errlen);
void gdb_replay_free(struct gdb_replay *r);

#endif
