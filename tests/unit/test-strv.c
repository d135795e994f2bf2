/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "testutil.h"

Suite *skd_strv_suite(void);

/* Splits `s`, then checks the words against the NULL-terminated list. */
static void assert_split(const char *s, const char *seps, const char *const *want)
{
	char **v = strv_split(s, seps);
	size_t n = 0;

	ck_assert_ptr_nonnull(v);
	for (; want[n]; n++) {
		ck_assert_msg(v[n] != NULL, "\"%s\": word %zu missing", s, n);
		ck_assert_str_eq(v[n], want[n]);
	}
	ck_assert_msg(v[n] == NULL, "\"%s\": extra word \"%s\"", s, v[n]);
	ck_assert_uint_eq(strv_length(v), n);
	strv_free(v);
}

START_TEST(split)
{
	assert_split("a b c", " ", (const char *const[]){ "a", "b", "c", NULL });
	/* leading, trailing and repeated separators make no empty words */
	assert_split("  a   b  ", " ", (const char *const[]){ "a", "b", NULL });
	assert_split("a,b;;c", ",;", (const char *const[]){ "a", "b", "c", NULL });
	assert_split("quiet\tcrashkernel=256M\n", " \t\n",
	             (const char *const[]){ "quiet", "crashkernel=256M", NULL });
	assert_split("one", " ", (const char *const[]){ "one", NULL });
	/* no separator in the string: one word; no separators at all: one word */
	assert_split("a-b", " ", (const char *const[]){ "a-b", NULL });
	assert_split("a b", "", (const char *const[]){ "a b", NULL });
	/* nothing but separators, or nothing: an empty vector, not NULL */
	assert_split("", " ", (const char *const[]){ NULL });
	assert_split("   ", " ", (const char *const[]){ NULL });
}
END_TEST

START_TEST(join)
{
	char **v = strv_split("a b c", " ");
	char *s;

	s = strv_join(v, ", ");
	ck_assert_str_eq(s, "a, b, c");
	free(s);
	s = strv_join(v, "");
	ck_assert_str_eq(s, "abc");
	free(s);
	strv_free(v);

	v = strv_split("only", " ");
	s = strv_join(v, "--");
	ck_assert_str_eq(s, "only");
	free(s);
	strv_free(v);

	/* empty words are kept */
	v = calloc(1, sizeof(char *));
	ck_assert_int_eq(strv_push(&v, ""), 0);
	ck_assert_int_eq(strv_push(&v, "x"), 0);
	ck_assert_int_eq(strv_push(&v, ""), 0);
	s = strv_join(v, "/");
	ck_assert_str_eq(s, "/x/");
	free(s);
	strv_free(v);

	/* an empty vector and NULL both join to "" */
	v = calloc(1, sizeof(char *));
	s = strv_join(v, ", ");
	ck_assert_str_eq(s, "");
	free(s);
	strv_free(v);
	s = strv_join(NULL, ", ");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(push_copies)
{
	char **v = calloc(1, sizeof(char *));
	char word[] = "first";

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(strv_push(&v, word), 0);
	/* a copy: changing the caller's buffer changes nothing */
	word[0] = 'F';
	ck_assert_str_eq(v[0], "first");
	ck_assert_ptr_ne(v[0], word);
	ck_assert_ptr_null(v[1]);
	for (int i = 0; i < 100; i++) {
		char *w = tu_printf("w%d", i);
		ck_assert_int_eq(strv_push(&v, w), 0);
		free(w);
	}
	ck_assert_uint_eq(strv_length(v), 101);
	ck_assert_str_eq(v[0], "first");
	ck_assert_str_eq(v[1], "w0");
	ck_assert_str_eq(v[100], "w99");
	ck_assert_ptr_null(v[101]);
	/* duplicates are pushed: strv_push is not a set */
	ck_assert_int_eq(strv_push(&v, "first"), 0);
	ck_assert_uint_eq(strv_length(v), 102);
	strv_free(v);

	/* a NULL vector grows too */
	v = NULL;
	ck_assert_int_eq(strv_push(&v, "x"), 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v[0], "x");
	ck_assert_ptr_null(v[1]);
	strv_free(v);
}
END_TEST

START_TEST(contains_and_length)
{
	char **v = strv_split("kexec-tools kdump-tools makedumpfile", " ");

	ck_assert(strv_contains(v, "kdump-tools"));
	ck_assert(strv_contains(v, "kexec-tools"));
	ck_assert(strv_contains(v, "makedumpfile"));
	/* whole words only, case-sensitive */
	ck_assert(!strv_contains(v, "kdump"));
	ck_assert(!strv_contains(v, "kdump-tools "));
	ck_assert(!strv_contains(v, "Kdump-tools"));
	ck_assert(!strv_contains(v, ""));
	ck_assert_uint_eq(strv_length(v), 3);
	strv_free(v);

	v = calloc(1, sizeof(char *));
	ck_assert(!strv_contains(v, "x"));
	ck_assert_uint_eq(strv_length(v), 0);
	strv_free(v);
	ck_assert(!strv_contains(NULL, "x"));
	ck_assert_uint_eq(strv_length(NULL), 0);
}
END_TEST

START_TEST(free_null)
{
	/* must not crash; the fork catches it if it does */
	strv_free(NULL);
	strv_free(calloc(1, sizeof(char *)));
}
END_TEST

Suite *skd_strv_suite(void)
{
	Suite *s = suite_create("strv");
	TCase *tc = tcase_create("strv");

	tcase_add_test(tc, split);
	tcase_add_test(tc, join);
	tcase_add_test(tc, push_copies);
	tcase_add_test(tc, contains_and_length);
	tcase_add_test(tc, free_null);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_strv_suite)
