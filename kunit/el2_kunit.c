// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_el2: KUnit suites that need real EL2 (QEMU, or hardware). Tiny
 * guest payloads (tests/guest/payloads.S) run through the host API and the
 * tests check what crosses the world switch, in both directions.
 */
#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/umh.h>
#include <asm/cpufeature.h>
#include <asm/neon.h>
#include <asm/sysreg.h>
#include "../host/guest-id-regs.h"
#include "../host/splitkvm.h"
#include "host_fp.h"
#include "sysreg-probe.h"
#include "../tests/guest/payloads.h"

#define RAM_IPA		0x80000000UL
#define RAM_SIZE	(64 * 1024UL)
#define IPA_BITS	40
#define MMIO_IPA	0x10000000UL

static void vm_destroy_action(void *vm)
{
	splitkvm_vm_destroy(vm);
}

/* A VM with one vCPU about to run @code from the start of RAM. */
static struct splitkvm_vcpu *new_guest(struct kunit *test, const u8 *code,
				       size_t len, unsigned int nr_vcpus)
{
	struct splitkvm_vcpu *vcpu = NULL;
	struct splitkvm_vm *vm;
	unsigned int i;

	vm = splitkvm_vm_create(RAM_IPA, RAM_SIZE, IPA_BITS);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(vm), "vm_create: %ld", PTR_ERR(vm));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
						vm_destroy_action, vm));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_write(vm, RAM_IPA, code, len));
	for (i = 0; i < nr_vcpus; i++) {
		struct splitkvm_vcpu *v = splitkvm_vcpu_create(vm, i);

		KUNIT_ASSERT_FALSE(test, IS_ERR(v));
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(v, SKVM_REG_PC,
							       RAM_IPA));
		/* FP/SIMD on at EL1 (CPACR_EL1.FPEN), as Linux guests do. */
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(v,
				SKVM_REG_SYS + SKVM_CPACR_EL1, 3UL << 20));
		if (!vcpu)
			vcpu = v;
	}
	return vcpu;
}

#define NEW_GUEST(test, name, n) \
	new_guest(test, payload_##name, PAYLOAD_SIZE(name), n)

static u64 get_reg(struct kunit *test, struct splitkvm_vcpu *vcpu, u32 reg)
{
	u64 val = 0;

	KUNIT_EXPECT_EQ(test, 0, splitkvm_vcpu_get_reg(vcpu, reg, &val));
	return val;
}

/* An IRQ may end any run early: the guest resumes where it was. */
static void run_skip_irqs(struct kunit *test, struct splitkvm_vcpu *vcpu)
{
	do {
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_run(vcpu));
	} while (vcpu->exit.kind == SPLITKVM_EXIT_IRQ);
}

static void run_expect_hvc(struct kunit *test, struct splitkvm_vcpu *vcpu,
			   u64 imm)
{
	run_skip_irqs(test, vcpu);
	KUNIT_ASSERT_EQ_MSG(test, SPLITKVM_EXIT_HVC, vcpu->exit.kind,
			    "exit %llu esr %#llx far %#llx ipa %#llx",
			    vcpu->exit.raw.reason, vcpu->exit.raw.esr,
			    vcpu->exit.raw.far, vcpu->exit.raw.ipa);
	KUNIT_ASSERT_EQ(test, imm, vcpu->exit.raw.access);
}

/* (a) GPRs and FP registers reach the guest and come back intact. */
static void el2_gprs_fp(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, gprs_fp, 1);
	u64 x[31], v[64], host_v[64], host_after[64];
	int i;

	get_random_bytes(x, sizeof(x));
	get_random_bytes(v, sizeof(v));
	get_random_bytes(host_v, sizeof(host_v));
	for (i = 0; i < 31; i++)
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, i, x[i]));
	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu,
						SKVM_REG_V + i, v[i]));

	/* The host's own FP state must survive the guest's. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_seal(vcpu->vm));
	/* Sealed: guest memory is the guest's. */
	KUNIT_EXPECT_EQ(test, -EBUSY, splitkvm_vm_write(vcpu->vm, RAM_IPA,
							x, sizeof(u64)));
	kernel_neon_begin();
	kunit_fp_load(host_v);
	KUNIT_ASSERT_EQ(test, 0, __splitkvm_vcpu_run(vcpu));
	kunit_fp_store(host_after);
	kernel_neon_end();
	if (vcpu->exit.kind == SPLITKVM_EXIT_IRQ)
		run_expect_hvc(test, vcpu, 1);
	KUNIT_EXPECT_EQ(test, SPLITKVM_EXIT_HVC, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, 1, vcpu->exit.raw.access);
	KUNIT_EXPECT_EQ(test, 0, memcmp(host_v, host_after, sizeof(host_v)));

	for (i = 0; i < 31; i++)
		KUNIT_EXPECT_EQ_MSG(test, x[i] + 1, get_reg(test, vcpu, i),
				    "x%d", i);
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ_MSG(test, ~v[i],
				    get_reg(test, vcpu, SKVM_REG_V + i),
				    "v%d.%s", i / 2, i & 1 ? "hi" : "lo");
	KUNIT_EXPECT_EQ(test, RAM_IPA + PAYLOAD_SIZE(gprs_fp),
			get_reg(test, vcpu, SKVM_REG_PC));
}

#define DEF_READ(reg)							\
static u64 read_##reg(void)						\
{									\
	return read_sysreg(reg);					\
}
DEF_READ(sctlr_el1) DEF_READ(tcr_el1) DEF_READ(ttbr0_el1)
DEF_READ(ttbr1_el1) DEF_READ(mair_el1) DEF_READ(vbar_el1)
DEF_READ(contextidr_el1) DEF_READ(tpidr_el1) DEF_READ(tpidr_el0)
DEF_READ(tpidrro_el0) DEF_READ(cpacr_el1) DEF_READ(csselr_el1)
DEF_READ(cntkctl_el1) DEF_READ(par_el1) DEF_READ(far_el1)
DEF_READ(esr_el1) DEF_READ(elr_el1) DEF_READ(spsr_el1) DEF_READ(sp_el0)
DEF_READ(cntv_cval_el0) DEF_READ(cntv_ctl_el0) DEF_READ(amair_el1)
DEF_READ(afsr0_el1) DEF_READ(afsr1_el1)

struct sysreg_case {
	const char *name;
	enum skvm_sysreg ctxt_idx;
	u64 guest_val;		/* what the guest writes (in x1, x2, ...) */
	u64 (*read)(void);	/* the host's own value, or NULL (SP_EL1) */
	bool may_be_raz_wi;	/* IMPLEMENTATION DEFINED: QEMU ignores writes */
};

/* In the order of payload sysregs_write/sysregs_read: x1, x2, ... */
static const struct sysreg_case sysreg_cases[] = {
	{ "SCTLR_EL1", SKVM_SCTLR_EL1, 0x30d01804, read_sctlr_el1 },
	{ "TCR_EL1", SKVM_TCR_EL1, 0x00000032b5193519, read_tcr_el1 },
	{ "TTBR0_EL1", SKVM_TTBR0_EL1, 0x12345000, read_ttbr0_el1 },
	{ "TTBR1_EL1", SKVM_TTBR1_EL1, 0x56780000, read_ttbr1_el1 },
	{ "MAIR_EL1", SKVM_MAIR_EL1, 0x44ff04, read_mair_el1 },
	{ "VBAR_EL1", SKVM_VBAR_EL1, RAM_IPA + 0x800, read_vbar_el1 },
	{ "CONTEXTIDR_EL1", SKVM_CONTEXTIDR_EL1, 0x1234, read_contextidr_el1 },
	{ "TPIDR_EL1", SKVM_TPIDR_EL1, 0x1111111111111111, read_tpidr_el1 },
	{ "TPIDR_EL0", SKVM_TPIDR_EL0, 0x2222222222222222, read_tpidr_el0 },
	{ "TPIDRRO_EL0", SKVM_TPIDRRO_EL0, 0x3333333333333333, read_tpidrro_el0 },
	{ "CPACR_EL1", SKVM_CPACR_EL1, 0x300000, read_cpacr_el1 },
	{ "CSSELR_EL1", SKVM_CSSELR_EL1, 2, read_csselr_el1 },
	{ "CNTKCTL_EL1", SKVM_CNTKCTL_EL1, 3, read_cntkctl_el1 },
	{ "PAR_EL1", SKVM_PAR_EL1, 0x12345000, read_par_el1 },
	{ "FAR_EL1", SKVM_FAR_EL1, 0xdead000, read_far_el1 },
	{ "ESR_EL1", SKVM_ESR_EL1, 0x56000000, read_esr_el1 },
	{ "ELR_EL1", SKVM_ELR_EL1, RAM_IPA + 0x1000, read_elr_el1 },
	{ "SPSR_EL1", SKVM_SPSR_EL1, 0x3c5, read_spsr_el1 },
	{ "SP_EL0", SKVM_SP_EL0, RAM_IPA + 0x2000, read_sp_el0 },
	{ "CNTV_CVAL_EL0", SKVM_CNTV_CVAL_EL0, 0x7fffffffffffffff, read_cntv_cval_el0 },
	{ "CNTV_CTL_EL0", SKVM_CNTV_CTL_EL0, 3, read_cntv_ctl_el0 },
	{ "SP_EL1", SKVM_SP_EL1, RAM_IPA + 0x3000, NULL },
	{ "AMAIR_EL1", SKVM_AMAIR_EL1, 0x44, read_amair_el1, true },
	{ "AFSR0_EL1", SKVM_AFSR0_EL1, 0x55, read_afsr0_el1, true },
	{ "AFSR1_EL1", SKVM_AFSR1_EL1, 0x66, read_afsr1_el1, true },
};

#define NR_CASES ARRAY_SIZE(sysreg_cases)

static void read_host(u64 *vals)
{
	unsigned int i;

	for (i = 0; i < NR_CASES; i++)
		vals[i] = sysreg_cases[i].read ? sysreg_cases[i].read() : 0;
}

/* What the guest should find: its value, or 0 where writes are ignored. */
static bool guest_value_ok(const struct sysreg_case *c, u64 val)
{
	return val == c->guest_val || (c->may_be_raz_wi && !val);
}

/* One run with IRQs off, so no exception changes the host's EL1 state. */
static void run_checking_host(struct kunit *test, struct splitkvm_vcpu *vcpu,
			      u64 imm)
{
	u64 before[NR_CASES], after[NR_CASES];
	unsigned long flags;
	unsigned int i;
	int ret;

	kernel_neon_begin();
	local_irq_save(flags);
	read_host(before);
	ret = __splitkvm_vcpu_run(vcpu);
	read_host(after);
	local_irq_restore(flags);
	kernel_neon_end();
	KUNIT_ASSERT_EQ(test, 0, ret);
	for (i = 0; i < NR_CASES; i++)
		KUNIT_EXPECT_EQ_MSG(test, before[i], after[i], "host %s",
				    sysreg_cases[i].name);
	if (vcpu->exit.kind == SPLITKVM_EXIT_IRQ)
		run_expect_hvc(test, vcpu, imm);
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_HVC, vcpu->exit.kind);
	KUNIT_ASSERT_EQ(test, imm, vcpu->exit.raw.access);
}

/*
 * (b) A guest that writes every EL1 register it can leaves the host's
 * untouched, and finds its own values again on its next run.
 */
static void el2_sysregs(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, sysregs_write, 1);
	unsigned int i;

	/* The read-back payload goes right behind, before the first run. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_write(vcpu->vm, RAM_IPA + 0x400,
			payload_sysregs_read, PAYLOAD_SIZE(sysregs_read)));
	for (i = 0; i < NR_CASES; i++)
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, i + 1,
						sysreg_cases[i].guest_val));
	/* Runs below happen with IRQs off: no sleeping on the first one. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_seal(vcpu->vm));
	run_checking_host(test, vcpu, 2);
	for (i = 0; i < NR_CASES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, guest_value_ok(&sysreg_cases[i],
				      get_reg(test, vcpu, SKVM_REG_SYS +
					      sysreg_cases[i].ctxt_idx)),
				      "saved %s", sysreg_cases[i].name);

	/* The host runs, and may schedule, between the two guest runs. */
	msleep(20);
	for (i = 0; i < NR_CASES; i++)
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, i + 1, 0));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC,
						       RAM_IPA + 0x400));
	run_checking_host(test, vcpu, 3);
	for (i = 0; i < NR_CASES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, guest_value_ok(&sysreg_cases[i],
				      get_reg(test, vcpu, i + 1)),
				      "guest %s", sysreg_cases[i].name);
}

/* (c) Data aborts outside RAM come out as decoded MMIO accesses. */
static void free_block_action(void *page)
{
	__free_pages(page, PMD_SHIFT - PAGE_SHIFT);
}

static void free_page_action(void *page)
{
	__free_page(page);
}

/*
 * A 2 MiB stage-2 block at real EL2: the mmio payload's accesses 1 MiB
 * into it need no exit, before or after its access flag is cleared; an
 * unmap of one page of it takes it all away from the guest (its next
 * fetch faults), on this CPU's TLB too.
 */
static void el2_block(struct kunit *test)
{
	struct page *block = alloc_pages(GFP_KERNEL | __GFP_ZERO,
					 PMD_SHIFT - PAGE_SHIFT);
	struct page *spare = alloc_page(GFP_KERNEL);
	struct splitkvm_vcpu *vcpu;
	struct splitkvm_vm *vm;
	u8 *mem;

	KUNIT_ASSERT_NOT_NULL(test, block);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
						free_block_action, block));
	KUNIT_ASSERT_NOT_NULL(test, spare);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
						free_page_action, spare));
	vm = splitkvm_vm_create_empty(IPA_BITS, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	/* Registered after the free: the VM goes first. */
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
						vm_destroy_action, vm));
	mem = page_address(block);
	memcpy(mem, payload_mmio, PAYLOAD_SIZE(mmio));
	*(u16 *)(mem + SZ_1M + 6) = 0xbeef;
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_map_block(vm, RAM_IPA, block,
						       true));
	/* Its pages are the guest's; no page maps over it. */
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_vm_map(vm, RAM_IPA + 2 * SZ_1M,
						      block + 1, true));
	KUNIT_EXPECT_EQ(test, -EEXIST, splitkvm_vm_map(vm, RAM_IPA + SZ_1M,
						       spare, true));
	vcpu = splitkvm_vcpu_create(vm, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vcpu));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC,
						       RAM_IPA));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 1, 0x12345678));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 2,
						       RAM_IPA + SZ_1M));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 4,
						       0x0123456789abcdef));
	run_expect_hvc(test, vcpu, 4);
	KUNIT_EXPECT_EQ(test, 0x12345678, *(u32 *)(mem + SZ_1M));
	KUNIT_EXPECT_EQ(test, 0xbeef, get_reg(test, vcpu, 3));
	KUNIT_EXPECT_EQ(test, 0x0123456789abcdef, *(u64 *)(mem + SZ_1M + 8));

	/*
	 * Aged: unused after a clear, used again after the guest's next
	 * access, whose access flag fault EL2 answers (no exit to here).
	 */
	KUNIT_EXPECT_EQ(test, 1, splitkvm_vm_age(vm, RAM_IPA + SZ_1M, true));
	KUNIT_EXPECT_EQ(test, 0, splitkvm_vm_age(vm, RAM_IPA, false));
	/* A TLB entry may outlive the clear: this invalidates them all. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_protect(vm, RAM_IPA, true));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC,
						       RAM_IPA));
	run_expect_hvc(test, vcpu, 4);
	KUNIT_EXPECT_EQ(test, 1, splitkvm_vm_age(vm, RAM_IPA, false));

	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_unmap(vm, RAM_IPA + 0x5000));
	KUNIT_EXPECT_EQ(test, -ENOENT, splitkvm_vm_unmap(vm, RAM_IPA));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC,
						       RAM_IPA));
	run_skip_irqs(test, vcpu);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IABT, vcpu->exit.raw.reason);
	KUNIT_EXPECT_EQ(test, RAM_IPA, vcpu->exit.raw.ipa);
}

static void el2_mmio(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, mmio, 1);
	struct splitkvm_mmio *m = &vcpu->exit.mmio;

	splitkvm_vcpu_set_reg(vcpu, 1, 0xfeedface12345678);
	splitkvm_vcpu_set_reg(vcpu, 2, MMIO_IPA);
	splitkvm_vcpu_set_reg(vcpu, 4, 0x0123456789abcdef);

	run_skip_irqs(test, vcpu);		/* str w1, [x2] */
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_MMIO, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, MMIO_IPA, m->ipa);
	KUNIT_EXPECT_EQ(test, 4, m->size);
	KUNIT_EXPECT_TRUE(test, m->is_write);
	KUNIT_EXPECT_EQ(test, 1, m->reg);
	KUNIT_EXPECT_FALSE(test, m->reg_is_64bit);
	KUNIT_EXPECT_EQ(test, 0x12345678, m->data & 0xffffffff);

	run_skip_irqs(test, vcpu);		/* ldrh w3, [x2, #6] */
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_MMIO, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, MMIO_IPA + 6, m->ipa);
	KUNIT_EXPECT_EQ(test, 2, m->size);
	KUNIT_EXPECT_FALSE(test, m->is_write);
	KUNIT_EXPECT_EQ(test, 3, m->reg);
	/* Complete the read: the value lands in w3 before the next run. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 3, 0xbeef));

	run_skip_irqs(test, vcpu);		/* str x4, [x2, #8] */
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_MMIO, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, MMIO_IPA + 8, m->ipa);
	KUNIT_EXPECT_EQ(test, 8, m->size);
	KUNIT_EXPECT_TRUE(test, m->is_write);
	KUNIT_EXPECT_EQ(test, 4, m->reg);
	KUNIT_EXPECT_TRUE(test, m->reg_is_64bit);
	KUNIT_EXPECT_EQ(test, 0x0123456789abcdef, m->data);

	run_expect_hvc(test, vcpu, 4);
	KUNIT_EXPECT_EQ(test, 0xbeef, get_reg(test, vcpu, 3));
	KUNIT_EXPECT_EQ(test, RAM_IPA + PAYLOAD_SIZE(mmio),
			get_reg(test, vcpu, SKVM_REG_PC));
}

/* WFI, a trapped system register and SMC come out decoded, PC past them. */
static void el2_traps(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, traps, 1);
	u64 iss;

	run_skip_irqs(test, vcpu);
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_WFX, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, 0, vcpu->exit.raw.access);	/* WFI */
	KUNIT_EXPECT_EQ(test, RAM_IPA + 4, get_reg(test, vcpu, SKVM_REG_PC));

	run_skip_irqs(test, vcpu);
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_SYSREG, vcpu->exit.kind);
	iss = vcpu->exit.raw.access;
	/* CNTP_CTL_EL0 is op0 3, op1 3, CRn 14, CRm 2, op2 1; a read into x5. */
	KUNIT_EXPECT_EQ(test, 1, iss & 1);
	KUNIT_EXPECT_EQ(test, 5, (iss >> 5) & 0x1f);
	KUNIT_EXPECT_EQ(test, 3, (iss >> 20) & 3);
	KUNIT_EXPECT_EQ(test, 3, (iss >> 14) & 7);
	KUNIT_EXPECT_EQ(test, 14, (iss >> 10) & 0xf);
	KUNIT_EXPECT_EQ(test, 2, (iss >> 1) & 0xf);
	KUNIT_EXPECT_EQ(test, 1, (iss >> 17) & 7);
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 5, 0x1234));

	run_skip_irqs(test, vcpu);
	KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_SMC, vcpu->exit.kind);
	KUNIT_EXPECT_EQ(test, 0x42, vcpu->exit.raw.access);

	run_expect_hvc(test, vcpu, 8);
	KUNIT_EXPECT_EQ(test, 0x1234, get_reg(test, vcpu, 5));
	KUNIT_EXPECT_EQ(test, RAM_IPA + PAYLOAD_SIZE(traps),
			get_reg(test, vcpu, SKVM_REG_PC));
}

/*
 * The vGIC's list registers at real EL2: the guest acknowledges the
 * interrupt the host put in one, completes it, and finds no other; EL2
 * hands back the list register empty. A reserved INTID, or one past the
 * count the host gave, never reaches the guest.
 */
static void el2_vgic(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, vgic, 1);
	struct skvm_vgic_if *gif;
	u64 vtr = 0;
	int ret;

	ret = splitkvm_vcpu_share_gic(vcpu, &vtr);
	if (ret == -ENODEV)
		kunit_skip(test, "no GICv3 system register interface");
	KUNIT_ASSERT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, -EEXIST, splitkvm_vcpu_share_gic(vcpu, &vtr));
	KUNIT_EXPECT_GE(test, SKVM_ICH_VTR_NR_LR(vtr), 2);
	gif = vcpu->gic;
	gif->vmcr = 0xffULL << 24 | 2;		/* VPMR, VENG1 */
	gif->lr[0] = 1021 | SKVM_ICH_LR_GROUP | SKVM_ICH_LR_PENDING;
	gif->lr[1] = 40 | SKVM_ICH_LR_GROUP | SKVM_ICH_LR_PENDING |
		     0x80ULL << SKVM_ICH_LR_PRIO_SHIFT;
	gif->lr[2] = 41 | SKVM_ICH_LR_GROUP | SKVM_ICH_LR_PENDING;
	gif->nr_lr = 2;
	run_expect_hvc(test, vcpu, 11);
	KUNIT_EXPECT_EQ(test, 40, get_reg(test, vcpu, 1));
	KUNIT_EXPECT_EQ(test, 1023, get_reg(test, vcpu, 2));
	KUNIT_EXPECT_EQ(test, 0, gif->lr[0]);
	KUNIT_EXPECT_EQ(test, 40 | SKVM_ICH_LR_GROUP |
			0x80ULL << SKVM_ICH_LR_PRIO_SHIFT, gif->lr[1]);
	KUNIT_EXPECT_EQ(test, 41 | SKVM_ICH_LR_GROUP | SKVM_ICH_LR_PENDING,
			gif->lr[2]);
	KUNIT_EXPECT_EQ(test, 2, gif->vmcr & 3);
	KUNIT_EXPECT_EQ(test, 0, gif->ap1r[0]);
}

/*
 * (d) The host's timer interrupt ends a guest busy loop, and the host keeps
 * time: jiffies advance while the guest spins.
 */
static void el2_timer_irq(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, spin, 1);
	unsigned long start = jiffies;
	unsigned int irqs = 0;

	while (time_before(jiffies, start + 10) && irqs < 100000) {
		KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_run(vcpu));
		KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_IRQ, vcpu->exit.kind);
		irqs++;
	}
	KUNIT_EXPECT_TRUE_MSG(test, time_after_eq(jiffies, start + 10),
			      "jiffies stuck at %lu after %u IRQ exits",
			      jiffies - start, irqs);
	KUNIT_EXPECT_EQ(test, RAM_IPA, get_reg(test, vcpu, SKVM_REG_PC));
}

struct cpu_runner {
	struct kunit *test;
	struct splitkvm_vcpu *vcpu;
	unsigned int runs;
	int err;
	unsigned int bad_exits;
	struct completion done;
};

static int cpu_runner_fn(void *data)
{
	struct cpu_runner *r = data;
	unsigned int i;

	for (i = 0; i < r->runs && !r->err; ) {
		r->err = splitkvm_vcpu_run(r->vcpu);
		if (r->err)
			break;
		if (r->vcpu->exit.kind == SPLITKVM_EXIT_HVC)
			i++;
		else if (r->vcpu->exit.kind != SPLITKVM_EXIT_IRQ)
			r->bad_exits++;
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/* (e) Two vCPUs of one VM run on two CPUs at once. */
static void el2_two_cpus(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, count, 2);
	struct cpu_runner r[2];
	struct task_struct *t;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	for (i = 0; i < 2; i++) {
		r[i] = (struct cpu_runner){ .test = test, .runs = 500,
			.vcpu = vcpu->vm->vcpus[i] };
		init_completion(&r[i].done);
		t = kthread_create(cpu_runner_fn, &r[i], "splitkvm-run/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		kthread_bind(t, cpumask_nth(i, cpu_online_mask));
		wake_up_process(t);
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&r[i].done);
		KUNIT_EXPECT_EQ(test, 0, r[i].err);
		KUNIT_EXPECT_EQ(test, 0, r[i].bad_exits);
		KUNIT_EXPECT_EQ(test, 500, get_reg(test, r[i].vcpu, 0));
	}
}

/* A run of this vCPU still works: x0 counts the HVCs it made. */
static void expect_still_runs(struct kunit *test, struct splitkvm_vcpu *vcpu)
{
	u64 x0 = get_reg(test, vcpu, 0);

	run_expect_hvc(test, vcpu, 5);
	KUNIT_EXPECT_EQ(test, x0 + 1, get_reg(test, vcpu, 0));
}

/* (f) Garbage on every host -> hyp call is refused and changes nothing. */
/* VM_CREATE with its five arguments (no flags). */
static int vm_create_call(u64 pa, u64 pages, u64 ipa_bits, u64 nr_vcpus)
{
	const u64 args[5] = { pa, pages, ipa_bits, 0, nr_vcpus };

	return splitkvm_hcall_args(SKVM_HC_VM_CREATE, args, NULL);
}

static void el2_garbage_hcalls(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, count, 1);
	u64 vmid = vcpu->vm->vmid, pool = page_to_phys(vcpu->vm->pool);
	u64 ram = page_to_phys(vcpu->vm->pages[0]);
	static const u64 bad_ids[] = { 0, 8, 16, 255, 1UL << 32, ~0UL };
	u64 args[8] = { 0 }, res[8];
	unsigned int i;

	run_expect_hvc(test, vcpu, 5);

	/* Unknown function IDs, and stub calls that may not replace us. */
	for (i = 0; i < 3; i++) {
		static const u64 ids[] = { SKVM_HC_ID(SKVM_HC_NR),
					   SKVM_HC_ID(0xffff), 0x84000000 };

		args[0] = ids[i];
		splitkvm_hvc_raw(args, res);
		KUNIT_EXPECT_EQ(test, (u64)SKVM_SMCCC_NOT_SUPPORTED, res[0]);
	}
	args[0] = SKVM_STUB_SET_VECTORS;
	args[1] = 0;
	splitkvm_hvc_raw(args, res);
	KUNIT_EXPECT_EQ(test, SKVM_STUB_ERR, res[0]);
	args[0] = SKVM_STUB_FINALISE_EL2;
	splitkvm_hvc_raw(args, res);
	KUNIT_EXPECT_EQ(test, SKVM_STUB_ERR, res[0]);

	/* Bad VM and vCPU ids everywhere. */
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++) {
		u64 id = bad_ids[i];

		KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VM_DESTROY,
							      id, 0, 0, 0, NULL));
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_VCPU_CREATE, id, 0,
						     0, 0, NULL), 0);
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_VCPU_RUN, id, 0, 0,
						     0, NULL), 0);
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_VCPU_RUN, vmid,
						     id ? id : 1, 0, 0, NULL), 0);
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_VCPU_GET_REG, vmid,
						     id ? id : 1, 0, 0, NULL), 0);
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_VCPU_SET_REG, id, 0,
						     0, 0, NULL), 0);
		KUNIT_EXPECT_LT(test, splitkvm_hcall(SKVM_HC_STAGE2_MAP, id,
						     0, ram, 0, NULL), 0);
	}
	/* Bad register ids; the guest may never be entered at EL2. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_GET_REG,
			vmid, 0, SKVM_REG_NR, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_SET_REG,
			vmid, 0, 33, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_vcpu_set_reg(vcpu,
			SKVM_REG_PSTATE, 0x3c9));	/* EL2h */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_vcpu_set_reg(vcpu,
			SKVM_REG_PSTATE, 0x3d5));	/* AArch32 */
	KUNIT_EXPECT_EQ(test, 0x3c5, get_reg(test, vcpu, SKVM_REG_PSTATE) &
			0x3df);

	/* Memory that is not the host's to give, or not there at all. */
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_hcall(SKVM_HC_STAGE2_MAP, vmid,
			RAM_IPA + RAM_SIZE, pool, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_hcall(SKVM_HC_STAGE2_MAP, vmid,
			RAM_IPA + RAM_SIZE, ram, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_hcall(SKVM_HC_STAGE2_MAP, vmid,
			RAM_IPA + RAM_SIZE, 0, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_STAGE2_MAP, vmid,
			RAM_IPA + 1, ram, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_STAGE2_MAP, vmid,
			1UL << IPA_BITS, ram, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EPERM, vm_create_call(pool, 2, IPA_BITS, 8));
	KUNIT_EXPECT_EQ(test, -EPERM, vm_create_call(0, 2, IPA_BITS, 8));
	for (i = 0; i < 4; i++) {
		static const u64 bits[] = { 0, 31, 49, ~0UL };

		KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram, 2, bits[i], 8));
	}
	KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram, 0, IPA_BITS, 8));
	KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram, 1, IPA_BITS, 8));
	KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram + 8, 2, IPA_BITS, 8));
	KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram, 2, IPA_BITS, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, vm_create_call(ram, 2, IPA_BITS,
						      SKVM_MAX_VCPUS + 1));
	KUNIT_EXPECT_EQ(test, -EEXIST, splitkvm_hcall(SKVM_HC_VCPU_CREATE,
			vmid, 0, ram, 1, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_CREATE,
			vmid, SKVM_MAX_VCPUS, ram, 1, NULL));
	/* A vCPU in pages that are not the host's: the pool's, the guest's. */
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_hcall(SKVM_HC_VCPU_CREATE,
			vmid, 5, pool, 1, NULL));
	KUNIT_EXPECT_EQ(test, -EPERM, splitkvm_hcall(SKVM_HC_VCPU_CREATE,
			vmid, 5, ram, 1, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_CREATE,
			vmid, 5, ram, 0, NULL));
	/* Stepping over an HVC (not an emulated access), unknown run flags. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_RUN, vmid, 0,
			SKVM_RUN_SKIP_INSN, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VCPU_RUN, vmid, 0,
			1UL << 5, 0, NULL));
	/* Only a destroyed VM is reclaimed. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_hcall(SKVM_HC_VM_RECLAIM, vmid,
			0, 0, 0, NULL));

	/* EL2 and the guest came through all of it. */
	args[0] = SKVM_HC_ID(SKVM_HC_PING);
	args[1] = 0x1234;
	splitkvm_hvc_raw(args, res);
	KUNIT_EXPECT_EQ(test, 0, res[0]);
	KUNIT_EXPECT_EQ(test, ~0x1234UL, res[1]);
	expect_still_runs(test, vcpu);
}

/*
 * ID registers: EL2 answers reads itself, with no exit to the host, with
 * the host's values less the features guests do not get.
 */
static void el2_id_regs(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, id_regs, 1);
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	u64 isar1 = read_sanitised_ftr_reg(SYS_ID_AA64ISAR1_EL1);
	u64 dfr0 = read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1);
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);
	u64 hidden;

	/* Any exit but an IRQ before the HVC would be a trap left to the host. */
	run_expect_hvc(test, vcpu, 7);

	/* EL0 and EL1 AArch64 only; no EL2, SVE, AMU, MPAM, RAS, GIC. */
	hidden = ID_AA64PFR0_EL1_GIC_MASK |
		 ID_AA64PFR0_EL1_EL2_MASK | ID_AA64PFR0_EL1_SVE_MASK |
		 ID_AA64PFR0_EL1_AMU_MASK | ID_AA64PFR0_EL1_MPAM_MASK |
		 ID_AA64PFR0_EL1_RAS_MASK | ID_AA64PFR0_EL1_EL0_MASK |
		 ID_AA64PFR0_EL1_EL1_MASK;
	KUNIT_EXPECT_EQ(test, (pfr0 & ~hidden) | 0x11, get_reg(test, vcpu, 1));
	hidden = ID_AA64ISAR1_EL1_APA_MASK | ID_AA64ISAR1_EL1_API_MASK |
		 ID_AA64ISAR1_EL1_GPA_MASK | ID_AA64ISAR1_EL1_GPI_MASK;
	KUNIT_EXPECT_EQ(test, isar1 & ~hidden, get_reg(test, vcpu, 3));
	KUNIT_EXPECT_EQ(test, 0, get_reg(test, vcpu, 4) &
			ID_AA64DFR0_EL1_PMUVer_MASK);
	KUNIT_EXPECT_EQ(test, dfr0 & ID_AA64DFR0_EL1_DebugVer_MASK,
			get_reg(test, vcpu, 4) & ID_AA64DFR0_EL1_DebugVer_MASK);
	KUNIT_EXPECT_EQ(test, mmfr1 & ~(ID_AA64MMFR1_EL1_VH_MASK |
					ID_AA64MMFR1_EL1_LO_MASK),
			get_reg(test, vcpu, 5));
	KUNIT_EXPECT_EQ(test, 0, get_reg(test, vcpu, 6));
	KUNIT_EXPECT_EQ(test, 0, get_reg(test, vcpu, 7));
	KUNIT_EXPECT_EQ(test, 0, get_reg(test, vcpu, 2) &
			(ID_AA64PFR1_EL1_MTE_MASK | ID_AA64PFR1_EL1_SME_MASK));
}

/* A limit with field @mask of @reg set to @v, the rest as in @base. */
static u64 with_field(u64 base, u64 mask, u64 v)
{
	return (base & ~mask) | ((v << __ffs(mask)) & mask);
}

/*
 * What a VMM may write to an ID register (KVM's rules, on the kernel's
 * own field table): lesser features by each field's type, nothing else.
 */
static void el2_id_reg_rules(struct kunit *test)
{
	const u64 aes = ID_AA64ISAR0_EL1_AES_MASK, fp = ID_AA64PFR0_EL1_FP_MASK;
	const u64 sei = ID_AA64MMFR1_EL1_SpecSEI_MASK;
	const u64 dbg = ID_AA64DFR0_EL1_DebugVer_MASK;
	const u64 imin = CTR_EL0_IminLine_MASK, cwg = CTR_EL0_CWG_MASK;
	u64 lim;

	/* Unsigned, lower is safe: AES 2 may become 1 or 0, not 3. */
	lim = with_field(0, aes, 2);
	KUNIT_EXPECT_EQ(test, 0, splitkvm_id_reg_check(SYS_ID_AA64ISAR0_EL1,
			with_field(lim, aes, 1), lim));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			SYS_ID_AA64ISAR0_EL1, with_field(lim, aes, 3), lim));
	/* RES0 bits are no field: they must stay. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			SYS_ID_AA64ISAR0_EL1, lim | 1, lim));
	/* Signed: FP 1 may become 0xf (-1, none), not 2. */
	lim = with_field(0, fp, 1);
	KUNIT_EXPECT_EQ(test, 0, splitkvm_id_reg_check(SYS_ID_AA64PFR0_EL1,
			with_field(lim, fp, 0xf), lim));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			SYS_ID_AA64PFR0_EL1, with_field(lim, fp, 2), lim));
	/* Higher is safe: SpecSEI 0 may become 1; 1 may not become 0. */
	KUNIT_EXPECT_EQ(test, 0, splitkvm_id_reg_check(SYS_ID_AA64MMFR1_EL1,
			with_field(0, sei, 1), 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			SYS_ID_AA64MMFR1_EL1, 0, with_field(0, sei, 1)));
	/* DebugVer: exact for the kernel, lower is safe under KVM. */
	lim = with_field(0, dbg, 9);
	KUNIT_EXPECT_EQ(test, 0, splitkvm_id_reg_check(SYS_ID_AA64DFR0_EL1,
			with_field(lim, dbg, 8), lim));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			SYS_ID_AA64DFR0_EL1, with_field(lim, dbg, 10), lim));
	/* CTR_EL0: line sizes and coherence may be lesser; CWG is fixed. */
	lim = with_field(with_field(0, imin, 4), cwg, 4);
	KUNIT_EXPECT_EQ(test, 0, splitkvm_id_reg_check(SYS_CTR_EL0,
			with_field(lim, imin, 3), lim));
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(SYS_CTR_EL0,
			with_field(lim, cwg, 5), lim));
	KUNIT_EXPECT_EQ(test, CTR_EL0_DIC_MASK | CTR_EL0_IDC_MASK |
			CTR_EL0_DminLine_MASK | CTR_EL0_IminLine_MASK,
			splitkvm_id_reg_writable(SYS_CTR_EL0));
	/* An encoding with no table: only its limit. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_id_reg_check(
			sys_reg(3, 0, 0, 5, 2), 1, 0));
}

/*
 * The generated system register probe (kunit/sysreg-probe.h). Each run
 * is a fresh VM; trapped accesses come out as sysreg exits, which the
 * host steps over, as it would for a register it does not emulate.
 */
#define PROBE_RESULTS	0x8000		/* where the guest writes, in RAM */
#define PROBE_DONE	9		/* HVC #9 ends the payload */
#define ISS_ENC(iss)	((((iss) >> 20) & 3) << 19 | (((iss) >> 14) & 7) << 16 | \
			 (((iss) >> 10) & 15) << 12 | (((iss) >> 1) & 15) << 8 | \
			 (((iss) >> 17) & 7) << 5)

/*
 * @host_val: the host's values before the first run, @host_now: after the
 * one that changed them, @host_changed: whether any run did (NULL: the host
 * is not read). Each run is checked alone, with IRQs off around it, so
 * that only the guest could have changed them.
 */
struct probe_run {
	struct sysreg_probe_result *res;
	bool *trapped;
	u64 *host_val, *host_now, *host_tmp;
	bool *host_changed;
	const bool *host_reads;
	unsigned int unknown_traps;
};

static int probe_index(u32 enc)
{
	unsigned int i;

	for (i = 0; i < sysreg_probe_nr; i++)
		if (sysreg_probe_regs[i].enc == enc)
			return i;
	return -1;
}

static void probe_read_host(const struct probe_run *r, u64 *vals)
{
	unsigned int i;

	for (i = 0; i < sysreg_probe_nr; i++)
		if (r->host_reads[i])
			vals[i] = sysreg_probe_read(i);
}

/* One run, IRQs off, recording every host register it changed. */
static int probe_run_once(struct probe_run *r, struct splitkvm_vcpu *vcpu,
			  bool first)
{
	unsigned long flags;
	unsigned int i;
	int ret;

	local_irq_save(flags);
	if (r->host_changed)
		probe_read_host(r, first ? r->host_val : r->host_tmp);
	if (r->host_changed && first)
		memcpy(r->host_tmp, r->host_val,
		       sysreg_probe_nr * sizeof(u64));
	ret = __splitkvm_vcpu_run(vcpu);
	if (r->host_changed) {
		probe_read_host(r, r->host_now);
		for (i = 0; i < sysreg_probe_nr; i++) {
			if (!r->host_reads[i] ||
			    r->host_now[i] == r->host_tmp[i])
				continue;
			if (!r->host_changed[i])
				r->host_val[i] = r->host_tmp[i];
			r->host_changed[i] = true;
		}
	}
	local_irq_restore(flags);
	return ret;
}

/* The results the guest wrote with its MMU off: past any stale line. */
static void probe_copy_results(struct splitkvm_vm *vm,
			       struct sysreg_probe_result *res)
{
	size_t len = sysreg_probe_nr * sizeof(*res), off = 0;

	while (off < len) {
		size_t chunk = min_t(size_t, len - off, PAGE_SIZE);
		void *va = page_address(vm->pages[(PROBE_RESULTS + off) >>
						  PAGE_SHIFT]);

		splitkvm_clean_poc(va, PAGE_SIZE);
		memcpy((u8 *)res + off, va, chunk);
		off += chunk;
	}
}

/* One probe in a new VM, with the guest writing @pattern-based values. */
static void probe_in_new_vm(struct kunit *test, u64 pattern,
			    struct probe_run *r)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, sysreg_probe, 1);
	unsigned int n;
	int ret = 0, idx;

	KUNIT_ASSERT_LE(test, (size_t)PAYLOAD_SIZE(sysreg_probe),
			(size_t)PROBE_RESULTS);
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 0,
				RAM_IPA + PROBE_RESULTS));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 1, pattern));
	/* Its own CPACR_EL1 (no FP needed), not one the host has too. */
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu,
				SKVM_REG_SYS + SKVM_CPACR_EL1, 0));
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_seal(vcpu->vm));
	memset(r->trapped, 0, sysreg_probe_nr * sizeof(bool));
	/* No task switch may change the host's EL1 state in between. */
	kernel_neon_begin();
	for (n = 0; n < 100000; n++) {
		ret = probe_run_once(r, vcpu, !n);
		if (ret || vcpu->exit.kind == SPLITKVM_EXIT_HVC)
			break;
		if (vcpu->exit.kind == SPLITKVM_EXIT_IRQ)
			continue;
		if (vcpu->exit.kind == SPLITKVM_EXIT_SYSREG) {
			idx = probe_index(ISS_ENC(vcpu->exit.raw.access));
			if (idx < 0)
				r->unknown_traps++;
			else
				r->trapped[idx] = true;
			continue;
		}
		/*
		 * Any other trap (SME, SVE: CPTR_EL2) is the access of the
		 * register the probe is at (x27); step over it.
		 */
		if (vcpu->exit.kind != SPLITKVM_EXIT_OTHER ||
		    !(vcpu->exit.raw.esr >> 26))
			break;
		idx = get_reg(test, vcpu, 27);
		if (idx >= sysreg_probe_nr)
			break;
		r->trapped[idx] = true;
		ret = splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC,
					    get_reg(test, vcpu, SKVM_REG_PC) + 4);
		if (ret)
			break;
	}
	kernel_neon_end();
	KUNIT_ASSERT_EQ(test, 0, ret);
	KUNIT_ASSERT_EQ_MSG(test, SPLITKVM_EXIT_HVC, vcpu->exit.kind,
			    "exit %llu esr %#llx", vcpu->exit.raw.reason,
			    vcpu->exit.raw.esr);
	KUNIT_ASSERT_EQ(test, PROBE_DONE, vcpu->exit.raw.access);
	KUNIT_EXPECT_EQ(test, 0, r->unknown_traps);
	probe_copy_results(vcpu->vm, r->res);
}

/*
 * What the world switch carries (include/splitkvm/ctxt.h), and the debug
 * registers EL2 switches on demand or keeps per vCPU (hyp/debug.c), by
 * name.
 */
static bool probe_switched(const char *name)
{
	static const char *const debug[] = {
		"DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR", "MDCCINT_EL1",
	};
	static const char *const names[] = {
		"CSSELR_EL1", "SCTLR_EL1", "CPACR_EL1", "TTBR0_EL1",
		"TTBR1_EL1", "TCR_EL1", "AFSR0_EL1", "AFSR1_EL1", "MAIR_EL1",
		"CONTEXTIDR_EL1", "AMAIR_EL1", "CNTKCTL_EL1", "PAR_EL1",
		"TPIDR_EL1", "TPIDR_EL0", "TPIDRRO_EL0", "CNTV_CTL_EL0",
		"CNTV_CVAL_EL0", "TPIDR2_EL0", "DISR_EL1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(debug); i++)
		if (!strncmp(name, debug[i], strlen(debug[i])))
			return true;
	return false;
}

/*
 * Every EL0/EL1 system register of the kernel's tables, as a guest that
 * ignores the ID registers would use it: absent (UNDEF), trapped (the
 * host or EL2 sees the access), read-only, or switched. A register the
 * guest can change must not change for the host, must not show the host's
 * value to the guest, and must not show the guest's value to the next VM.
 * The probe also writes ELR/SPSR/ESR/FAR_EL1 through its own exceptions;
 * those and the registers it must not overwrite are el2_sysregs' cases.
 */
static void el2_sysreg_probe(struct kunit *test)
{
	unsigned int nr = sysreg_probe_nr, i, counts[4] = { 0 };
	static const char *const class[] = {
		"absent", "trapped", "read-only", "switched",
	};
	struct sysreg_probe_result *a, *b;
	struct probe_run r = { 0 };
	u64 *hb, *ha, *tmp;
	bool *reads, *changed;

	a = kunit_kcalloc(test, nr, sizeof(*a), GFP_KERNEL);
	b = kunit_kcalloc(test, nr, sizeof(*b), GFP_KERNEL);
	hb = kunit_kcalloc(test, nr, sizeof(*hb), GFP_KERNEL);
	ha = kunit_kcalloc(test, nr, sizeof(*ha), GFP_KERNEL);
	tmp = kunit_kcalloc(test, nr, sizeof(*tmp), GFP_KERNEL);
	reads = kunit_kcalloc(test, nr, sizeof(*reads), GFP_KERNEL);
	changed = kunit_kcalloc(test, nr, sizeof(*changed), GFP_KERNEL);
	r.trapped = kunit_kcalloc(test, nr, sizeof(bool), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, a && b && hb && ha && tmp && reads &&
			  changed && r.trapped);

	/*
	 * A first probe finds what the guest reads without a trap: only
	 * those exist for certain, so only those are read on the host.
	 */
	r.res = a;
	probe_in_new_vm(test, 0x5a5a5a5a5a5a5a5aULL, &r);
	for (i = 0; i < nr; i++)
		reads[i] = !(a[i].flags & 1) && !r.trapped[i];
	r.host_reads = reads;
	r.host_val = hb;
	r.host_now = ha;
	r.host_tmp = tmp;
	r.host_changed = changed;
	probe_in_new_vm(test, 0xc3a5c3a5f00ff00fULL, &r);
	r.res = b;
	r.host_changed = NULL;
	probe_in_new_vm(test, 0x0123456789abcdefULL, &r);
	r.res = a;	/* the trap list is the last probe's */

	for (i = 0; i < nr; i++) {
		const struct sysreg_probe_reg *reg = &sysreg_probe_regs[i];
		bool writable = !(a[i].flags & 2) && a[i].after != a[i].before;
		unsigned int c;

		if (a[i].flags & 1)
			c = 0;
		else if (!reads[i] || r.trapped[i])
			c = 1;
		else if (writable)
			c = 3;
		else
			c = 2;
		counts[c]++;
		kunit_info(test, "%-20s %s%s\n", reg->name, class[c],
			   c == 3 && !probe_switched(reg->name) ?
			   " (not in the world switch!)" : "");
		if (c < 2 || (reg->flags & PROBE_VOLATILE))
			continue;
		KUNIT_EXPECT_FALSE_MSG(test, changed[i],
				       "%s: the guest's write reached the host (%#llx -> %#llx)",
				       reg->name, hb[i], ha[i]);
		if (c != 3)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, probe_switched(reg->name),
				      "%s: writable but not switched",
				      reg->name);
		KUNIT_EXPECT_NE_MSG(test, b[i].before, a[i].after,
				    "%s: the next VM saw the last one's value",
				    reg->name);
		if (hb[i])
			KUNIT_EXPECT_NE_MSG(test, a[i].before, hb[i],
					    "%s: the guest saw the host's value",
					    reg->name);
	}
	kunit_info(test, "%u registers: %u absent, %u trapped, %u read-only, %u switched\n",
		   nr, counts[0], counts[1], counts[2], counts[3]);
}

/*
 * A guest that ignores ID_AA64PFR0 and drops to AArch32 EL0 gets a clean
 * "not supported" exit, with its state left as it was, every time.
 */
static void el2_aarch32_el0(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, aarch32, 1);
	u64 pc;
	int i;

	KUNIT_ASSERT_EQ(test, 0, splitkvm_vcpu_set_reg(vcpu, 1, MMIO_IPA));
	for (i = 0; i < 2; i++) {
		run_skip_irqs(test, vcpu);
		KUNIT_ASSERT_EQ(test, SPLITKVM_EXIT_OTHER, vcpu->exit.kind);
		KUNIT_ASSERT_EQ(test, SKVM_EXIT_AARCH32, vcpu->exit.raw.reason);
		pc = get_reg(test, vcpu, SKVM_REG_PC);
		KUNIT_EXPECT_EQ(test, RAM_IPA + 20, pc);
		KUNIT_EXPECT_EQ(test, 0x10, get_reg(test, vcpu,
						    SKVM_REG_PSTATE) & 0x1f);
	}
	/* The host may not put it there itself. */
	KUNIT_EXPECT_EQ(test, -EINVAL, splitkvm_vcpu_set_reg(vcpu,
			SKVM_REG_PSTATE, 0x10));
}

/* The host task scripts/check.sh puts in the initramfs (tests/user/). */
#define SVE_CHECK	"/lib/splitkvm/sve-check"

struct fp_runner {
	struct splitkvm_vcpu *vcpu;
	atomic_t stop;
	unsigned long runs;
	int err;
	struct completion done;
};

static int fp_runner_fn(void *data)
{
	struct fp_runner *r = data;

	while (!atomic_read(&r->stop) && !r->err) {
		r->err = splitkvm_vcpu_run(r->vcpu);
		if (!r->err && r->vcpu->exit.kind == SPLITKVM_EXIT_HVC)
			r->runs++;
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * A host task's SVE state (in streaming mode with @mode "sm"), on the CPU
 * where a vCPU that uses FP/SIMD runs thousands of times, is intact.
 */
static void host_fp_survives(struct kunit *test, char *mode)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, fp_loop, 1);
	unsigned int cpu = cpumask_last(cpu_online_mask);
	static char *envp[] = { "PATH=/bin", NULL };
	struct fp_runner r = { .vcpu = vcpu };
	char cpu_s[12], rounds[] = "600";
	char *argv[] = { SVE_CHECK, cpu_s, rounds, mode, NULL };
	struct task_struct *t;
	int i, ret;

	snprintf(cpu_s, sizeof(cpu_s), "%u", cpu);
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_seal(vcpu->vm));
	init_completion(&r.done);
	atomic_set(&r.stop, 0);
	t = kthread_create(fp_runner_fn, &r, "splitkvm-fp/%u", cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);
	/*
	 * Again while the guest has run fewer than 1000 times beside it (a
	 * loaded machine gives the runner less of the CPU), up to 5 times.
	 */
	for (i = 0, ret = 0; i < 5 && !ret && READ_ONCE(r.runs) < 1000; i++)
		ret = call_usermodehelper(SVE_CHECK, argv, envp,
					  UMH_WAIT_PROC);
	atomic_set(&r.stop, 1);
	wait_for_completion(&r.done);
	KUNIT_EXPECT_EQ(test, 0, r.err);
	if (ret == 2 << 8)
		kunit_skip(test, "no %s for host tasks (CPU or kernel)",
			   mode ? "SME" : "SVE");
	KUNIT_EXPECT_EQ_MSG(test, 0, ret, "%s exit status %#x (1: a register changed)",
			    SVE_CHECK, ret);
	KUNIT_EXPECT_GE(test, r.runs, 1000UL);
	kunit_info(test, "%lu guest runs beside the task\n", r.runs);
}

static void el2_host_sve(struct kunit *test)
{
	host_fp_survives(test, NULL);
}

static void el2_host_streaming_sve(struct kunit *test)
{
	host_fp_survives(test, "sm");
}

/*
 * A host that calls EL2 in streaming mode (which kernel_neon_begin()
 * leaves) would make the world switch's FP/SIMD accesses illegal: refused.
 */
static void el2_streaming_call_refused(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, count, 1);
	int ret;

	if (!system_supports_sme())
		kunit_skip(test, "no SME in the host kernel");
	KUNIT_ASSERT_EQ(test, 0, splitkvm_vm_seal(vcpu->vm));
	kernel_neon_begin();
	asm volatile(".inst 0xd503437f" : : : "memory");	/* SMSTART SM */
	ret = __splitkvm_vcpu_run(vcpu);
	asm volatile(".inst 0xd503427f" : : : "memory");	/* SMSTOP SM */
	kernel_neon_end();
	KUNIT_EXPECT_EQ(test, -EBUSY, ret);
	expect_still_runs(test, vcpu);
}

/* The module this one uses: splitkvm itself. */
static struct module *splitkvm_module(void)
{
	struct module_use *use;

	list_for_each_entry(use, &THIS_MODULE->target_list, target_list)
		if (!strcmp(use->target->name, "splitkvm"))
			return use->target;
	return NULL;
}

/* rmmod must be refused while a VM exists: every VM pins the module. */
static void el2_vm_pins_module(struct kunit *test)
{
	struct module *mod = splitkvm_module();
	struct splitkvm_vm *vm;
	int before;

	KUNIT_ASSERT_NOT_NULL(test, mod);
	before = module_refcount(mod);
	vm = splitkvm_vm_create(RAM_IPA, RAM_SIZE, IPA_BITS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	KUNIT_EXPECT_EQ(test, before + 1, module_refcount(mod));
	splitkvm_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, before, module_refcount(mod));
}

struct pm_result {
	u64 stub_answer;
	int enter, exit;
};

static void cpu_pm_cycle(void *data)
{
	struct pm_result *r = data;
	u64 args[8] = { SKVM_STUB_NR }, res[8];

	r->enter = cpu_pm_enter();
	/* Between ENTER and EXIT the CPU may lose EL2: the stub is back. */
	splitkvm_hvc_raw(args, res);
	r->stub_answer = res[0];
	r->exit = cpu_pm_exit();
}

static void ping_this_cpu(void *data)
{
	u64 args[8] = { SKVM_HC_ID(SKVM_HC_PING), 42 };

	splitkvm_hvc_raw(args, data);
}

/*
 * A CPU coming out of a power-down state has the stub again; the CPU PM
 * notifier reinstalls the hyp, and guests run there as before.
 */
static void el2_cpu_pm(struct kunit *test)
{
	struct splitkvm_vcpu *vcpu = NEW_GUEST(test, count, 1);
	unsigned int cpu = cpumask_last(cpu_online_mask);
	struct pm_result r = { 0 };
	struct cpu_runner run = { .test = test, .vcpu = vcpu, .runs = 10 };
	struct task_struct *t;
	u64 res[8] = { 0 };

	KUNIT_ASSERT_EQ(test, 0, smp_call_function_single(cpu, cpu_pm_cycle,
							  &r, true));
	KUNIT_EXPECT_EQ(test, 0, r.enter);
	KUNIT_EXPECT_EQ(test, 0, r.exit);
	KUNIT_EXPECT_EQ(test, SKVM_STUB_ERR, r.stub_answer);

	KUNIT_ASSERT_EQ(test, 0, smp_call_function_single(cpu, ping_this_cpu,
							  res, true));
	KUNIT_EXPECT_EQ(test, 0, res[0]);
	KUNIT_EXPECT_EQ(test, ~42UL, res[1]);
	KUNIT_EXPECT_EQ(test, cpu, res[2]);

	init_completion(&run.done);
	t = kthread_create(cpu_runner_fn, &run, "splitkvm-pm/%u", cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);
	wait_for_completion(&run.done);
	KUNIT_EXPECT_EQ(test, 0, run.err);
	KUNIT_EXPECT_EQ(test, 0, run.bad_exits);
	KUNIT_EXPECT_EQ(test, 10, get_reg(test, vcpu, 0));
}

static struct kunit_case splitkvm_el2_cases[] = {
	KUNIT_CASE(el2_gprs_fp),
	KUNIT_CASE(el2_sysregs),
	KUNIT_CASE(el2_mmio),
	KUNIT_CASE(el2_block),
	KUNIT_CASE(el2_traps),
	KUNIT_CASE(el2_timer_irq),
	KUNIT_CASE(el2_vgic),
	KUNIT_CASE(el2_two_cpus),
	KUNIT_CASE(el2_garbage_hcalls),
	KUNIT_CASE(el2_id_regs),
	KUNIT_CASE(el2_id_reg_rules),
	KUNIT_CASE(el2_sysreg_probe),
	KUNIT_CASE(el2_aarch32_el0),
	KUNIT_CASE(el2_host_sve),
	KUNIT_CASE(el2_host_streaming_sve),
	KUNIT_CASE(el2_streaming_call_refused),
	KUNIT_CASE(el2_vm_pins_module),
	KUNIT_CASE(el2_cpu_pm),
	{}
};

static struct kunit_suite splitkvm_el2_suite = {
	.name = "splitkvm_el2",
	.test_cases = splitkvm_el2_cases,
};
kunit_test_suite(splitkvm_el2_suite);

MODULE_DESCRIPTION("splitkvm KUnit tests that need EL2");
MODULE_LICENSE("GPL");
