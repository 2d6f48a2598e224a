// SPDX-License-Identifier: GPL-2.0
/*
 * Raw access to a microvisor channel ("mv,channel-raw") for user space: /dev/mvchanN,
 * N being the channel's number in this cell. Each write() sends one record (at most the
 * ring's largest payload, else -EMSGSIZE); each read() returns one record (-EMSGSIZE, and
 * the record stays, when the buffer is too small for it). Both block unless O_NONBLOCK;
 * poll() reports a record to read and room (as far as the last write found it). A corrupt
 * ring makes every later call fail with -EIO.
 */
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "mv_channel.h"

struct mv_chardev {
	struct mv_channel ch;
	struct miscdevice misc;
	char name[16];
	struct mutex rx_lock;	/* one reader of the rx ring at a time */
	struct mutex tx_lock;	/* one writer of the tx ring at a time */
	wait_queue_head_t wq;	/* woken by the doorbell */
	bool tx_full;		/* the last write found no room */
	void *buf;		/* bounce buffer: records are copied from/to user here */
	u32 max_payload;
	atomic_t doorbells;	/* counts doorbell IRQs: sleepers wait for a change */
};

static irqreturn_t mv_chardev_interrupt(int irq, void *data)
{
	struct mv_chardev *cd = data;

	atomic_inc(&cd->doorbells);
	wake_up_interruptible(&cd->wq);
	return IRQ_HANDLED;
}

static int mv_chardev_open(struct inode *inode, struct file *file)
{
	struct mv_chardev *cd = container_of(file->private_data, struct mv_chardev, misc);

	file->private_data = cd;
	return stream_open(inode, file);
}

/* 0 and *len when a record is there; -EAGAIN when none; -EIO when the ring is corrupt.
 * Looks once more after arming the doorbell, for a record that came meanwhile, and no
 * more: a peer that flips its index cannot keep us here.
 */
static int mv_chardev_peek(struct mv_chardev *cd, u32 *len)
{
	int err = mv_ring_peek_len(&cd->ch.rx, len);

	if (err == MV_RING_E_EMPTY && mv_ring_enable_notify(&cd->ch.rx))
		err = mv_ring_peek_len(&cd->ch.rx, len);
	if (!err)
		return 0;
	return err == MV_RING_E_EMPTY ? -EAGAIN : -EIO;
}

static ssize_t mv_chardev_read(struct file *file, char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	struct mv_chardev *cd = file->private_data;
	u32 len, old;
	int err, seen;

	if (mutex_lock_interruptible(&cd->rx_lock))
		return -ERESTARTSYS;
	for (;;) {
		seen = atomic_read(&cd->doorbells);
		err = mv_chardev_peek(cd, &len);
		if (err != -EAGAIN || (file->f_flags & O_NONBLOCK))
			break;
		mutex_unlock(&cd->rx_lock);
		/* The peek armed the doorbell: the next record rings it. */
		if (wait_event_interruptible(cd->wq, atomic_read(&cd->doorbells) != seen))
			return -ERESTARTSYS;
		if (mutex_lock_interruptible(&cd->rx_lock))
			return -ERESTARTSYS;
	}
	if (err)
		goto out;
	if (len > count) {
		err = -EMSGSIZE;
		goto out;
	}
	old = mv_ring_index(&cd->ch.rx);
	/* The read takes the record peeked at; capped by count too, so that no length can
	 * reach the user's buffer beyond what it holds.
	 */
	if (mv_ring_read(&cd->ch.rx, cd->buf, min_t(size_t, count, cd->max_payload), &len)) {
		err = -EIO;
		goto out;
	}
	if (mv_ring_need_notify_after_read(&cd->ch.rx, old))
		mv_channel_notify(&cd->ch);
	err = copy_to_user(ubuf, cd->buf, len) ? -EFAULT : 0;
out:
	mutex_unlock(&cd->rx_lock);
	return err ? err : len;
}

static ssize_t mv_chardev_write(struct file *file, const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct mv_chardev *cd = file->private_data;
	u32 old;
	int err, seen;

	if (count > cd->max_payload)
		return -EMSGSIZE;
	if (mutex_lock_interruptible(&cd->tx_lock))
		return -ERESTARTSYS;
	if (copy_from_user(cd->buf + cd->max_payload, ubuf, count)) {
		err = -EFAULT;
		goto out;
	}
	for (;;) {
		seen = atomic_read(&cd->doorbells);
		old = mv_ring_index(&cd->ch.tx);
		err = mv_ring_write(&cd->ch.tx, cd->buf + cd->max_payload, count);
		cd->tx_full = err == MV_RING_E_FULL;
		if (!cd->tx_full)
			break;
		if (file->f_flags & O_NONBLOCK) {
			err = -EAGAIN;
			goto out;
		}
		/* producer_event is armed: the peer rings us once half the ring is free. */
		if (wait_event_interruptible(cd->wq, atomic_read(&cd->doorbells) != seen)) {
			err = -ERESTARTSYS;
			goto out;
		}
	}
	if (err) {
		err = -EIO;
		goto out;
	}
	if (mv_ring_need_notify_after_write(&cd->ch.tx, old))
		err = mv_channel_notify(&cd->ch);
	/* A stopped peer gets the record when it comes back; say so once. */
	if (err == -ENOTCONN)
		err = 0;
out:
	mutex_unlock(&cd->tx_lock);
	return err ? err : count;
}

static __poll_t mv_chardev_poll(struct file *file, poll_table *wait)
{
	struct mv_chardev *cd = file->private_data;
	__poll_t mask = 0;
	u32 len;
	int err;

	poll_wait(file, &cd->wq, wait);
	mutex_lock(&cd->rx_lock);
	err = mv_chardev_peek(cd, &len);
	mutex_unlock(&cd->rx_lock);
	if (!err)
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (err == -EIO)
		mask |= EPOLLERR;
	if (!READ_ONCE(cd->tx_full))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static const struct file_operations mv_chardev_fops = {
	.owner = THIS_MODULE,
	.open = mv_chardev_open,
	.read = mv_chardev_read,
	.write = mv_chardev_write,
	.poll = mv_chardev_poll,
	.llseek = no_llseek,
};

static int mv_chardev_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct mv_chardev *cd;
	int err;

	cd = devm_kzalloc(dev, sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	err = mv_channel_attach(&cd->ch, dev->of_node, dev);
	if (err)
		return dev_err_probe(dev, err, "cannot attach the channel\n");
	cd->max_payload = max(mv_ring_max_payload(&cd->ch.rx), mv_ring_max_payload(&cd->ch.tx));
	/* Two halves: the reader's record and the writer's, so they need no shared lock. */
	cd->buf = mv_devm_kvmalloc(dev, 2 * (size_t)cd->max_payload);
	if (!cd->buf)
		return -ENOMEM;
	mutex_init(&cd->rx_lock);
	mutex_init(&cd->tx_lock);
	init_waitqueue_head(&cd->wq);
	atomic_set(&cd->doorbells, 0);
	err = devm_request_irq(dev, cd->ch.irq, mv_chardev_interrupt, 0, dev_name(dev), cd);
	if (err)
		return dev_err_probe(dev, err, "cannot get the doorbell IRQ\n");

	snprintf(cd->name, sizeof(cd->name), "mvchan%u", cd->ch.index);
	cd->misc.minor = MISC_DYNAMIC_MINOR;
	cd->misc.name = cd->name;
	cd->misc.fops = &mv_chardev_fops;
	cd->misc.parent = dev;
	cd->misc.mode = 0600;
	err = misc_register(&cd->misc);
	if (err)
		return err;
	platform_set_drvdata(pdev, cd);
	dev_info(dev, "/dev/%s: channel %s to cell %s, records up to %u bytes\n", cd->name,
		 cd->ch.name, cd->ch.peer_name, cd->max_payload);
	return 0;
}

static const struct of_device_id mv_chardev_of_match[] = {
	{ .compatible = "mv,channel-raw" },
	{ }
};

static struct platform_driver mv_chardev_driver = {
	.probe = mv_chardev_probe,
	.driver = {
		.name = "mv-chan",
		.of_match_table = mv_chardev_of_match,
		.suppress_bind_attrs = true,
	},
};
builtin_platform_driver(mv_chardev_driver);
