// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU EL2 bring-up, after init.S turned the MMU on. */
#include <splitkvm/boot.h>
#include <hwregs.h>
#include <hyp/asm.h>
#include <hyp/entry.h>
#include <hyp/lib.h>
#include <hyp/spinlock.h>

struct hyp_state hyp;
struct hyp_spectre hyp_spectre;
u64 hyp_stub_vectors;
struct skvm_boot hyp_boot;

/* The host is trusted until the first CPU is up: copy what it said, once. */
static void hyp_boot_once(u64 stub_vectors)
{
	hyp.guest_el2 = hyp_boot.guest;
	hyp_spectre.bhb_loop = hyp_boot.bhb_loop;
	hyp_spectre.fw_workaround = hyp_boot.fw_workaround;
	hyp.mem.pa_bits = hyp_boot.pa_bits;
	hyp.mem.ram_base = hyp_boot.ram_base;
	hyp.mem.ram_pages = hyp_boot.ram_pages;
	hyp.mem.owner = (u8 *)(unsigned long)hyp_boot.owner_pa;
	hyp.cpus = (struct hyp_cpu *)(unsigned long)hyp_boot.cpus_pa;
	hyp.nr_cpus = hyp_boot.nr_cpus;
	if (hyp.guest_el2.ich_hcr) {
		/*
		 * 5 priority bits need one ICH_AP<n>R<m>, 6 two, 7 four; at
		 * most 16 list registers exist (other values are reserved).
		 */
		u32 pri_bits;

		hyp.ich_vtr = hw_read(ich_vtr_el2);
		hyp.nr_lr = SKVM_ICH_VTR_NR_LR(hyp.ich_vtr);
		if (hyp.nr_lr > SKVM_VGIC_MAX_LR)
			hyp.nr_lr = SKVM_VGIC_MAX_LR;
		pri_bits = SKVM_ICH_VTR_PRI_BITS(hyp.ich_vtr);
		hyp.nr_apr = pri_bits >= 7 ? 4 : pri_bits == 6 ? 2 : 1;
	}
	hyp_stub_vectors = stub_vectors;
	hyp.booted = 1;
}

/*
 * Called with this CPU's TPIDR_EL2 and stack set. The host's EL2
 * configuration is whatever the kernel's init_el2 left: that is what the
 * host world gets back after every guest run.
 */
void hyp_cpu_init(u64 index, u64 stub_vectors)
{
	struct hyp_cpu *cpu = this_hyp_cpu();

	hyp_lock(&hyp.lock);
	if (!hyp.booted)
		hyp_boot_once(stub_vectors);
	hyp_unlock(&hyp.lock);
	cpu->index = index;
	cpu->cur_vmid = SKVM_HOST_VMID;
	cpu->cur_vcpuid = index;
	cpu->host_el2.hcr = hw_read(hcr_el2);
	cpu->host_el2.cptr = hw_read(cptr_el2);
	cpu->host_el2.mdcr = hw_read(mdcr_el2);
	cpu->host_el2.cnthctl = hw_read(cnthctl_el2);
	cpu->host_el2.hstr = hw_read(hstr_el2);
	if (hyp.guest_el2.has_hcrx)
		cpu->host_el2.hcrx = hw_read(hcrx_el2);
	if (hyp.guest_el2.has_fgt) {
		cpu->host_el2.fgt[HYP_HFGRTR] = hw_read(hfgrtr_el2);
		cpu->host_el2.fgt[HYP_HFGWTR] = hw_read(hfgwtr_el2);
		cpu->host_el2.fgt[HYP_HFGITR] = hw_read(hfgitr_el2);
		cpu->host_el2.fgt[HYP_HDFGRTR] = hw_read(hdfgrtr_el2);
		cpu->host_el2.fgt[HYP_HDFGWTR] = hw_read(hdfgwtr_el2);
	}
	if (hyp.guest_el2.ich_hcr)
		cpu->host_el2.ich_hcr = hw_read(ich_hcr_el2);
	/*
	 * This CPU may come from reset or a power-down, where TLB contents
	 * are UNKNOWN: no stale guest translation may survive (Arm ARM, "TLB
	 * behavior at reset"; the DSB completes the invalidation).
	 */
	asm volatile("tlbi alle1\n\tdsb nsh" : : : "memory");
}
