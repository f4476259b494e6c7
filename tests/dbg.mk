# tests/dbg.mk — tests of the debugger's command language (cmds/dbg*.c) in
# batch mode. dbg_reverse.sh holds the scenarios that wait for timeline
# fixes (reverse-stepi after a breakpoint hit, reverse-continue with
# watchpoints): expected to fail until then.
DBG_TESTS = tests/e2e/dbg_basic.sh tests/e2e/dbg_reverse.sh
TESTS += $(DBG_TESTS)
XFAIL_TESTS = tests/e2e/dbg_reverse.sh
EXTRA_DIST += $(DBG_TESTS) docs/commands.md bench/dbg_bench.sh
