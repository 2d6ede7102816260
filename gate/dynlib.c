// SPDX-License-Identifier: MIT
/* Why dlopen() rather than a helper executable (git's git-remote-http) or
 * fewer libraries: perfgate stays one binary with no protocol between two
 * processes, the Debian packages it depends on are the same, and a command
 * that needs neither git nor HTTP never maps them. The sonames are the ones
 * the build linked against (Makefile), so a library upgrade that changes
 * the ABI fails here with a clear message instead of at a call. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dynlib.h"

#ifndef PG_LIBGIT2_SONAME
#define PG_LIBGIT2_SONAME "libgit2.so"
#endif
#ifndef PG_LIBCURL_SONAME
#define PG_LIBCURL_SONAME "libcurl.so.4"
#endif

struct pg_libgit2 pg_libgit2;
struct pg_libcurl pg_libcurl;

/* One library: its table as an array of pointers, their names, and the
 * outcome of the single load attempt. */
struct lib {
	const char *soname;
	const char *prefix;
	const char *const *names;
	void **fns;
	size_t n;
	pthread_once_t once;
	int rc;
	char msg[sizeof(((struct pg_err *)0)->msg)];
};

#define PG_DYNLIB_NAME(f) #f,
static const char *const git_names[] = { PG_LIBGIT2_FNS(PG_DYNLIB_NAME) };
static const char *const curl_names[] = { PG_LIBCURL_FNS(PG_DYNLIB_NAME) };

static struct lib git_lib = { PG_LIBGIT2_SONAME,
			      "git_",
			      git_names,
			      (void **)&pg_libgit2,
			      sizeof(pg_libgit2) / sizeof(void *),
			      PTHREAD_ONCE_INIT,
			      0,
			      "" };
static struct lib curl_lib = { PG_LIBCURL_SONAME,
			       "curl_",
			       curl_names,
			       (void **)&pg_libcurl,
			       sizeof(pg_libcurl) / sizeof(void *),
			       PTHREAD_ONCE_INIT,
			       0,
			       "" };

static void fail(struct lib *l, const char *what)
{
	l->rc = PG_EINFRA;
	snprintf(l->msg, sizeof(l->msg),
		 "cannot load %s: %s; install it with scripts/install-deps.sh", l->soname,
		 what ? what : "unknown error");
}

/* The handle is kept for the life of the process: the table points into it. */
static void load(struct lib *l)
{
	char sym[64];
	void *h;
	size_t i;

	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fail(l, dlerror());
		return;
	}
	for (i = 0; i < l->n; i++) {
		snprintf(sym, sizeof(sym), "%s%s", l->prefix, l->names[i]);
		l->fns[i] = dlsym(h, sym);
		if (!l->fns[i]) {
			fail(l, dlerror());
			return;
		}
	}
}

static void load_git(void)
{
	load(&git_lib);
}

static void load_curl(void)
{
	load(&curl_lib);
}

int pg_libgit2_load(struct pg_err *err)
{
	pthread_once(&git_lib.once, load_git);
	return git_lib.rc ? pg_err_set(err, git_lib.rc, "%s", git_lib.msg) : 0;
}

int pg_libcurl_load(struct pg_err *err)
{
	pthread_once(&curl_lib.once, load_curl);
	return curl_lib.rc ? pg_err_set(err, curl_lib.rc, "%s", curl_lib.msg) : 0;
}

int pg_libgit2_owner_refused(int rc)
{
	const git_error *e = pg_libgit2.error_last();

	/* libgit2 1.5 reports the refusal as a missing safe.directory value
	 * (GIT_ENOTFOUND); later versions as GIT_EOWNER */
	return rc == GIT_EOWNER ||
	       (rc < 0 && e && e->message && strstr(e->message, "safe.directory"));
}

int pg_libgit2_owner_error(const char *dir, struct pg_err *err)
{
	return pg_err_set(err, PG_EINPUT,
			  "the git repository at '%s' belongs to another user, and git refuses "
			  "it; run perfgate as its owner, or mark it safe with 'git config "
			  "--global --add safe.directory <its path>'",
			  dir);
}

int pg_libgit2_fail(struct pg_err *err, int code, const char *fmt, ...)
{
	const git_error *e = pg_libgit2.error_last();
	char what[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return pg_err_set(err, code, "%s: %s", what,
			  e && e->message ? e->message : "unknown libgit2 error");
}
