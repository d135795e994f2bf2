/* SPDX-License-Identifier: Apache-2.0 */
/* The debian backend, loaded from the build tree and driven through its
 * vtable on copies of the fixture roots, with the recording runner and the
 * fake apt-get, systemctl and update-grub of tests/fake-tools. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "host.h"
#include "osrelease.h"
#include "runner.h"
#include "sysroot.h"
#include "testutil.h"

#define CK_OURS "1G-4G:192M,4G-64G:256M,64G-:512M"
#define DROPIN "/etc/default/grub.d/zz-skyhook-kdump.cfg"

struct release {
	const char *fixture;
	const char *default_ck;
};

static const struct release releases[] = {
	{ "debian-9", "384M-:128M" },
	{ "debian-10", "384M-:128M" },
	{ "debian-11", "384M-:128M" },
	{ "debian-12", "384M-:128M" },
	{ "debian-13", "512M-:192M" },
	{ "ubuntu-18.04", "512M-:192M" },
	{ "ubuntu-20.04", "512M-:192M" },
	{ "ubuntu-22.04", "512M-:192M" },
	{ "ubuntu-24.04", "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M" },
};
#define N_RELEASES (sizeof(releases) / sizeof(releases[0]))

static const char *const packages[] = {
	"kdump-tools", "makedumpfile", "crash", NULL,
};
/* what get_facts names: kexec-tools too, so apply records it as ours */
static const char *const facts_packages[] = {
	"kdump-tools", "kexec-tools", "makedumpfile", "crash", NULL,
};

struct env {
	char *root;             /* the copy of the fixture */
	char *work;             /* outside the root: the command log */
	char *log;
	struct sysroot *sr;
	struct runner run;
	struct host *host;
	const struct skd_host *h;
	void *dl;
	const struct skd_backend *be;
};

static const struct skd_backend *load_backend(void **ret_dl)
{
	char *path = tu_printf("%s/plugins/debian/.libs/debian.so",
	                       tu_builddir());
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const struct skd_backend *be;

	ck_assert_msg(dl, "dlopen %s: %s", path, dlerror());
	be = dlsym(dl, SKD_BACKEND_SYMBOL);
	ck_assert_ptr_nonnull(be);
	ck_assert_uint_eq(be->abi_major, SKD_ABI_MAJOR);
	ck_assert_str_eq(be->name, "debian");
	free(path);
	*ret_dl = dl;
	return be;
}

/* A host on a copy of `src` (a directory), with os.* from its
 * os-release. */
static void env_open_dir(struct env *e, const char *src, bool image)
{
	struct host_options opt = {
		.image = image, .out = stdout, .err = stderr,
		.log_prefix = "debian",
	};
	struct os_release *os = NULL;

	memset(e, 0, sizeof(*e));
	e->root = tu_copy_tree(src);
	e->work = tu_copy_tree(NULL);
	e->log = tu_path(e->work, "cmds.log");
	ck_assert_int_eq(sysroot_open(e->root, &e->sr), 0);
	e->run = (struct runner){
		.mode = RUNNER_FAKE,
		.root = e->root,
		.fake_dir = tu_printf("%s/tests/fake-tools", tu_srcdir()),
		.log_path = e->log,
		.timeout_sec = 60,
	};
	ck_assert_int_eq(host_new(&opt, e->sr, &e->run, &e->host), 0);
	e->h = host_services(e->host);
	ck_assert_int_eq(os_release_read(e->sr, &os), 0);
	host_set(e->host, "os.id", os->id);
	host_set(e->host, "os.id_like", os->id_like_raw);
	host_set(e->host, "os.version_id", os->version_id);
	os_release_free(os);
	e->be = load_backend(&e->dl);
	ck_assert_int_eq(e->be->init(e->h), 0);
}

static void env_open(struct env *e, const char *fixture)
{
	char *src = tu_fixture(fixture);

	env_open_dir(e, src, false);
	free(src);
}

static void env_close(struct env *e)
{
	if (e->be->fini)
		e->be->fini(e->h);
	host_free(e->host);
	sysroot_free(e->sr);
	dlclose(e->dl);
	free((char *)e->run.fake_dir);
	free(e->log);
	tu_rm_tree(e->root);
	tu_rm_tree(e->work);
}

static char *cmds(const struct env *e)
{
	char *s = tu_read(e->log, NULL);
	return s ? s : strdup("");
}

static char *root_file(const struct env *e, const char *path)
{
	char *p = tu_path(e->root, path);
	char *s = tu_read(p, NULL);

	free(p);
	return s;
}

static void set_state(const struct env *e, const char *name, const char *v)
{
	char *p = tu_printf("%s/var/lib/skd-fake/%s", e->root, name);

	tu_write(p, v);
	free(p);
}

static bool has_package(const struct env *e, const char *name)
{
	char *status = root_file(e, "var/lib/dpkg/status");
	char *line = tu_printf("Package: %s\n", name);
	bool found = strstr(status, line) != NULL;

	free(line);
	free(status);
	return found;
}

static void install(struct env *e)
{
	int r = e->be->packages_install(e->h, packages);

	ck_assert_msg(r == 0, "install: %d %s", r, host_last_error(e->host));
}

/* The crashkernel= words of grub.cfg's first (normal) linux line. */
static unsigned grub_cfg_crashkernel(const struct env *e, char **ret_last)
{
	char *cfg = root_file(e, "/boot/grub/grub.cfg");
	char *line, *save = NULL, *last = NULL;
	unsigned n = 0;

	ck_assert_ptr_nonnull(cfg);
	line = strstr(cfg, "\tlinux\t");
	ck_assert_ptr_nonnull(line);
	line[strcspn(line, "\n")] = '\0';
	for (char *w = strtok_r(line, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save))
		if (strncmp(w, "crashkernel=", 12) == 0) {
			n++;
			last = w + 12;
		}
	*ret_last = last ? strdup(last) : NULL;
	free(cfg);
	return n;
}

START_TEST(test_facts)
{
	const struct release *r = &releases[_i];
	struct skd_facts f;
	struct env e;

	env_open(&e, r->fixture);
	ck_assert_int_eq(e.be->get_facts(e.h, &f), 0);
	ck_assert_str_eq(f.service, "kdump-tools");
	ck_assert_str_eq(f.kdump_config_path, "/etc/default/kdump-tools");
	ck_assert_int_eq(f.kdump_config_format, SKD_CONFIG_SHELL_VARS);
	ck_assert_str_eq(f.default_crashkernel, r->default_ck);
	ck_assert_str_eq(f.default_dump_dir, "/var/crash");
	ck_assert_str_eq(f.package_manager, "apt-get");
	for (size_t i = 0; i < 5; i++) {
		if (!facts_packages[i]) {
			ck_assert_ptr_null(f.packages[i]);
			break;
		}
		ck_assert_str_eq(f.packages[i], facts_packages[i]);
	}
	env_close(&e);
}
END_TEST

static int init_with(const char *id, const char *like, const char *ver,
                     char **ret_default)
{
	struct env e;
	struct skd_facts f;
	int r;

	env_open(&e, "debian-12");
	host_set(e.host, "os.id", id);
	host_set(e.host, "os.id_like", like);
	host_set(e.host, "os.version_id", ver);
	r = e.be->init(e.h);
	*ret_default = NULL;
	if (r == 0 && e.be->get_facts(e.h, &f) == 0)
		*ret_default = strdup(f.default_crashkernel);
	else if (r < 0)
		ck_assert_ptr_nonnull(strstr(host_last_error(e.host),
		                             "not supported"));
	env_close(&e);
	return r;
}

START_TEST(test_init_releases)
{
	char *d;

	ck_assert_int_eq(init_with("debian", NULL, "8", &d), -SKD_E_UNSUPPORTED);
	ck_assert_int_eq(init_with("ubuntu", "debian", "16.04", &d),
	                 -SKD_E_UNSUPPORTED);
	ck_assert_int_eq(init_with("ubuntu", "debian", "18.04", &d), 0);
	ck_assert_str_eq(d, "512M-:192M");
	free(d);
	/* newer than we know: the newest defaults of that family */
	ck_assert_int_eq(init_with("debian", NULL, "14", &d), 0);
	ck_assert_str_eq(d, "512M-:192M");
	free(d);
	ck_assert_int_eq(init_with("debian", NULL, NULL, &d), 0);
	ck_assert_str_eq(d, "512M-:192M");
	free(d);
	ck_assert_int_eq(init_with("pop", "ubuntu debian", "22.04", &d), 0);
	ck_assert_str_eq(d, releases[8].default_ck);
	free(d);
	ck_assert_int_eq(init_with("linuxmint", "ubuntu debian", "21", &d), 0);
	ck_assert_str_eq(d, releases[8].default_ck);
	free(d);
	ck_assert_int_eq(init_with("fedora", NULL, "40", &d), -SKD_E_UNSUPPORTED);
}
END_TEST

START_TEST(test_packages)
{
	const struct release *r = &releases[_i];
	bool inst[3];
	struct env e;
	char *log, *hash, *hash2, *log2, *expect;
	struct skd_stat st;

	env_open(&e, r->fixture);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(!inst[0] && !inst[1] && !inst[2]);
	/* reading the dpkg database runs nothing */
	log = cmds(&e);
	ck_assert_str_eq(log, "");
	free(log);

	install(&e);
	log = cmds(&e);
	/* apt-get unpacks; dpkg runs the triggers (libc-bin's where the
	 * root has that package, initramfs-tools' never), then configures */
	expect = tu_printf("apt-get -o DPkg::Lock::Timeout=120 update\n"
	                   "apt-get -y -o DPkg::Lock::Timeout=120 "
	                   "-o Dpkg::Options::=--force-confdef "
	                   "-o Dpkg::Options::=--force-confold "
	                   "-o DPkg::ConfigurePending=false install "
	                   "--no-install-recommends kdump-tools makedumpfile crash\n"
	                   "%sdpkg --force-confdef --force-confold --no-triggers "
	                   "--configure kexec-tools kdump-tools makedumpfile crash\n",
	                   has_package(&e, "libc-bin") ? "dpkg --triggers-only libc-bin\n" : "");
	ck_assert_str_eq(log, expect);
	free(expect);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(inst[0] && inst[1] && inst[2]);

	/* what the package brings */
	ck_assert_int_eq(e.h->stat(e.h, "/etc/default/kdump-tools", 0, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_REGULAR);
	ck_assert_int_eq(e.h->stat(e.h, "/etc/default/grub.d/kdump-tools.cfg",
	                           SKD_STAT_NOFOLLOW, &st), 0);
	ck_assert_int_eq(st.type, strcmp(r->fixture, "debian-9") == 0
	                          ? SKD_FILE_SYMLINK : SKD_FILE_REGULAR);

	/* converged: nothing runs, nothing changes */
	hash = tu_tree_hash(e.root);
	install(&e);
	hash2 = tu_tree_hash(e.root);
	log2 = cmds(&e);
	ck_assert_str_eq(log2, log);
	ck_assert_str_eq(hash2, hash);
	free(log);
	free(log2);
	free(hash);
	free(hash2);
	env_close(&e);
}
END_TEST

/* Installing kdump-tools leaves the initrd rebuild it triggers pending,
 * and the initrd as it was; purging processes it as apt always does. */
START_TEST(test_initrd_rebuild_deferred)
{
	const char *const initramfs[] = { "initramfs-tools", "libc-bin", NULL };
	bool inst[2];
	struct env e;
	char *initrd, *status;

	env_open(&e, "debian-12");
	install(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, initramfs, inst), 0);
	ck_assert(!inst[0] && inst[1]);
	status = root_file(&e, "var/lib/dpkg/status");
	ck_assert_ptr_nonnull(strstr(status, "Package: initramfs-tools\n"
	                                     "Status: install ok triggers-pending\n"));
	free(status);
	initrd = root_file(&e, "boot/initrd.img-6.1.0-37-amd64");
	ck_assert_str_eq(initrd, "");
	free(initrd);

	ck_assert_int_eq(e.be->packages_remove(e.h, packages), 0);
	ck_assert_int_eq(e.be->packages_query(e.h, initramfs, inst), 0);
	ck_assert(inst[0] && inst[1]);
	initrd = root_file(&e, "boot/initrd.img-6.1.0-37-amd64");
	ck_assert_str_eq(initrd, "rebuilt\n");
	free(initrd);
	env_close(&e);
}
END_TEST

/* A package that waits for a trigger would stay unfinished with the
 * initrd rebuild held back: then every trigger runs. */
START_TEST(test_awaited_trigger_processed)
{
	const char *const awaiter[] = { "awaiter", NULL };
	bool inst[1];
	struct env e;
	char *path, *log, *initrd;
	FILE *f;

	env_open(&e, "ubuntu-22.04");
	path = tu_path(e.root, "var/lib/dpkg/status");
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("Package: awaiter\nStatus: install ok triggers-awaited\n"
	      "Architecture: all\nVersion: 1\nTriggers-Awaited: initramfs-tools\n"
	      "Description: awaiter\n\n", f);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
	install(&e);
	log = cmds(&e);
	ck_assert_msg(strstr(log, "\ndpkg --force-confdef --force-confold --configure --pending\n"),
	              "no full configure: %s", log);
	free(log);
	ck_assert_int_eq(e.be->packages_query(e.h, awaiter, inst), 0);
	ck_assert(inst[0]);
	initrd = root_file(&e, "boot/initrd.img-5.15.0-151-generic");
	ck_assert_str_eq(initrd, "rebuilt\n");
	free(initrd);
	env_close(&e);
}
END_TEST

START_TEST(test_install_only_missing)
{
	const char *const crash[] = { "crash", NULL };
	struct env e;
	char *log;

	env_open(&e, "ubuntu-24.04");
	ck_assert_int_eq(e.be->packages_install(e.h, crash), 0);
	install(&e);
	log = cmds(&e);
	ck_assert_ptr_nonnull(strstr(log, "--no-install-recommends crash\n"));
	ck_assert_ptr_nonnull(strstr(log,
		"--no-install-recommends kdump-tools makedumpfile\n"));
	free(log);
	env_close(&e);
}
END_TEST

START_TEST(test_index_failure_tolerated)
{
	bool inst[3];
	struct env e;

	env_open(&e, "debian-12");
	set_state(&e, "apt-update", "index-failure");
	install(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(inst[0] && inst[1] && inst[2]);
	env_close(&e);
}
END_TEST

START_TEST(test_index_failure_refused)
{
	struct env e;
	char *log;

	env_open(&e, "debian-12");
	set_state(&e, "apt-update", "index-failure");
	host_set(e.host, "env.APT_ALLOW_INDEX_FAILURE", "false");
	ck_assert_int_eq(e.be->packages_install(e.h, packages), -SKD_E_FAILED);
	ck_assert_ptr_nonnull(strstr(host_last_error(e.host),
	                             "E: Failed to fetch http://stale.example.com/"));
	log = cmds(&e);
	ck_assert_str_eq(log, "apt-get -o DPkg::Lock::Timeout=120 update\n");
	free(log);
	env_close(&e);
}
END_TEST

/* apt 1.4 to 3.0 report an unreachable source with "W:" lines and exit
 * status 0 (Debian 12's apt 2.6 included): a warning by default... */
START_TEST(test_index_unreachable_tolerated)
{
	bool inst[3];
	struct env e;

	env_open(&e, "debian-12");
	set_state(&e, "apt-update", "index-unreachable");
	install(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(inst[0] && inst[1] && inst[2]);
	env_close(&e);
}
END_TEST

/* ... and fatal with APT_ALLOW_INDEX_FAILURE=false, before the install */
START_TEST(test_index_unreachable_refused)
{
	struct env e;
	char *log;

	env_open(&e, "ubuntu-24.04");
	set_state(&e, "apt-update", "index-unreachable");
	host_set(e.host, "env.APT_ALLOW_INDEX_FAILURE", "false");
	ck_assert_int_eq(e.be->packages_install(e.h, packages), -SKD_E_FAILED);
	ck_assert_ptr_nonnull(strstr(host_last_error(e.host),
	                             "W: Failed to fetch http://unreachable.example.com/"));
	log = cmds(&e);
	ck_assert_str_eq(log, "apt-get -o DPkg::Lock::Timeout=120 update\n");
	free(log);
	env_close(&e);
}
END_TEST

/* An unreachable source and one that answers 404: "W:" and "E:" fetch
 * failures, the summary a warning, exit status 100. Index failures only:
 * tolerated by default. */
START_TEST(test_index_mixed_tolerated)
{
	bool inst[3];
	struct env e;

	env_open(&e, "debian-11");
	set_state(&e, "apt-update", "index-mixed");
	install(&e);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(inst[0] && inst[1] && inst[2]);
	env_close(&e);
}
END_TEST

START_TEST(test_update_failure)
{
	struct env e;

	/* a lock held by someone else is not an unreachable repository */
	env_open(&e, "ubuntu-22.04");
	set_state(&e, "apt-update", "fail");
	ck_assert_int_eq(e.be->packages_install(e.h, packages), -SKD_E_FAILED);
	ck_assert_ptr_nonnull(strstr(host_last_error(e.host), "Could not get lock"));
	env_close(&e);
}
END_TEST

START_TEST(test_remove_purges)
{
	const struct release *r = &releases[_i];
	bool inst[3], changed;
	struct env e;
	char *log, *v = NULL;

	env_open(&e, r->fixture);
	install(&e);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, r->default_ck);
	free(v);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CK_OURS, &changed), 0);
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(truncate(e.log, 0), 0);

	ck_assert_int_eq(e.be->packages_remove(e.h, packages), 0);
	log = cmds(&e);
	/* purged; regenerating the boot menu is the core's call */
	ck_assert_str_eq(log, "apt-get -y -o DPkg::Lock::Timeout=120 purge "
	                      "kdump-tools makedumpfile crash\n");
	free(log);
	ck_assert_int_eq(e.be->packages_query(e.h, packages, inst), 0);
	ck_assert(!inst[0] && !inst[1] && !inst[2]);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_uint_eq(grub_cfg_crashkernel(&e, &v), 0);
	/* kexec-tools came as a dependency and stays: no autoremove */
	const char *const kexec[] = { "kexec-tools", NULL };
	ck_assert_int_eq(e.be->packages_query(e.h, kexec, inst), 0);
	ck_assert(inst[0]);
	/* removing what is not installed runs nothing */
	ck_assert_int_eq(truncate(e.log, 0), 0);
	ck_assert_int_eq(e.be->packages_remove(e.h, packages), 0);
	log = cmds(&e);
	ck_assert_str_eq(log, "");
	free(log);
	env_close(&e);
}
END_TEST

START_TEST(test_service)
{
	struct env e;
	bool on;
	char *log;

	env_open(&e, releases[_i].fixture);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(!on);
	install(&e);
	/* the package's postinst enables its unit, as dh_installsystemd does */
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(on);
	ck_assert_int_eq(truncate(e.log, 0), 0);
	ck_assert_int_eq(e.be->service_disable(e.h), 0);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(!on);
	ck_assert_int_eq(e.be->service_enable(e.h), 0);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(on);
	ck_assert_int_eq(e.be->service_is_active(e.h, &on), 0);
	ck_assert(!on);
	ck_assert_int_eq(e.be->service_start(e.h), 0);
	ck_assert_int_eq(e.be->service_is_active(e.h, &on), 0);
	ck_assert(on);
	ck_assert_int_eq(e.be->service_restart(e.h), 0);
	ck_assert_int_eq(e.be->service_stop(e.h), 0);
	ck_assert_int_eq(e.be->service_is_active(e.h, &on), 0);
	ck_assert(!on);
	log = cmds(&e);
	ck_assert_str_eq(log,
		"systemctl disable kdump-tools.service\n"
		"systemctl enable kdump-tools.service\n"
		"systemctl is-active --quiet kdump-tools.service\n"
		"systemctl start kdump-tools.service\n"
		"systemctl is-active --quiet kdump-tools.service\n"
		"systemctl restart kdump-tools.service\n"
		"systemctl stop kdump-tools.service\n"
		"systemctl is-active --quiet kdump-tools.service\n");
	free(log);
	env_close(&e);
}
END_TEST

START_TEST(test_service_image_root)
{
	char *src = tu_fixture("debian-13");
	struct env e;
	bool on;
	char *log;

	env_open_dir(&e, src, true);
	free(src);
	install(&e);
	ck_assert_int_eq(truncate(e.log, 0), 0);
	ck_assert_int_eq(e.be->service_enable(e.h), 0);
	ck_assert_int_eq(e.be->service_start(e.h), 0);
	ck_assert_int_eq(e.be->service_is_active(e.h, &on), 0);
	ck_assert(!on);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(on);
	/* enabling works offline; starting and asking systemd do not */
	log = cmds(&e);
	ck_assert_str_eq(log, "systemctl enable kdump-tools.service\n");
	free(log);
	env_close(&e);
}
END_TEST

/* set, regenerate, converge, remove on every release after install */
START_TEST(test_bootloader_dropin)
{
	const struct release *r = &releases[_i];
	struct env e;
	bool changed;
	char *v = NULL, *log, *hash, *hash2, *dropin, *cmd;
	unsigned files;

	env_open(&e, r->fixture);
	install(&e);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, r->default_ck);
	free(v);
	/* the postinst's update-grub put the package default in grub.cfg */
	ck_assert_uint_eq(grub_cfg_crashkernel(&e, &v), 1);
	ck_assert_str_eq(v, r->default_ck);
	free(v);
	ck_assert_int_eq(truncate(e.log, 0), 0);

	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CK_OURS, &changed), 0);
	ck_assert(changed);
	log = cmds(&e);
	ck_assert_str_eq(log, "");      /* set runs nothing */
	free(log);
	dropin = root_file(&e, DROPIN);
	ck_assert_ptr_nonnull(dropin);
	ck_assert_ptr_nonnull(strstr(dropin, "crashkernel=" CK_OURS "\"\n"));
	free(dropin);
	/* valid POSIX shell */
	cmd = tu_printf("sh -n '%s%s'", e.root, DROPIN);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, CK_OURS);
	free(v);

	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	log = cmds(&e);
	ck_assert_str_eq(log, "update-grub\n");
	free(log);
	/* grub-mkconfig, really sourcing the files, agrees: one, ours */
	ck_assert_uint_eq(grub_cfg_crashkernel(&e, &v), 1);
	ck_assert_str_eq(v, CK_OURS);
	free(v);

	/* converged: no change, nothing run, nothing written */
	hash = tu_tree_hash(e.root);
	files = host_files_changed(e.host);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, CK_OURS, &changed), 0);
	ck_assert(!changed);
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash2, hash);
	ck_assert_uint_eq(host_files_changed(e.host), files);
	log = cmds(&e);
	ck_assert_str_eq(log, "update-grub\n");
	free(log);
	free(hash);
	free(hash2);

	/* remove: the package default is what is left */
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(changed);
	ck_assert_ptr_null(root_file(&e, DROPIN));
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, r->default_ck);
	free(v);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_uint_eq(grub_cfg_crashkernel(&e, &v), 1);
	ck_assert_str_eq(v, r->default_ck);
	free(v);
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(!changed);
	env_close(&e);
}
END_TEST

/* Regeneration was lost (interrupted run): the next set says so. */
START_TEST(test_bootloader_stale_grub_cfg)
{
	struct env e;
	bool changed;

	env_open(&e, "ubuntu-22.04");
	install(&e);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "512M", &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "512M", &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "512M", &changed), 0);
	ck_assert(!changed);
	env_close(&e);
}
END_TEST

/* crashkernel= in GRUB_CMDLINE_LINUX too: still exactly one, ours */
START_TEST(test_bootloader_no_duplicates)
{
	struct env e;
	bool changed;
	char *v, *grub, *p, *edited;

	env_open(&e, "ubuntu-24.04");
	install(&e);
	p = tu_path(e.root, "/etc/default/grub");
	grub = tu_read(p, NULL);
	edited = tu_printf("%sGRUB_CMDLINE_LINUX=\"crashkernel=64M nosmt\"\n", grub);
	tu_write(p, edited);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "768M", &changed), 0);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_uint_eq(grub_cfg_crashkernel(&e, &v), 1);
	ck_assert_str_eq(v, "768M");
	free(v);
	/* /etc/default/grub itself is left alone */
	free(grub);
	grub = tu_read(p, NULL);
	ck_assert_str_eq(grub, edited);
	free(grub);
	free(edited);
	free(p);
	env_close(&e);
}
END_TEST

/* No /etc/default/grub.d: GRUB_CMDLINE_LINUX edited in place. */
START_TEST(test_bootloader_in_place)
{
	struct env e;
	bool changed;
	char *orig, *now, *expect, *v, *p;
	const char *line = "GRUB_CMDLINE_LINUX=\"\"\n";

	env_open(&e, releases[_i].fixture);
	p = tu_path(e.root, "/etc/default/grub");
	orig = tu_read(p, NULL);
	int r = e.be->bootloader_get_crashkernel(e.h, &v);
	ck_assert_msg(r == 0, "get: %d %s", r, host_last_error(e.host));
	ck_assert_ptr_null(v);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "256M", &changed), 0);
	ck_assert(changed);
	now = tu_read(p, NULL);
	/* only that line changed */
	char *at = strstr(orig, line);
	ck_assert_ptr_nonnull(at);
	expect = tu_printf("%.*sGRUB_CMDLINE_LINUX=\"crashkernel=256M\"\n%s",
	                   (int)(at - orig), orig, at + strlen(line));
	ck_assert_str_eq(now, expect);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, "256M");
	free(v);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "256M", &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(e.be->bootloader_remove_crashkernel(e.h, &changed), 0);
	ck_assert(changed);
	free(now);
	now = tu_read(p, NULL);
	ck_assert_str_eq(now, orig);
	free(now);
	free(expect);
	free(orig);
	free(p);
	env_close(&e);
}
END_TEST

START_TEST(test_bootloader_unevaluable)
{
	struct env e;
	char *v = NULL, *p, *hash, *hash2;
	bool changed;

	env_open(&e, "debian-12");
	p = tu_path(e.root, "/etc/default/grub.d/local.cfg");
	tu_write(p, "# local\nGRUB_CMDLINE_LINUX=\"$(cat /etc/cmdline)\"\n");
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), -SKD_E_INVALID);
	ck_assert_ptr_nonnull(strstr(host_last_error(e.host),
	                             "/etc/default/grub.d/local.cfg:2"));
	tu_write(p, "if [ -e /x ]; then GRUB_CMDLINE_LINUX=crashkernel=1G; fi\n");
	hash = tu_tree_hash(e.root);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "1G", &changed),
	                 -SKD_E_INVALID);
	ck_assert_ptr_nonnull(strstr(host_last_error(e.host),
	                             "/etc/default/grub.d/local.cfg:1"));
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash, hash2);
	free(hash);
	free(hash2);
	free(p);
	env_close(&e);
}
END_TEST

/* A drop-in sorted after ours sets crashkernel=: refuse, write nothing. */
START_TEST(test_bootloader_overridden)
{
	struct env e;
	char *p, *hash, *hash2;
	bool changed;

	env_open(&e, "ubuntu-22.04");
	p = tu_path(e.root, "/etc/default/grub.d/zzz-vendor.cfg");
	tu_write(p, "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=1G\"\n");
	hash = tu_tree_hash(e.root);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "512M", &changed),
	                 -SKD_E_FAILED);
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash, hash2);
	free(hash);
	free(hash2);
	free(p);
	env_close(&e);
}
END_TEST

START_TEST(test_bootloader_bad_value)
{
	struct env e;
	bool changed;

	env_open(&e, "debian-12");
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "1G\" rm", &changed),
	                 -SKD_E_INVALID);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "", &changed),
	                 -SKD_E_INVALID);
	env_close(&e);
}
END_TEST

START_TEST(test_regenerate_mkconfig)
{
	struct env e;
	char *p, *log;

	/* no update-grub in the root: grub-mkconfig, to /boot/grub only */
	env_open(&e, "debian-11");
	p = tu_path(e.root, "/usr/sbin/update-grub");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), 0);
	log = cmds(&e);
	ck_assert_str_eq(log, "grub-mkconfig -o /boot/grub/grub.cfg\n");
	free(log);
	free(p);
	p = tu_path(e.root, "/usr/sbin/grub-mkconfig");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(e.be->bootloader_regenerate(e.h), -SKD_E_UNSUPPORTED);
	free(p);
	env_close(&e);
}
END_TEST

START_TEST(test_ensure_enabled)
{
	struct env e;
	bool changed;
	char *before, *after, *expect, *at, *hash, *hash2;

	env_open(&e, releases[_i].fixture);
	set_state(&e, "debconf-use-kdump", "false");
	install(&e);
	before = root_file(&e, "/etc/default/kdump-tools");
	at = strstr(before, "\nUSE_KDUMP=0\n");
	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(changed);
	after = root_file(&e, "/etc/default/kdump-tools");
	expect = tu_printf("%.*s\nUSE_KDUMP=1\n%s", (int)(at - before), before,
	                   at + strlen("\nUSE_KDUMP=0\n"));
	ck_assert_str_eq(after, expect);
	hash = tu_tree_hash(e.root);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(!changed);
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash, hash2);
	free(hash);
	free(hash2);
	free(before);
	free(after);
	free(expect);
	env_close(&e);
}
END_TEST

START_TEST(test_ensure_enabled_missing_line)
{
	struct env e;
	bool changed;
	char *p, *s;

	env_open(&e, "ubuntu-20.04");
	p = tu_path(e.root, "/etc/default/kdump-tools");
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), -ENOENT);
	tu_write(p, "KDUMP_COREDIR=\"/var/crash\"");
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(changed);
	s = tu_read(p, NULL);
	ck_assert_str_eq(s, "KDUMP_COREDIR=\"/var/crash\"\nUSE_KDUMP=1\n");
	free(s);
	free(p);
	env_close(&e);
}
END_TEST

/* The real files of ../shared/fixtures: the effective value, and a set
 * that leaves exactly one crashkernel= when really sourced by sh. */
START_TEST(test_shared_roots)
{
	static const struct {
		const char *root;
		const char *expect;     /* NULL: none in effect */
	} cases[] = {
		/* Debian 9 ships kdump-tools.default, which is not sourced
		 * until the postinst's .cfg link exists (not in the copy) */
		{ "debian-9", NULL },
		{ "debian-10", "384M-:128M" },
		{ "debian-11", "384M-:128M" },
		{ "debian-12", "384M-:128M" },
		{ "debian-13", "512M-:192M" },
		{ "ubuntu-18.04", "512M-:192M" },
		{ "ubuntu-20.04", "512M-:192M" },
	};
	const char *shared = tu_shared_fixtures();

	if (!shared) {
		fprintf(stderr, "test_shared_roots: no shared fixtures, skipped\n");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *src = tu_printf("%s/roots/%s", shared, cases[i].root);
		char *v = NULL, *cmd, *out, *outp;
		struct env e;
		bool changed;

		env_open_dir(&e, src, false);
		ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
		if (cases[i].expect)
			ck_assert_str_eq(v, cases[i].expect);
		else
			ck_assert_ptr_null(v);
		free(v);
		ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, "640M",
		                                                  &changed), 0);
		ck_assert(changed);
		outp = tu_path(e.work, "cmdline");
		cmd = tu_printf(
			"cd '%s' && (PATH=/nonexistent; "
			"[ ! -f etc/default/grub ] || . ./etc/default/grub; "
			"for x in etc/default/grub.d/*.cfg; do "
			"[ ! -e \"$x\" ] || . \"./$x\"; done; "
			"echo $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT) "
			"> '%s' 2>/dev/null", e.root, outp);
		ck_assert_int_eq(system(cmd), 0);
		out = tu_read(outp, NULL);
		ck_assert_ptr_nonnull(strstr(out, "crashkernel=640M\n"));
		ck_assert_ptr_eq(strstr(out, "crashkernel="),
		                 strstr(out, "crashkernel=640M\n"));
		free(out);
		free(outp);
		free(cmd);
		free(src);
		env_close(&e);
	}
}
END_TEST

/* A node after apply, config and the reboot: converged. */
START_TEST(test_booted)
{
	static const char *const fixtures[][2] = {
		{ "debian-12-booted", "384M-:128M" },
		{ "ubuntu-22.04-booted", "512M-:192M" },
	};
	struct env e;
	bool on, changed;
	char *v, *hash, *hash2, *log;

	env_open(&e, fixtures[_i][0]);
	hash = tu_tree_hash(e.root);
	install(&e);
	ck_assert_int_eq(e.be->bootloader_get_crashkernel(e.h, &v), 0);
	ck_assert_str_eq(v, fixtures[_i][1]);
	free(v);
	ck_assert_int_eq(e.be->bootloader_set_crashkernel(e.h, fixtures[_i][1],
	                                                  &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(e.be->kdump_config_ensure_enabled(e.h, &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(e.be->service_is_enabled(e.h, &on), 0);
	ck_assert(on);
	hash2 = tu_tree_hash(e.root);
	ck_assert_str_eq(hash, hash2);
	ck_assert_int_eq(e.be->service_is_active(e.h, &on), 0);
	ck_assert(on);
	log = cmds(&e);
	ck_assert_str_eq(log, "systemctl is-active --quiet kdump-tools.service\n");
	free(log);
	free(hash);
	free(hash2);
	env_close(&e);
}
END_TEST

/* A host that answers over D-Bus (ABI 1.1), and one built before it. */
static int bus_says_active(const struct skd_host *h, const char *unit,
                           char **ret_state)
{
	(void)h;
	ck_assert_str_eq(unit, "kdump-tools.service");
	*ret_state = strdup("active");
	return 0;
}

static int bus_unavailable(const struct skd_host *h, const char *unit,
                           char **ret_state)
{
	(void)h;
	(void)unit;
	(void)ret_state;
	return -ENOTSUP;
}

START_TEST(test_service_active_over_bus)
{
	struct skd_host bus, old, none;
	struct env e;
	bool on = false;
	char *log;

	env_open(&e, "debian-12");
	bus = *e.h;
	bus.unit_active_state = bus_says_active;
	ck_assert_int_eq(e.be->service_is_active(&bus, &on), 0);
	ck_assert(on);
	log = cmds(&e);
	ck_assert_str_eq(log, "");
	free(log);
	/* a 1.0 host has no such member: systemctl, even if bytes follow */
	old = bus;
	old.struct_size = (uint32_t)offsetof(struct skd_host, unit_active_state);
	ck_assert_int_eq(e.be->service_is_active(&old, &on), 0);
	ck_assert(!on);
	none = *e.h;
	none.unit_active_state = bus_unavailable;
	ck_assert_int_eq(e.be->service_is_active(&none, &on), 0);
	ck_assert(!on);
	log = cmds(&e);
	ck_assert_str_eq(log, "systemctl is-active --quiet kdump-tools.service\n"
	                      "systemctl is-active --quiet kdump-tools.service\n");
	free(log);
	env_close(&e);
}
END_TEST

/* The dpkg database of a node is megabytes: read a line at a time, and the
 * same answers from a host without read_lines (1.1), which gets it whole. */
START_TEST(test_dpkg_database_large)
{
	static const char *const names[] = {
		"kdump-tools", "kexec-tools", "crash", "last", NULL,
	};
	char *long_line = malloc(200001), *path, *db;
	size_t cap = 4u << 20, n = 0;
	struct skd_host old;
	bool a[4], b[4];
	struct env e;

	env_open(&e, "debian-12");
	db = malloc(cap);
	ck_assert_ptr_nonnull(db);
	ck_assert_ptr_nonnull(long_line);
	memset(long_line, 'x', 200000);
	long_line[200000] = '\0';
	n += (size_t)snprintf(db + n, cap - n, "Package: kdump-tools\n"
	                      "Status: install ok installed\nVersion: 1\n\n");
	for (int i = 0; i < 3000; i++)
		n += (size_t)snprintf(db + n, cap - n, "Package: filler%d\n"
		                      "Status: install ok installed\n"
		                      "Description: a package\n some text\n\n", i);
	/* a line longer than the reading buffer, then the package it is in */
	n += (size_t)snprintf(db + n, cap - n, "Package: kexec-tools\n"
	                      "Description: %s\nStatus: install ok half-configured\n\n",
	                      long_line);
	n += (size_t)snprintf(db + n, cap - n, "Package: crash \r\n"
	                      "Status: install ok installed\r\n\n");
	/* the last stanza without its newline */
	n += (size_t)snprintf(db + n, cap - n, "Package: last\n"
	                      "Status: install ok installed");
	ck_assert_uint_lt(n, cap - 1);
	path = tu_path(e.root, "var/lib/dpkg/status");
	tu_write(path, db);

	ck_assert_int_eq(e.be->packages_query(e.h, names, a), 0);
	ck_assert(a[0] && !a[1] && a[2] && a[3]);
	old = *e.h;
	old.struct_size = (uint32_t)offsetof(struct skd_host, read_lines);
	ck_assert_int_eq(e.be->packages_query(&old, names, b), 0);
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	free(path);
	free(db);
	free(long_line);
	env_close(&e);
}
END_TEST

/* Once every package asked about is installed, the rest is not read: a
 * line too long to read after them shows it. */
START_TEST(test_dpkg_database_stops_when_all_found)
{
	static const char *const found[] = { "crash", "kdump-tools", NULL };
	static const char *const more[] = { "crash", "kdump-tools", "zz", NULL };
	size_t big = 2u << 20;
	char *db = malloc(big + 256), *path;
	bool inst[3];
	struct env e;
	int n;

	ck_assert_ptr_nonnull(db);
	env_open(&e, "debian-12");
	n = sprintf(db, "Package: crash\nStatus: install ok installed\n\n"
	            "Package: kdump-tools\nStatus: install ok installed\n\n"
	            "Package: too-long\nDescription: ");
	memset(db + n, 'x', big);
	strcpy(db + n + big, "\nStatus: install ok installed\n");
	path = tu_path(e.root, "var/lib/dpkg/status");
	tu_write(path, db);
	ck_assert_int_eq(e.be->packages_query(e.h, found, inst), 0);
	ck_assert(inst[0] && inst[1]);
	ck_assert_int_eq(e.be->packages_query(e.h, more, inst), -EFBIG);
	free(path);
	free(db);
	env_close(&e);
}
END_TEST

/* ---- what kdump-config decides (ABI 1.3) -------------------------------- */

static void put(const struct env *e, const char *rel, const char *data)
{
	char *p = tu_path(e->root, rel);

	tu_write(p, data);
	free(p);
}

/* kexec_syscall's answer: `want` (NULL: unknown) and a basis holding
 * basis_part. */
static void expect_syscall(const struct env *e, const struct skd_host *h,
                           bool secure_boot, const char *want,
                           const char *basis_part)
{
	const char *syscall = "unset";
	char *basis = NULL;

	ck_assert_int_eq(e->be->kexec_syscall(h, secure_boot, &syscall, &basis), 0);
	if (want)
		ck_assert_str_eq(syscall, want);
	else
		ck_assert_ptr_null(syscall);
	ck_assert_ptr_nonnull(basis);
	ck_assert_msg(strstr(basis, basis_part), "basis \"%s\" lacks \"%s\"", basis,
	              basis_part);
	free(basis);
}

/* Debian 12 without kexec-tools and without Secure Boot: the release's
 * kexec-tools (2.0.25) uses kexec_load. */
START_TEST(test_kexec_no_secure_boot)
{
	struct env e;

	env_open(&e, "debian-12");
	expect_syscall(&e, e.h, false, "kexec_load", "before 2.0.27, not installed");
	env_close(&e);
}
END_TEST

START_TEST(test_kexec_secure_boot)
{
	struct env e;

	env_open(&e, "debian-12");
	expect_syscall(&e, e.h, true, "kexec_file_load", "kdump-config adds -s");
	env_close(&e);
}
END_TEST

/* lockdown= on the command line without Secure Boot: kdump-config adds
 * no -s and Debian 12's kexec-tools uses kexec_load. */
START_TEST(test_kexec_args_without_secure_boot)
{
	struct env e;

	env_open(&e, "debian-12");
	expect_syscall(&e, e.h, false, "kexec_load", "without Secure Boot");
	/* an explicit -s in KDUMP_KEXEC_ARGS fixes it */
	put(&e, "etc/default/kdump-tools", "USE_KDUMP=1\nKDUMP_KEXEC_ARGS=\"-s\"\n");
	expect_syscall(&e, e.h, false, "kexec_file_load", "KDUMP_KEXEC_ARGS has -s");
	put(&e, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"--kexec-syscall-auto\"\n");
	expect_syscall(&e, e.h, false, "kexec_file_load", "-a");
	/* securelevel 1 makes kdump-config add -s too */
	put(&e, "etc/default/kdump-tools", "USE_KDUMP=1\n");
	put(&e, "sys/kernel/security/securelevel", "1\n");
	expect_syscall(&e, e.h, false, "kexec_file_load", "kdump-config adds -s");
	env_close(&e);
}
END_TEST

/* KDUMP_KEXEC_ARGS comes after kdump-config's own -s: its -c wins. */
START_TEST(test_kexec_explicit_syscall)
{
	struct env e;

	env_open(&e, "debian-12");
	put(&e, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"--debug -c\"\n");
	expect_syscall(&e, e.h, true, "kexec_load", "KDUMP_KEXEC_ARGS has -c");
	env_close(&e);
}
END_TEST

/* The installed kexec-tools decides, not the release; the same from a
 * host without read_lines (1.1), which reads the database whole. */
START_TEST(test_kexec_installed_version)
{
	struct skd_host old;
	char *db;
	struct env e;

	env_open(&e, "debian-12");
	old = *e.h;
	old.struct_size = (uint32_t)offsetof(struct skd_host, read_lines);
	put(&e, "var/lib/dpkg/status",
	    "Package: kexec-tools-udeb\nStatus: install ok installed\nVersion: 1:2.0.25-3\n\n"
	    "Package: kexec-tools\nStatus: install ok installed\nPriority: optional\n"
	    "Version: 1:2.0.27-1\n\nPackage: zlib1g\nVersion: 1:1.2.13\n");
	expect_syscall(&e, e.h, false, "kexec_file_load",
	               "installed kexec-tools (2.0.27 or later)");
	expect_syscall(&e, &old, false, "kexec_file_load",
	               "installed kexec-tools (2.0.27 or later)");
	put(&e, "var/lib/dpkg/status",
	    "Package: kexec-tools\nStatus: install ok installed\nVersion: 1:2.0.25-3+b1\n");
	expect_syscall(&e, e.h, false, "kexec_load", "installed kexec-tools (before 2.0.27)");
	expect_syscall(&e, &old, false, "kexec_load", "installed kexec-tools (before 2.0.27)");
	/* removed but not purged: not installed, the release decides */
	put(&e, "var/lib/dpkg/status",
	    "Package: kexec-tools\nStatus: deinstall ok config-files\nVersion: 1:2.0.29-2\n");
	expect_syscall(&e, e.h, false, "kexec_load", "not installed yet");
	/* no database at all: the release decides */
	db = tu_path(e.root, "var/lib/dpkg/status");
	ck_assert_int_eq(unlink(db), 0);
	free(db);
	expect_syscall(&e, e.h, false, "kexec_load", "not installed yet");
	env_close(&e);
}
END_TEST

START_TEST(test_kexec_release_table)
{
	static const struct {
		const char *id, *like, *version, *syscall;
	} cases[] = {
		{ "debian", NULL, "11", "kexec_load" },
		{ "debian", NULL, "13", "kexec_file_load" },
		{ "ubuntu", "debian", "22.04", "kexec_load" },
		{ "ubuntu", "debian", "24.04", "kexec_file_load" },
		{ "linuxmint", NULL, "21", NULL },
		{ "linuxmint", "ubuntu debian", "21", NULL },
		{ "debian", NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct env e;

		env_open(&e, "debian-12");
		host_set(e.host, "os.id", cases[i].id);
		host_set(e.host, "os.id_like", cases[i].like);
		host_set(e.host, "os.version_id", cases[i].version);
		expect_syscall(&e, e.h, false, cases[i].syscall,
		               cases[i].syscall ? "not installed yet"
		                                : "kexec-tools version is unknown");
		env_close(&e);
	}
}
END_TEST

static void expect_cmdline(const struct env *e, const char *base, const char *base_from,
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

#define DEB_APPEND_DEFAULT \
	"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"

START_TEST(test_capture_cmdline)
{
	struct env e;

	env_open(&e, "debian-12");
	/* not installed yet: /proc/cmdline and kdump-config's default */
	expect_cmdline(&e, NULL, "/proc/cmdline", DEB_APPEND_DEFAULT,
	               "kdump-config's default KDUMP_CMDLINE_APPEND");
	/* set but empty: the same (kdump-config sets them with ${VAR:=...}) */
	put(&e, "etc/default/kdump-tools",
	    "USE_KDUMP=1\nKDUMP_CMDLINE=\"\"\nKDUMP_CMDLINE_APPEND=\n");
	expect_cmdline(&e, NULL, "/proc/cmdline", DEB_APPEND_DEFAULT,
	               "kdump-config's default KDUMP_CMDLINE_APPEND");
	put(&e, "etc/default/kdump-tools",
	    "# KDUMP_CMDLINE=commented\nKDUMP_CMDLINE=\"root=/dev/vda1 ro\"\n"
	    "KDUMP_CMDLINE_APPEND=\"irqpoll nr_cpus=2\"\n"
	    "export KDUMP_CMDLINE_APPEND='irqpoll maxcpus=1'\n");
	expect_cmdline(&e, "root=/dev/vda1 ro", "KDUMP_CMDLINE", "irqpoll maxcpus=1",
	               "KDUMP_CMDLINE_APPEND of /etc/default/kdump-tools");
	env_close(&e);
}
END_TEST

START_TEST(test_kdump_initrd)
{
	char *path = NULL, *stand_in = NULL;
	struct env e;

	env_open(&e, "debian-12");
	ck_assert_int_eq(e.be->kdump_initrd(e.h, "6.1.0-37-amd64", &path, &stand_in), 0);
	ck_assert_str_eq(path, "/var/lib/kdump/initrd.img-6.1.0-37-amd64");
	ck_assert_str_eq(stand_in, "/boot/initrd.img-6.1.0-37-amd64");
	free(path);
	free(stand_in);
	env_close(&e);
}
END_TEST

static Suite *skd_backend_debian_suite(void)
{
	Suite *s = suite_create("backend-debian");
	TCase *tc = tcase_create("facts");

	tcase_add_loop_test(tc, test_facts, 0, N_RELEASES);
	tcase_add_test(tc, test_init_releases);
	suite_add_tcase(s, tc);

	tc = tcase_create("packages");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_packages, 0, N_RELEASES);
	tcase_add_test(tc, test_initrd_rebuild_deferred);
	tcase_add_test(tc, test_awaited_trigger_processed);
	tcase_add_test(tc, test_install_only_missing);
	tcase_add_test(tc, test_index_failure_tolerated);
	tcase_add_test(tc, test_index_failure_refused);
	tcase_add_test(tc, test_index_unreachable_tolerated);
	tcase_add_test(tc, test_index_unreachable_refused);
	tcase_add_test(tc, test_index_mixed_tolerated);
	tcase_add_test(tc, test_update_failure);
	tcase_add_loop_test(tc, test_remove_purges, 0, N_RELEASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("service");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_service, 0, N_RELEASES);
	tcase_add_test(tc, test_service_image_root);
	tcase_add_test(tc, test_service_active_over_bus);
	suite_add_tcase(s, tc);

	tc = tcase_create("bootloader");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_bootloader_dropin, 0, N_RELEASES);
	tcase_add_test(tc, test_bootloader_stale_grub_cfg);
	tcase_add_test(tc, test_bootloader_no_duplicates);
	/* debian-9, -10 and -11 come without /etc/default/grub.d */
	tcase_add_loop_test(tc, test_bootloader_in_place, 0, 3);
	tcase_add_test(tc, test_bootloader_unevaluable);
	tcase_add_test(tc, test_bootloader_overridden);
	tcase_add_test(tc, test_bootloader_bad_value);
	tcase_add_test(tc, test_regenerate_mkconfig);
	tcase_add_test(tc, test_shared_roots);
	tcase_add_loop_test(tc, test_booted, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("kdump-config");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_ensure_enabled, 0, N_RELEASES);
	tcase_add_test(tc, test_ensure_enabled_missing_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("decide");
	tcase_add_test(tc, test_kexec_no_secure_boot);
	tcase_add_test(tc, test_kexec_secure_boot);
	tcase_add_test(tc, test_kexec_args_without_secure_boot);
	tcase_add_test(tc, test_kexec_explicit_syscall);
	tcase_add_test(tc, test_kexec_installed_version);
	tcase_add_test(tc, test_kexec_release_table);
	tcase_add_test(tc, test_capture_cmdline);
	tcase_add_test(tc, test_kdump_initrd);
	suite_add_tcase(s, tc);

	tc = tcase_create("dpkg");
	tcase_add_test(tc, test_dpkg_database_large);
	tcase_add_test(tc, test_dpkg_database_stops_when_all_found);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_backend_debian_suite)
