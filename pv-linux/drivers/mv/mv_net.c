// SPDX-License-Identifier: GPL-2.0
/*
 * A point-to-point Ethernet link over a microvisor channel ("mv,channel-net"): each ring
 * record is one Ethernet frame, transmitted from ndo_start_xmit and received by NAPI on the
 * channel's doorbell. Records shorter than an Ethernet header are link control messages
 * (struct mv_net_ctrl): each side announces itself when it opens and answers the peer's
 * announcement, and the carrier is up while the peer has answered. The peer is not
 * trusted: a bad record is dropped and counted, a corrupt ring stops the link.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/skbuff.h>

#include "mv_channel.h"

#define MV_NET_CTRL_MAGIC 0x4b4c564d	/* "MVLK" */
#define MV_NET_CTRL_UP 1u		/* the sender's interface is up */
#define MV_NET_CTRL_DOWN 2u		/* the sender's interface went down */
#define MV_NET_CTRL_ACK 0x100u		/* an answer: do not answer it */
#define MV_NET_MAX_MTU 65535u
#define MV_NET_TX_SEGS (MAX_SKB_FRAGS + 1)

/* A link control record: 8 bytes, below ETH_HLEN, so never mistaken for a frame. */
struct mv_net_ctrl {
	__le32 magic;
	__le32 state;
};

struct mv_net {
	struct net_device *ndev;
	struct device *dev;
	struct mv_channel ch;
	struct napi_struct napi;
	spinlock_t tx_lock;		/* frames and control records share the tx ring */
	u32 tx_batch_start;		/* tx index before the first unnotified record */
	bool tx_pending_notify;
	bool broken;			/* a ring broke: the link is dead until reboot */
	void *scratch;			/* a record we cannot allocate an skb for lands here */
	u32 max_payload;
	/* Misbehaviour of the peer, beyond the standard counters. */
	unsigned long rx_bad_ctrl;
	unsigned long rx_oversize;
	unsigned long tx_peer_stopped;
};

static int mv_net_notify(struct mv_net *mn)
{
	int err = mv_channel_notify(&mn->ch);

	if (err == -ENOTCONN) {
		/* The peer cell is stopped: no carrier until its driver announces itself. */
		mn->tx_peer_stopped++;
		netif_carrier_off(mn->ndev);
	}
	return err;
}

/* Rings the doorbell for the records written since tx_batch_start, if the peer asked. */
static void mv_net_flush_tx(struct mv_net *mn)
{
	if (!mn->tx_pending_notify)
		return;
	mn->tx_pending_notify = false;
	if (mv_ring_need_notify_after_write(&mn->ch.tx, mn->tx_batch_start))
		mv_net_notify(mn);
}

static void mv_net_mark_tx(struct mv_net *mn, u32 old)
{
	if (!mn->tx_pending_notify) {
		mn->tx_batch_start = old;
		mn->tx_pending_notify = true;
	}
}

static void mv_net_broken(struct mv_net *mn, const char *what)
{
	if (!mn->broken)
		netdev_err(mn->ndev, "%s ring of channel %s is corrupt: link stopped\n", what,
			   mn->ch.name);
	mn->broken = true;
	netif_carrier_off(mn->ndev);
}

static void mv_net_send_ctrl(struct mv_net *mn, u32 state)
{
	struct mv_net_ctrl c = {
		.magic = cpu_to_le32(MV_NET_CTRL_MAGIC),
		.state = cpu_to_le32(state),
	};
	unsigned long flags;
	u32 old;
	int err;

	spin_lock_irqsave(&mn->tx_lock, flags);
	if (mn->broken)
		goto out;
	old = mv_ring_index(&mn->ch.tx);
	err = mv_ring_write(&mn->ch.tx, &c, sizeof(c));
	if (err == MV_RING_E_CORRUPT) {
		mv_net_broken(mn, "tx");
	} else if (!err) {
		mv_net_mark_tx(mn, old);
		mv_net_flush_tx(mn);
	}
	/* A full ring drops the message: the peer is not reading, and it announces itself
	 * when it comes back.
	 */
out:
	spin_unlock_irqrestore(&mn->tx_lock, flags);
}

static void mv_net_rx_ctrl(struct mv_net *mn, const struct mv_net_ctrl *c, u32 len)
{
	u32 state;

	if (len != sizeof(*c) || le32_to_cpu(c->magic) != MV_NET_CTRL_MAGIC) {
		mn->rx_bad_ctrl++;
		mn->ndev->stats.rx_errors++;
		return;
	}
	state = le32_to_cpu(c->state);
	switch (state & ~MV_NET_CTRL_ACK) {
	case MV_NET_CTRL_UP:
		if (!netif_carrier_ok(mn->ndev))
			netdev_info(mn->ndev, "link up: peer %s\n", mn->ch.peer_name);
		netif_carrier_on(mn->ndev);
		if (!(state & MV_NET_CTRL_ACK))
			mv_net_send_ctrl(mn, MV_NET_CTRL_UP | MV_NET_CTRL_ACK);
		break;
	case MV_NET_CTRL_DOWN:
		if (netif_carrier_ok(mn->ndev))
			netdev_info(mn->ndev, "link down: peer %s\n", mn->ch.peer_name);
		netif_carrier_off(mn->ndev);
		break;
	default:
		mn->rx_bad_ctrl++;
		mn->ndev->stats.rx_errors++;
	}
}

/* One record off the rx ring. Returns true for a record consumed, frame or not; false when
 * the ring is empty or broken. Each buffer is passed with its real size: the ring hands
 * over exactly the length the peek checked, but no caller relies on that alone.
 */
static bool mv_net_rx_one(struct mv_net *mn)
{
	struct net_device *ndev = mn->ndev;
	struct sk_buff *skb;
	u32 len, got;
	int err;

	err = mv_ring_peek_len(&mn->ch.rx, &len);
	if (err == MV_RING_E_EMPTY)
		return false;
	if (err) {
		mv_net_broken(mn, "rx");
		return false;
	}
	if (len < ETH_HLEN || len > ndev->mtu + ETH_HLEN) {
		struct mv_net_ctrl c;
		bool small = len <= sizeof(c);
		void *buf = small ? (void *)&c : mn->scratch;

		err = mv_ring_read(&mn->ch.rx, buf, small ? sizeof(c) : mn->max_payload, &got);
		if (err) {
			mv_net_broken(mn, "rx");
			return false;
		}
		if (len < ETH_HLEN) {
			mv_net_rx_ctrl(mn, buf, got);
		} else {
			mn->rx_oversize++;
			ndev->stats.rx_length_errors++;
			ndev->stats.rx_errors++;
		}
		return true;
	}

	skb = napi_alloc_skb(&mn->napi, len);
	err = mv_ring_read(&mn->ch.rx, skb ? skb->data : mn->scratch,
			   skb ? len : mn->max_payload, &got);
	if (err) {
		dev_kfree_skb_any(skb);
		mv_net_broken(mn, "rx");
		return false;
	}
	if (!skb) {
		ndev->stats.rx_dropped++;
		return true;
	}
	skb_put(skb, got);
	skb->protocol = eth_type_trans(skb, ndev);
	/* Memory to memory: nothing can corrupt the frame on the way (see docs/linux.md). */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	ndev->stats.rx_packets++;
	ndev->stats.rx_bytes += got;
	napi_gro_receive(&mn->napi, skb);
	return true;
}

/* Every record consumed counts toward the budget, frames or not: a peer that streams
 * control records, oversized records or records we drop must not keep this CPU in
 * softirq (Documentation/networking/napi.rst: poll does at most budget work).
 */
static int mv_net_poll(struct napi_struct *napi, int budget)
{
	struct mv_net *mn = container_of(napi, struct mv_net, napi);
	int done = 0;
	u32 old = mv_ring_index(&mn->ch.rx);

	while (done < budget && !mn->broken && mv_net_rx_one(mn))
		done++;
	/* Room freed: wake the peer if it waits for it. */
	if (mv_ring_need_notify_after_read(&mn->ch.rx, old))
		mv_net_notify(mn);
	/* The same doorbell says our tx ring has room again. */
	if (netif_queue_stopped(mn->ndev))
		netif_wake_queue(mn->ndev);

	if (done < budget && napi_complete_done(napi, done)) {
		if (!mn->broken && mv_ring_enable_notify(&mn->ch.rx))
			napi_schedule(napi);
	}
	return done;
}

static irqreturn_t mv_net_interrupt(int irq, void *data)
{
	struct mv_net *mn = data;

	napi_schedule(&mn->napi);
	return IRQ_HANDLED;
}

static u32 mv_net_gather(struct sk_buff *skb, struct mv_ring_iov *iov)
{
	u32 n = 0, i;

	iov[n].base = skb->data;
	iov[n++].len = skb_headlen(skb);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		iov[n].base = skb_frag_address(f);
		iov[n++].len = skb_frag_size(f);
	}
	return n;
}

static netdev_tx_t mv_net_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct mv_net *mn = netdev_priv(ndev);
	struct mv_ring_iov iov[MV_NET_TX_SEGS];
	u32 n, old;
	int err;

	/* CHECKSUM_PARTIAL frames go out as they are: the peer trusts the channel. */
	n = mv_net_gather(skb, iov);
	spin_lock(&mn->tx_lock);
	if (mn->broken) {
		spin_unlock(&mn->tx_lock);
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	old = mv_ring_index(&mn->ch.tx);
	err = mv_ring_writev(&mn->ch.tx, iov, n);
	if (err == MV_RING_E_FULL) {
		/* The write armed producer_event: the peer's read of half the ring rings our
		 * doorbell, and NAPI wakes the queue. Check once more after stopping, in case
		 * that doorbell came before the queue was stopped.
		 */
		netif_stop_queue(ndev);
		mv_net_flush_tx(mn);
		/* The queue is seen stopped before the ring is read again (pairs with the
		 * stopped check in mv_net_poll()).
		 */
		smp_mb();
		err = mv_ring_writev(&mn->ch.tx, iov, n);
		if (err == MV_RING_E_FULL) {
			spin_unlock(&mn->tx_lock);
			return NETDEV_TX_BUSY;
		}
		netif_start_queue(ndev);
	}
	if (err == MV_RING_E_CORRUPT) {
		mv_net_broken(mn, "tx");
	} else if (!err) {
		mv_net_mark_tx(mn, old);
		ndev->stats.tx_packets++;
		ndev->stats.tx_bytes += skb->len;
	}
	if (err)
		ndev->stats.tx_dropped++;
	if (!netdev_xmit_more() || netif_queue_stopped(ndev))
		mv_net_flush_tx(mn);
	spin_unlock(&mn->tx_lock);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

static int mv_net_open(struct net_device *ndev)
{
	struct mv_net *mn = netdev_priv(ndev);

	netif_carrier_off(ndev);
	napi_enable(&mn->napi);
	netif_start_queue(ndev);
	mv_net_send_ctrl(mn, MV_NET_CTRL_UP);
	/* Records may have arrived while we were down. */
	napi_schedule(&mn->napi);
	return 0;
}

static int mv_net_stop(struct net_device *ndev)
{
	struct mv_net *mn = netdev_priv(ndev);

	mv_net_send_ctrl(mn, MV_NET_CTRL_DOWN);
	netif_stop_queue(ndev);
	napi_disable(&mn->napi);
	netif_carrier_off(ndev);
	return 0;
}

static const struct net_device_ops mv_net_ops = {
	.ndo_open = mv_net_open,
	.ndo_stop = mv_net_stop,
	.ndo_start_xmit = mv_net_start_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static ssize_t peer_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct mv_net *mn = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%s\n", mn->ch.peer_name);
}
static DEVICE_ATTR_RO(peer);

static ssize_t misbehaviour_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct mv_net *mn = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "rx_bad_ctrl %lu\nrx_oversize %lu\ntx_peer_stopped %lu\nbroken %d\n",
			  mn->rx_bad_ctrl, mn->rx_oversize, mn->tx_peer_stopped, mn->broken);
}
static DEVICE_ATTR_RO(misbehaviour);

static struct attribute *mv_net_attrs[] = {
	&dev_attr_peer.attr,
	&dev_attr_misbehaviour.attr,
	NULL
};

static const struct attribute_group mv_net_group = {
	.name = "mv",
	.attrs = mv_net_attrs,
};

/* A locally administered MAC derived from the two cells, so each end differs and a
 * restart keeps it.
 */
static void mv_net_set_mac(struct mv_net *mn)
{
	long self = mv_cell_info(MV_INFO_CELL_ID);
	u8 mac[ETH_ALEN] = { 0x02, 0x6d, 0x76, 0, 0, 0 };

	mac[3] = (u8)mn->ch.index;
	mac[4] = (u8)mn->ch.peer;
	mac[5] = self < 0 ? 0xff : (u8)self;
	eth_hw_addr_set(mn->ndev, mac);
}

static int mv_net_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct net_device *ndev;
	struct mv_net *mn;
	int err;

	ndev = devm_alloc_etherdev(dev, sizeof(*mn));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, dev);
	mn = netdev_priv(ndev);
	mn->ndev = ndev;
	mn->dev = dev;
	spin_lock_init(&mn->tx_lock);
	err = mv_channel_attach(&mn->ch, dev->of_node, dev);
	if (err)
		return dev_err_probe(dev, err, "cannot attach the channel\n");
	mn->max_payload = mv_ring_max_payload(&mn->ch.rx);
	if (mn->max_payload < ETH_HLEN + ETH_MIN_MTU)
		return dev_err_probe(dev, -EINVAL, "channel too small for Ethernet\n");
	mn->scratch = mv_devm_kvmalloc(dev, mn->max_payload);
	if (!mn->scratch)
		return -ENOMEM;

	ndev->netdev_ops = &mv_net_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = min_t(u32, min(mv_ring_max_payload(&mn->ch.tx), mn->max_payload) -
			      ETH_HLEN, MV_NET_MAX_MTU);
	ndev->mtu = min_t(u32, ETH_DATA_LEN, ndev->max_mtu);
	ndev->features = NETIF_F_SG | NETIF_F_HW_CSUM;
	ndev->hw_features = ndev->features;
	ndev->sysfs_groups[0] = &mv_net_group;
	mv_net_set_mac(mn);
	netif_napi_add(ndev, &mn->napi, mv_net_poll);
	netif_carrier_off(ndev);

	err = devm_request_irq(dev, mn->ch.irq, mv_net_interrupt, 0, dev_name(dev), mn);
	if (err)
		return dev_err_probe(dev, err, "cannot get the doorbell IRQ\n");
	err = devm_register_netdev(dev, ndev);
	if (err)
		return err;
	platform_set_drvdata(pdev, mn);
	netdev_info(ndev, "channel %u (%s) to cell %s, %u KiB, MTU up to %u\n", mn->ch.index,
		    mn->ch.name, mn->ch.peer_name, mn->ch.size / 1024, ndev->max_mtu);
	return 0;
}

static const struct of_device_id mv_net_of_match[] = {
	{ .compatible = "mv,channel-net" },
	{ }
};

static struct platform_driver mv_net_driver = {
	.probe = mv_net_probe,
	.driver = {
		.name = "mv-net",
		.of_match_table = mv_net_of_match,
		.suppress_bind_attrs = true,
	},
};
builtin_platform_driver(mv_net_driver);
