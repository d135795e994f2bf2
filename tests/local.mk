# Unit tests (Check), one program per area, plus mock backends and the
# CLI tests that run the built program on copies of fixture roots.
if HAVE_CHECK
check_LTLIBRARIES += tests/unit/libskdtest.la
tests_unit_libskdtest_la_SOURCES = tests/unit/testutil.c tests/unit/testutil.h
tests_unit_libskdtest_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_libskdtest_la_LIBADD = $(CHECK_LIBS)

UNIT_LDADD = tests/unit/libskdtest.la core/libskdcore.la $(CHECK_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBELF_CFLAGS)

check_PROGRAMS += tests/unit/test-crashkernel
tests_unit_test_crashkernel_SOURCES = tests/unit/test-crashkernel.c
tests_unit_test_crashkernel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_crashkernel_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-memory
tests_unit_test_memory_SOURCES = tests/unit/test-memory.c
tests_unit_test_memory_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_memory_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-osrelease
tests_unit_test_osrelease_SOURCES = tests/unit/test-osrelease.c
tests_unit_test_osrelease_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_osrelease_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-sysroot
tests_unit_test_sysroot_SOURCES = tests/unit/test-sysroot.c
tests_unit_test_sysroot_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sysroot_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-runner
tests_unit_test_runner_SOURCES = tests/unit/test-runner.c
tests_unit_test_runner_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_runner_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-host
tests_unit_test_host_SOURCES = tests/unit/test-host.c
tests_unit_test_host_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_host_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-note
tests_unit_test_note_SOURCES = tests/unit/test-note.c
tests_unit_test_note_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_note_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-loader
tests_unit_test_loader_SOURCES = tests/unit/test-loader.c
tests_unit_test_loader_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_loader_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-kdumpconf
tests_unit_test_kdumpconf_SOURCES = tests/unit/test-kdumpconf.c
tests_unit_test_kdumpconf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kdumpconf_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-state
tests_unit_test_state_SOURCES = tests/unit/test-state.c
tests_unit_test_state_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_state_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-configmaps
tests_unit_test_configmaps_SOURCES = tests/unit/test-configmaps.c
tests_unit_test_configmaps_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_configmaps_LDADD = $(UNIT_LDADD)

TESTS += $(check_PROGRAMS)
endif

include tests/plugins/local.mk
include tests/cli/local.mk

# Where the tests find things: the build tree's backends and mocks, the
# project's fixtures, and the shared real-system fixtures when present.
AM_TESTS_ENVIRONMENT = \
	export SKD_TOP_SRCDIR='$(abs_top_srcdir)'; \
	export SKD_TOP_BUILDDIR='$(abs_top_builddir)'; \
	export SKD_SHARED_FIXTURES="$${SKD_SHARED_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures}"; \
	export CK_DEFAULT_TIMEOUT=60;

EXTRA_DIST += tests/fixtures tests/golden tests/fake-tools

# The directories above go whole, from the source tree and from a build
# tree that has them too: a test's log and result (test-grubby.sh runs in
# tests/fake-tools) must not go with them, or a build from the tarball
# finds them up to date in its read-only source tree.
dist-hook:
	rm -f $(distdir)/tests/fake-tools/*.log $(distdir)/tests/fake-tools/*.trs
include tests/rpmfamily.mk
include tests/backends.mk
include tests/core-extra.mk
include tests/dumps.mk
include tests/estimate.mk
include tests/status.mk
