#!/bin/bash
# tui_clock.sh — the clock sample's bug found with keys only, in the real
# TUI (issue 6's last acceptance item). clock prints numbered lines and
# 007 is missing. With keys: a breakpoint on the printf (/search, Space),
# run to the call that prints 008 (c, then 6c: continue 6 = pass the
# breakpoint 5 more times), watch line_no, the expression under the cursor
# (w), and reverse-continue (C): the TUI lands on the silent line_no++
# whose printf was commented out, and shows line_no going back from 8 to 7.
# Then o (the last write of the expression under the cursor) finds the
# same line from the next call, by itself. In monochrome (NO_COLOR), so
# the highlight of the changed watch is checked without colours.
. "$(dirname "$0")/tui_lib.sh" real

S=clock
tui_start $S 100 30 NO_COLOR=1
expect $S "open" "Source: $SRC_NAME" || finish
keys $S /
keys $S -l "$SEARCH_PRINTF"
keys $S Enter
expect $S "the search wraps to the printf above main" "search wrapped"
keys $S Space
expect $S "breakpoint on the printf" "$(bp_at "$LINE_PRINTF")"
keys $S c
expect $S "first call: about to print 001" "^B.> *$LINE_PRINTF "
keys $S 6 c
expect $S "6c passes the breakpoint 5 times" "Will ignore next 5 crossings of breakpoint 1"
expect $S "the output shows the lines before the gap" "^006 [0-9:]+ #{30}"
expect_gone $S "the line after the gap is not printed yet" "^008 "
expect $S "stopped at the printf again" "^B.> *$LINE_PRINTF "

keys $S w
expect $S "w watches line_no, the expression under the cursor" "^\\(rrtui\\) watch line_no"
expect $S "the locals pane shows the watch: 8, not 7" "W line_no = 8"
keys $S C
expect_marker $S "C lands on the silent increment" "$LINE_SILENT"
expect $S "the ruler's printf above it is commented out" "^ {3} *$((LINE_SILENT - 1)) +// printf"
expect $S "the console shows the old value" "^Old value = 8"
expect $S "and the new (earlier) value" "^New value = 7"
expect_highlight $S "the watch shows the change, highlighted" "line_no" "7"
expect $S "with the value it had after" "W line_no = 7 \\(was 8\\)"
if screen_e $S | grep -aqP "\\e\\[3[0-7]m|\\e\\[[0-9;]*;3[0-7]m"; then
    fail "NO_COLOR: colour escape sequences on the screen"
else
    pass "NO_COLOR: no colours"
fi

# o: from the printf, the last write of line_no is the silent increment
# again (o watches -l, reverse-continues and deletes its watchpoint; the
# watchpoint of w, number 2, is deleted first so that o works alone).
keys $S :
keys $S -l "delete 2"
keys $S Enter Escape
expect $S "the watchpoint of w is deleted" "^\\(rrtui\\) delete 2"
keys $S c
expect $S "forward to the printf" "^B.> *$LINE_PRINTF "
keys $S o
expect_marker $S "o lands on the silent increment" "$LINE_SILENT"
expect $S "o stopped at its own watchpoint" "stopped at watchpoint 3"
expect $S "and deleted it" "^\\(rrtui\\) delete 3"
keys $S q y
expect $S "quits" "TUI-EXITED rc=0"
finish
