#!/bin/bash
# tui_basic.sh — the TUI's main path in tmux at 80x24: open, a breakpoint
# with Space, continue, step, next, reverse-next, reverse-finish (the source
# marker and the locals follow each move), a changed local highlighted, the
# output pane losing lines going back and regaining them going forward,
# the key help, marks and the jump list, quitting restores the terminal.
. "$(dirname "$0")/tui_lib.sh"

S=basic
tui_start $S 80 24
expect $S "opens on the source" "Source: $SRC_NAME"
expect_marker $S "open" "$LINE_OPEN"
expect $S "locals pane shows $LOCAL_CHANGED" "$LOCAL_CHANGED = $VALUE_BEFORE"
expect $S "status line" "event 0/"

for _ in $(seq "$BP_DOWN"); do keys $S j; done
keys $S Space
expect $S "Space sets a breakpoint" "$(bp_at "$LINE_BP")"
expect $S "the break command is echoed in the console" "break .*:$LINE_BP"

keys $S c
expect $S "continue: marker on the breakpoint line" "^B.> *$LINE_BP "
expect $S "continue: status says breakpoint" "stopped at breakpoint"
expect $S "changed local shows its previous value" \
    "$LOCAL_CHANGED = $VALUE_CHANGED \\(was $VALUE_BEFORE\\)"
# highlighted: an SGR sequence (bold, colour) right before the value
if screen_e $S | grep -aqP "$LOCAL_CHANGED = (\\e\\[[0-9;]*m)*\\e\\[[0-9;]*1[;m](\\e\\[[0-9;]*m)*$VALUE_CHANGED"; then
    pass "changed local is highlighted (bold)"
else
    fail "changed local is not highlighted"
    screen_e $S | grep -a "$LOCAL_CHANGED = " | cat -v | sed 's/^/  | /'
fi

keys $S s
expect_marker $S "step into the call" "$LINE_CALLEE"
expect $S "locals follow into $FUNC_CALLEE" "Locals: $FUNC_CALLEE"
expect $S "backtrace has two frames" "#1 +main"
keys $S n
expect_marker $S "next" "$LINE_CALLEE_NEXT"
keys $S N
expect_marker $S "reverse-next" "$LINE_CALLEE"
expect $S "status shows the backward direction" "back \\| event"
keys $S F
expect $S "reverse-finish: back at the call" "^B.> *$LINE_BP "
expect $S "locals follow back to main" "Locals: main"

# output as of now: forward to the second hit, the first line is printed;
# back to the first hit, it disappears; forward again, it is back.
keys $S c
expect $S "output appears going forward" "^ ?$OUT_FIRST"
keys $S C
expect_gone $S "output disappears going back" "^ ?$OUT_FIRST"
expect $S "back at the breakpoint" "^B.> *$LINE_BP "
keys $S c
expect $S "output reappears going forward again" "^ ?$OUT_FIRST"

# marks in time and the jump list
keys $S m a
keys $S g g
expect_marker $S "gg goes to the start" "$LINE_OPEN"
keys $S "'" a
expect $S "'a returns to the mark" "^B.> *$LINE_BP "
keys $S C-o
expect_marker $S "Ctrl-O: back to where the last jump started" "$LINE_OPEN"

keys $S '?'
expect $S "? shows the key help" "Motion \\(lower case forward"
keys $S Escape
expect_gone $S "Esc closes the help" "Motion \\(lower case forward"

keys $S q
expect $S "q asks before quitting" "Quit rrtui\\? \\(y or n\\)"
keys $S y
expect $S "quits with status 0" "TUI-EXITED rc=0"
if screen $S | grep -q -- "-icanon\|-echo "; then
    fail "terminal not restored (stty shows -icanon or -echo)"
    show_screen $S
else
    pass "terminal restored (icanon, echo)"
fi
finish
