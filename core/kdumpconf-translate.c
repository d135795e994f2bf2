/* SPDX-License-Identifier: Apache-2.0 */
/* kdumpconf_render(): the file to install for the target, translated
 * between the KEY=value and the directive format when they differ. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kdumpconf.h"
#include "kdumpconf-internal.h"

/* kdump-config's own defaults: symlinks it keeps pointing at the running
 * kernel and the small initrd it builds for it, which is what kdumpctl
 * does on the other side without being told. */
#define DEB_KERNEL "/var/lib/kdump/vmlinuz"
#define DEB_INITRD "/var/lib/kdump/initrd.img"

/* ---- render ---------------------------------------------------------------- */

struct render {
	const struct kdump_config *c;
	const char *what;
	const char *target;     /* file name, for messages */
	struct buf out, notes;
};

static const char *shown(const char *key, const char *value)
{
	return kdumpconf_is_secret_key(key) ? "****" : value;
}

static int no_equivalent(struct render *r, const struct kdump_setting *s)
{
	const char *sep = r->c->format == SKD_CONFIG_SHELL_VARS ? "=" : " ";

	return diag_set(-EINVAL, "%s: line %u: %s%s%s has no equivalent in %s",
	                r->what, s->line, s->key, sep, shown(s->key, s->value),
	                r->target);
}

static void note_dropped(struct render *r, const struct kdump_setting *s,
                         const char *why)
{
	const char *sep = r->c->format == SKD_CONFIG_SHELL_VARS ? "=" : " ";

	buf_printf(&r->notes, "line %u: %s%s%s dropped: %s\n", s->line, s->key,
	           sep, shown(s->key, s->value), why);
}

/* Index of a later setting of the same key (the shell keeps the last). */
static size_t overridden_by(const struct kdump_config *c, size_t i)
{
	for (size_t j = c->n_settings; j-- > i + 1; )
		if (strcmp(c->settings[j].key, c->settings[i].key) == 0)
			return j;
	return 0;
}

/* makedumpfile options without -F: kdump-tools adds -F itself where it
 * pipes the dump, kdumpctl wants it exactly for ssh and raw targets. */
static char *args_without_flatten(const char *args, bool add_flatten)
{
	struct buf b = { 0 };
	char *ret = NULL;

	if (add_flatten)
		buf_add(&b, "-F", 2);
	for (const char *p = skip_blanks(args); *p; p = skip_blanks(p)) {
		size_t n = strcspn(p, " \t");
		if (!(n == 2 && memcmp(p, "-F", 2) == 0)) {
			if (b.len)
				buf_add(&b, " ", 1);
			buf_add(&b, p, n);
		}
		p += n;
	}
	if (buf_steal(&b, &ret) < 0)
		return NULL;
	return ret;
}

static int emit_directive(struct render *r, const struct kdump_setting *s,
                          const char *name, const char *value)
{
	/* kdumpctl reads a value without its outer blanks */
	const char *v = skip_blanks(value);
	size_t n = strlen(v);
	char *trimmed;

	while (n > 0 && is_blank(v[n - 1]))
		n--;
	/* cuts it at '#' */
	if (memchr(v, '#', n))
		return diag_set(-EINVAL, "%s: line %u: %s cannot be written to %s: '#' would start a comment there",
		                r->what, s->line, s->key, r->target);
	/* and takes one pair of enclosing double quotes off, where some of
	 * its readers do not: no quoting keeps such a value */
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		return diag_set(-EINVAL, "%s: line %u: %s cannot be written to %s: kdumpctl would take off its enclosing double quotes",
		                r->what, s->line, s->key, r->target);
	trimmed = strndup(v, n);
	if (!trimmed)
		return diag_set(-ENOMEM, "%s: out of memory", r->what);
	buf_printf(&r->out, "%s %s\n", name, trimmed);
	buf_printf(&r->notes, "line %u: %s=%s -> %s %s\n", s->line, s->key,
	           shown(s->key, s->value), name, shown(name, trimmed));
	free(trimmed);
	return 0;
}

static const char *fail_cmd_action(const char *v)
{
	if (strcmp(v, "reboot -f") == 0)
		return "reboot";
	if (strcmp(v, "halt") == 0 || strcmp(v, "poweroff") == 0)
		return v;
	if (strcmp(v, "/bin/bash") == 0 || strcmp(v, "/bin/sh") == 0)
		return "shell";
	return NULL;
}

static int render_directives(struct render *r)
{
	const struct kdump_config *c = r->c;
	const char *nfs = effective(c, "NFS");
	bool ssh = effective(c, "SSH") != NULL;
	int ret = 0;

	/* two targets would be two directives, which kdumpctl refuses */
	if (nfs && ssh)
		return diag_set(-EINVAL, "%s: NFS and SSH are both set, but %s takes one dump target",
		                r->what, DIRECTIVE_FILE);
	buf_printf(&r->out, "# %s: translated by skyhook-kdump from the KEY=value format of %s (%s)\n",
	           DIRECTIVE_FILE, SHELL_FILE, r->what);
	for (size_t i = 0; i < c->n_settings && ret == 0; i++) {
		const struct kdump_setting *s = &c->settings[i];
		const char *k = s->key, *v = s->value, *action;
		size_t later = overridden_by(c, i);

		if (later) {
			buf_printf(&r->notes, "line %u: %s set again on line %u, ignored\n",
			           s->line, k, c->settings[later].line);
		} else if (!*v) {
			note_dropped(r, s, "empty, the default applies");
		} else if (strcmp(k, "USE_KDUMP") == 0) {
			if (strcmp(v, "1") != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdump is on whenever the kdump service is enabled");
		} else if (strcmp(k, "KDUMP_KERNEL") == 0) {
			if (strcmp(v, DEB_KERNEL) != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdumpctl uses the running kernel");
		} else if (strcmp(k, "KDUMP_INITRD") == 0) {
			if (strcmp(v, DEB_INITRD) != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdumpctl builds its own initramfs");
		} else if (strcmp(k, "KDUMP_COREDIR") == 0) {
			if (nfs)
				note_dropped(r, s, "with NFS it is only the local mount point");
			else
				ret = emit_directive(r, s, "path", v);
		} else if (strcmp(k, "NFS") == 0) {
			/* kdump-tools writes to the top of the export, kdumpctl
			 * below "path" on it */
			ret = emit_directive(r, s, "nfs", v);
			if (ret == 0)
				ret = emit_directive(r, s, "path", "/");
		} else if (strcmp(k, "SSH") == 0) {
			ret = emit_directive(r, s, "ssh", v);
		} else if (strcmp(k, "SSH_KEY") == 0) {
			ret = emit_directive(r, s, "sshkey", v);
		} else if (strcmp(k, "MAKEDUMP_ARGS") == 0) {
			char *args = args_without_flatten(v, ssh);
			char *cc = NULL;
			if (!args || asprintf(&cc, "makedumpfile%s%s", *args ? " " : "", args) < 0) {
				cc = NULL;
				ret = diag_set(-ENOMEM, "%s: out of memory", r->what);
			} else {
				ret = emit_directive(r, s, "core_collector", cc);
			}
			free(args);
			free(cc);
		} else if (strcmp(k, "KDUMP_FAIL_CMD") == 0) {
			action = fail_cmd_action(v);
			ret = action ? emit_directive(r, s, "failure_action", action)
			             : no_equivalent(r, s);
		} else if (strcmp(k, "KDUMP_NUM_DUMPS") == 0 && all_digits(v) &&
		           strtoul(v, NULL, 10) == 0) {
			note_dropped(r, s, "0 keeps every dump, as kdumpctl does");
		} else if (strcmp(k, "KDUMP_DUMP_DMESG") == 0 && strcmp(v, "1") == 0) {
			note_dropped(r, s, "kdump always saves vmcore-dmesg.txt");
		} else {
			ret = no_equivalent(r, s);
		}
	}
	return ret;
}

static int emit_shell(struct render *r, const struct kdump_setting *s,
                      const char *key, const char *value)
{
	const struct key_info *k = shell_key(key, strlen(key));
	const char *problem = shell_value_problem(k, value);
	char q = strchr(value, '"') ? '\'' : '"';

	if (!problem && q == '\'' && strchr(value, '\''))
		problem = "holds both kinds of quotes";
	if (problem)
		return diag_set(-EINVAL, "%s: line %u: %s %s cannot be written as %s: the value %s",
		                r->what, s->line, s->key, shown(s->key, s->value),
		                key, problem);
	/* double quotes without $, ` or \ inside expand nothing */
	buf_printf(&r->out, "%s=%c%s%c\n", key, q, value, q);
	buf_printf(&r->notes, "line %u: %s %s -> %s=%s\n", s->line, s->key,
	           shown(s->key, s->value), key, shown(key, value));
	return 0;
}

/* The export kdumpctl would write to: <export>/<path>. */
static char *nfs_join(const char *export, const char *path)
{
	size_t el = strlen(export);
	char *ret;

	while (el > 0 && export[el - 1] == '/')
		el--;
	while (*path == '/')
		path++;
	if (!*path)
		return strdup(export);
	if (asprintf(&ret, "%.*s/%s", (int)el, export, path) < 0)
		return NULL;
	return ret;
}

static int render_shell(struct render *r)
{
	const struct kdump_config *c = r->c;
	const char *path = NULL, *nfs = NULL;
	int ret = 0;

	for (size_t i = 0; i < c->n_settings; i++) {
		if (strcmp(c->settings[i].key, "path") == 0)
			path = c->settings[i].value;
		if (strcmp(c->settings[i].key, "nfs") == 0)
			nfs = c->settings[i].value;
	}
	buf_printf(&r->out, "# %s: translated by skyhook-kdump from the directive format of %s (%s)\n",
	           SHELL_FILE, DIRECTIVE_FILE, r->what);
	/* kdump-tools' own defaults: without USE_KDUMP=1 the service does
	 * nothing; the others make kdump-config build a small initrd, as
	 * kdumpctl does */
	buf_printf(&r->out, "USE_KDUMP=1\nKDUMP_KERNEL=%s\nKDUMP_INITRD=%s\n",
	           DEB_KERNEL, DEB_INITRD);
	buf_printf(&r->notes, "added: USE_KDUMP=1 KDUMP_KERNEL=%s KDUMP_INITRD=%s (the kdump-tools defaults, which kdump.conf implies)\n",
	           DEB_KERNEL, DEB_INITRD);

	for (size_t i = 0; i < c->n_settings && ret == 0; i++) {
		const struct kdump_setting *s = &c->settings[i];
		const char *k = s->key, *v = s->value;

		if (strcmp(k, "path") == 0) {
			if (nfs)
				buf_printf(&r->notes, "line %u: path %s -> part of NFS (kdump-tools writes to the top of the export)\n",
				           s->line, v);
			else
				ret = emit_shell(r, s, "KDUMP_COREDIR", v);
		} else if (strcmp(k, "nfs") == 0) {
			/* kdumpctl's default path applies below the export */
			char *joined = nfs_join(v, path ? path : "/var/crash");
			ret = joined ? emit_shell(r, s, "NFS", joined)
			             : diag_set(-ENOMEM, "%s: out of memory", r->what);
			free(joined);
		} else if (strcmp(k, "ssh") == 0) {
			ret = emit_shell(r, s, "SSH", v);
		} else if (strcmp(k, "sshkey") == 0) {
			ret = emit_shell(r, s, "SSH_KEY", v);
		} else if (strcmp(k, "core_collector") == 0) {
			size_t n = strcspn(v, " \t");
			char *args;
			if (n != strlen("makedumpfile") || memcmp(v, "makedumpfile", n) != 0 ||
			    !*skip_blanks(v + n))
				ret = no_equivalent(r, s);
			else if (!(args = args_without_flatten(v + n, false)))
				ret = diag_set(-ENOMEM, "%s: out of memory", r->what);
			else {
				ret = emit_shell(r, s, "MAKEDUMP_ARGS", args);
				free(args);
			}
		} else if (strcmp(k, "failure_action") == 0 || strcmp(k, "default") == 0) {
			if (strcmp(v, "reboot") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", "reboot -f");
			else if (strcmp(v, "halt") == 0 || strcmp(v, "poweroff") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", v);
			else if (strcmp(v, "shell") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", "/bin/bash");
			else
				ret = no_equivalent(r, s);
		} else if (strcmp(k, "final_action") == 0 && strcmp(v, "reboot") == 0) {
			note_dropped(r, s, "kdump-tools reboots after saving the dump");
		} else if (strcmp(k, "auto_reset_crashkernel") == 0 && strcmp(v, "no") == 0) {
			note_dropped(r, s, "kdump-tools never resets crashkernel");
		} else {
			ret = no_equivalent(r, s);
		}
	}
	return ret;
}

int kdumpconf_render(const struct kdump_config *c, int target_format,
                     const char *what, char **ret_text, char **ret_notes)
{
	struct render r = { .c = c, .what = what,
	                    .target = kdumpconf_file(target_format) };
	char *text = NULL, *notes = NULL;
	int ret;

	if (target_format == c->format) {
		buf_add(&r.out, c->text, strlen(c->text));
	} else if (target_format == SKD_CONFIG_DIRECTIVES) {
		ret = render_directives(&r);
		if (ret < 0)
			goto out;
	} else if (target_format == SKD_CONFIG_SHELL_VARS) {
		ret = render_shell(&r);
		if (ret < 0)
			goto out;
	} else {
		ret = diag_set(-EINVAL, "%s: unknown target format %d", what, target_format);
		goto out;
	}
	if (buf_steal(&r.out, &text) < 0 || buf_steal(&r.notes, &notes) < 0) {
		ret = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}
	*ret_text = text;
	text = NULL;
	if (ret_notes) {
		*ret_notes = notes;
		notes = NULL;
	}
	ret = 0;
out:
	free(r.out.p);
	free(r.notes.p);
	free(text);
	free(notes);
	return ret;
}
