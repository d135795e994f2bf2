/* SPDX-License-Identifier: Apache-2.0 */
/* The status renderers on hand-built figures: text lines, JSON against
 * schemas/status.schema.json, Prometheus text against a strict reading of
 * the exposition format 0.0.4, and the atomic write of the .prom file. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "status.h"
#include "testutil.h"

Suite *skd_status_render_suite(void);

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

/* ---- building figures ------------------------------------------------ */

static void add_reason(struct status_reason **v, size_t *n, const char *code,
                       const char *message)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	ck_assert_ptr_nonnull(*v);
	(*v)[*n].code = code;
	(*v)[*n].message = strdup(message);
	(*n)++;
}

static void add_package(struct node_status *s, const char *name, int installed)
{
	s->packages = realloc(s->packages, (s->n_packages + 1) * sizeof(*s->packages));
	ck_assert_ptr_nonnull(s->packages);
	s->packages[s->n_packages].name = strdup(name);
	s->packages[s->n_packages].installed = installed;
	s->n_packages++;
}

/* Nothing known at all. */
static struct node_status *status_unknown(void)
{
	struct node_status *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	s->crash_loaded = STATUS_UNKNOWN;
	s->service_enabled = STATUS_UNKNOWN;
	s->service_active = STATUS_UNKNOWN;
	s->dump_dir_exists = STATUS_UNKNOWN;
	s->secure_boot = STATUS_UNKNOWN;
	s->loader_permitted = STATUS_UNKNOWN;
	s->kexec_file_load = STATUS_UNKNOWN;
	s->kallsyms_text = STATUS_UNKNOWN;
	s->verdict = VERDICT_NOT_ARMED;
	add_reason(&s->reasons, &s->n_reasons, "kernel_state_unreadable",
	           "cannot read /sys/kernel/kexec_crash_size");
	return s;
}

/* A Debian 12 node where everything is in order. */
static struct node_status *status_armed(void)
{
	struct node_status *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	s->os_id = strdup("debian");
	s->os_version_id = strdup("12");
	s->os_name = strdup("Debian GNU/Linux 12 (bookworm)");
	s->backend = strdup("debian");
	s->kernel_release = strdup("6.1.0-26-amd64");
	s->running = true;
	s->ck_desired = strdup("512M");
	s->ck_configured = strdup("512M");
	s->ck_active = strdup("512M");
	s->ram_known = true;
	s->ram = 16 * GIB;
	s->ram_source = "/proc/iomem";
	s->have_reserved = true;
	s->reserved = 512 * MIB;
	s->have_iomem_crash = true;
	s->iomem_crash = 512 * MIB;
	s->expected_known = true;
	s->expected = 512 * MIB;
	s->recommended_known = true;
	s->recommended = 384 * MIB;
	s->crash_loaded = 1;
	s->kexec_support = true;
	s->service = strdup("kdump-tools");
	s->service_enabled = 1;
	s->service_active = 1;
	add_package(s, "kdump-tools", 1);
	add_package(s, "kexec-tools", 1);
	add_package(s, "makedumpfile", 1);
	add_package(s, "crash", 0);
	s->dump_dir = strdup("/var/crash");
	s->dump_dir_exists = 1;
	s->have_dump_free = true;
	s->dump_free = 40 * GIB + 100 * MIB;
	s->n_dumps = 2;
	s->dumps_size = GIB + 200 * MIB;
	s->secure_boot = 0;
	s->lockdown = strdup("none");
	s->loader = strdup("kexec_file_load");
	s->loader_basis = strdup("kdump-tools uses kexec -s");
	s->loader_permitted = 1;
	s->kexec_file_load = STATUS_UNKNOWN;
	s->kallsyms_text = STATUS_UNKNOWN;
	s->verdict = VERDICT_ARMED;
	return s;
}

static struct node_status *status_warned(void)
{
	struct node_status *s = status_armed();

	s->verdict = VERDICT_ARMED_WITH_WARNINGS;
	s->reserved = s->expected = s->iomem_crash = 256 * MIB;
	add_reason(&s->warnings, &s->n_warnings, "below_recommended",
	           "256M reserved, 384M recommended for 16G of RAM");
	add_reason(&s->warnings, &s->n_warnings, "service_disabled",
	           "kdump-tools is not enabled");
	s->service_enabled = 0;
	return s;
}

static struct node_status *status_not_armed(void)
{
	struct node_status *s = status_armed();

	s->verdict = VERDICT_NOT_ARMED;
	s->crash_loaded = 0;
	s->packages[0].installed = 0;
	add_reason(&s->reasons, &s->n_reasons, "not_loaded",
	           "no crash kernel is loaded (/sys/kernel/kexec_crash_loaded is 0)");
	add_reason(&s->reasons, &s->n_reasons, "packages_missing",
	           "kdump-tools is not installed");
	add_reason(&s->reasons, &s->n_reasons, "loader_locked_down",
	           "lockdown refuses kexec_load");
	add_reason(&s->warnings, &s->n_warnings, "service_inactive",
	           "kdump-tools is not active");
	return s;
}

/* Values as a hostile or odd system may give them. */
#define NASTY "quote \" back\\slash\nnew line, \xc3\xbc\xe2\x80\x94\xf0\x9f\x92\xa5"
static struct node_status *status_nasty(void)
{
	struct node_status *s = status_not_armed();

	free(s->os_name);
	s->os_name = strdup(NASTY);
	free(s->kernel_release);
	s->kernel_release = strdup("6.1\t\"x\"\\");
	free(s->ck_active);
	s->ck_active = strdup("bad \xff\xfe utf-8 \xc0\xaf");
	free(s->lockdown);
	s->lockdown = strdup("[none] \"integrity\"");
	free(s->dump_dir);
	s->dump_dir = strdup("/var/cr\"ash\\\n");
	add_reason(&s->reasons, &s->n_reasons, "not_running", NASTY);
	/* the same code and message twice must still be one series */
	add_reason(&s->reasons, &s->n_reasons, "not_running", NASTY);
	add_package(s, "p\"k\\g\n", STATUS_UNKNOWN);
	return s;
}

/* status_clear frees what status_collect fills; these are built alike */
static void status_free(struct node_status *s)
{
	status_clear(s);
	free(s);
}

typedef struct node_status *(*status_maker)(void);
static const status_maker all_makers[] = {
	status_armed, status_warned, status_not_armed, status_unknown, status_nasty,
};
#define N_MAKERS (sizeof(all_makers) / sizeof(all_makers[0]))

/* ---- capturing output ------------------------------------------------ */

static char *render_text(const struct node_status *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	status_print_text(s, f);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static char *render_json(const struct node_status *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	status_print_json(s, f);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* `line` is one whole line of `text`. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

#define ck_assert_starts(text, prefix) \
	ck_assert_msg(strncmp((text), (prefix), strlen(prefix)) == 0, \
	              "expected to start with:\n%s\ngot:\n%s", (prefix), (text))

#define ck_assert_line(text, line) \
	ck_assert_msg(has_line((text), (line)), "missing line \"%s\" in:\n%s", (line), (text))

static size_t count_lines(const char *text)
{
	size_t n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* ---- text ------------------------------------------------------------ */

START_TEST(text_armed_whole_report)
{
	struct node_status *s = status_armed();
	char *text = render_text(s);

	ck_assert_str_eq(text,
		"verdict: armed\n"
		"system:       Debian GNU/Linux 12 (bookworm), backend debian, kernel 6.1.0-26-amd64\n"
		"crashkernel:  desired 512M, configured 512M, active 512M\n"
		"memory:       RAM 16.0 GiB (/proc/iomem); reserved 512M (kexec_crash_size), "
		"512M in /proc/iomem; expected 512M; recommended 384M\n"
		"crash kernel: loaded\n"
		"service:      kdump-tools enabled, active\n"
		"packages:     kdump-tools installed, kexec-tools installed, makedumpfile installed, crash missing\n"
		"dumps:        /var/crash: 2 dumps, 1.2 GiB; 40.1 GiB free\n"
		"security:     Secure Boot off, lockdown none; the kdump tools load with "
		"kexec_file_load (permitted; kdump-tools uses kexec -s)\n");
	free(text);
	status_free(s);
}
END_TEST

/* What "auto" means here and the platform, in the text and the JSON;
 * flattened like every value from the system. */
START_TEST(auto_and_platform)
{
	struct node_status *s = status_armed();
	char *text, *json;

	s->platform = strdup("aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto");
	s->ck_auto = strdup("2G-4G:940M,4G-64G:1004M,64G-:1260M");
	s->auto_basis = strdup("recorded by config:\nkdumpctl get-default-crashkernel");
	s->auto_known = true;
	s->auto_bytes = 1004 * MIB;
	text = render_text(s);
	ck_assert_ptr_nonnull(strstr(text, "kernel 6.1.0-26-amd64 (aarch64, 64K-page kernel, "
	                             "SMMU arm-smmu-v3.0.auto)\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nauto:         2G-4G:940M,4G-64G:1004M,64G-:1260M "
	                             "(recorded by config: kdumpctl get-default-crashkernel)\n"));
	json = render_json(s);
	ck_assert_ptr_nonnull(strstr(json, "\"kernel_release\":\"6.1.0-26-amd64\",\"platform\":"
	                             "\"aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto\""));
	ck_assert_ptr_nonnull(strstr(json, "\"auto\":\"2G-4G:940M,4G-64G:1004M,64G-:1260M\","
	                             "\"auto_basis\":\"recorded by config:\\nkdumpctl "
	                             "get-default-crashkernel\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"expected\":536870912,\"auto\":1052770304,"));
	free(json);
	free(text);
	status_free(s);
}
END_TEST

START_TEST(text_warnings_after_verdict)
{
	struct node_status *s = status_warned();
	char *text = render_text(s);

	ck_assert_starts(text, "verdict: armed with warnings\n"
	                 "warning: below_recommended: 256M reserved, 384M recommended for 16G of RAM\n"
	                 "warning: service_disabled: kdump-tools is not enabled\n"
	                 "system: ");
	ck_assert_line(text, "service:      kdump-tools disabled, active");
	ck_assert_line(text, "memory:       RAM 16.0 GiB (/proc/iomem); reserved 256M (kexec_crash_size), "
	               "256M in /proc/iomem; expected 256M; recommended 384M");
	free(text);
	status_free(s);
}
END_TEST

START_TEST(text_reasons_in_order)
{
	struct node_status *s = status_not_armed();
	char *text = render_text(s);

	ck_assert_starts(text,
		"verdict: not armed\n"
		"  - not_loaded: no crash kernel is loaded (/sys/kernel/kexec_crash_loaded is 0)\n"
		"  - packages_missing: kdump-tools is not installed\n"
		"  - loader_locked_down: lockdown refuses kexec_load\n"
		"warning: service_inactive: kdump-tools is not active\n"
		"system:       ");
	ck_assert_line(text, "crash kernel: not loaded");
	ck_assert_line(text, "packages:     kdump-tools missing, kexec-tools installed, "
	               "makedumpfile installed, crash missing");
	free(text);
	status_free(s);
}
END_TEST

/* The running kernel's kexec facts: a line only for what was read. */
START_TEST(text_kexec_kernel)
{
	struct node_status *s = status_armed();
	char *text, *json;

	s->kexec_file_load = 0;
	s->kallsyms_text = 0;
	text = render_text(s);
	ck_assert_line(text, "kexec:        the kernel has no kexec_file_load; /proc/kallsyms has no _text");
	free(text);
	json = render_json(s);
	ck_assert_ptr_nonnull(strstr(json, "\"kexec_file_load\":false,\"kallsyms_text\":false}}"));
	free(json);
	s->kexec_file_load = 1;
	s->kallsyms_text = STATUS_UNKNOWN;
	text = render_text(s);
	ck_assert_line(text, "kexec:        the kernel has kexec_file_load");
	free(text);
	s->kexec_file_load = STATUS_UNKNOWN;
	s->kallsyms_text = 1;
	text = render_text(s);
	ck_assert_line(text, "kexec:        /proc/kallsyms has _text");
	free(text);
	s->kallsyms_text = STATUS_UNKNOWN;
	text = render_text(s);
	ck_assert_ptr_null(strstr(text, "kexec: "));
	free(text);
	status_free(s);
}
END_TEST

START_TEST(text_unknown_and_none)
{
	struct node_status *s = status_unknown();
	char *text = render_text(s);

	ck_assert_str_eq(text,
		"verdict: not armed\n"
		"  - kernel_state_unreadable: cannot read /sys/kernel/kexec_crash_size\n"
		"system:       unknown, backend none, kernel unknown, not the running system\n"
		"crashkernel:  desired none, configured none, active none\n"
		"memory:       RAM unknown; reserved unknown (kexec_crash_size), unknown in "
		"/proc/iomem; expected unknown; recommended unknown\n"
		"crash kernel: unknown; the kernel has no kexec support\n"
		"service:      none\n"
		"packages:     none\n"
		"dumps:        unknown\n"
		"security:     Secure Boot unknown, lockdown not in this kernel; crash kernel loader unknown\n");
	free(text);
	status_free(s);
}
END_TEST

START_TEST(text_dump_dir_states)
{
	struct node_status *s = status_armed();
	char *text;

	s->dump_dir_exists = 0;
	text = render_text(s);
	ck_assert_line(text, "dumps:        /var/crash: missing");
	free(text);

	s->dump_dir_exists = 1;
	s->n_dumps = 1;
	s->dumps_size = 300 * MIB + 512 * 1024;
	s->have_dump_free = false;
	text = render_text(s);
	ck_assert_line(text, "dumps:        /var/crash: 1 dump, 300.5 MiB; free space unknown");
	free(text);

	s->dump_remote = true;
	free(s->dump_dir);
	s->dump_dir = strdup("/var/crash");
	text = render_text(s);
	ck_assert_line(text, "dumps:        remote target /var/crash, not checked");
	free(text);

	/* a reservation that is not a whole MiB is shown approximately */
	s->reserved = 512 * MIB + 4096;
	text = render_text(s);
	ck_assert_ptr_nonnull(strstr(text, "; reserved 512.0 MiB (kexec_crash_size)"));
	free(text);
	status_free(s);
}
END_TEST

START_TEST(text_odd_strings_stay_on_their_line)
{
	struct node_status *s = status_nasty();
	struct node_status *plain = status_not_armed();
	char *text = render_text(s), *plain_text = render_text(plain);

	/* two more reasons, nothing else adds a line */
	ck_assert_uint_eq(count_lines(text), count_lines(plain_text) + 2);
	ck_assert_line(text, "  - not_running: quote \" back\\slash new line, "
	               "\xc3\xbc\xe2\x80\x94\xf0\x9f\x92\xa5");
	ck_assert_ptr_nonnull(strstr(text, ", kernel 6.1 \"x\"\\\n"));
	free(text);
	free(plain_text);
	status_free(s);
	status_free(plain);
}
END_TEST

/* ---- JSON ------------------------------------------------------------ */

START_TEST(json_fields_and_values)
{
	struct node_status *s = status_armed();
	char *json = render_json(s);

	ck_assert_ptr_nonnull(strstr(json, "{\"schema_version\":1,\"verdict\":\"armed\",\"armed\":true,"
	                         "\"reasons\":[],\"warnings\":[],"));
	ck_assert_ptr_nonnull(strstr(json, "\"memory\":{\"ram\":17179869184,\"ram_source\":\"/proc/iomem\","
	                         "\"reserved\":536870912,\"iomem_crash\":536870912,"
	                         "\"expected\":536870912,\"auto\":null,\"recommended\":402653184}"));
	ck_assert_ptr_nonnull(strstr(json, "\"active\":\"512M\",\"auto\":null,\"auto_basis\":null}"));
	ck_assert_ptr_nonnull(strstr(json, "\"crash_kernel_loaded\":true,\"kexec_support\":true"));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\":\"crash\",\"installed\":false}]"));
	ck_assert_ptr_nonnull(strstr(json, "\"dumps\":{\"dir\":\"/var/crash\",\"remote\":false,"
	                         "\"dir_exists\":true,\"free_bytes\":43054530560,\"count\":2,"
	                         "\"total_size\":1283457024}"));
	ck_assert_str_eq(json + strlen(json) - 3, "}}\n");
	ck_assert_uint_eq(count_lines(json), 1);
	free(json);
	status_free(s);
}
END_TEST

START_TEST(json_unknown_is_null)
{
	struct node_status *s = status_unknown();
	char *json = render_json(s);

	ck_assert_ptr_nonnull(strstr(json, "\"verdict\":\"not armed\",\"armed\":false,\"reasons\":"
	                         "[{\"code\":\"kernel_state_unreadable\","));
	ck_assert_ptr_nonnull(strstr(json, "\"system\":{\"os_id\":null,\"os_version_id\":null,"
	                         "\"os_name\":null,\"backend\":null,\"kernel_release\":null,"
	                         "\"platform\":null,\"running\":false}"));
	ck_assert_ptr_nonnull(strstr(json, "\"memory\":{\"ram\":null,\"ram_source\":null,"
	                         "\"reserved\":null,\"iomem_crash\":null,\"expected\":null,"
	                         "\"auto\":null,\"recommended\":null}"));
	ck_assert_ptr_nonnull(strstr(json, "\"crash_kernel_loaded\":null,\"kexec_support\":false"));
	ck_assert_ptr_nonnull(strstr(json, "\"service\":{\"name\":null,\"enabled\":null,\"active\":null}"));
	ck_assert_ptr_nonnull(strstr(json, "\"packages\":[]"));
	ck_assert_ptr_nonnull(strstr(json, "\"dumps\":{\"dir\":null,\"remote\":false,\"dir_exists\":null,"
	                         "\"free_bytes\":null,\"count\":null,\"total_size\":null}"));
	ck_assert_ptr_nonnull(strstr(json, "\"security\":{\"secure_boot\":null,\"lockdown\":null,"
	                         "\"loader\":null,\"loader_basis\":null,\"loader_permitted\":null,"
	                         "\"kexec_file_load\":null,\"kallsyms_text\":null}}"));
	free(json);
	status_free(s);
}
END_TEST

START_TEST(json_escapes)
{
	struct node_status *s = status_nasty();
	char *json = render_json(s);

	ck_assert_ptr_nonnull(strstr(json, "\"os_name\":\"quote \\\" back\\\\slash\\nnew line, "
	                         "\xc3\xbc\xe2\x80\x94\xf0\x9f\x92\xa5\""));
	ck_assert_ptr_nonnull(strstr(json, "\"kernel_release\":\"6.1\\t\\\"x\\\"\\\\\""));
	/* bytes that are not UTF-8 become U+FFFD */
	ck_assert_ptr_nonnull(strstr(json, "\"active\":\"bad \xef\xbf\xbd\xef\xbf\xbd utf-8 "
	                         "\xef\xbf\xbd\xef\xbf\xbd\""));
	free(json);
	status_free(s);
}
END_TEST

/* Runs tests/status-schema-check.py on `files`; -1 when jsonschema is
 * missing (the caller skips), else its exit status. The refusals a test
 * provokes are not printed. */
static int schema_check(const char *files, bool expect_refusal)
{
	char *cmd;
	int rc;

	if (system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skipping the JSON schema check: python3 with the "
		        "jsonschema module is not available\n");
		return -1;
	}
	cmd = tu_printf("python3 '%s/tests/status-schema-check.py' '%s/schemas/status.schema.json' %s%s",
	                tu_srcdir(), tu_srcdir(), files, expect_refusal ? " 2>/dev/null" : "");
	rc = system(cmd);
	free(cmd);
	ck_assert(WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

START_TEST(json_matches_schema)
{
	char *dir = tu_copy_tree(NULL);
	char *files = strdup("");

	for (size_t i = 0; i < N_MAKERS; i++) {
		struct node_status *s = all_makers[i]();
		char *json = render_json(s);
		char *path = tu_printf("%s/status-%zu.json", dir, i);
		char *more = tu_printf("%s '%s'", files, path);

		tu_write(path, json);
		free(files);
		files = more;
		free(path);
		free(json);
		status_free(s);
	}
	ck_assert_int_ne(schema_check(files, false), 1);
	free(files);
	tu_rm_tree(dir);
}
END_TEST

/* The schema is strict: an unknown code or an extra field is refused. */
START_TEST(json_schema_refuses_strangers)
{
	char *dir = tu_copy_tree(NULL);
	struct node_status *s = status_not_armed();
	char *json = render_json(s), *p, *path, *files;

	p = strstr(json, "\"not_loaded\"");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "\"not_armed_\"", 12);
	path = tu_printf("%s/bad-code.json", dir);
	tu_write(path, json);
	files = tu_printf("'%s'", path);
	free(path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);

	path = tu_printf("%s/extra.json", dir);
	free(json);
	json = render_json(s);
	json[strlen(json) - 2] = '\0';
	p = tu_printf("%s,\"extra\":1}\n", json);
	tu_write(path, p);
	free(p);
	files = tu_printf("'%s'", path);
	free(path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);

	free(json);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

static char *render_json_error(const char *code, const char *message)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	status_print_json_error(code, message, f);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* status --json when the status could not be judged: the error and the
 * verdict unknown, valid; the schema refuses the error on a judged
 * document and a judged field on an unknown one. */
START_TEST(json_error_document)
{
	char *dir = tu_copy_tree(NULL);
	char *json = render_json_error("unsupported", "no backend for \"plan9\"\t\x01");
	char *path = tu_printf("%s/error.json", dir), *files, *p;
	struct node_status *s = status_armed();

	ck_assert_str_eq(json, "{\"schema_version\":1,\"verdict\":\"unknown\",\"armed\":false,"
	                 "\"error\":{\"code\":\"unsupported\",\"message\":"
	                 "\"no backend for \\\"plan9\\\"\\t\\u0001\"}}\n");
	tu_write(path, json);
	files = tu_printf("'%s'", path);
	ck_assert_int_ne(schema_check(files, false), 1);
	free(files);
	free(path);
	for (size_t i = 0; i < 3; i++) {
		static const char *const code[] = { "bad_input", "unsupported", "failed" };
		static const int exit_code[] = { 2, 3, 4 };

		ck_assert_str_eq(status_error_code(exit_code[i]), code[i]);
	}

	/* an unknown code, a judged field beside the error, an error on a
	 * judged document, armed true: each refused */
	path = tu_printf("%s/bad-code.json", dir);
	p = render_json_error("crashed", "x");
	tu_write(path, p);
	free(p);
	files = tu_printf("'%s'", path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);
	free(path);

	path = tu_printf("%s/extra.json", dir);
	p = tu_printf("{\"schema_version\":1,\"verdict\":\"unknown\",\"armed\":false,"
	              "\"reasons\":[],\"error\":{\"code\":\"failed\",\"message\":\"x\"}}");
	tu_write(path, p);
	free(p);
	files = tu_printf("'%s'", path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);
	free(path);

	path = tu_printf("%s/armed-error.json", dir);
	p = render_json(s);
	p[strlen(p) - 2] = '\0';       /* "}\n" off the end */
	files = tu_printf("%s,\"error\":{\"code\":\"failed\",\"message\":\"x\"}}", p);
	free(p);
	tu_write(path, files);
	free(files);
	files = tu_printf("'%s'", path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);
	free(path);

	path = tu_printf("%s/unknown-armed.json", dir);
	p = tu_printf("{\"schema_version\":1,\"verdict\":\"unknown\",\"armed\":true,"
	              "\"error\":{\"code\":\"failed\",\"message\":\"x\"}}");
	tu_write(path, p);
	free(p);
	files = tu_printf("'%s'", path);
	ck_assert_int_eq(schema_check(files, true) != 0, 1);
	free(files);
	free(path);

	free(json);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

/* ---- Prometheus ------------------------------------------------------ */

static bool name_char(char ch, bool first)
{
	return ch == '_' || ch == ':' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (!first && ch >= '0' && ch <= '9');
}

static bool is_metric_name(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i], i == 0))
			return false;
	return true;
}

static bool is_label_name(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '_' && s[1] == '_')
		return false;       /* reserved */
	return is_metric_name(s, n) && !memchr(s, ':', n);
}

struct prom_check {
	char err[256];
	char *families[64];     /* seen, in order */
	size_t n_families;
	char *series[256];
	size_t n_series;
};

static bool refuse(struct prom_check *c, const char *line, const char *why)
{
	snprintf(c->err, sizeof(c->err), "%s in line \"%.120s\"", why, line);
	return false;
}

/* Label values: only \\, \" and \n may be escaped; unescaped into `out`
 * when given. Returns the position after the closing quote, or NULL. */
static const char *label_string(const char *p, const char *end, char *out)
{
	if (p >= end || *p++ != '"')
		return NULL;
	while (p < end && *p != '"') {
		if (*p == '\n')
			return NULL;
		if (*p == '\\') {
			if (p + 1 >= end)
				return NULL;
			if (p[1] != '\\' && p[1] != '"' && p[1] != 'n')
				return NULL;
			if (out)
				*out++ = p[1] == 'n' ? '\n' : p[1];
			p += 2;
			continue;
		}
		if (out)
			*out++ = *p;
		p++;
	}
	if (out)
		*out = '\0';
	return p < end ? p + 1 : NULL;
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
		           (*p & 0xf8) == 0xf0 ? 4 : 0;

		if (!n || (n == 2 && *p < 0xc2))
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static bool check_sample(struct prom_check *c, const char *line, const char *end,
                         const char *family)
{
	const char *p = line, *name_end;
	char labels[16][64];
	size_t n_labels = 0;

	while (p < end && *p != '{' && *p != ' ')
		p++;
	name_end = p;
	if (!is_metric_name(line, (size_t)(name_end - line)))
		return refuse(c, line, "bad metric name");
	if (!family || strlen(family) != (size_t)(name_end - line) ||
	    strncmp(family, line, strlen(family)) != 0)
		return refuse(c, line, "sample not under the HELP and TYPE of its family");
	if (p < end && *p == '{') {
		p++;
		while (p < end && *p != '}') {
			const char *ln = p;

			while (p < end && *p != '=')
				p++;
			if (!is_label_name(ln, (size_t)(p - ln)) || (size_t)(p - ln) >= 64)
				return refuse(c, line, "bad label name");
			if (n_labels == 16)
				return refuse(c, line, "too many labels");
			snprintf(labels[n_labels], 64, "%.*s", (int)(p - ln), ln);
			for (size_t i = 0; i < n_labels; i++)
				if (strcmp(labels[i], labels[n_labels]) == 0)
					return refuse(c, line, "label repeated");
			n_labels++;
			p = label_string(p + 1, end, NULL);
			if (!p)
				return refuse(c, line, "bad label value or escape");
			if (p < end && *p == ',' && p + 1 < end && p[1] != '}')
				p++;
			else if (p >= end || *p != '}')
				return refuse(c, line, "expected , or }");
		}
		if (p >= end)
			return refuse(c, line, "unterminated labels");
		p++;
	}
	if (p >= end || *p != ' ')
		return refuse(c, line, "no space before the value");
	{
		char value[64], *vend;

		snprintf(value, sizeof(value), "%.*s", (int)(end - p - 1), p + 1);
		if (strcmp(value, "NaN") && strcmp(value, "+Inf") && strcmp(value, "-Inf")) {
			if (!*value || strchr(value, ' '))
				return refuse(c, line, "bad value (or a timestamp)");
			errno = 0;
			strtod(value, &vend);
			if (*vend || errno)
				return refuse(c, line, "bad value");
		}
	}
	for (size_t i = 0; i < c->n_series; i++)
		if (strlen(c->series[i]) == (size_t)(p - line) &&
		    strncmp(c->series[i], line, (size_t)(p - line)) == 0)
			return refuse(c, line, "duplicate series");
	if (c->n_series == 256)
		return refuse(c, line, "too many series");
	c->series[c->n_series++] = strndup(line, (size_t)(p - line));
	return true;
}

static bool seen_family(struct prom_check *c, const char *name, size_t n)
{
	for (size_t i = 0; i < c->n_families; i++)
		if (strlen(c->families[i]) == n && strncmp(c->families[i], name, n) == 0)
			return true;
	return false;
}

/* HELP then TYPE, once per family, before its samples; samples of one
 * family together; no other comments, no blank lines, a final newline. */
static bool prom_valid(const char *text, struct prom_check *c)
{
	const char *family = NULL;      /* HELP and TYPE both seen */
	const char *helped = NULL;      /* HELP seen, TYPE pending */

	memset(c, 0, sizeof(*c));
	if (!*text || text[strlen(text) - 1] != '\n')
		return refuse(c, text, "no final newline");
	if (!valid_utf8(text))
		return refuse(c, text, "not UTF-8");
	for (const char *line = text, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (end == line)
			return refuse(c, line, "blank line");
		if (strncmp(line, "# HELP ", 7) == 0) {
			const char *name = line + 7, *sp = memchr(name, ' ', (size_t)(end - name));

			if (!sp || !is_metric_name(name, (size_t)(sp - name)))
				return refuse(c, line, "bad HELP");
			if (seen_family(c, name, (size_t)(sp - name)) || helped)
				return refuse(c, line, "HELP repeated or without TYPE");
			for (const char *q = sp + 1; q < end; q++)
				if (*q == '\\' && (++q >= end || (*q != '\\' && *q != 'n')))
					return refuse(c, line, "bad escape in HELP");
			if (c->n_families == 64)
				return refuse(c, line, "too many families");
			c->families[c->n_families++] = strndup(name, (size_t)(sp - name));
			helped = c->families[c->n_families - 1];
			family = NULL;
		} else if (strncmp(line, "# TYPE ", 7) == 0) {
			const char *name = line + 7;
			size_t n = helped ? strlen(helped) : 0;

			if (!helped || strncmp(name, helped, n) != 0 || name[n] != ' ')
				return refuse(c, line, "TYPE not right after the HELP of its family");
			if (strncmp(name + n + 1, "gauge\n", 6) != 0)
				return refuse(c, line, "not a gauge");
			family = helped;
			helped = NULL;
		} else if (*line == '#') {
			return refuse(c, line, "stray comment");
		} else if (helped || !check_sample(c, line, end, family)) {
			if (!*c->err)
				refuse(c, line, "sample between HELP and TYPE");
			return false;
		}
	}
	return !helped || refuse(c, text, "HELP without TYPE at the end");
}

static void prom_check_clear(struct prom_check *c)
{
	for (size_t i = 0; i < c->n_families; i++)
		free(c->families[i]);
	for (size_t i = 0; i < c->n_series; i++)
		free(c->series[i]);
}

/* The unescaped value of `label` in the first sample of `metric` (malloc'd)
 * or NULL. */
static char *prom_label(const char *text, const char *metric, const char *label)
{
	char *head = tu_printf("\n%s{", metric);
	char *copy = tu_printf("\n%s", text);     /* the first line too */
	const char *p = strstr(copy, head), *end;
	char *value = NULL;

	free(head);
	if (!p)
		goto out;
	p = strchr(p, '{') + 1;
	end = strchr(p, '\n');
	while (p && p < end && *p != '}') {
		const char *eq = strchr(p, '=');
		bool match = (size_t)(eq - p) == strlen(label) && strncmp(p, label, strlen(label)) == 0;

		if (match) {
			value = malloc(strlen(eq));
			label_string(eq + 1, end, value);
			break;
		}
		p = label_string(eq + 1, end, NULL);
		if (p && *p == ',')
			p++;
	}
out:
	free(copy);
	return value;
}

START_TEST(prom_every_status_valid)
{
	for (size_t i = 0; i < N_MAKERS; i++) {
		struct node_status *s = all_makers[i]();
		char *text = status_prometheus_text(s);
		struct prom_check c;

		ck_assert_ptr_nonnull(text);
		ck_assert_msg(prom_valid(text, &c), "status %zu: %s\n%s", i, c.err, text);
		prom_check_clear(&c);
		free(text);
		status_free(s);
	}
}
END_TEST

START_TEST(prom_armed_samples)
{
	struct node_status *s = status_armed();
	char *text = status_prometheus_text(s);

	ck_assert_starts(text, "# HELP skyhook_kdump_armed ");
	ck_assert_line(text, "# TYPE skyhook_kdump_armed gauge");
	ck_assert_line(text, "skyhook_kdump_armed{verdict=\"armed\"} 1");
	ck_assert_line(text, "skyhook_kdump_ram_bytes 17179869184");
	ck_assert_line(text, "skyhook_kdump_reserved_bytes 536870912");
	ck_assert_line(text, "skyhook_kdump_expected_bytes 536870912");
	ck_assert_line(text, "skyhook_kdump_recommended_bytes 402653184");
	ck_assert_line(text, "skyhook_kdump_crash_kernel_loaded 1");
	ck_assert_line(text, "skyhook_kdump_service_active 1");
	ck_assert_line(text, "skyhook_kdump_service_enabled 1");
	ck_assert_line(text, "skyhook_kdump_dumps 2");
	ck_assert_line(text, "skyhook_kdump_dumps_bytes 1283457024");
	ck_assert_line(text, "skyhook_kdump_dump_dir_free_bytes 43054530560");
	ck_assert_line(text, "skyhook_kdump_secure_boot 0");
	ck_assert_line(text, "skyhook_kdump_lockdown{mode=\"none\"} 1");
	ck_assert_line(text, "skyhook_kdump_status_info{os=\"Debian GNU/Linux 12 (bookworm)\","
	               "backend=\"debian\",kernel=\"6.1.0-26-amd64\",crashkernel_active=\"512M\"} 1");
	ck_assert_ptr_null(strstr(text, "not_armed_reason"));
	ck_assert_ptr_null(strstr(text, "skyhook_kdump_warning"));
	free(text);
	status_free(s);
}
END_TEST

START_TEST(prom_reasons_and_warnings)
{
	struct node_status *s = status_not_armed();
	char *text = status_prometheus_text(s);

	ck_assert_line(text, "skyhook_kdump_armed{verdict=\"not armed\"} 0");
	ck_assert_line(text, "skyhook_kdump_not_armed_reason{code=\"not_loaded\",message=\"no crash "
	               "kernel is loaded (/sys/kernel/kexec_crash_loaded is 0)\"} 1");
	ck_assert_line(text, "skyhook_kdump_not_armed_reason{code=\"packages_missing\","
	               "message=\"kdump-tools is not installed\"} 1");
	ck_assert_line(text, "skyhook_kdump_warning{code=\"service_inactive\","
	               "message=\"kdump-tools is not active\"} 1");
	ck_assert_line(text, "skyhook_kdump_crash_kernel_loaded 0");
	free(text);
	status_free(s);

	s = status_warned();
	text = status_prometheus_text(s);
	ck_assert_line(text, "skyhook_kdump_armed{verdict=\"armed with warnings\"} 1");
	ck_assert_line(text, "skyhook_kdump_service_enabled 0");
	free(text);
	status_free(s);
}
END_TEST

START_TEST(prom_unknown_left_out)
{
	struct node_status *s = status_unknown();
	char *text = status_prometheus_text(s);
	static const char *const absent[] = {
		"ram_bytes", "reserved_bytes", "expected_bytes", "recommended_bytes",
		"crash_kernel_loaded", "service_active", "service_enabled",
		"skyhook_kdump_dumps", "dump_dir_free_bytes", "secure_boot", "lockdown",
	};

	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		ck_assert_msg(!strstr(text, absent[i]), "%s reported though unknown:\n%s",
		              absent[i], text);
	ck_assert_line(text, "skyhook_kdump_armed{verdict=\"not armed\"} 0");
	ck_assert_line(text, "skyhook_kdump_status_info{os=\"\",backend=\"\",kernel=\"\","
	               "crashkernel_active=\"\"} 1");
	free(text);
	status_free(s);
}
END_TEST

START_TEST(prom_label_escaping_round_trips)
{
	struct node_status *s = status_nasty();
	char *text = status_prometheus_text(s);
	char *v;

	ck_assert_line(text, "skyhook_kdump_not_armed_reason{code=\"not_running\",message=\"quote \\\" "
	               "back\\\\slash\\nnew line, \xc3\xbc\xe2\x80\x94\xf0\x9f\x92\xa5\"} 1");
	v = prom_label(text, "skyhook_kdump_status_info", "os");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, NASTY);
	free(v);
	v = prom_label(text, "skyhook_kdump_status_info", "kernel");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "6.1\t\"x\"\\");
	free(v);
	v = prom_label(text, "skyhook_kdump_status_info", "crashkernel_active");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "bad \xef\xbf\xbd\xef\xbf\xbd utf-8 \xef\xbf\xbd\xef\xbf\xbd");
	free(v);
	v = prom_label(text, "skyhook_kdump_lockdown", "mode");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "[none] \"integrity\"");
	free(v);
	free(text);
	status_free(s);
}
END_TEST

/* A status that could not be judged: armed 0 with the verdict unknown,
 * and the code and message of the error; the same HELP for armed as a
 * good file, so the collector sees one family whichever file it reads. */
START_TEST(prom_error_samples)
{
	struct node_status *s = status_armed();
	char *good = status_prometheus_text(s);
	char *text = status_prometheus_error_text("unsupported",
	                                          "no backend serves \"plan9\"\nsecond line");
	struct prom_check c;
	char *v, *help;

	ck_assert_ptr_nonnull(text);
	ck_assert_msg(prom_valid(text, &c), "%s\n%s", c.err, text);
	prom_check_clear(&c);
	ck_assert_line(text, "# TYPE skyhook_kdump_armed gauge");
	ck_assert_line(text, "skyhook_kdump_armed{verdict=\"unknown\"} 0");
	ck_assert_line(text, "# TYPE skyhook_kdump_status_error gauge");
	v = prom_label(text, "skyhook_kdump_status_error", "code");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "unsupported");
	free(v);
	v = prom_label(text, "skyhook_kdump_status_error", "message");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "no backend serves \"plan9\"\nsecond line");
	free(v);
	help = strndup(text, strcspn(text, "\n"));
	ck_assert_line(good, help);
	ck_assert_ptr_null(strstr(good, "status_error"));
	free(help);
	free(text);
	free(good);
	status_free(s);
}
END_TEST

/* The validator itself refuses what it should. */
START_TEST(prom_validator_is_strict)
{
	static const char *const bad[] = {
		"skyhook_kdump_x 1\n",                                          /* no HELP/TYPE */
		"# HELP a x\n# TYPE a gauge\na 1",                              /* no final newline */
		"# HELP a x\n# TYPE a gauge\na{l=\"\\t\"} 1\n",                 /* bad escape */
		"# HELP a x\n# TYPE a gauge\na{l=\"x\"} 1\na{l=\"x\"} 2\n",     /* duplicate */
		"# HELP a x\n# TYPE a gauge\na{__l=\"x\"} 1\n",                 /* reserved label */
		"# HELP a x\n# TYPE a gauge\na{l=\"x\",l=\"y\"} 1\n",           /* label twice */
		"# HELP 1a x\n# TYPE 1a gauge\n1a 1\n",                         /* metric name */
		"# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\na 2\n",
		"# HELP a x\n# TYPE a gauge\na one\n",                          /* value */
		"# HELP a x\n# TYPE a gauge\n\na 1\n",                          /* blank line */
		"# HELP a x\n# TYPE a gauge\na{l=\"\xff\"} 1\n",                /* not UTF-8 */
		"# HELP a x\n# TYPE a gauge\na{l=\"x\ny\"} 1\n",                /* raw newline */
	};
	struct prom_check c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!prom_valid(bad[i], &c), "accepted bad[%zu]", i);
		prom_check_clear(&c);
	}
	ck_assert_msg(prom_valid("# HELP a x\\ny\n# TYPE a gauge\na{l=\"\\\"\\\\\\n\"} 1\na 2.5\n", &c),
	              "%s", c.err);
	prom_check_clear(&c);
}
END_TEST

/* ---- the atomic write ------------------------------------------------ */

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(write_replaces_existing_file)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "kdump.prom");
	struct node_status *s = status_armed();
	char *want = status_prometheus_text(s), *got;
	struct stat st;

	tu_write(path, "old\n");
	mode_t old_umask = umask(077);  /* the collector may run as another user */
	int r = status_write_prometheus(s, path);

	umask(old_umask);
	ck_assert_int_eq(r, 0);
	got = tu_read(path, NULL);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_eq(dir_entries(dir), 1);     /* no temporary left */
	free(got);
	free(want);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

/* A failed status replaces the last good file, in the same atomic way. */
START_TEST(write_error_replaces_good_file)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "kdump.prom");
	struct node_status *s = status_armed();
	char *want = status_prometheus_error_text("failed", "cannot read the root"), *got;
	struct stat st;

	ck_assert_int_eq(status_write_prometheus(s, path), 0);
	mode_t old_umask = umask(077);
	int r = status_write_prometheus_error("failed", "cannot read the root", path);

	umask(old_umask);
	ck_assert_int_eq(r, 0);
	got = tu_read(path, NULL);
	ck_assert_str_eq(got, want);
	ck_assert_ptr_null(strstr(got, "verdict=\"armed\""));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_eq(dir_entries(dir), 1);
	free(got);
	free(want);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(write_failure_keeps_old_file)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "kdump.prom");
	struct node_status *s = status_armed();
	struct rlimit small, saved;
	char *got;
	int r;

	tu_write(path, "old content, longer than the limit\n");
	/* files may not grow past 8 bytes, root included: the write fails */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 8;     /* the soft limit only, so it can be put back */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	diag_clear();
	r = status_write_prometheus(s, path);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(r, -EFBIG);
	ck_assert_ptr_nonnull(strstr(diag_message(), path));
	ck_assert_ptr_null(strchr(diag_message(), '\n'));
	got = tu_read(path, NULL);
	ck_assert_str_eq(got, "old content, longer than the limit\n");
	ck_assert_uint_eq(dir_entries(dir), 1);
	free(got);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(write_never_follows_planted_symlink)
{
	char *dir = tu_copy_tree(NULL), *other = tu_copy_tree(NULL);
	char *path = tu_path(dir, "kdump.prom");
	char *victim = tu_path(other, "victim");
	/* the first name the writer tries */
	char *planted = tu_printf("%s/.kdump.prom.%ld.0.tmp", dir, (long)getpid());
	struct node_status *s = status_armed();
	char *want = status_prometheus_text(s), *got;
	struct stat st;

	tu_write(victim, "precious\n");
	ck_assert_int_eq(symlink(victim, planted), 0);
	ck_assert_int_eq(status_write_prometheus(s, path), 0);
	got = tu_read(victim, NULL);
	ck_assert_str_eq(got, "precious\n");
	free(got);
	got = tu_read(path, NULL);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(lstat(planted, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(dir_entries(dir), 2);
	free(got);
	free(want);
	free(planted);
	free(victim);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
	tu_rm_tree(other);
}
END_TEST

START_TEST(write_missing_directory_one_line)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "no/such/dir/kdump.prom");
	struct node_status *s = status_armed();

	diag_clear();
	ck_assert_int_eq(status_write_prometheus(s, path), -ENOENT);
	ck_assert_msg(strstr(diag_message(), path) != NULL, "%s", diag_message());
	ck_assert_ptr_null(strchr(diag_message(), '\n'));
	ck_assert_uint_eq(dir_entries(dir), 0);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(write_onto_directory_fails_cleanly)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "kdump.prom");
	char *inside = tu_path(path, "keep");
	struct node_status *s = status_armed();

	tu_write(inside, "x\n");
	diag_clear();
	ck_assert_int_lt(status_write_prometheus(s, path), 0);
	ck_assert_ptr_nonnull(strstr(diag_message(), path));
	ck_assert_uint_eq(dir_entries(dir), 1);     /* temporary removed */
	ck_assert_uint_eq(dir_entries(path), 1);
	free(inside);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(write_dash_is_stdout)
{
	char *dir = tu_copy_tree(NULL);
	char *path = tu_path(dir, "stdout");
	struct node_status *s = status_warned();
	char *want = status_prometheus_text(s), *got;
	int saved = dup(STDOUT_FILENO);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	close(fd);
	ck_assert_int_eq(status_write_prometheus(s, "-"), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	got = tu_read(path, NULL);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	free(path);
	status_free(s);
	tu_rm_tree(dir);
}
END_TEST

Suite *skd_status_render_suite(void)
{
	Suite *s = suite_create("status-render");
	TCase *tc;

	tc = tcase_create("text");
	tcase_add_test(tc, text_armed_whole_report);
	tcase_add_test(tc, auto_and_platform);
	tcase_add_test(tc, text_warnings_after_verdict);
	tcase_add_test(tc, text_reasons_in_order);
	tcase_add_test(tc, text_unknown_and_none);
	tcase_add_test(tc, text_kexec_kernel);
	tcase_add_test(tc, text_dump_dir_states);
	tcase_add_test(tc, text_odd_strings_stay_on_their_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, json_fields_and_values);
	tcase_add_test(tc, json_unknown_is_null);
	tcase_add_test(tc, json_escapes);
	tcase_add_test(tc, json_matches_schema);
	tcase_add_test(tc, json_schema_refuses_strangers);
	tcase_add_test(tc, json_error_document);
	suite_add_tcase(s, tc);

	tc = tcase_create("prometheus");
	tcase_add_test(tc, prom_every_status_valid);
	tcase_add_test(tc, prom_armed_samples);
	tcase_add_test(tc, prom_reasons_and_warnings);
	tcase_add_test(tc, prom_unknown_left_out);
	tcase_add_test(tc, prom_label_escaping_round_trips);
	tcase_add_test(tc, prom_validator_is_strict);
	tcase_add_test(tc, prom_error_samples);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, write_replaces_existing_file);
	tcase_add_test(tc, write_error_replaces_good_file);
	tcase_add_test(tc, write_failure_keeps_old_file);
	tcase_add_test(tc, write_never_follows_planted_symlink);
	tcase_add_test(tc, write_missing_directory_one_line);
	tcase_add_test(tc, write_onto_directory_fails_cleanly);
	tcase_add_test(tc, write_dash_is_stdout);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_status_render_suite)
