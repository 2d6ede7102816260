/* Reading a pprof profile: gunzip (zlib, capped), unpack with protobuf-c,
 * and check every reference the way pprof's CheckValid does, so that the
 * aggregation code can trust ids and indices. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "pprof_int.h"

/* Decompressed profiles beyond this are refused (zip bombs). */
#define MAX_PROFILE_BYTES ((size_t)1 << 30)

static int grow(uint8_t **buf, size_t *cap, struct pg_err *err)
{
	size_t ncap = *cap * 2;
	uint8_t *nbuf;

	if (*cap >= MAX_PROFILE_BYTES)
		return pg_err_set(err, PG_EINPUT,
				  "profile is larger than %zu bytes uncompressed; refusing it",
				  MAX_PROFILE_BYTES);
	if (ncap > MAX_PROFILE_BYTES)
		ncap = MAX_PROFILE_BYTES;
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
	return hint < MAX_PROFILE_BYTES ? hint + 1 : MAX_PROFILE_BYTES;
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

static int gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, struct pg_err *err)
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

static int check_sample(struct pg_profile *p, size_t i, const Perftools__Profiles__Sample *s,
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
	if (diff_base(p, s)) {
		if (!p->diff_base)
			p->diff_base = calloc(p->raw->n_sample, 1);
		if (!p->diff_base)
			return pg_err_nomem(err);
		p->diff_base[i] = 1;
	}
	return check_labels(p, s, err);
}

static int check_samples(struct pg_profile *p, struct pg_err *err)
{
	Perftools__Profiles__Sample *s;
	struct pp_arena tmp;
	size_t i;
	int rc = 0;

	pp_arena_init(&tmp, PP_SAMPLE_ARENA);
	for (i = 0; i < p->raw->n_sample && !rc; i++) {
		s = pp_sample(p, i, &tmp);
		if (!s)
			rc = pg_err_set(err, PG_EINPUT,
					"malformed profile: sample %zu cannot be "
					"decoded",
					i);
		else
			rc = check_sample(p, i, s, err);
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	return rc;
}

/* Parse data; with *owned set, the input buffer is ours to free as soon as
 * it is no longer needed (after inflating, or after unpacking raw input),
 * which keeps the peak memory near twice the decompressed size. */
static int parse(struct pg_profile **out, const uint8_t *in, size_t len, uint8_t **owned,
		 struct pg_err *err)
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
		rc = gunzip(in, len, &plain, &plain_len, err);
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
	if (!rc)
		rc = check_header(p, err);
	if (!rc)
		rc = pp_index(p, err);
	if (!rc)
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
	return parse(out, data, len, NULL, err);
}

static int read_file(const char *path, uint8_t **out, size_t *len, struct pg_err *err)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pg_err_set(err, PG_EINPUT, "cannot open profile '%s': %s", path,
				  strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = pg_err_set(err, PG_EINPUT, "profile '%s' is not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > MAX_PROFILE_BYTES) {
		rc = pg_err_set(err, PG_EINPUT, "profile '%s' is larger than %zu bytes", path,
				MAX_PROFILE_BYTES);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = pg_err_nomem(err);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = pg_err_set(err, PG_EINPUT, "cannot read profile '%s': %s", path,
					strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

int pg_profile_load(struct pg_profile **out, const char *path, struct pg_err *err)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char msg[sizeof(err->msg)];
	int rc;

	rc = read_file(path, &buf, &len, err);
	if (rc)
		return rc;
	rc = parse(out, buf, len, &buf, err);
	free(buf);
	if (rc == PG_EINPUT && err) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		pg_err_set(err, rc, "cannot read profile '%s': %s", path, msg);
	}
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
