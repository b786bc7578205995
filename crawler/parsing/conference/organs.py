"""Committees named in a sentence: "Ban Chấp hành Đảng bộ quận Thanh Xuân", "Quận ủy Lê Chân", "Tỉnh ủy", "Đảng ủy
phường Kim Mã", "BCH Đảng bộ TPHCM", "Quận 3"; their level, locality and stated province."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from crawler.parsing.conference.names import FAMILY_NAMES_COMMON, is_capitalised, leading_name

LEVEL_WORDS: tuple[str, ...] = (
    "thành phố", "thị xã", "thị trấn", "đặc khu", "quận", "huyện", "tỉnh", "phường", "xã",
)
COMMITTEE_LEVEL = {"quận": "quận", "huyện": "huyện", "thị": "thị xã", "thành": "thành phố", "tỉnh": "tỉnh"}
#: Abbreviations the press uses for a place, read as the name itself ("TP.HCM", "TPHCM", "TP HCM").
_PLACE_ABBREVIATIONS = {"HCM": "Hồ Chí Minh"}

#: "Ban Chấp hành Đảng bộ" (tolerating a word split by a stray space, "hà nh", as some pages print it), "BCH Đảng
#: bộ", a bare "BCH" before its session or term, or a committee word: Quận/Huyện/Thị/Thành/Tỉnh/Đảng ủy.
ORGAN_HEAD = re.compile(
    r"(?P<bch>(?:Ban\s+Chấp\s+h\s?à\s?nh|BCH)\s+Đảng\s+bộ|BCH(?=\s+(?:lần|khóa)\b))"
    r"|(?P<committee>Quận|Huyện|Thị|Th\s?à\s?nh|Tỉnh|Đảng)\s+ủy\b(?!\s+viên)",
    re.IGNORECASE,
)
#: Committee words that name an office, a sub-body or a place inside a building, not the committee in session.
_OFFICE_BEFORE = re.compile(
    r"(?:bí\s+thư|kiểm\s+tra|văn\s+phòng|tuyên\s+giáo|tổ\s+chức|dân\s+vận|ủy\s+viên|trưởng\s+ban|phó\s+ban|"
    r"chủ\s+tịch|hội\s+trường|trụ\s+sở|của|thuộc|trực\s+thuộc|nội\s+chính|chính\s+sách|điểm\s+cầu|"
    r"ban\s+\S+(?:\s+\S+)?(?:\s+và\s+\S+\s+\S+)?)\s*$",
    re.IGNORECASE,
)
#: The committee's standing body ("Ban Thường vụ Huyện ủy"): it convenes the executive but is not it.
_STANDING_BEFORE = re.compile(r"(?:ban\s+thường\s+vụ|thường\s+trực|BTV)\s*$", re.IGNORECASE)
_LEVEL_AFTER = re.compile(
    r"\s+(thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|quận|huyện|tỉnh|phường|xã|TP\.?(?=\s*HCM)|TP\.?)"
    r"(?=\s|$|[,.;()]|HCM)",
    re.IGNORECASE,
)
_NUMBERED_UNIT = re.compile(r"^\s*(\d{1,2})\b")

_INTERMEDIATE_UNIT = re.compile(r"^\s*,\s*(?:huyện|quận|thị\s+xã|thành\s+phố|TP\.?)\s+", re.IGNORECASE)
_PROVINCE_AFTER = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{2,60})\)|(?:,|\s+của|\s+thuộc)\s*(?:tỉnh|thành\s+phố|TP\.?)\s*(?P<comma>\S.*))",
    re.IGNORECASE | re.DOTALL,
)
_UNIT_PREFIX = re.compile(r"^(?:tỉnh|thành\s+phố|TP\.?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Organ:
    text: str
    level: str | None
    locality: str | None
    start: int
    end: int
    province: str | None = None
    #: Named as the standing body's committee ("Ban Thường vụ Tỉnh ủy X"): a place, not the body in session.
    standing: bool = False
    #: "Ban Chấp hành Đảng bộ"/"BCH": the executive itself, as opposed to a committee word.
    executive: bool = False


def _level_word(word: str) -> str:
    word = re.sub(r"\s+", " ", word.lower()).rstrip(".")
    return "thành phố" if word == "tp" else word


def place_name(text: str) -> str | None:
    """The name that opens `text`: capitalised words, a district number ("3"), or a known abbreviation."""
    number = _NUMBERED_UNIT.match(text)
    if number:
        return number.group(1)
    name = leading_name(text)
    if name:
        return _PLACE_ABBREVIATIONS.get(name, name)
    return None


def _name_after(text: str, end: int) -> tuple[str | None, int]:
    """The place name right after `end` ("TPHCM": it may follow the level word without a space) and where it ends."""
    rest = text[end:]
    source = rest.lstrip()
    if source is rest or not rest[:1].isspace():
        source = rest
    start = end + len(rest) - len(source)
    name = place_name(source)
    if not name:
        return None, end
    number = _NUMBERED_UNIT.match(source)
    raw = number.group(0).strip() if number else (leading_name(source) or name)
    return name, start + source.find(raw) + len(raw)


def organ_at(sentence: str, match: re.Match[str]) -> Organ | None:
    """The committee whose head word `match` found, or None for an office ("Bí thư Quận ủy") or a
    non-territorial committee ("Đảng ủy Quân sự")."""
    before = sentence[max(0, match.start() - 25) : match.start()]
    standing = bool(_STANDING_BEFORE.search(before))
    if not standing and _OFFICE_BEFORE.search(before):
        return None
    level: str | None = None
    end = match.end()
    committee = (match.group("committee") or "").lower().replace(" ", "")
    if committee and committee != "đảng":
        level = COMMITTEE_LEVEL.get(committee)
    level_match = _LEVEL_AFTER.match(sentence, end)
    if level_match:
        level = _level_word(level_match.group(1))
        end = level_match.end()
    elif match.group("bch") and re.match(r"\s+[^\W\d_]", sentence[end:]) and is_capitalised(sentence[end:].lstrip()):
        return None  # "Ban Chấp hành Đảng bộ Quân sự tỉnh", "... Đảng bộ Khối ...": a sector's committee
    elif committee == "đảng" and re.match(r"\s+[^\W\d_]", sentence[end:]) and not re.match(
        r"\s+(?:tổ|đã|họp|khai|tiến|khóa|lần|phường|xã)\b", sentence[end:], re.IGNORECASE
    ):
        return None  # "Đảng ủy Quân sự tỉnh", "Đảng ủy Khối ...": not a territorial committee
    locality: str | None = None
    text_end = end
    if level_match or match.group("committee"):
        locality, text_end = _name_after(sentence, end)
    organ_text = re.sub(r"\s+", " ", sentence[match.start() : text_end]).strip()
    return Organ(
        organ_text, level, locality, match.start(), text_end, stated_province(sentence[text_end:]),
        standing=standing, executive=bool(match.group("bch")),
    )


def find_organs(sentence: str) -> list[Organ]:
    return [o for o in (organ_at(sentence, m) for m in ORGAN_HEAD.finditer(sentence)) if o is not None]


def stated_province(after: str) -> str | None:
    """The province a text names right after a place: "huyện Yên Phong (Bắc Ninh)", "..., tỉnh Bắc Giang",
    "xã Hoằng Lộc, huyện Hoằng Hóa, tỉnh Thanh Hóa"."""
    for _ in range(2):
        unit = _INTERMEDIATE_UNIT.match(after)
        if not unit:
            break
        name = leading_name(after[unit.end() :])
        if not name:
            break
        after = after[unit.end() + after[unit.end() :].find(name) + len(name) :]
    match = _PROVINCE_AFTER.match(after)
    if not match:
        return None
    if match.group("paren"):
        # "(Bắc Ninh)", "(tỉnh Bắc Ninh)", "(quận Hải Châu, TP Đà Nẵng)": the last unit named is the province.
        name = _UNIT_PREFIX.sub("", match.group("paren").split(",")[-1].strip()).strip()
        name = _PLACE_ABBREVIATIONS.get(name, name)
        return name if name and all(is_capitalised(w) for w in name.split()) else None
    return place_name(match.group("comma"))


def _word_start(literal: str) -> str:
    """A pattern for "\\b" + `literal`. For a literal opening with a word character the boundary is written as a
    look-behind after it (same matches): the regex then opens with the literal, so the engine skips ahead to it
    instead of testing every position of a long text."""
    escaped = re.escape(literal)
    return rf"{escaped}(?<!\w{escaped})" if re.match(r"\w", literal) else rf"\b{escaped}"


def province_stated_elsewhere(text: str, level: str | None, locality: str | None) -> str | None:
    """ "... huyện Diễn Châu (Nghệ An) ..." anywhere in the text names the committee's province."""
    if not level or not locality:
        return None
    for match in re.finditer(rf"{_word_start(level)}\s+{re.escape(locality)}\b", text, re.IGNORECASE):
        province = stated_province(text[match.end() :])
        if province:
            return province
    # "Nghi Thiết là xã ven biển của huyện Nghi Lộc, tỉnh Nghệ An"
    for match in re.finditer(rf"{_word_start(locality)}\s+là\s+[^.;]{{0,50}}?\s(?:của|thuộc)\s+", text):
        rest = text[match.end() :]
        unit = re.match(r"(?:huyện|quận|thị\s+xã|thành\s+phố)\s+", rest, re.IGNORECASE)
        if unit:
            name = leading_name(rest[unit.end() :])
            rest = rest[unit.end() + len(name or "") :] if name else rest
        province = stated_province(rest if rest.lstrip().startswith(",") else ", " + rest)
        if province:
            return province
    return None


_OFFICE_TITLE = re.compile(r"(?:bí\s+thư|chủ\s+tịch|phó|trưởng|giám\s+đốc|ủy\s+viên)\b[^,;.]*$", re.IGNORECASE)


def _is_titled_person(name: str, before: str) -> bool:
    words = name.split()
    return len(words) >= 3 and words[0] in FAMILY_NAMES_COMMON and bool(_OFFICE_TITLE.search(before))


_COMMITTEE_WORD = {"quận": "Quận", "huyện": "Huyện", "thị xã": "Thị", "thành phố": "Thành", "tỉnh": "Tỉnh"}


def locality_named_elsewhere(text: str, level: str) -> str | None:
    """The place a text names for a committee it otherwise calls only "Huyện ủy" or "Ban Chấp hành Đảng bộ
    tỉnh": the name most often written after the same level word ("huyện Yên Bình") or committee word
    ("Thị ủy Mỹ Hào"); None when the text never names one."""
    words = [re.escape(level).replace(r"\ ", r"\s+")]
    if level in _COMMITTEE_WORD:
        words.append(_COMMITTEE_WORD[level] + r"\s+ủy")
    if level == "thành phố":
        words.append(r"TP\.?")
    pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(words)})(?=\s|HCM)", re.IGNORECASE)
    names: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in pattern.finditer(text):
        name, _ = _name_after(text, match.end())
        if name and _is_titled_person(name, text[max(0, match.start() - 40) : match.start()]):
            continue  # "Bí thư Đảng ủy phường Phan Thị Thu Trang": a title and a person, the place left out
        if name:
            names[name] += 1
            first.setdefault(name, match.start())
    if not names:
        return None
    return max(names, key=lambda n: (names[n], -first[n]))


_PARTY_UNIT_LEVEL = re.compile(
    r"Đảng\s+(?:ủy|bộ)\s+(thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|quận|huyện|tỉnh|phường|xã)\b", re.IGNORECASE
)


def level_named_elsewhere(text: str) -> str | None:
    """The level of the party unit a text most often names ("Đảng ủy xã", "Đảng bộ phường"), for a committee the
    key sentence calls only "Đảng ủy"."""
    levels = Counter(_level_word(m.group(1)) for m in _PARTY_UNIT_LEVEL.finditer(text))
    return levels.most_common(1)[0][0] if levels else None
