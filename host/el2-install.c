// SPDX-License-Identifier: GPL-2.0-only
/*
 * Taking EL2 from the Linux hyp stub, on every CPU, and giving it back.
 *
 * The hyp image (hyp/, embedded as data) is copied into physically
 * contiguous pages, relocated, and given an identity-mapped EL2 stage-1
 * map of all RAM. Each CPU then enters it through the stub's
 * HVC_SOFT_RESTART. CPUs that come online or out of a power-down state
 * have the stub again and are reinstalled from the hotplug and CPU PM
 * callbacks; rmmod puts the stub back everywhere with HVC_RESET_VECTORS.
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/arm-smccc.h>
#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/cpuhotplug.h>
#include <linux/elf.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include <splitkvm/boot.h>
#include <splitkvm/vgic.h>
#include <generated/hyp-offsets.h>
#include "el2-pgtable.h"
#include "guest-id-regs.h"
#include "splitkvm.h"

extern const u8 __splitkvm_hyp_image[], __splitkvm_hyp_image_end[];

/* TCR_EL2 (E2H == 0): 48-bit VA, 4 KiB granule, WBWA inner-shareable walks. */
#define SKVM_TCR_EL2_RES1		((1UL << 31) | (1UL << 23))
#define TCR_EL2_T0SZ_48		16
#define TCR_EL2_IRGN0_WBWA	(1UL << 8)
#define TCR_EL2_ORGN0_WBWA	(1UL << 10)
#define TCR_EL2_SH0_INNER	(3UL << 12)
#define TCR_EL2_PS_SHIFT	16
/* MAIR_EL2: index 0 normal write-back, index 1 device nGnRE. */
#define EL2_MAIR		(0xffUL | (0x04UL << 8))
/* SCTLR_EL2 (E2H == 0): RES1 bits, then MMU, caches, SP alignment, WXN. */
#define SCTLR_EL2_RES1_BITS	0x30c50830UL
#define SCTLR_EL2_ON		(SCTLR_EL2_RES1_BITS | BIT(0) | BIT(2) | \
				 BIT(3) | BIT(12) | BIT(19))

/* Guest traps (Arm ARM, HCR_EL2, CPTR_EL2, MDCR_EL2 with E2H == 0). */
#define GUEST_HCR	(BIT(0) /* VM */ | BIT(1) /* SWIO */ |		\
			 BIT(3) /* FMO */ | BIT(4) /* IMO */ |		\
			 BIT(5) /* AMO */ | BIT(9) /* FB */ |		\
			 BIT(10) /* BSU=IS */ | BIT(13) /* TWI */ |	\
			 BIT(14) /* TWE */ | BIT(18) /* TID3 */ |	\
			 BIT(19) /* TSC */ | BIT(20) /* TIDCP */ |	\
			 BIT(21) /* TACR */ | BIT(22) /* TSW */ |	\
			 BIT(31) /* RW */)
#define SKVM_HCR_TLOR	BIT_ULL(35)
#define CPTR_NVHE_RES1	(BIT(13) | BIT(9) | GENMASK(7, 0))
#define GUEST_CPTR	(CPTR_NVHE_RES1 | BIT(8) /* TZ */ |		\
			 BIT(12) /* TSM */ | BIT(20) /* TTA */)
#define CPTR_TAM	BIT(30)
#define GUEST_MDCR	(BIT(5) /* TPMCR */ | BIT(6) /* TPM */ |	\
			 BIT(9) /* TDA */ | BIT(10) /* TDOSA */ |	\
			 BIT(11) /* TDRA */)
#define MDCR_TPMS	BIT(14)
#define MDCR_TTRF	BIT(19)
#define SCTLR_EL2_IESB	BIT(21)

struct splitkvm_el2 {
	struct page *image;
	unsigned int image_order;
	u64 image_pa;
	const struct skvm_image_header *hdr;
	struct page *owner;
	unsigned int owner_order;
	struct el2_pgtable pgt;
	void *percpu;		/* EL2's CPU records, then its stacks */
	size_t percpu_size;
	enum cpuhp_state hp_state;
	u64 ram_base, ram_end;
};

static struct splitkvm_el2 el2;

/* The stub's SOFT_RESTART: run @entry at EL2, MMU off, x0 = @arg. */
static u64 stub_soft_restart(u64 entry, u64 arg)
{
	register u64 x0 asm("x0") = SKVM_STUB_SOFT_RESTART;
	register u64 x1 asm("x1") = entry;
	register u64 x2 asm("x2") = arg;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2)
		     :
		     : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
		       "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return x0;
}

static u64 stub_call(u64 nr)
{
	register u64 x0 asm("x0") = nr;

	asm volatile("hvc #0"
		     : "+r" (x0)
		     :
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "memory");
	return x0;
}

/*
 * Clean and invalidate to the PoC, and invalidate the I-cache: for EL2 with
 * its MMU still off, and for guests with theirs off.
 */
void splitkvm_clean_poc(const void *va, size_t size)
{
	u64 line = 4UL << ((read_sanitised_ftr_reg(SYS_CTR_EL0) >> 16) & 0xf);
	unsigned long p = (unsigned long)va & ~(line - 1);
	unsigned long end = (unsigned long)va + size;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
	dsb(sy);
	caches_clean_inval_pou((unsigned long)va, (unsigned long)va + size);
}
EXPORT_SYMBOL_GPL(splitkvm_clean_poc);

static int install_this_cpu(unsigned int cpu)
{
	u64 ret;

	/* Only the Linux stub answers an unknown stub call so. */
	ret = stub_call(SKVM_STUB_NR);
	if (ret != SKVM_STUB_ERR) {
		pr_err("CPU%u: EL2 is not the Linux hyp stub (answered %#llx); unload KVM or boot with kvm-arm.mode=none\n",
		       cpu, ret);
		return -EBUSY;
	}
	ret = stub_soft_restart(el2.image_pa + el2.hdr->init_entry, cpu);
	if (ret) {
		pr_err("CPU%u: EL2 init failed (%#llx)\n", cpu, ret);
		return -EIO;
	}
	return 0;
}

static int teardown_this_cpu(unsigned int cpu)
{
	u64 ret = stub_call(SKVM_STUB_RESET_VECTORS);

	if (ret)
		pr_err("CPU%u: EL2 teardown failed (%#llx)\n", cpu, ret);
	return 0;
}

/* A CPU that powers down comes back with the stub: reinstall it then. */
static int cpu_pm_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	unsigned int cpu = smp_processor_id();

	switch (action) {
	case CPU_PM_ENTER:
		teardown_this_cpu(cpu);
		break;
	case CPU_PM_ENTER_FAILED:
	case CPU_PM_EXIT:
		if (install_this_cpu(cpu))
			return NOTIFY_BAD;
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block cpu_pm_nb = {
	.notifier_call = cpu_pm_notify,
};

static int check_el2_free(void)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);

	if (is_kernel_in_hyp_mode()) {
		pr_err("the kernel runs at EL2 (VHE); boot with id_aa64mmfr1.vh=0\n");
		return -ENODEV;
	}
	if (!cpuid_feature_extract_unsigned_field(pfr0,
						  ID_AA64PFR0_EL1_EL2_SHIFT)) {
		pr_err("the CPUs have no EL2; boot the kernel at EL2 (QEMU: -M virt,virtualization=on)\n");
		return -ENODEV;
	}
	return 0;
}

static int load_image(void)
{
	size_t len = __splitkvm_hyp_image_end - __splitkvm_hyp_image;
	const struct skvm_image_header *src = (const void *)__splitkvm_hyp_image;
	const Elf64_Rela *rela;
	u8 *img;
	u64 off;

	if (len < sizeof(*src) || src->magic != SKVM_IMAGE_MAGIC ||
	    src->size < len || src->rela_end > len ||
	    src->boot + sizeof(struct skvm_boot) > src->size ||
	    src->text_end < PAGE_SIZE || src->ro_end < src->text_end ||
	    src->size < src->ro_end || !PAGE_ALIGNED(src->text_end) ||
	    !PAGE_ALIGNED(src->ro_end) || !PAGE_ALIGNED(src->size)) {
		pr_err("the embedded hyp image is corrupt\n");
		return -ENOEXEC;
	}
	el2.image_order = get_order(src->size);
	el2.image = alloc_pages(GFP_KERNEL | __GFP_ZERO, el2.image_order);
	if (!el2.image)
		return -ENOMEM;
	img = page_address(el2.image);
	el2.image_pa = page_to_phys(el2.image);
	memcpy(img, __splitkvm_hyp_image, len);
	el2.hdr = (const void *)img;

	/* Linked at 0, runs at image_pa (VA == PA at EL2). */
	for (off = src->rela_start; off < src->rela_end; off += sizeof(*rela)) {
		rela = (const void *)(img + off);
		if (ELF64_R_TYPE(rela->r_info) != R_AARCH64_RELATIVE ||
		    rela->r_offset > src->size - sizeof(u64)) {
			pr_err("unexpected relocation in the hyp image\n");
			return -ENOEXEC;
		}
		*(u64 *)(img + rela->r_offset) = el2.image_pa + rela->r_addend;
	}
	return 0;
}

static int ram_range(struct resource *res, void *arg)
{
	el2.ram_base = min_t(u64, el2.ram_base, res->start);
	el2.ram_end = max_t(u64, el2.ram_end, res->end + 1);
	return 0;
}

static int map_ram_range(struct resource *res, void *arg)
{
	u64 start = PAGE_ALIGN(res->start), end = (res->end + 1) & PAGE_MASK;
	u64 img_start = el2.image_pa, img_end = img_start + el2.hdr->size;
	u8 *owner = page_address(el2.owner);
	u64 pa;
	int ret = 0;

	for (pa = start; pa < end; pa += PAGE_SIZE)
		owner[(pa - el2.ram_base) >> PAGE_SHIFT] = SKVM_OWNER_HOST;
	/* The image gets its own, finer mapping. */
	if (img_start >= start && img_end <= end) {
		if (img_start > start)
			ret = el2_pgtable_map(&el2.pgt, start, img_start - start,
					      EL2_RW);
		if (!ret && end > img_end)
			ret = el2_pgtable_map(&el2.pgt, img_end, end - img_end,
					      EL2_RW);
		return ret;
	}
	return end > start ? el2_pgtable_map(&el2.pgt, start, end - start,
					     EL2_RW) : 0;
}

static void own_pages(struct page *page, unsigned long nr)
{
	u8 *owner = page_address(el2.owner);
	u64 pa = page_to_phys(page);

	while (nr--) {
		owner[(pa - el2.ram_base) >> PAGE_SHIFT] = SKVM_OWNER_HYP;
		pa += PAGE_SIZE;
	}
}

static size_t percpu_records_size(void)
{
	return PAGE_ALIGN(nr_cpu_ids * HYP_CPU_SIZE);
}

static u64 pa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	u64 range = cpuid_feature_extract_unsigned_field(mmfr0,
				ID_AA64MMFR0_EL1_PARANGE_SHIFT);

	return range < ARRAY_SIZE(bits) ? min_t(u64, bits[range], 48) : 48;
}

/*
 * Spectre-BHB loop lengths, as the kernel's own mitigation uses them for
 * these cores (arch/arm64/kernel/proton-pack.c): the branch history a
 * guest leaves must be overwritten before EL2 branches indirectly.
 */
static const struct midr_range bhb_k8[] = {
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A72),
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A57),
	{},
};

static const struct midr_range bhb_k24[] = {
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A76),
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A77),
	MIDR_ALL_VERSIONS(MIDR_NEOVERSE_N1),
	{},
};

static const struct midr_range bhb_k32[] = {
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A78),
	MIDR_ALL_VERSIONS(MIDR_CORTEX_X1),
	MIDR_ALL_VERSIONS(MIDR_CORTEX_A710),
	MIDR_ALL_VERSIONS(MIDR_CORTEX_X2),
	MIDR_ALL_VERSIONS(MIDR_NEOVERSE_N2),
	MIDR_ALL_VERSIONS(MIDR_NEOVERSE_V1),
	{},
};

static void bhb_loop_this_cpu(void *data)
{
	atomic_t *k = data;
	u32 midr = read_cpuid_id();
	int mine = is_midr_in_range_list(midr, bhb_k32) ? 32 :
		   is_midr_in_range_list(midr, bhb_k24) ? 24 :
		   is_midr_in_range_list(midr, bhb_k8) ? 8 : 0;

	if (mine > atomic_read(k))
		atomic_set(k, mine);
}

/* Does the EL3 firmware implement SMCCC workaround @fn? */
static bool fw_has_workaround(u32 fn)
{
	struct arm_smccc_res res;

	/* Only an SMC reaches firmware from EL2; an HVC conduit is us. */
	if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_SMC)
		return false;
	arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_FEATURES_FUNC_ID, fn, &res);
	return (long)res.a0 == SMCCC_RET_SUCCESS;
}

/*
 * What EL2 does on every guest exit against branch-predictor attacks,
 * for the CPUs the kernel found affected: the BHB loop the cores need (or
 * the firmware's WORKAROUND_3 where no loop is known), and the firmware's
 * WORKAROUND_1 for Spectre-v2 where the firmware has it.
 */
static void fill_spectre(struct skvm_boot *boot)
{
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);
	atomic_t k = ATOMIC_INIT(0);

	if (cpus_have_cap(ARM64_SPECTRE_BHB) &&
	    !cpuid_feature_extract_unsigned_field(mmfr1,
						  ID_AA64MMFR1_EL1_ECBHB_SHIFT)) {
		on_each_cpu(bhb_loop_this_cpu, &k, 1);
		boot->bhb_loop = atomic_read(&k);
		if (!boot->bhb_loop &&
		    fw_has_workaround(ARM_SMCCC_ARCH_WORKAROUND_3))
			boot->fw_workaround = ARM_SMCCC_ARCH_WORKAROUND_3;
	}
	if (!boot->fw_workaround && cpus_have_cap(ARM64_SPECTRE_V2) &&
	    fw_has_workaround(ARM_SMCCC_ARCH_WORKAROUND_1))
		boot->fw_workaround = ARM_SMCCC_ARCH_WORKAROUND_1;
	pr_info("guest exits: BHB loop %llu, firmware workaround %#llx\n",
		boot->bhb_loop, boot->fw_workaround);
}

/*
 * The ARCH_WORKAROUND levels guests are told (SMCCC ARCH_FEATURES and the
 * KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_* registers). A guest's call is an
 * exit, so what EL2 does on every exit (fill_spectre()) is what the call
 * does. Spectre-v4 (WORKAROUND_2) has no EL2 mitigation here.
 */
enum splitkvm_wa_state splitkvm_guest_wa_state(u32 fn)
{
	const struct skvm_boot *boot = (const void *)el2.hdr + el2.hdr->boot;

	switch (fn) {
	case ARM_SMCCC_ARCH_WORKAROUND_1:
		if (!cpus_have_cap(ARM64_SPECTRE_V2))
			return SPLITKVM_WA_UNAFFECTED;
		return boot->fw_workaround == ARM_SMCCC_ARCH_WORKAROUND_1 ?
		       SPLITKVM_WA_MITIGATED : SPLITKVM_WA_VULNERABLE;
	case ARM_SMCCC_ARCH_WORKAROUND_2:
		return cpus_have_cap(ARM64_SPECTRE_V4) ?
		       SPLITKVM_WA_VULNERABLE : SPLITKVM_WA_UNAFFECTED;
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		if (!cpus_have_cap(ARM64_SPECTRE_BHB))
			return SPLITKVM_WA_UNAFFECTED;
		return boot->bhb_loop ||
		       boot->fw_workaround == ARM_SMCCC_ARCH_WORKAROUND_3 ?
		       SPLITKVM_WA_MITIGATED : SPLITKVM_WA_VULNERABLE;
	}
	return SPLITKVM_WA_VULNERABLE;
}

static u64 id_field(u32 reg, unsigned int shift)
{
	return cpuid_feature_extract_unsigned_field(read_sanitised_ftr_reg(reg),
						    shift);
}

/*
 * The optional state the CPUs have, and how EL2 treats it: guests run with
 * HCRX_EL2 and every fine-grained trap register 0, which traps (or
 * disables) every register those features add, none of which EL2 switches.
 */
static void fill_features(struct skvm_boot *boot)
{
	boot->guest.has_hcrx = id_field(SYS_ID_AA64MMFR1_EL1,
				  ID_AA64MMFR1_EL1_HCX_SHIFT);
	boot->guest.has_fgt = id_field(SYS_ID_AA64MMFR0_EL1,
				 ID_AA64MMFR0_EL1_FGT_SHIFT);
	boot->guest.has_spe = !!id_field(SYS_ID_AA64DFR0_EL1,
				   ID_AA64DFR0_EL1_PMSVer_SHIFT);
	boot->guest.has_trf = !!id_field(SYS_ID_AA64DFR0_EL1,
				   ID_AA64DFR0_EL1_TraceFilt_SHIFT);
	/* RAS: guests' error records and external aborts go to EL2. */
	if (id_field(SYS_ID_AA64PFR0_EL1, ID_AA64PFR0_EL1_RAS_SHIFT)) {
		boot->guest.hcr |= HCR_TERR | HCR_TEA;
		if (id_field(SYS_ID_AA64MMFR2_EL1,
			     ID_AA64MMFR2_EL1_IESB_SHIFT)) {
			boot->guest.has_ras = 1;
			boot->sctlr |= SCTLR_EL2_IESB;
		}
	}
	boot->guest.has_sme = !!id_field(SYS_ID_AA64PFR1_EL1,
				   ID_AA64PFR1_EL1_SME_SHIFT);
	boot->guest.switch_tpidr2 = boot->guest.has_sme && !boot->guest.has_fgt;
	if (id_field(SYS_ID_AA64PFR0_EL1, ID_AA64PFR0_EL1_GIC_SHIFT))
		boot->guest.ich_hcr = SKVM_ICH_HCR_TRAP_ALL;
	boot->guest.hcrx = 0;
	memset(boot->guest.fgt, 0, sizeof(boot->guest.fgt));
	pr_info("optional EL2 state: HCX %llu FGT %llu SPE %llu TRF %llu RAS %llu SME %llu GICv3 %u\n",
		boot->guest.has_hcrx, boot->guest.has_fgt, boot->guest.has_spe, boot->guest.has_trf,
		boot->guest.has_ras, boot->guest.has_sme, !!boot->guest.ich_hcr);
}

/* What guests read from ID register @idx (SKVM_ID_REG_INDEX), as EL2 has it. */
u64 splitkvm_guest_id_reg(unsigned int idx)
{
	const struct skvm_boot *boot = (const void *)el2.hdr + el2.hdr->boot;

	return idx < SKVM_NR_ID_REGS ? boot->guest.id_regs[idx] : 0;
}

/* The CPUs have a GICv3 system register interface: a vGICv3 can run. */
bool splitkvm_has_gicv3(void)
{
	const struct skvm_boot *boot = (const void *)el2.hdr + el2.hdr->boot;

	return boot->guest.ich_hcr;
}

/* The largest IPA space EL2 builds a stage 2 for (hyp/vm.c). */
u32 splitkvm_ipa_limit(void)
{
	u64 ps = pa_bits();

	return ps >= 44 ? min_t(u64, ps, SKVM_MAX_IPA_BITS) : min_t(u64, ps, 39);
}

static void fill_boot(struct skvm_boot *boot)
{
	u64 dfr0 = read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1);
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);
	u64 pmuver = cpuid_feature_extract_unsigned_field(dfr0,
					ID_AA64DFR0_EL1_PMUVer_SHIFT);
	u64 ps = pa_bits();

	boot->ttbr0 = virt_to_phys(el2.pgt.root);
	boot->tcr = SKVM_TCR_EL2_RES1 | TCR_EL2_T0SZ_48 | TCR_EL2_IRGN0_WBWA |
		    TCR_EL2_ORGN0_WBWA | TCR_EL2_SH0_INNER |
		    ((u64)(ps == 48 ? 5 : ps == 44 ? 4 : ps == 42 ? 3 :
			   ps == 40 ? 2 : ps == 36 ? 1 : 0) << TCR_EL2_PS_SHIFT);
	boot->mair = EL2_MAIR;
	boot->sctlr = SCTLR_EL2_ON;
	boot->guest.hcr = GUEST_HCR;
	if (cpuid_feature_extract_unsigned_field(mmfr1,
						 ID_AA64MMFR1_EL1_LO_SHIFT))
		boot->guest.hcr |= SKVM_HCR_TLOR;
	boot->guest.cptr = GUEST_CPTR;
	if (cpuid_feature_extract_unsigned_field(pfr0,
						 ID_AA64PFR0_EL1_AMU_SHIFT))
		boot->guest.cptr |= CPTR_TAM;
	boot->guest.mdcr_traps = GUEST_MDCR;
	if (cpuid_feature_extract_unsigned_field(dfr0,
						 ID_AA64DFR0_EL1_PMSVer_SHIFT))
		boot->guest.mdcr_traps |= MDCR_TPMS;
	if (cpuid_feature_extract_unsigned_field(dfr0,
						 ID_AA64DFR0_EL1_TraceFilt_SHIFT))
		boot->guest.mdcr_traps |= MDCR_TTRF;
	boot->guest.pmuserenr = 0;
	/* The same counts on every CPU: the sanitised value is the lowest. */
	boot->guest.nr_brps = cpuid_feature_extract_unsigned_field(dfr0,
				ID_AA64DFR0_EL1_BRPs_SHIFT) + 1;
	boot->guest.nr_wrps = cpuid_feature_extract_unsigned_field(dfr0,
				ID_AA64DFR0_EL1_WRPs_SHIFT) + 1;
	boot->guest.has_pmu = pmuver && pmuver != 0xf;
	boot->pa_bits = ps;
	boot->ram_base = el2.ram_base;
	boot->ram_pages = (el2.ram_end - el2.ram_base) >> PAGE_SHIFT;
	boot->owner_pa = page_to_phys(el2.owner);
	boot->nr_cpus = nr_cpu_ids;
	boot->cpus_pa = virt_to_phys(el2.percpu);
	boot->stacks_pa = boot->cpus_pa + percpu_records_size();
	splitkvm_guest_id_regs(boot->guest.id_regs);
	fill_features(boot);
	fill_spectre(boot);
}

static void free_el2(void)
{
	el2_pgtable_free(&el2.pgt);
	if (el2.percpu)
		free_pages((unsigned long)el2.percpu, get_order(el2.percpu_size));
	el2.percpu = NULL;
	if (el2.owner)
		__free_pages(el2.owner, el2.owner_order);
	if (el2.image)
		__free_pages(el2.image, el2.image_order);
	el2.owner = NULL;
	el2.image = NULL;
}

static int prepare_el2(void)
{
	u64 text_end, ro_end;
	u8 *owner;
	unsigned int i;
	int ret;

	ret = load_image();
	if (ret)
		return ret;
	el2.ram_base = U64_MAX;
	el2.ram_end = 0;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    NULL, ram_range);
	if (el2.ram_end <= el2.ram_base || el2.ram_end >> 48)
		return -ENODEV;
	el2.ram_base &= PAGE_MASK;
	el2.owner_order = get_order((el2.ram_end - el2.ram_base) >> PAGE_SHIFT);
	if (el2.owner_order > MAX_PAGE_ORDER) {
		pr_err("RAM spans more than %lu GiB, too much for the page-owner map\n",
		       (PAGE_SIZE << MAX_PAGE_ORDER) >> (30 - PAGE_SHIFT));
		return -ENOMEM;
	}
	el2.owner = alloc_pages(GFP_KERNEL, el2.owner_order);
	if (!el2.owner)
		return -ENOMEM;
	owner = page_address(el2.owner);
	memset(owner, SKVM_OWNER_NONE, PAGE_SIZE << el2.owner_order);

	/* Tables for all of RAM: a few pages per GiB-aligned range suffice. */
	ret = el2_pgtable_init(&el2.pgt, 256);
	if (ret)
		return ret;
	ret = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				  -1, NULL, map_ram_range);
	text_end = el2.hdr->text_end;
	ro_end = el2.hdr->ro_end;
	/* The header page, then text (RX), read-only data, data and bss. */
	if (!ret)
		ret = el2_pgtable_map(&el2.pgt, el2.image_pa, PAGE_SIZE, EL2_RO);
	if (!ret)
		ret = el2_pgtable_map(&el2.pgt, el2.image_pa + PAGE_SIZE,
				      text_end - PAGE_SIZE, EL2_RX);
	if (!ret)
		ret = el2_pgtable_map(&el2.pgt, el2.image_pa + text_end,
				      ro_end - text_end, EL2_RO);
	if (!ret)
		ret = el2_pgtable_map(&el2.pgt, el2.image_pa + ro_end,
				      el2.hdr->size - ro_end, EL2_RW);
	if (ret)
		return ret;

	/* A record and a stack for every possible CPU, the hyp's for good. */
	el2.percpu_size = percpu_records_size() + nr_cpu_ids * HYP_STACK_SIZE;
	if (get_order(el2.percpu_size) > MAX_PAGE_ORDER) {
		pr_err("%u possible CPUs need %zu KiB of EL2 records and stacks, more than one allocation gives; boot with fewer (nr_cpus=)\n",
		       nr_cpu_ids, el2.percpu_size >> 10);
		return -ENOMEM;
	}
	el2.percpu = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					      get_order(el2.percpu_size));
	if (!el2.percpu)
		return -ENOMEM;
	own_pages(virt_to_page(el2.percpu), el2.percpu_size >> PAGE_SHIFT);
	own_pages(el2.image, 1UL << el2.image_order);
	own_pages(el2.owner, 1UL << el2.owner_order);
	for (i = 0; i < el2.pgt.nr_pages; i++)
		own_pages(el2.pgt.pages[i], 1);
	fill_boot((void *)el2.hdr + el2.hdr->boot);

	/* EL2 first runs with its MMU and caches off. */
	for (i = 0; i < el2.pgt.nr_pages; i++)
		splitkvm_clean_poc(page_address(el2.pgt.pages[i]),
				   PAGE_SIZE);
	splitkvm_clean_poc(owner, PAGE_SIZE << el2.owner_order);
	splitkvm_clean_poc(el2.hdr, PAGE_SIZE << el2.image_order);
	return 0;
}

int splitkvm_el2_init(void)
{
	int ret;

	ret = check_el2_free();
	if (ret)
		return ret;
	ret = prepare_el2();
	if (ret)
		goto out_free;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "splitkvm:online",
				install_this_cpu, teardown_this_cpu);
	if (ret < 0)
		goto out_free;
	el2.hp_state = ret;
	ret = cpu_pm_register_notifier(&cpu_pm_nb);
	if (ret)
		goto out_hp;
	pr_info("EL2 installed on %u CPUs (hyp image %llu KiB at %#llx)\n",
		num_online_cpus(), el2.hdr->size >> 10, el2.image_pa);
	return 0;
out_hp:
	cpuhp_remove_state(el2.hp_state);
out_free:
	free_el2();
	return ret;
}

void splitkvm_el2_exit(void)
{
	cpu_pm_unregister_notifier(&cpu_pm_nb);
	cpuhp_remove_state(el2.hp_state);
	free_el2();
	pr_info("EL2 given back to the hyp stub\n");
}
