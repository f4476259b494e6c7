/*
 * sys.c — the x86-64 system call table and the rules for what each call
 * writes.
 *
 * Recording a process without performance counters rests on one claim: between
 * system calls a single-threaded process is deterministic, so a recording needs
 * only each call's result and every byte the kernel stored into the process.
 * This file is where that "every byte" is spelled out, call by call, with
 * lengths taken from the arguments, the result or the structures the kernel
 * fills, exactly as the kernel defines them (struct sizes are the x86-64 kernel
 * ABI, not whatever a libc header happens to declare). It also names each call,
 * gives the number of arguments replay compares, says whether replay emulates
 * or re-executes it, and refuses at entry what it cannot describe (calls it
 * does not know, commands it cannot record, threads): a clear refusal is
 * better than a recording that silently diverges later. What the kernel
 * itself rejects (a number it does not implement, an unknown command, a
 * failing ioctl) writes nothing and is recorded as such; the i386 calls a
 * 64-bit program makes with int $0x80 have their own small table.
 *
 * Nothing here touches a process: memory the kernel reads (iovec arrays,
 * msghdr, clone_args) is fetched through the caller's reader, so the whole
 * file can be unit-tested with a fake address space.
 */
#include "core/sys.h"

#include <asm/unistd.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numbers newer than some installed kernel headers; the ABI never changes
 * them, so they are safe to spell out. */
#define NR_uretprobe 335
#define NR_uprobe 336
#define NR_cachestat 451
#define NR_fchmodat2 452
#define NR_map_shadow_stack 453
#define NR_futex_wake 454
#define NR_futex_wait 455
#define NR_futex_requeue 456
#define NR_statmount 457
#define NR_listmount 458
#define NR_lsm_get_self_attr 459
#define NR_lsm_set_self_attr 460
#define NR_lsm_list_modules 461
#define NR_mseal 462
#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_removexattrat 465
#define NR_listxattrat 466
#define NR_open_tree_attr 467
#define NR_file_getattr 468
#define NR_file_setattr 469

/*
 * Kind rules beyond the obvious address-space calls: personality,
 * modify_ldt, set_thread_area, iopl/ioperm and the pkey calls change state
 * that later executed calls (exec layout, mmap, segment and PKRU registers)
 * depend on, so they run for real too. shmat, uselib and the uprobe
 * trampolines map memory or exist only for the kernel's own use. fork and
 * clone stay "emulate": letting replay create real processes is a decision
 * for the replayer, not a default.
 */
static const struct sys_info sys_table[] = {
	[0] = { "read", 3, SYS_EMULATE },
	[1] = { "write", 3, SYS_EMULATE },
	[2] = { "open", 3, SYS_EMULATE },
	[3] = { "close", 1, SYS_EMULATE },
	[4] = { "stat", 2, SYS_EMULATE },
	[5] = { "fstat", 2, SYS_EMULATE },
	[6] = { "lstat", 2, SYS_EMULATE },
	[7] = { "poll", 3, SYS_EMULATE },
	[8] = { "lseek", 3, SYS_EMULATE },
	[9] = { "mmap", 6, SYS_EXECUTE },
	[10] = { "mprotect", 3, SYS_EXECUTE },
	[11] = { "munmap", 2, SYS_EXECUTE },
	[12] = { "brk", 1, SYS_EXECUTE },
	[13] = { "rt_sigaction", 4, SYS_EXECUTE },
	[14] = { "rt_sigprocmask", 4, SYS_EXECUTE },
	[15] = { "rt_sigreturn", 0, SYS_EXECUTE },
	[16] = { "ioctl", 3, SYS_EMULATE },
	[17] = { "pread64", 4, SYS_EMULATE },
	[18] = { "pwrite64", 4, SYS_EMULATE },
	[19] = { "readv", 3, SYS_EMULATE },
	[20] = { "writev", 3, SYS_EMULATE },
	[21] = { "access", 2, SYS_EMULATE },
	[22] = { "pipe", 1, SYS_EMULATE },
	[23] = { "select", 5, SYS_EMULATE },
	[24] = { "sched_yield", 0, SYS_EMULATE },
	[25] = { "mremap", 5, SYS_EXECUTE },
	[26] = { "msync", 3, SYS_EMULATE },
	[27] = { "mincore", 3, SYS_EMULATE },
	[28] = { "madvise", 3, SYS_EXECUTE },
	[29] = { "shmget", 3, SYS_EMULATE },
	[30] = { "shmat", 3, SYS_UNSUPPORTED },
	[31] = { "shmctl", 3, SYS_EMULATE },
	[32] = { "dup", 1, SYS_EMULATE },
	[33] = { "dup2", 2, SYS_EMULATE },
	[34] = { "pause", 0, SYS_EMULATE },
	[35] = { "nanosleep", 2, SYS_EMULATE },
	[36] = { "getitimer", 2, SYS_EMULATE },
	[37] = { "alarm", 1, SYS_EMULATE },
	[38] = { "setitimer", 3, SYS_EMULATE },
	[39] = { "getpid", 0, SYS_EMULATE },
	[40] = { "sendfile", 4, SYS_EMULATE },
	[41] = { "socket", 3, SYS_EMULATE },
	[42] = { "connect", 3, SYS_EMULATE },
	[43] = { "accept", 3, SYS_EMULATE },
	[44] = { "sendto", 6, SYS_EMULATE },
	[45] = { "recvfrom", 6, SYS_EMULATE },
	[46] = { "sendmsg", 3, SYS_EMULATE },
	[47] = { "recvmsg", 3, SYS_EMULATE },
	[48] = { "shutdown", 2, SYS_EMULATE },
	[49] = { "bind", 3, SYS_EMULATE },
	[50] = { "listen", 2, SYS_EMULATE },
	[51] = { "getsockname", 3, SYS_EMULATE },
	[52] = { "getpeername", 3, SYS_EMULATE },
	[53] = { "socketpair", 4, SYS_EMULATE },
	[54] = { "setsockopt", 5, SYS_EMULATE },
	[55] = { "getsockopt", 5, SYS_EMULATE },
	[56] = { "clone", 5, SYS_EMULATE },
	[57] = { "fork", 0, SYS_EMULATE },
	[58] = { "vfork", 0, SYS_EMULATE },
	[59] = { "execve", 3, SYS_EXECVE },
	[60] = { "exit", 1, SYS_EXECUTE },
	[61] = { "wait4", 4, SYS_EMULATE },
	[62] = { "kill", 2, SYS_EMULATE },
	[63] = { "uname", 1, SYS_EMULATE },
	[64] = { "semget", 3, SYS_EMULATE },
	[65] = { "semop", 3, SYS_EMULATE },
	[66] = { "semctl", 4, SYS_EMULATE },
	[67] = { "shmdt", 1, SYS_EMULATE },
	[68] = { "msgget", 2, SYS_EMULATE },
	[69] = { "msgsnd", 4, SYS_EMULATE },
	[70] = { "msgrcv", 5, SYS_EMULATE },
	[71] = { "msgctl", 3, SYS_EMULATE },
	[72] = { "fcntl", 3, SYS_EMULATE },
	[73] = { "flock", 2, SYS_EMULATE },
	[74] = { "fsync", 1, SYS_EMULATE },
	[75] = { "fdatasync", 1, SYS_EMULATE },
	[76] = { "truncate", 2, SYS_EMULATE },
	[77] = { "ftruncate", 2, SYS_EMULATE },
	[78] = { "getdents", 3, SYS_EMULATE },
	[79] = { "getcwd", 2, SYS_EMULATE },
	[80] = { "chdir", 1, SYS_EMULATE },
	[81] = { "fchdir", 1, SYS_EMULATE },
	[82] = { "rename", 2, SYS_EMULATE },
	[83] = { "mkdir", 2, SYS_EMULATE },
	[84] = { "rmdir", 1, SYS_EMULATE },
	[85] = { "creat", 2, SYS_EMULATE },
	[86] = { "link", 2, SYS_EMULATE },
	[87] = { "unlink", 1, SYS_EMULATE },
	[88] = { "symlink", 2, SYS_EMULATE },
	[89] = { "readlink", 3, SYS_EMULATE },
	[90] = { "chmod", 2, SYS_EMULATE },
	[91] = { "fchmod", 2, SYS_EMULATE },
	[92] = { "chown", 3, SYS_EMULATE },
	[93] = { "fchown", 3, SYS_EMULATE },
	[94] = { "lchown", 3, SYS_EMULATE },
	[95] = { "umask", 1, SYS_EMULATE },
	[96] = { "gettimeofday", 2, SYS_EMULATE },
	[97] = { "getrlimit", 2, SYS_EMULATE },
	[98] = { "getrusage", 2, SYS_EMULATE },
	[99] = { "sysinfo", 1, SYS_EMULATE },
	[100] = { "times", 1, SYS_EMULATE },
	[101] = { "ptrace", 4, SYS_UNSUPPORTED },
	[102] = { "getuid", 0, SYS_EMULATE },
	[103] = { "syslog", 3, SYS_EMULATE },
	[104] = { "getgid", 0, SYS_EMULATE },
	[105] = { "setuid", 1, SYS_EMULATE },
	[106] = { "setgid", 1, SYS_EMULATE },
	[107] = { "geteuid", 0, SYS_EMULATE },
	[108] = { "getegid", 0, SYS_EMULATE },
	[109] = { "setpgid", 2, SYS_EMULATE },
	[110] = { "getppid", 0, SYS_EMULATE },
	[111] = { "getpgrp", 0, SYS_EMULATE },
	[112] = { "setsid", 0, SYS_EMULATE },
	[113] = { "setreuid", 2, SYS_EMULATE },
	[114] = { "setregid", 2, SYS_EMULATE },
	[115] = { "getgroups", 2, SYS_EMULATE },
	[116] = { "setgroups", 2, SYS_EMULATE },
	[117] = { "setresuid", 3, SYS_EMULATE },
	[118] = { "getresuid", 3, SYS_EMULATE },
	[119] = { "setresgid", 3, SYS_EMULATE },
	[120] = { "getresgid", 3, SYS_EMULATE },
	[121] = { "getpgid", 1, SYS_EMULATE },
	[122] = { "setfsuid", 1, SYS_EMULATE },
	[123] = { "setfsgid", 1, SYS_EMULATE },
	[124] = { "getsid", 1, SYS_EMULATE },
	[125] = { "capget", 2, SYS_EMULATE },
	[126] = { "capset", 2, SYS_EMULATE },
	[127] = { "rt_sigpending", 2, SYS_EMULATE },
	[128] = { "rt_sigtimedwait", 4, SYS_EMULATE },
	[129] = { "rt_sigqueueinfo", 3, SYS_EMULATE },
	[130] = { "rt_sigsuspend", 2, SYS_EMULATE },
	[131] = { "sigaltstack", 2, SYS_EXECUTE },
	[132] = { "utime", 2, SYS_EMULATE },
	[133] = { "mknod", 3, SYS_EMULATE },
	[134] = { "uselib", 1, SYS_UNSUPPORTED },
	[135] = { "personality", 1, SYS_EXECUTE },
	[136] = { "ustat", 2, SYS_EMULATE },
	[137] = { "statfs", 2, SYS_EMULATE },
	[138] = { "fstatfs", 2, SYS_EMULATE },
	[139] = { "sysfs", 3, SYS_EMULATE },
	[140] = { "getpriority", 2, SYS_EMULATE },
	[141] = { "setpriority", 3, SYS_EMULATE },
	[142] = { "sched_setparam", 2, SYS_EMULATE },
	[143] = { "sched_getparam", 2, SYS_EMULATE },
	[144] = { "sched_setscheduler", 3, SYS_EMULATE },
	[145] = { "sched_getscheduler", 1, SYS_EMULATE },
	[146] = { "sched_get_priority_max", 1, SYS_EMULATE },
	[147] = { "sched_get_priority_min", 1, SYS_EMULATE },
	[148] = { "sched_rr_get_interval", 2, SYS_EMULATE },
	[149] = { "mlock", 2, SYS_EXECUTE },
	[150] = { "munlock", 2, SYS_EXECUTE },
	[151] = { "mlockall", 1, SYS_EXECUTE },
	[152] = { "munlockall", 0, SYS_EXECUTE },
	[153] = { "vhangup", 0, SYS_EMULATE },
	[154] = { "modify_ldt", 3, SYS_EXECUTE },
	[155] = { "pivot_root", 2, SYS_EMULATE },
	[156] = { "_sysctl", 1, SYS_EMULATE },
	[157] = { "prctl", 5, SYS_EMULATE },
	[158] = { "arch_prctl", 2, SYS_EXECUTE },
	[159] = { "adjtimex", 1, SYS_EMULATE },
	[160] = { "setrlimit", 2, SYS_EMULATE },
	[161] = { "chroot", 1, SYS_EMULATE },
	[162] = { "sync", 0, SYS_EMULATE },
	[163] = { "acct", 1, SYS_EMULATE },
	[164] = { "settimeofday", 2, SYS_EMULATE },
	[165] = { "mount", 5, SYS_EMULATE },
	[166] = { "umount2", 2, SYS_EMULATE },
	[167] = { "swapon", 2, SYS_EMULATE },
	[168] = { "swapoff", 1, SYS_EMULATE },
	[169] = { "reboot", 4, SYS_EMULATE },
	[170] = { "sethostname", 2, SYS_EMULATE },
	[171] = { "setdomainname", 2, SYS_EMULATE },
	[172] = { "iopl", 1, SYS_EXECUTE },
	[173] = { "ioperm", 3, SYS_EXECUTE },
	[174] = { "create_module", 2, SYS_EMULATE },
	[175] = { "init_module", 3, SYS_EMULATE },
	[176] = { "delete_module", 2, SYS_EMULATE },
	[177] = { "get_kernel_syms", 1, SYS_EMULATE },
	[178] = { "query_module", 5, SYS_EMULATE },
	[179] = { "quotactl", 4, SYS_EMULATE },
	[180] = { "nfsservctl", 3, SYS_EMULATE },
	[181] = { "getpmsg", 5, SYS_EMULATE },
	[182] = { "putpmsg", 5, SYS_EMULATE },
	[183] = { "afs_syscall", 5, SYS_EMULATE },
	[184] = { "tuxcall", 3, SYS_EMULATE },
	[185] = { "security", 3, SYS_EMULATE },
	[186] = { "gettid", 0, SYS_EMULATE },
	[187] = { "readahead", 3, SYS_EMULATE },
	[188] = { "setxattr", 5, SYS_EMULATE },
	[189] = { "lsetxattr", 5, SYS_EMULATE },
	[190] = { "fsetxattr", 5, SYS_EMULATE },
	[191] = { "getxattr", 4, SYS_EMULATE },
	[192] = { "lgetxattr", 4, SYS_EMULATE },
	[193] = { "fgetxattr", 4, SYS_EMULATE },
	[194] = { "listxattr", 3, SYS_EMULATE },
	[195] = { "llistxattr", 3, SYS_EMULATE },
	[196] = { "flistxattr", 3, SYS_EMULATE },
	[197] = { "removexattr", 2, SYS_EMULATE },
	[198] = { "lremovexattr", 2, SYS_EMULATE },
	[199] = { "fremovexattr", 2, SYS_EMULATE },
	[200] = { "tkill", 2, SYS_EMULATE },
	[201] = { "time", 1, SYS_EMULATE },
	[202] = { "futex", 6, SYS_EMULATE },
	[203] = { "sched_setaffinity", 3, SYS_EMULATE },
	[204] = { "sched_getaffinity", 3, SYS_EMULATE },
	[205] = { "set_thread_area", 1, SYS_EXECUTE },
	[206] = { "io_setup", 2, SYS_UNSUPPORTED },
	[207] = { "io_destroy", 1, SYS_UNSUPPORTED },
	[208] = { "io_getevents", 5, SYS_UNSUPPORTED },
	[209] = { "io_submit", 3, SYS_UNSUPPORTED },
	[210] = { "io_cancel", 3, SYS_UNSUPPORTED },
	[211] = { "get_thread_area", 1, SYS_EMULATE },
	[212] = { "lookup_dcookie", 3, SYS_EMULATE },
	[213] = { "epoll_create", 1, SYS_EMULATE },
	[214] = { "epoll_ctl_old", 4, SYS_EMULATE },
	[215] = { "epoll_wait_old", 4, SYS_EMULATE },
	[216] = { "remap_file_pages", 5, SYS_EXECUTE },
	[217] = { "getdents64", 3, SYS_EMULATE },
	[218] = { "set_tid_address", 1, SYS_EXECUTE },
	[219] = { "restart_syscall", 0, SYS_EMULATE },
	[220] = { "semtimedop", 4, SYS_EMULATE },
	[221] = { "fadvise64", 4, SYS_EMULATE },
	[222] = { "timer_create", 3, SYS_EMULATE },
	[223] = { "timer_settime", 4, SYS_EMULATE },
	[224] = { "timer_gettime", 2, SYS_EMULATE },
	[225] = { "timer_getoverrun", 1, SYS_EMULATE },
	[226] = { "timer_delete", 1, SYS_EMULATE },
	[227] = { "clock_settime", 2, SYS_EMULATE },
	[228] = { "clock_gettime", 2, SYS_EMULATE },
	[229] = { "clock_getres", 2, SYS_EMULATE },
	[230] = { "clock_nanosleep", 4, SYS_EMULATE },
	[231] = { "exit_group", 1, SYS_EXECUTE },
	[232] = { "epoll_wait", 4, SYS_EMULATE },
	[233] = { "epoll_ctl", 4, SYS_EMULATE },
	[234] = { "tgkill", 3, SYS_EMULATE },
	[235] = { "utimes", 2, SYS_EMULATE },
	[236] = { "vserver", 5, SYS_EMULATE },
	[237] = { "mbind", 6, SYS_EMULATE },
	[238] = { "set_mempolicy", 3, SYS_EMULATE },
	[239] = { "get_mempolicy", 5, SYS_EMULATE },
	[240] = { "mq_open", 4, SYS_EMULATE },
	[241] = { "mq_unlink", 1, SYS_EMULATE },
	[242] = { "mq_timedsend", 5, SYS_EMULATE },
	[243] = { "mq_timedreceive", 5, SYS_EMULATE },
	[244] = { "mq_notify", 2, SYS_EMULATE },
	[245] = { "mq_getsetattr", 3, SYS_EMULATE },
	[246] = { "kexec_load", 4, SYS_EMULATE },
	[247] = { "waitid", 5, SYS_EMULATE },
	[248] = { "add_key", 5, SYS_EMULATE },
	[249] = { "request_key", 4, SYS_EMULATE },
	[250] = { "keyctl", 5, SYS_EMULATE },
	[251] = { "ioprio_set", 3, SYS_EMULATE },
	[252] = { "ioprio_get", 2, SYS_EMULATE },
	[253] = { "inotify_init", 0, SYS_EMULATE },
	[254] = { "inotify_add_watch", 3, SYS_EMULATE },
	[255] = { "inotify_rm_watch", 2, SYS_EMULATE },
	[256] = { "migrate_pages", 4, SYS_EMULATE },
	[257] = { "openat", 4, SYS_EMULATE },
	[258] = { "mkdirat", 3, SYS_EMULATE },
	[259] = { "mknodat", 4, SYS_EMULATE },
	[260] = { "fchownat", 5, SYS_EMULATE },
	[261] = { "futimesat", 3, SYS_EMULATE },
	[262] = { "newfstatat", 4, SYS_EMULATE },
	[263] = { "unlinkat", 3, SYS_EMULATE },
	[264] = { "renameat", 4, SYS_EMULATE },
	[265] = { "linkat", 5, SYS_EMULATE },
	[266] = { "symlinkat", 3, SYS_EMULATE },
	[267] = { "readlinkat", 4, SYS_EMULATE },
	[268] = { "fchmodat", 3, SYS_EMULATE },
	[269] = { "faccessat", 3, SYS_EMULATE },
	[270] = { "pselect6", 6, SYS_EMULATE },
	[271] = { "ppoll", 5, SYS_EMULATE },
	[272] = { "unshare", 1, SYS_EMULATE },
	[273] = { "set_robust_list", 2, SYS_EXECUTE },
	[274] = { "get_robust_list", 3, SYS_EMULATE },
	[275] = { "splice", 6, SYS_EMULATE },
	[276] = { "tee", 4, SYS_EMULATE },
	[277] = { "sync_file_range", 4, SYS_EMULATE },
	[278] = { "vmsplice", 4, SYS_UNSUPPORTED },
	[279] = { "move_pages", 6, SYS_EMULATE },
	[280] = { "utimensat", 4, SYS_EMULATE },
	[281] = { "epoll_pwait", 6, SYS_EMULATE },
	[282] = { "signalfd", 3, SYS_EMULATE },
	[283] = { "timerfd_create", 2, SYS_EMULATE },
	[284] = { "eventfd", 1, SYS_EMULATE },
	[285] = { "fallocate", 4, SYS_EMULATE },
	[286] = { "timerfd_settime", 4, SYS_EMULATE },
	[287] = { "timerfd_gettime", 2, SYS_EMULATE },
	[288] = { "accept4", 4, SYS_EMULATE },
	[289] = { "signalfd4", 4, SYS_EMULATE },
	[290] = { "eventfd2", 2, SYS_EMULATE },
	[291] = { "epoll_create1", 1, SYS_EMULATE },
	[292] = { "dup3", 3, SYS_EMULATE },
	[293] = { "pipe2", 2, SYS_EMULATE },
	[294] = { "inotify_init1", 1, SYS_EMULATE },
	[295] = { "preadv", 5, SYS_EMULATE },
	[296] = { "pwritev", 5, SYS_EMULATE },
	[297] = { "rt_tgsigqueueinfo", 4, SYS_EMULATE },
	[298] = { "perf_event_open", 5, SYS_EMULATE },
	[299] = { "recvmmsg", 5, SYS_EMULATE },
	[300] = { "fanotify_init", 2, SYS_EMULATE },
	[301] = { "fanotify_mark", 5, SYS_EMULATE },
	[302] = { "prlimit64", 4, SYS_EMULATE },
	[303] = { "name_to_handle_at", 5, SYS_EMULATE },
	[304] = { "open_by_handle_at", 3, SYS_EMULATE },
	[305] = { "clock_adjtime", 2, SYS_EMULATE },
	[306] = { "syncfs", 1, SYS_EMULATE },
	[307] = { "sendmmsg", 4, SYS_EMULATE },
	[308] = { "setns", 2, SYS_EMULATE },
	[309] = { "getcpu", 3, SYS_EMULATE },
	[310] = { "process_vm_readv", 6, SYS_EMULATE },
	[311] = { "process_vm_writev", 6, SYS_EMULATE },
	[312] = { "kcmp", 5, SYS_EMULATE },
	[313] = { "finit_module", 3, SYS_EMULATE },
	[314] = { "sched_setattr", 3, SYS_EMULATE },
	[315] = { "sched_getattr", 4, SYS_EMULATE },
	[316] = { "renameat2", 5, SYS_EMULATE },
	[317] = { "seccomp", 3, SYS_EMULATE },
	[318] = { "getrandom", 3, SYS_EMULATE },
	[319] = { "memfd_create", 2, SYS_EMULATE },
	[320] = { "kexec_file_load", 5, SYS_EMULATE },
	[321] = { "bpf", 3, SYS_EMULATE },
	[322] = { "execveat", 5, SYS_EXECVE },
	[323] = { "userfaultfd", 1, SYS_UNSUPPORTED },
	[324] = { "membarrier", 3, SYS_EMULATE },
	[325] = { "mlock2", 3, SYS_EXECUTE },
	[326] = { "copy_file_range", 6, SYS_EMULATE },
	[327] = { "preadv2", 6, SYS_EMULATE },
	[328] = { "pwritev2", 6, SYS_EMULATE },
	[329] = { "pkey_mprotect", 4, SYS_EXECUTE },
	[330] = { "pkey_alloc", 2, SYS_EXECUTE },
	[331] = { "pkey_free", 1, SYS_EXECUTE },
	[332] = { "statx", 5, SYS_EMULATE },
	[333] = { "io_pgetevents", 6, SYS_UNSUPPORTED },
	[334] = { "rseq", 4, SYS_EMULATE },
	[335] = { "uretprobe", 0, SYS_UNSUPPORTED },
	[336] = { "uprobe", 0, SYS_UNSUPPORTED },
	[424] = { "pidfd_send_signal", 4, SYS_EMULATE },
	[425] = { "io_uring_setup", 2, SYS_UNSUPPORTED },
	[426] = { "io_uring_enter", 6, SYS_UNSUPPORTED },
	[427] = { "io_uring_register", 4, SYS_UNSUPPORTED },
	[428] = { "open_tree", 3, SYS_EMULATE },
	[429] = { "move_mount", 5, SYS_EMULATE },
	[430] = { "fsopen", 2, SYS_EMULATE },
	[431] = { "fsconfig", 5, SYS_EMULATE },
	[432] = { "fsmount", 3, SYS_EMULATE },
	[433] = { "fspick", 3, SYS_EMULATE },
	[434] = { "pidfd_open", 2, SYS_EMULATE },
	[435] = { "clone3", 2, SYS_EMULATE },
	[436] = { "close_range", 3, SYS_EMULATE },
	[437] = { "openat2", 4, SYS_EMULATE },
	[438] = { "pidfd_getfd", 3, SYS_EMULATE },
	[439] = { "faccessat2", 4, SYS_EMULATE },
	[440] = { "process_madvise", 5, SYS_EMULATE },
	[441] = { "epoll_pwait2", 6, SYS_EMULATE },
	[442] = { "mount_setattr", 5, SYS_EMULATE },
	[443] = { "quotactl_fd", 4, SYS_EMULATE },
	[444] = { "landlock_create_ruleset", 3, SYS_EMULATE },
	[445] = { "landlock_add_rule", 4, SYS_EMULATE },
	[446] = { "landlock_restrict_self", 2, SYS_EMULATE },
	[447] = { "memfd_secret", 1, SYS_EMULATE },
	[448] = { "process_mrelease", 2, SYS_EMULATE },
	[449] = { "futex_waitv", 5, SYS_EMULATE },
	[450] = { "set_mempolicy_home_node", 4, SYS_EMULATE },
	[451] = { "cachestat", 4, SYS_EMULATE },
	[452] = { "fchmodat2", 4, SYS_EMULATE },
	[453] = { "map_shadow_stack", 3, SYS_EXECUTE },
	[454] = { "futex_wake", 4, SYS_EMULATE },
	[455] = { "futex_wait", 6, SYS_EMULATE },
	[456] = { "futex_requeue", 4, SYS_EMULATE },
	[457] = { "statmount", 4, SYS_EMULATE },
	[458] = { "listmount", 4, SYS_EMULATE },
	[459] = { "lsm_get_self_attr", 4, SYS_EMULATE },
	[460] = { "lsm_set_self_attr", 4, SYS_EMULATE },
	[461] = { "lsm_list_modules", 3, SYS_EMULATE },
	[462] = { "mseal", 3, SYS_EXECUTE },
	[463] = { "setxattrat", 6, SYS_EMULATE },
	[464] = { "getxattrat", 6, SYS_EMULATE },
	[465] = { "removexattrat", 4, SYS_EMULATE },
	[466] = { "listxattrat", 5, SYS_EMULATE },
	[467] = { "open_tree_attr", 5, SYS_EMULATE },
	[468] = { "file_getattr", 5, SYS_EMULATE },
	[469] = { "file_setattr", 5, SYS_EMULATE },
};

#define SYS_TABLE_LEN ((long)(sizeof sys_table / sizeof sys_table[0]))

/*
 * The i386 calls a 64-bit program can make with `int $0x80` and that the
 * table records: the simple ones, whose arguments are numbers, strings and
 * buffers of the same layout in both ABIs (or 32-bit time structures, given
 * their i386 sizes in i386_out). The others are refused by name (i386_names).
 * Arguments are the i386 registers, zero-extended: a pointer above 4 GB cannot
 * be passed, so programs doing this keep their buffers low (MAP_32BIT, a
 * non-PIE executable).
 */
static const struct sys_info i386_table[] = {
	[1] = { "i386:exit", 1, SYS_EXECUTE },
	[3] = { "i386:read", 3, SYS_EMULATE },
	[4] = { "i386:write", 3, SYS_EMULATE },
	[5] = { "i386:open", 3, SYS_EMULATE },
	[6] = { "i386:close", 1, SYS_EMULATE },
	[8] = { "i386:creat", 2, SYS_EMULATE },
	[9] = { "i386:link", 2, SYS_EMULATE },
	[10] = { "i386:unlink", 1, SYS_EMULATE },
	[12] = { "i386:chdir", 1, SYS_EMULATE },
	[13] = { "i386:time", 1, SYS_EMULATE },
	[15] = { "i386:chmod", 2, SYS_EMULATE },
	[19] = { "i386:lseek", 3, SYS_EMULATE },
	[20] = { "i386:getpid", 0, SYS_EMULATE },
	[24] = { "i386:getuid", 0, SYS_EMULATE },
	[27] = { "i386:alarm", 1, SYS_EMULATE },
	[29] = { "i386:pause", 0, SYS_EMULATE },
	[33] = { "i386:access", 2, SYS_EMULATE },
	[36] = { "i386:sync", 0, SYS_EMULATE },
	[37] = { "i386:kill", 2, SYS_EMULATE },
	[38] = { "i386:rename", 2, SYS_EMULATE },
	[39] = { "i386:mkdir", 2, SYS_EMULATE },
	[40] = { "i386:rmdir", 1, SYS_EMULATE },
	[41] = { "i386:dup", 1, SYS_EMULATE },
	[42] = { "i386:pipe", 1, SYS_EMULATE },
	[45] = { "i386:brk", 1, SYS_EXECUTE },
	[47] = { "i386:getgid", 0, SYS_EMULATE },
	[49] = { "i386:geteuid", 0, SYS_EMULATE },
	[50] = { "i386:getegid", 0, SYS_EMULATE },
	[57] = { "i386:setpgid", 2, SYS_EMULATE },
	[60] = { "i386:umask", 1, SYS_EMULATE },
	[63] = { "i386:dup2", 2, SYS_EMULATE },
	[64] = { "i386:getppid", 0, SYS_EMULATE },
	[65] = { "i386:getpgrp", 0, SYS_EMULATE },
	[66] = { "i386:setsid", 0, SYS_EMULATE },
	[78] = { "i386:gettimeofday", 2, SYS_EMULATE },
	[83] = { "i386:symlink", 2, SYS_EMULATE },
	[85] = { "i386:readlink", 3, SYS_EMULATE },
	[118] = { "i386:fsync", 1, SYS_EMULATE },
	[122] = { "i386:uname", 1, SYS_EMULATE },
	[132] = { "i386:getpgid", 1, SYS_EMULATE },
	[133] = { "i386:fchdir", 1, SYS_EMULATE },
	[147] = { "i386:getsid", 1, SYS_EMULATE },
	[148] = { "i386:fdatasync", 1, SYS_EMULATE },
	[158] = { "i386:sched_yield", 0, SYS_EMULATE },
	[162] = { "i386:nanosleep", 2, SYS_EMULATE },
	[183] = { "i386:getcwd", 2, SYS_EMULATE },
	[199] = { "i386:getuid32", 0, SYS_EMULATE },
	[200] = { "i386:getgid32", 0, SYS_EMULATE },
	[201] = { "i386:geteuid32", 0, SYS_EMULATE },
	[202] = { "i386:getegid32", 0, SYS_EMULATE },
	[224] = { "i386:gettid", 0, SYS_EMULATE },
	[252] = { "i386:exit_group", 1, SYS_EXECUTE },
	[265] = { "i386:clock_gettime", 2, SYS_EMULATE },
	[295] = { "i386:openat", 4, SYS_EMULATE },
	[331] = { "i386:pipe2", 2, SYS_EMULATE },
	[355] = { "i386:getrandom", 3, SYS_EMULATE },
	[403] = { "i386:clock_gettime64", 2, SYS_EMULATE },
};

#define I386_TABLE_LEN ((long)(sizeof i386_table / sizeof i386_table[0]))

/* Every i386 call of the kernels the table knows, for refusals; "" where
 * the i386 table has a hole. */
static const char *const i386_names[] = {
	/*   0 */ "restart_syscall", "exit", "fork", "read", "write", "open", "close", "waitpid",
	/*   8 */ "creat", "link", "unlink", "execve", "chdir", "time", "mknod", "chmod",
	/*  16 */ "lchown", "break", "oldstat", "lseek", "getpid", "mount", "umount", "setuid",
	/*  24 */ "getuid", "stime", "ptrace", "alarm", "oldfstat", "pause", "utime", "stty",
	/*  32 */ "gtty", "access", "nice", "ftime", "sync", "kill", "rename", "mkdir", "rmdir",
	/*  41 */ "dup", "pipe", "times", "prof", "brk", "setgid", "getgid", "signal", "geteuid",
	/*  50 */ "getegid", "acct", "umount2", "lock", "ioctl", "fcntl", "mpx", "setpgid",
	/*  58 */ "ulimit", "oldolduname", "umask", "chroot", "ustat", "dup2", "getppid",
	/*  65 */ "getpgrp", "setsid", "sigaction", "sgetmask", "ssetmask", "setreuid",
	/*  71 */ "setregid", "sigsuspend", "sigpending", "sethostname", "setrlimit",
	/*  76 */ "getrlimit", "getrusage", "gettimeofday", "settimeofday", "getgroups",
	/*  81 */ "setgroups", "select", "symlink", "oldlstat", "readlink", "uselib", "swapon",
	/*  88 */ "reboot", "readdir", "mmap", "munmap", "truncate", "ftruncate", "fchmod",
	/*  95 */ "fchown", "getpriority", "setpriority", "profil", "statfs", "fstatfs",
	/* 101 */ "ioperm", "socketcall", "syslog", "setitimer", "getitimer", "stat", "lstat",
	/* 108 */ "fstat", "olduname", "iopl", "vhangup", "idle", "vm86old", "wait4", "swapoff",
	/* 116 */ "sysinfo", "ipc", "fsync", "sigreturn", "clone", "setdomainname", "uname",
	/* 123 */ "modify_ldt", "adjtimex", "mprotect", "sigprocmask", "create_module",
	/* 128 */ "init_module", "delete_module", "get_kernel_syms", "quotactl", "getpgid",
	/* 133 */ "fchdir", "bdflush", "sysfs", "personality", "afs_syscall", "setfsuid",
	/* 139 */ "setfsgid", "_llseek", "getdents", "_newselect", "flock", "msync", "readv",
	/* 146 */ "writev", "getsid", "fdatasync", "_sysctl", "mlock", "munlock", "mlockall",
	/* 153 */ "munlockall", "sched_setparam", "sched_getparam", "sched_setscheduler",
	/* 157 */ "sched_getscheduler", "sched_yield", "sched_get_priority_max",
	/* 160 */ "sched_get_priority_min", "sched_rr_get_interval", "nanosleep", "mremap",
	/* 164 */ "setresuid", "getresuid", "vm86", "query_module", "poll", "nfsservctl",
	/* 170 */ "setresgid", "getresgid", "prctl", "rt_sigreturn", "rt_sigaction",
	/* 175 */ "rt_sigprocmask", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
	/* 179 */ "rt_sigsuspend", "pread64", "pwrite64", "chown", "getcwd", "capget", "capset",
	/* 186 */ "sigaltstack", "sendfile", "getpmsg", "putpmsg", "vfork", "ugetrlimit",
	/* 192 */ "mmap2", "truncate64", "ftruncate64", "stat64", "lstat64", "fstat64",
	/* 198 */ "lchown32", "getuid32", "getgid32", "geteuid32", "getegid32", "setreuid32",
	/* 204 */ "setregid32", "getgroups32", "setgroups32", "fchown32", "setresuid32",
	/* 209 */ "getresuid32", "setresgid32", "getresgid32", "chown32", "setuid32", "setgid32",
	/* 215 */ "setfsuid32", "setfsgid32", "pivot_root", "mincore", "madvise", "getdents64",
	/* 221 */ "fcntl64", "", "", "gettid", "readahead", "setxattr", "lsetxattr", "fsetxattr",
	/* 229 */ "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
	/* 235 */ "removexattr", "lremovexattr", "fremovexattr", "tkill", "sendfile64", "futex",
	/* 241 */ "sched_setaffinity", "sched_getaffinity", "set_thread_area", "get_thread_area",
	/* 245 */ "io_setup", "io_destroy", "io_getevents", "io_submit", "io_cancel",
	/* 250 */ "fadvise64", "", "exit_group", "lookup_dcookie", "epoll_create", "epoll_ctl",
	/* 256 */ "epoll_wait", "remap_file_pages", "set_tid_address", "timer_create",
	/* 260 */ "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete",
	/* 264 */ "clock_settime", "clock_gettime", "clock_getres", "clock_nanosleep",
	/* 268 */ "statfs64", "fstatfs64", "tgkill", "utimes", "fadvise64_64", "vserver",
	/* 274 */ "mbind", "get_mempolicy", "set_mempolicy", "mq_open", "mq_unlink",
	/* 279 */ "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr", "kexec_load",
	/* 284 */ "waitid", "", "add_key", "request_key", "keyctl", "ioprio_set", "ioprio_get",
	/* 291 */ "inotify_init", "inotify_add_watch", "inotify_rm_watch", "migrate_pages",
	/* 295 */ "openat", "mkdirat", "mknodat", "fchownat", "futimesat", "fstatat64",
	/* 301 */ "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat",
	/* 307 */ "faccessat", "pselect6", "ppoll", "unshare", "set_robust_list",
	/* 312 */ "get_robust_list", "splice", "sync_file_range", "tee", "vmsplice",
	/* 317 */ "move_pages", "getcpu", "epoll_pwait", "utimensat", "signalfd",
	/* 322 */ "timerfd_create", "eventfd", "fallocate", "timerfd_settime", "timerfd_gettime",
	/* 327 */ "signalfd4", "eventfd2", "epoll_create1", "dup3", "pipe2", "inotify_init1",
	/* 333 */ "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open", "recvmmsg",
	/* 338 */ "fanotify_init", "fanotify_mark", "prlimit64", "name_to_handle_at",
	/* 342 */ "open_by_handle_at", "clock_adjtime", "syncfs", "sendmmsg", "setns",
	/* 347 */ "process_vm_readv", "process_vm_writev", "kcmp", "finit_module",
	/* 351 */ "sched_setattr", "sched_getattr", "renameat2", "seccomp", "getrandom",
	/* 356 */ "memfd_create", "bpf", "execveat", "socket", "socketpair", "bind", "connect",
	/* 363 */ "listen", "accept4", "getsockopt", "setsockopt", "getsockname", "getpeername",
	/* 369 */ "sendto", "sendmsg", "recvfrom", "recvmsg", "shutdown", "userfaultfd",
	/* 375 */ "membarrier", "mlock2", "copy_file_range", "preadv2", "pwritev2",
	/* 380 */ "pkey_mprotect", "pkey_alloc", "pkey_free", "statx", "arch_prctl",
	/* 385 */ "io_pgetevents", "rseq", "", "", "", "", "", "", "semget", "semctl", "shmget",
	/* 396 */ "shmctl", "shmat", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
	/* 403 */ "clock_gettime64", "clock_settime64", "clock_adjtime64", "clock_getres_time64",
	/* 407 */ "clock_nanosleep_time64", "timer_gettime64", "timer_settime64",
	/* 410 */ "timerfd_gettime64", "timerfd_settime64", "utimensat_time64",
	/* 413 */ "pselect6_time64", "ppoll_time64", "", "io_pgetevents_time64",
	/* 417 */ "recvmmsg_time64", "mq_timedsend_time64", "mq_timedreceive_time64",
	/* 420 */ "semtimedop_time64", "rt_sigtimedwait_time64", "futex_time64",
	/* 423 */ "sched_rr_get_interval_time64", "pidfd_send_signal", "io_uring_setup",
	/* 426 */ "io_uring_enter", "io_uring_register", "open_tree", "move_mount", "fsopen",
	/* 431 */ "fsconfig", "fsmount", "fspick", "pidfd_open", "clone3", "close_range",
	/* 437 */ "openat2", "pidfd_getfd", "faccessat2", "process_madvise", "epoll_pwait2",
	/* 442 */ "mount_setattr", "quotactl_fd", "landlock_create_ruleset", "landlock_add_rule",
	/* 446 */ "landlock_restrict_self", "memfd_secret", "process_mrelease", "futex_waitv",
	/* 450 */ "set_mempolicy_home_node", "cachestat", "fchmodat2", "map_shadow_stack",
	/* 454 */ "futex_wake", "futex_wait", "futex_requeue", "statmount", "listmount",
	/* 459 */ "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules", "mseal",
	/* 463 */ "setxattrat", "getxattrat", "removexattrat", "listxattrat", "open_tree_attr",
	/* 468 */ "file_getattr", "file_setattr",

};

#define I386_NAMES_LEN ((long)(sizeof i386_names / sizeof i386_names[0]))

/* A number the kernel answers with -ENOSYS. */
static const struct sys_info nosys_entry = { "nosys", 6, SYS_NOSYS };

static int is_i386(long nr)
{
	return ((uint64_t)nr >> 32) == 1;
}

/* The kernel takes the call number as an int: an x86-64 number must be the
 * sign extension of its low half, or the kernel runs another call than the
 * one the trace would name. */
static int sign_extended(long nr)
{
	return nr == (long)(int32_t)nr;
}

static const char *i386_name(uint32_t n)
{
	return n < I386_NAMES_LEN && i386_names[n][0] ? i386_names[n] : NULL;
}

const struct sys_info *sys_lookup(long nr)
{
	if (is_i386(nr)) {
		uint32_t n = (uint32_t)nr;

		if (n < I386_TABLE_LEN && i386_table[n].name)
			return &i386_table[n];
		return i386_name(n) ? NULL : &nosys_entry;
	}
	if (!sign_extended(nr))
		return NULL;
	if (nr < 0 || nr >= SYS_TABLE_LEN || !sys_table[nr].name)
		return &nosys_entry;
	return &sys_table[nr];
}

const char *sys_name(long nr)
{
	const struct sys_info *si = sys_lookup(nr);
	return si && si->replay != SYS_NOSYS ? si->name : NULL;
}

long sys_number(const char *name)
{
	if (!name)
		return -1;
	for (long nr = 0; nr < SYS_TABLE_LEN; nr++)
		if (sys_table[nr].name && strcmp(sys_table[nr].name, name) == 0)
			return nr;
	for (long n = 0; n < I386_TABLE_LEN; n++)
		if (i386_table[n].name && strcmp(i386_table[n].name, name) == 0)
			return SYS_I386 | n;
	return -1;
}

int sys_kernel_newer(const char *release)
{
	unsigned major = 0, minor = 0;

	if (!release || sscanf(release, "%u.%u", &major, &minor) != 2)
		return 1;   /* cannot tell: assume the worst */
	return major > SYS_TABLE_KERNEL_MAJOR ||
	       (major == SYS_TABLE_KERNEL_MAJOR && minor > SYS_TABLE_KERNEL_MINOR);
}

int sys_output_call(long nr)
{
	switch (nr) {
	case __NR_write:
	case __NR_pwrite64:
	case SYS_I386 | 4:      /* i386 write */
		return SYS_OUT_BUF;
	case __NR_writev:
	case __NR_pwritev:
	case __NR_pwritev2:
		return SYS_OUT_IOV;
	default:
		return SYS_OUT_NONE;
	}
}

int sys_ends_process(long nr)
{
	return nr == __NR_exit || nr == __NR_exit_group || nr == (SYS_I386 | 1) ||
	       nr == (SYS_I386 | 252);
}

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Kernel ABI sizes on x86-64 (checked against the headers in the tests). */

enum {
	SZ_STAT = 144,          /* struct stat */
	SZ_STATX = 256,         /* struct statx */
	SZ_STATFS = 120,        /* struct statfs */
	SZ_UTSNAME = 390,       /* struct new_utsname: 6 x 65 */
	SZ_SYSINFO = 112,
	SZ_TMS = 32,
	SZ_RUSAGE = 144,
	SZ_TIMESPEC = 16,
	SZ_TIMEVAL = 16,
	SZ_TIMEZONE = 8,
	SZ_RLIMIT = 16,
	SZ_ITIMERSPEC = 32,
	SZ_ITIMERVAL = 32,
	SZ_SIGINFO = 128,
	SZ_STACK_T = 24,        /* ss_sp, ss_flags (+pad), ss_size */
	SZ_KSIGACTION_HEAD = 24,/* handler, flags, restorer; the mask follows */
	SZ_EPOLL_EVENT = 12,    /* packed on x86-64 */
	SZ_POLLFD = 8,
	SZ_FLOCK = 32,
	SZ_MSGHDR = 56,
	SZ_MMSGHDR = 64,        /* msghdr + msg_len, padded */
	SZ_SOCKADDR_MAX = 128,  /* sockaddr_storage: the kernel never writes more */
	SZ_IOVEC = 16,
	SZ_TIMEX = 208,
	SZ_USTAT = 32,
	SZ_USER_DESC = 16,
	SZ_CAP_HEADER = 8,
	SZ_CAP_DATA = 12,
	SZ_MQ_ATTR = 64,
	SZ_MSQID_DS = 120,
	SZ_MSGINFO = 32,
	SZ_SHMID_DS = 112,
	SZ_SHMINFO = 72,        /* shminfo64 */
	SZ_SHM_INFO = 48,
	SZ_SEMID_DS = 104,
	SZ_SEMINFO = 40,
	SZ_IF_DQBLK = 72,
	SZ_IF_DQINFO = 24,
	SZ_FS_DISK_QUOTA = 112,
	SZ_FS_QUOTA_STAT = 80,
	SZ_FS_QUOTA_STATV = 160,
	SZ_CACHESTAT = 40,
	SZ_PKEY_QUERY = 56,     /* struct keyctl_pkey_query */
	SZ_SECCOMP_NOTIF_SIZES = 6,
	UIO_MAXIOV = 1024,
};

/* Values of the kernel ABI used below; spelled out so that this file does
 * not depend on which of glibc's or the kernel's headers are installed. */
#define K_CLONE_VM 0x00000100ULL
#define K_CLONE_PIDFD 0x00001000ULL
#define K_CLONE_VFORK 0x00004000ULL
#define K_CLONE_THREAD 0x00010000ULL
#define K_CLONE_PARENT_SETTID 0x00100000ULL

/* Results a syscall-exit stop shows when a signal interrupted the call; some
 * calls have already written (remaining time, poll revents) by then. */
#define K_ERESTARTSYS 512
#define K_ERESTARTNOINTR 513
#define K_ERESTARTNOHAND 514
#define K_ERESTART_RESTARTBLOCK 516

static int interrupted(int64_t r)
{
	return r == -EINTR || r == -K_ERESTARTSYS || r == -K_ERESTARTNOINTR ||
	       r == -K_ERESTARTNOHAND || r == -K_ERESTART_RESTARTBLOCK;
}

static uint64_t umin(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ------------------------------------------------------------------ */
/* ioctl requests
 *
 * A request the table names says what it writes at its argument when it
 * succeeds. Any other request is read from its _IOC encoding (direction,
 * size, type, number): no direction writes nothing, _IOC_READ writes
 * _IOC_SIZE bytes. Requests older than the encoding carry neither (tty 'T',
 * VT 'V', sockets 0x89, block 0x12, ...): one of those the table does not
 * name, or a request whose data the kernel writes through pointers inside
 * its argument (IOC_UNKNOWN), is recorded when it fails (a failing request
 * wrote nothing: EINVAL, ENOTTY, EBADF, ENODEV, EOPNOTSUPP, ...) and refused
 * when it succeeds. Entries here also correct requests whose encoding lies
 * (TUNGETIFF is encoded as an int and writes a struct ifreq).
 */

enum {
	IOC_UNKNOWN = -1,   /* recorded when it fails, refused when it succeeds */
	IOC_IFCONF = -2,    /* struct ifconf: ifc_len, and that many bytes at ifc_buf */
	IOC_FIEMAP = -3,    /* struct fiemap and its fm_mapped_extents extents */
	IOC_DEDUPE = -4,    /* struct file_dedupe_range and its dest_count infos */
};

enum {
	SZ_IFREQ = 40,
	SZ_TERMIOS = 36,        /* the kernel's struct termios: no speeds */
	SZ_SERIAL = 72,         /* struct serial_struct */
	SZ_SERIAL_ICOUNT = 80,  /* struct serial_icounter_struct */
	SZ_FIEMAP = 32,
	SZ_FIEMAP_EXTENT = 56,
	SZ_DEDUPE = 24,
	SZ_DEDUPE_INFO = 32,
};

struct ioctl_info {
	uint32_t req;
	const char *name;
	int out;        /* bytes written at arg 3 on success, or IOC_* */
};

static const struct ioctl_info ioctl_table[] = {
	/* terminals: struct termios is 36 bytes in the kernel (no speeds),
	 * struct termio 18, struct termios2 44 */
	{ 0x5401, "TCGETS", SZ_TERMIOS },
	{ 0x5402, "TCSETS", 0 },
	{ 0x5403, "TCSETSW", 0 },
	{ 0x5404, "TCSETSF", 0 },
	{ 0x5405, "TCGETA", 18 },
	{ 0x5406, "TCSETA", 0 },
	{ 0x5407, "TCSETAW", 0 },
	{ 0x5408, "TCSETAF", 0 },
	{ 0x5409, "TCSBRK", 0 },
	{ 0x540A, "TCXONC", 0 },
	{ 0x540B, "TCFLSH", 0 },
	{ 0x540C, "TIOCEXCL", 0 },
	{ 0x540D, "TIOCNXCL", 0 },
	{ 0x540E, "TIOCSCTTY", 0 },
	{ 0x540F, "TIOCGPGRP", 4 },
	{ 0x5410, "TIOCSPGRP", 0 },
	{ 0x5411, "TIOCOUTQ", 4 },
	{ 0x5412, "TIOCSTI", 0 },
	{ 0x5413, "TIOCGWINSZ", 8 },
	{ 0x5414, "TIOCSWINSZ", 0 },
	{ 0x5415, "TIOCMGET", 4 },
	{ 0x5416, "TIOCMBIS", 0 },
	{ 0x5417, "TIOCMBIC", 0 },
	{ 0x5418, "TIOCMSET", 0 },
	{ 0x5419, "TIOCGSOFTCAR", 4 },
	{ 0x541A, "TIOCSSOFTCAR", 0 },
	{ 0x541B, "FIONREAD", 4 },      /* also TIOCINQ */
	{ 0x541C, "TIOCLINUX", IOC_UNKNOWN }, /* subcommand-dependent */
	{ 0x541D, "TIOCCONS", 0 },
	{ 0x541E, "TIOCGSERIAL", SZ_SERIAL },
	{ 0x541F, "TIOCSSERIAL", 0 },
	{ 0x5420, "TIOCPKT", 0 },
	{ 0x5421, "FIONBIO", 0 },
	{ 0x5422, "TIOCNOTTY", 0 },
	{ 0x5423, "TIOCSETD", 0 },
	{ 0x5424, "TIOCGETD", 4 },
	{ 0x5425, "TCSBRKP", 0 },
	{ 0x5427, "TIOCSBRK", 0 },
	{ 0x5428, "TIOCCBRK", 0 },
	{ 0x5429, "TIOCGSID", 4 },
	{ 0x802C542A, "TCGETS2", 44 },
	{ 0x402C542B, "TCSETS2", 0 },
	{ 0x402C542C, "TCSETSW2", 0 },
	{ 0x402C542D, "TCSETSF2", 0 },
	{ 0x80045430, "TIOCGPTN", 4 },
	{ 0x40045431, "TIOCSPTLCK", 0 },
	{ 0x80045432, "TIOCGDEV", 4 },
	{ 0x40045436, "TIOCSIG", 0 },
	{ 0x5437, "TIOCVHANGUP", 0 },
	{ 0x80045438, "TIOCGPKT", 4 },
	{ 0x80045439, "TIOCGPTLCK", 4 },
	{ 0x80045440, "TIOCGEXCL", 4 },
	{ 0x5441, "TIOCGPTPEER", 0 },   /* the new fd is the result */
	{ 0x5450, "FIONCLEX", 0 },
	{ 0x5451, "FIOCLEX", 0 },
	{ 0x5452, "FIOASYNC", 0 },
	{ 0x5453, "TIOCSERCONFIG", 0 },
	{ 0x5454, "TIOCSERGWILD", 4 },
	{ 0x5455, "TIOCSERSWILD", 0 },
	{ 0x5456, "TIOCGLCKTRMIOS", SZ_TERMIOS },
	{ 0x5457, "TIOCSLCKTRMIOS", 0 },
	{ 0x5458, "TIOCSERGSTRUCT", IOC_UNKNOWN },
	{ 0x5459, "TIOCSERGETLSR", 4 },
	{ 0x545A, "TIOCSERGETMULTI", IOC_UNKNOWN },
	{ 0x545B, "TIOCSERSETMULTI", 0 },
	{ 0x545C, "TIOCMIWAIT", 0 },
	{ 0x545D, "TIOCGICOUNT", SZ_SERIAL_ICOUNT },
	{ 0x5460, "FIOQSIZE", 8 },
	/* TUN/TAP: TUNSETIFF is encoded as writing, TUNGETIFF as reading an
	 * int; both store a struct ifreq */
	{ 0x400454CA, "TUNSETIFF", SZ_IFREQ },
	{ 0x800454D2, "TUNGETIFF", SZ_IFREQ },
	{ 0x801054DB, "TUNGETFILTER", IOC_UNKNOWN }, /* and the filter behind a pointer */
	/* virtual terminals */
	{ 0x5600, "VT_OPENQRY", 4 },
	{ 0x5601, "VT_GETMODE", 8 },    /* struct vt_mode */
	{ 0x5602, "VT_SETMODE", 0 },
	{ 0x5603, "VT_GETSTATE", 6 },   /* struct vt_stat */
	{ 0x5604, "VT_SENDSIG", 0 },
	{ 0x5605, "VT_RELDISP", 0 },
	{ 0x5606, "VT_ACTIVATE", 0 },
	{ 0x5607, "VT_WAITACTIVE", 0 },
	{ 0x5608, "VT_DISALLOCATE", 0 },
	{ 0x5609, "VT_RESIZE", 0 },
	{ 0x560A, "VT_RESIZEX", 0 },
	{ 0x560B, "VT_LOCKSWITCH", 0 },
	{ 0x560C, "VT_UNLOCKSWITCH", 0 },
	{ 0x560D, "VT_GETHIFONTMASK", 2 },
	{ 0x560E, "VT_WAITEVENT", 28 }, /* struct vt_event */
	{ 0x560F, "VT_SETACTIVATE", 0 },
	/* sockets: the SIOCGIF* requests store the whole struct ifreq back */
	{ 0x8901, "FIOSETOWN", 0 },
	{ 0x8902, "SIOCSPGRP", 0 },
	{ 0x8903, "FIOGETOWN", 4 },
	{ 0x8904, "SIOCGPGRP", 4 },
	{ 0x8905, "SIOCATMARK", 4 },
	{ 0x8906, "SIOCGSTAMP", 16 },   /* old struct timeval */
	{ 0x8907, "SIOCGSTAMPNS", 16 }, /* old struct timespec */
	{ 0x890B, "SIOCADDRT", 0 },
	{ 0x890C, "SIOCDELRT", 0 },
	{ 0x8910, "SIOCGIFNAME", SZ_IFREQ },
	{ 0x8911, "SIOCSIFLINK", 0 },
	{ 0x8912, "SIOCGIFCONF", IOC_IFCONF },
	{ 0x8913, "SIOCGIFFLAGS", SZ_IFREQ },
	{ 0x8914, "SIOCSIFFLAGS", 0 },
	{ 0x8915, "SIOCGIFADDR", SZ_IFREQ },
	{ 0x8916, "SIOCSIFADDR", 0 },
	{ 0x8917, "SIOCGIFDSTADDR", SZ_IFREQ },
	{ 0x8918, "SIOCSIFDSTADDR", 0 },
	{ 0x8919, "SIOCGIFBRDADDR", SZ_IFREQ },
	{ 0x891A, "SIOCSIFBRDADDR", 0 },
	{ 0x891B, "SIOCGIFNETMASK", SZ_IFREQ },
	{ 0x891C, "SIOCSIFNETMASK", 0 },
	{ 0x891D, "SIOCGIFMETRIC", SZ_IFREQ },
	{ 0x891E, "SIOCSIFMETRIC", 0 },
	{ 0x8921, "SIOCGIFMTU", SZ_IFREQ },
	{ 0x8922, "SIOCSIFMTU", 0 },
	{ 0x8923, "SIOCSIFNAME", 0 },
	{ 0x8924, "SIOCSIFHWADDR", 0 },
	{ 0x8925, "SIOCGIFENCAP", SZ_IFREQ },
	{ 0x8926, "SIOCSIFENCAP", 0 },
	{ 0x8927, "SIOCGIFHWADDR", SZ_IFREQ },
	{ 0x8929, "SIOCGIFSLAVE", SZ_IFREQ },
	{ 0x8930, "SIOCSIFSLAVE", 0 },
	{ 0x8931, "SIOCADDMULTI", 0 },
	{ 0x8932, "SIOCDELMULTI", 0 },
	{ 0x8933, "SIOCGIFINDEX", SZ_IFREQ },
	{ 0x8934, "SIOCSIFPFLAGS", 0 },
	{ 0x8935, "SIOCGIFPFLAGS", SZ_IFREQ },
	{ 0x8936, "SIOCDIFADDR", 0 },
	{ 0x8937, "SIOCSIFHWBROADCAST", 0 },
	{ 0x8940, "SIOCGIFBR", IOC_UNKNOWN },
	{ 0x8941, "SIOCSIFBR", IOC_UNKNOWN },
	{ 0x8942, "SIOCGIFTXQLEN", SZ_IFREQ },
	{ 0x8943, "SIOCSIFTXQLEN", 0 },
	{ 0x8946, "SIOCETHTOOL", IOC_UNKNOWN }, /* writes through ifr_data */
	{ 0x8947, "SIOCGMIIPHY", SZ_IFREQ },
	{ 0x8948, "SIOCGMIIREG", SZ_IFREQ },
	{ 0x8949, "SIOCSMIIREG", 0 },
	{ 0x894A, "SIOCWANDEV", IOC_UNKNOWN },
	{ 0x894B, "SIOCOUTQNSD", 4 },
	{ 0x894C, "SIOCGSKNS", 0 },     /* the new fd is the result */
	{ 0x8953, "SIOCDARP", 0 },
	{ 0x8954, "SIOCGARP", 68 },     /* struct arpreq */
	{ 0x8955, "SIOCSARP", 0 },
	{ 0x8970, "SIOCGIFMAP", SZ_IFREQ },
	{ 0x8971, "SIOCSIFMAP", 0 },
	{ 0x8982, "SIOCGIFVLAN", IOC_UNKNOWN },
	{ 0x8983, "SIOCSIFVLAN", IOC_UNKNOWN },
	{ 0x89A0, "SIOCBRADDBR", 0 },
	{ 0x89A1, "SIOCBRDELBR", 0 },
	{ 0x89A2, "SIOCBRADDIF", 0 },
	{ 0x89A3, "SIOCBRDELIF", 0 },
	{ 0x89B0, "SIOCSHWTSTAMP", IOC_UNKNOWN }, /* through ifr_data */
	{ 0x89B1, "SIOCGHWTSTAMP", IOC_UNKNOWN },
	/* files and block devices */
	{ 0x0001, "FIBMAP", 4 },        /* the block number, in and out */
	{ 0x0002, "FIGETBSZ", 4 },
	{ 0x1260, "BLKGETSIZE", 8 },
	{ 0x1268, "BLKSSZGET", 4 },
	{ 0x80081272, "BLKGETSIZE64", 8 },
	{ 0x80086601, "FS_IOC_GETFLAGS", 4 },   /* encoded as long, writes int */
	{ 0x40086602, "FS_IOC_SETFLAGS", 0 },
	{ 0x80087601, "FS_IOC_GETVERSION", 4 },
	{ 0xC020660B, "FS_IOC_FIEMAP", IOC_FIEMAP },
	{ 0x40106614, "FS_IOC_GET_ENCRYPTION_PWSALT", 16 },  /* encoded as writing */
	{ 0x400C6615, "FS_IOC_GET_ENCRYPTION_POLICY", 12 },  /* encoded as writing */
	{ 0xC0096616, "FS_IOC_GET_ENCRYPTION_POLICY_EX", IOC_UNKNOWN },
	{ 0xC0046686, "FS_IOC_MEASURE_VERITY", IOC_UNKNOWN },
	{ 0xC0286687, "FS_IOC_READ_VERITY_METADATA", IOC_UNKNOWN },
	{ 0x40049409, "FICLONE", 0 },
	{ 0xC0189436, "FIDEDUPERANGE", IOC_DEDUPE },
	{ 0xC0C0583B, "FS_IOC_GETFSMAP", IOC_UNKNOWN },
	{ 0x80045200, "RNDGETENTCNT", 4 },
	/* perf events: the program's own counters */
	{ 0x2400, "PERF_EVENT_IOC_ENABLE", 0 },
	{ 0x2401, "PERF_EVENT_IOC_DISABLE", 0 },
	{ 0x2402, "PERF_EVENT_IOC_REFRESH", 0 },
	{ 0x2403, "PERF_EVENT_IOC_RESET", 0 },
	{ 0x80082407, "PERF_EVENT_IOC_ID", 8 },
	{ 0xC008240A, "PERF_EVENT_IOC_QUERY_BPF", IOC_UNKNOWN },
};

/* The kernel takes the request as an unsigned int: a request passed through
 * a sign-extending int (0xffffffff802c542a) is the same request. */
static const struct ioctl_info *ioctl_find(uint64_t req)
{
	uint32_t r = (uint32_t)req;

	for (size_t i = 0; i < sizeof ioctl_table / sizeof ioctl_table[0]; i++)
		if (ioctl_table[i].req == r)
			return &ioctl_table[i];
	return NULL;
}

const char *sys_ioctl_name(uint64_t req)
{
	const struct ioctl_info *ii = ioctl_find(req);
	return ii ? ii->name : NULL;
}

#define IOC_DIR(r) ((uint32_t)(r) >> 30)
#define IOC_TYPE(r) (((uint32_t)(r) >> 8) & 0xff)
#define IOC_SIZE(r) (((uint32_t)(r) >> 16) & 0x3fff)
#define IOC_READ_BIT 2u

/* Types (the request's second byte) whose numbers predate the _IOC
 * encoding, so that "no direction, no size" says nothing about them
 * (Documentation/userspace-api/ioctl/ioctl-number.rst): 0x00-0x22 (files,
 * floppies, hdreg, lp, md, block, SCSI generic), 'F' frame buffers, 'K'
 * keyboards, 'L' loop devices, 'S' CD-ROMs, 'T' terminals, 'V' virtual
 * terminals, 0x89 sockets, 0x8B wireless. Also the encoded families whose
 * arguments hold pointers the kernel writes through: 'U' USB, 'd' DRM. */
static int ioctl_opaque_type(unsigned type, int encoded)
{
	if (type == 'U' || type == 'd')
		return 1;
	if (encoded)
		return 0;
	return type <= 0x22 || type == 'F' || type == 'K' || type == 'L' || type == 'S' ||
	       type == 'T' || type == 'V' || type == 0x89 || type == 0x8B;
}

/* What request req writes at its argument when it succeeds: bytes, or
 * IOC_*. */
static int ioctl_out(uint64_t req)
{
	const struct ioctl_info *ii = ioctl_find(req);
	uint32_t dir = IOC_DIR(req), size = IOC_SIZE(req);

	if (ii)
		return ii->out;
	if (ioctl_opaque_type(IOC_TYPE(req), dir != 0 || size != 0))
		return IOC_UNKNOWN;
	if (dir & IOC_READ_BIT)
		return (int)size;
	return dir == 0 && size != 0 ? IOC_UNKNOWN : 0;
}

/* "TCGETS", or the _IOC decoding of an unknown request so that the message
 * still tells a reader which driver it belongs to. */
static void ioctl_describe(uint64_t req, char *buf, size_t len)
{
	static const char *const dirs[] = { "_IO", "_IOW", "_IOR", "_IOWR" };
	const char *name = sys_ioctl_name(req);
	uint32_t r = (uint32_t)req;
	unsigned type = IOC_TYPE(r), nr = r & 0xff, size = IOC_SIZE(r);

	if (name)
		snprintf(buf, len, "%s", name);
	else if (IOC_DIR(r) == 0 && size == 0)
		snprintf(buf, len, "type 0x%x, number 0x%x", type, nr);
	else if (type >= 0x20 && type < 0x7f)
		snprintf(buf, len, "%s('%c', 0x%x, %u)", dirs[r >> 30], type, nr, size);
	else
		snprintf(buf, len, "%s(0x%x, 0x%x, %u)", dirs[r >> 30], type, nr, size);
}

/* ------------------------------------------------------------------ */
/* Commands of multiplexed calls (fcntl, prctl, quotactl, SysV IPC, keyctl,
 * bpf). Each rule gives the bytes a command writes when it succeeds, or one
 * of these. A command the table does not know runs (the kernel, if the table
 * covers it, rejects it too and writes nothing), and is refused if it
 * succeeds after all; one the table knows and cannot record is refused
 * before it runs. */
enum { CMD_UNKNOWN = -1, CMD_REFUSED = -2 };

/* fcntl commands: bytes written at arg 3 on success. */

static int fcntl_out(uint64_t cmd)
{
	switch ((uint32_t)cmd) {
	case 0: case 1: case 2: case 3: case 4:    /* DUPFD GETFD SETFD GETFL SETFL */
	case 6: case 7:                            /* SETLK SETLKW */
	case 8: case 9: case 10: case 11:          /* SETOWN GETOWN SETSIG GETSIG */
	case 15:                                   /* SETOWN_EX */
	case 37: case 38:                          /* OFD_SETLK OFD_SETLKW */
	case 1024: case 1025: case 1026:           /* SETLEASE GETLEASE NOTIFY */
	case 1027: case 1028: case 1029:           /* DUPFD_QUERY CREATED_QUERY CANCELLK */
	case 1030: case 1031: case 1032:           /* DUPFD_CLOEXEC SET/GETPIPE_SZ */
	case 1033: case 1034:                      /* ADD_SEALS GET_SEALS */
	case 1036: case 1038:                      /* SET_RW_HINT SET_FILE_RW_HINT */
		return 0;
	case 5: case 36:                           /* GETLK OFD_GETLK: struct flock */
		return SZ_FLOCK;
	case 16:                                   /* GETOWN_EX: struct f_owner_ex */
	case 17:                                   /* GETOWNER_UIDS: two uid_t */
	case 1035: case 1037:                      /* GET_RW_HINT GET_FILE_RW_HINT: u64 */
		return 8;
	default:
		return CMD_UNKNOWN;
	}
}

/* ------------------------------------------------------------------ */
/* prctl options: bytes written through arg 2 on success. PR_GET_AUXV
 * and PR_SCHED_CORE_GET are handled by the caller. The kernel takes the
 * option as an int. */

static int prctl_out(uint64_t opt)
{
	switch ((uint32_t)opt) {
	case 2:  /* PR_GET_PDEATHSIG */
	case 5:  /* PR_GET_UNALIGN */
	case 9:  /* PR_GET_FPEMU */
	case 11: /* PR_GET_FPEXC */
	case 19: /* PR_GET_ENDIAN */
	case 25: /* PR_GET_TSC: the mode the program set (sys_emul) */
	case 37: /* PR_GET_CHILD_SUBREAPER */
		return 4;
	case 16: /* PR_GET_NAME */
		return 16;
	case 40: /* PR_GET_TID_ADDRESS */
	case 74: /* PR_GET_SHADOW_STACK_STATUS */
		return 8;
	case 1: case 3: case 4: case 6: case 7: case 8: case 10: case 12:
	case 13: case 14: case 15: case 20: case 21: case 22: case 23: case 24:
	case 27: case 28: case 29: case 30: case 31: case 32: case 33: case 34:
	case 36: case 38: case 39: case 41: case 42: case 43: case 44: case 45:
	case 46: case 47: case 50: case 51: case 52: case 53: case 54: case 55:
	case 56: case 57: case 58: case 60: case 61: case 63: case 64: case 66:
	case 67: case 68: case 75: case 76: case 77: case 78:
	case 26: /* PR_SET_TSC: emulated (sys_emul), the recorder's mode stays */
	case 0x53564d41: /* PR_SET_VMA: names anonymous mappings */
	case 0x59616d61: /* PR_SET_PTRACER */
		return 0;
	/* PR_SET_MM rewrites the address-space layout behind an emulated call;
	 * syscall user dispatch and MDWE change how later calls behave, and
	 * prctl is not re-executed in replay. */
	case 35: case 59: case 65:
		return CMD_REFUSED;
	default:
		return CMD_UNKNOWN;
	}
}

static const char *prctl_refused_name(uint64_t opt)
{
	switch ((uint32_t)opt) {
	case 26: return "PR_SET_TSC";
	case 35: return "PR_SET_MM";
	case 59: return "PR_SET_SYSCALL_USER_DISPATCH";
	case 65: return "PR_SET_MDWE";
	default: return "?";
	}
}

/* ------------------------------------------------------------------ */
/* SysV IPC and keyctl commands */

/* IPC_64 (0x100) is accepted by the kernel on x86-64 and means nothing. */
static int msgctl_out(uint64_t cmd)
{
	switch (cmd & ~0x100ULL) {
	case 0: case 1: return 0;                  /* IPC_RMID IPC_SET */
	case 2: case 11: case 13: return SZ_MSQID_DS; /* IPC_STAT MSG_STAT MSG_STAT_ANY */
	case 3: case 12: return SZ_MSGINFO;        /* IPC_INFO MSG_INFO */
	default: return CMD_UNKNOWN;
	}
}

static int shmctl_out(uint64_t cmd)
{
	switch (cmd & ~0x100ULL) {
	case 0: case 1: case 11: case 12: return 0; /* RMID SET LOCK UNLOCK */
	case 2: case 13: case 15: return SZ_SHMID_DS; /* IPC_STAT SHM_STAT SHM_STAT_ANY */
	case 3: return SZ_SHMINFO;                 /* IPC_INFO */
	case 14: return SZ_SHM_INFO;               /* SHM_INFO */
	default: return CMD_UNKNOWN;
	}
}

/* GETALL (13) writes nsems shorts, a number the call's arguments do not
 * carry, so it is refused rather than guessed. */
static int semctl_out(uint64_t cmd)
{
	switch (cmd & ~0x100ULL) {
	case 0: case 1: return 0;                  /* IPC_RMID IPC_SET */
	case 11: case 12: case 14: case 15: case 16: case 17: /* GETPID GETVAL GETNCNT GETZCNT SETVAL SETALL */
		return 0;
	case 2: case 18: case 20: return SZ_SEMID_DS; /* IPC_STAT SEM_STAT SEM_STAT_ANY */
	case 3: case 19: return SZ_SEMINFO;        /* IPC_INFO SEM_INFO */
	case 13: return CMD_REFUSED;               /* GETALL */
	default: return CMD_UNKNOWN;
	}
}

/* keyctl (args are op, arg2..arg5 = a[1]..a[4]): 1 = min(result, arg4)
 * bytes at arg3; 2 = min(result, arg3) at arg2; 3 = struct
 * keyctl_pkey_query at arg5; 4 = result bytes at arg5; 0 = nothing;
 * CMD_UNKNOWN. */
static int keyctl_kind(uint64_t op)
{
	switch (op) {
	case 6: case 11: case 17: case 23: return 1; /* DESCRIBE READ GET_SECURITY DH_COMPUTE */
	case 31: return 2;                         /* CAPABILITIES */
	case 24: return 3;                         /* PKEY_QUERY */
	case 25: case 26: case 27: return 4;       /* PKEY_ENCRYPT DECRYPT SIGN */
	default:
		return op <= 32 ? 0 : CMD_UNKNOWN;
	}
}

/* quotactl: bytes written at addr. Commands are QCMD(sub, type): the
 * subcommand is in the upper bits (Q_SYNC is 0x800001, the XFS ones
 * 0x5801...). */
static int quotactl_out(uint64_t cmd)
{
	switch ((uint32_t)cmd >> 8) {
	case 0x800001: case 0x800002: case 0x800003: case 0x800006: case 0x800008:
		return 0;                          /* SYNC QUOTAON QUOTAOFF SETINFO SETQUOTA */
	case 0x800004: return 4;                   /* GETFMT */
	case 0x800005: return SZ_IF_DQINFO;        /* GETINFO */
	case 0x800007: case 0x800009: return SZ_IF_DQBLK; /* GETQUOTA GETNEXTQUOTA */
	case 0x5801: case 0x5802: case 0x5804: case 0x5806: case 0x5807:
		return 0;                          /* XQUOTAON XQUOTAOFF XSETQLIM XQUOTARM XQUOTASYNC */
	case 0x5803: case 0x5809: return SZ_FS_DISK_QUOTA; /* XGETQUOTA XGETNEXTQUOTA */
	case 0x5805: return SZ_FS_QUOTA_STAT;      /* XGETQSTAT */
	case 0x5808: return SZ_FS_QUOTA_STATV;     /* XGETQSTATV */
	default: return CMD_UNKNOWN;
	}
}

/* ------------------------------------------------------------------ */
/* bpf commands */

/* What a bpf command writes (struct bpf_attr at arg 2, its size at arg 3):
 * a map element's value at attr.value, a key at attr.next_key, the
 * verifier's log (written whether the load succeeds or fails), the next id
 * at attr.next_id; or CMD_*. */
enum { BPF_NOTHING, BPF_VALUE, BPF_NEXT_KEY, BPF_PROG_LOG, BPF_BTF_LOG, BPF_NEXT_ID };

static int bpf_kind(uint64_t cmd)
{
	switch ((uint32_t)cmd) {
	case 0: case 2: case 3: case 6: case 7: case 8: case 9: case 13: case 14: case 17:
	case 19: case 22: case 28: case 29: case 30: case 32: case 33: case 34: case 35: case 36:
		return BPF_NOTHING;       /* create, update, delete, pin, attach, fds, ... */
	case 1: case 21:
		return BPF_VALUE;         /* MAP_LOOKUP_ELEM, MAP_LOOKUP_AND_DELETE_ELEM */
	case 4:
		return BPF_NEXT_KEY;      /* MAP_GET_NEXT_KEY */
	case 5:
		return BPF_PROG_LOG;      /* PROG_LOAD */
	case 18:
		return BPF_BTF_LOG;       /* BTF_LOAD */
	case 11: case 12: case 23: case 31:
		return BPF_NEXT_ID;       /* PROG, MAP, BTF, LINK_GET_NEXT_ID */
	/* these write through pointers inside their attributes (test runs,
	 * object info, queries, batches, program streams) */
	case 10: case 15: case 16: case 20: case 24: case 25: case 26: case 27: case 37:
		return CMD_REFUSED;
	default:
		return CMD_UNKNOWN;
	}
}

static const char *bpf_cmd_name(uint64_t cmd)
{
	static const char *const names[] = {
		"BPF_MAP_CREATE", "BPF_MAP_LOOKUP_ELEM", "BPF_MAP_UPDATE_ELEM",
		"BPF_MAP_DELETE_ELEM", "BPF_MAP_GET_NEXT_KEY", "BPF_PROG_LOAD", "BPF_OBJ_PIN",
		"BPF_OBJ_GET", "BPF_PROG_ATTACH", "BPF_PROG_DETACH", "BPF_PROG_TEST_RUN",
		"BPF_PROG_GET_NEXT_ID", "BPF_MAP_GET_NEXT_ID", "BPF_PROG_GET_FD_BY_ID",
		"BPF_MAP_GET_FD_BY_ID", "BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY",
		"BPF_RAW_TRACEPOINT_OPEN", "BPF_BTF_LOAD", "BPF_BTF_GET_FD_BY_ID",
		"BPF_TASK_FD_QUERY", "BPF_MAP_LOOKUP_AND_DELETE_ELEM", "BPF_MAP_FREEZE",
		"BPF_BTF_GET_NEXT_ID", "BPF_MAP_LOOKUP_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
		"BPF_MAP_UPDATE_BATCH", "BPF_MAP_DELETE_BATCH", "BPF_LINK_CREATE",
		"BPF_LINK_UPDATE", "BPF_LINK_GET_FD_BY_ID", "BPF_LINK_GET_NEXT_ID",
		"BPF_ENABLE_STATS", "BPF_ITER_CREATE", "BPF_LINK_DETACH", "BPF_PROG_BIND_MAP",
		"BPF_TOKEN_CREATE", "BPF_PROG_STREAM_READ_BY_FD",
	};
	uint32_t c = (uint32_t)cmd;

	return c < sizeof names / sizeof names[0] ? names[c] : "?";
}

enum { CMD_NONE = -3 };   /* not a multiplexed call */

/* The command a multiplexed call carries: its rule's answer (bytes or
 * CMD_*), described in what for messages. */
static int command_of(long nr, const uint64_t *a, char *what, size_t len)
{
	int out;

	switch (nr) {
	case __NR_fcntl:
		snprintf(what, len, "fcntl command %d on fd %d", (int)a[1], (int)a[0]);
		return fcntl_out(a[1]);
	case __NR_prctl:
		out = a[0] == 0x41555856 /* PR_GET_AUXV */ ? 0 : prctl_out(a[0]);
		if (out == CMD_REFUSED)
			snprintf(what, len, "prctl %s (%d)", prctl_refused_name(a[0]), (int)a[0]);
		else
			snprintf(what, len, "prctl option %d", (int)a[0]);
		return out;
	case __NR_msgctl:
		snprintf(what, len, "msgctl command %d", (int)a[1]);
		return msgctl_out(a[1]);
	case __NR_shmctl:
		snprintf(what, len, "shmctl command %d", (int)a[1]);
		return shmctl_out(a[1]);
	case __NR_semctl:
		snprintf(what, len, "semctl command %d", (int)a[2]);
		return semctl_out(a[2]);
	case __NR_keyctl:
		snprintf(what, len, "keyctl operation %d", (int)a[0]);
		return keyctl_kind(a[0]);
	case __NR_quotactl:
	case __NR_quotactl_fd: {
		uint64_t cmd = nr == __NR_quotactl ? a[0] : a[1];

		snprintf(what, len, "%s command 0x%x", sys_name(nr), (unsigned)cmd);
		return quotactl_out(cmd);
	}
	case __NR_bpf:
		out = bpf_kind(a[0]);
		if (out == CMD_UNKNOWN)
			snprintf(what, len, "bpf command %d", (int)a[0]);
		else
			snprintf(what, len, "bpf command %s (%d)", bpf_cmd_name(a[0]), (int)a[0]);
		return out;
	default:
		return CMD_NONE;
	}
}

/* ------------------------------------------------------------------ */
/* sys_check */

static const struct sys_tracee no_tracee;

static int clone_flags_ok(uint64_t flags, char *err, size_t errlen)
{
	if (flags & (K_CLONE_VM | K_CLONE_THREAD | K_CLONE_VFORK)) {
		errf(err, errlen,
		     "unsupported: threads and vfork-style clone (clone flags 0x%" PRIx64 ")",
		     flags);
		return -1;
	}
	return 0;
}

/* A command rule's answer at entry: out (bytes or CMD_*) for the command
 * described by what. */
static int command_ok(int out, const struct sys_tracee *t, char *err, size_t errlen,
                      const char *what)
{
	if (out >= 0 || (out == CMD_UNKNOWN && !(t->kernel & SYS_KERNEL_NEWER)))
		return 0;
	if (out == CMD_UNKNOWN)
		errf(err, errlen, "unsupported %s (unknown to rrtui, and this kernel is newer than "
		     "the %d.%d its table knows)", what, SYS_TABLE_KERNEL_MAJOR, SYS_TABLE_KERNEL_MINOR);
	else
		errf(err, errlen, "unsupported %s", what);
	return -1;
}

/* A number outside the table. The kernel runs only the x86-64 calls it has
 * and, with the x32 ABI, 0x40000000 | n; the rest fail with ENOSYS, which
 * records exactly. A kernel newer than the table may have calls beyond it. */
static int nosys_check(long nr, const struct sys_tracee *t, char *err, size_t errlen)
{
	int32_t k = (int32_t)nr;

	if (k >= 0x40000000 && k < 0x40000000 + 1024 && (t->kernel & SYS_KERNEL_X32)) {
		const char *name = sys_name(k - 0x40000000);

		errf(err, errlen, "unsupported x32 system call 0x%x (%s)", (unsigned)k,
		     name ? name : "x32 only");
		return -1;
	}
	if (k >= 0 && k < 0x40000000 && (t->kernel & SYS_KERNEL_NEWER)) {
		errf(err, errlen, "unsupported system call %d (unknown to rrtui, and this kernel is "
		     "newer than the %d.%d its table knows)", (int)k, SYS_TABLE_KERNEL_MAJOR,
		     SYS_TABLE_KERNEL_MINOR);
		return -1;
	}
	return 0;
}

static int i386_check(long nr, const struct sys_info *si, const struct sys_tracee *t,
                      char *err, size_t errlen)
{
	uint32_t n = (uint32_t)nr;

	if (si && si->replay != SYS_NOSYS)
		return 0;
	if (si) {
		if ((int32_t)n >= 0 && (t->kernel & SYS_KERNEL_NEWER)) {
			errf(err, errlen, "unsupported i386 system call %u (int $0x80; unknown to "
			     "rrtui, and this kernel is newer than its table)", n);
			return -1;
		}
		return 0;
	}
	errf(err, errlen, "unsupported i386 system call %s (%u, made with int $0x80 from 64-bit "
	     "code)", i386_name(n), n);
	return -1;
}

int sys_check(long nr, const uint64_t args[6], const struct sys_tracee *t,
              char *err, size_t errlen)
{
	const struct sys_info *si = sys_lookup(nr);

	if (!t)
		t = &no_tracee;
	if (is_i386(nr))
		return i386_check(nr, si, t, err, errlen);
	if (!si) {
		const char *name = sys_name((int32_t)nr);

		errf(err, errlen, "unsupported system call: the upper half of its number is not the "
		     "sign extension of the lower half, which the kernel runs (%d%s%s)",
		     (int)(int32_t)nr, name ? ", " : "", name ? name : "");
		return -1;
	}
	if (si->replay == SYS_NOSYS)
		return nosys_check(nr, t, err, errlen);
	if (si->replay == SYS_UNSUPPORTED) {
		errf(err, errlen, "unsupported system call %s (%ld)", si->name, nr);
		return -1;
	}
	switch (nr) {
	case __NR_vfork:
		errf(err, errlen, "unsupported: threads and vfork-style clone (vfork)");
		return -1;
	case __NR_clone:
		return clone_flags_ok(args[0], err, errlen);
	case __NR_clone3: {
		uint64_t flags;

		/* A clone_args the kernel cannot read fails with EFAULT, but
		 * one we cannot read might be fine for the kernel: refuse. */
		if (!t->read || t->read(t->ctx, args[0], &flags, sizeof flags) != 0) {
			errf(err, errlen, "clone3: cannot read struct clone_args at 0x%" PRIx64,
			     args[0]);
			return -1;
		}
		return clone_flags_ok(flags, err, errlen);
	}
	default: {
		/* ioctl: any request may run; what it wrote is decided when it
		 * returns (ioctl_out) */
		char what[96];
		int out = command_of(nr, args, what, sizeof what);

		return out == CMD_NONE ? 0 : command_ok(out, t, err, errlen, what);
	}
	}
}

/* ------------------------------------------------------------------ */
/* sys_out_regions */

struct out {
	struct sys_region *r;
	int n, max;
	int overflow;
};

/* NULL pointers and empty lengths are dropped here so that every rule can
 * state what the kernel writes without repeating the checks. */
static void add(struct out *o, uint64_t addr, uint64_t len)
{
	if (!addr || !len)
		return;
	if (o->n >= o->max) {
		o->overflow = 1;
		return;
	}
	o->r[o->n].addr = addr;
	o->r[o->n].len = len;
	o->n++;
}

static int rd_u32(sys_read_fn rd, void *ctx, uint64_t addr, uint32_t *v)
{
	return rd && rd(ctx, addr, v, sizeof *v) == 0 ? 0 : -1;
}

static int rd_u64(sys_read_fn rd, void *ctx, uint64_t addr, uint64_t *v)
{
	return rd && rd(ctx, addr, v, sizeof *v) == 0 ? 0 : -1;
}

/* Data of a vectored read lands in the iovecs in order, as far as the
 * result reaches. The array is read in chunks so its size does not matter. */
static int spread_iov(struct out *o, sys_read_fn rd, void *ctx, uint64_t iov,
                      uint64_t cnt, uint64_t total)
{
	uint64_t vec[2 * 64];

	if (cnt > UIO_MAXIOV)
		cnt = UIO_MAXIOV;
	for (uint64_t i = 0; i < cnt && total > 0; i += 64) {
		uint64_t k = umin(64, cnt - i);

		if (!rd || rd(ctx, iov + i * SZ_IOVEC, vec, k * SZ_IOVEC) != 0)
			return -1;
		for (uint64_t j = 0; j < k && total > 0; j++) {
			uint64_t n = umin(vec[2 * j + 1], total);

			add(o, vec[2 * j], n);
			total -= n;
		}
	}
	return 0;
}

/* A socket address: the kernel writes min(buffer, real length) bytes and
 * stores the real length; at exit only the latter is visible, and it never
 * exceeds sockaddr_storage. */
static int sockaddr_out(struct out *o, sys_read_fn rd, void *ctx, uint64_t addr,
                        uint64_t lenp)
{
	uint32_t len;

	if (!lenp)
		return 0;
	if (rd_u32(rd, ctx, lenp, &len) != 0)
		return -1;
	add(o, addr, umin(len, SZ_SOCKADDR_MAX));
	add(o, lenp, 4);
	return 0;
}

/* One received msghdr, read after the call: the payload, the peer name,
 * the ancillary data and the three fields the kernel updates. */
static int msghdr_out(struct out *o, sys_read_fn rd, void *ctx, uint64_t msg,
                      uint64_t result)
{
	uint64_t h[SZ_MSGHDR / 8];

	if (!rd || rd(ctx, msg, h, sizeof h) != 0)
		return -1;
	/* h: name, namelen, iov, iovlen, control, controllen, flags */
	if (spread_iov(o, rd, ctx, h[2], h[3], result) != 0)
		return -1;
	add(o, h[0], umin((uint32_t)h[1], SZ_SOCKADDR_MAX));
	add(o, h[4], h[5]);
	add(o, msg + 8, 4);   /* msg_namelen */
	add(o, msg + 40, 8);  /* msg_controllen */
	add(o, msg + 48, 4);  /* msg_flags */
	return 0;
}

/* A NUL-terminated string the kernel copied out (sysfs); read a byte at a
 * time so the read never crosses into an unmapped page. */
static int string_out(struct out *o, sys_read_fn rd, void *ctx, uint64_t addr)
{
	for (uint64_t i = 0; i < 256; i++) {
		char c;

		if (!rd || rd(ctx, addr + i, &c, 1) != 0)
			return -1;
		if (c == '\0') {
			add(o, addr, i + 1);
			return 0;
		}
	}
	add(o, addr, 256);
	return 0;
}

/* An ioctl that succeeded (ioctl_out says what it wrote). */
static int ioctl_regions(struct out *o, const uint64_t *a, const struct sys_tracee *t,
                         char *err, size_t errlen)
{
	int n = ioctl_out(a[1]);
	uint64_t arg = a[2];

	switch (n) {
	case IOC_IFCONF: {
		/* struct ifconf { int ifc_len; void *ifc_buf; }: the kernel
		 * stores the length it filled; a NULL buffer asks for the
		 * length only */
		uint32_t len;
		uint64_t buf;

		if (rd_u32(t->read, t->ctx, arg, &len) != 0 || rd_u64(t->read, t->ctx, arg + 8, &buf) != 0)
			break;
		add(o, arg, 4);
		add(o, buf, len);
		return 0;
	}
	case IOC_FIEMAP: {
		/* struct fiemap, then fm_mapped_extents extents when the caller
		 * gave room for any (fm_extent_count) */
		uint32_t mapped, count;

		if (rd_u32(t->read, t->ctx, arg + 20, &mapped) != 0 ||
		    rd_u32(t->read, t->ctx, arg + 24, &count) != 0)
			break;
		add(o, arg, SZ_FIEMAP + (count ? (uint64_t)umin(mapped, count) * SZ_FIEMAP_EXTENT : 0));
		return 0;
	}
	case IOC_DEDUPE: {
		/* struct file_dedupe_range { u64 src_offset, src_length; u16
		 * dest_count, ...; } and dest_count results */
		uint32_t head;

		if (rd_u32(t->read, t->ctx, arg + 16, &head) != 0)
			break;
		add(o, arg, SZ_DEDUPE + (uint64_t)(head & 0xffff) * SZ_DEDUPE_INFO);
		return 0;
	}
	default:
		add(o, arg, n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	errf(err, errlen, "ioctl %s: cannot read its argument at 0x%" PRIx64,
	     sys_ioctl_name(a[1]), arg);
	return -1;
}

/* The value of a /proc/PID/fdinfo field ("value_size:\t8"), or -1. */
static int64_t fdinfo_field(const char *info, const char *field)
{
	size_t n = strlen(field);

	for (const char *p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, field, n) == 0 && p[n] == ':')
			return strtoll(p + n + 1, NULL, 0);
	return -1;
}

/* The bytes a bpf map element's value (or key) takes when the kernel copies
 * it out: per-CPU maps hold one 8-byte aligned value per possible CPU. */
static int64_t bpf_elem_size(const struct sys_tracee *t, int fd, int key)
{
	char info[1024];
	int64_t type, size;

	if (!t->fdinfo || t->fdinfo(t->ctx, fd, info, sizeof info) != 0)
		return -1;
	type = fdinfo_field(info, "map_type");
	size = fdinfo_field(info, key ? "key_size" : "value_size");
	if (type < 0 || size < 0)
		return -1;
	switch (type) {
	case 5: case 6: case 10: case 21: /* PERCPU_HASH PERCPU_ARRAY LRU_PERCPU_HASH PERCPU_CGROUP_STORAGE */
		if (!key)
			return (size + 7) / 8 * 8 * (t->possible_cpus > 0 ? t->possible_cpus : 1);
		return size;
	default:
		return size;
	}
}

/* Reads the first len bytes of a bpf_attr of size bytes (the kernel reads
 * no more than size, and zero-fills the rest). */
static int bpf_attr(const struct sys_tracee *t, uint64_t addr, uint64_t size, uint8_t *buf,
                    size_t len)
{
	memset(buf, 0, len);
	return t->read && t->read(t->ctx, addr, buf, umin(size, len)) == 0 ? 0 : -1;
}

/* A verifier log: the level, size and buffer at their offsets in the
 * attribute, and the log's true size (its length with the NUL), which the
 * kernel stores at true_at when the attribute reaches that far: it wrote no
 * more of the buffer than that. */
static void bpf_log(struct out *o, const uint8_t *attr, const uint64_t *a, size_t level_at,
                    size_t size_at, size_t buf_at, size_t true_at)
{
	uint32_t level, size, true_size = UINT32_MAX;
	uint64_t buf;

	memcpy(&level, attr + level_at, 4);
	memcpy(&size, attr + size_at, 4);
	memcpy(&buf, attr + buf_at, 8);
	if (a[2] >= true_at + 4) {
		memcpy(&true_size, attr + true_at, 4);
		add(o, a[1] + true_at, 4);
	}
	if (level && size)
		add(o, buf, umin(size, true_size));
}

/* What a bpf call wrote, also when it failed (a rejected program's log). */
static int bpf_regions(struct out *o, const uint64_t *a, int64_t res,
                       const struct sys_tracee *t, char *err, size_t errlen)
{
	uint8_t attr[144];
	uint64_t p;
	uint32_t fd;
	int kind = bpf_kind(a[0]);

	if (res < 0 && kind != BPF_PROG_LOG && kind != BPF_BTF_LOG)
		return 0;
	if (kind <= BPF_NOTHING)
		return 0;
	if (bpf_attr(t, a[1], a[2], attr, sizeof attr) != 0) {
		errf(err, errlen, "bpf %s: cannot read union bpf_attr at 0x%" PRIx64,
		     bpf_cmd_name(a[0]), a[1]);
		return -1;
	}
	switch (kind) {
	case BPF_VALUE:
	case BPF_NEXT_KEY: {
		int64_t n;

		memcpy(&fd, attr, 4);
		memcpy(&p, attr + 16, 8);   /* value, or next_key */
		n = bpf_elem_size(t, (int)fd, kind == BPF_NEXT_KEY);
		if (n < 0) {
			errf(err, errlen, "bpf %s: cannot learn the sizes of map fd %d",
			     bpf_cmd_name(a[0]), (int)fd);
			return -1;
		}
		add(o, p, (uint64_t)n);
		return 0;
	}
	case BPF_NEXT_ID:
		add(o, a[1] + 4, 4);
		return 0;
	case BPF_PROG_LOG:
		bpf_log(o, attr, a, 24, 28, 32, 140);
		/* a record size the kernel does not take is answered with the
		 * one it expects */
		if (res < 0 && a[2] >= 80)
			add(o, a[1] + 76, 4);    /* func_info_rec_size */
		if (res < 0 && a[2] >= 96)
			add(o, a[1] + 92, 4);    /* line_info_rec_size */
		return 0;
	case BPF_BTF_LOG:
		bpf_log(o, attr, a, 24, 20, 8, 28);
		return 0;
	default:
		return 0;
	}
}

/* A call the table let run only because it had to fail: an ioctl request
 * or a command it does not describe that succeeded after all. */
static int unknown_succeeded(long nr, const uint64_t *a, char *err, size_t errlen)
{
	char what[96];

	if (nr == __NR_ioctl) {
		if (ioctl_out(a[1]) != IOC_UNKNOWN)
			return 0;
		ioctl_describe(a[1], what, sizeof what);
		errf(err, errlen, "unsupported ioctl 0x%" PRIx64 " (%s) on fd %d: it succeeded, and "
		     "rrtui does not know what it wrote", (uint64_t)(uint32_t)a[1], what, (int)a[0]);
		return 1;
	}
	if (command_of(nr, a, what, sizeof what) != CMD_UNKNOWN)
		return 0;
	errf(err, errlen, "unsupported %s: the kernel accepted it, and rrtui does not know what "
	     "it writes", what);
	return 1;
}

/* An i386 call (int $0x80): 32-bit time structures; the rest as x86-64. */
static void i386_out(struct out *o, uint32_t n, const uint64_t *a, int64_t res)
{
	uint64_t r = (uint64_t)res;

	if (res < 0) {
		if (n == 162 && interrupted(res))   /* nanosleep: the time left */
			add(o, a[1], 8);
		return;
	}
	switch (n) {
	case 3:         /* read */
	case 85:        /* readlink */
		add(o, a[1], umin(r, a[2]));
		return;
	case 183:       /* getcwd */
	case 355:       /* getrandom */
		add(o, a[0], umin(r, a[1]));
		return;
	case 13:        /* time: old_time32_t */
		add(o, a[0], 4);
		return;
	case 42:        /* pipe */
	case 331:       /* pipe2 */
		add(o, a[0], 8);
		return;
	case 78:        /* gettimeofday: old_timeval32, timezone */
		add(o, a[0], 8);
		add(o, a[1], SZ_TIMEZONE);
		return;
	case 122:       /* uname: struct new_utsname, as on x86-64 */
		add(o, a[0], SZ_UTSNAME);
		return;
	case 162:       /* nanosleep: old_timespec32 */
	case 265:       /* clock_gettime */
		add(o, a[1], 8);
		return;
	case 403:       /* clock_gettime64: __kernel_timespec */
		add(o, a[1], SZ_TIMESPEC);
		return;
	default:
		return;
	}
}

/* Regions written even by calls that fail; everything else starts with
 * "result < 0 writes nothing". */
static void failing_out(struct out *o, long nr, const uint64_t *a, int64_t res)
{
	switch (nr) {
	case __NR_perf_event_open:
		/* an attr.size the kernel does not take is answered with its own */
		if (res == -E2BIG)
			add(o, a[0] + 4, 4);
		return;
	case __NR_nanosleep:
		/* the remaining time is stored when a signal interrupts */
		if (interrupted(res))
			add(o, a[1], SZ_TIMESPEC);
		return;
	case __NR_clock_nanosleep:
		if (interrupted(res))
			add(o, a[3], SZ_TIMESPEC);
		return;
	case __NR_poll:
		/* revents are stored even when the wait was interrupted */
		if (interrupted(res))
			add(o, a[0], a[1] * SZ_POLLFD);
		return;
	case __NR_ppoll:
		if (interrupted(res))
			add(o, a[0], a[1] * SZ_POLLFD);
		if (res != -EFAULT)
			add(o, a[2], SZ_TIMESPEC);
		return;
	case __NR_select:
		/* poll_select_finish stores the remaining time whatever the
		 * result, unless the timeout could not be read in the first place */
		if (res != -EFAULT)
			add(o, a[4], SZ_TIMEVAL);
		return;
	case __NR_pselect6:
		if (res != -EFAULT)
			add(o, a[4], SZ_TIMESPEC);
		return;
	case __NR_capget:
		/* an unknown version is answered with the preferred one */
		if (res == -EINVAL)
			add(o, a[0], SZ_CAP_HEADER);
		return;
	case __NR_name_to_handle_at:
		/* probing with a too-small handle is the normal way to learn
		 * handle_bytes: the header and the mount id are stored */
		if (res == -EOVERFLOW) {
			add(o, a[2], 8);
			add(o, a[3], (a[4] & 1) ? 8 : 4);
		}
		return;
	case NR_lsm_get_self_attr:
	case NR_lsm_list_modules:
		if (res == -E2BIG)
			add(o, nr == NR_lsm_list_modules ? a[1] : a[2], 4);
		return;
	default:
		return;
	}
}

static int ok_out(struct out *o, long nr, const uint64_t *a, int64_t res,
                  const struct sys_tracee *t, char *err, size_t errlen)
{
	sys_read_fn rd = t->read;
	void *ctx = t->ctx;
	uint64_t r = (uint64_t)res;

	switch (nr) {
	/* --- data by result --- */
	case __NR_read:
	case __NR_pread64:
	case __NR_getdents:
	case __NR_getdents64:
		add(o, a[1], umin(r, a[2]));
		return 0;
	case __NR_readlink:
		add(o, a[1], umin(r, a[2]));
		return 0;
	case __NR_readlinkat:
		add(o, a[2], umin(r, a[3]));
		return 0;
	case __NR_getcwd:     /* the result counts the NUL */
		add(o, a[0], umin(r, a[1]));
		return 0;
	case __NR_getrandom:
		add(o, a[0], umin(r, a[1]));
		return 0;
	case __NR_readv:
	case __NR_preadv:
	case __NR_preadv2:
		if (spread_iov(o, rd, ctx, a[1], a[2], r) != 0)
			goto rdfail_iov;
		return 0;
	case __NR_process_vm_readv:
		if (spread_iov(o, rd, ctx, a[1], a[2], r) != 0)
			goto rdfail_iov;
		return 0;
	case __NR_process_vm_writev:
		/* into the program itself: the remote iovecs are its own memory
		 * (into another process: nothing of ours changed) */
		if ((int32_t)a[0] == (int32_t)t->pid && spread_iov(o, rd, ctx, a[3], a[4], r) != 0) {
			errf(err, errlen, "process_vm_writev: cannot read the iovec array at 0x%" PRIx64,
			     a[3]);
			return -1;
		}
		return 0;
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_fgetxattr:
		/* size 0 asks for the length only */
		add(o, a[2], umin(r, a[3]));
		return 0;
	case __NR_listxattr:
	case __NR_llistxattr:
	case __NR_flistxattr:
		add(o, a[1], umin(r, a[2]));
		return 0;
	case NR_listxattrat:
		add(o, a[3], umin(r, a[4]));
		return 0;
	case NR_getxattrat: {
		uint64_t value;
		uint32_t size;

		/* struct xattr_args { u64 value; u32 size; u32 flags; } */
		if (!a[4])
			return 0;
		if (rd_u64(rd, ctx, a[4], &value) != 0 || rd_u32(rd, ctx, a[4] + 8, &size) != 0) {
			errf(err, errlen, "getxattrat: cannot read struct xattr_args at 0x%" PRIx64, a[4]);
			return -1;
		}
		add(o, value, umin(r, size));
		return 0;
	}
	case __NR_sched_getaffinity:
		add(o, a[2], umin(r, a[1]));
		return 0;
	case __NR_syslog:
		/* READ, READ_ALL, READ_CLEAR copy the log out */
		if (a[0] == 2 || a[0] == 3 || a[0] == 4)
			add(o, a[1], umin(r, a[2]));
		return 0;
	case __NR_lookup_dcookie:
		add(o, a[1], umin(r, a[2]));
		return 0;
	case __NR_modify_ldt:
		if (a[0] == 0 || a[0] == 2)   /* read, read_default */
			add(o, a[1], umin(r, a[2]));
		return 0;
	case __NR_mq_timedreceive:
		add(o, a[1], umin(r, a[2]));
		add(o, a[3], 4);
		return 0;
	case __NR_msgrcv:
		/* long mtype, then the text */
		if (a[1])
			add(o, a[1], 8 + umin(r, a[2]));
		return 0;

	/* --- sockets --- */
	case __NR_recvfrom:
		/* MSG_TRUNC makes the result the datagram's full length */
		add(o, a[1], umin(r, a[2]));
		if (a[4] && sockaddr_out(o, rd, ctx, a[4], a[5]) != 0)
			goto rdfail_len;
		return 0;
	case __NR_accept:
	case __NR_accept4:
	case __NR_getsockname:
	case __NR_getpeername:
		if (a[1] && sockaddr_out(o, rd, ctx, a[1], a[2]) != 0)
			goto rdfail_len;
		return 0;
	case __NR_getsockopt: {
		uint32_t len;

		if (!a[4])
			return 0;
		if (rd_u32(rd, ctx, a[4], &len) != 0)
			goto rdfail_len;
		add(o, a[3], len);
		add(o, a[4], 4);
		return 0;
	}
	case __NR_recvmsg:
		if (msghdr_out(o, rd, ctx, a[1], r) != 0) {
			errf(err, errlen, "recvmsg: cannot read struct msghdr at 0x%" PRIx64, a[1]);
			return -1;
		}
		return 0;
	case __NR_recvmmsg:
		for (uint64_t i = 0; i < r; i++) {
			uint64_t m = a[1] + i * SZ_MMSGHDR;
			uint32_t len;

			if (rd_u32(rd, ctx, m + SZ_MSGHDR, &len) != 0 ||
			    msghdr_out(o, rd, ctx, m, len) != 0) {
				errf(err, errlen, "recvmmsg: cannot read struct mmsghdr at 0x%" PRIx64, m);
				return -1;
			}
			add(o, m + SZ_MSGHDR, 4);
		}
		if (r > 0)
			add(o, a[4], SZ_TIMESPEC);
		return 0;
	case __NR_sendmmsg:
		/* msg_len of each message sent */
		for (uint64_t i = 0; i < r; i++)
			add(o, a[1] + i * SZ_MMSGHDR + SZ_MSGHDR, 4);
		return 0;
	case __NR_socketpair:
		add(o, a[3], 8);
		return 0;
	case __NR_pipe:
	case __NR_pipe2:
		add(o, a[0], 8);
		return 0;

	/* --- fixed-size structures --- */
	case __NR_stat:
	case __NR_fstat:
	case __NR_lstat:
		add(o, a[1], SZ_STAT);
		return 0;
	case __NR_newfstatat:
		add(o, a[2], SZ_STAT);
		return 0;
	case __NR_statx:
		add(o, a[4], SZ_STATX);
		return 0;
	case __NR_statfs:
	case __NR_fstatfs:
		add(o, a[1], SZ_STATFS);
		return 0;
	case __NR_ustat:
		add(o, a[1], SZ_USTAT);
		return 0;
	case __NR_uname:
		add(o, a[0], SZ_UTSNAME);
		return 0;
	case __NR_sysinfo:
		add(o, a[0], SZ_SYSINFO);
		return 0;
	case __NR_times:
		add(o, a[0], SZ_TMS);
		return 0;
	case __NR_getrusage:
		add(o, a[1], SZ_RUSAGE);
		return 0;
	case __NR_clock_gettime:
	case __NR_clock_getres:
	case __NR_sched_rr_get_interval:
		add(o, a[1], SZ_TIMESPEC);
		return 0;
	case __NR_gettimeofday:
		add(o, a[0], SZ_TIMEVAL);
		add(o, a[1], SZ_TIMEZONE);
		return 0;
	case __NR_time:
		add(o, a[0], 8);
		return 0;
	case __NR_adjtimex:
		add(o, a[0], SZ_TIMEX);
		return 0;
	case __NR_clock_adjtime:
		add(o, a[1], SZ_TIMEX);
		return 0;
	case __NR_nanosleep:
		add(o, a[1], SZ_TIMESPEC);
		return 0;
	case __NR_clock_nanosleep:
		add(o, a[3], SZ_TIMESPEC);
		return 0;
	case __NR_getitimer:
	case __NR_timer_gettime:
	case __NR_timerfd_gettime:
		add(o, a[1], nr == __NR_getitimer ? SZ_ITIMERVAL : SZ_ITIMERSPEC);
		return 0;
	case __NR_setitimer:
		add(o, a[2], SZ_ITIMERVAL);
		return 0;
	case __NR_timer_settime:
	case __NR_timerfd_settime:
		add(o, a[3], SZ_ITIMERSPEC);
		return 0;
	case __NR_timer_create:
		add(o, a[2], 4);
		return 0;
	case __NR_getrlimit:
		add(o, a[1], SZ_RLIMIT);
		return 0;
	case __NR_prlimit64:
		add(o, a[3], SZ_RLIMIT);
		return 0;
	case __NR_getcpu:
		add(o, a[0], 4);
		add(o, a[1], 4);
		return 0;
	case __NR_get_thread_area:
		add(o, a[0], SZ_USER_DESC);
		return 0;
	case __NR_sched_getparam:
		add(o, a[1], 4);
		return 0;
	case __NR_sched_getattr:
		add(o, a[1], a[2]);
		return 0;
	case __NR_get_robust_list:
		add(o, a[1], 8);
		add(o, a[2], 8);
		return 0;
	case __NR_getgroups:
		if (a[0] > 0)
			add(o, a[1], r * 4);
		return 0;
	case __NR_getresuid:
	case __NR_getresgid:
		add(o, a[0], 4);
		add(o, a[1], 4);
		add(o, a[2], 4);
		return 0;
	case __NR_capget: {
		uint32_t version;

		add(o, a[0], SZ_CAP_HEADER);
		if (!a[1])
			return 0;
		if (rd_u32(rd, ctx, a[0], &version) != 0) {
			errf(err, errlen, "capget: cannot read the header at 0x%" PRIx64, a[0]);
			return -1;
		}
		/* version 1 has one 32-bit set, versions 2 and 3 two */
		add(o, a[1], version == 0x19980330 ? SZ_CAP_DATA : 2 * SZ_CAP_DATA);
		return 0;
	}
	case __NR_mincore:
		add(o, a[2], (a[1] + 4095) / 4096);
		return 0;
	case __NR_get_mempolicy:
		add(o, a[0], 4);
		/* copy_nodes_to_user writes ALIGN(maxnode - 1, 64) / 8 bytes */
		if (a[2] > 0)
			add(o, a[1], ((a[2] - 1 + 63) / 64) * 8);
		return 0;
	case __NR_move_pages:
		add(o, a[4], a[1] * 4);
		return 0;
	case __NR_mq_getsetattr:
		add(o, a[2], SZ_MQ_ATTR);
		return 0;
	case NR_cachestat:
		add(o, a[2], SZ_CACHESTAT);
		return 0;
	case NR_listmount:
		add(o, a[1], r * 8);
		return 0;
	case NR_statmount: {
		uint32_t size;

		/* struct statmount starts with the size the kernel filled */
		if (!a[1])
			return 0;
		if (rd_u32(rd, ctx, a[1], &size) != 0) {
			errf(err, errlen, "statmount: cannot read the buffer at 0x%" PRIx64, a[1]);
			return -1;
		}
		add(o, a[1], umin(size, a[2]));
		return 0;
	}
	case NR_lsm_get_self_attr: {
		uint32_t size;

		if (!a[2])
			return 0;
		if (rd_u32(rd, ctx, a[2], &size) != 0)
			goto rdfail_len;
		add(o, a[1], size);
		add(o, a[2], 4);
		return 0;
	}
	case NR_lsm_list_modules:
		add(o, a[0], r * 8);
		add(o, a[1], 4);
		return 0;
	case NR_file_getattr:
		add(o, a[2], a[3]);
		return 0;

	/* --- waiting --- */
	case __NR_wait4:
		/* nothing is stored when WNOHANG finds no child (result 0) */
		if (r > 0) {
			add(o, a[1], 4);
			add(o, a[3], SZ_RUSAGE);
		}
		return 0;
	case __NR_waitid:
		add(o, a[2], SZ_SIGINFO);
		add(o, a[4], SZ_RUSAGE);
		return 0;
	case __NR_rt_sigtimedwait:
		add(o, a[1], SZ_SIGINFO);
		return 0;

	/* --- multiplexing --- */
	case __NR_poll:
		add(o, a[0], a[1] * SZ_POLLFD);
		return 0;
	case __NR_ppoll:
		add(o, a[0], a[1] * SZ_POLLFD);
		add(o, a[2], SZ_TIMESPEC);
		return 0;
	case __NR_select:
	case __NR_pselect6: {
		/* nfds is an int: ignore whatever the upper half holds */
		uint64_t n = (int32_t)a[0] < 0 ? 0 : (uint32_t)a[0];
		uint64_t bytes = (n + 63) / 64 * 8;

		add(o, a[1], bytes);
		add(o, a[2], bytes);
		add(o, a[3], bytes);
		add(o, a[4], nr == __NR_select ? SZ_TIMEVAL : SZ_TIMESPEC);
		return 0;
	}
	case __NR_epoll_wait:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		add(o, a[1], r * SZ_EPOLL_EVENT);
		return 0;

	/* --- signals --- */
	case __NR_rt_sigaction:
		add(o, a[2], SZ_KSIGACTION_HEAD + a[3]);
		return 0;
	case __NR_rt_sigprocmask:
		add(o, a[2], a[3]);
		return 0;
	case __NR_rt_sigpending:
		add(o, a[0], a[1]);
		return 0;
	case __NR_sigaltstack:
		add(o, a[1], SZ_STACK_T);
		return 0;

	/* --- offsets moved by copying calls --- */
	case __NR_sendfile:
		add(o, a[2], 8);
		return 0;
	case __NR_copy_file_range:
	case __NR_splice:
		add(o, a[1], 8);
		add(o, a[3], 8);
		return 0;

	/* --- processes --- */
	case __NR_clone:
		/* the pidfd goes where parent_tid would (they exclude each other) */
		if (a[0] & (K_CLONE_PARENT_SETTID | K_CLONE_PIDFD))
			add(o, a[2], 4);
		return 0;
	case __NR_clone3: {
		uint64_t ca[4];

		/* struct clone_args { flags, pidfd, child_tid, parent_tid, ... } */
		if (!rd || rd(ctx, a[0], ca, sizeof ca) != 0) {
			errf(err, errlen, "clone3: cannot read struct clone_args at 0x%" PRIx64, a[0]);
			return -1;
		}
		if (ca[0] & K_CLONE_PIDFD)
			add(o, ca[1], 4);
		if (ca[0] & K_CLONE_PARENT_SETTID)
			add(o, ca[3], 4);
		return 0;
	}
	case __NR_name_to_handle_at: {
		uint32_t bytes;

		if (!a[2])
			return 0;
		if (rd_u32(rd, ctx, a[2], &bytes) != 0) {
			errf(err, errlen, "name_to_handle_at: cannot read struct file_handle at 0x%" PRIx64, a[2]);
			return -1;
		}
		add(o, a[2], 8 + (uint64_t)bytes);
		add(o, a[3], (a[4] & 1) ? 8 : 4);   /* AT_HANDLE_MNT_ID_UNIQUE */
		return 0;
	}

	/* --- futexes: only the PI and WAKE_OP operations store --- */
	case __NR_futex:
		switch (a[1] & 0x7f) {
		case 5:  /* WAKE_OP */
		case 11: /* WAIT_REQUEUE_PI */
		case 12: /* CMP_REQUEUE_PI */
			add(o, a[4], 4);
			return 0;
		case 6: case 7: case 8: case 13: /* LOCK_PI UNLOCK_PI TRYLOCK_PI LOCK_PI2 */
			add(o, a[0], 4);
			return 0;
		default:
			return 0;
		}

	/* --- commands --- */
	case __NR_ioctl:
		return ioctl_regions(o, a, t, err, errlen);
	case __NR_fcntl: {
		int n = fcntl_out(a[1]);

		add(o, a[2], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_prctl: {
		int n;

		if (a[0] == 0x41555856) {   /* PR_GET_AUXV: result is the full size */
			add(o, a[1], umin(r, a[2]));
			return 0;
		}
		if (a[0] == 62 && a[1] == 0) {  /* PR_SCHED_CORE_GET: cookie at arg 5 */
			add(o, a[4], 8);
			return 0;
		}
		n = prctl_out(a[0]);
		add(o, a[1], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_arch_prctl:
		switch (a[0]) {
		case 0x1003: case 0x1004:   /* ARCH_GET_FS, ARCH_GET_GS */
		case 0x1021: case 0x1022: case 0x1024: /* XCOMP_SUPP, _PERM, _GUEST_PERM */
		case 0x4001: case 0x4003:   /* GET_UNTAG_MASK, GET_MAX_TAG_BITS */
		case 0x5005:                /* ARCH_SHSTK_STATUS */
			add(o, a[1], 8);
			return 0;
		default:
			return 0;
		}
	case __NR_msgctl: {
		int n = msgctl_out(a[1]);

		add(o, a[2], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_shmctl: {
		int n = shmctl_out(a[1]);

		add(o, a[2], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_semctl: {
		int n = semctl_out(a[2]);

		add(o, a[3], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_keyctl:
		switch (keyctl_kind(a[0])) {
		case 1: add(o, a[2], umin(r, a[3])); return 0;
		case 2: add(o, a[1], umin(r, a[2])); return 0;
		case 3: add(o, a[4], SZ_PKEY_QUERY); return 0;
		case 4: add(o, a[4], r); return 0;
		default: return 0;
		}
	case __NR_quotactl:
	case __NR_quotactl_fd: {
		int n = quotactl_out(nr == __NR_quotactl ? a[0] : a[1]);

		add(o, a[3], n > 0 ? (uint64_t)n : 0);
		return 0;
	}
	case __NR_sysfs:
		if (a[0] == 2 && a[2] && string_out(o, rd, ctx, a[2]) != 0) {
			errf(err, errlen, "sysfs: cannot read the name at 0x%" PRIx64, a[2]);
			return -1;
		}
		return 0;
	case __NR_seccomp:
		if (a[0] == 3)   /* SECCOMP_GET_NOTIF_SIZES */
			add(o, a[2], SZ_SECCOMP_NOTIF_SIZES);
		return 0;
	case __NR_bpf:
		return bpf_regions(o, a, res, t, err, errlen);
	default:
		return 0;
	}

rdfail_iov:
	errf(err, errlen, "%s: cannot read the iovec array at 0x%" PRIx64, sys_name(nr), a[1]);
	return -1;
rdfail_len:
	errf(err, errlen, "%s: cannot read the length the kernel stored", sys_name(nr));
	return -1;
}

int sys_out_regions(long nr, const uint64_t args[6], int64_t result,
                    const struct sys_tracee *t, struct sys_region *out, int max,
                    char *err, size_t errlen)
{
	struct out o = { .r = out, .n = 0, .max = max < 0 ? 0 : max, .overflow = 0 };
	const struct sys_info *si = sys_lookup(nr);

	if (!t)
		t = &no_tracee;
	if (!si) {
		errf(err, errlen, "unsupported system call %ld", nr);
		return -1;
	}
	if (si->replay == SYS_NOSYS) {
		if (result == -ENOSYS)
			return 0;
		errf(err, errlen, "system call %ld%s is not in rrtui's table, yet the kernel ran it "
		     "(it returned %" PRId64 ")", is_i386(nr) ? (long)(uint32_t)nr : nr,
		     is_i386(nr) ? " (i386)" : "", result);
		return -1;
	}
	if (is_i386(nr))
		i386_out(&o, (uint32_t)nr, args, result);
	else if (result >= 0 && unknown_succeeded(nr, args, err, errlen))
		return -1;
	else if (result < 0 && nr == __NR_bpf) {
		if (bpf_regions(&o, args, result, t, err, errlen) != 0)
			return -1;
	} else if (result < 0)
		failing_out(&o, nr, args, result);
	else if (ok_out(&o, nr, args, result, t, err, errlen) != 0)
		return -1;
	if (o.overflow) {
		errf(err, errlen, "%s: the kernel wrote more than %d memory regions",
		     si->name, max);
		return -1;
	}
	return o.n;
}
