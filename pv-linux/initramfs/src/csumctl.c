// SPDX-License-Identifier: MIT
/*
 * csumctl: the checksum offloads of a network interface, as `ethtool -k/-K IF rx|tx`
 * would show and set them (busybox has no ethtool), through the SIOCETHTOOL ioctl.
 *
 *   csumctl IF                 print "IF: rx on|off tx on|off"
 *   csumctl IF rx|tx on|off    set one, then print as above
 * Exit status 0, or 1 on an error.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ethtool(int fd, const char *ifname, unsigned int cmd, unsigned int *data)
{
	struct ethtool_value v = { .cmd = cmd, .data = *data };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = (void *)&v;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
		perror(ifname);
		return -1;
	}
	*data = v.data;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int rx = 0, tx = 0, on;
	int fd;

	if (argc != 2 && !(argc == 4 && (!strcmp(argv[2], "rx") || !strcmp(argv[2], "tx")) &&
			   (!strcmp(argv[3], "on") || !strcmp(argv[3], "off")))) {
		fprintf(stderr, "usage: csumctl IF [rx|tx on|off]\n");
		return 1;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (argc == 4) {
		on = !strcmp(argv[3], "on");
		if (ethtool(fd, argv[1], !strcmp(argv[2], "rx") ? ETHTOOL_SRXCSUM : ETHTOOL_STXCSUM,
			    &on))
			return 1;
	}
	if (ethtool(fd, argv[1], ETHTOOL_GRXCSUM, &rx) || ethtool(fd, argv[1], ETHTOOL_GTXCSUM, &tx))
		return 1;
	printf("%s: rx %s tx %s\n", argv[1], rx ? "on" : "off", tx ? "on" : "off");
	close(fd);
	return 0;
}
