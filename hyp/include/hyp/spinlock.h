/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one EL2 lock: it serialises changes to the VM table and vCPU states.
 * Held only for a bounded number of instructions, never across a guest run.
 */
#ifndef __SPLITKVM_HYP_SPINLOCK_H__
#define __SPLITKVM_HYP_SPINLOCK_H__

#include <linux/types.h>

static inline void hyp_lock(u32 *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			;
}

static inline void hyp_unlock(u32 *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

#endif /* __SPLITKVM_HYP_SPINLOCK_H__ */
