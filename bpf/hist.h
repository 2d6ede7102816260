/* The log-linear latency histogram shared by the BPF programs and gate/, so
 * both agree on bucket <-> value by construction. Values below 2^PG_HIST_SUB_BITS
 * get a bucket each; above, every power of two is split into 2^PG_HIST_SUB_BITS
 * equal buckets, so a bucket is at most 1/32 = 3.1 % wide relative to its
 * lower bound (a 15 % gate needs far finer than log2's 100 %). */
#ifndef PG_HIST_H
#define PG_HIST_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PG_HIST_SUB_BITS 5
#define PG_HIST_SUB (1u << PG_HIST_SUB_BITS)
#define PG_HIST_MAX_LOG2 36 /* 2^37 ns = 137 s; larger values share the top bucket */
#define PG_HIST_NBUCKETS (PG_HIST_SUB + (PG_HIST_MAX_LOG2 - PG_HIST_SUB_BITS + 1) * PG_HIST_SUB)

static inline __u32 pg_hist_log2(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static inline __u32 pg_hist_bucket(__u64 v)
{
	__u32 e;

	if (v < PG_HIST_SUB)
		return (__u32)v;
	e = pg_hist_log2(v);
	if (e > PG_HIST_MAX_LOG2)
		return PG_HIST_NBUCKETS - 1;
	return PG_HIST_SUB + (e - PG_HIST_SUB_BITS) * PG_HIST_SUB +
	       (__u32)((v >> (e - PG_HIST_SUB_BITS)) & (PG_HIST_SUB - 1));
}

/* Smallest value that falls in bucket b. */
static inline __u64 pg_hist_lower(__u32 b)
{
	__u32 e, sub;

	if (b < PG_HIST_SUB)
		return b;
	e = (b - PG_HIST_SUB) / PG_HIST_SUB + PG_HIST_SUB_BITS;
	sub = (b - PG_HIST_SUB) % PG_HIST_SUB;
	return ((__u64)(PG_HIST_SUB + sub)) << (e - PG_HIST_SUB_BITS);
}

/* One past the largest value of bucket b. */
static inline __u64 pg_hist_upper(__u32 b)
{
	return b + 1 < PG_HIST_NBUCKETS ? pg_hist_lower(b + 1) : pg_hist_lower(b) * 2;
}

#endif
