/*
 * dbg_int.h — what the files of the debugger session (cmds/dbg*.c,
 * cmds/cmd_table.c) share: the session struct, the command table's row
 * type, and the helpers every command uses (printing, the dwarf target over
 * the timeline, frames, stop reports). Nothing outside cmds/dbg*.c,
 * cmd_table.c and console.c includes it; front-ends use dbg.h.
 */
#ifndef RRTUI_CMDS_DBG_INT_H
#define RRTUI_CMDS_DBG_INT_H

#include "cmds/dbg.h"
#include "core/core.h"
#include "dwarf/dw.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

#define DBG_MAX_FRAMES 256
#define DBG_MAX_BPS 256
#define DBG_MAX_DISPLAYS 64

/* A user breakpoint or watchpoint, as gdb numbers them. Each may hold
 * several engine breakpoints (a software watchpoint on a wide object
 * would; today one). */
struct dbg_bp {
	int number;              /* 0: free slot */
	int type;                /* 0 breakpoint, 1 watch, 2 rwatch, 3 awatch */
	int hw;                  /* watchpoint: 1 hardware (debug registers) */
	int enabled;
	int temporary;
	int tl_id;               /* engine id while armed, else 0 */
	uint64_t addr;
	int len;                 /* watchpoint width */
	char spec[256];          /* what the user typed */
	char what[1024];         /* "in main at clock.c:42" or the expression */
	char file[1024];
	int line;
	char func[256];
	char *cond;              /* condition expression or NULL */
	int ignore;              /* hits still to ignore */
	int hits;
	char *old_text;          /* watchpoint: last value, printed */
	char *new_text;          /* watchpoint: value at the hit being reported */
	uint64_t image;          /* the program image its address is in */
	int pending;             /* its location is in no image loaded now */
	char **cmds;             /* `commands`: lines run after it stops */
	int ncmds;
	char *dprintf;           /* dprintf: the printf arguments; it never stops */
	unsigned char old_bytes[8]; /* software watchpoint: last contents */
	uint64_t scope_cfa;      /* watch on a local: frame it lives in (0: global) */
};

struct dbg_display {
	int number;
	char fmt;                /* 0 or a print format */
	char xfmt[16];           /* /i, /s (with a count): shown as x shows memory */
	char *expr;
};

struct src_file {
	char *path;
	char *text;              /* the file, with '\n' turned into '\0' */
	char **lines;
	int nlines;
	int missing;             /* could not be read (reported once) */
};

#define DBG_MAX_LIBS 256
#define DBG_MAX_IMAGES 64       /* execve'd program images with symbols kept */

/* A program image (what one execve loaded) and its debug information,
 * loaded the first time the session needs it. */
struct dbg_image {
	uint64_t ev;            /* its exec event */
	struct dw_session *dw;  /* NULL until needed */
	char *sig;              /* its objects and where they are, for sharing */
	int shared;             /* dw belongs to another image of the same objects */
};
#define DBG_NSIG 65             /* Linux signals 1..64 */

struct dbg_lib {
	char name[512];
	uint64_t lo, hi;        /* its .text, loaded */
	uint64_t event;         /* mapped by then (0: the interpreter) */
};

struct dbg {
	struct dbg_options opt;
	int time_commands;      /* maintenance time 1 */
	struct dbg_lib libs[DBG_MAX_LIBS];
	int nlibs;
	struct tl *tl;
	struct trace *trace;
	struct dw_session *dw;   /* the current image's (images[].dw) */
	struct dbg_image images[DBG_MAX_IMAGES];
	int nimages;
	uint64_t image;          /* the current image's exec event */
	struct dw_target target;
	char trace_dir[4096];
	char exe[4096];

	/* register cache for the dwarf target: valid until the next motion */
	struct user_regs_struct regs;
	int have_regs;
	struct user_fpregs_struct fpregs;
	int have_fpregs;

	/* frames of the current stop (gdb's numbering) and the selected one */
	struct dw_frame frames[DBG_MAX_FRAMES];
	int nframes;
	int have_frames;
	int cur_frame;

	struct dbg_bp bps[DBG_MAX_BPS];
	int next_bp_number;
	struct dbg_display displays[DBG_MAX_DISPLAYS];
	int ndisplays;
	int next_display_number;

	int exec_direction;      /* 1 forward, -1 reverse (set exec-direction) */
	int last_direction;
	char last_state[128];
	char last_cmd[1024];     /* what Enter repeats */
	int list_line;           /* next line `list` shows; 0: around the stop */
	int list_first;          /* first line the last `list` showed (`list -`) */
	int listsize;            /* lines `list` shows (set listsize) */
	char list_file[1024];

	struct src_file *srcs;
	int nsrcs;

	volatile sig_atomic_t interrupted;
	dbg_progress_fn progress;
	void *progress_ctx;

	/* user checkpoints: gdb numbers them from 1 */
	int ck_ids[256];
	int nck;

	/* output of the program up to now, kept for dbg_output */
	struct dw_sb out_log;

	/* software watchpoints: motions single-step while one is enabled */
	int can_use_hw_watchpoints;

	/* `commands`: the breakpoints whose list is being typed (collecting
	 * until "end"), and the lines to run after the current command (the
	 * list of the breakpoint it stopped at) */
	int collecting;
	int coll_bps[16], ncoll_bps;
	char **coll;
	int ncoll;
	char **actions;
	int nactions;
	int in_actions;

	/* the command running came from the terminal (gdb's from_tty): a
	 * script or batch -ex leaves out "Continuing." and the like */
	int from_tty;

	/* gdb's signal table (`handle`), by Linux signal number; sig_gen
	 * changes with it, and the next signal found (dbg_exec.c) is kept
	 * for the motions that ask again and again */
	unsigned char sig_stop[DBG_NSIG], sig_print[DBG_NSIG], sig_pass[DBG_NSIG];
	unsigned sig_gen;
	struct {
		unsigned gen;
		int want_print;
		uint64_t nevents, after, found;
	} sig_next;
};

/* One row of the command table (cmds/cmd_table.c). */
struct dbg_cmd {
	const char *name;
	const char *aliases;     /* space-separated, or NULL */
	const char *group;       /* "running", "breakpoints", "data", "stack", ... */
	const char *args;        /* argument synopsis for help, or "" */
	const char *help;        /* first line: summary; then details */
	int (*run)(struct dbg *d, const char *args, int from_tty);
	int repeat;              /* Enter repeats it */
};
extern const struct dbg_cmd dbg_cmds[];
extern const int dbg_ncmds;
/* The row for a command word (exact name, alias, or unique prefix); NULL
 * with *ambiguous set when a prefix matches several. */
const struct dbg_cmd *dbg_cmd_find(const char *word, size_t len, int *ambiguous);
/* help [CMD]; and the markdown reference (docs/commands.md). */
int dbg_cmd_help(struct dbg *d, const char *args, int from_tty);
void dbg_cmd_markdown(FILE *f);

/* ---- printing (dbg.c) ---- */
void dbg_printf(struct dbg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbg_puts(struct dbg *d, const char *s);
void dbg_write(struct dbg *d, const char *s, size_t n);
/* Prints an error line; returns DBG_ERROR. */
int dbg_error(struct dbg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- state (dbg.c) ---- */
/* Forgets cached registers and frames: call after every motion. */
void dbg_invalidate(struct dbg *d);
/* After a motion of the timeline: dbg_invalidate, and when the motion
 * crossed an execve, the symbols of the image it is in now and the
 * breakpoints set again in it. Returns 1 when the image changed. */
int dbg_after_motion(struct dbg *d);
/* The debug information of the image exec event ev started (loaded on
 * first use), NULL when there is none. */
struct dw_session *dbg_image_dw(struct dbg *d, uint64_t ev);
int dbg_regs(struct dbg *d, struct user_regs_struct *r);
int dbg_read(struct dbg *d, uint64_t addr, void *buf, size_t len);
/* The frames of the current stop; <0 when there are none (no process). */
int dbg_load_frames(struct dbg *d);
const struct dw_frame *dbg_sel_frame(struct dbg *d);
/* CFA of frame 0 (identifies the activation), 0 when unknown. */
uint64_t dbg_cfa(struct dbg *d);
int dbg_alive(struct dbg *d);

/* "LINE\tTEXT\n" for a source line (gdb's shape, and its complaint when
 * the file cannot be read). */
void dbg_print_source_line(struct dbg *d, const char *file, int line);
/* The frame line as a stop shows it ("main () at f.c:3" or "0x... in ..."). */
void dbg_print_frame_head(struct dbg *d, const struct dw_frame *f, int with_level);
/* Prints a frame (location + source) the way `frame` and stops do:
 * what 0: source line only (with the address when mid-line), 1: location
 * and source line. */
void dbg_print_frame(struct dbg *d, int frame, int src_and_loc);

/* The value of EXPR as print shows it, without the "$N = " (and, as long as
 * dwarf/ has no non-recording printer, using up a history number). */
int dbg_value_text(struct dbg *d, const struct dw_frame *f, const char *expr, char fmt,
                   char *out, size_t outlen, char *err, size_t errlen);

/* ---- stops (dbg_exec.c) ---- */
/* How a command's motion ended, for the stop report. */
enum dbg_why {
	WHY_STEP,                /* end of a stepping range: source line */
	WHY_STEP_NEWFRAME,       /* stepped into another function: location too */
	WHY_STEPI,               /* stepi: address + line */
	WHY_LOCATION,            /* until/advance/finish/run N: location line */
};
/* Reports a motion's end as gdb does, then the displays. */
void dbg_report(struct dbg *d, const struct tl_stop *st, enum dbg_why why);
/* The motion commands. */
int dbg_cmd_continue(struct dbg *d, const char *args, int dir);
int dbg_cmd_step(struct dbg *d, const char *args, int dir, int over);
int dbg_cmd_stepi(struct dbg *d, const char *args, int dir, int over);
int dbg_cmd_finish(struct dbg *d, int dir);
int dbg_cmd_until(struct dbg *d, const char *args, int dir, int advance);
int dbg_cmd_run_event(struct dbg *d, const char *args);
int dbg_cmd_start(struct dbg *d);
/* "+N" / "-N": the line N after or before the selected frame's, as
 * FILE:LINE in out (1); 0 when spec is no such offset. */
int dbg_line_offset(struct dbg *d, const char *spec, char *out, size_t outlen);
/* The direction a plain motion command goes (set exec-direction). */
int dbg_dir(struct dbg *d, int reverse);

/* ---- signals (dbg_signals.c) ---- */
void dbg_sig_init(struct dbg *d);
/* gdb's name ("SIGUSR1", "SIG34") and description ("User defined signal 1"). */
const char *dbg_sig_name(int signo);
const char *dbg_sig_desc(int signo);
/* What `handle` says: stop at the signal's delivery / print it. */
int dbg_sig_stops(const struct dbg *d, int signo);
int dbg_sig_prints(const struct dbg *d, int signo);
int dbg_cmd_handle(struct dbg *d, const char *args, int from_tty);
int dbg_info_signals(struct dbg *d, const char *args);

/* ---- breakpoints (dbg_break.c) ---- */
int dbg_bp_arm_all(struct dbg *d);
/* The session moved to another program image: each breakpoint is set
 * again by its location in it, or waits (pending, or the image of its
 * address) until the session is back. */
void dbg_bp_image_changed(struct dbg *d);
/* commands [N...]: starts collecting lines for breakpoints N (default: the
 * last one) until "end". */
int dbg_cmd_commands(struct dbg *d, const char *args, int from_tty);
/* A line while collecting: kept, or "end" (1 when collecting ended). */
int dbg_commands_line(struct dbg *d, const char *line);
/* Whether a stop at b is silent (its list starts with "silent"); and the
 * list to run once the command that stopped there returns. */
int dbg_bp_silent(const struct dbg_bp *b);
/* What a report does, without printing (a silent stop). */
void dbg_bp_report_silent(struct dbg *d, struct dbg_bp *b);
void dbg_bp_queue_actions(struct dbg *d, const struct dbg_bp *b);
int dbg_cmd_dprintf(struct dbg *d, const char *args, int from_tty);
struct dbg_bp *dbg_bp_by_tl(struct dbg *d, int tl_id);
/* After an engine stop at a user breakpoint: condition-independent
 * bookkeeping (hits, ignore counts, temporary ones). Returns 1 when the
 * stop stands, 0 when the hit is to be ignored (keep going). */
int dbg_bp_hit(struct dbg *d, struct dbg_bp *b);
/* Prints "Breakpoint N, " / the watchpoint block for a stop. */
void dbg_bp_report(struct dbg *d, struct dbg_bp *b, const struct tl_stop *st, int dir);
/* Watchpoints on locals whose frame is gone are deleted (gdb's "Watchpoint
 * N deleted because the program has left the block"). */
void dbg_bp_refresh_watch_values(struct dbg *d);

int dbg_cmd_break(struct dbg *d, const char *args, int temporary);
int dbg_cmd_watch(struct dbg *d, const char *args, int type);
int dbg_cmd_delete(struct dbg *d, const char *args);
int dbg_cmd_enable(struct dbg *d, const char *args, int enable);
int dbg_cmd_condition(struct dbg *d, const char *args);
int dbg_cmd_ignore(struct dbg *d, const char *args);
int dbg_cmd_info_breakpoints(struct dbg *d, const char *args, int watch_only);

/* ---- data and stack (dbg_info.c) ---- */
int dbg_cmd_print(struct dbg *d, const char *args, int kind);
int dbg_cmd_display(struct dbg *d, const char *args);
int dbg_cmd_undisplay(struct dbg *d, const char *args);
void dbg_do_displays(struct dbg *d);
int dbg_cmd_info(struct dbg *d, const char *args);
int dbg_cmd_backtrace(struct dbg *d, const char *args);
int dbg_cmd_frame(struct dbg *d, const char *args, int rel);
int dbg_cmd_list(struct dbg *d, const char *args);
int dbg_cmd_x(struct dbg *d, const char *args);
int dbg_cmd_checkpoint(struct dbg *d, const char *args, int what);

#endif
