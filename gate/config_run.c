/* The scenario's run settings: "build" (what builds the workload in the
 * tree being measured) and "mode"/"paired" (how check finds what it
 * compares with). Kept apart from config.c, which reads what is measured. */
#include <string.h>

#include "config_int.h"

#define MAX_ROUNDS 1000
#define MAX_BUDGET_S 86400.0

/* The optional object obj[key] with only the keys given: *out NULL when
 * absent, path its JSON path. */
static int sub_object(struct pg_jctx *x, json_t *obj, const char *at, const char *key,
		      const char *const *keys, json_t **out, char path[PG_JPATH_MAX])
{
	int rc = pg_jctx_member(x, obj, at, key, JSON_OBJECT, "an object", out);

	if (rc || !*out)
		return rc;
	pg_jpath_join(path, PG_JPATH_MAX, at, key);
	return pg_jctx_check_keys(x, *out, path, keys);
}

int pg_config_parse_build(struct pg_jctx *x, json_t *obj, const char *at, struct pg_build_cfg *b)
{
	static const char *const keys[] = { "cmd", "env", "timeout_s", NULL };
	char path[PG_JPATH_MAX];
	json_t *v;
	int rc;

	rc = sub_object(x, obj, at, "build", keys, &v, path);
	if (rc || !v)
		return rc;
	rc = pg_config_get_cmd(x, v, path, &b->cmd, &b->ncmd);
	if (!rc)
		rc = pg_config_get_env(x, v, path, &b->env, &b->nenv);
	if (!rc)
		rc = pg_jctx_num(x, v, path, "timeout_s", 0, 1, MAX_BUDGET_S, &b->timeout_s);
	return rc;
}

static int parse_rounds(struct pg_jctx *x, json_t *obj, const char *at, const char *key, int *out)
{
	double d = *out;
	json_t *v;
	int rc;

	rc = pg_jctx_member(x, obj, at, key, JSON_INTEGER, "an integer", &v);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, key, 1, 0, MAX_ROUNDS, &d);
	*out = (int)d;
	return rc;
}

static int parse_paired(struct pg_jctx *x, json_t *obj, const char *at, struct pg_paired_cfg *p)
{
	static const char *const keys[] = { "min_rounds", "max_rounds", "budget_s", "duet", NULL };
	char path[PG_JPATH_MAX];
	json_t *v;
	int rc;

	rc = sub_object(x, obj, at, "paired", keys, &v, path);
	if (rc || !v)
		return rc;
	rc = parse_rounds(x, v, path, "min_rounds", &p->min_rounds);
	if (!rc)
		rc = parse_rounds(x, v, path, "max_rounds", &p->max_rounds);
	if (!rc)
		rc = pg_jctx_num(x, v, path, "budget_s", 0, 1, MAX_BUDGET_S, &p->budget_s);
	if (!rc)
		rc = pg_jctx_bool(x, v, path, "duet", &p->duet);
	if (!rc && p->max_rounds < p->min_rounds)
		rc = pg_jctx_fail(x, PG_EINPUT, "%s.max_rounds (%d) is below min_rounds (%d)", path,
				  p->max_rounds, p->min_rounds);
	/* one round cannot say how much the pairs vary */
	if (!rc && p->min_rounds < 2)
		rc = pg_jctx_fail(x, PG_EINPUT, "%s.min_rounds must be at least 2", path);
	return rc;
}

int pg_config_parse_mode(struct pg_jctx *x, json_t *obj, const char *at, enum pg_mode *mode,
			 struct pg_paired_cfg *p)
{
	char path[PG_JPATH_MAX];
	json_t *v;
	int rc, m;

	rc = pg_jctx_member(x, obj, at, "mode", JSON_STRING, "a string", &v);
	if (rc)
		return rc;
	if (v) {
		m = pg_mode_parse(json_string_value(v));
		if (m < 0)
			return pg_jctx_fail(x, PG_EINPUT,
					    "%s must be \"auto\", \"paired\" or \"stored\", not "
					    "\"%.40s\"",
					    pg_jpath_join(path, sizeof(path), at, "mode"),
					    json_string_value(v));
		*mode = (enum pg_mode)m;
	}
	return parse_paired(x, obj, at, p);
}

const char *pg_mode_name(enum pg_mode m)
{
	switch (m) {
	case PG_MODE_STORED:
		return "stored";
	case PG_MODE_PAIRED:
		return "paired";
	default:
		return "auto";
	}
}

int pg_mode_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return PG_MODE_AUTO;
	if (!strcmp(s, "stored"))
		return PG_MODE_STORED;
	if (!strcmp(s, "paired"))
		return PG_MODE_PAIRED;
	return -1;
}

/* An attached workload is one running service: there is no second tree
 * to start beside it, so it is judged against its stored baseline. */
enum pg_mode pg_scenario_mode(const struct pg_scenario *s)
{
	if (s->mode != PG_MODE_AUTO)
		return s->mode;
	return s->build.cmd && !s->workload.attach.kind ? PG_MODE_PAIRED : PG_MODE_STORED;
}
