/* dw_bench — how fast dwarf/ loads a large binary's debug info, how much
 * memory it keeps, and how many address → line and address → function
 * lookups it answers per second (the questions every stop of the debugger
 * asks: the source pane, the backtrace, x/i symbols).  Not a test: run it
 * by hand and compare runs on one machine.
 *
 *   bench/dw_bench [-n LOOKUPS] [-r ROUNDS] [OBJECT...]
 *
 * With no OBJECT it measures the rrtui binary next to it (the project
 * itself, built with -g) and the system's libc with its separate debug
 * file from libc6-dbg (/usr/lib/debug/.build-id), when installed.  Load
 * time is the median of ROUNDS fresh sessions (default 5); memory is the
 * growth of the heap (mallinfo2) and of the resident set over one load;
 * lookups are at pseudo-random addresses inside the object's functions
 * (from its symbol table), the same sequence for every run. */
#include "dwarf/dw_int.h"	/* to report what was loaded (DIEs, rows) */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time too: on a busy machine wall time says more about the others */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* xorshift: the same addresses on every run, no libc rand() state */
static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct dw_session *load(const char *path, uint64_t bias)
{
	struct dw_session *s;
	char err[512];
	if (dw_session_new(&s, err, sizeof err) < 0 || dw_add_object(s, path, bias, err, sizeof err) < 0) {
		fprintf(stderr, "dw_bench: %s: %s\n", path, err);
		exit(1);
	}
	return s;
}

/* Addresses of functions, found by probing the text: a symbol lookup
 * at random offsets keeps the ones that land in a sized function. */
static size_t pick_addrs(struct dw_session *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t n)
{
	size_t k = 0;
	for (size_t tries = 0; k < n && tries < n * 50; tries++) {
		uint64_t a = lo + next_rand() % (hi - lo);
		struct dw_symbol sym;
		if (dw_symbol_for_addr(s, a, &sym) == 0 && sym.name && sym.size && a < sym.addr + sym.size)
			out[k++] = a;
	}
	return k;
}

/* The extent of the object's code, from its own symbols. */
static int text_extent(struct dw_session *s, const char *path, uint64_t bias, uint64_t *lo, uint64_t *hi)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "readelf -SW '%s' 2>/dev/null", path);
	FILE *f = popen(cmd, "r");
	char line[512];
	int ok = 0;
	while (f && fgets(line, sizeof line, f)) {
		char name[64];
		unsigned long addr, off, size;
		char *p = strchr(line, ']');
		if (p && sscanf(p + 1, " %63s %*s %lx %lx %lx", name, &addr, &off, &size) == 4 &&
		    !strcmp(name, ".text")) {
			*lo = addr + bias;
			*hi = addr + size + bias;
			ok = 1;
		}
	}
	if (f)
		pclose(f);
	(void)s;
	return ok ? 0 : -1;
}

static void bench(const char *path, size_t nlook, int rounds)
{
	const uint64_t bias = 0x7f0000000000ULL;	/* like a library's; any works */
	/* memory first: later rounds reuse pages the first one made resident */
	struct mallinfo2 m0 = mallinfo2();
	long r0 = rss_kb();
	struct dw_session *s = load(path, bias);
	struct mallinfo2 m1 = mallinfo2();
	long r1 = rss_kb();
	double *t = calloc(rounds, sizeof *t), *c = calloc(rounds, sizeof *c);
	for (int r = 0; r < rounds; r++) {
		double t0 = now(), c0 = cpu();
		struct dw_session *s2 = load(path, bias);
		t[r] = now() - t0;
		c[r] = cpu() - c0;
		dw_session_free(s2);
	}
	qsort(t, rounds, sizeof *t, dcmp);
	qsort(c, rounds, sizeof *c, dcmp);
	const struct dw_obj *o = s->objs[0];
	size_t rows = 0;
	for (int i = 0; i < o->ncus; i++)
		rows += o->cus[i]->nrows;
	printf("%s%s%s\n", path, o->dbgpath ? " + " : "", o->dbgpath ? o->dbgpath : "");
	printf("  %d CUs, %zu DIEs kept, %zu functions, %zu line rows, %zu symbols\n", o->ncus, o->ndies,
	       o->nfuncs, rows, o->nsyms);
	printf("  load      %8.1f ms  (median of %d; min %.1f, max %.1f; CPU %.1f ms)\n", t[rounds / 2] * 1e3,
	       rounds, t[0] * 1e3, t[rounds - 1] * 1e3, c[rounds / 2] * 1e3);
	printf("  memory    %8.1f MB heap, %.1f MB resident\n",
	       (double)(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd) / 1048576, (r1 - r0) / 1024.0);
	uint64_t lo, hi;
	if (text_extent(s, path, bias, &lo, &hi) < 0) {
		printf("  (no .text: lookups skipped)\n");
		dw_session_free(s);
		free(t);
		free(c);
		return;
	}
	free(c);
	enum { NADDR = 4096 };
	uint64_t *addrs = calloc(NADDR, sizeof *addrs);
	size_t na = pick_addrs(s, lo, hi, addrs, NADDR);
	if (!na) {
		printf("  (no function symbols: lookups skipped)\n");
		dw_session_free(s);
		free(addrs);
		free(t);
		return;
	}
	size_t hits = 0;
	double t0 = now();
	for (size_t i = 0; i < nlook; i++) {
		struct dw_line ln;
		hits += dw_line_for_pc(s, addrs[i % na], &ln) == 0;
	}
	double tl = now() - t0;
	printf("  addr→line %8.0f lookups/s  (%zu of %zu addresses have a line)\n", nlook / tl,
	       hits * na / nlook, na);
	hits = 0;
	t0 = now();
	for (size_t i = 0; i < nlook; i++) {
		const char *name;
		uint64_t flo, fhi;
		hits += dw_func_for_pc(s, addrs[i % na], &name, &flo, &fhi) == 0;
	}
	double tf = now() - t0;
	printf("  addr→func %8.0f lookups/s\n", nlook / tf);
	struct dw_sb sb;
	dw_sb_init(&sb);
	t0 = now();
	for (size_t i = 0; i < nlook; i++) {
		dw_sb_clear(&sb);
		dw_sb_addr_sym(s, &sb, addrs[i % na]);
	}
	double ts = now() - t0;
	printf("  <sym+off> %8.0f lookups/s  (x/i and pointer symbols)\n", nlook / ts);
	dw_sb_free(&sb);
	dw_session_free(s);
	free(addrs);
	free(t);
}

int main(int argc, char **argv)
{
	size_t nlook = 1000000;
	int rounds = 5, ai = 1;
	for (; ai + 1 < argc && argv[ai][0] == '-'; ai += 2) {
		if (!strcmp(argv[ai], "-n")) nlook = strtoul(argv[ai + 1], NULL, 10);
		else if (!strcmp(argv[ai], "-r")) rounds = atoi(argv[ai + 1]);
		else break;
	}
	if (rounds < 1) rounds = 1;
	if (ai < argc) {
		for (; ai < argc; ai++)
			bench(argv[ai], nlook, rounds);
		return 0;
	}
	/* the project itself: the rrtui binary beside this one */
	char self[4096], rr[4200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		char *sl = strrchr(self, '/');
		if (sl) *sl = 0;
		snprintf(rr, sizeof rr, "%s/../rrtui", self);
		if (access(rr, R_OK) == 0)
			bench(rr, nlook, rounds);
	}
	const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	if (access(libc, R_OK) == 0)
		bench(libc, nlook, rounds);
	return 0;
}
