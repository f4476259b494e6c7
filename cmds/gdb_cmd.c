/*
 * gdb_cmd.c — the console command that starts the gdb remote server from
 * inside a debugging session: `gdbserver [HOST:]PORT` (alias
 * `target-server`), typed at rrtui's prompt or in the TUI's console pane.
 * It serves gdb on the session's own timeline (gdb_replay_serve), so what
 * gdb does moves the replay the console and the TUI show. As gdbserver
 * does, it waits for the next gdb after each one detaches, kills or goes
 * away (which then finds the replay where the last one left it), until
 * Ctrl-C stops it; `gdbserver --once PORT` returns with the first gdb's
 * end, as rr's server does. The session then shows where gdb left the
 * replay.
 *
 * While gdb drives, the command is still running, so the TUI cannot redraw
 * its panes: each move gdb makes is shown through the session's progress
 * callback instead (the TUI's status line: the event out of the
 * recording's, as a bar), and every pane catches up when the command ends.
 * It links into rrtui only (it needs the session, cmds/dbg_int.h); the
 * server library stays free of the session for the tests.
 */
#include "cmds/dbg_int.h"
#include "cmds/gdb_backend.h"
#include "cmds/gdb_server.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbg_cmd_gdbserver(struct dbg *d, const char *args, int from_tty);

struct gdbcmd {
	struct dbg *d;
	char host[256];
	int port;
	bool once;
	bool waiting;   /* for a gdb (the status line says so when idle) */
	enum gdb_end end;
	int ended;
};

static void show_progress(struct gdbcmd *c, const char *what, double fraction)
{
	if (c->d->progress)
		c->d->progress(c->d->progress_ctx, what, fraction);
}

static void show_waiting(struct gdbcmd *c)
{
	char what[sizeof c->host + 64];

	snprintf(what, sizeof what, "waiting for gdb on %s:%d", c->host, c->port);
	show_progress(c, what, 0);
}

static void on_listen(void *ctx, int port)
{
	struct gdbcmd *c = ctx;

	c->port = port;
	dbg_printf(c->d, "Listening for gdb on %s:%d; in gdb: target remote %s:%d\n", c->host,
	           port, c->host, port);
	if (!c->once)
		dbg_printf(c->d, "(gdb may leave and come back; Ctrl-C stops the server.)\n");
	/* A script (or a test) reads the port from a pipe: it must not wait
	 * in stdio's buffer while we block on accept. */
	fflush(stdout);
	c->waiting = true;
	show_waiting(c);
}

/* gdb moved the replay: the session forgets what it cached, and the front
 * end hears where the replay now is. */
static void on_move_show(struct gdbcmd *c)
{
	struct tl *tl = dbg_timeline(c->d);
	uint64_t n = trace_nevents(tl_trace(tl)), e = tl_position(tl).event;
	char what[128];

	snprintf(what, sizeof what, "gdb on port %d: event %" PRIu64 "/%" PRIu64, c->port, e, n);
	show_progress(c, what, n ? (double)e / (double)n : 0);
}

static void on_move(void *ctx)
{
	struct gdbcmd *c = ctx;

	dbg_moved(c->d);
	on_move_show(c);
}

/* gdb is quiet: show the state once more, since the front end may have
 * skipped drawing the last move (the TUI throttles its progress line). */
static void on_idle(void *ctx)
{
	struct gdbcmd *c = ctx;

	if (c->waiting)
		show_waiting(c);
	else
		on_move_show(c);
}

static void on_begin(void *ctx)
{
	struct gdbcmd *c = ctx;

	c->waiting = false;
	on_move_show(c);
}

/* Ctrl-C interrupts the blocking waits with EINTR; the session's flag says
 * it was meant for us. */
static int cancelled(void *ctx)
{
	struct gdbcmd *c = ctx;

	return c->d->interrupted != 0;
}

static const char *end_text(enum gdb_end end)
{
	return end == GDB_END_DETACH ? "detached" : end == GDB_END_KILL ? "killed the session" :
	       end == GDB_END_CANCELLED ? "session interrupted" : "disconnected";
}

/* After each gdb: say how it ended and, when the server goes on, that it
 * waits for the next one (the TUI's status line too). */
static void on_end(void *ctx, enum gdb_end end)
{
	struct gdbcmd *c = ctx;

	c->end = end;
	c->ended = 1;
	dbg_printf(c->d, "gdb %s.\n", end_text(end));
	if (c->once || end == GDB_END_CANCELLED)
		return;
	dbg_printf(c->d, "Waiting for the next gdb on %s:%d (Ctrl-C stops the server).\n", c->host,
	           c->port);
	fflush(stdout);
	c->waiting = true;
	show_waiting(c);	/* drawn for sure by on_idle, if the TUI throttles this */
}

/* "PORT", ":PORT" or "HOST:PORT" (the last colon splits, so an IPv6
 * address works as "[::1]:PORT" or "::1:PORT"). */
static int parse_addr(const char *args, char *host, size_t hostcap, int *port)
{
	const char *colon = strrchr(args, ':');
	const char *p = colon ? colon + 1 : args;
	char *end;
	long v;

	snprintf(host, hostcap, "%s", GDB_DEFAULT_HOST);
	if (colon && colon > args) {
		size_t n = (size_t)(colon - args);
		if (args[0] == '[' && colon[-1] == ']') {
			args++;
			n -= 2;
		}
		if (n == 0 || n >= hostcap)
			return -1;
		memcpy(host, args, n);
		host[n] = '\0';
	}
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtol(p, &end, 10);
	while (*end == ' ')
		end++;
	if (errno || *end || v < 0 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int dbg_cmd_gdbserver(struct dbg *d, const char *args, int from_tty)
{
	struct gdbcmd c = { .d = d };
	char err[CORE_ERRLEN];
	int port;

	(void)from_tty;
	while (args && strncmp(args, "--once", 6) == 0 && (args[6] == ' ' || !args[6])) {
		c.once = true;
		args += 6;
		while (*args == ' ')
			args++;
	}
	if (!args || !*args || parse_addr(args, c.host, sizeof c.host, &port) < 0)
		return dbg_error(d, "Usage: gdbserver [--once] [HOST:]PORT (PORT 0: any free port).");
	if (!gdb_host_is_loopback(c.host))
		dbg_printf(d, "warning: the gdb server on %s is reachable from other machines, "
		              "which can then read the recorded process's memory\n", c.host);
	struct gdb_replay_opts o = { .host = c.host, .port = port, .on_listen = on_listen,
	                             .on_move = on_move, .on_idle = on_idle, .cancelled = cancelled,
	                             .on_begin = on_begin, .on_end = on_end, .ctx = &c,
	                             .once = c.once};
	int rc = gdb_replay_serve(dbg_timeline(d), &o, err, sizeof err);
	/* The replay is where gdb left it, whatever happened. */
	dbg_moved(d);
	show_progress(&c, NULL, -1);
	if (rc < 0) {
		dbg_error(d, "%s", err);
		dbg_announce(d);
		return DBG_ERROR;
	}
	/* Each session's end is told by on_end; without --once (or before
	 * the first gdb came) Ctrl-C was the way out. */
	if (!c.once || !c.ended)
		dbg_printf(d, "gdb server stopped.\n");
	dbg_announce(d);
	return DBG_OK;
}
