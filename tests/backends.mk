# SPDX-License-Identifier: Apache-2.0
# Tests of our backends and their shared helpers (tests/local.mk adds
# every check_PROGRAMS to TESTS). Included from
# tests/local.mk, inside nothing: it checks HAVE_CHECK itself.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-grub-default
tests_unit_test_grub_default_SOURCES = tests/unit/test-grub-default.c \
	plugins/debian/shell-vars.c plugins/debian/grub-dropin.c
tests_unit_test_grub_default_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/plugins/common -I$(top_srcdir)/plugins/debian \
	-I$(top_srcdir)/tests/unit
tests_unit_test_grub_default_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_grub_default_LDADD = plugins/common/libskdplugin.la \
	$(UNIT_LDADD)

if BUILD_BACKEND_DEBIAN
check_PROGRAMS += tests/unit/test-backend-debian
tests_unit_test_backend_debian_SOURCES = tests/unit/test-backend-debian.c
tests_unit_test_backend_debian_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_backend_debian_LDADD = $(UNIT_LDADD)
endif
endif

EXTRA_DIST += tests/backends.mk
