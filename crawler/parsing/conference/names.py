"""Proper names found by capitalisation: Vietnamese capitalises every syllable of a place's or a person's name."""

from __future__ import annotations

import re

#: Words that are capitalised in a report but never part of a name that follows a committee or a title.
_NOT_NAME = frozenset({"khóa", "lần", "hội", "nhiệm", "tổ", "họp", "đã", "ban", "mở"})


#: Vietnamese family names. The first tier covers most of the population and never doubles as a place syllable;
#: the second holds rarer names that also occur in place names (Gia Lâm, Hà Nội).
FAMILY_NAMES_COMMON = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương".split()
)
FAMILY_NAMES_RARER = frozenset(
    "Lâm Phùng Mai Tô Hà Tạ Chu Cao Lưu Đinh Quách Kiều Lương Thái Tăng Lại Triệu Khúc Doãn Đàm Nông Mạc Hứa "
    "Từ La Thân Tống Châu Giang Kim Khổng Lục Ông Phí Thạch Bạch Nghiêm Quan Âu Diệp Đồng Ninh Lã Cù Văn Tôn "
    "Viên Hàn Chử Nhữ Lò Lỗ Mẫn Ứng Vi Yên Trình Mạch".split()
)


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
#: A name is at most four words: this many characters hold it and the word after it.
_NAME_SPAN = 120


def tokens(text: str) -> list[str]:
    """Words with punctuation split off, so a run of capitalised words stops at a comma or dash."""
    return _TOKEN.findall(text)


def leading_name(text: str, max_words: int = 4) -> str | None:
    words: list[str] = []
    for token in tokens(text[:_NAME_SPAN]):
        if not is_capitalised(token) or token.lower() in _NOT_NAME:
            break
        words.append(token)
        if len(words) == max_words:
            break
    return " ".join(words) or None


def leading_run(text: str) -> list[str]:
    run: list[str] = []
    for token in tokens(text[:_NAME_SPAN]):
        if not is_capitalised(token):
            break
        run.append(token)
    return run


def trailing_run(text: str) -> list[str]:
    """The capitalised words that end `text`."""
    run: list[str] = []
    for token in reversed(tokens(text[-_NAME_SPAN:])):
        if not is_capitalised(token):
            break
        run.append(token)
    return run[::-1]
