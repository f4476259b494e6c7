/* session.c — the dw_session: the loaded objects (main executable and
 * shared libraries, each with its load bias), value history and caches,
 * plus the small string builder every formatter writes into.  Objects come
 * from the caller (recorded mappings) or from walking the target's
 * r_debug/link_map through read_mem. */
#include "dwarf/dw_int.h"
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *dw_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		abort();
	return p;
}

char *dw_xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

void dw_sb_init(struct dw_sb *sb) { memset(sb, 0, sizeof *sb); }
void dw_sb_free(struct dw_sb *sb) { free(sb->buf); dw_sb_init(sb); }
void dw_sb_clear(struct dw_sb *sb) { sb->len = 0; if (sb->buf) sb->buf[0] = 0; }

void dw_vsb_printf(struct dw_sb *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		while (cap < sb->len + n + 1)
			cap *= 2;
		char *nb = realloc(sb->buf, cap);
		if (!nb)
			abort();
		sb->buf = nb;
		sb->cap = cap;
	}
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void dw_sb_printf(struct dw_sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dw_vsb_printf(sb, fmt, ap);
	va_end(ap);
}

void dw_sb_puts(struct dw_sb *sb, const char *s) { dw_sb_printf(sb, "%s", s); }

int dw_session_new(struct dw_session **out, char *err, size_t errlen)
{
	(void)err; (void)errlen;
	struct dw_session *s = dw_xcalloc(1, sizeof *s);
	snprintf(s->debug_dir, sizeof s->debug_dir, "/usr/lib/debug");
	*out = s;
	return 0;
}

void dw_set_debug_dir(struct dw_session *s, const char *dir)
{
	snprintf(s->debug_dir, sizeof s->debug_dir, "%s", dir ? dir : "");
}

static void obj_free(struct dw_obj *o)
{
	dw_die_free(o);
	for (size_t i = 0; i < o->nsyms; i++)
		free(o->syms[i].name);
	free(o->syms);
	free(o->eh_frame);
	free(o->debug_frame);
	free(o->path);
	free(o->dbgpath);
	free(o);
}

void dw_session_free(struct dw_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nobjs; i++)
		obj_free(s->objs[i]);
	free(s->objs);
	for (int i = 0; i < s->nsynth; i++) {
		if (s->synth[i]->is_synth == 2)
			free(s->synth[i]->child);
		free(s->synth[i]);
	}
	free(s->synth);
	for (int i = 0; i < s->nhist; i++)
		dw_value_free(&s->hist[i]);
	free(s->hist);
	dw_disasm_close(s);
	free(s);
}

int dw_add_object(struct dw_session *s, const char *path, uint64_t bias,
		  char *err, size_t errlen)
{
	for (int i = 0; i < s->nobjs; i++)
		if (!strcmp(s->objs[i]->path, path) && s->objs[i]->bias == bias)
			return 0;
	struct dw_obj *o = dw_xcalloc(1, sizeof *o);
	o->path = dw_xstrdup(path);
	o->bias = bias;
	if (dw_elf_load(o, s->debug_dir, err, errlen) < 0) {
		obj_free(o);
		return -1;
	}
	/* DWARF is optional: a library without debug info still has symbols
	 * and .eh_frame. */
	char e2[256];
	dw_die_load(o, o->dbgpath ? o->dbgpath : o->path, e2, sizeof e2);
	s->nbtcache = 0;	/* a new object may bring the real base types */
	struct dw_obj **n = realloc(s->objs, (s->nobjs + 1) * sizeof *n);
	if (!n)
		abort();
	s->objs = n;
	s->objs[s->nobjs++] = o;
	return 0;
}

struct dw_obj *dw_obj_for_addr(struct dw_session *s, uint64_t addr)
{
	for (int i = 0; i < s->nobjs; i++) {
		struct dw_obj *o = s->objs[i];
		if (addr - o->bias >= o->lo && addr - o->bias < o->hi)
			return o;
	}
	return NULL;
}

static int rd(const struct dw_target *t, uint64_t a, void *b, size_t n)
{
	return t->read_mem(t->ctx, a, b, n);
}

int dw_load_link_map(struct dw_session *s, const struct dw_target *t,
		     char *err, size_t errlen)
{
	if (s->nobjs == 0)
		return DW_ERR(err, errlen, "No executable loaded.");
	struct dw_obj *m = s->objs[0];
	if (!m->dyn_addr)
		return DW_ERR(err, errlen, "%s has no dynamic section", m->path);
	uint64_t rdebug = 0;
	for (uint64_t a = m->dyn_addr + m->bias;; a += sizeof(Elf64_Dyn)) {
		Elf64_Dyn d;
		if (rd(t, a, &d, sizeof d) < 0)
			return DW_ERR(err, errlen, "Cannot access memory at address 0x%lx", (unsigned long)a);
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_DEBUG)
			rdebug = d.d_un.d_ptr;
	}
	if (!rdebug)
		return DW_ERR(err, errlen, "link map not set up yet (DT_DEBUG is 0)");
	struct r_debug r;
	if (rd(t, rdebug, &r, sizeof r) < 0)
		return DW_ERR(err, errlen, "Cannot access memory at address 0x%lx", (unsigned long)rdebug);
	uint64_t lm = (uint64_t)(uintptr_t)r.r_map;
	for (int guard = 0; lm && guard < 4096; guard++) {
		struct link_map l;
		if (rd(t, lm, &l, sizeof l) < 0)
			break;
		char name[512] = "";
		if (l.l_name)
			rd(t, (uint64_t)(uintptr_t)l.l_name, name, sizeof name - 1);
		name[sizeof name - 1] = 0;
		if (name[0] == '/') {
			char e2[256];
			dw_add_object(s, name, l.l_addr, e2, sizeof e2);
		}
		lm = (uint64_t)(uintptr_t)l.l_next;
	}
	return 0;
}
