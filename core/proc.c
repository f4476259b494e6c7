/*
 * proc.c — memory access, the vDSO patch and process start-up for a traced
 * program (used by both the recorder and the replayer, which must do these
 * things identically for a replay to match its recording).
 */
#include "core/proc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int pr_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	if (!len)
		return 0;
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

int pr_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	if (!len)
		return 0;
	struct iovec local = {(void *)buf, len}, remote = {(void *)(uintptr_t)addr, len};
	/* Most writes land in writable data: the cheap path first. */
	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(fd, p + done, len - done, (off_t)(addr + done));
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	return 0;
}

static int find_mapping(pid_t pid, const char *name, uint64_t *lo, uint64_t *hi)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int found = -1;
	while (fgets(line, sizeof line, f)) {
		if (!strstr(line, name))
			continue;
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx", &a, &b) == 2) {
			*lo = a;
			*hi = b;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

int pr_stack_top(pid_t pid, uint64_t *top)
{
	uint64_t lo;
	return find_mapping(pid, "[stack]", &lo, top);
}

int pr_patch_vdso(pid_t pid, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int nr;
	} fns[] = {
		{"__vdso_clock_gettime", SYS_clock_gettime}, {"__vdso_gettimeofday", SYS_gettimeofday},
		{"__vdso_time", SYS_time},                   {"__vdso_getcpu", SYS_getcpu},
		{"__vdso_clock_getres", SYS_clock_getres},
	};
	uint64_t lo, hi;
	if (find_mapping(pid, "[vdso]", &lo, &hi) < 0)
		return 0; /* no vDSO (vdso=0 on the kernel command line): nothing to do */
	size_t size = (size_t)(hi - lo);
	uint8_t *img = malloc(size);
	if (!img || pr_read(pid, lo, img, size) < 0) {
		free(img);
		snprintf(err, errlen, "cannot read the vDSO of process %d", (int)pid);
		return -1;
	}
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	int patched = 0;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_shoff == 0 ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
		goto bad;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *strs = &sh[sh[i].sh_link];
		if (sh[i].sh_offset + sh[i].sh_size > size || strs->sh_offset + strs->sh_size > size)
			goto bad;
		const Elf64_Sym *syms = (const Elf64_Sym *)(img + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		for (size_t k = 0; k < n; k++) {
			if (syms[k].st_name >= strs->sh_size)
				continue;
			const char *nm = (const char *)img + strs->sh_offset + syms[k].st_name;
			for (size_t j = 0; j < sizeof fns / sizeof *fns; j++) {
				if (strcmp(nm, fns[j].name) != 0)
					continue;
				uint64_t at = syms[k].st_value < size ? lo + syms[k].st_value : syms[k].st_value;
				/* mov eax, NR; syscall; ret */
				uint8_t code[8] = {0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0xc3};
				memcpy(code + 1, &fns[j].nr, 4);
				if (pr_write(pid, at, code, sizeof code) < 0) {
					snprintf(err, errlen, "cannot patch the vDSO's %s: %s", nm, strerror(errno));
					free(img);
					return -1;
				}
				patched++;
			}
		}
	}
	free(img);
	return patched;
bad:
	free(img);
	snprintf(err, errlen, "the vDSO of process %d is not an ELF image we can patch", (int)pid);
	return -1;
}

void pr_child_exec(const char *path, char *const argv[], char *const envp[], int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
	if (personality(ADDR_NO_RANDOMIZE) < 0)
		_exit(126);
	/* rdtsc/rdtscp fault from now on (kept across exec), so each is seen. */
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0)
		_exit(126);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		_exit(126);
	raise(SIGSTOP);
	execve(path, argv, envp);
	_exit(127);
}

int pr_pin_self(void)
{
	int cpu = sched_getcpu();
	if (cpu < 0)
		cpu = 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
	return cpu;
}

pid_t pr_wait(pid_t pid, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		return r;
	}
}

int pr_syscall_op(pid_t pid)
{
	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) <= 0)
		return PR_SYSCALL_NONE;
	return info.op == PTRACE_SYSCALL_INFO_ENTRY  ? PR_SYSCALL_ENTRY
	       : info.op == PTRACE_SYSCALL_INFO_EXIT ? PR_SYSCALL_EXIT
	                                             : PR_SYSCALL_NONE;
}

void pr_kill(pid_t pid)
{
	int st;
	kill(pid, SIGKILL);
	/* A tracee in a ptrace stop (e.g. PTRACE_EVENT_EXIT) may need a
	 * resume before SIGKILL takes it away. */
	while (waitpid(pid, &st, __WALL) == pid && !WIFEXITED(st) && !WIFSIGNALED(st))
		ptrace(PTRACE_CONT, pid, 0, 0);
}

/* FNV-style mixing a word at a time: fast enough for a few hundred
 * megabytes, and only needed at rare points. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	for (; n; b++, n--)
		h = (h ^ *b) * 0x100000001b3ull;
	return h;
}

#define HASH_SEED 0xcbf29ce484222325ull

/* Hashes the writable mappings; the one holding address from (when not 0)
 * only from there up. */
static int mem_hash(pid_t pid, uint64_t from, uint64_t *hash, uint64_t *bytes)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	uint64_t h = *hash, total = 0;
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	int rc = buf ? 0 : -1;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[1] != 'w')
			continue;
		if (strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
			continue;
		if (from > lo && from < hi)
			lo = from;
		for (uint64_t at = lo; at < hi && rc == 0; at += cap) {
			size_t n = hi - at < cap ? (size_t)(hi - at) : cap;
			if (pr_read(pid, at, buf, n) < 0) {
				rc = -1;
				break;
			}
			h = mix(h, buf, n);
			total += n;
		}
	}
	fclose(f);
	free(buf);
	*hash = h;
	if (bytes)
		*bytes = total;
	return rc;
}

/* Offsets in the XSAVE layout ptrace gives (the FXSAVE legacy area first). */
#define XS_FOP 6        /* fop, fip, fdp: where the last x87 instruction was */
#define XS_MXCSR 24
#define XS_ST 32        /* st0-7, 16 bytes each, 10 of them the value */
#define XS_XMM 160
#define XS_LEGACY_END 416
#define XS_EXTENDED 576 /* after the reserved bytes and the XSAVE header */

/* The FP and vector registers. Left out: what the last x87 instruction
 * pointed at (fop/fip/fdp), reserved bytes, and the XSAVE header, whose
 * "in use" bits depend on the kernel's history of saves, not on the
 * program. The kernel fills components in their initial state with their
 * initial values, so the extended area compares as it is. */
static int fp_hash(pid_t pid, uint64_t *hash)
{
	size_t cap = 64 * 1024;
	uint8_t *x = calloc(1, cap);
	if (!x)
		return -1;
	struct iovec iov = {x, cap};
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &iov) < 0) {
		/* No XSAVE: the legacy area alone. */
		iov.iov_len = 512;
		if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRFPREG, &iov) < 0) {
			free(x);
			return -1;
		}
	}
	uint64_t h = *hash;
	h = mix(h, x, XS_FOP);                 /* fcw, fsw, ftw */
	h = mix(h, x + XS_MXCSR, 4);
	for (int i = 0; i < 8; i++)
		h = mix(h, x + XS_ST + 16 * i, 10);
	h = mix(h, x + XS_XMM, XS_LEGACY_END - XS_XMM);
	if (iov.iov_len > XS_EXTENDED)
		h = mix(h, x + XS_EXTENDED, iov.iov_len - XS_EXTENDED);
	free(x);
	*hash = h;
	return 0;
}

/* The x86-64 ABI's red zone: below rsp, but still the current function's. */
#define RED_ZONE 128

int pr_state_hash(pid_t pid, uint64_t sp, uint64_t *hash, uint64_t *bytes)
{
	*hash = HASH_SEED;
	if (fp_hash(pid, hash) < 0)
		return -1;
	/* The stack below the red zone is dead: the kernel may write there at
	 * any time, and does: a signal frame holds, besides the program's
	 * registers, the kernel's record of the last fault (trap number,
	 * error code, cr2), which differs between a recording and its replay. */
	return mem_hash(pid, sp > RED_ZONE ? sp - RED_ZONE : 0, hash, bytes);
}
