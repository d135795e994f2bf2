/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* the analyzer's stand-in of diag.h must not rename the definition */
#undef diag_set

static char message[1024];

int diag_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* one line, always: a value with a newline must not split it */
	for (char *p = message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return err;
}

const char *diag_message(void)
{
	return message;
}

void diag_clear(void)
{
	message[0] = '\0';
}
