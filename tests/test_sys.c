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
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/dqblk_xfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/perf_event.h>
#include <linux/quota.h>
#include <linux/serial.h>
#include <linux/sockios.h>
#include <linux/vt.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
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
_Static_assert(sizeof(struct ifreq) == 40 && sizeof(struct ifconf) == 16, "struct ifreq");
_Static_assert(sizeof(struct arpreq) == 68, "struct arpreq");
_Static_assert(sizeof(struct serial_struct) == 72, "struct serial_struct");
_Static_assert(sizeof(struct serial_icounter_struct) == 80, "struct serial_icounter_struct");
_Static_assert(sizeof(struct vt_mode) == 8 && sizeof(struct vt_stat) == 6, "vt structs");
_Static_assert(sizeof(struct vt_event) == 28, "struct vt_event");
_Static_assert(sizeof(struct fiemap) == 32 && sizeof(struct fiemap_extent) == 56, "fiemap");
_Static_assert(offsetof(struct fiemap, fm_mapped_extents) == 20, "fm_mapped_extents");
_Static_assert(offsetof(struct fiemap, fm_extent_count) == 24, "fm_extent_count");
_Static_assert(sizeof(struct file_dedupe_range) == 24, "struct file_dedupe_range");
_Static_assert(offsetof(struct file_dedupe_range, dest_count) == 16, "dest_count");
_Static_assert(sizeof(struct file_dedupe_range_info) == 32, "struct file_dedupe_range_info");
_Static_assert(sizeof(struct fs_disk_quota) == 112 && sizeof(struct fs_quota_stat) == 80 &&
               sizeof(struct fs_quota_statv) == 160, "XFS quota structs");
_Static_assert(offsetof(union bpf_attr, value) == 16 && offsetof(union bpf_attr, next_key) == 16,
               "bpf_attr elem ops");
_Static_assert(offsetof(union bpf_attr, log_level) == 24 && offsetof(union bpf_attr, log_size) == 28 &&
               offsetof(union bpf_attr, log_buf) == 32, "bpf_attr prog load log");
_Static_assert(offsetof(union bpf_attr, func_info_rec_size) == 76 &&
               offsetof(union bpf_attr, line_info_rec_size) == 92, "bpf_attr record sizes");
/* log_true_size (newer headers) follows core_relo_rec_size */
_Static_assert(offsetof(union bpf_attr, core_relo_rec_size) == 136, "bpf_attr log_true_size at 140");
_Static_assert(offsetof(union bpf_attr, btf_log_buf) == 8 && offsetof(union bpf_attr, btf_log_size) == 20 &&
               offsetof(union bpf_attr, btf_log_level) == 24, "bpf_attr BTF log");
_Static_assert(offsetof(union bpf_attr, next_id) == 4, "bpf_attr next_id");
_Static_assert(offsetof(struct perf_event_attr, size) == 4, "perf_event_attr.size");

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
_Static_assert(Q_XGETQUOTA == 0x5803 && Q_XGETQSTAT == 0x5805 && Q_XGETQSTATV == 0x5808, "XFS quotactl");
_Static_assert(TUNGETIFF == 0x800454d2 && TUNSETIFF == 0x400454ca, "TUN ioctls");
_Static_assert(FS_IOC_FIEMAP == 0xc020660b && FIDEDUPERANGE == 0xc0189436, "fs ioctls");
_Static_assert(SIOCGIFCONF == 0x8912 && SIOCGIFFLAGS == 0x8913 && SIOCBRDELBR == 0x89a1, "socket ioctls");
_Static_assert(VT_OPENQRY == 0x5600 && VT_GETSTATE == 0x5603 && TIOCGSERIAL == 0x541E, "VT and serial");
_Static_assert(PERF_EVENT_IOC_ENABLE == 0x2400 && PERF_EVENT_IOC_ID == 0x80082407, "perf ioctls");

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

	if (!m)
		return -1;

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

/* What the fake process's kernel is like, and /proc/PID/fdinfo of its
 * descriptor 5 (a bpf map) for the tests that set it. */
static unsigned kernel_flags;
static const char *fdinfo5;

static int fake_fdinfo(void *ctx, int fd, char *buf, size_t len)
{
	(void)ctx;
	if (fd != 5 || !fdinfo5)
		return -1;
	snprintf(buf, len, "%s", fdinfo5);
	return 0;
}

static struct sys_tracee tracee(struct mem *m)
{
	struct sys_tracee t = {
		.read = fake_read, .fdinfo = fake_fdinfo, .ctx = m, .pid = 4321,
		.kernel = kernel_flags, .possible_cpus = 4,
	};
	return t;
}

static int regions(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5, int64_t result, struct mem *m)
{
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };
	struct sys_tracee t = tracee(m);

	err[0] = '\0';
	memset(reg, 0, sizeof reg);
	return sys_out_regions(nr, args, result, &t, reg, 64, err, sizeof err);
}

static int check(long nr, uint64_t a0, uint64_t a1, uint64_t a2, struct mem *m)
{
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	struct sys_tracee t = tracee(m);

	err[0] = '\0';
	return sys_check(nr, args, &t, err, sizeof err);
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
	/* numbers no kernel the table knows implements: -ENOSYS */
	ck_assert_int_eq(sys_lookup(-1)->replay, SYS_NOSYS);
	ck_assert_int_eq(sys_lookup(340)->replay, SYS_NOSYS);
	ck_assert_int_eq(sys_lookup(999)->replay, SYS_NOSYS);
	ck_assert_int_eq(sys_lookup(0x40000000L)->replay, SYS_NOSYS);  /* x32 */
	ck_assert_int_eq(sys_lookup(-1)->nargs, 6);
	ck_assert_ptr_null(sys_name(999));
	ck_assert_ptr_null(sys_name(-1));
	/* an upper half that is not a sign extension: no entry */
	ck_assert_ptr_null(sys_lookup(0x200000001L));
	ck_assert_ptr_null(sys_lookup(0xffffffffL));
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
		"ptrace", "vmsplice", "io_setup", "io_submit", "io_getevents",
	};
	static const char *const emu[] = {
		"read", "write", "openat", "close", "prctl", "ioctl", "clone", "fork",
		"wait4", "getpid", "clock_gettime", "futex", "kill", "bpf",
		"perf_event_open", "process_vm_readv", "process_vm_writev",
		"sched_setaffinity", "sched_getaffinity", "mbind", "set_mempolicy",
		"get_mempolicy", "syslog",
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
		struct sys_tracee t = tracee(&m);

		ck_assert_int_eq(sys_out_regions(__NR_readv, args, 25, &t, one, 1, err, sizeof err), -1);
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

	/* legacy requests with their real structures */
	ck_assert_int_eq(regions(__NR_ioctl, 4, TIOCGSERIAL, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 72);
	ck_assert_int_eq(regions(__NR_ioctl, 4, VT_GETSTATE, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 6);
	ck_assert_int_eq(regions(__NR_ioctl, 4, SIOCGIFHWADDR, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 40);
	ck_assert_int_eq(regions(__NR_ioctl, 4, SIOCBRADDBR, 0x1000, 0, 0, 0, 0, NULL), 0);
	/* TUNGETIFF is encoded as reading an int and stores a struct ifreq */
	ck_assert_int_eq(regions(__NR_ioctl, 4, TUNGETIFF, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 40);
	ck_assert_int_eq(regions(__NR_ioctl, 4, TUNSETIFF, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 40);
	ck_assert_str_eq(sys_ioctl_name(PERF_EVENT_IOC_ENABLE), "PERF_EVENT_IOC_ENABLE");
}
END_TEST

/* Requests outside the table: their _IOC encoding says what they write. */
START_TEST(test_ioctl_encoding)
{
	/* every request may run: a failing one writes nothing */
	ck_assert_int_eq(check(__NR_ioctl, 3, 0x80085501, 0x1000, NULL), 0);
	ck_assert_int_eq(check(__NR_ioctl, 3, 0x5499, 0x1000, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x80085501, 0x1000, 0, 0, 0, -ENOTTY, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x5499, 0x1000, 0, 0, 0, -EINVAL, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x4B33, 0x1000, 0, 0, 0, -EBADF, NULL), 0);
	/* _IOR and _IOWR: _IOC_SIZE bytes; _IOW and _IO: nothing */
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IOR('x', 1, char[24]), 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 24);
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IOWR('x', 2, char[300]), 0x1000, 0, 0, 0, 5, NULL), 1);
	REG(0, 0x1000, 300);
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IOW('x', 3, char[24]), 0x1000, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IO('$', 0), 0, 0, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_ioctl, 3, FS_IOC_GETFSLABEL, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, FSLABEL_MAX);
	/* a legacy request (no encoding) the table does not name, or one
	 * that writes through pointers in its argument: refused if it succeeds */
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x5499, 0x1000, 0, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported ioctl 0x5499 (type 0x54, number 0x99) on fd 3: it "
	                 "succeeded, and rrtui does not know what it wrote");
	ck_assert_int_eq(regions(__NR_ioctl, 3, SIOCETHTOOL, 0x1000, 0, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported ioctl 0x8946 (SIOCETHTOOL) on fd 3: it succeeded, and "
	                 "rrtui does not know what it wrote");
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IOWR('d', 0, char[64]), 0x1000, 0, 0, 0, 0, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "_IOWR('d', 0x0, 64)"));
	ck_assert_int_eq(regions(__NR_ioctl, 3, 0x89f3, 0x1000, 0, 0, 0, 0, NULL), -1);
	/* an _IO request outside the legacy types wrote nothing */
	ck_assert_int_eq(regions(__NR_ioctl, 3, _IO(0xAE, 1), 0, 0, 0, 0, 4, NULL), 0);
}
END_TEST

/* Requests whose output size is in their argument. */
START_TEST(test_ioctl_structs)
{
	struct mem m = { 0 };
	struct {
		int32_t len, pad;
		uint64_t buf;
	} ifc = { 80, 0, 0x5000 };
	struct fiemap fm = { 0 };
	struct file_dedupe_range fd = { 0 };

	map(&m, 0x1000, &ifc, sizeof ifc);
	ck_assert_int_eq(regions(__NR_ioctl, 3, SIOCGIFCONF, 0x1000, 0, 0, 0, 0, &m), 2);
	REG(0, 0x1000, 4);
	REG(1, 0x5000, 80);
	ifc.buf = 0;   /* length only */
	ck_assert_int_eq(regions(__NR_ioctl, 3, SIOCGIFCONF, 0x1000, 0, 0, 0, 0, &m), 1);
	REG(0, 0x1000, 4);
	ck_assert_int_eq(regions(__NR_ioctl, 3, SIOCGIFCONF, 0x9000, 0, 0, 0, 0, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "SIOCGIFCONF"));

	fm.fm_mapped_extents = 3;
	fm.fm_extent_count = 8;
	map(&m, 0x2000, &fm, sizeof fm);
	ck_assert_int_eq(regions(__NR_ioctl, 3, FS_IOC_FIEMAP, 0x2000, 0, 0, 0, 0, &m), 1);
	REG(0, 0x2000, 32 + 3 * 56);
	fm.fm_extent_count = 0;   /* counting only */
	ck_assert_int_eq(regions(__NR_ioctl, 3, FS_IOC_FIEMAP, 0x2000, 0, 0, 0, 0, &m), 1);
	REG(0, 0x2000, 32);

	fd.dest_count = 2;
	map(&m, 0x3000, &fd, sizeof fd);
	ck_assert_int_eq(regions(__NR_ioctl, 3, FIDEDUPERANGE, 0x3000, 0, 0, 0, 0, &m), 1);
	REG(0, 0x3000, 24 + 2 * 32);
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
}
END_TEST

/* Commands of multiplexed calls the table does not know: the kernel rejects
 * them too (the table covers it), so they run and their failure is
 * recorded; one that succeeds after all is refused. On a kernel newer than
 * the table they are refused before they run. */
START_TEST(test_unknown_commands)
{
	static const struct { long nr; uint64_t a0, a1, a2; const char *name; } c[] = {
		{ __NR_fcntl, 3, 77, 0, "fcntl command 77 on fd 3" },
		{ __NR_prctl, 9999, 0, 0, "prctl option 9999" },
		{ __NR_msgctl, 1, 99, 0, "msgctl command 99" },
		{ __NR_shmctl, 1, 99, 0, "shmctl command 99" },
		{ __NR_semctl, 1, 0, 99, "semctl command 99" },
		{ __NR_keyctl, 99, 0, 0, "keyctl operation 99" },
		{ __NR_quotactl, 0x12345600, 0, 0, "quotactl command 0x12345600" },
		{ __NR_bpf, 999, 0, 0, "bpf command 999" },
	};

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char want[200];

		kernel_flags = 0;
		ck_assert_msg(check(c[i].nr, c[i].a0, c[i].a1, c[i].a2, NULL) == 0, "%s", c[i].name);
		ck_assert_int_eq(regions(c[i].nr, c[i].a0, c[i].a1, c[i].a2, 0x1000, 0x1000, 0,
		                         -EINVAL, NULL), 0);
		ck_assert_int_eq(regions(c[i].nr, c[i].a0, c[i].a1, c[i].a2, 0x1000, 0x1000, 0, 0,
		                         NULL), -1);
		snprintf(want, sizeof want, "unsupported %s: the kernel accepted it, and rrtui does "
		         "not know what it writes", c[i].name);
		ck_assert_str_eq(err, want);
		kernel_flags = SYS_KERNEL_NEWER;
		ck_assert_msg(check(c[i].nr, c[i].a0, c[i].a1, c[i].a2, NULL) == -1, "%s", c[i].name);
		ck_assert_ptr_nonnull(strstr(err, "newer than the 6.18 its table knows"));
	}
	kernel_flags = 0;
	/* a known command still records what it writes */
	ck_assert_int_eq(regions(__NR_fcntl, 3, F_GETLK, 0x1000, 0, 0, 0, 0, NULL), 1);
	/* known commands rrtui cannot record are refused before they run */
	ck_assert_int_eq(check(__NR_semctl, 1, 0, 13 /* GETALL */, NULL), -1);
	ck_assert_str_eq(err, "unsupported semctl command 13");
	ck_assert_int_eq(check(__NR_prctl, PR_SET_MM, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported prctl PR_SET_MM (35)");
	ck_assert_int_eq(check(__NR_bpf, BPF_PROG_TEST_RUN, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported bpf command BPF_PROG_TEST_RUN (10)");
	/* the kernel takes prctl's option as an int */
	ck_assert_int_eq(regions(__NR_prctl, 0xffffffff00000000ULL | PR_GET_NAME, 0x1000, 0, 0, 0,
	                         0, 0, NULL), 1);
}
END_TEST

/* quotactl's subcommands sit above the type byte (they were compared with
 * the wrong constants before, so that every command was refused). */
/* linux/quota.h's QCMD shifts an int past its sign bit */
#define QC(cmd, type) ((uint64_t)(((uint32_t)(cmd) << 8) | ((type) & 0xff)))

START_TEST(test_quotactl)
{
	ck_assert_int_eq(check(__NR_quotactl, QC(Q_GETQUOTA, USRQUOTA), 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_quotactl, QC(Q_GETQUOTA, USRQUOTA), 0x100, 1000, 0x2000,
	                         0, 0, 0, NULL), 1);
	REG(0, 0x2000, sizeof(struct if_dqblk));
	ck_assert_int_eq(regions(__NR_quotactl, QC(Q_GETINFO, GRPQUOTA), 0x100, 0, 0x2000,
	                         0, 0, 0, NULL), 1);
	REG(0, 0x2000, sizeof(struct if_dqinfo));
	ck_assert_int_eq(regions(__NR_quotactl, QC(Q_GETFMT, USRQUOTA), 0x100, 0, 0x2000,
	                         0, 0, 0, NULL), 1);
	REG(0, 0x2000, 4);
	ck_assert_int_eq(regions(__NR_quotactl, QC(Q_SYNC, USRQUOTA), 0x100, 0, 0x2000,
	                         0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_quotactl, QC(Q_XGETQSTAT, USRQUOTA), 0x100, 0, 0x2000,
	                         0, 0, 0, NULL), 1);
	REG(0, 0x2000, sizeof(struct fs_quota_stat));
	ck_assert_int_eq(regions(__NR_quotactl_fd, 3, QC(Q_XGETQUOTA, PRJQUOTA), 7, 0x2000,
	                         0, 0, 0, NULL), 1);
	REG(0, 0x2000, sizeof(struct fs_disk_quota));
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
	/* PR_SET_TSC is emulated by the recorder (sys_emul) */
	ck_assert_int_eq(check(__NR_prctl, PR_SET_TSC, 2, 0, NULL), 0);
	ck_assert_int_eq(regions(__NR_prctl, PR_GET_TSC, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 4);
	ck_assert_int_eq(check(__NR_prctl, PR_SET_NAME, 0x1000, 0, NULL), 0);
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
	/* semctl GETALL needs a count the arguments do not carry (a NULL
	 * tracee is one that tells nothing) */
	{
		const uint64_t args[6] = { 1, 0, 13 /* GETALL */, 0x1000, 0, 0 };

		ck_assert_int_eq(sys_check(__NR_semctl, args, NULL, err, sizeof err), -1);
		ck_assert_str_eq(err, "unsupported semctl command 13");
	}
	ck_assert_int_eq(regions(__NR_shmctl, 1, IPC_STAT, 0x1000, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 112);
}
END_TEST

/* Numbers the kernel does not implement answer -ENOSYS and write nothing:
 * recorded, unless the kernel might implement them after all. */
START_TEST(test_nosys)
{
	static const long nosys[] = { -1, 999, -10, 337, 400, 423, 470, INT32_MIN, INT32_MAX,
	                              0x40000027L };

	kernel_flags = 0;
	for (size_t i = 0; i < sizeof nosys / sizeof nosys[0]; i++) {
		ck_assert_msg(check(nosys[i], 1, 2, 3, NULL) == 0, "%ld: %s", nosys[i], err);
		ck_assert_int_eq(regions(nosys[i], 0x1000, 0x1000, 64, 0, 0, 0, -ENOSYS, NULL), 0);
	}
	/* ... and if one did something, the recording stops */
	ck_assert_int_eq(regions(470, 0, 0, 0, 0, 0, 0, 3, NULL), -1);
	ck_assert_str_eq(err, "system call 470 is not in rrtui's table, yet the kernel ran it (it "
	                 "returned 3)");
	ck_assert_int_eq(regions(-1, 0, 0, 0, 0, 0, 0, -EINVAL, NULL), -1);

	/* a kernel newer than the table may have calls beyond it */
	kernel_flags = SYS_KERNEL_NEWER;
	ck_assert_int_eq(check(470, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported system call 470 (unknown to rrtui, and this kernel is "
	                 "newer than the 6.18 its table knows)");
	ck_assert_int_eq(check(400, 0, 0, 0, NULL), -1);
	ck_assert_int_eq(check(-1, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(check(-10, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(check(0x40001000L, 0, 0, 0, NULL), 0);

	/* x32 calls exist when the kernel has the ABI */
	kernel_flags = SYS_KERNEL_X32;
	ck_assert_int_eq(check(0x40000027L, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported x32 system call 0x40000027 (getpid)");
	ck_assert_int_eq(check(0x40000200L, 0, 0, 0, NULL), -1);
	ck_assert_int_eq(check(0x40000400L, 0, 0, 0, NULL), 0);
	kernel_flags = 0;

	/* a number whose upper half the kernel ignores runs its lower half */
	ck_assert_int_eq(check(0x200000027L, 0, 0, 0, NULL), -1);
	ck_assert_str_eq(err, "unsupported system call: the upper half of its number is not the "
	                 "sign extension of the lower half, which the kernel runs (39, getpid)");
	ck_assert_int_eq(check(0xffffffffL, 0, 0, 0, NULL), -1);
}
END_TEST

START_TEST(test_kernel_newer)
{
	ck_assert_int_eq(sys_kernel_newer("6.18.44-fc-v1300"), 0);
	ck_assert_int_eq(sys_kernel_newer("6.18"), 0);
	ck_assert_int_eq(sys_kernel_newer("6.1.0-18-amd64"), 0);
	ck_assert_int_eq(sys_kernel_newer("5.15.0"), 0);
	ck_assert_int_eq(sys_kernel_newer("6.19.0-rc1"), 1);
	ck_assert_int_eq(sys_kernel_newer("7.0.1"), 1);
	ck_assert_int_eq(sys_kernel_newer("unknown"), 1);
	ck_assert_int_eq(sys_kernel_newer(NULL), 1);
}
END_TEST

/* int $0x80 from 64-bit code: i386 numbers, registers and structures. */
START_TEST(test_i386)
{
	const long w = SYS_I386 | 4, rd = SYS_I386 | 3;

	ck_assert_str_eq(sys_name(w), "i386:write");
	ck_assert_int_eq(sys_number("i386:write"), w);
	ck_assert_int_eq(sys_lookup(w)->nargs, 3);
	ck_assert_int_eq(sys_lookup(SYS_I386 | 45)->replay, SYS_EXECUTE);   /* brk */
	ck_assert_int_eq(sys_lookup(SYS_I386 | 252)->replay, SYS_EXECUTE);  /* exit_group */
	/* an i386 number is never an x86-64 one, nor the reverse */
	ck_assert_ptr_null(sys_name(4 | (2LL << 32)));
	ck_assert_str_eq(sys_name(4), "stat");
	ck_assert_int_eq(check(w, 1, 0x1000, 5, NULL), 0);
	/* calls the table does not describe are refused by their i386 name */
	ck_assert_int_eq(check(SYS_I386 | 192, 0, 4096, 3, NULL), -1);
	ck_assert_str_eq(err, "unsupported i386 system call mmap2 (192, made with int $0x80 from "
	                 "64-bit code)");
	ck_assert_int_eq(check(SYS_I386 | 102, 1, 0x1000, 0, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "socketcall"));
	/* numbers the i386 table lacks answer -ENOSYS */
	ck_assert_int_eq(check(SYS_I386 | 0x7fff, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(check(SYS_I386 | 222, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(check(SYS_I386 | 0xffffffffLL, 0, 0, 0, NULL), 0);
	ck_assert_int_eq(regions(SYS_I386 | 0x7fff, 0, 0, 0, 0, 0, 0, -ENOSYS, NULL), 0);
	/* 32-bit structures */
	ck_assert_int_eq(regions(rd, 3, 0x1000, 64, 0, 0, 0, 9, NULL), 1);
	REG(0, 0x1000, 9);
	ck_assert_int_eq(regions(SYS_I386 | 13, 0x1000, 0, 0, 0, 0, 0, 1700000000, NULL), 1);
	REG(0, 0x1000, 4);
	ck_assert_int_eq(regions(SYS_I386 | 265, 1, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 8);
	ck_assert_int_eq(regions(SYS_I386 | 403, 1, 0x1000, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 16);
	ck_assert_int_eq(regions(SYS_I386 | 78, 0x1000, 0x2000, 0, 0, 0, 0, 0, NULL), 2);
	REG(0, 0x1000, 8);
	REG(1, 0x2000, 8);
	ck_assert_int_eq(regions(SYS_I386 | 122, 0x1000, 0, 0, 0, 0, 0, 0, NULL), 1);
	REG(0, 0x1000, 390);
	ck_assert_int_eq(regions(SYS_I386 | 162, 0x1000, 0x2000, 0, 0, 0, 0, -EINTR, NULL), 1);
	REG(0, 0x2000, 8);
	ck_assert_int_eq(regions(rd, 3, 0x1000, 64, 0, 0, 0, -EFAULT, NULL), 0);
	ck_assert_int_eq(regions(w, 1, 0x1000, 5, 0, 0, 0, 5, NULL), 0);
}
END_TEST

START_TEST(test_output_and_end)
{
	ck_assert_int_eq(sys_output_call(__NR_write), SYS_OUT_BUF);
	ck_assert_int_eq(sys_output_call(__NR_pwrite64), SYS_OUT_BUF);
	ck_assert_int_eq(sys_output_call(SYS_I386 | 4), SYS_OUT_BUF);
	ck_assert_int_eq(sys_output_call(__NR_writev), SYS_OUT_IOV);
	ck_assert_int_eq(sys_output_call(__NR_pwritev2), SYS_OUT_IOV);
	ck_assert_int_eq(sys_output_call(__NR_read), SYS_OUT_NONE);
	ck_assert_int_eq(sys_output_call(4), SYS_OUT_NONE);   /* stat */
	ck_assert(sys_ends_process(__NR_exit_group));
	ck_assert(sys_ends_process(__NR_exit));
	ck_assert(sys_ends_process(SYS_I386 | 1));
	ck_assert(sys_ends_process(SYS_I386 | 252));
	ck_assert(!sys_ends_process(1));
	ck_assert(!sys_ends_process(252));
}
END_TEST

START_TEST(test_bpf)
{
	union bpf_attr a;
	struct mem m = { 0 };

	memset(&a, 0, sizeof a);
	map(&m, 0x1000, &a, sizeof a);
	fdinfo5 = "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1057\nmap_type:\t1\n"
	          "key_size:\t4\nvalue_size:\t12\nmax_entries:\t16\nmap_flags:\t0x0\n";
	ck_assert_int_eq(check(__NR_bpf, BPF_MAP_CREATE, 0x1000, sizeof a, &m), 0);
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_CREATE, 0x1000, sizeof a, 0, 0, 0, 5, &m), 0);
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_UPDATE_ELEM, 0x1000, sizeof a, 0, 0, 0, 0, &m), 0);
	/* a lookup writes the map's value size, learnt from fdinfo */
	a.map_fd = 5;
	a.key = 0x2000;
	a.value = 0x3000;
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_LOOKUP_ELEM, 0x1000, sizeof a, 0, 0, 0, 0, &m), 1);
	REG(0, 0x3000, 12);
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_LOOKUP_ELEM, 0x1000, sizeof a, 0, 0, 0, -ENOENT,
	                         &m), 0);
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_GET_NEXT_KEY, 0x1000, sizeof a, 0, 0, 0, 0, &m), 1);
	REG(0, 0x3000, 4);
	/* per-CPU maps: an 8-byte aligned value per possible CPU (4 here) */
	fdinfo5 = "map_type:\t6\nkey_size:\t4\nvalue_size:\t12\n";
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_LOOKUP_ELEM, 0x1000, sizeof a, 0, 0, 0, 0, &m), 1);
	REG(0, 0x3000, 4 * 16);
	/* without fdinfo the size is unknown: an error, not a guess */
	a.map_fd = 6;
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_LOOKUP_ELEM, 0x1000, sizeof a, 0, 0, 0, 0, &m), -1);
	ck_assert_str_eq(err, "bpf BPF_MAP_LOOKUP_ELEM: cannot learn the sizes of map fd 6");
	fdinfo5 = NULL;

	/* a program load writes its log, also when the verifier rejects it */
	memset(&a, 0, sizeof a);
	a.log_level = 1;
	a.log_size = 4096;
	a.log_buf = 0x8000;
	/* log_true_size (at 140, newer than the installed header) says how
	 * much of the buffer the kernel filled */
	memcpy((char *)&a + 140, &(uint32_t){ 37 }, 4);
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x1000, sizeof a, 0, 0, 0, 7, &m), 2);
	REG(0, 0x1000 + 140, 4);
	REG(1, 0x8000, 37);
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x1000, sizeof a, 0, 0, 0, -EACCES, &m), 4);
	REG(1, 0x8000, 37);
	REG(2, 0x1000 + 76, 4);
	REG(3, 0x1000 + 92, 4);
	memcpy((char *)&a + 140, &(uint32_t){ 100000 }, 4);   /* a log cut short */
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x1000, sizeof a, 0, 0, 0, 7, &m), 2);
	REG(1, 0x8000, 4096);
	/* an older, shorter attr has no log_true_size: the whole buffer */
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x1000, 72, 0, 0, 0, 7, &m), 1);
	REG(0, 0x8000, 4096);
	a.log_level = 0;
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x1000, sizeof a, 0, 0, 0, 7, &m), 1);
	REG(0, 0x1000 + 140, 4);
	memset(&a, 0, sizeof a);
	a.btf_log_buf = 0x8000;
	a.btf_log_size = 512;
	a.btf_log_level = 1;
	memcpy((char *)&a + 28, &(uint32_t){ 600 }, 4);       /* btf_log_true_size */
	ck_assert_int_eq(regions(__NR_bpf, BPF_BTF_LOAD, 0x1000, sizeof a, 0, 0, 0, -EINVAL, &m), 2);
	REG(0, 0x1000 + 28, 4);
	REG(1, 0x8000, 512);
	ck_assert_int_eq(regions(__NR_bpf, BPF_MAP_GET_NEXT_ID, 0x1000, sizeof a, 0, 0, 0, 0, &m), 1);
	REG(0, 0x1004, 4);
	/* an attribute rrtui cannot read is an error */
	ck_assert_int_eq(regions(__NR_bpf, BPF_PROG_LOAD, 0x9000, sizeof a, 0, 0, 0, 7, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "union bpf_attr"));
	/* commands that write through pointers inside the attribute */
	ck_assert_int_eq(check(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, 0x1000, sizeof a, &m), -1);
	ck_assert_str_eq(err, "unsupported bpf command BPF_OBJ_GET_INFO_BY_FD (15)");
	ck_assert_int_eq(check(__NR_bpf, BPF_MAP_LOOKUP_BATCH, 0x1000, sizeof a, &m), -1);
}
END_TEST

START_TEST(test_perf_and_process_vm)
{
	struct iovec remote[2] = { { (void *)0x5000, 4 }, { (void *)0x6000, 100 } };
	struct mem m = { 0 };

	ck_assert_int_eq(check(__NR_perf_event_open, 0x1000, 0, -1, NULL), 0);
	ck_assert_int_eq(regions(__NR_perf_event_open, 0x1000, 0, -1, -1, 0, 0, 3, NULL), 0);
	ck_assert_int_eq(regions(__NR_perf_event_open, 0x1000, 0, -1, -1, 0, 0, -ENOENT, NULL), 0);
	/* E2BIG: the kernel stores the attr.size it takes */
	ck_assert_int_eq(regions(__NR_perf_event_open, 0x1000, 0, -1, -1, 0, 0, -E2BIG, NULL), 1);
	REG(0, 0x1004, 4);

	map(&m, 0x4000, remote, sizeof remote);
	/* writev into the program itself (pid 4321 in these tests): the
	 * remote buffers are its memory */
	ck_assert_int_eq(regions(__NR_process_vm_writev, 4321, 0x3000, 1, 0x4000, 2, 0, 10, &m), 2);
	REG(0, 0x5000, 4);
	REG(1, 0x6000, 6);
	/* into another process: nothing of ours changed */
	ck_assert_int_eq(regions(__NR_process_vm_writev, 99, 0x3000, 1, 0x4000, 2, 0, 10, &m), 0);
	ck_assert_int_eq(regions(__NR_process_vm_readv, 99, 0x4000, 2, 0x3000, 1, 0, 6, &m), 2);
	REG(1, 0x6000, 2);
	ck_assert_int_eq(regions(__NR_process_vm_writev, 4321, 0x3000, 1, 0x9000, 2, 0, 10, &m), -1);
	ck_assert_ptr_nonnull(strstr(err, "process_vm_writev"));
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
	tcase_add_test(tc, test_ioctl_encoding);
	tcase_add_test(tc, test_ioctl_structs);
	tcase_add_test(tc, test_unknown_commands);
	tcase_add_test(tc, test_quotactl);
	tcase_add_test(tc, test_nosys);
	tcase_add_test(tc, test_kernel_newer);
	tcase_add_test(tc, test_i386);
	tcase_add_test(tc, test_output_and_end);
	tcase_add_test(tc, test_bpf);
	tcase_add_test(tc, test_perf_and_process_vm);
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
