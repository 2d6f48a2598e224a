/* SPDX-License-Identifier: MIT */
/* A client of the console cell: 50 numbered lines with a checksum each, one line too long
 * for the console's line buffer, then a bounded wait for typed input, echoed back as one
 * "got input: ..." line. */
#include <cell/runtime.h>

#define LINES 50u
#define LONG_LINE 300u
#define INPUT_WAIT_MS 2000u
#define INPUT_LINE_MAX 96u

/* Line n's payload: 8 to 47 letters, so that records vary in size and wrap the ring. */
static uint32_t payload(uint32_t n, char *out)
{
	uint32_t len = 8u + (n * 7u) % 40u;
	for (uint32_t k = 0; k < len; k++)
		out[k] = (char)('a' + (n + 3u * k) % 26u);
	out[len] = '\0';
	return len;
}

/* FNV-1a: the expected values in tests/qemu/CMakeLists.txt come from the same sum. */
static uint32_t checksum(const char *s, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t k = 0; k < n; k++)
		h = (h ^ (uint8_t)s[k]) * 16777619u;
	return h;
}

static void print_lines(void)
{
	char buf[48];
	for (uint32_t n = 1; n <= LINES; n++) {
		uint32_t len = payload(n, buf);
		cell_printf("line %u/%u %s sum %08x\n", n, LINES, buf, checksum(buf, len));
	}
}

/* The console prints it in pieces of its line length; the test checks the last piece. */
static void print_long_line(void)
{
	char buf[LONG_LINE + 2];
	for (uint32_t k = 0; k < LONG_LINE; k++)
		buf[k] = (char)('a' + k % 26u);
	buf[LONG_LINE] = '\n';
	cell_write(buf, LONG_LINE + 1);
}

/*
 * Waits up to INPUT_WAIT_MS for one typed line. The wait is a busy poll, not WFI: under
 * QEMU's -icount sleep=off, virtual time jumps straight to the next timer deadline while
 * every vCPU sleeps, so an idle wait would be over before the test harness, in real time,
 * has seen the prompt; a busy wait advances virtual time only as instructions execute,
 * at roughly the pace of real time. -> lines received (0 or 1).
 */
static uint32_t listen(void)
{
	char line[INPUT_LINE_MAX];
	uint32_t len = 0;
	uint64_t deadline = timer_now() + (uint64_t)timer_freq() * INPUT_WAIT_MS / 1000u;

	cell_printf("waiting for input\n");
	while (timer_now() < deadline) {
		char buf[16];
		size_t n = cell_read_input(buf, sizeof(buf));
		for (size_t k = 0; k < n; k++) {
			if (buf[k] != '\r' && buf[k] != '\n') {
				if (len < INPUT_LINE_MAX - 1u)
					line[len++] = buf[k];
				continue;
			}
			if (!len)
				continue; /* the '\n' of a "\r\n" */
			line[len] = '\0';
			cell_printf("got input: %s\n", line);
			return 1;
		}
	}
	cell_printf("no input\n");
	return 0;
}

int main(void)
{
	char none[4];

	CHECK(cell_console_channel() >= 0);
	CHECK(cell_read_input(none, 0) == 0);
	print_lines();
	print_long_line();
	CHECK(listen() <= 1);
	test_report();
	return 0;
}
