# tests/e2e.mk — end-to-end tests: bash scripts that record and replay the
# programs in samples/ and real tools with the built rrtui ($RRTUI).
E2E_TESTS = tests/e2e/cli.sh tests/e2e/replay_samples.sh tests/e2e/replay_real.sh \
	tests/e2e/mechanisms.sh tests/e2e/bad_input.sh tests/e2e/spawn.sh \
	tests/e2e/terminal.sh tests/e2e/console_cli.sh \
	tests/e2e/syscalls_tail.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh
