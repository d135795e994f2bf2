# SPDX-License-Identifier: Apache-2.0
# make bench: the benchmark of every mode (bench/run.sh). Not part of
# make check: its figures are a report, they pass or fail no build.
EXTRA_PROGRAMS = bench/measure
bench_measure_SOURCES = bench/measure.c bench/tree.c bench/tree.h
CLEANFILES += bench/measure$(EXEEXT) bench/results.json
EXTRA_DIST += bench/run.sh bench/lib.sh bench/chroot.sh bench/fake-backend.c

# It measures what Skyhook runs on a node: the program of the Skyhook
# package (libelf linked in, stripped) with the package's backends.
BENCH_PACKAGE_DIR = bench/package

bench: all bench/measure$(EXEEXT)
	$(MAKE) $(AM_MAKEFLAGS) skyhook-package SKYHOOK_PACKAGE_DIR=$(BENCH_PACKAGE_DIR)
	SKD_TOP_SRCDIR="$(abs_top_srcdir)" SKD_TOP_BUILDDIR="$(abs_top_builddir)" \
	SKD_TEST_BIN="$(abs_top_builddir)/$(BENCH_PACKAGE_DIR)/skyhook_dir/skyhook-kdump" \
	CC="$(CC)" $(SHELL) "$(srcdir)/bench/run.sh"
.PHONY: bench

clean-local: clean-bench
clean-bench:
	rm -rf $(BENCH_PACKAGE_DIR)
.PHONY: clean-bench
