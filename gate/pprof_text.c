// SPDX-License-Identifier: MIT
/* The `go tool pprof -top` text, byte for byte. Facts from pprof's
 * measurement and report packages (Go 1.19's vendored copy):
 * - units are sniffed case-insensitively, with one trailing 's' dropped from
 *   names longer than 2 bytes; memory scales by 1024 (B kB MB GB TB PB), time
 *   by ns us ms s hrs, and unknown units print as they are ("count" etc.
 *   print bare numbers);
 * - one output unit serves the whole table: that of the smallest non-zero
 *   value shown, or of 100x it when the total is in a larger unit and more
 *   than 100x bigger;
 * - values print with "%.2f" minus a trailing ".00"; percentages with
 *   "%5.2f%%", below 1% "%5.2g%%", and "  100%" within 0.05 of 100;
 * - widths count runes, not bytes (Go's fmt). */
#include <math.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "pprof_int.h"
#include "utf8.h"

struct unit {
	const char *canon;
	const char *alias[3];
	double factor;
};

struct unit_type {
	const struct unit *units;
	size_t n;
	struct unit dflt;
};

static const struct unit mem_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
	{ "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
	{ "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
	{ "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
	{ "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 },
};

static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },	{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 }, { "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3.6e12 },
};

static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 },  { "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 }, { "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },   { "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },   { "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

/* Room for a value and a sample unit (units print as they are). */
#define LABEL_MAX 4096

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct unit_type unit_types[] = {
	{ mem_units, N(mem_units), { "B", { "b", "byte" }, 1 } },
	{ time_units, N(time_units), { "s", { NULL }, 1e9 } },
	{ gcu_units, N(gcu_units), { "GCU", { NULL }, 1 } },
};

static const struct unit *sniff(const struct unit_type *t, const char *unit)
{
	char low[64];
	size_t n = strlen(unit), i, j, k;

	if (n >= sizeof(low))
		return NULL;
	for (i = 0; i < n; i++)
		low[i] = (char)(unit[i] >= 'A' && unit[i] <= 'Z' ? unit[i] + 32 : unit[i]);
	if (n > 2 && low[n - 1] == 's')
		n--;
	low[n] = '\0';
	for (j = 0; j < t->n; j++)
		for (k = 0; k < 3 && t->units[j].alias[k]; k++)
			if (!strcmp(low, t->units[j].alias[k]))
				return &t->units[j];
	return NULL;
}

static int convert(const struct unit_type *t, int64_t value, const char *from, const char *to,
		   double *v, const char **unit)
{
	const struct unit *fu = sniff(t, from), *tu = NULL;
	double f = 0;
	size_t i;

	if (!fu)
		return 0;
	*v = (double)value * fu->factor;
	if (!strcmp(to, "minimum") || !strcmp(to, "auto")) {
		for (i = 0; i < t->n; i++)
			if (t->units[i].factor >= f && *v / t->units[i].factor >= 1.0)
				tu = &t->units[i], f = tu->factor;
	} else {
		tu = sniff(t, to);
	}
	if (!tu)
		tu = &t->dflt;
	*v /= tu->factor;
	*unit = tu->canon;
	return 1;
}

static double scale(int64_t value, const char *from, const char *to, const char **unit)
{
	static const char *const bare[] = { "count", "sample", "unit", "minimum", "auto" };
	double v;
	size_t i;

	if (value < 0 && value != INT64_MIN)
		return -scale(-value, from, to, unit);
	for (i = 0; i < N(unit_types); i++)
		if (convert(&unit_types[i], value, from, to, &v, unit))
			return v;
	*unit = to;
	for (i = 0; i < N(bare); i++)
		if (!strcmp(to, bare[i]))
			*unit = "";
	return (double)value;
}

void pg_pprof_scaled_label(char *buf, size_t len, int64_t value, const char *unit,
			   const char *out_unit)
{
	const char *u;
	double v = scale(value, unit, out_unit, &u);
	char num[512];
	size_t n;

	snprintf(num, sizeof(num), "%.2f", v);
	n = strlen(num);
	if (n >= 3 && !strcmp(num + n - 3, ".00"))
		num[n - 3] = '\0';
	if (!strcmp(num, "0") || !strcmp(num, "-0"))
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%s%s", num, u);
}

static void percentage(char *buf, size_t len, int64_t value, int64_t total)
{
	double r = total ? fabs((double)value / (double)total) * 100 : 0;

	if (r >= 99.95 && r <= 100.05)
		snprintf(buf, len, "  100%%");
	else if (r >= 1.0)
		snprintf(buf, len, "%5.2f%%", r);
	else
		snprintf(buf, len, "%5.2g%%", r);
}

/* Runes in s as Go counts them: each invalid byte is one rune. */
static size_t runes(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, count = 0, len;
	uint32_t cp;

	while (i < n) {
		len = pg_utf8_decode(u + i, n - i, &cp);
		i += len ? len : 1;
		count++;
	}
	return count;
}

static void pad(FILE *f, const char *s, size_t width)
{
	size_t r = runes(s, strlen(s));

	for (; r < width; r++)
		fputc(' ', f);
	fputs(s, f);
}

/* pprof's selectOutputUnit over the shown functions. */
static const char *output_unit(const struct pg_top *t)
{
	int64_t min = 0, max = t->total, m;
	const char *umin, *umax, *u;
	size_t i;

	if (!t->nfuncs)
		return "minimum";
	for (i = 0; i < t->nfuncs; i++) {
		m = pp_abs(t->funcs[i].flat);
		if (!m)
			m = pp_abs(t->funcs[i].cum);
		if (m > 0 && (!min || m < min))
			min = m;
	}
	if (!min)
		min = max;
	scale(min, t->unit, "minimum", &umin);
	scale(max, t->unit, "minimum", &umax);
	u = umin;
	if (strcmp(umin, umax) && (int64_t)((uint64_t)min * 100) < max)
		scale((int64_t)((uint64_t)min * 100), t->unit, "minimum", &u);
	return *u ? u : t->unit;
}

/* Go's "Jan 2, 2006 at 3:04pm (MST)" in the local time zone. */
static void print_time(FILE *f, int64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000);
	char mon[16], zone[64];
	struct tm tm;

	if (ns % 1000000000 < 0)
		sec--;
	if (!localtime_r(&sec, &tm))
		return;
	strftime(mon, sizeof(mon), "%b", &tm);
	strftime(zone, sizeof(zone), "%Z", &tm);
	fprintf(f, "Time: %s %d, %lld at %d:%02d%s (%s)\n", mon, tm.tm_mday,
		(long long)tm.tm_year + 1900, tm.tm_hour % 12 ? tm.tm_hour % 12 : 12, tm.tm_min,
		tm.tm_hour < 12 ? "am" : "pm", zone);
}

static void print_str(FILE *f, const char *prefix, struct pp_str s)
{
	fputs(prefix, f);
	fwrite(s.p, 1, s.n, f);
	fputc('\n', f);
}

static void print_comments(FILE *f, const struct pg_profile *p)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	struct pp_str c, d;
	size_t i, j;

	for (i = 0; i < r->n_comment; i++) {
		c = pp_string(p, r->comment[i]);
		for (j = 0; j < i; j++) {
			d = pp_string(p, r->comment[j]);
			if (d.n == c.n && !memcmp(d.p, c.p, c.n))
				break;
		}
		if (j == i && !(c.n && c.p[0] == '#'))
			print_str(f, "", c);
	}
}

static void print_duration(FILE *f, const struct pg_profile *p, const struct pg_top *t,
			   const char *ounit)
{
	int64_t dur = p->raw->duration_nanos;
	char d[64], total[LABEL_MAX], pct[32] = "";
	const char *u;
	double ns = scale(t->total, t->unit, "nanoseconds", &u);

	pg_pprof_scaled_label(d, sizeof(d), dur, "nanoseconds", "auto");
	pg_pprof_scaled_label(total, sizeof(total), t->total, t->unit, ounit);
	if (!strcmp(u, "ns") && ns != 0) {
		percentage(pct + 1, sizeof(pct) - 2,
			   ns >= -9.2e18 && ns < 9.2e18 ? (int64_t)ns : INT64_MIN, dur);
		pct[0] = '(';
		strcat(pct, ")");
	}
	fprintf(f, "Duration: %s, Total samples = %s %s\n", d, total, pct);
}

/* pprof's ProfileLabels. */
static void print_profile_labels(FILE *f, const struct pg_profile *p, const struct pg_top *t,
				 const char *ounit)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	struct pp_str file, b;

	if (r->n_mapping) {
		file = pp_string(p, r->mapping[0]->filename);
		b = pp_string(p, r->mapping[0]->build_id);
		if (file.n)
			print_str(f, "File: ", pp_base(file));
		if (b.n)
			print_str(f, "Build ID: ", b);
	}
	print_comments(f, p);
	if (t->sample_type[0])
		fprintf(f, "Type: %s\n", t->sample_type);
	if (r->time_nanos)
		print_time(f, r->time_nanos);
	if (r->duration_nanos)
		print_duration(f, p, t, ounit);
}

static void print_report_labels(FILE *f, const struct pg_top *t, const char *ounit)
{
	char a[LABEL_MAX], b[LABEL_MAX], pct[32];
	char *s = pct;

	pg_pprof_scaled_label(a, sizeof(a), t->flat_sum, t->unit, ounit);
	pg_pprof_scaled_label(b, sizeof(b), t->total, t->unit, ounit);
	percentage(pct, sizeof(pct), t->flat_sum, t->total);
	while (*s == ' ')
		s++;
	fprintf(f, "Showing nodes accounting for %s, %s of %s total\n", a, s, b);
	if (!t->total)
		return;
	if (t->dropped) {
		pg_pprof_scaled_label(a, sizeof(a),
				      pp_abs((int64_t)((double)t->total * t->node_fraction)),
				      t->unit, ounit);
		fprintf(f, "Dropped %zu node%s (cum <= %s)\n", t->dropped,
			t->dropped > 1 ? "s" : "", a);
	}
	if (t->nfuncs && t->nfuncs < t->orig_count)
		fprintf(f, "Showing top %zu nodes out of %zu\n", t->nfuncs, t->orig_count);
}
int pg_top_write_text(FILE *f, const struct pg_profile *p, const struct pg_top *t,
		      struct pg_err *err)
{
	const char *ounit = output_unit(t);
	char a[LABEL_MAX], pct[32];
	int64_t sum = 0;
	size_t i;

	print_profile_labels(f, p, t, ounit);
	print_report_labels(f, t, ounit);
	fprintf(f, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	for (i = 0; i < t->nfuncs; i++) {
		const struct pg_top_func *fn = &t->funcs[i];

		sum = pp_add(sum, fn->flat);
		pg_pprof_scaled_label(a, sizeof(a), fn->flat, t->unit, ounit);
		pad(f, a, 10);
		percentage(pct, sizeof(pct), fn->flat, t->total);
		fprintf(f, " %s ", pct);
		percentage(pct, sizeof(pct), sum, t->total);
		fprintf(f, "%s ", pct);
		pg_pprof_scaled_label(a, sizeof(a), fn->cum, t->unit, ounit);
		pad(f, a, 10);
		percentage(pct, sizeof(pct), fn->cum, t->total);
		fprintf(f, " %s  ", pct);
		/* names come from the service: escaped (esc.h), never sent to
		 * the terminal raw; a tab, as in kernel symbols, stays as
		 * pprof prints it */
		pg_esc_fwrite(f, fn->name, fn->name_len);
		fprintf(f, "%s%s\n", *fn->inline_label ? " " : "", fn->inline_label);
	}
	if (ferror(f))
		return pg_err_set(err, PG_EINFRA, "cannot write the profile table");
	return 0;
}
