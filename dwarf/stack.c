/* stack.c — the gdb commands that look at frames, in gdb's output shapes:
 * backtrace lines ("#1  0x... in f (a=1) at f.c:3", "?? () from lib"),
 * info args / info locals (innermost lexical block first), print with
 * value history, ptype / whatis, and x/NFU.  Frame arguments follow gdb's
 * defaults: scalars only ("..." for aggregates) and "p=p@entry=V" when the
 * caller's call site gives the entry value. */
#include "dwarf/dw_int.h"
#include <ctype.h>
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXFRAMES 256

static int is_scalar(struct dw_die *t)
{
	t = dw_type_strip(t);
	return !t || (t->tag != DW_TAG_structure_type && t->tag != DW_TAG_union_type &&
		      t->tag != DW_TAG_array_type);
}

static void fmt_val(struct dw_session *s, const struct dw_target *t, struct dw_sb *sb,
		    struct dw_value *v, int scalars_only)
{
	if (scalars_only && !v->optimized_out && !is_scalar(v->type)) {
		dw_sb_puts(sb, "...");
		return;
	}
	dw_value_format(s, t, sb, v, 0, 0);
}

static int same_val(struct dw_value *a, struct dw_value *b)
{
	return !a->optimized_out && !b->optimized_out && a->bytes && b->bytes &&
	       a->size == b->size && !memcmp(a->bytes, b->bytes, a->size);
}

/* Arguments of a frame: the function's (or an inlined instance's)
 * formal parameters; entry values only for a real function entry. */
static void frame_args(struct dw_ctx *c, struct dw_die *scope, struct dw_sb *sb)
{
	int n = 0;
	for (struct dw_die *d = scope->child; d; d = d->next) {
		if (d->tag != DW_TAG_formal_parameter) continue;
		if (n++) dw_sb_puts(sb, ", ");
		const char *nm = d->name ? d->name : "";
		struct dw_value v, ev;
		char err[256];
		if (dw_var_value(c, d, &v, err, sizeof err) < 0 && !v.optimized_out && !v.bytes) {
			dw_sb_printf(sb, "%s=<error: %s>", nm, err);
			continue;
		}
		int have_entry = scope->tag == DW_TAG_subprogram && dw_param_entry_value(c, d, &ev) == 0;
		if (have_entry && same_val(&v, &ev)) {
			dw_sb_printf(sb, "%s=%s@entry=", nm, nm);
			fmt_val(c->s, c->t, sb, &v, 1);
		} else if (have_entry && v.optimized_out) {
			dw_sb_printf(sb, "%s@entry=", nm);
			fmt_val(c->s, c->t, sb, &ev, 1);
		} else {
			dw_sb_printf(sb, "%s=", nm);
			fmt_val(c->s, c->t, sb, &v, 1);
			if (have_entry) {
				dw_sb_printf(sb, ", %s@entry=", nm);
				fmt_val(c->s, c->t, sb, &ev, 1);
			}
		}
		if (have_entry) dw_value_free(&ev);
		dw_value_free(&v);
	}
}

static const char *func_name(struct dw_die *f)
{
	/* gdb names C functions by their linkage name when there is one
	 * (glibc's "__GI_raise") */
	if (f->linkage_name) return f->linkage_name;
	return f->name ? f->name : "??";
}

/* A frame's pc is exact (not a return address) for the innermost
 * physical frame and for a frame interrupted by a signal. */
static int exact_pc(const struct dw_frame *f)
{
	return f->phys == 0 || f->signal_frame;
}

/* One gdb frame line ("#N  [0x... in ]func (args) at file:line"). */
static int frame_print(struct dw_session *s, const struct dw_target *t,
		       const struct dw_frame *f, const struct dw_frame *caller, struct dw_sb *out)
{
	struct dw_frame cf;
	if (!caller && dw_frame_prev(s, t, f, &cf) == 0)
		caller = &cf;
	struct dw_ctx c;
	dw_ctx_init(&c, s, t, f, caller);
	dw_sb_printf(out, "#%-3d", f->level);
	if (caller && caller->signal_frame) {
		/* f is the kernel's signal trampoline (__restore_rt) */
		dw_sb_puts(out, "<signal handler called>\n");
		return 0;
	}
	struct dw_line ln;
	int have_line = c.func && dw_line_for_pc(s, c.lpc + c.obj->bias, &ln) == 0;
	if (c.func) {
		const char *file = have_line ? ln.file : NULL;
		int line = have_line ? ln.line : 0;
		/* an outer level of an inlined call is shown at the call, and
		 * without an address (gdb's frame_show_address) */
		int show_addr = !have_line || ln.addr != f->pc;
		if (c.call_site) {
			file = dw_cu_file(c.func->cu, c.call_site->call_file);
			line = c.call_site->call_line;
			show_addr = 0;
		}
		if (show_addr)
			dw_sb_printf(out, "0x%016lx in ", (unsigned long)f->pc);
		struct dw_die *fn = c.scope_fn;
		if (fn->tag == DW_TAG_inlined_subroutine && fn->origin)
			fn = fn->origin;
		dw_sb_printf(out, "%s (", func_name(fn));
		frame_args(&c, c.scope_fn, out);
		dw_sb_puts(out, ")");
		if (file)
			dw_sb_printf(out, " at %s:%d", file, line);
		dw_sb_puts(out, "\n");
		return 0;
	}
	if (!have_line || ln.addr != f->pc)
		dw_sb_printf(out, "0x%016lx in ", (unsigned long)f->pc);
	struct dw_symbol sym;
	uint64_t look = exact_pc(f) ? f->pc : f->pc - 1;
	int have = dw_symbol_for_addr(s, look, &sym) == 0;
	dw_sb_printf(out, "%s ()", have && sym.name ? sym.name : "??");
	struct dw_obj *o = dw_obj_for_addr(s, look);
	if (o && o != s->objs[0])
		dw_sb_printf(out, " from %s", o->path);
	dw_sb_puts(out, "\n");
	return 0;
}

int dw_frame_pos(struct dw_session *s, const struct dw_frame *f,
		 const char **file, int *line)
{
	struct dw_ctx c;
	dw_ctx_init(&c, s, NULL, f, NULL);
	if (!c.func)
		return -1;
	if (c.call_site) {
		*file = dw_cu_file(c.func->cu, c.call_site->call_file);
		*line = c.call_site->call_line;
		return 0;
	}
	struct dw_line ln;
	if (dw_line_for_pc(s, c.lpc + c.obj->bias, &ln) < 0)
		return -1;
	*file = ln.file;
	*line = ln.line;
	return 0;
}

int dw_frame_line(struct dw_session *s, const struct dw_target *t,
		  const struct dw_frame *f, struct dw_sb *out)
{
	return frame_print(s, t, f, NULL, out);
}

static int is_main(struct dw_session *s, const struct dw_frame *f)
{
	const char *name;
	uint64_t lo, hi;
	uint64_t look = exact_pc(f) ? f->pc : f->pc - 1;
	return f->inline_depth == 0 && dw_func_for_pc(s, look, &name, &lo, &hi) == 0 &&
	       name && !strcmp(name, "main");
}

int dw_frames(struct dw_session *s, const struct dw_target *t,
	      struct dw_frame *frames, int max, int *n, char *err, size_t errlen)
{
	struct dw_frame *fr = dw_xcalloc(MAXFRAMES, sizeof *fr);
	int np;
	*n = 0;
	if (dw_unwind(s, t, fr, MAXFRAMES, &np, err, errlen) < 0) {
		free(fr);
		return -1;
	}
	struct dw_frame tails[16];
	for (int i = 0; i < np && *n < max; i++) {
		fr[i].phys = i;
		fr[i].tailcall = 0;
		/* the physical frame with its inlined levels (innermost first,
		 * the function itself last), then the functions that
		 * tail-called their way to it, nearest first: one frame each,
		 * named by the innermost scope at the jump (gdb's tail-call
		 * frames get no inlined levels of their own) */
		int nt = 0;
		if (i + 1 < np) {
			struct dw_frame caller = fr[i + 1];
			caller.phys = i + 1;
			uint64_t look = (i > 0 && !fr[i].signal_frame) ? fr[i].pc - 1 : fr[i].pc;
			nt = dw_tail_chain(s, t, dw_func_entry(s, look), &caller, tails, 16);
		}
		int stop = 0;
		for (int k = -1; k < nt && !stop && *n < max; k++) {
			const struct dw_frame *base = k < 0 ? &fr[i] : &tails[k];
			struct dw_ctx c;
			dw_ctx_init(&c, s, t, base, NULL);
			for (int d = 0; d <= (k < 0 ? c.ninline : 0) && *n < max; d++) {
				struct dw_frame *v = &frames[*n];
				*v = *base;
				v->inline_depth = d;
				v->level = (*n)++;
				stop = is_main(s, v);
			}
		}
		if (stop)
			break;	/* gdb: backtrace past-main off */
	}
	free(fr);
	return 0;
}

int dw_frame_return_index(const struct dw_frame *frames, int n, int i)
{
	if (i < 0 || i >= n)
		return -1;
	/* a tail-call frame shares its physical caller's index: from one,
	 * that caller is where control comes back */
	for (int k = i + 1; k < n; k++)
		if (!frames[k].tailcall && (frames[k].phys != frames[i].phys || frames[i].tailcall))
			return k;
	return -1;
}

int dw_backtrace(struct dw_session *s, const struct dw_target *t, int max,
		 struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_frame *fr = dw_xcalloc(MAXFRAMES, sizeof *fr);
	int n;
	if (dw_frames(s, t, fr, MAXFRAMES, &n, err, errlen) < 0) {
		free(fr);
		return -1;
	}
	for (int i = 0; i < n && (max <= 0 || i < max); i++) {
		/* the calling function's frame (the next one that is not an
		 * inlined level of this one) gives entry values and the
		 * trampoline test */
		struct dw_frame cf;
		const struct dw_frame *caller = NULL;
		for (int k = i + 1; k < n; k++)
			if (fr[k].phys != fr[i].phys || fr[k].tailcall != fr[i].tailcall) {
				/* its function level: the last of its inlined levels */
				int e = k;
				while (e + 1 < n && fr[e + 1].phys == fr[k].phys && fr[e + 1].tailcall == fr[k].tailcall)
					e++;
				caller = &fr[e];
				break;
			}
		if (!caller && dw_frame_prev(s, t, &fr[i], &cf) == 0)
			caller = &cf;
		frame_print(s, t, &fr[i], caller, out);
	}
	free(fr);
	return 0;
}

/* Frame f's caller, found by re-unwinding (for entry values). */
static int caller_of(struct dw_session *s, const struct dw_target *t,
		     const struct dw_frame *f, struct dw_frame *out)
{
	return dw_frame_prev(s, t, f, out);
}

int dw_info_args(struct dw_session *s, const struct dw_target *t,
		 const struct dw_frame *f, struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_frame cf;
	int hc = caller_of(s, t, f, &cf) == 0;
	struct dw_ctx c;
	dw_ctx_init(&c, s, t, f, hc ? &cf : NULL);
	if (!c.func)
		return DW_ERR(err, errlen, "No symbol table info available.");
	int n = 0;
	for (struct dw_die *d = c.scope_fn->child; d; d = d->next) {
		if (d->tag != DW_TAG_formal_parameter) continue;
		struct dw_value v;
		char e2[256];
		dw_sb_printf(out, "%s = ", d->name ? d->name : "");
		if (dw_var_value(&c, d, &v, e2, sizeof e2) < 0 && !v.bytes && !v.optimized_out)
			dw_sb_printf(out, "<error: %s>", e2);
		else
			dw_value_format(s, t, out, &v, 0, 0);
		dw_sb_puts(out, "\n");
		dw_value_free(&v);
		n++;
	}
	if (!n)
		dw_sb_puts(out, "No arguments.\n");
	return 0;
}

static int print_local(struct dw_ctx *c, struct dw_die *d, struct dw_sb *out);

/* Variables of an abstract block that no concrete DIE stands for (gdb's
 * inherit_abstract_dies): an inlined copy lists them as <optimized out>. */
static int abstract_locals(struct dw_ctx *c, struct dw_die *b, struct dw_die *abs, struct dw_sb *out)
{
	int n = 0;
	for (struct dw_die *a = abs->child; a; a = a->next) {
		int matched = 0;
		for (struct dw_die *k = b ? b->child : NULL; k && !matched; k = k->next)
			matched = k->origin == a;
		if (matched)
			continue;
		if (a->tag == DW_TAG_lexical_block)
			n += abstract_locals(c, NULL, a, out);
		else if (a->tag == DW_TAG_variable && a->name)
			n += print_local(c, a, out);
	}
	return n;
}

/* The variables of one block, in DIE order; a lexical block without pc
 * bounds does not open a scope (gdb adds its children to the parent). */
static int block_locals(struct dw_ctx *c, struct dw_die *b, struct dw_sb *out)
{
	int n = 0;
	for (struct dw_die *d = b->child; d; d = d->next) {
		if (d->tag == DW_TAG_lexical_block && !d->has_pc && !d->nranges) {
			n += block_locals(c, d, out);
			continue;
		}
		if (d->tag != DW_TAG_variable || !d->name) continue;
		n += print_local(c, d, out);
	}
	if (b->origin)
		n += abstract_locals(c, b, b->origin, out);
	return n;
}

static int print_local(struct dw_ctx *c, struct dw_die *d, struct dw_sb *out)
{
	struct dw_value v;
	char e2[256];
	dw_sb_printf(out, "%s = ", d->name);
	if (dw_var_value(c, d, &v, e2, sizeof e2) < 0 && !v.bytes && !v.optimized_out)
		dw_sb_printf(out, "<error: %s>", e2);
	else
		dw_value_format(c->s, c->t, out, &v, 0, 0);
	dw_sb_puts(out, "\n");
	dw_value_free(&v);
	return 1;
}

int dw_info_locals(struct dw_session *s, const struct dw_target *t,
		   const struct dw_frame *f, struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_frame cf;
	int hc = caller_of(s, t, f, &cf) == 0;
	struct dw_ctx c;
	dw_ctx_init(&c, s, t, f, hc ? &cf : NULL);
	if (!c.func)
		return DW_ERR(err, errlen, "No symbol table info available.");
	int n = 0;
	for (struct dw_die *b = c.scope; b; b = b->parent) {
		n += block_locals(&c, b, out);
		if (b == c.scope_fn) break;
	}
	if (!n)
		dw_sb_puts(out, "No locals.\n");
	return 0;
}

static int eval(struct dw_session *s, const struct dw_target *t, const struct dw_frame *f,
		const char *expr, struct dw_value *v, struct dw_die **type_only,
		char *err, size_t errlen)
{
	struct dw_frame cf;
	int hc = f && caller_of(s, t, f, &cf) == 0;
	struct dw_ctx c;
	dw_ctx_init(&c, s, t, f, hc ? &cf : NULL);
	return dw_expr_parse_eval(&c, expr, v, type_only, err, errlen);
}

/* The evaluator leaves values in memory unread (lazy); whoever shows or
 * keeps a value reads it here. */
static int need_bytes(const struct dw_target *t, struct dw_value *v, char *err, size_t errlen)
{
	if (v->bytes || v->optimized_out)
		return 0;
	if (dw_value_fetch(t, v) < 0) {
		snprintf(err, errlen, "Cannot access memory at address 0x%lx", (unsigned long)v->addr);
		dw_value_free(v);
		return -1;
	}
	return 0;
}

int dw_print(struct dw_session *s, const struct dw_target *t,
	     const struct dw_frame *f, const char *expr, char fmt,
	     struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_value v;
	if (eval(s, t, f, expr, &v, NULL, err, errlen) < 0 || need_bytes(t, &v, err, errlen) < 0)
		return -1;
	s->hist = realloc(s->hist, (s->nhist + 1) * sizeof *s->hist);
	s->hist[s->nhist++] = v;
	dw_sb_printf(out, "$%d = ", s->nhist);
	dw_value_format(s, t, out, &v, fmt, 1);
	dw_sb_puts(out, "\n");
	return 0;
}

int dw_output(struct dw_session *s, const struct dw_target *t,
	      const struct dw_frame *f, const char *expr, char fmt,
	      struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_value v;
	if (eval(s, t, f, expr, &v, NULL, err, errlen) < 0 || need_bytes(t, &v, err, errlen) < 0)
		return -1;
	dw_value_format(s, t, out, &v, fmt, 1);
	dw_value_free(&v);
	return 0;
}

int dw_ptype(struct dw_session *s, const struct dw_target *t,
	     const struct dw_frame *f, const char *expr, int whatis,
	     struct dw_sb *out, char *err, size_t errlen)
{
	struct dw_value v;
	struct dw_die *ty = NULL;
	if (eval(s, t, f, expr, &v, &ty, err, errlen) < 0)
		return -1;
	int is_type = ty != NULL;
	if (is_type && ty->tag == 0xffff)
		ty = NULL;
	else if (!is_type)
		ty = v.type;
	dw_sb_puts(out, "type = ");
	if (whatis) {
		/* whatis on a typedef name peels one level */
		if (is_type && ty && ty->tag == DW_TAG_typedef)
			ty = ty->type;
		dw_type_name(out, ty, "");
	} else {
		dw_type_ptype(out, ty, 1);
	}
	dw_sb_puts(out, "\n");
	if (!is_type)
		dw_value_free(&v);
	return 0;
}

int dw_eval_u64(struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *f, const char *expr, uint64_t *val,
		char *err, size_t errlen)
{
	struct dw_value v;
	if (eval(s, t, f, expr, &v, NULL, err, errlen) < 0)
		return -1;
	struct dw_die *ty = dw_type_strip(v.type);
	if (v.optimized_out) {
		dw_value_free(&v);
		return DW_ERR(err, errlen, "value has been optimized out");
	}
	/* an array or a function stands for its address: nothing to read */
	if (ty && (ty->tag == DW_TAG_array_type || ty->tag == DW_TAG_subprogram || ty->tag == DW_TAG_subroutine_type))
		*val = v.addr;
	else if (need_bytes(t, &v, err, errlen) < 0)
		return -1;
	else
		*val = dw_value_u64(&v);
	dw_value_free(&v);
	return 0;
}

int dw_examine(struct dw_session *s, const struct dw_target *t,
	       const struct dw_frame *f, const char *arg,
	       struct dw_sb *out, char *err, size_t errlen)
{
	int count = 1;
	char fmt = 'x', size = 'w';
	while (*arg == ' ') arg++;
	if (*arg == '/') {
		arg++;
		if (isdigit((unsigned char)*arg)) count = (int)strtol(arg, (char **)&arg, 10);
		while (*arg && *arg != ' ') {
			if (strchr("bhwg", *arg)) size = *arg;
			else fmt = *arg;
			arg++;
		}
	}
	uint64_t addr;
	if (dw_eval_u64(s, t, f, arg, &addr, err, errlen) < 0)
		return -1;
	uint64_t pc = f ? f->pc : 0;
	if (fmt == 'i')
		return dw_disasm(s, t, addr, count, pc, out, NULL);
	if (fmt == 's') {
		for (int i = 0; i < count; i++) {
			uint8_t buf[201];
			size_t n = 0;
			while (n < 200 && t->read_mem(t->ctx, addr + n, &buf[n], 1) == 0 && buf[n]) n++;
			dw_sb_printf(out, "0x%lx", (unsigned long)addr);
			struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, addr);
			if (sy.len) dw_sb_printf(out, " %s", sy.buf);
			dw_sb_free(&sy);
			dw_sb_puts(out, ":\t");
			struct dw_value v = { 0 };
			struct dw_die *ch = dw_base_type(s, "char");
			struct dw_die *arr = dw_xcalloc(1, sizeof *arr);
			struct dw_die sr = { 0 };
			arr->tag = DW_TAG_array_type; arr->type = ch; arr->byte_size = -1; arr->child = &sr;
			sr.tag = DW_TAG_subrange_type; sr.has_count = 1; sr.count = n;
			v.type = arr; v.size = n; v.bytes = buf;
			dw_value_format(s, t, out, &v, 0, 0);
			free(arr);
			dw_sb_puts(out, "\n");
			addr += n + 1;
		}
		return 0;
	}
	int sz = size == 'b' ? 1 : size == 'h' ? 2 : size == 'g' ? 8 : 4;
	if (fmt == 'a') sz = 8;
	if (fmt == 'c') sz = 1;
	int per = sz == 8 ? 2 : sz == 4 ? 4 : 8;
	if (fmt == 'c' || fmt == 'd' || fmt == 'u') per = sz == 8 ? 2 : sz == 4 ? 4 : 8;
	for (int i = 0; i < count; i++) {
		uint64_t a = addr + (uint64_t)i * sz;
		if (i % per == 0) {
			if (i) dw_sb_puts(out, "\n");
			dw_sb_printf(out, "0x%lx", (unsigned long)a);
			struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, a);
			if (sy.len) dw_sb_printf(out, " %s", sy.buf);
			dw_sb_free(&sy);
			dw_sb_puts(out, ":");
		}
		uint64_t x = 0;
		if (t->read_mem(t->ctx, a, &x, sz) < 0) {
			dw_sb_puts(out, "\n");
			return DW_ERR(err, errlen, "Cannot access memory at address 0x%lx", (unsigned long)a);
		}
		dw_sb_puts(out, "\t");
		int64_t sx = sz == 8 ? (int64_t)x : sz == 4 ? (int32_t)x : sz == 2 ? (int16_t)x : (int8_t)x;
		switch (fmt) {
		case 'x': dw_sb_printf(out, "0x%0*lx", sz * 2, (unsigned long)x); break;
		case 'd': dw_sb_printf(out, "%ld", (long)sx); break;
		case 'u': dw_sb_printf(out, "%lu", (unsigned long)x); break;
		case 'o': dw_sb_printf(out, "0%lo", (unsigned long)x); break;
		case 'a': dw_sb_printf(out, "0x%lx", (unsigned long)x); { struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, x); if (sy.len) dw_sb_printf(out, " %s", sy.buf); dw_sb_free(&sy); } break;
		case 'c': dw_sb_printf(out, "%ld '", (long)sx); if (x >= 0x20 && x < 0x7f) dw_sb_printf(out, "%c'", (int)x); else dw_sb_printf(out, "\\%03lo'", (unsigned long)x); break;
		case 't': { char b[65]; int k = 64; b[k] = 0; for (int j = 0; j < sz * 8; j++) { b[--k] = '0' + (x & 1); x >>= 1; } dw_sb_puts(out, b + k); break; }
		default: dw_sb_printf(out, "0x%0*lx", sz * 2, (unsigned long)x);
		}
	}
	dw_sb_puts(out, "\n");
	return 0;
}
