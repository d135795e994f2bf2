/* SPDX-License-Identifier: Apache-2.0 */
/* What apply and config changed, so that uninstall reverses exactly that
 * and a re-run knows what is already done. Kept in <root>/var/lib/
 * skyhook-kdump/state as "key=value" lines, written atomically; the host
 * keeps backups of replaced files beside it (see host.h). */
#ifndef SKD_STATE_H
#define SKD_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct sysroot;

#define STATE_FORMAT 1
#define STATE_FILE "/var/lib/skyhook-kdump/state"
#define STATE_UNINSTALLED_FILE "/var/lib/skyhook-kdump/uninstalled"

struct state {
	unsigned format;        /* as read; STATE_FORMAT once written */
	char *written_by;       /* program version that wrote it */
	char **packages;        /* installed by apply (NULL-terminated) */
	bool have_crashkernel_before;
	char *crashkernel_before;   /* configured before our first config;
	                               NULL: there was none */
	char *crashkernel;          /* what config set, or NULL */
	int service_was_enabled;    /* -1 unknown, 0 no, 1 yes (before apply) */
	char *auto_crashkernel;     /* what "auto" meant on this node at
	                               config (the check modes use it rather
	                               than ask a tool), or NULL */
	char *auto_basis;           /* what went into it */
	char *auto_platform;        /* platform_describe() then: config asks
	                               again when it changed */
};

/* A state that records nothing. */
struct state *state_new(void);
void state_free(struct state *st);
/* Missing file: a new empty state and 0. -EINVAL on a garbled file or a
 * format newer than this program understands. */
int state_load(struct sysroot *root, struct state **ret);
/* Parse the text form (also used for older formats, which it moves
 * forward). */
int state_parse(const char *text, const char *what, struct state **ret);
char *state_format(const struct state *st);
int state_save(struct sysroot *root, const struct state *st);
/* Remove the state directory's state, file journal and backups. */
int state_drop(struct sysroot *root);

/* Record what "auto" means on this node; the basis is flattened to
 * printable ASCII. -EINVAL for a value the file cannot hold. */
int state_set_auto(struct state *st, const char *value, const char *basis,
                   const char *platform);
bool state_has_package(const struct state *st, const char *name);
int state_add_package(struct state *st, const char *name);
bool state_is_empty(const struct state *st);

#endif
