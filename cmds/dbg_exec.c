/*
 * dbg_exec.c — execution control: continue, step, next, stepi, nexti,
 * finish, until, advance and `run N`, in both directions, and the stop
 * reports gdb prints after them.
 *
 * Like Delve's target_exec.go, source-level stepping is written once here
 * over the timeline's few primitives (stepi, continue, their reverse twins,
 * breakpoints with a condition, registers and memory); core/ knows nothing
 * of lines or frames. Frames are tracked by the instructions executed, not
 * by unwinding at every step: stepping forward over a `call` (or backward
 * over a `ret`) means entering a callee, stepping over a `ret` (backward:
 * over a `call`) means leaving the frame. A callee is skipped with one
 * engine continue to a temporary breakpoint, checked against the stack
 * pointer so that recursion does not stop in the wrong activation.
 *
 * A line is the set of all its address ranges in the function
 * (dw_line_ranges), so a line split into several ranges is one line in
 * both directions. Going backward, the start of a line is the instruction
 * whose predecessor lies outside the line: reverse-step finds it by stepping
 * back one instruction too far and seeking back to the position before.
 *
 * Signals are shown as gdb shows them live: forward motions stop before
 * the recorded delivery of a signal gdb stops for ("Program received
 * signal"), a step from there enters the handler, and a step out of the
 * handler goes through the sigreturn trampoline back to the interrupted
 * code. Backward motions cross deliveries without stopping.
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_RANGES 64
#define MAX_STEPS 1000000

int dbg_print_source_range(struct dbg *d, const char *file, int from, int to);

int dbg_dir(struct dbg *d, int reverse)
{
	return reverse ? -d->exec_direction : d->exec_direction;
}

/* ---- instruction decoding: just enough to see calls and returns ---------- */

static const uint8_t *skip_prefixes(const uint8_t *b, const uint8_t *end)
{
	while (b < end && (*b == 0x66 || *b == 0x67 || *b == 0xf2 || *b == 0xf3 || *b == 0x2e ||
	                   *b == 0x3e || *b == 0x26 || *b == 0x36 || *b == 0x64 || *b == 0x65))
		b++;
	if (b < end && (*b & 0xf0) == 0x40)
		b++; /* REX */
	return b;
}

static int insn_is_call(const uint8_t *buf)
{
	const uint8_t *b = skip_prefixes(buf, buf + 14);
	return b[0] == 0xe8 || (b[0] == 0xff && ((b[1] >> 3) & 7) == 2);
}

static int insn_is_jmp(const uint8_t *buf)
{
	const uint8_t *b = skip_prefixes(buf, buf + 14);
	return b[0] == 0xe9 || b[0] == 0xeb || (b[0] == 0xff && ((b[1] >> 3) & 7) == 4);
}

static int insn_is_ret(const uint8_t *buf)
{
	const uint8_t *b = skip_prefixes(buf, buf + 14);
	return b[0] == 0xc3 || b[0] == 0xc2;
}

/* ---- engine motions ------------------------------------------------------- */

/* A temporary breakpoint of a command, with a stack condition. */
struct tmp_bp {
	struct dbg *d;
	int id;
	uint64_t addr;
	uint64_t rsp_eq;         /* stop only when rsp == this (0: any) */
	uint64_t rsp_gt;         /* stop only when rsp > this (0: any) */
	uint64_t ev_eq;          /* stop only after this event (0: any) */
	const struct user_regs_struct *regs_eq; /* stop only in this state (NULL: any) */
};

static int tmp_cond(void *ctx, struct tl *tl, int bp_id)
{
	(void)bp_id;
	struct tmp_bp *t = ctx;
	struct user_regs_struct r;
	char err[CORE_ERRLEN];
	if (tl_get_regs(tl, &r, err, sizeof err) < 0)
		return 1;
	if (t->rsp_eq && r.rsp != t->rsp_eq)
		return 0;
	if (t->rsp_gt && r.rsp <= t->rsp_gt)
		return 0;
	if (t->ev_eq && tl_position(tl).event != t->ev_eq)
		return 0;
	const struct user_regs_struct *q = t->regs_eq;
	if (q && (r.rip != q->rip || r.rsp != q->rsp || r.rax != q->rax || r.rcx != q->rcx ||
	          r.rdx != q->rdx || r.rsi != q->rsi || r.rdi != q->rdi || r.rbp != q->rbp))
		return 0;
	return 1;
}

static int tmp_add(struct dbg *d, struct tmp_bp *t, uint64_t addr, uint64_t rsp_eq, uint64_t rsp_gt)
{
	char err[CORE_ERRLEN];
	*t = (struct tmp_bp){d, 0, addr, rsp_eq, rsp_gt, 0, NULL};
	if (tl_bp_add(d->tl, TL_BP_SW, addr, 1, tmp_cond, t, &t->id, err, sizeof err) < 0) {
		dbg_error(d, "Cannot insert breakpoint at 0x%llx: %s", (unsigned long long)addr, err);
		return -1;
	}
	return 0;
}

static void tmp_del(struct dbg *d, struct tmp_bp *t)
{
	char err[CORE_ERRLEN];
	if (t->id)
		tl_bp_del(d->tl, t->id, err, sizeof err);
	t->id = 0;
}

static int motion_failed(struct dbg *d, const char *err)
{
	dbg_invalidate(d);
	return dbg_error(d, "%s", err);
}

static int do_stepi(struct dbg *d, int dir, struct tl_stop *st)
{
	char err[CORE_ERRLEN];
	struct user_regs_struct r0, r1;
	int have0 = dbg_regs(d, &r0) == 0;
	uint64_t ev0 = tl_position(d->tl).event;
	int rc = dir > 0 ? tl_stepi(d->tl, st, err, sizeof err) : tl_reverse_stepi(d->tl, st, err, sizeof err);
	dbg_after_motion(d);
	if (rc < 0)
		return motion_failed(d, err);
	/* Across the event of a signal without entering or leaving its
	 * handler (forward: applied, the handler not entered yet; backward:
	 * from just before the delivery to the boundary before it): nothing
	 * ran, the state is the one before. A step is an instruction: one
	 * more (forward, the handler's first, as gdb's stepi from "Program
	 * received signal"). */
	uint64_t ev1 = tl_position(d->tl).event;
	if (have0 && st->kind == TL_STOP_STEP && ev1 != ev0) {
		const struct trace_event *e = trace_event(d->trace, dir > 0 ? ev1 : ev0);
		if (e && e->kind == TRACE_SIGNAL && dbg_regs(d, &r1) == 0 && r1.rip == r0.rip &&
		    r1.rsp == r0.rsp) {
			rc = dir > 0 ? tl_stepi(d->tl, st, err, sizeof err)
			             : tl_reverse_stepi(d->tl, st, err, sizeof err);
			dbg_after_motion(d);
			if (rc < 0)
				return motion_failed(d, err);
		}
	}
	return 0;
}

/* Is this engine stop one of ours (a temporary breakpoint of the command)? */
static int is_tmp(const struct tl_stop *st, struct tmp_bp *t, int n)
{
	if (st->kind != TL_STOP_BREAKPOINT)
		return 0;
	for (int i = 0; i < n; i++)
		if (t[i].id && st->bp_id == t[i].id)
			return 1;
	return 0;
}

int dbg_sw_watch_active(struct dbg *d);
struct dbg_bp *dbg_sw_watch_changed(struct dbg *d);
int dbg_bp_cond_ok(struct dbg *d, struct dbg_bp *b);

/* Continue while a software watchpoint is set: one instruction at a time,
 * comparing the watched bytes and looking for breakpoints at each stop. */
static int sw_continue(struct dbg *d, int dir, struct tl_stop *st, struct tmp_bp *t, int nt)
{
	for (;;) {
		if (d->interrupted) {
			st->kind = TL_STOP_POSITION;
			return 0;
		}
		if (do_stepi(d, dir, st) < 0)
			return DBG_ERROR;
		if (st->kind != TL_STOP_STEP)
			return 0;
		struct dbg_bp *w = dbg_sw_watch_changed(d);
		if (w) {
			st->kind = TL_STOP_WATCHPOINT;
			st->bp_id = -w->number;
			if (dbg_bp_hit(d, w))
				return 0;
			st->kind = TL_STOP_STEP;
		}
		struct user_regs_struct r;
		if (dbg_regs(d, &r) < 0)
			return 0;
		for (int i = 0; i < nt; i++)
			if (t[i].id && t[i].addr == r.rip && tmp_cond(&t[i], d->tl, t[i].id)) {
				st->kind = TL_STOP_BREAKPOINT;
				st->bp_id = t[i].id;
				return 0;
			}
		for (int i = 0; i < DBG_MAX_BPS; i++) {
			struct dbg_bp *b = &d->bps[i];
			if (b->number && b->type == 0 && b->enabled && b->tl_id && b->addr == r.rip &&
			    dbg_bp_cond_ok(d, b)) {
				st->kind = TL_STOP_BREAKPOINT;
				st->bp_id = b->tl_id;
				if (dbg_bp_hit(d, b))
					return 0;
				st->kind = TL_STOP_STEP;
			}
		}
	}
}

/* ---- signals gdb stops for ----------------------------------------------------- */

/* A stop of the command layer's own, never reported by the engine: the
 * program is about to receive a signal that gdb stops for by default
 * ("Program received signal SIGUSR1, ..."); the signal is the next event. */
#define STOP_SIGNAL ((enum tl_stop_kind)64)

/* The first asynchronous signal after event `after` that stops the program
 * (or, want_print, that is at least printed), or NULL. (A fault is not one:
 * it recurs by itself in the replay, and the fatal one is stop_at_crash's.) */
static const struct trace_event *next_signal(struct dbg *d, uint64_t after, int want_print)
{
	/* Every forward motion asks (a `next` once per call it steps over):
	 * the last answer holds for any event between the question and it,
	 * until `handle` changes the table. */
	uint64_t n = trace_nevents(d->trace);
	if (d->sig_next.gen == d->sig_gen && d->sig_next.want_print == want_print && d->sig_next.nevents == n &&
	    after >= d->sig_next.after && (d->sig_next.found ? after < d->sig_next.found : 1))
		return d->sig_next.found ? trace_event(d->trace, d->sig_next.found) : NULL;
	d->sig_next.gen = d->sig_gen;
	d->sig_next.want_print = want_print;
	d->sig_next.nevents = n;
	d->sig_next.after = after;
	d->sig_next.found = 0;
	for (uint64_t i = after + 1; i <= n; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_SIGNAL && e->sig_sync != TRACE_SIG_FAULT &&
		    (want_print ? dbg_sig_prints(d, e->signo) : dbg_sig_stops(d, e->signo))) {
			d->sig_next.found = i;
			return e;
		}
	}
	return NULL;
}

static void print_signal(struct dbg *d, int signo)
{
	dbg_printf(d, "\nProgram received signal %s, %s.\n", dbg_sig_name(signo), dbg_sig_desc(signo));
}

/* Arms a temporary breakpoint on the state the next stopping signal is
 * delivered in: its recorded registers, after the event before it. The
 * engine delivers the signal when it resumes from there, so the stop shows
 * the program as gdb does, before the handler runs. */
static int sig_arm(struct dbg *d, struct tmp_bp *t, uint64_t after, const struct trace_event **sig)
{
	t->id = 0;
	*sig = NULL;
	if (!dbg_alive(d))
		return 0;
	const struct trace_event *e = next_signal(d, after, 1);
	if (!e)
		return 0;
	*sig = e;
	if (tmp_add(d, t, e->regs.rip, 0, 0) < 0)
		return -1;
	t->ev_eq = e->no - 1;
	t->regs_eq = &e->regs;
	return 0;
}

/* Continues in a direction until a stop that is not an ignored user hit
 * (ignore counts, unchanged watched values). Forward, it also stops before
 * the delivery of a signal gdb stops for (STOP_SIGNAL), and prints the ones
 * `handle` says to print without stopping. */
static int continue_hits(struct dbg *d, int dir, struct tl_stop *st, struct tmp_bp *t, int nt);
static int do_continue(struct dbg *d, int dir, struct tl_stop *st, struct tmp_bp *t, int nt)
{
	struct tmp_bp all[8], sig = {0};
	if (dir < 0 || nt >= 8)
		return continue_hits(d, dir, st, t, nt);
	uint64_t after = tl_position(d->tl).event;
	for (;;) {
		const struct trace_event *e;
		if (sig_arm(d, &sig, after, &e) < 0)
			return DBG_ERROR;
		/* Copies: the engine's callbacks keep the originals as context. */
		for (int i = 0; i < nt; i++)
			all[i] = t[i];
		all[nt] = sig;
		int rc = continue_hits(d, dir, st, all, nt + (sig.id != 0));
		int at_sig = rc == 0 && sig.id && is_tmp(st, &sig, 1);
		tmp_del(d, &sig);
		if (!at_sig)
			return rc;
		if (dbg_sig_stops(d, e->signo)) {
			st->kind = STOP_SIGNAL;
			st->bp_id = 0;
			return 0;
		}
		/* Printed, not stopped at: gdb's line, and on with the delivery. */
		print_signal(d, e->signo);
		after = e->no;
	}
}

static int continue_hits(struct dbg *d, int dir, struct tl_stop *st, struct tmp_bp *t, int nt)
{
	char err[CORE_ERRLEN];
	if (dbg_sw_watch_active(d))
		return sw_continue(d, dir, st, t, nt);
	for (;;) {
		if (d->interrupted) {
			st->kind = TL_STOP_POSITION;
			return 0;
		}
		int rc = dir > 0 ? tl_continue(d->tl, st, err, sizeof err)
		                 : tl_reverse_continue(d->tl, st, err, sizeof err);
		dbg_after_motion(d);
		if (rc < 0)
			return motion_failed(d, err);
		if (st->kind == TL_STOP_EXEC) {
			/* Another program image: its breakpoints are set (the
			 * session followed it). Backward, one step goes into the
			 * image before. A motion of the old image's temporary
			 * breakpoints (next, finish; not a signal's, which names
			 * its own state) ends here, as gdb's does at an exec. */
			if (dir > 0) {
				dbg_printf(d, "process %d is executing new program: %s\n", trace_header(d->trace)->pid,
				           d->exe);
			} else {
				rc = tl_reverse_stepi(d->tl, st, err, sizeof err);
				dbg_after_motion(d);
				if (rc < 0)
					return motion_failed(d, err);
			}
			for (int i = 0; i < nt; i++)
				if (t[i].id && !t[i].regs_eq)
					return 0;
			continue;
		}
		if (is_tmp(st, t, nt))
			return 0;
		if (st->kind == TL_STOP_BREAKPOINT || st->kind == TL_STOP_WATCHPOINT) {
			struct dbg_bp *b = dbg_bp_by_tl(d, st->bp_id);
			if (b && !dbg_bp_hit(d, b))
				continue;
		}
		return 0;
	}
}

/* Continues in direction dir to a temporary breakpoint at addr (rsp_eq,
 * rsp_gt: as tmp_add): 1 when it stopped there, 0 when another stop came
 * first (left in *st to report), negative on an error. */
static int continue_to(struct dbg *d, int dir, uint64_t addr, uint64_t rsp_eq, uint64_t rsp_gt,
                       struct tl_stop *st)
{
	struct tmp_bp t;
	if (tmp_add(d, &t, addr, rsp_eq, rsp_gt) < 0)
		return DBG_ERROR;
	int rc = do_continue(d, dir, st, &t, 1);
	int ours = is_tmp(st, &t, 1);
	tmp_del(d, &t);
	return rc < 0 ? rc : ours;
}

/* ---- stop reports ------------------------------------------------------------ */

static void report_end(struct dbg *d, int status)
{
	int pid = trace_header(d->trace)->pid;
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 0)
			dbg_printf(d, "[Inferior 1 (process %d) exited normally]\n", pid);
		else
			dbg_printf(d, "[Inferior 1 (process %d) exited with code %02o]\n", pid, WEXITSTATUS(status));
		snprintf(d->last_state, sizeof d->last_state, "exited with code %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		dbg_printf(d, "\nProgram terminated with signal %s, %s.\nThe program no longer exists.\n",
		           dbg_sig_name(WTERMSIG(status)), dbg_sig_desc(WTERMSIG(status)));
		snprintf(d->last_state, sizeof d->last_state, "killed by signal %d", WTERMSIG(status));
	}
	dbg_puts(d, "End of the recording: use reverse commands to go back.\n");
}

/* The position of the recorded fatal signal, if the program died of one. */
int dbg_goto_crash(struct dbg *d, char *err, size_t errlen);

void dbg_report(struct dbg *d, const struct tl_stop *st, enum dbg_why why)
{
	if (st->kind == STOP_SIGNAL) {
		const struct trace_event *e = next_signal(d, tl_position(d->tl).event, 0);
		int signo = e ? e->signo : 0;
		print_signal(d, signo);
		dbg_print_frame(d, 0, 1);
		snprintf(d->last_state, sizeof d->last_state, "received signal %s", dbg_sig_name(signo));
		dbg_do_displays(d);
		return;
	}
	switch (st->kind) {
	case TL_STOP_END: {
		int status = st->exit_status;
		tl_at_end(d->tl, &status);
		report_end(d, status);
		return;
	}
	case TL_STOP_INTERRUPTED:
	interrupted:
		/* Ctrl-C: gdb's report for an interrupted program, at the exact
		 * position the motion stopped at. */
		dbg_puts(d, "\nProgram received signal SIGINT, Interrupt.\n");
		dbg_print_frame(d, 0, 1);
		snprintf(d->last_state, sizeof d->last_state, "interrupted");
		break;
	case TL_STOP_START:
		dbg_puts(d, "\nNo more reverse-execution history.\n");
		dbg_print_frame(d, 0, 1);
		snprintf(d->last_state, sizeof d->last_state, "at the start of the recording");
		break;
	case TL_STOP_BREAKPOINT:
	case TL_STOP_WATCHPOINT: {
		struct dbg_bp *b = dbg_bp_by_tl(d, st->bp_id);
		if (b) {
			/* Its `commands` run after this command; "silent" first
			 * leaves the stop unreported (displays too, as gdb). */
			dbg_bp_queue_actions(d, b);
			if (dbg_bp_silent(b)) {
				dbg_bp_report_silent(d, b);
				return;
			}
			dbg_bp_report(d, b, st, d->last_direction);
			dbg_print_frame(d, 0, 1);
			break;
		}
		dbg_print_frame(d, 0, 1);
		break;
	}
	default:
		if (d->interrupted)
			goto interrupted;
		switch (why) {
		case WHY_STEP:
			dbg_print_frame(d, 0, 0);
			break;
		case WHY_STEPI:
			dbg_print_frame(d, 0, 0);
			break;
		default:
			dbg_print_frame(d, 0, 1);
			break;
		}
		snprintf(d->last_state, sizeof d->last_state, "stopped");
	}
	dbg_do_displays(d);
}

/* A stop of a step that lands on a user breakpoint is reported as that
 * breakpoint, as gdb does. */
static void report_step_end(struct dbg *d, struct tl_stop *st, enum dbg_why why)
{
	struct user_regs_struct r;
	if (st->kind == TL_STOP_STEP && dbg_regs(d, &r) == 0) {
		for (int i = 0; i < DBG_MAX_BPS; i++) {
			struct dbg_bp *b = &d->bps[i];
			if (b->number && b->type == 0 && b->enabled && b->addr == r.rip && b->tl_id && !b->dprintf) {
				b->hits++;
				st->kind = TL_STOP_BREAKPOINT;
				st->bp_id = b->tl_id;
				break;
			}
		}
	}
	dbg_report(d, st, why);
}

/* ---- continue ------------------------------------------------------------------- */

static uint64_t crash_event_of(struct dbg *d)
{
	uint64_t n = trace_nevents(d->trace);
	const struct trace_event *last = trace_event(d->trace, n);
	if (!last || last->kind != TRACE_EXIT || !WIFSIGNALED(last->wait_status))
		return 0;
	for (uint64_t i = n; i >= 1 && n - i < 16; i--) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_SIGNAL && e->signo == WTERMSIG(last->wait_status))
			return i;
	}
	return 0;
}

/* Forward into the recorded fatal signal: stop at the fault, as gdb shows
 * "Program received signal" before the program dies. */
static int stop_at_crash(struct dbg *d, struct tl_stop *st, struct tl_pos before)
{
	uint64_t ev = crash_event_of(d);
	if (!ev || before.event >= ev)
		return 0;
	/* Already stopped before an asynchronous fatal signal's delivery
	 * (STOP_SIGNAL): this continue delivered it. */
	if (before.event == ev - 1 && trace_event(d->trace, ev)->sig_sync != TRACE_SIG_FAULT &&
	    strncmp(d->last_state, "received signal", 15) == 0)
		return 0;
	char err[CORE_ERRLEN];
	const struct trace_event *e = trace_event(d->trace, ev);
	if (!dbg_sig_stops(d, e->signo)) {
		/* handle ... nostop: the program dies of it, as gdb lets it. */
		if (dbg_sig_prints(d, e->signo))
			print_signal(d, e->signo);
		return 0;
	}
	if (dbg_goto_crash(d, err, sizeof err) < 0)
		return motion_failed(d, err);
	print_signal(d, e->signo);
	dbg_print_frame(d, 0, 1);
	dbg_do_displays(d);
	st->kind = TL_STOP_POSITION;
	return 1;
}

int dbg_cmd_continue(struct dbg *d, const char *args, int dir)
{
	int n = 1;
	if (args && *args)
		n = atoi(args);
	if (dir > 0 && !dbg_alive(d))
		return dbg_error(d, "The program is not being run.");
	if (dir > 0 && n > 1) {
		/* continue N: ignore the breakpoint we are stopped at N-1 more times */
		struct user_regs_struct r;
		if (dbg_regs(d, &r) == 0)
			for (int i = 0; i < DBG_MAX_BPS; i++)
				if (d->bps[i].number && d->bps[i].type == 0 && d->bps[i].addr == r.rip) {
					d->bps[i].ignore = n - 1;
					if (d->from_tty)
						dbg_printf(d, "Will ignore next %d crossings of breakpoint %d.  Continuing.\n",
						           n - 1, d->bps[i].number);
					n = -1;
				}
	}
	if (n != -1 && d->from_tty)
		dbg_puts(d, "Continuing.\n");
	dbg_bp_refresh_watch_values(d);
	d->last_direction = dir;
	struct tl_pos before = tl_position(d->tl);
	struct tl_stop st;
	if (do_continue(d, dir, &st, NULL, 0) < 0)
		return DBG_ERROR;
	if (st.kind == TL_STOP_END && dir > 0 && stop_at_crash(d, &st, before))
		return DBG_OK;
	dbg_report(d, &st, WHY_LOCATION);
	return DBG_OK;
}

/* ---- stepping by lines ---------------------------------------------------------------- */

struct line_ctx {
	struct dw_range r[MAX_RANGES];
	size_t n;
	int line;
	uint64_t func_lo;
};

static int line_load(struct dbg *d, uint64_t pc, struct line_ctx *l)
{
	struct dw_line ln;
	l->n = 0;
	l->line = 0;
	l->func_lo = 0;
	if (dw_line_for_pc(d->dw, pc, &ln) < 0)
		return -1;
	l->line = ln.line;
	const char *name;
	uint64_t lo, hi;
	if (dw_func_for_pc(d->dw, pc, &name, &lo, &hi) == 0)
		l->func_lo = lo;
	if (dw_line_ranges(d->dw, pc, l->r, MAX_RANGES, &l->n) < 0 || l->n == 0) {
		l->r[0] = (struct dw_range){ln.addr, ln.end};
		l->n = 1;
	}
	return 0;
}

static int in_line(const struct line_ctx *l, uint64_t pc)
{
	for (size_t i = 0; i < l->n; i++)
		if (pc >= l->r[i].lo && pc < l->r[i].hi)
			return 1;
	return 0;
}

/* The breakpoint address gdb uses for a function: after its prologue. */
static uint64_t after_prologue(struct dbg *d, uint64_t pc)
{
	const char *name;
	uint64_t lo, hi, a;
	char err[256], spec[300];
	if (dw_func_for_pc(d->dw, pc, &name, &lo, &hi) < 0 || !name)
		return pc;
	snprintf(spec, sizeof spec, "%s", name);
	if (dw_resolve_location(d->dw, spec, &a, err, sizeof err) < 0 || a < lo || a >= hi)
		return pc;
	return a;
}

static int has_lines(struct dbg *d, uint64_t pc)
{
	struct dw_line ln;
	const char *name;
	uint64_t lo, hi;
	return dw_line_for_pc(d->dw, pc, &ln) == 0 && dw_func_for_pc(d->dw, pc, &name, &lo, &hi) == 0;
}

/* Runs forward to the return address of a callee just entered (rsp points
 * at the return address). */
static int forward_over_callee(struct dbg *d, struct tl_stop *st)
{
	struct user_regs_struct r;
	uint64_t ret;
	if (dbg_regs(d, &r) < 0 || dbg_read(d, r.rsp, &ret, 8) < 0)
		return dbg_error(d, "Cannot read the return address.");
	struct tmp_bp t;
	if (tmp_add(d, &t, ret, 0, r.rsp) < 0)
		return DBG_ERROR;
	int rc = do_continue(d, 1, st, &t, 1);
	int ours = is_tmp(st, &t, 1);
	tmp_del(d, &t);
	if (rc < 0)
		return rc;
	return ours ? 0 : 1;
}

/* The call instruction that returns to ret, found by decoding backwards
 * from the return address (0 when none decodes). */
static uint64_t call_before(struct dbg *d, uint64_t ret)
{
	static const int lens[] = {5, 2, 3, 6, 7, 4, 8, 9};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		uint64_t a = ret - (uint64_t)lens[i];
		uint8_t b[16];
		if (dbg_read(d, a, b, sizeof b) < 0 || !insn_is_call(b))
			continue;
		struct dw_sb sb;
		dw_sb_init(&sb);
		uint64_t next = 0;
		dw_disasm(d->dw, &d->target, a, 1, 0, &sb, &next);
		int ok = next == ret && sb.buf && strstr(sb.buf, "call");
		dw_sb_free(&sb);
		if (ok)
			return a;
	}
	return 0;
}

/* Backward over a callee whose `ret` we just stepped back onto: to the
 * call instruction in the caller. rsp_after is the stack pointer after
 * the return (= before the call). */
static int backward_over_callee(struct dbg *d, uint64_t ret, uint64_t rsp_after, struct tl_stop *st)
{
	uint64_t call = call_before(d, ret);
	if (call) {
		struct tmp_bp t;
		if (tmp_add(d, &t, call, rsp_after, 0) < 0)
			return DBG_ERROR;
		int rc = do_continue(d, -1, st, &t, 1);
		int ours = is_tmp(st, &t, 1);
		tmp_del(d, &t);
		if (rc < 0)
			return rc;
		return ours ? 0 : 1;
	}
	/* No decodable call: step back until the stack is the caller's. */
	for (long i = 0; i < MAX_STEPS; i++) {
		if (do_stepi(d, -1, st) < 0)
			return DBG_ERROR;
		struct user_regs_struct r;
		if (st->kind != TL_STOP_STEP || dbg_regs(d, &r) < 0)
			return 1;
		if (r.rsp == rsp_after)
			return 0;
	}
	return dbg_error(d, "Cannot find the call of this function.");
}

/* The signal the last motion delivered: the event it crossed when that is
 * a signal (NULL otherwise). */
static const struct trace_event *delivered(struct dbg *d, uint64_t ev_before)
{
	uint64_t ev = tl_position(d->tl).event;
	if (ev <= ev_before)
		return NULL;
	const struct trace_event *e = trace_event(d->trace, ev);
	return e && e->kind == TRACE_SIGNAL ? e : NULL;
}

/* Whether pc is the signal trampoline a handler returns into (x86-64
 * Linux's __restore_rt: mov $15, %rax; syscall). */
static int at_sigreturn(struct dbg *d, uint64_t pc)
{
	static const uint8_t tramp[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
	uint8_t b[sizeof tramp];
	return dbg_read(d, pc, b, sizeof b) == 0 && memcmp(b, tramp, sizeof b) == 0;
}

/* Steps through the trampoline to the state the handler interrupted, as
 * gdb does when a step leaves a handler. 0 there, 1 stopped elsewhere. */
static int through_sigreturn(struct dbg *d, struct tl_stop *st, struct user_regs_struct *r)
{
	for (int i = 0; i < 2; i++) {
		if (do_stepi(d, 1, st) < 0)
			return DBG_ERROR;
		if (st->kind != TL_STOP_STEP)
			return 1;
	}
	return dbg_regs(d, r) < 0 ? 1 : 0;
}

/* Whether pc is in a PLT stub ("name@plt"). */
static int in_plt(struct dbg *d, uint64_t pc)
{
	struct dw_symbol sym;
	if (dw_symbol_for_addr(d->dw, pc, &sym) < 0 || !sym.name)
		return 0;
	size_t n = strlen(sym.name);
	return n > 4 && strcmp(sym.name + n - 4, "@plt") == 0;
}

/* From a PLT stub just entered (rsp at the return address), to the entry of
 * the function it leads to: the first place outside a stub a jump reaches
 * with the stack as at the stub's entry (the stub and the lazy binder push,
 * then restore it and jump). Calls on the way (the binder's) are run through.
 * 0: at the function's entry (r updated); 1: back in the caller, the
 * function run through (it has no lines); 2: stopped elsewhere (report st). */
static int through_plt(struct dbg *d, struct tl_stop *st, struct user_regs_struct *r)
{
	uint64_t rsp_entry = r->rsp;
	for (long i = 0; i < 100000; i++) {
		uint8_t insn[16] = {0};
		dbg_read(d, r->rip, insn, sizeof insn);
		uint64_t rsp_prev = r->rsp, pc_prev = r->rip;
		if (d->interrupted)
			return 2;
		if (do_stepi(d, 1, st) < 0)
			return DBG_ERROR;
		if (st->kind != TL_STOP_STEP || dbg_regs(d, r) < 0)
			return 2;
		if (insn_is_call(insn) && r->rsp == rsp_prev - 8 && r->rip != pc_prev) {
			int rc = forward_over_callee(d, st);
			if (rc < 0)
				return rc;
			if (rc > 0)
				return 2;
			st->kind = TL_STOP_STEP;
			if (dbg_regs(d, r) < 0)
				return 2;
			continue;
		}
		if (r->rsp > rsp_entry)
			return 1;
		if (r->rsp == rsp_entry && insn_is_jmp(insn) && !in_plt(d, r->rip)) {
			if (has_lines(d, r->rip))
				return 0;
			int rc = forward_over_callee(d, st);
			if (rc < 0)
				return rc;
			if (rc > 0)
				return 2;
			st->kind = TL_STOP_STEP;
			return dbg_regs(d, r) < 0 ? 2 : 1;
		}
	}
	return 2;
}

/* Whether the stop is in another function than the one starting at f0. */
static int left_func(struct dbg *d, uint64_t f0)
{
	struct user_regs_struct r;
	const char *name;
	uint64_t lo, hi;
	if (dbg_regs(d, &r) < 0 || dw_func_for_pc(d->dw, r.rip, &name, &lo, &hi) < 0)
		return 0;
	return lo != f0;
}

/* One `step`/`next` forward. Returns DBG_OK after reporting. */
static int step_forward(struct dbg *d, int over, int until)
{
	struct user_regs_struct r;
	struct tl_stop st = {0};
	if (dbg_regs(d, &r) < 0)
		return dbg_error(d, "The program is not being run.");
	uint64_t pc0 = r.rip;
	struct line_ctx l;
	int newframe = 0;
	if (line_load(d, r.rip, &l) < 0 || !has_lines(d, r.rip)) {
		/* gdb: step out of a function without line info. */
		struct dw_symbol sym;
		const char *nm = dw_symbol_for_addr(d->dw, r.rip, &sym) == 0 && sym.name ? sym.name : "??";
		dbg_printf(d, "Single stepping until exit from function %s,\nwhich has no line number information.\n", nm);
		int ri = dbg_load_frames(d) < 0 ? -1 : dw_frame_return_index(d->frames, d->nframes, 0);
		if (ri < 0)
			return dbg_error(d, "Cannot find the caller of this function.");
		int rc = continue_to(d, 1, d->frames[ri].pc, 0, r.rsp, &st);
		if (rc < 0)
			return rc;
		if (!rc) {
			dbg_report(d, &st, WHY_STEP);
			return DBG_OK;
		}
		if (line_load(d, d->frames[0].pc, &l) < 0 || !has_lines(d, d->frames[0].pc)) {
			report_step_end(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
		newframe = 1;
		st.kind = TL_STOP_STEP;
		dbg_regs(d, &r);
	}
	/* A jump into another function (a tail call) shows its frame too. */
	uint64_t f0 = l.func_lo;
	/* until steps as gdb does through [function start, end of the line's
	 * range holding pc): whatever jumps back stays in it. */
	uint64_t until_lo = l.func_lo, until_hi = 0;
	for (size_t k = 0; k < l.n; k++)
		if (pc0 >= l.r[k].lo && pc0 < l.r[k].hi)
			until_hi = l.r[k].hi;
	for (long i = 0; i < MAX_STEPS; i++) {
		uint8_t insn[16] = {0};
		dbg_read(d, r.rip, insn, sizeof insn);
		uint64_t pc_prev = r.rip, rsp_prev = r.rsp;
		int was_call = insn_is_call(insn), was_ret = insn_is_ret(insn);
		uint64_t ev_prev = tl_position(d->tl).event;
		if (d->interrupted)
			break;
		if (do_stepi(d, 1, &st) < 0)
			return DBG_ERROR;
		if (st.kind != TL_STOP_STEP) {
			dbg_report(d, &st, WHY_STEP);
			return DBG_OK;
		}
		if (dbg_regs(d, &r) < 0)
			break;
		const struct trace_event *sev = delivered(d, ev_prev);
		if (sev) {
			/* The step delivered a signal: a handler starts. gdb
			 * stops at its first instruction for a signal it stops
			 * for (the step from "Program received signal"), and
			 * runs the handler through for the others. */
			if (dbg_sig_stops(d, sev->signo)) {
				report_step_end(d, &st, WHY_STEP_NEWFRAME);
				return DBG_OK;
			}
			if (dbg_sig_prints(d, sev->signo))
				print_signal(d, sev->signo);
			int rc = continue_to(d, 1, pc_prev, rsp_prev, 0, &st);
			if (rc < 0)
				return rc;
			if (!rc) {
				dbg_report(d, &st, WHY_STEP);
				return DBG_OK;
			}
			st.kind = TL_STOP_STEP;
			if (dbg_regs(d, &r) < 0)
				break;
			continue;
		}
		if (was_call && r.rsp == rsp_prev - 8 && r.rip != pc_prev) {
			/* Entered a callee. A PLT stub leads to the function
			 * (through the dynamic linker the first time): step
			 * gets there, as gdb does, to enter it when it has
			 * lines. */
			if (!over && !has_lines(d, r.rip) && in_plt(d, r.rip)) {
				int rc = through_plt(d, &st, &r);
				if (rc < 0)
					return rc;
				if (rc == 2) {
					dbg_report(d, &st, WHY_STEP);
					return DBG_OK;
				}
				if (rc == 1)
					goto back_in_caller;
			}
			if (!over && has_lines(d, r.rip)) {
				uint64_t a = after_prologue(d, r.rip);
				if (a != r.rip) {
					int rc = continue_to(d, 1, a, 0, 0, &st);
					if (rc < 0)
						return rc;
					if (!rc) {
						dbg_report(d, &st, WHY_STEP);
						return DBG_OK;
					}
					st.kind = TL_STOP_STEP;
				}
				report_step_end(d, &st, WHY_STEP_NEWFRAME);
				return DBG_OK;
			}
			int rc = forward_over_callee(d, &st);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				dbg_report(d, &st, WHY_STEP);
				return DBG_OK;
			}
			st.kind = TL_STOP_STEP;
			if (dbg_regs(d, &r) < 0)
				break;
		back_in_caller:
			/* Back at the return address: it may start a line. */
			;
		}
		if (!was_ret && in_line(&l, r.rip))
			continue;
		if (until && !newframe && r.rip >= until_lo && r.rip < until_hi)
			continue; /* a jump back: until does not go round loops */
		if (was_ret && r.rsp > rsp_prev) {
			/* Returned to the caller (or, through the signal
			 * trampoline, to the code a handler interrupted). */
			newframe = 1;
			if (at_sigreturn(d, r.rip)) {
				int rc = through_sigreturn(d, &st, &r);
				if (rc < 0)
					return rc;
				if (rc > 0) {
					dbg_report(d, &st, WHY_STEP);
					return DBG_OK;
				}
			}
			if (line_load(d, r.rip, &l) < 0 || !has_lines(d, r.rip)) {
				report_step_end(d, &st, WHY_LOCATION);
				return DBG_OK;
			}
			/* At the start of a statement: stop there (a call that
			 * ended its line); else finish the line (gdb's "stepped
			 * back out into the middle of a line"). */
			struct dw_line ln;
			if (dw_line_for_pc(d->dw, r.rip, &ln) == 0 && ln.addr == r.rip && ln.is_stmt) {
				report_step_end(d, &st, WHY_STEP_NEWFRAME);
				return DBG_OK;
			}
			continue;
		}
		struct dw_line ln;
		if (dw_line_for_pc(d->dw, r.rip, &ln) < 0) {
			/* Into code without line information (a jump, a signal). */
			report_step_end(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
		if (ln.addr == r.rip && ln.is_stmt && ln.line != l.line) {
			report_step_end(d, &st, newframe || left_func(d, f0) ? WHY_STEP_NEWFRAME : WHY_STEP);
			return DBG_OK;
		}
		/* The middle of another line (or until's loop back): take it as
		 * the range to step through. */
		line_load(d, r.rip, &l);
	}
	report_step_end(d, &st, newframe || left_func(d, f0) ? WHY_STEP_NEWFRAME : WHY_STEP);
	return DBG_OK;
}

/* Back (or forward) to an exact position the command passed: the undo of
 * one step too far. */
static int seek_to(struct dbg *d, const struct tl_pos *p, struct tl_stop *st)
{
	char err[CORE_ERRLEN];
	int rc = tl_seek(d->tl, p, st, err, sizeof err);
	dbg_after_motion(d);
	if (rc < 0)
		return motion_failed(d, err);
	st->kind = TL_STOP_STEP;
	return 0;
}

/* Whether pc lies in the prologue of the function pc_from is in (the code
 * before the address `break FUNC` uses). */
static int in_prologue(struct dbg *d, uint64_t pc, uint64_t pc_from)
{
	const char *name;
	uint64_t lo, hi;
	if (dw_func_for_pc(d->dw, pc, &name, &lo, &hi) < 0 || pc_from < lo || pc_from >= hi)
		return 0;
	return pc < after_prologue(d, pc);
}

/* One `reverse-step`/`reverse-next`: back to the start of the previous
 * line (of the current line when stopped in its middle). */
static int step_backward(struct dbg *d, int over)
{
	struct user_regs_struct r;
	struct tl_stop st = {0};
	if (dbg_regs(d, &r) < 0) {
		/* At the end of the recording there is no process: the last
		 * instruction comes first. */
		if (do_stepi(d, -1, &st) < 0)
			return DBG_ERROR;
		if (st.kind != TL_STOP_STEP || dbg_regs(d, &r) < 0) {
			dbg_report(d, &st, WHY_STEP);
			return DBG_OK;
		}
	}
	struct line_ctx l;
	int newframe = 0;
	if (line_load(d, r.rip, &l) < 0 || !has_lines(d, r.rip)) {
		/* No line info here: back out to the caller of this function. */
		if (dbg_load_frames(d) < 0)
			return dbg_error(d, "Cannot find the caller of this function.");
		const char *name;
		uint64_t lo = 0, hi;
		struct dw_symbol sym;
		if (dw_func_for_pc(d->dw, r.rip, &name, &lo, &hi) < 0 &&
		    dw_symbol_for_addr(d->dw, r.rip, &sym) == 0)
			lo = sym.addr;
		if (!lo || d->nframes < 2)
			return dbg_error(d, "Cannot find the start of this function.");
		struct tmp_bp t;
		if (tmp_add(d, &t, lo, d->frames[0].cfa - 8, 0) < 0)
			return DBG_ERROR;
		int rc = r.rip == lo ? 0 : do_continue(d, -1, &st, &t, 1);
		int ours = r.rip == lo || is_tmp(&st, &t, 1);
		tmp_del(d, &t);
		if (rc < 0)
			return rc;
		if (!ours) {
			dbg_report(d, &st, WHY_STEP);
			return DBG_OK;
		}
		if (do_stepi(d, -1, &st) < 0)
			return DBG_ERROR;
		if (st.kind != TL_STOP_STEP || dbg_regs(d, &r) < 0 || line_load(d, r.rip, &l) < 0) {
			report_step_end(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
		newframe = 1;
	}
	/* finding: looking for the start of line l (it has been entered, or
	 * we started in its middle); else still leaving the line we started
	 * at the start of. */
	int finding = 0;
	{
		struct dw_line ln;
		if (dw_line_for_pc(d->dw, r.rip, &ln) == 0 && ln.addr != r.rip)
			finding = 1; /* mid-line: back to the start of this line */
	}
	for (long i = 0; i < MAX_STEPS; i++) {
		uint64_t pc_prev = r.rip, rsp_prev = r.rsp;
		struct tl_pos pos_prev = tl_position(d->tl);
		if (d->interrupted)
			break;
		if (do_stepi(d, -1, &st) < 0)
			return DBG_ERROR;
		if (st.kind != TL_STOP_STEP) {
			dbg_report(d, &st, WHY_STEP);
			return DBG_OK;
		}
		if (dbg_regs(d, &r) < 0)
			break;
		uint8_t insn[16] = {0};
		dbg_read(d, r.rip, insn, sizeof insn);
		uint64_t top = 0;
		if (insn_is_ret(insn) && r.rsp == rsp_prev - 8 && dbg_read(d, r.rsp, &top, 8) == 0 &&
		    top == pc_prev) {
			/* Stepped back into a callee, onto its return. Its call
			 * belongs to the line being stepped when that line is
			 * being left or holds the call: then gdb enters it
			 * (reverse-step) or skips it, wherever in the line it
			 * lies. Else the line looked for starts at the return
			 * address. */
			uint64_t ca = call_before(d, pc_prev);
			if (finding && !in_line(&l, ca ? ca : pc_prev)) {
				if (seek_to(d, &pos_prev, &st) < 0)
					return DBG_ERROR;
				break;
			}
			if (!over && has_lines(d, r.rip)) {
				/* reverse-step enters it: to the start of its last line */
				line_load(d, r.rip, &l);
				finding = 1;
				newframe = 1;
				continue;
			}
			int rc = backward_over_callee(d, pc_prev, rsp_prev, &st);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				dbg_report(d, &st, WHY_STEP);
				return DBG_OK;
			}
			st.kind = TL_STOP_STEP;
			if (dbg_regs(d, &r) < 0)
				break;
			if (in_line(&l, r.rip))
				continue;
			if (finding) {
				/* The line starts at the return address: back
				 * there, without running the callee again (its
				 * breakpoints would stop a forward run). */
				if (seek_to(d, &pos_prev, &st) < 0)
					return DBG_ERROR;
				break;
			}
			/* The call ends the line before: find that line's start. */
			if (line_load(d, r.rip, &l) < 0) {
				report_step_end(d, &st, WHY_LOCATION);
				return DBG_OK;
			}
			finding = 1;
			continue;
		}
		if (finding && !in_line(&l, r.rip)) {
			/* One instruction before the line's start (in the caller,
			 * another line, or a jump's source): forward again. */
			if (seek_to(d, &pos_prev, &st) < 0)
				return DBG_ERROR;
			break;
		}
		if (insn_is_call(insn) && r.rsp == rsp_prev + 8) {
			/* Stepped back out of the function's entry into its caller:
			 * go on to the start of the calling line. */
			newframe = 1;
			if (line_load(d, r.rip, &l) < 0 || !has_lines(d, r.rip)) {
				report_step_end(d, &st, WHY_LOCATION);
				return DBG_OK;
			}
			finding = 1;
			continue;
		}
		if (in_line(&l, r.rip))
			continue;
		if (in_prologue(d, r.rip, pc_prev)) {
			/* Leaving the first line of the body backward: as gdb,
			 * the prologue is no line to stop at (forward steps skip
			 * it too); go on back to the caller. */
			continue;
		}
		struct dw_line ln;
		if (line_load(d, r.rip, &l) < 0 || dw_line_for_pc(d->dw, r.rip, &ln) < 0) {
			report_step_end(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
		finding = 1;
	}
	report_step_end(d, &st, newframe ? WHY_STEP_NEWFRAME : WHY_STEP);
	return DBG_OK;
}

static int parse_count(struct dbg *d, const char *args, int *n)
{
	*n = 1;
	if (args && *args) {
		char *end;
		long v = strtol(args, &end, 0);
		if (end == args || v < 0)
			return dbg_error(d, "Invalid number \"%s\".", args);
		*n = (int)v;
	}
	return 0;
}

/* Whether the last motion ended somewhere that stops a repeated command. */
static int stopped_by_user(struct dbg *d)
{
	return d->last_state[0] && strcmp(d->last_state, "stopped") != 0;
}

int dbg_cmd_step(struct dbg *d, const char *args, int dir, int over)
{
	int n;
	if (parse_count(d, args, &n) < 0)
		return DBG_ERROR;
	if (dir > 0 && !dbg_alive(d))
		return dbg_error(d, "The program is not being run.");
	dbg_bp_refresh_watch_values(d);
	d->last_direction = dir;
	for (int i = 0; i < n; i++) {
		d->last_state[0] = 0;
		int rc = dir > 0 ? step_forward(d, over, 0) : step_backward(d, over);
		if (rc < 0)
			return rc;
		if (stopped_by_user(d) || !dbg_alive(d))
			break;
	}
	return DBG_OK;
}

int dbg_cmd_stepi(struct dbg *d, const char *args, int dir, int over)
{
	int n;
	if (parse_count(d, args, &n) < 0)
		return DBG_ERROR;
	if (dir > 0 && !dbg_alive(d))
		return dbg_error(d, "The program is not being run.");
	dbg_bp_refresh_watch_values(d);
	d->last_direction = dir;
	struct tl_stop st = {0};
	const char *fn0 = NULL;
	uint64_t lo0 = 0, hi0;
	struct user_regs_struct r;
	if (dbg_regs(d, &r) == 0)
		dw_func_for_pc(d->dw, r.rip, &fn0, &lo0, &hi0);
	for (int i = 0; i < n; i++) {
		uint8_t insn[16] = {0};
		uint64_t rsp_prev = 0, pc_prev = 0;
		if (dbg_regs(d, &r) == 0) {
			dbg_read(d, r.rip, insn, sizeof insn);
			rsp_prev = r.rsp;
			pc_prev = r.rip;
		}
		if (do_stepi(d, dir, &st) < 0)
			return DBG_ERROR;
		if (st.kind != TL_STOP_STEP)
			break;
		if (!over || dbg_regs(d, &r) < 0)
			continue;
		if (dir > 0 && insn_is_call(insn) && r.rsp == rsp_prev - 8) {
			int rc = forward_over_callee(d, &st);
			if (rc < 0)
				return rc;
			if (rc > 0)
				break;
			st.kind = TL_STOP_STEP;
		} else if (dir < 0) {
			uint8_t b[16] = {0};
			uint64_t top = 0;
			dbg_read(d, r.rip, b, sizeof b);
			if (insn_is_ret(b) && r.rsp == rsp_prev - 8 && dbg_read(d, r.rsp, &top, 8) == 0 &&
			    top == pc_prev) {
				int rc = backward_over_callee(d, pc_prev, rsp_prev, &st);
				if (rc < 0)
					return rc;
				if (rc > 0)
					break;
				st.kind = TL_STOP_STEP;
			}
		}
	}
	/* A new function is announced with its frame line. */
	const char *fn1 = NULL;
	uint64_t lo1 = 0, hi1;
	enum dbg_why why = WHY_STEPI;
	if (st.kind == TL_STOP_STEP && dbg_regs(d, &r) == 0) {
		dw_func_for_pc(d->dw, r.rip, &fn1, &lo1, &hi1);
		if (lo1 != lo0 || !fn1)
			why = WHY_LOCATION;
	}
	report_step_end(d, &st, why);
	return DBG_OK;
}

/* ---- finish ---------------------------------------------------------------------------- */

/* The return type of the function at pc, as a C type name ("" for void,
 * NULL when unknown or not printable from rax). */
static int return_type(struct dbg *d, const char *func, char *out, size_t outlen)
{
	struct dw_sb sb;
	dw_sb_init(&sb);
	char err[256];
	int rc = dw_ptype(d->dw, &d->target, dbg_sel_frame(d), func, 1, &sb, err, sizeof err);
	/* "type = int (int, char)" */
	if (rc < 0 || !sb.buf || strncmp(sb.buf, "type = ", 7) != 0) {
		dw_sb_free(&sb);
		return -1;
	}
	const char *t = sb.buf + 7;
	const char *paren = strrchr(t, '(');
	/* the argument list is the last parenthesised group */
	int depth = 0;
	for (const char *p = t + strlen(t); p > t; p--) {
		if (p[-1] == ')')
			depth++;
		else if (p[-1] == '(' && --depth == 0) {
			paren = p - 1;
			break;
		}
	}
	if (!paren) {
		dw_sb_free(&sb);
		return -1;
	}
	size_t n = (size_t)(paren - t);
	while (n && t[n - 1] == ' ')
		n--;
	snprintf(out, outlen, "%.*s", (int)n, t);
	dw_sb_free(&sb);
	return 0;
}

static int scalar_return(const char *type)
{
	if (strchr(type, '*'))
		return 1;
	static const char *const ok[] = {"char", "signed char", "unsigned char", "short", "unsigned short",
	                                 "int", "unsigned int", "long", "unsigned long", "long long",
	                                 "unsigned long long", "_Bool", "bool", "size_t", "ssize_t",
	                                 "short int", "long int", "unsigned", "long unsigned int",
	                                 "short unsigned int", "long long int", "long long unsigned int",
	                                 NULL};
	for (int i = 0; ok[i]; i++)
		if (strcmp(type, ok[i]) == 0)
			return 1;
	return 0;
}

int dbg_cmd_finish(struct dbg *d, int dir)
{
	if (!dbg_alive(d))
		return dbg_error(d, "The program is not being run.");
	if (dbg_load_frames(d) < 0)
		return dbg_error(d, "No stack.");
	int n = d->cur_frame;
	/* The frame that resumes: past inlined levels and tail calls. */
	int ri = dw_frame_return_index(d->frames, d->nframes, n);
	if (ri < 0)
		return dbg_error(d, "\"finish\" not meaningful in the outermost frame.");
	dbg_bp_refresh_watch_values(d);
	d->last_direction = dir;
	struct dw_frame f = d->frames[n], caller = d->frames[ri];
	const char *fname = NULL;
	uint64_t lo = 0, hi = 0;
	struct dw_symbol sym;
	if (dw_func_for_pc(d->dw, f.pc, &fname, &lo, &hi) < 0) {
		if (dw_symbol_for_addr(d->dw, f.pc, &sym) == 0) {
			fname = sym.name;
			lo = sym.addr;
		}
	}
	if (d->from_tty) {
		dbg_puts(d, dir > 0 ? "Run till exit from " : "Run back to call of ");
		dbg_print_frame_head(d, &f, 1);
	}
	struct tl_stop st = {0};
	if (dir > 0) {
		char rtype[256] = "";
		int have_type = fname && return_type(d, fname, rtype, sizeof rtype) == 0;
		int rc = continue_to(d, 1, caller.pc, f.cfa, 0, &st);
		if (rc < 0)
			return rc;
		if (!rc) {
			if (st.kind == TL_STOP_END && stop_at_crash(d, &st, tl_position(d->tl)))
				return DBG_OK;
			dbg_report(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
		dbg_print_frame(d, 0, 1);
		if (have_type && rtype[0] && strcmp(rtype, "void") != 0 && scalar_return(rtype)) {
			char expr[320], err[256];
			snprintf(expr, sizeof expr, "(%s)$rax", rtype);
			struct dw_sb sb;
			dw_sb_init(&sb);
			if (dw_print(d->dw, &d->target, dbg_sel_frame(d), expr, 0, &sb, err, sizeof err) == 0 && sb.buf)
				dbg_printf(d, "Value returned is %s", sb.buf);
			dw_sb_free(&sb);
		}
		snprintf(d->last_state, sizeof d->last_state, "stopped");
		dbg_do_displays(d);
		return DBG_OK;
	}
	/* Backward: to the entry of this activation, then onto the call. */
	if (!lo)
		return dbg_error(d, "Cannot find the start of the function.");
	struct user_regs_struct r;
	int at_entry = n == 0 && dbg_regs(d, &r) == 0 && r.rip == lo && r.rsp == f.cfa - 8;
	if (!at_entry) {
		int rc = continue_to(d, -1, lo, f.cfa - 8, 0, &st);
		if (rc < 0)
			return rc;
		if (!rc) {
			dbg_report(d, &st, WHY_LOCATION);
			return DBG_OK;
		}
	}
	if (do_stepi(d, -1, &st) < 0)
		return DBG_ERROR;
	dbg_report(d, &st, WHY_LOCATION);
	return DBG_OK;
}

/* ---- until / advance ----------------------------------------------------------------------- */

int dbg_cmd_until(struct dbg *d, const char *args, int dir, int advance)
{
	if (!dbg_alive(d) && dir > 0)
		return dbg_error(d, "The program is not being run.");
	if (!args || !*args) {
		if (advance)
			return dbg_error(d, "Argument required (a location).");
		dbg_bp_refresh_watch_values(d);
		d->last_direction = dir;
		return dir > 0 ? step_forward(d, 1, 1) : step_backward(d, 1);
	}
	uint64_t addr;
	char err[512];
	char offs[1200];
	if (dbg_line_offset(d, args, offs, sizeof offs) > 0)
		args = offs;
	if (dw_resolve_location(d->dw, args, &addr, err, sizeof err) < 0)
		return dbg_error(d, "%s", err);
	dbg_bp_refresh_watch_values(d);
	d->last_direction = dir;
	/* Also stop when the current frame is left (gdb: "until/advance also
	 * stop upon exit from the current stack frame"). */
	struct tmp_bp t[2];
	int nt = 0;
	if (tmp_add(d, &t[nt++], addr, 0, 0) < 0)
		return DBG_ERROR;
	int leave = 0;
	int ri = dbg_load_frames(d) == 0 ? dw_frame_return_index(d->frames, d->nframes, 0) : -1;
	if (ri > 0) {
		if (dir > 0) {
			if (tmp_add(d, &t[nt], d->frames[ri].pc, d->frames[0].cfa, 0) == 0)
				leave = t[nt++].id;
		} else {
			const char *name;
			uint64_t lo, hi;
			if (dw_func_for_pc(d->dw, d->frames[0].pc, &name, &lo, &hi) == 0 &&
			    tmp_add(d, &t[nt], lo, d->frames[0].cfa - 8, 0) == 0)
				leave = t[nt++].id;
		}
	}
	struct tl_stop st = {0};
	int rc = do_continue(d, dir, &st, t, nt);
	int ours = is_tmp(&st, t, nt);
	int left = ours && st.bp_id == leave;
	for (int i = 0; i < nt; i++)
		tmp_del(d, &t[i]);
	if (rc < 0)
		return rc;
	if (!ours) {
		dbg_report(d, &st, WHY_LOCATION);
		return DBG_OK;
	}
	st.kind = TL_STOP_STEP;
	if (left && dir < 0 && do_stepi(d, -1, &st) < 0)
		return DBG_ERROR;
	dbg_report(d, &st, WHY_LOCATION);
	return DBG_OK;
}

/* ---- run N / seek --------------------------------------------------------------------------- */

int dbg_cmd_run_event(struct dbg *d, const char *args)
{
	struct tl_stop st;
	char err[CORE_ERRLEN];
	if (!args || !*args) {
		/* gdb's run: the program from its start, on to the first stop
		 * (a replay restarts, as rr's does). */
		int rc = tl_run_to_event(d->tl, 1, &st, err, sizeof err);
		dbg_after_motion(d);
		if (rc < 0)
			return dbg_error(d, "%s", err);
		int was = d->from_tty;
		d->from_tty = 0; /* no "Continuing." */
		rc = dbg_cmd_continue(d, "", 1);
		d->from_tty = was;
		return rc;
	}
	struct tl_pos p;
	int rc;
	char *end;
	unsigned long long ev = strtoull(args, &end, 10);
	d->last_direction = 0;
	if (*end == 0) {
		if (ev > trace_nevents(d->trace))
			return dbg_error(d, "Event %llu is past the end of the recording (%llu events).", ev,
			                 (unsigned long long)trace_nevents(d->trace));
		rc = tl_run_to_event(d->tl, ev ? ev : 1, &st, err, sizeof err);
	} else {
		if (tl_position_parse(args, &p, err, sizeof err) < 0)
			return dbg_error(d, "%s", err);
		rc = tl_seek(d->tl, &p, &st, err, sizeof err);
	}
	dbg_after_motion(d);
	if (rc < 0)
		return dbg_error(d, "%s", err);
	if (st.kind == TL_STOP_END) {
		dbg_report(d, &st, WHY_LOCATION);
		return DBG_OK;
	}
	st.kind = TL_STOP_EVENT;
	dbg_report(d, &st, WHY_LOCATION);
	return DBG_OK;
}

int dbg_cmd_start(struct dbg *d)
{
	if (dbg_cmd_break(d, "main", 1) < 0)
		return DBG_ERROR;
	return dbg_cmd_run_event(d, "");
}

int dbg_line_offset(struct dbg *d, const char *spec, char *out, size_t outlen)
{
	if ((spec[0] != '+' && spec[0] != '-') || !isdigit((unsigned char)spec[1]))
		return 0;
	char *end;
	long n = strtol(spec, &end, 10);
	if (*end)
		return 0;
	const struct dw_frame *f = dbg_sel_frame(d);
	const char *file;
	int line;
	if (!f || dw_frame_pos(d->dw, f, &file, &line) < 0)
		return -1;
	snprintf(out, outlen, "%s:%ld", file, line + n > 0 ? line + n : 1);
	return 1;
}
