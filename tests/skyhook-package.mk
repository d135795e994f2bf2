# SPDX-License-Identifier: Apache-2.0
# Tests of the Skyhook package: the package validator (schema, check modes,
# step files) and a run of the steps as the agent runs them; check-portable;
# the arm64 package, run through qemu-user; both packages on Debian 11
# (glibc 2.31); the structure of the Dockerfile.
SKYHOOK_PACKAGE_TESTS = \
	tests/skyhook-package-validate.sh \
	tests/skyhook-package-portable.sh \
	tests/skyhook-package-arm64.sh \
	tests/skyhook-package-old-glibc.sh \
	tests/skyhook-package-dockerfile.sh
TESTS += $(SKYHOOK_PACKAGE_TESTS)
EXTRA_DIST += $(SKYHOOK_PACKAGE_TESTS) tests/skyhook-package-validate.py
