/*
 * core.h — the public face of core/: recording a program's execution,
 * reading the trace, and replaying it.
 *
 * core/ knows processes, registers, memory and events; it never prints to the
 * terminal and never calls exit(). Every function that can fail returns an
 * int status (0 ok, negative on error) and fills a caller-supplied error
 * buffer with one line the front end shows as it is.
 *
 * Time is counted in events: every nondeterministic input the recorder saw
 * (a system call, a signal, an rdtsc, an exec, the exit) is one event,
 * numbered from 1 in the order it happened.
 */
#ifndef RRTUI_CORE_H
#define RRTUI_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#define CORE_ERRLEN 512

/* ---- trace locations -------------------------------------------------- */

/* The folder traces live in: $RRTUI_TRACE_DIR, else $XDG_DATA_HOME/rrtui,
 * else ~/.local/share/rrtui. */
int trace_root_dir(char *out, size_t outlen, char *err, size_t errlen);
/* Resolves what the user typed (a path, a trace name under the root, or
 * NULL for the latest trace) to a trace folder. */
int trace_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen);

/* ---- the trace -------------------------------------------------------- */

#define TRACE_VERSION 1

enum trace_kind {
	TRACE_SYSCALL = 1, /* a system call, its result and what it wrote */
	TRACE_EXEC,        /* an execve: registers and the initial stack */
	TRACE_RDTSC,       /* an rdtsc/rdtscp, with the values it gave */
	TRACE_SIGNAL,      /* a signal delivered to the program */
	TRACE_EXIT,        /* the program's end: its wait status */
};

/* How a signal reached the program (trace_event.sig_sync). */
enum trace_sig_kind {
	TRACE_SIG_BOUNDARY = 0,  /* asynchronous, at a system call boundary */
	TRACE_SIG_FAULT = 1,     /* synchronous: a fault of the current instruction */
	TRACE_SIG_SIGNATURE = 2, /* asynchronous, mid-computation: at the first
	                            time the registers (regs) and the memory hash
	                            match after the previous event */
};

struct trace_region {
	uint64_t addr;
	uint64_t len;
	const uint8_t *data;
};

/* A file the program mapped: identified by device, inode, size and mtime;
 * replay uses the copy in the trace when there is one, else the original
 * when it is still the same file. */
struct trace_file {
	char *path;
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec;
	char *copy;    /* name under TRACE/files/ when copied while recording, else NULL */
	uint32_t crc;  /* CRC-32 of that copy */
};

struct trace_event {
	uint64_t no;            /* event number, from 1 */
	enum trace_kind kind;
	/* TRACE_SYSCALL */
	int64_t nr;
	uint64_t args[6];
	int64_t result;
	uint32_t nregions;
	struct trace_region *regions;
	int out_fd;             /* 1 or 2 when this call wrote to stdout/stderr, else -1 */
	uint64_t out_len;
	const uint8_t *out_data;
	int file;               /* mmap of a file: index into the trace's files, else -1 */
	/* TRACE_EXEC */
	char *exec_path;
	struct user_regs_struct regs;   /* also TRACE_SIGNAL: registers at delivery */
	uint64_t stack_addr;
	uint64_t stack_len;
	const uint8_t *stack;
	/* TRACE_RDTSC */
	uint64_t tsc_rax, tsc_rdx, tsc_rcx;
	int tsc_insn_len;       /* 2: rdtsc, 3: rdtscp */
	/* TRACE_SIGNAL */
	int signo;
	int sig_sync;           /* enum trace_sig_kind: how it was delivered */
	uint64_t sig_mem_hash;  /* TRACE_SIG_SIGNATURE: pr_state_hash, of the FP/vector
	                           registers and writable memory (not below rsp-128) */
	uint8_t siginfo[128];
	/* TRACE_EXIT */
	int wait_status;
};

struct trace_header {
	uint32_t version;
	int pid;
	int64_t start_time;     /* seconds since the epoch */
	char *cwd;
	char *exe;              /* the program as resolved at record time */
	int argc;
	char **argv;
	int envc;
	char **envp;
};

struct trace;

/* Opens a trace folder for reading. A trace whose last record is cut short
 * (the recorder was killed) opens fine with trace_complete() == 0; a record in
 * the middle that does not check out is an error. */
int trace_open(const char *dir, struct trace **out, char *err, size_t errlen);
void trace_close(struct trace *t);
const struct trace_header *trace_header(const struct trace *t);
const char *trace_dir(const struct trace *t);
int trace_complete(const struct trace *t);
uint64_t trace_nevents(const struct trace *t);
/* Event number no (1-based), or NULL past the end. */
const struct trace_event *trace_event(const struct trace *t, uint64_t no);
int trace_nfiles(const struct trace *t);
const struct trace_file *trace_file(const struct trace *t, int i);
/* Opens the content of a mapped file (the trace's copy, else the original
 * after checking it is unchanged). Returns an fd or -1 with err filled. */
int trace_open_file(const struct trace *t, int i, char *err, size_t errlen);
/* The absolute path to use for a mapped file: the trace's copy, else the
 * original after checking it is unchanged. */
int trace_file_path(const struct trace *t, int i, char *out, size_t outlen, char *err, size_t errlen);
/* Copies every mapped file into the trace (rrtui pack). */
int trace_pack(struct trace *t, int *ncopied, char *err, size_t errlen);

/* ---- recording -------------------------------------------------------- */

struct rec_options {
	const char *out_dir;    /* NULL: a new folder under trace_root_dir */
	char *const *argv;      /* program and arguments */
	int force_version;      /* 0, or a format version to write (tests) */
};

struct rec_result {
	char trace_dir[4096];
	int wait_status;        /* of the recorded program */
	uint64_t nevents;
};

/* Records argv[0] (searched in PATH) until it exits. The program shares the
 * caller's terminal and standard files. Returns 0 when the recording is
 * complete (whatever the program's own exit status), negative on a recording
 * failure; in both cases res->trace_dir names the trace when one was made. */
int rec_record(const struct rec_options *opt, struct rec_result *res, char *err, size_t errlen);

/* ---- replaying -------------------------------------------------------- */

struct rp_session;

/* Output the replayed program wrote to stdout (fd 1) or stderr (fd 2), given
 * to the caller as the replay passes the event that wrote it. */
typedef void (*rp_output_fn)(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len);

int rp_open(const char *trace_dir, struct rp_session **out, char *err, size_t errlen);
void rp_close(struct rp_session *s);
struct trace *rp_trace(struct rp_session *s);
void rp_set_output(struct rp_session *s, rp_output_fn fn, void *ctx);
/* Starts the replayed process (stopped just after its first exec). */
int rp_start(struct rp_session *s, char *err, size_t errlen);
/* Replays until event `upto` has been applied (0: to the end). Returns
 * RP_ENDED when the program has ended, RP_INCOMPLETE when an incomplete
 * trace ran out of events (the process is then killed), 0 when stopped after
 * event `upto`, negative on a divergence or failure. */
enum { RP_ENDED = 1, RP_INCOMPLETE = 2 };
int rp_run(struct rp_session *s, uint64_t upto, char *err, size_t errlen);
/* The last event applied (0 before the first). */
uint64_t rp_event(const struct rp_session *s);
/* Wait status the recorded program ended with (valid once rp_run returned 1). */
int rp_exit_status(const struct rp_session *s);
pid_t rp_pid(const struct rp_session *s);

/* ---- the timeline: positions, checkpoints, forward and reverse --------- */

/*
 * A position names one stop of the replay exactly: after event `event` has
 * been applied, run until the instruction at `pc` is about to execute for
 * the `hits`-th time (the state right after the event counts as hit 1 when
 * its rip is pc), then execute `steps` single instructions. pc = 0 (hits =
 * 0) means "from the event boundary itself". Positions in one event are
 * ordered by (hits, steps) when they share pc; the engine keeps them
 * canonical (a step that lands on pc again becomes hits + 1, steps 0).
 * Printed as "E", "E+S", "E@PC#K" or "E@PC#K+S" (PC in hex).
 */
struct tl_pos {
	uint64_t event;
	uint64_t pc;
	uint64_t hits;
	uint64_t steps;
};
#define TL_POS_STRLEN 80
/* Writes the printed form; returns its length. */
int tl_position_format(const struct tl_pos *p, char *out, size_t outlen);
int tl_position_parse(const char *text, struct tl_pos *p, char *err, size_t errlen);
/* -1, 0, 1; TL_CMP_UNKNOWN when they lie in one event but hang off
 * different pcs (ordering them needs a replay). */
#define TL_CMP_UNKNOWN 2
int tl_position_cmp(const struct tl_pos *a, const struct tl_pos *b);

struct tl;

struct tl_options {
	uint64_t ck_budget;     /* bytes for automatic checkpoints; 0: RAM / 8 */
	double ck_interval;     /* seconds of replay between automatic ones; 0: 0.25 */
};

/* Opens a trace and starts its replay, stopped at event 1 (the exec). */
int tl_open(const char *trace_dir, const struct tl_options *opt, struct tl **out, char *err,
            size_t errlen);
void tl_close(struct tl *tl);
struct trace *tl_trace(struct tl *tl);
/* Output is reported as the replay passes the events that wrote it, in
 * both directions of travel only when moving forward. */
void tl_set_output(struct tl *tl, rp_output_fn fn, void *ctx);
/* The current position; at the end of the recording event is the last one
 * (the exit) and tl_at_end() is 1. */
struct tl_pos tl_position(const struct tl *tl);
int tl_at_end(const struct tl *tl, int *wait_status);
/* The program image an event belongs to, named by the exec event that
 * started it (1 for the first: several when the program ran execve). */
uint64_t tl_image_of(const struct tl *tl, uint64_t event);

/* Why a motion stopped. */
enum tl_stop_kind {
	TL_STOP_STEP = 1,       /* stepi / reverse-stepi done */
	TL_STOP_BREAKPOINT,     /* a software or hardware breakpoint */
	TL_STOP_WATCHPOINT,     /* a write (or access) of a watched location */
	TL_STOP_EVENT,          /* reached the event asked for */
	TL_STOP_POSITION,       /* reached the position asked for */
	TL_STOP_END,            /* the end of the recording (exit_status) */
	TL_STOP_START,          /* the start of history (reverse motions) */
	TL_STOP_INTERRUPTED,    /* the progress callback asked to stop */
	TL_STOP_EXEC            /* continue: the program ran an execve (the
	                           position is the new image's first state);
	                           reverse-continue: no hit back to the start of
	                           the current image (the position is that first
	                           state). Breakpoints belong to one image: set
	                           the new image's and go on. */
};

struct tl_stop {
	enum tl_stop_kind kind;
	struct tl_pos pos;
	int bp_id;              /* BREAKPOINT / WATCHPOINT: which */
	uint64_t addr;          /* the breakpoint's or the watched address */
	uint64_t old_value;     /* WATCHPOINT: value before and after the write */
	uint64_t new_value;
	int exit_status;        /* END: wait status of the recorded program */
};

enum tl_bp_kind { TL_BP_SW = 0, TL_BP_HW, TL_WATCH_WRITE, TL_WATCH_RW };

/* A condition: return nonzero to stop at this hit. Called at the hit with
 * the timeline stopped there (tl_get_regs/tl_read work); must not move. */
typedef int (*tl_cond_fn)(void *ctx, struct tl *tl, int bp_id);

/* Watchpoints and hardware breakpoints share the four debug registers;
 * watch lengths 1, 2, 4, 8, aligned. */
int tl_bp_add(struct tl *tl, enum tl_bp_kind kind, uint64_t addr, int len, tl_cond_fn cond,
              void *ctx, int *id, char *err, size_t errlen);
int tl_bp_del(struct tl *tl, int id, char *err, size_t errlen);

int tl_get_regs(struct tl *tl, struct user_regs_struct *r, char *err, size_t errlen);
/* The x87/SSE registers (fxsave layout), as the program sees them. */
int tl_get_fpregs(struct tl *tl, struct user_fpregs_struct *f, char *err, size_t errlen);
/* Program memory as the program sees it (breakpoint bytes hidden). */
int tl_read(struct tl *tl, uint64_t addr, void *buf, size_t len, char *err, size_t errlen);

/* Long motions call fn about every 50 ms of replay with the event they
 * reached and its fraction of the recording. When fn returns nonzero the
 * motion stops at the next event boundary it reaches (or, walking single
 * steps, at the next step): a position known exactly, reported as
 * TL_STOP_INTERRUPTED. A stretch without events cannot be cut short. */
typedef int (*tl_progress_fn)(void *ctx, uint64_t event, double fraction);
void tl_set_progress(struct tl *tl, tl_progress_fn fn, void *ctx);
/* The callback set now (to chain another in front of it for a while). */
void tl_get_progress(const struct tl *tl, tl_progress_fn *fn, void **ctx);

/* Forward motions. All return 0 with *st filled, or negative with err. */
int tl_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen);
int tl_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen);
/* To the boundary after event no (either direction; 0 = the end). */
int tl_run_to_event(struct tl *tl, uint64_t no, struct tl_stop *st, char *err, size_t errlen);
/* To any position (either direction). */
int tl_seek(struct tl *tl, const struct tl_pos *p, struct tl_stop *st, char *err, size_t errlen);

/* Reverse motions. */
int tl_reverse_stepi(struct tl *tl, struct tl_stop *st, char *err, size_t errlen);
int tl_reverse_continue(struct tl *tl, struct tl_stop *st, char *err, size_t errlen);

/* Checkpoints. Automatic ones come and go; user ones stay until deleted. */
struct tl_ck_info {
	int id;
	int user;
	struct tl_pos pos;
};
int tl_ck_create(struct tl *tl, int *id, char *err, size_t errlen);
/* Fills up to max entries, returns how many checkpoints there are. */
int tl_ck_list(struct tl *tl, struct tl_ck_info *out, int max);
int tl_ck_restore(struct tl *tl, int id, struct tl_stop *st, char *err, size_t errlen);
int tl_ck_delete(struct tl *tl, int id, char *err, size_t errlen);
void tl_ck_set_budget(struct tl *tl, uint64_t bytes);

struct tl_stats {
	int ncheckpoints;       /* all of them, automatic and user */
	int nauto;
	uint64_t ck_bytes;      /* memory the checkpoints hold (private + page tables) */
	uint64_t budget;
	double replay_seconds;  /* forward replay time spent so far */
};
int tl_stats(struct tl *tl, struct tl_stats *out, char *err, size_t errlen);

#endif
