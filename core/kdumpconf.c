/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "kdumpconf.h"

#define SHELL_FILE "/etc/default/kdump-tools"
#define DIRECTIVE_FILE "/etc/kdump.conf"

/* kdump-config's own defaults: symlinks it keeps pointing at the running
 * kernel and the small initrd it builds for it, which is what kdumpctl
 * does on the other side without being told. */
#define DEB_KERNEL "/var/lib/kdump/vmlinuz"
#define DEB_INITRD "/var/lib/kdump/initrd.img"

/* ---- kdump-tools variables ---------------------------------------------
 * Every variable kdump-config, the init script and the dump service read
 * from /etc/default/kdump-tools in Debian 9-13 and Ubuntu 18.04-24.04. */

enum {
	K_SECRET = 1u << 0,
	K_ABSPATH = 1u << 1,    /* empty or an absolute path */
	K_NUMBER = 1u << 2,     /* empty or digits */
	K_BOOL = 1u << 3,       /* empty, 0 or 1 */
	/* kdump-config builds the kexec command line from these and runs it
	 * through `eval`: a second round of shell parsing */
	K_EVAL_BARE = 1u << 4,  /* unquoted inside the eval */
	K_EVAL_QUOTED = 1u << 5,/* inside "..." inside the eval */
};

struct key_info {
	const char *name;
	unsigned flags;
};

static const struct key_info shell_keys[] = {
	{ "USE_KDUMP", 0 },
	{ "KDUMP_KERNEL", K_ABSPATH | K_EVAL_BARE },
	{ "KDUMP_INITRD", K_ABSPATH | K_EVAL_BARE },
	/* undocumented: the .config of a kernel that is not relocatable */
	{ "KDUMP_CONFIG", K_ABSPATH },
	{ "KDUMP_COREDIR", K_ABSPATH },
	{ "KDUMP_FAIL_CMD", 0 },
	{ "KDUMP_DUMP_DMESG", K_BOOL },
	{ "KDUMP_NUM_DUMPS", K_NUMBER },
	{ "KDUMP_COMPRESSION", 0 },
	{ "MAKEDUMP_ARGS", 0 },
	{ "KDUMP_KEXEC_ARGS", K_EVAL_BARE },
	{ "KDUMP_CMDLINE", K_EVAL_QUOTED },
	{ "KDUMP_CMDLINE_APPEND", K_EVAL_QUOTED },
	{ "KDUMP_SYSCTL", 0 },
	{ "HOSTTAG", 0 },
	{ "NFS", 0 },
	{ "NFS_TIMEO", K_NUMBER },
	{ "NFS_RETRANS", K_NUMBER },
	{ "NFS_MOUNT_RETRY", K_NUMBER },
	{ "FTP", 0 },
	{ "FTP_USER", 0 },
	{ "FTP_PASSWORD", K_SECRET },
	{ "FTP_PORT", K_NUMBER },
	{ "SSH", 0 },
	{ "SSH_KEY", K_SECRET | K_ABSPATH },
	{ "SSH_KDUMP_RETRY", K_NUMBER },
};

/* ---- kdump.conf directives ----------------------------------------------
 * The union of what kdumpctl's config check accepts from EL7's kexec-tools
 * to EL10's kdump-utils. */

enum {
	D_TARGET = 1u << 0,     /* a dump target: at most one */
	D_REMOTE = 1u << 1,
	D_PATH = 1u << 2,       /* one absolute path */
	D_PATHS = 1u << 3,      /* absolute paths separated by blanks */
	D_FAILURE = 1u << 4,    /* reboot|halt|poweroff|shell|dump_to_rootfs */
	D_FINAL = 1u << 5,      /* reboot|halt|poweroff */
	D_01 = 1u << 6,
	D_YESNO = 1u << 7,
	D_SECRET = 1u << 8,
};

struct directive_info {
	const char *name;
	unsigned flags;
};

static const struct directive_info directives[] = {
	{ "raw", D_TARGET },
	{ "ext2", D_TARGET }, { "ext3", D_TARGET }, { "ext4", D_TARGET },
	{ "xfs", D_TARGET }, { "btrfs", D_TARGET }, { "minix", D_TARGET },
	{ "virtiofs", D_TARGET },
	{ "nfs", D_TARGET | D_REMOTE },
	{ "ssh", D_TARGET | D_REMOTE },
	{ "sshkey", D_PATH | D_SECRET },
	{ "path", D_PATH },
	{ "core_collector", 0 },
	{ "kdump_post", D_PATH },
	{ "kdump_pre", D_PATH },
	{ "kdump_emergency", D_PATH },
	{ "extra_bins", D_PATHS },
	{ "extra_modules", 0 },
	{ "failure_action", D_FAILURE },
	{ "default", D_FAILURE },       /* the old name of failure_action */
	{ "final_action", D_FINAL },
	{ "force_rebuild", D_01 },
	{ "force_no_rebuild", D_01 },
	{ "dracut_args", 0 },
	{ "fence_kdump_args", 0 },
	{ "fence_kdump_nodes", 0 },
	{ "auto_reset_crashkernel", D_YESNO },
};

/* kdumpctl stops with "Deprecated kdump config option" on these */
static const char *const deprecated_directives[] = {
	"net", "options", "link_delay", "disk_timeout", "debug_mem_level",
	"blacklist",
};

static const struct key_info *shell_key(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(shell_keys) / sizeof(shell_keys[0]); i++)
		if (strlen(shell_keys[i].name) == len &&
		    memcmp(shell_keys[i].name, name, len) == 0)
			return &shell_keys[i];
	return NULL;
}

static const struct directive_info *directive(const char *name)
{
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(directives[i].name, name) == 0)
			return &directives[i];
	return NULL;
}

const char *kdumpconf_file(int format)
{
	return format == SKD_CONFIG_SHELL_VARS ? SHELL_FILE : DIRECTIVE_FILE;
}

bool kdumpconf_is_secret_key(const char *key)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN" };

	if (strcmp(key, "SSH_KEY") == 0 || strcmp(key, "sshkey") == 0)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(key, words[i]))
			return true;
	return false;
}

/* ---- growing strings ----------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
	free(big);
}

/* Hand the string over (an empty one when nothing was added). */
static int buf_steal(struct buf *b, char **ret)
{
	if (!b->oom && !b->p)
		buf_add(b, "", 0);
	if (b->oom) {
		free(b->p);
		b->p = NULL;
		return -ENOMEM;
	}
	*ret = b->p;
	b->p = NULL;
	return 0;
}

/* ---- normalisation: bytes to lines of text --------------------------------- */

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *ret_cp)
{
	size_t len;
	uint32_t cp, min;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if (s[0] < 0xf0) {
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	} else {
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

/* CRLF to LF, no byte order mark; refuse NUL and other control bytes, invalid UTF-8, long
 * lines. */
static int normalise(const char *data, size_t len, const char *what,
                     char **ret)
{
	const unsigned char *s = (const unsigned char *)data;
	char *out;
	size_t o = 0, col = 0;
	unsigned line = 1;
	int r;

	out = malloc(len + 1);
	if (!out)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	/* a byte order mark some editors add: neither kdumpctl nor the shell
	 * would skip it */
	size_t start = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (size_t i = start; i < len; i++) {
		uint32_t cp = s[i];
		size_t n = 1;

		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (s[i] == '\n') {
			out[o++] = '\n';
			line++;
			col = 0;
			continue;
		}
		if (s[i] == '\0') {
			r = diag_set(-EINVAL, "%s: line %u: NUL byte: binary data is not a kdump configuration",
			             what, line);
			goto fail;
		}
		if (s[i] >= 0x80) {
			n = utf8_len(s + i, len - i, &cp);
			if (n == 0) {
				r = diag_set(-EINVAL, "%s: line %u: invalid UTF-8 (byte 0x%02x)",
				             what, line, s[i]);
				goto fail;
			}
		}
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f)) {
			r = diag_set(-EINVAL, "%s: line %u: control character U+%04X: binary data is not a kdump configuration",
			             what, line, (unsigned)cp);
			goto fail;
		}
		col += n;
		if (col > KDUMPCONF_MAX_LINE) {
			r = diag_set(-EINVAL, "%s: line %u: longer than %u bytes",
			             what, line, KDUMPCONF_MAX_LINE);
			goto fail;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n - 1;
	}
	out[o] = '\0';
	*ret = out;
	return 0;
fail:
	free(out);
	return r;
}

/* ---- lines ------------------------------------------------------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* Comment or blank line: nothing for either format. */
static bool line_is_empty(const char *l)
{
	l = skip_blanks(l);
	return *l == '\0' || *l == '#';
}

/* NAME= at the start (after blanks); *ret_len is the name's length. */
static bool line_is_assignment(const char *l, size_t *ret_len)
{
	const char *p = skip_blanks(l), *n = p;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (*p != '=')
		return false;
	if (ret_len)
		*ret_len = (size_t)(p - n);
	return true;
}

/* Split a copy of the text into NUL-terminated lines. */
static char **split_lines(char *text, size_t *ret_n)
{
	size_t n = 1, i = 0;
	char **v;

	for (char *p = text; *p; p++)
		n += *p == '\n';
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	for (char *p = text; ; ) {
		char *nl = strchr(p, '\n');
		v[i++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*ret_n = i;
	return v;
}

static int add_setting(struct kdump_config *c, const char *key, size_t key_len,
                       const char *value, unsigned line)
{
	struct kdump_setting *s;

	s = realloc(c->settings, (c->n_settings + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	c->settings = s;
	s = &c->settings[c->n_settings];
	s->key = strndup(key, key_len);
	s->value = strdup(value);
	s->line = line;
	if (!s->key || !s->value) {
		free(s->key);
		free(s->value);
		return -ENOMEM;
	}
	c->n_settings++;
	return 0;
}

/* ---- KEY=value ------------------------------------------------------------ */

static bool all_digits(const char *v)
{
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

/* What is wrong with `v` (unquoted) as the value of `k`, or NULL. Used for
 * the input and for every value rendered into a shell file. */
static const char *shell_value_problem(const struct key_info *k, const char *v)
{
	/* refused even inside single quotes: kdump-config evaluates some
	 * values a second time */
	if (strpbrk(v, "$`\\"))
		return "contains '$', '`' or '\\', which the shell would expand";
	if ((k->flags & K_EVAL_BARE) && strpbrk(v, ";&|<>()\"'*?[~#"))
		return "contains a character that kdump-config's eval of the kexec command would interpret";
	if ((k->flags & K_EVAL_QUOTED) && strchr(v, '"'))
		return "contains '\"', which would end the quoted kernel command line in kdump-config's eval";
	if ((k->flags & K_ABSPATH) && *v && *v != '/')
		return "is not an absolute path";
	/* kdump-config uses these unquoted in places */
	if ((k->flags & K_ABSPATH) && strpbrk(v, " \t"))
		return "contains a blank, which kdump-config would split the path at";
	if ((k->flags & K_NUMBER) && !all_digits(v))
		return "is not a number";
	if ((k->flags & K_BOOL) && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return "is not 0 or 1";
	/* the init script tests [ "$USE_KDUMP" -ne 0 ]: anything else than
	 * a number quietly leaves kdump off */
	if (strcmp(k->name, "USE_KDUMP") == 0 && strcmp(v, "0") != 0 &&
	    strcmp(v, "1") != 0)
		return "is not 0 or 1";
	if (strcmp(k->name, "KDUMP_COMPRESSION") == 0 && *v &&
	    strcmp(v, "bzip2") && strcmp(v, "gzip") && strcmp(v, "lz4") &&
	    strcmp(v, "xz"))
		return "is not one of bzip2, gzip, lz4, xz";
	if (strcmp(k->name, "HOSTTAG") == 0 && *v && strcmp(v, "hostname") &&
	    strcmp(v, "ip"))
		return "is not hostname or ip";
	return NULL;
}

/* Read the single shell word after '=' into out (unquoted). Returns NULL,
 * or what is wrong. */
static const char *shell_word(const char *p, struct buf *out, const char **ret_end)
{
	for (;;) {
		char c = *p;

		if (c == '\0' || is_blank(c))
			break;
		if (c == '\'' || c == '"') {
			const char *close = strchr(p + 1, c);
			if (!close)
				return c == '\'' ? "unbalanced single quote"
				                 : "unbalanced double quote";
			buf_add(out, p + 1, (size_t)(close - p - 1));
			p = close + 1;
			continue;
		}
		switch (c) {
		case '$':
			return "'$' would be expanded by the shell";
		case '`':
			return "'`' is command substitution";
		case '\\':
			return "'\\' is not allowed";
		case ';':
			return "unquoted ';' would end the assignment and run a command";
		case '&': case '|':
			return "unquoted '&' or '|' would run a command";
		case '<': case '>':
			return "unquoted '<' or '>' is a redirection";
		case '(': case ')':
			return "unquoted '(' or ')' is shell syntax";
		case '~':
			return "unquoted '~' would be expanded by the shell";
		default:
			buf_add(out, p, 1);
			p++;
		}
	}
	*ret_end = p;
	return NULL;
}

static int parse_shell_line(struct kdump_config *c, const char *l,
                            unsigned line, const char *what)
{
	const char *p = skip_blanks(l), *end = NULL, *problem;
	const struct key_info *k;
	struct buf v = { 0 };
	size_t klen = 0;
	int r;

	line_is_assignment(l, &klen);
	k = shell_key(p, klen);
	if (!k)
		return diag_set(-EINVAL, "%s: line %u: unknown kdump-tools variable \"%.*s\"",
		                what, line, (int)klen, p);
	problem = shell_word(p + klen + 1, &v, &end);
	if (!problem) {
		end = skip_blanks(end);
		if (*end && *end != '#')
			problem = "more than one word: a second assignment or a command follows the value";
	}
	if (!problem)
		problem = shell_value_problem(k, v.p ? v.p : "");
	if (problem) {
		r = diag_set(-EINVAL, "%s: line %u: %s: %s", what, line, k->name, problem);
		goto out;
	}
	r = v.oom ? -ENOMEM : add_setting(c, p, klen, v.p ? v.p : "", line);
	if (r < 0)
		diag_set(r, "%s: out of memory", what);
out:
	free(v.p);
	return r;
}

/* ---- directives ---------------------------------------------------------- */

static bool same_option(const char *a, const char *b)
{
	/* "default" is the old name of failure_action */
	if (strcmp(a, "default") == 0)
		a = "failure_action";
	if (strcmp(b, "default") == 0)
		b = "failure_action";
	return strcmp(a, b) == 0;
}

/* kdumpctl counts a dracut_args with --mount as a dump target too */
static bool is_target(const char *key, const char *value)
{
	const struct directive_info *d = directive(key);

	if (d && (d->flags & D_TARGET))
		return true;
	return strcmp(key, "dracut_args") == 0 && strstr(value, "--mount");
}

static const char *directive_value_problem(const struct directive_info *d,
                                           const char *v)
{
	if (!*v)
		return "needs a value";
	if ((d->flags & D_PATH) && (*v != '/' || strpbrk(v, " \t")))
		return "is not one absolute path";
	if (d->flags & D_PATHS) {
		for (const char *p = skip_blanks(v); *p; p = skip_blanks(p)) {
			if (*p != '/')
				return "is not a list of absolute paths";
			p += strcspn(p, " \t");
		}
	}
	if ((d->flags & D_FAILURE) && strcmp(v, "reboot") && strcmp(v, "halt") &&
	    strcmp(v, "poweroff") && strcmp(v, "shell") && strcmp(v, "dump_to_rootfs"))
		return "is not one of reboot, halt, poweroff, shell, dump_to_rootfs";
	if ((d->flags & D_FINAL) && strcmp(v, "reboot") && strcmp(v, "halt") &&
	    strcmp(v, "poweroff"))
		return "is not one of reboot, halt, poweroff";
	if ((d->flags & D_01) && strcmp(v, "0") && strcmp(v, "1"))
		return "is not 0 or 1";
	if ((d->flags & D_YESNO) && strcmp(v, "yes") && strcmp(v, "no"))
		return "is not yes or no";
	return NULL;
}

static int parse_directive_line(struct kdump_config *c, const char *l,
                                unsigned line, const char *what)
{
	const char *p = skip_blanks(l), *problem;
	const struct directive_info *d;
	size_t nlen = strcspn(p, " \t");
	char *name, *value = NULL;
	size_t vlen;
	int r;

	name = strndup(p, nlen);
	if (!name)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	/* the value as kdumpctl reads it: a trailing comment and the blanks
	 * before it dropped, then one pair of enclosing double quotes */
	p = skip_blanks(p + nlen);
	vlen = strcspn(p, "#");
	while (vlen > 0 && is_blank(p[vlen - 1]))
		vlen--;
	if (vlen >= 2 && p[0] == '"' && p[vlen - 1] == '"') {
		p++;
		vlen -= 2;
	}
	value = strndup(p, vlen);
	if (!value) {
		r = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}

	d = directive(name);
	if (!d) {
		for (size_t i = 0; i < sizeof(deprecated_directives) / sizeof(deprecated_directives[0]); i++)
			if (strcmp(name, deprecated_directives[i]) == 0) {
				r = diag_set(-EINVAL, "%s: line %u: \"%s\" is deprecated: kdumpctl refuses it (see kdump.conf(5))",
				             what, line, name);
				goto out;
			}
		if (strcmp(name, "override_resettable") == 0)
			r = diag_set(-EINVAL, "%s: line %u: \"override_resettable\" was documented until 2023 but kdumpctl never accepted it",
			             what, line);
		else
			r = diag_set(-EINVAL, "%s: line %u: unknown kdump.conf directive \"%s\"",
			             what, line, name);
		goto out;
	}
	problem = directive_value_problem(d, value);
	if (problem) {
		r = diag_set(-EINVAL, "%s: line %u: %s: %s", what, line, name, problem);
		goto out;
	}
	for (size_t i = 0; i < c->n_settings; i++) {
		const struct kdump_setting *s = &c->settings[i];

		if (same_option(s->key, name)) {
			r = diag_set(-EINVAL, "%s: line %u: \"%s\" repeats line %u: kdumpctl refuses duplicates",
			             what, line, name, s->line);
			goto out;
		}
		if (is_target(s->key, s->value) && is_target(name, value)) {
			r = diag_set(-EINVAL, "%s: line %u: a second dump target (\"%s\", the first is on line %u): kdumpctl allows one",
			             what, line, name, s->line);
			goto out;
		}
	}
	r = add_setting(c, name, nlen, value, line);
	if (r < 0)
		diag_set(r, "%s: out of memory", what);
out:
	free(name);
	free(value);
	return r;
}

/* ---- parse --------------------------------------------------------------- */

int kdumpconf_parse(const char *data, size_t len, const char *what,
                    struct kdump_config **ret)
{
	struct kdump_config *c = NULL;
	char *copy = NULL, **lines = NULL;
	unsigned n_vars = 0, n_dirs = 0, first_var = 0, first_dir = 0;
	int first_kind = 0;
	size_t n = 0;
	int r;

	if (len > KDUMPCONF_MAX_SIZE)
		return diag_set(-EINVAL, "%s: %zu bytes, more than the limit of 1 MiB",
		                what, len);
	c = calloc(1, sizeof(*c));
	if (!c)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	r = normalise(data, len, what, &c->text);
	if (r < 0)
		goto out;
	copy = strdup(c->text);
	lines = copy ? split_lines(copy, &n) : NULL;
	if (!lines) {
		r = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		if (line_is_empty(lines[i]))
			continue;
		if (line_is_assignment(lines[i], NULL)) {
			if (!n_vars++)
				first_var = (unsigned)i + 1;
			if (!first_kind)
				first_kind = SKD_CONFIG_SHELL_VARS;
		} else {
			if (!n_dirs++)
				first_dir = (unsigned)i + 1;
			if (!first_kind)
				first_kind = SKD_CONFIG_DIRECTIVES;
		}
	}
	if (!first_kind) {
		r = diag_set(-EINVAL, "%s: no setting, only comments or blank lines (leave the key out to keep the distribution's defaults)",
		             what);
		goto out;
	}
	/* the majority decides; a tie goes to the first setting's format */
	c->format = n_vars > n_dirs ? SKD_CONFIG_SHELL_VARS :
	            n_dirs > n_vars ? SKD_CONFIG_DIRECTIVES : first_kind;
	if (n_vars && n_dirs) {
		if (c->format == SKD_CONFIG_SHELL_VARS)
			r = diag_set(-EINVAL, "%s: line %u: not a KEY=value assignment, but the file is in the KEY=value format of %s (the formats cannot be mixed)",
			             what, first_dir, SHELL_FILE);
		else
			r = diag_set(-EINVAL, "%s: line %u: a KEY=value assignment, but the file is in the directive format of %s (the formats cannot be mixed)",
			             what, first_var, DIRECTIVE_FILE);
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		if (line_is_empty(lines[i]))
			continue;
		r = c->format == SKD_CONFIG_SHELL_VARS
		        ? parse_shell_line(c, lines[i], (unsigned)i + 1, what)
		        : parse_directive_line(c, lines[i], (unsigned)i + 1, what);
		if (r < 0)
			goto out;
	}
	*ret = c;
	c = NULL;
	r = 0;
out:
	free(lines);
	free(copy);
	kdumpconf_free(c);
	return r;
}

void kdumpconf_free(struct kdump_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_settings; i++) {
		free(c->settings[i].key);
		free(c->settings[i].value);
	}
	free(c->settings);
	free(c->text);
	free(c);
}

/* ---- render ---------------------------------------------------------------- */

struct render {
	const struct kdump_config *c;
	const char *what;
	const char *target;     /* file name, for messages */
	struct buf out, notes;
};

static const char *shown(const char *key, const char *value)
{
	return kdumpconf_is_secret_key(key) ? "****" : value;
}

static int no_equivalent(struct render *r, const struct kdump_setting *s)
{
	const char *sep = r->c->format == SKD_CONFIG_SHELL_VARS ? "=" : " ";

	return diag_set(-EINVAL, "%s: line %u: %s%s%s has no equivalent in %s",
	                r->what, s->line, s->key, sep, shown(s->key, s->value),
	                r->target);
}

static void note_dropped(struct render *r, const struct kdump_setting *s,
                         const char *why)
{
	const char *sep = r->c->format == SKD_CONFIG_SHELL_VARS ? "=" : " ";

	buf_printf(&r->notes, "line %u: %s%s%s dropped: %s\n", s->line, s->key,
	           sep, shown(s->key, s->value), why);
}

/* Index of a later setting of the same key (the shell keeps the last). */
static size_t overridden_by(const struct kdump_config *c, size_t i)
{
	for (size_t j = c->n_settings; j-- > i + 1; )
		if (strcmp(c->settings[j].key, c->settings[i].key) == 0)
			return j;
	return 0;
}

/* The value the file ends up with for `key`, or NULL when unset or empty. */
static const char *effective(const struct kdump_config *c, const char *key)
{
	for (size_t j = c->n_settings; j-- > 0; )
		if (strcmp(c->settings[j].key, key) == 0)
			return *c->settings[j].value ? c->settings[j].value : NULL;
	return NULL;
}

/* makedumpfile options without -F: kdump-tools adds -F itself where it
 * pipes the dump, kdumpctl wants it exactly for ssh and raw targets. */
static char *args_without_flatten(const char *args, bool add_flatten)
{
	struct buf b = { 0 };
	char *ret = NULL;

	if (add_flatten)
		buf_add(&b, "-F", 2);
	for (const char *p = skip_blanks(args); *p; p = skip_blanks(p)) {
		size_t n = strcspn(p, " \t");
		if (!(n == 2 && memcmp(p, "-F", 2) == 0)) {
			if (b.len)
				buf_add(&b, " ", 1);
			buf_add(&b, p, n);
		}
		p += n;
	}
	if (buf_steal(&b, &ret) < 0)
		return NULL;
	return ret;
}

static int emit_directive(struct render *r, const struct kdump_setting *s,
                          const char *name, const char *value)
{
	/* kdumpctl cuts a value at '#' */
	if (strchr(value, '#'))
		return diag_set(-EINVAL, "%s: line %u: %s cannot be written to %s: '#' would start a comment there",
		                r->what, s->line, s->key, r->target);
	buf_printf(&r->out, "%s %s\n", name, value);
	buf_printf(&r->notes, "line %u: %s=%s -> %s %s\n", s->line, s->key,
	           shown(s->key, s->value), name, shown(name, value));
	return 0;
}

static const char *fail_cmd_action(const char *v)
{
	if (strcmp(v, "reboot -f") == 0)
		return "reboot";
	if (strcmp(v, "halt") == 0 || strcmp(v, "poweroff") == 0)
		return v;
	if (strcmp(v, "/bin/bash") == 0 || strcmp(v, "/bin/sh") == 0)
		return "shell";
	return NULL;
}

static int render_directives(struct render *r)
{
	const struct kdump_config *c = r->c;
	const char *nfs = effective(c, "NFS");
	bool ssh = effective(c, "SSH") != NULL;
	int ret = 0;

	buf_printf(&r->out, "# %s: translated by skyhook-kdump from the KEY=value format of %s (%s)\n",
	           DIRECTIVE_FILE, SHELL_FILE, r->what);
	for (size_t i = 0; i < c->n_settings && ret == 0; i++) {
		const struct kdump_setting *s = &c->settings[i];
		const char *k = s->key, *v = s->value, *action;
		size_t later = overridden_by(c, i);

		if (later) {
			buf_printf(&r->notes, "line %u: %s set again on line %u, ignored\n",
			           s->line, k, c->settings[later].line);
		} else if (!*v) {
			note_dropped(r, s, "empty, the default applies");
		} else if (strcmp(k, "USE_KDUMP") == 0) {
			if (strcmp(v, "1") != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdump is on whenever the kdump service is enabled");
		} else if (strcmp(k, "KDUMP_KERNEL") == 0) {
			if (strcmp(v, DEB_KERNEL) != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdumpctl uses the running kernel");
		} else if (strcmp(k, "KDUMP_INITRD") == 0) {
			if (strcmp(v, DEB_INITRD) != 0)
				ret = no_equivalent(r, s);
			else
				note_dropped(r, s, "kdumpctl builds its own initramfs");
		} else if (strcmp(k, "KDUMP_COREDIR") == 0) {
			if (nfs)
				note_dropped(r, s, "with NFS it is only the local mount point");
			else
				ret = emit_directive(r, s, "path", v);
		} else if (strcmp(k, "NFS") == 0) {
			/* kdump-tools writes to the top of the export, kdumpctl
			 * below "path" on it */
			ret = emit_directive(r, s, "nfs", v);
			if (ret == 0)
				ret = emit_directive(r, s, "path", "/");
		} else if (strcmp(k, "SSH") == 0) {
			ret = emit_directive(r, s, "ssh", v);
		} else if (strcmp(k, "SSH_KEY") == 0) {
			ret = emit_directive(r, s, "sshkey", v);
		} else if (strcmp(k, "MAKEDUMP_ARGS") == 0) {
			char *args = args_without_flatten(v, ssh);
			char *cc = NULL;
			if (!args || asprintf(&cc, "makedumpfile%s%s", *args ? " " : "", args) < 0) {
				cc = NULL;
				ret = diag_set(-ENOMEM, "%s: out of memory", r->what);
			} else {
				ret = emit_directive(r, s, "core_collector", cc);
			}
			free(args);
			free(cc);
		} else if (strcmp(k, "KDUMP_FAIL_CMD") == 0) {
			action = fail_cmd_action(v);
			ret = action ? emit_directive(r, s, "failure_action", action)
			             : no_equivalent(r, s);
		} else if (strcmp(k, "KDUMP_NUM_DUMPS") == 0 && all_digits(v) &&
		           strtoul(v, NULL, 10) == 0) {
			note_dropped(r, s, "0 keeps every dump, as kdumpctl does");
		} else if (strcmp(k, "KDUMP_DUMP_DMESG") == 0 && strcmp(v, "1") == 0) {
			note_dropped(r, s, "kdump always saves vmcore-dmesg.txt");
		} else {
			ret = no_equivalent(r, s);
		}
	}
	return ret;
}

static int emit_shell(struct render *r, const struct kdump_setting *s,
                      const char *key, const char *value)
{
	const struct key_info *k = shell_key(key, strlen(key));
	const char *problem = shell_value_problem(k, value);
	char q = strchr(value, '"') ? '\'' : '"';

	if (!problem && q == '\'' && strchr(value, '\''))
		problem = "holds both kinds of quotes";
	if (problem)
		return diag_set(-EINVAL, "%s: line %u: %s %s cannot be written as %s: the value %s",
		                r->what, s->line, s->key, shown(s->key, s->value),
		                key, problem);
	/* double quotes without $, ` or \ inside expand nothing */
	buf_printf(&r->out, "%s=%c%s%c\n", key, q, value, q);
	buf_printf(&r->notes, "line %u: %s %s -> %s=%s\n", s->line, s->key,
	           shown(s->key, s->value), key, shown(key, value));
	return 0;
}

/* The export kdumpctl would write to: <export>/<path>. */
static char *nfs_join(const char *export, const char *path)
{
	size_t el = strlen(export);
	char *ret;

	while (el > 0 && export[el - 1] == '/')
		el--;
	while (*path == '/')
		path++;
	if (!*path)
		return strdup(export);
	if (asprintf(&ret, "%.*s/%s", (int)el, export, path) < 0)
		return NULL;
	return ret;
}

static int render_shell(struct render *r)
{
	const struct kdump_config *c = r->c;
	const char *path = NULL, *nfs = NULL;
	int ret = 0;

	for (size_t i = 0; i < c->n_settings; i++) {
		if (strcmp(c->settings[i].key, "path") == 0)
			path = c->settings[i].value;
		if (strcmp(c->settings[i].key, "nfs") == 0)
			nfs = c->settings[i].value;
	}
	buf_printf(&r->out, "# %s: translated by skyhook-kdump from the directive format of %s (%s)\n",
	           SHELL_FILE, DIRECTIVE_FILE, r->what);
	/* kdump-tools' own defaults: without USE_KDUMP=1 the service does
	 * nothing; the others make kdump-config build a small initrd, as
	 * kdumpctl does */
	buf_printf(&r->out, "USE_KDUMP=1\nKDUMP_KERNEL=%s\nKDUMP_INITRD=%s\n",
	           DEB_KERNEL, DEB_INITRD);
	buf_printf(&r->notes, "added: USE_KDUMP=1 KDUMP_KERNEL=%s KDUMP_INITRD=%s (the kdump-tools defaults, which kdump.conf implies)\n",
	           DEB_KERNEL, DEB_INITRD);

	for (size_t i = 0; i < c->n_settings && ret == 0; i++) {
		const struct kdump_setting *s = &c->settings[i];
		const char *k = s->key, *v = s->value;

		if (strcmp(k, "path") == 0) {
			if (nfs)
				buf_printf(&r->notes, "line %u: path %s -> part of NFS (kdump-tools writes to the top of the export)\n",
				           s->line, v);
			else
				ret = emit_shell(r, s, "KDUMP_COREDIR", v);
		} else if (strcmp(k, "nfs") == 0) {
			/* kdumpctl's default path applies below the export */
			char *joined = nfs_join(v, path ? path : "/var/crash");
			ret = joined ? emit_shell(r, s, "NFS", joined)
			             : diag_set(-ENOMEM, "%s: out of memory", r->what);
			free(joined);
		} else if (strcmp(k, "ssh") == 0) {
			ret = emit_shell(r, s, "SSH", v);
		} else if (strcmp(k, "sshkey") == 0) {
			ret = emit_shell(r, s, "SSH_KEY", v);
		} else if (strcmp(k, "core_collector") == 0) {
			size_t n = strcspn(v, " \t");
			char *args;
			if (n != strlen("makedumpfile") || memcmp(v, "makedumpfile", n) != 0 ||
			    !*skip_blanks(v + n))
				ret = no_equivalent(r, s);
			else if (!(args = args_without_flatten(v + n, false)))
				ret = diag_set(-ENOMEM, "%s: out of memory", r->what);
			else {
				ret = emit_shell(r, s, "MAKEDUMP_ARGS", args);
				free(args);
			}
		} else if (strcmp(k, "failure_action") == 0 || strcmp(k, "default") == 0) {
			if (strcmp(v, "reboot") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", "reboot -f");
			else if (strcmp(v, "halt") == 0 || strcmp(v, "poweroff") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", v);
			else if (strcmp(v, "shell") == 0)
				ret = emit_shell(r, s, "KDUMP_FAIL_CMD", "/bin/bash");
			else
				ret = no_equivalent(r, s);
		} else if (strcmp(k, "final_action") == 0 && strcmp(v, "reboot") == 0) {
			note_dropped(r, s, "kdump-tools reboots after saving the dump");
		} else if (strcmp(k, "auto_reset_crashkernel") == 0 && strcmp(v, "no") == 0) {
			note_dropped(r, s, "kdump-tools never resets crashkernel");
		} else {
			ret = no_equivalent(r, s);
		}
	}
	return ret;
}

int kdumpconf_render(const struct kdump_config *c, int target_format,
                     const char *what, char **ret_text, char **ret_notes)
{
	struct render r = { .c = c, .what = what,
	                    .target = kdumpconf_file(target_format) };
	char *text = NULL, *notes = NULL;
	int ret;

	if (target_format == c->format) {
		buf_add(&r.out, c->text, strlen(c->text));
	} else if (target_format == SKD_CONFIG_DIRECTIVES) {
		ret = render_directives(&r);
		if (ret < 0)
			goto out;
	} else if (target_format == SKD_CONFIG_SHELL_VARS) {
		ret = render_shell(&r);
		if (ret < 0)
			goto out;
	} else {
		ret = diag_set(-EINVAL, "%s: unknown target format %d", what, target_format);
		goto out;
	}
	if (buf_steal(&r.out, &text) < 0 || buf_steal(&r.notes, &notes) < 0) {
		ret = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}
	*ret_text = text;
	text = NULL;
	if (ret_notes) {
		*ret_notes = notes;
		notes = NULL;
	}
	ret = 0;
out:
	free(r.out.p);
	free(r.notes.p);
	free(text);
	free(notes);
	return ret;
}

/* ---- secrets ------------------------------------------------------------------ */

bool kdumpconf_has_secrets(const struct kdump_config *c)
{
	for (size_t i = 0; i < c->n_settings; i++)
		if (*c->settings[i].value && kdumpconf_is_secret_key(c->settings[i].key))
			return true;
	return false;
}

/* Where the value of a secret setting sits in one line: [*ret_b, *ret_e). */
static bool secret_span(const char *l, size_t len, int format,
                        size_t *ret_b, size_t *ret_e)
{
	size_t p = 0, klen, b, e;
	char key[128];

	while (p < len && is_blank(l[p]))
		p++;
	klen = 0;
	while (p + klen < len && !is_blank(l[p + klen]) && l[p + klen] != '=' &&
	       l[p + klen] != '#')
		klen++;
	if (klen == 0 || klen >= sizeof(key))
		return false;
	memcpy(key, l + p, klen);
	key[klen] = '\0';
	if (!kdumpconf_is_secret_key(key))
		return false;
	b = p + klen;
	if (format == SKD_CONFIG_SHELL_VARS) {
		if (b >= len || l[b] != '=')
			return false;
		/* one shell word, quotes included */
		for (e = ++b; e < len && !is_blank(l[e]); e++) {
			if (l[e] == '\'' || l[e] == '"') {
				const char *close = memchr(l + e + 1, l[e], len - e - 1);
				e = close ? (size_t)(close - l) : len - 1;
			}
		}
	} else {
		if (b >= len || !is_blank(l[b]))
			return false;
		while (b < len && is_blank(l[b]))
			b++;
		for (e = b; e < len && l[e] != '#'; e++)
			;
		while (e > b && is_blank(l[e - 1]))
			e--;
	}
	if (e <= b)
		return false;
	*ret_b = b;
	*ret_e = e;
	return true;
}

char *kdumpconf_mask(const char *text, int format)
{
	struct buf out = { 0 };
	char *ret = NULL;

	for (const char *l = text; *l; ) {
		size_t len = strcspn(l, "\n"), end = len, b, e;

		if (end > 0 && l[end - 1] == '\r')
			end--;
		if (secret_span(l, end, format, &b, &e)) {
			buf_add(&out, l, b);
			buf_add(&out, "****", 4);
			buf_add(&out, l + e, len - e);
		} else {
			buf_add(&out, l, len);
		}
		l += len;
		if (*l == '\n') {
			buf_add(&out, "\n", 1);
			l++;
		}
	}
	if (buf_steal(&out, &ret) < 0)
		return NULL;
	return ret;
}

/* ---- dump directory ----------------------------------------------------------- */

static char *dump_dir_of(const struct kdump_config *c, const char *dflt)
{
	const char *dir = NULL;

	if (c->format == SKD_CONFIG_SHELL_VARS) {
		if (effective(c, "NFS") || effective(c, "SSH") || effective(c, "FTP"))
			return NULL;
		dir = effective(c, "KDUMP_COREDIR");
	} else {
		for (size_t i = 0; i < c->n_settings; i++) {
			/* with a target, path is relative to a file system
			 * that is not the root's: no local directory to name */
			if (is_target(c->settings[i].key, c->settings[i].value))
				return NULL;
			if (strcmp(c->settings[i].key, "path") == 0)
				dir = c->settings[i].value;
		}
	}
	if (!dir)
		dir = dflt;
	return dir ? strdup(dir) : NULL;
}

/* Only comments and blank lines: the distribution's defaults apply. */
static bool has_setting_lines(const char *text)
{
	for (const char *l = text; *l; ) {
		size_t n = strcspn(l, "\n");
		const char *p = skip_blanks(l);
		if (p < l + n && *p != '#' && *p != '\r')
			return true;
		l += n;
		if (*l)
			l++;
	}
	return false;
}

char *kdumpconf_dump_dir(const char *text, int format, const char *dflt)
{
	struct kdump_config *c = NULL;
	char saved[1024];
	char *dir = NULL;

	/* a query, not a validation: keep the caller's last message */
	snprintf(saved, sizeof(saved), "%s", diag_message());
	if (!has_setting_lines(text))
		return dflt ? strdup(dflt) : NULL;
	if (kdumpconf_parse(text, strlen(text), "kdump configuration", &c) == 0 &&
	    c->format == format)
		dir = dump_dir_of(c, dflt);
	kdumpconf_free(c);
	diag_set(0, "%s", saved);
	return dir;
}
