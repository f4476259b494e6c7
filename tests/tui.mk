# tests/tui.mk — tests of the full-screen TUI (tui/), driven in tmux by
# tests/e2e/tui_*.sh. tui_basic, tui_console and tui_resize run the TUI over
# a fake session (tests/tui_fake_dbg.c, a scripted run of
# tests/fixtures/tui/count.c): fast, and independent of the engine. The
# tui_real* and tui_clock scripts drive the real rrtui on a recording of
# samples/clock: issue 6's acceptance.
check_PROGRAMS += tests/tui_fake
tests_tui_fake_SOURCES = tests/tui_fake.c tests/tui_fake_dbg.c
tests_tui_fake_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tests_tui_fake_LDADD = tui/libtui.a $(NCURSES_LIBS) $(READLINE_LIBS)
TUI_TESTS = tests/e2e/tui_basic.sh tests/e2e/tui_console.sh tests/e2e/tui_resize.sh tests/e2e/tui_layout.sh \
	tests/e2e/tui_real.sh tests/e2e/tui_real_resize.sh tests/e2e/tui_clock.sh \
	tests/e2e/tui_real_keys.sh tests/e2e/tui_crash.sh tests/e2e/tui_main.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/e2e/tui_lib.sh tests/fixtures/tui/count.c \
	tests/fixtures/tui/expect_fake.sh tests/fixtures/tui/expect_clock.sh \
	bench/tui_bench.sh
