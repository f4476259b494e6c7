# dwarf/ build rules (see the top Makefile.am)
noinst_LIBRARIES += dwarf/libdw.a
dwarf_libdw_a_SOURCES = dwarf/dw.h dwarf/dw_int.h dwarf/session.c dwarf/elf.c \
	dwarf/die.c dwarf/line.c dwarf/frame.c dwarf/loc.c dwarf/types.c \
	dwarf/value.c dwarf/expr.c dwarf/stack.c dwarf/disasm.c \
	dwarf/tailcall.c
dwarf_libdw_a_CPPFLAGS = $(LIBDWARF_CFLAGS) $(AM_CPPFLAGS) $(CAPSTONE_CFLAGS) $(LIBELF_CFLAGS)
DW_LIBS = dwarf/libdw.a $(LIBDWARF_LIBS) $(LIBELF_LIBS) $(CAPSTONE_LIBS) -lz

# bench/dw_bench: load time, memory and lookup rates of dwarf/ on a large
# binary (rrtui itself, libc with libc6-dbg); run by hand, not a test.
noinst_PROGRAMS += bench/dw_bench
bench_dw_bench_SOURCES = bench/dw_bench.c
bench_dw_bench_CPPFLAGS = $(LIBDWARF_CFLAGS) $(AM_CPPFLAGS)
bench_dw_bench_LDADD = $(DW_LIBS)
