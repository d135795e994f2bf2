/* SPDX-License-Identifier: Apache-2.0 */
/* Credentials in a kdump configuration: which keys hold them, and
 * masking their values for logs and --dry-run output. */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "kdumpconf.h"
#include "kdumpconf-internal.h"

/* ---- secrets ------------------------------------------------------------------ */

bool kdumpconf_is_secret_key(const char *key)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN" };

	if (strcmp(key, "SSH_KEY") == 0 || strcmp(key, "sshkey") == 0)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(key, words[i]))
			return true;
	return false;
}

bool kdumpconf_has_secrets(const struct kdump_config *c)
{
	for (size_t i = 0; i < c->n_settings; i++)
		if (*c->settings[i].value && kdumpconf_is_secret_key(c->settings[i].key))
			return true;
	return false;
}

/* Where the value of a secret setting sits in one line: [*ret_b, *ret_e). */
static bool secret_span(const char *l, size_t len, int format,
                        size_t *ret_b, size_t *ret_e)
{
	size_t p = 0, klen, b, e;
	char key[128];

	while (p < len && is_blank(l[p]))
		p++;
	klen = 0;
	while (p + klen < len && !is_blank(l[p + klen]) && l[p + klen] != '=' &&
	       l[p + klen] != '#')
		klen++;
	if (klen == 0 || klen >= sizeof(key))
		return false;
	memcpy(key, l + p, klen);
	key[klen] = '\0';
	if (!kdumpconf_is_secret_key(key))
		return false;
	b = p + klen;
	if (format == SKD_CONFIG_SHELL_VARS) {
		if (b >= len || l[b] != '=')
			return false;
		/* one shell word, quotes included */
		for (e = ++b; e < len && !is_blank(l[e]); e++) {
			if (l[e] == '\'' || l[e] == '"') {
				const char *close = memchr(l + e + 1, l[e], len - e - 1);
				e = close ? (size_t)(close - l) : len - 1;
			}
		}
	} else {
		if (b >= len || !is_blank(l[b]))
			return false;
		while (b < len && is_blank(l[b]))
			b++;
		for (e = b; e < len && l[e] != '#'; e++)
			;
		while (e > b && is_blank(l[e - 1]))
			e--;
	}
	if (e <= b)
		return false;
	*ret_b = b;
	*ret_e = e;
	return true;
}

bool kdumpconf_line_secret(const char *line, size_t len, size_t *ret_b,
                           size_t *ret_e)
{
	return secret_span(line, len, SKD_CONFIG_SHELL_VARS, ret_b, ret_e) ||
	       secret_span(line, len, SKD_CONFIG_DIRECTIVES, ret_b, ret_e);
}

char *kdumpconf_mask(const char *text, int format)
{
	struct buf out = { 0 };
	char *ret = NULL;

	for (const char *l = text; *l; ) {
		size_t len = strcspn(l, "\n"), end = len, b, e;

		if (end > 0 && l[end - 1] == '\r')
			end--;
		if (secret_span(l, end, format, &b, &e)) {
			buf_add(&out, l, b);
			buf_add(&out, "****", 4);
			buf_add(&out, l + e, len - e);
		} else {
			buf_add(&out, l, len);
		}
		l += len;
		if (*l == '\n') {
			buf_add(&out, "\n", 1);
			l++;
		}
	}
	if (buf_steal(&out, &ret) < 0)
		return NULL;
	return ret;
}
