/* The flame graph module on profiles built here with protobuf-c (as
 * test_pprof.c builds its own), rendered and read back with libxml2: what
 * grew is red, what shrank blue, widths follow the current shares, hostile
 * names are escaped, and every profile of the shared testdata renders to
 * well-formed XML. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "profile.pb-c.h"
#include "buf.h"
#include "flame.h"
#include "fs.h"
#include "pprof.h"
#include "report.h"
#include "scratch.h"

/* ---- building profiles --------------------------------------------- */

#define MAXF 16
#define MAXS 16
#define MAXD 8

/* Functions by name, one location each (location id = function id); a
 * sample is a stack of function numbers, leaf first, and a cpu value. */
struct prof {
	const char *names[MAXF];
	size_t nf;
	int stacks[MAXS][MAXD];
	size_t depth[MAXS];
	int64_t value[MAXS];
	size_t ns;
};

static int fn_id(struct prof *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nf; i++)
		if (!strcmp(b->names[i], name))
			return (int)i;
	assert_true(b->nf < MAXF);
	b->names[b->nf] = name;
	return (int)b->nf++;
}

/* stack: names root first, NULL-terminated. */
static void sample(struct prof *b, int64_t v, const char *const *stack)
{
	size_t n = 0, i;

	while (stack[n])
		n++;
	assert_true(b->ns < MAXS && n <= MAXD);
	for (i = 0; i < n; i++)
		b->stacks[b->ns][n - 1 - i] = fn_id(b, stack[i]);
	b->depth[b->ns] = n;
	b->value[b->ns++] = v;
}

#define SAMPLE(b, v, ...) sample(b, v, (const char *const[]){ __VA_ARGS__, NULL })

/* n functions, one location each, both numbered from 1; function i is
 * named by string 5 + i (no system name: kept verbatim). */
static void entities(Perftools__Profiles__Profile *p, size_t n)
{
	Perftools__Profiles__Function *f = calloc(n, sizeof(*f)), **fp = calloc(n, sizeof(*fp));
	Perftools__Profiles__Line *ln = calloc(n, sizeof(*ln)), **lnp = calloc(n, sizeof(*lnp));
	Perftools__Profiles__Location *l = calloc(n, sizeof(*l)), **lp = calloc(n, sizeof(*lp));
	size_t i;

	assert_true(n && f && fp && ln && lnp && l && lp);
	for (i = 0; i < n; i++) {
		perftools__profiles__function__init(&f[i]);
		f[i].id = i + 1;
		f[i].name = 5 + (int64_t)i;
		fp[i] = &f[i];
		perftools__profiles__line__init(&ln[i]);
		ln[i].function_id = i + 1;
		lnp[i] = &ln[i];
		perftools__profiles__location__init(&l[i]);
		l[i].id = i + 1;
		l[i].line = &lnp[i];
		l[i].n_line = 1;
		lp[i] = &l[i];
	}
	p->function = fp;
	p->n_function = n;
	p->location = lp;
	p->n_location = n;
}

static void entities_free(Perftools__Profiles__Profile *p)
{
	free(p->function[0]);
	free(p->function);
	free(p->location[0]->line[0]);
	free(p->location[0]->line);
	free(p->location[0]);
	free(p->location);
}

static uint8_t *pack(const struct prof *b, size_t *len)
{
	Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
	ProtobufCBinaryData str[5 + MAXF];
	const char *fixed[5] = { "", "samples", "count", "cpu", "nanoseconds" };
	Perftools__Profiles__ValueType vt[2], *vtp[2];
	Perftools__Profiles__Sample s[MAXS], *sp[MAXS];
	uint64_t locs[MAXS][MAXD];
	int64_t vals[MAXS][2];
	uint8_t *buf;
	size_t i, j;

	for (i = 0; i < 5 + b->nf; i++) {
		str[i].data = (uint8_t *)(i < 5 ? fixed[i] : b->names[i - 5]);
		str[i].len = strlen((const char *)str[i].data);
	}
	p.string_table = str;
	p.n_string_table = 5 + b->nf;
	for (i = 0; i < 2; i++) {
		perftools__profiles__value_type__init(&vt[i]);
		vt[i].type = 1 + 2 * (int64_t)i;
		vt[i].unit = 2 + 2 * (int64_t)i;
		vtp[i] = &vt[i];
	}
	p.sample_type = vtp;
	p.n_sample_type = 2;
	entities(&p, b->nf);
	for (i = 0; i < b->ns; i++) {
		perftools__profiles__sample__init(&s[i]);
		for (j = 0; j < b->depth[i]; j++)
			locs[i][j] = (uint64_t)b->stacks[i][j] + 1;
		s[i].location_id = locs[i];
		s[i].n_location_id = b->depth[i];
		vals[i][0] = b->value[i]; /* one sample per unit: shares are exact */
		vals[i][1] = b->value[i];
		s[i].value = vals[i];
		s[i].n_value = 2;
		sp[i] = &s[i];
	}
	p.sample = sp;
	p.n_sample = b->ns;
	*len = perftools__profiles__profile__get_packed_size(&p);
	buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(perftools__profiles__profile__pack(&p, buf), *len);
	entities_free(&p);
	return buf;
}

/* ---- rendering and reading back --------------------------------------- */

#define WEIRD "tmpl<T>&\"q'\xff"
#define WEIRD_XML "tmpl<T>&\"q'\xef\xbf\xbd" /* the invalid byte replaced */
#define LONG "runtime.gcBgMarkWorker.func2.with.a.name.far.too.long.to.fit"

struct frame {
	char *name, *label; /* title's first line, the text shown or NULL */
	double x, w;
	int r, g, b;
};

struct svg {
	char *text;
	size_t len;
	struct frame f[64];
	size_t n;
};

static char *render(const struct prof *base, const struct prof *cur, size_t *len)
{
	struct pg_err err = PG_ERR_INIT;
	uint8_t *bb = NULL, *cb;
	size_t bl = 0, cl;
	char *text = NULL;
	FILE *m;

	cb = pack(cur, &cl);
	if (base)
		bb = pack(base, &bl);
	m = open_memstream(&text, len);
	assert_non_null(m);
	assert_int_equal(pg_flame_svg(m, bb, bl, cb, cl, &err), 0);
	assert_int_equal(fclose(m), 0);
	free(bb);
	free(cb);
	return text;
}

static char *prop(xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static void read_frame(xmlNode *g, struct frame *f)
{
	xmlNode *c;
	char *s, *nl;

	memset(f, 0, sizeof(*f));
	for (c = g->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "title")) {
			f->name = (char *)xmlNodeGetContent(c);
			nl = strchr(f->name, '\n');
			assert_non_null(nl);
			*nl = '\0';
		} else if (!strcmp((const char *)c->name, "rect")) {
			s = prop(c, "x");
			f->x = atof(s);
			xmlFree(s);
			s = prop(c, "width");
			f->w = atof(s);
			xmlFree(s);
			s = prop(c, "fill");
			assert_int_equal(sscanf(s, "rgb(%d,%d,%d)", &f->r, &f->g, &f->b), 3);
			xmlFree(s);
		} else if (!strcmp((const char *)c->name, "text")) {
			f->label = (char *)xmlNodeGetContent(c);
		}
	}
	assert_non_null(f->name);
}

/* Parse text with libxml2 (fails the test when it is not well-formed) and
 * collect the frames; returns the number of frames. */
static size_t parse_svg(struct svg *s)
{
	xmlDoc *doc = xmlReadMemory(s->text, (int)s->len, "flame.svg", NULL, XML_PARSE_NONET);
	xmlNode *root, *c;

	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "svg");
	s->n = 0;
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "g"))
			continue;
		if (s->n < 64)
			read_frame(c, &s->f[s->n]);
		s->n++;
	}
	xmlFreeDoc(doc);
	return s->n;
}

static void svg_release(struct svg *s)
{
	size_t i;

	for (i = 0; i < s->n && i < 64; i++) {
		xmlFree(s->f[i].name);
		xmlFree(s->f[i].label);
	}
	free(s->text);
}

static const struct frame *find(const struct svg *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->f[i].name, name))
			return &s->f[i];
	return NULL;
}

static int is_red(const struct frame *f)
{
	return f->r > f->b + 40 && f->r > f->g + 40;
}

static int is_blue(const struct frame *f)
{
	return f->b > f->r + 40 && f->b > f->g + 40;
}

static int is_grey(const struct frame *f)
{
	return abs(f->r - f->g) < 16 && abs(f->r - f->b) < 16 && abs(f->g - f->b) < 16;
}

/* The default image is 1200 px with 10 px margins: 1180 px is 100 %. */
static void assert_width(const struct frame *f, double share)
{
	assert_non_null(f);
	if (f->w < 1180 * share - 0.02 || f->w > 1180 * share + 0.02)
		fail_msg("'%s' is %.2f px wide, want %.2f", f->name, f->w, 1180 * share);
}

/* baseline: parse 50 %, encode 30 %, gc 20 %; current: parse 20 %, encode
 * 30 %, the weird one new at 30 %, gc 19.99 %, tiny 0.01 %. */
static void profiles(struct prof *base, struct prof *cur)
{
	memset(base, 0, sizeof(*base));
	memset(cur, 0, sizeof(*cur));
	SAMPLE(base, 5000, "main", "handle", "parse");
	SAMPLE(base, 3000, "main", "handle", "encode");
	SAMPLE(base, 2000, "main", "gc", LONG);
	SAMPLE(cur, 2000, "main", "handle", "parse");
	SAMPLE(cur, 3000, "main", "handle", "encode");
	SAMPLE(cur, 3000, "main", "handle", WEIRD);
	SAMPLE(cur, 1999, "main", "gc", LONG);
	SAMPLE(cur, 1, "main", "tiny");
}

static void test_flame_colours_follow_the_change(void **state)
{
	struct prof base, cur;
	struct svg s = { 0 };

	(void)state;
	profiles(&base, &cur);
	s.text = render(&base, &cur, &s.len);
	parse_svg(&s);
	assert_true(is_red(find(&s, WEIRD_XML)));
	assert_true(is_blue(find(&s, "parse")));
	assert_true(is_grey(find(&s, "encode")));
	assert_true(is_grey(find(&s, "handle")));
	assert_true(is_grey(find(&s, "gc"))); /* -0.01 pp is noise */
	assert_true(is_grey(find(&s, "all")));
	svg_release(&s);
}

static void test_flame_widths_are_current_shares(void **state)
{
	const struct frame *handle, *encode, *parse, *weird;
	struct prof base, cur;
	struct svg s = { 0 };

	(void)state;
	profiles(&base, &cur);
	s.text = render(&base, &cur, &s.len);
	parse_svg(&s);
	assert_width(find(&s, "all"), 1);
	assert_width(find(&s, "main"), 1);
	assert_width(handle = find(&s, "handle"), 0.8);
	assert_width(encode = find(&s, "encode"), 0.3);
	assert_width(parse = find(&s, "parse"), 0.2);
	assert_width(weird = find(&s, WEIRD_XML), 0.3);
	assert_width(find(&s, "gc"), 0.1999);
	/* children side by side in name order, from the parent's left edge */
	assert_true(encode->x == handle->x);
	assert_true(parse->x > encode->x + encode->w - 0.02 &&
		    parse->x < encode->x + encode->w + 0.02);
	assert_true(weird->x > parse->x);
	/* 0.01 % is 0.12 px: pruned */
	assert_null(find(&s, "tiny"));
	assert_int_equal(s.n, 8);
	svg_release(&s);
}

static void test_flame_escapes_and_truncates_names(void **state)
{
	const struct frame *f;
	struct prof base, cur;
	struct svg s = { 0 };

	(void)state;
	profiles(&base, &cur);
	s.text = render(&base, &cur, &s.len);
	assert_non_null(strstr(s.text, "tmpl&lt;T&gt;&amp;&quot;q&apos;\xef\xbf\xbd"));
	assert_null(memchr(s.text, 0xff, s.len));
	parse_svg(&s);
	f = find(&s, WEIRD_XML);
	assert_non_null(f->label);
	assert_string_equal(f->label, WEIRD_XML); /* 354 px: fits */
	f = find(&s, LONG);
	assert_non_null(f->label);
	assert_true(strlen(f->label) < strlen(LONG));
	assert_int_equal(strncmp(f->label, LONG, strlen(f->label) - 2), 0);
	assert_string_equal(f->label + strlen(f->label) - 2, "..");
	assert_true(strlen(f->label) * 6.6 <= f->w);
	svg_release(&s);
}

static void test_flame_is_deterministic(void **state)
{
	struct prof base, cur;
	size_t l1, l2;
	char *a, *b;

	(void)state;
	profiles(&base, &cur);
	a = render(&base, &cur, &l1);
	b = render(&base, &cur, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

static void test_flame_without_baseline(void **state)
{
	struct prof base, cur;
	struct svg s = { 0 };
	size_t i;

	(void)state;
	profiles(&base, &cur);
	s.text = render(NULL, &cur, &s.len);
	assert_non_null(strstr(s.text, "no baseline profile"));
	assert_non_null(strstr(s.text, "baseline: none"));
	assert_int_equal(parse_svg(&s), 8);
	assert_width(find(&s, "parse"), 0.2);
	assert_width(find(&s, WEIRD_XML), 0.3);
	for (i = 0; i < s.n; i++) /* the warm palette, not the diff colours */
		assert_true(s.f[i].r >= 205 && s.f[i].b < 90 && !is_blue(&s.f[i]));
	svg_release(&s);
}

static void test_flame_bad_profiles(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct prof base, cur;
	struct svg s = { 0 };
	uint8_t *cb;
	size_t cl;
	FILE *m;

	(void)state;
	profiles(&base, &cur);
	cb = pack(&cur, &cl);
	/* a broken baseline: the current run alone, saying why */
	m = open_memstream(&s.text, &s.len);
	assert_non_null(m);
	assert_int_equal(pg_flame_svg(m, "\x1f\x8bjunk", 6, cb, cl, &err), 0);
	assert_int_equal(fclose(m), 0);
	assert_non_null(strstr(s.text, "baseline profile unreadable"));
	assert_int_equal(parse_svg(&s), 8);
	svg_release(&s);
	/* a broken current profile is an input error, and nothing is written */
	s.text = NULL;
	m = open_memstream(&s.text, &s.len);
	assert_non_null(m);
	assert_int_equal(pg_flame_svg(m, cb, cl, "junk", 4, &err), PG_EINPUT);
	assert_int_equal(fclose(m), 0);
	assert_int_equal(s.len, 0);
	free(s.text);
	free(cb);
}

/* check's report directory: flame-diff.svg with a profile, none without. */
static void test_flame_report_dir(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_report r = { 0 };
	struct pg_result cur;
	struct prof base, pc;
	char *dir, path[256], cmd[600];
	uint8_t *bb, *cb;
	size_t bl, cl;

	(void)state;
	profiles(&base, &pc);
	bb = pack(&base, &bl);
	cb = pack(&pc, &cl);
	pg_result_init(&cur);
	cur.scenario = strdup("flame");
	dir = pg_scratch_new("flame");
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/flame-diff.svg", dir);
	r.current = &cur;
	assert_int_equal(pg_report_write_dir(&r, dir, &err), 0);
	assert_false(pg_fs_exists(path));
	r.current_profile = cb;
	r.current_profile_len = cl;
	r.baseline_profile = bb;
	r.baseline_profile_len = bl;
	assert_int_equal(pg_report_write_dir(&r, dir, &err), 0);
	assert_true(pg_fs_exists(path));
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' && grep -q 'delta: -30.00 pp' '%s'", path,
		 path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(pg_scratch_free(dir), 0);
	pg_result_release(&cur);
	free(bb);
	free(cb);
}

static int is_profile(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && !(n > 4 && !strcmp(name + n - 4, ".txt")) &&
	       !(n > 3 && !strcmp(name + n - 3, ".md"));
}

static char *render_bytes(const struct pg_buf *base, const struct pg_buf *cur, size_t *len)
{
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	FILE *m = open_memstream(&text, len);

	assert_non_null(m);
	assert_int_equal(pg_flame_svg(m, base ? base->data : NULL, base ? base->len : 0, cur->data,
				      cur->len, &err),
			 0);
	assert_int_equal(fclose(m), 0);
	return text;
}

/* Real profiles (Go, C++, Python via parca, stripped, without mappings):
 * each alone and against the previous one renders to well-formed XML. */
static void test_flame_testdata_is_well_formed(void **state)
{
	const char *dir = getenv("PERFGATE_PPROF_TESTDATA");
	struct pg_buf prev = PG_BUF_INIT(1 << 28), cur = PG_BUF_INIT(1 << 28);
	struct pg_err err = PG_ERR_INIT;
	struct svg s = { 0 };
	struct dirent *e;
	char path[4096];
	size_t n = 0;
	DIR *d;

	(void)state;
	d = opendir(dir ? dir : (dir = "../shared/testdata/pprof"));
	if (!d) {
		print_message("SKIP: no pprof testdata at '%s' (set PERFGATE_PPROF_TESTDATA)\n",
			      dir);
		return;
	}
	while ((e = readdir(d))) {
		if (!is_profile(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		pg_buf_release(&cur);
		assert_int_equal(pg_buf_read_file(&cur, path, &err), 0);
		s.text = render_bytes(NULL, &cur, &s.len);
		parse_svg(&s);
		svg_release(&s);
		s.text = render_bytes(prev.len ? &prev : NULL, &cur, &s.len);
		parse_svg(&s);
		svg_release(&s);
		pg_buf_release(&prev);
		assert_int_equal(pg_buf_append(&prev, cur.data, cur.len, &err), 0);
		n++;
	}
	closedir(d);
	pg_buf_release(&prev);
	pg_buf_release(&cur);
	assert_true(n > 0);
}

/* The same move of shares, 50 % -> 40 %: noise in 100 samples a side, a
 * change in 10000. */
static void test_flame_is_quiet_under_sampling_noise(void **state)
{
	struct prof base, cur;
	struct svg s = { 0 };
	int k;

	(void)state;
	for (k = 1; k <= 100; k *= 100) {
		memset(&base, 0, sizeof(base));
		memset(&cur, 0, sizeof(cur));
		SAMPLE(&base, 50 * k, "main", "parse");
		SAMPLE(&base, 50 * k, "main", "encode");
		SAMPLE(&cur, 40 * k, "main", "parse");
		SAMPLE(&cur, 60 * k, "main", "encode");
		s.text = render(&base, &cur, &s.len);
		assert_non_null(strstr(s.text, "standard errors of a binomial share"));
		parse_svg(&s);
		if (k == 1) {
			assert_true(is_grey(find(&s, "parse")));
			assert_true(is_grey(find(&s, "encode")));
		} else {
			assert_true(is_blue(find(&s, "parse")));
			assert_true(is_red(find(&s, "encode")));
		}
		svg_release(&s);
		memset(&s, 0, sizeof(s));
	}
}

/* Every frame of a real profile against itself is grey. */
static void test_flame_self_diff_is_all_neutral(void **state)
{
	const char *dir = getenv("PERFGATE_PPROF_TESTDATA");
	struct pg_buf b = PG_BUF_INIT(1 << 28);
	struct pg_err err = PG_ERR_INIT;
	struct svg s = { 0 };
	char path[4096];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/perfgate-gen-http-json.cpu.pb.gz",
		 dir ? dir : "../shared/testdata/pprof");
	if (pg_buf_read_file(&b, path, &err)) {
		print_message("SKIP: %s\n", err.msg);
		skip();
	}
	s.text = render_bytes(&b, &b, &s.len);
	assert_true(parse_svg(&s) > 50);
	for (i = 0; i < s.n && i < 64; i++)
		assert_true(is_grey(&s.f[i]));
	assert_null(strstr(s.text, "rgb(255,"));
	svg_release(&s);
	pg_buf_release(&b);
}

/* The standalone SVG carries the search box and the zoom script; the copy
 * for markdown contexts carries neither. */
static void test_flame_interactive_or_not(void **state)
{
	struct pg_flame_opts o = PG_FLAME_OPTS_DEFAULT;
	struct pg_err err = PG_ERR_INIT;
	struct prof base, cur;
	uint8_t *bb, *cb;
	size_t bl, cl, len;
	char *text = NULL;
	FILE *m;

	(void)state;
	profiles(&base, &cur);
	bb = pack(&base, &bl);
	cb = pack(&cur, &cl);
	text = render(&base, &cur, &len);
	assert_non_null(strstr(text, "<script type=\"text/ecmascript\"><![CDATA["));
	assert_non_null(strstr(text, "class=\"pg-search\""));
	assert_non_null(strstr(text, "Reset zoom"));
	free(text);
	o.interactive = 0;
	o.embedded = 1;
	m = open_memstream(&text, &len);
	assert_int_equal(pg_flame_svg_opts(m, bb, bl, cb, cl, &o, &err), 0);
	assert_int_equal(fclose(m), 0);
	assert_null(strstr(text, "<script"));
	assert_null(strstr(text, "foreignObject"));
	assert_int_equal(strncmp(text, "<svg ", 5), 0); /* no XML prolog when embedded */
	free(text);
	free(bb);
	free(cb);
}

/* 12 children of 0.3 px each: one grey frame of 3.6 px that says so. */
static void test_flame_merges_tiny_frames(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f",
					     "g", "h", "i", "j", "k", "l" };
	struct prof cur;
	struct svg s = { 0 };
	const struct frame *m;
	size_t i;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	SAMPLE(&cur, 1000000 - 12 * 254, "main", "big");
	for (i = 0; i < 12; i++)
		SAMPLE(&cur, 254, "main", "small", names[i]); /* 0.30 px each */
	s.text = render(NULL, &cur, &s.len);
	parse_svg(&s);
	assert_null(find(&s, "a"));
	m = find(&s, "12 frames under 0.5 px");
	assert_non_null(m);
	assert_width(m, 12 * 254 / 1e6);
	svg_release(&s);
}

/* n samples of one unit, each its own stack of depth functions under
 * "main" (no two share a frame): n frames per level, all of one width. */
static uint8_t *wide_profile(size_t n, size_t depth, size_t *len)
{
	Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
	size_t nf = n * depth + 1, i, j, ns = 5 + nf;
	ProtobufCBinaryData *str = calloc(ns, sizeof(*str));
	char *names = calloc(nf, 24);
	Perftools__Profiles__ValueType vt[2] = { PERFTOOLS__PROFILES__VALUE_TYPE__INIT,
						 PERFTOOLS__PROFILES__VALUE_TYPE__INIT };
	Perftools__Profiles__ValueType *vtp[2] = { &vt[0], &vt[1] };
	Perftools__Profiles__Sample *s = calloc(n, sizeof(*s)), **sp = calloc(n, sizeof(*sp));
	uint64_t *locs = calloc(n * (depth + 1), sizeof(*locs));
	int64_t one[2] = { 1, 1 };
	const char *fixed[5] = { "", "samples", "count", "cpu", "nanoseconds" };
	uint8_t *buf;

	assert_true(str && names && s && sp && locs);
	for (i = 0; i < ns; i++) {
		if (i < 5) {
			str[i].data = (uint8_t *)fixed[i];
		} else {
			str[i].data = (uint8_t *)names + 24 * (i - 5);
			snprintf((char *)str[i].data, 24, i == 5 ? "main" : "pkg.f%zu", i - 6);
		}
		str[i].len = strlen((const char *)str[i].data);
	}
	for (i = 0; i < 2; i++) {
		vt[i].type = 1 + 2 * (int64_t)i;
		vt[i].unit = 2 + 2 * (int64_t)i;
	}
	entities(&p, nf);
	for (i = 0; i < n; i++) {
		perftools__profiles__sample__init(&s[i]);
		s[i].location_id = locs + i * (depth + 1);
		for (j = 0; j < depth; j++) /* leaf first, "main" (location 1) last */
			s[i].location_id[j] = 2 + i * depth + (depth - 1 - j);
		s[i].location_id[depth] = 1;
		s[i].n_location_id = depth + 1;
		s[i].value = one;
		s[i].n_value = 2;
		sp[i] = &s[i];
	}
	p.string_table = str;
	p.n_string_table = ns;
	p.sample_type = vtp;
	p.n_sample_type = 2;
	p.sample = sp;
	p.n_sample = n;
	*len = perftools__profiles__profile__get_packed_size(&p);
	buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(perftools__profiles__profile__pack(&p, buf), *len);
	entities_free(&p);
	free(str), free(names), free(s), free(sp), free(locs);
	return buf;
}

/* 2000 stacks, 20 deep, of 0.59 px each would draw 40 000 frames (about
 * 7 MB): the merge width grows until the graph fits about 4 MB, and the
 * merged frames say the width they used. */
static void test_flame_fits_a_budget(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len, tlen;
	uint8_t *buf;
	FILE *m;

	(void)state;
	buf = wide_profile(2000, 20, &len);
	m = open_memstream(&text, &tlen);
	assert_int_equal(pg_flame_svg(m, NULL, 0, buf, len, &err), 0);
	assert_int_equal(fclose(m), 0);
	if (tlen > (4u << 20) + (256u << 10))
		fail_msg("the SVG takes %zu bytes", tlen);
	assert_non_null(strstr(text, "2000 frames under 0.62 px"));
	assert_null(strstr(text, "frames under 0.5 px"));
	assert_non_null(strstr(text, ">main<"));
	free(text);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flame_colours_follow_the_change),
		cmocka_unit_test(test_flame_widths_are_current_shares),
		cmocka_unit_test(test_flame_escapes_and_truncates_names),
		cmocka_unit_test(test_flame_is_deterministic),
		cmocka_unit_test(test_flame_without_baseline),
		cmocka_unit_test(test_flame_bad_profiles),
		cmocka_unit_test(test_flame_report_dir),
		cmocka_unit_test(test_flame_testdata_is_well_formed),
		cmocka_unit_test(test_flame_is_quiet_under_sampling_noise),
		cmocka_unit_test(test_flame_self_diff_is_all_neutral),
		cmocka_unit_test(test_flame_interactive_or_not),
		cmocka_unit_test(test_flame_merges_tiny_frames),
		cmocka_unit_test(test_flame_fits_a_budget),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
