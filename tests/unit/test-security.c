/* SPDX-License-Identifier: Apache-2.0 */
/* security_state_read on temporary roots: Secure Boot, lockdown, and the
 * loader each family's kdump tools use, for each combination. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "security.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_security_suite(void);

#define SB_PATH "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0e6ffaa4a8c"
#define SM_PATH "sys/firmware/efi/efivars/SetupMode-8be4df61-93ca-11d2-aa0d-e0e6ffaa4a8c"
#define LOCKDOWN "sys/kernel/security/lockdown"

static const struct skd_facts deb_facts = {
	.kdump_config_path = "/etc/default/kdump-tools",
	.kdump_config_format = SKD_CONFIG_SHELL_VARS,
};
static const struct skd_facts rpm_facts = {
	.kdump_config_path = "/etc/kdump.conf",
	.kdump_config_format = SKD_CONFIG_DIRECTIVES,
};

static void put(const char *dir, const char *rel, const char *data)
{
	char *p = tu_path(dir, rel);

	tu_write(p, data);
	free(p);
}

/* efivarfs: 4 bytes of attributes (NV+BS+RT = 0x07), then the value. */
static void put_efivar(const char *dir, const char *rel, int value)
{
	unsigned char data[5] = { 0x07, 0, 0, 0, (unsigned char)value };
	char *p = tu_path(dir, rel);
	FILE *f;

	tu_write(p, "");
	f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, value < 0 ? 4 : 5, f), value < 0 ? 4u : 5u);
	fclose(f);
	free(p);
}

/* A root of `os` ("debian 12"), Secure Boot sb / setup mode sm (-2: no
 * variable, -1: a short one), lockdown text or NULL. */
static char *root_of(const char *id, const char *version, int sb, int sm,
                     const char *lockdown)
{
	char *dir = tu_copy_tree(NULL);
	char *osr = tu_printf("ID=%s\nVERSION_ID=\"%s\"\n", id, version);

	put(dir, "etc/os-release", osr);
	free(osr);
	if (sb > -2)
		put_efivar(dir, SB_PATH, sb);
	if (sm > -2)
		put_efivar(dir, SM_PATH, sm);
	if (lockdown)
		put(dir, LOCKDOWN, lockdown);
	return dir;
}

static struct security_state read_state(const char *dir, const struct skd_facts *facts)
{
	struct sysroot *root;
	struct security_state s;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	security_state_read(root, facts, &s);
	sysroot_free(root);
	ck_assert_ptr_nonnull(s.loader_basis);
	return s;
}

static void expect(const struct security_state *s, int sb, const char *lockdown,
                   const char *loader, int permitted, const char *basis_part)
{
	ck_assert_int_eq(s->secure_boot, sb);
	if (lockdown)
		ck_assert_str_eq(s->lockdown, lockdown);
	else
		ck_assert_ptr_null(s->lockdown);
	if (loader)
		ck_assert_str_eq(s->loader, loader);
	else
		ck_assert_ptr_null(s->loader);
	ck_assert_int_eq(s->loader_permitted, permitted);
	ck_assert_msg(strstr(s->loader_basis, basis_part), "basis \"%s\" lacks \"%s\"",
	              s->loader_basis, basis_part);
}

#define NONE "[none] integrity confidentiality\n"
#define INTEGRITY "none [integrity] confidentiality\n"
#define CONFIDENTIALITY "none integrity [confidentiality]\n"

START_TEST(debian_no_efi_no_lockdown)
{
	char *dir = root_of("debian", "12", -2, -2, NULL);
	struct security_state s = read_state(dir, &deb_facts);

	expect(&s, -1, NULL, "kexec_load", 1, "before 2.0.27, not installed");
	tu_rm_tree(dir);
}
END_TEST

START_TEST(debian_secure_boot_lockdown)
{
	char *dir = root_of("debian", "12", 1, 0, INTEGRITY);
	struct security_state s = read_state(dir, &deb_facts);

	expect(&s, 1, "integrity", "kexec_file_load", 1, "kdump-config adds -s");
	tu_rm_tree(dir);
}
END_TEST

/* lockdown= on the command line without Secure Boot: kdump-config adds
 * no -s and Debian 12's kexec-tools uses kexec_load: refused. */
START_TEST(debian_lockdown_without_secure_boot)
{
	char *dir = root_of("debian", "12", 0, 0, INTEGRITY);
	struct security_state s = read_state(dir, &deb_facts);

	expect(&s, 0, "integrity", "kexec_load", 0, "without Secure Boot");
	/* an explicit -s in KDUMP_KEXEC_ARGS fixes it */
	put(dir, "etc/default/kdump-tools", "USE_KDUMP=1\nKDUMP_KEXEC_ARGS=\"-s\"\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "KDUMP_KEXEC_ARGS has -s");
	put(dir, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"--kexec-syscall-auto\"\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "-a");
	/* securelevel 1 makes kdump-config add -s too */
	put(dir, "etc/default/kdump-tools", "USE_KDUMP=1\n");
	put(dir, "sys/kernel/security/securelevel", "1\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "kdump-config adds -s");
	tu_rm_tree(dir);
}
END_TEST

/* KDUMP_KEXEC_ARGS comes after kdump-config's own -s: its -c wins. */
START_TEST(debian_explicit_kexec_syscall)
{
	char *dir = root_of("debian", "12", 1, 0, CONFIDENTIALITY);
	struct security_state s;

	put(dir, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"--debug -c\"\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 1, "confidentiality", "kexec_load", 0, "KDUMP_KEXEC_ARGS has -c");
	tu_rm_tree(dir);
}
END_TEST

/* In setup mode the tools do not count Secure Boot as on. */
START_TEST(debian_setup_mode)
{
	char *dir = root_of("debian", "12", 1, 1, NONE);
	struct security_state s = read_state(dir, &deb_facts);

	expect(&s, 1, "none", "kexec_load", 1, "without Secure Boot");
	tu_rm_tree(dir);
}
END_TEST

/* The installed kexec-tools decides, not the release. */
START_TEST(debian_installed_version)
{
	char *dir = root_of("debian", "12", 0, 0, INTEGRITY);
	struct security_state s;

	put(dir, "var/lib/dpkg/status",
	    "Package: kexec-tools-udeb\nStatus: install ok installed\nVersion: 1:2.0.25-3\n\n"
	    "Package: kexec-tools\nStatus: install ok installed\nPriority: optional\n"
	    "Version: 1:2.0.27-1\n\nPackage: zlib1g\nVersion: 1:1.2.13\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "installed kexec-tools (2.0.27 or later)");
	put(dir, "var/lib/dpkg/status",
	    "Package: kexec-tools\nStatus: install ok installed\nVersion: 1:2.0.25-3+b1\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_load", 0, "installed kexec-tools (before 2.0.27)");
	/* removed but not purged: not installed, the release decides */
	put(dir, "var/lib/dpkg/status",
	    "Package: kexec-tools\nStatus: deinstall ok config-files\nVersion: 1:2.0.29-2\n");
	s = read_state(dir, &deb_facts);
	expect(&s, 0, "integrity", "kexec_load", 0, "not installed yet");
	tu_rm_tree(dir);
}
END_TEST

START_TEST(release_table)
{
	static const struct { const char *id, *version, *loader; } cases[] = {
		{ "debian", "11", "kexec_load" },
		{ "debian", "13", "kexec_file_load" },
		{ "ubuntu", "22.04", "kexec_load" },
		{ "ubuntu", "24.04", "kexec_file_load" },
		{ "linuxmint", "21", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = root_of(cases[i].id, cases[i].version, 0, 0, INTEGRITY);
		struct security_state s = read_state(dir, &deb_facts);

		if (cases[i].loader) {
			ck_assert_str_eq(s.loader, cases[i].loader);
			ck_assert_int_eq(s.loader_permitted, !strcmp(cases[i].loader, "kexec_file_load"));
		} else {
			ck_assert_ptr_null(s.loader);
			ck_assert_int_eq(s.loader_permitted, -1);
		}
		tu_rm_tree(dir);
	}
}
END_TEST

START_TEST(rpm_kexec_args)
{
	char *dir = root_of("rhel", "9.6", 0, 0, INTEGRITY);
	struct security_state s;

	/* not installed yet: its sysconfig will decide */
	s = read_state(dir, &rpm_facts);
	expect(&s, 0, "integrity", NULL, -1, "no /etc/sysconfig/kdump yet");
	put(dir, "etc/sysconfig/kdump", "KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1\"\nKEXEC_ARGS=\"-s\"\n");
	s = read_state(dir, &rpm_facts);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "KEXEC_ARGS in /etc/sysconfig/kdump has -s");
	put(dir, "etc/sysconfig/kdump", "KEXEC_ARGS=\"--kexec-syscall\"\n");
	s = read_state(dir, &rpm_facts);
	expect(&s, 0, "integrity", "kexec_load", 0, "has -c");
	put(dir, "etc/sysconfig/kdump", "KEXEC_ARGS=\"\"\n");
	s = read_state(dir, &rpm_facts);
	expect(&s, 0, "integrity", NULL, -1, "kexec-tools' default decides");
	/* no lockdown: any loader works */
	put(dir, LOCKDOWN, NONE);
	s = read_state(dir, &rpm_facts);
	expect(&s, 0, "none", NULL, 1, "kexec-tools' default decides");
	tu_rm_tree(dir);
}
END_TEST

/* kdumpctl appends its -s after KEXEC_ARGS: Secure Boot beats -c. */
START_TEST(rpm_secure_boot)
{
	char *dir = root_of("fedora", "40", 1, 0, INTEGRITY);
	struct security_state s;

	put(dir, "etc/sysconfig/kdump", "KEXEC_ARGS=\"-c\"\n");
	s = read_state(dir, &rpm_facts);
	expect(&s, 1, "integrity", "kexec_file_load", 1, "kdumpctl adds -s");
	tu_rm_tree(dir);
}
END_TEST

START_TEST(odd_files)
{
	char *dir = root_of("debian", "12", -1, 0, "none integrity\n");
	struct security_state s = read_state(dir, &deb_facts);

	/* a SecureBoot variable of 4 bytes has no value; an unbracketed
	 * lockdown file names no mode */
	ck_assert_int_eq(s.secure_boot, -1);
	ck_assert_ptr_null(s.lockdown);
	ck_assert_int_eq(s.loader_permitted, 1);
	put(dir, LOCKDOWN, "[bogus] none\n");
	s = read_state(dir, &deb_facts);
	ck_assert_ptr_null(s.lockdown);
	/* facts unknown: the Debian rules */
	s = read_state(dir, NULL);
	ck_assert_str_eq(s.loader, "kexec_load");
	tu_rm_tree(dir);
}
END_TEST

START_TEST(kexec_tools_versions)
{
	ck_assert(!kexec_tools_tries_file_load("1:2.0.25-3+b1"));
	ck_assert(!kexec_tools_tries_file_load("2.0.26"));
	ck_assert(kexec_tools_tries_file_load("1:2.0.27-1"));
	ck_assert(kexec_tools_tries_file_load("1:2.0.28-0ubuntu3"));
	ck_assert(kexec_tools_tries_file_load("2.1.0"));
	ck_assert(kexec_tools_tries_file_load("3.0"));
	ck_assert(!kexec_tools_tries_file_load("garbage"));
}
END_TEST

Suite *skd_security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *deb = tcase_create("debian");
	TCase *rpm = tcase_create("rpm");
	TCase *misc = tcase_create("misc");

	tcase_add_test(deb, debian_no_efi_no_lockdown);
	tcase_add_test(deb, debian_secure_boot_lockdown);
	tcase_add_test(deb, debian_lockdown_without_secure_boot);
	tcase_add_test(deb, debian_explicit_kexec_syscall);
	tcase_add_test(deb, debian_setup_mode);
	tcase_add_test(deb, debian_installed_version);
	tcase_add_test(deb, release_table);
	tcase_add_test(rpm, rpm_kexec_args);
	tcase_add_test(rpm, rpm_secure_boot);
	tcase_add_test(misc, odd_files);
	tcase_add_test(misc, kexec_tools_versions);
	suite_add_tcase(s, deb);
	suite_add_tcase(s, rpm);
	suite_add_tcase(s, misc);
	return s;
}

SKD_TEST_MAIN(skd_security_suite)
