# SPDX-License-Identifier: Apache-2.0
# More unit tests of the core modules: the file journal, the running
# kernel's state, the report writer and string vectors.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-journal
tests_unit_test_journal_SOURCES = tests/unit/test-journal.c
tests_unit_test_journal_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_journal_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-kernel
tests_unit_test_kernel_SOURCES = tests/unit/test-kernel.c
tests_unit_test_kernel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kernel_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-report
tests_unit_test_report_SOURCES = tests/unit/test-report.c
tests_unit_test_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-strv
tests_unit_test_strv_SOURCES = tests/unit/test-strv.c
tests_unit_test_strv_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_strv_LDADD = $(UNIT_LDADD)
endif
