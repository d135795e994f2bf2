/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian.h"
#include "grub-default.h"
#include "grub-dropin.h"
#include "shell-vars.h"

#define GRUB_DEFAULT "/etc/default/grub"
#define GRUB_DROPIN_DIR "/etc/default/grub.d"
#define GRUB_CFG "/boot/grub/grub.cfg"

/* A file as it would be: text NULL means absent. */
struct override {
	const char *path;
	const char *text;
	const char *skip;       /* a grub.d file taken as absent too, or NULL */
};

/* The kernel command line of a normal boot entry, as grub-mkconfig builds
 * it: GRUB_CMDLINE_LINUX then GRUB_CMDLINE_LINUX_DEFAULT. */
struct cmdline {
	char *value;            /* the crashkernel= values joined with one
	                         * space ("512M,high 128M,low"), or NULL */
	unsigned count;         /* how many crashkernel= there are */
};

static void cmdline_clear(struct cmdline *c)
{
	free(c->value);
	*c = (struct cmdline){ 0 };
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Count the crashkernel= words of `s` and add their values to c->value:
 * a value of several items is one word per item. */
static int scan_words(const char *s, struct cmdline *c)
{
	for (const char *p = s; p && *p;) {
		while (is_ws(*p))
			p++;
		const char *w = p;
		while (*p && !is_ws(*p))
			p++;
		if (p - w > 12 && strncmp(w, "crashkernel=", 12) == 0) {
			char *v;

			if (asprintf(&v, "%s%s%.*s", c->value ? c->value : "",
			             c->value ? " " : "", (int)(p - w - 12), w + 12) < 0)
				return -ENOMEM;
			free(c->value);
			c->value = v;
			c->count++;
		}
	}
	return 0;
}

static int read_or_override(const struct skd_host *h, const char *path,
                            const struct override *ov, char **ret)
{
	size_t len;

	if (ov && strcmp(ov->path, path) == 0) {
		if (!ov->text)
			return -ENOENT;
		*ret = strdup(ov->text);
		return *ret ? 0 : -ENOMEM;
	}
	return h->read_file(h, path, ret, &len);
}

/* Our own drop-in runs shell loops the evaluator does not take: apply
 * what it does, after checking it is exactly what we write. */
static int apply_ours(const struct skd_host *h, struct shvars *vars,
                      const char *path, const char *text)
{
	static const char *const names[] = {
		"GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT",
	};
	char *value = NULL, *expect = NULL;
	int r;

	r = grub_dropin_value(text, &value);
	if (r == 0)
		r = grub_dropin_text(value, &expect);
	if (r == -ENOMEM)
		goto out;
	/* r is 0 or negative (grub_dropin_value() is in another file), so
	 * expect is set when r is 0 */
	// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
	if (r < 0 || strcmp(expect, text) != 0) {
		r = h->error(h, -SKD_E_INVALID,
		             "\"%s\" was edited by hand: cannot tell what it sets",
		             path);
		goto out;
	}
	for (size_t i = 0; i < 2 && r == 0; i++) {
		const char *cur = NULL, *why = NULL;
		char *kept = NULL;

		r = shvars_get(vars, names[i], &cur, &why);
		if (r < 0) {
			r = h->error(h, r, "cannot compute %s: %s", names[i], why);
			break;
		}
		r = grub_dropin_strip(cur, i == 1 ? value : NULL, &kept);
		if (r == 0)
			r = shvars_set(vars, names[i], kept);
		free(kept);
	}
out:
	free(value);
	free(expect);
	return r;
}

static int source_file(const struct skd_host *h, struct shvars *vars,
                       const char *path, const char *text)
{
	char *why = NULL;
	int r;

	if (grub_dropin_is_ours(path))
		return apply_ours(h, vars, path, text);
	r = shvars_source(vars, path, text, &why);
	if (r == -SKD_E_INVALID) {
		r = h->error(h, r, "cannot evaluate the GRUB defaults: %s", why);
		free(why);
	}
	return r;
}

/* The grub.d files grub-mkconfig sources, in its (C locale) order, with
 * the override's file added or left out. */
static int dropin_names(const struct skd_host *h, const struct override *ov,
                        char ***ret)
{
	const char *ov_name = NULL;
	char **names = NULL, **out;
	size_t n = 0, k = 0;
	int r;

	r = h->list_dir(h, GRUB_DROPIN_DIR, &names);
	if (r == -ENOENT) {
		names = calloc(1, sizeof(char *));
		if (!names)
			return -ENOMEM;
		r = 0;
	} else if (r < 0) {
		return h->error(h, r, "cannot list \"%s\"", GRUB_DROPIN_DIR);
	}
	if (ov && strncmp(ov->path, GRUB_DROPIN_DIR "/",
	                  sizeof(GRUB_DROPIN_DIR)) == 0)
		ov_name = ov->path + sizeof(GRUB_DROPIN_DIR);
	while (names[n])
		n++;
	out = calloc(n + 2, sizeof(char *));
	if (!out) {
		skd_strv_free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i <= n; i++) {
		bool is_ov = names[i] && ov_name && strcmp(names[i], ov_name) == 0;

		/* the overriding file goes where the glob would put it */
		if (ov_name && ov->text &&
		    (!names[i] || strcmp(names[i], ov_name) >= 0)) {
			out[k] = strdup(ov_name);
			if (!out[k++])
				r = -ENOMEM;
			ov_name = NULL;
		}
		if (!names[i])
			break;
		if (is_ov) {
			free(names[i]);
			continue;
		}
		out[k++] = names[i];
	}
	free(names);
	if (r < 0) {
		skd_strv_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The crashkernel= words of the command line the variables make. */
static int scan_vars(const struct skd_host *h, struct shvars *vars,
                     struct cmdline *c)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < 2; i++) {
		const char *name = i ? "GRUB_CMDLINE_LINUX_DEFAULT"
		                     : "GRUB_CMDLINE_LINUX";
		const char *v = NULL, *why = NULL;

		r = shvars_get(vars, name, &v, &why);
		if (r < 0)
			r = h->error(h, r, "cannot compute %s: %s", name, why);
		else
			r = scan_words(v, c);
	}
	return r;
}

/* After sourcing `path`: when the last crashkernel= changed, `path` is
 * where it comes from now. */
static int track_where(const struct skd_host *h, struct shvars *vars,
                       const char *path, struct cmdline *last,
                       const char **where)
{
	struct cmdline now = { 0 };
	int r = scan_vars(h, vars, &now);

	if (r < 0) {
		cmdline_clear(&now);
		return r;
	}
	if (now.count != last->count || (now.value && (!last->value ||
	    strcmp(now.value, last->value) != 0)))
		*where = now.count ? path : NULL;
	cmdline_clear(last);
	*last = now;
	return 0;
}

/* Evaluate like grub-mkconfig: source /etc/default/grub, then each
 * existing /etc/default/grub.d/\*.cfg, and look at the command line.
 * With ret_where, also the file that set the last crashkernel= (malloc'd;
 * NULL when there is none). */
static int effective_where(const struct skd_host *h, const struct override *ov,
                           struct cmdline *ret, char **ret_where)
{
	struct shvars *vars = NULL;
	struct cmdline c = { 0 }, last = { 0 };
	char **names = NULL, *text = NULL;
	const char *where = NULL;
	char *where_copy = NULL;
	int r;

	r = shvars_new(&vars);
	if (r < 0)
		return r;
	r = read_or_override(h, GRUB_DEFAULT, ov, &text);
	if (r == 0)
		r = source_file(h, vars, GRUB_DEFAULT, text);
	else if (r == -ENOENT)
		r = 0;
	else
		r = h->error(h, r, "cannot read \"%s\"", GRUB_DEFAULT);
	if (r == 0 && ret_where)
		r = track_where(h, vars, GRUB_DEFAULT, &last, &where);
	free(text);
	text = NULL;
	if (r == 0)
		r = dropin_names(h, ov, &names);
	/* dropin_names() sets names whenever it returns 0: h->error()
	 * returns its negative code, which the analyzer cannot see */
	// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
	for (size_t i = 0; r == 0 && names[i]; i++) {
		struct skd_stat st;
		char *path;

		if (!ends_with(names[i], ".cfg"))
			continue;
		if (asprintf(&path, "%s/%s", GRUB_DROPIN_DIR, names[i]) < 0) {
			r = -ENOMEM;
			break;
		}
		if (ov && ov->skip && strcmp(ov->skip, path) == 0) {
			free(path);
			continue;
		}
		/* grub-mkconfig skips what does not exist ([ -e ]): a
		 * dangling link, such as Debian 9's kdump-tools.cfg after
		 * its target went */
		bool is_ov = ov && strcmp(ov->path, path) == 0;
		r = is_ov ? 0 : h->stat(h, path, 0, &st);
		if (r == 0 && (is_ov || st.type == SKD_FILE_REGULAR))
			r = read_or_override(h, path, ov, &text);
		else if (r == 0)
			r = -ENOENT;
		if (r == 0)
			r = source_file(h, vars, path, text);
		else if (r == -ENOENT)
			r = 0;
		else
			r = h->error(h, r, "cannot read \"%s\"", path);
		if (r == 0 && ret_where && text) {
			r = track_where(h, vars, path, &last, &where);
			/* the path is freed below: keep a copy when named */
			if (r == 0 && where == path) {
				free(where_copy);
				where_copy = strdup(path);
				where = where_copy;
				if (!where_copy)
					r = -ENOMEM;
			}
		}
		free(text);
		text = NULL;
		free(path);
	}
	if (r == 0)
		r = scan_vars(h, vars, &c);
	if (r == 0 && ret_where && where) {
		*ret_where = where == where_copy ? where_copy : strdup(where);
		if (where == where_copy)
			where_copy = NULL;
		else if (!*ret_where)
			r = -ENOMEM;
	} else if (r == 0 && ret_where) {
		*ret_where = NULL;
	}
	free(where_copy);
	cmdline_clear(&last);
	skd_strv_free(names);
	shvars_free(vars);
	if (r < 0) {
		cmdline_clear(&c);
		return r;
	}
	*ret = c;
	return 0;
}

static int effective(const struct skd_host *h, const struct override *ov,
                     struct cmdline *ret)
{
	return effective_where(h, ov, ret, NULL);
}

/* Does /boot/grub/grub.cfg already boot with `value` (NULL: none)?
 * A missing grub.cfg is left to whoever installs GRUB, as kdump-tools
 * does. Recovery entries carry no crashkernel=; they are not counted.
 * When it does not, *ret_why (may be NULL) says what the menu carries. */
static int grub_cfg_matches(const struct skd_host *h, const char *value,
                            bool *ret, char **ret_why)
{
	bool seen = false, differs = false;
	char *text, *other = NULL;
	size_t len;
	int r;

	r = h->read_file(h, GRUB_CFG, &text, &len);
	if (r == -ENOENT) {
		*ret = true;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\"", GRUB_CFG);
	for (char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = p + strspn(p, " \t");
		bool last = p[n] == '\0';

		p[n] = '\0';
		if (strncmp(line, "linux", 5) == 0 && is_ws(line[5])) {
			struct cmdline c = { 0 };
			r = scan_words(line + 5, &c);
			if (r < 0) {
				cmdline_clear(&c);
				free(other);
				free(text);
				return r;
			}
			if (c.count && (!value || strcmp(c.value, value) != 0)) {
				/* the first such line is named */
				if (!differs)
					r = c.count > 1 ?
					    asprintf(&other, "%u crashkernel= (\"%s\")",
					             c.count, c.value) :
					    asprintf(&other, "crashkernel=%s", c.value);
				r = r < 0 ? -ENOMEM : 0;
				differs = true;
			} else if (c.count) {
				seen = true;
			}
			cmdline_clear(&c);
			if (r < 0) {
				free(text);
				return r;
			}
		}
		p += n + (last ? 0 : 1);
	}
	free(text);
	*ret = !differs && (value ? seen : true);
	if (!*ret && ret_why) {
		if (differs)
			r = asprintf(ret_why, "a linux line of \"%s\" carries %s",
			             GRUB_CFG, other);
		else
			r = asprintf(ret_why, "no linux line of \"%s\" carries "
			             "crashkernel=%s", GRUB_CFG, value);
		r = r < 0 ? -ENOMEM : 0;
	}
	free(other);
	return r;
}

int deb_grub_get(const struct skd_host *h, char **ret_value)
{
	struct cmdline c;
	int r = effective(h, NULL, &c);

	if (r < 0)
		return r;
	if (c.count > 1)
		h->log(h, SKD_LOG_DEBUG,
		       "the kernel command line carries %u crashkernel=: \"%s\"",
		       c.count, c.value);
	*ret_value = c.value;
	return 0;
}

static bool dropin_dir_exists(const struct skd_host *h, int *ret_err)
{
	struct skd_stat st;

	*ret_err = h->stat(h, GRUB_DROPIN_DIR, 0, &st);
	return *ret_err == 0 && st.type == SKD_FILE_DIRECTORY;
}

/* The package's own drop-in: its crashkernel= is the distribution's
 * default, not someone's choice. */
#define KDUMP_TOOLS_DROPIN GRUB_DROPIN_DIR "/kdump-tools.cfg"

/* ABI 1.4: what the command line would carry without our drop-in and
 * kdump-tools' own, and the file that sets it. With GRUB_CMDLINE_LINUX
 * edited in place (no grub.d), ours replaces the value: nothing is
 * overridden. */
int deb_grub_others(const struct skd_host *h, char **ret_value,
                    char **ret_where)
{
	struct override ov = {
		.path = GRUB_DROPIN_DIR "/" GRUB_DROPIN_NAME,
		.skip = KDUMP_TOOLS_DROPIN,
	};
	struct cmdline c = { 0 };
	char *where = NULL;
	int r, err;

	*ret_value = *ret_where = NULL;
	if (!dropin_dir_exists(h, &err))
		return err < 0 ? h->error(h, err, "cannot look at \"%s\"",
		                          GRUB_DROPIN_DIR) : 0;
	r = effective_where(h, &ov, &c, &where);
	if (r < 0)
		return r;
	if (!c.value || !where) {
		cmdline_clear(&c);
		free(where);
		return 0;
	}
	*ret_value = c.value;
	*ret_where = where;
	return 0;
}

/* Without grub.d: GRUB_CMDLINE_LINUX in /etc/default/grub carries it,
 * and GRUB_CMDLINE_LINUX_DEFAULT none. */
static int edit_default(const struct skd_host *h, const char *old,
                        const char *value, char **ret)
{
	char *a = NULL, *b = NULL;
	bool changed;
	int r;

	r = grubdef_set_crashkernel(old, "GRUB_CMDLINE_LINUX_DEFAULT", NULL,
	                            &a, &changed);
	if (r == 0)
		r = grubdef_set_crashkernel(a, "GRUB_CMDLINE_LINUX", value, &b,
		                            &changed);
	free(a);
	if (r == -SKD_E_INVALID)
		return h->error(h, r, "cannot edit the kernel command line in "
		                "\"%s\": its value is not a plain quoted string",
		                GRUB_DEFAULT);
	if (r == -SKD_E_FAILED)
		return h->error(h, r, "refusing to edit \"%s\": %s", GRUB_DEFAULT,
		                grubdef_refusal());
	if (r < 0)
		return r;
	*ret = b;
	return 0;
}

/* Write (or remove) one file and tell whether the boot menu must be
 * regenerated for the command line `want`. */
static int commit(const struct skd_host *h, const struct override *ov,
                  const char *old, const char *want, bool *ret_changed)
{
	bool file_changed, in_sync = false;
	int r;

	file_changed = ov->text ? (!old || strcmp(old, ov->text) != 0) : !!old;
	/* what grub-mkconfig will source must still parse as shell */
	if (file_changed && ov->text && grubdef_check_syntax(ov->text) < 0)
		return h->error(h, -SKD_E_FAILED, "refusing to write \"%s\": %s",
		                ov->path, grubdef_refusal());
	if (file_changed) {
		r = ov->text ? h->write_file(h, ov->path, ov->text,
		                             strlen(ov->text), 0644)
		             : h->remove_file(h, ov->path);
		if (r < 0)
			return h->error(h, r, "cannot %s \"%s\"",
			                ov->text ? "write" : "remove", ov->path);
	}
	r = grub_cfg_matches(h, want, &in_sync, NULL);
	if (r < 0)
		return r;
	if (!file_changed && !in_sync)
		h->log(h, SKD_LOG_INFO, "\"%s\" does not boot with "
		       "crashkernel=%s yet: it needs regenerating", GRUB_CFG,
		       want ? want : "(none)");
	*ret_changed = file_changed || !in_sync;
	return 0;
}

/* Items of the kernel's grammar, separated by one space. */
static bool valid_value(const char *v)
{
	size_t n = strlen(v);

	return n && v[0] != ' ' && v[n - 1] != ' ' && !strstr(v, "  ") &&
	       strspn(v, "0123456789abcdefghijklmnopqrstuvwxyz"
	                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ-:,@ ") == n;
}

/* What set(value) would leave: the file to write (ov->text) or remove
 * (ov->text NULL) and, in *ret_old, what that file holds now (NULL when
 * absent). Nothing is written. ov->text is *ret_want, freed by the
 * caller with *ret_old. */
static int plan_set(const struct skd_host *h, const char *value,
                    struct override *ov, char **ret_old, char **ret_want)
{
	struct cmdline after = { 0 };
	char *old = NULL, *want = NULL;
	size_t len;
	int r, err;

	*ov = (struct override){ 0 };
	if (!valid_value(value))
		return h->error(h, -SKD_E_INVALID,
		                "\"%s\" is not a crashkernel= value", value);
	if (dropin_dir_exists(h, &err)) {
		ov->path = GRUB_DROPIN_DIR "/" GRUB_DROPIN_NAME;
		r = grub_dropin_text(value, &want);
	} else if (err < 0) {
		return h->error(h, err, "cannot look at \"%s\"", GRUB_DROPIN_DIR);
	} else {
		ov->path = GRUB_DEFAULT;
		r = h->read_file(h, GRUB_DEFAULT, &old, &len);
		if (r < 0) {
			r = h->error(h, r, "no \"%s\" and no \"%s\": is GRUB "
			             "installed?", GRUB_DROPIN_DIR, GRUB_DEFAULT);
			goto out;
		}
		r = edit_default(h, old, value, &want);
	}
	if (r < 0)
		goto out;
	ov->text = want;
	if (!strcmp(ov->path, GRUB_DROPIN_DIR "/" GRUB_DROPIN_NAME)) {
		/* no drop-in where the system already boots with this value
		 * without one (the OS default asked for, or put back) */
		struct override none = { .path = ov->path };
		struct cmdline without = { 0 };

		r = effective(h, &none, &without);
		if (r == 0 && without.value && !strcmp(without.value, value))
			ov->text = NULL;
		cmdline_clear(&without);
		if (r < 0)
			goto out;
	}
	if (!old) {
		r = h->read_file(h, ov->path, &old, &len);
		if (r == -ENOENT)
			r = 0;
		else if (r < 0)
			goto out;
	}

	/* check the result before writing: a file sourced after ours could
	 * still set another crashkernel= */
	r = effective(h, ov, &after);
	if (r < 0)
		goto out;
	if (!after.value || strcmp(after.value, value) != 0) {
		r = h->error(h, -SKD_E_FAILED,
		             "with \"%s\" written, the kernel command line would "
		             "carry %u crashkernel= (\"%s\"), not only "
		             "crashkernel=%s: a GRUB defaults file read after it "
		             "sets another", ov->path, after.count,
		             after.value ? after.value : "", value);
		goto out;
	}
out:
	cmdline_clear(&after);
	if (r < 0) {
		free(old);
		free(want);
		ov->text = NULL;
		return r;
	}
	*ret_old = old;
	*ret_want = want;
	return 0;
}

int deb_grub_set(const struct skd_host *h, const char *value,
                 bool *ret_changed)
{
	struct override ov;
	char *old = NULL, *want = NULL;
	int r;

	r = plan_set(h, value, &ov, &old, &want);
	if (r == 0)
		r = commit(h, &ov, old, value, ret_changed);
	free(old);
	free(want);
	return r;
}

/* The read-only counterpart of deb_grub_set (ABI 1.4). */
int deb_grub_check(const struct skd_host *h, const char *value,
                   char **ret_drift)
{
	struct override ov;
	char *old = NULL, *want = NULL, *why = NULL, *drift = NULL;
	bool in_sync = true;
	int r, n = 0;

	r = plan_set(h, value, &ov, &old, &want);
	if (r < 0)
		return r;
	if (ov.text && !old)
		n = asprintf(&drift, "\"%s\" is missing", ov.path);
	else if (ov.text && strcmp(old, ov.text) != 0)
		n = asprintf(&drift, "\"%s\" is not as config writes it for "
		             "crashkernel=%s", ov.path, value);
	else if (!ov.text && old)
		n = asprintf(&drift, "\"%s\" is still there, although the "
		             "system boots with crashkernel=%s without it", ov.path,
		             value);
	else if ((r = grub_cfg_matches(h, value, &in_sync, &why)) == 0 && !in_sync)
		n = asprintf(&drift, "the boot menu is stale: %s (config "
		             "regenerates it)", why);
	if (n < 0)
		r = -ENOMEM;
	if (r == 0) {
		*ret_drift = drift;
		drift = NULL;
	}
	free(drift);
	free(why);
	free(old);
	free(want);
	return r;
}

int deb_grub_remove(const struct skd_host *h, bool *ret_changed)
{
	struct override ov = { .path = GRUB_DROPIN_DIR "/" GRUB_DROPIN_NAME };
	struct cmdline after = { 0 };
	char *old = NULL, *edited = NULL;
	size_t len;
	int r, err;

	r = h->read_file(h, ov.path, &old, &len);
	if (r == -ENOENT && !dropin_dir_exists(h, &err) && err == 0) {
		/* the in-place method: take the token out of
		 * GRUB_CMDLINE_LINUX */
		bool changed;

		ov.path = GRUB_DEFAULT;
		r = h->read_file(h, GRUB_DEFAULT, &old, &len);
		if (r == -ENOENT) {
			*ret_changed = false;
			return 0;
		}
		if (r == 0)
			r = grubdef_set_crashkernel(old, "GRUB_CMDLINE_LINUX",
			                            NULL, &edited, &changed);
		ov.text = edited;
	} else if (r == -ENOENT) {
		r = 0;
	}
	if (r == -SKD_E_INVALID)
		r = h->error(h, r, "cannot edit the kernel command line in "
		             "\"%s\"", GRUB_DEFAULT);
	else if (r < 0)
		r = h->error(h, r, "cannot read \"%s\"", ov.path);
	if (r == 0)
		r = effective(h, &ov, &after);
	if (r == 0)
		r = commit(h, &ov, old, after.value, ret_changed);
	cmdline_clear(&after);
	free(old);
	free(edited);
	return r;
}

static bool executable(const struct skd_host *h, const char *path)
{
	struct skd_stat st;

	return h->stat(h, path, 0, &st) == 0 && st.type == SKD_FILE_REGULAR &&
	       (st.mode & 0111);
}

int deb_grub_regenerate(const struct skd_host *h)
{
	/* update-grub writes /boot/grub/grub.cfg, also on EFI systems, where
	 * the grub.cfg on the ESP is a stub that loads it: never write that
	 * one */
	static const char *const update[] = { "update-grub", NULL };
	static const char *const mkconfig[] = {
		"grub-mkconfig", "-o", GRUB_CFG, NULL,
	};
	const char *const *argv;
	struct skd_run_result res = { 0 };
	int r;

	if (executable(h, "/usr/sbin/update-grub") ||
	    executable(h, "/sbin/update-grub"))
		argv = update;
	else if (executable(h, "/usr/sbin/grub-mkconfig") ||
	         executable(h, "/sbin/grub-mkconfig"))
		argv = mkconfig;
	else
		return h->error(h, -SKD_E_UNSUPPORTED,
		                "neither update-grub nor grub-mkconfig is "
		                "installed: cannot regenerate \"%s\"", GRUB_CFG);
	r = h->run(h, argv, NULL, SKD_RUN_CHANGES, &res);
	if (r < 0)
		return h->error(h, r, "cannot run \"%s\"", argv[0]);
	if (res.status != 0)
		r = h->error(h, -SKD_E_FAILED, "\"%s\" failed with exit status "
		             "%d: %s", argv[0], res.status,
		             res.err && *res.err ? res.err : "(no message)");
	h->run_result_free(h, &res);
	return r;
}
