/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The stat family for a package that runs on glibc before 2.33. Those
 * releases export no stat, fstat, lstat or fstatat: their headers turn
 * each call into one to __xstat and its kin, with the version of struct
 * stat as first argument. glibc-floor.sh renames the package's calls to
 * these functions, whose calls to __xstat it binds to the oldest version.
 * Linked from an archive: only what a file calls is taken in.
 */
#include <sys/stat.h>

#if defined(__x86_64__)
#define STAT_VERSION 1	/* _STAT_VER_LINUX */
#elif defined(__aarch64__)
#define STAT_VERSION 0	/* _STAT_VER_KERNEL: the generic struct stat */
#else
#error "the version of struct stat that __xstat takes is unknown on this architecture"
#endif

/* glibc 2.33 and later declare these no longer; every glibc exports them */
extern int __xstat(int version, const char *path, struct stat *buf);
extern int __fxstat(int version, int fd, struct stat *buf);
extern int __lxstat(int version, const char *path, struct stat *buf);
extern int __fxstatat(int version, int dirfd, const char *path, struct stat *buf, int flags);

#define FLOOR __attribute__((visibility("hidden")))

/* On both architectures struct stat64 is struct stat. */
FLOOR int skd_floor_stat(const char *path, struct stat *buf)
{
	return __xstat(STAT_VERSION, path, buf);
}

FLOOR int skd_floor_fstat(int fd, struct stat *buf)
{
	return __fxstat(STAT_VERSION, fd, buf);
}

FLOOR int skd_floor_lstat(const char *path, struct stat *buf)
{
	return __lxstat(STAT_VERSION, path, buf);
}

FLOOR int skd_floor_fstatat(int dirfd, const char *path, struct stat *buf, int flags)
{
	return __fxstatat(STAT_VERSION, dirfd, path, buf, flags);
}

/* the 64-bit names are the same functions */
FLOOR int skd_floor_stat64(const char *path, struct stat *buf)
	__attribute__((alias("skd_floor_stat")));
FLOOR int skd_floor_fstat64(int fd, struct stat *buf)
	__attribute__((alias("skd_floor_fstat")));
FLOOR int skd_floor_lstat64(const char *path, struct stat *buf)
	__attribute__((alias("skd_floor_lstat")));
FLOOR int skd_floor_fstatat64(int dirfd, const char *path, struct stat *buf, int flags)
	__attribute__((alias("skd_floor_fstatat")));
