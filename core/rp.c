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
 * arguments, the kind of signal, the exec. A mismatch is a divergence and
 * stops the replay with "replay diverged at event N: expected ..., got ...".
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
};

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
		close(s->counter_fd);
		s->counter_fd = -1;
	}
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
	int64_t nr = (int64_t)regs.orig_rax;
	uint64_t args[6] = {regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9};
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
		note_cause(s, 0);
		siginfo_t rec;
		memcpy(&rec, e->siginfo, sizeof rec);
		if (ptrace(PTRACE_SETSIGINFO, s->pid, 0, &rec) < 0)
			return fail(s, "cannot set signal information: %s", strerror(errno));
		s->deliver = sig;
		s->cur++;
		return 0;
	}
	if (e && e->kind == TRACE_SIGNAL && e->sig_sync && sig == e->signo) {
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

#define TF_FLAG 0x100ull

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
	for (;;) {
		uint64_t before = s->cur;
		int rc;
		inject_pending_signal(s);
		s->tc.sig = s->deliver;
		s->deliver = 0;
		if (step)
			rc = bps ? bp_step(bps, TC_STEP_SYSEMU, err, errlen)
			         : tc_step(&s->tc, TC_STEP_SYSEMU, err, errlen);
		else
			rc = tc_cont(&s->tc, PTRACE_SYSEMU, err, errlen);
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
			if (step && unstep_r11(s) < 0)
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
		case TC_STOP_TRAP:
			if (bps && bps->armed) {
				uint64_t a;
				rc = bp_check_hit(bps, &a, err, errlen);
				if (rc < 0)
					return -1;
				if (rc) {
					st->kind = RPS_BP;
					st->addr = a;
					return 0;
				}
			}
			if (hw_used) {
				int fired = 0;
				if (hw_check(&s->tc, &fired, err, errlen) < 0)
					return -1;
				if (fired & hw_used) {
					st->kind = RPS_HW;
					st->fired = fired & hw_used;
					st->stepped = step;
					return 0;
				}
			}
			if (step && s->tc.trap_code != SI_KERNEL) {
				st->kind = RPS_STEP;
				return 0;
			}
			/* The program's own int3 or SIGTRAP: a recorded signal. */
			s->tc.sig = SIGTRAP;
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
	s->exec_exit_pending = 0;
	return 0;
}
