// SPDX-License-Identifier: GPL-2.0-only
/*
 * memset/memcpy for EL2: the compiler may emit calls to them too (a
 * zeroed struct on the run path is one). Eight bytes at a time once the
 * destination is aligned; EL2 maps all memory Normal, so unaligned
 * source loads are fine.
 */
#include <hyp/lib.h>

void *memset(void *dst, int c, size_t n)
{
	u64 word = 0x0101010101010101ULL * (u8)c;
	u8 *d = dst;

	for (; n && ((unsigned long)d & 7); n--)
		*d++ = c;
	for (; n >= 8; n -= 8, d += 8)
		*(u64 *)d = word;
	while (n--)
		*d++ = c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	const u8 *s = src;
	u8 *d = dst;

	for (; n && ((unsigned long)d & 7); n--)
		*d++ = *s++;
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(u64 *)d = *(const u64 *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}
