# core/tl.mk — the timeline (positions, checkpoints policy, reverse execution)
