# SPDX-License-Identifier: Apache-2.0
# fault injection, kills, SIGTERM, locking, bootable config: the built
# program on copies of fixture roots with the recording runner, checked
# against fault-free runs (see tests/safety/lib.sh)
SAFETY_TESTS = \
	tests/safety/fault-sweep.sh \
	tests/safety/kill-sweep.sh \
	tests/safety/sigterm.sh \
	tests/safety/concurrency.sh \
	tests/safety/bootable.sh
if HAVE_CHECK
TESTS += $(SAFETY_TESTS)
endif
EXTRA_DIST += $(SAFETY_TESTS) tests/safety/lib.sh
