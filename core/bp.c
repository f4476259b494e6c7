/*
 * bp.c — software breakpoints (int3) on a tracee.
 *
 * Breakpoints cost nothing until hit and there can be any number of them,
 * unlike the four debug registers. The table remembers the byte each int3
 * replaced; several users of one address share one int3 through a count, so
 * that deleting one of them does not remove another's. The bytes live in the
 * process's memory, so they travel with fork: the table can be disarmed (all
 * original bytes back) before a checkpoint and moved to a restored tracee.
 */
#include "core/tracee.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static const uint8_t INT3 = 0xcc;

void bp_init(struct bp_set *s, struct tracee *t)
{
	memset(s, 0, sizeof *s);
	s->t = t;
	s->armed = 1;
}

void bp_fini(struct bp_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static struct bp_entry *find(const struct bp_set *s, uint64_t addr)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].addr == addr)
			return &s->v[i];
	return NULL;
}

int bp_count(const struct bp_set *s, uint64_t addr)
{
	struct bp_entry *e = find(s, addr);
	return e ? e->count : 0;
}

/* Puts the int3 of e into memory when its address is mapped. */
static int arm_one(struct bp_set *s, struct bp_entry *e, char *err, size_t errlen)
{
	if (e->live)
		return 0;
	if (tc_read(s->t, e->addr, &e->orig, 1, NULL, 0))
		return 0; /* not mapped (yet): pending */
	int rc = tc_write(s->t, e->addr, &INT3, 1, err, errlen);
	if (!rc)
		e->live = 1;
	return rc;
}

static void disarm_one(struct bp_set *s, struct bp_entry *e)
{
	/* A failed write means the page is gone (unmapped): nothing to undo. */
	if (e->live)
		tc_write(s->t, e->addr, &e->orig, 1, NULL, 0);
	e->live = 0;
}

int bp_insert(struct bp_set *s, uint64_t addr, char *err, size_t errlen)
{
	struct bp_entry *e = find(s, addr);

	if (e) {
		e->count++;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct bp_entry *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return fail(err, errlen, -ENOMEM, "out of memory for breakpoints");
		s->v = v;
		s->cap = cap;
	}
	e = &s->v[s->n];
	*e = (struct bp_entry){ addr, 0, 1, 0 };
	if (s->armed) {
		int rc = arm_one(s, e, err, errlen);
		if (rc)
			return rc;
	}
	s->n++;
	return 0;
}

int bp_remove(struct bp_set *s, uint64_t addr, char *err, size_t errlen)
{
	struct bp_entry *e = find(s, addr);

	if (!e)
		return fail(err, errlen, -ENOENT, "no breakpoint at 0x%llx", (unsigned long long)addr);
	if (--e->count > 0)
		return 0;
	disarm_one(s, e);
	*e = s->v[--s->n];
	return 0;
}

int bp_disarm(struct bp_set *s, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	if (!s->armed)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		disarm_one(s, &s->v[i]);
	s->armed = 0;
	return 0;
}

int bp_arm(struct bp_set *s, char *err, size_t errlen)
{
	int rc;

	/* Even when armed: addresses mapped since the last call get theirs. */
	for (size_t i = 0; i < s->n; i++)
		if ((rc = arm_one(s, &s->v[i], err, errlen)))
			return rc;
	s->armed = 1;
	return 0;
}

void bp_retarget(struct bp_set *s, struct tracee *t)
{
	s->t = t;
	s->armed = 0;
	for (size_t i = 0; i < s->n; i++)
		s->v[i].live = 0;
}

void bp_remapped(struct bp_set *s, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].addr >= addr && s->v[i].addr - addr < len)
			s->v[i].live = 0;
}

void bp_unpatch(const struct bp_set *s, uint64_t addr, void *buf, size_t len)
{
	if (!s->armed)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].live && s->v[i].addr >= addr && s->v[i].addr - addr < len)
			((uint8_t *)buf)[s->v[i].addr - addr] = s->v[i].orig;
}

int bp_check_hit(struct bp_set *s, uint64_t *addr, char *err, size_t errlen)
{
	struct user_regs_struct r;
	int rc;

	/* Only an int3 trap (SI_KERNEL) counts: a single-step that ends just
	 * after a one-byte instruction at a breakpoint also has rip - 1 on it. */
	if (!s->armed || s->t->stop != TC_STOP_TRAP || s->t->trap_code != SI_KERNEL)
		return 0;
	if ((rc = tc_get_regs(s->t, &r, err, errlen)))
		return rc;
	struct bp_entry *e = find(s, r.rip - 1);
	if (!e || !e->live)
		return 0;
	r.rip -= 1;
	if ((rc = tc_set_regs(s->t, &r, err, errlen)))
		return rc;
	if (addr)
		*addr = r.rip;
	return 1;
}

int bp_step(struct bp_set *s, int flags, char *err, size_t errlen)
{
	struct user_regs_struct r;
	struct bp_entry *e = NULL;
	int rc, rc2 = 0;

	if (s->armed && s->n) {
		if ((rc = tc_get_regs(s->t, &r, err, errlen)))
			return rc;
		e = find(s, r.rip);
	}
	if (!e || !e->live)
		return tc_step(s->t, flags, err, errlen);
	if ((rc = tc_write(s->t, e->addr, &e->orig, 1, err, errlen)))
		return rc;
	rc = tc_step(s->t, flags, err, errlen);
	if (s->t->stop != TC_STOP_EXITED && s->t->stop != TC_STOP_KILLED)
		rc2 = tc_write(s->t, e->addr, &INT3, 1, rc ? NULL : err, errlen);
	return rc ? rc : rc2;
}

int bp_cont(struct bp_set *s, int request, int *hit, char *err, size_t errlen)
{
	struct user_regs_struct r;
	int rc;

	*hit = 0;
	if (s->armed && s->n) {
		if ((rc = tc_get_regs(s->t, &r, err, errlen)))
			return rc;
		struct bp_entry *e = find(s, r.rip);
		if (e && e->live) {
			int flags = (request == PTRACE_SYSEMU) ? TC_STEP_SYSEMU : 0;
			if ((rc = bp_step(s, flags, err, errlen)))
				return rc;
			/* Anything but a plain step (a signal, a syscall stop,
			 * a debug-register trap, an exit) is the caller's;
			 * TRAP_BRKPT is a step over a `syscall`. */
			if (s->t->stop != TC_STOP_TRAP ||
			    (s->t->trap_code != TRAP_TRACE && s->t->trap_code != TRAP_BRKPT))
				return 0;
		}
	}
	if ((rc = tc_cont(s->t, request, err, errlen)))
		return rc;
	rc = bp_check_hit(s, NULL, err, errlen);
	if (rc < 0)
		return rc;
	*hit = rc;
	return 0;
}
