#!/bin/bash
# gdb_server.sh — the real gdb (batch mode) against the gdb server over the
# scripted fake replay (tests/gdb_fake_server). The fake server prints its
# port on stdout before it accepts, so gdb starts only once the port is
# known: no sleeps. Each scenario is a gdb command list and the lines its
# output must contain, in order.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$PWD}
server=$builddir/tests/gdb_fake_server
command -v gdb >/dev/null || { echo "gdb not installed"; exit 77; }
[ -x "$server" ] || { echo "FAIL: $server not built"; exit 1; }
tmp=$(mktemp -d /tmp/gdb_server.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

# run NAME SERVER-ARGS -- GDB-COMMANDS... ; output in $tmp/NAME.out
run() {
	local name=$1; shift
	local sargs=()
	while [ "$1" != -- ]; do sargs+=("$1"); shift; done
	shift
	local gargs=(-batch -nx -ex 'set architecture i386:x86-64' -ex 'set confirm off')
	coproc SRV { exec "$server" "${sargs[@]}" 2>"$tmp/$name.srv"; }
	# Bash forgets the coproc's variables once it exits: keep them now.
	local spid=$SRV_PID sfd=${SRV[0]} port
	if ! read -r -t 30 port <&"$sfd"; then
		echo "FAIL: $name: no port from the server"; fail=1; return
	fi
	gargs+=(-ex "target remote 127.0.0.1:$port")
	for c in "$@"; do gargs+=(-ex "$c"); done
	timeout 120 gdb "${gargs[@]}" >"$tmp/$name.out" 2>&1
	wait "$spid"
	cat "$tmp/$name.srv" >>"$tmp/$name.out"
}

# expect NAME LINE... : each line appears, in this order (fixed strings).
expect() {
	local name=$1; shift
	local rest=$tmp/$name.rest
	cp "$tmp/$name.out" "$rest"
	for want in "$@"; do
		local n
		n=$(grep -n -F -m1 -- "$want" "$rest" | cut -d: -f1)
		if [ -z "$n" ]; then
			echo "FAIL: $name: missing (in order): $want"
			echo "---- gdb output:"; cat "$tmp/$name.out"; echo "----"
			fail=1; return
		fi
		tail -n +"$((n + 1))" "$rest" >"$rest.new"; mv "$rest.new" "$rest"
	done
	echo "PASS: $name"
}

run basic -- 'info registers rip' 'x/4xb 0x401000' 'break *0x401020' 'continue' \
	'info registers rip rax' 'reverse-continue' 'reverse-stepi' 'monitor when' \
	'stepi' 'info registers rip' 'monitor seek 30' 'monitor when' 'monitor checkpoint' \
	'monitor restart 1' 'monitor bogus' 'x/16xb 0x401ff8' 'info registers ds orig_rax fs_base'
expect basic \
	'rip            0x401000            0x401000' \
	'0x401000:	0x03	0x0a	0x11	0x18' \
	'Breakpoint 1 at 0x401020' \
	'Breakpoint 1, 0x0000000000401020 in ?? ()' \
	'rip            0x401020            0x401020' \
	'rax            0x8                 8' \
	'No more reverse-execution history.' \
	'No more reverse-execution history.' \
	'Current event: 0' \
	'0x0000000000401004 in ?? ()' \
	'rip            0x401004            0x401004' \
	'At event 30' \
	'Current event: 30' \
	'Checkpoint 1 at event 30' \
	'At event 30' \
	'unknown monitor command' \
	'0x401ff8:	0xcb	0xd2	0xd9	0xe0	0xe7	0xee	0xf5	0xfc' \
	'Cannot access memory at address 0x402000' \
	'ds             <unavailable>' \
	'orig_rax       0xffffffffffffffff  -1' \
	'fs_base        0x7f0000001000' \
	'session ended: detach'

run watch -- 'watch *(long*)0x400800' 'continue' 'info registers rip' \
	'reverse-continue' 'info registers rip' 'delete' 'hbreak *0x401010' \
	'reverse-continue' 'delete' 'continue' 'kill'
expect watch \
	'Hardware watchpoint 1: *(long*)0x400800' \
	'Old value = 0' 'New value = 41' \
	'rip            0x4010a4            0x4010a4' \
	'Old value = 41' 'New value = 0' \
	'rip            0x4010a0            0x4010a0' \
	'Hardware assisted breakpoint 2 at 0x401010' \
	'Breakpoint 2, 0x0000000000401010 in ?? ()' \
	'No more reverse-execution history.' \
	'session ended: kill'

# gdb caches registers across a monitor command: after "monitor seek" it
# shows the new position only once told to flush (a gdb limitation).
run seek -- 'monitor seek 30' 'maintenance flush register-cache' 'info registers rip rax'
expect seek 'At event 30' 'rip            0x401078            0x401078' 'rax            0x1e                30'

run exit --exit -- 'continue'
expect exit '[Inferior 1 (Remote target) exited normally]' 'session ended: disconnect'

exit $fail
