# tests/gdb_client.py — the remote protocol as a client speaks it, for the
# gdb server's Python test clients (gdb_interrupt.py, gdb_hostile.py):
# framing, replies (run-length encoding undone, acks dropped), monitor
# commands, and checks that print "ok: ..." or "FAIL: ...".
import re
import socket


def frame(body):
    """One packet: $body#checksum (body as bytes)."""
    return b"$%s#%02x" % (body, sum(body) % 256)


def unrle(body):
    # The protocol's run-length encoding: "c*N" is c repeated 1 + (N - 29) times.
    out = []
    i = 0
    while i < len(body):
        if body[i] == "*" and out and i + 1 < len(body):
            out.append(out[-1] * (ord(body[i + 1]) - 29))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


class Client:
    def __init__(self, port, timeout=120):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.failed = 0

    def send(self, body):
        self.sock.sendall(frame(body.encode()))

    def reply(self):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return unrle(m.group(1).decode("latin-1"))
            data = self.sock.recv(65536)
            if not data:
                raise SystemExit("FAIL: the server closed the connection")
            self.buf += data.replace(b"+", b"")

    def noack(self):
        self.send("QStartNoAckMode")
        r = self.reply()
        self.check("no-ack mode", r == "OK", r)

    def monitor(self, cmd):
        """A monitor command's console output (its O packets)."""
        self.send("qRcmd," + cmd.encode().hex())
        text = ""
        r = self.reply()
        while r.startswith("O") and r != "OK":
            text += bytes.fromhex(r[1:]).decode()
            r = self.reply()
        return text

    def check(self, name, ok, got):
        print(("ok: " if ok else "FAIL: ") + name + ("" if ok else " (got %r)" % got), flush=True)
        self.failed += not ok
