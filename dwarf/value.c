/* value.c — values and their gdb-style text: integers, chars ("65 'A'"),
 * floats (%.9g / %.17g like gdb), enums by name, pointers with <symbol+off>
 * and C strings, arrays with "<repeats N times>", structs "{x = 1, y = 2}",
 * bitfields, and the /x /d /u /o /t /c /a /s formats. */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPEAT_THRESHOLD 10
#define PRINT_MAX 200

void dw_value_free(struct dw_value *v)
{
	free(v->bytes);
	v->bytes = NULL;
}

void dw_value_copy(struct dw_value *dst, const struct dw_value *src)
{
	*dst = *src;
	if (src->bytes) {
		dst->bytes = dw_xcalloc(1, src->size + 8);
		memcpy(dst->bytes, src->bytes, src->size);
	}
}

int dw_value_fetch(const struct dw_target *t, struct dw_value *v)
{
	if (v->optimized_out || v->bytes)
		return 0;
	v->bytes = dw_xcalloc(1, v->size + 8);
	if (v->lval != 1)
		return 0;
	if (v->size && t->read_mem(t->ctx, v->addr, v->bytes, v->size) < 0) {
		free(v->bytes);
		v->bytes = NULL;
		return -1;
	}
	return 0;
}

static uint64_t raw_u(const struct dw_value *v)
{
	uint64_t x = 0;
	size_t n = v->size < 8 ? v->size : 8;
	if (v->bytes) memcpy(&x, v->bytes, n);
	if (v->bitsize > 0) {
		x >>= v->bitpos;
		if (v->bitsize < 64) x &= ((uint64_t)1 << v->bitsize) - 1;
	}
	return x;
}

uint64_t dw_value_u64(const struct dw_value *v)
{
	if (dw_type_is_float(v->type))
		return (uint64_t)(int64_t)dw_value_f64(v);
	return raw_u(v);
}

int64_t dw_value_s64(const struct dw_value *v)
{
	if (dw_type_is_float(v->type))
		return (int64_t)dw_value_f64(v);
	uint64_t x = raw_u(v);
	int bits = v->bitsize > 0 ? v->bitsize : (int)(v->size < 8 ? v->size * 8 : 64);
	if (dw_type_is_signed(v->type) && bits < 64 && (x >> (bits - 1)) & 1)
		x |= ~(((uint64_t)1 << bits) - 1);
	return (int64_t)x;
}

double dw_value_f64(const struct dw_value *v)
{
	if (!dw_type_is_float(v->type))
		return dw_type_is_signed(v->type) ? (double)dw_value_s64(v) : (double)raw_u(v);
	if (v->size == 4) { float f; memcpy(&f, v->bytes, 4); return f; }
	if (v->size == 8) { double d; memcpy(&d, v->bytes, 8); return d; }
	if (v->size == 16) { long double d; memcpy(&d, v->bytes, sizeof d); return (double)d; }
	return 0;
}

static void char_esc(struct dw_sb *sb, unsigned c, int quote)
{
	switch (c) {
	case '\a': dw_sb_puts(sb, "\\a"); return;
	case '\b': dw_sb_puts(sb, "\\b"); return;
	case '\f': dw_sb_puts(sb, "\\f"); return;
	case '\n': dw_sb_puts(sb, "\\n"); return;
	case '\r': dw_sb_puts(sb, "\\r"); return;
	case '\t': dw_sb_puts(sb, "\\t"); return;
	case '\v': dw_sb_puts(sb, "\\v"); return;
	case 033: dw_sb_puts(sb, "\\033"); return;
	case '\\': dw_sb_puts(sb, "\\\\"); return;
	}
	if ((int)c == quote) { dw_sb_printf(sb, "\\%c", c); return; }
	if (c >= 0x20 && c < 0x7f) dw_sb_printf(sb, "%c", c);
	else dw_sb_printf(sb, "\\%03o", c & 0xff);
}

static void print_char(struct dw_sb *sb, int64_t v)
{
	dw_sb_puts(sb, "'");
	char_esc(sb, (unsigned)(v & 0xff), '\'');
	dw_sb_puts(sb, "'");
}

/* gdb's generic_printstr: runs longer than the threshold become
 * 'c' <repeats N times> segments; truncated strings end with "...". */
static void print_str(struct dw_sb *sb, const uint8_t *s, size_t n, int ellipsis)
{
	if (n == 0) { dw_sb_puts(sb, "\"\""); if (ellipsis) dw_sb_puts(sb, "..."); return; }
	int inq = 0, first = 1;
	for (size_t i = 0; i < n;) {
		size_t r = 1;
		while (i + r < n && s[i + r] == s[i]) r++;
		if (r > REPEAT_THRESHOLD) {
			if (inq) { dw_sb_puts(sb, "\""); inq = 0; }
			if (!first) dw_sb_puts(sb, ", ");
			print_char(sb, s[i]);
			dw_sb_printf(sb, " <repeats %zu times>", r);
			i += r;
			first = 0;
			continue;
		}
		if (!inq) { if (!first) dw_sb_puts(sb, ", "); dw_sb_puts(sb, "\""); inq = 1; }
		char_esc(sb, s[i], '"');
		i++;
		first = 0;
	}
	if (inq) dw_sb_puts(sb, "\"");
	if (ellipsis) dw_sb_puts(sb, "...");
}

static void fmt_int(struct dw_sb *sb, uint64_t u, int64_t sv, int size, int is_signed, char fmt)
{
	uint64_t mask = size >= 8 ? UINT64_MAX : (((uint64_t)1 << (size * 8)) - 1);
	switch (fmt) {
	case 'x': dw_sb_printf(sb, "0x%lx", (unsigned long)(u & mask)); return;
	case 'o': if (u & mask) dw_sb_printf(sb, "0%lo", (unsigned long)(u & mask)); else dw_sb_puts(sb, "0"); return;
	case 't': {
		uint64_t x = u & mask;
		char b[65]; int k = 64; b[k] = 0;
		do { b[--k] = '0' + (x & 1); x >>= 1; } while (x);
		dw_sb_puts(sb, b + k);
		return;
	}
	case 'u': dw_sb_printf(sb, "%lu", (unsigned long)(u & mask)); return;
	case 'd': {
		int64_t x = (int64_t)(u & mask);
		if (size < 8 && (x >> (size * 8 - 1)) & 1) x |= ~(int64_t)mask;
		dw_sb_printf(sb, "%ld", (long)x);
		return;
	}
	case 'c': {
		int64_t x = (int8_t)(u & 0xff);
		dw_sb_printf(sb, "%ld ", (long)x);
		print_char(sb, x);
		return;
	}
	}
	if (is_signed) dw_sb_printf(sb, "%ld", (long)sv);
	else dw_sb_printf(sb, "%lu", (unsigned long)u);
}

static void fmt_float(struct dw_sb *sb, double d, int size)
{
	char b[64];
	snprintf(b, sizeof b, size == 4 ? "%.9g" : "%.17g", d);
	if (!strcmp(b, "inf")) dw_sb_puts(sb, "inf");
	else if (!strcmp(b, "-inf")) dw_sb_puts(sb, "-inf");
	else if (!strcmp(b, "nan") || !strcmp(b, "-nan"))
		dw_sb_printf(sb, "%snan(0x%lx)", b[0] == '-' ? "-" : "", 0x8000000000000UL);
	else dw_sb_puts(sb, b);
}

static void sub_value(struct dw_value *out, const struct dw_value *v, struct dw_die *type, size_t off, size_t size)
{
	memset(out, 0, sizeof *out);
	out->type = type;
	out->size = size;
	out->lval = v->lval == 1 ? 1 : 0;
	out->addr = v->addr + off;
	out->bytes = v->bytes ? v->bytes + off : NULL;
	for (int i = 0; i < v->ninv; i++) {
		int64_t lo = (int64_t)v->inv[i][0] - (int64_t)off * 8, hi = lo + v->inv[i][1];
		if (hi <= 0 || lo >= (int64_t)size * 8 || out->ninv >= 8) continue;
		if (lo < 0) lo = 0;
		if (hi > (int64_t)size * 8) hi = size * 8;
		out->inv[out->ninv][0] = lo;
		out->inv[out->ninv][1] = hi - lo;
		out->ninv++;
	}
}

/* Does [bit, bit+n) touch a part with no location? */
static int bits_missing(const struct dw_value *v, uint64_t bit, uint64_t n)
{
	for (int i = 0; i < v->ninv; i++)
		if (bit < v->inv[i][0] + v->inv[i][1] && v->inv[i][0] < bit + n)
			return 1;
	return 0;
}

static void format(struct dw_session *s, const struct dw_target *t, struct dw_sb *sb,
		   const struct dw_value *v, char fmt, int top);

static int is_char_elem(struct dw_die *el)
{
	return dw_type_is_char(el);
}

static void format_array(struct dw_session *s, const struct dw_target *t, struct dw_sb *sb,
			 const struct dw_value *v, struct dw_die *at, struct dw_die *sr, char fmt)
{
	/* dimensions after sr form the element type */
	struct dw_die *next_sr = NULL;
	for (struct dw_die *c = sr->next; c; c = c->next)
		if (c->tag == DW_TAG_subrange_type) { next_sr = c; break; }
	int64_t n = sr->has_count ? sr->count : sr->has_ub ? sr->ub + 1 : 0;
	int64_t esz = dw_type_size(at->type);
	for (struct dw_die *c = next_sr; c; c = c->next)
		if (c->tag == DW_TAG_subrange_type) {
			int64_t k = c->has_count ? c->count : c->has_ub ? c->ub + 1 : 0;
			esz *= k;
		}
	if (!next_sr && is_char_elem(at->type) && (fmt == 0 || fmt == 's')) {
		size_t len = n;
		if (len > 0 && v->bytes[len - 1] == 0) len--;
		int ell = 0;
		if (len > PRINT_MAX) { len = PRINT_MAX; ell = 1; }
		print_str(sb, v->bytes, len, ell);
		return;
	}
	dw_sb_puts(sb, "{");
	int64_t printed = 0;
	for (int64_t i = 0; i < n;) {
		if (printed >= PRINT_MAX) { dw_sb_puts(sb, "..."); break; }
		int64_t r = 1;
		while (i + r < n && !memcmp(v->bytes + i * esz, v->bytes + (i + r) * esz, esz)) r++;
		if (i) dw_sb_puts(sb, ", ");
		struct dw_value e;
		if (next_sr) {
			sub_value(&e, v, at, i * esz, esz);
			if (r > REPEAT_THRESHOLD) { format_array(s, t, sb, &e, at, next_sr, fmt); dw_sb_printf(sb, " <repeats %ld times>", (long)r); i += r; printed += REPEAT_THRESHOLD; continue; }
			format_array(s, t, sb, &e, at, next_sr, fmt);
		} else {
			sub_value(&e, v, at->type, i * esz, esz);
			format(s, t, sb, &e, fmt, 0);
			if (r > REPEAT_THRESHOLD) { dw_sb_printf(sb, " <repeats %ld times>", (long)r); i += r; printed += REPEAT_THRESHOLD; continue; }
		}
		i++;
		printed++;
	}
	dw_sb_puts(sb, "}");
}

static void format_ptr(struct dw_session *s, const struct dw_target *t, struct dw_sb *sb,
		       const struct dw_value *v, struct dw_die *pt, char fmt, int top)
{
	uint64_t a = raw_u(v);
	struct dw_die *target = dw_type_strip(pt->type);
	if (fmt && fmt != 'a' && fmt != 's') {
		fmt_int(sb, a, (int64_t)a, 8, 0, fmt);
		return;
	}
	int is_func = target && target->tag == DW_TAG_subroutine_type;
	struct dw_die *tcv = dw_type_strip_cv(pt->type);
	int is_str = tcv && tcv->tag == DW_TAG_base_type && dw_type_is_char(tcv);
	if (top && !is_str && fmt != 'a') {
		dw_sb_puts(sb, "(");
		dw_type_name(sb, v->type, "");
		dw_sb_puts(sb, ") ");
	}
	dw_sb_printf(sb, "0x%lx", (unsigned long)a);
	if (is_str && a) {
		struct dw_sb sym;
		dw_sb_init(&sym);
		dw_sb_addr_sym(s, &sym, a);
		if (sym.len) dw_sb_printf(sb, " %s", sym.buf);
		dw_sb_free(&sym);
		uint8_t buf[PRINT_MAX + 1];
		size_t n = 0;
		int bad = 0;
		while (n < PRINT_MAX) {
			if (t->read_mem(t->ctx, a + n, &buf[n], 1) < 0) { bad = 1; break; }
			if (!buf[n]) break;
			n++;
		}
		dw_sb_puts(sb, " ");
		if (bad && n == 0)
			dw_sb_printf(sb, "<error: Cannot access memory at address 0x%lx>", (unsigned long)a);
		else
			print_str(sb, buf, n, n == PRINT_MAX);
		return;
	}
	if (a && (is_func || fmt == 'a' || 1)) {
		struct dw_sb sym;
		dw_sb_init(&sym);
		dw_sb_addr_sym(s, &sym, a);
		if (sym.len && (is_func || fmt == 'a' || !strchr(sym.buf, '+') || 1))
			dw_sb_printf(sb, " %s", sym.buf);
		dw_sb_free(&sym);
	}
}

static void format(struct dw_session *s, const struct dw_target *t, struct dw_sb *sb,
		   const struct dw_value *v, char fmt, int top)
{
	if (v->optimized_out) { dw_sb_puts(sb, "<optimized out>"); return; }
	if (!v->bytes) { dw_sb_printf(sb, "<error: Cannot access memory at address 0x%lx>", (unsigned long)v->addr); return; }
	struct dw_die *ty = dw_type_strip(v->type);
	if (!ty) { dw_sb_puts(sb, "void"); return; }
	switch (ty->tag) {
	case DW_TAG_base_type: {
		int size = (int)v->size;
		if (ty->encoding == DW_ATE_float) {
			double d = dw_value_f64(v);
			if (fmt && fmt != 'f' && fmt != 's') fmt_int(sb, (uint64_t)(int64_t)d, (int64_t)d, size, 1, fmt);
			else fmt_float(sb, d, size);
			return;
		}
		if (ty->encoding == DW_ATE_boolean && !fmt) {
			uint64_t b = raw_u(v);
			if (b <= 1) dw_sb_puts(sb, b ? "true" : "false");
			else dw_sb_printf(sb, "%lu", (unsigned long)b);
			return;
		}
		if (fmt == 'a') { uint64_t a = raw_u(v); dw_sb_printf(sb, "0x%lx", (unsigned long)a); struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, a); if (sy.len) dw_sb_printf(sb, " %s", sy.buf); dw_sb_free(&sy); return; }
		int is_signed = dw_type_is_signed(ty);
		uint64_t u = raw_u(v);
		/* a bitfield is shown as a value of its declared type: gdb's
		 * p/x of a signed "int f : 5" holding -9 is 0xfffffff7 */
		if (v->bitsize > 0) {
			size = ty->byte_size > 0 ? (int)ty->byte_size : (v->bitsize + 7) / 8;
			if (is_signed) u = (uint64_t)dw_value_s64(v);
		}
		fmt_int(sb, u, dw_value_s64(v), size, is_signed, fmt == 's' ? 0 : fmt);
		if (dw_type_is_char(ty) && (fmt == 0 || fmt == 's')) {
			dw_sb_puts(sb, " ");
			print_char(sb, dw_value_s64(v));
		}
		return;
	}
	case DW_TAG_enumeration_type: {
		int64_t x = dw_value_s64(v);
		if (!fmt || fmt == 's') {
			for (struct dw_die *c = ty->child; c; c = c->next)
				if (c->tag == DW_TAG_enumerator && c->const_value == x) { dw_sb_puts(sb, c->name); return; }
			dw_sb_printf(sb, "%ld", (long)x);
			return;
		}
		fmt_int(sb, raw_u(v), x, (int)v->size, 1, fmt);
		return;
	}
	case DW_TAG_pointer_type: case DW_TAG_reference_type: {
		struct dw_value pv = *v;
		pv.type = v->type;
		format_ptr(s, t, sb, &pv, ty, fmt, top);
		return;
	}
	case DW_TAG_array_type: {
		struct dw_die *sr = NULL;
		for (struct dw_die *c = ty->child; c; c = c->next)
			if (c->tag == DW_TAG_subrange_type) { sr = c; break; }
		if (!sr || (!sr->has_count && !sr->has_ub)) {
			/* flexible array member: gdb shows where it starts */
			dw_sb_printf(sb, "0x%lx", (unsigned long)v->addr);
			return;
		}
		format_array(s, t, sb, v, ty, sr, fmt);
		return;
	}
	case DW_TAG_structure_type: case DW_TAG_union_type: {
		dw_sb_puts(sb, "{");
		int n = 0;
		for (struct dw_die *m = ty->child; m; m = m->next) {
			if (m->tag != DW_TAG_member) continue;
			if (n++) dw_sb_puts(sb, ", ");
			if (m->name) dw_sb_printf(sb, "%s = ", m->name);
			struct dw_value mv;
			int64_t msz = dw_type_size(m->type);
			if (m->bit_size > 0) {
				int64_t bo = m->bit_off >= 0 ? m->bit_off : (m->member_loc > 0 ? m->member_loc * 8 : 0);
				size_t byte = (bo / 8) & ~(size_t)0;
				if (bits_missing(v, bo, m->bit_size)) { dw_sb_puts(sb, "<optimized out>"); continue; }
				sub_value(&mv, v, m->type, byte, 8);
				uint8_t tmp[16] = { 0 };
				size_t avail = v->size > byte ? v->size - byte : 0;
				memcpy(tmp, v->bytes + byte, avail < 8 ? avail : 8);
				mv.bytes = tmp;
				mv.bitpos = bo % 8;
				mv.bitsize = (int)m->bit_size;
				mv.size = msz > 0 ? msz : 4;
				format(s, t, sb, &mv, fmt, 0);
				continue;
			}
			size_t off = m->member_loc > 0 ? m->member_loc : 0;
			if (msz < 0) msz = 0;
			if (off + msz > v->size) msz = v->size > off ? v->size - off : 0;
			sub_value(&mv, v, m->type, off, msz);
			if (mv.ninv && bits_missing(&mv, 0, msz * 8) && dw_type_strip(m->type) &&
			    dw_type_strip(m->type)->tag == DW_TAG_base_type) { dw_sb_puts(sb, "<optimized out>"); continue; }
			format(s, t, sb, &mv, fmt, 0);
		}
		dw_sb_puts(sb, "}");
		return;
	}
	case DW_TAG_subprogram: case DW_TAG_subroutine_type:
		dw_sb_puts(sb, "{");
		dw_type_name(sb, ty, "");
		dw_sb_printf(sb, "} 0x%lx ", (unsigned long)v->addr);
		dw_sb_addr_sym(s, sb, v->addr);
		return;
	}
	dw_sb_puts(sb, "<unknown type>");
}

void dw_value_format(struct dw_session *s, const struct dw_target *t,
		     struct dw_sb *sb, const struct dw_value *v, char fmt, int top)
{
	format(s, t, sb, v, fmt, top);
}
