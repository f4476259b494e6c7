#!/bin/bash
# Record each sample program and replay it three times with `replay -a`: every
# replay must print the recorded stdout and stderr byte for byte and exit with
# the recorded status (139 = 128 + SIGSEGV for the crash).  Two recordings of
# timerand must differ: the recorder captures nondeterminism, not freezes it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_sample fileio timerand crash alarm compute syscalls clock spin

S=$SAMPLES
record_replay fileio    0   "$S/fileio"
record_replay timerand  0   "$S/timerand"
record_replay crash     139 "$S/crash"
record_replay alarm     0   "$S/alarm"
record_replay spin      0   "$S/spin" 2
record_replay spinfill  0   "$S/spin" 2 fill
record_replay compute   0   "$S/compute" 2000000
record_replay syscalls  0   "$S/syscalls" 2000
record_replay clock     0   "$S/clock" 1 3
record_replay clock0    0   "$S/clock" 0 8

# What the samples are supposed to show, so that a broken sample is noticed.
if ! grep -q '^user .* is called Maximilian' "$TMP/crash.rec.out" ||
    grep -q 'not reached' "$TMP/crash.rec.out"; then
    fail "crash: the recording does not show the output before the crash"
fi
[ "$(wc -l <"$TMP/clock.rec.out")" -eq 3 ] ||
    fail "clock: 3 lines expected from 'clock 1 3'"
if grep -q '^006 ' "$TMP/clock0.rec.out" && grep -q '^008 ' "$TMP/clock0.rec.out" &&
    ! grep -q '^007 ' "$TMP/clock0.rec.out"; then
    pass "clock0: line 007 is skipped (the planted bug)"
else
    fail "clock0: expected lines 006 and 008 but no 007"
fi
grep -q '^2000 syscalls' "$TMP/syscalls.rec.out" || fail "syscalls: unexpected output"

if record timerand2 "$S/timerand"; then
    differ timerand timerand2 "timerand"
fi

finish
