#!/bin/bash
# tui_real_keys.sh — the issue's keys on the real TUI (rrtui replay of a
# clock recording, 100x30): x (source/disassembly), /search and / repeat,
# u/U (run to the cursor line, back to the last time it ran), marks m/',
# gg/G, N%, the jump list (Ctrl-O, Ctrl-R, and Ctrl-I sent the CSI u way),
# F5/F10/F11/F12 and their Shift twins, i/I, t (temporary breakpoint),
# the mouse (a click puts the cursor, the wheel scrolls), Tab and Enter in
# the output pane (go to the event that wrote a line), ? (help), and
# Ctrl-C during a long motion.
. "$(dirname "$0")/tui_lib.sh" real

S=keys
tui_start $S 100 30
expect $S "open" "Source: $SRC_NAME \\(not started" || finish

# x: the disassembly of where the program is, and back
keys $S x
expect $S "x shows the disassembly" "Source: _start \\(disassembly\\)"
keys $S x
expect $S "x again: the source" "Source: $SRC_NAME \\(not started"

# / and / repeat, u and U
keys $S /
keys $S -l "line_no++"
keys $S Enter
expect $S "/ finds the first line_no++ (wrapping)" "search wrapped"
keys $S / Enter
keys $S u
expect_marker $S "/ Enter repeats the search; u runs to that line" "$LINE_COUNTED"
expect $S "u: the first line is printed" "^001 "
keys $S u
expect $S "u again: to the same line in the next call" "^002 "
expect_marker $S "u again: marker on the line" "$LINE_COUNTED"
keys $S U
expect_gone $S "U: back to the last time the line ran" "^002 "
expect_marker $S "U: marker on the line" "$LINE_COUNTED"
expect $S "U moved backward" "back \\| event"
if screen $S | grep -Eq '^[Tt].. *[0-9]+ '; then
    fail "u/U left their temporary breakpoint"
else
    pass "u/U leave no temporary breakpoint"
fi

# marks, gg/G, N%, the jump list
keys $S m a
expect $S "m a sets a mark" "mark a at "
keys $S g g
expect $S "gg goes to the start" "Source: $SRC_NAME \\(not started"
keys $S "'" a
expect_marker $S "'a returns to the mark" "$LINE_COUNTED"
expect $S "'a: the output as of the mark" "^001 "
keys $S G
expect $S "G goes to the end" "exited with code 0"
expect $S "G: all the output" "^013 "
keys $S C-o
expect_marker $S "Ctrl-O: back to where G jumped from" "$LINE_COUNTED"
keys $S C-r
expect $S "Ctrl-R: forward again in the jump list" "exited with code 0"
keys $S C-o
expect_marker $S "Ctrl-O again" "$LINE_COUNTED"
keys $S -H 1b 5b 31 30 35 3b 35 75   # ESC [ 105;5u: Ctrl-I apart from Tab
expect $S "Ctrl-I (CSI u) is forward in the jump list" "exited with code 0"
total=$(status_pos $S | sed -E 's|event [0-9]+/([0-9]+).*|\1|')
keys $S 5 0 %
expect $S "50% goes half way into the recording" "event $((total * 50 / 100))/$total "

# F-keys: a breakpoint on the call, then F5 F11 F10 S-F10 S-F11 S-F12 F12 S-F5
keys $S g g /
keys $S -l "$SEARCH_CALL"
keys $S Enter Space
expect $S "breakpoint on the call" "$(bp_at "$LINE_CALL")"
keys $S F5
expect $S "F5 continues to the breakpoint" "^B.> *$LINE_CALL "
keys $S F5
expect $S "F5 again: the next call" "^001 "
keys $S F11
expect_marker $S "F11 steps into print_line" "$LINE_TIME"
keys $S F10
expect_marker $S "F10 steps over time()" "$LINE_LOCALTIME"
keys $S S-F10
expect_marker $S "S-F10 reverse-next" "$LINE_TIME"
keys $S S-F11
expect $S "S-F11 reverse-step: back into main at the call" "^B.> *$LINE_CALL "
expect $S "S-F11: locals of main" "Locals: main"
keys $S F11
expect_marker $S "F11 again" "$LINE_TIME"
keys $S S-F12
expect $S "S-F12 reverse-finish: at the call" "^B.> *$LINE_CALL "
keys $S F11 F12
expect_marker $S "F12 finish: back in main after the call" "$LINE_CALL_NEXT"
expect $S "F12: the console says so" "^Run till exit from"
keys $S S-F5
expect $S "S-F5 reverse-continue: to the breakpoint" "^B.> *$LINE_CALL "
keys $S S-F5
expect $S "S-F5 again: before the first call, no output" "no output yet"

# i / I: one instruction each way (same line, another position)
before=$(status_pos $S)
keys $S i
if wait_status_change $S "$before"; then
    pass "i moves one instruction ($before -> $(status_pos $S))"
else
    fail "i did not move ($before)"
fi
keys $S I
if wait_status_is $S "$before"; then
    pass "I returns to the same position"
else
    fail "I went to $(status_pos $S), not $before"
fi

# t: a temporary breakpoint on the cursor line, gone once hit
keys $S j t
expect $S "t sets a temporary breakpoint" "^T.. *$LINE_CALL_NEXT "
keys $S c
expect_marker $S "c stops there" "$LINE_CALL_NEXT"
expect_gone $S "the temporary breakpoint is deleted when hit" "^[Tt].. *[0-9]+ "

# mouse: a click puts the cursor on a line (Space then sets a breakpoint
# there); the wheel scrolls the pane
target=$((LINE_CALL_NEXT + 1))
row=$(row_of $S "^.{3} *$target ")
if [ -n "$row" ]; then
    click $S 12 "$row"
    keys $S Space
    expect $S "a click puts the cursor (Space: breakpoint there)" "$(bp_at $target)"
else
    fail "line $target not on the screen"
fi
top=$(screen $S | sed -n 2p | sed -E 's/^.{3} *([0-9]+) .*/\1/')
wheel $S 12 5 up
expect $S "the wheel scrolls the source up" "^.{3} *$((top - 3)) "

# Tab to the output pane, a line, Enter: to the event that wrote it
keys $S g g
expect $S "gg" "Source: $SRC_NAME \\(not started"
keys $S G
expect $S "at the end" "^012 "
for _ in 1 2 3 4 5 6; do
    [ "$(focused $S)" = Output ] && break
    was=$(focused $S)
    keys $S Tab
    limit=$(( $(now_ms) + 5000 ))
    while [ "$(focused $S)" = "$was" ] && [ "$(now_ms)" -lt "$limit" ]; do sleep 0.02; done
done
expect $S "Tab reaches the output pane" "\\[Output"
keys $S k k k k k k k k k k   # from 013 up to 002 (007 is missing)
keys $S Enter
expect_gone $S "Enter on 002: the lines written later are gone" "^003 "
expect $S "and 002 is the last line" "^002 "
keys $S Escape

keys $S '?'
expect $S "? shows the key help" "Motion \\(lower case forward"
expect $S "the help lists u/U" "run to the cursor line"
keys $S Escape
expect_gone $S "Esc closes the help" "Motion \\(lower case forward"

# Ctrl-C stops a long motion: a software watchpoint on a variable that
# never changes makes `continue` single-step the whole recording (tens of
# seconds); the status line says what runs and how to stop it.
keys $S g g :
keys $S -l "set can-use-hw-watchpoints 0"
keys $S Enter
keys $S -l "watch interrupted"
keys $S Enter Escape c
expect $S "a long motion shows that Ctrl-C stops it" "running: continue \.\.\.  \(Ctrl-C stops\)"
keys $S C-c
expect_gone $S "Ctrl-C stops it" "running: continue"
expect $S "stopped at a position in the recording" "fwd \\| event [0-9]+/[0-9]+ \\| [0-9]"
keys $S g g
expect $S "the TUI goes on: gg" "Source: $SRC_NAME \(not started"

keys $S q y
expect $S "quits" "TUI-EXITED rc=0"
finish
