/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An out-of-tree skyhook-kdump backend for SUSE Linux Enterprise and
 * openSUSE, built against the installed SDK only (see README.md):
 *
 *   packages     zypper --non-interactive install / remove; rpm -q to query
 *   service      kdump.service, through systemctl
 *   kdump config /etc/sysconfig/kdump (KEY=value)
 *   bootloader   crashkernel= in GRUB_CMDLINE_LINUX_DEFAULT of
 *                /etc/default/grub, then grub2-mkconfig -o /boot/grub2/grub.cfg
 *   kdump's own  "auto", the kexec system call, the capture kernel's
 *   decisions    command line and initrd (ABI 1.3), from /etc/sysconfig/kdump
 *                and kdump's load script read in place
 *   checks       what config would still change, read only (ABI 1.4)
 *
 * Like every backend it never touches the system itself: files and
 * commands go through the struct skd_host services, so the host can run it
 * on a root below --root, under --dry-run, or with recorded commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

SKD_BACKEND_NOTE("suse", "sles sled sles_sap opensuse-leap opensuse-tumbleweed opensuse suse");

#define SERVICE "kdump.service"
#define KDUMP_CONFIG "/etc/sysconfig/kdump"
#define GRUB_DEFAULT "/etc/default/grub"
#define GRUB_CFG "/boot/grub2/grub.cfg"
#define CMDLINE_VAR "GRUB_CMDLINE_LINUX_DEFAULT"
/* what "kdumptool calibrate" typically recommends on x86_64: a High
 * reservation anywhere in RAM plus 72M Low below 4G for DMA */
#define DEFAULT_CRASHKERNEL "256M,high 72M,low"

static const char *const packages[] = { "kexec-tools", "makedumpfile", "kdump", NULL };

/* ---- a growing string --------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* ---- commands ----------------------------------------------------------- */

/* Run argv; a non-zero exit status is an error reported with h->error. */
static int run_checked(const struct skd_host *h, const char *const *argv,
                       uint32_t flags)
{
	struct skd_run_result res = { 0 };
	int r = h->run(h, argv, NULL, flags, &res);

	if (r < 0)
		return h->error(h, r, "cannot run \"%s\"", argv[0]);
	if (res.status != 0)
		r = h->error(h, -SKD_E_FAILED, "\"%s %s\" failed with exit status %d: %s",
		             argv[0], argv[1], res.status,
		             res.err && *res.err ? res.err : "(no message)");
	h->run_result_free(h, &res);
	return r;
}

/* ---- packages ----------------------------------------------------------- */

static int packages_query(const struct skd_host *h, const char *const *names,
                          bool *ret_installed)
{
	const char *argv[64] = { "rpm", "-q", "--queryformat", "%{NAME}\\n" };
	struct skd_run_result res = { 0 };
	size_t n = 4, i;
	int r;

	for (i = 0; names[i]; i++) {
		if (n + 1 >= sizeof(argv) / sizeof(argv[0]))
			return h->error(h, -SKD_E_INVALID, "too many packages");
		argv[n++] = names[i];
	}
	argv[n] = NULL;
	/* exit status: how many are missing; stdout has one line a package,
	 * the name when installed */
	r = h->run(h, argv, NULL, SKD_RUN_QUIET, &res);
	if (r < 0)
		return h->error(h, r, "cannot run \"rpm -q\"");
	for (i = 0; names[i]; i++) {
		const char *p = res.out;
		size_t len = strlen(names[i]);

		ret_installed[i] = false;
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);

			if (l == len && strncmp(p, names[i], len) == 0)
				ret_installed[i] = true;
			p = nl ? nl + 1 : NULL;
		}
	}
	h->run_result_free(h, &res);
	return 0;
}

static int zypper(const struct skd_host *h, const char *verb,
                  const char *const *names)
{
	const char *argv[64] = { "zypper", "--non-interactive", verb };
	size_t n = 3;

	for (size_t i = 0; names[i]; i++) {
		if (n + 1 >= sizeof(argv) / sizeof(argv[0]))
			return h->error(h, -SKD_E_INVALID, "too many packages");
		argv[n++] = names[i];
	}
	argv[n] = NULL;
	return run_checked(h, argv, SKD_RUN_CHANGES);
}

static int packages_install(const struct skd_host *h, const char *const *names)
{
	return zypper(h, "install", names);
}

static int packages_remove(const struct skd_host *h, const char *const *names)
{
	return zypper(h, "remove", names);
}

/* ---- bootloader: GRUB_CMDLINE_LINUX_DEFAULT ------------------------------ */

/* The last assignment of CMDLINE_VAR in `text`: where its value starts and
 * ends (quotes included), or false when there is none. */
static bool find_cmdline(const char *text, size_t *ret_start, size_t *ret_end)
{
	const char *line = text;
	bool found = false;

	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, CMDLINE_VAR "=", sizeof(CMDLINE_VAR)) == 0) {
			const char *v = p + sizeof(CMDLINE_VAR), *e = v;

			if (*v == '"' || *v == '\'') {
				e = strchr(v + 1, *v);
				if (!e || (nl && e > nl))
					e = nl ? nl : v + strlen(v);
				else
					e++;
			} else {
				while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '#')
					e++;
			}
			*ret_start = (size_t)(v - text);
			*ret_end = (size_t)(e - text);
			found = true;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return found;
}

/* The words of the value at text[start, end), quotes removed; with
 * `crashkernel` only those that are crashkernel= words (prefix dropped),
 * else only the others. Joined with one space. */
static int value_words(const char *text, size_t start, size_t end,
                       bool crashkernel, struct buf *out)
{
	size_t i = start;

	if (i < end && (text[i] == '"' || text[i] == '\'')) {
		i++;
		if (end > i && text[end - 1] == text[start])
			end--;
	}
	while (i < end) {
		size_t w;

		while (i < end && (text[i] == ' ' || text[i] == '\t'))
			i++;
		w = i;
		while (i < end && text[i] != ' ' && text[i] != '\t')
			i++;
		if (w == i)
			break;
		if (crashkernel != (i - w > 12 && strncmp(text + w, "crashkernel=", 12) == 0))
			continue;
		if (out->len)
			buf_str(out, " ");
		if (crashkernel)
			buf_add(out, text + w + 12, i - w - 12);
		else
			buf_add(out, text + w, i - w);
	}
	return out->oom ? -ENOMEM : 0;
}

static int bootloader_get(const struct skd_host *h, char **ret_value)
{
	struct buf v = { 0 };
	char *text;
	size_t len, start, end;
	int r = h->read_file(h, GRUB_DEFAULT, &text, &len);

	if (r == -ENOENT) {
		*ret_value = NULL;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read %s", GRUB_DEFAULT);
	if (find_cmdline(text, &start, &end))
		r = value_words(text, start, end, true, &v);
	free(text);
	if (r < 0) {
		free(v.s);
		return r;
	}
	*ret_value = v.s;       /* NULL when there is no crashkernel= */
	return 0;
}

/* Rewrite CMDLINE_VAR without its crashkernel= words, plus one
 * crashkernel= word per item of `value` (may be NULL) at its end. */
static int bootloader_edit(const struct skd_host *h, const char *value,
                           bool dry, bool *ret_changed)
{
	struct buf out = { 0 }, words = { 0 };
	char *text;
	size_t len, start, end;
	bool found;
	int r = h->read_file(h, GRUB_DEFAULT, &text, &len);

	if (r == -ENOENT && !value) {
		*ret_changed = false;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read %s", GRUB_DEFAULT);

	found = find_cmdline(text, &start, &end);
	if (found)
		r = value_words(text, start, end, false, &words);
	for (const char *p = value; r == 0 && p && *p; ) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);

		if (n) {
			if (words.len)
				buf_str(&words, " ");
			buf_str(&words, "crashkernel=");
			buf_add(&words, p, n);
		}
		p = sp ? sp + 1 : p + n;
	}
	if (found) {
		buf_add(&out, text, start);
		buf_str(&out, "\"");
		buf_str(&out, words.s ? words.s : "");
		buf_str(&out, "\"");
		buf_str(&out, text + end);
	} else if (value) {
		buf_str(&out, text);
		if (len && text[len - 1] != '\n')
			buf_str(&out, "\n");
		buf_str(&out, CMDLINE_VAR "=\"");
		buf_str(&out, words.s ? words.s : "");
		buf_str(&out, "\"\n");
	} else {
		buf_str(&out, text);
	}
	if (r == 0 && (out.oom || words.oom))
		r = -ENOMEM;
	if (r == 0) {
		*ret_changed = strcmp(out.s, text) != 0;
		if (*ret_changed && !dry)
			r = h->write_file(h, GRUB_DEFAULT, out.s, out.len, 0644);
		if (r < 0)
			r = h->error(h, r, "cannot write %s", GRUB_DEFAULT);
	}
	free(text);
	free(out.s);
	free(words.s);
	return r;
}

static int bootloader_set(const struct skd_host *h, const char *value,
                          bool *ret_changed)
{
	if (!value || !*value)
		return h->error(h, -SKD_E_INVALID, "empty crashkernel value");
	return bootloader_edit(h, value, false, ret_changed);
}

static int bootloader_remove(const struct skd_host *h, bool *ret_changed)
{
	return bootloader_edit(h, NULL, false, ret_changed);
}

/* ABI 1.4: what bootloader_set would still change, read only. This
 * example regenerates the menu only after an edit, so the file is all
 * there is to compare. */
static int bootloader_check(const struct skd_host *h, const char *value,
                            char **ret_drift)
{
	bool differs = false;
	int r;

	if (!value || !*value)
		return h->error(h, -SKD_E_INVALID, "empty crashkernel value");
	r = bootloader_edit(h, value, true, &differs);
	if (r < 0)
		return r;
	*ret_drift = NULL;
	if (differs) {
		struct buf d = { 0 };

		buf_str(&d, CMDLINE_VAR " in " GRUB_DEFAULT " does not carry crashkernel=");
		buf_str(&d, value);
		if (d.oom) {
			free(d.s);
			return -ENOMEM;
		}
		*ret_drift = d.s;
	}
	return 0;
}

static int bootloader_regenerate(const struct skd_host *h)
{
	const char *argv[] = { "grub2-mkconfig", "-o", GRUB_CFG, NULL };

	return run_checked(h, argv, SKD_RUN_CHANGES);
}

/* ---- service ------------------------------------------------------------ */

static int systemctl(const struct skd_host *h, const char *verb)
{
	const char *argv[] = { "systemctl", verb, SERVICE, NULL };

	return run_checked(h, argv, SKD_RUN_CHANGES);
}

/* start, stop, restart need a running systemd */
static int systemctl_runtime(const struct skd_host *h, const char *verb)
{
	if (h->flags & SKD_HOST_IMAGE) {
		h->log(h, SKD_LOG_INFO, "not running \"systemctl %s %s\" on an image",
		       verb, SERVICE);
		return 0;
	}
	return systemctl(h, verb);
}

static int systemctl_is(const struct skd_host *h, const char *verb, bool *ret)
{
	const char *argv[] = { "systemctl", verb, "--quiet", SERVICE, NULL };
	struct skd_run_result res = { 0 };
	int r = h->run(h, argv, NULL, SKD_RUN_QUIET, &res);

	if (r < 0)
		return h->error(h, r, "cannot run \"systemctl %s\"", verb);
	*ret = res.status == 0;
	h->run_result_free(h, &res);
	return 0;
}

static int service_enable(const struct skd_host *h)
{
	return systemctl(h, "enable");
}

static int service_disable(const struct skd_host *h)
{
	return systemctl(h, "disable");
}

static int service_start(const struct skd_host *h)
{
	return systemctl_runtime(h, "start");
}

static int service_stop(const struct skd_host *h)
{
	return systemctl_runtime(h, "stop");
}

static int service_restart(const struct skd_host *h)
{
	return systemctl_runtime(h, "restart");
}

static int service_is_enabled(const struct skd_host *h, bool *ret)
{
	return systemctl_is(h, "is-enabled", ret);
}

static int service_is_active(const struct skd_host *h, bool *ret)
{
	if (h->flags & SKD_HOST_IMAGE) {
		*ret = false;
		return 0;
	}
	return systemctl_is(h, "is-active", ret);
}

/* ---- what SUSE's kdump decides (ABI 1.3) --------------------------------- */

/* The value of the last NAME=value line of a shell variables file, quotes
 * removed (malloc'd), or NULL when never assigned. Enough for
 * /etc/sysconfig/kdump, whose values are plain quoted strings. */
static char *sysconfig_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *found = NULL;
	struct buf v = { 0 };

	for (const char *line = text; line && *line;) {
		const char *p = line + strspn(line, " \t");

		if (strncmp(p, name, n) == 0 && p[n] == '=')
			found = p + n + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!found)
		return NULL;
	buf_str(&v, "");
	while (*found && *found != '\n' && *found != ' ' && *found != '\t') {
		if (*found == '"' || *found == '\'') {
			const char q = *found++;

			while (*found && *found != q) {
				if (q == '"' && *found == '\\' && found[1])
					found++;
				buf_add(&v, found++, 1);
			}
			if (*found)
				found++;
		} else {
			buf_add(&v, found++, 1);
		}
	}
	if (v.oom) {
		free(v.s);
		return NULL;
	}
	return v.s;
}

/* A variable of /etc/sysconfig/kdump, NULL when unset or empty. */
static char *kdump_setting(const struct skd_host *h, const char *name)
{
	char *text, *v;
	size_t len;

	if (h->read_file(h, KDUMP_CONFIG, &text, &len) < 0)
		return NULL;
	v = sysconfig_value(text, name);
	free(text);
	if (v && !*v) {
		free(v);
		v = NULL;
	}
	return v;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* kdump's "auto" is "kdumptool calibrate"'s recommendation; this example
 * answers from its table (what calibrate typically recommends on x86_64)
 * and starts no process either way. */
static int auto_crashkernel(const struct skd_host *h, uint32_t flags,
                            char **ret_value, char **ret_basis)
{
	(void)h;
	(void)flags;
	*ret_value = strdup(DEFAULT_CRASHKERNEL);
	*ret_basis = strdup("the suse example backend's table: what \"kdumptool "
	                    "calibrate\" typically recommends on x86_64");
	if (!*ret_value || !*ret_basis) {
		free(*ret_value);
		free(*ret_basis);
		*ret_value = *ret_basis = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* kdump 2.x's load.sh (openSUSE/kdump init/load.sh) loads with
 * "kexec -p ... $KEXEC_OPTIONS -a": its own -a comes last and wins, so
 * kexec_file_load first. What older kdump (kdumptool load) does is not
 * known to this example. */
static int kexec_syscall(const struct skd_host *h, bool secure_boot,
                         const char **ret_syscall, char **ret_basis)
{
	char *script;
	size_t len;
	bool last_a = false;

	(void)secure_boot;
	if (h->read_file(h, "/usr/lib/kdump/load.sh", &script, &len) == 0) {
		last_a = strstr(script, "$KEXEC_OPTIONS -a") != NULL;
		free(script);
	}
	*ret_syscall = last_a ? "kexec_file_load" : NULL;
	*ret_basis = strdup(last_a
		? "kdump's load.sh adds -a after KEXEC_OPTIONS: kexec_file_load first, "
		  "kexec_load only where the kernel lacks it"
		: "unknown: the suse example backend does not know which kexec system "
		  "call this kdump loads with (KEXEC_OPTIONS of /etc/sysconfig/kdump and "
		  "kdump's load script decide)");
	return *ret_basis ? 0 : -ENOMEM;
}

/* KDUMP_COMMANDLINE, else /proc/cmdline with kdump's own additions
 * (nr_cpus=KDUMP_CPUS, 1 by default, among them), then
 * KDUMP_COMMANDLINE_APPEND. */
static int capture_cmdline(const struct skd_host *h, char **ret_base,
                           char **ret_base_from, char **ret_append,
                           char **ret_append_from)
{
	char *base = kdump_setting(h, "KDUMP_COMMANDLINE");
	char *append = kdump_setting(h, "KDUMP_COMMANDLINE_APPEND");
	char *cpus = kdump_setting(h, "KDUMP_CPUS");
	struct buf a = { 0 }, from = { 0 };

	buf_str(&a, "");
	if (!base) {
		/* load.sh's build_kdump_commandline, x86_64 */
		buf_str(&a, "sysrq=yes reset_devices acpi_no_memhotplug "
		        "cgroup_disable=memory nokaslr numa=off irqpoll");
		if (!cpus || strcmp(cpus, "0") != 0) {
			buf_str(&a, " nr_cpus=");
			buf_str(&a, cpus ? cpus : "1");
		}
		buf_str(&a, " root=kdump rootflags=bind rd.udev.children-max=8");
		buf_str(&from, "kdump's defaults (KDUMP_COMMANDLINE empty");
		buf_str(&from, cpus ? ", KDUMP_CPUS of " KDUMP_CONFIG ")" : ", KDUMP_CPUS=1)");
	}
	if (append) {
		buf_str(&a, a.len ? " " : "");
		buf_str(&a, append);
		buf_str(&from, from.len ? " and " : "");
		buf_str(&from, "KDUMP_COMMANDLINE_APPEND of " KDUMP_CONFIG);
	}
	if (!from.len)
		buf_str(&from, "KDUMP_COMMANDLINE_APPEND of " KDUMP_CONFIG " (empty)");
	*ret_base = base;
	*ret_base_from = dup_or_null(base ? "KDUMP_COMMANDLINE" : "/proc/cmdline");
	*ret_append = a.s;
	*ret_append_from = from.s;
	free(append);
	free(cpus);
	if (a.oom || from.oom || !*ret_base_from) {
		free(*ret_base);
		free(*ret_base_from);
		free(a.s);
		free(from.s);
		*ret_base = *ret_base_from = *ret_append = *ret_append_from = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* mkdumprd builds /boot/initrd-<release>-kdump; the system's initrd is the
 * nearest size until then. */
static int kdump_initrd(const struct skd_host *h, const char *kernel_release,
                        char **ret_path, char **ret_stand_in)
{
	struct buf p = { 0 }, s = { 0 };

	(void)h;
	buf_str(&p, "/boot/initrd-");
	buf_str(&p, kernel_release);
	buf_str(&p, "-kdump");
	buf_str(&s, "/boot/initrd-");
	buf_str(&s, kernel_release);
	if (p.oom || s.oom) {
		free(p.s);
		free(s.s);
		return -ENOMEM;
	}
	*ret_path = p.s;
	*ret_stand_in = s.s;
	return 0;
}

/* ABI 1.4: SUSE's kdump has no on/off setting of its own (enabling the
 * service is it), and this example has no kdump_config_ensure_enabled:
 * there is nothing that config would change. */
static int kdump_config_is_enabled(const struct skd_host *h, bool *ret_enabled,
                                   char **ret_basis)
{
	(void)h;
	*ret_enabled = true;
	*ret_basis = strdup(KDUMP_CONFIG " has no on/off setting: the service is");
	return *ret_basis ? 0 : -ENOMEM;
}

/* ---- facts -------------------------------------------------------------- */

static int init(const struct skd_host *h)
{
	struct skd_stat st;
	int r;

	/* GRUB 2 with /etc/default/grub is all this backend edits */
	r = h->stat(h, GRUB_DEFAULT, 0, &st);
	if (r < 0)
		return h->error(h, r, "cannot stat %s", GRUB_DEFAULT);
	if (st.type != SKD_FILE_REGULAR)
		return h->error(h, -SKD_E_UNSUPPORTED, "%s is missing: only GRUB 2 "
		                "is supported (not systemd-boot or s390 zipl)", GRUB_DEFAULT);
	return 0;
}

static int get_facts(const struct skd_host *h, struct skd_facts *ret)
{
	(void)h;
	memset(ret, 0, sizeof(*ret));
	ret->service = "kdump";
	ret->kdump_config_path = KDUMP_CONFIG;
	ret->kdump_config_format = SKD_CONFIG_SHELL_VARS;
	ret->packages = packages;
	ret->default_crashkernel = DEFAULT_CRASHKERNEL;
	ret->default_dump_dir = "/var/crash";
	ret->package_manager = "zypper";
	ret->bootloader_method = "/etc/default/grub (GRUB_CMDLINE_LINUX_DEFAULT) + grub2-mkconfig";
	return 0;
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("suse"),
	.init = init,
	.get_facts = get_facts,
	.packages_query = packages_query,
	.packages_install = packages_install,
	.packages_remove = packages_remove,
	.bootloader_get_crashkernel = bootloader_get,
	.bootloader_set_crashkernel = bootloader_set,
	.bootloader_remove_crashkernel = bootloader_remove,
	.bootloader_regenerate = bootloader_regenerate,
	.service_enable = service_enable,
	.service_disable = service_disable,
	.service_start = service_start,
	.service_stop = service_stop,
	.service_restart = service_restart,
	.service_is_enabled = service_is_enabled,
	.service_is_active = service_is_active,
	.auto_crashkernel = auto_crashkernel,
	.kexec_syscall = kexec_syscall,
	.capture_cmdline = capture_cmdline,
	.kdump_initrd = kdump_initrd,
	.kdump_config_is_enabled = kdump_config_is_enabled,
	.bootloader_check_crashkernel = bootloader_check,
};
