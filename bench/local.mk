# SPDX-License-Identifier: Apache-2.0
# make bench: the benchmark of every mode (bench/run.sh). Not part of
# make check: its figures are a report, they pass or fail no build.
EXTRA_PROGRAMS = bench/measure
bench_measure_SOURCES = bench/measure.c bench/tree.c bench/tree.h
CLEANFILES += bench/measure$(EXEEXT) bench/results.json
EXTRA_DIST += bench/run.sh bench/lib.sh bench/chroot.sh bench/fake-backend.c

bench: all bench/measure$(EXEEXT)
	SKD_TOP_SRCDIR="$(abs_top_srcdir)" SKD_TOP_BUILDDIR="$(abs_top_builddir)" \
	CC="$(CC)" $(SHELL) "$(srcdir)/bench/run.sh"
.PHONY: bench
