#!/usr/bin/env python3
"""A small stand-in for GitLab's merge-request notes API, on loopback, for
test_gitlab_note.sh. It checks the PRIVATE-TOKEN header (401 otherwise),
serves at most 2 notes a page whatever per_page asks (so a client must
follow X-Next-Page / Link), answers 500 to everything while STATE/fail
exists, and keeps the notes in STATE/notes.json and a request log (method,
path, query; never headers) in STATE/log.

usage: gitlab_api.py STATE_DIR TOKEN SEEDED_NOTES  (prints the port on stdout)
"""
import json
import os
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

STATE, TOKEN, SEEDED = sys.argv[1], sys.argv[2], int(sys.argv[3])
PAGE = 2
NOTES_RE = re.compile(r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes(?:/(\d+))?$")
notes = [{"id": 100 + i, "body": "a reviewer's comment %d" % i} for i in range(SEEDED)]


def save():
    with open(os.path.join(STATE, "notes.json.tmp"), "w") as f:
        json.dump(notes, f)
    os.rename(os.path.join(STATE, "notes.json.tmp"), os.path.join(STATE, "notes.json"))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body=None, headers=()):
        data = json.dumps(body if body is not None else {}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        with open(os.path.join(STATE, "log"), "a") as f:
            f.write("%s %s?%s\n" % (self.command, url.path, url.query))
        if os.path.exists(os.path.join(STATE, "fail")):
            return self.reply(500, {"message": "500 Internal Server Error"})
        if self.headers.get("PRIVATE-TOKEN") != TOKEN:
            return self.reply(401, {"message": "401 Unauthorized"})
        m = NOTES_RE.match(url.path)
        if not m:
            return self.reply(404, {"message": "404 Not Found"})
        return url, m

    def do_GET(self):
        r = self.route()
        if not r:
            return
        url, m = r
        if m.group(3):
            return self.reply(405)
        q = urllib.parse.parse_qs(url.query)
        page = int(q.get("page", ["1"])[0])
        chunk = notes[(page - 1) * PAGE:page * PAGE]
        more = page * PAGE < len(notes)
        headers = [("X-Page", str(page)), ("X-Next-Page", str(page + 1) if more else "")]
        if more:
            nxt = "http://%s:%d%s?page=%d&per_page=%d" % (
                self.server.server_address[0], self.server.server_address[1], url.path,
                page + 1, PAGE)
            headers.append(("Link", '<%s>; rel="next"' % nxt))
        self.reply(200, chunk, headers)

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(n) or b"{}")

    def do_POST(self):
        r = self.route()
        if not r:
            return
        note = {"id": 100 + len(notes) + 1000, "body": self.body()["body"]}
        notes.append(note)
        save()
        self.reply(201, note)

    def do_PUT(self):
        r = self.route()
        if not r:
            return
        _, m = r
        for note in notes:
            if str(note["id"]) == m.group(3):
                note["body"] = self.body()["body"]
                save()
                return self.reply(200, note)
        self.reply(404, {"message": "404 Note Not Found"})


srv = HTTPServer(("127.0.0.1", 0), Handler)
save()
print(srv.server_address[1], flush=True)
srv.serve_forever()
