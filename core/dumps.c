/* SPDX-License-Identifier: Apache-2.0 */
/* Finding the dumps in a dump directory: which entries are dumps (by the
 * file names kdump-tools and kdump-utils give them), which files belong to
 * each, and when each was taken. Reading a file is vmcore.c's job. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "dumps.h"
#include "strv.h"
#include "sysroot.h"

enum part {
	PART_NONE,
	PART_CORE,
	PART_CORE_INCOMPLETE,
	PART_DMESG,
	PART_DMESG_INCOMPLETE,
	PART_SIDE,              /* written with a dump, neither core nor log */
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* kdump-tools: <stamp>/dump.<stamp>, dump-incomplete, dmesg.<stamp>.
 * kdump-utils: <host>-<date>/vmcore, vmcore-incomplete (renamed when the
 * collector succeeds), vmcore.flat (flattened), vmcore-dmesg.txt,
 * vmcore-dmesg-incomplete.txt, kexec-dmesg.log, opalcore (POWER). */
static enum part classify(const char *name)
{
	if (strcmp(name, "vmcore") == 0 || strcmp(name, "vmcore.flat") == 0 ||
	    (strncmp(name, "dump.", 5) == 0 && all_digits(name + 5)))
		return PART_CORE;
	if (strcmp(name, "vmcore-incomplete") == 0 || strcmp(name, "dump-incomplete") == 0)
		return PART_CORE_INCOMPLETE;
	if (strcmp(name, "vmcore-dmesg.txt") == 0 ||
	    (strncmp(name, "dmesg.", 6) == 0 && all_digits(name + 6)))
		return PART_DMESG;
	if (strcmp(name, "vmcore-dmesg-incomplete.txt") == 0)
		return PART_DMESG_INCOMPLETE;
	if (strcmp(name, "kexec-dmesg.log") == 0 || strcmp(name, "opalcore") == 0 ||
	    strcmp(name, "opalcore-incomplete") == 0)
		return PART_SIDE;
	return PART_NONE;
}

static bool is_core(enum part p)
{
	return p == PART_CORE || p == PART_CORE_INCOMPLETE;
}

static bool is_dmesg(enum part p)
{
	return p == PART_DMESG || p == PART_DMESG_INCOMPLETE;
}

static char *join(const char *dir, const char *name)
{
	char *p;
	size_t n = strlen(dir);

	if (asprintf(&p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name) < 0)
		return NULL;
	return p;
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s,
	};

	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	return (int64_t)timegm(&tm);
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The capture time a name carries, taken as UTC (the capture kernel
 * rarely has a time zone): kdump-tools' YYYYmmddHHMM stamp (also after
 * "dump." or "dmesg."), kdump-utils' <host>-YYYY-MM-DD-HH:MM:SS. */
static bool time_from_name(const char *name, int64_t *ret)
{
	const char *dot = strchr(name, '.');
	const char *stamp = dot && (strncmp(name, "dump.", 5) == 0 ||
	                            strncmp(name, "dmesg.", 6) == 0) ? dot + 1 : name;
	size_t n = strlen(name);
	int64_t t = -1;

	if (strlen(stamp) == 12 && all_digits(stamp))
		t = utc(num(stamp, 4), num(stamp + 4, 2), num(stamp + 6, 2),
		        num(stamp + 8, 2), num(stamp + 10, 2), 0);
	else if (n >= 20 && name[n - 20] == '-') {
		const char *d = name + n - 19;

		if (d[4] == '-' && d[7] == '-' && d[10] == '-' && d[13] == ':' && d[16] == ':')
			t = utc(num(d, 4), num(d + 5, 2), num(d + 8, 2), num(d + 11, 2),
			        num(d + 14, 2), num(d + 17, 2));
	}
	if (t < 0)
		return false;
	*ret = t;
	return true;
}

/* Inspects base/name; failures to open or read become the problem. */
static void inspect_file(struct sysroot *root, const char *base, const char *name,
                         struct vmcore_info *ret, int64_t *ret_mtime)
{
	char *path = join(base, name);
	struct stat st;
	int fd, r;

	memset(ret, 0, sizeof(*ret));
	if (!path) {
		ret->problem = strdup("out of memory");
		return;
	}
	fd = sysroot_open_fd(root, path, &st);
	if (fd < 0) {
		if (asprintf(&ret->problem, "cannot open %s: %s", name, strerror(-fd)) < 0)
			ret->problem = NULL;
		free(path);
		diag_clear();
		return;
	}
	*ret_mtime = (int64_t)st.st_mtime;
	r = vmcore_inspect(fd, name, ret);
	if (r < 0) {
		ret->size = (uint64_t)st.st_size;
		if (asprintf(&ret->problem, "cannot read %s: %s", name, strerror(-r)) < 0)
			ret->problem = NULL;
	}
	close(fd);
	free(path);
}

static char *joined_problem(const char *first, const char *second)
{
	char *p;

	if (!second)
		return strdup(first);
	if (asprintf(&p, "%s; %s", first, second) < 0)
		return NULL;
	return p;
}

/* Fills info, time and size of `d` from its files under `base`. */
static void inspect_dump(struct sysroot *root, const char *base, struct dump *d)
{
	int64_t core_mtime = -1, dmesg_mtime = -1, t;

	if (d->core) {
		inspect_file(root, base, d->core, &d->info, &core_mtime);
		if (classify(d->core) == PART_CORE_INCOMPLETE) {
			char *first, *p;

			if (asprintf(&first, "the capture did not finish: the file is still "
			             "named %s", d->core) >= 0) {
				p = joined_problem(first, d->info.problem);
				free(first);
				free(d->info.problem);
				d->info.problem = p;
			}
			d->info.complete = false;
		}
	}
	if (d->dmesg) {
		struct vmcore_info log;

		inspect_file(root, base, d->dmesg, &log, &dmesg_mtime);
		if (classify(d->dmesg) == PART_DMESG_INCOMPLETE) {
			log.complete = false;
			if (!log.problem)
				log.problem = strdup("the kernel log was not saved completely");
		}
		if (d->core) {
			free(d->info.panic);
			d->info.panic = log.panic;
			log.panic = NULL;
			vmcore_info_clear(&log);
		} else {
			d->info = log;
		}
	}
	if (d->info.have_time) {
		d->time = d->info.crash_time;
		d->time_source = "dump";
	} else if (time_from_name(d->name, &t) ||
	           (d->core && time_from_name(d->core, &t)) ||
	           (d->dmesg && time_from_name(d->dmesg, &t))) {
		d->time = t;
		d->time_source = "name";
	} else {
		d->time = core_mtime >= 0 ? core_mtime : dmesg_mtime > 0 ? dmesg_mtime : 0;
		d->time_source = "mtime";
	}
	d->size = 0;
	for (char **f = d->files; f && *f; f++) {
		char *path = join(base, *f);
		struct skd_stat st;

		if (path && sysroot_stat(root, path, true, &st) == 0 &&
		    st.type == SKD_FILE_REGULAR)
			d->size += st.size;
		free(path);
	}
	diag_clear();
}

static int add_name(char ***v, size_t *n, const char *name)
{
	char **p = realloc(*v, (*n + 2) * sizeof(**v));

	if (!p)
		return -ENOMEM;
	*v = p;
	p[*n] = strdup(name);
	if (!p[*n])
		return -ENOMEM;
	p[++*n] = NULL;
	return 0;
}

static struct dump *new_dump(struct dump_list *l, const char *name, bool is_dir)
{
	struct dump *p = realloc(l->v, (l->n + 1) * sizeof(*p));

	if (!p)
		return NULL;
	l->v = p;
	p = &l->v[l->n];
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	if (!p->name)
		return NULL;
	p->is_dir = is_dir;
	l->n++;
	return p;
}

/* Prefers the name of a finished capture over an unfinished one. */
static void choose(char **slot, const char *name)
{
	if (*slot && (classify(*slot) == PART_CORE || classify(*slot) == PART_DMESG))
		return;
	free(*slot);
	*slot = strdup(name);
}

/* A directory is a dump when it holds a dump file or a kernel log. */
static int scan_dump_dir(struct sysroot *root, const char *dir, const char *name,
                         struct dump_list *l)
{
	char *path = join(dir, name), **names = NULL, *core = NULL, *dmesg = NULL;
	char **files = NULL;
	size_t n_files = 0, n_other = 0;
	struct dump *d;
	int r;

	if (!path)
		return -ENOMEM;
	r = sysroot_list(root, path, &names);
	if (r < 0) {
		/* unreadable: not ours to judge, and never removed */
		r = 0;
		diag_clear();
		goto out;
	}
	for (char **n = names; *n; n++) {
		char *fp = join(path, *n);
		struct skd_stat st;
		enum part p = classify(*n);

		if (!fp || sysroot_stat(root, fp, true, &st) < 0)
			st.type = SKD_FILE_OTHER;
		free(fp);
		if (p == PART_NONE || st.type != SKD_FILE_REGULAR) {
			n_other++;
			continue;
		}
		if ((r = add_name(&files, &n_files, *n)) < 0)
			goto out;
		if (is_core(p))
			choose(&core, *n);
		else if (is_dmesg(p))
			choose(&dmesg, *n);
	}
	diag_clear();
	if (!core && !dmesg)
		goto out;
	d = new_dump(l, name, true);
	if (!d) {
		r = -ENOMEM;
		goto out;
	}
	d->core = core;
	d->dmesg = dmesg;
	d->files = files;
	d->n_other = n_other;
	core = dmesg = NULL;
	files = NULL;
	inspect_dump(root, path, d);
out:
	free(path);
	free(core);
	free(dmesg);
	strv_free(files);
	strv_free(names);
	return r;
}

/* The kernel log saved with a loose dump file, by the same naming. */
static const char *partner_log(const char *core, char **names, const bool *taken)
{
	for (size_t i = 0; names[i]; i++) {
		if (taken[i] || !is_dmesg(classify(names[i])))
			continue;
		if (strncmp(core, "vmcore", 6) == 0 && strncmp(names[i], "vmcore-dmesg", 12) == 0)
			return names[i];
		if (strncmp(core, "dump.", 5) == 0 && strncmp(names[i], "dmesg.", 6) == 0 &&
		    strcmp(core + 5, names[i] + 6) == 0)
			return names[i];
	}
	return NULL;
}

static int add_loose(struct sysroot *root, const char *dir, const char *core,
                     const char *dmesg, struct dump_list *l)
{
	struct dump *d = new_dump(l, core ? core : dmesg, false);
	size_t n = 0;
	int r;

	if (!d)
		return -ENOMEM;
	if ((core && !(d->core = strdup(core))) || (dmesg && !(d->dmesg = strdup(dmesg))))
		return -ENOMEM;
	if ((core && (r = add_name(&d->files, &n, core)) < 0) ||
	    (dmesg && (r = add_name(&d->files, &n, dmesg)) < 0))
		return r;
	inspect_dump(root, dir, d);
	return 0;
}

/* Dump files and logs lying directly in the dump directory (kdumpctl's
 * test mode writes there, and people move files around). */
static int scan_loose(struct sysroot *root, const char *dir, char **names,
                      const bool *regular, struct dump_list *l)
{
	size_t n = 0;
	bool *taken;
	int r = 0;

	while (names[n])
		n++;
	taken = calloc(n + 1, sizeof(*taken));
	if (!taken)
		return -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *log;

		if (!regular[i] || !is_core(classify(names[i])))
			continue;
		log = partner_log(names[i], names, taken);
		for (size_t j = 0; log && j < n; j++)
			if (names[j] == log)
				taken[j] = true;
		taken[i] = true;
		r = add_loose(root, dir, names[i], log, l);
	}
	for (size_t i = 0; i < n && r == 0; i++)
		if (regular[i] && !taken[i] && is_dmesg(classify(names[i])))
			r = add_loose(root, dir, NULL, names[i], l);
	free(taken);
	return r;
}

static int newest_first(const void *a, const void *b)
{
	const struct dump *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->name, y->name);
}

int dumps_scan(struct sysroot *root, const char *dir, struct dump_list *ret)
{
	struct dump_list l = { 0 };
	struct skd_stat st;
	char **names = NULL;
	bool *regular = NULL;
	size_t n = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = sysroot_stat(root, dir, false, &st);
	if (r < 0)
		return r;
	if (st.type == SKD_FILE_NONE)
		return diag_set(-ENOENT, "dump directory \"%s\" does not exist", dir);
	if (st.type != SKD_FILE_DIRECTORY)
		return diag_set(-ENOTDIR, "dump directory \"%s\" is not a directory", dir);
	r = sysroot_list(root, dir, &names);
	if (r < 0)
		return r;
	while (names[n])
		n++;
	regular = calloc(n + 1, sizeof(*regular));
	if (!regular) {
		r = diag_set(-ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);

		/* nofollow: a symlink is never a dump, nor followed */
		if (!path || sysroot_stat(root, path, true, &st) < 0)
			st.type = SKD_FILE_OTHER;
		free(path);
		regular[i] = st.type == SKD_FILE_REGULAR;
		if (st.type == SKD_FILE_DIRECTORY &&
		    (r = scan_dump_dir(root, dir, names[i], &l)) < 0)
			goto nomem;
	}
	if ((r = scan_loose(root, dir, names, regular, &l)) < 0)
		goto nomem;
	diag_clear();
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), newest_first);
	for (size_t i = 0; i < l.n; i++)
		l.total_size += l.v[i].size;
	*ret = l;
	memset(&l, 0, sizeof(l));
	r = 0;
	goto out;
nomem:
	r = diag_set(r, "cannot list the dumps in \"%s\": %s", dir, strerror(-r));
out:
	dump_list_clear(&l);
	free(regular);
	strv_free(names);
	return r;
}

void dump_list_clear(struct dump_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct dump *d = &l->v[i];

		free(d->name);
		free(d->core);
		free(d->dmesg);
		strv_free(d->files);
		vmcore_info_clear(&d->info);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
