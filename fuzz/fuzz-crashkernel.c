/* SPDX-License-Identifier: Apache-2.0 */
/* crashkernel= values: the parser, the normalised form, the resolver for
 * several RAM sizes, the command line, and the size parser of --memory. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "diag.h"
#include "fuzz.h"

/* RAM sizes around the usual range boundaries, and the extremes. */
static const uint64_t rams[] = {
	1,
	UINT64_C(512) << 20,
	UINT64_C(2) << 30,
	(UINT64_C(16) << 30) - 4096,
	UINT64_C(64) << 30,
	UINT64_C(1) << 50,
	UINT64_MAX,
};

static void check_resolver(const struct crashkernel *ck)
{
	for (size_t i = 0; i < sizeof(rams) / sizeof(rams[0]); i++) {
		uint64_t bytes = 0;

		if (crashkernel_reserved(ck, rams[i], "fuzz", &bytes) == 0) {
			FUZZ_CHECK(bytes > 0);
			FUZZ_CHECK(bytes <= rams[i]);
			FUZZ_CHECK(!crashkernel_is_auto(ck));
		}
		/* no limits here: only that it neither crashes nor leaks */
		(void)crashkernel_size_for(ck, rams[i], "fuzz", &bytes);
	}
}

/* The normalised text means the same: it parses to itself. */
static void check_normalized(const struct crashkernel *ck)
{
	struct crashkernel *again = NULL;

	FUZZ_CHECK(ck->normalized);
	FUZZ_CHECK(crashkernel_parse(ck->normalized, strlen(ck->normalized),
	                             "fuzz", &again) == 0);
	FUZZ_CHECK(strcmp(again->normalized, ck->normalized) == 0);
	FUZZ_CHECK(again->n_items == ck->n_items);
	crashkernel_free(again);
}

static void check_cmdline(const struct crashkernel *ck)
{
	char *line = NULL;
	int r = crashkernel_cmdline(ck, &line);

	if (crashkernel_is_auto(ck)) {
		FUZZ_CHECK(r == -EINVAL);
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(strncmp(line, "crashkernel=", 12) == 0);
	FUZZ_CHECK(!strpbrk(line, "\n\"'\\$`;"));
	free(line);
}

static void check_size(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	char buf[32];
	uint64_t v;

	if (!s)
		return;
	if (parse_size(s, &v) == 0)
		FUZZ_CHECK(format_size(v, buf, sizeof(buf)) != NULL);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crashkernel *ck = NULL;

	if (crashkernel_parse((const char *)data, size, "fuzz", &ck) == 0) {
		FUZZ_CHECK(ck->n_items > 0);
		check_normalized(ck);
		check_resolver(ck);
		check_cmdline(ck);
		crashkernel_free(ck);
	}
	check_size(data, size);
	diag_clear();
	return 0;
}
