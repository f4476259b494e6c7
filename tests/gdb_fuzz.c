/*
 * gdb_fuzz.c — a fuzz target for the gdb remote-protocol layer
 * (cmds/gdb_rsp.c): whatever bytes gdb (or anyone who reaches the port)
 * sends go through the reader, the parser and back out through the framing,
 * and none of it may read or write out of bounds or break an invariant.
 *
 * Built two ways. With clang -fsanitize=fuzzer,address it is a libFuzzer
 * target (tests/gdb_fuzz.sh). With -DGDB_FUZZ_MAIN it has its own main: a
 * deterministic driver that mutates a seed corpus of real packets with a
 * fixed-seed generator, so the same checks run under the normal build and
 * under valgrind, with no clang needed.
 *
 * With -DGDB_FUZZ_SERVER the same bytes go to the whole server instead
 * (cmds/gdb_server.c over the scripted fake backend, tests/gdb_fake.c):
 * one session per input, over a socketpair, with a thread that drains the
 * replies. That reaches what the packet layer alone does not: the
 * handlers, the qXfer objects, the library-list walk, the ack/no-ack
 * states, the resends. The session must end by itself when the input ends.
 */
#include "cmds/gdb_rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef GDB_FUZZ_SERVER
#include "cmds/gdb_server.h"
#include "tests/gdb_fake.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "gdb_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

#ifndef GDB_FUZZ_SERVER
static struct rsp_reader rd;
static struct rsp_packet pkt;
static char framed[RSP_FRAMED_MAX(RSP_PAYLOAD_MAX)];
static char back[RSP_PAYLOAD_MAX];
static char reply[RSP_PACKET_SIZE + 64];

static void check_packet(const char *p, size_t len)
{
	char err[128];
	int rc = rsp_parse(p, len, &pkt, err, sizeof err);

	CHECK((rc == -1) == (pkt.kind == RSP_MALFORMED));
	CHECK(rc == 0 || err[0]);
	if (pkt.kind == RSP_VCONT)
		CHECK(pkt.nactions > 0 && pkt.nactions <= RSP_VCONT_MAX);
	if (pkt.kind == RSP_QRCMD)
		CHECK(pkt.rcmd_len <= RSP_RCMD_MAX && strlen(pkt.rcmd) == pkt.rcmd_len);
	if (pkt.kind == RSP_QXFER_READ)
		CHECK(strlen(pkt.object) < RSP_NAME_MAX && strlen(pkt.annex) < RSP_NAME_MAX);
	if (pkt.kind == RSP_INSERT_BP || pkt.kind == RSP_REMOVE_BP)
		CHECK(pkt.bp_type >= 0 && pkt.bp_type <= 4);

	/* Whatever came in must survive a trip through our own framing. */
	for (int rle = 0; rle < 2; rle++) {
		size_t n = rsp_frame(framed, sizeof framed, p, len, rle);
		CHECK(n != (size_t)-1 && framed[0] == '$' && framed[n - 3] == '#');
		size_t m = rsp_decode_body(back, sizeof back, framed + 1, n - 4);
		CHECK(m == len && memcmp(back, p, len) == 0);
	}
}

#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef GDB_FUZZ_SERVER
static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];

	while (read(fd, buf, sizeof buf) > 0)
		;
	return NULL;
}

static struct gdb_fake fake;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	pthread_t t;
	enum gdb_end end;
	char err[256];
	const struct gdb_serve_opts opts = { .ops = &gdb_fake_ops, .be = &fake };

	gdb_fake_init(&fake);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	/* The whole input is gdb's side of the session: it fits in the
	 * socket's buffer (max_len is 4096), then gdb hangs up. */
	CHECK(write(sv[0], data, size) == (ssize_t)size);
	CHECK(shutdown(sv[0], SHUT_WR) == 0);
	CHECK(pthread_create(&t, NULL, drain, &sv[0]) == 0);
	int rc = gdb_serve(sv[1], &opts, &end, err, sizeof err);
	close(sv[1]);
	pthread_join(t, NULL);
	close(sv[0]);
	CHECK(rc == 0);
	CHECK(end == GDB_END_DISCONNECT || end == GDB_END_DETACH || end == GDB_END_KILL);
	CHECK(fake.pos < GDB_FAKE_N);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0, used;

	/* As a payload, straight into the parser. */
	if (size <= RSP_PAYLOAD_MAX)
		check_packet((const char *)data, size);

	/* As a byte stream, in uneven pieces, through the reader. */
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
		size_t n = rsp_format_stop(reply, sizeof reply, &st, (int64_t)(b >> 1), data[1]);
		CHECK(n != (size_t)-1 && n < sizeof reply);
		n = rsp_xfer_reply(reply, sizeof reply, data, size, a % (size + 8), b % 0x5000);
		CHECK(n == (size_t)-1 || (n >= 1 && n <= sizeof reply));
		CHECK(rsp_signal_to_gdb((int)(a % 200) - 50) >= 0);
	}
	return 0;
}
#endif

#ifdef GDB_FUZZ_MAIN
/* Packets gdb really sends, to mutate from. */
static const char *const seeds[] = {
	"$qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;xmlRegisters=i386#6a",
	"+$QStartNoAckMode#b0", "$?#3f", "$g#67", "$p10#d1", "$m401000,40#f7",
	"$x7ffe0000,100#00", "$M401000,2:9090#00", "$X0,1:}\x03#00", "$Hg0#df", "$Hc-1#09",
	"$Hgp4d2.4d2#00", "$T4d2#00", "$qC#b4", "$qfThreadInfo#bb", "$qsThreadInfo#c8",
	"$qAttached:4d2#00", "$qOffsets#4b", "$vCont?#49", "$vCont;s:p4d2.4d2;c#00",
	"$vCont;C0b:4d2#00", "$c#63", "$C05;401000#00", "$s#73", "$bc#c5", "$bs#d5",
	"$Z0,401020,1#00", "$z2,400800,8;X1,0#00", "$Z4,7ffe0010,4#00", "$vKill;a410#00",
	"$D;4d2#00", "$k#6b", "$qRcmd,7768656e#00", "$qRcmd,7365656b203132#00",
	"$qXfer:features:read:target.xml:0,ffb#00", "$qXfer:auxv:read::0,1000#00",
	"$qXfer:exec-file:read:4d2:0,fff#00", "$qSymbol::#5b", "$vMustReplyEmpty#3a",
	"$0*&#00", "$a}]*\"#00", "\x03", "-", "$qTStatus#49",
	"$qXfer:libraries-svr4:read::0,fff#00", "$Z2,400800,8#00", "$Z3,400800,8#00",
	"$m400800,8#00", "$qRcmd,636865636b706f696e74#00", "$qRcmd,7265737461727420#00",
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

int main(int argc, char **argv)
{
	static uint8_t buf[4096];
#ifdef GDB_FUZZ_SERVER
	long runs = argc > 1 ? atol(argv[1]) : 20000;	/* a session each: slower */
#else
	long runs = argc > 1 ? atol(argv[1]) : 200000;
#endif
	const size_t nseeds = sizeof seeds / sizeof seeds[0];

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
				buf[i] = x % 3 == 0 ? (uint8_t)"$#}*,:;-+0123456789abcdefp."[x % 27]
						    : (uint8_t)(x >> 8);
			}
		} else {
			/* A few seeds glued together, then mutated. */
			int k = 1 + (int)(how >> 8) % 3;
			for (int j = 0; j < k; j++) {
				const char *s = seeds[next() % nseeds];
				size_t n = strlen(s);
				if (len + n > sizeof buf / 2)
					break;
				memcpy(buf + len, s, n);
				len += n;
			}
			int muts = 1 + (int)(next() % 6);
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
		/* Make the checksum right half of the time, so mutated packets
		 * get past the reader and into the parser. */
		if (how & (1ull << 60)) {
			uint8_t *d = memchr(buf, '$', len), *h;
			if (d && (h = memchr(d, '#', len - (size_t)(d - buf))) &&
			    h + 2 < buf + len) {
				char cs[3];
				snprintf(cs, sizeof cs, "%02x", rsp_checksum(d + 1, (size_t)(h - d - 1)));
				h[1] = (uint8_t)cs[0];
				h[2] = (uint8_t)cs[1];
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
#ifdef GDB_FUZZ_SERVER
	printf("gdb_fuzz (server): %ld sessions, no findings\n", runs);
#else
	printf("gdb_fuzz: %ld runs, no findings\n", runs);
#endif
	return 0;
}
#endif
