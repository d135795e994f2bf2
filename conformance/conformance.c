/* SPDX-License-Identifier: Apache-2.0 */
/*
 * skyhook-kdump-conformance BACKEND.so FIXTURE_ROOT
 *
 * Checks that a backend follows skyhook-kdump-backend(7): its ELF note, its
 * exported symbols and vtable, that the host's loader accepts it, that its
 * facts are sane, and then runs every lifecycle mode of the skyhook-kdump
 * program on a temporary copy of FIXTURE_ROOT with the recording command
 * runner and the fake tools: a dry run changes nothing, a second apply and
 * config change nothing, and uninstall gives the root back.
 *
 * One "PASS: ..." or "FAIL: ..." line per check on stdout; exit status 0
 * when every check passed, 1 when one failed, 2 on a usage error.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <getopt.h>
#include <libelf.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "crashkernel.h"
#include "diag.h"
#include "host.h"
#include "loader.h"
#include "memory.h"
#include "note.h"
#include "osrelease.h"
#include "runner.h"
#include "strv.h"
#include "sysroot.h"

#ifndef BINDIR
#define BINDIR "/usr/local/bin"
#endif
#ifndef FAKE_TOOLS_DIR
#define FAKE_TOOLS_DIR "/usr/local/share/skyhook-kdump/conformance/fake-tools"
#endif

#define END_OF(member) \
	(offsetof(struct skd_backend, member) + sizeof(((struct skd_backend *)0)->member))

/* ---- options and results ----------------------------------------------- */

static struct {
	const char *backend;
	const char *fixture;
	const char *host;
	const char *fake_tools;
	const char *crashkernel;
	char **allowed;         /* --allow-leftover globs */
	bool keep;
	bool verbose;
} opt = { .crashkernel = "512M" };

static unsigned n_pass, n_fail;
static char *work;              /* the temporary work area */

static void pass(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void pass(const char *fmt, ...)
{
	va_list ap;

	n_pass++;
	fputs("PASS: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	n_fail++;
	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Details under a check, indented. */
static void info(const char *fmt, ...)
{
	va_list ap;

	fputs("      ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void check(bool ok, const char *what)
{
	if (ok)
		pass("%s", what);
	else
		fail("%s", what);
}

static char *path_join(const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, "%s/%s", a, b) < 0) {
		perror("skyhook-kdump-conformance");
		exit(2);
	}
	return p;
}

/* ---- files and trees ---------------------------------------------------- */

static int read_all(const char *path, char **ret, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return -errno;
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	*ret = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

static int write_all(const char *path, const char *data, mode_t mode)
{
	FILE *f;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	fputs(data, f);
	return fclose(f) == 0 ? 0 : -errno;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char *data;
	size_t len;
	int fd, r = read_all(from, &data, &len);

	if (r < 0)
		return r;
	errno = 0;
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	/* read_all() sets data whenever it returns 0; the analyzer takes
	 * its -errno after a failed fopen() for 0 */
	// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		/* a short write sets no errno */
		r = errno ? -errno : -EIO;
		if (fd >= 0)
			close(fd);
		/* as above */
		// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
		free(data);
		return r;
	}
	free(data);
	if (fchmod(fd, mode) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* cp -a without owners: directories, regular files and symlinks, with
 * their modes (plus owner write, so the copy of a read-only source tree
 * can be changed as the tools would change it). */
static int copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *de;
	struct stat st;
	int r = 0;

	if (!d)
		return -errno;
	if (stat(from, &st) < 0 || (mkdir(to, 0700) < 0 && errno != EEXIST)) {
		closedir(d);
		return -errno;
	}
	while (r == 0 && (de = readdir(d))) {
		char *f, *t;
		struct stat s;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		f = path_join(from, de->d_name);
		t = path_join(to, de->d_name);
		if (lstat(f, &s) < 0) {
			r = -errno;
		} else if (S_ISDIR(s.st_mode)) {
			r = copy_tree(f, t);
		} else if (S_ISLNK(s.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(f, target, sizeof(target) - 1);

			if (n < 0)
				r = -errno;
			else {
				target[n] = '\0';
				if (symlink(target, t) < 0)
					r = -errno;
			}
		} else if (S_ISREG(s.st_mode)) {
			r = copy_file(f, t, (s.st_mode & 07777) | S_IWUSR);
		}
		if (r < 0)
			fprintf(stderr, "skyhook-kdump-conformance: copying \"%s\": %s\n",
			        f, strerror(-r));
		free(f);
		free(t);
	}
	closedir(d);
	if (r == 0 && chmod(to, (st.st_mode & 07777) | S_IWUSR) < 0)
		r = -errno;
	return r;
}

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			char *p;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			p = path_join(path, de->d_name);
			remove_tree(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

static int mkdir_p(const char *path, mode_t mode)
{
	char *p = strdup(path);
	int r = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				r = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return r;
}

/* One entry of a tree: path relative to the root ("etc/default/grub"),
 * type, permission bits, symlink target, content of regular files. */
struct entry {
	char *path;
	char type;              /* 'd', 'f', 'l', 'o' */
	unsigned mode;
	char *link;
	char *data;
	size_t len;
};

struct tree {
	struct entry *e;
	size_t n;
};

static void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].path);
		free(t->e[i].link);
		free(t->e[i].data);
	}
	free(t->e);
	memset(t, 0, sizeof(*t));
}

static int tree_walk(struct tree *t, const char *top, const char *rel)
{
	char *dir = rel ? path_join(top, rel) : strdup(top);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	int r = 0;

	if (!d) {
		free(dir);
		return -errno;
	}
	while (r == 0 && (de = readdir(d))) {
		struct entry *e, *ne;
		char *full;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ne = realloc(t->e, (t->n + 1) * sizeof(*ne));
		if (!ne) {
			r = -ENOMEM;
			break;
		}
		t->e = ne;
		e = &t->e[t->n++];
		memset(e, 0, sizeof(*e));
		e->path = rel ? path_join(rel, de->d_name) : strdup(de->d_name);
		full = path_join(dir, de->d_name);
		if (lstat(full, &st) < 0) {
			r = -errno;
		} else {
			e->mode = st.st_mode & 07777;
			if (S_ISDIR(st.st_mode)) {
				e->type = 'd';
				r = tree_walk(t, top, e->path);
			} else if (S_ISLNK(st.st_mode)) {
				char target[PATH_MAX];
				ssize_t n = readlink(full, target, sizeof(target) - 1);

				e->type = 'l';
				target[n < 0 ? 0 : n] = '\0';
				e->link = strdup(target);
			} else if (S_ISREG(st.st_mode)) {
				e->type = 'f';
				r = read_all(full, &e->data, &e->len);
			} else {
				e->type = 'o';
			}
		}
		free(full);
	}
	closedir(d);
	free(dir);
	return r;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static int tree_read(const char *top, struct tree *ret)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = tree_walk(ret, top, NULL);
	if (r < 0) {
		tree_free(ret);
		return r;
	}
	if (ret->n)  /* an empty tree has no array: qsort() wants one */
		qsort(ret->e, ret->n, sizeof(*ret->e), cmp_entry);
	return 0;
}

static const struct entry *tree_find(const struct tree *t, const char *path)
{
	struct entry key = { .path = (char *)path };

	return t->n ? bsearch(&key, t->e, t->n, sizeof(*t->e), cmp_entry) : NULL;
}

static bool entry_equal(const struct entry *a, const struct entry *b)
{
	if (a->type != b->type || a->mode != b->mode)
		return false;
	if (a->type == 'l')
		return strcmp(a->link, b->link) == 0;
	if (a->type == 'f')
		return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
	return true;
}

/* The paths that differ between two trees, sorted: a NULL-terminated
 * vector of "added PATH", "removed PATH", "changed PATH". */
static char **tree_diff(const struct tree *a, const struct tree *b)
{
	char **out = calloc(1, sizeof(char *));
	size_t i = 0, j = 0;

	while (out && (i < a->n || j < b->n)) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->e[i].path, b->e[j].path);
		char *line = NULL;

		if (c < 0) {
			if (asprintf(&line, "removed %s", a->e[i++].path) < 0)
				line = NULL;
		} else if (c > 0) {
			if (asprintf(&line, "added %s", b->e[j++].path) < 0)
				line = NULL;
		} else {
			if (!entry_equal(&a->e[i], &b->e[j]) &&
			    asprintf(&line, "changed %s", a->e[i].path) < 0)
				line = NULL;
			i++, j++;
		}
		if (line) {
			strv_push(&out, line);
			free(line);
		}
	}
	return out;
}

static bool path_is(const char *path, const char *prefix);

/* ---- running the host --------------------------------------------------- */

static char *root_dir, *configmaps_dir, *backends_dir, *log_path, *out_path;
static char *backend_name;

/* Runs `skyhook-kdump ... MODE` on the work root; returns its exit status
 * (or -1 when it could not run or died). Output goes to out_path, the
 * commands to log_path. */
static int run_host(bool dry_run, const char *mode)
{
	const char *argv[16];
	int n = 0, status;
	pid_t pid;

	argv[n++] = opt.host;
	argv[n++] = "--root";
	argv[n++] = root_dir;
	argv[n++] = "--configmaps";
	argv[n++] = configmaps_dir;
	argv[n++] = "--backend-dir";
	argv[n++] = backends_dir;
	argv[n++] = "--backend";
	argv[n++] = backend_name;
	if (dry_run)
		argv[n++] = "--dry-run";
	argv[n++] = mode;
	argv[n] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int lfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || lfd < 0)
			_exit(127);
		close(lfd);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execv(opt.host, (char *const *)argv);
		fprintf(stderr, "cannot run \"%s\": %s\n", opt.host, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void show_file(const char *path, const char *title)
{
	char *data, *line, *save = NULL;

	if (read_all(path, &data, NULL) < 0)
		return;
	if (*data)
		info("%s", title);
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		info("  %s", line);
	free(data);
}

static bool mode_ok(bool dry_run, const char *mode, int want)
{
	int status = run_host(dry_run, mode);

	if (status == want) {
		pass("%s%s exits %d", dry_run ? "--dry-run " : "", mode, want);
		if (opt.verbose) {
			show_file(out_path, "output:");
			show_file(log_path, "commands:");
		}
		return true;
	}
	fail("%s%s exits %d, expected %d", dry_run ? "--dry-run " : "", mode,
	     status, want);
	show_file(out_path, "output:");
	show_file(log_path, "commands:");
	return false;
}

/* Commands that install, remove, regenerate or restart something. */
static const char changing_pattern[] =
	"(^| )(install|in|reinstall|update|up|upgrade|dup|remove|rm|purge|erase|"
	"enable|disable|start|stop|restart|reload|mask|unmask|"
	"--update-kernel[= ].*|--args[= ].*|--remove-args[= ].*|"
	"-o|--output=.*|reset|_reset.*)( |$)|"
	"(^|/)(update-grub|grub2?-mkconfig|update-bootloader)( |$)";

static bool no_changing_commands(const char *what)
{
	regex_t re;
	char *data, *line, *save = NULL;
	unsigned bad = 0;

	if (regcomp(&re, changing_pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		fail("internal error: bad pattern");
		return false;
	}
	if (read_all(log_path, &data, NULL) < 0)
		data = strdup("");
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (regexec(&re, line, 0, NULL, 0) == 0) {
			if (!bad++)
				fail("%s runs no command that changes the system", what);
			info("ran: %s", line);
		}
	if (!bad)
		pass("%s runs no command that changes the system", what);
	free(data);
	regfree(&re);
	return bad == 0;
}

/* `ignore`: a path (and what is below) that may differ, or NULL. */
static bool tree_unchanged(const struct tree *before, const char *what,
                           const char *ignore)
{
	struct tree now;
	char **diff;
	bool ok;

	if (tree_read(root_dir, &now) < 0) {
		fail("%s: cannot read the root", what);
		return false;
	}
	diff = tree_diff(before, &now);
	if (diff && ignore) {
		size_t o = 0;

		for (size_t i = 0; diff[i]; i++) {
			if (path_is(strchr(diff[i], ' ') + 1, ignore))
				free(diff[i]);
			else
				diff[o++] = diff[i];
		}
		diff[o] = NULL;
	}
	ok = diff && !diff[0];
	check(ok, what);
	for (char **p = diff; p && *p; p++)
		info("%s", *p);
	strv_free(diff);
	tree_free(&now);
	return ok;
}

/* ---- leftovers ---------------------------------------------------------- */

static bool path_is(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whitespace- and quote-separated words of a file, sorted, joined by
 * '\n'; with `prefix` only the words that start with it, once each. */
static char *sorted_words(const struct entry *e, const char *prefix)
{
	char *copy, **words, *joined;
	size_t n, o = 0;

	if (!e || e->type != 'f')
		return strdup("");
	copy = strndup(e->data, e->len);
	if (!copy)
		return NULL;
	words = strv_split(copy, " \t\n\"'");
	free(copy);
	if (!words)
		return NULL;
	n = strv_length(words);
	qsort(words, n, sizeof(char *), cmp_strp);
	for (size_t i = 0; i < n; i++) {
		if (prefix && (strncmp(words[i], prefix, strlen(prefix)) != 0 ||
		               (o > 0 && strcmp(words[o - 1], words[i]) == 0))) {
			free(words[i]);
			continue;
		}
		words[o++] = words[i];
	}
	words[o] = NULL;
	joined = strv_join(words, "\n");
	strv_free(words);
	return joined;
}

static bool same_words(const struct entry *a, const struct entry *b,
                       const char *prefix)
{
	char *wa = sorted_words(a, prefix), *wb = sorted_words(b, prefix);
	bool same = wa && wb && strcmp(wa, wb) == 0;

	free(wa);
	free(wb);
	return same;
}

/* True when nothing but directories is at or below `path` in `t`. */
static bool only_directories(const struct tree *t, const char *path)
{
	const struct entry *e = tree_find(t, path);

	if (!e || e->type != 'd')
		return false;
	for (size_t i = (size_t)(e - t->e) + 1; i < t->n && path_is(t->e[i].path, path); i++)
		if (t->e[i].type != 'd')
			return false;
	return true;
}

/* Why a path may differ after uninstall, or NULL. */
static const char *leftover_reason(const struct tree *orig, const struct tree *now,
                                   const char *path)
{
	const struct entry *a = tree_find(orig, path), *b = tree_find(now, path);
	char slash_path[PATH_MAX];

	if (path_is(path, "proc") || path_is(path, "sys"))
		return "simulated boot";
	if (path_is(path, "var/lib/skd-fake"))
		return "fake tools' state";
	if (!strcmp(path, "var/lib/apt") || path_is(path, "var/lib/apt/lists"))
		return "package lists";
	if (!strcmp(path, "var/lib/skyhook-kdump") ||
	    !strcmp(path, "var/lib/skyhook-kdump/uninstalled") ||
	    !strcmp(path, "var/lib/skyhook-kdump/lock"))
		return "skyhook-kdump's uninstall marker";
	if ((!strcmp(path, "boot/grub/grub.cfg") || !strcmp(path, "boot/grub2/grub.cfg") ||
	     fnmatch("boot/efi/EFI/*/grub.cfg", path, FNM_PATHNAME) == 0) &&
	    a && b && same_words(a, b, "crashkernel="))
		return "boot menu regenerated, with the same crashkernel=";
	/* removing kdump's packages triggers a rebuild (initramfs-tools) */
	if (a && b && (fnmatch("boot/initrd.img-*", path, FNM_PATHNAME) == 0 ||
	               fnmatch("boot/initramfs-*.img", path, FNM_PATHNAME) == 0))
		return "initrd rebuilt by the package manager";
	/* built by config as the kdump service would at start (ABI 1.5);
	 * removing kexec-tools or kdump-utils leaves it, as after the service */
	if (!a && b && fnmatch("boot/initramfs-*kdump.img", path, FNM_PATHNAME) == 0)
		return "capture initrd, which removing the kdump package leaves";
	if (!a && b && only_directories(now, path))
		return "empty directory";
	if (a && b && a->type == 'f' && b->type == 'f' && a->mode == b->mode &&
	    same_words(a, b, NULL))
		return "same words in another order (the restored crashkernel= moved)";
	snprintf(slash_path, sizeof(slash_path), "/%s", path);
	for (char **g = opt.allowed; g && *g; g++)
		if (fnmatch(*g, slash_path, 0) == 0)
			return "declared (--allow-leftover)";
	return NULL;
}

static void check_restored(const struct tree *orig)
{
	struct tree now;
	char **diff;
	unsigned bad = 0;

	if (tree_read(root_dir, &now) < 0) {
		fail("uninstall restores the root: cannot read it");
		return;
	}
	diff = tree_diff(orig, &now);
	for (char **p = diff; p && *p; p++) {
		const char *path = strchr(*p, ' ') + 1;

		if (!leftover_reason(orig, &now, path))
			bad++;
	}
	if (bad)
		fail("uninstall restores the root (%u undocumented difference%s)", bad,
		     bad == 1 ? "" : "s");
	else
		pass("uninstall restores the root");
	for (char **p = diff; p && *p; p++) {
		const char *path = strchr(*p, ' ') + 1;
		const char *why = leftover_reason(orig, &now, path);

		info("%s: %s", *p, why ? why : "UNDOCUMENTED");
	}
	strv_free(diff);
	tree_free(&now);
}

/* ---- static checks ------------------------------------------------------ */

static struct backend_note note;

static bool check_note(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *ids;
	int r;

	if (fd < 0) {
		fail("note: cannot open \"%s\": %s", path, strerror(errno));
		return false;
	}
	diag_clear();
	r = note_read_fd(fd, path, &note);
	close(fd);
	if (r == -ENOENT) {
		fail("note: no %s note of owner \"%s\" and type 0x%08x (use "
		     "SKD_BACKEND_NOTE once at file scope)", SKD_NOTE_SECTION,
		     SKD_NOTE_OWNER, SKD_NOTE_TYPE);
		return false;
	}
	if (r < 0) {
		fail("note: %s", diag_message());
		return false;
	}
	ids = strv_join(note.ids, " ");
	pass("note: well-formed (format=1, name=%s, abi=%u.%u, ids=%s)", note.name,
	     note.abi_major, note.abi_minor, ids ? ids : "");
	free(ids);
	if (note.abi_major == SKD_ABI_MAJOR)
		pass("note: ABI major %u is the host's", note.abi_major);
	else
		fail("note: ABI major %u, this host implements %u.%u", note.abi_major,
		     SKD_ABI_MAJOR, SKD_ABI_MINOR);
	check(note.ids && note.ids[0], "note: serves at least one os-release ID");
	return note.abi_major == SKD_ABI_MAJOR && note.ids && note.ids[0];
}

/* The defined, global dynamic symbols: exactly skd_backend. */
static void check_exports(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	char **extra = calloc(1, sizeof(char *));
	bool found = false;

	if (fd < 0 || elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ, NULL)) || elf_kind(elf) != ELF_K_ELF) {
		fail("exports: \"%s\" is not a readable ELF file", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (size_t i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
				continue;
			if (GELF_ST_BIND(sym.st_info) == STB_LOCAL ||
			    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			if (!strcmp(name, SKD_BACKEND_SYMBOL)) {
				found = true;
				if (GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
					strv_push(&extra, "skd_backend (not a data object)");
			} else {
				strv_push(&extra, name);
			}
		}
	}
	if (!found)
		fail("exports: no dynamic symbol \"%s\"", SKD_BACKEND_SYMBOL);
	else if (extra && extra[0]) {
		char *list = strv_join(extra, " ");

		fail("exports: only \"%s\" (also exported: %s; build with "
		     "-fvisibility=hidden)", SKD_BACKEND_SYMBOL, list ? list : "?");
		free(list);
	} else
		pass("exports: only \"%s\"", SKD_BACKEND_SYMBOL);
out:
	strv_free(extra);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
}

#define OP(name) { #name, offsetof(struct skd_backend, name), END_OF(name) }
struct op_info {
	const char *name;
	size_t offset, end;
};
static const struct op_info required_ops[] = {
	OP(get_facts), OP(packages_query), OP(packages_install), OP(packages_remove),
	OP(bootloader_get_crashkernel), OP(bootloader_set_crashkernel),
	OP(bootloader_remove_crashkernel), OP(bootloader_regenerate),
	OP(service_enable), OP(service_disable), OP(service_start), OP(service_stop),
	OP(service_is_enabled), OP(service_is_active),
};
static const struct op_info optional_ops[] = {
	OP(init), OP(fini), OP(service_restart), OP(kdump_config_ensure_enabled),
	OP(kdump_config_prepare), OP(auto_crashkernel), OP(kexec_syscall),
	OP(capture_cmdline), OP(kdump_initrd), OP(kdump_config_is_enabled),
	OP(bootloader_check_crashkernel), OP(bootloader_others_crashkernel),
};
#undef OP

static bool has_op(const struct skd_backend *vt, const struct op_info *op)
{
	void *fn;

	if (op->end > vt->struct_size)
		return false;
	memcpy(&fn, (const char *)vt + op->offset, sizeof(fn));
	return fn != NULL;
}

/* The vtable, read directly, each rule its own check. */
static bool check_vtable(const char *path)
{
	void *handle;
	const struct skd_backend *vt;
	bool ok = true;
	char missing[512] = "", provided[512] = "";

	dlerror();
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *e = dlerror();

		fail("dlopen(RTLD_NOW): %s", e ? e : "failed");
		return false;
	}
	pass("dlopen(RTLD_NOW) resolves every symbol");
	vt = dlsym(handle, SKD_BACKEND_SYMBOL);
	if (!vt) {
		fail("vtable: no symbol \"%s\" (export it with SKD_BACKEND_EXPORT)",
		     SKD_BACKEND_SYMBOL);
		dlclose(handle);
		return false;
	}
	if (vt->abi_major == SKD_ABI_MAJOR)
		pass("vtable: ABI major %u", vt->abi_major);
	else {
		fail("vtable: ABI major %u, expected %u (fill the header with "
		     "SKD_BACKEND_HEADER)", vt->abi_major, SKD_ABI_MAJOR);
		ok = false;
	}
	if (vt->struct_size >= END_OF(kdump_config_ensure_enabled))
		pass("vtable: struct_size %u covers ABI %u.0 (at least %zu)",
		     vt->struct_size, SKD_ABI_MAJOR, END_OF(kdump_config_ensure_enabled));
	else {
		fail("vtable: struct_size %u, smaller than ABI %u.0 needs (%zu)",
		     vt->struct_size, SKD_ABI_MAJOR, END_OF(kdump_config_ensure_enabled));
		ok = false;
	}
	if (vt->abi_minor == note.abi_minor && vt->abi_major == note.abi_major)
		pass("vtable and note agree on the ABI (%u.%u)", vt->abi_major, vt->abi_minor);
	else {
		fail("vtable says ABI %u.%u, note says %u.%u", vt->abi_major,
		     vt->abi_minor, note.abi_major, note.abi_minor);
		ok = false;
	}
	if (vt->name && !strcmp(vt->name, note.name))
		pass("vtable name \"%s\" is the note's", vt->name);
	else {
		fail("vtable name \"%s\", note name \"%s\"", vt->name ? vt->name : "(null)",
		     note.name);
		ok = false;
	}
	for (size_t i = 0; i < sizeof(required_ops) / sizeof(required_ops[0]); i++)
		if (!has_op(vt, &required_ops[i]))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			         " %s", required_ops[i].name);
	if (!*missing)
		pass("vtable: every required operation is present");
	else {
		fail("vtable: required operations missing:%s", missing);
		ok = false;
	}
	for (size_t i = 0; i < sizeof(optional_ops) / sizeof(optional_ops[0]); i++)
		if (has_op(vt, &optional_ops[i]))
			snprintf(provided + strlen(provided), sizeof(provided) - strlen(provided),
			         " %s", optional_ops[i].name);
	info("optional operations provided:%s", *provided ? provided : " none");
	dlclose(handle);
	return ok;
}

/* The host's own scan and loader, as skyhook-kdump runs them. */
static bool check_host_loader(struct backend_list *list)
{
	const char *dirs[] = { backends_dir, NULL };
	const struct backend_file *f;
	struct loaded_backend lb = { 0 };

	if (backends_scan(dirs, list) < 0) {
		fail("host loader: scan: %s", diag_message());
		return false;
	}
	for (size_t i = 0; i < list->n_files; i++)
		if (list->files[i].rejected) {
			fail("host loader: %s", list->files[i].rejected);
			return false;
		}
	if (backends_select(list, NULL, note.name, &f, NULL) < 0) {
		fail("host loader: %s", diag_message());
		return false;
	}
	if (backend_load(f, &lb) < 0) {
		fail("host loader: %s", diag_message());
		return false;
	}
	backend_unload(&lb);
	pass("host loader accepts it (trust rules, note, ABI, operations)");
	return true;
}

/* ---- facts -------------------------------------------------------------- */

struct facts_copy {
	char *service, *kdump_config_path, *default_crashkernel, *default_dump_dir;
	int kdump_config_format;
};

static bool is_word(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '/' || *s == '\'' || *s == '"' || *s == '\\')
			return false;
	return true;
}

/* ---- what the distribution's tools decide (ABI 1.3) --------------------- */

/* Bytes in the command log: the recording runner adds a line a command. */
static long long log_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

/* A kernel release of the fixture (its first /boot/vmlinuz-*), else a
 * made-up one: kdump_initrd only names paths. */
static char *fixture_release(const char *root)
{
	char *boot = path_join(root, "boot"), *rel = NULL;
	DIR *d = opendir(boot);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "vmlinuz-", 8) && de->d_name[8] &&
		    !strstr(de->d_name, "rescue") && (!rel || strcmp(de->d_name + 8, rel) < 0)) {
			free(rel);
			rel = strdup(de->d_name + 8);
		}
	if (d)
		closedir(d);
	free(boot);
	return rel ? rel : strdup("0.0.0-conformance");
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

/* auto_crashkernel, kexec_syscall, capture_cmdline and kdump_initrd, which
 * a 1.3 backend must answer: the host names no distribution and asks. */
static void check_tool_ops(const struct skd_backend *vt, const struct skd_host *h,
                           const char *root, const char *log)
{
	static const struct { const char *name; size_t offset, end; } ops[] = {
		{ "auto_crashkernel", offsetof(struct skd_backend, auto_crashkernel),
		  END_OF(auto_crashkernel) },
		{ "kexec_syscall", offsetof(struct skd_backend, kexec_syscall),
		  END_OF(kexec_syscall) },
		{ "capture_cmdline", offsetof(struct skd_backend, capture_cmdline),
		  END_OF(capture_cmdline) },
		{ "kdump_initrd", offsetof(struct skd_backend, kdump_initrd),
		  END_OF(kdump_initrd) },
	};
	char missing[256] = "";

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct op_info op = { ops[i].name, ops[i].offset, ops[i].end };

		if (!has_op(vt, &op))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			         " %s", ops[i].name);
	}
	if (*missing) {
		fail("ABI 1.%u backend: operations of 1.3 missing:%s (the host asks them "
		     "instead of naming a distribution)", vt->abi_minor, missing);
		return;
	}
	pass("ABI 1.%u backend: has auto_crashkernel, kexec_syscall, capture_cmdline "
	     "and kdump_initrd", vt->abi_minor);

	/* auto_crashkernel: a crashkernel= value with its basis, both ways;
	 * with SKD_AUTO_NO_PROCESS no command at all */
	for (int i = 0; i < 2; i++) {
		uint32_t flags = i == 0 ? SKD_AUTO_NO_PROCESS : 0;
		const char *how = i == 0 ? "auto_crashkernel(SKD_AUTO_NO_PROCESS)"
		                         : "auto_crashkernel(0)";
		char *value = NULL, *basis = NULL;
		struct crashkernel *ck = NULL;
		long long before = log_size(log);
		int r = vt->auto_crashkernel(h, flags, &value, &basis);

		if (r < 0)
			fail("%s: %d (%s)", how, r, diag_message()[0] ? diag_message() :
			     "no message given with h->error");
		else if (!value || crashkernel_parse(value, strlen(value), "auto_crashkernel",
		                                     &ck) < 0 || crashkernel_is_auto(ck))
			fail("%s returns a crashkernel= value (%s)", how, or_null(value));
		else if (!nonempty(basis))
			fail("%s gives a basis with its value (%s)", how, value);
		else
			pass("%s: %s (%s)", how, value, basis);
		if (i == 0) {
			if (log_size(log) == before)
				pass("auto_crashkernel(SKD_AUTO_NO_PROCESS) starts no process");
			else
				fail("auto_crashkernel(SKD_AUTO_NO_PROCESS) starts a process "
				     "(see the host's command log)");
		}
		crashkernel_free(ck);
		free(value);
		free(basis);
		diag_clear();
	}

	/* kexec_syscall: one of the two names or NULL, with a basis */
	for (int sb = 0; sb < 2; sb++) {
		const char *syscall = NULL;
		char *basis = NULL;
		int r = vt->kexec_syscall(h, sb, &syscall, &basis);

		if (r < 0)
			fail("kexec_syscall(secure_boot=%d): %d", sb, r);
		else if (syscall && strcmp(syscall, "kexec_file_load") != 0 &&
		         strcmp(syscall, "kexec_load") != 0)
			fail("kexec_syscall(secure_boot=%d) names \"kexec_file_load\", "
			     "\"kexec_load\" or NULL (\"%s\")", sb, syscall);
		else if (!nonempty(basis))
			fail("kexec_syscall(secure_boot=%d) gives a basis", sb);
		else
			pass("kexec_syscall(secure_boot=%d): %s (%s)", sb, or_null(syscall),
			     basis);
		free(basis);
		diag_clear();
	}

	/* capture_cmdline: what is appended and where it comes from; a base
	 * (NULL: /proc/cmdline) says where it comes from too */
	{
		char *base = NULL, *base_from = NULL, *append = NULL, *append_from = NULL;
		int r = vt->capture_cmdline(h, &base, &base_from, &append, &append_from);

		if (r < 0)
			fail("capture_cmdline: %d", r);
		else if (!append || !nonempty(append_from))
			fail("capture_cmdline returns what the tools append and where it "
			     "comes from (\"%s\" from \"%s\")", or_null(append), or_null(append_from));
		else if (base && !nonempty(base_from))
			fail("capture_cmdline says where its base comes from (\"%s\")", base);
		else
			pass("capture_cmdline: base %s (%s), append \"%s\" (%s)",
			     base ? base : "/proc/cmdline", base ? base_from : "the running kernel's",
			     append, append_from);
		free(base);
		free(base_from);
		free(append);
		free(append_from);
		diag_clear();
	}

	/* kdump_initrd: absolute paths for a release */
	{
		char *release = fixture_release(root), *path = NULL, *stand_in = NULL;
		int r = vt->kdump_initrd(h, release, &path, &stand_in);

		if (r < 0)
			fail("kdump_initrd(\"%s\"): %d", release, r);
		else if (!path || path[0] != '/' || (stand_in && stand_in[0] != '/'))
			fail("kdump_initrd(\"%s\") returns absolute paths (%s; %s)", release,
			     or_null(path), or_null(stand_in));
		else
			pass("kdump_initrd(\"%s\"): %s (stand-in %s)", release, path,
			     or_null(stand_in));
		free(release);
		free(path);
		free(stand_in);
		diag_clear();
	}
}

/* boot_kernel_release and kdump_initrd_stale (1.5, optional): read only,
 * no process; a stale answer is one non-empty line. */
static void check_initrd_ops(const struct skd_backend *vt, const struct skd_host *h,
                             const char *log)
{
	struct op_info boot = { "boot_kernel_release", offsetof(struct skd_backend,
	                        boot_kernel_release), END_OF(boot_kernel_release) };
	struct op_info stale = { "kdump_initrd_stale", offsetof(struct skd_backend,
	                         kdump_initrd_stale), END_OF(kdump_initrd_stale) };
	char *release = NULL, *basis = NULL, *why = NULL;
	long long before = log_size(log);
	int r;

	if (has_op(vt, &boot)) {
		r = vt->boot_kernel_release(h, &release, &basis);
		if (r < 0)
			fail("boot_kernel_release(): %d", r);
		else if (release && !nonempty(basis))
			fail("boot_kernel_release(): %s without a basis", release);
		else
			pass("boot_kernel_release(): %s (%s)", or_null(release), or_null(basis));
	}
	if (has_op(vt, &stale)) {
		r = vt->kdump_initrd_stale(h, release ? release : "0.0.0-conformance", &why);
		if (r < 0)
			fail("kdump_initrd_stale(): %d", r);
		else if (why && !*why)
			fail("kdump_initrd_stale(): an empty reason");
		else
			pass("kdump_initrd_stale(): %s", why ? why : "up to date");
	}
	if (log_size(log) != before)
		fail("boot_kernel_release or kdump_initrd_stale started a process");
	free(release);
	free(basis);
	free(why);
}

/* kdump_config_is_enabled and bootloader_check_crashkernel, which a 1.4
 * backend must answer: the check modes use them to tell whether config
 * would change anything. Read only: no file written, no process. */
static void check_check_ops(const struct skd_backend *vt, const struct skd_host *h,
                            const char *log)
{
	static const struct { const char *name; size_t offset, end; } ops[] = {
		{ "kdump_config_is_enabled", offsetof(struct skd_backend, kdump_config_is_enabled),
		  END_OF(kdump_config_is_enabled) },
		{ "bootloader_check_crashkernel",
		  offsetof(struct skd_backend, bootloader_check_crashkernel),
		  END_OF(bootloader_check_crashkernel) },
	};
	char missing[128] = "", *basis = NULL, *drift = NULL;
	long long before = log_size(log);
	bool enabled = false;
	int r;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct op_info op = { ops[i].name, ops[i].offset, ops[i].end };

		if (!has_op(vt, &op))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			         " %s", ops[i].name);
	}
	if (*missing) {
		fail("ABI 1.%u backend: operations of 1.4 missing:%s (the check modes "
		     "ask them: a check that passes means config changes nothing)",
		     vt->abi_minor, missing);
		return;
	}
	pass("ABI 1.%u backend: has kdump_config_is_enabled and "
	     "bootloader_check_crashkernel", vt->abi_minor);
	r = vt->kdump_config_is_enabled(h, &enabled, &basis);
	if (r < 0)
		fail("kdump_config_is_enabled(): %d", r);
	else if (!enabled && !nonempty(basis))
		fail("kdump_config_is_enabled(): disabled without a basis naming the setting");
	else
		pass("kdump_config_is_enabled(): %s (%s)", enabled ? "enabled" : "not enabled",
		     or_null(basis));
	r = vt->bootloader_check_crashkernel(h, opt.crashkernel, &drift);
	if (r < 0)
		fail("bootloader_check_crashkernel(\"%s\"): %d", opt.crashkernel, r);
	else if (drift && !*drift)
		fail("bootloader_check_crashkernel(\"%s\"): an empty drift", opt.crashkernel);
	else
		pass("bootloader_check_crashkernel(\"%s\"): %s", opt.crashkernel,
		     drift ? drift : "nothing to change");
	check(log_size(log) == before,
	      "kdump_config_is_enabled and bootloader_check_crashkernel start no process");
	free(basis);
	free(drift);
}

static bool check_facts(const char *fixture_copy, struct backend_list *list,
                        struct facts_copy *ret)
{
	struct sysroot *root = NULL;
	struct os_release *os = NULL;
	struct runner runner = { .mode = RUNNER_FAKE };
	struct host *host = NULL;
	struct host_options hopt = { .dry_run = true, .out = stdout, .err = stdout };
	const struct backend_file *chosen = NULL;
	const char *reason = NULL;
	struct loaded_backend lb = { 0 };
	struct skd_facts facts = { 0 };
	const struct skd_host *h;
	struct crashkernel *ck = NULL;
	bool ok = false, inited = false;
	char *log = path_join(work, "facts.log");
	int r;

	if (sysroot_open(fixture_copy, &root) < 0 || os_release_read(root, &os) < 0) {
		fail("fixture: %s", diag_message());
		goto out;
	}
	if (backends_select(list, os, NULL, &chosen, &reason) == 0 &&
	    !strcmp(chosen->note.name, note.name))
		pass("fixture's os-release selects this backend (%s)", reason);
	else
		fail("fixture's os-release (ID=%s ID_LIKE=%s) does not select this "
		     "backend: add the ID to SKD_BACKEND_NOTE's ids", os->id,
		     *os->id_like_raw ? os->id_like_raw : "(none)");
	if (backends_select(list, NULL, note.name, &chosen, NULL) < 0 ||
	    backend_load(chosen, &lb) < 0) {
		fail("facts: cannot load: %s", diag_message());
		goto out;
	}
	runner.root = sysroot_path(root);
	runner.fake_dir = opt.fake_tools;
	runner.log_path = log;
	runner.dry_run = true;
	runner.dry_run_out = stdout;
	hopt.log_prefix = lb.vt->name;
	if (host_new(&hopt, root, &runner, &host) < 0) {
		fail("facts: cannot set up the host");
		goto out;
	}
	host_set(host, "os.id", os->id);
	host_set(host, "os.id_like", os->id_like_raw);
	host_set(host, "os.version_id", os->version_id);
	host_set(host, "os.version_codename", os->version_codename);
	h = host_services(host);
	if (backend_has_op(lb.vt, init)) {
		r = lb.vt->init(h);
		if (r < 0) {
			fail("init() on the fixture: %d (%s)", r, host_last_error(host) ?
			     host_last_error(host) : "no message given with h->error");
			goto out;
		}
		pass("init() accepts the fixture");
	}
	inited = true;
	r = lb.vt->get_facts(h, &facts);
	if (r < 0) {
		fail("get_facts(): %d (%s)", r, host_last_error(host) ?
		     host_last_error(host) : "no message given with h->error");
		goto out;
	}
	ok = true;
#define FACT(cond, ...) do { if (cond) pass(__VA_ARGS__); else { fail(__VA_ARGS__); ok = false; } } while (0)
	FACT(is_word(facts.service), "facts: service is a unit name (%s)",
	     facts.service ? facts.service : "(null)");
	FACT(facts.kdump_config_path && facts.kdump_config_path[0] == '/',
	     "facts: kdump_config_path is absolute (%s)",
	     facts.kdump_config_path ? facts.kdump_config_path : "(null)");
	FACT(facts.kdump_config_format == SKD_CONFIG_SHELL_VARS ||
	     facts.kdump_config_format == SKD_CONFIG_DIRECTIVES,
	     "facts: kdump_config_format is SKD_CONFIG_SHELL_VARS or "
	     "SKD_CONFIG_DIRECTIVES (%d)", facts.kdump_config_format);
	FACT(facts.packages && is_word(facts.packages[0]),
	     "facts: packages lists at least one package");
	FACT(facts.default_crashkernel &&
	     crashkernel_parse(facts.default_crashkernel, strlen(facts.default_crashkernel),
	                       "default_crashkernel", &ck) == 0 && !crashkernel_is_auto(ck),
	     "facts: default_crashkernel is a crashkernel= value (%s)",
	     facts.default_crashkernel ? facts.default_crashkernel : "(null)");
	FACT(facts.default_dump_dir && facts.default_dump_dir[0] == '/',
	     "facts: default_dump_dir is absolute (%s)",
	     facts.default_dump_dir ? facts.default_dump_dir : "(null)");
	FACT(facts.package_manager && *facts.package_manager &&
	     facts.bootloader_method && *facts.bootloader_method,
	     "facts: package_manager and bootloader_method are set (%s; %s)",
	     facts.package_manager ? facts.package_manager : "(null)",
	     facts.bootloader_method ? facts.bootloader_method : "(null)");
#undef FACT
	if (host_files_changed(host) == 0)
		pass("init() and get_facts() write nothing");
	else {
		fail("init() and get_facts() write files");
		ok = false;
	}
	/* what a backend of 1.3 or later must answer */
	if (lb.vt->abi_minor >= 3) {
		unsigned changed = host_files_changed(host);

		check_tool_ops(lb.vt, h, fixture_copy, log);
		check(host_files_changed(host) == changed,
		      "auto_crashkernel, kexec_syscall, capture_cmdline and kdump_initrd "
		      "write nothing");
	}
	/* and of 1.4 or later */
	if (lb.vt->abi_minor >= 4) {
		unsigned changed = host_files_changed(host);

		check_check_ops(lb.vt, h, log);
		check(host_files_changed(host) == changed,
		      "kdump_config_is_enabled and bootloader_check_crashkernel write nothing");
	}
	/* and of 1.5 or later, where it builds the capture initrd */
	if (lb.vt->abi_minor >= 5) {
		unsigned changed = host_files_changed(host);

		check_initrd_ops(lb.vt, h, log);
		check(host_files_changed(host) == changed,
		      "boot_kernel_release and kdump_initrd_stale write nothing");
	}
	if (ok) {
		ret->service = strdup(facts.service);
		ret->kdump_config_path = strdup(facts.kdump_config_path);
		ret->default_crashkernel = strdup(facts.default_crashkernel);
		ret->default_dump_dir = strdup(facts.default_dump_dir);
		ret->kdump_config_format = facts.kdump_config_format;
	}
out:
	crashkernel_free(ck);
	if (inited && backend_has_op(lb.vt, fini))
		lb.vt->fini(host_services(host));
	host_free(host);
	if (lb.handle)
		backend_unload(&lb);
	os_release_free(os);
	sysroot_free(root);
	free(log);
	return ok;
}

/* ---- the lifecycle ------------------------------------------------------ */

/* /proc/iomem and /proc/meminfo of a 16 GiB machine, for roots without. */
static int add_ram(void)
{
	char *iomem = path_join(root_dir, "proc/iomem");
	char *meminfo = path_join(root_dir, "proc/meminfo");
	char *proc = path_join(root_dir, "proc");
	int r = 0;

	if (access(iomem, F_OK) != 0) {
		r = mkdir_p(proc, 0755);
		if (r == 0)
			r = write_all(iomem,
			              "00000000-00000fff : Reserved\n"
			              "00001000-0009fbff : System RAM\n"
			              "00100000-bfffffff : System RAM\n"
			              "100000000-43fffffff : System RAM\n", 0644);
		if (r == 0 && access(meminfo, F_OK) != 0)
			r = write_all(meminfo, "MemTotal:       16377216 kB\n"
			              "MemFree:        8388608 kB\n", 0644);
	}
	free(iomem);
	free(meminfo);
	free(proc);
	return r;
}

/* Leave the root as the kernel and systemd would after the reboot that
 * follows config: crashkernel= on /proc/cmdline, the memory reserved and
 * the crash kernel loaded, the dump directory made, the service active
 * (in the fake systemctl's state). */
static int simulate_boot(const struct facts_copy *facts)
{
	struct sysroot *sr = NULL;
	struct crashkernel *ck = NULL;
	uint64_t ram = 0, bytes = 0;
	char *words = NULL, *cmdline = NULL, *iomem = NULL, *p, *text = NULL;
	char *units = NULL, *unit = NULL;
	FILE *mem;
	size_t len;
	int r;

	if ((r = sysroot_open(root_dir, &sr)) < 0 ||
	    (r = memory_system_ram(sr, &ram, NULL)) < 0 ||
	    (r = crashkernel_parse(opt.crashkernel, strlen(opt.crashkernel),
	                           "--crashkernel", &ck)) < 0 ||
	    (r = crashkernel_cmdline(ck, &words)) < 0 ||
	    (r = crashkernel_reserved(ck, ram, "--crashkernel", &bytes)) < 0)
		goto out;

	/* /proc/cmdline */
	p = path_join(root_dir, "proc/cmdline");
	if (read_all(p, &text, NULL) == 0) {
		char **v = strv_split(text, " \t\n"), **keep = calloc(1, sizeof(char *));
		char *joined;

		for (size_t i = 0; v && v[i]; i++)
			if (strncmp(v[i], "crashkernel=", 12) != 0)
				strv_push(&keep, v[i]);
		joined = strv_join(keep, " ");
		if (asprintf(&cmdline, "%s%s%s\n", joined ? joined : "",
		             joined && *joined ? " " : "", words) < 0)
			cmdline = NULL;
		free(joined);
		strv_free(v);
		strv_free(keep);
	} else if (asprintf(&cmdline, "BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro %s\n",
	                    words) < 0) {
		cmdline = NULL;
	}
	r = cmdline ? write_all(p, cmdline, 0444) : -ENOMEM;
	free(p);
	if (r < 0)
		goto out;

	/* /sys/kernel */
	p = path_join(root_dir, "sys/kernel");
	r = mkdir_p(p, 0755);
	free(p);
	if (r == 0) {
		char num[32];

		snprintf(num, sizeof(num), "%llu\n", (unsigned long long)bytes);
		p = path_join(root_dir, "sys/kernel/kexec_crash_size");
		r = write_all(p, num, 0644);
		free(p);
		p = path_join(root_dir, "sys/kernel/kexec_crash_loaded");
		if (r == 0)
			r = write_all(p, "1\n", 0644);
		free(p);
	}
	if (r < 0)
		goto out;

	/* "Crash kernel" in /proc/iomem, in the RAM that starts at 1 MiB */
	p = path_join(root_dir, "proc/iomem");
	free(text);
	text = NULL;
	if (read_all(p, &text, NULL) == 0 && (mem = open_memstream(&iomem, &len))) {
		char *save = NULL;
		bool done = false;

		for (char *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t n = strlen(line);

			if (n > 15 && !strcmp(line + n - 15, " : Crash kernel"))
				continue;
			fprintf(mem, "%s\n", line);
			if (!done && !strncmp(line, "00100000-", 9) &&
			    n > 13 && !strcmp(line + n - 13, " : System RAM")) {
				fprintf(mem, "  01000000-%08llx : Crash kernel\n",
				        (unsigned long long)(0x1000000 + bytes - 1));
				done = true;
			}
		}
		fclose(mem);
		r = write_all(p, iomem, 0644);
	}
	free(p);
	if (r < 0)
		goto out;

	/* the service makes its dump directory when it starts */
	p = path_join(root_dir, facts->default_dump_dir + 1);
	r = mkdir_p(p, 0755);
	free(p);
	if (r < 0)
		goto out;

	/* active, for the fake systemctl */
	p = path_join(root_dir, "var/lib/skd-fake");
	r = mkdir_p(p, 0755);
	free(p);
	if (r < 0)
		goto out;
	if (asprintf(&unit, "%s%s", facts->service,
	             strchr(facts->service, '.') ? "" : ".service") < 0) {
		unit = NULL;
		r = -ENOMEM;
		goto out;
	}
	p = path_join(root_dir, "var/lib/skd-fake/active-units");
	free(text);
	text = NULL;
	if (read_all(p, &text, NULL) < 0)
		text = strdup("");
	{
		char **v = strv_split(text ? text : "", "\n");

		if (!strv_contains(v, unit))
			strv_push(&v, unit);
		units = strv_join(v, "\n");
		strv_free(v);
	}
	free(text);
	text = NULL;
	if (units && asprintf(&text, "%s\n", units) >= 0)
		r = write_all(p, text, 0644);
	else
		r = -ENOMEM;
	free(p);
out:
	free(words);
	free(cmdline);
	free(iomem);
	free(text);
	free(units);
	free(unit);
	crashkernel_free(ck);
	sysroot_free(sr);
	return r;
}

static void lifecycle(const struct facts_copy *facts)
{
	struct tree orig = { 0 }, converged = { 0 };
	char *ck_file = path_join(configmaps_dir, "crashkernel");
	char *value = NULL;
	int r;

	remove_tree(root_dir);
	if (copy_tree(opt.fixture, root_dir) < 0 || add_ram() < 0 ||
	    asprintf(&value, "%s\n", opt.crashkernel) < 0 ||
	    write_all(ck_file, value, 0644) < 0 || tree_read(root_dir, &orig) < 0) {
		fail("lifecycle: cannot prepare the copy of the fixture");
		goto out;
	}

	/* a dry run changes nothing */
	if (mode_ok(true, "apply", 0))
		tree_unchanged(&orig, "--dry-run apply changes nothing", NULL);

	if (!mode_ok(false, "apply", 0) || !mode_ok(false, "apply-check", 0) ||
	    !mode_ok(false, "config", 0) || !mode_ok(false, "config-check", 0))
		goto skipped;

	r = simulate_boot(facts);
	if (r < 0) {
		fail("simulated reboot: %s", diag_message()[0] ? diag_message() : strerror(-r));
		goto skipped;
	}
	if (!mode_ok(false, "post-interrupt-check", 0))
		goto skipped;

	/* converged: the same inputs again change nothing */
	if (tree_read(root_dir, &converged) < 0) {
		fail("cannot read the root");
		goto out;
	}
	if (mode_ok(false, "apply", 0))
		no_changing_commands("second apply");
	if (mode_ok(false, "config", 0))
		no_changing_commands("second config");
	tree_unchanged(&converged, "second apply and config change no file", NULL);
	if (mode_ok(true, "config", 0))
		tree_unchanged(&converged, "--dry-run config changes nothing", NULL);
	mode_ok(false, "apply-check", 0);
	mode_ok(false, "config-check", 0);

	/* upgrade of current state is a no-op */
	if (mode_ok(false, "upgrade", 0) && mode_ok(false, "upgrade-check", 0))
		tree_unchanged(&converged, "upgrade of current state changes no file", NULL);

	/* uninstall gives the root back */
	if (!mode_ok(false, "uninstall", 0) || !mode_ok(false, "uninstall-check", 0))
		goto out;
	check_restored(&orig);
	tree_free(&converged);
	if (tree_read(root_dir, &converged) == 0 && mode_ok(false, "uninstall", 0)) {
		no_changing_commands("second uninstall");
		/* the host's own record of the uninstall may be rewritten */
		tree_unchanged(&converged, "second uninstall changes no file",
		               "var/lib/skyhook-kdump");
	}
	goto out;
skipped:
	fail("lifecycle stopped: the remaining checks did not run");
out:
	tree_free(&orig);
	tree_free(&converged);
	free(ck_file);
	free(value);
}

/* ---- main --------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
"Usage: skyhook-kdump-conformance [OPTIONS] BACKEND.so FIXTURE_ROOT\n"
"\n"
"Checks a skyhook-kdump backend: its ELF note, exported symbols and vtable,\n"
"that the host's loader accepts it, its facts, and then every lifecycle\n"
"mode on a temporary copy of FIXTURE_ROOT (a directory tree of the\n"
"distribution it serves) with the recording command runner and fake tools:\n"
"a dry run changes nothing, a second apply and config change nothing, and\n"
"uninstall restores the root. Nothing outside the copy is touched.\n"
"\n"
"Options:\n"
"  --host PATH            the skyhook-kdump program (default: beside this\n"
"                         program, else %s/skyhook-kdump)\n"
"  --fake-tools DIR       the fake tools (default: %s,\n"
"                         else ../share/skyhook-kdump/conformance/fake-tools\n"
"                         relative to this program)\n"
"  --crashkernel VALUE    the crashkernel configmap (default: 512M)\n"
"  --allow-leftover GLOB  a path (\"/etc/foo\", fnmatch(3)) that may differ\n"
"                         after uninstall (repeatable)\n"
"  --keep                 keep the work directory and print its path\n"
"  -v, --verbose          show the output and commands of every run\n"
"  -h, --help             this text\n"
"\n"
"One PASS: or FAIL: line per check. Exit status: 0 every check passed,\n"
"1 a check failed, 2 usage error. See skyhook-kdump-backend(7).\n",
	        BINDIR, FAKE_TOOLS_DIR);
}

/* `rel` below the directory of this program, when it exists, else
 * `fallback`: an installed tree that was moved (a DESTDIR, an unpacked
 * package) still finds its own host and fake tools. */
static char *beside_self(const char *rel, const char *fallback)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			p = path_join(self, rel);
			if (access(p, F_OK) == 0)
				return p;
			free(p);
		}
	}
	return strdup(fallback);
}

int main(int argc, char **argv)
{
	enum { OPT_HOST = 256, OPT_FAKE, OPT_CK, OPT_ALLOW, OPT_KEEP };
	static const struct option options[] = {
		{ "host", required_argument, NULL, OPT_HOST },
		{ "fake-tools", required_argument, NULL, OPT_FAKE },
		{ "crashkernel", required_argument, NULL, OPT_CK },
		{ "allow-leftover", required_argument, NULL, OPT_ALLOW },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct backend_list list = { 0 };
	struct facts_copy facts = { 0 };
	char tmpl[PATH_MAX], *base, *copy = NULL, *facts_root = NULL, *host = NULL;
	char *fake = NULL;
	const char *tmp = getenv("TMPDIR");
	bool loads;
	int c;

	opt.allowed = calloc(1, sizeof(char *));
	while ((c = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (c) {
		case OPT_HOST: opt.host = optarg; break;
		case OPT_FAKE: opt.fake_tools = optarg; break;
		case OPT_CK: opt.crashkernel = optarg; break;
		case OPT_ALLOW: strv_push(&opt.allowed, optarg); break;
		case OPT_KEEP: opt.keep = true; break;
		case 'v': opt.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	opt.backend = argv[optind];
	opt.fixture = argv[optind + 1];
	if (!opt.host)
		opt.host = host = beside_self("skyhook-kdump", BINDIR "/skyhook-kdump");
	if (!opt.fake_tools && access(FAKE_TOOLS_DIR, F_OK) == 0)
		opt.fake_tools = FAKE_TOOLS_DIR;
	if (!opt.fake_tools)
		opt.fake_tools = fake = beside_self(
			"../share/skyhook-kdump/conformance/fake-tools", FAKE_TOOLS_DIR);
	if (access(opt.host, X_OK) != 0) {
		fprintf(stderr, "skyhook-kdump-conformance: no skyhook-kdump program at "
		        "\"%s\" (give --host)\n", opt.host);
		return 2;
	}
	if (access(opt.backend, R_OK) != 0) {
		fprintf(stderr, "skyhook-kdump-conformance: \"%s\": %s\n", opt.backend,
		        strerror(errno));
		return 2;
	}
	{
		struct stat st;
		char *osr = path_join(opt.fixture, "etc/os-release");
		char *osr2 = path_join(opt.fixture, "usr/lib/os-release");

		if (stat(opt.fixture, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (access(osr, R_OK) != 0 && access(osr2, R_OK) != 0)) {
			fprintf(stderr, "skyhook-kdump-conformance: \"%s\" is not a root "
			        "with an os-release file\n", opt.fixture);
			return 2;
		}
		free(osr);
		free(osr2);
		if (stat(opt.fake_tools, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "skyhook-kdump-conformance: no fake tools at \"%s\" "
			        "(give --fake-tools)\n", opt.fake_tools);
			return 2;
		}
	}

	umask(022);
	snprintf(tmpl, sizeof(tmpl), "%s/skd-conformance-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	work = mkdtemp(tmpl);
	if (!work) {
		perror("skyhook-kdump-conformance: mkdtemp");
		return 2;
	}
	/* the loader's trust rules: not group/world-writable */
	chmod(work, 0755);
	root_dir = path_join(work, "root");
	configmaps_dir = path_join(work, "configmaps");
	backends_dir = path_join(work, "backends");
	log_path = path_join(work, "commands.log");
	out_path = path_join(work, "out");
	mkdir(configmaps_dir, 0755);
	mkdir(backends_dir, 0755);
	chmod(backends_dir, 0755);

	/* the host's hooks for the recording runner */
	setenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS", opt.fake_tools, 1);
	setenv("SKYHOOK_KDUMP_TEST_COMMAND_LOG", log_path, 1);
	setenv("SKYHOOK_KDUMP_TEST_DUMP_FREE", "100G", 1);
	unsetenv("SKYHOOK_KDUMP_BACKEND_PATH");
	unsetenv("SKYHOOK_KDUMP_FAULT");
	unsetenv("SKYHOOK_KDUMP_PROMETHEUS_FILE");
	unsetenv("SKYHOOK_DIR");

	printf("# backend %s\n# fixture %s\n# host %s\n", opt.backend, opt.fixture,
	       opt.host);
	base = strrchr(opt.backend, '/');
	base = base ? base + 1 : (char *)opt.backend;
	{
		size_t n = strlen(base);
		char *name;

		if (asprintf(&name, "%s%s", base,
		             n > 3 && !strcmp(base + n - 3, ".so") ? "" : ".so") < 0)
			return 2;
		copy = path_join(backends_dir, name);
		free(name);
	}
	if (copy_file(opt.backend, copy, 0644) < 0) {
		fprintf(stderr, "skyhook-kdump-conformance: cannot copy \"%s\"\n", opt.backend);
		return 2;
	}

	loads = check_note(copy);
	check_exports(copy);
	loads = loads && check_vtable(copy);
	loads = loads && check_host_loader(&list);
	if (loads) {
		backend_name = note.name;
		facts_root = path_join(work, "facts-root");
		if (copy_tree(opt.fixture, facts_root) < 0)
			fail("cannot copy the fixture");
		else if (check_facts(facts_root, &list, &facts))
			lifecycle(&facts);
		else
			fail("lifecycle skipped: the facts are not usable");
	} else {
		fail("lifecycle skipped: the backend does not load");
	}

	printf("# %u checks: %u passed, %u failed\n", n_pass + n_fail, n_pass, n_fail);
	if (opt.keep)
		printf("# work directory kept: %s\n", work);
	else
		remove_tree(work);

	backends_free(&list);
	note_clear(&note);
	strv_free(opt.allowed);
	free(facts.service);
	free(facts.kdump_config_path);
	free(facts.default_crashkernel);
	free(facts.default_dump_dir);
	free(copy);
	free(facts_root);
	free(host);
	free(fake);
	free(root_dir);
	free(configmaps_dir);
	free(backends_dir);
	free(log_path);
	free(out_path);
	return n_fail ? 1 : 0;
}
