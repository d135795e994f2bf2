/* SPDX-License-Identifier: Apache-2.0 */
/* NULL-terminated string vectors. */
#ifndef SKD_STRV_H
#define SKD_STRV_H

#include <stdbool.h>
#include <stddef.h>

void strv_free(char **v);
size_t strv_length(char *const *v);
bool strv_contains(char *const *v, const char *s);
/* Append a copy of s; *v must be a valid vector (possibly empty). */
int strv_push(char ***v, const char *s);
/* Split on any of `seps`, skipping empty fields. */
char **strv_split(const char *s, const char *seps);
/* Join with `sep` (malloc'd). */
char *strv_join(char *const *v, const char *sep);

#endif
