#!/bin/bash
# tui_real_resize.sh — tui_resize.sh on the real rrtui replaying a
# recording of samples/clock: resizing the tmux window redraws every pane
# with nothing of the old screen left (compared with fresh TUIs of each
# size after the same keys).
TUI_REAL=1 exec bash "$(dirname "$0")/tui_resize.sh"
