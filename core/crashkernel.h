/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's crashkernel= grammar: parsing, normalising, and computing
 * what a value reserves for a given amount of system RAM, with the rules of
 * the kernel's parse_crashkernel_mem() (kernel/crash_reserve.c). */
#ifndef SKD_CRASHKERNEL_H
#define SKD_CRASHKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ck_kind {
	CK_SIZE,        /* size[@offset] */
	CK_RANGES,      /* start-[end]:size[,...][@offset] */
	CK_HIGH,        /* size,high */
	CK_LOW,         /* size,low */
	CK_AUTO,        /* auto: to be replaced by the distro default */
};

struct ck_range {
	uint64_t start;
	uint64_t end;           /* exclusive; UINT64_MAX when open */
	uint64_t size;
};

struct ck_item {
	enum ck_kind kind;
	uint64_t size;          /* CK_SIZE, CK_HIGH, CK_LOW */
	bool has_offset;
	uint64_t offset;
	struct ck_range *ranges;  /* CK_RANGES */
	size_t n_ranges;
};

struct crashkernel {
	struct ck_item *items;  /* space-separated items, in input order */
	size_t n_items;
	char *normalized;       /* canonical text, e.g. "1G-4G:192M,4G-:256M" */
};

/* Parse `len` bytes of user input (surrounding whitespace and one trailing
 * newline are trimmed; one leading "crashkernel=" is accepted). On error
 * returns -EINVAL and diag_set()s a message that starts with `what`
 * (the name of the input, e.g. "configmap 'crashkernel'"). */
int crashkernel_parse(const char *input, size_t len, const char *what,
                      struct crashkernel **ret);
void crashkernel_free(struct crashkernel *ck);
bool crashkernel_is_auto(const struct crashkernel *ck);

/* Bytes reserved on a machine with `system_ram` bytes of RAM (before the
 * kernel's round-up to 128 MiB). A value reserving 0 bytes or more than
 * half the RAM is refused: -EINVAL with diag_set() naming `what`. */
int crashkernel_reserved(const struct crashkernel *ck, uint64_t system_ram,
                         const char *what, uint64_t *ret_bytes);

/* The same without the refusals: 0 when no range matches this RAM. Still
 * -EINVAL for auto, RAM 0, and a range the kernel refuses outright. */
int crashkernel_size_for(const struct crashkernel *ck, uint64_t system_ram,
                         const char *what, uint64_t *ret_bytes);

/* Kernel command line arguments for a parsed value, one "crashkernel="
 * per item ("crashkernel=512M,high crashkernel=128M,low"): the kernel takes
 * each item from its own parameter, so "crashkernel=512M,high 128M,low"
 * would lose the ",low" part. Freed with free(); -EINVAL for CK_AUTO. */
int crashkernel_cmdline(const struct crashkernel *ck, char **ret);

/* What ",high" adds for the low region when no ",low" item is given: the
 * x86_64 kernel's DEFAULT_CRASH_KERNEL_LOW_SIZE, max(swiotlb + 8M, 256M),
 * which is 256M with the default 64M swiotlb. */
#define CK_DEFAULT_LOW_SIZE (UINT64_C(256) << 20)
/* Longest input crashkernel_parse() accepts. */
#define CK_INPUT_MAX 4096

/* "256M" style rendering used in messages; buf of at least 32 bytes. */
const char *format_size(uint64_t bytes, char *buf, size_t len);
/* Parse "16G", "512M", "1073741824" (for --memory). */
int parse_size(const char *s, uint64_t *ret);

#endif
