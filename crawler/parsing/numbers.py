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


_COUNT = re.compile(r"(\d[\d.,\s]*)\s*(k|nghìn|ngàn|tr|triệu|m)?\b", re.IGNORECASE)
_MULTIPLIERS = {"k": 1_000, "nghìn": 1_000, "ngàn": 1_000, "tr": 1_000_000, "triệu": 1_000_000, "m": 1_000_000}


def _scaled(digits: str, multiplier: int) -> int | None:
    """'1,5' x 1,000,000 -> 1,500,000; '1.2' x 1,000 -> 1,200; '1.500' x 1,000 -> 1,500,000 (a thousands group)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        return int(digits.replace(".", "")) * multiplier
    whole, _, frac = re.sub(r"[.,](?=\d*[.,])", "", digits).replace(",", ".").partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    return int(round(float(f"{whole}.{frac or 0}") * multiplier))


def parse_vn_int(text: str | None) -> int | None:
    """'3.440.515' -> 3440515, '1,2 nghìn' -> 1200, '1,5 triệu' -> 1500000, '66' -> 66; None when no number.

    With a multiplier word (K, nghìn, triệu) the separator is a decimal mark; without one, it groups thousands.
    """
    if not text:
        return None
    match = _COUNT.search(unicodedata.normalize("NFC", text))
    if not match:
        return None
    digits = match.group(1).replace(" ", "").strip(".,")
    multiplier = _MULTIPLIERS.get((match.group(2) or "").casefold(), 1)
    if multiplier > 1:
        return _scaled(digits, multiplier)
    digits = digits.replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else None


_AMOUNT = r"(\d[\d.,]*(?:\s*(?:k|nghìn|ngàn|triệu|tr|m)\b)?)"
#: A view label before its count: "Lượt xem: 66", "View count: 490", "Lượt truy cập: 1.234", "Số lượt đọc 12".
_VIEW_LABEL = re.compile(
    r"(?:(?:số\s*)?lượt\s*(?:xem|đọc|truy\s*cập|view)|views?(?:\s*count)?|đã\s*xem|hits|số\s*lần\s*xem)"
    r"\s*[:：(]?\s*" + _AMOUNT + r"|(?<!\w)xem\s*[:：]\s*" + _AMOUNT,
    re.IGNORECASE,
)
#: A count before its label: "1.234 lượt xem", "1,2K lượt xem", "(12 lượt đọc)", "490 views".
_COUNT_THEN_LABEL = re.compile(_AMOUNT + r"\s*(?:lượt\s*(?:xem|đọc|truy\s*cập|view)|views?\b)", re.IGNORECASE)
_BARE_COUNT = re.compile(r"\d[\d.,]*\s*(?:k|nghìn|ngàn|triệu|tr|m)?", re.IGNORECASE)


def find_view_label(text: str) -> re.Match[str] | None:
    """The labelled view count in a line ('Lượt xem: 66', '1,2K lượt xem'), or None."""
    normalised = unicodedata.normalize("NFC", text)
    return _VIEW_LABEL.search(normalised) or _COUNT_THEN_LABEL.search(normalised)


def parse_view_count(text: str | None) -> int | None:
    """The count of a view label ('Lượt xem: 66', 'Views: 1.234', '1,2K lượt xem'), or a bare number; None if
    absent."""
    if not text:
        return None
    match = find_view_label(text)
    if match:
        return parse_vn_int(next(group for group in match.groups() if group))
    stripped = unicodedata.normalize("NFC", text).strip()
    if _BARE_COUNT.fullmatch(stripped):
        return parse_vn_int(stripped)
    return None
