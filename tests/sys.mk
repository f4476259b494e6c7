# tests/sys.mk — unit tests of the system call table (core/sys.c).
check_PROGRAMS += tests/test_sys
TESTS += tests/test_sys
tests_test_sys_SOURCES = tests/test_sys.c
tests_test_sys_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_sys_LDADD = core/libcore.a $(CHECK_LIBS)

# Programs the end-to-end test of the long tail of system calls records
# (tests/e2e/syscalls_tail.sh): each shows one family of calls.
SYS_FIXTURES = tests/fixtures/sys/nosys tests/fixtures/sys/ioctls \
	tests/fixtures/sys/commands tests/fixtures/sys/bpf tests/fixtures/sys/perf \
	tests/fixtures/sys/pvm tests/fixtures/sys/affinity tests/fixtures/sys/mempolicy \
	tests/fixtures/sys/syslog tests/fixtures/sys/tsc tests/fixtures/sys/int80
check_PROGRAMS += $(SYS_FIXTURES)
tests_fixtures_sys_nosys_SOURCES = tests/fixtures/sys/nosys.c
tests_fixtures_sys_ioctls_SOURCES = tests/fixtures/sys/ioctls.c
tests_fixtures_sys_commands_SOURCES = tests/fixtures/sys/commands.c
tests_fixtures_sys_bpf_SOURCES = tests/fixtures/sys/bpf.c
tests_fixtures_sys_perf_SOURCES = tests/fixtures/sys/perf.c
tests_fixtures_sys_pvm_SOURCES = tests/fixtures/sys/pvm.c
tests_fixtures_sys_affinity_SOURCES = tests/fixtures/sys/affinity.c
tests_fixtures_sys_mempolicy_SOURCES = tests/fixtures/sys/mempolicy.c
tests_fixtures_sys_syslog_SOURCES = tests/fixtures/sys/syslog.c
tests_fixtures_sys_tsc_SOURCES = tests/fixtures/sys/tsc.c
tests_fixtures_sys_int80_SOURCES = tests/fixtures/sys/int80.c
