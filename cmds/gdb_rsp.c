/*
 * gdb_rsp.c — the pure layer of gdb's remote serial protocol (see
 * gdb_rsp.h): bytes in, structs out, and back.
 *
 * Everything that touches gdb's input is here and bounded by explicit
 * lengths, never by NULs: a packet may carry binary bytes, and gdb (or a
 * fuzzer) may send anything. The parser classifies a packet fully before
 * the server acts on it, so a malformed packet is answered with an error
 * and never half-executed.
 */
#include "cmds/gdb_rsp.h"

#include <stdio.h>
#include <string.h>

/* ---- checksums, hex, escaping, run-length encoding -------------------- */

uint8_t rsp_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

int rsp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t rsp_hex_encode(char *out, const void *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = in;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
	return 2 * len;
}

int rsp_hex_decode(void *out, size_t cap, const char *in, size_t inlen, size_t *outlen)
{
	uint8_t *o = out;

	if (inlen % 2 || inlen / 2 > cap)
		return -1;
	for (size_t i = 0; i < inlen; i += 2) {
		int hi = rsp_hexval((unsigned char)in[i]);
		int lo = rsp_hexval((unsigned char)in[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		o[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*outlen = inlen / 2;
	return 0;
}

int rsp_parse_hex(const char **p, const char *end, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (s >= end || rsp_hexval((unsigned char)*s) < 0)
		return -1;
	while (s < end && (d = rsp_hexval((unsigned char)*s)) >= 0) {
		if (v >> 60)
			return -1;	/* a 17th significant digit */
		v = v << 4 | (uint64_t)d;
		s++;
	}
	*p = s;
	*val = v;
	return 0;
}

bool rsp_needs_escape(uint8_t c)
{
	return c == '$' || c == '#' || c == '}' || c == '*';
}

size_t rsp_escape(char *out, size_t cap, const void *in, size_t len)
{
	const uint8_t *p = in;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (rsp_needs_escape(p[i])) {
			if (n + 2 > cap)
				return (size_t)-1;
			out[n++] = '}';
			out[n++] = (char)(p[i] ^ 0x20);
		} else {
			if (n + 1 > cap)
				return (size_t)-1;
			out[n++] = (char)p[i];
		}
	}
	return n;
}

size_t rsp_unescape(void *out, size_t cap, const char *in, size_t len)
{
	uint8_t *o = out;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)in[i];
		if (c == '}') {
			if (++i >= len)
				return (size_t)-1;
			c = (uint8_t)in[i] ^ 0x20;
		}
		if (n >= cap)
			return (size_t)-1;
		o[n++] = c;
	}
	return n;
}

size_t rsp_decode_body(void *out, size_t cap, const char *in, size_t len)
{
	uint8_t *o = out;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)in[i];
		if (c == '*') {
			/* A run: the next byte is 29 + the number of extra copies
			 * of the byte decoded last (gdb's remote.c read_frame). */
			if (n == 0 || ++i >= len)
				return (size_t)-1;
			int cnt = (uint8_t)in[i];
			if (cnt < 32 || cnt > 126)
				return (size_t)-1;
			cnt -= 29;
			if ((size_t)cnt > cap - n)
				return (size_t)-1;
			memset(o + n, o[n - 1], (size_t)cnt);
			n += (size_t)cnt;
			continue;
		}
		if (c == '}') {
			if (++i >= len)
				return (size_t)-1;
			c = (uint8_t)in[i] ^ 0x20;
		}
		if (n >= cap)
			return (size_t)-1;
		o[n++] = c;
	}
	return n;
}

size_t rsp_frame(char *out, size_t cap, const void *payload, size_t len, bool rle)
{
	const uint8_t *p = payload;
	size_t n = 0;

	if (cap < 4)
		return (size_t)-1;
	out[n++] = '$';
	for (size_t i = 0; i < len;) {
		uint8_t c = p[i];
		if (rsp_needs_escape(c)) {
			if (n + 2 > cap)
				return (size_t)-1;
			out[n++] = '}';
			out[n++] = (char)(c ^ 0x20);
			i++;
			continue;
		}
		size_t run = 1;
		while (rle && i + run < len && p[i + run] == c && run < 98)
			run++;
		/* "c*N" stands for c plus N-29 copies: worth it from 3 copies
		 * on. N may not be '#' or '$' (6 or 7 copies), so those runs
		 * are cut to 5 copies and the rest goes round again. */
		size_t extra = run - 1;
		if (extra == 6 || extra == 7)
			extra = 5;
		if (rle && extra >= 3) {
			if (n + 3 > cap)
				return (size_t)-1;
			out[n++] = (char)c;
			out[n++] = '*';
			out[n++] = (char)(extra + 29);
			i += extra + 1;
		} else {
			if (n + 1 > cap)
				return (size_t)-1;
			out[n++] = (char)c;
			i++;
		}
	}
	if (n + 3 > cap)
		return (size_t)-1;
	/* The checksum covers the body exactly as sent. */
	uint8_t sum = rsp_checksum(out + 1, n - 1);
	snprintf(out + n, 4, "#%02x", sum);
	return n + 3;
}

/* ---- the reader ------------------------------------------------------- */

/* RD_SKIP*: the rest of a packet already answered as too long, up to its
 * checksum (or a '$' that starts the next packet). */
enum { RD_IDLE, RD_BODY, RD_SUM1, RD_SUM2, RD_SKIP, RD_SKIP_SUM1, RD_SKIP_SUM2 };

void rsp_reader_init(struct rsp_reader *r)
{
	r->state = RD_IDLE;
	r->rawlen = 0;
	r->sum_hi = 0;
	r->paylen = 0;
	r->payload[0] = '\0';
}

enum rsp_event rsp_reader_feed(struct rsp_reader *r, const void *buf, size_t len,
			       size_t *used)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		int d;

		switch (r->state) {
		case RD_IDLE:
			if (c == '$') {
				r->state = RD_BODY;
				r->rawlen = 0;
				break;
			}
			*used = i + 1;
			if (c == '+')
				return RSP_EV_ACK;
			if (c == '-')
				return RSP_EV_NAK;
			if (c == 0x03)
				return RSP_EV_INTERRUPT;
			break;	/* noise between packets */
		case RD_BODY:
			if (c == '#') {
				r->state = RD_SUM1;
			} else if (c == '$') {
				/* A new start: the previous packet was cut off. */
				r->rawlen = 0;
			} else if (r->rawlen < sizeof r->raw) {
				r->raw[r->rawlen++] = (char)c;
			} else {
				/* Longer than any packet gdb sends (it keeps to the
				 * PacketSize we announce): answer now, not at a '#'
				 * that may never come, and drop the rest of it. */
				r->state = RD_SKIP;
				*used = i + 1;
				return RSP_EV_OVERFLOW;
			}
			break;
		case RD_SUM1:
			d = rsp_hexval(c);
			r->sum_hi = d;
			r->state = RD_SUM2;
			break;
		case RD_SUM2:
			d = rsp_hexval(c);
			r->state = RD_IDLE;
			*used = i + 1;
			if (d < 0 || r->sum_hi < 0 ||
			    (uint8_t)(r->sum_hi << 4 | d) != rsp_checksum(r->raw, r->rawlen))
				return RSP_EV_BADSUM;
			size_t n = rsp_decode_body(r->payload, RSP_PAYLOAD_MAX, r->raw, r->rawlen);
			if (n == (size_t)-1)
				return RSP_EV_OVERFLOW;
			r->paylen = n;
			r->payload[n] = '\0';
			return RSP_EV_PACKET;
		case RD_SKIP:
			if (c == '#') {
				r->state = RD_SKIP_SUM1;
			} else if (c == '$') {
				r->state = RD_BODY;
				r->rawlen = 0;
			}
			break;
		case RD_SKIP_SUM1:
			r->state = RD_SKIP_SUM2;
			break;
		case RD_SKIP_SUM2:
			r->state = RD_IDLE;
			break;
		}
	}
	*used = len;
	return RSP_EV_NONE;
}

/* ---- the parser ------------------------------------------------------- */

static int bad(struct rsp_packet *pkt, char *err, size_t errlen, const char *why)
{
	pkt->kind = RSP_MALFORMED;
	if (errlen)
		snprintf(err, errlen, "%s", why);
	return -1;
}

/* Is the payload exactly s? */
static bool is(const char *p, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(p, s, len) == 0;
}

/* Does the payload begin with s? */
static bool starts(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);
	return len >= n && memcmp(p, s, n) == 0;
}

/* A thread id: "-1", "p<pid>", "p<pid>.<tid>", "p<pid>.-1", "<tid>". */
static int parse_tid(const char **pp, const char *end, struct rsp_tid *t)
{
	const char *p = *pp;
	uint64_t v;

	t->pid = 0;
	if (p < end && *p == 'p') {
		p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '1') {
			t->pid = -1;
			p += 2;
		} else if (rsp_parse_hex(&p, end, &v) == 0 && v <= INT64_MAX) {
			t->pid = (int64_t)v;
		} else {
			return -1;
		}
		t->tid = -1;	/* "p<pid>" alone means all its threads */
		if (p < end && *p == '.') {
			p++;
		} else {
			*pp = p;
			return 0;
		}
	}
	if (end - p >= 2 && p[0] == '-' && p[1] == '1') {
		t->tid = -1;
		p += 2;
	} else if (rsp_parse_hex(&p, end, &v) == 0 && v <= INT64_MAX) {
		t->tid = (int64_t)v;
	} else {
		return -1;
	}
	*pp = p;
	return 0;
}

/* "addr,len" to the end of the payload (or to a ';' when stop_at_semi). */
static int parse_addr_len(const char *p, const char *end, uint64_t *addr, uint64_t *len)
{
	if (rsp_parse_hex(&p, end, addr) < 0 || p >= end || *p++ != ',' ||
	    rsp_parse_hex(&p, end, len) < 0 || p != end)
		return -1;
	return 0;
}

/* A gdb signal number: exactly two hex digits in C/S/vCont. */
static int parse_sig(const char **pp, const char *end, int *sig)
{
	const char *p = *pp;
	uint64_t v;
	const char *start = p;

	if (rsp_parse_hex(&p, end, &v) < 0 || p - start != 2)
		return -1;
	*sig = (int)v;
	*pp = p;
	return 0;
}

static int parse_qsupported(const char *p, const char *end, struct rsp_packet *pkt)
{
	static const struct { const char *name; unsigned bit; } known[] = {
		{ "swbreak+", RSP_GDB_SWBREAK },
		{ "hwbreak+", RSP_GDB_HWBREAK },
		{ "multiprocess+", RSP_GDB_MULTIPROCESS },
		{ "vContSupported+", RSP_GDB_VCONT },
	};

	pkt->kind = RSP_QSUPPORTED;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *fe = semi ? semi : end;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (is(p, (size_t)(fe - p), known[i].name))
				pkt->gdb_features |= known[i].bit;
		p = semi ? semi + 1 : end;
	}
	return 0;
}

static int parse_vcont(const char *p, const char *end, struct rsp_packet *pkt,
		       char *err, size_t errlen)
{
	pkt->kind = RSP_VCONT;
	if (p >= end)
		return bad(pkt, err, errlen, "vCont without actions");
	while (p < end) {
		struct rsp_vcont_action a = { 0 };
		if (*p++ != ';' || p >= end)
			return bad(pkt, err, errlen, "vCont: expected ';action'");
		char op = *p++;
		switch (op) {
		case 'c': case 's':
			a.op = op;
			break;
		case 'C': case 'S':
			a.op = (char)(op - 'A' + 'a');
			if (parse_sig(&p, end, &a.gdb_signo) < 0)
				return bad(pkt, err, errlen, "vCont: bad signal");
			break;
		default:
			return bad(pkt, err, errlen, "vCont: unsupported action");
		}
		if (p < end && *p == ':') {
			p++;
			if (parse_tid(&p, end, &a.tid) < 0)
				return bad(pkt, err, errlen, "vCont: bad thread id");
			a.has_tid = true;
		}
		if (pkt->nactions >= RSP_VCONT_MAX)
			return bad(pkt, err, errlen, "vCont: too many actions");
		pkt->actions[pkt->nactions++] = a;
	}
	return 0;
}

/* c [addr] / s [addr] / C sig [;addr] / S sig [;addr] */
static int parse_resume(const char *p, const char *end, struct rsp_packet *pkt,
			char *err, size_t errlen)
{
	char op = *p++;

	pkt->kind = (op == 'c' || op == 'C') ? RSP_CONTINUE : RSP_STEP;
	if (op == 'C' || op == 'S') {
		if (parse_sig(&p, end, &pkt->gdb_signo) < 0)
			return bad(pkt, err, errlen, "bad signal number");
		if (p == end)
			return 0;
		if (*p++ != ';')
			return bad(pkt, err, errlen, "expected ';addr'");
	}
	if (p == end)
		return 0;
	if (rsp_parse_hex(&p, end, &pkt->addr) < 0 || p != end)
		return bad(pkt, err, errlen, "bad resume address");
	pkt->has_addr = true;
	return 0;
}

/* Z/z type,addr,kind[;cond...]: conditions are gdb's business here. */
static int parse_break(const char *p, const char *end, struct rsp_packet *pkt,
		       char *err, size_t errlen)
{
	uint64_t type;

	pkt->kind = *p++ == 'Z' ? RSP_INSERT_BP : RSP_REMOVE_BP;
	const char *semi = memchr(p, ';', (size_t)(end - p));
	if (semi)
		end = semi;
	if (rsp_parse_hex(&p, end, &type) < 0 || type > 4 || p >= end || *p++ != ',')
		return bad(pkt, err, errlen, "bad breakpoint type");
	pkt->bp_type = (int)type;
	if (parse_addr_len(p, end, &pkt->addr, &pkt->len) < 0)
		return bad(pkt, err, errlen, "bad breakpoint address or kind");
	/* A watched range is [addr, addr+len): it has a byte and does not
	 * run past the top of the address space. (How long a range the
	 * target can watch is the backend's business.) */
	if (type >= 2 && (pkt->len == 0 || pkt->addr + (pkt->len - 1) < pkt->addr))
		return bad(pkt, err, errlen, "empty or wrapping watchpoint range");
	return 0;
}

/* qXfer:object:read:annex:offset,length */
static int parse_qxfer(const char *p, const char *end, struct rsp_packet *pkt,
		       char *err, size_t errlen)
{
	const char *obj = p;
	const char *c1 = memchr(p, ':', (size_t)(end - p));

	if (!c1)
		return bad(pkt, err, errlen, "qXfer: no object");
	const char *op = c1 + 1;
	const char *c2 = memchr(op, ':', (size_t)(end - op));
	if (!c2)
		return bad(pkt, err, errlen, "qXfer: no operation");
	if (!is(op, (size_t)(c2 - op), "read")) {
		pkt->kind = RSP_UNKNOWN;	/* writes: not supported */
		return 0;
	}
	const char *annex = c2 + 1;
	const char *c3 = memchr(annex, ':', (size_t)(end - annex));
	if (!c3)
		return bad(pkt, err, errlen, "qXfer: no annex");
	if ((size_t)(c1 - obj) >= RSP_NAME_MAX || (size_t)(c3 - annex) >= RSP_NAME_MAX)
		return bad(pkt, err, errlen, "qXfer: name too long");
	pkt->kind = RSP_QXFER_READ;
	memcpy(pkt->object, obj, (size_t)(c1 - obj));
	pkt->object[c1 - obj] = '\0';
	memcpy(pkt->annex, annex, (size_t)(c3 - annex));
	pkt->annex[c3 - annex] = '\0';
	if (memchr(pkt->object, '\0', (size_t)(c1 - obj)) ||
	    memchr(pkt->annex, '\0', (size_t)(c3 - annex)))
		return bad(pkt, err, errlen, "qXfer: NUL in a name");
	if (parse_addr_len(c3 + 1, end, &pkt->offset, &pkt->len) < 0)
		return bad(pkt, err, errlen, "qXfer: bad offset or length");
	return 0;
}

int rsp_parse(const char *payload, size_t len, struct rsp_packet *pkt,
	      char *err, size_t errlen)
{
	const char *p = payload, *end = payload + len;
	uint64_t v;

	memset(pkt, 0, offsetof(struct rsp_packet, rcmd));
	pkt->rcmd[0] = '\0';
	if (errlen)
		err[0] = '\0';
	pkt->kind = RSP_UNKNOWN;
	if (len == 0)
		return 0;

	switch (p[0]) {
	case '?':
		if (len != 1)
			return bad(pkt, err, errlen, "junk after '?'");
		pkt->kind = RSP_HALT_REASON;
		return 0;
	case 'g':
		if (len != 1)
			return bad(pkt, err, errlen, "junk after 'g'");
		pkt->kind = RSP_READ_REGS;
		return 0;
	case 'p':
		p++;
		pkt->kind = RSP_READ_REG;
		if (rsp_parse_hex(&p, end, &v) < 0 || p != end || v > 0xffff)
			return bad(pkt, err, errlen, "bad register number");
		pkt->regno = (int)v;
		return 0;
	case 'm':
	case 'x':
		pkt->kind = p[0] == 'm' ? RSP_READ_MEM : RSP_READ_MEM_BIN;
		if (parse_addr_len(p + 1, end, &pkt->addr, &pkt->len) < 0)
			return bad(pkt, err, errlen, "bad address or length");
		return 0;
	case 'G': case 'P': case 'M': case 'X':
		pkt->kind = RSP_WRITE;
		return 0;
	case 'H':
		pkt->kind = RSP_SET_THREAD;
		if (len < 3)
			return bad(pkt, err, errlen, "H: expected op and thread");
		pkt->op = p[1];
		p += 2;
		if (parse_tid(&p, end, &pkt->tid) < 0 || p != end)
			return bad(pkt, err, errlen, "H: bad thread id");
		pkt->has_tid = true;
		return 0;
	case 'T':
		pkt->kind = RSP_THREAD_ALIVE;
		p++;
		if (parse_tid(&p, end, &pkt->tid) < 0 || p != end)
			return bad(pkt, err, errlen, "T: bad thread id");
		pkt->has_tid = true;
		return 0;
	case 'c': case 'C': case 's': case 'S':
		return parse_resume(p, end, pkt, err, errlen);
	case 'b':
		if (is(p, len, "bc"))
			pkt->kind = RSP_REV_CONTINUE;
		else if (is(p, len, "bs"))
			pkt->kind = RSP_REV_STEP;
		return 0;	/* other 'b' packets (baud rate) are unknown */
	case 'Z': case 'z':
		return parse_break(p, end, pkt, err, errlen);
	case 'D':
		pkt->kind = RSP_DETACH;
		if (len == 1)
			return 0;
		p++;
		if (*p++ != ';' || parse_tid(&p, end, &pkt->tid) < 0 || p != end)
			return bad(pkt, err, errlen, "D: bad process id");
		pkt->has_tid = true;
		return 0;
	case 'k':
		pkt->kind = RSP_KILL;
		return 0;
	}

	if (is(p, len, "QStartNoAckMode")) {
		pkt->kind = RSP_NOACK;
	} else if (is(p, len, "qSupported")) {
		pkt->kind = RSP_QSUPPORTED;
	} else if (starts(p, len, "qSupported:")) {
		return parse_qsupported(p + 11, end, pkt);
	} else if (is(p, len, "qC")) {
		pkt->kind = RSP_QC;
	} else if (is(p, len, "qfThreadInfo")) {
		pkt->kind = RSP_QFTHREADINFO;
	} else if (is(p, len, "qsThreadInfo")) {
		pkt->kind = RSP_QSTHREADINFO;
	} else if (is(p, len, "qAttached") || starts(p, len, "qAttached:")) {
		pkt->kind = RSP_QATTACHED;
	} else if (is(p, len, "qOffsets")) {
		pkt->kind = RSP_QOFFSETS;
	} else if (is(p, len, "vCont?")) {
		pkt->kind = RSP_VCONT_QUERY;
	} else if (is(p, len, "vCont") || starts(p, len, "vCont;")) {
		return parse_vcont(p + 5, end, pkt, err, errlen);
	} else if (starts(p, len, "vKill")) {
		pkt->kind = RSP_VKILL;
		p += 5;
		if (p == end)
			return 0;
		if (*p++ != ';' || parse_tid(&p, end, &pkt->tid) < 0 || p != end)
			return bad(pkt, err, errlen, "vKill: bad process id");
		pkt->has_tid = true;
	} else if (starts(p, len, "qRcmd,")) {
		pkt->kind = RSP_QRCMD;
		if (rsp_hex_decode(pkt->rcmd, RSP_RCMD_MAX, p + 6, len - 6, &pkt->rcmd_len) < 0)
			return bad(pkt, err, errlen, "qRcmd: bad hex or too long");
		pkt->rcmd[pkt->rcmd_len] = '\0';
		if (memchr(pkt->rcmd, '\0', pkt->rcmd_len))
			return bad(pkt, err, errlen, "qRcmd: NUL in command");
	} else if (starts(p, len, "qXfer:")) {
		return parse_qxfer(p + 6, end, pkt, err, errlen);
	} else if (starts(p, len, "qSymbol")) {
		pkt->kind = RSP_QSYMBOL;
	} else if (is(p, len, "vMustReplyEmpty")) {
		pkt->kind = RSP_VMUSTREPLYEMPTY;
	}
	return 0;
}

/* ---- replies ---------------------------------------------------------- */

size_t rsp_format_stop(char *out, size_t cap, const struct rsp_stop *st,
		       int64_t tid, unsigned gdb_features)
{
	int n, m = 0;

	switch (st->kind) {
	case RSP_STOP_EXITED:
		n = snprintf(out, cap, "W%02x", st->status & 0xff);
		return n < 0 || (size_t)n >= cap ? (size_t)-1 : (size_t)n;
	case RSP_STOP_KILLED:
		n = snprintf(out, cap, "X%02x", rsp_signal_to_gdb(st->signo) & 0xff);
		return n < 0 || (size_t)n >= cap ? (size_t)-1 : (size_t)n;
	case RSP_STOP_SIGNAL:
		n = snprintf(out, cap, "T%02xthread:%llx;",
			     rsp_signal_to_gdb(st->signo) & 0xff, (unsigned long long)tid);
		break;
	default:
		/* Breakpoints, watchpoints and the ends of the replay are all
		 * SIGTRAP stops with a reason gdb reads from the pairs. */
		n = snprintf(out, cap, "T05thread:%llx;", (unsigned long long)tid);
		break;
	}
	if (n < 0 || (size_t)n >= cap)
		return (size_t)-1;
	switch (st->kind) {
	case RSP_STOP_SWBREAK:
		if (gdb_features & RSP_GDB_SWBREAK)
			m = snprintf(out + n, cap - (size_t)n, "swbreak:;");
		break;
	case RSP_STOP_HWBREAK:
		if (gdb_features & RSP_GDB_HWBREAK)
			m = snprintf(out + n, cap - (size_t)n, "hwbreak:;");
		break;
	case RSP_STOP_WATCH:
		m = snprintf(out + n, cap - (size_t)n, "watch:%llx;", (unsigned long long)st->addr);
		break;
	case RSP_STOP_RWATCH:
		m = snprintf(out + n, cap - (size_t)n, "rwatch:%llx;", (unsigned long long)st->addr);
		break;
	case RSP_STOP_AWATCH:
		m = snprintf(out + n, cap - (size_t)n, "awatch:%llx;", (unsigned long long)st->addr);
		break;
	case RSP_STOP_REPLAY_BEGIN:
		m = snprintf(out + n, cap - (size_t)n, "replaylog:begin;");
		break;
	case RSP_STOP_REPLAY_END:
		m = snprintf(out + n, cap - (size_t)n, "replaylog:end;");
		break;
	default:
		break;
	}
	if (m < 0 || (size_t)m >= cap - (size_t)n)
		return (size_t)-1;
	return (size_t)(n + m);
}

size_t rsp_xfer_reply(char *out, size_t cap, const void *data, size_t datalen,
		      uint64_t offset, uint64_t length)
{
	size_t chunk = 0;

	if (offset < datalen) {
		chunk = datalen - (size_t)offset;
		if (length < chunk)
			chunk = (size_t)length;
	}
	if (cap < chunk + 1)
		return (size_t)-1;
	/* 'l' once the chunk reaches the end, so gdb does not ask again. */
	out[0] = offset + chunk >= datalen ? 'l' : 'm';
	if (chunk)
		memcpy(out + 1, (const char *)data + offset, chunk);
	return chunk + 1;
}

/* Linux 1..31 to gdb's numbers (gdb/signals.def). 143 is "unknown". */
static const int linux_to_gdb[32] = {
	0, 1, 2, 3, 4, 5, 6, 10 /* BUS */, 8, 9, 30 /* USR1 */, 11, 31 /* USR2 */,
	13, 14, 15, 143 /* STKFLT */, 20 /* CHLD */, 19 /* CONT */, 17 /* STOP */,
	18 /* TSTP */, 21, 22, 16 /* URG */, 24, 25, 26, 27, 28, 23 /* IO */,
	32 /* PWR */, 12 /* SYS */,
};

int rsp_signal_to_gdb(int s)
{
	if (s >= 0 && s < 32)
		return linux_to_gdb[s];
	if (s == 32)
		return 77;		/* GDB_SIGNAL_REALTIME_32 */
	if (s >= 33 && s <= 63)
		return 45 + (s - 33);	/* GDB_SIGNAL_REALTIME_33.. */
	if (s == 64)
		return 78;		/* GDB_SIGNAL_REALTIME_64 */
	return 143;
}

int rsp_signal_from_gdb(int g)
{
	for (int s = 0; s <= 64; s++)
		if (rsp_signal_to_gdb(s) == g && g != 143)
			return s;
	return -1;
}
