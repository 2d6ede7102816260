/* The hand-written decoders (gate/pprof_wire.c) against protobuf-c's
 * generated unpack, which they replace on the hot path: the same message or
 * the same refusal, on crafted edge cases and on random mutations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pprof_int.h"

static void dump(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_message("%02x ", b[i]);
	print_message("\n");
}

static void same(const uint8_t *b, size_t n, const char *what)
{
	Perftools__Profiles__Sample *want, *got;
	struct pp_arena a;
	size_t i;

	pp_arena_init(&a, 4096);
	want = perftools__profiles__sample__unpack(&a.pc, n, b);
	got = pp_sample_decode(b, n, 1, &a);
	if (!want || !got) {
		if (!want != !got) {
			dump(b, n);
			fail_msg("%s: protobuf-c %s, pp_sample_decode %s", what,
				 want ? "accepts" : "refuses", got ? "accepts" : "refuses");
		}
		pp_arena_release(&a);
		return;
	}
	assert_int_equal(got->n_location_id, want->n_location_id);
	assert_int_equal(got->n_value, want->n_value);
	assert_int_equal(got->n_label, want->n_label);
	for (i = 0; i < want->n_location_id; i++)
		assert_true(got->location_id[i] == want->location_id[i]);
	for (i = 0; i < want->n_value; i++)
		assert_true(got->value[i] == want->value[i]);
	for (i = 0; i < want->n_label; i++) {
		assert_true(got->label[i]->key == want->label[i]->key);
		assert_true(got->label[i]->str == want->label[i]->str);
		assert_true(got->label[i]->num == want->label[i]->num);
		assert_true(got->label[i]->num_unit == want->label[i]->num_unit);
	}
	got = pp_sample_decode(b, n, 0, &a);
	assert_non_null(got);
	assert_int_equal(got->n_label, 0);
	assert_int_equal(got->n_location_id, want->n_location_id);
	pp_arena_release(&a);
}

static void same_function(const uint8_t *b, size_t n)
{
	Perftools__Profiles__Function *want, *got;
	struct pp_arena a;

	pp_arena_init(&a, 4096);
	want = perftools__profiles__function__unpack(&a.pc, n, b);
	got = pp_function_decode(b, n, &a);
	if (!want != !got)
		dump(b, n);
	if (!want != !got)
		fail_msg("function: protobuf-c %s, pp_function_decode %s",
			 want ? "accepts" : "refuses", got ? "accepts" : "refuses");
	if (want && got) {
		assert_true(got->id == want->id && got->name == want->name);
		assert_true(got->system_name == want->system_name);
		assert_true(got->filename == want->filename && got->start_line == want->start_line);
	}
	pp_arena_release(&a);
}

static void same_location(const uint8_t *b, size_t n)
{
	Perftools__Profiles__Location *want, *got;
	struct pp_arena a;
	size_t i;

	pp_arena_init(&a, 4096);
	want = perftools__profiles__location__unpack(&a.pc, n, b);
	got = pp_location_decode(b, n, &a);
	if (!want != !got)
		dump(b, n);
	if (!want != !got)
		fail_msg("location: protobuf-c %s, pp_location_decode %s",
			 want ? "accepts" : "refuses", got ? "accepts" : "refuses");
	if (want && got) {
		assert_true(got->id == want->id && got->mapping_id == want->mapping_id);
		assert_true(got->address == want->address);
		assert_true(!got->is_folded == !want->is_folded);
		assert_int_equal(got->n_line, want->n_line);
		for (i = 0; i < want->n_line; i++) {
			assert_true(got->line[i]->function_id == want->line[i]->function_id);
			assert_true(got->line[i]->line == want->line[i]->line);
			assert_true(got->line[i]->column == want->line[i]->column);
		}
	}
	pp_arena_release(&a);
}

static void same_bytes(const ProtobufCBinaryData *a, const ProtobufCBinaryData *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].len, b[i].len);
		assert_true(!a[i].len || !memcmp(a[i].data, b[i].data, a[i].len));
	}
}

/* The top level (pprof_lazy.c, through pp_unpack): the same message as
 * protobuf-c's, or the same refusal; *hand says whether the hand decoder
 * took it (the profile then keeps the buffer) rather than protobuf-c. */
static void same_profile(const uint8_t *b, size_t n, int *hand)
{
	Perftools__Profiles__ProfileLazy *want, *got;
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile p;
	struct pp_arena a;
	uint8_t *buf = malloc(n + 1);
	size_t i;
	int rc;

	assert_non_null(buf);
	memcpy(buf, b, n);
	memset(&p, 0, sizeof(p));
	pp_arena_init(&p.arena, 4096);
	pp_arena_init(&a, 4096);
	want = n ? perftools__profiles__profile_lazy__unpack(&a.pc, n, b) : NULL;
	rc = pp_unpack(&p, buf, n, 1, &err);
	got = rc ? NULL : p.raw;
	if (!want != !got)
		dump(b, n);
	if (!want != !got)
		fail_msg("profile: protobuf-c %s, pp_unpack %s", want ? "accepts" : "refuses",
			 got ? "accepts" : "refuses");
	*hand = p.plain != NULL;
	if (want && got) {
		assert_int_equal(got->n_sample_type, want->n_sample_type);
		for (i = 0; i < want->n_sample_type; i++)
			assert_true(got->sample_type[i]->type == want->sample_type[i]->type &&
				    got->sample_type[i]->unit == want->sample_type[i]->unit);
		assert_int_equal(got->n_sample, want->n_sample);
		same_bytes(got->sample, want->sample, want->n_sample);
		assert_int_equal(got->n_mapping, want->n_mapping);
		for (i = 0; i < want->n_mapping; i++)
			assert_true(got->mapping[i]->id == want->mapping[i]->id);
		assert_int_equal(got->n_location, want->n_location);
		same_bytes(got->location, want->location, want->n_location);
		assert_int_equal(got->n_function, want->n_function);
		same_bytes(got->function, want->function, want->n_function);
		assert_int_equal(got->n_string_table, want->n_string_table);
		same_bytes(got->string_table, want->string_table, want->n_string_table);
		assert_true(got->drop_frames == want->drop_frames &&
			    got->keep_frames == want->keep_frames &&
			    got->time_nanos == want->time_nanos &&
			    got->duration_nanos == want->duration_nanos &&
			    got->period == want->period &&
			    got->default_sample_type == want->default_sample_type);
		assert_true(!got->period_type == !want->period_type);
		if (want->period_type)
			assert_true(got->period_type->type == want->period_type->type &&
				    got->period_type->unit == want->period_type->unit);
		assert_int_equal(got->n_comment, want->n_comment);
		for (i = 0; i < want->n_comment; i++)
			assert_true(got->comment[i] == want->comment[i]);
	}
	free(p.plain ? p.plain : buf);
	pp_arena_release(&p.arena);
	pp_arena_release(&a);
}

/* n random changes to a copy of seed (and sometimes a cut), fixed seed. */
static size_t mutate(uint8_t *b, const uint8_t *seed, size_t n, unsigned int *r, int i)
{
	size_t k;

	memcpy(b, seed, n);
	for (k = 0; k < 1 + (unsigned)i % 4; k++) {
		*r = *r * 1103515245u + 12345u;
		b[(*r >> 8) % n] = (uint8_t)(*r >> 16);
	}
	*r = *r * 1103515245u + 12345u;
	if (i % 3 == 0)
		n = (*r >> 8) % (n + 1);
	if (i % 7 == 0)
		for (k = 0; k < n; k++) {
			*r = *r * 1103515245u + 12345u;
			b[k] = (uint8_t)(*r >> 16);
		}
	return n;
}

#define CASE(...)                                            \
	do {                                                 \
		static const uint8_t b_[] = { __VA_ARGS__ }; \
		same(b_, sizeof(b_), #__VA_ARGS__);          \
	} while (0)

static void test_pprof_wire_sample_edge_cases(void **state)
{
	(void)state;
	same((const uint8_t *)"", 0, "empty");
	/* packed ids (one of two bytes), packed values, a label */
	CASE(0x0a, 0x03, 0x01, 0x96, 0x01, 0x12, 0x02, 0x05, 0x7f, 0x1a, 0x04, 0x08, 0x02, 0x10,
	     0x03);
	/* unpacked ids mixed with a packed run, values split in two */
	CASE(0x08, 0x07, 0x0a, 0x02, 0x01, 0x02, 0x08, 0x09, 0x10, 0x01, 0x12, 0x01, 0x02);
	/* a negative value: ten bytes */
	CASE(0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	/* unknown fields of every valid wire type */
	CASE(0x20, 0x05, 0x29, 1, 2, 3, 4, 5, 6, 7, 8, 0x32, 0x01, 0xaa, 0x3d, 1, 2, 3, 4, 0x08,
	     0x01);
	/* label: repeated key (last wins), unknown field, num and unit */
	CASE(0x1a, 0x0a, 0x08, 0x01, 0x08, 0x02, 0x18, 0x05, 0x20, 0x06, 0x28, 0x07);
	CASE(0x1a, 0x00, 0x1a, 0x00);
	/* keys as protobuf-c reads them: field 0 in two bytes is unknown, a
	 * number past 32 bits is truncated, more than 5 bytes is refused */
	CASE(0x80, 0x00, 0x01, 0x08, 0x01);
	CASE(0xa5, 0x8d, 0xc7, 0x88, 0x76, 1, 2, 3, 4, 0x08, 0x01);
	CASE(0x8d, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01);
	CASE(0x1a, 0x03, 0x80, 0x00, 0x01);
	/* refusals: wrong wire types, field 0, groups, bad lengths, varints */
	CASE(0x09, 1, 2, 3, 4, 5, 6, 7, 8);
	CASE(0x18, 0x01);
	CASE(0x1a, 0x02, 0x09, 0x00);
	CASE(0x00, 0x01);
	CASE(0x23, 0x24);
	CASE(0x0a, 0x05, 0x01);
	CASE(0x0a, 0x01, 0x81);
	CASE(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
	CASE(0x08);
	CASE(0x0e, 0x01);
}

/* Random bytes and random mutations of valid messages: protobuf-c and the
 * hand decoders must agree on every one (fixed seed, so failures replay). */
static void test_pprof_wire_random_agree(void **state)
{
	static const uint8_t sample[] = { 0x0a, 0x04, 0x01, 0x96, 0x01, 0x03, 0x12, 0x02, 0x05,
					  0x7f, 0x1a, 0x04, 0x08, 0x02, 0x10, 0x03, 0x08, 0x04 };
	static const uint8_t function[] = { 0x08, 0x07, 0x10, 0x02, 0x18, 0x03, 0x20,
					    0x04, 0x28, 0x96, 0x01, 0x30, 0x01 };
	static const uint8_t location[] = { 0x08, 0x05, 0x10, 0x01, 0x18, 0x80, 0x20, 0x22,
					    0x04, 0x08, 0x07, 0x10, 0x2a, 0x22, 0x06, 0x08,
					    0x08, 0x10, 0x01, 0x18, 0x02, 0x28, 0x01 };
	/* sample_type, sample, mapping, location, function, strings, drop and
	 * keep frames, time, duration, period_type, period, comments (packed
	 * and not), default_sample_type, an unknown field */
	static const uint8_t profile[] = {
		0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x12, 0x04, 0x0a, 0x01, 0x01, 0x10, 0x1a,
		0x02, 0x08, 0x01, 0x22, 0x04, 0x08, 0x01, 0x10, 0x01, 0x2a, 0x04, 0x08, 0x01,
		0x10, 0x03, 0x32, 0x00, 0x32, 0x03, 'c',  'p',	'u',  0x32, 0x02, 'n',	's',
		0x38, 0x00, 0x40, 0x00, 0x48, 0x05, 0x50, 0x06, 0x5a, 0x04, 0x08, 0x01, 0x10,
		0x02, 0x60, 0x0a, 0x6a, 0x02, 0x01, 0x02, 0x68, 0x03, 0x70, 0x01, 0x78, 0x07,
	};
	uint8_t b[80];
	unsigned int r = 12345;
	size_t n;
	int i, hand = 0, hands = 0;

	(void)state;
	same_profile(profile, sizeof(profile), &hand);
	assert_true(hand); /* the seed itself goes the hand decoder's way */
	for (i = 0; i < 200000; i++) {
		n = mutate(b, profile, sizeof(profile), &r, i);
		same_profile(b, n, &hand);
		hands += hand;
		n = mutate(b, sample, sizeof(sample), &r, i);
		same(b, n, "random sample");
		n = mutate(b, function, sizeof(function), &r, i);
		same_function(b, n);
		n = mutate(b, location, sizeof(location), &r, i);
		same_location(b, n);
	}
	/* Both ways were taken: mutations that protobuf-c must judge alone. */
	assert_true(hands > 1000 && hands < 199000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pprof_wire_sample_edge_cases),
		cmocka_unit_test(test_pprof_wire_random_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
