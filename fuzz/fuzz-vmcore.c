/* SPDX-License-Identifier: Apache-2.0 */
/* The dump file reader on arbitrary bytes, once as a dump and once as a
 * kernel log: it always answers, and what it takes from the file is one
 * clean line (it is printed as is). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "vmcore.h"

static void check_line(const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		FUZZ_CHECK((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void inspect(const uint8_t *data, size_t size, const char *name)
{
	struct vmcore_info v = { 0 };
	int fd = fuzz_memfd(data, size);

	if (fd < 0)
		return;
	FUZZ_CHECK(vmcore_inspect(fd, name, &v) == 0);
	FUZZ_CHECK(v.size == size);
	FUZZ_CHECK(vmcore_format_name(v.format) != NULL);
	check_line(v.release);
	check_line(v.panic);
	FUZZ_CHECK(v.complete || v.problem);
	check_line(v.problem);
	vmcore_info_clear(&v);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *panic;

	inspect(data, size, "vmcore");
	inspect(data, size, "dmesg.202611272225");
	panic = dmesg_panic_message((const char *)data, size);
	check_line(panic);
	free(panic);
	return 0;
}
