/*
 * main.c — rrtui's entry point: picks the subcommand (record, replay, ls, ps,
 * dump, pack) or, given a program, records it and opens the debugger.
 */
#include "cmds/cmds.h"
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{"record", cmd_record, "record a program into a trace"},
	{"replay", cmd_replay, "replay a trace (debugger, or -a to re-run its output)"},
	{"ls", cmd_ls, "list the recorded traces"},
	{"ps", cmd_ps, "list the processes of a trace"},
	{"dump", cmd_dump, "print the events of a trace"},
	{"pack", cmd_pack, "copy every mapped file into a trace, so it replays anywhere"},
};

int cmd_error(const char *fmt, ...)
{
	va_list ap;
	fputs("rrtui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cmd_exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

int cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: rrtui [--] PROGRAM [ARG...]\n"
	        "       rrtui COMMAND [OPTION...] [ARG...]\n"
	        "\n"
	        "A record-and-replay, reversible debugger for Linux x86-64 that needs no\n"
	        "hardware performance counters. Given a program, rrtui records it (it runs on\n"
	        "the terminal as usual) and then opens the debugger on the recording.\n"
	        "\n"
	        "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
	        "\n"
	        "Options:\n"
	        "  -h, --help     show this help (COMMAND --help: that command's)\n"
	        "  -V, --version  show the version\n"
	        "\n"
	        "A program named like a command is recorded with `rrtui record NAME` or\n"
	        "`rrtui -- NAME`. Traces live in $RRTUI_TRACE_DIR, else $XDG_DATA_HOME/rrtui,\n"
	        "else ~/.local/share/rrtui.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	const char *a = argv[1];
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
		printf("rrtui %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(a, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (strcmp(a, "--") == 0)
		return cmd_default(argc - 2, argv + 2);
	if (a[0] == '-')
		return cmd_error("unknown option %s (try rrtui --help)", a);
	/* A word that is neither a command nor a program. */
	if (!strchr(a, '/')) {
		int looks_like_program = 0;
		char path[4096];
		const char *p = getenv("PATH");
		while (p && *p && !looks_like_program) {
			const char *end = strchr(p, ':');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			snprintf(path, sizeof path, "%.*s/%s", (int)n, p, a);
			looks_like_program = access(path, X_OK) == 0;
			p += n + (end ? 1 : 0);
		}
		if (!looks_like_program)
			return cmd_error("unknown command or program: %s (try rrtui --help)", a);
	}
	return cmd_default(argc - 1, argv + 1);
}
