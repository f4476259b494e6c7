/*
 * sys.h — the system call table (internal to core/).
 *
 * The recorder and the replayer both need to know, for every x86-64 system
 * call a program may make: its name, how many arguments it takes, what the
 * replayer must do with it (emulate it from the recording, or execute it for
 * real because it shapes the address space or the process's kernel state), and
 * which bytes of the process's memory the kernel wrote when it completed.
 * That last part is the heart of recording: those bytes are the call's
 * nondeterministic output and are saved in the trace.
 *
 * A real call whose effects the table does not know, or a known one used in
 * a way it does not describe, is reported as an error naming it, never
 * guessed. A number or a command the kernel does not implement is not such a
 * call: it fails and writes nothing, which records exactly. sys_live.c holds
 * what needs the live process: the ABI of a call (int $0x80 from 64-bit code
 * is an i386 call) and the state the recorder emulates (rdtsc mode, CPU
 * affinity).
 */
#ifndef RRTUI_CORE_SYS_H
#define RRTUI_CORE_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/*
 * Call numbers. An x86-64 call is named by the kernel's own view of rax: the
 * low 32 bits as an int, sign-extended (syscall(-1) is -1). A call made with
 * `int $0x80` from 64-bit code runs the i386 table with the i386 registers;
 * it is named SYS_I386 | its i386 number, a value no x86-64 number takes (its
 * upper half is neither all zeros nor all ones), so the trace's number alone
 * says which ABI a call used.
 */
#define SYS_I386 (1LL << 32)

/* What the replayer does with a call. */
enum sys_replay {
	SYS_EMULATE,    /* skipped; result and written memory come from the trace */
	SYS_EXECUTE,    /* run for real and checked against the recording (mmap,
	                   munmap, mprotect, brk, mremap, madvise, arch_prctl,
	                   rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn,
	                   set_tid_address, set_robust_list, exit, exit_group, ...) */
	SYS_EXECVE,     /* execve/execveat: run for real, then the exec event */
	SYS_UNSUPPORTED,/* recording stops with an error naming it (io_uring_*,
	                   userfaultfd, ptrace, ...; clone with CLONE_VM or
	                   CLONE_THREAD is decided in sys_check) */
	SYS_NOSYS       /* a number the kernel does not implement: it answers
	                   -ENOSYS and touches nothing, so replay emulates it and
	                   compares all six arguments */
};

struct sys_info {
	const char *name;      /* "read", "openat", "i386:write", "nosys" */
	int nargs;             /* arguments compared between record and replay */
	enum sys_replay replay;
};

/* Entry for a call number (x86-64 or SYS_I386 | n): the table's entry, a
 * SYS_NOSYS entry for a number no kernel up to the table's implements, or
 * NULL (an i386 call the table does not describe, or a number whose upper
 * half is garbage: the recorder refuses both). */
const struct sys_info *sys_lookup(long nr);
/* Name of nr ("i386:write" for an i386 call), or NULL for a SYS_NOSYS
 * number and a number sys_lookup does not know. */
const char *sys_name(long nr);
/* Number for a name (also "i386:NAME"), or -1. */
long sys_number(const char *name);

/* The kernel the table is checked against. A running kernel newer than this
 * may implement numbers and commands the table does not know; they are then
 * refused before they run. */
#define SYS_TABLE_KERNEL_MAJOR 6
#define SYS_TABLE_KERNEL_MINOR 18

/* Reads len bytes of the tracee's memory at addr into buf; 0 or -1. */
typedef int (*sys_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);
/* Reads what /proc/PID/fdinfo/FD says of the tracee's descriptor fd into
 * buf (NUL-terminated); 0 or -1. */
typedef int (*sys_fdinfo_fn)(void *ctx, int fd, char *buf, size_t len);

/* What the table may learn of the recorded process and its kernel. */
struct sys_tracee {
	sys_read_fn read;
	sys_fdinfo_fn fdinfo;   /* may be NULL: bpf map lookups are then refused */
	void *ctx;
	int64_t pid;            /* process_vm_writev to this pid writes its memory */
	unsigned kernel;        /* SYS_KERNEL_* */
	int possible_cpus;      /* per-CPU bpf maps hold a value per possible CPU */
};
#define SYS_KERNEL_NEWER 1u /* newer than the table (sys_kernel_newer) */
#define SYS_KERNEL_X32 2u   /* the x32 ABI is enabled: 0x40000000 | n are calls */

/* Whether a kernel release string ("6.18.44-fc") is newer than the table. */
int sys_kernel_newer(const char *release);

/*
 * Called at syscall entry during recording, before the call runs: refuses
 * uses the table cannot record. Returns 0 when the call may run, or -1 with a
 * one-line message in err naming what is unsupported, e.g.
 * "unsupported system call io_uring_setup (425)" or "unsupported i386 system
 * call i386:mmap2 (192, made with int $0x80)". A number the kernel does not
 * implement may run (it fails with ENOSYS); so may a command of a multiplexed
 * call (ioctl, fcntl, prctl, ...) the table does not know, when the kernel is
 * not newer than the table: the kernel rejects it too, and sys_out_regions
 * refuses it if it succeeds after all.
 */
int sys_check(long nr, const uint64_t args[6], const struct sys_tracee *t,
              char *err, size_t errlen);

/* One range of memory the kernel wrote. */
struct sys_region {
	uint64_t addr;
	uint64_t len;
};

/*
 * Called at syscall exit during recording: fills out[] with the memory ranges
 * the kernel wrote for this call (buffers of read/pread/readv, structs of
 * stat/fstat/newfstatat/statx, getdents64, readlink, poll fds, select sets,
 * epoll_wait events, recvfrom/recvmsg (including name, control and the msghdr
 * lengths), getsockname, getsockopt, uname, sysinfo, times, getrusage,
 * clock_gettime, gettimeofday, time, getrandom, pipe/pipe2/socketpair fds,
 * wait4 status and rusage, rt_sigaction's old action, rt_sigprocmask's old
 * set, prlimit64's old limit, getcwd, ioctl by request (or by its _IOC
 * encoding), fcntl by command, nanosleep/clock_nanosleep remaining time,
 * sched_getaffinity, bpf by command, process_vm_readv/writev, ...).
 * Lengths come from the arguments or the result as the kernel defines them; a
 * failed call (result < 0) normally writes nothing. Pointers the kernel reads
 * (iovec arrays, msghdr) are read through t->read. Returns the number of
 * regions (at most max), or -1 with a message in err: also when a call
 * succeeded that the table let run only because it had to fail (an unknown
 * number that did not answer ENOSYS, an unknown command that succeeded).
 */
int sys_out_regions(long nr, const uint64_t args[6], int64_t result,
                    const struct sys_tracee *t, struct sys_region *out, int max,
                    char *err, size_t errlen);

/* Name of an ioctl request we know ("TCGETS"), or NULL. */
const char *sys_ioctl_name(uint64_t req);

/* Whether nr writes data to a descriptor the trace keeps for fds 1 and 2:
 * SYS_OUT_BUF (fd, buffer, length: write, pwrite64, also with int $0x80),
 * SYS_OUT_IOV (fd, iovec array, count: writev, pwritev, pwritev2), or 0. */
enum { SYS_OUT_NONE, SYS_OUT_BUF, SYS_OUT_IOV };
int sys_output_call(long nr);

/* Whether nr ends the process, so that no syscall-exit stop follows. */
int sys_ends_process(long nr);

/* ---- the live process (sys_live.c) -------------------------------------- */

/* Fills t for the recorded process pid: memory and fdinfo through /proc,
 * the running kernel's flags, the possible CPUs. t->ctx points to t. */
void sys_live_tracee(struct sys_tracee *t, pid_t pid);

/* The call at a syscall-entry stop as the kernel runs it: its number
 * (SYS_I386 | n for int $0x80, from PTRACE_GET_SYSCALL_INFO's arch, asked
 * only when rcx and r11 do not show a `syscall` instruction) and its
 * arguments (rdi, rsi, rdx, r10, r8, r9; or ebx, ecx, edx, esi, edi, ebp,
 * zero-extended, for i386). regs are the stop's registers. */
void sys_live_call(pid_t pid, const struct user_regs_struct *regs, long *nr, uint64_t args[6]);

/*
 * State the recorder emulates so that the program does not see it is
 * recorded: the rdtsc mode it set with PR_SET_TSC (the recorder's own
 * PR_TSC_SIGSEGV stays in force) and the CPU affinity it set (it stays
 * pinned to the recorder's CPU). Used around every recorded call.
 */
struct sys_emul {
	int tsc;                /* PR_TSC_ENABLE or PR_TSC_SIGSEGV as the program set it */
	int skipped;            /* the call at the last entry was skipped: its result is */
	int64_t skip_result;
	size_t nmask;           /* bytes of mask that matter (the kernel's cpumask size) */
	uint8_t mask[1024];     /* the affinity the program sees (8192 CPUs) */
};

/* Before the recorder pins itself: the affinity the program inherits. */
void sys_emul_init(struct sys_emul *e);
/* At a syscall entry stop, after sys_check: skips PR_SET_TSC (remembered).
 * 0 or -1 with err. */
int sys_emul_entry(struct sys_emul *e, pid_t pid, long nr, const uint64_t args[6],
                   char *err, size_t errlen);
/* At the exit stop: gives the program what it would see unrecorded
 * (PR_GET_TSC's mode, sched_getaffinity's mask, the skipped call's result)
 * and keeps it on the recorder's CPU after its sched_setaffinity; *result
 * is the call's result as the program sees it. 0 or -1 with err. */
int sys_emul_exit(struct sys_emul *e, pid_t pid, long nr, const uint64_t args[6],
                  int64_t *result, char *err, size_t errlen);
/* A forked child, about to run unrecorded: the affinity the program set. */
void sys_emul_child(const struct sys_emul *e, pid_t child);

#endif
