EXTRA_DIST += bench/record_replay.sh
