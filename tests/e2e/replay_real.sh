#!/bin/bash
# Record and replay real programs (ls, python3, date, sort -R, sqlite3): each
# replay must print what the recording printed and exit with its status, and
# two recordings of a command with random or time-dependent output differ.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ls: directory reading, lstat/statx of every entry, xattrs, locale files.
record_replay ls 0 ls -l /usr/bin

# python3: hundreds of syscalls at start-up, getrandom for hash seeds,
# time, getpid.  /usr/bin/python3 explicitly: a pyenv shim may be first in PATH.
if [ -x /usr/bin/python3 ]; then
    py='import random,time,os; print(random.random(), time.time(), os.getpid())'
    record_replay python 0 /usr/bin/python3 -c "$py"
    record python2 /usr/bin/python3 -c "$py" && differ python python2 "python3"
else
    echo "note: /usr/bin/python3 not installed, python checks skipped"
fi

# date: the time through the vDSO.
record_replay date 0 date +%s.%N
record date2 date +%s.%N && differ date date2 "date"

# sort -R: a random hash key from getrandom.
seq 1 200 | sed 's/^/line /' >"$TMP/lines.txt"
record_replay sort 0 sort -R "$TMP/lines.txt"
record sort2 sort -R "$TMP/lines.txt" && differ sort sort2 "sort -R"

# sqlite3: reads statements from stdin; random() and datetime('now').
if command -v sqlite3 >/dev/null 2>&1; then
    cat >"$TMP/statements.sql" <<'SQL'
create table t(id integer primary key, r integer);
insert into t(r) values (random());
insert into t(r) values (random());
insert into t(r) select r / 2 from t;
select id, r from t;
select count(*), datetime('now') from t;
SQL
    REC_STDIN=$TMP/statements.sql record_replay sqlite3 0 sqlite3 :memory:
    grep -q '^4|' "$TMP/sqlite3.rec.out" || fail "sqlite3: unexpected output"
    REC_STDIN=$TMP/statements.sql record sqlite3b sqlite3 :memory: &&
        differ sqlite3 sqlite3b "sqlite3"
    finish
else
    # Everything else ran; say that sqlite3 was not tested.
    echo "SKIP: sqlite3 not installed"
    [ "$failures" -eq 0 ] && exit 77
    finish
fi
