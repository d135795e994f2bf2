/* SPDX-License-Identifier: Apache-2.0 */
/* mock-good: a complete, working backend for the "mockos" distribution
 * (see mock-ops.h for the files it keeps its state in).
 *
 * Built once more for each way a backend can be broken, by defining one of
 * these; each variant differs from mock-good in that one respect only:
 *   MOCK_WRONG_MAJOR   vtable says ABI major SKD_ABI_MAJOR + 1
 *   MOCK_SMALL_STRUCT  struct_size ends before the required operations
 *   MOCK_NO_SYMBOL     note present, skd_backend not exported
 *   MOCK_NO_NOTE       skd_backend exported, no note
 *   MOCK_BAD_NOTE      hand-made note: bad abi, payload not NUL-terminated
 *   MOCK_NULL_OP       service_is_active is NULL
 *   MOCK_WRONG_NAME    vtable name differs from the note name
 * MOCK_NAME is the backend name (the file name without ".so"). */
#include "config.h"

#include "mock-ops.h"

#ifndef MOCK_NAME
#define MOCK_NAME "mock-good"
#endif

/* mock-good serves "mockos"; a broken variant serves only its own name,
 * so it never shadows mock-good in a selection. */
#ifdef MOCK_VARIANT
#define MOCK_IDS MOCK_NAME
#else
#define MOCK_IDS "mockos"
#endif

#if defined(MOCK_BAD_NOTE)
/* What SKD_BACKEND_NOTE would emit, garbled: the abi is not MAJOR.MINOR
 * and n_descsz leaves out the final NUL. */
#define BAD_PAYLOAD "format=1\0name=" MOCK_NAME "\0abi=one.zero\0ids=" MOCK_IDS
__attribute__((used, section(SKD_NOTE_SECTION), aligned(4)))
static const struct {
	uint32_t n_namesz, n_descsz, n_type;
	char owner[SKD__ALIGN4(sizeof(SKD_NOTE_OWNER))];
	char payload[SKD__ALIGN4(sizeof(BAD_PAYLOAD))];
} bad_note = {
	sizeof(SKD_NOTE_OWNER), sizeof(BAD_PAYLOAD) - 1, SKD_NOTE_TYPE,
	SKD_NOTE_OWNER, BAD_PAYLOAD
};
#elif !defined(MOCK_NO_NOTE)
SKD_BACKEND_NOTE(MOCK_NAME, MOCK_IDS);
#endif

#if defined(MOCK_NO_SYMBOL)
/* hidden under another name: the host must not find it */
#define MOCK_VTABLE mock_vtable_not_exported
#else
#define MOCK_VTABLE SKD_BACKEND_EXPORT skd_backend
#endif

#if defined(MOCK_VARIANT)
#if defined(MOCK_WRONG_MAJOR)
#define MOCK_MAJOR (SKD_ABI_MAJOR + 1)
#else
#define MOCK_MAJOR SKD_ABI_MAJOR
#endif
#if defined(MOCK_SMALL_STRUCT)
#define MOCK_SIZE offsetof(struct skd_backend, packages_query)
#else
#define MOCK_SIZE sizeof(struct skd_backend)
#endif
#if defined(MOCK_WRONG_NAME)
#define MOCK_VT_NAME "mock-other-name"
#else
#define MOCK_VT_NAME MOCK_NAME
#endif
#define MOCK_HEADER .abi_major = MOCK_MAJOR, .abi_minor = SKD_ABI_MINOR, \
	.struct_size = MOCK_SIZE, .name = MOCK_VT_NAME
#else
#define MOCK_HEADER SKD_BACKEND_HEADER(MOCK_NAME)
#endif

const struct skd_backend MOCK_VTABLE = {
	MOCK_HEADER,
	.init = mock_init,
	.get_facts = mock_get_facts,
	.packages_query = mock_packages_query,
	.packages_install = mock_packages_install,
	.packages_remove = mock_packages_remove,
	.bootloader_get_crashkernel = mock_bootloader_get_crashkernel,
	.bootloader_set_crashkernel = mock_bootloader_set_crashkernel,
	.bootloader_remove_crashkernel = mock_bootloader_remove_crashkernel,
	.bootloader_regenerate = mock_bootloader_regenerate,
	.service_enable = mock_service_enable,
	.service_disable = mock_service_disable,
	.service_start = mock_service_start,
	.service_stop = mock_service_stop,
	.service_is_enabled = mock_service_is_enabled,
#if !defined(MOCK_NULL_OP)
	.service_is_active = mock_service_is_active,
#endif
	.kdump_config_ensure_enabled = mock_kdump_config_ensure_enabled,
};
