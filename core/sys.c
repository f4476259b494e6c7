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
 * or re-executes it, and refuses at entry what it cannot describe (unknown
 * calls, ioctl requests, fcntl commands, threads): a clear refusal is better
 * than a recording that silently diverges later.
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
	[298] = { "perf_event_open", 5, SYS_UNSUPPORTED },
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
	[311] = { "process_vm_writev", 6, SYS_UNSUPPORTED },
	[312] = { "kcmp", 5, SYS_EMULATE },
	[313] = { "finit_module", 3, SYS_EMULATE },
	[314] = { "sched_setattr", 3, SYS_EMULATE },
	[315] = { "sched_getattr", 4, SYS_EMULATE },
	[316] = { "renameat2", 5, SYS_EMULATE },
	[317] = { "seccomp", 3, SYS_EMULATE },
	[318] = { "getrandom", 3, SYS_EMULATE },
	[319] = { "memfd_create", 2, SYS_EMULATE },
	[320] = { "kexec_file_load", 5, SYS_EMULATE },
	[321] = { "bpf", 3, SYS_UNSUPPORTED },
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

const struct sys_info *sys_lookup(long nr)
{
	if (nr < 0 || nr >= SYS_TABLE_LEN || !sys_table[nr].name)
		return NULL;
	return &sys_table[nr];
}

const char *sys_name(long nr)
{
	const struct sys_info *si = sys_lookup(nr);
	return si ? si->name : NULL;
}

long sys_number(const char *name)
{
	if (!name)
		return -1;
	for (long nr = 0; nr < SYS_TABLE_LEN; nr++)
		if (sys_table[nr].name && strcmp(sys_table[nr].name, name) == 0)
			return nr;
	return -1;
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
/* ioctl requests */

struct ioctl_info {
	uint32_t req;
	const char *name;
	int out;        /* bytes written at arg 3 on success; -1: not supported */
};

static const struct ioctl_info ioctl_table[] = {
	/* terminals: struct termios is 36 bytes in the kernel (no speeds),
	 * struct termio 18, struct termios2 44 */
	{ 0x5401, "TCGETS", 36 },
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
	{ 0x541C, "TIOCLINUX", -1 },    /* subcommand-dependent */
	{ 0x541D, "TIOCCONS", 0 },
	{ 0x541E, "TIOCGSERIAL", -1 },
	{ 0x541F, "TIOCSSERIAL", -1 },
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
	{ 0x5456, "TIOCGLCKTRMIOS", -1 },
	{ 0x5457, "TIOCSLCKTRMIOS", -1 },
	{ 0x545D, "TIOCGICOUNT", -1 },
	{ 0x5460, "FIOQSIZE", 8 },
	/* sockets */
	{ 0x8901, "FIOSETOWN", 0 },
	{ 0x8902, "SIOCSPGRP", 0 },
	{ 0x8903, "FIOGETOWN", 4 },
	{ 0x8904, "SIOCGPGRP", 4 },
	{ 0x8905, "SIOCATMARK", 4 },
	{ 0x8906, "SIOCGSTAMP", -1 },
	{ 0x8912, "SIOCGIFCONF", -1 },
	{ 0x8913, "SIOCGIFFLAGS", -1 },
	{ 0x8915, "SIOCGIFADDR", -1 },
	{ 0x8927, "SIOCGIFHWADDR", -1 },
	{ 0x8933, "SIOCGIFINDEX", -1 },
	/* files and block devices */
	{ 0x0002, "FIGETBSZ", 4 },
	{ 0x1260, "BLKGETSIZE", 8 },
	{ 0x1268, "BLKSSZGET", 4 },
	{ 0x80081272, "BLKGETSIZE64", 8 },
	{ 0x80086601, "FS_IOC_GETFLAGS", 4 },   /* encoded as long, writes int */
	{ 0x40086602, "FS_IOC_SETFLAGS", 0 },
	{ 0x80087601, "FS_IOC_GETVERSION", 4 },
	{ 0x40049409, "FICLONE", 0 },
	{ 0x80045200, "RNDGETENTCNT", 4 },
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

/* "TCGETS", or the _IOC decoding of an unknown request so that the message
 * still tells a reader which driver it belongs to. */
static void ioctl_describe(uint64_t req, char *buf, size_t len)
{
	static const char *const dirs[] = { "_IO", "_IOW", "_IOR", "_IOWR" };
	const char *name = sys_ioctl_name(req);
	uint32_t r = (uint32_t)req;
	unsigned type = (r >> 8) & 0xff, nr = r & 0xff, size = (r >> 16) & 0x3fff;

	if (name)
		snprintf(buf, len, "%s", name);
	else if (type >= 0x20 && type < 0x7f)
		snprintf(buf, len, "%s('%c', 0x%x, %u)", dirs[r >> 30], type, nr, size);
	else
		snprintf(buf, len, "%s(0x%x, 0x%x, %u)", dirs[r >> 30], type, nr, size);
}

/* ------------------------------------------------------------------ */
/* fcntl commands: bytes written at arg 3 on success, -1 if unknown. */

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
		return -1;
	}
}

/* ------------------------------------------------------------------ */
/* prctl options: bytes written through arg 2 on success, -1 if unknown,
 * -2 if known but refused. PR_GET_AUXV is handled by its caller. */

static int prctl_out(uint64_t opt)
{
	switch (opt) {
	case 2:  /* PR_GET_PDEATHSIG */
	case 5:  /* PR_GET_UNALIGN */
	case 9:  /* PR_GET_FPEMU */
	case 11: /* PR_GET_FPEXC */
	case 19: /* PR_GET_ENDIAN */
	case 25: /* PR_GET_TSC */
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
	case 67: case 68: case 75: case 76:
	case 0x53564d41: /* PR_SET_VMA: names anonymous mappings */
	case 0x59616d61: /* PR_SET_PTRACER */
		return 0;
	/* PR_SET_TSC would undo the rdtsc trapping recording relies on;
	 * PR_SET_MM rewrites the address-space layout behind an emulated call;
	 * syscall user dispatch and MDWE change how later calls behave, and
	 * prctl is not re-executed in replay. */
	case 26: case 35: case 59: case 65:
		return -2;
	default:
		return -1;
	}
}

static const char *prctl_refused_name(uint64_t opt)
{
	switch (opt) {
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
	default: return -1;
	}
}

static int shmctl_out(uint64_t cmd)
{
	switch (cmd & ~0x100ULL) {
	case 0: case 1: case 11: case 12: return 0; /* RMID SET LOCK UNLOCK */
	case 2: case 13: case 15: return SZ_SHMID_DS; /* IPC_STAT SHM_STAT SHM_STAT_ANY */
	case 3: return SZ_SHMINFO;                 /* IPC_INFO */
	case 14: return SZ_SHM_INFO;               /* SHM_INFO */
	default: return -1;
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
	default: return -1;
	}
}

/* keyctl (args are op, arg2..arg5 = a[1]..a[4]): 1 = min(result, arg4)
 * bytes at arg3; 2 = min(result, arg3) at arg2; 3 = struct
 * keyctl_pkey_query at arg5; 4 = result bytes at arg5; 0 = nothing;
 * -1 unknown. */
static int keyctl_kind(uint64_t op)
{
	switch (op) {
	case 6: case 11: case 17: case 23: return 1; /* DESCRIBE READ GET_SECURITY DH_COMPUTE */
	case 31: return 2;                         /* CAPABILITIES */
	case 24: return 3;                         /* PKEY_QUERY */
	case 25: case 26: case 27: return 4;       /* PKEY_ENCRYPT DECRYPT SIGN */
	default:
		return op <= 32 ? 0 : -1;
	}
}

/* quotactl: bytes written at addr, or -1 if unknown. Commands are
 * QCMD(sub, type): the subcommand is in the upper bits. */
static int quotactl_out(uint64_t cmd)
{
	switch ((uint32_t)cmd >> 8) {
	case 0x8001: case 0x8002: case 0x8003: case 0x8006: case 0x8008:
		return 0;                          /* SYNC QUOTAON QUOTAOFF SETINFO SETQUOTA */
	case 0x8004: return 4;                     /* GETFMT */
	case 0x8005: return SZ_IF_DQINFO;          /* GETINFO */
	case 0x8007: case 0x8009: return SZ_IF_DQBLK; /* GETQUOTA GETNEXTQUOTA */
	default: return -1;
	}
}

/* ------------------------------------------------------------------ */
/* sys_check */

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

int sys_check(long nr, const uint64_t args[6], sys_read_fn rd, void *ctx,
              char *err, size_t errlen)
{
	const struct sys_info *si = sys_lookup(nr);
	char what[64];

	if (!si) {
		errf(err, errlen, "unsupported system call %ld", nr);
		return -1;
	}
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
		if (!rd || rd(ctx, args[0], &flags, sizeof flags) != 0) {
			errf(err, errlen, "clone3: cannot read struct clone_args at 0x%" PRIx64,
			     args[0]);
			return -1;
		}
		return clone_flags_ok(flags, err, errlen);
	}
	case __NR_ioctl: {
		const struct ioctl_info *ii = ioctl_find(args[1]);

		if (ii && ii->out >= 0)
			return 0;
		ioctl_describe(args[1], what, sizeof what);
		errf(err, errlen, "unsupported ioctl 0x%" PRIx64 " (%s) on fd %d",
		     (uint64_t)(uint32_t)args[1], what, (int)args[0]);
		return -1;
	}
	case __NR_fcntl:
		if (fcntl_out(args[1]) >= 0)
			return 0;
		errf(err, errlen, "unsupported fcntl command %d on fd %d",
		     (int)args[1], (int)args[0]);
		return -1;
	case __NR_prctl: {
		int o = args[0] == 0x41555856 /* PR_GET_AUXV */ ? 0 : prctl_out(args[0]);

		if (o >= 0)
			return 0;
		if (o == -2)
			errf(err, errlen, "unsupported prctl %s (%" PRIu64 ")",
			     prctl_refused_name(args[0]), args[0]);
		else
			errf(err, errlen, "unsupported prctl option %" PRIu64, args[0]);
		return -1;
	}
	case __NR_msgctl:
		if (msgctl_out(args[1]) >= 0)
			return 0;
		errf(err, errlen, "unsupported msgctl command %d", (int)args[1]);
		return -1;
	case __NR_shmctl:
		if (shmctl_out(args[1]) >= 0)
			return 0;
		errf(err, errlen, "unsupported shmctl command %d", (int)args[1]);
		return -1;
	case __NR_semctl:
		if (semctl_out(args[2]) >= 0)
			return 0;
		errf(err, errlen, "unsupported semctl command %d", (int)args[2]);
		return -1;
	case __NR_keyctl:
		if (keyctl_kind(args[0]) >= 0)
			return 0;
		errf(err, errlen, "unsupported keyctl operation %d", (int)args[0]);
		return -1;
	case __NR_quotactl:
	case __NR_quotactl_fd: {
		uint64_t cmd = nr == __NR_quotactl ? args[0] : args[1];

		if (quotactl_out(cmd) >= 0)
			return 0;
		errf(err, errlen, "unsupported %s command 0x%x", si->name, (unsigned)cmd);
		return -1;
	}
	default:
		return 0;
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

/* Regions written even by calls that fail; everything else starts with
 * "result < 0 writes nothing". */
static void failing_out(struct out *o, long nr, const uint64_t *a, int64_t res)
{
	switch (nr) {
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
                  sys_read_fn rd, void *ctx, char *err, size_t errlen)
{
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
	case __NR_ioctl: {
		const struct ioctl_info *ii = ioctl_find(a[1]);

		if (!ii || ii->out < 0) {
			errf(err, errlen, "unsupported ioctl 0x%" PRIx64 " on fd %d",
			     (uint64_t)(uint32_t)a[1], (int)a[0]);
			return -1;
		}
		add(o, a[2], (uint64_t)ii->out);
		return 0;
	}
	case __NR_fcntl: {
		int n = fcntl_out(a[1]);

		if (n < 0) {
			errf(err, errlen, "unsupported fcntl command %d on fd %d", (int)a[1], (int)a[0]);
			return -1;
		}
		add(o, a[2], (uint64_t)n);
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
		if (n < 0) {
			errf(err, errlen, "unsupported prctl option %" PRIu64, a[0]);
			return -1;
		}
		add(o, a[1], (uint64_t)n);
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
                    sys_read_fn rd, void *ctx, struct sys_region *out, int max,
                    char *err, size_t errlen)
{
	struct out o = { .r = out, .n = 0, .max = max < 0 ? 0 : max, .overflow = 0 };
	const struct sys_info *si = sys_lookup(nr);

	if (!si) {
		errf(err, errlen, "unsupported system call %ld", nr);
		return -1;
	}
	if (result < 0)
		failing_out(&o, nr, args, result);
	else if (ok_out(&o, nr, args, result, rd, ctx, err, errlen) != 0)
		return -1;
	if (o.overflow) {
		errf(err, errlen, "%s: the kernel wrote more than %d memory regions",
		     si->name, max);
		return -1;
	}
	return o.n;
}
