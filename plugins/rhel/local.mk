# SPDX-License-Identifier: Apache-2.0
# The rhel backend: a thin vendor file over the RPM family's operations.
if BUILD_BACKEND_RHEL
backend_LTLIBRARIES += plugins/rhel/rhel.la
plugins_rhel_rhel_la_SOURCES = plugins/rhel/rhel.c
plugins_rhel_rhel_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_rhel_rhel_la_LDFLAGS = $(SKD_MODULE_FLAGS)
plugins_rhel_rhel_la_LIBADD = plugins/common/libskdplugin.la
endif
