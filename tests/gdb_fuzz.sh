#!/bin/bash
# gdb_fuzz.sh — runs the libFuzzer target for the gdb packet layer
# (tests/gdb_fuzz.c against cmds/gdb_rsp.c, which is pure and compiles
# alone) for a bounded number of runs. Skips (77) when clang or libFuzzer is
# not there; the plain-C driver (tests/gdb_fuzz_driver) covers the same
# checks in the normal build. GDB_FUZZ_RUNS overrides the bound (bench/
# runs it longer).
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$PWD}
runs=${GDB_FUZZ_RUNS:-200000}
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
mkdir -p "$builddir/tests"
bin=$builddir/tests/gdb_fuzz
if ! clang -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-I"$srcdir" -o "$bin" "$srcdir/tests/gdb_fuzz.c" "$srcdir/cmds/gdb_rsp.c" 2>"$bin.log"; then
	echo "clang cannot build a libFuzzer target:"; cat "$bin.log"; exit 77
fi
# A fresh corpus each time, seeded with a few real packets, so the run is
# bounded and does not depend on earlier runs.
corpus=$(mktemp -d /tmp/gdb_fuzz.XXXXXX)
trap 'rm -rf "$corpus"' EXIT
printf '%s' '$qSupported:multiprocess+;swbreak+;hwbreak+#6a' >"$corpus/qsupported"
printf '%s' '$vCont;s:p4d2.4d2;c#00' >"$corpus/vcont"
printf '%s' '$qXfer:features:read:target.xml:0,ffb#00' >"$corpus/qxfer"
printf '%s' '$Z2,400800,8#00' >"$corpus/z2"
printf '%s' '$qRcmd,7768656e#00' >"$corpus/rcmd"
printf '%s' '$m401000,40#f7' >"$corpus/m"
"$bin" -runs="$runs" -seed=1 -max_len=4096 -print_final_stats=1 "$corpus" 2>&1 | tail -5
exit "${PIPESTATUS[0]}"
