# tests/tui.mk — tests of the full-screen TUI (tui/): the real TUI over a
# fake session (tests/tui_fake_dbg.c, a scripted run of
# tests/fixtures/tui/count.c), driven in tmux by tests/e2e/tui_*.sh. The
# scripts take the program to run and the texts to expect from
# $TUI_PROG / $TUI_EXPECT, so the same scripts can drive the real rrtui.
check_PROGRAMS += tests/tui_fake
tests_tui_fake_SOURCES = tests/tui_fake.c tests/tui_fake_dbg.c
tests_tui_fake_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tests_tui_fake_LDADD = tui/libtui.a $(NCURSES_LIBS) $(READLINE_LIBS)
TUI_TESTS = tests/e2e/tui_basic.sh tests/e2e/tui_console.sh tests/e2e/tui_resize.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/e2e/tui_lib.sh tests/fixtures/tui/count.c \
	tests/fixtures/tui/expect_fake.sh bench/tui_bench.sh
