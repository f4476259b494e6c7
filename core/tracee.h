/*
 * tracee.h — low-level primitives on a stopped ptrace tracee (internal to core/).
 *
 * The reverse-execution engine (timeline, replayer) is built from a handful of
 * operations that only need "a stopped, ptrace-attached, single-threaded
 * process": read and write its registers and memory, run one system call
 * inside it, clone it into a frozen checkpoint and clone that again to go back
 * in time, software breakpoints (int3), hardware breakpoints and watchpoints
 * (DR0-DR7), counting executions of an address in the kernel
 * (PERF_TYPE_BREAKPOINT) to reach its k-th hit without k ptrace stops, and a
 * single-step that handles pending signals and `syscall` instructions. None of
 * this knows about traces or events, so it works on a replayed process and on
 * a live one alike, and the tests drive a live program.
 *
 * Modules and prefixes: tr_ (tracee.c: registers, memory, waiting, stepping,
 * syscall injection), ck_ (ck.c: checkpoints), bp_ (bp.c: int3),
 * hw_ (hw.c: debug registers), hc_ (hitcount.c: run to the k-th hit).
 * Every call that can fail returns 0 or a negative errno and writes a one-line
 * message into err (which may be NULL); nothing prints, nothing exits.
 */
#ifndef RRTUI_CORE_TRACEE_H
#define RRTUI_CORE_TRACEE_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/user.h>

/* ------------------------------------------------------------------ tr_ */

/* Why the tracee is stopped (the last stop seen by tc_wait). */
enum tc_stop {
	TC_STOP_NONE = 0,
	TC_STOP_SIGNAL,        /* signal-delivery stop; t->sig holds the signal
	                          that the next resume delivers (0 = suppress) */
	TC_STOP_TRAP,          /* SIGTRAP from single-step, int3 or a debug
	                          register: never delivered (t->sig = 0) */
	TC_STOP_SYSCALL_ENTRY, /* syscall-entry stop (PTRACE_SYSCALL/SYSEMU) */
	TC_STOP_SYSCALL_EXIT,  /* syscall-exit stop */
	TC_STOP_EVENT,         /* PTRACE_EVENT_* stop, t->event says which */
	TC_STOP_EXITED,        /* exited (t->status = exit code); no more stops */
	TC_STOP_KILLED         /* killed by a signal (t->status = signal) */
};

/* How the tracee was last resumed: decides what a syscall-entry stop means. */
enum tc_mode { TC_MODE_CONT = 0, TC_MODE_SYSCALL, TC_MODE_SYSEMU };

/* Options every tracee handled here needs: syscall stops marked with 0x80,
 * auto-attach of clones (checkpoints are clones) and death of all tracees
 * with the debugger. */
#define TC_PTRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | \
	PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)

#define TC_XSTATE_MAX 4096

struct tracee {
	pid_t pid;
	int memfd;              /* /proc/PID/mem, open for writes to text */
	uint64_t syscall_insn;  /* address of a `syscall` (0f 05); 0 = find one */
	enum tc_stop stop;      /* kind of the current stop */
	enum tc_mode mode;      /* how it was last resumed */
	int sig;                /* signal the next resume delivers */
	int event;              /* PTRACE_EVENT_* for TC_STOP_EVENT */
	int status;             /* exit code or killing signal */
	int wstatus;            /* raw waitpid status of the last stop */
	int trap_code;          /* si_code of the last TC_STOP_TRAP */
	siginfo_t siginfo;      /* of the last TC_STOP_SIGNAL */
};

/* Wrap pid, already ptrace-attached and stopped: sets TC_PTRACE_OPTIONS,
 * opens /proc/PID/mem. The current stop is taken as TC_STOP_SIGNAL with
 * sig 0 unless the caller sets t->stop/t->sig afterwards. */
int tc_attach(struct tracee *t, pid_t pid, char *err, size_t errlen);
/* Start argv[0] (searched in PATH) traced, stopped after execve; its stdout
 * goes to stdout_fd unless that is -1. */
int tc_spawn(struct tracee *t, char *const argv[], int stdout_fd, char *err, size_t errlen);
/* Close our handles; the process is left as it is. */
void tc_close(struct tracee *t);
/* SIGKILL and reap (no zombie left); then tc_close. */
void tc_kill(struct tracee *t);

int tc_get_regs(struct tracee *t, struct user_regs_struct *r, char *err, size_t errlen);
int tc_set_regs(struct tracee *t, const struct user_regs_struct *r, char *err, size_t errlen);
/* FP/SSE/AVX state (NT_X86_XSTATE); *len is the size the kernel uses. */
int tc_get_xstate(struct tracee *t, void *buf, size_t *len, char *err, size_t errlen);
int tc_set_xstate(struct tracee *t, const void *buf, size_t len, char *err, size_t errlen);

/* Exactly len bytes or an error. tc_write also writes read-only text. */
int tc_read(struct tracee *t, uint64_t addr, void *buf, size_t len, char *err, size_t errlen);
int tc_write(struct tracee *t, uint64_t addr, const void *buf, size_t len, char *err, size_t errlen);

/* Wait for the next stop of t (blocking) and classify it into t->stop. */
int tc_wait(struct tracee *t, char *err, size_t errlen);
/* Resume with t->sig delivered (and cleared); request is PTRACE_CONT,
 * PTRACE_SYSCALL, PTRACE_SYSEMU, PTRACE_SINGLESTEP or PTRACE_SYSEMU_SINGLESTEP. */
int tc_resume(struct tracee *t, int request, char *err, size_t errlen);
/* Resume and wait. */
int tc_cont(struct tracee *t, int request, char *err, size_t errlen);

/*
 * Execute exactly one instruction. A pending t->sig is delivered first; when
 * it has a handler the step ends on the handler's first instruction (the
 * signal frame is the "instruction"), when it kills the process the stop is
 * TC_STOP_KILLED. A `syscall` instruction is run for real (flags = 0) or,
 * with TC_STEP_SYSEMU, stops at its syscall-entry stop with rip after it and
 * the call skipped (the replayer then writes the result). A fault stops as
 * TC_STOP_SIGNAL with the instruction not executed. Returns 0 whatever the
 * stop; the caller reads t->stop.
 */
#define TC_STEP_SYSEMU 1
int tc_step(struct tracee *t, int flags, char *err, size_t errlen);

/* Address of a `syscall` instruction in the vDSO or executable text. */
int tc_find_syscall_insn(struct tracee *t, uint64_t *addr, char *err, size_t errlen);

/*
 * Run syscall nr(args) in the stopped tracee at t->syscall_insn (found when
 * 0) and put every register back. Works from a signal-delivery stop (the
 * signal and its siginfo are still pending afterwards: the tracee is back in
 * a signal-delivery stop for it), from a syscall-entry stop (afterwards it is
 * again at an entry stop for the same call, reached with t->mode), from a
 * syscall-exit stop, a trap stop, or an event stop. *ret gets the raw result
 * (-errno on failure). *child_pid, when not NULL, gets the pid reported by a
 * fork/clone event during the call (0 if none).
 */
int tc_inject_syscall(struct tracee *t, long nr, const uint64_t args[6], int64_t *ret,
                      pid_t *child_pid, char *err, size_t errlen);

/* ------------------------------------------------------------------ ck_ */

/*
 * A checkpoint: a clone of the tracee, stopped for good, never run. It is
 * made with clone(CLONE_PARENT) so it is our child (we reap it) and the
 * traced program never sees it (no SIGCHLD, not in its wait()). Restoring
 * clones the checkpoint again; the checkpoint itself is never consumed.
 *
 * What is copied is what fork() copies: memory (copy-on-write), registers,
 * FP state, signal mask and handlers, fds (sharing file offsets). Not
 * copied: other threads, pending signals (except the one of the stop, kept
 * below), debug registers (re-apply hw_ state), timers. MAP_SHARED memory is
 * shared with the checkpoint, not copied. int3 bytes in memory ARE copied:
 * take checkpoints with breakpoints disarmed (bp_disarm).
 *
 * A checkpoint taken at a syscall-entry stop holds the state just before the
 * `syscall` instruction (rip - 2, rax = number): the first resume of a
 * restored tracee with PTRACE_SYSCALL/SYSEMU reaches that entry stop again.
 */
struct ck {
	struct tracee t;          /* the frozen copy (never resumed by callers) */
	struct user_regs_struct regs;
	int sig;                  /* signal pending at the source's stop, 0 if none */
	siginfo_t siginfo;
	int at_syscall_entry;     /* regs rewound to before the syscall insn */
};

struct ck_mem {
	uint64_t rss;             /* resident bytes */
	uint64_t pss;             /* proportional share (shared pages split) */
	uint64_t private_bytes;   /* pages only this checkpoint holds: what
	                             freeing it gives back */
	uint64_t pte_bytes;       /* page tables */
};

int ck_create(struct tracee *t, struct ck *ck, char *err, size_t errlen);
/* New live tracee from ck, at a signal-delivery stop whose t->sig (and
 * siginfo) is the signal pending in the source when ck was taken. */
int ck_restore(struct ck *ck, struct tracee *out, char *err, size_t errlen);
/* Kill and reap the checkpoint process. */
void ck_free(struct ck *ck);
/* Memory cost, from /proc/PID/smaps_rollup and /proc/PID/status. */
int ck_mem(const struct ck *ck, struct ck_mem *m, char *err, size_t errlen);

/* ------------------------------------------------------------------ bp_ */

/* Software breakpoints of one tracee. Several inserts at one address share
 * one int3 (a count). "Armed" means the int3 bytes are in memory. */
struct bp_entry {
	uint64_t addr;
	uint8_t orig;
	int count;
	int live;      /* the int3 is in memory (orig valid); 0 while the
	                  address is not mapped yet (a library not loaded):
	                  bp_arm tries again */
};

struct bp_set {
	struct tracee *t;
	struct bp_entry *v;
	size_t n, cap;
	int armed;
};

void bp_init(struct bp_set *s, struct tracee *t);
void bp_fini(struct bp_set *s);  /* frees the table, leaves memory alone */
int bp_insert(struct bp_set *s, uint64_t addr, char *err, size_t errlen);
int bp_remove(struct bp_set *s, uint64_t addr, char *err, size_t errlen);
/* Number of inserts at addr (0 = none). */
int bp_count(const struct bp_set *s, uint64_t addr);
/* Take all int3 out of memory / put them back (keeps the table). bp_arm
 * skips addresses that are not mapped and retries them at each call. */
int bp_disarm(struct bp_set *s, char *err, size_t errlen);
int bp_arm(struct bp_set *s, char *err, size_t errlen);
/* A mapping replaced or removed [addr, addr+len): the int3 bytes in it went
 * with the old pages; bp_arm puts them in the new ones. */
void bp_remapped(struct bp_set *s, uint64_t addr, uint64_t len);
/* Move the table to another tracee whose memory has no int3 of ours (one
 * restored from a checkpoint taken disarmed); it is left disarmed. */
void bp_retarget(struct bp_set *s, struct tracee *t);
/* Replace our int3 bytes in buf (read from addr) by the original bytes. */
void bp_unpatch(const struct bp_set *s, uint64_t addr, void *buf, size_t len);
/* After a TC_STOP_TRAP: if it is one of our int3, set rip back onto the
 * breakpoint address and return 1 with *addr; else 0. */
int bp_check_hit(struct bp_set *s, uint64_t *addr, char *err, size_t errlen);
/* Single-step (tc_step) with the int3 at rip, if any, taken out meanwhile. */
int bp_step(struct bp_set *s, int flags, char *err, size_t errlen);
/* Step over a breakpoint at rip if any, then resume with request and wait;
 * *hit = 1 (and rip adjusted) when the stop is one of our int3. */
int bp_cont(struct bp_set *s, int request, int *hit, char *err, size_t errlen);

/* ------------------------------------------------------------------ hw_ */

enum hw_type { HW_EXEC = 0, HW_WRITE = 1, HW_RW = 3 };

/* The debug-register setup of a tracee, kept so that it can be applied to a
 * restored tracee (fork does not copy debug registers). */
struct hw_set {
	uint64_t addr[4];
	int type[4];   /* enum hw_type */
	int len[4];    /* 1, 2, 4, 8; 1 for HW_EXEC */
	int used;      /* bit i: slot i in use */
};

void hw_init(struct hw_set *h);
/* Take a free slot (*slot gets it); addr must be aligned to len. */
int hw_add(struct hw_set *h, struct tracee *t, uint64_t addr, enum hw_type type, int len,
           int *slot, char *err, size_t errlen);
int hw_del(struct hw_set *h, struct tracee *t, int slot, char *err, size_t errlen);
/* Write DR0-3 and DR7 of t from h. */
int hw_apply(const struct hw_set *h, struct tracee *t, char *err, size_t errlen);
/* After a TC_STOP_TRAP: read DR6, clear it, *fired = bits 0-3 (slots). */
int hw_check(struct tracee *t, int *fired, char *err, size_t errlen);

/* ------------------------------------------------------------------ hc_ */

/* Which mechanism hc_run_to_hit used. */
enum hc_method { HC_AUTO = 0, HC_PERF, HC_INT3 };
/* Or'ed into the method: resume with PTRACE_SYSEMU(_SINGLESTEP), so that a
 * system call stops the run (-EINTR, at its entry stop) instead of running
 * for real: a replayed process must not execute calls it should not. */
#define HC_SYSEMU 0x100

struct hc_stats {
	enum hc_method method;
	uint64_t kernel_hits;   /* hits counted in the kernel (perf) */
	uint64_t trap_hits;     /* hits that cost a ptrace stop */
	uint64_t stops;         /* ptrace stops in total */
};

/* 1 when PERF_TYPE_BREAKPOINT counting works on t. */
int hc_available(struct tracee *t);

/*
 * Run t forward until the k-th time (k >= 1) the instruction at addr is about
 * to execute, counting the current state as the first when rip == addr
 * already; stops there with rip == addr. bps (may be NULL) holds the
 * caller's int3: they are taken out meanwhile and put back, and only addr is
 * watched. Returns 0 at the k-th hit, -ESRCH if the process exited or
 * -EINTR if a signal stopped it first (t->stop says which; *done, when not
 * NULL, gets the hits reached either way).
 */
int hc_run_to_hit(struct tracee *t, struct bp_set *bps, uint64_t addr, uint64_t k,
                  enum hc_method method, struct hc_stats *st, uint64_t *done,
                  char *err, size_t errlen);

#endif
