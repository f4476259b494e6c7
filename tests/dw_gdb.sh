#!/bin/bash
# dw_gdb.sh — differential test of dwarf/ against gdb.  Builds the fixtures
# in several flavours and records each one with rrtui; then for each
# scenario (tests/fixtures/dw/*.cmds) runs gdb -batch -nx on the program
# live and tests/dw_probe with the same commands on the replay of its
# recording (core's timeline supplies memory, registers and breakpoints,
# dwarf/ everything shown), and requires the outputs after the "==="
# marker to be equal once addresses are normalised (0x[0-9a-f]+ -> ADDR;
# stack addresses differ because gdb's inferior gets a different
# environment).  Separate debug files are off on both sides, so libc frames
# are shown from .dynsym as gdb shows them without libc6-dbg.
# A scenario line "#skip FLAVOUR reason" leaves a flavour out, with a reason;
# "#live FLAVOUR reason" runs dw_probe on the live program instead of the
# replay for that flavour (what the replay cannot give yet, with a reason);
# "#fixture NAME" picks tests/fixtures/dw/NAME.c (default dw_fix);
# "#flavour FLAVOUR" adds a flavour beyond the four every scenario runs in
# (gcc -O0, gcc -O2, clang -O0, gcc -O0 -gdwarf-4), e.g. clang-O2;
# "#debuginfo" keeps separate debug files on for both.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$PWD}
probe=$builddir/tests/dw_probe
rrtui=${RRTUI:-$builddir/rrtui}
fixdir=$srcdir/tests/fixtures/dw
command -v gdb >/dev/null || { echo "gdb not installed"; exit 77; }
tmp=$(mktemp -d /tmp/dw_gdb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export RRTUI_TRACE_DIR=$tmp/traces

declare -A flavours=(
	[gcc-O0]="gcc -O0 -g"
	[gcc-O2]="gcc -O2 -g"
	[clang-O0]="clang -O0 -g"
	[gcc-O0-dwarf4]="gcc -O0 -gdwarf-4"
	[clang-O2]="clang -O2 -g"
)
absfix=$(cd "$fixdir" && pwd)
for src in "$absfix"/*.c; do
	base=$(basename "$src" .c)
	for f in "${!flavours[@]}"; do
		cc=${flavours[$f]%% *}
		command -v "$cc" >/dev/null || continue
		${flavours[$f]} -o "$tmp/$base-$f" "$src" || { echo "FAIL: build $base $f"; exit 1; }
		# one recording per program serves every scenario
		timeout 60 "$rrtui" record -o "$tmp/$base-$f.trace" "$tmp/$base-$f" </dev/null >/dev/null 2>&1 ||
			{ echo "FAIL: rrtui record $base $f"; exit 1; }
	done
done

fail=0 pass=0 skip=0
norm() { sed -E 's/0x[0-9a-f]+/ADDR/g'; }
for cmds in "$fixdir"/*.cmds; do
	name=$(basename "$cmds" .cmds)
	for f in gcc-O0 gcc-O2 clang-O0 gcc-O0-dwarf4 $(sed -n 's/^#flavour //p' "$cmds"); do
		fixture=$(sed -n 's/^#fixture //p' "$cmds")
		bin=$tmp/${fixture:-dw_fix}-$f
		[ -x "$bin" ] || { echo "skip: $name [$f]: no compiler"; skip=$((skip + 1)); continue; }
		if grep -q "^#skip $f " "$cmds"; then skip=$((skip + 1)); continue; fi
		args=()
		while IFS= read -r l; do
			case "$l" in ''|'#'*) continue ;; esac
			args+=(-ex "$l")
		done < "$cmds"
		# "#debuginfo": both sides use /usr/lib/debug (e.g. libc6-dbg)
		dbg=(-ex 'set debug-file-directory /nonexistent') popt=-n
		if grep -q '^#debuginfo' "$cmds"; then dbg=() popt=; fi
		gdb -batch -nx "${dbg[@]}" -ex 'set width 0' \
			-ex 'set height 0' "${args[@]}" "$bin" 2>&1 </dev/null |
			sed -n '/^===$/,$p' | norm > "$tmp/gdb.out"
		target=(-t "$bin.trace" "$cmds")
		grep -q "^#live $f " "$cmds" && target=("$cmds" "$bin")
		timeout 30 "$probe" $popt "${target[@]}" 2>&1 </dev/null |
			sed -n '/^===$/,$p' | norm > "$tmp/probe.out"
		if [ -s "$tmp/gdb.out" ] && diff -u "$tmp/gdb.out" "$tmp/probe.out" > "$tmp/diff"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $name [$f]"
			head -40 "$tmp/diff"
		fi
	done
done
echo "dw_gdb: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
