# SPDX-License-Identifier: Apache-2.0
# Tests of the operator command "dumps": the dump file readers on
# synthetic, truncated and garbled files; finding and pruning dumps in
# temporary dump directories; the command on copies of fixture roots.
# test-dumps reuses the file builders of test-vmcore.c (without its main)
# and can write a sample dump directory for the CLI test (--make-dumps).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-vmcore
tests_unit_test_vmcore_SOURCES = tests/unit/test-vmcore.c
tests_unit_test_vmcore_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vmcore_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test-dumps
tests_unit_test_dumps_SOURCES = tests/unit/test-dumps.c tests/unit/test-vmcore.c
tests_unit_test_dumps_CFLAGS = $(UNIT_CFLAGS) -DSKD_VMCORE_TEST_NO_MAIN
tests_unit_test_dumps_LDADD = $(UNIT_LDADD)
endif
CLI_TESTS += tests/cli/dumps.sh
EXTRA_DIST += schemas/dumps.schema.json
