/* The pprof engine against `go tool pprof -top` output (every profile in
 * the shared testdata folder) and against synthetic profiles built with
 * protobuf-c, including malformed ones. */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "pprof.h"
#include "scratch.h"

/* ---- comparing tables ------------------------------------------------ */

struct row {
	char *flat, *cum, *name; /* name includes an inline label */
};

struct table {
	char **header; /* the lines before the column titles */
	size_t nheader;
	struct row *rows;
	size_t nrows;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* Split "      flat  flat%   sum%        cum   cum%  name" rows. */
static int parse_row(char *line, struct row *r)
{
	char *tok[5], *s = line;
	int i;

	for (i = 0; i < 5; i++) {
		while (*s == ' ')
			s++;
		tok[i] = s;
		while (*s && *s != ' ')
			s++;
		if (!*s)
			return -1;
		*s++ = '\0';
	}
	if (*s != ' ')
		return -1;
	r->flat = tok[0];
	r->cum = tok[3];
	r->name = s + 1;
	return 0;
}

static void parse_table(char *text, struct table *t)
{
	char *line, *save = NULL;
	int body = 0;

	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!body && strstr(line, "flat%") && strstr(line, "cum%")) {
			body = 1;
			continue;
		}
		if (!body) {
			t->header = realloc(t->header, (t->nheader + 1) * sizeof(*t->header));
			assert_non_null(t->header);
			t->header[t->nheader++] = line;
			continue;
		}
		t->rows = realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
		assert_non_null(t->rows);
		assert_int_equal(parse_row(line, &t->rows[t->nrows]), 0);
		t->nrows++;
	}
	assert_true(body);
}

static const char *header_line(const struct table *t, const char *prefix)
{
	size_t i;

	for (i = 0; i < t->nheader; i++)
		if (!strncmp(t->header[i], prefix, strlen(prefix)))
			return t->header[i];
	return NULL;
}

static const struct row *find_row(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	return NULL;
}

/* The header totals and, for each function pprof lists, its printed flat
 * and cum must be the same. Returns the number of differences. */
static int compare(const char *what, const struct table *want, const struct table *got)
{
	static const char *const totals[] = { "Showing nodes accounting for",
					      "Duration:", "Dropped", "Type:", "Showing top" };
	const char *a, *b;
	const struct row *r;
	int bad = 0;
	size_t i;

	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		a = header_line(want, totals[i]);
		b = header_line(got, totals[i]);
		if ((a || b) && (!a || !b || strcmp(a, b))) {
			print_error("%s: pprof '%s', perfgate '%s'\n", what, a ? a : "(none)",
				    b ? b : "(none)");
			bad++;
		}
	}
	for (i = 0; i < want->nrows; i++) {
		r = find_row(got, want->rows[i].name);
		if (!r || strcmp(r->flat, want->rows[i].flat) ||
		    strcmp(r->cum, want->rows[i].cum)) {
			print_error("%s: '%s' pprof %s %s, perfgate %s %s\n", what,
				    want->rows[i].name, want->rows[i].flat, want->rows[i].cum,
				    r ? r->flat : "-", r ? r->cum : "-");
			bad++;
		}
	}
	if (want->nrows != got->nrows) {
		print_error("%s: pprof lists %zu functions, perfgate %zu\n", what, want->nrows,
			    got->nrows);
		bad++;
	}
	return bad;
}

static void free_table(struct table *t)
{
	free(t->header);
	free(t->rows);
}

static char *render(const struct pg_profile *p, const char *si_spec, double nf)
{
	struct pg_top_opts o = { nf, 1000000, 0.001 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_top t;
	char *text = NULL;
	size_t len;
	FILE *f;
	int si;

	assert_int_equal(pg_profile_sample_index(p, si_spec, &si, &err), 0);
	assert_int_equal(pg_profile_top_opts(p, si, &o, &t, &err), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(pg_top_write_text(f, p, &t, &err), 0);
	fclose(f);
	pg_top_release(&t);
	return text;
}

static int check_expectation(const char *dir, const char *name, const struct pg_profile *p,
			     const char *suffix, const char *si, double nf)
{
	char path[4096], what[4096];
	struct table want, got;
	char *exp, *out;
	size_t len;
	int bad;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
	exp = slurp(path, &len);
	if (!exp) {
		print_message("  %s%s: no expectation, skipped\n", name, suffix);
		return 0;
	}
	out = render(p, si, nf);
	parse_table(exp, &want);
	parse_table(out, &got);
	snprintf(what, sizeof(what), "%s%s", name, suffix);
	bad = compare(what, &want, &got);
	print_message("  %s: %zu functions, %s\n", what, want.nrows, bad ? "DIFFERENT" : "same");
	free_table(&want);
	free_table(&got);
	free(exp);
	free(out);
	return bad;
}

/* pg_profile_top_load checks the samples in its one pass: its text is
 * pg_profile_load's, byte for byte. */
static int check_top_load(const char *path, const struct pg_profile *p, const char *si)
{
	struct pg_top_opts o = PG_TOP_OPTS_PPROF;
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *lazy = NULL;
	char *want, *got = NULL;
	struct pg_top t;
	size_t len;
	FILE *f;
	int bad;

	want = render(p, si, o.node_fraction);
	assert_int_equal(pg_profile_top_load(&lazy, path, si, &o, &t, &err), 0);
	f = open_memstream(&got, &len);
	assert_non_null(f);
	assert_int_equal(pg_top_write_text(f, lazy, &t, &err), 0);
	fclose(f);
	bad = strcmp(want, got) != 0;
	if (bad)
		print_error("%s: pg_profile_top_load differs from pg_profile_load\n", path);
	pg_top_release(&t);
	pg_profile_free(lazy);
	free(want);
	free(got);
	return bad;
}

static int is_profile(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.' || strstr(name, ".top") || (n > 3 && !strcmp(name + n - 3, ".md")))
		return 0;
	return 1;
}

static void test_pprof_testdata_matches_go_tool_pprof(void **state)
{
	const char *dir = getenv("PERFGATE_PPROF_TESTDATA");
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p;
	char path[4096];
	struct dirent *e;
	int bad = 0, n = 0;
	DIR *d;

	(void)state;
	if (!dir)
		dir = "../shared/testdata/pprof";
	d = opendir(dir);
	if (!d) {
		print_message("SKIP: no pprof testdata at '%s' (set PERFGATE_PPROF_TESTDATA)\n",
			      dir);
		skip();
	}
	setenv("TZ", "UTC", 1);
	tzset();
	while ((e = readdir(d))) {
		if (!is_profile(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (pg_profile_load(&p, path, &err)) {
			print_error("%s: %s\n", e->d_name, err.msg);
			bad++;
			continue;
		}
		n++;
		bad += check_expectation(dir, e->d_name, p, ".top.txt", NULL, 0.005);
		bad += check_expectation(dir, e->d_name, p, ".top.si0.txt", "0", 0.005);
		bad += check_expectation(dir, e->d_name, p, ".top.all.txt", NULL, 0);
		bad += check_top_load(path, p, NULL);
		bad += check_top_load(path, p, "0");
		pg_profile_free(p);
	}
	closedir(d);
	print_message("  %d profiles checked\n", n);
	assert_true(n > 0);
	assert_int_equal(bad, 0);
}

/* ---- synthetic profiles ---------------------------------------------- */

/* main -> foo (10 ns); main -> foo -> bar, bar inlined into foo (5 ns);
 * main -> foo -> foo, recursion (7 ns); main -> an address in /usr/bin/app
 * without symbols (3 ns). Every sample also counts 1 in "samples". */
struct synth {
	Perftools__Profiles__Profile p;
	Perftools__Profiles__ValueType vt[2], *vtp[2];
	Perftools__Profiles__Mapping m, *mp[1];
	Perftools__Profiles__Function f[3], *fp[3];
	Perftools__Profiles__Line ln[4], *lnp[4];
	Perftools__Profiles__Location l[4], *lp[4];
	Perftools__Profiles__Sample s[4], *sp[4];
	uint64_t locs[4][3];
	int64_t vals[4][2];
	ProtobufCBinaryData str[9];
};

static const char *const strs[] = { "",	    "samples", "count", "cpu",	       "nanoseconds",
				    "main", "foo",     "bar",	"/usr/bin/app" };

static void synth_init(struct synth *y)
{
	static const uint64_t locs[4][3] = { { 2, 1 }, { 3, 1 }, { 2, 2, 1 }, { 4, 1 } };
	static const size_t nlocs[4] = { 2, 2, 3, 2 }, vals[4] = { 10, 5, 7, 3 };
	size_t i;

	memset(y, 0, sizeof(*y));
	perftools__profiles__profile__init(&y->p);
	for (i = 0; i < 9; i++) {
		y->str[i].data = (uint8_t *)strs[i];
		y->str[i].len = strlen(strs[i]);
	}
	y->p.string_table = y->str;
	y->p.n_string_table = 9;
	for (i = 0; i < 2; i++) {
		perftools__profiles__value_type__init(&y->vt[i]);
		y->vt[i].type = 1 + 2 * (int64_t)i;
		y->vt[i].unit = 2 + 2 * (int64_t)i;
		y->vtp[i] = &y->vt[i];
	}
	y->p.sample_type = y->vtp;
	y->p.n_sample_type = 2;
	perftools__profiles__mapping__init(&y->m);
	y->m.id = 1;
	y->m.filename = 8;
	y->mp[0] = &y->m;
	y->p.mapping = y->mp;
	y->p.n_mapping = 1;
	for (i = 0; i < 3; i++) {
		perftools__profiles__function__init(&y->f[i]);
		y->f[i].id = i + 1;
		y->f[i].name = y->f[i].system_name = 5 + (int64_t)i;
		y->fp[i] = &y->f[i];
	}
	y->p.function = y->fp;
	y->p.n_function = 3;
	for (i = 0; i < 4; i++) {
		perftools__profiles__line__init(&y->ln[i]);
		y->lnp[i] = &y->ln[i];
		perftools__profiles__location__init(&y->l[i]);
		y->l[i].id = i + 1;
		y->l[i].mapping_id = 1;
		y->l[i].address = 0x1000 + i;
		y->lp[i] = &y->l[i];
	}
	y->ln[0].function_id = 1; /* L1: main */
	y->ln[1].function_id = 2; /* L2: foo */
	y->ln[2].function_id = 3; /* L3: bar inlined into foo */
	y->ln[3].function_id = 2;
	y->l[0].line = &y->lnp[0];
	y->l[0].n_line = 1;
	y->l[1].line = &y->lnp[1];
	y->l[1].n_line = 1;
	y->l[2].line = &y->lnp[2];
	y->l[2].n_line = 2;
	y->p.location = y->lp;
	y->p.n_location = 4;
	for (i = 0; i < 4; i++) {
		perftools__profiles__sample__init(&y->s[i]);
		memcpy(y->locs[i], locs[i], sizeof(locs[i]));
		y->s[i].location_id = y->locs[i];
		y->s[i].n_location_id = nlocs[i];
		y->vals[i][0] = 1;
		y->vals[i][1] = (int64_t)vals[i];
		y->s[i].value = y->vals[i];
		y->s[i].n_value = 2;
		y->sp[i] = &y->s[i];
	}
	y->p.sample = y->sp;
	y->p.n_sample = 4;
	y->p.time_nanos = 1500000000LL * 1000000000LL;
	y->p.duration_nanos = 1000000000;
}

static uint8_t *synth_pack(const struct synth *y, size_t *len)
{
	uint8_t *buf;

	*len = perftools__profiles__profile__get_packed_size(&y->p);
	buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(perftools__profiles__profile__pack(&y->p, buf), *len);
	return buf;
}

static uint8_t *gzip_bytes(const uint8_t *in, size_t len, size_t *out_len)
{
	z_stream zs;
	uint8_t *out = malloc(len + 1024);

	assert_non_null(out);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)len + 1024;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static int parse_synth(const struct synth *y, struct pg_profile **p, struct pg_err *err)
{
	size_t len;
	uint8_t *buf = synth_pack(y, &len);
	int rc = pg_profile_parse(p, buf, len, err);

	free(buf);
	return rc;
}

static const struct pg_top_func *func(const struct pg_top *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfuncs; i++)
		if (!strcmp(t->funcs[i].name, name))
			return &t->funcs[i];
	fail_msg("no function '%s'", name);
	return NULL;
}

static void test_pprof_aggregates_recursion_inlines_and_binaries(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	struct synth y;
	struct pg_top t;
	int si;

	(void)state;
	synth_init(&y);
	assert_int_equal(parse_synth(&y, &p, &err), 0);
	assert_int_equal(pg_profile_sample_index(p, NULL, &si, &err), 0);
	assert_int_equal(si, 1);
	assert_int_equal(pg_profile_top(p, si, &t, &err), 0);
	assert_string_equal(t.sample_type, "cpu");
	assert_string_equal(t.unit, "nanoseconds");
	assert_int_equal(t.total, 25);
	assert_int_equal(t.nfuncs, 4);
	/* Order: |flat| descending. */
	assert_string_equal(t.funcs[0].name, "foo");
	assert_string_equal(t.funcs[1].name, "bar");
	assert_string_equal(t.funcs[2].name, "[app]");
	assert_string_equal(t.funcs[3].name, "main");
	assert_int_equal(func(&t, "foo")->flat, 17);
	assert_int_equal(func(&t, "foo")->cum, 22); /* recursion counted once */
	assert_int_equal(func(&t, "bar")->cum, 5);
	assert_string_equal(func(&t, "bar")->inline_label, "(inline)");
	assert_string_equal(func(&t, "foo")->inline_label, "");
	assert_int_equal(func(&t, "[app]")->flat, 3);
	assert_int_equal(func(&t, "main")->flat, 0);
	assert_int_equal(func(&t, "main")->cum, 25);
	pg_top_release(&t);
	pg_profile_free(p);
}

/* The expected text is what `go tool pprof -top` printed for this profile. */
static void test_pprof_text_matches_pprof_layout(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	struct synth y;
	char *text;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	synth_init(&y);
	assert_int_equal(parse_synth(&y, &p, &err), 0);
	text = render(p, NULL, 0.005);
	assert_string_equal(text, "File: app\n"
				  "Type: cpu\n"
				  "Time: Jul 14, 2017 at 2:40am (UTC)\n"
				  "Duration: 1s, Total samples = 25ns (2.5e-06%)\n"
				  "Showing nodes accounting for 25ns, 100% of 25ns total\n"
				  "      flat  flat%   sum%        cum   cum%\n"
				  "      17ns 68.00% 68.00%       22ns 88.00%  foo\n"
				  "       5ns 20.00% 88.00%        5ns 20.00%  bar (inline)\n"
				  "       3ns 12.00%   100%        3ns 12.00%  [app]\n"
				  "         0     0%   100%       25ns   100%  main\n");
	free(text);
	pg_profile_free(p);
}

static void expect_malformed(const struct synth *y, const char *msg)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	struct pg_top_opts o = PG_TOP_OPTS_PPROF;
	char *dir, path[4096];
	struct pg_top t;
	uint8_t *buf;
	size_t len;
	FILE *f;

	assert_int_equal(parse_synth(y, &p, &err), PG_EINPUT);
	assert_null(p);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
	assert_null(strchr(err.msg, '\n'));

	/* the same through `profile top`'s one pass, which checks samples */
	dir = pg_scratch_new("pprof-malformed");
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/p.pb", dir);
	buf = synth_pack(y, &len);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	memset(&t, 0, sizeof(t));
	assert_int_equal(pg_profile_top_load(&p, path, NULL, &o, &t, &err), PG_EINPUT);
	pg_top_release(&t);
	pg_profile_free(p);
	if (!strstr(err.msg, msg) || !strstr(err.msg, path))
		fail_msg("message '%s' lacks '%s' or the path", err.msg, msg);
	assert_int_equal(pg_scratch_free(dir), 0);
}

static void test_pprof_rejects_missing_location(void **state)
{
	struct synth y;

	(void)state;
	synth_init(&y);
	y.locs[1][0] = 99;
	expect_malformed(&y, "missing location id 99");
}

static void test_pprof_rejects_missing_function(void **state)
{
	struct synth y;

	(void)state;
	synth_init(&y);
	y.ln[1].function_id = 77;
	expect_malformed(&y, "missing function id 77");
}

static void test_pprof_rejects_bad_references(void **state)
{
	struct synth y;

	(void)state;
	synth_init(&y);
	y.s[2].n_value = 1;
	expect_malformed(&y, "has 1 values for 2 sample types");
	synth_init(&y);
	y.f[0].name = 9;
	expect_malformed(&y, "missing string");
	synth_init(&y);
	y.vt[0].unit = -1;
	expect_malformed(&y, "refers to string -1");
	synth_init(&y);
	y.l[3].id = 1;
	expect_malformed(&y, "two locations with id 1");
	synth_init(&y);
	y.f[2].id = 0;
	expect_malformed(&y, "function with id 0");
}

static void test_pprof_rejects_random_bytes(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	uint8_t buf[4096];
	uint32_t x = 12345;
	size_t i;
	int round;

	(void)state;
	for (round = 0; round < 64; round++) {
		for (i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 16);
		}
		if (round % 2)
			buf[0] = 0x1f, buf[1] = 0x8b; /* pretend gzip */
		assert_int_equal(pg_profile_parse(&p, buf, sizeof(buf) >> (round % 8), &err),
				 PG_EINPUT);
		assert_null(p);
	}
}

static void test_pprof_rejects_truncated_input(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	uint8_t *raw, *gz;
	size_t len, gzlen;
	struct synth y;

	(void)state;
	synth_init(&y);
	raw = synth_pack(&y, &len);
	gz = gzip_bytes(raw, len, &gzlen);
	assert_int_equal(pg_profile_parse(&p, gz, gzlen, &err), 0); /* the whole is fine */
	pg_profile_free(p);
	p = NULL;
	assert_int_equal(pg_profile_parse(&p, gz, gzlen / 2, &err), PG_EINPUT);
	assert_string_equal(err.msg, "truncated gzip data");
	assert_int_equal(pg_profile_parse(&p, gz, gzlen - 4, &err), PG_EINPUT);
	assert_int_equal(pg_profile_parse(&p, raw, len / 2, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "not a pprof protobuf profile"));
	assert_int_equal(pg_profile_parse(&p, raw, 0, &err), PG_EINPUT);
	assert_null(p);
	free(raw);
	free(gz);
}

static void test_pprof_rejects_empty_file_and_directory(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	char path[] = "/tmp/perfgate-test-pprof-XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pg_profile_load(&p, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, path));
	unlink(path);
	assert_int_equal(pg_profile_load(&p, "/tmp", &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(pg_profile_load(&p, "/nonexistent/x.pb.gz", &err), PG_EINPUT);
	assert_null(p);
}

static void test_pprof_zero_samples_is_an_empty_table(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	struct synth y;
	struct pg_top t;
	char *text;

	(void)state;
	synth_init(&y);
	y.p.n_sample = 0;
	y.p.time_nanos = y.p.duration_nanos = 0;
	assert_int_equal(parse_synth(&y, &p, &err), 0);
	assert_int_equal(pg_profile_top(p, 1, &t, &err), 0);
	assert_int_equal(t.nfuncs, 0);
	assert_int_equal(t.total, 0);
	pg_top_release(&t);
	text = render(p, NULL, 0.005);
	assert_string_equal(text, "File: app\nType: cpu\n"
				  "Showing nodes accounting for 0, 0% of 0 total\n"
				  "      flat  flat%   sum%        cum   cum%\n");
	free(text);
	pg_profile_free(p);
}

static void test_pprof_sample_index_specs(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	struct synth y;
	int si = -1;

	(void)state;
	synth_init(&y);
	y.p.default_sample_type = 1; /* "samples" */
	assert_int_equal(parse_synth(&y, &p, &err), 0);
	assert_int_equal(pg_profile_sample_index(p, NULL, &si, &err), 0);
	assert_int_equal(si, 0);
	assert_int_equal(pg_profile_sample_index(p, "cpu", &si, &err), 0);
	assert_int_equal(si, 1);
	assert_int_equal(pg_profile_sample_index(p, "0", &si, &err), 0);
	assert_int_equal(si, 0);
	assert_int_equal(pg_profile_sample_index(p, "2", &si, &err), PG_EUSAGE);
	assert_int_equal(pg_profile_sample_index(p, "wall", &si, &err), PG_EUSAGE);
	assert_non_null(strstr(err.msg, "samples, cpu"));
	pg_profile_free(p);
}

static void test_pprof_scaled_labels(void **state)
{
	char b[64];

	(void)state;
	pg_pprof_scaled_label(b, sizeof(b), 1500000, "nanoseconds", "minimum");
	assert_string_equal(b, "1.50ms");
	pg_pprof_scaled_label(b, sizeof(b), 30000000000LL, "nanoseconds", "auto");
	assert_string_equal(b, "30s");
	pg_pprof_scaled_label(b, sizeof(b), 1572864, "bytes", "MB");
	assert_string_equal(b, "1.50MB");
	pg_pprof_scaled_label(b, sizeof(b), 190, "count", "count");
	assert_string_equal(b, "190");
	pg_pprof_scaled_label(b, sizeof(b), 4, "objects", "objects");
	assert_string_equal(b, "4objects");
	pg_pprof_scaled_label(b, sizeof(b), -1, "nanoseconds", "s");
	assert_string_equal(b, "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pprof_testdata_matches_go_tool_pprof),
		cmocka_unit_test(test_pprof_aggregates_recursion_inlines_and_binaries),
		cmocka_unit_test(test_pprof_text_matches_pprof_layout),
		cmocka_unit_test(test_pprof_rejects_missing_location),
		cmocka_unit_test(test_pprof_rejects_missing_function),
		cmocka_unit_test(test_pprof_rejects_bad_references),
		cmocka_unit_test(test_pprof_rejects_random_bytes),
		cmocka_unit_test(test_pprof_rejects_truncated_input),
		cmocka_unit_test(test_pprof_rejects_empty_file_and_directory),
		cmocka_unit_test(test_pprof_zero_samples_is_an_empty_table),
		cmocka_unit_test(test_pprof_sample_index_specs),
		cmocka_unit_test(test_pprof_scaled_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
