/* SPDX-License-Identifier: Apache-2.0 */
/* The directive format of /etc/kdump.conf: the directives kdumpctl
 * accepts and the rules for their values. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kdumpconf.h"
#include "kdumpconf-internal.h"

/* ---- kdump.conf directives ----------------------------------------------
 * The union of what kdumpctl's config check accepts from EL7's kexec-tools
 * to EL10's kdump-utils. */

enum {
	D_TARGET = 1u << 0,     /* a dump target: at most one */
	D_REMOTE = 1u << 1,
	D_PATH = 1u << 2,       /* one absolute path */
	D_PATHS = 1u << 3,      /* absolute paths separated by blanks */
	D_FAILURE = 1u << 4,    /* reboot|halt|poweroff|shell|dump_to_rootfs */
	D_FINAL = 1u << 5,      /* reboot|halt|poweroff */
	D_01 = 1u << 6,
	D_YESNO = 1u << 7,
	D_SECRET = 1u << 8,
};

struct directive_info {
	const char *name;
	unsigned flags;
};

static const struct directive_info directives[] = {
	{ "raw", D_TARGET },
	{ "ext2", D_TARGET }, { "ext3", D_TARGET }, { "ext4", D_TARGET },
	{ "xfs", D_TARGET }, { "btrfs", D_TARGET }, { "minix", D_TARGET },
	{ "virtiofs", D_TARGET },
	{ "nfs", D_TARGET | D_REMOTE },
	{ "ssh", D_TARGET | D_REMOTE },
	{ "sshkey", D_PATH | D_SECRET },
	{ "path", D_PATH },
	{ "core_collector", 0 },
	{ "kdump_post", D_PATH },
	{ "kdump_pre", D_PATH },
	{ "kdump_emergency", D_PATH },
	{ "extra_bins", D_PATHS },
	{ "extra_modules", 0 },
	{ "failure_action", D_FAILURE },
	{ "default", D_FAILURE },       /* the old name of failure_action */
	{ "final_action", D_FINAL },
	{ "force_rebuild", D_01 },
	{ "force_no_rebuild", D_01 },
	{ "dracut_args", 0 },
	{ "fence_kdump_args", 0 },
	{ "fence_kdump_nodes", 0 },
	{ "auto_reset_crashkernel", D_YESNO },
};

/* kdumpctl stops with "Deprecated kdump config option" on these */
static const char *const deprecated_directives[] = {
	"net", "options", "link_delay", "disk_timeout", "debug_mem_level",
	"blacklist",
};

static const struct directive_info *directive(const char *name)
{
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(directives[i].name, name) == 0)
			return &directives[i];
	return NULL;
}

/* ---- directives ---------------------------------------------------------- */

static bool same_option(const char *a, const char *b)
{
	/* "default" is the old name of failure_action */
	if (strcmp(a, "default") == 0)
		a = "failure_action";
	if (strcmp(b, "default") == 0)
		b = "failure_action";
	return strcmp(a, b) == 0;
}

/* kdumpctl counts a dracut_args with --mount as a dump target too */
bool is_target(const char *key, const char *value)
{
	const struct directive_info *d = directive(key);

	if (d && (d->flags & D_TARGET))
		return true;
	return strcmp(key, "dracut_args") == 0 && strstr(value, "--mount");
}

static const char *directive_value_problem(const struct directive_info *d,
                                           const char *v)
{
	if (!*v)
		return "needs a value";
	if ((d->flags & D_PATH) && (*v != '/' || strpbrk(v, " \t")))
		return "is not one absolute path";
	if (d->flags & D_PATHS) {
		for (const char *p = skip_blanks(v); *p; p = skip_blanks(p)) {
			if (*p != '/')
				return "is not a list of absolute paths";
			p += strcspn(p, " \t");
		}
	}
	if ((d->flags & D_FAILURE) && strcmp(v, "reboot") && strcmp(v, "halt") &&
	    strcmp(v, "poweroff") && strcmp(v, "shell") && strcmp(v, "dump_to_rootfs"))
		return "is not one of reboot, halt, poweroff, shell, dump_to_rootfs";
	if ((d->flags & D_FINAL) && strcmp(v, "reboot") && strcmp(v, "halt") &&
	    strcmp(v, "poweroff"))
		return "is not one of reboot, halt, poweroff";
	if ((d->flags & D_01) && strcmp(v, "0") && strcmp(v, "1"))
		return "is not 0 or 1";
	if ((d->flags & D_YESNO) && strcmp(v, "yes") && strcmp(v, "no"))
		return "is not yes or no";
	return NULL;
}

int parse_directive_line(struct kdump_config *c, const char *l,
                                unsigned line, const char *what)
{
	const char *p = skip_blanks(l), *problem;
	const struct directive_info *d;
	size_t nlen = strcspn(p, " \t");
	char *name, *value = NULL;
	size_t vlen;
	int r;

	name = strndup(p, nlen);
	if (!name)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	/* the value as kdumpctl reads it: a trailing comment and the blanks
	 * before it dropped, then one pair of enclosing double quotes */
	p = skip_blanks(p + nlen);
	vlen = strcspn(p, "#");
	while (vlen > 0 && is_blank(p[vlen - 1]))
		vlen--;
	if (vlen >= 2 && p[0] == '"' && p[vlen - 1] == '"') {
		p++;
		vlen -= 2;
	}
	value = strndup(p, vlen);
	if (!value) {
		r = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}

	d = directive(name);
	if (!d) {
		for (size_t i = 0; i < sizeof(deprecated_directives) / sizeof(deprecated_directives[0]); i++)
			if (strcmp(name, deprecated_directives[i]) == 0) {
				r = diag_set(-EINVAL, "%s: line %u: \"%s\" is deprecated: kdumpctl refuses it (see kdump.conf(5))",
				             what, line, name);
				goto out;
			}
		if (strcmp(name, "override_resettable") == 0)
			r = diag_set(-EINVAL, "%s: line %u: \"override_resettable\" was documented until 2023 but kdumpctl never accepted it",
			             what, line);
		else
			r = diag_set(-EINVAL, "%s: line %u: unknown kdump.conf directive \"%s\"",
			             what, line, name);
		goto out;
	}
	problem = directive_value_problem(d, value);
	if (problem) {
		r = diag_set(-EINVAL, "%s: line %u: %s: %s", what, line, name, problem);
		goto out;
	}
	for (size_t i = 0; i < c->n_settings; i++) {
		const struct kdump_setting *s = &c->settings[i];

		if (same_option(s->key, name)) {
			r = diag_set(-EINVAL, "%s: line %u: \"%s\" repeats line %u: kdumpctl refuses duplicates",
			             what, line, name, s->line);
			goto out;
		}
		if (is_target(s->key, s->value) && is_target(name, value)) {
			r = diag_set(-EINVAL, "%s: line %u: a second dump target (\"%s\", the first is on line %u): kdumpctl allows one",
			             what, line, name, s->line);
			goto out;
		}
	}
	r = add_setting(c, name, nlen, value, line);
	if (r < 0)
		diag_set(r, "%s: out of memory", what);
out:
	free(name);
	free(value);
	return r;
}
