# cmds/: the rrtui program's commands (record, replay, ls, ps, dump, pack).
rrtui_SOURCES = cmds/main.c cmds/cmds.h cmds/cmd_record.c cmds/cmd_replay.c cmds/cmd_trace.c
rrtui_LDADD = tui/libtui.a cmds/libgdbserver.a core/libcore.a
include cmds/gdb.mk
include cmds/cmds_dbg.mk
# tui -> cmds: tui/libtui.a leads rrtui_LDADD; ncurses for it.
rrtui_LDADD += $(NCURSES_LIBS)
