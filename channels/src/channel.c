/* SPDX-License-Identifier: MIT */
/* Channels: allocation and mapping at boot, and the two channel hypercalls. A restarted
 * cell finds its channel memory as its peer left it; the ring indices live there. */
#include <channels/channel.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/string.h>

static struct channel channels[MV_BOOT_MAX_CHANNELS];

static void channel_attach(struct channel *ch, uint32_t end)
{
	struct cell *c = ch->ends[end];
	if (c->num_channels == CELL_MAX_CHANNELS)
		panic("cell %s: more than %u channels", c->boot->name, CELL_MAX_CHANNELS);
	c->channels[c->num_channels++] = ch;
	if (arch_stage2_map(&c->vmmu, ipa_init(ch->boot->ipa[end]), ch->pa, ch->boot->size,
			    MV_REGION_RAM) != MV_OK)
		panic("channel %s: cannot map into %s", ch->boot->name, c->boot->name);
}

void channels_create(const struct mv_boot_header *hdr, uint32_t free_pa)
{
	const struct mv_boot_channel *bc =
		(const void *)((const uint8_t *)hdr + hdr->channels_offset);
	uint32_t next = (free_pa + PAGE_SIZE - 1u) & ~(PAGE_SIZE - 1u);
	uint32_t end = hdr->hyp_mem_base + hdr->hyp_mem_size;
	for (uint32_t i = 0; i < hdr->num_channels; i++) {
		struct channel *ch = &channels[i];
		if (next > end || bc[i].size > end - next) /* boot_table_check rules it out */
			panic("channel %s: no room in microvisor memory", bc[i].name);
		ch->boot = &bc[i];
		ch->pa = pa_init(next);
		next += bc[i].size;
		void *mem = arch_phys_to_virt(ch->pa);
		memset(mem, 0, bc[i].size); /* zeroed memory is two empty rings */
		arch_dcache_clean(mem, bc[i].size);
		ch->ends[0] = &cells[bc[i].cell[0]];
		ch->ends[1] = &cells[bc[i].cell[1]];
		channel_attach(ch, 0);
		channel_attach(ch, 1);
		log_printf("channel %s: %s <-> %s, %u bytes at %08x\n", bc[i].name,
			   ch->ends[0]->boot->name, ch->ends[1]->boot->name, (unsigned)bc[i].size,
			   (unsigned)(next - bc[i].size));
	}
}

/* The caller's channel number r1 and which end it is. */
static enum mv_status decode_channel(const struct vcpu *v, const struct smccc_args *a,
				     struct channel **ch, uint32_t *end)
{
	uint32_t n = a->r[1];
	if (n >= v->cell->num_channels)
		return MV_E_INVALID_PARAMETERS;
	*ch = v->cell->channels[n];
	*end = (*ch)->ends[0] == v->cell ? 0 : 1;
	return MV_OK;
}

struct smccc_result hc_channel_info(struct vcpu *v, const struct smccc_args *a)
{
	struct channel *ch;
	uint32_t end;
	enum mv_status st = decode_channel(v, a, &ch, &end);
	if (st != MV_OK)
		return smccc_status(st);
	return smccc_ret(MV_OK, ch->boot->ipa[end], ch->boot->size,
			 ch->boot->virq[end] | (ch->ends[1 - end]->id << 16) | (end << 31));
}

struct smccc_result hc_channel_notify(struct vcpu *v, const struct smccc_args *a)
{
	struct channel *ch;
	uint32_t end;
	enum mv_status st = decode_channel(v, a, &ch, &end);
	if (st != MV_OK)
		return smccc_status(st);
	struct cell *peer = ch->ends[1 - end];
	if (peer->state != CELL_RUNNING)
		return smccc_status(MV_E_DENIED);
	arch_virq_raise(peer, ch->boot->virq[1 - end]);
	return smccc_status(MV_OK);
}
