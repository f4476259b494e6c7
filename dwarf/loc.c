/* loc.c — where a variable lives: the DWARF location-expression stack
 * machine (memory, register, implicit and stack values, pieces), frame
 * bases, loclists, and entry values.  An entry value (DW_OP_entry_value,
 * or "p@entry" in a backtrace) is recovered from the caller's
 * DW_TAG_call_site_parameter for the call that created the frame; when that
 * is not available the value is <optimized out>, as in gdb. */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dw_ctx_init(struct dw_ctx *c, struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *f, const struct dw_frame *caller)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->t = t;
	c->f = f;
	c->caller = caller;
	if (!f)
		return 0;
	uint64_t pc = (f->phys > 0 && !f->signal_frame) ? f->pc - 1 : f->pc;
	c->obj = dw_obj_for_addr(s, pc);
	if (c->obj) {
		c->lpc = pc - c->obj->bias;
		c->func = dw_func_at(c->obj, c->lpc);
		c->cu = c->func ? c->func->cu : NULL;
	}
	if (!c->func)
		return 0;
	/* the path of blocks at pc; inlined calls split it into gdb frames */
	struct dw_die *path[64], *inl[32];
	int np = 0, ni = 0;
	struct dw_die *d = c->func;
	path[np++] = d;
	for (;;) {
		struct dw_die *next = NULL;
		for (struct dw_die *k = d->child; k && !next; k = k->next)
			if ((k->tag == DW_TAG_lexical_block || k->tag == DW_TAG_inlined_subroutine) &&
			    dw_die_has_pc(k, c->lpc))
				next = k;
		if (!next || np >= 64)
			break;
		if (next->tag == DW_TAG_inlined_subroutine && ni < 32)
			inl[ni++] = next;
		path[np++] = d = next;
	}
	c->ninline = ni;
	int lvl = ni - f->inline_depth;	/* 0: the function itself */
	if (lvl < 0) lvl = 0;
	c->scope_fn = lvl == 0 ? c->func : inl[lvl - 1];
	c->call_site = lvl < ni ? inl[lvl] : NULL;
	/* innermost block of this level: last path entry before the next
	 * inlined call */
	c->scope = c->scope_fn;
	int on = 0;
	for (int i = 0; i < np; i++) {
		if (path[i] == c->scope_fn) on = 1;
		else if (on && path[i]->tag == DW_TAG_inlined_subroutine) break;
		if (on) c->scope = path[i];
	}
	return 0;
}

static int get_reg(struct dw_ctx *c, int r, uint64_t *v)
{
	if (!c->f)
		return -1;
	if (r < DW_NREGS) {
		if (!(c->f->valid & (1u << r)))
			return -1;
		*v = c->f->regs[r];
		return 0;
	}
	return c->t->read_reg(c->t->ctx, r, v);
}

static int frame_base(struct dw_ctx *c, uint64_t *fb)
{
	if (!c->func)
		return -1;
	const struct dw_expr *e = dw_loc_at(&c->func->frame_base, c->lpc);
	if (!e || e->nops < 1)
		return -1;
	uint8_t a = e->ops[0].atom;
	if (a == DW_OP_call_frame_cfa) {
		if (!c->f->cfa) return -1;
		*fb = c->f->cfa;
		return 0;
	}
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31)
		return get_reg(c, a - DW_OP_reg0, fb);
	if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
		if (get_reg(c, a - DW_OP_breg0, fb) < 0) return -1;
		*fb += (int64_t)e->ops[0].op1;
		return 0;
	}
	return -1;
}

/* DW_OP_entry_value(DW_OP_regN): the value regN had when this frame's
 * function was called, from the caller's call-site parameters. */
int dw_entry_value(struct dw_ctx *c, int regno, uint64_t *val)
{
	if (!c->caller)
		return -1;
	/* gdb finds the caller with get_prev_frame, which stops at main
	 * (backtrace past-main off): main never has entry values */
	if (c->func && c->func->name && !strcmp(c->func->name, "main"))
		return -1;
	struct dw_ctx cc;
	dw_ctx_init(&cc, c->s, c->t, c->caller, NULL);
	if (!cc.func || !cc.obj)
		return -1;
	uint64_t ret = c->caller->pc - cc.obj->bias;
	/* walk the caller's DIE subtree for the call site */
	struct dw_die *stack[256];
	int sp = 0;
	for (struct dw_die *d = cc.func->child; d; d = d->next)
		if (sp < 256) stack[sp++] = d;
	while (sp) {
		struct dw_die *d = stack[--sp];
		if (d->tag == DW_TAG_lexical_block || d->tag == DW_TAG_inlined_subroutine) {
			for (struct dw_die *k = d->child; k; k = k->next)
				if (sp < 256) stack[sp++] = k;
			continue;
		}
		if (d->tag != DW_TAG_call_site && d->tag != DW_TAG_GNU_call_site)
			continue;
		uint64_t rp = d->tag == DW_TAG_GNU_call_site ? d->low_pc : d->call_return_pc;
		if (rp != ret)
			continue;
		/* like gdb, trust the call site only if it provably calls this
		 * function: by DIE (call_origin) or by evaluating call_target */
		if (!c->func)
			return -1;
		struct dw_die *co = d->call_origin ? d->call_origin : d->origin;
		if (co) {
			struct dw_die *fn = c->func;
			int same = 0;
			for (struct dw_die *x = fn; x && !same; x = x->origin)
				same = x == co || (co->name && x->name && !strcmp(co->name, x->name) && co->declaration);
			if (!same)
				return -1;
		} else if (d->call_target.kind == 1) {
			struct dw_value tv;
			char e2[64];
			memset(&tv, 0, sizeof tv);
			if (dw_loc_eval(&cc, &d->call_target.e, &tv, NULL, e2, sizeof e2) < 0 || tv.optimized_out) {
				dw_value_free(&tv);
				return -1;
			}
			uint64_t tgt = 0;
			/* DW_AT_call_target is an expression: a memory "location"
			 * is the address itself (as gdb reads it) */
			if (tv.lval == 1) tgt = tv.addr;
			else if (tv.bytes) memcpy(&tgt, tv.bytes, 8);
			dw_value_free(&tv);
			uint64_t lo = (c->func->has_pc ? c->func->low_pc : c->func->ranges[0][0]) + c->obj->bias;
			if (tgt != lo)
				return -1;
		} else {
			return -1;
		}
		/* gdb: no entry value is reliable for a function that may
		 * reach itself through tail calls */
		if (dw_self_tailcall(c->s, (c->func->has_pc ? c->func->low_pc : c->func->ranges[0][0]) + c->obj->bias))
			return -1;
		for (struct dw_die *p = d->child; p; p = p->next) {
			if (p->loc.kind != 1 || p->loc.e.nops != 1)
				continue;
			uint8_t a = p->loc.e.ops[0].atom;
			int r = a >= DW_OP_reg0 && a <= DW_OP_reg31 ? a - DW_OP_reg0 :
				a == DW_OP_regx ? (int)p->loc.e.ops[0].op1 : -1;
			if (r != regno || p->call_value.kind != 1)
				continue;
			/* a value passed on unchanged is itself an entry value
			 * of the caller: that needs the caller's caller (a tail
			 * call frame, maybe); a few levels at most */
			struct dw_frame up;
			for (int k = 0; k < p->call_value.e.nops && !cc.caller && c->depth < 4; k++) {
				uint8_t at = p->call_value.e.ops[k].atom;
				if ((at == DW_OP_entry_value || at == DW_OP_GNU_entry_value) &&
				    dw_frame_prev(c->s, c->t, c->caller, &up) == 0)
					cc.caller = &up;
			}
			cc.depth = c->depth + 1;
			struct dw_value v;
			char err[64];
			memset(&v, 0, sizeof v);
			if (dw_loc_eval(&cc, &p->call_value.e, &v, NULL, err, sizeof err) < 0)
				return -1;
			/* a call value is a DWARF expression's value, not a location */
			int ok = !v.optimized_out;
			if (ok && v.lval == 1) *val = v.addr;
			else if (ok && v.bytes) memcpy(val, v.bytes, 8);
			else ok = 0;
			dw_value_free(&v);
			return ok ? 0 : -1;
		}
		return -1;
	}
	return -1;
}

static int entry_block(struct dw_ctx *c, const struct dw_op *op, uint64_t *val)
{
	if (!op->block || op->op1 < 1)
		return -1;
	uint8_t a = op->block[0];
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31 && op->op1 == 1)
		return dw_entry_value(c, a - DW_OP_reg0, val);
	if (a >= DW_OP_breg0 && a <= DW_OP_breg31 && op->op1 == 2 && op->block[1] == 0)
		return dw_entry_value(c, a - DW_OP_breg0, val);
	if ((a == DW_OP_regval_type || a == DW_OP_GNU_regval_type) && op->op1 >= 3 && op->block[1] < 0x80)
		return dw_entry_value(c, op->block[1], val);
	return -1;
}

/* Evaluate a location expression.  The result in v: memory (lval 1, addr),
 * register (lval 2), or bytes (implicit/stack value, pieces).  size is the
 * type's size; the caller then fetches memory. */
int dw_loc_eval(struct dw_ctx *c, const struct dw_expr *e, struct dw_value *v,
		struct dw_die *type, char *err, size_t errlen)
{
	uint64_t st[64];
	uint8_t flt[64] = { 0 };	/* entry holds a double (typed stack) */
	int sp = 0;
	int64_t tsize = type ? dw_type_size(type) : 8;
	uint64_t bitpos = 0;
	v->ninv = 0;
	if (tsize < 0) tsize = 8;
	v->type = type;
	v->optimized_out = 0;
	uint8_t *pieces = NULL;
	size_t psize = 0, pcap = 0;	/* bytes placed so far / allocated */
	int piece_bad = 0;
	int kind = 0;	/* 0 memory (top of stack), 1 register, 2 stack value, 3 implicit */
	int regno = -1;
	const uint8_t *impl = NULL;
	size_t impl_len = 0;
	uint64_t bias = c->obj ? c->obj->bias : 0;
#define NEED(n) do { if (sp < (n)) goto bad; } while (0)
	for (int i = 0; i < e->nops; i++) {
		const struct dw_op *op = &e->ops[i];
		uint8_t a = op->atom;
		uint64_t x;
		if (sp >= 62) goto bad;
		if (a >= DW_OP_lit0 && a <= DW_OP_lit31) { st[sp++] = a - DW_OP_lit0; continue; }
		if (a >= DW_OP_reg0 && a <= DW_OP_reg31) { kind = 1; regno = a - DW_OP_reg0; continue; }
		if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
			if (get_reg(c, a - DW_OP_breg0, &x) < 0) goto oo;
			st[sp++] = x + (int64_t)op->op1;
			continue;
		}
		switch (a) {
		case DW_OP_addr: st[sp++] = op->op1 + bias; break;
		case DW_OP_regx: kind = 1; regno = (int)op->op1; break;
		case DW_OP_bregx:
			if (get_reg(c, (int)op->op1, &x) < 0) goto oo;
			st[sp++] = x + (int64_t)op->op2;
			break;
		case DW_OP_fbreg:
			if (frame_base(c, &x) < 0) goto oo;
			st[sp++] = x + (int64_t)op->op1;
			break;
		case DW_OP_call_frame_cfa:
			if (!c->f || !c->f->cfa) goto oo;
			st[sp++] = c->f->cfa;
			break;
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
		case DW_OP_constu: case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
		case DW_OP_const8s: case DW_OP_consts:
			st[sp++] = op->op1; break;
		case DW_OP_dup: NEED(1); st[sp] = st[sp - 1]; sp++; break;
		case DW_OP_drop: NEED(1); sp--; break;
		case DW_OP_over: NEED(2); st[sp] = st[sp - 2]; sp++; break;
		case DW_OP_pick: NEED((int)op->op1 + 1); st[sp] = st[sp - 1 - op->op1]; sp++; break;
		case DW_OP_swap: NEED(2); x = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = x; break;
		case DW_OP_rot: NEED(3); x = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = st[sp - 3]; st[sp - 3] = x; break;
		case DW_OP_deref: case DW_OP_deref_size: {
			NEED(1);
			size_t n = a == DW_OP_deref ? 8 : op->op1;
			uint64_t m = 0;
			if (n > 8 || c->t->read_mem(c->t->ctx, st[sp - 1], &m, n) < 0) goto oo;
			st[sp - 1] = m;
			break;
		}
		case DW_OP_abs: NEED(1); if ((int64_t)st[sp - 1] < 0) st[sp - 1] = -st[sp - 1]; break;
		case DW_OP_neg: NEED(1); st[sp - 1] = -st[sp - 1]; break;
		case DW_OP_not: NEED(1); st[sp - 1] = ~st[sp - 1]; break;
		case DW_OP_plus_uconst: NEED(1); st[sp - 1] += op->op1; break;
#define BIN(OPC, EXPR) case OPC: NEED(2); sp--; { uint64_t A = st[sp - 1], B = st[sp]; (void)A; (void)B; st[sp - 1] = (EXPR); } break;
		BIN(DW_OP_plus, A + B)
		BIN(DW_OP_minus, A - B)
		BIN(DW_OP_mul, A * B)
		BIN(DW_OP_div, B ? (uint64_t)((int64_t)A / (int64_t)B) : 0)
		BIN(DW_OP_mod, B ? A % B : 0)
		BIN(DW_OP_and, A & B)
		BIN(DW_OP_or, A | B)
		BIN(DW_OP_xor, A ^ B)
		BIN(DW_OP_shl, A << B)
		BIN(DW_OP_shr, A >> B)
		BIN(DW_OP_shra, (uint64_t)((int64_t)A >> B))
		BIN(DW_OP_eq, A == B)
		BIN(DW_OP_ne, A != B)
		BIN(DW_OP_lt, (int64_t)A < (int64_t)B)
		BIN(DW_OP_gt, (int64_t)A > (int64_t)B)
		BIN(DW_OP_le, (int64_t)A <= (int64_t)B)
		BIN(DW_OP_ge, (int64_t)A >= (int64_t)B)
		case DW_OP_skip: case DW_OP_bra: {
			if (a == DW_OP_bra) { NEED(1); if (!st[--sp]) break; }
			uint64_t target = op->off + 3 + (int16_t)op->op1;
			int k;
			for (k = 0; k < e->nops && e->ops[k].off != target; k++)
				;
			i = k - 1;
			break;
		}
		case DW_OP_nop: break;
		case DW_OP_form_tls_address: case DW_OP_GNU_push_tls_address: {
			/* x86-64 TLS variant II: the executable's block sits just
			 * below the thread pointer (fs_base).  Libraries' blocks need
			 * the DTV and are not handled. */
			NEED(1);
			uint64_t tp;
			struct dw_obj *o = c->cu ? c->cu->obj : c->obj;
			if (!o || !c->s->nobjs || o != c->s->objs[0] || !o->tls_memsz ||
			    c->t->read_reg(c->t->ctx, DW_REG_FS_BASE, &tp) < 0) {
				free(pieces);
				return DW_ERR(err, errlen, "Cannot access thread-local variables in this context");
			}
			uint64_t blk = (o->tls_memsz + o->tls_align - 1) / o->tls_align * o->tls_align;
			st[sp - 1] = tp - blk + st[sp - 1];
			break;
		}
		case DW_OP_stack_value: kind = 2; break;
		case DW_OP_implicit_value: kind = 3; impl = op->block; impl_len = op->op1; if (!impl) goto oo; break;
		case DW_OP_entry_value: case DW_OP_GNU_entry_value:
			if (entry_block(c, op, &x) < 0) goto oo;
			st[sp++] = x;
			break;
		case DW_OP_regval_type: case DW_OP_GNU_regval_type: {
			if (get_reg(c, (int)op->op1, &x) < 0) goto oo;
			struct dw_die *ty = c->cu ? dw_die_at_off(c->cu->obj, c->cu->hdr_off + op->op2) : NULL;
			flt[sp] = 0;
			if (ty && dw_type_is_float(ty)) {
				if (dw_type_size(ty) == 4) { float f; memcpy(&f, &x, 4); double d = f; memcpy(&x, &d, 8); }
				flt[sp] = 1;
			}
			st[sp++] = x;
			break;
		}
		case DW_OP_const_type: case DW_OP_GNU_const_type: {
			if (!op->block) goto oo;
			x = 0;
			memcpy(&x, op->block, op->op2 < 8 ? op->op2 : 8);
			struct dw_die *ty = c->cu ? dw_die_at_off(c->cu->obj, c->cu->hdr_off + op->op1) : NULL;
			flt[sp] = ty && dw_type_is_float(ty);
			if (flt[sp] && op->op2 == 4) { float f; memcpy(&f, &x, 4); double d = f; memcpy(&x, &d, 8); }
			st[sp++] = x;
			break;
		}
		case DW_OP_convert: case DW_OP_GNU_convert: case DW_OP_reinterpret: case DW_OP_GNU_reinterpret: {
			NEED(1);
			struct dw_die *ty = op->op1 && c->cu ? dw_die_at_off(c->cu->obj, c->cu->hdr_off + op->op1) : NULL;
			int to_f = ty && dw_type_is_float(ty);
			if (a == DW_OP_convert || a == DW_OP_GNU_convert) {
				double d;
				if (flt[sp - 1] && !to_f) { memcpy(&d, &st[sp - 1], 8); st[sp - 1] = (uint64_t)(int64_t)d; }
				else if (!flt[sp - 1] && to_f) { d = (double)(int64_t)st[sp - 1]; memcpy(&st[sp - 1], &d, 8); }
			}
			flt[sp - 1] = to_f;
			break;
		}
		case DW_OP_bit_piece: {
			/* bit granularity: place op1 bits of the value at bitpos */
			size_t nbits = op->op1, nbytes = (bitpos + nbits + 7) / 8 + 8;
			if (nbytes > pcap) { pieces = realloc(pieces, nbytes); memset(pieces + pcap, 0, nbytes - pcap); pcap = nbytes; }
			int have = 1;
			x = 0;
			if (kind == 1) have = get_reg(c, regno, &x) == 0;
			else if (kind == 2 || (kind == 0 && sp)) {
				if (!sp) have = 0; else x = st[sp - 1];
				if (kind == 0 && sp && c->t->read_mem(c->t->ctx, st[sp - 1], &x, 8) < 0) have = 0;
			} else if (kind == 3) memcpy(&x, impl, impl_len < 8 ? impl_len : 8);
			else have = 0;
			if (!have) {
				if (v->ninv < 8) { v->inv[v->ninv][0] = bitpos; v->inv[v->ninv][1] = nbits; v->ninv++; }
			} else {
				x >>= op->op2;
				for (size_t b = 0; b < nbits && b < 64; b++)
					if ((x >> b) & 1) pieces[(bitpos + b) / 8] |= 1u << ((bitpos + b) % 8);
			}
			bitpos += nbits;
			psize = (bitpos + 7) / 8;
			sp = 0; kind = 0;
			break;
		}
		case DW_OP_piece: {
			size_t n = op->op1;
			psize = (bitpos + 7) / 8;
			if (psize + n + 8 > pcap) {
				pieces = realloc(pieces, psize + n + 8);
				memset(pieces + pcap, 0, psize + n + 8 - pcap);
				pcap = psize + n + 8;
			}
			if (kind == 1) {
				if (get_reg(c, regno, &x) < 0) piece_bad = 1;
				memcpy(pieces + psize, &x, n < 8 ? n : 8);
			} else if (kind == 2) {
				if (!sp) piece_bad = 1; else memcpy(pieces + psize, &st[sp - 1], n < 8 ? n : 8);
			} else if (kind == 3) {
				memcpy(pieces + psize, impl, n < impl_len ? n : impl_len);
			} else if (sp) {
				if (c->t->read_mem(c->t->ctx, st[sp - 1], pieces + psize, n) < 0) piece_bad = 1;
			} else if (v->ninv < 8) {
				/* empty piece: this part has no location */
				v->inv[v->ninv][0] = psize * 8; v->inv[v->ninv][1] = n * 8; v->ninv++;
			} else {
				piece_bad = 1;
			}
			psize += n;
			bitpos = psize * 8;
			sp = 0; kind = 0;
			break;
		}
		default:
			goto oo;
		}
	}
	if (pieces) {
		if (piece_bad) goto oo;	/* oo frees pieces */
		/* everything missing: the whole value is optimized out */
		uint64_t missing = 0;
		for (int k = 0; k < v->ninv; k++) missing += v->inv[k][1];
		if (missing >= (uint64_t)tsize * 8) { v->ninv = 0; goto oo; }
		v->lval = 0;
		v->size = tsize;
		v->bytes = dw_xcalloc(1, tsize + 8);
		memcpy(v->bytes, pieces, psize < (size_t)tsize ? psize : (size_t)tsize);
		free(pieces);
		return 0;
	}
	v->size = tsize;
	switch (kind) {
	case 0:
		if (!sp) goto oo;
		v->lval = 1;
		v->addr = st[sp - 1];
		return 0;
	case 1: {
		uint64_t x;
		if (get_reg(c, regno, &x) < 0) goto oo;
		v->lval = 2;
		v->regno = regno;
		v->bytes = dw_xcalloc(1, tsize + 8);
		memcpy(v->bytes, &x, tsize < 8 ? tsize : 8);
		return 0;
	}
	case 2:
		if (!sp) goto oo;
		v->lval = 0;
		v->bytes = dw_xcalloc(1, tsize + 8);
		memcpy(v->bytes, &st[sp - 1], tsize < 8 ? tsize : 8);
		return 0;
	default:
		v->lval = 0;
		v->bytes = dw_xcalloc(1, tsize + impl_len + 8);
		memcpy(v->bytes, impl, impl_len);
		return 0;
	}
bad:
	free(pieces);
	return DW_ERR(err, errlen, "Unhandled dwarf expression opcode");
oo:
	free(pieces);
	v->optimized_out = 1;
	v->lval = 0;
	v->size = tsize;
	return 0;
#undef NEED
#undef BIN
}

int dw_var_locate(struct dw_ctx *c, struct dw_die *var, struct dw_value *v,
		  char *err, size_t errlen)
{
	memset(v, 0, sizeof *v);
	v->type = var->type;
	if (var->cu) c->cu = var->cu;
	int64_t sz = dw_type_size(var->type);
	if (sz < 0) sz = 0;
	v->size = sz;
	struct dw_die *src = var;
	while (!src->has_const && src->loc.kind == 0 && src->origin)
		src = src->origin;
	if (var->has_const || (src != var && src->has_const && var->loc.kind == 0)) {
		v->bytes = dw_xcalloc(1, sz + src->cblock_len + 8);
		if (src->cblock)
			memcpy(v->bytes, src->cblock, src->cblock_len);
		else
			memcpy(v->bytes, &src->const_value, sz < 8 ? sz : 8);
		return 0;
	}
	const struct dw_expr *e = dw_loc_at(&var->loc, c->lpc);
	if (!e || e->nops == 0) {
		v->optimized_out = 1;
		return 0;
	}
	return dw_loc_eval(c, e, v, var->type, err, errlen);
}

int dw_var_value(struct dw_ctx *c, struct dw_die *var, struct dw_value *v,
		 char *err, size_t errlen)
{
	if (dw_var_locate(c, var, v, err, errlen) < 0)
		return -1;
	if (dw_value_fetch(c->t, v) < 0)
		return DW_ERR(err, errlen, "Cannot access memory at address 0x%lx", (unsigned long)v->addr);
	return 0;
}

/* The parameter's value at function entry ("p@entry"), when its location at
 * the entry pc is a plain register that the call site describes. */
int dw_param_entry_value(struct dw_ctx *c, struct dw_die *param, struct dw_value *v)
{
	if (!c->func || !c->caller || c->scope_fn != c->func)
		return -1;
	uint64_t entry = c->func->has_pc ? c->func->low_pc : c->func->ranges[0][0];
	const struct dw_expr *e = dw_loc_at(&param->loc, entry);
	if (!e || e->nops != 1)
		return -1;
	uint8_t a = e->ops[0].atom;
	int r;
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31) r = a - DW_OP_reg0;
	else if (a == DW_OP_entry_value || a == DW_OP_GNU_entry_value) {
		const uint8_t *b = e->ops[0].block;
		if (!b) return -1;
		if (e->ops[0].op1 == 1 && b[0] >= DW_OP_reg0 && b[0] <= DW_OP_reg31) r = b[0] - DW_OP_reg0;
		else if ((b[0] == DW_OP_regval_type || b[0] == DW_OP_GNU_regval_type) && b[1] < 0x80) r = b[1];
		else return -1;
	} else
		return -1;
	uint64_t x;
	if (dw_entry_value(c, r, &x) < 0)
		return -1;
	memset(v, 0, sizeof *v);
	v->type = param->type;
	int64_t sz = dw_type_size(param->type);
	v->size = sz < 0 ? 8 : sz;
	v->bytes = dw_xcalloc(1, v->size + 8);
	memcpy(v->bytes, &x, v->size < 8 ? v->size : 8);
	return 0;
}
