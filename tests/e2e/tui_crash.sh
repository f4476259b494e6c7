#!/bin/bash
# tui_crash.sh — the crash sample's bug found with keys in the real TUI:
# continue to the SIGSEGV (deep in libc, where the source pane shows the
# disassembly), select greet's frame in the backtrace pane (the source and
# locals panes move to it), watch the expression under the cursor
# (s->greeting: the whole member chain) and reverse-continue: the TUI
# lands on the overflowing copy in set_name.
. "$(dirname "$0")/tui_lib.sh" real

CRASH_SRC=$top_srcdir/samples/crash.c
LINE_GREET=$(grep -nF -m1 'printf("%s, %s! (visit %d)\n", s->greeting' "$CRASH_SRC" | cut -d: -f1)
LINE_COPY=$(grep -nF -m1 'u->name[i] = name[i];' "$CRASH_SRC" | cut -d: -f1)
tui_record "$top_builddir/samples/crash"
S=crash
tui_start $S 100 30
expect $S "open" "Source: crash.c \\(not started" || finish
keys $S c
expect $S "continue: the crash" "^Program received signal SIGSEGV"
expect $S "no source at the crash: the disassembly" "\\(disassembly\\)\\]? "
expect $S "the status says so" "received signal SEGV"

for _ in 1 2 3 4 5 6; do
    [ "$(focused $S)" = Stack ] && break
    was=$(focused $S)
    keys $S Tab
    limit=$(( $(now_ms) + 5000 ))
    while [ "$(focused $S)" = "$was" ] && [ "$(now_ms)" -lt "$limit" ]; do sleep 0.02; done
done
expect $S "Tab reaches the backtrace pane" "\\[Stack\\]"
level=$(screen $S | grep -oE "#[0-9]+ +greet " | head -n 1 | sed -E 's/#([0-9]+).*/\1/')
if [ -z "$level" ]; then
    fail "greet is not in the backtrace"
    show_screen $S
    finish
fi
for _ in $(seq "$level"); do keys $S j; done
keys $S Enter
expect_marker $S "Enter on greet's frame: the source pane moves there" "$LINE_GREET"
expect $S "the locals pane too" "Locals: greet"
keys $S Escape w
expect $S "w watches the whole expression under the cursor" "^\\(rrtui\\) watch s->greeting"
keys $S C
expect_marker $S "C lands on the overflowing copy" "$LINE_COPY"
expect $S "in set_name" "Locals: set_name"
expect $S "stopped by the watchpoint" "stopped at watchpoint 1"
expect_gone $S "before the corrupted line was printed" "^user [0-9]+ is called Maximilian"
keys $S q y
expect $S "quits" "TUI-EXITED rc=0"
finish
