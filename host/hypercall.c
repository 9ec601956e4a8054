// SPDX-License-Identifier: GPL-2.0-only
/* The host's side of the HVC edge: SMCCC status back to -errno. */
#include <linux/arm-smccc.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/string.h>
#include "splitkvm.h"

void splitkvm_hvc_raw(const u64 *args, u64 *res)
{
	struct arm_smccc_1_2_regs in = {
		.a0 = args[0], .a1 = args[1], .a2 = args[2], .a3 = args[3],
		.a4 = args[4], .a5 = args[5], .a6 = args[6], .a7 = args[7],
	};
	struct arm_smccc_1_2_regs out;

	arm_smccc_1_2_hvc(&in, &out);
	res[0] = out.a0;
	res[1] = out.a1;
	res[2] = out.a2;
	res[3] = out.a3;
	res[4] = out.a4;
	res[5] = out.a5;
	res[6] = out.a6;
	res[7] = out.a7;
}
EXPORT_SYMBOL_GPL(splitkvm_hvc_raw);

int splitkvm_hcall(enum skvm_hcall nr, u64 a1, u64 a2, u64 a3, u64 a4,
		   u64 *res)
{
	const u64 args[5] = { a1, a2, a3, a4 };

	return splitkvm_hcall_args(nr, args, res);
}
EXPORT_SYMBOL_GPL(splitkvm_hcall);

int splitkvm_hcall_args(enum skvm_hcall nr, const u64 *a, u64 *res)
{
	u64 args[8] = { SKVM_HC_ID(nr), a[0], a[1], a[2], a[3], a[4] };
	u64 out[8];
	long status;

	splitkvm_hvc_raw(args, out);
	if (res)
		memcpy(res, out, 8 * sizeof(u64));
	status = out[0];
	if (status == SKVM_SMCCC_SUCCESS)
		return 0;
	if (status == SKVM_SMCCC_NOT_SUPPORTED)
		return -EOPNOTSUPP;
	if (out[1] > 0 && out[1] < MAX_ERRNO)
		return -(int)out[1];
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(splitkvm_hcall_args);
