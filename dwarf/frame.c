/* frame.c — unwinding with call frame information.  Parses .eh_frame (and
 * .debug_frame) directly: find the FDE covering a pc, run its CIE and FDE
 * programs to get the CFA rule and the register rules, then compute the
 * caller's registers.  Handles the 'S' (signal frame) augmentation and the
 * DW_CFA_*expression rules glibc's __restore_rt uses, so backtraces go
 * through signal handlers; unmentioned registers keep their value, as gdb
 * assumes.  Caller frames look up pc-1 (the call, not the return address). */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_UNDEF, R_SAME, R_OFF, R_VALOFF, R_REG, R_EXPR, R_VALEXPR };
struct rule { int kind; int64_t n; const uint8_t *expr; size_t elen; };
struct cfstate {
	struct rule r[DW_NREGS];
	int cfa_reg; int64_t cfa_off;
	const uint8_t *cfa_expr; size_t cfa_elen;
};

struct cie {
	uint64_t code_align; int64_t data_align; int ra;
	uint8_t fde_enc, signal, has_z;
	const uint8_t *insns, *end;
};

static uint64_t uleb(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0; int sh = 0;
	while (*p < end) {
		uint8_t b = *(*p)++;
		if (sh < 64) v |= (uint64_t)(b & 0x7f) << sh;
		sh += 7;
		if (!(b & 0x80)) break;
	}
	return v;
}

static int64_t sleb(const uint8_t **p, const uint8_t *end)
{
	int64_t v = 0; int sh = 0; uint8_t b = 0;
	while (*p < end) {
		b = *(*p)++;
		if (sh < 64) v |= (int64_t)(b & 0x7f) << sh;
		sh += 7;
		if (!(b & 0x80)) break;
	}
	if (sh < 64 && (b & 0x40)) v |= -((int64_t)1 << sh);
	return v;
}

static uint64_t enc_ptr(const uint8_t **p, const uint8_t *end, uint8_t enc, uint64_t secaddr, const uint8_t *sec)
{
	const uint8_t *start = *p;
	uint64_t v = 0;
	if (enc == 0xff) return 0;
	switch (enc & 0x0f) {
	case 0x00: memcpy(&v, *p, 8); *p += 8; break;
	case 0x01: v = uleb(p, end); break;
	case 0x02: { uint16_t x; memcpy(&x, *p, 2); v = x; *p += 2; break; }
	case 0x03: { uint32_t x; memcpy(&x, *p, 4); v = x; *p += 4; break; }
	case 0x04: memcpy(&v, *p, 8); *p += 8; break;
	case 0x09: v = sleb(p, end); break;
	case 0x0a: { int16_t x; memcpy(&x, *p, 2); v = x; *p += 2; break; }
	case 0x0b: { int32_t x; memcpy(&x, *p, 4); v = (int64_t)x; *p += 4; break; }
	case 0x0c: memcpy(&v, *p, 8); *p += 8; break;
	}
	if ((enc & 0x70) == 0x10)
		v += secaddr + (start - sec);
	return v;
}

static int parse_cie(const uint8_t *p, const uint8_t *end, int eh, struct cie *c)
{
	memset(c, 0, sizeof *c);
	uint8_t ver = *p++;
	const char *aug = (const char *)p;
	p += strlen(aug) + 1;
	if (ver >= 4) p += 2;	/* address_size, segment_size */
	c->code_align = uleb(&p, end);
	c->data_align = sleb(&p, end);
	c->ra = ver == 1 ? *p++ : (int)uleb(&p, end);
	c->fde_enc = eh ? 0 : 0x04;
	if (aug[0] == 'z') {
		c->has_z = 1;
		uint64_t len = uleb(&p, end);
		const uint8_t *ad = p;
		for (const char *a = aug + 1; *a; a++) {
			if (*a == 'R') c->fde_enc = *ad++;
			else if (*a == 'L') ad++;
			else if (*a == 'P') { uint8_t pe = *ad++; enc_ptr(&ad, end, pe & 0x7f, 0, ad); }
			else if (*a == 'S') c->signal = 1;
		}
		p += len;
	}
	for (const char *a = aug; *a; a++)
		if (*a == 'S') c->signal = 1;
	c->insns = p;
	c->end = end;
	return 0;
}

/* Find the FDE covering lpc in one CFI section; fills cie and the FDE's
 * instruction range and start address. */
static int find_fde(const uint8_t *sec, size_t size, uint64_t secaddr, int eh, uint64_t lpc,
		    struct cie *c, const uint8_t **fi, const uint8_t **fe, uint64_t *start)
{
	const uint8_t *p = sec, *end = sec + size;
	while (p + 4 <= end) {
		uint64_t len;
		uint32_t l32;
		memcpy(&l32, p, 4);
		const uint8_t *ent = p;
		p += 4;
		if (l32 == 0) { if (eh) break; else continue; }
		int dw64 = l32 == 0xffffffff;
		if (dw64) { memcpy(&len, p, 8); p += 8; } else len = l32;
		const uint8_t *body = p, *next = p + len;
		if (next > end) break;
		uint64_t id;
		if (dw64) { memcpy(&id, p, 8); p += 8; } else { uint32_t x; memcpy(&x, p, 4); id = x; p += 4; }
		int is_cie = eh ? id == 0 : (dw64 ? id == UINT64_MAX : id == 0xffffffff);
		(void)ent;
		if (!is_cie) {
			const uint8_t *ciep = eh ? body - id : sec + id;
			if (ciep < sec || ciep >= end) { p = next; continue; }
			/* CIE body starts after its length and id fields */
			const uint8_t *cp = ciep;
			uint32_t cl; memcpy(&cl, cp, 4); cp += 4;
			const uint8_t *cend = cp + cl;
			cp += 4;
			struct cie ci;
			parse_cie(cp, cend, eh, &ci);
			uint64_t lo = enc_ptr(&p, next, ci.fde_enc, secaddr, sec);
			uint64_t range = enc_ptr(&p, next, ci.fde_enc & 0x0f, secaddr, sec);
			if (lpc >= lo && lpc < lo + range) {
				if (ci.has_z) { uint64_t al = uleb(&p, next); p += al; }
				*c = ci;
				c->end = cend;
				*fi = p;
				*fe = next;
				*start = lo;
				return 0;
			}
		}
		p = next;
	}
	return -1;
}

static void run_cfa(const struct cie *c, const uint8_t *p, const uint8_t *end, uint64_t loc,
		    uint64_t target, struct cfstate *st, const struct cfstate *init)
{
	struct cfstate stack[16];
	int sp = 0;
	while (p < end) {
		uint8_t op = *p++;
		uint8_t hi = op & 0xc0, lo6 = op & 0x3f;
		uint64_t reg, off;
		if (hi == DW_CFA_advance_loc) {
			loc += lo6 * c->code_align;
			if (loc > target) return;
			continue;
		}
		if (hi == DW_CFA_offset) {
			off = uleb(&p, end);
			if (lo6 < DW_NREGS) { st->r[lo6].kind = R_OFF; st->r[lo6].n = off * c->data_align; }
			continue;
		}
		if (hi == DW_CFA_restore) {
			if (lo6 < DW_NREGS && init) st->r[lo6] = init->r[lo6];
			continue;
		}
		switch (op) {
		case DW_CFA_nop: break;
		case DW_CFA_set_loc: memcpy(&loc, p, 8); p += 8; if (loc > target) return; break;
		case DW_CFA_advance_loc1: loc += *p++ * c->code_align; if (loc > target) return; break;
		case DW_CFA_advance_loc2: { uint16_t x; memcpy(&x, p, 2); p += 2; loc += x * c->code_align; if (loc > target) return; break; }
		case DW_CFA_advance_loc4: { uint32_t x; memcpy(&x, p, 4); p += 4; loc += x * c->code_align; if (loc > target) return; break; }
		case DW_CFA_offset_extended:
			reg = uleb(&p, end); off = uleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = R_OFF; st->r[reg].n = off * c->data_align; }
			break;
		case DW_CFA_offset_extended_sf:
			reg = uleb(&p, end); { int64_t so = sleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = R_OFF; st->r[reg].n = so * c->data_align; } }
			break;
		case DW_CFA_val_offset:
			reg = uleb(&p, end); off = uleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = R_VALOFF; st->r[reg].n = off * c->data_align; }
			break;
		case DW_CFA_val_offset_sf:
			reg = uleb(&p, end); { int64_t so = sleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = R_VALOFF; st->r[reg].n = so * c->data_align; } }
			break;
		case DW_CFA_restore_extended:
			reg = uleb(&p, end);
			if (reg < DW_NREGS && init) st->r[reg] = init->r[reg];
			break;
		case DW_CFA_undefined:
			reg = uleb(&p, end);
			if (reg < DW_NREGS) st->r[reg].kind = R_UNDEF;
			break;
		case DW_CFA_same_value:
			reg = uleb(&p, end);
			if (reg < DW_NREGS) st->r[reg].kind = R_SAME;
			break;
		case DW_CFA_register:
			reg = uleb(&p, end); off = uleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = R_REG; st->r[reg].n = off; }
			break;
		case DW_CFA_remember_state: if (sp < 16) stack[sp++] = *st; break;
		case DW_CFA_restore_state: if (sp > 0) { struct cfstate keep = *st; *st = stack[--sp]; (void)keep; } break;
		case DW_CFA_def_cfa: st->cfa_reg = uleb(&p, end); st->cfa_off = uleb(&p, end); st->cfa_expr = NULL; break;
		case DW_CFA_def_cfa_sf: st->cfa_reg = uleb(&p, end); st->cfa_off = sleb(&p, end) * c->data_align; st->cfa_expr = NULL; break;
		case DW_CFA_def_cfa_register: st->cfa_reg = uleb(&p, end); st->cfa_expr = NULL; break;
		case DW_CFA_def_cfa_offset: st->cfa_off = uleb(&p, end); break;
		case DW_CFA_def_cfa_offset_sf: st->cfa_off = sleb(&p, end) * c->data_align; break;
		case DW_CFA_def_cfa_expression:
			st->cfa_elen = uleb(&p, end); st->cfa_expr = p; p += st->cfa_elen; break;
		case DW_CFA_expression: case DW_CFA_val_expression:
			reg = uleb(&p, end); off = uleb(&p, end);
			if (reg < DW_NREGS) { st->r[reg].kind = op == DW_CFA_expression ? R_EXPR : R_VALEXPR; st->r[reg].expr = p; st->r[reg].elen = off; }
			p += off;
			break;
		case DW_CFA_GNU_args_size: uleb(&p, end); break;
		default: return;	/* unknown: stop interpreting */
		}
	}
}

/* Minimal evaluator for the raw expressions CFI uses (PLT, __restore_rt). */
static int cfi_expr(const struct dw_target *t, const struct dw_frame *f, const uint8_t *p,
		    size_t len, uint64_t push, int has_push, uint64_t *out)
{
	uint64_t st[64];
	int sp = 0;
	const uint8_t *end = p + len;
	if (has_push) st[sp++] = push;
	while (p < end && sp < 63) {
		uint8_t op = *p++;
		if (op >= DW_OP_lit0 && op <= DW_OP_lit31) { st[sp++] = op - DW_OP_lit0; continue; }
		if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
			int r = op - DW_OP_breg0;
			int64_t o = sleb(&p, end);
			if (r >= DW_NREGS || !(f->valid & (1u << r))) return -1;
			st[sp++] = f->regs[r] + o;
			continue;
		}
		switch (op) {
		case DW_OP_deref: if (!sp || t->read_mem(t->ctx, st[sp - 1], &st[sp - 1], 8) < 0) return -1; break;
		case DW_OP_plus_uconst: if (!sp) return -1; st[sp - 1] += uleb(&p, end); break;
		case DW_OP_constu: st[sp++] = uleb(&p, end); break;
		case DW_OP_consts: st[sp++] = sleb(&p, end); break;
		case DW_OP_const1u: st[sp++] = *p++; break;
		case DW_OP_const1s: st[sp++] = (int8_t)*p++; break;
		case DW_OP_plus: if (sp < 2) return -1; sp--; st[sp - 1] += st[sp]; break;
		case DW_OP_minus: if (sp < 2) return -1; sp--; st[sp - 1] -= st[sp]; break;
		case DW_OP_and: if (sp < 2) return -1; sp--; st[sp - 1] &= st[sp]; break;
		case DW_OP_shl: if (sp < 2) return -1; sp--; st[sp - 1] <<= st[sp]; break;
		case DW_OP_ge: if (sp < 2) return -1; sp--; st[sp - 1] = (int64_t)st[sp - 1] >= (int64_t)st[sp]; break;
		default: return -1;
		}
	}
	if (!sp) return -1;
	*out = st[sp - 1];
	return 0;
}

static int lookup(struct dw_obj *o, uint64_t lpc, struct cie *c, const uint8_t **fi,
		  const uint8_t **fe, uint64_t *start)
{
	if (o->eh_frame && find_fde(o->eh_frame, o->eh_frame_size, o->eh_frame_addr, 1, lpc, c, fi, fe, start) == 0)
		return 0;
	if (o->debug_frame && find_fde(o->debug_frame, o->debug_frame_size, 0, 0, lpc, c, fi, fe, start) == 0)
		return 0;
	return -1;
}

int dw_cfi_step(struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *in, struct dw_frame *out)
{
	uint64_t pc = in->pc;
	uint64_t look = (in->phys > 0 && !in->signal_frame) ? pc - 1 : pc;
	struct dw_obj *o = dw_obj_for_addr(s, look);
	memset(out, 0, sizeof *out);
	out->level = in->level + 1;
	out->phys = in->phys + 1;
	struct cie c;
	const uint8_t *fi, *fe;
	uint64_t start;
	if (!o || lookup(o, look - o->bias, &c, &fi, &fe, &start) < 0) {
		/* no CFI: try the frame-pointer chain */
		if (!(in->valid & (1u << DW_REG_RBP)) || !in->regs[DW_REG_RBP])
			return -1;
		uint64_t fp = in->regs[DW_REG_RBP], v[2];
		if (t->read_mem(t->ctx, fp, v, 16) < 0)
			return -1;
		*out = *in;
		out->level = in->level + 1;
		out->phys = in->phys + 1;
		out->inline_depth = 0;
		out->signal_frame = 0;
		out->regs[DW_REG_RBP] = v[0];
		out->regs[DW_REG_RIP] = out->pc = v[1];
		out->regs[DW_REG_RSP] = out->cfa = fp + 16;
		in = out;
		return out->pc ? 0 : -1;
	}
	struct cfstate init, st;
	memset(&init, 0, sizeof init);
	for (int i = 0; i < DW_NREGS; i++) init.r[i].kind = R_SAME;
	run_cfa(&c, c.insns, c.end, start, UINT64_MAX, &init, NULL);
	st = init;
	run_cfa(&c, fi, fe, start, look - o->bias, &st, &init);
	uint64_t cfa;
	if (st.cfa_expr) {
		if (cfi_expr(t, in, st.cfa_expr, st.cfa_elen, 0, 0, &cfa) < 0)
			return -1;
	} else {
		if (st.cfa_reg >= DW_NREGS || !(in->valid & (1u << st.cfa_reg)))
			return -1;
		cfa = in->regs[st.cfa_reg] + st.cfa_off;
	}
	out->cfa = cfa;
	for (int i = 0; i < DW_NREGS; i++) {
		struct rule *r = &st.r[i];
		uint64_t v = 0, a;
		int ok = 1;
		switch (r->kind) {
		case R_UNDEF: ok = 0; break;
		case R_SAME: v = in->regs[i]; ok = !!(in->valid & (1u << i)); break;
		case R_OFF: ok = t->read_mem(t->ctx, cfa + r->n, &v, 8) == 0; break;
		case R_VALOFF: v = cfa + r->n; break;
		case R_REG: ok = r->n < DW_NREGS && (in->valid & (1u << r->n)); if (ok) v = in->regs[r->n]; break;
		case R_EXPR: ok = cfi_expr(t, in, r->expr, r->elen, cfa, 1, &a) == 0 && t->read_mem(t->ctx, a, &v, 8) == 0; break;
		case R_VALEXPR: ok = cfi_expr(t, in, r->expr, r->elen, cfa, 1, &v) == 0; break;
		}
		if (ok) { out->regs[i] = v; out->valid |= 1u << i; }
	}
	if (c.ra != DW_REG_RIP && c.ra < DW_NREGS) {
		out->regs[DW_REG_RIP] = out->regs[c.ra];
	}
	if (st.r[c.ra < DW_NREGS ? c.ra : DW_REG_RIP].kind == R_UNDEF)
		return -1;	/* outermost frame (_start, clone) */
	/* the caller's stack pointer is the CFA unless a rule says otherwise */
	if (st.r[DW_REG_RSP].kind == R_SAME) {
		out->regs[DW_REG_RSP] = cfa;
		out->valid |= 1u << DW_REG_RSP;
	}
	out->pc = out->regs[DW_REG_RIP];
	out->signal_frame = c.signal;
	if (!out->pc)
		return -1;
	return 0;
}

int dw_frame_caller(struct dw_session *s, const struct dw_target *t,
		    const struct dw_frame *in, struct dw_frame *out)
{
	if (dw_cfi_step(s, t, in, out) < 0)
		return -1;
	struct dw_frame t2;
	out->cfa = dw_cfi_step(s, t, out, &t2) == 0 ? t2.cfa : 0;
	return 0;
}

int dw_unwind(struct dw_session *s, const struct dw_target *t,
	      struct dw_frame *frames, int max, int *n, char *err, size_t errlen)
{
	*n = 0;
	if (max <= 0)
		return 0;
	struct dw_frame *f = &frames[0];
	memset(f, 0, sizeof *f);
	for (int i = 0; i < DW_NREGS; i++)
		if (t->read_reg(t->ctx, i, &f->regs[i]) == 0)
			f->valid |= 1u << i;
	if (!(f->valid & (1u << DW_REG_RIP)))
		return DW_ERR(err, errlen, "No registers.");
	f->pc = f->regs[DW_REG_RIP];
	*n = 1;
	/* CFA of frame 0 for frame-base purposes */
	struct dw_frame tmp;
	if (dw_cfi_step(s, t, f, &tmp) == 0)
		f->cfa = tmp.cfa;
	while (*n < max) {
		struct dw_frame *cur = &frames[*n - 1], *nx = &frames[*n];
		if (dw_cfi_step(s, t, cur, nx) < 0)
			break;
		if (!cur->signal_frame && !nx->signal_frame &&
		    nx->regs[DW_REG_RSP] <= cur->regs[DW_REG_RSP])
			break;	/* not making progress */
		struct dw_frame t2;
		if (dw_cfi_step(s, t, nx, &t2) == 0)
			nx->cfa = t2.cfa;
		else
			nx->cfa = 0;
		(*n)++;
	}
	return 0;
}
