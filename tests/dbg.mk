# tests/dbg.mk — tests of the debugger's command language (cmds/dbg*.c) in
# batch mode: dbg_basic.sh the forward commands and the language,
# dbg_reverse.sh the reverse ones (the clock and crash bugs found backwards),
# dbg_scenarios.sh issue 5's acceptance scenarios on tests/fixtures/dbg/scen
# (forward parts compared with gdb on the live program), dbg_sharedlib.sh a
# program's own shared library built with relative source names, dbg_exec.sh
# a recording that runs execve.
DBG_TESTS = tests/e2e/dbg_basic.sh tests/e2e/dbg_reverse.sh tests/e2e/dbg_scenarios.sh \
	tests/e2e/dbg_sharedlib.sh tests/e2e/dbg_exec.sh
TESTS += $(DBG_TESTS)
EXTRA_DIST += $(DBG_TESTS) docs/commands.md bench/dbg_bench.sh tests/fixtures/so/tally.c \
	tests/fixtures/so/usetally.c

# The scenarios' program: without optimisation, so that every variable and
# line is where the debug info says. The user's CFLAGS come last on the
# compile line; the pattern-specific -O0 goes after them (as samples/ do).
check_PROGRAMS += tests/fixtures/dbg/scen
tests_fixtures_dbg_scen_SOURCES = tests/fixtures/dbg/scen.c
tests_fixtures_dbg_scen_CFLAGS = $(AM_CFLAGS) -O0 -g
$(tests_fixtures_dbg_scen_OBJECTS): CFLAGS += -O0
