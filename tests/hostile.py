"""Hostile answers for replica routes (`ReplicaServer.routes`): what real servers send on a bad day. Synthetic."""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]


def answer(status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
           headers: dict[str, str] | None = None) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
    return route


def redirect(location: str, status: int = 301) -> Route:
    return answer(status, headers={"Location": location})


def drip(body: bytes, every: float) -> Route:
    """The whole length announced, then one byte every `every` seconds."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for index in range(len(body)):
                handler.wfile.write(body[index : index + 1])
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client gave up, as it should
        handler.close_connection = True
    return route


def endless(chunk: bytes = b"<p>" + b"x" * 65_536 + b"</p>", announce_length: bool = False) -> Route:
    """A body with no announced length that never ends (or claims a huge one): only a size cap stops it."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if announce_length:
            handler.send_header("Content-Length", str(400 * 1024 * 1024))
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(b"<html><body>")
            for _ in range(10_000):  # about 650 MB at most
                handler.wfile.write(chunk)
        except OSError:
            pass
        handler.close_connection = True
    return route


def slow(route: Route, seconds: float) -> Route:
    """`route`, answered only after `seconds` (a page the crawl waits on)."""
    def delayed(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        route(handler)
    return delayed


def listing_with(server: Any, listing: str, hrefs: list[str]) -> None:
    """Serve the replica's listing page `listing` with extra article links in front, as portals carry them
    (the Hải Phòng portal markup: `ul.list-news > li.item-news > a.title-news`)."""
    body = server.pages[listing].body.replace("__REPLICA_ORIGIN__", server.url)
    extra = "".join(f'<li class="item-news"><a class="title-news" href="{h}">Bài thêm</a></li>' for h in hrefs)
    server.routes[listing] = answer(200, body.replace('<ul class="list-news">', '<ul class="list-news">' + extra, 1).encode("utf-8"))
