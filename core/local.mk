# core/: ptrace tracee control, recorder, replayer, trace format, checkpoints.
noinst_LIBRARIES += core/libcore.a
core_libcore_a_SOURCES = core/core.h
include core/sys.mk
include core/ck.mk
core_libcore_a_SOURCES += core/trace_int.h core/trace.c core/proc.h core/proc.c core/rec.c core/rp.c
include core/tl.mk
