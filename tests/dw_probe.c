/* dw_probe — answers gdb commands through dwarf/ only, so that
 * tests/dw_gdb.sh can diff its output against gdb's, either on a replay
 * (the way rrtui sees a program) or on a live process under ptrace.
 *
 *   dw_probe [-n] -t TRACE CMDFILE     replay TRACE (rrtui record -o TRACE)
 *   dw_probe [-n] CMDFILE PROG [ARGS...]   run PROG live
 *
 * CMDFILE holds gdb commands (the same file gdb -batch -x reads): break,
 * run, continue, echo, bt, info args, info locals, print[/F], output,
 * ptype, whatis, x/NFU, up, down, frame N.  -n: no separate debug files
 * (like gdb's "set debug-file-directory /nonexistent", which the script
 * also sets).  ASLR is off, live (personality) and in the recording, so
 * addresses equal gdb's.  On a replay, memory and registers come from
 * core's timeline (tl_read, tl_get_regs, tl_get_fpregs) and breakpoints are its own. */
#include "core/core.h"
#include "dwarf/dw.h"
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct bp { uint64_t addr; uint8_t orig; int num; int tl_id; };
struct probe {
	struct tl *tl;		/* replay mode; else live */
	pid_t pid;
	int memfd;
	struct bp bps[64];
	int nbps;
	struct user_regs_struct regs;
	int have_regs;
};

static int rd_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct probe *p = ctx;
	if (p->tl) {
		char err[256];
		return tl_read(p->tl, addr, buf, len, err, sizeof err) < 0 ? -EIO : 0;
	}
	ssize_t n = pread(p->memfd, buf, len, (off_t)addr);
	if (n != (ssize_t)len)
		return -EIO;
	for (int i = 0; i < p->nbps; i++)	/* hide our int3s */
		if (p->bps[i].addr >= addr && p->bps[i].addr < addr + len)
			((uint8_t *)buf)[p->bps[i].addr - addr] = p->bps[i].orig;
	return 0;
}

static int rd_reg(void *ctx, int r, uint64_t *v)
{
	struct probe *p = ctx;
	if (!p->have_regs) {
		char err[256];
		if (p->tl ? tl_get_regs(p->tl, &p->regs, err, sizeof err) < 0
			  : ptrace(PTRACE_GETREGS, p->pid, 0, &p->regs) < 0)
			return p->tl ? -EIO : -errno;
		p->have_regs = 1;
	}
	const struct user_regs_struct *g = &p->regs;
	const unsigned long long m[] = { g->rax, g->rdx, g->rcx, g->rbx, g->rsi, g->rdi, g->rbp,
		g->rsp, g->r8, g->r9, g->r10, g->r11, g->r12, g->r13, g->r14, g->r15, g->rip };
	if (r >= 0 && r < 17) { *v = m[r]; return 0; }
	if (r >= 17 && r <= 32) {	/* xmm0..15: their low 64 bits */
		struct user_fpregs_struct fp;
		char err[256];
		if (p->tl ? tl_get_fpregs(p->tl, &fp, err, sizeof err) < 0
			  : ptrace(PTRACE_GETFPREGS, p->pid, 0, &fp) < 0)
			return p->tl ? -EIO : -errno;
		memcpy(v, &fp.xmm_space[(r - 17) * 4], 8);
		return 0;
	}
	if (r == DW_REG_EFLAGS) { *v = g->eflags; return 0; }
	if (r == DW_REG_FS_BASE) { *v = g->fs_base; return 0; }
	if (r == DW_REG_GS_BASE) { *v = g->gs_base; return 0; }
	return -EINVAL;
}

static void poke(struct probe *p, uint64_t a, uint8_t b) { pwrite(p->memfd, &b, 1, (off_t)a); }

static int wait_stop(struct probe *p)
{
	int st;
	p->have_regs = 0;
	if (waitpid(p->pid, &st, 0) < 0 || !WIFSTOPPED(st))
		return -1;
	return WSTOPSIG(st);
}

/* Replay: continue to the next of our breakpoints; -1 at the end. */
static int cont_replay(struct probe *p)
{
	char err[512];
	struct tl_stop st;
	p->have_regs = 0;
	for (;;) {
		if (tl_continue(p->tl, &st, err, sizeof err) < 0) {
			fprintf(stderr, "dw_probe: %s\n", err);
			return -1;
		}
		if (st.kind == TL_STOP_END)
			return -1;
		if (st.kind != TL_STOP_BREAKPOINT)
			continue;
		for (int i = 0; i < p->nbps; i++)
			if (p->bps[i].tl_id == st.bp_id)
				return p->bps[i].num;
	}
}

/* Continue to the next breakpoint; returns its number or -1 on exit. */
static int cont(struct probe *p)
{
	if (p->tl)
		return cont_replay(p);
	struct user_regs_struct r;
	ptrace(PTRACE_GETREGS, p->pid, 0, &r);
	for (int i = 0; i < p->nbps; i++)
		if (p->bps[i].addr == r.rip) {
			poke(p, r.rip, p->bps[i].orig);
			ptrace(PTRACE_SINGLESTEP, p->pid, 0, 0);
			wait_stop(p);
			poke(p, r.rip, 0xcc);
		}
	int pass = 0;
	for (;;) {
		ptrace(PTRACE_CONT, p->pid, 0, (void *)(long)pass);
		int sig = wait_stop(p);
		if (sig < 0)
			return -1;
		/* deliver other signals, as gdb's "handle SIG nostop pass" does */
		pass = sig == SIGTRAP ? 0 : sig;
		if (pass)
			continue;
		ptrace(PTRACE_GETREGS, p->pid, 0, &r);
		for (int i = 0; i < p->nbps; i++)
			if (p->bps[i].addr == r.rip - 1) {
				r.rip--;
				ptrace(PTRACE_SETREGS, p->pid, 0, &r);
				p->have_regs = 0;
				return p->bps[i].num;
			}
	}
}

/* gdb complains once per missing source file, then says "in FILE" */
static char missing[64][512];
static int nmissing;

static void source_line(const char *file, int line)
{
	FILE *f = fopen(file, "r");
	char buf[1024];
	int n = 0;
	if (!f) {
		for (int i = 0; i < nmissing; i++)
			if (!strcmp(missing[i], file)) { printf("%d\tin %s\n", line, file); return; }
		if (nmissing < 64) snprintf(missing[nmissing++], sizeof missing[0], "%s", file);
		printf("%d\t%s: No such file or directory.\n", line, file);
		return;
	}
	while (fgets(buf, sizeof buf, f))
		if (++n == line) { printf("%d\t%s", line, buf); break; }
	fclose(f);
}

static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'n') { *o++ = '\n'; s++; }
		else if (*s == '\\' && s[1]) { *o++ = s[1]; s++; }
		else *o++ = *s;
	}
	*o = 0;
}

/* AT_TYPE from the recorded initial stack (argc, argv, envp, auxv). */
static uint64_t auxv_get(const struct trace_event *ev, uint64_t type)
{
	if (!ev->stack || ev->stack_len < 8 || ev->regs.rsp < ev->stack_addr)
		return 0;
	const uint64_t *w = (const uint64_t *)(const void *)ev->stack;
	size_t n = ev->stack_len / 8, i = (ev->regs.rsp - ev->stack_addr) / 8;
	if (i >= n)
		return 0;
	i += 1 + w[i] + 1;	/* argc, argv[], NULL */
	while (i < n && w[i])	/* envp[] */
		i++;
	for (i++; i + 1 < n && w[i]; i += 2)
		if (w[i] == type)
			return w[i + 1];
	return 0;
}

/* The replay's main executable and its load bias (AT_ENTRY - e_entry). */
static int replay_exe(struct tl *tl, char *path, size_t len, uint64_t *bias)
{
	const struct trace_event *ev = trace_event(tl_trace(tl), 1);
	if (!ev || ev->kind != TRACE_EXEC || !ev->exec_path)
		return -1;
	snprintf(path, len, "%s", ev->exec_path);
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	int ok = f && fread(&eh, sizeof eh, 1, f) == 1;
	if (f) fclose(f);
	if (!ok)
		return -1;
	*bias = eh.e_type == ET_DYN ? auxv_get(ev, AT_ENTRY) - eh.e_entry : 0;
	return 0;
}

/* gdb shows what the program writes; so does the replay */
static void on_output(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len)
{
	(void)ctx; (void)event;
	fflush(stdout);
	if (write(fd, data, len) < 0) {}
}

int main(int argc, char **argv)
{
	int nodebug = 0, ai = 1;
	const char *trace = NULL;
	for (; ai < argc && argv[ai][0] == '-'; ai++) {
		if (!strcmp(argv[ai], "-n")) nodebug = 1;
		else if (!strcmp(argv[ai], "-t") && ai + 1 < argc) trace = argv[++ai];
		else break;
	}
	if (argc - ai < (trace ? 1 : 2)) {
		fprintf(stderr, "usage: dw_probe [-n] -t TRACE CMDFILE\n"
			"       dw_probe [-n] CMDFILE PROG [ARGS...]\n");
		return 2;
	}
	FILE *cf = fopen(argv[ai], "r");
	if (!cf) { perror(argv[ai]); return 2; }
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct dw_session *s;
	char err[512];
	dw_session_new(&s, err, sizeof err);
	if (nodebug) dw_set_debug_dir(s, "");
	struct probe P = { 0 };
	struct dw_target T = { &P, rd_mem, rd_reg };
	char path[4096], line[4096];
	if (trace) {
		uint64_t bias = 0;
		if (tl_open(trace, NULL, &P.tl, err, sizeof err) < 0) {
			fprintf(stderr, "dw_probe: %s\n", err);
			return 1;
		}
		tl_set_output(P.tl, on_output, NULL);
		if (replay_exe(P.tl, path, sizeof path, &bias) < 0 ||
		    dw_add_object(s, path, bias, err, sizeof err) < 0) {
			fprintf(stderr, "dw_probe: cannot load the recorded executable %s\n", path);
			return 1;
		}
		goto commands;
	}
	const char *prog = argv[ai + 1];
	if (!realpath(prog, path)) { perror(prog); return 2; }

	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		personality(ADDR_NO_RANDOMIZE);
		execv(path, argv + ai + 1);
		_exit(127);
	}
	P.pid = pid;
	if (wait_stop(&P) != SIGTRAP) { fprintf(stderr, "exec failed\n"); return 1; }
	char mp[64];
	snprintf(mp, sizeof mp, "/proc/%d/mem", pid);
	P.memfd = open(mp, O_RDWR);
	/* load bias of the executable from its first mapping */
	snprintf(mp, sizeof mp, "/proc/%d/maps", pid);
	FILE *mf = fopen(mp, "r");
	uint64_t base = 0;
	while (mf && fgets(line, sizeof line, mf)) {
		unsigned long lo, off;
		char name[4096] = "";
		if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %4095s", &lo, &off, name) >= 2 && !strcmp(name, path) && off == 0) {
			base = lo;
			break;
		}
	}
	if (mf) fclose(mf);
	/* PIE executables link at 0; fixed ones at their own address */
	FILE *ef = fopen(path, "rb");
	unsigned char eh[18];
	int is_dyn = ef && fread(eh, 1, 18, ef) == 18 && eh[16] == 3;
	if (ef) fclose(ef);
	if (dw_add_object(s, path, is_dyn ? base : 0, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
commands:;
	struct dw_frame frames[256];
	int nframes = 0, cur = 0, started = 0, bpnum = 0;
	struct dw_sb out;
	dw_sb_init(&out);
	while (fgets(line, sizeof line, cf)) {
		line[strcspn(line, "\n")] = 0;
		char *c = line;
		while (isspace((unsigned char)*c)) c++;
		if (!*c || *c == '#' || !strncmp(c, "set ", 4) || !strncmp(c, "handle ", 7))
			continue;
		dw_sb_clear(&out);
		int rc = 0;
		if (!strncmp(c, "break ", 6)) {
			uint64_t a;
			bpnum++;
			if (dw_resolve_location(s, c + 6, &a, err, sizeof err) < 0) {
				printf("%s\n", err);
				continue;
			}
			struct dw_line ln;
			if (started) {
				if (dw_line_for_pc(s, a, &ln) == 0)
					printf("Breakpoint %d at 0x%lx: file %s, line %d.\n", bpnum, (unsigned long)a, ln.file, ln.line);
				else
					printf("Breakpoint %d at 0x%lx\n", bpnum, (unsigned long)a);
			}
			struct bp *b = &P.bps[P.nbps++];
			b->addr = a;
			b->num = bpnum;
			if (P.tl) {
				if (tl_bp_add(P.tl, TL_BP_SW, a, 1, NULL, NULL, &b->tl_id, err, sizeof err) < 0)
					printf("%s\n", err);
				continue;
			}
			pread(P.memfd, &b->orig, 1, (off_t)a);
			poke(&P, a, 0xcc);
			continue;
		}
		if (!strcmp(c, "run") || !strcmp(c, "continue") || !strcmp(c, "c")) {
			int n = cont(&P);
			if (n < 0) { printf("[Inferior 1 exited]\n"); break; }
			if (!started) {
				started = 1;
				dw_load_link_map(s, &T, err, sizeof err);
			}
			dw_frames(s, &T, frames, 256, &nframes, err, sizeof err);
			cur = 0;
			if (started && strcmp(c, "run")) {
				struct dw_sb fl;
				dw_sb_init(&fl);
				dw_frame_line(s, &T, &frames[0], &fl);
				printf("\nBreakpoint %d, %s", n, fl.buf + 4);
				const char *file;
				int line;
				if (dw_frame_pos(s, &frames[0], &file, &line) == 0)
					source_line(file, line);
				dw_sb_free(&fl);
			}
			continue;
		}
		if (!strncmp(c, "echo ", 5)) {
			unescape(c + 5);
			printf("%s", c + 5);
			continue;
		}
		if (!started) { printf("The program is not being run.\n"); continue; }
		if (!strcmp(c, "bt") || !strcmp(c, "backtrace")) {
			rc = dw_backtrace(s, &T, 0, &out, err, sizeof err);
		} else if (!strcmp(c, "info args")) {
			rc = dw_info_args(s, &T, &frames[cur], &out, err, sizeof err);
		} else if (!strcmp(c, "info locals")) {
			rc = dw_info_locals(s, &T, &frames[cur], &out, err, sizeof err);
		} else if (!strncmp(c, "up", 2) || !strncmp(c, "down", 4) || !strncmp(c, "frame ", 6)) {
			int n = 1;
			char *q = c + strcspn(c, " ");
			if (*q) n = atoi(q);
			int want = c[0] == 'u' ? cur + n : c[0] == 'd' ? cur - n : n;
			if (want >= nframes) { printf("Initial frame selected; you cannot go up.\n"); continue; }
			if (want < 0) { printf("Bottom (innermost) frame selected; you cannot go down.\n"); continue; }
			cur = want;
			rc = dw_frame_line(s, &T, &frames[cur], &out);
			printf("%s", out.buf);
			const char *file;
			int line;
			if (dw_frame_pos(s, &frames[cur], &file, &line) == 0)
				source_line(file, line);
			continue;
		} else if (!strncmp(c, "print", 5) || (c[0] == 'p' && (c[1] == ' ' || c[1] == '/'))) {
			char *q = c + (c[1] == 'r' ? 5 : 1);
			char fmt = 0;
			if (*q == '/') { fmt = q[1]; q += 2; }
			rc = dw_print(s, &T, &frames[cur], q, fmt, &out, err, sizeof err);
		} else if (!strncmp(c, "output", 6) && (c[6] == ' ' || c[6] == '/')) {
			char *q = c + 6, fmt = 0;
			if (*q == '/') { fmt = q[1]; q += 2; }
			rc = dw_output(s, &T, &frames[cur], q, fmt, &out, err, sizeof err);
		} else if (!strncmp(c, "ptype ", 6)) {
			rc = dw_ptype(s, &T, &frames[cur], c + 6, 0, &out, err, sizeof err);
		} else if (!strncmp(c, "whatis ", 7)) {
			rc = dw_ptype(s, &T, &frames[cur], c + 7, 1, &out, err, sizeof err);
		} else if (c[0] == 'x' && (c[1] == '/' || c[1] == ' ')) {
			rc = dw_examine(s, &T, &frames[cur], c + 1, &out, err, sizeof err);
		} else {
			printf("Undefined command: \"%s\".\n", c);
			continue;
		}
		if (out.len) printf("%s", out.buf);
		if (rc < 0) printf("%s\n", err);
	}
	dw_sb_free(&out);
	if (P.tl) {
		tl_close(P.tl);
	} else {
		kill(P.pid, SIGKILL);
		waitpid(P.pid, NULL, 0);
	}
	dw_session_free(s);
	return 0;
}
