// SPDX-License-Identifier: MIT
/* The getrandom latency histogram of a result: bpf/hist.h's log-linear
 * buckets, summed over runs, so a report can plot both sides. In JSON,
 * only the buckets that hold calls: "getrandom_hist": {"unit": "ns",
 * "buckets": [[lower bound, count], ...]} in ascending order. */
#include <stdlib.h>
#include <string.h>

#include "../bpf/hist.h"
#include "result.h"

int pg_result_add_hist(struct pg_result *r, const uint64_t *counts, size_t n, struct pg_err *err)
{
	size_t i;

	if (n != PG_HIST_NBUCKETS)
		return pg_err_set(err, PG_EINFRA, "histogram of %zu buckets, want %u", n,
				  (unsigned)PG_HIST_NBUCKETS);
	if (!r->getrandom_hist) {
		r->getrandom_hist = calloc(PG_HIST_NBUCKETS, sizeof(*r->getrandom_hist));
		if (!r->getrandom_hist)
			return pg_err_nomem(err);
		r->ngetrandom_hist = PG_HIST_NBUCKETS;
	}
	for (i = 0; i < n; i++)
		r->getrandom_hist[i] += counts[i];
	return 0;
}

uint64_t pg_result_hist_lower(size_t bucket)
{
	return pg_hist_lower((__u32)bucket);
}

json_t *pg_result_hist_to_json(const struct pg_result *r)
{
	json_t *b = json_array();
	size_t i;

	if (!r->getrandom_hist)
		return json_null();
	for (i = 0; b && i < r->ngetrandom_hist; i++)
		if (r->getrandom_hist[i])
			json_array_append_new(b, json_pack("[I, I]", (json_int_t)pg_hist_lower(i),
							   (json_int_t)r->getrandom_hist[i]));
	return json_pack("{s:s, s:o}", "unit", "ns", "buckets", b);
}

int pg_result_hist_from_json(struct pg_result *r, const json_t *h, const char *what,
			     struct pg_err *err)
{
	uint64_t counts[PG_HIST_NBUCKETS];
	json_int_t lower, count;
	const json_t *b;
	size_t i;

	if (!h || json_is_null(h))
		return 0;
	memset(counts, 0, sizeof(counts));
	json_array_foreach (json_object_get(h, "buckets"), i, b) {
		if (json_unpack((json_t *)b, "[I, I]", &lower, &count) || lower < 0 || count < 0)
			return pg_err_set(err, PG_EINPUT,
					  "%s: getrandom_hist.buckets[%zu] must be [lower, count]",
					  what, i);
		counts[pg_hist_bucket((__u64)lower)] += (uint64_t)count;
	}
	return pg_result_add_hist(r, counts, PG_HIST_NBUCKETS, err);
}
