/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "configmaps.h"
#include "diag.h"

/* Larger inputs are refused outright: no valid crashkernel value is this
 * long, and kdump.conf is limited to 1 MiB by its validator anyway. */
#define CRASHKERNEL_MAX (64u << 10)
#define KDUMP_CONF_MAX ((1u << 20) + 1)  /* one byte over, so the validator names it */

static const char *type_name(mode_t m)
{
	if (S_ISDIR(m)) return "a directory";
	if (S_ISLNK(m)) return "a symlink";
	if (S_ISFIFO(m)) return "a FIFO";
	if (S_ISSOCK(m)) return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
	return "not a regular file";
}

/* A link target that stays inside the folder: relative, and no "." or
 * ".." component ("..data" is a name, not a climb). */
static bool target_stays_inside(const char *t)
{
	if (!*t || *t == '/')
		return false;
	for (const char *p = t; *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

/* A Kubernetes ConfigMap volume (and a `cp -r` of one) holds each key as a
 * link into a hidden directory of the same folder: "crashkernel ->
 * ..data/crashkernel", "..data -> ..2026_11_27_...". Such links are
 * followed, a few hops at most and never out of the folder; every other
 * link is refused. On success `path` is free of links. */
static int resolve_key(int dirfd, const char *dir, const char *key,
                       char *path, size_t size, struct stat *ret_st)
{
	char target[PATH_MAX], rest[PATH_MAX];

	if (snprintf(path, size, "%s", key) >= (int)size)
		return -ENAMETOOLONG;
	for (int hops = 0; ; hops++) {
		size_t end = 0;
		bool is_link = false, more = false;
		struct stat st;
		char *slash;
		ssize_t n;

		/* find the first component of `path` that is a link */
		for (;;) {
			end += strcspn(path + end, "/");
			more = path[end] == '/';
			path[end] = '\0';
			if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				int e = errno;

				if (e == ENOENT && hops == 0 && !more)
					return -ENOENT;     /* the key is simply absent */
				return diag_set(-EINVAL, "configmap '%s' in %s is a symlink to nothing (%s)",
				                key, dir, strerror(e));
			}
			is_link = S_ISLNK(st.st_mode);
			if (is_link || !more)
				break;
			path[end++] = '/';
		}
		if (!is_link) {
			*ret_st = st;
			return 0;
		}
		n = readlinkat(dirfd, path, target, sizeof(target) - 1);
		if (n < 0)
			return diag_set(-EINVAL, "configmap '%s' in %s: %s", key, dir, strerror(errno));
		target[n] = '\0';
		if (hops >= 8)
			return diag_set(-EINVAL, "configmap '%s' in %s is a chain of more than 8 symlinks, expected a regular file",
			                key, dir);
		if (!target_stays_inside(target))
			return diag_set(-EINVAL, "configmap '%s' in %s is a symlink that leads out of the folder (%s), expected a regular file",
			                key, dir, target);
		/* the link's name gives way to its target; what followed stays */
		snprintf(rest, sizeof(rest), "%s", more ? path + end + 1 : "");
		slash = strrchr(path, '/');
		*(slash ? slash + 1 : path) = '\0';
		if (strlen(path) + strlen(target) + 1 + strlen(rest) + 1 > size)
			return -ENAMETOOLONG;
		strcat(path, target);
		if (*rest) {
			strcat(path, "/");
			strcat(path, rest);
		}
	}
}

static int read_key(int dirfd, const char *dir, const char *key, size_t max,
                    struct configmap_value *ret)
{
	char path[PATH_MAX];
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;
	int fd, r = 0;

	r = resolve_key(dirfd, dir, key, path, sizeof(path), &st);
	if (r == -ENOENT)
		return 0;
	if (r == -ENAMETOOLONG)
		return diag_set(-EINVAL, "configmap '%s' in %s: links too long", key, dir);
	if (r < 0)
		return r;
	if (!S_ISREG(st.st_mode))
		return diag_set(-EINVAL, "configmap '%s' in %s is %s, expected a regular file",
		                key, dir, type_name(st.st_mode));
	/* O_NONBLOCK: a FIFO swapped in after the check must not hang us */
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return diag_set(-EINVAL, "configmap '%s' in %s cannot be read: %s",
		                key, dir, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = diag_set(-EINVAL, "configmap '%s' in %s is not a regular file", key, dir);
		goto out;
	}
	if ((size_t)st.st_size > max) {
		r = diag_set(-EINVAL, "configmap '%s' in %s is too large (%lld bytes, at most %zu)",
		             key, dir, (long long)st.st_size, max);
		goto out;
	}
	/* room for what fstat said and one byte more, to see a file that
	 * grew since; all of max + 1 only then */
	cap = (size_t)st.st_size + 1;
	data = malloc(cap + 1);
	if (!data) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n;
		size_t asked;

		if (len == cap) {
			/* it grew since: room for all a configmap may hold
			 * (len > max below ends the loop before more) */
			char *p = realloc(data, max + 2);

			if (!p) {
				r = -ENOMEM;
				goto out;
			}
			data = p;
			cap = max + 1;
		}
		asked = cap - len;
		n = read(fd, data + len, asked);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = diag_set(-EINVAL, "configmap '%s' in %s cannot be read: %s",
			             key, dir, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = diag_set(-EINVAL, "configmap '%s' in %s is too large (more than %zu bytes)",
			             key, dir, max);
			goto out;
		}
		/* a regular file's short read is its end: no read to see it */
		if ((size_t)n < asked)
			break;
	}
	data[len] = '\0';
	ret->present = true;
	ret->data = data;
	ret->len = len;
	data = NULL;
out:
	free(data);
	close(fd);
	return r;
}

int configmaps_read(const char *dir, struct configmaps **ret)
{
	struct configmaps *cm = calloc(1, sizeof(*cm));
	int dirfd = -1, r = 0;

	if (!cm)
		return -ENOMEM;
	if (!dir)
		goto done;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT)
			goto done;
		r = diag_set(-EINVAL, "configmaps folder %s: %s", dir, strerror(errno));
		goto out;
	}
	cm->dir = strdup(dir);
	if (!cm->dir) {
		r = -ENOMEM;
		goto out;
	}
	r = read_key(dirfd, dir, CONFIGMAP_CRASHKERNEL, CRASHKERNEL_MAX,
	             &cm->crashkernel);
	if (r >= 0)
		r = read_key(dirfd, dir, CONFIGMAP_KDUMP_CONF, KDUMP_CONF_MAX,
		             &cm->kdump_conf);
	if (r < 0)
		goto out;
done:
	*ret = cm;
	cm = NULL;
out:
	if (dirfd >= 0)
		close(dirfd);
	configmaps_free(cm);
	return r;
}

void configmaps_free(struct configmaps *cm)
{
	if (!cm)
		return;
	free(cm->dir);
	free(cm->crashkernel.data);
	free(cm->kdump_conf.data);
	free(cm);
}
