#!/usr/bin/env python3
# tests/gdb_interrupt.py — gdb's Ctrl-C on the remote protocol, as gdb sends
# it: a continue (forward, or reverse after running to the end), then a
# 0x03 byte. The server must answer with a SIGINT stop (T02) at a position
# it can name (monitor when), and the replay must go on from there to the
# end. Prints one line per check ("ok: ..." / "FAIL: ...").
#   gdb_interrupt.py PORT forward|reverse
import re
import socket
import sys

port, direction = int(sys.argv[1]), sys.argv[2]
sock = socket.create_connection(("127.0.0.1", port), timeout=120)
buf = b""
failed = 0


def send(body):
    sock.sendall(b"$%s#%02x" % (body.encode(), sum(body.encode()) % 256))


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


def reply():
    global buf
    while True:
        m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", buf)
        if m:
            buf = buf[m.end():]
            return unrle(m.group(1).decode())
        data = sock.recv(65536)
        if not data:
            raise SystemExit("FAIL: the server closed the connection")
        buf += data.replace(b"+", b"")


def check(name, ok, got):
    global failed
    print(("ok: " if ok else "FAIL: ") + name + ("" if ok else " (got %r)" % got))
    failed += not ok


send("QStartNoAckMode")
check("no-ack mode", reply() == "OK", None)
if direction == "reverse":
    send("vCont;c")
    r = reply()
    check("forward to the end", "replaylog:end" in r, r)
    send("bc")
else:
    send("vCont;c")
# Right after the packet, as a user's Ctrl-C would come while it runs:
# before the motion starts or during it, the answer is the same.
sock.sendall(b"\x03")
r = reply()
check(direction + ": Ctrl-C gives a SIGINT stop", r.startswith("T02"), r)
send("qRcmd," + b"when".hex())
text = ""
r = reply()
while r.startswith("O") and r != "OK":
    text += bytes.fromhex(r[1:]).decode()
    r = reply()
m = re.search(r"Current event: (\d+)", text)
check(direction + ": monitor when names the position", m is not None, text)
if m:
    print("   stopped at event", m.group(1))
send("vCont;c" if direction == "forward" else "bc")
r = reply()
want = "replaylog:end" if direction == "forward" else "replaylog:begin"
check(direction + ": the replay goes on from there", want in r, r)
sock.close()
sys.exit(1 if failed else 0)
