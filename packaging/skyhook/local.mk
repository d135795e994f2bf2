# SPDX-License-Identifier: Apache-2.0
# The Skyhook (NodeWright) package: make skyhook-package, make check-portable.
#
#   make skyhook-package [SKYHOOK_PACKAGE_DIR=DIR]
#       lays out the package for this machine's architecture (config.json,
#       skyhook_dir/ with the program and its backends, Dockerfile,
#       README.md, CHANGELOG.md, RELEASE_NOTES.md) into DIR, default
#       skyhook-package/ in the build tree.
#   make skyhook-package-arm64 [SKYHOOK_PACKAGE_DIR=DIR]
#       the same with aarch64 binaries, cross-built (SKYHOOK_ARM64_CC,
#       default aarch64-linux-gnu-gcc, with libelf and zlib for arm64:
#       Debian's libelf-dev:arm64 and zlib1g-dev:arm64), default DIR
#       skyhook-package-arm64/.
#   make check-portable [GLIBC_MAX=2.17] [SKYHOOK_PACKAGE_DIR=DIR]
#   make check-portable-arm64 [GLIBC_MAX=2.17] [SKYHOOK_PACKAGE_DIR=DIR]
#       lays out the package, then lists the glibc symbol versions each
#       shipped ELF file needs; fails above GLIBC_MAX, and when a file needs
#       a shared library that is not part of glibc.
#
# A package runs on every node of the fleet: on every glibc from
# SKYHOOK_GLIBC_FLOOR (2.17: RHEL 7, Amazon Linux 2) on, whatever glibc
# builds it. Each is built in a tree of its own below
# skyhook-package-build/ (packaging/skyhook/build-package.sh), with
# SKYHOOK_PACKAGE_CFLAGS, whatever this tree's flags are (a sanitizer build
# makes a release package still), and linked through glibc-floor-cc.sh:
# every glibc symbol bound to its newest version at or below the floor, a
# start-up that older glibcs run, libelf and zlib from their static
# archives so that the node needs nothing but glibc.

SKYHOOK_PACKAGE_DIR =
SKYHOOK_GLIBC_FLOOR = 2.17
GLIBC_MAX = $(SKYHOOK_GLIBC_FLOOR)
SKYHOOK_PACKAGE_CFLAGS = -g -O2
SKYHOOK_ARM64_HOST = aarch64-linux-gnu
SKYHOOK_ARM64_CC = $(SKYHOOK_ARM64_HOST)-gcc
# set to empty to ship unstripped files
SKYHOOK_STRIP = $(STRIP)
READELF = readelf

SKYHOOK_PACKAGE_DOCS = \
	packaging/skyhook/README.md \
	packaging/skyhook/CHANGELOG.md \
	packaging/skyhook/RELEASE_NOTES.md \
	packaging/skyhook/Dockerfile

SKYHOOK_FLOOR_FILES = \
	packaging/skyhook/build-package.sh \
	packaging/skyhook/glibc-floor.sh \
	packaging/skyhook/glibc-floor-cc.sh \
	packaging/skyhook/glibc-floor-stat.c \
	packaging/skyhook/glibc-floor-start.S \
	packaging/skyhook/glibc-floor-init.c

EXTRA_DIST += \
	$(SKYHOOK_PACKAGE_DOCS) \
	$(SKYHOOK_FLOOR_FILES) \
	packaging/skyhook/config.json.in \
	packaging/skyhook/check-portable.sh \
	packaging/skyhook/Dockerfile.dockerignore

skyhook-package:
	$(AM_V_GEN)pkg='$(SKYHOOK_PACKAGE_DIR)'; \
	MAKE='$(MAKE)' $(SHELL) '$(srcdir)/packaging/skyhook/build-package.sh' \
		'$(srcdir)' skyhook-package-build/native '' '$(CC)' \
		'$(SKYHOOK_GLIBC_FLOOR)' '$(SKYHOOK_PACKAGE_CFLAGS)' "$${pkg:-skyhook-package}"

skyhook-package-arm64:
	$(AM_V_GEN)pkg='$(SKYHOOK_PACKAGE_DIR)'; \
	MAKE='$(MAKE)' $(SHELL) '$(srcdir)/packaging/skyhook/build-package.sh' \
		'$(srcdir)' skyhook-package-build/arm64 '$(SKYHOOK_ARM64_HOST)' '$(SKYHOOK_ARM64_CC)' \
		'$(SKYHOOK_GLIBC_FLOOR)' '$(SKYHOOK_PACKAGE_CFLAGS)' "$${pkg:-skyhook-package-arm64}"

# The layout, in the package's own build tree (build-package.sh runs it
# there, with the link command that makes the files portable). The
# backends are installed with libtool (install-backendLTLIBRARIES, into a
# temporary DESTDIR), then copied.
skyhook-package-layout: skyhook-kdump$(EXEEXT) $(backend_LTLIBRARIES) \
		$(srcdir)/packaging/skyhook/config.json.in
	@set -e; \
	pkg='$(SKYHOOK_PACKAGE_DIR)'; \
	case $$pkg in ''|/) echo "SKYHOOK_PACKAGE_DIR='$$pkg' is not a package directory" >&2; exit 1 ;; esac; \
	stage=`mktemp -d "$${TMPDIR:-/tmp}/skd-package-XXXXXX"`; \
	trap 'rm -rf "$$stage"' EXIT; \
	$(MAKE) $(AM_MAKEFLAGS) install-backendLTLIBRARIES DESTDIR="$$stage/root" \
		>"$$stage/install.log" 2>&1 || { cat "$$stage/install.log" >&2; exit 1; }; \
	rm -rf "$$pkg/skyhook_dir" "$$pkg/config.json"; \
	$(MKDIR_P) "$$pkg"; \
	$(INSTALL) -d -m 0755 "$$pkg" "$$pkg/skyhook_dir" "$$pkg/skyhook_dir/backends"; \
	$(INSTALL) -m 0755 skyhook-kdump$(EXEEXT) "$$pkg/skyhook_dir/skyhook-kdump"; \
	for la in $(backend_LTLIBRARIES); do \
		so=`basename "$$la" .la`.so; \
		$(INSTALL) -m 0644 "$$stage/root$(backenddir)/$$so" "$$pkg/skyhook_dir/backends/$$so"; \
	done; \
	if test -n '$(SKYHOOK_STRIP)'; then \
		$(SKYHOOK_STRIP) --strip-unneeded "$$pkg/skyhook_dir/skyhook-kdump" "$$pkg"/skyhook_dir/backends/*.so; \
	fi; \
	sed -e 's|[@]PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
		'$(srcdir)/packaging/skyhook/config.json.in' >"$$pkg/config.json"; \
	chmod 0644 "$$pkg/config.json"; \
	for f in $(SKYHOOK_PACKAGE_DOCS); do \
		$(INSTALL) -m 0644 "$(srcdir)/$$f" "$$pkg/`basename $$f`"; \
	done; \
	echo "  PACKAGE  $$pkg (skyhook-kdump $(PACKAGE_VERSION), $(host_cpu), glibc $(SKYHOOK_GLIBC_FLOOR) or newer)"

check-portable: skyhook-package
	$(AM_V_GEN)pkg='$(SKYHOOK_PACKAGE_DIR)'; READELF='$(READELF)' $(SHELL) \
		'$(srcdir)/packaging/skyhook/check-portable.sh' \
		'$(GLIBC_MAX)' "$${pkg:-skyhook-package}"

check-portable-arm64: skyhook-package-arm64
	$(AM_V_GEN)pkg='$(SKYHOOK_PACKAGE_DIR)'; READELF='$(READELF)' $(SHELL) \
		'$(srcdir)/packaging/skyhook/check-portable.sh' \
		'$(GLIBC_MAX)' "$${pkg:-skyhook-package-arm64}"

clean-local: clean-skyhook-package
clean-skyhook-package:
	-rm -rf skyhook-package skyhook-package-arm64 skyhook-package-build

.PHONY: skyhook-package skyhook-package-arm64 skyhook-package-layout \
	check-portable check-portable-arm64 clean-skyhook-package

include tests/skyhook-package.mk
