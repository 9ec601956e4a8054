/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C library EL2 code may use. At EL2 hyp/lib.c implements it (the hyp
 * is linked alone, so a call to anything else fails the link); in the UML
 * KUnit build the kernel's own functions stand in.
 */
#ifndef __SPLITKVM_HYP_LIB_H__
#define __SPLITKVM_HYP_LIB_H__

#include <linux/array_size.h>
#include <linux/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif /* __SPLITKVM_HYP_LIB_H__ */
