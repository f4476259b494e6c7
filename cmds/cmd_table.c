/*
 * cmd_table.c — the one table of debugger commands: names, aliases, group,
 * argument synopsis, help and the function that runs each. `help`, TAB
 * completion and docs/commands.md (`rrtui replay --help-commands`) are all
 * produced from these rows, so the documentation cannot drift from what
 * the console accepts (tests/e2e/dbg_docs.sh checks the file is current).
 *
 * Lookup follows gdb: an exact name or alias first, then a unique prefix
 * of a name ("cont", "disp").
 */
#include "cmds/dbg_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbg_cmd_echo(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_printf(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_when(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_gdbserver(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_disassemble(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_thread(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_pwd(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_source(struct dbg *d, const char *args, int from_tty);
int dbg_cmd_refuse(struct dbg *d, const char *what);
int dbg_cmd_save(struct dbg *d, const char *args, int from_tty);

#define CMD(fn) static int fn(struct dbg *d, const char *a, int t)
#define UNUSED (void)t

CMD(c_continue) { UNUSED; return dbg_cmd_continue(d, a, dbg_dir(d, 0)); }
CMD(c_rcontinue) { UNUSED; return dbg_cmd_continue(d, a, dbg_dir(d, 1)); }
CMD(c_next) { UNUSED; return dbg_cmd_step(d, a, dbg_dir(d, 0), 1); }
CMD(c_rnext) { UNUSED; return dbg_cmd_step(d, a, dbg_dir(d, 1), 1); }
CMD(c_step) { UNUSED; return dbg_cmd_step(d, a, dbg_dir(d, 0), 0); }
CMD(c_rstep) { UNUSED; return dbg_cmd_step(d, a, dbg_dir(d, 1), 0); }
CMD(c_stepi) { UNUSED; return dbg_cmd_stepi(d, a, dbg_dir(d, 0), 0); }
CMD(c_rstepi) { UNUSED; return dbg_cmd_stepi(d, a, dbg_dir(d, 1), 0); }
CMD(c_nexti) { UNUSED; return dbg_cmd_stepi(d, a, dbg_dir(d, 0), 1); }
CMD(c_rnexti) { UNUSED; return dbg_cmd_stepi(d, a, dbg_dir(d, 1), 1); }
CMD(c_finish) { UNUSED; (void)a; return dbg_cmd_finish(d, dbg_dir(d, 0)); }
CMD(c_rfinish) { UNUSED; (void)a; return dbg_cmd_finish(d, dbg_dir(d, 1)); }
CMD(c_until) { UNUSED; return dbg_cmd_until(d, a, dbg_dir(d, 0), 0); }
CMD(c_advance) { UNUSED; return dbg_cmd_until(d, a, dbg_dir(d, 0), 1); }
CMD(c_run) { UNUSED; return dbg_cmd_run_event(d, a); }
CMD(c_break) { UNUSED; return dbg_cmd_break(d, a, 0); }
CMD(c_tbreak) { UNUSED; return dbg_cmd_break(d, a, 1); }
CMD(c_watch) { UNUSED; return dbg_cmd_watch(d, a, 1); }
CMD(c_rwatch) { UNUSED; return dbg_cmd_watch(d, a, 2); }
CMD(c_awatch) { UNUSED; return dbg_cmd_watch(d, a, 3); }
CMD(c_delete) { UNUSED; return dbg_cmd_delete(d, a); }
CMD(c_enable) { UNUSED; return dbg_cmd_enable(d, a, 1); }
CMD(c_disable) { UNUSED; return dbg_cmd_enable(d, a, 0); }
CMD(c_condition) { UNUSED; return dbg_cmd_condition(d, a); }
CMD(c_ignore) { UNUSED; return dbg_cmd_ignore(d, a); }
CMD(c_print) { UNUSED; return dbg_cmd_print(d, a, 0); }
CMD(c_output) { UNUSED; return dbg_cmd_print(d, a, 1); }
CMD(c_ptype) { UNUSED; return dbg_cmd_print(d, a, 3); }
CMD(c_whatis) { UNUSED; return dbg_cmd_print(d, a, 4); }
CMD(c_display) { UNUSED; return dbg_cmd_display(d, a); }
CMD(c_undisplay) { UNUSED; return dbg_cmd_undisplay(d, a); }
CMD(c_x) { UNUSED; return dbg_cmd_x(d, a); }
CMD(c_info) { UNUSED; return dbg_cmd_info(d, a); }
CMD(c_bt) { UNUSED; return dbg_cmd_backtrace(d, a); }
CMD(c_frame) { UNUSED; return dbg_cmd_frame(d, a, 0); }
CMD(c_up) { UNUSED; return dbg_cmd_frame(d, a, 1); }
CMD(c_down) { UNUSED; return dbg_cmd_frame(d, a, -1); }
CMD(c_list) { UNUSED; return dbg_cmd_list(d, a); }
CMD(c_checkpoint) { UNUSED; return dbg_cmd_checkpoint(d, a, 0); }
CMD(c_restart) { UNUSED; return dbg_cmd_checkpoint(d, a, 1); }
CMD(c_quit) { UNUSED; (void)d; (void)a; return DBG_QUIT; }
CMD(c_start) { UNUSED; (void)a; return dbg_cmd_start(d); }
CMD(c_call) { UNUSED; (void)a; return dbg_cmd_refuse(d, "call"); }
CMD(c_return) { UNUSED; (void)a; return dbg_cmd_refuse(d, "return"); }
CMD(c_jump) { UNUSED; (void)a; return dbg_cmd_refuse(d, "jump"); }
CMD(c_kill) { UNUSED; (void)a; return dbg_cmd_refuse(d, "kill"); }

/* gdb's `maintenance time 1` (also `maint set per-command time on`): each
 * command's run time after it, for benchmarks that want per-command
 * figures without timing whole sessions. */
CMD(c_maint)
{
	UNUSED;
	const char *v = NULL;
	if (strncmp(a, "time", 4) == 0 && (a[4] == ' ' || !a[4]))
		v = a + 4;
	else if (strncmp(a, "set per-command time", 20) == 0)
		v = a + 20;
	if (!v)
		return dbg_error(d, "Undefined maintenance command: \"%s\".  Try \"help maintenance\".", a);
	while (*v == ' ')
		v++;
	if (!strcmp(v, "1") || !strcmp(v, "on"))
		d->time_commands = 1;
	else if (!strcmp(v, "0") || !strcmp(v, "off"))
		d->time_commands = 0;
	else
		return dbg_error(d, "\"on\" or \"off\" expected.");
	return DBG_OK;
}

CMD(c_set)
{
	UNUSED;
	const char *p = a;
	if (strncmp(p, "var ", 4) == 0 || strncmp(p, "variable ", 9) == 0 || strchr(p, '=') ||
	    p[0] == '$' || p[0] == '*')
		return dbg_error(d, "Cannot change the program's memory or registers: this is a replay of a "
		                    "recording, and it must stay what was recorded.");
	char name[64], val[256] = "";
	if (sscanf(p, "%63s %255[^\n]", name, val) < 1)
		return dbg_error(d, "Argument required (expression to compute).");
	if (strcmp(name, "exec-direction") == 0) {
		if (strcmp(val, "forward") == 0)
			d->exec_direction = 1;
		else if (strcmp(val, "reverse") == 0)
			d->exec_direction = -1;
		else
			return dbg_error(d, "Undefined item: \"%s\".", val);
		return DBG_OK;
	}
	if (strcmp(name, "can-use-hw-watchpoints") == 0) {
		d->can_use_hw_watchpoints = atoi(val) != 0;
		return DBG_OK;
	}
	if (strcmp(name, "listsize") == 0) {
		int n = strcmp(val, "unlimited") == 0 ? 1 << 30 : atoi(val);
		if (n <= 0 && strcmp(val, "0") != 0)
			return dbg_error(d, "integer %s out of range", val);
		d->listsize = n > 0 ? n : 1 << 30;
		return DBG_OK;
	}
	/* Settings whose only supported value is gdb's default: accepted at
	 * it, refused otherwise rather than silently not honoured. */
	static const char *const fixed[][2] = {{"disassembly-flavor", "att"}, {"print pretty", "off"},
	                                       {"print elements", "200"}, {"print address", "on"},
	                                       {"print symbol", "on"}};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		size_t k = strlen(fixed[i][0]);
		if (strncmp(p, fixed[i][0], k) || (p[k] && p[k] != ' '))
			continue;
		const char *v = p + k;
		while (*v == ' ')
			v++;
		if (!strcmp(v, fixed[i][1]))
			return DBG_OK;
		return dbg_error(d, "set %s %s: not supported; rrtui prints as gdb does with %s.", fixed[i][0], v,
		                 fixed[i][1]);
	}
	/* gdb settings that do not change what rrtui prints */
	static const char *const quiet[] = {"pagination", "confirm", "width", "height", "style", "logging",
	                                    "verbose", "debug-file-directory", "startup-with-shell", NULL};
	for (int i = 0; quiet[i]; i++)
		if (strcmp(name, quiet[i]) == 0)
			return DBG_OK;
	return dbg_error(d, "No symbol \"%s\" in current context.", name);
}

CMD(c_show)
{
	UNUSED;
	if (strncmp(a, "exec-direction", 14) == 0) {
		dbg_puts(d, d->exec_direction > 0 ? "Forward.\n" : "Reverse.\n");
		return DBG_OK;
	}
	if (strncmp(a, "listsize", 8) == 0) {
		if (d->listsize >= 1 << 30)
			dbg_puts(d, "Number of source lines gdb will list by default is unlimited.\n");
		else
			dbg_printf(d, "Number of source lines gdb will list by default is %d.\n", d->listsize);
		return DBG_OK;
	}
	if (strncmp(a, "version", 7) == 0) {
		dbg_puts(d, "rrtui: a record-and-replay debugger speaking gdb's command language.\n");
		return DBG_OK;
	}
	return dbg_error(d, "Undefined show command: \"%s\".  Try \"help show\".", a);
}

CMD(c_delete_ck)
{
	UNUSED;
	return dbg_cmd_checkpoint(d, a, 2);
}

const struct dbg_cmd dbg_cmds[] = {
    /* running */
    {"continue", "c fg", "running", "[N]",
     "Continue the program until a breakpoint, a watchpoint or the end.\n"
     "With N, ignore the breakpoint stopped at N-1 more times.", c_continue, 1},
    {"next", "n", "running", "[N]",
     "Step one line, stepping over calls.\nRuns until the start of another source line in this "
     "function or its caller.", c_next, 1},
    {"step", "s", "running", "[N]",
     "Step one line, entering calls to functions with line information.", c_step, 1},
    {"stepi", "si", "running", "[N]", "Step one machine instruction.", c_stepi, 1},
    {"nexti", "ni", "running", "[N]", "Step one machine instruction, stepping over calls.", c_nexti, 1},
    {"finish", "fin", "running", "",
     "Run until the selected function returns; print the value it returns.", c_finish, 1},
    {"until", "u", "running", "[LOCATION]",
     "Run until a line after the current one (not back through a loop), or until LOCATION,\n"
     "stopping also when the current function returns.", c_until, 1},
    {"advance", NULL, "running", "LOCATION",
     "Run until LOCATION or until the current function returns.", c_advance, 1},
    {"reverse-continue", "rc", "running", "",
     "Run backward until a breakpoint, a watchpoint or the start of the recording.", c_rcontinue, 1},
    {"reverse-next", "rn", "running", "[N]",
     "Step backward one line, stepping back over calls: to the start of the previous line.", c_rnext, 1},
    {"reverse-step", "rs", "running", "[N]",
     "Step backward one line, entering calls (at their last line).", c_rstep, 1},
    {"reverse-stepi", "rsi", "running", "[N]", "Step backward one machine instruction.", c_rstepi, 1},
    {"reverse-nexti", "rni", "running", "[N]",
     "Step backward one machine instruction, stepping back over calls.", c_rnexti, 1},
    {"reverse-finish", NULL, "running", "",
     "Run backward to the call of the selected function (stops at the call instruction).", c_rfinish, 1},
    {"run", "r seek", "running", "[EVENT|POSITION]",
     "Without argument: from the start of the recording, on to the first stop (gdb's run).\n"
     "Else move to the point just after event EVENT of the recording (either direction),\n"
     "or to a position printed by `when` (E, E+S, E@PC#K, E@PC#K+S).", c_run, 0},
    {"start", NULL, "running", "", "A temporary breakpoint at main, then run.", c_start, 0},
    {"thread", NULL, "running", "[1]", "Show (or select) the thread: a replay has one.", dbg_cmd_thread, 0},
    {"call", NULL, "running", "EXPR", "Refused: a replay cannot run code it did not record.", c_call, 0},
    {"return", NULL, "running", "[EXPR]", "Refused: a replay cannot change what happened.", c_return, 0},
    {"jump", NULL, "running", "LOCATION", "Refused: a replay cannot change what happened.", c_jump, 0},
    {"kill", NULL, "running", "", "Refused: a replay stays; go to its start with run.", c_kill, 0},
    {"when", NULL, "running", "", "Show the current event and position in the recording.", dbg_cmd_when, 0},
    {"checkpoint", NULL, "running", "", "Remember the current moment; `restart N` comes back to it.",
     c_checkpoint, 0},
    {"restart", NULL, "running", "N", "Go back (or forward) to checkpoint N.", c_restart, 0},
    {"gdbserver", "target-server", "running", "[--once] [HOST:]PORT",
     "Serve gdb's remote protocol on PORT (0: any free port); gdb then moves this replay\n"
     "(gdb -ex 'target remote :PORT'). After a gdb leaves, the next one finds the replay\n"
     "where it was; Ctrl-C stops the server. --once: stop when the first gdb leaves.",
     dbg_cmd_gdbserver, 0},
    /* breakpoints */
    {"break", "b br bre brea", "breakpoints", "[LOCATION] [if COND]",
     "Set a breakpoint at LOCATION: FUNCTION, FILE:LINE, LINE or *ADDRESS.", c_break, 0},
    {"tbreak", NULL, "breakpoints", "[LOCATION] [if COND]",
     "Set a temporary breakpoint (deleted when hit).", c_tbreak, 0},
    {"watch", NULL, "breakpoints", "[-location|-l] EXPR",
     "Stop when EXPR changes (hardware watchpoint when the debug registers can, else software).",
     c_watch, 0},
    {"rwatch", NULL, "breakpoints", "[-l] EXPR", "Stop when EXPR is read (hardware only).", c_rwatch, 0},
    {"awatch", NULL, "breakpoints", "[-l] EXPR", "Stop when EXPR is read or written (hardware only).",
     c_awatch, 0},
    {"delete", "d", "breakpoints", "[N...] | checkpoint N | display N",
     "Delete breakpoints (all without N), a checkpoint or a display.", c_delete, 0},
    {"disable", "disa dis", "breakpoints", "[N...]", "Disable breakpoints (all without N).", c_disable, 0},
    {"enable", "en", "breakpoints", "[once] [N...]", "Enable breakpoints (all without N).", c_enable, 0},
    {"condition", NULL, "breakpoints", "N [COND]",
     "Stop at breakpoint N only when COND is true (no COND: always).", c_condition, 0},
    {"ignore", NULL, "breakpoints", "N COUNT", "Pass breakpoint N COUNT times before stopping.", c_ignore, 0},
    {"commands", NULL, "breakpoints", "[N...]",
     "Commands to run when breakpoint N stops (default: the last one set), one per line,\n"
     "ended by `end`; `silent` first leaves the stop unreported.", dbg_cmd_commands, 0},
    {"save", NULL, "breakpoints", "breakpoints FILE",
     "Write the breakpoints as a script that `source FILE` sets again.", dbg_cmd_save, 0},
    {"dprintf", NULL, "breakpoints", "LOCATION,\"FORMAT\",ARG...",
     "At LOCATION, print as printf does and go on (going forward).", dbg_cmd_dprintf, 0},
    {"handle", NULL, "breakpoints", "SIGNAL... [no]stop|[no]print|pass",
     "Say whether a signal's delivery stops the program or is printed (`info signals`:\n"
     "the table). A replay delivers every recorded signal: nopass is refused.",
     dbg_cmd_handle, 0},
    /* data */
    {"print", "p inspect", "data", "[/FMT] [EXPR]",
     "Print the value of EXPR and record it as $N. FMT: x d u o t c a s.", c_print, 0},
    {"output", NULL, "data", "[/FMT] EXPR", "Print the value of EXPR, without $N or a newline.", c_output, 0},
    {"printf", NULL, "data", "\"FORMAT\", ARG...", "Print values as C's printf does.", dbg_cmd_printf, 0},
    {"echo", NULL, "data", "TEXT", "Print TEXT (C escapes such as \\n work).", dbg_cmd_echo, 0},
    {"display", NULL, "data", "[/FMT] [EXPR]", "Print EXPR after every stop (no EXPR: now).", c_display, 0},
    {"undisplay", NULL, "data", "[N...]", "Stop displaying (all without N).", c_undisplay, 0},
    {"x", NULL, "data", "[/NFU] ADDRESS",
     "Examine memory: N units of U (b h w g) in format F (x d u o t a c f s i).", c_x, 0},
    {"ptype", NULL, "data", "EXPR|TYPE", "Print the full definition of a type.", c_ptype, 0},
    {"whatis", NULL, "data", "EXPR|TYPE", "Print the type of an expression.", c_whatis, 0},
    {"set", NULL, "data", "exec-direction forward|reverse | can-use-hw-watchpoints 0|1 | ...",
     "Change a debugger setting. `set var` is refused: a replay cannot change what was recorded.",
     c_set, 0},
    {"show", NULL, "data", "exec-direction|version", "Show a debugger setting.", c_show, 0},
    /* stack */
    {"backtrace", "bt where", "stack", "[N] [full]", "Print the call stack (full: with locals).", c_bt, 0},
    {"frame", "f", "stack", "[N]", "Select and print frame N (without N: the selected frame).", c_frame, 0},
    {"up", NULL, "stack", "[N]", "Select the frame N levels up (toward main).", c_up, 0},
    {"down", "do", "stack", "[N]", "Select the frame N levels down.", c_down, 0},
    /* files and status */
    {"disassemble", NULL, "data", "[/r] [ADDRESS | START,END | START,+LENGTH]",
     "Show the machine code of the function around ADDRESS (default: the selected frame's pc)\n"
     "or of a range; /r adds the raw bytes.", dbg_cmd_disassemble, 0},
    {"source", NULL, "support", "FILE", "Run the commands in FILE (as a script: batch-style output).",
     dbg_cmd_source, 0},
    {"pwd", NULL, "files", "", "Print the working directory.", dbg_cmd_pwd, 0},
    {"list", "l", "files", "[LINE|FUNCTION|FILE:LINE|FIRST,LAST|-]",
     "List source lines around the stop, or around LOCATION; again: the next ten.\n"
     "FIRST,LAST lists a range (either end may be left out); `list -` the ten before.", c_list, 1},
    {"info", "i", "status", "TOPIC",
     "Show: registers, all-registers, locals, args, frame, source, line, symbol ADDR,\n"
     "sharedlibrary, signals, breakpoints, watchpoints, display, checkpoints, threads,\n"
     "inferiors.", c_info, 0},
    {"help", "h", "support", "[COMMAND]", "Show the commands, or one command's help.", dbg_cmd_help, 0},
    {"maintenance", "mt maint", "support", "time 1|0",
     "After each command, print its execution time (gdb's `maintenance time`).", c_maint, 0},
    {"quit", "q exit", "support", "", "Leave the debugger.", c_quit, 0},
    {"delete-checkpoint", NULL, "running", "N", "Same as `delete checkpoint N`.", c_delete_ck, 0},
};
const int dbg_ncmds = (int)(sizeof dbg_cmds / sizeof dbg_cmds[0]);

static int has_alias(const struct dbg_cmd *c, const char *w, size_t len)
{
	if (!c->aliases)
		return 0;
	const char *p = c->aliases;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, w, len) == 0)
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

const struct dbg_cmd *dbg_cmd_find(const char *word, size_t len, int *ambiguous)
{
	*ambiguous = 0;
	for (int i = 0; i < dbg_ncmds; i++)
		if (strlen(dbg_cmds[i].name) == len && strncmp(dbg_cmds[i].name, word, len) == 0)
			return &dbg_cmds[i];
	for (int i = 0; i < dbg_ncmds; i++)
		if (has_alias(&dbg_cmds[i], word, len))
			return &dbg_cmds[i];
	const struct dbg_cmd *found = NULL;
	for (int i = 0; i < dbg_ncmds; i++)
		if (strncmp(dbg_cmds[i].name, word, len) == 0) {
			if (found) {
				*ambiguous = 1;
				return NULL;
			}
			found = &dbg_cmds[i];
		}
	return found;
}

static const char *const groups[][2] = {{"running", "Running the program, forward and backward"},
                                        {"breakpoints", "Breakpoints and watchpoints"},
                                        {"data", "Examining data"},
                                        {"stack", "The call stack"},
                                        {"files", "Source files"},
                                        {"status", "Status"},
                                        {"support", "Support"}};

int dbg_cmd_help(struct dbg *d, const char *args, int from_tty)
{
	(void)from_tty;
	if (args && *args) {
		int amb;
		const struct dbg_cmd *c = dbg_cmd_find(args, strcspn(args, " "), &amb);
		if (!c)
			return dbg_error(d, "Undefined command: \"%s\".  Try \"help\".", args);
		dbg_printf(d, "%s%s%s\n%s\n", c->name, c->args[0] ? " " : "", c->args, c->help);
		if (c->aliases)
			dbg_printf(d, "Aliases: %s\n", c->aliases);
		return DBG_OK;
	}
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		dbg_printf(d, "%s:\n", groups[g][1]);
		for (int i = 0; i < dbg_ncmds; i++) {
			if (strcmp(dbg_cmds[i].group, groups[g][0]) != 0)
				continue;
			int n = (int)strcspn(dbg_cmds[i].help, "\n");
			dbg_printf(d, "  %-18s %.*s\n", dbg_cmds[i].name, n, dbg_cmds[i].help);
		}
	}
	dbg_puts(d, "Type \"help\" followed by a command name for its description.\n");
	return DBG_OK;
}

void dbg_cmd_markdown(FILE *f)
{
	fprintf(f, "# rrtui debugger commands\n\n"
	           "Generated from cmds/cmd_table.c by `rrtui replay --help-commands`; do not edit.\n\n"
	           "The console (`rrtui replay`, `rrtui replay --cli`, the TUI's console pane) speaks gdb's\n"
	           "command language; a command may be abbreviated to any unique prefix. Enter on an empty\n"
	           "line repeats the last stepping command.\n");
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		fprintf(f, "\n## %s\n\n", groups[g][1]);
		fprintf(f, "| command | aliases | what it does |\n|---|---|---|\n");
		for (int i = 0; i < dbg_ncmds; i++) {
			const struct dbg_cmd *c = &dbg_cmds[i];
			if (strcmp(c->group, groups[g][0]) != 0)
				continue;
			fprintf(f, "| `%s%s", c->name, c->args[0] ? " " : "");
			for (const char *p = c->args; *p; p++)
				fputs(*p == '|' ? "\\|" : (char[]){*p, 0}, f);
			fprintf(f, "` | %s | ", c->aliases ? c->aliases : "");
			for (const char *p = c->help; *p; p++)
				fputs(*p == '\n' ? " " : *p == '|' ? "\\|" : (char[]){*p, 0}, f);
			fprintf(f, " |\n");
		}
	}
}
