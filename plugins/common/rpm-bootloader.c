/* SPDX-License-Identifier: Apache-2.0 */
/* crashkernel= on the RPM family. With BLS (EL8+, Fedora, AL2023) grubby
 * edits every entry, and /etc/default/grub and /etc/kernel/cmdline are kept
 * in step so that grub2-mkconfig --update-bls-cmdline and kernels installed
 * later carry the same value. Without BLS (EL7, AL2) the variable in
 * /etc/default/grub is the source and grub2-mkconfig writes grub.cfg. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls.h"
#include "grub-default.h"
#include "grubcfg.h"
#include "kcmdline.h"
#include "rpmfamily.h"

#define DEFAULT_GRUB "/etc/default/grub"
#define KERNEL_CMDLINE "/etc/kernel/cmdline"
#define CK "crashkernel"

/* Characters of the kernel's crashkernel= grammar; anything else would
 * need quoting in /etc/default/grub or change another parameter. */
static int check_value(const struct skd_host *h, const char *value)
{
	if (!*value)
		return h->error(h, -SKD_E_INVALID, "empty crashkernel value");
	/* several items ("512M,high 128M,low") are separated by one space:
	 * each becomes its own crashkernel= word */
	if (!kcmdline_value_ok(value))
		return h->error(h, -SKD_E_INVALID, "crashkernel value \"%s\" has "
		                "items not separated by exactly one space", value);
	for (const char *p = value; *p; p++)
		if (!strchr("0123456789abcdefghijklmnopqrstuvwxyz"
		            "ABCDEFGHIJKLMNOPQRSTUVWXYZ,:-@. ", *p))
			return h->error(h, -SKD_E_INVALID,
			                "crashkernel value \"%s\" has a character "
			                "the kernel does not accept ('%c')", value, *p);
	return 0;
}

/* Set or remove (value NULL) the token in a file holding shell
 * assignments (grub_var != NULL) or one command line. A missing file is
 * left missing. */
static int edit_file(const struct skd_host *h, const char *path,
                     const char *grub_var, const char *value, bool *changed,
                     bool dry)
{
	char *text = NULL, *edited = NULL;
	bool ch = false;
	size_t len;
	int r;

	r = h->read_file(h, path, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\": %s", path, strerror(-r));
	if (grub_var)
		r = grubdef_set_crashkernel(text, grub_var, value, &edited, &ch);
	else
		r = kcmdline_set(text, strcspn(text, "\n"), CK, value, &edited, &ch);
	if (r < 0 && grub_var && r == -ENOENT && !value)
		r = 0;  /* nothing assigned, nothing to remove */
	if (r < 0) {
		r = h->error(h, r, "cannot edit crashkernel= in \"%s\"%s%s", path,
		             r == -SKD_E_FAILED ? ": " : "",
		             r == -SKD_E_FAILED ? grubdef_refusal() : "");
		goto out;
	}
	if (ch && dry) {
		*changed = true;
	} else if (ch) {
		h->log(h, SKD_LOG_INFO, "%s crashkernel= in \"%s\"",
		       value ? "setting" : "removing", path);
		r = h->write_file(h, path, edited, strlen(edited), 0644);
		if (r < 0)
			goto out;
		*changed = true;
	}
out:
	free(text);
	free(edited);
	return r;
}

/* True when the host's journal says skyhook-kdump created `path` (it did
 * not exist before the first config). The journal is the host's record of
 * the files it changed for us, one "<kind> <path>" a line. */
#define HOST_FILES_JOURNAL "/var/lib/skyhook-kdump/files"
static int created_by_us(const struct skd_host *h, const char *path, bool *ret)
{
	char *text = NULL;
	size_t len, plen = strlen(path);
	int r;

	*ret = false;
	r = h->read_file(h, HOST_FILES_JOURNAL, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\": %s", HOST_FILES_JOURNAL,
		                strerror(-r));
	for (const char *l = text; l && *l && !*ret; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		*ret = strncmp(l, "created ", 8) == 0 && strncmp(l + 8, path, plen) == 0 &&
		       (l[8 + plen] == '\n' || l[8 + plen] == '\0');
	free(text);
	return 0;
}

/* `line` (its first `len` bytes) with `value` as grubby leaves a command
 * line after --args (update_args: every crashkernel= word taken out, the
 * new ones at the end, single spaces), newline-terminated, malloc'd. */
static int grubby_form(const char *line, size_t len, const char *value, char **ret)
{
	char *bare = NULL, *words = NULL, *out = NULL;
	size_t o = 0;
	bool ch;
	int r;

	r = kcmdline_set(line, len, CK, NULL, &bare, &ch);
	if (r == 0)
		r = kcmdline_words(CK, value, &words);
	if (r < 0 || !bare || !words) {
		r = r < 0 ? r : -ENOMEM;
		goto out;
	}
	out = malloc(strlen(bare) + strlen(words) + 3);
	if (!out) {
		r = -ENOMEM;
		goto out;
	}
	bare[strcspn(bare, "\n")] = '\0';  /* one line: the newline is ours */
	for (const char *p = bare; *p;) {
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (!l)
			break;
		memcpy(out + o, p, l);
		o += l;
		out[o++] = ' ';
		p += l;
	}
	sprintf(out + o, "%s\n", words);
	*ret = out;
	out = NULL;
out:
	free(bare);
	free(words);
	free(out);
	return r;
}

/* /etc/kernel/cmdline given `value` in grubby's form: we write it before
 * grubby runs, so that the host keeps the original, and a run stopped
 * between the two leaves what a whole run leaves. A file that carries
 * the value already, item for item, is kept. */
static int cmdline_grubby_form(const struct skd_host *h, const char *value,
                               bool *changed, bool dry)
{
	char *text = NULL, *out = NULL, *cur = NULL;
	size_t len;
	int r;

	r = h->read_file(h, KERNEL_CMDLINE, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\": %s", KERNEL_CMDLINE, strerror(-r));
	len = strcspn(text, "\n");
	r = kcmdline_get(text, len, CK, &cur);
	if (r < 0 || (cur && !strcmp(cur, value)))
		goto out;
	r = grubby_form(text, len, value, &out);
	if (r < 0)
		goto out;
	*changed = true;
	if (!dry) {
		h->log(h, SKD_LOG_INFO, "setting crashkernel= in \"%s\"", KERNEL_CMDLINE);
		r = h->write_file(h, KERNEL_CMDLINE, out, strlen(out), 0644);
	}
out:
	free(text);
	free(out);
	free(cur);
	return r;
}

/* /etc/kernel/cmdline is where kernel-install (grub2's 20-grub.install on
 * EL9+, Fedora, AL2023) takes a new kernel's boot entry options from; when
 * the file is missing it takes the running kernel's /proc/cmdline, which
 * carries the old crashkernel= until the reboot. So with a value the file
 * must carry it, in grubby's form (cmdline_grubby_form), or be created
 * from the options of the entry the node boots next, in that form too.
 * Removing the value removes a file we created. Dry: only *changed and
 * *ret_drift. */
static int kernel_cmdline_sync(const struct skd_host *h, const char *value,
                               bool *changed, bool dry, char **ret_drift)
{
	struct bls_entries e;
	struct skd_stat st;
	char *text = NULL;
	bool ours = false, ch = false;
	int r;

	r = h->stat(h, KERNEL_CMDLINE, 0, &st);
	if (r < 0)
		return h->error(h, r, "cannot look at \"%s\": %s", KERNEL_CMDLINE,
		                strerror(-r));
	if (st.type != SKD_FILE_NONE) {
		if (!value && (r = created_by_us(h, KERNEL_CMDLINE, &ours)) < 0)
			return r;
		if (ours) {
			if (dry) {
				*changed = true;
				return asprintf(ret_drift, "\"%s\", created by config, is "
				                "still there", KERNEL_CMDLINE) < 0 ? -ENOMEM : 0;
			}
			h->log(h, SKD_LOG_INFO, "removing \"%s\" (config created it)",
			       KERNEL_CMDLINE);
			r = h->remove_file(h, KERNEL_CMDLINE);
			if (r == 0)
				*changed = true;
			return r;
		}
		r = value ? cmdline_grubby_form(h, value, &ch, dry) :
		            edit_file(h, KERNEL_CMDLINE, NULL, value, &ch, dry);
		if (r == 0 && ch)
			*changed = true;
		if (r == 0 && ch && dry)
			r = asprintf(ret_drift, "\"%s\" does not carry crashkernel=%s",
			             KERNEL_CMDLINE, value) < 0 ? -ENOMEM : 0;
		return r;
	}
	if (!value)
		return 0;
	r = bls_load(h, &e);
	if (r == -ENOENT)
		return 0;  /* no kernel yet: nothing to copy the options of */
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\": %s", BLS_ENTRIES_DIR,
		                strerror(-r));
	if (dry) {
		bls_clear(&e);
		*changed = true;
		return asprintf(ret_drift, "\"%s\" is missing: a kernel installed "
		                "before the reboot would get its options from "
		                "/proc/cmdline (config creates it with crashkernel=%s)",
		                KERNEL_CMDLINE, value) < 0 ? -ENOMEM : 0;
	}
	{
		const char *o = bls_default(&e)->options;

		r = grubby_form(o, strlen(o), value, &text);
	}
	bls_clear(&e);
	if (r == 0) {
		h->log(h, SKD_LOG_INFO, "creating \"%s\" with crashkernel=%s, for "
		       "kernels installed before the reboot", KERNEL_CMDLINE, value);
		r = h->write_file(h, KERNEL_CMDLINE, text, strlen(text), 0644);
	}
	if (r == 0)
		*changed = true;
	free(text);
	return r;
}

static int grubby(const struct skd_host *h, const char *value)
{
	char *arg = NULL, *words = NULL;
	int r;

	/* one crashkernel= word per item, in one --args: grubby-bls splits
	 * it at blanks, drops every crashkernel= and appends each word */
	if (value && (r = kcmdline_words(CK, value, &words)) < 0)
		return r;
	r = value ? asprintf(&arg, "--args=%s", words) : 0;
	free(words);
	if (r < 0)
		return -ENOMEM;
	/* --no-etc-grub-update (grubby-bls 8.40-39, 2020): without it grubby
	 * rewrites every line that starts with GRUB_CMDLINE_LINUX, the
	 * _DEFAULT one included, with the new GRUB_CMDLINE_LINUX; we keep
	 * /etc/default/grub ourselves. Last: grubby-bls's option loop shifts
	 * once more after it, taking the "--" getopt appends. */
	const char *argv[] = {
		"grubby", "--update-kernel=ALL",
		value ? arg : "--remove-args=" CK, "--no-etc-grub-update", NULL,
	};
	r = rpmfamily_run(h, argv, SKD_RUN_CHANGES, NULL);
	free(arg);
	return r;
}

/* True when some BLS entry does not carry exactly `value` (or, with value
 * NULL, still carries a crashkernel=). No entries: false. *ret_id (may be
 * NULL) gets the first such entry's id. */
static int bls_differs(const struct skd_host *h, const char *value,
                       bool *ret, char **ret_id)
{
	struct bls_entries e;
	bool differs = false;
	int r;

	r = bls_load(h, &e);
	if (r == -ENOENT) {
		h->log(h, SKD_LOG_WARNING, "no boot entries in \"%s\", ignoring",
		       BLS_ENTRIES_DIR);
		*ret = false;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\": %s", BLS_ENTRIES_DIR,
		                strerror(-r));
	for (size_t i = 0; i < e.n && !differs && r == 0; i++) {
		char *ck = NULL;
		const char *o = e.entries[i].options;

		r = kcmdline_get(o, strlen(o), CK, &ck);
		differs = value ? !ck || strcmp(ck, value) != 0 : ck != NULL;
		free(ck);
		if (r == 0 && differs && ret_id && !(*ret_id = strdup(e.entries[i].id)))
			r = -ENOMEM;
	}
	bls_clear(&e);
	if (r < 0)
		return r;
	*ret = differs;
	return 0;
}

/* grubby-bls exits 0 whatever its sed -i and grub2-editenv did (a
 * read-only or full /boot, an entry without an "options" line): read the
 * entries back and name the first one that does not carry what was asked. */
static int grubby_verify(const struct skd_host *h, const char *value)
{
	char *id = NULL;
	bool differs = false;
	int r;

	/* under --dry-run grubby was only printed: the entries are as before */
	if (h->flags & SKD_HOST_DRY_RUN)
		return 0;
	r = bls_differs(h, value, &differs, &id);
	if (r == 0 && differs) {
		if (value)
			r = h->error(h, -SKD_E_FAILED, "grubby exited 0, but the boot "
			             "entry \"%s/%s.conf\" does not carry crashkernel=%s",
			             BLS_ENTRIES_DIR, id ? id : "?", value);
		else
			r = h->error(h, -SKD_E_FAILED, "grubby exited 0, but the boot "
			             "entry \"%s/%s.conf\" still carries crashkernel=",
			             BLS_ENTRIES_DIR, id ? id : "?");
	}
	free(id);
	return r;
}

/* grub.cfg no longer matches what grub2-mkconfig would write. */
static int grubcfg_differs(const struct skd_host *h, const struct rpm_release *rel,
                           const char *value, bool *ret)
{
	struct grubcfg_kernels k;
	char *path = NULL, *text = NULL;
	size_t len;
	int r;

	r = grubcfg_path(h, rel->efi_dir, &path);
	if (r < 0)
		return r;
	r = h->read_file(h, path, &text, &len);
	if (r == -ENOENT) {
		*ret = true;  /* not generated yet */
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	r = grubcfg_scan(text, value, &k);
	if (r < 0)
		goto out;
	free(k.first);
	*ret = value ? k.n_equal != k.n : k.n_with > 0;
out:
	free(path);
	free(text);
	return r;
}

/* The files we keep crashkernel= in ourselves: /etc/default/grub and,
 * where kernel-install reads it, /etc/kernel/cmdline. */
static int edit_ours(const struct skd_host *h, const struct rpm_release *rel,
                     const char *value, bool *changed)
{
	int r;

	r = edit_file(h, DEFAULT_GRUB, rel->grub_var, value, changed, false);
	if (r < 0 || !rel->kernel_cmdline)
		return r;
	return kernel_cmdline_sync(h, value, changed, false, NULL);
}

static int apply(const struct skd_host *h, const char *value, bool *ret_changed)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	bool changed = false, differs = false, ar = false;
	int r;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if (value && (r = check_value(h, value)) < 0)
		return r;
	/* Setting, our files go first: the host keeps their originals for
	 * uninstall before grubby rewrites /etc/kernel/cmdline in place.
	 * Removing, grubby goes first: it creates a missing
	 * /etc/kernel/cmdline, which ours then removes when we created it. */
	if (value && (r = edit_ours(h, rel, value, &changed)) < 0)
		return r;
	if (rel->boot == RPM_BOOT_BLS) {
		r = bls_differs(h, value, &differs, NULL);
		if (r < 0)
			return r;
		if (differs) {
			r = grubby(h, value);
			if (r < 0)
				return r;
			changed = true;
			r = grubby_verify(h, value);
			if (r < 0)
				return r;
		}
	}
	if (!value && (r = edit_ours(h, rel, value, &changed)) < 0)
		return r;
	if (rel->boot == RPM_BOOT_MKCONFIG && !changed) {
		/* an earlier run may have stopped before regenerating */
		r = grubcfg_differs(h, rel, value, &differs);
		if (r < 0)
			return r;
		changed = differs;
	}
	r = rpmfamily_autoreset_sync(h, value, &ar);
	if (r < 0)
		return r;
	*ret_changed = changed;
	return 0;
}

int rpmfamily_bootloader_set(const struct skd_host *h, const char *value,
                             bool *ret_changed)
{
	return apply(h, value, ret_changed);
}

/* ABI 1.4: what apply(value) would still change, read only. */
int rpmfamily_bootloader_check(const struct skd_host *h, const char *value,
                               char **ret_drift)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *id = NULL, *drift = NULL, *path = NULL;
	bool differs = false, ch = false;
	int r, n = 0;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if ((r = check_value(h, value)) < 0)
		return r;
	if (rel->boot == RPM_BOOT_BLS) {
		r = bls_differs(h, value, &differs, &id);
		if (r == 0 && differs)
			n = asprintf(&drift, "the boot entry \"%s/%s.conf\" does not "
			             "carry crashkernel=%s (config runs grubby)",
			             BLS_ENTRIES_DIR, id ? id : "?", value);
	}
	if (r == 0 && !drift) {
		r = edit_file(h, DEFAULT_GRUB, rel->grub_var, value, &ch, true);
		if (r == 0 && ch)
			n = asprintf(&drift, "%s in \"%s\" does not carry "
			             "crashkernel=%s", rel->grub_var, DEFAULT_GRUB, value);
	}
	if (r == 0 && !drift && rel->kernel_cmdline)
		r = kernel_cmdline_sync(h, value, &ch, true, &drift);
	if (r == 0 && !drift && rel->boot == RPM_BOOT_MKCONFIG) {
		r = grubcfg_differs(h, rel, value, &differs);
		if (r == 0 && differs)
			r = grubcfg_path(h, rel->efi_dir, &path);
		if (r == 0 && differs)
			n = asprintf(&drift, "the boot menu \"%s\" is stale: not every "
			             "kernel entry carries crashkernel=%s (config "
			             "regenerates it)", path, value);
	}
	if (n < 0)
		r = -ENOMEM;
	if (r == 0) {
		*ret_drift = drift;
		drift = NULL;
	}
	free(drift);
	free(path);
	free(id);
	return r;
}

int rpmfamily_bootloader_remove(const struct skd_host *h, bool *ret_changed)
{
	return apply(h, NULL, ret_changed);
}

static int get_from_file(const struct skd_host *h, const char *path,
                         const char *grub_var, char **ret_value)
{
	char *text = NULL, *value = NULL;
	size_t len;
	int r;

	r = h->read_file(h, path, &text, &len);
	if (r < 0)
		return r;
	if (grub_var) {
		r = grubdef_get_crashkernel(text, grub_var, &value);
		if (r == -ENOENT)
			r = 0;
	} else
		r = kcmdline_get(text, strcspn(text, "\n"), CK, &value);
	free(text);
	if (r < 0)
		return r;
	*ret_value = value;
	return 0;
}

/* What the next boot uses: the default BLS entry, or the first entry of
 * grub.cfg; without either (an image with no kernel yet), what a kernel
 * installed later gets. */
int rpmfamily_bootloader_get(const struct skd_host *h, char **ret_value)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *value = NULL;
	int r;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if (rel->boot == RPM_BOOT_BLS) {
		struct bls_entries e;
		const struct bls_entry *d;

		r = bls_load(h, &e);
		if (r == 0) {
			d = bls_default(&e);
			r = kcmdline_get(d->options, strlen(d->options), CK, &value);
			bls_clear(&e);
			if (r < 0)
				return r;
			*ret_value = value;
			return 0;
		}
		if (r != -ENOENT)
			return h->error(h, r, "cannot read \"%s\": %s",
			                BLS_ENTRIES_DIR, strerror(-r));
		if (rel->kernel_cmdline) {
			r = get_from_file(h, KERNEL_CMDLINE, NULL, &value);
			if (r != -ENOENT)
				goto done;
		}
	} else {
		struct grubcfg_kernels k;
		char *path = NULL, *text = NULL;
		size_t len;

		r = grubcfg_path(h, rel->efi_dir, &path);
		if (r < 0)
			return r;
		r = h->read_file(h, path, &text, &len);
		free(path);
		if (r == 0) {
			r = grubcfg_scan(text, NULL, &k);
			free(text);
			if (r < 0)
				return r;
			if (k.n > 0) {
				*ret_value = k.first;
				return 0;
			}
		} else if (r != -ENOENT)
			return r;
	}
	r = get_from_file(h, DEFAULT_GRUB, rel->grub_var, &value);
	if (r == -ENOENT) {
		value = NULL;
		r = 0;
	}
done:
	if (r < 0)
		return h->error(h, r, "cannot read the crashkernel= setting: %s",
		                strerror(-r));
	*ret_value = value;
	return 0;
}

int rpmfamily_bootloader_regenerate(const struct skd_host *h)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *path = NULL;
	int r;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if (rel->boot == RPM_BOOT_BLS) {
		/* grubby wrote the entries themselves; regenerating grub.cfg
		 * would only risk the EFI stub */
		h->log(h, SKD_LOG_DEBUG, "BLS entries already updated by grubby");
		return 0;
	}
	r = grubcfg_path(h, rel->efi_dir, &path);
	if (r < 0)
		return r;
	const char *argv[] = { "grub2-mkconfig", "-o", path, NULL };
	r = rpmfamily_run(h, argv, SKD_RUN_CHANGES, NULL);
	free(path);
	return r;
}
