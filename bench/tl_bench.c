/*
 * tl_bench.c — latency of the timeline's motions (core.h, tl_), each next to
 * the forward replay time of the span it covers.
 *
 * It records its own subjects into a temporary folder (samples/syscalls for
 * a long recording with many events, samples/compute for a long span without
 * events, python3 for a big heap) and prints the median of several runs of:
 * reverse-stepi (the first one after arriving somewhere, and repeated ones),
 * reverse-continue to a breakpoint hit 1, 100 and 10,000 events back (an
 * unconditional one, bench/marks, and one whose condition is evaluated at a
 * hit in every event), a seek
 * to the event at 10%, 50% and 90% of the recording, and a checkpoint of a
 * process with 10 MB and 500 MB of touched heap. The targets (issue 3) are
 * reverse-stepi <= 20 ms and reverse-continue <= 1.5x the forward replay of
 * the span it searches; the ratio is printed next to each figure. With a
 * condition evaluated at every event, the span's forward replay is given
 * twice: plain, and as a continue with the same breakpoint (each hit is a
 * stop of the process either way: that is the fair comparison).
 *
 * Usage: bench/tl_bench [-s SAMPLES_DIR] [rsi] [rc] [seek] [ck]
 * (default: ../samples next to it, all four groups)
 */
#include "core/core.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char err[CORE_ERRLEN];
static char tmpdir[] = "/tmp/tl_bench.XXXXXX";
static char samples[PATH_MAX];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what)
{
	fprintf(stderr, "tl_bench: %s: %s\n", what, err);
	exit(1);
}

static void record(const char *tag, char *const argv[], char *dir, size_t len)
{
	struct rec_options o = {0};
	struct rec_result r;
	snprintf(dir, len, "%s/%s", tmpdir, tag);
	o.out_dir = dir;
	o.argv = argv;
	fflush(NULL);
	int save = dup(1);
	if (!freopen("/dev/null", "w", stdout))
		die("freopen");
	int rc = rec_record(&o, &r, err, sizeof err);
	fflush(stdout);
	dup2(save, 1);
	close(save);
	if (rc)
		die(tag);
}

static struct tl *open_tl(const char *dir)
{
	struct tl *tl;
	if (tl_open(dir, NULL, &tl, err, sizeof err))
		die("tl_open");
	return tl;
}

static void row(const char *what, double ms, double fwd_ms, const char *note)
{
	printf("%-44s %10.2f ms", what, ms);
	if (fwd_ms > 0)
		printf("   forward %9.2f ms   ratio %5.2f", fwd_ms, ms / fwd_ms);
	else
		printf("   %38s", "");
	printf("   %s\n", note ? note : "");
}

/* ---- reverse-stepi ------------------------------------------------------ */

static void bench_rsi(const char *dir, const char *label)
{
	enum { ROUNDS = 7, REP = 20 };
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	double first[ROUNDS], rep[ROUNDS * REP], fwd[ROUNDS * REP];
	int nr = 0, nf = 0;
	for (int k = 0; k < ROUNDS; k++) {
		/* A pc 3000 instructions after an event. */
		uint64_t e = 2 + (nev - 4) * (uint64_t)(k + 1) / (ROUNDS + 1);
		if (tl_run_to_event(tl, e, &st, err, sizeof err))
			die("run_to_event");
		for (int i = 0; i < 3000; i++) {
			double t0 = now();
			if (tl_stepi(tl, &st, err, sizeof err))
				die("stepi");
			if (nf < ROUNDS * REP)
				fwd[nf++] = now() - t0;
			if (st.kind == TL_STOP_END)
				break;
		}
		if (st.kind == TL_STOP_END)
			continue;
		/* Arrive again at that pc by a breakpoint in a fresh timeline
		 * (no trail, no checkpoint nearby), as a user would. */
		struct user_regs_struct r;
		if (tl_get_regs(tl, &r, err, sizeof err))
			die("regs");
		struct tl *tl2 = open_tl(dir);
		tl_close(tl);
		tl = tl2;
		if (tl_run_to_event(tl, e, &st, err, sizeof err))
			die("run_to_event");
		int id;
		if (tl_bp_add(tl, TL_BP_SW, r.rip, 1, NULL, NULL, &id, err, sizeof err))
			die("bp");
		if (tl_continue(tl, &st, err, sizeof err))
			die("continue");
		tl_bp_del(tl, id, err, sizeof err);
		double t0 = now();
		if (tl_reverse_stepi(tl, &st, err, sizeof err))
			die("reverse-stepi");
		first[k] = now() - t0;
		for (int i = 0; i < REP; i++) {
			t0 = now();
			if (tl_reverse_stepi(tl, &st, err, sizeof err))
				die("reverse-stepi");
			rep[nr++] = now() - t0;
		}
	}
	char what[96];
	snprintf(what, sizeof what, "reverse-stepi, first (%s)", label);
	double f = median(fwd, nf) * 1e3;
	row(what, median(first, ROUNDS) * 1e3, f, "forward = one stepi");
	snprintf(what, sizeof what, "reverse-stepi, repeated (%s)", label);
	row(what, median(rep, nr) * 1e3, f, "forward = one stepi");
	tl_close(tl);
}

/* ---- reverse-continue --------------------------------------------------- */

struct cond_ctx {
	uint64_t upto;  /* only hits in events <= upto count */
};

static int before_event(void *ctx, struct tl *tl, int id)
{
	(void)id;
	return tl_position(tl).event <= ((struct cond_ctx *)ctx)->upto;
}

/* Seconds of a plain forward replay from event a to event b (a fresh
 * timeline: no checkpoint after a). */
static double forward_span(const char *dir, uint64_t a, uint64_t b)
{
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	if (tl_run_to_event(tl, a, &st, err, sizeof err))
		die("run_to_event");
	double t0 = now();
	if (tl_run_to_event(tl, b, &st, err, sizeof err))
		die("run_to_event");
	double t = now() - t0;
	tl_close(tl);
	return t;
}

static int from_event(void *ctx, struct tl *tl, int id)
{
	(void)id;
	return tl_position(tl).event >= ((struct cond_ctx *)ctx)->upto;
}

/* Seconds of a forward continue from event a to the hit of the breakpoint
 * at pc in event b, its condition evaluated at every hit on the way (what
 * the same breakpoint costs going forward over the span). */
static double continue_span(const char *dir, uint64_t pc, uint64_t a, uint64_t b)
{
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	struct cond_ctx cc = {b};
	int id;
	if (tl_run_to_event(tl, a, &st, err, sizeof err))
		die("run_to_event");
	if (tl_bp_add(tl, TL_BP_SW, pc, 1, from_event, &cc, &id, err, sizeof err))
		die("bp");
	double t0 = now();
	if (tl_continue(tl, &st, err, sizeof err))
		die("continue");
	double t = now() - t0;
	if (st.kind != TL_STOP_BREAKPOINT || st.pos.event != b)
		fprintf(stderr, "tl_bench: continue stopped with kind %d at event %llu\n", st.kind,
		        (unsigned long long)st.pos.event);
	tl_close(tl);
	return t;
}

/* The breakpoint: the instruction right after the `syscall` of the event
 * at the boundary (libc's wrapper, hit once per call of that kind), with a
 * condition that lets only hits at least `back` events before X count. */
static void bench_rc(const char *dir, uint64_t back)
{
	enum { ROUNDS = 5 };
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	double rc[ROUNDS], fw[ROUNDS], fs[ROUNDS], fc[ROUNDS];
	int n = 0;
	if (tl_run_to_event(tl, 0, &st, err, sizeof err))
		die("run to the end");
	for (int k = 0; k < ROUNDS; k++) {
		uint64_t x = nev / 2 + (uint64_t)k * 997;
		if (tl_run_to_event(tl, x, &st, err, sizeof err))
			die("run_to_event");
		struct user_regs_struct r;
		if (tl_get_regs(tl, &r, err, sizeof err))
			die("regs");
		struct cond_ctx cc = {x - back};
		int id;
		if (tl_bp_add(tl, TL_BP_SW, r.rip, 1, before_event, &cc, &id, err, sizeof err))
			die("bp");
		/* The span searched starts at the last boundary checkpoint
		 * before the hit. */
		struct tl_ck_info ci[256];
		int nc = tl_ck_list(tl, ci, 256);
		uint64_t from = 1;
		for (int i = 0; i < nc && i < 256; i++)
			if (!ci[i].pos.pc && !ci[i].pos.steps && ci[i].pos.event <= x - back &&
			    ci[i].pos.event > from)
				from = ci[i].pos.event;
		double t0 = now();
		if (tl_reverse_continue(tl, &st, err, sizeof err))
			die("reverse-continue");
		rc[n] = now() - t0;
		if (st.kind != TL_STOP_BREAKPOINT)
			fprintf(stderr, "tl_bench: reverse-continue stopped with kind %d\n", st.kind);
		tl_bp_del(tl, id, err, sizeof err);
		/* Forward replay of [hit, X] and of the searched [from, X], in
		 * fresh timelines: this one has checkpoints at X by now. */
		uint64_t hit = st.pos.event;
		fw[n] = forward_span(dir, hit, x);
		fs[n] = forward_span(dir, from, x);
		fc[n] = continue_span(dir, r.rip, from, x);
		n++;
	}
	char what[96], note[160];
	double msr = median(rc, n) * 1e3, msw = median(fw, n) * 1e3, mss = median(fs, n) * 1e3;
	double msc = median(fc, n) * 1e3;
	snprintf(what, sizeof what, "reverse-continue, hit %llu events back", (unsigned long long)back);
	snprintf(note, sizeof note,
	         "span searched: forward %.2f ms (ratio %.2f), continue with the breakpoint %.2f ms (ratio %.2f)",
	         mss, mss > 0 ? msr / mss : 0, msc, msc > 0 ? msr / msc : 0);
	row(what, msr, msw, note);
	tl_close(tl);
}

/* An unconditional breakpoint whose last hit is `back` events before X,
 * none between (bench/marks: the instruction after getpid's syscall, run
 * only at the marked iterations). Each round in a fresh timeline that
 * replayed to X, as a user who ran there would have. */
static void bench_rc_marks(const char *dir, uint64_t mark_event, uint64_t back)
{
	enum { ROUNDS = 3 };
	double rc[ROUNDS], fw[ROUNDS], fs[ROUNDS];
	uint64_t x = mark_event + back, pc = 0;
	for (int k = 0; k < ROUNDS; k++) {
		struct tl *tl = open_tl(dir);
		struct tl_stop st;
		struct user_regs_struct r;
		if (!pc) {
			if (tl_run_to_event(tl, mark_event, &st, err, sizeof err) || tl_get_regs(tl, &r, err, sizeof err))
				die("run to the mark");
			pc = r.rip;
		}
		if (tl_run_to_event(tl, x, &st, err, sizeof err))
			die("run_to_event");
		int id;
		if (tl_bp_add(tl, TL_BP_SW, pc, 1, NULL, NULL, &id, err, sizeof err))
			die("bp");
		struct tl_ck_info ci[256];
		int nc = tl_ck_list(tl, ci, 256);
		uint64_t from = 1;
		for (int i = 0; i < nc && i < 256; i++)
			if (!ci[i].pos.pc && !ci[i].pos.steps && ci[i].pos.event <= mark_event && ci[i].pos.event > from)
				from = ci[i].pos.event;
		double t0 = now();
		if (tl_reverse_continue(tl, &st, err, sizeof err))
			die("reverse-continue");
		rc[k] = now() - t0;
		if (st.kind != TL_STOP_BREAKPOINT || st.pos.event != mark_event)
			fprintf(stderr, "tl_bench: reverse-continue stopped with kind %d at event %llu, not %llu\n",
			        st.kind, (unsigned long long)st.pos.event, (unsigned long long)mark_event);
		tl_close(tl);
		fw[k] = forward_span(dir, mark_event, x);
		fs[k] = forward_span(dir, from, x);
	}
	char what[96], note[96];
	double msr = median(rc, ROUNDS) * 1e3, msw = median(fw, ROUNDS) * 1e3, mss = median(fs, ROUNDS) * 1e3;
	snprintf(what, sizeof what, "reverse-continue, hit %llu events back", (unsigned long long)back);
	snprintf(note, sizeof note, "span searched: forward %.2f ms (ratio %.2f)", mss, mss > 0 ? msr / mss : 0);
	row(what, msr, msw, note);
}

/* ---- seek --------------------------------------------------------------- */

static void bench_seek(const char *dir)
{
	enum { ROUNDS = 5 };
	static const int pct[3] = {10, 50, 90};
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl));
	double fwd[3], prev = now(), total;
	double t_start = prev;
	/* The first forward run: times from the start to each target. */
	for (int i = 0; i < 3; i++) {
		if (tl_run_to_event(tl, nev * (uint64_t)pct[i] / 100, &st, err, sizeof err))
			die("run_to_event");
		fwd[i] = now() - t_start;
	}
	if (tl_run_to_event(tl, 0, &st, err, sizeof err))
		die("run to the end");
	total = now() - t_start;
	printf("%-44s %10.2f ms   (%llu events)\n", "forward replay of the whole recording", total * 1e3,
	       (unsigned long long)nev);
	tl_close(tl);
	for (int i = 0; i < 3; i++) {
		double v[ROUNDS];
		for (int k = 0; k < ROUNDS; k++) {
			/* A user who replayed to the end jumps back: a fresh
			 * timeline that has only its automatic checkpoints. */
			tl = open_tl(dir);
			if (tl_run_to_event(tl, 0, &st, err, sizeof err))
				die("run_to_event");
			double t0 = now();
			if (tl_run_to_event(tl, nev * (uint64_t)pct[i] / 100, &st, err, sizeof err))
				die("seek");
			v[k] = now() - t0;
			tl_close(tl);
		}
		char what[96];
		snprintf(what, sizeof what, "seek to the event at %d%%", pct[i]);
		row(what, median(v, ROUNDS) * 1e3, fwd[i] * 1e3, "forward = replay from the start");
	}
}

/* ---- checkpoints ------------------------------------------------------- */

static void bench_ck(int mb)
{
	enum { ROUNDS = 7 };
	char dir[PATH_MAX], tag[32], code[160];
	snprintf(tag, sizeof tag, "heap%d", mb);
	snprintf(code, sizeof code, "import os\nb = b'\\x01' * (%d << 20)\nos.getppid()\nprint(len(b))", mb);
	char *argv[] = {"python3", "-c", code, NULL};
	record(tag, argv, dir, sizeof dir);
	struct tl *tl = open_tl(dir);
	struct tl_stop st;
	uint64_t nev = trace_nevents(tl_trace(tl)), mark = 0;
	/* Right after os.getppid(), the marker: b is alive then (python frees
	 * it before exiting). */
	for (uint64_t e = nev; e >= 1 && !mark; e--) {
		const struct trace_event *ev = trace_event(tl_trace(tl), e);
		if (ev && ev->kind == TRACE_SYSCALL && ev->nr == 110 /* getppid */)
			mark = e;
	}
	if (!mark)
		die("no getppid in the python recording");
	double t0 = now();
	if (tl_run_to_event(tl, mark, &st, err, sizeof err))
		die("run_to_event");
	double fwd = now() - t0;
	double v[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		int id;
		t0 = now();
		if (tl_ck_create(tl, &id, err, sizeof err))
			die("checkpoint");
		v[k] = now() - t0;
		tl_ck_delete(tl, id, err, sizeof err);
	}
	struct tl_stats ts;
	tl_stats(tl, &ts, err, sizeof err);
	char what[96], note[160];
	snprintf(what, sizeof what, "checkpoint creation, %d MB heap", mb);
	snprintf(note, sizeof note, "(replay to there took %.0f ms; all checkpoints hold %.0f MB)", fwd * 1e3,
	         (double)ts.ck_bytes / (1 << 20));
	row(what, median(v, ROUNDS) * 1e3, 0, note);
	tl_close(tl);
}

int main(int argc, char **argv)
{
	int want = 0; /* bit 0 rsi, 1 rc, 2 seek, 3 ck */
	static const char *const groups[] = {"rsi", "rc", "seek", "ck"};
	samples[0] = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			snprintf(samples, sizeof samples, "%s", argv[++i]);
			continue;
		}
		int g;
		for (g = 0; g < 4 && strcmp(argv[i], groups[g]); g++)
			;
		if (g == 4) {
			fprintf(stderr, "usage: tl_bench [-s SAMPLES_DIR] [rsi] [rc] [seek] [ck]\n");
			return 2;
		}
		want |= 1 << g;
	}
	if (!want)
		want = 15;
	if (!samples[0]) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0)
			return 1;
		exe[n] = 0;
		snprintf(samples, sizeof samples, "%s/../samples", dirname(exe));
	}
	if (!mkdtemp(tmpdir))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	char dir_sys[PATH_MAX], dir_cmp[PATH_MAX], path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/syscalls", samples);
	char *a_sys[] = {path, "200000", NULL};
	record("syscalls", a_sys, dir_sys, sizeof dir_sys);
	char path2[PATH_MAX + 16];
	snprintf(path2, sizeof path2, "%s/compute", samples);
	char *a_cmp[] = {path2, "20000000", NULL};
	record("compute", a_cmp, dir_cmp, sizeof dir_cmp);

	printf("tl_bench: medians; 'forward' is the forward replay of the same span\n");
	if (want & 1) {
		bench_rsi(dir_sys, "syscalls");
		bench_rsi(dir_cmp, "compute");
	}
	if (want & 2) {
		/* marks: hits only at the marked iterations. */
		char dir_mk[PATH_MAX], path3[PATH_MAX + 16];
		snprintf(path3, sizeof path3, "%s/../bench/marks", samples);
		char *a_mk[] = {path3, "200000", "20000", "60000", "100000", NULL};
		record("marks", a_mk, dir_mk, sizeof dir_mk);
		struct tl *tl = open_tl(dir_mk);
		uint64_t nev = trace_nevents(tl_trace(tl)), mk[3];
		int n = 0;
		for (uint64_t e = 1; e <= nev && n < 3; e++) {
			const struct trace_event *ev = trace_event(tl_trace(tl), e);
			if (ev && ev->kind == TRACE_SYSCALL && ev->nr == 39 /* getpid */)
				mk[n++] = e;
		}
		tl_close(tl);
		if (n != 3) {
			fprintf(stderr, "tl_bench: %d marks in the recording of bench/marks\n", n);
			exit(1);
		}
		bench_rc_marks(dir_mk, mk[0], 1);
		bench_rc_marks(dir_mk, mk[1], 100);
		bench_rc_marks(dir_mk, mk[2], 10000);
		printf("with a condition evaluated at every event (a hit per event):\n");
		bench_rc(dir_sys, 1);
		bench_rc(dir_sys, 100);
		bench_rc(dir_sys, 10000);
	}
	if (want & 4)
		bench_seek(dir_sys);
	if (want & 8) {
		bench_ck(10);
		bench_ck(500);
	}

	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd)) {
	}
	return 0;
}
