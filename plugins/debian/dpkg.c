/* SPDX-License-Identifier: Apache-2.0 */
/* The dpkg database (/var/lib/dpkg/status) and the dpkg runs that finish
 * what apt-get unpacked: configure without triggers, then every pending
 * trigger but initramfs-tools'.
 *
 * Why that one waits: installing kdump-tools activates it, and
 * processing it rebuilds the node's initrd (minutes on a small machine) for
 * nothing: kdump-tools' hook exits unless it builds kdump-tools' own initrd,
 * and its local-bottom script exits unless /proc/vmcore exists. The node
 * keeps booting the initrd it booted before, and the next package operation
 * (a kernel update, any apt-get run, our uninstall) processes the trigger
 * as usual. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define INITRAMFS_PACKAGE "initramfs-tools"

static const char *const dpkg_env[] = {
	"DEBIAN_FRONTEND=noninteractive", NULL,
};

/* Returns true when it has seen enough: the reading stops. `version` is
 * the stanza's Version (NUL-terminated) when the reader keeps it, else
 * NULL. */
typedef bool package_fn(const char *pkg, size_t pkg_len, const char *state,
                        size_t state_len, const char *version, void *data);
/* Whether a package's stanza matters; the rest of one that does not is
 * passed over without a look. */
typedef bool package_wanted_fn(const char *pkg, size_t pkg_len, void *data);

/* The stanza being read: its Package and the last word of its Status
 * ("want flag state"), and its Version when asked for, copied, since the
 * lines come one at a time. */
struct stanza_reader {
	package_fn *fn;
	package_wanted_fn *wanted;      /* NULL: every stanza */
	void *data;
	bool want_version;
	char *pkg, *state, *version;
	size_t pkg_len, state_len, version_len, pkg_cap, state_cap, version_cap;
	bool have_pkg, have_state, have_version;
	bool passing_over;              /* a stanza that does not matter */
	int error;
};

static int keep(char **buf, size_t *cap, size_t *len, const char *s, size_t n)
{
	if (n + 1 > *cap) {
		char *p = realloc(*buf, n + 1);

		if (!p)
			return -ENOMEM;
		*buf = p;
		*cap = n + 1;
	}
	memcpy(*buf, s, n);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

/* 1 when fn has seen enough */
static int stanza_end(struct stanza_reader *r)
{
	bool enough = false;

	if (r->have_pkg && r->have_state)
		enough = r->fn(r->pkg, r->pkg_len, r->state, r->state_len,
		               r->have_version ? r->version : NULL, r->data);
	r->have_pkg = r->have_state = r->have_version = r->passing_over = false;
	return enough ? 1 : 0;
}

/* A Package, Status or Version line (or another field starting with P, S
 * or V). */
static int stanza_field(struct stanza_reader *r, const char *line, size_t len)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (len >= 8 && memcmp(line, "Package:", 8) == 0) {
		size_t skip = 8 + strspn(line + 8, " \t");

		if (skip > len)
			skip = len;
		if (r->wanted && !r->wanted(line + skip, len - skip, r->data)) {
			/* a Status already seen goes unused: fn is not called */
			r->passing_over = true;
			return 0;
		}
		r->error = keep(&r->pkg, &r->pkg_cap, &r->pkg_len, line + skip,
		                len - skip);
		r->have_pkg = true;
	} else if (len >= 7 && memcmp(line, "Status:", 7) == 0) {
		const char *state = line + len;

		while (state > line + 7 && state[-1] != ' ')
			state--;
		r->error = keep(&r->state, &r->state_cap, &r->state_len, state,
		                (size_t)(line + len - state));
		r->have_state = true;
	} else if (r->want_version && len >= 8 && memcmp(line, "Version:", 8) == 0) {
		size_t skip = 8 + strspn(line + 8, " \t");

		if (skip > len)
			skip = len;
		r->error = keep(&r->version, &r->version_cap, &r->version_len,
		                line + skip, len - skip);
		r->have_version = true;
	}
	return r->error;
}

/* One line of the database: a blank line ends a stanza. Called for every
 * line of a file of megabytes: the usual line costs a few instructions. */
static int stanza_line(const char *line, size_t len, void *data)
{
	struct stanza_reader *r = data;

	if (len == 0)
		return stanza_end(r);
	/* most of a node's database is other packages, and other fields:
	 * one byte tells */
	if (r->passing_over || (line[0] != 'P' && line[0] != 'S' &&
	                        (line[0] != 'V' || !r->want_version)))
		return 0;
	return stanza_field(r, line, len);
}

/* A whole text, for a host without read_lines. */
static int each_line(char *text, struct stanza_reader *r)
{
	char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		bool more = p[len] != '\0';
		int e;

		p[len] = '\0';
		e = stanza_line(p, len, r);
		if (e != 0)
			return e;
		p += len + (more ? 1 : 0);
	}
	return 0;
}

/* Calls fn(package, state, data) for each stanza of the dpkg database with
 * both fields (not NUL-terminated) whose package wanted, when given,
 * accepts (dpkg writes Package first in a stanza). Read a line at a time
 * where the host can: on a node it is megabytes. */
static int read_database(const struct skd_host *h, struct stanza_reader *r)
{
	int e;

	if (SKD_HOST_HAS(h, read_lines)) {
		e = h->read_lines(h, DPKG_STATUS, stanza_line, r);
	} else {
		char *text;
		size_t len;

		e = h->read_file(h, DPKG_STATUS, &text, &len);
		if (e == 0) {
			e = each_line(text, r);
			free(text);
		}
	}
	if (e == 0)
		e = stanza_end(r);
	free(r->pkg);
	free(r->state);
	free(r->version);
	return e < 0 ? e : 0;      /* to the end, or fn had seen enough */
}

static int for_each_package(const struct skd_host *h, package_wanted_fn *wanted,
                            package_fn *fn, void *data)
{
	struct stanza_reader r = { .fn = fn, .wanted = wanted, .data = data };
	int e = read_database(h, &r);

	if (e == -ENOMEM)
		return h->error(h, e, "out of memory reading the dpkg database");
	if (e < 0)
		return h->error(h, e, "cannot read the dpkg database \"%s\"",
		                DPKG_STATUS);
	return 0;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return len && s[0] == word[0] && strlen(word) == len &&
	       memcmp(s, word, len) == 0;
}

struct installed_query {
	const char *const *names;
	bool *installed;
};

static bool is_asked(const char *pkg, size_t pkg_len, void *data)
{
	const struct installed_query *q = data;

	for (size_t i = 0; q->names[i]; i++)
		if (word_is(pkg, pkg_len, q->names[i]))
			return true;
	return false;
}

/* Once every name is installed nothing later can change the answer: on a
 * converged node the reading stops there, half-way through a database
 * dpkg keeps sorted by name. */
static bool mark_installed(const char *pkg, size_t pkg_len, const char *state,
                           size_t state_len, const char *version, void *data)
{
	struct installed_query *q = data;
	bool all = true;

	(void)version;
	if (!word_is(state, state_len, "installed"))
		return false;
	for (size_t i = 0; q->names[i]; i++) {
		if (word_is(pkg, pkg_len, q->names[i]))
			q->installed[i] = true;
		all &= q->installed[i];
	}
	return all;
}

int deb_packages_query(const struct skd_host *h, const char *const *names,
                       bool *ret_installed)
{
	size_t n = 0;
	int r;

	while (names[n])
		n++;
	bool installed[n + 1];
	memset(installed, 0, sizeof(installed));
	r = for_each_package(h, is_asked, mark_installed,
	                     &(struct installed_query){ names, installed });
	if (r < 0)
		return r;
	memcpy(ret_installed, installed, n * sizeof(bool));
	return 0;
}

struct version_query {
	const char *name;
	char *version;
	int error;
};

static bool is_named(const char *pkg, size_t pkg_len, void *data)
{
	const struct version_query *q = data;

	return word_is(pkg, pkg_len, q->name);
}

static bool take_version(const char *pkg, size_t pkg_len, const char *state,
                         size_t state_len, const char *version, void *data)
{
	struct version_query *q = data;

	(void)pkg;
	(void)pkg_len;
	if (!word_is(state, state_len, "installed") || !version)
		return false;
	q->version = strdup(version);
	if (!q->version)
		q->error = -ENOMEM;
	return true;
}

int deb_package_version(const struct skd_host *h, const char *name,
                        char **ret_version)
{
	struct version_query q = { .name = name };
	struct stanza_reader r = {
		.fn = take_version, .wanted = is_named, .data = &q,
		.want_version = true,
	};
	int e = read_database(h, &r);

	*ret_version = NULL;
	if (e == 0)
		e = q.error;
	if (e < 0) {
		free(q.version);
		return e;
	}
	*ret_version = q.version;
	return 0;
}

/* Packages in one of a set of states, for a dpkg command line. */
struct selection {
	const char *const *states;
	const char *skip;               /* a package left out, or NULL */
	char **names;
	size_t n, cap;
	int error;
};

static bool select_package(const char *pkg, size_t pkg_len, const char *state,
                           size_t state_len, const char *version, void *data)
{
	struct selection *s = data;
	size_t i = 0;

	(void)version;
	while (s->states[i] && !word_is(state, state_len, s->states[i]))
		i++;
	if (!s->states[i] || s->error || (s->skip && word_is(pkg, pkg_len, s->skip)))
		return false;
	if (s->n + 1 >= s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **names = realloc(s->names, cap * sizeof(*names));

		if (!names) {
			s->error = -ENOMEM;
			return false;
		}
		s->names = names;
		s->cap = cap;
	}
	s->names[s->n] = strndup(pkg, pkg_len);
	if (!s->names[s->n]) {
		s->error = -ENOMEM;
		return false;
	}
	s->names[++s->n] = NULL;
	return false;
}

static void selection_free(struct selection *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
}

static int select_states(const struct skd_host *h, struct selection *s)
{
	int r = for_each_package(h, NULL, select_package, s);

	if (r < 0)
		return r;
	if (s->error)
		return h->error(h, s->error, "cannot read the dpkg database \"%s\": %s",
		                DPKG_STATUS, strerror(-s->error));
	return 0;
}

/* dpkg OPTIONS... NAMES...; fails with dpkg's last line. */
static int run_dpkg(const struct skd_host *h, const char *const *options,
                    char **names)
{
	size_t n_opt = 0, n = 0, a = 0;
	struct skd_run_result res = { 0 };
	const char **argv;
	int r;

	while (options[n_opt])
		n_opt++;
	while (names && names[n])
		n++;
	argv = calloc(1 + n_opt + n + 1, sizeof(*argv));
	if (!argv)
		return h->error(h, -ENOMEM, "out of memory");
	argv[a++] = "dpkg";
	for (size_t i = 0; i < n_opt; i++)
		argv[a++] = options[i];
	for (size_t i = 0; i < n; i++)
		argv[a++] = names[i];
	r = h->run(h, argv, dpkg_env, SKD_RUN_CHANGES, &res);
	if (r < 0)
		r = h->error(h, r, "cannot run \"dpkg\" in the root");
	else if (res.status != 0)
		r = deb_command_failed(h, "\"dpkg\"", &res);
	h->run_result_free(h, &res);
	free(argv);
	return r;
}

/* Run dpkg on the packages in the given states; nothing when none is. */
static int dpkg_on_states(const struct skd_host *h, const char *const *states,
                          const char *skip, const char *const *options)
{
	struct selection s = { .states = states, .skip = skip };
	int r = select_states(h, &s);

	if (r == 0 && s.n > 0)
		r = run_dpkg(h, options, s.names);
	selection_free(&s);
	return r;
}

static bool initramfs_trigger_pending(const struct skd_host *h)
{
	static const char *const pending[] = { "triggers-pending", NULL };
	struct selection s = { .states = pending };
	bool found = false;

	if (select_states(h, &s) == 0)
		for (size_t i = 0; i < s.n; i++)
			found |= strcmp(s.names[i], INITRAMFS_PACKAGE) == 0;
	selection_free(&s);
	return found;
}

int deb_dpkg_finish(const struct skd_host *h)
{
	static const char *const unconfigured[] = {
		"unpacked", "half-configured", NULL,
	};
	static const char *const configure[] = {
		"--force-confdef", "--force-confold", "--no-triggers",
		"--configure", NULL,
	};
	static const char *const triggered[] = { "triggers-pending", NULL };
	static const char *const triggers_only[] = { "--triggers-only", NULL };
	static const char *const awaiting[] = { "triggers-awaited", NULL };
	static const char *const everything[] = {
		"--force-confdef", "--force-confold", "--configure", "--pending",
		NULL,
	};
	struct selection waiting = { .states = awaiting };
	int r;

	if (h->flags & SKD_HOST_DRY_RUN)
		return 0;
	/* the unpack's triggers (ldconfig, man-db) first: once configured,
	 * the packages count as installed, and a run stopped right then
	 * would leave nothing that tells the next one to run them */
	r = dpkg_on_states(h, triggered, INITRAMFS_PACKAGE, triggers_only);
	if (r == 0)
		r = dpkg_on_states(h, unconfigured, NULL, configure);
	/* and what the maintainer scripts activated */
	if (r == 0)
		r = dpkg_on_states(h, triggered, INITRAMFS_PACKAGE, triggers_only);
	if (r == 0)
		r = select_states(h, &waiting);
	if (r == 0 && waiting.n > 0) {
		/* a package waits for the deferred trigger: run them all */
		h->log(h, SKD_LOG_INFO, "%s waits for a trigger; processing all of them",
		       waiting.names[0]);
		r = run_dpkg(h, everything, NULL);
	} else if (r == 0 && initramfs_trigger_pending(h)) {
		h->log(h, SKD_LOG_NOTICE,
		       "kept the pending initrd rebuild (%s trigger) for the next package operation: "
		       "the node's initrd does not use kdump-tools' files",
		       INITRAMFS_PACKAGE);
	}
	selection_free(&waiting);
	return r;
}
