/*
 * win_regs.c — the registers pane: the general registers, rip, eflags with
 * its flags decoded ([ CF ZF IF ... ]), the segment registers and
 * fs_base/gs_base, laid out in as many columns as fit. A register whose
 * value changed since the previous stop is highlighted, so the effect of a
 * stepi (either way) is visible at a glance.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_int.h"

#define R(n) { #n, offsetof(struct user_regs_struct, n) }
static const struct { const char *name; size_t off; } regs[] = {
	R(rax), R(rbx), R(rcx), R(rdx), R(rsi), R(rdi), R(rbp), R(rsp),
	R(r8), R(r9), R(r10), R(r11), R(r12), R(r13), R(r14), R(r15),
	R(rip), R(eflags), R(cs), R(ss), R(ds), R(es), R(fs), R(gs),
	R(fs_base), R(gs_base),
};
#undef R
#define NREGS (int)(sizeof regs / sizeof *regs)
#define CELL 23

static unsigned long long reg_val(const struct user_regs_struct *r, int i)
{
	unsigned long long v;
	memcpy(&v, (const char *)r + regs[i].off, sizeof v);
	return v;
}

static void regs_refresh(struct tui *t)
{
	struct tui_regs *r = &t->regs;
	if (r->serial != t->serial) {
		r->prev = r->cur;
		r->have_prev = r->have;
		r->serial = t->serial;
	}
	r->have = dbg_registers(t->d, &r->cur) == 0;
}

static void flags_text(unsigned long long f, char *buf, size_t len)
{
	static const struct { int bit; const char *name; } fl[] = {
		{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
		{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" },
	};
	size_t n = snprintf(buf, len, "[");
	for (size_t i = 0; i < sizeof fl / sizeof *fl && n < len; i++)
		if (f & (1ull << fl[i].bit))
			n += snprintf(buf + n, len - n, " %s", fl[i].name);
	if (n < len)
		snprintf(buf + n, len - n, " ]");
}

/* Rows the pane needs: the flags get a row of their own. */
static void regs_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_regs *r = &t->regs;
	int h = getmaxy(w), wd = getmaxx(w);
	tui_title(t, w, "Registers", focused);
	if (!r->have) {
		wmove(w, 1, 1);
		tui_put(w, "no registers (no process)", wd - 1);
		return;
	}
	int cols = wd / CELL;
	if (cols < 1)
		cols = 1;
	/* cells: the registers, then the decoded flags as one wide cell */
	int ncell = NREGS, rows = (ncell + cols - 1) / cols + 1;
	if (r->top > rows - (h - 1))
		r->top = rows - (h - 1);
	if (r->top < 0)
		r->top = 0;
	for (int i = 0; i < NREGS; i++) {
		int row = i / cols + 1 - r->top, col = (i % cols) * CELL;
		if (row < 1 || row >= h)
			continue;
		unsigned long long v = reg_val(&r->cur, i);
		int changed = r->have_prev && v != reg_val(&r->prev, i);
		wmove(w, row, col);
		wattrset(w, tui_attr(t, TR_DIM));
		char name[12];
		snprintf(name, sizeof name, "%-7s", regs[i].name);
		tui_put(w, name, wd - col);
		wattrset(w, tui_attr(t, changed ? TR_CHANGED : TR_NORMAL));
		char val[32];
		snprintf(val, sizeof val, "0x%llx", v);
		tui_put(w, val, wd - col - 7);
		wattrset(w, A_NORMAL);
	}
	int row = (NREGS + cols - 1) / cols + 1 - r->top;
	if (row >= 1 && row < h) {
		char f[80], buf[100];
		flags_text(r->cur.eflags, f, sizeof f);
		snprintf(buf, sizeof buf, "flags  %s", f);
		wmove(w, row, 0);
		int changed = r->have_prev && r->cur.eflags != r->prev.eflags;
		wattrset(w, tui_attr(t, changed ? TR_CHANGED : TR_NORMAL));
		tui_put(w, buf, wd);
		wattrset(w, A_NORMAL);
	}
}

static void regs_scroll(struct tui *t, int lines)
{
	t->regs.top += lines;
	if (t->regs.top < 0)
		t->regs.top = 0;
}

static int regs_key(struct tui *t, int key)
{
	switch (key) {
	case 'j': case KEY_DOWN: regs_scroll(t, 1); return 1;
	case 'k': case KEY_UP: regs_scroll(t, -1); return 1;
	case KEY_NPAGE: regs_scroll(t, t->panes[TP_REGS].r.h - 2); return 1;
	case KEY_PPAGE: regs_scroll(t, -(t->panes[TP_REGS].r.h - 2)); return 1;
	}
	return 0;
}

const struct tui_pane_ops tui_regs_ops = {
	.name = "Registers",
	.update = regs_refresh,
	.draw = regs_draw,
	.key = regs_key,
	.wheel = regs_scroll,
};
