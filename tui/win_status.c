/*
 * win_status.c — the status line: the direction of the last motion, the
 * current event out of the recording's, the exact position, the process
 * state ("stopped at breakpoint 2", "exited with code 1"), and at the right
 * the focused pane and "? help". While a motion runs it shows what runs
 * and that Ctrl-C stops it, with a progress bar when the session reports
 * progress; a transient message
 * (an error of a key, a search that wrapped) replaces the state until the
 * next key.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/tui_int.h"

static void status_draw(struct tui *t, WINDOW *w, int focused)
{
	(void)focused;
	struct tui_status *s = &t->st;
	const struct dbg_where *wh = &t->where;
	int wd = getmaxx(w);
	wattrset(w, tui_attr(t, TR_STATUS));
	mvwhline(w, 0, 0, ' ', wd);
	wmove(w, 0, 0);
	char buf[1024];
	if (s->fraction >= 0) {
		int bar = 20, done = (int)(s->fraction * bar + 0.5);
		char b[32];
		for (int i = 0; i < bar; i++)
			b[i] = i < done ? '#' : '.';
		b[bar] = 0;
		snprintf(buf, sizeof buf, " %s [%s] %3d%%  (Ctrl-C stops)", s->progress, b,
		         (int)(s->fraction * 100 + 0.5));
		tui_put(w, buf, wd);
		wattrset(w, A_NORMAL);
		return;
	}
	if (s->running[0]) {
		/* Drawn before a motion starts: if it turns out long, the
		 * user knows what runs and how to stop it, even when the
		 * command reports no progress. */
		snprintf(buf, sizeof buf, " running: %s ...  (Ctrl-C stops)", s->running);
		tui_put(w, buf, wd);
		wattrset(w, A_NORMAL);
		return;
	}
	const char *dir = wh->direction > 0 ? (t->utf8 ? "\u2192 fwd" : ">> fwd")
	                : wh->direction < 0 ? (t->utf8 ? "\u2190 back" : "<< back") : "  --";
	char right[64];
	snprintf(right, sizeof right, " [%s] ? help ", t->panes[t->focus].ops->name);
	int rw = (int)strlen(right);
	if (s->msg[0]) {
		if (s->msg_error)
			wattron(w, A_BOLD);
		snprintf(buf, sizeof buf, " %s", s->msg);
	} else {
		snprintf(buf, sizeof buf, " %s | event %llu/%llu | %s | %s", dir,
		         (unsigned long long)wh->event, (unsigned long long)wh->nevents,
		         wh->pos, wh->state);
	}
	tui_put(w, buf, wd - rw > 0 ? wd - rw : wd);
	if (wd - rw > 20) {
		wattrset(w, tui_attr(t, TR_STATUS));
		wmove(w, 0, wd - rw);
		tui_put(w, right, rw);
	}
	wattrset(w, A_NORMAL);
}

const struct tui_pane_ops tui_status_ops = {
	.name = "Status",
	.draw = status_draw,
};
