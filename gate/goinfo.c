// SPDX-License-Identifier: MIT
/* Go's build info blob (cmd/go's debug/buildinfo reads the same): 16-byte
 * aligned, 32 bytes of header starting with the magic "\xff Go buildinf:",
 * the pointer size at byte 14 and flags at 15; with flag bit 1 (Go 1.18+)
 * the version follows inline as a uvarint length and its bytes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goinfo.h"

static const char magic[] = "\xff Go buildinf:";
#define MAGIC_LEN 14
#define HEADER_LEN 32

/* The version string of a blob at p (n bytes left); 0 or -1. */
static int blob_version(const unsigned char *p, size_t n, char *out, size_t len)
{
	uint64_t v = 0;
	size_t i = HEADER_LEN;
	int shift = 0;

	if (n < HEADER_LEN + 1 || !(p[15] & 2))
		return -1;
	for (; i < n && shift < 64; i++, shift += 7) {
		v |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80))
			break;
	}
	i++;
	if (i > n || v == 0 || v > n - i || v >= len || memcmp(p + i, "go", 2))
		return -1;
	memcpy(out, p + i, v);
	out[v] = '\0';
	return 0;
}

int pg_goinfo_version(const char *path, char *out, size_t len, struct pg_err *err)
{
	const unsigned char *map = MAP_FAILED, *p;
	struct stat st;
	size_t off;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > HEADER_LEN)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	for (off = 0; map != MAP_FAILED && rc && off + HEADER_LEN < (size_t)st.st_size;) {
		p = memmem(map + off, (size_t)st.st_size - off, magic, MAGIC_LEN);
		if (!p)
			break;
		off = (size_t)(p - map);
		if (off % 16 == 0)
			rc = blob_version(p, (size_t)st.st_size - off, out, len);
		off++;
	}
	if (map != MAP_FAILED)
		munmap((void *)map, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	return rc ? pg_err_set(err, PG_EINPUT, "'%s' holds no Go build info", path) : 0;
}

int pg_goinfo_vdso_getrandom(const char *go_version, const char *kernel_release)
{
	unsigned gmaj = 0, gmin = 0, kmaj = 0, kmin = 0;

	if (!go_version || !kernel_release || sscanf(go_version, "go%u.%u", &gmaj, &gmin) != 2 ||
	    sscanf(kernel_release, "%u.%u", &kmaj, &kmin) != 2)
		return 0;
	return (gmaj > 1 || (gmaj == 1 && gmin >= 24)) && (kmaj > 6 || (kmaj == 6 && kmin >= 11));
}
