/* dw.h — the whole public face of dwarf/: "know the program".
 *
 * Turns addresses into names, lines, frames and values for a Linux x86-64
 * process, from ELF symbols, DWARF (libdwarf) and capstone.  It never touches
 * a process itself: memory and registers come through struct dw_target, so
 * the same code serves a live tracee, a replay, a checkpoint or a fake byte
 * array in a unit test.  Nothing here prints to the terminal; results are
 * formatted into a dw_sb (growable string) in gdb's output shapes, and
 * failures return a negative status with a gdb-like message in err. */
#ifndef RRTUI_DW_H
#define RRTUI_DW_H

#include <stddef.h>
#include <stdint.h>

/* DWARF register numbers for x86-64 (System V psABI). */
enum {
	DW_REG_RAX = 0, DW_REG_RDX, DW_REG_RCX, DW_REG_RBX, DW_REG_RSI,
	DW_REG_RDI, DW_REG_RBP, DW_REG_RSP, DW_REG_R8, DW_REG_R9, DW_REG_R10,
	DW_REG_R11, DW_REG_R12, DW_REG_R13, DW_REG_R14, DW_REG_R15,
	DW_REG_RIP = 16,	/* the return-address column */
	DW_NREGS = 17,
	DW_REG_XMM0 = 17,	/* xmm0..xmm15: 17..32 */
	DW_REG_EFLAGS = 49,
	DW_REG_FS_BASE = 58, DW_REG_GS_BASE = 59
};

/* How the library reads the program.  Both return 0 or a negative errno. */
struct dw_target {
	void *ctx;
	int (*read_mem)(void *ctx, uint64_t addr, void *buf, size_t len);
	int (*read_reg)(void *ctx, int dwarf_regno, uint64_t *val);
};

/* Growable string; all formatting goes here. */
struct dw_sb {
	char *buf;
	size_t len, cap;
};
void dw_sb_init(struct dw_sb *sb);
void dw_sb_free(struct dw_sb *sb);
void dw_sb_clear(struct dw_sb *sb);
void dw_sb_printf(struct dw_sb *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct dw_session;

int dw_session_new(struct dw_session **out, char *err, size_t errlen);
void dw_session_free(struct dw_session *s);
/* Where separate debug files live ("/usr/lib/debug" by default); NULL or ""
 * turns the lookup off. */
void dw_set_debug_dir(struct dw_session *s, const char *dir);
/* Tell the session about a loaded object.  bias = run-time address minus
 * link-time address (the link map's l_addr); the main executable first. */
int dw_add_object(struct dw_session *s, const char *path, uint64_t bias,
		  char *err, size_t errlen);
/* Find the shared libraries by walking r_debug/link_map in the target via
 * the main executable's DT_DEBUG (call once ld.so has run). */
int dw_load_link_map(struct dw_session *s, const struct dw_target *t,
		     char *err, size_t errlen);

/* ---- symbols (elf.c) ---- */
struct dw_symbol {
	const char *name;	/* NULL when unknown */
	uint64_t addr, size;	/* run-time address */
	const char *objpath;
};
int dw_symbol_for_addr(struct dw_session *s, uint64_t addr, struct dw_symbol *out);
int dw_symbol_addr(struct dw_session *s, const char *name, uint64_t *addr);
/* Appends "<sym+off>" (nothing when no symbol covers addr). */
void dw_sb_addr_sym(struct dw_session *s, struct dw_sb *sb, uint64_t addr);

/* ---- lines (line.c) ---- */
struct dw_line {
	const char *file;	/* as in the line table (full path when known) */
	int line;
	uint64_t addr;		/* start of the row containing pc */
	uint64_t end;		/* end of that row */
	int is_stmt;
};
int dw_line_for_pc(struct dw_session *s, uint64_t pc, struct dw_line *out);
/* gdb-style locations: "func", "file:line", "line" (in the main CU) and
 * "*ADDR".  Gives the breakpoint address (after the prologue for func). */
int dw_resolve_location(struct dw_session *s, const char *spec, uint64_t *addr,
			char *err, size_t errlen);
/* Where a file named as the line tables name it ("main.c", relative to its
 * compilation directory) is: *comp_dir (or NULL) and, in out, the file
 * joined to it. Returns -1 when no compilation unit has that file. */
int dw_source_fullpath(struct dw_session *s, const char *file, char *out, size_t outlen,
		       const char **comp_dir);
/* All address ranges of the line containing pc, within pc's function: a
 * line split into several ranges is one line for stepping. */
struct dw_range { uint64_t lo, hi; };
int dw_line_ranges(struct dw_session *s, uint64_t pc, struct dw_range *out,
		   size_t max, size_t *n);
/* The function containing pc: name and [lo, hi). */
int dw_func_for_pc(struct dw_session *s, uint64_t pc, const char **name,
		   uint64_t *lo, uint64_t *hi);

/* ---- frames (frame.c) ---- */
struct dw_frame {
	int level;
	uint64_t pc;		/* resume address */
	uint64_t cfa;
	uint64_t regs[DW_NREGS];
	uint32_t valid;		/* bit i: regs[i] known */
	int signal_frame;	/* pc is exact (interrupted, not a return address) */
	int inline_depth;	/* gdb frames: inlined levels out from the innermost */
	int phys;		/* index of the physical frame (dw_frames) */
	int tailcall;		/* 0, or a function that tail-called (jumped to)
				 * the frame below, shown as gdb does from the call
				 * sites' DW_AT_call_tail_call: N-th from its caller */
};
/* Unwind from the target's current registers: one entry per physical
 * (CFI) frame, up to max. */
int dw_unwind(struct dw_session *s, const struct dw_target *t,
	      struct dw_frame *frames, int max, int *n, char *err, size_t errlen);
/* The frames gdb numbers: physical frames with their inlined calls
 * expanded (inline_depth 0 = innermost), levels renumbered, ending at main
 * (gdb's "backtrace past-main off").  Select frames from this list for
 * frame/up/down, info args/locals and print. */
int dw_frames(struct dw_session *s, const struct dw_target *t,
	      struct dw_frame *frames, int max, int *n, char *err, size_t errlen);

/* In a dw_frames list: the index of the frame that resumes when frame i's
 * function returns (finish, stepping out), or -1.  That is the next
 * physical frame: past frame i's inlined levels and past tail-call frames
 * (tailcall != 0), whose functions jumped away and are not returned to —
 * gdb's finish skips them too. */
int dw_frame_return_index(const struct dw_frame *frames, int n, int i);

/* ---- gdb commands, formatted (stack.c, expr.c, value.c, disasm.c) ---- */
int dw_backtrace(struct dw_session *s, const struct dw_target *t, int max,
		 struct dw_sb *out, char *err, size_t errlen);
/* "#N  ..." line for one frame, as bt and frame/up/down show it. */
int dw_frame_line(struct dw_session *s, const struct dw_target *t,
		  const struct dw_frame *f, struct dw_sb *out);
/* The file:line a frame is "at" (the call line for an inlined caller). */
int dw_frame_pos(struct dw_session *s, const struct dw_frame *f,
		 const char **file, int *line);
int dw_info_args(struct dw_session *s, const struct dw_target *t,
		 const struct dw_frame *f, struct dw_sb *out, char *err, size_t errlen);
int dw_info_locals(struct dw_session *s, const struct dw_target *t,
		   const struct dw_frame *f, struct dw_sb *out, char *err, size_t errlen);
/* print[/FMT] EXPR: appends "$N = value\n" and records $N.  fmt is 0 or one
 * of x d u o t c a s. */
int dw_print(struct dw_session *s, const struct dw_target *t,
	     const struct dw_frame *f, const char *expr, char fmt,
	     struct dw_sb *out, char *err, size_t errlen);
/* gdb's "output[/FMT] EXPR": appends the value exactly as print shows it
 * after "$N = " (no "$N = ", no newline) and does NOT record it in the
 * value history, so that watch values, displays and the TUI's watch and
 * locals panes leave $1, $2, ... to the user's own prints.  Reads memory
 * only for the value shown ("&x" needs none). */
int dw_output(struct dw_session *s, const struct dw_target *t,
	      const struct dw_frame *f, const char *expr, char fmt,
	      struct dw_sb *out, char *err, size_t errlen);
/* ptype (whatis == 0) or whatis (whatis == 1) EXPR-or-TYPE. */
int dw_ptype(struct dw_session *s, const struct dw_target *t,
	     const struct dw_frame *f, const char *expr, int whatis,
	     struct dw_sb *out, char *err, size_t errlen);
/* Evaluate to an integer/address (conditions, x's address). */
int dw_eval_u64(struct dw_session *s, const struct dw_target *t,
		const struct dw_frame *f, const char *expr, uint64_t *val,
		char *err, size_t errlen);
/* x/NFU EXPR: arg is everything after "x" ("/4i $pc", "/8xb &v"). */
int dw_examine(struct dw_session *s, const struct dw_target *t,
	       const struct dw_frame *f, const char *arg,
	       struct dw_sb *out, char *err, size_t errlen);
/* n instructions from addr, gdb's x/i shape; "=> " marks cur_pc. */
/* One instruction at addr in gdb's AT&T syntax (no address prefix) into
 * out; *len its length, its bytes into bytes (16 at most) when given.
 * -1 when memory there cannot be read. */
int dw_disasm_insn(struct dw_session *s, const struct dw_target *t, uint64_t addr,
		   struct dw_sb *out, size_t *len, uint8_t *bytes);
int dw_disasm(struct dw_session *s, const struct dw_target *t, uint64_t addr,
	      int n, uint64_t cur_pc, struct dw_sb *out, uint64_t *next);

#endif
