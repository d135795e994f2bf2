/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump dumps [--json] [DIR]: the crash dumps in the dump
 * directory, newest first; --prune --keep N removes all but the newest N.
 * Without DIR, the directory is the one the kdump configuration of the
 * root selects. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "context.h"
#include "diag.h"
#include "dumps.h"
#include "kdumpconf.h"
#include "report.h"
#include "sysroot.h"

#define ERR(...) fprintf(stderr, "skyhook-kdump dumps: " __VA_ARGS__)

/* A message that may quote a name from the dump directory, on one line. */
static void err_line(const char *msg)
{
	fputs("skyhook-kdump dumps: ", stderr);
	text_flat(stderr, msg);
	fputc('\n', stderr);
}

/* The dump directory the kdump configuration in place selects. */
static int configured_dir(struct context *c, char **ret)
{
	int e;

	if ((e = context_read_os_release(c)) || (e = context_find_backend(c)) ||
	    (e = context_load_backend(c)))
		return e;
	*ret = context_current_dump_dir(c);
	if (!*ret) {
		diag_set(-EINVAL, "%s sends dumps to a remote target or a dump device, "
		         "not a directory of this system: give the directory to read as DIR",
		         c->facts.kdump_config_path);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

static void human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(*units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

static void print_json(const char *dir, bool exists, const struct dump_list *l)
{
	printf("{\"schema_version\":1,\"dir\":");
	json_string(stdout, dir);
	printf(",\"exists\":%s,\"count\":%zu,\"total_size\":%" PRIu64 ",\"dumps\":[",
	       exists ? "true" : "false", l->n, l->total_size);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			putchar(',');
		dump_json(stdout, &l->v[i]);
	}
	printf("]}\n");
}

static const char *time_source_words(const char *s)
{
	return strcmp(s, "dump") == 0 ? "from the dump" :
	       strcmp(s, "name") == 0 ? "from the name" :
	       strcmp(s, "mtime") == 0 ? "file time" : "no plausible time in the dump, "
	       "its name or its file";
}

/* Names and fields from the dump directory may hold anything: each is
 * flattened onto its line (text_flat()). */
static void print_dump(const struct dump *d)
{
	char t[64], size[32];
	bool known = dump_time_text(d, false, t, sizeof(t));

	human_size(d->size, size, sizeof(size));
	text_flat(stdout, d->name);
	printf("%s: %s (%s), %s, %s, kernel ", d->is_dir ? "/" : "", t,
	       time_source_words(known ? d->time_source : "unknown"),
	       vmcore_format_name(d->info.format), size);
	text_flat(stdout, d->info.release ? d->info.release : "unknown");
	printf(", %s", d->info.complete ? "complete" : "incomplete");
	if (d->info.problem) {
		fputs(" (", stdout);
		text_flat(stdout, d->info.problem);
		putchar(')');
	}
	if (d->info.panic) {
		fputs(", panic: ", stdout);
		text_flat(stdout, d->info.panic);
	}
	putchar('\n');
}

static void print_text(const char *dir, bool exists, const struct dump_list *l)
{
	char size[32];

	if (l->n == 0) {
		fputs("no dumps in ", stdout);
		text_flat(stdout, dir);
		printf("%s\n", exists ? "" : " (it does not exist)");
		return;
	}
	human_size(l->total_size, size, sizeof(size));
	printf("%zu dump%s in ", l->n, l->n == 1 ? "" : "s");
	text_flat(stdout, dir);
	printf(" (%s), newest first:\n", size);
	for (size_t i = 0; i < l->n; i++)
		print_dump(&l->v[i]);
}

static int prune(const struct cli *cli, struct sysroot *root, const char *dir,
                 const struct dump_list *l)
{
	uint64_t bytes = 0;
	size_t n;
	char size[32];

	if (l->n <= cli->keep) {
		printf("nothing to remove: %zu dump%s in ", l->n, l->n == 1 ? "" : "s");
		text_flat(stdout, dir);
		printf(", keeping the newest %lu\n", cli->keep);
		return EXIT_OK;
	}
	n = l->n - cli->keep;
	for (size_t i = cli->keep; i < l->n; i++)
		bytes += l->v[i].size;
	if (dumps_prune(root, dir, l, cli->keep, cli->dry_run, stdout) < 0) {
		fflush(stdout);
		err_line(diag_message());
		return EXIT_OP_FAILED;
	}
	human_size(bytes, size, sizeof(size));
	printf("%s %zu dump%s (%s), %s the newest %lu\n",
	       cli->dry_run ? "would remove" : "removed", n, n == 1 ? "" : "s", size,
	       cli->dry_run ? "keeping" : "kept", cli->keep);
	return EXIT_OK;
}

int cmd_dumps(const struct cli *cli)
{
	struct context c = { 0 };
	struct dump_list l = { 0 };
	char *dir = NULL;
	bool exists = true;
	int e, r;

	diag_clear();
	if (cli->prune && cli->json) {
		ERR("--json does not go with --prune\n");
		return EXIT_BAD_INPUT;
	}
	if (cli->dumps_dir && cli->dumps_dir[0] != '/') {
		ERR("DIR \"%s\": give an absolute path (inside the root)\n", cli->dumps_dir);
		return EXIT_BAD_INPUT;
	}
	if ((e = context_open_root(&c, cli)))
		goto fail;
	if (cli->dumps_dir)
		dir = strdup(cli->dumps_dir);
	else if ((e = configured_dir(&c, &dir)))
		goto fail;
	if (!dir) {
		diag_set(-ENOMEM, "out of memory");
		e = EXIT_OP_FAILED;
		goto fail;
	}
	r = dumps_scan(c.root, dir, &l);
	if (r == -ENOENT && !cli->dumps_dir) {
		/* nothing was ever dumped there */
		exists = false;
	} else if (r == -ENOENT || r == -ENOTDIR) {
		e = EXIT_BAD_INPUT;
		goto fail;
	} else if (r < 0) {
		e = EXIT_OP_FAILED;
		goto fail;
	}
	if (cli->prune)
		e = prune(cli, c.root, dir, &l);
	else if (cli->json)
		print_json(dir, exists, &l);
	else
		print_text(dir, exists, &l);
	goto out;
fail:
	err_line(*diag_message() ? diag_message() : "failed");
out:
	dump_list_clear(&l);
	free(dir);
	context_close(&c);
	return e;
}
