/*
 * hitcount.c — run a tracee to the k-th execution of an address.
 *
 * Positions are "the k-th time pc p is about to execute" and p may sit in a
 * hot loop, so reaching one with an int3 costs k ptrace stops (two each:
 * the trap and the step over it). Without hardware performance counters the
 * kernel can still count executions of one address: a PERF_TYPE_BREAKPOINT
 * event (a debug register owned by perf, allowed for our own processes even
 * with perf_event_paranoid = 2) counts each hit in the #DB handler, and with
 * sample_period = n it raises a signal at the n-th. We let it count all but
 * the last few hits in the kernel, stop on its signal, read the exact count,
 * and finish with int3 so the final stop is exact (rip == addr, instruction
 * not yet executed). When perf is unavailable the whole way is int3.
 */
#include "core/tracee.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
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

/* The overflow signal. SIGSTKFLT is unused by programs (rr uses it the same
 * way); it is never delivered: we swallow its stop. */
#define HC_SIG SIGSTKFLT
/* Hits left to int3 after the kernel's signal, in case the signal lands a
 * little after the hit it was raised for. */
#define HC_MARGIN 2

static int perf_open(pid_t pid, uint64_t addr, uint64_t period)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof a);
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof a;
	a.bp_type = HW_BREAKPOINT_X;
	a.bp_addr = addr;
	a.bp_len = sizeof(long);
	a.sample_period = period;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.disabled = 1;
	return (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int hc_available(struct tracee *t)
{
	struct user_regs_struct r;
	int fd;

	if (tc_get_regs(t, &r, NULL, 0))
		return 0;
	fd = perf_open(t->pid, r.rip, 1);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int is_dead(const struct tracee *t)
{
	return t->stop == TC_STOP_EXITED || t->stop == TC_STOP_KILLED;
}

/* The stop was not ours: give it to the caller. */
static int foreign_stop(const struct tracee *t, char *err, size_t errlen)
{
	if (is_dead(t))
		return fail(err, errlen, -ESRCH, "process %d ended before the hit", t->pid);
	return fail(err, errlen, -EINTR, "process %d stopped (kind %d, signal %d) before the hit",
	            t->pid, (int)t->stop, t->sig);
}

/* Step off the instruction at rip == addr, which has been counted; a
 * self-loop (or a rep iteration) landing on addr again is another hit. */
static int step_off(struct tracee *t, uint64_t addr, uint64_t *n, uint64_t k, int sysemu,
                    struct hc_stats *st, char *err, size_t errlen)
{
	struct user_regs_struct r;
	int rc;

	for (;;) {
		if ((rc = tc_step(t, sysemu ? TC_STEP_SYSEMU : 0, err, errlen)))
			return rc;
		st->stops++;
		if (t->stop != TC_STOP_TRAP)
			return foreign_stop(t, err, errlen);
		if ((rc = tc_get_regs(t, &r, err, errlen)))
			return rc;
		if (r.rip != addr)
			return 0;
		st->trap_hits++;
		if (++*n == k)
			return 0;
	}
}

/* Run with a private int3 at addr until hit k (n hits reached so far,
 * rip != addr or the current one already counted and stepped off). */
static int run_int3(struct tracee *t, uint64_t addr, uint64_t *n, uint64_t k, int sysemu,
                    struct hc_stats *st, char *err, size_t errlen)
{
	struct bp_set b;
	int rc, hit;

	bp_init(&b, t);
	if ((rc = bp_insert(&b, addr, err, errlen)))
		return rc;
	while (*n < k) {
		/* bp_cont steps over the int3 when rip is on it. */
		if ((rc = bp_cont(&b, sysemu ? PTRACE_SYSEMU : PTRACE_CONT, &hit, err, errlen)))
			break;
		st->stops += 1;
		if (!hit) {
			rc = foreign_stop(t, err, errlen);
			break;
		}
		st->trap_hits++;
		++*n;
	}
	if (!is_dead(t)) {
		int rc2 = bp_remove(&b, addr, rc ? NULL : err, errlen);
		if (!rc)
			rc = rc2;
	}
	bp_fini(&b);
	return rc;
}

/* Count in the kernel up to hit target (< k) and stop near it. */
static int run_perf(struct tracee *t, uint64_t addr, uint64_t *n, uint64_t target, int sysemu,
                    struct hc_stats *st, char *err, size_t errlen)
{
	struct f_owner_ex owner = { F_OWNER_TID, t->pid };
	uint64_t count = 0;
	int fd, rc = 0;

	fd = perf_open(t->pid, addr, target - *n);
	if (fd < 0)
		return fail(err, errlen, -errno, "perf_event_open(PERF_TYPE_BREAKPOINT) on %d: %s",
		            t->pid, strerror(errno));
	/* The signal goes to the tracee's thread, so it shows up to us as a
	 * signal-delivery stop right after the overflowing hit. */
	if (fcntl(fd, F_SETOWN_EX, &owner) < 0 || fcntl(fd, F_SETSIG, HC_SIG) < 0 ||
	    fcntl(fd, F_SETFL, O_ASYNC) < 0 || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		rc = fail(err, errlen, -errno, "arming the perf counter: %s", strerror(errno));
		close(fd);
		return rc;
	}
	for (;;) {
		if ((rc = tc_cont(t, sysemu ? PTRACE_SYSEMU : PTRACE_CONT, err, errlen)))
			break;
		st->stops++;
		if (t->stop == TC_STOP_SIGNAL && t->sig == HC_SIG && t->siginfo.si_fd == fd) {
			t->sig = 0;
			break;
		}
		rc = foreign_stop(t, err, errlen);
		break;
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &count, sizeof count) != (ssize_t)sizeof count && !rc)
		rc = fail(err, errlen, -EIO, "reading the perf counter: %s", strerror(errno));
	close(fd);
	st->kernel_hits += count;
	*n += count;
	return rc;
}

int hc_run_to_hit(struct tracee *t, struct bp_set *bps, uint64_t addr, uint64_t k,
                  enum hc_method method, struct hc_stats *stp, uint64_t *done,
                  char *err, size_t errlen)
{
	struct user_regs_struct r;
	struct hc_stats dummy;
	struct hc_stats *st = stp ? stp : &dummy;
	uint64_t n = 0;
	int rc, was_armed = bps && bps->armed;
	int sysemu = ((int)method & HC_SYSEMU) != 0;

	method = (enum hc_method)((int)method & ~HC_SYSEMU);
	memset(st, 0, sizeof *st);
	if (k == 0)
		return fail(err, errlen, -EINVAL, "hit numbers start at 1");
	if (method == HC_AUTO)
		method = hc_available(t) ? HC_PERF : HC_INT3;
	st->method = method;
	if (was_armed && (rc = bp_disarm(bps, err, errlen)))
		return rc;
	if ((rc = tc_get_regs(t, &r, err, errlen)))
		goto out;
	if (r.rip == addr) {
		n = 1;
		if (n == k)
			goto out;
		if ((rc = step_off(t, addr, &n, k, sysemu, st, err, errlen)) || n == k)
			goto out;
	}
	if (method == HC_PERF && k - n > HC_MARGIN) {
		if ((rc = run_perf(t, addr, &n, k - HC_MARGIN, sysemu, st, err, errlen)))
			goto out;
		if ((rc = tc_get_regs(t, &r, err, errlen)))
			goto out;
		/* The counter counted the hit at rip if rip == addr (the
		 * breakpoint fires before the instruction). */
		if (n > k || (n == k && r.rip != addr)) {
			rc = fail(err, errlen, -EOVERFLOW,
			          "perf signal came late: %llu hits counted, wanted %llu",
			          (unsigned long long)n, (unsigned long long)k);
			goto out;
		}
		if (n == k)
			goto out;
		if (r.rip == addr && (rc = step_off(t, addr, &n, k, sysemu, st, err, errlen)))
			goto out;
	}
	if (n < k)
		rc = run_int3(t, addr, &n, k, sysemu, st, err, errlen);
out:
	if (done)
		*done = n;
	if (was_armed && !is_dead(t)) {
		int rc2 = bp_arm(bps, rc ? NULL : err, errlen);
		if (!rc)
			rc = rc2;
	}
	return rc;
}
