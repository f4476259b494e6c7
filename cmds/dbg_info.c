/*
 * dbg_info.c — the commands that look without moving: print and its
 * relatives (output, printf, echo, display, x, ptype, whatis), the stack
 * (backtrace, frame, up, down), `list`, the `info` family, and the
 * timeline's own (checkpoint, restart, when).
 *
 * Values, frames and types are formatted by dwarf/ in gdb's shapes; this
 * file parses the arguments the way gdb does, picks the selected frame, and
 * adds the tables gdb prints itself (registers, checkpoints, shared
 * libraries).
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dbg_print_source_range(struct dbg *d, const char *file, int from, int to);
int dbg_source_nlines(struct dbg *d, const char *file);

static int need_frame(struct dbg *d, const struct dw_frame **f)
{
	*f = dbg_sel_frame(d);
	if (!*f)
		return dbg_error(d, dbg_alive(d) ? "No stack." : "The program is not being run.");
	return 0;
}

static int put_sb(struct dbg *d, struct dw_sb *sb, int rc, const char *err)
{
	if (sb->len)
		dbg_write(d, sb->buf, sb->len);
	dw_sb_free(sb);
	if (rc < 0)
		return dbg_error(d, "%s", err);
	return DBG_OK;
}

/* "/FMT rest": the print format letter, and where the expression starts. */
static const char *parse_fmt(const char *args, char *fmt)
{
	*fmt = 0;
	if (args[0] == '/') {
		args++;
		while (*args && !isspace((unsigned char)*args)) {
			if (isalpha((unsigned char)*args))
				*fmt = *args;
			args++;
		}
	}
	while (isspace((unsigned char)*args))
		args++;
	return args;
}

/* kind: 0 print, 1 output, 2 call, 3 ptype, 4 whatis */
int dbg_cmd_print(struct dbg *d, const char *args, int kind)
{
	const struct dw_frame *f = dbg_sel_frame(d); /* globals work without a frame */
	char fmt;
	const char *expr = parse_fmt(args, &fmt);
	struct dw_sb sb;
	char err[512];
	dw_sb_init(&sb);
	int rc;
	if (kind == 3 || kind == 4) {
		if (!*expr)
			return dbg_error(d, "Argument required (one or more choice items).");
		rc = dw_ptype(d->dw, &d->target, f, expr, kind == 4, &sb, err, sizeof err);
		return put_sb(d, &sb, rc, err);
	}
	if (kind == 1) {
		char buf[4096];
		rc = dbg_value_text(d, f, expr, fmt, buf, sizeof buf, err, sizeof err);
		dw_sb_free(&sb);
		if (rc < 0)
			return dbg_error(d, "%s", err);
		dbg_puts(d, buf);
		return DBG_OK;
	}
	if (!*expr)
		expr = "$";
	rc = dw_print(d->dw, &d->target, f, expr, fmt, &sb, err, sizeof err);
	return put_sb(d, &sb, rc, err);
}

static void unescape(const char *s, char *out, size_t outlen)
{
	size_t o = 0;
	for (; *s && o + 1 < outlen; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			switch (*s) {
			case 'n': out[o++] = '\n'; break;
			case 't': out[o++] = '\t'; break;
			case 'a': out[o++] = '\a'; break;
			case '"': out[o++] = '"'; break;
			case '\\': out[o++] = '\\'; break;
			default: out[o++] = *s; break;
			}
		} else {
			out[o++] = *s;
		}
	}
	out[o] = 0;
}

int dbg_cmd_echo(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_echo(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	char buf[4096];
	unescape(args, buf, sizeof buf);
	dbg_puts(d, buf);
	return DBG_OK;
}

/* printf "FORMAT", ARGS...: integers, characters, pointers and strings. */
int dbg_cmd_printf(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_printf(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	const struct dw_frame *f = dbg_sel_frame(d);
	const char *p = args;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '"')
		return dbg_error(d, "Bad format string");
	const char *q = p + 1;
	while (*q && !(*q == '"' && q[-1] != '\\'))
		q++;
	if (*q != '"')
		return dbg_error(d, "Bad format string, non-terminated '\"'");
	char raw[2048], fmt[2048];
	snprintf(raw, sizeof raw, "%.*s", (int)(q - p - 1), p + 1);
	unescape(raw, fmt, sizeof fmt);
	/* Split the arguments at top-level commas. */
	char argv[16][512];
	int argc = 0;
	const char *a = q + 1;
	while (*a && argc < 16) {
		while (*a == ',' || isspace((unsigned char)*a))
			a++;
		if (!*a)
			break;
		int depth = 0;
		const char *s = a;
		while (*a && !(*a == ',' && depth == 0)) {
			if (*a == '(' || *a == '[')
				depth++;
			else if (*a == ')' || *a == ']')
				depth--;
			a++;
		}
		snprintf(argv[argc++], sizeof argv[0], "%.*s", (int)(a - s), s);
	}
	struct dw_sb out;
	dw_sb_init(&out);
	int ai = 0;
	for (const char *c = fmt; *c; c++) {
		if (*c != '%') {
			dw_sb_printf(&out, "%c", *c);
			continue;
		}
		if (c[1] == '%') {
			dw_sb_printf(&out, "%%");
			c++;
			continue;
		}
		char spec[32];
		size_t k = 0;
		spec[k++] = *c++;
		while (*c && strchr("0123456789.-+ #lhz", *c) && k < 28)
			spec[k++] = *c++;
		char conv = *c;
		if (!conv)
			break;
		if (ai >= argc) {
			dw_sb_free(&out);
			return dbg_error(d, "Bad format string, missing '\"'");
		}
		uint64_t v = 0;
		char err[256];
		if (dw_eval_u64(d->dw, &d->target, f, argv[ai], &v, err, sizeof err) < 0) {
			dw_sb_free(&out);
			return dbg_error(d, "%s", err);
		}
		ai++;
		if (conv == 's') {
			char str[1024];
			size_t i = 0;
			for (; i < sizeof str - 1; i++)
				if (dbg_read(d, v + i, &str[i], 1) < 0 || !str[i])
					break;
			str[i] = 0;
			spec[k++] = 's';
			spec[k] = 0;
			dw_sb_printf(&out, spec, str);
		} else if (strchr("diuxXoc", conv)) {
			/* widen everything to long long */
			size_t j = 0;
			char sp[40];
			for (size_t i = 0; i < k; i++)
				if (spec[i] != 'l' && spec[i] != 'h' && spec[i] != 'z')
					sp[j++] = spec[i];
			if (conv != 'c') {
				sp[j++] = 'l';
				sp[j++] = 'l';
			}
			sp[j++] = conv;
			sp[j] = 0;
			if (conv == 'c')
				dw_sb_printf(&out, sp, (int)v);
			else if (conv == 'd' || conv == 'i')
				dw_sb_printf(&out, sp, (long long)v);
			else
				dw_sb_printf(&out, sp, (unsigned long long)v);
		} else if (conv == 'p') {
			dw_sb_printf(&out, "0x%llx", (unsigned long long)v);
		} else {
			dw_sb_free(&out);
			return dbg_error(d, "Unrecognized format specifier '%c' in printf", conv);
		}
	}
	if (out.len)
		dbg_write(d, out.buf, out.len);
	dw_sb_free(&out);
	return DBG_OK;
}

/* ---- display ------------------------------------------------------------------ */

static void show_display(struct dbg *d, struct dbg_display *x)
{
	if (x->xfmt[0]) {
		/* /i and /s display memory as x does: gdb's "N: x/FMT EXPR" and
		 * the lines x prints. */
		char args[1200];
		dbg_printf(d, "%d: x/%s %s\n", x->number, x->xfmt, x->expr);
		snprintf(args, sizeof args, "/%s %s", x->xfmt, x->expr);
		dbg_cmd_x(d, args);
		return;
	}
	const struct dw_frame *f = dbg_sel_frame(d);
	char buf[4096], err[256];
	if (dbg_value_text(d, f, x->expr, x->fmt, buf, sizeof buf, err, sizeof err) < 0)
		return;
	if (x->fmt)
		dbg_printf(d, "%d: /%c %s = %s\n", x->number, x->fmt, x->expr, buf);
	else
		dbg_printf(d, "%d: %s = %s\n", x->number, x->expr, buf);
}

void dbg_do_displays(struct dbg *d)
{
	if (!dbg_alive(d))
		return;
	for (int i = 0; i < d->ndisplays; i++)
		show_display(d, &d->displays[i]);
}

int dbg_cmd_display(struct dbg *d, const char *args)
{
	char fmt;
	const char *expr = parse_fmt(args, &fmt);
	if (!*expr) {
		dbg_do_displays(d);
		return DBG_OK;
	}
	if (d->ndisplays >= DBG_MAX_DISPLAYS)
		return dbg_error(d, "Too many displays.");
	struct dbg_display *x = &d->displays[d->ndisplays];
	x->number = d->next_display_number++;
	x->fmt = fmt;
	x->expr = strdup(expr);
	x->xfmt[0] = 0;
	if (fmt == 'i' || fmt == 's') /* the whole /NFU, for x */
		snprintf(x->xfmt, sizeof x->xfmt, "%.*s", (int)strcspn(args + 1, " \t"), args + 1);
	d->ndisplays++;
	/* gdb shows a new display at once when typed, not from a script */
	if (dbg_alive(d) && d->from_tty)
		show_display(d, x);
	return DBG_OK;
}

int dbg_cmd_undisplay(struct dbg *d, const char *args)
{
	while (isspace((unsigned char)*args))
		args++;
	if (!*args) {
		for (int i = 0; i < d->ndisplays; i++)
			free(d->displays[i].expr);
		d->ndisplays = 0;
		return DBG_OK;
	}
	for (const char *p = args; *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p)
			return dbg_error(d, "Arguments must be display numbers.");
		int found = 0;
		for (int i = 0; i < d->ndisplays; i++)
			if (d->displays[i].number == n) {
				free(d->displays[i].expr);
				memmove(&d->displays[i], &d->displays[i + 1],
				        (size_t)(d->ndisplays - i - 1) * sizeof d->displays[0]);
				d->ndisplays--;
				found = 1;
				break;
			}
		if (!found)
			return dbg_error(d, "No display number %ld.", n);
		p = end;
		while (isspace((unsigned char)*p))
			p++;
	}
	return DBG_OK;
}

/* ---- stack ------------------------------------------------------------------------ */

int dbg_cmd_backtrace(struct dbg *d, const char *args)
{
	const struct dw_frame *f;
	if (need_frame(d, &f) < 0)
		return DBG_ERROR;
	int full = strstr(args, "full") != NULL || strstr(args, "-full") != NULL;
	int max = 0;
	for (const char *p = args; *p; p++)
		if (isdigit((unsigned char)*p) && (p == args || isspace((unsigned char)p[-1]))) {
			max = atoi(p);
			break;
		}
	int n = max > 0 && max < d->nframes ? max : d->nframes;
	for (int i = 0; i < n; i++) {
		dbg_print_frame_head(d, &d->frames[i], 1);
		if (full) {
			struct dw_sb sb;
			char err[256];
			dw_sb_init(&sb);
			if (dw_info_locals(d->dw, &d->target, &d->frames[i], &sb, err, sizeof err) == 0 && sb.buf) {
				/* indented by 8, as gdb's bt full */
				for (char *l = sb.buf; *l;) {
					size_t k = strcspn(l, "\n");
					dbg_printf(d, "        %.*s\n", (int)k, l);
					l += k + (l[k] == '\n');
				}
			} else {
				dbg_puts(d, "No symbol table info available.\n");
			}
			dw_sb_free(&sb);
		}
	}
	if (n < d->nframes && d->from_tty)
		dbg_puts(d, "(More stack frames follow...)\n");
	return DBG_OK;
}

/* rel: 0 `frame [N]`, 1 up, -1 down */
int dbg_cmd_frame(struct dbg *d, const char *args, int rel)
{
	const struct dw_frame *f;
	if (need_frame(d, &f) < 0)
		return DBG_ERROR;
	int want = d->cur_frame;
	if (rel) {
		int n = *args ? atoi(args) : 1;
		want += rel * n;
		if (want >= d->nframes) {
			if (d->cur_frame == d->nframes - 1)
				return dbg_error(d, "Initial frame selected; you cannot go up.");
			want = d->nframes - 1;
		}
		if (want < 0) {
			if (d->cur_frame == 0)
				return dbg_error(d, "Bottom (innermost) frame selected; you cannot go down.");
			want = 0;
		}
	} else if (*args) {
		if (strncmp(args, "function ", 9) == 0) {
			want = -1;
			for (int i = 0; i < d->nframes; i++) {
				const char *nm;
				uint64_t lo, hi;
				if (dw_func_for_pc(d->dw, d->frames[i].pc - (i ? 1 : 0), &nm, &lo, &hi) == 0 && nm &&
				    strcmp(nm, args + 9) == 0) {
					want = i;
					break;
				}
			}
			if (want < 0)
				return dbg_error(d, "No frame for function \"%s\".", args + 9);
		} else {
			if (strncmp(args, "level ", 6) == 0)
				args += 6;
			want = atoi(args);
			if (want < 0 || want >= d->nframes)
				return dbg_error(d, "No frame at level %s.", args);
		}
	}
	d->cur_frame = want;
	dbg_print_frame(d, want, 2);
	return DBG_OK;
}

/* ---- list ------------------------------------------------------------------------------ */

/* A `list` location: a line of the current file, FILE:LINE or a function
 * (*centre: gdb centres a function's listing on its opening line, and a
 * line's on the line). Sets d->list_file. */
static int list_loc(struct dbg *d, const char *spec, int *line)
{
	char *end;
	long n = strtol(spec, &end, 10);
	if (*end == 0 && end != spec) {
		if (!d->list_file[0]) {
			const struct dw_frame *f = dbg_sel_frame(d);
			const char *file;
			int l;
			if (f && dw_frame_pos(d->dw, f, &file, &l) == 0)
				snprintf(d->list_file, sizeof d->list_file, "%s", file);
		}
		*line = (int)n;
		return 0;
	}
	uint64_t addr;
	char err[512];
	struct dw_line ln;
	if (dw_resolve_location(d->dw, spec, &addr, err, sizeof err) < 0)
		return dbg_error(d, "%s", err);
	if (dw_line_for_pc(d->dw, addr, &ln) < 0)
		return dbg_error(d, "No line number information available for address 0x%llx",
		                 (unsigned long long)addr);
	snprintf(d->list_file, sizeof d->list_file, "%s", ln.file);
	*line = ln.line;
	const char *colon = strrchr(spec, ':');
	if (!colon || !isdigit((unsigned char)colon[1])) {
		const char *nm;
		uint64_t lo, hi;
		struct dw_line l0;
		if (dw_func_for_pc(d->dw, addr, &nm, &lo, &hi) == 0 && dw_line_for_pc(d->dw, lo, &l0) == 0)
			*line = l0.line;
	}
	return 0;
}

/* list [LOCATION | FIRST,LAST | FIRST, | ,LAST | - | +] as gdb's. */
int dbg_cmd_list(struct dbg *d, const char *args)
{
	int from, to = 0, size = d->listsize > 0 ? d->listsize : 10, half = size / 2;
	char spec[1024];
	snprintf(spec, sizeof spec, "%s", args);
	for (size_t n = strlen(spec); n && isspace((unsigned char)spec[n - 1]);)
		spec[--n] = 0;
	char *comma = strchr(spec, ',');
	if (comma) {
		*comma = 0;
		char *first = spec, *last = comma + 1;
		while (isspace((unsigned char)*last))
			last++;
		for (size_t n = strlen(first); n && isspace((unsigned char)first[n - 1]);)
			first[--n] = 0;
		if (!*first && !*last)
			return dbg_error(d, "Two empty args do not say what lines to list.");
		if (*first) {
			if (list_loc(d, first, &from) < 0)
				return DBG_ERROR;
			to = from + size - 1;
		}
		if (*last) {
			if (list_loc(d, last, &to) < 0)
				return DBG_ERROR;
			if (!*first)
				from = to - (size - 1);
		}
	} else if (!strcmp(spec, "-")) {
		/* The ten lines before the last listing. */
		if (d->list_first <= 1)
			return dbg_error(d, "Already at the start of %s.", d->list_file);
		to = d->list_first - 1;
		from = to - (size - 1);
	} else if (*spec && strcmp(spec, "+")) {
		int centre;
		if (list_loc(d, spec, &centre) < 0)
			return DBG_ERROR;
		from = centre - half;
	} else if (d->list_line < 0) {
		from = -d->list_line - half;
	} else if (d->list_line > 0) {
		from = d->list_line;
	} else {
		const struct dw_frame *f = dbg_sel_frame(d);
		const char *file;
		int line;
		if (!f || dw_frame_pos(d->dw, f, &file, &line) < 0) {
			if (!d->list_file[0])
				return dbg_error(d, "No symbol table is loaded.  Use the \"file\" command.");
			from = 1;
		} else {
			snprintf(d->list_file, sizeof d->list_file, "%s", file);
			from = line - half;
		}
	}
	if (from < 1)
		from = 1;
	if (!to)
		to = from + size - 1;
	int total = dbg_source_nlines(d, d->list_file);
	if (total >= 0 && from > total)
		return dbg_error(d, "Line number %d out of range; %s has %d lines.", from, d->list_file, total);
	int n = dbg_print_source_range(d, d->list_file, from, to);
	d->list_first = from;
	d->list_line = from + (n > 0 ? n : to - from + 1);
	return DBG_OK;
}

int dbg_cmd_x(struct dbg *d, const char *args)
{
	const struct dw_frame *f = dbg_sel_frame(d);
	struct dw_sb sb;
	char err[512];
	dw_sb_init(&sb);
	int rc = dw_examine(d->dw, &d->target, f, args, &sb, err, sizeof err);
	return put_sb(d, &sb, rc, err);
}

/* ---- info ---------------------------------------------------------------------------- */

static void reg_line(struct dbg *d, const char *name, unsigned long long v, int kind)
{
	char hex[32];
	snprintf(hex, sizeof hex, "0x%llx", v);
	if (kind == 1) { /* pointer */
		dbg_printf(d, "%-15s%-19s%s\n", name, hex, hex);
	} else if (kind == 2) { /* code address */
		struct dw_sb sb;
		dw_sb_init(&sb);
		dw_sb_addr_sym(d->dw, &sb, v);
		dbg_printf(d, "%-15s%-19s%s%s%s\n", name, hex, hex, sb.len ? " " : "", sb.len ? sb.buf : "");
		dw_sb_free(&sb);
	} else if (kind == 3) { /* eflags */
		static const struct { int bit; const char *n; } fl[] = {
		    {0, "CF"}, {2, "PF"}, {4, "AF"}, {6, "ZF"}, {7, "SF"}, {8, "TF"},
		    {9, "IF"}, {10, "DF"}, {11, "OF"}, {-1, NULL}};
		char s[128] = "[ ";
		for (int i = 0; fl[i].n; i++)
			if (v & (1ULL << fl[i].bit)) {
				strcat(s, fl[i].n);
				strcat(s, " ");
			}
		strcat(s, "]");
		dbg_printf(d, "%-15s%-19s%s\n", name, hex, s);
	} else {
		dbg_printf(d, "%-15s%-19s%lld\n", name, hex, kind == 4 ? (long long)v : (long long)(int64_t)v);
	}
}

static int info_registers(struct dbg *d, const char *args)
{
	const struct dw_frame *f;
	if (need_frame(d, &f) < 0)
		return DBG_ERROR;
	struct user_regs_struct r;
	dbg_regs(d, &r);
	if (d->cur_frame > 0) {
		/* the caller's registers as unwound (callee-saved ones, pc, sp) */
		const uint64_t *fr = f->regs;
		if (f->valid & (1u << DW_REG_RBX)) r.rbx = fr[DW_REG_RBX];
		if (f->valid & (1u << DW_REG_RBP)) r.rbp = fr[DW_REG_RBP];
		if (f->valid & (1u << DW_REG_R12)) r.r12 = fr[DW_REG_R12];
		if (f->valid & (1u << DW_REG_R13)) r.r13 = fr[DW_REG_R13];
		if (f->valid & (1u << DW_REG_R14)) r.r14 = fr[DW_REG_R14];
		if (f->valid & (1u << DW_REG_R15)) r.r15 = fr[DW_REG_R15];
		r.rsp = f->cfa ? f->cfa : r.rsp;
		if (f->valid & (1u << DW_REG_RSP)) r.rsp = fr[DW_REG_RSP];
		r.rip = f->pc;
	}
	const struct { const char *n; unsigned long long v; int kind; } regs[] = {
	    {"rax", r.rax, 0},       {"rbx", r.rbx, 0},       {"rcx", r.rcx, 0},   {"rdx", r.rdx, 0},
	    {"rsi", r.rsi, 0},       {"rdi", r.rdi, 0},       {"rbp", r.rbp, 1},   {"rsp", r.rsp, 1},
	    {"r8", r.r8, 0},         {"r9", r.r9, 0},         {"r10", r.r10, 0},   {"r11", r.r11, 0},
	    {"r12", r.r12, 0},       {"r13", r.r13, 0},       {"r14", r.r14, 0},   {"r15", r.r15, 0},
	    {"rip", r.rip, 2},       {"eflags", r.eflags, 3}, {"cs", r.cs, 4},     {"ss", r.ss, 4},
	    {"ds", r.ds, 4},         {"es", r.es, 4},         {"fs", r.fs, 4},     {"gs", r.gs, 4},
	    {"fs_base", r.fs_base, 0}, {"gs_base", r.gs_base, 0}};
	int shown = 0;
	char want[256];
	snprintf(want, sizeof want, "%s", args);
	for (char *w = strtok(want, " \t"); w; w = strtok(NULL, " \t")) {
		if (*w == '$')
			w++;
		int found = 0;
		for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
			if (strcmp(w, regs[i].n) == 0 || (strcmp(w, "pc") == 0 && i == 16) ||
			    (strcmp(w, "sp") == 0 && i == 7) || (strcmp(w, "fp") == 0 && i == 6)) {
				reg_line(d, regs[i].n, regs[i].v, regs[i].kind);
				found = 1;
			}
		if (!found)
			return dbg_error(d, "Invalid register `%s'", w);
		shown = 1;
	}
	if (!shown)
		for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
			reg_line(d, regs[i].n, regs[i].v, regs[i].kind);
	return DBG_OK;
}

static int info_frame(struct dbg *d)
{
	const struct dw_frame *f;
	if (need_frame(d, &f) < 0)
		return DBG_ERROR;
	dbg_printf(d, "Stack level %d, frame at 0x%llx:\n", d->cur_frame, (unsigned long long)f->cfa);
	const char *nm = "??";
	uint64_t lo, hi;
	dw_func_for_pc(d->dw, f->pc, &nm, &lo, &hi);
	const char *file;
	int line;
	dbg_printf(d, " rip = 0x%llx in %s", (unsigned long long)f->pc, nm ? nm : "??");
	if (dw_frame_pos(d->dw, f, &file, &line) == 0) {
		const char *b = strrchr(file, '/');
		dbg_printf(d, " (%s:%d)", b ? b + 1 : file, line);
	}
	if (d->cur_frame + 1 < d->nframes)
		dbg_printf(d, "; saved rip = 0x%llx\n", (unsigned long long)d->frames[d->cur_frame + 1].pc);
	else
		dbg_puts(d, "\n");
	if (d->cur_frame + 1 < d->nframes)
		dbg_printf(d, " called by frame at 0x%llx\n", (unsigned long long)d->frames[d->cur_frame + 1].cfa);
	if (d->cur_frame > 0)
		dbg_printf(d, " caller of frame at 0x%llx\n", (unsigned long long)d->frames[d->cur_frame - 1].cfa);
	dbg_printf(d, " Arglist at 0x%llx, args: \n", (unsigned long long)(f->cfa - 16));
	dbg_printf(d, " Locals at 0x%llx, Previous frame's sp is 0x%llx\n", (unsigned long long)(f->cfa - 16),
	           (unsigned long long)f->cfa);
	return DBG_OK;
}

static int info_line(struct dbg *d, const char *args)
{
	uint64_t addr;
	char err[512];
	if (*args) {
		if (dw_resolve_location(d->dw, args, &addr, err, sizeof err) < 0)
			return dbg_error(d, "%s", err);
	} else {
		const struct dw_frame *f;
		if (need_frame(d, &f) < 0)
			return DBG_ERROR;
		addr = f->pc;
	}
	struct dw_line ln;
	if (dw_line_for_pc(d->dw, addr, &ln) < 0)
		return dbg_error(d, "No line number information available for address 0x%llx", (unsigned long long)addr);
	struct dw_sb a, b;
	dw_sb_init(&a);
	dw_sb_init(&b);
	dw_sb_addr_sym(d->dw, &a, ln.addr);
	dw_sb_addr_sym(d->dw, &b, ln.end);
	dbg_printf(d, "Line %d of \"%s\" starts at address 0x%llx %s and ends at 0x%llx %s.\n", ln.line, ln.file,
	           (unsigned long long)ln.addr, a.buf ? a.buf : "", (unsigned long long)ln.end, b.buf ? b.buf : "");
	dw_sb_free(&a);
	dw_sb_free(&b);
	return DBG_OK;
}

static int info_symbol(struct dbg *d, const char *args)
{
	uint64_t addr;
	char err[512];
	if (!*args)
		return dbg_error(d, "Argument required (address).");
	if (dw_eval_u64(d->dw, &d->target, dbg_sel_frame(d), args, &addr, err, sizeof err) < 0)
		return dbg_error(d, "%s", err);
	struct dw_symbol s;
	if (dw_symbol_for_addr(d->dw, addr, &s) < 0 || !s.name) {
		dbg_printf(d, "No symbol matches %s.\n", args);
		return DBG_OK;
	}
	if (addr == s.addr)
		dbg_printf(d, "%s in section .text", s.name);
	else
		dbg_printf(d, "%s + %llu in section .text", s.name, (unsigned long long)(addr - s.addr));
	if (s.objpath && strcmp(s.objpath, d->exe) != 0)
		dbg_printf(d, " of %s", s.objpath);
	dbg_puts(d, "\n");
	return DBG_OK;
}

static int info_sharedlibrary(struct dbg *d)
{
	/* The objects the program had mapped by now: the interpreter from the
	 * start, each library from the event that mapped it (the ELF files
	 * only: ld.so.cache and data files are mapped too). */
	struct tl_pos pos = tl_position(d->tl);
	int any = 0;
	for (int i = 0; i < d->nlibs; i++) {
		const struct dbg_lib *l = &d->libs[i];
		if (l->event > pos.event)
			continue;
		if (!any)
			dbg_puts(d, "From                To                  Syms Read   Shared Object Library\n");
		any = 1;
		dbg_printf(d, "0x%016llx  0x%016llx  Yes         %s\n", (unsigned long long)l->lo,
		           (unsigned long long)l->hi, l->name);
	}
	if (!any)
		dbg_puts(d, "No shared libraries loaded at this time.\n");
	return DBG_OK;
}

static int info_source(struct dbg *d)
{
	const struct dw_frame *f = dbg_sel_frame(d);
	const char *file;
	int line;
	if (!f || dw_frame_pos(d->dw, f, &file, &line) < 0) {
		dbg_puts(d, "No current source file.\n");
		return DBG_OK;
	}
	dbg_printf(d, "Current source file is %s\n", file);
	char full[4096];
	const char *cdir = NULL;
	if (dw_source_fullpath(d->dw, file, full, sizeof full, &cdir) == 0) {
		if (cdir)
			dbg_printf(d, "Compilation directory is %s\n", cdir);
		if (access(full, R_OK) == 0)
			dbg_printf(d, "Located in %s\n", full);
	}
	int n = dbg_source_nlines(d, file);
	if (n >= 0)
		dbg_printf(d, "Contains %d lines.\n", n);
	dbg_puts(d, "Source language is c.\nProducer is unknown.\nCompiled with DWARF debugging format.\n");
	return DBG_OK;
}

static int info_display(struct dbg *d)
{
	if (!d->ndisplays) {
		dbg_puts(d, "There are no auto-display expressions now.\n");
		return DBG_OK;
	}
	dbg_puts(d, "Auto-display expressions now in effect:\nNum Enb Expression\n");
	for (int i = 0; i < d->ndisplays; i++) {
		if (d->displays[i].xfmt[0]) {
			/* gdb spells the format out: count, unit, letter (/1bi) */
			const char *x = d->displays[i].xfmt;
			int count = isdigit((unsigned char)x[0]) ? atoi(x) : 1;
			char unit = 'b';
			for (const char *c = x; *c; c++)
				if (strchr("bhwg", *c))
					unit = *c;
			dbg_printf(d, "%d:   y  /%d%c%c %s\n", d->displays[i].number, count, unit, d->displays[i].fmt,
			           d->displays[i].expr);
		}
		else if (d->displays[i].fmt)
			dbg_printf(d, "%d:   y  /%c %s\n", d->displays[i].number, d->displays[i].fmt, d->displays[i].expr);
		else
			dbg_printf(d, "%d:   y  %s\n", d->displays[i].number, d->displays[i].expr);
	}
	return DBG_OK;
}

static int info_checkpoints(struct dbg *d)
{
	if (!d->nck) {
		dbg_puts(d, "No checkpoints.\n");
		return DBG_OK;
	}
	struct tl_ck_info ck[256];
	int n = tl_ck_list(d->tl, ck, 256);
	for (int i = 0; i < d->nck; i++) {
		if (!d->ck_ids[i])
			continue;
		for (int j = 0; j < n && j < 256; j++)
			if (ck[j].id == d->ck_ids[i]) {
				char pos[TL_POS_STRLEN];
				tl_position_format(&ck[j].pos, pos, sizeof pos);
				dbg_printf(d, "  %d event %llu, position %s\n", i + 1, (unsigned long long)ck[j].pos.event, pos);
			}
	}
	return DBG_OK;
}

int dbg_cmd_info_threads(struct dbg *d);
int dbg_cmd_info_inferiors(struct dbg *d);

int dbg_cmd_info(struct dbg *d, const char *args)
{
	static const char *const topics[] = {"all-registers", "args",    "breakpoints",   "checkpoints",
	                                     "display",       "frame",   "handle",        "line",          "locals",
	                                     "registers",     "signals", "sharedlibrary", "source",
	                                     "symbol",        "watchpoints", "stack", "threads",
	                                     "inferiors",     NULL};
	size_t w = strcspn(args, " \t");
	if (w == 0) {
		dbg_puts(d, "List of info subcommands:\n\n");
		for (int i = 0; topics[i]; i++)
			dbg_printf(d, "info %s\n", topics[i]);
		return DBG_OK;
	}
	const char *topic = NULL;
	int matches = 0;
	for (int i = 0; topics[i]; i++)
		if (strncmp(topics[i], args, w) == 0) {
			if (strlen(topics[i]) == w) {
				topic = topics[i];
				matches = 1;
				break;
			}
			topic = topics[i];
			matches++;
		}
	/* gdb's own abbreviations */
	if (w == 1 && args[0] == 'b')
		topic = "breakpoints", matches = 1;
	if (w == 1 && args[0] == 'r')
		topic = "registers", matches = 1;
	if (w == 1 && args[0] == 'f')
		topic = "frame", matches = 1;
	if (w == 1 && args[0] == 's')
		topic = "stack", matches = 1;
	if (w == 2 && strncmp(args, "sh", 2) == 0)
		topic = "sharedlibrary", matches = 1;
	if (!topic)
		return dbg_error(d, "Undefined info command: \"%.*s\".  Try \"help info\".", (int)w, args);
	if (matches > 1)
		return dbg_error(d, "Ambiguous info command \"%.*s\".", (int)w, args);
	const char *rest = args + w;
	while (isspace((unsigned char)*rest))
		rest++;
	const struct dw_frame *f;
	struct dw_sb sb;
	char err[512];
	int rc;
	if (!strcmp(topic, "breakpoints"))
		return dbg_cmd_info_breakpoints(d, rest, 0);
	if (!strcmp(topic, "watchpoints"))
		return dbg_cmd_info_breakpoints(d, rest, 1);
	if (!strcmp(topic, "registers") || !strcmp(topic, "all-registers"))
		return info_registers(d, rest);
	if (!strcmp(topic, "frame"))
		return info_frame(d);
	if (!strcmp(topic, "line"))
		return info_line(d, rest);
	if (!strcmp(topic, "symbol"))
		return info_symbol(d, rest);
	if (!strcmp(topic, "sharedlibrary"))
		return info_sharedlibrary(d);
	if (!strcmp(topic, "signals") || !strcmp(topic, "handle"))
		return dbg_info_signals(d, rest);
	if (!strcmp(topic, "source"))
		return info_source(d);
	if (!strcmp(topic, "display"))
		return info_display(d);
	if (!strcmp(topic, "checkpoints"))
		return info_checkpoints(d);
	if (!strcmp(topic, "stack"))
		return dbg_cmd_backtrace(d, rest);
	if (!strcmp(topic, "threads"))
		return dbg_cmd_info_threads(d);
	if (!strcmp(topic, "inferiors"))
		return dbg_cmd_info_inferiors(d);
	if (need_frame(d, &f) < 0)
		return DBG_ERROR;
	dw_sb_init(&sb);
	if (!strcmp(topic, "args"))
		rc = dw_info_args(d->dw, &d->target, f, &sb, err, sizeof err);
	else
		rc = dw_info_locals(d->dw, &d->target, f, &sb, err, sizeof err);
	return put_sb(d, &sb, rc, err);
}

/* ---- checkpoints and time ----------------------------------------------------------------- */

/* what: 0 checkpoint, 1 restart N, 2 delete checkpoint N */
int dbg_cmd_checkpoint(struct dbg *d, const char *args, int what)
{
	char err[CORE_ERRLEN];
	while (isspace((unsigned char)*args))
		args++;
	if (what == 0) {
		if (d->nck >= 256)
			return dbg_error(d, "Too many checkpoints.");
		int id;
		if (tl_ck_create(d->tl, &id, err, sizeof err) < 0)
			return dbg_error(d, "%s", err);
		d->ck_ids[d->nck++] = id;
		struct tl_pos p = tl_position(d->tl);
		char pos[TL_POS_STRLEN];
		tl_position_format(&p, pos, sizeof pos);
		dbg_printf(d, "Checkpoint %d at event %llu, position %s.\n", d->nck, (unsigned long long)p.event, pos);
		return DBG_OK;
	}
	int n = atoi(args);
	if (n < 1 || n > d->nck || !d->ck_ids[n - 1])
		return dbg_error(d, "No checkpoint number %s.", *args ? args : "(none)");
	if (what == 2) {
		if (tl_ck_delete(d->tl, d->ck_ids[n - 1], err, sizeof err) < 0)
			return dbg_error(d, "%s", err);
		d->ck_ids[n - 1] = 0;
		return DBG_OK;
	}
	struct tl_stop st;
	int rc = tl_ck_restore(d->tl, d->ck_ids[n - 1], &st, err, sizeof err);
	dbg_after_motion(d);
	if (rc < 0)
		return dbg_error(d, "%s", err);
	d->last_direction = 0;
	st.kind = TL_STOP_POSITION;
	dbg_report(d, &st, WHY_LOCATION);
	return DBG_OK;
}

int dbg_cmd_when(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_when(struct dbg *d, const char *args, int from_tty)
{
	(void)args;
	(void)from_tty;
	struct tl_pos p = tl_position(d->tl);
	char pos[TL_POS_STRLEN];
	tl_position_format(&p, pos, sizeof pos);
	dbg_printf(d, "Current event: %llu\n", (unsigned long long)p.event);
	dbg_printf(d, "Position: %s (of %llu events)\n", pos, (unsigned long long)trace_nevents(d->trace));
	return DBG_OK;
}
