# SPDX-License-Identifier: Apache-2.0
# hostile input corpus through every mode; links that lead out of the
# root; credentials kept out of the output; the dump directory 0700
HOSTILE_TESTS = \
	tests/hostile/corpus.sh \
	tests/hostile/links.sh \
	tests/hostile/secrets.sh \
	tests/hostile/dump-dir.sh
if HAVE_CHECK
TESTS += $(HOSTILE_TESTS)
endif
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/cases
