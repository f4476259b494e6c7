# core/tl.mk — the timeline (positions, checkpoints policy, reverse execution)
core_libcore_a_SOURCES += core/tl_int.h core/tl.c
