/*
 * win_timeline.c — the timeline strip: one row standing for the whole
 * recording, event 0 at the left and the last event at the right, with the
 * current moment ('@'), checkpoints (c), breakpoint and watchpoint hits seen
 * so far (b, w) and signals (s) at their columns, and the current percent.
 * Focused, h/l move a cursor along it and Enter goes there; a click goes
 * there at once. Start, end and N% are also global keys (gg, G, N%).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define MARKS_MAX 4096
#define LABEL 12

static void tl_refresh(struct tui *t)
{
	struct tui_timeline *l = &t->tl;
	if (!l->marks) {
		l->marks = calloc(MARKS_MAX, sizeof *l->marks);
		if (!l->marks)
			return;
	}
	int n = dbg_marks(t->d, l->marks, MARKS_MAX);
	l->n = n < 0 ? 0 : n;
}

static int strip_width(WINDOW *w)
{
	return getmaxx(w) - 2 - LABEL;
}

static int col_of(struct tui *t, uint64_t ev, int sw)
{
	uint64_t n = t->where.nevents ? t->where.nevents : 1;
	if (ev > n)
		ev = n;
	return (int)(ev * (uint64_t)(sw - 1) / n);
}

static uint64_t event_of(struct tui *t, int col, int sw)
{
	if (sw < 2)
		return 0;
	return (uint64_t)col * t->where.nevents / (uint64_t)(sw - 1);
}

static int rank(char k)
{
	return k == 'b' || k == 'w' ? 3 : k == 's' ? 2 : k == 'c' ? 1 : 0;
}

static void tl_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_timeline *l = &t->tl;
	int sw = strip_width(w);
	if (sw < 4)
		return;
	char *strip = malloc(sw + 1);
	if (!strip)
		return;
	memset(strip, '-', sw);
	strip[sw] = 0;
	for (int i = 0; i < l->n; i++) {
		int c = col_of(t, l->marks[i].event, sw);
		if (rank(l->marks[i].kind) > rank(strip[c]))
			strip[c] = l->marks[i].kind;
	}
	int cur = col_of(t, t->where.event, sw);
	wmove(w, 0, 0);
	wattrset(w, tui_attr(t, focused ? TR_TITLE_FOCUS : TR_DIM));
	waddstr(w, focused ? "[" : "|");
	for (int i = 0; i < sw; i++) {
		int a = strip[i] == '-' ? tui_attr(t, TR_DIM) : tui_attr(t, TR_MARK);
		int ch = strip[i];
		if (i == cur) {
			a = tui_attr(t, TR_CURRENT) | A_REVERSE;
			ch = '@';
		}
		if (focused && i == l->cursor)
			a = tui_attr(t, TR_CURSOR);
		wattrset(w, a);
		waddch(w, ch);
	}
	wattrset(w, tui_attr(t, focused ? TR_TITLE_FOCUS : TR_DIM));
	waddstr(w, focused ? "]" : "|");
	wattrset(w, A_NORMAL);
	char label[64];
	uint64_t n = t->where.nevents ? t->where.nevents : 1;
	snprintf(label, sizeof label, " %3llu%% %s", (unsigned long long)(t->where.event * 100 / n),
	         t->where.at_end ? "end" : t->where.at_start ? "start" : "");
	tui_put(w, label, LABEL);
	free(strip);
}

static int tl_key(struct tui *t, int key)
{
	struct tui_timeline *l = &t->tl;
	WINDOW *w = t->panes[TP_TIMELINE].win;
	int sw = w ? strip_width(w) : 0;
	if (l->cursor < 0)
		l->cursor = col_of(t, t->where.event, sw);
	switch (key) {
	case 'h': case KEY_LEFT: if (l->cursor > 0) l->cursor--; return 1;
	case 'l': case KEY_RIGHT: if (l->cursor < sw - 1) l->cursor++; return 1;
	case KEY_HOME: l->cursor = 0; return 1;
	case KEY_END: l->cursor = sw - 1; return 1;
	case '\n': case '\r': case KEY_ENTER: {
		char ev[32];
		snprintf(ev, sizeof ev, "%llu", (unsigned long long)event_of(t, l->cursor, sw));
		tui_seek(t, ev);
		l->cursor = -1;
		return 1;
	}
	}
	return 0;
}

static void tl_click(struct tui *t, int y, int x)
{
	(void)y;
	WINDOW *w = t->panes[TP_TIMELINE].win;
	int sw = w ? strip_width(w) : 0;
	if (x < 1 || x > sw)
		return;
	char ev[32];
	snprintf(ev, sizeof ev, "%llu", (unsigned long long)event_of(t, x - 1, sw));
	tui_seek(t, ev);
	t->tl.cursor = -1;
}

const struct tui_pane_ops tui_timeline_ops = {
	.name = "Timeline",
	.update = tl_refresh,
	.draw = tl_draw,
	.key = tl_key,
	.click = tl_click,
};
