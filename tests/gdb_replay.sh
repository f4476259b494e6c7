#!/bin/bash
# gdb_replay.sh — the real gdb (batch mode) against real replays: records
# two samples with the built rrtui ($RRTUI), serves each recording with
# tests/gdb_replay_server (gdb_replay_serve over tl_open) or with rrtui
# itself (replay -s 0), and drives gdb through forward and reverse
# sessions: breakpoints, stepping, finish, watchpoints (write, read,
# access) with their old and new values, both ends of the recording, the
# monitor commands, the library list, the executable and auxv gdb fetches,
# refused writes and malformed packets, and sessions that end abruptly.
# The server prints its port before it accepts, so gdb starts only once the
# port is known: no sleeps.
#
# Each scenario is a gdb command list and the lines its output must
# contain, in order. The expected stops of the reverse scenarios are the
# ones gdb 13's own `record full` gives on the same program (checked by
# hand; `record full` cannot run in the suite: it stops at the AVX-512
# string functions of glibc unless GLIBC_TUNABLES hides them). Where a
# scenario ends with `info registers` and `x/16xb $rsp`, the values gdb
# showed must equal what the engine itself (tl_get_regs, tl_read) says at
# the same stop, which the server prints once gdb has gone, and what
# rrtui's own console prints at that position (`rrtui replay -batch -ex
# 'run POSITION' -ex 'info registers'`).
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
	[ -f "$tmp/$t/events" ] || { echo "FAIL: recording $t"; cat "$tmp/$t.rec"; exit 1; }
done

# gdb keeps its registers over a monitor command that moves the replay:
# the hook rrtui gives gdb (GDB_REPLAY_GDBINIT in cmds/gdb_backend.h).
cat >"$tmp/rrtui.gdb" <<'EOF'
define hookpost-monitor
maintenance flush register-cache
end
EOF

# start_server NAME TRACE [ARGS]: runs gdb_replay_server (packet trace on,
# in $tmp/NAME.srv; ARGS default to --once: one gdb, then it prints the
# engine's state and exits) and sets $port and $spid.
start_server() {
	local name=$1 trace=$2; shift 2
	local args=("$@")
	[ $# -eq 0 ] && args=(--once)
	coproc SRV { exec "$server" -v "${args[@]}" "$trace" 2>"$tmp/$name.srv"; }
	# Bash forgets the coproc's variables once it exits: keep them now.
	spid=$SRV_PID
	local sfd=${SRV[0]}
	port=
	if ! read -r -t 30 port <&"$sfd"; then
		echo "FAIL: $name: no port from the server"; cat "$tmp/$name.srv"
		fail=1; return 1
	fi
}

# run NAME TRACE PROGRAM -- GDB-COMMANDS... ; gdb's output in $tmp/NAME.out,
# the server's in $tmp/NAME.srv. An empty PROGRAM: gdb gets none and must
# ask the server for it.
run() {
	local name=$1 trace=$2 prog=$3; shift 4
	start_server "$name" "$trace" || return
	gdb_to "$name" "$prog" "$@"
	wait "$spid"
}

# gdb_to NAME PROGRAM GDB-COMMANDS... : one gdb on the server at $port;
# its output in $tmp/NAME.out.
gdb_to() {
	local name=$1 prog=$2; shift 2
	local gargs=(-batch -nx -ex 'set confirm off' -ex 'set pagination off')
	gargs+=(-ex "target remote 127.0.0.1:$port")
	for c in "$@"; do gargs+=(-ex "$c"); done
	[ -n "$prog" ] && gargs+=("$prog")
	timeout 100 gdb "${gargs[@]}" >"$tmp/$name.out" 2>&1
}

# shellcheck source=tests/gdb_lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/gdb_lib.sh"	# found

show() {
	echo "---- gdb output:"; cat "$tmp/$1.out"
	echo "---- server:"; grep -v '^[<-]' "$tmp/$1.srv"; echo "----"
}

expect() {
	local name=$1; shift
	if found "$tmp/$name.out" "$@"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: missing (in order): $missing"; show "$name"; fail=1
	fi
}

# expect_srv NAME LINE... : the same on the server's side (its packet trace
# and what it printed after the session).
expect_srv() {
	local name=$1; shift
	if found "$tmp/$name.srv" "$@"; then
		echo "PASS: $name (server)"
	else
		echo "FAIL: $name: server: missing (in order): $missing"; show "$name"; fail=1
	fi
}

# The registers gdb's `info registers` shows for our target description,
# and the two it shows on request.
reg_names="rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 rip eflags
	cs ss ds es fs gs fs_base gs_base"
regs=('info registers' 'info registers fs_base gs_base' 'x/16xb $rsp')

# last_reg FILE NAME: the hex value of the last "NAME  0x..." line.
last_reg() { awk -v r="$2" '$1 == r && $2 ~ /^0x/ { v = $2 } END { print v }' "$1"; }
# last_bytes FILE: the last two lines of an x/16xb, as one comma list.
last_bytes() {
	grep -E '^0x[0-9a-f]+:'$'\t''0x' "$1" | tail -2 | cut -f2- | tr '\t' ',' | paste -sd,
}

# same_regs NAME TRACE: gdb's last `info registers` and `x/16xb $rsp`
# against the engine's values at the same stop, and against rrtui's own
# console moved to the position the engine names.
same_regs() {
	local name=$1 trace=$2 eng r want got pos own
	eng=$(grep '^engine: ' "$tmp/$name.srv")
	if [ -z "$eng" ]; then
		echo "FAIL: $name: the engine printed no registers"; show "$name"; fail=1; return
	fi
	pos=$(sed -n 's/.* position=\([^ ]*\) .*/\1/p' <<<"$eng")
	own=$tmp/$name.own
	"$rrtui" replay -batch -ex "run $pos" -ex 'info registers' -ex 'x/16xb $rsp' "$trace" \
		>"$own" 2>&1
	for r in $reg_names; do
		want=$(sed -n "s/.* $r=\(0x[0-9a-f]*\).*/\1/p" <<<" ${eng#engine: }")
		got=$(last_reg "$tmp/$name.out" "$r")
		if [ -z "$got" ] || [ "$got" != "$want" ]; then
			echo "FAIL: $name: $r: gdb shows '$got', the engine '$want'"; show "$name"
			fail=1; return
		fi
		want=$(last_reg "$own" "$r")
		if [ "$got" != "$want" ]; then
			echo "FAIL: $name: $r: gdb shows '$got', rrtui's console at $pos '$want'"
			cat "$own"; fail=1; return
		fi
	done
	want=$(sed -n 's/.* stack=\([0-9a-fx,]*\).*/\1/p' <<<"$eng")
	got=$(last_bytes "$tmp/$name.out")
	if [ -z "$want" ] || [ "$got" != "$want" ] || [ "$got" != "$(last_bytes "$own")" ]; then
		echo "FAIL: $name: x/16xb \$rsp: gdb shows '$got', the engine '$want'," \
			"rrtui '$(last_bytes "$own")'"; show "$name"
		fail=1; return
	fi
	echo "PASS: $name: all registers and x/16xb equal the engine's and rrtui's"
}

# ---- forward --------------------------------------------------------------
run forward "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'next' 'next' \
	'finish' 'next' 'step' "${regs[@]}"
expect_srv forward '<- vCont;c' 'T05thread:' 'swbreak:;'
expect forward '"ada") at ' \
	$'41\t        u->name[i] = name[i];' $'40\t    for (i = 0;' \
	'main () at ' $'70\t        printf("user' \
	$'67\t    for (i = 0;' $'68\t        u->id'
same_regs forward "$tmp/crash"

# ---- reverse --------------------------------------------------------------
# The x87/SSE registers come from the replay too (not <unavailable>): the
# default MXCSR, and xmm0 as a number, forward and after going back.
run fpregs "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'info registers mxcsr' \
	'p/x $xmm0.v2_int64[0]' 'reverse-stepi' 'p $fctrl'
expect fpregs 'mxcsr          0x1f80              [ IM DM ZM OM UM PM ]' '$1 = 0x' '$2 = 895'

run reverse "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'continue' \
	'reverse-continue' 'next' 'next' 'next' 'reverse-next' 'reverse-step' "${regs[@]}"
expect reverse '"ada") at ' '"grace") at ' '"ada") at ' $'41\t' $'40\t' $'41\t' $'40\t' $'41\t'
same_regs reverse "$tmp/crash"

# reverse-finish: gdb runs back to the function's entry with a breakpoint,
# then one reverse-stepi to the call instruction, in the middle of line 69;
# gdb 13 then needs two reverse-nexts to reach line 68: the first goes back
# to the start of line 69 (as `record full` does).
run revfinish "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'next' 'delete' \
	'reverse-finish' 'p $pc' 'reverse-next' 'p $pc' 'reverse-next' 'p $pc'
expect revfinish 'main () at ' $'69\t        set_name' '<main+196>' \
	$'69\t        set_name' '<main+163>' $'68\t        u->id' '<main+149>'

# The start of the recording: nothing before it (a reverse-stepi that
# arrives at the first instruction is an ordinary step).
# And a read that runs off the top of the stack gets the readable part.
run start "$tmp/clock" "$clock" -- 'reverse-stepi' 'reverse-continue' 'stepi' \
	'reverse-stepi' 'info registers rip' 'x/16xb 0x7fffffffeff8'
expect start 'No more reverse-execution history.' 'No more reverse-execution history.' \
	'in _start ()' '<_start>' $'0x7fffffffeff8:\t0x' \
	'Cannot access memory at address 0x7ffffffff000'
expect_srv start '<- bs' 'replaylog:begin;' '<- bc' 'replaylog:begin;'

# ---- watchpoints ----------------------------------------------------------
run watch "$tmp/crash" "$crash" -- 'break crash.c:65' 'continue' 'watch -l s->greeting' \
	'continue' 'continue' "${regs[@]}"
expect watch 'Hardware watchpoint 2: -location s->greeting' \
	'Old value = 0x0' 'New value = 0x555555556079 "Hello"' \
	'Old value = 0x555555556079 "Hello"' 'New value = ' 'set_name (u='
same_regs watch "$tmp/crash"

# Reverse: at the crash's greet(), where the greeting pointer is garbage,
# reverse-continue through the overflow that wrote it one byte at a time
# (eight stops, each before its write), then to where it was set.
rc=()
for i in 1 2 3 4 5 6 7 8 9; do rc+=('reverse-continue' 'p $pc'); done
run rwatch "$tmp/crash" "$crash" -- 'break greet' 'continue' 'watch -l s->greeting' "${rc[@]}"
expect rwatch \
	'Old value = 0x69532d6e72656c6c' 'New value = 0x532d6e72656c6c' \
	'set_name (u=' $'41\t        u->name[i] = name[i];' '<set_name+47>' \
	'Old value = 0x532d6e72656c6c' 'New value = 0x2d6e72656c6c' '<set_name+47>' \
	'Old value = 0x2d6e72656c6c' 'New value = 0x556e72656c6c' '<set_name+47>' \
	'Old value = 0x556e72656c6c' 'New value = 0x555572656c6c' '<set_name+47>' \
	'Old value = 0x555572656c6c' 'New value = 0x555555656c6c' '<set_name+47>' \
	'Old value = 0x555555656c6c' 'New value = 0x555555556c6c' '<set_name+47>' \
	'Old value = 0x555555556c6c' 'New value = 0x55555555606c' '<set_name+47>' \
	'Old value = 0x55555555606c' 'New value = 0x555555556079 "Hello"' '<set_name+47>' \
	'Old value = 0x555555556079 "Hello"' 'New value = 0x0' \
	$'65\t    s->greeting = "Hello";' '<main+136>'

# Stepping over a watched write: gdb steps a line one instruction at a time
# and the step that writes must stop it, forward and in reverse.
run wstep "$tmp/crash" "$crash" -- 'break 62' 'continue' 'next' 'next' \
	'watch -l s->greeting' 'next' 'next' 'p $pc' 'reverse-next' 'p $pc' \
	'reverse-next' 'p $pc' 'reverse-next' 'p $pc'
expect wstep 'Hardware watchpoint 2: -location s->greeting' \
	'Old value = 0x0' 'New value = 0x555555556079 "Hello"' 'main () at ' \
	$'67\t    for (i = 0;' $'68\t        u->id' '<main+149>' \
	'Old value = 0x555555556079 "Hello"' 'New value = 0x0' \
	$'65\t    s->greeting = "Hello";' '<main+136>' \
	$'65\t    s->greeting = "Hello";' '<main+125>' $'63\t    if (!u || !s)' '<main+101>'

# A read watchpoint: x86 watches reads only with writes, so the server
# passes over the writes (the eight of the overflow, the one at line 65)
# and stops at the read in greet(), forward, and backward from the crash.
run rdwatch "$tmp/crash" "$crash" -- 'break 65' 'continue' 'rwatch -l s->greeting' \
	'continue' 'p $pc' 'continue' 'reverse-continue' 'p $pc' 'reverse-continue' 'p $pc'
expect rdwatch 'Hardware read watchpoint 2: -location s->greeting' \
	'Value = 0x69532d6e72656c6c' 'in greet (' '<greet+51>' \
	'Program received signal SIGSEGV' \
	'Value = 0x69532d6e72656c6c' '<greet+48>' \
	'Breakpoint 1, main () at ' '<main+125>'
if grep -q 'Old value' "$tmp/rdwatch.out"; then
	echo "FAIL: rdwatch: a write was reported to the read watchpoint"; show rdwatch; fail=1
fi
expect_srv rdwatch 'T05thread:' 'rwatch:55555555a2d0;'

# An access watchpoint: writes with their values, then the read.
run awatch "$tmp/crash" "$crash" -- 'break 65' 'continue' 'delete' \
	'awatch -l s->greeting' 'continue' 'continue' 'delete' 'break greet' 'continue' \
	'delete' 'awatch -l s->greeting' 'continue' 'p $pc'
expect awatch 'Hardware access (read/write) watchpoint 2: -location s->greeting' \
	'Old value = 0x0' 'New value = 0x555555556079 "Hello"' $'67\t' \
	'Old value = 0x555555556079 "Hello"' 'New value = 0x55555555606c' 'set_name (' \
	'Breakpoint 3, greet (' \
	'Hardware access (read/write) watchpoint 4: -location s->greeting' \
	'Value = 0x69532d6e72656c6c' '<greet+51>'
expect_srv awatch 'awatch:55555555a2d0;'

# Back from a forward watchpoint stop: gdb is right after the write, and a
# reverse-continue must stop before that same write (record full: Old ""
# New 0x55555555606c at <set_name+47>).
run watchback "$tmp/crash" "$crash" -- 'break 65' 'continue' 'delete' \
	'watch -l s->greeting' 'continue' 'continue' 'continue' 'reverse-continue' 'p $pc' \
	'reverse-continue' 'p $pc'
expect watchback \
	'Old value = 0x55555555606c' 'New value = 0x555555556c6c' \
	'Old value = 0x555555556c6c ""' 'New value = 0x55555555606c' '<set_name+47>' \
	'Old value = 0x55555555606c' 'New value = 0x555555556079 "Hello"' '<set_name+47>'

# The same right after the read: back over that same read.
run rdback "$tmp/crash" "$crash" -- 'break 65' 'continue' 'rwatch -l s->greeting' \
	'continue' 'reverse-continue' 'p $pc' 'info registers rip'
expect rdback 'Value = 0x69532d6e72656c6c' 'in greet (' 'Value = 0x69532d6e72656c6c' '<greet+48>'

# ---- the end of the recording ---------------------------------------------
run crashend "$tmp/crash" "$crash" -- 'hbreak greet' 'continue' 'continue' 'bt 1' \
	'continue'
expect crashend 'Hardware assisted breakpoint 1 at' 'Breakpoint 1, greet (' \
	'Program received signal SIGSEGV, Segmentation fault.' '#0  ' \
	'Program terminated with signal SIGSEGV, Segmentation fault.'
expect_srv crashend 'hwbreak:;' 'T0b' 'X0b'

run exit "$tmp/clock" "$clock" -- 'continue' 'reverse-stepi' 'continue' 'continue'
expect exit 'No more reverse-execution history.' '_exit' \
	'No more reverse-execution history.' 'exited normally'
expect_srv exit 'replaylog:end;' 'replaylog:end;' 'W00'

# ---- monitor commands -------------------------------------------------------
run monitor "$tmp/clock" "$clock" -- "source $tmp/rrtui.gdb" 'monitor when' \
	'monitor seek 30' 'monitor when' \
	'python import re; o = gdb.execute("monitor checkpoint", to_string=True); print(o, end=""); gdb.set_convenience_variable("ck", int(re.search(r"Checkpoint (\d+)", o).group(1)))' \
	'stepi' 'stepi' 'eval "monitor restart %d", $ck' 'monitor when' 'monitor bogus' \
	"${regs[@]}"
expect monitor 'Current event: 1' 'Current event: 30' 'Position: 30' 'Current event: 30' \
	'Checkpoint ' 'Restarted at checkpoint' 'Current event: 30' \
	'unknown monitor command "bogus"'
same_regs monitor "$tmp/clock"

# ---- what gdb reads besides registers and memory ---------------------------
# The library list (qXfer:libraries-svr4): gdb's table must be the same as
# when gdb walks the dynamic linker's list itself.
lib_table() { sed -n '/^From  *To  *Syms Read/,/^[^ 0-9F]/p' "$tmp/$1.out" | grep -E '^( |0x)'; }
run libs "$tmp/crash" "$crash" -- 'info sharedlibrary' 'break set_name' 'continue' \
	'info sharedlibrary'
run libsoff "$tmp/crash" "$crash" -- 'set remote library-info-svr4-packet off' \
	'info sharedlibrary' 'break set_name' 'continue' 'info sharedlibrary'
expect libs 'ld-linux-x86-64.so.2' 'Breakpoint 1, set_name (' \
	'/lib/x86_64-linux-gnu/libc.so.6'
expect_srv libs 'qXfer:libraries-svr4:read+' '<- qXfer:libraries-svr4:read::0,' \
	'-> l<library-list-svr4 version="1.0" main-lm="0x'
if grep -q 'warning: while parsing target library list' "$tmp/libs.out"; then
	echo "FAIL: libs: gdb did not accept the library list"; show libs; fail=1
elif [ -z "$(lib_table libs)" ] || [ "$(lib_table libs)" != "$(lib_table libsoff)" ]; then
	echo "FAIL: libs: the tables differ with and without qXfer:libraries-svr4"
	diff <(lib_table libs) <(lib_table libsoff); fail=1
else
	echo "PASS: libs: the same table as gdb's own walk"
fi

# No program on gdb's command line: gdb asks for it (qXfer:exec-file), gets
# the trace's copy, and breaks in it; the auxiliary vector (qXfer:auxv) has
# the program's entry point, which is _start.
run execfile "$tmp/crash" "" -- 'info auxv' 'break set_name' 'continue' 'p/x (long)&_start'
expect execfile "Reading symbols from $tmp/crash/files/crash-" 'AT_PHDR' 'AT_ENTRY' \
	'AT_RANDOM' 'AT_NULL' 'Breakpoint 1, set_name (' '$1 = 0x'
entry=$(awk '$2 == "AT_ENTRY" { print $NF }' "$tmp/execfile.out")
start=$(sed -n 's/^\$1 = //p' "$tmp/execfile.out")
if [ -n "$entry" ] && [ "$entry" = "$start" ]; then
	echo "PASS: execfile: AT_ENTRY is _start ($entry)"
else
	echo "FAIL: execfile: AT_ENTRY '$entry', _start '$start'"; show execfile; fail=1
fi

# ---- what the replay refuses, and packets that make no sense ----------------
run refuse "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'set var i = 5' \
	'print $rax = 1' 'set {char}$rsp = 1' 'info registers rax' \
	'maint packet m' 'maint packet Z9,0,0' 'maint packet qXfer:features:read:target.xml:zz' \
	'maint packet vCont;q' 'maint packet p' 'maint packet M0,1:00' 'maint packet G00' \
	'maint packet P0=00' 'maint packet X0,1:a' 'maint packet qNothing' \
	'maint packet Z2,0,ffffffffffffffff' 'maint packet Z3,0,ffffffffffffffff' \
	'maint packet Z4,0,ffffffffffffffff' 'maint packet Z2,7fffffffe000,8000000000000000' \
	'maint packet Z2,7fffffffe000,21' 'maint packet Z4,fffffffffffffff8,8' \
	'maint packet Z2,ffffffffffffffff,2' 'maint packet m0,ffffffffffffffff' \
	'maint packet mfffffffffffffff0,20' \
	'maint packet qXfer:auxv:read::ffffffffffffffff,ffffffffffffffff' \
	'monitor seek 18446744073709551615' 'monitor restart 2147483648' \
	'maint packet D;ffffffff' 'maint packet vKill;7fffffffffffffff' 'next'
expect refuse 'Breakpoint 1, set_name (' 'Cannot access memory at address' \
	"Could not write register \"rax\"; remote failure reply 'E01'" \
	'Cannot access memory at address' 'rax            0x55555555a2b0' \
	'received: "E02"' 'received: "E02"' 'received: "E02"' 'received: "E02"' \
	'received: "E02"' 'received: "E01"' 'received: "E01"' 'received: "E01"' \
	'received: "E01"' 'received: ""' \
	'received: "E03"' 'received: "E03"' 'received: "E03"' 'received: "E03"' \
	'received: "E03"' 'received: "E03"' 'received: "E02"' 'received: "E03"' \
	'received: "E03"' 'received: "l"' \
	'seek: event 18446744073709551615 is past the end of the recording (' \
	'usage: monitor restart CHECKPOINT' 'received: "E04"' 'received: "E04"' \
	$'41\t        u->name[i] = name[i];'

# ---- sessions that end without a goodbye ---------------------------------
# gdb killed in the middle: the server sees the connection go, and the
# replay is where gdb left it, still usable.
run gdbkill "$tmp/crash" "$crash" -- 'break set_name' 'continue' \
	'python import os, signal; os.kill(os.getpid(), signal.SIGKILL)'
expect_srv gdbkill 'session: disconnect' ' rip=0x555555555175 ' 'after stepi: '

# gdb's kill (vKill) ends the session; the replay stays.
run kill "$tmp/crash" "$crash" -- 'break set_name' 'continue' 'kill' 'info registers rip'
expect kill 'Breakpoint 1, set_name (' '[Inferior 1 (Remote target) killed]' 'The program has no registers now.'
expect_srv kill '<- vKill;' '-> OK' 'session: kill' ' rip=0x555555555175 ' 'after stepi: '

# Half a packet, then the connection closes.
if start_server hangup "$tmp/crash"; then
	exec {c}<>"/dev/tcp/127.0.0.1/$port"
	printf '+$qSupported:multipro' >&"$c"
	exec {c}>&-
	wait "$spid"
	: >"$tmp/hangup.out"
	expect_srv hangup 'session: disconnect' 'engine: ' 'after stepi: '
fi

# The same through rrtui itself: `replay -s 0 --once` serves gdb, then its console
# runs -ex commands on the replay gdb left behind.
coproc RR { exec "$rrtui" replay -s 0 --once -batch -ex 'when' -ex 'info registers rip' \
	"$tmp/crash" 2>&1; }
rpid=$RR_PID
exec {rfd}<&"${RR[0]}"
port=
while read -r -t 120 line <&"$rfd"; do
	port=$(sed -n "s/.*target remote 127.0.0.1:\([0-9]*\)'.*/\1/p" <<<"$line")
	[ -n "$port" ] && break
done
if [ -z "$port" ]; then
	echo "FAIL: rrtui replay -s 0: no port"; fail=1
else
	cat <&"$rfd" >"$tmp/rrtui_s.own" & catpid=$!
	timeout 100 gdb -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'break set_name' \
		-ex 'continue' -ex 'next' -ex 'monitor when' -ex 'detach' "$crash" \
		>"$tmp/rrtui_s.out" 2>&1
	wait "$catpid"
	expect rrtui_s 'Breakpoint 1, set_name (' $'41\t' 'Current event: 42' \
		'Position: 42@0x555555555175#1+8'
	if found "$tmp/rrtui_s.own" 'Current event: 42' 'Position: 42@0x555555555175#1+8' \
		'rip            0x55555555517f'; then
		echo "PASS: rrtui_s: rrtui's console is where gdb left the replay"
	else
		echo "FAIL: rrtui_s: rrtui's console after gdb: missing $missing"
		cat "$tmp/rrtui_s.own"; fail=1
	fi
fi
exec {rfd}<&-
wait "$rpid"

# Every session left the timeline usable: one more stepi after it.
for s in forward reverse monitor watch; do
	grep -q '^after stepi: ' "$tmp/$s.srv" ||
		{ echo "FAIL: $s: the timeline was not usable after the session"; fail=1; }
done

exit $fail
