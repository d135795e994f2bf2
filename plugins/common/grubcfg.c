/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grubcfg.h"
#include "kcmdline.h"

#define EFI_DIR "/boot/efi/EFI"

static bool exists(const struct skd_host *h, const char *path, int type)
{
	struct skd_stat st;

	return h->stat(h, path, 0, &st) == 0 && st.type == type;
}

/* A real menu, not a stub that loads another grub.cfg (EL9's EFI file). */
static bool is_full_config(const struct skd_host *h, const char *path)
{
	char *text = NULL;
	size_t len;
	bool full;

	if (h->read_file(h, path, &text, &len) < 0)
		return false;
	full = strstr(text, "menuentry") || strstr(text, "blscfg");
	free(text);
	return full;
}

static int efi_candidate(const struct skd_host *h, const char *dir,
                         char **ret_path)
{
	char *path = NULL;

	if (asprintf(&path, EFI_DIR "/%s/grub.cfg", dir) < 0)
		return -ENOMEM;
	if (exists(h, path, SKD_FILE_REGULAR) && is_full_config(h, path)) {
		*ret_path = path;
		return 0;
	}
	free(path);
	return -ENOENT;
}

static int find_efi(const struct skd_host *h, const char *efi_dir,
                    char **ret_path)
{
	char **names = NULL;
	int r;

	if (efi_dir && efi_candidate(h, efi_dir, ret_path) == 0)
		return 0;
	r = h->list_dir(h, EFI_DIR, &names);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (char **n = names; *n && r < 0; n++)
		/* EFI/BOOT holds the fallback loader, never the vendor's menu */
		if (strcasecmp(*n, "BOOT") != 0)
			r = efi_candidate(h, *n, ret_path);
	skd_strv_free(names);
	return r;
}

int grubcfg_path(const struct skd_host *h, const char *efi_dir,
                 char **ret_path)
{
	bool efi = exists(h, "/sys/firmware/efi", SKD_FILE_DIRECTORY);
	char *path = NULL;
	int r;

	if (efi) {
		r = find_efi(h, efi_dir, &path);
		if (r < 0)
			return h->error(h, -SKD_E_FAILED,
			                "booted through EFI, but no vendor grub.cfg "
			                "under \"%s\" (looked for \"%s\")", EFI_DIR,
			                efi_dir ? efi_dir : "any");
	} else if ((h->flags & SKD_HOST_IMAGE) &&
	           !exists(h, GRUBCFG_BIOS, SKD_FILE_REGULAR) &&
	           find_efi(h, efi_dir, &path) == 0) {
		h->log(h, SKD_LOG_DEBUG, "image root: using \"%s\"", path);
	} else if (!(path = strdup(GRUBCFG_BIOS)))
		return -ENOMEM;
	*ret_path = path;
	return 0;
}

static bool is_linux_word(const char *w, size_t len)
{
	return (len == 5 && memcmp(w, "linux", 5) == 0) ||
	       (len == 7 && memcmp(w, "linux16", 7) == 0) ||
	       (len == 8 && memcmp(w, "linuxefi", 8) == 0);
}

const char *grubcfg_linux_args(const char *line)
{
	const char *w = line + strspn(line, " \t");
	size_t len = strcspn(w, " \t\n");

	if (!is_linux_word(w, len) || (w[len] != ' ' && w[len] != '\t'))
		return NULL;
	return w + len;
}

int grubcfg_scan(const char *text, const char *value,
                 struct grubcfg_kernels *ret)
{
	struct grubcfg_kernels k = { 0 };
	const char *p = text;
	int r = 0;

	while (*p) {
		const char *eol = strchrnul(p, '\n'), *w = p, *e;
		char *ck = NULL;

		while (w < eol && (*w == ' ' || *w == '\t'))
			w++;
		e = w;
		while (e < eol && *e != ' ' && *e != '\t')
			e++;
		if (is_linux_word(w, (size_t)(e - w))) {
			r = kcmdline_get(e, (size_t)(eol - e), "crashkernel", &ck);
			if (r < 0)
				break;
			k.n++;
			if (ck) {
				k.n_with++;
				if (value && strcmp(ck, value) == 0)
					k.n_equal++;
			}
			if (k.n == 1)
				k.first = ck;
			else
				free(ck);
		}
		p = *eol ? eol + 1 : eol;
	}
	if (r < 0) {
		free(k.first);
		return r;
	}
	*ret = k;
	return 0;
}
