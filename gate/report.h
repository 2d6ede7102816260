// SPDX-License-Identifier: MIT
/* Reports of a check or compare, behind one writer table: each writer turns
 * a struct pg_report into one format (text table, result.json, junit.xml,
 * summary.md, metrics.txt, flame-diff.svg, report.html) on a stream; pg_report_write_dir writes
 * every writer that has a file name into a directory, atomically per file. A struct pg_report only
 * borrows; the caller owns everything it points to. */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "err.h"
#include "findings.h"
#include "result.h"

/* What the reports show beside the table: each side's CPU profile facts
 * and the findings (pg_report_evidence_build). */
struct pg_evidence {
	struct pg_cpu_side base, cur;
	struct pg_findings findings;
};

struct pg_report {
	const struct pg_result *baseline; /* NULL without a comparison */
	const struct pg_result *current;  /* NULL or partial after an error */
	const struct pg_verdict *verdict; /* NULL: no comparison was made */
	const struct pg_err *error;	  /* infrastructure error, or NULL */
	const char *warning;		  /* e.g. no baseline and --no-baseline=pass */
	const void *baseline_profile;	  /* pprof bytes for flame graphs, or NULL */
	size_t baseline_profile_len;
	const void *current_profile;
	size_t current_profile_len;
	int color;		/* ANSI colours in the text table */
	int inconclusive_fails; /* --inconclusive=fail: junit fails what is undecided */
	double drop_pct;	/* the scenario's workload.drop_pct, when known */
	int drop_pct_known;
	/* Built by pg_report_print / pg_report_write_dir when NULL. */
	const struct pg_evidence *evidence;
	/* Lines every report carries, whatever the verdict: e.g. "this merge
	 * request changes baselines: ..." or a rejected profile. */
	const char *const *notes;
	size_t nnotes;
};

typedef int (*pg_report_write_fn)(FILE *f, const struct pg_report *r, struct pg_err *err);

struct pg_report_writer {
	const char *name;     /* --format name */
	const char *filename; /* file in --report-dir; NULL: terminal only */
	pg_report_write_fn write;
	int needs_verdict; /* skipped when there is no comparison */
	int needs_profile; /* skipped when there is no current CPU profile */
	int needs_paired;  /* skipped unless the verdict is paired */
};

/* The table, in the order files are written; borrowed. */
const struct pg_report_writer *pg_report_writers(size_t *n);
const struct pg_report_writer *pg_report_writer_find(const char *name);

/* One writer's output in memory: *out (the caller frees it) and *len. */
int pg_report_render(const struct pg_report_writer *w, const struct pg_report *r, char **out,
		     size_t *len, struct pg_err *err);

/* Write one writer's output to f / to path (atomically). */
int pg_report_print(const struct pg_report_writer *w, const struct pg_report *r, FILE *f,
		    struct pg_err *err);
int pg_report_save(const struct pg_report_writer *w, const struct pg_report *r, const char *path,
		   struct pg_err *err);

/* Before a capture: create dir if missing and check that the set can be
 * written there: dir itself not a symlink (pass the directory it points
 * to), the report files absent or regular files, the folder writable
 * (PG_EINFRA otherwise). */
int pg_report_dir_check(const char *dir, struct pg_err *err);

/* Write every file writer's output into dir as one set: all rendered to
 * temp files first, then renamed into place, and files of an earlier run
 * that this one does not write removed; on a failure (a full disk) no
 * report file is left, old or new (PG_EINFRA). With r->error set, only
 * result.json is written (it records the error). */
int pg_report_write_dir(const struct pg_report *r, const char *dir, struct pg_err *err);

/* Fill ev (owned by the caller) from r's profiles, results and verdict. */
int pg_report_evidence_build(struct pg_evidence *ev, const struct pg_report *r, struct pg_err *err);
void pg_report_evidence_release(struct pg_evidence *ev);
/* A copy of r with its evidence, built into ev when r has none (release ev
 * after use). */
int pg_report_with_evidence(const struct pg_report *r, struct pg_report *copy,
			    struct pg_evidence *ev, struct pg_err *err);

/* 1 when colour suits f: a terminal and NO_COLOR unset or empty. */
int pg_report_want_color(FILE *f);

/* Shared by the writers. */
void pg_report_fmt_value(char *out, size_t len, double v);
void pg_report_fmt_change(char *out, size_t len, double pct);
const char *pg_report_scenario(const struct pg_report *r);
/* The finding of metric, or NULL. */
const struct pg_finding *pg_report_finding(const struct pg_report *r, const char *metric);
/* "CPU profile: baseline: 812 samples, current: 790 samples (...)" into out;
 * 0 when there is no profile on either side. */
int pg_report_samples(const struct pg_report *r, char *out, size_t len);
/* The warning that getrandom.* sees only syscalls, when the current
 * workload is a Go 1.24+ binary on Linux 6.11+ (vDSO getrandom); 0 else. */
int pg_report_vdso_note(const struct pg_report *r, char *out, size_t len);
/* A paired row's interval, "[-2.1, +3.4]"; "-" without one. */
void pg_report_fmt_interval(char *out, size_t len, const struct pg_compare_row *w);
/* What the reference was, in one sentence without a final period:
 * "reference 1a2b3c4d5e6f, re-measured here in 3 paired rounds" or
 * "the baseline of 1a2b3c4d5e6f (2 commits back)". */
void pg_report_fmt_reference(char *out, size_t len, const struct pg_verdict *v);
/* "pass", "REGRESSION", "inconclusive": the whole run, for headlines. */
const char *pg_report_outcome(const struct pg_verdict *v);
/* 1 when any row carries a stored baseline beside a paired reference. */
int pg_report_has_stored(const struct pg_verdict *v);
/* reference.json: the re-measured reference of a paired check. */
int pg_report_reference(FILE *f, const struct pg_report *r, struct pg_err *err);

/* The host-mismatch line every report carries when the baseline's host
 * facts (CPU model, cores, kernel) differ from the current run's: 1 and
 * the line in out, else 0. */
int pg_report_host_note(const struct pg_report *r, char *out, size_t n);

int pg_report_text(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_json(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_junit(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_markdown(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_openmetrics(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_flame(FILE *f, const struct pg_report *r, struct pg_err *err);
int pg_report_html(FILE *f, const struct pg_report *r, struct pg_err *err);
/* The getrandom latency histogram of both sides as inline SVG; 0 (nothing
 * written) when neither side has one. */
int pg_report_hist_svg(FILE *f, const struct pg_report *r);

#endif
