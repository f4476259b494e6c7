# tests/: unit tests (Check) and end-to-end tests; one fragment per area.
include tests/core.mk
include tests/sys.mk
include tests/ck.mk
include tests/tl.mk
include tests/dwarf.mk
include tests/gdb.mk
include tests/gdb_replay.mk
include tests/dbg.mk
include tests/tui.mk
include tests/e2e.mk
