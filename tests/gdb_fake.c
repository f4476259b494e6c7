/*
 * gdb_fake.c — the scripted replay behind the gdb server tests (see
 * gdb_fake.h). Position i has pc GDB_FAKE_PC(i) and rax = i; the
 * instruction at GDB_FAKE_WRITER stores i+1 into GDB_FAKE_GLOBAL, so the
 * global reads 0 before it and 41 after, which a watchpoint can see change
 * in both directions.
 */
#include "tests/gdb_fake.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t gdb_fake_byte(uint64_t addr)
{
	uint64_t k = addr - GDB_FAKE_MEM_BASE;
	return (uint8_t)(k * 7 + 3);
}

void gdb_fake_init(struct gdb_fake *f)
{
	memset(f, 0, sizeof *f);
	for (uint64_t a = GDB_FAKE_MEM_BASE; a < GDB_FAKE_MEM_BASE + GDB_FAKE_MEM_SIZE; a++)
		f->mem[a - GDB_FAKE_MEM_BASE] = gdb_fake_byte(a);
	memset(f->mem + (GDB_FAKE_GLOBAL - GDB_FAKE_MEM_BASE), 0, 8);
	f->auxv[0] = 6;		/* AT_PAGESZ */
	f->auxv[1] = 4096;
	f->auxv[2] = 9;		/* AT_ENTRY */
	f->auxv[3] = GDB_FAKE_CODE;
	f->auxv[4] = 0;		/* AT_NULL */
	f->auxv[5] = 0;
	f->auxv_words = 6;
}

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* The global's value at the current position. */
static void sync_global(struct gdb_fake *f)
{
	uint64_t v = f->pos > GDB_FAKE_WRITER ? GDB_FAKE_WRITER + 1 : 0;
	memcpy(f->mem + (GDB_FAKE_GLOBAL - GDB_FAKE_MEM_BASE), &v, 8);
}

static int fake_get_regs(void *be, struct gdb_regs *r, char *err, size_t errlen)
{
	struct gdb_fake *f = be;
	(void)err; (void)errlen;

	gdb_regs_clear(r);
	for (int i = GDB_REG_RAX; i <= GDB_REG_R15; i++)
		gdb_regs_set_u64(r, i, 0x1000 * (uint64_t)i);
	gdb_regs_set_u64(r, GDB_REG_RAX, f->pos);
	gdb_regs_set_u64(r, GDB_REG_RSP, 0x7ffe0000);
	gdb_regs_set_u64(r, GDB_REG_RBP, 0x7ffe0040);
	gdb_regs_set_u64(r, GDB_REG_RIP, GDB_FAKE_PC(f->pos));
	gdb_regs_set_u64(r, GDB_REG_EFLAGS, 0x246);
	gdb_regs_set_u64(r, GDB_REG_CS, 0x33);
	gdb_regs_set_u64(r, GDB_REG_SS, 0x2b);
	gdb_regs_set_u64(r, GDB_REG_FS_BASE, 0x7f0000001000);
	gdb_regs_set_u64(r, GDB_REG_ORIG_RAX, (uint64_t)-1);
	gdb_regs_set_u64(r, GDB_REG_FCTRL, 0x37f);
	gdb_regs_set_u64(r, GDB_REG_MXCSR, 0x1f80);
	/* ds es fs gs, gs_base, st0-7 and xmm0-15 stay unavailable ('x'). */
	return 0;
}

static int fake_read_mem(void *be, uint64_t addr, void *buf, size_t len, size_t *got,
			 char *err, size_t errlen)
{
	struct gdb_fake *f = be;

	if (addr < GDB_FAKE_MEM_BASE || addr >= GDB_FAKE_MEM_BASE + GDB_FAKE_MEM_SIZE)
		return fail(err, errlen, "address not mapped");
	size_t off = (size_t)(addr - GDB_FAKE_MEM_BASE);
	size_t n = GDB_FAKE_MEM_SIZE - off < len ? GDB_FAKE_MEM_SIZE - off : len;
	memcpy(buf, f->mem + off, n);
	*got = n;
	return 0;
}

static int bp_at(struct gdb_fake *f, uint64_t pc)
{
	for (int i = 0; i < f->nbp; i++)
		if ((f->bp[i].type == GDB_BP_SW || f->bp[i].type == GDB_BP_HW) &&
		    f->bp[i].addr == pc)
			return f->bp[i].type;
	return -1;
}

/* A watchpoint on the global that a write would trigger. */
static int watch_hit(struct gdb_fake *f, uint64_t *addr)
{
	for (int i = 0; i < f->nbp; i++)
		if ((f->bp[i].type == GDB_WP_WRITE || f->bp[i].type == GDB_WP_ACCESS) &&
		    f->bp[i].addr < GDB_FAKE_GLOBAL + 8 &&
		    GDB_FAKE_GLOBAL < f->bp[i].addr + f->bp[i].len) {
			*addr = f->bp[i].addr;
			return f->bp[i].type;
		}
	return -1;
}

static void stop_at_end(struct gdb_fake *f, struct rsp_stop *st)
{
	if (f->exit_at_end) {
		st->kind = RSP_STOP_EXITED;
		st->status = f->exit_status;
	} else {
		st->kind = RSP_STOP_REPLAY_END;
	}
}

static int fake_resume(void *be, enum gdb_resume_kind kind, enum gdb_direction dir,
		       int signo, const struct gdb_resume_ctl *ctl,
		       struct rsp_stop *st, char *err, size_t errlen)
{
	struct gdb_fake *f = be;
	uint64_t waddr;
	int t;
	(void)signo; (void)err; (void)errlen;

	memset(st, 0, sizeof *st);
	st->kind = RSP_STOP_SIGNAL;
	st->signo = SIGTRAP;
	if (kind == GDB_STEP) {
		if (dir == GDB_FORWARD) {
			if (f->pos + 1 >= GDB_FAKE_N)
				stop_at_end(f, st);
			else
				f->pos++;
		} else {
			if (f->pos == 0)
				st->kind = RSP_STOP_REPLAY_BEGIN;
			else
				f->pos--;
		}
		sync_global(f);
		return 0;
	}
	if (f->spin && dir == GDB_FORWARD) {
		while (!ctl->interrupted(ctl->arg))
			;
		st->signo = SIGINT;
		return 0;
	}
	for (;;) {
		if (ctl->interrupted(ctl->arg)) {
			st->signo = SIGINT;
			break;
		}
		if (dir == GDB_FORWARD) {
			if (f->pos + 1 >= GDB_FAKE_N) {
				stop_at_end(f, st);
				break;
			}
			f->pos++;
			/* The write happened in the instruction just executed. */
			if (f->pos == GDB_FAKE_WRITER + 1 && (t = watch_hit(f, &waddr)) >= 0) {
				st->kind = t == GDB_WP_WRITE ? RSP_STOP_WATCH : RSP_STOP_AWATCH;
				st->addr = waddr;
				break;
			}
		} else {
			if (f->pos == 0) {
				st->kind = RSP_STOP_REPLAY_BEGIN;
				break;
			}
			f->pos--;
			/* Backwards, the stop is just before the write. */
			if (f->pos == GDB_FAKE_WRITER && (t = watch_hit(f, &waddr)) >= 0) {
				st->kind = t == GDB_WP_WRITE ? RSP_STOP_WATCH : RSP_STOP_AWATCH;
				st->addr = waddr;
				break;
			}
		}
		if ((t = bp_at(f, GDB_FAKE_PC(f->pos))) >= 0) {
			st->kind = t == GDB_BP_SW ? RSP_STOP_SWBREAK : RSP_STOP_HWBREAK;
			break;
		}
	}
	sync_global(f);
	return 0;
}

static int fake_set_break(void *be, enum gdb_bp_type type, uint64_t addr, uint64_t len,
			  bool insert, char *err, size_t errlen)
{
	struct gdb_fake *f = be;

	if (type == GDB_WP_READ)
		return fail(err, errlen, "read watchpoints not recorded");
	for (int i = 0; i < f->nbp; i++) {
		if (f->bp[i].type == (int)type && f->bp[i].addr == addr) {
			if (!insert)
				f->bp[i] = f->bp[--f->nbp];
			return 0;
		}
	}
	if (!insert)
		return 0;	/* removing an unknown one is not an error, as in gdbserver */
	if (f->nbp >= GDB_FAKE_MAXBP)
		return fail(err, errlen, "too many breakpoints");
	f->bp[f->nbp++] = (struct gdb_fake_bp){ (int)type, addr, len };
	return 0;
}

static int64_t fake_thread_id(void *be)
{
	(void)be;
	return GDB_FAKE_PID;
}

static int fake_auxv(void *be, const void **data, size_t *len, char *err, size_t errlen)
{
	struct gdb_fake *f = be;
	(void)err; (void)errlen;

	*data = f->auxv;
	*len = f->auxv_words * sizeof f->auxv[0];
	return 0;
}

static int fake_exec_file(void *be, char *path, size_t cap, char *err, size_t errlen)
{
	struct gdb_fake *f = be;

	if (!f->exec_path)
		return fail(err, errlen, "no executable recorded");
	snprintf(path, cap, "%s", f->exec_path);
	return 0;
}

static int fake_monitor(void *be, const char *cmd, gdb_print_fn *print, void *arg,
			char *err, size_t errlen)
{
	struct gdb_fake *f = be;
	char buf[128];
	unsigned long n;

	if (strcmp(cmd, "when") == 0) {
		snprintf(buf, sizeof buf, "Current event: %zu\n", f->pos);
		print(arg, buf);
		return 0;
	}
	if (strcmp(cmd, "checkpoint") == 0) {
		if (f->ncheck >= 8)
			return fail(err, errlen, "too many checkpoints");
		f->checkpoints[f->ncheck++] = f->pos;
		snprintf(buf, sizeof buf, "Checkpoint %d at event %zu\n", f->ncheck, f->pos);
		print(arg, buf);
		return 0;
	}
	if (sscanf(cmd, "restart %lu", &n) == 1) {
		if (n < 1 || n > (unsigned long)f->ncheck)
			return fail(err, errlen, "no such checkpoint");
		f->pos = f->checkpoints[n - 1];
	} else if (sscanf(cmd, "seek %lu", &n) == 1) {
		if (n >= GDB_FAKE_N)
			return fail(err, errlen, "seek: event out of range");
		f->pos = n;
	} else {
		return fail(err, errlen, "unknown monitor command");
	}
	sync_global(f);
	snprintf(buf, sizeof buf, "At event %zu\n", f->pos);
	print(arg, buf);
	return 0;
}

const struct gdb_backend gdb_fake_ops = {
	.get_regs = fake_get_regs,
	.read_mem = fake_read_mem,
	.resume = fake_resume,
	.set_break = fake_set_break,
	.thread_id = fake_thread_id,
	.auxv = fake_auxv,
	.exec_file = fake_exec_file,
	.monitor = fake_monitor,
};
