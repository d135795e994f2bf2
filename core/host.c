/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diff.h"
#include "host.h"
#include "runner.h"
#include "sysroot.h"
#include "unitstate.h"

enum fault_kind {
	FAULT_NONE,
	FAULT_COMMAND,
	FAULT_EIO,
	FAULT_ENOSPC,
	FAULT_EACCES,
	FAULT_KILL,             /* SIGKILL at the N-th write point */
};

struct kv {
	char *key;
	char *value;
};

struct host {
	struct skd_host pub;
	struct host_options opt;
	char *prefix;
	struct sysroot *root;
	struct runner *runner;
	char *last_error;
	unsigned files_changed;
	struct kv *kv;
	size_t n_kv;
	enum fault_kind fault;
	unsigned long fault_at;         /* 1-based call or write point number */
	unsigned long calls;            /* service calls and bookkeeping writes */
	unsigned long write_points;     /* moments a kill leaves a new state */
	char run_calls[256];            /* " N" for each call that was a run */
};

static struct host *host_of(const struct skd_host *hs)
{
	assert(hs && hs->host_data);
	return hs->host_data;
}

static FILE *out_stream(const struct host *h)
{
	return h->opt.out ? h->opt.out : stdout;
}

__attribute__((format(printf, 3, 0)))
static void host_vlog(struct host *h, int level, const char *fmt, va_list ap)
{
	FILE *f = h->opt.err ? h->opt.err : stderr;
	char *msg = NULL;
	size_t len;

	if ((level == SKD_LOG_INFO && h->opt.verbosity < 1) ||
	    (level >= SKD_LOG_DEBUG && h->opt.verbosity < 2))
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';
	fprintf(f, "%s: %s\n", h->prefix, msg);
	fflush(f);
	free(msg);
}

__attribute__((format(printf, 3, 4)))
static void host_log(struct host *h, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_vlog(h, level, fmt, ap);
	va_end(ap);
}

/* The fault armed by host_set_fault() when this call is the N-th. Calls
 * are counted always, so a test can learn how many a run makes (-vv). */
static enum fault_kind fault_hit(struct host *h)
{
	if (++h->calls != h->fault_at || h->fault == FAULT_KILL)
		return FAULT_NONE;
	return h->fault;
}

/* A moment where the files on disk are a state a crash could leave: the
 * "N:kill" fault (test hooks only) ends the process here, as a power
 * loss or the OOM killer would, with no chance to clean up. */
static void write_point(struct host *h)
{
	if (++h->write_points == h->fault_at && h->fault == FAULT_KILL) {
		fflush(NULL);
		raise(SIGKILL);
	}
}

/* The worst moment inside an atomic replace: the temp file is complete and
 * synced, the rename has not happened. When the next write point is the
 * kill, leave exactly that (a temp file named as sysroot_replace names
 * them, ".NAME.XXXXXXXX~") and die. */
static void write_point_mid_replace(struct host *h, const char *path,
                                    const char *data, size_t len)
{
	char *tmp = NULL;
	const char *slash = strrchr(path, '/');

	if (h->write_points + 1 == h->fault_at && h->fault == FAULT_KILL && slash &&
	    asprintf(&tmp, "%.*s/.%s.skdkill0~", (int)(slash - path), path,
	             slash + 1) >= 0)
		(void)sysroot_replace(h->root, tmp, data, len, 0600, NULL);
	free(tmp);
	write_point(h);
}

/* Temp files a killed run left beside `path` (".NAME.XXXXXXXX~", see
 * sysroot_replace): nothing else writes such names, and the lock keeps
 * another instance of ours from being in the middle of one. */
static void remove_stale_temps(struct host *h, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL, **names = NULL;
	size_t blen;

	if (!slash || h->opt.dry_run)
		return;
	dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	if (!dir || sysroot_list(h->root, dir, &names) < 0)
		goto out;
	blen = strlen(slash + 1);
	for (char **n = names; *n; n++) {
		size_t len = strlen(*n);
		char *victim = NULL;

		if (len != blen + 11 || (*n)[0] != '.' ||
		    strncmp(*n + 1, slash + 1, blen) || (*n)[blen + 1] != '.' ||
		    (*n)[len - 1] != '~' ||
		    strspn(*n + blen + 2, "abcdefghijklmnopqrstuvwxyz0123456789") != 8)
			continue;
		if (asprintf(&victim, "%s/%s", slash == path ? "" : dir, *n) >= 0 &&
		    sysroot_remove(h->root, victim) == 0)
			host_log(h, SKD_LOG_INFO, "removed \"%s\", left by an "
			         "interrupted run", victim);
		free(victim);
	}
out:
	diag_clear();
	skd_strv_free(names);
	free(dir);
}

/* sysroot_replace with the kill points around it. */
static int replace_points(struct host *h, const char *path, const char *data,
                          size_t len, uint32_t mode, bool *ret_changed)
{
	int err;

	remove_stale_temps(h, path);
	write_point_mid_replace(h, path, data, len);
	err = sysroot_replace(h->root, path, data, len, mode, ret_changed);
	if (err >= 0)
		write_point(h);
	return err;
}

static int fault_fail(struct host *h, const char *service, const char *path,
                      enum fault_kind kind)
{
	int err = kind == FAULT_ENOSPC ? -ENOSPC :
	          kind == FAULT_EACCES ? -EACCES : -EIO;

	host_log(h, SKD_LOG_DEBUG, "injected fault: call %lu, %s(\"%s\")",
	         h->calls, service, path ? path : "");
	return diag_set(err, "cannot %s \"%s\": %s (injected fault)", service,
	                path ? path : "", strerror(-err));
}

/* Paths the backend gives for changes: absolute, no "..", one spelling
 * per file ("//" and "/./" folded), so the journal has no duplicates. */
static int normalize_path(const char *path, char **ret)
{
	char *p;
	size_t o = 0;

	if (!path || path[0] != '/' || strchr(path, '\n'))
		return diag_set(-EINVAL, "invalid path \"%s\": expected an absolute "
		                "path on one line", path ? path : "(null)");
	p = malloc(strlen(path) + 2);
	if (!p)
		return -ENOMEM;
	for (const char *s = path; *s;) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/");
		if (len == 0 || (len == 1 && s[0] == '.')) {
			s += len;
			continue;
		}
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			free(p);
			return diag_set(-EINVAL, "invalid path \"%s\": \"..\" is not "
			                "allowed", path);
		}
		p[o++] = '/';
		memcpy(p + o, s, len);
		o += len;
		s += len;
	}
	if (o == 0)
		p[o++] = '/';
	p[o] = '\0';
	*ret = p;
	return 0;
}

static bool under_state_dir(const char *p)
{
	size_t n = strlen(STATE_DIR);

	/* strncmp() == 0: p has n bytes before its end, so p[n] is within
	 * the string (the analyzer does not model strncmp) */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	return strncmp(p, STATE_DIR, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static bool has_record(const char *files, const char *path)
{
	size_t plen = strlen(path);

	for (const char *line = files; line && *line;) {
		const char *end = strchr(line, '\n'), *sp;
		size_t len = end ? (size_t)(end - line) : strlen(line);

		sp = memchr(line, ' ', len);
		if (sp && (size_t)(line + len - sp - 1) == plen &&
		    memcmp(sp + 1, path, plen) == 0)
			return true;
		line += len + (end ? 1 : 0);
	}
	return false;
}

/*
 * Before the first change to `path` in the life of the installation, keep
 * what uninstall needs: a copy of the original (when there was one and no
 * copy exists yet) and a line "<kind> <path>" in the journal. Done before
 * the change, so an interruption leaves at worst a record of a file that
 * is still original, never a changed file without a record.
 */
static int keep_original(struct host *h, const char *path, const char *kind,
                         const char *old, size_t old_len, uint32_t old_mode)
{
	char *files = NULL, *backup = NULL, *text = NULL, *slash;
	size_t files_len = 0;
	int err;

	err = sysroot_read(h->root, HOST_FILES_JOURNAL, SYSROOT_READ_MAX,
	                   &files, &files_len);
	if (err == -ENOENT) {
		files = NULL;
		files_len = 0;
	} else if (err < 0) {
		goto out;
	}
	if (has_record(files, path)) {
		err = 0;
		goto out;
	}
	if (old) {
		struct skd_stat st;

		if (asprintf(&backup, "%s%s", HOST_BACKUP_DIR, path) < 0) {
			backup = NULL;
			err = -ENOMEM;
			goto out;
		}
		err = sysroot_stat(h->root, backup, true, &st);
		if (err < 0)
			goto out;
		/* an existing backup is older, hence closer to the original */
		if (st.type == SKD_FILE_NONE) {
			slash = strrchr(backup, '/');
			*slash = '\0';
			err = sysroot_mkdir_p(h->root, backup, 0700);
			*slash = '/';
			if (err < 0)
				goto out;
			err = replace_points(h, backup, old, old_len, old_mode,
			                     NULL);
			if (err < 0)
				goto out;
		}
	}
	err = sysroot_mkdir_p(h->root, STATE_DIR, 0700);
	if (err < 0)
		goto out;
	if (asprintf(&text, "%.*s%s%s %s\n", (int)files_len, files ? files : "",
	             /* files_len is 0 whenever files is NULL: sysroot_read()
	              * gives a buffer on success */
	             // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
	             files_len && files[files_len - 1] != '\n' ? "\n" : "",
	             kind, path) < 0) {
		text = NULL;
		err = -ENOMEM;
		goto out;
	}
	err = replace_points(h, HOST_FILES_JOURNAL, text, strlen(text), 0600,
	                     NULL);
out:
	free(files);
	free(backup);
	free(text);
	return err;
}

static int svc_read_file(const struct skd_host *hs, const char *path,
                         char **ret_data, size_t *ret_len)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "read", path, f);
	return sysroot_read(h->root, path, SYSROOT_READ_MAX, ret_data, ret_len);
}

static int svc_read_lines(const struct skd_host *hs, const char *path,
                          int (*line)(const char *text, size_t len, void *data),
                          void *data)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "read", path, f);
	return sysroot_read_lines(h->root, path, line, data);
}

/* Whether path can be replaced: -ELOOP for a symlink, -EISDIR ... and the
 * current content of a regular file (*ret_old NULL when missing). */
static int current_file(struct host *h, const char *path, struct skd_stat *ret_st,
                        char **ret_old, size_t *ret_old_len)
{
	struct skd_stat st;
	char *old = NULL;
	size_t old_len = 0;
	int err;

	err = sysroot_stat(h->root, path, true, &st);
	if (err < 0)
		return err;
	switch (st.type) {
	case SKD_FILE_NONE:
		break;
	case SKD_FILE_REGULAR:
		err = sysroot_read(h->root, path, SYSROOT_READ_MAX, &old, &old_len);
		if (err < 0)
			return err;
		break;
	case SKD_FILE_SYMLINK:
		return diag_set(-ELOOP, "refusing to change \"%s\": it is a symbolic "
		                "link", path);
	case SKD_FILE_DIRECTORY:
		return diag_set(-EISDIR, "refusing to change \"%s\": it is a "
		                "directory", path);
	default:
		return diag_set(-EINVAL, "refusing to change \"%s\": not a regular "
		                "file", path);
	}
	*ret_st = st;
	*ret_old = old;
	*ret_old_len = old_len;
	return 0;
}

static int print_diff(struct host *h, const char *path, const char *old,
                      size_t old_len, const char *new, size_t new_len)
{
	char *d = NULL;
	int err;

	err = diff_unified(path, old, old_len, new, new_len, &d);
	if (err < 0)
		return diag_set(err, "cannot show the changes to \"%s\": %s", path,
		                strerror(-err));
	fputs(d, out_stream(h));
	fflush(out_stream(h));
	free(d);
	return 0;
}

static int svc_write_file(const struct skd_host *hs, const char *path,
                          const char *data, size_t len, uint32_t mode)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);
	char *p = NULL, *old = NULL, *parent = NULL;
	size_t old_len = 0;
	struct skd_stat st = { .type = SKD_FILE_NONE };
	bool changed = false;
	int err;

	if (f != FAULT_NONE) {
		err = fault_fail(h, "write", path, f);
		goto out;
	}
	if (!data && len) {
		err = diag_set(-EINVAL, "cannot write \"%s\": no data", path);
		goto out;
	}
	if (!data)
		data = "";
	err = normalize_path(path, &p);
	if (err < 0)
		goto out;
	err = current_file(h, p, &st, &old, &old_len);
	if (err < 0) {
		/* the refusal names the path: the step's message shows it */
		free(h->last_error);
		h->last_error = strdup(diag_message());
		goto out;
	}
	if (old && old_len == len && memcmp(old, data, len) == 0 &&
	    !((mode & SYSROOT_MODE_EXACT) && st.mode != (mode & 07777)))
		goto out;
	if (h->opt.dry_run) {
		err = print_diff(h, p, old, old_len, data, len);
		goto out;
	}
	if (!old) {
		/* a drop-in directory may not exist yet; backends cannot mkdir;
		 * first, so a path that cannot be created gets no record */
		parent = strdup(p);
		if (!parent) {
			err = -ENOMEM;
			goto out;
		}
		*strrchr(parent, '/') = '\0';
		if (*parent) {
			err = sysroot_mkdir_p(h->root, parent, 0755);
			if (err < 0)
				goto out;
		}
	}
	if (!under_state_dir(p)) {
		err = keep_original(h, p, old ? "replaced" : "created", old, old_len,
		                    st.mode);
		if (err < 0)
			goto out;
	}
	err = replace_points(h, p, data, len, mode, &changed);
	if (err < 0)
		goto out;
	if (changed) {
		h->files_changed++;
		host_log(h, SKD_LOG_DEBUG, "%s \"%s\"", old ? "replaced" : "created", p);
	}
out:
	free(p);
	free(old);
	free(parent);
	return err;
}

static int svc_remove_file(const struct skd_host *hs, const char *path)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);
	char *p = NULL, *old = NULL;
	size_t old_len = 0;
	struct skd_stat st = { .type = SKD_FILE_NONE };
	int err;

	if (f != FAULT_NONE) {
		err = fault_fail(h, "remove", path, f);
		goto out;
	}
	err = normalize_path(path, &p);
	if (err < 0)
		goto out;
	err = sysroot_stat(h->root, p, true, &st);
	if (err < 0 || st.type == SKD_FILE_NONE)
		goto out;
	if (st.type == SKD_FILE_DIRECTORY) {
		err = diag_set(-EISDIR, "refusing to remove \"%s\": it is a directory",
		               p);
		goto out;
	}
	if (st.type != SKD_FILE_REGULAR && !under_state_dir(p)) {
		/* only a regular file has a backup uninstall can restore */
		err = diag_set(-EINVAL, "refusing to remove \"%s\": not a regular "
		               "file", p);
		goto out;
	}
	if (st.type == SKD_FILE_REGULAR) {
		err = sysroot_read(h->root, p, SYSROOT_READ_MAX, &old, &old_len);
		if (err < 0)
			goto out;
	}
	if (h->opt.dry_run) {
		if (old)
			err = print_diff(h, p, old, old_len, NULL, 0);
		else
			fprintf(out_stream(h), "would remove: %s\n", p);
		goto out;
	}
	if (!under_state_dir(p)) {
		err = keep_original(h, p, "removed", old, old_len, st.mode);
		if (err < 0)
			goto out;
	}
	write_point(h);
	err = sysroot_remove(h->root, p);
	if (err < 0)
		goto out;
	write_point(h);
	h->files_changed++;
	host_log(h, SKD_LOG_DEBUG, "removed \"%s\"", p);
out:
	free(p);
	free(old);
	return err;
}

static int svc_stat(const struct skd_host *hs, const char *path, uint32_t flags,
                    struct skd_stat *ret)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "stat", path, f);
	return sysroot_stat(h->root, path, flags & SKD_STAT_NOFOLLOW, ret);
}

static int svc_mtime(const struct skd_host *hs, const char *path, int64_t *ret_ns)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "stat", path, f);
	return sysroot_mtime(h->root, path, ret_ns);
}

static int svc_list_dir(const struct skd_host *hs, const char *path,
                        char ***ret_names)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "list", path, f);
	return sysroot_list(h->root, path, ret_names);
}

static int svc_run(const struct skd_host *hs, const char *const *argv,
                   const char *const *env, uint32_t flags,
                   struct skd_run_result *ret)
{
	struct host *h = host_of(hs);
	enum fault_kind f = fault_hit(h);
	char *display = NULL;
	int err;

	if (!argv || !argv[0])
		return diag_set(-EINVAL, "cannot run a command without a name");
	{
		size_t used = strlen(h->run_calls);

		snprintf(h->run_calls + used, sizeof(h->run_calls) - used, " %lu",
		         h->calls);
	}
	if (f == FAULT_COMMAND) {
		struct skd_run_result res = { .status = 1 };

		host_log(h, SKD_LOG_DEBUG, "injected fault: call %lu, run \"%s\"",
		         h->calls, argv[0]);
		res.out = calloc(1, 1);
		res.err = strdup("injected fault");
		if (!res.out || !res.err) {
			runner_result_free(&res);
			return -ENOMEM;
		}
		res.err_len = strlen(res.err);
		*ret = res;
		return 0;
	}
	if (f != FAULT_NONE)
		return fault_fail(h, "run", argv[0], f);
	display = argv_to_display(argv);
	if (!display)
		return -ENOMEM;
	/* under --dry-run the runner says "would run" itself */
	if (!(flags & SKD_RUN_QUIET) &&
	    !(h->opt.dry_run && (flags & SKD_RUN_CHANGES)))
		host_log(h, SKD_LOG_INFO, "running: %s", display);
	if ((flags & SKD_RUN_CHANGES) && !h->opt.dry_run)
		write_point(h);
	err = runner_run(h->runner, argv, env, flags, ret);
	if ((flags & SKD_RUN_CHANGES) && !h->opt.dry_run && err >= 0)
		write_point(h);
	if (err < 0)
		host_log(h, SKD_LOG_DEBUG, "%s", diag_message());
	else
		host_log(h, SKD_LOG_DEBUG, "\"%s\" exited with status %d", display,
		         ret->status);
	free(display);
	return err;
}

static void svc_run_result_free(const struct skd_host *hs,
                                struct skd_run_result *r)
{
	runner_result_free(r);
}

__attribute__((format(printf, 3, 4)))
static void svc_log(const struct skd_host *hs, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_vlog(host_of(hs), level, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static int svc_error(const struct skd_host *hs, int code, const char *fmt, ...)
{
	struct host *h = host_of(hs);
	char *msg = NULL;
	va_list ap;

	/* a backend that forgot the minus still fails */
	if (code > 0)
		code = -code;
	else if (code == 0)
		code = -SKD_E_FAILED;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	/* "cannot read X" alone hides whether it was ENOSPC or EACCES */
	if (msg && code > -SKD_E_FAILED && code != -ENOMEM &&
	    !strstr(msg, strerror(-code))) {
		char *longer = NULL;

		if (asprintf(&longer, "%s: %s", msg, strerror(-code)) >= 0) {
			free(msg);
			msg = longer;
		}
	}
	if (msg) {
		free(h->last_error);
		h->last_error = msg;
		host_log(h, SKD_LOG_DEBUG, "error: %s", msg);
		diag_set(code, "%s", msg);
	}
	return code;
}

static const char *svc_get(const struct skd_host *hs, const char *key)
{
	struct host *h = host_of(hs);

	for (size_t i = 0; key && i < h->n_kv; i++)
		if (strcmp(h->kv[i].key, key) == 0)
			return h->kv[i].value;
	return NULL;
}

/* Whether skd_host.unit_active_state can answer (sd-bus, the running
 * system, the real runner): then asking costs no process. */
static bool unit_state_usable(const struct host *h)
{
	/* only the running system's manager knows; never under the
	 * recording runner, whose fake systemctl holds the tests' state */
	return !h->opt.image && h->runner->mode == RUNNER_REAL &&
	       sysroot_is_slash(h->root) && unitstate_available();
}

static int svc_unit_active_state(const struct skd_host *hs, const char *unit,
                                 char **ret_state)
{
	struct host *h = host_of(hs);

	if (!unit || !ret_state)
		return -EINVAL;
	if (!unit_state_usable(h))
		return -ENOTSUP;
	return unitstate_get(unit, ret_state);
}

int host_new(const struct host_options *opt, struct sysroot *root,
             struct runner *runner, struct host **ret)
{
	struct host *h;

	assert(opt && root && runner && ret);
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->opt = *opt;
	h->prefix = strdup(opt->log_prefix ? opt->log_prefix : "skyhook-kdump");
	if (!h->prefix) {
		free(h);
		return -ENOMEM;
	}
	h->root = root;
	h->runner = runner;
	/* one notion of dry-run for files and commands */
	runner->dry_run = opt->dry_run;
	if (!runner->dry_run_out)
		runner->dry_run_out = out_stream(h);

	h->pub.abi_major = SKD_ABI_MAJOR;
	h->pub.abi_minor = SKD_ABI_MINOR;
	h->pub.struct_size = sizeof(h->pub);
	h->pub.name = "skyhook-kdump";
	h->pub.flags = (opt->dry_run ? SKD_HOST_DRY_RUN : 0) |
	               (opt->image ? SKD_HOST_IMAGE : 0);
	h->pub.host_data = h;
	h->pub.read_file = svc_read_file;
	h->pub.write_file = svc_write_file;
	h->pub.remove_file = svc_remove_file;
	h->pub.stat = svc_stat;
	h->pub.list_dir = svc_list_dir;
	h->pub.run = svc_run;
	h->pub.run_result_free = svc_run_result_free;
	h->pub.log = svc_log;
	h->pub.error = svc_error;
	h->pub.get = svc_get;
	h->pub.unit_active_state = svc_unit_active_state;
	h->pub.read_lines = svc_read_lines;
	h->pub.mtime = svc_mtime;
	*ret = h;
	return 0;
}

void host_free(struct host *h)
{
	if (!h)
		return;
	/* what a fault sweep iterates over */
	host_log(h, SKD_LOG_DEBUG, "host calls: %lu (commands:%s), write points: %lu",
	         h->calls, *h->run_calls ? h->run_calls : " none", h->write_points);
	for (size_t i = 0; i < h->n_kv; i++) {
		free(h->kv[i].key);
		free(h->kv[i].value);
	}
	free(h->kv);
	free(h->last_error);
	free(h->prefix);
	free(h);
}

const struct skd_host *host_services(struct host *h)
{
	return &h->pub;
}

int host_set(struct host *h, const char *key, const char *value)
{
	char *v = NULL;
	size_t i;

	assert(h);
	if (!key || !*key)
		return -EINVAL;
	for (i = 0; i < h->n_kv; i++)
		if (strcmp(h->kv[i].key, key) == 0)
			break;
	if (!value) {
		if (i < h->n_kv) {
			free(h->kv[i].key);
			free(h->kv[i].value);
			h->kv[i] = h->kv[--h->n_kv];
		}
		return 0;
	}
	v = strdup(value);
	if (!v)
		return -ENOMEM;
	if (i == h->n_kv) {
		struct kv *p = realloc(h->kv, (h->n_kv + 1) * sizeof(*p));
		char *k = strdup(key);

		if (!p || !k) {
			if (p)
				h->kv = p;
			free(k);
			free(v);
			return -ENOMEM;
		}
		h->kv = p;
		h->kv[i].key = k;
		h->kv[i].value = NULL;
		h->n_kv++;
	}
	free(h->kv[i].value);
	h->kv[i].value = v;
	return 0;
}

const char *host_last_error(const struct host *h)
{
	return h->last_error;
}

unsigned host_files_changed(const struct host *h)
{
	return h->files_changed;
}

int host_replace(struct host *h, const char *path, const char *data,
                 size_t len, uint32_t mode)
{
	enum fault_kind f = fault_hit(h);
	char *dir;
	int err;

	if (f != FAULT_NONE)
		return fault_fail(h, "write", path, f);
	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	*strrchr(dir, '/') = '\0';
	err = *dir ? sysroot_mkdir_p(h->root, dir, 0700) : 0;
	free(dir);
	if (err >= 0)
		err = replace_points(h, path, data, len, mode, NULL);
	return err;
}

int host_make_dir(struct host *h, const char *path, uint32_t mode,
                  bool *ret_created)
{
	enum fault_kind f = fault_hit(h);
	struct skd_stat st;
	char *p = NULL;
	int err;

	*ret_created = false;
	if (f != FAULT_NONE)
		return fault_fail(h, "create directory", path, f);
	err = normalize_path(path, &p);
	if (err < 0)
		return err;
	/* parents first: each missing one is recorded before it is made, so
	 * a kill in between leaves a record of at most an absent directory */
	for (const char *end = p; err >= 0 && end;) {
		char *prefix;

		end = strchr(end + 1, '/');
		prefix = end ? strndup(p, (size_t)(end - p)) : strdup(p);
		if (!prefix) {
			err = -ENOMEM;
			break;
		}
		err = sysroot_stat(h->root, prefix, false, &st);
		if (err >= 0 && st.type == SKD_FILE_NONE) {
			*ret_created = true;
			if (h->opt.dry_run) {
				fprintf(out_stream(h), "would create directory: %s (mode %04o)\n",
				        prefix, (unsigned)(mode & 07777));
			} else if ((err = keep_original(h, prefix, "dir", NULL, 0, 0)) >= 0 &&
			           (err = sysroot_mkdir_p(h->root, prefix, mode)) >= 0) {
				write_point(h);
				h->files_changed++;
				host_log(h, SKD_LOG_DEBUG, "created directory \"%s\"", prefix);
			}
		} else if (err >= 0 && st.type != SKD_FILE_DIRECTORY) {
			err = diag_set(-ENOTDIR, "cannot create directory \"%s\": \"%s\" "
			               "exists and is not a directory", path, prefix);
		}
		free(prefix);
	}
	free(p);
	return err;
}

int host_remove_empty_dir(struct host *h, const char *path, bool *ret_removed)
{
	enum fault_kind f = fault_hit(h);
	struct skd_stat st;
	int err;

	*ret_removed = false;
	if (f != FAULT_NONE)
		return fault_fail(h, "remove directory", path, f);
	err = sysroot_stat(h->root, path, true, &st);
	if (err < 0 || st.type != SKD_FILE_DIRECTORY)
		return err;
	if (h->opt.dry_run) {
		fprintf(out_stream(h), "would remove directory if empty: %s\n", path);
		return 0;
	}
	err = sysroot_rmdir(h->root, path);
	if (err == -ENOTEMPTY) {
		diag_clear();
		return 0;
	}
	if (err < 0)
		return err;
	write_point(h);
	h->files_changed++;
	*ret_removed = true;
	host_log(h, SKD_LOG_DEBUG, "removed directory \"%s\"", path);
	return 0;
}

int host_remove(struct host *h, const char *path)
{
	enum fault_kind f = fault_hit(h);
	int err;

	if (f != FAULT_NONE)
		return fault_fail(h, "remove", path, f);
	err = sysroot_remove(h->root, path);
	if (err >= 0)
		write_point(h);
	return err;
}

/* Files first, then the emptied directories; a kill in between leaves
 * less of the tree, which a re-run removes in the same way. */
static int remove_tree(struct host *h, const char *path)
{
	struct skd_stat st;
	char **names = NULL;
	int err = sysroot_stat(h->root, path, true, &st);

	if (err < 0 || st.type == SKD_FILE_NONE)
		return err;
	if (st.type != SKD_FILE_DIRECTORY) {
		err = sysroot_remove(h->root, path);
		if (err >= 0)
			write_point(h);
		return err;
	}
	err = sysroot_list(h->root, path, &names);
	for (char **n = names; err >= 0 && *n; n++) {
		char *child;

		if (asprintf(&child, "%s/%s", path, *n) < 0) {
			err = -ENOMEM;
			break;
		}
		err = remove_tree(h, child);
		free(child);
	}
	skd_strv_free(names);
	if (err >= 0)
		err = sysroot_rmdir(h->root, path);
	return err;
}

int host_remove_tree(struct host *h, const char *path)
{
	enum fault_kind f = fault_hit(h);

	if (f != FAULT_NONE)
		return fault_fail(h, "remove", path, f);
	return remove_tree(h, path);
}

int host_set_fault(struct host *h, const char *spec)
{
	static const struct {
		const char *name;
		enum fault_kind kind;
	} kinds[] = {
		{ "command", FAULT_COMMAND },
		{ "write", FAULT_EIO },
		{ "enospc", FAULT_ENOSPC },
		{ "eacces", FAULT_EACCES },
		{ "kill", FAULT_KILL },
	};
	unsigned long n;
	char *end;

	assert(h);
	h->calls = 0;
	h->run_calls[0] = '\0';
	h->write_points = 0;
	if (!spec || !*spec) {
		h->fault = FAULT_NONE;
		return 0;
	}
	errno = 0;
	n = strtoul(spec, &end, 10);
	if (errno == 0 && n > 0 && end != spec && *end == ':' && spec[0] != '-') {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			if (strcmp(end + 1, kinds[i].name) == 0) {
				if (kinds[i].kind == FAULT_KILL && !h->opt.test_hooks)
					break;
				h->fault = kinds[i].kind;
				h->fault_at = n;
				return 0;
			}
		}
	}
	return diag_set(-EINVAL, "invalid fault \"%s\": expected N:KIND, N >= 1, "
	                "KIND one of command, write, enospc, eacces (and kill "
	                "with the test hooks)", spec);
}
