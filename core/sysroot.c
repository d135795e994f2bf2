/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#endif

#include "diag.h"
#include "sysroot.h"

/* Same limit as the kernel's path walk (MAXSYMLINKS). */
#define MAX_LINKS 40

#if defined(HAVE_LINUX_OPENAT2_H) && defined(SYS_openat2)
#define HAVE_OPENAT2 1
#endif

struct sysroot {
	char *path;
	int fd;                 /* O_PATH|O_DIRECTORY */
	bool slash;
	bool walk_only;         /* the kernel cannot resolve in the root */
};

static int fail(int err, const char *what, const char *path)
{
	return diag_set(err, "cannot %s \"%s\": %s", what, path, strerror(-err));
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

int sysroot_open(const char *path, struct sysroot **ret)
{
	struct sysroot *r = NULL;
	struct stat st, slash;
	size_t len;
	int err;

	assert(path && ret);
	r = calloc(1, sizeof(*r));
	if (!r) {
		err = fail(-ENOMEM, "open root", path);
		goto out;
	}
	r->fd = -1;
	r->path = strdup(path);
	if (!r->path) {
		err = fail(-ENOMEM, "open root", path);
		goto out;
	}
	len = strlen(r->path);
	while (len > 1 && r->path[len - 1] == '/')
		r->path[--len] = '\0';
	if (len == 0) {
		err = fail(-EINVAL, "open root", path);
		goto out;
	}
	r->fd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0) {
		err = fail(-errno, "open root", path);
		goto out;
	}
	/* by identity, not by spelling: "/.", "//" and a bind of "/" count */
	if (fstat(r->fd, &st) < 0 || stat("/", &slash) < 0) {
		err = fail(-errno, "stat root", path);
		goto out;
	}
	r->slash = st.st_dev == slash.st_dev && st.st_ino == slash.st_ino;
	/* test hook: the component walk alone, as on kernels before 5.6 */
	r->walk_only = secure_getenv("SKYHOOK_KDUMP_TEST_WALK_ONLY") != NULL;
	*ret = r;
	r = NULL;
	err = 0;
out:
	sysroot_free(r);
	return err;
}

void sysroot_free(struct sysroot *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r);
}

const char *sysroot_path(const struct sysroot *r)
{
	return r->path;
}

bool sysroot_is_slash(const struct sysroot *r)
{
	return r->slash;
}

static int readlink_alloc(int dirfd, const char *name, char **ret)
{
	size_t size = 256;

	for (;;) {
		char *buf = malloc(size);
		ssize_t n;

		if (!buf)
			return -ENOMEM;
		n = readlinkat(dirfd, name, buf, size);
		if (n < 0) {
			int err = -errno;
			free(buf);
			return err;
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			*ret = buf;
			return 0;
		}
		free(buf);
		if (size >= 65536)
			return -ENAMETOOLONG;
		size *= 2;
	}
}

/*
 * The whole path resolved by the kernel in one call, by the rules of
 * resolve() below: ".." stops at the root, absolute symlinks start from it
 * (openat2 with RESOLVE_IN_ROOT, Linux 5.6). Returns the descriptor,
 * -ENOENT, or -EACCES when the kernel refused the path (a symlink that
 * fs.protected_symlinks forbids following, an LSM): the walk, which reads
 * links itself, would get round that. -EAGAIN means "walk instead": no
 * openat2, or a seccomp filter refusing it (then never again), a rename
 * racing the lookup, a magic link, any other error, whose message the
 * walk then gives as usual.
 */
static int open_by_kernel(struct sysroot *r, const char *path, int flags)
{
#ifdef HAVE_OPENAT2
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (r->walk_only || !path || path[0] != '/')
		return -EAGAIN;
	fd = syscall(SYS_openat2, r->fd, path, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno == ENOENT || errno == EACCES)
		return -errno;
	if (errno == ENOSYS || errno == EPERM || errno == EINVAL || errno == E2BIG)
		r->walk_only = true;
	return -EAGAIN;
#else
	(void)r;
	(void)path;
	(void)flags;
	return -EAGAIN;
#endif
}

/* The directory holding the last component of `path`, opened by the
 * kernel, and that component's name: resolve() without following a last
 * link, in one call. -EAGAIN when the walk must do it ("/", a last "." or
 * "..", or what open_by_kernel() leaves to it). */
static int parent_by_kernel(struct sysroot *r, const char *path,
                            int *ret_dirfd, char **ret_name)
{
	size_t end, start;
	char *parent, *name;
	int fd;

	if (r->walk_only || !path || path[0] != '/')
		return -EAGAIN;
	end = strlen(path);
	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (start == end || (end - start == 1 && path[start] == '.') ||
	    (end - start == 2 && path[start] == '.' && path[start + 1] == '.'))
		return -EAGAIN;
	parent = strndup(path, start);
	name = strndup(path + start, end - start);
	if (!parent || !name) {
		free(parent);
		free(name);
		return -ENOMEM;
	}
	fd = open_by_kernel(r, parent, O_PATH | O_DIRECTORY);
	free(parent);
	if (fd < 0) {
		free(name);
		return fd;
	}
	*ret_dirfd = fd;
	*ret_name = name;
	return 0;
}

/*
 * Walk `path` from the root, one component at a time, the way a chroot'ed
 * process would see it. On success *ret_dirfd (O_PATH) is the directory
 * holding the object and *ret_name its name in it, "." when the path names
 * a directory through "/", "." or "..". With follow_last, a symlink as last
 * component is resolved too (so *ret_name is never a symlink, barring
 * races, which the callers' O_NOFOLLOW turns into errors). The last
 * component need not exist: callers get ENOENT from their own *at() call,
 * or create it. Intermediate components must exist.
 */
static int resolve(struct sysroot *r, const char *path, bool follow_last,
                   int *ret_dirfd, char **ret_name)
{
	char *todo = NULL, *name = NULL;
	unsigned links = 0, depth = 0;
	size_t pos = 0;
	int cur, err;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (!follow_last) {
		err = parent_by_kernel(r, path, ret_dirfd, ret_name);
		if (err != -EAGAIN)
			return err;
	}
	todo = strdup(path);
	if (!todo)
		return -ENOMEM;
	/* cur is the root's own descriptor until the walk leaves it */
	cur = r->fd;
	for (;;) {
		struct stat st;
		size_t start, end;
		bool last;
		int nfd;

		while (todo[pos] == '/')
			pos++;
		if (!todo[pos]) {
			free(name);  /* a symlink's name, when its target is "/" */
			name = strdup(".");
			break;
		}
		start = pos;
		while (todo[pos] && todo[pos] != '/')
			pos++;
		end = pos;
		while (todo[pos] == '/')
			pos++;
		last = !todo[pos];
		free(name);
		name = strndup(todo + start, end - start);
		if (!name) {
			err = -ENOMEM;
			goto out;
		}
		if (strcmp(name, ".") == 0) {
			if (last)
				break;
			continue;
		}
		if (strcmp(name, "..") == 0) {
			/* never above the root */
			if (depth > 0) {
				nfd = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (nfd < 0) {
					err = -errno;
					goto out;
				}
				if (cur != r->fd)
					close(cur);
				cur = nfd;
				depth--;
			}
			if (last) {
				free(name);
				name = strdup(".");
				break;
			}
			continue;
		}
		if (last && !follow_last)
			break;
		/* A directory on the way is opened at once; O_NOFOLLOW makes a
		 * symlink fail (ENOTDIR), and only then is it looked at. */
		nfd = -1;
		if (!last) {
			nfd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0 && errno != ENOTDIR && errno != ELOOP) {
				err = -errno;
				goto out;
			}
		}
		if (nfd < 0) {
			if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				if (errno == ENOENT && last)
					break;  /* the caller decides what missing means */
				err = -errno;
				goto out;
			}
			if (S_ISLNK(st.st_mode)) {
				char *target = NULL, *next;

				if (++links > MAX_LINKS) {
					err = -ELOOP;
					goto out;
				}
				err = readlink_alloc(cur, name, &target);
				if (err < 0)
					goto out;
				/* the target, then what was left after the link */
				if (asprintf(&next, "%s/%s", target, todo + pos) < 0) {
					free(target);
					err = -ENOMEM;
					goto out;
				}
				/* readlink_alloc() sets target whenever it returns 0;
				 * the analyzer takes its -errno for 0 */
				// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
				if (target[0] == '/') {
					if (cur != r->fd)
						close(cur);
					cur = r->fd;
					depth = 0;
				}
				free(target);
				free(todo);
				todo = next;
				pos = 0;
				continue;
			}
			if (last)
				break;
			if (!S_ISDIR(st.st_mode)) {
				err = -ENOTDIR;
				goto out;
			}
			/* a symlink a moment ago: once more, still never following */
			nfd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0) {
				err = -errno;
				goto out;
			}
		}
		if (cur != r->fd)
			close(cur);
		cur = nfd;
		depth++;
	}
	if (!name) {
		err = -ENOMEM;
		goto out;
	}
	/* the caller closes what it gets: never the root's own */
	if (cur == r->fd) {
		cur = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
		if (cur < 0) {
			err = -errno;
			goto out;
		}
	}
	*ret_dirfd = cur;
	*ret_name = name;
	cur = r->fd;
	name = NULL;
	err = 0;
out:
	if (cur != r->fd && cur >= 0)
		close(cur);
	free(name);
	free(todo);
	return err;
}

/* fd when it is a regular file (*ret_st its fstat), else closed and
 * -EISDIR or -EINVAL. */
static int keep_if_regular(int fd, struct stat *ret_st)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	*ret_st = st;
	return fd;
}

/* Opens the file for reading, refusing what is not a regular file. */
/* flags: O_RDONLY, or O_RDWR | O_CREAT with the mode to create with */
static int open_regular_as(int dirfd, const char *name, int flags,
                           uint32_t mode, struct stat *ret_st)
{
	int fd;

	/* O_NOFOLLOW: a link as last component is ELOOP, never followed;
	 * O_NONBLOCK: a FIFO must not hang us before we can refuse it */
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
	            O_CLOEXEC, mode & 07777);
	if (fd < 0)
		return -errno;
	return keep_if_regular(fd, ret_st);
}

static int open_regular(int dirfd, const char *name, struct stat *ret_st)
{
	return open_regular_as(dirfd, name, O_RDONLY, 0, ret_st);
}

/* open_regular() of the whole path: by the kernel in one call when it can,
 * else walked. follow: a last link is followed inside the root, else
 * refused (-ELOOP). *ret_resolved tells the path led somewhere, so that
 * -EINVAL means "not a regular file". */
static int open_regular_path(struct sysroot *r, const char *path, bool follow,
                             struct stat *ret_st, bool *ret_resolved)
{
	char *name = NULL;
	int dirfd = -1, fd, err;

	*ret_resolved = false;
	fd = open_by_kernel(r, path, O_RDONLY | O_NOCTTY | O_NONBLOCK |
	                    (follow ? 0 : O_NOFOLLOW));
	if (fd >= 0) {
		*ret_resolved = true;
		return keep_if_regular(fd, ret_st);
	}
	if (fd != -EAGAIN)
		return fd;
	err = resolve(r, path, follow, &dirfd, &name);
	if (err < 0)
		return err;
	*ret_resolved = true;
	if (!follow && strcmp(name, ".") == 0)
		fd = -EISDIR;
	else
		fd = open_regular(dirfd, name, ret_st);
	close(dirfd);
	free(name);
	return fd;
}

/* Reads at most max bytes; -EFBIG when there is more. `size` is what
 * fstat said of a regular file, 0 when it says nothing (/proc): a read
 * of a regular file that returns less than asked has reached the end, so
 * a file of known size takes one read, not a second one to see the end. */
static int read_fd(int fd, size_t max, size_t size, char **ret_data,
                   size_t *ret_len)
{
	size_t len = 0, cap = size > 0 && size <= max ? size + 1 : 4096;
	char *data = malloc(cap + 1);
	int err;

	if (!data)
		return -ENOMEM;
	for (;;) {
		ssize_t n;
		size_t asked;

		if (len == cap) {
			char *p;

			if (cap > max) {
				err = -EFBIG;
				goto out;
			}
			cap *= 2;
			p = realloc(data, cap + 1);
			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			data = p;
		}
		asked = cap - len;
		n = read(fd, data + len, asked);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			err = -EFBIG;
			goto out;
		}
		if (size > 0 && (size_t)n < asked)
			break;
	}
	data[len] = '\0';
	*ret_data = data;
	*ret_len = len;
	data = NULL;
	err = 0;
out:
	free(data);
	return err;
}

/* The regular file at path (a last link followed) opened for reading;
 * a failure says so with the path. */
static int open_to_read(struct sysroot *r, const char *path, struct stat *ret_st)
{
	bool resolved;
	int fd = open_regular_path(r, path, true, ret_st, &resolved);

	if (fd == -EINVAL && resolved)
		diag_set(fd, "cannot read \"%s\": not a regular file", path);
	else if (fd < 0)
		fail(fd, "read", path);
	return fd;
}

int sysroot_read(struct sysroot *r, const char *path, size_t max,
                 char **ret_data, size_t *ret_len)
{
	char *data = NULL;
	int fd, err;
	/* filled by open_to_read() whenever it returns a descriptor; zeroed
	 * so that the analyzer, which cannot see that, has nothing to flag */
	struct stat st = { 0 };
	size_t len = 0;

	assert(r && ret_data);
	if (max == 0)
		max = SYSROOT_READ_MAX;
	fd = open_to_read(r, path, &st);
	if (fd < 0)
		return fd;
	if ((uint64_t)st.st_size > max) {
		err = -EFBIG;
		goto out;
	}
	err = read_fd(fd, max, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
	              &data, &len);
	if (err < 0)
		goto out;
	*ret_data = data;
	if (ret_len)
		*ret_len = len;
	data = NULL;
out:
	if (err == -EFBIG)
		diag_set(err, "cannot read \"%s\": larger than %zu bytes", path, max);
	else if (err < 0)
		fail(err, "read", path);
	close(fd);
	free(data);
	return err;
}

int sysroot_read_head(struct sysroot *r, const char *path, size_t n,
                      char **ret_data, size_t *ret_len, uint64_t *ret_size)
{
	char *data = NULL;
	size_t len = 0;
	/* filled by open_to_read() whenever it returns a descriptor; zeroed
	 * so that the analyzer, which cannot see that, has nothing to flag */
	struct stat st = { 0 };
	int fd, err = 0;

	assert(r && ret_data && ret_len);
	fd = open_to_read(r, path, &st);
	if (fd < 0)
		return fd;
	data = malloc(n + 1);
	if (!data) {
		err = fail(-ENOMEM, "read", path);
		goto out;
	}
	while (len < n) {
		ssize_t got = read(fd, data + len, n - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = fail(-errno, "read", path);
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	data[len] = '\0';
	*ret_data = data;
	*ret_len = len;
	if (ret_size)
		*ret_size = (uint64_t)st.st_size;
	data = NULL;
out:
	close(fd);
	free(data);
	return err;
}

int sysroot_read_lines(struct sysroot *r, const char *path,
                       int (*line)(const char *text, size_t len, void *data),
                       void *data)
{
	size_t cap = 16u << 10, have = 0;
	char *buf = NULL;
	struct stat st;
	int fd, err = 0;

	assert(r && line);
	fd = open_to_read(r, path, &st);
	if (fd < 0)
		return fd;
	buf = malloc(cap + 1);
	if (!buf) {
		err = fail(-ENOMEM, "read", path);
		goto out;
	}
	for (;;) {
		ssize_t got;
		char *start, *nl;

		if (have == cap) {
			/* one line fills the buffer: make room, up to a limit */
			char *p;

			if (cap >= SYSROOT_LINE_MAX) {
				err = diag_set(-EFBIG, "cannot read \"%s\": a line longer "
				               "than %u bytes", path, SYSROOT_LINE_MAX);
				goto out;
			}
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				err = fail(-ENOMEM, "read", path);
				goto out;
			}
			buf = p;
		}
		got = read(fd, buf + have, cap - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = fail(-errno, "read", path);
			goto out;
		}
		if (got == 0) {
			/* the last line, without its newline */
			if (have > 0) {
				buf[have] = '\0';
				err = line(buf, have, data);
			}
			goto out;
		}
		have += (size_t)got;
		start = buf;
		while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
			*nl = '\0';
			err = line(start, (size_t)(nl - start), data);
			if (err != 0)
				goto out;
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
	}
out:
	close(fd);
	free(buf);
	return err;
}

static int stat_full(struct sysroot *r, const char *path, bool nofollow,
                     struct skd_stat *ret, int64_t *ret_mtime_ns)
{
	struct skd_stat s = { .type = SKD_FILE_NONE };
	char *name = NULL;
	int dirfd = -1, err;
	struct stat st;

	assert(r && ret);
	if (ret_mtime_ns)
		*ret_mtime_ns = 0;
	dirfd = open_by_kernel(r, path, O_PATH | (nofollow ? O_NOFOLLOW : 0));
	if (dirfd >= 0) {
		err = fstat(dirfd, &st) < 0 ? -errno : 0;
	} else if (dirfd != -EAGAIN) {
		err = dirfd;
		dirfd = -1;
	} else {
		err = resolve(r, path, !nofollow, &dirfd, &name);
		if (err == 0 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			err = -errno;
	}
	if (err == -ENOENT || err == -ENOTDIR) {
		/* missing is an answer, not an error */
		*ret = s;
		err = 0;
		goto out;
	}
	if (err < 0) {
		fail(err, "stat", path);
		goto out;
	}
	/* here err is 0 and fstatat() filled st: resolve() never returns
	 * more than 0, but the analyzer takes its -errno for positive */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	if (S_ISREG(st.st_mode))
		s.type = SKD_FILE_REGULAR;
	else if (S_ISDIR(st.st_mode))
		s.type = SKD_FILE_DIRECTORY;
	else if (S_ISLNK(st.st_mode))
		s.type = SKD_FILE_SYMLINK;
	else
		s.type = SKD_FILE_OTHER;
	s.mode = st.st_mode & 07777;
	s.size = (uint64_t)st.st_size;
	*ret = s;
	if (ret_mtime_ns)
		*ret_mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
out:
	close_fd(&dirfd);
	free(name);
	return err;
}

int sysroot_stat(struct sysroot *r, const char *path, bool nofollow,
                 struct skd_stat *ret)
{
	return stat_full(r, path, nofollow, ret, NULL);
}

int sysroot_mtime(struct sysroot *r, const char *path, int64_t *ret_ns)
{
	struct skd_stat st;
	int64_t ns;
	int err = stat_full(r, path, false, &st, &ns);

	if (err < 0)
		return err;
	if (st.type == SKD_FILE_NONE)
		return -ENOENT;
	*ret_ns = ns;
	return 0;
}

/* A regular file of the root, opened without following a final link. */
static int open_in_root(struct sysroot *r, const char *path, int flags,
                        uint32_t mode, struct stat *ret_st)
{
	char *name = NULL;
	int dirfd = -1, fd = -1, err;
	struct stat st;
	bool resolved;

	assert(r);
	if (!(flags & O_CREAT)) {
		fd = open_regular_path(r, path, false, &st, &resolved);
		err = fd < 0 ? fd : 0;
	} else {
		err = resolve(r, path, false, &dirfd, &name);
		if (err == 0 && strcmp(name, ".") == 0)
			err = -EISDIR;
		if (err == 0) {
			fd = open_regular_as(dirfd, name, flags, mode, &st);
			if (fd < 0)
				err = fd;
		}
	}
	if (err == -ELOOP && (flags & O_CREAT))
		diag_set(err, "refusing to open \"%s\": it is a symbolic link", path);
	else if (err < 0)
		fail(err, "open", path);
	else if (ret_st)
		*ret_st = st;
	close_fd(&dirfd);
	free(name);
	return err < 0 ? err : fd;
}

int sysroot_open_fd(struct sysroot *r, const char *path, struct stat *ret_st)
{
	return open_in_root(r, path, O_RDONLY, 0, ret_st);
}

int sysroot_open_rw(struct sysroot *r, const char *path, uint32_t mode)
{
	return open_in_root(r, path, O_RDWR | O_CREAT, mode, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory at path, opened for reading (a last link followed inside
 * the root), or a negative errno. */
static int open_dir(struct sysroot *r, const char *path)
{
	char *name = NULL;
	int dirfd = -1, fd, err;

	fd = open_by_kernel(r, path, O_RDONLY | O_DIRECTORY);
	if (fd != -EAGAIN)
		return fd;
	err = resolve(r, path, true, &dirfd, &name);
	if (err < 0)
		return err;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	err = fd < 0 ? -errno : fd;
	close(dirfd);
	free(name);
	return err;
}

int sysroot_open_dir(struct sysroot *r, const char *path, struct stat *ret_st)
{
	int fd;

	assert(r && ret_st);
	fd = open_dir(r, path);
	if (fd >= 0 && fstat(fd, ret_st) < 0) {
		int err = -errno;

		close(fd);
		fd = err;
	}
	if (fd < 0)
		fail(fd, "open directory", path);
	return fd;
}

/* The names in the directory open at fd (which it closes), sorted. */
static int list_fd(int fd, char ***ret_names)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;
	DIR *d;
	struct dirent *de;

	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	names = calloc(1, sizeof(*names));
	if (!names) {
		err = -ENOMEM;
		goto out;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n + 2 > cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **p = realloc(names, ncap * sizeof(*names));

			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			names = p;
			cap = ncap;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			err = -ENOMEM;
			goto out;
		}
		names[++n] = NULL;
		errno = 0;
	}
	if (errno) {
		err = -errno;
		goto out;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	*ret_names = names;
	names = NULL;
out:
	closedir(d);
	skd_strv_free(names);
	return err;
}

int sysroot_list(struct sysroot *r, const char *path, char ***ret_names)
{
	int fd, err;

	assert(r && ret_names);
	fd = open_dir(r, path);
	err = fd < 0 ? fd : list_fd(fd, ret_names);
	if (err < 0)
		fail(err, "list", path);
	return err;
}

int sysroot_list_fd(int dirfd, char ***ret_names)
{
	/* a description of its own: readdir moves the offset */
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert(ret_names);
	return fd < 0 ? -errno : list_fd(fd, ret_names);
}

/* Equal content, without reading more than len + 1 bytes. */
static int same_content(int fd, const struct stat *st, const char *data,
                        size_t len, bool *ret_same)
{
	char buf[8192];
	size_t off = 0;

	if ((uint64_t)st->st_size != len) {
		*ret_same = false;
		return 0;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		if (off + (size_t)n > len || memcmp(buf, data + off, (size_t)n)) {
			*ret_same = false;
			return 0;
		}
		off += (size_t)n;
	}
	*ret_same = off == len;
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* splitmix64: spreads a weak seed over all bits */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* ".NAME.XXXXXXXX~" created with O_EXCL. The name only has to avoid
 * collisions (O_EXCL gives the safety), and getrandom(2) is younger than
 * some kernels we run on, so time, pid and a counter seed it. */
static int create_temp(int dirfd, const char *name, char **ret_tmp)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static uint64_t counter;

	for (int attempt = 0; attempt < 100; attempt++) {
		char suffix[9], *tmp;
		struct timespec ts;
		uint64_t x;
		int fd;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = mix64((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
		    mix64(((uint64_t)getpid() << 32) + ++counter);
		for (size_t i = 0; i < sizeof(suffix) - 1; i++) {
			suffix[i] = chars[x % (sizeof(chars) - 1)];
			x /= sizeof(chars) - 1;
		}
		suffix[sizeof(suffix) - 1] = '\0';
		if (asprintf(&tmp, ".%.200s.%s~", name, suffix) < 0)
			return -ENOMEM;
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		            O_CLOEXEC, 0600);
		if (fd >= 0) {
			*ret_tmp = tmp;
			return fd;
		}
		free(tmp);
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int sysroot_replace(struct sysroot *r, const char *path, const char *data,
                    size_t len, uint32_t mode, bool *ret_changed)
{
	char *name = NULL, *tmp = NULL;
	int dirfd = -1, fd = -1, tfd = -1, dfd = -1, err;
	struct stat old, tst;
	bool exists = false, reported = false;
	bool exact = (mode & SYSROOT_MODE_EXACT) != 0;
	const char *what = "replace";

	assert(r && (data || len == 0));
	err = resolve(r, path, false, &dirfd, &name);
	if (err < 0)
		goto out;
	if (strcmp(name, ".") == 0) {
		err = -EISDIR;
		goto out;
	}
	if (fstatat(dirfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0) {
		bool same;

		if (S_ISLNK(old.st_mode)) {
			err = diag_set(-ELOOP, "refusing to write \"%s\": it is a "
			               "symbolic link", path);
			reported = true;
			goto out;
		}
		fd = open_regular(dirfd, name, &old);
		if (fd < 0) {
			err = fd;
			goto out;
		}
		exists = true;
		err = same_content(fd, &old, data, len, &same);
		if (err < 0)
			goto out;
		/* same_content() sets same whenever it returns 0; the
		 * analyzer takes its -errno after a failed read() for 0 */
		// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
		if (same && exact && (old.st_mode & 07777) != (mode & 07777)) {
			what = "set the mode of";
			err = fchmod(fd, mode & 07777) < 0 ? -errno : 0;
			if (err == 0 && ret_changed)
				*ret_changed = true;
			goto out;
		}
		if (same) {
			if (ret_changed)
				*ret_changed = false;
			goto out;
		}
	} else if (errno != ENOENT) {
		err = -errno;
		goto out;
	}

	what = "create temporary file for";
	tfd = create_temp(dirfd, name, &tmp);
	if (tfd < 0) {
		err = tfd;
		goto out;
	}
	what = "write";
	err = write_all(tfd, data, len);
	if (err < 0)
		goto out;
	if (fstat(tfd, &tst) < 0) {
		err = -errno;
		goto out;
	}
	/* owner first: chown clears set-id bits that fchmod then restores */
	if (exists && (tst.st_uid != old.st_uid || tst.st_gid != old.st_gid) &&
	    fchown(tfd, old.st_uid, old.st_gid) < 0) {
		err = -errno;
		what = "keep the owner of";
		goto out;
	}
	if (fchmod(tfd, exists && !exact ? (old.st_mode & 07777) : (mode & 07777)) < 0) {
		err = -errno;
		what = "set the mode of";
		goto out;
	}
	if (fsync(tfd) < 0) {
		err = -errno;
		goto out;
	}
	close_fd(&tfd);
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		err = -errno;
		what = "rename over";
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* make the rename itself durable */
	dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || (fsync(dfd) < 0 && errno != EINVAL)) {
		err = -errno;
		what = "sync the directory of";
		goto out;
	}
	if (ret_changed)
		*ret_changed = true;
	err = 0;
out:
	if (err < 0 && !reported)
		fail(err, what, path);
	if (tmp) {
		/* a failure leaves the target as it was, and no litter */
		unlinkat(dirfd, tmp, 0);
		free(tmp);
	}
	close_fd(&tfd);
	close_fd(&fd);
	close_fd(&dfd);
	close_fd(&dirfd);
	free(name);
	return err;
}

int sysroot_remove(struct sysroot *r, const char *path)
{
	char *name = NULL;
	int dirfd = -1, err;

	assert(r);
	err = resolve(r, path, false, &dirfd, &name);
	if (err == 0 && strcmp(name, ".") == 0)
		err = -EISDIR;
	else if (err == 0 && unlinkat(dirfd, name, 0) < 0)
		err = -errno;
	if (err == -ENOENT) {
		err = 0;
	} else if (err < 0) {
		/* Linux says EISDIR, POSIX EPERM, for unlink on a directory */
		struct stat st;
		if (err == -EPERM && dirfd >= 0 &&
		    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode))
			err = -EISDIR;
		fail(err, "remove", path);
	}
	close_fd(&dirfd);
	free(name);
	return err;
}

int sysroot_rmdir(struct sysroot *r, const char *path)
{
	char *name = NULL;
	int dirfd = -1, err;
	struct stat st;

	assert(r);
	err = resolve(r, path, false, &dirfd, &name);
	if (err == 0 && strcmp(name, ".") == 0)
		err = -EBUSY;   /* the root itself, or a path ending in ".." */
	else if (err == 0 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		err = -errno;
	else if (err == 0 && !S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	else if (err == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		err = -errno;
	if (err == -EEXIST)
		err = -ENOTEMPTY;       /* POSIX allows either */
	if (err == -ENOENT)
		err = 0;
	else if (err < 0)
		fail(err, "remove directory", path);
	close_fd(&dirfd);
	free(name);
	return err;
}

int sysroot_mkdir_p(struct sysroot *r, const char *path, uint32_t mode)
{
	char *prefix = NULL, *name = NULL;
	int dirfd = -1, err = 0;
	size_t i = 0, len;

	assert(r);
	if (!path || path[0] != '/') {
		err = fail(-EINVAL, "create directory", path ? path : "(null)");
		goto out;
	}
	len = strlen(path);
	/* one prefix at a time, each resolved in the root like any path, so
	 * a symlinked directory on the way is followed inside the root */
	while (i < len) {
		struct stat st;
		bool created = false;

		while (i < len && path[i] == '/')
			i++;
		while (i < len && path[i] != '/')
			i++;
		free(prefix);
		free(name);
		name = NULL;
		close_fd(&dirfd);
		prefix = strndup(path, i);
		if (!prefix) {
			err = -ENOMEM;
			goto out;
		}
		err = resolve(r, prefix, true, &dirfd, &name);
		if (err < 0)
			goto out;
		/* resolve() sets name whenever it returns 0; the analyzer
		 * takes its -errno after a failed fcntl() for 0 */
		// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
		if (mkdirat(dirfd, name, mode & 07777) == 0)
			created = true;
		else if (errno != EEXIST) {
			err = -errno;
			goto out;
		}
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err = -errno;
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			err = -ENOTDIR;
			goto out;
		}
		/* the mode asked for, whatever the umask */
		if (created && (st.st_mode & 07777) != (mode & 07777)) {
			int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY |
			                O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || fchmod(fd, mode & 07777) < 0) {
				err = -errno;
				if (fd >= 0)
					close(fd);
				goto out;
			}
			close(fd);
		}
	}
out:
	if (err < 0 && path && path[0] == '/')
		fail(err, "create directory", prefix ? prefix : path);
	close_fd(&dirfd);
	free(prefix);
	free(name);
	return err;
}
