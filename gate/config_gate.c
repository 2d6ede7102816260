// SPDX-License-Identifier: MIT
/* A scenario's "gate": per-metric rules, parsed strictly like the rest of
 * the config (config_int.h), and the one lookup of a metric's rule that the
 * config and the comparison share. */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

static int parse_rule(struct pg_jctx *x, json_t *obj, const char *at, struct pg_gate_rule *r)
{
	static const char *const keys[] = { "threshold_pct", "min_abs", "gated", NULL };
	int rc;

	if (!json_is_object(obj))
		return pg_jctx_wrong_type(x, at, "an object", obj);
	r->gated = 1;
	r->has_threshold = json_object_get(obj, "threshold_pct") != NULL;
	r->has_min_abs = json_object_get(obj, "min_abs") != NULL;
	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "threshold_pct", 0, 1, PG_THRESHOLD_MAX,
				 &r->threshold_pct);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "min_abs", 0, 0, 1e300, &r->min_abs);
	if (!rc)
		rc = pg_jctx_bool(x, obj, at, "gated", &r->gated);
	return rc;
}

/* The names perfgate itself measures (the contract's stable names and its
 * additions); load.<key> is the load script's to name. */
static int known_metric(const char *name)
{
	static const char *const own[] = {
		"getrandom.calls",	"getrandom.calls_per_req",
		"getrandom.lat_p50_ns", "getrandom.lat_p99_ns",
		"getrandom.lat_max_ns", "getrandom.vdso_calls",
		"tcp.retransmits",	"tcp.retransmits_per_1k_req",
		"cpu.seconds_per_req",	"host.cpu_pressure_pct",
		"host.steal_pct",	NULL,
	};
	size_t i;

	if (!strncmp(name, "load.", 5))
		return name[5] != '\0';
	for (i = 0; own[i]; i++)
		if (!strcmp(own[i], name))
			return 1;
	return 0;
}

int pg_config_parse_gate(struct pg_jctx *x, json_t *obj, const char *at, struct pg_scenario *s)
{
	char path[PG_JPATH_MAX], mpath[PG_JPATH_MAX + 64];
	const char *key;
	json_t *gate, *v;
	int rc;

	rc = pg_jctx_member(x, obj, at, "gate", JSON_OBJECT, "an object", &gate);
	if (rc || !gate)
		return rc;
	pg_jpath_join(path, sizeof(path), at, "gate");
	s->gate = calloc(json_object_size(gate) + 1, sizeof(*s->gate));
	if (!s->gate)
		return pg_err_nomem(x->err);
	json_object_foreach (gate, key, v) {
		if (!key[0])
			return pg_jctx_fail(x, PG_EINPUT, "empty metric name at %s", path);
		if (!known_metric(key))
			return pg_jctx_fail(x, PG_EINPUT,
					    "unknown metric '%s' at %s; a load script's metrics "
					    "are named load.<key>",
					    key, path);
		rc = pg_jctx_strdup(x, key, &s->gate[s->ngate].metric);
		if (rc)
			return rc;
		rc = parse_rule(x, v, pg_jpath_join(mpath, sizeof(mpath), path, key),
				&s->gate[s->ngate++]);
		if (rc)
			return rc;
	}
	return 0;
}

const struct pg_gate_rule *pg_gate_rule_find(const struct pg_gate_rule *rules, size_t n,
					     const char *metric)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rules[i].metric && !strcmp(rules[i].metric, metric))
			return &rules[i];
	return NULL;
}
