/* SPDX-License-Identifier: MIT */
/* The RTOS demo's control protocol: one ring record per request and per reply on the
 * channel between the RTOS cell and its peer (a Linux cell, or a test client). Fixed
 * little-endian layouts, freestanding: shared with the peer verbatim. */
#ifndef RTOS_PROTO_H
#define RTOS_PROTO_H

#include <stdint.h>

/*
 * The peer sends struct rtos_ctl_request records; the RTOS answers each one, in order,
 * with one struct rtos_ctl_reply record carrying the request's type and seq, a status,
 * and the latency statistics as they are after the request took effect. A record whose
 * length is not sizeof(struct rtos_ctl_request) is answered with RTOS_CTL_E_LENGTH (type
 * and seq taken from its first 8 bytes when it has them).
 */
enum rtos_ctl_type {
	RTOS_CTL_STATS = 1, /* statistics only */
	RTOS_CTL_SET_PERIOD =
		2,           /* arg = the control period in microseconds, from the next release */
	RTOS_CTL_RESET = 3,  /* forget the samples so far */
	RTOS_CTL_REPORT = 4, /* also print the report on the RTOS's console */
	RTOS_CTL_STOP = 5,   /* final report, then the RTOS cell powers off */
};

enum rtos_ctl_status {
	RTOS_CTL_OK = 0,
	RTOS_CTL_E_TYPE = -1,   /* unknown request type */
	RTOS_CTL_E_ARG = -2,    /* argument out of range */
	RTOS_CTL_E_LENGTH = -3, /* malformed record */
	RTOS_CTL_E_BUSY = -4,   /* a period change is still pending */
};

#define RTOS_CTL_PERIOD_MIN_US 100u
#define RTOS_CTL_PERIOD_MAX_US 1000000u

struct rtos_ctl_request {
	uint32_t type; /* enum rtos_ctl_type */
	uint32_t seq;  /* echoed in the reply */
	uint32_t arg;
	uint32_t reserved; /* zero */
};

/* Latencies: from a release's programmed timer deadline to the control task running. */
struct rtos_ctl_reply {
	uint32_t type;
	uint32_t seq;
	int32_t status;     /* enum rtos_ctl_status */
	uint32_t period_us; /* the control period in force (or pending) */
	uint64_t samples;   /* releases measured since start or the last reset */
	uint64_t missed;    /* releases served more than one period late, or skipped */
	uint32_t mean_ns;
	uint32_t p999_ns; /* 99.9th percentile */
	uint32_t worst_ns;
	uint32_t counter_hz; /* the counter the latencies were measured with */
	uint32_t dropped;    /* samples lost because the statistics task fell behind */
	uint32_t reserved;
};

_Static_assert(sizeof(struct rtos_ctl_request) == 16, "request layout");
_Static_assert(sizeof(struct rtos_ctl_reply) == 56, "reply layout");
_Static_assert(__builtin_offsetof(struct rtos_ctl_reply, samples) == 16, "reply layout");

#endif
