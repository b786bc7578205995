"""A hostile replica: pages as real portals serve them on a bad day, for the content-path guarantees (issue 10).

`HostileServer` serves two sites on 127.0.0.1, shaped like kinhtedothi (listing, RSS feed, sitemap, JSON-LD,
rel=canonical) and the Hanoi portal platform (thanhxuan, view counters). All content is synthetic: generated
here from the replica renderers, never recorded from a real page. Point a crawl at it with
`CRAWLER_BASE_URL_KINHTEDOTHI=<url>/kinhtedothi` and `CRAWLER_BASE_URL_THANHXUAN=<url>/thanhxuan`.

    listing page     links no browser follows (javascript:, mailto:, tel:, malformed host or port), one
                     article linked 24 times under session ids and tracking parameters
    "Xem thêm" JSON  the next articles, and one entry whose address is `javascript:void(0)`
    rss / sitemap    one bad <link> / <loc> among good ones
    canonical-*      rel=canonical to the home page, to a category, to another host
    json-sau-*       JSON-LD nested 100,000 deep; 3,000 nested @graph objects
    ngay-2099/1890   every date on the page says 2099 (or 1890)
    sai-charset      UTF-8 page served as `charset=iso-8859-1`, its <meta> says utf-8
    ky-tu-null       a page containing `&#0;`
    trang-8mb        an 8 MB article (under the 10 MiB size limit)
    an-chu           text in <textarea> and <object>, bidi controls, a 1 MB title, javascript:/data: images
    luot-xem-*       "Lượt xem: 99999999999999999999999" and a 5,000-digit count (thanhxuan)
    ky-hop-qua-lon   a conference report of session number 99999999999999999999999 (thanhxuan)
"""

from __future__ import annotations

import json
import threading
from html import escape
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.replica.render import (
    KDT_CATEGORY_ID,
    ORIGIN,
    Article,
    article_path,
    render_hanoi_article,
    render_hanoi_listing,
    render_kinhtedothi_article,
    render_kinhtedothi_listing,
)

BAD_HREFS: tuple[str, ...] = (
    "javascript:void(0)",
    "javascript:;",
    "mailto:banbientap@example.vn",
    "tel:+842438251234",
    "http://[::1",
    "http://127.0.0.1:99999/kinhtedothi/x.html",
    "http://exa mple.vn/x.html",
    "data:text/html,<p>x</p>",
)
#: One article linked under session ids and tracking parameters, as portals' listings and shares print it.
SESSION_SUFFIXES: tuple[str, ...] = tuple(
    suffix
    for n in range(4)
    for suffix in (
        f"?PHPSESSID=a{n}b2c3d4e5f6", f";jsessionid=0A1B2C3D{n}", f"?sid={n}f9e8d7", f"?s={n}abc",
        f"?utm_source=zalo&utm_medium=share{n}", f"?fbclid=IwAR{n}xyz",
    )
)
DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_GRAPH = '{"@graph": ' * 3_000 + '{"@type": "NewsArticle", "headline": "x"}' + "}" * 3_000
HUGE_VIEWS = "99999999999999999999999"
BIDI = "\u202e\u2066\u200f"


@dataclass
class Reply:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


def _text(slug: str, words: str) -> str:
    return (
        f"Chiều 3/10, Ban Thường vụ tổ chức hội nghị chuyên đề về {words} (bài {slug}). Hội nghị đánh giá kết quả "
        "thực hiện nhiệm vụ trọng tâm, thống nhất giải pháp nâng cao chất lượng phục vụ người dân và doanh nghiệp; "
        "các đại biểu thảo luận, đóng góp nhiều ý kiến vào dự thảo kế hoạch năm tới của địa phương."
    )


def article(site: str, slug: str, title: str, when: str | None = "2025-06-20 08:00", views: int | None = None) -> Article:
    """A synthetic article whose text is its own (so no two are copies of each other)."""
    lead = _text(slug, title.lower())
    blocks = [{"type": "p", "text": lead + " " + slug.replace("-", " ") + " mở rộng."}, {"type": "p", "text": lead[::-1]}]
    return Article(site=site, slug=slug, title=title, category="Thời sự",
                   published=datetime.fromisoformat(when) if when else None, views=views, lead=lead, blocks=blocks,
                   author="Nhóm PV")


def _kdt(slug: str, title: str, when: str | None = "2025-06-20 08:00") -> Article:
    return article("kinhtedothi", slug, title, when)


LISTED = [_kdt(f"bai-thuong-{n:02d}", f"Hội nghị thường kỳ số {n:02d} của quận") for n in range(1, 5)]
PAGE_TWO = [_kdt(f"bai-trang-hai-{n:02d}", f"Hội nghị trang hai số {n:02d}") for n in range(1, 3)]
FEED_ONLY = [_kdt(f"bai-rss-{n:02d}", f"Tin từ nguồn RSS số {n:02d}") for n in range(1, 3)]
SITEMAP_ONLY = [_kdt(f"bai-sitemap-{n:02d}", f"Tin từ sơ đồ trang số {n:02d}") for n in range(1, 3)]
SESSION = _kdt("bai-co-phien", "Hội nghị có mã phiên trong liên kết")
CANONICALS = {
    "canonical-trang-chu": f"{ORIGIN}/kinhtedothi/",
    "canonical-chuyen-muc": f"{ORIGIN}/kinhtedothi/chinh-tri",
    "canonical-trang-khac": "https://example.org/bai-viet-khac.html",
}
JSON_CASES = {"json-sau-mang": DEEP_JSON, "json-sau-graph": DEEP_GRAPH}
DATE_CASES = {"ngay-2099": "2099-01-01 08:00", "ngay-1890": "1890-05-01 08:00"}
THANHXUAN = [article("thanhxuan", f"luot-xem-{n}", f"Hội nghị có lượt xem lớn số {n}", views=1) for n in (1, 2)]
#: A conference report whose session number is 23 digits long.
HUGE_SESSION = article("thanhxuan", "ky-hop-qua-lon", f"Ban Chấp hành Đảng bộ quận tổ chức Hội nghị lần thứ {HUGE_VIEWS}", views=5)
#: Ordinary articles beside them, so the site's view-count coverage stays above the health floor.
THANHXUAN_ORDINARY = [
    article("thanhxuan", f"binh-thuong-{n:02d}", f"Hội nghị bình thường số {n:02d}", views=100 + n) for n in range(1, 19)
]


def _kdt_page(item: Article, others: list[Article] | None = None) -> str:
    return render_kinhtedothi_article(item, others or [])


def _with_canonical(html: str, canonical: str) -> str:
    start = html.index('<link rel="canonical" href="')
    end = html.index(">", start)
    return html[:start] + f'<link rel="canonical" href="{canonical}">' + html[end + 1 :]


def _with_json_ld(html: str, raw: str) -> str:
    return html.replace("</head>", f'<script type="application/ld+json">{raw}</script></head>', 1)


#: The body container of kinhtedothi's current design, where injected blocks go.
_BODY_OPEN = '<div class="article-content">'


def _hidden_text_page() -> str:
    item = _kdt("an-chu", "Hội nghị có chữ ẩn")
    html = _kdt_page(item)
    html = html.replace(
        f">{item.title}</h1>", ">" + BIDI + "Hội nghị có chữ ẩn " + "rất dài " * 131_072 + "</h1>", 1
    )
    hidden = (
        "<p>Đoạn thật có ký tự điều khiển" + BIDI + " hai chiều giữa câu.</p>"
        "<textarea name='c'>CHỮ TRONG Ô NHẬP</textarea>"
        "<object data='x.swf'>CHỮ TRONG ĐỐI TƯỢNG NHÚNG</object>"
        '<figure class="article-photo"><img src="javascript:alert(1)"><figcaption>Ảnh một</figcaption></figure>'
        '<figure class="article-photo"><img src="data:image/png;base64,iVBORw0KGgo="><figcaption>Ảnh hai</figcaption></figure>'
        '<figure class="article-photo"><img src="/kinhtedothi/images/that.jpg"><figcaption>Ảnh ba</figcaption></figure>'
    )
    return html.replace(_BODY_OPEN, _BODY_OPEN + hidden, 1)


def _huge_page() -> str:
    item = _kdt("trang-8mb", "Hội nghị có trang rất lớn")
    paragraph = "<p>" + " ".join(f"từ{n} thứ{n % 97}" for n in range(120)) + "</p>\n"
    filler = paragraph * (8 * 1024 * 1024 // len(paragraph.encode()))
    return _kdt_page(item).replace(_BODY_OPEN, _BODY_OPEN + filler, 1)


def _kdt_pages() -> dict[str, Reply]:
    pages: dict[str, Reply] = {}

    def put(item: Article, html: str | None = None, content_type: str = "text/html; charset=utf-8") -> None:
        pages[article_path(item)] = Reply((html or _kdt_page(item)).encode("utf-8"), content_type)

    for item in [*LISTED, *PAGE_TWO, *FEED_ONLY, *SITEMAP_ONLY, SESSION]:
        put(item)
    special: list[Article] = []
    for slug, target in CANONICALS.items():
        item = _kdt(slug, f"Bài có liên kết chuẩn lạ {slug}")
        special.append(item)
        put(item, _with_canonical(_kdt_page(item), target))
    for slug, raw in JSON_CASES.items():
        item = _kdt(slug, f"Bài có dữ liệu cấu trúc lồng sâu {slug}")
        special.append(item)
        put(item, _with_json_ld(_kdt_page(item), raw))
    for slug, when in DATE_CASES.items():
        item = _kdt(slug, f"Bài có ngày đăng không hợp lý {slug}", when)
        special.append(item)
        put(item)
    mismatch = _kdt("sai-charset", "Quận ủy tổ chức hội nghị, trang khai sai bảng mã")
    special.append(mismatch)
    pages[article_path(mismatch)] = Reply(_kdt_page(mismatch).replace("<head>", '<head><meta charset="utf-8">', 1).encode("utf-8"),
                                          "text/html; charset=iso-8859-1")
    nul = _kdt("ky-tu-null", "Bài có ký tự rỗng trong nội dung")
    special.append(nul)
    put(nul, _kdt_page(nul).replace("<p>", "<p>Mở đầu&#0; ", 1))
    hidden = _kdt("an-chu", "Hội nghị có chữ ẩn")
    huge = _kdt("trang-8mb", "Hội nghị có trang rất lớn")
    special += [hidden, huge]
    put(hidden, _hidden_text_page())
    put(huge, _huge_page())

    links = [article_path(a) for a in LISTED + special]
    links += list(BAD_HREFS) + [article_path(SESSION) + suffix for suffix in SESSION_SUFFIXES]
    listed = {article_path(a) for a in LISTED}
    listing = render_kinhtedothi_listing(LISTED, [escape(h, quote=True) for h in links if h not in listed])
    pages["/kinhtedothi/tin-tuc"] = Reply(listing.encode("utf-8"))
    more = [{"Title": a.title, "Url": article_path(a)} for a in PAGE_TWO] + [{"Title": "x", "Url": "javascript:void(0)"}]
    json_listing = f"/kinhtedothi/api/category/{KDT_CATEGORY_ID}/paging/"
    pages[json_listing + "2"] = Reply(json.dumps(more).encode(), "application/json; charset=utf-8")
    pages[json_listing + "3"] = Reply(b"[]", "application/json; charset=utf-8")
    feed_links = ["javascript:alert(1)", "http://[bad", *(f"{ORIGIN}{article_path(a)}" for a in FEED_ONLY)]
    feed = "".join(f"<item><title>Tin</title><link>{link}</link></item>" for link in feed_links)
    pages["/kinhtedothi/rss/home.rss"] = Reply(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>{feed}</channel></rss>'.encode(),
        "application/rss+xml; charset=utf-8",
    )
    locs = ["mailto:x@example.vn", "http://[::1/", *(f"{ORIGIN}{article_path(a)}" for a in SITEMAP_ONLY)]
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    pages["/kinhtedothi/sitemap.xml"] = Reply(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
        "application/xml; charset=utf-8",
    )
    return pages


def _thanhxuan_pages() -> dict[str, Reply]:
    pages: dict[str, Reply] = {}
    counts = {"luot-xem-1": HUGE_VIEWS, "luot-xem-2": "9" * 5_000}
    for item in THANHXUAN:
        html = render_hanoi_article(item, []).replace("View count: 1<", f"Lượt xem: {counts[item.slug]}<")
        pages[article_path(item)] = Reply(html.encode("utf-8"))
    for item in [*THANHXUAN_ORDINARY, HUGE_SESSION]:
        pages[article_path(item)] = Reply(render_hanoi_article(item, []).encode("utf-8"))
    listing = render_hanoi_listing("thanhxuan", [*THANHXUAN, *THANHXUAN_ORDINARY, HUGE_SESSION], 1, 1).encode("utf-8")
    pages["/thanhxuan/tin-tuc-su-kien"] = pages["/thanhxuan/tin-tuc-su-kien?cur=1"] = Reply(listing)
    return pages


def build_hostile_pages() -> dict[str, Reply]:
    pages = {**_kdt_pages(), **_thanhxuan_pages()}
    pages["/robots.txt"] = Reply(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
    return pages


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature fixed by the base class
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.server.count(self.path)
        # Like the real servers: an unknown query string or a `;jsessionid=` path parameter still finds the page.
        path = self.path.split(";", 1)[0].split("?", 1)[0] if self.path not in self.server.pages else self.path
        reply = self.server.pages.get(path) or Reply(b"<html><body>404</body></html>", status=404)
        host = self.headers.get("Host") or "%s:%s" % self.server.server_address[:2]
        body = reply.body.replace(ORIGIN.encode(), f"http://{host}".encode())
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.pages = build_hostile_pages()
        self.requests: dict[str, int] = {}
        self._lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def count(self, path: str) -> None:
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1

    @property
    def url(self) -> str:
        return "http://%s:%s" % self.server_address[:2]

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="hostile-server", daemon=True)
        thread.start()
        return thread
