/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Microvisor channels: the shared-memory rings and doorbell of one channel of this
 * cell, as the other pv-linux drivers use them (docs/linux.md).
 */
#ifndef MV_CHANNEL_H
#define MV_CHANNEL_H

#include <linux/device.h>
#include <linux/of.h>
#include <linux/types.h>

#include <mv/abi.h>
#include <mv/ring.h>

/*
 * One channel, attached: the IPA window mapped, both rings initialised (taking over the
 * indices a previous life of this cell left in them). tx is only written by one context
 * at a time and rx only read by one; the drivers serialise their own users.
 */
struct mv_channel {
	u32 index;		/* cell-local number for CHANNEL_INFO/CHANNEL_NOTIFY */
	u32 end;		/* 0 or 1 */
	u32 peer;		/* peer cell ID */
	char peer_name[MV_CELL_NAME_MAX];
	const char *name;	/* the channel's name in the system description */
	phys_addr_t ipa;
	u32 size;
	void *mem;
	int irq;		/* Linux IRQ of our doorbell, or 0 before probe */
	struct mv_ring tx;
	struct mv_ring rx;
};

/*
 * Attach the channel described by device-tree node np. With dev, the mapping is
 * device-managed and the doorbell IRQ is looked up; without (early console), the caller
 * keeps the mapping for good. Returns 0 or a negative errno.
 */
int mv_channel_attach(struct mv_channel *ch, struct device_node *np, struct device *dev);

/*
 * Ring the peer's doorbell. Returns 0, -ENOTCONN when the peer cell is stopped, or
 * -EINVAL.
 */
int mv_channel_notify(struct mv_channel *ch);

/* kvmalloc() that the device frees with its other managed resources. */
void *mv_devm_kvmalloc(struct device *dev, size_t size);

/* The cell-info item of MV_CALL_CELL_INFO, or a negative errno. */
long mv_cell_info(u32 item);

/* Write up to MV_DEBUG_WRITE_MAX bytes through the microvisor's debug console. */
void mv_debug_write(const char *s, unsigned int n);

#endif
