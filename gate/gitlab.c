// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "buf.h"
#include "dynlib.h"
#include "gitlab.h"
#include "http.h"

#define MAX_RESPONSE (16u << 20)
#define MAX_PAGES 200
#define TIMEOUT_MS 30000L

int pg_gitlab_mr_from_env(struct pg_gitlab_mr *mr, struct pg_err *err)
{
	static const char *const names[] = { "CI_API_V4_URL", "CI_PROJECT_ID",
					     "CI_MERGE_REQUEST_IID", "PERFGATE_GITLAB_TOKEN" };
	const char *v[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		v[i] = getenv(names[i]);
		if (!v[i] || !*v[i])
			return pg_err_set(err, PG_EUSAGE,
					  "--gitlab-note needs %s; run it in a merge-request "
					  "pipeline with PERFGATE_GITLAB_TOKEN set",
					  names[i]);
	}
	mr->api = v[0];
	mr->project = v[1];
	mr->iid = v[2];
	mr->token = v[3];
	return 0;
}

/* One API call: what goes out, and what came back. next is the URL of the
 * next page of a listing (from X-Next-Page or Link), empty on the last. */
struct call {
	const char *method, *url, *json;
	struct pg_buf resp;
	long status;
	char next_page[24];
	char next_link[2048];
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *userdata)
{
	struct call *c = userdata;

	return pg_buf_append(&c->resp, p, size * nmemb, NULL) ? 0 : size * nmemb;
}

/* GitLab paginates with X-Next-Page (offset pagination, which notes use)
 * and also sends Link: <...>; rel="next" (the only one under keyset
 * pagination); keep both. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *userdata)
{
	struct call *c = userdata;
	size_t n = size * nmemb;
	const char *lt, *gt;
	int len;

	if (n > 12 && !strncasecmp(p, "x-next-page:", 12)) {
		len = (int)strcspn(p + 12, "\r\n");
		snprintf(c->next_page, sizeof(c->next_page), "%.*s", len, p + 12);
	} else if (n > 5 && !strncasecmp(p, "link:", 5)) {
		for (lt = memchr(p, '<', n); lt; lt = memchr(gt, '<', n - (size_t)(gt - p))) {
			gt = memchr(lt, '>', n - (size_t)(lt - p));
			if (!gt)
				break;
			if (!strncmp(gt, ">; rel=\"next\"", 13) && gt - lt - 1 < 2048)
				snprintf(c->next_link, sizeof(c->next_link), "%.*s",
					 (int)(gt - lt - 1), lt + 1);
		}
	}
	return n;
}

/* The token is copied into one header line and wiped after the call. TLS
 * verification stays at libcurl's default (on); proxies from the
 * environment apply, as for any client of the GitLab API. */
static int call_run(const struct pg_gitlab_mr *mr, struct call *c, struct pg_err *err)
{
	char auth[512], errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL, *h2 = NULL;
	CURL *h = pg_libcurl.easy_init();
	CURLcode cc;
	int rc = 0;

	if (!h)
		return pg_err_set(err, PG_EINFRA, "cannot start libcurl");
	if (snprintf(auth, sizeof(auth), "PRIVATE-TOKEN: %s", mr->token) >= (int)sizeof(auth)) {
		rc = pg_err_set(err, PG_EUSAGE, "PERFGATE_GITLAB_TOKEN is too long");
		goto out;
	}
	hdrs = pg_libcurl.slist_append(NULL, auth);
	h2 = hdrs ? pg_libcurl.slist_append(hdrs, "Content-Type: application/json") : NULL;
	if (!h2) {
		rc = pg_err_nomem(err);
		goto out;
	}
	pg_http_setup(h, c->url, on_body, c, TIMEOUT_MS, errbuf);
	pg_libcurl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, c->method);
	if (c->json)
		pg_libcurl.easy_setopt(h, CURLOPT_POSTFIELDS, c->json);
	pg_libcurl.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	pg_libcurl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	pg_libcurl.easy_setopt(h, CURLOPT_HEADERDATA, c);
	cc = pg_libcurl.easy_perform(h);
	pg_libcurl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
	if (cc != CURLE_OK)
		rc = pg_err_set(err, PG_EINFRA, "GitLab API %s %s: %s", c->method, c->url,
				errbuf[0] ? errbuf : pg_libcurl.easy_strerror(cc));
	else if (c->status < 200 || c->status > 299)
		rc = pg_err_set(err, PG_EINFRA, "GitLab API %s %s: HTTP %ld%s", c->method, c->url,
				c->status,
				c->status == 401 || c->status == 403
					? " (PERFGATE_GITLAB_TOKEN needs the api scope)"
					: "");
out:
	explicit_bzero(auth, sizeof(auth));
	pg_libcurl.slist_free_all(hdrs);
	pg_libcurl.easy_cleanup(h);
	return rc;
}

static void call_reset(struct call *c, const char *method, const char *url, const char *json)
{
	pg_buf_release(&c->resp);
	memset(c, 0, sizeof(*c));
	c->resp = (struct pg_buf)PG_BUF_INIT(MAX_RESPONSE);
	c->method = method;
	c->url = url;
	c->json = json;
}

/* The id of the first note in page (a JSON array) whose body holds marker. */
static long note_in_page(const struct call *c, const char *marker)
{
	json_t *arr = json_loadb(c->resp.data ? c->resp.data : "", c->resp.len, 0, NULL);
	json_t *n, *body;
	long id = 0;
	size_t i;

	json_array_foreach (arr, i, n) {
		body = json_object_get(n, "body");
		if (json_is_string(body) && strstr(json_string_value(body), marker) &&
		    json_is_integer(json_object_get(n, "id"))) {
			id = (long)json_integer_value(json_object_get(n, "id"));
			break;
		}
	}
	json_decref(arr);
	return id;
}

/* The next page's URL: the Link header's when it stays under the API's
 * base URL (the token is never sent elsewhere), else from X-Next-Page. */
static int next_url(const struct pg_gitlab_mr *mr, const struct call *c, const char *notes,
		    char *out, size_t n)
{
	if (c->next_link[0] && !strncmp(c->next_link, mr->api, strlen(mr->api)))
		return snprintf(out, n, "%s", c->next_link) < (int)n;
	if (strspn(c->next_page, " 0123456789") != strlen(c->next_page) || atol(c->next_page) < 1)
		return 0;
	return snprintf(out, n, "%s?per_page=100&page=%ld", notes, atol(c->next_page)) < (int)n;
}

/* Walk the notes, page by page, for the one holding marker: 0 and *id 0
 * when there is none. */
static int find_note(const struct pg_gitlab_mr *mr, const char *notes, const char *marker, long *id,
		     struct pg_err *err)
{
	char url[2048];
	struct call c = { 0 };
	int page, rc = 0;

	*id = 0;
	if (snprintf(url, sizeof(url), "%s?per_page=100&page=1", notes) >= (int)sizeof(url))
		return pg_err_set(err, PG_EUSAGE, "CI_API_V4_URL is too long");
	for (page = 0; page < MAX_PAGES && !*id; page++) {
		call_reset(&c, "GET", url, NULL);
		rc = call_run(mr, &c, err);
		if (rc)
			break;
		*id = note_in_page(&c, marker);
		if (!*id && !next_url(mr, &c, notes, url, sizeof(url)))
			break;
	}
	pg_buf_release(&c.resp);
	return rc;
}

static int notes_url(const struct pg_gitlab_mr *mr, char *out, size_t n, struct pg_err *err)
{
	char *project = pg_libcurl.easy_escape(NULL, mr->project, 0);
	size_t alen = strlen(mr->api);
	int len;

	if (!project)
		return pg_err_nomem(err);
	while (alen && mr->api[alen - 1] == '/')
		alen--;
	len = snprintf(out, n, "%.*s/projects/%s/merge_requests/%s/notes", (int)alen, mr->api,
		       project, mr->iid);
	pg_libcurl.free(project);
	if (len >= (int)n || strspn(mr->iid, "0123456789") != strlen(mr->iid))
		return pg_err_set(err, PG_EUSAGE,
				  "CI_MERGE_REQUEST_IID is not a number or CI_API_V4_URL is too "
				  "long");
	return 0;
}

int pg_gitlab_note_upsert(const struct pg_gitlab_mr *mr, const char *marker, const char *body,
			  long *note_id, int *created, struct pg_err *err)
{
	char notes[1024], url[1100];
	struct call c = { 0 };
	json_t *req = NULL, *resp = NULL;
	char *json = NULL;
	int rc;

	*created = 0;
	if ((rc = pg_http_begin(err)) || (rc = notes_url(mr, notes, sizeof(notes), err)) ||
	    (rc = find_note(mr, notes, marker, note_id, err)))
		goto out;
	req = json_pack("{s:s}", "body", body);
	json = req ? json_dumps(req, JSON_COMPACT) : NULL;
	if (!json) {
		rc = pg_err_set(err, PG_EINPUT, "the note is not valid UTF-8");
		goto out;
	}
	snprintf(url, sizeof(url), "%s/%ld", notes, *note_id);
	call_reset(&c, *note_id ? "PUT" : "POST", *note_id ? url : notes, json);
	if ((rc = call_run(mr, &c, err)))
		goto out;
	*created = !*note_id;
	resp = json_loadb(c.resp.data ? c.resp.data : "", c.resp.len, 0, NULL);
	if (json_is_integer(json_object_get(resp, "id")))
		*note_id = (long)json_integer_value(json_object_get(resp, "id"));
out:
	json_decref(resp);
	free(json);
	json_decref(req);
	pg_buf_release(&c.resp);
	return rc;
}

/* The iid of the first merge request in c's response (a JSON array). */
static long first_iid(const struct call *c)
{
	json_t *arr = json_loadb(c->resp.data ? c->resp.data : "", c->resp.len, 0, NULL);
	json_t *iid = json_object_get(json_array_get(arr, 0), "iid");
	long v = json_is_integer(iid) ? (long)json_integer_value(iid) : 0;

	json_decref(arr);
	return v;
}

int pg_gitlab_mr_describe(const struct pg_gitlab_mr *mr, const char *source_branch,
			  const char *description, struct pg_err *err)
{
	char base[1024], url[2048], *project = NULL, *branch = NULL, *json = NULL;
	struct call c = { 0 };
	json_t *req = NULL;
	long iid;
	int rc = 0;

	if ((rc = pg_http_begin(err)))
		return rc;
	project = pg_libcurl.easy_escape(NULL, mr->project, 0);
	branch = pg_libcurl.easy_escape(NULL, source_branch, 0);
	req = json_pack("{s:s}", "description", description);
	json = req ? json_dumps(req, JSON_COMPACT) : NULL;
	if (!project || !branch || !json) {
		rc = pg_err_nomem(err);
		goto out;
	}
	snprintf(base, sizeof(base), "%s/projects/%s/merge_requests", mr->api, project);
	snprintf(url, sizeof(url), "%s?state=opened&source_branch=%s", base, branch);
	call_reset(&c, "GET", url, NULL);
	if ((rc = call_run(mr, &c, err)))
		goto out;
	if (!(iid = first_iid(&c))) {
		rc = pg_err_set(err, PG_EINFRA, "no open merge request from '%s'", source_branch);
		goto out;
	}
	snprintf(url, sizeof(url), "%s/%ld", base, iid);
	call_reset(&c, "PUT", url, json);
	rc = call_run(mr, &c, err);
out:
	pg_buf_release(&c.resp);
	free(json);
	json_decref(req);
	pg_libcurl.free(branch);
	pg_libcurl.free(project);
	return rc;
}
