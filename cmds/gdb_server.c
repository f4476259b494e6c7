/*
 * gdb_server.c — the all-stop GDB remote-protocol server (see gdb_server.h).
 *
 * One loop: read an event from the socket (gdb_rsp's reader cuts the byte
 * stream into packets, acks and Ctrl-C), parse the packet completely, act
 * through the backend, send one reply. Until gdb asks for QStartNoAckMode
 * every packet is acknowledged both ways; after it, nothing is.
 *
 * While the backend runs a continue, gdb may send Ctrl-C (0x03). The
 * backend polls gdb_resume_ctl.interrupted(), which peeks at the socket
 * without blocking; bytes read there go through the same reader, so nothing
 * gdb sends is lost between the two places that read.
 *
 * Everything the replay cannot do is refused with an error reply rather than
 * a broken connection: writes (G, P, M, X), resuming at another address,
 * malformed packets. A vanished gdb ends the session and leaves the backend
 * alone, so the replay stays usable for the TUI or the next gdb.
 *
 * Besides the target description, gdb can read the auxiliary vector, the
 * executable's path and the list of loaded libraries (svr4_list, built
 * from auxv and memory alone). For a server started from rrtui's own
 * console, the owner can end the session from a signal handler (cancelled,
 * asked when a signal interrupts a wait) and hears when gdb is idle.
 */
#include "cmds/gdb_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Reply payloads: the PacketSize we announce plus room for a prefix. */
#define REPLY_MAX (RSP_PACKET_SIZE + 64)
/* How long gdb must be quiet before the idle hook runs (milliseconds). */
#define IDLE_MS 100
/* An unacknowledged reply is sent again at most this often on '-'. */
#define MAX_RESENDS 8

/* Reply codes: gdb only shows that an error happened, but distinct codes
 * make a packet trace readable. */
#define E_REFUSED "E01"   /* a write, or a resume at another address */
#define E_MALFORMED "E02" /* a packet we could not parse */
#define E_BACKEND "E03"   /* the backend failed (unreadable memory, ...) */
#define E_THREAD "E04"    /* no such thread */

struct srv {
	int fd;
	const struct gdb_serve_opts *o;
	bool closed;
	bool cancelled;           /* closed because cancelled() said so */
	bool noack;
	unsigned gdb_features;
	bool interrupt_pending;
	/* A packet the reader delivered while we waited for an ack: gdb may
	 * skip acking a reply and go straight on, so it counts as the ack and
	 * is handled next. */
	bool packet_pending;
	enum rsp_event pending_ev;
	bool have_stop;
	struct rsp_stop last_stop;
	size_t inpos, inlen;
	uint8_t in[4096];
	struct rsp_packet pkt;
	/* The last library list built for qXfer:libraries-svr4 (see svr4_list):
	 * gdb reads it in pieces, so later pieces come from the same text. */
	char *svr4;
	size_t svr4_len, svr4_cap;
	uint8_t mem[REPLY_MAX];
	struct rsp_reader rd;
	char reply[REPLY_MAX];
	char frame[RSP_FRAMED_MAX(REPLY_MAX)];
	char err[256];
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- sockets ---------------------------------------------------------- */

bool gdb_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!host || strcmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

int gdb_listen(const char *host, int port, int *lfd, int *bound_port,
	       char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE };
	struct addrinfo *res, *ai;
	char portstr[16];
	int rc, fd = -1, saved = 0;

	if (port < 0 || port > 65535)
		return fail(err, errlen, "gdb server: bad port %d", port);
	if (!host)
		host = GDB_DEFAULT_HOST;
	snprintf(portstr, sizeof portstr, "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0)
		return fail(err, errlen, "gdb server: %s: %s", host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fail(err, errlen, "gdb server: cannot listen on %s:%d: %s", host,
			    port, strerror(saved));

	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		saved = errno;
		close(fd);
		return fail(err, errlen, "gdb server: getsockname: %s", strerror(saved));
	}
	*bound_port = ss.ss_family == AF_INET6 ?
		ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
		ntohs(((struct sockaddr_in *)&ss)->sin_port);
	*lfd = fd;
	return 0;
}

/* Errors accept() passes on from a connection that failed before we took
 * it (accept(2)): the next one may be fine. */
static bool accept_transient(int e)
{
	return e == ECONNABORTED || e == EPROTO || e == EPERM || e == ENETDOWN ||
	       e == ENOPROTOOPT || e == EHOSTDOWN || e == ENONET || e == EHOSTUNREACH ||
	       e == EOPNOTSUPP || e == ENETUNREACH || e == ETIMEDOUT;
}

/* One connection; *was_cancelled says cancelled() ended the wait. */
static int accept_one(int lfd, int *fd, int (*cancelled)(void *arg), void *arg,
		      bool *was_cancelled, char *err, size_t errlen)
{
	int c, one = 1;

	*fd = -1;
	*was_cancelled = false;
	for (;;) {
		c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0 || (errno != EINTR && !accept_transient(errno)))
			break;
		if (errno == EINTR && cancelled && cancelled(arg)) {
			*was_cancelled = true;
			return fail(err, errlen, "gdb server: cancelled while waiting for gdb");
		}
	}
	if (c < 0)
		return fail(err, errlen, "gdb server: accept: %s", strerror(errno));
	/* Each reply is one small write answered by gdb before the next:
	 * Nagle would add a delay to every round trip. */
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*fd = c;
	return 0;
}

int gdb_accept(int lfd, int *fd, char *err, size_t errlen)
{
	return gdb_accept_until(lfd, fd, NULL, NULL, err, errlen);
}

int gdb_accept_until(int lfd, int *fd, int (*cancelled)(void *arg), void *arg,
		     char *err, size_t errlen)
{
	bool was_cancelled;

	return accept_one(lfd, fd, cancelled, arg, &was_cancelled, err, errlen);
}

/* Before blocking on fd: when nothing comes for IDLE_MS, tell the owner
 * once (gdb_serve_opts.idle), so a front end that throttles its redraws
 * shows the last state. True when a signal that interrupted the wait was
 * meant to cancel. */
static bool wait_idle_fd(int fd, const struct gdb_serve_opts *o)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	if (!o->idle)
		return false;
	while ((r = poll(&p, 1, IDLE_MS)) < 0 && errno == EINTR)
		if (o->cancelled && o->cancelled(o->cancel_arg))
			return true;
	if (r == 0)
		o->idle(o->cancel_arg);
	return false;
}

int gdb_serve_listener(int lfd, const struct gdb_serve_opts *opts,
		       const struct gdb_listen_opts *lo, enum gdb_end *last,
		       char *err, size_t errlen)
{
	*last = GDB_END_DISCONNECT;
	for (;;) {
		bool was_cancelled;
		int fd, rc;
		enum gdb_end end;

		if (wait_idle_fd(lfd, opts)) {
			*last = GDB_END_CANCELLED;
			return 0;
		}
		if (accept_one(lfd, &fd, opts->cancelled, opts->cancel_arg, &was_cancelled, err,
			       errlen) < 0) {
			if (!was_cancelled)
				return -1;
			*last = GDB_END_CANCELLED;
			return 0;
		}
		if (lo && lo->begin && lo->begin(lo->arg, err, errlen) < 0) {
			close(fd);
			return -1;
		}
		rc = gdb_serve(fd, opts, &end, err, errlen);
		close(fd);
		if (rc < 0)
			return -1;
		*last = end;
		if (lo && lo->end)
			lo->end(lo->arg, end);
		if ((lo && lo->once) || end == GDB_END_CANCELLED)
			return 0;
	}
}

/* ---- reading and writing packets -------------------------------------- */

/* The next event from gdb; -1 when the connection is gone, RSP_EV_NONE
 * only when !block and nothing has arrived. */
static int next_event(struct srv *s, bool block)
{
	for (;;) {
		if (s->inpos < s->inlen) {
			size_t used;
			enum rsp_event ev = rsp_reader_feed(&s->rd, s->in + s->inpos,
							    s->inlen - s->inpos, &used);
			s->inpos += used;
			if (ev != RSP_EV_NONE)
				return ev;
		}
		if (s->closed)
			return -1;
		ssize_t n = recv(s->fd, s->in, sizeof s->in, block ? 0 : MSG_DONTWAIT);
		if (n < 0 && errno == EINTR) {
			/* A signal: the console may want its prompt back. */
			if (s->o->cancelled && s->o->cancelled(s->o->cancel_arg)) {
				s->closed = s->cancelled = true;
				return -1;
			}
			continue;
		}
		if (n < 0 && !block && (errno == EAGAIN || errno == EWOULDBLOCK))
			return RSP_EV_NONE;
		if (n <= 0) {
			s->closed = true;
			return -1;
		}
		s->inpos = 0;
		s->inlen = (size_t)n;
	}
}

/* Writes everything, or gives the connection up: a client that stops
 * reading (its socket buffer full) for write_timeout_ms is gone as far as
 * we are concerned, so that it cannot hold the server (and rrtui) for
 * ever. gdb reads every reply before it sends the next packet, so a full
 * buffer only ever happens to a client that does not. */
static int write_all(struct srv *s, const char *buf, size_t len)
{
	int timeout = s->o->write_timeout_ms > 0 ? s->o->write_timeout_ms : GDB_WRITE_TIMEOUT_MS;

	while (len > 0 && !s->closed) {
		/* MSG_NOSIGNAL: a gdb that went away must not kill us by SIGPIPE. */
		ssize_t n = send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = s->fd, .events = POLLOUT };
			int r = poll(&p, 1, timeout);
			if (r > 0)
				continue;
			if (r < 0 && errno == EINTR) {
				/* A signal: the console may want its prompt back. */
				if (s->o->cancelled && s->o->cancelled(s->o->cancel_arg))
					s->cancelled = true;
				else
					continue;
			}
		}
		s->closed = true;
	}
	return s->closed ? -1 : 0;
}

static int send_packet(struct srv *s, const char *payload, size_t len)
{
	size_t flen = rsp_frame(s->frame, sizeof s->frame, payload, len, true);

	if (flen == (size_t)-1)
		return -1;	/* cannot happen: replies are bounded by REPLY_MAX */
	if (s->o->log)
		s->o->log(s->o->log_arg, "->", payload, len);
	for (int tries = 0;; tries++) {
		if (write_all(s, s->frame, flen) < 0)
			return -1;
		/* A packet gdb sent meanwhile (during a run) already stands for
		 * the ack; reading on would overwrite it in the reader. */
		if (s->noack || s->packet_pending)
			return 0;
		for (;;) {
			int ev = next_event(s, true);
			if (ev < 0)
				return -1;
			if (ev == RSP_EV_ACK)
				return 0;
			if (ev == RSP_EV_NAK)
				break;
			if (ev == RSP_EV_INTERRUPT) {
				s->interrupt_pending = true;
				continue;
			}
			/* gdb moved on: take its packet as the ack. */
			s->packet_pending = true;
			s->pending_ev = (enum rsp_event)ev;
			return 0;
		}
		if (tries >= MAX_RESENDS)
			return 0;	/* give up resending; gdb will time out and retry */
	}
}

static int reply_str(struct srv *s, const char *str)
{
	return send_packet(s, str, strlen(str));
}

static int reply_fmt(struct srv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int reply_fmt(struct srv *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(s->reply, sizeof s->reply, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof s->reply)
		n = (int)strlen(s->reply);
	return send_packet(s, s->reply, (size_t)n);
}

/* Console output gdb shows as it comes: 'O' + hex, in packet-sized pieces. */
static void console(struct srv *s, const char *text)
{
	size_t len = strlen(text);
	const size_t chunk = (REPLY_MAX - 2) / 2;

	while (len > 0 && !s->closed) {
		size_t n = len < chunk ? len : chunk;
		s->reply[0] = 'O';
		rsp_hex_encode(s->reply + 1, text, n);
		send_packet(s, s->reply, 1 + 2 * n);
		text += n;
		len -= n;
	}
}

static void console_cb(void *arg, const char *text)
{
	console(arg, text);
}

/* ---- Ctrl-C while the backend runs ------------------------------------ */

static int interrupted(void *arg)
{
	struct srv *s = arg;

	while (!s->interrupt_pending && !s->packet_pending) {
		int ev = next_event(s, false);
		if (ev < 0)
			return 1;	/* gdb is gone: no reason to keep running */
		if (ev == RSP_EV_NONE)
			break;
		if (ev == RSP_EV_INTERRUPT)
			s->interrupt_pending = true;
		else if (ev == RSP_EV_PACKET || ev == RSP_EV_BADSUM || ev == RSP_EV_OVERFLOW) {
			s->packet_pending = true;	/* not expected in all-stop; keep it */
			s->pending_ev = (enum rsp_event)ev;
		}
	}
	if (s->interrupt_pending) {
		s->interrupt_pending = false;
		return 1;
	}
	return 0;
}

/* ---- packet handlers -------------------------------------------------- */

static int64_t our_tid(struct srv *s)
{
	return s->o->ops->thread_id(s->o->be);
}

/* Does a thread id from gdb name our one thread (or all, or any)? */
static bool tid_matches(struct srv *s, const struct rsp_tid *t)
{
	int64_t me = our_tid(s);

	if (t->pid != 0 && t->pid != -1 && t->pid != me)
		return false;
	return t->tid == 0 || t->tid == -1 || t->tid == me;
}

/* The process a "D;pid" or "vKill;pid" names: ours, all, or the number
 * gdb gives a remote process when multiprocess is not negotiated (as
 * here): its MAGIC_NULL_PID, 42000. */
#define GDB_MAGIC_NULL_PID 42000

static bool pid_matches(struct srv *s, const struct rsp_tid *t)
{
	int64_t pid = t->pid ? t->pid : t->tid;

	return pid == -1 || pid == our_tid(s) || pid == GDB_MAGIC_NULL_PID;
}

static int send_stop(struct srv *s, const struct rsp_stop *st)
{
	size_t n = rsp_format_stop(s->reply, sizeof s->reply, st, our_tid(s),
				   s->gdb_features);
	return send_packet(s, s->reply, n);
}

static int do_resume(struct srv *s, enum gdb_resume_kind kind, enum gdb_direction dir,
		     int gdb_signo)
{
	const struct gdb_resume_ctl ctl = { interrupted, s };
	struct rsp_stop st = { .kind = RSP_STOP_SIGNAL, .signo = 5 };
	int signo = 0;

	if (gdb_signo) {
		signo = rsp_signal_from_gdb(gdb_signo);
		if (signo < 0)
			return reply_str(s, E_MALFORMED);
	}
	/* A Ctrl-C that arrived while stopped does not cut the next run short. */
	s->interrupt_pending = false;
	if (s->o->ops->resume(s->o->be, kind, dir, signo, &ctl, &st, s->err,
			      sizeof s->err) < 0) {
		console(s, s->err);
		console(s, "\n");
		return reply_str(s, E_BACKEND);
	}
	s->last_stop = st;
	s->have_stop = true;
	return send_stop(s, &st);
}

static int do_vcont(struct srv *s, const struct rsp_packet *pkt)
{
	/* The leftmost action that applies to our thread wins. */
	for (int i = 0; i < pkt->nactions; i++) {
		const struct rsp_vcont_action *a = &pkt->actions[i];
		if (a->has_tid && !tid_matches(s, &a->tid))
			continue;
		return do_resume(s, a->op == 's' ? GDB_STEP : GDB_CONTINUE, GDB_FORWARD,
				 a->gdb_signo);
	}
	return reply_str(s, E_THREAD);
}

static int do_regs(struct srv *s, int only)
{
	struct gdb_regs regs;
	size_t n = 0;

	gdb_regs_clear(&regs);
	if (s->o->ops->get_regs(s->o->be, &regs, s->err, sizeof s->err) < 0)
		return reply_str(s, E_BACKEND);
	for (int i = 0; i < GDB_NREGS; i++) {
		if (only >= 0 && i != only)
			continue;
		const struct gdb_reg_desc *d = &gdb_reg_table[i];
		if (regs.avail[i])
			rsp_hex_encode(s->reply + n, regs.bytes + d->offset, d->size);
		else
			memset(s->reply + n, 'x', 2 * d->size);
		n += 2 * d->size;
	}
	return send_packet(s, s->reply, n);
}

static int do_read_mem(struct srv *s, const struct rsp_packet *pkt, bool binary)
{
	uint8_t *buf = s->mem;
	/* Fewer bytes than asked is a valid answer; gdb asks again for the
	 * rest. Bound by what a reply can hold. */
	size_t max = binary ? REPLY_MAX - 65 : (REPLY_MAX - 64) / 2;
	size_t len = pkt->len < max ? (size_t)pkt->len : max;
	size_t got = 0;

	if (len == 0)
		return reply_str(s, binary ? "b" : E_MALFORMED);
	if (pkt->addr + len < pkt->addr)
		len = (size_t)(UINT64_MAX - pkt->addr) + 1;	/* no wrap past the top */
	if (s->o->ops->read_mem(s->o->be, pkt->addr, buf, len, &got, s->err,
				sizeof s->err) < 0 || got == 0)
		return reply_str(s, E_BACKEND);
	if (got > len)
		got = len;
	if (binary) {
		s->reply[0] = 'b';
		memcpy(s->reply + 1, buf, got);
		return send_packet(s, s->reply, got + 1);
	}
	return send_packet(s, s->reply, rsp_hex_encode(s->reply, buf, got));
}

static int xfer(struct srv *s, const void *data, size_t len, const struct rsp_packet *pkt)
{
	uint64_t want = pkt->len < REPLY_MAX - 64 ? pkt->len : REPLY_MAX - 64;

	/* Nothing asked for: an 'm' with no data would make no progress. */
	if (want == 0)
		return reply_str(s, E_MALFORMED);
	size_t n = rsp_xfer_reply(s->reply, sizeof s->reply, data, len, pkt->offset, want);
	return send_packet(s, s->reply, n);
}

/* ---- qXfer:libraries-svr4:read ----------------------------------------
 *
 * The list of loaded libraries, as gdbserver builds it, so gdb need not
 * walk the dynamic linker's list itself with a dozen 'm' packets per
 * library at every library event. Everything comes through the backend's
 * auxv and read_mem: the program headers (AT_PHDR, AT_PHNUM) give the load
 * bias (PT_PHDR) and the dynamic section (PT_DYNAMIC), whose DT_DEBUG
 * entry the dynamic linker fills with the address of its struct r_debug;
 * r_debug.r_map is the head of the link_map list. The first link_map is
 * the program itself (gdb's main-lm); every other one with a name is a
 * library. gdb 13 wants each library's namespace (lmid): the address of
 * the r_debug that lists it, as gdbserver sends; only the default
 * namespace is walked (dlmopen's others hang off r_debug_extended.r_next).
 * Before the dynamic linker has filled DT_DEBUG (at the exec, or
 * in a static program) the list is empty, and gdb then names the dynamic
 * linker from PT_INTERP itself, as it does with gdbserver.
 */

/* x86-64 ELF and <link.h> numbers; the layouts are the LP64 ABI's. */
#define AT_NULL_ 0
#define AT_PHDR_ 3
#define AT_PHENT_ 4
#define AT_PHNUM_ 5
#define PT_DYNAMIC_ 2
#define PT_PHDR_ 6
#define DT_NULL_ 0
#define DT_DEBUG_ 21
#define PHDR_SIZE 56            /* Elf64_Phdr */
#define R_DEBUG_R_MAP 8         /* struct r_debug: int r_version; link_map *r_map */
#define LM_L_ADDR 0             /* struct link_map: l_addr, l_name, l_ld, l_next, l_prev */
#define LM_L_NAME 8
#define LM_L_LD 16
#define LM_L_NEXT 24
#define LM_L_PREV 32
/* Bounds against a corrupt or looping list in the recorded memory. */
#define SVR4_MAX_PHDRS 256
#define SVR4_MAX_DYN 4096
#define SVR4_MAX_LIBS 4096
#define SVR4_NAME_MAX 4096
#define SVR4_MAX_BYTES (1u << 20)

static bool read_exact(struct srv *s, uint64_t addr, void *buf, size_t len)
{
	size_t got = 0;

	return s->o->ops->read_mem(s->o->be, addr, buf, len, &got, s->err, sizeof s->err) == 0 &&
	       got == len;
}

static bool read_u64(struct srv *s, uint64_t addr, uint64_t *v)
{
	return read_exact(s, addr, v, 8);
}

/* Appends to the list being built; false when out of memory (or past a
 * size no real list reaches: a looping list in corrupt memory). */
static bool svr4_put(struct srv *s, const char *text, size_t len)
{
	if (s->svr4_len + len + 1 > SVR4_MAX_BYTES)
		return false;
	if (s->svr4_len + len + 1 > s->svr4_cap) {
		size_t cap = s->svr4_cap ? s->svr4_cap : 1024;
		while (cap < s->svr4_len + len + 1)
			cap *= 2;
		char *n = realloc(s->svr4, cap);
		if (!n)
			return false;
		s->svr4 = n;
		s->svr4_cap = cap;
	}
	memcpy(s->svr4 + s->svr4_len, text, len);
	s->svr4_len += len;
	s->svr4[s->svr4_len] = '\0';
	return true;
}

static bool svr4_putf(struct srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool svr4_putf(struct srv *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < sizeof buf && svr4_put(s, buf, (size_t)n);
}

/* A library's path as an XML attribute value. */
static bool svr4_put_escaped(struct srv *s, const char *str)
{
	for (; *str; str++) {
		const char *e = *str == '&' ? "&amp;" : *str == '<' ? "&lt;" :
				*str == '>' ? "&gt;" : *str == '"' ? "&quot;" :
				*str == '\'' ? "&apos;" : NULL;
		if (!(e ? svr4_put(s, e, strlen(e)) : svr4_put(s, str, 1)))
			return false;
	}
	return true;
}

/* The address of struct r_debug, 0 when the dynamic linker has not set it
 * (or the program has no dynamic section). */
static uint64_t svr4_r_debug(struct srv *s)
{
	const void *data;
	size_t len;
	uint64_t phdr = 0, phnum = 0, phent = PHDR_SIZE, bias = 0, dyn = 0, dynsz = 0;
	bool have_bias = false;

	if (s->o->ops->auxv(s->o->be, &data, &len, s->err, sizeof s->err) < 0)
		return 0;
	for (size_t i = 0; i + 16 <= len; i += 16) {
		uint64_t kv[2];
		memcpy(kv, (const uint8_t *)data + i, 16);
		if (kv[0] == AT_NULL_)
			break;
		if (kv[0] == AT_PHDR_)
			phdr = kv[1];
		else if (kv[0] == AT_PHNUM_)
			phnum = kv[1];
		else if (kv[0] == AT_PHENT_)
			phent = kv[1];
	}
	if (!phdr || !phnum || phnum > SVR4_MAX_PHDRS || phent < PHDR_SIZE || phent > 1024)
		return 0;
	for (uint64_t i = 0; i < phnum; i++) {
		uint8_t ph[PHDR_SIZE];
		uint32_t type;
		uint64_t vaddr, memsz;
		if (!read_exact(s, phdr + i * phent, ph, sizeof ph))
			return 0;
		memcpy(&type, ph, 4);
		memcpy(&vaddr, ph + 16, 8);	/* p_vaddr */
		memcpy(&memsz, ph + 40, 8);	/* p_memsz */
		if (type == PT_PHDR_) {
			bias = phdr - vaddr;
			have_bias = true;
		} else if (type == PT_DYNAMIC_) {
			dyn = vaddr;
			dynsz = memsz;
		}
	}
	/* Without PT_PHDR the bias is unknown; such programs (static ones)
	 * have no DT_DEBUG either, gdbserver reasons the same way. */
	if (!have_bias || !dyn)
		return 0;
	dyn += bias;
	for (uint64_t off = 0; off + 16 <= dynsz && off < 16 * SVR4_MAX_DYN; off += 16) {
		uint64_t tag, val;
		if (!read_u64(s, dyn + off, &tag) || !read_u64(s, dyn + off + 8, &val))
			return 0;
		if (tag == DT_NULL_)
			break;
		if (tag == DT_DEBUG_)
			return val;
	}
	return 0;
}

/* Builds the list into s->svr4; false only when out of memory (a list the
 * recorded memory cuts short ends where it became unreadable). */
static bool svr4_list(struct srv *s)
{
	static const char head[] = "<library-list-svr4 version=\"1.0\"";
	uint64_t r_debug = svr4_r_debug(s), lm = 0, prev = 0;
	char *name = s->reply;	/* free until the reply is built */
	int n = 0;

	s->svr4_len = 0;
	if (!r_debug || !read_u64(s, r_debug + R_DEBUG_R_MAP, &lm) || !lm)
		return svr4_put(s, head, strlen(head)) && svr4_put(s, "/>", 2);
	if (!svr4_put(s, head, strlen(head)) || !svr4_putf(s, " main-lm=\"0x%" PRIx64 "\">", lm))
		return false;
	for (prev = lm; ; prev = lm) {
		uint64_t next, l_prev;
		if (!read_u64(s, lm + LM_L_NEXT, &next) || !next || ++n > SVR4_MAX_LIBS)
			break;
		/* A list whose back link disagrees is being changed or broken:
		 * stop there rather than follow it. */
		if (!read_u64(s, next + LM_L_PREV, &l_prev) || l_prev != prev)
			break;
		lm = next;
		uint64_t l_addr, l_name, l_ld;
		if (!read_u64(s, lm + LM_L_ADDR, &l_addr) || !read_u64(s, lm + LM_L_NAME, &l_name) ||
		    !read_u64(s, lm + LM_L_LD, &l_ld))
			break;
		/* The name, read in pieces: a short read at the end of a
		 * mapping still gives the part before it. */
		size_t len = 0;
		while (len < SVR4_NAME_MAX) {
			size_t got = 0, want = 256;
			if (l_name == 0 || s->o->ops->read_mem(s->o->be, l_name + len, name + len, want,
							     &got, s->err, sizeof s->err) < 0 || got == 0)
				break;
			void *nul = memchr(name + len, '\0', got);
			len += got;
			if (nul) {
				len = (size_t)((char *)nul - name);
				break;
			}
		}
		if (len >= SVR4_NAME_MAX)
			len = SVR4_NAME_MAX - 1;
		name[len] = '\0';
		if (!name[0])
			continue;	/* the vDSO, which has no file */
		if (!svr4_put(s, "<library name=\"", 15) || !svr4_put_escaped(s, name) ||
		    !svr4_putf(s, "\" lm=\"0x%" PRIx64 "\" l_addr=\"0x%" PRIx64 "\" l_ld=\"0x%" PRIx64
			       "\" lmid=\"0x%" PRIx64 "\"/>", lm, l_addr, l_ld, r_debug))
			return false;
	}
	return svr4_put(s, "</library-list-svr4>", 20);
}

static int do_qxfer(struct srv *s, const struct rsp_packet *pkt)
{
	const struct gdb_backend *ops = s->o->ops;

	if (strcmp(pkt->object, "features") == 0) {
		if (strcmp(pkt->annex, "target.xml") != 0)
			return reply_str(s, E_MALFORMED);
		return xfer(s, gdb_target_xml, gdb_target_xml_len, pkt);
	}
	if (strcmp(pkt->object, "auxv") == 0 && ops->auxv) {
		const void *data;
		size_t len;
		if (pkt->annex[0])
			return reply_str(s, E_MALFORMED);
		if (ops->auxv(s->o->be, &data, &len, s->err, sizeof s->err) < 0)
			return reply_str(s, E_BACKEND);
		return xfer(s, data, len, pkt);
	}
	if (strcmp(pkt->object, "exec-file") == 0 && ops->exec_file) {
		char path[4096];
		/* The annex is a pid in hex, or empty for the current process. */
		if (pkt->annex[0]) {
			struct rsp_tid t = { 0, 0 };
			const char *p = pkt->annex;
			uint64_t pid;
			if (rsp_parse_hex(&p, p + strlen(p), &pid) < 0 || *p || pid > INT64_MAX)
				return reply_str(s, E_MALFORMED);
			t.pid = (int64_t)pid;
			t.tid = -1;
			if (!tid_matches(s, &t))
				return reply_str(s, E_THREAD);
		}
		if (ops->exec_file(s->o->be, path, sizeof path, s->err, sizeof s->err) < 0)
			return reply_str(s, E_BACKEND);
		return xfer(s, path, strnlen(path, sizeof path), pkt);
	}
	if (strcmp(pkt->object, "libraries-svr4") == 0 && ops->auxv) {
		/* No annex: we do not offer the incremental form
		 * (augmented-libraries-svr4-read). */
		if (pkt->annex[0])
			return reply_str(s, E_MALFORMED);
		/* gdb starts each read at offset 0: build the list then, and
		 * give the later pieces from the same text. */
		if ((pkt->offset == 0 || !s->svr4) && !svr4_list(s)) {
			s->svr4_len = 0;	/* no half list for the later pieces */
			return reply_str(s, E_BACKEND);
		}
		return xfer(s, s->svr4, s->svr4_len, pkt);
	}
	return reply_str(s, "");	/* an object we do not offer */
}

static int do_monitor(struct srv *s, const struct rsp_packet *pkt)
{
	if (!s->o->ops->monitor)
		return reply_str(s, "");
	if (s->o->ops->monitor(s->o->be, pkt->rcmd, console_cb, s, s->err,
			       sizeof s->err) < 0) {
		/* gdb shows only "Protocol error" for an E reply: say why first. */
		console(s, s->err);
		console(s, "\n");
		return reply_str(s, E_BACKEND);
	}
	return reply_str(s, "OK");
}

/* Handles one packet; 1 when the session is over (*end set). */
static int handle(struct srv *s, const char *payload, size_t len, enum gdb_end *end)
{
	struct rsp_packet *p = &s->pkt;
	const struct gdb_backend *ops = s->o->ops;
	char perr[128];

	if (s->o->log)
		s->o->log(s->o->log_arg, "<-", payload, len);
	rsp_parse(payload, len, p, perr, sizeof perr);
	switch (p->kind) {
	case RSP_UNKNOWN:
	case RSP_VMUSTREPLYEMPTY:
	case RSP_QOFFSETS:	/* a process: gdb uses the ELF's own addresses */
		reply_str(s, "");
		break;
	case RSP_MALFORMED:
		reply_str(s, E_MALFORMED);
		break;
	case RSP_QSUPPORTED:
		s->gdb_features = p->gdb_features;
		/* The library list is built from auxv and memory (svr4_list). */
		reply_fmt(s, "PacketSize=%x;QStartNoAckMode+;qXfer:features:read+;%s%s%s"
			  "swbreak+;hwbreak+;vContSupported+;ReverseStep+;ReverseContinue+",
			  RSP_PACKET_SIZE, ops->auxv ? "qXfer:auxv:read+;" : "",
			  ops->exec_file ? "qXfer:exec-file:read+;" : "",
			  ops->auxv ? "qXfer:libraries-svr4:read+;" : "");
		break;
	case RSP_NOACK:
		/* The OK itself is still acknowledged; silence starts after. */
		reply_str(s, "OK");
		s->noack = true;
		break;
	case RSP_HALT_REASON: {
		struct rsp_stop st = { .kind = RSP_STOP_SIGNAL, .signo = 5 };
		if (ops->current_stop)
			ops->current_stop(s->o->be, &st);
		else if (s->have_stop)
			st = s->last_stop;
		send_stop(s, &st);
		break;
	}
	case RSP_READ_REGS:
		do_regs(s, -1);
		break;
	case RSP_READ_REG:
		if (p->regno >= GDB_NREGS)
			reply_str(s, E_MALFORMED);
		else
			do_regs(s, p->regno);
		break;
	case RSP_READ_MEM:
	case RSP_READ_MEM_BIN:
		do_read_mem(s, p, p->kind == RSP_READ_MEM_BIN);
		break;
	case RSP_WRITE:
		reply_str(s, E_REFUSED);	/* a replay cannot be changed */
		break;
	case RSP_SET_THREAD:
	case RSP_THREAD_ALIVE:
		reply_str(s, tid_matches(s, &p->tid) ? "OK" : E_THREAD);
		break;
	case RSP_QC:
		reply_fmt(s, "QC%llx", (unsigned long long)our_tid(s));
		break;
	case RSP_QFTHREADINFO:
		reply_fmt(s, "m%llx", (unsigned long long)our_tid(s));
		break;
	case RSP_QSTHREADINFO:
		reply_str(s, "l");
		break;
	case RSP_QATTACHED:
		/* "attached": on quit gdb detaches instead of killing. */
		reply_str(s, "1");
		break;
	case RSP_VCONT_QUERY:
		reply_str(s, "vCont;c;C;s;S");
		break;
	case RSP_VCONT:
		do_vcont(s, p);
		break;
	case RSP_CONTINUE:
	case RSP_STEP:
		if (p->has_addr)
			reply_str(s, E_REFUSED);	/* would change the pc */
		else
			do_resume(s, p->kind == RSP_STEP ? GDB_STEP : GDB_CONTINUE,
				  GDB_FORWARD, p->gdb_signo);
		break;
	case RSP_REV_CONTINUE:
	case RSP_REV_STEP:
		do_resume(s, p->kind == RSP_REV_STEP ? GDB_STEP : GDB_CONTINUE,
			  GDB_BACKWARD, 0);
		break;
	case RSP_INSERT_BP:
	case RSP_REMOVE_BP:
		if (ops->set_break(s->o->be, (enum gdb_bp_type)p->bp_type, p->addr, p->len,
				   p->kind == RSP_INSERT_BP, s->err, sizeof s->err) < 0)
			reply_str(s, E_BACKEND);
		else
			reply_str(s, "OK");
		break;
	case RSP_QRCMD:
		do_monitor(s, p);
		break;
	case RSP_QXFER_READ:
		do_qxfer(s, p);
		break;
	case RSP_QSYMBOL:
		reply_str(s, "OK");
		break;
	case RSP_DETACH:
	case RSP_VKILL:
		/* "D;pid", "vKill;pid": only our process can be let go. */
		if (p->has_tid && !pid_matches(s, &p->tid)) {
			reply_str(s, E_THREAD);
			break;
		}
		reply_str(s, "OK");
		*end = p->kind == RSP_DETACH ? GDB_END_DETACH : GDB_END_KILL;
		return 1;
	case RSP_KILL:
		/* 'k' has no reply. */
		*end = GDB_END_KILL;
		return 1;
	}
	return 0;
}

/* Before blocking for gdb's next packet: when nothing comes for IDLE_MS,
 * tell the owner once (gdb_serve_opts.idle). A signal that interrupts the
 * wait is looked at as in next_event. */
static void wait_idle(struct srv *s)
{
	if (s->inpos < s->inlen || s->closed)
		return;
	if (wait_idle_fd(s->fd, s->o))
		s->closed = s->cancelled = true;
}

/* Reads and answers packets until the session ends; 0 on a normal end
 * (including a lost connection). */
static int serve_loop(struct srv *s, enum gdb_end *end)
{
	for (;;) {
		int ev;
		if (s->packet_pending) {
			s->packet_pending = false;
			ev = s->pending_ev;
		} else {
			wait_idle(s);
			ev = next_event(s, true);
		}
		if (ev < 0)
			return 0;	/* gdb went away: the backend is untouched */
		switch (ev) {
		case RSP_EV_PACKET:
			if (!s->noack && write_all(s, "+", 1) < 0)
				return 0;
			if (handle(s, s->rd.payload, s->rd.paylen, end))
				return 0;
			break;
		case RSP_EV_BADSUM:
			if (!s->noack && write_all(s, "-", 1) < 0)
				return 0;
			break;
		case RSP_EV_OVERFLOW:
			if (!s->noack && write_all(s, "+", 1) < 0)
				return 0;
			reply_str(s, E_MALFORMED);
			break;
		default:
			break;	/* stray acks; Ctrl-C while stopped */
		}
		if (s->closed)
			return 0;
	}
}

int gdb_serve(int fd, const struct gdb_serve_opts *opts, enum gdb_end *end,
	      char *err, size_t errlen)
{
	struct srv *s;
	int rc;

	if (!opts || !opts->ops || !opts->ops->get_regs || !opts->ops->read_mem ||
	    !opts->ops->resume || !opts->ops->set_break || !opts->ops->thread_id)
		return fail(err, errlen, "gdb server: incomplete backend");
	/* About 100 KiB of packet buffers: on the heap, one per session. */
	s = calloc(1, sizeof *s);
	if (!s)
		return fail(err, errlen, "gdb server: out of memory");
	s->fd = fd;
	s->o = opts;
	rsp_reader_init(&s->rd);
	*end = GDB_END_DISCONNECT;
	rc = serve_loop(s, end);
	if (s->cancelled)
		*end = GDB_END_CANCELLED;
	free(s->svr4);
	free(s);
	return rc;
}

