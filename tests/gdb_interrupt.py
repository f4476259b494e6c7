#!/usr/bin/env python3
# tests/gdb_interrupt.py — gdb's Ctrl-C on the remote protocol, as gdb sends
# it: a continue (forward, or reverse after running to the end), then a
# 0x03 byte. The server must answer with a SIGINT stop (T02) at a position
# it can name (monitor when), and the replay must go on from there to the
# end. Prints one line per check ("ok: ..." / "FAIL: ...").
#   gdb_interrupt.py PORT forward|reverse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gdb_client import Client  # noqa: E402

port, direction = int(sys.argv[1]), sys.argv[2]
c = Client(port)
c.noack()
if direction == "reverse":
    c.send("vCont;c")
    r = c.reply()
    c.check("forward to the end", "replaylog:end" in r, r)
    c.send("bc")
else:
    c.send("vCont;c")
# Right after the packet, as a user's Ctrl-C would come while it runs:
# before the motion starts or during it, the answer is the same.
c.sock.sendall(b"\x03")
r = c.reply()
c.check(direction + ": Ctrl-C gives a SIGINT stop", r.startswith("T02"), r)
text = c.monitor("when")
m = re.search(r"Current event: (\d+)", text)
c.check(direction + ": monitor when names the position", m is not None, text)
if m:
    print("   stopped at event", m.group(1))
c.send("vCont;c" if direction == "forward" else "bc")
r = c.reply()
want = "replaylog:end" if direction == "forward" else "replaylog:begin"
c.check(direction + ": the replay goes on from there", want in r, r)
c.sock.close()
sys.exit(1 if c.failed else 0)
