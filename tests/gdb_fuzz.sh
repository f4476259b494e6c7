#!/bin/bash
# gdb_fuzz.sh — runs the fuzz targets of the gdb server (tests/gdb_fuzz.c)
# for a bounded number of inputs:
#  1. the plain-C driver over a real replay (tests/gdb_fuzz_replay_driver,
#     on a recording of samples/crash made here), in every build;
#  2. under libFuzzer with ASan and UBSan, when clang has it: the packet
#     layer alone (cmds/gdb_rsp.c, which compiles alone), the whole server
#     over the scripted fake backend, and the whole server over the real
#     replay (cmds/gdb_backend.c and core/). The corpus is seeded from the
#     drivers' seeds (real gdb packets, and every packet kind with its
#     numbers at their extremes: `tests/gdb_fuzz_server_driver --seeds DIR`),
#     with tests/gdb_fuzz.dict as the dictionary.
# Without clang's libFuzzer part 2 is skipped (the plain drivers,
# tests/gdb_fuzz_driver and tests/gdb_fuzz_server_driver, run the same
# checks as tests of their own).
#
# GDB_FUZZ_RUNS bounds the packet-layer target (default 60000),
# GDB_FUZZ_SERVER_RUNS the server one (default 10000) and
# GDB_FUZZ_REPLAY_RUNS the replay ones (default 2000); GDB_FUZZ_SECONDS, when
# set, bounds each libFuzzer target by time instead (bench/gdb_fuzz.sh runs
# them longer). GDB_FUZZ_KEEP=DIR keeps the corpora (and the findings)
# there, so that runs add up; GDB_FUZZ_SEED is libFuzzer's -seed (1).
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$PWD}
runs=${GDB_FUZZ_RUNS:-60000}
server_runs=${GDB_FUZZ_SERVER_RUNS:-10000}
replay_runs=${GDB_FUZZ_REPLAY_RUNS:-2000}
seconds=${GDB_FUZZ_SECONDS:-}
# The same inputs every time in make check; bench/gdb_fuzz.sh passes 0 (a
# new seed each run, so that runs on a kept corpus do not repeat).
seed=${GDB_FUZZ_SEED:-1}
rrtui=$builddir/rrtui
for f in "$rrtui" "$builddir/samples/crash" "$builddir/tests/gdb_fuzz_replay_driver" \
	"$builddir/tests/gdb_fuzz_server_driver"; do
	[ -x "$f" ] || { echo "FAIL: $f not built"; exit 1; }
done
tmp=$(mktemp -d /tmp/gdb_fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rc=0

# The recording the replay targets serve.
RRTUI_TRACE_DIR=$tmp/traces "$rrtui" record -o "$tmp/crash" "$builddir/samples/crash" \
	>"$tmp/record.out" 2>&1
[ -f "$tmp/crash/events" ] || { echo "FAIL: recording samples/crash"; cat "$tmp/record.out"; exit 1; }
export GDB_FUZZ_TRACE=$tmp/crash

echo "== plain driver, whole server over a real replay"
"$builddir/tests/gdb_fuzz_replay_driver" "$replay_runs" || rc=1

command -v clang >/dev/null || { echo "SKIP: clang not installed"; exit $rc; }
mkdir -p "$builddir/tests"
# Not tests/gdb_fuzz.log: that name is this test's own log under make check.
log=$builddir/tests/gdb_fuzz.build.log
flags=(-std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -I"$srcdir" -I"$builddir")
bin=$builddir/tests/gdb_fuzz
sbin=$builddir/tests/gdb_fuzz_server
rbin=$builddir/tests/gdb_fuzz_replay
server_src=("$srcdir/cmds/gdb_rsp.c" "$srcdir/cmds/gdb_server.c" "$srcdir/cmds/gdb_target_xml.c")
if ! clang "${flags[@]}" -o "$bin" "$srcdir/tests/gdb_fuzz.c" "$srcdir/cmds/gdb_rsp.c" \
	2>"$log"; then
	echo "SKIP: clang cannot build a libFuzzer target:"; cat "$log"; exit $rc
fi
if ! clang "${flags[@]}" -DGDB_FUZZ_SERVER -pthread -o "$sbin" "$srcdir/tests/gdb_fuzz.c" \
	"$srcdir/tests/gdb_fake.c" "${server_src[@]}" 2>>"$log"; then
	echo "FAIL: the server fuzz target does not build:"; cat "$log"; exit 1
fi
if ! clang "${flags[@]}" -DGDB_FUZZ_REPLAY -pthread -o "$rbin" "$srcdir/tests/gdb_fuzz.c" \
	"${server_src[@]}" "$srcdir/cmds/gdb_backend.c" "$srcdir"/core/*.c 2>>"$log"; then
	echo "FAIL: the replay fuzz target does not build:"; cat "$log"; exit 1
fi

# A fresh corpus each time (unless GDB_FUZZ_KEEP), seeded from the drivers'
# seeds, so the run is bounded and does not depend on earlier runs.
corpus=${GDB_FUZZ_KEEP:-$tmp/corpus}
for t in rsp server replay; do
	mkdir -p "$corpus/$t" "$corpus/findings-$t"
	"$builddir/tests/gdb_fuzz_server_driver" --seeds "$corpus/$t" || exit 1
done

bound() { if [ -n "$seconds" ]; then echo "-max_total_time=$seconds"; else echo "-runs=$1"; fi; }
# fuzz NAME BINARY RUNS [FLAGS]: one target; its crash files go to
# $corpus/findings-NAME.
fuzz() {
	local name=$1 b=$2 n=$3; shift 3
	echo "== libFuzzer: $name"
	"$b" "$(bound "$n")" -seed="$seed" -max_len=4096 -dict="$srcdir/tests/gdb_fuzz.dict" \
		-print_final_stats=1 -artifact_prefix="$corpus/findings-$name/" "$@" \
		"$corpus/$name" >"$tmp/$name.log" 2>&1
	local st=$?
	grep -E '^(Done|#[0-9]+ *DONE)|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
		"$tmp/$name.log"
	if [ $st -ne 0 ]; then
		echo "FAIL: $name:"; grep -E -A30 '^==[0-9]+==ERROR|runtime error|gdb_fuzz: ' \
			"$tmp/$name.log" | head -60
		rc=1
	fi
}
fuzz rsp "$bin" "$runs"
fuzz server "$sbin" "$server_runs"
fuzz replay "$rbin" "$replay_runs" -timeout=60
exit $rc
