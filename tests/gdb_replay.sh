#!/bin/bash
# gdb_replay.sh — the real gdb (batch mode) against real replays: records
# two samples with the built rrtui ($RRTUI), serves each recording with
# tests/gdb_replay_server (gdb_replay_serve over tl_open) and drives gdb
# through forward and reverse sessions: breakpoints, stepping, finish,
# watchpoints with their old and new values, both ends of the recording,
# and the monitor commands. The server prints its port before it accepts,
# so gdb starts only once the port is known: no sleeps.
#
# Each scenario is a gdb command list and the lines its output must
# contain, in order. Where a scenario ends with `info registers` and
# `x/16xb $rsp`, the values gdb showed must equal what the engine itself
# (tl_get_regs, tl_read) says at the same stop, which the server prints
# once gdb has gone. A scenario held up by a known bug of the replay engine
# is marked XFAIL with the bug; it reports XPASS once the bug is fixed (then
# drop the mark) and never fails the test.
set -u
builddir=${top_builddir:-$PWD}
server=$builddir/tests/gdb_replay_server
rrtui=${RRTUI:-$builddir/rrtui}
command -v gdb >/dev/null || { echo "gdb not installed"; exit 77; }
for f in "$server" "$rrtui" "$builddir/samples/crash" "$builddir/samples/clock"; do
	[ -x "$f" ] || { echo "FAIL: $f not built"; exit 1; }
done
tmp=$(mktemp -d /tmp/gdb_replay.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export RRTUI_TRACE_DIR=$tmp/traces
fail=0

# ---- the recordings ------------------------------------------------------
crash=$builddir/samples/crash
clock=$builddir/samples/clock
"$rrtui" record -o "$tmp/crash" "$crash" >"$tmp/crash.rec" 2>&1
"$rrtui" record -o "$tmp/clock" "$clock" 0 3 </dev/null >"$tmp/clock.rec" 2>&1
for t in crash clock; do
	[ -f "$tmp/$t/trace" ] || [ -n "$(ls -A "$tmp/$t" 2>/dev/null)" ] || {
		echo "FAIL: recording $t"; cat "$tmp/$t.rec"; exit 1; }
done

# gdb keeps its registers over a monitor command that moves the replay:
# the hook rrtui gives gdb (GDB_REPLAY_GDBINIT in cmds/gdb_backend.h).
cat >"$tmp/rrtui.gdb" <<'EOF'
define hookpost-monitor
maintenance flush register-cache
end
EOF

# run NAME TRACE PROGRAM -- GDB-COMMANDS... ; gdb's output in $tmp/NAME.out,
# the server's in $tmp/NAME.srv.
run() {
	local name=$1 trace=$2 prog=$3; shift 4
	local gargs=(-batch -nx -ex 'set confirm off' -ex 'set pagination off')
	coproc SRV { exec "$server" "$trace" 2>"$tmp/$name.srv"; }
	# Bash forgets the coproc's variables once it exits: keep them now.
	local spid=$SRV_PID sfd=${SRV[0]} port
	if ! read -r -t 30 port <&"$sfd"; then
		echo "FAIL: $name: no port from the server"; cat "$tmp/$name.srv"
		fail=1; return
	fi
	gargs+=(-ex "target remote 127.0.0.1:$port")
	for c in "$@"; do gargs+=(-ex "$c"); done
	timeout 100 gdb "${gargs[@]}" "$prog" >"$tmp/$name.out" 2>&1
	wait "$spid"
}

# found NAME LINE... : do the lines appear, in this order (fixed strings)?
found() {
	local name=$1; shift
	local rest=$tmp/$name.rest
	cp "$tmp/$name.out" "$rest"
	for want in "$@"; do
		local n
		n=$(grep -n -F -m1 -- "$want" "$rest" | cut -d: -f1)
		if [ -z "$n" ]; then
			missing=$want
			return 1
		fi
		tail -n +"$((n + 1))" "$rest" >"$rest.new"; mv "$rest.new" "$rest"
	done
	return 0
}

show() {
	echo "---- gdb output:"; cat "$tmp/$1.out"
	echo "---- server:"; grep -v '^[<-]' "$tmp/$1.srv"; echo "----"
}

expect() {
	local name=$1; shift
	if found "$name" "$@"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: missing (in order): $missing"; show "$name"; fail=1
	fi
}

# expect_xfail NAME BUG LINE... : as expect, for a known engine bug.
expect_xfail() {
	local name=$1 bug=$2; shift 2
	if found "$name" "$@"; then
		echo "XPASS: $name (engine bug fixed? $bug): drop the XFAIL mark"
	else
		echo "XFAIL: $name: $bug (missing: $missing)"
	fi
}

# same_regs NAME : gdb's last `info registers` and `x/16xb $rsp` against
# the engine's values at the same stop.
same_regs() {
	local name=$1 eng r want got bytes
	eng=$(grep '^engine: ' "$tmp/$name.srv")
	if [ -z "$eng" ]; then
		echo "FAIL: $name: the engine printed no registers"; show "$name"; fail=1; return
	fi
	for r in rip rsp rax rbx rdi eflags; do
		want=$(sed -n "s/.* $r=\(0x[0-9a-f]*\).*/\1/p" <<<" ${eng#engine: }")
		got=$(awk -v r="$r" '$1 == r { v = $2 } END { print v }' "$tmp/$name.out")
		if [ -z "$got" ] || [ "$got" != "$want" ]; then
			echo "FAIL: $name: $r: gdb shows '$got', the engine '$want'"; show "$name"
			fail=1; return
		fi
	done
	want=$(sed -n 's/.* stack=\([0-9a-fx,]*\).*/\1/p' <<<"$eng")
	bytes=$(grep -E '^0x[0-9a-f]+:'$'\t''0x' "$tmp/$name.out" | tail -2 | cut -f2- | tr '\t' ',' | paste -sd,)
	if [ -z "$want" ] || [ "$bytes" != "$want" ]; then
		echo "FAIL: $name: x/16xb \$rsp: gdb shows '$bytes', the engine '$want'"; show "$name"
		fail=1; return
	fi
	echo "PASS: $name: registers and memory equal the engine's"
}

regs=('info registers rip rsp rax rbx rdi eflags' 'x/16xb $rsp')

# ---- forward --------------------------------------------------------------
run forward "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'next' 'next' \
	'finish' 'next' 'step' "${regs[@]}"
expect forward '"ada") at ' \
	$'41\t        u->name[i] = name[i];' $'40\t    for (i = 0;' \
	'main () at ' $'70\t        printf("user' \
	$'67\t    for (i = 0;' $'68\t        u->id'
same_regs forward

# ---- reverse --------------------------------------------------------------
run reverse "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'continue' \
	'reverse-continue' 'next' 'next' 'next' 'reverse-next' 'reverse-step' "${regs[@]}"
expect reverse '"ada") at ' '"grace") at ' '"ada") at ' $'41\t' $'40\t' $'41\t' $'40\t' $'41\t'
same_regs reverse

# reverse-finish: gdb runs back to the function's entry with a breakpoint,
# then one reverse-stepi to the call.
run revfinish "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'next' 'delete' \
	'reverse-finish' 'reverse-next'
expect_xfail revfinish 'reverse_stepi right after a breakpoint stop does not move' \
	'main () at ' $'69\t        set_name' $'68\t        u->id'

# The start of the recording: nothing before it (a reverse-stepi that
# arrives at the first instruction is an ordinary step).
# And a read that runs off the top of the stack gets the readable part.
run start "$tmp/clock" "$clock" -- 'reverse-stepi' 'reverse-continue' 'stepi' \
	'reverse-stepi' 'info registers rip' 'x/16xb 0x7fffffffeff8'
expect start 'No more reverse-execution history.' 'No more reverse-execution history.' \
	'in _start ()' '<_start>' $'0x7fffffffeff8:\t0x' \
	'Cannot access memory at address 0x7ffffffff000'

# ---- watchpoints ----------------------------------------------------------
run watch "$tmp/crash" "$crash" -- 'break crash.c:65' 'continue' 'watch -l s->greeting' \
	'continue' 'continue' "${regs[@]}"
expect watch 'Hardware watchpoint 2: -location s->greeting' \
	'Old value = 0x0' 'New value = 0x555555556079 "Hello"' \
	'Old value = 0x555555556079 "Hello"' 'New value = ' 'set_name (u='
same_regs watch

# Reverse: at the crash's greet(), where the greeting pointer is garbage,
# reverse-continue to the overflow that wrote it (before the write), then
# to where it was set.
run rwatch "$tmp/crash" "$crash" -- 'break greet' 'continue' 'watch -l s->greeting' \
	'reverse-continue' 'reverse-continue'
expect_xfail rwatch 'reverse_continue to a watched write stops at the previous event boundary' \
	'Old value = 0x69532d6e72656c6c' 'New value = 0x532d6e72656c6c' \
	'set_name (u=' $'41\t        u->name[i] = name[i];' \
	'Old value = ' 'New value = 0x0' $'65\t    s->greeting = "Hello";'

# ---- the end of the recording ---------------------------------------------
run crashend "$tmp/crash" "$crash" -- 'hbreak greet' 'continue' 'continue' 'bt 1' \
	'continue'
expect crashend 'Hardware assisted breakpoint 1 at' 'Breakpoint 1, greet (' \
	'Program received signal SIGSEGV, Segmentation fault.' '#0  ' \
	'Program terminated with signal SIGSEGV, Segmentation fault.'

run exit "$tmp/clock" "$clock" -- 'continue' 'reverse-stepi' 'continue' 'continue'
expect exit 'No more reverse-execution history.' '_exit' \
	'No more reverse-execution history.' 'exited normally'

# ---- monitor commands -------------------------------------------------------
run monitor "$tmp/clock" "$clock" -- "source $tmp/rrtui.gdb" 'monitor when' \
	'monitor seek 30' 'monitor when' \
	'python import re; o = gdb.execute("monitor checkpoint", to_string=True); print(o, end=""); gdb.set_convenience_variable("ck", int(re.search(r"Checkpoint (\d+)", o).group(1)))' \
	'stepi' 'stepi' 'eval "monitor restart %d", $ck' 'monitor when' 'monitor bogus' \
	"${regs[@]}"
expect monitor 'Current event: 1' 'Current event: 30' 'Position: 30' 'Current event: 30' \
	'Checkpoint ' 'Restarted at checkpoint' 'Current event: 30' \
	'unknown monitor command "bogus"'
same_regs monitor

# The session left the timeline usable: one more stepi after it.
for s in forward reverse monitor; do
	grep -q '^after stepi: ' "$tmp/$s.srv" ||
		{ echo "FAIL: $s: the timeline was not usable after the session"; fail=1; }
done

exit $fail
