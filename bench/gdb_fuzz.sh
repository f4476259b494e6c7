#!/bin/bash
# gdb_fuzz.sh — the gdb server's longer runs (a benchmark, not a test):
#
#   bench/gdb_fuzz.sh [BUILDDIR] [SECONDS]
#
# 1. The three libFuzzer targets of tests/gdb_fuzz.sh (the packet layer,
#    the whole server over the fake backend, the whole server over a real
#    replay), each for SECONDS (default 60), with a corpus kept in
#    BUILDDIR/bench/gdb_fuzz.corpus so that successive runs add up (its
#    findings-*/ folders keep any crash); prints each target's executions,
#    execs/s and new units. Skipped when clang has no libFuzzer; the
#    plain-C drivers then run a million inputs (packet layer) and 100000
#    sessions (server) instead, timed.
# 2. Round trips per second through the server (tests/gdb_bench): against
#    the fake backend (the server's own cost) and against a real replay of
#    samples/crash (registers, memory, the target description, breakpoints,
#    and a stepi forward and back, where the engine's cost shows).
#
# Needs a build with `make check` done (or at least the tests/ programs).
set -u
B=${1:-$(cd "$(dirname "$0")/.." && pwd)}
SECONDS_EACH=${2:-60}
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$B" && pwd)
for p in tests/gdb_bench tests/gdb_fake_server tests/gdb_replay_server \
	tests/gdb_fuzz_driver tests/gdb_fuzz_server_driver tests/gdb_fuzz_replay_driver rrtui \
	samples/crash; do
	[ -x "$B/$p" ] || { echo "$B/$p not built (make check in $B)"; exit 77; }
done
tmp=$(mktemp -d /tmp/gdb_bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "== fuzzing, $SECONDS_EACH s per target"
corpus=$B/bench/gdb_fuzz.corpus
mkdir -p "$corpus"
if command -v clang >/dev/null &&
	GDB_FUZZ_SECONDS=$SECONDS_EACH GDB_FUZZ_KEEP=$corpus GDB_FUZZ_SEED=0 \
		top_srcdir=$SRC top_builddir=$B \
		bash "$SRC/tests/gdb_fuzz.sh" >"$tmp/fuzz.out" 2>&1; then
	grep -E '^==|Done|number_of_executed_units|average_exec_per_sec|new_units_added|FAIL' \
		"$tmp/fuzz.out"
	echo "corpus: $(ls "$corpus/rsp" | wc -l) inputs (packet layer)," \
		"$(ls "$corpus/server" | wc -l) (server), $(ls "$corpus/replay" | wc -l) (replay)," \
		"in $corpus; findings: $(cat "$corpus"/findings-*/* 2>/dev/null | wc -c) bytes"
else
	[ -s "$tmp/fuzz.out" ] && { echo "libFuzzer run failed or unavailable:"; tail -20 "$tmp/fuzz.out"; }
	for d in "gdb_fuzz_driver 1000000" "gdb_fuzz_server_driver 100000"; do
		set -- $d
		t0=$(date +%s%N)
		"$B/tests/$1" "$2" || exit 1
		t1=$(date +%s%N)
		echo "$1: $(( $2 * 1000000000 / (t1 - t0) )) inputs/s"
	done
fi

# serve NAME CMD...: runs a server that prints its port first; sets $port.
serve() {
	local name=$1; shift
	coproc SRV { exec "$@" 2>"$tmp/$name.err"; }
	spid=$SRV_PID
	read -r -t 30 port <&"${SRV[0]}" || { echo "$name: no port"; cat "$tmp/$name.err"; exit 1; }
}

echo "== round trips, fake backend (the server alone)"
serve fake "$B/tests/gdb_fake_server"
"$B/tests/gdb_bench" "$port" 20000 g m xfer z step
wait "$spid"

echo "== round trips, real replay of samples/crash"
export RRTUI_TRACE_DIR=$tmp/traces
"$B/rrtui" record -o "$tmp/crash" "$B/samples/crash" >/dev/null 2>&1
serve replay "$B/tests/gdb_replay_server" --once "$tmp/crash"
"$B/tests/gdb_bench" "$port" 2000 g m xfer z
wait "$spid"
serve replay2 "$B/tests/gdb_replay_server" --once "$tmp/crash"
"$B/tests/gdb_bench" "$port" 200 step
wait "$spid"
