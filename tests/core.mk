# Unit tests of core/'s pure logic.
check_PROGRAMS += tests/test_trace
TESTS += tests/test_trace
tests_test_trace_SOURCES = tests/test_trace.c
tests_test_trace_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_trace_LDADD = core/libcore.a $(CHECK_LIBS)
