# SPDX-License-Identifier: Apache-2.0
# The debian backend (Debian, Ubuntu and derivatives, kdump-tools).
if BUILD_BACKEND_DEBIAN
backend_LTLIBRARIES += plugins/debian/debian.la
plugins_debian_debian_la_SOURCES = \
	plugins/debian/debian.c plugins/debian/debian.h \
	plugins/debian/release.c plugins/debian/auto.c \
	plugins/debian/apt.c plugins/debian/dpkg.c \
	plugins/debian/grub.c \
	plugins/debian/grub-dropin.c plugins/debian/grub-dropin.h \
	plugins/debian/shell-vars.c plugins/debian/shell-vars.h \
	plugins/debian/kdump-tools.c plugins/debian/kdump-tools-decide.c \
	plugins/debian/kdump-tools-initrd.c
plugins_debian_debian_la_CPPFLAGS = -I$(top_srcdir)/include \
	-I$(top_srcdir)/plugins/common -I$(top_srcdir)/plugins/debian
plugins_debian_debian_la_LDFLAGS = $(SKD_MODULE_FLAGS)
plugins_debian_debian_la_LIBADD = plugins/common/libskdplugin.la
endif
