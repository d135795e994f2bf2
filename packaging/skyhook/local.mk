# SPDX-License-Identifier: Apache-2.0
# The Skyhook (NodeWright) package: make skyhook-package, make check-portable.
#
#   make skyhook-package [SKYHOOK_PACKAGE_DIR=DIR]
#       lays out the package (config.json, skyhook_dir/ with the program and
#       its backends, Dockerfile, README.md, CHANGELOG.md, RELEASE_NOTES.md)
#       into DIR, default skyhook-package/ in the build tree.
#   make check-portable [GLIBC_MAX=2.17] [SKYHOOK_PACKAGE_DIR=DIR]
#       lays out the package, then lists the glibc symbol versions each
#       shipped ELF file needs; fails above GLIBC_MAX, and when a file needs
#       a shared library that is not part of glibc.
#
# The program is linked again for the package with libelf (and what libelf
# needs: zlib) from their static archives, so the node needs nothing but
# glibc. The program links only libtool convenience archives, so libtool's
# own link of it is a plain compiler link that nothing relinks at install;
# this one differs only in where libelf comes from. libtool cannot do it
# itself: it puts the -lelf of libskdcore.la first, before any archive given
# after it. SKYHOOK_LIBELF_LIBS overrides the libraries (for example a libelf
# that needs libzstd too: add -lzstd inside the -Bstatic pair).
# The backends are installed with libtool (install-backendLTLIBRARIES, into
# a temporary DESTDIR), then copied.

SKYHOOK_PACKAGE_DIR = skyhook-package
GLIBC_MAX = 2.17
SKYHOOK_LIBELF_LIBS = \
	-L`$(PKG_CONFIG) --variable=libdir libelf` \
	-Wl,-Bstatic `$(PKG_CONFIG) --static --libs-only-l libelf` -Wl,-Bdynamic
# set to empty to ship unstripped files
SKYHOOK_STRIP = $(STRIP)
READELF = readelf

SKYHOOK_PACKAGE_DOCS = \
	packaging/skyhook/README.md \
	packaging/skyhook/CHANGELOG.md \
	packaging/skyhook/RELEASE_NOTES.md \
	packaging/skyhook/Dockerfile

EXTRA_DIST += \
	$(SKYHOOK_PACKAGE_DOCS) \
	packaging/skyhook/config.json.in \
	packaging/skyhook/check-portable.sh \
	packaging/skyhook/Dockerfile.dockerignore

skyhook-package: $(bin_PROGRAMS) $(backend_LTLIBRARIES) \
		$(srcdir)/packaging/skyhook/config.json.in
	@set -e; \
	pkg='$(SKYHOOK_PACKAGE_DIR)'; \
	case $$pkg in ''|/) echo "SKYHOOK_PACKAGE_DIR='$$pkg' is not a package directory" >&2; exit 1 ;; esac; \
	stage=`mktemp -d "$${TMPDIR:-/tmp}/skd-package-XXXXXX"`; \
	trap 'rm -rf "$$stage"' EXIT; \
	echo "  LINK     $$pkg/skyhook_dir/skyhook-kdump (libelf static)"; \
	$(CCLD) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) $(LDFLAGS) \
		-o "$$stage/skyhook-kdump" $(skyhook_kdump_OBJECTS) \
		core/.libs/libskdcore.a $(SKYHOOK_LIBELF_LIBS) $(LIBS) || { \
		echo "skyhook-package: linking libelf statically failed (on Debian 13 the libelf.a of elfutils 0.192 lacks the eu_* functions it calls): build the package on a release whose libelf.a links (Debian 12), or set SKYHOOK_LIBELF_LIBS=-lelf for a package that needs libelf.so.1 on the node" >&2; \
		exit 1; }; \
	$(MAKE) $(AM_MAKEFLAGS) install-backendLTLIBRARIES DESTDIR="$$stage/root" \
		>"$$stage/install.log" 2>&1 || { cat "$$stage/install.log" >&2; exit 1; }; \
	rm -rf "$$pkg/skyhook_dir" "$$pkg/config.json"; \
	$(MKDIR_P) "$$pkg"; \
	$(INSTALL) -d -m 0755 "$$pkg" "$$pkg/skyhook_dir" "$$pkg/skyhook_dir/backends"; \
	$(INSTALL) -m 0755 "$$stage/skyhook-kdump" "$$pkg/skyhook_dir/skyhook-kdump"; \
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
	echo "  PACKAGE  $$pkg (skyhook-kdump $(PACKAGE_VERSION))"

check-portable: skyhook-package
	$(AM_V_GEN)READELF='$(READELF)' $(SHELL) \
		'$(srcdir)/packaging/skyhook/check-portable.sh' \
		'$(GLIBC_MAX)' '$(SKYHOOK_PACKAGE_DIR)'

clean-local: clean-skyhook-package
clean-skyhook-package:
	-rm -rf skyhook-package

.PHONY: skyhook-package check-portable clean-skyhook-package

include tests/skyhook-package.mk
