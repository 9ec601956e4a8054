/* SPDX-License-Identifier: GPL-2.0-only */
/* The host's own q0..q31, for checking that guests leave them alone. */
#ifndef __SPLITKVM_KUNIT_HOST_FP_H__
#define __SPLITKVM_KUNIT_HOST_FP_H__

#include <linux/types.h>

/* Only between kernel_neon_begin() and kernel_neon_end(); 64 u64s. */
void kunit_fp_load(const u64 *buf);
void kunit_fp_store(u64 *buf);

#endif /* __SPLITKVM_KUNIT_HOST_FP_H__ */
