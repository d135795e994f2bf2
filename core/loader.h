/* SPDX-License-Identifier: Apache-2.0 */
/* Finding, choosing and loading backends. Backends are found by reading the
 * notes of the "*.so" files in the backend directories (all of them for
 * the listing, up to the one to load otherwise); only the chosen one is
 * dlopen()ed (RTLD_NOW | RTLD_LOCAL) and its vtable checked. */
#ifndef SKD_LOADER_H
#define SKD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "note.h"

struct os_release;
struct skd_backend;

struct backend_file {
	char *path;
	struct backend_note note;  /* valid when rejected == NULL */
	char *rejected;            /* why it cannot be used, or NULL */
	int fd;                    /* kept open by backends_scan_for(), or -1 */
};

/* A directory scanned, by identity: the same one reached by another
 * spelling (bin/../lib/... is the installed backend directory after a
 * default make install) is scanned once. */
struct backend_dir_id {
	dev_t dev;
	ino_t ino;
};

struct backend_list {
	struct backend_file *files;
	size_t n_files;
	struct backend_dir_id *dirs_seen;
	size_t n_dirs_seen;
};

/* Scan `dirs` in order (missing directories are skipped, insecure ones are
 * recorded as rejected entries, one already scanned under another path is
 * skipped). A backend name seen twice: the first wins, the later file is
 * rejected as a duplicate. */
int backends_scan(const char *const *dirs, struct backend_list *ret);
/* The same scan, stopped at the file backends_select() would choose first
 * for `override` (a name) or else for os->id (that ID's first backend wins
 * whatever follows). That file stays open for backend_load(), which then
 * loads the very file that was read. Without a match the scan is whole,
 * for ID_LIKE and for the messages that list what there is. */
int backends_scan_for(const char *const *dirs, const struct os_release *os,
                      const char *override, struct backend_list *ret);
void backends_free(struct backend_list *l);

/* Choose: `override` by name when given; else exact ID, then each ID_LIKE
 * in order. -ENOENT when nothing matches (diag_set:
 * "unsupported distribution: ID=... ID_LIKE=..."). *ret_reason tells why
 * this one was chosen ("ID=<id>", "ID_LIKE=<id>", "--backend"); it stays
 * valid until the next call in the same thread. `os` may be NULL only with
 * `override`. */
int backends_select(const struct backend_list *l, const struct os_release *os,
                    const char *override, const struct backend_file **ret,
                    const char **ret_reason);

struct loaded_backend {
	void *handle;
	const struct skd_backend *vt;
	const struct backend_file *file;
};

/* dlopen + checks: owner and mode of the file (on the opened descriptor)
 * and its directory (done by the scan when it kept the file open), ABI major equal, struct_size large enough, note name
 * equals vtable name, required operations present. Errors name the file. */
int backend_load(const struct backend_file *f, struct loaded_backend *ret);
void backend_unload(struct loaded_backend *b);

/* Owner root or the effective user, not group/world-writable. Checks the
 * open descriptor `fd`, or lstat()s `path` when fd < 0. -EPERM with
 * diag_set('<what> "<path>" is ...'). */
int check_trusted_path(const char *path, int fd, const char *what);

/* The directories to scan, in order, as a NULL-terminated vector freed with
 * skd_strv_free(); duplicates are dropped (the first stays):
 *   1. `cli_dirs` (--backend-dir, in the order given; may be NULL),
 *   2. the entries of $SKYHOOK_KDUMP_BACKEND_PATH (colon-separated, empty
 *      entries ignored; read with secure_getenv()),
 *   3. "<bindir>/backends" and "<prefix>/lib/skyhook-kdump/backends",
 *      where <bindir> holds the running binary (/proc/self/exe) and
 *      <prefix> is its parent (bin/..), so an unpacked copy of the package
 *      finds its own backends,
 *   4. BACKEND_DIR, the installed location.
 * Missing directories are fine: backends_scan() skips them. */
int backends_default_dirs(const char *const *cli_dirs, char ***ret);

/* True when the loaded vtable has member `op` (within its struct_size, so
 * a backend of an older minor is never read past its end) and it is not
 * NULL. Use it for every optional operation. */
#define backend_has_op(vt, op) \
	(offsetof(struct skd_backend, op) + sizeof((vt)->op) <= (vt)->struct_size && \
	 (vt)->op != NULL)

#endif
