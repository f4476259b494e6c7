/*
 * layout.c — where each pane sits on the screen, and the user's layout file.
 *
 * The screen, top to bottom: the main area, the timeline strip (1 row), the
 * status line (1 row) and the console (a few rows). The main area has a
 * left column — source, disassembly (beside the source when the column is
 * wide, under it otherwise), the program's output at the bottom — and a
 * right column with locals, backtrace and registers. Every size is derived
 * from the terminal size and a few user choices (right column width in
 * percent, console and output rows, hidden panes, a zoomed pane), so a
 * resize just recomputes the rectangles and recreates the windows.
 *
 * The choices are kept in $XDG_CONFIG_HOME/rrtui/layout (else
 * ~/.config/rrtui/layout), one "key value" line each, written whenever
 * they change (Ctrl-W keys) and when the TUI ends.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/tui_int.h"

/* Names in the layout file (stable: they are the user's file format). */
static const char *const layout_names[TP_COUNT] = {
	"source", "disasm", "locals", "stack", "registers", "output",
	"timeline", "status", "console",
};

void tui_layout_defaults(struct tui_layout *l)
{
	memset(l, 0, sizeof *l);
	l->side = 36;
	l->console = 0;          /* 0: a fifth of the screen */
	l->output = 0;           /* 0: a quarter of the left column */
	l->hidden[TP_DISASM] = -1; /* -1: shown when the screen is wide */
	l->zoom = -1;
}

static void layout_path(struct tui *t)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (x && *x)
		snprintf(t->layout_path, sizeof t->layout_path, "%s/rrtui/layout", x);
	else if (home && *home)
		snprintf(t->layout_path, sizeof t->layout_path, "%s/.config/rrtui/layout", home);
	else
		t->layout_path[0] = 0;
}

static int name_index(const char *s)
{
	for (int i = 0; i < TP_COUNT; i++)
		if (!strcmp(s, layout_names[i]))
			return i;
	return -1;
}

void tui_layout_load(struct tui *t)
{
	layout_path(t);
	if (!t->layout_path[0])
		return;
	FILE *f = fopen(t->layout_path, "r");
	if (!f)
		return;
	char line[256], a[64], b[64];
	while (fgets(line, sizeof line, f)) {
		int v;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "side %d", &v) == 1 && v >= 10 && v <= 70)
			t->lay.side = v;
		else if (sscanf(line, "console %d", &v) == 1 && v >= 0 && v < 200)
			t->lay.console = v;
		else if (sscanf(line, "output %d", &v) == 1 && v >= 0 && v < 200)
			t->lay.output = v;
		else if (sscanf(line, "zoom %63s", a) == 1)
			t->lay.zoom = name_index(a);
		else if (sscanf(line, "pane %63s %63s", a, b) == 2) {
			int i = name_index(a);
			if (i < 0 || i == TP_STATUS || i == TP_CONSOLE || i == TP_SOURCE)
				continue;
			t->lay.hidden[i] = !strcmp(b, "hidden") ? 1 : !strcmp(b, "auto") ? -1 : 0;
		}
	}
	fclose(f);
}

static void mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(path, 0755);
			*p = '/';
		}
}

void tui_layout_save(struct tui *t)
{
	if (!t->layout_path[0])
		return;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", t->layout_path);
	mkdirs(dir);
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", t->layout_path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return; /* a layout that cannot be saved is not worth an error */
	fprintf(f, "# rrtui TUI layout (written by rrtui; Ctrl-W keys change it)\n");
	fprintf(f, "side %d\nconsole %d\noutput %d\n", t->lay.side, t->lay.console, t->lay.output);
	fprintf(f, "zoom %s\n", t->lay.zoom >= 0 ? layout_names[t->lay.zoom] : "none");
	for (int i = 0; i < TP_COUNT; i++) {
		if (i == TP_STATUS || i == TP_CONSOLE || i == TP_SOURCE)
			continue;
		fprintf(f, "pane %s %s\n", layout_names[i],
		        t->lay.hidden[i] > 0 ? "hidden" : t->lay.hidden[i] < 0 ? "auto" : "shown");
	}
	if (fclose(f) == 0)
		rename(tmp, t->layout_path);
	else
		unlink(tmp);
}

static int clampi(int v, int lo, int hi)
{
	if (hi < lo)
		hi = lo;
	return v < lo ? lo : v > hi ? hi : v;
}

static void place(struct tui *t, int id, int y, int x, int h, int w)
{
	struct tui_pane *p = &t->panes[id];
	if (h <= 0 || w <= 0)
		return;
	p->r = (struct tui_rect){ y, x, h, w };
	p->win = newwin(h, w, y, x);
	if (p->win)
		keypad(p->win, TRUE);
}

static int shown(struct tui *t, int id, int W)
{
	int h = t->lay.hidden[id];
	if (h < 0)
		return W >= 120;
	return !h;
}

void tui_layout_apply(struct tui *t)
{
	for (int i = 0; i < TP_COUNT; i++) {
		if (t->panes[i].win)
			delwin(t->panes[i].win);
		t->panes[i].win = NULL;
		t->panes[i].r = (struct tui_rect){ 0, 0, 0, 0 };
	}
	/* Scroll positions start afresh, as at a stop (see win_source.c). */
	t->src.reveal = 2;
	t->dis.top = -1;
	int H = LINES, W = COLS;
	if (H < 8 || W < 30) {
		/* Too small for panes: the console alone keeps the TUI usable. */
		place(t, TP_STATUS, 0, 0, 1, W);
		place(t, TP_CONSOLE, 1, 0, H - 1, W);
		return; /* the focus stays: ':' reaches the console */
	}
	int C = t->lay.console ? t->lay.console : H / 5;
	C = clampi(C, 3, H / 2);
	int tl = shown(t, TP_TIMELINE, W) ? 1 : 0;
	int M = H - C - 1 - tl;
	place(t, TP_CONSOLE, H - C, 0, C, W);
	place(t, TP_STATUS, H - C - 1, 0, 1, W);
	if (tl)
		place(t, TP_TIMELINE, M, 0, 1, W);

	int z = t->lay.zoom;
	if (z >= 0 && z != TP_STATUS && z != TP_CONSOLE && z != TP_TIMELINE) {
		place(t, z, 0, 0, M, W);
		if (!t->panes[t->focus].win)
			tui_set_focus(t, z);
		return;
	}

	static const int right[] = { TP_VARS, TP_STACK, TP_REGS };
	static const int weight[] = { 3, 2, 3 };
	int nright = 0, wsum = 0;
	for (int i = 0; i < 3; i++)
		if (shown(t, right[i], W)) {
			nright++;
			wsum += weight[i];
		}
	int S = 0;
	if (nright && W >= 60)
		S = clampi(W * t->lay.side / 100, 20, W / 2);
	int L = S ? W - S - 1 : W;
	if (S) {
		int y = 0, left = M, wleft = wsum;
		for (int i = 0; i < 3; i++) {
			if (!shown(t, right[i], W))
				continue;
			int h = wleft == weight[i] ? left : M * weight[i] / wsum;
			h = clampi(h, 2, left);
			place(t, right[i], y, L + 1, h, S);
			y += h;
			left -= h;
			wleft -= weight[i];
		}
	}
	int O = 0;
	if (shown(t, TP_OUTPUT, W)) {
		O = t->lay.output ? t->lay.output : M / 4;
		O = clampi(O, 3, M / 2);
		place(t, TP_OUTPUT, M - O, 0, O, L);
	}
	int T = M - O;
	if (shown(t, TP_DISASM, W)) {
		if (L >= 120) {
			int sw = L * 55 / 100;
			place(t, TP_SOURCE, 0, 0, T, sw);
			place(t, TP_DISASM, 0, sw, T, L - sw);
		} else {
			int sh = T * 6 / 10;
			place(t, TP_SOURCE, 0, 0, sh, L);
			place(t, TP_DISASM, sh, 0, T - sh, L);
		}
	} else {
		place(t, TP_SOURCE, 0, 0, T, L);
	}
	if (!t->panes[t->focus].win)
		tui_set_focus(t, TP_SOURCE);
}

int tui_pane_at(struct tui *t, int y, int x)
{
	for (int i = 0; i < TP_COUNT; i++) {
		struct tui_rect *r = &t->panes[i].r;
		if (t->panes[i].win && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w)
			return i;
	}
	return -1;
}

int tui_layout_key(struct tui *t, int key)
{
	struct tui_layout *l = &t->lay;
	int toggle = -1;
	switch (key) {
	case 'z':
		l->zoom = l->zoom >= 0 ? -1 : t->focus;
		break;
	case 'h': l->side = clampi(l->side + 4, 10, 70); break;
	case 'l': l->side = clampi(l->side - 4, 10, 70); break;
	case 'j': l->console = clampi((l->console ? l->console : LINES / 5) + 1, 3, 100); break;
	case 'k': l->console = clampi((l->console ? l->console : LINES / 5) - 1, 3, 100); break;
	case 'J': l->output = clampi((l->output ? l->output : LINES / 6) + 1, 3, 100); break;
	case 'K': l->output = clampi((l->output ? l->output : LINES / 6) - 1, 3, 100); break;
	case 'd': toggle = TP_DISASM; break;
	case 'v': toggle = TP_VARS; break;
	case 's': toggle = TP_STACK; break;
	case 'r': toggle = TP_REGS; break;
	case 'o': toggle = TP_OUTPUT; break;
	case 't': toggle = TP_TIMELINE; break;
	case '=': tui_layout_defaults(l); break;
	default:
		tui_message(t, 1, "Ctrl-W: unknown layout key (z h l j k J K d v s r o t =)");
		return 0;
	}
	if (toggle >= 0)
		l->hidden[toggle] = shown(t, toggle, COLS) ? 1 : 0;
	tui_layout_apply(t);
	t->need_full = 1;
	tui_layout_save(t);
	return 1;
}
