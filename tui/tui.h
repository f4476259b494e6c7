/*
 * tui.h — the full-screen terminal front-end (ncurses + readline).
 *
 * The TUI shows a dbg session (cmds/dbg.h) in panes — source, disassembly,
 * registers, locals and watch expressions, backtrace, the program's output
 * as of the current moment, a timeline strip, a status line and a readline
 * console where every command works — and maps single keys to motions in
 * both directions (lower case forward, upper case backward).
 *
 * It is used in three steps, because the session's print callback must exist
 * before the session does (dbg_open prints while it opens):
 *
 *     struct tui *t = tui_new();                  // 1. before dbg_open
 *     struct dbg_options o = { ..., .print = tui_print, .print_ctx = t };
 *     dbg_open(&o, &d, err, sizeof err);
 *     int rc = tui_run(t, d, err, sizeof err);    // 2. until the user quits
 *     dbg_close(d);
 *     tui_free(t);                                // 3. after dbg_close
 *
 * Before tui_run starts (and after it returns) tui_print keeps the text so
 * that it appears in the console pane's scrollback; while the TUI runs it
 * goes straight to the console pane. tui_run takes over the terminal (it
 * must be one: stdin and stdout), installs a progress callback and a SIGINT
 * handler (Ctrl-C interrupts a long motion through dbg_interrupt) and
 * restores the terminal, the signal disposition and the progress callback
 * before it returns. Only one TUI can run at a time in a process (readline's
 * callback interface is global).
 */
#ifndef RRTUI_TUI_TUI_H
#define RRTUI_TUI_TUI_H

#include <stddef.h>

struct dbg;
struct tui;

/* A TUI context, not yet showing anything. NULL when out of memory. */
struct tui *tui_new(void);
void tui_free(struct tui *t);

/* A dbg_print_fn: ctx is the struct tui. Text goes to the console pane. */
void tui_print(void *ctx, const char *text, size_t len, int is_error);

/* Runs the TUI on d until the user quits (q + y in the source pane, `quit`
 * in the console). Returns 0, or -1 with err filled
 * (no terminal, terminal too small, ncurses failed). */
int tui_run(struct tui *t, struct dbg *d, char *err, size_t errlen);

#endif
