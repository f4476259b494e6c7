#!/bin/bash
# The command line: --help and --version, per-command help, default trace
# names in $RRTUI_TRACE_DIR, the latest-trace link, `rrtui ls`, parallel
# recordings, `rrtui dump` and `rrtui ps`.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_sample fileio timerand

# check_help CMD... -- WORD...: `rrtui CMD --help` exits 0 and its stdout mentions
# every WORD (fixed strings).
check_help() {
    local args=() w st
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    shift
    rr "${args[@]}" >"$TMP/help.out" 2>"$TMP/help.err" </dev/null
    st=$?
    if [ "$st" -ne 0 ]; then
        fail "rrtui ${args[*]}: exit status $st"
        show stderr "$TMP/help.err"
        return
    fi
    for w in "$@"; do
        if ! grep -qiF -e "$w" "$TMP/help.out"; then
            fail "rrtui ${args[*]}: the output does not mention '$w'"
            show stdout "$TMP/help.out"
            return
        fi
    done
    pass "rrtui ${args[*]}: mentions $*"
}

check_help --help -- usage record replay ls ps dump
check_help --version -- rrtui
grep -Eq '[0-9]+\.[0-9]+' "$TMP/help.out" || fail "rrtui --version: no version number"
check_help record --help -- usage -o
check_help replay --help -- usage -a -M
check_help ls --help -- usage
check_help dump --help -- usage -e --header

# saved LOGFILE: the directory named by "rrtui: trace saved in DIR".
saved() {
    sed -n 's/^rrtui: trace saved in //p' "$1" | tail -n 1
}

# Default trace names: $RRTUI_TRACE_DIR/<program>-<N>, and a latest-trace link.
rr record "$SAMPLES/fileio" >"$TMP/a.out" 2>"$TMP/a.err" </dev/null
expect_status "record without -o" "" $? 0
rr record "$SAMPLES/timerand" >"$TMP/b.out" 2>"$TMP/b.err" </dev/null
expect_status "record without -o" "" $? 0
a=$(saved "$TMP/a.err")
b=$(saved "$TMP/b.err")
for t in "$a" "$b"; do
    if [ -n "$t" ] && [ -d "$t" ] && [ "$(cd "$(dirname "$t")" && pwd -P)" = "$(cd "$RRTUI_TRACE_DIR" && pwd -P)" ]; then
        pass "trace '$t' is in \$RRTUI_TRACE_DIR"
    else
        fail "trace '$t' is not a directory in \$RRTUI_TRACE_DIR=$RRTUI_TRACE_DIR"
    fi
done
[[ "$(basename "$a")" =~ ^fileio-[0-9]+$ ]] || fail "trace name '$(basename "$a")' is not fileio-<N>"
[[ "$(basename "$b")" =~ ^timerand-[0-9]+$ ]] || fail "trace name '$(basename "$b")' is not timerand-<N>"

link=$RRTUI_TRACE_DIR/latest-trace
if [ -L "$link" ] && [ "$(cd "$link" && pwd -P)" = "$(cd "$b" && pwd -P)" ]; then
    pass "latest-trace -> $(readlink "$link")"
else
    fail "latest-trace is not a link to the last trace ($b)"
    ls -l "$RRTUI_TRACE_DIR" | sed 's/^/  /'
fi

# replay without TRACE replays the latest one.
rr replay -a >"$TMP/latest.out" 2>"$TMP/latest.err" </dev/null
expect_status "replay without TRACE" "" $? 0
same_file "replay without TRACE" "stdout (timerand, the latest)" "$TMP/b.out" "$TMP/latest.out" &&
    pass "replay without TRACE replays the latest trace"

# rrtui ls lists both.
rr ls >"$TMP/ls.out" 2>"$TMP/ls.err" </dev/null
expect_status "rrtui ls" "" $? 0
for t in "$a" "$b"; do
    if grep -qF "$(basename "$t")" "$TMP/ls.out"; then
        pass "rrtui ls lists $(basename "$t")"
    else
        fail "rrtui ls does not list $(basename "$t")"
        show "rrtui ls" "$TMP/ls.out"
    fi
done

# Two recordings at the same time get two distinct trace directories.
rr record "$SAMPLES/fileio" >"$TMP/p1.out" 2>"$TMP/p1.err" </dev/null &
p1=$!
rr record "$SAMPLES/fileio" >"$TMP/p2.out" 2>"$TMP/p2.err" </dev/null &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_status "parallel recording 1" "" $s1 0
expect_status "parallel recording 2" "" $s2 0
t1=$(saved "$TMP/p1.err")
t2=$(saved "$TMP/p2.err")
if [ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" != "$t2" ] && [ -d "$t1" ] && [ -d "$t2" ]; then
    pass "parallel recordings: $(basename "$t1") and $(basename "$t2")"
    for i in 1 2; do
        t=$t1; [ $i = 2 ] && t=$t2
        rr replay -a "$t" >"$TMP/p$i.rep" 2>"$TMP/p$i.rep.err" </dev/null
        st=$?
        if ! same_file "parallel recording $i" "replay stdout (status $st)" "$TMP/p$i.out" "$TMP/p$i.rep"; then
            show "replay stderr" "$TMP/p$i.rep.err"
        fi
    done
else
    fail "parallel recordings: trace dirs '$t1' and '$t2' are not two distinct directories"
fi

# dump and ps on a program that prints its own pid.
if record pid sh -c 'echo "my pid is $$"'; then
    pid=$(sed -n 's/^my pid is //p' "$TMP/pid.rec.out")
    rr dump "$TMP/pid.trace" >"$TMP/dump.out" 2>"$TMP/dump.err" </dev/null
    expect_status "rrtui dump" "" $? 0
    if grep -qw write "$TMP/dump.out"; then
        pass "rrtui dump shows syscall names ($(wc -l <"$TMP/dump.out") lines)"
    else
        fail "rrtui dump does not show the syscall name 'write'"
        show "rrtui dump" "$TMP/dump.out"
    fi
    rr dump -e 1-3 "$TMP/pid.trace" >"$TMP/dump13.out" 2>"$TMP/dump13.err" </dev/null
    expect_status "rrtui dump -e 1-3" "" $? 0
    if [ -s "$TMP/dump13.out" ] && [ "$(wc -l <"$TMP/dump13.out")" -lt "$(wc -l <"$TMP/dump.out")" ]; then
        pass "rrtui dump -e 1-3 prints less than the whole dump"
    else
        fail "rrtui dump -e 1-3: empty, or not shorter than the whole dump"
        show "rrtui dump -e 1-3" "$TMP/dump13.out"
    fi
    rr dump --header "$TMP/pid.trace" >"$TMP/header.out" 2>&1 </dev/null
    expect_status "rrtui dump --header" "" $? 0
    grep -Eq '(^|[^a-z])version [0-9]+' "$TMP/header.out" ||
        { fail "rrtui dump --header prints no 'version N'"; show header "$TMP/header.out"; }
    rr ps "$TMP/pid.trace" >"$TMP/ps.out" 2>"$TMP/ps.err" </dev/null
    expect_status "rrtui ps" "" $? 0
    if [ -n "$pid" ] && grep -qw "$pid" "$TMP/ps.out" && grep -qw sh "$TMP/ps.out"; then
        pass "rrtui ps shows pid $pid and the command"
    else
        fail "rrtui ps does not show pid '$pid' and 'sh'"
        show "rrtui ps" "$TMP/ps.out"
    fi
fi

# `rrtui PROG ARGS` (and `rrtui -- PROG ARGS`) records PROG itself, then
# opens the debugger; off a terminal that is the line-mode console, which
# ends at the end of its input. The exit status is the program's.
for form in plain dashes; do
    if [ $form = plain ]; then set -- "$SAMPLES/fileio"; else set -- -- "$SAMPLES/fileio"; fi
    RRTUI_TRACE_DIR=$TMP/default-$form rr "$@" <<<'info sharedlibrary' >"$TMP/def.out" 2>"$TMP/def.err"
    st=$?
    tr=$(ls -d "$TMP/default-$form"/fileio-* 2>/dev/null | head -1)
    if [ $st -eq 0 ] && [ -n "$tr" ] && grep -q '^checksum ' "$TMP/def.out" &&
        grep -q "^rrtui: debugging the recording $tr " "$TMP/def.out" &&
        grep -q 'Yes  *.*ld-linux' "$TMP/def.out"; then
        pass "rrtui ($form) PROG: records PROG, then the console on it"
    else
        fail "rrtui ($form) PROG: status $st, trace '${tr}'"
        show stdout "$TMP/def.out"
        show stderr "$TMP/def.err"
    fi
done

finish
