# SPDX-License-Identifier: Apache-2.0
# Distribution packages: packaging/debian and packaging/rpm.
#
#   make deb [PACKAGES_DIR=DIR]      .deb packages (dpkg-buildpackage -b)
#   make rpm [PACKAGES_DIR=DIR]      .rpm packages (rpmbuild -bb)
#   make packages [PACKAGES_DIR=DIR] both
#       build from this build's "make dist" tarball, unpacked in a temporary
#       directory, into DIR (default packages/ in the build tree).
#   make check-packages [PACKAGES_TESTS=deb|rpm|both|none]
#       builds both into a temporary directory and checks them: the files
#       each package holds, the program of each runs from an unpacked tree
#       and finds its backends, the .pc file, lintian. PACKAGES_TESTS says
#       which builds run the test suite (default: the .deb build). Takes
#       minutes: not part of "make check", which only checks that the
#       package versions follow configure.ac (tests/distro-version.sh).

PACKAGES_DIR = packages
PACKAGES_TESTS = deb

DISTRO_PACKAGING_FILES = \
	packaging/debian/changelog \
	packaging/debian/control \
	packaging/debian/copyright \
	packaging/debian/rules \
	packaging/debian/source/format \
	packaging/debian/skyhook-kdump.docs \
	packaging/debian/skyhook-kdump.install \
	packaging/debian/skyhook-kdump-dev.docs \
	packaging/debian/skyhook-kdump-dev.install \
	packaging/debian/skyhook-kdump.lintian-overrides \
	packaging/debian/skyhook-kdump-dev.lintian-overrides \
	packaging/rpm/skyhook-kdump.spec \
	packaging/build-packages.sh

EXTRA_DIST += $(DISTRO_PACKAGING_FILES) \
	tests/distro-packages.sh \
	tests/distro-version.sh

TESTS += tests/distro-version.sh

deb rpm packages: $(DISTRO_PACKAGING_FILES)
	$(MAKE) $(AM_MAKEFLAGS) dist-gzip
	@set -e; which=; \
	case '$@' in deb) which=--deb ;; rpm) which=--rpm ;; esac; \
	bash $(srcdir)/packaging/build-packages.sh $$which \
		--tarball '$(distdir).tar.gz' '$(PACKAGES_DIR)'

check-packages: $(DISTRO_PACKAGING_FILES) $(srcdir)/tests/distro-packages.sh
	$(MAKE) $(AM_MAKEFLAGS) dist-gzip
	SKD_PACKAGES_TESTS='$(PACKAGES_TESTS)' \
		bash $(srcdir)/tests/distro-packages.sh '$(distdir).tar.gz'

.PHONY: deb rpm packages check-packages
