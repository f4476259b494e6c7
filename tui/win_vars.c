/*
 * win_vars.c — the locals pane: the arguments and locals of the selected
 * frame, then the watch expressions (W in the first column), as a tree:
 * a row with members (+) expands on Enter/Space/l to its members, fetched by
 * path from dbg_vars ("s", "s.next", "a[3]", "p->x").
 *
 * A value that changed since the previous stop is highlighted and shows
 * the previous value ("was ..."). The pane keeps the values of the last two
 * stops keyed by "function, path", so a frame change or an expansion does
 * not fake a change, and a frame selection (no motion) keeps the marks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"

#define VARS_MAX 256
#define DEPTH_MAX 6

static void clear_rows(struct tui_vars *v)
{
	for (int i = 0; i < v->n; i++) {
		free(v->rows[i].path);
		free(v->rows[i].name);
		free(v->rows[i].value);
		free(v->rows[i].prev);
	}
	v->n = 0;
}

static int is_expanded(struct tui_vars *v, const char *path)
{
	for (int i = 0; i < v->nexp; i++)
		if (!strcmp(v->expanded[i], path))
			return 1;
	return 0;
}

static void set_expanded(struct tui_vars *v, const char *path, int on)
{
	for (int i = 0; i < v->nexp; i++)
		if (!strcmp(v->expanded[i], path)) {
			if (!on) {
				free(v->expanded[i]);
				v->expanded[i] = v->expanded[--v->nexp];
			}
			return;
		}
	if (!on)
		return;
	v->expanded = realloc(v->expanded, (v->nexp + 1) * sizeof *v->expanded);
	if (!v->expanded)
		abort();
	v->expanded[v->nexp++] = tui_strdup(path);
}

static void add_row(struct tui *t, const char *path, const struct dbg_var *var,
                    int depth, int is_watch)
{
	struct tui_vars *v = &t->vars;
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->rows = realloc(v->rows, v->cap * sizeof *v->rows);
		if (!v->rows)
			abort();
	}
	struct tui_var_row *r = &v->rows[v->n++];
	memset(r, 0, sizeof *r);
	r->path = tui_strdup(path);
	r->name = tui_strdup(var->name);
	r->value = tui_strdup(var->value);
	r->depth = depth;
	r->has_children = var->has_children;
	r->is_arg = var->is_arg;
	r->is_watch = is_watch;
	r->expanded = var->has_children && is_expanded(v, path);
	/* A watch row is keyed apart from a local of the same name: the
	 * two print the value differently ("(T *) 0x..." from print, "0x..."
	 * from info locals), which would fake a change. */
	char key[1400];
	snprintf(key, sizeof key, "%s\037%s%s", t->where.func, is_watch ? "\036" : "", path);
	const char *prev = tui_map_get(&v->prev, key);
	if (prev && strcmp(prev, var->value)) {
		r->changed = 1;
		r->prev = tui_strdup(prev);
	}
	tui_map_set(&v->cur, key, var->value);
}

/* The expression for a member of parent, named as dbg_vars names it. */
static void child_path(const char *parent, const char *parent_value, const char *name,
                       char *out, size_t len)
{
	if (name[0] == '[')
		snprintf(out, len, "%s%s", parent, name);
	else if (name[0] == '*' || name[0] == '(')
		snprintf(out, len, "%s", name);    /* already a whole expression */
	else if (parent_value[0] == '(' || !strncmp(parent_value, "0x", 2))
		snprintf(out, len, "%s->%s", parent, name);
	else
		snprintf(out, len, "%s.%s", parent, name);
}

static void add_children(struct tui *t, const char *path, const char *value, int depth)
{
	if (depth > DEPTH_MAX)
		return;
	struct dbg_var *kids = calloc(VARS_MAX, sizeof *kids);
	char err[256];
	if (!kids)
		return;
	int n = dbg_vars(t->d, path, kids, VARS_MAX, err, sizeof err);
	for (int i = 0; i < n; i++) {
		char cp[1024];
		child_path(path, value, kids[i].name, cp, sizeof cp);
		add_row(t, cp, &kids[i], depth, 0);
		if (kids[i].has_children && is_expanded(&t->vars, cp))
			add_children(t, cp, kids[i].value, depth + 1);
	}
	free(kids);
}

static void vars_refresh(struct tui *t)
{
	struct tui_vars *v = &t->vars;
	if (v->serial != t->serial) {
		/* A new stop: the values seen at the last one become "previous". */
		struct tui_map tmp = v->prev;
		v->prev = v->cur;
		v->cur = tmp;
		tui_map_clear(&v->cur);
		v->serial = t->serial;
	}
	clear_rows(v);
	struct dbg_var *vars = calloc(VARS_MAX, sizeof *vars);
	if (!vars)
		return;
	char err[256];
	int n = t->have_where ? dbg_vars(t->d, NULL, vars, VARS_MAX, err, sizeof err) : 0;
	for (int i = 0; i < n; i++) {
		add_row(t, vars[i].name, &vars[i], 0, 0);
		if (vars[i].has_children && is_expanded(v, vars[i].name))
			add_children(t, vars[i].name, vars[i].value, 1);
	}
	for (int i = 0; i < v->nwatch; i++) {
		struct dbg_var w;
		memset(&w, 0, sizeof w);
		snprintf(w.name, sizeof w.name, "%s", v->watches[i]);
		if (dbg_eval(t->d, v->watches[i], w.value, sizeof w.value) < 0 && !w.value[0])
			snprintf(w.value, sizeof w.value, "<error>");
		w.has_children = w.value[0] == '{';
		add_row(t, v->watches[i], &w, 0, 1);
		if (w.has_children && is_expanded(v, v->watches[i]))
			add_children(t, v->watches[i], w.value, 1);
	}
	free(vars);
	if (v->sel >= v->n)
		v->sel = v->n - 1;
	if (v->sel < 0)
		v->sel = 0;
}

void tui_vars_add_watch(struct tui *t, const char *expr)
{
	struct tui_vars *v = &t->vars;
	for (int i = 0; i < v->nwatch; i++)
		if (!strcmp(v->watches[i], expr))
			return;
	v->watches = realloc(v->watches, (v->nwatch + 1) * sizeof *v->watches);
	if (!v->watches)
		abort();
	v->watches[v->nwatch++] = tui_strdup(expr);
	vars_refresh(t);
}

void tui_vars_selected(struct tui *t, char *buf, size_t len)
{
	struct tui_vars *v = &t->vars;
	buf[0] = 0;
	if (v->sel >= 0 && v->sel < v->n)
		snprintf(buf, len, "%s", v->rows[v->sel].path);
}

static void vars_draw(struct tui *t, WINDOW *w, int focused)
{
	struct tui_vars *v = &t->vars;
	int h = getmaxy(w), wd = getmaxx(w), rows = h - 1;
	char title[300];
	snprintf(title, sizeof title, "Locals%s%s", t->where.func[0] ? ": " : "", t->where.func);
	tui_title(t, w, title, focused);
	if (!v->n) {
		wmove(w, 1, 1);
		tui_put(w, "no locals", wd - 1);
		return;
	}
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + rows)
		v->top = v->sel - rows + 1;
	if (v->top < 0)
		v->top = 0;
	for (int row = 1; row < h && v->top + row - 1 < v->n; row++) {
		int i = v->top + row - 1;
		const struct tui_var_row *r = &v->rows[i];
		wmove(w, row, 0);
		int used = 0;
		wattrset(w, tui_attr(t, TR_MARK));
		waddch(w, r->is_watch && r->depth == 0 ? 'W' : ' ');
		used++;
		wattrset(w, A_NORMAL);
		for (int d = 0; d < r->depth && used < wd; d++, used += 2)
			waddstr(w, "  ");
		waddch(w, r->has_children ? (r->expanded ? '-' : '+') : ' ');
		used++;
		if (i == v->sel && focused)
			wattrset(w, tui_attr(t, TR_CURSOR));
		used += tui_put(w, r->name, wd - used);
		wattrset(w, A_NORMAL);
		used += tui_put(w, " = ", wd - used);
		wattrset(w, tui_attr(t, r->changed ? TR_CHANGED : TR_NORMAL));
		used += tui_put(w, r->value, wd - used);
		if (r->changed) {
			char was[1100];
			snprintf(was, sizeof was, " (was %s)", r->prev);
			wattrset(w, tui_attr(t, TR_DIM));
			tui_put(w, was, wd - used);
		}
		wattrset(w, A_NORMAL);
	}
}

static int vars_key(struct tui *t, int key)
{
	struct tui_vars *v = &t->vars;
	struct tui_var_row *r = v->sel < v->n ? &v->rows[v->sel] : NULL;
	int page = t->panes[TP_VARS].r.h - 2;
	switch (key) {
	case 'j': case KEY_DOWN: v->sel++; break;
	case 'k': case KEY_UP: v->sel--; break;
	case KEY_NPAGE: v->sel += page; break;
	case KEY_PPAGE: v->sel -= page; break;
	case '\n': case '\r': case KEY_ENTER: case ' ': case 'l': case KEY_RIGHT:
		if (r && r->has_children) {
			set_expanded(v, r->path, key == 'l' || key == KEY_RIGHT ? 1 : !r->expanded);
			vars_refresh(t);
		}
		return 1;
	case 'h': case KEY_LEFT:
		if (r && r->expanded) {
			set_expanded(v, r->path, 0);
			vars_refresh(t);
		} else if (r && r->depth > 0) {
			/* to the parent row */
			while (v->sel > 0 && v->rows[v->sel].depth >= r->depth)
				v->sel--;
		}
		return 1;
	case 'a': {
		char expr[256] = "";
		if (tui_prompt(t, "watch expression: ", expr, sizeof expr) == 0 && expr[0])
			tui_vars_add_watch(t, expr);
		return 1;
	}
	case 'd': case KEY_DC:
		if (r && r->is_watch && r->depth == 0) {
			for (int i = 0; i < v->nwatch; i++)
				if (!strcmp(v->watches[i], r->path)) {
					free(v->watches[i]);
					v->watches[i] = v->watches[--v->nwatch];
					break;
				}
			vars_refresh(t);
		}
		return 1;
	case 'w':
		if (r && tui_commandf(t, 1, "watch %s", r->path) == DBG_OK && !r->is_watch)
			tui_vars_add_watch(t, r->path);
		return 1;
	case 'o':
		if (r)
			tui_source_last_write(t, r->path);
		return 1;
	default:
		return 0;
	}
	if (v->sel >= v->n)
		v->sel = v->n - 1;
	if (v->sel < 0)
		v->sel = 0;
	return 1;
}

static void vars_click(struct tui *t, int y, int x)
{
	(void)x;
	struct tui_vars *v = &t->vars;
	if (y < 1 || v->top + y - 1 >= v->n)
		return;
	int i = v->top + y - 1;
	if (v->sel == i && v->rows[i].has_children) {
		set_expanded(v, v->rows[i].path, !v->rows[i].expanded);
		vars_refresh(t);
	}
	v->sel = i;
}

static void vars_scroll(struct tui *t, int lines)
{
	struct tui_vars *v = &t->vars;
	v->sel += lines;
	if (v->sel >= v->n)
		v->sel = v->n - 1;
	if (v->sel < 0)
		v->sel = 0;
}

const struct tui_pane_ops tui_vars_ops = {
	.name = "Locals",
	.update = vars_refresh,
	.draw = vars_draw,
	.key = vars_key,
	.click = vars_click,
	.wheel = vars_scroll,
};
