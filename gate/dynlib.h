// SPDX-License-Identifier: MIT
/* libgit2 and libcurl, loaded with dlopen() the first time a command needs
 * them, so that profile, compare and the --help/--version paths do not pay
 * for mapping and relocating their ~40 transitive libraries at every start.
 * The tables are process-wide, filled once, never unloaded; call sites use
 * pg_libgit2.<fn> / pg_libcurl.<fn> after a successful _load. */
#ifndef PG_DYNLIB_H
#define PG_DYNLIB_H

#include <curl/curl.h>
#include <git2.h>

#include "err.h"

/* The functions perfgate calls, without their library prefix. */
#define PG_LIBGIT2_FNS(X)             \
	X(libgit2_init)               \
	X(libgit2_shutdown)           \
	X(error_last)                 \
	X(oid_tostr)                  \
	X(oid_cpy)                    \
	X(reference_name_to_id)       \
	X(repository_open_ext)        \
	X(repository_free)            \
	X(repository_workdir)         \
	X(repository_is_shallow)      \
	X(repository_commondir)       \
	X(status_options_init)        \
	X(status_list_new)            \
	X(status_list_free)           \
	X(status_list_entrycount)     \
	X(commit_lookup)              \
	X(commit_free)                \
	X(commit_id)                  \
	X(commit_parentcount)         \
	X(commit_parent)              \
	X(revparse_single)            \
	X(object_peel)                \
	X(object_id)                  \
	X(object_free)                \
	X(merge_base)                 \
	X(oid_fromstr)                \
	X(object_type)                \
	X(checkout_options_init)      \
	X(checkout_tree)              \
	X(blob_free)                  \
	X(blob_lookup)                \
	X(blob_rawcontent)            \
	X(blob_rawsize)               \
	X(commit_tree)                \
	X(diff_free)                  \
	X(diff_get_delta)             \
	X(diff_num_deltas)            \
	X(diff_options_init)          \
	X(diff_tree_to_tree)          \
	X(repository_head_unborn)     \
	X(tree_entry_bypath)          \
	X(tree_entry_filemode)        \
	X(tree_entry_free)            \
	X(tree_entry_id)              \
	X(tree_entry_type)            \
	X(tree_free)                  \
	X(commit_create)              \
	X(tree_lookup)                \
	X(index_new)                  \
	X(index_read_tree)            \
	X(index_add)                  \
	X(index_write_tree_to)        \
	X(index_free)                 \
	X(blob_create_from_buffer)    \
	X(signature_default)          \
	X(signature_now)              \
	X(signature_free)             \
	X(branch_create)              \
	X(reference_free)             \
	X(repository_config_snapshot) \
	X(repository_item_path)       \
	X(config_get_string_buf)      \
	X(config_free)                \
	X(buf_dispose)

#define PG_LIBCURL_FNS(X) \
	X(global_init)    \
	X(easy_init)      \
	X(easy_setopt)    \
	X(easy_perform)   \
	X(easy_getinfo)   \
	X(easy_cleanup)   \
	X(easy_strerror)  \
	X(url)            \
	X(url_set)        \
	X(url_get)        \
	X(url_cleanup)    \
	X(url_strerror)   \
	X(slist_append)   \
	X(slist_free_all) \
	X(easy_escape)    \
	X(free)

/* __typeof__ keeps every call type-checked against the library's header. */
#define PG_DYNLIB_GIT_PTR(f) __typeof__(git_##f) *f;
#define PG_DYNLIB_CURL_PTR(f) __typeof__(curl_##f) *f;

struct pg_libgit2 {
	PG_LIBGIT2_FNS(PG_DYNLIB_GIT_PTR)
};

struct pg_libcurl {
	PG_LIBCURL_FNS(PG_DYNLIB_CURL_PTR)
};

/* Valid after the matching _load returned 0. */
extern struct pg_libgit2 pg_libgit2;
extern struct pg_libcurl pg_libcurl;

/* Load the library and resolve every function, once per process (thread-
 * safe); later calls return the first outcome. PG_EINFRA when the library
 * or a symbol is missing. */
int pg_libgit2_load(struct pg_err *err);
int pg_libcurl_load(struct pg_err *err);

/* Whether repository_open_ext's rc is git's refusal of a repository that
 * another user owns (safe.directory). */
int pg_libgit2_owner_refused(int rc);

/* That refusal of the repository at dir, said with its fix: PG_EINPUT. */
int pg_libgit2_owner_error(const char *dir, struct pg_err *err);

/* code, with "<fmt...>: <libgit2's last error>" in err: how every caller
 * reports a failed libgit2 call. */
int pg_libgit2_fail(struct pg_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
