#!/bin/bash
# tests/e2e/dbg_reverse.sh — the acceptance scenarios that depend on the
# timeline's reverse motions being exact (reverse-stepi after a breakpoint
# hit, reverse-continue with watchpoints): the clock bug found with `watch
# line_no`, the crash's overflowing write found with `watch -l` from the
# SIGSEGV, reverse-next/step/finish. Listed in XFAIL_TESTS until the engine
# fixes land (see the report of issue 5).
. "$(dirname "$0")/lib.sh"
need_sample clock
need_sample crash
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/clock" "$SAMPLES/clock" 0 10 </dev/null >/dev/null 2>&1
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/crash" "$SAMPLES/crash" >/dev/null 2>&1

dbg() { local t=$1; shift; local a=(); for c in "$@"; do a+=(-ex "$c"); done
    timeout "$RR_TIMEOUT" "$RRTUI" replay -batch "${a[@]}" "$t" 2>&1; }
expect() { if grep -Eq -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no /$3/"; echo "$2" | tail -20; fi; }

# clock: line 7 is never printed. From the line after the skip, go back.
out=$(dbg "$TMP/clock" 'break print_line if line_no == 8' c 'watch line_no' rc rc)
expect "clock: watch backward" "$out" $'^Old value = 8$'
expect "clock: the silent increment" "$out" $'^102\t        line_no\\+\\+;$'

# crash: from the SIGSEGV, watch the corrupted pointer, reverse-continue.
out=$(dbg "$TMP/crash" c 'up 3' 'watch -l s->greeting' rc)
expect "crash: the overflowing write" "$out" $'^4[01]\t        u->name\\[i\\] = name\\[i\\];$'
expect "crash: in set_name" "$out" 'in set_name \(u=0x'

# stepping backward
out=$(dbg "$TMP/clock" 'break print_line' c c finish rn rn rs reverse-finish)
expect "reverse-next back over the call" "$out" $'^15[0-9]\t'
expect "reverse-finish" "$out" '^Run back to call of #0'
finish
