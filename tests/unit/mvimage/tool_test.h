/* SPDX-License-Identifier: MIT */
/* Helpers shared by the tests that run the mvimage binary: checks, file reading, a run. */
#ifndef MVIMAGE_TOOL_TEST_H
#define MVIMAGE_TOOL_TEST_H

#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

static unsigned int failures;

static void check_u64(uint64_t got, uint64_t want, const char *what, const char *file, int line)
{
	if (got == want)
		return;
	failures++;
	fprintf(stderr, "%s:%d: %s is 0x%llx, expected 0x%llx\n", file, line, what,
		(unsigned long long)got, (unsigned long long)want);
}

static void check_true(bool ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	failures++;
	fprintf(stderr, "%s:%d: %s is false\n", file, line, what);
}

#define CHECK_EQ(got, want) check_u64((uint64_t)(got), (uint64_t)(want), #got, __FILE__, __LINE__)
#define CHECK(cond) check_true((cond), #cond, __FILE__, __LINE__)

/* The whole file, NUL-terminated; exits on any error. */
static uint8_t *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
		perror(path);
		exit(1);
	}
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(1);
	}
	buf[len] = 0;
	fclose(f);
	*size = (size_t)len;
	return buf;
}

/* Runs mvimage on `dts` with <work>/microvisor.bin and <work>/cells, writing <work>/out.img;
 * returns its exit status. */
static int run_mvimage(const char *mvimage, const char *dtc, const char *dts, const char *work)
{
	char mv[4096], dir[4096], out[4096];
	char *argv[] = {
		(char *)mvimage, "--microvisor", mv,          "--image-dir", dir, "--output", out,
		"--dtc",         (char *)dtc,    (char *)dts, NULL
	};
	pid_t pid;
	int status;

	snprintf(mv, sizeof(mv), "%s/microvisor.bin", work);
	snprintf(dir, sizeof(dir), "%s/cells", work);
	snprintf(out, sizeof(out), "%s/out.img", work);
	if (posix_spawn(&pid, mvimage, NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &status, 0) != pid) {
		perror(mvimage);
		exit(1);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

#endif
