/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 validation for output formats that require it (JSON, Prometheus):
 * os-release and configuration files may hold any bytes. */
#ifndef SKD_UTF8_H
#define SKD_UTF8_H

#include <stddef.h>

/* U+FFFD, written in place of each byte that is not valid UTF-8. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when p does
 * not start one: overlong forms, surrogates and code points beyond
 * U+10FFFF are not valid. p must be NUL-terminated. */
size_t utf8_seq_len(const unsigned char *p);

#endif
