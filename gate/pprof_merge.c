// SPDX-License-Identifier: MIT
/* Merging profiles the way pprof's profile.Merge does (what `go tool pprof`
 * does with several files): the sample types and period type must agree;
 * strings, mappings, functions and locations are deduplicated by content
 * and renumbered; samples with the same stack and labels are summed, the
 * others concatenated. Time is the earliest start, duration the sum,
 * period the largest; the rest of the header comes from the first. */
#include <stdlib.h>
#include <string.h>

#include "pprof_merge_int.h"

/* Labels go after the stack in the key; strings are added first because
 * add_string uses the scratch key too. A diff base's samples get pprof's
 * label "pprof::base" = "true" as well; *nl counts the labels. */
static int label_words(struct pp_merge *m, const struct pg_profile *p,
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
		if (pp_merge_add_string(m, p, l->key, &k) ||
		    pp_merge_add_string(m, p, l->str, &s) ||
		    pp_merge_add_string(m, p, l->num_unit, &u))
			goto nomem;
		w[4 * i] = (uint64_t)k;
		w[4 * i + 1] = (uint64_t)s;
		w[4 * i + 2] = (uint64_t)l->num;
		w[4 * i + 3] = (uint64_t)u;
	}
	*nl = in->n_label;
	if (m->as_base) {
		if (pp_merge_add_bytes(m, key, &k) || pp_merge_add_bytes(m, yes, &s))
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
static int sample_key(struct pp_merge *m, const struct pg_profile *p,
		      const Perftools__Profiles__Sample *in, const uint64_t *lw, size_t nl)
{
	size_t i;

	m->nkey = 0;
	if (pp_merge_key_push(m, in->n_location_id))
		return PG_ENOMEM;
	for (i = 0; i < in->n_location_id; i++)
		if (pp_merge_key_push(m, m->newloc[pp_idmap_get(&p->loc_ids, in->location_id[i])]))
			return PG_ENOMEM;
	for (i = 0; i < 4 * nl; i++)
		if (pp_merge_key_push(m, lw[i]))
			return PG_ENOMEM;
	return 0;
}

static Perftools__Profiles__Sample *
new_sample(struct pp_merge *m, const Perftools__Profiles__Sample *in, const uint64_t *lw, size_t nl)
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

static int add_sample(struct pp_merge *m, const struct pg_profile *p,
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

/* Add every sample of p; its mappings, functions and locations first. The
 * profile was checked by pg_profile_parse, so every reference resolves. */
static int add_profile(struct pp_merge *m, const struct pg_profile *p)
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
		rc = pp_merge_add_entities(m, p, &tmp);
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

static int value_type(struct pp_merge *m, const struct pg_profile *p,
		      const Perftools__Profiles__ValueType *in,
		      Perftools__Profiles__ValueType **out)
{
	Perftools__Profiles__ValueType *o = pp_arena_alloc(&m->arena, sizeof(*o));

	if (!o)
		return PG_ENOMEM;
	perftools__profiles__value_type__init(o);
	*out = o;
	return pp_merge_add_string(m, p, in->type, &o->type) ||
			       pp_merge_add_string(m, p, in->unit, &o->unit)
		       ? PG_ENOMEM
		       : 0;
}

/* The header: types, names and comments of the first profile; time,
 * duration and period from all of them. */
static int header(struct pp_merge *m, const struct pg_profile *const *in, size_t n)
{
	const Perftools__Profiles__ProfileLazy *r = in[0]->raw;
	Perftools__Profiles__Profile *o = &m->out;
	int64_t empty;
	size_t i;
	int rc;

	rc = pp_merge_add_string(m, in[0], 0, &empty); /* string 0 is "" */
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
		rc = pp_merge_add_string(m, in[0], r->comment[i], &o->comment[i]);
	if (!rc && (pp_merge_add_string(m, in[0], r->drop_frames, &o->drop_frames) ||
		    pp_merge_add_string(m, in[0], r->keep_frames, &o->keep_frames) ||
		    pp_merge_add_string(m, in[0], r->default_sample_type, &o->default_sample_type)))
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

static int pack(struct pp_merge *m, struct pg_buf *out, struct pg_err *err)
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

static void merge_release(struct pp_merge *m)
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
	struct pp_merge m;
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
