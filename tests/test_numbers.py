from __future__ import annotations

import pytest

from crawler.parsing.numbers import parse_ordinal, parse_view_count, parse_vn_int, roman_to_int, words_to_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lượt xem: 66", 66),  # seed 000
        ("Publish date 04/10/2024 | 09:30  | Lượt xem: 66", 66),
        ("Lượt xem: 3.440.515", 3440515),
        ("lượt xem 1.234", 1234),
        ("Views: 12,681", 12681),
        ("Lượt xem: 1,2 nghìn", 1200),
        ("Lượt xem: 2k", 2000),
        ("Ngày đăng 05/10/2020 | 14:51", None),  # seed 002: no counter on the page
        ("", None),
        (None, None),
        ("42", 42),
        ("Lượt xem: 1,5 triệu", 1_500_000),  # "triệu" is a multiplier: not 15
        ("1,2K lượt xem", 1200),
        ("1.234 lượt xem", 1234),
        ("Lượt truy cập: 1.234", 1234),
        ("View count: 490", 490),
        ("(12 lượt đọc)", 12),
        ("1.5K views", 1500),
    ],
)
def test_view_counts(text: str | None, expected: int | None) -> None:
    assert parse_view_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Total visited: 3440515", 3440515), ("77,66%", 7766), ("1.005,6 tỷ", 10056), ("không có số", None)],
)
def test_vn_int(text: str, expected: int | None) -> None:
    assert parse_vn_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("VI", 6), ("XXIV", 24), ("XXVI", 26), ("XIV", 14), ("XVII", 17), ("IIII", None), ("ABC", None)],
)
def test_roman(text: str, expected: int | None) -> None:
    assert roman_to_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ba", 3),  # seed 002 "lần thứ ba"
        ("tư", 4),
        ("mười", 10),
        ("mười hai", 12),
        ("mười lăm", 15),
        ("hai mươi", 20),
        ("hai mươi mốt", 21),
        ("hai mươi tư", 24),
        ("ba mươi chín", 39),
        ("một trăm linh năm", 105),
        ("mươi", None),
        ("hội nghị", None),
    ],
)
def test_number_words(text: str, expected: int | None) -> None:
    assert words_to_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("22", 22), ("16", 16), ("ba", 3), ("nhất", 1), ("XIV", 14), ("25", 25), ("hai mươi mốt", 21), ("", None)],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected
