/*
 * gdb_replay_server.c — serves a real replay to one real gdb, for
 * tests/gdb_replay.sh: opens the trace named on the command line with
 * tl_open and runs gdb_replay_serve on a free loopback port, printing the
 * port and a newline on stdout as soon as it listens (the script reads it
 * before it starts gdb, so nothing has to sleep).
 *
 * When gdb has gone, it prints on stderr what the engine itself says about
 * the final stop — "engine: rax=… … gs_base=… event=… position=… stack=…"
 * from tl_get_regs and tl_read —
 * so the script can check that gdb's `info registers` showed the engine's
 * values, and then makes one more stepi, which shows the timeline is still
 * usable after the session. How each session ended comes first, as
 * "session: detach at POSITION" (kill, disconnect, cancelled). "-v" traces
 * packets on stderr. "--once" ends with the first gdb's session; without
 * it the server waits for gdb after gdb, until SIGINT stops it.
 */
#include "cmds/gdb_backend.h"
#include "core/core.h"

#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void on_listen(void *ctx, int port)
{
	(void)ctx;
	printf("%d\n", port);
	fflush(stdout);
}

static void on_end(void *ctx, enum gdb_end end)
{
	struct tl *tl = ctx;
	struct tl_pos p = tl_position(tl);
	char pos[TL_POS_STRLEN];

	tl_position_format(&p, pos, sizeof pos);
	fprintf(stderr, "session: %s at %s\n", end == GDB_END_DETACH ? "detach" :
		end == GDB_END_KILL ? "kill" : end == GDB_END_CANCELLED ? "cancelled" : "disconnect",
		pos);
}

/* SIGINT ends the server (without --once), between or during sessions. */
static volatile sig_atomic_t stop;

static void on_sigint(int sig)
{
	(void)sig;
	stop = 1;
}

static int cancelled(void *ctx)
{
	(void)ctx;
	return stop;
}

static void trace(void *ctx, const char *dir, const char *payload, size_t len)
{
	(void)ctx;
	fprintf(stderr, "%s %.*s\n", dir, (int)(len > 200 ? 200 : len), payload);
}

static void print_regs(struct tl *tl, const char *what)
{
	struct user_regs_struct r;
	char err[CORE_ERRLEN], pos[TL_POS_STRLEN];
	struct tl_pos p = tl_position(tl);

	tl_position_format(&p, pos, sizeof pos);
	if (tl_get_regs(tl, &r, err, sizeof err) < 0) {
		fprintf(stderr, "%s: no registers (%s) at %s\n", what, err, pos);
		return;
	}
	/* Every register gdb's `info registers` shows for our target
	 * description, by gdb's names. */
	const struct { const char *name; unsigned long long v; } regs[] = {
		{ "rax", r.rax }, { "rbx", r.rbx }, { "rcx", r.rcx }, { "rdx", r.rdx },
		{ "rsi", r.rsi }, { "rdi", r.rdi }, { "rbp", r.rbp }, { "rsp", r.rsp },
		{ "r8", r.r8 }, { "r9", r.r9 }, { "r10", r.r10 }, { "r11", r.r11 },
		{ "r12", r.r12 }, { "r13", r.r13 }, { "r14", r.r14 }, { "r15", r.r15 },
		{ "rip", r.rip }, { "eflags", r.eflags }, { "cs", r.cs }, { "ss", r.ss },
		{ "ds", r.ds }, { "es", r.es }, { "fs", r.fs }, { "gs", r.gs },
		{ "fs_base", r.fs_base }, { "gs_base", r.gs_base },
	};
	fprintf(stderr, "%s:", what);
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
		fprintf(stderr, " %s=0x%llx", regs[i].name, regs[i].v);
	fprintf(stderr, " event=%" PRIu64 " position=%s stack=", p.event, pos);
	/* The bytes gdb's x/16xb $rsp shows, for the same comparison. */
	uint8_t m[16];
	if (tl_read(tl, r.rsp, m, sizeof m, err, sizeof err) == 0)
		for (size_t i = 0; i < sizeof m; i++)
			fprintf(stderr, "0x%02x%s", m[i], i + 1 < sizeof m ? "," : "");
	fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	struct gdb_replay_opts opt = { .on_listen = on_listen, .on_end = on_end,
				       .cancelled = cancelled };
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART */
	const char *dir = NULL;
	char err[CORE_ERRLEN];
	struct tl *tl;
	struct tl_stop st;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			opt.log = trace;
		else if (strcmp(argv[i], "--once") == 0)
			opt.once = true;
		else
			dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "usage: gdb_replay_server [-v] [--once] TRACE-DIR\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (tl_open(dir, NULL, &tl, err, sizeof err) < 0) {
		fprintf(stderr, "tl_open: %s\n", err);
		return 1;
	}
	opt.ctx = tl;
	if (gdb_replay_serve(tl, &opt, err, sizeof err) < 0) {
		fprintf(stderr, "gdb_replay_serve: %s\n", err);
		tl_close(tl);
		return 1;
	}
	print_regs(tl, "engine");
	if (!tl_at_end(tl, NULL)) {
		if (tl_stepi(tl, &st, err, sizeof err) < 0) {
			fprintf(stderr, "stepi after the session: %s\n", err);
			tl_close(tl);
			return 1;
		}
		print_regs(tl, "after stepi");
	}
	tl_close(tl);
	return 0;
}
