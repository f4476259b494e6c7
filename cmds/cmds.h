/*
 * cmds.h — the rrtui program's subcommands (internal to cmds/). Each takes
 * the arguments after its name and returns the process exit status; errors
 * are reported once, as one line starting with "rrtui: ".
 */
#ifndef RRTUI_CMDS_H
#define RRTUI_CMDS_H

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_pack(int argc, char **argv);
/* rrtui PROG ARGS...: record, then open the debugger on the recording. */
int cmd_default(int argc, char **argv);

/* Prints "rrtui: MSG" on stderr; returns 1 (the status for a usage or
 * input error). */
int cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The exit status a shell shows for a wait status. */
int cmd_exit_code(int wait_status);
/* True when argv[i] is -h or --help. */
int cmd_wants_help(int argc, char **argv);

#endif
