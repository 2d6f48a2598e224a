// SPDX-License-Identifier: MIT
/*
 * rtosctl: the Linux side of the RTOS demo's control protocol (cells/rtos/include/rtos/
 * proto.h, docs/rtos.md) over a raw channel (/dev/mvchanN).
 *
 *   rtosctl DEV stats|reset|report|stop     one request, then its reply
 *   rtosctl DEV period US                   change the control period
 *
 * Prints one line (short enough for the console cell's 128-character lines):
 * "rtos: <request> status=S samples=N missed=M mean=..us p999=..us worst=..us period=..us
 * dropped=D rtt=..us" (rtt: the request's round trip as Linux saw it). Exit status 0 when
 * the RTOS answered with status 0, else 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rtos/proto.h>

#define TIMEOUT_MS 5000

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static double ns_to_us(uint32_t ns)
{
	return ns / 1000.0;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { NULL, "stats", "period", "reset", "report", "stop" };
	struct rtos_ctl_request req = { 0 };
	struct rtos_ctl_reply rep;
	struct pollfd p;
	long long start, end;
	unsigned char buf[4096];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: rtosctl DEV stats|reset|report|stop|period US\n");
		return 2;
	}
	for (uint32_t t = 1; t < sizeof(names) / sizeof(names[0]); t++) {
		if (!strcmp(argv[2], names[t]))
			req.type = t;
	}
	if (!req.type || (req.type == RTOS_CTL_SET_PERIOD && argc < 4)) {
		fprintf(stderr, "rtosctl: bad request %s\n", argv[2]);
		return 2;
	}
	if (req.type == RTOS_CTL_SET_PERIOD)
		req.arg = (uint32_t)strtoul(argv[3], NULL, 0);
	req.seq = (uint32_t)getpid();

	fd = open(argv[1], O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "rtosctl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* Replies to requests of an earlier run that gave up waiting are not ours. */
	while (read(fd, buf, sizeof(buf)) >= 0)
		;
	start = now_us();
	end = start + TIMEOUT_MS * 1000LL;
	while (write(fd, &req, sizeof(req)) != sizeof(req)) {
		if (errno != EAGAIN || now_us() > end) {
			fprintf(stderr, "rtosctl: write: %s\n", strerror(errno));
			return 1;
		}
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		poll(&p, 1, 10);
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n == (ssize_t)sizeof(rep)) {
			memcpy(&rep, buf, sizeof(rep));
			if (rep.seq == req.seq && rep.type == req.type)
				break;
			continue;
		}
		if (n >= 0)
			continue; /* not a reply: ignore */
		if (errno != EAGAIN) {
			fprintf(stderr, "rtosctl: read: %s\n", strerror(errno));
			return 1;
		}
		if (now_us() > end) {
			fprintf(stderr, "rtosctl: no answer within %d ms\n", TIMEOUT_MS);
			return 1;
		}
		p = (struct pollfd){ .fd = fd, .events = POLLIN };
		poll(&p, 1, 100);
	}
	printf("rtos: %s status=%d samples=%llu missed=%llu mean=%.1fus p999=%.1fus worst=%.1fus"
	       " period=%uus dropped=%u rtt=%lldus\n",
	       names[req.type], rep.status, (unsigned long long)rep.samples,
	       (unsigned long long)rep.missed, ns_to_us(rep.mean_ns), ns_to_us(rep.p999_ns),
	       ns_to_us(rep.worst_ns), rep.period_us, rep.dropped, now_us() - start);
	return rep.status == RTOS_CTL_OK ? 0 : 1;
}
