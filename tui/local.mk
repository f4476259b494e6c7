# tui/ build rules (see the top Makefile.am)
