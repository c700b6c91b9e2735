#!/usr/bin/env python3
"""bench/receiver.py: a stand-in for CloudFormation's pre-signed ResponseURL (an S3 object URL), for bench/run.

Listens on 127.0.0.1 on a free port, writes that port to PORT_FILE once it listens, answers every PUT with 200 and
an empty body (as S3 does), and keeps each body as BODIES_DIR/<last path segment>.json, so that bench/run can check
that each cold invocation answered SUCCESS. GET answers 200 "ok" (a health check). Runs until killed.

    bench/receiver.py PORT_FILE BODIES_DIR
"""
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main(argv):
    if len(argv) != 3:
        print("usage: receiver.py PORT_FILE BODIES_DIR", file=sys.stderr)
        return 2
    port_file, bodies = argv[1], argv[2]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_PUT(self):  # noqa: N802 (the http.server naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            name = re.sub(r"[^A-Za-z0-9._-]", "_", self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]) or "root"
            tmp = os.path.join(bodies, "." + name + ".tmp")
            with open(tmp, "wb") as f:
                f.write(body)
            os.replace(tmp, os.path.join(bodies, name + ".json"))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format, *args):  # quiet: bench/run prints its own lines
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
