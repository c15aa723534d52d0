#!/usr/bin/env python3
"""A file-layout GOPROXY upstream that answers every request after a fixed delay, like a mirror one
network round trip away. usage: slow_upstream.py ROOT PORT DELAY_MS
Keep-alive HTTP/1.1, one thread per connection; prints "ready" once listening."""
import functools, http.server, sys, time

root, port, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) / 1000.0


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {".info": "application/json", ".mod": "text/plain; charset=utf-8", ".zip": "application/zip", "": "text/plain; charset=utf-8"}

    def do_GET(self):
        time.sleep(delay)
        super().do_GET()

    def do_HEAD(self):
        time.sleep(delay)
        super().do_HEAD()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root))
server.daemon_threads = True
print("ready", flush=True)
server.serve_forever()
