# tests/e2e/tui_lib.sh — helpers for the TUI tests (sourced): run a TUI in a
# private tmux server, send keys, and wait for texts on the screen.
#
# What runs is $TUI_PROG (default: the fake-session TUI tests/tui_fake, which
# needs no tracee) with $TUI_ARGS; what to expect on the screen comes from
# the file $TUI_EXPECT (default tests/fixtures/tui/expect_fake.sh): line
# numbers, names, texts. To drive the real rrtui, point TUI_PROG at it
# (TUI_ARGS="replay TRACE") and TUI_EXPECT at a file for that program; the
# test scripts themselves do not change.
#
# Synchronisation is by polling capture-pane for an expected text until a
# deadline (TUI_WAIT seconds, default 20), never by sleeping a fixed time.
# Checks count failures; `finish` exits 1 when one failed. Exit 77 (skip)
# when tmux or the program is missing.

set -u

TUI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$TUI_DIR/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
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

failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); checks=$((checks + 1)); }
pass() { echo "ok: $*"; checks=$((checks + 1)); }
finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ] && exit 0
    exit 1
}

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

# expect NAME WHAT REGEX: a check that waits for the text.
expect() {
    if wait_for "$1" "$3"; then
        pass "$2"
    else
        fail "$2 (no line matching /$3/)"
        show_screen "$1"
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
marker_at() { echo "^..> +$1 "; }
bp_at() { echo "^B.. +$1 "; }

# expect_marker NAME WHAT LINE: the current-line marker is on LINE.
expect_marker() { expect "$1" "$2: marker at line $3" "$(marker_at "$3")"; }
