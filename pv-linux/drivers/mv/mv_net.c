// SPDX-License-Identifier: GPL-2.0
/*
 * A point-to-point Ethernet link over a microvisor channel ("mv,channel-net"), in the
 * record format of <mv/net.h>: each frame record is a small header (checksum state, as
 * CHECKSUM_PARTIAL travels in virtio-net's header) and one Ethernet frame, transmitted
 * from ndo_start_xmit and received by NAPI on the channel's doorbell. Shorter records are
 * link control messages (struct mv_net_ctrl): each side announces itself and its features
 * when it opens and answers the peer's announcement, and the carrier is up while the peer
 * has answered. The peer is not trusted: a bad record is dropped and counted, a corrupt
 * ring stops the link.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/skbuff.h>

#include <mv/net.h>

#include "mv_channel.h"

#define MV_NET_MAX_MTU 65535u
#define MV_NET_TX_SEGS (MAX_SKB_FRAGS + 2)	/* the header, the linear part, the frags */
#define MV_NET_HDR_FLAGS (MV_NET_HDR_F_NEEDS_CSUM | MV_NET_HDR_F_DATA_VALID)

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
	u32 features;			/* MV_NET_F_* we announce; under tx_lock */
	u32 peer_features;		/* MV_NET_F_* of the peer's last UP */
	/* Misbehaviour of the peer, beyond the standard counters. */
	unsigned long rx_bad_ctrl;
	unsigned long rx_oversize;
	unsigned long rx_bad_hdr;
	unsigned long tx_peer_stopped;
	/* The transmit queue: stopped for want of room, and writes that found none anyway. */
	unsigned long tx_stops;
	unsigned long tx_busy;
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

/* What this end takes from the peer, with these netdev features. */
static u32 mv_net_features(netdev_features_t features)
{
	return features & NETIF_F_RXCSUM ? MV_NET_F_CSUM : 0;
}

/* Sends a control record; features, if not NULL, first become what we announce. */
static void mv_net_send_ctrl(struct mv_net *mn, u32 state, const u32 *features)
{
	struct mv_net_ctrl c = {
		.magic = MV_NET_CTRL_MAGIC,
		.state = state,
	};
	unsigned long flags;
	u32 old;
	int err;

	spin_lock_irqsave(&mn->tx_lock, flags);
	if (features)
		mn->features = *features;
	c.features = mn->features;
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

	if (len != sizeof(*c) || c->magic != MV_NET_CTRL_MAGIC) {
		mn->rx_bad_ctrl++;
		mn->ndev->stats.rx_errors++;
		return;
	}
	state = c->state;
	switch (state & ~MV_NET_CTRL_ACK) {
	case MV_NET_CTRL_UP:
		/* Read by the transmitter without the lock: any one value is a valid one. */
		WRITE_ONCE(mn->peer_features, c->features);
		if (!netif_carrier_ok(mn->ndev))
			netdev_info(mn->ndev, "link up: peer %s, features %#x\n", mn->ch.peer_name,
				    c->features);
		netif_carrier_on(mn->ndev);
		if (!(state & MV_NET_CTRL_ACK))
			mv_net_send_ctrl(mn, MV_NET_CTRL_UP | MV_NET_CTRL_ACK, NULL);
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

/*
 * Takes the header off a frame record in skb and sets the checksum state it gives. Every
 * field comes from the peer and is checked: false, and the frame is dropped, on anything
 * <mv/net.h> does not allow. The checksum range is checked here, not only by
 * skb_partial_csum_set(), whose warning a peer could otherwise repeat at will.
 */
static bool mv_net_rx_hdr(struct mv_net *mn, struct sk_buff *skb)
{
	struct mv_net_hdr h;
	u32 start, off;

	if (skb->len < MV_NET_FRAME_MIN)
		return false;
	memcpy(&h, skb->data, sizeof(h));
	__skb_pull(skb, sizeof(h));
	if (h.reserved || (h.flags & ~MV_NET_HDR_FLAGS))
		return false;
	if (!(h.flags & MV_NET_HDR_F_NEEDS_CSUM)) {
		if (h.csum_start || h.csum_offset)
			return false;
		/* With RXCSUM off, the stack verifies every checksum itself. */
		if ((h.flags & MV_NET_HDR_F_DATA_VALID) && (mn->ndev->features & NETIF_F_RXCSUM))
			skb->ip_summed = CHECKSUM_UNNECESSARY;
		return true;
	}
	if (h.flags & MV_NET_HDR_F_DATA_VALID)
		return false;
	start = h.csum_start;
	off = h.csum_offset;
	if (start < ETH_HLEN || start + off + sizeof(__sum16) > skb_headlen(skb) ||
	    skb_headroom(skb) + start > U16_MAX)
		return false;
	/* Even with RXCSUM off (a record sent before our UP said so): whoever delivers or
	 * forwards the frame completes the checksum.
	 */
	return skb_partial_csum_set(skb, (u16)start, (u16)off);
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
	if (len < MV_NET_FRAME_MIN || len > ndev->mtu + MV_NET_FRAME_MIN) {
		struct mv_net_ctrl c;
		bool small = len <= sizeof(c);
		void *buf = small ? (void *)&c : mn->scratch;

		err = mv_ring_read(&mn->ch.rx, buf, small ? sizeof(c) : mn->max_payload, &got);
		if (err) {
			mv_net_broken(mn, "rx");
			return false;
		}
		if (len < MV_NET_FRAME_MIN) {
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
	if (!mv_net_rx_hdr(mn, skb)) {
		mn->rx_bad_hdr++;
		ndev->stats.rx_errors++;
		dev_kfree_skb_any(skb);
		return true;
	}
	skb->protocol = eth_type_trans(skb, ndev);
	ndev->stats.rx_packets++;
	ndev->stats.rx_bytes += got - sizeof(struct mv_net_hdr);
	napi_gro_receive(&mn->napi, skb);
	return true;
}

/*
 * Room the tx ring must have for the queue to run: the largest frame, and a control
 * record that NAPI or a feature change may write before it (at most the largest record).
 * Two records take what one of their summed lengths does, 8-byte rounding included.
 */
static u32 mv_net_tx_room(struct mv_net *mn)
{
	u32 ctrl = ALIGN(MV_RING_LEN_BYTES + sizeof(struct mv_net_ctrl), MV_RING_ALIGN);
	u32 room = MV_NET_FRAME_MIN + READ_ONCE(mn->ndev->mtu) + ctrl;

	return min(room, mv_ring_max_payload(&mn->ch.tx));
}

/*
 * Under tx_lock. Stops the queue while the tx ring lacks that room, or wakes it once it
 * has it again, if the interface is still open (Documentation/networking/driver.rst:
 * stop the queue before it is full). The check that finds no room arms producer_event
 * before it reads the consumer index a last time, so the read that frees the room rings
 * our doorbell, and NAPI calls here.
 */
static void mv_net_tx_update_queue(struct mv_net *mn)
{
	int err;

	if (mn->broken)
		return;
	err = mv_ring_check_room(&mn->ch.tx, mv_net_tx_room(mn));
	if (err == MV_RING_E_CORRUPT) {
		mv_net_broken(mn, "tx");
	} else if (err && !netif_queue_stopped(mn->ndev)) {
		mn->tx_stops++;
		netif_stop_queue(mn->ndev);
	} else if (!err && netif_queue_stopped(mn->ndev) && netif_running(mn->ndev)) {
		netif_wake_queue(mn->ndev);
	}
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
	/* The same doorbell says our tx ring may have room again. Checked under the lock:
	 * the transmitter stops the queue after its check of the room, and a read that
	 * frees the room between the two must find the queue stopped here.
	 */
	spin_lock(&mn->tx_lock);
	if (netif_queue_stopped(mn->ndev))
		mv_net_tx_update_queue(mn);
	spin_unlock(&mn->tx_lock);

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

/*
 * The header of skb's record, as the peer's last UP allows: a partial checksum goes as it
 * is to a peer that takes one, and is completed here for one that does not (which
 * mv_net_features_check() leaves to the core, unless an UP came in between). Returns 0,
 * or a negative errno when the checksum cannot be completed (the frame is dropped).
 */
static int mv_net_tx_hdr(struct mv_net *mn, struct sk_buff *skb, struct mv_net_hdr *h)
{
	int start;

	memset(h, 0, sizeof(*h));
	if (skb->ip_summed == CHECKSUM_UNNECESSARY) {
		h->flags = MV_NET_HDR_F_DATA_VALID;
		return 0;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	start = skb_checksum_start_offset(skb);
	if (!(READ_ONCE(mn->peer_features) & MV_NET_F_CSUM) || start < ETH_HLEN ||
	    start > U16_MAX)
		return skb_checksum_help(skb);
	h->flags = MV_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = (u16)start;
	h->csum_offset = skb->csum_offset;
	return 0;
}

/* A peer that does not take partial checksums gets complete ones: the core computes them
 * (while it segments, if it does), as for a device without checksum offload.
 */
static netdev_features_t mv_net_features_check(struct sk_buff *skb, struct net_device *ndev,
					       netdev_features_t features)
{
	struct mv_net *mn = netdev_priv(ndev);

	features = vlan_features_check(skb, features);
	if (!(READ_ONCE(mn->peer_features) & MV_NET_F_CSUM))
		features &= ~NETIF_F_CSUM_MASK;
	return features;
}

static u32 mv_net_gather(struct sk_buff *skb, const struct mv_net_hdr *h,
			 struct mv_ring_iov *iov)
{
	u32 n = 0, i;

	iov[n].base = h;
	iov[n++].len = sizeof(*h);
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
	struct mv_net_hdr h;
	u32 n, old;
	int err;

	if (mv_net_tx_hdr(mn, skb, &h)) {
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	n = mv_net_gather(skb, &h, iov);
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
		/* The queue stops while the ring lacks room for the largest frame, so only a
		 * frame above the MTU, or more control records than the room kept for one, get
		 * here. The failed write armed producer_event, as mv_net_tx_update_queue()
		 * does, and NAPI wakes the queue; the qdisc keeps the frame meanwhile.
		 */
		mn->tx_busy++;
		mn->tx_stops++;
		netif_stop_queue(ndev);
		mv_net_flush_tx(mn);
		spin_unlock(&mn->tx_lock);
		return NETDEV_TX_BUSY;
	}
	if (err == MV_RING_E_CORRUPT) {
		mv_net_broken(mn, "tx");
	} else if (!err) {
		mv_net_mark_tx(mn, old);
		ndev->stats.tx_packets++;
		ndev->stats.tx_bytes += skb->len;
		mv_net_tx_update_queue(mn);
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
	u32 features = mv_net_features(ndev->features);

	netif_carrier_off(ndev);
	napi_enable(&mn->napi);
	netif_start_queue(ndev);
	spin_lock_bh(&mn->tx_lock);
	mv_net_tx_update_queue(mn);
	spin_unlock_bh(&mn->tx_lock);
	mv_net_send_ctrl(mn, MV_NET_CTRL_UP, &features);
	/* Records may have arrived while we were down. */
	napi_schedule(&mn->napi);
	return 0;
}

static int mv_net_stop(struct net_device *ndev)
{
	struct mv_net *mn = netdev_priv(ndev);

	mv_net_send_ctrl(mn, MV_NET_CTRL_DOWN, NULL);
	netif_stop_queue(ndev);
	napi_disable(&mn->napi);
	netif_carrier_off(ndev);
	return 0;
}

/* RXCSUM off: the peer is told to complete checksums itself, and DATA_VALID is ignored. */
static int mv_net_set_features(struct net_device *ndev, netdev_features_t features)
{
	struct mv_net *mn = netdev_priv(ndev);
	u32 ours = mv_net_features(features);

	if (((ndev->features ^ features) & NETIF_F_RXCSUM) && netif_running(ndev))
		mv_net_send_ctrl(mn, MV_NET_CTRL_UP, &ours);
	return 0;
}

static const struct net_device_ops mv_net_ops = {
	.ndo_open = mv_net_open,
	.ndo_stop = mv_net_stop,
	.ndo_start_xmit = mv_net_start_xmit,
	.ndo_set_features = mv_net_set_features,
	.ndo_features_check = mv_net_features_check,
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

	return sysfs_emit(buf,
			  "rx_bad_ctrl %lu\nrx_oversize %lu\nrx_bad_hdr %lu\ntx_peer_stopped %lu\nbroken %d\n",
			  mn->rx_bad_ctrl, mn->rx_oversize, mn->rx_bad_hdr, mn->tx_peer_stopped,
			  mn->broken);
}
static DEVICE_ATTR_RO(misbehaviour);

/* How often the transmit queue stopped for want of ring room, and found none while running. */
static ssize_t tx_queue_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct mv_net *mn = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "stops %lu busy %lu peer_features %#x\n", mn->tx_stops,
			  mn->tx_busy, READ_ONCE(mn->peer_features));
}
static DEVICE_ATTR_RO(tx_queue);

static struct attribute *mv_net_attrs[] = {
	&dev_attr_peer.attr,
	&dev_attr_misbehaviour.attr,
	&dev_attr_tx_queue.attr,
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
	if (mn->max_payload < MV_NET_FRAME_MIN + ETH_MIN_MTU)
		return dev_err_probe(dev, -EINVAL, "channel too small for Ethernet\n");
	mn->scratch = mv_devm_kvmalloc(dev, mn->max_payload);
	if (!mn->scratch)
		return -ENOMEM;

	ndev->netdev_ops = &mv_net_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = min_t(u32, min(mv_ring_max_payload(&mn->ch.tx), mn->max_payload) -
			      MV_NET_FRAME_MIN, MV_NET_MAX_MTU);
	ndev->mtu = min_t(u32, ETH_DATA_LEN, ndev->max_mtu);
	/* Partial checksums cross the link as they are (struct mv_net_hdr), as on veth. */
	ndev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM;
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
