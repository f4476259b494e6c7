/*
 * console.h — the line-mode front end of the debugger (cmds/console.c):
 * gdb's -ex/-x/-batch handling and the readline prompt.
 */
#ifndef RRTUI_CMDS_CONSOLE_H
#define RRTUI_CMDS_CONSOLE_H

#include "cmds/dbg.h"

#include <stddef.h>

/* One -ex CMD or -x FILE, in command-line order. */
struct console_item {
	int is_file;
	const char *text;
};

struct console_opts {
	int batch;               /* run the items and leave, like gdb -batch */
	int quiet;               /* no banner */
	const struct console_item *items;
	int nitems;
};

/* The print callback to give dbg_open: stdout, errors on stderr. */
void console_print(void *ctx, const char *text, size_t len, int is_error);
/* Runs the items, then (unless batch) the prompt. Returns the exit status. */
int console_run(struct dbg *d, const struct console_opts *o);

#endif
