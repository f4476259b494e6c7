/*
 * cmd_record.c — `rrtui record` and `rrtui PROGRAM`: record a program, report
 * where its trace went, and exit as the program did; `rrtui PROGRAM` then
 * opens the debugger on the recording (at the crash if it crashed).
 */
#include "cmds/cmds.h"
#include "core/core.h"

#include <getopt.h>

int cmd_replay_debug(const char *dir, int at_crash);
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record_usage(void)
{
	printf("Usage: rrtui record [-o DIR] [--] PROGRAM [ARG...]\n"
	       "\n"
	       "Record PROGRAM running with ARGs. It uses the terminal and the standard\n"
	       "files as it would without rrtui; rrtui exits with its exit status (128+N\n"
	       "when signal N killed it) and prints the trace folder on stderr.\n"
	       "\n"
	       "Options:\n"
	       "  -o, --output DIR  write the trace into DIR (created; must not hold a trace)\n"
	       "  -h, --help        show this help\n"
	       "\n"
	       "Without -o, the trace goes to a new folder under $RRTUI_TRACE_DIR, else\n"
	       "$XDG_DATA_HOME/rrtui, else ~/.local/share/rrtui, and `latest-trace` there\n"
	       "points at it.\n");
}

/* Records argv; fills status with the program's wait status. */
static int do_record(const char *out_dir, char **argv, struct rec_result *res)
{
	char err[CORE_ERRLEN];
	struct rec_options opt = {.out_dir = out_dir, .argv = argv};
	const char *v = getenv("RRTUI_FORCE_TRACE_VERSION");
	if (v && *v)
		opt.force_version = atoi(v); /* for tests of the version check */
	if (rec_record(&opt, res, err, sizeof err) < 0) {
		if (res->trace_dir[0] && res->nevents)
			cmd_error("%s (the trace so far is in %s)", err, res->trace_dir);
		else
			cmd_error("%s", err);
		return -1;
	}
	fprintf(stderr, "rrtui: trace saved in %s\n", res->trace_dir);
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	const char *out_dir = NULL;
	int c;
	optind = 1;
	/* '+': stop at the program's name, its options are its own. */
	while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_dir = optarg;
			break;
		case 'h':
			record_usage();
			return 0;
		default:
			return cmd_error("usage: rrtui record [-o DIR] [--] PROGRAM [ARG...]");
		}
	}
	if (optind >= argc)
		return cmd_error("record: no program given (usage: rrtui record [-o DIR] PROGRAM [ARG...])");
	struct rec_result res;
	if (do_record(out_dir, argv + optind, &res) < 0)
		return 1;
	return cmd_exit_code(res.wait_status);
}

int cmd_default(int argc, char **argv)
{
	if (argc < 1)
		return cmd_error("no program given");
	struct rec_result res;
	if (do_record(NULL, argv, &res) < 0)
		return 1;
	/* The debugger on the recording: at its start, or at the crash. */
	(void)cmd_replay_debug(res.trace_dir, 1);
	return cmd_exit_code(res.wait_status);
}
