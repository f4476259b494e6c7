#!/bin/bash
# gdb_console.sh — the gdb server started from inside a debugging session,
# with the console command `gdbserver [--once] [HOST:]PORT`
# (cmds/gdb_cmd.c): in the line-mode console (rrtui replay -batch -ex
# 'gdbserver --once ...': the command returns when gdb detaches) and in the
# full-screen TUI (in tmux, through tests/e2e/tui_lib.sh: without --once the
# server waits for the next gdb until Ctrl-C). gdb moves the replay; while
# it holds the session the TUI's status line follows it; once the server
# stops, the console's next commands and the TUI's panes show where gdb
# left the replay.
#
# Synchronisation: the port
# is read from the console's output (a pipe), the TUI's screen is polled
# with a deadline (tui_lib.sh's wait_for); no sleeps.
set -u
builddir=${top_builddir:-$PWD}
rrtui=${RRTUI:-$builddir/rrtui}
crash=$builddir/samples/crash
command -v gdb >/dev/null || { echo "gdb not installed"; exit 77; }
for f in "$rrtui" "$crash"; do
	[ -x "$f" ] || { echo "FAIL: $f not built"; exit 1; }
done
tmp=$(mktemp -d /tmp/gdb_console.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export RRTUI_TRACE_DIR=$tmp/traces
fail=0

# rrtui exits as the program did (SIGSEGV): look for the trace instead.
"$rrtui" record -o "$tmp/crash" "$crash" >"$tmp/crash.rec" 2>&1
[ -f "$tmp/crash/events" ] || { echo "FAIL: recording"; cat "$tmp/crash.rec"; exit 1; }

# shellcheck source=tests/gdb_lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/gdb_lib.sh"	# found

# ---- the line-mode console -------------------------------------------------
coproc RR { exec "$rrtui" replay -batch -ex 'gdbserver --once 127.0.0.1:0' -ex 'when' \
	-ex 'info registers rip' -ex 'bt' "$tmp/crash" 2>&1; }
rpid=$RR_PID
exec {rfd}<&"${RR[0]}"
port=
: >"$tmp/console.head"
while read -r -t 120 line <&"$rfd"; do
	echo "$line" >>"$tmp/console.head"
	port=$(sed -n 's/^Listening for gdb on .*:\([0-9]*\);.*/\1/p' <<<"$line")
	[ -n "$port" ] && break
	case $line in *'Undefined command: "gdbserver"'*) break;; esac
done
if [ -z "$port" ]; then
	echo "FAIL: console: no port"; cat "$tmp/console.head"; exit 1
fi
cat <&"$rfd" >"$tmp/console.rest" &
catpid=$!
timeout 100 gdb -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'break set_name' \
	-ex 'continue' -ex 'next' -ex 'monitor when' -ex 'info registers rip' "$crash" \
	>"$tmp/console.gdb" 2>&1
wait "$catpid"
wait "$rpid"
exec {rfd}<&-
if found "$tmp/console.gdb" 'Breakpoint 1, set_name (' $'41\t' 'Current event: 42' \
	'Position: 42@0x555555555175#1+8' 'rip            0x55555555517f'; then
	echo "PASS: console: gdb moved the replay"
else
	echo "FAIL: console: gdb: missing $missing"; cat "$tmp/console.gdb"; fail=1
fi
if found "$tmp/console.rest" 'gdb detached.' 'set_name (' 'Current event: 42' \
	'Position: 42@0x555555555175#1+8' 'rip            0x55555555517f' '#0  set_name (' \
	'#1  0x'; then
	echo "PASS: console: the session is where gdb left it"
else
	echo "FAIL: console: after gdb: missing $missing"; cat "$tmp/console.rest"; fail=1
fi

# ---- the TUI -----------------------------------------------------------------
if ! command -v tmux >/dev/null; then
	echo "SKIP: tui: tmux not installed"
	exit $fail
fi
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# tui_lib.sh: the real rrtui on our recording, no expectation file (and
# not its own recording of the clock sample).
unset TUI_REAL
TUI_PROG=$rrtui TUI_EXPECT=/dev/null TUI_ARGS="replay $tmp/crash"
export TUI_PROG TUI_EXPECT TUI_ARGS
# shellcheck source=/dev/null
. "$srcdir/tests/e2e/tui_lib.sh"
# tui_lib.sh set its own EXIT trap (its tmux server); ours goes too.
trap 'cleanup; rm -rf "$tmp"' EXIT
[ "$fail" -eq 0 ] || failures=1

S=gdbtui
tui_start $S 120 40
expect $S "the TUI opens" '\[Source'
keys $S :
keys $S -l 'gdbserver 127.0.0.1:0'
keys $S Enter
expect $S "the command listens" '^Listening for gdb on 127\.0\.0\.1:[0-9]+;'
expect $S "the status line waits for gdb" 'waiting for gdb on 127\.0\.0\.1:[0-9]+'
port=$(screen $S | sed -n 's/^Listening for gdb on .*:\([0-9]*\);.*/\1/p' | head -1)
# While gdb holds the session it looks at the screen itself (gdb's `shell`
# runs the check between two gdb commands), so the replay it moved shows
# before it detaches.
cat >"$tmp/seen.sh" <<EOF
#!/bin/bash
# seen.sh REGEX: polls the TUI's screen until a line matches (deadline).
limit=\$((\$(date +%s%3N) + 20000))
while [ "\$(date +%s%3N)" -lt "\$limit" ]; do
	tmux -S "$TMP/$S.sock" capture-pane -p -t $S | grep -Eq -- "\$1" && { echo "SEEN: \$1"; exit 0; }
	sleep 0.02
done
echo "NOT SEEN: \$1"
exit 1
EOF
timeout 100 gdb -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'break set_name' \
	-ex 'continue' -ex "shell bash $tmp/seen.sh 'gdb on port $port: event 42/'" \
	-ex 'next' -ex 'detach' "$crash" >"$tmp/tui.gdb" 2>&1
if grep -q "^SEEN: gdb on port $port: event 42/" "$tmp/tui.gdb"; then
	pass "the status line follows gdb (event 42) while gdb holds the session"
else
	fail "the status line did not show gdb's move"; show_screen $S; cat "$tmp/tui.gdb"
fi
expect $S "the console says gdb detached" '^gdb detached\.'
# Without --once the server waits for the next gdb; Ctrl-C stops it.
expect $S "the server waits for the next gdb" '^Waiting for the next gdb on 127\.0\.0\.1:[0-9]+'
expect $S "the status line waits for the next gdb" 'waiting for gdb on 127\.0\.0\.1:[0-9]+'
keys $S C-c
expect $S "Ctrl-C stops the server" '^gdb server stopped\.'
expect_marker $S "the source pane is where gdb left the replay" 41
expect $S "the status line shows the position gdb left" 'event 42/[0-9]+ \| 42@0x555555555175#1\+8'
# The TUI goes on: a step from there moves it.
keys $S Escape
keys $S s
expect_marker $S "a step in the TUI after gdb" 40
keys $S :
keys $S -l quit
keys $S Enter
expect $S "quit" "TUI-EXITED rc=0"
finish
