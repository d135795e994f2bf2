/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "testutil.h"

Suite *skd_report_suite(void);

static char *buf;
static size_t buf_len;
static FILE *out;

static void setup(void)
{
	buf = NULL;
	buf_len = 0;
	out = open_memstream(&buf, &buf_len);
	ck_assert_ptr_nonnull(out);
}

static void teardown(void)
{
	if (out)
		fclose(out);
	out = NULL;
	free(buf);
	buf = NULL;
}

/* What was written so far. */
static const char *written(void)
{
	ck_assert_int_eq(fflush(out), 0);
	return buf ? buf : "";
}

/* ---- text ------------------------------------------------------------ */

START_TEST(text_lines_as_they_happen)
{
	struct report r;

	report_init(&r, "config", false, out);
	ck_assert_str_eq(written(), "");
	report_done(&r, "crashkernel=%s set in the bootloader", "256M");
	ck_assert_str_eq(written(), "config: crashkernel=256M set in the bootloader\n");
	report_problem(&r, "service %s is not active", "kdump");
	report_note(&r, "a reboot is needed (%d)", 1);
	ck_assert_str_eq(written(),
	                 "config: crashkernel=256M set in the bootloader\n"
	                 "config: NOT OK: service kdump is not active\n"
	                 "config: a reboot is needed (1)\n");
	/* the lists keep the messages, without prefix */
	ck_assert_str_eq(r.done[0], "crashkernel=256M set in the bootloader");
	ck_assert_ptr_null(r.done[1]);
	ck_assert_str_eq(r.problems[0], "service kdump is not active");
	ck_assert_ptr_null(r.problems[1]);
	ck_assert_str_eq(r.notes[0], "a reboot is needed (1)");
	ck_assert_ptr_null(r.notes[1]);
	/* text mode ends with the last line already printed: no summary */
	report_finish(&r, 1, "ignored in text");
	ck_assert_str_eq(written(),
	                 "config: crashkernel=256M set in the bootloader\n"
	                 "config: NOT OK: service kdump is not active\n"
	                 "config: a reboot is needed (1)\n");
	ck_assert_ptr_null(r.done);
	ck_assert_ptr_null(r.problems);
	ck_assert_ptr_null(r.notes);
}
END_TEST

START_TEST(text_newlines_flattened)
{
	struct report r;

	report_init(&r, "apply-check", false, out);
	report_problem(&r, "dpkg said:\n%s", "E: broken\nE: held\n");
	report_note(&r, "\n");
	report_done(&r, "a\n\nb");
	ck_assert_str_eq(written(),
	                 "apply-check: NOT OK: dpkg said: E: broken E: held \n"
	                 "apply-check:  \n"
	                 "apply-check: a  b\n");
	ck_assert_ptr_null(strchr(r.problems[0], '\n'));
	ck_assert_str_eq(r.problems[0], "dpkg said: E: broken E: held ");
	ck_assert_str_eq(r.done[0], "a  b");
	report_finish(&r, 0, NULL);
}
END_TEST

/* A value from a file or a name stays on its line and cannot drive a
 * terminal: C0, DEL and C1 (in UTF-8, or a lone byte 0x80 to 0x9F) become
 * spaces; other UTF-8, and other bytes, stay as they are. */
START_TEST(text_flat_controls)
{
	char *dup;

	text_flat(out, "a\nb\033[31m\177c\302\233" "31m\302\240\303\251\342\202\254\237\377");
	text_flat(out, NULL);
	ck_assert_str_eq(written(), "a b [31m c 31m\302\240\303\251\342\202\254 \377");
	dup = text_flat_dup("x\r\n\302\205y");
	ck_assert_str_eq(dup, "x   y");
	free(dup);
}
END_TEST

START_TEST(text_many)
{
	struct report r;
	char *expect = tu_printf("%s", "");

	report_init(&r, "x", false, out);
	for (int i = 0; i < 50; i++) {
		char *e;
		report_done(&r, "step %d", i);
		e = tu_printf("%sx: step %d\n", expect, i);
		free(expect);
		expect = e;
	}
	ck_assert_str_eq(written(), expect);
	ck_assert_str_eq(r.done[49], "step 49");
	ck_assert_ptr_null(r.done[50]);
	report_finish(&r, 0, NULL);
	free(expect);
}
END_TEST

/* ---- JSON ------------------------------------------------------------ */

static bool have_python(void)
{
	return system("python3 -c 'pass' >/dev/null 2>&1") == 0;
}

/* The document parsed by python3 and written back with sorted keys and
 * ASCII escapes, or NULL when python3 refused it. */
static char *python_roundtrip(const char *doc)
{
	char *dir = tu_copy_tree(NULL), *path = tu_path(dir, "doc.json");
	char *cmd = tu_printf("python3 -c 'import json,sys; "
	                      "d=json.load(open(sys.argv[1], encoding=\"utf-8\")); "
	                      "print(json.dumps(d, sort_keys=True))' '%s' 2>/dev/null",
	                      path);
	char line[8192], *got = NULL;
	FILE *p;
	int status;

	tu_write(path, doc);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		got = strdup(line);
	}
	status = pclose(p);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(got);
		got = NULL;
	}
	free(cmd);
	free(path);
	tu_rm_tree(dir);
	return got;
}

START_TEST(json_document)
{
	struct report r;
	char *py;

	report_init(&r, "post-interrupt-check", true, out);
	report_done(&r, "reserved %dM", 256);
	report_problem(&r, "no crash kernel is loaded (%s is 0)",
	               "/sys/kernel/kexec_crash_loaded");
	report_problem(&r, "say \"hi\"\nthen\\go");
	report_note(&r, "tab\there");
	/* nothing is printed before the end */
	ck_assert_str_eq(written(), "");
	report_finish(&r, 1, NULL);
	ck_assert_str_eq(written(),
	                 "{\"command\":\"post-interrupt-check\",\"result\":\"check-failed\","
	                 "\"exit_code\":1,\"error\":null,"
	                 "\"done\":[\"reserved 256M\"],"
	                 "\"problems\":[\"no crash kernel is loaded "
	                 "(/sys/kernel/kexec_crash_loaded is 0)\","
	                 "\"say \\\"hi\\\" then\\\\go\"],"
	                 "\"notes\":[\"tab\\there\"]}\n");
	ck_assert_ptr_null(r.done);
	if (!have_python())
		return;
	py = python_roundtrip(buf);
	ck_assert_msg(py != NULL, "python3 refused: %s", buf);
	ck_assert_str_eq(py,
	                 "{\"command\": \"post-interrupt-check\", "
	                 "\"done\": [\"reserved 256M\"], \"error\": null, "
	                 "\"exit_code\": 1, \"notes\": [\"tab\\there\"], "
	                 "\"problems\": [\"no crash kernel is loaded "
	                 "(/sys/kernel/kexec_crash_loaded is 0)\", "
	                 "\"say \\\"hi\\\" then\\\\go\"], "
	                 "\"result\": \"check-failed\"}");
	free(py);
}
END_TEST

START_TEST(json_empty_lists_and_error)
{
	struct report r;
	char *py;

	report_init(&r, "apply", true, out);
	report_finish(&r, 4, "dnf: \"kexec-tools\"\x01 failed");
	ck_assert_str_eq(written(),
	                 "{\"command\":\"apply\",\"result\":\"failed\",\"exit_code\":4,"
	                 "\"error\":\"dnf: \\\"kexec-tools\\\"\\u0001 failed\","
	                 "\"done\":[],\"problems\":[],\"notes\":[]}\n");
	if (!have_python())
		return;
	py = python_roundtrip(buf);
	ck_assert_msg(py != NULL, "python3 refused: %s", buf);
	ck_assert_str_eq(py,
	                 "{\"command\": \"apply\", \"done\": [], "
	                 "\"error\": \"dnf: \\\"kexec-tools\\\"\\u0001 failed\", "
	                 "\"exit_code\": 4, \"notes\": [], \"problems\": [], "
	                 "\"result\": \"failed\"}");
	free(py);
}
END_TEST

START_TEST(json_results)
{
	static const struct {
		int code;
		const char *result;
	} cases[] = {
		{ 0, "ok" }, { 1, "check-failed" }, { 2, "bad-input" },
		{ 3, "unsupported" }, { 4, "failed" }, { 5, "failed" },
		{ 77, "failed" }, { -1, "failed" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report r;
		char *expect = tu_printf("{\"command\":\"c\",\"result\":\"%s\",\"exit_code\":%d,"
		                         "\"error\":null,\"done\":[],\"problems\":[],"
		                         "\"notes\":[]}\n",
		                         cases[i].result, cases[i].code);

		teardown();
		setup();
		report_init(&r, "c", true, out);
		/* an empty error is no error */
		report_finish(&r, cases[i].code, "");
		ck_assert_str_eq(written(), expect);
		free(expect);
	}
}
END_TEST

START_TEST(json_many_entries_valid)
{
	struct report r;
	char *py;

	report_init(&r, "config", true, out);
	for (int i = 0; i < 20; i++) {
		report_done(&r, "done %d \"q\" \\ \x1f", i);
		report_note(&r, "note %d\n", i);
	}
	report_problem(&r, "%s", "");
	report_finish(&r, 0, NULL);
	ck_assert_ptr_nonnull(strstr(written(), "\"problems\":[\"\"]"));
	if (!have_python())
		return;
	py = python_roundtrip(written());
	ck_assert_msg(py != NULL, "python3 refused: %s", buf);
	ck_assert_ptr_nonnull(strstr(py, "\"done 19 \\\"q\\\" \\\\ \\u001f\""));
	ck_assert_ptr_nonnull(strstr(py, "\"note 0 \", \"note 1 \""));
	ck_assert_ptr_nonnull(strstr(py, "\"problems\": [\"\"]"));
	ck_assert_ptr_nonnull(strstr(py, "\"result\": \"ok\""));
	free(py);
}
END_TEST

static char *escaped(const char *s)
{
	teardown();
	setup();
	json_string(out, s);
	return strdup(written());
}

#define ASSERT_ESCAPE(in, want) do { \
		char *e_ = escaped(in); \
		ck_assert_str_eq(e_, want); \
		free(e_); \
	} while (0)

START_TEST(json_string_escapes)
{
	ASSERT_ESCAPE("plain", "\"plain\"");
	ASSERT_ESCAPE("", "\"\"");
	ASSERT_ESCAPE(NULL, "\"\"");
	ASSERT_ESCAPE("a\"b", "\"a\\\"b\"");
	ASSERT_ESCAPE("a\\b", "\"a\\\\b\"");
	ASSERT_ESCAPE("\\\"", "\"\\\\\\\"\"");
	ASSERT_ESCAPE("l1\nl2", "\"l1\\nl2\"");
	ASSERT_ESCAPE("a\tb", "\"a\\tb\"");
	ASSERT_ESCAPE("\r", "\"\\u000d\"");
	ASSERT_ESCAPE("\x01\x02\x1f", "\"\\u0001\\u0002\\u001f\"");
	ASSERT_ESCAPE("\b\f", "\"\\u0008\\u000c\"");
	/* space, slash and DEL need no escape in JSON */
	ASSERT_ESCAPE(" /\x7f~", "\" /\x7f~\"");
	/* UTF-8 passes through byte for byte */
	ASSERT_ESCAPE("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}
END_TEST

START_TEST(json_string_every_control_is_valid)
{
	char in[40], *e, *doc, *py;
	size_t n = 0;

	if (!have_python())
		return;
	for (int c = 1; c < 0x20; c++)
		in[n++] = (char)c;
	in[n++] = '"';
	in[n++] = '\\';
	in[n] = '\0';
	e = escaped(in);
	doc = tu_printf("[%s]", e);
	py = python_roundtrip(doc);
	ck_assert_msg(py != NULL, "python3 refused: %s", doc);
	/* json.dumps writes them back in its own spelling: compare by count */
	ck_assert_ptr_nonnull(strstr(py, "\\u0001\\u0002"));
	ck_assert_ptr_nonnull(strstr(py, "\\b\\t\\n\\u000b\\f\\r"));
	ck_assert_ptr_nonnull(strstr(py, "\\u001f\\\"\\\\\"]"));
	free(py);
	free(doc);
	free(e);
}
END_TEST

Suite *skd_report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("text");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_lines_as_they_happen);
	tcase_add_test(tc, text_newlines_flattened);
	tcase_add_test(tc, text_many);
	tcase_add_test(tc, text_flat_controls);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_document);
	tcase_add_test(tc, json_empty_lists_and_error);
	tcase_add_test(tc, json_results);
	tcase_add_test(tc, json_many_entries_valid);
	tcase_add_test(tc, json_string_escapes);
	tcase_add_test(tc, json_string_every_control_is_valid);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_report_suite)
