/*
 * rec.c — the recorder: runs a program under ptrace and writes every
 * nondeterministic input it receives into a trace.
 *
 * The program runs on the caller's terminal, pinned to the recorder's CPU
 * (a ptrace stop costs ten times more across CPUs). What makes a replay
 * exact, mechanism by mechanism:
 *   - system calls: at each exit stop, the result and every byte the kernel
 *     wrote into the process (core/sys.c says which) become one event;
 *   - rdtsc/rdtscp fault (PR_SET_TSC in the child, kept across exec); the
 *     recorder executes the instruction itself and records the values;
 *   - the vDSO's clock functions are patched into real system calls after
 *     every exec, so reading the time is a recorded system call;
 *   - ASLR is off; the initial stack (with the AT_RANDOM bytes and auxv) and
 *     registers are recorded at every exec and restored in replay;
 *   - rseq is refused (ENOSYS) because the kernel would write the CPU number
 *     into the process's memory behind our back;
 *   - synchronous signals recur by themselves and are recorded as a check;
 *     asynchronous ones are delivered only at a system call boundary: one
 *     that arrives in the middle of user code is held back and re-raised
 *     (tgkill plus its original siginfo) right after the next system call;
 *     when no call comes for FORCE_AFTER_MS (a program spinning until its
 *     handler runs), it is raised again and delivered where the program
 *     is, and that point is recorded by its signature: the registers and a
 *     hash of the memory and FP registers (pr_state_hash), which the
 *     replay compares at each pass on the recorded instruction.
 * Forked children run unrecorded: the recorder sees them only to turn rdtsc
 * trapping off in them, then lets them go.
 */
#include "core/core.h"
#include "core/proc.h"
#include "core/sys.h"
#include "core/trace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REGIONS 1024
#define MAX_DEFERRED 64

extern char **environ;

struct recorder {
	pid_t pid;
	struct tw *w;
	struct buf ev;          /* the event being built */
	uint64_t nevents;
	int in_syscall;
	int exec_exit_pending;  /* the next syscall stop is execve's exit */
	uint64_t nr, args[6];   /* the call in progress */
	struct user_regs_struct exit_regs; /* registers at the last syscall exit */
	int at_boundary;        /* since that exit: no call entered, no signal
	                           delivered or held back */
	uint64_t pending_at_exit; /* signals queued at that exit (bit signo - 1) */
	siginfo_t deferred[MAX_DEFERRED];
	int ndeferred;
	int reinjecting;        /* a deferred signal was re-raised with tgkill */
	int forcing;            /* a held-back signal was raised mid-computation */
	int ticking;            /* wait_or_force's timer is armed */
	uint64_t rep_end;       /* forcing waits for a rep string instruction to
	                           finish: a debug register stops it at this
	                           address, 0 when not */
	struct timespec deferred_at; /* when the oldest held-back signal arrived */
	int restore_rdi;        /* a vfork-style clone's flags were changed */
	uint64_t saved_rdi;
	struct sys_tracee st;   /* what the syscall table may read of the process */
	struct sys_emul emul;   /* rdtsc mode and affinity as the program set them */
	char *err;
	size_t errlen;
};

static int fail(struct recorder *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int emit(struct recorder *r)
{
	if (tw_record(r->w, &r->ev) < 0)
		return fail(r, "cannot write the trace: %s", strerror(errno));
	buf_reset(&r->ev);
	return 0;
}

static int emit_event(struct recorder *r)
{
	if (emit(r) < 0)
		return -1;
	r->nevents++;
	return 0;
}

/* ---- exec --------------------------------------------------------------- */

static int record_exec(struct recorder *r)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot read registers after exec: %s", strerror(errno));
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)r->pid);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return fail(r, "cannot read %s: %s", link, strerror(errno));
	path[n] = 0;
	int fd = open(link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(r, "cannot open %s: %s", path, strerror(errno));
	int file = tw_file(r->w, path, fd, r->err, r->errlen);
	close(fd);
	if (file < 0)
		return -1;
	uint64_t top;
	if (pr_stack_top(r->pid, &top) < 0 || top <= regs.rsp)
		return fail(r, "cannot find the initial stack of process %d", (int)r->pid);
	uint64_t len = top - regs.rsp;
	buf_u8(&r->ev, TRACE_EXEC);
	buf_str(&r->ev, path);
	buf_u32(&r->ev, (uint32_t)file);
	buf_put(&r->ev, &regs, sizeof regs);
	buf_u64(&r->ev, regs.rsp);
	buf_u64(&r->ev, len);
	uint8_t *at = buf_grow(&r->ev, len);
	if (pr_read(r->pid, regs.rsp, at, len) < 0)
		return fail(r, "cannot read the initial stack of process %d", (int)r->pid);
	if (emit_event(r) < 0)
		return -1;
	if (pr_patch_vdso(r->pid, r->err, r->errlen) < 0)
		return -1;
	r->in_syscall = 1;
	r->exec_exit_pending = 1;
	return 0;
}

/* ---- signals delivered mid-computation ----------------------------------- */

#define DR_OFF(i) (offsetof(struct user, u_debugreg) + (size_t)(i) * sizeof(long))

/* The length of the instruction at rip when it is a string instruction
 * with a rep prefix, else 0. */
static int rep_string_len(pid_t pid, uint64_t rip)
{
	uint8_t b[15];
	size_t n = sizeof b;
	if (4096 - (rip & 4095) < n) {
		/* Up to the page's end first: the next page may be unmapped. */
		n = 4096 - (rip & 4095);
		if (pr_read(pid, rip, b, n) < 0)
			return 0;
		if (pr_read(pid, rip + n, b + n, sizeof b - n) == 0)
			n = sizeof b;
	} else if (pr_read(pid, rip, b, n) < 0) {
		return 0;
	}
	size_t i = 0;
	int rep = 0;
	for (; i < n; i++) {
		uint8_t c = b[i];
		if (c == 0xf2 || c == 0xf3)
			rep = 1;
		else if (c != 0xf0 && c != 0x2e && c != 0x36 && c != 0x3e && c != 0x26 && c != 0x64 &&
		         c != 0x65 && c != 0x66 && c != 0x67)
			break;
	}
	if (i < n && (b[i] & 0xf0) == 0x40)
		i++; /* REX */
	if (i >= n || !rep)
		return 0;
	uint8_t op = b[i];
	int string = (op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf);
	return string ? (int)i + 1 : 0;
}

/*
 * The forced signal stopped the program in the middle of a rep string
 * instruction (a memset or memcpy, where a program that copies while it
 * waits spends its time). The replay finds the delivery point with a
 * breakpoint on its instruction, and a breakpoint fires only before a rep
 * instruction's first iteration: a point between two iterations cannot be
 * found again. So the program finishes the instruction first (a debug
 * register on the next one, the raised copy of the signal dropped), and
 * the signal is raised again there.
 */
static int finish_rep(struct recorder *r, uint64_t end)
{
	if (ptrace(PTRACE_POKEUSER, r->pid, (void *)DR_OFF(0), (void *)end) < 0 ||
	    ptrace(PTRACE_POKEUSER, r->pid, (void *)DR_OFF(7), (void *)1ul) < 0)
		return fail(r, "cannot set a debug register in process %d: %s", (int)r->pid,
		            strerror(errno));
	r->rep_end = end;
	r->forcing = 0;
	return 0;
}

/* The debug register of finish_rep is no longer needed: hit, or a system
 * call came first (the signal then goes at that boundary). */
static void rep_done(struct recorder *r)
{
	ptrace(PTRACE_POKEUSER, r->pid, (void *)DR_OFF(7), (void *)0ul);
	r->rep_end = 0;
}

/* ---- system calls ----------------------------------------------------- */

/* Appends what a write to stdout/stderr wrote, for replay -a and the TUI. */
static int put_output(struct recorder *r, int64_t result)
{
	int fd = (int)r->args[0];
	int kind = sys_output_call((long)r->nr);
	if (!kind || (fd != 1 && fd != 2) || result <= 0) {
		buf_u32(&r->ev, (uint32_t)-1);
		buf_u64(&r->ev, 0);
		return 0;
	}
	size_t start = r->ev.len;
	buf_u32(&r->ev, (uint32_t)fd);
	buf_u64(&r->ev, (uint64_t)result);
	uint8_t *at = buf_grow(&r->ev, (size_t)result);
	if (kind == SYS_OUT_BUF) {
		if (pr_read(r->pid, r->args[1], at, (size_t)result) == 0)
			return 0;
		/* /dev/null takes any pointer without reading it: no data
		 * reached anything that shows it */
		r->ev.len = start;
		buf_u32(&r->ev, (uint32_t)-1);
		buf_u64(&r->ev, 0);
		return 0;
	}
	/* writev family: gather from the iovec array. */
	uint64_t left = (uint64_t)result;
	for (uint64_t i = 0; i < r->args[2] && left; i++) {
		struct iovec iov;
		if (pr_read(r->pid, r->args[1] + i * sizeof iov, &iov, sizeof iov) < 0)
			return fail(r, "cannot read the iovec of %s", sys_name((long)r->nr));
		size_t k = iov.iov_len < left ? iov.iov_len : left;
		if (pr_read(r->pid, (uint64_t)(uintptr_t)iov.iov_base, at, k) < 0)
			return fail(r, "cannot read the data written by %s", sys_name((long)r->nr));
		at += k;
		left -= k;
	}
	return 0;
}

/* For an mmap of a file, the file's index in the trace's file table. */
static int mapped_file(struct recorder *r, int64_t result)
{
	if (r->nr != SYS_mmap || result < 0 || (r->args[3] & MAP_ANONYMOUS) || (int)r->args[4] < 0)
		return -1;
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)r->pid, (int)r->args[4]);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return fail(r, "cannot identify the file mapped from fd %d", (int)r->args[4]), -2;
	path[n] = 0;
	int fd = open(link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(r, "cannot open mapped file %s: %s", path, strerror(errno)), -2;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		if (strcmp(path, "/dev/zero") == 0)
			return -1; /* the same as an anonymous mapping */
		return fail(r, "unsupported: mmap of %s (not a regular file)", path), -2;
	}
	int file = tw_file(r->w, path, fd, r->err, r->errlen);
	close(fd);
	return file < 0 ? -2 : file;
}

static int record_syscall(struct recorder *r, int64_t result)
{
	struct sys_region regions[MAX_REGIONS];
	/* Failed calls too: an interrupted nanosleep or poll still writes. */
	int nreg = sys_out_regions((long)r->nr, r->args, result, &r->st, regions, MAX_REGIONS, r->err,
	                           r->errlen);
	if (nreg < 0)
		return -1;
	int file = mapped_file(r, result);
	if (file == -2)
		return -1;
	buf_u8(&r->ev, TRACE_SYSCALL);
	buf_u64(&r->ev, r->nr);
	for (int i = 0; i < 6; i++)
		buf_u64(&r->ev, r->args[i]);
	buf_u64(&r->ev, (uint64_t)result);
	buf_u32(&r->ev, (uint32_t)file);
	if (put_output(r, result) < 0)
		return -1;
	buf_u32(&r->ev, (uint32_t)nreg);
	for (int i = 0; i < nreg; i++) {
		buf_u64(&r->ev, regions[i].addr);
		buf_u64(&r->ev, regions[i].len);
		uint8_t *at = buf_grow(&r->ev, regions[i].len);
		if (pr_read(r->pid, regions[i].addr, at, regions[i].len) < 0)
			return fail(r, "cannot read the %llu bytes %s wrote at 0x%llx",
			            (unsigned long long)regions[i].len, sys_name((long)r->nr),
			            (unsigned long long)regions[i].addr);
	}
	return emit_event(r);
}

/*
 * vfork and clone(CLONE_VM|CLONE_VFORK) (what posix_spawn and system() use)
 * become a plain fork: the child then writes into its own copy of memory,
 * not the recorded process's, and the parent goes on at once instead of
 * waiting for the child's exec. Programs that only exec or _exit in the
 * child (the only thing vfork allows) see no difference. clone3 asking for
 * the same is refused with ENOSYS, so glibc falls back to clone. The trace
 * keeps the call as the program made it. Returns 1 when the call is now
 * skipped, 0 to go on, -1 on error.
 */
static int rewrite_vfork(struct recorder *r, struct user_regs_struct *regs, uint64_t *nr,
                         uint64_t *args)
{
	const uint64_t vm_vfork = CLONE_VM | CLONE_VFORK;
	if (*nr == SYS_vfork) {
		regs->orig_rax = SYS_fork;
		*nr = SYS_fork;
	} else if (*nr == SYS_clone && (args[0] & vm_vfork) == vm_vfork &&
	           !(args[0] & CLONE_THREAD)) {
		r->saved_rdi = regs->rdi;
		r->restore_rdi = 1;
		regs->rdi &= ~vm_vfork;
		args[0] = regs->rdi;
	} else if (*nr == SYS_clone3) {
		uint64_t flags = 0;
		if (pr_read(r->pid, args[0], &flags, sizeof flags) == 0 && (flags & CLONE_VM) &&
		    !(flags & CLONE_THREAD)) {
			regs->orig_rax = (uint64_t)-1; /* fails with ENOSYS */
			if (ptrace(PTRACE_SETREGS, r->pid, 0, regs) < 0)
				return fail(r, "cannot refuse clone3: %s", strerror(errno));
			return 1;
		}
		return 0;
	} else {
		return 0;
	}
	if (ptrace(PTRACE_SETREGS, r->pid, 0, regs) < 0)
		return fail(r, "cannot turn %s into fork: %s", sys_name((long)r->nr), strerror(errno));
	return 0;
}

static int syscall_entry(struct recorder *r)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot read registers: %s", strerror(errno));
	long nr;
	sys_live_call(r->pid, &regs, &nr, r->args); /* int $0x80 too */
	r->nr = (uint64_t)nr;
	r->in_syscall = 1;
	r->at_boundary = 0;
	if (r->nr == SYS_rseq) {
		/* Refuse rseq: glibc copes, and the kernel would otherwise write
		 * the CPU number into the process at every preemption. */
		regs.orig_rax = (uint64_t)-1;
		if (ptrace(PTRACE_SETREGS, r->pid, 0, &regs) < 0)
			return fail(r, "cannot skip rseq: %s", strerror(errno));
		return 0;
	}
	uint64_t run_nr = r->nr, run_args[6];
	memcpy(run_args, r->args, sizeof run_args);
	int rc = rewrite_vfork(r, &regs, &run_nr, run_args);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (sys_check((long)run_nr, run_args, &r->st, r->err, r->errlen) < 0 ||
	    sys_emul_entry(&r->emul, r->pid, (long)r->nr, r->args, r->err, r->errlen) < 0)
		return -1;
	if (sys_ends_process((long)r->nr))
		return record_syscall(r, 0); /* no exit stop will follow */
	return 0;
}

/*
 * The signals queued for the tracee, as a mask (bit signo - 1). At a
 * syscall exit stop they are the ones the kernel delivers before the
 * program runs again: a signal delivered at that boundary. The registers
 * alone cannot tell: a loop can come back to the very registers of the
 * exit (only memory changed) and be stopped there by a signal that arrived
 * while it ran. Both queues, the thread's (tgkill) and the process's (kill,
 * timers); a signal the kernel could not queue is missed, and then only
 * held back to the next boundary.
 */
static uint64_t queued_signals(pid_t pid)
{
	uint64_t mask = 0;
	for (int shared = 0; shared < 2; shared++) {
		struct __ptrace_peeksiginfo_args a = {0, shared ? PTRACE_PEEKSIGINFO_SHARED : 0, 8};
		siginfo_t si[8];
		long n;
		while ((n = ptrace(PTRACE_PEEKSIGINFO, pid, &a, si)) > 0) {
			for (long i = 0; i < n; i++)
				if (si[i].si_signo >= 1 && si[i].si_signo <= 64)
					mask |= 1ull << (si[i].si_signo - 1);
			a.off += (uint64_t)n;
			if (n < 8)
				break;
		}
	}
	return mask;
}

static int syscall_exit(struct recorder *r)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot read registers: %s", strerror(errno));
	r->in_syscall = 0;
	if (r->restore_rdi) {
		/* Give back the clone flags the program passed (rewrite_vfork). */
		r->restore_rdi = 0;
		regs.rdi = r->saved_rdi;
		if (ptrace(PTRACE_SETREGS, r->pid, 0, &regs) < 0)
			return fail(r, "cannot restore registers: %s", strerror(errno));
	}
	r->exit_regs = regs;
	r->at_boundary = 1;
	r->pending_at_exit = queued_signals(r->pid);
	if (r->rep_end)
		rep_done(r);
	if (r->exec_exit_pending) {
		r->exec_exit_pending = 0;
		return 0; /* the exec event stands for the whole call */
	}
	int64_t result = (int64_t)regs.rax;
	if (sys_emul_exit(&r->emul, r->pid, (long)r->nr, r->args, &result, r->err, r->errlen) < 0)
		return -1;
	return record_syscall(r, result);
}

/* ---- signals ------------------------------------------------------------ */

static int record_signal(struct recorder *r, const siginfo_t *si, int sync)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot read registers: %s", strerror(errno));
	uint8_t raw[128] = {0};
	memcpy(raw, si, sizeof *si < sizeof raw ? sizeof *si : sizeof raw);
	buf_u8(&r->ev, TRACE_SIGNAL);
	buf_u32(&r->ev, (uint32_t)si->si_signo);
	buf_u8(&r->ev, (uint8_t)sync);
	buf_put(&r->ev, raw, sizeof raw);
	buf_put(&r->ev, &regs, sizeof regs);
	uint64_t hash = 0;
	if (sync == TRACE_SIG_SIGNATURE && pr_state_hash(r->pid, regs.rsp, &hash, NULL) < 0)
		return fail(r, "cannot hash the state of process %d", (int)r->pid);
	buf_u64(&r->ev, hash);
	return emit_event(r);
}

/* An rdtsc or rdtscp that faulted because of PR_SET_TSC: run it here. */
static int try_rdtsc(struct recorder *r, const siginfo_t *si, int *handled)
{
	*handled = 0;
	if (si->si_signo != SIGSEGV || si->si_code != SI_KERNEL)
		return 0;
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot read registers: %s", strerror(errno));
	uint8_t insn[3] = {0};
	if (pr_read(r->pid, regs.rip, insn, 3) < 0)
		return 0;
	int len;
	if (r->emul.tsc == PR_TSC_SIGSEGV)
		return 0; /* the program asked for the fault itself */
	if (insn[0] == 0x0f && insn[1] == 0x31)
		len = 2;
	else if (insn[0] == 0x0f && insn[1] == 0x01 && insn[2] == 0xf9)
		len = 3;
	else
		return 0;
	uint32_t lo, hi, aux = 0;
	if (len == 2)
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	else
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	regs.rax = lo;
	regs.rdx = hi;
	if (len == 3)
		regs.rcx = aux;
	regs.rip += (uint64_t)len;
	if (ptrace(PTRACE_SETREGS, r->pid, 0, &regs) < 0)
		return fail(r, "cannot emulate rdtsc: %s", strerror(errno));
	buf_u8(&r->ev, TRACE_RDTSC);
	buf_u64(&r->ev, regs.rax);
	buf_u64(&r->ev, regs.rdx);
	buf_u64(&r->ev, regs.rcx);
	buf_u8(&r->ev, (uint8_t)len);
	*handled = 1;
	return emit_event(r);
}

static int is_fault(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP: case SIGSYS:
		return si->si_code > 0 && si->si_code != SI_KERNEL ? 1 : si->si_code == SI_KERNEL;
	default:
		return 0;
	}
}

/* Whether a stop for signal sig with registers regs is the delivery at the
 * last syscall exit, before the program ran on. */
static int at_exit(const struct recorder *r, int sig, const struct user_regs_struct *regs)
{
	return r->at_boundary && sig >= 1 && sig <= 64 && (r->pending_at_exit & (1ull << (sig - 1))) &&
	       memcmp(regs, &r->exit_regs, sizeof *regs) == 0;
}

/* Decides what to do with a signal-delivery stop; *deliver is the signal to
 * pass on resuming (0 to hold it back). */
static int on_signal(struct recorder *r, int sig, int *deliver)
{
	siginfo_t si;
	*deliver = 0;
	if (ptrace(PTRACE_GETSIGINFO, r->pid, 0, &si) < 0) {
		if (errno == EINVAL)
			return 0; /* a group-stop: just resume */
		return fail(r, "cannot read signal information: %s", strerror(errno));
	}
	int handled;
	if (try_rdtsc(r, &si, &handled) < 0)
		return -1;
	if (handled)
		return 0;
	if (r->rep_end && si.si_signo == SIGTRAP && si.si_code == TRAP_HWBKPT) {
		/* The rep instruction is done: raise the held-back signal again. */
		rep_done(r);
		if (r->ndeferred && syscall(SYS_tgkill, r->pid, r->pid, r->deferred[0].si_signo) == 0)
			r->forcing = 1;
		return 0;
	}
	if (is_fault(&si)) {
		/* A fault in the rep instruction: its end may never come, and
		 * the held-back signal is forced again from wherever the
		 * handler goes. */
		if (r->rep_end)
			rep_done(r);
		*deliver = sig;
		return record_signal(r, &si, TRACE_SIG_FAULT);
	}
	if ((r->reinjecting || r->forcing) && r->ndeferred && sig == r->deferred[0].si_signo) {
		/* Our re-raised signal: give it back its original siginfo. Raised
		 * at a syscall exit, it is delivered at that boundary; forced
		 * because the program ran on without a system call, it is
		 * delivered where the program is, and that point is recorded by
		 * its signature (registers and a hash of writable memory). */
		int kind = TRACE_SIG_BOUNDARY;
		if (r->forcing) {
			struct user_regs_struct regs;
			if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
				return fail(r, "cannot read registers: %s", strerror(errno));
			if (!at_exit(r, sig, &regs)) {
				kind = TRACE_SIG_SIGNATURE;
				int len = rep_string_len(r->pid, regs.rip);
				if (len)
					return finish_rep(r, regs.rip + (uint64_t)len);
			}
		}
		si = r->deferred[0];
		memmove(r->deferred, r->deferred + 1, (size_t)--r->ndeferred * sizeof si);
		r->reinjecting = r->forcing = 0;
		clock_gettime(CLOCK_MONOTONIC, &r->deferred_at);
		if (ptrace(PTRACE_SETSIGINFO, r->pid, 0, &si) < 0)
			return fail(r, "cannot set signal information: %s", strerror(errno));
		r->at_boundary = 0;
		*deliver = sig;
		return record_signal(r, &si, kind);
	}
	if (r->at_boundary) {
		struct user_regs_struct regs;
		if (ptrace(PTRACE_GETREGS, r->pid, 0, &regs) < 0)
			return fail(r, "cannot read registers: %s", strerror(errno));
		if (at_exit(r, sig, &regs)) {
			r->at_boundary = 0;
			*deliver = sig;
			return record_signal(r, &si, TRACE_SIG_BOUNDARY);
		}
	}
	/* In the middle of user code: hold it until the next syscall exit. A
	 * standard signal already held back is not queued twice, as the kernel
	 * would not queue it twice either. */
	for (int i = 0; i < r->ndeferred && sig < SIGRTMIN; i++)
		if (r->deferred[i].si_signo == sig)
			return 0;
	if (r->ndeferred == MAX_DEFERRED)
		return fail(r, "too many signals held back (the program makes no system calls)");
	if (r->ndeferred == 0)
		clock_gettime(CLOCK_MONOTONIC, &r->deferred_at);
	r->deferred[r->ndeferred++] = si;
	r->at_boundary = 0;
	return 0;
}

/* A forked child runs unrecorded: turn rdtsc trapping off in it (it
 * inherited PR_SET_TSC) by running prctl at its fork return, then detach. */
static int release_child(struct recorder *r, pid_t child)
{
	int st;
	if (pr_wait(child, &st) < 0 || !WIFSTOPPED(st))
		return 0;
	struct user_regs_struct saved, regs;
	if (ptrace(PTRACE_GETREGS, child, 0, &saved) == 0) {
		regs = saved;
		regs.rip -= 2; /* the syscall instruction that forked it */
		regs.rax = SYS_prctl;
		regs.rdi = PR_SET_TSC;
		regs.rsi = (uint64_t)r->emul.tsc; /* the mode the program set */
		if (ptrace(PTRACE_SETREGS, child, 0, &regs) == 0 &&
		    ptrace(PTRACE_SYSCALL, child, 0, 0) == 0 && pr_wait(child, &st) > 0 &&
		    ptrace(PTRACE_SYSCALL, child, 0, 0) == 0 && pr_wait(child, &st) > 0)
			ptrace(PTRACE_SETREGS, child, 0, &saved);
	}
	sys_emul_child(&r->emul, child);
	ptrace(PTRACE_DETACH, child, 0, 0);
	return 0;
}

/* ---- the trace folder and header ---------------------------------------- */

static int make_trace_dir(const struct rec_options *opt, const char *prog, char *out, size_t outlen,
                          char *err, size_t errlen)
{
	if (opt->out_dir) {
		if (mkdir(opt->out_dir, 0755) != 0) {
			if (errno != EEXIST) {
				snprintf(err, errlen, "cannot create %s: %s", opt->out_dir, strerror(errno));
				return -1;
			}
			char probe[PATH_MAX + 16];
			snprintf(probe, sizeof probe, "%s/events", opt->out_dir);
			if (access(probe, F_OK) == 0) {
				snprintf(err, errlen, "%s already holds a trace", opt->out_dir);
				return -1;
			}
		}
		snprintf(out, outlen, "%s", opt->out_dir);
		return 0;
	}
	char root[PATH_MAX];
	if (trace_root_dir(root, sizeof root, err, errlen) < 0)
		return -1;
	/* mkdir -p the root */
	for (char *p = root + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(root, 0755);
		*p = '/';
	}
	if (mkdir(root, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
		return -1;
	}
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	/* mkdir is the lock: two recordings at once get different numbers. */
	for (int n = 0; n < 100000; n++) {
		int k = snprintf(out, outlen, "%s/%s-%d", root, base, n);
		if (k < 0 || (size_t)k >= outlen) {
			snprintf(err, errlen, "trace path too long");
			return -1;
		}
		if (mkdir(out, 0755) == 0) {
			char link[PATH_MAX + 32], tmp[PATH_MAX + 64];
			snprintf(link, sizeof link, "%s/latest-trace", root);
			snprintf(tmp, sizeof tmp, "%s/.latest-trace.%d", root, (int)getpid());
			unlink(tmp);
			if (symlink(strrchr(out, '/') + 1, tmp) == 0)
				rename(tmp, link);
			return 0;
		}
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", out, strerror(errno));
			return -1;
		}
	}
	snprintf(err, errlen, "too many traces of %s in %s", base, root);
	return -1;
}

/* Finds prog like execvp would; checks it is something the kernel runs. */
static int resolve_program(const char *prog, char *out, size_t outlen, char *err, size_t errlen)
{
	if (strchr(prog, '/')) {
		snprintf(out, outlen, "%s", prog);
	} else {
		const char *path = getenv("PATH");
		if (!path || !*path)
			path = "/usr/local/bin:/usr/bin:/bin";
		int found = 0;
		while (*path && !found) {
			const char *end = strchr(path, ':');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			snprintf(out, outlen, "%.*s/%s", (int)n, path, prog);
			struct stat st;
			if (n && stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
				found = 1;
			path += n + (end ? 1 : 0);
		}
		if (!found) {
			snprintf(err, errlen, "cannot find program %s in PATH", prog);
			return -1;
		}
	}
	struct stat st;
	if (stat(out, &st) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", prog, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || access(out, X_OK) != 0) {
		snprintf(err, errlen, "cannot run %s: not an executable file", prog);
		return -1;
	}
	uint8_t magic[4] = {0};
	int fd = open(out, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, magic, sizeof magic) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 2 || !((n == 4 && memcmp(magic, "\177ELF", 4) == 0) || memcmp(magic, "#!", 2) == 0)) {
		snprintf(err, errlen, "cannot run %s: not an ELF executable or a #! script", prog);
		return -1;
	}
	return 0;
}

static int write_header(struct recorder *r, const struct rec_options *opt, const char *exe)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		cwd[0] = 0;
	buf_u8(&r->ev, TRACE_REC_HEADER);
	buf_put(&r->ev, TRACE_MAGIC, sizeof TRACE_MAGIC - 1);
	buf_u32(&r->ev, opt->force_version ? (uint32_t)opt->force_version : TRACE_VERSION);
	buf_u32(&r->ev, (uint32_t)r->pid);
	buf_u64(&r->ev, (uint64_t)time(NULL));
	buf_str(&r->ev, cwd);
	buf_str(&r->ev, exe);
	uint32_t n = 0;
	while (opt->argv[n])
		n++;
	buf_u32(&r->ev, n);
	for (uint32_t i = 0; i < n; i++)
		buf_str(&r->ev, opt->argv[i]);
	for (n = 0; environ[n];)
		n++;
	buf_u32(&r->ev, n);
	for (uint32_t i = 0; i < n; i++)
		buf_str(&r->ev, environ[i]);
	return emit(r);
}

/* ---- the loop ----------------------------------------------------------- */

/* How long a held-back signal waits for a system call before it is
 * delivered where the program is. */
#define FORCE_AFTER_MS 50

static void wake(int sig) { (void)sig; }

/* Raises the oldest held-back signal again once it has waited too long. */
static void maybe_force(struct recorder *r)
{
	if (!r->ndeferred || r->forcing || r->reinjecting || r->rep_end)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long waited = (now.tv_sec - r->deferred_at.tv_sec) * 1000 +
	              (now.tv_nsec - r->deferred_at.tv_nsec) / 1000000;
	if (waited >= FORCE_AFTER_MS &&
	    syscall(SYS_tgkill, r->pid, r->pid, r->deferred[0].si_signo) == 0)
		r->forcing = 1;
}

/* Waits for the tracee's next stop. While a signal is held back, a timer
 * interrupts the wait now and then; once the signal has waited too long,
 * it is raised again so that it stops the program wherever it is. */
static pid_t wait_or_force(struct recorder *r, int *st)
{
	/* The timer is only armed while a signal is held back: most waits
	 * (every system call stops twice) cost no setitimer at all. */
	int want = r->ndeferred && !r->forcing && !r->reinjecting && !r->rep_end;
	if (want) {
		maybe_force(r); /* other stops may keep the timer from firing */
		if (!r->ticking) {
			struct itimerval tick = {{0, FORCE_AFTER_MS * 1000 / 2}, {0, FORCE_AFTER_MS * 1000 / 2}};
			setitimer(ITIMER_REAL, &tick, NULL);
			r->ticking = 1;
		}
	} else if (r->ticking) {
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_REAL, &off, NULL);
		r->ticking = 0;
	}
	pid_t w;
	while ((w = waitpid(r->pid, st, __WALL)) < 0 && errno == EINTR)
		maybe_force(r);
	return w;
}

static int record_loop(struct recorder *r, int *wait_status)
{
	int deliver = 0;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, r->pid, 0, deliver) < 0)
			return fail(r, "cannot resume process %d: %s", (int)r->pid, strerror(errno));
		deliver = 0;
		int st;
		if (wait_or_force(r, &st) < 0)
			return fail(r, "lost process %d: %s", (int)r->pid, strerror(errno));
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			buf_u8(&r->ev, TRACE_EXIT);
			buf_u32(&r->ev, (uint32_t)st);
			*wait_status = st;
			return emit_event(r);
		}
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st), event = st >> 16;
		if (sig == (SIGTRAP | 0x80)) {
			int rc = r->in_syscall ? syscall_exit(r) : syscall_entry(r);
			if (rc < 0)
				return -1;
			if (!r->in_syscall && r->ndeferred && !r->reinjecting && !r->forcing) {
				/* A held-back signal: raise it again now, at the boundary. */
				if (syscall(SYS_tgkill, r->pid, r->pid, r->deferred[0].si_signo) == 0)
					r->reinjecting = 1;
			}
		} else if (event == PTRACE_EVENT_EXEC) {
			if (record_exec(r) < 0)
				return -1;
		} else if (event == PTRACE_EVENT_FORK) {
			unsigned long child;
			if (ptrace(PTRACE_GETEVENTMSG, r->pid, 0, &child) == 0)
				release_child(r, (pid_t)child);
		} else if (event) {
			/* other ptrace events: nothing to record */
		} else if (on_signal(r, sig, &deliver) < 0) {
			return -1;
		}
	}
}

int rec_record(const struct rec_options *opt, struct rec_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	if (!opt->argv || !opt->argv[0]) {
		snprintf(err, errlen, "no program to record");
		return -1;
	}
	char exe[PATH_MAX];
	if (resolve_program(opt->argv[0], exe, sizeof exe, err, errlen) < 0)
		return -1;
	if (make_trace_dir(opt, opt->argv[0], res->trace_dir, sizeof res->trace_dir, err, errlen) < 0)
		return -1;
	struct recorder r = {.err = err, .errlen = errlen};
	if (tw_create(res->trace_dir, &r.w, err, errlen) < 0)
		return -1;

	sys_emul_init(&r.emul); /* the affinity the program inherits */
	int cpu = pr_pin_self();
	fflush(NULL);
	r.pid = fork();
	if (r.pid < 0) {
		tw_close(r.w, 0);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (r.pid == 0)
		pr_child_exec(exe, opt->argv, environ, cpu);
	sys_live_tracee(&r.st, r.pid);

	/* The terminal's Ctrl-C and Ctrl-\ are for the program: it records
	 * them; the recorder must survive them. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	/* SIGALRM only interrupts waitpid (see wait_or_force). */
	struct sigaction alrm = {.sa_handler = wake}, old_alrm;
	sigaction(SIGALRM, &alrm, &old_alrm);

	int rc = -1, st;
	if (pr_wait(r.pid, &st) < 0 || !WIFSTOPPED(st)) {
		snprintf(err, errlen, "cannot start %s under ptrace", exe);
		goto out;
	}
	if (ptrace(PTRACE_SETOPTIONS, r.pid, 0,
	           PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK) < 0) {
		snprintf(err, errlen, "ptrace: %s", strerror(errno));
		goto out;
	}
	if (write_header(&r, opt, exe) < 0)
		goto out;
	/* Run to the exec: everything before it is our own start-up code. */
	if (ptrace(PTRACE_CONT, r.pid, 0, 0) < 0 || pr_wait(r.pid, &st) < 0) {
		snprintf(err, errlen, "cannot start %s: %s", exe, strerror(errno));
		goto out;
	}
	if (!WIFSTOPPED(st) || (st >> 16) != PTRACE_EVENT_EXEC) {
		snprintf(err, errlen, "cannot run %s: exec failed", exe);
		goto out;
	}
	if (record_exec(&r) < 0 || record_loop(&r, &res->wait_status) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && r.pid > 0) {
		pr_kill(r.pid);
	}
	if (r.ticking) {
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_REAL, &off, NULL);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
	res->nevents = r.nevents;
	buf_free(&r.ev);
	if (tw_close(r.w, rc == 0) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot finish writing the trace: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}
