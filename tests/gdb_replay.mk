# tests/gdb_replay.mk — the gdb server on real replays: the real gdb (batch
# mode) against gdb_replay_server, which serves a trace of a sample that
# gdb_replay.sh records with the built rrtui (and against `rrtui replay -s`);
# gdb_console.sh starts the server from rrtui's console and TUI (the
# `gdbserver` command); gdb_interrupt.sh sends gdb's Ctrl-C while it runs;
# gdb_reconnect.sh serves gdb after gdb (and clients gdb would never be,
# tests/gdb_hostile.py) with `rrtui replay -s`, and --once.
check_PROGRAMS += tests/gdb_replay_server
TESTS += tests/gdb_replay.sh tests/gdb_console.sh tests/gdb_interrupt.sh tests/gdb_reconnect.sh
tests_gdb_replay_server_SOURCES = tests/gdb_replay_server.c
tests_gdb_replay_server_LDADD = cmds/libgdbserver.a core/libcore.a
EXTRA_DIST += tests/gdb_replay.sh tests/gdb_console.sh tests/gdb_interrupt.sh tests/gdb_interrupt.py \
	tests/gdb_reconnect.sh tests/gdb_hostile.py tests/gdb_client.py tests/gdb_lib.sh
