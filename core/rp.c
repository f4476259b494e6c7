/*
 * rp.c — the replayer: re-executes a recorded program, feeding it the
 * recorded inputs, and checks at every system call that it does what it did
 * when recorded.
 *
 * The process runs under PTRACE_SYSEMU, so a system call stops at its entry
 * and is skipped: for most calls the replayer writes the recorded memory and
 * result and moves on (one stop per call). Calls that shape the address
 * space or the process's kernel state (mmap, brk, mprotect, rt_sigaction,
 * rt_sigreturn, exit_group, ...) are executed for real by backing the
 * instruction pointer onto the `syscall` instruction and resuming with
 * PTRACE_SYSCALL; their results must equal the recorded ones. A file
 * mapping is replayed as an anonymous mapping at the recorded address filled
 * from the trace's copy of the file (or the original, when unchanged): the
 * program's file descriptors do not exist in a replay.
 *
 * Every event is checked against the recording: the system call's number and
 * arguments, the bytes written to stdout and stderr, the kind of signal, the
 * exec. A mismatch is a divergence and stops the replay with "replay
 * diverged at event N: expected ..., got ...".
 *
 * Asynchronous signals are raised at the boundary where they were recorded;
 * one the recorder had to deliver in the middle of a computation is
 * delivered at the first state that matches its recorded signature
 * (registers and a hash of memory; see "signature points").
 */
#include "core/core.h"
#include "core/proc.h"
#include "core/sys.h"
#include "core/tl_int.h"
#include "core/tracee.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

struct rp_session {
	struct trace *t;
	struct tracee tc;       /* the live replayed process (its pid is pid) */
	pid_t pid;
	uint64_t cur;           /* the last event applied */
	int ended;              /* RP_ENDED or RP_INCOMPLETE once over */
	int exit_status;
	int exec_exit_pending;  /* the next syscall stop is execve's exit */
	int injected;           /* an async signal was raised for the next event */
	int deliver;            /* signal to pass on the next resume */
	rp_output_fn out;
	void *outctx;
	char *err;
	size_t errlen;
	/* Address of the instruction that caused each event (the `syscall`,
	 * the rdtsc, the faulting instruction), learnt while replaying: the
	 * timeline steps back across an event to it. 0 = not seen yet. */
	uint64_t *cause;
	/* A perf counter the timeline wants frozen at the next event's stop,
	 * before the replayer re-executes anything (executed calls run their
	 * `syscall` instruction a second time). */
	int counter_fd;
	uint64_t counter_at_event;
	/* Looking for the point of a signal delivered mid-computation (see
	 * "signature points" below), within one rp_resume. */
	int sig_slot;           /* debug register set on the point's rip, or -1 */
	int sig_int3;           /* SIG_INT3_OWN: our int3 in sig_bp; SIG_INT3_SHARED:
	                           the caller's int3 at that rip stops there (and
	                           the stop is the caller's) */
	struct bp_set sig_bp;
	int sig_uncounted;      /* found without a debug trap at the point */
	uint64_t sig_passes;    /* stops at the rip, this rp_resume */
	uint64_t sig_hashed;    /* bytes hashed, this rp_resume */
};

enum { SIG_INT3_NONE, SIG_INT3_OWN, SIG_INT3_SHARED };

/* Options of every replayed tracee, the first one and those restored from
 * checkpoints: syscall stops marked, exec and exit reported, clones
 * auto-attached (checkpoints are clones) and all killed with us. */
#define RP_PTRACE_OPTIONS (TC_PTRACE_OPTIONS | PTRACE_O_TRACEEXIT)

static int fail(struct rp_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int rp_open(const char *trace_dir, struct rp_session **out, char *err, size_t errlen)
{
	struct rp_session *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (trace_open(trace_dir, &s->t, err, errlen) < 0) {
		free(s);
		return -1;
	}
	s->pid = -1;
	s->tc.pid = -1;
	s->tc.memfd = -1;
	s->counter_fd = -1;
	s->sig_slot = -1;
	s->cause = calloc(trace_nevents(s->t) + 2, sizeof *s->cause);
	if (!s->cause) {
		trace_close(s->t);
		free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = s;
	return 0;
}

void rp_close(struct rp_session *s)
{
	if (!s)
		return;
	if (s->pid > 0)
		tc_kill(&s->tc);
	tc_close(&s->tc);
	if (s->counter_fd >= 0)
		close(s->counter_fd);
	trace_close(s->t);
	free(s->cause);
	free(s);
}

struct trace *rp_trace(struct rp_session *s) { return s->t; }
uint64_t rp_event(const struct rp_session *s) { return s->cur; }
int rp_exit_status(const struct rp_session *s) { return s->exit_status; }
pid_t rp_pid(const struct rp_session *s) { return s->pid; }

void rp_set_output(struct rp_session *s, rp_output_fn fn, void *ctx)
{
	s->out = fn;
	s->outctx = ctx;
}

/* ---- describing events for divergence messages -------------------------- */

static void describe_call(char *out, size_t outlen, int64_t nr, const uint64_t *args)
{
	const struct sys_info *si = sys_lookup((long)nr);
	if (si && si->replay == SYS_NOSYS)
		si = NULL; /* a number the kernel does not implement: show it */
	int n = snprintf(out, outlen, "%s(", si ? si->name : "syscall");
	int nargs = si ? si->nargs : 6;
	if (!si && n >= 0 && (size_t)n < outlen)
		n += snprintf(out + n, outlen - (size_t)n, "%lld, ", (long long)nr);
	for (int i = 0; i < nargs && n >= 0 && (size_t)n < outlen; i++)
		n += snprintf(out + n, outlen - (size_t)n, "%s0x%llx", i ? ", " : "",
		              (unsigned long long)args[i]);
	if (n >= 0 && (size_t)n < outlen)
		snprintf(out + n, outlen - (size_t)n, ")");
}

static void describe_event(char *out, size_t outlen, const struct trace_event *e)
{
	if (!e) {
		snprintf(out, outlen, "the end of the recording");
		return;
	}
	switch (e->kind) {
	case TRACE_SYSCALL:
		describe_call(out, outlen, e->nr, e->args);
		break;
	case TRACE_EXEC:
		snprintf(out, outlen, "exec of %s", e->exec_path);
		break;
	case TRACE_RDTSC:
		snprintf(out, outlen, "%s", e->tsc_insn_len == 3 ? "rdtscp" : "rdtsc");
		break;
	case TRACE_SIGNAL:
		if (e->sig_sync == TRACE_SIG_SIGNATURE)
			snprintf(out, outlen, "signal %s at 0x%llx", strsignal(e->signo),
			         (unsigned long long)e->regs.rip);
		else
			snprintf(out, outlen, "signal %s", strsignal(e->signo));
		break;
	case TRACE_EXIT:
		snprintf(out, outlen, "program exit");
		break;
	}
}

static int diverged(struct rp_session *s, const struct trace_event *e, const char *got)
{
	char want[256];
	describe_event(want, sizeof want, e);
	return fail(s, "replay diverged at event %llu: expected %s, got %s",
	            (unsigned long long)(s->cur + 1), want, got);
}

static const struct trace_event *next_event(struct rp_session *s)
{
	return trace_event(s->t, s->cur + 1);
}

/* ---- applying events ---------------------------------------------------- */

static int apply_exec(struct rp_session *s)
{
	const struct trace_event *e = next_event(s);
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, s->pid, 0, &regs) < 0)
		return fail(s, "cannot read registers: %s", strerror(errno));
	if (!e || e->kind != TRACE_EXEC)
		return diverged(s, e, "an exec");
	if (regs.rip != e->regs.rip) {
		char got[128];
		snprintf(got, sizeof got, "an exec entering at 0x%llx instead of 0x%llx",
		         (unsigned long long)regs.rip, (unsigned long long)e->regs.rip);
		return diverged(s, e, got);
	}
	/* The recorded initial stack holds argv, envp, auxv and the AT_RANDOM
	 * bytes exactly as the recorded process saw them. */
	if (pr_write(s->pid, e->stack_addr, e->stack, e->stack_len) < 0)
		return fail(s, "cannot restore the initial stack: %s", strerror(errno));
	if (ptrace(PTRACE_SETREGS, s->pid, 0, &e->regs) < 0)
		return fail(s, "cannot restore registers: %s", strerror(errno));
	if (pr_patch_vdso(s->pid, s->err, s->errlen) < 0)
		return -1;
	/* /proc/PID/mem is bound to the address space it was opened on: the
	 * one opened before the exec would write (breakpoints) into nothing. */
	if (s->tc.memfd >= 0)
		close(s->tc.memfd);
	char mem[64];
	snprintf(mem, sizeof mem, "/proc/%d/mem", (int)s->pid);
	s->tc.memfd = open(mem, O_RDWR | O_CLOEXEC);
	if (s->tc.memfd < 0)
		return fail(s, "cannot open %s: %s", mem, strerror(errno));
	s->tc.syscall_insn = 0; /* the old one was in the old program */
	/* Take execve's exit stop now rather than at the next resume, so that
	 * the state after an exec is an ordinary event boundary: continuing,
	 * stepping and checkpointing from it all start alike. */
	int st;
	if (ptrace(PTRACE_SYSCALL, s->pid, 0, 0) < 0 || pr_wait(s->pid, &st) < 0)
		return fail(s, "cannot finish the exec: %s", strerror(errno));
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
		return fail(s, "unexpected stop (status 0x%x) after an exec", st);
	s->exec_exit_pending = 0;
	s->cur++;
	s->tc.stop = TC_STOP_TRAP;
	s->tc.sig = 0;
	return 0;
}

/* Fills an anonymous mapping with the content of the file it mapped. */
static int fill_mapping(struct rp_session *s, const struct trace_event *e)
{
	int fd = trace_open_file(s->t, e->file, s->err, s->errlen);
	if (fd < 0)
		return -1;
	const struct trace_file *f = trace_file(s->t, e->file);
	uint64_t off = e->args[5], len = e->args[1];
	if (off >= f->size) {
		close(fd);
		return 0;
	}
	if (len > f->size - off)
		len = f->size - off;
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		close(fd);
		return fail(s, "out of memory");
	}
	uint64_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, data + got, len - got, (off_t)(off + got));
		if (n <= 0)
			break;
		got += (uint64_t)n;
	}
	close(fd);
	int rc = got == len ? pr_write(s->pid, (uint64_t)e->result, data, len) : -1;
	free(data);
	return rc < 0 ? fail(s, "cannot map %s into the replay", f->path) : 0;
}

/* Runs the call at this SYSEMU entry stop for real, possibly with changed
 * arguments. Returns 1 when the process ended (exit_group), 0 otherwise;
 * *result is what the kernel returned. */
static int run_real(struct rp_session *s, const struct user_regs_struct *entry,
                    struct user_regs_struct *mod, int64_t *result)
{
	int st;
	mod->rip = entry->rip - 2;
	mod->rax = entry->orig_rax;
	if (ptrace(PTRACE_SETREGS, s->pid, 0, mod) < 0)
		return fail(s, "cannot set registers: %s", strerror(errno));
	/* Resuming a SYSEMU entry stop with PTRACE_SYSCALL first reports the
	 * exit of the skipped call; then come the real entry and exit. */
	int entered = 0;
	for (int stops = 0; stops < 4; stops++) {
		if (ptrace(PTRACE_SYSCALL, s->pid, 0, 0) < 0)
			return fail(s, "cannot resume: %s", strerror(errno));
		if (pr_wait(s->pid, &st) < 0)
			return fail(s, "lost the replayed process: %s", strerror(errno));
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return fail(s, "the replayed process ended unexpectedly");
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_EXIT)
			return 1;
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_EXEC)
			return 2;
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
			return fail(s, "unexpected stop (status 0x%x) running %s", st,
			            sys_name((long)entry->orig_rax));
		int op = pr_syscall_op(s->pid);
		if (op == PR_SYSCALL_ENTRY)
			entered = 1;
		else if (op == PR_SYSCALL_EXIT && entered)
			break;
	}
	if (!entered)
		return fail(s, "could not run %s for real", sys_name((long)entry->orig_rax));
	struct user_regs_struct after;
	if (ptrace(PTRACE_GETREGS, s->pid, 0, &after) < 0)
		return fail(s, "cannot read registers: %s", strerror(errno));
	*result = (int64_t)after.rax;
	if (entry->orig_rax == SYS_rt_sigreturn)
		return 0; /* it restored the registers itself */
	/* Back to the registers the program had, with the real result. */
	struct user_regs_struct back = *entry;
	back.rax = after.rax;
	back.rip = after.rip;
	/* arch_prctl changes these: they are part of what the call did. */
	back.fs_base = after.fs_base;
	back.gs_base = after.gs_base;
	back.fs = after.fs;
	back.gs = after.gs;
	if (ptrace(PTRACE_SETREGS, s->pid, 0, &back) < 0)
		return fail(s, "cannot set registers: %s", strerror(errno));
	return 0;
}

static int execute_call(struct rp_session *s, const struct trace_event *e,
                        const struct user_regs_struct *regs)
{
	struct user_regs_struct mod = *regs;
	int64_t nr = e->nr, result = 0;
	if (nr == SYS_mmap && e->result >= 0) {
		/* Put the mapping exactly where it was, as private anonymous
		 * memory; a file's content is written in afterwards. */
		mod.rdi = (uint64_t)e->result;
		mod.r10 |= MAP_FIXED;
		if (e->file >= 0 || !(mod.r10 & MAP_ANONYMOUS)) {
			mod.r10 = (mod.r10 & ~(uint64_t)(MAP_SHARED | MAP_SHARED_VALIDATE)) | MAP_PRIVATE |
			          MAP_ANONYMOUS | MAP_FIXED;
			mod.r8 = (uint64_t)-1;
			mod.r9 = 0;
		}
		mod.r10 &= ~(uint64_t)MAP_FIXED_NOREPLACE;
	} else if (nr == SYS_mmap && e->result < 0) {
		/* A failed mmap: nothing to do for real. */
		if (ptrace(PTRACE_POKEUSER, s->pid, offsetof(struct user_regs_struct, rax), e->result) < 0)
			return fail(s, "cannot set the result: %s", strerror(errno));
		return 0;
	}
	int rc = run_real(s, regs, &mod, &result);
	if (rc < 0)
		return -1;
	if (rc == 1) /* exit_group: the process is leaving */
		return 1;
	if (nr == SYS_set_tid_address) {
		/* Its effect is real, its result is the recorded thread id. */
		if (ptrace(PTRACE_POKEUSER, s->pid, offsetof(struct user_regs_struct, rax), e->result) < 0)
			return fail(s, "cannot set the result: %s", strerror(errno));
		result = e->result;
	}
	if (result != e->result && nr != SYS_rt_sigreturn) {
		char got[256], call[200];
		describe_call(call, sizeof call, nr, e->args);
		snprintf(got, sizeof got, "%s returning %lld instead of %lld", call, (long long)result,
		         (long long)e->result);
		return fail(s, "replay diverged at event %llu: %s", (unsigned long long)e->no, got);
	}
	if (e->file >= 0 && fill_mapping(s, e) < 0)
		return -1;
	return 0;
}

static int emulate_call(struct rp_session *s, const struct trace_event *e)
{
	for (uint32_t i = 0; i < e->nregions; i++)
		if (pr_write(s->pid, e->regions[i].addr, e->regions[i].data, e->regions[i].len) < 0)
			return fail(s, "cannot write %llu bytes at 0x%llx for event %llu",
			            (unsigned long long)e->regions[i].len, (unsigned long long)e->regions[i].addr,
			            (unsigned long long)e->no);
	if (ptrace(PTRACE_POKEUSER, s->pid, offsetof(struct user_regs_struct, rax), e->result) < 0)
		return fail(s, "cannot set the result: %s", strerror(errno));
	return 0;
}

/* An exec the program itself asked for: run it on the file recorded for
 * it, written below the stack (the exec replaces the stack anyway). */
static int execute_exec(struct rp_session *s, const struct trace_event *e,
                        const struct user_regs_struct *regs)
{
	char path[4096];
	if (trace_file_path(s->t, e->file, path, sizeof path, s->err, s->errlen) < 0)
		return -1;
	size_t len = strlen(path) + 1;
	uint64_t at = (regs->rsp - 256 - len) & ~(uint64_t)15;
	if (pr_write(s->pid, at, path, len) < 0)
		return fail(s, "cannot prepare the exec of %s", path);
	struct user_regs_struct mod = *regs;
	if (regs->orig_rax == SYS_execveat) {
		mod.rsi = mod.rdx;
		mod.rdx = mod.r10;
	}
	mod.orig_rax = SYS_execve;
	mod.rdi = at;
	struct user_regs_struct entry = *regs;
	entry.orig_rax = SYS_execve;
	int64_t result;
	int rc = run_real(s, &entry, &mod, &result);
	if (rc == 2)
		return apply_exec(s);
	if (rc < 0)
		return -1;
	return fail(s, "replay diverged at event %llu: the exec of %s failed (%lld)",
	            (unsigned long long)e->no, path, (long long)result);
}

/* Remembers where the next event came from, and freezes the timeline's
 * counter before anything runs again. */
static void note_cause(struct rp_session *s, uint64_t pc)
{
	if (s->cur + 1 <= trace_nevents(s->t) + 1)
		s->cause[s->cur + 1] = pc;
	if (s->counter_fd >= 0) {
		ioctl(s->counter_fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(s->counter_fd, &s->counter_at_event, sizeof s->counter_at_event) !=
		    (ssize_t)sizeof s->counter_at_event)
			s->counter_at_event = 0;
		/* A signature point found where the process already stood (the
		 * previous boundary): the counter on its rip has not seen that
		 * arrival, which the timeline counts as a hit. */
		else if (s->sig_uncounted)
			s->counter_at_event++;
		close(s->counter_fd);
		s->counter_fd = -1;
	}
}

/* What the program writes to stdout and stderr must be what it wrote when
 * recorded. The replay shows the recorded bytes (replay -a, the TUI), so
 * without this check a replay that went wrong between two system calls
 * (a signal delivered one turn of a loop too early) would still look right
 * wherever the arguments of the calls stay the same. */
static int check_output(struct rp_session *s, const struct trace_event *e)
{
	if (e->out_fd < 0 || !e->out_len)
		return 0;
	uint8_t *got = malloc(e->out_len);
	if (!got)
		return fail(s, "out of memory");
	int ok = 1;
	if (sys_output_call((long)e->nr) == SYS_OUT_BUF) {
		ok = pr_read(s->pid, e->args[1], got, e->out_len) == 0;
	} else {
		uint64_t done = 0;
		for (uint64_t i = 0; ok && i < e->args[2] && done < e->out_len; i++) {
			struct iovec iov;
			ok = pr_read(s->pid, e->args[1] + i * sizeof iov, &iov, sizeof iov) == 0;
			uint64_t k = iov.iov_len < e->out_len - done ? iov.iov_len : e->out_len - done;
			ok = ok && pr_read(s->pid, (uint64_t)(uintptr_t)iov.iov_base, got + done, k) == 0;
			done += k;
		}
		ok = ok && done == e->out_len;
	}
	uint64_t at = 0;
	while (ok && at < e->out_len && got[at] == e->out_data[at])
		at++;
	free(got);
	if (!ok)
		return fail(s, "cannot read the data event %llu writes", (unsigned long long)e->no);
	if (at == e->out_len)
		return 0;
	return fail(s, "replay diverged at event %llu: the program writes other data to %s than "
	            "recorded (from byte %llu of %llu on)",
	            (unsigned long long)e->no, e->out_fd == 1 ? "stdout" : "stderr",
	            (unsigned long long)at, (unsigned long long)e->out_len);
}

static int on_syscall(struct rp_session *s)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, s->pid, 0, &regs) < 0)
		return fail(s, "cannot read registers: %s", strerror(errno));
	if (s->exec_exit_pending && pr_syscall_op(s->pid) == PR_SYSCALL_EXIT) {
		s->exec_exit_pending = 0;
		return 0;
	}
	s->exec_exit_pending = 0;
	long live_nr;
	uint64_t args[6];
	sys_live_call(s->pid, &regs, &live_nr, args); /* int $0x80 too */
	int64_t nr = live_nr;
	const struct trace_event *e = next_event(s);
	if (!e && !trace_complete(s->t))
		return RP_INCOMPLETE;
	note_cause(s, regs.rip - 2);
	const struct sys_info *si = sys_lookup((long)nr);
	int nargs = si ? si->nargs : 6;
	int same = e && ((e->kind == TRACE_SYSCALL && e->nr == nr) ||
	                 (e->kind == TRACE_EXEC && (nr == SYS_execve || nr == SYS_execveat)));
	for (int i = 0; same && e->kind == TRACE_SYSCALL && i < nargs; i++)
		same = e->args[i] == args[i];
	if (!same) {
		char got[256];
		describe_call(got, sizeof got, nr, args);
		return diverged(s, e, got);
	}
	if (e->kind == TRACE_EXEC)
		return execute_exec(s, e, &regs);
	if (check_output(s, e) < 0)
		return -1;
	enum sys_replay how = si ? si->replay : SYS_EMULATE;
	if (nr == SYS_rseq || how == SYS_EXECVE)
		how = SYS_EMULATE; /* rseq was refused; a failed exec is just a result */
	int rc = 0;
	if (how == SYS_EXECUTE) {
		rc = execute_call(s, e, &regs);
		if (rc < 0)
			return -1;
	} else if (emulate_call(s, e) < 0) {
		return -1;
	}
	s->cur++;
	if (e->out_fd >= 0 && s->out)
		s->out(s->outctx, e->out_fd, e->no, e->out_data, e->out_len);
	return rc;
}

static int on_signal(struct rp_session *s, int sig)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, s->pid, 0, &si) < 0)
		return errno == EINVAL ? 0 : fail(s, "cannot read signal information: %s", strerror(errno));
	const struct trace_event *e = next_event(s);
	if (si.si_signo == SIGSEGV && si.si_code == SI_KERNEL && e && e->kind == TRACE_RDTSC) {
		struct user_regs_struct regs;
		if (ptrace(PTRACE_GETREGS, s->pid, 0, &regs) < 0)
			return fail(s, "cannot read registers: %s", strerror(errno));
		note_cause(s, regs.rip);
		regs.rax = e->tsc_rax;
		regs.rdx = e->tsc_rdx;
		regs.rcx = e->tsc_rcx;
		regs.rip += (uint64_t)e->tsc_insn_len;
		if (ptrace(PTRACE_SETREGS, s->pid, 0, &regs) < 0)
			return fail(s, "cannot emulate rdtsc: %s", strerror(errno));
		s->cur++;
		return 0;
	}
	if (s->injected && e && e->kind == TRACE_SIGNAL && sig == e->signo) {
		s->injected = 0;
		/* A signature point is where the timeline steps back to across
		 * the event; a boundary signal has no instruction of its own. */
		note_cause(s, e->sig_sync == TRACE_SIG_SIGNATURE ? e->regs.rip : 0);
		s->sig_uncounted = 0;
		siginfo_t rec;
		memcpy(&rec, e->siginfo, sizeof rec);
		if (ptrace(PTRACE_SETSIGINFO, s->pid, 0, &rec) < 0)
			return fail(s, "cannot set signal information: %s", strerror(errno));
		s->deliver = sig;
		s->cur++;
		return 0;
	}
	if (e && e->kind == TRACE_SIGNAL && e->sig_sync == TRACE_SIG_FAULT && sig == e->signo) {
		struct user_regs_struct regs;
		if (ptrace(PTRACE_GETREGS, s->pid, 0, &regs) == 0)
			note_cause(s, regs.rip);
		s->deliver = sig;
		s->cur++;
		return 0;
	}
	if (si.si_code > 0 || si.si_code == SI_KERNEL) {
		char got[128];
		snprintf(got, sizeof got, "signal %s at a fault", strsignal(sig));
		return diverged(s, e, got);
	}
	/* A signal from outside (the terminal, another process): the replay
	 * does not take it. */
	return 0;
}

/* Raises the next event's asynchronous signal so it is delivered at
 * exactly this boundary, as it was when recorded. */
static void inject_pending_signal(struct rp_session *s)
{
	const struct trace_event *e = next_event(s);
	if (e && e->kind == TRACE_SIGNAL && !e->sig_sync && !s->injected) {
		if (syscall(SYS_tgkill, s->pid, s->pid, e->signo) == 0)
			s->injected = 1;
	}
}

/* ---- signature points ---------------------------------------------------
 *
 * A signal that waited too long for a system call (a program spinning on a
 * flag its handler sets) is delivered by the recorder wherever the program
 * is, and that point is recorded by its signature: the registers, and a hash
 * of the writable memory and the FP/vector registers (pr_state_hash). With
 * no performance counter to count the instructions up to it, the replay
 * looks for the first state after the previous event with that signature:
 * a debug register on the recorded rip stops the process at each pass (the
 * caller's own breakpoint there, or an int3 when the caller's watchpoints
 * and counters take all four registers), the registers are compared at each
 * stop and the memory is hashed only when they are equal. A debug register
 * leaves memory alone; int3 bytes are taken out while hashing. The state
 * where a call of rp_resume starts is compared too: the point may be where
 * the previous event left the process, or where a step or a breakpoint of
 * the caller stopped it.
 *
 * Two states with the same signature have the same future, so the first
 * one is as good as the recorded one, even when the recording passed it
 * many times before (a loop whose state repeats). A loop whose state
 * changes at every turn (a counter) costs a stop per turn up to the
 * recorded one: hundreds of millions for a tight loop that waited 50 ms.
 * At the match the signal is raised and delivered exactly as an
 * asynchronous signal is at a boundary.
 */

/* One search gives up after this many stops at the rip, or this much
 * memory hashed, with a divergence error rather than running for hours:
 * a stop costs a few microseconds, tens in a virtual machine, and a hash
 * reads all the writable memory. */
#define SIG_MAX_PASSES (1ull << 22)
#define SIG_MAX_HASHED (1ull << 35)

#define RF_FLAG 0x10000ull
#define TF_FLAG 0x100ull
#define DR_OFF(i) (offsetof(struct user, u_debugreg) + (size_t)(i) * sizeof(long))

static int is_sig_point(const struct trace_event *e)
{
	return e && e->kind == TRACE_SIGNAL && e->sig_sync == TRACE_SIG_SIGNATURE;
}

/* The registers as the program sees them. Not its state: RF (the kernel
 * sets it at a debug-register stop to resume past the instruction), TF
 * (single steps), and orig_rax (how the kernel was last entered: -1 at the
 * recorder's stop, but the call number at a replayed call's boundary). */
static int sig_regs_equal(const struct user_regs_struct *a, const struct user_regs_struct *b)
{
	struct user_regs_struct x = *a, y = *b;
	x.eflags &= ~(RF_FLAG | TF_FLAG);
	y.eflags &= ~(RF_FLAG | TF_FLAG);
	x.orig_rax = y.orig_rax = 0;
	return memcmp(&x, &y, sizeof x) == 0;
}

/* Whether the process stands at the signature point of event e. */
static int sig_check(struct rp_session *s, const struct trace_event *e, struct bp_set *bps,
                     int *match)
{
	struct user_regs_struct r;
	*match = 0;
	if (ptrace(PTRACE_GETREGS, s->pid, 0, &r) < 0)
		return fail(s, "cannot read registers: %s", strerror(errno));
	if (!sig_regs_equal(&r, &e->regs))
		return 0;
	/* Code in a writable mapping (generated code) would be hashed with
	 * the int3 bytes in it. */
	int own = s->sig_int3 == SIG_INT3_OWN && s->sig_bp.armed;
	int theirs = bps && bps->armed;
	if (own)
		bp_disarm(&s->sig_bp, NULL, 0);
	if (theirs)
		bp_disarm(bps, NULL, 0);
	uint64_t h = 0, n = 0;
	int rc = pr_state_hash(s->pid, r.rsp, &h, &n);
	if (theirs && bp_arm(bps, s->err, s->errlen) < 0)
		return -1;
	if (own && bp_arm(&s->sig_bp, s->err, s->errlen) < 0)
		return -1;
	if (rc < 0)
		return fail(s, "cannot hash the state of process %d", (int)s->pid);
	s->sig_hashed += n;
	*match = h == e->sig_mem_hash;
	return 0;
}

/* Whether the caller's int3 at addr is in memory. */
static int caller_bp_at(const struct bp_set *bps, uint64_t addr)
{
	if (!bps || !bps->armed)
		return 0;
	for (size_t i = 0; i < bps->n; i++)
		if (bps->v[i].addr == addr && bps->v[i].live)
			return 1;
	return 0;
}

/* Stops the process at every pass on rip. A breakpoint of the caller there
 * does it already, and its stop comes first: the point is a position of the
 * span before the signal, as a boundary is before a signal delivered at it,
 * so the signal is raised when the caller resumes from that stop (the next
 * call finds the process at the point). Otherwise a free debug register
 * (one the caller's watchpoints, hw_used, and the kernel's perf counters
 * leave), else an int3 of ours. */
static int sig_arm(struct rp_session *s, uint64_t rip, struct bp_set *bps, int hw_used)
{
	if (caller_bp_at(bps, rip)) {
		s->sig_int3 = SIG_INT3_SHARED;
		return 0;
	}
	errno = 0;
	unsigned long dr7 = (unsigned long)ptrace(PTRACE_PEEKUSER, s->pid, (void *)DR_OFF(7), 0);
	if (errno)
		return fail(s, "cannot read the debug registers: %s", strerror(errno));
	for (int i = 3; i >= 0; i--) {
		if (((dr7 >> (2 * i)) & 3) || (hw_used & (1 << i)))
			continue;
		/* Execute breakpoint: type and length bits 0, local enable. */
		unsigned long on = (dr7 & ~(0xful << (16 + 4 * i))) | (1ul << (2 * i));
		if (ptrace(PTRACE_POKEUSER, s->pid, (void *)DR_OFF(i), (void *)rip) < 0 ||
		    ptrace(PTRACE_POKEUSER, s->pid, (void *)DR_OFF(7), (void *)on) < 0)
			continue; /* ENOSPC: perf counters hold the hardware slots */
		s->sig_slot = i;
		return 0;
	}
	bp_init(&s->sig_bp, &s->tc);
	if (bp_insert(&s->sig_bp, rip, s->err, s->errlen) < 0) {
		bp_fini(&s->sig_bp);
		return -1;
	}
	s->sig_int3 = SIG_INT3_OWN;
	return 0;
}

/* Takes the stop at the point away again: nothing of the search may stay
 * in the process once rp_resume returns (checkpoints, the caller's own
 * debug registers). */
static void sig_disarm(struct rp_session *s)
{
	if (s->sig_slot >= 0 && s->pid > 0) {
		errno = 0;
		unsigned long dr7 = (unsigned long)ptrace(PTRACE_PEEKUSER, s->pid, (void *)DR_OFF(7), 0);
		if (!errno)
			ptrace(PTRACE_POKEUSER, s->pid, (void *)DR_OFF(7),
			       (void *)(dr7 & ~(3ul << (2 * s->sig_slot))));
	}
	s->sig_slot = -1;
	if (s->sig_int3 == SIG_INT3_OWN) {
		if (s->pid > 0)
			bp_disarm(&s->sig_bp, NULL, 0);
		bp_fini(&s->sig_bp);
	}
	s->sig_int3 = SIG_INT3_NONE;
}

/* At the point: raise the signal for the next resume to stop on, as
 * inject_pending_signal does at a boundary. counted: the process got here
 * by fetching the point's instruction (a stop at the point's rip), which a
 * perf counter on that rip has counted too; not when the process was
 * already standing there. */
static int sig_raise(struct rp_session *s, const struct trace_event *e, int counted)
{
	sig_disarm(s);
	if (syscall(SYS_tgkill, s->pid, s->pid, e->signo) < 0)
		return fail(s, "cannot raise %s: %s", strsignal(e->signo), strerror(errno));
	s->injected = 1;
	s->sig_uncounted = !counted;
	return 0;
}

static int sig_not_found(struct rp_session *s, const struct trace_event *e)
{
	char got[200];
	snprintf(got, sizeof got,
	         "no state with the recorded registers and memory in %llu passes there "
	         "(%llu MB hashed)",
	         (unsigned long long)s->sig_passes, (unsigned long long)(s->sig_hashed >> 20));
	return diverged(s, e, got);
}

/* Reads and clears DR6 (the kernel keeps it sticky for ptrace); *fired gets
 * the slots that fired. */
static int read_dr6(struct rp_session *s, int *fired)
{
	errno = 0;
	long dr6 = ptrace(PTRACE_PEEKUSER, s->pid, (void *)DR_OFF(6), 0);
	if (errno)
		return fail(s, "cannot read DR6: %s", strerror(errno));
	*fired = (int)(dr6 & 0xf);
	if (dr6 && ptrace(PTRACE_POKEUSER, s->pid, (void *)DR_OFF(6), 0) < 0)
		return fail(s, "cannot clear DR6: %s", strerror(errno));
	return 0;
}

static int on_process_end(struct rp_session *s, int st)
{
	const struct trace_event *e = next_event(s);
	s->pid = -1;
	tc_close(&s->tc);
	s->tc.pid = -1;
	if (!e && !trace_complete(s->t)) {
		s->ended = RP_INCOMPLETE;
		return RP_INCOMPLETE;
	}
	if (!e || e->kind != TRACE_EXIT) {
		char got[64];
		snprintf(got, sizeof got, "the program's end (status 0x%x)", st);
		return diverged(s, e, got);
	}
	if (e->wait_status != st) {
		char got[64];
		snprintf(got, sizeof got, "the program's end with status 0x%x instead of 0x%x", st,
		         e->wait_status);
		return diverged(s, e, got);
	}
	s->cur++;
	s->exit_status = st;
	s->ended = RP_ENDED;
	return RP_ENDED;
}

int rp_start(struct rp_session *s, char *err, size_t errlen)
{
	s->err = err;
	s->errlen = errlen;
	const struct trace_event *e = trace_event(s->t, 1);
	const struct trace_header *h = trace_header(s->t);
	if (!e || e->kind != TRACE_EXEC)
		return fail(s, "trace %s has no exec to start from", trace_dir(s->t));
	int fd = trace_open_file(s->t, e->file, err, errlen);
	if (fd < 0)
		return -1;
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int cpu = pr_pin_self();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd);
		return fail(s, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* Keep the replayed program off the terminal's signals. */
		setpgid(0, 0);
		pr_child_exec(path, h->argv, h->envp, cpu);
	}
	close(fd);
	s->pid = pid;
	int st;
	if (pr_wait(pid, &st) < 0 || !WIFSTOPPED(st))
		return fail(s, "cannot start the replay under ptrace");
	if (tc_attach(&s->tc, pid, err, errlen) < 0)
		return -1;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, RP_PTRACE_OPTIONS) < 0)
		return fail(s, "ptrace: %s", strerror(errno));
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || pr_wait(pid, &st) < 0)
		return fail(s, "cannot start the replay: %s", strerror(errno));
	if (!WIFSTOPPED(st) || (st >> 16) != PTRACE_EVENT_EXEC)
		return fail(s, "cannot run %s for the replay", trace_file(s->t, e->file)->path);
	return apply_exec(s);
}

/* ---- one resume: the step the timeline and the autopilot are built of --- */

static void mark_boundary(struct rp_session *s)
{
	/* Resuming from here (a SYSEMU entry stop whose call was handled, or a
	 * syscall-exit stop) goes on at rip with the registers as they are,
	 * which is what tc_inject_syscall assumes of a trap stop. */
	s->tc.stop = TC_STOP_TRAP;
	s->tc.sig = 0;
}

static int unstep_r11(struct rp_session *s)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, s->pid, 0, &r) < 0)
		return fail(s, "cannot read registers: %s", strerror(errno));
	/* eflags as ptrace shows it hides the trap flag it forced; the
	 * program's own TF (set with popf) would show there too. */
	if (!(r.r11 & TF_FLAG) || (r.eflags & TF_FLAG))
		return 0;
	r.r11 &= ~TF_FLAG;
	if (ptrace(PTRACE_SETREGS, s->pid, 0, &r) < 0)
		return fail(s, "cannot set registers: %s", strerror(errno));
	return 0;
}

static int resume_loop(struct rp_session *s, int step, struct bp_set *bps, int hw_used,
                       struct rp_stop *st)
{
	char *err = s->err;
	size_t errlen = s->errlen;
	int checked = 0;  /* the current state was just compared with the signature point */
	int over_own = 0; /* stopped on our own int3 at the point: step over it */
	for (;;) {
		uint64_t before = s->cur;
		int rc;
		const struct trace_event *e = next_event(s);
		if (is_sig_point(e) && !s->injected) {
			/* The point may be where the process stands (the state
			 * right after the previous event, or one a step or a
			 * breakpoint stopped at); a pending signal is delivered
			 * first and changes the state. */
			if (!checked && !s->deliver) {
				int match;
				if (sig_check(s, e, bps, &match) < 0)
					return -1;
				if (match && sig_raise(s, e, 0) < 0)
					return -1;
			}
			/* One step needs no stop at the point: the next call
			 * looks where it lands. */
			if (!s->injected && !step && s->sig_slot < 0 && s->sig_int3 == SIG_INT3_NONE &&
			    sig_arm(s, e->regs.rip, bps, hw_used) < 0)
				return -1;
		}
		checked = 0;
		inject_pending_signal(s);
		s->tc.sig = s->deliver;
		s->deliver = 0;
		int stepped_over = 0;
		if (step)
			rc = bps ? bp_step(bps, TC_STEP_SYSEMU, err, errlen)
			         : tc_step(&s->tc, TC_STEP_SYSEMU, err, errlen);
		else if (over_own && s->sig_int3 == SIG_INT3_OWN)
			rc = bp_step(&s->sig_bp, TC_STEP_SYSEMU, err, errlen), stepped_over = 1;
		else
			rc = tc_cont(&s->tc, PTRACE_SYSEMU, err, errlen);
		over_own = 0;
		if (rc < 0)
			return -1;
		switch (s->tc.stop) {
		case TC_STOP_EXITED:
		case TC_STOP_KILLED:
			s->tc.stop = TC_STOP_EXITED;
			rc = on_process_end(s, s->tc.wstatus);
			if (rc < 0)
				return -1;
			st->kind = rc == RP_ENDED ? RPS_END : RPS_INCOMPLETE;
			return 0;
		case TC_STOP_SYSCALL_ENTRY:
			/* A `syscall` copies rflags into r11, and a stepped one
			 * copies the trap flag ptrace set for the step: the
			 * recorded (and any continued) run has it clear. */
			if ((step || stepped_over) && unstep_r11(s) < 0)
				return -1;
			rc = on_syscall(s);
			if (rc == RP_INCOMPLETE) {
				tc_kill(&s->tc);
				s->pid = -1;
				s->ended = RP_INCOMPLETE;
				st->kind = RPS_INCOMPLETE;
				return 0;
			}
			if (rc < 0)
				return -1;
			if (rc == 1) /* exit_group ran: nothing but the end follows */
				continue;
			mark_boundary(s);
			st->kind = RPS_EVENT;
			return 0;
		case TC_STOP_EVENT:
			if (s->tc.event == PTRACE_EVENT_EXEC) {
				if (apply_exec(s) < 0)
					return -1;
				st->kind = RPS_EVENT;
				return 0;
			}
			continue; /* PTRACE_EVENT_EXIT: the end comes next */
		case TC_STOP_TRAP: {
			int fired = 0, at_point = 0;
			uint64_t a;
			if ((hw_used || s->sig_slot >= 0) && read_dr6(s, &fired) < 0)
				return -1;
			if (bps && bps->armed) {
				rc = bp_check_hit(bps, &a, err, errlen);
				if (rc < 0)
					return -1;
				if (rc) {
					st->kind = RPS_BP;
					st->addr = a;
					return 0;
				}
			}
			if (s->sig_int3 == SIG_INT3_OWN) {
				rc = bp_check_hit(&s->sig_bp, &a, err, errlen);
				if (rc < 0)
					return -1;
				at_point = over_own = rc;
			}
			if (s->sig_slot >= 0 && (fired & (1 << s->sig_slot)))
				at_point = 1;
			if (at_point) {
				int match;
				if (++s->sig_passes > SIG_MAX_PASSES || s->sig_hashed > SIG_MAX_HASHED)
					return sig_not_found(s, e);
				if (sig_check(s, e, bps, &match) < 0)
					return -1;
				if (match) {
					over_own = 0;
					if (sig_raise(s, e, 1) < 0)
						return -1;
				}
				checked = 1;
				continue;
			}
			if (hw_used && (fired & hw_used)) {
				st->kind = RPS_HW;
				st->fired = fired & hw_used;
				st->stepped = step;
				return 0;
			}
			if (s->tc.trap_code != SI_KERNEL) {
				if (step) {
					st->kind = RPS_STEP;
					return 0;
				}
				if (stepped_over)
					continue; /* past our int3: on with the continue */
			}
			/* The program's own int3 or SIGTRAP: a recorded signal. */
			s->tc.sig = SIGTRAP;
		}
			/* fall through */
		case TC_STOP_SIGNAL: {
			int sig = s->tc.sig;
			s->tc.sig = 0;
			if (on_signal(s, sig) < 0)
				return -1;
			if (s->cur != before) {
				s->tc.stop = TC_STOP_SIGNAL;
				st->kind = RPS_EVENT;
				return 0;
			}
			continue; /* from outside: not part of the replay */
		}
		default:
			continue;
		}
	}
}

int rp_resume(struct rp_session *s, int step, struct bp_set *bps, int hw_used,
              struct rp_stop *st, char *err, size_t errlen)
{
	s->err = err;
	s->errlen = errlen;
	memset(st, 0, sizeof *st);
	if (s->ended) {
		st->kind = RPS_END;
		return 0;
	}
	s->sig_passes = s->sig_hashed = 0;
	int rc = resume_loop(s, step, bps, hw_used, st);
	sig_disarm(s);
	return rc;
}

int rp_run(struct rp_session *s, uint64_t upto, char *err, size_t errlen)
{
	s->err = err;
	s->errlen = errlen;
	while (!s->ended && (upto == 0 || s->cur < upto)) {
		struct rp_stop st;
		if (rp_resume(s, 0, NULL, 0, &st, err, errlen) < 0)
			return -1;
	}
	return s->ended;
}

/* ---- internal access for the timeline ---------------------------------- */

struct tracee *rp_tracee(struct rp_session *s) { return &s->tc; }

int rp_take_signal(struct rp_session *s)
{
	int sig = s->deliver;
	s->deliver = 0;
	return sig;
}
int rp_ended(const struct rp_session *s) { return s->ended; }
uint64_t rp_cause(const struct rp_session *s, uint64_t event)
{
	return event <= trace_nevents(s->t) ? s->cause[event] : 0;
}

void rp_set_counter(struct rp_session *s, int fd)
{
	if (s->counter_fd >= 0)
		close(s->counter_fd);
	s->counter_fd = fd;
	s->counter_at_event = 0;
}

uint64_t rp_counter_at_event(const struct rp_session *s) { return s->counter_at_event; }

int rp_ck_create(struct rp_session *s, struct rp_ck *ck, char *err, size_t errlen)
{
	if (s->ended || s->pid <= 0) {
		snprintf(err, errlen, "the replayed program has ended");
		return -1;
	}
	/* A pending delivery is the checkpoint's pending signal: ck_create
	 * keeps it with its siginfo, ck_restore gives it back. */
	if (s->deliver) {
		s->tc.stop = TC_STOP_SIGNAL;
		s->tc.sig = s->deliver;
		if (ptrace(PTRACE_GETSIGINFO, s->pid, 0, &s->tc.siginfo) < 0)
			memset(&s->tc.siginfo, 0, sizeof s->tc.siginfo);
	}
	int rc = ck_create(&s->tc, &ck->ck, err, errlen);
	s->tc.sig = 0;
	if (rc < 0)
		return -1;
	ck->cur = s->cur;
	return 0;
}

int rp_ck_restore(struct rp_session *s, struct rp_ck *ck, char *err, size_t errlen)
{
	struct tracee nt;
	if (ck_restore(&ck->ck, &nt, err, errlen) < 0)
		return -1;
	if (ptrace(PTRACE_SETOPTIONS, nt.pid, 0, RP_PTRACE_OPTIONS) < 0) {
		snprintf(err, errlen, "ptrace: %s", strerror(errno));
		tc_kill(&nt);
		return -1;
	}
	if (s->pid > 0)
		tc_kill(&s->tc);
	tc_close(&s->tc);
	s->tc = nt;
	s->pid = nt.pid;
	s->cur = ck->cur;
	s->deliver = nt.sig;
	s->tc.sig = 0;
	s->ended = 0;
	s->injected = 0;
	s->sig_uncounted = 0;
	s->exec_exit_pending = 0;
	return 0;
}
