/* SPDX-License-Identifier: Apache-2.0 */
/* The KEY=value format of /etc/default/kdump-tools: the variables
 * kdump-tools reads and the rules for their values. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kdumpconf.h"
#include "kdumpconf-internal.h"

/* ---- kdump-tools variables ---------------------------------------------
 * Every variable kdump-config, the init script and the dump service read
 * from /etc/default/kdump-tools in Debian 9-13 and Ubuntu 18.04-24.04. */

enum {
	K_SECRET = 1u << 0,
	K_ABSPATH = 1u << 1,    /* empty or an absolute path */
	K_NUMBER = 1u << 2,     /* empty or digits */
	K_BOOL = 1u << 3,       /* empty, 0 or 1 */
	/* kdump-config builds the kexec command line from these and runs it
	 * through `eval`: a second round of shell parsing */
	K_EVAL_BARE = 1u << 4,  /* unquoted inside the eval */
	K_EVAL_QUOTED = 1u << 5,/* inside "..." inside the eval */
};

struct key_info {
	const char *name;
	unsigned flags;
};

static const struct key_info shell_keys[] = {
	{ "USE_KDUMP", 0 },
	{ "KDUMP_KERNEL", K_ABSPATH | K_EVAL_BARE },
	{ "KDUMP_INITRD", K_ABSPATH | K_EVAL_BARE },
	/* undocumented: the .config of a kernel that is not relocatable */
	{ "KDUMP_CONFIG", K_ABSPATH },
	{ "KDUMP_COREDIR", K_ABSPATH },
	{ "KDUMP_FAIL_CMD", 0 },
	{ "KDUMP_DUMP_DMESG", K_BOOL },
	{ "KDUMP_NUM_DUMPS", K_NUMBER },
	{ "KDUMP_COMPRESSION", 0 },
	{ "MAKEDUMP_ARGS", 0 },
	{ "KDUMP_KEXEC_ARGS", K_EVAL_BARE },
	{ "KDUMP_CMDLINE", K_EVAL_QUOTED },
	{ "KDUMP_CMDLINE_APPEND", K_EVAL_QUOTED },
	{ "KDUMP_SYSCTL", 0 },
	{ "HOSTTAG", 0 },
	{ "NFS", 0 },
	{ "NFS_TIMEO", K_NUMBER },
	{ "NFS_RETRANS", K_NUMBER },
	{ "NFS_MOUNT_RETRY", K_NUMBER },
	{ "FTP", 0 },
	{ "FTP_USER", 0 },
	{ "FTP_PASSWORD", K_SECRET },
	{ "FTP_PORT", K_NUMBER },
	{ "SSH", 0 },
	{ "SSH_KEY", K_SECRET | K_ABSPATH },
	{ "SSH_KDUMP_RETRY", K_NUMBER },
};

const struct key_info *shell_key(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(shell_keys) / sizeof(shell_keys[0]); i++)
		if (strlen(shell_keys[i].name) == len &&
		    memcmp(shell_keys[i].name, name, len) == 0)
			return &shell_keys[i];
	return NULL;
}

/* The value the file ends up with for `key`, or NULL when unset or empty. */
const char *effective(const struct kdump_config *c, const char *key)
{
	for (size_t j = c->n_settings; j-- > 0; )
		if (strcmp(c->settings[j].key, key) == 0)
			return *c->settings[j].value ? c->settings[j].value : NULL;
	return NULL;
}

/* ---- KEY=value ------------------------------------------------------------ */

bool all_digits(const char *v)
{
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

/* What is wrong with `v` (unquoted) as the value of `k`, or NULL. Used for
 * the input and for every value rendered into a shell file. */
const char *shell_value_problem(const struct key_info *k, const char *v)
{
	/* kdump-config takes " " as set, and no target or option is blank */
	if (*v && !v[strspn(v, " \t")])
		return "is only blanks (leave it empty for the default)";
	/* refused even inside single quotes: kdump-config evaluates some
	 * values a second time */
	if (strpbrk(v, "$`\\"))
		return "contains '$', '`' or '\\', which the shell would expand";
	if ((k->flags & K_EVAL_BARE) && strpbrk(v, ";&|<>()\"'*?[~#"))
		return "contains a character that kdump-config's eval of the kexec command would interpret";
	if ((k->flags & K_EVAL_QUOTED) && strchr(v, '"'))
		return "contains '\"', which would end the quoted kernel command line in kdump-config's eval";
	if ((k->flags & K_ABSPATH) && *v && *v != '/')
		return "is not an absolute path";
	/* kdump-config uses these unquoted in places */
	if ((k->flags & K_ABSPATH) && strpbrk(v, " \t"))
		return "contains a blank, which kdump-config would split the path at";
	if ((k->flags & K_NUMBER) && !all_digits(v))
		return "is not a number";
	if ((k->flags & K_BOOL) && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return "is not 0 or 1";
	/* the init script tests [ "$USE_KDUMP" -ne 0 ]: anything else than
	 * a number quietly leaves kdump off */
	if (strcmp(k->name, "USE_KDUMP") == 0 && strcmp(v, "0") != 0 &&
	    strcmp(v, "1") != 0)
		return "is not 0 or 1";
	if (strcmp(k->name, "KDUMP_COMPRESSION") == 0 && *v &&
	    strcmp(v, "bzip2") && strcmp(v, "gzip") && strcmp(v, "lz4") &&
	    strcmp(v, "xz"))
		return "is not one of bzip2, gzip, lz4, xz";
	if (strcmp(k->name, "HOSTTAG") == 0 && *v && strcmp(v, "hostname") &&
	    strcmp(v, "ip"))
		return "is not hostname or ip";
	return NULL;
}

/* Read the single shell word after '=' into out (unquoted). Returns NULL,
 * or what is wrong. */
static const char *shell_word(const char *p, struct buf *out, const char **ret_end)
{
	for (;;) {
		char c = *p;

		if (c == '\0' || is_blank(c))
			break;
		if (c == '\'' || c == '"') {
			const char *close = strchr(p + 1, c);
			if (!close)
				return c == '\'' ? "unbalanced single quote"
				                 : "unbalanced double quote";
			buf_add(out, p + 1, (size_t)(close - p - 1));
			p = close + 1;
			continue;
		}
		switch (c) {
		case '$':
			return "'$' would be expanded by the shell";
		case '`':
			return "'`' is command substitution";
		case '\\':
			return "'\\' is not allowed";
		case ';':
			return "unquoted ';' would end the assignment and run a command";
		case '&': case '|':
			return "unquoted '&' or '|' would run a command";
		case '<': case '>':
			return "unquoted '<' or '>' is a redirection";
		case '(': case ')':
			return "unquoted '(' or ')' is shell syntax";
		case '~':
			return "unquoted '~' would be expanded by the shell";
		default:
			buf_add(out, p, 1);
			p++;
		}
	}
	*ret_end = p;
	return NULL;
}

int parse_shell_line(struct kdump_config *c, const char *l,
                            unsigned line, const char *what)
{
	const char *p = skip_blanks(l), *end = NULL, *problem;
	const struct key_info *k;
	struct buf v = { 0 };
	size_t klen = 0;
	int r;

	line_is_assignment(l, &klen);
	k = shell_key(p, klen);
	if (!k)
		return diag_set(-EINVAL, "%s: line %u: unknown kdump-tools variable \"%.*s\"",
		                what, line, (int)klen, p);
	problem = shell_word(p + klen + 1, &v, &end);
	if (!problem) {
		end = skip_blanks(end);
		if (*end && *end != '#')
			problem = "more than one word: a second assignment or a command follows the value";
	}
	if (!problem)
		problem = shell_value_problem(k, v.p ? v.p : "");
	if (problem) {
		r = diag_set(-EINVAL, "%s: line %u: %s: %s", what, line, k->name, problem);
		goto out;
	}
	r = v.oom ? -ENOMEM : add_setting(c, p, klen, v.p ? v.p : "", line);
	if (r < 0)
		diag_set(r, "%s: out of memory", what);
out:
	free(v.p);
	return r;
}
