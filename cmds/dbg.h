/*
 * dbg.h — the debugger session: gdb's command language over a replay.
 *
 * A dbg session joins a timeline (core/, struct tl: positions, checkpoints,
 * forward and reverse motion) with the program's debug information (dwarf/,
 * struct dw_session) and keeps what a gdb user expects the debugger to
 * remember: breakpoints and watchpoints with their numbers, conditions and
 * ignore counts, the value history ($1, $2, ...), displays, the selected
 * frame, the execution direction, the last command (Enter repeats it).
 *
 * Front-ends drive it: the line-mode console (cmds/console.c: readline,
 * batch mode) and the full-screen TUI (tui/). Everything a command prints
 * goes through the print callback, in gdb's wording and shapes, so the TUI
 * can show it in its console pane. The query functions below give the TUI
 * the state its panes show without parsing text.
 */
#ifndef RRTUI_CMDS_DBG_H
#define RRTUI_CMDS_DBG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

struct dbg;

/* Receives everything commands print; text is not NUL-terminated. Errors
 * come through here too, with is_error set (gdb prints them on stderr). */
typedef void (*dbg_print_fn)(void *ctx, const char *text, size_t len, int is_error);

struct dbg_options {
	const char *trace_dir;   /* the trace to debug */
	uint64_t start_event;    /* 0: the start of the recording (or the crash,
	                            see at_crash); else open at this event */
	int at_crash;            /* open at the recorded fatal signal, if any */
	dbg_print_fn print;
	void *print_ctx;
	int echo_output;         /* write the program's output to our stdout and
	                            stderr as the replay first passes it (gdb's
	                            and rr's consoles; the TUI has its pane) */
};

int dbg_open(const struct dbg_options *opt, struct dbg **out, char *err, size_t errlen);
void dbg_close(struct dbg *d);

/* Runs one command line exactly as typed at gdb's prompt ("" repeats the
 * last repeatable command, as Enter does). Returns DBG_OK, DBG_ERROR (the
 * error was printed) or DBG_QUIT. */
enum { DBG_OK = 0, DBG_ERROR = -1, DBG_QUIT = 1 };
int dbg_execute(struct dbg *d, const char *line);
/* The same, saying where the line came from: from_tty 0 for a script (-x)
 * or gdb's batch -ex, which leave out "Continuing." and the like. */
int dbg_execute_from(struct dbg *d, const char *line, int from_tty);

/* Asks a running motion (continue, reverse scans, seeks) to stop at the
 * next consistent position; safe to call from a signal handler. */
void dbg_interrupt(struct dbg *d);

/* Progress of a long motion, for a status line: called now and then. */
typedef void (*dbg_progress_fn)(void *ctx, const char *what, double fraction);
void dbg_set_progress(struct dbg *d, dbg_progress_fn fn, void *ctx);

/* ---- state for front-ends ------------------------------------------------ */

struct dbg_where {
	char func[256];          /* "" when unknown */
	char file[1024];         /* as in the line table ("" without line info) */
	char fullpath[4096];     /* absolute path of the source when found */
	int line;                /* 0 without line info */
	uint64_t pc;             /* of the selected frame */
	int frame;               /* the selected frame number */
	uint64_t event;          /* current event */
	uint64_t nevents;        /* events in the recording */
	char pos[96];            /* the position, printed */
	int direction;           /* of the last motion: 1 forward, -1 backward, 0 none */
	int at_start;            /* at the start of the recording */
	int at_end;              /* at the end; exit_status then valid */
	int exit_status;         /* wait status */
	char state[128];         /* "stopped at breakpoint 2", "exited with code 1", ... */
};
int dbg_where(struct dbg *d, struct dbg_where *w);

int dbg_registers(struct dbg *d, struct user_regs_struct *regs);

struct dbg_frame_info {
	int level;
	uint64_t pc;
	char func[256];
	char args[512];          /* "a=1, b=0x0" as in bt */
	char file[1024];
	int line;
	char from[256];          /* library, for frames without debug info */
};
/* Fills up to max frames; returns how many there are (<= max), or -1. */
int dbg_backtrace(struct dbg *d, struct dbg_frame_info *out, int max);
int dbg_select_frame(struct dbg *d, int level);

/* A variable (local, argument, or watch expression) in the selected frame,
 * and its members: children are fetched by path ("s", "s.next", "a[3]"). */
struct dbg_var {
	char name[128];
	char type[256];
	char value[1024];        /* gdb's print form of the value ("{...}" for
	                            aggregates when has_children) */
	int has_children;
	int is_arg;
};
/* path NULL: the args and locals of the selected frame; else the members
 * of that expression. Returns the count (<= max) or -1 (err filled). */
int dbg_vars(struct dbg *d, const char *path, struct dbg_var *out, int max, char *err, size_t errlen);
/* print EXPR, as text (without the "$N = "), not recorded in the history. */
int dbg_eval(struct dbg *d, const char *expr, char *out, size_t outlen);

struct dbg_disasm_line {
	uint64_t addr;
	char text[256];          /* "mov    %rsp,%rbp" with symbolized targets */
	char sym[256];           /* "<main+4>" */
};
int dbg_disasm(struct dbg *d, uint64_t addr, int n, struct dbg_disasm_line *out);

struct dbg_bp_info {
	int number;
	int type;                /* 0 breakpoint, 1 hw watchpoint (write), 2 read, 3 access */
	int enabled;
	int temporary;
	uint64_t addr;
	char what[1024];         /* "in main at clock.c:42" or the watched expression */
	char file[1024];
	int line;
	int hits;
};
int dbg_breakpoints(struct dbg *d, struct dbg_bp_info *out, int max);

/* The recorded output up to the current moment: fn is called for each
 * chunk written to stdout (fd 1) or stderr (fd 2) by events <= current. */
typedef void (*dbg_output_fn)(void *ctx, int fd, uint64_t event, const char *data, size_t len);
int dbg_output(struct dbg *d, dbg_output_fn fn, void *ctx);

/* Marks for the timeline strip. */
struct dbg_mark {
	uint64_t event;
	char kind;               /* 'c' checkpoint, 'b' breakpoint hit, 'w' watchpoint hit, 's' signal */
};
int dbg_marks(struct dbg *d, struct dbg_mark *out, int max);

/* The timeline under the session (for the gdb remote server, which moves
 * the same replay the console and the TUI show). */
struct tl;
struct tl *dbg_timeline(struct dbg *d);
/* Tells the session the timeline moved under it (e.g. gdb continued): the
 * selected frame and cached state are refreshed. */
void dbg_moved(struct dbg *d);

/* Completions for TAB: a NULL-terminated malloc'd array of malloc'd
 * strings (commands, symbols, files, breakpoint numbers), or NULL. */
char **dbg_complete(struct dbg *d, const char *line, int point);

/* ---- added for the console (cmds/console.c) ----------------------------- */

/* Prints where the session stands, as gdb does on attaching: the frame
 * line and source line, or "Program received signal ..." at a crash. */
void dbg_announce(struct dbg *d);

#endif
