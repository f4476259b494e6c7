/*
 * hw.c — hardware breakpoints and watchpoints through the debug registers.
 *
 * Watchpoints are what make "who wrote this variable" cheap: the CPU traps
 * on the access itself, with no single-stepping. x86-64 has four address
 * registers DR0-DR3 and a control register DR7 (per slot: enable bit, kind
 * execute/write/read-write, length 1/2/4/8 with natural alignment); DR6 says
 * which slot fired. ptrace exposes them as offsets into struct user. A
 * data watchpoint traps after the access (rip is the next instruction), an
 * execute breakpoint before the instruction (rip == address). The kernel
 * keeps DR6 sticky for ptrace, so hw_check clears it after reading it.
 * fork does not copy debug registers: hw_set keeps the setup so it can be
 * applied again to a tracee restored from a checkpoint.
 */
#include "core/tracee.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

#define DR_OFF(i) (offsetof(struct user, u_debugreg) + (size_t)(i) * sizeof(long))

static int poke_dr(struct tracee *t, int i, unsigned long v, char *err, size_t errlen)
{
	if (ptrace(PTRACE_POKEUSER, t->pid, (void *)DR_OFF(i), (void *)v) < 0)
		return fail(err, errlen, -errno, "writing DR%d = 0x%lx in %d: %s", i, v, t->pid,
		            strerror(errno));
	return 0;
}

void hw_init(struct hw_set *h)
{
	memset(h, 0, sizeof *h);
}

static unsigned long len_bits(int len)
{
	switch (len) {
	case 2: return 1;
	case 8: return 2;
	case 4: return 3;
	default: return 0;
	}
}

static unsigned long dr7_of(const struct hw_set *h)
{
	unsigned long dr7 = 0;

	for (int i = 0; i < 4; i++) {
		if (!(h->used & (1 << i)))
			continue;
		dr7 |= 1ul << (2 * i); /* local enable */
		dr7 |= (unsigned long)h->type[i] << (16 + 4 * i);
		dr7 |= (h->type[i] == HW_EXEC ? 0 : len_bits(h->len[i])) << (18 + 4 * i);
	}
	return dr7;
}

int hw_apply(const struct hw_set *h, struct tracee *t, char *err, size_t errlen)
{
	int rc;

	/* Disable first: the kernel validates every write against the
	 * current DR7, and a half-updated slot could be refused or fire. */
	if ((rc = poke_dr(t, 7, 0, err, errlen)))
		return rc;
	for (int i = 0; i < 4; i++)
		if ((h->used & (1 << i)) && (rc = poke_dr(t, i, h->addr[i], err, errlen)))
			return rc;
	return h->used ? poke_dr(t, 7, dr7_of(h), err, errlen) : 0;
}

int hw_add(struct hw_set *h, struct tracee *t, uint64_t addr, enum hw_type type, int len,
           int *slot, char *err, size_t errlen)
{
	int i, rc;

	if (type == HW_EXEC)
		len = 1;
	if (type != HW_EXEC && type != HW_WRITE && type != HW_RW)
		return fail(err, errlen, -EINVAL, "bad watchpoint kind %d", (int)type);
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return fail(err, errlen, -EINVAL, "watchpoint length %d: must be 1, 2, 4 or 8", len);
	if (addr % (uint64_t)len)
		return fail(err, errlen, -EINVAL, "watchpoint at 0x%llx not aligned to its length %d",
		            (unsigned long long)addr, len);
	for (i = 0; i < 4 && (h->used & (1 << i)); i++)
		;
	if (i == 4)
		return fail(err, errlen, -ENOSPC, "all 4 debug registers are in use");
	h->addr[i] = addr;
	h->type[i] = type;
	h->len[i] = len;
	h->used |= 1 << i;
	if ((rc = hw_apply(h, t, err, errlen))) {
		h->used &= ~(1 << i);
		hw_apply(h, t, NULL, 0);
		return rc;
	}
	if (slot)
		*slot = i;
	return 0;
}

int hw_del(struct hw_set *h, struct tracee *t, int slot, char *err, size_t errlen)
{
	if (slot < 0 || slot > 3 || !(h->used & (1 << slot)))
		return fail(err, errlen, -ENOENT, "debug register slot %d is not in use", slot);
	h->used &= ~(1 << slot);
	return hw_apply(h, t, err, errlen);
}

int hw_check(struct tracee *t, int *fired, char *err, size_t errlen)
{
	long dr6;

	errno = 0;
	dr6 = ptrace(PTRACE_PEEKUSER, t->pid, (void *)DR_OFF(6), 0);
	if (errno)
		return fail(err, errlen, -errno, "reading DR6 of %d: %s", t->pid, strerror(errno));
	*fired = (int)(dr6 & 0xf);
	return dr6 ? poke_dr(t, 6, 0, err, errlen) : 0;
}
