// SPDX-License-Identifier: MIT
/* Merging profiles the way pprof's profile.Merge does (what `go tool pprof`
 * does with several files): the sample types and period type must agree;
 * strings, mappings, functions and locations are deduplicated by content
 * and renumbered; samples with the same stack and labels are summed, the
 * others concatenated. Time is the earliest start, duration the sum,
 * period the largest; the rest of the header comes from the first. */
#include <stdlib.h>
#include <string.h>

#include "pprof_int.h"

struct merge {
	struct pp_arena arena; /* the output messages */
	struct pp_kmap strs, maps, funcs, locs, samples;
	ProtobufCBinaryData *str;
	Perftools__Profiles__Mapping **map;
	Perftools__Profiles__Function **func;
	Perftools__Profiles__Location **loc;
	Perftools__Profiles__Sample **sample;
	size_t capstr, capmap, capfunc, caploc, capsample;
	uint64_t *key; /* scratch key */
	size_t nkey, capkey;
	Perftools__Profiles__Profile out;
	int as_base; /* this input is a diff base: values negated, labelled */
	/* Per input: old index of a mapping/function/location -> new id. */
	uint64_t *newmap, *newfunc, *newloc;
};

static int key_push(struct merge *m, uint64_t v)
{
	if (pp_grow(&m->key, &m->capkey, m->nkey + 1, sizeof(*m->key)))
		return PG_ENOMEM;
	m->key[m->nkey++] = v;
	return 0;
}

/* The new index of the string s (which must outlive the merge). */
static int add_bytes(struct merge *m, struct pp_str s, int64_t *out)
{
	uint64_t w;
	uint32_t idx;
	size_t k;
	int rc;

	m->nkey = 0;
	if (key_push(m, s.n))
		return PG_ENOMEM;
	for (k = 0; k < s.n; k += 8) {
		w = 0;
		memcpy(&w, s.p + k, s.n - k < 8 ? s.n - k : 8);
		if (key_push(m, w))
			return PG_ENOMEM;
	}
	rc = pp_kmap_get(&m->strs, m->key, m->nkey, &idx);
	if (rc < 0 || pp_grow(&m->str, &m->capstr, m->strs.n, sizeof(*m->str)))
		return PG_ENOMEM;
	if (!rc) {
		m->str[idx].data = (uint8_t *)s.p;
		m->str[idx].len = s.n;
	}
	*out = idx;
	return 0;
}

/* The new index of string i of p. */
static int add_string(struct merge *m, const struct pg_profile *p, int64_t i, int64_t *out)
{
	return add_bytes(m, pp_string(p, i), out);
}

static int add_mapping(struct merge *m, const struct pg_profile *p,
		       const Perftools__Profiles__Mapping *in, uint64_t *out)
{
	Perftools__Profiles__Mapping *o;
	int64_t file, bid;
	uint32_t idx;
	int rc;

	if (add_string(m, p, in->filename, &file) || add_string(m, p, in->build_id, &bid))
		return PG_ENOMEM;
	m->nkey = 0;
	if (key_push(m, in->memory_start) || key_push(m, in->memory_limit) ||
	    key_push(m, in->file_offset) || key_push(m, (uint64_t)file) ||
	    key_push(m, (uint64_t)bid) ||
	    key_push(m, (uint64_t)in->has_functions | (uint64_t)in->has_filenames << 1 |
				(uint64_t)in->has_line_numbers << 2 |
				(uint64_t)in->has_inline_frames << 3))
		return PG_ENOMEM;
	rc = pp_kmap_get(&m->maps, m->key, m->nkey, &idx);
	if (rc < 0 || pp_grow(&m->map, &m->capmap, m->maps.n, sizeof(*m->map)))
		return PG_ENOMEM;
	if (!rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		if (!o)
			return PG_ENOMEM;
		*o = *in;
		o->id = idx + 1;
		o->filename = file;
		o->build_id = bid;
		m->map[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

static int add_function(struct merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Function *in, uint64_t *out)
{
	Perftools__Profiles__Function *o;
	int64_t name, sys, file;
	uint32_t idx;
	int rc;

	if (add_string(m, p, in->name, &name) || add_string(m, p, in->system_name, &sys) ||
	    add_string(m, p, in->filename, &file))
		return PG_ENOMEM;
	m->nkey = 0;
	if (key_push(m, (uint64_t)name) || key_push(m, (uint64_t)sys) ||
	    key_push(m, (uint64_t)file) || key_push(m, (uint64_t)in->start_line))
		return PG_ENOMEM;
	rc = pp_kmap_get(&m->funcs, m->key, m->nkey, &idx);
	if (rc < 0 || pp_grow(&m->func, &m->capfunc, m->funcs.n, sizeof(*m->func)))
		return PG_ENOMEM;
	if (!rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		if (!o)
			return PG_ENOMEM;
		perftools__profiles__function__init(o);
		o->id = idx + 1;
		o->name = name;
		o->system_name = sys;
		o->filename = file;
		o->start_line = in->start_line;
		m->func[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

/* The key of a location in new ids: mapping, address, folded, lines. */
static int location_key(struct merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Location *in)
{
	uint32_t mi = pp_idmap_get(&p->map_ids, in->mapping_id), fi;
	size_t i;

	m->nkey = 0;
	if (key_push(m, mi == PP_NONE ? 0 : m->newmap[mi]) || key_push(m, in->address) ||
	    key_push(m, in->is_folded) || key_push(m, in->n_line))
		return PG_ENOMEM;
	for (i = 0; i < in->n_line; i++) {
		fi = pp_idmap_get(&p->func_ids, in->line[i]->function_id);
		if (key_push(m, fi == PP_NONE ? 0 : m->newfunc[fi]) ||
		    key_push(m, (uint64_t)in->line[i]->line) ||
		    key_push(m, (uint64_t)in->line[i]->column))
			return PG_ENOMEM;
	}
	return 0;
}

static int add_location(struct merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Location *in, uint64_t *out)
{
	Perftools__Profiles__Location *o;
	Perftools__Profiles__Line *lines;
	uint32_t idx;
	size_t i;
	int rc;

	if (location_key(m, p, in))
		return PG_ENOMEM;
	rc = pp_kmap_get(&m->locs, m->key, m->nkey, &idx);
	if (rc < 0 || pp_grow(&m->loc, &m->caploc, m->locs.n, sizeof(*m->loc)))
		return PG_ENOMEM;
	if (!rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		lines = pp_arena_alloc(&m->arena, in->n_line * sizeof(*lines) + 1);
		if (!o || !lines)
			return PG_ENOMEM;
		perftools__profiles__location__init(o);
		o->line = pp_arena_alloc(&m->arena, in->n_line * sizeof(*o->line) + 1);
		if (!o->line)
			return PG_ENOMEM;
		o->id = idx + 1;
		o->mapping_id = m->key[0];
		o->address = in->address;
		o->is_folded = in->is_folded;
		o->n_line = in->n_line;
		for (i = 0; i < in->n_line; i++) {
			perftools__profiles__line__init(&lines[i]);
			lines[i].function_id = m->key[4 + 3 * i];
			lines[i].line = in->line[i]->line;
			lines[i].column = in->line[i]->column;
			o->line[i] = &lines[i];
		}
		m->loc[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

/* Labels go after the stack in the key; strings are added first because
 * add_string uses the scratch key too. A diff base's samples get pprof's
 * label "pprof::base" = "true" as well; *nl counts the labels. */
static int label_words(struct merge *m, const struct pg_profile *p,
		       const Perftools__Profiles__Sample *in, uint64_t **out, size_t *nl)
{
	static const struct pp_str key = { (const uint8_t *)"pprof::base", 11 },
				   yes = { (const uint8_t *)"true", 4 };
	const Perftools__Profiles__Label *l;
	uint64_t *w = calloc(4 * in->n_label + 5, sizeof(*w));
	int64_t k, s, u;
	size_t i;

	if (!w)
		return PG_ENOMEM;
	for (i = 0; i < in->n_label; i++) {
		l = in->label[i];
		if (add_string(m, p, l->key, &k) || add_string(m, p, l->str, &s) ||
		    add_string(m, p, l->num_unit, &u))
			goto nomem;
		w[4 * i] = (uint64_t)k;
		w[4 * i + 1] = (uint64_t)s;
		w[4 * i + 2] = (uint64_t)l->num;
		w[4 * i + 3] = (uint64_t)u;
	}
	*nl = in->n_label;
	if (m->as_base) {
		if (add_bytes(m, key, &k) || add_bytes(m, yes, &s))
			goto nomem;
		w[4 * i] = (uint64_t)k;
		w[4 * i + 1] = (uint64_t)s;
		(*nl)++;
	}
	*out = w;
	return 0;
nomem:
	free(w);
	return PG_ENOMEM;
}

/* The key of a sample in new ids: its stack, then its nl labels (lw). */
static int sample_key(struct merge *m, const struct pg_profile *p,
		      const Perftools__Profiles__Sample *in, const uint64_t *lw, size_t nl)
{
	size_t i;

	m->nkey = 0;
	if (key_push(m, in->n_location_id))
		return PG_ENOMEM;
	for (i = 0; i < in->n_location_id; i++)
		if (key_push(m, m->newloc[pp_idmap_get(&p->loc_ids, in->location_id[i])]))
			return PG_ENOMEM;
	for (i = 0; i < 4 * nl; i++)
		if (key_push(m, lw[i]))
			return PG_ENOMEM;
	return 0;
}

static Perftools__Profiles__Sample *
new_sample(struct merge *m, const Perftools__Profiles__Sample *in, const uint64_t *lw, size_t nl)
{
	Perftools__Profiles__Sample *o = pp_arena_alloc(&m->arena, sizeof(*o));
	Perftools__Profiles__Label *labels;
	size_t i;

	if (!o)
		return NULL;
	perftools__profiles__sample__init(o);
	o->location_id = pp_arena_alloc(&m->arena, in->n_location_id * sizeof(uint64_t));
	o->value = pp_arena_alloc(&m->arena, in->n_value * sizeof(int64_t));
	o->label = pp_arena_alloc(&m->arena, nl * sizeof(*o->label));
	labels = pp_arena_alloc(&m->arena, nl * sizeof(*labels));
	if (!o->location_id || !o->value || !o->label || !labels)
		return NULL;
	o->n_location_id = in->n_location_id;
	memcpy(o->location_id, m->key + 1, in->n_location_id * sizeof(uint64_t));
	o->n_value = in->n_value;
	memset(o->value, 0, in->n_value * sizeof(int64_t));
	o->n_label = nl;
	for (i = 0; i < nl; i++) {
		perftools__profiles__label__init(&labels[i]);
		labels[i].key = (int64_t)lw[4 * i];
		labels[i].str = (int64_t)lw[4 * i + 1];
		labels[i].num = (int64_t)lw[4 * i + 2];
		labels[i].num_unit = (int64_t)lw[4 * i + 3];
		o->label[i] = &labels[i];
	}
	return o;
}

static int add_sample(struct merge *m, const struct pg_profile *p,
		      const Perftools__Profiles__Sample *in)
{
	Perftools__Profiles__Sample *o;
	uint64_t *lw = NULL;
	uint32_t idx;
	size_t i, nl = 0;
	int rc;

	rc = label_words(m, p, in, &lw, &nl);
	if (!rc)
		rc = sample_key(m, p, in, lw, nl);
	if (!rc)
		rc = pp_kmap_get(&m->samples, m->key, m->nkey, &idx);
	if (rc >= 0 && pp_grow(&m->sample, &m->capsample, m->samples.n, sizeof(*m->sample)))
		rc = PG_ENOMEM;
	if (rc == 0) {
		m->sample[idx] = new_sample(m, in, lw, nl);
		if (!m->sample[idx])
			rc = PG_ENOMEM;
	}
	free(lw);
	if (rc < 0)
		return rc;
	o = m->sample[idx];
	for (i = 0; i < o->n_value; i++)
		o->value[i] = pp_add(o->value[i],
				     m->as_base ? pp_add(0, (int64_t)(0 - (uint64_t)in->value[i]))
						: in->value[i]);
	return 0;
}

static int add_entities(struct merge *m, const struct pg_profile *p, struct pp_arena *tmp)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	const ProtobufCBinaryData *b;
	Perftools__Profiles__Function *f;
	Perftools__Profiles__Location *l;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->n_mapping && !rc; i++)
		rc = add_mapping(m, p, r->mapping[i], &m->newmap[i]);
	for (i = 0; i < r->n_function && !rc; i++) {
		b = &r->function[i];
		f = perftools__profiles__function__unpack(&tmp->pc, b->len, b->data);
		rc = f ? add_function(m, p, f, &m->newfunc[i]) : PG_ENOMEM;
		pp_arena_reset(tmp);
	}
	for (i = 0; i < r->n_location && !rc; i++) {
		b = &r->location[i];
		l = perftools__profiles__location__unpack(&tmp->pc, b->len, b->data);
		rc = l ? add_location(m, p, l, &m->newloc[i]) : PG_ENOMEM;
		pp_arena_reset(tmp);
	}
	return rc;
}

/* Add every sample of p; its mappings, functions and locations first. The
 * profile was checked by pg_profile_parse, so every reference resolves. */
static int add_profile(struct merge *m, const struct pg_profile *p)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	Perftools__Profiles__Sample *s;
	struct pp_arena tmp;
	size_t i;
	int rc = 0;

	pp_arena_init(&tmp, 4096);
	m->newmap = calloc(r->n_mapping + 1, sizeof(uint64_t));
	m->newfunc = calloc(r->n_function + 1, sizeof(uint64_t));
	m->newloc = calloc(r->n_location + 1, sizeof(uint64_t));
	if (!m->newmap || !m->newfunc || !m->newloc)
		rc = PG_ENOMEM;
	if (!rc)
		rc = add_entities(m, p, &tmp);
	for (i = 0; i < r->n_sample && !rc; i++) {
		s = pp_sample(p, i, &tmp);
		rc = s ? add_sample(m, p, s) : PG_ENOMEM;
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	free(m->newmap);
	free(m->newfunc);
	free(m->newloc);
	m->newmap = m->newfunc = m->newloc = NULL;
	return rc;
}

static int value_type(struct merge *m, const struct pg_profile *p,
		      const Perftools__Profiles__ValueType *in,
		      Perftools__Profiles__ValueType **out)
{
	Perftools__Profiles__ValueType *o = pp_arena_alloc(&m->arena, sizeof(*o));

	if (!o)
		return PG_ENOMEM;
	perftools__profiles__value_type__init(o);
	*out = o;
	return add_string(m, p, in->type, &o->type) || add_string(m, p, in->unit, &o->unit)
		       ? PG_ENOMEM
		       : 0;
}

/* The header: types, names and comments of the first profile; time,
 * duration and period from all of them. */
static int header(struct merge *m, const struct pg_profile *const *in, size_t n)
{
	const Perftools__Profiles__ProfileLazy *r = in[0]->raw;
	Perftools__Profiles__Profile *o = &m->out;
	int64_t empty;
	size_t i;
	int rc;

	rc = add_string(m, in[0], 0, &empty); /* string 0 is "" */
	o->n_sample_type = r->n_sample_type;
	o->sample_type = pp_arena_alloc(&m->arena, r->n_sample_type * sizeof(*o->sample_type));
	o->comment = pp_arena_alloc(&m->arena, r->n_comment * sizeof(*o->comment));
	if (!o->sample_type || !o->comment)
		rc = PG_ENOMEM;
	for (i = 0; i < r->n_sample_type && !rc; i++)
		rc = value_type(m, in[0], r->sample_type[i], &o->sample_type[i]);
	if (!rc && r->period_type)
		rc = value_type(m, in[0], r->period_type, &o->period_type);
	o->n_comment = r->n_comment;
	for (i = 0; i < r->n_comment && !rc; i++)
		rc = add_string(m, in[0], r->comment[i], &o->comment[i]);
	if (!rc && (add_string(m, in[0], r->drop_frames, &o->drop_frames) ||
		    add_string(m, in[0], r->keep_frames, &o->keep_frames) ||
		    add_string(m, in[0], r->default_sample_type, &o->default_sample_type)))
		rc = PG_ENOMEM;
	for (i = 0; i < n; i++) {
		r = in[i]->raw;
		if (r->time_nanos && (!o->time_nanos || r->time_nanos < o->time_nanos))
			o->time_nanos = r->time_nanos;
		o->duration_nanos = pp_add(o->duration_nanos, r->duration_nanos);
		if (r->period > o->period)
			o->period = r->period;
	}
	return rc;
}

static int pack(struct merge *m, struct pg_buf *out, struct pg_err *err)
{
	Perftools__Profiles__Profile *o = &m->out;

	o->n_string_table = m->strs.n;
	o->string_table = m->str;
	o->n_mapping = m->maps.n;
	o->mapping = m->map;
	o->n_function = m->funcs.n;
	o->function = m->func;
	o->n_location = m->locs.n;
	o->location = m->loc;
	o->n_sample = m->samples.n;
	o->sample = m->sample;
	return pp_write_profile(out, o, err);
}

static void merge_release(struct merge *m)
{
	pp_kmap_release(&m->strs);
	pp_kmap_release(&m->maps);
	pp_kmap_release(&m->funcs);
	pp_kmap_release(&m->locs);
	pp_kmap_release(&m->samples);
	free(m->str);
	free(m->map);
	free(m->func);
	free(m->loc);
	free(m->sample);
	free(m->key);
	pp_arena_release(&m->arena);
}

/* Merge in[0..n); those from first_base on are diff bases. */
static int merge(struct pg_buf *out, const struct pg_profile *const *in, size_t n,
		 size_t first_base, struct pg_err *err)
{
	struct merge m;
	size_t i;
	int rc = 0;

	if (!n)
		return pg_err_set(err, PG_EUSAGE, "no profiles to merge");
	for (i = 1; i < n && !rc; i++)
		rc = pg_profile_compatible(in[0], in[i], i, err);
	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	pp_arena_init(&m.arena, 1 << 16);
	perftools__profiles__profile__init(&m.out);
	rc = header(&m, in, n);
	for (i = 0; i < n && !rc; i++) {
		m.as_base = i >= first_base;
		rc = add_profile(&m, in[i]);
	}
	if (rc)
		rc = pg_err_nomem(err);
	else
		rc = pack(&m, out, err);
	merge_release(&m);
	return rc;
}

int pg_profile_merge(struct pg_buf *out, const struct pg_profile *const *in, size_t n,
		     struct pg_err *err)
{
	return merge(out, in, n, n, err);
}

int pg_profile_diff_base(struct pg_buf *out, const struct pg_profile *base,
			 const struct pg_profile *cur, struct pg_err *err)
{
	const struct pg_profile *in[2] = { cur, base };

	return merge(out, in, 2, 1, err);
}

int pg_profile_merge_into(struct pg_buf *acc, const void *data, size_t len, struct pg_err *err)
{
	struct pg_buf merged = PG_BUF_INIT(acc->max);
	const struct pg_profile *in[2];
	struct pg_profile *a = NULL, *b = NULL;
	int rc;

	if (!acc->len)
		return pg_buf_append(acc, data, len, err);
	rc = pg_profile_parse(&a, acc->data, acc->len, err);
	if (!rc)
		rc = pg_profile_parse(&b, data, len, err);
	in[0] = a;
	in[1] = b;
	if (!rc)
		rc = pg_profile_merge(&merged, in, 2, err);
	if (!rc) {
		pg_buf_release(acc);
		*acc = merged;
		merged = (struct pg_buf)PG_BUF_INIT(0);
	}
	pg_buf_release(&merged);
	pg_profile_free(b);
	pg_profile_free(a);
	return rc;
}
