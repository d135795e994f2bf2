# SPDX-License-Identifier: Apache-2.0
# Tests of the RPM-family backends (rhel, amazon, fedora): the text helpers
# of plugins/common, and the built modules driven through their vtable on
# copies of tests/fixtures/<distro-release> with tests/fake-tools.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-rpmfamily-text
tests_unit_test_rpmfamily_text_SOURCES = tests/unit/test-rpmfamily-text.c
tests_unit_test_rpmfamily_text_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
tests_unit_test_rpmfamily_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rpmfamily_text_LDADD = plugins/common/libskdplugin.la $(UNIT_LDADD)

if BUILD_BACKEND_RHEL
if BUILD_BACKEND_AMAZON
if BUILD_BACKEND_FEDORA
check_PROGRAMS += tests/unit/test-backend-rpm
tests_unit_test_backend_rpm_SOURCES = tests/unit/test-backend-rpm.c
tests_unit_test_backend_rpm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_backend_rpm_LDADD = $(UNIT_LDADD)
endif
endif
endif
endif
