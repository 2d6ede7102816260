/* Scratch directories for the unit tests: a fresh directory under $TMPDIR
 * (default /tmp) named after the test, and its removal with everything in
 * it, without a shell (no system("rm -rf")) and without following links
 * out of it. The path is the caller's to free through pg_scratch_free. */
#ifndef PG_TEST_SCRATCH_H
#define PG_TEST_SCRATCH_H

/* A new empty directory "<tmp>/pg-<tag>-XXXXXX", or NULL (errno set). */
char *pg_scratch_new(const char *tag);

/* Remove dir and its contents and free the path; 0, or -1 if anything could
 * not be removed. NULL-safe. */
int pg_scratch_free(char *dir);

/* Run a shell command built printf-style (git in fixtures); a non-zero
 * status fails the test that called it. */
void pg_scratch_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
