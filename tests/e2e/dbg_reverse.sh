#!/bin/bash
# tests/e2e/dbg_reverse.sh — the acceptance scenarios that depend on the
# timeline's reverse motions being exact (reverse-stepi after a breakpoint
# hit, reverse-continue with watchpoints): the clock bug found with `watch
# line_no`, the crash's overflowing write found with `watch -l` from the
# SIGSEGV, reverse-next/step/finish. (Issue 5's scenarios on a program
# made for them are in dbg_scenarios.sh.)
. "$(dirname "$0")/lib.sh"
need_sample clock
need_sample crash
need_sample compute
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/clock" "$SAMPLES/clock" 0 10 </dev/null >/dev/null 2>&1
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/crash" "$SAMPLES/crash" >/dev/null 2>&1

dbg() { local t=$1; shift; local a=(); for c in "$@"; do a+=(-ex "$c"); done
    timeout "$RR_TIMEOUT" "$RRTUI" replay -batch "${a[@]}" "$t" 2>&1; }
# A pattern with a newline in it is matched across lines (grep -Pz).
expect() {
    local ok=
    if [[ $3 == *$'\n'* ]]; then grep -Pzq -- "(?m)${3//$'\n'/\\n}" <<<"$2" && ok=1
    else grep -Eq -- "$3" <<<"$2" && ok=1; fi
    if [ -n "$ok" ]; then pass "$1"; else fail "$1: no /$3/"; echo "$2" | tail -20; fi
}

# clock: line 007 is never printed. Stop on the call after 008's, watch the
# counter and go back: the first write found is 008's own increment, the
# second the silent one (reverse: Old value is the later value).
out=$(dbg "$TMP/clock" 'break print_line if line_no == 9' c 'watch line_no' rc rc)
expect "clock: watch backward" "$out" $'^Old value = 8\nNew value = 7$'
expect "clock: the silent increment" "$out" $'^10[0-9]\t        line_no\\+\\+;$'

# The same from the end of the recording, where there is no process: the
# counter is static, so it can be watched there (its value at the end is
# <unreadable>, as gdb says); five writes back is the silent one.
out=$(dbg "$TMP/clock" c 'watch line_no' rc rc rc rc 'p line_no' rc)
expect "clock: watch at the end, then back" "$out" $'^Old value = <unreadable>\nNew value = 11$'
expect "clock: from the end, the silent increment" "$out" $'^Old value = 8\nNew value = 7\n.*\n10[0-9]\t        line_no\\+\\+;$'

# A breakpoint in a hot loop, from after the loop: the last iteration, then
# the one before (the engine counts the hits in the kernel).
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/compute" "$SAMPLES/compute" 20000 >/dev/null 2>&1
ev=$("$RRTUI" dump "$TMP/compute" | grep -c .)
out=$(dbg "$TMP/compute" "run $((ev - 3))" 'break compute.c:35' rc 'p k' rc 'p k' 'condition 1 k == 7' rc 'p k')
expect "hot loop: the last iteration" "$out" '^\$1 = 19999$'
expect "hot loop: the one before" "$out" '^\$2 = 19998$'
expect "hot loop: with a condition" "$out" '^\$3 = 7$'

# crash: from the SIGSEGV, watch the corrupted pointer, reverse-continue.
out=$(dbg "$TMP/crash" c 'up 3' 'watch -l s->greeting' rc)
expect "crash: the overflowing write" "$out" $'^4[01]\t        u->name\\[i\\] = name\\[i\\];$'
expect "crash: in set_name" "$out" 'in set_name \(u=0x'

# stepping backward: reverse-next over a call with no breakpoint inside it
# lands on the call's line; with one inside, it stops there (as gdb does).
out=$(dbg "$TMP/clock" 'break 160' c c rn)
expect "reverse-next back over the call" "$out" $'^159\t            print_line\\(\\);$'
out=$(dbg "$TMP/clock" 'break print_line' c c finish rn)
expect "reverse-next stops at a breakpoint in the callee" "$out" $'^Breakpoint 1, print_line \\(\\) at .*clock.c:91\n91\t'
out=$(dbg "$TMP/clock" 'break print_line' c c next next delete reverse-finish)
# Typed (not batch), it says where it goes back from, as gdb does.
typed=$(timeout "$RR_TIMEOUT" "$RRTUI" replay --cli -ex 'break print_line' -ex c -ex c -ex next \
    -ex delete -ex reverse-finish "$TMP/clock" </dev/null 2>&1)
expect "reverse-finish" "$typed" '^Run back to call of #0 +print_line \(\) at '
expect "reverse-finish lands on the call" "$out" $'^159\t            print_line\\(\\);$'
finish
