# tests/e2e/lib.sh — shared helpers for the end-to-end tests (sourced).
#
# Each test sources this file first.  It finds the rrtui binary ($RRTUI, set by
# `make check`; when run by hand, $top_builddir/rrtui or ./rrtui), skips the
# test (exit 77) when it is not built, makes a private temporary directory
# $TMP (removed on exit) and points $RRTUI_TRACE_DIR into it, so that tests
# never touch the user's traces and can run in parallel.
#
# Checks do not stop the test: `fail` counts, and `finish` exits 1 if anything
# failed, 0 otherwise.  Every rrtui run goes through `timeout`, so a hang
# becomes a failure ("timed out") instead of blocking `make check`.

set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$E2E_DIR/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${RRTUI:=$top_builddir/rrtui}"
SAMPLES=$top_builddir/samples
RR_TIMEOUT=${RR_TIMEOUT:-120}

if [ ! -x "$RRTUI" ]; then
    echo "SKIP: rrtui binary not found at $RRTUI"
    exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrtui-e2e.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
export RRTUI_TRACE_DIR=$TMP/traces
mkdir -p "$RRTUI_TRACE_DIR"
unset RRTUI_FORCE_TRACE_VERSION

failures=0
checks=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
    checks=$((checks + 1))
}

pass() {
    echo "ok: $*"
    checks=$((checks + 1))
}

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ] && exit 0
    exit 1
}

# Skip the whole test (when a tool it needs is missing).
skip() {
    echo "SKIP: $*"
    exit 77
}

need_sample() {
    local s
    for s in "$@"; do
        [ -x "$SAMPLES/$s" ] || skip "sample $SAMPLES/$s not built"
    done
}

# Show the start of a file in the log (indented), for failure reports.
show() {
    local label=$1 file=$2
    echo "  --- $label ($(wc -c <"$file") bytes):"
    head -n "${3:-10}" "$file" | sed 's/^/  | /'
}

# rr ARGS...: run rrtui under timeout; stdin is the caller's.
rr() {
    timeout -k 10 "$RR_TIMEOUT" "$RRTUI" "$@"
}

# A status that means rrtui crashed or hung rather than reported an error.
# (timeout exits 124 when the time ran out, 128+N when rrtui died of signal N.)
bad_status() {
    [ "$1" -eq 124 ] || [ "$1" -ge 128 ]
}

# record NAME CMD ARGS...
#   Records CMD into the trace $TMP/NAME.trace.  stdin comes from the file
#   $REC_STDIN (default /dev/null), or is the caller's own if REC_STDIN=-.
#   Leaves $TMP/NAME.rec.out, NAME.rec.err (the program's stderr: rrtui's
#   "trace saved" line removed), NAME.rec.err.raw, and the exit status in
#   $rec_status.  Fails the check if no "rrtui: trace saved in DIR" line names
#   an existing directory.  Returns 0 when the recording exists.
record() {
    local name=$1; shift
    local dir=$TMP/$name.trace saved
    if [ "${REC_STDIN:-/dev/null}" = - ]; then
        rr record -o "$dir" -- "$@" >"$TMP/$name.rec.out" 2>"$TMP/$name.rec.err.raw"
    else
        rr record -o "$dir" -- "$@" >"$TMP/$name.rec.out" 2>"$TMP/$name.rec.err.raw" \
            <"${REC_STDIN:-/dev/null}"
    fi
    rec_status=$?
    grep -v '^rrtui: trace saved in ' "$TMP/$name.rec.err.raw" >"$TMP/$name.rec.err"
    saved=$(sed -n 's/^rrtui: trace saved in //p' "$TMP/$name.rec.err.raw" | tail -n 1)
    if [ -z "$saved" ]; then
        fail "$name: record printed no 'rrtui: trace saved in DIR' line (status $rec_status)"
        show "record stderr" "$TMP/$name.rec.err.raw"
        return 1
    fi
    if [ ! -d "$saved" ] || [ ! -d "$dir" ]; then
        fail "$name: trace directory '$saved' (asked for $dir) does not exist"
        return 1
    fi
    return 0
}

# expect_status NAME WHAT GOT WANTED
expect_status() {
    local what="$1: ${2:+$2 }exit status"
    if [ "$3" -eq "$4" ]; then
        pass "$what $3"
    else
        fail "$what $3, expected $4"
        [ "$3" -eq 124 ] && echo "  (timed out after ${RR_TIMEOUT}s)"
    fi
}

# same_file NAME WHAT EXPECTED GOT: byte-identical files, else show both.
same_file() {
    if cmp -s "$3" "$4"; then
        return 0
    fi
    fail "$1: $2 differs"
    diff -u "$3" "$4" | head -n 20 | sed 's/^/  /'
    return 1
}

# replay NAME [TAG] [extra replay options...]: replay $TMP/NAME.trace with
# -a into NAME.TAG.out/err; status in $rep_status.  stdin is /dev/null unless
# REP_STDIN names another file.
replay() {
    local name=$1 tag=${2:-rep}
    shift 2 2>/dev/null || shift $#
    rr replay -a "$@" "$TMP/$name.trace" >"$TMP/$name.$tag.out" 2>"$TMP/$name.$tag.err" \
        <"${REP_STDIN:-/dev/null}"
    rep_status=$?
}

# replay_check NAME [TIMES]: replay the trace TIMES (3) times; each replay
# must print the recorded stdout and stderr byte for byte and exit with the
# recorded status.
replay_check() {
    local name=$1 times=${2:-3} i ok
    for i in $(seq 1 "$times"); do
        replay "$name" "rep$i"
        ok=1
        if [ "$rep_status" -ne "$rec_status" ]; then
            fail "$name: replay $i exit status $rep_status, recorded $rec_status"
            ok=0
        fi
        same_file "$name" "replay $i stdout" "$TMP/$name.rec.out" "$TMP/$name.rep$i.out" || ok=0
        same_file "$name" "replay $i stderr" "$TMP/$name.rec.err" "$TMP/$name.rep$i.err" || ok=0
        if [ "$ok" -eq 0 ] && [ "$rep_status" -eq 124 ]; then
            echo "  (replay $i timed out after ${RR_TIMEOUT}s)"
        fi
        if [ "$ok" -eq 0 ]; then
            echo "  (replays after the first failing one skipped)"
            return 1
        fi
        pass "$name: replay $i identical (status $rep_status, $(wc -c <"$TMP/$name.rec.out") bytes of stdout)"
    done
}

# record_replay NAME STATUS CMD ARGS...: record, check the recording's exit
# status is STATUS and its output non-empty, then replay_check.
record_replay() {
    local name=$1 want=$2
    shift 2
    record "$name" "$@" || return 1
    expect_status "$name" "record" "$rec_status" "$want"
    if [ ! -s "$TMP/$name.rec.out" ]; then
        fail "$name: the recording printed nothing on stdout"
        show "record stderr" "$TMP/$name.rec.err.raw"
    fi
    replay_check "$name"
}

# differ NAME1 NAME2 WHAT: two recordings of the same command printed
# different stdout (their sources of nondeterminism were not frozen).
differ() {
    if cmp -s "$TMP/$1.rec.out" "$TMP/$2.rec.out"; then
        fail "$3: two recordings printed the same output"
        show "output" "$TMP/$1.rec.out" 5
    else
        pass "$3: two recordings differ"
    fi
}

# expect_error WHAT CMD...: rrtui must fail cleanly: exit status 1..127 (not a
# timeout, not a signal), and exactly one line on stderr, starting "rrtui: ".
expect_error() {
    local what=$1 st lines
    shift
    "$@" >"$TMP/err.out" 2>"$TMP/err.err" </dev/null
    st=$?
    lines=$(wc -l <"$TMP/err.err")
    if [ "$st" -eq 0 ] || bad_status "$st"; then
        fail "$what: exit status $st, expected 1..127 (and not 124, the timeout)"
        show "stderr" "$TMP/err.err"
    elif [ "$lines" -ne 1 ] || ! head -n 1 "$TMP/err.err" | grep -q '^rrtui: '; then
        fail "$what: stderr should be one line starting 'rrtui: ', got $lines lines"
        show "stderr" "$TMP/err.err"
    else
        pass "$what: status $st, $(cat "$TMP/err.err")"
    fi
}

# largest_file DIR: the biggest regular file under DIR.
largest_file() {
    find "$1" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-
}
