# cmds/: the rrtui program's commands (record, replay, ls, ps, dump, pack).
rrtui_SOURCES = cmds/main.c cmds/cmds.h cmds/cmd_record.c cmds/cmd_replay.c cmds/cmd_trace.c
rrtui_LDADD = core/libcore.a
include cmds/gdb.mk
