/* SPDX-License-Identifier: Apache-2.0 */
/* The status as Prometheus text exposition (format 0.0.4) for
 * node_exporter's textfile collector, which reads every *.prom file of its
 * directory: the file is replaced atomically, so a scrape never sees half
 * of it. Figures that are unknown are left out rather than reported as 0. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "status.h"
#include "utf8.h"

#define PROM_PREFIX "skyhook_kdump_"

struct prom {
	FILE *out;
	const char *family;     /* whose HELP and TYPE were written last */
};

/* A label value: backslash, double quote and line feed escaped, as the
 * format says; bytes that are not UTF-8 become U+FFFD. */
static void label_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', out);
	while (*p) {
		size_t n = utf8_seq_len(p);

		if (!n) {
			fputs(UTF8_REPLACEMENT, out);
			p++;
			continue;
		}
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

/* HELP and TYPE once, before the first sample of a family. */
static void family(struct prom *p, const char *name, const char *help)
{
	if (p->family && strcmp(p->family, name) == 0)
		return;
	fprintf(p->out, "# HELP " PROM_PREFIX "%s %s\n", name, help);
	fprintf(p->out, "# TYPE " PROM_PREFIX "%s gauge\n", name);
	p->family = name;
}

static void gauge(struct prom *p, const char *name, const char *help, uint64_t v)
{
	family(p, name, help);
	fprintf(p->out, PROM_PREFIX "%s %" PRIu64 "\n", name, v);
}

/* A 0/1 gauge from a tri-state; unknown leaves it out. */
static void gauge_tri(struct prom *p, const char *name, const char *help, int v)
{
	if (v >= 0)
		gauge(p, name, help, v ? 1 : 0);
}

static bool same_reason(const struct status_reason *a, const struct status_reason *b)
{
	return strcmp(a->code ? a->code : "", b->code ? b->code : "") == 0 &&
	       strcmp(a->message ? a->message : "", b->message ? b->message : "") == 0;
}

/* One series per code and message; a repeat would be a duplicate series. */
static void reason_series(struct prom *p, const char *name, const char *help,
                          const struct status_reason *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool repeat = false;

		for (size_t j = 0; j < i && !repeat; j++)
			repeat = same_reason(&r[i], &r[j]);
		if (repeat)
			continue;
		family(p, name, help);
		fputs(PROM_PREFIX, p->out);
		fputs(name, p->out);
		fputs("{code=", p->out);
		label_value(p->out, r[i].code);
		fputs(",message=", p->out);
		label_value(p->out, r[i].message);
		fputs("} 1\n", p->out);
	}
}

#define ARMED_HELP "1 when a panic now would leave a vmcore behind (verdict armed or armed with warnings)."

static void verdict_metrics(struct prom *p, const struct node_status *s)
{
	family(p, "armed", ARMED_HELP);
	fputs(PROM_PREFIX "armed{verdict=", p->out);
	label_value(p->out, verdict_name(s->verdict));
	fprintf(p->out, "} %d\n", s->verdict == VERDICT_NOT_ARMED ? 0 : 1);
	reason_series(p, "not_armed_reason", "A reason why no vmcore would be written, by stable code.",
	              s->reasons, s->n_reasons);
	reason_series(p, "warning", "A warning about the crash dump setup, by stable code.",
	              s->warnings, s->n_warnings);
}

static void memory_metrics(struct prom *p, const struct node_status *s)
{
	if (s->ram_known)
		gauge(p, "ram_bytes", "System RAM in bytes.", s->ram);
	if (s->have_reserved)
		gauge(p, "reserved_bytes", "Crash kernel memory reserved, in bytes (/sys/kernel/kexec_crash_size).", s->reserved);
	if (s->expected_known)
		gauge(p, "expected_bytes", "Bytes the crashkernel value in effect reserves on this RAM.", s->expected);
	if (s->recommended_known)
		gauge(p, "recommended_bytes", "Recommended crash kernel memory in bytes.", s->recommended);
	gauge_tri(p, "crash_kernel_loaded", "1 when a crash kernel is loaded (/sys/kernel/kexec_crash_loaded).", s->crash_loaded);
}

static void service_metrics(struct prom *p, const struct node_status *s)
{
	if (!s->service)
		return;
	gauge_tri(p, "service_active", "1 when the kdump service is active.", s->service_active);
	gauge_tri(p, "service_enabled", "1 when the kdump service is enabled.", s->service_enabled);
}

static void dump_metrics(struct prom *p, const struct node_status *s)
{
	/* counts mean something only for a local directory that was read */
	if (s->dump_dir && !s->dump_remote && s->dump_dir_exists >= 0) {
		gauge(p, "dumps", "Crash dumps in the dump directory.", s->n_dumps);
		gauge(p, "dumps_bytes", "Bytes used by the crash dumps in the dump directory.", s->dumps_size);
	}
	if (s->have_dump_free)
		gauge(p, "dump_dir_free_bytes", "Bytes free for new dumps in the dump directory.", s->dump_free);
}

static void security_metrics(struct prom *p, const struct node_status *s)
{
	gauge_tri(p, "secure_boot", "1 when Secure Boot is on.", s->secure_boot);
	if (s->lockdown) {
		family(p, "lockdown", "Kernel lockdown mode, in the label mode.");
		fputs(PROM_PREFIX "lockdown{mode=", p->out);
		label_value(p->out, s->lockdown);
		fputs("} 1\n", p->out);
	}
}

static void info_metric(struct prom *p, const struct node_status *s)
{
	family(p, "status_info", "The system, its backend, kernel and active crashkernel value, in labels.");
	fputs(PROM_PREFIX "status_info{os=", p->out);
	label_value(p->out, s->os_name ? s->os_name : s->os_id);
	fputs(",backend=", p->out);
	label_value(p->out, s->backend);
	fputs(",kernel=", p->out);
	label_value(p->out, s->kernel_release);
	fputs(",crashkernel_active=", p->out);
	label_value(p->out, s->ck_active);
	fputs("} 1\n", p->out);
}

/* Closes the memory stream that writes *buf (fclose sets it last): the
 * text, or NULL when writing failed. */
static char *finish(FILE *out, char **buf)
{
	bool failed = ferror(out) != 0;

	if (fclose(out) != 0 || failed) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *status_prometheus_text(const struct node_status *s)
{
	struct prom p = { 0 };
	char *buf = NULL;
	size_t len = 0;

	p.out = open_memstream(&buf, &len);
	if (!p.out)
		return NULL;
	verdict_metrics(&p, s);
	memory_metrics(&p, s);
	service_metrics(&p, s);
	dump_metrics(&p, s);
	security_metrics(&p, s);
	info_metric(&p, s);
	return finish(p.out, &buf);
}

/* The status could not be judged: armed 0 with the verdict "unknown",
 * and why, so that a dashboard never goes on showing an older verdict. */
char *status_prometheus_error_text(const char *code, const char *message)
{
	struct prom p = { 0 };
	char *buf = NULL;
	size_t len = 0;

	p.out = open_memstream(&buf, &len);
	if (!p.out)
		return NULL;
	family(&p, "armed", ARMED_HELP);
	fputs(PROM_PREFIX "armed{verdict=\"unknown\"} 0\n", p.out);
	family(&p, "status_error", "1 when the status could not be judged: the reason code "
	       "(bad_input, unsupported, failed) and the message in labels.");
	fputs(PROM_PREFIX "status_error{code=", p.out);
	label_value(p.out, code);
	fputs(",message=", p.out);
	label_value(p.out, message);
	fputs("} 1\n", p.out);
	return finish(p.out, &buf);
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
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

/* A new file next to `path` that nobody else made: O_EXCL and O_NOFOLLOW
 * never open what is already there, a planted symlink included. The name
 * does not end in .prom, so the collector skips it. */
static int open_temp(const char *dir, const char *base, char **ret_tmp)
{
	for (unsigned int attempt = 0; attempt < 100; attempt++) {
		char *tmp;
		int fd;

		if (asprintf(&tmp, "%s/.%s.%ld.%u.tmp", dir, base, (long)getpid(),
		             attempt) < 0)
			return -ENOMEM;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
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

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return -errno;
	/* some file systems cannot sync a directory; the rename stands */
	if (fsync(fd) < 0 && errno != EINVAL)
		r = -errno;
	close(fd);
	return r;
}

static int write_stdout(const char *text)
{
	errno = 0;
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
		return diag_set(-(errno ? errno : EIO), "cannot write Prometheus metrics "
		                "to standard output: %s", strerror(errno ? errno : EIO));
	return 0;
}

/* Writes `text` (malloc'd; NULL when it could not be made) and frees it. */
static int write_text(char *text, const char *path)
{
	char *dir = NULL, *tmp = NULL;
	const char *base, *step;
	int fd = -1, r;

	if (!text)
		return diag_set(-ENOMEM, "cannot write Prometheus metrics to '%s': out of memory", path);
	if (strcmp(path, "-") == 0) {
		r = write_stdout(text);
		free(text);
		return r;
	}

	base = strrchr(path, '/');
	dir = base ? strndup(path, (size_t)(base - path)) : strdup(".");
	base = base ? base + 1 : path;
	if (!dir) {
		r = -ENOMEM;
		step = "allocating";
		goto out;
	}
	if (!*dir) {            /* "/name" */
		free(dir);
		dir = strdup("/");
		if (!dir) {
			r = -ENOMEM;
			step = "allocating";
			goto out;
		}
	}
	if (!*base) {
		r = -EISDIR;
		step = "naming the file";
		goto out;
	}

	step = "creating a temporary file in its directory";
	fd = open_temp(dir, base, &tmp);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	/* mode 0644 whatever the umask: the collector may run as another user */
	step = "setting the mode of the temporary file";
	if (fchmod(fd, 0644) < 0) {
		r = -errno;
		goto out;
	}
	step = "writing the temporary file";
	r = write_all(fd, text, strlen(text));
	if (r < 0)
		goto out;
	step = "syncing the temporary file";
	if (fsync(fd) < 0) {
		r = -errno;
		goto out;
	}
	step = "closing the temporary file";
	r = close(fd) < 0 ? -errno : 0;
	fd = -1;
	if (r < 0)
		goto out;
	step = "renaming the temporary file over it";
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	step = "syncing its directory after the rename";
	r = fsync_dir(dir);
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (r < 0)
		diag_set(r, "cannot write Prometheus metrics to '%s': %s: %s",
		         path, step, strerror(-r));
	free(dir);
	free(text);
	return r;
}

int status_write_prometheus(const struct node_status *s, const char *path)
{
	return write_text(status_prometheus_text(s), path);
}

int status_write_prometheus_error(const char *code, const char *message, const char *path)
{
	return write_text(status_prometheus_error_text(code, message), path);
}
