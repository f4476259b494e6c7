/*
 * gdb_target_xml.c — what an x86-64 Linux thread looks like to gdb: the
 * target description gdb reads over qXfer:features:read, the register table
 * that gives the 'g' packet its layout, and the conversion from ptrace's
 * register structs to that layout.
 *
 * The description carries gdb's standard features (org.gnu.gdb.i386.core,
 * .sse, .linux, .segments) so that gdb's amd64 code recognises every
 * register by name; the 'g' layout follows from the order of the <reg>
 * elements below, so the table and the XML must change together (the tests
 * check that they agree).
 */
#include "cmds/gdb_server.h"

#include <string.h>

/* Name, size and offset in the 'g' layout; the offsets are the running sum
 * of the sizes (test_gdbrsp checks this, and that the XML agrees). */
const struct gdb_reg_desc gdb_reg_table[GDB_NREGS] = {
	{ "rax", 8, 0 },
	{ "rbx", 8, 8 },
	{ "rcx", 8, 16 },
	{ "rdx", 8, 24 },
	{ "rsi", 8, 32 },
	{ "rdi", 8, 40 },
	{ "rbp", 8, 48 },
	{ "rsp", 8, 56 },
	{ "r8", 8, 64 },
	{ "r9", 8, 72 },
	{ "r10", 8, 80 },
	{ "r11", 8, 88 },
	{ "r12", 8, 96 },
	{ "r13", 8, 104 },
	{ "r14", 8, 112 },
	{ "r15", 8, 120 },
	{ "rip", 8, 128 },
	{ "eflags", 4, 136 },
	{ "cs", 4, 140 },
	{ "ss", 4, 144 },
	{ "ds", 4, 148 },
	{ "es", 4, 152 },
	{ "fs", 4, 156 },
	{ "gs", 4, 160 },
	{ "st0", 10, 164 },
	{ "st1", 10, 174 },
	{ "st2", 10, 184 },
	{ "st3", 10, 194 },
	{ "st4", 10, 204 },
	{ "st5", 10, 214 },
	{ "st6", 10, 224 },
	{ "st7", 10, 234 },
	{ "fctrl", 4, 244 },
	{ "fstat", 4, 248 },
	{ "ftag", 4, 252 },
	{ "fiseg", 4, 256 },
	{ "fioff", 4, 260 },
	{ "foseg", 4, 264 },
	{ "fooff", 4, 268 },
	{ "fop", 4, 272 },
	{ "xmm0", 16, 276 },
	{ "xmm1", 16, 292 },
	{ "xmm2", 16, 308 },
	{ "xmm3", 16, 324 },
	{ "xmm4", 16, 340 },
	{ "xmm5", 16, 356 },
	{ "xmm6", 16, 372 },
	{ "xmm7", 16, 388 },
	{ "xmm8", 16, 404 },
	{ "xmm9", 16, 420 },
	{ "xmm10", 16, 436 },
	{ "xmm11", 16, 452 },
	{ "xmm12", 16, 468 },
	{ "xmm13", 16, 484 },
	{ "xmm14", 16, 500 },
	{ "xmm15", 16, 516 },
	{ "mxcsr", 4, 532 },
	{ "orig_rax", 8, 536 },
	{ "fs_base", 8, 544 },
	{ "gs_base", 8, 552 },
};

int gdb_reg_lookup(const char *name)
{
	for (int i = 0; i < GDB_NREGS; i++)
		if (strcmp(gdb_reg_table[i].name, name) == 0)
			return i;
	return -1;
}

void gdb_regs_clear(struct gdb_regs *r)
{
	memset(r, 0, sizeof *r);
}

void gdb_regs_set(struct gdb_regs *r, int regno, const void *val, size_t size)
{
	if (regno < 0 || regno >= GDB_NREGS)
		return;
	size_t n = size < gdb_reg_table[regno].size ? size : gdb_reg_table[regno].size;
	memset(r->bytes + gdb_reg_table[regno].offset, 0, gdb_reg_table[regno].size);
	memcpy(r->bytes + gdb_reg_table[regno].offset, val, n);
	r->avail[regno] = true;
}

void gdb_regs_set_u64(struct gdb_regs *r, int regno, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));	/* little-endian, whatever the host */
	gdb_regs_set(r, regno, b, sizeof b);
}

/* The full x87 tag of one 80-bit register, as gdb's i387_tag computes it:
 * 0 valid, 1 zero, 2 special. */
static unsigned x87_tag(const uint8_t *raw)
{
	unsigned exponent = (unsigned)(raw[9] & 0x7f) << 8 | raw[8];
	int integer = raw[7] & 0x80;
	uint32_t frac0 = (uint32_t)raw[3] << 24 | raw[2] << 16 | raw[1] << 8 | raw[0];
	uint32_t frac1 = (uint32_t)(raw[7] & 0x7f) << 24 | raw[6] << 16 | raw[5] << 8 | raw[4];

	if (exponent == 0x7fff)
		return 2;
	if (exponent == 0)
		return (frac0 == 0 && frac1 == 0 && !integer) ? 1 : 2;
	return integer ? 0 : 2;
}

void gdb_regs_from_user(struct gdb_regs *r, const struct user_regs_struct *u,
			const struct user_fpregs_struct *fp)
{
	const unsigned long long gp[] = {
		u->rax, u->rbx, u->rcx, u->rdx, u->rsi, u->rdi, u->rbp, u->rsp,
		u->r8, u->r9, u->r10, u->r11, u->r12, u->r13, u->r14, u->r15,
		u->rip, u->eflags, u->cs, u->ss, u->ds, u->es, u->fs, u->gs,
	};

	gdb_regs_clear(r);
	for (int i = 0; i <= GDB_REG_GS; i++)
		gdb_regs_set_u64(r, i, gp[i]);
	gdb_regs_set_u64(r, GDB_REG_ORIG_RAX, u->orig_rax);
	gdb_regs_set_u64(r, GDB_REG_FS_BASE, u->fs_base);
	gdb_regs_set_u64(r, GDB_REG_GS_BASE, u->gs_base);
	if (!fp)
		return;

	/* FXSAVE keeps ST(i) in stack order, 16 bytes apart. */
	const uint8_t *st = (const uint8_t *)fp->st_space;
	for (int i = 0; i < 8; i++)
		gdb_regs_set(r, GDB_REG_ST0 + i, st + 16 * i, 10);
	/* FXSAVE's tag is abridged (one bit per physical register); gdb shows
	 * the full two-bit tag, recomputed from the values as gdb does. */
	unsigned top = (fp->swd >> 11) & 7, ftag = 0;
	for (int phys = 7; phys >= 0; phys--) {
		unsigned tag = 3;
		if (fp->ftw & (1u << phys))
			tag = x87_tag(st + 16 * ((phys + 8 - top) % 8));
		ftag |= tag << (2 * phys);
	}
	gdb_regs_set_u64(r, GDB_REG_FCTRL, fp->cwd);
	gdb_regs_set_u64(r, GDB_REG_FSTAT, fp->swd);
	gdb_regs_set_u64(r, GDB_REG_FTAG, ftag);
	gdb_regs_set_u64(r, GDB_REG_FISEG, (fp->rip >> 32) & 0xffff);
	gdb_regs_set_u64(r, GDB_REG_FIOFF, fp->rip & 0xffffffff);
	gdb_regs_set_u64(r, GDB_REG_FOSEG, (fp->rdp >> 32) & 0xffff);
	gdb_regs_set_u64(r, GDB_REG_FOOFF, fp->rdp & 0xffffffff);
	gdb_regs_set_u64(r, GDB_REG_FOP, fp->fop & 0x7ff);
	for (int i = 0; i < 16; i++)
		gdb_regs_set(r, GDB_REG_XMM0 + i, (const uint8_t *)fp->xmm_space + 16 * i, 16);
	gdb_regs_set_u64(r, GDB_REG_MXCSR, fp->mxcsr);
}

/* gdb's features/i386/64bit-{core,sse,linux,segments}.xml, inlined into one
 * document so that gdb needs a single qXfer annex. */
const char gdb_target_xml[] =
"<?xml version=\"1.0\"?>\n"
"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
"<target version=\"1.0\">\n"
"<architecture>i386:x86-64</architecture>\n"
"<osabi>GNU/Linux</osabi>\n"
"<feature name=\"org.gnu.gdb.i386.core\">\n"
"<flags id=\"i386_eflags\" size=\"4\">\n"
"<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>\n"
"<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>\n"
"<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>\n"
"<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>\n"
"<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>\n"
"<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>\n"
"<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>\n"
"<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>\n"
"<field name=\"ID\" start=\"21\" end=\"21\"/>\n"
"</flags>\n"
"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n"
"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.sse\">\n"
"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
"<union id=\"vec128\">\n"
"<field name=\"v4_float\" type=\"v4f\"/>\n"
"<field name=\"v2_double\" type=\"v2d\"/>\n"
"<field name=\"v16_int8\" type=\"v16i8\"/>\n"
"<field name=\"v8_int16\" type=\"v8i16\"/>\n"
"<field name=\"v4_int32\" type=\"v4i32\"/>\n"
"<field name=\"v2_int64\" type=\"v2i64\"/>\n"
"<field name=\"uint128\" type=\"uint128\"/>\n"
"</union>\n"
"<flags id=\"i386_mxcsr\" size=\"4\">\n"
"<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>\n"
"<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>\n"
"<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>\n"
"<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>\n"
"<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>\n"
"<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>\n"
"<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
"</flags>\n"
"<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.linux\">\n"
"<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.segments\">\n"
"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>\n"
"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
"</feature>\n"
"</target>\n";

const size_t gdb_target_xml_len = sizeof gdb_target_xml - 1;
