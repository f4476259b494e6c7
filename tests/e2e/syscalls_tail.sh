#!/bin/bash
# The long tail of system calls (tests/fixtures/sys/): numbers the kernel
# does not implement, ioctls outside the table, unknown commands of
# multiplexed calls, bpf, perf_event_open, process_vm_readv/writev, CPU
# affinity, memory policies, syslog, the program's own rdtsc mode, and
# system calls made with int $0x80 from 64-bit code.
#
# Each fixture is run unrecorded, recorded and replayed three times: the
# recording must print on stdout what the unrecorded run printed (the
# program does not see it is recorded; values that differ from run to run
# go to stderr) and exit alike, and every replay must print what the
# recording printed, stdout and stderr, and exit alike. What rrtui cannot
# record is refused with one line naming it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIX=$top_builddir/tests/fixtures/sys
[ -x "$FIX/nosys" ] || skip "fixtures in $FIX not built (make check builds them)"
cd "$TMP" || exit 99   # the fixtures make their scratch files here

# case NAME STATUS ARGS...: the fixture NAME run unrecorded, recorded and
# replayed; STATUS is the exit status it must have.
case_() {
    local name=$1 want=$2 nat
    shift 2
    "$FIX/$name" "$@" >"$TMP/$name.native.out" 2>"$TMP/$name.native.err" </dev/null
    nat=$?
    expect_status "$name" "unrecorded" "$nat" "$want"
    record_replay "$name" "$want" "$FIX/$name" "$@"
    same_file "$name" "recorded stdout (against the unrecorded run's)" \
        "$TMP/$name.native.out" "$TMP/$name.rec.out" &&
        pass "$name: the recording printed what the unrecorded run printed"
}

# refused NAME WHAT ARGS...: recording the fixture NAME with ARGS stops with
# one error line containing WHAT.
refused() {
    local name=$1 what=$2 st
    shift 2
    rr record -o "$TMP/$name-refused.trace" -- "$FIX/$name" "$@" \
        >"$TMP/$name.refused.out" 2>"$TMP/$name.refused.err" </dev/null
    st=$?
    if [ "$st" -eq 0 ] || bad_status "$st"; then
        fail "$name $*: record exit status $st, expected a refusal"
        show "stderr" "$TMP/$name.refused.err"
    elif ! grep -q "^rrtui: .*$what" "$TMP/$name.refused.err"; then
        fail "$name $*: the refusal does not say '$what'"
        show "stderr" "$TMP/$name.refused.err"
    else
        pass "$name $*: refused: $(grep '^rrtui: ' "$TMP/$name.refused.err")"
    fi
}

# dump_has NAME PATTERN COUNT WHAT: rrtui dump of NAME's trace has at least
# COUNT lines matching PATTERN.
dump_has() {
    local n
    rr dump "$TMP/$1.trace" >"$TMP/$1.dump" 2>&1
    n=$(grep -c -- "$2" "$TMP/$1.dump")
    if [ "$n" -ge "$3" ]; then
        pass "$1: $4 ($n events)"
    else
        fail "$1: $4: $n events match '$2', expected $3"
    fi
}

# Numbers the kernel does not implement answer ENOSYS and are recorded.
case_ nosys 3
dump_has nosys 'syscall nosys(.*= -1 ENOSYS' 8 "invalid numbers recorded as calls"
refused nosys "the upper half of its number is not the sign extension" garbage

# ioctls by their _IOC encoding, legacy ones by table, failing ones as such.
case_ ioctls 0
refused ioctls "unsupported ioctl 0x8946 (SIOCETHTOOL) on fd [0-9]*: it succeeded" ethtool

# Unknown commands of multiplexed calls fail and are recorded.
case_ commands 0
refused commands "unsupported semctl command 13" getall

# Calls added to the table.
case_ bpf 0
case_ perf 0
case_ pvm 0
case_ mempolicy 0
case_ syslog 0

# Affinity: the program sees the mask it set, but stays on the recorder's CPU.
case_ affinity 0
if [ "$(nproc)" -ge 2 ]; then
    if grep -q '^moved: yes$' "$TMP/affinity.native.err" && grep -q '^moved: no$' "$TMP/affinity.rec.err"; then
        pass "affinity: unrecorded it moved to the CPU it asked for; recorded it stayed"
    else
        fail "affinity: moved unrecorded '$(cat "$TMP/affinity.native.err")', recorded '$(cat "$TMP/affinity.rec.err")'"
    fi
fi

# The rdtsc mode: PR_GET_TSC answers PR_TSC_ENABLE, PR_SET_TSC is emulated,
# and the program's own PR_TSC_SIGSEGV makes its rdtsc fault, recorded as a
# fault and delivered again in the replay.
case_ tsc 0
dump_has tsc 'signal SIGSEGV (fault)' 1 "the program's own rdtsc fault"

# int $0x80 from 64-bit code: the i386 table, registers and structures.
case_ int80 7
dump_has int80 'syscall i386:write(1, ' 1 "i386 write recorded as such"
dump_has int80 'syscall i386:uname(.*wrote 390 bytes' 1 "i386 uname's struct recorded"
refused int80 "unsupported i386 system call mmap2 (192, made with int \$0x80" mmap2
# With stdout on /dev/null, its write from a bad address succeeds without
# reading it: nothing to keep as output, and the recording goes on.
rr record -o "$TMP/int80-null.trace" -- "$FIX/int80" >/dev/null 2>"$TMP/int80-null.err" </dev/null
st=$?
rr replay -a "$TMP/int80-null.trace" >/dev/null 2>&1 </dev/null
rst=$?
if [ "$st" -eq 7 ] && [ "$rst" -eq 7 ]; then
    pass "int80 >/dev/null: a write /dev/null did not read is recorded and replayed"
else
    fail "int80 >/dev/null: record status $st, replay status $rst, expected 7"
    show "stderr" "$TMP/int80-null.err"
fi

finish
