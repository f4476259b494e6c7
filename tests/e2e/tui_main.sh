#!/bin/bash
# tui_main.sh — the README's main command, `rrtui ./prog args`, in tmux:
# the program first runs on the terminal (recorded), then the TUI opens on
# the recording — at the start for clock, at the crash for the crash
# sample — and after q y rrtui exits with the program's own status.
. "$(dirname "$0")/tui_lib.sh" real

[ -x "$top_builddir/samples/clock" ] || { echo "SKIP: samples/clock not built"; exit 77; }
[ -x "$top_builddir/samples/crash" ] || { echo "SKIP: samples/crash not built"; exit 77; }
TUI_ARGS="$top_builddir/samples/clock 0 3"
tui_start clock 100 30 "RRTUI_TRACE_DIR=$RRTUI_TRACE_DIR"
expect clock "the TUI opens after the recording" "Source: clock.c \\(not started" || finish
keys clock G
expect clock "the recording has the program's output" "^003 [0-9:]+ ###############"
keys clock q y
expect clock "rrtui exits with the program's status" "TUI-EXITED rc=0"
expect clock "the program ran on the terminal first" "^003 [0-9:]+ ###############"
expect clock "and the trace was announced" "^rrtui: trace saved in "

TUI_ARGS="$top_builddir/samples/crash"
tui_start crash 100 30 "RRTUI_TRACE_DIR=$RRTUI_TRACE_DIR"
expect crash "the TUI opens at the crash" "received signal SEGV" || finish
expect crash "the console says so" "^Program received signal SIGSEGV"
keys crash q y
expect crash "rrtui exits with the program's status (128+SIGSEGV)" "TUI-EXITED rc=139"
finish
