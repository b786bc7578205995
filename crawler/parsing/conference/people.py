"""Who chaired and who directed a meeting: names around "chủ trì" and "dự và chỉ đạo", titles stripped.

Names are found by capitalisation. The word lists are of common family names, used to find where a person's name
starts after a title's place name ("Bí thư Huyện ủy Gia Lâm Nguyễn Văn A"), and of the words that open a title.
"""

from __future__ import annotations

import re

from crawler.parsing.conference.names import FAMILY_NAMES_COMMON, FAMILY_NAMES_RARER, leading_run, trailing_run

#: "(Đồng) chủ trì" and "dự, chỉ đạo" / "dự và chỉ đạo" as words. "(?<!\wchủ)" after a word is "\b" before it:
#: opening with the word (not "\b") lets the regex engine skip ahead to it instead of testing every position.
PRESIDE = re.compile(r"(?:đồng(?<!\wđồng)\s+chủ|chủ(?<!\wchủ))\s+trì\b", re.IGNORECASE)
ATTEND = re.compile(r"dự(?<!\wdự)\s*(?:,|và)\s*chỉ\s+đạo\b", re.IGNORECASE)
#: How a report introduces a person: "đồng chí", "đ/c", "ông", "bà".
_HONORIFIC = re.compile(r"(?<![^\W\d_])(?:đồng\s+chí|đ/c|ông|bà)(?![^\W\d_])\s*:?\s*", re.IGNORECASE)
#: The words between the verb and a list of names: "chủ trì Hội nghị, có đồng chí ...", "dưới sự chủ trì của các
#: đồng chí: ...", "chủ trì hội nghị cùng các đồng chí: ...", "chủ trì hội nghị là đồng chí ...".
_LIST_AFTER = re.compile(
    r"^\s*(?:(?:hội\s+nghị|phiên\s+họp|phiên\s+khai\s+mạc)\b)?\s*,?\s*(?P<with>cùng\s+)?(?:có|là|gồm|của)?\s*"
    r"(?:các\s+)?"
    r"(?:đồng\s+chí|đ/c|ông|bà)\s*:?\s*",
    re.IGNORECASE,
)
#: Capitalised words that open a title, not a name.
_TITLE_WORDS = frozenset({"Bí", "Phó", "Chủ", "Ủy", "Trưởng", "Giám", "Thường", "Tỉnh", "Thành", "Quận", "Huyện"})
#: Words between a name and its verb: "... Nguyễn Văn A đã chủ trì".
_AUXILIARY_END = re.compile(r"(?:\s+(?:đã|sẽ|cùng|trực\s+tiếp|là\s+người))+\s*$", re.IGNORECASE)
_TITLES_AFTER = re.compile(r"^\s*(?:hội\s+nghị\s+)?(?:là|có|gồm)\s+", re.IGNORECASE)


def _person_from_run(run: list[str], places: tuple[str, ...] = ()) -> str | None:
    """Split "<place> <person>" at the earliest family name that leaves a 2-4 word name (common names first).

    A place the text itself names (the committee's locality) is taken off the front first: in "Mộc Châu Hà Văn
    Thuận", "Châu" is also a family name; a run that is only that place ("Thành phố Hồ Chí Minh") is no one."""
    for place in places:
        words = place.split()
        if words and run == words:
            return None
        if words and run[: len(words)] == words and len(run) - len(words) >= 2:
            run = run[len(words) :]
            break
    for names in (FAMILY_NAMES_COMMON, FAMILY_NAMES_RARER):
        for start, word in enumerate(run):
            if word in names and 2 <= len(run) - start <= 4:
                return " ".join(run[start:])
    if 2 <= len(run) <= 4:
        return " ".join(run)
    return None


def _introduced_name(part: str) -> str | None:
    """The 2-4 word name after the last honorific in `part` ("... có đ/c Nguyễn Văn A – Bí thư ...")."""
    honorifics = list(_HONORIFIC.finditer(part))
    if not honorifics:
        return None
    run = leading_run(part[honorifics[-1].end() :])
    return " ".join(run[:4]) if len(run) >= 2 else None


def _name_then_titles(part: str) -> str | None:
    """ "Đỗ Mạnh Quân - Phó Bí thư ...": a list entry that opens with the name and a dash or comma."""
    run = leading_run(part)
    if 2 <= len(run) <= 4 and re.match(r"\s*[-–—,]", part.lstrip()[len(" ".join(run)) :]):
        return " ".join(run)
    return None


def _names_before(segment: str, places: tuple[str, ...] = ()) -> list[str]:
    """People named before the verb: "Đồng chí A - titles", "Ông A, titles", or "titles A và titles B"."""
    names: list[str] = []
    for part in re.split(r"\s+và\s+|;", segment):
        name = _introduced_name(part) or _name_then_titles(part)
        if name is None:
            run = trailing_run(part)
            # "... Bí thư Thành ủy Thành phố Hồ Chí Minh": a run after "Thành phố"/"TP" is the city, no one.
            city = re.search(r"(?:Thành\s+phố|TP\.?)\s*$", part[: len(part) - len(" ".join(run))].rstrip() + " ")
            name = None if city and not _introduced_name(part) and len(run) <= 4 else _person_from_run(run, places)
        if name and name not in names:
            names.append(name)
    return names


def _names_listed(text: str) -> list[str]:
    """A list of people, each "Name - titles" or "Name, titles", separated by ";" or "và (đồng chí)", or bare
    names separated by commas ("các đồng chí: A, B và C")."""
    names: list[str] = []
    for part in re.split(r";|\s+và\s+", text):
        part = part.strip()
        part = _HONORIFIC.sub("", part, count=1) if _HONORIFIC.match(part) else part
        for index, chunk in enumerate(re.split(r"\s*,\s*", part)):
            run = leading_run(chunk)
            whole = len(" ".join(run)) >= len(chunk.rstrip(" .")) - 1
            if index and not whole:
                break  # "Name, titles": the titles end the entry
            if 2 <= len(run) <= 4 and run[0] not in _TITLE_WORDS:
                names.append(" ".join(run))
            elif len(run) > 4 and index == 0:
                names.append(" ".join(run[:4]))
            else:
                break
    return names


def _names_after(segment: str, places: tuple[str, ...] = ()) -> tuple[list[str], bool]:
    """People named after the verb, and whether they join those named before it ("... cùng các đồng chí: ...")."""
    listed = _LIST_AFTER.match(segment)
    if listed:
        return _names_listed(segment[listed.end() :]), bool(listed.group("with"))
    titled = _TITLES_AFTER.match(segment)
    if titled:
        return _names_before(segment[titled.end() :].rstrip(" .;"), places), False
    return [], False


def people(sentences: list[str], verb: re.Pattern[str], places: tuple[str, ...] = ()) -> list[str]:
    """The people the first sentence with `verb` names for it ("A chủ trì, B đồng chủ trì": both)."""
    found: list[str] = []
    for sentence in sentences:
        start = 0
        for match in verb.finditer(sentence):
            before = _AUXILIARY_END.sub("", _clause(sentence[start : match.start()]))
            # "dưới sự chủ trì của ...": the names follow; otherwise the clause before the verb names them.
            names = [] if re.search(r"\bsự\s*$", before) else _names_before(before, places)
            after, joins = _names_after(sentence[match.end() :], places)
            if not names or joins:
                names = names + [n for n in after if n not in names]
            found.extend(n for n in names if n not in found)
            start = match.end()
        if found:
            break
    return found


def _clause(text: str) -> str:
    """The clause that ends `text`: after the last sentence-like break (a comma before a capitalised word
    that opens a new clause is kept, since names are introduced as "Ông A, titles")."""
    return re.split(r"[.!?]\s+|\n", text)[-1]
