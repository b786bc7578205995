from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.parsing.dates import VN_TZ, parse_date_from_url, parse_vn_datetime, resolve_day_phrase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publish date 04/10/2024 | 09:30  | Lượt xem: 66", "2024-10-04T09:30:00+07:00"),  # seed 000
        ("Ngày đăng 05/10/2020 | 14:51", "2020-10-05T14:51:00+07:00"),  # seed 002
        ("12:50 11/07/2024", "2024-07-11T12:50:00+07:00"),  # seed 003
        ("22:48 23/11/2024", "2024-11-23T22:48:00+07:00"),  # seed 003 related items
        ("Thứ Năm, 03/10/2024 20:05", "2024-10-03T20:05:00+07:00"),
        ("Thứ Năm, 03/10/2024 20:05 (GMT+7)", "2024-10-03T20:05:00+07:00"),
        ("Cập nhật: 05/01/2025 07:05 SA", "2025-01-05T07:05:00+07:00"),
        ("05/01/2025 03:05 CH", "2025-01-05T15:05:00+07:00"),
        ("2024-10-03T20:05:00+07:00", "2024-10-03T20:05:00+07:00"),  # JSON-LD
        ("2024-10-03T13:05:00Z", "2024-10-03T20:05:00+07:00"),  # UTC converted to Hanoi time
        ("Ngày 3 tháng 10 năm 2024", "2024-10-03"),  # words, through dateparser; no time given, none invented
        ("Sáng 05/10/2020", "2020-10-05"),
    ],
)
def test_publish_stamps(text: str, expected: str) -> None:
    parsed = parse_vn_datetime(text)
    assert parsed is not None
    assert parsed.isoformat() == expected


@pytest.mark.parametrize("text", ["", "   ", "Lượt xem: 66", "10 Jan, 03:32 PM", "Chiều 3/10", "31/02/2024 10:00"])
def test_no_full_date_gives_none(text: str) -> None:
    # "10 Jan, 03:32 PM" (seed 001's "Đừng bỏ lỡ" stamps) and "Chiều 3/10" carry no year: never guessed.
    assert parse_vn_datetime(text) is None


def test_errors_raise() -> None:
    with pytest.raises(ValueError):
        parse_vn_datetime("Lượt xem: 66", errors="raise")


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://x.vn/2024/10/03/bai-viet.html", "2024-10-03"), ("https://x.vn/bai-20241003.html", "2024-10-03"), ("https://x.vn/bai.html", None)],
)
def test_url_dates(url: str, expected: str | None) -> None:
    parsed = parse_date_from_url(url)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize(
    ("phrase", "anchor", "expected"),
    [
        ("Chiều 3/10", date(2024, 10, 4), date(2024, 10, 3)),  # seed 000
        ("Ngày 12/12", date(2023, 12, 12), date(2023, 12, 12)),  # seed 001
        ("Sáng ngày 02/10/2020", date(2020, 10, 5), date(2020, 10, 2)),  # seed 002
        ("Chiều ngày 10/7", date(2024, 7, 11), date(2024, 7, 10)),  # seed 003
        ("Chiều 5/4", None, None),  # seed 004: no publish date, no year -> unknowable
        ("Ngày 30/12", date(2025, 1, 2), date(2024, 12, 30)),  # year roll-over
        ("Sáng nay (12/4)", date(2024, 4, 12), date(2024, 4, 12)),
        ("Sáng nay", date(2024, 4, 12), date(2024, 4, 12)),
        ("Chiều qua", date(2023, 7, 6), date(2023, 7, 5)),
        ("hôm qua", date(2024, 3, 1), date(2024, 2, 29)),
        ("Sáng ngày 02/10/2020", None, date(2020, 10, 2)),
    ],
)
def test_meeting_days(phrase: str, anchor: date | None, expected: date | None) -> None:
    assert resolve_day_phrase(phrase, anchor) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ngày 24 - 02 - 2020", "2020-02-24"),
        ("05/01/2021 10:13 | 0", "2021-01-05T10:13:00+07:00"),
        ("Thứ hai, 05/10/2020 - 14:51", "2020-10-05T14:51:00+07:00"),
        ("14:51 | 05/10/2020", "2020-10-05T14:51:00+07:00"),
        ("05/10/2020 14:51 (GMT+07:00)", "2020-10-05T14:51:00+07:00"),
        ("Cập nhật: 08:30 - 05/10/2020", "2020-10-05T08:30:00+07:00"),
        ("21:08 20/07/2025", "2025-07-20T21:08:00+07:00"),
        ("Publish date 03/03/2020 | 14:00 | View count: 490", "2020-03-03T14:00:00+07:00"),
        ("Thứ Hai, ngày 05 tháng 10 năm 2020", "2020-10-05"),
        ("Ngày đăng: 09 Tháng 10 2023", "2023-10-09"),
        ("2020-10-05 14:51", "2020-10-05T14:51:00+07:00"),
        ("Cập nhật 1.234 lượt xem 05/10/2020", "2020-10-05"),
    ],
)
def test_more_printed_forms(text: str, expected: str) -> None:
    parsed = parse_vn_datetime(text)
    assert parsed is not None and parsed.isoformat() == expected


FETCHED = datetime(2025, 7, 21, 9, 30, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 giờ trước", "2025-07-21T07:30:00+07:00"),
        ("15 phút trước", "2025-07-21T09:15:00+07:00"),
        ("hôm qua 14:30", "2025-07-20T14:30:00+07:00"),
        ("Hôm qua", "2025-07-20"),
        ("3 ngày trước", "2025-07-18"),
        ("vừa xong", "2025-07-21T09:30:00+07:00"),
        ("15 tháng trước", None),  # no day: never a guess
        ("2 tuần trước", None),
    ],
)
def test_relative_stamps_resolve_against_the_fetch_time(text: str, expected: str | None) -> None:
    parsed = parse_vn_datetime(text, relative_to=FETCHED)
    assert (parsed.isoformat() if parsed else None) == expected
    if parsed:
        assert parsed.relative


def test_relative_stamp_without_a_fetch_time_is_none() -> None:
    assert parse_vn_datetime("2 giờ trước") is None


@pytest.mark.parametrize(("text", "expected"), [("Tháng Mười 5, 2020", "2020-10-05"), ("5 Tháng Mười Hai, 2020", "2020-12-05")])
def test_month_names(text: str, expected: str) -> None:  # WordPress's Vietnamese locale
    parsed = parse_vn_datetime(text)
    assert parsed is not None and parsed.isoformat() == expected


def test_cach_day_is_relative() -> None:
    parsed = parse_vn_datetime("cách đây 2 giờ", relative_to=FETCHED)
    assert parsed is not None and parsed.isoformat() == "2025-07-21T07:30:00+07:00"
