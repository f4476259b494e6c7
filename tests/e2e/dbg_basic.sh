#!/bin/bash
# tests/e2e/dbg_basic.sh — the debugger's command language in batch mode
# (rrtui replay -batch -ex ...), on recordings of samples/clock and
# samples/crash: stop reports, breakpoints forward and backward, the start
# and the end of the recording, stepping, finish, the crash.
. "$(dirname "$0")/lib.sh"
need_sample clock
need_sample crash

timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/clock" "$SAMPLES/clock" 0 10 </dev/null >/dev/null 2>&1 ||
    fail "record clock"
timeout "$RR_TIMEOUT" "$RRTUI" record -o "$TMP/crash" "$SAMPLES/crash" >/dev/null 2>&1
[ -d "$TMP/crash" ] || fail "record crash"

dbg() { # TRACE CMD... : batch session, stdout+stderr
    local t=$1; shift
    local args=()
    for c in "$@"; do args+=(-ex "$c"); done
    timeout "$RR_TIMEOUT" "$RRTUI" replay -batch "${args[@]}" "$t" 2>&1
}

expect() { # NAME OUTPUT REGEX
    if grep -Eq -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no /$3/ in:"; echo "$2" | head -40; fi
}

out=$(dbg "$TMP/clock" 'break print_line' c c c rc rc rc c c)
# The program's output, as the replay first passes it (as gdb and rr show
# it), once: going back and forward again does not repeat it.
n=$(grep -c '^00[12] [0-9:]* #' <<<"$out")
[ "$n" -eq 2 ] && pass "program output echoed once" || fail "expected 2 lines of the clock's output, got $n"
expect "start frame" "$out" '^0x[0-9a-f]{16} in _start \(\) from .*ld-linux'
expect "break message" "$out" '^Breakpoint 1 at 0x[0-9a-f]+: file .*clock.c, line 91\.$'
expect "breakpoint stop" "$out" '^Breakpoint 1, print_line \(\) at .*clock.c:91$'
expect "source line" "$out" $'^91\t    time_t t = time\\(NULL\\);$'
n=$(grep -c '^Breakpoint 1, print_line' <<<"$out")
[ "$n" -eq 7 ] && pass "hits forward and backward ($n)" || fail "expected 7 breakpoint stops, got $n"
expect "start of history" "$out" '^No more reverse-execution history\.$'

out=$(dbg "$TMP/clock" c)
expect "end of recording" "$out" '^\[Inferior 1 \(process [0-9]+\) exited normally\]$'

out=$(dbg "$TMP/clock" 'break print_line' c bt n n 'info locals' finish)
expect "backtrace" "$out" '^#1  0x[0-9a-f]{16} in main \(argc=3, argv=0x[0-9a-f]+\) at .*clock.c:[0-9]+$'
expect "next" "$out" $'^95\t    localtime_r'
expect "next again" "$out" $'^96\t    strftime\\(stamp, '
expect "info locals" "$out" '^i = '
expect "finish" "$out" '^main \(argc=3, argv=0x[0-9a-f]+\) at .*clock.c:[0-9]+$'
# As gdb's batch mode: no "Run till exit from ..." (nor "Continuing.").
if grep -Eq '^(Run till exit|Continuing\.)' <<<"$out"; then fail "batch: typed-only lines"; else pass "batch: no typed-only lines"; fi

# The process and thread views, run (from the start to the first stop),
# start, source, and what a replay refuses.
printf 'p 6*7\nbt 1\n' >"$TMP/cmds.gdb"
out=$(dbg "$TMP/clock" 'break print_line' c c 'info threads' thread 'info inferiors' run 'p line_no' \
    "source $TMP/cmds.gdb" 'call print_line()' kill 'jump 90' 'p print_line()' delete start \
    'set disassembly-flavor intel' 'set print pretty off')
expect "info threads" "$out" '^\* 1 +process [0-9]+ "clock" print_line \(\) at .*clock\.c:91$'
expect "thread" "$out" '^\[Current thread is 1 \(process [0-9]+\)\]$'
expect "info inferiors" "$out" '^\* 1 +process [0-9]+ +1 \(replay\) +.*/clock $'
expect "run: from the start to the first stop" "$out" $'^Breakpoint 1, print_line \\(\\) at .*clock\\.c:91\n91\t.*\n\\$1 = 0$'
expect "source: its commands" "$out" '^\$2 = 42$'
expect "call refused" "$out" '^call: the program is a replay of a recording'
expect "kill refused" "$out" '^kill: the program is a replay of a recording'
expect "a function call in an expression refused" "$out" '^Cannot call functions in a replay: '
expect "a setting rrtui cannot honour is refused" "$out" '^set disassembly-flavor intel: not supported'
if grep -q 'set print pretty off' <<<"$out"; then fail "set print pretty off (the default) refused"; else pass "set print pretty off accepted"; fi
expect "start: a temporary breakpoint at main" "$out" '^Temporary breakpoint 2, main \(argc=3, argv=0x[0-9a-f]+\) at .*clock\.c:[0-9]+$'

# save breakpoints writes gdb's script of them; source sets them again.
out=$(dbg "$TMP/clock" 'break print_line' 'tbreak clock.c:95' 'break main if argc > 1' \
    'dprintf print_line,"x %d\n",line_no' 'ignore 1 2' 'disable 2' 'commands 3' 'p argc' end \
    "save breakpoints $TMP/bps.gdb")
want=$'break print_line\n  ignore $bpnum 2\ntbreak clock.c:95\ndisable $bpnum\nbreak main\n  condition $bpnum argc > 1\n  commands\n    p argc\n  end\ndprintf print_line,"x %d\\n",line_no'
[ "$(cat "$TMP/bps.gdb")" = "$want" ] && pass "save breakpoints: gdb's script" ||
    fail "save breakpoints wrote: $(cat "$TMP/bps.gdb")"
out=$(dbg "$TMP/clock" "source $TMP/bps.gdb" 'info breakpoints')
expect "source: set again" "$out" '^4       dprintf        keep y   0x[0-9a-f]+ in print_line at .*clock.c:91$'
expect "source: disabled again" "$out" '^2       breakpoint     del  n '
expect "source: with its commands" "$out" '^        p argc$'

out=$(dbg "$TMP/clock" 'break print_line' c 'p line_no' 'p/x 255' 'whatis line_no' 'ptype bar_len' 'x/2i $pc' 'info registers rip' 'set var line_no = 3' 'info breakpoints' 'help next')
expect "print" "$out" '^\$1 = 1$'
expect "print/x" "$out" '^\$2 = 0xff$'
expect "whatis" "$out" '^type = int$'
expect "x/i" "$out" '^=> 0x[0-9a-f]+ <print_line\+[0-9]+>:'
expect "info registers" "$out" '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <print_line\+[0-9]+>$'
expect "set var refused" "$out" 'this is a replay'
expect "info breakpoints" "$out" '^1       breakpoint     keep y   0x[0-9a-f]{16} in print_line at .*clock.c:91$'
expect "help" "$out" '^next \[N\]$'

out=$(dbg "$TMP/crash" c bt)
expect "crash signal" "$out" '^Program received signal SIGSEGV, Segmentation fault\.$'
expect "crash frame" "$out" 'in greet \(u=0x[0-9a-f]+, s=0x[0-9a-f]+\) at .*crash.c:48$'

# info sharedlibrary: the interpreter from the start, libc once mapped, with
# the .text ranges gdb shows (the same file, so the same addresses); no
# ld.so.cache. maintenance time: a line per command.
out=$(dbg "$TMP/clock" 'info sharedlibrary' 'break print_line' c 'maint time 1' 'info sharedlibrary')
g=$(gdb -nx -batch -ex 'break print_line' -ex run -ex 'info sharedlibrary' --args "$SAMPLES/clock" 0 1 </dev/null 2>&1)
for lib in ld-linux-x86-64 libc.so.6; do
    want=$(grep -Eo "^0x[0-9a-f]{16}  0x[0-9a-f]{16}  Yes .*$lib" <<<"$g" | cut -c1-38)
    [ -n "$want" ] || fail "gdb lists no $lib"
    expect "info sharedlibrary: $lib as gdb" "$out" "^${want:-none}  Yes +/.*$lib"
done
n=$(grep -c 'Shared Object Library' <<<"$out")
[ "$n" -eq 2 ] && pass "info sharedlibrary at the start and later" || fail "info sharedlibrary printed $n tables"
grep -q 'ld.so.cache' <<<"$out" && fail "ld.so.cache listed as a library" || pass "no data files listed"
expect "maintenance time" "$out" '^Command execution time: [0-9.]+ \(cpu\), [0-9.]+ \(wall\)$'

# A breakpoint in a library, set before the library is loaded: ld.so maps
# the file whole, then its text again over it; the breakpoint must survive
# (and be found again backwards).
out=$(dbg "$TMP/clock" 'break strftime' c c rc)
n=$(grep -c '^Breakpoint 1, .*strftime (' <<<"$out")
[ "$n" -eq 3 ] && pass "library breakpoint set at the start ($n stops)" ||
    { fail "library breakpoint set at the start: $n stops, want 3"; echo "$out" | tail -10; }

# Watch values and displays do not use up the value history: the user's
# first print is still $1 (gdb's `output` for them).
out=$(dbg "$TMP/clock" 'break print_line' c 'watch line_no' 'display bar_len' c 'p 42')
expect "watch values outside the history" "$out" '^\$1 = 42$'

# The command reference is generated from the command table.
if diff -u "$top_srcdir/docs/commands.md" <("$RRTUI" replay --help-commands) >"$TMP/docs.diff"; then
    pass "docs/commands.md is up to date"
else
    fail "docs/commands.md is stale: run rrtui replay --help-commands > docs/commands.md"
    head -20 "$TMP/docs.diff"
fi
finish
