/*
 * test_tl.c — the timeline (core.h, tl_): positions, checkpoints, stepping
 * and continuing in both directions, on recordings of the samples and of
 * python3 made by the test itself into a temporary folder.
 *
 * Each test compares a reverse motion with the forward execution it undoes:
 * N stepi then N reverse-stepi must give back every register set in reverse
 * order; reverse-continue must find the hits of a forward log, last first;
 * a watchpoint must show each write in reverse with its values; seeks in
 * any order must give the same registers and memory at the same position.
 */
#include "core/core.h"

#include <check.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char err[CORE_ERRLEN];
static char tmpdir[] = "/tmp/test_tl.XXXXXX";

static void sample_path(char *out, size_t len, const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = 0;
	snprintf(out, len, "%s/../samples/%s", dirname(exe), name);
}

/* Records argv into a fresh folder; quiet (the program's output goes to
 * /dev/null while recording). */
static void record(const char *tag, char *const argv[], char *dir, size_t dirlen)
{
	struct rec_options o = {0};
	struct rec_result r;
	static int seq;
	snprintf(dir, dirlen, "%s/%s.%d", tmpdir, tag, ++seq);
	o.out_dir = dir;
	o.argv = argv;
	fflush(NULL);
	int save = dup(1);
	FILE *nul = freopen("/dev/null", "w", stdout);
	(void)nul;
	int rc = rec_record(&o, &r, err, sizeof err);
	fflush(stdout);
	dup2(save, 1);
	close(save);
	ck_assert_msg(rc == 0, "record %s: %s", tag, err);
}

static void record_sample(const char *name, const char *arg, char *dir, size_t dirlen)
{
	char path[PATH_MAX];
	sample_path(path, sizeof path, name);
	char *argv[3] = {path, (char *)arg, NULL};
	record(name, argv, dir, dirlen);
}

static struct tl *open_tl(const char *dir)
{
	struct tl *tl;
	ck_assert_msg(tl_open(dir, NULL, &tl, err, sizeof err) == 0, "%s", err);
	return tl;
}

/* All the registers: every one of them must come back identical. */
static struct user_regs_struct regs(struct tl *tl)
{
	struct user_regs_struct r;
	memset(&r, 0, sizeof r);
	ck_assert_msg(tl_get_regs(tl, &r, err, sizeof err) == 0, "%s", err);
	return r;
}

static uint64_t mem_sum(struct tl *tl)
{
	struct user_regs_struct r = regs(tl);
	uint64_t h = 1469598103934665603ull;
	uint8_t buf[4096];
	uint64_t base = (r.rsp & ~4095ull) - 4096;
	for (int pg = 0; pg < 4; pg++) {
		if (tl_read(tl, base + (uint64_t)pg * 4096, buf, sizeof buf, err, sizeof err))
			continue;
		for (size_t i = 0; i < sizeof buf; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
	}
	return h;
}

#define POS(tl) ({ struct tl_pos _p = tl_position(tl); _p; })

static void pos_str(const struct tl_pos *p, char *s)
{
	tl_position_format(p, s, TL_POS_STRLEN);
}

/* N stepi forward from event `ev`, then N reverse-stepi. */
static void roundtrip(const char *dir, uint64_t ev, int n)
{
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	ck_assert_msg(tl_run_to_event(tl, ev, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct *rs = calloc((size_t)n + 1, sizeof *rs);
	struct tl_pos *ps = calloc((size_t)n + 1, sizeof *ps);
	int got = 0;
	rs[0] = regs(tl);
	ps[0] = POS(tl);
	for (int i = 1; i <= n; i++) {
		ck_assert_msg(tl_stepi(tl, &st, err, sizeof err) == 0, "%s", err);
		if (st.kind == TL_STOP_END)
			break;
		rs[i] = regs(tl);
		ps[i] = st.pos;
		got = i;
	}
	for (int i = got - 1; i >= 0; i--) {
		char a[TL_POS_STRLEN], b[TL_POS_STRLEN];
		ck_assert_msg(tl_reverse_stepi(tl, &st, err, sizeof err) == 0, "step %d: %s", i, err);
		struct user_regs_struct r = {0};
		r = regs(tl);
		pos_str(&ps[i], a);
		pos_str(&st.pos, b);
		uint64_t wr[sizeof r / 8], ww[sizeof r / 8];
		memcpy(wr, &r, sizeof wr);
		memcpy(ww, &rs[i], sizeof ww);
		int off = -1;
		for (size_t w = 0; w < sizeof r / 8; w++)
			if (wr[w] != ww[w])
				off = (int)w;
		ck_assert_msg(off < 0,
		              "reverse-stepi to %d: register word %d differs (0x%llx vs 0x%llx) at %s (want %s)",
		              i, off, off < 0 ? 0ull : (unsigned long long)wr[off],
		              off < 0 ? 0ull : (unsigned long long)ww[off], b, a);
		ck_assert_msg(tl_position_cmp(&st.pos, &ps[i]) == 0, "reverse-stepi %d: position %s, want %s", i,
		              b, a);
	}
	free(rs);
	free(ps);
	tl_close(tl);
}

START_TEST(test_positions)
{
	struct tl_pos p = {12, 0x401136, 3, 5}, q;
	char s[TL_POS_STRLEN];
	tl_position_format(&p, s, sizeof s);
	ck_assert_str_eq(s, "12@0x401136#3+5");
	ck_assert_int_eq(tl_position_parse(s, &q, err, sizeof err), 0);
	ck_assert_int_eq(tl_position_cmp(&p, &q), 0);
	ck_assert_int_eq(tl_position_parse("7", &q, err, sizeof err), 0);
	ck_assert(q.event == 7 && !q.pc && !q.steps);
	ck_assert_int_eq(tl_position_parse("7+2", &q, err, sizeof err), 0);
	ck_assert(q.event == 7 && q.steps == 2);
	ck_assert_int_lt(tl_position_parse("7@zz", &q, err, sizeof err), 0);
	struct tl_pos a = {3, 0x10, 2, 0}, b = {3, 0x10, 1, 9}, c = {3, 0, 0, 0}, d = {3, 0x20, 1, 0};
	ck_assert_int_eq(tl_position_cmp(&a, &b), 1);
	ck_assert_int_eq(tl_position_cmp(&c, &a), -1);
	ck_assert_int_eq(tl_position_cmp(&a, &d), TL_CMP_UNKNOWN);
}
END_TEST

START_TEST(test_stepi_samples)
{
	char dir[PATH_MAX];
	record_sample("fileio", NULL, dir, sizeof dir);
	roundtrip(dir, 2, 300);     /* in ld.so, across its first syscalls */
	roundtrip(dir, 40, 300);
	record_sample("alarm", "2", dir, sizeof dir);
	roundtrip(dir, 30, 300);
	record_sample("timerand", NULL, dir, sizeof dir);
	roundtrip(dir, 25, 300);
}
END_TEST

START_TEST(test_stepi_python)
{
	char dir[PATH_MAX];
	char *argv[] = {"python3", "-c", "import os; print(sum(range(100)), os.getpid())", NULL};
	record("python3", argv, dir, sizeof dir);
	roundtrip(dir, 100, 200);
	roundtrip(dir, 400, 150);
}
END_TEST

/* A pc executed several times in a short forward walk. */
static uint64_t busy_pc(struct tl *tl, int n)
{
	struct tl_stop st;
	uint64_t *pcs = calloc((size_t)n, sizeof *pcs);
	uint64_t best = 0;
	for (int i = 0; i < n; i++) {
		ck_assert_msg(tl_stepi(tl, &st, err, sizeof err) == 0, "%s", err);
		pcs[i] = regs(tl).rip;
	}
	int bestc = 0;
	for (int i = 0; i < n; i++) {
		int c = 0;
		for (int j = 0; j < n; j++)
			c += pcs[j] == pcs[i];
		if (c > bestc && c < n / 2)
			bestc = c, best = pcs[i];
	}
	free(pcs);
	return best;
}

static uint64_t sym_addr(const char *sample, const char *sym);

/* From the current stop: a busy pc, a forward log of its next hits, then
 * reverse-continue must visit the same hits last first, with the same
 * registers; with the breakpoint gone it goes back to the start. */
static void rc_check(struct tl *tl)
{
	struct tl_stop st;
	uint64_t pc = busy_pc(tl, 3000);
	ck_assert(pc);
	int id;
	ck_assert_msg(tl_bp_add(tl, TL_BP_SW, pc, 1, NULL, NULL, &id, err, sizeof err) == 0, "%s", err);
	enum { NH = 200 };
	struct tl_pos *log = calloc(NH, sizeof *log);
	struct user_regs_struct *lr = calloc(NH, sizeof *lr);
	int n = 0;
	while (n < NH) {
		ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		if (st.kind != TL_STOP_BREAKPOINT)
			break;
		ck_assert_int_eq(st.bp_id, id);
		log[n] = st.pos;
		lr[n] = regs(tl);
		n++;
	}
	ck_assert_int_gt(n, 20);
	for (int i = n - 2; i >= n - 20; i--) {
		char a[TL_POS_STRLEN], b[TL_POS_STRLEN];
		ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		pos_str(&st.pos, a);
		pos_str(&log[i], b);
		ck_assert_msg(st.kind == TL_STOP_BREAKPOINT, "stop kind %d at %s", st.kind, a);
		ck_assert_msg(tl_position_cmp(&st.pos, &log[i]) == 0, "hit %d: at %s, want %s", i, a, b);
		struct user_regs_struct r = regs(tl);
		ck_assert_msg(memcmp(&r, &lr[i], sizeof r) == 0, "hit %d: registers differ", i);
	}
	/* Forward again from a reverse stop: the next hit of the log. */
	ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_BREAKPOINT);
	ck_assert_int_eq(tl_position_cmp(&st.pos, &log[n - 19]), 0);
	/* Back to the start of history when the breakpoint is gone. */
	ck_assert_int_eq(tl_bp_del(tl, id, err, sizeof err), 0);
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_START);
	free(log);
	free(lr);
}

START_TEST(test_reverse_continue_bp)
{
	char dir[PATH_MAX];
	struct tl_stop st;
	/* Hits inside one long span without events: the sieve's loop. */
	record_sample("compute", "3000", dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	int id;
	ck_assert_msg(tl_bp_add(tl, TL_BP_SW, sym_addr("compute", "main"), 1, NULL, NULL, &id, err,
	                        sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_BREAKPOINT);
	ck_assert_int_eq(tl_bp_del(tl, id, err, sizeof err), 0);
	rc_check(tl);
	tl_close(tl);
	/* Hits spread over many events: the loop of system calls. */
	record_sample("syscalls", "600", dir, sizeof dir);
	tl = open_tl(dir);
	ck_assert_msg(tl_run_to_event(tl, trace_nevents(tl_trace(tl)) / 3, &st, err, sizeof err) == 0,
	              "%s", err);
	rc_check(tl);
	tl_close(tl);
}
END_TEST

static uint64_t sym_addr(const char *sample, const char *sym)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], line[256];
	sample_path(path, sizeof path, sample);
	snprintf(cmd, sizeof cmd, "nm %s", path);
	FILE *f = popen(cmd, "r");
	uint64_t a = 0;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long long v;
		char t, name[200];
		if (sscanf(line, "%llx %c %199s", &v, &t, name) == 3 && !strcmp(name, sym))
			a = v;
	}
	if (f)
		pclose(f);
	/* PIE, loaded without ASLR at the usual base. */
	return a < 0x400000 ? a + 0x555555554000ull : a;
}

/* From the start: a forward log of every write to [addr, addr+len), then
 * reverse-continue from the end must visit each write, last first, stopped
 * before it with the memory still old, the same old/new values, and one
 * stepi must give the state the forward stop had; then the start. */
static int wp_check(struct tl *tl, uint64_t addr, int len)
{
	enum { NW = 16 };
	struct tl_stop st, fw[NW];
	struct user_regs_struct fr[NW];
	int id, n = 0;
	ck_assert_msg(tl_bp_add(tl, TL_WATCH_WRITE, addr, len, NULL, NULL, &id, err, sizeof err) == 0,
	              "%s", err);
	for (;;) {
		ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		if (st.kind != TL_STOP_WATCHPOINT)
			break;
		ck_assert(n < NW);
		ck_assert_uint_ne(st.old_value, st.new_value);
		fw[n] = st;
		fr[n] = regs(tl);
		n++;
	}
	ck_assert_int_eq(st.kind, TL_STOP_END);
	for (int i = n - 1; i >= 0; i--) {
		ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		ck_assert_msg(st.kind == TL_STOP_WATCHPOINT, "write %d: stop kind %d", i, st.kind);
		ck_assert_uint_eq(st.old_value, fw[i].old_value);
		ck_assert_uint_eq(st.new_value, fw[i].new_value);
		uint64_t v = 0;
		ck_assert_int_eq(tl_read(tl, addr, &v, (size_t)len, err, sizeof err), 0);
		ck_assert_uint_eq(v, fw[i].old_value); /* before the write */
		struct tl_stop s2;
		ck_assert_msg(tl_stepi(tl, &s2, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(tl_read(tl, addr, &v, (size_t)len, err, sizeof err), 0);
		ck_assert_uint_eq(v, fw[i].new_value);
		struct user_regs_struct r = regs(tl);
		ck_assert_msg(memcmp(&r, &fr[i], sizeof r) == 0, "after the write %d: rip 0x%llx vs 0x%llx",
		              i, r.rip, fr[i].rip);
		ck_assert_msg(tl_reverse_stepi(tl, &s2, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(tl_read(tl, addr, &v, (size_t)len, err, sizeof err), 0);
		ck_assert_uint_eq(v, fw[i].old_value);
	}
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_START);
	return n;
}

START_TEST(test_watchpoint)
{
	char dir[PATH_MAX];
	/* Two writes in one span without events: primes[2] = 5, primes[3] = 7. */
	record_sample("compute", "100", dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	uint64_t primes = sym_addr("compute", "primes");
	ck_assert(primes);
	ck_assert_int_eq(wp_check(tl, primes + 8, 8), 2);
	tl_close(tl);
	/* Writes in a signal handler, one per delivery, across events. */
	record_sample("alarm", "3", dir, sizeof dir);
	tl = open_tl(dir);
	uint64_t alarms = sym_addr("alarm", "alarms");
	ck_assert(alarms);
	ck_assert_int_ge(wp_check(tl, alarms, 4), 3);
	tl_close(tl);
}
END_TEST

struct outbuf {
	char *data;
	size_t len;
};

static void collect(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len)
{
	struct outbuf *o = ctx;
	(void)fd, (void)event;
	o->data = realloc(o->data, o->len + len);
	memcpy(o->data + o->len, data, len);
	o->len += len;
}

START_TEST(test_seek)
{
	char dir[PATH_MAX];
	record_sample("fileio", NULL, dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct outbuf o = {0};
	tl_set_output(tl, collect, &o);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	ck_assert_msg(tl_run_to_event(tl, nev - 2, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct last = regs(tl);
	uint64_t lastsum = mem_sum(tl);
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_END);
	int status = st.exit_status;
	ck_assert_msg(tl_run_to_event(tl, nev / 2, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(st.pos.event, nev / 2);
	ck_assert_msg(tl_run_to_event(tl, nev - 2, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct r = regs(tl);
	ck_assert(memcmp(&r, &last, sizeof r) == 0);
	ck_assert_uint_eq(mem_sum(tl), lastsum);
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_END);
	ck_assert_int_eq(st.exit_status, status);
	ck_assert_uint_gt(o.len, 0);
	/* The output equals what the trace recorded. */
	size_t want = 0;
	for (uint64_t e = 1; e <= nev; e++) {
		const struct trace_event *ev = trace_event(tl_trace(tl), e);
		if (ev->kind == TRACE_SYSCALL && ev->out_fd >= 0) {
			ck_assert(want + ev->out_len <= o.len);
			ck_assert(!memcmp(o.data + want, ev->out_data, ev->out_len));
			want += ev->out_len;
		}
	}
	ck_assert_uint_eq(want, o.len);
	free(o.data);
	tl_close(tl);
}
END_TEST

START_TEST(test_random_seeks)
{
	char dir[PATH_MAX];
	record_sample("timerand", NULL, dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	enum { NP = 40 };
	struct tl_pos ps[NP];
	struct user_regs_struct rs[NP];
	uint64_t sums[NP];
	int seen[NP] = {0};
	srand(7);
	/* Positions: event boundaries and a few steps past some of them. */
	for (int i = 0; i < NP; i++) {
		uint64_t e = 2 + (uint64_t)rand() % (nev - 3);
		ps[i] = (struct tl_pos){e, 0, 0, (uint64_t)(i % 3 ? 0 : rand() % 20)};
	}
	for (int k = 0; k < 100; k++) {
		int i = rand() % NP;
		ck_assert_msg(tl_seek(tl, &ps[i], &st, err, sizeof err) == 0 || ps[i].steps, "%s", err);
		if (tl_position_cmp(&st.pos, &ps[i]) != 0) {
			ps[i].steps = 0; /* an event came first: use the boundary */
			ck_assert_msg(tl_seek(tl, &ps[i], &st, err, sizeof err) == 0, "%s", err);
		}
		struct user_regs_struct r = regs(tl);
		uint64_t sum = mem_sum(tl);
		if (seen[i]) {
			ck_assert_msg(memcmp(&r, &rs[i], sizeof r) == 0, "seek %d: registers differ", k);
			ck_assert_uint_eq(sum, sums[i]);
		} else {
			rs[i] = r, sums[i] = sum, seen[i] = 1;
		}
	}
	tl_close(tl);
}
END_TEST

START_TEST(test_checkpoint_budget)
{
	char dir[PATH_MAX];
	record_sample("syscalls", "40000", dir, sizeof dir);
	struct tl *tl;
	struct tl_options opt = {64 << 20, 0.05};
	ck_assert_msg(tl_open(dir, &opt, &tl, err, sizeof err) == 0, "%s", err);
	struct tl_stop st;
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	struct tl_stats s;
	ck_assert_int_eq(tl_stats(tl, &s, err, sizeof err), 0);
	double units = s.replay_seconds / 0.05;
	int lg = 0;
	while (units >= 1)
		lg++, units /= 2;
	ck_assert_msg(s.ncheckpoints <= 4 + 2 * lg + 1 + 12, "%d checkpoints after %.2f s", s.ncheckpoints,
	              s.replay_seconds);
	ck_assert_uint_le(s.ck_bytes, s.budget);
	/* User checkpoints: create, list, restore, delete. */
	uint64_t nev = trace_nevents(tl_trace(tl));
	ck_assert_msg(tl_run_to_event(tl, nev / 3, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct r0 = regs(tl);
	int id;
	ck_assert_msg(tl_ck_create(tl, &id, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_run_to_event(tl, nev - 2, &st, err, sizeof err) == 0, "%s", err);
	struct tl_ck_info info[64];
	int n = tl_ck_list(tl, info, 64), found = 0;
	for (int i = 0; i < n && i < 64; i++)
		if (info[i].id == id && info[i].user && info[i].pos.event == nev / 3)
			found = 1;
	ck_assert(found);
	ck_assert_msg(tl_ck_restore(tl, id, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct r1 = regs(tl);
	ck_assert(memcmp(&r0, &r1, sizeof r0) == 0);
	ck_assert_int_eq(tl_ck_delete(tl, id, err, sizeof err), 0);
	tl_close(tl);
}
END_TEST

/* A breakpoint on the instruction after a system call is hit at the
 * event's boundary; reverse-continue finds that hit also when the search
 * starts at a checkpoint made exactly there (a stop seen before). */
START_TEST(test_boundary_hit)
{
	char dir[PATH_MAX];
	record_sample("syscalls", "400", dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl)), e = nev / 2;
	ck_assert_msg(tl_run_to_event(tl, e, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct r = regs(tl);
	ck_assert_msg(tl_run_to_event(tl, e + 1, &st, err, sizeof err) == 0, "%s", err);
	int id;
	ck_assert_msg(tl_bp_add(tl, TL_BP_SW, r.rip, 1, NULL, NULL, &id, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_BREAKPOINT);
	ck_assert_uint_eq(st.pos.event, e);
	struct user_regs_struct r1 = regs(tl);
	ck_assert(memcmp(&r, &r1, sizeof r) == 0);
	/* And again from there: the previous hit, events earlier. */
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_BREAKPOINT);
	ck_assert_uint_lt(st.pos.event, e);
	ck_assert_uint_eq(regs(tl).rip, r.rip);
	tl_close(tl);
}
END_TEST

/* Arriving at a pc's first execution in its event by a breakpoint (no
 * trail, far from the boundary), reverse-stepi goes back instruction by
 * instruction exactly as a forward log has them: the step before is found
 * by counting the instructions that fall through into the pc, or by a walk
 * when it came by a jump. */
START_TEST(test_reverse_stepi_after_arrival)
{
	enum { N = 1500, BACK = 40 };
	char dir[PATH_MAX];
	record_sample("compute", "2000", dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl)), e = nev - 3;
	ck_assert_msg(tl_run_to_event(tl, e, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct *rs = calloc(N + 1, sizeof *rs);
	rs[0] = regs(tl);
	for (int i = 1; i <= N; i++) {
		ck_assert_msg(tl_stepi(tl, &st, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(st.kind, TL_STOP_STEP);
		rs[i] = regs(tl);
	}
	tl_close(tl);
	/* Several targets: the last instructions executed for the first time
	 * in the log, each reached in a fresh timeline by a breakpoint. */
	int done = 0;
	for (int k = N; k > BACK && done < 4; k--) {
		int first = 1;
		for (int j = 0; j < k && first; j++)
			first = rs[j].rip != rs[k].rip;
		if (!first)
			continue;
		tl = open_tl(dir);
		ck_assert_msg(tl_run_to_event(tl, e, &st, err, sizeof err) == 0, "%s", err);
		int id;
		ck_assert_msg(tl_bp_add(tl, TL_BP_SW, rs[k].rip, 1, NULL, NULL, &id, err, sizeof err) == 0, "%s", err);
		ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(st.kind, TL_STOP_BREAKPOINT);
		ck_assert_msg(tl_bp_del(tl, id, err, sizeof err) == 0, "%s", err);
		struct user_regs_struct r = regs(tl);
		ck_assert(memcmp(&r, &rs[k], sizeof r) == 0);
		for (int i = k - 1; i >= k - BACK; i--) {
			ck_assert_msg(tl_reverse_stepi(tl, &st, err, sizeof err) == 0, "%s", err);
			r = regs(tl);
			ck_assert_msg(memcmp(&r, &rs[i], sizeof r) == 0, "target %d: step back to %d: rip 0x%llx, want 0x%llx",
			              k, i, (unsigned long long)r.rip, (unsigned long long)rs[i].rip);
		}
		tl_close(tl);
		done++;
		k -= 300; /* targets apart */
	}
	ck_assert_int_ge(done, 2);
	free(rs);
}
END_TEST

/* Progress callbacks: count them; stop the motion from the first one. */
struct prog {
	int calls, stop;
	uint64_t last_event;
};

static int on_progress(void *ctx, uint64_t event, double fraction)
{
	struct prog *p = ctx;
	ck_assert(fraction >= 0 && fraction <= 1);
	p->calls++;
	p->last_event = event;
	return p->stop;
}

/* A long seek and a long reverse-continue, interrupted through the progress
 * callback: each stops at an event boundary it names exactly (the states
 * reached again by seeking there are identical), and the timeline goes on
 * working. The recording takes seconds to replay, the first callback comes
 * 50 ms into a motion. */
START_TEST(test_interrupt)
{
	char dir[PATH_MAX];
	record_sample("syscalls", "100000", dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct prog p = {0, 1, 0};
	tl_set_progress(tl, on_progress, &p);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_INTERRUPTED);
	ck_assert_int_eq(p.calls, 1);
	ck_assert(!st.pos.pc && !st.pos.steps);
	ck_assert_uint_gt(st.pos.event, 1);
	ck_assert_uint_lt(st.pos.event, nev);
	struct tl_pos cut = st.pos;
	struct user_regs_struct r0 = regs(tl);
	uint64_t m0 = mem_sum(tl);
	/* Not asked to stop: runs to the end, reporting progress. */
	p.stop = 0;
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_END);
	ck_assert_int_gt(p.calls, 1);
	ck_assert_msg(tl_seek(tl, &cut, &st, err, sizeof err) == 0, "%s", err);
	struct user_regs_struct r1 = regs(tl);
	ck_assert(memcmp(&r0, &r1, sizeof r0) == 0);
	ck_assert_uint_eq(mem_sum(tl), m0);
	/* A reverse-continue from the end to a breakpoint at the dynamic
	 * loader's entry (hit only at the very start): cut in the middle of
	 * its search, at a boundary whose state is reached again exactly. */
	const struct trace_event *first = trace_event(tl_trace(tl), 1);
	ck_assert_ptr_nonnull(first);
	int id;
	ck_assert_msg(tl_bp_add(tl, TL_BP_SW, first->regs.rip, 1, NULL, NULL, &id, err, sizeof err) == 0,
	              "%s", err);
	tl_set_progress(tl, NULL, NULL);
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_END);
	p = (struct prog){0, 1, 0};
	tl_set_progress(tl, on_progress, &p);
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_INTERRUPTED);
	ck_assert(!st.pos.pc && !st.pos.steps);
	cut = st.pos;
	r0 = regs(tl);
	m0 = mem_sum(tl);
	tl_set_progress(tl, NULL, NULL);
	ck_assert_msg(tl_bp_del(tl, id, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_run_to_event(tl, 0, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_seek(tl, &cut, &st, err, sizeof err) == 0, "%s", err);
	r1 = regs(tl);
	ck_assert(memcmp(&r0, &r1, sizeof r0) == 0);
	ck_assert_uint_eq(mem_sum(tl), m0);
	tl_close(tl);
}
END_TEST

static void rm_tmp(void)
{
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd)) {
	}
}

/* A recording that runs execve (sh -c 'exec syscalls'): continue stops at
 * the exec with the new image's first state; reverse-continue searches one
 * image and stops at its first state. And the int3 table forgets the old
 * image at the exec: a breakpoint set in the shell at an address of the
 * second program's main loop (the shell's pages there hold other bytes)
 * must not put the shell's byte back into the program when the engine
 * disarms (at the checkpoint of the exec stop), or the program's loop
 * would run a changed instruction and the replay would not reach its end. */
START_TEST(test_exec_images)
{
	char dir[PATH_MAX], prog[PATH_MAX], cmd[PATH_MAX + 16];
	sample_path(prog, sizeof prog, "syscalls");
	snprintf(cmd, sizeof cmd, "exec %s 50", prog);
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	record("exec", argv, dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl)), ex = 0;
	for (uint64_t i = 2; i <= nev && !ex; i++) {
		const struct trace_event *e = trace_event(tl_trace(tl), i);
		if (e && e->kind == TRACE_EXEC)
			ex = i;
	}
	ck_assert_msg(ex > 3 && nev > ex + 40, "no second exec in the recording");
	ck_assert_uint_eq(tl_image_of(tl, ex - 1), 1);
	ck_assert_uint_eq(tl_image_of(tl, ex), ex);
	ck_assert_uint_eq(tl_image_of(tl, nev), ex);
	/* The program's loop: the return address of a system call's wrapper
	 * late in the recording. */
	ck_assert_msg(tl_run_to_event(tl, nev - 10, &st, err, sizeof err) == 0, "%s", err);
	uint64_t loop = 0;
	ck_assert_msg(tl_read(tl, regs(tl).rsp, &loop, sizeof loop, err, sizeof err) == 0, "%s", err);
	/* Set in the shell, where nothing runs at that address. */
	ck_assert_msg(tl_run_to_event(tl, 2, &st, err, sizeof err) == 0, "%s", err);
	int id;
	ck_assert_msg(tl_bp_add(tl, TL_BP_SW, loop, 1, NULL, NULL, &id, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_EXEC);
	ck_assert_uint_eq(st.pos.event, ex);
	ck_assert_uint_eq(regs(tl).rip, trace_event(tl_trace(tl), ex)->regs.rip);
	/* Back: nothing of this image before its first state. */
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_EXEC);
	ck_assert_uint_eq(st.pos.event, ex);
	/* One step back is the shell's execve; no hit in the shell. */
	ck_assert_msg(tl_reverse_stepi(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(tl_image_of(tl, tl_position(tl).event), 1);
	ck_assert_msg(tl_reverse_continue(tl, &st, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(st.kind, TL_STOP_START);
	/* Forward to the end: the address is the program's loop there (the
	 * caller did not set it again, so it is hit), and the program runs
	 * as recorded to its exit. */
	int hits = 0;
	for (;;) {
		ck_assert_msg(tl_continue(tl, &st, err, sizeof err) == 0, "%s", err);
		if (st.kind == TL_STOP_BREAKPOINT)
			hits++;
		else if (st.kind != TL_STOP_EXEC)
			break;
	}
	ck_assert_int_eq(st.kind, TL_STOP_END);
	ck_assert_int_ge(hits, 20);
	ck_assert(WIFEXITED(st.exit_status) && WEXITSTATUS(st.exit_status) == 0);
	tl_close(tl);
}
END_TEST

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 99;
	Suite *s = suite_create("tl");
	/* One case per test, so that CK_RUN_CASE=name runs one. */
	const struct {
		const char *name;
		const TTest *test;
	} tests[] = {
		{"positions", test_positions},
		{"stepi_samples", test_stepi_samples},
		{"stepi_python", test_stepi_python},
		{"reverse_continue_bp", test_reverse_continue_bp},
		{"watchpoint", test_watchpoint},
		{"seek", test_seek},
		{"random_seeks", test_random_seeks},
		{"checkpoint_budget", test_checkpoint_budget},
		{"interrupt", test_interrupt},
		{"boundary_hit", test_boundary_hit},
		{"reverse_stepi_after_arrival", test_reverse_stepi_after_arrival},
		{"exec_images", test_exec_images},
	};
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		TCase *tc = tcase_create(tests[i].name);
		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, tests[i].test);
		suite_add_tcase(s, tc);
	}
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rm_tmp();
	return failed ? 1 : 0;
}
