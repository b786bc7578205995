"""Fault injection for the replica server (`crawler replica serve --faults`).

Each fault is a link on Lê Chân's first listing page, so an ordinary crawl meets it. The crawl must finish,
count every failure with its reason, and store nothing wrong or partial:

    loi-500-roi-200      500 on the first request, then the article     -> stored after a retry
    loi-503-retry-after  503 with Retry-After: 1, then the article      -> stored after a retry
    loi-het-gio          answers only after 10 s                        -> timeout, counted
    loi-nho-giot         drips one byte every 0.5 s                      -> timeout, counted
    loi-cat-ngang        promises more bytes than it sends, then closes -> truncated_body, counted
    loi-utf8             declared UTF-8, holds invalid bytes             -> dropped: encoding_errors
    trang-cp1258         declared windows-1258 and encoded so            -> stored, Vietnamese intact
    vong-lap-a / -b      redirect to each other forever                  -> redirect_loop, counted
    trang-20mb           a 20 MB page                                    -> too large, counted
"""

from __future__ import annotations

import time
import unicodedata
from datetime import datetime
from typing import Any

from crawler.replica.render import Article, render_haiphong_article

SITE = "lechan"
PREFIX = f"/{SITE}/tin-tuc-su-kien/"
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _article(slug: str, title: str, when: str) -> Article:
    paragraph = (
        f"Sáng 5/3, Quận ủy tổ chức hội nghị chuyên đề về chuyển đổi số ({title.lower()}). Hội nghị đánh giá kết quả "
        "triển khai các nhiệm vụ trọng tâm, thống nhất giải pháp đẩy mạnh cải cách hành chính, nâng cao chất lượng "
        "phục vụ người dân và doanh nghiệp trên địa bàn quận trong thời gian tới."
    )
    return Article(
        site=SITE, slug=slug, title=title, category="Tin tức - Sự kiện", published=datetime.fromisoformat(when),
        views=None, lead=paragraph, blocks=[{"type": "p", "text": paragraph + " Các đại biểu đã thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết."}] * 2,
        author="Ban Tuyên giáo Quận ủy",
    )


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes Vietnamese as a base letter (â, ê, ơ, ư, ă, đ precomposed) plus a combining tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = [p for p in parts if p in _TONE_MARKS]
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONE_MARKS))
        out.append(base + "".join(tones))
    return "".join(out).encode("cp1258")


ARTICLES = {
    "loi-500-roi-200": _article("loi-500-roi-200", "Hội nghị chuyên đề sau lỗi máy chủ tạm thời", "2025-06-20 08:00"),
    "loi-503-retry-after": _article("loi-503-retry-after", "Hội nghị chuyên đề sau khi máy chủ quá tải", "2025-06-20 09:00"),
    "trang-cp1258": _article("trang-cp1258", "Quận ủy Lê Chân triển khai chuyển đổi số trong cơ quan Đảng", "2025-06-20 10:00"),
    "loi-utf8": _article("loi-utf8", "Trang có byte UTF-8 hỏng", "2025-06-20 11:00"),
    "loi-cat-ngang": _article("loi-cat-ngang", "Trang bị cắt ngang giữa chừng", "2025-06-20 12:00"),
}
LINKS = [f"{PREFIX}{name}.html" for name in (
    "loi-500-roi-200", "loi-503-retry-after", "loi-het-gio", "loi-nho-giot", "loi-cat-ngang",
    "loi-utf8", "trang-cp1258", "vong-lap-a", "trang-20mb",
)]


class FaultState:
    """Per-server memory of which faults have fired (a 500 only the first time, and so on)."""

    def __init__(self) -> None:
        self.fired: set[str] = set()
        self._huge: bytes | None = None

    def huge(self) -> bytes:
        if self._huge is None:
            self._huge = b"<html><body>" + b"<p>" + "Nội dung lặp lại rất dài. ".encode() * 40 + b"</p>" * 1 + b"x" * (20 * 1024 * 1024) + b"</body></html>"
        return self._huge


def handle(handler: Any, path: str, state: FaultState, origin: str) -> bool:
    """Answer a fault path; False when the path is not a fault."""
    if not path.startswith(PREFIX):
        return False
    name = path[len(PREFIX) :].split("?")[0].removesuffix(".html")

    def page(article_name: str) -> bytes:
        html = render_haiphong_article(ARTICLES[article_name], [])
        return html.replace("__REPLICA_ORIGIN__", origin).encode("utf-8")

    def headers(status: int, length: int, content_type: str = "text/html; charset=utf-8", extra: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(length))
        for key, value in (extra or {}).items():
            handler.send_header(key, value)
        handler.end_headers()

    def send(status: int, body: bytes, content_type: str = "text/html; charset=utf-8", extra: dict[str, str] | None = None) -> None:
        headers(status, len(body), content_type, extra)
        handler.wfile.write(body)

    if name in ("loi-500-roi-200", "loi-503-retry-after"):
        if name not in state.fired:
            state.fired.add(name)
            status, extra = (500, {}) if name == "loi-500-roi-200" else (503, {"Retry-After": "1"})
            send(status, b"<html><body>temporarily unavailable</body></html>", extra=extra)
        else:
            send(200, page(name))
    elif name == "loi-het-gio":
        time.sleep(10)
        send(200, page("loi-500-roi-200"))
    elif name == "loi-nho-giot":
        body = page("loi-500-roi-200")
        headers(200, len(body))
        for index in range(0, min(len(body), 40)):
            handler.wfile.write(body[index : index + 1])
            handler.wfile.flush()
            time.sleep(0.5)
        handler.close_connection = True
    elif name == "loi-cat-ngang":
        body = page("loi-cat-ngang")
        headers(200, len(body))  # promises the whole page, sends half
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
    elif name == "loi-utf8":
        body = page("loi-utf8").replace("Trang có byte".encode(), b"Trang c\xf3 \xff\xfe byte")
        body = body.replace("Quận ủy tổ chức".encode(), b"Qu\xe2\xfan \xc2y t\xf4 ch\xfac")
        send(200, body)
    elif name == "trang-cp1258":
        html = render_haiphong_article(ARTICLES["trang-cp1258"], []).replace("__REPLICA_ORIGIN__", origin)
        html = html.replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
        send(200, to_cp1258(html), "text/html; charset=windows-1258")
    elif name in ("vong-lap-a", "vong-lap-b"):
        target = "vong-lap-b" if name == "vong-lap-a" else "vong-lap-a"
        headers(302, 0, extra={"Location": f"{PREFIX}{target}.html"})
    elif name == "trang-20mb":
        send(200, state.huge())
    else:
        return False
    return True
