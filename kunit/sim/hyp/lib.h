/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The UML build's stand-in for hyp/include/hyp/lib.h (found first on the
 * include path): the kernel's own string functions.
 */
#ifndef __SPLITKVM_HYP_LIB_H__
#define __SPLITKVM_HYP_LIB_H__

#include <linux/array_size.h>
#include <linux/string.h>

#endif /* __SPLITKVM_HYP_LIB_H__ */
