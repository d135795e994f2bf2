# SPDX-License-Identifier: Apache-2.0
# Tests of the operator command "status".

# The renderers: text, JSON against the schema, Prometheus text, the
# atomic write of the .prom file.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-status-render
tests_unit_test_status_render_SOURCES = tests/unit/test-status-render.c
tests_unit_test_status_render_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_status_render_LDADD = $(UNIT_LDADD)
endif
EXTRA_DIST += schemas/status.schema.json tests/status-schema-check.py
