/* dw_int.h — private model shared by the files of dwarf/.
 *
 * libdwarf is used only while loading (die.c, line.c): DIEs are copied into
 * the plain structs below, so the rest of the module walks C pointers and
 * never deals with libdwarf handles or its error conventions.  All
 * addresses stored here are link-time; add obj->bias at the boundary. */
#ifndef RRTUI_DW_INT_H
#define RRTUI_DW_INT_H

#include "dwarf/dw.h"
#include <stdarg.h>

#define DW_ERR(err, errlen, ...) (snprintf((err), (errlen), __VA_ARGS__), -1)

struct dw_op {
	uint8_t atom;
	uint64_t op1, op2, op3;
	uint64_t off;		/* byte offset in the expression (branches) */
	uint8_t *block;		/* implicit_value / entry_value bytes (owned) */
};
struct dw_expr { int nops; struct dw_op *ops; };
struct dw_locent { uint64_t lo, hi; struct dw_expr e; };
struct dw_loc {
	int kind;		/* 0 none, 1 single expression, 2 list */
	struct dw_expr e;
	int n;
	struct dw_locent *ents;
};

struct dw_cu;
struct dw_die {
	uint16_t tag;
	uint8_t external, declaration, artificial, prototyped, has_const, has_ub,
		has_count, has_pc, is_synth;
	uint8_t tail_call;	/* call site: DW_AT_call_tail_call (a jump) */
	uint8_t all_calls;	/* subprogram: DW_AT_call_all_(tail_)calls, its
				 * call sites are complete (tail-call chains) */
	int encoding;
	const char *name;
	struct dw_die *parent, *child, *next;
	/* references are DIE offsets while loading, pointers after (die.c);
	 * a large library keeps ~600k DIEs, so every byte here counts */
	union { struct dw_die *type; uint64_t type_off; };
	union { struct dw_die *origin; uint64_t origin_off; };
	union { struct dw_die *call_origin; uint64_t call_origin_off; };
	uint64_t off;
	int32_t byte_size, bit_size, bit_off, member_loc;
	int64_t const_value, ub, count;
	uint64_t low_pc, high_pc;
	int nranges;
	uint64_t (*ranges)[2];
	struct dw_loc loc;
	union {	/* a DIE has at most one of these, by its tag */
		struct dw_loc frame_base;	/* subprogram */
		struct dw_loc call_target;	/* call site */
		struct dw_loc call_value;	/* call-site parameter */
	};
	uint64_t call_return_pc;
	uint8_t *cblock;	/* DW_AT_const_value as a block */
	size_t cblock_len;
	int decl_line;
	int call_file, call_line;	/* inlined_subroutine: where it was inlined */
	const char *linkage_name;
	struct dw_cu *cu;
};

struct dw_linerow {
	uint64_t addr;
	int line;
	int file;		/* index into cu->files */
	uint8_t is_stmt, end_seq, prologue_end;
};

struct dw_obj;
struct dw_cu {
	struct dw_obj *obj;
	struct dw_die *die;
	const char *name, *comp_dir, *producer;
	int version, is_clang;
	uint64_t hdr_off;	/* offset of the unit header in .debug_info */
	char **files;
	int nfiles;
	int *fmap;		/* line-table file number -> files[] index */
	int nfmap;
	struct dw_linerow *rows;
	size_t nrows;
};

struct dw_sym { char *name; uint64_t addr, size; int is_func; };

struct dw_obj {
	char *path, *dbgpath;
	uint64_t bias;
	struct dw_sym *syms;	/* sorted by addr */
	size_t nsyms;
	uint8_t *eh_frame; size_t eh_frame_size; uint64_t eh_frame_addr;
	uint8_t *debug_frame; size_t debug_frame_size;
	uint64_t lo, hi;	/* link-time extent of PT_LOADs */
	uint64_t dyn_addr;	/* link-time address of .dynamic */
	uint64_t tls_memsz, tls_align;	/* PT_TLS, for thread-local variables */
	struct dw_cu **cus;
	int ncus;
	struct dw_die **dies;	/* sorted by offset, for refs */
	size_t ndies;
	struct dw_die **funcs;	/* subprograms with pc, sorted by low_pc */
	size_t nfuncs;
	/* address → DIE indexes: every range of every function (a hot/cold
	 * function has two) and of every CU, sorted by lo, so that a pc
	 * lookup is a binary search, not a scan */
	struct dw_span { uint64_t lo, hi; struct dw_die *die; } *fspans, *cspans;
	size_t nfspans, ncspans;
	char *pool;		/* the open Dwarf_Debug (names point into it) */
	int dwarf_fd;
};

struct dw_value {
	struct dw_die *type;
	int lval;		/* 0 none, 1 memory, 2 register */
	uint64_t addr;
	int regno;
	uint8_t *bytes;
	size_t size;
	int optimized_out;
	int bitsize, bitpos;	/* bitfield within bytes */
	int ninv;		/* bit ranges with no location (pieces) */
	uint32_t inv[8][2];
};

struct dw_session {
	struct dw_obj **objs;
	int nobjs;
	char debug_dir[256];
	struct dw_die **synth;	/* synthetic types, freed with the session */
	int nsynth, capsynth;
	struct dw_value *hist;
	int nhist;
	void *cs;		/* capstone handle (disasm.c) */
	struct { char name[32]; struct dw_die *d; } btcache[24];	/* base types */
	int nbtcache;
};

/* A frame as the evaluators see it: registers plus where we are. */
struct dw_ctx {
	struct dw_session *s;
	const struct dw_target *t;
	const struct dw_frame *f;
	const struct dw_frame *caller;	/* for entry values; may be NULL */
	struct dw_obj *obj;
	struct dw_die *func;
	uint64_t lpc;		/* link-time pc used for lookups */
	struct dw_cu *cu;	/* CU of the expression being evaluated */
	struct dw_die *scope_fn;	/* subprogram or inlined_subroutine of this frame */
	struct dw_die *scope;	/* innermost lexical block at pc within scope_fn */
	struct dw_die *call_site;	/* inlined_subroutine one level in (for its call line) */
	int ninline;		/* inlined levels at pc in the physical frame */
	int depth;		/* entry values resolved through callers so far */
};

/* util (session.c) */
void *dw_xcalloc(size_t n, size_t sz);
char *dw_xstrdup(const char *s);
void dw_vsb_printf(struct dw_sb *sb, const char *fmt, va_list ap);
void dw_sb_puts(struct dw_sb *sb, const char *s);
struct dw_obj *dw_obj_for_addr(struct dw_session *s, uint64_t addr);

/* elf.c */
int dw_elf_load(struct dw_obj *o, const char *debug_dir, char *err, size_t errlen);
const struct dw_sym *dw_elf_sym_at(struct dw_obj *o, uint64_t laddr);

/* die.c */
int dw_die_load(struct dw_obj *o, const char *path, char *err, size_t errlen);
void dw_die_free(struct dw_obj *o);
struct dw_die *dw_func_at(struct dw_obj *o, uint64_t lpc);
int dw_die_has_pc(const struct dw_die *d, uint64_t lpc);
struct dw_die *dw_die_at_off(struct dw_obj *o, uint64_t off);
struct dw_cu *dw_cu_for_pc(struct dw_obj *o, uint64_t lpc);
const struct dw_expr *dw_loc_at(const struct dw_loc *l, uint64_t lpc);
void dw_die_free_tree(struct dw_die *d);

/* line.c */
const char *dw_cu_file(struct dw_cu *cu, int fileno);
int dw_line_lookup(struct dw_cu *cu, uint64_t lpc, struct dw_line *out);
uint64_t dw_func_break_addr(struct dw_die *fn);

/* tailcall.c — gdb's tail-call frames */
/* The call site in fn (or its blocks) whose return address is ret_lpc. */
struct dw_die *dw_call_site_at(struct dw_die *fn, uint64_t ret_lpc);
/* Run-time entry address of the function containing pc (0: unknown). */
uint64_t dw_func_entry(struct dw_session *s, uint64_t pc);
/* The functions that tail-called their way from caller's call site to
 * the function entered at callee_entry: out[0] is the one nearest the
 * callee.  Each is a frame with the caller's registers, pc = its tail
 * call's return address, regs[RIP] = the caller's pc, tailcall = its
 * position counted from the caller (1 = called by caller).  Returns how
 * many (0: a direct call, or nothing provable). */
int dw_tail_chain(struct dw_session *s, const struct dw_target *t, uint64_t callee_entry,
		  const struct dw_frame *caller, struct dw_frame *out, int max);
/* gdb's get_prev_frame for a function-level frame f: its physical caller,
 * or the tail-call frame in between. */
int dw_frame_prev(struct dw_session *s, const struct dw_target *t,
		  const struct dw_frame *f, struct dw_frame *out);
/* Can the function entered at entry reach itself through tail calls?
 * (gdb then trusts no entry value of it) */
int dw_self_tailcall(struct dw_session *s, uint64_t entry);

/* frame.c */
int dw_cfi_step(struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *in, struct dw_frame *out);
/* in's caller with its own CFA filled in */
int dw_frame_caller(struct dw_session *s, const struct dw_target *t,
		    const struct dw_frame *in, struct dw_frame *out);

/* loc.c */
int dw_loc_eval(struct dw_ctx *c, const struct dw_expr *e, struct dw_value *v,
		struct dw_die *type, char *err, size_t errlen);
int dw_expr_eval_addr(struct dw_ctx *c, const struct dw_expr *e, uint64_t *out);
/* Where var lives, without reading it: a memory value comes back with
 * lval 1 and bytes NULL (lazy; dw_value_fetch reads it).  Taking an
 * address or a size must work when the memory cannot be read. */
int dw_var_locate(struct dw_ctx *c, struct dw_die *var, struct dw_value *v,
		  char *err, size_t errlen);
/* dw_var_locate + dw_value_fetch */
int dw_var_value(struct dw_ctx *c, struct dw_die *var, struct dw_value *v,
		 char *err, size_t errlen);
int dw_entry_value(struct dw_ctx *c, int regno, uint64_t *val);
int dw_param_entry_value(struct dw_ctx *c, struct dw_die *param,
			 struct dw_value *v);
int dw_ctx_init(struct dw_ctx *c, struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *f, const struct dw_frame *caller);

/* types.c */
struct dw_die *dw_type_strip(struct dw_die *t);	/* typedefs + cv */
struct dw_die *dw_type_strip_cv(struct dw_die *t);
int64_t dw_type_size(struct dw_die *t);
void dw_type_name(struct dw_sb *sb, struct dw_die *t, const char *declname);
void dw_type_ptype(struct dw_sb *sb, struct dw_die *t, int expand);
struct dw_die *dw_synth(struct dw_session *s, int tag, const char *name,
			int64_t size, int enc, struct dw_die *target);
struct dw_die *dw_base_type(struct dw_session *s, const char *name);
struct dw_die *dw_find_type(struct dw_session *s, struct dw_ctx *c,
			    int tag, const char *name);
int dw_type_is_int(struct dw_die *t);
int dw_type_is_float(struct dw_die *t);
int dw_type_is_char(struct dw_die *t);
int dw_type_is_signed(struct dw_die *t);
int dw_type_is_ptr(struct dw_die *t);
/* gdb's spelling of a C base type name ("long unsigned int" -> "unsigned long") */
const char *dw_type_canon(const char *n);

/* value.c */
void dw_value_free(struct dw_value *v);
void dw_value_copy(struct dw_value *dst, const struct dw_value *src);
int dw_value_fetch(const struct dw_target *t, struct dw_value *v);
uint64_t dw_value_u64(const struct dw_value *v);
int64_t dw_value_s64(const struct dw_value *v);
double dw_value_f64(const struct dw_value *v);
/* top: print-command style (adds "(type *) " prefix to pointers) */
void dw_value_format(struct dw_session *s, const struct dw_target *t,
		     struct dw_sb *sb, const struct dw_value *v, char fmt, int top);

/* expr.c */
int dw_expr_parse_eval(struct dw_ctx *c, const char *text, struct dw_value *v,
		       struct dw_die **type_only, char *err, size_t errlen);
struct dw_die *dw_lookup_var(struct dw_ctx *c, const char *name, int *is_global);

/* disasm.c */
void dw_disasm_close(struct dw_session *s);
int dw_disasm_one(struct dw_session *s, const uint8_t *code, size_t len,
		  uint64_t addr, struct dw_sb *out, size_t *insn_len);

#endif
