/*
 * sys_live.c — the parts of the system call table's work that touch the
 * live recorded process: what sys.c may learn of it (memory, descriptor
 * information, the kernel it runs on), which ABI a call was made with, and
 * the few pieces of process state the recorder emulates so that the program
 * does not see it is recorded.
 *
 * Emulated state, and why:
 *   - rdtsc mode. Recording needs rdtsc to fault (PR_SET_TSC with
 *     PR_TSC_SIGSEGV, set before the program starts). The program sees the
 *     mode it would have without us: PR_GET_TSC answers what it last set
 *     (PR_TSC_ENABLE at first), PR_SET_TSC is skipped and remembered. When
 *     the program asked for PR_TSC_SIGSEGV itself, the recorder delivers the
 *     rdtsc fault to it instead of emulating the instruction (sys_emul.tsc,
 *     read by the recorder), and the replay delivers the recorded fault.
 *   - CPU affinity. The program runs on the recorder's CPU (a ptrace stop
 *     costs ten times more across CPUs). sched_setaffinity on itself runs
 *     for real, so the kernel validates it and reduces the mask as it
 *     would; the recorder then reads back the mask the program now has,
 *     keeps it, and pins the program to its CPU again before it runs on.
 *     sched_getaffinity on itself answers that mask (the inherited one at
 *     first). sched_getcpu still tells the CPU it really runs on.
 * Both are per process: a forked child, which runs unrecorded, gets the
 * program's affinity (sys_emul_child) and rdtsc mode (by the recorder).
 */
#include "core/proc.h"
#include "core/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static int live_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct sys_tracee *t = ctx;
	return pr_read((pid_t)t->pid, addr, buf, len);
}

static int live_fdinfo(void *ctx, int fd, char *buf, size_t len)
{
	const struct sys_tracee *t = ctx;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)t->pid, fd);
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	ssize_t n = read(f, buf, len - 1);
	close(f);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* CPUs the kernel may ever bring up ("0-1", "0-3,8-11"): per-CPU data is
 * sized by them. */
static int possible_cpus(void)
{
	char line[256];
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	if (!f)
		return (int)sysconf(_SC_NPROCESSORS_CONF);
	int n = 0;
	if (fgets(line, sizeof line, f)) {
		for (char *p = line; *p && *p != '\n';) {
			unsigned a, b;
			int used;
			if (sscanf(p, "%u%n", &a, &used) != 1)
				break;
			p += used;
			b = a;
			if (*p == '-' && sscanf(p + 1, "%u%n", &b, &used) == 1)
				p += 1 + used;
			n = (int)b + 1;   /* ids are dense up to the last possible one */
			if (*p == ',')
				p++;
		}
	}
	fclose(f);
	return n > 0 ? n : 1;
}

void sys_live_tracee(struct sys_tracee *t, pid_t pid)
{
	struct utsname u;
	memset(t, 0, sizeof *t);
	t->read = live_read;
	t->fdinfo = live_fdinfo;
	t->ctx = t;
	t->pid = pid;
	if (uname(&u) != 0 || sys_kernel_newer(u.release))
		t->kernel |= SYS_KERNEL_NEWER;
	/* getpid through the x32 table: harmless, and it answers only when
	 * the kernel has the x32 ABI */
	if (syscall(0x40000000L | SYS_getpid) == getpid())
		t->kernel |= SYS_KERNEL_X32;
	t->possible_cpus = possible_cpus();
}

/*
 * The `syscall` instruction leaves its return address in rcx and rflags in
 * r11, which the kernel also saves as the flags: at the entry stop of a
 * 64-bit call, rcx == rip and r11 == eflags. int $0x80 keeps the program's
 * rcx and r11. PTRACE_GET_SYSCALL_INFO tells the ABI for sure but costs a
 * system call (3 us here, a tenth of a stop), so it is asked only when the
 * registers do not show a `syscall`. An int $0x80 made with rcx and r11
 * forged to those very values would be taken for a 64-bit call.
 */
void sys_live_call(pid_t pid, const struct user_regs_struct *regs, long *nr, uint64_t args[6])
{
	struct __ptrace_syscall_info info;
	int by_syscall = regs->rcx == regs->rip && regs->r11 == regs->eflags;
	long got = by_syscall ? 0 : ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
	if (got > 0 && info.op == PTRACE_SYSCALL_INFO_ENTRY && info.arch == AUDIT_ARCH_I386) {
		/* int $0x80: the kernel reads ebx, ecx, edx, esi, edi, ebp as
		 * 32-bit values, and the number as an int */
		*nr = (long)(SYS_I386 | (uint32_t)info.entry.nr);
		for (int i = 0; i < 6; i++)
			args[i] = (uint32_t)info.entry.args[i];
		return;
	}
	*nr = (long)regs->orig_rax;
	/* A garbage upper half that reads as the i386 mark (the kernel runs
	 * the low half as an x86-64 call) is given another garbage upper half:
	 * the recorder refuses it, the replay never matches it to an i386 call. */
	if (((uint64_t)regs->orig_rax >> 32) == 1)
		*nr = (long)(regs->orig_rax ^ (3ull << 32));
	const uint64_t a[6] = {regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9};
	memcpy(args, a, sizeof a);
}

/* ---- emulated state ----------------------------------------------------- */

/* The size of the kernel's cpumask in bytes, as sched_getaffinity answers
 * it (the smallest length it accepts). */
static size_t cpumask_bytes(void)
{
	uint8_t probe[1024];
	for (size_t len = sizeof(long); len <= sizeof probe; len += sizeof(long)) {
		long n = syscall(SYS_sched_getaffinity, 0, len, probe);
		if (n > 0)
			return (size_t)n;
	}
	return 0;
}

void sys_emul_init(struct sys_emul *e)
{
	memset(e, 0, sizeof *e);
	e->tsc = PR_TSC_ENABLE;
	size_t n = cpumask_bytes();
	if (n && n <= sizeof e->mask && syscall(SYS_sched_getaffinity, 0, n, e->mask) > 0)
		e->nmask = n;
}

static int is_self(pid_t pid, uint64_t arg)
{
	int32_t p = (int32_t)arg;
	return p == 0 || p == (int32_t)pid;
}

int sys_emul_entry(struct sys_emul *e, pid_t pid, long nr, const uint64_t args[6], char *err,
                   size_t errlen)
{
	e->skipped = 0;
	if (nr != SYS_prctl || (uint32_t)args[0] != PR_SET_TSC)
		return 0;
	/* set_tsc_mode takes an unsigned int: anything but the two modes is
	 * EINVAL */
	uint32_t mode = (uint32_t)args[1];
	if (mode == PR_TSC_ENABLE || mode == PR_TSC_SIGSEGV) {
		e->tsc = (int)mode;
		e->skip_result = 0;
	} else {
		e->skip_result = -EINVAL;
	}
	/* The recorder's own mode stays: the call does not run. */
	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, orig_rax), (void *)-1L) < 0) {
		snprintf(err, errlen, "cannot skip prctl(PR_SET_TSC): %s", strerror(errno));
		return -1;
	}
	e->skipped = 1;
	return 0;
}

static int set_result(pid_t pid, int64_t v, char *err, size_t errlen)
{
	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rax), (void *)v) < 0) {
		snprintf(err, errlen, "cannot set a system call's result: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The recorder runs pinned: so must the program, whatever it asked for. */
static int repin(pid_t pid, char *err, size_t errlen)
{
	cpu_set_t mine;
	if (sched_getaffinity(0, sizeof mine, &mine) != 0 || sched_setaffinity(pid, sizeof mine, &mine) != 0) {
		snprintf(err, errlen, "cannot keep process %d on the recorder's CPU: %s", (int)pid,
		         strerror(errno));
		return -1;
	}
	return 0;
}

int sys_emul_exit(struct sys_emul *e, pid_t pid, long nr, const uint64_t args[6], int64_t *result,
                  char *err, size_t errlen)
{
	if (e->skipped) {
		e->skipped = 0;
		*result = e->skip_result;
		return set_result(pid, *result, err, errlen);
	}
	if (*result < 0)
		return 0;
	if (nr == SYS_prctl && (uint32_t)args[0] == PR_GET_TSC) {
		int mode = e->tsc;
		if (pr_write(pid, args[1], &mode, sizeof mode) < 0) {
			snprintf(err, errlen, "cannot give the program its rdtsc mode");
			return -1;
		}
		return 0;
	}
	if (nr == SYS_sched_setaffinity && is_self(pid, args[0])) {
		/* The kernel took the mask: keep what it made of it. */
		if (e->nmask && syscall(SYS_sched_getaffinity, pid, e->nmask, e->mask) < 0) {
			snprintf(err, errlen, "cannot read the affinity process %d set: %s", (int)pid,
			         strerror(errno));
			return -1;
		}
		return repin(pid, err, errlen);
	}
	if (nr == SYS_sched_getaffinity && is_self(pid, args[0]) && e->nmask) {
		size_t n = (size_t)*result < e->nmask ? (size_t)*result : e->nmask;
		if (pr_write(pid, args[2], e->mask, n) < 0) {
			snprintf(err, errlen, "cannot give the program its CPU affinity");
			return -1;
		}
	}
	return 0;
}

void sys_emul_child(const struct sys_emul *e, pid_t child)
{
	if (e->nmask)
		syscall(SYS_sched_setaffinity, child, e->nmask, e->mask);
}
