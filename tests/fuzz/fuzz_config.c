/* Fuzz pg_config_parse: any bytes give either a config whose invariants
 * hold (valid names, non-empty NULL-terminated argvs or one attach target,
 * ranges) or a
 * PG_EINPUT whose message starts with the file name; never a crash, leak
 * or hang. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_argv(char **argv, size_t n)
{
	if (!n || !argv || !argv[0][0] || argv[n])
		__builtin_trap();
}

static void check_name(const char *s)
{
	if (!s || !s[0] || strchr(s, '/'))
		__builtin_trap();
}

/* Exactly one of cmd and attach; an attach target has what its kind needs,
 * and names that cannot leave the directory they are looked up in. */
static void check_workload(const struct pg_workload_cfg *w)
{
	const struct pg_attach_cfg *a = &w->attach;

	if (a->kind == PG_ATTACH_NONE) {
		check_argv(w->cmd, w->ncmd);
		return;
	}
	if (w->cmd || w->nenv || w->isolate_network)
		__builtin_trap();
	switch (a->kind) {
	case PG_ATTACH_PID:
		if (a->pid < 1)
			__builtin_trap();
		break;
	case PG_ATTACH_PID_FILE:
	case PG_ATTACH_CGROUP:
		if (!a->path || !a->path[0] ||
		    (a->kind == PG_ATTACH_CGROUP && strstr(a->path, "..")))
			__builtin_trap();
		break;
	case PG_ATTACH_CONTAINER:
		check_name(a->engine);
		check_name(a->id);
		break;
	case PG_ATTACH_POD:
		check_name(a->pod_ns);
		check_name(a->pod_name);
		if (a->container)
			check_name(a->container);
		break;
	case PG_ATTACH_POD_UID:
		check_name(a->id);
		break;
	default:
		__builtin_trap();
	}
}

static void check(const struct pg_config *c)
{
	const struct pg_scenario *s;
	struct pg_err err = PG_ERR_INIT;
	size_t i, j;

	if (!c->nscenarios || c->runs < 1 || !(c->threshold_pct > 0))
		__builtin_trap();
	for (i = 0; i < c->nscenarios; i++) {
		s = &c->scenarios[i];
		if (!s->name[0] || strchr(s->name, '/') || !s->workload.ready_url)
			__builtin_trap();
		check_workload(&s->workload);
		check_argv(s->load.cmd, s->load.ncmd);
		if (s->workload.drop_pct < 0 || s->workload.drop_pct > 100 ||
		    (s->workload.drop_pct > 0 && !s->workload.isolate_network))
			__builtin_trap();
		if (!(s->load.duration_s > 0) || s->load.warmup_s < 0)
			__builtin_trap();
		for (j = 0; j < s->ngate; j++)
			if (pg_scenario_rule(s, s->gate[j].metric) != &s->gate[j])
				__builtin_trap();
		if (pg_config_scenario(c, s->name, &s, &err) || s != &c->scenarios[i])
			__builtin_trap();
	}
	if ((pg_config_scenario(c, NULL, &s, &err) == 0) != (c->nscenarios == 1))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	int rc;

	pg_config_init(&c);
	rc = pg_config_parse(&c, (const char *)data, size, "/fuzz", &err);
	if (rc == 0)
		check(&c);
	else if (rc != PG_ENOMEM && (rc != PG_EINPUT || strncmp(err.msg, "config: ", 8)))
		__builtin_trap();
	pg_config_release(&c);
	return 0;
}
