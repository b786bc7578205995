from __future__ import annotations

import unicodedata

import pytest

from crawler.parsing.text import (
    canonical_tone_marks,
    content_hash,
    joined_body_and_hash,
    normalise_inline,
    normalised_paragraphs,
    normalise_text,
    strip_outlet_prefix,
)
from crawler.parsing.urls import canonical_url


def test_nfc_and_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Quận  Thanh\u00a0Xuân\u200b")
    assert normalise_inline(decomposed) == "Quận Thanh Xuân"
    assert unicodedata.is_normalized("NFC", normalise_text(decomposed))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kinhtedothi - Chiều 3/10, Ban Chấp hành", "Chiều 3/10, Ban Chấp hành"),
        ("Kinhtedothi-Ngày 12/12, Ban chấp hành", "Ngày 12/12, Ban chấp hành"),
        ("(HNMO) - Sáng nay", "Sáng nay"),
        ("Hà Nội - Thủ đô", "Hà Nội - Thủ đô"),
    ],
)
def test_outlet_prefix(text: str, expected: str) -> None:
    assert strip_outlet_prefix(text) == expected


def test_content_hash_ignores_outlet_tag_case_and_spacing() -> None:
    a = "Kinhtedothi - Chiều 3/10, Ban Chấp hành tổ chức hội nghị.\n\nĐoạn hai."
    b = "Chiều 3/10,  Ban chấp hành tổ chức hội nghị\n\nĐoạn hai"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash("Chiều 4/10, Ban Chấp hành tổ chức hội nghị.\n\nĐoạn hai.")


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Kinhtedothi - Chiều 3/10, Ban Chấp hành tổ chức hội nghị.", "Đoạn  hai,\tcó dấu: “trích”!"],
        [unicodedata.normalize("NFD", "Quận ủy Thanh Xuân"), "\u200bHội nghị\u00a0lần thứ 9\r\n"],
        ["Hze\u200b\u0301 lần", "a\u2028b"],  # a zero-width space between a letter and its mark: not NFC once removed
        ["", "   "],
    ],
)
def test_body_joined_once_hashes_as_the_body_does(paragraphs: list[str]) -> None:
    """The normalise stage's one-pass hash equals the content hash of the body it builds (the long way)."""
    body, body_hash = joined_body_and_hash(normalised_paragraphs(paragraphs))
    assert body == "\n\n".join(p for p in (normalise_inline(p) for p in paragraphs) if p)
    assert body_hash == content_hash(body + "\n")  # another string: not the remembered fingerprint


@pytest.mark.parametrize(
    ("url", "canonical", "strip", "expected"),
    [
        ("https://x.vn/a?redirect=%2Fb&inheritRedirect=true", None, ("redirect", "inheritRedirect"), "https://x.vn/a"),
        ("https://x.vn/a.html?utm_source=fb#top", None, (), "https://x.vn/a.html"),
        ("https://x.vn/a.html?b=2&a=1", None, (), "https://x.vn/a.html?a=1&b=2"),
        ("https://x.vn/a.html?page=1", "/a.html", (), "https://x.vn/a.html"),
        ("https://x.vn/a.html", "https://other.vn/a.html", (), "https://x.vn/a.html"),  # off-site canonical ignored
    ],
)
def test_canonical_url(url: str, canonical: str | None, strip: tuple[str, ...], expected: str) -> None:
    assert canonical_url(url, canonical, strip) == expected


@pytest.mark.parametrize(("value", "expected"), [("1", 1.0), ("120", 120.0), (None, None), ("soon", None)])
def test_retry_after_header(value: str | None, expected: float | None) -> None:
    from crawler.middlewares.retry_after import retry_after_seconds

    assert retry_after_seconds(value) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Quận uỷ", "Quận ủy"),
        ("Thuỷ Nguyên", "Thủy Nguyên"),
        ("Hoà Bình", "Hòa Bình"),
        ("khoá XI", "khóa XI"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("khoẻ", "khỏe"),
        ("UỶ BAN", "ỦY BAN"),
        ("quý IV", "quý IV"),  # "qu" is a consonant: the same in both styles
        ("hoàn thành", "hoàn thành"),  # closed syllable: the same in both styles
        ("Quận ủy", "Quận ủy"),
    ],
)
def test_canonical_tone_marks(old: str, new: str) -> None:
    result = canonical_tone_marks(old)
    assert result == new and len(result) == len(old)
