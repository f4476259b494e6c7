#!/bin/bash
# tests/e2e/dbg_exec.sh — a recording that runs execve (a shell that execs
# samples/clock, as wrapper scripts do): a breakpoint on a function of the
# program to come waits (pending) and is set when the exec comes, gdb's
# "executing new program" line, symbols and libraries of each image, the
# breakpoints of one image never planted in another, reverse-continue and
# reverse-stepi back across the exec, and forward again.
. "$(dirname "$0")/lib.sh"
need_sample clock

timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/t" /bin/sh -c "exec $SAMPLES/clock 0 3" \
    </dev/null >/dev/null 2>&1 || fail "record sh -c 'exec clock'"
EXEC=$("$RRTUI" dump "$TMP/t" | awk '$2 == "exec" { n++; if (n == 2) print $1 }')
[ -n "$EXEC" ] && pass "the recording has the exec (event $EXEC)" || fail "no second exec in the dump"

dbg() { local a=(); for c in "$@"; do a+=(-ex "$c"); done
    timeout "$RR_TIMEOUT" "$RRTUI" replay -batch "${a[@]}" "$TMP/t" 2>&1; }
expect() { # NAME OUTPUT REGEX
    if grep -Eq -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no /$3/ in:"; echo "$2" | head -40; fi
}
count() { grep -Ec -- "$2" <<<"$1"; }

out=$(dbg 'break print_line' 'info breakpoints' c bt 'info sharedlibrary' rc 'info breakpoints' c c c rc)
expect "pending: the function is in the program to come" "$out" '^Breakpoint 1 \(print_line\) pending\.$'
expect "pending in the table" "$out" '^1 +breakpoint +keep y +<PENDING> +print_line$'
expect "the exec, as gdb says it" "$out" "^process [0-9]+ is executing new program: .*/clock\$"
expect "set in the new program" "$out" '^Breakpoint 1, print_line \(\) at .*clock\.c:[0-9]+$'
expect "the new program's frames" "$out" '^#1  0x[0-9a-f]+ in main \(argc=3, argv=0x[0-9a-f]+\) at .*clock\.c:[0-9]+$'
expect "its libraries" "$out" ' Yes +.*/libc\.so\.6$'
expect "back across the exec: the start" "$out" '^No more reverse-execution history\.$'
n=$(count "$out" '^Breakpoint 1, print_line')
[ "$n" -eq 5 ] && pass "hits: 1; back to the shell; 3 forward across the exec again; 1 back" ||
    fail "expected 5 print_line stops, got $n"
[ "$(count "$out" '^1 +breakpoint +keep y +<PENDING>')" -eq 2 ] &&
    pass "pending again in the shell's image" || fail "the breakpoint is not pending in the shell"
# The last rc: from the third hit back to the second, in the same image.
last=$(grep -E '^(Breakpoint 1, |No more reverse)' <<<"$out" | tail -n 1)
[[ $last == "Breakpoint 1, print_line ()"* ]] && pass "reverse-continue within the image" ||
    fail "the last reverse-continue stopped with: $last"

# One instruction back from the new image's first state is the execve in
# the shell (its libc's symbols), and one forward is the new image again.
out=$(dbg "run $EXEC" 'reverse-stepi' 'x/i $pc' 'stepi' 'x/i $pc')
expect "reverse-stepi across the exec: the shell's execve" "$out" '^=> 0x[0-9a-f]+ <__execve\+[0-9]+>:.*syscall'
expect "stepi forward: the new image's first instruction" "$out" '^=> 0x[0-9a-f]+ <_start>:'
finish
