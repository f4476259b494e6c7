/*
 * gdb_server.h — a GDB remote-protocol server over a replay, and the small
 * backend contract it runs on.
 *
 * The server speaks all-stop RSP to one gdb at a time: it reads registers
 * and memory, sets breakpoints and watchpoints, and moves the replay forward
 * and backward, all through struct gdb_backend, a table of function pointers
 * in the manner of Delve's proc.Target. The replay engine in core/
 * implements it for real; the tests implement it with a scripted fake. The
 * server never writes to the target (a replay cannot be changed), never
 * prints and never calls exit(): it returns an int status and fills an
 * error buffer, and a lost connection leaves the backend as it was, ready
 * for the next gdb or for the TUI.
 */
#ifndef RRTUI_GDB_SERVER_H
#define RRTUI_GDB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#include "cmds/gdb_rsp.h"

/* ---- registers: gdb's x86-64 layout ----------------------------------- */

/* Register numbers as gdb numbers them for our target description (the
 * order of gdb_target_xml): the 'g' packet is these registers' bytes, in
 * this order, little-endian. */
enum gdb_regno {
	GDB_REG_RAX, GDB_REG_RBX, GDB_REG_RCX, GDB_REG_RDX, GDB_REG_RSI,
	GDB_REG_RDI, GDB_REG_RBP, GDB_REG_RSP,
	GDB_REG_R8, GDB_REG_R9, GDB_REG_R10, GDB_REG_R11, GDB_REG_R12,
	GDB_REG_R13, GDB_REG_R14, GDB_REG_R15,
	GDB_REG_RIP, GDB_REG_EFLAGS,
	GDB_REG_CS, GDB_REG_SS, GDB_REG_DS, GDB_REG_ES, GDB_REG_FS, GDB_REG_GS,
	GDB_REG_ST0, /* .. st7 */
	GDB_REG_FCTRL = GDB_REG_ST0 + 8, GDB_REG_FSTAT, GDB_REG_FTAG,
	GDB_REG_FISEG, GDB_REG_FIOFF, GDB_REG_FOSEG, GDB_REG_FOOFF, GDB_REG_FOP,
	GDB_REG_XMM0, /* .. xmm15 */
	GDB_REG_MXCSR = GDB_REG_XMM0 + 16,
	GDB_REG_ORIG_RAX,
	GDB_REG_FS_BASE,
	GDB_REG_GS_BASE,
	GDB_NREGS
};

/* Bytes of all registers in the 'g' layout. */
#define GDB_REGS_BYTES 560

struct gdb_reg_desc {
	const char *name;
	unsigned size;    /* bytes */
	unsigned offset;  /* in the 'g' layout */
};
extern const struct gdb_reg_desc gdb_reg_table[GDB_NREGS];

/* A register file as gdb sees it. A register the backend cannot know (not
 * recorded, say) stays unavailable and goes out as 'x' digits. */
struct gdb_regs {
	uint8_t bytes[GDB_REGS_BYTES];
	bool avail[GDB_NREGS];
};

/* Marks everything unavailable. */
void gdb_regs_clear(struct gdb_regs *r);
/* Sets one register from size bytes (little-endian) and marks it available. */
void gdb_regs_set(struct gdb_regs *r, int regno, const void *val, size_t size);
void gdb_regs_set_u64(struct gdb_regs *r, int regno, uint64_t v);
/* Fills the registers from ptrace's views; fp may be NULL (then the x87 and
 * SSE registers stay unavailable). */
void gdb_regs_from_user(struct gdb_regs *r, const struct user_regs_struct *u,
			const struct user_fpregs_struct *fp);
/* The register named, or -1. */
int gdb_reg_lookup(const char *name);

/* The target description gdb reads with qXfer:features:read:target.xml. */
extern const char gdb_target_xml[];
extern const size_t gdb_target_xml_len;

/* ---- the backend ------------------------------------------------------ */

enum gdb_resume_kind { GDB_CONTINUE, GDB_STEP };
enum gdb_direction { GDB_FORWARD, GDB_BACKWARD };

/* The Z/z packet types, by the same numbers. len is the kind: the
 * breakpoint's instruction size (1 on x86) or the watched length. */
enum gdb_bp_type {
	GDB_BP_SW = 0,
	GDB_BP_HW = 1,
	GDB_WP_WRITE = 2,
	GDB_WP_READ = 3,
	GDB_WP_ACCESS = 4,
};

/* Handed to resume: the backend polls interrupted() between steps of a long
 * run; nonzero means gdb sent Ctrl-C and the backend should stop soon and
 * report RSP_STOP_SIGNAL with SIGINT. */
struct gdb_resume_ctl {
	int (*interrupted)(void *arg);
	void *arg;
};

/* Monitor command output: called any number of times with text to show. */
typedef void gdb_print_fn(void *arg, const char *text);

/*
 * What the replay engine provides. Every function returns 0 on success or
 * -1 with one line in err. Signal numbers are Linux's; the server
 * translates them for gdb. Optional entries may be NULL: the server then
 * answers as for an unsupported request. A backend that lacks something a
 * recording cannot know returns -1 with a clear reason ("not recorded")
 * rather than inventing a value.
 */
struct gdb_backend {
	/* The current registers. Required. */
	int (*get_regs)(void *be, struct gdb_regs *regs, char *err, size_t errlen);
	/* Reads up to len bytes at addr into buf, *got how many (a short read
	 * stops at the first unreadable byte). -1 when none is readable.
	 * Required. Must show original bytes where software breakpoints are. */
	int (*read_mem)(void *be, uint64_t addr, void *buf, size_t len, size_t *got,
			char *err, size_t errlen);
	/* Continues or single-steps in a direction until something stops the
	 * replay, and says why in *stop. signo (Linux, 0 for none) is the
	 * signal gdb asked to deliver; a replay may ignore it. Required. */
	int (*resume)(void *be, enum gdb_resume_kind kind, enum gdb_direction dir,
		      int signo, const struct gdb_resume_ctl *ctl,
		      struct rsp_stop *stop, char *err, size_t errlen);
	/* Inserts (insert) or removes a breakpoint or watchpoint. Required. */
	int (*set_break)(void *be, enum gdb_bp_type type, uint64_t addr, uint64_t len,
			 bool insert, char *err, size_t errlen);
	/* The one thread gdb sees: the recorded process's pid. Required. */
	int64_t (*thread_id)(void *be);
	/* Why the replay is stopped now, for '?'. Optional (default: SIGTRAP). */
	int (*current_stop)(void *be, struct rsp_stop *stop);
	/* The process's auxiliary vector, as the kernel laid it out; the
	 * data stays valid until the next resume. Optional. */
	int (*auxv)(void *be, const void **data, size_t *len, char *err, size_t errlen);
	/* The path of the recorded executable. Optional. */
	int (*exec_file)(void *be, char *path, size_t cap, char *err, size_t errlen);
	/* A monitor command's text ("when", "checkpoint", "restart 3",
	 * "seek 120"); output goes through print. Optional. A command that
	 * moves the replay is reflected in the next stop gdb asks about. */
	int (*monitor)(void *be, const char *cmd, gdb_print_fn *print, void *print_arg,
		       char *err, size_t errlen);
};

/* ---- the server ------------------------------------------------------- */

#define GDB_DEFAULT_HOST "127.0.0.1"

/* Opens a listening TCP socket on host (NULL: 127.0.0.1) and port (0: any
 * free port); *bound_port says which. */
int gdb_listen(const char *host, int port, int *lfd, int *bound_port,
	       char *err, size_t errlen);
/* Is host a loopback address? The caller warns when it is not: anyone who
 * can reach the port can read the recorded process's memory. */
bool gdb_host_is_loopback(const char *host);
/* Waits for one gdb on a listening socket. */
int gdb_accept(int lfd, int *fd, char *err, size_t errlen);
/* The same, but a signal that interrupts the wait (Ctrl-C at the console)
 * asks cancelled(arg) whether to give up: then -1 with "cancelled" in err
 * and *fd = -1. cancelled may be NULL (wait on). */
int gdb_accept_until(int lfd, int *fd, int (*cancelled)(void *arg), void *arg,
		     char *err, size_t errlen);

/* Why a session ended. */
enum gdb_end {
	GDB_END_DISCONNECT, /* gdb closed the connection */
	GDB_END_DETACH,     /* D */
	GDB_END_KILL,       /* k or vKill */
	GDB_END_CANCELLED,  /* cancelled() said so (see gdb_serve_opts) */
};

struct gdb_serve_opts {
	const struct gdb_backend *ops;
	void *be;
	/* Optional packet trace: dir is "<-" (from gdb) or "->". */
	void (*log)(void *arg, const char *dir, const char *payload, size_t len);
	void *log_arg;
	/* Optional: asked whenever a signal interrupts the wait for gdb's
	 * next packet (Ctrl-C at the console that started the server);
	 * nonzero ends the session, which then ends as GDB_END_CANCELLED. */
	int (*cancelled)(void *arg);
	void *cancel_arg;
	/* Optional: called (with cancel_arg) once gdb has been quiet for a
	 * moment after a reply (or, in gdb_serve_listener, once no client
	 * came for a moment), so a front end that throttles its redraws can
	 * show the last state while gdb holds the session. */
	void (*idle)(void *arg);
	/* How long a reply may wait for a client that does not read before
	 * the session is given up as a lost connection (milliseconds; 0:
	 * GDB_WRITE_TIMEOUT_MS). */
	int write_timeout_ms;
};

#define GDB_WRITE_TIMEOUT_MS 20000

/* Serves one gdb on a connected socket until it detaches, kills or goes
 * away; *end says which. Returns -1 only for a broken connection or a
 * backend error that leaves nothing to serve. Does not close fd. */
int gdb_serve(int fd, const struct gdb_serve_opts *opts, enum gdb_end *end,
	      char *err, size_t errlen);

/* Serving one gdb after another on a listening socket. */
struct gdb_listen_opts {
	/* End with the first client's session (rr's behaviour); otherwise
	 * wait for the next client after each one, as gdbserver does. */
	bool once;
	/* Optional: before each session (nonzero: give up with err), and
	 * after each one with how it ended. */
	int (*begin)(void *arg, char *err, size_t errlen);
	void (*end)(void *arg, enum gdb_end end);
	void *arg;
};

/* Accepts and serves clients one at a time on lfd (see gdb_listen): a
 * client that detaches, kills, goes away or connects and hangs up at once
 * ends only its own session. Returns 0 once the first session ended (when
 * once) or when the owner's cancelled() said so, while serving or waiting
 * (then *last is GDB_END_CANCELLED); *last is how the last session ended.
 * -1 with err when accept fails for good or begin() refuses. Does not
 * close lfd. */
int gdb_serve_listener(int lfd, const struct gdb_serve_opts *opts,
		       const struct gdb_listen_opts *lo, enum gdb_end *last,
		       char *err, size_t errlen);

#endif
