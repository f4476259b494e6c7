/* test_dw.c — unit tests of dwarf/ (Check).  Fixtures from
 * tests/fixtures/dw/ are compiled at test time (dw_fix.c in four flavours:
 * gcc -O0, gcc -O2, clang -O0, gcc -O0 -gdwarf-4; dw5.c at -O2 from gcc and
 * clang for DWARF 5's implicit_const, loclists and rnglists, and at
 * -gdwarf-4 for old-style bitfields; a build whose CFI is in .debug_frame;
 * copies whose DWARF is moved to a separate file found by build-id or debug
 * link) and read without running them: the fake target serves the file's
 * PT_LOAD image (globals keep their initial values) plus a scratch byte
 * array and registers, so the evaluator, the location expressions, the
 * unwinder and the printer run on known memory — or on memory that refuses
 * every read, as at the end of a recording. */
#include "dwarf/dw_int.h"
#include <check.h>
#include <dwarf.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];
static const char *const flavours[][2] = {
	{ "gcc-O0", "gcc -O0 -g" }, { "gcc-O2", "gcc -O2 -g" },
	{ "clang-O0", "clang -O0 -g" }, { "gcc-O0-dwarf4", "gcc -O0 -gdwarf-4" },
};
#define NFLAV 4
/* dw5.c: DWARF 5 at -O2 from both compilers (loclists, rnglists,
 * implicit_const), and DWARF 4 at -O0 for DW_AT_bit_offset bitfields */
static const char *const flavours5[][2] = {
	{ "gcc-O2", "gcc -O2 -gdwarf-5" }, { "clang-O2", "clang -O2 -gdwarf-5" },
	{ "gcc-O0-dwarf4", "gcc -O0 -gdwarf-4" },
};
#define NFLAV5 3
/* 1 built; 0 the compiler is not installed (the flavour is skipped);
 * -1 the build failed (the tests using it fail) */
static int have[NFLAV], have5[NFLAV5], have_dbgframe;

static int build(const char *cc, const char *out, const char *fixture)
{
	const char *src = getenv("top_srcdir");
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "command -v %.*s >/dev/null", (int)strcspn(cc, " "), cc);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_dw: %.*s not installed, its flavour is skipped\n", (int)strcspn(cc, " "), cc);
		return 0;
	}
	snprintf(cmd, sizeof cmd, "%s -o %s/%s %s/tests/fixtures/dw/%s.c", cc, tmpdir, out,
		 src ? src : ".", fixture);
	return system(cmd) == 0 ? 1 : -1;
}

static void build_all(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_dw.XXXXXX");
	if (!mkdtemp(tmpdir))
		abort();
	char out[64];
	for (int i = 0; i < NFLAV; i++) {
		snprintf(out, sizeof out, "fix-%s", flavours[i][0]);
		have[i] = build(flavours[i][1], out, "dw_fix");
	}
	/* without unwind tables gcc puts the functions' CFI in .debug_frame */
	have_dbgframe = build("gcc -O0 -g -fno-asynchronous-unwind-tables", "fix-dbgframe", "dw_fix");
	for (int i = 0; i < NFLAV5; i++) {
		snprintf(out, sizeof out, "dw5-%s", flavours5[i][0]);
		have5[i] = build(flavours5[i][1], out, "dw5");
	}
}

static void cleanup(void)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd)) {}
}

/* ---- a fake target: the ELF file image + scratch memory + registers ---- */
struct fake {
	uint8_t *img;
	uint64_t img_lo, img_hi;
	uint8_t scratch[4096];	/* at 0x10000 */
	uint64_t regs[DW_NREGS];
	int refuse;		/* every read fails, as at the end of a recording */
	int nreads;		/* reads asked for, to prove an evaluation lazy */
};

static int fake_mem(void *ctx, uint64_t a, void *buf, size_t len)
{
	struct fake *f = ctx;
	f->nreads++;
	if (f->refuse)
		return -EIO;
	if (a >= 0x10000 && a + len <= 0x10000 + sizeof f->scratch) {
		memcpy(buf, f->scratch + (a - 0x10000), len);
		return 0;
	}
	if (f->img && a >= f->img_lo && a + len <= f->img_hi) {
		memcpy(buf, f->img + (a - f->img_lo), len);
		return 0;
	}
	return -EIO;
}

static int fake_reg(void *ctx, int r, uint64_t *v)
{
	struct fake *f = ctx;
	if (r < 0 || r >= DW_NREGS) return -EINVAL;
	*v = f->regs[r];
	return 0;
}

static void load_image(struct fake *f, const char *path)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	Elf64_Ehdr eh;
	ck_assert_int_eq(fread(&eh, sizeof eh, 1, fp), 1);
	Elf64_Phdr ph[32];
	fseek(fp, eh.e_phoff, SEEK_SET);
	ck_assert_int_eq(fread(ph, sizeof ph[0], eh.e_phnum, fp), eh.e_phnum);
	f->img_lo = UINT64_MAX;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			if (ph[i].p_vaddr < f->img_lo) f->img_lo = ph[i].p_vaddr;
			if (ph[i].p_vaddr + ph[i].p_memsz > f->img_hi) f->img_hi = ph[i].p_vaddr + ph[i].p_memsz;
		}
	f->img = calloc(1, f->img_hi - f->img_lo);
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			fseek(fp, ph[i].p_offset, SEEK_SET);
			if (fread(f->img + (ph[i].p_vaddr - f->img_lo), 1, ph[i].p_filesz, fp)) {}
		}
	fclose(fp);
}

struct env {
	struct dw_session *s;
	struct fake fk;
	struct dw_target t;
	struct dw_frame fr;
	struct dw_sb sb;
	char err[256];
};

static int open_path(struct env *e, const char *path)
{
	ck_assert_int_eq(dw_session_new(&e->s, e->err, sizeof e->err), 0);
	dw_set_debug_dir(e->s, "");
	ck_assert_msg(dw_add_object(e->s, path, 0, e->err, sizeof e->err) == 0, "%s", e->err);
	load_image(&e->fk, path);
	e->t = (struct dw_target){ &e->fk, fake_mem, fake_reg };
	e->fr.pc = 0;
	e->fr.valid = (1u << DW_NREGS) - 1;
	dw_sb_init(&e->sb);
	return 0;
}

static int open_flavour(struct env *e, int i)
{
	memset(e, 0, sizeof *e);
	ck_assert_msg(have[i] >= 0, "building %s failed", flavours[i][0]);
	if (!have[i])
		return -1;
	char path[512];
	snprintf(path, sizeof path, "%s/fix-%s", tmpdir, flavours[i][0]);
	return open_path(e, path);
}

static int open_dw5(struct env *e, int i)
{
	memset(e, 0, sizeof *e);
	ck_assert_msg(have5[i] >= 0, "building dw5 %s failed", flavours5[i][0]);
	if (!have5[i])
		return -1;
	char path[512];
	snprintf(path, sizeof path, "%s/dw5-%s", tmpdir, flavours5[i][0]);
	return open_path(e, path);
}

static void close_env(struct env *e)
{
	dw_sb_free(&e->sb);
	dw_session_free(e->s);
	free(e->fk.img);
}

/* print EXPR at no frame (globals only) and compare with gdb's text */
static void expect_print(struct env *e, const char *expr, char fmt, const char *want)
{
	int _i = 0;
	dw_sb_clear(&e->sb);
	int rc = dw_print(e->s, &e->t, &e->fr, expr, fmt, &e->sb, e->err, sizeof e->err);
	ck_assert_msg(rc == 0, "print %s: %s", expr, e->err); (void)_i;
	const char *eq = strstr(e->sb.buf, " = ");
	ck_assert_ptr_nonnull(eq);
	char got[1024];
	snprintf(got, sizeof got, "%s", eq + 3);
	got[strcspn(got, "\n")] = 0;
	ck_assert_msg(!strcmp(got, want), "print%s%c %s: got [%s] want [%s]",
		      fmt ? "/" : "", fmt ? fmt : ' ', expr, got, want);
}
#define EXPECT_PRINT(e, x, f, w) expect_print(e, x, f, w)

static void expect_type(struct env *e, const char *expr, int whatis, const char *want)
{
	dw_sb_clear(&e->sb);
	int rc = dw_ptype(e->s, &e->t, &e->fr, expr, whatis, &e->sb, e->err, sizeof e->err);
	ck_assert_msg(rc == 0, "ptype %s: %s", expr, e->err);
	char w[1024];
	snprintf(w, sizeof w, "type = %s\n", want);
	ck_assert_msg(!strcmp(e->sb.buf, w), "%s %s: got [%s] want [%s]", whatis ? "whatis" : "ptype",
		      expr, e->sb.buf, w);
}

static void expect_error(struct env *e, const char *expr, const char *want)
{
	dw_sb_clear(&e->sb);
	int rc = dw_print(e->s, &e->t, &e->fr, expr, 0, &e->sb, e->err, sizeof e->err);
	ck_assert_msg(rc < 0, "print %s should fail, gave %s", expr, e->sb.buf);
	ck_assert_msg(!strcmp(e->err, want), "print %s: error [%s] want [%s]", expr, e->err, want);
}

/* ---- lines and functions ---- */

START_TEST(test_line_both_ways)
{
	struct env e;
	if (open_flavour(&e, _i) < 0) return;
	uint64_t a;
	ck_assert_msg(dw_resolve_location(e.s, "dw_fix.c:58", &a, e.err, sizeof e.err) == 0, "%s", e.err);
	struct dw_line ln;
	ck_assert_int_eq(dw_line_for_pc(e.s, a, &ln), 0);
	ck_assert_int_eq(ln.line, 58);
	ck_assert_ptr_nonnull(strstr(ln.file, "dw_fix.c"));
	ck_assert(ln.addr <= a && a < ln.end);
	/* a line without code moves to the next line that has some */
	ck_assert_int_eq(dw_resolve_location(e.s, "dw_fix.c:57", &a, e.err, sizeof e.err), 0);
	ck_assert_int_eq(dw_line_for_pc(e.s, a, &ln), 0);
	ck_assert_int_ge(ln.line, 57);
	ck_assert_int_lt(dw_resolve_location(e.s, "nosuch.c:3", &a, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.err, "No source file named nosuch.c.");
	/* past the last line with code: gdb's wording */
	ck_assert_int_lt(dw_resolve_location(e.s, "dw_fix.c:9999", &a, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.err, "No line 9999 in file \"dw_fix.c\".");
	close_env(&e);
}
END_TEST

START_TEST(test_function_lookup)
{
	struct env e;
	if (open_flavour(&e, _i) < 0) return;
	uint64_t a, lo, hi;
	const char *name;
	ck_assert_int_eq(dw_resolve_location(e.s, "fact", &a, e.err, sizeof e.err), 0);
	ck_assert_int_eq(dw_func_for_pc(e.s, a, &name, &lo, &hi), 0);
	ck_assert_str_eq(name, "fact");
	ck_assert(lo <= a && a < hi);
	struct dw_line ln;
	ck_assert_int_eq(dw_line_for_pc(e.s, a, &ln), 0);
	if (_i != 1) {	/* -O0: past the prologue, on the first body line */
		ck_assert(a > lo);
		ck_assert_int_eq(ln.line, 38);
	}
	struct dw_symbol sym;
	ck_assert_int_eq(dw_symbol_for_addr(e.s, lo + 1, &sym), 0);
	ck_assert_str_eq(sym.name, "fact");
	ck_assert_int_eq(sym.addr, lo);
	uint64_t sa;
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_counter", &sa), 0);
	dw_sb_clear(&e.sb);
	dw_sb_addr_sym(e.s, &e.sb, sa + 2);
	ck_assert_str_eq(e.sb.buf, "<g_counter+2>");
	/* PLT entries get gdb's name@plt */
	ck_assert_int_eq(dw_symbol_addr(e.s, "qsort@plt", &sa), 0);
	ck_assert_int_lt(dw_resolve_location(e.s, "nosuch", &a, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.err, "Function \"nosuch\" not defined.");
	ck_assert_int_eq(dw_resolve_location(e.s, "*0x1234", &a, e.err, sizeof e.err), 0);
	ck_assert_int_eq(a, 0x1234);
	close_env(&e);
}
END_TEST

START_TEST(test_line_ranges)
{
	/* "for (i = 0; i < n; i++)" is code in three places: one line, several
	 * ranges, for stepping */
	struct env e;
	if (open_flavour(&e, _i) < 0 || _i == 1) { if (e.s) close_env(&e); return; }
	uint64_t a;
	ck_assert_int_eq(dw_resolve_location(e.s, "dw_fix.c:54", &a, e.err, sizeof e.err), 0);
	struct dw_range r[16];
	size_t n;
	ck_assert_int_eq(dw_line_ranges(e.s, a, r, 16, &n), 0);
	ck_assert_int_ge(n, 2);
	for (size_t i = 0; i < n; i++) {
		struct dw_line ln;
		ck_assert(r[i].lo < r[i].hi);
		ck_assert_int_eq(dw_line_for_pc(e.s, r[i].lo, &ln), 0);
		ck_assert_int_eq(ln.line, 54);
	}
	close_env(&e);
}
END_TEST

/* ---- types ---- */

START_TEST(test_types_ptype)
{
	struct env e;
	if (open_flavour(&e, _i) < 0) return;
	/* bitfields: DW_AT_data_bit_offset (gcc DWARF 5) or DW_AT_bit_offset
	 * (DWARF 4 and clang) */
	expect_type(&e, "struct flags", 0, "struct flags {\n    unsigned int a : 3;\n    unsigned int b : 5;\n"
		    "    int c : 4;\n    unsigned char d;\n}");
	expect_type(&e, "g_cmp", 0, "int (*)(const void *, const void *)");
	expect_type(&e, "g_cmp", 1, "cmp_fn");
	expect_type(&e, "cmp_fn", 1, "int (*)(const void *, const void *)");
	expect_type(&e, "g_matrix", 1, "int [2][3]");
	expect_type(&e, "&g_matrix", 1, "int (*)[2][3]");
	expect_type(&e, "g_matrix[1]", 1, "int [3]");
	expect_type(&e, "g_n1.next", 1, "struct node *");
	expect_type(&e, "g_n1.name", 1, "const char *");
	expect_type(&e, "enum color", 0, "enum color {RED, GREEN = 5, BLUE}");
	expect_type(&e, "uint_t", 0, "unsigned int");
	expect_type(&e, "g_short", 1, "short");
	expect_type(&e, "g_long", 1, "long");
	expect_type(&e, "fact", 1, "int (int)");
	expect_type(&e, "union num", 0, "union num {\n    int i;\n    float f;\n    unsigned char b[4];\n}");
	/* DWARF 5 implicit_const (gcc: decl_file/line, pointer byte_size) */
	EXPECT_PRINT(&e, "sizeof(struct shape)", 0, "48");
	EXPECT_PRINT(&e, "sizeof(g_n1)", 0, "24");
	EXPECT_PRINT(&e, "sizeof(struct node *)", 0, "8");
	close_env(&e);
}
END_TEST

/* ---- values of globals, from the file image ---- */

START_TEST(test_values)
{
	struct env e;
	if (open_flavour(&e, _i) < 0) return;
	EXPECT_PRINT(&e, "g_counter", 0, "42");
	EXPECT_PRINT(&e, "g_msg", 0, "\"hello, world\"");
	EXPECT_PRINT(&e, "g_matrix", 0, "{{1, 2, 3}, {4, 5, 6}}");
	EXPECT_PRINT(&e, "g_pt", 0, "{x = 3, y = -4}");
	EXPECT_PRINT(&e, "g_num", 0, "{i = 1094861636, f = 12.1414223, b = \"DCBA\"}");
	EXPECT_PRINT(&e, "g_flags", 0, "{a = 5, b = 17, c = -3, d = 122 'z'}");
	EXPECT_PRINT(&e, "g_flags.c * 2", 0, "-6");
	EXPECT_PRINT(&e, "g_color", 0, "BLUE");
	EXPECT_PRINT(&e, "g_uint", 0, "4000000000");
	EXPECT_PRINT(&e, "g_shape.tag", 0, "\"tri\\000\\000\\000\\000\"");
	EXPECT_PRINT(&e, "g_shape.pts[2]", 0, "{x = 5, y = 6}");
	EXPECT_PRINT(&e, "g_uchar", 0, "200 '\\310'");
	EXPECT_PRINT(&e, "g_float", 0, "1.25");
	EXPECT_PRINT(&e, "g_long", 0, "-1234567890123");
	EXPECT_PRINT(&e, "g_matrix[1][2] * 2 + g_pt.y", 0, "8");
	EXPECT_PRINT(&e, "g_counter", 'x', "0x2a");
	EXPECT_PRINT(&e, "g_counter", 'o', "052");
	EXPECT_PRINT(&e, "g_counter", 't', "101010");
	EXPECT_PRINT(&e, "g_pt", 'x', "{x = 0x3, y = 0xfffffffc}");
	/* the file image is not relocated: a pointer printed with its symbol */
	char want[128];
	uint64_t a;
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_pt", &a), 0);
	snprintf(want, sizeof want, "(struct point *) 0x%lx <g_pt>", (unsigned long)a);
	EXPECT_PRINT(&e, "&g_pt", 0, want);
	close_env(&e);
}
END_TEST

/* ---- the evaluator on scratch memory and fake registers ---- */

START_TEST(test_expr_fake_memory)
{
	struct env e;
	if (open_flavour(&e, 0) < 0) return;
	int32_t ints[4] = { 10, -20, 30, 0x41 };
	memcpy(e.fk.scratch, ints, sizeof ints);
	memcpy(e.fk.scratch + 0x100, "ab", 3);
	e.fk.regs[DW_REG_RSP] = 0x10000;
	e.fr.regs[DW_REG_RSP] = 0x10000;
	e.fr.regs[DW_REG_RAX] = (uint64_t)-2;
	e.fr.pc = e.fr.regs[DW_REG_RIP] = 0x10040;
	EXPECT_PRINT(&e, "*(int *)0x10000", 0, "10");
	EXPECT_PRINT(&e, "((int *)0x10000)[1]", 0, "-20");
	EXPECT_PRINT(&e, "((int *)0x10000)[1] * -3 + 1", 0, "61");
	EXPECT_PRINT(&e, "*(int *)0x10000@3", 0, "{10, -20, 30}");
	EXPECT_PRINT(&e, "(char)((int *)0x10000)[3]", 0, "65 'A'");
	EXPECT_PRINT(&e, "*(char *)0x10100@20", 0, "\"ab\", '\\000' <repeats 17 times>");
	EXPECT_PRINT(&e, "(char *)0x10100", 0, "0x10100 \"ab\"");
	EXPECT_PRINT(&e, "*(unsigned short *)0x10004", 0, "65516");
	EXPECT_PRINT(&e, "$rsp", 0, "(void *) 0x10000");
	EXPECT_PRINT(&e, "$sp", 0, "(void *) 0x10000");
	EXPECT_PRINT(&e, "$rax", 0, "-2");
	EXPECT_PRINT(&e, "$eax", 'x', "0xfffffffe");
	EXPECT_PRINT(&e, "*(int *)$sp", 0, "10");
	EXPECT_PRINT(&e, "10 / 3", 0, "3");
	EXPECT_PRINT(&e, "10 % 3 == 1 && 2 > 1", 0, "1");
	EXPECT_PRINT(&e, "1.5 * 2", 0, "3");
	EXPECT_PRINT(&e, "7 / 2.0", 0, "3.5");
	EXPECT_PRINT(&e, "'A' + 1", 0, "66");
	EXPECT_PRINT(&e, "-1", 'x', "0xffffffff");
	EXPECT_PRINT(&e, "8", 'o', "010");
	EXPECT_PRINT(&e, "10", 't', "1010");
	EXPECT_PRINT(&e, "65", 'c', "65 'A'");
	EXPECT_PRINT(&e, "sizeof(long)", 0, "8");
	EXPECT_PRINT(&e, "(unsigned char)300", 0, "44 ','");
	EXPECT_PRINT(&e, "1 ? 2 : 3", 0, "2");
	EXPECT_PRINT(&e, "1 << 4 | 1", 0, "17");
	EXPECT_PRINT(&e, "~0", 0, "-1");
	/* history */
	EXPECT_PRINT(&e, "100", 0, "100");
	EXPECT_PRINT(&e, "$ + 1", 0, "101");
	EXPECT_PRINT(&e, "$$", 0, "100");
	EXPECT_PRINT(&e, "$1", 0, "10");
	expect_error(&e, "nosuch", "No symbol \"nosuch\" in current context.");
	expect_error(&e, "g_pt.z", "There is no member named z.");
	expect_error(&e, "*(int *)0x9999", "Cannot access memory at address 0x9999");
	expect_error(&e, "1 +", "A syntax error in expression, near `'.");
	expect_error(&e, "$999", "History has not yet reached $999.");
	expect_error(&e, "10 / 0", "Division by zero");
	uint64_t v;
	ck_assert_int_eq(dw_eval_u64(e.s, &e.t, &e.fr, "((int *)0x10000)[2] + 12", &v, e.err, sizeof e.err), 0);
	ck_assert_int_eq(v, 42);
	close_env(&e);
}
END_TEST

START_TEST(test_examine_and_disasm)
{
	struct env e;
	if (open_flavour(&e, 0) < 0) return;
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x8b, 0x45, 0xfc, 0x06, 0xc3 };
	memcpy(e.fk.scratch + 0x200, code, sizeof code);
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_disasm(e.s, &e.t, 0x10200, 5, 0x10201, &e.sb, NULL), 0);
	ck_assert_str_eq(e.sb.buf,
		"   0x10200:\tpush   %rbp\n"
		"=> 0x10201:\tmov    %rsp,%rbp\n"
		"   0x10204:\tmov    -0x4(%rbp),%eax\n"
		"   0x10207:\t.byte 0x6\n"
		"   0x10208:\tret\n");
	int32_t ints[4] = { 1, 2, -1, 0x10 };
	memcpy(e.fk.scratch, ints, sizeof ints);
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_examine(e.s, &e.t, &e.fr, "/4xw 0x10000", &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, "0x10000:\t0x00000001\t0x00000002\t0xffffffff\t0x00000010\n");
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_examine(e.s, &e.t, &e.fr, "/3dw 0x10000", &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, "0x10000:\t1\t2\t-1\n");
	close_env(&e);
}
END_TEST

/* ---- lazy lvalues: an address or a size needs no memory ---- */

START_TEST(test_lazy_lvalues)
{
	struct env e;
	if (open_flavour(&e, _i) < 0) return;
	char want[256];
	uint64_t pt, sh, mx, msg, n1;
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_pt", &pt), 0);
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_shape", &sh), 0);
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_matrix", &mx), 0);
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_msg", &msg), 0);
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_n1", &n1), 0);
	/* readable memory: taking an address reads nothing at all */
	e.fk.nreads = 0;
	snprintf(want, sizeof want, "(struct point *) 0x%lx <g_pt>", (unsigned long)pt);
	EXPECT_PRINT(&e, "&g_pt", 0, want);
	EXPECT_PRINT(&e, "sizeof(g_shape.pts)", 0, "24");
	ck_assert_int_eq(e.fk.nreads, 0);
	/* now every read fails: the process is gone */
	e.fk.refuse = 1;
	EXPECT_PRINT(&e, "&g_pt", 0, want);
	snprintf(want, sizeof want, "(struct point *) 0x%lx <g_shape+12>", (unsigned long)sh + 12);
	EXPECT_PRINT(&e, "&g_shape.pts[1]", 0, want);
	snprintf(want, sizeof want, "(int *) 0x%lx <g_matrix+20>", (unsigned long)mx + 20);
	EXPECT_PRINT(&e, "&g_matrix[1][2]", 0, want);
	snprintf(want, sizeof want, "(int (*)[3]) 0x%lx <g_matrix+12>", (unsigned long)mx + 12);
	EXPECT_PRINT(&e, "&g_matrix[1]", 0, want);
	snprintf(want, sizeof want, "0x%lx <g_msg+7> <error: Cannot access memory at address 0x%lx>",
		 (unsigned long)msg + 7, (unsigned long)msg + 7);
	EXPECT_PRINT(&e, "&g_msg[7]", 0, want);
	EXPECT_PRINT(&e, "sizeof(g_shape)", 0, "48");
	EXPECT_PRINT(&e, "sizeof g_counter", 0, "4");
	EXPECT_PRINT(&e, "sizeof(g_n1.next->name)", 0, "8");
	/* what the watch command asks */
	uint64_t v;
	ck_assert_msg(dw_eval_u64(e.s, &e.t, &e.fr, "&(g_pt.y)", &v, e.err, sizeof e.err) == 0, "%s", e.err);
	ck_assert_int_eq(v, pt + 4);
	ck_assert_int_eq(dw_eval_u64(e.s, &e.t, &e.fr, "sizeof(g_pt.y)", &v, e.err, sizeof e.err), 0);
	ck_assert_int_eq(v, 4);
	ck_assert_int_eq(dw_eval_u64(e.s, &e.t, &e.fr, "g_matrix", &v, e.err, sizeof e.err), 0);
	ck_assert_int_eq(v, mx);
	/* types need no memory either (gdb evaluates them without side effects) */
	expect_type(&e, "g_n1.next->name", 1, "const char *");
	expect_type(&e, "*g_n1.next", 1, "struct node");
	expect_type(&e, "g_counter / 0", 1, "int");
	/* the side of && || ?: that is not taken is not read */
	EXPECT_PRINT(&e, "0 && g_counter", 0, "0");
	EXPECT_PRINT(&e, "1 || *g_n1.next", 0, "1");
	EXPECT_PRINT(&e, "1 ? 5 : g_counter", 0, "5");
	/* using the contents fails, with the address of what was read */
	snprintf(want, sizeof want, "Cannot access memory at address 0x%lx", (unsigned long)pt);
	expect_error(&e, "g_pt", want);
	expect_error(&e, "*&g_pt", want);
	expect_error(&e, "g_pt.x + 1", want);
	expect_error(&e, "1 && g_pt.x", want);
	snprintf(want, sizeof want, "Cannot access memory at address 0x%lx", (unsigned long)n1 + 8);
	expect_error(&e, "&*g_n1.next", want);
	expect_error(&e, "g_n1.next->val", want);
	ck_assert_int_lt(dw_eval_u64(e.s, &e.t, &e.fr, "g_counter", &v, e.err, sizeof e.err), 0);
	ck_assert_ptr_nonnull(strstr(e.err, "Cannot access memory at address 0x"));
	close_env(&e);
}
END_TEST

/* ---- dw_output: print without the value history ---- */

START_TEST(test_output_no_history)
{
	struct env e;
	if (open_flavour(&e, 0) < 0) return;
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_print(e.s, &e.t, &e.fr, "g_counter", 0, &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, "$1 = 42\n");
	/* what a watch pane or a display shows: value only, no $N, no newline */
	const char *const cases[][3] = {
		{ "g_counter + 1", "", "43" }, { "g_counter", "x", "0x2a" }, { "g_pt", "", "{x = 3, y = -4}" },
		{ "g_msg", "", "\"hello, world\"" }, { "g_color", "", "BLUE" }, { "$1 * 2", "", "84" },
		{ "$", "", "42" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dw_sb_clear(&e.sb);
		ck_assert_msg(dw_output(e.s, &e.t, &e.fr, cases[i][0], cases[i][1][0], &e.sb, e.err, sizeof e.err) == 0,
			      "output %s: %s", cases[i][0], e.err);
		ck_assert_msg(!strcmp(e.sb.buf, cases[i][2]), "output %s: got [%s] want [%s]",
			      cases[i][0], e.sb.buf, cases[i][2]);
	}
	char want[128];
	uint64_t pt;
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_pt", &pt), 0);
	snprintf(want, sizeof want, "(struct point *) 0x%lx <g_pt>", (unsigned long)pt);
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_output(e.s, &e.t, &e.fr, "&g_pt", 0, &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, want);
	dw_sb_clear(&e.sb);
	ck_assert_int_lt(dw_output(e.s, &e.t, &e.fr, "nosuch", 0, &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.err, "No symbol \"nosuch\" in current context.");
	/* none of that was recorded: the user's next print is $2 */
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_print(e.s, &e.t, &e.fr, "7", 0, &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, "$2 = 7\n");
	EXPECT_PRINT(&e, "$$", 0, "42");
	close_env(&e);
}
END_TEST

/* ---- DWARF 5: implicit_const, bitfields, loclists, rnglists (dw5.c) ---- */

/* Does the output of cmd contain needle?  (readelf tells whether the
 * fixture really exercises a form, so that a compiler that stops emitting
 * it makes the test fail instead of silently testing less.) */
static int output_has2(const char *cmd, const char *needle, const char *also)
{
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	char line[1024];
	int hit = 0;
	while (fgets(line, sizeof line, f))
		if (strstr(line, needle) && (!also || strstr(line, also)))
			hit = 1;
	pclose(f);
	return hit;
}
#define output_has(cmd, needle) output_has2(cmd, needle, NULL)

START_TEST(test_dw5_forms)
{
	if (!have5[_i]) return;
	ck_assert_int_gt(have5[_i], 0);
	char cmd[600];
	const char *fl = flavours5[_i][0];
	snprintf(cmd, sizeof cmd, "readelf -S %s/dw5-%s", tmpdir, fl);
	int v5 = _i < 2;
	ck_assert_int_eq(output_has(cmd, ".debug_loclists"), v5);
	ck_assert_int_eq(output_has(cmd, ".debug_rnglists"), v5);
	snprintf(cmd, sizeof cmd, "readelf --debug-dump=abbrev %s/dw5-%s", tmpdir, fl);
	if (_i == 0) {
		/* gcc: a run of one-bit fields and pointer sizes */
		ck_assert(output_has2(cmd, "DW_AT_bit_size", "DW_FORM_implicit_const: 1"));
		ck_assert(output_has2(cmd, "DW_AT_byte_size", "DW_FORM_implicit_const: 8"));
	}
	if (_i == 1) {
		/* clang: lists reached through index forms */
		ck_assert(output_has(cmd, "DW_FORM_loclistx"));
		ck_assert(output_has(cmd, "DW_FORM_rnglistx"));
	}
	if (_i == 2)
		ck_assert(output_has(cmd, "DW_AT_bit_offset"));
}
END_TEST

START_TEST(test_dw5_bitfields)
{
	struct env e;
	if (open_dw5(&e, _i) < 0) return;
	/* expected texts are gdb 13's on the same binaries */
	EXPECT_PRINT(&e, "g_bits", 0, "{alpha = 5, beta = 2, gamma = -9, wide = 78187493530, flag = true, "
		     "delta = -33, tail = 84 'T', after = 4000}");
	EXPECT_PRINT(&e, "g_f8", 0, "{f0 = 1, f1 = 0, f2 = 1, f3 = 1, f4 = 0, f5 = 0, f6 = 1, f7 = 0}");
	EXPECT_PRINT(&e, "g_f8", 't', "{f0 = 1, f1 = 0, f2 = 1, f3 = 1, f4 = 0, f5 = 0, f6 = 1, f7 = 0}");
	EXPECT_PRINT(&e, "g_bits", 'x', "{alpha = 0x5, beta = 0x2, gamma = 0xfffffff7, wide = 0x123456789a, "
		     "flag = 0x1, delta = 0xffffffdf, tail = 0x54, after = 0xfa0}");
	EXPECT_PRINT(&e, "g_bits", 'd', "{alpha = 5, beta = 2, gamma = -9, wide = 78187493530, flag = 1, "
		     "delta = -33, tail = 84, after = 4000}");
	EXPECT_PRINT(&e, "g_bits.wide + 1", 0, "78187493531");
	EXPECT_PRINT(&e, "g_bits.wide", 'x', "0x123456789a");
	EXPECT_PRINT(&e, "g_bits.delta * 2", 0, "-66");
	EXPECT_PRINT(&e, "g_bits.gamma", 'x', "0xfffffff7");
	EXPECT_PRINT(&e, "g_bits.flag", 0, "true");
	EXPECT_PRINT(&e, "g_f8.f6 + g_f8.f7 + g_f8.f0", 0, "2");
	EXPECT_PRINT(&e, "sizeof(g_bits)", 0, "16");
	EXPECT_PRINT(&e, "sizeof(struct f8)", 0, "4");
	/* pointer sizes come from implicit_const with gcc */
	EXPECT_PRINT(&e, "sizeof(g_ip) + sizeof(g_cp) + sizeof(g_lp) + sizeof(g_sp)", 0, "32");
	expect_type(&e, "struct bits", 0, "struct bits {\n    unsigned int alpha : 3;\n    unsigned int beta : 3;\n"
		    "    int gamma : 5;\n    unsigned long wide : 40;\n    _Bool flag : 1;\n    int delta : 7;\n"
		    "    unsigned char tail;\n    unsigned int after : 12;\n}");
	expect_type(&e, "g_bits.wide", 1, "unsigned long");
	/* every f8 member has bit_size 1 (gcc: one implicit_const for all) */
	struct dw_obj *o = e.s->objs[0];
	int n = 0;
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		if (d->tag == DW_TAG_member && d->name && d->name[0] == 'f' && strlen(d->name) == 2) {
			ck_assert_int_eq(d->bit_size, 1);
			ck_assert_int_eq(d->bit_off, (d->name[1] - '0'));
			n++;
		}
	}
	ck_assert_int_eq(n, 8);
	close_env(&e);
}
END_TEST

/* -O2 only: parameters live in location lists; at the function's entry the
 * ABI fixes where they are (v in rdi, n in rsi), so a frame there with
 * fake registers must show them from the right list entries. */
START_TEST(test_dw5_loclists)
{
	struct env e;
	if (_i == 2 || open_dw5(&e, _i) < 0) return;
	const char *name;
	uint64_t lo, hi, a;
	ck_assert_int_eq(dw_symbol_addr(e.s, "walk", &a), 0);
	ck_assert_int_eq(dw_func_for_pc(e.s, a, &name, &lo, &hi), 0);
	ck_assert_str_eq(name, "walk");
	struct dw_die *fn = dw_func_at(e.s->objs[0], a);
	ck_assert_ptr_nonnull(fn);
	int lists = 0;
	for (struct dw_die *d = fn->child; d; d = d->next)
		if (d->tag == DW_TAG_formal_parameter) {
			ck_assert_msg(d->loc.kind == 2, "parameter %s has no location list", d->name);
			lists++;
			/* the entries are in the function (hot or cold part)
			 * and do not overlap */
			for (int k = 0; k < d->loc.n; k++) {
				ck_assert(dw_die_has_pc(fn, d->loc.ents[k].lo));
				for (int j = 0; j < k; j++)
					ck_assert(d->loc.ents[k].lo >= d->loc.ents[j].hi ||
						  d->loc.ents[k].hi <= d->loc.ents[j].lo);
			}
		}
	ck_assert_int_eq(lists, 2);
	int32_t v[4] = { 3, 1, 4, 1 };
	memcpy(e.fk.scratch, v, sizeof v);
	memset(e.fr.regs, 0, sizeof e.fr.regs);
	e.fr.pc = e.fr.regs[DW_REG_RIP] = a;
	e.fr.regs[DW_REG_RDI] = 0x10000;
	e.fr.regs[DW_REG_RSI] = 4;
	e.fr.regs[DW_REG_RSP] = 0x10800;
	e.fr.cfa = 0x10808;
	dw_sb_clear(&e.sb);
	ck_assert_int_eq(dw_info_args(e.s, &e.t, &e.fr, &e.sb, e.err, sizeof e.err), 0);
	ck_assert_str_eq(e.sb.buf, "v = 0x10000\nn = 4\n");
	EXPECT_PRINT(&e, "*v@n", 0, "{3, 1, 4, 1}");
	EXPECT_PRINT(&e, "v[2] * n", 0, "16");
	/* a pc inside a variable's scope that its list does not cover: the
	 * value is <optimized out> rather than a guess (s, i or the block's
	 * variables are not live everywhere at -O2) */
	uint64_t gap = 0;
	const char *gname = NULL;
	for (size_t k = 0; k < e.s->objs[0]->ndies && !gap; k++) {
		struct dw_die *d = e.s->objs[0]->dies[k], *sc = d->parent;
		if (d->tag != DW_TAG_variable || d->loc.kind != 2 || !d->name || !sc)
			continue;
		struct dw_die *f = sc;
		while (f && f->tag != DW_TAG_subprogram) f = f->parent;
		if (f != fn)
			continue;
		/* all of walk: its hot part and, with gcc, walk.cold */
		for (int r = 0; r < (fn->nranges ? fn->nranges : 1) && !gap; r++) {
			uint64_t rlo = fn->nranges ? fn->ranges[r][0] : lo, rhi = fn->nranges ? fn->ranges[r][1] : hi;
			for (uint64_t pc = rlo; pc < rhi && !gap; pc++)
				if (dw_die_has_pc(sc, pc) && !dw_loc_at(&d->loc, pc)) {
					gap = pc;
					gname = d->name;
				}
		}
	}
	ck_assert_msg(gap, "no variable of walk has a hole in its location list");
	e.fr.pc = e.fr.regs[DW_REG_RIP] = gap;
	EXPECT_PRINT(&e, gname, 0, "<optimized out>");
	char ex[64];
	snprintf(ex, sizeof ex, "%s + 1", gname);
	expect_error(&e, ex, "value has been optimized out");
	close_env(&e);
}
END_TEST

/* Range lists: gcc splits walk into a hot part and walk.cold (a
 * DW_AT_ranges subprogram) and puts main in .text.startup (CU ranges);
 * clang's blocks use DW_FORM_rnglistx. */
START_TEST(test_dw5_rnglists)
{
	struct env e;
	if (_i == 2 || open_dw5(&e, _i) < 0) return;
	struct dw_obj *o = e.s->objs[0];
	int ranged = 0;
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		for (int k = 0; k < d->nranges; k++) {
			ck_assert(d->ranges[k][0] < d->ranges[k][1]);
			ranged++;
			/* every range start maps to a line of the fixture */
			struct dw_line ln;
			ck_assert_int_eq(dw_line_for_pc(e.s, d->ranges[k][0], &ln), 0);
			ck_assert_ptr_nonnull(strstr(ln.file, "dw5.c"));
		}
	}
	ck_assert_int_gt(ranged, 1);
	const char *name;
	uint64_t lo, hi, a;
	struct dw_line ln;
	ck_assert_int_eq(dw_resolve_location(e.s, "main", &a, e.err, sizeof e.err), 0);
	ck_assert_int_eq(dw_func_for_pc(e.s, a, &name, &lo, &hi), 0);
	ck_assert_str_eq(name, "main");
	ck_assert_int_eq(dw_line_for_pc(e.s, a, &ln), 0);
	ck_assert_int_ge(ln.line, 53);
	if (_i == 0) {
		uint64_t cold;
		ck_assert_int_eq(dw_symbol_addr(e.s, "walk.cold", &cold), 0);
		ck_assert_int_eq(dw_func_for_pc(e.s, cold, &name, &lo, &hi), 0);
		ck_assert_str_eq(name, "walk");
		ck_assert_int_eq(dw_line_for_pc(e.s, cold, &ln), 0);
		ck_assert(ln.line >= 40 && ln.line <= 51);
		struct dw_die *fn = dw_func_at(o, cold);
		ck_assert_int_ge(fn->nranges, 2);
		/* the cold part's variables are found through the same DIE */
		e.fr.pc = e.fr.regs[DW_REG_RIP] = cold;
		dw_sb_clear(&e.sb);
		ck_assert_int_eq(dw_ptype(e.s, &e.t, &e.fr, "v", 1, &e.sb, e.err, sizeof e.err), 0);
		ck_assert_str_eq(e.sb.buf, "type = const int *\n");
	}
	close_env(&e);
}
END_TEST

/* Tail calls: main calls hop, which jumps to leaf.  From main's call site
 * the chain to leaf goes through hop (gcc: DW_AT_call_tail_call with a
 * return address); clang's jump has no return address, so, as in gdb,
 * no chain. */
START_TEST(test_dw5_tailcall)
{
	struct env e;
	if (_i == 2 || open_dw5(&e, _i) < 0) return;
	struct dw_obj *o = e.s->objs[0];
	uint64_t leaf, hop, ret = 0;
	ck_assert_int_eq(dw_symbol_addr(e.s, "leaf", &leaf), 0);
	ck_assert_int_eq(dw_symbol_addr(e.s, "hop", &hop), 0);
	ck_assert_int_eq(dw_func_entry(e.s, leaf + 1), leaf);
	/* main's call of hop: its return address is the caller frame's pc */
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		struct dw_die *co = d->call_origin ? d->call_origin : d->origin;
		if (d->tag == DW_TAG_call_site && co && co->name && !strcmp(co->name, "hop"))
			ret = d->call_return_pc;
	}
	ck_assert_msg(ret, "no call site for hop in main");
	struct dw_frame caller = e.fr, chain[4];
	caller.pc = caller.regs[DW_REG_RIP] = ret;
	caller.phys = 1;
	int n = dw_tail_chain(e.s, &e.t, leaf, &caller, chain, 4);
	ck_assert_int_eq(n, _i == 0 ? 1 : 0);
	if (n) {
		const char *name;
		uint64_t lo, hi;
		ck_assert_int_eq(dw_func_for_pc(e.s, chain[0].pc - 1, &name, &lo, &hi), 0);
		ck_assert_str_eq(name, "hop");
		ck_assert_int_eq(chain[0].tailcall, 1);
		ck_assert_int_eq(chain[0].regs[DW_REG_RIP], ret);	/* the caller's pc */
		/* the frame above the tail-call frame is main again */
		struct dw_frame up;
		ck_assert_int_eq(dw_frame_prev(e.s, &e.t, &chain[0], &up), 0);
		ck_assert_int_eq(up.pc, ret);
		ck_assert_int_eq(up.tailcall, 0);
	}
	/* finish from leaf, or from hop's frame, returns to main: the list
	 * leaf (2 inlined levels, say), hop (tail call), main */
	struct dw_frame list[5];
	memset(list, 0, sizeof list);
	list[0].phys = list[1].phys = 0;
	list[1].inline_depth = 1;
	list[2].phys = 1; list[2].tailcall = 1;
	list[3].phys = 1; list[4].phys = 2;
	ck_assert_int_eq(dw_frame_return_index(list, 5, 0), 3);
	ck_assert_int_eq(dw_frame_return_index(list, 5, 1), 3);
	ck_assert_int_eq(dw_frame_return_index(list, 5, 2), 3);
	ck_assert_int_eq(dw_frame_return_index(list, 5, 3), 4);
	ck_assert_int_eq(dw_frame_return_index(list, 5, 4), -1);
	/* a direct call makes no chain; nothing calls itself by jumps here */
	ck_assert_int_eq(dw_tail_chain(e.s, &e.t, hop, &caller, chain, 4), 0);
	ck_assert_int_eq(dw_self_tailcall(e.s, hop), 0);
	close_env(&e);
}
END_TEST

/* ---- separate debug files: build-id, debug link, libc6-dbg ---- */

/* An object with its DWARF moved out: symbols and code stay, lines,
 * variables and types come from the debug file when it is found. */
static void check_split(const char *obj, const char *dbgdir, int found)
{
	struct dw_session *s;
	char err[256];
	ck_assert_int_eq(dw_session_new(&s, err, sizeof err), 0);
	dw_set_debug_dir(s, dbgdir);
	ck_assert_msg(dw_add_object(s, obj, 0, err, sizeof err) == 0, "%s", err);
	uint64_t a;
	ck_assert_int_eq(dw_symbol_addr(s, "fact", &a), 0);	/* .symtab kept */
	int rc = dw_resolve_location(s, "dw_fix.c:58", &a, err, sizeof err);
	struct dw_sb sb;
	dw_sb_init(&sb);
	struct dw_frame fr = { 0 };
	struct fake fk = { 0 };
	struct dw_target t = { &fk, fake_mem, fake_reg };
	if (found) {
		ck_assert_msg(rc == 0, "%s: %s", obj, err);
		struct dw_line ln;
		ck_assert_int_eq(dw_line_for_pc(s, a, &ln), 0);
		ck_assert_int_eq(ln.line, 58);
		ck_assert_int_eq(dw_ptype(s, &t, &fr, "struct point", 0, &sb, err, sizeof err), 0);
		ck_assert_str_eq(sb.buf, "type = struct point {\n    int x;\n    int y;\n}\n");
		ck_assert_ptr_nonnull(s->objs[0]->dbgpath);
	} else {
		ck_assert_int_lt(rc, 0);
		ck_assert_int_lt(dw_ptype(s, &t, &fr, "struct point", 0, &sb, err, sizeof err), 0);
		ck_assert_ptr_null(s->objs[0]->dbgpath);
	}
	dw_sb_free(&sb);
	dw_session_free(s);
}

START_TEST(test_separate_debug)
{
	if (!have[0]) return;
	char cmd[2048];
	/* build-id: DIR/.build-id/xx/rest.debug; debug link: next to the object */
	snprintf(cmd, sizeof cmd,
		 "set -e; cd %s; cp fix-gcc-O0 sep-id; objcopy --only-keep-debug sep-id sep-id.debug; "
		 "objcopy --strip-debug sep-id; id=$(readelf -n sep-id | sed -n 's/.*Build ID: //p'); "
		 "test -n \"$id\"; mkdir -p dbg/.build-id/${id%%${id#??}}; mv sep-id.debug dbg/.build-id/${id%%${id#??}}/${id#??}.debug; "
		 "cp fix-gcc-O0 sep-link; objcopy --only-keep-debug sep-link sep-link.dbg; "
		 "objcopy --strip-debug --add-gnu-debuglink=sep-link.dbg sep-link", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	char obj[512], dir[512];
	snprintf(obj, sizeof obj, "%s/sep-id", tmpdir);
	snprintf(dir, sizeof dir, "%s/dbg", tmpdir);
	check_split(obj, dir, 1);
	check_split(obj, "", 0);
	check_split(obj, "/nonexistent", 0);
	snprintf(obj, sizeof obj, "%s/sep-link", tmpdir);
	check_split(obj, "/nonexistent", 1);
	check_split(obj, "", 0);
}
END_TEST

/* The installed libc with libc6-dbg: function names, lines and types from
 * /usr/lib/debug/.build-id (skipped when libc6-dbg is not installed). */
START_TEST(test_libc_debug)
{
	const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	char cmd[512], id[128] = "";
	snprintf(cmd, sizeof cmd, "readelf -n %s 2>/dev/null | sed -n 's/.*Build ID: //p'", libc);
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	if (!fgets(id, sizeof id, f)) id[0] = 0;
	pclose(f);
	id[strcspn(id, "\n")] = 0;
	char dbg[512];
	snprintf(dbg, sizeof dbg, "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
	if (!id[0] || access(dbg, R_OK) != 0) {
		fprintf(stderr, "test_dw: libc6-dbg not installed, test_libc_debug skipped\n");
		return;
	}
	struct dw_session *s;
	char err[256];
	const uint64_t bias = 0x7ffff7d00000;	/* any: addresses are relative */
	for (int with = 0; with < 2; with++) {
		ck_assert_int_eq(dw_session_new(&s, err, sizeof err), 0);
		dw_set_debug_dir(s, with ? "/usr/lib/debug" : "");
		ck_assert_msg(dw_add_object(s, libc, bias, err, sizeof err) == 0, "%s", err);
		uint64_t a, lo, hi;
		ck_assert_int_eq(dw_symbol_addr(s, "qsort_r", &a), 0);
		const char *name = NULL;
		struct dw_line ln;
		int rc = dw_func_for_pc(s, a + 4, &name, &lo, &hi);
		if (with) {
			ck_assert_str_eq(s->objs[0]->dbgpath, dbg);
			ck_assert_int_eq(rc, 0);
			ck_assert_ptr_nonnull(strstr(name, "qsort_r"));
			ck_assert(lo <= a + 4 && a + 4 < hi);
			ck_assert_int_eq(dw_line_for_pc(s, a + 4, &ln), 0);
			ck_assert_ptr_nonnull(strstr(ln.file, "msort.c"));
			/* a static function only the debug file's .symtab names */
			ck_assert_int_eq(dw_symbol_addr(s, "msort_with_tmp.part.0", &a), 0);
			ck_assert_int_eq(dw_func_for_pc(s, a, &name, &lo, &hi), 0);
			ck_assert_str_eq(name, "msort_with_tmp");
		} else {
			/* .dynsym only: a name from the symbol, no line, no statics */
			ck_assert_int_eq(rc, 0);
			ck_assert_str_eq(name, "qsort_r");
			ck_assert_int_lt(dw_line_for_pc(s, a + 4, &ln), 0);
			ck_assert_int_lt(dw_symbol_addr(s, "msort_with_tmp.part.0", &a), 0);
		}
		dw_session_free(s);
	}
}
END_TEST

/* ---- unwinding with CFI, from .eh_frame and from .debug_frame ---- */

START_TEST(test_cfi)
{
	struct env e;
	char path[512];
	memset(&e, 0, sizeof e);
	if (_i == 0 && open_flavour(&e, 0) < 0) return;
	if (_i == 1) {
		ck_assert_int_ge(have_dbgframe, 0);
		if (!have_dbgframe) return;
		snprintf(path, sizeof path, "%s/fix-dbgframe", tmpdir);
		open_path(&e, path);
	}
	struct dw_obj *o = e.s->objs[0];
	ck_assert(_i == 0 ? o->eh_frame != NULL && !o->debug_frame : o->debug_frame != NULL);
	uint64_t a;
	ck_assert_int_eq(dw_symbol_addr(e.s, "fact", &a), 0);
	/* rbp 0 turns the frame-pointer fallback off: only CFI can unwind */
	uint64_t ra = 0x4321, saved_rbp = 0x5555;
	memcpy(e.fk.scratch + 0x100, &ra, 8);
	e.fk.regs[DW_REG_RSP] = 0x10100;
	e.fk.regs[DW_REG_RIP] = a;	/* entry: CFA = rsp + 8, ra at [rsp] */
	struct dw_frame fr[4];
	int n;
	ck_assert_int_eq(dw_unwind(e.s, &e.t, fr, 2, &n, e.err, sizeof e.err), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(fr[0].cfa, 0x10108);
	ck_assert_int_eq(fr[1].pc, ra);
	ck_assert_int_eq(fr[1].regs[DW_REG_RSP], 0x10108);
	/* after "push %rbp" (possibly behind endbr64): CFA = rsp + 16 and the
	 * caller's rbp is saved below the return address */
	uint8_t code[8];
	memcpy(code, e.fk.img + (a - e.fk.img_lo), sizeof code);
	int k = code[0] == 0xf3 && code[1] == 0x0f ? 4 : 0;
	ck_assert_int_eq(code[k], 0x55);
	memcpy(e.fk.scratch + 0x100, &saved_rbp, 8);
	memcpy(e.fk.scratch + 0x108, &ra, 8);
	e.fk.regs[DW_REG_RIP] = a + k + 1;
	ck_assert_int_eq(dw_unwind(e.s, &e.t, fr, 2, &n, e.err, sizeof e.err), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(fr[0].cfa, 0x10110);
	ck_assert_int_eq(fr[1].pc, ra);
	ck_assert_int_eq(fr[1].regs[DW_REG_RBP], saved_rbp);
	ck_assert(fr[1].valid & (1u << DW_REG_RBP));
	close_env(&e);
}
END_TEST

/* ---- location expressions, op by op, on fake registers and memory ---- */

#define OP(a, ...) { .atom = (a), __VA_ARGS__ }
struct loc_case {
	const char *type;	/* a type of the fixture */
	struct dw_op ops[8];
	int nops;
	const char *want;	/* gdb's text of the value */
};

START_TEST(test_loc_ops)
{
	struct env e;
	if (open_flavour(&e, 0) < 0) return;
	static uint8_t implicit[4] = { 0x2a, 0, 0, 0 }, entry_rdi[1] = { DW_OP_reg5 };
	int32_t mem[4] = { -4, 77, 0x01020304, 0 };
	memcpy(e.fk.scratch + 0x40, mem, sizeof mem);
	uint64_t a_counter;
	ck_assert_int_eq(dw_symbol_addr(e.s, "g_counter", &a_counter), 0);
	e.fr.regs[DW_REG_RAX] = 0x100000011ULL;
	e.fr.regs[DW_REG_RDX] = 7;
	e.fr.regs[DW_REG_RCX] = 0x10040;
	e.fr.regs[DW_REG_RSP] = 0x10000;
	e.fr.cfa = 0x10048;
	e.fr.pc = 0x10;
	const struct loc_case cases[] = {
		{ "int", { OP(DW_OP_regx, .op1 = 1) }, 1, "7" },			/* register */
		{ "int", { OP(DW_OP_breg7, .op1 = 0x44) }, 1, "77" },		/* memory at rsp+off */
		{ "int", { OP(DW_OP_bregx, .op1 = 2, .op2 = 4) }, 1, "77" },
		{ "int", { OP(DW_OP_call_frame_cfa) }, 1, "16909060" },		/* cfa = 0x10048 */
		{ "int", { OP(DW_OP_addr, .op1 = 0) }, 1, NULL },			/* see below */
		{ "int", { OP(DW_OP_lit5), OP(DW_OP_lit7), OP(DW_OP_plus), OP(DW_OP_stack_value) }, 4, "12" },
		{ "int", { OP(DW_OP_const1s, .op1 = (uint64_t)-3), OP(DW_OP_lit2), OP(DW_OP_mul),
			   OP(DW_OP_neg), OP(DW_OP_stack_value) }, 5, "6" },
		{ "int", { OP(DW_OP_breg2, .op1 = 4), OP(DW_OP_deref_size, .op1 = 1), OP(DW_OP_stack_value) }, 3, "77" },
		{ "int", { OP(DW_OP_implicit_value, .op1 = 4, .block = implicit) }, 1, "42" },
		/* x in a register, y in memory */
		{ "struct point", { OP(DW_OP_reg0), OP(DW_OP_piece, .op1 = 4), OP(DW_OP_breg2, .op1 = 4),
				    OP(DW_OP_piece, .op1 = 4) }, 4, "{x = 17, y = 77}" },
		/* x has no location at all */
		{ "struct point", { OP(DW_OP_piece, .op1 = 4), OP(DW_OP_reg1), OP(DW_OP_piece, .op1 = 4) }, 3,
		  "{x = <optimized out>, y = 7}" },
		{ "struct point", { OP(DW_OP_piece, .op1 = 4), OP(DW_OP_piece, .op1 = 4) }, 2, "<optimized out>" },
		/* bit pieces: 1 | 2 << 4 */
		{ "int", { OP(DW_OP_lit1), OP(DW_OP_stack_value), OP(DW_OP_bit_piece, .op1 = 4),
			   OP(DW_OP_lit2), OP(DW_OP_stack_value), OP(DW_OP_bit_piece, .op1 = 28) }, 6, "33" },
		/* branches: byte offsets lit3@0 lit1@1 bra@2 lit9@5 stack_value@6 */
		{ "int", { OP(DW_OP_lit3, .off = 0), OP(DW_OP_lit1, .off = 1), OP(DW_OP_bra, .op1 = 1, .off = 2),
			   OP(DW_OP_lit9, .off = 5), OP(DW_OP_stack_value, .off = 6) }, 5, "3" },
		{ "int", { OP(DW_OP_lit3, .off = 0), OP(DW_OP_lit0, .off = 1), OP(DW_OP_bra, .op1 = 1, .off = 2),
			   OP(DW_OP_lit9, .off = 5), OP(DW_OP_stack_value, .off = 6) }, 5, "9" },
		/* an entry value with no caller to ask: gdb's <optimized out> */
		{ "int", { OP(DW_OP_entry_value, .op1 = 1, .block = entry_rdi), OP(DW_OP_stack_value) }, 2,
		  "<optimized out>" },
		{ "int", { OP(DW_OP_reg5), OP(DW_OP_piece, .op1 = 2) }, 2, NULL },	/* rdi invalid: below */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct loc_case *lc = &cases[i];
		struct dw_op ops[8];
		memcpy(ops, lc->ops, sizeof ops);
		if (ops[0].atom == DW_OP_addr)
			ops[0].op1 = a_counter;	/* a global: no load bias in the file image */
		struct dw_frame fr = e.fr;
		if (i == sizeof cases / sizeof cases[0] - 1)
			fr.valid &= ~(1u << DW_REG_RDI);
		struct dw_expr x = { lc->nops, ops };
		struct dw_ctx c;
		dw_ctx_init(&c, e.s, &e.t, &fr, NULL);
		struct dw_die *ty = !strncmp(lc->type, "struct ", 7)
			? dw_find_type(e.s, &c, DW_TAG_structure_type, lc->type + 7) : dw_base_type(e.s, lc->type);
		ck_assert_ptr_nonnull(ty);
		struct dw_value v;
		memset(&v, 0, sizeof v);
		ck_assert_msg(dw_loc_eval(&c, &x, &v, ty, e.err, sizeof e.err) == 0, "case %zu: %s", i, e.err);
		ck_assert_int_eq(dw_value_fetch(&e.t, &v), 0);
		dw_sb_clear(&e.sb);
		dw_value_format(e.s, &e.t, &e.sb, &v, 0, 1);
		const char *want = lc->want ? lc->want : ops[0].atom == DW_OP_addr ? "42" : "<optimized out>";
		ck_assert_msg(!strcmp(e.sb.buf, want), "case %zu: got [%s] want [%s]", i, e.sb.buf, want);
		dw_value_free(&v);
	}
	close_env(&e);
}
END_TEST

/* ---- white box: loclists and rnglists at -O2, entry values ---- */

START_TEST(test_loclists_rnglists)
{
	struct env e;
	if (open_flavour(&e, 1) < 0) return;
	struct dw_obj *o = e.s->objs[0];
	int lists = 0, ranged = 0, entry = 0;
	for (size_t i = 0; i < o->ndies; i++) {
		struct dw_die *d = o->dies[i];
		if ((d->tag == DW_TAG_variable || d->tag == DW_TAG_formal_parameter) && d->loc.kind == 2) {
			lists++;
			for (int k = 0; k < d->loc.n; k++) {
				ck_assert(d->loc.ents[k].lo < d->loc.ents[k].hi);
				ck_assert_int_gt(d->loc.ents[k].e.nops, 0);
				for (int j = 0; j < d->loc.ents[k].e.nops; j++)
					if (d->loc.ents[k].e.ops[j].atom == DW_OP_entry_value)
						entry += d->loc.ents[k].e.ops[j].block != NULL;
			}
			/* every entry lies inside the enclosing function */
			struct dw_die *fn = d->parent;
			while (fn && fn->tag != DW_TAG_subprogram) fn = fn->parent;
			if (fn && fn->has_pc)
				for (int k = 0; k < d->loc.n; k++)
					ck_assert(dw_die_has_pc(fn, d->loc.ents[k].lo));
		}
		if (d->nranges) {
			ranged++;
			for (int k = 0; k < d->nranges; k++) {
				ck_assert(d->ranges[k][0] < d->ranges[k][1]);
				ck_assert(dw_die_has_pc(d, d->ranges[k][0]));
			}
		}
	}
	ck_assert_int_gt(lists, 3);
	ck_assert_int_gt(ranged, 0);
	ck_assert_int_gt(entry, 0);
	close_env(&e);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dwarf");
	TCase *tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, build_all, cleanup);
	tcase_add_loop_test(tc, test_line_both_ways, 0, NFLAV);
	tcase_add_loop_test(tc, test_function_lookup, 0, NFLAV);
	tcase_add_loop_test(tc, test_line_ranges, 0, NFLAV);
	tcase_add_loop_test(tc, test_types_ptype, 0, NFLAV);
	tcase_add_loop_test(tc, test_values, 0, NFLAV);
	tcase_add_test(tc, test_expr_fake_memory);
	tcase_add_loop_test(tc, test_lazy_lvalues, 0, NFLAV);
	tcase_add_test(tc, test_output_no_history);
	tcase_add_test(tc, test_separate_debug);
	tcase_add_loop_test(tc, test_cfi, 0, 2);
	tcase_add_test(tc, test_loc_ops);
	tcase_add_test(tc, test_libc_debug);
	tcase_add_loop_test(tc, test_dw5_forms, 0, NFLAV5);
	tcase_add_loop_test(tc, test_dw5_bitfields, 0, NFLAV5);
	tcase_add_loop_test(tc, test_dw5_loclists, 0, NFLAV5);
	tcase_add_loop_test(tc, test_dw5_rnglists, 0, NFLAV5);
	tcase_add_loop_test(tc, test_dw5_tailcall, 0, NFLAV5);
	tcase_add_test(tc, test_examine_and_disasm);
	tcase_add_test(tc, test_loclists_rnglists);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
