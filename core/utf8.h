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

/* Length of the control character that starts at p, 0 when there is
 * none: C0 and DEL (1 byte), C1 (U+0080 to U+009F, 2 bytes in UTF-8), or
 * a byte 0x80 to 0x9F that starts no valid sequence (a C1 control to a
 * terminal in an 8-bit mode). Terminals act on all of them, so text
 * output must not carry them. p must be NUL-terminated and start a
 * character (not the middle of a valid sequence). */
size_t utf8_control_len(const unsigned char *p);

#endif
