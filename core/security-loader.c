/* SPDX-License-Identifier: Apache-2.0 */
/* Which kexec system call the distribution's kdump tools will load the
 * crash kernel with, from their configuration read in place.
 *
 * Sources:
 * - kexec(8), kexec-tools: -s/--kexec-file-syscall uses kexec_file_load
 *   only, -c/--kexec-syscall kexec_load only, -a/--kexec-syscall-auto
 *   kexec_file_load first and kexec_load only when the kernel cannot do
 *   it (ENOSYS, EINVAL, ENOEXEC, ENOTSUP; a refused signature or lockdown
 *   is not retried). The last of them on the command line wins (getopt).
 *   Up to 2.0.26 the default was -c; 2.0.27 (2023, commit 29fe506 "kexec:
 *   make -a the default") made it -a.
 * - Debian/Ubuntu kdump-tools, kdump-config's kdump_load (1:1.8.1): "kexec
 *   -p", then "-s" when check_secure_boot (SecureBoot=1, SetupMode=0) or
 *   securelevel is 1, then KDUMP_KEXEC_ARGS from /etc/default/kdump-tools.
 *   Packaged kexec-tools: Debian 12 2.0.25, Debian 13 2.0.29, Ubuntu 22.04
 *   2.0.22, Ubuntu 24.04 2.0.28.
 * - RHEL/Fedora/Amazon kdumpctl's load_kdump: KEXEC_ARGS from
 *   /etc/sysconfig/kdump, then "-s" appended by prepare_kexec_args when
 *   is_secure_boot_enforced. The x86_64 sysconfig has KEXEC_ARGS="-s"
 *   since Fedora's kexec-tools of July 2021 (RHEL 9 on); older ones "". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "estimate.h"
#include "osrelease.h"
#include "security.h"
#include "strv.h"
#include "sysroot.h"

#define FILE_LOAD "kexec_file_load"
#define LOAD "kexec_load"

enum flag { FLAG_NONE, FLAG_FILE, FLAG_LOAD, FLAG_AUTO };

/* The last syscall option among kexec arguments. */
static enum flag last_flag(const char *args)
{
	char **words = strv_split(args ? args : "", " \t\n");
	enum flag f = FLAG_NONE;

	for (size_t i = 0; words && words[i]; i++) {
		const char *w = words[i];

		if (!strcmp(w, "-s") || !strcmp(w, "--kexec-file-syscall"))
			f = FLAG_FILE;
		else if (!strcmp(w, "-c") || !strcmp(w, "--kexec-syscall"))
			f = FLAG_LOAD;
		else if (!strcmp(w, "-a") || !strcmp(w, "--kexec-syscall-auto"))
			f = FLAG_AUTO;
	}
	strv_free(words);
	return f;
}

bool kexec_tools_tries_file_load(const char *v)
{
	const char *colon = strchr(v, ':');
	unsigned a = 0, b = 0, c = 0;

	if (colon)
		v = colon + 1;
	if (sscanf(v, "%u.%u.%u", &a, &b, &c) < 2)
		return false;
	return a > 2 || (a == 2 && (b > 0 || c >= 27));
}

/* The stanza of `package` being looked for, a line at a time. */
struct version_search {
	const char *package;
	bool is_package, installed;
	bool passing_over;      /* the stanza of another package */
	char *version;          /* of the current stanza */
	char *found;
};

static int version_field(struct version_search *v, const char *line, size_t len)
{
	if (len >= 9 && !memcmp(line, "Package: ", 9)) {
		v->is_package = !strcmp(line + 9, v->package);
		/* dpkg writes Package first: the rest of another's stanza
		 * needs no look */
		v->passing_over = !v->is_package;
	} else if (len >= 8 && !memcmp(line, "Status: ", 8)) {
		v->installed = !strncmp(line + 8, "install ok installed", 20);
	} else if (v->is_package && len >= 9 && !memcmp(line, "Version: ", 9)) {
		free(v->version);
		v->version = strdup(line + 9);
		if (!v->version)
			return -ENOMEM;
	}
	return 0;
}

/* Called for every line of a database of megabytes: the usual line costs
 * a few instructions. */
static int version_line(const char *line, size_t len, void *data)
{
	struct version_search *v = data;

	if (len == 0) {
		/* the end of a stanza */
		if (v->is_package && v->installed && v->version) {
			v->found = v->version;
			v->version = NULL;
			return 1;
		}
		v->is_package = v->installed = v->passing_over = false;
		free(v->version);
		v->version = NULL;
		return 0;
	}
	/* most lines are other packages, or other fields: one byte tells */
	if (v->passing_over || (line[0] != 'P' && line[0] != 'S' && line[0] != 'V'))
		return 0;
	return version_field(v, line, len);
}

/* Version of kexec-tools in the root's dpkg database, or NULL. Read a line
 * at a time: on a node the database is megabytes. */
static char *dpkg_version(struct sysroot *root, const char *package)
{
	struct version_search v = { .package = package };
	int r = sysroot_read_lines(root, "/var/lib/dpkg/status", version_line, &v);

	if (r == 0)
		version_line("", 0, &v);        /* the last stanza */
	free(v.version);
	return v.found;
}

/* kexec-tools of a Debian-family release that does not have it installed:
 * 1 file load first, 0 kexec_load, -1 unknown release. */
static int release_tries_file_load(struct sysroot *root)
{
	struct os_release *os = NULL;
	int r = -1;

	if (os_release_read(root, &os) < 0)
		return -1;
	if (os->version_id && !strcmp(os->id, "debian"))
		r = atoi(os->version_id) >= 13;
	else if (os->version_id && !strcmp(os->id, "ubuntu"))
		r = atoi(os->version_id) >= 24;
	os_release_free(os);
	return r;
}

static int set(struct security_state *st, const char *loader, const char *basis)
{
	st->loader = loader;
	st->loader_basis = basis;
	return 0;
}

static int decide_debian(struct sysroot *root, const struct skd_facts *facts,
                          bool tools_sb, struct security_state *st)
{
	const char *path = facts && facts->kdump_config_path ? facts->kdump_config_path
	                                                    : "/etc/default/kdump-tools";
	char *conf = NULL, *args = NULL, *level = NULL, *version;
	size_t len;
	enum flag f;
	int file_first;

	if (sysroot_read(root, path, 1u << 20, &conf, &len) >= 0)
		args = shell_var_value(conf, "KDUMP_KEXEC_ARGS");
	f = last_flag(args);
	if (!tools_sb && sysroot_read(root, "/sys/kernel/security/securelevel", 64,
	                              &level, &len) >= 0)
		tools_sb = level[0] == '1';
	free(level);
	free(args);
	free(conf);
	/* KDUMP_KEXEC_ARGS comes after kdump-config's own "-s": it wins */
	if (f == FLAG_FILE)
		return set(st, FILE_LOAD, "KDUMP_KEXEC_ARGS has -s (kexec_file_load)");
	if (f == FLAG_LOAD)
		return set(st, LOAD, "KDUMP_KEXEC_ARGS has -c (kexec_load)");
	if (f == FLAG_AUTO)
		return set(st, FILE_LOAD, "KDUMP_KEXEC_ARGS has -a: kexec_file_load "
		           "first, kexec_load only where the kernel lacks it");
	if (tools_sb)
		return set(st, FILE_LOAD, "kdump-config adds -s (kexec_file_load) "
		           "under Secure Boot (SecureBoot=1, SetupMode=0)");
	version = dpkg_version(root, "kexec-tools");
	if (version) {
		file_first = kexec_tools_tries_file_load(version);
		free(version);
		if (file_first)
			return set(st, FILE_LOAD, "kdump-config adds no -s without Secure "
			           "Boot; the installed kexec-tools (2.0.27 or later) tries "
			           "kexec_file_load first");
		return set(st, LOAD, "kdump-config adds no -s without Secure Boot; the "
		           "installed kexec-tools (before 2.0.27) uses kexec_load");
	}
	file_first = release_tries_file_load(root);
	if (file_first == 1)
		return set(st, FILE_LOAD, "kdump-config adds no -s without Secure Boot; "
		           "the kexec-tools of this release (2.0.27 or later, not "
		           "installed yet) tries kexec_file_load first");
	if (file_first == 0)
		return set(st, LOAD, "kdump-config adds no -s without Secure Boot; the "
		           "kexec-tools of this release (before 2.0.27, not installed "
		           "yet) uses kexec_load");
	return set(st, NULL, "kdump-config adds no -s without Secure Boot, and the "
	    "kexec-tools version is unknown: kexec_load before 2.0.27, "
	    "kexec_file_load first since");
}

static int decide_rpm(struct sysroot *root, bool tools_sb, struct security_state *st)
{
	char *conf = NULL, *args = NULL;
	size_t len;
	bool have_conf;
	enum flag f;

	have_conf = sysroot_read(root, "/etc/sysconfig/kdump", 1u << 20, &conf, &len) >= 0;
	if (have_conf)
		args = shell_var_value(conf, "KEXEC_ARGS");
	f = last_flag(args);
	free(args);
	free(conf);
	/* kdumpctl appends its "-s" after KEXEC_ARGS: Secure Boot wins */
	if (tools_sb)
		return set(st, FILE_LOAD, "kdumpctl adds -s (kexec_file_load) under "
		           "Secure Boot (SecureBoot=1, SetupMode=0)");
	if (f == FLAG_FILE)
		return set(st, FILE_LOAD, "KEXEC_ARGS in /etc/sysconfig/kdump has -s "
		           "(kexec_file_load)");
	if (f == FLAG_LOAD)
		return set(st, LOAD, "KEXEC_ARGS in /etc/sysconfig/kdump has -c (kexec_load)");
	if (f == FLAG_AUTO)
		return set(st, FILE_LOAD, "KEXEC_ARGS in /etc/sysconfig/kdump has -a: "
		           "kexec_file_load first, kexec_load only where the kernel lacks it");
	if (!have_conf)
		return set(st, NULL, "no /etc/sysconfig/kdump yet: its KEXEC_ARGS will "
		           "decide (\"-s\" on x86_64 from Fedora 35 and RHEL 9 on; "
		           "kdumpctl adds -s under Secure Boot)");
	return set(st, NULL, "KEXEC_ARGS in /etc/sysconfig/kdump names no syscall and "
	    "kdumpctl adds -s only under Secure Boot: kexec-tools' default decides "
	    "(kexec_load before 2.0.27, kexec_file_load first since)");
}

void security_loader_decide(struct sysroot *root, const struct skd_facts *facts,
                            bool tools_secure_boot, struct security_state *st)
{
	if (facts && facts->kdump_config_format == SKD_CONFIG_DIRECTIVES)
		decide_rpm(root, tools_secure_boot, st);
	else
		decide_debian(root, facts, tools_secure_boot, st);
}
