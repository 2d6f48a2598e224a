/* SPDX-License-Identifier: MIT */
/* mvimage: compile a system description with dtc, validate it, write a bootable image. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "diag.h"
#include "image.h"
#include "sysdesc.h"

#define DTB_MAX (16u << 20) /* far beyond any system description */
#define MAX_OVERLAYS 8u

struct options {
	const char *microvisor;
	const char *image_dir;
	const char *output;
	const char *dtc;
	const char *dts;
	const char *overlays[MAX_OVERLAYS]; /* --overlay, applied in order */
	unsigned num_overlays;
};

/* The microvisor binary as read from disk, the header at its start and its board. */
struct microvisor {
	struct image_blob bin;
	struct mv_image_header hdr;
	struct mv_board board;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mvimage --microvisor <microvisor.bin> --image-dir <dir> "
		   "--output <out.img> [--dtc <path>] [--overlay <board.dtso>]... "
		   "<system.dts>\n");
}

/* Point the option named by `arg` ("--name" or "--name=value") at its value. */
static int take_option(struct options *o, int argc, char **argv, int *i)
{
	static const char *const names[] = { "--microvisor", "--image-dir", "--output", "--dtc" };
	const char **slots[] = { &o->microvisor, &o->image_dir, &o->output, &o->dtc };
	const char *arg = argv[*i];

	if (strncmp(arg, "--overlay", 9) == 0 && (arg[9] == '=' || arg[9] == '\0')) {
		if (o->num_overlays == MAX_OVERLAYS) {
			fprintf(stderr, "mvimage: more than %u overlays\n", MAX_OVERLAYS);
			return -1;
		}
		if (arg[9] == '=') {
			o->overlays[o->num_overlays++] = arg + 10;
			return 0;
		}
		if (*i + 1 < argc) {
			o->overlays[o->num_overlays++] = argv[++*i];
			return 0;
		}
	}
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		size_t len = strlen(names[n]);

		if (strncmp(arg, names[n], len) != 0)
			continue;
		if (arg[len] == '=') {
			*slots[n] = arg + len + 1;
			return 0;
		}
		if (arg[len] == '\0' && *i + 1 < argc) {
			*slots[n] = argv[++*i];
			return 0;
		}
	}
	fprintf(stderr, "mvimage: bad option %s\n", arg);
	return -1;
}

/* Returns -1 to go on, else the exit status (0 for --help). */
static int parse_args(int argc, char **argv, struct options *o)
{
	bool bad = false;

	for (int i = 1; i < argc && !bad; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strncmp(argv[i], "--", 2) == 0) {
			bad = take_option(o, argc, argv, &i) != 0;
			continue;
		}
		if (o->dts) {
			fprintf(stderr, "mvimage: more than one system description\n");
			bad = true;
		}
		o->dts = argv[i];
	}
	if (bad || !o->microvisor || !o->image_dir || !o->output || !o->dtc || !o->dts) {
		usage(stderr);
		return 1;
	}
	return -1;
}

/* Compile `src` into a temporary DTB and read it back. */
static int compile_one(const char *dtc, const char *src, bool symbols, struct image_blob *dtb)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	int fd, err;

	snprintf(path, sizeof(path), "%s/mvimage-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "mvimage: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	err = image_run_dtc(dtc, src, path, symbols) ? -1 : image_read_file(path, DTB_MAX, dtb);
	if (err > 0)
		fprintf(stderr, "mvimage: cannot read %s: %s\n", path, strerror(err));
	unlink(path);
	return err ? -1 : 0;
}

/*
 * Before libfdt applies an overlay (and leaves the base half-changed on a failure, with
 * only an error code): every fragment's target must be a node of the system description,
 * by path (`&{/cells/console}`, target-path) or by label (`&console`, through the
 * overlay's /__fixups__ and the description's /__symbols__). Returns the errors found.
 */
static int check_overlay(const void *base, const void *ov, const char *ov_name, const char *dts)
{
	int syms = fdt_path_offset(base, "/__symbols__");
	int fixups = fdt_path_offset(ov, "/__fixups__");
	int errors = 0, fragments = 0, node, prop;

	fdt_for_each_subnode(node, ov, 0) {
		const char *path = fdt_getprop(ov, node, "target-path", NULL);

		if (fdt_subnode_offset(ov, node, "__overlay__") < 0)
			continue;
		fragments++;
		if (path && fdt_path_offset(base, path) < 0) {
			fprintf(stderr, "mvimage: %s: %s: target-path: %s is not a node of %s\n",
				ov_name, fdt_get_name(ov, node, NULL), path, dts);
			errors++;
		}
	}
	if (fragments == 0) {
		fprintf(stderr,
			"mvimage: %s: not an overlay: no fragment with an __overlay__ "
			"node (does it start with /dts-v1/; /plugin/;?)\n",
			ov_name);
		errors++;
	}
	if (fixups < 0)
		return errors;
	fdt_for_each_property_offset(prop, ov, fixups) {
		const char *label;

		fdt_getprop_by_offset(ov, prop, &label, NULL);
		if (label && (syms < 0 || !fdt_getprop(base, syms, label, NULL))) {
			fprintf(stderr, "mvimage: %s: &%s: %s has no node labelled %s\n", ov_name,
				label, dts, label);
			errors++;
		}
	}
	return errors;
}

/* Apply each overlay to `dtb` in order, then drop the labels (/__symbols__) they used. */
static int apply_overlays(const struct options *o, struct image_blob *dtb)
{
	struct image_blob ov[MAX_OVERLAYS] = { 0 };
	size_t room = dtb->size + 4096u;
	uint8_t *tree = NULL;
	int err = 0, node;

	for (unsigned i = 0; i < o->num_overlays && !err; i++) {
		err = compile_one(o->dtc, o->overlays[i], true, &ov[i]);
		room += ov[i].size;
	}
	if (!err && (tree = malloc(room)) == NULL)
		err = -1;
	if (!err && fdt_open_into(dtb->data, tree, (int)room) != 0) {
		fprintf(stderr, "mvimage: %s: cannot open the compiled description\n", o->dts);
		err = -1;
	}
	for (unsigned i = 0; i < o->num_overlays && !err; i++) {
		int r;

		if (check_overlay(tree, ov[i].data, o->overlays[i], o->dts)) {
			err = -1;
			break;
		}
		r = fdt_overlay_apply(tree, ov[i].data);
		if (r) {
			fprintf(stderr, "mvimage: %s: cannot apply to %s: %s\n", o->overlays[i],
				o->dts, fdt_strerror(r));
			err = -1;
		}
	}
	node = err ? -1 : fdt_path_offset(tree, "/__symbols__");
	if (node >= 0)
		fdt_del_node(tree, node);
	if (!err) {
		fdt_pack(tree);
		free(dtb->data);
		dtb->data = tree;
		dtb->size = fdt_totalsize(tree);
		tree = NULL;
	}
	free(tree);
	for (unsigned i = 0; i < o->num_overlays; i++)
		image_blob_free(&ov[i]);
	return err;
}

/* Compile the description, apply the overlays and hand back the resulting DTB. */
static int compile_dts(const struct options *o, struct image_blob *dtb)
{
	if (compile_one(o->dtc, o->dts, o->num_overlays > 0, dtb) != 0)
		return -1;
	return o->num_overlays ? apply_overlays(o, dtb) : 0;
}

static int write_all(int fd, const void *buf, size_t size)
{
	const uint8_t *p = buf;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

static int write_zeros(int fd, size_t size)
{
	static const uint8_t zeros[MV_BOOT_ALIGN];
	int err = 0;

	while (size && !err) {
		size_t n = size < sizeof(zeros) ? size : sizeof(zeros);

		err = write_all(fd, zeros, n);
		size -= n;
	}
	return err;
}

/* The binary, zeros for its BSS and stacks up to payload_offset (__payload_start), the
 * payload: the layout drawn in boot_table.h. */
static int write_image(int fd, const struct microvisor *mv, const struct image_blob *payload)
{
	int err = write_all(fd, mv->bin.data, mv->bin.size);

	if (!err)
		err = write_zeros(fd, mv->hdr.payload_offset - mv->bin.size);
	if (!err)
		err = write_all(fd, payload->data, payload->size);
	return err;
}

/* Write `<out>.tmp` and rename it, so `<out>` is either the old file or a whole new one. */
static int write_output(const char *out, const struct microvisor *mv,
			const struct image_blob *payload)
{
	char tmp[4096];
	int fd, err;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= sizeof(tmp)) {
		fprintf(stderr, "mvimage: output path too long\n");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "mvimage: cannot create %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	err = write_image(fd, mv, payload);
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, out) != 0)
		err = errno;
	if (err) {
		fprintf(stderr, "mvimage: cannot write %s: %s\n", out, strerror(err));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int read_microvisor(const char *path, struct microvisor *mv)
{
	int err = image_read_file(path, UINT32_MAX, &mv->bin);
	const char *why =
		err ? strerror(err) : image_parse_microvisor(&mv->bin, &mv->hdr, &mv->board);

	if (why) {
		fprintf(stderr, "mvimage: %s: cannot use as the microvisor binary: %s\n", path,
			why);
		return -1;
	}
	return 0;
}

static void print_summary(const struct options *o, const struct sysdesc *sd,
			  const struct image_set *set, const struct microvisor *mv,
			  const struct image_blob *payload)
{
	uint32_t payload_at = mv->hdr.payload_offset;

	printf("mvimage: wrote %s: %" PRIu32 " cells, %" PRIu32 " regions, %" PRIu32
	       " channels, %" PRIu32 " vdevs, %" PRIu32 " pass-through interrupts, boot payload"
	       " %zu bytes at offset 0x%" PRIx32 ", %zu bytes in all\n",
	       o->output, sd->num_cells, sd->num_regions, sd->num_channels, sd->num_vdevs,
	       sd->num_irqs, payload->size, payload_at, payload_at + payload->size);
	if (sd->hyp_mem_placed)
		printf("  microvisor memory placed at pa 0x%08" PRIx32 ", size 0x%08" PRIx32 "\n",
		       sd->hyp_mem_base, sd->hyp_mem_size);
	for (uint32_t i = 0; i < sd->num_cells; i++) {
		const struct sysdesc_cell *c = &sd->cells[i];

		printf("  cell %" PRIu32 " %s: %s, %zu bytes at 0x%08" PRIx32 ", entry 0x%08" PRIx32
		       ", %" PRIu32 " vCPUs, priority %" PRIu32 "\n",
		       i, c->name, c->image, set->cells[i].size, c->load_ipa, c->entry_ipa,
		       c->num_vcpus, c->priority);
		for (uint32_t j = 0; j < c->num_ram; j++) {
			const struct sysdesc_region *r = &sd->regions[c->first_region + j];

			if (r->placed)
				printf("    placed-memory region %" PRIu32 ": ipa 0x%08" PRIx32
				       " at pa 0x%08" PRIx32 ", size 0x%08" PRIx32 "\n",
				       r->index, r->ipa, r->pa, r->size);
		}
	}
}

/* Validate everything before writing anything, so every error shows up in one run. */
static int build(const struct options *o, struct sysdesc *sd, struct image_set *set,
		 struct image_blob *dtb, struct microvisor *mv, struct image_blob *payload)
{
	struct diag d;
	int mv_err;

	if (compile_dts(o, dtb) != 0)
		return -1;
	diag_init(&d, stderr, o->dts);
	/* The board's checks need the microvisor; without it the rest is still checked. */
	mv_err = read_microvisor(o->microvisor, mv);
	sysdesc_parse(dtb->data, dtb->size, mv_err ? NULL : &mv->board, mv->hdr.load_address, sd,
		      &d);
	image_load(sd, o->image_dir, set, &d);
	if (d.errors == 0 && mv_err == 0)
		image_build(sd, set, &mv->hdr, payload, &d);
	if (d.errors || mv_err || write_output(o->output, mv, payload) != 0)
		return -1;
	print_summary(o, sd, set, mv, payload);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .dtc = "dtc" };
	static struct sysdesc sd;
	struct image_set set;
	struct image_blob dtb = { 0 }, payload = { 0 };
	struct microvisor mv = { 0 };
	int status = parse_args(argc, argv, &o);

	if (status >= 0)
		return status;
	memset(&set, 0, sizeof(set));
	status = build(&o, &sd, &set, &dtb, &mv, &payload) == 0 ? 0 : 1;
	image_set_free(&set);
	image_blob_free(&dtb);
	image_blob_free(&mv.bin);
	image_blob_free(&payload);
	return status;
}
