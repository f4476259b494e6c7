/*
 * tui_int.h — what the TUI's files share: the tui struct (all the TUI's
 * state: the session, the panes and each pane's private state), the pane
 * interface every win_*.c implements, and small drawing helpers.
 *
 * A pane is one file with the same small interface (as gdb's tui/ windows):
 * update (the program moved: fetch what it shows from dbg.h), draw (render
 * into its window), key (a key while it has the focus; 0 = not mine, so the
 * global keymap in keys.c gets it), click and wheel (mouse). Panes never
 * call each other; they read shared state (where, breakpoints) that tui.c
 * fetches once per stop.
 */
#ifndef RRTUI_TUI_INT_H
#define RRTUI_TUI_INT_H

#include <curses.h>
#include <stdint.h>
#include <sys/user.h>

#include "cmds/dbg.h"
#include "tui/tui.h"

enum tui_pane_id {
	TP_SOURCE, TP_DISASM, TP_VARS, TP_STACK, TP_REGS, TP_OUTPUT,
	TP_TIMELINE, TP_STATUS, TP_CONSOLE, TP_COUNT
};

/* Colour pairs (attributes fall back to bold/reverse/underline without
 * colour: tui_attr maps a role to what the terminal can show). */
enum tui_role {
	TR_NORMAL, TR_TITLE, TR_TITLE_FOCUS, TR_CURRENT, TR_CURSOR, TR_BREAK,
	TR_BREAK_OFF, TR_CHANGED, TR_DIM, TR_ERROR, TR_STATUS, TR_MARK, TR_COUNT
};

struct tui;

struct tui_pane_ops {
	const char *name;        /* title, and the name in the layout file */
	void (*update)(struct tui *t);
	void (*draw)(struct tui *t, WINDOW *w, int focused);
	int (*key)(struct tui *t, int key);
	void (*click)(struct tui *t, int y, int x);
	void (*wheel)(struct tui *t, int lines);
};

struct tui_rect { int y, x, h, w; };

struct tui_pane {
	const struct tui_pane_ops *ops;
	WINDOW *win;             /* NULL when not on screen */
	struct tui_rect r;
};

/* A string-to-string table, small enough for linear search (previous
 * values of variables). */
struct tui_kv { char *key, *value; };
struct tui_map { struct tui_kv *kv; int n, cap; };

/* ---- per-pane state -------------------------------------------------- */

struct tui_src {
	char path[4096];         /* the file loaded ("" none) */
	char name[1024];         /* its name as the line table says (for break) */
	char **lines;
	int nlines;
	int cur;                 /* the current line if this file is current's */
	int cursor, col;         /* cursor line (1-based) and byte column */
	int top;                 /* first line shown (1-based) */
	int asm_mode;            /* show disassembly in the source pane */
	int reveal;              /* scroll the cursor into view at the next draw */
	unsigned serial;         /* the stop the cursor was put on */
	char search[256];        /* the last /pattern */
	/* Before the program runs (at the start of the recording, in the
	 * loader, without line info) the pane shows main's file, as gdb does
	 * before `run`, so breakpoints can be set with Space at once. */
	char home_file[1024];    /* main's file ("" unknown), as name */
	int home_line;           /* main's first line (0 unknown) */
	int home;                /* the file shown is the home file */
	/* lines seen executed in the current call: keyed by the call */
	char exec_key[1400];
	unsigned char *exec;
	int exec_n;
};

struct tui_dis {
	struct dbg_disasm_line *lines;
	int n, cur, top, sel;    /* sel: the cursor row (Space: breakpoint) */
	int cap;
};

struct tui_var_row {
	char *path;              /* expression that names this row */
	char *name, *value, *prev;
	int depth, has_children, expanded, changed, is_arg, is_watch;
};

struct tui_vars {
	struct tui_var_row *rows;
	int n, cap, sel, top;
	char **expanded;         /* paths the user expanded */
	int nexp;
	char **watches;          /* watch expressions */
	int nwatch;
	struct tui_map prev, cur; /* "func\037path" -> value at the last two stops */
	unsigned serial;         /* the stop cur belongs to */
};

struct tui_regs {
	struct user_regs_struct cur, prev;
	int have, have_prev, top;
	unsigned serial;
};

struct tui_stack {
	struct dbg_frame_info *frames;
	int n, sel, top;
};

struct tui_out_line { char *text; int fd; uint64_t event; };
struct tui_out {
	struct tui_out_line *lines;
	int n, cap, sel, top;
	int follow;              /* keep the last line in view */
	int partial;             /* the last line has no newline yet */
};

struct tui_timeline {
	struct dbg_mark *marks;
	int n;
	int cursor;              /* column of the cursor, -1 = at the current */
};

struct tui_status {
	char progress[128];
	double fraction;         /* < 0: no progress shown */
	char msg[512];           /* a transient message (cleared by the next key) */
	char running[128];       /* the motion running now ("" none) */
	int msg_error;
};

struct tui_con_line { char *text; int is_error; };
struct tui_console {
	struct tui_con_line *lines;
	int n, cap, first;       /* ring buffer: first = oldest */
	char *partial;           /* text after the last newline */
	size_t plen;
	int partial_error;
	int scroll;              /* lines scrolled back from the end */
	char prompt[32];
	int cursor_y, cursor_x;  /* where readline's cursor is, window-relative */
	unsigned char queue[64]; /* bytes waiting for readline's getc */
	int qhead, qlen;
	char *line;              /* a line readline accepted, to run */
	int eof;                 /* readline saw Ctrl-D on an empty line */
	FILE *devnull;           /* readline's output stream: it must not draw */
};

/* What the layout file holds; see layout.c. */
struct tui_layout {
	int side;                /* width of the right column, percent */
	int console;             /* console rows */
	int output;              /* output rows (in the left column) */
	int hidden[TP_COUNT];
	int zoom;                /* a zoomed pane, or -1 */
};

#define TUI_POS_LEN 96
#define TUI_JUMPS 64

struct tui {
	struct dbg *d;
	struct tui_pane panes[TP_COUNT];
	int focus;
	struct tui_layout lay;
	char layout_path[4096];
	int running;             /* inside tui_run */
	int quit;
	int utf8, color;
	int need_full;           /* clear the whole screen on the next draw */
	int busy;                /* a command is running (Ctrl-C interrupts it) */
	int jumping;             /* Ctrl-O/Ctrl-R: do not record this move */
	double progress_last;    /* when the status line last showed progress */

	struct dbg_where where;
	int have_where;
	struct dbg_bp_info *bps;
	int nbps;
	char last_pos[TUI_POS_LEN];
	unsigned serial;         /* bumped each time the position changes */

	/* jumps in time (Ctrl-O / Ctrl-R) and marks in time (m / ') */
	char back[TUI_JUMPS][TUI_POS_LEN];
	int nback;
	char fwd[TUI_JUMPS][TUI_POS_LEN];
	int nfwd;
	char marks[26][TUI_POS_LEN];
	int count;               /* a number typed before a key (N%) */
	int pending_g;           /* 'g' typed, waiting for the second 'g' */
	int pending_ctrlw;       /* Ctrl-W typed: a layout key follows */
	int pending_mark;        /* m or ' typed: a mark letter follows */

	struct tui_src src;
	struct tui_dis dis;
	struct tui_vars vars;
	struct tui_regs regs;
	struct tui_stack stack;
	struct tui_out out;
	struct tui_timeline tl;
	struct tui_status st;
	struct tui_console con;

	FILE *timing;            /* $RRTUI_TUI_TIMING: per-key redraw times */

	/* tui_capture: while set, tui_print collects text here instead of
	 * showing it in the console. */
	char *cap;
	size_t cap_len, cap_size;
	int capturing;
};

/* A key ncurses cannot name: Ctrl-I sent apart from Tab (CSI u), a
 * sequence keys.c defines. Its code is far above the codes ncurses gives
 * terminfo's extended keys (from KEY_MAX up) and below the 16-bit limit of
 * its key tries. */
#define TUI_KEY_CTRL_I 0x3f00

/* ---- tui.c ------------------------------------------------------------ */
/* Runs a command as typed at the console (echoed there), then refreshes. */
int tui_command(struct tui *t, const char *line, int echo);
int tui_commandf(struct tui *t, int echo, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fetches the state of every pane (after a command or a frame change). */
void tui_refresh_all(struct tui *t);
void tui_draw_all(struct tui *t);
void tui_message(struct tui *t, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A one-line prompt in the status line; returns 0 with the answer, -1 on Esc. */
int tui_prompt(struct tui *t, const char *prompt, char *buf, size_t len);
/* Shows a question in the status line and returns the next key. */
int tui_ask(struct tui *t, const char *question);
int tui_attr(struct tui *t, int role);
/* Draws UTF-8 text clipped to width columns; returns the columns used. */
int tui_put(WINDOW *w, const char *s, int width);
int tui_putn(WINDOW *w, const char *s, size_t n, int width);
void tui_title(struct tui *t, WINDOW *w, const char *title, int focused);
void tui_jump_push(struct tui *t);
/* Seeks to a position string (marks, jumps) or an event. */
int tui_seek(struct tui *t, const char *pos);
/* Runs a query command and returns what it printed in out (NUL-terminated,
 * cut to outlen) instead of showing it; no refresh, no jump list. Only for
 * commands that do not move (info, print): the TUI reads gdb's text where
 * dbg.h has no query yet. Like any command it makes the console's Enter
 * forget the command it would repeat, so it runs only before the user
 * types anything. */
int tui_capture(struct tui *t, const char *line, char *out, size_t outlen);
void tui_set_focus(struct tui *t, int pane);
void tui_show_help(struct tui *t);
char *tui_strdup(const char *s);
void tui_map_set(struct tui_map *m, const char *key, const char *value);
const char *tui_map_get(const struct tui_map *m, const char *key);
void tui_map_clear(struct tui_map *m);
/* The breakpoint at FILE:LINE, or NULL. */
const struct dbg_bp_info *tui_bp_at(struct tui *t, const char *file, int line);
const struct dbg_bp_info *tui_bp_at_addr(struct tui *t, uint64_t addr);
int tui_same_file(const char *a, const char *b);

/* ---- layout.c --------------------------------------------------------- */
void tui_layout_defaults(struct tui_layout *l);
void tui_layout_load(struct tui *t);
void tui_layout_save(struct tui *t);
/* (Re)creates the pane windows for the terminal's current size. */
void tui_layout_apply(struct tui *t);
/* A Ctrl-W layout key; 1 if handled. */
int tui_layout_key(struct tui *t, int key);
int tui_pane_at(struct tui *t, int y, int x);

/* ---- keys.c ----------------------------------------------------------- */
/* The global keymap (after the focused pane declined the key). */
int tui_keys_global(struct tui *t, int key);
/* Writes the key help into w. */
void tui_keys_help(struct tui *t, WINDOW *w);
int tui_keys_help_lines(void);
/* Teaches ncurses the key sequences a terminfo entry may lack (xterm-style
 * Shift+F-keys, Ctrl-I in CSI u form); after initscr. */
void tui_keys_define(void);

/* ---- win_console.c ---------------------------------------------------- */
int tui_console_init(struct tui *t, char *err, size_t errlen);
void tui_console_fini(struct tui *t);
void tui_console_append(struct tui *t, const char *text, size_t len, int is_error);
/* Feeds a key to readline (the console has the focus). */
void tui_console_feed(struct tui *t, int key);
/* Puts the terminal cursor on readline's cursor (after doupdate). */
void tui_console_place_cursor(struct tui *t);

/* ---- win_source.c ----------------------------------------------------- */
/* The expression under the source cursor (for w and o), "" if none. */
void tui_source_word(struct tui *t, char *buf, size_t len);
/* Finds main's file and line (the source shown before the program runs). */
void tui_source_find_home(struct tui *t);
/* Marks the current line as executed (called once per stop). */
void tui_source_stopped(struct tui *t);
/* The variable selected in the locals pane ("" none). */
void tui_vars_selected(struct tui *t, char *buf, size_t len);
void tui_vars_add_watch(struct tui *t, const char *expr);
/* o: watch -l EXPR, reverse-continue, delete the watchpoint. */
void tui_source_last_write(struct tui *t, const char *expr);

extern const struct tui_pane_ops tui_source_ops, tui_disasm_ops, tui_vars_ops,
	tui_stack_ops, tui_regs_ops, tui_output_ops, tui_timeline_ops,
	tui_status_ops, tui_console_ops;

#endif
