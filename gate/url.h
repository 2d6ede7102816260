// SPDX-License-Identifier: MIT
/* URL syntax for the http:// and https:// URLs a config names (readiness,
 * pprof): checked and reduced to an origin without any network library,
 * so the config parser (a fuzz target) depends on nothing that talks to
 * the network. Pure; the caller owns every buffer. */
#ifndef PG_URL_H
#define PG_URL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* 1 if url starts with http:// or https:// (any case), else 0. */
int pg_url_is_http(const char *url);

/* Scheme (lowercased), host and port of an http(s) URL
 * ("http://127.0.0.1:8080"), for PERFGATE_TARGET_URL; userinfo, path, query
 * and fragment are dropped. PG_EINPUT, naming the URL, for another scheme,
 * a missing or malformed host or port, a space or control character, or an
 * origin longer than n - 1. */
int pg_url_origin(const char *url, char *out, size_t n, struct pg_err *err);

/* 1 if url's host is loopback: localhost, 127.0.0.0/8 or [::1]; 0 for any
 * other host and for a URL pg_url_origin refuses. */
int pg_url_is_loopback(const char *url);

/* The port of a URL ("http://h:8080/x" -> 8080, default 80/443), 0 if none. */
uint16_t pg_url_port(const char *url);

#endif
