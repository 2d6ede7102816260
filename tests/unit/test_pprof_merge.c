/* pg_profile_merge against the -top tables of its inputs: a profile merged
 * with itself doubles every function's flat and cum (every profile in the
 * shared testdata folder, every sample type), two CPU profiles merge into
 * the sums of their tables, and profiles of different kinds are refused. */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "pprof.h"

static const char *testdata(void)
{
	const char *dir = getenv("PERFGATE_PPROF_TESTDATA");

	return dir ? dir : "../shared/testdata/pprof";
}

static struct pg_profile *load(const char *name)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	char path[4096];

	if (access(testdata(), F_OK)) {
		print_message("SKIP: no pprof testdata at '%s' (set PERFGATE_PPROF_TESTDATA)\n",
			      testdata());
		skip();
	}
	snprintf(path, sizeof(path), "%s/%s", testdata(), name);
	if (pg_profile_load(&p, path, &err))
		fail_msg("%s: %s", name, err.msg);
	return p;
}

/* Merge in[0..n) and parse the result back. */
static struct pg_profile *merged(const struct pg_profile *const *in, size_t n)
{
	struct pg_buf b = PG_BUF_INIT(1u << 30);
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	if (pg_profile_merge(&b, in, n, &err))
		fail_msg("merge: %s", err.msg);
	assert_true(b.len > 18);
	assert_int_equal((unsigned char)b.data[0], 0x1f); /* gzip, as Go writes */
	if (pg_profile_parse(&p, b.data, b.len, &err))
		fail_msg("merged profile does not parse: %s", err.msg);
	pg_buf_release(&b);
	return p;
}

static void top(const struct pg_profile *p, int si, struct pg_top *t)
{
	struct pg_err err = PG_ERR_INIT;

	memset(t, 0, sizeof(*t));
	if (pg_profile_top(p, si, t, &err))
		fail_msg("top: %s", err.msg);
}

static const struct pg_top_func *find(const struct pg_top *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfuncs; i++)
		if (!strcmp(t->funcs[i].name, name))
			return &t->funcs[i];
	return NULL;
}

/* Every function of a at sample index si has twice its values in b. */
static int doubled(const char *name, const struct pg_profile *a, const struct pg_profile *b, int si)
{
	struct pg_top ta, tb;
	const struct pg_top_func *f;
	size_t i;
	int bad = 0;

	top(a, si, &ta);
	top(b, si, &tb);
	if (tb.total != 2 * ta.total || tb.nfuncs != ta.nfuncs) {
		print_error("%s[%d]: total %lld -> %lld, %zu -> %zu functions\n", name, si,
			    (long long)ta.total, (long long)tb.total, ta.nfuncs, tb.nfuncs);
		bad++;
	}
	for (i = 0; i < ta.nfuncs && !bad; i++) {
		f = find(&tb, ta.funcs[i].name);
		if (!f || f->flat != 2 * ta.funcs[i].flat || f->cum != 2 * ta.funcs[i].cum) {
			print_error("%s[%d]: %s not doubled\n", name, si, ta.funcs[i].name);
			bad++;
		}
	}
	pg_top_release(&ta);
	pg_top_release(&tb);
	return bad;
}

/* How many sample types p has: the indices pprof's -sample_index takes. */
static int sample_types(const struct pg_profile *p)
{
	char spec[16];
	int n, si;

	for (n = 0;; n++) {
		snprintf(spec, sizeof(spec), "%d", n);
		if (pg_profile_sample_index(p, spec, &si, NULL))
			return n;
	}
}

static int is_profile(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && !strstr(name, ".top") && !(n > 3 && !strcmp(name + n - 3, ".md"));
}

static void test_pprof_merge_self_doubles_every_top_value(void **state)
{
	const struct pg_profile *in[2];
	struct pg_profile *p, *m;
	struct dirent *e;
	int bad = 0, n = 0, si;
	DIR *d;

	(void)state;
	d = opendir(testdata());
	if (!d) {
		print_message("SKIP: no pprof testdata at '%s' (set PERFGATE_PPROF_TESTDATA)\n",
			      testdata());
		skip();
	}
	while ((e = readdir(d))) {
		if (!is_profile(e->d_name))
			continue;
		p = load(e->d_name);
		in[0] = in[1] = p;
		m = merged(in, 2);
		for (si = 0; si < sample_types(p); si++)
			bad += doubled(e->d_name, p, m, si);
		pg_profile_free(m);
		pg_profile_free(p);
		n++;
	}
	closedir(d);
	print_message("  %d profiles merged with themselves\n", n);
	assert_true(n > 10);
	assert_int_equal(bad, 0);
}

static void test_pprof_merge_two_profiles_sums_their_tops(void **state)
{
	const struct pg_profile *in[2];
	struct pg_top ta, tb, tm;
	const struct pg_top_func *fa, *fb;
	struct pg_profile *a, *b, *m;
	int64_t flat, cum;
	size_t i;

	(void)state;
	a = load("parca-fib.pb.gz");
	b = load("parca-profile1.pb.gz");
	in[0] = a;
	in[1] = b;
	m = merged(in, 2);
	top(a, 1, &ta);
	top(b, 1, &tb);
	top(m, 1, &tm);
	assert_int_equal(tm.total, ta.total + tb.total);
	assert_true(tm.nfuncs >= ta.nfuncs && tm.nfuncs >= tb.nfuncs);
	for (i = 0; i < tm.nfuncs; i++) {
		fa = find(&ta, tm.funcs[i].name);
		fb = find(&tb, tm.funcs[i].name);
		assert_true(fa || fb);
		flat = (fa ? fa->flat : 0) + (fb ? fb->flat : 0);
		cum = (fa ? fa->cum : 0) + (fb ? fb->cum : 0);
		assert_int_equal(tm.funcs[i].flat, flat);
		assert_int_equal(tm.funcs[i].cum, cum);
	}
	pg_top_release(&ta);
	pg_top_release(&tb);
	pg_top_release(&tm);
	pg_profile_free(m);
	pg_profile_free(a);
	pg_profile_free(b);
}

static void test_pprof_merge_refuses_other_kinds(void **state)
{
	struct pg_buf out = PG_BUF_INIT(1u << 30);
	struct pg_err err = PG_ERR_INIT;
	const struct pg_profile *in[2];
	struct pg_profile *cpu, *heap;

	(void)state;
	cpu = load("parca-fib.pb.gz");
	heap = load("parca-alloc_objects.pb.gz");
	in[0] = cpu;
	in[1] = heap;
	assert_int_equal(pg_profile_merge(&out, in, 2, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "profile 2"));
	assert_int_equal(out.len, 0);
	assert_int_equal(pg_profile_merge(&out, in, 0, &err), PG_EUSAGE);
	pg_profile_free(cpu);
	pg_profile_free(heap);
	pg_buf_release(&out);
}

/* Merging one profile is a copy: the same table. */
static void test_pprof_merge_one_is_a_copy(void **state)
{
	const struct pg_profile *in[1];
	struct pg_profile *p, *m;
	struct pg_top tp, tm;
	size_t i;

	(void)state;
	p = load("perfgate-gen-http-json.cpu.pb.gz");
	in[0] = p;
	m = merged(in, 1);
	top(p, 1, &tp);
	top(m, 1, &tm);
	assert_int_equal(tp.total, tm.total);
	assert_int_equal(tp.nfuncs, tm.nfuncs);
	for (i = 0; i < tp.nfuncs; i++) {
		assert_string_equal(tp.funcs[i].name, tm.funcs[i].name);
		assert_int_equal(tp.funcs[i].flat, tm.funcs[i].flat);
		assert_int_equal(tp.funcs[i].cum, tm.funcs[i].cum);
	}
	pg_top_release(&tp);
	pg_top_release(&tm);
	pg_profile_free(m);
	pg_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pprof_merge_self_doubles_every_top_value),
		cmocka_unit_test(test_pprof_merge_two_profiles_sums_their_tops),
		cmocka_unit_test(test_pprof_merge_refuses_other_kinds),
		cmocka_unit_test(test_pprof_merge_one_is_a_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
