/*
 * ck.c — checkpoints: frozen clones of a stopped tracee.
 *
 * Going back in time means starting again from an earlier state. A
 * checkpoint is that state kept as a process: we make the tracee call
 * clone() (injected at a `syscall` instruction), the kernel copies its
 * address space copy-on-write (about 23 us per touched MB, for the page
 * tables), and the copy is auto-attached to us and kept stopped forever.
 * Restoring clones the checkpoint in the same way and hands back the new
 * copy, so a checkpoint can be restored any number of times.
 *
 * clone(CLONE_PARENT) makes the copy a child of the tracee's parent (the
 * debugger, when it started the tracee) rather than of the tracee: the
 * traced program never gets a SIGCHLD for it or sees it in wait(), and we can
 * reap it. PTRACE_O_EXITKILL (set by tc_attach, inherited by clones) kills
 * every checkpoint when the debugger dies.
 */
#include "core/tracee.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

/*
 * Clone src (stopped) into *out, stopped in the SIGSTOP delivery stop every
 * auto-attached task starts with, with sig 0 so that SIGSTOP is never
 * delivered. Registers are left to the caller.
 */
static int clone_stopped(struct tracee *src, struct tracee *out, char *err, size_t errlen)
{
	uint64_t args[6] = { CLONE_PARENT, 0, 0, 0, 0, 0 };
	int64_t ret;
	pid_t child;
	int rc;

	rc = tc_inject_syscall(src, SYS_clone, args, &ret, &child, err, errlen);
	if (rc)
		return rc;
	if (ret == -EINVAL) {
		/* The init of a pid namespace may not use CLONE_PARENT: then a
		 * plain child with exit signal 0, which does not signal it. */
		args[0] = 0;
		if ((rc = tc_inject_syscall(src, SYS_clone, args, &ret, &child, err, errlen)))
			return rc;
	}
	if (ret < 0)
		return fail(err, errlen, (int)ret, "injected clone in %d failed: %s", src->pid,
		            strerror((int)-ret));
	if (child == 0)
		child = (pid_t)ret;

	memset(out, 0, sizeof *out);
	out->pid = child;
	out->memfd = -1;
	/* The new task may first report a syscall-exit stop inherited from
	 * the injected call, then the SIGSTOP stop; wait on this pid only,
	 * until the SIGSTOP one, whatever came before. */
	for (;;) {
		if ((rc = tc_wait(out, err, errlen)))
			return rc;
		if (out->stop == TC_STOP_EXITED || out->stop == TC_STOP_KILLED)
			return fail(err, errlen, -ESRCH, "checkpoint process %d died at birth", child);
		if (out->stop == TC_STOP_SIGNAL && (out->sig == SIGSTOP || out->sig == 0))
			break;
		/* Anything else (inherited syscall stop): let it go on to the
		 * SIGSTOP, which is already pending. */
		out->sig = 0;
		if ((rc = tc_resume(out, PTRACE_CONT, err, errlen)))
			return rc;
	}
	out->sig = 0;
	{
		struct tracee tmp;
		if ((rc = tc_attach(&tmp, child, err, errlen))) {
			tc_kill(out);
			return rc;
		}
		tmp.syscall_insn = src->syscall_insn;
		tmp.siginfo = out->siginfo;
		*out = tmp;
	}
	out->stop = TC_STOP_SIGNAL;
	out->sig = 0;
	return 0;
}

int ck_create(struct tracee *t, struct ck *ck, char *err, size_t errlen)
{
	struct user_regs_struct r;
	int rc;

	memset(ck, 0, sizeof *ck);
	ck->t.pid = -1;
	ck->t.memfd = -1;
	if (t->stop == TC_STOP_EXITED || t->stop == TC_STOP_KILLED || t->stop == TC_STOP_NONE)
		return fail(err, errlen, -ESRCH, "process %d is not stopped", t->pid);
	if ((rc = tc_get_regs(t, &r, err, errlen)))
		return rc;
	if (t->stop == TC_STOP_SIGNAL && t->sig) {
		ck->sig = t->sig;
		ck->siginfo = t->siginfo;
	}
	if (t->stop == TC_STOP_SYSCALL_ENTRY) {
		/* The copy cannot be "in" an entry stop: rewind it to just
		 * before the syscall instruction instead. */
		ck->at_syscall_entry = 1;
		r.rip -= 2;
		r.rax = r.orig_rax;
		r.orig_rax = (unsigned long long)-1;
	}
	ck->regs = r;
	if ((rc = clone_stopped(t, &ck->t, err, errlen)))
		return rc;
	if ((rc = tc_set_regs(&ck->t, &ck->regs, err, errlen))) {
		ck_free(ck);
		return rc;
	}
	return 0;
}

int ck_restore(struct ck *ck, struct tracee *out, char *err, size_t errlen)
{
	int rc;

	if ((rc = clone_stopped(&ck->t, out, err, errlen)))
		return rc;
	if ((rc = tc_set_regs(out, &ck->regs, err, errlen))) {
		tc_kill(out);
		return rc;
	}
	/* The injection left the checkpoint's own registers as they were; a
	 * second set would be redundant. */
	if (ck->sig) {
		/* Resuming this SIGSTOP stop with ck->sig delivers it with the
		 * siginfo we put here, as if the original stop were resumed. */
		if (ptrace(PTRACE_SETSIGINFO, out->pid, 0, &ck->siginfo) < 0) {
			rc = -errno;
			tc_kill(out);
			return fail(err, errlen, rc, "PTRACE_SETSIGINFO on %d: %s", out->pid, strerror(-rc));
		}
		out->sig = ck->sig;
		out->siginfo = ck->siginfo;
	}
	return 0;
}

void ck_free(struct ck *ck)
{
	if (ck->t.pid > 0)
		tc_kill(&ck->t);
	ck->t.pid = -1;
}

static uint64_t field_kb(const char *line, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(line, name, n) == 0)
		return strtoull(line + n, NULL, 10) * 1024;
	return 0;
}

int ck_mem(const struct ck *ck, struct ck_mem *m, char *err, size_t errlen)
{
	char path[64], line[256];
	FILE *f;

	memset(m, 0, sizeof *m);
	/* smaps_rollup walks the page tables once: Private_* are the pages
	 * nobody else maps any more (what freeing the checkpoint gives
	 * back); right after creation nearly everything is shared. */
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)ck->t.pid);
	if (!(f = fopen(path, "re")))
		return fail(err, errlen, -errno, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		m->rss += field_kb(line, "Rss:");
		m->pss += field_kb(line, "Pss:");
		m->private_bytes += field_kb(line, "Private_Clean:");
		m->private_bytes += field_kb(line, "Private_Dirty:");
	}
	fclose(f);
	snprintf(path, sizeof path, "/proc/%d/status", (int)ck->t.pid);
	if (!(f = fopen(path, "re")))
		return fail(err, errlen, -errno, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f))
		m->pte_bytes += field_kb(line, "VmPTE:");
	fclose(f);
	return 0;
}
