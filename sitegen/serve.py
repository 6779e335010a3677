"""Dev server: build, then serve the output folder on 127.0.0.1."""

from __future__ import annotations

import functools
import sys
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from . import pipeline


def serve(opts: pipeline.BuildOptions, port: int) -> int:
    opts = replace(opts, base_url=opts.base_url or f"http://127.0.0.1:{port}/")
    report = pipeline.build(opts)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(report.output))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving {report.output} on http://127.0.0.1:{port}/ (Ctrl-C stops)", file=sys.stderr)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
