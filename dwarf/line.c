/* line.c — line tables: address → file:line and back, breakpoint
 * addresses for "func" (after the prologue, the way gdb 13 chooses it:
 * prologue_end first, else past push %rbp/mov %rsp,%rbp to the next row)
 * and "file:line", and the set of ranges that make up one source line for
 * stepping.  Rows are kept per CU sorted by address; among rows at one
 * address the end-of-sequence marker sorts first and is_stmt rows win. */
#include "dwarf/dw_int.h"
#include <dwarf.h>
#include <libdwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dw_line_load(struct dw_cu *cu, Dwarf_Die cudie);
int dw_elf_read(struct dw_obj *o, uint64_t laddr, void *buf, size_t len);

struct srow { struct dw_linerow r; size_t idx; int drop; };

static int row_cmp(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	if (x->r.addr != y->r.addr) return x->r.addr < y->r.addr ? -1 : 1;
	if (x->r.end_seq != y->r.end_seq) return x->r.end_seq ? -1 : 1;
	return x->idx < y->idx ? -1 : 1;
}

static int intern_file(struct dw_cu *cu, const char *name)
{
	for (int i = 0; i < cu->nfiles; i++)
		if (!strcmp(cu->files[i], name))
			return i;
	cu->files = realloc(cu->files, (cu->nfiles + 1) * sizeof *cu->files);
	cu->files[cu->nfiles] = dw_xstrdup(name);
	return cu->nfiles++;
}

/* The file name gdb shows for a line-table file entry: the entry's name
 * joined to its directory, except that the CU's own file keeps the CU's
 * DW_AT_name (gdb's subfile matching in buildsym). */
static int gdb_file(struct dw_cu *cu, Dwarf_Line_Context ctx, Dwarf_Unsigned fileno)
{
	Dwarf_Error e = NULL;
	const char *name = NULL, *dir = NULL;
	Dwarf_Unsigned di = 0, mt, len;
	Dwarf_Form_Data16 *md5;
	if (dwarf_srclines_files_data_b(ctx, fileno, &name, &di, &mt, &len, &md5, &e) != DW_DLV_OK || !name)
		return -1;
	if (cu->version >= 5 || di > 0)
		if (dwarf_srclines_include_dir_data(ctx, di, &dir, &e) != DW_DLV_OK)
			dir = NULL;
	char full[2048];
	if (name[0] != '/' && dir)
		snprintf(full, sizeof full, "%s/%s", dir, name);
	else
		snprintf(full, sizeof full, "%s", name);
	if (cu->name) {
		char prim[2048];
		if (cu->name[0] != '/' && cu->comp_dir)
			snprintf(prim, sizeof prim, "%s/%s", cu->comp_dir, cu->name);
		else
			snprintf(prim, sizeof prim, "%s", cu->name);
		if (!strcmp(full, cu->name) || (full[0] == '/' && !strcmp(full, prim)))
			return intern_file(cu, cu->name);
	}
	return intern_file(cu, full);
}

int dw_line_load(struct dw_cu *cu, Dwarf_Die cudie)
{
	Dwarf_Error e = NULL;
	Dwarf_Unsigned ver;
	Dwarf_Small tc;
	Dwarf_Line_Context ctx;
	if (dwarf_srclines_b(cudie, &ver, &tc, &ctx, &e) != DW_DLV_OK)
		return -1;
	Dwarf_Line *lines;
	Dwarf_Signed n;
	if (dwarf_srclines_from_linecontext(ctx, &lines, &n, &e) != DW_DLV_OK) {
		dwarf_srclines_dealloc_b(ctx);
		return -1;
	}
	struct srow *rows = dw_xcalloc(n, sizeof *rows);
	int lastf = -1;
	char *lastname = NULL;
	Dwarf_Signed fb = 0, fc = 0, fe = 0;
	if (dwarf_srclines_files_indexes(ctx, &fb, &fc, &fe, &e) == DW_DLV_OK && fe > 0 && fe < 100000) {
		cu->nfmap = (int)fe;
		cu->fmap = dw_xcalloc(fe, sizeof *cu->fmap);
		for (Dwarf_Signed k = 0; k < fe; k++)
			cu->fmap[k] = k >= fb ? gdb_file(cu, ctx, k) : -1;
	}
	/* gdb's reader (dwarf_record_line_p) keeps a row of the line of the
	 * row before it, in the same file, only while that line has had no
	 * non-zero discriminator since it began: the pc of such a row is
	 * inside a line for gdb (a loop's condition after its increment), and
	 * a stop there shows the address. */
	int last_file = -1, last_line = 0, had_disc = 0;
	for (Dwarf_Signed i = 0; i < n; i++) {
		Dwarf_Addr a = 0;
		Dwarf_Unsigned ln = 0;
		Dwarf_Bool b = 0;
		char *src = NULL;
		Dwarf_Unsigned row_disc = 0;
		dwarf_lineaddr(lines[i], &a, &e);
		dwarf_lineno(lines[i], &ln, &e);
		rows[i].idx = i;
		rows[i].r.addr = a;
		rows[i].r.line = (int)ln;
		if (dwarf_linebeginstatement(lines[i], &b, &e) == DW_DLV_OK) rows[i].r.is_stmt = !!b;
		if (dwarf_lineendsequence(lines[i], &b, &e) == DW_DLV_OK) rows[i].r.end_seq = !!b;
		Dwarf_Bool pe = 0, eb = 0;
		Dwarf_Unsigned isa, disc;
		if (dwarf_prologue_end_etc(lines[i], &pe, &eb, &isa, &disc, &e) == DW_DLV_OK) {
			rows[i].r.prologue_end = !!pe;
			row_disc = disc;
		}
		Dwarf_Unsigned fno;
		if (dwarf_line_srcfileno(lines[i], &fno, &e) == DW_DLV_OK && (int)fno < cu->nfmap && cu->fmap[fno] >= 0) {
			lastf = cu->fmap[fno];
		} else if (dwarf_linesrc(lines[i], &src, &e) == DW_DLV_OK) {
			if (!lastname || strcmp(lastname, src)) {
				lastf = intern_file(cu, src);
				lastname = cu->files[lastf];
			}
		}
		rows[i].r.file = lastf < 0 ? 0 : lastf;
		if (rows[i].r.end_seq) {
			last_file = -1, last_line = 0, had_disc = 0;
		} else if (rows[i].r.line) {
			int same = rows[i].r.line == last_line && rows[i].r.file == last_file;
			had_disc = same ? had_disc || row_disc : row_disc != 0;
			rows[i].drop = same && had_disc;
			last_file = rows[i].r.file, last_line = rows[i].r.line;
		}
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	cu->rows = dw_xcalloc(n, sizeof *cu->rows);
	size_t kept = 0;
	for (Dwarf_Signed i = 0; i < n; i++)
		if (!rows[i].drop)
			cu->rows[kept++] = rows[i].r;
	cu->nrows = kept;
	free(rows);
	dwarf_srclines_dealloc_b(ctx);
	return 0;
}

const char *dw_cu_file(struct dw_cu *cu, int fileno)
{
	if (fileno < 0 || fileno >= cu->nfmap || cu->fmap[fileno] < 0)
		return "??";
	return cu->files[cu->fmap[fileno]];
}

/* Index of the row in effect at lpc, or -1. */
static long row_at(struct dw_cu *cu, uint64_t lpc)
{
	size_t lo = 0, hi = cu->nrows;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (cu->rows[m].addr <= lpc) lo = m + 1; else hi = m;
	}
	if (lo == 0)
		return -1;
	long i = (long)lo - 1;
	if (cu->rows[i].end_seq || cu->rows[i].line == 0)
		return -1;
	if (!cu->rows[i].is_stmt) {
		long k = i;
		while (k > 0 && cu->rows[k - 1].addr == cu->rows[k].addr && !cu->rows[k].is_stmt && !cu->rows[k - 1].end_seq)
			k--;
		if (cu->rows[k].is_stmt)
			i = k;
	}
	return i;
}

static uint64_t row_end(struct dw_cu *cu, long i)
{
	for (size_t k = i + 1; k < cu->nrows; k++)
		if (cu->rows[k].addr > cu->rows[i].addr)
			return cu->rows[k].addr;
	return cu->rows[i].addr + 1;
}

int dw_line_lookup(struct dw_cu *cu, uint64_t lpc, struct dw_line *out)
{
	long i = row_at(cu, lpc);
	if (i < 0)
		return -1;
	out->file = cu->nfiles ? cu->files[cu->rows[i].file] : "??";
	out->line = cu->rows[i].line;
	out->addr = cu->rows[i].addr;
	out->end = row_end(cu, i);
	out->is_stmt = cu->rows[i].is_stmt;
	return 0;
}

int dw_line_for_pc(struct dw_session *s, uint64_t pc, struct dw_line *out)
{
	struct dw_obj *o = dw_obj_for_addr(s, pc);
	if (!o)
		return -1;
	struct dw_cu *cu = dw_cu_for_pc(o, pc - o->bias);
	if (!cu || dw_line_lookup(cu, pc - o->bias, out) < 0)
		return -1;
	out->addr += o->bias;
	out->end += o->bias;
	return 0;
}

static uint64_t fn_lo(struct dw_die *f) { return f->has_pc ? f->low_pc : f->ranges[0][0]; }
static uint64_t fn_hi(struct dw_die *f) { return f->has_pc ? f->high_pc : f->ranges[0][1]; }

uint64_t dw_func_break_addr(struct dw_die *fn)
{
	struct dw_cu *cu = fn->cu;
	uint64_t lo = fn_lo(fn), hi = fn_hi(fn);
	for (size_t i = 0; i < cu->nrows; i++)
		if (cu->rows[i].addr >= lo && cu->rows[i].addr < hi && cu->rows[i].prologue_end)
			return cu->rows[i].addr;
	uint64_t pc = lo;
	if (cu->is_clang) {
		long i = row_at(cu, lo);
		if (i >= 0) {
			uint64_t e = row_end(cu, i);
			if (e < hi) return e;
		}
		return lo;
	}
	uint8_t b[8];
	if (dw_elf_read(cu->obj, lo, b, sizeof b) == 0) {
		int k = 0;
		if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa)
			k = 4;
		if (b[k] == 0x55 && k + 4 <= 8 && ((b[k + 1] == 0x48 && b[k + 2] == 0x89 && b[k + 3] == 0xe5) ||
						  (b[k + 1] == 0x48 && b[k + 2] == 0x8b && b[k + 3] == 0xec)))
			pc = lo + k + 4;
	}
	if (pc != lo) {
		long i = row_at(cu, pc);
		if (i >= 0 && cu->rows[i].addr != pc) {
			uint64_t e = row_end(cu, i);
			if (e < hi) pc = e;
		}
	}
	return pc;
}

int dw_func_for_pc(struct dw_session *s, uint64_t pc, const char **name,
		   uint64_t *lo, uint64_t *hi)
{
	struct dw_obj *o = dw_obj_for_addr(s, pc);
	if (!o)
		return -1;
	struct dw_die *f = dw_func_at(o, pc - o->bias);
	if (f) {
		*name = f->name;
		*lo = fn_lo(f) + o->bias;
		*hi = fn_hi(f) + o->bias;
		for (int i = 0; i < f->nranges; i++)
			if (pc - o->bias >= f->ranges[i][0] && pc - o->bias < f->ranges[i][1]) {
				*lo = f->ranges[i][0] + o->bias;
				*hi = f->ranges[i][1] + o->bias;
			}
		return 0;
	}
	const struct dw_sym *sym = dw_elf_sym_at(o, pc - o->bias);
	if (!sym)
		return -1;
	*name = sym->name;
	*lo = sym->addr + o->bias;
	*hi = sym->addr + (sym->size ? sym->size : 1) + o->bias;
	return 0;
}

int dw_line_ranges(struct dw_session *s, uint64_t pc, struct dw_range *out,
		   size_t max, size_t *n)
{
	*n = 0;
	struct dw_obj *o = dw_obj_for_addr(s, pc);
	if (!o)
		return -1;
	uint64_t lpc = pc - o->bias;
	struct dw_cu *cu = dw_cu_for_pc(o, lpc);
	struct dw_die *f = dw_func_at(o, lpc);
	long i = cu ? row_at(cu, lpc) : -1;
	if (i < 0 || !f)
		return -1;
	int line = cu->rows[i].line, file = cu->rows[i].file;
	for (size_t k = 0; k < cu->nrows; k++) {
		struct dw_linerow *r = &cu->rows[k];
		if (r->end_seq || r->line != line || r->file != file || !dw_die_has_pc(f, r->addr))
			continue;
		if (row_at(cu, r->addr) != (long)k)
			continue;
		uint64_t e = row_end(cu, k);
		if (*n && out[*n - 1].hi == r->addr + o->bias) {
			out[*n - 1].hi = e + o->bias;
			continue;
		}
		if (*n < max) {
			out[*n].lo = r->addr + o->bias;
			out[*n].hi = e + o->bias;
			(*n)++;
		}
	}
	return 0;
}

static struct dw_die *find_func(struct dw_session *s, const char *name, struct dw_obj **oo)
{
	for (int i = 0; i < s->nobjs; i++) {
		struct dw_obj *o = s->objs[i];
		for (size_t k = 0; k < o->nfuncs; k++)
			if (o->funcs[k]->name && !strcmp(o->funcs[k]->name, name)) {
				*oo = o;
				return o->funcs[k];
			}
	}
	return NULL;
}

static int file_match(const char *path, const char *want)
{
	size_t lp = strlen(path), lw = strlen(want);
	if (lw > lp) return 0;
	if (strcmp(path + lp - lw, want)) return 0;
	return lw == lp || path[lp - lw - 1] == '/';
}

int dw_source_fullpath(struct dw_session *s, const char *file, char *out, size_t outlen,
		       const char **comp_dir)
{
	for (int i = 0; i < s->nobjs; i++) {
		struct dw_obj *o = s->objs[i];
		for (int c = 0; c < o->ncus; c++) {
			struct dw_cu *cu = o->cus[c];
			for (int k = 0; k < cu->nfiles; k++) {
				if (strcmp(cu->files[k], file))
					continue;
				if (comp_dir)
					*comp_dir = cu->comp_dir;
				if (file[0] != '/' && cu->comp_dir)
					snprintf(out, outlen, "%s/%s", cu->comp_dir, file);
				else
					snprintf(out, outlen, "%s", file);
				return 0;
			}
		}
	}
	return -1;
}

int dw_resolve_location(struct dw_session *s, const char *spec, uint64_t *addr,
			char *err, size_t errlen)
{
	while (*spec == ' ') spec++;
	if (*spec == '*') {
		char *end;
		*addr = strtoull(spec + 1, &end, 0);
		if (end == spec + 1)
			return DW_ERR(err, errlen, "Invalid address \"%s\".", spec + 1);
		return 0;
	}
	const char *colon = strrchr(spec, ':');
	char file[512] = "";
	const char *lnstr = spec;
	if (colon) {
		snprintf(file, sizeof file, "%.*s", (int)(colon - spec), spec);
		lnstr = colon + 1;
	}
	char *end;
	long line = strtol(lnstr, &end, 10);
	if (end != lnstr && *end == 0) {
		/* file:line — lowest is_stmt address of the first line >= wanted
		 * that has code, as gdb moves a breakpoint to the next line. */
		long bestline = -1;
		uint64_t best = 0;
		struct dw_obj *bo = NULL;
		struct dw_cu *bcu = NULL;
		int known = 0;	/* the file exists, whatever its lines */
		/* The program's own files first; a named file not found there
		 * may be a shared library's (its debug information is loaded
		 * with it, the recording knowing where it will be mapped). A
		 * bare line is the program's. */
		for (int i = 0; i < s->nobjs && !(i > 0 && (bo || known || !*file)); i++) {
			struct dw_obj *o = s->objs[i];
			for (int c = 0; c < o->ncus; c++) {
				struct dw_cu *cu = o->cus[c];
				for (int k = 0; *file && !known && k < cu->nfiles; k++)
					known = file_match(cu->files[k], file);
				for (size_t k = 0; k < cu->nrows; k++) {
					struct dw_linerow *r = &cu->rows[k];
					if (r->end_seq || !r->is_stmt || r->line < line)
						continue;
					const char *fn = cu->files[r->file];
					if (*file ? !file_match(fn, file) : (cu->name && strcmp(fn, cu->name) && !file_match(fn, cu->name)))
						continue;
					if (bestline < 0 || r->line < bestline || (r->line == bestline && r->addr < best)) {
						bestline = r->line;
						best = r->addr;
						bo = o;
						bcu = cu;
					}
				}
			}
		}
		if (!bo) {
			if (*file && known)
				return DW_ERR(err, errlen, "No line %ld in file \"%s\".", line, file);
			if (*file)
				return DW_ERR(err, errlen, "No source file named %s.", file);
			return DW_ERR(err, errlen, "No line %ld in the current file.", line);
		}
		struct dw_die *f = dw_func_at(bo, best);
		if (f && fn_lo(f) == best)
			best = dw_func_break_addr(f);
		(void)bcu;
		*addr = best + bo->bias;
		return 0;
	}
	struct dw_obj *o;
	struct dw_die *f = find_func(s, spec, &o);
	if (f) {
		*addr = dw_func_break_addr(f) + o->bias;
		return 0;
	}
	if (dw_symbol_addr(s, spec, addr) == 0)
		return 0;
	return DW_ERR(err, errlen, "Function \"%s\" not defined.", spec);
}
