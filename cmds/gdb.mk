# cmds/gdb.mk — the GDB remote-protocol server: the pure protocol layer
# (gdb_rsp), the x86-64 target description and the server over its backend
# interface, as one library the rrtui program and the tests link.
noinst_LIBRARIES += cmds/libgdbserver.a
cmds_libgdbserver_a_SOURCES = cmds/gdb_rsp.h cmds/gdb_rsp.c \
	cmds/gdb_server.h cmds/gdb_server.c cmds/gdb_target_xml.c
# The backend over the replay timeline (core/), and gdb_replay_serve.
cmds_libgdbserver_a_SOURCES += cmds/gdb_backend.h cmds/gdb_backend.c
# The console's `gdbserver [HOST:]PORT` command: it needs the debugger
# session (cmds/dbg_int.h), so it goes into rrtui, not into the library the
# tests link without a session. Its row in cmds/cmd_table.c names
# dbg_cmd_gdbserver.
rrtui_SOURCES += cmds/gdb_cmd.c
