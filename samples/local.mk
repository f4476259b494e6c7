# samples/: small programs that show rrtui off and that the tests use.
# Built without optimisation so that a debugger sees every variable and line.
noinst_PROGRAMS += samples/clock samples/fileio samples/timerand samples/crash \
	samples/alarm samples/compute samples/syscalls samples/killrec samples/spin
EXTRA_DIST += samples/README.md

SAMPLES_CFLAGS = $(AM_CFLAGS) -O0 -g
samples_clock_SOURCES = samples/clock.c
samples_clock_CFLAGS = $(SAMPLES_CFLAGS)
samples_fileio_SOURCES = samples/fileio.c
samples_fileio_CFLAGS = $(SAMPLES_CFLAGS)
samples_timerand_SOURCES = samples/timerand.c
samples_timerand_CFLAGS = $(SAMPLES_CFLAGS)
samples_crash_SOURCES = samples/crash.c
samples_crash_CFLAGS = $(SAMPLES_CFLAGS)
samples_alarm_SOURCES = samples/alarm.c
samples_alarm_CFLAGS = $(SAMPLES_CFLAGS)
samples_compute_SOURCES = samples/compute.c
samples_compute_CFLAGS = $(SAMPLES_CFLAGS)
samples_syscalls_SOURCES = samples/syscalls.c
samples_syscalls_CFLAGS = $(SAMPLES_CFLAGS)
samples_killrec_SOURCES = samples/killrec.c
samples_killrec_CFLAGS = $(SAMPLES_CFLAGS)
samples_spin_SOURCES = samples/spin.c
samples_spin_CFLAGS = $(SAMPLES_CFLAGS)
# The user's CFLAGS (configure's default "-g -O2") come last on the compile
# line, after the per-program flags; this GNU make pattern-specific variable
# puts -O0 after them.
$(samples_clock_OBJECTS) $(samples_fileio_OBJECTS) $(samples_timerand_OBJECTS) \
$(samples_crash_OBJECTS) $(samples_alarm_OBJECTS) $(samples_compute_OBJECTS) \
$(samples_syscalls_OBJECTS) $(samples_killrec_OBJECTS) $(samples_spin_OBJECTS): CFLAGS += -O0
