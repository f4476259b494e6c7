/*
 * tui_fake.c — the real TUI over the fake session (tui_fake_dbg.c), for the
 * end-to-end TUI tests and the TUI benchmark: `tui_fake [FIXTURE_DIR]` opens
 * the TUI on the scripted run of FIXTURE_DIR/count.c (default: the
 * tests/fixtures/tui directory of the source tree, via $top_srcdir).
 *
 * It calls the TUI exactly as cmds/cmd_replay.c will: tui_new before
 * dbg_open (whose print callback is tui_print), tui_run, dbg_close,
 * tui_free; so the tests exercise the same path as rrtui.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmds/dbg.h"
#include "tui/tui.h"

int main(int argc, char **argv)
{
	char dir[4096], err[512];
	const char *top = getenv("top_srcdir");
	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/tests/fixtures/tui", top ? top : ".");
	struct tui *t = tui_new();
	if (!t) {
		fprintf(stderr, "rrtui: out of memory\n");
		return 1;
	}
	struct dbg_options o = { .trace_dir = dir, .print = tui_print, .print_ctx = t };
	const char *ev = getenv("TUI_FAKE_EVENT");
	if (ev)
		o.start_event = strtoull(ev, NULL, 10);
	struct dbg *d;
	if (dbg_open(&o, &d, err, sizeof err) < 0) {
		fprintf(stderr, "rrtui: %s\n", err);
		tui_free(t);
		return 1;
	}
	int rc = tui_run(t, d, err, sizeof err);
	dbg_close(d);
	tui_free(t);
	if (rc < 0) {
		fprintf(stderr, "rrtui: %s\n", err);
		return 1;
	}
	return 0;
}
