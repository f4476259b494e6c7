# tui/ build rules (see the top Makefile.am): the full-screen front-end, a
# library that rrtui links (cmds/local.mk) and the TUI tests link alone.
noinst_LIBRARIES += tui/libtui.a
tui_libtui_a_SOURCES = tui/tui.h tui/tui_int.h tui/tui.c tui/layout.c tui/keys.c \
	tui/win_source.c tui/win_disasm.c tui/win_regs.c tui/win_vars.c \
	tui/win_stack.c tui/win_output.c tui/win_timeline.c tui/win_status.c \
	tui/win_console.c
tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
