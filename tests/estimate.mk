# SPDX-License-Identifier: Apache-2.0
# Tests of the operator command "estimate" and the Secure Boot / lockdown
# probe: unit tests of the rules and of gathering on temporary roots, and
# the command on copies of fixture roots.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-estimate
tests_unit_test_estimate_SOURCES = tests/unit/test-estimate.c
tests_unit_test_estimate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_estimate_LDADD = $(UNIT_LDADD)

# the node's platform and kernel image headers (zlib for the gzip'd images
# the tests make)
check_PROGRAMS += tests/unit/test-platform
tests_unit_test_platform_SOURCES = tests/unit/test-platform.c
tests_unit_test_platform_CFLAGS = $(UNIT_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_platform_LDADD = $(UNIT_LDADD) $(ZLIB_LIBS)

check_PROGRAMS += tests/unit/test-security
tests_unit_test_security_SOURCES = tests/unit/test-security.c
tests_unit_test_security_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_security_LDADD = $(UNIT_LDADD)
endif
CLI_TESTS += tests/cli/estimate.sh
EXTRA_DIST += schemas/estimate.schema.json
