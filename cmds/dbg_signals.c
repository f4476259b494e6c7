/*
 * dbg_signals.c — gdb's signal table over a replay: `handle`, `info signals`
 * (`info handle`), and the answers the motions ask of it (does a signal stop
 * the program, is it printed, what gdb calls it).
 *
 * Names, descriptions and defaults are gdb's (infrun.c, signals.def), for
 * the signals Linux has, so that a session prints what gdb prints. A replay
 * delivers what was recorded, whatever the table says: "pass" is what it
 * does anyway, and "nopass" ("ignore") is refused rather than silently not
 * honoured.
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct sig_info {
	int no;                  /* Linux signal number */
	const char *name;        /* gdb's name */
	const char *desc;        /* gdb's description */
	int quiet;               /* gdb's default: nostop noprint */
};

/* In gdb's order (`info signals` lists them so); real-time ones after. */
static const struct sig_info sigs[] = {
	{SIGHUP, "SIGHUP", "Hangup", 0},
	{SIGINT, "SIGINT", "Interrupt", 0},
	{SIGQUIT, "SIGQUIT", "Quit", 0},
	{SIGILL, "SIGILL", "Illegal instruction", 0},
	{SIGTRAP, "SIGTRAP", "Trace/breakpoint trap", 0},
	{SIGABRT, "SIGABRT", "Aborted", 0},
	{SIGFPE, "SIGFPE", "Arithmetic exception", 0},
	{SIGKILL, "SIGKILL", "Killed", 0},
	{SIGBUS, "SIGBUS", "Bus error", 0},
	{SIGSEGV, "SIGSEGV", "Segmentation fault", 0},
	{SIGSYS, "SIGSYS", "Bad system call", 0},
	{SIGPIPE, "SIGPIPE", "Broken pipe", 0},
	{SIGALRM, "SIGALRM", "Alarm clock", 1},
	{SIGTERM, "SIGTERM", "Terminated", 0},
	{SIGURG, "SIGURG", "Urgent I/O condition", 1},
	{SIGSTOP, "SIGSTOP", "Stopped (signal)", 0},
	{SIGTSTP, "SIGTSTP", "Stopped (user)", 0},
	{SIGCONT, "SIGCONT", "Continued", 0},
	{SIGCHLD, "SIGCHLD", "Child status changed", 1},
	{SIGTTIN, "SIGTTIN", "Stopped (tty input)", 0},
	{SIGTTOU, "SIGTTOU", "Stopped (tty output)", 0},
	{SIGIO, "SIGIO", "I/O possible", 1},
	{SIGXCPU, "SIGXCPU", "CPU time limit exceeded", 0},
	{SIGXFSZ, "SIGXFSZ", "File size limit exceeded", 0},
	{SIGVTALRM, "SIGVTALRM", "Virtual timer expired", 1},
	{SIGPROF, "SIGPROF", "Profiling timer expired", 1},
	{SIGWINCH, "SIGWINCH", "Window size changed", 1},
	{SIGUSR1, "SIGUSR1", "User defined signal 1", 0},
	{SIGUSR2, "SIGUSR2", "User defined signal 2", 0},
	{SIGPWR, "SIGPWR", "Power fail/restart", 0},
	{SIGSTKFLT, "SIGSTKFLT", "Stack fault", 0},
};
#define NSIGS ((int)(sizeof sigs / sizeof sigs[0]))

static const struct sig_info *sig_by_no(int signo)
{
	for (int i = 0; i < NSIGS; i++)
		if (sigs[i].no == signo)
			return &sigs[i];
	return NULL;
}

const char *dbg_sig_name(int signo)
{
	static char buf[16];
	const struct sig_info *s = sig_by_no(signo);
	if (s)
		return s->name;
	if (signo >= 32 && signo < DBG_NSIG) {
		snprintf(buf, sizeof buf, "SIG%d", signo);
		return buf;
	}
	return "?";
}

const char *dbg_sig_desc(int signo)
{
	static char buf[32];
	const struct sig_info *s = sig_by_no(signo);
	if (s)
		return s->desc;
	if (signo >= 32 && signo < DBG_NSIG) {
		snprintf(buf, sizeof buf, "Real-time event %d", signo);
		return buf;
	}
	return "Unknown signal";
}

void dbg_sig_init(struct dbg *d)
{
	for (int s = 0; s < DBG_NSIG; s++) {
		const struct sig_info *i = sig_by_no(s);
		int quiet = i && i->quiet;
		d->sig_stop[s] = d->sig_print[s] = (unsigned char)!quiet;
		d->sig_pass[s] = (unsigned char)(s != SIGINT && s != SIGTRAP);
	}
	d->sig_gen++;
}

int dbg_sig_stops(const struct dbg *d, int signo)
{
	return signo > 0 && signo < DBG_NSIG && d->sig_stop[signo];
}

int dbg_sig_prints(const struct dbg *d, int signo)
{
	return signo > 0 && signo < DBG_NSIG && d->sig_print[signo];
}

/* gdb's numbers 1-15 name its own signals, in the old Unix order (10 is
 * SIGBUS, not Linux's SIGUSR1); 7, SIGEMT, does not exist on Linux. */
static int sig_from_number(struct dbg *d, long n)
{
	static const int unix_order[16] = {0,       SIGHUP, SIGINT,  SIGQUIT, SIGILL,  SIGTRAP,
	                                   SIGABRT, 0,      SIGFPE,  SIGKILL, SIGBUS,  SIGSEGV,
	                                   SIGSYS,  SIGPIPE, SIGALRM, SIGTERM};
	if (n < 1 || n > 15)
		return dbg_error(d, "Only signals 1-15 are valid as numeric signals.\n"
		                    "Use \"info signals\" for a list of symbolic signals.");
	if (!unix_order[n])
		return dbg_error(d, "Signal %ld (gdb's SIGEMT) does not exist on Linux.", n);
	return unix_order[n];
}

/* "SIGUSR1" (exact, as gdb: case matters) or "SIG34"; 0 when unknown. */
static int sig_from_name(const char *w, size_t len)
{
	for (int i = 0; i < NSIGS; i++)
		if (strlen(sigs[i].name) == len && strncmp(sigs[i].name, w, len) == 0)
			return sigs[i].no;
	if (len == 7 && strncmp(w, "SIGPOLL", 7) == 0)
		return SIGIO; /* the same signal on Linux */
	if (len > 3 && strncmp(w, "SIG", 3) == 0 && isdigit((unsigned char)w[3])) {
		char num[8] = {0};
		if (len - 3 >= sizeof num)
			return 0;
		memcpy(num, w + 3, len - 3);
		char *end;
		long n = strtol(num, &end, 10);
		if (!*end && n >= 32 && n < DBG_NSIG)
			return (int)n;
	}
	return 0;
}

static void print_header(struct dbg *d)
{
	dbg_puts(d, "Signal        Stop\tPrint\tPass to program\tDescription\n");
}

static void print_row(struct dbg *d, int s)
{
	dbg_printf(d, "%-13s %s\t%s\t%s\t\t%s\n", dbg_sig_name(s), d->sig_stop[s] ? "Yes" : "No",
	           d->sig_print[s] ? "Yes" : "No", d->sig_pass[s] ? "Yes" : "No", dbg_sig_desc(s));
}

/* A word of `handle` that is an action: which (bit 0 stop, 1 nostop, 2
 * print, 3 noprint, 4 pass, 5 nopass), or 0. gdb's minimum prefixes. */
enum { A_STOP = 1, A_NOSTOP = 2, A_PRINT = 4, A_NOPRINT = 8, A_PASS = 16, A_NOPASS = 32 };
static int action_word(const char *w, size_t len)
{
	static const struct {
		const char *word;
		size_t min;
		int action;
	} acts[] = {
	    {"stop", 1, A_STOP},       {"ignore", 1, A_NOPASS},   {"print", 2, A_PRINT},
	    {"pass", 2, A_PASS},       {"nostop", 3, A_NOSTOP},   {"noignore", 3, A_PASS},
	    {"noprint", 4, A_NOPRINT}, {"nopass", 4, A_NOPASS},
	};
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (len >= acts[i].min && len <= strlen(acts[i].word) && strncmp(acts[i].word, w, len) == 0)
			return acts[i].action;
	return 0;
}

/* A signal word: a name, "all", or gdb's numbers 1-15 (N or N-M). Sets
 * want[] and returns 0, or prints gdb's error. */
static int signal_word(struct dbg *d, const char *w, size_t len, unsigned char *want)
{
	if (len <= 3 && strncmp("all", w, len) == 0) {
		/* gdb's "all" leaves the signals it uses alone. */
		for (int s = 1; s < DBG_NSIG; s++)
			if (s != SIGINT && s != SIGTRAP && (sig_by_no(s) || s >= 32))
				want[s] = 1;
		return 0;
	}
	if (isdigit((unsigned char)w[0])) {
		char *end;
		long a = strtol(w, &end, 10), b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (a > b) {
			long t = a;
			a = b, b = t;
		}
		if (a == b && sig_from_number(d, a) < 0)
			return DBG_ERROR;
		if (a < 1 || b > 15)
			return sig_from_number(d, a < 1 ? a : b);
		for (long n = a; n <= b; n++)
			if (n != 7) /* a range passes over SIGEMT */
				want[sig_from_number(d, n)] = 1;
		return 0;
	}
	int s = sig_from_name(w, len);
	if (!s)
		return dbg_error(d, "Unrecognized or ambiguous flag word: \"%.*s\".", (int)len, w);
	want[s] = 1;
	return 0;
}

int dbg_cmd_handle(struct dbg *d, const char *args, int from_tty)
{
	unsigned char want[DBG_NSIG] = {0};
	unsigned char stop[DBG_NSIG], print[DBG_NSIG], pass[DBG_NSIG];
	memcpy(stop, d->sig_stop, sizeof stop);
	memcpy(print, d->sig_print, sizeof print);
	memcpy(pass, d->sig_pass, sizeof pass);
	int any = 0;
	const char *p = args;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return dbg_error(d, "Argument required (signal to handle).");
	/* Each action applies to the signals named before it (gdb's rule);
	 * nothing changes unless the whole line is good. */
	while (*p) {
		size_t len = strcspn(p, " \t");
		int a = action_word(p, len);
		if (!a) {
			if (signal_word(d, p, len, want) < 0)
				return DBG_ERROR;
			any = 1;
		} else if (a == A_NOPASS) {
			return dbg_error(d, "A replay cannot keep a signal from the program: "
			                    "it was delivered when the program was recorded.");
		} else {
			for (int s = 1; s < DBG_NSIG; s++) {
				if (!want[s])
					continue;
				if (a == A_STOP)
					stop[s] = print[s] = 1;
				else if (a == A_NOSTOP)
					stop[s] = 0;
				else if (a == A_PRINT)
					print[s] = 1;
				else if (a == A_NOPRINT)
					print[s] = stop[s] = 0;
				else if (a == A_PASS)
					pass[s] = 1;
			}
		}
		p += len;
		while (isspace((unsigned char)*p))
			p++;
	}
	memcpy(d->sig_stop, stop, sizeof stop);
	memcpy(d->sig_print, print, sizeof print);
	memcpy(d->sig_pass, pass, sizeof pass);
	d->sig_gen++;
	if (from_tty && any) {
		print_header(d);
		for (int i = 0; i < NSIGS; i++)
			if (want[sigs[i].no])
				print_row(d, sigs[i].no);
		for (int s = 32; s < DBG_NSIG; s++)
			if (want[s])
				print_row(d, s);
	}
	return DBG_OK;
}

int dbg_info_signals(struct dbg *d, const char *args)
{
	while (isspace((unsigned char)*args))
		args++;
	size_t len = strcspn(args, " \t");
	if (len) {
		int s = sig_from_name(args, len);
		if (!s && isdigit((unsigned char)args[0])) {
			char *end;
			long n = strtol(args, &end, 10);
			if (end != args + len)
				n = 0;
			if ((s = sig_from_number(d, n)) < 0)
				return DBG_ERROR;
		}
		if (!s)
			return dbg_error(d, "Unrecognized signal name: \"%.*s\".", (int)len, args);
		print_header(d);
		print_row(d, s);
		return DBG_OK;
	}
	print_header(d);
	dbg_puts(d, "\n");
	for (int i = 0; i < NSIGS; i++)
		print_row(d, sigs[i].no);
	for (int s = 32; s < DBG_NSIG; s++)
		print_row(d, s);
	dbg_puts(d, "\nUse the \"handle\" command to change these tables.\n");
	/* Not gdb's: what this recording holds. */
	uint64_t n = trace_nevents(d->trace), k = 0;
	for (uint64_t i = 1; i <= n; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_SIGNAL) {
			if (!k++)
				dbg_puts(d, "\nSignals in this recording:\n");
			dbg_printf(d, "  event %llu: %s%s\n", (unsigned long long)i, dbg_sig_name(e->signo),
			           e->sig_sync ? " (fault)" : "");
		}
	}
	return DBG_OK;
}
