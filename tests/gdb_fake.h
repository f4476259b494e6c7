/*
 * gdb_fake.h — a scripted gdb_backend for the server's tests: a replay of
 * GDB_FAKE_N positions whose pc moves 4 bytes a step through a small
 * memory image, with breakpoints that hit forward and backward, one
 * instruction that writes a watched global, and the two ends of the replay.
 * What it does is fully predictable, so the tests can check gdb's output
 * and the server's replies byte for byte.
 */
#ifndef RRTUI_TESTS_GDB_FAKE_H
#define RRTUI_TESTS_GDB_FAKE_H

#include "cmds/gdb_server.h"

#define GDB_FAKE_PID 0x4d2           /* 1234 */
#define GDB_FAKE_MEM_BASE 0x400000ull
#define GDB_FAKE_MEM_SIZE 0x2000
#define GDB_FAKE_CODE 0x401000ull    /* pc at position 0 */
#define GDB_FAKE_N 64                /* positions 0 .. N-1 */
#define GDB_FAKE_PC(i) (GDB_FAKE_CODE + 4 * (uint64_t)(i))
#define GDB_FAKE_WRITER 40           /* the instruction at this position ... */
#define GDB_FAKE_GLOBAL 0x400800ull  /* ... writes these 8 bytes */
#define GDB_FAKE_MAXBP 16

struct gdb_fake_bp {
	int type;   /* enum gdb_bp_type */
	uint64_t addr, len;
};

struct gdb_fake {
	size_t pos;
	bool exit_at_end;   /* report W<status> instead of replaylog:end */
	int exit_status;
	bool spin;          /* continue runs until interrupted (Ctrl-C tests) */
	const char *exec_path;
	int nbp;
	struct gdb_fake_bp bp[GDB_FAKE_MAXBP];
	int ncheck;
	size_t checkpoints[8];
	uint8_t mem[GDB_FAKE_MEM_SIZE];
	/* (type, value) pairs up to AT_NULL; auxv_words of them are given. A
	 * test may add entries (AT_PHDR, ...) and lay out a program's link
	 * map in mem for qXfer:libraries-svr4. */
	uint64_t auxv[16];
	size_t auxv_words;
};

extern const struct gdb_backend gdb_fake_ops;
void gdb_fake_init(struct gdb_fake *f);
/* The byte the fake's memory holds at addr (inside the image). */
uint8_t gdb_fake_byte(uint64_t addr);

#endif
