#!/bin/bash
# tui_bench.sh — TUI latency: keypress-to-redraw for step / reverse-step
# and the time of a full-screen redraw at 200x60.
#
#   bench/tui_bench.sh [BUILDDIR] [ROUNDS] [fake|real|both]
#
# fake: the TUI over the fake session (tests/tui_fake), so the figures are
# the TUI's own cost; real: rrtui replaying a recording of samples/clock
# (`clock 0 12`), stepping into print_line and back, so the figures include
# the engine's step and reverse-step. Both run in a 200x60 tmux window and
# report medians of:
#  - outside: from `tmux send-keys` to the moment capture-pane shows the
#    moved '>' marker (includes tmux's own work and the polling interval);
#  - inside: from the key read to the end of doupdate, logged by the TUI
#    itself when $RRTUI_TUI_TIMING names a file ("key CODE MICROSECONDS"),
#    ("key CODE US draw US": the last figure is the drawing), and split
#    into the command (dbg_execute: the engine) and the panes' queries
#    after it (the "cmd US refresh US LINE" lines of the same log);
#  - a full redraw (Ctrl-L: every pane drawn, the whole screen repainted).
set -u
B=${1:-$(cd "$(dirname "$0")/.." && pwd)}
N=${2:-30}
MODE=${3:-both}
SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v tmux >/dev/null || { echo "tmux not installed"; exit 77; }
TMP=$(mktemp -d)
SOCK=$TMP/tmux.sock
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT

now_ns() { date +%s%N; }
wait_re() {
    local limit=$(( $(date +%s) + 20 ))
    until tm capture-pane -p -t b | grep -Eq -- "$1"; do
        [ "$(date +%s)" -gt "$limit" ] && { echo "timeout waiting for /$1/"; tm capture-pane -p -t b; exit 1; }
    done
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); else print "n/a"}'; }

# run LABEL CMD LINE_A LINE_B SETUP...: starts CMD in a 200x60 window,
# sends the SETUP keys (which must stop at LINE_A, a breakpoint), then
# alternates s (to LINE_B) and S (back to LINE_A) N times.
run() {
    local label=$1 cmd=$2 a=$3 b=$4
    shift 4
    : >"$TMP/timing"
    tm new-session -d -s b -x 200 -y 60 \
        "env XDG_CONFIG_HOME=$TMP/cfg RRTUI_TUI_TIMING=$TMP/timing top_srcdir=$SRC $cmd; sleep 3600" \; \
        set-option -g window-size manual \; set-option -g status off
    wait_re 'Source: '
    tm send-keys -t b "$@"
    wait_re "^B.> *$a "
    : >"$TMP/timing"
    local out_s=() out_S=() t0 t1
    for _ in $(seq "$N"); do
        t0=$(now_ns); tm send-keys -t b s; wait_re "^..> *$b "; t1=$(now_ns)
        out_s+=($(( (t1 - t0) / 1000 )))
        t0=$(now_ns); tm send-keys -t b S; wait_re "^B.> *$a "; t1=$(now_ns)
        out_S+=($(( (t1 - t0) / 1000 )))
    done
    local in_s in_S full limit
    in_s=$(awk '$1 == "key" && $2 == 115 {print $3}' "$TMP/timing" | median)
    in_S=$(awk '$1 == "key" && $2 == 83 {print $3}' "$TMP/timing" | median)
    local cmd_s cmd_S ref_s ref_S draw_s draw_S
    draw_s=$(awk '$1 == "key" && $2 == 115 {print $5}' "$TMP/timing" | median)
    draw_S=$(awk '$1 == "key" && $2 == 83 {print $5}' "$TMP/timing" | median)
    cmd_s=$(awk '$1 == "cmd" && $5 == "step" {print $2}' "$TMP/timing" | median)
    cmd_S=$(awk '$1 == "cmd" && $5 == "reverse-step" {print $2}' "$TMP/timing" | median)
    ref_s=$(awk '$1 == "cmd" && $5 == "step" {print $4}' "$TMP/timing" | median)
    ref_S=$(awk '$1 == "cmd" && $5 == "reverse-step" {print $4}' "$TMP/timing" | median)
    for _ in $(seq "$N"); do tm send-keys -t b C-l; done
    # wait until all Ctrl-L are logged (the log is the TUI's own)
    limit=$(( $(date +%s) + 20 ))
    until [ "$(awk '$1 == "key" && $2 == 12' "$TMP/timing" | wc -l)" -ge "$N" ] || [ "$(date +%s)" -gt "$limit" ]; do :; done
    full=$(awk '$1 == "key" && $2 == 12 {print $3}' "$TMP/timing" | median)
    echo "$label, 200x60, $N rounds (medians)"
    echo "  step          key->screen (tmux capture): $(printf '%s\n' "${out_s[@]}" | median) us; inside the TUI: $in_s us (command $cmd_s, pane queries $ref_s, drawing $draw_s)"
    echo "  reverse-step  key->screen (tmux capture): $(printf '%s\n' "${out_S[@]}" | median) us; inside the TUI: $in_S us (command $cmd_S, pane queries $ref_S, drawing $draw_S)"
    echo "  full redraw (Ctrl-L) 200x60 inside the TUI: $full us"
    tm kill-server >/dev/null 2>&1
}

if [ "$MODE" = fake ] || [ "$MODE" = both ]; then
    if [ -x "$B/tests/tui_fake" ]; then
        # count.c: line 18 (the breakpoint) -> square's line 9
        run "TUI over the fake session" "$B/tests/tui_fake" 18 9 j j j Space c
    else
        echo "$B/tests/tui_fake not built (make tests/tui_fake): fake skipped"
    fi
fi
if [ "$MODE" = real ] || [ "$MODE" = both ]; then
    if [ -x "$B/rrtui" ] && [ -x "$B/samples/clock" ]; then
        export RRTUI_TRACE_DIR=$TMP/traces
        "$B/rrtui" record "$B/samples/clock" 0 12 </dev/null >/dev/null 2>&1 || { echo "recording clock failed"; exit 1; }
        trace=$(readlink -f "$RRTUI_TRACE_DIR/latest-trace")
        c=$SRC/samples/clock.c
        call=$(grep -nxF -m1 '            print_line();' "$c" | cut -d: -f1)
        first=$(grep -nF -m1 'time_t t = time(NULL);' "$c" | cut -d: -f1)
        # the breakpoint on the call in main, set with keys; s enters
        # print_line, S goes back to the call
        run "rrtui replay of samples/clock" "$B/rrtui replay $trace" "$call" "$first" \
            / 'print_line()' Enter Space c
    else
        echo "$B/rrtui or $B/samples/clock not built: real skipped"
    fi
fi
