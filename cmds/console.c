/*
 * console.c — the line-mode console: gdb's prompt over a debugger session.
 *
 * Commands come first from -ex and -x in command-line order (a failing
 * command in a -x file ends that file, as in gdb), then, unless -batch,
 * from the prompt `(rrtui) `. On a terminal the prompt is readline's:
 * history saved per user ($RRTUI_HISTORY, else
 * ~/.local/share/rrtui/history), TAB completion from dbg_complete, Ctrl-C
 * interrupting a long motion. Enter on an empty line repeats the last
 * stepping command (dbg_execute does that).
 *
 * readline keeps its state in globals and calls back without a context
 * pointer, so the session it completes for lives in one static here: the
 * only global state of the debugger, as the project's rules allow for the
 * readline glue.
 */
#include "cmds/console.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

static struct dbg *rl_session; /* readline glue: completion and Ctrl-C */

void console_print(void *ctx, const char *text, size_t len, int is_error)
{
	(void)ctx;
	FILE *f = is_error ? stderr : stdout;
	if (is_error)
		fflush(stdout);
	fwrite(text, 1, len, f);
	fflush(f);
}

static int run_file(struct dbg *d, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s.\n", path, strerror(errno));
		return DBG_ERROR;
	}
	char line[4096];
	int rc = DBG_OK;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		/* an empty line in a script does not repeat the last command */
		if (!*p || *p == '#')
			continue;
		rc = dbg_execute_from(d, p, 0);
		if (rc != DBG_OK)
			break;
	}
	fclose(f);
	return rc;
}

static void history_path(char *out, size_t outlen)
{
	const char *h = getenv("RRTUI_HISTORY");
	if (h && *h) {
		snprintf(out, outlen, "%s", h);
		return;
	}
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_DATA_HOME");
	char dir[4000];
	if (xdg && *xdg)
		snprintf(dir, sizeof dir, "%.3900s/rrtui", xdg);
	else
		snprintf(dir, sizeof dir, "%.3900s/.local/share/rrtui", home ? home : ".");
	/* create the folder (and its parents) quietly */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	snprintf(out, outlen, "%s/history", dir);
}

static char *completion_entry(const char *text, int state)
{
	(void)text;
	static char **list; /* readline glue: the matches being handed out */
	static int next;
	if (state == 0) {
		if (list) {
			for (int i = 0; list[i]; i++)
				free(list[i]);
			free(list);
		}
		list = rl_session ? dbg_complete(rl_session, rl_line_buffer, rl_point) : NULL;
		next = 0;
	}
	if (!list || !list[next])
		return NULL;
	return strdup(list[next++]);
}

static char **completion(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, completion_entry);
}

static void on_sigint(int sig)
{
	(void)sig;
	if (rl_session)
		dbg_interrupt(rl_session);
}

static int interactive(struct dbg *d)
{
	char hist[4096];
	history_path(hist, sizeof hist);
	int tty = isatty(STDIN_FILENO);
	if (tty) {
		rl_readline_name = "rrtui";
		rl_attempted_completion_function = completion;
		using_history();
		read_history(hist);
	}
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	int rc = DBG_OK;
	for (;;) {
		char *line;
		if (tty) {
			line = readline("(rrtui) ");
		} else {
			char buf[4096];
			fputs("(rrtui) ", stdout);
			fflush(stdout);
			line = fgets(buf, sizeof buf, stdin) ? strdup(buf) : NULL;
			if (line)
				line[strcspn(line, "\n")] = 0;
		}
		if (!line) {
			if (tty)
				putchar('\n');
			fputs("quit\n", stdout);
			break;
		}
		if (tty && *line) {
			HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
			if (!last || strcmp(last->line, line) != 0)
				add_history(line);
		}
		rc = dbg_execute(d, line);
		free(line);
		if (rc == DBG_QUIT)
			break;
	}
	sigaction(SIGINT, &old, NULL);
	if (tty) {
		stifle_history(1000);
		write_history(hist);
	}
	return 0;
}

int console_run(struct dbg *d, const struct console_opts *o)
{
	rl_session = d;
	int rc = DBG_OK;
	for (int i = 0; i < o->nitems; i++) {
		/* gdb runs -ex commands as typed, except in batch mode. */
		rc = o->items[i].is_file ? run_file(d, o->items[i].text)
		                         : dbg_execute_from(d, o->items[i].text, !o->batch);
		if (rc == DBG_QUIT) {
			rl_session = NULL;
			return 0;
		}
	}
	int status = rc == DBG_ERROR ? 1 : 0;
	if (!o->batch)
		status = interactive(d);
	rl_session = NULL;
	return status;
}
