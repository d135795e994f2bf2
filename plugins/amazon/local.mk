# SPDX-License-Identifier: Apache-2.0
# The amazon backend: a thin vendor file over the RPM family's operations.
if BUILD_BACKEND_AMAZON
backend_LTLIBRARIES += plugins/amazon/amazon.la
plugins_amazon_amazon_la_SOURCES = plugins/amazon/amazon.c
plugins_amazon_amazon_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_amazon_amazon_la_LDFLAGS = $(SKD_MODULE_FLAGS)
plugins_amazon_amazon_la_LIBADD = plugins/common/libskdplugin.la
endif
