/* SPDX-License-Identifier: Apache-2.0 */
/* A backend file for the benchmark of `backends`: only its note matters.
 * The name is patched per copy (same length), so 50 files cost one
 * compilation. */
#include <skyhook-kdump/backend.h>

SKD_BACKEND_NOTE("benchxx", "benchxx");

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("benchxx"),
};
