/* SPDX-License-Identifier: MIT */
/* Cell images and the boot payload: boot table plus images, laid out per boot_table.h. */
#include "image.h"
#include "linuxdt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The boot table is little-endian and written by copying the structs of boot_table.h. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mvimage encodes the boot table in host byte order; build it on a little-endian host"
#endif

#define FILE_PATH_MAX 4096u

/* Where each part of the payload goes, as offsets from the boot header. */
struct layout {
	uint32_t cells_offset;
	uint32_t regions_offset;
	uint32_t channels_offset;
	uint32_t vdevs_offset;
	uint32_t irqs_offset;
	uint32_t image_offset[MV_BOOT_MAX_CELLS];
	uint32_t dtb_offset[MV_BOOT_MAX_CELLS]; /* 0: the cell has no device tree */
	uint32_t total_size;
};

/* The generated device trees of the cells that get one, and where each goes in its cell. */
struct dtbs {
	struct image_blob blob[MV_BOOT_MAX_CELLS];
	uint32_t ipa[MV_BOOT_MAX_CELLS];
};

static int read_all(int fd, size_t size, struct image_blob *out)
{
	uint8_t *buf = malloc(size ? size : 1);
	size_t done = 0;

	if (!buf)
		return ENOMEM;
	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO; /* EIO: the file shrank under us */

			free(buf);
			return err;
		}
		done += (size_t)n;
	}
	out->data = buf;
	out->size = size;
	return 0;
}

/* On EFBIG, out->size still tells the caller how large the file is, for its message. */
int image_read_file(const char *path, size_t max, struct image_blob *out)
{
	struct stat st;
	int err;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out->data = NULL;
	out->size = 0;
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0) {
		err = errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	} else if ((uintmax_t)st.st_size > max) {
		out->size = (size_t)st.st_size;
		err = EFBIG;
	} else {
		err = read_all(fd, (size_t)st.st_size, out);
	}
	close(fd);
	return err;
}

void image_blob_free(struct image_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->size = 0;
}

void image_set_free(struct image_set *set)
{
	for (uint32_t i = 0; i < MV_BOOT_MAX_CELLS; i++)
		image_blob_free(&set->cells[i]);
}

/* Bytes from the load address to the end of its RAM region: all the image may use. */
static size_t room_at_load(const struct sysdesc_region *r, uint32_t load)
{
	if (!r)
		return UINT32_MAX;
	return (size_t)((uint64_t)r->ipa + r->size - load);
}

static void check_entry(const struct sysdesc_cell *c, size_t size, struct diag *d)
{
	uint64_t end = (uint64_t)c->load_ipa + size;

	if (c->entry_ipa < c->load_ipa || c->entry_ipa >= end)
		diag_error(d, c->path, "entry",
			   "0x%08" PRIx32 " is outside the loaded image [0x%08" PRIx32
			   ", 0x%08" PRIx64 ")",
			   c->entry_ipa, c->load_ipa, end);
}

static void load_cell(const struct sysdesc *sd, const struct sysdesc_cell *c, const char *dir,
		      struct image_blob *b, struct diag *d)
{
	const struct sysdesc_region *r = sysdesc_ram_at(sd, c, c->load_ipa);
	size_t room = room_at_load(r, c->load_ipa);
	char path[FILE_PATH_MAX];
	int err;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, c->image) >= sizeof(path)) {
		diag_error(d, c->path, "image", "path of \"%s\" is too long", c->image);
		return;
	}
	err = image_read_file(path, room, b);
	if (err == EFBIG && r) {
		diag_error(d, c->path, "image",
			   "\"%s\" (%zu bytes) does not fit in %s region %" PRIu32
			   " at load-address 0x%08" PRIx32 " (%zu bytes to the end of the region)",
			   c->image, b->size, sysdesc_region_prop(r), r->index, c->load_ipa, room);
	} else if (err) {
		diag_error(d, c->path, "image", "cannot read \"%s\": %s", path, strerror(err));
	} else if (b->size == 0) {
		diag_error(d, c->path, "image", "\"%s\" is empty", c->image);
	} else if (r) {
		check_entry(c, b->size, d);
	}
	if (err)
		b->size = 0;
}

unsigned int image_load(const struct sysdesc *sd, const char *dir, struct image_set *set,
			struct diag *d)
{
	unsigned int before = d->errors;

	memset(set, 0, sizeof(*set));
	for (uint32_t i = 0; i < sd->num_cells; i++) {
		/* An empty name has already been reported by sysdesc_parse(). */
		if (sd->cells[i].image[0])
			load_cell(sd, &sd->cells[i], dir, &set->cells[i], d);
	}
	return d->errors - before;
}

/* An earlier cell that names the same image file, whose copy in the payload cell i can
 * share (two Linux cells booting one kernel), or i itself. */
static uint32_t same_image(const struct sysdesc *sd, const struct image_set *set, uint32_t i)
{
	for (uint32_t j = 0; j < i; j++) {
		if (set->cells[j].size && set->cells[j].size == set->cells[i].size &&
		    strcmp(sd->cells[j].image, sd->cells[i].image) == 0)
			return j;
	}
	return i;
}

/* Lay the payload out as drawn in boot_table.h, the device trees after the images; returns
 * its size, which may exceed 4 GiB. */
static uint64_t layout_payload(const struct sysdesc *sd, const struct image_set *set,
			       const struct dtbs *dt, struct layout *l)
{
	uint64_t off = sizeof(struct mv_boot_header);

	l->cells_offset = (uint32_t)off;
	off += (uint64_t)sd->num_cells * sizeof(struct mv_boot_cell);
	l->regions_offset = (uint32_t)off;
	off += (uint64_t)sd->num_regions * sizeof(struct mv_boot_region);
	off = image_align_up(off, sizeof(uint32_t));
	l->channels_offset = (uint32_t)off;
	off += (uint64_t)sd->num_channels * sizeof(struct mv_boot_channel);
	off = image_align_up(off, sizeof(uint32_t));
	l->vdevs_offset = (uint32_t)off;
	off += (uint64_t)sd->num_vdevs * sizeof(struct mv_boot_vdev);
	off = image_align_up(off, sizeof(uint32_t));
	l->irqs_offset = (uint32_t)off;
	off += (uint64_t)sd->num_irqs * sizeof(struct mv_boot_irq);
	for (uint32_t i = 0; i < sd->num_cells; i++) {
		uint32_t j = same_image(sd, set, i);

		if (j != i) {
			l->image_offset[i] = l->image_offset[j];
			continue;
		}
		off = image_align_up(off, MV_BOOT_ALIGN);
		l->image_offset[i] = off > UINT32_MAX ? 0 : (uint32_t)off;
		off += set->cells[i].size;
	}
	for (uint32_t i = 0; i < sd->num_cells; i++) {
		l->dtb_offset[i] = 0;
		if (!dt->blob[i].size)
			continue;
		off = image_align_up(off, 8);
		l->dtb_offset[i] = off > UINT32_MAX ? 0 : (uint32_t)off;
		off += dt->blob[i].size;
	}
	off = image_align_up(off, sizeof(uint32_t));
	l->total_size = off > UINT32_MAX ? 0 : (uint32_t)off;
	return off;
}

static void encode_header(const struct sysdesc *sd, const struct layout *l, uint8_t *buf)
{
	struct mv_boot_header h = {
		.magic = MV_BOOT_MAGIC,
		.version = MV_BOOT_VERSION,
		.header_size = sizeof(struct mv_boot_header),
		.total_size = l->total_size,
		.hyp_mem_base = sd->hyp_mem_base,
		.hyp_mem_size = sd->hyp_mem_size,
		.num_pcpus = sd->num_pcpus,
		.num_cells = sd->num_cells,
		.cells_offset = l->cells_offset,
		.num_regions = sd->num_regions,
		.regions_offset = l->regions_offset,
		.num_channels = sd->num_channels,
		.channels_offset = l->channels_offset,
		.num_vdevs = sd->num_vdevs,
		.vdevs_offset = l->vdevs_offset,
		.num_irqs = sd->num_irqs,
		.irqs_offset = l->irqs_offset,
	};

	memcpy(buf, &h, sizeof(h));
}

static void encode_cell(const struct sysdesc_cell *c, const struct image_blob *img,
			uint32_t image_offset, const struct image_blob *dtb, uint32_t dtb_offset,
			uint32_t dtb_ipa, uint8_t *dst)
{
	struct mv_boot_cell bc;

	/* memset rather than an initialiser so the name's tail is zero too. */
	memset(&bc, 0, sizeof(bc));
	memcpy(bc.name, c->name, strnlen(c->name, sizeof(bc.name) - 1));
	bc.image_offset = image_offset;
	bc.image_size = (uint32_t)img->size;
	bc.load_ipa = c->load_ipa;
	bc.entry_ipa = c->entry_ipa;
	bc.first_region = c->first_region;
	bc.num_regions = sysdesc_cell_regions(c);
	bc.num_vcpus = c->num_vcpus;
	bc.priority = c->priority;
	bc.time_slice_us = c->time_slice_us;
	bc.budget_us = c->budget_us;
	bc.period_us = c->period_us;
	memcpy(bc.vcpu_pcpu, c->vcpu_pcpu, sizeof(bc.vcpu_pcpu));
	if (dtb->size) {
		bc.dtb_offset = dtb_offset;
		bc.dtb_size = (uint32_t)dtb->size;
		bc.dtb_ipa = dtb_ipa;
	}
	memcpy(dst, &bc, sizeof(bc));
}

static void encode_region(const struct sysdesc_region *r, uint8_t *dst)
{
	struct mv_boot_region br = {
		.ipa = r->ipa,
		.pa = r->pa,
		.size = r->size,
		.flags = r->flags,
	};

	memcpy(dst, &br, sizeof(br));
}

static void encode_channel(const struct sysdesc_channel *ch, uint8_t *dst)
{
	struct mv_boot_channel bc;

	memset(&bc, 0, sizeof(bc));
	memcpy(bc.name, ch->name, strnlen(ch->name, sizeof(bc.name) - 1));
	for (uint32_t e = 0; e < 2; e++) {
		bc.cell[e] = ch->cell[e];
		bc.ipa[e] = ch->ipa[e];
		bc.virq[e] = ch->virq[e];
	}
	bc.size = ch->size;
	memcpy(dst, &bc, sizeof(bc));
}

static void encode_vdev(const struct sysdesc_vdev *vd, uint8_t *dst)
{
	struct mv_boot_vdev bv;

	memset(&bv, 0, sizeof(bv));
	memcpy(bv.name, vd->name, strnlen(vd->name, sizeof(bv.name) - 1));
	bv.consumer = vd->consumer;
	bv.provider = vd->provider;
	bv.ipa = vd->ipa;
	bv.size = vd->size;
	bv.provider_virq = vd->provider_virq;
	memcpy(dst, &bv, sizeof(bv));
}

/* A pass-through SPI keeps its ID in the cell. */
static void encode_irq(const struct sysdesc_irq *irq, uint8_t *dst)
{
	struct mv_boot_irq bi = {
		.cell = irq->cell,
		.pirq = irq->pirq,
		.virq = irq->pirq,
	};

	memcpy(dst, &bi, sizeof(bi));
}

/* `buf` is zeroed and l->total_size bytes long, so alignment gaps stay zero. */
static void encode_payload(const struct sysdesc *sd, const struct image_set *set,
			   const struct dtbs *dt, const struct layout *l, uint8_t *buf)
{
	uint32_t sum;

	encode_header(sd, l, buf);
	for (uint32_t i = 0; i < sd->num_cells; i++) {
		const struct image_blob *img = &set->cells[i];
		const struct image_blob *dtb = &dt->blob[i];

		encode_cell(&sd->cells[i], img, l->image_offset[i], dtb, l->dtb_offset[i],
			    dt->ipa[i], buf + l->cells_offset + i * sizeof(struct mv_boot_cell));
		if (img->size)
			memcpy(buf + l->image_offset[i], img->data, img->size);
		if (dtb->size)
			memcpy(buf + l->dtb_offset[i], dtb->data, dtb->size);
	}
	for (uint32_t i = 0; i < sd->num_regions; i++)
		encode_region(&sd->regions[i],
			      buf + l->regions_offset + i * sizeof(struct mv_boot_region));
	for (uint32_t i = 0; i < sd->num_channels; i++)
		encode_channel(&sd->channels[i],
			       buf + l->channels_offset + i * sizeof(struct mv_boot_channel));
	for (uint32_t i = 0; i < sd->num_vdevs; i++)
		encode_vdev(&sd->vdevs[i], buf + l->vdevs_offset + i * sizeof(struct mv_boot_vdev));
	for (uint32_t i = 0; i < sd->num_irqs; i++)
		encode_irq(&sd->irqs[i], buf + l->irqs_offset + i * sizeof(struct mv_boot_irq));
	/* The checksum field is still 0 here, so its new value makes the words sum to 0. */
	sum = 0u - mv_boot_sum(buf, l->total_size);
	memcpy(buf + offsetof(struct mv_boot_header, checksum), &sum, sizeof(sum));
}

/* The board description at board_offset: whole, terminated, its ranges page aligned. */
static const char *parse_board(const struct image_blob *bin, uint32_t offset, struct mv_board *out)
{
	if (offset % 4 || offset > bin->size || bin->size - offset < sizeof(*out))
		return "board_offset in its header does not point inside the binary";
	memcpy(out, bin->data + offset, sizeof(*out));
	if (out->magic != MV_BOARD_MAGIC)
		return "no board description at board_offset (bad magic)";
	if (strnlen(out->name, sizeof(out->name)) == sizeof(out->name) ||
	    out->num_reserved > MV_BOARD_MAX_RESERVED || out->ram.size == 0)
		return "board description is malformed";
	for (uint32_t i = 0; i < mv_board_num_denied(out); i++) {
		struct mv_board_denied dn = mv_board_denied(out, i);

		if (strnlen(dn.name, MV_BOARD_RANGE_NAME_LEN) == MV_BOARD_RANGE_NAME_LEN ||
		    (dn.range.base | dn.range.size) % MV_BOOT_ALIGN)
			return "board description is malformed";
	}
	if ((out->ram.base | out->ram.size) % MV_BOOT_ALIGN ||
	    (uint64_t)out->ram.base + out->ram.size > 0x100000000ull)
		return "board description is malformed";
	return NULL;
}

const char *image_parse_microvisor(const struct image_blob *bin, struct mv_image_header *out,
				   struct mv_board *board)
{
	if (bin->size < sizeof(*out))
		return "too short for its header";
	memcpy(out, bin->data, sizeof(*out));
	if (out->magic != MV_IMAGE_MAGIC)
		return "no microvisor image header (bad magic)";
	if (out->payload_offset % MV_BOOT_ALIGN)
		return "payload_offset in its header is not 4 KiB aligned";
	if (out->payload_offset < bin->size)
		return "payload_offset in its header lies inside the binary";
	return parse_board(bin, out->board_offset, board);
}

/* The microvisor runs from its load address; its BSS and stacks end at payload_offset. */
static unsigned int check_fit(const struct sysdesc *sd, const struct mv_image_header *mv,
			      uint64_t payload, struct diag *d)
{
	uint64_t start = mv->load_address;
	uint64_t size = mv->payload_offset + payload;
	uint64_t mem_end = (uint64_t)sd->hyp_mem_base + sd->hyp_mem_size;

	if (start >= sd->hyp_mem_base && start + size <= mem_end)
		return 0;
	diag_error(d, "/microvisor", "memory",
		   "image of %" PRIu64 " bytes at 0x%08" PRIx32 " (microvisor %" PRIu32
		   " + boot payload %" PRIu64 ") does not fit in [0x%08" PRIx32 ", 0x%08" PRIx64
		   ")",
		   size, mv->load_address, mv->payload_offset, payload, sd->hyp_mem_base, mem_end);
	return 1;
}

/*
 * At boot the microvisor takes each channel's memory, page aligned and in channel order,
 * from its own memory after the image (boot_table.h), so it must all fit there. The first
 * channel that does not fit is reported.
 */
static unsigned int check_channels_fit(const struct sysdesc *sd, const struct mv_image_header *mv,
				       uint64_t payload, struct diag *d)
{
	uint64_t at = (uint64_t)mv->load_address + mv->payload_offset + payload;
	uint64_t mem_end = (uint64_t)sd->hyp_mem_base + sd->hyp_mem_size;

	for (uint32_t i = 0; i < sd->num_channels; i++) {
		const struct sysdesc_channel *ch = &sd->channels[i];

		at = image_align_up(at, MV_BOOT_ALIGN) + ch->size;
		if (at <= mem_end)
			continue;
		diag_error(d, ch->path, "size",
			   "channel memory does not fit in /microvisor memory (channels up to"
			   " this one end at 0x%08" PRIx64 ", the memory at 0x%08" PRIx64 ")",
			   at, mem_end);
		return 1;
	}
	return 0;
}

static void dtbs_free(struct dtbs *dt)
{
	for (uint32_t i = 0; i < MV_BOOT_MAX_CELLS; i++)
		image_blob_free(&dt->blob[i]);
}

/* The device tree of each cell that gets one (a Linux cell, or one with described devices),
 * and where it goes. Returns the number of errors. */
static unsigned int build_dtbs(const struct sysdesc *sd, const struct image_set *set,
			       struct dtbs *dt, struct diag *d)
{
	unsigned int errors = 0;

	for (uint32_t i = 0; i < sd->num_cells; i++) {
		if (!sysdesc_cell_has_dt(&sd->cells[i]))
			continue;
		if (linuxdt_build(sd, i, &dt->blob[i], d) != 0) {
			errors++;
			continue;
		}
		errors += linuxdt_place(sd, i, set->cells[i].size, (uint32_t)dt->blob[i].size,
					&dt->ipa[i], d);
	}
	return errors;
}

unsigned int image_build(const struct sysdesc *sd, const struct image_set *set,
			 const struct mv_image_header *mv, struct image_blob *out, struct diag *d)
{
	struct layout l;
	struct dtbs dt;
	uint64_t payload;

	out->data = NULL;
	out->size = 0;
	memset(&dt, 0, sizeof(dt));
	if (build_dtbs(sd, set, &dt, d)) {
		dtbs_free(&dt);
		return 1;
	}
	payload = layout_payload(sd, set, &dt, &l);
	if (check_fit(sd, mv, payload, d) || check_channels_fit(sd, mv, payload, d)) {
		dtbs_free(&dt);
		return 1;
	}
	out->data = calloc(1, l.total_size);
	if (!out->data) {
		diag_error(d, "/", DIAG_NO_PROPERTY, "out of memory for a %" PRIu32 "-byte payload",
			   l.total_size);
		dtbs_free(&dt);
		return 1;
	}
	out->size = l.total_size;
	encode_payload(sd, set, &dt, &l, out->data);
	dtbs_free(&dt);
	return 0;
}

/*
 * dtc's own diagnostics go straight to our stderr: they already name the line. Its checks
 * of hardware-description conventions that `reg` and `interrupts` set off (#address-cells,
 * unit addresses, interrupt-parent) do not apply to a system description, so they are off.
 */
int image_run_dtc(const char *dtc, const char *dts, const char *dtb, bool symbols)
{
	/* -@ (the labels, in /__symbols__) only when overlays may refer to them. */
	char *args[] = { (char *)dtc,
			 "-I",
			 "dts",
			 "-O",
			 "dtb",
			 "-W",
			 "no-reg_format",
			 "-W",
			 "no-unit_address_vs_reg",
			 "-W",
			 "no-avoid_default_addr_size",
			 "-W",
			 "no-interrupts_property",
			 "-o",
			 (char *)dtb,
			 (char *)dts,
			 symbols ? "-@" : NULL,
			 NULL };
	pid_t pid;
	int status;
	int err = posix_spawnp(&pid, dtc, NULL, NULL, args, environ);

	if (err) {
		fprintf(stderr, "mvimage: cannot run %s: %s\n", dtc, strerror(err));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "mvimage: waiting for %s: %s\n", dtc, strerror(errno));
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mvimage: %s: dtc failed\n", dts);
		return -1;
	}
	return 0;
}
