/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "loader.h"
#include "note.h"
#include "osrelease.h"

#define END_OF(member) \
	(offsetof(struct skd_backend, member) + sizeof(((struct skd_backend *)0)->member))

/* How large struct skd_backend is at each minor of ABI major 1: a backend
 * declaring minor N must provide at least that much. Append a line when
 * SKD_ABI_MINOR is bumped. */
static const size_t backend_size_at_minor[] = {
	[0] = END_OF(kdump_config_ensure_enabled),
};

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* The effective user does not change while we run: asked once. */
static uid_t effective_uid(void)
{
	static uid_t euid;
	static bool known;

	if (!known) {
		euid = geteuid();
		known = true;
	}
	return euid;
}

static int check_trusted_stat(const char *path, const struct stat *st,
                              const char *what)
{
	uid_t euid = effective_uid();
	mode_t bad;

	if (st->st_uid != 0 && st->st_uid != euid)
		return diag_set(-EPERM, "%s \"%s\" is owned by uid %u; expected "
		                "root or uid %u", what, path, (unsigned)st->st_uid,
		                (unsigned)euid);
	bad = st->st_mode & (S_IWGRP | S_IWOTH);
	if (bad)
		return diag_set(-EPERM, "%s \"%s\" is %s-writable (mode %04o); "
		                "expected writable by its owner only", what, path,
		                bad == (S_IWGRP | S_IWOTH) ? "group- and world" :
		                bad == S_IWGRP ? "group" : "world",
		                (unsigned)(st->st_mode & 07777));
	return 0;
}

int check_trusted_path(const char *path, int fd, const char *what)
{
	struct stat st;

	assert(path && what);

	if ((fd >= 0 ? fstat(fd, &st) : lstat(path, &st)) < 0)
		return diag_set(-errno, "%s \"%s\": cannot stat: %s", what, path,
		                strerror(errno));
	return check_trusted_stat(path, &st, what);
}

void backends_free(struct backend_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_files; i++) {
		if (l->files[i].fd >= 0)
			close(l->files[i].fd);
		free(l->files[i].path);
		note_clear(&l->files[i].note);
		free(l->files[i].rejected);
	}
	free(l->files);
	l->files = NULL;
	l->n_files = 0;
	free(l->dirs_seen);
	l->dirs_seen = NULL;
	l->n_dirs_seen = 0;
}

/* 1 when the directory `st` describes was scanned already, else records
 * it and returns 0 */
static int dir_seen(struct backend_list *l, const struct stat *st)
{
	struct backend_dir_id *n;

	for (size_t i = 0; i < l->n_dirs_seen; i++)
		if (l->dirs_seen[i].dev == st->st_dev && l->dirs_seen[i].ino == st->st_ino)
			return 1;
	n = realloc(l->dirs_seen, (l->n_dirs_seen + 1) * sizeof(*n));
	if (!n)
		return diag_set(-ENOMEM, "out of memory");
	l->dirs_seen = n;
	n[l->n_dirs_seen].dev = st->st_dev;
	n[l->n_dirs_seen].ino = st->st_ino;
	l->n_dirs_seen++;
	return 0;
}

/* Append an entry; takes `path` and `note`. With `rejected` non-NULL the
 * entry is unusable and the note is dropped. */
static int list_add(struct backend_list *l, char *path,
                    struct backend_note *note, const char *rejected)
{
	struct backend_file *nf;
	struct backend_file *f;

	nf = realloc(l->files, (l->n_files + 1) * sizeof(*nf));
	if (!nf)
		goto oom;
	l->files = nf;
	f = &l->files[l->n_files];
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (rejected) {
		f->rejected = strdup(rejected);
		if (!f->rejected)
			goto oom;
		if (note)
			note_clear(note);
	} else {
		assert(note);
		f->note = *note;
		memset(note, 0, sizeof(*note));
	}
	f->path = path;
	l->n_files++;
	return 0;
oom:
	free(path);
	if (note)
		note_clear(note);
	return diag_set(-ENOMEM, "out of memory");
}

static const struct backend_file *find_usable(const struct backend_list *l,
                                              const char *name)
{
	for (size_t i = 0; i < l->n_files; i++)
		if (!l->files[i].rejected && strcmp(l->files[i].note.name, name) == 0)
			return &l->files[i];
	return NULL;
}

/* A "*.so" of a backend directory, and its type as readdir() saw it. */
struct dir_entry {
	char *name;
	unsigned char type;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name,
	              ((const struct dir_entry *)b)->name);
}
static bool has_so_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static bool serves(const struct backend_file *f, const char *id)
{
	for (char **p = f->note.ids; p && *p; p++)
		if (strcmp(*p, id) == 0)
			return true;
	return false;
}

/* What a scan for one backend looks for: the file backends_select() would
 * choose first, by name (--backend) or else by the exact ID; a scan for
 * everything has neither. */
struct wanted {
	const char *name;
	const char *id;
};

static bool is_wanted(const struct wanted *w, const struct backend_file *f)
{
	if (!w || f->rejected)
		return false;
	if (w->name)
		return strcmp(f->note.name, w->name) == 0;
	return w->id && serves(f, w->id);
}

/* Read the note of dir/name, opened below the checked directory `dfd`.
 * Returns 1 when it is the wanted one: then it stays open for
 * backend_load(). */
static int scan_one(struct backend_list *l, int dfd, const char *dir,
                    const char *name, unsigned char d_type,
                    const struct wanted *want)
{
	struct backend_note note = { 0 };
	const struct backend_file *dup;
	char *path = NULL, *reason = NULL;
	struct stat st;
	int fd = -1, r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return diag_set(-ENOMEM, "out of memory");

	/* Skip devices and FIFOs before opening: opening one can block or
	 * have side effects. The directory entry's type says it when the
	 * file system records it; the fd is checked again below. */
	if (d_type != DT_REG) {
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = diag_set(-errno, "backend \"%s\": cannot stat: %s", path,
			             strerror(errno));
			goto reject;
		}
		if (S_ISLNK(st.st_mode)) {
			r = diag_set(-ELOOP, "backend \"%s\" is a symlink; backends "
			             "must be regular files", path);
			goto reject;
		}
		if (!S_ISREG(st.st_mode)) {
			r = diag_set(-EPERM, "backend \"%s\" is not a regular file", path);
			goto reject;
		}
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = diag_set(-errno, "backend \"%s\": cannot open: %s", path,
		             errno == ELOOP ? "it is a symlink" : strerror(errno));
		goto reject;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = diag_set(-EPERM, "backend \"%s\" is not a regular file", path);
		goto reject;
	}
	r = check_trusted_stat(path, &st, "backend");
	if (r < 0)
		goto reject;
	r = note_read_fd(fd, path, &note);
	if (r < 0)
		goto reject;
	if (note.abi_major != SKD_ABI_MAJOR) {
		r = diag_set(-EPROTO, "backend \"%s\" is built for backend ABI "
		             "%u.%u; this host implements %u.%u", path,
		             note.abi_major, note.abi_minor, SKD_ABI_MAJOR,
		             SKD_ABI_MINOR);
		goto reject;
	}
	dup = find_usable(l, note.name);
	if (dup) {
		r = diag_set(-EEXIST, "backend \"%s\": name \"%s\" is already "
		             "provided by \"%s\", ignoring", path, note.name, dup->path);
		goto reject;
	}
	r = list_add(l, path, &note, NULL);
	if (r < 0 || !is_wanted(want, &l->files[l->n_files - 1])) {
		close(fd);
		return r;
	}
	l->files[l->n_files - 1].fd = fd;
	return 1;

reject:
	if (fd >= 0)
		close(fd);
	reason = strdup(diag_message());
	if (!reason) {
		free(path);
		note_clear(&note);
		return diag_set(-ENOMEM, "out of memory");
	}
	r = list_add(l, path, &note, reason);
	free(reason);
	return r;
}

static int scan_dir(struct backend_list *l, const char *dir,
                    const struct wanted *want)
{
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	struct dir_entry *names = NULL;
	size_t n = 0;
	int dfd, r;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		char *path;

		if (errno == ENOENT)
			return 0;       /* a default that is not there */
		r = diag_set(-errno, "backend directory \"%s\": cannot open: %s",
		             dir, strerror(errno));
		path = strdup(dir);
		if (!path)
			return diag_set(-ENOMEM, "out of memory");
		return list_add(l, path, NULL, diag_message());
	}
	if (fstat(dfd, &st) < 0)
		r = diag_set(-errno, "backend directory \"%s\": cannot stat: %s",
		             dir, strerror(errno));
	else
		r = check_trusted_stat(dir, &st, "backend directory");
	if (r < 0) {
		char *path = strdup(dir);

		close(dfd);
		if (!path)
			return diag_set(-ENOMEM, "out of memory");
		return list_add(l, path, NULL, diag_message());
	}
	r = dir_seen(l, &st);
	if (r != 0) {
		close(dfd);
		return r < 0 ? r : 0;
	}

	/* readdir on a duplicate: dfd stays ours for openat() */
	{
		int dfd2 = dup(dfd);

		if (dfd2 < 0 || !(d = fdopendir(dfd2))) {
			r = diag_set(-errno, "backend directory \"%s\": %s", dir,
			             strerror(errno));
			if (dfd2 >= 0)
				close(dfd2);
			goto out;
		}
	}
	errno = 0;
	while ((de = readdir(d))) {
		struct dir_entry *nn;

		if (de->d_name[0] == '.' || !has_so_suffix(de->d_name))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn) {
			r = diag_set(-ENOMEM, "out of memory");
			goto out;
		}
		names = nn;
		names[n].type = de->d_type;
		names[n].name = strdup(de->d_name);
		if (!names[n].name) {
			r = diag_set(-ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	/* same order on every system: "first wins" must mean something */
	if (n)
		qsort(names, n, sizeof(*names), cmp_entry);
	r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = scan_one(l, dfd, dir, names[i].name, names[i].type, want);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	if (d)
		closedir(d);
	close(dfd);
	return r;
}

static int scan_dirs(const char *const *dirs, const struct wanted *want,
                     struct backend_list *ret)
{
	struct backend_list l = { 0 };
	int r = 0;

	assert(ret);

	for (size_t i = 0; dirs && dirs[i] && r == 0; i++)
		r = scan_dir(&l, dirs[i], want);
	if (r < 0)
		goto out;
	*ret = l;
	memset(&l, 0, sizeof(l));
	r = 0;
out:
	backends_free(&l);
	return r;
}

int backends_scan(const char *const *dirs, struct backend_list *ret)
{
	return scan_dirs(dirs, NULL, ret);
}

int backends_scan_for(const char *const *dirs, const struct os_release *os,
                      const char *override, struct backend_list *ret)
{
	struct wanted want = { .name = override, .id = os ? os->id : NULL };

	return scan_dirs(dirs, &want, ret);
}

static const struct backend_file *find_serving(const struct backend_list *l,
                                               const char *id)
{
	for (size_t i = 0; i < l->n_files; i++)
		if (!l->files[i].rejected && serves(&l->files[i], id))
			return &l->files[i];
	return NULL;
}

int backends_select(const struct backend_list *l, const struct os_release *os,
                    const char *override, const struct backend_file **ret,
                    const char **ret_reason)
{
	/* "ID_LIKE=<id>" for *ret_reason; see loader.h */
	static _Thread_local char reason[128];
	const struct backend_file *f;

	assert(l && ret);

	if (override) {
		char names[512] = "";
		size_t o = 0, rejected = 0;

		f = find_usable(l, override);
		if (f) {
			*ret = f;
			if (ret_reason)
				*ret_reason = "--backend";
			return 0;
		}
		for (size_t i = 0; i < l->n_files; i++) {
			if (l->files[i].rejected) {
				rejected++;
				continue;
			}
			if (o < sizeof(names))
				o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
				                      o ? ", " : "", l->files[i].note.name);
		}
		return diag_set(-ENOENT, "no usable backend named \"%s\" (available: "
		                "%s%s)%s", override, o ? names : "none",
		                o >= sizeof(names) ? "..." : "",
		                rejected ? "; some backend files were rejected, "
		                "see 'skyhook-kdump backends'" : "");
	}

	assert(os && os->id);

	f = find_serving(l, os->id);
	if (f) {
		snprintf(reason, sizeof(reason), "ID=%s", os->id);
		goto found;
	}
	/* ID_LIKE is ordered most similar first: each entry is tried against
	 * every backend before the next entry. */
	for (char **p = os->id_like; p && *p; p++) {
		f = find_serving(l, *p);
		if (f) {
			snprintf(reason, sizeof(reason), "ID_LIKE=%s", *p);
			goto found;
		}
	}
	return diag_set(-ENOENT, "unsupported distribution: ID=%s ID_LIKE=%s",
	                os->id, os->id_like_raw && *os->id_like_raw ?
	                os->id_like_raw : "(none)");
found:
	*ret = f;
	if (ret_reason)
		*ret_reason = reason;
	return 0;
}

/* Split "dir/name" and open both: the directory first, then the file
 * below that descriptor, so the checked directory is the one used. */
static int open_checked(const char *path, int *ret_fd, struct stat *ret_st)
{
	char *dir = NULL;
	const char *slash = strrchr(path, '/');
	const char *base;
	int dfd = -1, fd = -1, r;

	if (slash) {
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		base = slash + 1;
	} else {
		dir = strdup(".");
		base = path;
	}
	if (!dir)
		return diag_set(-ENOMEM, "out of memory");

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = diag_set(-errno, "backend directory \"%s\": cannot open: %s", dir,
		             strerror(errno));
		goto out;
	}
	r = check_trusted_path(dir, dfd, "backend directory");
	if (r < 0)
		goto out;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = diag_set(-errno, "backend \"%s\": cannot open: %s", path,
		             errno == ELOOP ? "it is a symlink" : strerror(errno));
		goto out;
	}
	if (fstat(fd, ret_st) < 0 || !S_ISREG(ret_st->st_mode)) {
		r = diag_set(-EPERM, "backend \"%s\" is not a regular file", path);
		goto out;
	}
	r = check_trusted_path(path, fd, "backend");
	if (r < 0)
		goto out;
	*ret_fd = fd;
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return r;
}

/* dlopen the very file that was checked, through /proc/self/fd; without
 * /proc (or when it names another file) fall back to the path, which is
 * open to a swap between check and load. */
static void *dlopen_checked(const char *path, int fd, const struct stat *st)
{
	char proc[64];
	struct stat pst;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	/* open_checked() fills *st whenever it returns 0; the analyzer takes
	 * its -errno after a failed open() for 0 */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	if (stat(proc, &pst) == 0 && pst.st_dev == st->st_dev &&
	    pst.st_ino == st->st_ino)
		return dlopen(proc, RTLD_NOW | RTLD_LOCAL);
	return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

int backend_load(const struct backend_file *f, struct loaded_backend *ret)
{
	const struct skd_backend *vt;
	struct backend_note note = { 0 };
	struct stat st;
	void *handle = NULL, *sym;
	size_t need, have_size = 0;
	const ElfW(Sym) *syment = NULL;
	Dl_info info;
	int fd = -1, r;

	assert(f && ret);
	assert(!f->rejected);

	if (f->fd >= 0) {
		/* still open since the scan read and checked it: the same file */
		if (fstat(f->fd, &st) < 0) {
			r = diag_set(-errno, "backend \"%s\": cannot stat: %s", f->path,
			             strerror(errno));
			goto out;
		}
	} else {
		r = open_checked(f->path, &fd, &st);
		if (r < 0)
			goto out;
		/* the file may have been replaced since the scan */
		r = note_read_fd(fd, f->path, &note);
		if (r < 0)
			goto out;
		if (strcmp(note.name, f->note.name) != 0) {
			r = diag_set(-ESTALE, "backend \"%s\" changed since it was "
			             "scanned (note name \"%s\", expected \"%s\")",
			             f->path, note.name, f->note.name);
			goto out;
		}
	}

	dlerror();
	handle = dlopen_checked(f->path, f->fd >= 0 ? f->fd : fd, &st);
	if (!handle) {
		const char *e = dlerror();
		r = diag_set(-ENOEXEC, "backend \"%s\": cannot load: %s", f->path,
		             e ? e : "unknown error");
		goto out;
	}
	dlerror();
	sym = dlsym(handle, SKD_BACKEND_SYMBOL);
	if (!sym) {
		r = diag_set(-ENOEXEC, "backend \"%s\": no symbol \"%s\" (expected "
		             "a struct skd_backend exported under that name)", f->path,
		             SKD_BACKEND_SYMBOL);
		goto out;
	}

	/* The symbol's own size, when the dynamic symbol table says it, bounds
	 * every read below, struct_size included. */
	if (dladdr1(sym, &info, (void **)&syment, RTLD_DL_SYMENT) && syment &&
	    syment->st_size > 0)
		have_size = syment->st_size;
	if (have_size && have_size < END_OF(name)) {
		r = diag_set(-ENOEXEC, "backend \"%s\": symbol \"%s\" is %zu bytes, "
		             "smaller than the fixed header (%zu)", f->path,
		             SKD_BACKEND_SYMBOL, have_size, END_OF(name));
		goto out;
	}
	vt = sym;
	if (vt->abi_major != SKD_ABI_MAJOR) {
		r = diag_set(-EPROTO, "backend \"%s\": ABI major %u, expected %u",
		             f->path, vt->abi_major, SKD_ABI_MAJOR);
		goto out;
	}
	need = backend_size_at_minor[vt->abi_minor < N_ELEMENTS(backend_size_at_minor) ?
	                             vt->abi_minor : N_ELEMENTS(backend_size_at_minor) - 1];
	if (vt->struct_size < need) {
		r = diag_set(-EPROTO, "backend \"%s\": struct_size %u is too small for "
		             "ABI %u.%u, expected at least %zu", f->path,
		             vt->struct_size, vt->abi_major, vt->abi_minor, need);
		goto out;
	}
	if (have_size && vt->struct_size > have_size) {
		r = diag_set(-EPROTO, "backend \"%s\": struct_size %u is larger than "
		             "the symbol \"%s\" (%zu bytes)", f->path, vt->struct_size,
		             SKD_BACKEND_SYMBOL, have_size);
		goto out;
	}
	if (!vt->name || strcmp(vt->name, f->note.name) != 0) {
		char tmp[68];

		snprintf(tmp, sizeof(tmp), "%s", vt->name ? vt->name : "(null)");
		for (char *p = tmp; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				*p = '?';
		r = diag_set(-EPROTO, "backend \"%s\": vtable name \"%s\" differs from "
		             "its note name \"%s\"", f->path, tmp, f->note.name);
		goto out;
	}
	{
		/* the operations the host calls without asking (backend.h) */
		const struct { const char *name; bool present; } required[] = {
			{ "get_facts", vt->get_facts },
			{ "packages_query", vt->packages_query },
			{ "packages_install", vt->packages_install },
			{ "packages_remove", vt->packages_remove },
			{ "bootloader_get_crashkernel", vt->bootloader_get_crashkernel },
			{ "bootloader_set_crashkernel", vt->bootloader_set_crashkernel },
			{ "bootloader_remove_crashkernel", vt->bootloader_remove_crashkernel },
			{ "bootloader_regenerate", vt->bootloader_regenerate },
			{ "service_enable", vt->service_enable },
			{ "service_disable", vt->service_disable },
			{ "service_start", vt->service_start },
			{ "service_stop", vt->service_stop },
			{ "service_is_enabled", vt->service_is_enabled },
			{ "service_is_active", vt->service_is_active },
		};

		for (size_t i = 0; i < N_ELEMENTS(required); i++)
			if (!required[i].present) {
				r = diag_set(-EPROTO, "backend \"%s\": required operation "
				             "%s is NULL", f->path, required[i].name);
				goto out;
			}
	}

	ret->handle = handle;
	ret->vt = vt;
	ret->file = f;
	handle = NULL;
	r = 0;
out:
	if (handle)
		dlclose(handle);
	if (fd >= 0)
		close(fd);
	note_clear(&note);
	return r;
}

void backend_unload(struct loaded_backend *b)
{
	if (!b)
		return;
	if (b->handle)
		dlclose(b->handle);
	memset(b, 0, sizeof(*b));
}

static int strv_push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv;
	char *copy;

	/* first occurrence wins; later copies add nothing */
	for (size_t i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && memcmp((*v)[i], s, len) == 0)
			return 0;
	copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	nv = realloc(*v, (*n + 2) * sizeof(char *));
	if (!nv) {
		free(copy);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = copy;
	nv[*n] = NULL;
	return 0;
}

int backends_default_dirs(const char *const *cli_dirs, char ***ret)
{
	char **v = NULL;
	size_t n = 0;
	const char *env;
	char exe[PATH_MAX];
	ssize_t len;
	int r;

	assert(ret);

	v = calloc(1, sizeof(char *));
	if (!v)
		return diag_set(-ENOMEM, "out of memory");

	for (size_t i = 0; cli_dirs && cli_dirs[i]; i++) {
		r = strv_push(&v, &n, cli_dirs[i], strlen(cli_dirs[i]));
		if (r < 0)
			goto oom;
	}

	env = secure_getenv("SKYHOOK_KDUMP_BACKEND_PATH");
	for (const char *p = env; p && *p;) {
		const char *e = strchr(p, ':');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l > 0) {
			r = strv_push(&v, &n, p, l);
			if (r < 0)
				goto oom;
		}
		p += l + (e ? 1 : 0);
	}

	/* next to the binary, so an unpacked copy finds its own backends */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			char buf[PATH_MAX + 64];
			char *parent;
			int l;

			*slash = '\0';
			l = snprintf(buf, sizeof(buf), "%s/backends", exe);
			r = strv_push(&v, &n, buf, (size_t)l);
			if (r < 0)
				goto oom;
			/* bin/../lib/..., spelled as the installed path is */
			parent = strrchr(exe, '/');
			if (parent)
				*parent = '\0';
			l = snprintf(buf, sizeof(buf), "%s/lib/skyhook-kdump/backends", exe);
			r = strv_push(&v, &n, buf, (size_t)l);
			if (r < 0)
				goto oom;
		}
	}

	r = strv_push(&v, &n, BACKEND_DIR, strlen(BACKEND_DIR));
	if (r < 0)
		goto oom;

	*ret = v;
	return 0;
oom:
	skd_strv_free(v);
	return diag_set(-ENOMEM, "out of memory");
}
