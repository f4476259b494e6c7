/*
 * test_ck.c — the tracee primitives (core/tracee.h) on a live traced program.
 *
 * Each test starts tests/fixtures/ck/loop (built next to this program),
 * which prints the addresses of its variables and stops on an int3, and then
 * checks one primitive against what the program is known to do: checkpoints
 * replay the same instructions with the same registers and memory, int3 and
 * the debug registers see every hit/write/read, hit counting lands exactly
 * on the k-th call, syscall injection leaves every kind of stop as it was.
 * Tracer and tracee are pinned to one CPU: a ptrace stop costs ~10 us there
 * and ten times more across CPUs. Timings go to stderr.
 */
#include "core/tracee.h"

#include <check.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char err[256];

struct fx {
	struct tracee t;
	uint64_t hit, counter, watched, readme, state, handler, heap;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pin(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

static void fx_start(struct fx *f, int mb)
{
	char exe[PATH_MAX], path[PATH_MAX + 32], mbs[16], line[512];
	char *argv[3] = { path, mbs, NULL };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int pfd[2];
	FILE *in;

	ck_assert_int_gt(n, 0);
	exe[n] = 0;
	snprintf(path, sizeof path, "%s/fixtures/ck/loop", dirname(exe));
	snprintf(mbs, sizeof mbs, "%d", mb);
	pin();
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_msg(tc_spawn(&f->t, argv, pfd[1], err, sizeof err) == 0, "%s", err);
	close(pfd[1]);
	ck_assert_msg(tc_cont(&f->t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(f->t.stop, TC_STOP_TRAP);
	ck_assert_int_eq(f->t.trap_code, SI_KERNEL);
	in = fdopen(pfd[0], "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof line, in));
	fclose(in);
	ck_assert_int_eq(sscanf(line, "%lx %lx %lx %lx %lx %lx %lx", &f->hit, &f->counter,
	                        &f->watched, &f->readme, &f->state, &f->handler, &f->heap), 7);
}

static struct user_regs_struct regs(struct tracee *t)
{
	struct user_regs_struct r;
	ck_assert_msg(tc_get_regs(t, &r, err, sizeof err) == 0, "%s", err);
	return r;
}

static long peek(struct tracee *t, uint64_t addr)
{
	long v;
	ck_assert_msg(tc_read(t, addr, &v, sizeof v, err, sizeof err) == 0, "%s", err);
	return v;
}

/* FNV-1a of the computation's array and the top of the stack. */
static uint64_t checksum(struct fx *f, struct tracee *t)
{
	static unsigned char buf[4096 + 384];
	struct user_regs_struct r = regs(t);
	uint64_t h = 1469598103934665603ull;

	ck_assert_msg(tc_read(t, f->state, buf, 4096, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tc_read(t, r.rsp - 128, buf + 4096, 384, err, sizeof err) == 0, "%s", err);
	for (size_t i = 0; i < sizeof buf; i++)
		h = (h ^ buf[i]) * 1099511628211ull;
	return h;
}

/* Continue to the end (delivering the program's own SIGUSR1): exit status. */
static int run_to_exit(struct tracee *t)
{
	for (int i = 0; i < 100; i++) {
		ck_assert_msg(tc_cont(t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
		if (t->stop == TC_STOP_EXITED)
			return t->status;
		ck_assert_int_ne(t->stop, TC_STOP_KILLED);
	}
	ck_abort_msg("program did not end");
	return -1;
}

static int gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

#define NSTEPS 3000

START_TEST(test_checkpoint_replays_same_states)
{
	static struct user_regs_struct ra[NSTEPS];
	static uint64_t sa[NSTEPS];
	unsigned char xa[TC_XSTATE_MAX], xb[TC_XSTATE_MAX];
	size_t la = sizeof xa, lb = sizeof xb;
	struct fx f;
	struct ck ck;

	fx_start(&f, 0);
	ck_assert_msg(tc_get_xstate(&f.t, xa, &la, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
	for (int i = 0; i < NSTEPS; i++) {
		ck_assert_msg(tc_step(&f.t, 0, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(f.t.stop, TC_STOP_TRAP);
		ra[i] = regs(&f.t);
		sa[i] = checksum(&f, &f.t);
	}
	for (int rep = 0; rep < 2; rep++) {
		struct tracee r;
		ck_assert_msg(ck_restore(&ck, &r, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(r.stop, TC_STOP_SIGNAL);
		ck_assert_int_eq(r.sig, 0);
		lb = sizeof xb;
		ck_assert_msg(tc_get_xstate(&r, xb, &lb, err, sizeof err) == 0, "%s", err);
		ck_assert_uint_eq(la, lb);
		ck_assert(memcmp(xa, xb, la) == 0);
		for (int i = 0; i < NSTEPS; i++) {
			struct user_regs_struct rb;
			ck_assert_msg(tc_step(&r, 0, err, sizeof err) == 0, "%s", err);
			ck_assert_int_eq(r.stop, TC_STOP_TRAP);
			rb = regs(&r);
			ck_assert_msg(memcmp(&rb, &ra[i], sizeof rb) == 0, "registers differ at step %d (rip %llx vs %llx)",
			              i, rb.rip, ra[i].rip);
			ck_assert_msg(checksum(&f, &r) == sa[i], "memory differs at step %d", i);
		}
		tc_kill(&r);
		ck_assert(gone(r.pid));
	}
	ck_free(&ck);
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}
END_TEST

static void heap_case(int mb)
{
	struct fx f;
	struct ck ck[5];
	struct ck_mem m;
	struct tracee r;
	double t[5], sorted[5];
	long v;

	fx_start(&f, mb);
	for (int i = 0; i < 5; i++) {
		double t0 = now_ms();
		ck_assert_msg(ck_create(&f.t, &ck[i], err, sizeof err) == 0, "%s", err);
		t[i] = now_ms() - t0;
	}
	memcpy(sorted, t, sizeof t);
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			if (sorted[j] < sorted[i]) {
				double x = sorted[i]; sorted[i] = sorted[j]; sorted[j] = x;
			}
	ck_assert_msg(ck_mem(&ck[0], &m, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_ge(m.rss, (uint64_t)mb << 20);
	{
		double t0 = now_ms();
		ck_assert_msg(ck_restore(&ck[0], &r, err, sizeof err) == 0, "%s", err);
		double tr = now_ms() - t0;
		v = peek(&r, f.heap + ((uint64_t)mb << 20) - 8);
		ck_assert_int_eq(v, 0x5a5a5a5a5a5a5a5a);
		fprintf(stderr, "ck: %3d MB heap: ck_create median %.2f ms (min %.2f, max %.2f), "
		        "ck_restore %.2f ms; checkpoint rss %llu MB, pss %llu MB, private %llu kB, "
		        "page tables %llu kB\n", mb, sorted[2], sorted[0], sorted[4], tr,
		        (unsigned long long)(m.rss >> 20), (unsigned long long)(m.pss >> 20),
		        (unsigned long long)(m.private_bytes >> 10), (unsigned long long)(m.pte_bytes >> 10));
		/* Writing in the restored copy makes pages private to the checkpoint. */
		tc_kill(&r);
	}
	for (int i = 0; i < 5; i++) {
		pid_t pid = ck[i].t.pid;
		ck_free(&ck[i]);
		ck_assert(gone(pid));
	}
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}

START_TEST(test_checkpoint_heap_10mb) { heap_case(10); }
END_TEST

START_TEST(test_checkpoint_heap_200mb) { heap_case(200); }
END_TEST

START_TEST(test_ck_free_leaves_no_zombie)
{
	struct fx f;
	struct ck ck;
	struct tracee r;
	pid_t cpid, rpid;
	char path[64];

	fx_start(&f, 0);
	ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
	cpid = ck.t.pid;
	/* The checkpoint is our child (CLONE_PARENT), not the program's. */
	snprintf(path, sizeof path, "/proc/%d/stat", (int)cpid);
	{
		FILE *s = fopen(path, "r");
		int ppid = 0;
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(fscanf(s, "%*d (%*[^)]) %*c %d", &ppid), 1);
		fclose(s);
		ck_assert_int_eq(ppid, getpid());
	}
	ck_assert_msg(ck_restore(&ck, &r, err, sizeof err) == 0, "%s", err);
	rpid = r.pid;
	tc_kill(&r);
	ck_free(&ck);
	ck_assert(gone(cpid));
	ck_assert(gone(rpid));
	/* The program saw nothing (no SIGCHLD), and ends normally. */
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}
END_TEST

START_TEST(test_software_breakpoints)
{
	struct fx f;
	struct bp_set b;
	uint8_t orig, byte;
	int hit;

	fx_start(&f, 0);
	bp_init(&b, &f.t);
	ck_assert_msg(tc_read(&f.t, f.hit, &orig, 1, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(bp_insert(&b, f.hit, err, sizeof err), 0);
	ck_assert_int_eq(bp_insert(&b, f.hit, err, sizeof err), 0);
	ck_assert_int_eq(bp_count(&b, f.hit), 2);
	ck_assert_uint_eq(b.n, 1);
	tc_read(&f.t, f.hit, &byte, 1, NULL, 0);
	ck_assert_uint_eq(byte, 0xcc);
	bp_unpatch(&b, f.hit, &byte, 1);
	ck_assert_uint_eq(byte, orig);

	for (long i = 0; i < 3; i++) {
		ck_assert_msg(bp_cont(&b, PTRACE_CONT, &hit, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(hit, 1);
		ck_assert_uint_eq(regs(&f.t).rip, f.hit);
		ck_assert_int_eq((long)regs(&f.t).rdi, i);
		ck_assert_int_eq(peek(&f.t, f.counter), i);
	}
	ck_assert_int_eq(bp_remove(&b, f.hit, err, sizeof err), 0);
	ck_assert_msg(bp_step(&b, 0, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_ne(regs(&f.t).rip, f.hit);
	tc_read(&f.t, f.hit, &byte, 1, NULL, 0);
	ck_assert_uint_eq(byte, 0xcc); /* still one insert left, put back */
	ck_assert_msg(bp_cont(&b, PTRACE_CONT, &hit, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(hit, 1);
	ck_assert_int_eq((long)regs(&f.t).rdi, 3);
	ck_assert_int_eq(bp_remove(&b, f.hit, err, sizeof err), 0);
	tc_read(&f.t, f.hit, &byte, 1, NULL, 0);
	ck_assert_uint_eq(byte, orig);
	ck_assert_int_eq(bp_remove(&b, f.hit, err, sizeof err), -ENOENT);
	bp_fini(&b);
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}
END_TEST

#define KHIT 77777

START_TEST(test_hit_counting)
{
	struct fx f;
	struct ck ck;
	struct tracee a, b, c;
	struct hc_stats sa, sb, sc;
	struct user_regs_struct rxa, rxb;
	uint64_t done;
	double t0, ta = 0, tb;
	int perf;

	fx_start(&f, 0);
	ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
	perf = hc_available(&f.t);

	/* int3 counting: one ptrace stop per hit. */
	ck_assert_msg(ck_restore(&ck, &b, err, sizeof err) == 0, "%s", err);
	t0 = now_ms();
	ck_assert_msg(hc_run_to_hit(&b, NULL, f.hit, KHIT, HC_INT3, &sb, &done, err, sizeof err) == 0,
	              "%s", err);
	tb = now_ms() - t0;
	ck_assert_uint_eq(done, KHIT);
	rxb = regs(&b);
	ck_assert_uint_eq(rxb.rip, f.hit);
	ck_assert_int_eq((long)rxb.rdi, KHIT - 1);
	ck_assert_int_eq(peek(&b, f.counter), KHIT - 1);

	if (perf) {
		ck_assert_msg(ck_restore(&ck, &a, err, sizeof err) == 0, "%s", err);
		t0 = now_ms();
		ck_assert_msg(hc_run_to_hit(&a, NULL, f.hit, KHIT, HC_PERF, &sa, &done, err,
		                            sizeof err) == 0, "%s", err);
		ta = now_ms() - t0;
		ck_assert_uint_eq(done, KHIT);
		ck_assert_int_eq(sa.method, HC_PERF);
		rxa = regs(&a);
		ck_assert_int_eq(peek(&a, f.counter), KHIT - 1);
		/* Same state either way (the perf path may leave RF set in
		 * eflags, which the CPU clears after the next instruction). */
		rxa.eflags &= ~0x10000ull;
		rxb.eflags &= ~0x10000ull;
		ck_assert(memcmp(&rxa, &rxb, sizeof rxa) == 0);
		ck_assert_uint_eq(checksum(&f, &a), checksum(&f, &b));
		fprintf(stderr, "hc: hit %d of a loop: perf %.1f ms (%llu hits counted in the kernel, "
		        "%llu by trap, %llu stops); int3 %.1f ms (%llu stops)\n", KHIT, ta,
		        (unsigned long long)sa.kernel_hits, (unsigned long long)sa.trap_hits,
		        (unsigned long long)sa.stops, tb, (unsigned long long)sb.stops);
		/* And on from there: the current hit counts as the first. */
		ck_assert_int_eq(hc_run_to_hit(&a, NULL, f.hit, 1, HC_PERF, &sa, &done, err, sizeof err), 0);
		ck_assert_int_eq((long)regs(&a).rdi, KHIT - 1);
		ck_assert_int_eq(hc_run_to_hit(&a, NULL, f.hit, 1001, HC_PERF, &sa, &done, err, sizeof err), 0);
		ck_assert_int_eq((long)regs(&a).rdi, KHIT - 1 + 1000);
		tc_kill(&a);
	} else {
		fprintf(stderr, "hc: PERF_TYPE_BREAKPOINT unavailable; int3 only: hit %d in %.1f ms\n",
		        KHIT, tb);
	}
	tc_kill(&b);

	/* Small counts, from a point before the loop, with a caller's int3
	 * elsewhere that must survive. */
	ck_assert_msg(ck_restore(&ck, &c, err, sizeof err) == 0, "%s", err);
	{
		struct bp_set bs;
		uint8_t byte;
		bp_init(&bs, &c);
		ck_assert_int_eq(bp_insert(&bs, f.hit + 1, err, sizeof err), 0);
		for (uint64_t k = 1; k <= 4; k++) {
			ck_assert_msg(hc_run_to_hit(&c, &bs, f.hit, k, HC_AUTO, &sc, &done, err,
			                            sizeof err) == 0, "%s", err);
			ck_assert_uint_eq(regs(&c).rip, f.hit);
		}
		/* 1 + 1 + 2 + 3 (the first of each count is where we are). */
		ck_assert_int_eq((long)regs(&c).rdi, 6);
		tc_read(&c, f.hit + 1, &byte, 1, NULL, 0);
		ck_assert_uint_eq(byte, 0xcc);
		bp_fini(&bs);
	}
	tc_kill(&c);
	ck_free(&ck);
	tc_kill(&f.t);
}
END_TEST

START_TEST(test_hardware_breakpoints_and_watchpoints)
{
	struct fx f;
	struct hw_set h;
	int slot, fired, s[4];
	long w = 0;

	fx_start(&f, 0);
	hw_init(&h);
	ck_assert_int_eq(hw_add(&h, &f.t, f.watched + 4, HW_WRITE, 8, &slot, err, sizeof err), -EINVAL);
	ck_assert_int_eq(hw_add(&h, &f.t, f.watched, HW_WRITE, 3, &slot, err, sizeof err), -EINVAL);

	/* Execute breakpoint: traps with rip == address, once per call. */
	ck_assert_msg(hw_add(&h, &f.t, f.hit, HW_EXEC, 1, &slot, err, sizeof err) == 0, "%s", err);
	for (long i = 0; i < 3; i++) {
		ck_assert_msg(tc_cont(&f.t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(f.t.stop, TC_STOP_TRAP);
		ck_assert_int_eq(hw_check(&f.t, &fired, err, sizeof err), 0);
		ck_assert_int_eq(fired, 1 << slot);
		ck_assert_uint_eq(regs(&f.t).rip, f.hit);
		ck_assert_int_eq((long)regs(&f.t).rdi, i);
	}
	ck_assert_int_eq(hw_del(&h, &f.t, slot, err, sizeof err), 0);

	/* All four slots, then no fifth. */
	for (int i = 0; i < 4; i++)
		ck_assert_msg(hw_add(&h, &f.t, f.state + 64 * (uint64_t)i, HW_WRITE, 1 << (i % 4), &s[i],
		                     err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(hw_add(&h, &f.t, f.state, HW_WRITE, 8, &slot, err, sizeof err), -ENOSPC);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(hw_del(&h, &f.t, s[i], err, sizeof err), 0);

	/* Write watchpoint: every store, seen after it happened. */
	ck_assert_msg(hw_add(&h, &f.t, f.watched, HW_WRITE, 8, &slot, err, sizeof err) == 0, "%s", err);
	for (int i = 0; i < 10; i++) {
		long old = peek(&f.t, f.watched), now;
		ck_assert_int_eq(old, w);
		ck_assert_msg(tc_cont(&f.t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(f.t.stop, TC_STOP_TRAP);
		ck_assert_int_eq(hw_check(&f.t, &fired, err, sizeof err), 0);
		ck_assert_int_eq(fired, 1 << slot);
		now = peek(&f.t, f.watched);
		w = w * 3 + i;
		ck_assert_int_eq(now, w);
	}
	ck_assert_int_eq(hw_del(&h, &f.t, slot, err, sizeof err), 0);

	/* Read/write watchpoint (4 bytes inside the 8-byte variable). */
	ck_assert_msg(hw_add(&h, &f.t, f.readme, HW_RW, 4, &slot, err, sizeof err) == 0, "%s", err);
	for (int i = 0; i < 5; i++) {
		ck_assert_msg(tc_cont(&f.t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(f.t.stop, TC_STOP_TRAP);
		ck_assert_int_eq(hw_check(&f.t, &fired, err, sizeof err), 0);
		ck_assert_int_eq(fired, 1 << slot);
		ck_assert_int_eq(peek(&f.t, f.readme), 7);
	}
	ck_assert_int_eq(hw_del(&h, &f.t, slot, err, sizeof err), 0);
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}
END_TEST

/* Debug registers in a process restored from a checkpoint (fork copies
 * none): set on the clone, they must fire there as in the original. */
START_TEST(test_watchpoint_in_restored_clone)
{
	struct fx f;
	struct hw_set h;
	struct ck ck;
	struct tracee r;
	int slot, fired;

	fx_start(&f, 0);
	/* Taken with a watchpoint armed in the source. */
	hw_init(&h);
	ck_assert_msg(hw_add(&h, &f.t, f.watched, HW_WRITE, 8, &slot, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
	for (int round = 0; round < 2; round++) {
		ck_assert_msg(ck_restore(&ck, &r, err, sizeof err) == 0, "%s", err);
		hw_init(&h);
		ck_assert_msg(hw_add(&h, &r, f.watched, HW_WRITE, 8, &slot, err, sizeof err) == 0, "%s",
		              err);
		if (round == 1) {
			/* Switched off and on again, as the timeline does around
			 * every run that must not trap. */
			struct hw_set none;
			hw_init(&none);
			ck_assert_int_eq(hw_apply(&none, &r, err, sizeof err), 0);
			ck_assert_int_eq(hw_apply(&h, &r, err, sizeof err), 0);
		}
		for (int i = 0; i < 3; i++) {
			ck_assert_msg(tc_cont(&r, round ? PTRACE_SYSEMU : PTRACE_CONT, err, sizeof err) == 0, "%s", err);
			ck_assert_msg(r.stop == TC_STOP_TRAP, "round %d write %d: stop %d sig %d", round, i,
			              (int)r.stop, r.sig);
			ck_assert_int_eq(hw_check(&r, &fired, err, sizeof err), 0);
			ck_assert_int_eq(fired, 1 << slot);
		}
		tc_kill(&r);
	}
	ck_free(&ck);
	tc_kill(&f.t);
}
END_TEST

START_TEST(test_inject_from_each_kind_of_stop)
{
	struct fx f;
	struct ck ck, cks;
	struct tracee q, r;
	struct user_regs_struct before;
	uint64_t none[6] = { 0 };
	int64_t ret;

	fx_start(&f, 0);
	/* From a trap stop. */
	before = regs(&f.t);
	ck_assert_msg(tc_inject_syscall(&f.t, SYS_getpid, none, &ret, NULL, err, sizeof err) == 0,
	              "%s", err);
	ck_assert_int_eq(ret, f.t.pid);
	ck_assert_int_eq(f.t.stop, TC_STOP_TRAP);
	{
		struct user_regs_struct after = regs(&f.t);
		ck_assert(memcmp(&before, &after, sizeof after) == 0);
	}

	/* From a syscall-entry stop (PTRACE_SYSCALL): still at the entry
	 * afterwards, and the call then runs. */
	do {
		ck_assert_msg(tc_cont(&f.t, PTRACE_SYSCALL, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(f.t.stop, TC_STOP_SYSCALL_ENTRY);
	} while (regs(&f.t).orig_rax != SYS_getppid);
	ck_assert_int_eq(peek(&f.t, f.counter), 100000);
	before = regs(&f.t);
	ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(ck.at_syscall_entry, 1);
	ck_assert_msg(tc_inject_syscall(&f.t, SYS_getpid, none, &ret, NULL, err, sizeof err) == 0,
	              "%s", err);
	ck_assert_int_eq(ret, f.t.pid);
	ck_assert_int_eq(f.t.stop, TC_STOP_SYSCALL_ENTRY);
	{
		struct user_regs_struct after = regs(&f.t);
		ck_assert(memcmp(&before, &after, sizeof after) == 0);
	}
	ck_assert_msg(tc_cont(&f.t, PTRACE_SYSCALL, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(f.t.stop, TC_STOP_SYSCALL_EXIT);
	ck_assert_int_eq((long)regs(&f.t).rax, getpid());

	/* A copy restored from the entry-stop checkpoint, replay style
	 * (SYSEMU): reaches the same entry, injection keeps the call skipped,
	 * the emulated result sticks. */
	ck_assert_msg(ck_restore(&ck, &q, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tc_cont(&q, PTRACE_SYSEMU, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(q.stop, TC_STOP_SYSCALL_ENTRY);
	before = regs(&q);
	ck_assert_int_eq(before.orig_rax, SYS_getppid);
	ck_assert_msg(tc_inject_syscall(&q, SYS_getpid, none, &ret, NULL, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(ret, q.pid);
	ck_assert_int_eq(q.stop, TC_STOP_SYSCALL_ENTRY);
	{
		struct user_regs_struct after = regs(&q);
		ck_assert(memcmp(&before, &after, sizeof after) == 0);
		after.rax = 4242;
		ck_assert_int_eq(tc_set_regs(&q, &after, err, sizeof err), 0);
	}
	ck_assert_msg(tc_cont(&q, PTRACE_SYSCALL, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(q.stop, TC_STOP_SYSCALL_EXIT);
	ck_assert_int_eq((long)regs(&q).rax, 4242);
	tc_kill(&q);
	ck_free(&ck);

	/* From a signal-delivery stop: the signal stays pending with its
	 * siginfo, a checkpoint carries it, stepping enters the handler. */
	do {
		ck_assert_msg(tc_cont(&f.t, PTRACE_CONT, err, sizeof err) == 0, "%s", err);
	} while (f.t.stop != TC_STOP_SIGNAL && f.t.stop != TC_STOP_EXITED);
	ck_assert_int_eq(f.t.sig, SIGUSR1);
	ck_assert_int_eq(f.t.siginfo.si_code, SI_USER);
	before = regs(&f.t);
	ck_assert_msg(tc_inject_syscall(&f.t, SYS_getpid, none, &ret, NULL, err, sizeof err) == 0,
	              "%s", err);
	ck_assert_int_eq(ret, f.t.pid);
	ck_assert_int_eq(f.t.stop, TC_STOP_SIGNAL);
	ck_assert_int_eq(f.t.sig, SIGUSR1);
	ck_assert_int_eq(f.t.siginfo.si_code, SI_USER);
	ck_assert_int_eq(f.t.siginfo.si_pid, f.t.pid);
	{
		struct user_regs_struct after = regs(&f.t);
		ck_assert(memcmp(&before, &after, sizeof after) == 0);
	}
	ck_assert_msg(ck_create(&f.t, &cks, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(ck_restore(&cks, &r, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(r.sig, SIGUSR1);
	ck_assert_msg(tc_step(&r, 0, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(r.stop, TC_STOP_TRAP);
	ck_assert_uint_eq(regs(&r).rip, f.handler);
	ck_assert_msg(tc_step(&f.t, 0, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(regs(&f.t).rip, f.handler);
	ck_assert_int_eq(run_to_exit(&r), 0);
	ck_free(&cks);
	ck_assert_int_eq(run_to_exit(&f.t), 0);
}
END_TEST

START_TEST(test_step_over_syscall_instruction)
{
	struct fx f;
	struct user_regs_struct r0;
	uint64_t a;
	unsigned char insn[2];

	fx_start(&f, 0);
	/* Run to the getppid entry, rewind to the syscall instruction by way
	 * of a checkpoint, and single-step it: it runs for real. */
	do {
		ck_assert_msg(tc_cont(&f.t, PTRACE_SYSCALL, err, sizeof err) == 0, "%s", err);
	} while (regs(&f.t).orig_rax != SYS_getppid);
	{
		struct ck ck;
		struct tracee r;
		ck_assert_msg(ck_create(&f.t, &ck, err, sizeof err) == 0, "%s", err);
		ck_assert_msg(ck_restore(&ck, &r, err, sizeof err) == 0, "%s", err);
		r0 = regs(&r);
		ck_assert_msg(tc_read(&r, r0.rip, insn, 2, err, sizeof err) == 0, "%s", err);
		ck_assert(insn[0] == 0x0f && insn[1] == 0x05);
		ck_assert_msg(tc_step(&r, 0, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(r.stop, TC_STOP_TRAP);
		ck_assert_uint_eq(regs(&r).rip, r0.rip + 2);
		ck_assert_int_eq((long)regs(&r).rax, getpid());
		tc_kill(&r);
		/* With TC_STEP_SYSEMU it stops at the entry, the call skipped. */
		ck_assert_msg(ck_restore(&ck, &r, err, sizeof err) == 0, "%s", err);
		ck_assert_msg(tc_step(&r, TC_STEP_SYSEMU, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(r.stop, TC_STOP_SYSCALL_ENTRY);
		ck_assert_uint_eq(regs(&r).rip, r0.rip + 2);
		tc_kill(&r);
		ck_free(&ck);
	}
	ck_assert_msg(tc_find_syscall_insn(&f.t, &a, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tc_read(&f.t, a, insn, 2, err, sizeof err) == 0, "%s", err);
	ck_assert(insn[0] == 0x0f && insn[1] == 0x05);
	tc_kill(&f.t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ck");
	TCase *tc = tcase_create("tracee");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_checkpoint_replays_same_states);
	tcase_add_test(tc, test_checkpoint_heap_10mb);
	tcase_add_test(tc, test_checkpoint_heap_200mb);
	tcase_add_test(tc, test_ck_free_leaves_no_zombie);
	tcase_add_test(tc, test_software_breakpoints);
	tcase_add_test(tc, test_hit_counting);
	tcase_add_test(tc, test_hardware_breakpoints_and_watchpoints);
	tcase_add_test(tc, test_watchpoint_in_restored_clone);
	tcase_add_test(tc, test_inject_from_each_kind_of_stop);
	tcase_add_test(tc, test_step_over_syscall_instruction);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
