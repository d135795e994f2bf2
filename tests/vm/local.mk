# SPDX-License-Identifier: Apache-2.0
# make check-vm: the lifecycle on a real kernel in qemu
#
#   make check-vm [VM_RELEASES="bullseye bookworm trixie"]
#   make check-vm VM_ARCH=arm64 [VM_PACKAGE_DIR=DIR]
#   make check-vm VM_SCENARIOS=calibrate [VM_CALIBRATE_INITRDS=list|most]
#
# For each Debian release: a cached bootable image (tests/vm/build-image.sh),
# the package for that release (tests/vm/build-package.sh: this build tree's
# own where the release's glibc runs it, else one built inside the release),
# then the lifecycle in qemu (tests/vm/check-vm.sh). Console logs, what the
# guest recorded and steps.json go to tests/vm/artifacts/RELEASE/. Needs
# root; skips (exit status 0, a SKIP line) without root, qemu, debootstrap or
# the archive.
# VM_ARCH=arm64 runs an arm64 Debian in qemu-system-aarch64 (TCG, UEFI, a
# real SMMU) instead, with the package make skyhook-package-arm64 lays out
# in VM_ARM64_PACKAGE_DIR, or the laid-out package VM_PACKAGE_DIR as it is
# (the package is built for glibc 2.17 and newer: no per-release build);
# its artifacts go to tests/vm/artifacts/RELEASE-arm64/.
# VM_SCENARIOS picks the scenarios (armed, hostile, calibrate: see
# tests/vm/check-vm.sh; empty: its default), VM_CALIBRATE_INITRDS the
# calibration's initrds (default "list most"; docs/calibration.md).
# Not part of make check.

VM_RELEASES = bookworm
VM_ARTIFACTS = tests/vm/artifacts
# empty: amd64, the build machine's
VM_ARCH =
VM_ARM64_PACKAGE_DIR = skyhook-package-arm64
VM_PACKAGE_DIR =
VM_SCENARIOS =
VM_CALIBRATE_INITRDS =

EXTRA_DIST += \
	tests/vm/check-vm.sh \
	tests/vm/calibrate.sh \
	tests/vm/vm-calibrate.py \
	tests/vm/build-image.sh \
	tests/vm/boot-vm.sh \
	tests/vm/build-package.sh \
	tests/vm/agent-steps.py \
	tests/vm/vm-check.py \
	tests/vm/vm-report.py \
	tests/vm/guest/agent.sh \
	tests/vm/guest/kexec-text.sh \
	tests/vm/guest/boots.sh \
	tests/vm/guest/calibrate.sh \
	tests/vm/guest/skd-vm-driver \
	tests/vm/guest/skd-vm-driver.service

check-vm:
	@set -e; \
	if test -n '$(VM_SCENARIOS)'; then \
		SKD_VM_SCENARIOS='$(VM_SCENARIOS)'; export SKD_VM_SCENARIOS; fi; \
	if test -n '$(VM_CALIBRATE_INITRDS)'; then \
		SKD_VM_CALIBRATE_INITRDS='$(VM_CALIBRATE_INITRDS)'; \
		export SKD_VM_CALIBRATE_INITRDS; fi; \
	case '$(VM_ARCH)' in \
	''|amd64|x86_64) ;; \
	arm64|aarch64) \
		pkg='$(VM_PACKAGE_DIR)'; \
		if test -z "$$pkg"; then \
			pkg='$(VM_ARM64_PACKAGE_DIR)'; \
			$(MAKE) $(AM_MAKEFLAGS) skyhook-package-arm64 SKYHOOK_PACKAGE_DIR="$$pkg"; \
		fi; \
		failed=; \
		for r in $(VM_RELEASES); do \
			rc=0; $(SHELL) '$(srcdir)/tests/vm/check-vm.sh' "$$r" "$$pkg" \
				'$(VM_ARTIFACTS)'/"$$r"-arm64 arm64 || rc=$$?; \
			case $$rc in 0|77) ;; *) failed="$$failed $$r" ;; esac; \
		done; \
		if test -n "$$failed"; then echo "check-vm arm64 failed for:$$failed"; exit 1; fi; \
		exit 0 ;; \
	*) echo "check-vm: VM_ARCH='$(VM_ARCH)': amd64 or arm64" >&2; exit 2 ;; \
	esac; \
	$(MAKE) $(AM_MAKEFLAGS) skyhook-package; \
	host_pkg='$(SKYHOOK_PACKAGE_DIR)'; host_pkg=$${host_pkg:-skyhook-package}; \
	failed=; \
	for r in $(VM_RELEASES); do \
		pkg='$(VM_ARTIFACTS)'/package-$$r; \
		rc=0; MAKE='$(MAKE)' $(SHELL) '$(srcdir)/tests/vm/build-package.sh' "$$r" \
			"$$host_pkg" "$$pkg" '$(distdir).tar.gz' || rc=$$?; \
		case $$rc in \
		0) ;; \
		77) echo "SKIP: check-vm $$r: no package for it"; continue ;; \
		*) failed="$$failed $$r"; continue ;; \
		esac; \
		rc=0; $(SHELL) '$(srcdir)/tests/vm/check-vm.sh' "$$r" "$$pkg" \
			'$(VM_ARTIFACTS)'/"$$r" || rc=$$?; \
		case $$rc in 0|77) ;; *) failed="$$failed $$r" ;; esac; \
	done; \
	if test -n "$$failed"; then echo "check-vm failed for:$$failed"; exit 1; fi

clean-local: clean-check-vm
clean-check-vm:
	-rm -rf '$(VM_ARTIFACTS)'

.PHONY: check-vm clean-check-vm
