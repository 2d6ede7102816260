/* Decoding the hot messages of a profile by hand: Sample (decoded once per
 * pass: validation, values, edges), Location and Function (once each while
 * indexing). protobuf-c's table-driven unpack of them was two thirds of
 * `perfgate profile top`'s instructions: a descriptor walk, an allocation
 * per sub-message and a required-member bitmap per message. This reads
 * their fields straight off the wire into the structs protobuf-c would fill,
 * in the caller's arena. It accepts what protobuf-c
 * accepts (packed or unpacked repeated scalars, in any order and split over
 * several occurrences; unknown fields of any valid wire type are skipped;
 * for a repeated scalar in a Label the last occurrence wins) and refuses
 * what it refuses (a known field with a wrong wire type, field number 0,
 * groups, varints over 10 bytes, lengths past the end; but a bool of any
 * wire type, as protobuf-c takes it). */
#include <string.h>

#include "pprof_int.h"
#include "pprof_wire.h"

/* A packed run of varints into out[*n...]: the hot loop of profile
 * reading (location ids), so the one-byte case is kept short. */
static int packed(const uint8_t *p, const uint8_t *end, uint64_t *out, size_t *n)
{
	size_t k = *n;
	unsigned int shift;
	uint64_t v;
	uint8_t b;

	while (p < end) {
		v = *p++;
		if (!(v & 0x80)) {
			out[k++] = v;
			continue;
		}
		v &= 0x7f;
		if (p < end && *p < 0x80) { /* two bytes: ids up to 16383 */
			out[k++] = v | (uint64_t)*p++ << 7;
			continue;
		}
		shift = 7;
		do {
			if (p == end || shift > 63)
				return -1;
			b = *p++;
			v |= (uint64_t)(b & 0x7f) << shift;
			shift += 7;
		} while (b & 0x80);
		out[k++] = v;
	}
	*n = k;
	return 0;
}

/* A repeated varint field, one value or a packed run: its values go to
 * out[*n...], which the caller sized by the message length. */
static int scalars(struct rd *r, unsigned int wt, uint64_t *out, size_t *n)
{
	struct rd s;
	uint64_t v;

	if (wt == WT_VARINT) {
		if (varint(r, &v))
			return -1;
		out[(*n)++] = v;
		return 0;
	}
	if (wt != WT_LEN || sub(r, &s))
		return -1;
	return packed(s.p, s.end, out, n);
}

static int label(struct rd r, Perftools__Profiles__Label *l)
{
	int64_t *f[] = { NULL, &l->key, &l->str, &l->num, &l->num_unit };
	unsigned int wt;
	uint32_t field;
	uint64_t v;

	while (r.p < r.end) {
		if (tag(&r, &field, &wt))
			return -1;
		if (field == 0 || field > 4) {
			if (skip(&r, wt))
				return -1;
			continue;
		}
		if (wt != WT_VARINT || varint(&r, &v))
			return -1;
		*f[field] = (int64_t)v;
	}
	return 0;
}

/* Room for every label still to come, at the first one: each takes at
 * least two bytes (key and length), which bounds their number. */
static int label_room(Perftools__Profiles__Sample *s, size_t left, struct pp_arena *a)
{
	size_t n = left / 2 + 1;

	s->label = pp_arena_alloc(a, n * (sizeof(*s->label) + sizeof(**s->label)));
	return s->label ? 0 : -1;
}

/* One walk over the message; labels are decoded only with an arena (else
 * framed and counted, then dropped by the caller). */
static int sample_pass(struct rd r, Perftools__Profiles__Sample *s, struct pp_arena *a)
{
	static const Perftools__Profiles__Label init = PERFTOOLS__PROFILES__LABEL__INIT;
	Perftools__Profiles__Label *l = NULL;
	unsigned int wt;
	uint32_t field;
	struct rd m;

	while (r.p < r.end) {
		if (tag(&r, &field, &wt))
			return -1;
		if (field == 1) {
			if (scalars(&r, wt, s->location_id, &s->n_location_id))
				return -1;
		} else if (field == 2) {
			if (scalars(&r, wt, (uint64_t *)s->value, &s->n_value))
				return -1;
		} else if (field == 3) {
			if (wt != WT_LEN)
				return -1;
			if (a && !l) {
				if (label_room(s, (size_t)(r.end - r.p), a))
					return -1;
				l = (Perftools__Profiles__Label *)(s->label + (r.end - r.p) / 2 +
								   1);
			}
			if (sub(&r, &m))
				return -1;
			if (a) {
				l[s->n_label] = init;
				s->label[s->n_label] = &l[s->n_label];
				if (label(m, &l[s->n_label]))
					return -1;
			}
			s->n_label++;
		} else if (skip(&r, wt)) {
			return -1;
		}
	}
	return 0;
}

Perftools__Profiles__Sample *pp_sample_decode(const uint8_t *data, size_t len, int with_labels,
					      struct pp_arena *a)
{
	static const Perftools__Profiles__Sample init = PERFTOOLS__PROFILES__SAMPLE__INIT;
	struct rd r = { data, data + len };
	Perftools__Profiles__Sample *s;
	uint64_t *vals;

	/* A value takes at least a byte: len bounds both arrays, and one
	 * allocation holds the message and them. */
	s = pp_arena_alloc(a, sizeof(*s) + 2 * (len + 1) * sizeof(uint64_t));
	if (!s)
		return NULL;
	*s = init;
	vals = (uint64_t *)(s + 1);
	s->location_id = vals;
	s->value = (int64_t *)(vals + len + 1);
	if (sample_pass(r, s, with_labels ? a : NULL))
		return NULL;
	if (!with_labels)
		s->n_label = 0; /* their framing was checked all the same */
	return s;
}

/* protobuf-c reads a bool whatever its wire type: true when any byte of
 * the field's value (length prefix included) has a low bit set. */
static int boolean(struct rd *r, unsigned int wt, uint64_t *out)
{
	const uint8_t *p = r->p;

	if (skip(r, wt))
		return -1;
	for (*out = 0; p < r->p; p++)
		*out |= *p & 0x7f;
	return 0;
}

/* A message of varint fields 1..n only (Function, Line, and Location but
 * for its lines): the last occurrence of each lands in slot[field - 1];
 * fields above n are skipped, field `flag` is a bool, and field `nested`
 * (counted in *nnested, when not 0) is length-delimited. */
static int scalar_fields(struct rd r, uint64_t *slot, uint32_t n, uint32_t flag, uint32_t nested,
			 size_t *nnested)
{
	unsigned int wt;
	uint32_t field;
	struct rd m;

	while (r.p < r.end) {
		if (tag(&r, &field, &wt))
			return -1;
		if (flag && field == flag) {
			if (boolean(&r, wt, &slot[field - 1]))
				return -1;
		} else if (nested && field == nested) {
			if (wt != WT_LEN || sub(&r, &m))
				return -1;
			(*nnested)++;
		} else if (field == 0 || field > n) {
			if (skip(&r, wt))
				return -1;
		} else if (wt != WT_VARINT || varint(&r, &slot[field - 1])) {
			return -1;
		}
	}
	return 0;
}

Perftools__Profiles__Function *pp_function_decode(const uint8_t *data, size_t len,
						  struct pp_arena *a)
{
	static const Perftools__Profiles__Function init = PERFTOOLS__PROFILES__FUNCTION__INIT;
	Perftools__Profiles__Function *f;
	uint64_t v[5] = { 0 };

	if (scalar_fields((struct rd){ data, data + len }, v, 5, 0, 0, NULL))
		return NULL;
	f = pp_arena_alloc(a, sizeof(*f));
	if (!f)
		return NULL;
	*f = init;
	f->id = v[0];
	f->name = (int64_t)v[1];
	f->system_name = (int64_t)v[2];
	f->filename = (int64_t)v[3];
	f->start_line = (int64_t)v[4];
	return f;
}

/* The lines of a location, in order, into l[0..]. */
static int lines(struct rd r, Perftools__Profiles__Line **out, Perftools__Profiles__Line *l)
{
	static const Perftools__Profiles__Line init = PERFTOOLS__PROFILES__LINE__INIT;
	unsigned int wt;
	uint32_t field;
	uint64_t v[3];
	struct rd m;
	size_t i = 0;

	while (r.p < r.end) {
		if (tag(&r, &field, &wt))
			return -1;
		if (field != 4) {
			if (skip(&r, wt))
				return -1;
			continue;
		}
		if (sub(&r, &m))
			return -1;
		v[0] = v[1] = v[2] = 0;
		if (scalar_fields(m, v, 3, 0, 0, NULL))
			return -1;
		l[i] = init;
		l[i].function_id = v[0];
		l[i].line = (int64_t)v[1];
		l[i].column = (int64_t)v[2];
		out[i] = &l[i];
		i++;
	}
	return 0;
}

Perftools__Profiles__Location *pp_location_decode(const uint8_t *data, size_t len,
						  struct pp_arena *a)
{
	static const Perftools__Profiles__Location init = PERFTOOLS__PROFILES__LOCATION__INIT;
	struct rd r = { data, data + len };
	Perftools__Profiles__Location *l;
	Perftools__Profiles__Line *ls;
	uint64_t v[5] = { 0 };
	size_t n = 0;

	if (scalar_fields(r, v, 5, 5, 4, &n))
		return NULL;
	l = pp_arena_alloc(a, sizeof(*l) + n * (sizeof(*l->line) + sizeof(*ls)));
	if (!l)
		return NULL;
	*l = init;
	l->id = v[0];
	l->mapping_id = v[1];
	l->address = v[2];
	l->is_folded = v[4] != 0;
	l->n_line = n;
	l->line = (Perftools__Profiles__Line **)(l + 1);
	ls = (Perftools__Profiles__Line *)(l->line + n);
	if (n && lines(r, l->line, ls))
		return NULL;
	return l;
}
