// SPDX-License-Identifier: MIT
/* gzip for pprof profiles: inflating untrusted input with a cap on the
 * output (zip bombs), and deflating the profiles perfgate writes.
 *
 * libdeflate inflates a profile about three times as fast as zlib, which
 * was a quarter of `profile top`'s time; but it inflates a member in one
 * call, into room given up front, and says only "bad data" when it fails.
 * So a member that outgrows its buffer is inflated again in a larger one,
 * and input libdeflate refuses is read again by zlib, whose message says
 * why (rare, and then the time does not matter). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "buf.h"
#include "pprof_int.h"

#define MAX_INFLATED_BYTES pg_profile_max_inflated()

static int grow(uint8_t **buf, size_t *cap, struct pg_err *err)
{
	size_t ncap = *cap * 2;
	uint8_t *nbuf;

	if (*cap >= MAX_INFLATED_BYTES)
		return pg_err_set(err, PG_EINPUT,
				  "profile is larger than %zu MB uncompressed; refusing it "
				  "(PERFGATE_MAX_PROFILE_MB raises the cap)",
				  MAX_INFLATED_BYTES >> 20);
	if (ncap > MAX_INFLATED_BYTES)
		ncap = MAX_INFLATED_BYTES;
	nbuf = realloc(*buf, ncap);
	if (!nbuf)
		return pg_err_nomem(err);
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

/* The gzip trailer's ISIZE (size mod 2^32) sizes the first buffer. */
static size_t first_cap(const uint8_t *in, size_t len)
{
	size_t hint = 0;

	if (len >= 18)
		hint = (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 |
		       (size_t)in[len - 1] << 24;
	/* deflate expands at most ~1032:1; a larger ISIZE is a lie. */
	if (hint < len || hint / 1032 > len)
		hint = len * 4;
	if (hint < 65536)
		hint = 65536;
	return hint < MAX_INFLATED_BYTES ? hint + 1 : MAX_INFLATED_BYTES;
}

/* Like Go's gzip reader, concatenated members are read as one stream. */
static int inflate_all(z_stream *zs, const uint8_t *in, size_t len, uint8_t **buf, size_t *cap,
		       struct pg_err *err)
{
	size_t left = len;
	int ret, rc;

	zs->next_in = (Bytef *)in;
	for (;;) {
		if (zs->avail_out == 0) {
			size_t used = *cap;

			rc = grow(buf, cap, err);
			if (rc)
				return rc;
			zs->next_out = *buf + used;
			zs->avail_out = (uInt)(*cap - used);
		}
		if (zs->avail_in == 0 && left) {
			zs->avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
			left -= zs->avail_in;
		}
		ret = inflate(zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END && !zs->avail_in && !left)
			return 0;
		if (ret == Z_STREAM_END) {
			inflateReset(zs);
			continue;
		}
		if (ret == Z_OK || (ret == Z_BUF_ERROR && zs->avail_out == 0))
			continue;
		if (ret == Z_BUF_ERROR)
			return pg_err_set(err, PG_EINPUT, "truncated gzip data");
		if (ret == Z_MEM_ERROR)
			return pg_err_nomem(err);
		return pg_err_set(err, PG_EINPUT, "corrupt gzip data: %s",
				  zs->msg ? zs->msg : "unknown error");
	}
}

/* zlib's reading of input libdeflate refused: the same output, or the
 * reason it is corrupt. */
static int zlib_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len,
		       struct pg_err *err)
{
	z_stream zs;
	uint8_t *buf = NULL;
	size_t cap = first_cap(in, len);
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return pg_err_nomem(err);
	buf = malloc(cap);
	if (!buf) {
		rc = pg_err_nomem(err);
		goto out;
	}
	zs.next_out = buf;
	zs.avail_out = (uInt)(cap > UINT_MAX ? UINT_MAX : cap);
	cap = zs.avail_out;
	rc = inflate_all(&zs, in, len, &buf, &cap, err);
	if (rc)
		goto out;
	*out_len = (size_t)(zs.next_out - buf);
	*out = buf;
	buf = NULL;
out:
	inflateEnd(&zs);
	free(buf);
	return rc;
}

/* Each member in turn, appended to the output of those before it, growing
 * the buffer when one does not fit: 0, 1 when libdeflate refuses the
 * input, or an error. */
static int members(struct libdeflate_decompressor *d, const uint8_t *in, size_t len, uint8_t **buf,
		   size_t *cap, size_t *used, struct pg_err *err)
{
	enum libdeflate_result r;
	size_t in_used, got;
	int rc;

	while (len) {
		r = libdeflate_gzip_decompress_ex(d, in, len, *buf + *used, *cap - *used, &in_used,
						  &got);
		if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
			rc = grow(buf, cap, err);
			if (rc)
				return rc;
			continue;
		}
		if (r != LIBDEFLATE_SUCCESS)
			return 1;
		*used += got;
		in += in_used;
		len -= in_used;
	}
	return 0;
}

int pp_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, struct pg_err *err)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t cap = first_cap(in, len), used = 0;
	uint8_t *buf = malloc(cap);
	int rc;

	if (!d || !buf) {
		rc = pg_err_nomem(err);
		goto out;
	}
	rc = members(d, in, len, &buf, &cap, &used, err);
	if (rc == 1) {
		rc = zlib_gunzip(in, len, out, out_len, err);
		goto out;
	}
	if (rc)
		goto out;
	*out_len = used;
	*out = buf;
	buf = NULL;
out:
	libdeflate_free_decompressor(d);
	free(buf);
	return rc;
}

int pp_gzip(struct pg_buf *out, const uint8_t *in, size_t len, struct pg_err *err)
{
	z_stream zs;
	uint8_t *gz = NULL;
	size_t bound;
	int rc = 0;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return pg_err_nomem(err);
	bound = deflateBound(&zs, len);
	gz = malloc(bound);
	if (!gz || len > UINT32_MAX || bound > UINT32_MAX) {
		rc = pg_err_nomem(err);
		goto out;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = gz;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		rc = pg_err_set(err, PG_EINFRA, "cannot compress the merged profile");
		goto out;
	}
	out->len = 0;
	rc = pg_buf_append(out, gz, zs.total_out, err);
out:
	deflateEnd(&zs);
	free(gz);
	return rc;
}

int pp_write_profile(struct pg_buf *out, const Perftools__Profiles__Profile *p, struct pg_err *err)
{
	size_t len = perftools__profiles__profile__get_packed_size(p);
	uint8_t *raw = malloc(len + 1);
	int rc;

	if (!raw)
		return pg_err_nomem(err);
	perftools__profiles__profile__pack(p, raw);
	rc = pp_gzip(out, raw, len, err);
	free(raw);
	return rc;
}
