/*
 * gdb_fuzz.c — fuzz targets for the gdb remote-protocol server: whatever
 * bytes gdb (or anyone who reaches the port) sends may not read or write
 * out of bounds, crash, hang or break an invariant.
 *
 * Three targets from this one file:
 *  - the packet layer alone (cmds/gdb_rsp.c: reader, parser, framing), the
 *    default;
 *  - -DGDB_FUZZ_SERVER: the whole server (cmds/gdb_server.c) over the
 *    scripted fake backend (tests/gdb_fake.c), one session per input over a
 *    socketpair, a thread draining the replies: the handlers, the qXfer
 *    objects, the library-list walk, the ack states, the resends;
 *  - -DGDB_FUZZ_REPLAY: the whole server over the real backend
 *    (cmds/gdb_backend.c) on a real replay (the trace named by
 *    $GDB_FUZZ_TRACE), where the engine's side of each packet runs too: the
 *    watchpoint ranges, the motions, the monitor commands. Each input starts
 *    from the trace's first position, so a finding replays alone.
 *
 * Numbers at their extremes. Random bytes rarely spell 2^64-1, so an input
 * may name the numbers that break code: "%X" (X a hex digit) stands for the
 * hex digits of extremes[X] (0, 1, 2, 2^31-1, 2^31, 2^32-1, 2^32, 2^63-1,
 * 2^63, 2^64-1, an address 16 below the top so that +len wraps, 32, the
 * PacketSize, one more, a mapped address, a page), and "%dX" for the hex of
 * its decimal text (a monitor command's number). In the server targets
 * every packet's checksum is made right, so mutated packets reach the
 * handlers (an input that starts with '!' goes raw, to reach the bad
 * checksum paths). libFuzzer mutates one digit to move between extremes;
 * the seeds (printed with --seeds DIR) hold every packet kind with such
 * fields.
 *
 * Built two ways. With clang -fsanitize=fuzzer,address it is a libFuzzer
 * target (tests/gdb_fuzz.sh). With -DGDB_FUZZ_MAIN it has its own main: a
 * deterministic driver that glues seeds and templates filled with extremes
 * and mutates them with a fixed-seed generator, so the same checks run
 * under the normal build, under valgrind, with no clang needed.
 */
#include "cmds/gdb_rsp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(GDB_FUZZ_SERVER) || defined(GDB_FUZZ_REPLAY)
#define FUZZ_SESSION 1
#include "cmds/gdb_server.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#ifdef GDB_FUZZ_SERVER
#include "tests/gdb_fake.h"
#endif
#ifdef GDB_FUZZ_REPLAY
#include "cmds/gdb_backend.h"
#include "core/core.h"
#endif

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "gdb_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- numbers at their extremes ------------------------------------------ */

static uint64_t extremes[16] = {
	0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0xfffffffffffffff0ull, 0x20, RSP_PACKET_SIZE, RSP_PACKET_SIZE + 1,
	0x400800 /* the fake's watched global; the replay's stack pointer */, 0x1000,
};

/* The input with "%X" / "%dX" expanded and, unless it starts with '!',
 * every "$...#" followed by its right checksum (in place of the next two
 * input bytes). Returns the length; out holds at most cap bytes. */
static size_t expand(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 0, body = 0;
	bool raw = n > 0 && in[0] == '!', inpkt = false;
	char num[48];

#define PUT(c) do { if (o < cap) out[o++] = (uint8_t)(c); } while (0)
	for (size_t i = raw; i < n; i++) {
		uint8_t c = in[i];
		int x = i + 1 < n ? rsp_hexval(in[i + 1]) : -1;
		if (c == '%' && x >= 0) {
			snprintf(num, sizeof num, "%" PRIx64, extremes[x]);
			for (char *p = num; *p; p++)
				PUT(*p);
			i++;
			continue;
		}
		if (c == '%' && i + 2 < n && in[i + 1] == 'd' && (x = rsp_hexval(in[i + 2])) >= 0) {
			snprintf(num, sizeof num, "%" PRIu64, extremes[x]);
			for (char *p = num; *p; p++) {
				PUT("0123456789abcdef"[(uint8_t)*p >> 4]);
				PUT("0123456789abcdef"[*p & 15]);
			}
			i += 2;
			continue;
		}
		PUT(c);
		if (raw)
			continue;
		if (c == '$') {
			inpkt = true;
			body = o;
		} else if (c == '#' && inpkt && o <= cap) {
			char sum[3];
			snprintf(sum, sizeof sum, "%02x", rsp_checksum(out + body, o - 1 - body));
			PUT(sum[0]);
			PUT(sum[1]);
			inpkt = false;
			i += 2;	/* the input's own two digits */
		}
	}
#undef PUT
	return o;
}

/* ---- the packet layer --------------------------------------------------- */

#ifndef FUZZ_SESSION
static struct rsp_reader rd;
static struct rsp_packet pkt;
static char framed[RSP_FRAMED_MAX(RSP_PAYLOAD_MAX)];
static char back[RSP_PAYLOAD_MAX];
static char reply[RSP_PACKET_SIZE + 64];
static uint8_t wide[8 * 4096 + 64];

static void check_packet(const char *p, size_t len)
{
	char err[128];
	int rc = rsp_parse(p, len, &pkt, err, sizeof err);

	CHECK((rc == -1) == (pkt.kind == RSP_MALFORMED));
	CHECK(rc == 0 || err[0]);
	if (pkt.kind == RSP_VCONT) {
		CHECK(pkt.nactions > 0 && pkt.nactions <= RSP_VCONT_MAX);
		for (int i = 0; i < pkt.nactions; i++)
			CHECK(pkt.actions[i].tid.tid >= -1 && pkt.actions[i].tid.pid >= -1 &&
			      pkt.actions[i].gdb_signo >= 0 && pkt.actions[i].gdb_signo <= 0xff);
	}
	if (pkt.kind == RSP_QRCMD)
		CHECK(pkt.rcmd_len <= RSP_RCMD_MAX && strlen(pkt.rcmd) == pkt.rcmd_len);
	if (pkt.kind == RSP_QXFER_READ)
		CHECK(strlen(pkt.object) < RSP_NAME_MAX && strlen(pkt.annex) < RSP_NAME_MAX);
	if (pkt.kind == RSP_INSERT_BP || pkt.kind == RSP_REMOVE_BP) {
		CHECK(pkt.bp_type >= 0 && pkt.bp_type <= 4);
		/* A watched range has a byte and does not wrap. */
		if (pkt.bp_type >= 2)
			CHECK(pkt.len > 0 && pkt.addr + (pkt.len - 1) >= pkt.addr);
	}
	if (pkt.kind == RSP_READ_REG)
		CHECK(pkt.regno >= 0 && pkt.regno <= 0xffff);
	if (pkt.has_tid)
		CHECK(pkt.tid.tid >= -1 && pkt.tid.pid >= -1);
	if (pkt.kind == RSP_CONTINUE || pkt.kind == RSP_STEP)
		CHECK(pkt.gdb_signo >= 0 && pkt.gdb_signo <= 0xff);

	/* Whatever came in must survive a trip through our own framing. */
	for (int rle = 0; rle < 2; rle++) {
		size_t n = rsp_frame(framed, sizeof framed, p, len, rle);
		CHECK(n != (size_t)-1 && framed[0] == '$' && framed[n - 3] == '#');
		size_t m = rsp_decode_body(back, sizeof back, framed + 1, n - 4);
		CHECK(m == len && memcmp(back, p, len) == 0);
	}
}

/* The bytes as a stream, in uneven pieces, through the reader. */
static void check_stream(const uint8_t *data, size_t size)
{
	size_t pos = 0, used;

	rsp_reader_init(&rd);
	while (pos < size) {
		size_t piece = 1 + (data[pos] % 61);
		if (piece > size - pos)
			piece = size - pos;
		enum rsp_event ev = rsp_reader_feed(&rd, data + pos, piece, &used);
		CHECK(used >= 1 && used <= piece);
		pos += used;
		if (ev == RSP_EV_PACKET) {
			CHECK(rd.paylen <= RSP_PAYLOAD_MAX && rd.payload[rd.paylen] == '\0');
			check_packet(rd.payload, rd.paylen);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* As a payload, straight into the parser; as a stream; and both
	 * again with the extremes expanded. */
	if (size <= RSP_PAYLOAD_MAX)
		check_packet((const char *)data, size);
	check_stream(data, size);
	size_t n = expand(data, size, wide, sizeof wide);
	if (n <= RSP_PAYLOAD_MAX)
		check_packet((const char *)wide, n);
	check_stream(wide, n);

	/* Replies built from the input's numbers stay in bounds. */
	if (size >= 16) {
		struct rsp_stop st;
		uint64_t a, b;
		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		st.kind = (enum rsp_stop_kind)(data[0] % (RSP_STOP_KILLED + 1));
		st.signo = (int)(a % 70);
		st.status = (int)b;
		st.addr = a ^ b;
		size_t m = rsp_format_stop(reply, sizeof reply, &st, (int64_t)(b >> 1), data[1]);
		CHECK(m != (size_t)-1 && m < sizeof reply);
		/* Offsets and lengths at their extremes too. */
		uint64_t off = data[2] & 1 ? extremes[data[2] >> 4] : a % (size + 8);
		uint64_t len = data[3] & 1 ? extremes[data[3] >> 4] : b % 0x5000;
		m = rsp_xfer_reply(reply, sizeof reply, data, size, off, len);
		CHECK(m == (size_t)-1 || (m >= 1 && m <= sizeof reply));
		CHECK(rsp_signal_to_gdb((int)(a % 200) - 50) >= 0);
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	return 0;
}
#endif

/* ---- a whole session ---------------------------------------------------- */

#ifdef FUZZ_SESSION
/* The input after expand(): at most 8 times the input, which libFuzzer
 * keeps to 4096 bytes; it must fit the socketpair's buffer, since it is
 * all written before the server starts. */
static uint8_t session[8 * 4096 + 64];

static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];

	while (read(fd, buf, sizeof buf) > 0)
		;
	return NULL;
}

/* Serves the input as gdb's side of one session, which must end by itself
 * when the input ends (gdb hangs up). serve() runs the server on its end. */
static enum gdb_end run_session(const uint8_t *data, size_t size,
				int (*serve)(int fd, enum gdb_end *end))
{
	int sv[2];
	pthread_t t;
	enum gdb_end end = GDB_END_DISCONNECT;
	size_t n = expand(data, size, session, sizeof session);

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(write(sv[0], session, n) == (ssize_t)n);
	CHECK(shutdown(sv[0], SHUT_WR) == 0);
	CHECK(pthread_create(&t, NULL, drain, &sv[0]) == 0);
	int rc = serve(sv[1], &end);
	close(sv[1]);
	pthread_join(t, NULL);
	close(sv[0]);
	CHECK(rc == 0);
	CHECK(end == GDB_END_DISCONNECT || end == GDB_END_DETACH || end == GDB_END_KILL);
	return end;
}
#endif

#ifdef GDB_FUZZ_SERVER
static struct gdb_fake fake;

static int serve_fake(int fd, enum gdb_end *end)
{
	char err[256];
	const struct gdb_serve_opts opts = { .ops = &gdb_fake_ops, .be = &fake };

	return gdb_serve(fd, &opts, end, err, sizeof err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gdb_fake_init(&fake);
	run_session(data, size, serve_fake);
	CHECK(fake.pos < GDB_FAKE_N);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	return 0;
}
#endif

#ifdef GDB_FUZZ_REPLAY
static struct tl *tl;
static struct gdb_replay *rep;
static struct tl_pos start;
static struct gdb_replay_opts ropts;

/* $GDB_FUZZ_VERBOSE: the packets on stderr, to read a finding. */
static void trace_packet(void *ctx, const char *dir, const char *payload, size_t len)
{
	(void)ctx;
	fprintf(stderr, "%s %.*s\n", dir, (int)(len > 200 ? 200 : len), payload);
}

static int serve_replay(int fd, enum gdb_end *end)
{
	char err[CORE_ERRLEN];

	return gdb_replay_serve_fd(rep, fd, end, err, sizeof err);
}

/* Opens the trace once ($GDB_FUZZ_TRACE); every input starts at its first
 * position. The stack pointer there is the "mapped address" extreme. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("GDB_FUZZ_TRACE");
	char err[CORE_ERRLEN];
	struct user_regs_struct r;

	(void)argc; (void)argv;
	if (getenv("GDB_FUZZ_VERBOSE"))
		ropts.log = trace_packet;
	if (!dir) {
		fprintf(stderr, "gdb_fuzz: set GDB_FUZZ_TRACE to a trace folder\n");
		exit(2);
	}
	if (tl_open(dir, NULL, &tl, err, sizeof err) < 0 ||
	    gdb_replay_new(tl, &ropts, &rep, err, sizeof err) < 0) {
		fprintf(stderr, "gdb_fuzz: %s: %s\n", dir, err);
		exit(2);
	}
	start = tl_position(tl);
	if (tl_get_regs(tl, &r, err, sizeof err) == 0)
		extremes[14] = r.rsp & ~0xfffull;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CORE_ERRLEN];
	struct tl_stop st;
	struct tl_ck_info ck[64];
	struct user_regs_struct r;
	struct tl_pos now = tl_position(tl);

	if (tl_position_cmp(&now, &start) != 0)
		CHECK(tl_seek(tl, &start, &st, err, sizeof err) == 0);
	run_session(data, size, serve_replay);
	/* The session left a timeline that works, inside the recording. */
	now = tl_position(tl);
	CHECK(now.event <= trace_nevents(tl_trace(tl)));
	CHECK(tl_at_end(tl, NULL) || tl_get_regs(tl, &r, err, sizeof err) == 0);
	/* The checkpoints gdb made (monitor checkpoint) are processes. */
	int n = tl_ck_list(tl, ck, 64);
	for (int i = 0; i < n && i < 64; i++)
		if (ck[i].user)
			CHECK(tl_ck_delete(tl, ck[i].id, err, sizeof err) == 0);
	return 0;
}
#endif

/* ---- the deterministic driver and the seeds ----------------------------- */

#ifdef GDB_FUZZ_MAIN
/* Whole packets gdb 13 really sends (from a session on a real replay:
 * tests/gdb_replay_server -v), framed; "#00" is made right by expand(). */
static const char *const seeds[] = {
	"$qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;"
	"exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;"
	"xmlRegisters=i386#00",
	"+$QStartNoAckMode#b0", "$?#3f", "$g#67", "$p10#d1", "$m401000,40#f7",
	"$x7ffe0000,100#00", "$M401000,2:9090#00", "$X0,1:}\x03#00", "$Hg0#df", "$Hc-1#09",
	"$Hc0#00", "$Hgp4d2.4d2#00", "$T4d2#00", "$qC#b4", "$qfThreadInfo#bb",
	"$qsThreadInfo#c8", "$qAttached:4d2#00", "$qAttached#00", "$qOffsets#4b",
	"$vCont?#49", "$vCont;s:p4d2.4d2;c#00", "$vCont;s:70e2;c#00", "$vCont;s:70e2#00",
	"$vCont;C0b:4d2#00", "$vCont;c#00", "$c#63", "$C05;401000#00", "$s#73", "$bc#c5",
	"$bs#d5", "$Z0,401020,1#00", "$z2,400800,8;X1,0#00", "$Z4,7ffe0010,4#00",
	"$Z1,555555555217,1#00", "$Z2,55555555a2b0,1#00", "$Z3,55555555a2c0,4#00",
	"$vKill;a410#00", "$D;4d2#00", "$D#00", "$k#6b", "$qRcmd,7768656e#00",
	"$qRcmd,7365656b203132#00", "$qXfer:features:read:target.xml:0,1000#00",
	"$qXfer:features:read:target.xml:1000,1000#00", "$qXfer:auxv:read::0,1000#00",
	"$qXfer:exec-file:read::0,1000#00", "$qXfer:exec-file:read:4d2:0,fff#00",
	"$qXfer:libraries-svr4:read::0,1000#00", "$qSymbol::#5b", "$vMustReplyEmpty#3a",
	"$vFile:setfs:0#00", "$vFile:open:6a7573742070726f62696e67,0,1c0#00", "$qTStatus#49",
	"$0*&#00", "$a}]*\"#00", "\x03", "-", "$m400800,8#00", "$m555555554040,2d8#00",
	"$qRcmd,636865636b706f696e74#00", "$qRcmd,7265737461727420#00",
	"$qRcmd,636865636b706f696e7473#00", "$qRcmd,68656c70#00",
};

/* Every packet kind with a number in it, the numbers as extremes: the
 * driver fills each %. with a random digit, libFuzzer mutates them. */
static const char *const templates[] = {
	"$m%.,%.#00", "$x%.,%.#00", "$p%.#00", "$P%.=00#00", "$M%.,%.:00#00",
	"$X%.,%.:#00", "$Z0,%.,%.#00", "$Z1,%.,%.#00", "$Z2,%.,%.#00", "$Z3,%.,%.#00",
	"$Z4,%.,%.#00", "$z2,%.,%.#00", "$z4,%.,%.#00", "$Z2,%e,%.#00", "$Z3,%a,%.#00",
	"$Hg%.#00", "$Hcp%..%.#00", "$T%.#00", "$Tp%..-1#00", "$vCont;c:%.#00",
	"$vCont;s:p%..%.#00", "$vCont;C%.#00", "$C%.#00", "$S%.;%.#00", "$c%.#00",
	"$s%.#00", "$D;%.#00", "$vKill;%.#00", "$qAttached:%.#00",
	"$qXfer:features:read:target.xml:%.,%.#00", "$qXfer:auxv:read::%.,%.#00",
	"$qXfer:exec-file:read:%.:%.,%.#00", "$qXfer:libraries-svr4:read::%.,%.#00",
	"$qRcmd,7365656b20%d.#00",		/* seek N */
	"$qRcmd,7265737461727420%d.#00",	/* restart N */
	"$qRcmd,7365656b2020%d.2020#00",	/* seek  N  */
	"$m%a,%b#00", "$Z2,%a,%b#00", "$qXfer:auxv:read::%9,%9#00",
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	/* xorshift64*: fixed seed, so every run tries the same inputs. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

/* Appends a template with each "%." and "%d." given a random extreme. */
static size_t put_template(uint8_t *buf, size_t len, size_t cap, const char *t)
{
	for (const char *s = t; *s && len + 1 < cap; s++) {
		bool slot = *s == '.' && s > t && (s[-1] == '%' || (s[-1] == 'd' && s - 1 > t &&
								    s[-2] == '%'));
		buf[len++] = slot ? (uint8_t)"0123456789abcdef"[next() % 16] : (uint8_t)*s;
	}
	return len;
}

/* The seeds and templates as a corpus for libFuzzer: one file each, and a
 * few whole sessions (the handshake, then work). */
static int write_seeds(const char *dir)
{
	static uint8_t buf[4096];
	char path[4096];
	int k = 0;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return perror(dir), 1;
#define WRITE(data, len) do { \
	snprintf(path, sizeof path, "%s/seed-%03d", dir, k++); \
	FILE *f = fopen(path, "wb"); \
	if (!f || fwrite((data), 1, (len), f) != (len) || fclose(f)) \
		return perror(path), 1; } while (0)
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		WRITE(seeds[i], strlen(seeds[i]));
	for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
		for (int j = 0; j < 3; j++) {
			size_t len = put_template(buf, 0, sizeof buf, templates[i]);
			WRITE(buf, len);
		}
	static const char *const sessions[] = {
		"$qSupported:swbreak+;hwbreak+;vContSupported+#00+$QStartNoAckMode#00"
		"$?#00$g#00$m%e,10#00$Z0,401020,1#00$vCont;c#00$bc#00"
		"$qXfer:libraries-svr4:read::0,fff#00$qXfer:auxv:read::0,8#00"
		"$qRcmd,636865636b706f696e74#00$Z2,%e,8#00$bs#00$s#00$D#00",
		"+$Z2,%e,%b#00+$c#00+$bs#00+$qRcmd,7365656b20%d1#00+$s#00+$x%e,8#00+$k#00",
		"$QStartNoAckMode#00$Z2,0,%9#00$Z3,0,%9#00$Z4,0,%9#00$Z2,%7,%8#00$c#00$D#00",
	};
	for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++)
		WRITE(sessions[i], strlen(sessions[i]));
#undef WRITE
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[4096];
	long runs;
	const size_t nseeds = sizeof seeds / sizeof seeds[0];
	const size_t ntemplates = sizeof templates / sizeof templates[0];

	if (argc > 2 && strcmp(argv[1], "--seeds") == 0)
		return write_seeds(argv[2]);
	LLVMFuzzerInitialize(&argc, &argv);
#if defined(GDB_FUZZ_REPLAY)
	runs = 300;	/* a replay each: the slowest */
#elif defined(GDB_FUZZ_SERVER)
	runs = 20000;	/* a session each */
#else
	runs = 200000;
#endif
	if (argc > 1)
		runs = atol(argv[1]);
	for (size_t i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)seeds[i], strlen(seeds[i]));
	for (long r = 0; r < runs; r++) {
		size_t len = 0;
		uint64_t how = next();
		if (how % 8 == 0) {
			/* Pure noise, biased towards protocol characters. */
			len = next() % 300;
			for (size_t i = 0; i < len; i++) {
				uint64_t x = next();
				buf[i] = x % 3 == 0 ? (uint8_t)"$#}*,:;-+0123456789abcdefp.%"[x % 28]
						    : (uint8_t)(x >> 8);
			}
		} else {
			/* A few seeds and templates glued together, then mutated
			 * (sometimes raw, with the checksums as they are). */
			if (how & (1ull << 61))
				buf[len++] = '!';
			int k = 1 + (int)(how >> 8) % 4;
			for (int j = 0; j < k; j++) {
				uint64_t x = next();
				const char *s = x % 3 ? templates[(x >> 8) % ntemplates]
						      : seeds[(x >> 8) % nseeds];
				if (len + strlen(s) + 16 > sizeof buf / 2)
					break;
				len = put_template(buf, len, sizeof buf, s);
			}
			int muts = (int)(next() % 4);
			for (int m = 0; m < muts && len > 0; m++) {
				uint64_t x = next();
				size_t at = (size_t)(x >> 8) % len;
				switch (x % 5) {
				case 0: buf[at] ^= (uint8_t)(1u << (x >> 40) % 8); break;
				case 1: buf[at] = (uint8_t)(x >> 32); break;
				case 2: len = at; break;	/* truncate */
				case 3:	/* duplicate a stretch */
					if (len * 2 < sizeof buf) {
						size_t n = len - at;
						memmove(buf + at + n, buf + at, len - at);
						len += n;
					}
					break;
				case 4:	/* delete a byte */
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
					break;
				}
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
#if defined(GDB_FUZZ_REPLAY)
	printf("gdb_fuzz (replay): %ld sessions, no findings\n", runs);
#elif defined(GDB_FUZZ_SERVER)
	printf("gdb_fuzz (server): %ld sessions, no findings\n", runs);
#else
	printf("gdb_fuzz: %ld runs, no findings\n", runs);
#endif
	return 0;
}
#endif
