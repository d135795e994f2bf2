/* SPDX-License-Identifier: Apache-2.0 */
/* Packages of the RPM family: their files first, else one rpm query for
 * the names they leave unsure; yum or dnf install exactly the names given
 * and remove them without taking their dependencies along. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpmfamily.h"

static size_t strv_len(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* prefix..., names..., NULL */
static const char **build_argv(const char *const *prefix, size_t n_prefix,
                               const char *const *names)
{
	size_t n = strv_len(names);
	const char **argv = calloc(n_prefix + n + 1, sizeof(*argv));

	if (!argv)
		return NULL;
	memcpy(argv, prefix, n_prefix * sizeof(*argv));
	memcpy(argv + n_prefix, names, n * sizeof(*argv));
	return argv;
}

/* rpm prints the NAME of each installed package, one line each, and
 * "package NAME is not installed" for the others (exit status: how many
 * are missing). Any other answer for a name is an error, not "missing". */
static int parse_query(const struct skd_host *h, const char *out,
                       const char *const *names, bool *installed)
{
	size_t n = strv_len(names);
	bool *known = calloc(n ? n : 1, sizeof(*known));
	const char *p = out ? out : "";
	int r = 0;

	if (!known)
		return -ENOMEM;
	while (*p) {
		const char *eol = strchrnul(p, '\n');
		size_t len = (size_t)(eol - p);

		for (size_t i = 0; i < n; i++) {
			size_t nl = strlen(names[i]);
			char missing[512];

			if (len == nl && memcmp(p, names[i], nl) == 0) {
				installed[i] = true;
				known[i] = true;
			}
			snprintf(missing, sizeof(missing),
			         "package %s is not installed", names[i]);
			if (len == strlen(missing) && memcmp(p, missing, len) == 0)
				known[i] = true;
		}
		p = *eol ? eol + 1 : eol;
	}
	for (size_t i = 0; i < n && r == 0; i++)
		if (!known[i])
			r = h->error(h, -SKD_E_FAILED,
			             "rpm gave no answer for package \"%s\"", names[i]);
	free(known);
	return r;
}

/* Files each package puts in place and nothing else does, all of which
 * must be there. kdumpctl and the unit moved from kexec-tools to
 * kdump-utils where the release has that package (EL10, Fedora 41). */
static const char *const *key_files(const char *name, bool have_kdump_utils)
{
	static const char *const kdump[] = {
		"/usr/bin/kdumpctl", "/usr/lib/systemd/system/kdump.service", NULL,
	};
	static const char *const kexec[] = { "/usr/sbin/kexec", NULL };
	static const char *const makedumpfile[] = { "/usr/sbin/makedumpfile", NULL };
	static const char *const crash[] = { "/usr/bin/crash", NULL };

	if (!strcmp(name, "kexec-tools"))
		return have_kdump_utils ? kexec : kdump;
	if (!strcmp(name, "kdump-utils"))
		return kdump;
	if (!strcmp(name, "makedumpfile"))
		return makedumpfile;
	if (!strcmp(name, "crash"))
		return crash;
	return NULL;
}

/* What a package's key files say: all there, all absent, or neither. */
enum by_files { FILES_PRESENT, FILES_ABSENT, FILES_UNSURE };

static enum by_files package_by_files(const struct skd_host *h,
                                      const char *name, bool have_kdump_utils)
{
	const char *const *files = key_files(name, have_kdump_utils);
	size_t present = 0, n = 0;

	if (!files)
		return FILES_UNSURE;
	for (; files[n]; n++) {
		struct skd_stat st;

		if (h->stat(h, files[n], 0, &st) < 0)
			return FILES_UNSURE;
		if (st.type == SKD_FILE_REGULAR)
			present++;
		else if (st.type != SKD_FILE_NONE)
			return FILES_UNSURE;
	}
	return present == n ? FILES_PRESENT : present == 0 ? FILES_ABSENT : FILES_UNSURE;
}

/* The steady state costs no process: a package whose key files are all
 * regular files is installed (the tools the checks need exist), one with
 * none of them is not (rpm -e takes them away; a package whose every
 * program was deleted is as good as missing and is reported so). rpm
 * decides the rest, in one query: a package with only some of its files,
 * or one without key files. Reading the rpm database ourselves would mean
 * parsing both its SQLite (EL9+, Fedora 36+) and Berkeley DB (EL7/8, AL2)
 * formats, or linking librpm. */
int rpmfamily_packages_query(const struct skd_host *h,
                             const char *const *names, bool *ret_installed)
{
	static const char *const prefix[] = {
		"rpm", "-q", "--queryformat", "%{NAME}\\n",
	};
	size_t n = strv_len(names), n_ask = 0;
	struct skd_run_result res = { 0 };
	const char **argv = NULL, **ask = NULL;
	bool *installed = NULL, *asked = NULL, have_kdump_utils = false;
	int r = -ENOMEM;

	if (n == 0)
		return 0;
	ask = calloc(n + 1, sizeof(*ask));
	installed = calloc(n, sizeof(*installed));
	if (!ask || !installed)
		goto out;
	for (size_t i = 0; i < n; i++)
		have_kdump_utils |= !strcmp(names[i], "kdump-utils");
	for (size_t i = 0; i < n; i++) {
		enum by_files f = package_by_files(h, names[i], have_kdump_utils);

		installed[i] = f == FILES_PRESENT;
		if (f == FILES_UNSURE)
			ask[n_ask++] = names[i];
	}
	if (n_ask == 0) {
		h->log(h, SKD_LOG_DEBUG, "packages known by their files; rpm not asked");
		memcpy(ret_installed, installed, n * sizeof(*installed));
		r = 0;
		goto out;
	}
	argv = build_argv(prefix, sizeof(prefix) / sizeof(prefix[0]), ask);
	if (!argv)
		goto out;
	r = h->run(h, argv, NULL, SKD_RUN_QUIET, &res);
	if (r < 0) {
		r = h->error(h, -SKD_E_FAILED, "cannot run \"rpm\": %s",
		             strerror(-r));
		goto out;
	}
	/* rpm's answers for the names asked, in order, land in their slots */
	asked = calloc(n_ask, sizeof(*asked));
	r = asked ? parse_query(h, res.out, ask, asked) : -ENOMEM;
	h->run_result_free(h, &res);
	if (r < 0)
		goto out;
	for (size_t i = 0, j = 0; i < n && j < n_ask; i++)
		if (names[i] == ask[j])
			installed[i] = asked[j++];
	memcpy(ret_installed, installed, n * sizeof(*installed));
out:
	free(argv);
	free(ask);
	free(asked);
	free(installed);
	return r;
}

/* `<yum|dnf> -y VERB [OPTION] NAMES...`, a command that changes the system. */
static int run_package_manager(const struct skd_host *h, const char *verb,
                               const char *option, const char *const *names)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	const char *prefix[4];
	const char **argv;
	size_t n = 0;
	int r;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if (!names[0])
		return 0;
	prefix[n++] = rel->package_manager;
	prefix[n++] = "-y";
	prefix[n++] = verb;
	if (option)
		prefix[n++] = option;
	argv = build_argv(prefix, n, names);
	if (!argv)
		return -ENOMEM;
	r = rpmfamily_run(h, argv, SKD_RUN_CHANGES, NULL);
	free(argv);
	return r;
}

int rpmfamily_packages_install(const struct skd_host *h,
                               const char *const *names)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	/* yum 3 (EL7, Amazon Linux 2) skips a name no repository has and
	 * still exits 0 (skip_missing_names_on_install defaults to True);
	 * dnf refuses such a name by itself and knows no such option */
	bool yum3 = rel && !strcmp(rel->package_manager, "yum");

	/* "install" of named packages never upgrades anything else */
	return run_package_manager(h, "install",
	                           yum3 ? "--setopt=skip_missing_names_on_install=False" : NULL,
	                           names);
}

int rpmfamily_packages_remove(const struct skd_host *h,
                              const char *const *names)
{
	/* dnf's clean_requirements_on_remove (on by default) would also
	 * remove dependencies installed with ours that something else may
	 * rely on by now; yum knows the same option */
	return run_package_manager(h, "remove",
	                           "--setopt=clean_requirements_on_remove=False",
	                           names);
}
