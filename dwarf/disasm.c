/* disasm.c — capstone disassembly printed the way gdb (objdump) prints
 * AT&T syntax: "mov    -0x18(%rbp),%rax", call/jump targets and
 * rip-relative operands symbolized.  An undecodable byte is shown as
 * ".byte 0x.." and decoding resumes at the next byte. */
#include "dwarf/dw_int.h"
#include <capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static csh handle(struct dw_session *s)
{
	if (!s->cs) {
		csh *h = dw_xcalloc(1, sizeof *h);
		if (cs_open(CS_ARCH_X86, CS_MODE_64, h) != CS_ERR_OK) {
			free(h);
			return 0;
		}
		cs_option(*h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
		cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
		s->cs = h;
	}
	return *(csh *)s->cs;
}

void dw_disasm_close(struct dw_session *s)
{
	if (s->cs) {
		cs_close((csh *)s->cs);
		free(s->cs);
		s->cs = NULL;
	}
}

/* capstone's AT&T spelling → GNU objdump's: no space after commas, and
 * small numbers in hex ("-4(%rbp)" → "-0x4(%rbp)", "$1" → "$0x1"); the
 * scale inside "(base,index,scale)" stays decimal. */
static void gnu_ops(char *dst, size_t n, const char *src)
{
	size_t k = 0;
	int paren = 0, commas = 0;
	for (const char *p = src; *p && k + 24 < n; p++) {
		if (*p == '(') { paren = 1; commas = 0; }
		if (*p == ')') paren = 0;
		if (*p == ',' && p[1] == ' ') { dst[k++] = ','; p++; if (paren) commas++; continue; }
		if (*p == ',' && paren) commas++;
		int start = p == src || strchr("$,( -", p[-1]) != NULL;
		if (start && *p >= '0' && *p <= '9' && !(p[0] == '0' && p[1] == 'x') && !(paren && commas == 2)) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);
			k += snprintf(dst + k, n - k, "0x%lx", v);
			p = end - 1;
			continue;
		}
		dst[k++] = *p;
	}
	dst[k] = 0;
}

int dw_disasm_one(struct dw_session *s, const uint8_t *code, size_t len,
		  uint64_t addr, struct dw_sb *out, size_t *insn_len)
{
	csh h = handle(s);
	cs_insn *insn = NULL;
	size_t cnt = h ? cs_disasm(h, code, len, addr, 1, &insn) : 0;
	if (!cnt) {
		dw_sb_printf(out, "(bad)");
		*insn_len = 1;
		return -1;
	}
	char ops[256], raw[256];
	gnu_ops(raw, sizeof raw, insn->op_str);
	cs_x86 *x = &insn->detail->x86;
	/* objdump spells out a zero displacement that is encoded ("0x0(") and
	 * the scale of an index ("(%rax,%rax,1)") */
	{
		size_t k = 0;
		int mod = (x->modrm >> 6) & 3;
		const cs_x86_op *mem = NULL;
		for (int i = 0; i < x->op_count; i++)
			if (x->operands[i].type == X86_OP_MEM) mem = &x->operands[i];
		for (const char *p = raw; *p && k + 8 < sizeof ops; p++) {
			if (*p == '(' && mem && mem->mem.disp == 0 && (p == raw || p[-1] == ',' || p[-1] == ':') &&
			    mem->mem.base != X86_REG_RIP &&
			    (mod == 1 || mod == 2 || mem->mem.base == X86_REG_INVALID)) {
				k += snprintf(ops + k, sizeof ops - k, "0x0");
			}
			if (*p == ')' && mem && mem->mem.index != X86_REG_INVALID) {
				/* count commas since '(' */
				const char *q = p;
				int commas = 0;
				while (q > raw && *q != '(') { if (*q == ',') commas++; q--; }
				if (commas == 1) k += snprintf(ops + k, sizeof ops - k, ",1");
			}
			ops[k++] = *p;
		}
		ops[k] = 0;
	}
	const char *mn = insn->mnemonic;
	char mbuf[64], pfx[64] = "";
	snprintf(mbuf, sizeof mbuf, "%s", mn);
	int is_branch = cs_insn_group(h, insn, CS_GRP_CALL) || cs_insn_group(h, insn, CS_GRP_JUMP);
	/* padding: "66 90" is xchg %ax,%ax; "66.. 2e 0f 1f" is data16 cs nopw */
	if (insn->size == 2 && code[0] == 0x66 && code[1] == 0x90) {
		dw_sb_printf(out, "xchg   %%ax,%%ax");
		*insn_len = 2;
		cs_free(insn, cnt);
		return 0;
	}
	char *cs = strstr(ops, "%cs:");
	if (cs && !strncmp(mbuf, "nop", 3)) {
		int n66 = 0;
		while (n66 < insn->size && code[n66] == 0x66) n66++;
		int k = 0;
		for (int i = 1; i < n66; i++) k += snprintf(pfx + k, sizeof pfx - k, "data16 ");
		snprintf(pfx + k, sizeof pfx - k, "cs ");
		memmove(cs, cs + 4, strlen(cs + 4) + 1);
	}
	/* objdump omits the size suffix when a general register operand
	 * implies it: use the Intel mnemonic when it is the AT&T one minus a
	 * b/w/l/q suffix */
	int has_gpr = 0;
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG) {
			const char *rn = cs_reg_name(h, x->operands[i].reg);
			if (rn && strncmp(rn, "xmm", 3) && strncmp(rn, "ymm", 3) && strncmp(rn, "zmm", 3) &&
			    strncmp(rn, "st", 2) && strncmp(rn, "mm", 2) && strcmp(rn, "cs") && strcmp(rn, "ds") &&
			    strcmp(rn, "es") && strcmp(rn, "ss") && strcmp(rn, "fs") && strcmp(rn, "gs"))
				has_gpr = 1;
		}
	const char *intel = cs_insn_name(h, insn->id);
	size_t ml = strlen(mbuf);
	if (has_gpr && intel && ml == strlen(intel) + 1 && !strncmp(mbuf, intel, ml - 1) &&
	    strchr("bwlq", mbuf[ml - 1]))
		mbuf[ml - 1] = 0;
	/* movd with a 64-bit general register is movq to objdump */
	if (!strcmp(mbuf, "movd"))
		for (int i = 0; i < x->op_count; i++)
			if (x->operands[i].type == X86_OP_REG && x->operands[i].size == 8 &&
			    cs_reg_name(h, x->operands[i].reg)[0] == 'r')
				snprintf(mbuf, sizeof mbuf, "movq");
	/* objdump (binutils 2.40) has dropped these q suffixes */
	static const char *const rename[][2] = { { "retq", "ret" }, { "callq", "call" },
		{ "jmpq", "jmp" }, { "leaveq", "leave" } };
	for (size_t i = 0; i < sizeof rename / sizeof rename[0]; i++)
		if (!strcmp(mbuf, rename[i][0])) snprintf(mbuf, sizeof mbuf, "%s", rename[i][1]);
	if (*pfx) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%s%s", pfx, mbuf);
		snprintf(mbuf, sizeof mbuf, "%s", tmp);
	}
	if (is_branch && x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
		uint64_t tgt = x->operands[0].imm;
		dw_sb_printf(out, "%-6s 0x%lx", mbuf, (unsigned long)tgt);
		struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, tgt);
		if (sy.len) dw_sb_printf(out, " %s", sy.buf);
		dw_sb_free(&sy);
	} else if (!*ops) {
		dw_sb_printf(out, "%s", mbuf);
	} else {
		dw_sb_printf(out, "%-6s %s", mbuf, ops);
		for (int i = 0; i < x->op_count; i++) {
			if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP) {
				uint64_t a = insn->address + insn->size + x->operands[i].mem.disp;
				dw_sb_printf(out, "        # 0x%lx", (unsigned long)a);
				struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, a);
				if (sy.len) dw_sb_printf(out, " %s", sy.buf);
				dw_sb_free(&sy);
			}
		}
	}
	*insn_len = insn->size;
	cs_free(insn, cnt);
	return 0;
}

int dw_disasm_insn(struct dw_session *s, const struct dw_target *t, uint64_t addr,
		   struct dw_sb *out, size_t *len, uint8_t *bytes)
{
	uint8_t buf[16];
	size_t got = 16;
	while (got > 0 && t->read_mem(t->ctx, addr, buf, got) < 0)
		got--;
	if (!got)
		return -1;
	if (dw_disasm_one(s, buf, got, addr, out, len) < 0) {
		dw_sb_printf(out, ".byte 0x%x", buf[0]);
		*len = 1;
	}
	if (bytes)
		memcpy(bytes, buf, *len);
	return 0;
}

int dw_disasm(struct dw_session *s, const struct dw_target *t, uint64_t addr,
	      int n, uint64_t cur_pc, struct dw_sb *out, uint64_t *next)
{
	for (int i = 0; i < n; i++) {
		uint8_t buf[16];
		size_t got = 16;
		while (got > 0 && t->read_mem(t->ctx, addr, buf, got) < 0)
			got--;
		dw_sb_puts(out, addr == cur_pc ? "=> " : "   ");
		dw_sb_printf(out, "0x%lx", (unsigned long)addr);
		struct dw_sb sy; dw_sb_init(&sy); dw_sb_addr_sym(s, &sy, addr);
		if (sy.len) dw_sb_printf(out, " %s", sy.buf);
		dw_sb_free(&sy);
		dw_sb_puts(out, ":\t");
		if (!got) {
			dw_sb_puts(out, "\n");
			return -1;
		}
		size_t len;
		if (dw_disasm_one(s, buf, got, addr, out, &len) < 0) {
			out->len -= 5;
			out->buf[out->len] = 0;
			dw_sb_printf(out, ".byte 0x%x", buf[0]);
			len = 1;
		}
		dw_sb_puts(out, "\n");
		addr += len;
	}
	if (next)
		*next = addr;
	return 0;
}
