#!/usr/bin/env bash
# tests/e2e/spawn.sh — programs that start other programs: fork + wait in a
# shell, vfork-style posix_spawn from python's subprocess and system() from
# C (both recorded as a plain fork), a SIGCHLD. The parent's view (its
# pipes, wait statuses, signals) replays byte for byte; the children run
# unrecorded, so only what reaches the parent is compared.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no /usr/bin/python3"

record_replay sh_fork_wait 0 sh -c 'echo start; (exit 3) & wait $!; echo "child said $?"; echo done'
record_replay py_subprocess 0 "$PY" -c '
import subprocess, signal, os
got = []
signal.signal(signal.SIGCHLD, lambda s, f: got.append(s))
r = subprocess.run(["/bin/echo", "from child"], capture_output=True)
print(r.returncode, r.stdout)
p = subprocess.Popen(["/bin/sh", "-c", "exit 5"]); print("exit", p.wait())
print("sigchld seen:", bool(got))'
cat > "$TMP/system.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
int main(void)
{
	int st = system("exit 7");
	printf("system gave %d\n", WEXITSTATUS(st));
	return 0;
}
C
if cc -o "$TMP/system" "$TMP/system.c" 2>/dev/null; then
	record_replay c_system 0 "$TMP/system"
fi
finish
