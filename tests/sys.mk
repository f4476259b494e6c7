# tests/sys.mk — unit tests of the system call table (core/sys.c).
check_PROGRAMS += tests/test_sys
TESTS += tests/test_sys
tests_test_sys_SOURCES = tests/test_sys.c
tests_test_sys_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_sys_LDADD = core/libcore.a $(CHECK_LIBS)
