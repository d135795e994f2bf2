# SPDX-License-Identifier: Apache-2.0
# Helpers shared by our backends, linked statically into each module (built
# with -fPIC so they can go into a shared object). Add a backend family's
# common file to the SOURCES list below.
noinst_LTLIBRARIES += plugins/common/libskdplugin.la
plugins_common_libskdplugin_la_SOURCES = \
	plugins/common/systemd.c plugins/common/systemd.h \
	plugins/common/grub-default.c plugins/common/grub-default.h \
	plugins/common/ck-table.c plugins/common/ck-table.h \
	plugins/common/capture.c plugins/common/capture.h \
	plugins/common/capture-build.c plugins/common/capture-build.h \
	plugins/common/grubcfg.c plugins/common/grubcfg.h \
	plugins/common/kcmdline.c plugins/common/kcmdline.h \
	plugins/common/kexec-args.c plugins/common/kexec-args.h
plugins_common_libskdplugin_la_CFLAGS = $(AM_CFLAGS) -fPIC
# RPM family (rhel, amazon, fedora backends)
plugins_common_libskdplugin_la_SOURCES += \
	plugins/common/rpmfamily.c plugins/common/rpmfamily.h \
	plugins/common/rpm-packages.c plugins/common/rpm-bootloader.c \
	plugins/common/rpm-kdumpconf.c plugins/common/rpm-auto.c \
	plugins/common/bls.c plugins/common/bls.h \
	plugins/common/autoreset.c plugins/common/autoreset.h \
	plugins/common/rpm-decide.c \
	plugins/common/rpm-initrd.c plugins/common/rpm-initrd.h
