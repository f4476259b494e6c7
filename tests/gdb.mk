# tests/gdb.mk — tests of the GDB remote-protocol server (cmds/gdb.mk):
# Check unit tests and scripted sessions against a fake backend, the real
# gdb against the same fake (gdb_server.sh, through gdb_fake_server), and
# the fuzz targets: the packet layer alone, the whole server over the
# fake and over a real replay, each as a deterministic plain-C driver in
# every build, and under libFuzzer through gdb_fuzz.sh when clang has it
# (bench/gdb_fuzz.sh runs them longer).
check_PROGRAMS += tests/test_gdbrsp tests/gdb_fake_server tests/gdb_fuzz_driver \
	tests/gdb_fuzz_server_driver tests/gdb_fuzz_replay_driver tests/gdb_bench
TESTS += tests/test_gdbrsp tests/gdb_fuzz_driver tests/gdb_fuzz_server_driver \
	tests/gdb_server.sh tests/gdb_fuzz.sh
tests_test_gdbrsp_SOURCES = tests/test_gdbrsp.c tests/gdb_fake.c tests/gdb_fake.h
tests_test_gdbrsp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -pthread
tests_test_gdbrsp_LDADD = cmds/libgdbserver.a $(CHECK_LIBS) -lpthread
tests_gdb_fake_server_SOURCES = tests/gdb_fake_server.c tests/gdb_fake.c tests/gdb_fake.h
tests_gdb_fake_server_LDADD = cmds/libgdbserver.a
tests_gdb_fuzz_driver_SOURCES = tests/gdb_fuzz.c
tests_gdb_fuzz_driver_CPPFLAGS = $(AM_CPPFLAGS) -DGDB_FUZZ_MAIN
tests_gdb_fuzz_driver_LDADD = cmds/libgdbserver.a
tests_gdb_fuzz_server_driver_SOURCES = tests/gdb_fuzz.c tests/gdb_fake.c tests/gdb_fake.h
tests_gdb_fuzz_server_driver_CPPFLAGS = $(AM_CPPFLAGS) -DGDB_FUZZ_MAIN -DGDB_FUZZ_SERVER
tests_gdb_fuzz_server_driver_CFLAGS = $(AM_CFLAGS) -pthread
tests_gdb_fuzz_server_driver_LDADD = cmds/libgdbserver.a -lpthread
# The same over a real replay (a trace gdb_fuzz.sh records): run by gdb_fuzz.sh.
tests_gdb_fuzz_replay_driver_SOURCES = tests/gdb_fuzz.c
tests_gdb_fuzz_replay_driver_CPPFLAGS = $(AM_CPPFLAGS) -DGDB_FUZZ_MAIN -DGDB_FUZZ_REPLAY
tests_gdb_fuzz_replay_driver_CFLAGS = $(AM_CFLAGS) -pthread
tests_gdb_fuzz_replay_driver_LDADD = cmds/libgdbserver.a core/libcore.a -lpthread
# Round trips per second through a server (bench/gdb_fuzz.sh; not a test).
tests_gdb_bench_SOURCES = tests/gdb_bench.c
tests_gdb_bench_LDADD = cmds/libgdbserver.a
EXTRA_DIST += tests/gdb_server.sh tests/gdb_fuzz.sh tests/gdb_fuzz.dict bench/gdb_fuzz.sh
CLEANFILES += tests/gdb_fuzz tests/gdb_fuzz_server tests/gdb_fuzz_replay tests/gdb_fuzz.build.log
