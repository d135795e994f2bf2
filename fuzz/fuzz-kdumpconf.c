/* SPDX-License-Identifier: Apache-2.0 */
/* The kdump configuration validators. Built twice: FUZZ_FORMAT is the
 * format the seeds of this target are in (KEY=value or directives); the
 * format-specific readers (mask, dump directory) run in that format on
 * every input, the parser detects the format itself. What validates must
 * render into both formats (or be refused with a message), and a rendered
 * file must validate again in the format it was rendered for. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "kdumpconf.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT: SKD_CONFIG_SHELL_VARS or SKD_CONFIG_DIRECTIVES"
#endif

static bool only_comments(const char *text)
{
	for (const char *l = text; *l; l++) {
		l += strspn(l, " \t");
		if (*l != '#' && *l != '\n' && *l)
			return false;
		l = strchr(l, '\n');
		if (!l)
			break;
	}
	return true;
}

static void check_rendered(const struct kdump_config *c, int target)
{
	struct kdump_config *again = NULL;
	char *text = NULL, *notes = NULL;

	if (kdumpconf_render(c, target, "fuzz", &text, &notes) != 0) {
		FUZZ_CHECK(diag_message()[0]);
		/* refusals are for translations only: native text is itself */
		FUZZ_CHECK(target != c->format);
		return;
	}
	FUZZ_CHECK(text);
	if (target == c->format)
		FUZZ_CHECK(strcmp(text, c->text) == 0);
	if (kdumpconf_parse(text, strlen(text), "rendered", &again) == 0) {
		FUZZ_CHECK(again->format == target);
		kdumpconf_free(again);
	} else {
		/* refused only when nothing was left to translate (USE_KDUMP=1
		 * has no directive): a file of comments, which users may not
		 * give but kdumpctl reads as the defaults */
		FUZZ_CHECK(only_comments(text));
	}
	free(text);
	free(notes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kdump_config *c = NULL;
	char *text, *s;

	if (kdumpconf_parse((const char *)data, size, "fuzz", &c) == 0) {
		FUZZ_CHECK(c->format == SKD_CONFIG_SHELL_VARS ||
		           c->format == SKD_CONFIG_DIRECTIVES);
		for (size_t i = 0; i < c->n_settings; i++)
			FUZZ_CHECK(c->settings[i].key[0] && c->settings[i].line > 0);
		(void)kdumpconf_has_secrets(c);
		check_rendered(c, SKD_CONFIG_SHELL_VARS);
		check_rendered(c, SKD_CONFIG_DIRECTIVES);
		kdumpconf_free(c);
	}
	diag_clear();
	/* the readers below take text that already passed validation, but
	 * must not trip over anything either */
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	s = kdumpconf_mask(text, FUZZ_FORMAT);
	if (s)
		FUZZ_CHECK(strlen(s) >= strlen(text) || strstr(s, "****"));
	free(s);
	free(kdumpconf_dump_dir(text, FUZZ_FORMAT, "/var/crash"));
	free(text);
	diag_clear();
	return 0;
}
