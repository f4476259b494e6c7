# tests/tl.mk — timeline tests
