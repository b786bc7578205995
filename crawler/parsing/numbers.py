"""Numbers as Vietnamese pages write them: "3.440.515", "lần thứ hai mươi mốt", "khóa XXIV", "1,2 nghìn".

Vietnamese uses "." for thousands and "," for decimals, so `int("3.440")` style parsing from English habits would
silently read 3.44. Number words follow the spoken system: "mươi" multiplies by ten, "mốt"/"lăm"/"tư" are the
forms of 1/5/4 after a tens word, "linh"/"lẻ" marks an empty tens place.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_ORDINAL_ONLY = {"nhất": 1}
NUMBER_WORDS: frozenset[str] = frozenset(
    [*_DIGITS, *_ORDINAL_ONLY, "mười", "mươi", "trăm", "linh", "lẻ", "nghìn", "ngàn"]
)

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_to_int(text: str) -> int | None:
    """'XXIV' -> 24; None for anything that is not a well-formed Roman numeral."""
    value = text.strip().upper()
    if not value or not _ROMAN_RE.match(value):
        return None
    total = 0
    for i, ch in enumerate(value):
        n = _ROMAN[ch]
        total += -n if i + 1 < len(value) and _ROMAN[value[i + 1]] > n else n
    return total


def words_to_int(text: str) -> int | None:
    """Vietnamese number words to an int: 'ba' 3, 'mười hai' 12, 'hai mươi mốt' 21, 'một trăm linh năm' 105.

    Returns None when a word is not a number word, so callers can tell a number from ordinary text.
    """
    words = unicodedata.normalize("NFC", text).casefold().split()
    if not words:
        return None
    total = 0  # completed thousands
    current = 0  # value below one thousand being built
    unit: int | None = None  # last digit word seen, waiting for a multiplier
    for index, word in enumerate(words):
        if word in _ORDINAL_ONLY and index == 0 and len(words) == 1:
            return _ORDINAL_ONLY[word]
        if word in _DIGITS:
            if unit is not None:
                return None
            unit = _DIGITS[word]
        elif word == "mười":
            if unit is not None:
                return None
            current += 10
        elif word == "mươi":
            if unit is None:
                return None
            current += unit * 10
            unit = None
        elif word == "trăm":
            current += (unit if unit is not None else 1) * 100
            unit = None
        elif word in {"linh", "lẻ"}:
            continue
        elif word in {"nghìn", "ngàn"}:
            total += (current + (unit or 0) or 1) * 1000
            current, unit = 0, None
        else:
            return None
    return total + current + (unit or 0)


def parse_ordinal(text: str) -> int | None:
    """An ordinal as written after 'lần thứ' / 'kỳ họp thứ': digits, Roman numerals or number words.

    'lần thứ tư' uses 'tư' for 4 and 'thứ nhất' for 1; digits may carry a trailing parenthesis ('25 (mở rộng)').
    """
    value = text.strip().strip(".,;:)(")
    if not value:
        return None
    if value.isdigit():
        return int(value)
    if re.fullmatch(r"[IVXLCDM]+", value):
        return roman_to_int(value)
    return words_to_int(value)


_COUNT = re.compile(r"(\d[\d.,\s]*)\s*(k|nghìn|ngàn|tr|triệu)?\b", re.IGNORECASE)
_MULTIPLIERS = {"k": 1_000, "nghìn": 1_000, "ngàn": 1_000, "tr": 1_000_000, "triệu": 1_000_000}


def parse_vn_int(text: str | None) -> int | None:
    """'3.440.515' -> 3440515, '1,2 nghìn' -> 1200, '66' -> 66; None when no number is present."""
    if not text:
        return None
    match = _COUNT.search(unicodedata.normalize("NFC", text))
    if not match:
        return None
    digits = match.group(1).replace(" ", "").strip(".,")
    multiplier = _MULTIPLIERS.get((match.group(2) or "").casefold(), 1)
    if multiplier > 1 and "," in digits:
        whole, _, frac = digits.replace(".", "").partition(",")
        return int(round(float(f"{whole}.{frac}") * multiplier))
    digits = digits.replace(".", "").replace(",", "")
    return int(digits) * multiplier if digits.isdigit() else None


_VIEW_LABEL = re.compile(
    r"(?:lượt\s*xem|lượt\s*đọc|số\s*lượt\s*truy\s*cập|view\s*count|views?|đã\s*xem)\s*[:：]?\s*(\d[\d.,]*\s*(?:k|nghìn|ngàn)?)",
    re.IGNORECASE,
)


def parse_view_count(text: str | None) -> int | None:
    """The count after a view label ('Lượt xem: 66', 'Views: 1.234'), or a bare number; None if absent."""
    if not text:
        return None
    normalised = unicodedata.normalize("NFC", text)
    match = _VIEW_LABEL.search(normalised)
    if match:
        return parse_vn_int(match.group(1))
    stripped = normalised.strip()
    if re.fullmatch(r"\d[\d.,]*\s*(?:k|nghìn|ngàn)?", stripped, re.IGNORECASE):
        return parse_vn_int(stripped)
    return None
