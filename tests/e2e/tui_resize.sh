#!/bin/bash
# tui_resize.sh — resizing redraws every pane without garbage: a TUI
# resized from 100x30 to 80x24, then to 200x60, must show exactly what a
# TUI started at that size shows after the same keys. Also checks that all
# panes are on screen at 80x24, and that a tiny terminal does not crash.
# Over the fake session by default; tui_real_resize.sh runs it on the real
# rrtui (TUI_REAL=1).
. "$(dirname "$0")/tui_lib.sh"

# the same moves in every session (from the expect file)
drive() { drive_to_callee "$1"; }

# same_screen A B WHAT: poll until both screens are identical.
same_screen() {
    local limit=$(( $(now_ms) + TUI_WAIT * 1000 ))
    while [ "$(now_ms)" -lt "$limit" ]; do
        [ "$(screen "$1")" = "$(screen "$2")" ] && { pass "$3"; return; }
        sleep 0.05
    done
    fail "$3"
    diff <(screen "$1") <(screen "$2") | head -n 20 | sed 's/^/  /'
}

tui_start big 100 30
drive big
resize big 80 24
tui_start small 80 24
drive small
same_screen big small "resized 100x30 -> 80x24 equals a fresh 80x24 draw"
for title in "Source: $SRC_NAME" "Locals" "Stack" "Registers" "Output" "Console"; do
    if screen small | grep -q "$title"; then pass "80x24 shows $title"; else fail "80x24 lacks $title"; fi
done

resize big 200 60
tui_start huge 200 60
drive huge
same_screen big huge "resized to 200x60 equals a fresh 200x60 draw"
expect huge "200x60 shows the disassembly pane" "Disassembly: $FUNC_CALLEE"

resize big 20 5
expect_gone big "a tiny terminal drops the panes" "Source: "
expect big "a tiny terminal keeps the console" "rrtui"
resize big 80 24
same_screen big small "back to 80x24 equals the fresh draw again"
keys big q y
expect big "quits after the resizes" "TUI-EXITED rc=0"
finish
