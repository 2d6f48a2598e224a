/* SPDX-License-Identifier: MIT */
/* The record format of a "net" channel (pv-linux's mv_net, docs/linux.md): link control and
 * Ethernet frames on the channel's rings, shared verbatim by pv-linux and the test cells. */
#ifndef MV_UAPI_NET_H
#define MV_UAPI_NET_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/*
 * Every ring record (mv/ring.h) of a net channel is one of, by its length:
 *
 *   length                              record
 *   < MV_NET_FRAME_MIN                  link control: struct mv_net_ctrl, exactly
 *   MV_NET_FRAME_MIN .. + MTU           a frame:
 *
 *   +-------------------+--------------------------------------------------+
 *   | struct mv_net_hdr | Ethernet frame: destination, source, type, data  |
 *   | 8 bytes           | 14 .. 14 + MTU bytes, no FCS                     |
 *   +-------------------+--------------------------------------------------+
 *
 * Link control. Each end sends MV_NET_CTRL_UP when its interface opens and answers a
 * peer's UP with UP | MV_NET_CTRL_ACK (an answer is never answered), and DOWN when it
 * closes; the carrier is up while the peer has said UP. Every UP carries the sender's
 * MV_NET_F_* features, which hold until its next UP: the peer uses a feature only while
 * the last UP it received offered it. A control record of another length or magic is
 * not one of this version: it is counted and dropped, so ends of different versions never
 * bring the carrier up (version 1 had 8-byte control records and frames without header).
 *
 * Checksums (struct mv_net_hdr flags), as Linux's CHECKSUM_PARTIAL and virtio-net's
 * VIRTIO_NET_HDR_F_NEEDS_CSUM / _DATA_VALID:
 * - MV_NET_HDR_F_NEEDS_CSUM: the sender left one Internet checksum (RFC 1071) to be
 *   done. The 16-bit field at byte csum_start + csum_offset of the frame holds the sum
 *   of what precedes csum_start that the protocol covers (the pseudo-header); the
 *   ones'-complement sum of the bytes from csum_start to the end of the frame, that
 *   field included, complemented, is the checksum. The receiver completes it or passes
 *   the obligation on; nobody may trust the field as it stands. Only sent to a peer
 *   that offered MV_NET_F_CSUM. 14 <= csum_start and csum_start + csum_offset + 2 <= the
 *   frame's length.
 * - MV_NET_HDR_F_DATA_VALID: the sender verified the frame's checksums (it received the
 *   frame checked): the receiver need not verify them again.
 * - neither: nothing is known; the receiver verifies what it uses.
 * At most one of the two flags; no other flag; csum_start and csum_offset are zero
 * without NEEDS_CSUM, and reserved is zero. The receiver drops a frame that breaks any of
 * these rules (and counts it): the peer is not trusted.
 *
 * All fields are in the CPUs' byte order, little-endian on every supported machine, as
 * the ring's own.
 */
#define MV_NET_CTRL_MAGIC 0x4b4c564du /* "MVLK" */
#define MV_NET_CTRL_UP 1u             /* the sender's interface is up */
#define MV_NET_CTRL_DOWN 2u           /* the sender's interface went down */
#define MV_NET_CTRL_ACK 0x100u        /* an answer to the peer's UP: not answered */

/* Features (struct mv_net_ctrl features): what the sender of an UP accepts. */
#define MV_NET_F_CSUM 1u /* frames with MV_NET_HDR_F_NEEDS_CSUM */

#define MV_NET_HDR_F_NEEDS_CSUM 1u
#define MV_NET_HDR_F_DATA_VALID 2u

#define MV_NET_ETH_HLEN 14u /* destination, source, EtherType */

struct mv_net_ctrl {
	uint32_t magic;    /* MV_NET_CTRL_MAGIC */
	uint32_t state;    /* MV_NET_CTRL_UP or _DOWN, | MV_NET_CTRL_ACK */
	uint32_t features; /* MV_NET_F_*; unknown bits are ignored */
};

struct mv_net_hdr {
	uint16_t flags; /* MV_NET_HDR_F_* */
	uint16_t
		csum_start; /* NEEDS_CSUM: where the checksummed bytes start, from the frame's first */
	uint16_t csum_offset; /* NEEDS_CSUM: where the checksum field is, from csum_start */
	uint16_t reserved;    /* zero */
};

/* The shortest frame record; every shorter record is link control. */
#define MV_NET_FRAME_MIN (sizeof(struct mv_net_hdr) + MV_NET_ETH_HLEN)

_Static_assert(sizeof(struct mv_net_ctrl) == 12, "net control record size");
_Static_assert(sizeof(struct mv_net_hdr) == 8, "net frame header size");
_Static_assert(sizeof(struct mv_net_ctrl) < MV_NET_FRAME_MIN, "control records are no frames");

#endif
