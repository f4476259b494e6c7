# tests/tl.mk — timeline tests: they record the samples (and python3) and
# move through the recordings in both directions.
check_PROGRAMS += tests/test_tl
TESTS += tests/test_tl
tests_test_tl_SOURCES = tests/test_tl.c
tests_test_tl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_tl_LDADD = core/libcore.a $(CHECK_LIBS)
