# tests/dbg.mk — tests of the debugger's command language (cmds/dbg*.c) in
# batch mode: dbg_basic.sh the forward commands and the language,
# dbg_reverse.sh the reverse ones (the clock and crash bugs found backwards).
DBG_TESTS = tests/e2e/dbg_basic.sh tests/e2e/dbg_reverse.sh
TESTS += $(DBG_TESTS)
EXTRA_DIST += $(DBG_TESTS) docs/commands.md bench/dbg_bench.sh
