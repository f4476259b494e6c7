# cmds/cmds_dbg.mk — the debugger session (gdb's command language over a
# replay) and its line-mode console, linked into rrtui. Included from
# cmds/local.mk.
rrtui_SOURCES += cmds/dbg.h cmds/dbg_int.h cmds/dbg.c cmds/dbg_exec.c cmds/dbg_break.c \
	cmds/dbg_info.c cmds/dbg_more.c cmds/dbg_signals.c cmds/cmd_table.c cmds/console.h cmds/console.c
rrtui_CPPFLAGS = $(LIBDWARF_CFLAGS) $(AM_CPPFLAGS)
rrtui_LDADD += $(DW_LIBS) $(READLINE_LIBS)
