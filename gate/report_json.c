// SPDX-License-Identifier: MIT
/* result.json: the current result (result.h's shape) plus, after a
 * comparison, "comparison", "reference" and "verdict"; after an
 * infrastructure error, "error" and no verdict. */
#include <math.h>

#include "report.h"

/* JSON has no NaN or infinity: a number that is not finite is null. */
static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *comparison(const struct pg_verdict *v)
{
	json_t *rows = json_array(), *row;
	const struct pg_compare_row *r;
	size_t i;

	for (i = 0; rows && i < v->nrows; i++) {
		r = &v->rows[i];
		row = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "metric",
				r->metric, "unit", r->unit, "better", pg_better_name(r->better),
				"gated", r->gated, "baseline", num_or_null(r->baseline), "current",
				num_or_null(r->current), "change_pct", num_or_null(r->change_pct),
				"threshold_pct", num_or_null(r->threshold_pct), "min_abs",
				num_or_null(r->min_abs), "p_value", num_or_null(r->p_value),
				"verdict", pg_verdict_name(r->verdict));
		if (row && v->paired)
			json_object_update_missing_new(
				row, json_pack("{s:[o,o], s:o}", "interval_pct",
					       num_or_null(r->lo_pct), num_or_null(r->hi_pct),
					       "stored_baseline", num_or_null(r->stored)));
		if (row && r->note)
			json_object_set_new(row, "note", json_string(r->note));
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *movers(const struct pg_verdict *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < v->nmovers; i++)
		json_array_append_new(a, json_pack("{s:s, s:f, s:f}", "name", v->movers[i].name,
						   "baseline_pct", v->movers[i].baseline_pct,
						   "current_pct", v->movers[i].current_pct));
	return a;
}

static json_t *side_json(const struct pg_cpu_side *s)
{
	if (!s->present)
		return json_null();
	return json_pack("{s:f, s:b}", "samples", s->samples, "estimated", !s->from_stacks);
}

/* "findings": [{"metric", "kind", "text"}] and "profile_samples". */
static int add_evidence(json_t *root, const struct pg_report *r)
{
	const struct pg_evidence *ev = r->evidence;
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && ev && i < ev->findings.n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "metric",
						   ev->findings.items[i].metric, "kind",
						   pg_finding_kind_name(ev->findings.items[i].kind),
						   "text", ev->findings.items[i].text));
	if (json_object_set_new(root, "findings", a))
		return -1;
	if (!ev)
		return 0;
	return json_object_set_new(root, "profile_samples",
				   json_pack("{s:o, s:o}", "baseline", side_json(&ev->base),
					     "current", side_json(&ev->cur)));
}

/* How the reference was measured: "stored", or "paired" with its rounds. */
static json_t *mode(const struct pg_verdict *v)
{
	if (!v->paired)
		return json_pack("{s:s}", "mode", "stored");
	return json_pack("{s:s, s:I, s:I}", "mode", "paired", "rounds", (json_int_t)v->rounds,
			 "repeated_rounds", (json_int_t)v->repeated);
}

static int add_verdict(json_t *root, const struct pg_verdict *v)
{
	json_t *ref;

	ref = json_pack("{s:o, s:o}", "commit",
			v->ref_commit ? json_string(v->ref_commit) : json_null(), "distance",
			v->ref_distance >= 0 ? json_integer(v->ref_distance) : json_null());
	if (json_object_set_new(root, "comparison", comparison(v)) ||
	    json_object_set_new(root, "top_movers", movers(v)) ||
	    json_object_set_new(root, "reference", ref) ||
	    json_object_set_new(root, "measurement", mode(v)) ||
	    json_object_set_new(root, "verdict", json_string(pg_verdict_name(v->verdict))))
		return -1;
	return 0;
}

/* The report's lines (changed baselines, rejected profiles), then the
 * verdict's (drift, repeated rounds, noise). */
static json_t *notes(const struct pg_report *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->nnotes; i++)
		json_array_append_new(a, json_string(r->notes[i]));
	for (i = 0; a && r->verdict && i < r->verdict->nnotes; i++)
		json_array_append_new(a, json_string(r->verdict->notes[i]));
	return a;
}

static json_t *build(const struct pg_report *r)
{
	char note[512];
	json_t *root;

	root = r->current ? pg_result_to_json(r->current) : json_object();
	if (!root)
		return NULL;
	if ((r->nnotes || (r->verdict && r->verdict->nnotes)) &&
	    json_object_set_new(root, "notes", notes(r)))
		goto fail;
	if (r->error) {
		if (json_object_set_new(root, "error",
					json_pack("{s:i, s:s}", "exit_code",
						  pg_err_exit_status(r->error->code), "message",
						  r->error->msg)))
			goto fail;
		return root;
	}
	if (r->warning && json_object_set_new(root, "warning", json_string(r->warning)))
		goto fail;
	if (pg_report_vdso_note(r, note, sizeof(note)) &&
	    json_object_set_new(root, "getrandom_note", json_string(note)))
		goto fail;
	if (pg_report_host_note(r, note, sizeof(note)) &&
	    json_object_set_new(root, "host_mismatch", json_string(note)))
		goto fail;
	if (r->verdict && (add_verdict(root, r->verdict) || add_evidence(root, r)))
		goto fail;
	if (!r->verdict && r->warning &&
	    (json_object_set_new(root, "reference", json_null()) ||
	     json_object_set_new(root, "verdict", json_string("pass"))))
		goto fail;
	return root;
fail:
	json_decref(root);
	return NULL;
}

int pg_report_json(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	json_t *root = build(r);
	int rc = 0;

	if (!root)
		return pg_err_nomem(err);
	if (pg_json_print(root, f))
		rc = pg_err_set(err, PG_EINFRA, "cannot write result.json");
	json_decref(root);
	return rc;
}
