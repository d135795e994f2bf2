/* SPDX-License-Identifier: Apache-2.0 */
/* ELF vmcores (a copy of /proc/vmcore, makedumpfile -E): the crashed
 * kernel's VMCOREINFO note, read through the program headers as a core
 * file has no sections, and completeness: the file must reach the end of
 * every segment. The raw header is checked before libelf sees it, so a
 * garbled count never turns into a huge allocation. */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-internal.h"

/* Real vmcores have one PT_LOAD per memory range: hundreds, rarely more
 * than some thousands; this bounds what libelf allocates. */
#define MAX_PHNUM (1u << 20)
/* All PT_NOTE segments together (one per CPU at most, usually merged). */
#define MAX_NOTES_TOTAL (4u * VMCORE_NOTE_MAX)

struct raw_ehdr {
	bool is64, big_endian;
	uint16_t type, phentsize, phnum, shentsize, shnum;
	uint64_t phoff, shoff;
};

static bool read_raw_ehdr(const unsigned char *b, struct raw_ehdr *e,
                          struct vmcore_info *v)
{
	if (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64) {
		vmcore_problem(v, "ELF class %u is neither 32- nor 64-bit", b[EI_CLASS]);
		return false;
	}
	if (b[EI_DATA] != ELFDATA2LSB && b[EI_DATA] != ELFDATA2MSB) {
		vmcore_problem(v, "ELF byte order %u is not known", b[EI_DATA]);
		return false;
	}
	e->is64 = b[EI_CLASS] == ELFCLASS64;
	e->big_endian = b[EI_DATA] == ELFDATA2MSB;
#define G(off, n) ((uint16_t)vmcore_get(b + (off), (n), e->big_endian))
	e->type = G(16, 2);
	if (e->is64) {
		e->phoff = vmcore_get(b + 32, 8, e->big_endian);
		e->shoff = vmcore_get(b + 40, 8, e->big_endian);
		e->phentsize = G(54, 2);
		e->phnum = G(56, 2);
		e->shentsize = G(58, 2);
		e->shnum = G(60, 2);
	} else {
		e->phoff = vmcore_get(b + 28, 4, e->big_endian);
		e->shoff = vmcore_get(b + 32, 4, e->big_endian);
		e->phentsize = G(42, 2);
		e->phnum = G(44, 2);
		e->shentsize = G(46, 2);
		e->shnum = G(48, 2);
	}
#undef G
	return true;
}

/* `count` entries of `entsize` bytes at `off` lie inside the file. */
static bool table_fits(uint64_t off, uint64_t count, uint64_t entsize, uint64_t size)
{
	return off <= size && count <= (size - off) / entsize;
}

/* What libelf would read before we ask for the program headers: the
 * section header table, and section 0 when the counts overflow into it. */
static bool check_raw_ehdr(int fd, const struct raw_ehdr *e, uint64_t *ret_phnum,
                           struct vmcore_info *v)
{
	uint64_t shnum = e->shnum, phnum = e->phnum;
	size_t shsize = e->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	size_t phsize = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	if (e->type != ET_CORE) {
		uint16_t swapped = (uint16_t)(e->type >> 8 | e->type << 8);
		vmcore_problem(v, "ELF file of type %u, not a core dump%s", e->type,
		               swapped == ET_CORE ? " (wrong byte order in the header?)" : "");
		return false;
	}
	if (e->shoff != 0) {
		if (e->shentsize != shsize) {
			vmcore_problem(v, "ELF section header size %u, expected %zu",
			               e->shentsize, shsize);
			return false;
		}
		if (shnum == 0 || phnum == PN_XNUM) {
			unsigned char s0[sizeof(Elf64_Shdr)];

			if (!table_fits(e->shoff, 1, shsize, v->size) ||
			    vmcore_pread(fd, s0, shsize, e->shoff) < 0) {
				vmcore_problem(v, "truncated: the ELF section headers at byte "
				               "%" PRIu64 " are past the end of the file", e->shoff);
				return false;
			}
			if (shnum == 0)
				shnum = vmcore_get(s0 + (e->is64 ? 32 : 20), e->is64 ? 8 : 4,
				                   e->big_endian);
			if (phnum == PN_XNUM)
				phnum = vmcore_get(s0 + (e->is64 ? 44 : 28), 4, e->big_endian);
		}
		if (!table_fits(e->shoff, shnum, shsize, v->size)) {
			vmcore_problem(v, "truncated: %" PRIu64 " ELF section headers at byte "
			               "%" PRIu64 " run past the end of the file", shnum, e->shoff);
			return false;
		}
	} else if (phnum == PN_XNUM) {
		vmcore_problem(v, "ELF program header count overflows, but there is "
		               "no section header to hold it");
		return false;
	}
	if (phnum == 0) {
		vmcore_problem(v, "ELF core without program headers");
		return false;
	}
	if (e->phentsize != phsize) {
		vmcore_problem(v, "ELF program header size %u, expected %zu",
		               e->phentsize, phsize);
		return false;
	}
	if (phnum > MAX_PHNUM) {
		vmcore_problem(v, "%" PRIu64 " ELF program headers, more than the "
		               "%u a vmcore can plausibly have", phnum, MAX_PHNUM);
		return false;
	}
	if (!table_fits(e->phoff, phnum, phsize, v->size)) {
		vmcore_problem(v, "truncated: %" PRIu64 " ELF program headers at byte "
		               "%" PRIu64 " run past the end of the file", phnum, e->phoff);
		return false;
	}
	*ret_phnum = phnum;
	return true;
}

/* Looks for the VMCOREINFO note in one PT_NOTE segment. */
static bool read_notes(Elf *elf, const GElf_Phdr *ph, size_t i, struct vmcore_info *v)
{
	Elf_Data *data;
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;

	data = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
	                            ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
	if (!data) {
		vmcore_problem(v, "ELF note segment %zu cannot be read: %s", i, elf_errmsg(-1));
		return false;
	}
	while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;

		if (nh.n_namesz == sizeof("VMCOREINFO") &&
		    memcmp(name, "VMCOREINFO", sizeof("VMCOREINFO")) == 0) {
			vmcore_parse_vmcoreinfo(v, (const char *)data->d_buf + desc_off,
			                        nh.n_descsz);
			return true;
		}
		off = next;
	}
	return false;
}

int vmcore_inspect_elf(int fd, struct vmcore_info *v)
{
	unsigned char raw[sizeof(Elf64_Ehdr)] = { 0 };
	struct raw_ehdr e;
	Elf *elf = NULL;
	GElf_Ehdr eh;
	size_t phnum = 0;
	uint64_t raw_phnum, end = 0, notes = 0;
	bool have_info = false;

	v->format = VMCORE_ELF;
	if (v->size < EI_NIDENT + 2 ||
	    vmcore_pread(fd, raw, v->size < sizeof(raw) ? (size_t)v->size : sizeof(raw), 0) < 0 ||
	    !read_raw_ehdr(raw, &e, v))
		goto short_header;
	if (v->size < (e.is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		goto short_header;
	if (!check_raw_ehdr(fd, &e, &raw_phnum, v))
		return 0;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		vmcore_problem(v, "libelf: %s", elf_errmsg(-1));
		return 0;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    elf_getphdrnum(elf, &phnum) != 0 || phnum != raw_phnum) {
		vmcore_problem(v, "ELF headers cannot be read: %s", elf_errmsg(-1));
		goto out;
	}
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph)) {
			vmcore_problem(v, "ELF program header %zu cannot be read: %s", i,
			               elf_errmsg(-1));
			goto out;
		}
		if (ph.p_offset > UINT64_MAX - ph.p_filesz) {
			vmcore_problem(v, "ELF program header %zu: offset %" PRIu64 " and size "
			               "%" PRIu64 " overflow", i, ph.p_offset, ph.p_filesz);
			goto out;
		}
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
		if (ph.p_type != PT_NOTE || have_info || ph.p_filesz == 0)
			continue;
		if (ph.p_offset + ph.p_filesz > v->size) {
			vmcore_problem(v, "truncated: ELF note segment %zu runs past the end "
			               "of the file", i);
			continue;
		}
		if (ph.p_filesz > VMCORE_NOTE_MAX || notes + ph.p_filesz > MAX_NOTES_TOTAL)
			continue;       /* too big to be real; completeness still counts */
		notes += ph.p_filesz;
		have_info = read_notes(elf, &ph, i, v);
	}
	if (end > v->size)
		vmcore_problem(v, "truncated: %" PRIu64 " of %" PRIu64 " bytes", v->size, end);
	else if (!have_info && !v->problem)
		/* complete, but nothing says which kernel: worth saying */
		v->problem = strdup("no VMCOREINFO note");
out:
	elf_end(elf);
	return 0;
short_header:
	vmcore_problem(v, "truncated: the ELF header is incomplete (%" PRIu64 " bytes)",
	               v->size);
	return 0;
}
