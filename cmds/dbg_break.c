/*
 * dbg_break.c — breakpoints and watchpoints as a gdb user sees them:
 * numbered, with conditions, ignore counts, enable/disable, temporary
 * ones, and gdb's messages and `info breakpoints` table.
 *
 * Each enabled user breakpoint is one engine breakpoint (tl_bp_add); the
 * engine evaluates conditions through a callback so that reverse-continue
 * finds the last hit whose condition held. Ignore counts and "the value did
 * not change" are decided here, after the engine stops, because they depend
 * on the order of hits and the callback must stay free of side effects
 * (reverse searches call it for hits that are later discarded).
 *
 * Watchpoints use the debug registers (1, 2, 4, 8 aligned bytes). Where
 * they cannot (a wider or unaligned object, `set can-use-hw-watchpoints
 * 0`), a software watchpoint single-steps and compares the bytes, in
 * either direction: slow, as in gdb, but correct.
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dbg_bp *bp_by_number(struct dbg *d, int n)
{
	for (int i = 0; i < DBG_MAX_BPS; i++)
		if (d->bps[i].number == n)
			return &d->bps[i];
	return NULL;
}

struct dbg_bp *dbg_bp_by_tl(struct dbg *d, int tl_id)
{
	if (tl_id < 0)
		return bp_by_number(d, -tl_id); /* a software watchpoint */
	for (int i = 0; i < DBG_MAX_BPS; i++)
		if (d->bps[i].number && d->bps[i].tl_id == tl_id)
			return &d->bps[i];
	return NULL;
}

static void watch_text(struct dbg *d, struct dbg_bp *b, char **out);
int dbg_cmd_printf(struct dbg *d, const char *args, int from_tty);

/* A breakpoint's condition, evaluated at the current stop. */
static int dbg_bp_cond_ok_expr(struct dbg *d, struct dbg_bp *b)
{
	uint64_t v = 1;
	char err[256];
	dbg_invalidate(d);
	int rc = dw_eval_u64(d->dw, &d->target, dbg_sel_frame(d), b->cond, &v, err, sizeof err);
	return rc < 0 || v != 0;
}

/* The engine asks at each hit whether this one stops: the condition. */
static int bp_cond(void *ctx, struct tl *tl, int bp_id)
{
	(void)tl;
	struct dbg *d = ctx;
	struct dbg_bp *b = dbg_bp_by_tl(d, bp_id);
	if (b && b->dprintf) {
		/* gdb's dprintf: print at the hit and go on, going forward (a
		 * backward search replays hits it must not print). */
		if (d->last_direction > 0 && (!b->cond || dbg_bp_cond_ok_expr(d, b))) {
			dbg_invalidate(d);
			dbg_cmd_printf(d, b->dprintf, 0);
			dbg_invalidate(d);
		}
		return 0;
	}
	if (!b || !b->cond)
		return 1;
	int stop = dbg_bp_cond_ok_expr(d, b);
	/* A write watchpoint passed over going forward: gdb's old value is
	 * the one before the write that stops, so it follows each write. */
	if (!stop && b->type == 1 && d->last_direction > 0)
		watch_text(d, b, &b->old_text);
	dbg_invalidate(d);
	return stop;
}

int dbg_bp_cond_ok(struct dbg *d, struct dbg_bp *b);
int dbg_bp_cond_ok(struct dbg *d, struct dbg_bp *b)
{
	return b->tl_id ? bp_cond(d, d->tl, b->tl_id) : 1;
}

static int bp_arm(struct dbg *d, struct dbg_bp *b)
{
	char err[CORE_ERRLEN];
	/* A pending one, or one of another program image, waits. */
	if (b->tl_id || !b->enabled || b->pending || b->image != d->image)
		return 0;
	if (b->type != 0 && !b->hw)
		return 0; /* software watchpoints are checked by stepping */
	enum tl_bp_kind k = b->type == 0 ? TL_BP_SW : b->type == 1 ? TL_WATCH_WRITE : TL_WATCH_RW;
	/* A breakpoint without a condition has no callback: the engine can
	 * then count its hits in the kernel instead of stopping at each one
	 * (reverse-continue over a hot loop). */
	tl_cond_fn cond = b->type != 0 || b->cond || b->dprintf ? bp_cond : NULL;
	if (tl_bp_add(d->tl, k, b->addr, b->type ? b->len : 1, cond, d, &b->tl_id, err, sizeof err) < 0) {
		b->tl_id = 0;
		return dbg_error(d, "Could not insert %s %d: %s", b->type ? "watchpoint" : "breakpoint",
		                 b->number, err);
	}
	return 0;
}

static void bp_disarm(struct dbg *d, struct dbg_bp *b)
{
	char err[CORE_ERRLEN];
	if (b->tl_id)
		tl_bp_del(d->tl, b->tl_id, err, sizeof err);
	b->tl_id = 0;
}

int dbg_bp_arm_all(struct dbg *d)
{
	int rc = 0;
	for (int i = 0; i < DBG_MAX_BPS; i++)
		if (d->bps[i].number && bp_arm(d, &d->bps[i]) < 0)
			rc = -1;
	return rc;
}

static void free_lines(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void bp_free(struct dbg *d, struct dbg_bp *b)
{
	bp_disarm(d, b);
	free_lines(b->cmds, b->ncmds);
	free(b->dprintf);
	free(b->cond);
	free(b->old_text);
	free(b->new_text);
	memset(b, 0, sizeof *b);
}

static struct dbg_bp *bp_new(struct dbg *d)
{
	for (int i = 0; i < DBG_MAX_BPS; i++)
		if (!d->bps[i].number) {
			struct dbg_bp *b = &d->bps[i];
			memset(b, 0, sizeof *b);
			b->number = d->next_bp_number++;
			b->enabled = 1;
			b->image = d->image;
			return b;
		}
	return NULL;
}

static void watch_text(struct dbg *d, struct dbg_bp *b, char **out)
{
	char buf[1024], err[256];
	const struct dw_frame *f = dbg_sel_frame(d);
	/* Evaluate what the user watches at its address, so the value is the
	 * same object whatever frame is selected. */
	char expr[1400];
	snprintf(expr, sizeof expr, "%s", b->spec);
	/* gdb's word for a watched value it cannot read (at the end of the
	 * recording there is no memory). */
	if (dbg_value_text(d, f, expr, 0, buf, sizeof buf, err, sizeof err) < 0)
		snprintf(buf, sizeof buf, "<unreadable>");
	free(*out);
	*out = strdup(buf);
}

void dbg_bp_refresh_watch_values(struct dbg *d)
{
	if (!dbg_alive(d))
		return;
	for (int i = 0; i < DBG_MAX_BPS; i++) {
		struct dbg_bp *b = &d->bps[i];
		if (b->number && b->type != 0) {
			watch_text(d, b, &b->old_text);
			dbg_read(d, b->addr, b->old_bytes, (size_t)(b->len > 8 ? 8 : b->len));
		}
	}
}

int dbg_bp_hit(struct dbg *d, struct dbg_bp *b)
{
	if (b->type == 1 || b->type == 3) {
		watch_text(d, b, &b->new_text);
		/* gdb stops a write watchpoint only when the value changed */
		if (b->type == 1 && b->old_text && strcmp(b->old_text, b->new_text) == 0)
			return 0;
	} else if (b->type == 2) {
		watch_text(d, b, &b->new_text);
	}
	b->hits++;
	if (b->ignore > 0) {
		b->ignore--;
		if (b->type)
			watch_text(d, b, &b->old_text);
		return 0;
	}
	return 1;
}

static const char *watch_kind(const struct dbg_bp *b)
{
	switch (b->type) {
	case 2:
		return "Hardware read watchpoint";
	case 3:
		return "Hardware access (read/write) watchpoint";
	default:
		return b->hw ? "Hardware watchpoint" : "Watchpoint";
	}
}

void dbg_bp_report_silent(struct dbg *d, struct dbg_bp *b)
{
	snprintf(d->last_state, sizeof d->last_state, "stopped at %s %d", b->type ? "watchpoint" : "breakpoint",
	         b->number);
	if (b->type && b->new_text) {
		free(b->old_text);
		b->old_text = strdup(b->new_text);
	}
	if (b->temporary)
		bp_free(d, b);
}

void dbg_bp_report(struct dbg *d, struct dbg_bp *b, const struct tl_stop *st, int dir)
{
	(void)st;
	(void)dir;
	if (b->type == 0) {
		dbg_printf(d, "\n%s %d, ", b->temporary ? "Temporary breakpoint" : "Breakpoint", b->number);
		snprintf(d->last_state, sizeof d->last_state, "stopped at breakpoint %d", b->number);
		/* The frame line follows; then a temporary one goes. */
		if (b->temporary)
			bp_free(d, b);
		return;
	}
	dbg_printf(d, "\n%s %d: %s\n\n", watch_kind(b), b->number, b->spec);
	const char *nv = b->new_text ? b->new_text : "";
	if (b->type == 2 || (b->type == 3 && b->old_text && strcmp(b->old_text, nv) == 0))
		dbg_printf(d, "Value = %s\n", nv);
	else
		dbg_printf(d, "Old value = %s\nNew value = %s\n", b->old_text ? b->old_text : "<unknown>", nv);
	free(b->old_text);
	b->old_text = strdup(nv);
	snprintf(d->last_state, sizeof d->last_state, "stopped at watchpoint %d", b->number);
}

/* ---- software watchpoints ---------------------------------------------------- */

int dbg_sw_watch_active(struct dbg *d);
int dbg_sw_watch_active(struct dbg *d)
{
	for (int i = 0; i < DBG_MAX_BPS; i++)
		if (d->bps[i].number && d->bps[i].type == 1 && !d->bps[i].hw && d->bps[i].enabled)
			return 1;
	return 0;
}

/* After one step: the first software watchpoint whose bytes changed. */
struct dbg_bp *dbg_sw_watch_changed(struct dbg *d);
struct dbg_bp *dbg_sw_watch_changed(struct dbg *d)
{
	struct dbg_bp *hit = NULL;
	for (int i = 0; i < DBG_MAX_BPS; i++) {
		struct dbg_bp *b = &d->bps[i];
		if (!b->number || b->type != 1 || b->hw || !b->enabled)
			continue;
		unsigned char now[8] = {0};
		size_t n = (size_t)(b->len > 8 ? 8 : b->len);
		dbg_read(d, b->addr, now, n);
		if (memcmp(now, b->old_bytes, n) != 0) {
			memcpy(b->old_bytes, now, n);
			if (!hit)
				hit = b;
		}
	}
	return hit;
}

/* ---- commands --------------------------------------------------------------------- */

static void describe_location(struct dbg *d, struct dbg_bp *b);

/* Whether a breakpoint location names code by symbols (a function, a
 * file:line), which each program image resolves anew; an address does not. */
static int relocatable(const struct dbg_bp *b)
{
	return b->type == 0 && b->spec[0] && b->spec[0] != '*';
}

void dbg_bp_image_changed(struct dbg *d)
{
	for (int i = 0; i < DBG_MAX_BPS; i++) {
		struct dbg_bp *b = &d->bps[i];
		if (!b->number)
			continue;
		bp_disarm(d, b);
		if (relocatable(b)) {
			uint64_t addr;
			char err[512];
			b->pending = dw_resolve_location(d->dw, b->spec, &addr, err, sizeof err) < 0;
			if (!b->pending) {
				b->addr = addr;
				b->image = d->image;
				describe_location(d, b);
			}
		}
		bp_arm(d, b);
	}
}

/* Whether spec names code in another image of the recording (a function
 * of the program that an execve will run): a pending breakpoint. */
static int resolves_elsewhere(struct dbg *d, const char *spec)
{
	for (int i = 0; i < d->nimages; i++) {
		if (d->images[i].ev == d->image)
			continue;
		struct dw_session *dw = dbg_image_dw(d, d->images[i].ev);
		uint64_t addr;
		char err[512];
		if (dw && dw_resolve_location(dw, spec, &addr, err, sizeof err) == 0)
			return 1;
	}
	return 0;
}

static void describe_location(struct dbg *d, struct dbg_bp *b)
{
	struct dw_line ln;
	const char *name = NULL;
	uint64_t lo, hi;
	dw_func_for_pc(d->dw, b->addr, &name, &lo, &hi);
	snprintf(b->func, sizeof b->func, "%s", name ? name : "");
	if (dw_line_for_pc(d->dw, b->addr, &ln) == 0) {
		snprintf(b->file, sizeof b->file, "%s", ln.file);
		b->line = ln.line;
		/* the file as the debug information names it (gdb's
		 * filename-display relative) */
		char fn[256];
		memcpy(fn, b->func, sizeof fn);
		snprintf(b->what, sizeof b->what, "in %s at %.700s:%d", fn, ln.file, ln.line);
	} else {
		struct dw_symbol sym;
		if (dw_symbol_for_addr(d->dw, b->addr, &sym) == 0 && sym.name)
			snprintf(b->what, sizeof b->what, "<%s+%llu>", sym.name,
			         (unsigned long long)(b->addr - sym.addr));
	}
}

int dbg_cmd_break(struct dbg *d, const char *args, int temporary)
{
	char spec[1024], cond[1024] = "";
	snprintf(spec, sizeof spec, "%s", args ? args : "");
	/* "break LOC if COND" */
	char *iff = strstr(spec, " if ");
	if (iff) {
		snprintf(cond, sizeof cond, "%s", iff + 4);
		*iff = 0;
	} else if (strncmp(spec, "if ", 3) == 0) {
		snprintf(cond, sizeof cond, "%s", spec + 3);
		spec[0] = 0;
	}
	uint64_t addr;
	char err[512];
	int pending = 0;
	char offs[1024];
	int off = dbg_line_offset(d, spec, offs, sizeof offs);
	if (off < 0)
		return dbg_error(d, "No default breakpoint location now selected.");
	if (off > 0)
		memcpy(spec, offs, sizeof offs);
	if (!spec[0]) {
		/* gdb: a breakpoint at the current pc of the selected frame */
		const struct dw_frame *f = dbg_sel_frame(d);
		if (!f)
			return dbg_error(d, "No default breakpoint location now selected.");
		addr = f->pc;
	} else if (dw_resolve_location(d->dw, spec, &addr, err, sizeof err) < 0) {
		uint64_t v;
		char err2[512];
		if (spec[0] != '*' && resolves_elsewhere(d, spec)) {
			/* In a program the recording execs later: set when
			 * it runs. */
			pending = 1;
			addr = 0;
		} else if (spec[0] == '*' && dbg_alive(d) &&
		           dw_eval_u64(d->dw, &d->target, dbg_sel_frame(d), spec + 1, &v, err2, sizeof err2) == 0) {
			/* gdb's "*EXPRESSION": an address computed in the
			 * selected frame ("break *$pc", "break *func+4"). */
			addr = v;
		} else {
			return dbg_error(d, "%s", err);
		}
	}
	struct dbg_bp *b = bp_new(d);
	if (!b)
		return dbg_error(d, "Too many breakpoints.");
	b->type = 0;
	b->temporary = temporary;
	b->addr = addr;
	b->pending = pending;
	snprintf(b->spec, sizeof b->spec, "%s", spec);
	if (cond[0])
		b->cond = strdup(cond);
	const char *kind = temporary ? "Temporary breakpoint" : "Breakpoint";
	if (pending) {
		/* gdb's words for a breakpoint waiting for its code. */
		snprintf(b->what, sizeof b->what, "%s", spec);
		dbg_printf(d, "%s %d (%s) pending.\n", kind, b->number, spec);
		return DBG_OK;
	}
	describe_location(d, b);
	if (b->line)
		dbg_printf(d, "%s %d at 0x%llx: file %s, line %d.\n", kind, b->number, (unsigned long long)addr,
		           b->file, b->line);
	else
		dbg_printf(d, "%s %d at 0x%llx\n", kind, b->number, (unsigned long long)addr);
	if (bp_arm(d, b) < 0) {
		bp_free(d, b);
		return DBG_ERROR;
	}
	return DBG_OK;
}

int dbg_cmd_watch(struct dbg *d, const char *args, int type)
{
	char expr[1024];
	const char *a = args ? args : "";
	int location = 0;
	if (strncmp(a, "-location ", 10) == 0) {
		location = 1;
		a += 10;
	} else if (strncmp(a, "-l ", 3) == 0) {
		location = 1;
		a += 3;
	}
	while (isspace((unsigned char)*a))
		a++;
	if (!*a)
		return dbg_error(d, "Argument required (expression to compute).");
	snprintf(expr, sizeof expr, "%s", a);
	/* "watch EXPR if COND" */
	char cond[1024] = "";
	char *iff = strstr(expr, " if ");
	if (iff) {
		snprintf(cond, sizeof cond, "%s", iff + 4);
		*iff = 0;
	}
	const struct dw_frame *f = dbg_sel_frame(d);
	char q[1100], err[512];
	uint64_t addr, size;
	snprintf(q, sizeof q, "&(%s)", expr);
	/* At the end of the recording there is no process, but a static
	 * object still has its address: watching it there and going back is
	 * the natural way to ask who wrote it last. */
	if (dw_eval_u64(d->dw, &d->target, f, q, &addr, err, sizeof err) < 0) {
		if (strncmp(err, "No symbol", 9) == 0)
			return dbg_error(d, "%s", err);
		return dbg_alive(d) ? dbg_error(d, "Cannot watch constant value `%s'.", expr)
		                    : dbg_error(d, "The program is not being run.");
	}
	snprintf(q, sizeof q, "sizeof(%s)", expr);
	if (dw_eval_u64(d->dw, &d->target, f, q, &size, err, sizeof err) < 0)
		return dbg_error(d, "%s", err);
	struct dbg_bp *b = bp_new(d);
	if (!b)
		return dbg_error(d, "Too many watchpoints.");
	b->type = type;
	b->addr = addr;
	b->len = (int)size;
	if (cond[0])
		b->cond = strdup(cond);
	/* -location watches the object the expression names now; gdb shows
	 * it as "-location EXPR" and evaluates "*(TYPE *) ADDR". The address
	 * is fixed either way here: a watch follows one object. */
	if (location) {
		char ty[512] = "";
		struct dw_sb sb;
		dw_sb_init(&sb);
		if (dw_ptype(d->dw, &d->target, f, expr, 1, &sb, err, sizeof err) == 0 && sb.buf &&
		    strncmp(sb.buf, "type = ", 7) == 0)
			snprintf(ty, sizeof ty, "%.*s", (int)strcspn(sb.buf + 7, "\n"), sb.buf + 7);
		dw_sb_free(&sb);
		snprintf(b->spec, sizeof b->spec, "*(%.200s *) 0x%llx", ty, (unsigned long long)addr);
		snprintf(b->what, sizeof b->what, "-location %.1000s", expr);
	} else {
		snprintf(b->spec, sizeof b->spec, "%.255s", expr);
		snprintf(b->what, sizeof b->what, "%.1000s", expr);
	}
	int hw_ok = (size == 1 || size == 2 || size == 4 || size == 8) && addr % size == 0;
	if (type != 1 && !hw_ok) {
		bp_free(d, b);
		return dbg_error(d, "Expression cannot be implemented with read/access watchpoint.");
	}
	if (type != 1 && !d->can_use_hw_watchpoints) {
		bp_free(d, b);
		return dbg_error(d, "Can't set read/access watchpoint when hardware watchpoints are disabled.");
	}
	b->hw = hw_ok && d->can_use_hw_watchpoints;
	if (b->hw && bp_arm(d, b) < 0) {
		/* Out of debug registers: fall back to software, as gdb does. */
		if (type != 1) {
			bp_free(d, b);
			return DBG_ERROR;
		}
		b->hw = 0;
	}
	watch_text(d, b, &b->old_text);
	dbg_read(d, addr, b->old_bytes, (size_t)(size > 8 ? 8 : size));
	if (!b->hw && size > 8)
		dbg_printf(d, "(software watchpoints compare the first 8 bytes of %s)\n", expr);
	dbg_printf(d, "%s %d: %s\n", watch_kind(b), b->number, b->what);
	return DBG_OK;
}

/* Parses a list of numbers and ranges ("1 3-5"); calls fn for each. */
static int for_each_number(struct dbg *d, const char *args, int (*fn)(struct dbg *, int, void *), void *ctx)
{
	const char *p = args;
	int rc = DBG_OK;
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char *end;
		long a = strtol(p, &end, 10), z;
		if (end == p)
			return dbg_error(d, "Convenience variable must have integer value.\nArgs must be numbers or '$' variables.");
		z = a;
		if (*end == '-') {
			const char *q = end + 1;
			z = strtol(q, &end, 10);
			if (end == q)
				return dbg_error(d, "Arguments must be numbers or '$' variables.");
		}
		for (long n = a; n <= z; n++)
			if (fn(d, (int)n, ctx) < 0)
				rc = DBG_ERROR;
		p = end;
	}
	return rc;
}

static int del_one(struct dbg *d, int n, void *ctx)
{
	(void)ctx;
	struct dbg_bp *b = bp_by_number(d, n);
	if (!b)
		return dbg_error(d, "No breakpoint number %d.", n);
	bp_free(d, b);
	return 0;
}

int dbg_cmd_delete(struct dbg *d, const char *args)
{
	if (strncmp(args, "checkpoint", 10) == 0)
		return dbg_cmd_checkpoint(d, args + 10, 2);
	if (strncmp(args, "display", 7) == 0)
		return dbg_cmd_undisplay(d, args + 7);
	if (strncmp(args, "breakpoints", 11) == 0)
		args += 11;
	while (isspace((unsigned char)*args))
		args++;
	if (!*args) {
		for (int i = 0; i < DBG_MAX_BPS; i++)
			if (d->bps[i].number)
				bp_free(d, &d->bps[i]);
		return DBG_OK;
	}
	return for_each_number(d, args, del_one, NULL);
}

static int enable_one(struct dbg *d, int n, void *ctx)
{
	int en = *(int *)ctx;
	struct dbg_bp *b = bp_by_number(d, n);
	if (!b)
		return dbg_error(d, "No breakpoint number %d.", n);
	if (en > 0) {
		b->enabled = 1;
		if (en == 2)
			b->temporary = 1;
		return bp_arm(d, b);
	}
	b->enabled = 0;
	bp_disarm(d, b);
	return 0;
}

int dbg_cmd_enable(struct dbg *d, const char *args, int enable)
{
	if (strncmp(args, "breakpoints", 11) == 0)
		args += 11;
	while (isspace((unsigned char)*args))
		args++;
	if (enable && strncmp(args, "once", 4) == 0) {
		enable = 2;
		args += 4;
	}
	if (!*args) {
		for (int i = 0; i < DBG_MAX_BPS; i++)
			if (d->bps[i].number)
				enable_one(d, d->bps[i].number, &enable);
		return DBG_OK;
	}
	return for_each_number(d, args, enable_one, &enable);
}

int dbg_cmd_condition(struct dbg *d, const char *args)
{
	char *end;
	long n = strtol(args, &end, 10);
	if (end == args)
		return dbg_error(d, "Argument required (breakpoint number).");
	struct dbg_bp *b = bp_by_number(d, (int)n);
	if (!b)
		return dbg_error(d, "No breakpoint number %ld.", n);
	while (isspace((unsigned char)*end))
		end++;
	free(b->cond);
	b->cond = NULL;
	if (*end)
		b->cond = strdup(end);
	else
		dbg_printf(d, "Breakpoint %ld now unconditional.\n", n);
	/* The engine's callback comes and goes with the condition. */
	if (b->tl_id) {
		bp_disarm(d, b);
		return bp_arm(d, b);
	}
	return DBG_OK;
}

int dbg_cmd_ignore(struct dbg *d, const char *args)
{
	char *end;
	long n = strtol(args, &end, 10);
	if (end == args)
		return dbg_error(d, "Argument required (a breakpoint number).");
	struct dbg_bp *b = bp_by_number(d, (int)n);
	if (!b)
		return dbg_error(d, "No breakpoint number %ld.", n);
	long c = strtol(end, NULL, 10);
	if (c < 0)
		c = 0;
	b->ignore = (int)c;
	if (!d->from_tty) /* gdb says so only when typed */
		return DBG_OK;
	if (c == 0)
		dbg_printf(d, "Will stop next time breakpoint %ld is reached.\n", n);
	else if (c == 1)
		dbg_printf(d, "Will ignore next crossing of breakpoint %ld.\n", n);
	else
		dbg_printf(d, "Will ignore next %ld crossings of breakpoint %ld.\n", c, n);
	return DBG_OK;
}

int dbg_cmd_info_breakpoints(struct dbg *d, const char *args, int watch_only)
{
	(void)args;
	int any = 0;
	for (int i = 0; i < DBG_MAX_BPS; i++) {
		struct dbg_bp *b = &d->bps[i];
		if (!b->number || (watch_only && b->type == 0))
			continue;
		if (!any)
			dbg_puts(d, "Num     Type           Disp Enb Address            What\n");
		any = 1;
		const char *type = b->dprintf ? "dprintf" : b->type == 0 ? "breakpoint"
		                   : b->type == 1 ? (b->hw ? "hw watchpoint" : "watchpoint")
		                   : b->type == 2 ? "read watchpoint"
		                                  : "acc watchpoint";
		dbg_printf(d, "%-7d %-14s %-4s %-3s ", b->number, type, b->temporary ? "del" : "keep",
		           b->enabled ? "y" : "n");
		if (b->type == 0 && b->pending)
			dbg_printf(d, "%-18s %s\n", "<PENDING>", b->spec);
		else if (b->type == 0)
			dbg_printf(d, "0x%016llx %s\n", (unsigned long long)b->addr, b->what);
		else
			dbg_printf(d, "%-18s %s\n", "", b->what);
		if (b->cond)
			dbg_printf(d, "\tstop only if %s\n", b->cond);
		if (b->hits)
			dbg_printf(d, "\tbreakpoint already hit %d time%s\n", b->hits, b->hits == 1 ? "" : "s");
		if (b->ignore)
			dbg_printf(d, "\tWill ignore next %d crossings of breakpoint.\n", b->ignore);
		if (b->dprintf && !b->ncmds)
			dbg_printf(d, "        printf %s\n", b->dprintf);
		for (int k = 0; k < b->ncmds; k++)
			dbg_printf(d, "        %s\n", b->cmds[k]);
	}
	if (!any)
		dbg_puts(d, watch_only ? "No watchpoints.\n" : "No breakpoints or watchpoints.\n");
	return DBG_OK;
}

/* ---- commands and dprintf ---------------------------------------------------- */

int dbg_cmd_commands(struct dbg *d, const char *args, int from_tty)
{
	d->ncoll_bps = 0;
	while (isspace((unsigned char)*args))
		args++;
	if (!*args) {
		/* the last breakpoint set */
		/* the last breakpoint set (gdb's $bpnum) */
		if (d->next_bp_number <= 1)
			return dbg_error(d, "No breakpoints specified.");
		if (!bp_by_number(d, d->next_bp_number - 1))
			return dbg_error(d, "No breakpoint number %d.", d->next_bp_number - 1);
		d->coll_bps[d->ncoll_bps++] = d->next_bp_number - 1;
	}
	for (const char *p = args; *p;) {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p)
			return dbg_error(d, "Convenience variable must have integer value.\nArgs must be numbers or '$' variables.");
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long n = a; n <= b && d->ncoll_bps < 16; n++) {
			if (!bp_by_number(d, (int)n))
				return dbg_error(d, "No breakpoint number %ld.", n);
			d->coll_bps[d->ncoll_bps++] = (int)n;
		}
		p = end;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (from_tty) {
		dbg_puts(d, "Type commands for breakpoint(s) ");
		for (int i = 0; i < d->ncoll_bps; i++)
			dbg_printf(d, "%s%d", i ? " " : "", d->coll_bps[i]);
		dbg_puts(d, ", one per line.\nEnd with a line saying just \"end\".\n");
	}
	d->collecting = 1;
	d->coll = NULL;
	d->ncoll = 0;
	return DBG_OK;
}

int dbg_commands_line(struct dbg *d, const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	size_t n = strlen(line);
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (n == 3 && !strncmp(line, "end", 3)) {
		/* The list replaces the breakpoints' lists (each its copy). */
		for (int i = 0; i < d->ncoll_bps; i++) {
			struct dbg_bp *b = bp_by_number(d, d->coll_bps[i]);
			if (!b)
				continue;
			free_lines(b->cmds, b->ncmds);
			b->cmds = d->ncoll ? calloc((size_t)d->ncoll, sizeof *b->cmds) : NULL;
			b->ncmds = b->cmds ? d->ncoll : 0;
			for (int k = 0; k < b->ncmds; k++)
				b->cmds[k] = strdup(d->coll[k]);
		}
		free_lines(d->coll, d->ncoll);
		d->coll = NULL;
		d->ncoll = 0;
		d->collecting = 0;
		return 1;
	}
	if (!n)
		return 0;
	char **v = realloc(d->coll, (size_t)(d->ncoll + 1) * sizeof *v);
	if (!v)
		return 0;
	d->coll = v;
	d->coll[d->ncoll++] = strndup(line, n);
	return 0;
}

int dbg_bp_silent(const struct dbg_bp *b)
{
	return b->ncmds > 0 && !strcmp(b->cmds[0], "silent");
}

void dbg_bp_queue_actions(struct dbg *d, const struct dbg_bp *b)
{
	free_lines(d->actions, d->nactions);
	d->actions = NULL;
	d->nactions = 0;
	if (!b->ncmds)
		return;
	d->actions = calloc((size_t)b->ncmds, sizeof *d->actions);
	if (!d->actions)
		return;
	for (int k = 0; k < b->ncmds; k++)
		d->actions[d->nactions++] = strdup(b->cmds[k]);
}

/* dprintf LOCATION,"FORMAT",ARG... */
int dbg_cmd_dprintf(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	const char *comma = strchr(args, ',');
	if (!comma)
		return dbg_error(d, "Format string required");
	char loc[1024];
	snprintf(loc, sizeof loc, "%.*s", (int)(comma - args), args);
	const char *fmt = comma + 1;
	while (isspace((unsigned char)*fmt))
		fmt++;
	if (*fmt != '"')
		return dbg_error(d, "Bad format string");
	uint64_t addr;
	char err[512];
	char offs[1024];
	if (dbg_line_offset(d, loc, offs, sizeof offs) > 0)
		snprintf(loc, sizeof loc, "%s", offs);
	if (dw_resolve_location(d->dw, loc, &addr, err, sizeof err) < 0)
		return dbg_error(d, "%s", err);
	struct dbg_bp *b = bp_new(d);
	if (!b)
		return dbg_error(d, "Too many breakpoints.");
	b->type = 0;
	b->addr = addr;
	snprintf(b->spec, sizeof b->spec, "%.255s", loc);
	b->dprintf = strdup(fmt);
	describe_location(d, b);
	if (b->line)
		dbg_printf(d, "Dprintf %d at 0x%llx: file %s, line %d.\n", b->number, (unsigned long long)addr,
		           b->file, b->line);
	else
		dbg_printf(d, "Dprintf %d at 0x%llx\n", b->number, (unsigned long long)addr);
	if (bp_arm(d, b) < 0) {
		bp_free(d, b);
		return DBG_ERROR;
	}
	return DBG_OK;
}

/* save breakpoints FILE: gdb's script of them, for `source` in another
 * session (each set again, then its condition, ignore count, state and
 * commands, by $bpnum). */
int dbg_cmd_save(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_save(struct dbg *d, const char *args, int from_tty)
{
	while (isspace((unsigned char)*args))
		args++;
	if (strncmp(args, "breakpoints", 11) != 0 || (args[11] && !isspace((unsigned char)args[11])))
		return dbg_error(d, "\"save\" must be followed by the name of a save subcommand "
		                    "(only \"save breakpoints FILE\" is known here).");
	const char *file = args + 11;
	while (isspace((unsigned char)*file))
		file++;
	if (!*file)
		return dbg_error(d, "Argument required (file name in which to save)");
	int any = 0;
	for (int i = 0; i < DBG_MAX_BPS; i++)
		any |= d->bps[i].number != 0;
	if (!any)
		return dbg_error(d, "Nothing to save.");
	FILE *f = fopen(file, "w");
	if (!f)
		return dbg_error(d, "Unable to open file '%s' for saving (%s)", file, strerror(errno));
	for (int n = 1; n < d->next_bp_number; n++) {
		struct dbg_bp *b = bp_by_number(d, n);
		if (!b)
			continue;
		static const char *const watch[] = {"", "watch", "rwatch", "awatch"};
		if (b->dprintf)
			fprintf(f, "dprintf %s,%s\n", b->spec, b->dprintf);
		else if (b->type)
			fprintf(f, "%s %s\n", watch[b->type], b->spec);
		else if (b->spec[0])
			fprintf(f, "%s %s\n", b->temporary ? "tbreak" : "break", b->spec);
		else
			fprintf(f, "%s *0x%llx\n", b->temporary ? "tbreak" : "break", (unsigned long long)b->addr);
		if (b->ignore)
			fprintf(f, "  ignore $bpnum %d\n", b->ignore);
		if (b->cond)
			fprintf(f, "  condition $bpnum %s\n", b->cond);
		if (b->ncmds) {
			fprintf(f, "  commands\n");
			for (int k = 0; k < b->ncmds; k++)
				fprintf(f, "    %s\n", b->cmds[k]);
			fprintf(f, "  end\n");
		}
		if (!b->enabled)
			fprintf(f, "disable $bpnum\n");
	}
	if (fclose(f) != 0)
		return dbg_error(d, "Unable to write '%s' (%s)", file, strerror(errno));
	if (from_tty)
		dbg_printf(d, "Saved to file '%s'.\n", file);
	return DBG_OK;
}
