// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* memrchr */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"

#define MAX_PORT 65535

int pg_url_is_http(const char *url)
{
	return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* RFC 3986 reg-name and IPv4 characters: unreserved, sub-delims and
 * percent-encoding. */
static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~%!$&'()*+,;=", c));
}

/* An IP literal, "[" IPv6 "]": hex digits, ':' and '.' (an embedded IPv4),
 * at least one ':'. */
static int ip_literal(const char *h, size_t n)
{
	size_t i, colons = 0;

	if (n < 4 || h[0] != '[' || h[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++) {
		if (h[i] == ':')
			colons++;
		else if (!strchr("0123456789abcdefABCDEF.", h[i]))
			return 0;
	}
	return colons >= 2;
}

/* host[:port] of the authority a..a+n (userinfo already gone): the host's
 * length, and the port (-1: none). */
static int split_host_port(const char *a, size_t n, size_t *hlen, long *port)
{
	const char *colon = NULL;
	size_t i;

	if (n && a[0] == '[') {
		colon = memchr(a, ']', n);
		if (!colon)
			return -1;
		colon = colon + 1 < a + n ? colon + 1 : NULL;
		if (colon && *colon != ':')
			return -1;
	} else {
		colon = memchr(a, ':', n);
	}
	*hlen = colon ? (size_t)(colon - a) : n;
	*port = -1;
	if (!colon || colon + 1 == a + n)
		return 0; /* an empty port is the scheme's default (RFC 3986 6.2.3) */
	*port = 0;
	for (i = (size_t)(colon + 1 - a); i < n; i++) {
		if (a[i] < '0' || a[i] > '9' || (*port = *port * 10 + (a[i] - '0')) > MAX_PORT)
			return -1;
	}
	return 0;
}

static int valid_host(const char *h, size_t n)
{
	size_t i;

	if (h[0] == '[')
		return ip_literal(h, n);
	for (i = 0; i < n; i++)
		if (!host_char(h[i]))
			return 0;
	return 1;
}

int pg_url_origin(const char *url, char *out, size_t n, struct pg_err *err)
{
	const char *auth, *at, *p;
	size_t alen, hlen;
	int https = !strncasecmp(url, "https://", 8), len;
	long port;

	if (!pg_url_is_http(url))
		return pg_err_set(err, PG_EINPUT, "URL '%s' is not http:// or https://", url);
	for (p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return pg_err_set(err, PG_EINPUT,
					  "bad URL '%s': it holds a space or control character",
					  url);
	auth = url + (https ? 8 : 7);
	alen = strcspn(auth, "/?#");
	at = memrchr(auth, '@', alen);
	if (at) {
		alen -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	if (split_host_port(auth, alen, &hlen, &port))
		return pg_err_set(err, PG_EINPUT, "bad URL '%s': malformed host or port", url);
	if (!hlen)
		return pg_err_set(err, PG_EINPUT, "bad URL '%s': it has no host", url);
	if (!valid_host(auth, hlen))
		return pg_err_set(err, PG_EINPUT, "bad URL '%s': malformed host", url);
	len = port < 0 ? snprintf(out, n, "%s://%.*s", https ? "https" : "http", (int)hlen, auth)
		       : snprintf(out, n, "%s://%.*s:%ld", https ? "https" : "http", (int)hlen,
				  auth, port);
	if (len < 0 || (size_t)len >= n)
		return pg_err_set(err, PG_EINPUT, "URL '%s' is too long", url);
	return 0;
}

uint16_t pg_url_port(const char *url)
{
	const char *p = strstr(url, "://"), *end;
	unsigned long v;

	if (!p)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	if (*p == '[') /* IPv6 literal */
		p = strchr(p, ']') ? strchr(p, ']') : end;
	while (p < end && *p != ':')
		p++;
	if (p < end && *p == ':') {
		v = strtoul(p + 1, NULL, 10);
		return v > 0 && v < 65536 ? (uint16_t)v : 0;
	}
	if (!strncmp(url, "https://", 8))
		return 443;
	return !strncmp(url, "http://", 7) ? 80 : 0;
}

int pg_url_is_loopback(const char *url)
{
	char origin[1024], host[256];
	struct in_addr a;
	const char *h, *end;
	size_t n;

	if (pg_url_origin(url, origin, sizeof(origin), NULL))
		return 0;
	h = strstr(origin, "://") + 3;
	end = h[0] == '[' ? strchr(h, ']') + 1 : h + strcspn(h, ":");
	n = (size_t)(end - h);
	if (n >= sizeof(host))
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	if (!strcasecmp(host, "localhost") || !strcmp(host, "[::1]"))
		return 1;
	return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}
