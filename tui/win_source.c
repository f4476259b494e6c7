/*
 * win_source.c — the source pane: the file of the selected frame, the
 * current line (marked '>' in the gutter, so it shows in monochrome and in
 * a plain-text screen capture), breakpoints in the gutter (B enabled,
 * b disabled, T/t temporary), lines seen executed in the current call ('.'),
 * a cursor line for the keys that act on a place (Space, t, u/U, w, o) and
 * /search. Where there is no source (no line info, file not found) it shows
 * the disassembly around the pc instead (x toggles that by hand) - except
 * at the start of the recording, in the loader, where it shows main's file
 * with the cursor on main (as gdb lists main before `run`), so that the
 * first breakpoint can be set with Space; no line has the '>' marker then.
 *
 * "Executed in the current call" is what the TUI saw: the lines of the
 * stops in this function since it was last entered, which is every line
 * when stepping and the stop lines when continuing. The engine could do
 * better (it knows every pc); dbg.h does not offer it yet.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

static void unload(struct tui_src *s)
{
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
	s->path[0] = 0;
}

static int load(struct tui_src *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	unload(s);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int alloc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (s->nlines == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			s->lines = realloc(s->lines, alloc * sizeof *s->lines);
			if (!s->lines)
				abort();
		}
		s->lines[s->nlines++] = tui_strdup(line);
	}
	free(line);
	fclose(f);
	snprintf(s->path, sizeof s->path, "%s", path);
	return 0;
}

static void mark_executed(struct tui *t)
{
	struct tui_src *s = &t->src;
	const struct dbg_where *w = &t->where;
	if (w->frame != 0 || !w->line)
		return;
	char key[sizeof s->exec_key];
	snprintf(key, sizeof key, "%s\037%s", w->func, w->file);
	if (strcmp(key, s->exec_key)) {
		snprintf(s->exec_key, sizeof s->exec_key, "%s", key);
		memset(s->exec, 0, s->exec_n);
	}
	if (w->line >= s->exec_n) {
		int n = w->line + 256;
		s->exec = realloc(s->exec, n);
		if (!s->exec)
			abort();
		memset(s->exec + s->exec_n, 0, n - s->exec_n);
		s->exec_n = n;
	}
	s->exec[w->line] = 1;
}

void tui_source_stopped(struct tui *t)
{
	mark_executed(t);
}

void tui_source_find_home(struct tui *t)
{
	struct tui_src *s = &t->src;
	char out[2048], file[1024];
	int line;
	/* gdb's answer: Line 134 of "/path/clock.c" starts at address ... */
	if (tui_capture(t, "info line main", out, sizeof out) != DBG_OK)
		return;
	const char *p = strstr(out, "Line ");
	if (!p || sscanf(p, "Line %d of \"%1023[^\"]\"", &line, file) != 2 || line < 1)
		return;
	snprintf(s->home_file, sizeof s->home_file, "%s", file);
	s->home_line = line;
}

static void src_refresh(struct tui *t)
{
	struct tui_src *s = &t->src;
	const struct dbg_where *w = &t->where;
	const char *want = w->fullpath[0] ? w->fullpath : w->file;
	int line = w->line;
	/* At the start of the recording the program is in the loader: show
	 * main's file so that a breakpoint can be put there with Space. */
	s->home = line <= 0 && w->at_start && s->home_line > 0;
	if (s->home) {
		want = s->home_file;
		line = s->home_line;
	}
	if (line > 0 && want[0] && strcmp(want, s->path)) {
		if (load(s, want) < 0 && (s->home || !w->file[0] || load(s, w->file) < 0))
			unload(s);
	}
	if (s->home && !s->path[0])
		s->home = 0;
	if (s->home)
		snprintf(s->name, sizeof s->name, "%s", s->home_file);
	else if (w->line > 0 && s->path[0])
		snprintf(s->name, sizeof s->name, "%s", w->file[0] ? w->file : s->path);
	s->cur = (!s->home && w->line > 0 && s->path[0]) ? w->line : 0;
	if (s->serial != t->serial || s->cursor == 0) {
		/* A new stop: the cursor follows the program. */
		if (s->serial != t->serial)
			mark_executed(t);
		s->serial = t->serial;
		if (s->cur || s->home) {
			s->cursor = s->cur ? s->cur : s->home_line;
			s->col = 0;
		}
		s->reveal = 2;
	}
}

static int no_source(struct tui *t)
{
	return t->src.asm_mode || (!t->src.cur && !t->src.home) || !t->src.nlines;
}

static int gutter_width(struct tui_src *s)
{
	int nw = 3;
	for (int n = s->nlines; n >= 1000; n /= 10)
		nw++;
	return 3 + nw + 1;
}

/* The identifier-ish span at byte col of text: letters, digits, _, and
 * member chains (p.x, p->x); returns its length and start. */
static int word_at(const char *text, int col, int *start)
{
	int n = (int)strlen(text);
#define IDC(c) (isalnum((unsigned char)(c)) || (c) == '_')
	static const char *const keywords[] = { "if", "for", "while", "return", "int", "char",
		"long", "unsigned", "static", "const", "struct", "void", "else", "do", "switch",
		"case", "sizeof", "double", "float", "short", "break", "continue", "goto", NULL };
	/* identifiers inside string and char literals are not expressions */
	char quote = 0;
	for (int c = 0; c < n; c++) {
		if (quote) {
			if (text[c] == '\\')
				c++;
			else if (text[c] == quote)
				quote = 0;
			continue;
		}
		if (text[c] == '"' || text[c] == '\'') {
			quote = text[c];
			continue;
		}
		if (c < col || !IDC(text[c]))
			continue;
		int b = c, e = c;
		while (b > 0 && IDC(text[b - 1]))
			b--;
		while (e < n && IDC(text[e]))
			e++;
		if (isdigit((unsigned char)text[b])) {
			c = e - 1;
			continue;
		}
		/* member chains to the left: a.b, a->b */
		for (;;) {
			if (b >= 2 && text[b - 1] == '.' && IDC(text[b - 2])) {
				b -= 2;
			} else if (b >= 3 && text[b - 1] == '>' && text[b - 2] == '-' && IDC(text[b - 3])) {
				b -= 3;
			} else {
				break;
			}
			while (b > 0 && IDC(text[b - 1]))
				b--;
		}
		/* The cursor before the expression (not on it) means "the next
		 * expression": all of it, s->greeting rather than s. On a name,
		 * the name is what the user pointed at. */
		while (c > col) {
			if (e + 1 < n && text[e] == '.' && IDC(text[e + 1]) && !isdigit((unsigned char)text[e + 1]))
				e += 1;
			else if (e + 2 < n && text[e] == '-' && text[e + 1] == '>' && IDC(text[e + 2]))
				e += 2;
			else
				break;
			while (e < n && IDC(text[e]))
				e++;
		}
		int kw = 0;
		for (int k = 0; keywords[k]; k++)
			if ((int)strlen(keywords[k]) == e - b && !strncmp(text + b, keywords[k], e - b))
				kw = 1;
		int call = 0;
		for (int k = e; k < n && text[k] == ' '; k++)
			;
		if (e < n && text[e] == '(')
			call = 1;
		if (kw || (call && c != col)) {
			c = e - 1;
			continue;
		}
		*start = b;
		return e - b;
	}
#undef IDC
	return 0;
}

void tui_source_word(struct tui *t, char *buf, size_t len)
{
	struct tui_src *s = &t->src;
	buf[0] = 0;
	if (no_source(t) || s->cursor < 1 || s->cursor > s->nlines)
		return;
	int b, n = word_at(s->lines[s->cursor - 1], s->col, &b);
	if (n > 0)
		snprintf(buf, len, "%.*s", n, s->lines[s->cursor - 1] + b);
}

static void draw_asm(struct tui *t, WINDOW *w, int h, int wd)
{
	struct tui_dis *d = &t->dis;
	if (!d->n) {
		wmove(w, 1, 1);
		tui_put(w, t->where.state[0] ? t->where.state : "no source and no disassembly here", wd - 1);
		return;
	}
	int top = d->cur - (h - 1) / 3;
	if (top < 0)
		top = 0;
	for (int row = 1; row < h && top + row - 1 < d->n; row++) {
		const struct dbg_disasm_line *l = &d->lines[top + row - 1];
		const struct dbg_bp_info *b = tui_bp_at_addr(t, l->addr);
		wmove(w, row, 0);
		if (b) {
			wattrset(w, tui_attr(t, b->enabled ? TR_BREAK : TR_BREAK_OFF));
			waddch(w, b->enabled ? 'B' : 'b');
		} else {
			waddch(w, ' ');
		}
		int cur = l->addr == t->where.pc;
		wattrset(w, tui_attr(t, cur ? TR_CURRENT : TR_NORMAL));
		waddch(w, ' ');
		waddch(w, cur ? '>' : ' ');
		char buf[700];
		snprintf(buf, sizeof buf, " 0x%llx %s  %s", (unsigned long long)l->addr, l->sym, l->text);
		tui_put(w, buf, wd - 3);
		wattrset(w, A_NORMAL);
	}
}

static void src_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_src *s = &t->src;
	int h = getmaxy(w), wd = getmaxx(w);
	char title[4400];
	const char *base = strrchr(s->path, '/');
	if (no_source(t)) {
		snprintf(title, sizeof title, "Source: %s (disassembly)",
		         t->where.func[0] ? t->where.func : "no source");
		tui_title(t, w, title, focused);
		draw_asm(t, w, h, wd);
		return;
	}
	if (s->home)
		snprintf(title, sizeof title, "Source: %s (not started: %s; x: disassembly)",
		         base ? base + 1 : s->path, t->where.func[0] ? t->where.func : "no line");
	else
		snprintf(title, sizeof title, "Source: %s", base ? base + 1 : s->path);
	tui_title(t, w, title, focused);
	int rows = h - 1;
	if (s->cursor < 1)
		s->cursor = 1;
	if (s->cursor > s->nlines)
		s->cursor = s->nlines;
	if (s->reveal) {
		/* At a stop or a resize the cursor goes to a third of the pane
		 * whatever the history of scrolling, so a screen depends only on
		 * the state (and a resized screen equals a fresh one). */
		if (s->reveal > 1 || s->cursor < s->top || s->cursor >= s->top + rows)
			s->top = s->cursor - rows / 3;
		s->reveal = 0;
	}
	if (s->top > s->nlines - rows + 1)
		s->top = s->nlines - rows + 1;
	if (s->top < 1)
		s->top = 1;
	int gw = gutter_width(s), nw = gw - 4;
	char exec_key[sizeof s->exec_key];
	snprintf(exec_key, sizeof exec_key, "%s\037%s", t->where.func, t->where.file);
	int wb = 0, wn = 0;
	if (s->cursor >= 1)
		wn = word_at(s->lines[s->cursor - 1], s->col, &wb);
	for (int row = 1; row < h; row++) {
		int ln = s->top + row - 1;
		if (ln > s->nlines)
			break;
		wmove(w, row, 0);
		const struct dbg_bp_info *b = tui_bp_at(t, s->name[0] ? s->name : s->path, ln);
		if (b) {
			wattrset(w, tui_attr(t, b->enabled ? TR_BREAK : TR_BREAK_OFF));
			int c = b->temporary ? 'T' : 'B';
			waddch(w, b->enabled ? c : tolower(c));
		} else {
			waddch(w, ' ');
		}
		int exec = ln < s->exec_n && s->exec[ln] && !strcmp(s->exec_key, exec_key);
		wattrset(w, tui_attr(t, TR_DIM));
		waddch(w, exec ? '.' : ' ');
		int cur = ln == s->cur;
		wattrset(w, tui_attr(t, cur ? TR_CURRENT : TR_NORMAL));
		waddch(w, cur ? '>' : ' ');
		char num[32];
		snprintf(num, sizeof num, "%*d", nw & 15, ln);
		wattrset(w, ln == s->cursor && focused ? tui_attr(t, TR_CURSOR)
		                                       : tui_attr(t, cur ? TR_CURRENT : TR_DIM));
		waddstr(w, num);
		wattrset(w, tui_attr(t, cur ? TR_CURRENT : TR_NORMAL));
		waddch(w, ' ');
		const char *text = s->lines[ln - 1];
		if (ln == s->cursor && wn > 0 && focused) {
			/* underline the expression that w and o would use */
			int used = tui_putn(w, text, wb, wd - gw);
			wattron(w, A_UNDERLINE);
			used += tui_putn(w, text + wb, wn, wd - gw - used);
			wattroff(w, A_UNDERLINE);
			tui_put(w, text + wb + wn, wd - gw - used);
		} else {
			tui_put(w, text, wd - gw);
		}
		wattrset(w, A_NORMAL);
	}
}

static const char *spec_file(struct tui *t)
{
	return t->src.name[0] ? t->src.name : t->src.path;
}

/* Numbers of the breakpoints that exist now, to find the one a command made. */
static int bp_numbers(struct tui *t, int *out, int max)
{
	int n = 0;
	for (int i = 0; i < t->nbps && n < max; i++)
		out[n++] = t->bps[i].number;
	return n;
}

static int was_there(const int *nums, int n, int num)
{
	for (int i = 0; i < n; i++)
		if (nums[i] == num)
			return 1;
	return 0;
}

static void run_to_cursor(struct tui *t, int backward)
{
	int before[256], nb = bp_numbers(t, before, 256);
	if (tui_commandf(t, 1, "tbreak %s:%d", spec_file(t), t->src.cursor) != DBG_OK)
		return;
	tui_command(t, backward ? "reverse-continue" : "continue", 1);
	/* The temporary breakpoint deletes itself when hit; else remove it. */
	for (int i = 0; i < t->nbps; i++)
		if (t->bps[i].temporary && !was_there(before, nb, t->bps[i].number)) {
			tui_commandf(t, 1, "delete %d", t->bps[i].number);
			break;
		}
}

void tui_source_last_write(struct tui *t, const char *expr)
{
	int before[256], nb = bp_numbers(t, before, 256);
	if (tui_commandf(t, 1, "watch -l %s", expr) != DBG_OK)
		return;
	int num = -1;
	for (int i = 0; i < t->nbps; i++)
		if (!was_there(before, nb, t->bps[i].number))
			num = t->bps[i].number;
	tui_command(t, "reverse-continue", 1);
	if (num >= 0)
		tui_commandf(t, 1, "delete %d", num);
}

static void search(struct tui *t)
{
	struct tui_src *s = &t->src;
	char pat[256] = "";
	if (tui_prompt(t, "/", pat, sizeof pat) < 0)
		return;
	if (pat[0])
		snprintf(s->search, sizeof s->search, "%s", pat);
	if (!s->search[0] || !s->nlines)
		return;
	int from = s->cursor;
	for (int i = 1; i <= s->nlines; i++) {
		int ln = (from - 1 + i) % s->nlines + 1;
		const char *m = strstr(s->lines[ln - 1], s->search);
		if (m) {
			s->cursor = ln;
			s->col = (int)(m - s->lines[ln - 1]);
			s->reveal = 1;
			if (ln <= from)
				tui_message(t, 0, "search wrapped");
			return;
		}
	}
	tui_message(t, 1, "Pattern not found: %s", s->search);
}

static int src_key(struct tui *t, int key)
{
	struct tui_src *s = &t->src;
	int page = t->panes[TP_SOURCE].r.h - 2;
	if (page < 1)
		page = 1;
	int len = (s->cursor >= 1 && s->cursor <= s->nlines) ? (int)strlen(s->lines[s->cursor - 1]) : 0;
	switch (key) {
	case 'j': case KEY_DOWN: s->cursor++; break;
	case 'k': case KEY_UP: s->cursor--; break;
	case KEY_NPAGE: s->cursor += page; break;
	case KEY_PPAGE: s->cursor -= page; break;
	case KEY_HOME: s->cursor = 1; break;
	case KEY_END: s->cursor = s->nlines; break;
	case 'h': case KEY_LEFT: if (s->col > 0) s->col--; return 1;
	case 'l': case KEY_RIGHT: if (s->col < len) s->col++; return 1;
	case 'x':
		s->asm_mode = !s->asm_mode;
		return 1;
	case '/':
		search(t);
		return 1;
	case ' ': {
		if (no_source(t))
			return 0;
		const struct dbg_bp_info *b = tui_bp_at(t, spec_file(t), s->cursor);
		if (b)
			tui_commandf(t, 1, "delete %d", b->number);
		else
			tui_commandf(t, 1, "break %s:%d", spec_file(t), s->cursor);
		return 1;
	}
	case 't':
		if (!no_source(t))
			tui_commandf(t, 1, "tbreak %s:%d", spec_file(t), s->cursor);
		return 1;
	case 'u':
	case 'U':
		if (!no_source(t))
			run_to_cursor(t, key == 'U');
		return 1;
	case 'w':
	case 'o': {
		char word[256];
		tui_source_word(t, word, sizeof word);
		if (!word[0]) {
			tui_message(t, 1, "no expression under the cursor (h/l move the column)");
			return 1;
		}
		if (key == 'w') {
			if (tui_commandf(t, 1, "watch %s", word) == DBG_OK)
				tui_vars_add_watch(t, word);
		} else {
			tui_source_last_write(t, word);
		}
		return 1;
	}
	default:
		return 0;
	}
	if (s->cursor > s->nlines)
		s->cursor = s->nlines;
	if (s->cursor < 1)
		s->cursor = 1;
	s->reveal = 1;
	return 1;
}

static void src_click(struct tui *t, int y, int x)
{
	struct tui_src *s = &t->src;
	if (y < 1 || no_source(t))
		return;
	int ln = s->top + y - 1;
	if (ln > s->nlines)
		return;
	s->cursor = ln;
	s->col = x - gutter_width(s);
	if (s->col < 0)
		s->col = 0;
}

static void src_scroll(struct tui *t, int lines)
{
	struct tui_src *s = &t->src;
	s->top += lines;
	int rows = t->panes[TP_SOURCE].r.h - 1;
	if (s->top > s->nlines - rows + 1)
		s->top = s->nlines - rows + 1;
	if (s->top < 1)
		s->top = 1;
	if (s->cursor < s->top)
		s->cursor = s->top;
	if (s->cursor >= s->top + rows)
		s->cursor = s->top + rows - 1;
}

const struct tui_pane_ops tui_source_ops = {
	.name = "Source",
	.update = src_refresh,
	.draw = src_draw,
	.key = src_key,
	.click = src_click,
	.wheel = src_scroll,
};
