#include <stdio.h>
#include <string.h>

#include "child.h"
#include "pressure.h"

/* "some avg10=0.00 avg60=0.00 avg300=0.00 total=N" */
static uint64_t some_total(const struct pg_cgroup *cg)
{
	char path[PATH_MAX + 16], line[256];
	unsigned long long v = 0;
	const char *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cpu.pressure", cg->path);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "some ", 5) && (p = strstr(line, "total=")))
			sscanf(p, "total=%llu", &v);
	fclose(f);
	return v;
}

/* The "cpu" line: user nice system idle iowait irq softirq steal ... */
static void steal_ticks(struct pg_pressure *out)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");
	int i;

	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (i = 0; i < 8; i++)
			out->cpu_ticks += v[i];
		out->steal = v[7];
	}
	fclose(f);
}

void pg_pressure_read(const struct pg_cgroup *cg, struct pg_pressure *out)
{
	memset(out, 0, sizeof(*out));
	out->t = pg_now();
	out->some_usec = cg && cg->path[0] ? some_total(cg) : 0;
	steal_ticks(out);
}

double pg_pressure_cpu_pct(const struct pg_pressure *a, const struct pg_pressure *b)
{
	double window = b->t - a->t;

	if (window <= 0 || b->some_usec < a->some_usec)
		return 0;
	return (double)(b->some_usec - a->some_usec) / 1e6 / window * 100;
}

double pg_pressure_steal_pct(const struct pg_pressure *a, const struct pg_pressure *b)
{
	if (b->cpu_ticks <= a->cpu_ticks || b->steal < a->steal)
		return 0;
	return (double)(b->steal - a->steal) / (double)(b->cpu_ticks - a->cpu_ticks) * 100;
}
