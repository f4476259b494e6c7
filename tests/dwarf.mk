# tests/dwarf.mk — tests of dwarf/: Check unit tests on fixtures built at
# test time, and the differential test against gdb (dw_probe + dw_gdb.sh).
check_PROGRAMS += tests/dw_probe tests/test_dw
tests_dw_probe_SOURCES = tests/dw_probe.c
tests_dw_probe_LDADD = $(DW_LIBS) core/libcore.a
tests_test_dw_SOURCES = tests/test_dw.c
tests_test_dw_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_dw_CPPFLAGS = $(LIBDWARF_CFLAGS) $(AM_CPPFLAGS)
tests_test_dw_LDADD = $(DW_LIBS) $(CHECK_LIBS)
TESTS += tests/test_dw tests/dw_gdb.sh
EXTRA_DIST += tests/dw_gdb.sh tests/fixtures/dw
