# tests/e2e/tui_lib.sh — helpers for the TUI tests (sourced): run a TUI in a
# private tmux server, send keys, and wait for texts on the screen.
#
# What runs is $TUI_PROG (default: the fake-session TUI tests/tui_fake, which
# needs no tracee) with $TUI_ARGS; what to expect on the screen comes from
# the file $TUI_EXPECT (default tests/fixtures/tui/expect_fake.sh): line
# numbers, names, texts, and drive_to_callee (the moves tui_resize.sh
# makes).
#
# Sourced with the argument `real` (`. tui_lib.sh real`), or with
# TUI_REAL=1 in the environment (so that a fake-session script can be run
# on the real program unchanged, as tui_real_resize.sh does), the test
# drives the real rrtui ($RRTUI, set by make check) on a recording of
# samples/clock made here (tui_record), and the expected texts come from
# tests/fixtures/tui/expect_clock.sh.
#
# Synchronisation is by polling capture-pane for an expected text until a
# deadline (TUI_WAIT seconds, default 20), never by sleeping a fixed time.
# Checks count failures; `finish` exits 1 when one failed. Exit 77 (skip)
# when tmux or the program is missing.

set -u

TUI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$TUI_DIR/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
if [ "${1:-}" = real ] || [ -n "${TUI_REAL:-}" ]; then
    TUI_REAL=1
    TUI_PROG=${RRTUI:-$top_builddir/rrtui}
    TUI_ARGS=
    TUI_EXPECT=$top_srcdir/tests/fixtures/tui/expect_clock.sh
else
    TUI_REAL=
fi
: "${TUI_PROG:=$top_builddir/tests/tui_fake}"
: "${TUI_ARGS:=}"
: "${TUI_EXPECT:=$top_srcdir/tests/fixtures/tui/expect_fake.sh}"
: "${TUI_WAIT:=20}"
export top_srcdir top_builddir

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
[ -x "$TUI_PROG" ] || { echo "SKIP: $TUI_PROG not built"; exit 77; }
# shellcheck source=/dev/null
. "$TUI_EXPECT"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrtui-tui.XXXXXX") || exit 99
export XDG_CONFIG_HOME=$TMP/config
# One tmux server per session (its own socket): independent sizes, and a
# crash of one cannot take the others along.
tm() { local name=$1; shift; tmux -S "$TMP/$name.sock" -f /dev/null "$@"; }
cleanup() {
    local s
    for s in "$TMP"/*.sock; do
        [ -S "$s" ] && tmux -S "$s" kill-server >/dev/null 2>&1
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

export RRTUI_TRACE_DIR=$TMP/traces

failures=0
checks=0
# Each check says when it passed (seconds since the start): where a slow
# test spends its time.
T0_MS=$(date +%s%3N)
since() { local d=$(( $(date +%s%3N) - T0_MS )); printf '%d.%02d s' $((d / 1000)) $((d % 1000 / 10)); }
fail() { echo "FAIL: $* [$(since)]"; failures=$((failures + 1)); checks=$((checks + 1)); }
pass() { echo "ok: $* [$(since)]"; checks=$((checks + 1)); }
finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ] && exit 0
    exit 1
}

# tui_record PROG ARGS...: records PROG with the real rrtui (stdin from
# /dev/null) and makes TUI_ARGS replay that recording. Skips the test when
# PROG is not built, fails it when no trace was saved (the program's own
# exit status does not matter: the crash sample dies of SIGSEGV).
tui_record() {
    [ -x "$1" ] || { echo "SKIP: $1 not built"; exit 77; }
    mkdir -p "$RRTUI_TRACE_DIR"
    timeout -k 5 60 "$TUI_PROG" record "$@" </dev/null >"$TMP/record.out" 2>"$TMP/record.err"
    if ! grep -q "^rrtui: trace saved in " "$TMP/record.err"; then
        echo "FAIL: recording $* failed"
        sed 's/^/  | /' "$TMP/record.err"
        exit 1
    fi
    TUI_ARGS="replay $(sed -n 's/^rrtui: trace saved in //p' "$TMP/record.err" | tail -n 1)"
}

# TUI_CLOCK_ARGS: the clock's period and line count (default: twelve lines
# at once; a test that needs time() to move between two lines asks for a
# period of 1 s).
[ -n "$TUI_REAL" ] && tui_record "$top_builddir/samples/clock" ${TUI_CLOCK_ARGS:-0 12}

# tui_start NAME COLS ROWS [ENV=VALUE...]: runs the TUI in session NAME.
# After the TUI ends the pane prints "TUI-EXITED rc=N" and the terminal
# modes (stty -a), so a test can check that the terminal was restored.
tui_start() {
    local name=$1 w=$2 h=$3
    shift 3
    local envs="$* XDG_CONFIG_HOME=$XDG_CONFIG_HOME top_srcdir=$top_srcdir"
    tm "$name" new-session -d -s "$name" -x "$w" -y "$h" \
        "env $envs $TUI_PROG $TUI_ARGS; echo TUI-EXITED rc=\$?; stty -a; sleep 3600" \; \
        set-option -g window-size manual \; set-option -g status off
}

keys() { local name=$1; shift; tm "$name" send-keys -t "$name" "$@"; }
screen() { tm "$1" capture-pane -p -t "$1"; }
screen_e() { tm "$1" capture-pane -p -e -t "$1"; }
# resize NAME COLS ROWS
resize() { tm "$1" resize-window -t "$1" -x "$2" -y "$3"; }

now_ms() { date +%s%3N; }

# wait_for NAME REGEX [SECONDS]: until a screen line matches (grep -E).
wait_for() {
    local name=$1 re=$2 limit=$(( $(now_ms) + ${3:-$TUI_WAIT} * 1000 ))
    while [ "$(now_ms)" -lt "$limit" ]; do
        screen "$name" | grep -Eq -- "$re" && return 0
        sleep 0.02
    done
    return 1
}

# wait_gone NAME REGEX [SECONDS]: until no screen line matches.
wait_gone() {
    local name=$1 re=$2 limit=$(( $(now_ms) + ${3:-$TUI_WAIT} * 1000 ))
    while [ "$(now_ms)" -lt "$limit" ]; do
        screen "$name" | grep -Eq -- "$re" || return 0
        sleep 0.02
    done
    return 1
}

show_screen() {
    echo "  --- screen of $1:"
    screen "$1" | sed 's/^/  | /'
}

# expect NAME WHAT REGEX: a check that waits for the text; returns 1 when
# it failed, so that `expect ... || finish` stops a test whose next steps
# cannot work.
expect() {
    if wait_for "$1" "$3"; then
        pass "$2"
    else
        fail "$2 (no line matching /$3/)"
        show_screen "$1"
        return 1
    fi
}

expect_gone() {
    if wait_gone "$1" "$3"; then
        pass "$2"
    else
        fail "$2 (a line still matches /$3/)"
        show_screen "$1"
    fi
}

# The source pane's gutter: column 0 breakpoint, 1 executed, 2 the '>'
# marker of the current line, then the line number.
marker_at() { echo "^..> *$1 "; }
bp_at() { echo "^B.. *$1 "; }

# expect_marker NAME WHAT LINE: the current-line marker is on LINE.
expect_marker() { expect "$1" "$2: marker at line $3" "$(marker_at "$3")"; }

# highlighted NAME NAME_TEXT VALUE_RE: NAME_TEXT = VALUE is drawn with a
# bold SGR sequence right before the value (colour or monochrome).
highlighted() {
    local sgr='\e\[[0-9;]*m' bold='\e\[(?:[0-9;]*;)?1(?:;[0-9;]*)?m'
    screen_e "$1" | grep -aqP -- "$2 = (?:$sgr)*$bold(?:$sgr)*$3"
}

# expect_highlight NAME WHAT NAME_TEXT VALUE_RE [no]: a check, polled like
# expect (the screen may not be drawn yet); "no": must not be highlighted.
expect_highlight() {
    local limit=$(( $(now_ms) + TUI_WAIT * 1000 )) want=${5:-yes}
    while [ "$(now_ms)" -lt "$limit" ]; do
        if highlighted "$1" "$3" "$4"; then
            [ "$want" = yes ] && { pass "$2"; return; }
        elif screen "$1" | grep -Eq -- "$3 = $4"; then
            [ "$want" = no ] && { pass "$2"; return; }
        fi
        sleep 0.02
    done
    fail "$2"
    screen_e "$1" | grep -a -- "$3 = " | cat -v | sed 's/^/  | /'
}

# Mouse events as a terminal sends them (X10 encoding, which ncurses asks
# for with the tmux terminfo's kmous): ESC [ M, 32+button, 32+column+1,
# 32+row+1; tmux passes the bytes to the program as typed keys.
mouse() {
    local name=$1 b=$2 x=$3 y=$4
    tm "$name" send-keys -t "$name" -H 1b 5b 4d \
        "$(printf %x $((32 + b)))" "$(printf %x $((33 + x)))" "$(printf %x $((33 + y)))"
}
# click NAME COL ROW (0-based), wheel NAME COL ROW up|down
click() { mouse "$1" 0 "$2" "$3"; }
wheel() { mouse "$1" "$([ "$4" = up ] && echo 64 || echo 65)" "$2" "$3"; }

# row_of NAME REGEX: the 0-based screen row of the first line matching
row_of() { screen "$1" | grep -nE -m1 -- "$2" | cut -d: -f1 | awk '{print $1 - 1}'; }

# status_pos NAME: "event N/M | POSITION" from the status line
status_pos() { screen "$1" | grep -oE "event [0-9]+/[0-9]+ \| [^ ]+" | head -n 1; }
# wait_status_change NAME OLD / wait_status_is NAME POS: poll status_pos
wait_status_change() {
    local limit=$(( $(now_ms) + TUI_WAIT * 1000 ))
    while [ "$(now_ms)" -lt "$limit" ]; do
        [ "$(status_pos "$1")" != "$2" ] && return 0
        sleep 0.02
    done
    return 1
}
wait_status_is() {
    local limit=$(( $(now_ms) + TUI_WAIT * 1000 ))
    while [ "$(now_ms)" -lt "$limit" ]; do
        [ "$(status_pos "$1")" = "$2" ] && return 0
        sleep 0.02
    done
    return 1
}
# focused NAME: the focused pane's name, from the status line's "[Name] ? help"
focused() { screen "$1" | grep -oE "\[[A-Za-z]+\] \? help" | head -n 1 | sed -E 's/\[([A-Za-z]+)\].*/\1/'; }

