#!/usr/bin/env python3
# tests/gdb_hostile.py — clients of the gdb remote port that gdb would never
# be, for tests/gdb_reconnect.sh. Each mode prints one line per check
# ("ok: ..." / "FAIL: ...") and exits 1 on a failure.
#   gdb_hostile.py PORT flood    '$' and a megabyte without '#': the server
#                                answers E02 at once and goes on serving
#   gdb_hostile.py PORT hangup   many reads asked, then gone mid-reply
#   gdb_hostile.py PORT noread   asks for replies and never reads them: once
#                                the server's writes are stuck it prints
#                                "blocked" and waits for a line on stdin
#   gdb_hostile.py PORT when     prints the position (monitor when)
import os
import select
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gdb_client import Client, frame  # noqa: E402

port, mode = int(sys.argv[1]), sys.argv[2]
c = Client(port, timeout=60)
c.noack()
read_req = frame(b"m7fffffffe000,4000")

if mode == "flood":
    c.sock.sendall(b"$" + b"a" * (1 << 20))
    r = c.reply()
    c.check("a megabyte without '#' is refused at once", r == "E02", r)
    c.send("qC")
    r = c.reply()
    c.check("the session goes on", r.startswith("QC"), r)
elif mode == "hangup":
    c.sock.sendall(read_req * 200)
    c.sock.close()
    print("ok: asked 200 reads and hung up")
elif mode == "noread":
    # Our send buffer fills only once the server has stopped reading, which
    # it does while its own writes to us are stuck.
    c.sock.setblocking(False)
    while True:
        try:
            c.sock.send(read_req * 64)
        except BlockingIOError:
            _, w, _ = select.select([], [c.sock], [], 2.0)
            if not w:
                break
    print("blocked", flush=True)
    sys.stdin.readline()
    c.sock.close()
elif mode == "when":
    print(c.monitor("when").strip().replace("\n", " | "))
sys.exit(1 if c.failed else 0)
