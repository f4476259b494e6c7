/* types.c — C types from DWARF: sizes, classification, names in C
 * declarator syntax ("int (*)(const void *, const void *)", "int [2][3]")
 * and ptype bodies laid out the way gdb prints them.  Synthetic types
 * (literals, "&x", "$sp") are DIEs owned by the session. */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dw_die *dw_type_strip_cv(struct dw_die *t)
{
	while (t && (t->tag == DW_TAG_const_type || t->tag == DW_TAG_volatile_type ||
		     t->tag == DW_TAG_restrict_type || t->tag == DW_TAG_atomic_type))
		t = t->type;
	return t;
}

struct dw_die *dw_type_strip(struct dw_die *t)
{
	while (t && (t->tag == DW_TAG_typedef || t->tag == DW_TAG_const_type ||
		     t->tag == DW_TAG_volatile_type || t->tag == DW_TAG_restrict_type ||
		     t->tag == DW_TAG_atomic_type))
		t = t->type;
	return t;
}

static int64_t dim_count(struct dw_die *sr)
{
	if (sr->has_count) return sr->count;
	if (sr->has_ub) return sr->ub + 1;
	return -1;
}

int64_t dw_type_size(struct dw_die *t)
{
	t = dw_type_strip(t);
	if (!t) return 1;	/* void: gdb's sizeof(void) is 1 */
	if (t->byte_size >= 0) return t->byte_size;
	switch (t->tag) {
	case DW_TAG_pointer_type: case DW_TAG_reference_type: return 8;
	case DW_TAG_enumeration_type: return 4;
	case DW_TAG_subroutine_type: case DW_TAG_subprogram: return 1;
	case DW_TAG_array_type: {
		int64_t n = dw_type_size(t->type);
		for (struct dw_die *c = t->child; c; c = c->next)
			if (c->tag == DW_TAG_subrange_type) {
				int64_t k = dim_count(c);
				n *= k < 0 ? 0 : k;
			}
		return n;
	}
	}
	return -1;
}

int dw_type_is_float(struct dw_die *t)
{
	t = dw_type_strip(t);
	return t && t->tag == DW_TAG_base_type && (t->encoding == DW_ATE_float);
}

int dw_type_is_char(struct dw_die *t)
{
	t = dw_type_strip(t);
	return t && t->tag == DW_TAG_base_type && dw_type_size(t) == 1 &&
	       (t->encoding == DW_ATE_signed_char || t->encoding == DW_ATE_unsigned_char);
}

int dw_type_is_int(struct dw_die *t)
{
	t = dw_type_strip(t);
	if (!t) return 0;
	if (t->tag == DW_TAG_enumeration_type) return 1;
	return t->tag == DW_TAG_base_type && t->encoding != DW_ATE_float;
}

int dw_type_is_signed(struct dw_die *t)
{
	t = dw_type_strip(t);
	if (!t) return 0;
	if (t->tag == DW_TAG_enumeration_type) {
		if (t->type) return dw_type_is_signed(t->type);
		for (struct dw_die *c = t->child; c; c = c->next)
			if (c->const_value < 0) return 1;
		return 0;
	}
	return t->tag == DW_TAG_base_type && (t->encoding == DW_ATE_signed ||
		t->encoding == DW_ATE_signed_char || t->encoding == DW_ATE_float);
}

int dw_type_is_ptr(struct dw_die *t)
{
	t = dw_type_strip(t);
	return t && (t->tag == DW_TAG_pointer_type || t->tag == DW_TAG_reference_type);
}

static const char *tag_kw(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type: return "struct ";
	case DW_TAG_union_type: return "union ";
	case DW_TAG_enumeration_type: return "enum ";
	}
	return "";
}

static void body(struct dw_sb *sb, struct dw_die *t, int indent);

/* Print t with the declarator `inner` (may be ""); expand: print the body
 * of the innermost struct/union/enum (ptype). */
static void tname(struct dw_sb *sb, struct dw_die *t, const char *inner, int expand, int indent)
{
	char buf[1024];
	const char *sp = *inner ? " " : "";
	if (!t) {
		dw_sb_printf(sb, "void%s%s", sp, inner);
		return;
	}
	switch (t->tag) {
	case DW_TAG_pointer_type: case DW_TAG_reference_type: {
		struct dw_die *p = t->type;
		struct dw_die *ps = dw_type_strip_cv(p);
		int paren = ps && (ps->tag == DW_TAG_array_type || ps->tag == DW_TAG_subroutine_type);
		snprintf(buf, sizeof buf, paren ? "(%s%s)" : "%s%s", t->tag == DW_TAG_pointer_type ? "*" : "&", inner);
		tname(sb, p, buf, expand, indent);
		return;
	}
	case DW_TAG_const_type: case DW_TAG_volatile_type: case DW_TAG_restrict_type:
	case DW_TAG_atomic_type: {
		/* gdb prints qualifiers in a fixed order: const volatile restrict */
		int qc = 0, qv = 0, qr = 0;
		struct dw_die *u = t;
		while (u && (u->tag == DW_TAG_const_type || u->tag == DW_TAG_volatile_type ||
			     u->tag == DW_TAG_restrict_type || u->tag == DW_TAG_atomic_type)) {
			if (u->tag == DW_TAG_const_type) qc = 1;
			else if (u->tag == DW_TAG_volatile_type) qv = 1;
			else if (u->tag == DW_TAG_restrict_type) qr = 1;
			u = u->type;
		}
		char q[64];
		snprintf(q, sizeof q, "%s%s%s", qc ? "const " : "", qv ? "volatile " : "", qr ? "restrict " : "");
		q[strlen(q) - 1] = 0;
		if (u && u->tag == DW_TAG_pointer_type) {
			snprintf(buf, sizeof buf, " %s%s%s", q, sp, inner);
			tname(sb, u, buf, expand, indent);
		} else {
			dw_sb_printf(sb, "%s ", q);
			tname(sb, u, inner, expand, indent);
		}
		return;
	}
	case DW_TAG_typedef:
		if (expand == 1) {
			tname(sb, t->type, inner, expand, indent);
			return;
		}
		dw_sb_printf(sb, "%s%s%s", t->name ? t->name : "<unnamed>", sp, inner);
		return;
	case DW_TAG_array_type: {
		int paren = inner[0] == '*' || inner[0] == '&';
		int k = snprintf(buf, sizeof buf, paren ? "(%s)" : "%s", inner);
		for (struct dw_die *c = t->child; c && k < 1000; c = c->next) {
			if (c->tag != DW_TAG_subrange_type) continue;
			int64_t n = dim_count(c);
			k += n >= 0 ? snprintf(buf + k, sizeof buf - k, "[%ld]", (long)n) : snprintf(buf + k, sizeof buf - k, "[]");
		}
		tname(sb, t->type, buf, expand, indent);
		return;
	}
	case DW_TAG_subroutine_type: case DW_TAG_subprogram: {
		int paren = inner[0] == '*' || inner[0] == '&';
		struct dw_sb p;
		dw_sb_init(&p);
		dw_sb_printf(&p, paren ? "(%s)(" : "%s(", inner);
		int n = 0, varargs = 0;
		for (struct dw_die *c = t->child; c; c = c->next) {
			if (c->tag == DW_TAG_formal_parameter) {
				if (n++) dw_sb_puts(&p, ", ");
				tname(&p, c->type, "", 0, 0);
			} else if (c->tag == DW_TAG_unspecified_parameters)
				varargs = 1;
		}
		if (varargs) dw_sb_puts(&p, n ? ", ..." : "...");
		else if (!n && t->prototyped) dw_sb_puts(&p, "void");
		dw_sb_puts(&p, ")");
		tname(sb, t->type, p.buf, expand, indent);
		dw_sb_free(&p);
		return;
	}
	case DW_TAG_structure_type: case DW_TAG_union_type: case DW_TAG_enumeration_type:
		dw_sb_printf(sb, "%s", tag_kw(t->tag));
		if (t->name) dw_sb_printf(sb, "%s", t->name);
		if (expand == 1 || (!t->name && expand == 2)) {
			if (t->name) dw_sb_puts(sb, " ");
			body(sb, t, indent);
		} else if (!t->name) {
			dw_sb_puts(sb, "{...}");
		}
		dw_sb_printf(sb, "%s%s", sp, inner);
		return;
	default: {
		const char *nm = t->name ? t->name : "<unnamed>";
		if (t->tag == DW_TAG_base_type) nm = dw_type_canon(nm);
		dw_sb_printf(sb, "%s%s%s", nm, sp, inner);
	}
	}
}

static void body(struct dw_sb *sb, struct dw_die *t, int indent)
{
	if (t->tag == DW_TAG_enumeration_type) {
		dw_sb_puts(sb, "{");
		int64_t next = 0;
		int n = 0;
		for (struct dw_die *c = t->child; c; c = c->next) {
			if (c->tag != DW_TAG_enumerator) continue;
			dw_sb_printf(sb, "%s%s", n++ ? ", " : "", c->name);
			if (c->const_value != next)
				dw_sb_printf(sb, " = %ld", (long)c->const_value);
			next = c->const_value + 1;
		}
		dw_sb_puts(sb, "}");
		return;
	}
	if (t->declaration) {
		dw_sb_puts(sb, "{\n");
		dw_sb_printf(sb, "%*s<incomplete type>\n", indent + 4, "");
		dw_sb_printf(sb, "%*s}", indent, "");
		return;
	}
	dw_sb_puts(sb, "{\n");
	for (struct dw_die *c = t->child; c; c = c->next) {
		if (c->tag != DW_TAG_member) continue;
		dw_sb_printf(sb, "%*s", indent + 4, "");
		tname(sb, c->type, c->name ? c->name : "", 2, indent + 4);
		if (c->bit_size > 0)
			dw_sb_printf(sb, " : %ld", (long)c->bit_size);
		dw_sb_puts(sb, ";\n");
	}
	dw_sb_printf(sb, "%*s}", indent, "");
}

void dw_type_name(struct dw_sb *sb, struct dw_die *t, const char *declname)
{
	tname(sb, t, declname ? declname : "", 0, 0);
}

void dw_type_ptype(struct dw_sb *sb, struct dw_die *t, int expand)
{
	if (expand)
		while (t && t->tag == DW_TAG_typedef)
			t = t->type;
	tname(sb, t, "", expand, 0);
}

struct dw_die *dw_synth(struct dw_session *s, int tag, const char *name,
			int64_t size, int enc, struct dw_die *target)
{
	for (int i = 0; i < s->nsynth; i++) {
		struct dw_die *d = s->synth[i];
		if (d->tag == tag && d->byte_size == size && d->encoding == enc && d->type == target &&
		    ((!d->name && !name) || (d->name && name && !strcmp(d->name, name))) && !d->child)
			return d;
	}
	struct dw_die *d = dw_xcalloc(1, sizeof *d + (name ? strlen(name) + 1 : 0));
	d->tag = tag;
	d->byte_size = size;
	d->encoding = enc;
	d->type = target;
	d->bit_size = d->bit_off = d->member_loc = -1;
	d->is_synth = 1;
	if (name) {
		char *nm = (char *)(d + 1);
		strcpy(nm, name);
		d->name = nm;
	}
	if (s->nsynth == s->capsynth) {
		s->capsynth = s->capsynth ? s->capsynth * 2 : 32;
		s->synth = realloc(s->synth, s->capsynth * sizeof *s->synth);
	}
	s->synth[s->nsynth++] = d;
	return d;
}

static const struct { const char *name; int size, enc; } builtin[] = {
	{ "int", 4, DW_ATE_signed }, { "unsigned int", 4, DW_ATE_unsigned },
	{ "long", 8, DW_ATE_signed }, { "unsigned long", 8, DW_ATE_unsigned },
	{ "char", 1, DW_ATE_signed_char }, { "unsigned char", 1, DW_ATE_unsigned_char },
	{ "signed char", 1, DW_ATE_signed_char },
	{ "short", 2, DW_ATE_signed }, { "unsigned short", 2, DW_ATE_unsigned },
	{ "long long", 8, DW_ATE_signed }, { "unsigned long long", 8, DW_ATE_unsigned },
	{ "double", 8, DW_ATE_float }, { "float", 4, DW_ATE_float },
	{ "long double", 16, DW_ATE_float }, { "_Bool", 1, DW_ATE_boolean },
};

/* gcc's DWARF names ("long int") and gdb's spellings ("long") are one type. */
const char *dw_type_canon(const char *n)
{
	static const char *const map[][2] = {
		{ "long int", "long" }, { "long unsigned int", "unsigned long" },
		{ "short int", "short" }, { "short unsigned int", "unsigned short" },
		{ "long long int", "long long" }, { "long long unsigned int", "unsigned long long" },
		{ "unsigned", "unsigned int" }, { "signed", "int" }, { "signed int", "int" },
		{ "long signed int", "long" }, { "unsigned long int", "unsigned long" },
		{ "unsigned short int", "unsigned short" }, { "signed short", "short" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(n, map[i][0])) return map[i][1];
	return n;
}

static struct dw_die *base_type_scan(struct dw_session *s, const char *name);

/* Literals and casts ask for "int" and friends all the time: cache them
 * (a scan over every DIE of libc's debug info is not free). */
struct dw_die *dw_base_type(struct dw_session *s, const char *name)
{
	for (int i = 0; i < s->nbtcache; i++)
		if (!strcmp(s->btcache[i].name, name))
			return s->btcache[i].d;
	struct dw_die *d = base_type_scan(s, name);
	if (d && s->nbtcache < (int)(sizeof s->btcache / sizeof s->btcache[0]) && strlen(name) < 32) {
		strcpy(s->btcache[s->nbtcache].name, name);
		s->btcache[s->nbtcache++].d = d;
	}
	return d;
}

static struct dw_die *base_type_scan(struct dw_session *s, const char *name)
{
	const char *cn = dw_type_canon(name);
	for (int i = 0; i < s->nobjs; i++) {
		struct dw_obj *o = s->objs[i];
		for (size_t k = 0; k < o->ndies; k++) {
			struct dw_die *d = o->dies[k];
			if (d->tag == DW_TAG_base_type && d->name && !strcmp(dw_type_canon(d->name), cn))
				return d;
		}
	}
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (!strcmp(builtin[i].name, cn))
			return dw_synth(s, DW_TAG_base_type, builtin[i].name, builtin[i].size, builtin[i].enc, NULL);
	return NULL;
}

struct dw_die *dw_find_type(struct dw_session *s, struct dw_ctx *c, int tag, const char *name)
{
	if (tag == DW_TAG_base_type)
		return dw_base_type(s, name);
	struct dw_die *decl = NULL;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->nobjs; i++) {
			struct dw_obj *o = s->objs[i];
			if (pass == 0 && c && c->obj && o != c->obj) continue;
			for (size_t k = 0; k < o->ndies; k++) {
				struct dw_die *d = o->dies[k];
				if (d->tag != tag || !d->name || strcmp(d->name, name)) continue;
				if (pass == 0 && c && c->func && d->cu != c->func->cu) continue;
				if (!d->declaration) return d;
				decl = d;
			}
		}
	return decl;
}
