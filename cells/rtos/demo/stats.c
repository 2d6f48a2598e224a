/* SPDX-License-Identifier: MIT */
/* Latency histogram and its summary figures (stats.h). */
#include "stats.h"

void lat_stats_reset(struct lat_stats *s)
{
	for (uint32_t i = 0; i < LAT_BUCKETS; i++)
		s->hist[i] = 0;
	s->samples = s->sum = s->overflow = s->worst = s->missed = 0;
}

void lat_stats_add(struct lat_stats *s, uint64_t ticks)
{
	if (ticks < LAT_BUCKETS)
		s->hist[ticks]++;
	else
		s->overflow++;
	s->samples++;
	s->sum += ticks;
	if (ticks > s->worst)
		s->worst = ticks;
}

uint64_t lat_stats_mean(const struct lat_stats *s)
{
	return s->samples ? s->sum / s->samples : 0;
}

/*
 * Walks down from the worst case, not up from zero: a high percentile lies near the top,
 * so this costs (worst - result) steps, not the histogram's size. That matters because
 * the server answers requests on the RTOS cell's CPU budget.
 */
uint64_t lat_stats_percentile(const struct lat_stats *s, uint32_t per_100k)
{
	/* rank = ceil(samples * q), at least 1; split to avoid overflowing 64 bits. */
	uint64_t rank = s->samples / 100000u * per_100k +
			(s->samples % 100000u * per_100k + 99999u) / 100000u;
	uint64_t above, need;

	if (!s->samples)
		return 0;
	if (!rank)
		rank = 1;
	if (rank > s->samples)
		rank = s->samples;
	need = s->samples - rank + 1; /* samples at or above the answer */
	above = s->overflow;
	if (above >= need)
		return s->worst; /* beyond the histogram: the worst case bounds it */
	for (uint64_t i = s->worst < LAT_BUCKETS ? s->worst : LAT_BUCKETS - 1;; i--) {
		above += s->hist[i];
		if (above >= need || i == 0)
			return i;
	}
}

void lat_stats_log2(const struct lat_stats *s, uint64_t out[LAT_LOG2_BUCKETS])
{
	uint32_t b = 0;

	for (uint32_t i = 0; i < LAT_LOG2_BUCKETS; i++)
		out[i] = 0;
	for (uint32_t i = 0; i < LAT_BUCKETS; i++) {
		if (i >= 2u << b)
			b++;
		out[b] += s->hist[i];
	}
	out[LAT_LOG2_BUCKETS - 1] = s->overflow;
}
