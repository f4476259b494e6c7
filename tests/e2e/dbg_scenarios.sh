#!/bin/bash
# tests/e2e/dbg_scenarios.sh — issue 5's acceptance scenarios (the behaviours
# gdb's own reverse-debugging tests check), in batch mode, on one recording
# of tests/fixtures/dbg/scen: step/next into and over calls both ways; finish
# and reverse-finish from functions returning void, char, short, int, long and
# long long; a recursion; register, auto, static and global variables at the
# same positions forward and backward; breakpoints on two consecutive
# instructions; a signal handler crossed backward; until/advance both ways;
# hardware and software watchpoints both ways; breakpoints hit forward,
# backward and forward again.
#
# Forward sessions are compared with gdb on the live program (the same
# commands after `break main` and `run`; addresses, value history numbers and
# the lines gdb's batch mode leaves out are normalised away); a session may
# go on backward after its forward part, and only that part is compared.
# Reverse sessions are checked against gdb's documented semantics: the stops
# a session makes are reduced to words ("Bfunc:LINE" a breakpoint hit with
# its frame line, "func:LINE" a frame line, "*func:LINE" one with an address,
# in the middle of a line, "LINE" a source line alone, START and END the ends
# of the recording) and compared with the expected words, built from the
# "@name" markers of scen.c.
#
# A check that fails because of a known engine bug (core/, not the command
# layer) prints "XFAIL: name: reason" and is not counted; should it pass, it
# says so, and the XFAIL can go.
#
# Every session starts by loading the debug information (libc's too), about
# a second of CPU: the sessions run in the background, a few at a time,
# and the checks read their outputs in order.
. "$(dirname "$0")/lib.sh"

SRC=$top_srcdir/tests/fixtures/dbg/scen.c
PROG=$top_builddir/tests/fixtures/dbg/scen
if [ ! -x "$PROG" ]; then
    # Run by hand without `make check`: build it as tests/dbg.mk does.
    command -v gcc >/dev/null || skip "$PROG is not built and there is no gcc"
    gcc -std=gnu11 -O0 -g -o "$TMP/scen" "$SRC" || skip "cannot build $SRC"
    PROG=$TMP/scen
fi
HAVE_GDB=
command -v gdb >/dev/null && HAVE_GDB=1
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -lt 2 ] && JOBS=2
[ "$JOBS" -gt 4 ] && JOBS=4

record scen "$PROG" || finish
expect_status scen record "$rec_status" 0
T=$TMP/scen.trace

# L NAME: the line of scen.c that ends with the marker "/* @NAME */".
L() {
    local n
    n=$(grep -n "/\\* @$1 \\*/" "$SRC" | head -n 1 | cut -d: -f1)
    if [ -z "$n" ]; then
        echo "internal: no marker @$1 in $SRC" >&2
        echo 0
    else
        echo "$n"
    fi
}

# ---- sessions, in the background ------------------------------------------

declare -A PIDS

# throttle: wait until fewer than $JOBS sessions run.
throttle() {
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
}

# start NAME CMD...: rrtui's batch session on the recording, output (stdout
# and stderr) to $TMP/NAME.out. With TYPED set, the commands run as typed
# (gdb's from_tty: "Run till exit from ...", "Continuing."), in a console
# session that ends at the end of its input.
start() {
    local name=$1 a=() c mode=(-batch)
    shift
    for c in "$@"; do a+=(-ex "$c"); done
    [ -n "${TYPED:-}" ] && mode=(--cli)
    throttle
    timeout "$RR_TIMEOUT" "$RRTUI" replay "${mode[@]}" "${a[@]}" "$T" >"$TMP/$name.out" 2>&1 </dev/null &
    PIDS[$name]=$!
}

# start_gdb NAME CMD...: gdb's batch session on the live program, after
# `break main` and `run`, to $TMP/NAME.gdb.
start_gdb() {
    local name=$1 a=() c
    shift
    [ -n "$HAVE_GDB" ] || return 0
    for c in "$@"; do a+=(-ex "$c"); done
    throttle
    timeout "$RR_TIMEOUT" gdb -nx -batch -ex 'break main' -ex run "${a[@]}" "$PROG" \
        >"$TMP/$name.gdb" 2>&1 </dev/null &
    PIDS[$name.gdb]=$!
}

# start_vs NAME FORWARD... [-- MORE...]: the session `break main`,
# `continue`, FORWARD..., MORE... in rrtui, and FORWARD... in gdb.
start_vs() {
    local name=$1 fwd=() more=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do fwd+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    more=("$@")
    start "$name" 'break main' c "${fwd[@]}" "${more[@]}"
    start_gdb "$name" "${fwd[@]}"
}

# get NAME: the output of session NAME into $OUT, once it has ended (not in
# a subshell: only this shell can wait for its jobs).
get() {
    wait "${PIDS[$1]}" 2>/dev/null
    OUT=$(cat "$TMP/$1.out")
}

# ---- checks -----------------------------------------------------------------

# While XFAIL_REASON is set, a failing check is a known failure.
XFAIL_REASON=
check_ok() { pass "$1${XFAIL_REASON:+ (known failure fixed: remove its XFAIL)}"; }
check_bad() {
    if [ -n "$XFAIL_REASON" ]; then
        echo "XFAIL: $1: $XFAIL_REASON"
        return
    fi
    fail "$1"
}
show_tail() { [ -n "$XFAIL_REASON" ] || tail -n "${2:-25}" <<<"$1" | sed 's/^/  | /'; }

# expect NAME OUTPUT REGEX: an extended regex matches a line; a REGEX with a
# newline in it matches consecutive lines (PCRE, multi-line).
expect() {
    local ok=
    if [[ $3 == *$'\n'* ]]; then
        grep -Pzq -- "(?m)${3//$'\n'/\\n}" <<<"$2" && ok=1
    else
        grep -Eq -- "$3" <<<"$2" && ok=1
    fi
    if [ -n "$ok" ]; then
        check_ok "$1"
    else
        check_bad "$1: no /$3/"
        show_tail "$2"
    fi
}

# same NAME GOT WANTED: two strings are equal.
same() {
    if [ "$2" = "$3" ]; then
        check_ok "$1: $2"
    else
        check_bad "$1: '$2', expected '$3'"
    fi
}

# stops OUTPUT: the session's stops as words (see the top of the file). The
# source line `frame`, `up` or `down` prints after "#N  ..." is no stop.
# Functions of libc ("__name") are all "libc", with or without line
# information (the installed libc's, when it has libc6-dbg at all).
stops() {
    awk '
        /^(Temporary breakpoint|Breakpoint) [0-9]+, / { b = "B"; sub(/^[A-Za-z ]+[0-9]+, /, "") }
        /^(0x[0-9a-f]+ in )?[A-Za-z_][A-Za-z0-9_.]* \(.*\) at .+:[0-9]+$/ {
            star = ($0 ~ /^0x/) ? "*" : ""
            s = $0; sub(/^0x[0-9a-f]+ in /, "", s); f = s; sub(/ .*/, "", f)
            n = s; sub(/.*:/, "", n)
            w = w b star f ":" n " "; b = ""; pending = 1; next
        }
        /^(0x[0-9a-f]+ in )?__[A-Za-z0-9_.]* \(.*\) from [^ ]+$/ {
            s = $0; sub(/^0x[0-9a-f]+ in /, "", s); f = s; sub(/ .*/, "", f)
            w = w b "*" f " "; b = ""; pending = 0; next
        }
        /^#[0-9]+  .*:[0-9]+$/ { fl = $0; sub(/.*:/, "", fl); pending = 0; next }
        /^[0-9]+\t/ {
            n = $0; sub(/\t.*/, "", n)
            if (!pending && n != fl) { w = w b n " "; b = "" }
            pending = 0; fl = ""; next
        }
        /^No more reverse-execution history/ { w = w "START " }
        /exited normally\]$/ { w = w "END " }
        { pending = 0; fl = "" }
        END { sub(/ $/, "", w); print w }' <<<"$1" | sed -E 's/(^| )\*?__[A-Za-z_]+(:[0-9]+)?/\1libc/g'
}

# expect_stops NAME OUTPUT "WORDS": the session stopped exactly there.
expect_stops() {
    local got
    got=$(stops "$2")
    if [ "$got" = "$3" ]; then
        check_ok "$1: $got"
    else
        check_bad "$1: stops '$got', expected '$3'"
        show_tail "$2"
    fi
}

# values OUTPUT: the values printed ("$N = V"), space-separated.
values() { grep -E '^\$[0-9]+ = ' <<<"$1" | sed 's/^\$[0-9]* = //' | paste -sd' '; }
# watched OUTPUT: the watchpoints' Old and New values, space-separated.
watched() { grep -E '^(Old|New) value = ' <<<"$1" | sed 's/.* = //' | paste -sd' '; }

# norm: what gdb's and rrtui's outputs of one session have in common: no
# blank lines; no lines gdb's batch mode leaves out ("Continuing.", "Run till
# exit from ...", for the sessions run as typed) or only rrtui prints (its start in _start, the end of the
# recording); no program output; every address 0xADDR, every $N. DROP (a
# regex) removes more lines from both (frames of libc, whose entry values
# dwarf/ does not show yet); RENUMBER set, backtraces lose their frame
# numbers (gdb shows libc's inlined functions as frames, dwarf/ not yet).
norm() {
    sed -E -e '/^$/d' \
        -e '/^\[Thread debugging using|^Using host libthread_db|^warning: /d' \
        -e '/^Continuing\.$|^Run till exit from |^Run back to call of |^End of the recording/d' \
        -e '/^rrtui: debugging the recording /d' \
        -e '/^0x[0-9a-f]+ in _start \(\) from /d' \
        -e '/^sum -?[0-9]+ g [0-9]+$/d' \
        -e 's/process [0-9]+/process PID/' \
        -e 's/0x[0-9a-f]+/0xADDR/g' -e 's/\$[0-9]+ = /$N = /g' |
        { if [ -n "${DROP:-}" ]; then grep -Ev -- "$DROP"; else cat; fi; } |
        { if [ -n "${RENUMBER:-}" ]; then sed -E 's/^#[0-9]+  /#N  /'; else cat; fi; }
}

# check_vs NAME: session NAME's forward part printed in rrtui what it printed
# in gdb. Leaves rrtui's whole output in $R for more checks.
check_vs() {
    local name=$1 n
    get "$name"
    R=$OUT
    if [ -z "$HAVE_GDB" ]; then
        echo "SKIP: $name: no gdb to compare with"
        return
    fi
    wait "${PIDS[$name.gdb]}" 2>/dev/null
    norm <"$TMP/$name.gdb" >"$TMP/$name.gdb.norm"
    n=$(wc -l <"$TMP/$name.gdb.norm")
    norm <<<"$R" | head -n "$n" >"$TMP/$name.norm"
    if diff -u "$TMP/$name.gdb.norm" "$TMP/$name.norm" >"$TMP/$name.diff"; then
        check_ok "$name: same as gdb ($n lines)"
    else
        check_bad "$name: differs from gdb (-gdb +rrtui)"
        [ -n "$XFAIL_REASON" ] || head -n 40 "$TMP/$name.diff" | sed 's/^/  /'
    fi
}

# ---- the sessions -----------------------------------------------------------
# Each session chains several scenarios (a second of start-up apiece);
# `delete` separates them.

# Forward stepping, finish from every return type (compared with gdb).
TYPED=1 start_vs steps next step next finish step next next next step finish next step finish next \
    step finish next step finish next step bt finish next

# Backward: reverse-step enters callees at their last line, reverse-next
# steps back over them, reverse-finish goes back to the call (a). reverse-next
# over a call stops at a breakpoint inside it, as gdb does (b).
# reverse-finish from each return type (c). From the middle of a line after a
# call returned, reverse-step enters it; reverse-finish stops at a breakpoint
# on the way; from a function's first line reverse-step goes to the start of
# the calling line, and from there into the call that ends the line before
# (d).
TYPED=1 start rsteps 'break ret_int' c reverse-finish reverse-step reverse-next reverse-next \
    reverse-next reverse-step reverse-next reverse-next reverse-next reverse-next reverse-next \
    delete "break $(L int_last)" "break $(L call_long)" c c reverse-next reverse-next reverse-next \
    delete 'break consec' c 'break ret_void' 'break ret_char' 'break ret_short' 'break ret_int' \
    'break ret_long' 'break ret_llong' rc reverse-finish rc reverse-finish rc reverse-finish \
    rc reverse-finish rc reverse-finish rc reverse-finish \
    delete 'break ret_char' c finish reverse-step reverse-step reverse-finish reverse-step \
    reverse-step reverse-step reverse-step rs rs

# Breakpoints hit forward, backward, forward again.
start bps 'break ret_char' 'break ret_int' 'break fact' c c c c c c c rc rc rc rc rc rc rc \
    c c c c c c c

# Register, auto, static and global variables at the loop's last line (before
# g is written), forward (compared with gdb), backward, forward again.
P='printf "i=%d au=%d rg=%d st=%d g=%d rbx_is_rg=%d\n", i, au, rg, st, g, $rbx == rg'
start_vs vars "break $(L loop_g)" c "$P" 'info locals' c "$P" c "$P" c "$P" -- \
    rc "$P" rc "$P" rc "$P" c "$P" c "$P" c "$P"

# Recursion: the frames, finish (compared with gdb); reverse-finish stops at
# the breakpoint in the deeper activation; reverse-finish from a selected
# outer frame.
TYPED=1 start_vs recursion "break $(L fact_base)" c bt 'up 2' 'p n' 'down 2' 'p n' finish finish -- \
    reverse-finish 'p n' reverse-finish 'p n' up reverse-finish 'p n' reverse-next 'p n'

# until/advance forward (compared with gdb): until at the loop's back jump
# does not go round again (gdb's range: the function's start to the end of
# the line); advance stops in a callee; both stop when the function returns.
# Then backward (exec-direction reverse), leaving a function backward, and
# forward into a callee again.
start_vs until "break $(L call_short)" c "until $(L call_long)" "advance $(L llong_first)" \
    "until $(L call_fact)" "advance $(L loop_first)" next next next next next next next \
    until until until -- \
    delete "break $(L print)" c c 'set exec-direction reverse' "until $(L call_fact)" 'p sum' \
    "advance $(L call_char)" 'p sum' 'set exec-direction forward' "advance $(L call_int)" 'p sum' \
    "break $(L loop_g)" c 'set exec-direction reverse' "advance $(L call_void)" \
    'set exec-direction forward' delete "advance $(L loop_ret)"

# Watchpoints, hardware then software: forward (compared with gdb), backward
# right after a forward watchpoint stop, then backward from a breakpoint stop
# to the start and forward again.
start_vs hwatch 'watch g' c c c c c c -- \
    rc delete "break $(L call_consec)" c 'watch g' rc rc rc rc rc rc rc c
start_vs swatch 'set can-use-hw-watchpoints 0' 'watch g' c c c c -- \
    rc delete "break $(L call_consec)" c 'watch g' rc rc c c

# A signal: gdb stops before delivering SIGUSR1, then at a breakpoint in its
# handler (compared with gdb); backward through the handler and the
# delivery; a watchpoint on what the handler writes, both ways.
start_vs signal 'break on_usr1' c c 'p sig_seen' bt c -- \
    "break $(L after_raise)" "break $(L raise)" rc 'p sig_seen' rc 'p sig_seen' bt rc \
    'p sig_seen' rc delete "break $(L print)" c c 'watch sig_seen' rc bt rc c c c
# Stepping enters the handler and comes back (compared with gdb); then the
# ends of the recording.
start_vs sigstep "break $(L raise)" c next next next next next next next -- delete c c rc
# `handle`: a signal that neither stops nor prints, one printed on the way,
# a breakpoint in the handler of one that does not stop, the table's rows
# (all compared with gdb), and what a replay cannot do.
start_vs sigquiet 'handle SIGUSR1 nostop noprint' 'info signals SIGUSR1' c
start_vs sigprint 'handle SIGUSR1 nostop' 'info handle SIGUSR1' c
start_vs sigbreak 'handle SIGUSR1 SIGUSR2 nostop' 'break on_usr1' c 'bt 2' 'next' \
    'handle SIGUSR2 noprint' 'handle all nostop' 'info signals SIGALRM' 'info signals SIGINT' \
    'info signals 10' 'handle SIGFOO stop' 'handle SIGUSR1 bogus' 'info signals SIGUSR2' -- \
    'handle SIGUSR1 nopass' 'info signals SIGUSR1' 'handle SIGUSR1 stop' rc rc c c

# `list`'s forms (compared with gdb): ranges, open ends, backward, the ends
# of the file.
start_vs lists 'list 20,25' list 'list -' 'list -' 'list ret_int' 'list -' 'list 30,' 'list ,40' \
    'list scen.c:60,62' 'list ret_void,ret_char' 'list 1,5' 'list -' 'list ,' 'list 100' list list \
    'set listsize 4' 'list 30' list 'list -' 'show listsize' 'set listsize 10' 'show listsize'

# disassemble (a function, a range, /r) and breakpoints by line offset
# (compared with gdb).
start_vs disas 'disassemble ret_int' 'disassemble /r ret_char' 'disassemble main,+12' \
    'break +1' 'tbreak -1' 'break ret_void' c 'disassemble' 'break +2' pwd

# A conditional watchpoint (old values follow the writes passed over) and
# displays of instructions (compared with gdb).
start_vs wcond 'watch g if g > 200' c c 'info watchpoints' 'display/i $pc' 'display/2i $pc' \
    'display g' stepi 'info display'

# Breakpoints on two consecutive instructions (consec's first two): hit
# backward in reverse order, then forward.
start consec 'break consec' c stepi 'break *$pc' "break $(L signal)" "break $(L call_consec)" \
    c rc rc rc c c

# ---- step, next and finish forward ------------------------------------------
check_vs steps
expect "finish from void: no value" "$R" \
    "^Run till exit from #0  ret_void \\(x=5\\) at .*scen.c:$(L void_last)"$'\nmain \\(\\) at .*scen.c:'"$(L call_char)"$'\n'"$(L call_char)"$'\t.*\nret_char \\(\\) at '
expect "finish short" "$R" '^Value returned is \$[0-9]+ = -1234$'
expect "finish int" "$R" '^Value returned is \$[0-9]+ = 123456$'
expect "finish long" "$R" '^Value returned is \$[0-9]+ = 1234567890123$'
expect "finish long long" "$R" '^Value returned is \$[0-9]+ = -9876543210$'
expect "finish from a recursion" "$R" '^Value returned is \$[0-9]+ = 120$'
expect_stops "forward steps" "$R" \
    "Bmain:$(L main_first) $(L call_void) ret_void:$(L void_first) $(L void_last) \
main:$(L call_char) ret_char:$(L char_first) $(L char_last) $(L char_end) main:$(L call_short) \
ret_short:$(L short_first) *main:$(L call_short) $(L call_int) ret_int:$(L int_first) \
*main:$(L call_int) $(L call_long) ret_long:$(L long_first) main:$(L call_long) $(L call_llong) \
ret_llong:$(L llong_first) main:$(L call_llong) $(L call_fact) fact:$(L fact_test) \
*main:$(L call_fact) $(L call_loop)"

# ---- backward: reverse-step, reverse-next, reverse-finish --------------------
get rsteps
out=$OUT
words=$(stops "$out")
same "reverse-step/next over and into calls" "$(cut -d' ' -f1-12 <<<"$words")" \
    "Bret_int:$(L int_first) main:$(L call_int) ret_short:$(L short_end) $(L short_last) \
$(L short_first) main:$(L call_short) ret_char:$(L char_end) $(L char_last) $(L char_first) \
main:$(L call_char) $(L call_void) $(L main_first)"
same "reverse-next stops at a breakpoint inside the call" "$(cut -d' ' -f13-17 <<<"$words")" \
    "Bret_int:$(L int_last) Bmain:$(L call_long) Bret_int:$(L int_last) $(L int_first) \
main:$(L call_int)"
same "reverse-finish from each return type" "$(cut -d' ' -f18-30 <<<"$words")" \
    "Bconsec:$(L consec) Bret_llong:$(L llong_first) main:$(L call_llong) \
Bret_long:$(L long_first) main:$(L call_long) Bret_int:$(L int_first) main:$(L call_int) \
Bret_short:$(L short_first) main:$(L call_short) Bret_char:$(L char_first) main:$(L call_char) \
Bret_void:$(L void_first) *main:$(L call_void)"
same "reverse-step from mid-line, from a first line" "$(cut -d' ' -f31- <<<"$words")" \
    "Bret_char:$(L char_first) *main:$(L call_char) ret_char:$(L char_end) $(L char_last) \
Bret_char:$(L char_first) main:$(L call_char) ret_void:$(L void_end) $(L void_last) \
$(L void_first) main:$(L call_void) $(L main_first)"
expect "reverse-finish: message" "$out" "^Run back to call of #0  ret_int \\(\\) at .*scen.c:$(L int_first)$"
expect "reverse-finish from void: message" "$out" \
    "^Run back to call of #0  ret_void \\(x=5\\) at .*scen.c:$(L void_first)$"
expect "reverse-finish from long long: message" "$out" \
    "^Run back to call of #0  ret_llong \\(\\) at .*scen.c:$(L llong_first)$"
expect "finish char" "$out" "^Value returned is \\\$[0-9]+ = 81 'Q'$"

# ---- breakpoints forward, backward, forward again --------------------------
get bps
mapfile -t H < <(grep -E '^(Breakpoint [0-9]+, |No more reverse)' <<<"$OUT")
fwd=$(printf '%s\n' "${H[@]:0:7}")
back=$(printf '%s\n' "${H[@]:7:7}")
again=$(printf '%s\n' "${H[@]:14:7}")
want_back=$(printf '%s\n' "${H[@]:0:6}" | tac; echo "No more reverse-execution history.")
same "breakpoints: stops" "${#H[@]}" 21
expect "breakpoints: forward order" "$fwd" $'^Breakpoint 1, ret_char \\(\\).*\nBreakpoint 2, ret_int \\(\\).*\nBreakpoint 3, fact \\(n=5\\)(.*\n){4}Breakpoint 3, fact \\(n=1\\)'
if [ "$back" = "$want_back" ]; then
    pass "breakpoints: backward, the same hits in reverse"
else
    fail "breakpoints: backward hits differ"
    diff <(echo "$want_back") <(echo "$back") | sed 's/^/  /'
fi
if [ "$again" = "$fwd" ]; then
    pass "breakpoints: forward again, the same hits"
else
    fail "breakpoints: forward again differs"
    diff <(echo "$fwd") <(echo "$again") | sed 's/^/  /'
fi

# ---- register, auto, static and global variables, both ways ----------------
check_vs vars
it0="i=0 au=1 rg=22 st=102 g=6 rbx_is_rg=1"
it1="i=1 au=3 rg=67 st=104 g=125 rbx_is_rg=1"
it2="i=2 au=6 rg=202 st=106 g=174 rbx_is_rg=1"
it3="i=3 au=10 rg=607 st=108 g=314 rbx_is_rg=1"
vals=$(grep '^i=' <<<"$R")
want=$(printf '%s\n' "$it0" "$it1" "$it2" "$it3" "$it2" "$it1" "$it0" "$it1" "$it2" "$it3")
if [ "$vals" = "$want" ]; then
    pass "variables forward, backward, forward again"
else
    fail "variables forward, backward, forward again (-expected +got)"
    diff <(echo "$want") <(echo "$vals") | sed 's/^/  /'
fi
expect "register variable in info locals" "$R" '^rg = 22$'

# ---- recursion ------------------------------------------------------------
check_vs recursion
expect "recursion: 5 levels" "$R" '^#5  0x[0-9a-f]+ in main \(\) at .*scen.c:'"$(L call_fact)"'$'
expect_stops "recursion both ways" "$R" \
    "Bmain:$(L main_first) Bfact:$(L fact_base) fact:$(L fact_rec) fact:$(L fact_rec) \
Bfact:$(L fact_base) *fact:$(L fact_rec) *fact:$(L fact_rec) $(L fact_rec)"
same "recursion: n" "$(values "$R")" "3 1 1 2 4 4"
expect "reverse-finish from an outer frame" "$R" \
    "^Run back to call of #1  0x[0-9a-f]+ in fact \\(n=3\\) at .*scen.c:$(L fact_rec)$"

# ---- until and advance, both ways --------------------------------------------
check_vs until
expect_stops "until/advance forward, backward, forward" "$R" \
    "Bmain:$(L main_first) Bmain:$(L call_short) main:$(L call_long) ret_llong:$(L llong_first) \
main:$(L call_llong) loop:$(L loop_first) $(L loop_init) $(L loop_for) $(L loop_au) $(L loop_rg) \
$(L loop_st) $(L loop_g) $(L loop_for) $(L loop_ret) $(L loop_end) main:$(L call_consec) \
libc Bmain:$(L print) main:$(L call_fact) main:$(L call_char) \
main:$(L call_int) Bloop:$(L loop_g) *main:$(L call_loop) loop:$(L loop_ret)"
same "until/advance backward: sum" "$(values "$R")" "1224691469216 0 -1153"

# ---- watchpoints ---------------------------------------------------------------
# (Backward, gdb shows the address of the stops in loop: dwarf/ takes the row
# of line 79 at the write for a line's start, a row gdb drops for its
# discriminator.)
check_vs hwatch
same "hardware watchpoint forward, backward, forward: Old/New" "$(watched "$R")" \
    "0 5 5 6 6 125 125 174 174 314 314 725 725 314 \
725 314 314 174 174 125 125 6 6 5 5 0 0 5"
expect_stops "hardware watchpoint: stops" "$R" \
    "Bmain:$(L main_first) ret_void:$(L void_last) ret_void:$(L void_end) loop:$(L loop_for) \
loop:$(L loop_for) loop:$(L loop_for) loop:$(L loop_for) *loop:$(L loop_g) \
Bmain:$(L call_consec) *loop:$(L loop_g) *loop:$(L loop_g) *loop:$(L loop_g) *loop:$(L loop_g) \
*ret_void:$(L void_last) *ret_void:$(L void_first) START ret_void:$(L void_last)"

check_vs swatch
expect "software watchpoint kind" "$R" '^Watchpoint 2: g$'
same "software watchpoint forward, backward, forward: Old/New" "$(watched "$R")" \
    "0 5 5 6 6 125 125 174 174 125 725 314 314 174 174 314 314 725"
expect_stops "software watchpoint: stops" "$R" \
    "Bmain:$(L main_first) ret_void:$(L void_last) ret_void:$(L void_end) loop:$(L loop_for) \
loop:$(L loop_for) *loop:$(L loop_g) Bmain:$(L call_consec) *loop:$(L loop_g) *loop:$(L loop_g) \
loop:$(L loop_for) loop:$(L loop_for)"

# ---- a signal and its handler ------------------------------------------------
DROP='nptl/|sysdeps/|pthread_kill|__GI_raise' RENUMBER=1
check_vs signal
expect "signal stop" "$R" '^Program received signal SIGUSR1, User defined signal 1\.$'
expect "handler frame" "$R" '^#1  <signal handler called>$'
expect "handler caller" "$R" "^#[0-9]  0x[0-9a-f]+ in main \\(\\) at .*scen.c:$(L raise)$"
expect_stops "signal: back through the handler and the delivery; watch" "$R" \
    "Bmain:$(L main_first) libc Bon_usr1:$(L handler) END \
Bmain:$(L after_raise) Bon_usr1:$(L handler) Bmain:$(L raise) Bmain:$(L main_first) \
libc Bmain:$(L print) on_usr1:$(L handler) START \
libc on_usr1:$(L handler_end) Bmain:$(L print)"
same "signal: sig_seen in the handler, after, back in the handler, before" "$(values "$R")" \
    "0 110 0 0"
same "signal: watch backward into the handler, forward again" "$(watched "$R")" "110 0 0 110"
check_vs sigstep
DROP= RENUMBER=
if grep -q '^__pthread_kill_implementation (.*) at ' <<<"$R"; then
    expect_stops "stepping through the handler; the ends" "$R" \
        "Bmain:$(L main_first) Bmain:$(L raise) libc \
on_usr1:$(L handler_entry) $(L handler) $(L handler_end) libc libc \
main:$(L after_raise) END START"
else
    # Without line information libc's frames step differently.
    echo "SKIP: stepping through the handler: libc has no debug information (libc6-dbg)"
fi
expect "end of the recording" "$R" '^\[Inferior 1 \(process [0-9]+\) exited normally\]$'
expect "continue at the end" "$R" \
    $'^End of the recording: use reverse commands to go back\\.\nThe program is not being run\\.$'

check_vs sigquiet
expect_stops "handle nostop noprint: on to the end" "$R" "Bmain:$(L main_first) END"
if grep -q 'Program received' <<<"$R"; then fail "handle noprint: printed"; else pass "handle noprint: not printed"; fi
check_vs sigprint
expect "handle nostop: printed on the way, then the program's output and its end" "$R" \
    $'^Program received signal SIGUSR1, User defined signal 1\\.\nsum -?[0-9]+ g 725\n\\[Inferior 1 \\(process [0-9]+\\) exited normally\\]$'
check_vs sigbreak
expect "handle nopass: refused" "$R" \
    '^A replay cannot keep a signal from the program: it was delivered when the program was recorded\.$'
expect "handle nopass: unchanged" "$R" $'^SIGUSR1 +No\tYes\tYes\t\tUser defined signal 1$'
# Backward from the handler to main (the delivery stops nothing in
# reverse); forward again after `handle SIGUSR1 stop`: the delivery stops.
expect_stops "handle: stops" "$R" \
    "Bmain:$(L main_first) Bon_usr1:$(L handler) $(L handler_end) Bon_usr1:$(L handler) \
Bmain:$(L main_first) libc Bon_usr1:$(L handler)"
expect "handle stop: the delivery stops again" "$R" \
    $'^Program received signal SIGUSR1, User defined signal 1\\.\n.* (at|from) .*$'

check_vs lists
check_vs disas
expect "break +1: the next line" "$R" "^Breakpoint 2 at 0x[0-9a-f]+: file .*scen\.c, line $(($(L main_first) + 1))\.\$"
check_vs wcond

# ---- two breakpoints on consecutive instructions ---------------------------
get consec
words=$(stops "$OUT")
same "consecutive breakpoints backward" "$(cut -d' ' -f1-5 <<<"$words")" \
    "Bconsec:$(L consec) Bmain:$(L signal) B*consec:$(L consec) Bconsec:$(L consec) \
Bmain:$(L call_consec)"
same "consecutive breakpoints forward" "$(cut -d' ' -f6- <<<"$words")" \
    "Bconsec:$(L consec) B*consec:$(L consec)"

# ---- breakpoint commands and dprintf, from a script (compared with gdb) -----
cat >"$TMP/cmds.gdb" <<'EOF_CMDS'
break ret_int
commands
silent
print $pc != 0
bt 1
continue
end
dprintf fact,"fact %d\n",n
break loop
commands 4
print n
end
info breakpoints
continue
continue
EOF_CMDS
timeout "$RR_TIMEOUT" "$RRTUI" replay -batch -ex 'break main' -ex c -x "$TMP/cmds.gdb" "$T" \
    >"$TMP/cmds.out" 2>&1 </dev/null
R=$(cat "$TMP/cmds.out")
expect "commands: the silent stop runs its list" "$R" $'^\\$[0-9]+ = 1\n#0  ret_int \\(\\) at '
same "dprintf: printed at each call, never stopped" "$(grep -c '^fact [0-9]$' <<<"$R")" 5
expect "commands: a reported stop, then its list" "$R" \
    $'^Breakpoint 4, loop \\(n=4\\) at .*\n[0-9]+\t.*\n\\$[0-9]+ = 4$'
if [ -n "$HAVE_GDB" ]; then
    timeout "$RR_TIMEOUT" gdb -nx -batch -ex 'break main' -ex run -x "$TMP/cmds.gdb" "$PROG" \
        >"$TMP/cmds.gdb.out" 2>&1 </dev/null
    # Addresses before the run differ (gdb's are unrelocated): compare from
    # the table on.
    norm <"$TMP/cmds.gdb.out" | sed -n '/^Num /,$p' >"$TMP/cmds.gdb.norm"
    norm <<<"$R" | sed -n '/^Num /,$p' >"$TMP/cmds.norm"
    if diff -u "$TMP/cmds.gdb.norm" "$TMP/cmds.norm" >"$TMP/cmds.diff"; then
        check_ok "commands and dprintf: same as gdb ($(wc -l <"$TMP/cmds.norm") lines)"
    else
        check_bad "commands and dprintf: differ from gdb (-gdb +rrtui)"
        head -n 40 "$TMP/cmds.diff" | sed 's/^/  /'
    fi
fi
wait
finish
