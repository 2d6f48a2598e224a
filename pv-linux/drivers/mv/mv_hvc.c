// SPDX-License-Identifier: GPL-2.0
/*
 * hvc0 for a microvisor cell: output and input are ring records on the channel to the
 * console cell (compatible "mv,channel-console"), which prints each line prefixed with
 * this cell's name. Attached at console_initcall time, so console=hvc0 works from early
 * boot; the doorbell IRQ is added when the platform device probes. Without a usable
 * console channel, output goes through the debug-write hypercall and there is no input.
 *
 * Also an earlycon, "earlycon=mvdebug", on the debug-write hypercall, for bring-up.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/serial_core.h>
#include <linux/spinlock.h>

/* hvc's backend interface (struct hv_ops, hvc_instantiate, hvc_alloc, notifier_*_irq) is
 * declared only in this header in 6.1; virtio_console.c includes it the same way.
 */
#include "../tty/hvc/hvc_console.h"
#include "mv_channel.h"

#define MV_HVC_VTERM 0x6d76		/* any cookie: we have one vterm */
#define MV_HVC_CHUNK 256		/* bytes per output record, at most */
#define MV_HVC_INPUT_MAX 64		/* the console's input records (docs/console.md) */
#define MV_HVC_INPUT_RECORDS 16		/* input records taken per get_chars call, at most */
#define MV_HVC_STALL_NS (2 * NSEC_PER_SEC) /* a console that reads nothing for so long is ignored */

static struct mv_hvc {
	struct mv_channel ch;
	struct device_node *np;	/* the console channel, when attached */
	bool use_channel;
	bool tx_dead;		/* the output ring broke: output is dropped */
	bool rx_dead;
	u64 stalled_since;	/* ns, 0 when output is flowing */
	spinlock_t tx_lock;	/* console print and tty writes both produce */
	u32 staged_len, staged_off;
	char staged[MV_HVC_INPUT_MAX];
	unsigned long dropped;
} mv_hvc = {
	.tx_lock = __SPIN_LOCK_UNLOCKED(mv_hvc.tx_lock),
};

/* Copies up to n bytes of buf into out, without carriage returns: the console cell ends
 * lines itself. Returns how many bytes of buf were consumed; *len gets the bytes kept.
 */
static int mv_hvc_strip(const char *buf, int n, char *out, u32 *len)
{
	int i;

	*len = 0;
	for (i = 0; i < n && *len < MV_HVC_CHUNK; i++) {
		if (buf[i] != '\r')
			out[(*len)++] = buf[i];
	}
	return i;
}

static int mv_hvc_put_debug(const char *buf, int count)
{
	char out[MV_HVC_CHUNK];
	u32 len, off;
	int used = mv_hvc_strip(buf, count, out, &len);

	for (off = 0; off < len; off += MV_DEBUG_WRITE_MAX)
		mv_debug_write(out + off, min_t(u32, len - off, MV_DEBUG_WRITE_MAX));
	return used;
}

/*
 * One record of output; returns the bytes of buf consumed, as hvc's put_chars must. A full
 * ring takes nothing: after a doorbell, in case the console sleeps on a wake-up that was
 * lost, -EAGAIN (hvc retries; printk spins on it), and once MV_HVC_STALL_NS passed without
 * progress, 0 (nothing written: printk gives its text up, a tty write is retried later),
 * so a stopped or wedged console cannot hang printk. Once the ring is broken, output is
 * dropped and counted.
 */
static int mv_hvc_put_chars(u32 vtermno, const char *buf, int count)
{
	struct mv_hvc *h = &mv_hvc;
	char out[MV_HVC_CHUNK];
	unsigned long flags;
	u32 len, old;
	int used, err;

	if (!h->use_channel)
		return mv_hvc_put_debug(buf, count);

	used = mv_hvc_strip(buf, count, out, &len);
	if (!len)
		return used;
	spin_lock_irqsave(&h->tx_lock, flags);
	if (h->tx_dead) {
		h->dropped += len;
		goto out;
	}
	old = mv_ring_index(&h->ch.tx);
	err = mv_ring_write(&h->ch.tx, out, len);
	if (!err) {
		h->stalled_since = 0;
		if (mv_ring_need_notify_after_write(&h->ch.tx, old))
			mv_channel_notify(&h->ch);
	} else if (err == MV_RING_E_FULL) {
		u64 now = ktime_get_mono_fast_ns();

		if (!h->stalled_since) {
			h->stalled_since = now ? now : 1;
			mv_channel_notify(&h->ch);
		}
		used = now - h->stalled_since < MV_HVC_STALL_NS ? -EAGAIN : 0;
	} else {
		h->tx_dead = true;
		h->dropped += len;
	}
out:
	spin_unlock_irqrestore(&h->tx_lock, flags);
	return used;
}

/* Next input record into staged; false when there is none (after arming the doorbell and
 * looking once more, and no more: a peer that flips its index cannot keep us here).
 */
static bool mv_hvc_stage(struct mv_hvc *h)
{
	u32 len;
	int err = mv_ring_read(&h->ch.rx, h->staged, sizeof(h->staged), &len);

	if (err == MV_RING_E_EMPTY && mv_ring_enable_notify(&h->ch.rx))
		err = mv_ring_read(&h->ch.rx, h->staged, sizeof(h->staged), &len);
	if (!err) {
		h->staged_len = len;
		h->staged_off = 0;
		return true;
	}
	/* Corrupt, or a record above the protocol's size: input is over. */
	if (err != MV_RING_E_EMPTY)
		h->rx_dead = true;
	return false;
}

/*
 * Input, called from the doorbell's hard IRQ and from hvc's thread: at most
 * MV_HVC_INPUT_RECORDS records per call, so that a console streaming empty records cannot
 * keep us here. When those gave no byte, -EAGAIN makes hvc poll again from its thread.
 */
static int mv_hvc_get_chars(u32 vtermno, char *buf, int count)
{
	struct mv_hvc *h = &mv_hvc;
	int got = 0, records = 0;
	u32 old;

	if (!h->use_channel || h->rx_dead)
		return 0;
	old = mv_ring_index(&h->ch.rx);
	while (got < count) {
		if (h->staged_off == h->staged_len) {
			if (records == MV_HVC_INPUT_RECORDS || !mv_hvc_stage(h))
				break;
			records++;
		}
		while (got < count && h->staged_off < h->staged_len)
			buf[got++] = h->staged[h->staged_off++];
	}
	/* The console drops input it has no room for: tell it when room is back. */
	if (mv_ring_need_notify_after_read(&h->ch.rx, old))
		mv_channel_notify(&h->ch);
	return got || records < MV_HVC_INPUT_RECORDS ? got : -EAGAIN;
}

static const struct hv_ops mv_hvc_ops = {
	.get_chars = mv_hvc_get_chars,
	.put_chars = mv_hvc_put_chars,
	.notifier_add = notifier_add_irq,
	.notifier_del = notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

static int __init mv_hvc_console_init(void)
{
	struct mv_hvc *h = &mv_hvc;
	struct device_node *np;

	if (!of_find_compatible_node(NULL, NULL, "mv,microvisor"))
		return 0;
	np = of_find_compatible_node(NULL, NULL, "mv,channel-console");
	if (np && of_device_is_available(np) && !mv_channel_attach(&h->ch, np, NULL)) {
		h->np = np;
		h->use_channel = true;
	} else {
		of_node_put(np);
	}
	hvc_instantiate(MV_HVC_VTERM, 0, &mv_hvc_ops);
	return 0;
}
console_initcall(mv_hvc_console_init);

static int mv_hvc_probe(struct platform_device *pdev)
{
	struct mv_hvc *h = &mv_hvc;
	struct hvc_struct *hp;
	int irq;

	if (!h->use_channel || h->np != pdev->dev.of_node) {
		dev_warn(&pdev->dev, "not the console channel attached at boot, ignored\n");
		return -EBUSY;
	}
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	h->ch.irq = irq;
	hp = hvc_alloc(MV_HVC_VTERM, irq, &mv_hvc_ops, PAGE_SIZE);
	if (IS_ERR(hp))
		return PTR_ERR(hp);
	dev_info(&pdev->dev, "hvc0 on channel %u (%s) to cell %s\n", h->ch.index, h->ch.name,
		 h->ch.peer_name);
	return 0;
}

static const struct of_device_id mv_hvc_of_match[] = {
	{ .compatible = "mv,channel-console" },
	{ }
};

static struct platform_driver mv_hvc_driver = {
	.probe = mv_hvc_probe,
	.driver = {
		.name = "mv-hvc",
		.of_match_table = mv_hvc_of_match,
		.suppress_bind_attrs = true,
	},
};

/* Without a console channel, hvc0 still exists as a tty, on the debug write. */
static int __init mv_hvc_init(void)
{
	if (!of_find_compatible_node(NULL, NULL, "mv,microvisor"))
		return 0;
	if (!mv_hvc.use_channel)
		return PTR_ERR_OR_ZERO(hvc_alloc(MV_HVC_VTERM, 0, &mv_hvc_ops, PAGE_SIZE));
	return platform_driver_register(&mv_hvc_driver);
}
device_initcall(mv_hvc_init);

#ifdef CONFIG_SERIAL_EARLYCON
static void mv_earlycon_write(struct console *con, const char *s, unsigned int n)
{
	while (n) {
		int used = mv_hvc_put_debug(s, n);

		s += used;
		n -= used;
	}
}

static int __init mv_earlycon_setup(struct earlycon_device *dev, const char *opt)
{
	dev->con->write = mv_earlycon_write;
	return 0;
}

EARLYCON_DECLARE(mvdebug, mv_earlycon_setup);
#endif
