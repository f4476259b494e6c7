#!/bin/bash
# tui_console.sh — the console pane: ':' focuses it, a command runs as in
# the line-mode console and its output shows, a breakpoint set there shows
# in the source gutter, TAB completion, history (Up) and Ctrl-R search,
# Esc back to the source pane, `quit` ends the TUI; and the monochrome
# fallback (NO_COLOR): the current line keeps its '>' and a changed value
# is still highlighted (bold/underline).
. "$(dirname "$0")/tui_lib.sh"

S=console
tui_start $S 80 24 NO_COLOR=1
expect_marker $S "open" "$LINE_OPEN"
keys $S :
expect $S "':' focuses the console" "\\[Console"
keys $S -l "$PRINT_CMD"
keys $S Enter
expect $S "the command is echoed" "^\\(rrtui\\) $PRINT_CMD"
expect $S "its output shows in the console" "$PRINT_OUT"
keys $S -l "break $CONSOLE_BREAK_LINE"
keys $S Enter
expect $S "a breakpoint from the console shows in the gutter" "$(bp_at "$CONSOLE_BREAK_LINE")"
keys $S -l "$COMPLETE_PREFIX"
keys $S Tab
expect $S "TAB completes a command" "^\\(rrtui\\) $COMPLETE_WORD"
keys $S C-a C-k C-r
keys $S -l "brea"
expect $S "Ctrl-R searches the history" "reverse-i-search.*break $CONSOLE_BREAK_LINE"
keys $S Escape
expect_gone $S "Esc ends the search" "reverse-i-search"
keys $S C-a C-k
keys $S Up Up
expect $S "Up recalls the history" "^\\(rrtui\\) $PRINT_CMD\$"
keys $S C-a C-k Escape
expect $S "Esc returns to the source pane" "\\[Source"
keys $S c
expect $S "continue from the source pane" "^B.> *$CONSOLE_BREAK_LINE "
# monochrome: the changed value is bold+underline, no colour sequences
if screen_e $S | grep -aqP "\\e\\[3[0-7]m"; then
    fail "NO_COLOR: colour escape sequences on the screen"
else
    pass "NO_COLOR: no colours"
fi
if screen_e $S | grep -aqP "$LOCAL_CHANGED = (\\e\\[[0-9;]*m)*\\e\\[[0-9;]*[14][;m]"; then
    pass "NO_COLOR: changed value still highlighted"
else
    fail "NO_COLOR: changed value not highlighted"
    screen_e $S | grep -a "$LOCAL_CHANGED = " | cat -v | sed 's/^/  | /'
fi
keys $S :
keys $S -l quit
keys $S Enter
expect $S "quit in the console ends the TUI" "TUI-EXITED rc=0"
finish
