/*
 * gdb_bench.c — round trips per second through the gdb server, for
 * bench/gdb_fuzz.sh (not a test): connects to 127.0.0.1:PORT as gdb would
 * (qSupported, QStartNoAckMode), then times a few kinds of requests, each
 * sent and answered ROUNDS times in a row, one outstanding at a time as
 * gdb does:
 *
 *   g        all registers
 *   m        64 bytes of memory at the pc the 'g' reply gave
 *   xfer     the whole target description in PacketSize pieces
 *   Z0/z0    a breakpoint inserted and removed (two packets a round)
 *   s/bs     one stepi forward and one back (two packets a round: the
 *            engine's cost shows here, the server's elsewhere)
 *
 * and prints "KIND: N packets/s (ROUNDS rounds in T s)". Then detaches.
 *
 *   tests/gdb_bench PORT [ROUNDS] [KIND...]
 */
#include "cmds/gdb_rsp.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fd;
static bool noack;
static struct rsp_reader rd;
static uint8_t in[65536];
static size_t inpos, inlen;

static void die(const char *what)
{
	fprintf(stderr, "gdb_bench: %s\n", what);
	exit(1);
}

static enum rsp_event next_event(void)
{
	for (;;) {
		if (inpos < inlen) {
			size_t used;
			enum rsp_event ev = rsp_reader_feed(&rd, in + inpos, inlen - inpos, &used);
			inpos += used;
			if (ev != RSP_EV_NONE)
				return ev;
		}
		ssize_t n = read(fd, in, sizeof in);
		if (n <= 0)
			die("the server closed the connection");
		inpos = 0;
		inlen = (size_t)n;
	}
}

/* Sends one request and returns its reply's payload (valid until the
 * next call); console output ('O' packets) is skipped. */
static const char *request(const char *payload)
{
	static char frame[RSP_FRAMED_MAX(4096)];
	size_t n = rsp_frame(frame, sizeof frame, payload, strlen(payload), false);

	if (n == (size_t)-1 || write(fd, frame, n) != (ssize_t)n)
		die("write");
	for (;;) {
		enum rsp_event ev = next_event();
		if (ev == RSP_EV_ACK || ev == RSP_EV_NAK)
			continue;
		if (ev != RSP_EV_PACKET)
			die("unexpected bytes");
		if (!noack && write(fd, "+", 1) != 1)
			die("write");
		if (rd.payload[0] == 'O' && strcmp(rd.payload, "OK") != 0)
			continue;	/* console output before the reply */
		return rd.payload;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *kind, long rounds, int per_round, double t)
{
	printf("%-6s %10.0f packets/s (%ld rounds in %.3f s)\n", kind,
	       (double)rounds * per_round / t, rounds, t);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gdb_bench PORT [ROUNDS] [g|m|xfer|z|step]...\n");
		return 2;
	}
	int port = atoi(argv[1]);
	long rounds = argc > 2 ? atol(argv[2]) : 2000;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("cannot connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	rsp_reader_init(&rd);
	request("qSupported:swbreak+;hwbreak+;vContSupported+");
	if (strcmp(request("QStartNoAckMode"), "OK") != 0)
		die("no QStartNoAckMode");
	noack = true;

	/* rip, from 'g' (register 16, 8 bytes, after sixteen others). */
	const char *g = request("g");
	char hex[17];
	uint64_t rip = 0;
	uint8_t b[8];
	size_t got;
	if (strlen(g) < 17 * 16 * 2)
		die("short 'g' reply");
	memcpy(hex, g + 16 * 16, 16);
	if (rsp_hex_decode(b, 8, hex, 16, &got) == 0)
		memcpy(&rip, b, 8);

	const char *all[] = { "g", "m", "xfer", "z", "step" };
	const char **kinds = argc > 3 ? (const char **)argv + 3 : all;
	int nkinds = argc > 3 ? argc - 3 : (int)(sizeof all / sizeof all[0]);
	char req[128];
	for (int k = 0; k < nkinds; k++) {
		const char *kind = kinds[k];
		double t0 = now();
		int per = 1;
		if (strcmp(kind, "g") == 0) {
			for (long r = 0; r < rounds; r++)
				request("g");
		} else if (strcmp(kind, "m") == 0) {
			snprintf(req, sizeof req, "m%" PRIx64 ",40", rip);
			for (long r = 0; r < rounds; r++)
				if (request(req)[0] == 'E')
					die("m failed");
		} else if (strcmp(kind, "xfer") == 0) {
			per = 0;
			for (long r = 0; r < rounds; r++) {
				for (uint64_t off = 0;; off += 0x3f00) {
					snprintf(req, sizeof req,
						 "qXfer:features:read:target.xml:%" PRIx64 ",3f00", off);
					per++;
					if (request(req)[0] != 'm')
						break;
				}
			}
			per = (int)(per / rounds);
		} else if (strcmp(kind, "z") == 0) {
			per = 2;
			for (long r = 0; r < rounds; r++) {
				snprintf(req, sizeof req, "Z0,%" PRIx64 ",1", rip);
				request(req);
				req[0] = 'z';
				request(req);
			}
		} else if (strcmp(kind, "step") == 0) {
			per = 2;
			for (long r = 0; r < rounds; r++) {
				request("s");
				request("bs");
			}
		} else {
			die("unknown kind");
		}
		report(kind, rounds, per, now() - t0);
	}
	request("D");
	close(fd);
	return 0;
}
