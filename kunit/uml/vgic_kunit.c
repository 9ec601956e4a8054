// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_vgic: the host's vGICv3 state machine (host/vgic.c, the very
 * file the module runs) on three simulated vCPUs: what goes into the list
 * registers and in which order, what the guest's acknowledge and EOI do,
 * level against edge, overflow, SGI targets, and when the virtual timer
 * is delivered. The guest is played by editing the list registers as the
 * hardware would between a flush and a fold.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "host/vgic.c"

#define NR_CPUS_SIM	3
#define NR_IRQS_SIM	64

struct sim_vgic {
	struct skvm_vgic vgic;
	struct skvm_vgic_cpu cpu[NR_CPUS_SIM];
	struct skvm_vgic_if gif[NR_CPUS_SIM];
	struct skvm_irq spis[NR_IRQS_SIM - SKVM_VGIC_NR_PRIVATE];
	unsigned int kicks[NR_CPUS_SIM];
};

static struct sim_vgic *sim_of(struct skvm_vgic *vgic)
{
	return container_of(vgic, struct sim_vgic, vgic);
}

/* vCPU n has MPIDR Aff0 = n, as KVM lays out the first 16. */
static struct skvm_vgic_cpu *sim_by_mpidr(struct skvm_vgic *vgic, u64 mpidr)
{
	return mpidr < NR_CPUS_SIM ? &sim_of(vgic)->cpu[mpidr] : NULL;
}

static struct skvm_vgic_cpu *sim_by_index(struct skvm_vgic *vgic, u32 i)
{
	return i < NR_CPUS_SIM ? &sim_of(vgic)->cpu[i] : NULL;
}

static struct sim_vgic *kick_target;

static void sim_kick(struct skvm_vgic_cpu *c)
{
	kick_target->kicks[c - kick_target->cpu]++;
}

static const struct skvm_vgic_ops sim_ops = {
	.cpu_by_mpidr = sim_by_mpidr,
	.cpu_by_index = sim_by_index,
	.kick = sim_kick,
};

/* Three vCPUs with 4 list registers, KVM's reset state, group 1 on. */
static struct sim_vgic *sim_new(struct kunit *test)
{
	struct sim_vgic *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned int n, i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	spin_lock_init(&s->vgic.lock);
	s->vgic.ops = &sim_ops;
	s->vgic.enabled = true;
	s->vgic.nr_irqs = NR_IRQS_SIM;
	s->vgic.spis = s->spis;
	for (i = 0; i < ARRAY_SIZE(s->spis); i++) {
		s->spis[i].intid = SKVM_VGIC_NR_PRIVATE + i;
		s->spis[i].group1 = true;
	}
	for (n = 0; n < NR_CPUS_SIM; n++) {
		struct skvm_vgic_cpu *c = &s->cpu[n];

		INIT_LIST_HEAD(&c->ap_list);
		c->gif = &s->gif[n];
		c->gif->vmcr = 0xffULL << 24;	/* VPMR: all priorities */
		c->nr_lr = 4;
		for (i = 0; i < SKVM_VGIC_NR_PRIVATE; i++) {
			c->priv[i].intid = i;
			c->priv[i].vcpu = c;
			c->priv[i].group1 = true;
			c->priv[i].edge = i < SKVM_VGIC_NR_SGIS;
			c->priv[i].enabled = i < SKVM_VGIC_NR_SGIS;
		}
	}
	kick_target = s;
	return s;
}

static struct skvm_vgic_timers timers(void)
{
	return (struct skvm_vgic_timers){
		.vcount = 2000, .vtimer_ppi = 27, .ptimer_ppi = 30,
	};
}

static void flush(struct sim_vgic *s, unsigned int n)
{
	struct skvm_vgic_timers t = timers();

	skvm_vgic_flush(&s->vgic, &s->cpu[n], &t);
}

/* The list register holding @intid after a flush, or 0. */
static u64 lr_of(struct sim_vgic *s, unsigned int n, u32 intid)
{
	unsigned int i;

	for (i = 0; i < s->gif[n].nr_lr; i++)
		if ((s->gif[n].lr[i] & SKVM_ICH_LR_VINTID) == intid)
			return s->gif[n].lr[i];
	return 0;
}

/* The guest acknowledges (pending -> active) or completes an interrupt. */
static void guest_ack(struct sim_vgic *s, unsigned int n, u32 intid)
{
	unsigned int i;

	for (i = 0; i < s->gif[n].nr_lr; i++)
		if ((s->gif[n].lr[i] & SKVM_ICH_LR_VINTID) == intid)
			s->gif[n].lr[i] = (s->gif[n].lr[i] &
					   ~SKVM_ICH_LR_STATE) |
					  SKVM_ICH_LR_ACTIVE;
}

static void guest_eoi(struct sim_vgic *s, unsigned int n, u32 intid)
{
	unsigned int i;

	for (i = 0; i < s->gif[n].nr_lr; i++)
		if ((s->gif[n].lr[i] & SKVM_ICH_LR_VINTID) == intid)
			s->gif[n].lr[i] &= ~SKVM_ICH_LR_STATE;
}

static void enable_spi(struct sim_vgic *s, u32 intid, u8 prio, u64 mpidr)
{
	struct skvm_irq *irq = skvm_vgic_irq(&s->vgic, NULL, intid);

	irq->enabled = true;
	irq->edge = true;
	irq->priority = prio;
	irq->mpidr = mpidr;
}

/* An edge SPI: pending, then active, then gone, with its priority. */
static void edge_life_cycle(struct kunit *test)
{
	struct sim_vgic *s = sim_new(test);
	u64 lr;

	enable_spi(s, 40, 0xa0, 1);
	KUNIT_EXPECT_EQ(test, 0, skvm_vgic_set_level(&s->vgic, NULL, 40, 1));
	KUNIT_EXPECT_EQ(test, 1u, s->kicks[1]);
	KUNIT_EXPECT_EQ(test, 0u, s->kicks[0]);
	flush(s, 1);
	lr = lr_of(s, 1, 40);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_PENDING, lr & SKVM_ICH_LR_STATE);
	KUNIT_EXPECT_EQ(test, 0xa0ULL, (lr & SKVM_ICH_LR_PRIO) >>
					SKVM_ICH_LR_PRIO_SHIFT);
	KUNIT_EXPECT_TRUE(test, lr & SKVM_ICH_LR_GROUP);
	KUNIT_EXPECT_FALSE(test, lr & (SKVM_ICH_LR_HW | SKVM_ICH_LR_EOI));
	/* Not on vCPU 0, which the router does not name. */
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	/* Acknowledged: active only, even after another edge... */
	guest_ack(s, 1, 40);
	skvm_vgic_fold(&s->vgic, &s->cpu[1]);
	flush(s, 1);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_ACTIVE,
			lr_of(s, 1, 40) & SKVM_ICH_LR_STATE);
	skvm_vgic_set_level(&s->vgic, NULL, 40, 0);
	skvm_vgic_set_level(&s->vgic, NULL, 40, 1);
	skvm_vgic_fold(&s->vgic, &s->cpu[1]);
	flush(s, 1);
	/* ...which makes it pending and active. */
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_STATE,
			lr_of(s, 1, 40) & SKVM_ICH_LR_STATE);
	guest_eoi(s, 1, 40);
	skvm_vgic_fold(&s->vgic, &s->cpu[1]);
	flush(s, 1);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[1].nr_lr);
	KUNIT_EXPECT_TRUE(test, list_empty(&s->cpu[1].ap_list));
}

/*
 * A level interrupt stays pending while its line is high, whatever the
 * guest acknowledged, and asks for an EOI maintenance interrupt.
 */
static void level_follows_the_line(struct kunit *test)
{
	struct sim_vgic *s = sim_new(test);
	struct skvm_irq *irq = skvm_vgic_irq(&s->vgic, NULL, 50);

	enable_spi(s, 50, 0x80, 0);
	irq->edge = false;
	skvm_vgic_set_level(&s->vgic, NULL, 50, 1);
	flush(s, 0);
	KUNIT_EXPECT_TRUE(test, lr_of(s, 0, 50) & SKVM_ICH_LR_EOI);
	guest_ack(s, 0, 50);
	guest_eoi(s, 0, 50);
	skvm_vgic_fold(&s->vgic, &s->cpu[0]);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_PENDING,
			lr_of(s, 0, 50) & SKVM_ICH_LR_STATE);
	/* The line drops before the guest takes it: nothing any more. */
	skvm_vgic_set_level(&s->vgic, NULL, 50, 0);
	skvm_vgic_fold(&s->vgic, &s->cpu[0]);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
}

/*
 * More than fit: the list registers take the active ones first, then the
 * highest priorities, and the underflow maintenance interrupt is asked
 * for; the rest follow once the guest is done with those.
 */
static void overflow_by_priority(struct kunit *test)
{
	static const u8 prio[] = { 0x90, 0x20, 0xf0, 0x40, 0x10, 0x60 };
	struct sim_vgic *s = sim_new(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prio); i++) {
		enable_spi(s, 32 + i, prio[i], 2);
		skvm_vgic_set_level(&s->vgic, NULL, 32 + i, 1);
	}
	flush(s, 2);
	KUNIT_EXPECT_EQ(test, 4ULL, s->gif[2].nr_lr);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_HCR_UIE, s->gif[2].hcr);
	KUNIT_EXPECT_EQ(test, 36ULL, s->gif[2].lr[0] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, 33ULL, s->gif[2].lr[1] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, 35ULL, s->gif[2].lr[2] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, 37ULL, s->gif[2].lr[3] & SKVM_ICH_LR_VINTID);
	/* 0x90 and 0xf0 wait; the guest takes 36, then the rest get in. */
	guest_ack(s, 2, 36);
	skvm_vgic_fold(&s->vgic, &s->cpu[2]);
	flush(s, 2);
	KUNIT_EXPECT_EQ(test, 36ULL, s->gif[2].lr[0] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_ACTIVE,
			s->gif[2].lr[0] & SKVM_ICH_LR_STATE);
	for (i = 0; i < 4; i++)
		guest_eoi(s, 2, s->gif[2].lr[i] & SKVM_ICH_LR_VINTID);
	skvm_vgic_fold(&s->vgic, &s->cpu[2]);
	flush(s, 2);
	KUNIT_EXPECT_EQ(test, 2ULL, s->gif[2].nr_lr);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[2].hcr);
	KUNIT_EXPECT_EQ(test, 32ULL, s->gif[2].lr[0] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, 34ULL, s->gif[2].lr[1] & SKVM_ICH_LR_VINTID);
}

/* Disabled, or the distributor off: queued only once both allow it. */
static void enables_gate_delivery(struct kunit *test)
{
	struct sim_vgic *s = sim_new(test);
	struct skvm_irq *irq = skvm_vgic_irq(&s->vgic, NULL, 45);
	unsigned long flags;

	enable_spi(s, 45, 0, 0);
	irq->enabled = false;
	skvm_vgic_set_level(&s->vgic, NULL, 45, 1);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	s->vgic.enabled = false;
	spin_lock_irqsave(&s->vgic.lock, flags);
	irq->enabled = true;
	skvm_vgic_queue(&s->vgic, irq, flags);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	s->vgic.enabled = true;
	spin_lock_irqsave(&s->vgic.lock, flags);
	skvm_vgic_queue(&s->vgic, irq, flags);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 45ULL, s->gif[0].lr[0] & SKVM_ICH_LR_VINTID);
	/* Moved to another vCPU: the next flush there takes it. */
	irq->mpidr = 1;
	skvm_vgic_fold(&s->vgic, &s->cpu[0]);
	flush(s, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	KUNIT_EXPECT_GE(test, s->kicks[1], 1u);
	flush(s, 1);
	KUNIT_EXPECT_EQ(test, 45ULL, s->gif[1].lr[0] & SKVM_ICH_LR_VINTID);
	/* Still pending after the run: it would wake a WFI... */
	skvm_vgic_fold(&s->vgic, &s->cpu[1]);
	KUNIT_EXPECT_TRUE(test, skvm_vgic_pending(&s->vgic, &s->cpu[1]));
	/* Below the guest's priority mask it does not wake it. */
	s->gif[1].vmcr = 0;
	KUNIT_EXPECT_FALSE(test, skvm_vgic_pending(&s->vgic, &s->cpu[1]));
}

/* ICC_SGI1R_EL1: a target list, then all but the sender (IRM). */
static void sgi_targets(struct kunit *test)
{
	struct sim_vgic *s = sim_new(test);

	/* SGI 5 to Aff0 1 and 2, from vCPU 0. */
	skvm_vgic_sgi(&s->vgic, &s->cpu[0], 5ULL << 24 | BIT(1) | BIT(2),
		      true);
	flush(s, 0);
	flush(s, 1);
	flush(s, 2);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	KUNIT_EXPECT_EQ(test, 5ULL, s->gif[1].lr[0] & SKVM_ICH_LR_VINTID);
	KUNIT_EXPECT_EQ(test, 5ULL, s->gif[2].lr[0] & SKVM_ICH_LR_VINTID);
	/* Another Aff1: nobody. */
	skvm_vgic_sgi(&s->vgic, &s->cpu[0], 6ULL << 24 | 1ULL << 16 | BIT(1),
		      true);
	flush(s, 1);
	KUNIT_EXPECT_EQ(test, 0ULL, lr_of(s, 1, 6));
	/* IRM from vCPU 2: 0 and 1. */
	skvm_vgic_sgi(&s->vgic, &s->cpu[2], 7ULL << 24 | BIT_ULL(40), true);
	flush(s, 0);
	flush(s, 1);
	flush(s, 2);
	KUNIT_EXPECT_NE(test, 0ULL, lr_of(s, 0, 7));
	KUNIT_EXPECT_NE(test, 0ULL, lr_of(s, 1, 7));
	KUNIT_EXPECT_EQ(test, 0ULL, lr_of(s, 2, 7));
	/* A group 0 SGI (ICC_SGI0R_EL1) to a group 1 interrupt: dropped. */
	skvm_vgic_sgi(&s->vgic, &s->cpu[0], 8ULL << 24 | BIT(1), false);
	flush(s, 1);
	KUNIT_EXPECT_EQ(test, 0ULL, lr_of(s, 1, 8));
}

/*
 * The virtual timer: a hardware-mapped list register when the guest can
 * take it at once (interrupts unmasked, or it waited in WFI); while it
 * masks them, its physical interrupt is held active and the host looks
 * again soon.
 */
static void vtimer_delivery(struct kunit *test)
{
	struct sim_vgic *s = sim_new(test);
	struct skvm_vgic_timers t = timers();
	u64 lr;

	s->cpu[0].priv[27].enabled = true;
	s->cpu[0].priv[27].hwintid = SKVM_VGIC_VTIMER_HWINTID;
	s->gif[0].cntv_ctl = 1;		/* ENABLE, due: see t.vcount */
	s->gif[0].cntv_cval = 1000;
	s->gif[0].pstate = SKVM_PSTATE_I;
	skvm_vgic_flush(&s->vgic, &s->cpu[0], &t);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	KUNIT_EXPECT_TRUE(test, t.phys_active);
	KUNIT_EXPECT_TRUE(test, t.recheck);
	/* Not due yet (whatever ISTATUS was saved): nothing, nothing held. */
	t = timers();
	t.after_wfi = true;
	t.vcount = 999;
	s->gif[0].cntv_ctl = 5;
	skvm_vgic_flush(&s->vgic, &s->cpu[0], &t);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	KUNIT_EXPECT_FALSE(test, t.phys_active);
	s->gif[0].cntv_ctl = 1;
	t = timers();
	t.after_wfi = true;
	t.vcount = 1000;
	skvm_vgic_flush(&s->vgic, &s->cpu[0], &t);
	lr = lr_of(s, 0, 27);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_PENDING | SKVM_ICH_LR_HW,
			lr & (SKVM_ICH_LR_STATE | SKVM_ICH_LR_HW));
	KUNIT_EXPECT_EQ(test, 27ULL, (lr & SKVM_ICH_LR_PINTID) >>
				     SKVM_ICH_LR_PINTID_SHIFT);
	KUNIT_EXPECT_TRUE(test, t.phys_active);
	KUNIT_EXPECT_FALSE(test, t.recheck);
	/* The guest takes it and masks the timer: its physical one is freed. */
	guest_ack(s, 0, 27);
	guest_eoi(s, 0, 27);
	skvm_vgic_fold(&s->vgic, &s->cpu[0]);
	s->gif[0].cntv_ctl = 3;		/* IMASK */
	s->gif[0].pstate = 0;
	t = timers();
	skvm_vgic_flush(&s->vgic, &s->cpu[0], &t);
	KUNIT_EXPECT_EQ(test, 0ULL, s->gif[0].nr_lr);
	KUNIT_EXPECT_FALSE(test, t.phys_active);
	/* The emulated physical timer: a level line, EOI maintenance. */
	s->cpu[0].priv[30].enabled = true;
	t = timers();
	t.ptimer_level = true;
	skvm_vgic_flush(&s->vgic, &s->cpu[0], &t);
	KUNIT_EXPECT_EQ(test, SKVM_ICH_LR_PENDING | SKVM_ICH_LR_EOI,
			lr_of(s, 0, 30) & (SKVM_ICH_LR_STATE | SKVM_ICH_LR_EOI |
					   SKVM_ICH_LR_HW));
}

static struct kunit_case vgic_cases[] = {
	KUNIT_CASE(edge_life_cycle),
	KUNIT_CASE(level_follows_the_line),
	KUNIT_CASE(overflow_by_priority),
	KUNIT_CASE(enables_gate_delivery),
	KUNIT_CASE(sgi_targets),
	KUNIT_CASE(vtimer_delivery),
	{}
};

static struct kunit_suite vgic_suite = {
	.name = "splitkvm_vgic",
	.test_cases = vgic_cases,
};
kunit_test_suite(vgic_suite);
