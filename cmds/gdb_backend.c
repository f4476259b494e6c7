/*
 * gdb_backend.c — the gdb server's backend (struct gdb_backend) over a
 * replay timeline (core/, struct tl), and gdb_replay_serve, which puts the
 * two together on a socket.
 *
 * gdb's view is mapped onto the timeline as follows. Registers come from
 * tl_get_regs (the x87/SSE registers go out as unavailable: the timeline has
 * no call for them yet). Memory comes from tl_read, page by page when a read
 * runs into an unmapped page, so gdb gets the readable prefix. gdb's thread
 * is the recorded pid. Breakpoints and watchpoints are kept in a table of
 * what gdb wants and handed to the timeline only when gdb resumes (see
 * sync_breaks): gdb removes every breakpoint at each stop and inserts them
 * all again at the next resume, and each tl_bp_add may cost the timeline a
 * replay to count hits, so the table spares it all that churn.
 *
 * Two things gdb expects of a target the timeline does not do by itself
 * are done here: a single step that writes a watched location stops as a
 * watchpoint (the bytes are compared around the step), and a read
 * watchpoint, which the debug registers can only have as an access one,
 * passes over the writes. A motion that fails goes back to where gdb last
 * saw the replay.
 *
 * The two ends of the recording. Going backward past the first event
 * reports replaylog:begin (gdb: "No more reverse-execution history.").
 * Going forward, the timeline's end is the process gone (no registers, no
 * memory), which gdb cannot show; so, as rr does, the first arrival stops
 * one instruction earlier, at the exit system call (or the fatal fault),
 * reported as replaylog:end (or as the fatal signal), and a further
 * continue or step from there reports the recorded exit status (W or X).
 */
#include "cmds/gdb_backend.h"

#include "cmds/gdb_server.h"
#include "core/core.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ull
/* An auxiliary vector has a few dozen entries; bound what we copy. */
#define AUXV_MAX 4096

/* One breakpoint or watchpoint as gdb asked for it. */
struct want {
	enum gdb_bp_type type;
	uint64_t addr, len;
};

/* One timeline breakpoint or watchpoint, for a piece of a want. */
struct inst {
	enum gdb_bp_type type;
	uint64_t gdb_addr, gdb_len; /* the want it belongs to */
	int id;                     /* tl's */
};

struct gdb_replay {
	struct tl *tl;
	const struct gdb_replay_opts *opt;
	struct want *want;
	size_t nwant, capwant;
	struct inst *inst;
	size_t ninst, capinst;
	/* The stop one instruction before the end, once reported (see the
	 * file's comment): a forward motion from it reports the exit. */
	int have_last;
	struct tl_pos last_pos;
	uint64_t auxv_event;        /* the exec event auxv[] was taken from */
	struct gdb_serve_opts so;   /* how each session is served */
	size_t auxv_len;
	uint8_t auxv[AUXV_MAX];
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void moved(struct gdb_replay *b)
{
	if (b->opt && b->opt->on_move)
		b->opt->on_move(b->opt->ctx);
}

/* ---- registers, memory, identity -------------------------------------- */

static int be_get_regs(void *v, struct gdb_regs *regs, char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	struct user_regs_struct u;
	struct user_fpregs_struct fp;

	if (tl_get_regs(b->tl, &u, err, errlen) < 0)
		return -1;
	/* Without the x87/SSE state gdb shows those registers unavailable. */
	int have_fp = tl_get_fpregs(b->tl, &fp, err, errlen) == 0;
	gdb_regs_from_user(regs, &u, have_fp ? &fp : NULL);
	return 0;
}

static int be_read_mem(void *v, uint64_t addr, void *buf, size_t len, size_t *got,
		       char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	size_t done = 0;

	*got = 0;
	if (tl_read(b->tl, addr, buf, len, err, errlen) == 0) {
		*got = len;
		return 0;
	}
	/* Mappings are whole pages: read up to each page boundary and stop
	 * at the first page that fails, so gdb gets what can be read. */
	while (done < len) {
		uint64_t a = addr + done;
		size_t n = (size_t)(PAGE - (a & (PAGE - 1)));
		if (n > len - done)
			n = len - done;
		if (tl_read(b->tl, a, (uint8_t *)buf + done, n, err, errlen) < 0)
			break;
		done += n;
	}
	*got = done;
	return done ? 0 : -1;
}

static int64_t be_thread_id(void *v)
{
	struct gdb_replay *b = v;

	return trace_header(tl_trace(b->tl))->pid;
}

/* The last exec event at or before the current position (the program gdb
 * looks at), or NULL. */
static const struct trace_event *current_exec(struct gdb_replay *b)
{
	const struct trace *t = tl_trace(b->tl);
	uint64_t now = tl_position(b->tl).event;
	const struct trace_event *found = NULL;

	for (uint64_t no = 1; no <= now; no++) {
		const struct trace_event *e = trace_event(t, no);
		if (!e)
			break;
		if (e->kind == TRACE_EXEC)
			found = e;
	}
	return found;
}

/* The auxiliary vector is not kept apart in the trace, but the exec
 * event's initial stack holds it: at rsp lie argc, argv[] and envp[] (each
 * NULL-terminated), then the (type, value) pairs up to AT_NULL. */
static int be_auxv(void *v, const void **data, size_t *len, char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	const struct trace_event *e = current_exec(b);

	if (!e || !e->stack)
		return fail(err, errlen, "auxv: no exec event recorded");
	if (b->auxv_len && b->auxv_event == e->no)
		goto out;
	uint64_t rsp = e->regs.rsp;
	if (rsp < e->stack_addr || rsp - e->stack_addr > e->stack_len)
		return fail(err, errlen, "auxv: the initial stack was not recorded");
	const uint8_t *p = e->stack + (rsp - e->stack_addr);
	size_t avail = (size_t)(e->stack_len - (rsp - e->stack_addr)) / 8, i = 0;
	uint64_t w;
#define WORD(k) (memcpy(&w, p + 8 * (k), 8), w)
	if (avail < 1 || WORD(0) > avail)
		goto bad;
	i = 1 + (size_t)WORD(0) + 1;	/* argc, argv[], NULL */
	if (i > avail)
		goto bad;
	while (i < avail && WORD(i) != 0)	/* envp[] */
		i++;
	i++;
	size_t start = i;
	for (; i + 1 < avail; i += 2)
		if (WORD(i) == 0)	/* AT_NULL */
			break;
	if (i + 1 >= avail || (i + 2 - start) * 8 > AUXV_MAX)
		goto bad;
#undef WORD
	b->auxv_len = (i + 2 - start) * 8;
	memcpy(b->auxv, p + 8 * start, b->auxv_len);
	b->auxv_event = e->no;
out:
	*data = b->auxv;
	*len = b->auxv_len;
	return 0;
bad:
	return fail(err, errlen, "auxv: the recorded initial stack is cut short");
}

static int be_exec_file(void *v, char *path, size_t cap, char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	const struct trace *t = tl_trace(b->tl);
	const struct trace_event *e = current_exec(b);
	const char *exe = e && e->exec_path ? e->exec_path : trace_header(t)->exe;

	if (!exe)
		return fail(err, errlen, "exec-file: not recorded");
	/* The trace's own copy, when it has one, is the exact file recorded. */
	for (int i = 0; i < trace_nfiles(t); i++) {
		const struct trace_file *f = trace_file(t, i);
		char tmp[CORE_ERRLEN];
		if (f->copy && f->path && strcmp(f->path, exe) == 0 &&
		    trace_file_path(t, i, path, cap, tmp, sizeof tmp) == 0)
			return 0;
	}
	if (strlen(exe) >= cap)
		return fail(err, errlen, "exec-file: path too long");
	strcpy(path, exe);
	return 0;
}

/* ---- breakpoints and watchpoints -------------------------------------- */

static bool is_watch(enum gdb_bp_type t)
{
	return t == GDB_WP_WRITE || t == GDB_WP_READ || t == GDB_WP_ACCESS;
}

/* The longest range a watchpoint may cover (four debug registers of 8
 * bytes), and how many breakpoints and watchpoints one gdb may ask for:
 * sync_breaks compares the two tables at each resume, so a client must not
 * be able to make that quadratic work unbounded. */
#define WATCH_BYTES 32
#define MAX_WANTS 4096

/* Can [addr, addr+len) be watched at all? It has a byte, fits the debug
 * registers, and ends below the top of the address space. */
static bool watch_range_ok(uint64_t addr, uint64_t len)
{
	return len > 0 && len <= WATCH_BYTES && addr <= UINT64_MAX - len;
}

/* The debug registers a watched range needs: aligned 1/2/4/8-byte pieces,
 * the largest that fit. Fills up to max pieces; returns how many, or -1
 * for a range watch_range_ok refuses (whose count would not even fit). */
static int split(uint64_t addr, uint64_t len, uint64_t *pa, int *pl, int max)
{
	int n = 0;

	if (!watch_range_ok(addr, len))
		return -1;
	while (len > 0) {
		uint64_t l = 8;
		while (l > 1 && (addr % l || l > len))
			l /= 2;
		if (n < max) {
			pa[n] = addr;
			pl[n] = (int)l;
		}
		n++;
		addr += l;
		len -= l;
	}
	return n;
}

static int watch_regs(const struct want *w)
{
	uint64_t pa[1];
	int pl[1];

	return split(w->addr, w->len, pa, pl, 0);
}

static int be_set_break(void *v, enum gdb_bp_type type, uint64_t addr, uint64_t len,
			bool insert, char *err, size_t errlen)
{
	struct gdb_replay *b = v;

	if ((int)type < GDB_BP_SW || type > GDB_WP_ACCESS)
		return fail(err, errlen, "unknown breakpoint type %d", (int)type);
	if (!is_watch(type))
		len = 1;	/* gdb's kind is the int3 size; one address either way */
	for (size_t i = 0; i < b->nwant; i++) {
		struct want *w = &b->want[i];
		if (w->type != type || w->addr != addr || w->len != len)
			continue;
		if (!insert)
			b->want[i] = b->want[--b->nwant];
		return 0;	/* inserting twice is one breakpoint, as in gdb */
	}
	if (!insert)
		return 0;
	/* Refuse now what the timeline would refuse at the resume, so that
	 * gdb says which breakpoint cannot be inserted. */
	if (b->nwant >= MAX_WANTS)
		return fail(err, errlen, "too many breakpoints and watchpoints (%d)", MAX_WANTS);
	if (is_watch(type)) {
		struct want w = { type, addr, len };
		/* Checked before anything counts the pieces of the range. */
		if (!watch_range_ok(addr, len))
			return fail(err, errlen, "cannot watch %" PRIu64 " bytes at 0x%" PRIx64
				    " (at most %d, below the top of memory)", len, addr, WATCH_BYTES);
		int need = watch_regs(&w);
		for (size_t i = 0; i < b->nwant; i++)
			if (is_watch(b->want[i].type))
				need += watch_regs(&b->want[i]);
		if (need > 4)
			return fail(err, errlen, "all 4 debug registers are in use");
	} else {
		uint8_t byte;
		if (tl_read(b->tl, addr, &byte, 1, err, errlen) < 0)
			return -1;
	}
	if (b->nwant == b->capwant) {
		size_t cap = b->capwant ? 2 * b->capwant : 16;
		struct want *nw = realloc(b->want, cap * sizeof *nw);
		if (!nw)
			return fail(err, errlen, "out of memory");
		b->want = nw;
		b->capwant = cap;
	}
	b->want[b->nwant++] = (struct want){ type, addr, len };
	return 0;
}

static bool wanted(struct gdb_replay *b, const struct inst *in)
{
	for (size_t i = 0; i < b->nwant; i++)
		if (b->want[i].type == in->type && b->want[i].addr == in->gdb_addr &&
		    b->want[i].len == in->gdb_len)
			return true;
	return false;
}

static bool installed(struct gdb_replay *b, const struct want *w)
{
	for (size_t i = 0; i < b->ninst; i++)
		if (b->inst[i].type == w->type && b->inst[i].gdb_addr == w->addr &&
		    b->inst[i].gdb_len == w->len)
			return true;
	return false;
}

static int add_inst(struct gdb_replay *b, const struct want *w, enum tl_bp_kind kind,
		    uint64_t addr, int len, char *err, size_t errlen)
{
	int id;

	if (b->ninst == b->capinst) {
		size_t cap = b->capinst ? 2 * b->capinst : 16;
		struct inst *ni = realloc(b->inst, cap * sizeof *ni);
		if (!ni)
			return fail(err, errlen, "out of memory");
		b->inst = ni;
		b->capinst = cap;
	}
	if (tl_bp_add(b->tl, kind, addr, len, NULL, NULL, &id, err, errlen) < 0)
		return -1;
	b->inst[b->ninst++] = (struct inst){ w->type, w->addr, w->len, id };
	return 0;
}

/* Makes the timeline's breakpoints what gdb wants: deletions first, so
 * the debug registers they free are there for the additions. */
static int sync_breaks(struct gdb_replay *b, char *err, size_t errlen)
{
	for (size_t i = 0; i < b->ninst;) {
		if (wanted(b, &b->inst[i])) {
			i++;
			continue;
		}
		if (tl_bp_del(b->tl, b->inst[i].id, err, errlen) < 0)
			return -1;
		b->inst[i] = b->inst[--b->ninst];
	}
	for (size_t i = 0; i < b->nwant; i++) {
		const struct want *w = &b->want[i];
		if (installed(b, w))
			continue;
		if (!is_watch(w->type)) {
			if (add_inst(b, w, w->type == GDB_BP_HW ? TL_BP_HW : TL_BP_SW, w->addr,
				     1, err, errlen) < 0)
				return -1;
			continue;
		}
		/* The timeline watches writes or all accesses; a read watchpoint
		 * is an access one (a write to it stops too). */
		uint64_t pa[4];
		int pl[4], n = split(w->addr, w->len, pa, pl, 4);
		if (n < 0 || n > 4)
			return fail(err, errlen, "too many debug registers for a watchpoint");
		for (int k = 0; k < n; k++)
			if (add_inst(b, w, w->type == GDB_WP_WRITE ? TL_WATCH_WRITE : TL_WATCH_RW,
				     pa[k], pl[k], err, errlen) < 0)
				return -1;
	}
	return 0;
}

static void drop_breaks(struct gdb_replay *b)
{
	char err[CORE_ERRLEN];

	for (size_t i = 0; i < b->ninst; i++)
		tl_bp_del(b->tl, b->inst[i].id, err, sizeof err);
	b->ninst = 0;
	b->nwant = 0;
}

static const struct inst *inst_by_id(struct gdb_replay *b, int id)
{
	for (size_t i = 0; i < b->ninst; i++)
		if (b->inst[i].id == id)
			return &b->inst[i];
	return NULL;
}

/* ---- motion ----------------------------------------------------------- */

static void exit_stop(int status, struct rsp_stop *stop)
{
	if (WIFSIGNALED(status)) {
		stop->kind = RSP_STOP_KILLED;
		stop->signo = WTERMSIG(status);
	} else {
		stop->kind = RSP_STOP_EXITED;
		stop->status = WEXITSTATUS(status);
	}
}

/* The timeline reached the end: step back onto the last instruction (the
 * exit call, or the fault that killed the program), where gdb can still see
 * registers and memory, and say so: replaylog:end, or the fatal signal. */
static int back_from_end(struct gdb_replay *b, struct rsp_stop *stop, char *err, size_t errlen)
{
	struct tl_stop st;
	int status = 0;

	tl_at_end(b->tl, &status);
	if (tl_reverse_stepi(b->tl, &st, err, errlen) < 0)
		return -1;
	b->have_last = 1;
	b->last_pos = tl_position(b->tl);
	if (WIFSIGNALED(status)) {
		stop->kind = RSP_STOP_SIGNAL;
		stop->signo = WTERMSIG(status);
	} else {
		stop->kind = RSP_STOP_REPLAY_END;
	}
	return 0;
}

static bool at_last(struct gdb_replay *b)
{
	struct tl_pos p = tl_position(b->tl);

	return b->have_last && !tl_at_end(b->tl, NULL) &&
	       tl_position_cmp(&p, &b->last_pos) == 0;
}

static int map_stop(struct gdb_replay *b, const struct tl_stop *st, enum gdb_direction dir,
		    bool from_last, struct rsp_stop *stop, char *err, size_t errlen)
{
	const struct inst *in;

	stop->kind = RSP_STOP_SIGNAL;
	stop->signo = SIGTRAP;
	switch (st->kind) {
	case TL_STOP_BREAKPOINT:
		in = inst_by_id(b, st->bp_id);
		stop->kind = in && in->type == GDB_BP_HW ? RSP_STOP_HWBREAK : RSP_STOP_SWBREAK;
		stop->addr = st->addr;
		break;
	case TL_STOP_WATCHPOINT:
		in = inst_by_id(b, st->bp_id);
		/* The address gdb asked to watch, which it matches against its
		 * watchpoints, rather than the piece that fired. */
		stop->addr = in ? in->gdb_addr : st->addr;
		stop->kind = !in || in->type == GDB_WP_WRITE ? RSP_STOP_WATCH :
			     in->type == GDB_WP_READ ? RSP_STOP_RWATCH : RSP_STOP_AWATCH;
		break;
	case TL_STOP_START:
		stop->kind = RSP_STOP_REPLAY_BEGIN;
		break;
	case TL_STOP_END:
		if (dir == GDB_BACKWARD)
			break;
		if (from_last) {
			exit_stop(st->exit_status, stop);
			return 0;
		}
		return back_from_end(b, stop, err, errlen);
	default:
		break;
	}
	return 0;
}

/* Single steps and watchpoints. tl_stepi and tl_reverse_stepi run with
 * the debug registers off, yet gdb steps through a line one instruction
 * at a time (next, step) and expects a watched write on the way to be
 * reported by the step's stop reply. So the backend compares the watched
 * bytes around each step: a change is gdb's watch: (or awatch:). In
 * reverse the step undid the write, and the position is before it, as
 * after a reverse-continue to the same write. A read during a step goes
 * unseen (no bytes change): that needs the engine to step with the debug
 * registers armed, which tl_stepi does not do. */
#define WATCH_WANTS 4		/* be_set_break refuses more debug registers */

struct watch_snap {
	size_t n;
	size_t idx[WATCH_WANTS];    /* into b->want, which a resume does not change */
	bool ok[WATCH_WANTS];
	uint8_t v[WATCH_WANTS][WATCH_BYTES];
};

static void snap_watches(struct gdb_replay *b, struct watch_snap *s)
{
	char err[CORE_ERRLEN];

	s->n = 0;
	for (size_t i = 0; i < b->nwant && s->n < WATCH_WANTS; i++) {
		const struct want *w = &b->want[i];
		if ((w->type != GDB_WP_WRITE && w->type != GDB_WP_ACCESS) || w->len > WATCH_BYTES)
			continue;
		s->idx[s->n] = i;
		s->ok[s->n] = tl_read(b->tl, w->addr, s->v[s->n], (size_t)w->len, err,
				      sizeof err) == 0;
		s->n++;
	}
}

/* The first watched range whose bytes differ from the snapshot, or NULL. */
static const struct want *changed_watch(struct gdb_replay *b, const struct watch_snap *s)
{
	char err[CORE_ERRLEN];
	uint8_t now[WATCH_BYTES];

	if (tl_at_end(b->tl, NULL))
		return NULL;	/* nothing to read; the end is reported instead */
	for (size_t k = 0; k < s->n; k++) {
		const struct want *w = &b->want[s->idx[k]];
		bool ok = tl_read(b->tl, w->addr, now, (size_t)w->len, err, sizeof err) == 0;
		if (ok != s->ok[k] || (ok && memcmp(now, s->v[k], (size_t)w->len) != 0))
			return w;
	}
	return NULL;
}

/* x86 cannot watch reads alone: a read watchpoint (Z3) is an access one
 * in the timeline, and a hit that changed the bytes was a write. gdb
 * trusts a target that accepted Z3 to report reads only (it would print a
 * write as a read), so such a hit goes to an overlapping write or access
 * watchpoint when gdb has one (st->bp_id is changed to it), and otherwise
 * is passed over: returns true when the motion must go on. A store of the
 * value already there still looks like a read, as it does to gdb on x86. */
static bool write_to_read_watch(struct gdb_replay *b, struct tl_stop *st)
{
	const struct inst *in = inst_by_id(b, st->bp_id);

	if (!in || in->type != GDB_WP_READ || st->old_value == st->new_value)
		return false;
	for (size_t i = 0; i < b->ninst; i++) {
		const struct inst *o = &b->inst[i];
		if ((o->type == GDB_WP_WRITE || o->type == GDB_WP_ACCESS) &&
		    st->addr >= o->gdb_addr && st->addr - o->gdb_addr < o->gdb_len) {
			st->bp_id = o->id;
			return false;
		}
	}
	return true;
}

/* A motion failed: the timeline may be anywhere (even at the end, with no
 * process). Go back to where gdb last saw it, so that gdb can go on
 * reading registers and memory and try something else. */
static void back_to(struct gdb_replay *b, const struct tl_pos *p)
{
	struct tl_pos now = tl_position(b->tl);
	struct tl_stop st;
	char err[CORE_ERRLEN];

	if (tl_position_cmp(&now, p) != 0)
		tl_seek(b->tl, p, &st, err, sizeof err);
}

/* While the timeline runs a continue: gdb's Ctrl-C (a 0x03 on the socket,
 * peeked by the server) stops it at the next exact boundary; the session's
 * own progress callback (the TUI's status line) still hears of it. */
struct be_prog {
	const struct gdb_resume_ctl *ctl;
	tl_progress_fn prev;
	void *prev_ctx;
};

static int be_progress(void *arg, uint64_t event, double fraction)
{
	struct be_prog *p = arg;
	int stop = p->prev ? p->prev(p->prev_ctx, event, fraction) : 0;
	if (p->ctl && p->ctl->interrupted && p->ctl->interrupted(p->ctl->arg))
		stop = 1;
	return stop;
}

/* Runs the timeline for one resume. Returns 0 with *st to map, 1 when
 * *stop is already the answer (a watched step, Ctrl-C), -1 on failure. */
static int motion(struct gdb_replay *b, enum gdb_resume_kind kind, enum gdb_direction dir,
		  const struct gdb_resume_ctl *ctl, struct tl_stop *stp, struct rsp_stop *stop,
		  char *err, size_t errlen)
{
	struct tl_stop st;
	struct watch_snap snap;
	int rc;

	if (kind == GDB_STEP) {
		snap_watches(b, &snap);
		rc = dir == GDB_FORWARD ? tl_stepi(b->tl, &st, err, errlen) :
					  tl_reverse_stepi(b->tl, &st, err, errlen);
		if (rc < 0)
			return -1;
		const struct want *w = st.kind == TL_STOP_STEP ? changed_watch(b, &snap) : NULL;
		if (w) {
			stop->kind = w->type == GDB_WP_WRITE ? RSP_STOP_WATCH : RSP_STOP_AWATCH;
			stop->addr = w->addr;
			stop->signo = SIGTRAP;
			return 1;
		}
	} else {
		if (sync_breaks(b, err, errlen) < 0)
			return -1;
		for (;;) {
			if (ctl && ctl->interrupted && ctl->interrupted(ctl->arg)) {
				stop->kind = RSP_STOP_SIGNAL;
				stop->signo = SIGINT;
				return 1;
			}
			struct be_prog bp = {ctl, NULL, NULL};
			tl_get_progress(b->tl, &bp.prev, &bp.prev_ctx);
			tl_set_progress(b->tl, be_progress, &bp);
			rc = dir == GDB_FORWARD ? tl_continue(b->tl, &st, err, errlen) :
						  tl_reverse_continue(b->tl, &st, err, errlen);
			tl_set_progress(b->tl, bp.prev, bp.prev_ctx);
			if (rc < 0)
				return -1;
			if (st.kind == TL_STOP_INTERRUPTED) {
				/* Stopped at an exact boundary: gdb's SIGINT stop. */
				stop->kind = RSP_STOP_SIGNAL;
				stop->signo = SIGINT;
				return 1;
			}
			if (st.kind == TL_STOP_EXEC) {
				/* An execve: gdb keeps its breakpoints by address, so
				 * go on (backward, first into the image before). */
				if (dir == GDB_BACKWARD && tl_reverse_stepi(b->tl, &st, err, errlen) < 0)
					return -1;
				continue;
			}
			if (st.kind != TL_STOP_WATCHPOINT || !write_to_read_watch(b, &st))
				break;
		}
	}
	*stp = st;
	return 0;
}

static int be_resume(void *v, enum gdb_resume_kind kind, enum gdb_direction dir, int signo,
		     const struct gdb_resume_ctl *ctl, struct rsp_stop *stop,
		     char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	struct tl_pos before = tl_position(b->tl);
	bool from_last = at_last(b);
	struct tl_stop st;
	int rc;

	/* A replay delivers the recorded signals, whatever gdb passes on. */
	(void)signo;
	if (tl_at_end(b->tl, NULL) && dir == GDB_FORWARD) {
		int status = 0;
		tl_at_end(b->tl, &status);
		exit_stop(status, stop);
		return 0;
	}
	rc = motion(b, kind, dir, ctl, &st, stop, err, errlen);
	if (rc < 0) {
		back_to(b, &before);
		moved(b);
		return -1;
	}
	if (rc == 0)
		rc = map_stop(b, &st, dir, from_last, stop, err, errlen);
	else
		rc = 0;	/* motion() filled *stop itself */
	moved(b);
	return rc;
}

static int be_current_stop(void *v, struct rsp_stop *stop)
{
	struct gdb_replay *b = v;
	int status = 0;

	if (tl_at_end(b->tl, &status))
		exit_stop(status, stop);
	else {
		stop->kind = RSP_STOP_SIGNAL;
		stop->signo = SIGTRAP;
	}
	return 0;
}

/* ---- monitor commands ------------------------------------------------- */

static void printf_cb(gdb_print_fn *print, void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void printf_cb(gdb_print_fn *print, void *arg, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	print(arg, buf);
}

static const char *posstr(struct tl_pos p, char *buf, size_t cap)
{
	tl_position_format(&p, buf, cap);
	return buf;
}

/* A number argument, the whole rest of the command. */
static int number_arg(const char *s, uint64_t *out)
{
	char *end;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	while (*end == ' ')
		end++;
	return errno || *end ? -1 : 0;
}

/* After a monitor command moved the replay: the end is no place to stay
 * (see back_from_end), and the front end refreshes. */
static int after_monitor_move(struct gdb_replay *b, char *err, size_t errlen)
{
	struct rsp_stop ignored;

	if (tl_at_end(b->tl, NULL) && back_from_end(b, &ignored, err, errlen) < 0)
		return -1;
	moved(b);
	return 0;
}

static const char monitor_help[] =
	"rrtui monitor commands:\n"
	"  when            the current event and position\n"
	"  checkpoint      make a checkpoint here\n"
	"  checkpoints     list the checkpoints\n"
	"  restart N       go to checkpoint N\n"
	"  seek N          go to the boundary after event N\n"
	"After restart or seek, gdb still shows its cached registers and frames:\n"
	"run `maintenance flush register-cache` (rrtui's gdbinit hooks do it).\n";

static int be_monitor(void *v, const char *cmd, gdb_print_fn *print, void *arg,
		      char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	char pb[TL_POS_STRLEN];
	struct tl_stop st;
	uint64_t n;

	while (*cmd == ' ')
		cmd++;
	if (strcmp(cmd, "when") == 0) {
		struct tl_pos p = tl_position(b->tl);
		printf_cb(print, arg, "Current event: %" PRIu64 "\nPosition: %s\n", p.event,
			  posstr(p, pb, sizeof pb));
		return 0;
	}
	if (strcmp(cmd, "checkpoint") == 0) {
		int id;
		if (tl_ck_create(b->tl, &id, err, errlen) < 0)
			return -1;
		printf_cb(print, arg, "Checkpoint %d at %s\n", id,
			  posstr(tl_position(b->tl), pb, sizeof pb));
		return 0;
	}
	if (strcmp(cmd, "checkpoints") == 0 || strcmp(cmd, "info checkpoints") == 0) {
		struct tl_ck_info ck[64];
		int total = tl_ck_list(b->tl, ck, 64), shown = 0;
		for (int i = 0; i < total && i < 64; i++) {
			if (!ck[i].user)
				continue;
			printf_cb(print, arg, "%d  %s\n", ck[i].id, posstr(ck[i].pos, pb, sizeof pb));
			shown++;
		}
		if (!shown)
			print(arg, "No checkpoints.\n");
		return 0;
	}
	if (strncmp(cmd, "restart", 7) == 0 && (cmd[7] == ' ' || !cmd[7])) {
		if (number_arg(cmd + 7, &n) < 0 || n > INT32_MAX)
			return fail(err, errlen, "usage: monitor restart CHECKPOINT");
		if (tl_ck_restore(b->tl, (int)n, &st, err, errlen) < 0 ||
		    after_monitor_move(b, err, errlen) < 0)
			return -1;
		printf_cb(print, arg, "Restarted at checkpoint %" PRIu64 ", %s\n", n,
			  posstr(tl_position(b->tl), pb, sizeof pb));
		return 0;
	}
	if (strncmp(cmd, "seek", 4) == 0 && (cmd[4] == ' ' || !cmd[4])) {
		uint64_t last = trace_nevents(tl_trace(b->tl));
		if (number_arg(cmd + 4, &n) < 0 || n == 0)
			return fail(err, errlen, "usage: monitor seek EVENT (from 1)");
		if (n > last)
			return fail(err, errlen, "seek: event %" PRIu64 " is past the end of the "
				    "recording (%" PRIu64 " events)", n, last);
		if (tl_run_to_event(b->tl, n, &st, err, errlen) < 0 ||
		    after_monitor_move(b, err, errlen) < 0)
			return -1;
		printf_cb(print, arg, "Current event: %" PRIu64 "\nPosition: %s\n",
			  tl_position(b->tl).event, posstr(tl_position(b->tl), pb, sizeof pb));
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || !*cmd) {
		print(arg, monitor_help);
		return 0;
	}
	return fail(err, errlen, "unknown monitor command \"%.64s\" (try: monitor help)", cmd);
}

static const struct gdb_backend replay_ops = {
	.get_regs = be_get_regs,
	.read_mem = be_read_mem,
	.resume = be_resume,
	.set_break = be_set_break,
	.thread_id = be_thread_id,
	.current_stop = be_current_stop,
	.auxv = be_auxv,
	.exec_file = be_exec_file,
	.monitor = be_monitor,
};

/* ---- serving ---------------------------------------------------------- */

/* Before each gdb: a gdb cannot start on a process that is gone, so at
 * the end of the recording (where the last gdb may have left it) it starts
 * on the last instruction instead. */
static int session_begin(void *v, char *err, size_t errlen)
{
	struct gdb_replay *b = v;
	struct rsp_stop ignored;

	if (tl_at_end(b->tl, NULL) && back_from_end(b, &ignored, err, errlen) < 0)
		return -1;
	if (b->opt && b->opt->on_begin)
		b->opt->on_begin(b->opt->ctx);
	return 0;
}

/* After each gdb: its breakpoints were its own (the next gdb inserts its
 * own, and the console and TUI never saw them); the position stays. */
static void session_end(void *v, enum gdb_end end)
{
	struct gdb_replay *b = v;

	drop_breaks(b);
	if (b->opt && b->opt->on_end)
		b->opt->on_end(b->opt->ctx, end);
}

int gdb_replay_new(struct tl *tl, const struct gdb_replay_opts *opt, struct gdb_replay **out,
		   char *err, size_t errlen)
{
	struct gdb_replay *b = calloc(1, sizeof *b);

	*out = NULL;
	if (!b)
		return fail(err, errlen, "gdb server: out of memory");
	b->tl = tl;
	b->opt = opt;
	b->so = (struct gdb_serve_opts){ .ops = &replay_ops, .be = b,
					 .log = opt ? opt->log : NULL,
					 .log_arg = opt ? opt->ctx : NULL,
					 .cancelled = opt ? opt->cancelled : NULL,
					 .cancel_arg = opt ? opt->ctx : NULL,
					 .idle = opt ? opt->on_idle : NULL };
	*out = b;
	return 0;
}

void gdb_replay_free(struct gdb_replay *b)
{
	if (!b)
		return;
	drop_breaks(b);
	free(b->want);
	free(b->inst);
	free(b);
}

int gdb_replay_serve_fd(struct gdb_replay *b, int fd, enum gdb_end *end, char *err,
			size_t errlen)
{
	int rc;

	*end = GDB_END_DISCONNECT;
	if (session_begin(b, err, errlen) < 0)
		return -1;
	rc = gdb_serve(fd, &b->so, end, err, errlen);
	if (rc == 0)
		session_end(b, *end);
	else
		drop_breaks(b);
	return rc;
}

int gdb_replay_serve(struct tl *tl, const struct gdb_replay_opts *opt, char *err, size_t errlen)
{
	struct gdb_replay *b;
	int lfd, port, rc;
	enum gdb_end last;	/* on_end has told the owner each session's */

	if (gdb_replay_new(tl, opt, &b, err, errlen) < 0)
		return -1;
	/* Checked once before listening too: a replay that cannot be served
	 * says so before anyone connects. */
	struct rsp_stop ignored;
	if ((tl_at_end(tl, NULL) && back_from_end(b, &ignored, err, errlen) < 0) ||
	    gdb_listen(opt ? opt->host : NULL, opt ? opt->port : 0, &lfd, &port, err,
		       errlen) < 0) {
		gdb_replay_free(b);
		return -1;
	}
	if (opt && opt->on_listen)
		opt->on_listen(opt->ctx, port);
	struct gdb_listen_opts lo = { .once = opt && opt->once, .begin = session_begin,
				      .end = session_end, .arg = b };
	rc = gdb_serve_listener(lfd, &b->so, &lo, &last, err, errlen);
	close(lfd);
	gdb_replay_free(b);
	return rc;
}
