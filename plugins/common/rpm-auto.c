/* SPDX-License-Identifier: Apache-2.0 */
/* What "auto" means on an RPM-family node: what kdumpctl sets there. Its
 * get-default-crashkernel answers on the running node (kexec-tools
 * 2.0.23-2 and later); elsewhere, and in the check modes, its rules as this
 * release ships them (kdump-lib.sh, kdump_get_arch_recommend_crashkernel,
 * rhkdump/kdump-utils history):
 * - a base table per architecture;
 * - aarch64, since 2.0.26-7 (commits 05c4861, 7a2c4cb): a running kernel
 *   whose release contains "64k" adds 100M, and then an SMMU
 *   (/sys/devices/platform/arm-smmu-*) 384M and mlx5
 *   (/sys/bus/pci/drivers/mlx5_core) 200M; on other kernels mlx5 adds 150M;
 * - x86_64, since 2.0.27-4 (commit 4841bc6): 64M under AMD SME or SEV;
 * each delta added to every range's size (_crashkernel_add). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck-table.h"
#include "rpmfamily.h"

struct node {
	const char *arch, *release, *smmu, *encryption;
	bool mlx5;
};

static void read_node(const struct skd_host *h, struct node *n)
{
	const char *mlx5 = h->get(h, "platform.mlx5");

	n->arch = h->get(h, "platform.arch");
	n->release = h->get(h, "platform.kernel_release");
	n->smmu = h->get(h, "platform.smmu");
	n->encryption = h->get(h, "platform.mem_encryption");
	n->mlx5 = mlx5 && !strcmp(mlx5, "1");
}

static bool is_arm64(const struct node *n)
{
	return n->arch && !strcmp(n->arch, "aarch64");
}

/* The deltas this release's kdumpctl adds on this node, and what they
 * are, appended to `why`. */
static unsigned deltas(const struct rpm_auto *a, const struct node *n, char *why,
                       size_t len)
{
	unsigned mib = 0;
	size_t at = strlen(why);

#define SAY(...) (at += (size_t)snprintf(why + at, at < len ? len - at : 0, __VA_ARGS__))
	if (is_arm64(n) && a->arm64_deltas) {
		bool k64 = n->release && strstr(n->release, "64k");

		if (k64) {
			mib += 100;
			SAY("; aarch64, 64K-page kernel (\"64k\" in %s): +100M", n->release);
			if (n->smmu) {
				mib += 384;
				SAY("; SMMU %s: +384M", n->smmu);
			}
		}
		if (n->mlx5) {
			unsigned mlx5 = k64 ? 200u : 150u;

			mib += mlx5;
			SAY("; mlx5_core: +%uM", mlx5);
		}
	} else if (!is_arm64(n) && a->sme_delta && n->encryption) {
		mib += 64;
		SAY("; %s active: +64M", n->encryption);
	}
#undef SAY
	return mib;
}

int rpmfamily_auto_table(const struct skd_host *h, const struct rpm_auto *a,
                         char **ret_value, char **ret_basis)
{
	struct node n;
	const char *base, *arch_word;
	char why[512] = "";
	unsigned mib;

	read_node(h, &n);
	base = is_arm64(&n) ? a->aarch64 : a->x86_64;
	arch_word = is_arm64(&n) ? "aarch64" : n.arch ? n.arch : "x86_64 (the architecture is unknown)";
	if (!base)
		return h->error(h, -SKD_E_UNSUPPORTED, "%s: no default crashkernel known for %s",
		                a->source, arch_word);
	mib = deltas(a, &n, why, sizeof(why));
	*ret_value = mib ? ck_table_add(base, mib) : strdup(base);
	if (!*ret_value)
		return -ENOMEM;
	if (asprintf(ret_basis, "kdumpctl's table for %s in %s: %s%s", arch_word,
	             a->source, base, why) < 0) {
		free(*ret_value);
		*ret_value = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The installed kdumpctl's own answer in *ret, or NULL (not installed, too
 * old, no /etc/kdump.conf yet). A kdumpctl that is there but cannot be
 * started is an error: its answer would differ from the tables'. */
static int ask_kdumpctl(const struct skd_host *h, char **ret)
{
	static const char *const argv[] = { "kdumpctl", "get-default-crashkernel", NULL };
	struct skd_run_result res = { 0 };
	char *value = NULL;
	size_t n;
	int r;

	*ret = NULL;
	r = h->run(h, argv, NULL, SKD_RUN_QUIET, &res);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot run \"kdumpctl get-default-crashkernel\"");
	if (res.status != 0) {
		const char *why = res.err && *res.err ? res.err : res.out ? res.out : "";

		r = h->error(h, -SKD_E_FAILED, "\"kdumpctl get-default-crashkernel\" failed "
		             "with exit status %d%s%.*s", res.status, *why ? ": " : "",
		             (int)strcspn(why, "\n"), why);
		h->run_result_free(h, &res);
		return r;
	}
	if (res.out) {
		n = strcspn(res.out, " \t\n");
		/* a value starts with a digit ("2G-64G:256M,...", "512M") */
		if (n && res.out[0] >= '0' && res.out[0] <= '9' &&
		    res.out[n + strspn(res.out + n, " \t\n")] == '\0')
			value = strndup(res.out, n);
	}
	h->run_result_free(h, &res);
	*ret = value;
	return 0;
}

int rpmfamily_auto_crashkernel(const struct skd_host *h, uint32_t flags,
                               char **ret_value, char **ret_basis)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *value = NULL;
	int r;

	*ret_value = *ret_basis = NULL;
	if (!rel)
		return -SKD_E_UNSUPPORTED;
	if (rel->auto_rules->ask && !(flags & SKD_AUTO_NO_PROCESS) &&
	    !(h->flags & SKD_HOST_IMAGE) && (r = ask_kdumpctl(h, &value)) < 0)
		return r;
	if (value) {
		*ret_value = value;
		*ret_basis = strdup("kdumpctl get-default-crashkernel on this node");
		return *ret_basis ? 0 : -ENOMEM;
	}
	return rpmfamily_auto_table(h, rel->auto_rules, ret_value, ret_basis);
}
