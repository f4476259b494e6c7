/*
 * tracee.c — registers, memory, waiting, stepping and syscall injection on a
 * stopped ptrace tracee.
 *
 * Everything above (checkpoints, breakpoints, hit counting, the replayer)
 * needs to know exactly what kind of stop a tracee is in, because ptrace
 * treats them differently: a signal given when resuming a signal-delivery
 * stop is delivered, a SIGTRAP we caused ourselves must be swallowed, a
 * syscall-entry stop has already decided whether the call runs. tc_wait turns
 * each waitpid status into one enum tc_stop, and tc_inject_syscall uses that
 * to run a system call inside the tracee and leave it in the same kind of
 * stop it found it in.
 */
#include "core/tracee.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
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

int tc_attach(struct tracee *t, pid_t pid, char *err, size_t errlen)
{
	char path[64];

	memset(t, 0, sizeof *t);
	t->pid = pid;
	t->memfd = -1;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)(long)TC_PTRACE_OPTIONS) < 0)
		return fail(err, errlen, -errno, "PTRACE_SETOPTIONS on %d: %s", pid, strerror(errno));
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	/* Kept open: writing breakpoints into read-only text goes through it,
	 * and opening it each time would cost more than the write. */
	t->memfd = open(path, O_RDWR | O_CLOEXEC);
	if (t->memfd < 0)
		return fail(err, errlen, -errno, "open %s: %s", path, strerror(errno));
	t->stop = TC_STOP_SIGNAL;
	return 0;
}

int tc_spawn(struct tracee *t, char *const argv[], int stdout_fd, char *err, size_t errlen)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return fail(err, errlen, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (stdout_fd >= 0 && stdout_fd != 1)
			dup2(stdout_fd, 1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, __WALL) < 0)
		return fail(err, errlen, -errno, "waitpid %d: %s", pid, strerror(errno));
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
		if (WIFSTOPPED(st))
			kill(pid, SIGKILL), waitpid(pid, &st, __WALL);
		return fail(err, errlen, -ENOEXEC, "cannot run %s", argv[0]);
	}
	/* The post-exec SIGTRAP (options were not set yet) must not be
	 * delivered: tc_attach leaves sig = 0. */
	return tc_attach(t, pid, err, errlen);
}

void tc_close(struct tracee *t)
{
	if (t->memfd >= 0)
		close(t->memfd);
	t->memfd = -1;
}

void tc_kill(struct tracee *t)
{
	int st;

	if (t->pid > 0 && t->stop != TC_STOP_EXITED && t->stop != TC_STOP_KILLED) {
		kill(t->pid, SIGKILL);
		/* Reap until it is really gone, so no zombie stays behind
		 * (intermediate stops such as PTRACE_EVENT_EXIT may come first). */
		while (waitpid(t->pid, &st, __WALL) == t->pid || errno == EINTR) {
			if (WIFEXITED(st) || WIFSIGNALED(st))
				break;
			/* A PTRACE_EVENT_EXIT stop (PTRACE_O_TRACEEXIT) holds the
			 * dying task until it is resumed. */
			if (WIFSTOPPED(st))
				ptrace(PTRACE_CONT, t->pid, 0, 0);
		}
	}
	t->stop = TC_STOP_KILLED;
	tc_close(t);
}

int tc_get_regs(struct tracee *t, struct user_regs_struct *r, char *err, size_t errlen)
{
	if (ptrace(PTRACE_GETREGS, t->pid, 0, r) < 0)
		return fail(err, errlen, -errno, "PTRACE_GETREGS %d: %s", t->pid, strerror(errno));
	return 0;
}

int tc_set_regs(struct tracee *t, const struct user_regs_struct *r, char *err, size_t errlen)
{
	if (ptrace(PTRACE_SETREGS, t->pid, 0, r) < 0)
		return fail(err, errlen, -errno, "PTRACE_SETREGS %d: %s", t->pid, strerror(errno));
	return 0;
}

int tc_get_xstate(struct tracee *t, void *buf, size_t *len, char *err, size_t errlen)
{
	struct iovec iov = { buf, *len };

	if (ptrace(PTRACE_GETREGSET, t->pid, (void *)NT_X86_XSTATE, &iov) < 0)
		return fail(err, errlen, -errno, "GETREGSET NT_X86_XSTATE %d: %s", t->pid, strerror(errno));
	*len = iov.iov_len;
	return 0;
}

int tc_set_xstate(struct tracee *t, const void *buf, size_t len, char *err, size_t errlen)
{
	struct iovec iov = { (void *)buf, len };

	if (ptrace(PTRACE_SETREGSET, t->pid, (void *)NT_X86_XSTATE, &iov) < 0)
		return fail(err, errlen, -errno, "SETREGSET NT_X86_XSTATE %d: %s", t->pid, strerror(errno));
	return 0;
}

int tc_read(struct tracee *t, uint64_t addr, void *buf, size_t len, char *err, size_t errlen)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(t->pid, &local, 1, &remote, 1, 0);

	if (n == (ssize_t)len)
		return 0;
	/* Pages without read permission (PROT_NONE, execute-only) are still
	 * readable through /proc/PID/mem, which uses FOLL_FORCE. */
	if (t->memfd >= 0 && pread(t->memfd, buf, len, (off_t)addr) == (ssize_t)len)
		return 0;
	return fail(err, errlen, -EFAULT, "cannot read %zu bytes at 0x%llx in %d", len,
	            (unsigned long long)addr, t->pid);
}

int tc_write(struct tracee *t, uint64_t addr, const void *buf, size_t len, char *err, size_t errlen)
{
	/* /proc/PID/mem writes through read-only mappings (text) and breaks
	 * copy-on-write like ptrace would, and costs the same as
	 * process_vm_writev for the small writes we do. */
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(t->memfd, (const char *)buf + done, len - done, (off_t)(addr + done));
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return fail(err, errlen, -EFAULT, "cannot write %zu bytes at 0x%llx in %d", len,
			            (unsigned long long)addr, t->pid);
		}
		done += (size_t)n;
	}
	return 0;
}

static int is_debug_trap(int code)
{
	/* int3 gives SI_KERNEL; single-step TRAP_TRACE (TRAP_BRKPT after a
	 * stepped syscall); debug registers TRAP_HWBKPT; the stop after a
	 * stepped signal-frame setup has si_code == SIGTRAP. A SIGTRAP sent
	 * by kill/raise (SI_USER, SI_TKILL, SI_QUEUE) is a real signal. */
	return code == SI_KERNEL || code == TRAP_BRKPT || code == TRAP_TRACE ||
	       code == TRAP_HWBKPT || code == SIGTRAP || code == 3 /* TRAP_BRANCH */;
}

int tc_wait(struct tracee *t, char *err, size_t errlen)
{
	int st, sig;

	while (waitpid(t->pid, &st, __WALL) < 0) {
		if (errno != EINTR)
			return fail(err, errlen, -errno, "waitpid %d: %s", t->pid, strerror(errno));
	}
	t->sig = 0;
	t->wstatus = st;
	if (WIFEXITED(st)) {
		t->stop = TC_STOP_EXITED;
		t->status = WEXITSTATUS(st);
		return 0;
	}
	if (WIFSIGNALED(st)) {
		t->stop = TC_STOP_KILLED;
		t->status = WTERMSIG(st);
		return 0;
	}
	sig = WSTOPSIG(st);
	if (st >> 16) {
		t->stop = TC_STOP_EVENT;
		t->event = st >> 16;
		return 0;
	}
	if (sig == (SIGTRAP | 0x80)) {
		struct __ptrace_syscall_info info;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, (void *)sizeof info, &info) < 0)
			return fail(err, errlen, -errno, "PTRACE_GET_SYSCALL_INFO %d: %s", t->pid,
			            strerror(errno));
		t->stop = info.op == PTRACE_SYSCALL_INFO_EXIT ? TC_STOP_SYSCALL_EXIT
		                                              : TC_STOP_SYSCALL_ENTRY;
		return 0;
	}
	if (ptrace(PTRACE_GETSIGINFO, t->pid, 0, &t->siginfo) < 0) {
		/* EINVAL: a group-stop, nothing to deliver on resume. */
		memset(&t->siginfo, 0, sizeof t->siginfo);
		t->stop = TC_STOP_SIGNAL;
		return 0;
	}
	if (sig == SIGTRAP && is_debug_trap(t->siginfo.si_code)) {
		t->stop = TC_STOP_TRAP;
		t->trap_code = t->siginfo.si_code;
		return 0;
	}
	t->stop = TC_STOP_SIGNAL;
	t->sig = sig;
	return 0;
}

int tc_resume(struct tracee *t, int request, char *err, size_t errlen)
{
	if (ptrace((enum __ptrace_request)request, t->pid, 0, (void *)(long)t->sig) < 0)
		return fail(err, errlen, -errno, "ptrace resume %d on %d: %s", request, t->pid,
		            strerror(errno));
	t->sig = 0;
	t->stop = TC_STOP_NONE;
	if (request == PTRACE_SYSCALL)
		t->mode = TC_MODE_SYSCALL;
	else if (request == PTRACE_SYSEMU || request == PTRACE_SYSEMU_SINGLESTEP)
		t->mode = TC_MODE_SYSEMU;
	else
		t->mode = TC_MODE_CONT;
	return 0;
}

int tc_cont(struct tracee *t, int request, char *err, size_t errlen)
{
	int rc = tc_resume(t, request, err, errlen);
	return rc ? rc : tc_wait(t, err, errlen);
}

int tc_step(struct tracee *t, int flags, char *err, size_t errlen)
{
	/* PTRACE_SINGLESTEP already does the right thing with the signal it
	 * delivers (stops on the handler's first instruction, or after one
	 * instruction if the signal is ignored) and with `syscall` (runs it,
	 * then traps). SYSEMU_SINGLESTEP turns a syscall into an entry stop. */
	return tc_cont(t, (flags & TC_STEP_SYSEMU) ? PTRACE_SYSEMU_SINGLESTEP : PTRACE_SINGLESTEP,
	               err, errlen);
}

static int scan_for_syscall(struct tracee *t, uint64_t lo, uint64_t hi, uint64_t *addr)
{
	static const unsigned char insn[2] = { 0x0f, 0x05 };
	size_t len = hi - lo;
	unsigned char *buf, *p;

	if (len > (16u << 20))
		len = 16u << 20;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (tc_read(t, lo, buf, len, NULL, 0) == 0 && (p = memmem(buf, len, insn, 2))) {
		*addr = lo + (uint64_t)(p - buf);
		free(buf);
		return 0;
	}
	free(buf);
	return -ENOENT;
}

int tc_find_syscall_insn(struct tracee *t, uint64_t *addr, char *err, size_t errlen)
{
	char path[64], line[512];
	FILE *f;
	int pass;

	snprintf(path, sizeof path, "/proc/%d/maps", (int)t->pid);
	/* The vDSO first: it is in every process, at the same place in all
	 * checkpoints of it, and its clock_gettime fallback is a syscall. */
	for (pass = 0; pass < 2; pass++) {
		f = fopen(path, "re");
		if (!f)
			return fail(err, errlen, -errno, "open %s: %s", path, strerror(errno));
		while (fgets(line, sizeof line, f)) {
			unsigned long long lo, hi;
			char perms[8];
			if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3 || perms[2] != 'x')
				continue;
			if ((pass == 0) != (strstr(line, "[vdso]") != NULL))
				continue;
			if (scan_for_syscall(t, lo, hi, addr) == 0) {
				fclose(f);
				t->syscall_insn = *addr;
				return 0;
			}
		}
		fclose(f);
	}
	return fail(err, errlen, -ENOENT, "no syscall instruction found in %d", t->pid);
}

/* A signal that arrived while we were running the injected call: it was
 * dequeued already, so it has to be given back to the tracee at the end. */
struct held_sig {
	int sig;
	siginfo_t info;
};

static void hold(struct held_sig *h, struct tracee *t)
{
	if (!h->sig) {
		h->sig = t->sig;
		h->info = t->siginfo;
	}
	t->sig = 0;
}

int tc_inject_syscall(struct tracee *t, long nr, const uint64_t args[6], int64_t *ret,
                      pid_t *child_pid, char *err, size_t errlen)
{
	struct user_regs_struct saved, r;
	enum tc_stop orig = t->stop;
	enum tc_mode omode = t->mode;
	int otrap = t->trap_code, oevent = t->event;
	struct held_sig held = { 0 };
	int entered = 0, rc;

	if (!t->syscall_insn) {
		uint64_t a;
		if ((rc = tc_find_syscall_insn(t, &a, err, errlen)))
			return rc;
	}
	if (child_pid)
		*child_pid = 0;
	if (orig == TC_STOP_SIGNAL && t->sig)
		hold(&held, t);
	if ((rc = tc_get_regs(t, &saved, err, errlen)))
		return rc;
	r = saved;
	r.rip = t->syscall_insn;
	r.rax = (unsigned long long)nr;
	/* orig_rax = -1 switches off the kernel's syscall-restart logic for
	 * the stop we resume from, and, at a syscall-entry stop, makes the
	 * pending call a no-op that leaves rax alone. */
	r.orig_rax = (unsigned long long)-1;
	r.rdi = args[0]; r.rsi = args[1]; r.rdx = args[2];
	r.r10 = args[3]; r.r8 = args[4]; r.r9 = args[5];
	if ((rc = tc_set_regs(t, &r, err, errlen)))
		return rc;

	for (;;) {
		if ((rc = tc_cont(t, PTRACE_SYSCALL, err, errlen)))
			return rc;
		switch (t->stop) {
		case TC_STOP_EXITED:
		case TC_STOP_KILLED:
			return fail(err, errlen, -ESRCH, "process %d died during an injected syscall %ld",
			            t->pid, nr);
		case TC_STOP_SYSCALL_ENTRY:
			entered = 1;
			continue;
		case TC_STOP_SYSCALL_EXIT:
			if (!entered) {
				/* Exit of the call that was pending at an
				 * entry stop (nullified above): now go for ours. */
				if ((rc = tc_set_regs(t, &r, err, errlen)))
					return rc;
				continue;
			}
			break;
		case TC_STOP_EVENT:
			if (child_pid && (t->event == PTRACE_EVENT_FORK || t->event == PTRACE_EVENT_CLONE ||
			                  t->event == PTRACE_EVENT_VFORK)) {
				unsigned long msg = 0;
				ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &msg);
				*child_pid = (pid_t)msg;
			}
			continue;
		case TC_STOP_SIGNAL:
			hold(&held, t);
			continue;
		default:
			continue;
		}
		break;
	}
	if ((rc = tc_get_regs(t, &r, err, errlen)))
		return rc;
	if (ret)
		*ret = (int64_t)r.rax;

	if (orig == TC_STOP_SYSCALL_ENTRY) {
		/* Re-execute the original syscall instruction so that the tracee
		 * is again at its entry stop, reached the same way (with SYSEMU
		 * the call is again skipped). */
		r = saved;
		r.rip -= 2;
		r.rax = saved.orig_rax;
		if ((rc = tc_set_regs(t, &r, err, errlen)))
			return rc;
		for (;;) {
			if ((rc = tc_cont(t, omode == TC_MODE_SYSEMU ? PTRACE_SYSEMU : PTRACE_SYSCALL,
			                  err, errlen)))
				return rc;
			if (t->stop == TC_STOP_SIGNAL) {
				hold(&held, t);
				continue;
			}
			if (t->stop == TC_STOP_SYSCALL_ENTRY)
				break;
			return fail(err, errlen, -EIO, "no syscall-entry stop after re-executing syscall %llu",
			            (unsigned long long)saved.orig_rax);
		}
		if ((rc = tc_set_regs(t, &saved, err, errlen)))
			return rc;
	} else {
		if ((rc = tc_set_regs(t, &saved, err, errlen)))
			return rc;
		t->stop = orig;
		t->trap_code = otrap;
		t->event = oevent;
	}
	t->mode = omode;

	if (held.sig && orig != TC_STOP_SYSCALL_ENTRY) {
		/* Give the signal back: resuming a syscall stop with a signal
		 * queues it, and the tracee stops at once in its delivery stop,
		 * before any instruction; then put its siginfo back. */
		t->sig = held.sig;
		if ((rc = tc_cont(t, PTRACE_CONT, err, errlen)))
			return rc;
		if (t->stop != TC_STOP_SIGNAL)
			return fail(err, errlen, -EIO, "signal %d not re-delivered after injection", held.sig);
		if (t->sig == held.sig) {
			ptrace(PTRACE_SETSIGINFO, t->pid, 0, &held.info);
			t->siginfo = held.info;
		}
		t->mode = omode;
	}
	return 0;
}
