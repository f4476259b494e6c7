/*
 * cmd_trace.c — commands that read traces without replaying them: `ls`
 * (the traces there are), `ps` (a trace's processes), `dump` (its events,
 * readably) and `pack` (make it self-contained).
 */
#include "cmds/cmds.h"
#include "core/core.h"
#include "core/sys.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

/* Parses the single optional TRACE argument and opens it. */
static int open_trace_arg(int argc, char **argv, int first, struct trace **t)
{
	char dir[4096], err[CORE_ERRLEN];
	if (argc - first > 1)
		return cmd_error("one trace at a time");
	if (trace_resolve(first < argc ? argv[first] : NULL, dir, sizeof dir, err, sizeof err) < 0 ||
	    trace_open(dir, t, err, sizeof err) < 0)
		return cmd_error("%s", err);
	return 0;
}

static void describe_status(const struct trace *t, char *out, size_t outlen)
{
	uint64_t n = trace_nevents(t);
	const struct trace_event *last = trace_event(t, n);
	if (last && last->kind == TRACE_EXIT) {
		int st = last->wait_status;
		if (WIFSIGNALED(st))
			snprintf(out, outlen, "killed by %s", sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
		else
			snprintf(out, outlen, "exit %d", WEXITSTATUS(st));
	} else {
		snprintf(out, outlen, "incomplete");
	}
}

static void join_args(const struct trace_header *h, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = 0;
	for (int i = 0; i < h->argc && n + 1 < outlen; i++) {
		int k = snprintf(out + n, outlen - n, "%s%s", i ? " " : "", h->argv[i]);
		if (k < 0)
			break;
		n += (size_t)k;
	}
}

int cmd_ls(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf("Usage: rrtui ls\n\nList the traces in the trace folder ($RRTUI_TRACE_DIR, else\n"
		       "$XDG_DATA_HOME/rrtui, else ~/.local/share/rrtui), oldest first:\n"
		       "name, date, events, how the program ended, and its command line.\n");
		return 0;
	}
	if (argc > 1)
		return cmd_error("ls takes no arguments");
	char root[4096], err[CORE_ERRLEN];
	if (trace_root_dir(root, sizeof root, err, sizeof err) < 0)
		return cmd_error("%s", err);
	struct dirent **names;
	int n = scandir(root, &names, NULL, versionsort);
	if (n < 0) {
		if (errno == ENOENT)
			return 0; /* no traces yet */
		return cmd_error("cannot list %s: %s", root, strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		char dir[8192];
		struct stat st;
		snprintf(dir, sizeof dir, "%s/%s", root, names[i]->d_name);
		struct trace *t;
		if (names[i]->d_name[0] != '.' && strcmp(names[i]->d_name, "latest-trace") != 0 &&
		    lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && trace_open(dir, &t, err, sizeof err) == 0) {
			char when[32], status[64], cmd[512];
			time_t at = (time_t)trace_header(t)->start_time;
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&at));
			describe_status(t, status, sizeof status);
			join_args(trace_header(t), cmd, sizeof cmd);
			printf("%-24s %s %8" PRIu64 " events  %-12s %s\n", names[i]->d_name, when,
			       trace_nevents(t), status, cmd);
			trace_close(t);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

int cmd_ps(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf("Usage: rrtui ps [TRACE]\n\nList the processes recorded in TRACE (default: the latest):\n"
		       "PID, parent PID, how it ended, command line.\n");
		return 0;
	}
	struct trace *t;
	if (open_trace_arg(argc, argv, 1, &t))
		return 1;
	char status[64], cmd[1024];
	describe_status(t, status, sizeof status);
	join_args(trace_header(t), cmd, sizeof cmd);
	printf("PID\tPPID\tEXIT\tCMD\n%d\t--\t%s\t%s\n", trace_header(t)->pid, status, cmd);
	trace_close(t);
	return 0;
}

/* Prints a value the way strace would: small numbers in decimal. */
static void print_arg(uint64_t v)
{
	if ((int64_t)v >= -4096 && (int64_t)v < 65536)
		printf("%" PRId64, (int64_t)v);
	else
		printf("0x%" PRIx64, v);
}

static void dump_event(const struct trace *t, const struct trace_event *e)
{
	printf("%" PRIu64 " ", e->no);
	switch (e->kind) {
	case TRACE_SYSCALL: {
		const struct sys_info *si = sys_lookup((long)e->nr);
		int nargs = si ? si->nargs : 6;
		if (si)
			printf("syscall %s(", si->name);
		else
			printf("syscall %" PRId64 "(", e->nr);
		for (int i = 0; i < nargs; i++) {
			if (i)
				printf(", ");
			print_arg(e->args[i]);
		}
		printf(") = ");
		if (e->result < 0 && e->result >= -4095)
			printf("-1 %s", strerrorname_np((int)-e->result) ? strerrorname_np((int)-e->result) : "E?");
		else
			print_arg((uint64_t)e->result);
		uint64_t bytes = 0;
		for (uint32_t i = 0; i < e->nregions; i++)
			bytes += e->regions[i].len;
		if (bytes)
			printf("  [wrote %" PRIu64 " bytes]", bytes);
		if (e->file >= 0)
			printf("  [file %s]", trace_file(t, e->file)->path);
		if (e->out_fd >= 0)
			printf("  [%s %" PRIu64 " bytes]", e->out_fd == 1 ? "stdout" : "stderr", e->out_len);
		break;
	}
	case TRACE_EXEC:
		printf("exec %s  [stack %" PRIu64 " bytes, entry 0x%llx]", e->exec_path, e->stack_len,
		       (unsigned long long)e->regs.rip);
		break;
	case TRACE_RDTSC:
		printf("%s = 0x%" PRIx64, e->tsc_insn_len == 3 ? "rdtscp" : "rdtsc",
		       (e->tsc_rdx << 32) | (e->tsc_rax & 0xffffffffu));
		break;
	case TRACE_SIGNAL:
		printf("signal SIG%s (%s) at 0x%llx", sigabbrev_np(e->signo) ? sigabbrev_np(e->signo) : "?",
		       e->sig_sync == TRACE_SIG_FAULT       ? "fault"
		       : e->sig_sync == TRACE_SIG_SIGNATURE ? "asynchronous, mid-computation"
		                                            : "asynchronous",
		       (unsigned long long)e->regs.rip);
		break;
	case TRACE_EXIT:
		if (WIFSIGNALED(e->wait_status))
			printf("exit killed by SIG%s", sigabbrev_np(WTERMSIG(e->wait_status)));
		else
			printf("exit status %d", WEXITSTATUS(e->wait_status));
		break;
	}
	putchar('\n');
}

/* "N", "A-B", "A-" or "-B". */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char *end;
	*lo = 1;
	*hi = UINT64_MAX;
	if (*s != '-') {
		*lo = strtoull(s, &end, 10);
		if (end == s)
			return -1;
		s = end;
		if (!*s) {
			*hi = *lo;
			return 0;
		}
	}
	if (*s != '-')
		return -1;
	s++;
	if (*s) {
		*hi = strtoull(s, &end, 10);
		if (end == s || *end)
			return -1;
	}
	return *lo <= *hi ? 0 : -1;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {{"events", required_argument, 0, 'e'},
	                                         {"header", no_argument, 0, 'H'},
	                                         {"help", no_argument, 0, 'h'},
	                                         {0, 0, 0, 0}};
	uint64_t lo = 1, hi = UINT64_MAX;
	int header = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "e:Hh", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (parse_range(optarg, &lo, &hi) < 0)
				return cmd_error("dump: bad event range %s (N, A-B, A- or -B)", optarg);
			break;
		case 'H':
			header = 1;
			break;
		case 'h':
			printf("Usage: rrtui dump [-e RANGE] [--header] [TRACE]\n\n"
			       "Print the events of TRACE (default: the latest), one a line: number, kind,\n"
			       "and for system calls the name, arguments and result.\n\n"
			       "Options:\n"
			       "  -e, --events RANGE  only events N, A-B, A- or -B\n"
			       "  -H, --header        print the trace's header (format version, program,\n"
			       "                      arguments) instead\n"
			       "  -h, --help          show this help\n");
			return 0;
		default:
			return cmd_error("usage: rrtui dump [-e RANGE] [TRACE]");
		}
	}
	struct trace *t;
	if (open_trace_arg(argc, argv, optind, &t))
		return 1;
	if (header) {
		const struct trace_header *h = trace_header(t);
		char cmd[2048];
		join_args(h, cmd, sizeof cmd);
		printf("version %u\npid %d\nexe %s\ncwd %s\nargs %s\nevents %" PRIu64 "\ncomplete %s\n",
		       h->version, h->pid, h->exe, h->cwd, cmd, trace_nevents(t), trace_complete(t) ? "yes" : "no");
	} else {
		for (uint64_t i = lo; i <= trace_nevents(t) && i <= hi; i++)
			dump_event(t, trace_event(t, i));
		if (!trace_complete(t))
			printf("(incomplete: the recording was cut short here)\n");
	}
	trace_close(t);
	return 0;
}

int cmd_pack(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf("Usage: rrtui pack [TRACE]\n\nCopy every file the recorded program mapped (its executable and\n"
		       "libraries) into TRACE, so that it replays on another machine or after\n"
		       "the files change.\n");
		return 0;
	}
	struct trace *t;
	if (open_trace_arg(argc, argv, 1, &t))
		return 1;
	char err[CORE_ERRLEN];
	int n, rc = trace_pack(t, &n, err, sizeof err);
	if (rc < 0)
		cmd_error("%s", err);
	else
		printf("rrtui: packed %s: copied %d of %d files\n", trace_dir(t), n, trace_nfiles(t));
	trace_close(t);
	return rc < 0 ? 1 : 0;
}
