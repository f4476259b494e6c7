/*
 * dbg.c — the debugger session: opening a trace for debugging, the bridge
 * between the timeline (core/) and the debug information (dwarf/), and the
 * command dispatcher.
 *
 * dwarf/ reads the program through struct dw_target; here those callbacks
 * read the replayed process through tl_read/tl_get_regs, with the registers
 * cached until the next motion (every unwind reads them dozens of times).
 * The objects dwarf/ knows come from the recording, not from a live link
 * map: the executable from the exec event's auxiliary vector (its entry
 * point gives the load bias), ld.so from AT_BASE, and each library from the
 * first recorded mmap of its file (bias = mapping address - its first
 * segment's address). That way symbols work at every position, even before
 * ld.so has run.
 *
 * Commands are looked up in the table of cmds/cmd_table.c; this file only
 * splits a line into the command word and its arguments, remembers what
 * Enter repeats, and holds the query functions front-ends call.
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- printing ------------------------------------------------------------- */

void dbg_write(struct dbg *d, const char *s, size_t n)
{
	if (n && d->opt.print)
		d->opt.print(d->opt.print_ctx, s, n, 0);
}

void dbg_puts(struct dbg *d, const char *s)
{
	dbg_write(d, s, strlen(s));
}

void dbg_printf(struct dbg *d, const char *fmt, ...)
{
	char buf[4096], *p = buf;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf) {
		p = malloc((size_t)n + 1);
		if (!p)
			return;
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	dbg_write(d, p, (size_t)n);
	if (p != buf)
		free(p);
}

int dbg_error(struct dbg *d, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	if (d->opt.print)
		d->opt.print(d->opt.print_ctx, buf, (size_t)n, 1);
	return DBG_ERROR;
}

/* ---- the dwarf target over the timeline ------------------------------------ */

void dbg_invalidate(struct dbg *d)
{
	d->have_regs = 0;
	d->have_fpregs = 0;
	d->have_frames = 0;
	d->cur_frame = 0;
	d->list_line = 0;
}

int dbg_alive(struct dbg *d)
{
	return !tl_at_end(d->tl, NULL);
}

int dbg_regs(struct dbg *d, struct user_regs_struct *r)
{
	if (!d->have_regs) {
		char err[CORE_ERRLEN];
		if (!dbg_alive(d) || tl_get_regs(d->tl, &d->regs, err, sizeof err) < 0)
			return -1;
		d->have_regs = 1;
	}
	if (r)
		*r = d->regs;
	return 0;
}

int dbg_read(struct dbg *d, uint64_t addr, void *buf, size_t len)
{
	char err[CORE_ERRLEN];
	if (!dbg_alive(d))
		return -1;
	return tl_read(d->tl, addr, buf, len, err, sizeof err) < 0 ? -1 : 0;
}

static int target_read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return dbg_read(ctx, addr, buf, len) < 0 ? -EIO : 0;
}

static int target_read_reg(void *ctx, int r, uint64_t *v)
{
	struct dbg *d = ctx;
	if (dbg_regs(d, NULL) < 0)
		return -ESRCH;
	const struct user_regs_struct *g = &d->regs;
	const unsigned long long m[] = {g->rax, g->rdx, g->rcx, g->rbx, g->rsi, g->rdi,
	                                g->rbp, g->rsp, g->r8,  g->r9,  g->r10, g->r11,
	                                g->r12, g->r13, g->r14, g->r15, g->rip};
	if (r >= 0 && r < 17) {
		*v = m[r];
		return 0;
	}
	switch (r) {
	case DW_REG_EFLAGS:
		*v = g->eflags;
		return 0;
	case DW_REG_FS_BASE:
		*v = g->fs_base;
		return 0;
	case DW_REG_GS_BASE:
		*v = g->gs_base;
		return 0;
	}
	if (r >= DW_REG_XMM0 && r < DW_REG_XMM0 + 16) {
		/* The low 64 bits of xmmN: a scalar float or double there is
		 * what optimised code keeps in it. */
		if (!d->have_fpregs) {
			char err[CORE_ERRLEN];
			if (tl_get_fpregs(d->tl, &d->fpregs, err, sizeof err) < 0)
				return -ESRCH;
			d->have_fpregs = 1;
		}
		memcpy(v, (const char *)d->fpregs.xmm_space + (size_t)(r - DW_REG_XMM0) * 16, 8);
		return 0;
	}
	return -EINVAL;
}

int dbg_load_frames(struct dbg *d)
{
	if (d->have_frames)
		return d->nframes > 0 ? 0 : -1;
	d->have_frames = 1;
	d->nframes = 0;
	if (!dbg_alive(d))
		return -1;
	char err[256];
	if (dw_frames(d->dw, &d->target, d->frames, DBG_MAX_FRAMES, &d->nframes, err, sizeof err) < 0 ||
	    d->nframes <= 0) {
		/* At least the innermost frame, from the registers. */
		struct user_regs_struct r;
		if (dbg_regs(d, &r) < 0)
			return -1;
		memset(&d->frames[0], 0, sizeof d->frames[0]);
		d->frames[0].pc = r.rip;
		d->frames[0].regs[DW_REG_RIP] = r.rip;
		d->frames[0].regs[DW_REG_RSP] = r.rsp;
		d->frames[0].regs[DW_REG_RBP] = r.rbp;
		d->frames[0].valid = 1u << DW_REG_RIP | 1u << DW_REG_RSP | 1u << DW_REG_RBP;
		d->nframes = 1;
	}
	if (d->cur_frame >= d->nframes)
		d->cur_frame = 0;
	return 0;
}

const struct dw_frame *dbg_sel_frame(struct dbg *d)
{
	if (dbg_load_frames(d) < 0)
		return NULL;
	return &d->frames[d->cur_frame];
}

uint64_t dbg_cfa(struct dbg *d)
{
	struct dw_frame f[1];
	int n = 0;
	char err[256];
	if (!dbg_alive(d) || dw_unwind(d->dw, &d->target, f, 1, &n, err, sizeof err) < 0 || n < 1)
		return 0;
	return f[0].cfa;
}

int dbg_value_text(struct dbg *d, const struct dw_frame *f, const char *expr, char fmt,
                   char *out, size_t outlen, char *err, size_t errlen)
{
	/* gdb's `output`: the value alone, not recorded as $N (watch values,
	 * the TUI's panes must not use up the user's history numbers). */
	struct dw_sb sb;
	dw_sb_init(&sb);
	int rc = dw_output(d->dw, &d->target, f, expr, fmt, &sb, err, errlen);
	if (rc == 0) {
		const char *v = sb.buf ? sb.buf : "";
		size_t n = strlen(v);
		while (n && v[n - 1] == '\n')
			n--;
		snprintf(out, outlen, "%.*s", (int)n, v);
	}
	dw_sb_free(&sb);
	return rc;
}

/* ---- source files ------------------------------------------------------------ */

static struct src_file *source_get(struct dbg *d, const char *path)
{
	for (int i = 0; i < d->nsrcs; i++)
		if (strcmp(d->srcs[i].path, path) == 0)
			return &d->srcs[i];
	struct src_file *n = realloc(d->srcs, (size_t)(d->nsrcs + 1) * sizeof *n);
	if (!n)
		return NULL;
	d->srcs = n;
	struct src_file *s = &d->srcs[d->nsrcs++];
	memset(s, 0, sizeof *s);
	s->path = strdup(path);
	/* A relative name is relative to its compilation directory first,
	 * then to ours (gdb's default source path, $cdir:$cwd). */
	char full[4096];
	FILE *f = NULL;
	if (path[0] != '/' && dw_source_fullpath(d->dw, path, full, sizeof full, NULL) == 0)
		f = fopen(full, "r");
	if (!f)
		f = fopen(path, "r");
	if (!f) {
		s->missing = 1;
		return s;
	}
	size_t cap = 0, len = 0;
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
		if (len + k + 1 > cap) {
			cap = (len + k + 1) * 2;
			char *t = realloc(s->text, cap);
			if (!t)
				break;
			s->text = t;
		}
		memcpy(s->text + len, buf, k);
		len += k;
	}
	fclose(f);
	if (!s->text) {
		s->text = strdup("");
		len = 0;
	}
	s->text[len] = 0;
	int nl = 1;
	for (size_t i = 0; i < len; i++)
		nl += s->text[i] == '\n';
	s->lines = calloc((size_t)nl + 1, sizeof *s->lines);
	char *p = s->text;
	while (p && *p) {
		s->lines[s->nlines++] = p;
		char *e = strchr(p, '\n');
		if (!e)
			break;
		*e = 0;
		p = e + 1;
	}
	return s;
}

/* Prints lines [from, to] of file; returns how many it printed, -1 when
 * the file is unreadable (after gdb's message). */
int dbg_print_source_range(struct dbg *d, const char *file, int from, int to);
int dbg_print_source_range(struct dbg *d, const char *file, int from, int to)
{
	struct src_file *s = source_get(d, file);
	if (!s)
		return -1;
	if (s->missing) {
		/* gdb complains once per file, then says "in FILE". */
		if (s->missing == 1) {
			dbg_printf(d, "%d\t%s: No such file or directory.\n", from, file);
			s->missing = 2;
		} else {
			dbg_printf(d, "%d\tin %s\n", from, file);
		}
		return -1;
	}
	int n = 0;
	for (int l = from; l <= to && l <= s->nlines; l++, n++)
		dbg_printf(d, "%d\t%s\n", l, s->lines[l - 1]);
	return n;
}

int dbg_source_nlines(struct dbg *d, const char *file);
int dbg_source_nlines(struct dbg *d, const char *file)
{
	struct src_file *s = source_get(d, file);
	return s && !s->missing ? s->nlines : -1;
}

void dbg_print_source_line(struct dbg *d, const char *file, int line)
{
	if (dbg_print_source_range(d, file, line, line) == 0)
		dbg_printf(d, "Line number %d out of range; \"%s\" has %d lines.\n", line, file,
		           dbg_source_nlines(d, file));
}

void dbg_print_frame_head(struct dbg *d, const struct dw_frame *f, int with_level)
{
	struct dw_sb sb;
	dw_sb_init(&sb);
	dw_frame_line(d->dw, &d->target, f, &sb);
	if (sb.buf)
		dbg_puts(d, with_level ? sb.buf : sb.buf + (sb.len > 4 ? 4 : sb.len));
	dw_sb_free(&sb);
}

void dbg_print_frame(struct dbg *d, int frame, int src_and_loc)
{
	if (dbg_load_frames(d) < 0)
		return;
	const struct dw_frame *f = &d->frames[frame];
	const char *file;
	int line;
	int have = dw_frame_pos(d->dw, f, &file, &line) == 0;
	if (src_and_loc || !have) {
		dbg_print_frame_head(d, f, src_and_loc == 2);
	} else if (frame == 0) {
		/* gdb shows the address when the pc is not at the line's start */
		struct dw_line ln;
		if (dw_line_for_pc(d->dw, f->pc, &ln) == 0 && ln.addr != f->pc)
			dbg_printf(d, "0x%016llx\t", (unsigned long long)f->pc);
	}
	if (have) {
		dbg_print_source_line(d, file, line);
		snprintf(d->list_file, sizeof d->list_file, "%s", file);
		d->list_line = -line; /* `list` centres on the stop line */
		int half = (d->listsize > 0 ? d->listsize : 10) / 2;
		d->list_first = line - half > 1 ? line - half : 1; /* `list -`: before that */
	}
}

/* ---- objects ------------------------------------------------------------------- */

/* The first PT_LOAD's vaddr (page-aligned) and, for the executable, its
 * entry and interpreter. */
static int elf_info(const char *path, uint64_t *first_vaddr, uint64_t *entry, int *is_dyn,
                    char *interp, size_t interplen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf64_Ehdr eh;
	int rc = -1;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		goto out;
	*entry = eh.e_entry;
	*is_dyn = eh.e_type == ET_DYN;
	*first_vaddr = 0;
	if (interp)
		interp[0] = 0;
	int found = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != (ssize_t)sizeof ph)
			break;
		if (ph.p_type == PT_LOAD && !found) {
			*first_vaddr = ph.p_vaddr & ~0xfffULL;
			found = 1;
		}
		if (ph.p_type == PT_INTERP && interp && ph.p_filesz < interplen) {
			if (pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz)
				interp[ph.p_filesz] = 0;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* The link-time address range of path's .text (gdb's From/To in `info
 * sharedlibrary`); 0 when it has none. */
static void elf_text(const char *path, uint64_t *lo, uint64_t *hi)
{
	*lo = *hi = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	Elf64_Ehdr eh;
	Elf64_Shdr strs;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || eh.e_shstrndx >= eh.e_shnum ||
	    pread(fd, &strs, sizeof strs, (off_t)(eh.e_shoff + (uint64_t)eh.e_shstrndx * eh.e_shentsize)) !=
	        (ssize_t)sizeof strs) {
		close(fd);
		return;
	}
	for (int i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		char name[8] = "";
		if (pread(fd, &sh, sizeof sh, (off_t)(eh.e_shoff + (uint64_t)i * eh.e_shentsize)) != (ssize_t)sizeof sh)
			break;
		if (pread(fd, name, 6, (off_t)(strs.sh_offset + sh.sh_name)) == 6 && !memcmp(name, ".text", 6)) {
			*lo = sh.sh_addr, *hi = sh.sh_addr + sh.sh_size;
			break;
		}
	}
	close(fd);
}

/* A shared object for `info sharedlibrary`: loaded by the end of event
 * `event` (0: from the start, the interpreter). */
static void lib_add(struct dbg *d, const char *path, const char *name, uint64_t bias, uint64_t event)
{
	if (d->nlibs == DBG_MAX_LIBS)
		return;
	struct dbg_lib *l = &d->libs[d->nlibs++];
	snprintf(l->name, sizeof l->name, "%s", name);
	l->event = event;
	elf_text(path, &l->lo, &l->hi);
	l->lo += bias, l->hi += bias;
}

/* Word i of the recorded stack image (which the trace keeps unaligned). */
static uint64_t stack_word(const struct trace_event *ev, size_t i)
{
	uint64_t v;
	memcpy(&v, ev->stack + i * 8, 8);
	return v;
}

/* AT_xxx from the recorded initial stack: argc, argv, envp, then auxv. */
static uint64_t auxv_get(const struct trace_event *ev, uint64_t type)
{
	if (!ev->stack || ev->stack_len < 8)
		return 0;
	size_t n = ev->stack_len / 8, i = 0;
	/* The stack image starts at the initial rsp (argc). */
	if (ev->regs.rsp > ev->stack_addr && ev->regs.rsp < ev->stack_addr + ev->stack_len)
		i = (ev->regs.rsp - ev->stack_addr) / 8;
	uint64_t argc = i < n ? stack_word(ev, i) : 0;
	i += 1 + argc + 1;
	while (i < n && stack_word(ev, i))
		i++;
	for (i++; i + 1 < n; i += 2) {
		if (stack_word(ev, i) == type)
			return stack_word(ev, i + 1);
		if (stack_word(ev, i) == 0)
			break;
	}
	return 0;
}

/* The objects of the image that exec event img started: the executable
 * from its auxiliary vector, ld.so from AT_BASE, and each library from its
 * first mapping before the next execve. Added to dw when dw is given; the
 * session's library list (info sharedlibrary) and exe are filled when
 * current is set. */
static void load_objects(struct dbg *d, uint64_t img, struct dw_session *dw, int current,
                         struct dw_sb *sig)
{
	char err[512];
	const struct trace_event *ev = trace_event(d->trace, img);
	const char *exe = ev && ev->kind == TRACE_EXEC && ev->exec_path ? ev->exec_path
	                                                                   : trace_header(d->trace)->exe;
	if (current) {
		snprintf(d->exe, sizeof d->exe, "%s", exe ? exe : "");
		d->nlibs = 0;
	}
	uint64_t vaddr = 0, entry = 0;
	int is_dyn = 0;
	char interp[512] = "";
	if (exe && elf_info(exe, &vaddr, &entry, &is_dyn, interp, sizeof interp) == 0) {
		uint64_t at_entry = ev ? auxv_get(ev, AT_ENTRY) : 0;
		uint64_t bias = is_dyn && at_entry ? at_entry - entry : 0;
		if (dw)
			dw_add_object(dw, exe, bias, err, sizeof err);
		if (sig)
			dw_sb_printf(sig, "%s@%llx;", exe, (unsigned long long)bias);
	}
	uint64_t at_base = ev ? auxv_get(ev, AT_BASE) : 0;
	if (interp[0] && at_base) {
		char real[4096];
		const char *p = realpath(interp, real) ? real : interp;
		if (dw)
			dw_add_object(dw, interp, at_base, err, sizeof err);
		if (sig)
			dw_sb_printf(sig, "%s@%llx;", interp, (unsigned long long)at_base);
		if (current)
			lib_add(d, p, interp, at_base, img);
	}
	/* Libraries: the first mapping of each file (offset 0) in the image. */
	int nf = trace_nfiles(d->trace);
	char *seen = calloc((size_t)nf + 1, 1);
	uint64_t n = trace_nevents(d->trace);
	for (uint64_t i = img + 1; seen && i <= n; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_EXEC)
			break; /* the next image */
		if (!e || e->kind != TRACE_SYSCALL || e->file < 0 || e->file >= nf || seen[e->file])
			continue;
		if (e->result < 0 || e->args[5] != 0)
			continue;
		seen[e->file] = 1;
		const struct trace_file *tf = trace_file(d->trace, e->file);
		char path[4096];
		if (trace_file_path(d->trace, e->file, path, sizeof path, err, sizeof err) < 0)
			continue;
		uint64_t fv = 0, fe = 0;
		int fd = 0;
		if (elf_info(path, &fv, &fe, &fd, NULL, 0) < 0)
			continue; /* not an ELF file (ld.so.cache, data) */
		/* gdb names a library by the path the program opened. */
		const char *name = tf && tf->path && strcmp(tf->path, path) == 0 ? tf->path : path;
		if (dw)
			dw_add_object(dw, name, (uint64_t)e->result - fv, err, sizeof err);
		if (sig)
			dw_sb_printf(sig, "%s@%llx;", path, (unsigned long long)((uint64_t)e->result - fv));
		if (current)
			lib_add(d, path, name, (uint64_t)e->result - fv, i);
	}
	free(seen);
}

struct dw_session *dbg_image_dw(struct dbg *d, uint64_t ev)
{
	struct dbg_image *im = NULL;
	for (int i = 0; i < d->nimages; i++)
		if (d->images[i].ev == ev)
			im = &d->images[i];
	if (!im)
		return NULL;
	if (!im->dw) {
		/* An image of the same objects at the same places (a shell
		 * run again by a wrapper) shares the symbols already loaded. */
		struct dw_sb sig;
		dw_sb_init(&sig);
		load_objects(d, ev, NULL, 0, &sig);
		im->sig = sig.buf ? sig.buf : strdup("");
		for (int i = 0; i < d->nimages; i++)
			if (d->images[i].dw && d->images[i].sig && !strcmp(d->images[i].sig, im->sig)) {
				im->dw = d->images[i].dw;
				im->shared = 1;
				return im->dw;
			}
		char err[256];
		if (dw_session_new(&im->dw, err, sizeof err) < 0)
			return NULL;
		load_objects(d, ev, im->dw, 0, NULL);
	}
	return im->dw;
}

/* Makes the image of the current position the session's. */
static int image_sync(struct dbg *d)
{
	uint64_t img = tl_image_of(d->tl, tl_position(d->tl).event);
	if (img == d->image && d->dw)
		return 0;
	struct dw_session *dw = dbg_image_dw(d, img);
	if (!dw)
		return 0; /* keep the last symbols rather than none */
	d->image = img;
	d->dw = dw;
	load_objects(d, img, NULL, 1, NULL);
	dbg_invalidate(d);
	dbg_bp_image_changed(d);
	dbg_invalidate(d);
	return 1;
}

int dbg_after_motion(struct dbg *d)
{
	dbg_invalidate(d);
	return image_sync(d);
}

/* ---- output log ------------------------------------------------------------------ */

static void on_output(void *ctx, int fd, uint64_t event, const uint8_t *data, size_t len)
{
	struct dbg *d = ctx;
	(void)event;
	/* The output log (dbg_output) comes from the trace, so that going back
	 * in time shows it as of then; the console echoes it the first time
	 * the replay passes it, as the program wrote it. */
	if (!d->opt.echo_output)
		return;
	fflush(stdout);
	fflush(stderr);
	int to = fd == 2 ? 2 : 1;
	while (len > 0) {
		ssize_t n = write(to, data, len);
		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			data += n, len -= (size_t)n;
	}
}

/* The engine's progress in a long motion: shown by the front-end; a Ctrl-C
 * (dbg_interrupt) since the command began stops the motion. */
static int on_progress(void *ctx, uint64_t event, double fraction)
{
	struct dbg *d = ctx;
	if (d->progress) {
		char what[64];
		snprintf(what, sizeof what, "replaying: event %llu", (unsigned long long)event);
		d->progress(d->progress_ctx, what, fraction);
	}
	return d->interrupted != 0;
}

/* ---- open / close ------------------------------------------------------------------ */

/* The event of the recorded fatal signal, 0 when the program did not die
 * of one. */
static uint64_t crash_event(struct trace *t)
{
	uint64_t n = trace_nevents(t);
	const struct trace_event *last = trace_event(t, n);
	if (!last || last->kind != TRACE_EXIT || !WIFSIGNALED(last->wait_status))
		return 0;
	for (uint64_t i = n; i >= 1; i--) {
		const struct trace_event *e = trace_event(t, i);
		if (e && e->kind == TRACE_SIGNAL && e->signo == WTERMSIG(last->wait_status))
			return i;
		if (n - i > 16)
			break;
	}
	return 0;
}

int dbg_goto_crash(struct dbg *d, char *err, size_t errlen);

int dbg_open(const struct dbg_options *opt, struct dbg **out, char *err, size_t errlen)
{
	struct dbg *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->opt = *opt;
	snprintf(d->trace_dir, sizeof d->trace_dir, "%s", opt->trace_dir ? opt->trace_dir : "");
	d->exec_direction = 1;
	d->next_bp_number = 1;
	d->next_display_number = 1;
	d->can_use_hw_watchpoints = 1;
	d->from_tty = 1;
	d->listsize = 10;
	dbg_sig_init(d);
	d->target = (struct dw_target){d, target_read_mem, target_read_reg};
	dw_sb_init(&d->out_log);
	if (tl_open(d->trace_dir, NULL, &d->tl, err, errlen) < 0) {
		free(d);
		return -1;
	}
	d->trace = tl_trace(d->tl);
	tl_set_output(d->tl, on_output, d);
	tl_set_progress(d->tl, on_progress, d);
	/* The program images: one per execve (the first is event 1). */
	for (uint64_t i = 1, n = trace_nevents(d->trace); i <= n && d->nimages < DBG_MAX_IMAGES; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && (e->kind == TRACE_EXEC || i == 1))
			d->images[d->nimages++].ev = i;
	}
	if (!d->nimages || !dbg_image_dw(d, d->images[0].ev)) {
		snprintf(err, errlen, "cannot load the program's symbols");
		dbg_close(d);
		return -1;
	}
	image_sync(d);
	struct tl_stop st;
	int rc = 0;
	if (opt->start_event > 1) {
		rc = tl_run_to_event(d->tl, opt->start_event, &st, err, errlen);
	} else if (opt->at_crash && crash_event(d->trace)) {
		rc = dbg_goto_crash(d, err, errlen);
	}
	if (rc < 0) {
		dbg_close(d);
		return -1;
	}
	dbg_after_motion(d);
	*out = d;
	return 0;
}

/* Moves to the recorded fatal signal: the state when the fault happened,
 * before the kernel delivered the signal. */
int dbg_goto_crash(struct dbg *d, char *err, size_t errlen)
{
	uint64_t ev = crash_event(d->trace);
	if (!ev)
		return 0;
	struct tl_stop st;
	if (tl_run_to_event(d->tl, ev - 1, &st, err, errlen) < 0)
		return -1;
	const struct trace_event *e = trace_event(d->trace, ev);
	/* A synchronous fault recurs by itself: run to the faulting pc. */
	if (e->sig_sync == TRACE_SIG_FAULT) {
		int id;
		if (tl_bp_add(d->tl, TL_BP_SW, e->regs.rip, 1, NULL, NULL, &id, err, errlen) == 0) {
			for (int i = 0; i < 1000; i++) {
				if (tl_continue(d->tl, &st, err, errlen) < 0 || st.kind != TL_STOP_BREAKPOINT)
					break;
				struct user_regs_struct r;
				if (tl_get_regs(d->tl, &r, err, errlen) < 0)
					break;
				if (r.rsp == e->regs.rsp && r.rax == e->regs.rax && r.rdi == e->regs.rdi &&
				    r.rsi == e->regs.rsi && r.rdx == e->regs.rdx)
					break;
			}
			tl_bp_del(d->tl, id, err, errlen);
		}
	}
	dbg_after_motion(d);
	d->last_direction = 1;
	snprintf(d->last_state, sizeof d->last_state, "received signal %s", sigabbrev_np(e->signo));
	return 0;
}

void dbg_close(struct dbg *d)
{
	if (!d)
		return;
	for (int i = 0; i < DBG_MAX_BPS; i++) {
		free(d->bps[i].cond);
		free(d->bps[i].old_text);
		free(d->bps[i].new_text);
		free(d->bps[i].dprintf);
		for (int k = 0; k < d->bps[i].ncmds; k++)
			free(d->bps[i].cmds[k]);
		free(d->bps[i].cmds);
	}
	for (int k = 0; k < d->ncoll; k++)
		free(d->coll[k]);
	free(d->coll);
	for (int k = 0; k < d->nactions; k++)
		free(d->actions[k]);
	free(d->actions);
	for (int i = 0; i < d->ndisplays; i++)
		free(d->displays[i].expr);
	for (int i = 0; i < d->nsrcs; i++) {
		free(d->srcs[i].path);
		free(d->srcs[i].text);
		free(d->srcs[i].lines);
	}
	free(d->srcs);
	dw_sb_free(&d->out_log);
	for (int i = 0; i < d->nimages; i++) {
		if (d->images[i].dw && !d->images[i].shared)
			dw_session_free(d->images[i].dw);
		free(d->images[i].sig);
	}
	if (d->tl)
		tl_close(d->tl);
	free(d);
}

/* ---- executing commands ---------------------------------------------------------------- */

int dbg_execute(struct dbg *d, const char *line)
{
	return dbg_execute_from(d, line, 1);
}

static int execute_line(struct dbg *d, const char *line, int from_tty);

/* The `commands` of the breakpoint the last command stopped at, and of
 * the ones their motions stop at: gdb ignores what follows a command that
 * moves (the new stop's list runs instead). */
static int run_actions(struct dbg *d)
{
	int rc = DBG_OK;
	d->in_actions = 1;
	while (d->nactions && rc != DBG_QUIT) {
		char **v = d->actions;
		int n = d->nactions;
		d->actions = NULL;
		d->nactions = 0;
		for (int i = 0; i < n && rc != DBG_QUIT; i++) {
			if (d->nactions) /* a motion stopped at another list */
				break;
			if (i == 0 && !strcmp(v[i], "silent"))
				continue;
			rc = execute_line(d, v[i], 0);
		}
		for (int i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	d->in_actions = 0;
	return rc;
}

int dbg_execute_from(struct dbg *d, const char *line, int from_tty)
{
	if (d->collecting) {
		dbg_commands_line(d, line);
		return DBG_OK;
	}
	int rc = execute_line(d, line, from_tty);
	if (!d->in_actions && d->nactions && rc != DBG_QUIT) {
		int rc2 = run_actions(d);
		if (rc2 == DBG_QUIT)
			return rc2;
	}
	return rc;
}

static int execute_line(struct dbg *d, const char *line, int from_tty)
{
	d->from_tty = from_tty;
	char buf[4096];
	while (isspace((unsigned char)*line))
		line++;
	if (!*line) {
		/* Enter repeats the last repeatable command, as gdb does. */
		if (!d->last_cmd[0])
			return DBG_OK;
		snprintf(buf, sizeof buf, "%s", d->last_cmd);
	} else {
		snprintf(buf, sizeof buf, "%s", line);
	}
	size_t n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = 0;
	if (buf[0] == '#')
		return DBG_OK;
	d->interrupted = 0;
	/* The command word: letters, digits, '-' and '_'; gdb also lets a
	 * format follow at once ("p/x", "x/4i"). */
	size_t w = 0;
	while (buf[w] && (isalnum((unsigned char)buf[w]) || buf[w] == '-' || buf[w] == '_'))
		w++;
	if (w == 0) {
		/* gdb's one-character commands that are not words. */
		if (buf[0] == '!' || buf[0] == '|')
			return dbg_error(d, "Shell commands are not available in a replay.");
		return dbg_error(d, "Undefined command: \"%s\".  Try \"help\".", buf);
	}
	int ambiguous = 0;
	const struct dbg_cmd *c = dbg_cmd_find(buf, w, &ambiguous);
	if (!c) {
		if (ambiguous)
			return dbg_error(d, "Ambiguous command \"%.*s\".", (int)w, buf);
		return dbg_error(d, "Undefined command: \"%.*s\".  Try \"help\".", (int)w, buf);
	}
	/* gdb's $bpnum (the last breakpoint set), as saved scripts use it */
	char *bpn = strstr(buf + w, "$bpnum");
	if (bpn) {
		char rest[4096];
		snprintf(rest, sizeof rest, "%s", bpn + 6);
		snprintf(bpn, sizeof buf - (size_t)(bpn - buf), "%d%s", d->next_bp_number - 1, rest);
	}
	const char *args = buf + w;
	while (isspace((unsigned char)*args))
		args++;
	if (c->repeat)
		snprintf(d->last_cmd, sizeof d->last_cmd, "%s", buf);
	else
		d->last_cmd[0] = 0;
	if (!d->time_commands)
		return c->run(d, args, from_tty);
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	int rc = c->run(d, args, from_tty);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	if (d->time_commands) /* not after `maintenance time 0` itself */
		dbg_printf(d, "Command execution time: %.6f (cpu), %.6f (wall)\n",
	           (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9,
	           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return rc;
}

void dbg_interrupt(struct dbg *d)
{
	d->interrupted = 1;
}

void dbg_set_progress(struct dbg *d, dbg_progress_fn fn, void *ctx)
{
	d->progress = fn;
	d->progress_ctx = ctx;
}

/* ---- queries for front-ends --------------------------------------------------------------- */

int dbg_where(struct dbg *d, struct dbg_where *w)
{
	memset(w, 0, sizeof *w);
	struct tl_pos p = tl_position(d->tl);
	tl_position_format(&p, w->pos, sizeof w->pos);
	w->event = p.event;
	w->nevents = trace_nevents(d->trace);
	w->direction = d->last_direction;
	w->at_start = p.event <= 1 && !p.pc && !p.steps;
	w->at_end = tl_at_end(d->tl, &w->exit_status);
	w->frame = d->cur_frame;
	snprintf(w->state, sizeof w->state, "%s", d->last_state);
	if (w->at_end) {
		if (WIFEXITED(w->exit_status))
			snprintf(w->state, sizeof w->state, "exited with code %d", WEXITSTATUS(w->exit_status));
		else if (WIFSIGNALED(w->exit_status))
			snprintf(w->state, sizeof w->state, "killed by %s", sigabbrev_np(WTERMSIG(w->exit_status)));
		return 0;
	}
	const struct dw_frame *f = dbg_sel_frame(d);
	if (!f)
		return 0;
	w->pc = f->pc;
	const char *name;
	uint64_t lo, hi;
	struct dw_symbol sym;
	if (dw_func_for_pc(d->dw, f->pc, &name, &lo, &hi) == 0 && name)
		snprintf(w->func, sizeof w->func, "%s", name);
	else if (dw_symbol_for_addr(d->dw, f->pc, &sym) == 0 && sym.name)
		snprintf(w->func, sizeof w->func, "%s", sym.name);
	const char *file;
	int line;
	if (dw_frame_pos(d->dw, f, &file, &line) == 0) {
		snprintf(w->file, sizeof w->file, "%s", file);
		w->line = line;
		char real[4096];
		if (realpath(file, real))
			snprintf(w->fullpath, sizeof w->fullpath, "%s", real);
	}
	return 0;
}

int dbg_registers(struct dbg *d, struct user_regs_struct *regs)
{
	return dbg_regs(d, regs);
}

int dbg_backtrace(struct dbg *d, struct dbg_frame_info *out, int max)
{
	if (dbg_load_frames(d) < 0)
		return -1;
	int n = d->nframes < max ? d->nframes : max;
	for (int i = 0; i < n; i++) {
		const struct dw_frame *f = &d->frames[i];
		struct dbg_frame_info *o = &out[i];
		memset(o, 0, sizeof *o);
		o->level = i;
		o->pc = f->pc;
		/* Split gdb's frame line: "[0x... in ]func (args)[ at file:line| from lib]". */
		struct dw_sb sb;
		dw_sb_init(&sb);
		dw_frame_line(d->dw, &d->target, f, &sb);
		const char *s = sb.buf ? sb.buf + (sb.len > 4 ? 4 : sb.len) : "";
		const char *in = strstr(s, " in ");
		if (strncmp(s, "0x", 2) == 0 && in)
			s = in + 4;
		const char *paren = strstr(s, " (");
		if (paren) {
			snprintf(o->func, sizeof o->func, "%.*s", (int)(paren - s), s);
			const char *close = strrchr(paren, ')');
			if (close && close > paren + 2)
				snprintf(o->args, sizeof o->args, "%.*s", (int)(close - paren - 2), paren + 2);
			const char *from = close ? strstr(close, " from ") : NULL;
			if (from)
				snprintf(o->from, sizeof o->from, "%.*s", (int)strcspn(from + 6, "\n"), from + 6);
		}
		const char *file;
		int line;
		if (dw_frame_pos(d->dw, f, &file, &line) == 0) {
			snprintf(o->file, sizeof o->file, "%s", file);
			o->line = line;
		}
		dw_sb_free(&sb);
	}
	return n;
}

int dbg_select_frame(struct dbg *d, int level)
{
	if (dbg_load_frames(d) < 0 || level < 0 || level >= d->nframes)
		return -1;
	d->cur_frame = level;
	return 0;
}

int dbg_vars(struct dbg *d, const char *path, struct dbg_var *out, int max, char *err, size_t errlen)
{
	const struct dw_frame *f = dbg_sel_frame(d);
	if (!f) {
		snprintf(err, errlen, "No frame selected.");
		return -1;
	}
	int n = 0;
	if (path) {
		/* One level: the expression itself. */
		if (max < 1)
			return 0;
		memset(&out[0], 0, sizeof out[0]);
		snprintf(out[0].name, sizeof out[0].name, "%s", path);
		if (dbg_value_text(d, f, path, 0, out[0].value, sizeof out[0].value, err, errlen) < 0)
			return -1;
		return 1;
	}
	/* info args, then info locals: "name = value" lines. */
	for (int pass = 0; pass < 2 && n < max; pass++) {
		struct dw_sb sb;
		dw_sb_init(&sb);
		char e2[256];
		int rc = pass == 0 ? dw_info_args(d->dw, &d->target, f, &sb, e2, sizeof e2)
		                   : dw_info_locals(d->dw, &d->target, f, &sb, e2, sizeof e2);
		const char *s = rc == 0 && sb.buf ? sb.buf : "";
		while (*s && n < max) {
			size_t l = strcspn(s, "\n");
			const char *eq = memmem(s, l, " = ", 3);
			if (eq) {
				struct dbg_var *v = &out[n++];
				memset(v, 0, sizeof *v);
				snprintf(v->name, sizeof v->name, "%.*s", (int)(eq - s), s);
				snprintf(v->value, sizeof v->value, "%.*s", (int)(l - (size_t)(eq + 3 - s)), eq + 3);
				v->is_arg = pass == 0;
				v->has_children = v->value[0] == '{';
			}
			s += l + (s[l] == '\n');
		}
		dw_sb_free(&sb);
	}
	return n;
}

int dbg_eval(struct dbg *d, const char *expr, char *out, size_t outlen)
{
	char err[256];
	const struct dw_frame *f = dbg_sel_frame(d);
	if (dbg_value_text(d, f, expr, 0, out, outlen, err, sizeof err) < 0) {
		snprintf(out, outlen, "%s", err);
		return -1;
	}
	return 0;
}

int dbg_disasm(struct dbg *d, uint64_t addr, int n, struct dbg_disasm_line *out)
{
	int k = 0;
	for (; k < n; k++) {
		struct dw_sb sb;
		dw_sb_init(&sb);
		uint64_t next = 0;
		if (dw_disasm(d->dw, &d->target, addr, 1, 0, &sb, &next) < 0 || !sb.buf) {
			dw_sb_free(&sb);
			break;
		}
		/* "   0x...  <sym+off>:\tmnemonic ops" */
		struct dbg_disasm_line *o = &out[k];
		memset(o, 0, sizeof *o);
		o->addr = addr;
		const char *lt = strchr(sb.buf, '<'), *tab = strchr(sb.buf, '\t');
		if (lt && tab && lt < tab) {
			const char *gt = strchr(lt, '>');
			if (gt && gt < tab)
				snprintf(o->sym, sizeof o->sym, "%.*s", (int)(gt + 1 - lt), lt);
		}
		if (tab)
			snprintf(o->text, sizeof o->text, "%.*s", (int)strcspn(tab + 1, "\n"), tab + 1);
		dw_sb_free(&sb);
		if (next <= addr)
			break;
		addr = next;
	}
	return k;
}

int dbg_breakpoints(struct dbg *d, struct dbg_bp_info *out, int max)
{
	int n = 0;
	for (int i = 0; i < DBG_MAX_BPS && n < max; i++) {
		const struct dbg_bp *b = &d->bps[i];
		if (!b->number)
			continue;
		struct dbg_bp_info *o = &out[n++];
		memset(o, 0, sizeof *o);
		o->number = b->number;
		o->type = b->type;
		o->enabled = b->enabled;
		o->temporary = b->temporary;
		o->addr = b->addr;
		snprintf(o->what, sizeof o->what, "%s", b->what);
		snprintf(o->file, sizeof o->file, "%s", b->file);
		o->line = b->line;
		o->hits = b->hits;
	}
	return n;
}

int dbg_output(struct dbg *d, dbg_output_fn fn, void *ctx)
{
	struct tl_pos p = tl_position(d->tl);
	for (uint64_t i = 1; i <= p.event; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_SYSCALL && e->out_fd > 0 && e->out_len)
			fn(ctx, e->out_fd, i, (const char *)e->out_data, (size_t)e->out_len);
	}
	return 0;
}

int dbg_marks(struct dbg *d, struct dbg_mark *out, int max)
{
	struct tl_ck_info ck[64];
	int n = tl_ck_list(d->tl, ck, 64), k = 0;
	for (int i = 0; i < n && i < 64 && k < max; i++)
		out[k++] = (struct dbg_mark){ck[i].pos.event, 'c'};
	uint64_t ne = trace_nevents(d->trace);
	for (uint64_t i = 1; i <= ne && k < max; i++) {
		const struct trace_event *e = trace_event(d->trace, i);
		if (e && e->kind == TRACE_SIGNAL)
			out[k++] = (struct dbg_mark){i, 's'};
	}
	return k;
}

struct tl *dbg_timeline(struct dbg *d)
{
	return d->tl;
}

void dbg_moved(struct dbg *d)
{
	dbg_after_motion(d);
	dbg_bp_refresh_watch_values(d);
}

/* ---- completion ------------------------------------------------------------------------ */

static void add_completion(char ***v, int *n, int *cap, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		char **t = realloc(*v, (size_t)*cap * sizeof *t);
		if (!t)
			return;
		*v = t;
	}
	(*v)[(*n)++] = strdup(s);
	(*v)[*n] = NULL;
}

char **dbg_complete(struct dbg *d, const char *line, int point)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%.*s", point, line);
	char **v = NULL;
	int n = 0, cap = 0;
	const char *p = buf;
	while (isspace((unsigned char)*p))
		p++;
	const char *sp = strpbrk(p, " \t");
	if (!sp) {
		/* The command word. */
		size_t l = strlen(p);
		for (int i = 0; i < dbg_ncmds; i++) {
			if (strncmp(dbg_cmds[i].name, p, l) == 0)
				add_completion(&v, &n, &cap, dbg_cmds[i].name);
		}
		return v;
	}
	/* An argument: the last word, completed against breakpoint numbers,
	 * function names from the symbol table, source files and info topics. */
	const char *word = strrchr(buf, ' ');
	word = word ? word + 1 : buf;
	size_t wl = strlen(word);
	int ambiguous;
	const struct dbg_cmd *c = dbg_cmd_find(p, (size_t)(sp - p), &ambiguous);
	if (c && (strcmp(c->name, "delete") == 0 || strcmp(c->name, "disable") == 0 ||
	          strcmp(c->name, "enable") == 0 || strcmp(c->name, "condition") == 0 ||
	          strcmp(c->name, "ignore") == 0)) {
		for (int i = 0; i < DBG_MAX_BPS; i++)
			if (d->bps[i].number) {
				char num[16];
				snprintf(num, sizeof num, "%d", d->bps[i].number);
				if (strncmp(num, word, wl) == 0)
					add_completion(&v, &n, &cap, num);
			}
		return v;
	}
	if (c && strcmp(c->name, "info") == 0) {
		static const char *const topics[] = {
		    "all-registers", "args",      "breakpoints", "checkpoints", "display",
		    "frame",         "line",      "locals",      "registers",   "sharedlibrary",
		    "signals",       "source",    "symbol",      "watchpoints", NULL};
		for (int i = 0; topics[i]; i++)
			if (strncmp(topics[i], word, wl) == 0)
				add_completion(&v, &n, &cap, topics[i]);
		return v;
	}
	/* Functions and files: walk the line table's files via the source
	 * cache and the symbols by probing names the program's functions use. */
	for (int i = 0; i < d->nsrcs; i++) {
		const char *base = strrchr(d->srcs[i].path, '/');
		base = base ? base + 1 : d->srcs[i].path;
		if (wl && strncmp(base, word, wl) == 0)
			add_completion(&v, &n, &cap, base);
	}
	/* Function names: scan the executable's text with dw_func_for_pc. */
	const struct dw_frame *f = dbg_sel_frame(d);
	(void)f;
	uint64_t main_addr;
	if (dw_symbol_addr(d->dw, "main", &main_addr) == 0) {
		const char *name;
		uint64_t lo, hi, a = main_addr;
		/* Walk functions before and after main in the executable. */
		for (int dir = -1; dir <= 1; dir += 2) {
			a = main_addr;
			for (int k = 0; k < 2000; k++) {
				if (dw_func_for_pc(d->dw, a, &name, &lo, &hi) < 0)
					break;
				if (name && strncmp(name, word, wl) == 0)
					add_completion(&v, &n, &cap, name);
				a = dir > 0 ? hi : lo - 1;
				if (dir < 0 && lo == 0)
					break;
			}
		}
	}
	return v;
}

void dbg_announce(struct dbg *d)
{
	if (!dbg_alive(d)) {
		struct tl_stop st = {.kind = TL_STOP_END};
		dbg_report(d, &st, WHY_LOCATION);
		return;
	}
	if (strncmp(d->last_state, "received signal", 15) == 0) {
		uint64_t ev = crash_event(d->trace);
		const struct trace_event *e = ev ? trace_event(d->trace, ev) : NULL;
		if (e) {
			dbg_printf(d, "\nProgram received signal %s, %s.\n", dbg_sig_name(e->signo), dbg_sig_desc(e->signo));
		}
	}
	dbg_print_frame(d, 0, 1);
}
