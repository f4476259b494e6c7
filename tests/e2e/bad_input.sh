#!/bin/bash
# Bad input never crashes rrtui: a missing program, a file that is not a
# program, a missing, corrupt, truncated or future-version trace, an unknown
# command.  Each must give exactly one line on stderr starting "rrtui: " and
# an exit status from 1 to 127.  A trace whose recorder was killed replays the
# output recorded before the kill and says the trace is incomplete.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_sample fileio killrec

expect_error "unknown command" rr frobnicate
expect_error "record without a program" rr record
expect_error "record a missing program" rr record -o "$TMP/missing.trace" /nonexistent
expect_error "record a missing program (bare name)" rr record -o "$TMP/missing2.trace" \
    rrtui-no-such-program-anywhere

# An executable text file without "#!" is not a program (execve: ENOEXEC);
# rrtui must not fall back to running it with /bin/sh as execvp() does.
printf 'echo this is not a program\n' >"$TMP/notelf"
chmod +x "$TMP/notelf"
expect_error "record a non-ELF executable" rr record -o "$TMP/notelf.trace" "$TMP/notelf"

# ... but a script with a shebang is a valid program.
printf '#!/bin/sh\necho script ran with $#\n' >"$TMP/script"
chmod +x "$TMP/script"
record_replay script 0 "$TMP/script" a b

expect_error "replay a missing trace" rr replay -a "$TMP/no-such-trace"
mkdir "$TMP/empty-dir"
expect_error "replay an empty directory" rr replay -a "$TMP/empty-dir"

# A good trace to damage in copies.
record good "$SAMPLES/fileio" || finish
expect_status good record "$rec_status" 0
echo "trace files:"
find "$TMP/good.trace" -type f -printf '  %s %P\n' | sort -n

# Corrupt: overwrite 64 bytes in the middle of the largest file.
cp -a "$TMP/good.trace" "$TMP/corrupt.trace"
victim=$(largest_file "$TMP/corrupt.trace")
size=$(stat -c %s "$victim")
printf '\336\255\276\357%.0s' $(seq 16) |
    dd of="$victim" bs=1 seek=$((size / 2)) conv=notrunc status=none
if cmp -s "$victim" "$TMP/good.trace/${victim#"$TMP/corrupt.trace/"}"; then
    fail "could not corrupt $victim"
fi
echo "corrupted 64 bytes at offset $((size / 2)) of ${victim#"$TMP/"} ($size bytes)"
expect_error "replay a corrupt trace" rr replay -a "$TMP/corrupt.trace"
expect_error "dump a corrupt trace" rr dump "$TMP/corrupt.trace"

# Truncated: the largest file cut to half its size.
cp -a "$TMP/good.trace" "$TMP/truncated.trace"
victim=$(largest_file "$TMP/truncated.trace")
truncate -s $(($(stat -c %s "$victim") / 2)) "$victim"
echo "truncated ${victim#"$TMP/"} to $(stat -c %s "$victim") bytes"
expect_error "replay a truncated trace" rr replay -a "$TMP/truncated.trace"

# Every file of the trace emptied, one at a time: the replay may ignore a
# file it does not need (and then must replay correctly), else it must fail
# cleanly.
for f in $(cd "$TMP/good.trace" && find . -type f | sort); do
    rm -rf "$TMP/emptied.trace"
    cp -a "$TMP/good.trace" "$TMP/emptied.trace"
    : >"$TMP/emptied.trace/$f"
    rr replay -a "$TMP/emptied.trace" >"$TMP/emptied.out" 2>"$TMP/emptied.err" </dev/null
    st=$?
    if [ "$st" -eq 0 ] && cmp -s "$TMP/emptied.out" "$TMP/good.rec.out"; then
        pass "replay with ${f#./} emptied: not needed, replay correct"
    else
        expect_error "replay a trace with ${f#./} emptied" rr replay -a "$TMP/emptied.trace"
    fi
done

# A format version from the future.
RRTUI_FORCE_TRACE_VERSION=99 rr record -o "$TMP/future.trace" -- "$SAMPLES/fileio" \
    >/dev/null 2>"$TMP/future.rec.err" </dev/null
expect_status "future version" record $? 0
rr dump --header "$TMP/future.trace" >"$TMP/future.header" 2>&1
if grep -qw 'version 99' "$TMP/future.header"; then
    pass "future version: dump --header says version 99"
else
    fail "future version: dump --header does not say 'version 99'"
    show "dump --header" "$TMP/future.header"
fi
expect_error "replay a trace of version 99" rr replay -a "$TMP/future.trace"
grep -qi 'version' "$TMP/err.err" || fail "future version: the error does not mention the version"

# The recorder killed while recording: killrec prints "before 1..3", sends
# SIGKILL to its parent (the recorder), then prints "after" lines untraced.
rr record -o "$TMP/killed.trace" -- "$SAMPLES/killrec" >"$TMP/killed.rec.out" \
    2>"$TMP/killed.rec.err" </dev/null
st=$?
expect_status "recorder killed" "record (rrtui killed by SIGKILL)" "$st" 137
[ "$st" -eq 2 ] && show "killrec stderr" "$TMP/killed.rec.err"
if [ -d "$TMP/killed.trace" ]; then
    rr replay -a "$TMP/killed.trace" >"$TMP/killed.rep.out" 2>"$TMP/killed.rep.err" </dev/null
    st=$?
    if bad_status "$st"; then
        fail "recorder killed: replay crashed or hung (status $st)"
    else
        pass "recorder killed: replay exit status $st"
    fi
    printf 'before 1\nbefore 2\nbefore 3\n' >"$TMP/killed.want"
    same_file "recorder killed" "replay stdout" "$TMP/killed.want" "$TMP/killed.rep.out" &&
        pass "recorder killed: replay printed the 3 lines written before the kill"
    if grep -q '^rrtui: .*incomplete' "$TMP/killed.rep.err"; then
        pass "recorder killed: $(grep -m 1 incomplete "$TMP/killed.rep.err")"
    else
        fail "recorder killed: no 'rrtui: ... incomplete' line on stderr"
        show "replay stderr" "$TMP/killed.rep.err"
    fi
    rr dump "$TMP/killed.trace" >/dev/null 2>"$TMP/killed.dump.err"
    st=$?
    bad_status "$st" && fail "recorder killed: dump crashed or hung (status $st)"
else
    fail "recorder killed: no trace directory $TMP/killed.trace"
fi

finish
