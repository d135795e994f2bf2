/* SPDX-License-Identifier: Apache-2.0 */
/* The GRUB defaults editor on arbitrary files: setting a value makes get
 * return it, the edit touches only the crashkernel= token (and the quotes
 * a value with a blank needs), and removing it again gives back the file
 * without a crashkernel= token, byte for byte. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grub-default.h"
#include "skyhook-kdump/backend.h"

static const char *const vars[] = {
	"GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT",
};
static const char *const values[] = {
	"512M", "1G-4G:192M,4G-64G:256M,64G-:512M", "512M,high",
};

/* The edited text, or NULL when the editor refuses: its checker may
 * refuse a file whose shell meaning it cannot confirm (a quote that spans
 * lines, a keyword out of place), which is safe: nothing is written.
 * Any other failure is a bug. */
static char *set(const char *text, const char *var, const char *value)
{
	char *out = NULL;
	bool changed;
	int r = grubdef_set_crashkernel(text, var, value, &out, &changed);

	if (r == -SKD_E_INVALID)
		return NULL;
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(changed == (strcmp(out, text) != 0));
	return out;
}

/* `with` is `without` plus the token: the bytes that differ (after the
 * common start and end) hold "crashkernel=VALUE", a blank and quotes. */
static void check_only_token(const char *without, const char *with,
                             const char *value)
{
	size_t a = strlen(without), b = strlen(with), pre = 0, suf = 0;
	size_t token = strlen("crashkernel=") + strlen(value);

	while (pre < a && pre < b && without[pre] == with[pre])
		pre++;
	while (suf < a - pre && suf < b - pre &&
	       without[a - 1 - suf] == with[b - 1 - suf])
		suf++;
	FUZZ_CHECK(b >= a + token);
	FUZZ_CHECK(b - a <= token + 3);
	/* the window of `with` may also hold bytes shared with `without` */
	FUZZ_CHECK(b - pre - suf >= token);
}

/* A variable that was not assigned gets a line of its own at the end. */
static void check_added_line(const char *without, const char *with,
                             const char *var, const char *value)
{
	size_t a = strlen(without);
	const char *line = with + a;
	char *want = NULL;

	FUZZ_CHECK(strncmp(with, without, a) == 0);
	if (a > 0 && without[a - 1] != '\n')
		FUZZ_CHECK(*line++ == '\n');
	FUZZ_CHECK(asprintf(&want, "%s=\"crashkernel=%s\"\n", var, value) > 0);
	FUZZ_CHECK(strcmp(line, want) == 0);
	free(want);
}

/* Equal, or `b` is `a` with one stretch put in double quotes: an unquoted
 * value that once held a blank keeps the quotes it needed. */
static bool same_but_quotes(const char *a, const char *b)
{
	size_t i = 0, j;

	while (a[i] && a[i] == b[i])
		i++;
	if (!a[i] && !b[i])
		return true;
	if (b[i] != '"')
		return false;
	for (j = i; a[j] && a[j] == b[j + 1]; j++)
		;
	return b[j + 1] == '"' && strcmp(a + j, b + j + 2) == 0;
}

static void check_var(const char *text, const char *var, const char *value)
{
	char *old = NULL, *got = NULL, *without, *with = NULL, *again;
	bool changed;
	int r = grubdef_get_crashkernel(text, var, &old);

	FUZZ_CHECK(r == 0 || r == -ENOENT);
	free(old);
	{
		char *out = NULL;

		/* a word mixing quoted and unquoted parts is refused */
		if (grubdef_set_crashkernel(text, var, NULL, &out, &changed) != 0)
			return;
		free(out);
	}
	without = set(text, var, NULL);
	FUZZ_CHECK(without != NULL);
	FUZZ_CHECK(grubdef_get_crashkernel(without, var, &got) == r);
	FUZZ_CHECK(got == NULL);
	/* the editor refuses to write what would not stay plain shell */
	if (grubdef_set_crashkernel(without, var, value, &with, &changed) != 0) {
		free(without);
		return;
	}
	FUZZ_CHECK(grubdef_get_crashkernel(with, var, &got) == 0);
	FUZZ_CHECK(got && strcmp(got, value) == 0);
	free(got);
	if (r == -ENOENT)
		check_added_line(without, with, var, value);
	else
		check_only_token(without, with, value);
	if (r == 0) {
		again = set(with, var, NULL);
		FUZZ_CHECK(!again || same_but_quotes(without, again));
		free(again);
	}
	/* setting the value it already has changes nothing */
	again = set(with, var, value);
	FUZZ_CHECK(!again || strcmp(again, with) == 0);
	free(again);
	free(without);
	free(with);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);

	if (!text)
		return 0;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		check_var(text, vars[i], values[size % 3]);
	free(text);
	return 0;
}
