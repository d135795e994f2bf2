# SPDX-License-Identifier: Apache-2.0
# make check-vm: the lifecycle on a real kernel in qemu
#
#   make check-vm [VM_RELEASES="bullseye bookworm trixie"]
#
# For each Debian release: a cached bootable image (tests/vm/build-image.sh),
# the package for that release (tests/vm/build-package.sh: this build tree's
# own where the release's glibc runs it, else one built inside the release),
# then the lifecycle in qemu (tests/vm/check-vm.sh). Console logs, what the
# guest recorded and steps.json go to tests/vm/artifacts/RELEASE/. Needs
# root; skips (exit status 0, a SKIP line) without root, qemu, debootstrap or
# the archive.
# Not part of make check.

VM_RELEASES = bookworm
VM_ARTIFACTS = tests/vm/artifacts

EXTRA_DIST += \
	tests/vm/check-vm.sh \
	tests/vm/build-image.sh \
	tests/vm/boot-vm.sh \
	tests/vm/build-package.sh \
	tests/vm/agent-steps.py \
	tests/vm/vm-check.py \
	tests/vm/vm-report.py \
	tests/vm/guest/agent.sh \
	tests/vm/guest/boots.sh \
	tests/vm/guest/skd-vm-driver \
	tests/vm/guest/skd-vm-driver.service

check-vm: skyhook-package
	@set -e; \
	failed=; \
	for r in $(VM_RELEASES); do \
		pkg='$(VM_ARTIFACTS)'/package-$$r; \
		rc=0; MAKE='$(MAKE)' $(SHELL) '$(srcdir)/tests/vm/build-package.sh' "$$r" \
			'$(SKYHOOK_PACKAGE_DIR)' "$$pkg" '$(distdir).tar.gz' || rc=$$?; \
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
