"""What is not the article: page chrome by markup (navigation, footers, sidebars, portlets, share and print tools,
comments) and by its words ("Tin cùng chuyên mục", "Đọc nhiều", "In bài viết", "Bản quyền thuộc ...").

Vietnamese portals name the same boxes in many ways; the phrases are matched without tone marks and case, so
"TIN CÙNG CHUYÊN MỤC", "Tin cung chuyen muc" and "Các tin cùng chuyên mục:" are one heading.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lxml.etree import _Element

CHROME_TAGS = frozenset({"nav", "footer", "aside", "menu"})
#: Class or id fragments of chrome containers. Matched inside class/id names ("box-related-news", "tinlienquan").
_CHROME_FRAGMENTS = re.compile(
    r"related|relate-|lienquan|lien-quan|tinkhac|tin-khac|othernews|other-news|other_news|samecat|cungchuyenmuc|"
    r"cung-chuyen-muc|docnhieu|doc-nhieu|xemnhieu|xem-nhieu|most-?read|most-?view|popular|comment|binhluan|"
    r"binh-luan|share|sharing|social|facebook|zalo|breadcrumb|navbar|navigation|mainmenu|main-menu|topmenu|"
    r"top-menu|megamenu|submenu|sub-menu|sidebar|side-bar|footer|copyright|visitor|thongke|thong-ke|counter|"
    r"advert|quangcao|quang-cao|banner|weblink|lien-ket|lienket|pagination|paging|pager|tags?-?list|keyword|"
    r"tool-?bar|print-?tool|rating|vote|subscribe|newsletter|login|search",
    re.IGNORECASE,
)
#: Whole class/id names of chrome (too short or too common to match as fragments).
_CHROME_NAMES = frozenset(
    {"nav", "menu", "header", "site-header", "top", "tags", "tag", "tool", "tools", "ads", "ad", "widget", "print",
     "email", "mail", "portlet-title", "portlet-topper", "topbar"}
)
#: Containers whose names look like chrome fragments but hold articles (print views, content of a "share" CMS).
_CONTENT_NAMES = re.compile(r"content|article|detail|chitiet|chi-tiet|noidung|noi-dung|entry|post-body|story", re.IGNORECASE)


def is_chrome_element(element: _Element) -> bool:
    """Navigation, footer, sidebar, portlet or tool container, by tag or class/id; never an article container."""
    if element.tag in CHROME_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    if not names:
        return False
    if any(name in _CHROME_NAMES for name in names):
        return True
    return any(_CHROME_FRAGMENTS.search(name) and not _CONTENT_NAMES.search(name) for name in names)


def _fold_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0xC0, 0x1EFA):
        char = chr(code)
        base = "".join(ch for ch in unicodedata.normalize("NFD", char) if not unicodedata.combining(ch))
        if base != char and base.isascii():
            table[code] = base
    return table


_FOLD = _fold_table()
_NOT_WORD = re.compile(r"[^\w%/]+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, tone marks and đ folded, punctuation to spaces: a key for matching phrases."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


#: Headings of boxes that follow or interrupt an article: related, same-category, most-read, comments.
_SECTION_HEADINGS = re.compile(
    r"^(?:cac |nhung )?(?:tin|bai|bai viet|tin tuc|tin bai)(?: khac)?(?: cung| lien quan| cung chuyen muc| cung loai| da dua| moi| moi nhat| moi hon| cu hon| truoc| noi bat| tieu diem| xem nhieu| doc nhieu| hot| nong| khac| anh)+\b"
    r"|^(?:doc|xem) (?:nhieu|them|tiep)\b|^(?:co the )?ban (?:co the )?quan tam\b|^dung bo lo\b|^(?:y kien|binh luan)\b"
    r"|^(?:gui )?(?:y kien|binh luan) (?:ban doc|cua ban)\b|^tin (?:anh|video)\b|^chuyen muc khac\b|^tieu diem\b"
    r"|^(?:tags?|tu khoa|the|chu de)\s*:?(?:\s|$)|^lien ket web(?:site)?\b|^thong ke truy cap\b|^(?:bai|tin) cung tac gia\b"
    r"|^(?:other|related|latest|most read|popular) (?:news|articles|posts)\b|^comments?\b|^you may also like\b",
)
#: Tool lines: print, e-mail, share, font size, back to top.
_TOOL_WORDS = re.compile(
    r"\b(?:in bai(?: viet| nay)?|ban in|gui (?:e ?mail|cho ban be|bai viet)|e ?mail|chia se|share|tweet|like|"
    r"luu (?:bai|tin)|quay (?:lai|ve)|tro (?:lai|ve)|ve dau trang|len dau trang|dau trang|co chu|font|a\+|a-|"
    r"phan hoi|bao loi|print|zalo|facebook|twitter|copy link|sao chep|nghe doc bai|dong cua so|dong lai|"
    r"xem ban in|in trang|phong to|thu nho|top)\b"
)
#: Footer and counter lines.
_FOOTER_WORDS = re.compile(
    r"ban quyen|copyright|©|co quan chu quan|giay phep|chiu trach nhiem (?:chinh|noi dung|xuat ban)|^dia chi\b|"
    r"^dien thoai\b|\bfax\b|ghi ro nguon|thiet ke (?:boi|va phat trien)|dang truy cap|dang online|"
    r"tong (?:so )?luot truy cap|user online|total visited|access in (?:day|week|month|year)|truy cap trong",
)


@lru_cache(maxsize=8192)
def is_section_heading(text: str) -> bool:
    """'Tin cùng chuyên mục', 'CÁC TIN KHÁC', 'Đọc nhiều', 'Bình luận', 'Từ khóa:' and their many variants."""
    if len(text) > 60:
        return False
    return bool(_SECTION_HEADINGS.match(fold(text)))


@lru_cache(maxsize=8192)
def is_tool_line(text: str) -> bool:
    """A short line made only of tool words: 'In bài viết | Gửi email | Chia sẻ', 'Về đầu trang'."""
    if len(text) > 100:
        return False
    folded = fold(text)
    if not folded or len(folded) > 80:
        return False
    rest = _TOOL_WORDS.sub(" ", folded)
    return len(rest.split()) <= 1 and len(folded.split()) <= 12


@lru_cache(maxsize=8192)
def is_footer_line(text: str) -> bool:
    """Copyright, publisher licence, address and visitor-counter lines."""
    if len(text) > 400:
        return False
    return bool(_FOOTER_WORDS.search(fold(text) if "©" not in text else "©"))


def clear_caches() -> None:
    """Forget memoised phrase checks (benchmarks call this so a page read twice costs what a new page costs)."""
    for function in (fold, is_section_heading, is_tool_line, is_footer_line):
        function.cache_clear()
