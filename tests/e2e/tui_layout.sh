#!/bin/bash
# tui_layout.sh — the layout keys and their memory: Ctrl-W o hides the
# output pane, Ctrl-W z zooms the focused pane and unzooms it, the layout
# is saved per user ($XDG_CONFIG_HOME/rrtui/layout) and a new TUI opens
# with it, Ctrl-W = resets it. Over the fake session by default (the
# layout is the TUI's alone); TUI_REAL=1 runs it on the real rrtui.
. "$(dirname "$0")/tui_lib.sh"

tui_start one 100 30
expect one "open" "Source: $SRC_NAME" || finish
expect one "the output pane is shown" "Output \\(as of"
keys one C-w o
expect_gone one "Ctrl-W o hides the output pane" "Output \\(as of"
keys one C-w z
expect_gone one "Ctrl-W z zooms the source pane (no locals pane)" "Locals"
expect one "the zoomed source pane stays" "\\[Source: $SRC_NAME"
keys one C-w z
expect one "Ctrl-W z again unzooms" "Locals"
keys one q y
expect one "quits" "TUI-EXITED rc=0"
if grep -q "^pane output hidden" "$XDG_CONFIG_HOME/rrtui/layout" 2>/dev/null; then
    pass "the layout file says the output pane is hidden"
else
    fail "the layout file does not remember the hidden output pane"
    sed 's/^/  | /' "$XDG_CONFIG_HOME/rrtui/layout" 2>/dev/null
fi

tui_start two 100 30
expect two "a new TUI opens" "Source: $SRC_NAME" || finish
expect two "the locals pane is there" "Locals"
expect_gone two "with the remembered layout (no output pane)" "Output \\(as of"
keys two C-w =
expect two "Ctrl-W = resets the layout" "Output \\(as of"
keys two q y
expect two "quits" "TUI-EXITED rc=0"
finish
