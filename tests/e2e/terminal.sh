#!/usr/bin/env bash
# tests/e2e/terminal.sh — a program recorded on a real terminal (a tmux
# pane): the clock sample puts the terminal in raw mode, reads a key typed
# while it runs, and is stopped with Ctrl-C from the terminal. The replay
# prints the same output and exit status, and the trace shows the SIGINT.
# Synchronisation polls files and the pane with a deadline; no bare sleeps.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || skip "tmux not installed"
need_sample clock
sock=$TMP/tmux.sock
t() { tmux -S "$sock" "$@"; }
trap 't kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# wait_until DESCRIPTION COMMAND...: polls COMMAND for up to 30 s.
wait_until() {
	local what=$1 i
	shift
	for ((i = 0; i < 300; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for $what"
	return 1
}

t new-session -d -x 80 -y 24 "cd '$TMP' && '$RRTUI' record -o clk '$SAMPLES/clock' 1 >rec.out 2>rec.err; echo \$? >rc; tmux -S '$sock' wait-for -S done; sleep 30"
wait_until "the first clock line" grep -q '^001' "$TMP/rec.out" &&
	t send-keys -t 0 2 &&
	wait_until "the second clock line" grep -q '^002' "$TMP/rec.out" &&
	t send-keys -t 0 C-c &&
	wait_until "the recording to end" test -s "$TMP/rc"
rec_status=$(cat "$TMP/rc" 2>/dev/null || echo none)
if [ -d "$TMP/clk" ]; then
	rr replay -a "$TMP/clk" >"$TMP/rep.out" 2>"$TMP/rep.err" </dev/null
	st=$?
	[ "$st" = "$rec_status" ] && pass "replay exit status $st equals the recording's" ||
		fail "replay exit status $st, recorded $rec_status"
	same_file clock "replay stdout" "$TMP/rec.out" "$TMP/rep.out" && pass "replay stdout identical"
	rr dump "$TMP/clk" >"$TMP/dump" 2>&1
	grep -q 'signal SIGINT' "$TMP/dump" && pass "SIGINT from the terminal recorded" ||
		fail "no SIGINT event in the trace"
	grep -q 'syscall ioctl' "$TMP/dump" && pass "terminal ioctls recorded" ||
		fail "no ioctl in the trace"
	grep -q 'syscall read(0' "$TMP/dump" && pass "the typed key was read" ||
		fail "no read of the terminal in the trace"
else
	fail "no trace was made"
	cat "$TMP/rec.err" 2>/dev/null
fi
finish
