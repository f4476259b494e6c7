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
	char *copy;    /* name under TRACE/files/, or NULL */
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
	int sig_sync;           /* a fault of the current instruction */
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

#endif
