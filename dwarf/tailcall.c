/* tailcall.c — frames for functions that tail-called (jumped to) their
 * callee, as gdb shows them.  After a jump the caller's frame is gone, so
 * unwinding goes straight from the callee to the function that made the
 * original call; gdb fills the gap from the call sites: the caller's call
 * site names a target, and if that target is not the callee, the
 * target's DW_AT_call_tail_call sites (in a function whose call sites are
 * complete, DW_AT_call_all_calls) lead on until the callee is reached.
 * Only a path the DWARF proves is used: when several paths exist, only
 * their common start and end are shown (gdb's call_site_find_chain), and
 * nothing when they share neither.  A target named only by a declaration
 * is found by its symbol, the way gdb resolves it through minimal
 * symbols; a target given as an expression (an indirect call) is
 * unknown, since the registers of a jumped-from frame are not. */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#define MAXCHAIN 16
#define MAXVISIT 256

static uint64_t die_entry(const struct dw_die *d)
{
	return d->has_pc ? d->low_pc : d->nranges ? d->ranges[0][0] : 0;
}

static int is_site(const struct dw_die *d)
{
	return d->tag == DW_TAG_call_site || d->tag == DW_TAG_GNU_call_site;
}

static uint64_t site_ret(const struct dw_die *d)
{
	return d->tag == DW_TAG_GNU_call_site ? d->low_pc : d->call_return_pc;
}

/* Visit the call sites in fn's body, blocks and inlined calls included. */
static int walk_sites(struct dw_die *fn, int (*fnc)(struct dw_die *, void *), void *ctx)
{
	struct dw_die *stack[512];
	int sp = 0;
	for (struct dw_die *d = fn->child; d; d = d->next)
		if (sp < 512) stack[sp++] = d;
	while (sp) {
		struct dw_die *d = stack[--sp];
		if (d->tag == DW_TAG_lexical_block || d->tag == DW_TAG_inlined_subroutine) {
			for (struct dw_die *k = d->child; k; k = k->next)
				if (sp < 512) stack[sp++] = k;
			continue;
		}
		/* a site without a return address (clang marks tail calls
		 * with DW_AT_call_pc only) is ignored, as gdb ignores it */
		if (is_site(d) && site_ret(d) && fnc(d, ctx))
			return 1;
	}
	return 0;
}

struct find_ret { uint64_t ret; struct dw_die *hit; };
static int match_ret(struct dw_die *d, void *ctx)
{
	struct find_ret *f = ctx;
	if (site_ret(d) != f->ret)
		return 0;
	f->hit = d;
	return 1;
}

struct dw_die *dw_call_site_at(struct dw_die *fn, uint64_t ret_lpc)
{
	struct find_ret f = { ret_lpc, NULL };
	walk_sites(fn, match_ret, &f);
	return f.hit;
}

uint64_t dw_func_entry(struct dw_session *s, uint64_t pc)
{
	struct dw_obj *o = dw_obj_for_addr(s, pc);
	if (!o)
		return 0;
	struct dw_die *fn = dw_func_at(o, pc - o->bias);
	if (fn)
		return die_entry(fn) + o->bias;
	const struct dw_sym *sym = dw_elf_sym_at(o, pc - o->bias);
	return sym ? sym->addr + o->bias : 0;
}

/* The run-time address a call site calls, 0 when the DWARF does not say.
 * o is the object holding the site. */
static uint64_t site_target(struct dw_session *s, struct dw_obj *o, struct dw_die *site)
{
	struct dw_die *co = site->call_origin ? site->call_origin : site->origin;
	if (!co)
		return 0;	/* an expression: needs the registers of the caller */
	if (co->has_pc || co->nranges)
		return die_entry(co) + o->bias;
	if (!co->declaration)
		return 0;	/* gdb: a target DIE without pc bounds is no target */
	const char *name = co->linkage_name ? co->linkage_name : co->name;
	uint64_t a;
	return name && dw_symbol_addr(s, name, &a) == 0 ? a : 0;
}

/* The function entered at a (a DWARF subprogram starting exactly there
 * whose call sites are complete), and its object. */
static struct dw_die *func_at_entry(struct dw_session *s, uint64_t a, struct dw_obj **op)
{
	struct dw_obj *o = dw_obj_for_addr(s, a);
	if (!o)
		return NULL;
	struct dw_die *fn = dw_func_at(o, a - o->bias);
	if (!fn || die_entry(fn) + o->bias != a || !fn->all_calls)
		return NULL;
	*op = o;
	return fn;
}

/* Depth-first search over tail-call sites, as gdb does: every simple
 * path from the first target to the callee is a candidate chain; the
 * result keeps what all candidates share at both ends. */
struct search {
	struct dw_session *s;
	uint64_t callee;
	struct { struct dw_die *site; struct dw_obj *obj; } path[MAXCHAIN], res[MAXCHAIN];
	int depth, nres, callers, callees, found, visits, ambiguous_none;
};

static void candidate(struct search *S)
{
	if (!S->found) {
		memcpy(S->res, S->path, sizeof S->path);
		S->nres = S->callers = S->callees = S->depth;
		S->found = 1;
		return;
	}
	int k = 0;
	while (k < S->callers && k < S->depth && S->res[k].site == S->path[k].site)
		k++;
	S->callers = k;
	k = 0;
	while (k < S->callees && k < S->depth &&
	       S->res[S->nres - 1 - k].site == S->path[S->depth - 1 - k].site)
		k++;
	S->callees = k;
	if (S->callers == 0 && S->callees == 0)
		S->ambiguous_none = 1;
}

static void search_from(struct search *S, uint64_t target);

struct visit_ctx { struct search *S; struct dw_obj *o; };
static int visit_site(struct dw_die *d, void *ctx)
{
	struct visit_ctx *v = ctx;
	struct search *S = v->S;
	if (!d->tail_call || S->depth >= MAXCHAIN || S->ambiguous_none || ++S->visits > MAXVISIT)
		return 0;
	for (int i = 0; i < S->depth; i++)
		if (S->path[i].site == d)
			return 0;	/* already on the path: no loops */
	uint64_t tgt = site_target(S->s, v->o, d);
	if (!tgt)
		return 0;
	S->path[S->depth].site = d;
	S->path[S->depth].obj = v->o;
	S->depth++;
	if (tgt == S->callee)
		candidate(S);
	else
		search_from(S, tgt);
	S->depth--;
	return 0;
}

static void search_from(struct search *S, uint64_t target)
{
	struct dw_obj *o;
	struct dw_die *fn = func_at_entry(S->s, target, &o);
	if (!fn)
		return;
	struct visit_ctx v = { S, o };
	walk_sites(fn, visit_site, &v);
}

int dw_tail_chain(struct dw_session *s, const struct dw_target *t, uint64_t callee_entry,
		  const struct dw_frame *caller, struct dw_frame *out, int max)
{
	(void)t;
	if (!callee_entry || !caller || caller->signal_frame)
		return 0;
	struct dw_obj *o = dw_obj_for_addr(s, caller->pc - 1);
	struct dw_die *fn = o ? dw_func_at(o, caller->pc - 1 - o->bias) : NULL;
	struct dw_die *site = fn ? dw_call_site_at(fn, caller->pc - o->bias) : NULL;
	if (!site)
		return 0;
	uint64_t first = site_target(s, o, site);
	if (!first || first == callee_entry)
		return 0;
	struct search *S = dw_xcalloc(1, sizeof *S);
	S->s = s;
	S->callee = callee_entry;
	search_from(S, first);
	int n = 0;
	if (S->found && !S->ambiguous_none) {
		/* the frames shown: all of a unique chain, else the shared
		 * start (next to the caller) and end (next to the callee) */
		int idx[MAXCHAIN], k = 0;
		if (S->callers == S->nres && S->callees == S->nres) {
			for (int i = 0; i < S->nres; i++) idx[k++] = i;
		} else {
			for (int i = 0; i < S->callers; i++) idx[k++] = i;
			for (int i = S->nres - S->callees; i < S->nres; i++) idx[k++] = i;
		}
		/* out[0] nearest the callee */
		for (int j = k - 1; j >= 0 && n < max; j--) {
			struct dw_frame *f = &out[n++];
			*f = *caller;
			f->pc = site_ret(S->res[idx[j]].site) + S->res[idx[j]].obj->bias;
			f->regs[DW_REG_RIP] = caller->pc;	/* for dw_frame_prev */
			f->tailcall = idx[j] + 1;
			f->inline_depth = 0;
			f->signal_frame = 0;
		}
	}
	free(S);
	return n;
}

int dw_frame_prev(struct dw_session *s, const struct dw_target *t,
		  const struct dw_frame *f, struct dw_frame *out)
{
	struct dw_frame phys;
	if (f->tailcall) {
		/* a tail-call frame carries its physical caller's registers */
		phys = *f;
		phys.pc = f->regs[DW_REG_RIP];
		phys.tailcall = 0;
	} else if (dw_frame_caller(s, t, f, &phys) < 0) {
		return -1;
	}
	uint64_t look = (f->phys > 0 && !f->signal_frame) ? f->pc - 1 : f->pc;
	struct dw_frame chain[MAXCHAIN];
	int n = dw_tail_chain(s, t, dw_func_entry(s, look), &phys, chain, MAXCHAIN);
	/* for a tail-call frame, the chain from the caller to it is the part
	 * of the whole chain above it */
	*out = n ? chain[0] : phys;
	return 0;
}

struct self_search { struct dw_session *s; uint64_t entry; struct dw_die *seen[64]; int nseen, hit; };
static void self_from(struct self_search *S, uint64_t target);
struct self_ctx { struct self_search *S; struct dw_obj *o; };
static int self_site(struct dw_die *d, void *ctx)
{
	struct self_ctx *c = ctx;
	struct self_search *S = c->S;
	if (!d->tail_call || S->hit)
		return S->hit;
	for (int i = 0; i < S->nseen; i++)
		if (S->seen[i] == d)
			return 0;
	if (S->nseen == 64)
		return 0;
	S->seen[S->nseen++] = d;
	uint64_t tgt = site_target(S->s, c->o, d);
	if (tgt == S->entry)
		S->hit = 1;
	else if (tgt)
		self_from(S, tgt);
	return S->hit;
}

static void self_from(struct self_search *S, uint64_t target)
{
	struct dw_obj *o;
	struct dw_die *fn = func_at_entry(S->s, target, &o);
	if (!fn)
		return;
	struct self_ctx c = { S, o };
	walk_sites(fn, self_site, &c);
}

int dw_self_tailcall(struct dw_session *s, uint64_t entry)
{
	struct self_search S = { .s = s, .entry = entry };
	self_from(&S, entry);
	return S.hit;
}
