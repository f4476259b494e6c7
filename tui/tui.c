/*
 * tui.c — the TUI's life cycle and its event loop.
 *
 * tui_run takes the terminal (ncursesw: cbreak, no echo, keypad, mouse),
 * lays the panes out (layout.c), then loops: draw every pane into its own
 * window and doupdate once, read one key, give it to the focused pane, then
 * to the global keymap (keys.c). Every command — typed in the console or
 * bound to a key — goes through tui_command, which runs it with dbg_execute
 * (its output arrives through tui_print into the console pane) and then
 * refreshes all panes from the dbg.h queries, so the screen always shows
 * the session's state, whatever moved it. Before a motion runs, the status
 * line says what runs and that Ctrl-C stops it: nothing else is drawn
 * until it ends, unless the session reports progress.
 *
 * Jumps in time are remembered here too: whenever the position changes the
 * old one goes on a back list (Ctrl-O returns to it, Ctrl-R goes forward
 * again), as vim's jump list does for places in a file.
 *
 * Ctrl-C: the terminal keeps ISIG, so Ctrl-C raises SIGINT even while a
 * command runs (when no key is read); the handler asks the session to stop
 * with dbg_interrupt, which the session allows from a signal handler.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "tui/tui_int.h"

/* Global because a signal handler can reach nothing else: the running TUI
 * (one per process, see tui.h) and a flag for a Ctrl-C while idle. */
static struct tui *volatile sig_tui;
static volatile sig_atomic_t sig_pending;

static void on_sigint(int sig)
{
	(void)sig;
	struct tui *t = sig_tui;
	if (t && t->busy && t->d)
		dbg_interrupt(t->d);
	else
		sig_pending = 1;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

char *tui_strdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort(); /* a TUI without memory cannot even say so */
	return p;
}

/* ---- small string map -------------------------------------------------- */

void tui_map_set(struct tui_map *m, const char *key, const char *value)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->kv[i].key, key)) {
			free(m->kv[i].value);
			m->kv[i].value = tui_strdup(value);
			return;
		}
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 32;
		m->kv = realloc(m->kv, m->cap * sizeof *m->kv);
		if (!m->kv)
			abort();
	}
	m->kv[m->n].key = tui_strdup(key);
	m->kv[m->n].value = tui_strdup(value);
	m->n++;
}

const char *tui_map_get(const struct tui_map *m, const char *key)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->kv[i].key, key))
			return m->kv[i].value;
	return NULL;
}

void tui_map_clear(struct tui_map *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->kv[i].key);
		free(m->kv[i].value);
	}
	m->n = 0;
}

/* ---- life cycle -------------------------------------------------------- */

static const struct tui_pane_ops *const pane_ops[TP_COUNT] = {
	[TP_SOURCE] = &tui_source_ops, [TP_DISASM] = &tui_disasm_ops,
	[TP_VARS] = &tui_vars_ops, [TP_STACK] = &tui_stack_ops,
	[TP_REGS] = &tui_regs_ops, [TP_OUTPUT] = &tui_output_ops,
	[TP_TIMELINE] = &tui_timeline_ops, [TP_STATUS] = &tui_status_ops,
	[TP_CONSOLE] = &tui_console_ops,
};

struct tui *tui_new(void)
{
	struct tui *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	for (int i = 0; i < TP_COUNT; i++)
		t->panes[i].ops = pane_ops[i];
	t->focus = TP_SOURCE;
	t->st.fraction = -1;
	t->out.follow = 1;
	t->tl.cursor = -1;
	snprintf(t->con.prompt, sizeof t->con.prompt, "(rrtui) ");
	tui_layout_defaults(&t->lay);
	return t;
}

void tui_free(struct tui *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->src.nlines; i++)
		free(t->src.lines[i]);
	free(t->src.lines);
	free(t->src.exec);
	free(t->dis.lines);
	for (int i = 0; i < t->vars.n; i++) {
		free(t->vars.rows[i].path);
		free(t->vars.rows[i].name);
		free(t->vars.rows[i].value);
		free(t->vars.rows[i].prev);
	}
	free(t->vars.rows);
	for (int i = 0; i < t->vars.nexp; i++)
		free(t->vars.expanded[i]);
	free(t->vars.expanded);
	for (int i = 0; i < t->vars.nwatch; i++)
		free(t->vars.watches[i]);
	free(t->vars.watches);
	tui_map_clear(&t->vars.prev);
	tui_map_clear(&t->vars.cur);
	free(t->vars.prev.kv);
	free(t->vars.cur.kv);
	free(t->stack.frames);
	for (int i = 0; i < t->out.n; i++)
		free(t->out.lines[i].text);
	free(t->out.lines);
	free(t->tl.marks);
	for (int i = 0; i < t->con.n; i++)
		free(t->con.lines[(t->con.first + i) % t->con.cap].text);
	free(t->con.lines);
	free(t->con.partial);
	free(t->bps);
	free(t);
}

void tui_print(void *ctx, const char *text, size_t len, int is_error)
{
	struct tui *t = ctx;
	if (t->capturing) {
		size_t room = t->cap_size - 1 - t->cap_len;
		if (len > room)
			len = room;
		memcpy(t->cap + t->cap_len, text, len);
		t->cap_len += len;
		t->cap[t->cap_len] = 0;
		return;
	}
	tui_console_append(t, text, len, is_error);
}

int tui_capture(struct tui *t, const char *line, char *out, size_t outlen)
{
	if (!outlen)
		return DBG_ERROR;
	out[0] = 0;
	t->cap = out;
	t->cap_len = 0;
	t->cap_size = outlen;
	t->capturing = 1;
	int rc = dbg_execute(t->d, line);
	t->capturing = 0;
	t->cap = NULL;
	return rc;
}

/* ---- helpers for panes -------------------------------------------------- */

int tui_attr(struct tui *t, int role)
{
	if (t->color) {
		switch (role) {
		case TR_TITLE: return COLOR_PAIR(TR_TITLE);
		case TR_TITLE_FOCUS: return COLOR_PAIR(TR_TITLE_FOCUS) | A_BOLD;
		case TR_CURRENT: return COLOR_PAIR(TR_CURRENT) | A_BOLD;
		case TR_CURSOR: return A_REVERSE;
		case TR_BREAK: return COLOR_PAIR(TR_BREAK) | A_BOLD;
		case TR_BREAK_OFF: return COLOR_PAIR(TR_BREAK_OFF);
		case TR_CHANGED: return COLOR_PAIR(TR_CHANGED) | A_BOLD;
		case TR_DIM: return COLOR_PAIR(TR_DIM);
		case TR_ERROR: return COLOR_PAIR(TR_ERROR);
		case TR_STATUS: return COLOR_PAIR(TR_STATUS);
		case TR_MARK: return COLOR_PAIR(TR_MARK) | A_BOLD;
		default: return A_NORMAL;
		}
	}
	/* Monochrome: every role still differs from plain text. */
	switch (role) {
	case TR_TITLE: return A_REVERSE;
	case TR_TITLE_FOCUS: return A_REVERSE | A_BOLD;
	case TR_CURRENT: return A_BOLD;
	case TR_CURSOR: return A_REVERSE;
	case TR_BREAK: return A_BOLD;
	case TR_BREAK_OFF: return A_DIM;
	case TR_CHANGED: return A_BOLD | A_UNDERLINE;
	case TR_DIM: return A_DIM;
	case TR_ERROR: return A_BOLD;
	case TR_STATUS: return A_REVERSE;
	case TR_MARK: return A_BOLD;
	default: return A_NORMAL;
	}
}

static void init_colors(struct tui *t)
{
	t->color = 0;
	if (getenv("NO_COLOR") || !has_colors() || start_color() != OK)
		return;
	use_default_colors();
	init_pair(TR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(TR_TITLE_FOCUS, COLOR_BLACK, COLOR_YELLOW);
	init_pair(TR_CURRENT, COLOR_GREEN, -1);
	init_pair(TR_BREAK, COLOR_RED, -1);
	init_pair(TR_BREAK_OFF, COLOR_BLUE, -1);
	init_pair(TR_CHANGED, COLOR_MAGENTA, -1);
	init_pair(TR_DIM, COLOR_BLUE, -1);
	init_pair(TR_ERROR, COLOR_RED, -1);
	init_pair(TR_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(TR_MARK, COLOR_YELLOW, -1);
	t->color = 1;
}

int tui_putn(WINDOW *w, const char *s, size_t n, int width)
{
	mbstate_t ms;
	memset(&ms, 0, sizeof ms);
	int used = 0;
	size_t i = 0;
	while (i < n && s[i] && used < width) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t') {
			int sp = 8 - used % 8;
			while (sp-- > 0 && used < width) {
				waddch(w, ' ');
				used++;
			}
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			waddch(w, '?');
			used++;
			i++;
			continue;
		}
		if (c < 0x80) {
			waddch(w, c);
			used++;
			i++;
			continue;
		}
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &ms);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ms, 0, sizeof ms);
			waddch(w, '?');
			used++;
			i++;
			continue;
		}
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (used + cw > width)
			break;
		waddnstr(w, s + i, (int)k);
		used += cw;
		i += k;
	}
	return used;
}

int tui_put(WINDOW *w, const char *s, int width)
{
	return tui_putn(w, s, strlen(s), width);
}

void tui_title(struct tui *t, WINDOW *w, const char *title, int focused)
{
	int wd = getmaxx(w);
	wattrset(w, tui_attr(t, focused ? TR_TITLE_FOCUS : TR_TITLE));
	wmove(w, 0, 0);
	/* The focus is visible in plain text too: [Name] vs  Name. */
	char buf[1200];
	snprintf(buf, sizeof buf, focused ? "[%s]" : " %s ", title);
	int used = tui_put(w, buf, wd);
	for (; used < wd; used++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}

void tui_message(struct tui *t, int is_error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->st.msg, sizeof t->st.msg, fmt, ap);
	va_end(ap);
	t->st.msg_error = is_error;
}

int tui_same_file(const char *a, const char *b)
{
	if (!*a || !*b)
		return 0;
	if (!strcmp(a, b))
		return 1;
	const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
	ba = ba ? ba + 1 : a;
	bb = bb ? bb + 1 : b;
	return !strcmp(ba, bb);
}

const struct dbg_bp_info *tui_bp_at(struct tui *t, const char *file, int line)
{
	const struct dbg_bp_info *best = NULL;
	for (int i = 0; i < t->nbps; i++) {
		const struct dbg_bp_info *b = &t->bps[i];
		if (b->type == 0 && b->line == line && tui_same_file(b->file, file))
			if (!best || (b->enabled && !best->enabled))
				best = b;
	}
	return best;
}

const struct dbg_bp_info *tui_bp_at_addr(struct tui *t, uint64_t addr)
{
	for (int i = 0; i < t->nbps; i++)
		if (t->bps[i].type == 0 && t->bps[i].addr == addr)
			return &t->bps[i];
	return NULL;
}

/* ---- state and commands -------------------------------------------------- */

void tui_jump_push(struct tui *t)
{
	if (!t->last_pos[0])
		return;
	if (t->nback == TUI_JUMPS) {
		memmove(t->back[0], t->back[1], (TUI_JUMPS - 1) * TUI_POS_LEN);
		t->nback--;
	}
	snprintf(t->back[t->nback++], TUI_POS_LEN, "%s", t->last_pos);
	t->nfwd = 0;
}

void tui_refresh_all(struct tui *t)
{
	t->have_where = dbg_where(t->d, &t->where) == 0;
	if (!t->have_where)
		memset(&t->where, 0, sizeof t->where);
	if (strcmp(t->where.pos, t->last_pos)) {
		t->serial++;
		snprintf(t->last_pos, sizeof t->last_pos, "%s", t->where.pos);
	}
	if (!t->bps)
		t->bps = calloc(256, sizeof *t->bps);
	t->nbps = t->bps ? dbg_breakpoints(t->d, t->bps, 256) : 0;
	if (t->nbps < 0)
		t->nbps = 0;
	for (int i = 0; i < TP_COUNT; i++)
		if (t->panes[i].ops->update)
			t->panes[i].ops->update(t);
}

/* Commands that move in time (and may take long), as typed: a prefix of
 * their name (gdb takes any unique one: "cont", "fin") or an alias. A
 * false guess only shows "running" for the few milliseconds a query
 * takes. */
static int is_motion(const char *line)
{
	static const char *const names[] = {
		"continue", "next", "step", "stepi", "nexti", "finish", "until", "advance",
		"run", "seek", "restart", NULL };
	static const char *const aliases[] = { "fg", "si", "ni", "rc", "rn", "rs", "rsi", "rni", NULL };
	while (*line == ' ')
		line++;
	size_t n = strcspn(line, " \t/");
	if (!n)
		return 0;
	if (!strncmp(line, "reverse-", 8))
		return 1;
	for (int i = 0; names[i]; i++)
		if (n <= strlen(names[i]) && !strncmp(line, names[i], n))
			return 1;
	for (int i = 0; aliases[i]; i++)
		if (strlen(aliases[i]) == n && !strncmp(line, aliases[i], n))
			return 1;
	return 0;
}

static void draw_status_now(struct tui *t)
{
	struct tui_pane *p = &t->panes[TP_STATUS];
	if (!t->running || !p->win)
		return;
	werase(p->win);
	p->ops->draw(t, p->win, 0);
	wnoutrefresh(p->win);
	doupdate();
}

int tui_command(struct tui *t, const char *line, int echo)
{
	if (echo) {
		tui_console_append(t, t->con.prompt, strlen(t->con.prompt), 0);
		tui_console_append(t, line, strlen(line), 0);
		tui_console_append(t, "\n", 1, 0);
	}
	char before[TUI_POS_LEN];
	snprintf(before, sizeof before, "%s", t->where.pos);
	t->busy = 1;
	if (is_motion(line)) {
		snprintf(t->st.running, sizeof t->st.running, "%s", line);
		draw_status_now(t);
	}
	double t0 = now_us();
	int rc = dbg_execute(t->d, line);
	t->busy = 0;
	t->st.running[0] = 0;
	t->st.fraction = -1;
	t->st.progress[0] = 0;
	if (rc == DBG_QUIT) {
		t->quit = 1;
		return rc;
	}
	unsigned serial = t->serial;
	double t1 = now_us();
	tui_refresh_all(t);
	if (t->timing) {
		/* The command's own time, then the panes' queries: what the
		 * engine costs and what the TUI adds (bench/tui_bench.sh). */
		fprintf(t->timing, "cmd %.0f refresh %.0f %s\n", t1 - t0, now_us() - t1, line);
		fflush(t->timing);
	}
	if (serial != t->serial && before[0] && !t->jumping) {
		/* A move in time: remember where we were (Ctrl-O). */
		if (t->nback == TUI_JUMPS) {
			memmove(t->back[0], t->back[1], (TUI_JUMPS - 1) * TUI_POS_LEN);
			t->nback--;
		}
		snprintf(t->back[t->nback++], TUI_POS_LEN, "%s", before);
		t->nfwd = 0;
	}
	return rc;
}

int tui_commandf(struct tui *t, int echo, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_command(t, buf, echo);
}

int tui_seek(struct tui *t, const char *pos)
{
	return tui_commandf(t, 1, "seek %s", pos);
}

void tui_set_focus(struct tui *t, int pane)
{
	t->focus = pane;
	curs_set(pane == TP_CONSOLE ? 1 : 0);
}

/* ---- drawing ------------------------------------------------------------ */

void tui_draw_all(struct tui *t)
{
	if (t->need_full) {
		/* After a resize or Ctrl-L: forget what ncurses thinks is on the
		 * screen, so nothing of the old contents survives. */
		clearok(curscr, TRUE);
		t->need_full = 0;
	}
	/* The separator between the columns lives on stdscr, behind the panes. */
	werase(stdscr);
	int sepx = -1, sepy0 = 0, sepy1 = -1;
	for (int i = 0; i < TP_COUNT; i++) {
		struct tui_pane *p = &t->panes[i];
		if (!p->win)
			continue;
		if (i == TP_VARS || i == TP_STACK || i == TP_REGS) {
			if (sepx < 0 || p->r.x - 1 < sepx)
				sepx = p->r.x - 1;
			if (p->r.y + p->r.h - 1 > sepy1)
				sepy1 = p->r.y + p->r.h - 1;
		}
	}
	if (sepx >= 0) {
		wattrset(stdscr, tui_attr(t, TR_DIM));
		mvwvline(stdscr, sepy0, sepx, ACS_VLINE, sepy1 - sepy0 + 1);
		wattrset(stdscr, A_NORMAL);
	}
	wnoutrefresh(stdscr);
	for (int i = 0; i < TP_COUNT; i++) {
		struct tui_pane *p = &t->panes[i];
		if (!p->win)
			continue;
		werase(p->win);
		p->ops->draw(t, p->win, t->focus == i);
		wnoutrefresh(p->win);
	}
	doupdate();
	if (t->focus == TP_CONSOLE)
		tui_console_place_cursor(t);
}

static void progress_cb(void *ctx, const char *what, double fraction)
{
	struct tui *t = ctx;
	static const double every = 50000; /* us: cheap enough, smooth enough */
	snprintf(t->st.progress, sizeof t->st.progress, "%s", what ? what : "");
	t->st.fraction = fraction;
	double n = now_us();
	if (n - t->progress_last < every && fraction < 1)
		return;
	t->progress_last = n;
	struct tui_pane *p = &t->panes[TP_STATUS];
	if (p->win) {
		werase(p->win);
		p->ops->draw(t, p->win, 0);
		wnoutrefresh(p->win);
	}
	p = &t->panes[TP_CONSOLE];
	if (p->win) {
		werase(p->win);
		p->ops->draw(t, p->win, t->focus == TP_CONSOLE);
		wnoutrefresh(p->win);
	}
	doupdate();
}

int tui_prompt(struct tui *t, const char *prompt, char *buf, size_t len)
{
	size_t n = strlen(buf);
	curs_set(1);
	for (;;) {
		struct tui_pane *p = &t->panes[TP_STATUS];
		tui_draw_all(t);
		if (p->win) {
			werase(p->win);
			wattrset(p->win, tui_attr(t, TR_STATUS));
			mvwhline(p->win, 0, 0, ' ', getmaxx(p->win));
			wmove(p->win, 0, 0);
			tui_put(p->win, prompt, getmaxx(p->win));
			tui_put(p->win, buf, getmaxx(p->win) - (int)strlen(prompt) - 1);
			wattrset(p->win, A_NORMAL);
			wrefresh(p->win);
		}
		int k = wgetch(stdscr);
		if (k == ERR)
			continue;
		if (k == KEY_RESIZE) {
			tui_layout_apply(t);
			t->need_full = 1;
			continue;
		}
		if (k == 27 || k == 3 || k == 7) {
			curs_set(t->focus == TP_CONSOLE);
			return -1;
		}
		if (k == '\n' || k == '\r' || k == KEY_ENTER)
			break;
		if ((k == KEY_BACKSPACE || k == 127 || k == 8) && n > 0) {
			/* drop a whole UTF-8 character */
			do
				n--;
			while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80);
			buf[n] = 0;
		} else if (k >= 0x20 && k < 0x100 && k != 127 && n + 1 < len) {
			buf[n++] = (char)k;
			buf[n] = 0;
		}
	}
	curs_set(t->focus == TP_CONSOLE);
	return 0;
}

int tui_ask(struct tui *t, const char *question)
{
	int k;
	do {
		tui_message(t, 0, "%s", question);
		tui_draw_all(t);
		k = wgetch(stdscr);
		if (k == KEY_RESIZE) {
			tui_layout_apply(t);
			t->need_full = 1;
		}
	} while (k == ERR || k == KEY_RESIZE);
	t->st.msg[0] = 0;
	return k;
}

void tui_show_help(struct tui *t)
{
	int H = LINES, W = COLS;
	int top = 0;
	for (;;) {
		int h = H - 2, w = W - 4;
		if (h < 3 || w < 20)
			return;
		WINDOW *win = newwin(h, w, 1, 2);
		if (!win)
			return;
		int n = tui_keys_help_lines();
		WINDOW *pad = newpad(n + 2, w - 2);
		if (!pad) {
			delwin(win);
			return;
		}
		tui_keys_help(t, pad);
		werase(win);
		box(win, 0, 0);
		mvwaddstr(win, 0, 2, " rrtui keys (? Esc q: close, j/k: scroll) ");
		wnoutrefresh(win);
		if (top > n - (h - 2))
			top = n - (h - 2) > 0 ? n - (h - 2) : 0;
		pnoutrefresh(pad, top, 0, 2, 3, h - 1, w);
		doupdate();
		int k = wgetch(stdscr);
		delwin(pad);
		delwin(win);
		if (k == KEY_RESIZE) {
			tui_layout_apply(t);
			t->need_full = 1;
			tui_draw_all(t);
			H = LINES;
			W = COLS;
			continue;
		}
		if (k == 'j' || k == KEY_DOWN)
			top++;
		else if ((k == 'k' || k == KEY_UP) && top > 0)
			top--;
		else if (k == KEY_NPAGE)
			top += h - 3;
		else if (k == KEY_PPAGE)
			top = top > h - 3 ? top - (h - 3) : 0;
		else if (k != ERR)
			break;
	}
	t->need_full = 1;
}

/* ---- the loop ------------------------------------------------------------ */

static void handle_mouse(struct tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	int p = tui_pane_at(t, ev.y, ev.x);
	if (p < 0)
		return;
	struct tui_pane *pane = &t->panes[p];
	if (ev.bstate & BUTTON4_PRESSED) {
		if (pane->ops->wheel)
			pane->ops->wheel(t, -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		if (pane->ops->wheel)
			pane->ops->wheel(t, 3);
		return;
	}
#endif
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)) {
		if (p != TP_STATUS)
			tui_set_focus(t, p);
		if (pane->ops->click)
			pane->ops->click(t, ev.y - pane->r.y, ev.x - pane->r.x);
	}
}

static void handle_key(struct tui *t, int k)
{
	if (k == KEY_MOUSE) {
		handle_mouse(t);
		return;
	}
	t->st.msg[0] = 0;
	if (t->focus == TP_CONSOLE) {
		/* F-keys move in time from everywhere; the console gets the rest. */
		if ((k >= KEY_F(1) && k <= KEY_F(24)) || k == KEY_BTAB) {
			tui_keys_global(t, k);
			return;
		}
		tui_console_feed(t, k);
		return;
	}
	if (t->pending_ctrlw) {
		t->pending_ctrlw = 0;
		tui_layout_key(t, k);
		return;
	}
	struct tui_pane *p = &t->panes[t->focus];
	if (p->win && p->ops->key && p->ops->key(t, k))
		return;
	tui_keys_global(t, k);
}

int tui_run(struct tui *t, struct dbg *d, char *err, size_t errlen)
{
	if (!isatty(0) || !isatty(1)) {
		snprintf(err, errlen, "the TUI needs a terminal on stdin and stdout");
		return -1;
	}
	if (sig_tui) {
		snprintf(err, errlen, "a TUI is already running");
		return -1;
	}
	t->d = d;
	setlocale(LC_ALL, "");
	t->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	const char *tf = getenv("RRTUI_TUI_TIMING");
	if (tf && *tf)
		t->timing = fopen(tf, "a");
	/* Readline first: its terminal set-up (tgetent) must not replace
	 * ncurses' terminal afterwards. */
	if (tui_console_init(t, err, errlen) < 0)
		return -1;
	/* Short: a lone Esc leaves the console; sequences arrive at once. */
	set_escdelay(25);
	if (!initscr()) {
		snprintf(err, errlen, "cannot initialise the terminal (TERM=%s)",
		         getenv("TERM") ? getenv("TERM") : "");
		tui_console_fini(t);
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	tui_keys_define();
	intrflush(stdscr, FALSE);
	init_colors(t);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	          | BUTTON5_PRESSED
#endif
	          , NULL);
	mouseinterval(0);
	curs_set(0);

	struct sigaction sa, old_sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sig_tui = t;
	sig_pending = 0;
	sigaction(SIGINT, &sa, &old_sa);

	int rc = 0;
	t->running = 1;
	dbg_set_progress(d, progress_cb, t);
	tui_layout_load(t);
	tui_layout_apply(t);
	tui_source_find_home(t);
	tui_refresh_all(t);
	tui_source_stopped(t);

	double t0 = 0;
	int last_key = 0;
	while (!t->quit) {
		double td = now_us();
		tui_draw_all(t);
		if (t0 && t->timing) {
			double end = now_us();
			fprintf(t->timing, "key %d %.0f draw %.0f\n", last_key, end - t0, end - td);
			fflush(t->timing);
		}
		t0 = 0;
		int k = wgetch(stdscr);
		if (k == ERR) {
			if (sig_pending) {
				sig_pending = 0;
				if (t->focus == TP_CONSOLE)
					tui_console_feed(t, 3);
			}
			continue;
		}
		t0 = now_us();
		last_key = k;
		if (k == KEY_RESIZE) {
			tui_layout_apply(t);
			t->need_full = 1;
			continue;
		}
		if (k == 12) { /* Ctrl-L: repaint everything */
			t->need_full = 1;
			continue;
		}
		handle_key(t, k);
	}
	tui_layout_save(t);
	dbg_set_progress(d, NULL, NULL);
	tui_console_fini(t);
	for (int i = 0; i < TP_COUNT; i++)
		if (t->panes[i].win) {
			delwin(t->panes[i].win);
			t->panes[i].win = NULL;
		}
	endwin();
	sigaction(SIGINT, &old_sa, NULL);
	sig_tui = NULL;
	t->running = 0;
	if (t->timing) {
		fclose(t->timing);
		t->timing = NULL;
	}
	return rc;
}
