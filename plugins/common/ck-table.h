/* SPDX-License-Identifier: Apache-2.0 */
/* Crashkernel tables as the distributions' tools write them
 * ("2G-4G:256M,4G-64G:320M,64G-:576M"), for the backends that compute
 * "auto" for a node. */
#ifndef SKD_PLUGIN_CK_TABLE_H
#define SKD_PLUGIN_CK_TABLE_H

#include <stdint.h>

/* `table` with `mib` MiB added to the size of every range, each sum in
 * the largest unit that divides it (576M + 684M = "1260M", 512M + 512M =
 * "1G"), as kdumpctl's _crashkernel_add writes it; an "@offset" or
 * ",high"/",low" suffix is kept. malloc'd; NULL on a table it cannot read
 * or out of memory. */
char *ck_table_add(const char *table, uint64_t mib);

#endif
