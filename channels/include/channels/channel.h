/* SPDX-License-Identifier: MIT */
/* Channels: shared memory between two cells plus a doorbell vIRQ per end. The microvisor
 * allocates and maps the memory and raises doorbells; it never touches the payload. */
#ifndef CHANNELS_CHANNEL_H
#define CHANNELS_CHANNEL_H

#include <microvisor/boot_table.h>
#include <microvisor/hypercall.h>
#include <microvisor/types.h>

struct cell;
struct vcpu;

struct channel {
	const struct mv_boot_channel *boot;
	struct cell *ends[2];
	struct pa pa; /* allocated at boot from the microvisor's free memory */
};

/* Allocates, zeroes and maps every channel of the boot table into both ends. `free_pa`
 * is the first byte of the microvisor's memory that the image does not use. */
void channels_create(const struct mv_boot_header *hdr, uint32_t free_pa);

struct smccc_result hc_channel_info(struct vcpu *v, const struct smccc_args *a);
struct smccc_result hc_channel_notify(struct vcpu *v, const struct smccc_args *a);

#endif
