/* SPDX-License-Identifier: MIT */
/* A well-behaved console client beside a racing one (hostile-ring-race-console.dts): it
 * prints TALK_LINES numbered lines, TALK_EVERY_MS apart so that they span the race, each
 * with a payload that depends on its number and the payload's FNV-1a checksum.
 * tests/hostile/rings.cmake computes every line and expects each of them whole. */
#include <cell/runtime.h>

#define TALK_LINES 60u
#define TALK_EVERY_MS 30u

/* Line n's payload: 8 to 47 letters. */
static uint32_t talk_payload(uint32_t n, char *out)
{
	uint32_t len = 8u + (n * 7u) % 40u;

	for (uint32_t k = 0; k < len; k++)
		out[k] = (char)('a' + (n + 3u * k) % 26u);
	out[len] = '\0';
	return len;
}

static uint32_t fnv1a(const char *s, uint32_t n)
{
	uint32_t h = 2166136261u;

	for (uint32_t k = 0; k < n; k++)
		h = (h ^ (uint8_t)s[k]) * 16777619u;
	return h;
}

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u;
	uint64_t next = timer_now();
	char buf[48];

	CHECK(cell_console_channel() >= 0);
	for (uint32_t n = 1; n <= TALK_LINES; n++) {
		uint32_t len = talk_payload(n, buf);
		cell_printf("talk %u/%u %s sum %08x\n", n, TALK_LINES, buf, fnv1a(buf, len));
		next += TALK_EVERY_MS * ms;
		timer_sleep_until(next);
	}
	test_report();
	return 0;
}
