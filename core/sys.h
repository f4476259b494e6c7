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
 * An unknown system call, or a known one used in a way the table does not
 * describe (an ioctl request, an fcntl command, a socket option it does not
 * know), is reported as an error naming it, never guessed.
 */
#ifndef RRTUI_CORE_SYS_H
#define RRTUI_CORE_SYS_H

#include <stddef.h>
#include <stdint.h>

/* What the replayer does with a call. */
enum sys_replay {
	SYS_EMULATE,    /* skipped; result and written memory come from the trace */
	SYS_EXECUTE,    /* run for real and checked against the recording (mmap,
	                   munmap, mprotect, brk, mremap, madvise, arch_prctl,
	                   rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn,
	                   set_tid_address, set_robust_list, exit, exit_group, ...) */
	SYS_EXECVE,     /* execve/execveat: run for real, then the exec event */
	SYS_UNSUPPORTED /* recording stops with an error naming it (io_uring_*,
	                   userfaultfd, perf_event_open, ptrace, clone with
	                   CLONE_VM/CLONE_THREAD is decided in sys_check) */
};

struct sys_info {
	const char *name;      /* "read", "openat", ... */
	int nargs;             /* arguments compared between record and replay */
	enum sys_replay replay;
};

/* Entry for syscall number nr, or NULL when nr is not in the table. */
const struct sys_info *sys_lookup(long nr);
/* Name of nr, or NULL. */
const char *sys_name(long nr);
/* Number for a name, or -1. */
long sys_number(const char *name);

/* Reads len bytes of the tracee's memory at addr into buf; 0 or -1. */
typedef int (*sys_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/*
 * Called at syscall entry during recording, before the call runs: refuses
 * uses the table cannot record. Returns 0 when the call may run, or -1 with a
 * one-line message in err naming what is unsupported, e.g.
 * "unsupported ioctl 0x5401 on fd 3 (request TCGETS is known, this is ...)"
 * or "unsupported system call io_uring_setup (425)".
 */
int sys_check(long nr, const uint64_t args[6], sys_read_fn rd, void *ctx,
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
 * set, prlimit64's old limit, getcwd, ioctl by request, fcntl by command,
 * nanosleep/clock_nanosleep remaining time, sched_getaffinity, ...).
 * Lengths come from the arguments or the result as the kernel defines them; a
 * failed call (result < 0) normally writes nothing. Pointers the kernel reads
 * (iovec arrays, msghdr) are read through rd. Returns the number of regions
 * (at most max), or -1 with a message in err.
 */
int sys_out_regions(long nr, const uint64_t args[6], int64_t result,
                    sys_read_fn rd, void *ctx, struct sys_region *out, int max,
                    char *err, size_t errlen);

/* Name of an ioctl request we know ("TCGETS"), or NULL. */
const char *sys_ioctl_name(uint64_t req);

#endif
