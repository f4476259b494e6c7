/*
 * keys.c — the global keymap and the `?` help, from one table.
 *
 * A key first goes to the focused pane (its own keys: Space in the source
 * pane toggles a breakpoint, in the locals pane it expands a row); what the
 * pane declines comes here. Motions are console commands, so a key does
 * exactly what typing the command does, and the command is echoed in the
 * console so the user learns the language. Lower case moves forward, upper
 * case backward, as do F-keys and their Shift twins.
 *
 * The help screen is printed from the same table (plus the pane keys, which
 * are listed here for the help only) so it cannot drift from the bindings.
 *
 * A count typed before a motion (7c, 3n, 2S) is given to the command
 * (continue 7: ignore the breakpoint 6 more times; next 3) or, for the
 * motions that take none (finish, reverse-continue), repeats it.
 *
 * Ctrl-I is the byte Tab sends, and Tab cycles the panes, so "forward in the
 * jump list" is Ctrl-R (vim's redo), with Ctrl-O as vim's "back"; Ctrl-I
 * works too on terminals that send it apart from Tab (the CSI u and
 * modifyOtherKeys forms, which tui_keys_define teaches ncurses).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/tui_int.h"

#define CTRL(c) ((c) & 0x1f)

struct binding {
	int key, key2;           /* key2: an alias (F-key), 0 none */
	const char *label;       /* as shown in the help */
	const char *command;     /* a console command, or NULL */
	const char *help;
	int takes_count;         /* the command takes N (else a count repeats it) */
};

/* Shift+F5 is F17 in terminfo (F-key number + 12). */
static const struct binding bindings[] = {
	{ 'c', KEY_F(5), "c  C  F5  S-F5", "continue", "continue / reverse-continue", 1 },
	{ 'C', KEY_F(17), NULL, "reverse-continue", NULL, 0 },
	{ 'n', KEY_F(10), "n  N  F10 S-F10", "next", "next / reverse-next (over calls)", 1 },
	{ 'N', KEY_F(22), NULL, "reverse-next", NULL, 1 },
	{ 's', KEY_F(11), "s  S  F11 S-F11", "step", "step / reverse-step (into calls)", 1 },
	{ 'S', KEY_F(23), NULL, "reverse-step", NULL, 1 },
	{ 'f', KEY_F(12), "f  F  F12 S-F12", "finish", "finish / reverse-finish (out of the call)", 0 },
	{ 'F', KEY_F(24), NULL, "reverse-finish", NULL, 0 },
	{ 'i', 0, "i  I", "stepi", "stepi / reverse-stepi (one instruction)", 1 },
	{ 'I', 0, NULL, "reverse-stepi", NULL, 1 },
	{ 0, 0, "N before a motion", NULL, "7c: continue 7 (ignore the breakpoint 6 times); 3n ...", 0 },
};

/* xterm's sequences for the F-keys the bindings use, with and without
 * Shift (";2"): terminfo entries such as screen's lack the shifted ones,
 * and an unknown sequence would arrive as Esc [ 1 5 ; 2 ~ - six keys
 * that each do something. */
static const struct { const char *seq; int key; } xterm_keys[] = {
	{ "\033[15~", KEY_F(5) }, { "\033[21~", KEY_F(10) },
	{ "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
	{ "\033[15;2~", KEY_F(17) }, { "\033[21;2~", KEY_F(22) },
	{ "\033[23;2~", KEY_F(23) }, { "\033[24;2~", KEY_F(24) },
	/* Ctrl-I told apart from Tab: CSI u (kitty, foot, xterm's
	 * formatOtherKeys) and modifyOtherKeys' CSI 27;5;105~. */
	{ "\033[105;5u", TUI_KEY_CTRL_I }, { "\033[27;5;105~", TUI_KEY_CTRL_I },
};

void tui_keys_define(void)
{
	for (size_t i = 0; i < sizeof xterm_keys / sizeof *xterm_keys; i++)
		if (key_defined(xterm_keys[i].seq) <= 0)
			define_key(xterm_keys[i].seq, xterm_keys[i].key);
}

/* Keys handled by code (below) or by panes: listed for the help. */
static const char *const help_more[][2] = {
	{ "", "" },
	{ "Source pane", "" },
	{ "j k arrows PgUp PgDn", "move the cursor; Home/End: top/bottom of the file" },
	{ "Space", "toggle a breakpoint on the cursor line" },
	{ "t", "temporary breakpoint on the cursor line" },
	{ "u  U", "run to the cursor line / back to the last time it ran" },
	{ "w", "watch the expression under the cursor (h l move the column)" },
	{ "o", "jump back to the last write of the expression under the cursor" },
	{ "/pattern  /", "search forward; / and Enter repeats the last search" },
	{ "x", "source / disassembly in the source pane" },
	{ "q", "quit (asks)" },
	{ "", "" },
	{ "Everywhere", "" },
	{ "m{a-z}  '{a-z}", "set a mark at this moment / go back to it" },
	{ "Ctrl-O  Ctrl-R", "back / forward in the jump list (moves in time);" },
	{ "", "Ctrl-I = Ctrl-R where the terminal tells it from Tab" },
	{ "g g  G  N%", "start / end of the recording / N percent into it" },
	{ ":", "console (any command; Esc returns, Tab completes, Ctrl-R searches)" },
	{ "Tab  S-Tab", "next / previous pane" },
	{ "Enter", "stack: select the frame; output: go to the event that wrote the line;" },
	{ "", "timeline: go to the cursor; locals: expand" },
	{ "a  d", "locals: add / delete a watch expression" },
	{ "Ctrl-W z", "zoom the pane (again: unzoom)" },
	{ "Ctrl-W d v s r o t", "show/hide disasm locals stack regs output timeline" },
	{ "Ctrl-W h l j k J K =", "wider/narrower side, taller/shorter console, output; reset" },
	{ "Ctrl-L", "redraw    Ctrl-C: interrupt a long motion" },
	{ "mouse", "click: focus and cursor; wheel: scroll" },
	{ "", "" },
	{ "Gutter", "B breakpoint  b disabled  T temporary  > current line  . executed" },
};

int tui_keys_help_lines(void)
{
	int n = 1;
	for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
		if (bindings[i].label)
			n++;
	return n + (int)(sizeof help_more / sizeof *help_more);
}

void tui_keys_help(struct tui *t, WINDOW *w)
{
	int y = 0, wd = getmaxx(w);
	wattrset(w, tui_attr(t, TR_MARK));
	mvwaddstr(w, y++, 0, "Motion (lower case forward, upper case backward)");
	wattrset(w, A_NORMAL);
	for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++) {
		if (!bindings[i].label)
			continue;
		wmove(w, y++, 0);
		tui_put(w, bindings[i].label, 22);
		wmove(w, y - 1, 22);
		tui_put(w, bindings[i].help, wd - 22);
	}
	for (size_t i = 0; i < sizeof help_more / sizeof *help_more; i++) {
		wmove(w, y++, 0);
		if (!help_more[i][1][0]) {
			wattrset(w, tui_attr(t, TR_MARK));
			tui_put(w, help_more[i][0], wd);
			wattrset(w, A_NORMAL);
			continue;
		}
		tui_put(w, help_more[i][0], 22);
		wmove(w, y - 1, 22);
		tui_put(w, help_more[i][1], wd - 22);
	}
}

static void jump_list(struct tui *t, int back)
{
	char (*from)[TUI_POS_LEN] = back ? t->back : t->fwd;
	char (*to)[TUI_POS_LEN] = back ? t->fwd : t->back;
	int *nfrom = back ? &t->nback : &t->nfwd, *nto = back ? &t->nfwd : &t->nback;
	if (!*nfrom) {
		tui_message(t, 0, back ? "no earlier jump" : "no later jump");
		return;
	}
	char target[TUI_POS_LEN];
	snprintf(target, sizeof target, "%s", from[--*nfrom]);
	if (*nto < TUI_JUMPS)
		snprintf(to[(*nto)++], TUI_POS_LEN, "%s", t->where.pos);
	t->jumping = 1;
	tui_seek(t, target);
	t->jumping = 0;
}

static void motion(struct tui *t, const struct binding *b, int count)
{
	if (count <= 1) {
		tui_command(t, b->command, 1);
		return;
	}
	if (b->takes_count) {
		tui_commandf(t, 1, "%s %d", b->command, count);
		return;
	}
	/* Repeat while it moves: at the start or the end of the recording a
	 * motion fails or stays, and the rest would only print errors. */
	for (int i = 0; i < count; i++) {
		unsigned serial = t->serial;
		if (tui_command(t, b->command, 1) != DBG_OK || t->serial == serial || t->quit)
			break;
	}
}

static void cycle_focus(struct tui *t, int dir)
{
	for (int i = 1; i <= TP_COUNT; i++) {
		int p = (t->focus + dir * i + TP_COUNT) % TP_COUNT;
		if (p != TP_STATUS && t->panes[p].win) {
			tui_set_focus(t, p);
			return;
		}
	}
}

int tui_keys_global(struct tui *t, int key)
{
	if (t->pending_mark) {
		int kind = t->pending_mark;
		t->pending_mark = 0;
		if (key < 'a' || key > 'z') {
			tui_message(t, 1, "marks are a-z");
			return 1;
		}
		if (kind == 'm') {
			snprintf(t->marks[key - 'a'], TUI_POS_LEN, "%s", t->where.pos);
			tui_message(t, 0, "mark %c at %s", key, t->where.pos);
		} else if (!t->marks[key - 'a'][0]) {
			tui_message(t, 1, "mark %c is not set", key);
		} else {
			tui_seek(t, t->marks[key - 'a']);
		}
		return 1;
	}
	if (t->pending_g) {
		t->pending_g = 0;
		if (key == 'g') {
			tui_seek(t, "0");
			return 1;
		}
	}
	if (key >= '0' && key <= '9') {
		t->count = t->count * 10 + (key - '0');
		if (t->count > 1000000)
			t->count = 0;
		tui_message(t, 0, "%d", t->count);
		return 1;
	}
	int count = t->count;
	t->count = 0;
	for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
		if (bindings[i].command &&
		    (key == bindings[i].key || (bindings[i].key2 && key == bindings[i].key2))) {
			motion(t, &bindings[i], count);
			return 1;
		}
	switch (key) {
	case '%': {
		if (count > 100)
			count = 100;
		char ev[32];
		snprintf(ev, sizeof ev, "%llu",
		         (unsigned long long)(t->where.nevents * (uint64_t)count / 100));
		tui_seek(t, ev);
		return 1;
	}
	case 'g':
		t->pending_g = 1;
		return 1;
	case 'G': {
		char ev[32];
		snprintf(ev, sizeof ev, "%llu", (unsigned long long)t->where.nevents);
		tui_seek(t, ev);
		return 1;
	}
	case 'm':
	case '\'':
		t->pending_mark = key;
		return 1;
	case CTRL('o'):
		jump_list(t, 1);
		return 1;
	case CTRL('r'):
	case TUI_KEY_CTRL_I:
		jump_list(t, 0);
		return 1;
	case CTRL('w'):
		t->pending_ctrlw = 1;
		return 1;
	case ':':
		tui_set_focus(t, TP_CONSOLE);
		t->con.scroll = 0;
		return 1;
	case '?':
		tui_show_help(t);
		return 1;
	case '\t':
		cycle_focus(t, 1);
		return 1;
	case KEY_BTAB:
		cycle_focus(t, -1);
		return 1;
	case 27:
		tui_set_focus(t, TP_SOURCE);
		return 1;
	case 'q': {
		int k = tui_ask(t, "Quit rrtui? (y or n)");
		if (k == 'y' || k == 'Y')
			t->quit = 1;
		return 1;
	}
	}
	return 0;
}
