# SPDX-License-Identifier: Apache-2.0
# libFuzzer harnesses (make fuzz) and the valgrind/static-analysis targets
# (make check-valgrind, make lint). See fuzz/run.sh and fuzz/lint.sh.

# Every harness also runs in `make check`, built with the normal compiler
# and fed its seed corpus and the inputs of every crash found so far.
FUZZ_REPLAY = fuzz/replay-crashkernel fuzz/replay-osrelease \
	fuzz/replay-grub-default fuzz/replay-kdumpconf-shell \
	fuzz/replay-kdumpconf-directives fuzz/replay-note fuzz/replay-vmcore
check_PROGRAMS += $(FUZZ_REPLAY)
if !HAVE_CHECK
TESTS += $(FUZZ_REPLAY)
endif
FUZZ_REPLAY_SOURCES = fuzz/replay.c fuzz/memfd.c fuzz/fuzz.h
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/fuzz
FUZZ_LDADD = core/libskdcore.la

fuzz_replay_crashkernel_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-crashkernel.c
fuzz_replay_crashkernel_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"crashkernel"'
fuzz_replay_crashkernel_LDADD = $(FUZZ_LDADD)

fuzz_replay_osrelease_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-osrelease.c
fuzz_replay_osrelease_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"osrelease"'
fuzz_replay_osrelease_LDADD = $(FUZZ_LDADD)

fuzz_replay_grub_default_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-grub-default.c
fuzz_replay_grub_default_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-I$(top_srcdir)/plugins/common -DFUZZ_NAME='"grub-default"'
fuzz_replay_grub_default_LDADD = plugins/common/libskdplugin.la $(FUZZ_LDADD)

fuzz_replay_kdumpconf_shell_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-kdumpconf.c
fuzz_replay_kdumpconf_shell_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_NAME='"kdumpconf-shell"' -DFUZZ_FORMAT=SKD_CONFIG_SHELL_VARS
fuzz_replay_kdumpconf_shell_LDADD = $(FUZZ_LDADD)

fuzz_replay_kdumpconf_directives_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-kdumpconf.c
fuzz_replay_kdumpconf_directives_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_NAME='"kdumpconf-directives"' -DFUZZ_FORMAT=SKD_CONFIG_DIRECTIVES
fuzz_replay_kdumpconf_directives_LDADD = $(FUZZ_LDADD)

# the mock backends of the loader tests are real modules: more seeds
fuzz_replay_note_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-note.c
fuzz_replay_note_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"note"' \
	-DFUZZ_EXTRA_DIR='"tests/plugins/.libs"'
fuzz_replay_note_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
fuzz_replay_note_LDADD = $(FUZZ_LDADD)

fuzz_replay_vmcore_SOURCES = $(FUZZ_REPLAY_SOURCES) fuzz/fuzz-vmcore.c
fuzz_replay_vmcore_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"vmcore"'
fuzz_replay_vmcore_LDADD = $(FUZZ_LDADD)

EXTRA_DIST += fuzz/run.sh fuzz/gen-seeds.py fuzz/corpus fuzz/regressions \
	fuzz/valgrind.sh fuzz/lint.sh .clang-tidy .cppcheck-suppressions

# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS='crashkernel note'] [FUZZ_CC=clang]
#           [FUZZ_SEED=N: the same mutations every run; 0, the default: new ones]
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_TARGETS =
FUZZ_SEED = 0
# a second make fuzz running at the same time needs its own FUZZ_DIR
FUZZ_DIR = $(abs_top_builddir)/fuzz/work
fuzz:
	SRCDIR='$(abs_top_srcdir)' BUILDDIR='$(abs_top_builddir)' FUZZ_DIR='$(FUZZ_DIR)' \
	FUZZ_CC='$(FUZZ_CC)' FUZZ_SECONDS='$(FUZZ_SECONDS)' \
	FUZZ_TARGETS='$(FUZZ_TARGETS)' FUZZ_SEED='$(FUZZ_SEED)' \
	LIBELF_CFLAGS='$(LIBELF_CFLAGS)' LIBELF_LIBS='$(LIBELF_LIBS)' \
	$(SHELL) '$(abs_top_srcdir)/fuzz/run.sh'

# make check-valgrind [VALGRIND_TESTS='tests/unit/test-note tests/cli/status.sh']:
# the test suite (or the tests named) with the unit tests, the replay
# tests and every run of skyhook-kdump by the CLI tests (tests/cli/lib.sh
# honours SKD_TEST_BIN) under valgrind memcheck; see fuzz/valgrind.sh.
# Check runs the cases in the test process (CK_FORK=no), where valgrind
# sees them. Reports: fuzz/valgrind-logs/.
VALGRIND_TESTS =
check-valgrind: all
	rm -rf fuzz/valgrind-logs
	$(MKDIR_P) fuzz/valgrind-logs
	printf '#!/bin/sh\nexec %s %s "$$@"\n' \
		"'$(abs_top_srcdir)/fuzz/valgrind.sh'" \
		"'$(abs_top_builddir)/skyhook-kdump'" >fuzz/skyhook-kdump-valgrind
	chmod +x fuzz/skyhook-kdump-valgrind
	@tests='$(VALGRIND_TESTS)'; \
	SKD_VALGRIND_LOGS='$(abs_top_builddir)/fuzz/valgrind-logs' \
	SKD_TEST_BIN='$(abs_top_builddir)/fuzz/skyhook-kdump-valgrind' \
	CK_FORK=no $(MAKE) $(AM_MAKEFLAGS) check \
		LOG_COMPILER='$(abs_top_srcdir)/fuzz/valgrind.sh' \
		$${tests:+TESTS="$$tests"}; rc=$$?; \
	bad=$$(find fuzz/valgrind-logs -name 'vg.*.log' -size +0 | sort); \
	echo "valgrind: $$(find fuzz/valgrind-logs -name 'vg.*.log' | wc -l) runs"; \
	for f in $$bad; do echo "== $$f"; cat "$$f"; done; \
	if grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost' $$bad /dev/null; then \
		echo "valgrind: errors or leaks, see above" >&2; exit 1; fi; \
	exit $$rc

# make lint: cppcheck and clang-tidy (.clang-tidy) on the C sources.
lint:
	SRCDIR='$(abs_top_srcdir)' BUILDDIR='$(abs_top_builddir)' \
	LIBELF_CFLAGS='$(LIBELF_CFLAGS)' \
	$(SHELL) '$(abs_top_srcdir)/fuzz/lint.sh'

clean-local: clean-fuzz
clean-fuzz:
	rm -rf fuzz/work fuzz/valgrind-logs fuzz/skyhook-kdump-valgrind

.PHONY: fuzz check-valgrind lint clean-fuzz
