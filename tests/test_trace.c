/*
 * test_trace.c — unit tests for the trace format (core/trace.c): records
 * written by the writer read back field for field; a trace cut short reads
 * up to its last whole record and says it is incomplete; a damaged record in
 * the middle, a future format version, a foreign file and an empty folder
 * are refused with one-line errors.
 */
#include "core/core.h"
#include "core/trace_int.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/rrtui-test-trace-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void put_header(struct buf *b, uint32_t version)
{
	buf_u8(b, TRACE_REC_HEADER);
	buf_put(b, TRACE_MAGIC, sizeof TRACE_MAGIC - 1);
	buf_u32(b, version);
	buf_u32(b, 4242);
	buf_u64(b, 1700000000);
	buf_str(b, "/work");
	buf_str(b, "/usr/bin/true");
	buf_u32(b, 2);
	buf_str(b, "true");
	buf_str(b, "--flag");
	buf_u32(b, 1);
	buf_str(b, "A=1");
}

static void put_syscall(struct buf *b, int64_t nr, int64_t result, const char *region)
{
	buf_u8(b, TRACE_SYSCALL);
	buf_u64(b, (uint64_t)nr);
	for (int i = 0; i < 6; i++)
		buf_u64(b, 100 + (uint64_t)i);
	buf_u64(b, (uint64_t)result);
	buf_u32(b, (uint32_t)-1); /* no file */
	buf_u32(b, 1);            /* wrote to stdout */
	buf_u64(b, 3);
	buf_put(b, "hi\n", 3);
	buf_u32(b, region ? 1 : 0);
	if (region) {
		buf_u64(b, 0x1000);
		buf_u64(b, strlen(region));
		buf_put(b, region, strlen(region));
	}
}

/* Writes a header, n syscall events and (if complete) the end record. */
static void write_trace(uint32_t version, int n, int complete)
{
	struct tw *w;
	char err[256];
	ck_assert_int_eq(tw_create(dir, &w, err, sizeof err), 0);
	struct buf b = {0};
	put_header(&b, version);
	ck_assert_int_eq(tw_record(w, &b), 0);
	for (int i = 0; i < n; i++) {
		buf_reset(&b);
		put_syscall(&b, 0, 10 + i, "abc");
		ck_assert_int_eq(tw_record(w, &b), 0);
	}
	buf_reset(&b);
	buf_u8(&b, TRACE_EXIT);
	buf_u32(&b, 0x0100); /* exit status 1 */
	ck_assert_int_eq(tw_record(w, &b), 0);
	buf_free(&b);
	ck_assert_int_eq(tw_close(w, complete), 0);
}

static off_t events_size(void)
{
	char path[300];
	struct stat st;
	snprintf(path, sizeof path, "%s/events", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

START_TEST(roundtrip)
{
	make_dir();
	write_trace(TRACE_VERSION, 3, 1);
	struct trace *t;
	char err[256];
	ck_assert_int_eq(trace_open(dir, &t, err, sizeof err), 0);
	ck_assert_int_eq(trace_complete(t), 1);
	ck_assert_uint_eq(trace_nevents(t), 4);
	const struct trace_header *h = trace_header(t);
	ck_assert_int_eq(h->pid, 4242);
	ck_assert_str_eq(h->exe, "/usr/bin/true");
	ck_assert_int_eq(h->argc, 2);
	ck_assert_str_eq(h->argv[1], "--flag");
	ck_assert_str_eq(h->envp[0], "A=1");
	const struct trace_event *e = trace_event(t, 2);
	ck_assert_int_eq(e->kind, TRACE_SYSCALL);
	ck_assert_uint_eq(e->no, 2);
	ck_assert_int_eq(e->result, 11);
	ck_assert_uint_eq(e->args[5], 105);
	ck_assert_int_eq(e->out_fd, 1);
	ck_assert_mem_eq(e->out_data, "hi\n", 3);
	ck_assert_uint_eq(e->nregions, 1);
	ck_assert_uint_eq(e->regions[0].addr, 0x1000);
	ck_assert_mem_eq(e->regions[0].data, "abc", 3);
	ck_assert_int_eq(trace_event(t, 4)->kind, TRACE_EXIT);
	ck_assert_int_eq(trace_event(t, 4)->wait_status, 0x100);
	ck_assert_ptr_null(trace_event(t, 5));
	ck_assert_ptr_null(trace_event(t, 0));
	trace_close(t);
	remove_dir();
}
END_TEST

START_TEST(truncated_reads_prefix)
{
	make_dir();
	write_trace(TRACE_VERSION, 5, 0);
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/events", dir);
	/* Cut the last record (the exit) in half. */
	ck_assert_int_eq(truncate(path, events_size() - 4), 0);
	struct trace *t;
	ck_assert_int_eq(trace_open(dir, &t, err, sizeof err), 0);
	ck_assert_int_eq(trace_complete(t), 0);
	ck_assert_uint_eq(trace_nevents(t), 5);
	trace_close(t);
	remove_dir();
}
END_TEST

START_TEST(corrupt_middle_refused)
{
	make_dir();
	write_trace(TRACE_VERSION, 5, 1);
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/events", dir);
	int fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	/* Flip a byte well inside the events, after the header. */
	off_t at = events_size() / 2;
	unsigned char c;
	ck_assert_int_eq(pread(fd, &c, 1, at), 1);
	c ^= 0x5a;
	ck_assert_int_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
	struct trace *t;
	ck_assert_int_lt(trace_open(dir, &t, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "corrupt"));
	ck_assert_ptr_null(strchr(err, '\n'));
	remove_dir();
}
END_TEST

START_TEST(future_version_refused)
{
	make_dir();
	write_trace(TRACE_VERSION + 1, 1, 1);
	struct trace *t;
	char err[256];
	ck_assert_int_lt(trace_open(dir, &t, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "newer"));
	remove_dir();
}
END_TEST

START_TEST(foreign_and_missing_refused)
{
	make_dir();
	struct trace *t;
	char err[256], path[300];
	ck_assert_int_lt(trace_open(dir, &t, err, sizeof err), 0); /* no events file */
	ck_assert_ptr_nonnull(strstr(err, "not an rrtui trace"));
	snprintf(path, sizeof path, "%s/events", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a trace, just some text that is long enough\n", f);
	fclose(f);
	ck_assert_int_lt(trace_open(dir, &t, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "not an rrtui trace"));
	remove_dir();
	ck_assert_int_lt(trace_open("/nonexistent/trace", &t, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "no trace"));
}
END_TEST

START_TEST(crc_known_value)
{
	/* The standard CRC-32 check value. */
	ck_assert_uint_eq(trace_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
}
END_TEST

START_TEST(root_dir_order)
{
	char out[512], err[256];
	setenv("RRTUI_TRACE_DIR", "/a/b", 1);
	ck_assert_int_eq(trace_root_dir(out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "/a/b");
	unsetenv("RRTUI_TRACE_DIR");
	setenv("XDG_DATA_HOME", "/x", 1);
	ck_assert_int_eq(trace_root_dir(out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "/x/rrtui");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(trace_root_dir(out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "/home/u/.local/share/rrtui");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, truncated_reads_prefix);
	tcase_add_test(tc, corrupt_middle_refused);
	tcase_add_test(tc, future_version_refused);
	tcase_add_test(tc, foreign_and_missing_refused);
	tcase_add_test(tc, crc_known_value);
	tcase_add_test(tc, root_dir_order);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
