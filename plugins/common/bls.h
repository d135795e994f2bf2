/* SPDX-License-Identifier: Apache-2.0 */
/* Boot Loader Specification entries (the *.conf files of /boot/loader/entries), read
 * through the host's file services, with the GRUB environment block's
 * variables ($kernelopts on EL8) expanded in their "options" lines. */
#ifndef SKD_PLUGIN_BLS_H
#define SKD_PLUGIN_BLS_H

#include <stdbool.h>
#include <stddef.h>

#include <skyhook-kdump/backend.h>

#define BLS_ENTRIES_DIR "/boot/loader/entries"
#define GRUBENV_PATH "/boot/grub2/grubenv"

struct bls_entry {
	char *id;               /* file name without ".conf" */
	char *version;
	char *options;          /* with grubenv variables expanded */
	bool uses_grubenv;      /* options referenced a $variable */
};

struct bls_entries {
	struct bls_entry *entries;  /* in the order GRUB lists them */
	size_t n;
	char *saved_entry;          /* grubenv saved_entry, or NULL */
};

/* -ENOENT when the directory is missing or has no entry. */
int bls_load(const struct skd_host *h, struct bls_entries *ret);
void bls_clear(struct bls_entries *e);
/* The entry the next boot uses: grubenv's saved_entry when it names an
 * entry, else the first one GRUB lists (the newest non-rescue kernel). */
const struct bls_entry *bls_default(const struct bls_entries *e);

/* Pure parsers, for the tests. */
int bls_parse_entry(const char *id, const char *text, struct bls_entry *ret);
/* Value of `key` in a GRUB environment block text, or NULL. */
char *grubenv_get(const char *text, const char *key);
/* `options` with $name and ${name} replaced from the grubenv text (unset
 * variables expand to nothing, as in GRUB). */
char *grubenv_expand(const char *options, const char *env_text);

#endif
