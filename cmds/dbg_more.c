/*
 * dbg_more.c — gdb commands around the core ones: disassemble, the
 * process and thread views (info threads, thread, info inferiors, pwd),
 * source FILE, start and run (a replay restarts), and the clear refusals
 * of what a replay cannot do (call, return, jump, kill).
 *
 * Output follows gdb 13 line for line where gdb has an answer; a replay
 * has one process with one thread, the recorded one.
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- disassemble ----------------------------------------------------------- */

/* One line of a dump: gdb's "=> " on the pc, the address, <+OFF> inside a
 * function dump or <func+OFF> in a range, /r's bytes. */
static int disas_line(struct dbg *d, uint64_t a, uint64_t pc, uint64_t func_lo, int in_func, int raw,
                      uint64_t *next)
{
	struct dw_sb ins;
	size_t len = 0;
	uint8_t bytes[16];
	dw_sb_init(&ins);
	if (dw_disasm_insn(d->dw, &d->target, a, &ins, &len, bytes) < 0) {
		dw_sb_free(&ins);
		return dbg_error(d, "Cannot access memory at address 0x%llx", (unsigned long long)a);
	}
	dbg_printf(d, "%s0x%016llx ", a == pc ? "=> " : "   ", (unsigned long long)a);
	if (in_func) {
		dbg_printf(d, "<+%llu>:\t", (unsigned long long)(a - func_lo));
	} else {
		struct dw_symbol sym;
		if (dw_symbol_for_addr(d->dw, a, &sym) == 0 && sym.name)
			dbg_printf(d, "<%s+%llu>:\t", sym.name, (unsigned long long)(a - sym.addr));
		else
			dbg_puts(d, ":\t");
	}
	if (raw) {
		/* gdb pads the bytes to 19 columns (a 7-byte instruction is wider) */
		char hex[64] = "";
		for (size_t i = 0, n = 0; i < len && n + 4 < sizeof hex; i++)
			n += (size_t)snprintf(hex + n, sizeof hex - n, "%s%02x", i ? " " : "", bytes[i]);
		dbg_printf(d, "%-19s\t", hex);
	}
	dbg_printf(d, "%s\n", ins.buf ? ins.buf : "");
	dw_sb_free(&ins);
	*next = a + len;
	return 0;
}

/* An address argument: an expression in the selected frame (a function
 * name is its address, as in gdb). */
static int disas_addr(struct dbg *d, const char *text, uint64_t *v)
{
	char err[512];
	if (dw_eval_u64(d->dw, &d->target, dbg_sel_frame(d), text, v, err, sizeof err) == 0)
		return 0;
	if (dw_resolve_location(d->dw, text, v, err, sizeof err) == 0) {
		/* a function's entry, not its breakpoint address */
		const char *nm;
		uint64_t lo, hi;
		if (dw_func_for_pc(d->dw, *v, &nm, &lo, &hi) == 0)
			*v = lo;
		return 0;
	}
	return dbg_error(d, "%s", err);
}

/* disassemble [/r] [ADDR | START,END | START,+LEN] */
int dbg_cmd_disassemble(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_disassemble(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	int raw = 0;
	while (*args == '/') {
		args++;
		for (; *args && !isspace((unsigned char)*args); args++) {
			if (*args == 'r')
				raw = 1;
			else if (*args == 'm' || *args == 's')
				return dbg_error(d, "disassemble /%c (with source lines) is not supported; "
				                    "use list and x/i", *args);
			else
				return dbg_error(d, "Invalid disassembly modifier.");
		}
		while (isspace((unsigned char)*args))
			args++;
	}
	struct user_regs_struct r;
	uint64_t pc = dbg_alive(d) && dbg_regs(d, &r) == 0 ? r.rip : 0;
	const struct dw_frame *f = dbg_sel_frame(d);
	char spec[1024];
	snprintf(spec, sizeof spec, "%s", args);
	char *comma = strchr(spec, ',');
	uint64_t lo, hi, next;
	if (comma) {
		*comma = 0;
		char *end = comma + 1;
		while (isspace((unsigned char)*end))
			end++;
		if (disas_addr(d, spec, &lo) < 0)
			return DBG_ERROR;
		if (*end == '+') {
			if (disas_addr(d, end + 1, &hi) < 0)
				return DBG_ERROR;
			hi += lo;
		} else if (disas_addr(d, end, &hi) < 0) {
			return DBG_ERROR;
		}
		dbg_printf(d, "Dump of assembler code from 0x%llx to 0x%llx:\n", (unsigned long long)lo,
		           (unsigned long long)hi);
		for (uint64_t a = lo; a < hi; a = next)
			if (disas_line(d, a, pc, 0, 0, raw, &next) < 0)
				return DBG_ERROR;
		dbg_puts(d, "End of assembler dump.\n");
		return DBG_OK;
	}
	uint64_t at;
	if (spec[0]) {
		if (disas_addr(d, spec, &at) < 0)
			return DBG_ERROR;
	} else if (f) {
		at = f->pc;
	} else {
		return dbg_error(d, "No frame selected.");
	}
	const char *name = NULL;
	if (dw_func_for_pc(d->dw, at, &name, &lo, &hi) < 0) {
		struct dw_symbol sym;
		if (dw_symbol_for_addr(d->dw, at, &sym) < 0 || !sym.name || !sym.size)
			return dbg_error(d, "No function contains specified address.");
		name = sym.name, lo = sym.addr, hi = sym.addr + sym.size;
	}
	dbg_printf(d, "Dump of assembler code for function %s:\n", name);
	for (uint64_t a = lo; a < hi; a = next)
		if (disas_line(d, a, pc, lo, 1, raw, &next) < 0)
			return DBG_ERROR;
	dbg_puts(d, "End of assembler dump.\n");
	return DBG_OK;
}

/* ---- the process and its thread ----------------------------------------------- */

static const char *prog_name(struct dbg *d)
{
	const char *base = strrchr(d->exe, '/');
	return base ? base + 1 : d->exe;
}

int dbg_cmd_info_threads(struct dbg *d);
int dbg_cmd_info_threads(struct dbg *d)
{
	if (!dbg_alive(d)) {
		dbg_puts(d, "No threads.\n");
		return DBG_OK;
	}
	int pid = trace_header(d->trace)->pid;
	char target[64];
	snprintf(target, sizeof target, "process %d \"%.15s\"", pid, prog_name(d));
	dbg_printf(d, "  Id   %-*s Frame \n", (int)strlen(target), "Target Id");
	dbg_printf(d, "* 1    %s ", target);
	if (dbg_load_frames(d) == 0)
		dbg_print_frame_head(d, &d->frames[d->cur_frame], 0);
	else
		dbg_puts(d, "\n");
	return DBG_OK;
}

int dbg_cmd_thread(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_thread(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	if (!dbg_alive(d))
		return dbg_error(d, "No thread selected.");
	int pid = trace_header(d->trace)->pid;
	while (isspace((unsigned char)*args))
		args++;
	if (!*args) {
		dbg_printf(d, "[Current thread is 1 (process %d)]\n", pid);
		return DBG_OK;
	}
	if (strcmp(args, "1") != 0)
		return dbg_error(d, "Invalid thread ID: %s", args);
	dbg_printf(d, "[Switching to thread 1 (process %d)]\n", pid);
	dbg_print_frame(d, d->cur_frame, 2);
	return DBG_OK;
}

int dbg_cmd_info_inferiors(struct dbg *d);
int dbg_cmd_info_inferiors(struct dbg *d)
{
	char desc[64];
	if (dbg_alive(d))
		snprintf(desc, sizeof desc, "process %d", trace_header(d->trace)->pid);
	else
		snprintf(desc, sizeof desc, "<null>");
	dbg_puts(d, "  Num  Description       Connection           Executable        \n");
	dbg_printf(d, "* 1    %-17s %-20s %s \n", desc, dbg_alive(d) ? "1 (replay)" : "", d->exe);
	return DBG_OK;
}

int dbg_cmd_pwd(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_pwd(struct dbg *d, const char *args, int from_tty)
{
	(void)args, (void)from_tty;
	char buf[4096];
	if (!getcwd(buf, sizeof buf))
		return dbg_error(d, "Error finding name of working directory: %s", strerror(errno));
	dbg_printf(d, "Working directory %s.\n", buf);
	return DBG_OK;
}

/* ---- source FILE --------------------------------------------------------------- */

int dbg_cmd_source(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_source(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	while (isspace((unsigned char)*args))
		args++;
	if (!*args)
		return dbg_error(d, "source command requires file name of file to source.");
	FILE *f = fopen(args, "re");
	if (!f)
		return dbg_error(d, "%s: %s.", args, strerror(errno));
	/* As gdb: the commands run as a script's (not typed), and the first
	 * error ends the file. */
	char line[4096];
	int rc = DBG_OK, was = d->from_tty;
	while (rc == DBG_OK && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p && *p != '#')
			rc = dbg_execute_from(d, p, 0);
	}
	fclose(f);
	d->from_tty = was;
	return rc == DBG_QUIT ? DBG_QUIT : rc;
}

/* ---- what a replay cannot do ---------------------------------------------------- */

int dbg_cmd_refuse(struct dbg *d, const char *what);
int dbg_cmd_refuse(struct dbg *d, const char *what)
{
	return dbg_error(d, "%s: the program is a replay of a recording, whose every step is "
	                    "fixed; it cannot be changed (move in time with run, continue, reverse-*).",
	                 what);
}
