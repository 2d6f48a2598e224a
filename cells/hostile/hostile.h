/* SPDX-License-Identifier: MIT */
/* Helpers shared by the isolation test cells (tests/hostile/isolation.cmake): how a cell
 * tells that the cell at the other end of a channel has stopped for good. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <cell/runtime.h>

/* CHANNEL_NOTIFY answers MV_E_DENIED while the peer cell is stopped (docs/hypercalls.md);
 * it also rings the peer's doorbell, which the peers of these tests ignore. */
static inline bool peer_running(uint32_t channel)
{
	return mv_call3(MV_CALL_CHANNEL_NOTIFY, channel, 0, 0) != MV_E_DENIED;
}

/* A cell of ours that is about to stop for good says so first, in the first word of the
 * channel's memory (no ring uses these channels); the other end trusts the word only
 * once CHANNEL_NOTIFY confirms that the cell has stopped. */
#define PEER_DONE_MAGIC 0x656e6f64u /* "done" */

static inline volatile uint32_t *channel_word(uint32_t channel)
{
	return (volatile uint32_t *)(uintptr_t)mv_hvc(MV_CALL_CHANNEL_INFO, channel, 0, 0, 0, 0, 0)
		.r1;
}

static inline void announce_done(uint32_t channel)
{
	*channel_word(channel) = PEER_DONE_MAGIC;
}

static inline bool peer_done(uint32_t channel)
{
	return *channel_word(channel) == PEER_DONE_MAGIC && !peer_running(channel);
}

/* A peer that cannot announce (Linux) is gone once every one of PEER_GONE_POLLS polls,
 * PEER_POLL_MS apart, found it stopped: a restart stops a cell only while its image is
 * reloaded. Only for a watcher on another CPU than the peer: one on the same CPU runs
 * precisely while the peer is down. Call once per poll. */
#define PEER_POLL_MS 50u
#define PEER_GONE_POLLS 10u

static inline bool peer_gone(uint32_t channel, uint32_t *denied)
{
	*denied = peer_running(channel) ? 0 : *denied + 1;
	return *denied >= PEER_GONE_POLLS;
}

#endif
