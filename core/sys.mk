# The system call table (owned with its tests by the syscall-table work).
core_libcore_a_SOURCES += core/sys.h core/sys.c core/sys_live.c
