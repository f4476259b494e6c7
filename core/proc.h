/*
 * proc.h — small helpers on a stopped ptrace tracee shared by the recorder
 * and the replayer (internal to core/): memory access, the vDSO patch, the
 * initial stack, and starting a program the way both must start it.
 */
#ifndef RRTUI_CORE_PROC_H
#define RRTUI_CORE_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads len bytes at addr (process_vm_readv, falling back to /proc/PID/mem
 * for pages the process cannot read itself). 0 or -1. */
int pr_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/* Writes through /proc/PID/mem, which can write read-only and code pages. */
int pr_write(pid_t pid, uint64_t addr, const void *buf, size_t len);

/* Replaces the vDSO's time functions with real system calls, so that every
 * clock read is a recorded event. Same patch in record and replay. */
int pr_patch_vdso(pid_t pid, char *err, size_t errlen);

/* The [stack] mapping's end (the top of the initial stack). */
int pr_stack_top(pid_t pid, uint64_t *top);

/* In a forked child about to exec the program: no ASLR, rdtsc trapping,
 * same CPU as the parent, traced; then execve. Returns only on failure. */
void pr_child_exec(const char *path, char *const argv[], char *const envp[], int cpu);

/* Picks the CPU to pin the tracer and its tracee to, and pins the caller. */
int pr_pin_self(void);

/* At a syscall stop: whether it is the entry or the exit (or neither). */
enum { PR_SYSCALL_NONE, PR_SYSCALL_ENTRY, PR_SYSCALL_EXIT };
int pr_syscall_op(pid_t pid);

/* Kills a tracee and reaps it, whatever stop it is in. */
void pr_kill(pid_t pid);

/* The hash of a signature point (a signal delivered mid-computation): the
 * x87/SSE/AVX registers and every writable mapping's content but for the
 * dead part of the stack (below sp and its red zone), i.e. what the general
 * registers leave out and the program's future depends on. The recorder and
 * the replayer must compute it alike. *bytes (may be NULL) gets how much
 * memory was read. */
int pr_state_hash(pid_t pid, uint64_t sp, uint64_t *hash, uint64_t *bytes);

/* Waits for pid (with __WALL), retrying on EINTR. */
pid_t pr_wait(pid_t pid, int *status);

#endif
