/* SPDX-License-Identifier: MIT */
/* Latency statistics of the RTOS demo: a histogram of one counter tick per bucket, with
 * the exact worst case kept beside it. Portable (unit-tested on the host). */
#ifndef RTOS_DEMO_STATS_H
#define RTOS_DEMO_STATS_H

#include <stdint.h>

#define LAT_BUCKETS 4096u /* 65 us at 62.5 MHz; longer latencies count as overflow */

struct lat_stats {
	uint32_t hist[LAT_BUCKETS];
	uint64_t samples;
	uint64_t sum;
	uint64_t overflow; /* samples of LAT_BUCKETS ticks or more */
	uint64_t worst;
	uint64_t missed;
};

void lat_stats_reset(struct lat_stats *s);
void lat_stats_add(struct lat_stats *s, uint64_t ticks);
/* Mean in ticks, rounded down; 0 without samples. */
uint64_t lat_stats_mean(const struct lat_stats *s);
/*
 * The smallest latency that at least per_100k / 100000 of the samples do not exceed
 * (99900 for the 99.9th percentile); 0 without samples. When it lies beyond the
 * histogram, the worst case is returned: an upper bound. Costs one step per tick between
 * the result and the worst case.
 */
uint64_t lat_stats_percentile(const struct lat_stats *s, uint32_t per_100k);

/*
 * The histogram in powers of two for a report: out[i] counts the samples of 2^i to
 * 2^(i+1) - 1 ticks (out[0] also those of 0), out[LAT_LOG2_BUCKETS - 1] those beyond the
 * histogram (LAT_BUCKETS ticks or more). Costs one step per histogram bucket.
 */
#define LAT_LOG2_BUCKETS 13u /* 12 powers of two up to LAT_BUCKETS, then the overflow */
void lat_stats_log2(const struct lat_stats *s, uint64_t out[LAT_LOG2_BUCKETS]);

#endif
