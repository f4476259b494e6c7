/*
 * tl.c — the timeline: positions, checkpoints and reverse execution on top
 * of the replayer.
 *
 * Every stop has a position (event, pc, hits, steps): after `event`, the
 * `hits`-th time `pc` is about to execute, then `steps` instructions. Each
 * motion keeps the current position exact as it goes: an event resets it to
 * the boundary, a step adds one (or, landing on pc again, makes it the next
 * hit), a breakpoint stop at a is (event, a, hits of a since the boundary)
 * because every breakpoint address is counted on every arrival (int3 stops
 * and steps). A watchpoint trap has no such count; its position is found by
 * one more replay of the event's span with a perf counter on the trapping
 * pc. Reaching a position again restores the nearest checkpoint that is
 * known to lie before it and replays forward: events under SYSEMU, the
 * k-th hit by in-kernel counting (hc_run_to_hit), then single steps.
 *
 * Going back is going forward from earlier: reverse-continue replays the
 * span from the checkpoint before the current position with the breakpoints
 * armed, logs every hit and keeps the last one, and goes one checkpoint
 * further back when there was none. reverse-stepi is one step fewer, or the
 * previous hit of the same pc plus the steps to here, or, across an event,
 * the instruction that caused it (remembered by the replayer) at its last
 * execution in the previous event's span, counted in the kernel. Forward
 * steps leave a trail so that stepping back over them needs no search.
 *
 * Checkpoints: one at the start, one each ~0.25 s of replay at an event
 * boundary (thinned so that their number grows with the log of the replayed
 * length, and within a memory budget), one at each stop handed to the
 * caller (the last few), and the user's. int3 bytes are taken out of memory
 * while a checkpoint is cloned; debug registers are written again after a
 * restore (fork copies the first, not the second).
 */
#include "core/core.h"
#include "core/tl_int.h"
#include "core/tracee.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Forward steps remembered for reverse-stepi (a ring): long enough for a
 * user's or a test's stepping session, 64 bytes each. */
#define TRAIL_MAX 65536
#define STOP_CKS 12            /* checkpoints kept at the caller's last stops */
#define STEP_CAP 20000000ull   /* single steps one reverse motion may spend */
#define WALK_MAX (1u << 21)    /* pcs remembered of a walk from a boundary (16 MB) */

enum { CK_START, CK_TIME, CK_STOP, CK_USER };

struct ubp {
	int id;
	enum tl_bp_kind kind;
	uint64_t addr;
	int len;
	int slot;              /* debug register of a watchpoint */
	tl_cond_fn cond;
	void *ctx;
	uint64_t last;         /* value last seen (watchpoints) */
};

struct hitc {
	uint64_t pc, n;
};

struct tck {
	int id;
	int kind;
	struct tl_pos pos;
	struct rp_ck ck;
	struct hitc *hits;     /* breakpoint counts at pos */
	size_t nhits;
	int hits_ok;
};

struct trail {
	struct tl_pos to, from;
};

/* The pcs of the last single-step walk from an event's boundary: pc[k] is
 * the pc after k steps (pc[0] the boundary's). Any state of the walk gets
 * its exact (event, pc, hits) name from it, and such a name is reached
 * again by counting in the kernel, without stepping: repeated
 * reverse-stepi through a long stretch without events costs one restore
 * and one counted run each, not a walk each. */
struct walk {
	uint64_t event;
	uint64_t *pc;
	size_t n, cap;
};

struct tl {
	struct rp_session *rp;
	struct tl_pos pos;
	int ended;
	int lost;              /* the live process is past pos (a watch trap):
	                          reaching anything needs a restore */
	int exit_status;
	struct bp_set bps;     /* int3 of every sw/hw breakpoint */
	struct hw_set hw;      /* watchpoints */
	int watch_mask;
	struct ubp *ub;
	size_t nub;
	int next_id;
	struct hitc *hits;     /* one per breakpoint address */
	size_t nhits;
	int hits_ok;
	struct tck *ck;
	size_t nck;
	int next_ck;
	struct trail *tr;      /* TRAIL_MAX entries, allocated on first use */
	int ntr, trnext;
	struct walk walk;
	double replay_s, last_ck_s, interval;
	uint64_t budget;
	rp_output_fn out;
	void *outctx;
	uint64_t out_upto;     /* output reported up to this event */
	tl_progress_fn progress;
	void *progress_ctx;
	double progress_t;     /* when it was last called */
	int intr;              /* the caller asked to stop the motion */
	uint64_t *execs;       /* the exec events, in order (execs[0] is 1) */
	size_t nexecs;
	char *err;
	size_t errlen;
};

static int fail(struct tl *tl, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct tl *tl, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tl->err, tl->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- positions ---------------------------------------------------------- */

int tl_position_format(const struct tl_pos *p, char *out, size_t outlen)
{
	int n;
	if (p->pc)
		n = snprintf(out, outlen, "%" PRIu64 "@0x%" PRIx64 "#%" PRIu64, p->event, p->pc, p->hits);
	else
		n = snprintf(out, outlen, "%" PRIu64, p->event);
	if (p->steps && n >= 0 && (size_t)n < outlen)
		n += snprintf(out + n, outlen - (size_t)n, "+%" PRIu64, p->steps);
	return n;
}

int tl_position_parse(const char *text, struct tl_pos *p, char *err, size_t errlen)
{
	struct tl_pos q = {0, 0, 0, 0};
	char *end;
	errno = 0;
	q.event = strtoull(text, &end, 10);
	if (end == text || errno)
		goto bad;
	if (*end == '@') {
		char *s = end + 1;
		q.pc = strtoull(s, &end, 16);
		if (end == s || *end != '#' || !q.pc)
			goto bad;
		s = end + 1;
		q.hits = strtoull(s, &end, 10);
		if (end == s || !q.hits)
			goto bad;
	}
	if (*end == '+') {
		char *s = end + 1;
		q.steps = strtoull(s, &end, 10);
		if (end == s)
			goto bad;
	}
	if (*end)
		goto bad;
	*p = q;
	return 0;
bad:
	snprintf(err, errlen, "bad position \"%s\": expected EVENT[@PC#HITS][+STEPS]", text);
	return -EINVAL;
}

static int cmp_u(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

int tl_position_cmp(const struct tl_pos *a, const struct tl_pos *b)
{
	if (a->event != b->event)
		return cmp_u(a->event, b->event);
	if (a->pc == b->pc)
		return a->hits != b->hits ? cmp_u(a->hits, b->hits) : cmp_u(a->steps, b->steps);
	/* The boundary itself comes before everything in its event. */
	if (!a->pc && !a->steps)
		return -1;
	if (!b->pc && !b->steps)
		return 1;
	return TL_CMP_UNKNOWN;
}

static int pos_eq(const struct tl_pos *a, const struct tl_pos *b)
{
	return tl_position_cmp(a, b) == 0;
}

/* ---- the live process --------------------------------------------------- */

static struct tracee *T(struct tl *tl) { return rp_tracee(tl->rp); }

static uint64_t cur_rip(struct tl *tl)
{
	struct user_regs_struct r;
	if (tl->ended || tc_get_regs(T(tl), &r, NULL, 0))
		return 0;
	return r.rip;
}

static struct hitc *hit_find(struct tl *tl, uint64_t pc)
{
	for (size_t i = 0; i < tl->nhits; i++)
		if (tl->hits[i].pc == pc)
			return &tl->hits[i];
	return NULL;
}

/* Arrival at a new state: every breakpoint address it is at has one more hit. */
static void arrive(struct tl *tl, uint64_t rip)
{
	struct hitc *h = hit_find(tl, rip);
	if (h)
		h->n++;
}

static void at_boundary(struct tl *tl)
{
	/* An mmap over a breakpoint (ld.so maps a library whole, then its
	 * text again with MAP_FIXED) or a munmap took the int3 with the old
	 * pages: the next arm puts it back. */
	const struct trace_event *e = trace_event(rp_trace(tl->rp), rp_event(tl->rp));
	if (e && e->kind == TRACE_SYSCALL && e->result >= 0) {
		if (e->nr == SYS_mmap)
			bp_remapped(&tl->bps, (uint64_t)e->result, e->args[1]);
		else if (e->nr == SYS_munmap || e->nr == SYS_mremap)
			bp_remapped(&tl->bps, e->args[0], e->args[1]);
	}
	/* An execve replaced the whole address space: none of our int3 are
	 * in it, and putting the old bytes back would write into the new
	 * image. The next arm puts them in, for callers that keep them. */
	if (e && e->kind == TRACE_EXEC && e->no > 1)
		bp_retarget(&tl->bps, T(tl));
	tl->lost = 0;
	tl->pos = (struct tl_pos){rp_event(tl->rp), 0, 0, 0};
	for (size_t i = 0; i < tl->nhits; i++)
		tl->hits[i].n = 0;
	tl->hits_ok = 1;
	arrive(tl, cur_rip(tl));
}

static void after_step(struct tl *tl)
{
	uint64_t rip = cur_rip(tl);
	arrive(tl, rip);
	if (tl->pos.pc && rip == tl->pos.pc) {
		tl->pos.hits++;
		tl->pos.steps = 0;
	} else {
		tl->pos.steps++;
	}
}

static void at_end(struct tl *tl)
{
	tl->ended = 1;
	tl->exit_status = rp_exit_status(tl->rp);
	tl->pos = (struct tl_pos){rp_event(tl->rp), 0, 0, 0};
}

uint64_t tl_image_of(const struct tl *tl, uint64_t event)
{
	uint64_t img = 1;
	for (size_t i = 0; i < tl->nexecs && tl->execs[i] <= event; i++)
		img = tl->execs[i];
	return img;
}

/* Whether the live process just reached the first state of a new image. */
static int at_exec(struct tl *tl)
{
	const struct trace_event *e = trace_event(rp_trace(tl->rp), rp_event(tl->rp));
	return e && e->kind == TRACE_EXEC && e->no > 1 && !tl->pos.pc && !tl->pos.steps;
}

/* At an exactly known position in a long motion: whether the caller wants
 * it stopped (asked now and then through the progress callback). */
static int want_stop(struct tl *tl)
{
	if (!tl->progress)
		return 0;
	if (tl->intr)
		return 1;
	double t = now_s();
	if (t - tl->progress_t < 0.05)
		return 0;
	tl->progress_t = t;
	uint64_t n = trace_nevents(rp_trace(tl->rp)), e = rp_event(tl->rp);
	if (tl->progress(tl->progress_ctx, e, n ? (double)e / (double)n : 0))
		tl->intr = 1;
	return tl->intr;
}

#define INTERRUPTED(tl) fail(tl, -EINTR, "interrupted")

/* One resume, timed as replay progress. */
static int resume(struct tl *tl, int step, int arm_bps, int hw, struct rp_stop *st)
{
	double t0 = now_s();
	int rc = rp_resume(tl->rp, step, arm_bps ? &tl->bps : NULL, hw, st, tl->err, tl->errlen);
	tl->replay_s += now_s() - t0;
	if (rc < 0)
		return rc;
	if (st->kind == RPS_INCOMPLETE)
		return fail(tl, -EIO, "the trace is incomplete: it ends after event %" PRIu64,
		            trace_nevents(rp_trace(tl->rp)));
	return 0;
}

static int disarm(struct tl *tl)
{
	struct hw_set none;
	hw_init(&none);
	if (tl->ended)
		return 0;
	if (bp_disarm(&tl->bps, tl->err, tl->errlen) < 0)
		return -1;
	return hw_apply(&none, T(tl), tl->err, tl->errlen);
}

static int arm(struct tl *tl)
{
	if (tl->ended)
		return 0;
	if (bp_arm(&tl->bps, tl->err, tl->errlen) < 0)
		return -1;
	if (hw_apply(&tl->hw, T(tl), tl->err, tl->errlen) < 0)
		return -1;
	for (size_t i = 0; i < tl->nub; i++) {
		struct ubp *b = &tl->ub[i];
		if (b->kind >= TL_WATCH_WRITE) {
			b->last = 0;
			tc_read(T(tl), b->addr, &b->last, (size_t)b->len, NULL, 0);
		}
	}
	return 0;
}

/* ---- checkpoints -------------------------------------------------------- */

static uint64_t ck_bytes(struct tck *c)
{
	struct ck_mem m;
	if (ck_mem(&c->ck.ck, &m, NULL, 0))
		return 0;
	return m.private_bytes + m.pte_bytes;
}

static void ck_drop(struct tl *tl, size_t i)
{
	ck_free(&tl->ck[i].ck.ck);
	free(tl->ck[i].hits);
	tl->ck[i] = tl->ck[--tl->nck];
}

static int make_ck(struct tl *tl, int kind, int *id)
{
	if (tl->ended)
		return fail(tl, -ESRCH, "the program has ended: no checkpoint there");
	struct tck c;
	memset(&c, 0, sizeof c);
	int was = tl->bps.armed;
	if (bp_disarm(&tl->bps, tl->err, tl->errlen) < 0)
		return -1;
	int rc = rp_ck_create(tl->rp, &c.ck, tl->err, tl->errlen);
	if (was && bp_arm(&tl->bps, rc ? NULL : tl->err, tl->errlen) < 0 && !rc)
		rc = -1;
	if (rc < 0)
		return -1;
	struct tck *v = realloc(tl->ck, (tl->nck + 1) * sizeof *v);
	if (!v) {
		ck_free(&c.ck.ck);
		return fail(tl, -ENOMEM, "out of memory");
	}
	tl->ck = v;
	c.id = ++tl->next_ck;
	c.kind = kind;
	c.pos = tl->pos;
	c.hits_ok = tl->hits_ok;
	if (tl->nhits && (c.hits = malloc(tl->nhits * sizeof *c.hits)))
		memcpy(c.hits, tl->hits, tl->nhits * sizeof *c.hits), c.nhits = tl->nhits;
	else
		c.hits_ok = c.hits_ok && !tl->nhits;
	tl->ck[tl->nck++] = c;
	if (id)
		*id = c.id;
	return 0;
}

static int has_ck_at(struct tl *tl, const struct tl_pos *p)
{
	for (size_t i = 0; i < tl->nck; i++)
		if (pos_eq(&tl->ck[i].pos, p))
			return 1;
	return 0;
}

static size_t count_kind(struct tl *tl, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < tl->nck; i++)
		n += tl->ck[i].kind == kind;
	return n;
}

/* The time checkpoint whose removal leaves the smallest gap (in events). */
static int thin_victim(struct tl *tl)
{
	int best = -1;
	uint64_t bestgap = UINT64_MAX;
	for (size_t i = 0; i < tl->nck; i++) {
		if (tl->ck[i].kind != CK_TIME)
			continue;
		uint64_t prev = 0;
		for (size_t j = 0; j < tl->nck; j++)
			if (j != i && (tl->ck[j].kind == CK_TIME || tl->ck[j].kind == CK_START) &&
			    tl->ck[j].pos.event <= tl->ck[i].pos.event && tl->ck[j].pos.event >= prev)
				prev = tl->ck[j].pos.event;
		uint64_t gap = tl->ck[i].pos.event - prev;
		if (gap < bestgap)
			bestgap = gap, best = (int)i;
	}
	return best;
}

static void enforce_budget(struct tl *tl)
{
	for (;;) {
		uint64_t total = 0;
		for (size_t i = 0; i < tl->nck; i++)
			total += ck_bytes(&tl->ck[i]);
		if (total <= tl->budget)
			return;
		int victim = -1;
		for (size_t i = 0; i < tl->nck; i++)
			if (tl->ck[i].kind == CK_STOP && (victim < 0 || tl->ck[i].id < tl->ck[victim].id))
				victim = (int)i;
		if (victim < 0)
			victim = thin_victim(tl);
		if (victim < 0)
			return;
		ck_drop(tl, (size_t)victim);
	}
}

/* At an event boundary while replaying forward: a checkpoint every
 * interval of replay, their number kept to a log of the replayed length. */
static void maybe_time_ck(struct tl *tl)
{
	if (tl->replay_s - tl->last_ck_s < tl->interval || tl->ended || has_ck_at(tl, &tl->pos))
		return;
	tl->last_ck_s = tl->replay_s;
	if (make_ck(tl, CK_TIME, NULL) < 0)
		return; /* a missing automatic checkpoint only costs time */
	double units = tl->replay_s / tl->interval;
	size_t limit = 4;
	while (units >= 1)
		limit += 2, units /= 2;
	while (count_kind(tl, CK_TIME) > limit) {
		int v = thin_victim(tl);
		if (v < 0)
			break;
		ck_drop(tl, (size_t)v);
	}
	enforce_budget(tl);
}

/* At a stop handed to the caller. */
static void stop_ck(struct tl *tl)
{
	if (tl->ended || has_ck_at(tl, &tl->pos))
		return;
	if (make_ck(tl, CK_STOP, NULL) < 0)
		return;
	while (count_kind(tl, CK_STOP) > STOP_CKS) {
		int victim = -1;
		for (size_t i = 0; i < tl->nck; i++)
			if (tl->ck[i].kind == CK_STOP && (victim < 0 || tl->ck[i].id < tl->ck[victim].id))
				victim = (int)i;
		ck_drop(tl, (size_t)victim);
	}
}

/* Whether restoring c gives exact counts of every breakpoint address. */
static int ck_counts_ok(struct tl *tl, const struct tck *c)
{
	if (!c->pos.pc && !c->pos.steps)
		return 1;
	if (!c->hits_ok)
		return 0;
	for (size_t i = 0; i < tl->nhits; i++) {
		size_t j;
		for (j = 0; j < c->nhits && c->hits[j].pc != tl->hits[i].pc; j++)
			;
		if (j == c->nhits)
			return 0;
	}
	return 1;
}

static int restore(struct tl *tl, struct tck *c)
{
	if (rp_ck_restore(tl->rp, &c->ck, tl->err, tl->errlen) < 0)
		return -1;
	bp_retarget(&tl->bps, T(tl));
	tl->ended = 0;
	tl->lost = 0;
	tl->pos = c->pos;
	if (!c->pos.pc && !c->pos.steps) {
		/* At a boundary every count is known, whatever the checkpoint
		 * counted when it was made. */
		at_boundary(tl);
		return 0;
	}
	/* The breakpoint counts of the checkpoint hold if it counted every
	 * address counted now. */
	tl->hits_ok = c->hits_ok;
	for (size_t i = 0; i < tl->nhits && tl->hits_ok; i++) {
		size_t j;
		for (j = 0; j < c->nhits && c->hits[j].pc != tl->hits[i].pc; j++)
			;
		if (j == c->nhits)
			tl->hits_ok = 0;
		else
			tl->hits[i].n = c->hits[j].n;
	}
	return 0;
}

/* ---- seeking ------------------------------------------------------------ */

/* Count of p's hits at the current state, when known. */
static int count_now(struct tl *tl, uint64_t p, uint64_t *n)
{
	if (tl->pos.pc == p) {
		*n = tl->pos.hits;
		return 1;
	}
	if (!tl->pos.pc && !tl->pos.steps) {
		*n = cur_rip(tl) == p;
		return 1;
	}
	struct hitc *h = hit_find(tl, p);
	if (h && tl->hits_ok) {
		*n = h->n;
		return 1;
	}
	return 0;
}

/* Whether the state at position a can be run forward to b. */
static int usable(const struct tl_pos *a, const struct tl_pos *b)
{
	int c = tl_position_cmp(a, b);
	return c == -1 || c == 0;
}

/* One resume of the disarmed process to the next event's boundary (or the
 * end), taking the automatic checkpoints on the way. */
static int next_event(struct tl *tl)
{
	struct rp_stop st;
	if (resume(tl, 0, 0, 0, &st) < 0)
		return -1;
	if (st.kind == RPS_END)
		at_end(tl);
	else if (st.kind == RPS_EVENT) {
		at_boundary(tl);
		maybe_time_ck(tl);
	} else
		return fail(tl, -EIO, "internal: stop %d on the way to the next event", (int)st.kind);
	return 0;
}

/* Runs the live process forward, breakpoints disarmed unless exact counts
 * are wanted, from its position (<= target) to target. */
static int run_forward_to(struct tl *tl, const struct tl_pos *x, int exact)
{
	struct rp_stop st;
	while (!tl->ended && rp_event(tl->rp) < x->event) {
		if (next_event(tl) < 0)
			return -1;
		if (!tl->ended && rp_event(tl->rp) < x->event && want_stop(tl))
			return INTERRUPTED(tl);
	}
	if (tl->ended) {
		/* exit_group's boundary is the end itself (nothing runs after it). */
		if (x->event + 1 >= rp_event(tl->rp) && !x->pc && !x->steps)
			return 0;
		return fail(tl, -ERANGE, "the recording ends before event %" PRIu64, x->event);
	}
	if (rp_event(tl->rp) > x->event)
		return fail(tl, -ERANGE, "position not reached: went past event %" PRIu64, x->event);
	if (x->pc) {
		uint64_t c;
		if (!count_now(tl, x->pc, &c))
			return fail(tl, -EINVAL, "internal: no count of 0x%" PRIx64, x->pc);
		if (c < x->hits) {
			uint64_t want = x->hits - c + (cur_rip(tl) == x->pc);
			/* With no breakpoint but at x's pc, counting x's pc in the
			 * kernel keeps every count exact: no stop per hit. */
			int only_x = tl->nhits == 1 && tl->hits[0].pc == x->pc && tl->hits_ok;
			if ((exact || tl->nhits) && !only_x) {
				/* Count every breakpoint on the way: int3 on all. */
				int ins = bp_count(&tl->bps, x->pc) == 0;
				if (ins && bp_insert(&tl->bps, x->pc, tl->err, tl->errlen) < 0)
					return -1;
				if (bp_arm(&tl->bps, tl->err, tl->errlen) < 0)
					return -1;
				uint64_t got = cur_rip(tl) == x->pc;
				int rc = 0;
				while (got < want) {
					if (bp_count(&tl->bps, cur_rip(tl))) {
						if ((rc = resume(tl, 1, 1, 0, &st)) < 0)
							break;
						if (st.kind != RPS_STEP) {
							rc = fail(tl, -ERANGE, "position not reached (left the event)");
							break;
						}
						uint64_t r = cur_rip(tl);
						arrive(tl, r);
						if (r == x->pc)
							got++;
						continue;
					}
					if ((rc = resume(tl, 0, 1, 0, &st)) < 0)
						break;
					if (st.kind != RPS_BP) {
						rc = fail(tl, -ERANGE, "position not reached (left the event)");
						break;
					}
					arrive(tl, st.addr);
					if (st.addr == x->pc)
						got++;
				}
				if (ins)
					bp_remove(&tl->bps, x->pc, NULL, 0);
				bp_disarm(&tl->bps, NULL, 0);
				if (rc < 0)
					return rc;
			} else {
				uint64_t done = 0;
				/* A signal the replay owes the process (its handler
				 * may hold the hits) goes with the first resume. */
				T(tl)->sig = rp_take_signal(tl->rp);
				if (hc_run_to_hit(T(tl), NULL, x->pc, want, HC_AUTO | HC_SYSEMU, NULL, &done,
				                  tl->err, tl->errlen) < 0) {
					tl->lost = 1;
					return fail(tl, -ERANGE, "position not reached: %s", tl->err);
				}
				if (only_x)
					tl->hits[0].n = x->hits;
			}
			tl->pos = (struct tl_pos){x->event, x->pc, x->hits, 0};
		} else if (c > x->hits) {
			return fail(tl, -EINVAL, "internal: past the hit");
		} else {
			tl->pos.pc = x->pc;
			tl->pos.hits = c;
		}
	}
	while (tl->pos.steps < x->steps) {
		if (resume(tl, 1, 0, 0, &st) < 0)
			return -1;
		if (st.kind != RPS_STEP)
			return fail(tl, -ERANGE, "position not reached: an event came after %" PRIu64
			            " steps", tl->pos.steps);
		after_step(tl);
		if (tl->pos.steps == 0 && x->steps)
			return fail(tl, -ERANGE, "position not reached: pc came again");
	}
	return 0;
}

/* Goes to position x (exact: breakpoint counts valid at the end). */
static int seek(struct tl *tl, const struct tl_pos *x, int exact)
{
	if (!tl->ended && !tl->lost && pos_eq(&tl->pos, x) && (!exact || tl->hits_ok || !tl->nhits))
		return 0;
	if (tl->ended && pos_eq(&tl->pos, x))
		return 0;
	int best = -1;
	int live = !tl->ended && !tl->lost && usable(&tl->pos, x) && (!exact || tl->hits_ok || !tl->nhits);
	for (size_t i = 0; i < tl->nck; i++) {
		struct tck *c = &tl->ck[i];
		if (!usable(&c->pos, x))
			continue;
		if (exact && tl->nhits && !ck_counts_ok(tl, c))
			continue;
		if (best < 0 || tl_position_cmp(&tl->ck[best].pos, &c->pos) == -1)
			best = (int)i;
	}
	if (live && (best < 0 || tl_position_cmp(&tl->ck[best].pos, &tl->pos) != 1))
		best = -1;
	else if (best < 0)
		return fail(tl, -ERANGE, "no checkpoint before the position");
	if (best >= 0 && restore(tl, &tl->ck[best]) < 0)
		return -1;
	if (exact && !tl->hits_ok && tl->nhits) {
		/* The checkpoint did not count the current breakpoints. */
		return fail(tl, -EINVAL, "internal: no exact checkpoint");
	}
	if (disarm(tl) < 0)
		return -1;
	if (run_forward_to(tl, x, exact) < 0)
		return -1;
	return arm(tl);
}

/* Brings the breakpoint counts up to date by reaching the current position
 * again from a boundary. */
static int ensure_hits(struct tl *tl)
{
	if (tl->hits_ok || !tl->nhits || tl->ended)
		return 0;
	struct tl_pos x = tl->pos;
	struct tl_pos b = {x.event, 0, 0, 0};
	tl->hits_ok = 0;
	if (seek(tl, &b, 0) < 0)
		return -1;
	if (!tl->hits_ok)
		return fail(tl, -EINVAL, "internal: boundary without counts");
	return seek(tl, &x, 1);
}

/* ---- counting executions in the kernel ------------------------------------ */

static int counter_open(struct tl *tl, uint64_t pc)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof a;
	a.bp_type = HW_BREAKPOINT_X;
	a.bp_addr = pc;
	a.bp_len = sizeof(long);
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	int fd = (int)syscall(SYS_perf_event_open, &a, T(tl)->pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return fail(tl, -errno, "cannot count executions of 0x%" PRIx64 ": %s", pc, strerror(errno));
	return fd;
}

static uint64_t counter_read(int fd)
{
	uint64_t v = 0;
	if (read(fd, &v, sizeof v) != (ssize_t)sizeof v)
		v = 0;
	return v;
}

/* The position of the n-th watchpoint trap after position y (no event or
 * breakpoint between), the process being left there: the hit count of the
 * trapping pc r comes from a perf counter run over the span again. */
static int resolve_trap(struct tl *tl, const struct tl_pos *y, uint64_t n, uint64_t r)
{
	struct tl_pos b = {y->event, 0, 0, 0};
	int fd = -1;
	uint64_t base = 0;
	/* The live process is at the trap, past y: y is reached again from
	 * a checkpoint. */
	tl->lost = 1;
	if (y->pc == r) {
		if (seek(tl, y, 0) < 0)
			return -1;
		base = y->hits - (y->steps ? 0 : 1);
	} else {
		if (seek(tl, &b, 0) < 0)
			return -1;
		if ((fd = counter_open(tl, r)) < 0)
			return -1;
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
		if (disarm(tl) < 0 || run_forward_to(tl, y, 0) < 0) {
			close(fd);
			return -1;
		}
	}
	if (fd < 0) {
		if ((fd = counter_open(tl, r)) < 0)
			return -1;
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	}
	bp_disarm(&tl->bps, NULL, 0);
	hw_apply(&tl->hw, T(tl), NULL, 0);
	struct rp_stop st;
	for (uint64_t i = 0; i < n;) {
		if (resume(tl, 0, 0, tl->watch_mask, &st) < 0) {
			close(fd);
			return -1;
		}
		if (st.kind != RPS_HW) {
			close(fd);
			return fail(tl, -EIO, "internal: watchpoint trap not found again (stop %d at event %" PRIu64 ", rip 0x%" PRIx64 ")", (int)st.kind, rp_event(tl->rp), cur_rip(tl));
		}
		i++;
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	uint64_t c = counter_read(fd);
	close(fd);
	tl->pos = (struct tl_pos){y->event, r, base + c + 1, 0};
	tl->hits_ok = 0;
	return arm(tl);
}

/* ---- opening ------------------------------------------------------------- */

static void on_output(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len)
{
	struct tl *tl = ctx;
	/* Each piece of output is reported once, the first time the replay
	 * passes it; going back and forth again does not repeat it. */
	if (event <= tl->out_upto)
		return;
	tl->out_upto = event;
	if (tl->out)
		tl->out(tl->outctx, fd, event, data, len);
}

static uint64_t ram_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : (1ull << 30);
}

int tl_open(const char *trace_dir, const struct tl_options *opt, struct tl **out, char *err,
            size_t errlen)
{
	struct tl *tl = calloc(1, sizeof *tl);
	if (!tl) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	tl->err = err;
	tl->errlen = errlen;
	tl->interval = opt && opt->ck_interval > 0 ? opt->ck_interval : 0.25;
	tl->budget = opt && opt->ck_budget ? opt->ck_budget : ram_bytes() / 8;
	hw_init(&tl->hw);
	if (rp_open(trace_dir, &tl->rp, err, errlen) < 0) {
		free(tl);
		return -EIO;
	}
	rp_set_output(tl->rp, on_output, tl);
	if (rp_start(tl->rp, err, errlen) < 0) {
		rp_close(tl->rp);
		free(tl);
		return -EIO;
	}
	bp_init(&tl->bps, T(tl));
	struct trace *t = rp_trace(tl->rp);
	for (uint64_t i = 1, n = trace_nevents(t); i <= n; i++) {
		const struct trace_event *e = trace_event(t, i);
		if (!e || e->kind != TRACE_EXEC)
			continue;
		uint64_t *v = realloc(tl->execs, (tl->nexecs + 1) * sizeof *v);
		if (!v) {
			tl_close(tl);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		tl->execs = v;
		tl->execs[tl->nexecs++] = i;
	}
	at_boundary(tl);
	if (make_ck(tl, CK_START, NULL) < 0) {
		tl_close(tl);
		return -EIO;
	}
	*out = tl;
	return 0;
}

void tl_close(struct tl *tl)
{
	if (!tl)
		return;
	while (tl->nck)
		ck_drop(tl, tl->nck - 1);
	free(tl->ck);
	bp_fini(&tl->bps);
	free(tl->ub);
	free(tl->hits);
	free(tl->tr);
	free(tl->walk.pc);
	free(tl->execs);
	rp_close(tl->rp);
	free(tl);
}

struct trace *tl_trace(struct tl *tl) { return rp_trace(tl->rp); }
void tl_set_output(struct tl *tl, rp_output_fn fn, void *ctx) { tl->out = fn, tl->outctx = ctx; }
struct tl_pos tl_position(const struct tl *tl) { return tl->pos; }

int tl_at_end(const struct tl *tl, int *wait_status)
{
	if (tl->ended && wait_status)
		*wait_status = tl->exit_status;
	return tl->ended;
}

int tl_get_regs(struct tl *tl, struct user_regs_struct *r, char *err, size_t errlen)
{
	if (tl->ended) {
		snprintf(err, errlen, "the program has ended");
		return -ESRCH;
	}
	return tc_get_regs(T(tl), r, err, errlen);
}

int tl_get_fpregs(struct tl *tl, struct user_fpregs_struct *f, char *err, size_t errlen)
{
	if (tl->ended) {
		snprintf(err, errlen, "the program has ended");
		return -ESRCH;
	}
	if (ptrace(PTRACE_GETFPREGS, T(tl)->pid, 0, f) < 0) {
		snprintf(err, errlen, "cannot read the floating-point registers: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int tl_read(struct tl *tl, uint64_t addr, void *buf, size_t len, char *err, size_t errlen)
{
	if (tl->ended) {
		snprintf(err, errlen, "the program has ended");
		return -ESRCH;
	}
	int rc = tc_read(T(tl), addr, buf, len, err, errlen);
	if (!rc)
		bp_unpatch(&tl->bps, addr, buf, len);
	return rc;
}

/* ---- breakpoints ---------------------------------------------------------- */

int tl_bp_add(struct tl *tl, enum tl_bp_kind kind, uint64_t addr, int len, tl_cond_fn cond,
              void *ctx, int *id, char *err, size_t errlen)
{
	tl->err = err, tl->errlen = errlen;
	struct ubp b = {0};
	b.kind = kind, b.addr = addr, b.len = len, b.cond = cond, b.ctx = ctx, b.slot = -1;
	if (kind == TL_WATCH_WRITE || kind == TL_WATCH_RW) {
		/* The debug registers are set on the live process only when it
		 * runs (arm); the slot is taken here. */
		struct hw_set h = tl->hw;
		int slot = -1, i;
		if (len != 1 && len != 2 && len != 4 && len != 8)
			return fail(tl, -EINVAL, "watchpoint length %d: must be 1, 2, 4 or 8", len);
		if (addr % (uint64_t)len)
			return fail(tl, -EINVAL, "watchpoint at 0x%" PRIx64 " not aligned to %d", addr, len);
		for (i = 0; i < 4 && (h.used & (1 << i)); i++)
			;
		if (i == 4)
			return fail(tl, -ENOSPC, "all 4 debug registers are in use");
		slot = i;
		tl->hw.addr[slot] = addr;
		tl->hw.type[slot] = kind == TL_WATCH_WRITE ? HW_WRITE : HW_RW;
		tl->hw.len[slot] = len;
		tl->hw.used |= 1 << slot;
		tl->watch_mask |= 1 << slot;
		b.slot = slot;
		if (!tl->ended)
			tc_read(T(tl), addr, &b.last, (size_t)len, NULL, 0);
	} else {
		/* Hardware breakpoints stop exactly where int3 would: in a replay
		 * nothing rewrites code, so both are one int3 here. */
		if (!tl->ended && bp_insert(&tl->bps, addr, err, errlen) < 0)
			return -1;
		if (tl->ended) {
			/* Insert into the table only; written at the next arm. */
			int armed = tl->bps.armed;
			tl->bps.armed = 0;
			bp_insert(&tl->bps, addr, NULL, 0);
			tl->bps.armed = armed;
		}
		if (!hit_find(tl, addr)) {
			struct hitc *v = realloc(tl->hits, (tl->nhits + 1) * sizeof *v);
			if (!v)
				return fail(tl, -ENOMEM, "out of memory");
			tl->hits = v;
			uint64_t n = 0;
			int known = count_now(tl, addr, &n);
			tl->hits[tl->nhits++] = (struct hitc){addr, n};
			if (!known)
				tl->hits_ok = 0;
		}
	}
	struct ubp *v = realloc(tl->ub, (tl->nub + 1) * sizeof *v);
	if (!v)
		return fail(tl, -ENOMEM, "out of memory");
	tl->ub = v;
	b.id = ++tl->next_id;
	tl->ub[tl->nub++] = b;
	if (id)
		*id = b.id;
	return 0;
}

int tl_bp_del(struct tl *tl, int id, char *err, size_t errlen)
{
	tl->err = err, tl->errlen = errlen;
	for (size_t i = 0; i < tl->nub; i++) {
		struct ubp b = tl->ub[i];
		if (b.id != id)
			continue;
		tl->ub[i] = tl->ub[--tl->nub];
		if (b.slot >= 0) {
			tl->hw.used &= ~(1 << b.slot);
			tl->watch_mask &= ~(1 << b.slot);
			if (!tl->ended)
				hw_apply(&tl->hw, T(tl), NULL, 0);
		} else {
			int armed = tl->bps.armed;
			if (tl->ended)
				tl->bps.armed = 0;
			bp_remove(&tl->bps, b.addr, NULL, 0);
			tl->bps.armed = armed;
			if (!bp_count(&tl->bps, b.addr)) {
				struct hitc *h = hit_find(tl, b.addr);
				if (h)
					*h = tl->hits[--tl->nhits];
			}
		}
		return 0;
	}
	return fail(tl, -ENOENT, "no breakpoint number %d", id);
}

static struct ubp *ub_find(struct tl *tl, int id)
{
	for (size_t i = 0; i < tl->nub; i++)
		if (tl->ub[i].id == id)
			return &tl->ub[i];
	return NULL;
}

/* The breakpoint (by id order) that wants a stop at address a, or 0. */
static int bp_wants(struct tl *tl, uint64_t a)
{
	int best = 0;
	for (size_t i = 0; i < tl->nub; i++) {
		struct ubp *b = &tl->ub[i];
		if (b->slot >= 0 || b->addr != a || (best && b->id > best))
			continue;
		if (!b->cond || b->cond(b->ctx, tl, b->id))
			best = b->id;
	}
	return best;
}

/* The watchpoint that wants a stop among the fired slots; updates every
 * fired watch's last value (old in *oldv, new in *newv for the chosen). */
static int watch_wants(struct tl *tl, int fired, uint64_t *oldv, uint64_t *newv)
{
	int best = 0;
	for (size_t i = 0; i < tl->nub; i++) {
		struct ubp *b = &tl->ub[i];
		if (b->slot < 0 || !(fired & (1 << b->slot)))
			continue;
		uint64_t v = 0, old = b->last;
		tc_read(T(tl), b->addr, &v, (size_t)b->len, NULL, 0);
		b->last = v;
		if ((!best || b->id < best) && (!b->cond || b->cond(b->ctx, tl, b->id))) {
			best = b->id;
			*oldv = old;
			*newv = v;
		}
	}
	return best;
}

/* ---- forward ---------------------------------------------------------------- */

static void begin(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	tl->err = err, tl->errlen = errlen;
	memset(st, 0, sizeof *st);
	/* The first progress call comes 50 ms into the motion: short ones
	 * never make one. */
	tl->intr = 0;
	tl->progress_t = now_s();
}

static int finish(struct tl *tl, struct tl_stop *st, int kind)
{
	if (tl->ended && kind != TL_STOP_START)
		kind = TL_STOP_END;
	st->kind = kind;
	st->pos = tl->pos;
	if (tl->ended)
		st->exit_status = tl->exit_status;
	stop_ck(tl);
	return 0;
}

static void trail_add(struct tl *tl, const struct tl_pos *to, const struct tl_pos *from)
{
	if (!tl->tr && !(tl->tr = malloc(TRAIL_MAX * sizeof *tl->tr)))
		return; /* without a trail, reverse-stepi searches */
	tl->tr[tl->trnext] = (struct trail){*to, *from};
	tl->trnext = (tl->trnext + 1) % TRAIL_MAX;
	if (tl->ntr < TRAIL_MAX)
		tl->ntr++;
}

static int m_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	if (tl->ended)
		return finish(tl, st, TL_STOP_END);
	struct tl_pos from = tl->pos;
	struct rp_stop s;
	if (disarm(tl) < 0 || resume(tl, 1, 0, 0, &s) < 0)
		return -1;
	if (s.kind == RPS_END)
		at_end(tl);
	else if (s.kind == RPS_EVENT)
		at_boundary(tl);
	else
		after_step(tl);
	if (!tl->ended && arm(tl) < 0)
		return -1;
	trail_add(tl, &tl->pos, &from);
	return finish(tl, st, TL_STOP_STEP);
}

/* After a watchpoint trap (the process is about to execute the instruction
 * after the write): when that instruction carries a counted breakpoint,
 * this is an arrival there, which names the position exactly (no replay
 * with counters needed). Returns 1 so named. */
static int trap_on_bp(struct tl *tl)
{
	uint64_t r = cur_rip(tl);
	struct hitc *h = r && bp_count(&tl->bps, r) ? hit_find(tl, r) : NULL;
	if (!h || !tl->hits_ok)
		return 0;
	arrive(tl, r);
	tl->pos = (struct tl_pos){rp_event(tl->rp), r, h->n, 0};
	return 1;
}

/* Continues with everything armed until a wanted hit, the end, or (when
 * upto != 0) the boundary of event upto. */
static int run_hits(struct tl *tl, uint64_t upto, struct tl_stop *st)
{
	if (ensure_hits(tl) < 0 || arm(tl) < 0)
		return -1;
	struct tl_pos y = tl->pos;   /* last known position */
	uint64_t ntraps = 0;         /* watch traps since y */
	struct rp_stop s;
	for (;;) {
		if (upto && rp_event(tl->rp) >= upto && !tl->pos.pc && !tl->pos.steps)
			return finish(tl, st, TL_STOP_EVENT);
		int onbp = bp_count(&tl->bps, cur_rip(tl)) > 0;
		if (resume(tl, onbp, 1, tl->watch_mask, &s) < 0)
			return -1;
		switch (s.kind) {
		case RPS_END:
			at_end(tl);
			return finish(tl, st, TL_STOP_END);
		case RPS_EVENT: {
			at_boundary(tl);
			maybe_time_ck(tl);
			if (at_exec(tl))
				return finish(tl, st, TL_STOP_EXEC);
			arm(tl);
			y = tl->pos, ntraps = 0;
			if (want_stop(tl))
				return INTERRUPTED(tl);
			/* An event that returns onto a breakpoint: its int3 is
			 * the next instruction, a hit (named by the boundary). */
			uint64_t a = cur_rip(tl);
			int id = a && bp_count(&tl->bps, a) ? bp_wants(tl, a) : 0;
			if (id) {
				st->bp_id = id;
				st->addr = a;
				return finish(tl, st, TL_STOP_BREAKPOINT);
			}
			break;
		}
		case RPS_STEP: {
			after_step(tl);
			/* The step off a breakpoint may land on another one (two
			 * on consecutive instructions): a hit, since the next
			 * resume steps over its int3. */
			uint64_t a = cur_rip(tl);
			struct hitc *h = a && bp_count(&tl->bps, a) ? hit_find(tl, a) : NULL;
			if (h && tl->hits_ok)
				tl->pos = (struct tl_pos){rp_event(tl->rp), a, h->n, 0};
			y = tl->pos, ntraps = 0;
			int id = h ? bp_wants(tl, a) : 0;
			if (id) {
				st->bp_id = id;
				st->addr = a;
				return finish(tl, st, TL_STOP_BREAKPOINT);
			}
			break;
		}
		case RPS_BP: {
			arrive(tl, s.addr);
			struct hitc *h = hit_find(tl, s.addr);
			tl->pos = (struct tl_pos){rp_event(tl->rp), s.addr, h ? h->n : 0, 0};
			y = tl->pos, ntraps = 0;
			int id = bp_wants(tl, s.addr);
			if (id) {
				st->bp_id = id;
				st->addr = s.addr;
				return finish(tl, st, TL_STOP_BREAKPOINT);
			}
			break;
		}
		case RPS_HW: {
			if (s.stepped)
				after_step(tl);
			uint64_t o = 0, n = 0;
			int id = watch_wants(tl, s.fired, &o, &n);
			int at_bp = !s.stepped && trap_on_bp(tl);
			if (!s.stepped && !at_bp)
				ntraps++;
			if (!id) {
				if (s.stepped || at_bp)
					y = tl->pos, ntraps = 0;
				/* The breakpoint the trap left the process on: its
				 * hit (the next resume steps over its int3). */
				int bid = at_bp ? bp_wants(tl, tl->pos.pc) : 0;
				if (bid) {
					st->bp_id = bid;
					st->addr = tl->pos.pc;
					return finish(tl, st, TL_STOP_BREAKPOINT);
				}
				break;
			}
			if (!s.stepped && !at_bp && resolve_trap(tl, &y, ntraps, cur_rip(tl)) < 0)
				return -1;
			st->bp_id = id;
			st->addr = ub_find(tl, id)->addr;
			st->old_value = o;
			st->new_value = n;
			return finish(tl, st, TL_STOP_WATCHPOINT);
		}
		default:
			return fail(tl, -EIO, "internal: unexpected stop %d", (int)s.kind);
		}
	}
}

static int m_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	if (tl->ended)
		return finish(tl, st, TL_STOP_END);
	return run_hits(tl, 0, st);
}

static int m_seek(struct tl *tl, const struct tl_pos *p, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	if (seek(tl, p, 0) < 0)
		return -1;
	return finish(tl, st, TL_STOP_POSITION);
}

static int m_run_to_event(struct tl *tl, uint64_t no, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	uint64_t n = trace_nevents(tl_trace(tl));
	struct tl_pos p = {no && no <= n ? no : n, 0, 0, 0};
	if (seek(tl, &p, 0) < 0)
		return -1;
	return finish(tl, st, TL_STOP_EVENT);
}

/* ---- reverse ---------------------------------------------------------------- */

/* The state one instruction before the boundary of event e. */
static int before_event(struct tl *tl, uint64_t e, struct tl_pos *out, int *start)
{
	const struct trace_event *ev = trace_event(tl_trace(tl), e);
	*start = 0;
	if (e <= 1) {
		*start = 1;
		return 0;
	}
	if (ev && ev->kind == TRACE_SIGNAL && !ev->sig_sync) {
		/* Delivered at the previous boundary: no instruction between. */
		*out = (struct tl_pos){e - 1, 0, 0, 0};
		return 0;
	}
	if (ev && ev->kind == TRACE_EXIT) {
		/* The end: back to the last event's boundary when it left the
		 * process standing (a fatal signal pending), else before it. */
		const struct trace_event *pe = trace_event(tl_trace(tl), e - 1);
		if (pe && pe->kind == TRACE_SIGNAL) {
			*out = (struct tl_pos){e - 1, 0, 0, 0};
			return 0;
		}
		return before_event(tl, e - 1, out, start);
	}
	struct tl_pos b = {e - 1, 0, 0, 0};
	uint64_t q = rp_cause(tl->rp, e);
	if (!q) {
		struct tl_pos pe = {e, 0, 0, 0};
		if (seek(tl, &b, 0) < 0 || seek(tl, &pe, 0) < 0)
			return -1;
		q = rp_cause(tl->rp, e);
		if (!q)
			return fail(tl, -EIO, "internal: no instruction known for event %" PRIu64, e);
	}
	if (seek(tl, &b, 0) < 0)
		return -1;
	int fd = counter_open(tl, q);
	if (fd < 0)
		return -1;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	rp_set_counter(tl->rp, fd);
	struct rp_stop s;
	if (disarm(tl) < 0 || resume(tl, 0, 0, 0, &s) < 0)
		return -1;
	if (s.kind == RPS_END)
		at_end(tl);
	else
		at_boundary(tl);
	uint64_t k = rp_counter_at_event(tl->rp);
	if (!k)
		return fail(tl, -EIO, "internal: instruction of event %" PRIu64 " not counted", e);
	*out = (struct tl_pos){e - 1, q, k, 0};
	return 0;
}

static void walk_add(struct tl *tl, uint64_t pc)
{
	struct walk *w = &tl->walk;
	if (w->n == w->cap) {
		if (w->cap >= WALK_MAX)
			return; /* a prefix is still exact */
		size_t cap = w->cap ? w->cap * 4 : 4096;
		uint64_t *v = realloc(w->pc, cap * sizeof *v);
		if (!v)
			return;
		w->pc = v, w->cap = cap;
	}
	w->pc[w->n++] = pc;
}

/* The state before x by the last walk, when x lies in it: 1 found (*out
 * set, *boundary when x is the walk's start), 0 not known. */
static int walk_prev(struct tl *tl, const struct tl_pos *x, struct tl_pos *out, int *boundary)
{
	const struct walk *w = &tl->walk;
	*boundary = 0;
	if (!w->n || w->event != x->event)
		return 0;
	size_t k = 0;
	if (x->pc) {
		uint64_t seen = 0;
		for (k = 0; k < w->n; k++)
			if (w->pc[k] == x->pc && ++seen == x->hits)
				break;
		if (k == w->n)
			return 0;
	}
	if (x->steps >= w->n - k)
		return 0;
	k += x->steps;
	if (k == 0) {
		*boundary = 1;
		return 1;
	}
	uint64_t pc = w->pc[k - 1], hits = 0;
	for (size_t i = 0; i < k; i++)
		hits += w->pc[i] == pc;
	*out = (struct tl_pos){x->event, pc, hits, 0};
	return 1;
}

/* Steps from position from (seeked) until position x is reached; *prev
 * gets the position just before it. A walk from a boundary is remembered
 * (struct walk). */
static int step_until(struct tl *tl, const struct tl_pos *from, const struct tl_pos *x,
                      struct tl_pos *prev)
{
	if (seek(tl, from, 0) < 0 || disarm(tl) < 0)
		return -1;
	/* A walk's start gets a checkpoint: the next reverse-stepi walks
	 * from it again instead of from further away. */
	if (!has_ck_at(tl, &tl->pos))
		stop_ck(tl);
	struct tl_pos p = tl->pos;
	struct rp_stop s;
	int logging = !p.pc && !p.steps;
	if (logging) {
		tl->walk.event = p.event;
		tl->walk.n = 0;
		walk_add(tl, cur_rip(tl));
	}
	for (uint64_t n = 0; n < STEP_CAP; n++) {
		if (resume(tl, 1, 0, 0, &s) < 0)
			return -1;
		if (s.kind != RPS_STEP)
			return fail(tl, -EIO, "internal: an event came before the position");
		uint64_t rip = cur_rip(tl);
		if (logging)
			walk_add(tl, rip);
		if ((n & 1023) == 1023 && want_stop(tl)) {
			after_step(tl);
			return INTERRUPTED(tl);
		}
		if (x->pc && rip == x->pc && !x->steps) {
			/* The live process is at x itself now (its first hit
			 * since from): say so, or a seek to prev would take
			 * this state for prev. */
			arrive(tl, rip);
			tl->pos = *x;
			*prev = p;
			return arm(tl);
		}
		after_step(tl);
		if (pos_eq(&tl->pos, x)) {
			*prev = p;
			return arm(tl);
		}
		p = tl->pos;
	}
	return fail(tl, -E2BIG, "reverse-stepi: more than %llu instructions to replay",
	            (unsigned long long)STEP_CAP);
}

/* Runs from x's boundary to x with perf counters on the addresses a[0..n),
 * giving how often each executed before x. The caller's breakpoints are
 * not counted on the way (their counts are then redone when needed). */
static int count_upto(struct tl *tl, const struct tl_pos *x, const uint64_t *a, int n, uint64_t *cnt)
{
	struct tl_pos b = {x->event, 0, 0, 0};
	int fd[2] = {-1, -1}, rc = -1;
	if (seek(tl, &b, 0) < 0 || disarm(tl) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if ((fd[i] = counter_open(tl, a[i])) < 0)
			goto out;
		ioctl(fd[i], PERF_EVENT_IOC_ENABLE, 0);
	}
	size_t nh = tl->nhits;
	tl->nhits = 0;
	rc = run_forward_to(tl, x, 0);
	tl->nhits = nh;
	tl->hits_ok = 0;
	for (int i = 0; i < n; i++) {
		ioctl(fd[i], PERF_EVENT_IOC_DISABLE, 0);
		cnt[i] = counter_read(fd[i]);
	}
out:
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return rc;
}

/*
 * The state before x = (E, pc, 1), pc's first execution in its event, when
 * x's predecessor falls through into it: the highest instruction start below
 * pc that executed before x (an address inside an instruction never counts),
 * at its last execution, provided one step from there arrives at pc. Counting
 * costs a replay of the span per pair of candidates, in the kernel; walking
 * from the boundary costs a ptrace stop per instruction. 1 found, 0 not (x was
 * reached by a jump: walk), negative on an error.
 */
static int prev_by_fallthrough(struct tl *tl, const struct tl_pos *x, struct tl_pos *out)
{
	for (uint64_t d = 1; d <= 15 && d < x->pc; d += 2) {
		uint64_t a[2] = {x->pc - d, x->pc - d - 1}, c[2] = {0, 0};
		if (count_upto(tl, x, a, 2, c) < 0)
			return tl->intr ? -1 : 0; /* no counter: walk */
		int i = c[0] ? 0 : c[1] ? 1 : -1;
		if (i < 0)
			continue;
		struct tl_pos p = {x->event, a[i], c[i], 0};
		if (seek(tl, &p, 0) < 0 || disarm(tl) < 0)
			return -1;
		struct rp_stop s;
		if (resume(tl, 1, 0, 0, &s) < 0)
			return -1;
		tl->lost = 1; /* stepped off p without counting */
		if (s.kind == RPS_STEP && cur_rip(tl) == x->pc) {
			*out = p;
			return 1;
		}
		return 0;
	}
	return 0;
}

static int prev_position(struct tl *tl, const struct tl_pos *x, struct tl_pos *out, int *start)
{
	*start = 0;
	/* Newest first: the walk being undone is the most recent one. */
	for (int j = 1; j <= tl->ntr; j++) {
		int i = (tl->trnext - j + TRAIL_MAX) % TRAIL_MAX;
		if (pos_eq(&tl->tr[i].to, x)) {
			*out = tl->tr[i].from;
			return 0;
		}
	}
	if (tl->ended)
		return before_event(tl, rp_event(tl->rp), out, start);
	int boundary;
	if (walk_prev(tl, x, out, &boundary))
		return boundary ? before_event(tl, x->event, out, start) : 0;
	if (x->steps) {
		*out = *x;
		out->steps--;
		return 0;
	}
	if (x->pc) {
		struct tl_pos b = {x->event, 0, 0, 0}, from = b;
		if (x->hits > 1)
			from = (struct tl_pos){x->event, x->pc, x->hits - 1, 0};
		else {
			/* At the boundary with rip == pc, x is the boundary. */
			if (seek(tl, &b, 0) < 0)
				return -1;
			if (cur_rip(tl) == x->pc)
				return before_event(tl, x->event, out, start);
			int r = prev_by_fallthrough(tl, x, out);
			if (r != 0)
				return r < 0 ? -1 : 0;
		}
		return step_until(tl, &from, x, out);
	}
	return before_event(tl, x->event, out, start);
}

static int m_reverse_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	struct tl_pos x = tl->pos, prev;
	int start;
	if (prev_position(tl, &x, &prev, &start) < 0)
		return -1;
	if (start) {
		struct tl_pos b = {1, 0, 0, 0};
		if (seek(tl, &b, 0) < 0)
			return -1;
		return finish(tl, st, TL_STOP_START);
	}
	if (seek(tl, &prev, 0) < 0)
		return -1;
	return finish(tl, st, TL_STOP_STEP);
}

/* A hit seen while searching forward for reverse-continue. */
struct hit {
	int id;
	int kind;               /* 0 breakpoint at pos, 1 watch with pre-state pos,
	                           2 watch trap: the n-th after pos, pc r */
	struct tl_pos pos;
	uint64_t n, r, oldv, newv;
	uint64_t prev_r;        /* kind 2: pc of the trap before (n > 1) */
};

struct hitlog {
	struct hit last;
	int have;
	/* A checkpoint at a recent breakpoint hit, so that reaching the last
	 * hit after the search replays a short stretch, not the whole span
	 * again: renewed when the replay since it exceeds a tenth of the
	 * search so far (their number grows with the log of the span). */
	int ck_id;
	double t_start, t_ck;
};

static void log_hit(struct hitlog *l, struct hit h)
{
	l->last = h;
	l->have = 1;
}

static void hit_ck(struct tl *tl, struct hitlog *l)
{
	double t = tl->replay_s, gap = (t - l->t_start) / 10;
	if (l->ck_id && t - l->t_ck < (gap > 0.002 ? gap : 0.002))
		return;
	for (size_t i = 0; l->ck_id && i < tl->nck; i++)
		if (tl->ck[i].id == l->ck_id) {
			ck_drop(tl, i);
			break;
		}
	l->ck_id = 0;
	l->t_ck = t;
	make_ck(tl, CK_STOP, &l->ck_id); /* without it, only slower */
}

/* Replays from the restored boundary to x with everything armed, keeping
 * the last wanted hit strictly before x. */
static int search(struct tl *tl, const struct tl_pos *x, int to_end, struct hitlog *log)
{
	struct rp_stop s;
	struct tl_pos y = tl->pos;
	uint64_t ntraps = 0, last_r = 0;
	int anchor_ins = 0;
	uint64_t anchor_n = 0;
	if (arm(tl) < 0)
		return -1;
	/* The search starts at a restored boundary, which may itself be a hit
	 * (an event that returns onto a breakpoint); the later search that
	 * ends there excludes it. */
	if (!tl->pos.pc && !tl->pos.steps && (to_end || !pos_eq(&tl->pos, x))) {
		uint64_t a = cur_rip(tl);
		int id = a && bp_count(&tl->bps, a) ? bp_wants(tl, a) : 0;
		if (id) {
			struct hit hh = {id, 0, tl->pos, 0, 0, 0, 0, 0};
			log_hit(log, hh);
		}
	}
	for (;;) {
		int in_x = !to_end && rp_event(tl->rp) == x->event;
		if (in_x && pos_eq(&tl->pos, x))
			break;
		if (in_x && !x->pc && tl->pos.steps < x->steps)
			goto step;
		if (in_x && x->pc && tl->pos.pc == x->pc && tl->pos.hits == x->hits)
			goto step;
		if (in_x && x->pc && !anchor_ins) {
			/* Count x's pc on the way to its hit. */
			anchor_n = 0;
			if (!count_now(tl, x->pc, &anchor_n))
				return fail(tl, -EIO, "internal: anchor count");
			if (bp_count(&tl->bps, x->pc) == 0) {
				if (bp_insert(&tl->bps, x->pc, tl->err, tl->errlen) < 0)
					return -1;
				anchor_ins = 1;
			} else {
				anchor_ins = 2;
			}
			if (anchor_n == x->hits) {
				tl->pos = (struct tl_pos){x->event, x->pc, x->hits, 0};
				continue;
			}
		}
		{
			int onbp = bp_count(&tl->bps, cur_rip(tl)) > 0;
			if (resume(tl, onbp, 1, tl->watch_mask, &s) < 0)
				return -1;
		}
		goto handle;
	step:
		if (resume(tl, 1, 1, tl->watch_mask, &s) < 0)
			return -1;
		if (s.kind == RPS_BP)
			return fail(tl, -EIO, "internal: int3 on a step");
	handle:
		switch (s.kind) {
		case RPS_END:
			at_end(tl);
			if (to_end)
				goto done;
			return fail(tl, -EIO, "internal: the end came before the position");
		case RPS_EVENT: {
			at_boundary(tl);
			arm(tl);
			y = tl->pos, ntraps = 0;
			maybe_time_ck(tl);
			if (want_stop(tl))
				return INTERRUPTED(tl);
			uint64_t a = cur_rip(tl);
			if (!to_end && rp_event(tl->rp) == x->event && pos_eq(&tl->pos, x))
				goto done;
			int id = a && bp_count(&tl->bps, a) ? bp_wants(tl, a) : 0;
			if (id) {
				struct hit hh = {id, 0, tl->pos, 0, 0, 0, 0, 0};
				log_hit(log, hh);
				hit_ck(tl, log);
			}
			break;
		}
		case RPS_STEP:
		case RPS_BP: {
			uint64_t a = s.kind == RPS_BP ? s.addr : cur_rip(tl);
			if (s.kind == RPS_STEP)
				after_step(tl);
			else
				arrive(tl, a);
			if (in_x && x->pc && a == x->pc)
				anchor_n++;
			if (s.kind == RPS_BP) {
				struct hitc *h = hit_find(tl, a);
				if (h)
					tl->pos = (struct tl_pos){rp_event(tl->rp), a, h->n, 0};
				else
					tl->pos = (struct tl_pos){rp_event(tl->rp), a, anchor_n, 0};
			}
			if (in_x && x->pc && a == x->pc && anchor_n == x->hits)
				tl->pos = (struct tl_pos){x->event, x->pc, x->hits, 0};
			y = tl->pos, ntraps = 0;
			if (pos_eq(&tl->pos, x) && !to_end)
				goto done;
			if (hit_find(tl, a) && tl->hits_ok) {
				int id = bp_wants(tl, a);
				if (id) {
					struct hitc *h = hit_find(tl, a);
					struct hit hh = {id, 0, {rp_event(tl->rp), a, h->n, 0}, 0, 0, 0, 0, 0};
					log_hit(log, hh);
					hit_ck(tl, log);
				}
			}
			break;
		}
		case RPS_HW: {
			struct tl_pos before = tl->pos;
			if (s.stepped)
				after_step(tl);
			uint64_t o = 0, n = 0;
			int id = watch_wants(tl, s.fired, &o, &n);
			if (s.stepped) {
				if (id) {
					struct hit hh = {id, 1, before, 0, 0, o, n, 0};
					log_hit(log, hh);
				}
				y = tl->pos, ntraps = 0;
				if (pos_eq(&tl->pos, x) && !to_end)
					goto done;
				break;
			}
			ntraps++;
			uint64_t r = cur_rip(tl);
			if (id) {
				struct hit hh = {id, 2, y, ntraps, r, o, n, last_r};
				log_hit(log, hh);
			}
			last_r = r;
			/* The trap left the process on x's pc or on a counted
			 * breakpoint: an arrival there (the next resume steps
			 * over the int3 without counting it). */
			if (in_x && x->pc == r) {
				arrive(tl, r);
				anchor_n++;
				tl->pos = (struct tl_pos){x->event, r, anchor_n, 0};
				y = tl->pos, ntraps = 0;
				if (anchor_n == x->hits)
					goto done;
			} else if (trap_on_bp(tl)) {
				y = tl->pos, ntraps = 0;
				int bid = bp_wants(tl, r);
				if (bid) {
					struct hit hh = {bid, 0, tl->pos, 0, 0, 0, 0, 0};
					log_hit(log, hh);
				}
			}
			break;
		}
		default:
			return fail(tl, -EIO, "internal: unexpected stop %d", (int)s.kind);
		}
	}
done:
	if (anchor_ins == 1 && !tl->ended)
		bp_remove(&tl->bps, x->pc, NULL, 0);
	else if (anchor_ins == 1) {
		tl->bps.armed = 0;
		bp_remove(&tl->bps, x->pc, NULL, 0);
	}
	return 0;
}

/* Replays from the boundary of h's event to its trap with perf counters
 * on up to two addresses, giving how often each executed. */
static int count_to_trap(struct tl *tl, const struct hit *h, const uint64_t *a, int na,
                         uint64_t *cnt)
{
	struct tl_pos b = {h->pos.event, 0, 0, 0};
	int fd[2] = {-1, -1}, rc = -1;
	tl->lost = 1;
	if (seek(tl, &b, 0) < 0 || disarm(tl) < 0)
		return -1;
	for (int i = 0; i < na; i++) {
		if ((fd[i] = counter_open(tl, a[i])) < 0)
			goto out;
		ioctl(fd[i], PERF_EVENT_IOC_ENABLE, 0);
	}
	if (run_forward_to(tl, &h->pos, 0) < 0)
		goto out;
	bp_disarm(&tl->bps, NULL, 0);
	hw_apply(&tl->hw, T(tl), NULL, 0);
	struct rp_stop st;
	for (uint64_t i = 0; i < h->n; i++) {
		if (resume(tl, 0, 0, tl->watch_mask, &st) < 0)
			goto out;
		if (st.kind != RPS_HW) {
			fail(tl, -EIO, "internal: watchpoint trap not found again");
			goto out;
		}
	}
	for (int i = 0; i < na; i++) {
		ioctl(fd[i], PERF_EVENT_IOC_DISABLE, 0);
		cnt[i] = counter_read(fd[i]);
	}
	rc = 0;
out:
	tl->lost = 1; /* at the trap, past the position we know */
	for (int i = 0; i < na; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return rc;
}

/* Whether one step from position p (seeked) is the write h trapped on. */
static int is_pre_write(struct tl *tl, const struct tl_pos *p, const struct hit *h)
{
	if (seek(tl, p, 0) < 0)
		return -1;
	bp_disarm(&tl->bps, NULL, 0);
	hw_apply(&tl->hw, T(tl), NULL, 0);
	struct rp_stop s;
	if (resume(tl, 1, 0, tl->watch_mask, &s) < 0)
		return -1;
	int ok = s.kind == RPS_HW && cur_rip(tl) == h->r;
	tl->lost = 1; /* stepped off p without counting */
	return ok;
}

/*
 * The state just before the write of a watch trap logged as kind 2. The
 * trap comes after the store, at h->r; the store is the instruction that
 * ends at h->r when it falls through (any store but a call or a push onto
 * the stack by a far jump). Its address q is the highest executed
 * instruction start below h->r, found by counting executions of the
 * candidate addresses in the kernel (an address inside an instruction never
 * counts); the state before the write is then the last of q's arrivals,
 * (event, q, count). When that does not check out, single steps from the
 * trap before find it (slow over long loops).
 */
static int pre_write(struct tl *tl, const struct hit *h, struct tl_pos *out)
{
	for (uint64_t d = 1; d <= 15; d += 2) {
		uint64_t a[2] = {h->r - d, h->r - d - 1}, c[2] = {0, 0};
		if (count_to_trap(tl, h, a, 2, c) < 0)
			return -1;
		int i = c[0] ? 0 : c[1] ? 1 : -1;
		if (i < 0)
			continue;
		struct tl_pos p = {h->pos.event, a[i], c[i], 0};
		int ok = is_pre_write(tl, &p, h);
		if (ok < 0)
			return -1;
		if (ok) {
			*out = p;
			return 0;
		}
		break;
	}
	struct tl_pos from = h->pos;
	if (h->n > 1) {
		if (resolve_trap(tl, &h->pos, h->n - 1, h->prev_r) < 0)
			return -1;
		from = tl->pos;
	}
	if (seek(tl, &from, 0) < 0)
		return -1;
	bp_disarm(&tl->bps, NULL, 0);
	struct hw_set w = tl->hw;
	hw_apply(&w, T(tl), NULL, 0);
	struct tl_pos p = tl->pos;
	struct rp_stop s;
	for (uint64_t n = 0; n < STEP_CAP; n++) {
		if (resume(tl, 1, 0, tl->watch_mask, &s) < 0)
			return -1;
		if (s.kind != RPS_STEP && s.kind != RPS_HW)
			return fail(tl, -EIO, "internal: the write was not found again");
		after_step(tl);
		if (s.kind == RPS_HW) {
			*out = p;
			return 0;
		}
		p = tl->pos;
	}
	return fail(tl, -E2BIG, "reverse-continue: more than %llu instructions to replay",
	            (unsigned long long)STEP_CAP);
}

/* The one address of the caller's breakpoints when a reverse-continue may
 * count its executions instead of stopping at each: unconditional, no
 * watchpoint. */
static int counted_bp(struct tl *tl, uint64_t *pc)
{
	if (tl->watch_mask || tl->nhits != 1)
		return 0;
	for (size_t i = 0; i < tl->nub; i++)
		if (tl->ub[i].cond || (tl->ub[i].kind != TL_BP_SW && tl->ub[i].kind != TL_BP_HW))
			return 0;
	*pc = tl->hits[0].pc;
	return 1;
}

/* Executions of pc from x's boundary up to x (x not past the live
 * process's position being required: it seeks). */
static int count_before(struct tl *tl, const struct tl_pos *x, uint64_t pc, uint64_t *n)
{
	if (x->pc == pc) {
		*n = x->hits - (x->steps == 0);
		return 0;
	}
	if (!x->pc && !x->steps) {
		*n = 0;
		return 0;
	}
	struct tl_pos b = {x->event, 0, 0, 0};
	if (seek(tl, &b, 0) < 0 || disarm(tl) < 0)
		return -1;
	int fd = counter_open(tl, pc);
	if (fd < 0)
		return -1;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	/* The counter keeps pc's count: reach x without stopping at pc. */
	size_t nh = tl->nhits;
	tl->nhits = 0;
	int rc = run_forward_to(tl, x, 0);
	tl->nhits = nh;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	*n = counter_read(fd);
	close(fd);
	if (rc == 0) {
		tl->hits[0].n = *n + (cur_rip(tl) == pc);
		tl->hits_ok = 1;
	}
	return rc;
}

/* Hits of an event counted by int3 before its counter takes over. */
#define HOT_HITS 8

/*
 * Runs the live process from a boundary to the next one (or the end),
 * giving in *n how often pc executed on the way (the boundary's own
 * instruction included): by int3 while the hits are few, then by a perf
 * counter for the rest of a hot event. An open perf breakpoint costs at
 * every context switch of the process, even disabled (on this VM a
 * syscall-heavy replay runs half again slower with one), so it is opened
 * only for the events that need it. pc must be in the breakpoint table.
 */
static int count_event(struct tl *tl, uint64_t pc, uint64_t *n)
{
	struct rp_stop s;
	uint64_t c = cur_rip(tl) == pc;
	if (bp_arm(&tl->bps, tl->err, tl->errlen) < 0)
		return -1;
	while (c < HOT_HITS) {
		if (resume(tl, cur_rip(tl) == pc, 1, 0, &s) < 0)
			return -1;
		switch (s.kind) {
		case RPS_END:
			at_end(tl);
			*n = c;
			return 0;
		case RPS_EVENT:
			at_boundary(tl);
			maybe_time_ck(tl);
			*n = c;
			return 0;
		case RPS_BP:
			c += s.addr == pc;
			break;
		case RPS_STEP:
			c += cur_rip(tl) == pc;
			break;
		default:
			return fail(tl, -EIO, "internal: stop %d while counting hits", (int)s.kind);
		}
	}
	/* The counter counts the execution at rip too when rip is pc (the
	 * debug register fires before the instruction): counted already. */
	uint64_t at_pc = cur_rip(tl) == pc;
	if (bp_disarm(&tl->bps, tl->err, tl->errlen) < 0)
		return -1;
	int fd = counter_open(tl, pc);
	if (fd < 0)
		return -1;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	int rc = next_event(tl);
	uint64_t k = counter_read(fd);
	close(fd);
	if (rc < 0)
		return -1;
	*n = c + k - (k >= at_pc ? at_pc : k);
	return 0;
}

/*
 * reverse-continue to one unconditional breakpoint address, counting its
 * executions in the kernel instead of stopping at each (a breakpoint in a
 * hot loop has millions of hits in a span): the hits before x in x's own
 * event, else event by event from the checkpoints before, reading a
 * counter at each boundary; the last event with hits names the last hit
 * (event, pc, count), reached again by counting. Returns 1 when it does
 * not apply or found nothing before the first checkpoint it searched
 * (the general search then takes over), else the motion's result.
 */
static int counted_reverse_continue(struct tl *tl, const struct tl_pos *x, uint64_t pc,
                                    struct tl_stop *st)
{
	struct tl_pos end = *x;
	uint64_t n = 0, hit_event = 0;
	if (!tl->ended) {
		if (count_before(tl, x, pc, &n) < 0)
			return -1;
		if (n)
			hit_event = x->event;
	}
	/* The scan counts by int3 (a user's hardware breakpoint gets one for
	 * the while). */
	int ins = bp_count(&tl->bps, pc) == 0;
	if (ins && bp_insert(&tl->bps, pc, tl->err, tl->errlen) < 0)
		return -1;
	/* Within the current image (see m_reverse_continue). */
	uint64_t img = tl_image_of(tl, end.event);
	struct tl_pos first = {img, 0, 0, 0};
	while (!hit_event && end.event > img) {
		int best = -1;
		for (size_t i = 0; i < tl->nck; i++) {
			struct tck *c = &tl->ck[i];
			if (c->pos.pc || c->pos.steps || c->pos.event >= end.event || c->pos.event < img)
				continue;
			if (best < 0 || c->pos.event > tl->ck[best].pos.event)
				best = (int)i;
		}
		struct tl_pos from = first;
		int rc = best >= 0 ? restore(tl, &tl->ck[best]) : seek(tl, &first, 0);
		if (best >= 0)
			from = tl->ck[best].pos;
		if (rc < 0 || disarm(tl) < 0) {
			if (ins)
				bp_remove(&tl->bps, pc, NULL, 0);
			return -1;
		}
		at_boundary(tl);
		/* Checkpoints along the scan (a tenth of it apart, at least
		 * 3 ms): reaching the last hit afterwards replays a short
		 * stretch, not the span again. The count policy thins them. */
		double t0 = tl->replay_s, t_ck = t0;
		while (!tl->ended && rp_event(tl->rp) < end.event) {
			double gap = (tl->replay_s - t0) / 10;
			if (tl->replay_s - t_ck >= (gap > 0.003 ? gap : 0.003) && !has_ck_at(tl, &tl->pos)) {
				t_ck = tl->replay_s;
				make_ck(tl, CK_TIME, NULL); /* without it, only slower */
			}
			uint64_t e = rp_event(tl->rp), c = 0;
			if ((rc = count_event(tl, pc, &c)) < 0)
				break;
			if (c)
				hit_event = e, n = c;
			if (!tl->ended && want_stop(tl)) {
				rc = INTERRUPTED(tl);
				break;
			}
		}
		if (rc < 0) {
			if (ins)
				bp_remove(&tl->bps, pc, NULL, 0);
			return rc;
		}
		if (!hit_event)
			end = from;
	}
	if (ins)
		bp_remove(&tl->bps, pc, NULL, 0);
	if (!hit_event) {
		if (seek(tl, &first, 0) < 0)
			return -1;
		return finish(tl, st, img > 1 ? TL_STOP_EXEC : TL_STOP_START);
	}
	struct tl_pos target = {hit_event, pc, n, 0};
	tl->lost = 1; /* somewhere past the target: reach it again */
	if (seek(tl, &target, 1) < 0)
		return -1;
	st->bp_id = bp_wants(tl, pc);
	st->addr = pc;
	return finish(tl, st, TL_STOP_BREAKPOINT);
}

static int m_reverse_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	struct tl_pos end = tl->pos;
	int to_end = tl->ended;
	uint64_t cpc;
	if (counted_bp(tl, &cpc)) {
		int rc = counted_reverse_continue(tl, &end, cpc, st);
		if (rc != 1)
			return rc;
		/* Not found after the checkpoints searched: the general way,
		 * from where the counting left the process. */
		if (seek(tl, &end, 0) < 0)
			return -1;
		to_end = tl->ended;
	}
	/* The search stays in the current image (the breakpoints are its
	 * addresses): back to its first state, then the caller's turn. */
	uint64_t img = tl_image_of(tl, end.event);
	struct tl_pos first = {img, 0, 0, 0};
	for (;;) {
		if (!to_end && tl_position_cmp(&end, &first) != 1) {
			if (seek(tl, &first, 0) < 0)
				return -1;
			return finish(tl, st, img > 1 ? TL_STOP_EXEC : TL_STOP_START);
		}
		int best = -1;
		for (size_t i = 0; i < tl->nck; i++) {
			struct tck *c = &tl->ck[i];
			if (c->pos.pc || c->pos.steps || c->pos.event < img)
				continue;
			if (!to_end && tl_position_cmp(&c->pos, &end) != -1)
				continue;
			if (best < 0 || c->pos.event > tl->ck[best].pos.event)
				best = (int)i;
		}
		struct tl_pos from = first;
		if (best >= 0) {
			from = tl->ck[best].pos;
			if (restore(tl, &tl->ck[best]) < 0)
				return -1;
			at_boundary(tl);
		} else if (seek(tl, &first, 0) < 0) {
			return -1;
		}
		struct hitlog log = {0};
		log.t_start = tl->replay_s;
		if (search(tl, &end, to_end, &log) < 0)
			return -1;
		if (log.have) {
			struct hit h = log.last;
			struct tl_pos target = h.pos;
			if (h.kind == 2 && pre_write(tl, &h, &target) < 0)
				return -1;
			if (seek(tl, &target, 1) < 0)
				return -1;
			st->bp_id = h.id;
			struct ubp *b = ub_find(tl, h.id);
			st->addr = b ? b->addr : 0;
			if (h.kind) {
				st->old_value = h.oldv;
				st->new_value = h.newv;
			}
			return finish(tl, st, h.kind ? TL_STOP_WATCHPOINT : TL_STOP_BREAKPOINT);
		}
		end = from;
		to_end = 0;
	}
}

/* ---- interrupting long motions ------------------------------------------------ */

void tl_set_progress(struct tl *tl, tl_progress_fn fn, void *ctx)
{
	tl->progress = fn;
	tl->progress_ctx = ctx;
}

void tl_get_progress(const struct tl *tl, tl_progress_fn *fn, void **ctx)
{
	*fn = tl->progress;
	*ctx = tl->progress_ctx;
}

/* A motion the caller interrupted stops where it was cut: a boundary or a
 * step it knows exactly (or, past a watch trap, the last position known). */
static int stopped(struct tl *tl, struct tl_stop *st, int rc)
{
	if (rc >= 0 || !tl->intr)
		return rc;
	tl->intr = 0;
	tl->progress_t = now_s();
	if (tl->lost) {
		struct tl_pos p = tl->pos;
		tl_progress_fn fn = tl->progress;
		tl->progress = NULL; /* this one is short: at most a span */
		rc = seek(tl, &p, 0);
		tl->progress = fn;
		if (rc < 0)
			return rc;
	}
	if (arm(tl) < 0)
		return -1;
	return finish(tl, st, TL_STOP_INTERRUPTED);
}

int tl_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_stepi(tl, st, err, errlen));
}

int tl_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_continue(tl, st, err, errlen));
}

int tl_seek(struct tl *tl, const struct tl_pos *p, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_seek(tl, p, st, err, errlen));
}

int tl_run_to_event(struct tl *tl, uint64_t no, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_run_to_event(tl, no, st, err, errlen));
}

int tl_reverse_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_reverse_stepi(tl, st, err, errlen));
}

int tl_reverse_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen)
{
	return stopped(tl, st, m_reverse_continue(tl, st, err, errlen));
}

/* ---- checkpoints, the caller's side --------------------------------------- */

int tl_ck_create(struct tl *tl, int *id, char *err, size_t errlen)
{
	tl->err = err, tl->errlen = errlen;
	return make_ck(tl, CK_USER, id);
}

int tl_ck_list(struct tl *tl, struct tl_ck_info *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < tl->nck; i++) {
		if (n < max)
			out[n] = (struct tl_ck_info){tl->ck[i].id, tl->ck[i].kind == CK_USER, tl->ck[i].pos};
		n++;
	}
	return n;
}

int tl_ck_restore(struct tl *tl, int id, struct tl_stop *st, char *err, size_t errlen)
{
	begin(tl, st, err, errlen);
	for (size_t i = 0; i < tl->nck; i++)
		if (tl->ck[i].id == id) {
			if (restore(tl, &tl->ck[i]) < 0 || arm(tl) < 0)
				return -1;
			return finish(tl, st, TL_STOP_POSITION);
		}
	return fail(tl, -ENOENT, "no checkpoint number %d", id);
}

int tl_ck_delete(struct tl *tl, int id, char *err, size_t errlen)
{
	tl->err = err, tl->errlen = errlen;
	for (size_t i = 0; i < tl->nck; i++)
		if (tl->ck[i].id == id) {
			if (tl->ck[i].kind == CK_START)
				return fail(tl, -EPERM, "checkpoint %d is the start of history", id);
			ck_drop(tl, i);
			return 0;
		}
	return fail(tl, -ENOENT, "no checkpoint number %d", id);
}

void tl_ck_set_budget(struct tl *tl, uint64_t bytes)
{
	tl->budget = bytes;
	enforce_budget(tl);
}

int tl_stats(struct tl *tl, struct tl_stats *out, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	memset(out, 0, sizeof *out);
	out->ncheckpoints = (int)tl->nck;
	out->nauto = (int)(count_kind(tl, CK_TIME) + count_kind(tl, CK_STOP) + count_kind(tl, CK_START));
	for (size_t i = 0; i < tl->nck; i++)
		out->ck_bytes += ck_bytes(&tl->ck[i]);
	out->budget = tl->budget;
	out->replay_seconds = tl->replay_s;
	return 0;
}
