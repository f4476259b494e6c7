#!/bin/bash
# tests/e2e/console_cli.sh — the line-mode console (`rrtui replay --cli`) on
# a real terminal (tmux): TAB completes commands, function names and
# breakpoint numbers; Enter repeats the last stepping command; the history
# is saved per user ($RRTUI_HISTORY) and comes back in the next session
# (Up, Ctrl-R). Synchronisation by polling the screen (tui_lib.sh).
. "$(dirname "$0")/tui_lib.sh" real
TUI_ARGS=${TUI_ARGS/replay /replay --cli }
HIST=$TMP/history
S=cli

tui_start $S 100 30 RRTUI_HISTORY=$HIST
expect $S "prompt" '^\(rrtui\) ?$' || finish

keys $S "brea" Tab
expect $S "TAB completes a command" '^\(rrtui\) break ?$'
keys $S "print_l" Tab
expect $S "TAB completes a function name" '^\(rrtui\) break print_line ?$'
keys $S Enter
expect $S "the breakpoint is set" '^Breakpoint 1 at 0x[0-9a-f]+: file .*clock\.c, line [0-9]+\.$'
keys $S "c" Enter
expect $S "continue stops there" '^Breakpoint 1, print_line \(\) at '
keys $S "next" Enter
expect $S "next" "^$LINE_LOCALTIME[[:space:]]+localtime_r"
keys $S Enter
expect $S "Enter repeats next" "^$(line_of "strftime(stamp,")[[:space:]]+strftime"
keys $S "delete " Tab
expect $S "TAB completes a breakpoint number" '^\(rrtui\) delete 1 ?$'
# Typed (gdb's from_tty), `handle` shows what it changed; batch mode not.
keys $S C-u "handle SIGUSR1 nostop" Enter
expect $S "handle shows the table" '^SIGUSR1 +No[[:space:]]+Yes[[:space:]]+Yes[[:space:]]+User defined signal 1$'
keys $S C-u "quit" Enter
expect $S "quit ends the session" '^TUI-EXITED rc=0$'
tm $S kill-server
[ -s "$HIST" ] && pass "history saved in \$RRTUI_HISTORY" || fail "no history file $HIST"

# A new session: the previous commands are there.
S=cli2
tui_start $S 100 30 RRTUI_HISTORY=$HIST
expect $S "prompt again" '^\(rrtui\) ?$' || finish
keys $S Up
expect $S "Up recalls the last command of the previous session" '^\(rrtui\) quit$'
keys $S C-u C-r "print_"
expect $S "Ctrl-R finds an older one" "^\\(reverse-i-search\\)\`print_': break print_line"
keys $S Enter
expect $S "and runs it" '^Breakpoint 1 at 0x[0-9a-f]+: file .*clock\.c'

# Ctrl-C during a long continue (a recording that takes seconds to replay)
# stops at an exact position; the session goes on from there.
timeout -k 5 120 "$TUI_PROG" record -o "$TMP/sys" "$top_builddir/samples/syscalls" 300000 \
    </dev/null >/dev/null 2>&1 || fail "record samples/syscalls"
TUI_ARGS="replay --cli $TMP/sys"
S=cli3
tui_start $S 100 30 RRTUI_HISTORY=$HIST
expect $S "prompt (syscalls)" '^\(rrtui\) ?$' || finish
keys $S "c" Enter
expect $S "continuing" '^Continuing\.$'
keys $S C-c
expect $S "Ctrl-C stops the replay" '^Program received signal SIGINT, Interrupt\.$'
keys $S "when" Enter
expect $S "at an exact position" '^Current event: [0-9]+$'
keys $S "c" Enter
expect $S "continue goes on to the end" '^\[Inferior 1 \(process [0-9]+\) exited normally\]$'
finish
