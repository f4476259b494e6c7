/*
 * win_output.c — the program's output as of the current moment: the
 * recorded stdout and stderr (stderr highlighted) of every event up to the
 * current one, so a move backwards removes the lines written later and a
 * move forwards brings them back. Each line remembers the event that wrote
 * its last byte; Enter on a line goes to that event ("seek EVENT"), which
 * answers "when was this printed?".
 *
 * The text is rebuilt from dbg_output at each refresh: output is small next
 * to a replay step, and rebuilding is the simplest way to be exact in both
 * directions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define OUT_MAX_LINES 5000

static void out_clear(struct tui_out *o)
{
	for (int i = 0; i < o->n; i++)
		free(o->lines[i].text);
	o->n = 0;
	o->partial = 0;
}

static void new_line(struct tui_out *o, int fd, uint64_t event)
{
	if (o->n == OUT_MAX_LINES) {
		/* keep the newest lines: the oldest matter least "as of now" */
		free(o->lines[0].text);
		memmove(o->lines, o->lines + 1, (o->n - 1) * sizeof *o->lines);
		o->n--;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 128;
		o->lines = realloc(o->lines, o->cap * sizeof *o->lines);
		if (!o->lines)
			abort();
	}
	o->lines[o->n++] = (struct tui_out_line){ tui_strdup(""), fd, event };
	o->partial = 1;
}

static void append(struct tui_out *o, const char *s, size_t n)
{
	struct tui_out_line *l = &o->lines[o->n - 1];
	size_t old = strlen(l->text);
	char *p = realloc(l->text, old + n + 1);
	if (!p)
		abort();
	memcpy(p + old, s, n);
	p[old + n] = 0;
	l->text = p;
}

static void on_chunk(void *ctx, int fd, uint64_t event, const char *data, size_t len)
{
	struct tui_out *o = ctx;
	size_t i = 0;
	while (i < len) {
		if (!o->partial || o->lines[o->n - 1].fd != fd)
			new_line(o, fd, event);
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
		append(o, data + i, n);
		o->lines[o->n - 1].event = event;
		i += n;
		if (nl) {
			o->partial = 0;
			i++;
		}
	}
}

static void out_refresh(struct tui *t)
{
	struct tui_out *o = &t->out;
	int old = o->n;
	out_clear(o);
	if (t->have_where)
		dbg_output(t->d, on_chunk, o);
	if (o->follow || o->sel >= o->n)
		o->sel = o->n - 1;
	if (o->n != old)
		o->follow = 1;
	if (o->follow)
		o->sel = o->n - 1;
}

static void out_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_out *o = &t->out;
	int h = getmaxy(w), wd = getmaxx(w), rows = h - 1;
	char title[96];
	snprintf(title, sizeof title, "Output (as of event %llu)", (unsigned long long)t->where.event);
	tui_title(t, w, title, focused);
	if (!o->n) {
		wmove(w, 1, 1);
		wattrset(w, tui_attr(t, TR_DIM));
		tui_put(w, "no output yet", wd - 1);
		wattrset(w, A_NORMAL);
		return;
	}
	if (o->follow)
		o->top = o->n - rows;
	if (o->sel < o->top)
		o->top = o->sel;
	if (o->sel >= o->top + rows)
		o->top = o->sel - rows + 1;
	if (o->top < 0)
		o->top = 0;
	for (int row = 1; row < h && o->top + row - 1 < o->n; row++) {
		int i = o->top + row - 1;
		wmove(w, row, 0);
		int a = o->lines[i].fd == 2 ? tui_attr(t, TR_ERROR) : (int)A_NORMAL;
		if (i == o->sel && focused)
			a = tui_attr(t, TR_CURSOR);
		wattrset(w, a);
		tui_put(w, o->lines[i].text, wd);
		wattrset(w, A_NORMAL);
	}
}

static int out_key(struct tui *t, int key)
{
	struct tui_out *o = &t->out;
	int page = t->panes[TP_OUTPUT].r.h - 2;
	switch (key) {
	case 'j': case KEY_DOWN: o->sel++; break;
	case 'k': case KEY_UP: o->sel--; break;
	case KEY_NPAGE: o->sel += page; break;
	case KEY_PPAGE: o->sel -= page; break;
	case '\n': case '\r': case KEY_ENTER:
		if (o->sel >= 0 && o->sel < o->n) {
			char ev[32];
			snprintf(ev, sizeof ev, "%llu", (unsigned long long)o->lines[o->sel].event);
			tui_seek(t, ev);
		}
		return 1;
	default:
		return 0;
	}
	if (o->sel >= o->n)
		o->sel = o->n - 1;
	if (o->sel < 0)
		o->sel = 0;
	o->follow = o->sel == o->n - 1;
	return 1;
}

static void out_click(struct tui *t, int y, int x)
{
	(void)x;
	struct tui_out *o = &t->out;
	if (y >= 1 && o->top + y - 1 < o->n) {
		o->sel = o->top + y - 1;
		o->follow = o->sel == o->n - 1;
	}
}

static void out_scroll(struct tui *t, int lines)
{
	struct tui_out *o = &t->out;
	o->sel += lines;
	if (o->sel >= o->n)
		o->sel = o->n - 1;
	if (o->sel < 0)
		o->sel = 0;
	o->follow = o->sel == o->n - 1;
}

const struct tui_pane_ops tui_output_ops = {
	.name = "Output",
	.update = out_refresh,
	.draw = out_draw,
	.key = out_key,
	.click = out_click,
	.wheel = out_scroll,
};
