# bench/local.mk — benchmarks: the record/replay overhead script, and the
# timeline's latencies (bench/tl_bench: reverse-stepi, reverse-continue,
# seek, checkpoints; run it by hand, it takes a minute or two).
EXTRA_DIST += bench/record_replay.sh
noinst_PROGRAMS += bench/tl_bench bench/marks
bench_tl_bench_SOURCES = bench/tl_bench.c
bench_tl_bench_LDADD = core/libcore.a
bench_marks_SOURCES = bench/marks.c
