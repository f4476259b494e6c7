/*
 * win_disasm.c — the disassembly pane: the instructions of the current
 * function (from its start, found through the "<func+off>" symbol of the
 * pc), the current instruction marked '>', breakpoints by address in the
 * gutter, a cursor row for Space (break *ADDR). The lines come from
 * dbg_disasm, which already symbolizes branch targets.
 *
 * x86 cannot be decoded backwards, so the pane decodes forwards from the
 * function's start; a pc farther than 4 KiB into a function (or without a
 * symbol) starts the listing at the pc itself.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define DIS_MAX 400

static int find_pc(struct tui_dis *d, uint64_t pc)
{
	for (int i = 0; i < d->n; i++)
		if (d->lines[i].addr == pc)
			return i;
	return -1;
}

static void dis_refresh(struct tui *t)
{
	struct tui_dis *d = &t->dis;
	uint64_t pc = t->where.pc;
	if (!t->have_where || !pc) {
		d->n = 0;
		return;
	}
	int i = find_pc(d, pc);
	if (i >= 0 && i + 8 < d->n) {
		/* Still in the listing: only the marker moves. */
		if (d->cur != i)
			d->sel = i;
		d->cur = i;
		return;
	}
	if (!d->lines) {
		d->lines = calloc(DIS_MAX, sizeof *d->lines);
		if (!d->lines)
			return;
	}
	struct dbg_disasm_line one;
	uint64_t start = pc;
	if (dbg_disasm(t->d, pc, 1, &one) == 1) {
		const char *plus = strrchr(one.sym, '+');
		if (plus) {
			unsigned long long off = strtoull(plus + 1, NULL, 0);
			if (off <= 4096)
				start = pc - off;
		}
	}
	d->n = dbg_disasm(t->d, start, DIS_MAX, d->lines);
	if (d->n < 0)
		d->n = 0;
	i = find_pc(d, pc);
	if (i < 0 && start != pc) {
		d->n = dbg_disasm(t->d, pc, DIS_MAX, d->lines);
		if (d->n < 0)
			d->n = 0;
		i = find_pc(d, pc);
	}
	d->cur = i < 0 ? 0 : i;
	d->sel = d->cur;
	d->top = -1; /* center on the pc at the next draw */
}

static void dis_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_dis *d = &t->dis;
	int h = getmaxy(w), wd = getmaxx(w), rows = h - 1;
	char title[300];
	snprintf(title, sizeof title, "Disassembly%s%s", t->where.func[0] ? ": " : "", t->where.func);
	tui_title(t, w, title, focused);
	if (!d->n) {
		wmove(w, 1, 1);
		tui_put(w, "no code at the pc", wd - 1);
		return;
	}
	if (d->top < 0 || d->sel < d->top || d->sel >= d->top + rows)
		d->top = d->sel - rows / 3;
	if (d->top > d->n - rows)
		d->top = d->n - rows;
	if (d->top < 0)
		d->top = 0;
	for (int row = 1; row < h && d->top + row - 1 < d->n; row++) {
		int i = d->top + row - 1;
		const struct dbg_disasm_line *l = &d->lines[i];
		const struct dbg_bp_info *b = tui_bp_at_addr(t, l->addr);
		wmove(w, row, 0);
		if (b) {
			wattrset(w, tui_attr(t, b->enabled ? TR_BREAK : TR_BREAK_OFF));
			waddch(w, b->enabled ? 'B' : 'b');
		} else {
			waddch(w, ' ');
		}
		int cur = i == d->cur && l->addr == t->where.pc;
		wattrset(w, tui_attr(t, cur ? TR_CURRENT : TR_NORMAL));
		waddch(w, cur ? '>' : ' ');
		char addr[64];
		snprintf(addr, sizeof addr, " %llx ", (unsigned long long)l->addr);
		if (i == d->sel && focused)
			wattrset(w, tui_attr(t, TR_CURSOR));
		int used = 2 + tui_put(w, addr, wd - 2);
		wattrset(w, tui_attr(t, cur ? TR_CURRENT : TR_NORMAL));
		char buf[600];
		snprintf(buf, sizeof buf, "%-14s %s", l->sym, l->text);
		tui_put(w, buf, wd - used);
		wattrset(w, A_NORMAL);
	}
}

static int dis_key(struct tui *t, int key)
{
	struct tui_dis *d = &t->dis;
	int page = t->panes[TP_DISASM].r.h - 2;
	switch (key) {
	case 'j': case KEY_DOWN: d->sel++; break;
	case 'k': case KEY_UP: d->sel--; break;
	case KEY_NPAGE: d->sel += page; break;
	case KEY_PPAGE: d->sel -= page; break;
	case ' ':
		if (d->sel >= 0 && d->sel < d->n) {
			const struct dbg_bp_info *b = tui_bp_at_addr(t, d->lines[d->sel].addr);
			if (b)
				tui_commandf(t, 1, "delete %d", b->number);
			else
				tui_commandf(t, 1, "break *0x%llx", (unsigned long long)d->lines[d->sel].addr);
		}
		return 1;
	default:
		return 0;
	}
	if (d->sel >= d->n)
		d->sel = d->n - 1;
	if (d->sel < 0)
		d->sel = 0;
	return 1;
}

static void dis_click(struct tui *t, int y, int x)
{
	(void)x;
	struct tui_dis *d = &t->dis;
	if (y >= 1 && d->top + y - 1 < d->n)
		d->sel = d->top + y - 1;
}

static void dis_scroll(struct tui *t, int lines)
{
	struct tui_dis *d = &t->dis;
	d->sel += lines;
	if (d->sel >= d->n)
		d->sel = d->n - 1;
	if (d->sel < 0)
		d->sel = 0;
}

const struct tui_pane_ops tui_disasm_ops = {
	.name = "Disassembly",
	.update = dis_refresh,
	.draw = dis_draw,
	.key = dis_key,
	.click = dis_click,
	.wheel = dis_scroll,
};
