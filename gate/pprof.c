// SPDX-License-Identifier: MIT
/* Reading a pprof profile: gunzip (libdeflate, capped), unpack with
 * protobuf-c, and check every reference the way pprof's CheckValid does,
 * so that the aggregation code can trust ids and indices. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pprof_int.h"

/* Decompressed profiles beyond this are refused (gzip bombs). The largest
 * real profile in the test data inflates to 0.3 MB and the synthetic
 * 400 000-sample one (tests/bench/genprofile) to 35 MB; 64 MB holds both,
 * where the old 1 GiB cap let a 10 MB bomb cost 1 GB and 7 s.
 * PERFGATE_MAX_PROFILE_MB raises (or lowers) it. */
#define DEFAULT_MAX_PROFILE_MB 64

size_t pg_profile_max_inflated(void)
{
	const char *env = getenv("PERFGATE_MAX_PROFILE_MB");
	char *end;
	unsigned long mb;

	if (env && *env) {
		mb = strtoul(env, &end, 10);
		if (!*end && mb >= 1 && mb <= 65536)
			return (size_t)mb << 20;
	}
	return (size_t)DEFAULT_MAX_PROFILE_MB << 20;
}

static int check_str(const struct pg_profile *p, int64_t i, const char *what, struct pg_err *err)
{
	if (i < 0 || (uint64_t)i >= p->nstr) {
		if (i == 0)
			return 0; /* an empty string table: index 0 is "" */
		return pg_err_set(err, PG_EINPUT,
				  "malformed profile: %s refers to string %lld of %zu", what,
				  (long long)i, p->nstr);
	}
	return 0;
}

static int check_header(const struct pg_profile *p, struct pg_err *err)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	size_t i;
	int rc = 0;

	if (p->nstr && p->str[0].n)
		return pg_err_set(err, PG_EINPUT, "malformed profile: string_table[0] is not ''");
	for (i = 0; i < r->n_sample_type && !rc; i++) {
		rc = check_str(p, r->sample_type[i]->type, "a sample type", err);
		if (!rc)
			rc = check_str(p, r->sample_type[i]->unit, "a sample unit", err);
	}
	if (!rc && r->period_type)
		rc = check_str(p, r->period_type->type, "the period type", err);
	if (!rc && r->period_type)
		rc = check_str(p, r->period_type->unit, "the period unit", err);
	for (i = 0; i < r->n_comment && !rc; i++)
		rc = check_str(p, r->comment[i], "a comment", err);
	if (!rc)
		rc = check_str(p, r->drop_frames, "drop_frames", err);
	if (!rc)
		rc = check_str(p, r->keep_frames, "keep_frames", err);
	if (!rc)
		rc = check_str(p, r->default_sample_type, "default_sample_type", err);
	if (!rc && r->n_sample && !r->n_sample_type)
		rc = pg_err_set(err, PG_EINPUT, "malformed profile: samples without sample types");
	return rc;
}

Perftools__Profiles__Sample *pp_sample(const struct pg_profile *p, size_t i, struct pp_arena *a)
{
	const ProtobufCBinaryData *b = &p->raw->sample[i];

	return pp_sample_decode(b->data, b->len, 1, a);
}

Perftools__Profiles__Sample *pp_sample_stack(const struct pg_profile *p, size_t i,
					     struct pp_arena *a)
{
	const ProtobufCBinaryData *b = &p->raw->sample[i];

	return pp_sample_decode(b->data, b->len, 0, a);
}

static int is_str(const struct pg_profile *p, int64_t i, const char *s)
{
	struct pp_str v = pp_string(p, i);

	return v.n == strlen(s) && !memcmp(v.p, s, v.n);
}

/* pprof's DiffBaseSample: the first string label "pprof::base" is "true". */
static int diff_base(const struct pg_profile *p, const Perftools__Profiles__Sample *s)
{
	size_t i;

	for (i = 0; i < s->n_label; i++)
		if (s->label[i]->str && is_str(p, s->label[i]->key, "pprof::base"))
			return is_str(p, s->label[i]->str, "true");
	return 0;
}

static int check_labels(const struct pg_profile *p, const Perftools__Profiles__Sample *s,
			struct pg_err *err)
{
	const Perftools__Profiles__Label *l;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n_label && !rc; i++) {
		l = s->label[i];
		rc = check_str(p, l->key, "a label key", err);
		if (!rc && l->str)
			rc = check_str(p, l->str, "a label value", err);
		else if (!rc && (l->num || l->num_unit))
			rc = check_str(p, l->num_unit, "a label unit", err);
	}
	return rc;
}

static int check_sample(const struct pg_profile *p, size_t i, const Perftools__Profiles__Sample *s,
			struct pg_err *err)
{
	size_t j;

	if (s->n_value != p->raw->n_sample_type)
		return pg_err_set(
			err, PG_EINPUT,
			"malformed profile: sample %zu has %zu values for %zu sample types", i,
			s->n_value, p->raw->n_sample_type);
	for (j = 0; j < s->n_location_id; j++)
		if (pp_idmap_get(&p->loc_ids, s->location_id[j]) == PP_NONE)
			return pg_err_set(
				err, PG_EINPUT,
				"malformed profile: sample %zu refers to missing location "
				"id %llu",
				i, (unsigned long long)s->location_id[j]);
	return check_labels(p, s, err);
}

int pp_sample_read(const struct pg_profile *p, size_t i, struct pp_arena *a,
		   Perftools__Profiles__Sample **out, int *base, struct pg_err *err)
{
	int rc;

	*out = pp_sample(p, i, a);
	if (!*out)
		return pg_err_set(err, PG_EINPUT, "malformed profile: sample %zu cannot be decoded",
				  i);
	rc = check_sample(p, i, *out, err);
	*base = !rc && diff_base(p, *out);
	return rc;
}

static int mark_base(struct pg_profile *p, size_t i, struct pg_err *err)
{
	if (!p->diff_base)
		p->diff_base = calloc(p->raw->n_sample, 1);
	if (!p->diff_base)
		return pg_err_nomem(err);
	p->diff_base[i] = 1;
	return 0;
}

static int check_samples(struct pg_profile *p, struct pg_err *err)
{
	Perftools__Profiles__Sample *s;
	struct pp_arena tmp;
	size_t i;
	int base, rc = 0;

	pp_arena_init(&tmp, PP_SAMPLE_ARENA);
	for (i = 0; i < p->raw->n_sample && !rc; i++) {
		rc = pp_sample_read(p, i, &tmp, &s, &base, err);
		if (!rc && base)
			rc = mark_base(p, i, err);
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	return rc;
}

/* Parse data; with *owned set, the input buffer is ours to free as soon as
 * it is no longer needed (after inflating, or after unpacking raw input),
 * which keeps the peak memory near twice the decompressed size. */
static int parse(struct pg_profile **out, const uint8_t *in, size_t len, uint8_t **owned,
		 int unchecked, struct pg_err *err)
{
	struct pg_profile *p = NULL;
	uint8_t *plain = NULL; /* the protobuf bytes, when they are ours */
	size_t plain_len = len;
	int rc;

	p = calloc(1, sizeof(*p));
	if (!p)
		return pg_err_nomem(err);
	pp_arena_init(&p->arena, 4096);
	if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		rc = pp_gunzip(in, len, &plain, &plain_len, err);
		if (rc)
			goto out;
		if (owned) {
			free(*owned);
			*owned = NULL;
		}
	} else if (owned) {
		plain = *owned;
		*owned = NULL;
	} else if (len && !(plain = malloc(len))) {
		rc = pg_err_nomem(err);
		goto out;
	} else if (len) {
		memcpy(plain, in, len); /* the caller's: one copy, which p keeps */
	}
	rc = pp_unpack(p, plain ? plain : (uint8_t *)in, plain_len, plain != NULL, err);
	if (p->plain != plain)
		free(plain);
	plain = NULL;
	if (rc)
		goto out;
	rc = check_header(p, err);
	if (rc)
		goto out;
	rc = pp_index(p, err);
	if (rc)
		goto out;
	p->samples_unchecked = unchecked;
	if (!unchecked)
		rc = check_samples(p, err);
out:
	free(plain);
	if (rc)
		pg_profile_free(p);
	else
		*out = p;
	return rc;
}

int pg_profile_parse(struct pg_profile **out, const void *data, size_t len, struct pg_err *err)
{
	return parse(out, data, len, NULL, 0, err);
}

/* Errors of the file's contents name the file. */
int pg_profile_file_error(int rc, const char *path, struct pg_err *err)
{
	char msg[sizeof(err->msg)];

	if (rc == PG_EINPUT && err) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		pg_err_set(err, rc, "cannot read profile '%s': %s", path, msg);
	}
	return rc;
}

static int load(struct pg_profile **out, const char *path, int unchecked, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	uint8_t *buf;
	int rc;

	rc = pg_buf_read_file(&b, path, err);
	if (rc) {
		pg_buf_release(&b);
		return rc;
	}
	/* Taken, so parse can free the bytes as soon as they are unpacked. */
	buf = (uint8_t *)b.data;
	rc = parse(out, buf, b.len, &buf, unchecked, err);
	free(buf);
	return pg_profile_file_error(rc, path, err);
}

int pg_profile_load(struct pg_profile **out, const char *path, struct pg_err *err)
{
	return load(out, path, 0, err);
}

int pg_profile_top_load(struct pg_profile **out, const char *path, const char *sample_index,
			const struct pg_top_opts *opts, struct pg_top *top, struct pg_err *err)
{
	int si, rc;

	rc = load(out, path, 1, err);
	if (!rc)
		rc = pg_profile_sample_index(*out, sample_index, &si, err);
	if (!rc)
		rc = pg_profile_file_error(pg_profile_top_opts(*out, si, opts, top, err), path,
					   err);
	return rc;
}

void pg_profile_free(struct pg_profile *p)
{
	if (!p)
		return;
	pp_idmap_release(&p->map_ids);
	pp_idmap_release(&p->func_ids);
	pp_idmap_release(&p->loc_ids);
	free(p->func_name);
	free(p->func_start);
	free(p->func_node);
	free(p->map_file);
	free(p->loc_off);
	free(p->loc_nodes);
	free(p->loc_inl);
	free(p->nodes);
	free(p->node_hash);
	free(p->diff_base);
	pp_arena_release(&p->arena);
	free(p->plain);
	free(p);
}

/* Go's strconv.Atoi: optional sign, decimal digits, nothing else. */
static int atoi_go(const char *s, long long *out)
{
	const char *d = s + (*s == '+' || *s == '-');
	char *end;

	if (!*d || *d < '0' || *d > '9')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *end || errno ? -1 : 0;
}

static int type_is(const struct pg_profile *p, size_t i, const char *name, size_t n)
{
	struct pp_str t = pp_string(p, p->raw->sample_type[i]->type);

	return t.n == n && !memcmp(t.p, name, n);
}

static int no_such_type(const struct pg_profile *p, const char *spec, struct pg_err *err)
{
	char names[160] = "";
	size_t i, len = 0;
	struct pp_str t;

	for (i = 0; i < p->raw->n_sample_type && len < sizeof(names) - 1; i++) {
		t = pp_string(p, p->raw->sample_type[i]->type);
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%.*s", i ? ", " : "",
					(int)(t.n > 40 ? 40 : t.n), (const char *)t.p);
	}
	return pg_err_set(err, PG_EUSAGE, "sample index '%s' must be one of: %s (or 0..%zu)", spec,
			  names, p->raw->n_sample_type - 1);
}

/* pprof's SampleIndexByName. */
int pg_profile_sample_index(const struct pg_profile *p, const char *spec, int *out,
			    struct pg_err *err)
{
	size_t n = p->raw->n_sample_type, i;
	struct pp_str dflt = pp_string(p, p->raw->default_sample_type);
	const char *name = spec;
	long long v;

	if (!n)
		return pg_err_set(err, PG_EINPUT, "profile has no sample types");
	if (!spec) {
		for (i = 0; dflt.n && i < n; i++)
			if (type_is(p, i, (const char *)dflt.p, dflt.n))
				break;
		*out = (int)(dflt.n && i < n ? i : n - 1);
		return 0;
	}
	if (!atoi_go(spec, &v)) {
		if (v < 0 || (unsigned long long)v >= n)
			return pg_err_set(err, PG_EUSAGE,
					  "sample index %s is outside the range [0..%zu]", spec,
					  n - 1);
		*out = (int)v;
		return 0;
	}
	if (!strncmp(name, "inuse_", 6))
		name += 6;
	for (i = 0; i < n; i++) {
		if (type_is(p, i, spec, strlen(spec)) || type_is(p, i, name, strlen(name))) {
			*out = (int)i;
			return 0;
		}
	}
	return no_such_type(p, spec, err);
}

static int same_str(const struct pg_profile *a, int64_t i, const struct pg_profile *b, int64_t j)
{
	struct pp_str x = pp_string(a, i), y = pp_string(b, j);

	return x.n == y.n && (!x.n || !memcmp(x.p, y.p, x.n));
}

static int same_type(const struct pg_profile *a, const Perftools__Profiles__ValueType *x,
		     const struct pg_profile *b, const Perftools__Profiles__ValueType *y)
{
	if (!x || !y)
		return !x && !y;
	return same_str(a, x->type, b, y->type) && same_str(a, x->unit, b, y->unit);
}

/* pprof's compatible(). */
int pg_profile_compatible(const struct pg_profile *a, const struct pg_profile *b, size_t which,
			  struct pg_err *err)
{
	const Perftools__Profiles__ProfileLazy *x = a->raw, *y = b->raw;
	size_t i;

	if (!same_type(a, x->period_type, b, y->period_type))
		return pg_err_set(err, PG_EINPUT,
				  "profile %zu has another period type than profile 1; profiles "
				  "of different kinds cannot be combined",
				  which + 1);
	if (x->n_sample_type != y->n_sample_type)
		return pg_err_set(err, PG_EINPUT,
				  "profile %zu has %zu sample types, profile 1 has %zu; profiles "
				  "of different kinds cannot be combined",
				  which + 1, y->n_sample_type, x->n_sample_type);
	for (i = 0; i < x->n_sample_type; i++)
		if (!same_type(a, x->sample_type[i], b, y->sample_type[i]))
			return pg_err_set(err, PG_EINPUT,
					  "sample type %zu of profile %zu differs from profile "
					  "1's; profiles of different kinds cannot be combined",
					  i, which + 1);
	return 0;
}
