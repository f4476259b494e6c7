/*
 * win_console.c — the console pane: the session's output (everything
 * commands print, through tui_print) above a readline prompt where any
 * command runs exactly as in the line-mode console, with readline's
 * history, TAB completion (dbg_complete) and Ctrl-R search.
 *
 * Readline runs through its callback interface and never touches the
 * terminal: keys come from ncurses (rl_getc_function reads a small queue
 * the TUI fills), the line is drawn by this pane (rl_redisplay_function
 * only notes that the pane must be drawn, which the event loop does after
 * every key), completion lists go to the scrollback, terminal preparation
 * and signal handling are off, and readline writes to /dev/null. ncurses
 * keeps keypad mode so that a lone Esc (leave the console) and arrow keys
 * are told apart; the arrows are given to readline as their emacs-mode
 * control keys (Ctrl-P, Ctrl-N, Ctrl-B, Ctrl-F, Ctrl-A, Ctrl-E).
 *
 * Readline's callback interface takes no context pointer, so the running
 * TUI is in a static variable (rl_tui): the one global readline forces.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "tui/tui_int.h"

#define CON_LINES 2000

static struct tui *rl_tui;

/* ---- scrollback ---------------------------------------------------------- */

static void push_line(struct tui_console *c, const char *s, size_t n, int is_error)
{
	if (!c->cap) {
		c->lines = calloc(CON_LINES, sizeof *c->lines);
		if (!c->lines)
			abort();
		c->cap = CON_LINES;
	}
	char *text = malloc(n + 1);
	if (!text)
		abort();
	memcpy(text, s, n);
	text[n] = 0;
	if (c->n == c->cap) {
		free(c->lines[c->first].text);
		c->lines[c->first] = (struct tui_con_line){ text, is_error };
		c->first = (c->first + 1) % c->cap;
	} else {
		c->lines[(c->first + c->n) % c->cap] = (struct tui_con_line){ text, is_error };
		c->n++;
	}
}

void tui_console_append(struct tui *t, const char *text, size_t len, int is_error)
{
	struct tui_console *c = &t->con;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		char *p = realloc(c->partial, c->plen + n + 1);
		if (!p)
			abort();
		memcpy(p + c->plen, text + i, n);
		c->partial = p;
		c->plen += n;
		c->partial[c->plen] = 0;
		c->partial_error |= is_error;
		i += n;
		if (nl) {
			push_line(c, c->partial, c->plen, c->partial_error);
			c->plen = 0;
			c->partial_error = 0;
			i++;
		}
	}
	c->scroll = 0;
}

static const struct tui_con_line *line_at(struct tui_console *c, int i)
{
	return &c->lines[(c->first + i) % c->cap];
}

/* ---- readline glue ------------------------------------------------------- */

static int con_getc(FILE *f)
{
	(void)f;
	struct tui_console *c = &rl_tui->con;
	if (!c->qlen)
		return EOF; /* never asked for more than was queued */
	int ch = c->queue[c->qhead];
	c->qhead = (c->qhead + 1) % (int)sizeof c->queue;
	c->qlen--;
	return ch;
}

static int con_available(void)
{
	return rl_tui && rl_tui->con.qlen > 0;
}

static void con_redisplay(void)
{
	/* The event loop draws the console after every key. */
}

static void con_line(char *line)
{
	struct tui_console *c = &rl_tui->con;
	if (!line) {
		c->eof = 1;
		return;
	}
	if (line[0])
		add_history(line);
	free(c->line);
	c->line = line;
}

static void con_display_matches(char **matches, int num, int max_length)
{
	(void)max_length;
	struct tui *t = rl_tui;
	char buf[1024];
	size_t n = 0;
	for (int i = 1; i <= num; i++) {
		size_t l = strlen(matches[i]);
		if (n && n + l + 2 > 78) {
			tui_console_append(t, buf, n, 0);
			tui_console_append(t, "\n", 1, 0);
			n = 0;
		}
		n += snprintf(buf + n, sizeof buf - n, "%s  ", matches[i]);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
	}
	if (n) {
		tui_console_append(t, buf, n, 0);
		tui_console_append(t, "\n", 1, 0);
	}
}

/* Completions from the session; the words replace `text`, readline's
 * current word. dbg_complete may answer whole lines: their part before the
 * word is dropped. */
static char **con_complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* no file-name fallback */
	struct tui *t = rl_tui;
	char **all = dbg_complete(t->d, rl_line_buffer, rl_point);
	if (!all)
		return NULL;
	size_t tl = strlen(text), n = 0;
	for (size_t i = 0; all[i]; i++)
		n++;
	char **m = calloc(n + 2, sizeof *m);
	size_t k = 1;
	for (size_t i = 0; m && all[i]; i++) {
		const char *s = all[i];
		if (start > 0 && !strncmp(s, rl_line_buffer, start) && strlen(s) > (size_t)start)
			s += start;
		if (!strncmp(s, text, tl)) {
			int dup = 0;
			for (size_t j = 1; j < k; j++)
				if (!strcmp(m[j], s))
					dup = 1;
			if (!dup)
				m[k++] = tui_strdup(s);
		}
	}
	for (size_t i = 0; all[i]; i++)
		free(all[i]);
	free(all);
	if (!m)
		return NULL;
	if (k == 1) {
		free(m);
		return NULL;
	}
	if (k == 2) {
		m[0] = m[1];
		m[1] = NULL;
		return m;
	}
	/* m[0]: the longest common prefix */
	size_t lcp = strlen(m[1]);
	for (size_t j = 2; j < k; j++) {
		size_t q = 0;
		while (q < lcp && m[j][q] == m[1][q])
			q++;
		lcp = q;
	}
	m[0] = strndup(m[1], lcp);
	if (!m[0])
		abort();
	m[k] = NULL;
	return m;
}

int tui_console_init(struct tui *t, char *err, size_t errlen)
{
	rl_tui = t;
	t->con.devnull = fopen("/dev/null", "w");
	if (!t->con.devnull) {
		snprintf(err, errlen, "cannot open /dev/null for readline");
		return -1;
	}
	/* Readline must not change LINES/COLUMNS (ncurses would believe them
	 * over the real size after a resize), handle signals or set modes. */
	rl_change_environment = 0;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = con_getc;
	rl_input_available_hook = con_available;
	rl_redisplay_function = con_redisplay;
	rl_completion_display_matches_hook = con_display_matches;
	rl_attempted_completion_function = con_complete;
	rl_outstream = t->con.devnull;
	rl_readline_name = "rrtui";
	using_history();
	rl_callback_handler_install(t->con.prompt, con_line);
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("completion-query-items", "1000");
	rl_bind_keyseq("\\e[3~", rl_delete);
	return 0;
}

void tui_console_fini(struct tui *t)
{
	if (rl_tui != t)
		return;
	rl_callback_handler_remove();
	rl_getc_function = rl_getc;
	rl_input_available_hook = NULL;
	rl_redisplay_function = rl_redisplay;
	rl_completion_display_matches_hook = NULL;
	rl_attempted_completion_function = NULL;
	rl_outstream = NULL;
	rl_prep_term_function = rl_prep_terminal;
	rl_deprep_term_function = rl_deprep_terminal;
	if (t->con.devnull)
		fclose(t->con.devnull);
	t->con.devnull = NULL;
	free(t->con.line);
	t->con.line = NULL;
	rl_tui = NULL;
}

static void queue_bytes(struct tui_console *c, const char *s, int n)
{
	for (int i = 0; i < n && c->qlen < (int)sizeof c->queue; i++) {
		c->queue[(c->qhead + c->qlen) % (int)sizeof c->queue] = (unsigned char)s[i];
		c->qlen++;
	}
}

void tui_console_feed(struct tui *t, int key)
{
	struct tui_console *c = &t->con;
	int page = t->panes[TP_CONSOLE].r.h - 2;
	char b;
	switch (key) {
	case 27:
		if (RL_ISSTATE(RL_STATE_ISEARCH)) {
			queue_bytes(c, "\007", 1); /* Esc ends a Ctrl-R search */
			break;
		}
		tui_set_focus(t, TP_SOURCE);
		return;
	case 3:
		if (RL_ISSTATE(RL_STATE_ISEARCH))
			queue_bytes(c, "\007", 1);
		queue_bytes(c, "\001\013", 2); /* Ctrl-A Ctrl-K: drop the line */
		break;
	case KEY_UP: queue_bytes(c, "\020", 1); break;
	case KEY_DOWN: queue_bytes(c, "\016", 1); break;
	case KEY_LEFT: queue_bytes(c, "\002", 1); break;
	case KEY_RIGHT: queue_bytes(c, "\006", 1); break;
	case KEY_HOME: queue_bytes(c, "\001", 1); break;
	case KEY_END: queue_bytes(c, "\005", 1); break;
	case KEY_BACKSPACE: queue_bytes(c, "\177", 1); break;
	case KEY_DC: queue_bytes(c, "\033[3~", 4); break;
	case KEY_ENTER: queue_bytes(c, "\r", 1); break;
	case KEY_PPAGE:
		c->scroll += page;
		if (c->scroll > c->n)
			c->scroll = c->n;
		return;
	case KEY_NPAGE:
		c->scroll -= page;
		if (c->scroll < 0)
			c->scroll = 0;
		return;
	default:
		if (key < 0 || key > 255)
			return;
		b = (char)key;
		queue_bytes(c, &b, 1);
	}
	while (c->qlen > 0 && !t->quit) {
		rl_callback_read_char();
		if (c->eof) {
			/* Ctrl-D on an empty line: back to the source pane */
			c->eof = 0;
			rl_callback_handler_install(c->prompt, con_line);
			tui_set_focus(t, TP_SOURCE);
		}
		if (c->line) {
			char *line = c->line;
			c->line = NULL;
			tui_command(t, line, 1);
			free(line);
		}
	}
}

static int columns(const char *s, size_t n)
{
	mbstate_t ms;
	memset(&ms, 0, sizeof ms);
	int cols = 0;
	size_t i = 0;
	while (i < n && s[i]) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &ms);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ms, 0, sizeof ms);
			cols++;
			i++;
			continue;
		}
		int w = wcwidth(wc);
		cols += w < 0 ? 1 : w;
		i += k;
	}
	return cols;
}

static void con_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_console *c = &t->con;
	int h = getmaxy(w), wd = getmaxx(w);
	tui_title(t, w, focused ? "Console (Esc: back, Tab: complete, Ctrl-R: search, PgUp: scroll)"
	                        : "Console (: to type a command)", focused);
	int rows = h - 2; /* title and the input line */
	int total = c->n + (c->plen ? 1 : 0);
	int last = total - 1 - c->scroll; /* the bottom scrollback line shown */
	for (int row = rows; row >= 1 && last >= 0; row--, last--) {
		const char *text;
		int err;
		if (last == c->n) {
			text = c->partial;
			err = c->partial_error;
		} else {
			text = line_at(c, last)->text;
			err = line_at(c, last)->is_error;
		}
		wmove(w, row, 0);
		if (err)
			wattrset(w, tui_attr(t, TR_ERROR));
		tui_put(w, text, wd);
		wattrset(w, A_NORMAL);
	}
	/* the input line, scrolled sideways so that the cursor shows */
	const char *prompt = rl_display_prompt ? rl_display_prompt : c->prompt;
	const char *buf = rl_line_buffer ? rl_line_buffer : "";
	int pcols = columns(prompt, strlen(prompt));
	int ccols = pcols + columns(buf, rl_point > 0 ? (size_t)rl_point : 0);
	int shift = ccols >= wd - 1 ? ccols - (wd - 10 > 1 ? wd - 10 : 1) : 0;
	wmove(w, h - 1, 0);
	if (!focused)
		wattrset(w, tui_attr(t, TR_DIM));
	if (shift < pcols) {
		/* (the prompt is ASCII) */
		tui_put(w, prompt + shift, wd);
		tui_put(w, buf, wd - (pcols - shift));
	} else {
		int skip = shift - pcols;
		const char *p = buf;
		while (*p && skip > 0) {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
			skip--;
		}
		tui_put(w, p, wd);
	}
	wattrset(w, A_NORMAL);
	c->cursor_y = h - 1;
	c->cursor_x = ccols - shift < wd ? ccols - shift : wd - 1;
	if (focused)
		wmove(w, c->cursor_y, c->cursor_x);
}

void tui_console_place_cursor(struct tui *t)
{
	WINDOW *w = t->panes[TP_CONSOLE].win;
	if (!w)
		return;
	wmove(w, t->con.cursor_y, t->con.cursor_x);
	wnoutrefresh(w);
	doupdate();
}

static void con_scroll(struct tui *t, int lines)
{
	struct tui_console *c = &t->con;
	c->scroll -= lines;
	if (c->scroll > c->n)
		c->scroll = c->n;
	if (c->scroll < 0)
		c->scroll = 0;
}

const struct tui_pane_ops tui_console_ops = {
	.name = "Console",
	.draw = con_draw,
	.wheel = con_scroll,
};
