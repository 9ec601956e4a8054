// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-fuzz SEED ITERATIONS: seeded random KVM API calls with random
 * arguments on /dev/kvm, VM and vCPU fds: creation, closes at any point,
 * memslots, registers, init, runs (with a timer signal to end blocked
 * ones), stats, mmap, device attributes, dirty logs, coalesced MMIO
 * zones, caps, unknown ioctls, the VMM's memory dropped or protected
 * under running vCPUs, and a second thread running vCPUs at the same
 * time. Then everything is closed, and the host must have
 * every EL2 VM slot and its memory back. Prints SPLITKVM-CHECK lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define NFD		16
#define MEM_SIZE	(256 * 1024)
#define EL2_VMS		253	/* guest VM slots at EL2 (8-bit VMIDs) */

static int kvm;
static int vms[NFD], vcpus[NFD], gics[NFD];
static void *mem;
static uint64_t rng;
static int stop, runner_done;	/* __atomic: shared by the threads */

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(const uint64_t *v, unsigned int n)
{
	return v[rnd() % n];
}

/* Interesting numbers, and random ones. */
static uint64_t arg(void)
{
	static const uint64_t special[] = {
		0, 1, 2, 8, 40, 48, 0x1000, 0x80000000, 0xffffffff,
		1ULL << 40, 1ULL << 63, ~0ULL, ~0ULL - 0xfff,
	};

	return rnd() & 1 ? pick(special, sizeof(special) / 8) : rnd();
}

static int fd_of(int *set)
{
	return set[rnd() % NFD];
}

static void put_fd(int *set, int fd)
{
	int i = rnd() % NFD;

	if (fd < 0)
		return;
	if (set[i] >= 0)
		close(set[i]);
	set[i] = fd;
}

static void *runner(void *unused)
{
	sigset_t set;

	/* The process timer is the main thread's; this one gets SIGUSR1. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		int fd = fd_of(vcpus);

		if (fd >= 0)
			ioctl(fd, KVM_RUN, 0);
		else
			usleep(100);
	}
	__atomic_store_n(&runner_done, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* A register id of a kind ONE_REG knows beyond the core set, or any. */
static uint64_t sysreg_id(void)
{
	static const uint64_t base[] = {
		KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG,
		KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW,
		KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW_FEAT_BMAP,
	};

	if (!(rnd() & 3))
		return arg();
	/* op0 2 or 3, the rest random: ID, debug, timer, cache registers. */
	return pick(base, 3) | (rnd() & 1 ? (2 + rnd() % 2) << 14 : 0) |
	       (rnd() & 0x3fff);
}

static void device_attr(void)
{
	static const unsigned long cmds[] = {
		KVM_HAS_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_SET_DEVICE_ATTR,
	};
	uint64_t v = rnd() & 1 ? 0x80000000 + (rnd() % 64) * 64 : arg();
	struct kvm_smccc_filter f = {
		.base = rnd() & 1 ? 0x84000000 + rnd() % 64 : arg(),
		.nr_functions = rnd() & 1 ? rnd() % 4 : arg(),
		.action = rnd() % 4,
	};
	struct kvm_device_attr a = {
		.group = rnd() & 1 ? rnd() % 4 : arg(),
		.attr = rnd() & 1 ? rnd() % 2 : arg(),
	};
	int vm = rnd() & 1;

	a.addr = rnd() & 7 ? (uintptr_t)(vm ? (void *)&f : (void *)&v) : arg();
	ioctl(vm ? fd_of(vms) : fd_of(vcpus), pick(cmds, 3), &a);
}

/*
 * The vGICv3: created on a VM (or refused), then any attribute of any
 * group: addresses near real ones, register offsets in and past the
 * frames, CPU interface registers around the ICC encodings, line levels.
 */
static void vgic_op(void)
{
	static const unsigned long cmds[] = {
		KVM_HAS_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_SET_DEVICE_ATTR,
	};
	struct kvm_create_device cd = {
		.type = rnd() & 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 : rnd() % 12,
		.flags = rnd() & 3 ? 0 : rnd() % 3,
	};
	uint64_t v = rnd() & 1 ? 0x8000000 + (rnd() % 64) * 0x10000 : arg();
	struct kvm_device_attr a = {
		.group = rnd() & 7 ? rnd() % 9 : arg(),
		.addr = rnd() & 7 ? (uintptr_t)&v : arg(),
	};

	if (!(rnd() % 4)) {
		/* A test-only create (the flag) gives no fd. */
		if (!ioctl(fd_of(vms), KVM_CREATE_DEVICE, &cd) &&
		    !(cd.flags & KVM_CREATE_DEVICE_TEST))
			put_fd(gics, cd.fd);
		return;
	}
	switch (rnd() % 4) {
	case 0:
		a.attr = rnd() % 7;		/* address types */
		break;
	case 1:
		a.attr = (rnd() % 5) << 32 | (rnd() % 0x20100 & ~3);
		break;
	case 2:
		a.attr = (rnd() % 5) << 32 | 0xc000 | (rnd() % 0x400);
		break;
	default:
		a.attr = arg();
		break;
	}
	ioctl(fd_of(gics), pick(cmds, 3), &a);
}

/*
 * Interrupt plumbing: lines, irqfds (sometimes closed at once), GSI
 * routes, ioeventfds, MSIs.
 */
static void irq_op(void)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[4];
	} rt;
	struct kvm_irq_level line = {
		.irq = rnd() & 1 ? (rnd() % 3) << 24 | (rnd() % 3) << 16 |
				   rnd() % 300 : arg(),
		.level = rnd() & 1,
	};
	struct kvm_irqfd irqfd = {
		.gsi = rnd() & 1 ? rnd() % 300 : arg(),
		.flags = rnd() & 3 ? rnd() % 4 : arg(),
	};
	struct kvm_ioeventfd io = {
		.addr = rnd() & 1 ? 0x9000000 + (rnd() % 4) * 4 : arg(),
		.len = rnd() & 1 ? 1 << (rnd() % 4) : rnd() % 9,
		.datamatch = rnd() % 4,
		.flags = rnd() & 3 ? rnd() % 8 : arg(),
	};
	struct kvm_msi msi = { .address_lo = arg(), .data = arg() };
	unsigned int i;
	int efd;

	switch (rnd() % 5) {
	case 0:
		ioctl(fd_of(vms), KVM_IRQ_LINE, &line);
		break;
	case 1:
		efd = eventfd(rnd() % 2, 0);
		irqfd.fd = rnd() & 7 ? efd : arg();
		irqfd.resamplefd = rnd() & 1 ? efd : arg();
		ioctl(fd_of(vms), KVM_IRQFD, &irqfd);
		if (rnd() & 1)
			eventfd_write(efd, 1);
		if (rnd() & 1)
			close(efd);	/* the irqfd lives on, or goes */
		break;
	case 2:
		memset(&rt, 0, sizeof(rt));
		rt.r.nr = rnd() & 7 ? rnd() % 5 : arg();
		for (i = 0; i < 4; i++) {
			rt.e[i].gsi = rnd() % 8;
			rt.e[i].type = rnd() & 3 ? KVM_IRQ_ROUTING_IRQCHIP :
				       rnd() % 8;
			rt.e[i].u.irqchip.pin = rnd() & 1 ? rnd() % 300 : arg();
		}
		ioctl(fd_of(vms), KVM_SET_GSI_ROUTING, rnd() & 7 ? &rt :
							(void *)arg());
		break;
	case 3:
		efd = eventfd(0, 0);
		io.fd = rnd() & 7 ? efd : arg();
		ioctl(fd_of(vms), KVM_IOEVENTFD, &io);
		close(efd);
		break;
	default:
		ioctl(fd_of(vms), KVM_SIGNAL_MSI, &msi);
		break;
	}
}

static void dirty_log(void)
{
	uint64_t bits[64];
	struct kvm_clear_dirty_log c = {
		.slot = rnd() & 1 ? rnd() % 4 : arg(),
		.first_page = rnd() & 1 ? (rnd() % 2) * 64 : arg(),
		.num_pages = rnd() & 1 ? rnd() % 128 : arg(),
		.dirty_bitmap = rnd() & 7 ? bits : (void *)arg(),
	};
	struct kvm_dirty_log g = {
		.slot = c.slot, .dirty_bitmap = c.dirty_bitmap,
	};

	memset(bits, rnd() & 0xff, sizeof(bits));
	if (rnd() & 1)
		ioctl(fd_of(vms), KVM_CLEAR_DIRTY_LOG, &c);
	else
		ioctl(fd_of(vms), KVM_GET_DIRTY_LOG, &g);
}

static void one_op(void)
{
	struct kvm_userspace_memory_region mr;
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	struct kvm_reg_list *rl;
	uint64_t val[2], buf[64];
	int fd, i;

	switch (rnd() % 24) {
	case 0:
		put_fd(vms, ioctl(kvm, KVM_CREATE_VM, rnd() & 3 ? 0 : arg()));
		break;
	case 1:
		fd = fd_of(vms);
		put_fd(vcpus, ioctl(fd, KVM_CREATE_VCPU, rnd() & 3 ? rnd() % 9 :
							       arg()));
		break;
	case 2:
		i = rnd() % NFD;
		if (rnd() & 1 && vms[i] >= 0) {
			close(vms[i]);
			vms[i] = -1;
		} else if (vcpus[i] >= 0) {
			close(vcpus[i]);
			vcpus[i] = -1;
		}
		break;
	case 3:
		mr.slot = rnd() & 1 ? rnd() % 4 : arg();
		mr.flags = rnd() & 3 ? 0 : arg();
		mr.guest_phys_addr = rnd() & 1 ? 0x80000000 + (rnd() % 64) * 0x1000 :
						arg();
		mr.memory_size = rnd() & 1 ? (rnd() % 64) * 0x1000 : arg();
		mr.userspace_addr = rnd() & 3 ? (uintptr_t)mem +
					(rnd() % 64) * 0x1000 : arg();
		ioctl(fd_of(vms), KVM_SET_USER_MEMORY_REGION, &mr);
		break;
	case 4:
		memset(&init, 0, sizeof(init));
		init.target = rnd() & 3 ? KVM_ARM_TARGET_GENERIC_V8 : arg();
		init.features[0] = rnd() & 1 ? rnd() % 8 : arg();
		ioctl(fd_of(vcpus), KVM_ARM_VCPU_INIT, &init);
		break;
	case 5:
	case 6:
		val[0] = rnd() & 1 ? 0x80000000 + (rnd() % 64) * 0x1000 : arg();
		val[1] = arg();
		reg.id = rnd() & 1 ? (KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				      KVM_REG_ARM_CORE | (rnd() % 80) * 2) :
				     arg();
		reg.addr = rnd() & 7 ? (uintptr_t)val : arg();
		ioctl(fd_of(vcpus), rnd() & 1 ? KVM_SET_ONE_REG :
						KVM_GET_ONE_REG, &reg);
		break;
	case 7:
		rl = (void *)buf;
		rl->n = rnd() % 300;
		if (rl->n > 60)
			rl->n = 60;
		ioctl(fd_of(vcpus), KVM_GET_REG_LIST, rnd() & 7 ? rl : (void *)arg());
		break;
	case 8:
	case 9:
		ioctl(fd_of(vcpus), KVM_RUN, rnd() & 7 ? 0 : arg());
		break;
	case 10:
		fd = ioctl(rnd() & 1 ? fd_of(vms) : fd_of(vcpus),
			   KVM_GET_STATS_FD, 0);
		if (fd >= 0) {
			pread(fd, buf, sizeof(buf), rnd() % 4096);
			close(fd);
		}
		break;
	case 11: {
		unsigned long off = (rnd() % 3) * 0x1000;
		size_t len = 0x1000 * (1 + rnd() % 3);
		void *p = mmap(NULL, len,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fd_of(vcpus),
			       off);

		/* Only page 0 is there: touching the others is SIGBUS. */
		if (p != MAP_FAILED && !off)
			__atomic_store_n(&((struct kvm_run *)p)->immediate_exit,
					 rnd() & 1, __ATOMIC_RELAXED);
		if (p != MAP_FAILED)
			munmap(p, len);
		break;
	}
	case 12:
		/* Any ioctl number, on any of our fds. */
		ioctl(rnd() % 3 ? fd_of(vcpus) : rnd() & 1 ? fd_of(vms) : kvm,
		      rnd() & 1 ? _IO(KVMIO, rnd() % 256) : (unsigned long)arg(),
		      rnd() & 1 ? (unsigned long)buf : arg());
		break;
	case 14:
		device_attr();
		break;
	case 15:
		dirty_log();
		break;
	case 16: {
		/* Coalesced MMIO zones, anywhere. */
		struct kvm_coalesced_mmio_zone z = {
			.addr = rnd() & 1 ? 0x9000000 + (rnd() % 4) * 8 : arg(),
			.size = rnd() & 1 ? 8 : arg(), .pio = rnd() % 3,
		};

		ioctl(fd_of(vms), rnd() & 1 ? KVM_REGISTER_COALESCED_MMIO :
					     KVM_UNREGISTER_COALESCED_MMIO, &z);
		break;
	}
	case 17:
		/* The registers beyond the core set, by their kinds. */
		val[0] = arg();
		reg.id = sysreg_id();
		reg.addr = rnd() & 7 ? (uintptr_t)val : arg();
		ioctl(fd_of(vcpus), rnd() & 1 ? KVM_SET_ONE_REG :
						KVM_GET_ONE_REG, &reg);
		break;
	case 18: {
		struct kvm_enable_cap cap = {
			.cap = rnd() & 1 ? KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 :
			       rnd() & 1 ? KVM_CAP_ARM_SYSTEM_SUSPEND : arg(),
			.flags = rnd() & 3 ? 0 : arg(),
			.args = { rnd() & 1 ? rnd() % 4 : arg() },
		};

		ioctl(fd_of(vms), KVM_ENABLE_CAP, &cap);
		break;
	}
	case 19:
		/* The VMM's memory changes under running vCPUs. */
		i = rnd() % 64;
		if (rnd() & 1)
			madvise((char *)mem + i * 0x1000, (1 + rnd() % 8) * 0x1000,
				MADV_DONTNEED);
		else
			mprotect((char *)mem + i * 0x1000, 0x1000,
				 rnd() & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
		break;
	case 20: {
		/* The VMM debugs: steps, its breakpoints, random ones. */
		struct kvm_guest_debug dbg = {
			.control = rnd() & 3 ? KVM_GUESTDBG_ENABLE |
					       (rnd() & 0x30003) : arg(),
		};

		for (i = 0; i < KVM_ARM_MAX_DBG_REGS; i++) {
			dbg.arch.dbg_bcr[i] = rnd() & 1 ? 0 : arg();
			dbg.arch.dbg_bvr[i] = rnd() & 1 ? 0 : arg();
			dbg.arch.dbg_wcr[i] = rnd() & 1 ? 0 : arg();
			dbg.arch.dbg_wvr[i] = rnd() & 1 ? 0 : arg();
		}
		ioctl(fd_of(vcpus), KVM_SET_GUEST_DEBUG, &dbg);
		break;
	}
	case 21:
		vgic_op();
		break;
	case 22:
		irq_op();
		break;
	default:
		ioctl(kvm, rnd() & 1 ? KVM_CHECK_EXTENSION :
				       KVM_GET_VCPU_MMAP_SIZE, arg());
		break;
	}
}

static void on_alarm(int sig)
{
}

/* Ends the runner's blocked or spinning runs, whatever the main thread does. */
static void *ticker(void *thr)
{
	while (!__atomic_load_n(&runner_done, __ATOMIC_RELAXED)) {
		pthread_kill(*(pthread_t *)thr, SIGUSR1);
		usleep(5000);
	}
	return NULL;
}

static long mem_free_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * As many VMs as EL2 has slots fit (EL2 says ENOSPC when it has no slot; a
 * host allocation failure, ENOMEM, is no leak of ours and is tried again),
 * and not one more; then they all go again. Returns 1 if so.
 */
static int fill_el2_slots(void)
{
	int i, fds[EL2_VMS], ok;

	for (i = 0, ok = 1; i < EL2_VMS; i++) {
		int tries = 0;

		do {
			fds[i] = ioctl(kvm, KVM_CREATE_VM, 0);
		} while (fds[i] < 0 && errno == ENOMEM && ++tries < 10 &&
			 !usleep(100000));
		if (fds[i] < 0)
			printf("KVM_CREATE_VM #%d: %s\n", i, strerror(errno));
		ok &= fds[i] >= 0;
	}
	i = ioctl(kvm, KVM_CREATE_VM, 0);
	if (i >= 0 || errno != ENOSPC) {
		printf("KVM_CREATE_VM past the EL2 slots: %d (%s)\n", i,
		       strerror(errno));
		ok = 0;
		if (i >= 0)
			close(i);
	}
	for (i = 0; i < EL2_VMS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ok;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	unsigned long iters = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000, n;
	long before, after;
	pthread_t thr, tick;
	int i, ok;

	rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	rng = rng ? rng : 1;
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		return 1;
	/*
	 * The memory check compares against a host that has made as many VMs
	 * once already: the slab caches of that round stay, a leak does not.
	 */
	fill_el2_slots();
	before = mem_free_kb();
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Mostly "b ." and HVCs, so that runs stop on their own too. */
	for (n = 0; n < MEM_SIZE / 4; n++)
		((uint32_t *)mem)[n] = n & 1 ? 0xd4000002 : 0x14000000;
	for (i = 0; i < NFD; i++)
		vms[i] = vcpus[i] = gics[i] = -1;
	/* A timer signal ends runs that would block (WFI, spinning guests). */
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_create(&thr, NULL, runner, NULL);
	pthread_create(&tick, NULL, ticker, &thr);
	for (n = 0; n < iters; n++)
		one_op();
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(thr, NULL);
	pthread_join(tick, NULL);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	/*
	 * Every fd but /dev/kvm's: the random ioctls may have made VMs, vCPUs
	 * and stats fds the tables above never saw.
	 */
	for (i = 3; i < 1024; i++)
		if (i != kvm)
			close(i);
	munmap(mem, MEM_SIZE);
	printf("SPLITKVM-CHECK: ok kvm_fuzz_survived_%lu_calls\n", iters);

	/* Every EL2 VM slot is free again. */
	ok = fill_el2_slots();
	printf("SPLITKVM-CHECK: %s kvm_fuzz_el2_slots_back\n", ok ? "ok" : "not ok");
	/* And the memory: what pinned pages and VMs took is free again. */
	after = mem_free_kb();
	printf("SPLITKVM-CHECK: %s kvm_fuzz_memory_back (%ld kB before, %ld after)\n",
	       after > before - 4096 ? "ok" : "not ok", before, after);
	close(kvm);
	return !ok || after <= before - 4096;
}
