// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-smoke: a minimal VMM on /dev/kvm, run inside the QEMU host with
 * splitkvm loaded. It checks the system, VM and vCPU ioctls it uses and
 * their errors, then runs a tiny guest from its own memory: an MMIO write,
 * PSCI_VERSION answered without the VMM (by EL2: 1.0, as the VMM set it),
 * an MMIO read it completes, and PSCI SYSTEM_OFF. One
 * "SPLITKVM-CHECK: ok|not ok NAME" line per check; exit status 0 only if
 * all passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define UART		0x09000000ULL
#define HUGE_SIZE	(2UL << 20)
#define READ_VALUE	0x1122334455667788ULL
#define CORE(name)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, name) / 4))

static int failed;

static void check(const char *name, int ok)
{
	printf("SPLITKVM-CHECK: %s kvm_%s\n", ok ? "ok" : "not ok", name);
	if (!ok)
		failed = 1;
}

/* An ioctl that must fail with @err. */
static int fails(int fd, unsigned long req, unsigned long arg, int err)
{
	return ioctl(fd, req, arg) == -1 && errno == err;
}

/*
 * The guest: MMIO write of 'O'; PSCI_VERSION; its result written to MMIO;
 * an MMIO read into x5, written back; PSCI SYSTEM_OFF.
 */
static const uint32_t guest_code[] = {
	0xd2a12001,	/* mov	x1, #0x09000000 */
	0x528009e2,	/* mov	w2, #'O' */
	0x39000022,	/* strb	w2, [x1] */
	0xd2b08000,	/* mov	x0, #0x84000000: PSCI_VERSION */
	0xd4000002,	/* hvc	#0 */
	0xf9000420,	/* str	x0, [x1, #8] */
	0xf9400825,	/* ldr	x5, [x1, #16] */
	0xf9000c25,	/* str	x5, [x1, #24] */
	0xd2b08000,	/* mov	x0, #0x84000000 */
	0xf2800100,	/* movk	x0, #0x8: PSCI SYSTEM_OFF */
	0xd4000002,	/* hvc	#0 */
	0x14000000,	/* b	. */
};

static int set_reg(int vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static int get_reg(int vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu, KVM_GET_ONE_REG, &r);
}

static int memslot(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		   uint64_t size, void *mem)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/* The value of statistic @name in the stats fd of @fd, or -1. */
static long long stat_value(int fd, const char *name)
{
	struct kvm_stats_header h;
	long long ret = -1;
	size_t dsize;
	char *descs;
	uint32_t i;
	int sfd;

	sfd = ioctl(fd, KVM_GET_STATS_FD, 0);
	if (sfd < 0 || pread(sfd, &h, sizeof(h), 0) != sizeof(h))
		return -1;
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, dsize);
	if (pread(sfd, descs, h.num_desc * dsize, h.desc_offset) ==
	    (ssize_t)(h.num_desc * dsize)) {
		for (i = 0; i < h.num_desc; i++) {
			struct kvm_stats_desc *d = (void *)(descs + i * dsize);
			uint64_t v;

			if (!strcmp(d->name, name) &&
			    pread(sfd, &v, 8, h.data_offset + d->offset) == 8)
				ret = v;
		}
	}
	free(descs);
	close(sfd);
	return ret;
}

static void system_fd(int kvm)
{
	check("api_version", ioctl(kvm, KVM_GET_API_VERSION, 0) == 12);
	check("ipa_size_cap", ioctl(kvm, KVM_CHECK_EXTENSION,
				    KVM_CAP_ARM_VM_IPA_SIZE) >= 40);
	check("unknown_cap_is_0", ioctl(kvm, KVM_CHECK_EXTENSION, 12345) == 0);
	/* kvm_run and the coalesced MMIO ring after it. */
	check("vcpu_mmap_size", ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0) ==
	      2 * sysconf(_SC_PAGESIZE) &&
	      ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) == 1);
	check("create_vm_bad_type", fails(kvm, KVM_CREATE_VM, 1UL << 8,
					  EINVAL) &&
	      fails(kvm, KVM_CREATE_VM, 31, EINVAL) &&
	      fails(kvm, KVM_CREATE_VM, 60, EINVAL));
	check("bad_system_ioctl", fails(kvm, KVM_RUN, 0, EINVAL));
}

static void memslots(int vm, void *mem)
{
	check("memslot_add", memslot(vm, 0, 0, RAM_GPA, RAM_SIZE, mem) == 0);
	check("memslot_same_again", memslot(vm, 0, 0, RAM_GPA, RAM_SIZE,
					    mem) == 0);
	errno = 0;
	check("memslot_overlap", memslot(vm, 1, 0, RAM_GPA + 0x1000, 0x1000,
					 mem) == -1 && errno == EEXIST);
	errno = 0;
	check("memslot_unaligned", memslot(vm, 1, 0, RAM_GPA + RAM_SIZE + 8,
					   0x1000, mem) == -1 &&
	      errno == EINVAL);
	errno = 0;
	check("memslot_bad_flags", memslot(vm, 1, 1U << 7, RAM_GPA + RAM_SIZE,
					   0x1000, mem) == -1 &&
	      errno == EINVAL);
	errno = 0;
	check("memslot_bad_slot", memslot(vm, 4096, 0, RAM_GPA + RAM_SIZE,
					  0x1000, mem) == -1 &&
	      errno == EINVAL);
	errno = 0;
	check("memslot_past_ipa", memslot(vm, 1, 0, 1ULL << 40, 0x1000,
					  mem) == -1 && errno == EFAULT);
	errno = 0;
	check("memslot_delete_absent", memslot(vm, 2, 0, 0, 0, mem) == -1 &&
	      errno == EINVAL);
}

/* Both counters of the guest, to the UART (x3) one after the other. */
static const uint32_t counter_code[] = {
	0xd53be041,	/* mrs	x1, cntvct_el0 */
	0xd53be022,	/* mrs	x2, cntpct_el0 */
	0xf9000061,	/* str	x1, [x3] */
	0xf9000462,	/* str	x2, [x3, #8] */
	0x14000000,	/* b	. */
};

static uint64_t host_counter(void)
{
	uint64_t c;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (c));
	return c;
}

/*
 * KVM_ARM_SET_COUNTER_OFFSET, set before the vCPU exists: the guest's
 * virtual and physical counters both lag the host's by the offset.
 */
static void counter_offset(int kvm)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct kvm_arm_counter_offset off = { .counter_offset = 1ULL << 40,
					      .reserved = 1 };
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu, ok;
	uint64_t before, after, virt = 0, phys = 0;
	uint8_t *mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kvm_run *run;

	memcpy(mem, counter_code, sizeof(counter_code));
	__builtin___clear_cache((char *)mem, (char *)mem + sizeof(counter_code));
	check("cap_counter_offset", ioctl(kvm, KVM_CHECK_EXTENSION,
					  KVM_CAP_COUNTER_OFFSET) == 1);
	check("counter_offset_reserved", fails(vm, KVM_ARM_SET_COUNTER_OFFSET,
					       (uintptr_t)&off, EINVAL));
	off.reserved = 0;
	check("counter_offset_set", ioctl(vm, KVM_ARM_SET_COUNTER_OFFSET,
					  &off) == 0);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	ok = memslot(vm, 0, 0, RAM_GPA, 0x10000, mem) == 0 &&
	     ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0 &&
	     set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	     set_reg(vcpu, CORE(regs.regs[3]), UART) == 0;
	before = host_counter();
	ok = ok && ioctl(vcpu, KVM_RUN, 0) == 0 &&
	     run->exit_reason == KVM_EXIT_MMIO;
	memcpy(&virt, run->mmio.data, 8);
	ok = ok && ioctl(vcpu, KVM_RUN, 0) == 0 &&
	     run->exit_reason == KVM_EXIT_MMIO;
	memcpy(&phys, run->mmio.data, 8);
	after = host_counter();
	check("counter_offset_guest", ok &&
	      virt >= before - off.counter_offset &&
	      virt <= after - off.counter_offset &&
	      phys >= virt && phys <= after - off.counter_offset);
	/* The vCPU's counter register ignores writes from now on. */
	ok = set_reg(vcpu, KVM_REG_ARM_TIMER_CNT, 0) == 0 &&
	     get_reg(vcpu, KVM_REG_ARM_TIMER_CNT, &virt) == 0 &&
	     virt >= before - off.counter_offset;
	check("counter_offset_fixes_cnt", ok);
	munmap(run, getpagesize());
	close(vcpu);
	close(vm);
	munmap(mem, 0x10000);
}

/* Stores 0x5a at 1 MiB into its RAM, then the same to the UART. */
static const uint32_t huge_code[] = {
	0xd2b00201,	/* mov	x1, #0x80100000 */
	0x52800b42,	/* mov	w2, #0x5a */
	0xb9000022,	/* str	w2, [x1] */
	0xd2a12003,	/* mov	x3, #0x09000000 */
	0xb9000062,	/* str	w2, [x3] */
	0x14000000,	/* b	. */
};

/* A huge page of the VMM's, if the host has (or makes) one free. */
static void *huge_page(void)
{
	void *p = mmap(NULL, HUGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	FILE *f;

	if (p != MAP_FAILED)
		return p;
	f = fopen("/proc/sys/vm/nr_hugepages", "w");
	if (f) {
		fputs("4", f);
		fclose(f);
	}
	p = mmap(NULL, HUGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * Guest RAM in a huge page goes to the guest as one 2 MiB stage-2 block
 * at its first fault: the guest's store far into it needs no other.
 */
static void huge_guest(int kvm)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu, ok;
	uint8_t *mem = huge_page();
	struct kvm_run *run;

	check("huge_page", mem != NULL);
	if (!mem)
		return;
	memcpy(mem, huge_code, sizeof(huge_code));
	__builtin___clear_cache((char *)mem, (char *)mem + sizeof(huge_code));
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	ok = memslot(vm, 0, 0, RAM_GPA, HUGE_SIZE, mem) == 0 &&
	     ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0 &&
	     set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	     ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART && run->mmio.data[0] == 0x5a &&
	     mem[1 << 20] == 0x5a;
	check("huge_page_guest_runs", ok);
	check("huge_page_one_block", stat_value(vm, "blocks_mapped") == 1 &&
	      stat_value(vm, "pages_mapped") == 512);
	munmap(run, getpagesize());
	close(vcpu);
	close(vm);
	munmap(mem, HUGE_SIZE);
}

/*
 * KVM's vCPU limits (512 ids on arm64), each id once, and MPIDR_EL1 laid
 * out as KVM does: Aff0 = id % 16, Aff1 = id / 16.
 */
static void many_vcpus(int kvm)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), v300, v511;
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	uint64_t mpidr = 0;

	check("cap_max_vcpus", ioctl(kvm, KVM_CHECK_EXTENSION,
				     KVM_CAP_MAX_VCPUS) == 512 &&
	      ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID) == 512);
	v300 = ioctl(vm, KVM_CREATE_VCPU, 300);
	v511 = ioctl(vm, KVM_CREATE_VCPU, 511);
	check("create_vcpu_300_and_511", v300 >= 0 && v511 >= 0);
	check("create_vcpu_512_refused", fails(vm, KVM_CREATE_VCPU, 512,
					       EINVAL));
	check("mpidr_of_vcpu_300",
	      ioctl(v300, KVM_ARM_VCPU_INIT, &init) == 0 &&
	      get_reg(v300, KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
		      KVM_REG_ARM64_SYSREG | (3 << 14) | 5, &mpidr) == 0 &&
	      mpidr == 0x8000120c);
	close(v300);
	close(v511);
	close(vm);
}

static void vcpu_setup(int vm, int vcpu)
{
	struct kvm_vcpu_init init;
	struct kvm_reg_list rl = { .n = 0 }, *list;
	uint64_t mpidr = 0;

	check("preferred_target", ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) ==
	      0 && init.target == KVM_ARM_TARGET_GENERIC_V8);
	check("run_before_init", fails(vcpu, KVM_RUN, 0, ENOEXEC));
	init.target = 0;
	check("init_bad_target", fails(vcpu, KVM_ARM_VCPU_INIT,
				       (uintptr_t)&init, EINVAL));
	init.target = KVM_ARM_TARGET_GENERIC_V8;
	init.features[0] = 1U << 4;			/* SVE: not offered */
	check("init_sve_refused", fails(vcpu, KVM_ARM_VCPU_INIT,
					(uintptr_t)&init, EINVAL));
	init.features[0] = 1U << 31;
	check("init_unknown_feature", fails(vcpu, KVM_ARM_VCPU_INIT,
					    (uintptr_t)&init, ENOENT));
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	check("init", ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0);
	check("reg_list_e2big", fails(vcpu, KVM_GET_REG_LIST, (uintptr_t)&rl,
				      E2BIG) && rl.n >= 96);
	list = calloc(1, sizeof(*list) + rl.n * sizeof(uint64_t));
	list->n = rl.n;
	check("reg_list", ioctl(vcpu, KVM_GET_REG_LIST, list) == 0 &&
	      list->reg[0] == CORE(regs.regs[0]));
	free(list);
	check("get_mpidr", get_reg(vcpu, KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				   KVM_REG_ARM64_SYSREG | (3 << 14) | 5,
				   &mpidr) == 0 && (mpidr & 0xff) == 0);
	errno = 0;
	check("pstate_el2_refused", set_reg(vcpu, CORE(regs.pstate), 0x3c9) ==
	      -1 && errno == EINVAL);
	check("unknown_reg", get_reg(vcpu, KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				     KVM_REG_ARM64_SYSREG | 0x3fff, &mpidr) ==
	      -1 && errno == ENOENT);
	check("set_pc", set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0);
}

#define SYSREG(op0, op1, crn, crm, op2)					\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |	\
	 ((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* Registers beyond the core set, and the vCPU's PV time attribute. */
static void vcpu_regs(int vm, int vcpu)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VCPU_PVTIME_CTRL,
		.attr = KVM_ARM_VCPU_PVTIME_IPA,
	};
	uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	struct reg_mask_range range = { .addr = (uintptr_t)masks };
	uint64_t val = 0, ipa, isar0 = 0;
	int ppi = 0;

	/* No ITS and no GICv2 emulation: devices KVM does not have here. */
	check("create_device_its_enodev", fails(vm, KVM_CREATE_DEVICE,
						(uintptr_t)&cd, ENODEV));
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V2;
	check("create_device_v2_enodev", fails(vm, KVM_CREATE_DEVICE,
					       (uintptr_t)&cd, ENODEV));
	/* PSCI 1.1 unless the VMM says otherwise; this one wants 1.0. */
	check("fw_psci_default", get_reg(vcpu, KVM_REG_ARM_PSCI_VERSION,
					 &val) == 0 && val == 0x10001);
	check("fw_psci_bad", set_reg(vcpu, KVM_REG_ARM_PSCI_VERSION,
				     0x30000) == -1 && errno == EINVAL);
	check("fw_psci_set", set_reg(vcpu, KVM_REG_ARM_PSCI_VERSION,
				     0x10000) == 0);
	check("fw_bmaps_default",
	      get_reg(vcpu, KVM_REG_ARM_STD_BMAP, &val) == 0 && val == 1 &&
	      get_reg(vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP, &val) == 0 &&
	      val == 3);
	check("fw_bmap_unknown_bit", set_reg(vcpu, KVM_REG_ARM_STD_BMAP, 2) ==
	      -1 && errno == EINVAL);
	/* The virtual counter is the VM's to set, and then it counts on. */
	check("timer_cnt_set", set_reg(vcpu, KVM_REG_ARM_TIMER_CNT, 1000) == 0 &&
	      get_reg(vcpu, KVM_REG_ARM_TIMER_CNT, &val) == 0 &&
	      val >= 1000 && val < 1000 + (1ULL << 40));
	check("debug_reg_kept", set_reg(vcpu, SYSREG(2, 0, 0, 3, 4), 0x1000) ==
	      0 && get_reg(vcpu, SYSREG(2, 0, 0, 3, 4), &val) == 0 &&
	      val == 0x1000);
	check("oslsr_only_oslk", set_reg(vcpu, SYSREG(2, 0, 1, 1, 4), 0xa) ==
	      0 && set_reg(vcpu, SYSREG(2, 0, 1, 1, 4), 0) == -1 &&
	      errno == EINVAL);
	check("midr_invariant", get_reg(vcpu, SYSREG(3, 0, 0, 0, 0), &val) ==
	      0 && set_reg(vcpu, SYSREG(3, 0, 0, 0, 0), val ^ 1) == -1 &&
	      errno == EINVAL && set_reg(vcpu, SYSREG(3, 0, 0, 0, 0), val) == 0);
	/* ID registers: lesser features only (ISAR0.AES: 0 but not 0xf). */
	check("id_reg_lower", get_reg(vcpu, SYSREG(3, 0, 0, 6, 0), &isar0) ==
	      0 && set_reg(vcpu, SYSREG(3, 0, 0, 6, 0), isar0 & ~0xf0ULL) == 0 &&
	      get_reg(vcpu, SYSREG(3, 0, 0, 6, 0), &val) == 0 &&
	      val == (isar0 & ~0xf0ULL) &&
	      set_reg(vcpu, SYSREG(3, 0, 0, 6, 0), isar0 | 0xf0) == -1 &&
	      errno == EINVAL);
	check("id_reg_masks", ioctl(vm, KVM_CHECK_EXTENSION,
				    KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES) == 1 &&
	      ioctl(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range) == 0 &&
	      (masks[KVM_ARM_FEATURE_ID_RANGE_IDX(3, 0, 0, 6, 0)] & 0xf0) &&
	      (range.reserved[0] = 1,
	       fails(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, (uintptr_t)&range,
		     EINVAL)));
	/* PV time: a 64-byte aligned IPA in a memslot, set once. */
	attr.addr = (uintptr_t)&ipa;
	ipa = RAM_GPA + RAM_SIZE - 64 + 8;
	check("pvtime_unaligned", ioctl(vcpu, KVM_HAS_DEVICE_ATTR, &attr) ==
	      0 && fails(vcpu, KVM_SET_DEVICE_ATTR, (uintptr_t)&attr, EINVAL));
	ipa = RAM_GPA + RAM_SIZE;
	check("pvtime_outside_ram", fails(vcpu, KVM_SET_DEVICE_ATTR,
					  (uintptr_t)&attr, EINVAL));
	check("pvtime_unset", fails(vcpu, KVM_GET_DEVICE_ATTR,
				    (uintptr_t)&attr, ENXIO));
	ipa = RAM_GPA + RAM_SIZE - 64;
	check("pvtime_set_once", ioctl(vcpu, KVM_SET_DEVICE_ATTR, &attr) == 0 &&
	      fails(vcpu, KVM_SET_DEVICE_ATTR, (uintptr_t)&attr, EEXIST));
	/*
	 * The timers' PPIs: KVM's defaults, read-only without an in-kernel
	 * irqchip (EINVAL, as KVM); no fifth timer.
	 */
	attr.group = KVM_ARM_VCPU_TIMER_CTRL;
	attr.attr = KVM_ARM_VCPU_TIMER_IRQ_VTIMER;
	attr.addr = (uintptr_t)&ppi;
	check("timer_attr_vtimer", ioctl(vcpu, KVM_HAS_DEVICE_ATTR, &attr) == 0 &&
	      ioctl(vcpu, KVM_GET_DEVICE_ATTR, &attr) == 0 && ppi == 27);
	attr.attr = KVM_ARM_VCPU_TIMER_IRQ_PTIMER;
	check("timer_attr_ptimer", ioctl(vcpu, KVM_GET_DEVICE_ATTR, &attr) == 0 &&
	      ppi == 30);
	ppi = 20;
	check("timer_attr_set_needs_irqchip",
	      fails(vcpu, KVM_SET_DEVICE_ATTR, (uintptr_t)&attr, EINVAL) &&
	      ioctl(vcpu, KVM_GET_DEVICE_ATTR, &attr) == 0 && ppi == 30);
	attr.attr = 4;
	check("timer_attr_unknown", fails(vcpu, KVM_HAS_DEVICE_ATTR,
					  (uintptr_t)&attr, ENXIO));
}

/* Runs until the next exit that is not an MMIO access; checks the MMIO. */
/* A KVM_EXIT_DEBUG for a software step, with the PC at @pc? */
static int stepped_to(int vcpu, struct kvm_run *run, uint64_t pc)
{
	uint64_t now = 0;

	return ioctl(vcpu, KVM_RUN, 0) == 0 &&
	       run->exit_reason == KVM_EXIT_DEBUG &&
	       (run->debug.arch.hsr >> 26) == 0x32 &&
	       get_reg(vcpu, CORE(regs.pc), &now) == 0 && now == pc;
}

/*
 * KVM_SET_GUEST_DEBUG: the guest from its first instruction again, one
 * instruction per KVM_RUN; an MMIO access in between completes its
 * instruction, and the step stops before the next one.
 */
static void step_guest(int kvm, int vcpu, struct kvm_run *run)
{
	struct kvm_guest_debug dbg = { .control = 1U << 5 };
	uint64_t pc = 0;
	int ok;

	check("cap_guest_debug", ioctl(kvm, KVM_CHECK_EXTENSION,
				       KVM_CAP_SET_GUEST_DEBUG) == 1 &&
	      ioctl(kvm, KVM_CHECK_EXTENSION,
		    KVM_CAP_GUEST_DEBUG_HW_BPS) >= 2);
	check("guest_debug_bad_flags", fails(vcpu, KVM_SET_GUEST_DEBUG,
					     (uintptr_t)&dbg, EINVAL));
	set_reg(vcpu, CORE(regs.pc), RAM_GPA);
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	ok = ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg) == 0 &&
	     stepped_to(vcpu, run, RAM_GPA + 4) &&
	     stepped_to(vcpu, run, RAM_GPA + 8);
	check("single_step", ok);
	ok = ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     stepped_to(vcpu, run, RAM_GPA + 12);
	check("single_step_over_mmio", ok);
	dbg.control = 0;
	ok = ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg) == 0 &&
	     ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART + 8;
	check("single_step_off", ok);
	/* The VMM's hardware breakpoint on the third instruction. */
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW;
	dbg.arch.dbg_bvr[0] = RAM_GPA + 8;
	dbg.arch.dbg_bcr[0] = 0xf << 5 | 1 << 1 | 1;	/* BAS, EL1, enabled */
	ok = set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	     ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg) == 0 &&
	     ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_DEBUG &&
	     (run->debug.arch.hsr >> 26) == 0x30 &&
	     get_reg(vcpu, CORE(regs.pc), &pc) == 0 && pc == RAM_GPA + 8;
	check("hw_breakpoint", ok);
	dbg.control = 0;
	check("hw_breakpoint_off", ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg) == 0);
}

/*
 * KVM_IOEVENTFD: the guest's store of 'O' signals the eventfd instead of
 * exiting (its next store exits); then KVM's rules.
 */
static void ioeventfds(int vm, int vcpu, struct kvm_run *run)
{
	struct kvm_ioeventfd io = {
		.addr = UART, .len = 1, .datamatch = 'O',
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH,
	};
	int efd = eventfd(0, EFD_NONBLOCK);
	uint64_t n = 0;

	io.fd = efd;
	check("ioeventfd_assign", ioctl(vm, KVM_IOEVENTFD, &io) == 0);
	check("ioeventfd_twice", fails(vm, KVM_IOEVENTFD, (uintptr_t)&io,
				       EEXIST));
	check("ioeventfd_signalled",
	      set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	      ioctl(vcpu, KVM_RUN, 0) == 0 &&
	      run->exit_reason == KVM_EXIT_MMIO &&
	      run->mmio.phys_addr == UART + 8 &&
	      read(efd, &n, sizeof(n)) == sizeof(n) && n == 1);
	io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	check("ioeventfd_deassign", ioctl(vm, KVM_IOEVENTFD, &io) == 0);
	check("ioeventfd_deassign_again", fails(vm, KVM_IOEVENTFD,
						(uintptr_t)&io, ENOENT));
	io.flags = 0;
	io.len = 3;
	check("ioeventfd_bad_len", fails(vm, KVM_IOEVENTFD, (uintptr_t)&io,
					 EINVAL));
	io.len = 0;
	io.flags = KVM_IOEVENTFD_FLAG_DATAMATCH;
	check("ioeventfd_no_len_match", fails(vm, KVM_IOEVENTFD,
					      (uintptr_t)&io, EINVAL));
	io.fd = -1;
	io.flags = 0;
	check("ioeventfd_bad_fd", fails(vm, KVM_IOEVENTFD, (uintptr_t)&io,
					EBADF));
	close(efd);
}

/*
 * A VM with a vGICv3: its address and control attributes, then what an
 * in-kernel irqchip allows: IRQ_LINE, GSI routing, irqfds.
 */
static void vgic_vm(int kvm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = 0x08000000, redist = 0x080a0000;
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[2];
	} rt;
	struct kvm_irq_level line = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | 40,
		.level = 1,
	};
	struct kvm_irqfd irqfd = { .gsi = 3 };
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu, gic, efd;

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	gic = ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0 ? (int)cd.fd : -1;
	check("vgic_create", vm >= 0 && vcpu >= 0 && gic >= 0 &&
	      ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) == 1);
	check("vgic_create_twice", fails(vm, KVM_CREATE_DEVICE, (uintptr_t)&cd,
					 EEXIST));
	a.attr = KVM_VGIC_V3_ADDR_TYPE_DIST;
	a.addr = (uintptr_t)&dist;
	check("vgic_dist_addr", ioctl(gic, KVM_SET_DEVICE_ATTR, &a) == 0 &&
	      fails(gic, KVM_SET_DEVICE_ATTR, (uintptr_t)&a, EEXIST));
	a.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
	a.addr = (uintptr_t)&redist;
	check("vgic_redist_addr", ioctl(gic, KVM_SET_DEVICE_ATTR, &a) == 0);
	check("vgic_irq_line_before_init", fails(vm, KVM_IRQ_LINE,
						 (uintptr_t)&line, EBUSY));
	a.group = KVM_DEV_ARM_VGIC_GRP_CTRL;
	a.attr = KVM_DEV_ARM_VGIC_CTRL_INIT;
	a.addr = 0;
	check("vgic_init", ioctl(gic, KVM_SET_DEVICE_ATTR, &a) == 0);
	check("vgic_vcpu_after_init", fails(vm, KVM_CREATE_VCPU, 1, EBUSY));
	check("vgic_irq_line", ioctl(vm, KVM_IRQ_LINE, &line) == 0);
	line.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | 2000;
	check("vgic_irq_line_bad_spi", fails(vm, KVM_IRQ_LINE,
					     (uintptr_t)&line, EINVAL));
	memset(&rt, 0, sizeof(rt));
	rt.r.nr = 1;
	rt.e[0].gsi = 3;
	rt.e[0].type = KVM_IRQ_ROUTING_IRQCHIP;
	rt.e[0].u.irqchip.pin = 8;
	check("gsi_routing", ioctl(vm, KVM_SET_GSI_ROUTING, &rt) == 0);
	rt.e[0].u.irqchip.pin = 988;
	check("gsi_routing_bad_pin", fails(vm, KVM_SET_GSI_ROUTING,
					   (uintptr_t)&rt, EINVAL));
	rt.e[0].type = KVM_IRQ_ROUTING_MSI;
	check("gsi_routing_msi_no_its", fails(vm, KVM_SET_GSI_ROUTING,
					      (uintptr_t)&rt, EINVAL));
	rt.r.nr = 2;
	rt.e[0].type = rt.e[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	rt.e[0].u.irqchip.pin = 8;
	rt.e[1] = rt.e[0];
	check("gsi_routing_twice", fails(vm, KVM_SET_GSI_ROUTING,
					 (uintptr_t)&rt, EINVAL));
	efd = eventfd(0, 0);
	irqfd.fd = efd;
	check("irqfd_assign", ioctl(vm, KVM_IRQFD, &irqfd) == 0);
	check("irqfd_busy", fails(vm, KVM_IRQFD, (uintptr_t)&irqfd, EBUSY));
	irqfd.flags = 1U << 7;
	check("irqfd_bad_flags", fails(vm, KVM_IRQFD, (uintptr_t)&irqfd,
				       EINVAL));
	irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	check("irqfd_deassign", ioctl(vm, KVM_IRQFD, &irqfd) == 0);
	close(efd);
	close(gic);
	close(vcpu);
	close(vm);
}

static void run_guest(int vcpu, struct kvm_run *run)
{
	int ok;

	ok = ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART && run->mmio.len == 1 &&
	     run->mmio.is_write && run->mmio.data[0] == 'O';
	check("run_mmio_write", ok);
	ok = ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART + 8 && run->mmio.len == 8 &&
	     *(uint64_t *)run->mmio.data == 0x10000;
	check("run_psci_version_in_kernel", ok);
	ok = ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART + 16 && !run->mmio.is_write;
	check("run_mmio_read", ok);
	*(uint64_t *)run->mmio.data = READ_VALUE;
	ok = ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO &&
	     run->mmio.phys_addr == UART + 24 &&
	     *(uint64_t *)run->mmio.data == READ_VALUE;
	check("run_mmio_read_completed", ok);
	ok = ioctl(vcpu, KVM_RUN, 0) == 0 &&
	     run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
	     run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
	check("run_system_off", ok);
	/* immediate_exit: EINTR, and the last exit is still there to read. */
	run->immediate_exit = 1;
	check("run_immediate_exit", fails(vcpu, KVM_RUN, 0, EINTR) &&
	      run->exit_reason == KVM_EXIT_SYSTEM_EVENT);
	run->immediate_exit = 0;
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct kvm_mp_state mp;
	long long mapped;
	struct kvm_run *run;
	int kvm, vm, vcpu, vcpu1, i;
	void *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	check("open_dev_kvm", kvm >= 0);
	if (kvm < 0)
		return 1;
	system_fd(kvm);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	check("create_vm", vm >= 0);
	if (vm < 0)
		return 1;
	mem = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(mem, 0, RAM_SIZE);	/* every page present: see below */
	memcpy(mem, guest_code, sizeof(guest_code));
	__builtin___clear_cache(mem, (char *)mem + RAM_SIZE);
	memslots(vm, mem);

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	check("create_vcpu", vcpu >= 0);
	check("create_vcpu_twice", fails(vm, KVM_CREATE_VCPU, 0, EEXIST));
	check("create_vcpu_bad_id", fails(vm, KVM_CREATE_VCPU, 1 << 20,
					  EINVAL));
	run = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	check("mmap_run", run != MAP_FAILED);
	if (vcpu < 0 || run == MAP_FAILED)
		return 1;
	vcpu_setup(vm, vcpu);
	vcpu_regs(vm, vcpu);
	run_guest(vcpu, run);
	step_guest(kvm, vcpu, run);
	check("id_reg_fixed_after_run",
	      set_reg(vcpu, SYSREG(3, 0, 0, 6, 0), 0) == -1 && errno == EBUSY);
	check("fw_bmap_fixed_after_run",
	      set_reg(vcpu, KVM_REG_ARM_STD_BMAP, 1) == 0 &&
	      set_reg(vcpu, KVM_REG_ARM_STD_BMAP, 0) == -1 && errno == EBUSY);
	/* Fault-around: the first fault brought the 15 present pages after. */
	mapped = stat_value(vm, "pages_mapped");
	check("fault_around", mapped == RAM_SIZE / page);
	/* The VMM drops its memory: the guest's pages go too (MMU notifier). */
	check("mmu_notifier_unmaps", mapped >= 1 &&
	      madvise(mem, RAM_SIZE, MADV_DONTNEED) == 0 &&
	      stat_value(vm, "pages_unmapped") == mapped);
	memcpy(mem, guest_code, sizeof(guest_code));
	__builtin___clear_cache(mem, (char *)mem + RAM_SIZE);
	check("run_after_dontneed", set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	      ioctl(vcpu, KVM_RUN, 0) == 0 &&
	      run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == UART);
	/* Only the page the VMM wrote again is there to map: no more. */
	check("fault_around_present_only",
	      stat_value(vm, "pages_mapped") == mapped + 1);
	/*
	 * The guest's RAM leaves it with its slot, and the VMM's memory keeps
	 * what the guest left there; added back, it runs again.
	 */
	check("memslot_delete_in_use", memslot(vm, 0, 0, 0, 0, mem) == 0 &&
	      !memcmp(mem, guest_code, sizeof(guest_code)));
	/* Every page the guest had went back. */
	check("stats_vm_pages", stat_value(vm, "pages_mapped") > mapped &&
	      stat_value(vm, "pages_unmapped") ==
	      stat_value(vm, "pages_mapped"));
	check("memslot_add_again", memslot(vm, 0, 0, RAM_GPA, RAM_SIZE,
					   mem) == 0);
	check("run_after_readd", set_reg(vcpu, CORE(regs.pc), RAM_GPA) == 0 &&
	      ioctl(vcpu, KVM_RUN, 0) == 0 &&
	      run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == UART);
	/*
	 * Eight MMIO exits reached this VMM (two while stepping); of the
	 * PSCI calls, only SYSTEM_OFF reached the kernel: EL2 answered
	 * PSCI_VERSION.
	 */
	check("stats_mmio", stat_value(vcpu, "mmio_exit_user") == 8);
	check("stats_hvc", stat_value(vcpu, "hvc_exit_stat") == 1);
	ioeventfds(vm, vcpu, run);

	vcpu1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	init.features[0] = 1U << KVM_ARM_VCPU_POWER_OFF |
			   1U << KVM_ARM_VCPU_PSCI_0_2;
	check("secondary_powered_off", vcpu1 >= 0 &&
	      ioctl(vcpu1, KVM_ARM_VCPU_INIT, &init) == 0 &&
	      ioctl(vcpu1, KVM_GET_MP_STATE, &mp) == 0 &&
	      mp.mp_state == KVM_MP_STATE_STOPPED);

	/* The VM goes with its last fd; many VMs, one after the other. */
	munmap(run, page);
	close(vcpu1);
	close(vcpu);
	close(vm);
	for (i = 0; i < 40; i++) {
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
		if (vm < 0)
			break;
		vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
		close(vm);		/* the vCPU fd still holds the VM */
		if (vcpu >= 0)
			close(vcpu);
	}
	check("vm_create_destroy_x40", i == 40);
	many_vcpus(kvm);
	vgic_vm(kvm);
	huge_guest(kvm);
	counter_offset(kvm);
	munmap(mem, RAM_SIZE);
	close(kvm);
	return failed;
}
