/*
 * win_stack.c — the backtrace pane: one row per frame ("#1 main () at
 * count.c:16"), the selected frame marked '>'. Enter (or a click on the
 * cursor row) selects that frame with dbg_select_frame, and every pane
 * follows: the source pane to the frame's line, the locals pane to its
 * variables, the disassembly to its pc. No motion in time happens.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define FRAMES_MAX 128

static void stack_refresh(struct tui *t)
{
	struct tui_stack *s = &t->stack;
	int serial_moved = 0;
	if (!s->frames) {
		s->frames = calloc(FRAMES_MAX, sizeof *s->frames);
		if (!s->frames)
			return;
		serial_moved = 1;
	}
	int n = t->have_where ? dbg_backtrace(t->d, s->frames, FRAMES_MAX) : 0;
	s->n = n < 0 ? 0 : n;
	if (serial_moved || s->sel >= s->n || s->sel < 0)
		s->sel = t->where.frame;
}

static void stack_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_stack *s = &t->stack;
	int h = getmaxy(w), wd = getmaxx(w), rows = h - 1;
	tui_title(t, w, "Stack", focused);
	if (!s->n) {
		wmove(w, 1, 1);
		tui_put(w, "no stack", wd - 1);
		return;
	}
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	if (s->top < 0)
		s->top = 0;
	for (int row = 1; row < h && s->top + row - 1 < s->n; row++) {
		int i = s->top + row - 1;
		const struct dbg_frame_info *f = &s->frames[i];
		int selected = f->level == t->where.frame;
		wmove(w, row, 0);
		wattrset(w, tui_attr(t, selected ? TR_CURRENT : TR_NORMAL));
		waddch(w, selected ? '>' : ' ');
		char buf[2200];
		if (f->file[0])
			snprintf(buf, sizeof buf, "#%-2d %s (%s) at %s:%d", f->level,
			         f->func[0] ? f->func : "??", f->args, f->file, f->line);
		else
			snprintf(buf, sizeof buf, "#%-2d 0x%llx in %s%s%s", f->level,
			         (unsigned long long)f->pc, f->func[0] ? f->func : "??",
			         f->from[0] ? " from " : "", f->from);
		if (i == s->sel && focused)
			wattrset(w, tui_attr(t, TR_CURSOR));
		tui_put(w, buf, wd - 1);
		wattrset(w, A_NORMAL);
	}
}

static void select_row(struct tui *t)
{
	struct tui_stack *s = &t->stack;
	if (s->sel < 0 || s->sel >= s->n)
		return;
	if (dbg_select_frame(t->d, s->frames[s->sel].level) < 0) {
		tui_message(t, 1, "cannot select frame %d", s->frames[s->sel].level);
		return;
	}
	int sel = s->sel;
	tui_refresh_all(t);
	s->sel = sel;
	/* the source cursor goes to the selected frame's line */
	if (t->src.cur) {
		t->src.cursor = t->src.cur;
		t->src.reveal = 1;
	}
}

static int stack_key(struct tui *t, int key)
{
	struct tui_stack *s = &t->stack;
	switch (key) {
	case 'j': case KEY_DOWN: if (s->sel + 1 < s->n) s->sel++; return 1;
	case 'k': case KEY_UP: if (s->sel > 0) s->sel--; return 1;
	case '\n': case '\r': case KEY_ENTER: case ' ':
		select_row(t);
		return 1;
	}
	return 0;
}

static void stack_click(struct tui *t, int y, int x)
{
	(void)x;
	struct tui_stack *s = &t->stack;
	if (y < 1 || s->top + y - 1 >= s->n)
		return;
	s->sel = s->top + y - 1;
	select_row(t);
}

static void stack_scroll(struct tui *t, int lines)
{
	struct tui_stack *s = &t->stack;
	s->sel += lines;
	if (s->sel >= s->n)
		s->sel = s->n - 1;
	if (s->sel < 0)
		s->sel = 0;
}

const struct tui_pane_ops tui_stack_ops = {
	.name = "Stack",
	.update = stack_refresh,
	.draw = stack_draw,
	.key = stack_key,
	.click = stack_click,
	.wheel = stack_scroll,
};
