/* SPDX-License-Identifier: Apache-2.0 */
/* Finding the dumps in a dump directory: which entries are dumps (by the
 * file names kdump-tools and kdump-utils give them), which files belong to
 * each, and when each was taken. Reading a file is vmcore.c's job. Only
 * the dump directory is opened by path; everything below it is reached
 * with *at() calls from its descriptor, never following a symlink, and
 * each dump directory's device and inode are kept for --prune. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "dumps.h"
#include "report.h"
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

/* The entry `name` of dirfd, without following a symlink. */
static bool stat_at(int dirfd, const char *name, struct stat *ret)
{
	return fstatat(dirfd, name, ret, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Inspects the file `name` of dirfd; failures to open or read become the
 * problem. */
static void inspect_file(int dirfd, const char *name, struct vmcore_info *ret,
                         int64_t *ret_mtime)
{
	struct stat st;
	int fd, r;

	memset(ret, 0, sizeof(*ret));
	/* O_NONBLOCK: what became a FIFO since the listing cannot hang us;
	 * vmcore_inspect() refuses anything not regular */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (asprintf(&ret->problem, "cannot open %s: %s", name, strerror(errno)) < 0)
			ret->problem = NULL;
		if (fd >= 0)
			close(fd);
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

/* The time a name carries, when it is plausible. */
static bool plausible_name_time(const char *name, int64_t now, int64_t *ret)
{
	return name && time_from_name(name, ret) && vmcore_time_plausible(*ret, now);
}

void dump_pick_time(struct dump *d, int64_t mtime, int64_t now)
{
	int64_t t;

	d->have_time = true;
	if (d->info.have_time) {
		d->time = d->info.crash_time;
		d->time_source = "dump";
	} else if (plausible_name_time(d->name, now, &t) ||
	           plausible_name_time(d->core, now, &t) ||
	           plausible_name_time(d->dmesg, now, &t)) {
		d->time = t;
		d->time_source = "name";
	} else if (mtime >= 0 && mtime <= now + VMCORE_TIME_SLACK) {
		/* a file time before 2000 is still when the file was written */
		d->time = mtime;
		d->time_source = "mtime";
	} else {
		d->have_time = false;
		d->time = 0;
		d->time_source = "unknown";
	}
}

/* Fills info, time and size of `d` from its files in dirfd. */
static void inspect_dump(int dirfd, struct dump *d)
{
	int64_t core_mtime = -1, dmesg_mtime = -1;

	if (d->core) {
		inspect_file(dirfd, d->core, &d->info, &core_mtime);
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

		inspect_file(dirfd, d->dmesg, &log, &dmesg_mtime);
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
	dump_pick_time(d, core_mtime >= 0 ? core_mtime : dmesg_mtime, (int64_t)time(NULL));
	d->size = 0;
	for (char **f = d->files; f && *f; f++) {
		struct stat st;

		if (stat_at(dirfd, *f, &st) && S_ISREG(st.st_mode))
			d->size += (uint64_t)st.st_size;
	}
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

/* A directory is a dump when it holds a dump file or a kernel log. It is
 * opened once, and all of it is read through that descriptor. */
static int scan_dump_dir(int rootfd, const char *name, struct dump_list *l)
{
	char **names = NULL, *core = NULL, *dmesg = NULL, **files = NULL;
	size_t n_files = 0, n_other = 0;
	struct stat dst;
	struct dump *d;
	int dirfd, r;

	dirfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* unreadable: not ours to judge, and never removed */
	if (dirfd < 0 || fstat(dirfd, &dst) < 0 || sysroot_list_fd(dirfd, &names) < 0) {
		r = 0;
		goto out;
	}
	for (char **n = names; *n; n++) {
		struct stat st;
		enum part p = classify(*n);

		if (p == PART_NONE || !stat_at(dirfd, *n, &st) || !S_ISREG(st.st_mode)) {
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
	r = 0;
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
	d->dev = (uint64_t)dst.st_dev;
	d->ino = (uint64_t)dst.st_ino;
	core = dmesg = NULL;
	files = NULL;
	inspect_dump(dirfd, d);
out:
	if (dirfd >= 0)
		close(dirfd);
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

static int add_loose(int rootfd, const char *core, const char *dmesg,
                     struct dump_list *l)
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
	inspect_dump(rootfd, d);
	return 0;
}

/* Dump files and logs lying directly in the dump directory (kdumpctl's
 * test mode writes there, and people move files around). */
static int scan_loose(int rootfd, char **names, const bool *regular,
                      struct dump_list *l)
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
		r = add_loose(rootfd, names[i], log, l);
	}
	for (size_t i = 0; i < n && r == 0; i++)
		if (regular[i] && !taken[i] && is_dmesg(classify(names[i])))
			r = add_loose(rootfd, NULL, names[i], l);
	free(taken);
	return r;
}

/* A dump of unknown time sorts last: prune takes it first. */
static int newest_first(const void *a, const void *b)
{
	const struct dump *x = a, *y = b;

	if (x->have_time != y->have_time)
		return x->have_time ? -1 : 1;
	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->name, y->name);
}

int dumps_scan(struct sysroot *root, const char *dir, struct dump_list *ret)
{
	struct dump_list l = { 0 };
	struct skd_stat sst;
	struct stat st;
	char **names = NULL;
	bool *regular = NULL;
	size_t n = 0;
	int rootfd, r;

	memset(ret, 0, sizeof(*ret));
	r = sysroot_stat(root, dir, false, &sst);
	if (r < 0)
		return r;
	if (sst.type == SKD_FILE_NONE)
		return diag_set(-ENOENT, "dump directory \"%s\" does not exist", dir);
	if (sst.type != SKD_FILE_DIRECTORY)
		return diag_set(-ENOTDIR, "dump directory \"%s\" is not a directory", dir);
	rootfd = sysroot_open_dir(root, dir, &st);
	if (rootfd < 0)
		return rootfd;
	l.dev = (uint64_t)st.st_dev;
	l.ino = (uint64_t)st.st_ino;
	r = sysroot_list_fd(rootfd, &names);
	if (r < 0)
		goto nomem;
	while (names[n])
		n++;
	regular = calloc(n + 1, sizeof(*regular));
	if (!regular) {
		r = -ENOMEM;
		goto nomem;
	}
	for (size_t i = 0; i < n; i++) {
		/* nofollow: a symlink is never a dump, nor followed */
		if (!stat_at(rootfd, names[i], &st))
			continue;
		regular[i] = S_ISREG(st.st_mode);
		if (S_ISDIR(st.st_mode) && (r = scan_dump_dir(rootfd, names[i], &l)) < 0)
			goto nomem;
	}
	if ((r = scan_loose(rootfd, names, regular, &l)) < 0)
		goto nomem;
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
	close(rootfd);
	dump_list_clear(&l);
	free(regular);
	strv_free(names);
	return r;
}

/* ISO 8601 in UTC; false when the time has no such form in 4-digit years
 * (dump_pick_time() leaves none of those). */
bool dump_time_text(const struct dump *d, bool json, char *buf, size_t len)
{
	time_t tt = (time_t)d->time;
	struct tm tm;

	if (!d->have_time || d->time < 0 || d->time > DUMP_TIME_MAX ||
	    !gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, json ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC", &tm)) {
		snprintf(buf, len, "%s", json ? "null" : "unknown");
		return false;
	}
	return true;
}

static void json_or_null(FILE *f, const char *s)
{
	if (s)
		json_string(f, s);
	else
		fputs("null", f);
}

void dump_json(FILE *f, const struct dump *d)
{
	char t[64];
	bool known = dump_time_text(d, true, t, sizeof(t));

	fputs("{\"name\":", f);
	json_string(f, d->name);
	fprintf(f, ",\"is_dir\":%s,\"core\":", d->is_dir ? "true" : "false");
	json_or_null(f, d->core);
	fputs(",\"dmesg\":", f);
	json_or_null(f, d->dmesg);
	fprintf(f, ",\"time\":%s%s%s,\"time_source\":\"%s\",\"size\":%" PRIu64
	        ",\"format\":\"%s\",\"release\":", known ? "\"" : "", t, known ? "\"" : "",
	        known ? d->time_source : "unknown", d->size, vmcore_format_name(d->info.format));
	json_or_null(f, d->info.release);
	fputs(",\"panic\":", f);
	json_or_null(f, d->info.panic);
	fprintf(f, ",\"complete\":%s,\"problem\":", d->info.complete ? "true" : "false");
	json_or_null(f, d->info.problem);
	fputc('}', f);
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
