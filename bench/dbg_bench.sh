#!/bin/bash
# bench/dbg_bench.sh — latency of the debugger's reverse commands (issue 5's
# targets: <= 50 ms median for the reverse-step family) on a recording of
# samples/clock. Each command is run REPS times in one batch session after
# reaching a breakpoint, with `maintenance time 1`, which prints the wall
# time of every command; the median and the 90th percentile are printed.
# The first of each series is shown apart: it may pay for a walk from the
# last event (later ones reuse it).
#   bench/dbg_bench.sh [BUILDDIR] [REPS]
set -u
B=${1:-.}
REPS=${2:-15}
RRTUI=$B/rrtui
TMP=$(mktemp -d) && trap 'rm -rf "$TMP"' EXIT
export RRTUI_TRACE_DIR=$TMP
"$RRTUI" record -o "$TMP/clock" "$B/samples/clock" 0 30 </dev/null >/dev/null 2>&1

# stats: ms values on stdin (in run order) -> "first median p90".
stats() {
    local v first n
    v=$(cat)
    n=$(grep -c . <<<"$v")
    [ "$n" -gt 0 ] || { echo "no timings"; return; }
    first=$(head -1 <<<"$v")
    sort -n <<<"$v" | awk -v n="$n" -v first="$first" '
        { v[NR] = $1 }
        END { p = int(n * 0.9 + 0.5); if (p < 1) p = 1
              printf "first %7.1f ms   median %7.1f ms   p90 %7.1f ms   (%d runs)\n",
                     first, v[int((n + 1) / 2)], v[p], n }'
}

# times ARGS...: a batch session; the wall time of each timed command, ms.
times() {
    "$RRTUI" replay -batch "$@" "$TMP/clock" 2>/dev/null |
        sed -n 's/^Command execution time: [0-9.]* (cpu), \([0-9.]*\) (wall)$/\1/p' |
        awk '{ printf "%.3f\n", $1 * 1000 }'
}

# series CMD [PRE...]: CMD timed REPS times; the PRE commands (untimed)
# before each one.
series() {
    local cmd=$1; shift
    local args=(-ex 'break print_line' -ex 'c 20' -ex 'next 6')
    for _ in $(seq "$REPS"); do
        for p in "$@"; do args+=(-ex "$p"); done
        args+=(-ex 'maint time 1' -ex "$cmd" -ex 'maint time 0')
    done
    times "${args[@]}" | stats
}

printf '%-16s %s\n' reverse-step "$(series reverse-step)"
printf '%-16s %s\n' reverse-next "$(series reverse-next)"
printf '%-16s %s\n' reverse-stepi "$(series reverse-stepi)"
# reverse-finish leaves print_line for main: into the next call first.
printf '%-16s %s\n' reverse-finish "$(series reverse-finish c 'next 3')"
printf '%-16s %s\n' step "$(series step)"
printf '%-16s %s\n' next "$(series next)"
# run N: back and forth between two events, so that each run moves.
args=(-ex 'maint time 1')
for i in $(seq "$REPS"); do args+=(-ex "run $((40 + (i % 2) * 80))"); done
printf '%-16s %s\n' "run N" "$(times "${args[@]}" | stats)"
