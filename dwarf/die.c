/* die.c — the DWARF reader: walks every compilation unit with libdwarf once
 * and copies the DIEs we need (tag, name, type, sizes, pc ranges, locations,
 * call sites) into struct dw_die trees.  References are resolved after the
 * walk through an offset-sorted index.  libdwarf traps worked around here:
 * DW_FORM_implicit_const needs dwarf_formsdata, and every call gets a real
 * Dwarf_Error (a NULL one makes libdwarf abort). */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <libdwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

int dw_line_load(struct dw_cu *cu, Dwarf_Die cudie);

struct loader {
	struct dw_obj *o;
	Dwarf_Debug dbg;
	struct dw_cu *cu;
	size_t cap;
	size_t fcap;
};

static int get_u(Dwarf_Attribute a, int64_t *v)
{
	Dwarf_Error e = NULL;
	Dwarf_Unsigned u;
	Dwarf_Signed sv;
	Dwarf_Half form = 0;
	dwarf_whatform(a, &form, &e);
	if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
		if (dwarf_formsdata(a, &sv, &e) == DW_DLV_OK) { *v = sv; return 0; }
		return -1;
	}
	if (dwarf_formudata(a, &u, &e) == DW_DLV_OK) { *v = (int64_t)u; return 0; }
	if (dwarf_formsdata(a, &sv, &e) == DW_DLV_OK) { *v = sv; return 0; }
	return -1;
}

static void read_expr(Dwarf_Die die, Dwarf_Locdesc_c ld, Dwarf_Unsigned nops, struct dw_expr *x)
{
	Dwarf_Error e = NULL;
	x->nops = (int)nops;
	x->ops = dw_xcalloc(nops, sizeof *x->ops);
	for (Dwarf_Unsigned j = 0; j < nops; j++) {
		Dwarf_Small atom;
		Dwarf_Unsigned o1, o2, o3, r1, r2, r3, off;
		if (dwarf_get_location_op_value_d(ld, j, &atom, &o1, &o2, &o3, &r1, &r2, &r3, &off, &e) != DW_DLV_OK) {
			x->nops = (int)j;
			return;
		}
		struct dw_op *op = &x->ops[j];
		op->atom = atom; op->op1 = o1; op->op2 = o2; op->op3 = o3; op->off = off;
		if (atom == DW_OP_addrx || atom == DW_OP_GNU_addr_index ||
		    atom == DW_OP_constx || atom == DW_OP_GNU_const_index) {
			/* clang's DWARF 5: an index into .debug_addr */
			Dwarf_Unsigned a = 0;
			if (dwarf_debug_addr_index_to_addr(die, r1, &a, &e) == DW_DLV_OK) {
				op->atom = (atom == DW_OP_constx || atom == DW_OP_GNU_const_index) ? DW_OP_constu : DW_OP_addr;
				op->op1 = a;
			}
		}
		if ((atom == DW_OP_implicit_value || atom == DW_OP_entry_value ||
		     atom == DW_OP_GNU_entry_value) && o2 && o1 < 4096) {
			op->block = dw_xcalloc(1, o1 + 1);
			memcpy(op->block, (void *)(uintptr_t)o2, o1);
		}
		if ((atom == DW_OP_const_type || atom == DW_OP_GNU_const_type) && o3 && o2 <= 64) {
			op->block = dw_xcalloc(1, o2 + 8);	/* op1 type, op2 size */
			memcpy(op->block, (void *)(uintptr_t)o3, o2);
		}
	}
}

static void read_loc(struct loader *L, Dwarf_Die die, Dwarf_Attribute a, struct dw_loc *l)
{
	Dwarf_Error e = NULL;
	Dwarf_Loc_Head_c head = NULL;
	Dwarf_Unsigned count = 0;
	if (dwarf_get_loclist_c(a, &head, &count, &e) != DW_DLV_OK)
		return;
	struct dw_locent *ents = dw_xcalloc(count, sizeof *ents);
	int n = 0, single = 0;
	for (Dwarf_Unsigned i = 0; i < count; i++) {
		Dwarf_Small lle, src;
		Dwarf_Unsigned rlo, rhi, nops, eoff, loff;
		Dwarf_Bool unavail;
		Dwarf_Addr lo, hi;
		Dwarf_Locdesc_c ld;
		if (dwarf_get_locdesc_entry_d(head, i, &lle, &rlo, &rhi, &unavail, &lo, &hi,
					      &nops, &ld, &src, &eoff, &loff, &e) != DW_DLV_OK)
			break;
		if (src == 0) {
			single = 1;
			read_expr(die, ld, nops, &l->e);
			break;
		}
		if (lle == DW_LLE_base_address || lle == DW_LLE_base_addressx ||
		    lle == DW_LLE_end_of_list || nops == 0 || lo >= hi)
			continue;
		ents[n].lo = lo;
		ents[n].hi = hi;
		read_expr(die, ld, nops, &ents[n].e);
		n++;
	}
	dwarf_loc_head_c_dealloc(head);
	(void)L;
	if (single) {
		free(ents);
		l->kind = 1;
	} else {
		l->kind = 2;
		l->n = n;
		l->ents = ents;
	}
}

static void add_range(struct dw_die *d, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return;
	d->ranges = realloc(d->ranges, (d->nranges + 1) * sizeof *d->ranges);
	d->ranges[d->nranges][0] = lo;
	d->ranges[d->nranges][1] = hi;
	d->nranges++;
}

static void read_ranges(struct loader *L, Dwarf_Die die, Dwarf_Attribute a, struct dw_die *d)
{
	Dwarf_Error e = NULL;
	Dwarf_Half form = 0;
	dwarf_whatform(a, &form, &e);
	if (L->cu->version >= 5) {
		Dwarf_Unsigned val = 0, cnt = 0, goff = 0;
		if (form == DW_FORM_rnglistx)
			dwarf_formudata(a, &val, &e);
		else
			dwarf_global_formref(a, &val, &e);
		Dwarf_Rnglists_Head head = NULL;
		if (dwarf_rnglists_get_rle_head(a, form, val, &head, &cnt, &goff, &e) != DW_DLV_OK)
			return;
		for (Dwarf_Unsigned i = 0; i < cnt; i++) {
			unsigned len, code;
			Dwarf_Unsigned r1, r2, c1, c2;
			Dwarf_Bool un;
			if (dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &r1, &r2, &un, &c1, &c2, &e) != DW_DLV_OK)
				break;
			if (code == DW_RLE_base_address || code == DW_RLE_base_addressx || code == DW_RLE_end_of_list)
				continue;
			add_range(d, c1, c2);
		}
		dwarf_dealloc_rnglists_head(head);
		return;
	}
	Dwarf_Unsigned off = 0;
	if (dwarf_global_formref(a, &off, &e) != DW_DLV_OK && dwarf_formudata(a, &off, &e) != DW_DLV_OK)
		return;
	Dwarf_Ranges *r = NULL;
	Dwarf_Signed cnt = 0;
	Dwarf_Unsigned bytes = 0;
	Dwarf_Off real = 0;
	if (dwarf_get_ranges_b(L->dbg, off, die, &real, &r, &cnt, &bytes, &e) != DW_DLV_OK)
		return;
	uint64_t base = L->cu->die ? L->cu->die->low_pc : 0;
	for (Dwarf_Signed i = 0; i < cnt; i++) {
		if (r[i].dwr_type == DW_RANGES_ENTRY)
			add_range(d, r[i].dwr_addr1 + base, r[i].dwr_addr2 + base);
		else if (r[i].dwr_type == DW_RANGES_ADDRESS_SELECTION)
			base = r[i].dwr_addr2;
	}
	dwarf_ranges_dealloc(L->dbg, r, cnt);
}

static int interesting(Dwarf_Half tag)
{
	switch (tag) {
	case DW_TAG_compile_unit: case DW_TAG_partial_unit:
	case DW_TAG_subprogram: case DW_TAG_lexical_block: case DW_TAG_inlined_subroutine:
	case DW_TAG_variable: case DW_TAG_formal_parameter: case DW_TAG_member:
	case DW_TAG_base_type: case DW_TAG_pointer_type: case DW_TAG_reference_type:
	case DW_TAG_const_type: case DW_TAG_volatile_type: case DW_TAG_restrict_type:
	case DW_TAG_typedef: case DW_TAG_array_type: case DW_TAG_subrange_type:
	case DW_TAG_structure_type: case DW_TAG_union_type: case DW_TAG_enumeration_type:
	case DW_TAG_enumerator: case DW_TAG_subroutine_type: case DW_TAG_unspecified_parameters:
	case DW_TAG_call_site: case DW_TAG_GNU_call_site:
	case DW_TAG_call_site_parameter: case DW_TAG_GNU_call_site_parameter:
	case DW_TAG_atomic_type:
		return 1;
	}
	return 0;
}

static void index_die(struct loader *L, struct dw_die *d)
{
	struct dw_obj *o = L->o;
	if (o->ndies == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 4096;
		o->dies = realloc(o->dies, L->cap * sizeof *o->dies);
	}
	o->dies[o->ndies++] = d;
	if (d->tag == DW_TAG_subprogram && (d->has_pc || d->nranges)) {
		if (o->nfuncs == L->fcap) {
			L->fcap = L->fcap ? L->fcap * 2 : 256;
			o->funcs = realloc(o->funcs, L->fcap * sizeof *o->funcs);
		}
		o->funcs[o->nfuncs++] = d;
	}
}

static struct dw_die *load_die(struct loader *L, Dwarf_Die die, struct dw_die *parent)
{
	Dwarf_Error e = NULL;
	Dwarf_Half tag = 0;
	if (dwarf_tag(die, &tag, &e) != DW_DLV_OK || !interesting(tag))
		return NULL;
	struct dw_die *d = dw_xcalloc(1, sizeof *d);
	d->tag = tag;
	d->parent = parent;
	d->cu = L->cu;
	d->byte_size = d->bit_size = d->bit_off = d->member_loc = -1;
	Dwarf_Off off = 0;
	dwarf_dieoffset(die, &off, &e);
	d->off = off;
	Dwarf_Attribute *attrs = NULL;
	Dwarf_Signed na = 0;
	int has_high = 0;
	if (dwarf_attrlist(die, &attrs, &na, &e) == DW_DLV_OK) {
		for (Dwarf_Signed i = 0; i < na; i++) {
			Dwarf_Attribute a = attrs[i];
			Dwarf_Half an = 0;
			dwarf_whatattr(a, &an, &e);
			int64_t v;
			char *str;
			Dwarf_Off ref;
			Dwarf_Addr addr;
			Dwarf_Bool flag;
			switch (an) {
			case DW_AT_name:
				if (dwarf_formstring(a, &str, &e) == DW_DLV_OK)
					d->name = str;	/* lives as long as the Dwarf_Debug */
				break;
			case DW_AT_type:
				if (dwarf_global_formref(a, &ref, &e) == DW_DLV_OK) d->type_off = ref;
				break;
			case DW_AT_abstract_origin: case DW_AT_specification:
				if (dwarf_global_formref(a, &ref, &e) == DW_DLV_OK) d->origin_off = ref;
				break;
			case DW_AT_byte_size: if (!get_u(a, &v)) d->byte_size = v > INT32_MAX ? -1 : v; break;
			case DW_AT_bit_size: if (!get_u(a, &v)) d->bit_size = v; break;
			case DW_AT_data_bit_offset: if (!get_u(a, &v)) d->bit_off = v; break;
			case DW_AT_bit_offset:
				/* DWARF 4 big-endian-style offset; converted below */
				if (!get_u(a, &v)) d->bit_off = -1000000 - v;
				break;
			case DW_AT_data_member_location:
				if (!get_u(a, &v)) d->member_loc = v;
				else {
					struct dw_loc l = { 0 };
					read_loc(L, die, a, &l);
					if (l.kind == 1 && l.e.nops == 1 && l.e.ops[0].atom == DW_OP_plus_uconst)
						d->member_loc = l.e.ops[0].op1;
					free(l.e.ops);
				}
				break;
			case DW_AT_const_value: {
				Dwarf_Block *blk = NULL;
				Dwarf_Half cf = 0;
				dwarf_whatform(a, &cf, &e);
				if ((cf == DW_FORM_block1 || cf == DW_FORM_block2 || cf == DW_FORM_block4 ||
				     cf == DW_FORM_block || cf == DW_FORM_data16) &&
				    dwarf_formblock(a, &blk, &e) == DW_DLV_OK) {
					d->cblock = dw_xcalloc(1, blk->bl_len + 8);
					memcpy(d->cblock, blk->bl_data, blk->bl_len);
					d->cblock_len = blk->bl_len;
					d->has_const = 1;
					dwarf_dealloc(L->dbg, blk, DW_DLA_BLOCK);
				} else if (!get_u(a, &v)) { d->const_value = v; d->has_const = 1; }
				break;
			}
			case DW_AT_upper_bound: if (!get_u(a, &v)) { d->ub = v; d->has_ub = 1; } break;
			case DW_AT_count: if (!get_u(a, &v)) { d->count = v; d->has_count = 1; } break;
			case DW_AT_encoding: if (!get_u(a, &v)) d->encoding = (int)v; break;
			case DW_AT_decl_line: if (!get_u(a, &v)) d->decl_line = (int)v; break;
			case DW_AT_call_file: if (!get_u(a, &v)) d->call_file = (int)v; break;
			case DW_AT_call_line: if (!get_u(a, &v)) d->call_line = (int)v; break;
			case DW_AT_linkage_name: case DW_AT_MIPS_linkage_name:
				if (dwarf_formstring(a, &str, &e) == DW_DLV_OK)
					d->linkage_name = str;
				break;
			case DW_AT_external: if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->external = !!flag; break;
			case DW_AT_declaration: if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->declaration = !!flag; break;
			case DW_AT_artificial: if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->artificial = !!flag; break;
			case DW_AT_call_tail_call: case DW_AT_GNU_tail_call:
				if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->tail_call = !!flag;
				break;
			case DW_AT_call_all_calls: case DW_AT_call_all_tail_calls:
			case DW_AT_GNU_all_call_sites: case DW_AT_GNU_all_tail_call_sites:
				if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->all_calls |= !!flag;
				break;
			case DW_AT_prototyped: if (dwarf_formflag(a, &flag, &e) == DW_DLV_OK) d->prototyped = !!flag; break;
			case DW_AT_low_pc:
				if (dwarf_formaddr(a, &addr, &e) == DW_DLV_OK) { d->low_pc = addr; d->has_pc = 1; }
				break;
			case DW_AT_high_pc: has_high = 1; break;
			case DW_AT_location: read_loc(L, die, a, &d->loc); break;
			/* frame_base, call_value and call_target share storage:
			 * the first one a DIE has wins */
			case DW_AT_frame_base: if (!d->frame_base.kind) read_loc(L, die, a, &d->frame_base); break;
			case DW_AT_call_value: case DW_AT_GNU_call_site_value:
				if (!d->call_value.kind) read_loc(L, die, a, &d->call_value);
				break;
			case DW_AT_call_origin:
				if (dwarf_global_formref(a, &ref, &e) == DW_DLV_OK) d->call_origin_off = ref;
				break;
			case DW_AT_call_target: case DW_AT_GNU_call_site_target:
				if (!d->call_target.kind) read_loc(L, die, a, &d->call_target);
				break;
			/* not DW_AT_call_pc (the jump itself, clang's tail
			 * calls): gdb, too, knows a call site by its return pc */
			case DW_AT_call_return_pc:
				if (dwarf_formaddr(a, &addr, &e) == DW_DLV_OK) d->call_return_pc = addr;
				break;
			case DW_AT_ranges: break;
			}
		}
		if (tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit) {
			L->cu->die = d;
		}
		for (Dwarf_Signed i = 0; i < na; i++) {
			Dwarf_Half an = 0;
			dwarf_whatattr(attrs[i], &an, &e);
			if (an == DW_AT_ranges)
				read_ranges(L, die, attrs[i], d);
			dwarf_dealloc_attribute(attrs[i]);
		}
		dwarf_dealloc(L->dbg, attrs, DW_DLA_LIST);
	}
	if (has_high && d->has_pc) {
		Dwarf_Addr hv;
		Dwarf_Half form;
		enum Dwarf_Form_Class cls;
		if (dwarf_highpc_b(die, &hv, &form, &cls, &e) == DW_DLV_OK)
			d->high_pc = cls == DW_FORM_CLASS_CONSTANT ? d->low_pc + hv : hv;
	} else if (d->has_pc && !d->nranges && tag != DW_TAG_compile_unit) {
		d->high_pc = d->low_pc + 1;
	}
	if (tag == DW_TAG_compile_unit && !has_high)
		d->has_pc = d->low_pc != 0 || d->nranges == 0 ? d->has_pc : 0;
	if (d->bit_off <= -1000000 && d->bit_size > 0) {
		/* DW_AT_bit_offset counts from the storage unit's MSB */
		int64_t bo = -(d->bit_off + 1000000);
		int64_t unit = d->byte_size > 0 ? d->byte_size : 4;
		d->bit_off = (d->member_loc > 0 ? d->member_loc : 0) * 8 + unit * 8 - bo - d->bit_size;
		d->member_loc = -1;
	} else if (d->bit_off <= -1000000) {
		d->bit_off = -1;
	}
	index_die(L, d);
	Dwarf_Die child = NULL;
	if (dwarf_child(die, &child, &e) == DW_DLV_OK) {
		struct dw_die **tail = &d->child;
		for (;;) {
			struct dw_die *c = load_die(L, child, d);
			if (c) {
				*tail = c;
				tail = &c->next;
			}
			Dwarf_Die sib = NULL;
			int r = dwarf_siblingof_b(L->dbg, child, 1, &sib, &e);
			dwarf_dealloc_die(child);
			if (r != DW_DLV_OK)
				break;
			child = sib;
		}
	}
	return d;
}

static int off_cmp(const void *a, const void *b)
{
	const struct dw_die *x = *(struct dw_die *const *)a, *y = *(struct dw_die *const *)b;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int lowpc_cmp(const void *a, const void *b)
{
	const struct dw_die *x = *(struct dw_die *const *)a, *y = *(struct dw_die *const *)b;
	uint64_t xa = x->has_pc ? x->low_pc : x->ranges[0][0];
	uint64_t ya = y->has_pc ? y->low_pc : y->ranges[0][0];
	return xa < ya ? -1 : xa > ya;
}

static int span_cmp(const void *a, const void *b)
{
	const struct dw_span *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* among equal starts, the DIE loaded first (the earlier offset) wins
	 * the back-scan in span_find: keep it last */
	return x->die->off < y->die->off ? 1 : x->die->off > y->die->off ? -1 : 0;
}

static void add_spans(struct dw_span **v, size_t *n, struct dw_die *d)
{
	int k = d->nranges ? d->nranges : 1;
	*v = realloc(*v, (*n + k) * sizeof **v);
	if (!*v)
		abort();
	for (int i = 0; i < k; i++) {
		struct dw_span *sp = &(*v)[(*n)++];
		sp->lo = d->nranges ? d->ranges[i][0] : d->low_pc;
		sp->hi = d->nranges ? d->ranges[i][1] : d->high_pc;
		sp->die = d;
	}
}

static void build_spans(struct dw_obj *o)
{
	for (size_t i = 0; i < o->nfuncs; i++)
		add_spans(&o->fspans, &o->nfspans, o->funcs[i]);
	for (int i = 0; i < o->ncus; i++) {
		struct dw_die *d = o->cus[i]->die;
		if (d && (d->nranges || (d->has_pc && d->high_pc > d->low_pc)))
			add_spans(&o->cspans, &o->ncspans, d);
	}
	if (o->nfspans)
		qsort(o->fspans, o->nfspans, sizeof *o->fspans, span_cmp);
	if (o->ncspans)
		qsort(o->cspans, o->ncspans, sizeof *o->cspans, span_cmp);
}

/* The DIE whose span holds lpc, the one starting closest below it
 * (functions do not nest; the few overlaps are duplicates). */
static struct dw_die *span_find(const struct dw_span *v, size_t n, uint64_t lpc)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (v[m].lo <= lpc) lo = m + 1; else hi = m;
	}
	for (size_t i = lo; i-- > 0 && i + 64 > lo;)
		if (lpc < v[i].hi)
			return v[i].die;
	return NULL;
}

struct dw_die *dw_die_at_off(struct dw_obj *o, uint64_t off)
{
	size_t lo = 0, hi = o->ndies;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (o->dies[m]->off == off) return o->dies[m];
		if (o->dies[m]->off < off) lo = m + 1; else hi = m;
	}
	return NULL;
}

int dw_die_load(struct dw_obj *o, const char *path, char *err, size_t errlen)
{
	Dwarf_Debug dbg = NULL;
	Dwarf_Error e = NULL;
	/* dwarf_init_b on our own fd: dwarf_init_path would follow
	 * .gnu_debuglink by itself, and the session decides that. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return DW_ERR(err, errlen, "%s: cannot open", path);
	int r = dwarf_init_b(fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &dbg, &e);
	if (r != DW_DLV_OK) {
		close(fd);
		return DW_ERR(err, errlen, "%s: no DWARF", path);
	}
	o->dwarf_fd = fd;
	struct loader L = { .o = o, .dbg = dbg };
	uint64_t hdr = 0;
	for (;;) {
		Dwarf_Unsigned hlen, abbr, next;
		Dwarf_Half ver, asz, lsz, esz, cut;
		Dwarf_Off aoff;
		Dwarf_Sig8 sig;
		Dwarf_Unsigned toff;
		(void)abbr;
		r = dwarf_next_cu_header_d(dbg, 1, &hlen, &ver, &aoff, &asz, &lsz, &esz, &sig, &toff, &next, &cut, &e);
		if (r != DW_DLV_OK)
			break;
		Dwarf_Die cudie = NULL;
		if (dwarf_siblingof_b(dbg, NULL, 1, &cudie, &e) != DW_DLV_OK)
			continue;
		struct dw_cu *cu = dw_xcalloc(1, sizeof *cu);
		cu->obj = o;
		cu->version = ver;
		cu->hdr_off = hdr;
		hdr = next;
		L.cu = cu;
		struct dw_die *d = load_die(&L, cudie, NULL);
		if (d) {
			cu->die = d;
			cu->name = d->name;
			char *s;
			Dwarf_Attribute a;
			if (dwarf_attr(cudie, DW_AT_comp_dir, &a, &e) == DW_DLV_OK) {
				if (dwarf_formstring(a, &s, &e) == DW_DLV_OK) cu->comp_dir = s;
				dwarf_dealloc_attribute(a);
			}
			if (dwarf_attr(cudie, DW_AT_producer, &a, &e) == DW_DLV_OK) {
				if (dwarf_formstring(a, &s, &e) == DW_DLV_OK) cu->producer = s;
				dwarf_dealloc_attribute(a);
			}
			cu->is_clang = cu->producer && strstr(cu->producer, "clang") != NULL;
			dw_line_load(cu, cudie);
			o->cus = realloc(o->cus, (o->ncus + 1) * sizeof *o->cus);
			o->cus[o->ncus++] = cu;
		} else {
			free(cu);
		}
		dwarf_dealloc_die(cudie);
	}
	if (o->ndies) /* an object without DWARF has no array at all */
		qsort(o->dies, o->ndies, sizeof *o->dies, off_cmp);
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		uint64_t t = d->type_off, a = d->origin_off, c = d->call_origin_off;
		d->type = t ? dw_die_at_off(o, t) : NULL;
		d->origin = a ? dw_die_at_off(o, a) : NULL;
		d->call_origin = c ? dw_die_at_off(o, c) : NULL;
	}
	/* A concrete DIE inherits name and type from its abstract origin. */
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		for (struct dw_die *x = d->origin; x && (!d->name || !d->type); x = x->origin) {
			if (!d->name) d->name = x->name;
			if (!d->type) d->type = x->type;
			if (!d->external) d->external = x->external;
			if (!d->linkage_name) d->linkage_name = x->linkage_name;
		}
	}
	if (o->nfuncs)
		qsort(o->funcs, o->nfuncs, sizeof *o->funcs, lowpc_cmp);
	build_spans(o);
	/* dbg stays open: names point into its string sections */
	o->pool = (char *)dbg;
	return 0;
}

void dw_die_free(struct dw_obj *o)
{
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		struct dw_loc *ls[2] = { &d->loc, &d->frame_base };
		for (int k = 0; k < 2; k++) {
			struct dw_loc *l = ls[k];
			for (int j = 0; j < l->e.nops; j++) free(l->e.ops[j].block);
			free(l->e.ops);
			for (int m = 0; m < l->n; m++) {
				for (int j = 0; j < l->ents[m].e.nops; j++) free(l->ents[m].e.ops[j].block);
				free(l->ents[m].e.ops);
			}
			free(l->ents);
		}
		free(d->ranges);
		free(d->cblock);
		free(d);
	}
	free(o->dies);
	free(o->funcs);
	free(o->fspans);
	free(o->cspans);
	for (int i = 0; i < o->ncus; i++) {
		free(o->cus[i]->rows);
		for (int j = 0; j < o->cus[i]->nfiles; j++) free(o->cus[i]->files[j]);
		free(o->cus[i]->files);
		free(o->cus[i]->fmap);
		free(o->cus[i]);
	}
	free(o->cus);
	if (o->pool) {
		Dwarf_Error e = NULL;
		dwarf_finish((Dwarf_Debug)(void *)o->pool, &e);
		close(o->dwarf_fd);
	}
	o->pool = NULL;
}

int dw_die_has_pc(const struct dw_die *d, uint64_t lpc)
{
	if (d->nranges) {
		for (int i = 0; i < d->nranges; i++)
			if (lpc >= d->ranges[i][0] && lpc < d->ranges[i][1])
				return 1;
		return 0;
	}
	return d->has_pc && lpc >= d->low_pc && lpc < d->high_pc;
}

struct dw_die *dw_func_at(struct dw_obj *o, uint64_t lpc)
{
	return span_find(o->fspans, o->nfspans, lpc);
}

struct dw_cu *dw_cu_for_pc(struct dw_obj *o, uint64_t lpc)
{
	struct dw_die *f = dw_func_at(o, lpc);
	if (f)
		return f->cu;
	f = span_find(o->cspans, o->ncspans, lpc);
	return f ? f->cu : NULL;
}

const struct dw_expr *dw_loc_at(const struct dw_loc *l, uint64_t lpc)
{
	if (l->kind == 1)
		return &l->e;
	if (l->kind == 2)
		for (int i = 0; i < l->n; i++)
			if (lpc >= l->ents[i].lo && lpc < l->ents[i].hi)
				return &l->ents[i].e;
	return NULL;
}
