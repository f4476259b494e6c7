#!/bin/bash
# gdb_fuzz.sh — runs the libFuzzer targets of the gdb server (tests/gdb_fuzz.c)
# for a bounded number of runs: the packet layer alone (cmds/gdb_rsp.c,
# which is pure and compiles alone) and the whole server over the scripted
# fake backend (-DGDB_FUZZ_SERVER: one session per input). Skips (77) when
# clang or libFuzzer is not there; the plain-C drivers (tests/gdb_fuzz_driver,
# tests/gdb_fuzz_server_driver) cover the same checks in the normal build.
#
# GDB_FUZZ_RUNS bounds the packet-layer target (default 200000) and
# GDB_FUZZ_SERVER_RUNS the server one (default 10000); GDB_FUZZ_SECONDS,
# when set, bounds both by time instead (bench/gdb_fuzz.sh runs them
# longer). GDB_FUZZ_KEEP=DIR keeps the corpora there, so that runs add up.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$PWD}
runs=${GDB_FUZZ_RUNS:-200000}
server_runs=${GDB_FUZZ_SERVER_RUNS:-10000}
seconds=${GDB_FUZZ_SECONDS:-}
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
mkdir -p "$builddir/tests"
# Not tests/gdb_fuzz.log: that name is this test's own log under make check.
log=$builddir/tests/gdb_fuzz.build.log
flags=(-std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -I"$srcdir")
bin=$builddir/tests/gdb_fuzz
sbin=$builddir/tests/gdb_fuzz_server
if ! clang "${flags[@]}" -o "$bin" "$srcdir/tests/gdb_fuzz.c" "$srcdir/cmds/gdb_rsp.c" \
	2>"$log"; then
	echo "clang cannot build a libFuzzer target:"; cat "$log"; exit 77
fi
if ! clang "${flags[@]}" -DGDB_FUZZ_SERVER -pthread -o "$sbin" "$srcdir/tests/gdb_fuzz.c" \
	"$srcdir/tests/gdb_fake.c" "$srcdir/cmds/gdb_rsp.c" "$srcdir/cmds/gdb_server.c" \
	"$srcdir/cmds/gdb_target_xml.c" 2>>"$log"; then
	echo "FAIL: the server fuzz target does not build:"; cat "$log"; exit 1
fi

# A fresh corpus each time (unless GDB_FUZZ_KEEP), seeded with a few real
# packets, so the run is bounded and does not depend on earlier runs.
if [ -n "${GDB_FUZZ_KEEP:-}" ]; then
	corpus=$GDB_FUZZ_KEEP
	mkdir -p "$corpus/rsp" "$corpus/server"
else
	corpus=$(mktemp -d /tmp/gdb_fuzz.XXXXXX)
	trap 'rm -rf "$corpus"' EXIT
	mkdir -p "$corpus/rsp" "$corpus/server"
fi
# pkt PAYLOAD: the packet framed, with its checksum (ASCII payloads).
pkt() {
	local p=$1 sum=0 i c
	for ((i = 0; i < ${#p}; i++)); do
		printf -v c '%d' "'${p:i:1}"
		sum=$(((sum + c) % 256))
	done
	printf '$%s#%02x' "$p" "$sum"
}
seed() { pkt "$2" >"$corpus/rsp/$1"; pkt "$2" >"$corpus/server/$1"; }
seed qsupported 'qSupported:multiprocess+;swbreak+;hwbreak+'
seed vcont 'vCont;s:p4d2.4d2;c'
seed qxfer 'qXfer:features:read:target.xml:0,ffb'
seed z2 'Z2,400800,8'
seed rcmd 'qRcmd,7768656e'
seed m 'm401000,40'
# Whole sessions for the server target: the handshake, then work, with and
# without acknowledgements.
{ pkt 'qSupported:swbreak+'; printf +; pkt QStartNoAckMode
  for p in '?' g 'm401000,10' 'Z0,401020,1' c bc 'qXfer:libraries-svr4:read::0,fff' \
	'qXfer:auxv:read::0,8' 'qRcmd,636865636b706f696e74' D; do pkt "$p"; done
} >"$corpus/server/session"
for p in 'Z2,400800,8' c bs 'qRcmd,7365656b203132' s 'x401000,8' k; do
	printf +; pkt "$p"
done >"$corpus/server/acks"

bound=(-runs="$runs")
sbound=(-runs="$server_runs")
if [ -n "$seconds" ]; then
	bound=(-max_total_time="$seconds")
	sbound=(-max_total_time="$seconds")
fi
rc=0
echo "== packet layer"
"$bin" "${bound[@]}" -seed=1 -max_len=4096 -print_final_stats=1 "$corpus/rsp" 2>&1 | tail -6
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
echo "== whole server over the fake backend"
"$sbin" "${sbound[@]}" -seed=1 -max_len=4096 -print_final_stats=1 "$corpus/server" 2>&1 | tail -6
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
exit $rc
