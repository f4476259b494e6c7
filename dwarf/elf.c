/* elf.c — ELF side of an object: its extent, minimal symbols (.symtab,
 * .dynsym, synthesized "name@plt" entries), .eh_frame/.debug_frame bytes,
 * and the separate debug file (build-id under DEBUG_DIR/.build-id, then
 * .gnu_debuglink), which is where distribution libraries keep DWARF. */
#include "dwarf/dw_int.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sym_cmp(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

static void add_sym(struct dw_obj *o, size_t *cap, const char *name,
		    uint64_t addr, uint64_t size, int is_func, int bind)
{
	/* Same address twice: keep the best name (global over local, then the
	 * one with fewer leading underscores), as gdb's minimal symbols do. */
	for (size_t i = o->nsyms; i-- > 0 && i + 8 > o->nsyms;) {
		(void)bind;
		if (o->syms[i].addr == addr && !strcmp(o->syms[i].name, name))
			return;
	}
	if (o->nsyms == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		o->syms = realloc(o->syms, *cap * sizeof *o->syms);
		if (!o->syms)
			abort();
	}
	struct dw_sym *s = &o->syms[o->nsyms++];
	s->name = dw_xstrdup(name);
	s->addr = addr;
	s->size = size;
	s->is_func = is_func | (bind << 4);
}

static int rank(const struct dw_sym *s)
{
	int bind = s->is_func >> 4, r = 0;
	if (bind == STB_GLOBAL) r += 100;
	else if (bind == STB_WEAK) r += 50;
	const char *n = s->name;
	while (*n == '_') { r -= 10; n++; }
	return r;
}

static void read_syms(struct dw_obj *o, Elf *e, size_t *cap, int want_plt)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	elf_getshdrstrndx(e, &shstrndx);
	struct pltsec { uint64_t addr; size_t ent; Elf_Data *d; } plts[4];
	int nplt = 0;
	Elf_Data *rels[4];
	int nrel = 0;
	Elf_Data *dynsym = NULL;
	size_t dynstr = 0;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		const char *nm = elf_strptr(e, shstrndx, sh.sh_name);
		if (!nm)
			continue;
		if ((!strcmp(nm, ".plt") || !strcmp(nm, ".plt.sec") || !strcmp(nm, ".plt.got")) &&
		    sh.sh_type == SHT_PROGBITS && nplt < 4) {
			plts[nplt].addr = sh.sh_addr;
			plts[nplt].ent = sh.sh_entsize >= 8 ? sh.sh_entsize : 16;
			plts[nplt].d = elf_getdata(scn, NULL);
			nplt++;
		}
		if (sh.sh_type == SHT_RELA && nrel < 4)
			rels[nrel++] = elf_getdata(scn, NULL);
		if (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)
			continue;
		if (sh.sh_type == SHT_DYNSYM) { dynsym = elf_getdata(scn, NULL); dynstr = sh.sh_link; }
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(d, i, &sym))
				continue;
			int ty = GELF_ST_TYPE(sym.st_info);
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
				continue;
			if (ty != STT_FUNC && ty != STT_OBJECT && ty != STT_GNU_IFUNC && ty != STT_NOTYPE)
				continue;
			const char *sn = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!sn || !*sn || sn[0] == '$' || !strncmp(sn, ".L", 2))
				continue;
			char buf[512];
			snprintf(buf, sizeof buf, "%s", sn);
			char *at = strchr(buf, '@');	/* drop symbol versions */
			if (at) *at = 0;
			add_sym(o, cap, buf, sym.st_value, sym.st_size,
				ty == STT_FUNC || ty == STT_GNU_IFUNC, GELF_ST_BIND(sym.st_info));
		}
	}
	/* PLT entries, named as BFD's synthetic symbols are ("free@plt"): each
	 * entry jumps through a GOT slot; the relocation of that slot names it */
	for (int k = 0; want_plt && dynsym && k < nplt; k++) {
		Elf_Data *d = plts[k].d;
		if (!d || !d->d_buf)
			continue;
		const uint8_t *b = d->d_buf;
		for (size_t off = 0; off + plts[k].ent <= d->d_size; off += plts[k].ent) {
			uint64_t got = 0;
			for (size_t j = 0; j + 6 <= plts[k].ent; j++)
				if (b[off + j] == 0xff && b[off + j + 1] == 0x25) {
					int32_t disp;
					memcpy(&disp, b + off + j + 2, 4);
					got = plts[k].addr + off + j + 6 + (int64_t)disp;
					break;
				}
			if (!got)
				continue;
			for (int r = 0; r < nrel; r++) {
				size_t n = rels[r]->d_size / sizeof(Elf64_Rela);
				for (size_t i = 0; i < n; i++) {
					GElf_Rela rl;
					if (!gelf_getrela(rels[r], i, &rl) || rl.r_offset != got)
						continue;
					int ty = GELF_R_TYPE(rl.r_info);
					char buf[512];
					GElf_Sym sym;
					if (ty == R_X86_64_IRELATIVE)
						snprintf(buf, sizeof buf, "*ABS*+0x%lx@plt", (unsigned long)rl.r_addend);
					else if ((ty == R_X86_64_JUMP_SLOT || ty == R_X86_64_GLOB_DAT) &&
						 gelf_getsym(dynsym, GELF_R_SYM(rl.r_info), &sym))
						snprintf(buf, sizeof buf, "%s@plt", elf_strptr(e, dynstr, sym.st_name));
					else
						continue;
					add_sym(o, cap, buf, plts[k].addr + off, plts[k].ent, 1, STB_GLOBAL);
					r = nrel;
					break;
				}
			}
		}
	}
}

static Elf *open_elf(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	Elf *e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e) elf_end(e);
		close(*fd);
		return NULL;
	}
	return e;
}

static void find_debug_file(struct dw_obj *o, Elf *e, const char *debug_dir)
{
	if (!debug_dir || !*debug_dir)
		return;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	elf_getshdrstrndx(e, &shstrndx);
	char cand[1024];
	const char *link = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		const char *nm = elf_strptr(e, shstrndx, sh.sh_name);
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!nm || !d || !d->d_buf)
			continue;
		if (!strcmp(nm, ".note.gnu.build-id") && d->d_size > 16) {
			const uint8_t *p = d->d_buf;
			uint32_t namesz = *(uint32_t *)p, descsz = *(uint32_t *)(p + 4);
			const uint8_t *desc = p + 12 + ((namesz + 3) & ~3u);
			if (desc + descsz > p + d->d_size || descsz < 2)
				continue;
			int k = snprintf(cand, sizeof cand, "%s/.build-id/%02x/", debug_dir, desc[0]);
			for (uint32_t i = 1; i < descsz && k < 1000; i++)
				k += snprintf(cand + k, sizeof cand - k, "%02x", desc[i]);
			snprintf(cand + k, sizeof cand - k, ".debug");
			if (access(cand, R_OK) == 0) {
				o->dbgpath = dw_xstrdup(cand);
				return;
			}
		}
		if (!strcmp(nm, ".gnu_debuglink"))
			link = d->d_buf;
	}
	if (!link)
		return;
	/* gdb's order for a debug link: next to the object, in its .debug/
	 * folder, then under the debug directory */
	char dir[512];
	snprintf(dir, sizeof dir, "%s", o->path);
	char *sl = strrchr(dir, '/');
	if (sl) *sl = 0; else snprintf(dir, sizeof dir, ".");
	const char *const fmts[] = { "%s/%s", "%s/.debug/%s" };
	for (int i = 0; i < 3; i++) {
		if (i < 2)
			snprintf(cand, sizeof cand, fmts[i], dir, link);
		else
			snprintf(cand, sizeof cand, "%s%s/%s", debug_dir, dir, link);
		/* the link names another file, never the object itself */
		if (strcmp(cand, o->path) && access(cand, R_OK) == 0) {
			o->dbgpath = dw_xstrdup(cand);
			return;
		}
	}
}

static void grab(Elf *e, const char *want, uint8_t **buf, size_t *size, uint64_t *addr)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	elf_getshdrstrndx(e, &shstrndx);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		const char *nm = elf_strptr(e, shstrndx, sh.sh_name);
		if (!nm || strcmp(nm, want) || sh.sh_type == SHT_NOBITS)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return;
		*buf = malloc(d->d_size);
		memcpy(*buf, d->d_buf, d->d_size);
		*size = d->d_size;
		if (addr)
			*addr = sh.sh_addr;
		return;
	}
}

int dw_elf_load(struct dw_obj *o, const char *debug_dir, char *err, size_t errlen)
{
	elf_version(EV_CURRENT);
	int fd;
	Elf *e = open_elf(o->path, &fd);
	if (!e)
		return DW_ERR(err, errlen, "%s: not an ELF file", o->path);
	size_t nph;
	elf_getphdrnum(e, &nph);
	o->lo = UINT64_MAX;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		gelf_getphdr(e, i, &ph);
		if (ph.p_type == PT_LOAD) {
			if (ph.p_vaddr < o->lo) o->lo = ph.p_vaddr;
			if (ph.p_vaddr + ph.p_memsz > o->hi) o->hi = ph.p_vaddr + ph.p_memsz;
		}
		if (ph.p_type == PT_DYNAMIC)
			o->dyn_addr = ph.p_vaddr;
		if (ph.p_type == PT_TLS) {
			o->tls_memsz = ph.p_memsz;
			o->tls_align = ph.p_align ? ph.p_align : 1;
		}
	}
	size_t cap = 0;
	read_syms(o, e, &cap, 1);
	grab(e, ".eh_frame", &o->eh_frame, &o->eh_frame_size, &o->eh_frame_addr);
	grab(e, ".debug_frame", &o->debug_frame, &o->debug_frame_size, NULL);
	find_debug_file(o, e, debug_dir);
	elf_end(e);
	close(fd);
	if (o->dbgpath && (e = open_elf(o->dbgpath, &fd))) {
		read_syms(o, e, &cap, 0);
		if (!o->debug_frame)
			grab(e, ".debug_frame", &o->debug_frame, &o->debug_frame_size, NULL);
		elf_end(e);
		close(fd);
	}
	qsort(o->syms, o->nsyms, sizeof *o->syms, sym_cmp);
	return 0;
}

/* The symbol covering laddr.  Among several at one address the best-ranked
 * wins; a sized symbol that ends before laddr does not cover it. */
const struct dw_sym *dw_elf_sym_at(struct dw_obj *o, uint64_t laddr)
{
	size_t lo = 0, hi = o->nsyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->syms[mid].addr <= laddr) lo = mid + 1; else hi = mid;
	}
	if (lo == 0)
		return NULL;
	uint64_t a = o->syms[lo - 1].addr;
	const struct dw_sym *best = NULL;
	for (size_t i = lo; i-- > 0 && o->syms[i].addr == a;) {
		const struct dw_sym *s = &o->syms[i];
		if (s->size && laddr >= s->addr + s->size)
			continue;
		if (!best || rank(s) > rank(best))
			best = s;
	}
	return best;
}

int dw_symbol_for_addr(struct dw_session *s, uint64_t addr, struct dw_symbol *out)
{
	memset(out, 0, sizeof *out);
	struct dw_obj *o = dw_obj_for_addr(s, addr);
	if (!o)
		return -1;
	out->objpath = o->path;
	const struct dw_sym *sym = dw_elf_sym_at(o, addr - o->bias);
	if (!sym)
		return -1;
	out->name = sym->name;
	out->addr = sym->addr + o->bias;
	out->size = sym->size;
	return 0;
}

int dw_symbol_addr(struct dw_session *s, const char *name, uint64_t *addr)
{
	for (int i = 0; i < s->nobjs; i++) {
		struct dw_obj *o = s->objs[i];
		for (size_t k = 0; k < o->nsyms; k++)
			if (!strcmp(o->syms[k].name, name)) {
				*addr = o->syms[k].addr + o->bias;
				return 0;
			}
	}
	return -1;
}

void dw_sb_addr_sym(struct dw_session *s, struct dw_sb *sb, uint64_t addr)
{
	/* gdb's build_address_symbolic: the DWARF function containing addr
	 * names it, counted from the function's entry (so the cold part of a
	 * split function shows as "<walk-333>"), unless a minimal symbol
	 * starts exactly at addr and the function does not ("<walk.cold>");
	 * without a DWARF function, the minimal symbol. */
	struct dw_obj *o = dw_obj_for_addr(s, addr);
	if (!o)
		return;
	uint64_t la = addr - o->bias;
	const struct dw_sym *ms = dw_elf_sym_at(o, la);
	struct dw_die *fn = dw_func_at(o, la);
	const char *name = NULL;
	uint64_t loc = 0;
	if (fn && (fn->linkage_name || fn->name)) {
		name = fn->linkage_name ? fn->linkage_name : fn->name;
		loc = fn->has_pc ? fn->low_pc : fn->ranges[0][0];
		if (ms && ms->addr == la && loc != la)
			name = NULL;
	}
	if (!name) {
		if (!ms)
			return;
		name = ms->name;
		loc = ms->addr;
	}
	if (la == loc)
		dw_sb_printf(sb, "<%s>", name);
	else if (la > loc)
		dw_sb_printf(sb, "<%s+%lu>", name, (unsigned long)(la - loc));
	else
		dw_sb_printf(sb, "<%s-%lu>", name, (unsigned long)(loc - la));
}

/* Bytes of the object's file image at a link-time address (for prologue
 * analysis without a target). */
int dw_elf_read(struct dw_obj *o, uint64_t laddr, void *buf, size_t len)
{
	int fd;
	Elf *e = open_elf(o->path, &fd);
	if (!e)
		return -1;
	size_t nph;
	int r = -1;
	elf_getphdrnum(e, &nph);
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		gelf_getphdr(e, i, &ph);
		if (ph.p_type == PT_LOAD && laddr >= ph.p_vaddr && laddr + len <= ph.p_vaddr + ph.p_filesz) {
			r = pread(fd, buf, len, ph.p_offset + (laddr - ph.p_vaddr)) == (ssize_t)len ? 0 : -1;
			break;
		}
	}
	elf_end(e);
	close(fd);
	return r;
}
