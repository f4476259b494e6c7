/*
 * cmd_replay.c — `rrtui replay`: replay a trace. With -a (autopilot) the
 * replay runs to the end, writing the program's recorded output again, and
 * exits with the recorded status; -M marks each output line with the
 * process and the event that wrote it.
 *
 * Without -a it opens the debugger on the trace: gdb's options (-batch,
 * -ex, -x, -q), -g EVENT to start at an event, and the gdb remote server
 * (--gdb-port/-s, --gdb-host, --no-tui). The front end is the line-mode
 * console until the TUI exists; run_front_end() is where it will plug in.
 */
#include "cmds/cmds.h"
#include "cmds/console.h"
#include "cmds/dbg.h"
#include "cmds/gdb_backend.h"
#include "core/core.h"
#include "tui/tui.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dbg_cmd_markdown(FILE *f);

static void replay_usage(void)
{
	printf("Usage: rrtui replay [-a] [-M] [TRACE]\n"
	       "       rrtui replay [--cli] [-batch] [-ex CMD]... [-x FILE]... [-q] [-g EVENT] [TRACE]\n"
	       "\n"
	       "Replay TRACE (a folder, or a trace's name; default: the latest trace).\n"
	       "\n"
	       "Options:\n"
	       "  -a, --autopilot  replay to the end without the debugger, writing the\n"
	       "                   program's output again; exit with its recorded status\n"
	       "  -M, --mark-stdio prefix each output line with [rrtui PID EVENT]\n"
	       "  --cli            the line-mode console (readline)\n"
	       "  -batch           run the -ex/-x commands, then exit (like gdb -batch)\n"
	       "  -ex CMD          run debugger command CMD (repeatable, in order with -x)\n"
	       "  -x FILE          run the debugger commands in FILE\n"
	       "  -q               no banner\n"
	       "  -g EVENT         start at event EVENT\n"
	       "  -s, --gdb-port PORT  serve gdb's remote protocol on PORT (127.0.0.1)\n"
	       "  --gdb-host HOST  listen on HOST instead of 127.0.0.1\n"
	       "  --no-tui         only the gdb server, no console\n"
	       "  --once           end the gdb server when the first gdb leaves (default: wait for\n"
	       "                   the next gdb until Ctrl-C, then open the console)\n"
	       "  --help-commands  print the debugger command reference (markdown)\n"
	       "  -h, --help       show this help\n");
}

struct server_ctx {
	struct dbg *d;
	int once;
};

static void on_listen(void *ctx, int port)
{
	(void)ctx;
	fprintf(stderr, "rrtui: gdb server listening; connect with: gdb -ex 'target remote 127.0.0.1:%d'\n", port);
}

static void on_move(void *ctx)
{
	struct server_ctx *s = ctx;
	dbg_moved(s->d);
}

/* Ctrl-C stops a server that waits for gdb after gdb after gdb (without
 * --once); the console then opens where the last gdb left the replay. */
static volatile sig_atomic_t server_sigint;

static void on_server_sigint(int sig)
{
	(void)sig;
	server_sigint = 1;
}

static int server_cancelled(void *ctx)
{
	(void)ctx;
	return server_sigint;
}

static void on_server_end(void *ctx, enum gdb_end end)
{
	struct server_ctx *s = ctx;
	fprintf(stderr, "rrtui: gdb %s%s\n",
	        end == GDB_END_DETACH ? "detached" : end == GDB_END_KILL ? "killed the session" :
	        end == GDB_END_CANCELLED ? "session interrupted" : "disconnected",
	        s->once || end == GDB_END_CANCELLED ? "" : "; waiting for the next gdb (Ctrl-C stops the server)");
}

/* The front end: the TUI will be called here (tui_run from tui/tui.h)
 * when it lands and the user did not ask for --cli or -batch. */
/* The -ex and -x items, before the TUI opens (their output lands in its
 * console pane). */
static void run_items(struct dbg *d, const struct console_opts *co)
{
	for (int i = 0; i < co->nitems; i++) {
		if (!co->items[i].is_file) {
			dbg_execute(d, co->items[i].text);
			continue;
		}
		FILE *f = fopen(co->items[i].text, "re");
		if (!f) {
			cmd_error("%s: %s", co->items[i].text, strerror(errno));
			continue;
		}
		char line[4096];
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = 0;
			if (line[0] && line[0] != '#')
				dbg_execute_from(d, line, 0);
		}
		fclose(f);
	}
}

static int debug_trace(const char *dir, const struct console_opts *co, int cli, uint64_t start_event,
                       int at_crash, int port, const char *host, int no_tui, int once)
{
	char err[CORE_ERRLEN];
	struct dbg *d;
	/* The TUI is the default on a terminal; the console otherwise. Its
	 * print sink must exist before dbg_open, which already prints. */
	int use_tui = !cli && !co->batch && !no_tui && isatty(0) && isatty(1) && getenv("TERM") &&
	              strcmp(getenv("TERM"), "dumb") != 0;
	struct tui *tui = use_tui ? tui_new() : NULL;
	if (use_tui && !tui)
		return cmd_error("out of memory");
	struct dbg_options o = {.trace_dir = dir, .start_event = start_event, .at_crash = at_crash,
	                        .print = use_tui ? tui_print : console_print, .print_ctx = tui,
	                        .echo_output = !use_tui};
	if (dbg_open(&o, &d, err, sizeof err) < 0) {
		tui_free(tui);
		return cmd_error("%s", err);
	}
	if (!co->batch && !co->quiet && !use_tui)
		printf("rrtui: debugging the recording %s (%llu events). Type \"help\" for the commands.\n", dir,
		       (unsigned long long)trace_nevents(tl_trace(dbg_timeline(d))));
	dbg_announce(d);
	int status = 0;
	if (port >= 0) {
		if (host && strcmp(host, "127.0.0.1") != 0 && strcmp(host, "localhost") != 0 &&
		    strcmp(host, "::1") != 0)
			fprintf(stderr, "rrtui: warning: the gdb server on %s is reachable from other machines\n", host);
		struct server_ctx sc = {d, once};
		struct gdb_replay_opts go = {.host = host, .port = port, .on_listen = on_listen, .ctx = &sc,
		                             .on_move = on_move, .once = once, .cancelled = server_cancelled,
		                             .on_end = on_server_end};
		/* No SA_RESTART: the signal must interrupt the waits. */
		struct sigaction sa = {.sa_handler = on_server_sigint}, old_sa;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_sa);
		if (gdb_replay_serve(dbg_timeline(d), &go, err, sizeof err) < 0)
			status = cmd_error("%s", err);
		sigaction(SIGINT, &old_sa, NULL);
		dbg_moved(d);
	}
	if (!no_tui && status == 0) {
		if (use_tui) {
			run_items(d, co);
			if (tui_run(tui, d, err, sizeof err) < 0)
				status = cmd_error("%s", err);
		} else {
			status = console_run(d, co);
		}
	}
	dbg_close(d);
	tui_free(tui);
	return status;
}

int cmd_replay_debug(const char *dir, int at_crash);
int cmd_replay_debug(const char *dir, int at_crash)
{
	struct console_opts co = {0};
	/* The TUI on a terminal, the line-mode console otherwise. */
	return debug_trace(dir, &co, 0, 0, at_crash, -1, NULL, 0, 0);
}

struct out_state {
	int mark;
	int pid;
	int at_line_start[3];
};

static void write_output(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len)
{
	struct out_state *o = ctx;
	FILE *f = fd == 2 ? stderr : stdout;
	if (!o->mark) {
		fwrite(data, 1, len, f);
		fflush(f);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (o->at_line_start[fd])
			fprintf(f, "[rrtui %d %llu] ", o->pid, (unsigned long long)event);
		fputc(data[i], f);
		o->at_line_start[fd] = data[i] == '\n';
	}
	fflush(f);
}

int cmd_replay(int argc, char **argv)
{
	int autopilot = 0, mark = 0, cli = 0, no_tui = 0, port = -1, once = 0;
	uint64_t start_event = 0;
	const char *host = NULL, *trace = NULL;
	struct console_opts co = {0};
	struct console_item *items = calloc((size_t)argc + 1, sizeof *items);
	int nitems = 0;
	/* gdb's single-dash long options (-batch, -ex) mixed with short ones:
	 * parsed by hand. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define IS(x) (strcmp(a, x) == 0)
		if (IS("-a") || IS("--autopilot")) {
			autopilot = 1;
		} else if (IS("-M") || IS("--mark-stdio")) {
			mark = 1;
		} else if (IS("-aM") || IS("-Ma")) {
			autopilot = mark = 1;
		} else if (IS("-h") || IS("--help")) {
			replay_usage();
			free(items);
			return 0;
		} else if (IS("--help-commands")) {
			dbg_cmd_markdown(stdout);
			free(items);
			return 0;
		} else if (IS("--cli")) {
			cli = 1;
		} else if (IS("-batch") || IS("--batch")) {
			co.batch = 1;
		} else if (IS("-q") || IS("-quiet") || IS("--quiet") || IS("-silent") || IS("-nx") || IS("--nx")) {
			co.quiet = 1;
		} else if (IS("--no-tui")) {
			no_tui = 1;
		} else if (IS("--once")) {
			once = 1;
		} else if ((IS("-ex") || IS("--ex") || IS("-eval-command") || IS("--eval-command")) && val) {
			items[nitems++] = (struct console_item){0, val};
			i++;
		} else if ((IS("-x") || IS("--command") || IS("-command")) && val) {
			items[nitems++] = (struct console_item){1, val};
			i++;
		} else if (IS("-g") && val) {
			start_event = strtoull(val, NULL, 10);
			i++;
		} else if ((IS("-s") || IS("--gdb-port")) && val) {
			port = atoi(val);
			i++;
		} else if (IS("--gdb-host") && val) {
			host = val;
			i++;
		} else if (a[0] == '-' && a[1]) {
			free(items);
			return cmd_error("usage: rrtui replay [-a] [-M] [--cli] [-batch] [-ex CMD] [-x FILE] [-g EVENT] [TRACE] (unknown option %s)", a);
		} else if (!trace) {
			trace = a;
		} else {
			free(items);
			return cmd_error("replay: one trace at a time");
		}
#undef IS
	}
	co.items = items;
	co.nitems = nitems;
	if (!autopilot) {
		char dir[4096], err[CORE_ERRLEN];
		int rc;
		if (trace_resolve(trace, dir, sizeof dir, err, sizeof err) < 0)
			rc = cmd_error("%s", err);
		else
			rc = debug_trace(dir, &co, cli, start_event, 0, port, host, no_tui, once);
		free(items);
		return rc;
	}
	free(items);
	const char *tr = trace;
	char dir[4096], err[CORE_ERRLEN];
	if (trace_resolve(tr, dir, sizeof dir, err, sizeof err) < 0)
		return cmd_error("%s", err);
	struct rp_session *s;
	if (rp_open(dir, &s, err, sizeof err) < 0)
		return cmd_error("%s", err);
	struct out_state o = {mark, trace_header(rp_trace(s))->pid, {1, 1, 1}};
	rp_set_output(s, write_output, &o);
	int rc = rp_start(s, err, sizeof err);
	if (rc == 0)
		rc = rp_run(s, 0, err, sizeof err);
	int status;
	if (rc == RP_ENDED) {
		status = cmd_exit_code(rp_exit_status(s));
	} else if (rc == RP_INCOMPLETE) {
		status = cmd_error("trace %s is incomplete: the recording was cut short after event %llu",
		                   dir, (unsigned long long)trace_nevents(rp_trace(s)));
	} else {
		status = cmd_error("%s", err);
	}
	rp_close(s);
	return status;
}
