# SPDX-License-Identifier: Apache-2.0
# CLI tests: the built program on copies of fixture roots, with the
# recording command runner; transcripts compared with tests/golden/.
CLI_TESTS = \
	tests/cli/validate.sh \
	tests/cli/platform.sh \
	tests/cli/mock-lifecycle.sh \
	tests/cli/dry-run.sh \
	tests/cli/mock-refusals.sh \
	tests/cli/mock-failures.sh \
	tests/cli/apt-failures.sh \
	tests/cli/unsupported.sh \
	tests/cli/distro-lifecycle.sh \
	tests/cli/distro-lifecycle-rpm.sh \
	tests/cli/crashkernel-items.sh \
	tests/cli/rpm-yum-start.sh \
	tests/cli/rpm-grubby.sh \
	tests/fake-tools/test-grubby.sh \
	tests/cli/checks.sh \
	tests/cli/checks-rpm.sh \
	tests/cli/rpm-node-default.sh \
	tests/cli/shared-roots.sh \
	tests/cli/status.sh \
	tests/cli/status-node-exporter.sh
if HAVE_CHECK
TESTS += $(CLI_TESTS)
endif
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
EXTRA_DIST += $(CLI_TESTS) tests/cli/lib.sh
