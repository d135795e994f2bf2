# SPDX-License-Identifier: Apache-2.0
# Mock backends for the loader and CLI tests. They are linked exactly like
# real backends (SKD_MODULE_FLAGS); -rpath only makes libtool build a
# shared module that is never installed.
if HAVE_CHECK
MOCK_LDFLAGS = $(SKD_MODULE_FLAGS) -rpath /nowhere
MOCK_SOURCES = tests/plugins/mock-ops.c tests/plugins/mock-ops.h

# working backends, for the loader and the CLI tests
check_LTLIBRARIES += tests/plugins/mock-good.la tests/plugins/mock-fail.la
tests_plugins_mock_good_la_SOURCES = tests/plugins/mock-good.c $(MOCK_SOURCES)
tests_plugins_mock_good_la_LDFLAGS = $(MOCK_LDFLAGS)
tests_plugins_mock_fail_la_SOURCES = tests/plugins/mock-fail.c $(MOCK_SOURCES)
tests_plugins_mock_fail_la_LDFLAGS = $(MOCK_LDFLAGS)

# mock-good broken in one respect each (see mock-good.c)
check_LTLIBRARIES += \
	tests/plugins/mock-wrong-major.la \
	tests/plugins/mock-small-struct.la \
	tests/plugins/mock-no-symbol.la \
	tests/plugins/mock-no-note.la \
	tests/plugins/mock-bad-note.la \
	tests/plugins/mock-null-op.la \
	tests/plugins/mock-wrong-name.la
MOCK_BROKEN_SOURCES = tests/plugins/mock-good.c $(MOCK_SOURCES)
MOCK_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_VARIANT

tests_plugins_mock_wrong_major_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_wrong_major_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_WRONG_MAJOR -DMOCK_NAME='"mock-wrong-major"'
tests_plugins_mock_wrong_major_la_LDFLAGS = $(MOCK_LDFLAGS)

tests_plugins_mock_small_struct_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_small_struct_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_SMALL_STRUCT -DMOCK_NAME='"mock-small-struct"'
tests_plugins_mock_small_struct_la_LDFLAGS = $(MOCK_LDFLAGS)

tests_plugins_mock_no_symbol_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_no_symbol_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_NO_SYMBOL -DMOCK_NAME='"mock-no-symbol"'
# exports nothing: libtool would write an empty (invalid) version script
# for -export-symbols-regex, and -fvisibility=hidden hides all anyway
tests_plugins_mock_no_symbol_la_LDFLAGS = -module -avoid-version -no-undefined \
	-shared -rpath /nowhere

tests_plugins_mock_no_note_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_no_note_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_NO_NOTE -DMOCK_NAME='"mock-no-note"'
tests_plugins_mock_no_note_la_LDFLAGS = $(MOCK_LDFLAGS)

tests_plugins_mock_bad_note_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_bad_note_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_BAD_NOTE -DMOCK_NAME='"mock-bad-note"'
tests_plugins_mock_bad_note_la_LDFLAGS = $(MOCK_LDFLAGS)

tests_plugins_mock_null_op_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_null_op_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_NULL_OP -DMOCK_NAME='"mock-null-op"'
tests_plugins_mock_null_op_la_LDFLAGS = $(MOCK_LDFLAGS)

tests_plugins_mock_wrong_name_la_SOURCES = $(MOCK_BROKEN_SOURCES)
tests_plugins_mock_wrong_name_la_CPPFLAGS = $(MOCK_CPPFLAGS) -DMOCK_WRONG_NAME -DMOCK_NAME='"mock-wrong-name"'
tests_plugins_mock_wrong_name_la_LDFLAGS = $(MOCK_LDFLAGS)
endif
