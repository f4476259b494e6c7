#!/usr/bin/env bash
# bench/record_replay.sh — wall time of a program run natively, under
# `rrtui record`, and under `rrtui replay -a`, side by side, as medians of
# RUNS runs (default 5). Not a test: it prints figures for the closing notes.
#
#   bench/record_replay.sh [BUILD_DIR]     (default: the source tree)
set -euo pipefail
build=${1:-$(cd "$(dirname "$0")/.." && pwd)}
rrtui=$build/rrtui
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RRTUI_TRACE_DIR=$work/traces

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# bench NAME CMD... : prints one line of medians and ratios.
bench() {
	local name=$1; shift
	local nat=() rec=() rep=()
	for ((i = 0; i < runs; i++)); do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		nat+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
		rm -rf "$work/t"
		t0=$(now); "$rrtui" record -o "$work/t" "$@" >/dev/null 2>&1; t1=$(now)
		rec+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
		t0=$(now); "$rrtui" replay -a "$work/t" >/dev/null 2>&1; t1=$(now)
		rep+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
	done
	local n r p
	n=$(printf '%s\n' "${nat[@]}" | median)
	r=$(printf '%s\n' "${rec[@]}" | median)
	p=$(printf '%s\n' "${rep[@]}" | median)
	printf '%-34s native %8.3fs  record %8.3fs (%6.2fx)  replay %8.3fs (%6.2fx)\n' \
		"$name" "$n" "$r" "$(awk -v a="$r" -v b="$n" 'BEGIN{print a/b}')" "$p" "$(awk -v a="$p" -v b="$n" 'BEGIN{print a/b}')"
}

echo "medians of $runs runs; ratios against the native run"
bench "compute (no syscalls)" "$build/samples/compute" "${COMPUTE_ROUNDS:-100000000}"
bench "syscalls (150k read/write)" "$build/samples/syscalls" 150000
bench "ls -l /usr/bin" ls -l /usr/bin
bench "python3 -c 'print(1)'" /usr/bin/python3 -c 'print(1)'
