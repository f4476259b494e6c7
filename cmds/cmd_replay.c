/*
 * cmd_replay.c — `rrtui replay`: replay a trace. With -a (autopilot) the
 * replay runs to the end, writing the program's recorded output again, and
 * exits with the recorded status; -M marks each output line with the
 * process and the event that wrote it.
 */
#include "cmds/cmds.h"
#include "core/core.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void replay_usage(void)
{
	printf("Usage: rrtui replay [-a] [-M] [TRACE]\n"
	       "\n"
	       "Replay TRACE (a folder, or a trace's name; default: the latest trace).\n"
	       "\n"
	       "Options:\n"
	       "  -a, --autopilot  replay to the end without the debugger, writing the\n"
	       "                   program's output again; exit with its recorded status\n"
	       "  -M, --mark-stdio prefix each output line with [rrtui PID EVENT]\n"
	       "  -h, --help       show this help\n");
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
	static const struct option longopts[] = {{"autopilot", no_argument, 0, 'a'},
	                                         {"mark-stdio", no_argument, 0, 'M'},
	                                         {"help", no_argument, 0, 'h'},
	                                         {0, 0, 0, 0}};
	int autopilot = 0, mark = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "aMh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			autopilot = 1;
			break;
		case 'M':
			mark = 1;
			break;
		case 'h':
			replay_usage();
			return 0;
		default:
			return cmd_error("usage: rrtui replay [-a] [-M] [TRACE]");
		}
	}
	if (argc - optind > 1)
		return cmd_error("replay: one trace at a time");
	if (!autopilot)
		return cmd_error("replay: the debugger is not built yet; use -a (autopilot)");
	char dir[4096], err[CORE_ERRLEN];
	if (trace_resolve(optind < argc ? argv[optind] : NULL, dir, sizeof dir, err, sizeof err) < 0)
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
