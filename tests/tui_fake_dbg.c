/*
 * tui_fake_dbg.c — a fake of the session API (cmds/dbg.h) for the TUI tests.
 *
 * It "replays" one scripted run of tests/fixtures/tui/count.c: at open it
 * builds the list of states the program passes through (function, line,
 * call depth, the values of its variables, the events — printf writes —
 * done so far) and then moves an index over that list, forwards and
 * backwards, the way the real session moves over a recording: step, next,
 * finish, continue (to breakpoints and watchpoints), their reverse twins,
 * stepi (two instructions per state), seek to an event or a position. It
 * prints what gdb prints for those commands, through the print callback,
 * and answers the query functions from the current state. That is enough
 * for the TUI to show everything it shows, deterministically, without a
 * tracee; the end-to-end tests drive the real TUI over it in tmux.
 *
 * opt->trace_dir names the directory holding count.c. TUI_FAKE_SLOW=MS
 * makes continue and reverse-continue take MS milliseconds, reporting
 * progress and honouring dbg_interrupt, to exercise the progress display.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds/dbg.h"

#define NSTATES 128
#define NBPS 64
#define INSNS 2                  /* instructions per state (stepi) */
#define BASE 0x401000ull

struct state {
	int line, depth, mid;    /* mid: back in the caller in mid-line */
	int i, total, px, py, v, r;
	uint64_t event;          /* writes done before this state */
	int exited;
};

struct chunk { uint64_t event; int fd; char text[64]; };

struct bp {
	int number, type, enabled, temporary, line, hits;
	char expr[128];          /* watchpoints */
};

struct dbg {
	dbg_print_fn print;
	void *print_ctx;
	dbg_progress_fn progress;
	void *progress_ctx;
	char dir[2048], fullpath[4096];
	char *src[64];
	int nsrc;
	struct state s[NSTATES];
	int n;
	struct chunk out[16];
	int nout;
	int cur, k;              /* current state, instruction within it */
	int frame;               /* selected frame */
	int direction;
	char reason[128];
	struct bp bps[NBPS];
	int nbps, next_bp;
	int hist;                /* $N */
	struct dbg_mark marks[256];
	int nmarks;
	char last[256];          /* the last repeatable command */
	int slow_ms;
	volatile sig_atomic_t interrupted;
};

/* ---- the script ------------------------------------------------------------ */

static void add(struct dbg *d, struct state st)
{
	if (d->n < NSTATES)
		d->s[d->n++] = st;
}

static void emit(struct dbg *d, struct state *st, const char *fmt, ...)
{
	va_list ap;
	struct chunk *c = &d->out[d->nout++];
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
	c->fd = 1;
	c->event = ++st->event;
}

static void build(struct dbg *d)
{
	/* garbage before initialisation, as a real stack would show */
	struct state st = { .line = 15, .px = 0, .py = 0, .total = 32767, .i = 21845, .v = 0, .r = 0 };
	add(d, st);
	st.line = 16; st.px = 1; st.py = 2; add(d, st);
	st.line = 17; st.total = 0; add(d, st);
	for (st.i = 0; st.i < 3; st.i++) {
		if (st.i > 0) {
			st.line = 17;
			add(d, st);
		}
		st.line = 18; add(d, st);
		st.depth = 1; st.v = st.i;
		st.line = 9; add(d, st);
		st.line = 10; st.r = st.v * st.v; add(d, st);
		st.line = 11; add(d, st);
		st.depth = 0; st.mid = 1; st.line = 18; st.total += st.r; add(d, st);
		st.mid = 0; st.line = 19; add(d, st);
		emit(d, &st, "step %d total %d\n", st.i, st.total);
	}
	st.line = 17; add(d, st);
	st.line = 21; st.px = st.total; add(d, st);
	st.line = 22; add(d, st);
	emit(d, &st, "done %d\n", st.px);
	st.line = 23; add(d, st);
	st.line = 24; add(d, st);
	st.exited = 1; st.line = 0; st.event++; add(d, st);
}

static void load_source(struct dbg *d)
{
	FILE *f = fopen(d->fullpath, "r");
	char line[256];
	while (f && d->nsrc < 64 && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		d->src[d->nsrc++] = strdup(line);
	}
	if (f)
		fclose(f);
}

static const char *src_line(struct dbg *d, int line)
{
	return line >= 1 && line <= d->nsrc && d->src[line - 1] ? d->src[line - 1] : "";
}

/* ---- printing ---------------------------------------------------------- */

static void out(struct dbg *d, int err, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	if (d->print)
		d->print(d->print_ctx, buf, (size_t)n, err);
}

static const char *func_of(const struct state *s)
{
	return s->exited ? "" : s->depth ? "square" : "main";
}

static uint64_t pc_of(const struct state *s, int k)
{
	return BASE + (uint64_t)s->line * 0x10 + (s->mid ? 8 : (uint64_t)k * 4);
}

static void frame_line(struct dbg *d, const struct state *s, char *buf, size_t len)
{
	if (s->depth)
		snprintf(buf, len, "square (v=%d) at count.c:%d", s->v, s->line);
	else
		snprintf(buf, len, "main () at count.c:%d", s->line);
	(void)d;
}

/* What gdb prints after a motion: the frame when it changed, the line. */
static void print_stop(struct dbg *d, int old, const char *prefix)
{
	struct state *s = &d->s[d->cur];
	char fl[256];
	if (s->exited) {
		out(d, 0, "[Inferior 1 (process 4242) exited normally]\n");
		return;
	}
	frame_line(d, s, fl, sizeof fl);
	if (prefix)
		out(d, 0, "\n%s%s\n", prefix, fl);
	else if (old < 0 || d->s[old].depth != s->depth || d->s[old].exited)
		out(d, 0, "%s\n", fl);
	if (d->k)
		out(d, 0, "0x%016llx\t%d\t%s\n", (unsigned long long)pc_of(s, d->k), s->line,
		    src_line(d, s->line));
	else
		out(d, 0, "%d\t%s\n", s->line, src_line(d, s->line));
}

/* ---- motion -------------------------------------------------------------- */

static int var_value(const struct state *s, const char *name, int *ok)
{
	*ok = 1;
	if (!strcmp(name, "total")) return s->total;
	if (!strcmp(name, "i")) return s->i;
	if (!strcmp(name, "p.x")) return s->px;
	if (!strcmp(name, "p.y")) return s->py;
	if (s->depth && !strcmp(name, "v")) return s->v;
	if (s->depth && !strcmp(name, "r")) return s->r;
	*ok = 0;
	return 0;
}

static struct bp *bp_line_hit(struct dbg *d, int j)
{
	struct state *s = &d->s[j];
	if (s->mid || s->exited)
		return NULL;
	for (int b = 0; b < d->nbps; b++)
		if (d->bps[b].type == 0 && d->bps[b].enabled && d->bps[b].line == s->line)
			return &d->bps[b];
	return NULL;
}

/* A watchpoint whose expression changes between states a and b. */
static struct bp *watch_hit(struct dbg *d, int a, int b, int *oldv, int *newv)
{
	for (int i = 0; i < d->nbps; i++) {
		struct bp *w = &d->bps[i];
		int ok1, ok2;
		if (w->type == 0 || !w->enabled)
			continue;
		int v1 = var_value(&d->s[a], w->expr, &ok1), v2 = var_value(&d->s[b], w->expr, &ok2);
		if (ok1 && ok2 && v1 != v2) {
			*oldv = v1;
			*newv = v2;
			return w;
		}
	}
	return NULL;
}

static void add_mark(struct dbg *d, char kind)
{
	uint64_t ev = d->s[d->cur].event;
	for (int i = 0; i < d->nmarks; i++)
		if (d->marks[i].event == ev && d->marks[i].kind == kind)
			return;
	if (d->nmarks < 256)
		d->marks[d->nmarks++] = (struct dbg_mark){ ev, kind };
}

static void bp_stop(struct dbg *d, struct bp *b, int old)
{
	char pre[64];
	b->hits++;
	snprintf(pre, sizeof pre, "%s %d, ", b->temporary ? "Temporary breakpoint" : "Breakpoint",
	         b->number);
	snprintf(d->reason, sizeof d->reason, "stopped at breakpoint %d", b->number);
	add_mark(d, 'b');
	print_stop(d, old, pre);
	if (b->temporary) {
		*b = d->bps[--d->nbps];
	}
}

/* Pretends the scan takes time: progress, and Ctrl-C stops it. Returns the
 * fraction done when interrupted, else 1. */
static double slow(struct dbg *d, const char *what)
{
	if (!d->slow_ms)
		return 1;
	d->interrupted = 0;
	for (int i = 1; i <= 20; i++) {
		struct timespec ts = { 0, (long)d->slow_ms * 1000000L / 20 };
		nanosleep(&ts, NULL);
		if (d->progress)
			d->progress(d->progress_ctx, what, i / 20.0);
		if (d->interrupted)
			return i / 20.0;
	}
	return 1;
}

static void do_continue(struct dbg *d, int dir)
{
	int old = d->cur;
	d->direction = dir;
	double frac = slow(d, dir > 0 ? "continuing" : "reverse-continuing");
	if (frac < 1) {
		int target = dir > 0 ? d->n - 1 : 0;
		d->cur = old + (int)((target - old) * frac);
		d->k = 0;
		snprintf(d->reason, sizeof d->reason, "interrupted");
		out(d, 0, "\nProgram stopped (interrupted).\n");
		print_stop(d, -1, NULL);
		return;
	}
	if (dir > 0) {
		for (int j = d->cur + 1; j < d->n; j++) {
			int ov, nv;
			struct bp *w = watch_hit(d, j - 1, j, &ov, &nv);
			if (w) {
				d->cur = j;
				d->k = 0;
				w->hits++;
				add_mark(d, 'w');
				snprintf(d->reason, sizeof d->reason, "stopped at watchpoint %d", w->number);
				out(d, 0, "\nHardware watchpoint %d: %s\n\nOld value = %d\nNew value = %d\n",
				    w->number, w->expr, ov, nv);
				print_stop(d, -1, NULL);
				return;
			}
			struct bp *b = bp_line_hit(d, j);
			if (b) {
				d->cur = j;
				d->k = 0;
				bp_stop(d, b, old);
				return;
			}
		}
		d->cur = d->n - 1;
		d->k = 0;
		snprintf(d->reason, sizeof d->reason, "exited with code 0");
		print_stop(d, old, NULL);
		return;
	}
	int limit = d->k ? d->cur : d->cur - 1;
	for (int j = limit; j >= 0; j--) {
		int ov, nv;
		struct bp *w = j + 1 <= d->cur ? watch_hit(d, j, j + 1, &ov, &nv) : NULL;
		if (w) {
			d->cur = j;
			d->k = 0;
			w->hits++;
			add_mark(d, 'w');
			snprintf(d->reason, sizeof d->reason, "stopped at watchpoint %d", w->number);
			out(d, 0, "\nHardware watchpoint %d: %s\n\nOld value = %d\nNew value = %d\n",
			    w->number, w->expr, nv, ov);
			print_stop(d, -1, NULL);
			return;
		}
		struct bp *b = bp_line_hit(d, j);
		if (b) {
			d->cur = j;
			d->k = 0;
			bp_stop(d, b, old);
			return;
		}
	}
	d->cur = 0;
	d->k = 0;
	snprintf(d->reason, sizeof d->reason, "at the start of the recording");
	out(d, 0, "\nNo more reverse-execution history.\n");
	print_stop(d, -1, NULL);
}

/* step/next/finish and their reverse: kind s, n, f */
static void do_step(struct dbg *d, int kind, int dir)
{
	int old = d->cur, depth = d->s[d->cur].depth, j;
	d->direction = dir;
	snprintf(d->reason, sizeof d->reason, "stopped after %s%s", dir < 0 ? "reverse-" : "",
	         kind == 's' ? "step" : kind == 'n' ? "next" : "finish");
	if (kind == 'f' && depth == 0) {
		out(d, 1, "\"finish\" not meaningful in the outermost frame.\n");
		return;
	}
	if (dir > 0) {
		if (kind == 'f')
			out(d, 0, "Run till exit from #0  square (v=%d) at count.c:%d\n",
			    d->s[d->cur].v, d->s[d->cur].line);
		for (j = d->cur + 1; j < d->n; j++) {
			struct state *s = &d->s[j];
			if (kind == 'f' ? s->depth < depth
			                : !s->mid && (kind == 's' || s->depth <= depth))
				break;
			struct bp *b = kind != 's' ? bp_line_hit(d, j) : NULL;
			if (b && s->depth <= depth) {
				d->cur = j;
				d->k = 0;
				bp_stop(d, b, old);
				return;
			}
		}
		if (j >= d->n)
			j = d->n - 1;
		d->cur = j;
		d->k = 0;
		if (d->s[j].exited)
			snprintf(d->reason, sizeof d->reason, "exited with code 0");
		print_stop(d, kind == 'f' ? -1 : old, NULL);
		if (kind == 'f')
			out(d, 0, "Value returned is $%d = %d\n", ++d->hist, d->s[j - 1].r);
		return;
	}
	if (d->k && kind != 'f') {
		d->k = 0;
		print_stop(d, old, NULL);
		return;
	}
	for (j = d->cur - 1; j >= 0; j--) {
		struct state *s = &d->s[j];
		if (kind == 'f' ? s->depth < depth
		                : !s->mid && (kind == 's' || s->depth <= depth))
			break;
	}
	if (j < 0) {
		d->cur = 0;
		d->k = 0;
		snprintf(d->reason, sizeof d->reason, "at the start of the recording");
		out(d, 0, "\nNo more reverse-execution history.\n");
		print_stop(d, -1, NULL);
		return;
	}
	d->cur = j;
	d->k = 0;
	print_stop(d, kind == 'f' ? -1 : old, NULL);
}

static void do_stepi(struct dbg *d, int dir)
{
	int old = d->cur;
	d->direction = dir;
	snprintf(d->reason, sizeof d->reason, "stopped after %sstepi", dir < 0 ? "reverse-" : "");
	int ninsn = d->s[d->cur].mid ? 1 : INSNS;
	if (dir > 0) {
		if (d->k + 1 < ninsn)
			d->k++;
		else if (d->cur + 1 < d->n) {
			d->cur++;
			d->k = 0;
		}
	} else {
		if (d->k > 0)
			d->k--;
		else if (d->cur > 0) {
			d->cur--;
			d->k = d->s[d->cur].mid ? 0 : INSNS - 1;
		} else {
			out(d, 0, "\nNo more reverse-execution history.\n");
		}
	}
	print_stop(d, old, NULL);
}

/* ---- commands ----------------------------------------------------------- */

static char *skip_ws(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static int parse_location(struct dbg *d, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	const char *num = colon ? colon + 1 : arg;
	if (isdigit((unsigned char)*num)) {
		int line = atoi(num);
		if (colon && strncmp(arg, "count.c", (size_t)(colon - arg)) &&
		    !strstr(d->fullpath, "count.c"))
			return -1;
		return line >= 1 && line <= d->nsrc ? line : -1;
	}
	if (!strcmp(arg, "main"))
		return 15;
	if (!strcmp(arg, "square"))
		return 9;
	return -1;
}

static int cmd_break(struct dbg *d, char *arg, int temporary)
{
	arg = skip_ws(arg);
	int line = *arg ? parse_location(d, arg) : d->s[d->cur].line;
	if (line < 0) {
		out(d, 1, "Function \"%s\" not defined.\n", arg);
		return DBG_ERROR;
	}
	if (d->nbps == NBPS)
		return DBG_ERROR;
	struct bp *b = &d->bps[d->nbps++];
	memset(b, 0, sizeof *b);
	b->number = ++d->next_bp;
	b->enabled = 1;
	b->temporary = temporary;
	b->line = line;
	out(d, 0, "%s %d at 0x%llx: file count.c, line %d.\n",
	    temporary ? "Temporary breakpoint" : "Breakpoint", b->number,
	    (unsigned long long)(BASE + (uint64_t)line * 0x10), line);
	return DBG_OK;
}

static int cmd_watch(struct dbg *d, char *arg)
{
	arg = skip_ws(arg);
	if (!strncmp(arg, "-l ", 3) || !strncmp(arg, "-location ", 10))
		arg = skip_ws(strchr(arg, ' '));
	int ok;
	var_value(&d->s[d->cur], arg, &ok);
	if (!ok) {
		out(d, 1, "No symbol \"%s\" in current context.\n", arg);
		return DBG_ERROR;
	}
	struct bp *b = &d->bps[d->nbps++];
	memset(b, 0, sizeof *b);
	b->number = ++d->next_bp;
	b->type = 1;
	b->enabled = 1;
	snprintf(b->expr, sizeof b->expr, "%s", arg);
	out(d, 0, "Hardware watchpoint %d: %s\n", b->number, b->expr);
	return DBG_OK;
}

static int cmd_delete(struct dbg *d, char *arg)
{
	arg = skip_ws(arg);
	if (!*arg) {
		d->nbps = 0;
		return DBG_OK;
	}
	int num = atoi(arg);
	for (int i = 0; i < d->nbps; i++)
		if (d->bps[i].number == num) {
			d->bps[i] = d->bps[--d->nbps];
			return DBG_OK;
		}
	out(d, 1, "No breakpoint number %d.\n", num);
	return DBG_ERROR;
}

static int cmd_enable(struct dbg *d, char *arg, int on)
{
	int num = atoi(skip_ws(arg));
	for (int i = 0; i < d->nbps; i++)
		if (d->bps[i].number == num) {
			d->bps[i].enabled = on;
			return DBG_OK;
		}
	out(d, 1, "No breakpoint number %d.\n", num);
	return DBG_ERROR;
}

static int eval(struct dbg *d, const char *expr, char *buf, size_t len)
{
	const struct state *s = &d->s[d->cur];
	int ok;
	if (s->exited) {
		snprintf(buf, len, "No frame selected.");
		return -1;
	}
	if (!strcmp(expr, "p")) {
		snprintf(buf, len, "{x = %d, y = %d}", s->px, s->py);
		return 0;
	}
	const struct state *f = s;
	struct state tmp;
	if (d->frame == 1 && s->depth) {
		tmp = *s;
		tmp.depth = 0;
		f = &tmp;
	}
	int v = var_value(f, expr, &ok);
	if (!ok) {
		snprintf(buf, len, "No symbol \"%s\" in current context.", expr);
		return -1;
	}
	snprintf(buf, len, "%d", v);
	return 0;
}

static int cmd_print(struct dbg *d, char *arg)
{
	char buf[256];
	if (eval(d, skip_ws(arg), buf, sizeof buf) < 0) {
		out(d, 1, "%s\n", buf);
		return DBG_ERROR;
	}
	out(d, 0, "$%d = %s\n", ++d->hist, buf);
	return DBG_OK;
}

static int cmd_seek(struct dbg *d, char *arg)
{
	arg = skip_ws(arg);
	unsigned long long ev;
	int idx, k;
	int old = d->cur;
	if (sscanf(arg, "%llu.%d.%d", &ev, &idx, &k) == 3 && idx >= 0 && idx < d->n) {
		d->cur = idx;
		d->k = k;
	} else if (sscanf(arg, "%llu", &ev) == 1) {
		/* the first state after event ev completed */
		int j = 0;
		while (j + 1 < d->n && d->s[j].event < ev)
			j++;
		d->direction = j >= d->cur ? 1 : -1;
		d->cur = j;
		d->k = 0;
	} else {
		out(d, 1, "seek: expected an event number or a position, got \"%s\".\n", arg);
		return DBG_ERROR;
	}
	d->direction = d->cur >= old ? 1 : -1;
	snprintf(d->reason, sizeof d->reason, "stopped after seek");
	print_stop(d, -1, NULL);
	return DBG_OK;
}

static void info_breakpoints(struct dbg *d)
{
	if (!d->nbps) {
		out(d, 0, "No breakpoints or watchpoints.\n");
		return;
	}
	out(d, 0, "Num     Type           Disp Enb Address            What\n");
	for (int i = 0; i < d->nbps; i++) {
		struct bp *b = &d->bps[i];
		if (b->type)
			out(d, 0, "%-7d hw watchpoint  keep %c                      %s\n", b->number,
			    b->enabled ? 'y' : 'n', b->expr);
		else
			out(d, 0, "%-7d breakpoint     %s %c   0x%016llx in %s at count.c:%d\n",
			    b->number, b->temporary ? "del " : "keep", b->enabled ? 'y' : 'n',
			    (unsigned long long)(BASE + (uint64_t)b->line * 0x10),
			    b->line < 13 ? "square" : "main", b->line);
	}
}

int dbg_execute(struct dbg *d, const char *line)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", line);
	char *p = skip_ws(buf);
	if (!*p) {
		if (!d->last[0])
			return DBG_OK;
		snprintf(buf, sizeof buf, "%s", d->last);
		p = buf;
	}
	char *end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = 0;
	char *arg = p + strcspn(p, " \t");
	char cmd[64];
	snprintf(cmd, sizeof cmd, "%.*s", (int)(arg - p), p);
	static const struct { const char *name, *alias; int kind, dir; } motions[] = {
		{ "continue", "c", 'c', 1 }, { "reverse-continue", "rc", 'c', -1 },
		{ "next", "n", 'n', 1 }, { "reverse-next", "rn", 'n', -1 },
		{ "step", "s", 's', 1 }, { "reverse-step", "rs", 's', -1 },
		{ "finish", "fin", 'f', 1 }, { "reverse-finish", NULL, 'f', -1 },
		{ "stepi", "si", 'i', 1 }, { "reverse-stepi", "rsi", 'i', -1 },
	};
	for (size_t i = 0; i < sizeof motions / sizeof *motions; i++)
		if (!strcmp(cmd, motions[i].name) || (motions[i].alias && !strcmp(cmd, motions[i].alias))) {
			snprintf(d->last, sizeof d->last, "%s", p);
			d->frame = 0;
			if (d->s[d->cur].exited && motions[i].dir > 0) {
				out(d, 1, "The program is not being run.\n");
				return DBG_ERROR;
			}
			if (motions[i].kind == 'c')
				do_continue(d, motions[i].dir);
			else if (motions[i].kind == 'i')
				do_stepi(d, motions[i].dir);
			else
				do_step(d, motions[i].kind, motions[i].dir);
			return DBG_OK;
		}
	if (!strcmp(cmd, "break") || !strcmp(cmd, "b"))
		return cmd_break(d, arg, 0);
	if (!strcmp(cmd, "tbreak"))
		return cmd_break(d, arg, 1);
	if (!strcmp(cmd, "watch"))
		return cmd_watch(d, arg);
	if (!strcmp(cmd, "delete") || !strcmp(cmd, "d"))
		return cmd_delete(d, arg);
	if (!strcmp(cmd, "enable") || !strcmp(cmd, "disable"))
		return cmd_enable(d, arg, cmd[0] == 'e');
	if (!strcmp(cmd, "print") || !strcmp(cmd, "p"))
		return cmd_print(d, arg);
	if (!strcmp(cmd, "seek") || !strcmp(cmd, "run"))
		return cmd_seek(d, arg);
	if (!strcmp(cmd, "when")) {
		out(d, 0, "Current event: %llu\n", (unsigned long long)d->s[d->cur].event);
		return DBG_OK;
	}
	if (!strcmp(cmd, "info") && !strncmp(skip_ws(arg), "b", 1)) {
		info_breakpoints(d);
		return DBG_OK;
	}
	if (!strcmp(cmd, "frame") || !strcmp(cmd, "up") || !strcmp(cmd, "down")) {
		int f = cmd[0] == 'u' ? d->frame + 1 : cmd[0] == 'd' ? d->frame - 1 : atoi(skip_ws(arg));
		if (dbg_select_frame(d, f) < 0) {
			out(d, 1, "No frame at level %d.\n", f);
			return DBG_ERROR;
		}
		return DBG_OK;
	}
	if (!strcmp(cmd, "quit") || !strcmp(cmd, "q"))
		return DBG_QUIT;
	if (!strcmp(cmd, "echo")) {
		out(d, 0, "%s\n", skip_ws(arg));
		return DBG_OK;
	}
	out(d, 1, "Undefined command: \"%s\".  Try \"help\".\n", cmd);
	return DBG_ERROR;
}

/* ---- session --------------------------------------------------------------- */

int dbg_open(const struct dbg_options *opt, struct dbg **outp, char *err, size_t errlen)
{
	struct dbg *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->print = opt->print;
	d->print_ctx = opt->print_ctx;
	snprintf(d->dir, sizeof d->dir, "%s", opt->trace_dir ? opt->trace_dir : ".");
	char rp[PATH_MAX];
	snprintf(d->fullpath, sizeof d->fullpath, "%.2000s/count.c",
	         realpath(d->dir, rp) ? rp : d->dir);
	load_source(d);
	if (!d->nsrc) {
		snprintf(err, errlen, "cannot read %s", d->fullpath);
		free(d);
		return -1;
	}
	build(d);
	const char *slowenv = getenv("TUI_FAKE_SLOW");
	d->slow_ms = slowenv ? atoi(slowenv) : 0;
	d->marks[d->nmarks++] = (struct dbg_mark){ 0, 'c' };
	snprintf(d->reason, sizeof d->reason, "at the start of the recording");
	out(d, 0, "Reading symbols from count...\n");
	if (opt->start_event) {
		char ev[32];
		snprintf(ev, sizeof ev, "%llu", (unsigned long long)opt->start_event);
		cmd_seek(d, ev);
	}
	*outp = d;
	return 0;
}

void dbg_close(struct dbg *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nsrc; i++)
		free(d->src[i]);
	free(d);
}

void dbg_interrupt(struct dbg *d)
{
	d->interrupted = 1;
}

void dbg_set_progress(struct dbg *d, dbg_progress_fn fn, void *ctx)
{
	d->progress = fn;
	d->progress_ctx = ctx;
}

int dbg_where(struct dbg *d, struct dbg_where *w)
{
	const struct state *s = &d->s[d->cur];
	memset(w, 0, sizeof *w);
	w->event = s->event;
	w->nevents = d->s[d->n - 1].event;
	snprintf(w->pos, sizeof w->pos, "%llu.%d.%d", (unsigned long long)s->event, d->cur, d->k);
	w->direction = d->direction;
	w->at_start = d->cur == 0 && d->k == 0;
	w->at_end = s->exited;
	snprintf(w->state, sizeof w->state, "%s", d->reason);
	if (s->exited)
		return 0;
	int caller = d->frame == 1 && s->depth;
	snprintf(w->func, sizeof w->func, "%s", caller ? "main" : func_of(s));
	snprintf(w->file, sizeof w->file, "count.c");
	snprintf(w->fullpath, sizeof w->fullpath, "%s", d->fullpath);
	w->line = caller ? 18 : s->line;
	w->pc = caller ? BASE + 18 * 0x10 + 8 : pc_of(s, d->k);
	w->frame = d->frame;
	return 0;
}

int dbg_registers(struct dbg *d, struct user_regs_struct *r)
{
	const struct state *s = &d->s[d->cur];
	memset(r, 0, sizeof *r);
	if (s->exited)
		return -1;
	r->rip = pc_of(s, d->k);
	r->rax = (unsigned)s->total;
	r->rcx = (unsigned)s->i;
	r->rdx = (unsigned)s->r;
	r->rdi = (unsigned)s->v;
	r->rsp = 0x7fffffffe3c0ull - (s->depth ? 0x20 : 0);
	r->rbp = r->rsp + 0x10;
	r->eflags = s->total == 0 ? 0x246 : 0x202;
	r->cs = 0x33;
	r->ss = 0x2b;
	r->fs_base = 0x7ffff7d8a740ull;
	return 0;
}

int dbg_backtrace(struct dbg *d, struct dbg_frame_info *f, int max)
{
	const struct state *s = &d->s[d->cur];
	if (s->exited)
		return 0;
	int n = 0;
	if (s->depth && n < max) {
		memset(&f[n], 0, sizeof f[n]);
		f[n].level = n;
		f[n].pc = pc_of(s, d->k);
		snprintf(f[n].func, sizeof f[n].func, "square");
		snprintf(f[n].args, sizeof f[n].args, "v=%d", s->v);
		snprintf(f[n].file, sizeof f[n].file, "count.c");
		f[n].line = s->line;
		n++;
	}
	if (n < max) {
		memset(&f[n], 0, sizeof f[n]);
		f[n].level = n;
		f[n].pc = s->depth ? BASE + 18 * 0x10 + 8 : pc_of(s, d->k);
		snprintf(f[n].func, sizeof f[n].func, "main");
		snprintf(f[n].file, sizeof f[n].file, "count.c");
		f[n].line = s->depth ? 18 : s->line;
		n++;
	}
	return n;
}

int dbg_select_frame(struct dbg *d, int level)
{
	int depth = d->s[d->cur].exited ? -1 : d->s[d->cur].depth;
	if (level < 0 || level > depth)
		return -1;
	d->frame = level;
	return 0;
}

static void var(struct dbg_var *v, const char *name, const char *type, int is_arg,
                int children, const char *fmt, ...)
{
	memset(v, 0, sizeof *v);
	snprintf(v->name, sizeof v->name, "%s", name);
	snprintf(v->type, sizeof v->type, "%s", type);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->value, sizeof v->value, fmt, ap);
	va_end(ap);
	v->is_arg = is_arg;
	v->has_children = children;
}

int dbg_vars(struct dbg *d, const char *path, struct dbg_var *o, int max, char *err, size_t errlen)
{
	const struct state *s = &d->s[d->cur];
	if (s->exited) {
		snprintf(err, errlen, "No frame selected.");
		return -1;
	}
	int n = 0, in_square = s->depth && d->frame == 0;
	if (max < 3)
		return 0;
	if (path) {
		if (!in_square && !strcmp(path, "p")) {
			var(&o[n++], "x", "int", 0, 0, "%d", s->px);
			var(&o[n++], "y", "int", 0, 0, "%d", s->py);
			return n;
		}
		snprintf(err, errlen, "\"%s\" has no members", path);
		return -1;
	}
	if (in_square) {
		var(&o[n++], "v", "int", 1, 0, "%d", s->v);
		var(&o[n++], "r", "int", 0, 0, "%d", s->r);
		return n;
	}
	var(&o[n++], "p", "struct point", 0, 1, "{x = %d, y = %d}", s->px, s->py);
	var(&o[n++], "total", "int", 0, 0, "%d", s->total);
	var(&o[n++], "i", "int", 0, 0, "%d", s->i);
	return n;
}

int dbg_eval(struct dbg *d, const char *expr, char *o, size_t len)
{
	return eval(d, expr, o, len);
}

int dbg_disasm(struct dbg *d, uint64_t addr, int n, struct dbg_disasm_line *o)
{
	static const char *const text[] = {
		"mov    -0x14(%rbp),%eax", "imul   %eax,%eax", "mov    %eax,-0x4(%rbp)",
		"add    %eax,-0x8(%rbp)", "mov    -0xc(%rbp),%edi", "call   0x4010a0 <square>",
		"lea    0xe3e(%rip),%rdi", "addl   $0x1,-0xc(%rbp)",
	};
	(void)d;
	int k = 0;
	uint64_t a = addr;
	while (k < n) {
		uint64_t off = a - BASE;
		int line = (int)(off / 0x10), slot = (int)(off % 0x10) / 4;
		if (a < BASE || line < 7 || line > 24 || line == 12)
			break;
		o[k].addr = a;
		snprintf(o[k].text, sizeof o[k].text, "%s", text[(line + slot) % 8]);
		uint64_t fstart = BASE + (line < 13 ? 7 : 13) * 0x10;
		snprintf(o[k].sym, sizeof o[k].sym, "<%s+%llu>", line < 13 ? "square" : "main",
		         (unsigned long long)(a - fstart));
		k++;
		a += 4;
		if ((a - BASE) % 0x10 == 0xc)
			a += 4;
		if (line == 11 && (a - BASE) / 0x10 == 12)
			break;
	}
	return k;
}

int dbg_breakpoints(struct dbg *d, struct dbg_bp_info *o, int max)
{
	int n = 0;
	for (int i = 0; i < d->nbps && n < max; i++, n++) {
		const struct bp *b = &d->bps[i];
		memset(&o[n], 0, sizeof o[n]);
		o[n].number = b->number;
		o[n].type = b->type;
		o[n].enabled = b->enabled;
		o[n].temporary = b->temporary;
		o[n].hits = b->hits;
		if (b->type) {
			snprintf(o[n].what, sizeof o[n].what, "%s", b->expr);
		} else {
			o[n].addr = BASE + (uint64_t)b->line * 0x10;
			o[n].line = b->line;
			snprintf(o[n].file, sizeof o[n].file, "count.c");
			snprintf(o[n].what, sizeof o[n].what, "in %s at count.c:%d",
			         b->line < 13 ? "square" : "main", b->line);
		}
	}
	return n;
}

int dbg_output(struct dbg *d, dbg_output_fn fn, void *ctx)
{
	uint64_t now = d->s[d->cur].event;
	for (int i = 0; i < d->nout; i++)
		if (d->out[i].event <= now)
			fn(ctx, d->out[i].fd, d->out[i].event, d->out[i].text, strlen(d->out[i].text));
	return 0;
}

int dbg_marks(struct dbg *d, struct dbg_mark *o, int max)
{
	int n = 0;
	for (int i = 0; i < d->nmarks && n < max; i++)
		o[n++] = d->marks[i];
	return n;
}

struct tl *dbg_timeline(struct dbg *d)
{
	(void)d;
	return NULL;
}

void dbg_moved(struct dbg *d)
{
	(void)d;
}

char **dbg_complete(struct dbg *d, const char *line, int point)
{
	static const char *const cmds[] = { "backtrace", "break", "continue", "delete", "disable",
		"echo", "enable", "finish", "frame", "info", "next", "print", "quit",
		"reverse-continue", "reverse-finish", "reverse-next", "reverse-step",
		"reverse-stepi", "seek", "step", "stepi", "tbreak", "watch", "when", NULL };
	static const char *const names[] = { "p", "total", "i", "main", "square", NULL };
	(void)d;
	char buf[256];
	snprintf(buf, sizeof buf, "%.*s", point, line);
	const char *word = strrchr(buf, ' ');
	const char *const *list = word ? names : cmds;
	word = word ? word + 1 : buf;
	char **r = calloc(32, sizeof *r);
	int n = 0;
	for (int i = 0; r && list[i] && n < 31; i++)
		if (!strncmp(list[i], word, strlen(word)))
			r[n++] = strdup(list[i]);
	if (r && !n) {
		free(r);
		return NULL;
	}
	return r;
}
