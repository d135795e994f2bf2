# SPDX-License-Identifier: Apache-2.0
# The SDK for third-party backends: conformance suite, backend man page,
# the out-of-tree example backend, bash completion.

# skyhook-kdump-conformance BACKEND.so FIXTURE_ROOT: the conformance suite.
# It reads notes and loads backends with the host's own code, and runs the
# installed skyhook-kdump program with the recording runner on the fake
# tools, which are installed for it (they only ever touch the copy of the
# fixture root they are given).
conformancefaketoolsdir = $(pkgdatadir)/conformance/fake-tools
bin_PROGRAMS += conformance/skyhook-kdump-conformance
conformance_skyhook_kdump_conformance_SOURCES = conformance/conformance.c
conformance_skyhook_kdump_conformance_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBINDIR=\"$(bindir)\" \
	-DFAKE_TOOLS_DIR=\"$(conformancefaketoolsdir)\"
conformance_skyhook_kdump_conformance_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
conformance_skyhook_kdump_conformance_LDADD = core/libskdcore.la $(LIBELF_LIBS)

conformancefaketools_SCRIPTS = \
	tests/fake-tools/apt-get tests/fake-tools/dnf tests/fake-tools/dpkg \
	tests/fake-tools/dpkg-query tests/fake-tools/grub-mkconfig \
	tests/fake-tools/grub2-mkconfig tests/fake-tools/grubby \
	tests/fake-tools/kdump-tools tests/fake-tools/kdumpctl \
	tests/fake-tools/kernel-install tests/fake-tools/mkdumprd \
	tests/fake-tools/rpm tests/fake-tools/systemctl \
	tests/fake-tools/update-grub tests/fake-tools/yum tests/fake-tools/zypper
conformancefaketools_DATA = tests/fake-tools/README

# the ABI, the note, the host services and the versioning rules
dist_man_MANS += man/skyhook-kdump-backend.7

# bash completion, under the name of the command it completes
bashcompletiondir = $(datadir)/bash-completion/completions
EXTRA_DIST += completion/skyhook-kdump.bash
install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion
install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) '$(srcdir)/completion/skyhook-kdump.bash' \
		'$(DESTDIR)$(bashcompletiondir)/skyhook-kdump'
uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/skyhook-kdump'
.PHONY: install-bash-completion uninstall-bash-completion

# the out-of-tree example backend (its own Makefile, pkg-config only)
EXTRA_DIST += \
	examples/backend-suse/Makefile \
	examples/backend-suse/README.md \
	examples/backend-suse/suse.c

SDK_TESTS = tests/sdk-completion.sh tests/sdk-man.sh
if HAVE_CHECK
# the mocks are check libraries
SDK_TESTS += tests/conformance.sh tests/sdk-example.sh
endif
TESTS += $(SDK_TESTS)
EXTRA_DIST += tests/conformance.sh tests/sdk-example.sh tests/sdk-completion.sh \
	tests/sdk-man.sh
