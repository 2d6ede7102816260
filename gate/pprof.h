/* pprof profiles (profile.proto, gzip-compressed or raw): parse with
 * protobuf-c + zlib, and aggregate by function as `go tool pprof -top` does.
 * A struct pg_profile is owned by the caller (pg_profile_free); a struct
 * pg_top owns its strings and array (pg_top_release). pg_profile_parse takes
 * untrusted bytes and is the fuzz target. */
#ifndef PG_PPROF_H
#define PG_PPROF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct pg_profile;

struct pg_top_func {
	char *name;
	int64_t flat;
	int64_t cum;
};

struct pg_top {
	char *sample_type;	   /* e.g. "cpu" */
	char *unit;		   /* e.g. "nanoseconds" */
	int64_t total;		   /* sum over all samples of the chosen value */
	struct pg_top_func *funcs; /* pprof -top order: flat desc, then ... */
	size_t nfuncs;
};

/* Parse len bytes (gzip or raw protobuf). Malformed input: PG_EINPUT. */
int pg_profile_parse(struct pg_profile **out, const void *data, size_t len, struct pg_err *err);
int pg_profile_load(struct pg_profile **out, const char *path, struct pg_err *err);
void pg_profile_free(struct pg_profile *p);

/* Resolve a -sample_index spec: NULL for the default (default_sample_type,
 * else the last type), a 0-based index, or a sample type name. */
int pg_profile_sample_index(const struct pg_profile *p, const char *spec, int *out,
			    struct pg_err *err);

/* Aggregate by function for one sample index. */
int pg_profile_top(const struct pg_profile *p, int sample_index, struct pg_top *out,
		   struct pg_err *err);
void pg_top_release(struct pg_top *t);

#endif
