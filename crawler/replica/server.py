"""HTTP server for the replica sites: every site under `/<site>/` on one loopback port.

It behaves like the real servers where the crawler cares: 404 for missing pages, a 500 for a broken one,
robots.txt, ETag / Last-Modified with 304 answers to conditional requests, and absolute URLs that name the
address the client used.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.replica import faults
from crawler.replica.render import CONTENT_DIR, FAMILIES, ORIGIN, SERVER_ERROR_PATHS, Page, recorded_pages, render_site

#: One fixed modification time: replica content changes only when its files do.
_LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def _front_page(site: str) -> str:
    """The path a visitor of the index should land on: the site's first listing (sites have no home page here)."""
    from crawler.sites import SITES

    definition = SITES.get(site)
    return definition.listing_paths[0] if definition and definition.listing_paths else "/"


def build_pages(sites: list[str] | None = None, content_dir: Path = CONTENT_DIR, with_faults: bool = False,
                recorded_dir: Path | None = None) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for site in sites or list(FAMILIES):
        pages.update(render_site(site, content_dir, extra_listing_links=faults.LINKS if with_faults and site == faults.SITE else ()))
        if recorded_dir is not None:
            pages.update(recorded_pages(site, recorded_dir))
    index = "".join(f'<li><a href="/{s}{_front_page(s)}">{s}</a></li>' for s in sites or FAMILIES)
    pages["/"] = Page(f"<!DOCTYPE html><html><body><h1>Replica sites</h1><ul>{index}</ul></body></html>")
    pages["/robots.txt"] = Page("User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
    return pages


class ReplicaHandler(BaseHTTPRequestHandler):
    server: ReplicaServer
    protocol_version = "HTTP/1.1"
    #: Kept-alive responses go out at once: with Nagle's algorithm on, a response's last segment waits for the
    #: client's delayed ACK (~40 ms on Linux), which capped every crawl of the replica far below its real speed.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature fixed by the base class
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
        self._respond(head_only=True)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._respond(head_only=False)

    def _respond(self, head_only: bool) -> None:
        self.server.count_request(self.path)
        path = self.path
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        route = self.server.routes.get(path)
        if route is not None:
            route(self)
            return
        if self.server.faults is not None and faults.handle(self, path, self.server.faults, f"http://{host}"):
            return
        pages = self.server.pages
        page = pages.get(path) or pages.get(path.split("?", 1)[0].rstrip("/") or "/") or pages.get(path.split("?", 1)[0])
        if path.split("?", 1)[0] in SERVER_ERROR_PATHS:
            page = Page("<html><body><h1>500 Internal Server Error</h1></body></html>", status=500)
        elif page is None:
            page = Page("<html><body><h1>404 Không tìm thấy trang</h1></body></html>", status=404)
        body = page.body.replace(ORIGIN, f"http://{host}").encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        not_modified = self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == _LAST_MODIFIED
        )
        if page.status == 200 and not_modified:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(body)))
        if page.status == 200:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _LAST_MODIFIED)
        self.end_headers_with(b"" if head_only else body)

    def end_headers_with(self, body: bytes) -> None:
        """End the headers and send them with `body` in one write (one segment train, no wait between the two)."""
        if not hasattr(self, "_headers_buffer"):  # an HTTP/0.9 request has no headers
            self._headers_buffer = []
        self._headers_buffer.append(b"\r\n" + body)  # http.server's header buffer, flushed in one write
        self.flush_headers()


class ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True
    #: The listen backlog. socketserver's default of 5 overflowed when a crawl opened its connections at once (six
    #: sites, 16 each): Linux drops the SYNs it has no room for and the client retries after 1, 3, 7, 15, 31 s,
    #: which stalled crawls for up to 31 s, past DOWNLOAD_TIMEOUT (30 s). Real servers listen with a deep queue.
    request_queue_size = 256

    def __init__(self, host: str = "127.0.0.1", port: int = 8800, sites: list[str] | None = None,
                 content_dir: Path = CONTENT_DIR, verbose: bool = False, with_faults: bool = False,
                 recorded_dir: Path | None = None) -> None:
        self.sites, self.content_dir, self.recorded_dir = sites, content_dir, recorded_dir
        self.pages = build_pages(sites, content_dir, with_faults, recorded_dir)
        self.faults = faults.FaultState() if with_faults else None
        #: Paths answered by a function instead of a page (tests add hostile answers: a robots.txt failing, a redirect).
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.verbose = verbose
        self.requests: dict[str, int] = {}
        self.request_log: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        super().__init__((host, port), ReplicaHandler)

    def reload(self) -> None:
        """Re-render every page from the content files (a test or benchmark added articles)."""
        self.pages = build_pages(self.sites, self.content_dir, self.faults is not None, self.recorded_dir)

    def count_request(self, path: str) -> None:
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            self.request_log.append((time.monotonic(), path))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="replica-server", daemon=True)
        thread.start()
        return thread
