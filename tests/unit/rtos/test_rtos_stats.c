/* SPDX-License-Identifier: MIT */
/* The RTOS demo's latency statistics (cells/rtos/demo/stats.c): mean, worst case, and
 * the 99.9th percentile by rank, inside the histogram and beyond it. */
#include <stats.h>

#include "check.h"

static struct lat_stats s;

int main(void)
{
	lat_stats_reset(&s);
	CHECK(lat_stats_mean(&s) == 0 && lat_stats_percentile(&s, 99900) == 0);

	/* 1..1000: the 99.9th percentile is the 999th smallest, the median the 500th. */
	for (uint64_t v = 1000; v >= 1; v--)
		lat_stats_add(&s, v);
	CHECK(s.samples == 1000 && s.worst == 1000);
	CHECK(lat_stats_mean(&s) == 500); /* 500.5 rounded down */
	CHECK(lat_stats_percentile(&s, 99900) == 999);
	CHECK(lat_stats_percentile(&s, 50000) == 500);
	CHECK(lat_stats_percentile(&s, 100000) == 1000);
	CHECK(lat_stats_percentile(&s, 0) == 1);

	/* 2000 samples of 10 and two outliers: rank ceil(2002 * 0.999) = 2000 is still 10,
	 * one more outlier moves it beyond the histogram, where the worst case bounds it. */
	lat_stats_reset(&s);
	for (int i = 0; i < 2000; i++)
		lat_stats_add(&s, 10);
	lat_stats_add(&s, 50);
	lat_stats_add(&s, 100000);
	CHECK(lat_stats_percentile(&s, 99900) == 10);
	CHECK(s.overflow == 1 && s.worst == 100000);
	for (int i = 0; i < 3; i++)
		lat_stats_add(&s, 200000);
	CHECK(lat_stats_percentile(&s, 99900) == 200000);
	CHECK(lat_stats_mean(&s) == (20000u + 50u + 100000u + 600000u) / 2005u);

	/* Huge sample counts do not overflow the rank computation (the histogram cannot hold
	 * them, so only termination and the bound are checked). */
	s.samples = UINT64_MAX / 2;
	CHECK(lat_stats_percentile(&s, 99900) <= s.worst);

	/* A tail entirely beyond the histogram: the worst case bounds the percentile. */
	lat_stats_reset(&s);
	lat_stats_add(&s, LAT_BUCKETS + 5);
	CHECK(lat_stats_percentile(&s, 99900) == LAT_BUCKETS + 5);
	CHECK(lat_stats_percentile(&s, 0) == LAT_BUCKETS + 5);
	/* The report's powers of two: 0 and 1 in bucket 0, 2..3 in 1, 4095 in 11, 4096 beyond. */
	uint64_t log2[LAT_LOG2_BUCKETS];
	lat_stats_reset(&s);
	lat_stats_add(&s, 0);
	lat_stats_add(&s, 1);
	lat_stats_add(&s, 3);
	lat_stats_add(&s, 1024);
	lat_stats_add(&s, 4095);
	lat_stats_add(&s, 4096);
	lat_stats_log2(&s, log2);
	CHECK(log2[0] == 2 && log2[1] == 1 && log2[2] == 0 && log2[10] == 1 && log2[11] == 1);
	CHECK(log2[LAT_LOG2_BUCKETS - 1] == 1);
	return check_exit("test_rtos_stats");
}
