// SPDX-License-Identifier: MIT
/*
 * mvchan: user-space access to a raw microvisor channel (/dev/mvchanN, pv-linux's
 * mv_chardev): one record per read or write.
 *
 *   mvchan send  DEV TEXT            send TEXT as one record
 *   mvchan recv  DEV [TIMEOUT_MS]    print the next record
 *   mvchan query DEV TEXT [TIMEOUT_MS] [QUIET_MS]
 *                                    send TEXT, print every record that comes back until
 *                                    none has for QUIET_MS (default 300) or TIMEOUT_MS
 *                                    (default 5000) passed, then the round trip of the
 *                                    first answer: "mvchan: round trip N us"
 *   mvchan drain DEV COUNT SIZE      read up to COUNT records with a SIZE-byte buffer (one
 *                                    too big for it with a full-size one), until the ring
 *                                    is corrupt or 2 s pass without one; print
 *                                    "N records, M above SIZE bytes, K overran[; END]",
 *                                    K counting reads that returned more than asked for
 * Exit status 0, or 1 on an error, a timeout with no answer, or a read that overran.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAX (1u << 20)

static char buf[RECORD_MAX + 1];

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int open_dev(const char *dev)
{
	int fd = open(dev, O_RDWR | O_NONBLOCK);

	if (fd < 0)
		fprintf(stderr, "mvchan: %s: %s\n", dev, strerror(errno));
	return fd;
}

static int send_text(int fd, const char *text)
{
	size_t n = strlen(text);

	for (;;) {
		ssize_t w = write(fd, text, n);
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (w == (ssize_t)n)
			return 0;
		if (w < 0 && errno != EAGAIN) {
			fprintf(stderr, "mvchan: write: %s\n", strerror(errno));
			return -1;
		}
		poll(&p, 1, 100);
	}
}

/* Waits up to timeout_ms for a record and prints it. 1 printed, 0 timeout, -1 error. */
static int recv_one(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long end = now_us() + timeout_ms * 1000LL;

	for (;;) {
		ssize_t r = read(fd, buf, RECORD_MAX);
		long long left;

		if (r >= 0) {
			buf[r] = '\0';
			fputs(buf, stdout);
			if (r == 0 || buf[r - 1] != '\n')
				putchar('\n');
			fflush(stdout);
			return 1;
		}
		if (errno != EAGAIN) {
			fprintf(stderr, "mvchan: read: %s\n", strerror(errno));
			return -1;
		}
		left = end - now_us();
		if (left <= 0)
			return 0;
		poll(&p, 1, (int)(left / 1000 + 1));
	}
}

static int query(int fd, const char *text, int timeout_ms, int quiet_ms)
{
	long long start, first = -1, end;
	int r;

	/* Stale answers of an earlier run are not ours. */
	while (read(fd, buf, RECORD_MAX) >= 0)
		;
	start = now_us();
	end = start + timeout_ms * 1000LL;
	if (send_text(fd, text))
		return 1;
	for (;;) {
		long long left = end - now_us();
		int wait = first < 0 ? (int)(left / 1000) : quiet_ms;

		if (left <= 0 || wait <= 0)
			break;
		r = recv_one(fd, wait);
		if (r < 0)
			return 1;
		if (r == 0)
			break;
		if (first < 0)
			first = now_us() - start;
	}
	if (first < 0) {
		fprintf(stderr, "mvchan: no answer within %d ms\n", timeout_ms);
		return 1;
	}
	printf("mvchan: round trip %lld us\n", first);
	return 0;
}

/* A hostile peer may rewrite a record's length while the kernel reads it: whatever it
 * does, read() must return no more than the buffer it was given.
 */
static int drain(int fd, long count, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long n = 0, above = 0, overran = 0;
	const char *end = "";

	if (size > RECORD_MAX)
		size = RECORD_MAX;
	while (n < count) {
		size_t asked = size;
		ssize_t r = read(fd, buf, asked);

		if (r < 0 && errno == EMSGSIZE) {
			above++;
			asked = RECORD_MAX;
			r = read(fd, buf, asked);
		}
		if (r >= 0) {
			overran += (size_t)r > asked;
			n++;
			continue;
		}
		if (errno == EIO) {
			end = "; ring corrupt";
			break;
		}
		if (errno != EAGAIN) {
			fprintf(stderr, "mvchan: read: %s\n", strerror(errno));
			return 1;
		}
		if (poll(&p, 1, 2000) == 0) {
			end = "; quiet";
			break;
		}
	}
	printf("%ld records, %ld above %zu bytes, %ld overran%s\n", n, above, size, overran, end);
	return overran ? 1 : 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: mvchan send|recv|query|drain DEV [TEXT|COUNT] [TIMEOUT_MS|SIZE] [QUIET_MS]\n");
		return 2;
	}
	fd = open_dev(argv[2]);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "send") && argc >= 4)
		return send_text(fd, argv[3]) ? 1 : 0;
	if (!strcmp(argv[1], "recv"))
		return recv_one(fd, argc >= 4 ? atoi(argv[3]) : 5000) == 1 ? 0 : 1;
	if (!strcmp(argv[1], "query") && argc >= 4)
		return query(fd, argv[3], argc >= 5 ? atoi(argv[4]) : 5000,
			     argc >= 6 ? atoi(argv[5]) : 300);
	if (!strcmp(argv[1], "drain") && argc >= 5)
		return drain(fd, atol(argv[3]), (size_t)atol(argv[4]));
	fprintf(stderr, "mvchan: bad command\n");
	return 2;
}
