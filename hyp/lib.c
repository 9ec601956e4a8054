// SPDX-License-Identifier: GPL-2.0-only
/* memset/memcpy for EL2: the compiler may emit calls to them too. */
#include <hyp/lib.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	const unsigned char *s = src;
	unsigned char *d = dst;

	while (n--)
		*d++ = *s++;
	return dst;
}
