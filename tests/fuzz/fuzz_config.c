/* Fuzz pg_config_parse: any bytes give either a config whose invariants
 * hold (valid names, non-empty NULL-terminated argvs, ranges) or a
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
		check_argv(s->workload.cmd, s->workload.ncmd);
		check_argv(s->load.cmd, s->load.ncmd);
		if (s->workload.drop_pct < 0 || s->workload.drop_pct > 100 ||
		    (s->workload.drop_pct > 0 && !s->workload.isolate_network))
			__builtin_trap();
		if (!(s->load.duration_s > 0) || s->load.warmup_s < 0)
			__builtin_trap();
		for (j = 0; j < s->ngate; j++)
			if (pg_gate_rule_find(s->gate, s->ngate, s->gate[j].metric) != &s->gate[j])
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
