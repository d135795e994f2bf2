/* SPDX-License-Identifier: Apache-2.0 */
/* PLACEHOLDER until written */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include "status.h"
void status_print_text(const struct node_status *s, FILE *out) { (void)s; (void)out; }
void status_print_json(const struct node_status *s, FILE *out) { (void)s; (void)out; }
char *status_prometheus_text(const struct node_status *s) { (void)s; return NULL; }
int status_write_prometheus(const struct node_status *s, const char *path) { (void)s; (void)path; return -ENOSYS; }
