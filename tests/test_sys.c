/*
 * test_sys.c — unit tests for the system call table (core/sys.c).
 *
 * The table is checked against the installed kernel and libc headers where
 * they define the same thing (numbers, struct sizes, ioctl and fcntl values),
 * so a typo in a hand-written entry fails here rather than as a divergence in
 * some later replay. Out-region rules that read tracee memory (iovec arrays,
 * msghdr, clone_args) run against a fake address space built from test
 * buffers.
 */
#include "core/sys.h"

#include <asm/unistd.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/quota.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

/* The sizes sys.c hard-codes, as the headers see them on x86-64. */
_Static_assert(sizeof(struct stat) == 144, "struct stat");
_Static_assert(sizeof(struct statx) == 256, "struct statx");
_Static_assert(sizeof(struct statfs) == 120, "struct statfs");
_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event is packed");
_Static_assert(sizeof(struct utsname) == 390, "struct utsname");
_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo");
_Static_assert(sizeof(struct tms) == 32, "struct tms");
_Static_assert(sizeof(struct rusage) == 144, "struct rusage");
_Static_assert(sizeof(struct timespec) == 16, "struct timespec");
_Static_assert(sizeof(struct timeval) == 16, "struct timeval");
_Static_assert(sizeof(struct timezone) == 8, "struct timezone");
_Static_assert(sizeof(struct itimerspec) == 32, "struct itimerspec");
_Static_assert(sizeof(struct itimerval) == 32, "struct itimerval");
_Static_assert(sizeof(struct rlimit) == 16, "struct rlimit");
_Static_assert(sizeof(struct timex) == 208, "struct timex");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t");
_Static_assert(sizeof(stack_t) == 24, "stack_t");
_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd");
_Static_assert(sizeof(struct flock) == 32, "struct flock");
_Static_assert(sizeof(struct f_owner_ex) == 8, "struct f_owner_ex");
_Static_assert(sizeof(struct msghdr) == 56, "struct msghdr");
_Static_assert(offsetof(struct msghdr, msg_namelen) == 8, "msg_namelen");
_Static_assert(offsetof(struct msghdr, msg_controllen) == 40, "msg_controllen");
_Static_assert(offsetof(struct msghdr, msg_flags) == 48, "msg_flags");
_Static_assert(sizeof(struct mmsghdr) == 64, "struct mmsghdr");
_Static_assert(offsetof(struct mmsghdr, msg_len) == 56, "msg_len");
_Static_assert(sizeof(struct iovec) == 16, "struct iovec");
_Static_assert(sizeof(struct sockaddr_storage) == 128, "sockaddr_storage");
_Static_assert(sizeof(struct winsize) == 8, "struct winsize");
_Static_assert(sizeof(struct msqid_ds) == 120, "struct msqid_ds");
_Static_assert(sizeof(struct shmid_ds) == 112, "struct shmid_ds");
_Static_assert(sizeof(struct semid_ds) == 104, "struct semid_ds");
_Static_assert(sizeof(struct mq_attr) == 64, "struct mq_attr");
_Static_assert(sizeof(struct if_dqblk) == 72, "struct if_dqblk");
_Static_assert(sizeof(struct if_nextdqblk) == 72, "struct if_nextdqblk");
_Static_assert(sizeof(struct if_dqinfo) == 24, "struct if_dqinfo");
_Static_assert(sizeof(struct __user_cap_header_struct) == 8, "cap header");
_Static_assert(sizeof(struct __user_cap_data_struct) == 12, "cap data");
_Static_assert(sizeof(struct file_handle) == 8, "struct file_handle header");
_Static_assert(sizeof(struct sched_param) == 4, "struct sched_param");

/* ioctl and fcntl values the table spells out. */
_Static_assert(TCGETS == 0x5401 && TIOCGWINSZ == 0x5413 && FIONREAD == 0x541B, "tty ioctls");
_Static_assert(TIOCGPTN == 0x80045430 && TIOCSPTLCK == 0x40045431, "pty ioctls");
_Static_assert(TIOCGSID == 0x5429 && FIOCLEX == 0x5451 && FIONBIO == 0x5421, "ioctls");
_Static_assert(_IOR('T', 0x2A, char[44]) == 0x802C542A, "TCGETS2");
_Static_assert(BLKGETSIZE64 == 0x80081272 && FS_IOC_GETFLAGS == 0x80086601, "fs ioctls");
_Static_assert(FICLONE == 0x40049409 && FIGETBSZ == 2, "fs ioctls");
_Static_assert(F_GETLK == 5 && F_OFD_GETLK == 36 && F_GETOWN_EX == 16, "fcntl");
_Static_assert(F_GET_RW_HINT == 1035 && F_DUPFD_CLOEXEC == 1030, "fcntl");
_Static_assert(Q_GETQUOTA == 0x800007 && Q_GETINFO == 0x800005, "quotactl");

/* ------------------------------------------------------------------ */
/* A fake tracee address space: a few segments backed by test buffers. */

struct seg {
	uint64_t addr;
	void *buf;
	size_t len;
};

struct mem {
	struct seg seg[8];
	int n;
	int reads;
};

static void map(struct mem *m, uint64_t addr, void *buf, size_t len)
{
	m->seg[m->n].addr = addr;
	m->seg[m->n].buf = buf;
	m->seg[m->n].len = len;
	m->n++;
}

static int fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mem *m = ctx;

	m->reads++;
	for (int i = 0; i < m->n; i++) {
		struct seg *s = &m->seg[i];

		if (addr >= s->addr && addr + len <= s->addr + s->len) {
			memcpy(buf, (char *)s->buf + (addr - s->addr), len);
			return 0;
		}
	}
	return -1;
}

static struct sys_region reg[64];
static char err[256];

static int regions(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5, int64_t result, struct mem *m)
{
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };

	err[0] = '\0';
	memset(reg, 0, sizeof reg);
	return sys_out_regions(nr, args, result, fake_read, m, reg, 64, err, sizeof err);
}

static int check(long nr, uint64_t a0, uint64_t a1, uint64_t a2, struct mem *m)
{
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	err[0] = '\0';
	return sys_check(nr, args, fake_read, m, err, sizeof err);
}

#define REG(i, a, l) do { \
		ck_assert_uint_eq(reg[i].addr, (a)); \
		ck_assert_uint_eq(reg[i].len, (l)); \
	} while (0)

/* ------------------------------------------------------------------ */

START_TEST(test_lookup)
{
	static const struct { long nr; const char *name; } known[] = {
		{ __NR_read, "read" }, { __NR_write, "write" }, { __NR_openat, "openat" },
		{ __NR_newfstatat, "newfstatat" }, { __NR_statx, "statx" },
		{ __NR_getdents64, "getdents64" }, { __NR_pread64, "pread64" },
		{ __NR_prlimit64, "prlimit64" }, { __NR_rt_sigaction, "rt_sigaction" },
		{ __NR_mmap, "mmap" }, { __NR_exit_group, "exit_group" },
		{ __NR_clone3, "clone3" }, { __NR_io_uring_setup, "io_uring_setup" },
		{ __NR_epoll_pwait2, "epoll_pwait2" }, { __NR_rseq, "rseq" },
		{ __NR_futex_waitv, "futex_waitv" }, { __NR_pidfd_open, "pidfd_open" },
		{ __NR_set_mempolicy_home_node, "set_mempolicy_home_node" },
		{ __NR__sysctl, "_sysctl" }, { __NR_fadvise64, "fadvise64" },
		{ __NR_umount2, "umount2" }, { __NR_execveat, "execveat" },
	};

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		ck_assert_str_eq(sys_name(known[i].nr), known[i].name);
		ck_assert_int_eq(sys_number(known[i].name), known[i].nr);
		ck_assert_ptr_nonnull(sys_lookup(known[i].nr));
	}
	ck_assert_str_eq(sys_name(462), "mseal");
	ck_assert_ptr_null(sys_lookup(-1));
	ck_assert_ptr_null(sys_lookup(340));
	ck_assert_ptr_null(sys_lookup(999));
	ck_assert_ptr_null(sys_lookup(0x40000000L));  /* x32 */
	ck_assert_ptr_null(sys_name(999));
	ck_assert_int_eq(sys_number("nonesuch"), -1);
	ck_assert_int_eq(sys_number(NULL), -1);
}
END_TEST

/* Every name is unique, and every number the headers define is known. */
START_TEST(test_table_complete)
{
	int known = 0;

	for (long nr = 0; nr < 600; nr++) {
		const char *name = sys_name(nr);

		if (!name)
			continue;
		known++;
		ck_assert_int_eq(sys_number(name), nr);
		ck_assert_int_ge(sys_lookup(nr)->nargs, 0);
		ck_assert_int_le(sys_lookup(nr)->nargs, 6);
	}
	ck_assert_int_ge(known, 380);
	for (long nr = 0; nr <= __NR_set_mempolicy_home_node; nr++)
		if (nr <= 334 || nr >= 424)
			ck_assert_msg(sys_name(nr) != NULL, "no entry for %ld", nr);
}
END_TEST

START_TEST(test_nargs)
{
	static const struct { const char *name; int nargs; } n[] = {
		{ "read", 3 }, { "close", 1 }, { "mmap", 6 }, { "getpid", 0 },
		{ "rt_sigreturn", 0 }, { "openat", 4 }, { "newfstatat", 4 },
		{ "statx", 5 }, { "futex", 6 }, { "clone", 5 }, { "clone3", 2 },
		{ "recvfrom", 6 }, { "pselect6", 6 }, { "ppoll", 5 }, { "prctl", 5 },
		{ "preadv2", 6 }, { "execve", 3 }, { "execveat", 5 }, { "wait4", 4 },
		{ "rt_sigaction", 4 }, { "epoll_pwait", 6 }, { "copy_file_range", 6 },
	};

	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
		ck_assert_msg(sys_lookup(sys_number(n[i].name))->nargs == n[i].nargs,
		              "%s", n[i].name);
}
END_TEST

START_TEST(test_replay_kinds)
{
	static const char *const exec[] = {
		"mmap", "munmap", "mprotect", "brk", "mremap", "madvise", "mlock",
		"munlock", "mlockall", "munlockall", "mlock2", "arch_prctl",
		"rt_sigaction", "rt_sigprocmask", "sigaltstack", "rt_sigreturn",
		"set_tid_address", "set_robust_list", "exit", "exit_group",
	};
	static const char *const unsup[] = {
		"io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
		"perf_event_open", "ptrace", "process_vm_writev", "vmsplice", "bpf",
		"io_setup", "io_submit", "io_getevents",
	};
	static const char *const emu[] = {
		"read", "write", "openat", "close", "prctl", "ioctl", "clone", "fork",
		"wait4", "getpid", "clock_gettime", "futex", "kill",
	};

	for (size_t i = 0; i < sizeof exec / sizeof exec[0]; i++)
		ck_assert_msg(sys_lookup(sys_number(exec[i]))->replay == SYS_EXECUTE, "%s", exec[i]);
	for (size_t i = 0; i < sizeof unsup / sizeof unsup[0]; i++)
		ck_assert_msg(sys_lookup(sys_number(unsup[i]))->replay == SYS_UNSUPPORTED, "%s", unsup[i]);
	for (size_t i = 0; i < sizeof emu / sizeof emu[0]; i++)
		ck_assert_msg(sys_lookup(sys_number(emu[i]))->replay == SYS_EMULATE, "%s", emu[i]);
	ck_assert_int_eq(sys_lookup(__NR_execve)->replay, SYS_EXECVE);
	ck_assert_int_eq(sys_lookup(__NR_execveat)->replay, SYS_EXECVE);
}
END_TEST

START_TEST(test_check_unsupported)
{
	ck_assert_int_eq(check(999, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported system call 999");
	ck_assert_int_eq(check(__NR_io_uring_setup, 8, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported system call io_uring_setup (425)");
	ck_assert_int_eq(check(__NR_read, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(check(__NR_mmap, 0, 4096, 3, NULL), 0);
}
END_TEST

START_TEST(test_check_clone)
{
	struct mem m = { 0 };
	uint64_t ca[11] = { 0 };

	ck_assert_int_eq(check(__NR_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
	                       CLONE_THREAD | CLONE_SYSVSEM, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported: threads and vfork-style clone (clone flags 0x50f00)");
	/* glibc's fork() */
	ck_assert_int_eq(check(__NR_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
	                       0, 0, NULL), 0);
	ck_assert_int_eq(check(__NR_vfork, 0, 0, 0, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "vfork"));
	ck_assert_int_eq(check(__NR_fork, 0, 0, 0, NULL), 0);

	/* clone3 flags come from struct clone_args in tracee memory */
	map(&m, 0x10000, ca, sizeof ca);
	ca[0] = CLONE_VM | CLONE_VFORK;
	ck_assert_int_eq(check(__NR_clone3, 0x10000, 88, 0, &m), -1);
	ck_assert_str_eq(err, "unsupported: threads and vfork-style clone (clone flags 0x4100)");
	ca[0] = CLONE_PIDFD;
	ck_assert_int_eq(check(__NR_clone3, 0x10000, 88, 0, &m), 0);
	ck_assert_int_eq(check(__NR_clone3, 0x90000, 88, 0, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "clone_args"));

	/* CLONE_PIDFD stores the pidfd, CLONE_PARENT_SETTID the child's tid */
	ca[0] = CLONE_PIDFD | CLONE_PARENT_SETTID;
	ca[1] = 0x20000;
	ca[3] = 0x20010;
	ck_assert_int_eq(regions(__NR_clone3, 0x10000, 88, 0, 0, 0, 0, 1234, &m), 2);
	REG(0, 0x20000, 4);
	REG(1, 0x20010, 4);
	ck_assert_int_eq(regions(__NR_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, 0x30000, 0, 0, 0,
	                         1234, &m), 1);
	REG(0, 0x30000, 4);
}
END_TEST

START_TEST(test_read)
{
	ck_assert_int_eq(regions(__NR_read, 3, 0x1000, 4096, 0, 0, 0, 100, NULL), 1);
	REG(0, 0x1000, 100);
	ck_assert_int_eq(regions(__NR_read, 3, 0x1000, 4096, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_pread64, 3, 0x2000, 50, 7, 0, 0, 50, NULL), 1);
	REG(0, 0x2000, 50);
}
END_TEST

START_TEST(test_failed_writes_nothing)
{
	ck_assert_int_eq(regions(__NR_read, 3, 0x1000, 4096, 0, 0, 0, -EAGAIN, NULL), 0);
	ck_assert_int_eq(regions(__NR_fstat, 3, 0x1000, 0, 0, 0, 0, -EBADF, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 1, TCGETS, 0x1000, 0, 0, 0, -ENOTTY, NULL), 0);
	ck_assert_int_eq(regions(__NR_wait4, -1, 0x1000, 0, 0x2000, 0, 0, -ECHILD, NULL), 0);
	/* ...except a sleep interrupted by a signal, which stores what is left */
	ck_assert_int_eq(regions(__NR_nanosleep, 0x1000, 0x2000, 0, 0, 0, 0, -EINTR, NULL), 1);
	REG(0, 0x2000, 16);
	ck_assert_int_eq(regions(__NR_nanosleep, 0x1000, 0x2000, 0, 0, 0, 0, -EINVAL, NULL), 0);
}
END_TEST

START_TEST(test_readv)
{
	struct iovec iov[3] = {
		{ (void *)0x5000, 10 }, { (void *)0x6000, 0 }, { (void *)0x7000, 100 },
	};
	struct mem m = { 0 };

	map(&m, 0x4000, iov, sizeof iov);
	ck_assert_int_eq(regions(__NR_readv, 3, 0x4000, 3, 0, 0, 0, 25, &m), 2);
	REG(0, 0x5000, 10);
	REG(1, 0x7000, 15);
	/* a short read that ends inside the first buffer */
	ck_assert_int_eq(regions(__NR_preadv, 3, 0x4000, 3, 0, 0, 0, 4, &m), 1);
	REG(0, 0x5000, 4);
	ck_assert_int_eq(regions(__NR_preadv2, 3, 0x4000, 3, 0, 0, 0, 500, &m), 2);
	REG(1, 0x7000, 100);
	/* an unreadable iovec array is an error, not a guess */
	ck_assert_int_eq(regions(__NR_readv, 3, 0x9000, 3, 0, 0, 0, 25, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "readv"));
	/* too many regions for the caller's array */
	{
		uint64_t args[6] = { 3, 0x4000, 3, 0, 0, 0 };
		struct sys_region one[1];

		ck_assert_int_eq(sys_out_regions(__NR_readv, args, 25, fake_read, &m, one, 1,
		                                 err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "more than 1"));
	}
}
END_TEST

START_TEST(test_recvmsg)
{
	struct iovec iov[2] = { { (void *)0x5000, 8 }, { (void *)0x6000, 64 } };
	struct msghdr mh = {
		.msg_name = (void *)0x7000, .msg_namelen = 16,  /* as stored by the kernel */
		.msg_iov = (struct iovec *)0x4000, .msg_iovlen = 2,
		.msg_control = (void *)0x8000, .msg_controllen = 24,
	};
	struct mem m = { 0 };

	map(&m, 0x4000, iov, sizeof iov);
	map(&m, 0x3000, &mh, sizeof mh);
	ck_assert_int_eq(regions(__NR_recvmsg, 5, 0x3000, 0, 0, 0, 0, 20, &m), 7);
	REG(0, 0x5000, 8);
	REG(1, 0x6000, 12);
	REG(2, 0x7000, 16);
	REG(3, 0x8000, 24);
	REG(4, 0x3000 + offsetof(struct msghdr, msg_namelen), 4);
	REG(5, 0x3000 + offsetof(struct msghdr, msg_controllen), 8);
	REG(6, 0x3000 + offsetof(struct msghdr, msg_flags), 4);

	/* a stream socket: no name, no control data */
	mh.msg_name = NULL;
	mh.msg_namelen = 0;
	mh.msg_control = NULL;
	mh.msg_controllen = 0;
	ck_assert_int_eq(regions(__NR_recvmsg, 5, 0x3000, 0, 0, 0, 0, 5, &m), 4);
	REG(0, 0x5000, 5);
	ck_assert_int_eq(regions(__NR_recvmsg, 5, 0x3000, 0, 0, 0, 0, -EAGAIN, &m), 0);
	ck_assert_int_eq(regions(__NR_recvmsg, 5, 0xdead000, 0, 0, 0, 0, 5, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "msghdr"));
}
END_TEST

START_TEST(test_recvfrom_accept_sockopt)
{
	uint32_t len = 16;
	struct mem m = { 0 };

	map(&m, 0x9000, &len, sizeof len);
	ck_assert_int_eq(regions(__NR_recvfrom, 5, 0x1000, 100, 0, 0x2000, 0x9000, 40, &m), 3);
	REG(0, 0x1000, 40);
	REG(1, 0x2000, 16);
	REG(2, 0x9000, 4);
	/* MSG_TRUNC: the result is the datagram's length, the buffer is smaller */
	ck_assert_int_eq(regions(__NR_recvfrom, 5, 0x1000, 100, MSG_TRUNC, 0, 0, 400, &m), 1);
	REG(0, 0x1000, 100);
	ck_assert_int_eq(regions(__NR_accept4, 5, 0x2000, 0x9000, 0, 0, 0, 6, &m), 2);
	REG(0, 0x2000, 16);
	ck_assert_int_eq(regions(__NR_getsockopt, 5, SOL_SOCKET, SO_ERROR, 0x2000, 0x9000, 0, 0, &m), 2);
	REG(0, 0x2000, 16);
	REG(1, 0x9000, 4);
}
END_TEST

START_TEST(test_stat_family)
{
	ck_assert_int_eq(regions(__NR_newfstatat, AT_FDCWD, 0x1000, 0x2000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 144);
	ck_assert_int_eq(regions(__NR_fstat, 3, 0x2000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 144);
	ck_assert_int_eq(regions(__NR_statx, AT_FDCWD, 0x1000, 0, 0x7ff, 0x3000, 0, 0, NULL), 1);
	REG(0, 0x3000, 256);
	ck_assert_int_eq(regions(__NR_fstatfs, 3, 0x2000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 120);
	ck_assert_int_eq(regions(__NR_getdents64, 3, 0x4000, 32768, 0, 0, 0, 480, NULL), 1);
	REG(0, 0x4000, 480);
	ck_assert_int_eq(regions(__NR_getdents64, 3, 0x4000, 32768, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_readlinkat, AT_FDCWD, 0x1000, 0x5000, 4096, 0, 0, 9, NULL), 1);
	REG(0, 0x5000, 9);
	ck_assert_int_eq(regions(__NR_uname, 0x6000, 0, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x6000, 390);
}
END_TEST

START_TEST(test_select)
{
	/* nfds 65 needs two 64-bit words per set; a NULL set is skipped */
	ck_assert_int_eq(regions(__NR_select, 65, 0x1000, 0, 0x3000, 0x4000, 0, 1, NULL), 3);
	REG(0, 0x1000, 16);
	REG(1, 0x3000, 16);
	REG(2, 0x4000, 16);
	ck_assert_int_eq(regions(__NR_select, 1, 0x1000, 0x2000, 0, 0, 0, 0, NULL), 2);
	REG(0, 0x1000, 8);
	REG(1, 0x2000, 8);
	ck_assert_int_eq(regions(__NR_pselect6, 64, 0x1000, 0, 0, 0x5000, 0x6000, 1, NULL), 2);
	REG(0, 0x1000, 8);
	REG(1, 0x5000, 16);
	/* interrupted: the sets are untouched, the remaining time is stored */
	ck_assert_int_eq(regions(__NR_select, 5, 0x1000, 0, 0, 0x4000, 0, -EINTR, NULL), 1);
	REG(0, 0x4000, 16);
}
END_TEST

START_TEST(test_epoll_poll)
{
	ck_assert_int_eq(regions(__NR_epoll_wait, 4, 0x1000, 64, -1, 0, 0, 3, NULL), 1);
	REG(0, 0x1000, 36);
	ck_assert_int_eq(regions(__NR_epoll_pwait, 4, 0x1000, 64, -1, 0, 8, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_epoll_pwait2, 4, 0x1000, 64, 0x2000, 0, 8, 2, NULL), 1);
	REG(0, 0x1000, 24);
	/* poll stores every revents, not just the ready ones */
	ck_assert_int_eq(regions(__NR_poll, 0x1000, 5, 100, 0, 0, 0, 1, NULL), 1);
	REG(0, 0x1000, 40);
	ck_assert_int_eq(regions(__NR_poll, 0x1000, 5, 100, 0, 0, 0, -516, NULL), 1);
	ck_assert_int_eq(regions(__NR_ppoll, 0x1000, 2, 0x2000, 0, 8, 0, 0, NULL), 2);
	REG(0, 0x1000, 16);
	REG(1, 0x2000, 16);
}
END_TEST

START_TEST(test_ioctl)
{
	ck_assert_str_eq(sys_ioctl_name(TCGETS), "TCGETS");
	ck_assert_str_eq(sys_ioctl_name(TIOCGWINSZ), "TIOCGWINSZ");
	ck_assert_str_eq(sys_ioctl_name(0xffffffff802c542aULL), "TCGETS2");
	ck_assert_ptr_null(sys_ioctl_name(0x1234));

	/* known requests are recordable on any fd, even when they will fail */
	ck_assert_int_eq(check(__NR_ioctl, 3, TCGETS, 0x1000, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 0, TCGETS, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 36);
	ck_assert_int_eq(regions(__NR_ioctl, 1, TIOCGWINSZ, 0x2000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 8);
	ck_assert_int_eq(regions(__NR_ioctl, 1, TIOCSWINSZ, 0x2000, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 1, FIONBIO, 0x2000, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 7, BLKGETSIZE64, 0x2000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 8);

	ck_assert_int_eq(check(__NR_ioctl, 3, 0x80085501, 0x1000, NULL), -1);
	ck_assert_str_eq(err, "unsupported ioctl 0x80085501 (_IOR('U', 0x1, 8)) on fd 3");
	ck_assert_int_eq(check(__NR_ioctl, 4, 0x541E, 0x1000, NULL), -1);
	ck_assert_str_eq(err, "unsupported ioctl 0x541e (TIOCGSERIAL) on fd 4");
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x80085501, 0x1000, 0, 0, 0, 0, NULL), -1);
}
END_TEST

START_TEST(test_fcntl)
{
	ck_assert_int_eq(check(__NR_fcntl, 3, F_GETLK, 0x1000, NULL), 0);
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_GETLK, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 32);
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_OFD_GETLK, 0x1000, 0, 0, 0, 0, NULL), 1);
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_SETFD, FD_CLOEXEC, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_GETFL, 0, 0, 0, 0, O_RDWR, NULL), 0);
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_GETOWN_EX, 0x2000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 8);
	ck_assert_int_eq(check(__NR_fcntl, 3, 77, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported fcntl command 77 on fd 3");
}
END_TEST

START_TEST(test_signals_and_wait)
{
	ck_assert_int_eq(regions(__NR_rt_sigaction, SIGINT, 0x1000, 0x2000, 8, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 32);
	ck_assert_int_eq(regions(__NR_rt_sigaction, SIGINT, 0x1000, 0, 8, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_rt_sigprocmask, SIG_BLOCK, 0x1000, 0x2000, 8, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 8);
	ck_assert_int_eq(regions(__NR_sigaltstack, 0, 0x2000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 24);
	ck_assert_int_eq(regions(__NR_wait4, -1, 0x1000, 0, 0x2000, 0, 0, 1234, NULL), 2);
	REG(0, 0x1000, 4);
	REG(1, 0x2000, 144);
	/* WNOHANG with no child ready */
	ck_assert_int_eq(regions(__NR_wait4, -1, 0x1000, 1, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_prlimit64, 0, RLIMIT_STACK, 0, 0x3000, 0, 0, 0, NULL), 1);
	REG(0, 0x3000, 16);
}
END_TEST

START_TEST(test_misc)
{
	ck_assert_int_eq(regions(__NR_clock_gettime, CLOCK_MONOTONIC, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 16);
	ck_assert_int_eq(regions(__NR_gettimeofday, 0x1000, 0, 0, 0, 0, 0, 0, NULL), 1);
	ck_assert_int_eq(regions(__NR_time, 0, 0, 0, 0, 0, 0, 1700000000, NULL), 0);
	ck_assert_int_eq(regions(__NR_getrandom, 0x1000, 16, 0, 0, 0, 0, 16, NULL), 1);
	REG(0, 0x1000, 16);
	ck_assert_int_eq(regions(__NR_pipe2, 0x1000, O_CLOEXEC, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 8);
	ck_assert_int_eq(regions(__NR_mincore, 0x10000, 4097, 0x2000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x2000, 2);
	ck_assert_int_eq(regions(__NR_getgroups, 32, 0x1000, 0, 0, 0, 0, 3, NULL), 1);
	REG(0, 0x1000, 12);
	ck_assert_int_eq(regions(__NR_getgroups, 0, 0, 0, 0, 0, 0, 3, NULL), 0);
	ck_assert_int_eq(regions(__NR_prctl, PR_GET_NAME, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 16);
	ck_assert_int_eq(regions(__NR_arch_prctl, 0x1003, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 8);
	ck_assert_int_eq(regions(__NR_copy_file_range, 3, 0x1000, 4, 0, 100, 0, 100, NULL), 1);
	REG(0, 0x1000, 8);
	ck_assert_int_eq(regions(__NR_futex, 0x1000, 0 /* WAIT */, 0, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_write, 1, 0x1000, 10, 0, 0, 0, 10, NULL), 0);
	ck_assert_int_eq(check(__NR_prctl, PR_SET_TSC, 2, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported prctl PR_SET_TSC (26)");
	ck_assert_int_eq(check(__NR_prctl, PR_SET_NAME, 0x1000, 0, NULL), 0);
	ck_assert_int_eq(check(__NR_prctl, 9999, 0, 0, NULL), -1);
}
END_TEST


START_TEST(test_more_rules)
{
	struct iovec iov = { (void *)0x5000, 100 };
	struct mmsghdr mm[2];
	struct mem m = { 0 };

	memset(mm, 0, sizeof mm);
	for (int i = 0; i < 2; i++) {
		mm[i].msg_hdr.msg_iov = (struct iovec *)0x4000;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_len = 10 + i;
	}
	map(&m, 0x4000, &iov, sizeof iov);
	map(&m, 0x3000, mm, sizeof mm);
	/* per message: payload, namelen, controllen, flags, then msg_len */
	ck_assert_int_eq(regions(__NR_recvmmsg, 5, 0x3000, 2, 0, 0, 0, 2, &m), 10);
	REG(0, 0x5000, 10);
	REG(4, 0x3000 + offsetof(struct mmsghdr, msg_len), 4);
	REG(5, 0x5000, 11);
	REG(9, 0x3000 + sizeof mm[0] + offsetof(struct mmsghdr, msg_len), 4);
	ck_assert_int_eq(regions(__NR_sendmmsg, 5, 0x3000, 2, 0, 0, 0, 2, &m), 2);
	REG(1, 0x3000 + sizeof mm[0] + offsetof(struct mmsghdr, msg_len), 4);

	/* nfds is an int: garbage in the upper half of the register is ignored */
	ck_assert_int_eq(regions(__NR_select, 0xdeadbeef00000001ULL, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 8);
	/* getxattr with size 0 only asks for the length */
	ck_assert_int_eq(regions(__NR_getxattr, 0x1000, 0x2000, 0x3000, 0, 0, 0, 42, NULL), 0);
	ck_assert_int_eq(regions(__NR_fgetxattr, 3, 0x2000, 0x3000, 64, 0, 0, 42, NULL), 1);
	REG(0, 0x3000, 42);
	/* keyctl(KEYCTL_READ, key, buffer, buflen): the result is the full size */
	ck_assert_int_eq(regions(__NR_keyctl, 11, 5, 0x3000, 16, 0, 0, 40, NULL), 1);
	REG(0, 0x3000, 16);
	ck_assert_int_eq(check(__NR_keyctl, 99, 0, 0, NULL), -1);
	/* semctl GETALL needs a count the arguments do not carry */
	{
		const uint64_t args[6] = { 1, 0, 13 /* GETALL */, 0x1000, 0, 0 };

		ck_assert_int_eq(sys_check(__NR_semctl, args, NULL, NULL, err, sizeof err), -1);
		ck_assert_str_eq(err, "unsupported semctl command 13");
	}
	ck_assert_int_eq(regions(__NR_shmctl, 1, IPC_STAT, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 112);
}
END_TEST

static Suite *sys_suite(void)
{
	Suite *s = suite_create("sys");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_table_complete);
	tcase_add_test(tc, test_nargs);
	tcase_add_test(tc, test_replay_kinds);
	tcase_add_test(tc, test_check_unsupported);
	tcase_add_test(tc, test_check_clone);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_failed_writes_nothing);
	tcase_add_test(tc, test_readv);
	tcase_add_test(tc, test_recvmsg);
	tcase_add_test(tc, test_recvfrom_accept_sockopt);
	tcase_add_test(tc, test_stat_family);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_epoll_poll);
	tcase_add_test(tc, test_ioctl);
	tcase_add_test(tc, test_fcntl);
	tcase_add_test(tc, test_signals_and_wait);
	tcase_add_test(tc, test_misc);
	tcase_add_test(tc, test_more_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sys_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
