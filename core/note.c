/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "note.h"

/* Our payload is a few dozen bytes; anything this large is not ours. */
#define NOTE_PAYLOAD_MAX 4096u
#define NOTE_SECTION_MAX (1u << 20)
#define NOTE_WORD_MAX 64u
#define NOTE_IDS_MAX 64u

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool valid_word(const char *s, size_t n)
{
	if (n == 0 || n > NOTE_WORD_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_word_char(s[i]))
			return false;
	return true;
}

/* A short, printable rendering of untrusted bytes for messages. */
static const char *printable(const char *s, char *buf, size_t size)
{
	size_t o = 0, n = strlen(s);

	assert(size > 4);
	for (size_t i = 0; i < n && o + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[o++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (o < n && o + 4 >= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Decimal without sign, blanks or leading junk; at most 9 digits so it
 * always fits. Returns the first character after the number, or NULL. */
static const char *parse_number(const char *s, unsigned *ret)
{
	unsigned v = 0;
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9') {
		if (n == 9)
			return NULL;
		v = v * 10 + (unsigned)(s[n] - '0');
		n++;
	}
	if (n == 0)
		return NULL;
	*ret = v;
	return s + n;
}

void note_clear(struct backend_note *n)
{
	if (!n)
		return;
	free(n->name);
	if (n->ids)
		for (char **p = n->ids; *p; p++)
			free(*p);
	free(n->ids);
	memset(n, 0, sizeof(*n));
}

static int split_ids(const char *s, const char *what, char ***ret)
{
	char **v = NULL;
	size_t n = 0;
	char tmp[48];
	int r;

	/* Our own format: single spaces between words, nothing else. */
	for (const char *p = s;; p++) {
		const char *e = strchr(p, ' ');
		char **nv;

		if (!e)
			e = p + strlen(p);
		if (!valid_word(p, (size_t)(e - p)) || n == NOTE_IDS_MAX) {
			r = diag_set(-EINVAL, "%s: backend note: bad ids '%s' (expected "
			             "IDs of a-z 0-9 . _ - separated by single spaces)",
			             what, printable(s, tmp, sizeof(tmp)));
			goto out;
		}
		nv = realloc(v, (n + 2) * sizeof(char *));
		if (!nv) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		v = nv;
		v[n] = strndup(p, (size_t)(e - p));
		if (!v[n]) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		v[++n] = NULL;
		if (!*e)
			break;
		p = e;
	}
	*ret = v;
	v = NULL;
	r = 0;
out:
	if (v)
		for (size_t i = 0; i < n; i++)
			free(v[i]);
	free(v);
	return r;
}

int note_parse_payload(const char *desc, size_t len, const char *what,
                       struct backend_note *ret)
{
	static const char *const keys[] = { "format", "name", "abi", "ids" };
	const char *val[4] = { NULL };
	struct backend_note n = { 0 };
	const char *p;
	char tmp[48];
	int r;

	assert(what && ret);

	if (!desc || len == 0)
		return diag_set(-EINVAL, "%s: backend note has an empty payload", what);
	if (len > NOTE_PAYLOAD_MAX)
		return diag_set(-EINVAL, "%s: backend note payload is %zu bytes, "
		                "at most %u expected", what, len, NOTE_PAYLOAD_MAX);
	/* every strlen() below stops at this NUL at the latest */
	if (desc[len - 1] != '\0')
		return diag_set(-EINVAL, "%s: backend note payload is not "
		                "NUL-terminated", what);

	for (p = desc; p < desc + len; p += strlen(p) + 1) {
		const char *eq;
		size_t i;

		if (!*p)
			continue;       /* padding */
		eq = strchr(p, '=');
		if (!eq)
			return diag_set(-EINVAL, "%s: backend note entry '%s' is not "
			                "key=value", what, printable(p, tmp, sizeof(tmp)));
		for (i = 0; i < 4; i++)
			if (strlen(keys[i]) == (size_t)(eq - p) &&
			    memcmp(p, keys[i], (size_t)(eq - p)) == 0)
				break;
		if (i == 4)
			continue;       /* unknown keys are for newer hosts */
		if (val[i])
			return diag_set(-EINVAL, "%s: backend note gives '%s' twice",
			                what, keys[i]);
		val[i] = eq + 1;
	}

	/* The format decides what the rest means: check it first. */
	if (!val[0])
		return diag_set(-EINVAL, "%s: backend note has no format= entry", what);
	if (strcmp(val[0], "1") != 0)
		return diag_set(-EINVAL, "%s: backend note format '%s' is unknown "
		                "(this host reads format 1)", what,
		                printable(val[0], tmp, sizeof(tmp)));
	for (size_t i = 1; i < 4; i++)
		if (!val[i])
			return diag_set(-EINVAL, "%s: backend note has no %s= entry",
			                what, keys[i]);

	if (!valid_word(val[1], strlen(val[1])))
		return diag_set(-EINVAL, "%s: backend note name '%s' is not valid "
		                "(allowed: a-z 0-9 . _ -)", what,
		                printable(val[1], tmp, sizeof(tmp)));

	p = parse_number(val[2], &n.abi_major);
	if (p && *p == '.')
		p = parse_number(p + 1, &n.abi_minor);
	else
		p = NULL;
	if (!p || *p)
		return diag_set(-EINVAL, "%s: backend note abi '%s' is not "
		                "MAJOR.MINOR", what, printable(val[2], tmp, sizeof(tmp)));

	n.name = strdup(val[1]);
	if (!n.name) {
		r = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}
	r = split_ids(val[3], what, &n.ids);
	if (r < 0)
		goto out;

	*ret = n;
	memset(&n, 0, sizeof(n));
	r = 0;
out:
	note_clear(&n);
	return r;
}

static bool is_our_note(const Elf_Data *data, const GElf_Nhdr *nh,
                        size_t name_off)
{
	return nh->n_type == SKD_NOTE_TYPE &&
	       nh->n_namesz == sizeof(SKD_NOTE_OWNER) &&
	       memcmp((const char *)data->d_buf + name_off, SKD_NOTE_OWNER,
	              sizeof(SKD_NOTE_OWNER)) == 0;
}

int note_read_fd(int fd, const char *what, struct backend_note *ret)
{
	struct backend_note found = { 0 };
	bool have = false;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	int r;

	assert(fd >= 0 && what && ret);

	if (elf_version(EV_CURRENT) == EV_NONE)
		return diag_set(-ENOTSUP, "libelf: %s", elf_errmsg(-1));

	/* ELF_C_READ reads with pread(): a file that shrinks under us gives
	 * an error, where a mapping would give SIGBUS. */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		r = diag_set(-ENOEXEC, "%s: not an ELF file", what);
		goto out;
	}

	for (;;) {
		GElf_Shdr shdr;
		Elf_Data *data = NULL;
		int err;

		/* NULL means "no more" or an error: only the error code tells */
		(void)elf_errno();
		scn = elf_nextscn(elf, scn);
		if (!scn) {
			err = elf_errno();
			if (err != 0) {
				r = diag_set(-ENOEXEC, "%s: bad ELF section table: %s",
				             what, elf_errmsg(err));
				goto out;
			}
			break;
		}
		if (!gelf_getshdr(scn, &shdr)) {
			r = diag_set(-ENOEXEC, "%s: bad ELF section header: %s", what,
			             elf_errmsg(-1));
			goto out;
		}
		if (shdr.sh_type != SHT_NOTE)
			continue;
		/* libelf would read it whole into memory */
		if (shdr.sh_size > NOTE_SECTION_MAX) {
			r = diag_set(-EINVAL, "%s: note section of %ju bytes, at most "
			             "%u expected", what, (uintmax_t)shdr.sh_size,
			             NOTE_SECTION_MAX);
			goto out;
		}
		for (;;) {
			GElf_Nhdr nh;
			size_t off = 0, next, name_off, desc_off;

			(void)elf_errno();
			data = elf_getdata(scn, data);
			if (!data) {
				err = elf_errno();
				if (err != 0) {
					r = diag_set(-EINVAL, "%s: unreadable note section: %s",
					             what, elf_errmsg(err));
					goto out;
				}
				break;
			}
			if (!data->d_buf)
				continue;
			while ((next = gelf_getnote(data, off, &nh, &name_off,
			                            &desc_off)) > 0) {
				/* gelf_getnote checks bounds too; do not rely on it */
				if (next <= off || next > data->d_size ||
				    name_off > data->d_size ||
				    nh.n_namesz > data->d_size - name_off ||
				    desc_off > data->d_size ||
				    nh.n_descsz > data->d_size - desc_off)
					break;
				off = next;
				if (!is_our_note(data, &nh, name_off))
					continue;
				if (have) {
					r = diag_set(-EINVAL, "%s: carries two %s notes, "
					             "expected one", what, SKD_NOTE_OWNER);
					goto out;
				}
				r = note_parse_payload((const char *)data->d_buf + desc_off,
				                       nh.n_descsz, what, &found);
				if (r < 0)
					goto out;
				have = true;
			}
		}
	}
	if (!have) {
		r = diag_set(-ENOENT, "%s: no %s note (not a backend, or built "
		             "without SKD_BACKEND_NOTE)", what, SKD_NOTE_OWNER);
		goto out;
	}

	*ret = found;
	memset(&found, 0, sizeof(found));
	r = 0;
out:
	note_clear(&found);
	if (elf)
		elf_end(elf);
	return r;
}
