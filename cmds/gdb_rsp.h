/*
 * gdb_rsp.h — the pure layer of gdb's remote serial protocol: checksums,
 * framing, binary escaping, run-length encoding, hex, the incremental reader
 * that cuts a byte stream into packets, the parser that turns one packet
 * into a struct, and the formatting of the replies that have a structure
 * (stop replies, qXfer chunks, signal numbers).
 *
 * Nothing here does I/O or allocates, so the whole file compiles alone and
 * is what the fuzz target drives. The server (gdb_server.c) owns the socket
 * and the backend; this layer only knows bytes.
 */
#ifndef RRTUI_GDB_RSP_H
#define RRTUI_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The PacketSize we announce in qSupported: the largest payload gdb may send
 * us, and the bound gdb uses for 'm'/'x'/qXfer lengths. */
#define RSP_PACKET_SIZE 0x4000
/* The reader keeps at most this many raw bytes between '$' and '#'; the
 * decoded payload (after escapes and run-length expansion) is bounded too. */
#define RSP_RAW_MAX (2 * RSP_PACKET_SIZE)
#define RSP_PAYLOAD_MAX (4 * RSP_PACKET_SIZE)
/* A framed packet of a payload of n bytes needs at most this many bytes
 * (every byte escaped, '$', '#', two checksum digits). */
#define RSP_FRAMED_MAX(n) (2 * (n) + 4)

/* ---- checksums, hex, escaping, run-length encoding -------------------- */

uint8_t rsp_checksum(const void *buf, size_t len);
/* Value of one hex digit, or -1. */
int rsp_hexval(int c);
/* Writes 2*len lowercase hex digits and a NUL; returns 2*len. */
size_t rsp_hex_encode(char *out, const void *in, size_t len);
/* Decodes an even number of hex digits into at most cap bytes; 0 or -1
 * (odd length, bad digit, too long). */
int rsp_hex_decode(void *out, size_t cap, const char *in, size_t inlen, size_t *outlen);
/* Parses a hex number at *p (not past end), advancing *p; at least one digit,
 * no overflow past 64 bits. 0 or -1. */
int rsp_parse_hex(const char **p, const char *end, uint64_t *val);

/* Does byte c have to be escaped ('}' c^0x20) inside a packet? */
bool rsp_needs_escape(uint8_t c);
/* Escapes len bytes into out; returns the escaped length, or (size_t)-1 when
 * cap is too small. */
size_t rsp_escape(char *out, size_t cap, const void *in, size_t len);
/* Undoes rsp_escape; returns the length or (size_t)-1 (dangling '}',
 * cap too small). */
size_t rsp_unescape(void *out, size_t cap, const char *in, size_t len);
/* Decodes a packet body as it travels: '}' escapes and "c*N" runs (N-29
 * more copies of the previous decoded byte). Returns the decoded length or
 * (size_t)-1 on a malformed body or overflow. */
size_t rsp_decode_body(void *out, size_t cap, const char *in, size_t len);

/* Frames a payload: "$" body "#" checksum, where body is the payload with
 * '$', '#', '}' and '*' escaped and, when rle is set, runs compressed with
 * '*'. Returns the framed length or (size_t)-1 when cap is too small. */
size_t rsp_frame(char *out, size_t cap, const void *payload, size_t len, bool rle);

/* ---- the reader: a byte stream to packets ----------------------------- */

enum rsp_event {
	RSP_EV_NONE,      /* all bytes consumed, no complete event */
	RSP_EV_PACKET,    /* r->payload / r->paylen hold a good packet */
	RSP_EV_BADSUM,    /* a packet with a wrong checksum (answer '-') */
	RSP_EV_OVERFLOW,  /* a packet too long (reported as soon as it is: the rest
			   * of it is dropped) or with a broken body */
	RSP_EV_ACK,       /* '+' */
	RSP_EV_NAK,       /* '-' */
	RSP_EV_INTERRUPT, /* 0x03 outside a packet: gdb's Ctrl-C */
};

struct rsp_reader {
	int state;
	size_t rawlen;
	int sum_hi;               /* first checksum digit, while reading the second */
	char raw[RSP_RAW_MAX];
	size_t paylen;
	char payload[RSP_PAYLOAD_MAX + 1]; /* NUL-terminated for convenience */
};

void rsp_reader_init(struct rsp_reader *r);
/* Consumes bytes up to and including the end of the next event (or all of
 * them); *used says how many. A packet's payload stays valid until the next
 * call. Garbage outside packets is skipped, as gdb does. */
enum rsp_event rsp_reader_feed(struct rsp_reader *r, const void *buf, size_t len,
			       size_t *used);

/* ---- packets ---------------------------------------------------------- */

enum rsp_kind {
	RSP_UNKNOWN,       /* answer with an empty packet */
	RSP_MALFORMED,     /* a packet we know, with bad arguments: answer E02 */
	RSP_QSUPPORTED,
	RSP_NOACK,         /* QStartNoAckMode */
	RSP_HALT_REASON,   /* ? */
	RSP_READ_REGS,     /* g */
	RSP_READ_REG,      /* p n */
	RSP_READ_MEM,      /* m addr,len */
	RSP_READ_MEM_BIN,  /* x addr,len */
	RSP_WRITE,         /* G P M X: refused in a replay */
	RSP_SET_THREAD,    /* H op tid */
	RSP_THREAD_ALIVE,  /* T tid */
	RSP_QC,
	RSP_QFTHREADINFO,
	RSP_QSTHREADINFO,
	RSP_QATTACHED,
	RSP_QOFFSETS,
	RSP_VCONT_QUERY,   /* vCont? */
	RSP_VCONT,
	RSP_CONTINUE,      /* c [addr], C sig[;addr] */
	RSP_STEP,          /* s [addr], S sig[;addr] */
	RSP_REV_CONTINUE,  /* bc */
	RSP_REV_STEP,      /* bs */
	RSP_INSERT_BP,     /* Z type,addr,kind */
	RSP_REMOVE_BP,     /* z type,addr,kind */
	RSP_VKILL,
	RSP_DETACH,        /* D, D;pid */
	RSP_KILL,          /* k */
	RSP_QRCMD,         /* qRcmd,hex */
	RSP_QXFER_READ,    /* qXfer:object:read:annex:off,len */
	RSP_QSYMBOL,
	RSP_VMUSTREPLYEMPTY,
};

/* A thread id: "p<pid>.<tid>" or "<tid>"; -1 means all, 0 any. */
struct rsp_tid {
	int64_t pid;  /* 0 when the packet did not name a process */
	int64_t tid;
};

/* What gdb said it understands in its qSupported. */
enum {
	RSP_GDB_SWBREAK = 1 << 0,
	RSP_GDB_HWBREAK = 1 << 1,
	RSP_GDB_MULTIPROCESS = 1 << 2,
	RSP_GDB_VCONT = 1 << 3,   /* vContSupported+ */
};

#define RSP_VCONT_MAX 8
struct rsp_vcont_action {
	char op;              /* 'c' or 's' (C/S folded in, with a signal) */
	int gdb_signo;        /* gdb's number, 0 for none */
	bool has_tid;
	struct rsp_tid tid;
};

#define RSP_RCMD_MAX 1024
#define RSP_NAME_MAX 64

struct rsp_packet {
	enum rsp_kind kind;
	uint64_t addr;        /* m x Z z; c/s with an address */
	uint64_t len;         /* m x; Z/z kind; qXfer length */
	uint64_t offset;      /* qXfer */
	bool has_addr;        /* c/s/C/S name a resume address */
	int regno;            /* p */
	int bp_type;          /* Z/z: 0 sw, 1 hw, 2 write, 3 read, 4 access */
	char op;              /* H: 'g' or 'c' (or another letter gdb uses) */
	int gdb_signo;        /* C/S: gdb's signal number, 0 for none */
	struct rsp_tid tid;   /* H T vKill D */
	bool has_tid;
	unsigned gdb_features;/* qSupported: RSP_GDB_* */
	int nactions;         /* vCont */
	struct rsp_vcont_action actions[RSP_VCONT_MAX];
	char object[RSP_NAME_MAX]; /* qXfer object, e.g. "features" */
	char annex[RSP_NAME_MAX];  /* qXfer annex, e.g. "target.xml" */
	size_t rcmd_len;
	char rcmd[RSP_RCMD_MAX + 1]; /* qRcmd, decoded and NUL-terminated */
};

/* Parses one payload. Returns 0 for a packet we know or one to answer
 * empty (RSP_UNKNOWN), -1 for a malformed one (kind RSP_MALFORMED, with a
 * reason in err). */
int rsp_parse(const char *payload, size_t len, struct rsp_packet *pkt,
	      char *err, size_t errlen);

/* ---- replies ---------------------------------------------------------- */

/* Why the target stopped; the backend fills one of these after each
 * resume. Signal numbers here are the host's (Linux); the reply carries
 * gdb's numbering. */
enum rsp_stop_kind {
	RSP_STOP_SIGNAL,       /* signo: a step ended (SIGTRAP), Ctrl-C (SIGINT), a signal */
	RSP_STOP_SWBREAK,      /* a software breakpoint at the pc */
	RSP_STOP_HWBREAK,      /* a hardware breakpoint at the pc */
	RSP_STOP_WATCH,        /* addr written */
	RSP_STOP_RWATCH,       /* addr read */
	RSP_STOP_AWATCH,       /* addr accessed */
	RSP_STOP_REPLAY_BEGIN, /* reverse execution reached the start */
	RSP_STOP_REPLAY_END,   /* forward execution reached the end of the trace */
	RSP_STOP_EXITED,       /* status: the program's exit status */
	RSP_STOP_KILLED,       /* signo: the signal that killed it */
};

struct rsp_stop {
	enum rsp_stop_kind kind;
	int signo;
	int status;
	uint64_t addr;
};

/* Formats a stop reply ("T05thread:..;swbreak:;", "W00", "X09").
 * gdb_features (RSP_GDB_*) decides whether swbreak:/hwbreak: may be sent;
 * gdb treats watch:/replaylog: as always understood. Returns the length or
 * (size_t)-1 when cap is too small. */
size_t rsp_format_stop(char *out, size_t cap, const struct rsp_stop *st,
		       int64_t tid, unsigned gdb_features);

/* One qXfer read reply for the object data[0..datalen): 'm' + chunk when
 * more follows, 'l' + chunk for the last piece. The chunk is raw (framing
 * escapes it). Returns the reply length or (size_t)-1 when cap is too small. */
size_t rsp_xfer_reply(char *out, size_t cap, const void *data, size_t datalen,
		      uint64_t offset, uint64_t length);

/* Linux signal numbers to gdb's and back (they differ above 15 and for
 * real-time signals). Unknown ones map to gdb's "unknown" (143) / -1. */
int rsp_signal_to_gdb(int host_signo);
int rsp_signal_from_gdb(int gdb_signo);

#endif
