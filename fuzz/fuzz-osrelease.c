/* SPDX-License-Identifier: Apache-2.0 */
/* os-release files: whatever parses yields single-line fields without NUL
 * bytes (they end up in messages and JSON), and an ID that is not empty. */
#include "config.h"

#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "osrelease.h"

static void check_field(const char *s)
{
	if (!s)
		return;
	FUZZ_CHECK(!strchr(s, '\n'));
	FUZZ_CHECK(!strchr(s, '\r'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_release *os = NULL;

	if (os_release_parse((const char *)data, size, "fuzz", &os) == 0) {
		FUZZ_CHECK(os->id && os->id[0]);
		FUZZ_CHECK(os->id_like && os->id_like_raw);
		check_field(os->id);
		check_field(os->id_like_raw);
		check_field(os->version_id);
		check_field(os->version_codename);
		check_field(os->name);
		check_field(os->pretty_name);
		for (char **l = os->id_like; *l; l++) {
			FUZZ_CHECK(**l);
			check_field(*l);
		}
		os_release_free(os);
	}
	diag_clear();
	return 0;
}
