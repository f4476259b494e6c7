#!/bin/bash
# bench/dbg_bench.sh — latency of the debugger's reverse commands on
# samples/clock: for each command, the time of a batch session that runs
# it N times after reaching a breakpoint, minus the same session without
# it, divided by N; the median of 5 such runs is printed (ms per command).
#   bench/dbg_bench.sh [BUILDDIR]
set -u
B=${1:-.}
RRTUI=$B/rrtui
TMP=$(mktemp -d) && trap 'rm -rf "$TMP"' EXIT
export RRTUI_TRACE_DIR=$TMP
"$RRTUI" record -o "$TMP/clock" "$B/samples/clock" 0 30 </dev/null >/dev/null 2>&1
ms() { local t0 t1; t0=$(date +%s%N); "$RRTUI" replay -batch "$@" "$TMP/clock" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
N=10
base=(-ex 'break print_line' -ex 'c 20' -ex 'delete' -ex 'n' -ex 'n' -ex 'n')
for cmd in reverse-step reverse-next reverse-finish reverse-stepi "run 100"; do
    rs=()
    for r in 1 2 3 4 5; do
        b=$(ms "${base[@]}")
        args=("${base[@]}")
        for _ in $(seq $N); do args+=(-ex "$cmd"); [ "$cmd" = "run 100" ] && args+=(-ex 'run 50'); done
        t=$(ms "${args[@]}")
        per=$(((t - b) / N)); [ "$cmd" = "run 100" ] && per=$((per / 2))
        rs+=("$per")
    done
    med=$(printf '%s\n' "${rs[@]}" | sort -n | sed -n 3p)
    printf '%-16s median %4d ms  (runs: %s)\n' "$cmd" "$med" "${rs[*]}"
done
