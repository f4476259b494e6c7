# tests/ck.mk — the tracee primitives (checkpoints, breakpoints, debug
# registers, hit counting) on a live traced fixture program.
check_PROGRAMS += tests/test_ck tests/fixtures/ck/loop
TESTS += tests/test_ck
tests_test_ck_SOURCES = tests/test_ck.c
tests_test_ck_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_ck_LDADD = core/libcore.a $(CHECK_LIBS)
# The traced program: plain code, so the test can predict what it does.
tests_fixtures_ck_loop_SOURCES = tests/fixtures/ck/loop.c
