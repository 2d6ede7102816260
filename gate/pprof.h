// SPDX-License-Identifier: MIT
/* pprof profiles (profile.proto, gzip-compressed or raw): parse with
 * protobuf-c and libdeflate, and aggregate by function as `go tool pprof
 * -top` does. A struct pg_profile is owned by the caller
 * (pg_profile_free); a struct pg_top owns its strings and array
 * (pg_top_release). pg_profile_parse takes untrusted bytes and is the fuzz
 * target. */
#ifndef PG_PPROF_H
#define PG_PPROF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

/* The most bytes of a profile as it travels (gzip-compressed): fetched,
 * written by capture, read from a baseline, a result or `profile top`. One
 * cap for every path a profile's bytes take; what they may inflate to is
 * pg_profile_max_inflated's, below. */
#define PG_PROFILE_MAX_BYTES ((size_t)256 << 20)

struct pg_profile;

struct pg_top_func {
	char *name; /* pprof's printable name, NUL-terminated */
	int64_t flat;
	int64_t cum;
	size_t name_len;	  /* names may hold any bytes, even NUL */
	const char *inline_label; /* "", "(inline)" or "(partial-inline)" (static) */
};

struct pg_top {
	char *sample_type;	   /* e.g. "cpu" */
	char *unit;		   /* e.g. "nanoseconds" */
	int64_t total;		   /* pprof's report total: sum of |value| over all samples */
	struct pg_top_func *funcs; /* pprof -top order: |flat| desc, name, |cum| desc */
	size_t nfuncs;
	/* How the list was trimmed, for pprof's header lines. */
	int sample_index;
	int64_t flat_sum;  /* sum of flat over the listed functions */
	size_t dropped;	   /* functions under the node fraction cut-off */
	size_t orig_count; /* functions before the node count limit */
	double node_fraction;
	size_t node_count;
};

/* Options of `go tool pprof`: -nodefraction (default 0.005), -nodecount
 * (0 = no limit) and -edgefraction (0.001; it only decides inline labels). */
struct pg_top_opts {
	double node_fraction;
	size_t node_count;
	double edge_fraction;
};

#define PG_TOP_OPTS_PPROF       \
	{                       \
		0.005, 0, 0.001 \
	}
#define PG_TOP_OPTS_ALL       \
	{                     \
		0.0, 0, 0.001 \
	}

/* The cap on a profile's uncompressed size: 64 MB, or
 * $PERFGATE_MAX_PROFILE_MB (1 to 65536). */
size_t pg_profile_max_inflated(void);

/* Parse len bytes (gzip or raw protobuf). Malformed input: PG_EINPUT. */
int pg_profile_parse(struct pg_profile **out, const void *data, size_t len, struct pg_err *err);
int pg_profile_load(struct pg_profile **out, const char *path, struct pg_err *err);

/* rc unchanged; when it is PG_EINPUT, err's message is prefixed "cannot read
 * profile 'path': ", as pg_profile_load says it, for a caller that parsed
 * the file's bytes itself. */
int pg_profile_file_error(int rc, const char *path, struct pg_err *err);
void pg_profile_free(struct pg_profile *p);

/* pprof's compatible(): b (the which-th profile, 0-based, for the
 * message) has the period type and sample types of a; else PG_EINPUT. */
int pg_profile_compatible(const struct pg_profile *a, const struct pg_profile *b, size_t which,
			  struct pg_err *err);

/* Merge n profiles into one as pprof does when given several (its
 * profile.Merge): the period type and sample types must be the same
 * (PG_EINPUT otherwise); samples are concatenated, those with the same
 * stack and labels summed, so every function's flat and cum are the sums
 * of its values in the inputs. out's contents are replaced by the merged
 * profile, gzip-compressed. */
int pg_profile_merge(struct pg_buf *out, const struct pg_profile *const *in, size_t n,
		     struct pg_err *err);

/* Merge the profile of len bytes at data into the profile acc holds (acc
 * empty: a copy), as pg_profile_merge does; acc keeps its cap. */
int pg_profile_merge_into(struct pg_buf *acc, const void *data, size_t len, struct pg_err *err);

/* What `go tool pprof -diff_base BASE CUR` reads: cur's samples, and base's
 * with their values negated and the label pprof::base=true, in one
 * profile (gzip) in out; pg_profile_top of it lists the differences, with
 * base's total as the total, as pprof does. */
int pg_profile_diff_base(struct pg_buf *out, const struct pg_profile *base,
			 const struct pg_profile *cur, struct pg_err *err);

/* Resolve a -sample_index spec: NULL for the default (default_sample_type,
 * else the last type), a 0-based index, or a sample type name. */
int pg_profile_sample_index(const struct pg_profile *p, const char *spec, int *out,
			    struct pg_err *err);

/* Aggregate by function for one sample index: every function (node
 * fraction 0), as `go tool pprof -top -nodefraction=0`. */
int pg_profile_top(const struct pg_profile *p, int sample_index, struct pg_top *out,
		   struct pg_err *err);
/* The same with pprof's trimming options. */
int pg_profile_top_opts(const struct pg_profile *p, int sample_index,
			const struct pg_top_opts *opts, struct pg_top *out, struct pg_err *err);
/* `perfgate profile top`: load path and aggregate it once, reading each
 * sample once (pg_profile_load reads them all to check them, the value
 * pass again); the samples are checked in that pass. *out is for
 * pg_top_write_text and pg_profile_free only: it was not checked for any
 * other use. */
int pg_profile_top_load(struct pg_profile **out, const char *path, const char *sample_index,
			const struct pg_top_opts *opts, struct pg_top *top, struct pg_err *err);
void pg_top_release(struct pg_top *t);

/* Call fn for every sample with a non-zero value at sample_index, with its
 * call stack root first: one frame per function (inlined functions are
 * frames of their own), named as pg_profile_top names them ("[binary]",
 * "<unknown>" for address-only frames). The frames are borrowed for the
 * call only. A non-zero return from fn stops the walk and is returned
 * (fn fills err then). */
typedef int (*pg_profile_stack_fn)(void *arg, const char *const *frames, size_t nframes,
				   int64_t value);
int pg_profile_foreach_stack(const struct pg_profile *p, int sample_index, pg_profile_stack_fn fn,
			     void *arg, struct pg_err *err);

/* How many samples p holds, the n of sampling noise: the total of its
 * "samples" count type (Go's CPU profiles), else its default type's total
 * as a count, or as CPU time at Go's 100 Hz when in nanoseconds. */
double pg_profile_sample_count(const struct pg_profile *p);

/* Print the table exactly as `go tool pprof -top` does, header included
 * (times in the local time zone, as pprof). Returns 0 or PG_EINFRA when
 * the stream fails. */
int pg_top_write_text(FILE *f, const struct pg_profile *p, const struct pg_top *t,
		      struct pg_err *err);

/* pprof's value formatting: value in unit, scaled to out_unit ("minimum"
 * or "auto" pick one), e.g. 1500000 nanoseconds -> "1.50ms". */
void pg_pprof_scaled_label(char *buf, size_t len, int64_t value, const char *unit,
			   const char *out_unit);

#endif
