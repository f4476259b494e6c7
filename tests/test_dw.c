/* test_dw.c — unit tests of dwarf/ (Check).  Fixtures from
 * tests/fixtures/dw/ are compiled at test time in four flavours (gcc -O0,
 * gcc -O2, clang -O0, gcc -O0 -gdwarf-4) and read without running them:
 * the fake target serves the file's PT_LOAD image (globals keep their
 * initial values) plus a scratch byte array, so the expression evaluator
 * and the printer run on known memory. */
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
static int have[NFLAV];

static void build_all(void)
{
	const char *src = getenv("top_srcdir");
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_dw.XXXXXX");
	if (!mkdtemp(tmpdir))
		abort();
	for (int i = 0; i < NFLAV; i++) {
		char cmd[2048];
		snprintf(cmd, sizeof cmd, "%s -o %s/fix-%s %s/tests/fixtures/dw/dw_fix.c 2>/dev/null",
			 flavours[i][1], tmpdir, flavours[i][0], src ? src : ".");
		have[i] = system(cmd) == 0;
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
};

static int fake_mem(void *ctx, uint64_t a, void *buf, size_t len)
{
	struct fake *f = ctx;
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

static int open_flavour(struct env *e, int i)
{
	memset(e, 0, sizeof *e);
	if (!have[i])
		return -1;
	char path[512];
	snprintf(path, sizeof path, "%s/fix-%s", tmpdir, flavours[i][0]);
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
