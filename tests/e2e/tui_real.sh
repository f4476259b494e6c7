#!/bin/bash
# tui_real.sh — issue 6's main acceptance on the real TUI: `rrtui replay`
# of a recording of samples/clock in tmux at 80x24. Before the program
# runs the source pane shows main's file; a breakpoint set with Space
# (after a /search), continue, step, next, reverse-next, reverse-finish:
# the '>' marker and the locals pane follow each move, changed locals are
# highlighted and unchanged ones are not; the output pane loses the lines
# written after the current moment going back and regains them going
# forward; q y quits and restores the terminal.
# A line a second: the second call's time() differs from the first's, so
# the `t` its line sets is a changed value (the stack slot still holds the
# first call's t; in one second both would be equal).
TUI_CLOCK_ARGS="1 3"
. "$(dirname "$0")/tui_lib.sh" real

S=real
tui_start $S 80 24
expect $S "opens on main's source before the program runs" "Source: $SRC_NAME \\(not started" || finish
expect $S "the cursor's home is main's first statement" "^ {3} *$LINE_MAIN +int stdin_open"
expect $S "status line at the start" "event 1/[0-9]+ "
if screen $S | grep -Eq '^..>'; then
    fail "a current-line marker while the program is in the loader"
    show_screen $S
else
    pass "no current-line marker while the program is in the loader"
fi

keys $S /
keys $S -l "$SEARCH_CALL"
keys $S Enter
keys $S Space
expect $S "/search then Space sets a breakpoint" "$(bp_at "$LINE_CALL")"
expect $S "the break command is echoed in the console" "break .*$SRC_NAME:$LINE_CALL"

keys $S c
expect $S "continue: marker on the breakpoint line" "^B.> *$LINE_CALL "
expect $S "continue: locals of main" "Locals: main"
expect $S "continue: the console reports the breakpoint" "^Breakpoint 1, main "
expect $S "nothing printed yet at the first call" "no output yet"

keys $S c
expect $S "continue again: the first line is printed" "^001 [0-9:]+ #####"
expect_highlight $S "changed local (now) highlighted" "now" "[0-9]"
expect_highlight $S "unchanged local (argc) not highlighted" "argc" "3" no

keys $S s
expect_marker $S "step into print_line" "$LINE_TIME"
expect $S "locals follow into print_line" "Locals: print_line"
expect $S "backtrace shows the caller" "#1 +main"
keys $S n
expect_marker $S "next over time()" "$LINE_LOCALTIME"
expect $S "the line run before in this call is marked '.'" "^ \\. *$LINE_TIME "
expect_highlight $S "the local set by the line (t) is highlighted" " t" "[0-9]"
keys $S N
expect_marker $S "reverse-next" "$LINE_TIME"
expect $S "status shows the backward direction" "back \\| event"
keys $S F
expect $S "reverse-finish: back at the call in main" "^B.> *$LINE_CALL "
expect $S "locals follow back to main" "Locals: main"

# Output as of now: at the second call 001 is printed; forward one more
# call 002 appears; back past its write it disappears (001 stays), back
# past 001's write the pane is empty; forward again both return.
keys $S c
expect $S "forward: 002 appears" "^002 [0-9:]+ ##########"
keys $S C
expect_gone $S "back past its write: 002 disappears" "^002 "
expect $S "001 is still there" "^001 [0-9:]+ #####"
keys $S C
expect $S "back past the first write: no output" "no output yet"
keys $S c c
expect $S "forward again: 002 reappears" "^002 [0-9:]+ ##########"
expect $S "and 001 before it" "^001 [0-9:]+ #####"

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
