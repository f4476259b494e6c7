#!/bin/bash
# gdb_reconnect.sh — `rrtui replay -s` serves gdb after gdb, as gdbserver
# does: the real gdb 13 connects, moves the replay and detaches; the next
# gdb connects at once, finds the same position and goes back a step, then
# is killed; a bare TCP client connects and hangs up without a word; the
# next gdb still finds the position and runs backward to a breakpoint.
# Clients gdb would never be (tests/gdb_hostile.py: a megabyte without '#',
# a hang-up in the middle of the replies) end only their own session, and
# Ctrl-C (SIGINT) stops the server even while a client that never reads
# holds it. `--once` gives rr's behaviour: the server ends with the first
# gdb, and the next one finds nobody listening.
#
# Synchronisation: the port is read from rrtui's message through a pipe,
# "blocked" from gdb_hostile.py's; every wait has a deadline; no sleeps.
set -u
builddir=${top_builddir:-$PWD}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
rrtui=${RRTUI:-$builddir/rrtui}
crash=$builddir/samples/crash
hostile=$srcdir/tests/gdb_hostile.py
command -v gdb >/dev/null || { echo "gdb not installed"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
for f in "$rrtui" "$crash"; do
	[ -x "$f" ] || { echo "FAIL: $f not built"; exit 1; }
done
tmp=$(mktemp -d /tmp/gdb_reconnect.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
export RRTUI_TRACE_DIR=$tmp/traces
fail=0
# A client that is gone when we write to it must not end the script.
trap '' PIPE

"$rrtui" record -o "$tmp/crash" "$crash" >"$tmp/crash.rec" 2>&1
[ -f "$tmp/crash/events" ] || { echo "FAIL: recording"; cat "$tmp/crash.rec"; exit 1; }

# shellcheck source=tests/gdb_lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/gdb_lib.sh"	# found

# check NAME FILE LINE... : PASS or FAIL with the file.
check() {
	local name=$1 file=$2; shift 2
	if found "$file" "$@"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: missing (in order): $missing"; cat "$file"; fail=1
	fi
}

# start_rrtui ARGS...: rrtui replay -s 0 --no-tui ARGS on the recording, its
# stderr in $tmp/rr.err; sets $port and $rpid.
start_rrtui() {
	coproc RR { exec "$rrtui" replay -s 0 --no-tui "$@" "$tmp/crash" 2>&1; }
	rpid=$RR_PID
	exec {rfd}<&"${RR[0]}"
	port=
	local line
	# (a deadline for a failure only: a sanitizer build on a busy machine
	# takes long to load the program's debugging information)
	while read -r -t 120 line <&"$rfd"; do
		echo "$line" >>"$tmp/rr.err"
		port=$(sed -n "s/.*target remote 127.0.0.1:\([0-9]*\)'.*/\1/p" <<<"$line")
		[ -n "$port" ] && break
	done
	[ -n "$port" ] || { echo "FAIL: no port from rrtui"; cat "$tmp/rr.err"; exit 1; }
	cat <&"$rfd" >>"$tmp/rr.err" &
	catpid=$!
}

# gdb_run NAME COMMANDS...: one gdb on $port; output in $tmp/NAME.out.
gdb_run() {
	local name=$1; shift
	# gdb retries a refused connection for 15 s by default: not here, so
	# that a server that is not listening shows at once.
	local args=(-batch -nx -ex 'set confirm off' -ex 'set tcp auto-retry off'
		-ex "target remote 127.0.0.1:$port")
	for c in "$@"; do args+=(-ex "$c"); done
	# (in a subshell: a gdb that kills itself is not reported by ours)
	(timeout 100 gdb "${args[@]}" "$crash" >"$tmp/$name.out" 2>&1; true) 2>/dev/null
}

# wait_exit PID SECONDS: did the process end within the deadline (polled)?
# Its status in $status.
wait_exit() {
	local pid=$1 limit=$(($(date +%s) + $2))
	while kill -0 "$pid" 2>/dev/null; do
		[ "$(date +%s)" -lt "$limit" ] || return 1
		sleep 0.05
	done
	wait "$pid"; status=$?
	return 0
}

# ---- gdb after gdb ------------------------------------------------------------
: >"$tmp/rr.err"
start_rrtui
gdb_run first 'break set_name' 'continue' 'next' 'monitor when' 'detach'
check "first gdb moves the replay" "$tmp/first.out" 'Breakpoint 1, set_name (' $'41\t' \
	'Current event: 42' 'Position: 42@0x555555555175#1+8' '[Inferior 1 (Remote target) detached]'
gdb_run second 'monitor when' 'info registers rip' 'reverse-stepi' 'monitor when' \
	'python import os, signal; os.kill(os.getpid(), signal.SIGKILL)'
check "the next gdb finds the same position and goes back" "$tmp/second.out" \
	'Position: 42@0x555555555175#1+8' 'rip            0x55555555517f' \
	'Position: 42@0x555555555175#1+7'
# A client that connects and hangs up without a packet.
exec {c}<>"/dev/tcp/127.0.0.1/$port"
exec {c}>&-
gdb_run third 'monitor when' 'break set_name' 'reverse-continue' 'monitor when' 'detach'
check "after a killed gdb and a silent client, the position is kept" "$tmp/third.out" \
	'Position: 42@0x555555555175#1+7' 'Breakpoint 1, set_name (' \
	'Position: 42@0x555555555175#1' '[Inferior 1 (Remote target) detached]'

# ---- clients gdb would never be ----------------------------------------------
timeout 60 python3 "$hostile" "$port" flood >"$tmp/flood.out" 2>&1
check "a megabyte without '#'" "$tmp/flood.out" \
	"ok: a megabyte without '#' is refused at once" 'ok: the session goes on'
timeout 60 python3 "$hostile" "$port" hangup >"$tmp/hangup.out" 2>&1
timeout 60 python3 "$hostile" "$port" when >"$tmp/when.out" 2>&1
check "a hang-up mid-reply ends only its session" "$tmp/when.out" \
	'Position: 42@0x555555555175#1'

# A client that never reads holds the server: Ctrl-C still stops it.
mkfifo "$tmp/nr.in" "$tmp/nr.out"
timeout 60 python3 "$hostile" "$port" noread <"$tmp/nr.in" >"$tmp/nr.out" 2>&1 &
nrpid=$!
exec {nrin}>"$tmp/nr.in" {nrout}<"$tmp/nr.out"
line=
while read -r -t 30 line <&"$nrout" && [ "$line" != blocked ]; do :; done
[ "$line" = blocked ] || echo "note: the client never saw its writes block"
kill -INT "$rpid"
if wait_exit "$rpid" 20; then
	[ "$status" -eq 0 ] && echo "PASS: Ctrl-C stops the server while a client never reads" ||
		{ echo "FAIL: rrtui exited with $status after Ctrl-C"; fail=1; }
else
	echo "FAIL: rrtui did not stop on Ctrl-C while a client never reads"; fail=1
	kill -9 "$rpid"
fi
echo >&"$nrin"
exec {nrin}>&- {nrout}<&-
wait "$nrpid" 2>/dev/null
wait "$catpid"
check "rrtui said how each session ended" "$tmp/rr.err" \
	'rrtui: gdb detached; waiting for the next gdb' \
	'rrtui: gdb disconnected; waiting for the next gdb' \
	'rrtui: gdb disconnected; waiting for the next gdb' \
	'rrtui: gdb detached; waiting for the next gdb' \
	'rrtui: gdb session interrupted'

# ---- --once ----------------------------------------------------------------------
: >"$tmp/rr.err"
start_rrtui --once
gdb_run once 'break set_name' 'continue' 'detach'
if wait_exit "$rpid" 30 && [ "$status" -eq 0 ]; then
	echo "PASS: --once: the server ends with the first gdb"
else
	echo "FAIL: --once: rrtui still running or failed (${status:-})"; fail=1; kill -9 "$rpid"
fi
wait "$catpid"
gdb_run after_once 'info registers rip'
check "--once: nobody listens afterwards" "$tmp/after_once.out" 'Connection refused'
check "--once: rrtui said the session ended, and nothing more" "$tmp/rr.err" \
	'rrtui: gdb detached'
if grep -q 'waiting for the next gdb' "$tmp/rr.err"; then
	echo "FAIL: --once: rrtui waited for another gdb"; cat "$tmp/rr.err"; fail=1
fi
exit $fail
