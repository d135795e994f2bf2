/* SPDX-License-Identifier: Apache-2.0 */
/* security_state_read on temporary roots: Secure Boot, lockdown, and
 * whether the loader the backend names may load a crash kernel under
 * them. Which loader each family's tools use is the backends' answer
 * (kexec_syscall): tests/unit/test-backend-debian.c and
 * test-backend-rpm.c test it; here a stub backend answers. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "kexec-kernel.h"
#include "security.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_security_suite(void);

#define SB_PATH "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0e6ffaa4a8c"
#define SM_PATH "sys/firmware/efi/efivars/SetupMode-8be4df61-93ca-11d2-aa0d-e0e6ffaa4a8c"
#define LOCKDOWN "sys/kernel/security/lockdown"

/* The stub's answer, and what it was asked. */
static struct {
	const char *syscall;
	const char *basis;      /* NULL: none given */
	int result;
	int calls;
	bool secure_boot;       /* the last question's */
} stub;

static int stub_kexec_syscall(const struct skd_host *h, bool secure_boot,
                              const char **ret_syscall, char **ret_basis)
{
	(void)h;
	stub.calls++;
	stub.secure_boot = secure_boot;
	*ret_syscall = stub.syscall;
	/* a failing operation frees its own (backend.h) */
	*ret_basis = stub.result >= 0 && stub.basis ? strdup(stub.basis) : NULL;
	return stub.result;
}

static const struct skd_backend stub_backend = {
	SKD_BACKEND_HEADER("stub"),
	.kexec_syscall = stub_kexec_syscall,
};
/* the same backend built against ABI 1.2: no kexec_syscall member */
static struct skd_backend old_backend;
static const struct skd_host stub_host = { .name = "test" };

static void stub_says(const char *syscall, const char *basis)
{
	stub.syscall = syscall;
	stub.basis = basis;
	stub.result = 0;
}

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

/* A root with Secure Boot sb / setup mode sm (-2: no variable, -1: a
 * short one), lockdown text or NULL. */
static char *root_of(int sb, int sm, const char *lockdown)
{
	char *dir = tu_copy_tree(NULL);

	put(dir, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	if (sb > -2)
		put_efivar(dir, SB_PATH, sb);
	if (sm > -2)
		put_efivar(dir, SM_PATH, sm);
	if (lockdown)
		put(dir, LOCKDOWN, lockdown);
	return dir;
}

/* The state with backend `be` (NULL: the stub) on kernel `k` (NULL: not
 * known); the basis is copied into a static buffer so the cases need not
 * free it. */
static struct security_state read_state_on(const char *dir, const struct skd_backend *be,
                                           const struct kexec_kernel *k)
{
	static char basis[1024];
	struct sysroot *root;
	struct security_state s;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	security_state_read(root, be ? be : &stub_backend, &stub_host, k, &s);
	sysroot_free(root);
	ck_assert_ptr_nonnull(s.loader_basis);
	snprintf(basis, sizeof(basis), "%s", s.loader_basis);
	security_state_clear(&s);
	ck_assert_ptr_null(s.loader_basis);
	s.loader_basis = basis;
	return s;
}

static struct security_state read_state(const char *dir, const struct skd_backend *be)
{
	return read_state_on(dir, be, NULL);
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

/* No EFI variables, no lockdown: any loader works, and the tools' Secure
 * Boot test does not hold. */
START_TEST(no_efi_no_lockdown)
{
	char *dir = root_of(-2, -2, NULL);
	struct security_state s;

	stub_says("kexec_load", "stub: kexec_load");
	s = read_state(dir, NULL);
	expect(&s, -1, NULL, "kexec_load", 1, "stub: kexec_load");
	ck_assert(!stub.secure_boot);
	tu_rm_tree(dir);
}
END_TEST

/* SecureBoot=1, SetupMode=0: the tools' test holds; under lockdown
 * kexec_file_load is permitted. */
START_TEST(secure_boot_lockdown)
{
	char *dir = root_of(1, 0, INTEGRITY);
	struct security_state s;

	stub_says("kexec_file_load", "stub adds -s");
	s = read_state(dir, NULL);
	expect(&s, 1, "integrity", "kexec_file_load", 1, "stub adds -s");
	ck_assert(stub.secure_boot);
	tu_rm_tree(dir);
}
END_TEST

/* lockdown= on the command line without Secure Boot: kexec_load is
 * refused, kexec_file_load permitted. */
START_TEST(lockdown_without_secure_boot)
{
	char *dir = root_of(0, 0, INTEGRITY);
	struct security_state s;

	stub_says("kexec_load", "no -s");
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", "kexec_load", 0, "no -s");
	ck_assert(!stub.secure_boot);
	stub_says("kexec_file_load", "has -s");
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "has -s");
	tu_rm_tree(dir);
}
END_TEST

/* Confidentiality refuses kexec_load as integrity does. */
START_TEST(confidentiality)
{
	char *dir = root_of(1, 0, CONFIDENTIALITY);
	struct security_state s;

	stub_says("kexec_load", "has -c");
	s = read_state(dir, NULL);
	expect(&s, 1, "confidentiality", "kexec_load", 0, "has -c");
	tu_rm_tree(dir);
}
END_TEST

/* In setup mode the tools do not count Secure Boot as on. */
START_TEST(setup_mode)
{
	char *dir = root_of(1, 1, NONE);
	struct security_state s;

	stub_says("kexec_load", "without Secure Boot");
	s = read_state(dir, NULL);
	expect(&s, 1, "none", "kexec_load", 1, "without Secure Boot");
	ck_assert(!stub.secure_boot);
	/* no SetupMode variable: not the tools' test either */
	tu_rm_tree(dir);
	dir = root_of(1, -2, NONE);
	s = read_state(dir, NULL);
	ck_assert(!stub.secure_boot);
	tu_rm_tree(dir);
}
END_TEST

/* An unknown loader: permitted only without lockdown. */
START_TEST(unknown_loader)
{
	char *dir = root_of(0, 0, INTEGRITY);
	struct security_state s;

	stub_says(NULL, "version unknown");
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", NULL, -1, "version unknown");
	put(dir, LOCKDOWN, NONE);
	s = read_state(dir, NULL);
	expect(&s, 0, "none", NULL, 1, "version unknown");
	tu_rm_tree(dir);
}
END_TEST

/* A backend that does not answer: the loader is unknown, and the basis
 * says whose answer is missing. */
START_TEST(backend_silent)
{
	char *dir = root_of(0, 0, INTEGRITY);
	struct security_state s;
	int calls;

	/* built against 1.2: the member is past its struct_size */
	old_backend = stub_backend;
	old_backend.abi_minor = 2;
	old_backend.struct_size = (uint32_t)offsetof(struct skd_backend, auto_crashkernel);
	stub_says("kexec_file_load", "never asked");
	calls = stub.calls;
	s = read_state(dir, &old_backend);
	expect(&s, 0, "integrity", NULL, -1,
	       "backend 'stub' does not say which kexec system call its tools use");
	ck_assert_int_eq(stub.calls, calls);
	/* 1.3 without the operation */
	old_backend = stub_backend;
	old_backend.kexec_syscall = NULL;
	s = read_state(dir, &old_backend);
	expect(&s, 0, "integrity", NULL, -1, "does not say");
	/* the operation fails */
	stub_says("kexec_file_load", NULL);
	stub.result = -SKD_E_FAILED;
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", NULL, -1, "backend 'stub' could not say");
	/* a name the ABI does not have */
	stub_says("kexec_magic", "made up");
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", NULL, -1, "unknown kexec system call \"kexec_magic\"");
	/* an answer without a basis */
	stub_says("kexec_file_load", NULL);
	s = read_state(dir, NULL);
	expect(&s, 0, "integrity", "kexec_file_load", 1, "gives no basis");
	tu_rm_tree(dir);
}
END_TEST

/* A kernel built without CONFIG_KEXEC_FILE (Debian 12's arm64 one):
 * whatever the tools try, kexec_load is what loads, and lockdown refuses
 * it. A kernel that has it, or an unknown one, changes nothing. */
START_TEST(kernel_without_file_load)
{
	char *dir = root_of(1, 0, INTEGRITY);
	struct kexec_kernel k = { .file_load = 0, .text_symbol = -1,
	                          .file_load_source = (char *)"/boot/config-6.1.0-37-arm64" };
	struct security_state s;

	stub_says("kexec_file_load", "stub adds -s");
	s = read_state_on(dir, NULL, &k);
	expect(&s, 1, "integrity", "kexec_load", 0, "stub adds -s; but this kernel has "
	       "no kexec_file_load (CONFIG_KEXEC_FILE is not set in /boot/config-6.1.0-37-arm64)");
	stub_says(NULL, "version unknown");
	s = read_state_on(dir, NULL, &k);
	expect(&s, 1, "integrity", "kexec_load", 0, "version unknown; but this kernel");
	stub_says("kexec_load", "no -s");
	s = read_state_on(dir, NULL, &k);
	expect(&s, 1, "integrity", "kexec_load", 0, "no -s");
	ck_assert_ptr_null(strstr(s.loader_basis, "CONFIG_KEXEC_FILE"));
	k.file_load = 1;
	stub_says("kexec_file_load", "stub adds -s");
	s = read_state_on(dir, NULL, &k);
	expect(&s, 1, "integrity", "kexec_file_load", 1, "stub adds -s");
	ck_assert_ptr_null(strstr(s.loader_basis, "CONFIG_KEXEC_FILE"));
	k.file_load = -1;
	s = read_state_on(dir, NULL, &k);
	expect(&s, 1, "integrity", "kexec_file_load", 1, "stub adds -s");
	tu_rm_tree(dir);
}
END_TEST

/* kexec_kernel_read: CONFIG_KEXEC_FILE from /boot/config-RELEASE, and _text
 * from /proc/kallsyms on a running arm64 root only, stopping at the
 * modules' symbols. */
static struct kexec_kernel kernel_of(const char *dir, const char *arch, bool running)
{
	struct sysroot *root;
	struct kexec_kernel k;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	kexec_kernel_read(root, "6.1.0-37-arm64", arch, running, &k);
	sysroot_free(root);
	return k;
}

START_TEST(kernel_facts)
{
	char *dir = tu_copy_tree(NULL);
	struct kexec_kernel k;

	k = kernel_of(dir, "aarch64", true);
	ck_assert_int_eq(k.file_load, -1);
	ck_assert_ptr_null(k.file_load_source);
	ck_assert_int_eq(k.text_symbol, -1);
	/* Debian 12 arm64: both off; kallsyms starts at _stext */
	put(dir, "boot/config-6.1.0-37-arm64", "CONFIG_KEXEC=y\n"
	    "# CONFIG_KEXEC_FILE is not set\nCONFIG_CRASH_DUMP=y\n");
	put(dir, "proc/kallsyms", "ffff800008010000 T _stext\n"
	    "ffff800008010000 t __do_softirq\n"
	    "ffff80000a1e0000 T _etext\n"
	    "ffff800001230000 t mlx5_init\t[mlx5_core]\n"
	    "ffff800001234000 t _text\t[fake_module]\n");
	k = kernel_of(dir, "aarch64", true);
	ck_assert_int_eq(k.file_load, 0);
	ck_assert_str_eq(k.file_load_source, "/boot/config-6.1.0-37-arm64");
	ck_assert_int_eq(k.text_symbol, 0);
	kexec_kernel_clear(&k);
	ck_assert_ptr_null(k.file_load_source);
	/* CONFIG_KALLSYMS_ALL: _text first */
	put(dir, "boot/config-6.1.0-37-arm64", "CONFIG_KEXEC_FILE=y\n");
	put(dir, "proc/kallsyms", "ffff800008000000 T _text\nffff800008010000 T _stext\n");
	k = kernel_of(dir, "aarch64", true);
	ck_assert_int_eq(k.file_load, 1);
	ck_assert_int_eq(k.text_symbol, 1);
	kexec_kernel_clear(&k);
	/* not read on x86, nor on an image */
	k = kernel_of(dir, "x86_64", true);
	ck_assert_int_eq(k.text_symbol, -1);
	kexec_kernel_clear(&k);
	k = kernel_of(dir, "aarch64", false);
	ck_assert_int_eq(k.text_symbol, -1);
	ck_assert_int_eq(k.file_load, 1);
	kexec_kernel_clear(&k);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(odd_files)
{
	char *dir = root_of(-1, 0, "none integrity\n");
	struct security_state s;

	/* a SecureBoot variable of 4 bytes has no value; an unbracketed
	 * lockdown file names no mode */
	stub_says("kexec_load", "stub");
	s = read_state(dir, NULL);
	ck_assert_int_eq(s.secure_boot, -1);
	ck_assert_ptr_null(s.lockdown);
	ck_assert_int_eq(s.loader_permitted, 1);
	ck_assert(!stub.secure_boot);
	put(dir, LOCKDOWN, "[bogus] none\n");
	s = read_state(dir, NULL);
	ck_assert_ptr_null(s.lockdown);
	ck_assert_str_eq(s.loader, "kexec_load");
	tu_rm_tree(dir);
}
END_TEST

Suite *skd_security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("efi-lockdown");
	TCase *be = tcase_create("backend");

	tcase_add_test(tc, no_efi_no_lockdown);
	tcase_add_test(tc, secure_boot_lockdown);
	tcase_add_test(tc, lockdown_without_secure_boot);
	tcase_add_test(tc, confidentiality);
	tcase_add_test(tc, setup_mode);
	tcase_add_test(tc, unknown_loader);
	tcase_add_test(tc, odd_files);
	tcase_add_test(tc, kernel_without_file_load);
	tcase_add_test(tc, kernel_facts);
	tcase_add_test(be, backend_silent);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, be);
	return s;
}

SKD_TEST_MAIN(skd_security_suite)
