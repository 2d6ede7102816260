/* The top level of a profile (message ProfileLazy, gate/profile.proto),
 * decoded without copying: samples, locations, functions and strings stay
 * byte ranges of the decompressed buffer, which the profile then keeps
 * (p->plain). protobuf-c's unpack copies each of them into the arena, one
 * allocation per element, and that was the largest cost left in parsing.
 * Anything unusual (a wrong wire type, a repeated period_type that
 * protobuf-c would merge, a malformed sub-message) is left to protobuf-c:
 * the hand decoder returns NULL and pp_unpack falls back, so the profile
 * protobuf-c accepts or refuses is the same. */
#include <stdlib.h>

#include "pprof_int.h"
#include "pprof_wire.h"

typedef Perftools__Profiles__ProfileLazy Lazy;

/* The repeated fields: 1 sample_type, 2 sample, 3 mapping, 4 location,
 * 5 function, 6 string_table, 13 comment; n[] counts them. */
struct tally {
	size_t n[14];
};

static int bytes_field(struct rd *r, unsigned int wt, ProtobufCBinaryData *out)
{
	struct rd m;

	if (wt != WT_LEN || sub(r, &m))
		return -1;
	if (out) {
		out->data = (uint8_t *)m.p;
		out->len = (size_t)(m.end - m.p);
	}
	return 0;
}

/* A message field (ValueType or Mapping: few and small), unpacked by
 * protobuf-c itself in the fill pass; m NULL: only framed. */
static int message_field(struct rd *r, unsigned int wt, uint32_t field, Lazy *m, size_t k,
			 struct pp_arena *a)
{
	ProtobufCBinaryData b;

	if (bytes_field(r, wt, &b))
		return -1;
	if (!m)
		return 0;
	if (field == 1)
		return !(m->sample_type[k] =
				 perftools__profiles__value_type__unpack(&a->pc, b.len, b.data));
	if (field == 3)
		return !(m->mapping[k] =
				 perftools__profiles__mapping__unpack(&a->pc, b.len, b.data));
	if (m->period_type) /* a second occurrence: protobuf-c merges them */
		return -1;
	return !(m->period_type = perftools__profiles__value_type__unpack(&a->pc, b.len, b.data));
}

/* An int64 field: comments (13, repeated, maybe packed) go to
 * m->comment[*k...], the others to their member; m NULL: only counted. */
static int scalar_field(struct rd *r, unsigned int wt, uint32_t field, Lazy *m, size_t *k)
{
	struct rd run;
	uint64_t v;

	if (field == 13 && wt == WT_LEN) { /* packed comments */
		if (sub(r, &run))
			return -1;
		while (run.p < run.end) {
			if (varint(&run, &v))
				return -1;
			if (m)
				m->comment[*k] = (int64_t)v;
			(*k)++;
		}
		return 0;
	}
	if (wt != WT_VARINT || varint(r, &v))
		return -1;
	if (field == 13) {
		if (m)
			m->comment[*k] = (int64_t)v;
		(*k)++;
		return 0;
	}
	if (!m)
		return 0;
	*(field == 7	? &m->drop_frames
	  : field == 8	? &m->keep_frames
	  : field == 9	? &m->time_nanos
	  : field == 10 ? &m->duration_nanos
	  : field == 12 ? &m->period
			: &m->default_sample_type) = (int64_t)v;
	return 0;
}

/* Count the repeated fields into t (m NULL), or store every field in m,
 * whose arrays the counts sized. */
static int pass(struct rd r, Lazy *m, struct tally *t, struct pp_arena *a)
{
	ProtobufCBinaryData *bytes[7] = { NULL };
	unsigned int wt;
	uint32_t field;

	if (m) {
		bytes[2] = m->sample;
		bytes[4] = m->location;
		bytes[5] = m->function;
		bytes[6] = m->string_table;
	}
	while (r.p < r.end) {
		if (tag(&r, &field, &wt))
			return -1;
		if (field == 2 || (field >= 4 && field <= 6)) {
			if (bytes_field(&r, wt, m ? &bytes[field][t->n[field]] : NULL))
				return -1;
			t->n[field]++;
		} else if (field == 1 || field == 3 || field == 11) {
			/* period_type (11) is not repeated: n[0], unused, for it */
			size_t *k = &t->n[field == 11 ? 0 : field];

			if (message_field(&r, wt, field, m, *k, a))
				return -1;
			*k += field != 11;
		} else if (field >= 7 && field <= 14) {
			if (scalar_field(&r, wt, field, m, &t->n[13]))
				return -1;
		} else if (skip(&r, wt)) {
			return -1;
		}
	}
	return 0;
}

#define ARRAY(a, n) (a = pp_arena_alloc(ar, ((n) + 1) * sizeof(*(a))))

static Lazy *decode(const uint8_t *data, size_t len, struct pp_arena *ar)
{
	static const Lazy init = PERFTOOLS__PROFILES__PROFILE_LAZY__INIT;
	struct rd r = { data, data + len };
	struct tally t = { { 0 } }, u = { { 0 } };
	Lazy *m;

	if (pass(r, NULL, &t, ar) || !(m = pp_arena_alloc(ar, sizeof(*m))))
		return NULL;
	*m = init;
	if (!ARRAY(m->sample_type, t.n[1]) || !ARRAY(m->sample, t.n[2]) ||
	    !ARRAY(m->mapping, t.n[3]) || !ARRAY(m->location, t.n[4]) ||
	    !ARRAY(m->function, t.n[5]) || !ARRAY(m->string_table, t.n[6]) ||
	    !ARRAY(m->comment, t.n[13]) || pass(r, m, &u, ar))
		return NULL;
	m->n_sample_type = u.n[1];
	m->n_sample = u.n[2];
	m->n_mapping = u.n[3];
	m->n_location = u.n[4];
	m->n_function = u.n[5];
	m->n_string_table = u.n[6];
	m->n_comment = u.n[13];
	return m;
}

int pp_unpack(struct pg_profile *p, uint8_t *data, size_t len, int keep, struct pg_err *err)
{
	size_t i;

	if (!len)
		return pg_err_set(err, PG_EINPUT, "empty profile");
	p->raw = keep ? decode(data, len, &p->arena) : NULL;
	if (p->raw)
		p->plain = data;
	else
		p->raw = perftools__profiles__profile_lazy__unpack(&p->arena.pc, len, data);
	if (!p->raw)
		return pg_err_set(err, PG_EINPUT,
				  "not a pprof protobuf profile (or a truncated one)");
	p->nstr = p->raw->n_string_table;
	p->str = pp_arena_alloc(&p->arena, (p->nstr + 1) * sizeof(*p->str));
	if (!p->str)
		return pg_err_nomem(err);
	for (i = 0; i < p->nstr; i++) {
		p->str[i].p = p->raw->string_table[i].data;
		p->str[i].n = p->raw->string_table[i].len;
		if (!p->str[i].p)
			p->str[i].p = (const uint8_t *)"";
	}
	return 0;
}
