// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_STATS_FD: KVM's binary statistics format (api.rst, "The file
 * descriptor can be used to read VM/vCPU statistics data in binary
 * format"): a header, the id string, the descriptors, then the data, one
 * u64 per counter, read live from the VM's or vCPU's counters.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

#define NAME_SIZE	48	/* KVM_STATS_NAME_SIZE */
#define COUNTER		(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE | \
			 KVM_STATS_BASE_POW10)

struct stats_desc {
	u32 flags;
	s16 exponent;
	u16 size;
	u32 offset;
	u32 bucket_size;
	char name[NAME_SIZE];
};

static const char *const vm_stat_names[SKVM_VM_NR_STATS] = {
	[SKVM_VM_STAT_PAGES_MAPPED] = "pages_mapped",
	[SKVM_VM_STAT_PAGES_UNMAPPED] = "pages_unmapped",
	[SKVM_VM_STAT_BLOCKS_MAPPED] = "blocks_mapped",
};

static const char *const vcpu_stat_names[SKVM_VCPU_NR_STATS] = {
	[SKVM_VCPU_STAT_EXITS] = "exits",
	[SKVM_VCPU_STAT_HVC] = "hvc_exit_stat",
	[SKVM_VCPU_STAT_WFE] = "wfe_exit_stat",
	[SKVM_VCPU_STAT_WFI] = "wfi_exit_stat",
	[SKVM_VCPU_STAT_MMIO_USER] = "mmio_exit_user",
	[SKVM_VCPU_STAT_SIGNAL] = "signal_exits",
	[SKVM_VCPU_STAT_IRQ] = "irq_exits",
	[SKVM_VCPU_STAT_FAULT] = "stage2_faults",
	[SKVM_VCPU_STAT_SYSREG_UNDEF] = "sysreg_undef",
	[SKVM_VCPU_STAT_HALT_WAKEUP] = "halt_wakeup",
	[SKVM_VCPU_STAT_HALT_POLL] = "halt_attempted_poll",
};

struct stats_file {
	struct skvm_kvm *kvm;		/* held: the counters live in it */
	const u64 *data;
	unsigned int nr;
	size_t head_len;		/* header, id and descriptors */
	u8 head[];
};

static ssize_t stats_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	const struct stats_file *sf = file->private_data;
	size_t total = sf->head_len + sf->nr * sizeof(u64), done = 0;
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	while (done < len && pos < total) {
		size_t chunk;
		u64 val;

		if (pos < sf->head_len) {
			chunk = min_t(size_t, len - done, sf->head_len - pos);
			if (copy_to_user(buf + done, sf->head + pos, chunk))
				return -EFAULT;
		} else {
			size_t off = pos - sf->head_len;

			val = READ_ONCE(sf->data[off / 8]);
			chunk = min_t(size_t, len - done, 8 - off % 8);
			if (copy_to_user(buf + done, (u8 *)&val + off % 8, chunk))
				return -EFAULT;
		}
		done += chunk;
		pos += chunk;
	}
	*ppos = pos;
	return done;
}

static int stats_release(struct inode *inode, struct file *file)
{
	struct stats_file *sf = file->private_data;

	skvm_kvm_put(sf->kvm);
	kfree(sf);
	return 0;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.read = stats_read,
	.release = stats_release,
	.llseek = noop_llseek,
};

static int stats_fd(struct skvm_kvm *kvm, const char *id,
		    const char *const *names, const u64 *data, unsigned int nr)
{
	struct kvm_stats_header hdr = {
		.name_size = NAME_SIZE,
		.num_desc = nr,
		.id_offset = sizeof(hdr),
		.desc_offset = sizeof(hdr) + NAME_SIZE,
		.data_offset = sizeof(hdr) + NAME_SIZE +
			       nr * sizeof(struct stats_desc),
	};
	struct stats_desc *d;
	struct stats_file *sf;
	struct file *file;
	unsigned int i;
	int fd;

	sf = kzalloc(sizeof(*sf) + hdr.data_offset, GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->kvm = kvm;
	sf->data = data;
	sf->nr = nr;
	sf->head_len = hdr.data_offset;
	memcpy(sf->head, &hdr, sizeof(hdr));
	strscpy(sf->head + hdr.id_offset, id, NAME_SIZE);
	d = (void *)(sf->head + hdr.desc_offset);
	for (i = 0; i < nr; i++) {
		d[i].flags = COUNTER;
		d[i].size = 1;
		d[i].offset = i * sizeof(u64);
		strscpy(d[i].name, names[i], NAME_SIZE);
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_free;
	file = anon_inode_getfile("kvm-stats", &stats_fops, sf, O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto out_free;
	}
	/* Read with pread() at any offset, as KVM's stats files are. */
	file->f_mode |= FMODE_PREAD;
	kref_get(&kvm->ref);
	fd_install(fd, file);
	return fd;
out_free:
	kfree(sf);
	return fd;
}

int skvm_kvm_vm_stats_fd(struct skvm_kvm *kvm)
{
	char id[NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d", task_pid_nr(current));
	return stats_fd(kvm, id, vm_stat_names, kvm->stats,
			SKVM_VM_NR_STATS);
}

int skvm_kvm_vcpu_stats_fd(struct skvm_kvm_vcpu *v)
{
	char id[NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d/vcpu-%u", task_pid_nr(current), v->id);
	return stats_fd(v->kvm, id, vcpu_stat_names, v->stats,
			SKVM_VCPU_NR_STATS);
}
