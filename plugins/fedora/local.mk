# SPDX-License-Identifier: Apache-2.0
# The fedora backend: a thin vendor file over the RPM family's operations.
if BUILD_BACKEND_FEDORA
backend_LTLIBRARIES += plugins/fedora/fedora.la
plugins_fedora_fedora_la_SOURCES = plugins/fedora/fedora.c
plugins_fedora_fedora_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_fedora_fedora_la_LDFLAGS = $(SKD_MODULE_FLAGS)
plugins_fedora_fedora_la_LIBADD = plugins/common/libskdplugin.la
endif
