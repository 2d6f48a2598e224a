// SPDX-License-Identifier: GPL-2.0
/*
 * Microvisor channel core: hypercalls (SMCCC over HVC #0), and attaching a channel
 * described in the device tree that mvimage generates (docs/linux.md). The node's
 * values are checked against what the microvisor itself says (CHANNEL_INFO).
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/platform_device.h>
#include <linux/string.h>


#include "mv_channel.h"

long mv_cell_info(u32 item)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(MV_CALL_CELL_INFO, item, &res);
	if ((long)res.a0 != MV_OK)
		return -EINVAL;
	return (long)res.a1;
}

/* /sys/module/mv_channel/parameters/{cell_id,reset_count}: the init script tells a first
 * boot from a restart by the latter.
 */
static int mv_param_get_info(char *buf, const struct kernel_param *kp)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "mv,microvisor");
	long v = -ENODEV;

	/* Without a microvisor, HVC is undefined: ask only when the tree says it is there. */
	if (np)
		v = mv_cell_info((u32)(uintptr_t)kp->arg);
	of_node_put(np);
	return sysfs_emit(buf, "%ld\n", v);
}

static const struct kernel_param_ops mv_param_info_ops = {
	.get = mv_param_get_info,
};
module_param_cb(cell_id, &mv_param_info_ops, (void *)MV_INFO_CELL_ID, 0444);
module_param_cb(reset_count, &mv_param_info_ops, (void *)MV_INFO_RESET_COUNT, 0444);

void mv_debug_write(const char *s, unsigned int n)
{
	struct arm_smccc_res res;
	u32 w[5] = { 0 };
	unsigned int i;

	n = min_t(unsigned int, n, MV_DEBUG_WRITE_MAX);
	for (i = 0; i < n; i++)
		w[i / 4] |= (u32)(unsigned char)s[i] << (8 * (i % 4));
	arm_smccc_1_1_hvc(MV_CALL_DEBUG_WRITE, n, w[0], w[1], w[2], w[3], w[4], &res);
}

static void mv_kvfree_action(void *p)
{
	kvfree(p);
}

void *mv_devm_kvmalloc(struct device *dev, size_t size)
{
	void *p = kvmalloc(size, GFP_KERNEL);

	if (!p || devm_add_action_or_reset(dev, mv_kvfree_action, p))
		return NULL;
	return p;
}

int mv_channel_notify(struct mv_channel *ch)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(MV_CALL_CHANNEL_NOTIFY, ch->index, &res);
	switch ((long)res.a0) {
	case MV_OK:
		return 0;
	case MV_E_DENIED:
		return -ENOTCONN;
	default:
		return -EINVAL;
	}
}

/* The peer's name, 12 bytes per CELL_NAME call. */
static void mv_channel_peer_name(struct mv_channel *ch)
{
	struct arm_smccc_res res;
	u32 chunk, i;

	memset(ch->peer_name, 0, sizeof(ch->peer_name));
	for (chunk = 0; chunk * 12 < MV_CELL_NAME_MAX; chunk++) {
		u32 w[3];

		arm_smccc_1_1_hvc(MV_CALL_CELL_NAME, ch->peer, chunk, &res);
		if ((long)res.a0 != MV_OK)
			break;
		w[0] = res.a1;
		w[1] = res.a2;
		w[2] = res.a3;
		for (i = 0; i < 12 && chunk * 12 + i < MV_CELL_NAME_MAX - 1; i++)
			ch->peer_name[chunk * 12 + i] = (char)(w[i / 4] >> (8 * (i % 4)));
	}
}

int mv_channel_attach(struct mv_channel *ch, struct device_node *np, struct device *dev)
{
	struct arm_smccc_res res;
	u32 reg[2];
	int err;

	memset(ch, 0, sizeof(*ch));
	if (of_property_read_u32(np, "mv,channel", &ch->index) ||
	    of_property_read_u32_array(np, "reg", reg, 2))
		return -EINVAL;
	if (of_property_read_string(np, "label", &ch->name))
		ch->name = np->name;

	/* The microvisor's word is what counts; the tree only tells us which channel. */
	arm_smccc_1_1_hvc(MV_CALL_CHANNEL_INFO, ch->index, &res);
	if ((long)res.a0 != MV_OK) {
		pr_err("mv: channel %u (%pOF): CHANNEL_INFO failed (%ld)\n", ch->index, np,
		       (long)res.a0);
		return -ENODEV;
	}
	if (res.a1 != reg[0] || res.a2 != reg[1]) {
		pr_err("mv: channel %u (%pOF): device tree says %#x+%#x, microvisor %#lx+%#lx\n",
		       ch->index, np, reg[0], reg[1], res.a1, res.a2);
		return -ENODEV;
	}
	ch->ipa = res.a1;
	ch->size = res.a2;
	ch->end = MV_CHANNEL_INFO_END(res.a3);
	ch->peer = MV_CHANNEL_INFO_PEER(res.a3);
	mv_channel_peer_name(ch);

	if (dev)
		ch->mem = devm_memremap(dev, ch->ipa, ch->size, MEMREMAP_WB);
	else
		ch->mem = memremap(ch->ipa, ch->size, MEMREMAP_WB);
	if (IS_ERR_OR_NULL(ch->mem)) {
		ch->mem = NULL;
		return -ENOMEM;
	}
	err = mv_ring_init_channel(&ch->tx, &ch->rx, ch->mem, ch->size, ch->end);
	if (err) {
		pr_err("mv: channel %s: rings unusable (%d)\n", ch->name, err);
		if (!dev)
			memunmap(ch->mem);
		return -EIO;
	}
	if (dev) {
		ch->irq = platform_get_irq(to_platform_device(dev), 0);
		if (ch->irq < 0)
			return ch->irq;
	}
	return 0;
}

