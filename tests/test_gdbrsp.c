/*
 * test_gdbrsp.c — unit tests of the gdb remote protocol: the pure layer
 * (cmds/gdb_rsp.c: checksums, framing, escaping, run-length encoding, hex,
 * the reader, the parser, stop replies, qXfer chunks, signal numbers), the
 * target description (cmds/gdb_target_xml.c), and the server loop
 * (cmds/gdb_server.c) driven over a socketpair against the scripted fake
 * backend (tests/gdb_fake.c), checking exact replies for whole sessions.
 */
#include "cmds/gdb_rsp.h"
#include "cmds/gdb_server.h"
#include "tests/gdb_fake.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the pure layer --------------------------------------------------- */

START_TEST(checksum_and_frame)
{
	char out[64];
	size_t n;

	ck_assert_uint_eq(rsp_checksum("OK", 2), 0x9a);
	n = rsp_frame(out, sizeof out, "OK", 2, false);
	ck_assert_uint_eq(n, 6);
	ck_assert_mem_eq(out, "$OK#9a", 6);
	n = rsp_frame(out, sizeof out, "", 0, true);
	ck_assert_mem_eq(out, "$#00", n);
	/* The body is escaped; the checksum covers the escaped bytes. */
	n = rsp_frame(out, sizeof out, "a$b", 3, false);
	ck_assert_mem_eq(out, "$a}\x04" "b#", 6);
	ck_assert_uint_eq(rsp_frame(out, 5, "OK", 2, false), (size_t)-1);
}
END_TEST

START_TEST(escape_round_trip)
{
	uint8_t all[256], back[256];
	char esc[512];

	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	size_t n = rsp_escape(esc, sizeof esc, all, sizeof all);
	ck_assert_uint_eq(n, 256 + 4);	/* $ # } * */
	for (size_t i = 0; i < n; i++)
		if (esc[i] == '}')
			i++;
		else
			ck_assert(esc[i] != '$' && esc[i] != '#' && esc[i] != '*');
	ck_assert_uint_eq(rsp_unescape(back, sizeof back, esc, n), 256);
	ck_assert_mem_eq(back, all, 256);
	ck_assert_uint_eq(rsp_unescape(back, sizeof back, "ab}", 3), (size_t)-1);
	ck_assert_uint_eq(rsp_escape(esc, 3, "$$", 2), (size_t)-1);
}
END_TEST

/* Frames random payloads full of runs (and of bytes that need escaping)
 * and decodes them back the way gdb does. */
START_TEST(rle_round_trip)
{
	static char payload[600], frame[RSP_FRAMED_MAX(600)], back[700];
	unsigned seed = 12345;
	const char alphabet[] = "0x$#}*ab";

	for (int iter = 0; iter < 2000; iter++) {
		size_t len = 0;
		while (len < sizeof payload - 120) {
			seed = seed * 1103515245 + 12345;
			char c = alphabet[(seed >> 16) % 8];
			size_t run = 1 + (seed >> 8) % (iter % 3 ? 12 : 110);
			for (size_t k = 0; k < run && len < sizeof payload; k++)
				payload[len++] = c;
			if ((seed >> 20) % 7 == 0)
				break;
		}
		size_t n = rsp_frame(frame, sizeof frame, payload, len, true);
		ck_assert_uint_ne(n, (size_t)-1);
		ck_assert_int_eq(frame[0], '$');
		ck_assert_int_eq(frame[n - 3], '#');
		for (size_t i = 1; i < n - 3; i++)
			ck_assert(frame[i] != '$' && frame[i] != '#');
		unsigned sum = (unsigned)(rsp_hexval(frame[n - 2]) << 4 | rsp_hexval(frame[n - 1]));
		ck_assert_uint_eq(sum, rsp_checksum(frame + 1, n - 4));
		size_t m = rsp_decode_body(back, sizeof back, frame + 1, n - 4);
		ck_assert_uint_eq(m, len);
		ck_assert_mem_eq(back, payload, len);
	}
	/* A run of ten: "0" + 9 copies = "0*&". */
	size_t n = rsp_frame(frame, sizeof frame, "0000000000", 10, true);
	ck_assert_mem_eq(frame, "$0*&", 4);
	ck_assert_uint_eq(n, 7);
	/* Seven or eight copies would need '#' or '$' as the count. */
	n = rsp_frame(frame, sizeof frame, "xxxxxxxx", 8, true);
	ck_assert_mem_eq(frame, "$x*\"xx#", 7);
	/* Broken bodies. */
	ck_assert_uint_eq(rsp_decode_body(back, sizeof back, "*a", 2), (size_t)-1);
	ck_assert_uint_eq(rsp_decode_body(back, sizeof back, "a*", 2), (size_t)-1);
	ck_assert_uint_eq(rsp_decode_body(back, sizeof back, "a*\x01", 3), (size_t)-1);
	ck_assert_uint_eq(rsp_decode_body(back, 4, "a*~", 3), (size_t)-1);
}
END_TEST

START_TEST(hex)
{
	char out[16];
	uint8_t bin[4];
	size_t n;
	uint64_t v;
	const char *p;

	ck_assert_uint_eq(rsp_hex_encode(out, "\x01\xab\xff", 3), 6);
	ck_assert_str_eq(out, "01abff");
	ck_assert_int_eq(rsp_hex_decode(bin, sizeof bin, "01ABff", 6, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_mem_eq(bin, "\x01\xab\xff", 3);
	ck_assert_int_eq(rsp_hex_decode(bin, sizeof bin, "012", 3, &n), -1);
	ck_assert_int_eq(rsp_hex_decode(bin, sizeof bin, "0g", 2, &n), -1);
	ck_assert_int_eq(rsp_hex_decode(bin, 1, "0102", 4, &n), -1);
	p = "ffffffffffffffff,";
	ck_assert_int_eq(rsp_parse_hex(&p, p + 17, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(*p, ',');
	p = "10000000000000000";
	ck_assert_int_eq(rsp_parse_hex(&p, p + 17, &v), -1);
	p = ",";
	ck_assert_int_eq(rsp_parse_hex(&p, p + 1, &v), -1);
}
END_TEST

START_TEST(reader_events)
{
	static struct rsp_reader r;
	const char stream[] = "junk+$OK#9a-\x03$g#00$m0,1#fa$Hg0#df";
	enum rsp_event want[] = { RSP_EV_ACK, RSP_EV_PACKET, RSP_EV_NAK, RSP_EV_INTERRUPT,
				  RSP_EV_BADSUM, RSP_EV_PACKET, RSP_EV_PACKET };
	const char *payloads[] = { NULL, "OK", NULL, NULL, NULL, "m0,1", "Hg0" };
	size_t len = sizeof stream - 1;

	/* Byte by byte and all at once must agree. */
	for (int mode = 0; mode < 2; mode++) {
		size_t pos = 0;
		int k = 0;
		rsp_reader_init(&r);
		while (pos < len) {
			size_t used, avail = mode ? len - pos : 1;
			enum rsp_event ev = rsp_reader_feed(&r, stream + pos, avail, &used);
			ck_assert_uint_le(used, avail);
			pos += used;
			if (ev == RSP_EV_NONE)
				continue;
			ck_assert_int_lt(k, 7);
			ck_assert_int_eq(ev, want[k]);
			if (payloads[k]) {
				ck_assert_uint_eq(r.paylen, strlen(payloads[k]));
				ck_assert_str_eq(r.payload, payloads[k]);
			}
			k++;
		}
		ck_assert_int_eq(k, 7);
	}
	/* Too long for the reader. */
	static char big[RSP_RAW_MAX + 16];
	size_t used;
	big[0] = '$';
	memset(big + 1, 'a', RSP_RAW_MAX + 8);
	memcpy(big + RSP_RAW_MAX + 9, "#00", 3);
	rsp_reader_init(&r);
	ck_assert_int_eq(rsp_reader_feed(&r, big, RSP_RAW_MAX + 12, &used), RSP_EV_OVERFLOW);
	/* Said as soon as the packet is too long, not at a '#' that may never
	 * come; the rest of it is dropped, and the next packet is read. */
	ck_assert_uint_eq(used, 1 + RSP_RAW_MAX + 1);
	ck_assert_int_eq(rsp_reader_feed(&r, big + used, RSP_RAW_MAX + 12 - used, &used),
			 RSP_EV_NONE);
	ck_assert_int_eq(rsp_reader_feed(&r, "$Hg0#df", 7, &used), RSP_EV_PACKET);
	ck_assert_str_eq(r.payload, "Hg0");
	/* Cut off by a new '$' while skipping: that packet is read. */
	ck_assert_int_eq(rsp_reader_feed(&r, big, RSP_RAW_MAX + 8, &used), RSP_EV_OVERFLOW);
	ck_assert_int_eq(rsp_reader_feed(&r, big + used, RSP_RAW_MAX + 8 - used, &used),
			 RSP_EV_NONE);
	ck_assert_int_eq(rsp_reader_feed(&r, "aa$Hg0#df", 9, &used), RSP_EV_PACKET);
	ck_assert_str_eq(r.payload, "Hg0");
	/* A body that is broken after a right checksum ("a*" is a dangling run). */
	ck_assert_int_eq(rsp_reader_feed(&r, "$a*#8b", 6, &used), RSP_EV_OVERFLOW);
}
END_TEST

static struct rsp_packet pk;

static int parse(const char *s)
{
	char err[128];
	return rsp_parse(s, strlen(s), &pk, err, sizeof err);
}

START_TEST(parse_simple)
{
	static const struct { const char *s; enum rsp_kind kind; } t[] = {
		{ "?", RSP_HALT_REASON }, { "g", RSP_READ_REGS }, { "p10", RSP_READ_REG },
		{ "G00", RSP_WRITE }, { "P10=00", RSP_WRITE }, { "M0,1:00", RSP_WRITE },
		{ "X0,0:", RSP_WRITE }, { "qC", RSP_QC }, { "qfThreadInfo", RSP_QFTHREADINFO },
		{ "qsThreadInfo", RSP_QSTHREADINFO }, { "qAttached", RSP_QATTACHED },
		{ "qAttached:4d2", RSP_QATTACHED }, { "qOffsets", RSP_QOFFSETS },
		{ "vCont?", RSP_VCONT_QUERY }, { "bc", RSP_REV_CONTINUE }, { "bs", RSP_REV_STEP },
		{ "k", RSP_KILL }, { "D", RSP_DETACH }, { "D;4d2", RSP_DETACH },
		{ "vKill;a410", RSP_VKILL }, { "qSymbol::", RSP_QSYMBOL },
		{ "vMustReplyEmpty", RSP_VMUSTREPLYEMPTY }, { "QStartNoAckMode", RSP_NOACK },
		{ "qSupported", RSP_QSUPPORTED }, { "c", RSP_CONTINUE }, { "s", RSP_STEP },
		{ "", RSP_UNKNOWN }, { "qTStatus", RSP_UNKNOWN }, { "vFile:setfs:0", RSP_UNKNOWN },
		{ "qCRC:0,1", RSP_UNKNOWN }, { "b9600", RSP_UNKNOWN }, { "bcx", RSP_UNKNOWN },
		{ "qXfer:features:write:x:0:", RSP_UNKNOWN }, { "!", RSP_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_msg(parse(t[i].s) == 0, "parse %s", t[i].s);
		ck_assert_msg(pk.kind == t[i].kind, "kind of %s: %d", t[i].s, pk.kind);
	}
}
END_TEST

START_TEST(parse_malformed)
{
	static const char *bad[] = {
		"?x", "gg", "p", "pz", "p10000", "m", "m0", "m0,", "mx,1", "m0,1x", "x0;1",
		"H", "Hg", "Hgz", "Hgp", "Hgp1.", "T", "Tq", "cz", "c1,2", "C", "C5", "C05x",
		"S0g", "Z", "Z0", "Z0,", "Z5,0,1", "Z0,1", "Z0,1,", "z1,x,1", "vCont",
		"vCont;", "vCont;x", "vCont;c:", "vCont;C5", "vCont;c:zz", "D;", "Dx",
		"vKill;", "qRcmd,z", "qRcmd,616", "qRcmd,6100", "qXfer:", "qXfer:auxv",
		"qXfer:auxv:read", "qXfer:auxv:read:", "qXfer:auxv:read::", "qXfer:auxv:read::1",
		"qXfer:auxv:read::1,", "qXfer:auxv:read::1,2,3",
		"vCont;c;c;c;c;c;c;c;c;c",
		/* Numbers at their extremes (issue 19). */
		"p10000000000000000", "pffffffffffffffff", "p7fffffff", "m10000000000000000,1",
		"m0,10000000000000000", "Hg8000000000000000", "Hgffffffffffffffff",
		"Tp8000000000000000.1", "vCont;c:ffffffffffffffff", "D;8000000000000000",
		"Z2,0,0", "Z3,ffffffffffffffff,2", "z4,fffffffffffffff0,11", "Z2,2,ffffffffffffffff",
		"qXfer:auxv:read::10000000000000000,1", "C100", "Z10000000000000000,0,1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse(bad[i]) == -1, "accepted %s", bad[i]);
		ck_assert_int_eq(pk.kind, RSP_MALFORMED);
	}
	/* NUL inside an otherwise good packet. */
	ck_assert_int_eq(rsp_parse("m0,1\0", 5, &pk, NULL, 0), -1);
}
END_TEST

START_TEST(parse_args)
{
	ck_assert_int_eq(parse("m401000,10"), 0);
	ck_assert_uint_eq(pk.addr, 0x401000);
	ck_assert_uint_eq(pk.len, 16);
	ck_assert_int_eq(parse("x7fff0000,200"), 0);
	ck_assert_int_eq(pk.kind, RSP_READ_MEM_BIN);
	ck_assert_uint_eq(pk.len, 0x200);
	ck_assert_int_eq(parse("p39"), 0);
	ck_assert_int_eq(pk.regno, 57);
	ck_assert_int_eq(parse("Hc-1"), 0);
	ck_assert_int_eq(pk.op, 'c');
	ck_assert_int_eq(pk.tid.tid, -1);
	ck_assert_int_eq(parse("Hgp4d2.4d3"), 0);
	ck_assert_int_eq(pk.tid.pid, 0x4d2);
	ck_assert_int_eq(pk.tid.tid, 0x4d3);
	ck_assert_int_eq(parse("Tp4d2"), 0);
	ck_assert_int_eq(pk.tid.pid, 0x4d2);
	ck_assert_int_eq(pk.tid.tid, -1);
	ck_assert_int_eq(parse("Z2,400800,8"), 0);
	ck_assert_int_eq(pk.kind, RSP_INSERT_BP);
	ck_assert_int_eq(pk.bp_type, 2);
	ck_assert_uint_eq(pk.addr, 0x400800);
	ck_assert_uint_eq(pk.len, 8);
	ck_assert_int_eq(parse("z0,401020,1;X1,0"), 0);
	ck_assert_int_eq(pk.kind, RSP_REMOVE_BP);
	ck_assert_uint_eq(pk.addr, 0x401020);
	ck_assert_int_eq(parse("C0b;401000"), 0);
	ck_assert_int_eq(pk.kind, RSP_CONTINUE);
	ck_assert_int_eq(pk.gdb_signo, 11);
	ck_assert(pk.has_addr);
	ck_assert_int_eq(parse("s401000"), 0);
	ck_assert_int_eq(pk.kind, RSP_STEP);
	ck_assert(pk.has_addr);
	ck_assert_int_eq(parse("vCont;s:p4d2.4d2;C1e;c:-1"), 0);
	ck_assert_int_eq(pk.nactions, 3);
	ck_assert_int_eq(pk.actions[0].op, 's');
	ck_assert(pk.actions[0].has_tid);
	ck_assert_int_eq(pk.actions[0].tid.tid, 0x4d2);
	ck_assert_int_eq(pk.actions[1].op, 'c');
	ck_assert_int_eq(pk.actions[1].gdb_signo, 30);
	ck_assert(!pk.actions[1].has_tid);
	ck_assert_int_eq(pk.actions[2].tid.tid, -1);
	ck_assert_int_eq(parse("qRcmd,7365656b203132"), 0);
	ck_assert_str_eq(pk.rcmd, "seek 12");
	ck_assert_int_eq(parse("qXfer:features:read:target.xml:1000,ffb"), 0);
	ck_assert_int_eq(pk.kind, RSP_QXFER_READ);
	ck_assert_str_eq(pk.object, "features");
	ck_assert_str_eq(pk.annex, "target.xml");
	ck_assert_uint_eq(pk.offset, 0x1000);
	ck_assert_uint_eq(pk.len, 0xffb);
	ck_assert_int_eq(parse("qXfer:exec-file:read:4d2:0,fff"), 0);
	ck_assert_str_eq(pk.annex, "4d2");
	ck_assert_int_eq(parse("qSupported:multiprocess+;swbreak+;hwbreak-;xmlRegisters=i386"), 0);
	ck_assert_uint_eq(pk.gdb_features, RSP_GDB_SWBREAK | RSP_GDB_MULTIPROCESS);
	ck_assert_int_eq(parse("vKill;a410"), 0);
	ck_assert_int_eq(pk.tid.tid, 0xa410);
	/* Ranges that end exactly at the top of memory are whole. */
	ck_assert_int_eq(parse("Z2,fffffffffffffff8,8"), 0);
	ck_assert_int_eq(parse("Z4,0,ffffffffffffffff"), 0);
	ck_assert_int_eq(parse("mffffffffffffffff,ffffffffffffffff"), 0);
	ck_assert_uint_eq(pk.addr, UINT64_MAX);
	ck_assert_uint_eq(pk.len, UINT64_MAX);
	ck_assert_int_eq(parse("Hg7fffffffffffffff"), 0);
	ck_assert_int_eq(pk.tid.tid, INT64_MAX);
}
END_TEST

START_TEST(stop_replies)
{
	char out[128];
	struct rsp_stop st = { .kind = RSP_STOP_SIGNAL, .signo = SIGTRAP };
	const unsigned all = RSP_GDB_SWBREAK | RSP_GDB_HWBREAK;
	size_t n;

#define STOP(k, want, feat) do { st.kind = (k); \
	n = rsp_format_stop(out, sizeof out, &st, 0x4d2, (feat)); \
	ck_assert_uint_eq(n, strlen(want)); ck_assert_str_eq(out, want); } while (0)
	STOP(RSP_STOP_SIGNAL, "T05thread:4d2;", all);
	st.signo = SIGINT;
	STOP(RSP_STOP_SIGNAL, "T02thread:4d2;", all);
	st.signo = SIGUSR1;
	STOP(RSP_STOP_SIGNAL, "T1ethread:4d2;", all);
	STOP(RSP_STOP_SWBREAK, "T05thread:4d2;swbreak:;", all);
	STOP(RSP_STOP_SWBREAK, "T05thread:4d2;", 0);
	STOP(RSP_STOP_HWBREAK, "T05thread:4d2;hwbreak:;", all);
	STOP(RSP_STOP_HWBREAK, "T05thread:4d2;", RSP_GDB_SWBREAK);
	st.addr = 0x7ffe0010;
	STOP(RSP_STOP_WATCH, "T05thread:4d2;watch:7ffe0010;", all);
	STOP(RSP_STOP_RWATCH, "T05thread:4d2;rwatch:7ffe0010;", all);
	STOP(RSP_STOP_AWATCH, "T05thread:4d2;awatch:7ffe0010;", all);
	STOP(RSP_STOP_REPLAY_BEGIN, "T05thread:4d2;replaylog:begin;", all);
	STOP(RSP_STOP_REPLAY_END, "T05thread:4d2;replaylog:end;", all);
	st.status = 0x107;
	STOP(RSP_STOP_EXITED, "W07", all);
	st.signo = SIGKILL;
	STOP(RSP_STOP_KILLED, "X09", all);
	st.signo = SIGSEGV;
	STOP(RSP_STOP_KILLED, "X0b", all);
#undef STOP
	st.kind = RSP_STOP_REPLAY_BEGIN;
	ck_assert_uint_eq(rsp_format_stop(out, 10, &st, 0x4d2, all), (size_t)-1);
}
END_TEST

START_TEST(xfer_chunks)
{
	char out[16];
	const char data[] = "abcdef";

	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, 0, 4), 5);
	ck_assert_mem_eq(out, "mabcd", 5);
	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, 4, 4), 3);
	ck_assert_mem_eq(out, "lef", 3);
	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, 2, 4), 5);
	ck_assert_mem_eq(out, "lcdef", 5);
	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, 6, 4), 1);
	ck_assert_int_eq(out[0], 'l');
	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, 100, 4), 1);
	ck_assert_int_eq(out[0], 'l');
	ck_assert_uint_eq(rsp_xfer_reply(out, sizeof out, data, 6, UINT64_MAX, UINT64_MAX), 1);
	ck_assert_uint_eq(rsp_xfer_reply(out, 3, data, 6, 0, 4), (size_t)-1);
}
END_TEST

START_TEST(signals)
{
	for (int s = 1; s <= 64; s++) {
		if (s == 16)	/* SIGSTKFLT: gdb has no name for it */
			continue;
		ck_assert_int_ne(rsp_signal_to_gdb(s), 143);
		ck_assert_int_eq(rsp_signal_from_gdb(rsp_signal_to_gdb(s)), s);
	}
	ck_assert_int_eq(rsp_signal_to_gdb(SIGCHLD), 20);
	ck_assert_int_eq(rsp_signal_to_gdb(SIGUSR2), 31);
	ck_assert_int_eq(rsp_signal_to_gdb(34), 46);
	ck_assert_int_eq(rsp_signal_from_gdb(143), -1);
	ck_assert_int_eq(rsp_signal_from_gdb(500), -1);
}
END_TEST

/* ---- the target description ------------------------------------------ */

START_TEST(target_description)
{
	unsigned off = 0;
	const char *p = gdb_target_xml;
	int i = 0;

	for (int r = 0; r < GDB_NREGS; r++) {
		ck_assert_uint_eq(gdb_reg_table[r].offset, off);
		off += gdb_reg_table[r].size;
		ck_assert_int_eq(gdb_reg_lookup(gdb_reg_table[r].name), r);
	}
	ck_assert_uint_eq(off, GDB_REGS_BYTES);
	ck_assert_int_eq(gdb_reg_lookup("rip"), GDB_REG_RIP);
	ck_assert_int_eq(gdb_reg_lookup("orig_rax"), 57);
	ck_assert_int_eq(gdb_reg_lookup("ymm0"), -1);
	/* The <reg> elements, in order, are the table. */
	while ((p = strstr(p, "<reg name=\""))) {
		char name[32];
		unsigned bits;
		ck_assert_int_eq(sscanf(p, "<reg name=\"%31[^\"]\" bitsize=\"%u\"", name, &bits), 2);
		ck_assert_int_lt(i, GDB_NREGS);
		ck_assert_str_eq(name, gdb_reg_table[i].name);
		ck_assert_uint_eq(bits, 8 * gdb_reg_table[i].size);
		i++;
		p++;
	}
	ck_assert_int_eq(i, GDB_NREGS);
	ck_assert_uint_eq(strlen(gdb_target_xml), gdb_target_xml_len);
	ck_assert_ptr_nonnull(strstr(gdb_target_xml, "<architecture>i386:x86-64</architecture>"));
}
END_TEST

START_TEST(regs_from_user)
{
	struct user_regs_struct u;
	struct user_fpregs_struct fp;
	struct gdb_regs r;
	uint64_t v;

	memset(&u, 0, sizeof u);
	memset(&fp, 0, sizeof fp);
	u.rip = 0x401234;
	u.rsp = 0x7ffe0000;
	u.eflags = 0x246;
	u.orig_rax = 60;
	u.fs_base = 0x7f00;
	fp.cwd = 0x37f;
	fp.mxcsr = 0x1f80;
	fp.swd = 7 << 11;	/* top = 7 */
	fp.ftw = 0x80;		/* physical register 7 = st(0) in use */
	/* st(0) = 1.0: exponent 0x3fff, integer bit set. */
	uint8_t one[10] = { 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f };
	memcpy(fp.st_space, one, 10);
	fp.xmm_space[4] = 0xdeadbeef;	/* xmm1 */
	gdb_regs_from_user(&r, &u, &fp);
	memcpy(&v, r.bytes + gdb_reg_table[GDB_REG_RIP].offset, 8);
	ck_assert_uint_eq(v, 0x401234);
	ck_assert(r.avail[GDB_REG_GS_BASE]);
	memcpy(&v, r.bytes + gdb_reg_table[GDB_REG_ORIG_RAX].offset, 8);
	ck_assert_uint_eq(v, 60);
	uint32_t w;
	memcpy(&w, r.bytes + gdb_reg_table[GDB_REG_EFLAGS].offset, 4);
	ck_assert_uint_eq(w, 0x246);
	memcpy(&w, r.bytes + gdb_reg_table[GDB_REG_FTAG].offset, 4);
	ck_assert_uint_eq(w, 0x3fff);	/* reg 7 valid (00), the rest empty (11) */
	ck_assert_mem_eq(r.bytes + gdb_reg_table[GDB_REG_ST0].offset, one, 10);
	memcpy(&w, r.bytes + gdb_reg_table[GDB_REG_XMM0 + 1].offset, 4);
	ck_assert_uint_eq(w, 0xdeadbeef);
	gdb_regs_from_user(&r, &u, NULL);
	ck_assert(!r.avail[GDB_REG_ST0]);
	ck_assert(!r.avail[GDB_REG_MXCSR]);
	ck_assert(r.avail[GDB_REG_RIP]);
}
END_TEST

/* ---- the server over a socketpair ------------------------------------ */

static struct gdb_fake fake;
static int cfd;                      /* our end: we play gdb */
static bool ackmode;
static struct rsp_reader crd;
static size_t cin_pos, cin_len;
static char cin[8192];
static pthread_t server;
static enum gdb_end server_end;
static int server_rc;
static int sfd;

static struct gdb_serve_opts serve_opts;

static void *serve_thread(void *arg)
{
	char err[256];
	(void)arg;
	server_rc = gdb_serve(sfd, &serve_opts, &server_end, err, sizeof err);
	close(sfd);
	return NULL;
}

/* Starts the server on the fake with opts (NULL: the plain ones). */
static void start_server_opts(const struct gdb_serve_opts *opts)
{
	int sv[2];

	serve_opts = opts ? *opts : (struct gdb_serve_opts){ .ops = &gdb_fake_ops, .be = &fake };
	gdb_fake_init(&fake);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cfd = sv[0];
	sfd = sv[1];
	ackmode = true;
	cin_pos = cin_len = 0;
	rsp_reader_init(&crd);
	ck_assert_int_eq(pthread_create(&server, NULL, serve_thread, NULL), 0);
}

static void start_server(void)
{
	start_server_opts(NULL);
}

static void stop_server(void)
{
	pthread_join(server, NULL);
	close(cfd);
}

static void raw_send(const void *buf, size_t len)
{
	ck_assert_int_eq(write(cfd, buf, len), (ssize_t)len);
}

static enum rsp_event client_event(void)
{
	for (;;) {
		if (cin_pos < cin_len) {
			size_t used;
			enum rsp_event ev = rsp_reader_feed(&crd, cin + cin_pos, cin_len - cin_pos, &used);
			cin_pos += used;
			if (ev != RSP_EV_NONE)
				return ev;
		}
		/* A reply that does not come is a failure, not a hang. */
		struct pollfd pf = { .fd = cfd, .events = POLLIN };
		ck_assert_msg(poll(&pf, 1, 10000) == 1, "no reply from the server in 10 s");
		ssize_t n = read(cfd, cin, sizeof cin);
		ck_assert_int_gt(n, 0);
		cin_pos = 0;
		cin_len = (size_t)n;
	}
}

static void send_pkt(const char *payload, size_t len)
{
	static char f[RSP_FRAMED_MAX(RSP_PACKET_SIZE * 2)];
	size_t n = rsp_frame(f, sizeof f, payload, len, false);
	raw_send(f, n);
	if (ackmode)
		ck_assert_int_eq(client_event(), RSP_EV_ACK);
}

/* The next reply's payload (acknowledged when in ack mode). */
static const char *reply(size_t *len)
{
	enum rsp_event ev = client_event();
	ck_assert_int_eq(ev, RSP_EV_PACKET);
	if (ackmode)
		raw_send("+", 1);
	if (len)
		*len = crd.paylen;
	return crd.payload;
}

/* Sends a packet and checks the whole reply. */
static void expect(const char *req, const char *want)
{
	send_pkt(req, strlen(req));
	const char *got = reply(NULL);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", req, got, want);
}

static void expect_hex_console(const char *text)
{
	char want[256];
	want[0] = 'O';
	rsp_hex_encode(want + 1, text, strlen(text));
	const char *got = reply(NULL);
	ck_assert_str_eq(got, want);
}

static void handshake(void)
{
	expect("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+",
	       "PacketSize=4000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;"
	       "qXfer:exec-file:read+;qXfer:libraries-svr4:read+;swbreak+;hwbreak+;"
	       "vContSupported+;ReverseStep+;ReverseContinue+");
	/* A bad checksum is answered '-' in ack mode. */
	raw_send("$g#00", 5);
	ck_assert_int_eq(client_event(), RSP_EV_NAK);
	expect("QStartNoAckMode", "OK");
	ackmode = false;
}

START_TEST(session_queries)
{
	size_t n;
	const char *r;

	start_server();
	handshake();
	expect("vMustReplyEmpty", "");
	expect("?", "T05thread:4d2;");
	expect("Hg0", "OK");
	expect("Hc-1", "OK");
	expect("Hgp4d2.4d2", "OK");
	expect("Hg99", "E04");
	expect("T4d2", "OK");
	expect("T5", "E04");
	expect("qC", "QC4d2");
	expect("qfThreadInfo", "m4d2");
	expect("qsThreadInfo", "l");
	expect("qAttached", "1");
	expect("qOffsets", "");
	expect("vCont?", "vCont;c;C;s;S");
	expect("qSymbol::", "OK");
	expect("qTStatus", "");
	expect("qFooBar", "");

	/* Registers: 560 bytes, unavailable ones as x. */
	send_pkt("g", 1);
	r = reply(&n);
	ck_assert_uint_eq(n, 2 * GDB_REGS_BYTES);
	ck_assert_mem_eq(r, "0000000000000000" "0010000000000000", 32);
	ck_assert_mem_eq(r + 2 * gdb_reg_table[GDB_REG_RIP].offset, "0010400000000000", 16);
	ck_assert_mem_eq(r + 2 * gdb_reg_table[GDB_REG_DS].offset, "xxxxxxxx", 8);
	ck_assert_mem_eq(r + 2 * gdb_reg_table[GDB_REG_FS_BASE].offset, "00100000007f0000"
			 "xxxxxxxxxxxxxxxx", 32);
	expect("p10", "0010400000000000");
	expect("p11", "46020000");
	expect("p14", "xxxxxxxx");
	expect("p39", "ffffffffffffffff");
	expect("p3c", "E02");

	/* Memory. */
	expect("m401000,4", "030a1118");
	expect("m401ffe,10", "f5fc");	/* a short read at the end of the image */
	expect("m500000,4", "E03");
	expect("m401000,0", "E02");
	expect("mxyz", "E02");
	send_pkt("x401000,4", 9);
	r = reply(&n);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(r, "b\x03\x0a\x11\x18", 5);
	expect("x401000,0", "b");
	/* A binary read whose first byte needs escaping. */
	uint64_t a = GDB_FAKE_MEM_BASE;
	while (gdb_fake_byte(a) != '$')
		a++;
	char req[64];
	snprintf(req, sizeof req, "x%llx,2", (unsigned long long)a);
	send_pkt(req, strlen(req));
	r = reply(&n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(r[1], '$');
	ck_assert_int_eq((uint8_t)r[2], gdb_fake_byte(a + 1));

	/* Writes are refused. */
	expect("M401000,1:00", "E01");
	expect("G00", "E01");
	expect("P10=0000000000000000", "E01");
	send_pkt("X401000,1:}\x03", 12);
	ck_assert_str_eq(reply(NULL), "E01");

	/* Malformed packets: an error, and the server goes on. */
	expect("Z9,0,1", "E02");
	expect("vCont;q", "E02");
	expect("Hx", "E02");
	expect("qRcmd,zz", "E02");
	expect("?", "T05thread:4d2;");

	send_pkt("D", 1);
	ck_assert_str_eq(reply(NULL), "OK");
	stop_server();
	ck_assert_int_eq(server_rc, 0);
	ck_assert_int_eq(server_end, GDB_END_DETACH);
}
END_TEST

START_TEST(session_execution)
{
	start_server();
	handshake();
	/* Backwards from the start: the replay's beginning. */
	expect("bs", "T05thread:4d2;replaylog:begin;");
	expect("bc", "T05thread:4d2;replaylog:begin;");
	expect("s", "T05thread:4d2;");
	expect("vCont;s:p4d2.4d2", "T05thread:4d2;");
	expect("p0", "0200000000000000");
	/* Breakpoints hit forward and backward. */
	expect("Z0,401020,1", "OK");
	expect("Z1,401008,1", "OK");
	expect("vCont;c:p4d2.-1", "T05thread:4d2;swbreak:;");
	expect("p10", "2010400000000000");
	expect("bc", "T05thread:4d2;hwbreak:;");
	expect("p10", "0810400000000000");
	expect("c", "T05thread:4d2;swbreak:;");
	expect("z0,401020,1", "OK");
	expect("z1,401008,1", "OK");
	/* A watchpoint, forward then back. */
	expect("Z2,400800,8", "OK");
	expect("c", "T05thread:4d2;watch:400800;");
	expect("m400800,8", "2900000000000000");
	expect("bc", "T05thread:4d2;watch:400800;");
	expect("m400800,8", "0000000000000000");
	expect("Z3,400800,8", "E03");	/* the fake records no reads */
	expect("z2,400800,8", "OK");
	/* The end of the replay. */
	expect("vCont;c", "T05thread:4d2;replaylog:end;");
	expect("s", "T05thread:4d2;replaylog:end;");
	/* Resuming elsewhere or an action for another thread: refused. */
	expect("c401000", "E01");
	expect("vCont;c:99", "E04");
	/* Signals gdb asks to pass travel as Linux numbers (ignored here). */
	expect("bc", "T05thread:4d2;replaylog:begin;");
	expect("C1e", "T05thread:4d2;replaylog:end;");
	expect("bs", "T05thread:4d2;");

	/* Monitor commands come back as console output, then OK. */
	send_pkt("qRcmd,7768656e", 14);	/* when */
	expect_hex_console("Current event: 62\n");
	ck_assert_str_eq(reply(NULL), "OK");
	send_pkt("qRcmd,7365656b203132", 20);	/* seek 12 */
	expect_hex_console("At event 12\n");
	ck_assert_str_eq(reply(NULL), "OK");
	expect("p0", "0c00000000000000");
	send_pkt("qRcmd,626f677573", 16);	/* bogus */
	expect_hex_console("unknown monitor command");
	expect_hex_console("\n");
	ck_assert_str_eq(reply(NULL), "E03");

	/* Ctrl-C while the backend runs: packet and 0x03 in one write. */
	fake.spin = true;
	char buf[32];
	size_t n = rsp_frame(buf, sizeof buf, "vCont;c", 7, false);
	buf[n++] = 0x03;
	raw_send(buf, n);
	ck_assert_str_eq(reply(NULL), "T02thread:4d2;");
	fake.spin = false;

	/* Exit at the end. */
	fake.exit_at_end = true;
	fake.exit_status = 7;
	expect("c", "W07");

	send_pkt("vKill;a410", 10);
	ck_assert_str_eq(reply(NULL), "OK");
	stop_server();
	ck_assert_int_eq(server_end, GDB_END_KILL);
}
END_TEST

START_TEST(session_qxfer)
{
	static char xml[16384];
	size_t total = 0, n;
	const char *r;
	char req[128];

	start_server();
	handshake();
	/* The target description in 0x100-byte pieces until 'l'. */
	for (;;) {
		snprintf(req, sizeof req, "qXfer:features:read:target.xml:%zx,100", total);
		send_pkt(req, strlen(req));
		r = reply(&n);
		ck_assert(r[0] == 'm' || r[0] == 'l');
		ck_assert_uint_le(n - 1, 0x100);
		memcpy(xml + total, r + 1, n - 1);
		total += n - 1;
		if (r[0] == 'l')
			break;
		ck_assert_uint_eq(n - 1, 0x100);
	}
	ck_assert_uint_eq(total, gdb_target_xml_len);
	ck_assert_mem_eq(xml, gdb_target_xml, total);
	expect("qXfer:features:read:other.xml:0,100", "E02");
	send_pkt("qXfer:auxv:read::0,8", 20);
	r = reply(&n);
	ck_assert_uint_eq(n, 9);
	ck_assert_mem_eq(r, "m\x06\0\0\0\0\0\0\0", 9);
	send_pkt("qXfer:auxv:read::20,100", 23);
	r = reply(&n);
	ck_assert_uint_eq(n, 17);
	ck_assert_int_eq(r[0], 'l');
	expect("qXfer:exec-file:read::0,100", "E03");
	fake.exec_path = "/bin/fake";
	expect("qXfer:exec-file:read:4d2:0,100", "l/bin/fake");
	expect("qXfer:exec-file:read::4,3", "m/fa");
	expect("qXfer:exec-file:read:99:0,100", "E04");
	/* No program headers in the fake's auxv: no libraries. */
	expect("qXfer:libraries-svr4:read::0,100", "l<library-list-svr4 version=\"1.0\"/>");
	/* An over-long packet: an error, and the server goes on. */
	static char big[RSP_RAW_MAX + 100];
	memset(big, 'q', sizeof big);
	big[0] = '$';
	memcpy(big + sizeof big - 3, "#00", 3);
	raw_send(big, sizeof big);
	ck_assert_str_eq(reply(NULL), "E02");
	expect("qC", "QC4d2");
	/* A disconnect ends the session and leaves the backend as it was. */
	fake.pos = 33;
	close(cfd);
	pthread_join(server, NULL);
	ck_assert_int_eq(server_rc, 0);
	ck_assert_int_eq(server_end, GDB_END_DISCONNECT);
	ck_assert_uint_eq(fake.pos, 33);
}
END_TEST

/* ---- the library list over a link map in the fake's memory ---------- */

static void put64(uint64_t addr, uint64_t v)
{
	memcpy(fake.mem + (addr - GDB_FAKE_MEM_BASE), &v, 8);
}

static void put_str(uint64_t addr, const char *str)
{
	memcpy(fake.mem + (addr - GDB_FAKE_MEM_BASE), str, strlen(str) + 1);
}

/* struct link_map's public head: l_addr, l_name, l_ld, l_next, l_prev. */
static void put_lm(uint64_t at, uint64_t l_addr, uint64_t name, uint64_t l_ld,
		   uint64_t next, uint64_t prev)
{
	put64(at, l_addr);
	put64(at + 8, name);
	put64(at + 16, l_ld);
	put64(at + 24, next);
	put64(at + 32, prev);
}

/* What a dynamically linked program looks like to the server: program
 * headers at 0x400040 (PT_PHDR says the bias is 0x400000, PT_DYNAMIC is
 * at 0x200), a dynamic section whose DT_DEBUG points at r_debug
 * (0x400300), and four link_maps: the program, a library whose name needs
 * XML escapes, the vDSO (no name) and one more library. */
#define LM_RDEBUG 0x400300ull
static void lay_out_link_map(void)
{
	memset(fake.mem, 0, 0x800);
	uint64_t ph = 0x400040;
	put64(ph, 6);			/* PT_PHDR */
	put64(ph + 16, 0x40);
	put64(ph + 56, 1);		/* PT_LOAD: not looked at */
	put64(ph + 112, 2);		/* PT_DYNAMIC */
	put64(ph + 112 + 16, 0x200);
	put64(ph + 112 + 40, 0x30);
	put64(0x400200, 1);		/* DT_NEEDED */
	put64(0x400208, 5);
	put64(0x400210, 21);		/* DT_DEBUG */
	put64(0x400218, LM_RDEBUG);
	put64(LM_RDEBUG, 1);		/* r_version */
	put64(LM_RDEBUG + 8, 0x400400);	/* r_map */
	put_lm(0x400400, 0, 0x400600, 0x400200, 0x400440, 0);
	put_lm(0x400440, 0x7f0000000000, 0x400610, 0x7f0000001000, 0x400480, 0x400400);
	put_lm(0x400480, 0x7f0000100000, 0x400600, 0x7f0000100400, 0x4004c0, 0x400440);
	put_lm(0x4004c0, 0x7f0000200000, 0x400630, 0x7f0000201000, 0, 0x400480);
	put_str(0x400600, "");
	put_str(0x400610, "/lib/a&b<\"'>.so");
	put_str(0x400630, "/lib/c.so");
	const uint64_t auxv[] = { 6, 4096, 3, ph, 4, 56, 5, 3, 9, GDB_FAKE_CODE, 0, 0 };
	memcpy(fake.auxv, auxv, sizeof auxv);
	fake.auxv_words = sizeof auxv / sizeof auxv[0];
}

#define LIB_A "<library name=\"/lib/a&amp;b&lt;&quot;&apos;&gt;.so\" lm=\"0x400440\" " \
	"l_addr=\"0x7f0000000000\" l_ld=\"0x7f0000001000\" lmid=\"0x400300\"/>"
#define LIB_C "<library name=\"/lib/c.so\" lm=\"0x4004c0\" l_addr=\"0x7f0000200000\" " \
	"l_ld=\"0x7f0000201000\" lmid=\"0x400300\"/>"
#define LIST_HEAD "<library-list-svr4 version=\"1.0\" main-lm=\"0x400400\">"
#define LIST_END "</library-list-svr4>"

/* The whole list, read in pieces of len bytes. */
static const char *read_svr4(size_t piece)
{
	static char doc[4096];
	size_t total = 0, n;
	char req[80];

	for (;;) {
		snprintf(req, sizeof req, "qXfer:libraries-svr4:read::%zx,%zx", total, piece);
		send_pkt(req, strlen(req));
		const char *r = reply(&n);
		ck_assert(r[0] == 'm' || r[0] == 'l');
		ck_assert_uint_le(n - 1, piece);
		ck_assert_uint_lt(total + n, sizeof doc);
		memcpy(doc + total, r + 1, n - 1);
		total += n - 1;
		if (r[0] == 'l')
			break;
	}
	doc[total] = '\0';
	return doc;
}

START_TEST(session_svr4)
{
	start_server();
	lay_out_link_map();
	handshake();
	ck_assert_str_eq(read_svr4(0x1000), LIST_HEAD LIB_A LIB_C LIST_END);
	/* In small pieces: the later ones come from the same text. */
	ck_assert_str_eq(read_svr4(7), LIST_HEAD LIB_A LIB_C LIST_END);
	/* A back link that disagrees ends the list there. */
	put64(0x4004c0 + 32, 0x400440);
	ck_assert_str_eq(read_svr4(0x1000), LIST_HEAD LIB_A LIST_END);
	put64(0x4004c0 + 32, 0x400480);
	/* A name cut short by the end of the memory: the readable part. */
	memcpy(fake.mem + GDB_FAKE_MEM_SIZE - 4, "/lib", 4);
	put64(0x4004c0 + 8, GDB_FAKE_MEM_BASE + GDB_FAKE_MEM_SIZE - 4);
	ck_assert_ptr_nonnull(strstr(read_svr4(0x1000), "<library name=\"/lib\" lm=\"0x4004c0\""));
	/* Before the dynamic linker filled DT_DEBUG (at the exec): empty. */
	put64(0x400218, 0);
	expect("qXfer:libraries-svr4:read::0,1000", "l<library-list-svr4 version=\"1.0\"/>");
	/* The incremental form (an annex) is not offered. */
	expect("qXfer:libraries-svr4:read:start=0:0,1000", "E02");
	send_pkt("D", 1);
	ck_assert_str_eq(reply(NULL), "OK");
	stop_server();
}
END_TEST

/* ---- Ctrl-C at the console, and the idle hook ------------------------- */

/* Waits for the server thread with a deadline: a server that never ends
 * fails the test instead of hanging it. */
static bool join_within_ms(pthread_t t, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return pthread_timedjoin_np(t, NULL, &ts) == 0;
}

static bool join_within(pthread_t t, int seconds)
{
	return join_within_ms(t, 1000L * seconds);
}


static volatile sig_atomic_t cancel_flag;
static int idle_pipe[2];

static int test_cancelled(void *arg)
{
	(void)arg;
	return cancel_flag;
}

static void test_idle(void *arg)
{
	(void)arg;
	ck_assert_int_eq(write(idle_pipe[1], "i", 1), 1);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The owner says "cancel" (cancel_flag) and signals the server thread, as
 * Ctrl-C at the console does, until the thread has ended (whatever it was
 * doing when the signal came, so signal again until it has). */
static void cancel_server(void)
{
	bool joined = false;

	cancel_flag = 1;
	for (int i = 0; i < 1000 && !joined; i++) {
		pthread_kill(server, SIGUSR1);
		joined = join_within_ms(server, 10);
	}
	ck_assert_msg(joined, "the server did not stop when cancelled");
}

START_TEST(session_cancel)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct gdb_serve_opts o = { .ops = &gdb_fake_ops, .be = &fake,
				    .cancelled = test_cancelled };

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	cancel_flag = 0;
	start_server_opts(&o);
	handshake();
	/* A signal the owner does not mean as a cancel: the session goes on. */
	pthread_kill(server, SIGUSR1);
	expect("qC", "QC4d2");
	/* One it means: the session ends. */
	cancel_server();
	close(cfd);
	ck_assert_int_eq(server_rc, 0);
	ck_assert_int_eq(server_end, GDB_END_CANCELLED);
}
END_TEST

START_TEST(session_idle)
{
	struct gdb_serve_opts o = { .ops = &gdb_fake_ops, .be = &fake, .idle = test_idle };
	char c;

	ck_assert_int_eq(pipe(idle_pipe), 0);
	start_server_opts(&o);
	handshake();
	/* gdb says nothing after a reply: the hook runs (once). */
	ck_assert_int_eq(read(idle_pipe[0], &c, 1), 1);
	expect("s", "T05thread:4d2;");
	ck_assert_int_eq(read(idle_pipe[0], &c, 1), 1);
	send_pkt("D", 1);
	ck_assert_str_eq(reply(NULL), "OK");
	stop_server();
	close(idle_pipe[0]);
	close(idle_pipe[1]);
}
END_TEST

/* One whole framed packet as it arrived, bytes the reader buffered first. */
static size_t raw_frame(char *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		while (cin_pos < cin_len && n < cap) {
			out[n++] = cin[cin_pos++];
			if (n >= 3 && out[n - 3] == '#')
				return n;
		}
		ssize_t got = read(cfd, cin, sizeof cin);
		ck_assert_int_gt(got, 0);
		cin_pos = 0;
		cin_len = (size_t)got;
	}
}

START_TEST(session_rle_and_kill)
{
	static char frame[4096], again[4096];

	start_server();
	/* In ack mode: the 'g' reply travels run-length encoded. */
	raw_send("$g#67", 5);
	ck_assert_int_eq(client_event(), RSP_EV_ACK);
	size_t n = raw_frame(frame, sizeof frame);
	ck_assert_int_eq(frame[0], '$');
	ck_assert_uint_lt(n, 2 * GDB_REGS_BYTES);
	ck_assert_ptr_nonnull(memchr(frame, '*', n));
	/* Not acknowledged: the server sends it again. */
	raw_send("-", 1);
	ck_assert_uint_eq(raw_frame(again, sizeof again), n);
	ck_assert_mem_eq(again, frame, n);
	raw_send("+", 1);
	raw_send("$k#6b", 5);
	ck_assert_int_eq(client_event(), RSP_EV_ACK);
	stop_server();
	ck_assert_int_eq(server_end, GDB_END_KILL);
}
END_TEST

/* ---- hostile input ---------------------------------------------------- */

/* Every packet kind with a number in it, with numbers at their extremes
 * (0, 1, 2^31-1, 2^31, 2^32, 2^63, 2^64-1, ranges that wrap): an error or
 * an answer that stays in bounds, and the session goes on. */
START_TEST(session_extremes)
{
	static const struct { const char *req, *want; } t[] = {
		{ "m0,ffffffffffffffff", "E03" }, { "mffffffffffffffff,ffffffffffffffff", "E03" },
		{ "mfffffffffffffff0,20", "E03" }, { "m7fffffff,80000000", "E03" },
		{ "m100000000,100000000", "E03" }, { "m8000000000000000,1", "E03" },
		{ "x0,ffffffffffffffff", "E03" }, { "xffffffffffffffff,1", "E03" },
		{ "p7fffffff", "E02" }, { "p80000000", "E02" }, { "pffff", "E02" },
		{ "Hg7fffffffffffffff", "E04" }, { "Hgffffffffffffffff", "E02" },
		{ "Hgp7fffffffffffffff.4d2", "E04" }, { "Hgp-1.-1", "OK" }, { "Hc80000000", "E04" },
		{ "T100000000", "E04" }, { "Tp4d2.ffffffff", "E04" },
		{ "vCont;c:7fffffffffffffff", "E04" }, { "vCont;s:p80000000.-1", "E04" },
		{ "vCont;C80", "E02" }, { "vCont;Cff", "E02" }, { "Cff", "E02" }, { "S8f", "E02" },
		{ "c0", "E01" }, { "cffffffffffffffff", "E01" }, { "C05;ffffffffffffffff", "E01" },
		{ "Z2,0,0", "E02" }, { "Z4,ffffffffffffffff,2", "E02" },
		{ "z3,fffffffffffffff0,11", "E02" }, { "Z9,0,1", "E02" },
		{ "Z1,ffffffffffffffff,ffffffffffffffff", "OK" },
		{ "z1,ffffffffffffffff,ffffffffffffffff", "OK" },
		{ "qXfer:features:read:target.xml:ffffffffffffffff,ffffffffffffffff", "l" },
		{ "qXfer:features:read:target.xml:0,0", "E02" },
		{ "qXfer:auxv:read::80000000,7fffffff", "l" },
		{ "qXfer:auxv:read::0,0", "E02" },
		{ "qXfer:exec-file:read:8000000000000000:0,10", "E02" },
		{ "qXfer:exec-file:read:ffffffff:0,10", "E04" },
		{ "qXfer:libraries-svr4:read::ffffffffffffffff,1", "l" },
		{ "D;ffffffffffffffff", "E02" }, { "D;7fffffffffffffff", "E04" },
		{ "vKill;80000000", "E04" }, { "vKill;p99", "E04" },
	};
	size_t n;
	const char *r;

	start_server();
	handshake();
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		send_pkt(t[i].req, strlen(t[i].req));
		r = reply(NULL);
		ck_assert_msg(strcmp(r, t[i].want) == 0, "%s: got \"%.40s\", want \"%s\"",
			      t[i].req, r, t[i].want);
	}
	/* Huge lengths are cut to what a reply holds (and to the memory). */
	send_pkt("m401000,ffffffffffffffff", strlen("m401000,ffffffffffffffff"));
	r = reply(&n);
	ck_assert_uint_eq(n, 2 * 0x1000);
	send_pkt("x400000,80000000", strlen("x400000,80000000"));
	r = reply(&n);
	ck_assert_uint_eq(n, 1 + GDB_FAKE_MEM_SIZE);
	send_pkt("qXfer:features:read:target.xml:0,ffffffffffffffff", strlen("qXfer:features:read:target.xml:0,ffffffffffffffff"));
	r = reply(&n);
	size_t want = gdb_target_xml_len < RSP_PACKET_SIZE ? gdb_target_xml_len : RSP_PACKET_SIZE;
	ck_assert_uint_eq(n, 1 + want);
	/* qRcmd longer than any command: refused; 1024 bytes are fine. */
	static char rc[8 + 2 * RSP_RCMD_MAX + 2];
	strcpy(rc, "qRcmd,");
	for (int k = 0; k < RSP_RCMD_MAX + 1; k++)
		memcpy(rc + 6 + 2 * k, "61", 2);
	send_pkt(rc, 6 + 2 * (RSP_RCMD_MAX + 1));
	ck_assert_str_eq(reply(NULL), "E02");
	send_pkt(rc, 6 + 2 * RSP_RCMD_MAX);
	expect_hex_console("unknown monitor command");
	expect_hex_console("\n");
	ck_assert_str_eq(reply(NULL), "E03");
	/* Broken bodies with a right checksum: a dangling escape, a run with
	 * nothing before it, a run count out of range. */
	static const char *const raw[] = { "$m0}#", "$*!m0,1#", "$m0,1*\x7f#" };
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		char f[32];
		size_t l = strlen(raw[i]);
		memcpy(f, raw[i], l);
		snprintf(f + l, sizeof f - l, "%02x", rsp_checksum(raw[i] + 1, l - 2));
		raw_send(f, l + 2);
		ck_assert_str_eq(reply(NULL), "E02");
	}
	/* A bad checksum without acks: dropped, and the next packet is read. */
	raw_send("$qC#00", 6);
	expect("qC", "QC4d2");
	expect("vKill;a410", "OK");	/* gdb's pid for a process without multiprocess */
	stop_server();
	ck_assert_int_eq(server_end, GDB_END_KILL);
}
END_TEST

/* A client that sends a megabyte without a '#': the server answers as soon
 * as the packet is too long and reads on (it used to wait for the '#'). */
START_TEST(session_flood)
{
	static char junk[1 << 20];

	start_server();
	handshake();
	memset(junk, 'a', sizeof junk);
	junk[0] = '$';
	raw_send(junk, sizeof junk);
	ck_assert_str_eq(reply(NULL), "E02");
	expect("qC", "QC4d2");
	/* The same in ack mode, in a new session. */
	send_pkt("D", 1);
	ck_assert_str_eq(reply(NULL), "OK");
	stop_server();
	start_server();
	raw_send(junk, sizeof junk);
	ck_assert_int_eq(client_event(), RSP_EV_ACK);
	ck_assert_str_eq(reply(NULL), "E02");
	expect("qC", "QC4d2");
	close(cfd);
	pthread_join(server, NULL);
	ck_assert_int_eq(server_end, GDB_END_DISCONNECT);
}
END_TEST

/* Many big requests, then the client hangs up or stops reading. */
static void send_many_reads(int count)
{
	char f[32];
	size_t n = rsp_frame(f, sizeof f, "m401000,1000", 12, false);

	/* The server may give up on us before we are done (that is what
	 * session_no_reader waits for): then the writes fail. */
	for (int i = 0; i < count; i++)
		if (send(cfd, f, n, MSG_NOSIGNAL) != (ssize_t)n)
			break;
}

START_TEST(session_no_reader)
{
	/* A client that never reads: the server's writes block, and after
	 * write_timeout_ms without progress it gives the client up. */
	struct gdb_serve_opts o = { .ops = &gdb_fake_ops, .be = &fake, .write_timeout_ms = 200 };

	start_server_opts(&o);
	handshake();
	send_many_reads(400);
	ck_assert_msg(join_within(server, 10), "the server waits for ever on a client that never reads");
	ck_assert_int_eq(server_rc, 0);
	ck_assert_int_eq(server_end, GDB_END_DISCONNECT);
	close(cfd);
}
END_TEST

START_TEST(session_hangup_mid_reply)
{
	/* A client that asks and goes away while the replies are written. */
	start_server();
	handshake();
	send_many_reads(400);
	shutdown(cfd, SHUT_RDWR);
	ck_assert(join_within(server, 10));
	ck_assert_int_eq(server_rc, 0);
	ck_assert_int_eq(server_end, GDB_END_DISCONNECT);
	close(cfd);
}
END_TEST

/* ---- one client after another on a listening socket ------------------ */

struct listener {
	int lfd;
	struct gdb_serve_opts o;
	struct gdb_listen_opts lo;
	int rc;
	enum gdb_end last;
	int nbegin, nend;
	enum gdb_end ends[8];
};

static int count_begin(void *arg, char *err, size_t errlen)
{
	(void)err; (void)errlen;
	((struct listener *)arg)->nbegin++;
	return 0;
}

static void count_end(void *arg, enum gdb_end end)
{
	struct listener *l = arg;
	if (l->nend < 8)
		l->ends[l->nend] = end;
	l->nend++;
}

static void *listen_thread(void *arg)
{
	struct listener *l = arg;
	char err[256];

	l->rc = gdb_serve_listener(l->lfd, &l->o, &l->lo, &l->last, err, sizeof err);
	return NULL;
}

/* Connects a new client (cfd) to the listener's port. */
static void client_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(cfd, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&a, sizeof a), 0);
	ackmode = true;
	cin_pos = cin_len = 0;
	rsp_reader_init(&crd);
}

static void start_listener(struct listener *l, bool once, int *port)
{
	char err[256];

	memset(l, 0, sizeof *l);
	gdb_fake_init(&fake);
	cancel_flag = 0;
	ck_assert_int_eq(gdb_listen(NULL, 0, &l->lfd, port, err, sizeof err), 0);
	l->o = (struct gdb_serve_opts){ .ops = &gdb_fake_ops, .be = &fake,
					.cancelled = test_cancelled };
	l->lo = (struct gdb_listen_opts){ .once = once, .begin = count_begin, .end = count_end,
					  .arg = l };
	ck_assert_int_eq(pthread_create(&server, NULL, listen_thread, l), 0);
}

START_TEST(listener_reconnect)
{
	static struct listener l;
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	int port;

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	start_listener(&l, false, &port);
	/* The first gdb moves the replay three steps and detaches. */
	client_connect(port);
	handshake();
	expect("s", "T05thread:4d2;");
	expect("s", "T05thread:4d2;");
	expect("s", "T05thread:4d2;");
	expect("D", "OK");
	close(cfd);
	/* A client that connects and hangs up without a word. */
	client_connect(port);
	close(cfd);
	/* The next one finds the replay where the first left it, goes back
	 * one step and goes away without detaching. */
	client_connect(port);
	handshake();
	expect("p0", "0300000000000000");
	expect("bs", "T05thread:4d2;");
	close(cfd);
	/* And the one after sees that. */
	client_connect(port);
	handshake();
	expect("p0", "0200000000000000");
	expect("vKill;a410", "OK");
	close(cfd);
	/* Still listening: the owner's Ctrl-C stops it. */
	client_connect(port);
	handshake();
	expect("qC", "QC4d2");
	cancel_server();
	close(cfd);
	ck_assert_int_eq(l.rc, 0);
	ck_assert_int_eq(l.last, GDB_END_CANCELLED);
	ck_assert_int_eq(l.nbegin, 5);
	ck_assert_int_eq(l.nend, 5);
	ck_assert_int_eq(l.ends[0], GDB_END_DETACH);
	ck_assert_int_eq(l.ends[1], GDB_END_DISCONNECT);
	ck_assert_int_eq(l.ends[2], GDB_END_DISCONNECT);
	ck_assert_int_eq(l.ends[3], GDB_END_KILL);
	ck_assert_int_eq(l.ends[4], GDB_END_CANCELLED);
	ck_assert_uint_eq(fake.pos, 2);
	close(l.lfd);

	/* Cancelled while waiting for a client. */
	start_listener(&l, false, &port);
	cancel_server();
	ck_assert_int_eq(l.rc, 0);
	ck_assert_int_eq(l.last, GDB_END_CANCELLED);
	ck_assert_int_eq(l.nbegin, 0);
	close(l.lfd);
}
END_TEST

START_TEST(listener_once)
{
	static struct listener l;
	int port;

	/* rr's way: the first client's end ends the server. */
	start_listener(&l, true, &port);
	client_connect(port);
	close(cfd);
	ck_assert(join_within(server, 10));
	ck_assert_int_eq(l.rc, 0);
	ck_assert_int_eq(l.last, GDB_END_DISCONNECT);
	ck_assert_int_eq(l.nend, 1);
	close(l.lfd);
}
END_TEST

START_TEST(listen_loopback)
{
	char err[256];
	int lfd, port;

	ck_assert(gdb_host_is_loopback(NULL));
	ck_assert(gdb_host_is_loopback("127.0.0.1"));
	ck_assert(gdb_host_is_loopback("::1"));
	ck_assert(gdb_host_is_loopback("localhost"));
	ck_assert(!gdb_host_is_loopback("0.0.0.0"));
	ck_assert(!gdb_host_is_loopback("192.168.1.2"));
	ck_assert_int_eq(gdb_listen(NULL, 0, &lfd, &port, err, sizeof err), 0);
	ck_assert_int_gt(port, 0);
	close(lfd);
	ck_assert_int_eq(gdb_listen(NULL, 70000, &lfd, &port, err, sizeof err), -1);
	ck_assert_int_eq(gdb_listen("no.such.host.invalid", 0, &lfd, &port, err, sizeof err), -1);
	struct gdb_backend none = { 0 };
	struct gdb_serve_opts opts = { .ops = &none };
	enum gdb_end end;
	ck_assert_int_eq(gdb_serve(0, &opts, &end, err, sizeof err), -1);
	ck_assert_str_eq(err, "gdb server: incomplete backend");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gdbrsp");
	TCase *p = tcase_create("protocol");
	TCase *v = tcase_create("server");

	tcase_add_test(p, checksum_and_frame);
	tcase_add_test(p, escape_round_trip);
	tcase_add_test(p, rle_round_trip);
	tcase_add_test(p, hex);
	tcase_add_test(p, reader_events);
	tcase_add_test(p, parse_simple);
	tcase_add_test(p, parse_malformed);
	tcase_add_test(p, parse_args);
	tcase_add_test(p, stop_replies);
	tcase_add_test(p, xfer_chunks);
	tcase_add_test(p, signals);
	tcase_add_test(p, target_description);
	tcase_add_test(p, regs_from_user);
	tcase_add_test(v, session_queries);
	tcase_add_test(v, session_execution);
	tcase_add_test(v, session_qxfer);
	tcase_add_test(v, session_rle_and_kill);
	tcase_add_test(v, session_svr4);
	tcase_add_test(v, session_cancel);
	tcase_add_test(v, session_idle);
	tcase_add_test(v, session_extremes);
	tcase_add_test(v, session_flood);
	tcase_add_test(v, session_no_reader);
	tcase_add_test(v, session_hangup_mid_reply);
	tcase_add_test(v, listener_reconnect);
	tcase_add_test(v, listener_once);
	tcase_add_test(v, listen_loopback);
	tcase_set_timeout(v, 30);
	suite_add_tcase(s, p);
	suite_add_tcase(s, v);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
