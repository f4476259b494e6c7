#!/bin/bash
# tui_bench.sh — TUI latency: keypress-to-redraw for step / reverse-step
# and the time of a full-screen redraw at 200x60.
#
#   bench/tui_bench.sh [BUILDDIR] [ROUNDS]
#
# Runs the TUI over the fake session (tests/tui_fake, so the figures are
# the TUI's own cost, not the engine's) in a 200x60 tmux window and reports
# medians of:
#  - outside: from `tmux send-keys` to the moment capture-pane shows the
#    moved '>' marker (includes tmux's own work and the polling interval);
#  - inside: from the key read to the end of doupdate, logged by the TUI
#    itself when $RRTUI_TUI_TIMING names a file ("key CODE MICROSECONDS");
#  - a full redraw (Ctrl-L: every pane drawn, the whole screen repainted).
set -u
B=${1:-$(cd "$(dirname "$0")/.." && pwd)}
N=${2:-30}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PROG=$B/tests/tui_fake
command -v tmux >/dev/null || { echo "tmux not installed"; exit 77; }
[ -x "$PROG" ] || { echo "$PROG not built (make tests/tui_fake)"; exit 77; }
TMP=$(mktemp -d)
SOCK=$TMP/tmux.sock
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
tm new-session -d -s b -x 200 -y 60 \
    "env XDG_CONFIG_HOME=$TMP/cfg RRTUI_TUI_TIMING=$TMP/timing top_srcdir=$SRC $PROG; sleep 3600" \; \
    set-option -g window-size manual \; set-option -g status off

now_ns() { date +%s%N; }
wait_re() {
    local limit=$(( $(date +%s) + 20 ))
    until tm capture-pane -p -t b | grep -Eq -- "$1"; do
        [ "$(date +%s)" -gt "$limit" ] && { echo "timeout waiting for /$1/"; exit 1; }
    done
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); else print "n/a"}'; }

wait_re '^..> +15 '
# to a place where s and S alternate between two lines: line 18 -> 9
tm send-keys -t b j j j Space c
wait_re '^B.> +18 '
: >"$TMP/timing"
out_s=() out_S=()
for _ in $(seq "$N"); do
    t0=$(now_ns); tm send-keys -t b s; wait_re '^..> +9 '; t1=$(now_ns)
    out_s+=($(( (t1 - t0) / 1000 )))
    t0=$(now_ns); tm send-keys -t b S; wait_re '^B.> +18 '; t1=$(now_ns)
    out_S+=($(( (t1 - t0) / 1000 )))
done
in_s=$(awk '$2 == 115 {print $3}' "$TMP/timing" | median)
in_S=$(awk '$2 == 83 {print $3}' "$TMP/timing" | median)
for _ in $(seq "$N"); do tm send-keys -t b C-l; done
# wait until all Ctrl-L are logged (the log is the TUI's own)
limit=$(( $(date +%s) + 20 ))
until [ "$(awk '$2 == 12' "$TMP/timing" | wc -l)" -ge "$N" ] || [ "$(date +%s)" -gt "$limit" ]; do :; done
full=$(awk '$2 == 12 {print $3}' "$TMP/timing" | median)
echo "TUI over the fake session, 200x60, $N rounds (medians)"
echo "  step          key->screen (tmux capture): $(printf '%s\n' "${out_s[@]}" | median) us; inside the TUI: $in_s us"
echo "  reverse-step  key->screen (tmux capture): $(printf '%s\n' "${out_S[@]}" | median) us; inside the TUI: $in_S us"
echo "  full redraw (Ctrl-L) 200x60 inside the TUI: $full us"
