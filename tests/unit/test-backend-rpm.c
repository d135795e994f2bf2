/* SPDX-License-Identifier: Apache-2.0 */
/* The rhel, amazon and fedora backends, loaded from the build tree and
 * driven through their vtable on temporary copies of the RPM-family
 * fixture roots, with the recording runner and the fake tools. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "host.h"
#include "osrelease.h"
#include "runner.h"
#include "sysroot.h"
#include "testutil.h"

#define CUSTOM "1G-4G:256M,4G-:512M"

struct row {
	const char *fixture;
	const char *backend;
	const char *pm;
	const char *packages;           /* space-separated, in order */
	const char *installed;          /* of those, installed at first */
	const char *default_ck;
	const char *initial_ck;         /* what get returns first */
	bool bls;
	const char *grub_var;
	const char *grub_cfg;           /* mkconfig: the file regenerated */
	bool kernel_cmdline;
	bool auto_reset;                /* kdump.conf gets auto_reset no */
};

#define EL7_DEFAULT "2G-64G:164M,64G-1T:224M,1T-2T:288M,2T-4T:416M,4T-:672M"
#define EL8_DEFAULT "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M"
#define EL9_DEFAULT "1G-4G:192M,4G-64G:256M,64G-:512M"
#define EL10_DEFAULT "2G-64G:256M,64G-:512M"

static const struct row rows[] = {
	{ "centos-7", "rhel", "yum", "kexec-tools crash", "", EL7_DEFAULT, "auto",
	  false, "GRUB_CMDLINE_LINUX", "/boot/grub2/grub.cfg", false, false },
	{ "rhel-7", "rhel", "yum", "kexec-tools crash", "", EL7_DEFAULT, "auto",
	  false, "GRUB_CMDLINE_LINUX", "/boot/efi/EFI/redhat/grub.cfg", false, false },
	{ "rhel-8", "rhel", "dnf", "kexec-tools crash", "", EL8_DEFAULT, "auto",
	  true, "GRUB_CMDLINE_LINUX", NULL, false, false },
	{ "ol-8", "rhel", "dnf", "kexec-tools crash", "kexec-tools", EL8_DEFAULT,
	  "auto", true, "GRUB_CMDLINE_LINUX", NULL, false, false },
	{ "rhel-9", "rhel", "dnf", "kexec-tools crash", "", EL9_DEFAULT, EL9_DEFAULT,
	  true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "almalinux-9", "rhel", "dnf", "kexec-tools crash", "", EL9_DEFAULT,
	  EL9_DEFAULT, true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "centos-stream-9", "rhel", "dnf", "kexec-tools crash", "", EL9_DEFAULT,
	  EL9_DEFAULT, true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "rocky-9", "rhel", "dnf", "kexec-tools crash", "kexec-tools", EL9_DEFAULT,
	  EL9_DEFAULT, true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "rhel-10", "rhel", "dnf", "kdump-utils kexec-tools makedumpfile crash", "",
	  EL10_DEFAULT, EL10_DEFAULT, true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "amzn-2", "amazon", "yum", "kexec-tools crash", "", EL8_DEFAULT, NULL,
	  false, "GRUB_CMDLINE_LINUX_DEFAULT", "/boot/grub2/grub.cfg", false, false },
	{ "amzn-2023", "amazon", "dnf", "kexec-tools crash", "", EL9_DEFAULT, NULL,
	  true, "GRUB_CMDLINE_LINUX_DEFAULT", NULL, false, false },
	{ "fedora-38", "fedora", "dnf", "kexec-tools crash", "", EL9_DEFAULT, NULL,
	  true, "GRUB_CMDLINE_LINUX", NULL, true, true },
	{ "fedora-41", "fedora", "dnf", "kdump-utils kexec-tools makedumpfile crash",
	  "", EL9_DEFAULT, NULL, true, "GRUB_CMDLINE_LINUX", NULL, true, true },
};
#define N_ROWS ((int)(sizeof(rows) / sizeof(rows[0])))

struct env {
	char *root;
	char *log;
	struct sysroot *sr;
	struct runner runner;
	struct host *host;
	const struct skd_host *h;
	void *dl;
	const struct skd_backend *be;
	FILE *out;
};

static void env_open(struct env *e, const char *fixture, const char *backend,
                     bool image)
{
	char *src = tu_fixture(fixture), *so, *fake;
	struct host_options opt = { 0 };
	struct os_release *os = NULL;
	int fd;

	memset(e, 0, sizeof(*e));
	e->root = tu_copy_tree(src);
	free(src);
	e->log = tu_printf("%s.cmds", e->root);
	fd = open(e->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(sysroot_open(e->root, &e->sr), 0);
	fake = tu_printf("%s/tests/fake-tools", tu_srcdir());
	e->runner = (struct runner){
		.mode = RUNNER_FAKE, .root = e->root, .fake_dir = fake,
		.log_path = e->log, .timeout_sec = 60,
	};
	e->out = fopen("/dev/null", "w");
	opt.image = image;
	opt.out = e->out;
	opt.err = e->out;
	opt.log_prefix = backend;
	ck_assert_int_eq(host_new(&opt, e->sr, &e->runner, &e->host), 0);
	e->h = host_services(e->host);
	ck_assert_int_eq(os_release_read(e->sr, &os), 0);
	host_set(e->host, "os.id", os->id);
	host_set(e->host, "os.id_like", os->id_like_raw);
	host_set(e->host, "os.version_id", os->version_id);
	os_release_free(os);

	so = tu_printf("%s/plugins/%s/.libs/%s.so", tu_builddir(), backend, backend);
	e->dl = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(e->dl, "dlopen %s: %s", so, dlerror());
	free(so);
	e->be = dlsym(e->dl, "skd_backend");
	ck_assert_ptr_nonnull(e->be);
	ck_assert_str_eq(e->be->name, backend);
}

static void env_close(struct env *e)
{
	if (e->be && e->be->fini)
		e->be->fini(e->h);
	host_free(e->host);
	sysroot_free(e->sr);
	free((char *)e->runner.fake_dir);
	unlink(e->log);
	free(e->log);
	tu_rm_tree(e->root);
	fclose(e->out);
	dlclose(e->dl);
}

static char *cmds(struct env *e)
{
	char *s = tu_read(e->log, NULL);
	return s ? s : strdup("");
}

static void clear_cmds(struct env *e)
{
	FILE *f = fopen(e->log, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
}

static char *rfile(struct env *e, const char *rel)
{
	char *p = tu_path(e->root, rel), *s = tu_read(p, NULL);
	free(p);
	return s;
}

static void wfile(struct env *e, const char *rel, const char *data)
{
	char *p = tu_path(e->root, rel);

	tu_write(p, data);
	free(p);
}

static char **split(const char *words)
{
	char **v = calloc(8, sizeof(*v)), *copy = strdup(words), *save = NULL;
	int n = 0;

	for (char *w = strtok_r(copy, " ", &save); w && n < 7; w = strtok_r(NULL, " ", &save))
		v[n++] = strdup(w);
	free(copy);
	return v;
}

static void assert_all_entries(struct env *e, const char *needle, bool present)
{
	char **names = NULL;

	ck_assert_int_eq(e->h->list_dir(e->h, "/boot/loader/entries", &names), 0);
	for (char **n = names; *n; n++) {
		char *rel = tu_printf("boot/loader/entries/%s", *n), *t = rfile(e, rel);
		char *env = rfile(e, "boot/grub2/grubenv");
		const char *hay = strstr(t, "$kernelopts") ? env : t;

		ck_assert_msg((strstr(hay, needle) != NULL) == present,
		              "%s: \"%s\" %s expected", *n, needle,
		              present ? "" : "not");
		free(rel);
		free(t);
		free(env);
	}
	skd_strv_free(names);
}

START_TEST(facts)
{
	const struct row *row = &rows[_i];
	struct skd_facts f;
	struct env e;
	char **want;
	int n = 0;

	env_open(&e, row->fixture, row->backend, false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->get_facts(e.h, &f), 0);
	ck_assert_str_eq(f.service, "kdump");
	ck_assert_str_eq(f.kdump_config_path, "/etc/kdump.conf");
	ck_assert_int_eq(f.kdump_config_format, SKD_CONFIG_DIRECTIVES);
	ck_assert_str_eq(f.default_crashkernel, row->default_ck);
	ck_assert_str_eq(f.default_dump_dir, "/var/crash");
	ck_assert_str_eq(f.package_manager, row->pm);
	want = split(row->packages);
	for (; want[n]; n++) {
		ck_assert_ptr_nonnull(f.packages[n]);
		ck_assert_str_eq(f.packages[n], want[n]);
	}
	ck_assert_ptr_null(f.packages[n]);
	skd_strv_free(want);
	env_close(&e);
}
END_TEST

START_TEST(packages)
{
	const struct row *row = &rows[_i];
	struct skd_facts f;
	bool inst[8];
	struct env e;
	char *log, *want, *conf, *missing = NULL;
	const char *names[8] = { 0 };
	size_t n = 0, nm = 0;

	env_open(&e, row->fixture, row->backend, false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->get_facts(e.h, &f), 0);
	ck_assert_int_eq(e.be->packages_query(e.h, f.packages, inst), 0);
	for (; f.packages[n]; n++) {
		bool expect = strstr(row->installed, f.packages[n]) != NULL;
		ck_assert_msg(inst[n] == expect, "%s: %s installed=%d", row->fixture,
		              f.packages[n], inst[n]);
		if (!inst[n])
			names[nm++] = f.packages[n];
	}
	/* every package's key files are all there or all absent */
	log = cmds(&e);
	ck_assert_msg(!log[0], "no command expected: %s", log);
	free(log);

	/* install exactly the missing ones, nothing else */
	clear_cmds(&e);
	ck_assert_int_eq(e.be->packages_install(e.h, names), 0);
	log = cmds(&e);
	missing = calloc(1, 256);
	for (size_t i = 0; i < nm; i++)
		strcat(strcat(missing, " "), names[i]);
	/* yum 3 skips a missing name and exits 0 unless told otherwise */
	want = tu_printf("%s -y install%s%s\n", row->pm,
	                 strcmp(row->pm, "yum") ? "" : " --setopt=skip_missing_names_on_install=False",
	                 missing);
	ck_assert_str_eq(log, want);
	free(log);
	free(want);
	ck_assert_int_eq(e.be->packages_query(e.h, f.packages, inst), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(inst[i], "%s not installed", f.packages[i]);
	conf = rfile(&e, "etc/kdump.conf");
	ck_assert_ptr_nonnull(conf);
	free(conf);
	conf = rfile(&e, "usr/lib/systemd/system/kdump.service");
	ck_assert_ptr_nonnull(conf);
	free(conf);

	/* remove only ours, without dependencies; a changed config survives */
	wfile(&e, "etc/kdump.conf", "path /srv/crash\n");
	clear_cmds(&e);
	ck_assert_int_eq(e.be->packages_remove(e.h, names), 0);
	log = cmds(&e);
	want = tu_printf("%s -y remove --setopt=clean_requirements_on_remove=False%s\n",
	                 row->pm, missing);
	ck_assert_str_eq(log, want);
	free(log);
	free(want);
	ck_assert_int_eq(e.be->packages_query(e.h, f.packages, inst), 0);
	for (size_t i = 0; i < n; i++) {
		bool expect = strstr(row->installed, f.packages[i]) != NULL;
		ck_assert_int_eq(inst[i], expect);
	}
	if (!strstr(row->installed, "kexec-tools") &&
	    !strstr(row->packages, "kdump-utils")) {
		conf = rfile(&e, "etc/kdump.conf.rpmsave");
		ck_assert_ptr_nonnull(conf);
		ck_assert_str_eq(conf, "path /srv/crash\n");
		free(conf);
	}
	free(missing);
	env_close(&e);
}
END_TEST

/* rpm decides only what the key files leave unsure, in one query for the
 * unsure names; a package whose files are all gone counts as missing */
START_TEST(packages_unsure_asks_rpm)
{
	const char *names[] = { "kexec-tools", "crash", NULL };
	bool inst[2];
	struct env e;
	char *log, *path;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->packages_install(e.h, names), 0);
	path = tu_printf("%s/usr/lib/systemd/system/kdump.service", e.root);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	clear_cmds(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, names, inst), 0);
	ck_assert(inst[0]);
	ck_assert(inst[1]);
	log = cmds(&e);
	ck_assert_msg(strncmp(log, "rpm -q --queryformat ", 21) == 0 &&
	              strstr(log, " kexec-tools\n") == log + strlen(log) - 13 &&
	              !strstr(log, "crash"),
	              "one rpm query for kexec-tools expected: %s", log);
	free(log);

	path = tu_printf("%s/usr/bin/crash", e.root);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	clear_cmds(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, names + 1, inst), 0);
	ck_assert(!inst[0]);
	log = cmds(&e);
	ck_assert_msg(!log[0], "no command expected: %s", log);
	free(log);
	env_close(&e);
}
END_TEST

/* set, get, regenerate, idempotence, remove, on one root */
START_TEST(bootloader)
{
	const struct row *row = &rows[_i];
	char *v = NULL, *log, *t, *hash, *hash2, *needle;
	bool changed = true;
	unsigned written;
	struct env e;

	env_open(&e, row->fixture, row->backend, false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	if (row->initial_ck) {
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v, row->initial_ck);
	} else
		ck_assert_ptr_null(v);
	free(v);
	if (row->auto_reset) {
		/* installed first, as apply does before config */
		const char *pk[] = { strstr(row->packages, "kdump-utils") ?
		                     "kdump-utils" : "kexec-tools", NULL };
		ck_assert_int_eq(e.be->packages_install(e.h, pk), 0);
	}
	clear_cmds(&e);

	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CUSTOM, &changed), 0);
	ck_assert(changed);
	log = cmds(&e);
	if (row->bls)
		ck_assert_str_eq(log, "grubby --update-kernel=ALL --args=crashkernel=" CUSTOM
		                  " --no-etc-grub-update\n");
	else
		ck_assert_str_eq(log, "");
	free(log);
	clear_cmds(&e);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	log = cmds(&e);
	if (row->grub_cfg) {
		char *want = tu_printf("grub2-mkconfig -o %s\n", row->grub_cfg);
		ck_assert_str_eq(log, want);
		free(want);
		t = rfile(&e, row->grub_cfg + 1);
		ck_assert_ptr_nonnull(strstr(t, "crashkernel=" CUSTOM));
		ck_assert_ptr_null(strstr(t, "crashkernel=auto"));
		free(t);
		ck_assert_ptr_null(rfile(&e, "boot/efi/EFI/BOOT/grub.cfg"));
	} else {
		ck_assert_str_eq(log, "");
		assert_all_entries(&e, "crashkernel=" CUSTOM, true);
	}
	free(log);

	/* the sources later kernels and grub2-mkconfig use */
	t = rfile(&e, "etc/default/grub");
	needle = tu_printf("%s=\"", row->grub_var);
	ck_assert_ptr_nonnull(strstr(t, needle));
	ck_assert_ptr_nonnull(strstr(strstr(t, needle), "crashkernel=" CUSTOM "\""));
	free(needle);
	free(t);
	if (row->kernel_cmdline) {
		t = rfile(&e, "etc/kernel/cmdline");
		ck_assert_ptr_nonnull(strstr(t, "crashkernel=" CUSTOM));
		free(t);
	}
	if (row->auto_reset) {
		t = rfile(&e, "etc/kdump.conf");
		ck_assert_ptr_nonnull(strstr(t, "\nauto_reset_crashkernel no\n"));
		ck_assert_ptr_null(strstr(t, "\nauto_reset_crashkernel yes"));
		free(t);
		/* a kexec-tools/kdump-utils update keeps our value */
		const char *argv[] = { "kdumpctl", "_reset-crashkernel-after-update", NULL };
		struct skd_run_result res;
		ck_assert_int_eq(e.h->run(e.h, argv, NULL, SKD_RUN_CHANGES, &res), 0);
		e.h->run_result_free(e.h, &res);
		assert_all_entries(&e, "crashkernel=" CUSTOM, true);
	}
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, CUSTOM);
	free(v);

	/* converged: nothing runs, nothing is written */
	clear_cmds(&e);
	hash = tu_tree_hash(e.root);
	written = host_files_changed(e.host);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CUSTOM, &changed), 0);
	ck_assert(!changed);
	log = cmds(&e);
	ck_assert_str_eq(log, "");
	free(log);
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash, hash2);
	ck_assert_uint_eq(host_files_changed(e.host), written);
	free(hash);
	free(hash2);

	/* remove: no crashkernel= anywhere, auto_reset_crashkernel restored */
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_ptr_null(v);
	if (row->bls)
		assert_all_entries(&e, "crashkernel=", false);
	t = rfile(&e, "etc/default/grub");
	ck_assert_ptr_null(strstr(t, "crashkernel="));
	free(t);
	if (row->auto_reset) {
		char *orig = rfile(&e, strstr(row->packages, "kdump-utils") ?
		                   "var/lib/skd-fake/repo/kdump-utils/files/etc/kdump.conf" :
		                   "var/lib/skd-fake/repo/kexec-tools/files/etc/kdump.conf");
		t = rfile(&e, "etc/kdump.conf");
		ck_assert_str_eq(t, orig);
		free(t);
		free(orig);
	}
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(!changed);

	/* the core puts the OS value back with set */
	if (row->initial_ck) {
		ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, row->initial_ck,
		                                                 &changed), 0);
		ck_assert(changed);
		ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
		ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
		ck_assert_str_eq(v, row->initial_ck);
		free(v);
	}
	env_close(&e);
}
END_TEST

/* EL7: a run that stopped between editing /etc/default/grub and
 * grub2-mkconfig is finished by the next one. */
START_TEST(mkconfig_stale)
{
	bool changed = false;
	char *p, *t, *edited;
	struct env e;

	env_open(&e, "centos-7", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	p = tu_path(e.root, "etc/default/grub");
	t = tu_read(p, NULL);
	edited = strdup(t);
	strcpy(strstr(edited, "crashkernel=auto"), "crashkernel=512M");
	strcat(edited, strstr(t, "crashkernel=auto") + strlen("crashkernel=auto"));
	tu_write(p, edited);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "512M", &changed), 0);
	ck_assert(changed);
	free(p);
	free(t);
	free(edited);
	env_close(&e);
}
END_TEST

/* EL9 on EFI: the EFI grub.cfg is a stub and is never rewritten. */
START_TEST(efi_stub_untouched)
{
	char *before, *after;
	bool changed;
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	wfile(&e, "sys/firmware/efi/fw_platform_size", "64\n");
	before = rfile(&e, "boot/efi/EFI/redhat/grub.cfg");
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "2G-:384M", &changed), 0);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	after = rfile(&e, "boot/efi/EFI/redhat/grub.cfg");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	env_close(&e);
}
END_TEST

/* A later "grub2-mkconfig --update-bls-cmdline" keeps our value. */
START_TEST(update_bls_cmdline_keeps_value)
{
	const char *argv[] = { "grub2-mkconfig", "-o", "/boot/grub2/grub.cfg",
	                       "--update-bls-cmdline", NULL };
	struct skd_run_result res;
	bool changed;
	struct env e;

	env_open(&e, "almalinux-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CUSTOM, &changed), 0);
	ck_assert_int_eq(e.h->run(e.h, argv, NULL, SKD_RUN_CHANGES, &res), 0);
	ck_assert_int_eq(res.status, 0);
	e.h->run_result_free(e.h, &res);
	assert_all_entries(&e, "crashkernel=" CUSTOM, true);
	env_close(&e);
}
END_TEST

START_TEST(bad_value_refused)
{
	bool changed;
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "256M quiet", &changed),
	                 -SKD_E_INVALID);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "256M\"", &changed),
	                 -SKD_E_INVALID);
	env_close(&e);
}
END_TEST

struct refusal {
	const char *fixture, *backend, *key, *value;
};

static const struct refusal refusals[] = {
	{ "centos-7", "rhel", "os.version_id", "6.10" },
	{ "fedora-38", "fedora", "os.version_id", "29" },
	{ "amzn-2", "amazon", "os.version_id", "2018.03" },
	{ "rhel-9", "rhel", "os.version_id", "nine" },
	{ "amzn-2", "rhel", "os.id", "amzn" },
	{ "fedora-38", "rhel", "os.id", "fedora" },
};

START_TEST(init_refuses)
{
	const struct refusal *r = &refusals[_i];
	struct env e;

	env_open(&e, r->fixture, r->backend, false);
	host_set(e.host, r->key, r->value);
	ck_assert_int_eq(e.be->init(e.h), -SKD_E_UNSUPPORTED);
	ck_assert_ptr_nonnull(host_last_error(e.host));
	env_close(&e);
}
END_TEST

/* A derivative naming rhel in ID_LIKE gets the release of its VERSION_ID. */
START_TEST(derivative)
{
	struct skd_facts f;
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	host_set(e.host, "os.id", "eurolinux");
	host_set(e.host, "os.id_like", "rhel fedora centos");
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->get_facts(e.h, &f), 0);
	ck_assert_str_eq(f.default_crashkernel, EL9_DEFAULT);
	env_close(&e);
}
END_TEST

/* kdump_config_ensure_enabled: the package's file is enough; with a
 * custom value it also keeps kdumpctl from resetting it, once. */
START_TEST(ensure_enabled)
{
	const char *pk[] = { "kexec-tools", NULL };
	bool changed = true;
	char *t;
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_lt(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert_int_eq(e.be->packages_install(e.h, pk), 0);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CUSTOM, &changed), 0);
	/* the user's kdump.conf replaced ours */
	t = rfile(&e, "var/lib/skd-fake/repo/kexec-tools/files/etc/kdump.conf");
	wfile(&e, "etc/kdump.conf", t);
	free(t);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(!changed);
	env_close(&e);
}
END_TEST

/* The booted rocky-9 root reports the running reservation's value and an
 * enabled service. */
START_TEST(booted_service)
{
	bool enabled = false;
	struct env e;

	env_open(&e, "rocky-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &enabled), 0);
	ck_assert(enabled);
	env_close(&e);
	env_open(&e, "rhel-9", "rhel", true);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &enabled), 0);
	ck_assert(!enabled);
	env_close(&e);
}
END_TEST

/* ---- what kdumpctl decides (ABI 1.3) ------------------------------------ */

static void expect_syscall(struct env *e, bool secure_boot, const char *want,
                           const char *basis_part)
{
	const char *syscall = "unset";
	char *basis = NULL;

	ck_assert_int_eq(e->be->kexec_syscall(e->h, secure_boot, &syscall, &basis), 0);
	if (want)
		ck_assert_str_eq(syscall, want);
	else
		ck_assert_ptr_null(syscall);
	ck_assert_ptr_nonnull(basis);
	ck_assert_msg(strstr(basis, basis_part), "basis \"%s\" lacks \"%s\"", basis,
	              basis_part);
	free(basis);
}

START_TEST(kexec_args)
{
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	/* not installed yet: its sysconfig will decide */
	expect_syscall(&e, false, NULL, "no /etc/sysconfig/kdump yet");
	wfile(&e, "etc/sysconfig/kdump",
	      "KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1\"\nKEXEC_ARGS=\"-s\"\n");
	expect_syscall(&e, false, "kexec_file_load",
	               "KEXEC_ARGS in /etc/sysconfig/kdump has -s");
	wfile(&e, "etc/sysconfig/kdump", "KEXEC_ARGS=\"--kexec-syscall\"\n");
	expect_syscall(&e, false, "kexec_load", "has -c");
	wfile(&e, "etc/sysconfig/kdump", "KEXEC_ARGS=\"-c -a\"\n");
	expect_syscall(&e, false, "kexec_file_load", "has -a");
	wfile(&e, "etc/sysconfig/kdump", "KEXEC_ARGS=\"\"\n");
	expect_syscall(&e, false, NULL, "kexec-tools' default decides");
	env_close(&e);
}
END_TEST

/* kdumpctl appends its -s after KEXEC_ARGS: Secure Boot beats -c. */
START_TEST(kexec_secure_boot)
{
	struct env e;

	env_open(&e, "fedora-41", "fedora", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	wfile(&e, "etc/sysconfig/kdump", "KEXEC_ARGS=\"-c\"\n");
	expect_syscall(&e, true, "kexec_file_load", "kdumpctl adds -s");
	expect_syscall(&e, false, "kexec_load", "has -c");
	env_close(&e);
}
END_TEST

static void expect_cmdline(struct env *e, const char *base, const char *base_from,
                           const char *append, const char *append_from)
{
	char *b = NULL, *bf = NULL, *a = NULL, *af = NULL;

	ck_assert_int_eq(e->be->capture_cmdline(e->h, &b, &bf, &a, &af), 0);
	if (base)
		ck_assert_str_eq(b, base);
	else
		ck_assert_ptr_null(b);
	ck_assert_str_eq(bf, base_from);
	ck_assert_str_eq(a, append);
	ck_assert_str_eq(af, append_from);
	free(b);
	free(bf);
	free(a);
	free(af);
}

START_TEST(capture_cmdline)
{
	struct env e;

	env_open(&e, "rhel-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	/* no sysconfig yet: the packaged one appends nr_cpus=1 */
	expect_cmdline(&e, NULL, "/proc/cmdline", "nr_cpus=1",
	               "the packaged KDUMP_COMMANDLINE_APPEND (no /etc/sysconfig/kdump yet)");
	wfile(&e, "etc/sysconfig/kdump", "KDUMP_COMMANDLINE=\"\"\n"
	      "KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1 reset_devices\"\n");
	expect_cmdline(&e, NULL, "/proc/cmdline", "irqpoll nr_cpus=1 reset_devices",
	               "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump");
	wfile(&e, "etc/sysconfig/kdump", "KDUMP_COMMANDLINE=\"ro root=/dev/vda2\"\n"
	      "KDUMP_COMMANDLINE_APPEND=\"irqpoll maxcpus=2\"\n");
	expect_cmdline(&e, "ro root=/dev/vda2", "KDUMP_COMMANDLINE", "irqpoll maxcpus=2",
	               "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump");
	/* a sysconfig without it appends nothing */
	wfile(&e, "etc/sysconfig/kdump", "KEXEC_ARGS=\"-s\"\n");
	expect_cmdline(&e, NULL, "/proc/cmdline", "",
	               "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump");
	env_close(&e);
	/* rocky-9 has kexec-tools' own sysconfig */
	env_open(&e, "rocky-9", "rhel", false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	expect_cmdline(&e, NULL, "/proc/cmdline",
	               "irqpoll nr_cpus=1 reset_devices cgroup_disable=memory mce=off "
	               "numa=off udev.children-max=2 panic=10 rootflags=nofail "
	               "acpi_no_memhotplug transparent_hugepage=never nokaslr novmcoredd "
	               "hest_disable",
	               "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump");
	expect_syscall(&e, false, "kexec_file_load", "has -s");
	env_close(&e);
}
END_TEST

/* Every RPM-family backend answers the three, the same way. */
START_TEST(decide_every_backend)
{
	const struct row *r = &rows[_i];
	char *path = NULL, *stand_in = NULL;
	struct env e;

	env_open(&e, r->fixture, r->backend, false);
	ck_assert_int_eq(e.be->init(e.h), 0);
	ck_assert_int_eq(e.be->kdump_initrd(e.h, "5.14.0-570.12.1.el9_6.x86_64",
	                                    &path, &stand_in), 0);
	ck_assert_str_eq(path, "/boot/initramfs-5.14.0-570.12.1.el9_6.x86_64kdump.img");
	ck_assert_str_eq(stand_in, "/boot/initramfs-5.14.0-570.12.1.el9_6.x86_64.img");
	free(path);
	free(stand_in);
	ck_assert_ptr_nonnull(e.be->kexec_syscall);
	ck_assert_ptr_nonnull(e.be->capture_cmdline);
	expect_syscall(&e, true, "kexec_file_load", "kdumpctl adds -s");
	env_close(&e);
}
END_TEST

static Suite *skd_backend_rpm_suite(void)
{
	Suite *s = suite_create("backend-rpm");
	TCase *tc = tcase_create("vtable");

	tcase_add_loop_test(tc, facts, 0, N_ROWS);
	tcase_add_loop_test(tc, packages, 0, N_ROWS);
	tcase_add_test(tc, packages_unsure_asks_rpm);
	tcase_add_loop_test(tc, bootloader, 0, N_ROWS);
	tcase_add_test(tc, mkconfig_stale);
	tcase_add_test(tc, efi_stub_untouched);
	tcase_add_test(tc, update_bls_cmdline_keeps_value);
	tcase_add_test(tc, bad_value_refused);
	tcase_add_loop_test(tc, init_refuses, 0,
	                    (int)(sizeof(refusals) / sizeof(refusals[0])));
	tcase_add_test(tc, derivative);
	tcase_add_test(tc, ensure_enabled);
	tcase_add_test(tc, booted_service);
	suite_add_tcase(s, tc);
	tc = tcase_create("decide");
	tcase_add_test(tc, kexec_args);
	tcase_add_test(tc, kexec_secure_boot);
	tcase_add_test(tc, capture_cmdline);
	tcase_add_loop_test(tc, decide_every_backend, 0, N_ROWS);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_backend_rpm_suite)
