/*
 * trace.c — the trace format: writing records as the recorder goes, reading
 * a trace back into events, where traces live, and packing.
 *
 * The `events` file is a sequence of framed records, [u32 length][u32 crc32]
 * [payload], all little-endian. The first record is the header (magic,
 * format version, the program, its arguments and environment); file records
 * describe mapped files; event records are numbered in the order they appear;
 * an end record marks a recording that finished normally. Because the
 * recorder writes each record whole with one write(), a trace cut short by a
 * killed recorder still reads up to its last complete event: the reader
 * accepts a truncated last record (the trace is "incomplete") but refuses a
 * bad record followed by more data (the trace is corrupt).
 */
#include "core/trace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- byte buffer ------------------------------------------------------ */

uint8_t *buf_grow(struct buf *b, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p)
			abort(); /* out of memory: nothing sensible to do mid-record */
		b->p = p;
		b->cap = cap;
	}
	uint8_t *at = b->p + b->len;
	b->len += len;
	return at;
}

void buf_reset(struct buf *b) { b->len = 0; }

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void buf_put(struct buf *b, const void *data, size_t len)
{
	if (len)
		memcpy(buf_grow(b, len), data, len);
}

void buf_u8(struct buf *b, uint8_t v) { buf_put(b, &v, 1); }
void buf_u32(struct buf *b, uint32_t v) { buf_put(b, &v, 4); }
void buf_u64(struct buf *b, uint64_t v) { buf_put(b, &v, 8); }

void buf_str(struct buf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : 0;
	buf_u32(b, n);
	buf_put(b, s, n);
}

uint32_t trace_crc32(const uint8_t *p, size_t len)
{
	return trace_crc32_update(0, p, len);
}

uint32_t trace_crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
	static uint32_t table[256];
	static int ready;
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	uint32_t c = crc ^ 0xffffffffu;
	for (size_t i = 0; i < len; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- where traces live ------------------------------------------------ */

int trace_root_dir(char *out, size_t outlen, char *err, size_t errlen)
{
	const char *d = getenv("RRTUI_TRACE_DIR");
	const char *x = getenv("XDG_DATA_HOME");
	const char *h = getenv("HOME");
	int n;
	if (d && *d)
		n = snprintf(out, outlen, "%s", d);
	else if (x && *x)
		n = snprintf(out, outlen, "%s/rrtui", x);
	else if (h && *h)
		n = snprintf(out, outlen, "%s/.local/share/rrtui", h);
	else
		return fail(err, errlen, "cannot tell where traces live: set RRTUI_TRACE_DIR or HOME");
	if (n < 0 || (size_t)n >= outlen)
		return fail(err, errlen, "trace folder path too long");
	return 0;
}

int trace_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
	char root[PATH_MAX];
	struct stat st;
	if (name && (strchr(name, '/') || stat(name, &st) == 0)) {
		if (stat(name, &st) != 0)
			return fail(err, errlen, "no trace at %s: %s", name, strerror(errno));
		snprintf(out, outlen, "%s", name);
		return 0;
	}
	if (trace_root_dir(root, sizeof root, err, errlen) < 0)
		return -1;
	if (!name) {
		char link[PATH_MAX + 16];
		snprintf(link, sizeof link, "%s/latest-trace", root);
		if (stat(link, &st) != 0)
			return fail(err, errlen, "no latest trace in %s (record one first)", root);
		snprintf(out, outlen, "%s", link);
		return 0;
	}
	int n = snprintf(out, outlen, "%s/%s", root, name);
	if (n < 0 || (size_t)n >= outlen)
		return fail(err, errlen, "trace path too long");
	if (stat(out, &st) != 0)
		return fail(err, errlen, "no trace named %s in %s", name, root);
	return 0;
}

/* ---- writer ----------------------------------------------------------- */

struct tw_file_id {
	uint64_t dev, ino, size;
	int64_t ms, mns;
};

struct tw {
	int fd;
	char dir[PATH_MAX];
	struct tw_file_id *files;
	int nfiles, capfiles;
	struct buf scratch;
};

const char *tw_dir(const struct tw *w) { return w->dir; }

static int write_all(int fd, const void *p, size_t len)
{
	const uint8_t *c = p;
	while (len) {
		ssize_t n = write(fd, c, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int tw_create(const char *dir, struct tw **out, char *err, size_t errlen)
{
	struct tw *w = calloc(1, sizeof *w);
	if (!w)
		return fail(err, errlen, "out of memory");
	snprintf(w->dir, sizeof w->dir, "%s", dir);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/files", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		free(w);
		return fail(err, errlen, "cannot create %s: %s", path, strerror(errno));
	}
	snprintf(path, sizeof path, "%s/events", dir);
	w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		free(w);
		return fail(err, errlen, "cannot create %s: %s", path, strerror(errno));
	}
	*out = w;
	return 0;
}

int tw_record(struct tw *w, const struct buf *b)
{
	/* One write per record: header and payload together, so that a kill
	 * between two writes cannot leave a header without its payload. */
	struct buf *s = &w->scratch;
	buf_reset(s);
	buf_u32(s, (uint32_t)b->len);
	buf_u32(s, trace_crc32(b->p, b->len));
	buf_put(s, b->p, b->len);
	return write_all(w->fd, s->p, s->len);
}

int trace_file_needs_copy(const char *path, int fd)
{
	static const char *const system_trees[] = {"/usr/", "/lib/", "/lib64/", "/lib32/",
	                                           "/bin/", "/sbin/", "/opt/"};
	struct statfs sf;
	struct stat st;
	if (fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC)
		return 1;
	if (fstat(fd, &st) == 0 && st.st_nlink == 0)
		return 1; /* deleted */
	if (strstr(path, " (deleted)"))
		return 1;
	for (size_t i = 0; i < sizeof system_trees / sizeof *system_trees; i++)
		if (strncmp(path, system_trees[i], strlen(system_trees[i])) == 0)
			return 0;
	return 1;
}

int trace_copy_fd(int src, const char *path, uint32_t *crc, char *err, size_t errlen)
{
	*crc = 0;
	int dst = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (dst < 0)
		return fail(err, errlen, "cannot create %s: %s", path, strerror(errno));
	char block[65536];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(src, block, sizeof block, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(dst);
			return fail(err, errlen, "cannot copy into %s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		*crc = trace_crc32_update(*crc, (const uint8_t *)block, (size_t)n);
		if (write_all(dst, block, (size_t)n) < 0) {
			close(dst);
			return fail(err, errlen, "cannot write %s: %s", path, strerror(errno));
		}
		off += n;
	}
	return close(dst) == 0 ? 0 : fail(err, errlen, "cannot write %s: %s", path, strerror(errno));
}

void trace_copy_name(const struct trace_file *f, char *out, size_t outlen)
{
	const char *base = strrchr(f->path, '/');
	base = base ? base + 1 : f->path;
	char clean[64];
	size_t i;
	for (i = 0; base[i] && base[i] != ' ' && i < sizeof clean - 1; i++)
		clean[i] = base[i];
	clean[i] = 0;
	snprintf(out, outlen, "%s-%llx-%llx-%llx", clean, (unsigned long long)f->dev,
	         (unsigned long long)f->ino, (unsigned long long)f->mtime_sec);
}

int tw_file(struct tw *w, const char *path, int fd, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return fail(err, errlen, "cannot stat mapped file %s: %s", path, strerror(errno));
	struct tw_file_id id = {(uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
	                        st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
	for (int i = 0; i < w->nfiles; i++)
		if (memcmp(&w->files[i], &id, sizeof id) == 0)
			return i;
	if (w->nfiles == w->capfiles) {
		int cap = w->capfiles ? w->capfiles * 2 : 16;
		struct tw_file_id *f = realloc(w->files, (size_t)cap * sizeof *f);
		if (!f)
			return fail(err, errlen, "out of memory");
		w->files = f;
		w->capfiles = cap;
	}
	struct trace_file tf = {(char *)path, id.dev, id.ino, id.size, id.ms, id.mns, NULL, 0};
	char copy[256] = "";
	uint32_t crc = 0;
	if (trace_file_needs_copy(path, fd)) {
		char dst[PATH_MAX + 300];
		trace_copy_name(&tf, copy, sizeof copy);
		snprintf(dst, sizeof dst, "%s/files/%s", w->dir, copy);
		if (trace_copy_fd(fd, dst, &crc, err, errlen) < 0)
			return -1;
	}
	struct buf b = {0};
	buf_u8(&b, TRACE_REC_FILE);
	buf_str(&b, path);
	buf_u64(&b, id.dev);
	buf_u64(&b, id.ino);
	buf_u64(&b, id.size);
	buf_u64(&b, (uint64_t)id.ms);
	buf_u64(&b, (uint64_t)id.mns);
	buf_str(&b, copy);
	buf_u32(&b, crc);
	int rc = tw_record(w, &b);
	buf_free(&b);
	if (rc < 0)
		return fail(err, errlen, "cannot write the trace: %s", strerror(errno));
	w->files[w->nfiles] = id;
	return w->nfiles++;
}

int tw_close(struct tw *w, int complete)
{
	int rc = 0;
	if (complete) {
		struct buf b = {0};
		buf_u8(&b, TRACE_REC_END);
		rc = tw_record(w, &b);
		buf_free(&b);
	}
	if (close(w->fd) != 0)
		rc = -1;
	free(w->files);
	buf_free(&w->scratch);
	free(w);
	return rc;
}

/* ---- reader ----------------------------------------------------------- */

struct trace {
	char dir[PATH_MAX];
	uint8_t *data;
	size_t len;
	int complete;
	struct trace_header hdr;
	struct trace_event *ev;
	uint64_t nev, capev;
	struct trace_file *files;
	int nfiles, capfiles;
};

/* A cursor over one record's payload; any read past the end marks it bad. */
struct rd {
	const uint8_t *p, *end;
	int bad;
};

static const uint8_t *rd_bytes(struct rd *r, uint64_t n)
{
	if (r->bad || (uint64_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *at = r->p;
	r->p += n;
	return at;
}

static uint64_t rd_u64(struct rd *r)
{
	uint64_t v = 0;
	const uint8_t *p = rd_bytes(r, 8);
	if (p)
		memcpy(&v, p, 8);
	return v;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v = 0;
	const uint8_t *p = rd_bytes(r, 4);
	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint8_t rd_u8(struct rd *r)
{
	const uint8_t *p = rd_bytes(r, 1);
	return p ? *p : 0;
}

static char *rd_str(struct rd *r)
{
	uint32_t n = rd_u32(r);
	const uint8_t *p = rd_bytes(r, n);
	if (!p)
		return NULL;
	char *s = malloc(n + 1);
	if (!s) {
		r->bad = 1;
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

static char **rd_strs(struct rd *r, int *count)
{
	uint32_t n = rd_u32(r);
	if (r->bad || n > (uint32_t)(r->end - r->p) / 4) {
		r->bad = 1;
		return NULL;
	}
	char **v = calloc(n + 1, sizeof *v);
	if (!v) {
		r->bad = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++)
		v[i] = rd_str(r);
	*count = (int)n;
	return v;
}

static void free_strs(char **v, int n)
{
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int parse_header(struct trace *t, struct rd *r, char *err, size_t errlen)
{
	const uint8_t *magic = rd_bytes(r, sizeof TRACE_MAGIC - 1);
	if (!magic || memcmp(magic, TRACE_MAGIC, sizeof TRACE_MAGIC - 1) != 0)
		return fail(err, errlen, "not an rrtui trace: %s", t->dir);
	t->hdr.version = rd_u32(r);
	if (r->bad)
		return fail(err, errlen, "not an rrtui trace: %s", t->dir);
	if (t->hdr.version > TRACE_VERSION)
		return fail(err, errlen,
		            "trace %s has format version %u, newer than this rrtui reads (%d): use a newer rrtui",
		            t->dir, t->hdr.version, TRACE_VERSION);
	if (t->hdr.version < 1)
		return fail(err, errlen, "trace %s has an unknown format version %u", t->dir, t->hdr.version);
	t->hdr.pid = (int)rd_u32(r);
	t->hdr.start_time = (int64_t)rd_u64(r);
	t->hdr.cwd = rd_str(r);
	t->hdr.exe = rd_str(r);
	t->hdr.argv = rd_strs(r, &t->hdr.argc);
	t->hdr.envp = rd_strs(r, &t->hdr.envc);
	if (r->bad)
		return fail(err, errlen, "trace %s is corrupt: bad header", t->dir);
	return 0;
}

static int parse_file(struct trace *t, struct rd *r)
{
	if (t->nfiles == t->capfiles) {
		int cap = t->capfiles ? t->capfiles * 2 : 16;
		struct trace_file *f = realloc(t->files, (size_t)cap * sizeof *f);
		if (!f)
			return -1;
		t->files = f;
		t->capfiles = cap;
	}
	struct trace_file *f = &t->files[t->nfiles];
	memset(f, 0, sizeof *f);
	f->path = rd_str(r);
	f->dev = rd_u64(r);
	f->ino = rd_u64(r);
	f->size = rd_u64(r);
	f->mtime_sec = (int64_t)rd_u64(r);
	f->mtime_nsec = (int64_t)rd_u64(r);
	f->copy = rd_str(r);
	f->crc = rd_u32(r);
	if (f->copy && !*f->copy) {
		free(f->copy);
		f->copy = NULL;
	}
	t->nfiles++;
	return r->bad ? -1 : 0;
}

static int parse_event(struct trace *t, struct rd *r, int kind)
{
	if (t->nev == t->capev) {
		uint64_t cap = t->capev ? t->capev * 2 : 1024;
		struct trace_event *e = realloc(t->ev, cap * sizeof *e);
		if (!e)
			return -1;
		t->ev = e;
		t->capev = cap;
	}
	struct trace_event *e = &t->ev[t->nev];
	memset(e, 0, sizeof *e);
	e->no = t->nev + 1;
	e->kind = (enum trace_kind)kind;
	e->out_fd = -1;
	e->file = -1;
	switch (kind) {
	case TRACE_SYSCALL:
		e->nr = (int64_t)rd_u64(r);
		for (int i = 0; i < 6; i++)
			e->args[i] = rd_u64(r);
		e->result = (int64_t)rd_u64(r);
		e->file = (int)rd_u32(r);
		e->out_fd = (int)rd_u32(r);
		e->out_len = rd_u64(r);
		e->out_data = rd_bytes(r, e->out_len);
		e->nregions = rd_u32(r);
		if (r->bad || e->nregions > (uint64_t)(r->end - r->p) / 16)
			return -1;
		if (e->file >= t->nfiles)
			return -1;
		if (e->nregions) {
			e->regions = calloc(e->nregions, sizeof *e->regions);
			if (!e->regions)
				return -1;
		}
		for (uint32_t i = 0; i < e->nregions; i++) {
			e->regions[i].addr = rd_u64(r);
			e->regions[i].len = rd_u64(r);
			e->regions[i].data = rd_bytes(r, e->regions[i].len);
		}
		break;
	case TRACE_EXEC: {
		e->exec_path = rd_str(r);
		e->file = (int)rd_u32(r);
		if (e->file < 0 || e->file >= t->nfiles)
			r->bad = 1;
		const uint8_t *p = rd_bytes(r, sizeof e->regs);
		if (p)
			memcpy(&e->regs, p, sizeof e->regs);
		e->stack_addr = rd_u64(r);
		e->stack_len = rd_u64(r);
		e->stack = rd_bytes(r, e->stack_len);
		break;
	}
	case TRACE_RDTSC:
		e->tsc_rax = rd_u64(r);
		e->tsc_rdx = rd_u64(r);
		e->tsc_rcx = rd_u64(r);
		e->tsc_insn_len = rd_u8(r);
		break;
	case TRACE_SIGNAL: {
		e->signo = (int)rd_u32(r);
		e->sig_sync = rd_u8(r);
		const uint8_t *p = rd_bytes(r, sizeof e->siginfo);
		if (p)
			memcpy(e->siginfo, p, sizeof e->siginfo);
		p = rd_bytes(r, sizeof e->regs);
		if (p)
			memcpy(&e->regs, p, sizeof e->regs);
		e->sig_mem_hash = rd_u64(r);
		break;
	}
	case TRACE_EXIT:
		e->wait_status = (int)rd_u32(r);
		break;
	default:
		return -1;
	}
	if (r->bad || r->p != r->end) {
		free(e->regions);
		free(e->exec_path);
		return -1;
	}
	t->nev++;
	return 0;
}

static int crc_of_file(const char *path, uint32_t *crc)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint8_t block[65536];
	ssize_t n;
	*crc = 0;
	while ((n = read(fd, block, sizeof block)) > 0)
		*crc = trace_crc32_update(*crc, block, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Checks every copy under files/ against its checksum: a damaged copy would
 * replay a different program, or the same one by luck. */
static int verify_copies(const struct trace *t, char *err, size_t errlen)
{
	for (int i = 0; i < t->nfiles; i++) {
		const struct trace_file *f = &t->files[i];
		char name[256], path[PATH_MAX + 300];
		trace_copy_name(f, name, sizeof name);
		snprintf(path, sizeof path, "%s/files/%s", t->dir, name);
		uint32_t want, got;
		if (f->copy) {
			want = f->crc;
		} else {
			if (access(path, F_OK) != 0)
				continue; /* not packed: the original is checked when used */
			char side[PATH_MAX + 320];
			snprintf(side, sizeof side, "%s.crc32", path);
			FILE *sf = fopen(side, "re");
			int ok = sf && fscanf(sf, "%x", &want) == 1;
			if (sf)
				fclose(sf);
			if (!ok)
				return fail(err, errlen, "trace %s is corrupt: files/%s has no checksum", t->dir, name);
		}
		if (crc_of_file(path, &got) < 0)
			return fail(err, errlen, "trace %s is damaged: cannot read files/%s: %s", t->dir, name,
			            strerror(errno));
		if (got != want)
			return fail(err, errlen, "trace %s is corrupt: files/%s does not match its checksum", t->dir,
			            name);
	}
	return 0;
}

static int read_whole(const char *path, uint8_t **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	uint8_t *p = malloc(cap);
	if (!p) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *q = realloc(p, cap *= 2);
			if (!q) {
				free(p);
				close(fd);
				errno = ENOMEM;
				return -1;
			}
			p = q;
		}
		ssize_t k = read(fd, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(p);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	*data = p;
	*len = n;
	return 0;
}

int trace_open(const char *dir, struct trace **out, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return fail(err, errlen, "no trace at %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(err, errlen, "not a trace folder: %s", dir);
	struct trace *t = calloc(1, sizeof *t);
	if (!t)
		return fail(err, errlen, "out of memory");
	snprintf(t->dir, sizeof t->dir, "%s", dir);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/events", dir);
	if (read_whole(path, &t->data, &t->len) != 0) {
		int e = errno;
		free(t);
		if (e == ENOENT)
			return fail(err, errlen, "not an rrtui trace (no events file): %s", dir);
		return fail(err, errlen, "cannot read %s: %s", path, strerror(e));
	}
	size_t off = 0;
	int nrec = 0;
	while (off < t->len) {
		if (t->len - off < 8)
			break; /* a cut-short frame: the recorder was killed */
		uint32_t n, crc;
		memcpy(&n, t->data + off, 4);
		memcpy(&crc, t->data + off + 4, 4);
		if (n > t->len - off - 8) {
			/* The last record, cut short. Anything else means the length
			 * field itself is damaged, which we cannot tell apart; both
			 * leave a usable prefix. */
			break;
		}
		const uint8_t *payload = t->data + off + 8;
		if (n == 0 || trace_crc32(payload, n) != crc) {
			if (nrec == 0) {
				trace_close(t);
				return fail(err, errlen, "not an rrtui trace (bad first record): %s", dir);
			}
			uint64_t at = t->nev + 1;
			trace_close(t);
			return fail(err, errlen, "trace %s is corrupt at event %llu (checksum mismatch)", dir,
			            (unsigned long long)at);
		}
		struct rd r = {payload + 1, payload + n, 0};
		int type = payload[0], rc = 0;
		if (nrec == 0 && type != TRACE_REC_HEADER) {
			trace_close(t);
			return fail(err, errlen, "not an rrtui trace (no header): %s", dir);
		}
		if (type == TRACE_REC_HEADER) {
			if (nrec != 0)
				rc = -1;
			else if (parse_header(t, &r, err, errlen) < 0) {
				trace_close(t);
				return -1;
			}
		} else if (type == TRACE_REC_FILE)
			rc = parse_file(t, &r);
		else if (type == TRACE_REC_END)
			t->complete = 1;
		else
			rc = parse_event(t, &r, type);
		if (rc < 0) {
			uint64_t at = t->nev + 1;
			trace_close(t);
			return fail(err, errlen, "trace %s is corrupt at event %llu (bad record)", dir,
			            (unsigned long long)at);
		}
		nrec++;
		off += 8 + n;
	}
	if (nrec == 0) {
		int empty = t->len == 0;
		trace_close(t);
		if (empty)
			return fail(err, errlen, "trace %s is empty (the recording never started)", dir);
		return fail(err, errlen, "not an rrtui trace (no valid header): %s", dir);
	}
	if (verify_copies(t, err, errlen) < 0) {
		trace_close(t);
		return -1;
	}
	*out = t;
	return 0;
}

void trace_close(struct trace *t)
{
	if (!t)
		return;
	for (uint64_t i = 0; i < t->nev; i++) {
		free(t->ev[i].regions);
		free(t->ev[i].exec_path);
	}
	free(t->ev);
	for (int i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].copy);
	}
	free(t->files);
	free(t->hdr.cwd);
	free(t->hdr.exe);
	free_strs(t->hdr.argv, t->hdr.argc);
	free_strs(t->hdr.envp, t->hdr.envc);
	free(t->data);
	free(t);
}

const struct trace_header *trace_header(const struct trace *t) { return &t->hdr; }
const char *trace_dir(const struct trace *t) { return t->dir; }
int trace_complete(const struct trace *t) { return t->complete; }
uint64_t trace_nevents(const struct trace *t) { return t->nev; }
int trace_nfiles(const struct trace *t) { return t->nfiles; }
const struct trace_file *trace_file(const struct trace *t, int i) { return &t->files[i]; }

const struct trace_event *trace_event(const struct trace *t, uint64_t no)
{
	return no >= 1 && no <= t->nev ? &t->ev[no - 1] : NULL;
}

/* Whether fd is still the file the trace describes. */
static int same_file(int fd, const struct trace_file *f)
{
	struct stat st;
	return fstat(fd, &st) == 0 && (uint64_t)st.st_ino == f->ino && (uint64_t)st.st_dev == f->dev &&
	       (uint64_t)st.st_size == f->size && st.st_mtim.tv_sec == f->mtime_sec &&
	       st.st_mtim.tv_nsec == f->mtime_nsec;
}

int trace_file_path(const struct trace *t, int i, char *out, size_t outlen, char *err, size_t errlen)
{
	const struct trace_file *f = &t->files[i];
	char name[256];
	trace_copy_name(f, name, sizeof name);
	int n = snprintf(out, outlen, "%s/files/%s", t->dir, name);
	if (n < 0 || (size_t)n >= outlen)
		return fail(err, errlen, "trace path too long");
	if (access(out, R_OK) == 0) {
		if (out[0] != '/') {
			char cwd[PATH_MAX], rel[PATH_MAX];
			snprintf(rel, sizeof rel, "%s", out);
			if (!getcwd(cwd, sizeof cwd) || snprintf(out, outlen, "%s/%s", cwd, rel) >= (int)outlen)
				return fail(err, errlen, "trace path too long");
		}
		return 0;
	}
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "mapped file %s is gone and the trace has no copy (rrtui pack copies files)",
		            f->path);
	int same = same_file(fd, f);
	close(fd);
	if (!same)
		return fail(err, errlen, "mapped file %s changed since it was recorded and the trace has no copy",
		            f->path);
	snprintf(out, outlen, "%s", f->path);
	return 0;
}

int trace_open_file(const struct trace *t, int i, char *err, size_t errlen)
{
	char path[PATH_MAX];
	if (trace_file_path(t, i, path, sizeof path, err, errlen) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "cannot open %s: %s", path, strerror(errno));
	return fd;
}

int trace_pack(struct trace *t, int *ncopied, char *err, size_t errlen)
{
	*ncopied = 0;
	for (int i = 0; i < t->nfiles; i++) {
		char name[256], path[PATH_MAX + 300];
		trace_copy_name(&t->files[i], name, sizeof name);
		snprintf(path, sizeof path, "%s/files/%s", t->dir, name);
		if (access(path, F_OK) == 0)
			continue;
		int fd = trace_open_file(t, i, err, errlen);
		if (fd < 0)
			return -1;
		char tmp[PATH_MAX + 310];
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		uint32_t crc;
		int rc = trace_copy_fd(fd, tmp, &crc, err, errlen);
		close(fd);
		if (rc < 0)
			return -1;
		/* Packed copies have no checksum in the events file (it is
		 * append-only and finished): theirs goes beside them. */
		char side[PATH_MAX + 320];
		snprintf(side, sizeof side, "%s.crc32", path);
		FILE *f = fopen(side, "we");
		if (!f || fprintf(f, "%08x\n", crc) < 0 || fclose(f) != 0)
			return fail(err, errlen, "cannot write %s: %s", side, strerror(errno));
		if (rename(tmp, path) != 0)
			return fail(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
		(*ncopied)++;
	}
	return 0;
}
