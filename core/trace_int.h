/*
 * trace_int.h — the trace writer and the byte buffer it encodes with
 * (internal to core/; readers use core.h).
 *
 * A trace is a folder: `events`, an append-only file of framed records
 * ([u32 length][u32 crc32][payload]), and `files/`, copies of mapped files.
 * Each record is written with one write() as soon as it is complete, so a
 * recorder killed at any moment leaves a trace whose every whole record is
 * valid; only the last one can be cut short.
 */
#ifndef RRTUI_CORE_TRACE_INT_H
#define RRTUI_CORE_TRACE_INT_H

#include "core/core.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

void buf_reset(struct buf *b);
void buf_free(struct buf *b);
void buf_put(struct buf *b, const void *data, size_t len);
void buf_u8(struct buf *b, uint8_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
void buf_str(struct buf *b, const char *s);
/* Reserves len bytes at the end and returns where they start. */
uint8_t *buf_grow(struct buf *b, size_t len);

/* Record types (the first payload byte); events use enum trace_kind values. */
enum { TRACE_REC_HEADER = 'H', TRACE_REC_FILE = 'F', TRACE_REC_END = 'Z' };

#define TRACE_MAGIC "RRTUI-TRACE"

uint32_t trace_crc32(const uint8_t *p, size_t len);
uint32_t trace_crc32_update(uint32_t crc, const uint8_t *p, size_t len);

struct tw;

/* Creates the trace folder's files; dir must exist and be empty. */
int tw_create(const char *dir, struct tw **out, char *err, size_t errlen);
/* Appends one framed record (payload as built in b). */
int tw_record(struct tw *w, const struct buf *b);
/* Index of the file described by st/path in the trace's file table, adding
 * it (and copying it into files/ when it must be) the first time. */
int tw_file(struct tw *w, const char *path, int fd, char *err, size_t errlen);
int tw_close(struct tw *w, int complete);
const char *tw_dir(const struct tw *w);

/* Whether a file must be copied into the trace at record time: anything
 * outside the system's read-only trees, on tmpfs, or deleted. */
int trace_file_needs_copy(const char *path, int fd);
/* Copies src (an open fd) to path; *crc is the CRC-32 of what was copied. */
int trace_copy_fd(int src, const char *path, uint32_t *crc, char *err, size_t errlen);
/* The name a copy of a file has under TRACE/files/. */
void trace_copy_name(const struct trace_file *f, char *out, size_t outlen);

#endif
