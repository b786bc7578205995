"""Conference facts on the five seed texts (expected values checked by hand against the seed captures)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.parsing.conference import SiteContext, extract_conference
from crawler.parsing.text import strip_outlet_prefix

CONTENT = Path(__file__).resolve().parent.parent / "crawler" / "replica" / "content"


def seed_text(seed: str) -> tuple[str, str]:
    """Title and plain body of a seed article as the pipelines see it (captions removed, outlet tag stripped)."""
    for path in CONTENT.glob("*.seeds.json"):
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            if article.get("seed") == seed:
                paragraphs = ([article["lead"]] if article.get("lead") else []) + [
                    b["text"] for b in article["blocks"] if b["type"] in ("p", "h")
                ]
                paragraphs[0] = strip_outlet_prefix(paragraphs[0])
                return article["title"], "\n\n".join(paragraphs)
    raise LookupError(seed)


HANOI_QUAN = {
    "thanhxuan": SiteContext("quận", "Thanh Xuân", "Hà Nội"),
    "badinh": SiteContext("quận", "Ba Đình", "Hà Nội"),
    "lechan": SiteContext("quận", "Lê Chân", "Hải Phòng"),
    "kinhtedothi": SiteContext(None, None, "Hà Nội"),
}

CASES = [
    (
        "000", date(2024, 10, 4), "thanhxuan",
        {"organ": "Ban Chấp hành Đảng bộ quận Thanh Xuân", "level": "quận", "locality": "Thanh Xuân", "province": "Hà Nội",
         "term": "VI", "term_number": 6, "term_period": "2020-2025", "session_number": 22, "held_on": "2024-10-03",
         "held_on_text": "Chiều 3/10", "presided_by": ["Bùi Huyền Mai"], "attendees": [], "targets": [],
         "review_period": "9 tháng năm 2024"},
    ),
    (
        "001", date(2023, 12, 12), "kinhtedothi",
        {"organ": "Ban chấp hành Đảng bộ huyện Thanh Trì", "level": "huyện", "locality": "Thanh Trì", "province": "Hà Nội",
         "term": "XXIV", "term_number": 24, "session_number": 16, "held_on": "2023-12-12", "held_on_text": "Ngày 12/12",
         "presided_by": [], "targets": ["18/18", "20/20", "7/10"], "review_period": "năm 2023"},
    ),
    (
        "002", date(2020, 10, 5), "badinh",
        {"organ": "Ban Chấp hành Đảng bộ quận", "level": "quận", "locality": "Ba Đình", "term": "XXVI", "term_number": 26,
         "session_number": 3, "held_on": "2020-10-02", "held_on_text": "Sáng ngày 02/10/2020",
         "presided_by": ["Hoàng Minh Dũng Tiến"], "targets": ["8/28"], "review_period": "9 tháng năm 2020"},
    ),
    (
        "003", date(2024, 7, 11), "lechan",
        {"organ": "Quận ủy Lê Chân", "level": "quận", "locality": "Lê Chân", "province": "Hải Phòng", "term": "XXIV",
         "session_number": 18, "held_on": "2024-07-10", "held_on_text": "Chiều ngày 10/7", "presided_by": ["Trần Thu Hương"],
         "targets": ["8/20"], "review_period": "6 tháng đầu năm 2024", "term_period": None},
    ),
    (
        "004", None, "thanhxuan",
        {"organ": "Ban Chấp hành Đảng bộ quận Thanh Xuân", "locality": "Thanh Xuân", "term": "VI", "term_period": "2020-2025",
         "session_number": 16, "held_on": None, "held_on_text": "Chiều 5/4", "attendees": ["Nguyễn Thị Tuyến"],
         "targets": ["17/17", "9/17", "13/13"]},
    ),
]


@pytest.mark.parametrize(("seed", "published", "site", "expected"), CASES, ids=[c[0] for c in CASES])
def test_seed_conferences(seed: str, published: date | None, site: str, expected: dict[str, object]) -> None:
    title, body = seed_text(seed)
    facts = extract_conference(title, body, published, HANOI_QUAN[site])
    assert facts.is_conference
    for name, value in expected.items():
        assert getattr(facts, name) == value, name


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Bế mạc Đại hội đại biểu Đảng bộ quận lần thứ XXVI", "Chiều 17/7, Đại hội đại biểu Đảng bộ quận lần thứ XXVI đã bế mạc. Tại hội nghị lần thứ nhất, Ban Chấp hành Đảng bộ quận khóa XXVI đã bầu Ban Thường vụ."),
        ("Kỳ họp thứ 14 HĐND quận Thanh Xuân khóa XIX", "Sáng 5/7, HĐND quận khai mạc Kỳ họp thứ 14. Chủ tịch HĐND quận Nguyễn Văn A chủ trì kỳ họp."),
        ("Hội nghị tiếp xúc cử tri", "Ban Thường vụ Quận ủy tổ chức hội nghị tiếp xúc cử tri trước kỳ họp thứ 8."),
        ("Thông xe cầu vượt", "Sáng 2/9, thành phố thông xe cầu vượt mới, giảm ùn tắc cho khu vực phía Tây."),
    ],
)
def test_non_conferences(title: str, body: str) -> None:
    assert not extract_conference(title, body, date(2024, 7, 20), HANOI_QUAN["thanhxuan"]).is_conference


def test_locality_only_from_site_when_text_says_quan() -> None:
    body = "Sáng 8/4, Ban Chấp hành Đảng bộ quận tổ chức hội nghị lần thứ mười lăm."
    assert extract_conference("", body, date(2024, 4, 9), HANOI_QUAN["badinh"]).locality == "Ba Đình"
    # A news site has no district of its own: the locality stays unknown rather than guessed.
    assert extract_conference("", body, date(2024, 4, 9), HANOI_QUAN["kinhtedothi"]).locality is None


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("Huyện ủy Đông Anh tổ chức Hội nghị Huyện ủy lần thứ mười hai.", 12),
        ("Ban Chấp hành Đảng bộ quận tổ chức Hội nghị lần thứ 25 (mở rộng).", 25),
        ("Ban Chấp hành Đảng bộ phường Kim Giang tổ chức hội nghị lần thứ hai mươi mốt.", 21),
        ("Thị ủy Sơn Tây tổ chức Hội nghị lần thứ XIV.", 14),
    ],
)
def test_session_number_forms(sentence: str, number: int) -> None:
    assert extract_conference("", sentence, date(2024, 1, 10)).session_number == number
