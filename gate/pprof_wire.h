/* Reading the protobuf wire format by hand, for the decoders of the pprof
 * module (pprof_wire.c, pprof_lazy.c): varints, keys and length-delimited
 * bodies with protobuf-c's limits. A struct rd is a borrowed byte range;
 * nothing here allocates. Every reader returns 0, or -1 on malformed input
 * (the range is then left somewhere inside the bad field). */
#ifndef PG_PPROF_WIRE_H
#define PG_PPROF_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

struct rd {
	const uint8_t *p, *end;
};

/* Up to 10 bytes; bits past the 64th are dropped, as protobuf-c does. */
static inline __attribute__((always_inline)) int varint(struct rd *r, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int i;

	if (r->p < r->end && *r->p < 0x80) { /* most ids and values: one byte */
		*out = *r->p++;
		return 0;
	}
	for (i = 0; i < 10 && r->p < r->end; i++) {
		uint8_t b = *r->p++;

		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* A field's key, read exactly as protobuf-c does: at most 5 bytes, the
 * number truncated to 32 bits, and only a first byte without number bits
 * refused (a longer key that decodes to field 0 is an unknown field). */
static inline __attribute__((always_inline)) int tag(struct rd *r, uint32_t *field,
						     unsigned int *wt)
{
	size_t left = (size_t)(r->end - r->p), max = left > 5 ? 5 : left, i;
	const uint8_t *d = r->p;
	unsigned int shift = 4;
	uint32_t t;

	if (!left || !(d[0] & 0xf8))
		return -1;
	*wt = d[0] & 7;
	t = (uint32_t)(d[0] & 0x7f) >> 3;
	for (i = 1; d[i - 1] & 0x80; i++) {
		if (i == max)
			return -1;
		t |= (uint32_t)(d[i] & 0x7f) << shift;
		shift += 7;
	}
	*field = t;
	r->p += i;
	return 0;
}

/* The body of a length-delimited field. */
static inline __attribute__((always_inline)) int sub(struct rd *r, struct rd *out)
{
	uint64_t n;

	if (varint(r, &n) || n > (uint64_t)(r->end - r->p))
		return -1;
	out->p = r->p;
	out->end = r->p + n;
	r->p += n;
	return 0;
}

static inline int skip(struct rd *r, unsigned int wt)
{
	struct rd s;
	uint64_t v;

	switch (wt) {
	case WT_VARINT:
		return varint(r, &v);
	case WT_I64:
	case WT_I32:
		if ((size_t)(r->end - r->p) < (wt == WT_I64 ? 8u : 4u))
			return -1;
		r->p += wt == WT_I64 ? 8 : 4;
		return 0;
	case WT_LEN:
		return sub(r, &s);
	default:
		return -1; /* groups and wire types 6, 7 */
	}
}

#endif
