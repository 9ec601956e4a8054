// SPDX-License-Identifier: GPL-2.0-only
/*
 * sve-check CPU ROUNDS [sm]: a host task that keeps patterns in all of its
 * SVE Z registers (in streaming mode with "sm") on CPU, while the EL2 KUnit
 * suite runs vCPUs that use FP/SIMD on the same CPU. Each round fills the
 * registers, spins without a syscall (a syscall may discard SVE state) so
 * that the scheduler switches to the vCPU thread and back, and checks every
 * byte. Exit status: 0 all intact, 1 a register changed, 2 no SVE (or SME).
 *
 * Freestanding: no libc, raw syscalls, built -static -nostdlib.
 */
#define NR_SCHED_SETAFFINITY	122
#define NR_PRCTL		167
#define NR_EXIT			93
#define PR_SVE_GET_VL		51
#define PR_SME_GET_VL		64
#define SPIN			200000

static long sys3(long nr, long a, long b, long c)
{
	register long x8 asm("x8") = nr;
	register long x0 asm("x0") = a;
	register long x1 asm("x1") = b;
	register long x2 asm("x2") = c;

	asm volatile("svc #0" : "+r" (x0) : "r" (x8), "r" (x1), "r" (x2)
		     : "memory");
	return x0;
}

#define ZREGS "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21," \
	      "22,23,24,25,26,27,28,29,30,31"

/*
 * Fill z0..z31 with byte n - 16, spin, and count the registers changed;
 * in streaming mode (SMSTART/SMSTOP SM by encoding: the compiler need not
 * know SME) if @streaming.
 */
static long check_round(long streaming)
{
	long bad;

	asm volatile("cbz	%2, 1f\n"
		".inst	0xd503437f\n"
		"1:	ptrue	p7.b\n"
		".irp n," ZREGS "\n dup z\\n\\().b, #(\\n - 16)\n .endr\n"
		"mov	x9, %1\n"
		"2:	subs	x9, x9, #1\n"
		"b.ne	2b\n"
		"mov	%0, #0\n"
		".irp n," ZREGS "\n"
		"cmpne	p1.b, p7/z, z\\n\\().b, #(\\n - 16)\n"
		"cinc	%0, %0, ne\n"
		".endr\n"
		"cbz	%2, 3f\n"
		".inst	0xd503427f\n"
		"3:\n"
		: "=&r" (bad) : "r" ((long)SPIN), "r" (streaming)
		: "x9", "p1", "p7", "cc", "memory");
	return bad;
}

static long parse(const char *s)
{
	long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + *s++ - '0';
	return v;
}

static int check(int argc, char **argv)
{
	unsigned long mask;
	long rounds, i;
	int sm;

	if (argc < 3)
		return 2;
	mask = 1UL << parse(argv[1]);
	rounds = parse(argv[2]);
	sm = argc > 3 && argv[3][0] == 's';
	if (sys3(NR_PRCTL, sm ? PR_SME_GET_VL : PR_SVE_GET_VL, 0, 0) < 0)
		return 2;
	if (sys3(NR_SCHED_SETAFFINITY, 0, sizeof(mask), (long)&mask))
		return 3;
	for (i = 0; i < rounds; i++)
		if (check_round(sm))
			return 1;
	return 0;
}

void start_c(long *sp)
{
	sys3(NR_EXIT, check(sp[0], (char **)(sp + 1)), 0, 0);
	for (;;)
		;
}

asm(".globl _start\n_start:\n\tmov x0, sp\n\tb start_c\n");
