#!/bin/bash
# tests/e2e/dbg_sharedlib.sh — a program and its own shared library, both
# built with relative source names (gcc -g tally.c, as in a project folder),
# recorded, then replayed from another folder: a breakpoint by file:line in
# the library set before the library is loaded, its source lines (found
# through the compilation directory, as gdb's $cdir), its variables forward
# and backward, `info source` and `info sharedlibrary`.
. "$(dirname "$0")/lib.sh"
CC=${CC:-cc}
command -v "$CC" >/dev/null || skip "no C compiler ($CC)"

FIX=$top_srcdir/tests/fixtures/so
mkdir -p "$TMP/src"
cp "$FIX/tally.c" "$FIX/usetally.c" "$TMP/src/"
(cd "$TMP/src" && "$CC" -g -O0 -shared -fPIC tally.c -o libtally.so &&
    "$CC" -g -O0 usetally.c -L. -ltally -Wl,-rpath,"$TMP/src" -o usetally) || fail "build"
L() { grep -n "@$1 " "$FIX/$2" | cut -d: -f1; }
TOTAL=$(L total tally.c) SCALED=$(L scaled tally.c)

timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/t" "$TMP/src/usetally" </dev/null >"$TMP/rec.out" 2>&1 ||
    fail "record"
grep -q '^sum=22$' "$TMP/rec.out" && pass "the program ran" || fail "no sum=22 in $(cat "$TMP/rec.out")"

expect() { # NAME OUTPUT REGEX
    if grep -Eq -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no /$3/ in:"; echo "$2" | head -40; fi
}

cd "$TMP" || exit 99 # not the sources' folder
out=$(timeout "$RR_TIMEOUT" "$RRTUI" replay -batch -ex "break tally.c:$TOTAL" -ex c -ex 'p scaled' \
    -ex c -ex 'p scaled' -ex 'p tally_total' -ex 'info source' -ex 'info sharedlibrary' -ex rc \
    -ex 'p scaled' -ex "list $SCALED,$SCALED" -ex 'break nosuch.c:3' -ex 'break tally.c:99' "$TMP/t" 2>&1)
expect "file:line in the library, before it is loaded" "$out" \
    "^Breakpoint 1 at 0x[0-9a-f]+: file tally.c, line $TOTAL\\.\$"
expect "the stop" "$out" "^Breakpoint 1, tally_add \\(x=0\\) at tally.c:$TOTAL\$"
expect "its source line, from the compilation directory" "$out" \
    "^$TOTAL"$'\t''[[:space:]]*tally_total \+= scaled; /\* @total \*/$'
expect "a local, second call" "$out" '^\$2 = 3$'
expect "the library's global" "$out" '^\$3 = 0$'
expect "info source: the compilation directory" "$out" "^Compilation directory is $TMP/src\$"
expect "info source: where the file is" "$out" "^Located in $TMP/src/tally.c\$"
expect "info sharedlibrary" "$out" ' Yes +.*libtally\.so'
expect "backward: the first call again" "$out" '^\$4 = 0$'
expect "list in the library" "$out" "^$SCALED"$'\t''[[:space:]]*int scaled = x \* 3; /\* @scaled \*/$'
expect "an unknown file" "$out" '^No source file named nosuch\.c\.$'
expect "a line past the file's" "$out" '^No line 99 in file "tally\.c"\.$'
finish
