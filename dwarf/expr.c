/* expr.c — the C expression evaluator behind print, ptype, whatis, x and
 * breakpoint conditions.  A recursive-descent parser that evaluates as it
 * parses (gdb expressions have no side effects here, so no tree is kept):
 * variables in scope (innermost lexical block outwards, then the CU, then
 * every object), literals, arithmetic with C's usual conversions, pointer
 * arithmetic, comparisons, logical ops, & * [] . ->, casts, sizeof,
 * registers ($rip $sp $pc $fp $eax ...), history ($, $$, $N, $$N) and
 * gdb's binary @.  Errors use gdb's wording. */
#include "dwarf/dw_int.h"
#include <ctype.h>
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct P {
	struct dw_ctx *c;
	const char *s;
	char *err;
	size_t errlen;
	int failed;
	int noside;	/* sizeof/whatis: don't read memory we don't need */
};

#define FAIL(p, ...) do { if (!(p)->failed) snprintf((p)->err, (p)->errlen, __VA_ARGS__); (p)->failed = 1; return -1; } while (0)

static void ws(struct P *p) { while (isspace((unsigned char)*p->s)) p->s++; }
static int peek(struct P *p, const char *tok)
{
	ws(p);
	size_t n = strlen(tok);
	if (strncmp(p->s, tok, n)) return 0;
	if (isalpha((unsigned char)tok[0]) && (isalnum((unsigned char)p->s[n]) || p->s[n] == '_')) return 0;
	return 1;
}
static int eat(struct P *p, const char *tok)
{
	if (!peek(p, tok)) return 0;
	p->s += strlen(tok);
	return 1;
}

static struct dw_die *T(struct P *p, const char *name) { return dw_base_type(p->c->s, name); }

static void set_int(struct P *p, struct dw_value *v, const char *tname, uint64_t x)
{
	memset(v, 0, sizeof *v);
	v->type = T(p, tname);
	v->size = dw_type_size(v->type);
	v->bytes = dw_xcalloc(1, 16);
	memcpy(v->bytes, &x, v->size < 8 ? v->size : 8);
}

static void set_double(struct P *p, struct dw_value *v, double d)
{
	memset(v, 0, sizeof *v);
	v->type = T(p, "double");
	v->size = 8;
	v->bytes = dw_xcalloc(1, 16);
	memcpy(v->bytes, &d, 8);
}

/* Values in memory are lazy: an lvalue carries its address and no bytes
 * until something needs its contents, so "&x", "sizeof x" and watch
 * addresses work where the memory cannot be read (the end of a
 * recording).  fetch() is that "something": every operator that looks at
 * a value's contents calls it first.  Under noside (sizeof, whatis, the
 * side of && || ?: that is not taken) nothing is read: zeros stand in,
 * as only types matter there. */
static int fetch(struct P *p, struct dw_value *v)
{
	if (v->bytes)
		return 0;
	if (p->noside) {
		v->bytes = dw_xcalloc(1, v->size + 8);
		return 0;
	}
	if (v->optimized_out)
		FAIL(p, "value has been optimized out");
	if (dw_value_fetch(p->c->t, v) < 0)
		FAIL(p, "Cannot access memory at address 0x%lx", (unsigned long)v->addr);
	return 0;
}

static int mem_value(struct P *p, struct dw_die *type, uint64_t addr, struct dw_value *v)
{
	(void)p;
	memset(v, 0, sizeof *v);
	v->type = type;
	int64_t sz = dw_type_size(type);
	v->size = sz < 0 ? 0 : sz;
	v->lval = 1;
	v->addr = addr;
	return 0;
}

/* ---- symbol lookup ---- */

static struct dw_die *deepest_block(struct dw_die *d, uint64_t lpc)
{
	for (struct dw_die *c = d->child; c; c = c->next)
		if (c->tag == DW_TAG_lexical_block && dw_die_has_pc(c, lpc))
			return deepest_block(c, lpc);
	return d;
}

static struct dw_die *find_in(struct dw_die *scope, const char *name)
{
	for (struct dw_die *c = scope->child; c; c = c->next) {
		if ((c->tag == DW_TAG_variable || c->tag == DW_TAG_formal_parameter) &&
		    c->name && !strcmp(c->name, name))
			return c;
		/* a lexical block without pc bounds is not a scope of its own */
		if (c->tag == DW_TAG_lexical_block && !c->has_pc && !c->nranges) {
			struct dw_die *d = find_in(c, name);
			if (d) return d;
		}
	}
	/* an inlined or concrete copy also sees its abstract origin's
	 * variables (gdb's inherit_abstract_dies) */
	if (scope->origin && scope->tag != DW_TAG_compile_unit)
		return find_in(scope->origin, name);
	return NULL;
}

struct dw_die *dw_lookup_var(struct dw_ctx *c, const char *name, int *is_global)
{
	*is_global = 0;
	if (c->func) {
		/* this frame's blocks, then the CU of the physical function */
		struct dw_die *b = c->scope ? c->scope : deepest_block(c->func, c->lpc);
		for (; b; b = b->parent) {
			struct dw_die *d = find_in(b, name);
			if (d) { *is_global = b->tag == DW_TAG_compile_unit; return d; }
			if (b == c->scope_fn && b != c->func) b = c->func;
			if (b->tag == DW_TAG_compile_unit) break;
		}
	}
	*is_global = 1;
	struct dw_die *decl = NULL;
	for (int i = 0; i < c->s->nobjs; i++) {
		struct dw_obj *o = c->s->objs[i];
		for (int k = 0; k < o->ncus; k++) {
			struct dw_die *cu = o->cus[k]->die;
			for (struct dw_die *d = cu ? cu->child : NULL; d; d = d->next) {
				if (!d->name || strcmp(d->name, name)) continue;
				if (d->tag == DW_TAG_variable) {
					if (!d->declaration || d->loc.kind) return d;
					decl = d;
				}
				if (d->tag == DW_TAG_subprogram && (d->has_pc || d->nranges))
					return d;
			}
		}
	}
	return decl;
}

static struct dw_obj *obj_of(struct dw_session *s, struct dw_die *d)
{
	return d->cu ? d->cu->obj : s->nobjs ? s->objs[0] : NULL;
}

static int var_value(struct P *p, struct dw_die *d, int global, struct dw_value *v)
{
	struct dw_ctx *c = p->c;
	if (d->tag == DW_TAG_subprogram) {
		memset(v, 0, sizeof *v);
		v->type = d;
		v->size = 1;
		v->lval = 1;
		v->addr = (d->has_pc ? d->low_pc : d->ranges[0][0]) + obj_of(c->s, d)->bias;
		v->bytes = dw_xcalloc(1, 8);
		return 0;
	}
	struct dw_ctx gc = *c;
	if (global) gc.obj = obj_of(c->s, d);
	if (dw_var_locate(&gc, d, v, p->err, p->errlen) < 0) {
		p->failed = 1;
		return -1;
	}
	return 0;
}

static const char *const regnames[] = { "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip" };
static const char *const reg32[] = { "eax", "edx", "ecx", "ebx", "esi", "edi", "ebp", "esp",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };

static int reg_value(struct P *p, const char *name, struct dw_value *v)
{
	struct dw_session *s = p->c->s;
	const struct dw_frame *f = p->c->f;
	int r = -1, narrow = 0;
	struct dw_die *ty = NULL;
	if (!strcmp(name, "pc") || !strcmp(name, "rip")) {
		r = DW_REG_RIP;
		struct dw_die *fn = dw_synth(s, DW_TAG_subroutine_type, NULL, -1, 0, NULL);
		ty = dw_synth(s, DW_TAG_pointer_type, NULL, 8, 0, fn);
	} else if (!strcmp(name, "sp") || !strcmp(name, "rsp")) {
		r = DW_REG_RSP;
		ty = dw_synth(s, DW_TAG_pointer_type, NULL, 8, 0, NULL);
	} else if (!strcmp(name, "fp") || !strcmp(name, "rbp")) {
		r = DW_REG_RBP;
		ty = dw_synth(s, DW_TAG_pointer_type, NULL, 8, 0, NULL);
	}
	for (int i = 0; r < 0 && i < 17; i++)
		if (!strcmp(name, regnames[i])) { r = i; ty = dw_synth(s, DW_TAG_base_type, "int64_t", 8, DW_ATE_signed, NULL); }
	for (int i = 0; r < 0 && i < 16; i++)
		if (!strcmp(name, reg32[i])) { r = i; narrow = 1; ty = dw_synth(s, DW_TAG_base_type, "int", 4, DW_ATE_signed, NULL); }
	if (r < 0)
		return 1;	/* not a register: a convenience variable */
	if (!f)
		FAIL(p, "No registers.");
	uint64_t x = 0;
	if (!(f->valid & (1u << r)))
		FAIL(p, "value is not available");
	x = r == DW_REG_RIP ? f->pc : f->regs[r];
	memset(v, 0, sizeof *v);
	v->type = ty;
	v->size = narrow ? 4 : 8;
	v->bytes = dw_xcalloc(1, 16);
	memcpy(v->bytes, &x, v->size);
	return 0;
}

/* ---- types in expressions ---- */

static struct dw_die *parse_type(struct P *p)
{
	const char *save = p->s;
	struct dw_die *t = NULL;
	int is_const = 0;
	struct dw_session *s = p->c->s;
	if (eat(p, "const")) is_const = 1;
	(void)is_const;
	int tag = 0;
	if (eat(p, "struct")) tag = DW_TAG_structure_type;
	else if (eat(p, "union")) tag = DW_TAG_union_type;
	else if (eat(p, "enum")) tag = DW_TAG_enumeration_type;
	if (tag) {
		ws(p);
		char nm[128];
		int n = 0;
		while ((isalnum((unsigned char)*p->s) || *p->s == '_') && n < 127) nm[n++] = *p->s++;
		nm[n] = 0;
		t = dw_find_type(s, p->c, tag, nm);
		if (!t) {
			p->s = save;
			snprintf(p->err, p->errlen, "No %s type named %s.", tag == DW_TAG_structure_type ? "struct" : tag == DW_TAG_union_type ? "union" : "enum", nm);
			p->failed = 1;
			return NULL;
		}
	} else {
		static const char *const kw[] = { "unsigned", "signed", "int", "char", "long", "short", "float", "double", "_Bool", "void" };
		char words[128] = "";
		int any = 0, longs = 0;
		for (;;) {
			int hit = 0;
			for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
				if (eat(p, kw[i])) {
					if (!strcmp(kw[i], "long")) longs++;
					else { if (*words) strcat(words, " "); strcat(words, kw[i]); }
					hit = any = 1;
					break;
				}
			if (!hit) break;
		}
		if (any) {
			char full[160];
			int uns = strstr(words, "unsigned") != NULL;
			if (!strcmp(words, "void")) t = NULL;
			else if (strstr(words, "char")) t = T(p, uns ? "unsigned char" : strstr(words, "signed") ? "signed char" : "char");
			else if (strstr(words, "short")) t = T(p, uns ? "unsigned short" : "short");
			else if (strstr(words, "double")) t = T(p, longs ? "long double" : "double");
			else if (strstr(words, "float")) t = T(p, "float");
			else if (strstr(words, "_Bool")) t = T(p, "_Bool");
			else {
				snprintf(full, sizeof full, "%s%s", uns ? "unsigned " : "", longs >= 2 ? "long long" : longs ? "long" : "int");
				t = T(p, full);
			}
			if (!strcmp(words, "void")) {
				/* void: only valid as pointer target */
				t = NULL;
				goto stars_void;
			}
		} else {
			ws(p);
			char nm[128];
			int n = 0;
			const char *q = p->s;
			while ((isalnum((unsigned char)*q) || *q == '_') && n < 127) nm[n++] = *q++;
			nm[n] = 0;
			if (!n) { p->s = save; return NULL; }
			int g;
			/* a variable of that name shadows the typedef */
			if (dw_lookup_var(p->c, nm, &g)) { p->s = save; return NULL; }
			t = dw_find_type(s, p->c, DW_TAG_typedef, nm);
			if (!t) { p->s = save; return NULL; }
			p->s = q;
		}
	}
	eat(p, "const");
	while (eat(p, "*")) {
		t = dw_synth(s, DW_TAG_pointer_type, NULL, 8, 0, t);
		eat(p, "const");
	}
	return t;
stars_void:
	eat(p, "const");
	{
		int stars = 0;
		while (eat(p, "*")) {
			t = dw_synth(s, DW_TAG_pointer_type, NULL, 8, 0, t);
			stars++;
			eat(p, "const");
		}
		if (!stars) {
			/* bare "void": a session-owned marker type */
			return dw_synth(s, 0xffff, "void", 1, 0, NULL);
		}
	}
	return t;
}

/* ---- the grammar ---- */

static int expr(struct P *p, struct dw_value *v);
static int unary(struct P *p, struct dw_value *v);

static int history(struct P *p, struct dw_value *v)
{
	struct dw_session *s = p->c->s;
	const char *q = p->s + 1;
	int idx;
	if (*q == '$') {
		q++;
		int back = isdigit((unsigned char)*q) ? (int)strtol(q, (char **)&q, 10) : 1;
		idx = s->nhist - 1 - back;
	} else if (isdigit((unsigned char)*q)) {
		idx = (int)strtol(q, (char **)&q, 10) - 1;
	} else {
		idx = s->nhist - 1;
	}
	p->s = q;
	if (s->nhist == 0 && idx < 0) {
		/* gdb: empty history is void */
		memset(v, 0, sizeof *v);
		v->optimized_out = 0;
		FAIL(p, "History is empty.");
	}
	if (idx < 0 || idx >= s->nhist)
		FAIL(p, "History has not yet reached $%d.", idx + 1);
	dw_value_copy(v, &s->hist[idx]);
	return 0;
}

static int primary(struct P *p, struct dw_value *v)
{
	ws(p);
	const char *q = p->s;
	if (*q == '(') {
		p->s++;
		if (expr(p, v) < 0) return -1;
		if (!eat(p, ")")) FAIL(p, "A syntax error in expression, near `%s'.", p->s);
		return 0;
	}
	if (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))) {
		char *end;
		const char *fe = q;
		while (isalnum((unsigned char)*fe) || *fe == '.') fe++;
		int isf = 0;
		for (const char *k = q; k < fe; k++)
			if (*k == '.' || ((*k == 'e' || *k == 'E') && !(q[0] == '0' && (q[1] == 'x' || q[1] == 'X')))) isf = 1;
		if (isf) {
			set_double(p, v, strtod(q, &end));
			p->s = end;
			if (*p->s == 'f' || *p->s == 'F') p->s++;
			return 0;
		}
		uint64_t x = strtoull(q, &end, 0);
		int u = 0, l = 0;
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L') {
			if (*end == 'u' || *end == 'U') u = 1; else l = 1;
			end++;
		}
		if (isalnum((unsigned char)*end)) FAIL(p, "Invalid number \"%.*s\".", (int)(fe - q), q);
		p->s = end;
		const char *tn = u ? (l || x > 0xffffffffULL ? "unsigned long" : "unsigned int")
				   : (l || x > 0x7fffffffULL ? (x > 0x7fffffffffffffffULL ? "unsigned long" : "long") : "int");
		set_int(p, v, tn, x);
		return 0;
	}
	if (*q == '\'') {
		q++;
		int ch;
		if (*q == '\\') {
			q++;
			switch (*q) {
			case 'n': ch = '\n'; q++; break;
			case 't': ch = '\t'; q++; break;
			case 'r': ch = '\r'; q++; break;
			case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
				ch = (int)strtol(q, (char **)&q, 8); break;
			default: ch = *q++;
			}
		} else ch = (unsigned char)*q++;
		if (*q != '\'') FAIL(p, "Unmatched single quote.");
		p->s = q + 1;
		set_int(p, v, "char", (uint64_t)ch);
		return 0;
	}
	if (*q == '"') {
		q++;
		char buf[1024];
		size_t n = 0;
		while (*q && *q != '"' && n < sizeof buf - 1) {
			if (*q == '\\' && q[1]) {
				q++;
				buf[n++] = *q == 'n' ? '\n' : *q == 't' ? '\t' : *q;
				q++;
			} else buf[n++] = *q++;
		}
		if (*q != '"') FAIL(p, "Unterminated string in expression.");
		p->s = q + 1;
		buf[n++] = 0;
		struct dw_die *ch = T(p, "char");
		struct dw_die *arr = dw_synth(p->c->s, DW_TAG_array_type, NULL, n, 0, ch);
		if (!arr->child) {
			struct dw_die *sr = dw_xcalloc(1, sizeof *sr);
			sr->tag = DW_TAG_subrange_type;
			sr->has_count = 1;
			sr->count = n;
			arr->child = sr;	/* freed with the session: see dw_session_free */
			arr->is_synth = 2;
		}
		memset(v, 0, sizeof *v);
		v->type = arr;
		v->size = n;
		v->bytes = dw_xcalloc(1, n + 8);
		memcpy(v->bytes, buf, n);
		return 0;
	}
	if (*q == '$') {
		const char *r = q + 1;
		if (*r == '$' || isdigit((unsigned char)*r) || !(isalpha((unsigned char)*r) || *r == '_'))
			return history(p, v);
		char nm[64];
		int n = 0;
		while ((isalnum((unsigned char)*r) || *r == '_') && n < 63) nm[n++] = *r++;
		nm[n] = 0;
		p->s = r;
		int rc = reg_value(p, nm, v);
		if (rc <= 0) return rc;
		/* unknown convenience variable: void */
		memset(v, 0, sizeof *v);
		v->type = NULL;
		v->bytes = dw_xcalloc(1, 8);
		return 0;
	}
	if (isalpha((unsigned char)*q) || *q == '_') {
		char nm[256];
		int n = 0;
		while ((isalnum((unsigned char)*q) || *q == '_') && n < 255) nm[n++] = *q++;
		nm[n] = 0;
		p->s = q;
		if (!strcmp(nm, "sizeof")) {
			/* handled in unary */
			FAIL(p, "A syntax error in expression, near `%s'.", p->s);
		}
		int g;
		struct dw_die *d = dw_lookup_var(p->c, nm, &g);
		if (d)
			return var_value(p, d, g, v);
		/* an enumerator? */
		for (int i = 0; i < p->c->s->nobjs; i++) {
			struct dw_obj *o = p->c->s->objs[i];
			for (size_t k = 0; k < o->ndies; k++) {
				struct dw_die *e = o->dies[k];
				if (e->tag == DW_TAG_enumerator && e->name && !strcmp(e->name, nm)) {
					memset(v, 0, sizeof *v);
					v->type = e->parent;
					v->size = dw_type_size(e->parent);
					v->bytes = dw_xcalloc(1, 16);
					memcpy(v->bytes, &e->const_value, v->size < 8 ? v->size : 8);
					return 0;
				}
			}
		}
		uint64_t a;
		if (dw_symbol_addr(p->c->s, nm, &a) == 0)
			FAIL(p, "'%s' has unknown type; cast it to its declared type", nm);
		FAIL(p, "No symbol \"%s\" in current context.", nm);
	}
	if (!*q) FAIL(p, "A syntax error in expression, near `'.");
	FAIL(p, "A syntax error in expression, near `%s'.", q);
}

static int find_member(struct dw_die *st, const char *name, struct dw_die **m, int64_t *off)
{
	for (struct dw_die *c = st->child; c; c = c->next) {
		if (c->tag != DW_TAG_member) continue;
		int64_t base = c->member_loc > 0 ? c->member_loc : 0;
		if (c->name && !strcmp(c->name, name)) { *m = c; *off = base; return 0; }
		if (!c->name) {
			struct dw_die *in = dw_type_strip(c->type);
			if (in && find_member(in, name, m, off) == 0) { *off += base; return 0; }
		}
	}
	return -1;
}

static int member(struct P *p, struct dw_value *v, const char *name)
{
	struct dw_die *st = dw_type_strip(v->type);
	if (!st || (st->tag != DW_TAG_structure_type && st->tag != DW_TAG_union_type)) {
		struct dw_sb sb;
		dw_sb_init(&sb);
		dw_type_name(&sb, v->type, "");
		snprintf(p->err, p->errlen, "Attempt to extract a component of a value that is not a structure.");
		dw_sb_free(&sb);
		p->failed = 1;
		return -1;
	}
	struct dw_die *m;
	int64_t off;
	if (find_member(st, name, &m, &off) < 0)
		FAIL(p, "There is no member named %s.", name);
	struct dw_value r;
	memset(&r, 0, sizeof r);
	r.type = m->type;
	int64_t sz = dw_type_size(m->type);
	if (sz < 0) sz = 0;
	if (m->bit_size > 0) {
		if (fetch(p, v) < 0) return -1;
		int64_t bo = m->bit_off >= 0 ? m->bit_off : off * 8;
		/* bit_off is relative to the containing struct */
		int64_t outer = off - (m->member_loc > 0 ? m->member_loc : 0);
		bo += outer * 8;
		r.size = sz;
		r.bytes = dw_xcalloc(1, 16);
		size_t byte = bo / 8;
		size_t avail = v->size > byte ? v->size - byte : 0;
		memcpy(r.bytes, v->bytes + byte, avail < 8 ? avail : 8);
		r.bitpos = bo % 8;
		r.bitsize = (int)m->bit_size;
		/* normalise so the value stands alone */
		uint64_t x = dw_value_u64(&r);
		int64_t sx = dw_value_s64(&r);
		r.bitsize = r.bitpos = 0;
		uint64_t keep = dw_type_is_signed(m->type) ? (uint64_t)sx : x;
		memcpy(r.bytes, &keep, 8);
		dw_value_free(v);
		*v = r;
		return 0;
	}
	r.size = sz;
	r.lval = v->lval == 1 ? 1 : 0;
	r.addr = v->addr + off;
	r.optimized_out = v->optimized_out;
	if (v->bytes) {
		r.bytes = dw_xcalloc(1, sz + 8);
		if ((size_t)(off + sz) <= v->size) memcpy(r.bytes, v->bytes + off, sz);
	}
	dw_value_free(v);
	*v = r;
	return 0;
}

static int deref(struct P *p, struct dw_value *v)
{
	struct dw_die *t = dw_type_strip(v->type);
	if (t && (t->tag == DW_TAG_subprogram || t->tag == DW_TAG_subroutine_type))
		return 0;	/* *func is func */
	if (!t || (t->tag != DW_TAG_pointer_type && t->tag != DW_TAG_array_type && t->tag != DW_TAG_reference_type)) {
		if (dw_type_is_int(v->type)) {
			/* gdb: *INT reads a long at that address */
			if (fetch(p, v) < 0) return -1;
			uint64_t a = dw_value_u64(v);
			dw_value_free(v);
			return mem_value(p, T(p, "long"), a, v);
		}
		FAIL(p, "Attempt to take contents of a non-pointer value.");
	}
	if (t->tag == DW_TAG_array_type) {
		uint64_t a = v->addr;
		dw_value_free(v);
		return mem_value(p, t->type, a, v);
	}
	if (t->tag == DW_TAG_subprogram || t->tag == DW_TAG_subroutine_type)
		return 0;	/* *func is func */
	if (!t->type || dw_type_strip(t->type) == NULL)
		FAIL(p, "Attempt to dereference a generic pointer.");
	if (fetch(p, v) < 0) return -1;
	uint64_t a = dw_value_u64(v);
	dw_value_free(v);
	struct dw_die *pt = dw_type_strip(t->type);
	if (pt && pt->tag == DW_TAG_subroutine_type) {
		memset(v, 0, sizeof *v);
		v->type = t->type;
		v->size = 1;
		v->lval = 1;
		v->addr = a;
		v->bytes = dw_xcalloc(1, 8);
		return 0;
	}
	return mem_value(p, t->type, a, v);
}

static int to_ptr_elem(struct P *p, struct dw_value *v, struct dw_die **elem, uint64_t *base)
{
	struct dw_die *t = dw_type_strip(v->type);
	if (t && t->tag == DW_TAG_array_type) {
		/* an array decays; multi-dim arrays peel one dimension */
		int nsr = 0;
		struct dw_die *first = NULL;
		for (struct dw_die *c = t->child; c; c = c->next)
			if (c->tag == DW_TAG_subrange_type) { if (!first) first = c; nsr++; }
		if (nsr > 1) {
			struct dw_die *sub = dw_xcalloc(1, sizeof *sub);
			*sub = *t;
			sub->child = first->next;
			sub->is_synth = 3;
			sub->next = NULL;
			struct dw_session *s = p->c->s;
			if (s->nsynth == s->capsynth) {
				s->capsynth = s->capsynth ? s->capsynth * 2 : 32;
				s->synth = realloc(s->synth, s->capsynth * sizeof *s->synth);
			}
			s->synth[s->nsynth++] = sub;
			*elem = sub;
		} else *elem = t->type;
		if (v->lval != 1) FAIL(p, "Attempt to take address of value not located in memory.");
		*base = v->addr;
		return 0;
	}
	if (t && t->tag == DW_TAG_pointer_type) {
		if (fetch(p, v) < 0) return -1;
		*elem = t->type;
		*base = dw_value_u64(v);
		return 0;
	}
	FAIL(p, "cannot subscript something of type `%s'", "int");
}

static int postfix(struct P *p, struct dw_value *v)
{
	if (primary(p, v) < 0) return -1;
	for (;;) {
		if (eat(p, "[")) {
			struct dw_value idx;
			if (expr(p, &idx) < 0) return -1;
			if (!eat(p, "]")) { dw_value_free(&idx); FAIL(p, "A syntax error in expression, near `%s'.", p->s); }
			if (fetch(p, &idx) < 0) return -1;
			int64_t i = dw_value_s64(&idx);
			dw_value_free(&idx);
			struct dw_die *el;
			uint64_t base;
			struct dw_die *t = dw_type_strip(v->type);
			if (t && t->tag == DW_TAG_array_type && v->lval != 1 && v->bytes) {
				/* non-lvalue array (history, string literal) */
				int64_t esz = dw_type_size(t->type);
				struct dw_value r;
				memset(&r, 0, sizeof r);
				r.type = t->type;
				r.size = esz;
				r.bytes = dw_xcalloc(1, esz + 8);
				if (i >= 0 && (size_t)((i + 1) * esz) <= v->size) memcpy(r.bytes, v->bytes + i * esz, esz);
				dw_value_free(v);
				*v = r;
				continue;
			}
			if (to_ptr_elem(p, v, &el, &base) < 0) return -1;
			int64_t esz = dw_type_size(el);
			dw_value_free(v);
			if (mem_value(p, el, base + i * esz, v) < 0) return -1;
			continue;
		}
		if (peek(p, "(")) {
			/* gdb would run the function in the program; a replay's
			 * program only does what was recorded. */
			dw_value_free(v);
			FAIL(p, "Cannot call functions in a replay: the program only runs what was recorded.");
		}
		int arrow = 0;
		if (eat(p, "->")) arrow = 1;
		else if (peek(p, ".") && !isdigit((unsigned char)p->s[1])) { p->s++; }
		else break;
		if (arrow && deref(p, v) < 0) return -1;
		ws(p);
		char nm[128];
		int n = 0;
		while ((isalnum((unsigned char)*p->s) || *p->s == '_') && n < 127) nm[n++] = *p->s++;
		nm[n] = 0;
		if (!n) FAIL(p, "A syntax error in expression, near `%s'.", p->s);
		if (member(p, v, nm) < 0) return -1;
	}
	return 0;
}

static int cast(struct P *p, struct dw_value *v, struct dw_die *to)
{
	struct dw_die *ts = dw_type_strip(to);
	struct dw_die *fs = dw_type_strip(v->type);
	int64_t sz = dw_type_size(to);
	if (ts && (ts->tag == DW_TAG_structure_type || ts->tag == DW_TAG_union_type || ts->tag == DW_TAG_array_type)) {
		if (v->lval == 1) {
			uint64_t a = v->addr;
			dw_value_free(v);
			return mem_value(p, to, a, v);
		}
		FAIL(p, "Invalid cast.");
	}
	if (fs && fs->tag == DW_TAG_array_type) {
		uint64_t a = v->addr;
		dw_value_free(v);
		set_int(p, v, "unsigned long", a);
	}
	if (fs && (fs->tag == DW_TAG_subprogram || fs->tag == DW_TAG_subroutine_type)) {
		uint64_t a = v->addr;
		dw_value_free(v);
		set_int(p, v, "unsigned long", a);
	}
	if (fetch(p, v) < 0) return -1;
	struct dw_value r;
	memset(&r, 0, sizeof r);
	r.type = to;
	r.size = sz < 0 ? 8 : sz;
	r.bytes = dw_xcalloc(1, r.size + 8);
	if (dw_type_is_float(to)) {
		double d = dw_value_f64(v);
		if (r.size == 4) { float f = (float)d; memcpy(r.bytes, &f, 4); }
		else if (r.size == 8) memcpy(r.bytes, &d, 8);
		else { long double ld = d; memcpy(r.bytes, &ld, sizeof ld < r.size ? sizeof ld : r.size); }
	} else {
		uint64_t x = dw_type_is_signed(v->type) ? (uint64_t)dw_value_s64(v) : dw_value_u64(v);
		memcpy(r.bytes, &x, r.size < 8 ? r.size : 8);
	}
	dw_value_free(v);
	*v = r;
	return 0;
}

static int unary(struct P *p, struct dw_value *v)
{
	ws(p);
	if (eat(p, "sizeof")) {
		const char *save = p->s;
		if (eat(p, "(")) {
			struct dw_die *t = parse_type(p);
			if (t && eat(p, ")")) {
				int64_t sz = (t->tag == 0xffff) ? 1 : dw_type_size(t);
				set_int(p, v, "int", sz);
				return 0;
			}
			p->failed = 0;
			p->s = save;
		}
		int ns = p->noside;
		p->noside = 1;
		int r = unary(p, v);
		p->noside = ns;
		if (r < 0) return -1;
		int64_t sz = dw_type_size(v->type);
		dw_value_free(v);
		set_int(p, v, "int", sz);
		return 0;
	}
	if (peek(p, "(")) {
		const char *save = p->s;
		p->s++;
		struct dw_die *t = parse_type(p);
		if ((t || p->failed) && !p->failed && eat(p, ")")) {
			if (t && t->tag == 0xffff) t = NULL;
			if (unary(p, v) < 0) return -1;
			if (!t) { dw_value_free(v); memset(v, 0, sizeof *v); v->bytes = dw_xcalloc(1, 8); return 0; }
			return cast(p, v, t);
		}
		if (p->failed) return -1;
		p->s = save;
	}
	if (eat(p, "-")) {
		if (unary(p, v) < 0 || fetch(p, v) < 0) return -1;
		if (dw_type_is_float(v->type)) { double d = -dw_value_f64(v); dw_value_free(v); set_double(p, v, d); return 0; }
		int64_t x = dw_value_s64(v);
		int big = v->size > 4;
		dw_value_free(v);
		set_int(p, v, big ? "long" : "int", (uint64_t)-x);
		return 0;
	}
	if (eat(p, "+")) return unary(p, v);
	if (eat(p, "!")) {
		if (unary(p, v) < 0 || fetch(p, v) < 0) return -1;
		int z = dw_type_is_float(v->type) ? dw_value_f64(v) == 0 : dw_value_u64(v) == 0;
		dw_value_free(v);
		set_int(p, v, "int", z);
		return 0;
	}
	if (eat(p, "~")) {
		if (unary(p, v) < 0 || fetch(p, v) < 0) return -1;
		uint64_t x = ~dw_value_u64(v);
		int big = v->size > 4;
		int sg = dw_type_is_signed(v->type);
		dw_value_free(v);
		set_int(p, v, big ? (sg ? "long" : "unsigned long") : (sg || v->size < 4 ? "int" : "unsigned int"), x);
		return 0;
	}
	if (eat(p, "*")) {
		if (unary(p, v) < 0) return -1;
		return deref(p, v);
	}
	if (eat(p, "&")) {
		if (unary(p, v) < 0) return -1;
		if (v->lval != 1) {
			dw_value_free(v);
			FAIL(p, "Attempt to take address of value not located in memory.");
		}
		struct dw_die *pt = dw_synth(p->c->s, DW_TAG_pointer_type, NULL, 8, 0, v->type);
		uint64_t a = v->addr;
		dw_value_free(v);
		memset(v, 0, sizeof *v);
		v->type = pt;
		v->size = 8;
		v->bytes = dw_xcalloc(1, 16);
		memcpy(v->bytes, &a, 8);
		return 0;
	}
	return postfix(p, v);
}

/* Usual arithmetic conversions, reduced to what gdb prints: int, unsigned
 * int, long, unsigned long, double. */
static const char *arith_type(struct dw_value *a, struct dw_value *b)
{
	if (dw_type_is_float(a->type) || dw_type_is_float(b->type)) return "double";
	size_t sa = a->size < 4 ? 4 : a->size, sb = b->size < 4 ? 4 : b->size;
	int ua = !dw_type_is_signed(a->type) && a->size >= 4, ub = !dw_type_is_signed(b->type) && b->size >= 4;
	if (sa == 8 || sb == 8) return ((ua && sa == 8) || (ub && sb == 8)) ? "unsigned long" : "long";
	return (ua || ub) ? "unsigned int" : "int";
}

static int binop(struct P *p, struct dw_value *a, struct dw_value *b, const char *op)
{
	struct dw_die *ta = dw_type_strip(a->type), *tb = dw_type_strip(b->type);
	int pa = ta && (ta->tag == DW_TAG_pointer_type || ta->tag == DW_TAG_array_type);
	int pb = tb && (tb->tag == DW_TAG_pointer_type || tb->tag == DW_TAG_array_type);
	struct dw_value r;
	if ((pa || pb) && (!strcmp(op, "+") || !strcmp(op, "-"))) {
		if (pa && pb && !strcmp(op, "-")) {
			struct dw_die *el; uint64_t x, y;
			if (to_ptr_elem(p, a, &el, &x) < 0 || to_ptr_elem(p, b, &el, &y) < 0) return -1;
			int64_t esz = dw_type_size(el);
			set_int(p, &r, "long", (uint64_t)(((int64_t)x - (int64_t)y) / (esz > 0 ? esz : 1)));
		} else {
			struct dw_value *pv = pa ? a : b, *iv = pa ? b : a;
			struct dw_die *el; uint64_t base;
			if (to_ptr_elem(p, pv, &el, &base) < 0) return -1;
			int64_t esz = dw_type_size(el);
			if (fetch(p, iv) < 0) return -1;
			int64_t i = dw_value_s64(iv);
			if (!strcmp(op, "-")) i = -i;
			struct dw_die *pt = (ta && ta->tag == DW_TAG_pointer_type && pa) ? pv->type : dw_synth(p->c->s, DW_TAG_pointer_type, NULL, 8, 0, el);
			memset(&r, 0, sizeof r);
			r.type = pt;
			r.size = 8;
			r.bytes = dw_xcalloc(1, 16);
			uint64_t res = base + i * (esz > 0 ? esz : 1);
			memcpy(r.bytes, &res, 8);
		}
		dw_value_free(a); dw_value_free(b);
		*a = r;
		return 0;
	}
	if (fetch(p, a) < 0 || fetch(p, b) < 0) { dw_value_free(a); dw_value_free(b); return -1; }
	const char *rt = arith_type(a, b);
	int cmp = !strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "<") || !strcmp(op, ">") ||
		  !strcmp(op, "<=") || !strcmp(op, ">=");
	if (!strcmp(rt, "double")) {
		double x = dw_value_f64(a), y = dw_value_f64(b), z = 0;
		int ci = -1;
		if (!strcmp(op, "+")) z = x + y;
		else if (!strcmp(op, "-")) z = x - y;
		else if (!strcmp(op, "*")) z = x * y;
		else if (!strcmp(op, "/")) z = x / y;
		else if (!strcmp(op, "==")) ci = x == y;
		else if (!strcmp(op, "!=")) ci = x != y;
		else if (!strcmp(op, "<")) ci = x < y;
		else if (!strcmp(op, ">")) ci = x > y;
		else if (!strcmp(op, "<=")) ci = x <= y;
		else if (!strcmp(op, ">=")) ci = x >= y;
		else { dw_value_free(a); dw_value_free(b); FAIL(p, "Integer only operation %s.", op); }
		dw_value_free(a); dw_value_free(b);
		if (ci >= 0) set_int(p, a, "int", ci); else set_double(p, a, z);
		return 0;
	}
	int sg = rt[0] != 'u';
	uint64_t x = sg ? (uint64_t)dw_value_s64(a) : dw_value_u64(a);
	uint64_t y = sg ? (uint64_t)dw_value_s64(b) : dw_value_u64(b);
	if (pa) x = dw_value_u64(a);
	if (pb) y = dw_value_u64(b);
	if (!strcmp(rt, "int") || !strcmp(rt, "unsigned int")) {
		if (sg) { x = (uint64_t)(int64_t)(int32_t)x; y = (uint64_t)(int64_t)(int32_t)y; }
		else { x = (uint32_t)x; y = (uint32_t)y; }
	}
	uint64_t z = 0;
	if (!strcmp(op, "+")) z = x + y;
	else if (!strcmp(op, "-")) z = x - y;
	else if (!strcmp(op, "*")) z = x * y;
	else if (!strcmp(op, "/") || !strcmp(op, "%")) {
		if (!y && !p->noside) { dw_value_free(a); dw_value_free(b); FAIL(p, "Division by zero"); }
		if (!y) y = 1;	/* noside: only the type matters */
		if (sg) z = op[0] == '/' ? (uint64_t)((int64_t)x / (int64_t)y) : (uint64_t)((int64_t)x % (int64_t)y);
		else z = op[0] == '/' ? x / y : x % y;
	}
	else if (!strcmp(op, "<<")) z = x << y;
	else if (!strcmp(op, ">>")) z = sg ? (uint64_t)((int64_t)x >> y) : x >> y;
	else if (!strcmp(op, "&")) z = x & y;
	else if (!strcmp(op, "|")) z = x | y;
	else if (!strcmp(op, "^")) z = x ^ y;
	else if (!strcmp(op, "==")) z = x == y;
	else if (!strcmp(op, "!=")) z = x != y;
	else if (!strcmp(op, "<")) z = sg ? (int64_t)x < (int64_t)y : x < y;
	else if (!strcmp(op, ">")) z = sg ? (int64_t)x > (int64_t)y : x > y;
	else if (!strcmp(op, "<=")) z = sg ? (int64_t)x <= (int64_t)y : x <= y;
	else if (!strcmp(op, ">=")) z = sg ? (int64_t)x >= (int64_t)y : x >= y;
	dw_value_free(a); dw_value_free(b);
	set_int(p, a, cmp ? "int" : rt, z);
	return 0;
}

/* C's truth of a scalar (fetched) value */
static int truth(const struct dw_value *v)
{
	if (dw_type_is_float(v->type))
		return dw_value_f64(v) != 0;
	return dw_value_u64(v) != 0;
}

static const char *const levels[][6] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS ((int)(sizeof levels / sizeof levels[0]))

static int binary(struct P *p, struct dw_value *v, int lvl)
{
	if (lvl >= NLEVELS) return unary(p, v);
	if (binary(p, v, lvl + 1) < 0) return -1;
	for (;;) {
		const char *op = NULL;
		ws(p);
		for (int i = 0; i < 6 && levels[lvl][i]; i++) {
			const char *o = levels[lvl][i];
			size_t n = strlen(o);
			if (!strncmp(p->s, o, n)) {
				/* don't take "&" from "&&", "|" from "||", "<" from "<<" */
				if (n == 1 && (p->s[1] == o[0] || (o[0] != '=' && p->s[1] == '=' && (o[0] == '<' || o[0] == '>')))) continue;
				op = o;
				break;
			}
		}
		if (!op) return 0;
		p->s += strlen(op);
		struct dw_value b;
		if (!strcmp(op, "||") || !strcmp(op, "&&")) {
			if (fetch(p, v) < 0) { dw_value_free(v); return -1; }
			int x = truth(v);
			/* as in C (and gdb), the right side is not evaluated when
			 * the left one decides: it may not even be readable */
			int ns = p->noside;
			if (x == (op[0] == '|')) p->noside = 1;
			int r = binary(p, &b, lvl + 1);
			if (r == 0 && fetch(p, &b) < 0) { dw_value_free(&b); r = -1; }
			p->noside = ns;
			if (r < 0) { dw_value_free(v); return -1; }
			int y = truth(&b);
			dw_value_free(v); dw_value_free(&b);
			set_int(p, v, "int", op[0] == '|' ? (x || y) : (x && y));
			continue;
		}
		if (binary(p, &b, lvl + 1) < 0) { dw_value_free(v); return -1; }
		if (binop(p, v, &b, op) < 0) return -1;
	}
}

static int ternary(struct P *p, struct dw_value *v)
{
	if (binary(p, v, 0) < 0) return -1;
	if (!eat(p, "?")) return 0;
	if (fetch(p, v) < 0) { dw_value_free(v); return -1; }
	int c = truth(v);
	dw_value_free(v);
	/* only the chosen branch is evaluated for real */
	struct dw_value a, b;
	int ns = p->noside;
	p->noside = ns || !c;
	int r = ternary(p, &a);
	p->noside = ns;
	if (r < 0) return -1;
	if (!eat(p, ":")) { dw_value_free(&a); FAIL(p, "A syntax error in expression, near `%s'.", p->s); }
	p->noside = ns || c;
	r = ternary(p, &b);
	p->noside = ns;
	if (r < 0) { dw_value_free(&a); return -1; }
	if (c) { *v = a; dw_value_free(&b); } else { *v = b; dw_value_free(&a); }
	return 0;
}

/* gdb's binary @: LEFT@N is an array of N objects starting at &LEFT. */
static int at_expr(struct P *p, struct dw_value *v)
{
	if (ternary(p, v) < 0) return -1;
	while (eat(p, "@")) {
		struct dw_value n;
		if (ternary(p, &n) < 0) return -1;
		if (fetch(p, &n) < 0) { dw_value_free(&n); return -1; }
		int64_t cnt = dw_value_s64(&n);
		dw_value_free(&n);
		if (cnt <= 0) FAIL(p, "Only values in memory can be extended with '@'.");
		if (v->lval != 1) FAIL(p, "Only values in memory can be extended with '@'.");
		struct dw_die *arr = dw_xcalloc(1, sizeof *arr);
		struct dw_die *sr = dw_xcalloc(1, sizeof *sr);
		arr->tag = DW_TAG_array_type;
		arr->type = v->type;
		arr->byte_size = arr->bit_size = arr->bit_off = arr->member_loc = -1;
		arr->child = sr;
		arr->is_synth = 2;
		sr->tag = DW_TAG_subrange_type;
		sr->has_count = 1;
		sr->count = cnt;
		struct dw_session *s = p->c->s;
		if (s->nsynth == s->capsynth) {
			s->capsynth = s->capsynth ? s->capsynth * 2 : 32;
			s->synth = realloc(s->synth, s->capsynth * sizeof *s->synth);
		}
		s->synth[s->nsynth++] = arr;
		uint64_t a = v->addr;
		dw_value_free(v);
		if (mem_value(p, arr, a, v) < 0) return -1;
	}
	return 0;
}

static int expr(struct P *p, struct dw_value *v)
{
	if (at_expr(p, v) < 0) return -1;
	while (eat(p, ",")) {
		dw_value_free(v);
		if (at_expr(p, v) < 0) return -1;
	}
	return 0;
}

/* Parse TEXT as an expression (or, when type_only is non-NULL, first try
 * it as a type name, as ptype/whatis do). */
int dw_expr_parse_eval(struct dw_ctx *c, const char *text, struct dw_value *v,
		       struct dw_die **type_only, char *err, size_t errlen)
{
	/* ptype and whatis only want a type: nothing is read (gdb's
	 * EVAL_AVOID_SIDE_EFFECTS) */
	struct P p = { .c = c, .s = text, .err = err, .errlen = errlen, .noside = type_only != NULL };
	memset(v, 0, sizeof *v);
	ws(&p);
	if (!*p.s)
		return DW_ERR(err, errlen, "Argument required (expression to compute).");
	if (type_only) {
		*type_only = NULL;
		struct dw_die *t = parse_type(&p);
		ws(&p);
		if (!p.failed && t && !*p.s) {
			*type_only = t;
			return 0;
		}
		if (p.failed) return -1;
		p.s = text;
		p.failed = 0;
	}
	if (expr(&p, v) < 0)
		return -1;
	ws(&p);
	if (*p.s) {
		dw_value_free(v);
		return DW_ERR(err, errlen, "A syntax error in expression, near `%s'.", p.s);
	}
	return 0;
}
