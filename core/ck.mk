# Checkpoints, breakpoints and debug registers on a stopped tracee.
core_libcore_a_SOURCES += core/tracee.h core/tracee.c core/ck.c core/bp.c core/hw.c \
	core/hitcount.c
