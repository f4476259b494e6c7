#!/bin/bash
# One check per recording mechanism of DESIGN.md: rdtsc/rdtscp trapping, the
# vDSO time functions, AT_RANDOM, getrandom, an asynchronous signal (SIGALRM),
# a signal delivered in the middle of a computation (spin), a crash, a program reading interactive input from a pipe, and the `-M`
# annotation of replayed output.  Each check names the mechanism it covers,
# so a failure says what broke.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_sample timerand alarm crash clock spin

# line FILE PREFIX: the line of FILE that starts with "PREFIX:".
line() {
    grep -m 1 "^$2:" "$1"
}

# Compare one labelled line of timerand's output between the recording and
# its replay, and between two recordings (where it must differ).
timerand_line() {
    local label=$1 what=$2 rec rep other
    rec=$(line "$TMP/tr.rec.out" "$label")
    rep=$(line "$TMP/tr.rep.out" "$label")
    other=$(line "$TMP/tr2.rec.out" "$label")
    if [ -z "$rec" ]; then
        fail "$what: timerand printed no '$label:' line"
    elif [ "$rec" != "$rep" ]; then
        fail "$what: replay printed '$rep', recording '$rec'"
    elif [ "$rec" = "$other" ]; then
        fail "$what: two recordings printed the same '$rec'"
    else
        pass "$what: replayed '$rec'"
    fi
}

if record tr "$SAMPLES/timerand" && record tr2 "$SAMPLES/timerand"; then
    replay tr rep
    expect_status timerand replay "$rep_status" "$rec_status"
    timerand_line rdtsc "rdtsc (PR_TSC_SIGSEGV)"
    timerand_line rdtscp "rdtscp (PR_TSC_SIGSEGV)"
    timerand_line 'clock_gettime(REALTIME)' "vDSO clock_gettime(REALTIME)"
    timerand_line 'clock_gettime(MONOTONIC)' "vDSO clock_gettime(MONOTONIC)"
    timerand_line gettimeofday "vDSO gettimeofday"
    timerand_line AT_RANDOM "AT_RANDOM auxv bytes"
    timerand_line getrandom "getrandom"
    timerand_line /dev/urandom "read of /dev/urandom"
    timerand_line rand "rand() seeded from the time"
    same_file timerand "replay stdout" "$TMP/tr.rec.out" "$TMP/tr.rep.out"
fi

# vDSO time in a program we did not write.
if record date date +%s.%N; then
    replay date rep
    if [ -s "$TMP/date.rec.out" ] && cmp -s "$TMP/date.rec.out" "$TMP/date.rep.out"; then
        pass "vDSO time (date +%s.%N): replayed $(cat "$TMP/date.rep.out")"
    else
        fail "vDSO time (date +%s.%N): recorded '$(cat "$TMP/date.rec.out")', replayed '$(cat "$TMP/date.rep.out")'"
    fi
fi

# An asynchronous signal: where SIGALRM lands changes the number of work
# rounds alarm prints at the end; the replay must deliver it at the same place.
if record alarm "$SAMPLES/alarm" 5; then
    expect_status alarm record "$rec_status" 0
    grep -q '^alarm 5$' "$TMP/alarm.rec.out" || fail "SIGALRM: the recording did not count 5 alarms"
    replay alarm rep
    expect_status alarm replay "$rep_status" 0
    same_file "SIGALRM (setitimer)" "replay stdout" "$TMP/alarm.rec.out" "$TMP/alarm.rep.out" &&
        pass "SIGALRM (setitimer): replayed '$(tail -n 1 "$TMP/alarm.rep.out")'"
fi

# A signal delivered mid-computation: spin waits for SIGALRM in a loop that
# makes no system call, so the recorder delivers each signal where the loop
# is and records that point by its signature (registers and a hash of
# memory); the replay finds the point again.  Each round prints the phase the
# loop was in, different in every run, and the replay checks what the
# program writes against the recording: a signal delivered a turn early or
# late shows.  The debugger then reaches the same phases in both directions
# and from a checkpoint taken before a delivery.
spin_phases() {   # the phases a spin run printed, or $N = values of a session
    sed -n 's/^signal [0-9]* at phase \([0-9]*\)$/\1/p; s/^\$[0-9]* = \([0-9]*\)$/\1/p' "$1" |
        tr '\n' ' '
}
spin_session() {  # NAME ARGS...: a batch debugger session on the spin trace
    local name=$1
    shift
    local a=() c
    for c in "$@"; do a+=(-ex "$c"); done
    rr replay -batch "${a[@]}" "$TMP/spin.trace" >"$TMP/spin.$name.out" 2>&1 </dev/null
}
if record spin "$SAMPLES/spin" 3; then
    expect_status "mid-computation signal (spin)" record "$rec_status" 0
    phases=$(spin_phases "$TMP/spin.rec.out")
    [ "$(echo $phases | wc -w)" -eq 3 ] ||
        fail "mid-computation signal (spin): the recording printed '$phases', 3 phases expected"
    rr dump "$TMP/spin.trace" >"$TMP/spin.dump" 2>&1
    n=$(grep -c 'signal SIGALRM (asynchronous, mid-computation) at 0x' "$TMP/spin.dump")
    if [ "$n" -ge 3 ]; then
        pass "mid-computation signal (spin): dump shows $n signature events"
    else
        fail "mid-computation signal (spin): dump shows $n signature events, 3 expected"
        grep signal "$TMP/spin.dump" | head -n 5 | sed 's/^/  /'
    fi
    replay spin rep
    expect_status "mid-computation signal (spin)" replay "$rep_status" 0
    same_file "mid-computation signal (spin)" "replay stdout" "$TMP/spin.rec.out" "$TMP/spin.rep.out" &&
        same_file "mid-computation signal (spin)" "replay stderr" "$TMP/spin.rec.err" "$TMP/spin.rep.err" &&
        pass "mid-computation signal (spin): replayed phases $phases"

    spin_session end c 'info registers rip'
    if grep -q 'exited normally' "$TMP/spin.end.out"; then
        pass "mid-computation signal (spin): the debugger continues to the end"
    else
        fail "mid-computation signal (spin): 'continue' did not reach the end"
        show "session" "$TMP/spin.end.out"
    fi

    # At the printf after each loop, forward, then back one round.
    pline=$(grep -n 'printf("signal' "$top_srcdir/samples/spin.c" | cut -d: -f1)
    lline=$(grep -n 'phase = (phase' "$top_srcdir/samples/spin.c" | cut -d: -f1)
    set -- $phases
    spin_session fwd "break spin.c:$pline" c 'p phase' c 'p phase' c 'p phase' \
        reverse-continue 'p phase'
    got=$(spin_phases "$TMP/spin.fwd.out")
    if [ "$got" = "$1 $2 $3 $2 " ]; then
        pass "mid-computation signal (spin): debugger sees phases $got(forward, then back)"
    else
        fail "mid-computation signal (spin): debugger saw phases '$got', expected '$1 $2 $3 $2 '"
        show "session" "$TMP/spin.fwd.out" 30
    fi

    # From the first round's printf, stepping back across the handler, its
    # delivery and into the loop before it (40 instructions back reach the
    # event before the delivery, wherever the point is in the loop); then
    # forward again.
    ev=$(sed -n 's/^\([0-9]*\) signal SIGALRM (asynchronous, mid-computation).*/\1/p' \
        "$TMP/spin.dump" | head -n 1)
    cmds=("break spin.c:$pline" c)
    for i in $(seq 1 40); do cmds+=(reverse-stepi when); done
    cmds+=(c 'p phase')
    spin_session back "${cmds[@]}"
    got=$(spin_phases "$TMP/spin.back.out")
    if grep -q "^Current event: $((ev - 1))\$" "$TMP/spin.back.out" && [ "$got" = "$1 " ]; then
        pass "mid-computation signal (spin): reverse-stepi back across event $ev, forward again to phase $got"
    else
        fail "mid-computation signal (spin): reverse-stepi across event $ev: expected to be in event $((ev - 1)), then phase $1, got '$got'"
        show "session" "$TMP/spin.back.out" 40
    fi

    # A checkpoint inside the loop, before the first delivery.
    spin_session ck "break spin.c:$lline" c checkpoint delete "break spin.c:$pline" c \
        'p phase' 'restart 1' c 'p phase'
    got=$(spin_phases "$TMP/spin.ck.out")
    if [ "$got" = "$1 $1 " ]; then
        pass "mid-computation signal (spin): from a checkpoint before the delivery, phase $1 again"
    else
        fail "mid-computation signal (spin): checkpoint: phases '$got', expected '$1 $1 '"
        show "session" "$TMP/spin.ck.out" 30
    fi
fi

# The same while the loop fills memory: the signal finds spin inside
# memset, mostly in the middle of a `rep stos`, which no breakpoint can stop
# the replay at; the recorder lets the instruction finish and delivers after it.
if record spinfill "$SAMPLES/spin" 3 fill; then
    expect_status "mid-computation signal in memset (spin fill)" record "$rec_status" 0
    n=$(rr dump "$TMP/spinfill.trace" 2>&1 | grep -c 'mid-computation) at 0x')
    replay spinfill rep
    expect_status "mid-computation signal in memset (spin fill)" replay "$rep_status" 0
    same_file "mid-computation signal in memset (spin fill)" "replay stdout" \
        "$TMP/spinfill.rec.out" "$TMP/spinfill.rep.out" &&
        [ "$n" -ge 3 ] &&
        pass "mid-computation signal in memset (spin fill): $n signature events, replayed phases $(spin_phases "$TMP/spinfill.rep.out")"
    [ "$n" -ge 3 ] || fail "mid-computation signal in memset (spin fill): $n signature events in the dump, 3 expected"
fi

# A crash: the synchronous SIGSEGV recurs by itself in replay.
if record crash "$SAMPLES/crash"; then
    expect_status "crash (SIGSEGV)" record "$rec_status" 139
    replay crash rep
    expect_status "crash (SIGSEGV)" replay "$rep_status" 139
    same_file "crash (SIGSEGV)" "replay stdout" "$TMP/crash.rec.out" "$TMP/crash.rep.out"
fi

# Interactive input through a pipe.  The replay gets other input on its own
# stdin, which it must ignore: the keys come from the trace.
# (Process substitution, not a pipeline: record must run in this shell.)
REC_STDIN=- record clockpipe "$SAMPLES/clock" 1 < <(printf '3\nq\n')
expect_status "stdin pipe (clock)" record "$rec_status" 0
grep -q 'a line every 3 s' "$TMP/clockpipe.rec.err" ||
    fail "stdin pipe (clock): the key '3' did not reach the recorded program"
printf '9\n9\n9\n' >"$TMP/other-keys"
REP_STDIN=$TMP/other-keys replay clockpipe rep
expect_status "stdin pipe (clock)" replay "$rep_status" 0
same_file "stdin pipe (clock)" "replay stdout" "$TMP/clockpipe.rec.out" "$TMP/clockpipe.rep.out" &&
    same_file "stdin pipe (clock)" "replay stderr" "$TMP/clockpipe.rec.err" "$TMP/clockpipe.rep.err" &&
    pass "stdin pipe (clock): replayed the recorded keys"

REC_STDIN=- record readloop sh -c 'while read x; do echo "got $x"; done' < <(printf 'hello\nworld\n')
printf 'got hello\ngot world\n' >"$TMP/readloop.want"
same_file "stdin pipe (sh read loop)" "recorded stdout" "$TMP/readloop.want" "$TMP/readloop.rec.out"
REP_STDIN=$TMP/other-keys replay readloop rep
expect_status "stdin pipe (sh read loop)" replay "$rep_status" 0
same_file "stdin pipe (sh read loop)" "replay stdout" "$TMP/readloop.want" "$TMP/readloop.rep.out" &&
    pass "stdin pipe (sh read loop): replayed"

# -M: every output line prefixed with "[rrtui PID EVENT] ", one pid, and
# event numbers that grow (each echo is its own write system call).
if record marks sh -c 'echo one; echo two; echo three'; then
    replay marks rep -M
    expect_status "-M" replay "$rep_status" 0
    awk '
        match($0, /^\[rrtui [0-9]+ [0-9]+\] /) {
            split(substr($0, 2, RLENGTH - 3), f, " ")
            text = substr($0, RLENGTH + 1)
            if (NR > 1 && f[2] != pid) { print "pid changed: " $0; bad = 1 }
            if (NR > 1 && f[3] + 0 <= event + 0) { print "event did not grow: " $0; bad = 1 }
            pid = f[2]; event = f[3]; texts = texts text " "
            next
        }
        { print "no [rrtui PID EVENT] prefix: " $0; bad = 1 }
        END {
            if (texts != "one two three ") { print "text is \"" texts "\""; bad = 1 }
            exit bad
        }' "$TMP/marks.rep.out" >"$TMP/marks.problems"
    if [ $? -eq 0 ] && [ "$(wc -l <"$TMP/marks.rep.out")" -eq 3 ]; then
        pass "-M: $(tr '\n' '|' <"$TMP/marks.rep.out")"
    else
        fail "-M: bad annotated output"
        show "problems" "$TMP/marks.problems"
        show "replay -a -M stdout" "$TMP/marks.rep.out"
    fi
fi

finish
