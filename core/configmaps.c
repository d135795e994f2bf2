/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

static int read_key(int dirfd, const char *dir, const char *key, size_t max,
                    struct configmap_value *ret)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int fd, r = 0;

	if (fstatat(dirfd, key, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return diag_set(-EINVAL, "configmap '%s' in %s: %s", key, dir,
		                strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return diag_set(-EINVAL, "configmap '%s' in %s is %s, expected a regular file",
		                key, dir, type_name(st.st_mode));
	/* O_NONBLOCK: a FIFO swapped in after the check must not hang us */
	fd = openat(dirfd, key, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
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
	data = malloc(max + 2);
	if (!data) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, data + len, max + 1 - len);
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
