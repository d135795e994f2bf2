/* SPDX-License-Identifier: Apache-2.0 */
/* File access confined to a root directory (--root, default "/").
 * Paths are absolute paths inside the root ("/etc/default/grub"). ".."
 * never climbs above the root, symlinks met on the way are resolved inside
 * the root (as chroot would), and writes refuse a symlink as the last
 * component. The kernel resolves a path in one call where it can (openat2
 * with RESOLVE_IN_ROOT, Linux 5.6); otherwise, and for what it leaves to
 * us, the path is walked one component at a time from the root's
 * directory descriptor with openat(). A path the kernel refuses (EACCES:
 * a link fs.protected_symlinks forbids following, an LSM) fails with
 * -EACCES; it is never walked, which would follow that link by hand. */
#ifndef SKD_SYSROOT_H
#define SKD_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <skyhook-kdump/backend.h>

struct sysroot;

/* Reading more than this is refused (-EFBIG) unless a caller asks more. */
#define SYSROOT_READ_MAX (16u << 20)

int sysroot_open(const char *path, struct sysroot **ret);
void sysroot_free(struct sysroot *root);
/* The root as given, normalised without a trailing slash ("/" stays). */
const char *sysroot_path(const struct sysroot *root);
/* True when the root is the running system's "/". */
bool sysroot_is_slash(const struct sysroot *root);

/* Whole file, NUL-terminated, freed with free(). */
int sysroot_read(struct sysroot *root, const char *path, size_t max,
                 char **ret_data, size_t *ret_len);
/* A line longer than this fails a line-by-line read (-EFBIG). */
#define SYSROOT_LINE_MAX (1u << 20)

/* Calls line() with each line of a regular file, without its '\n' and
 * NUL-terminated, reading 16 KiB at a time (more only for a longer line):
 * a file of any size, never held whole. A non-zero return of line() stops
 * it and is returned. */
int sysroot_read_lines(struct sysroot *root, const char *path,
                       int (*line)(const char *text, size_t len, void *data),
                       void *data);
/* The first n bytes (fewer when the file is shorter), NUL-terminated,
 * freed with free(); *ret_size (may be NULL) gets the file's size. For a
 * header at the start of a large file (a kernel image). */
int sysroot_read_head(struct sysroot *root, const char *path, size_t n,
                      char **ret_data, size_t *ret_len, uint64_t *ret_size);
int sysroot_stat(struct sysroot *root, const char *path, bool nofollow,
                 struct skd_stat *ret);
/* The last modification of path (a last link followed), in ns since the
 * epoch; -ENOENT when missing. */
int sysroot_mtime(struct sysroot *root, const char *path, int64_t *ret_ns);
/* A regular file opened read-only, for callers that read only parts of
 * it (crash dumps can be hundreds of GiB). A symlink as last component is
 * refused (-ELOOP), never followed; anything not regular is -EISDIR or
 * -EINVAL. *ret_st (may be NULL) gets its fstat. Returns the descriptor
 * (O_CLOEXEC) or a negative errno with diag_set. */
int sysroot_open_fd(struct sysroot *root, const char *path, struct stat *ret_st);
/* A regular file opened read-write, created with `mode` when missing (a
 * lock file). Like every path here it is resolved inside the root; a
 * symlink as last component is refused (-ELOOP). Returns the descriptor
 * (O_CLOEXEC) or a negative errno with diag_set. */
int sysroot_open_rw(struct sysroot *root, const char *path, uint32_t mode);
/* Sorted (C locale), NULL-terminated; free with skd_strv_free(). */
int sysroot_list(struct sysroot *root, const char *path, char ***ret_names);
/* A directory opened for reading (O_RDONLY | O_DIRECTORY | O_CLOEXEC),
 * a last symlink followed inside the root; *ret_st gets its fstat. For
 * callers that work below it with *at() calls and never resolve a path
 * again. Returns the descriptor or a negative errno with diag_set. */
int sysroot_open_dir(struct sysroot *root, const char *path, struct stat *ret_st);
/* sysroot_list() of the directory open at dirfd (left open): its entries
 * as they are now, with no path resolved. A negative errno, no diag. */
int sysroot_list_fd(int dirfd, char ***ret_names);
/* OR'ed into a mode: the file gets exactly this mode even when it exists
 * (a file that now holds credentials must not stay readable by others;
 * a restored original gets its own mode back). */
#define SYSROOT_MODE_EXACT 0x80000000u

/* Atomic replace: temp file in the target's directory, fsync, rename,
 * fsync of the directory. Keeps mode and owner of an existing file; new
 * files get `mode` (with SYSROOT_MODE_EXACT, existing ones too). -ELOOP
 * when the target is a symlink. *ret_changed (may be NULL) is false, and
 * nothing is written, when the content and mode are equal. */
int sysroot_replace(struct sysroot *root, const char *path, const char *data,
                    size_t len, uint32_t mode, bool *ret_changed);
/* 0 when missing too. Refuses directories. */
int sysroot_remove(struct sysroot *root, const char *path);
/* Remove an empty directory; 0 when missing. -ENOTEMPTY when it is not
 * empty, -ENOTDIR for anything else (a symlink to a directory too). */
int sysroot_rmdir(struct sysroot *root, const char *path);
/* mkdir -p with `mode` for the directories it creates. */
int sysroot_mkdir_p(struct sysroot *root, const char *path, uint32_t mode);

#endif
