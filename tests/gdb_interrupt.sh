#!/bin/bash
# tests/gdb_interrupt.sh — Ctrl-C from gdb while the replay runs: `rrtui
# replay -s 0 --once --no-tui` on a recording that takes seconds to replay, driven
# by tests/gdb_interrupt.py (the remote protocol as gdb speaks it), forward
# and in reverse. The port is read from the server's message (polled with a
# deadline); the Ctrl-C follows the continue at once, so that whether it
# lands before the motion starts or during it, the answer must be the same.
set -u
builddir=${top_builddir:-$PWD}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
rrtui=${RRTUI:-$builddir/rrtui}
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
tmp=$(mktemp -d) && trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
export RRTUI_TRACE_DIR=$tmp
timeout 120 "$rrtui" record -o "$tmp/sys" "$builddir/samples/syscalls" 300000 >/dev/null 2>&1 ||
    { echo "FAIL: record samples/syscalls"; exit 1; }
fail=0
for dir in forward reverse; do
    "$rrtui" replay -s 0 --once --no-tui "$tmp/sys" >"$tmp/srv.$dir" 2>&1 &
    port=
    for _ in $(seq 600); do
        port=$(sed -n "s/.*target remote 127\.0\.0\.1:\([0-9]*\).*/\1/p" "$tmp/srv.$dir" | head -1)
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "FAIL: $dir: no port"; cat "$tmp/srv.$dir"; fail=1; continue; }
    timeout 120 python3 "$srcdir/tests/gdb_interrupt.py" "$port" "$dir" || fail=1
    wait
done
exit $fail
