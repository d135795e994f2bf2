/* SPDX-License-Identifier: Apache-2.0 */
/* Packages with apt-get: install exactly the names given, without
 * Recommends, keeping the admin's conffiles; purge what we installed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "debian.h"

/* wait for another apt or dpkg (unattended-upgrades) instead of failing;
 * apt before 1.9.11 ignores the option */
#define LOCK_TIMEOUT "DPkg::Lock::Timeout=120"
#define MAX_ARGS 32

static const char *const apt_env[] = {
	"DEBIAN_FRONTEND=noninteractive", NULL,
};

/* The last line of a command's stderr, for messages. */
static char *last_line(const char *s)
{
	const char *end, *start;

	if (!s)
		return strdup("(no message)");
	end = s + strlen(s);
	while (end > s && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	return start == end ? strdup("(no message)")
	                    : strndup(start, (size_t)(end - start));
}

static int run_apt(const struct skd_host *h, const char *const *argv,
                   struct skd_run_result *ret)
{
	int r = h->run(h, argv, apt_env, SKD_RUN_CHANGES, ret);

	if (r < 0)
		return h->error(h, r, "cannot run \"%s\" in the root", argv[0]);
	return 0;
}

int deb_command_failed(const struct skd_host *h, const char *what,
                       const struct skd_run_result *res)
{
	char *msg = last_line(res->err);
	int r = h->error(h, -SKD_E_FAILED, "%s failed with exit status %d: %s",
	                 what, res->status, msg ? msg : "(out of memory)");
	free(msg);
	return r;
}

/* What "apt-get update" said on stderr about the indexes. Every apt from
 * 1.4 (Debian 9) to 3.0 (Debian 13), Ubuntu 18.04's 1.6 to 24.04's 2.7
 * included, reports a source it could not fetch the same way
 * (apt-pkg/update.cc AcquireUpdate, so since 1.2.8):
 *  - unreachable (a name that does not resolve, a connection refused or
 *    timed out: a transient network error): "W: Failed to fetch URI
 *    REASON" and "W: Some index files failed to download. They have been
 *    ignored, or old ones used instead.", and exit status 0;
 *  - a source that answers with an error (404, a hash sum mismatch while
 *    a mirror syncs): the same two lines as "E:", and exit status 100;
 *  - both at once: the "Failed to fetch" lines of each kind, the summary
 *    as "W:", and exit status 100.
 * A bad signature on a source that has older indexes counts as transient
 * too. The texts are apt's untranslated ones (we run it under LC_ALL=C);
 * apt 3.0 writes "Error:"/"Warning:" in place of "E:"/"W:" only with
 * APT::Output-Version 30 (the default of the "apt" command, not of
 * apt-get), read as well should an admin set it. Any other error ("Could
 * not get lock", "The repository ... does not have a Release file", "is
 * not signed") is not an index failure. */
struct update_report {
	bool index_failed;      /* a "Failed to fetch" or "Some index files" */
	bool other_error;       /* an error line that is neither */
	char *first_failure;    /* the first index failure line, for messages */
};

static const char *message_body(const char *line, bool *ret_error)
{
	static const struct { const char *prefix; bool error; } kinds[] = {
		{ "E: ", true }, { "Error: ", true },
		{ "W: ", false }, { "Warning: ", false },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(line, kinds[i].prefix, n) == 0) {
			*ret_error = kinds[i].error;
			return line + n;
		}
	}
	return NULL;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncmp(s, prefix, n) == 0;
}

static void read_update_messages(const char *err, struct update_report *rep)
{
	*rep = (struct update_report){ 0 };
	for (const char *p = err; p && *p;) {
		size_t len = strcspn(p, "\n");
		bool error = false;
		const char *body = message_body(p, &error);

		if (body && len > (size_t)(body - p)) {
			size_t blen = len - (size_t)(body - p);

			if (starts_with(body, blen, "Failed to fetch ") ||
			    starts_with(body, blen, "Some index files failed to download")) {
				if (!rep->first_failure)
					rep->first_failure = strndup(p, len);
				rep->index_failed = true;
			} else if (error) {
				rep->other_error = true;
			}
		}
		p += len;
		if (*p)
			p++;
	}
}

/* APT_ALLOW_INDEX_FAILURE=false in the custom resource's env turns the
 * tolerance off, as in the upstream package. */
static bool index_failure_allowed(const struct skd_host *h)
{
	const char *v = h->get(h, "env.APT_ALLOW_INDEX_FAILURE");

	return !(v && (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
	               strcasecmp(v, "no") == 0));
}

/* An index that failed is read from apt's messages, not from its exit
 * status: an unreachable source leaves the status at 0. By default the
 * install goes on with a warning (old lists, or none, for that source);
 * APT_ALLOW_INDEX_FAILURE=false makes it fatal, before anything changes.
 * Any other failure of the update is fatal either way. */
static int apt_update(const struct skd_host *h)
{
	const char *const argv[] = {
		"apt-get", "-o", LOCK_TIMEOUT, "update", NULL,
	};
	struct skd_run_result res = { 0 };
	struct update_report rep;
	int r = run_apt(h, argv, &res);

	if (r < 0)
		return r;
	read_update_messages(res.err, &rep);
	if (res.status != 0 && (rep.other_error || !rep.index_failed)) {
		r = deb_command_failed(h, "\"apt-get update\"", &res);
	} else if (rep.index_failed && !index_failure_allowed(h)) {
		r = h->error(h, -SKD_E_FAILED,
		             "\"apt-get update\" could not fetch some package "
		             "indexes (exit status %d), and APT_ALLOW_INDEX_FAILURE="
		             "false makes that fatal: %s", res.status,
		             rep.first_failure ? rep.first_failure : "(out of memory)");
	} else if (rep.index_failed) {
		h->log(h, SKD_LOG_WARNING,
		       "\"apt-get update\" could not fetch some package indexes "
		       "(%s); going on with the install, ignoring "
		       "(APT_ALLOW_INDEX_FAILURE=false makes this fatal)",
		       rep.first_failure ? rep.first_failure : "out of memory");
	}
	free(rep.first_failure);
	h->run_result_free(h, &res);
	return r;
}

/* The given names that are (or are not) installed. */
static int select_names(const struct skd_host *h, const char *const *names,
                        bool want_installed, const char **ret, size_t *ret_n)
{
	size_t n = 0, k = 0;
	int r;

	while (names[n])
		n++;
	if (n > MAX_ARGS - 14)
		return h->error(h, -SKD_E_INVALID, "too many packages (%zu)", n);
	bool installed[n + 1];
	r = deb_packages_query(h, names, installed);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		/* filled whenever deb_packages_query() returns 0: h->error()
		 * returns its negative code, which the analyzer cannot see */
		// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
		if (installed[i] == want_installed)
			ret[k++] = names[i];
	ret[k] = NULL;
	*ret_n = k;
	return 0;
}

int deb_packages_install(const struct skd_host *h, const char *const *names)
{
	const char *missing[MAX_ARGS], *argv[MAX_ARGS], *still[MAX_ARGS];
	struct skd_run_result res = { 0 };
	size_t n_missing, n_still, a = 0;
	int r;

	r = select_names(h, names, false, missing, &n_missing);
	if (r < 0 || n_missing == 0)
		return r;

	r = apt_update(h);
	if (r < 0)
		return r;

	/* Recommends are left out: we name what kdump needs (makedumpfile is
	 * kdump-tools' only Recommends), and a GPU node gets nothing else */
	argv[a++] = "apt-get";
	argv[a++] = "-y";
	argv[a++] = "-o";
	argv[a++] = LOCK_TIMEOUT;
	/* keep the admin's version of a changed conffile, without asking */
	argv[a++] = "-o";
	argv[a++] = "Dpkg::Options::=--force-confdef";
	argv[a++] = "-o";
	argv[a++] = "Dpkg::Options::=--force-confold";
	/* leave configuring to deb_dpkg_finish(), which holds back the
	 * initrd rebuild kdump-tools asks for */
	argv[a++] = "-o";
	argv[a++] = "DPkg::ConfigurePending=false";
	argv[a++] = "install";
	argv[a++] = "--no-install-recommends";
	for (size_t i = 0; i < n_missing; i++)
		argv[a++] = missing[i];
	argv[a] = NULL;
	r = run_apt(h, argv, &res);
	if (r < 0)
		return r;
	if (res.status != 0)
		r = deb_command_failed(h, "\"apt-get install\"", &res);
	h->run_result_free(h, &res);
	if (r < 0 || (h->flags & SKD_HOST_DRY_RUN))
		return r;
	r = deb_dpkg_finish(h);
	if (r < 0)
		return r;

	/* apt-get can exit 0 and still leave a package unconfigured */
	r = select_names(h, missing, false, still, &n_still);
	if (r == 0 && n_still > 0)
		r = h->error(h, -SKD_E_FAILED,
		             "\"%s\" is not installed after \"apt-get install\"",
		             still[0]);
	return r;
}

int deb_packages_remove(const struct skd_host *h, const char *const *names)
{
	const char *present[MAX_ARGS], *argv[MAX_ARGS];
	struct skd_run_result res = { 0 };
	size_t n_present, a = 0;
	int r;

	r = select_names(h, names, true, present, &n_present);
	if (r < 0 || n_present == 0)
		return r;

	/* The packages were installed by us, so purge them: a removed but
	 * not purged kdump-tools keeps its grub.d conffile, and with it a
	 * crashkernel= reservation on a node that had none. Never
	 * autoremove: other packages may use the dependencies. The core
	 * regenerates the boot menu when the effective value changed. */
	argv[a++] = "apt-get";
	argv[a++] = "-y";
	argv[a++] = "-o";
	argv[a++] = LOCK_TIMEOUT;
	argv[a++] = "purge";
	for (size_t i = 0; i < n_present; i++)
		argv[a++] = present[i];
	argv[a] = NULL;
	r = run_apt(h, argv, &res);
	if (r < 0)
		return r;
	if (res.status != 0)
		r = deb_command_failed(h, "\"apt-get purge\"", &res);
	h->run_result_free(h, &res);
	return r;
}

