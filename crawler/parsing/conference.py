"""Facts about a party-committee conference, read from the structure of Vietnamese report sentences.

A report names its meeting in one "key sentence", usually the lead: "[when], [organ] [khóa X] tổ chức Hội nghị
lần thứ N ...". Everything else (term, period, who presided) is read relative to that sentence. Names are found by
capitalisation (Vietnamese capitalises every syllable of a proper name), never from a list of known places or
people; the only word list is of common family names, used to split a title's place name from a person's name
("Bí thư Quận ủy <place> <person>").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from crawler.parsing.dates import resolve_day_phrase
from crawler.parsing.numbers import NUMBER_WORDS, parse_ordinal, roman_to_int

LEVEL_WORDS: tuple[str, ...] = ("thành phố", "thị xã", "thị trấn", "quận", "huyện", "tỉnh", "phường", "xã")
_COMMITTEE_LEVEL = {"quận": "quận", "huyện": "huyện", "thị": "thị xã", "thành": "thành phố", "tỉnh": "tỉnh"}

_ORGAN_HEAD = re.compile(
    r"(?P<bch>(?:Ban\s+Chấp\s+hành|BCH)\s+Đảng\s+bộ)|(?P<committee>Quận|Huyện|Thị|Thành|Tỉnh|Đảng)\s+ủy\b",
    re.IGNORECASE,
)
#: Committee words that name an office or a sub-body, not the committee in session.
_NOT_ORGAN_BEFORE = re.compile(
    r"(?:thường\s+vụ|thường\s+trực|bí\s+thư|kiểm\s+tra|văn\s+phòng|tuyên\s+giáo|tổ\s+chức|dân\s+vận|ủy\s+viên|"
    r"trưởng\s+ban|phó\s+ban|của|chủ\s+tịch)\s*$",
    re.IGNORECASE,
)
_LEVEL_AFTER = re.compile(r"\s+(thành\s+phố|thị\s+xã|thị\s+trấn|quận|huyện|tỉnh|phường|xã|TP\.?)(?=\s|$|[,.;])", re.IGNORECASE)
_CONFERENCE_WORD = re.compile(r"\bhội\s+nghị\b", re.IGNORECASE)
_CONFERENCE_KIND = re.compile(r"\blần\s+thứ\b|\bsơ\s+kết\b|\btổng\s+kết\b|\bchuyên\s+đề\b|\bgiữa\s+nhiệm\s+kỳ\b", re.IGNORECASE)
#: Meetings called "hội nghị" that are not a session of the committee itself.
_OTHER_MEETINGS = re.compile(
    r"hội\s+nghị\s+(?:tiếp\s+xúc|đối\s+thoại|ban\s+thường\s+vụ|thường\s+trực|cán\s+bộ|báo\s+cáo\s+viên|"
    r"quán\s+triệt|học\s+tập|trực\s+tuyến\s+toàn\s+quốc|xúc\s+tiến|khách\s+hàng|người\s+lao\s+động)",
    re.IGNORECASE,
)
#: A congress as the reported event ("Bế mạc Đại hội ...", "Đại hội ... đã khai mạc"), not one only prepared for.
_CONGRESS_EVENT = re.compile(
    r"(?:khai\s+mạc|bế\s+mạc|tổ\s+chức|diễn\s+ra)\s+(?:thành\s+công\s+)?đại\s+hội\b"
    r"|\bđại\s+hội\b[^.;]{0,120}?(?:đã\s+)?(?:khai\s+mạc|bế\s+mạc|diễn\s+ra|thành\s+công\s+tốt\s+đẹp)",
    re.IGNORECASE,
)
#: A sentence reports a meeting when the meeting is its event: an event verb, or an opening time phrase.
_EVENT_VERB = re.compile(r"\b(?:tổ\s+chức|tiến\s+hành|họp|khai\s+mạc|bế\s+mạc|diễn\s+ra)\b", re.IGNORECASE)
#: "Nghị quyết Hội nghị ..." names a resolution of some (often central) session, not the meeting reported.
_RESOLUTION_OF = re.compile(r"nghị\s+quyết\s+(?:số\s+\S+\s+)?(?:của\s+)?$", re.IGNORECASE)
_SESSION = re.compile(r"\bhội\s+nghị\b(?P<between>[^.;]{0,90}?)\blần\s+thứ\s+(?P<rest>[^,.;()]{1,40})", re.IGNORECASE)
_TERM = re.compile(r"\bkhóa\s+(?P<term>[IVXLC]+|\d{1,3})\b", re.IGNORECASE)
_TERM_PERIOD = re.compile(r"nhiệm\s+kỳ\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)
_WHEN = re.compile(
    r"^\s*(?P<when>(?:(?:sáng|trưa|chiều|tối|đêm|hôm)\s+)?(?:nay|qua|kia)?\s*(?:ngày\s+)?"
    r"(?:\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)?(?:\s*\(\s*\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?\s*\))?)\s*,",
    re.IGNORECASE,
)
_MONTHS_PERIOD = re.compile(
    r"\b(?P<n>\d{1,2}|ba|sáu|chín)\s+tháng(?P<part>\s+(?:đầu|cuối))?(?P<nam>\s+năm(?P<year>\s+\d{4})?)?", re.IGNORECASE
)
_QUARTER_PERIOD = re.compile(r"\bquý\s+(?:I{1,3}|IV|[1-4])(?:\s+năm\s+\d{4})?", re.IGNORECASE)
_YEAR_PERIOD = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_TARGETS = re.compile(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})\s+chỉ\s+tiêu", re.IGNORECASE)
_PRESIDE = re.compile(r"\b(?:đồng\s+)?chủ\s+trì\b", re.IGNORECASE)
_ATTEND = re.compile(r"\bdự\s*(?:,|và)\s*chỉ\s+đạo\b", re.IGNORECASE)
_COMRADE = re.compile(r"\bđồng\s+chí\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ỸĐ\"“])|\n+")

#: Vietnamese family names, used only to find where a person's name starts after a title's place name
#: ("Bí thư Huyện ủy Gia Lâm Nguyễn Văn A"). The first tier covers most of the population and never doubles
#: as a place syllable; the second holds rarer names that also occur in place names (Gia Lâm, Hà Nội).
_FAMILY_NAMES_COMMON = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương".split()
)
_FAMILY_NAMES_RARER = frozenset(
    "Lâm Phùng Mai Tô Hà Tạ Chu Cao Lưu Đinh Quách Kiều Lương Thái Tăng Lại Triệu Khúc Doãn Đàm Nông Mạc Hứa "
    "Từ La Thân Tống Châu Giang Kim Khổng Lục Ông Phí Thạch Bạch Nghiêm Quan Âu Diệp Đồng Ninh Lã Cù Văn Tôn "
    "Viên Hàn Chử Nhữ Lò Lỗ Mẫn Ứng Vi Yên".split()
)


@dataclass
class ConferenceFacts:
    """The conference an article reports; every field None/empty when the article reports none."""

    is_conference: bool = False
    organ: str | None = None
    organ_normalized: str | None = None
    level: str | None = None
    locality: str | None = None
    province: str | None = None
    term: str | None = None
    term_number: int | None = None
    term_period: str | None = None
    session_number: int | None = None
    held_on: str | None = None
    held_on_text: str | None = None
    presided_by: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    review_period: str | None = None


@dataclass(frozen=True)
class SiteContext:
    """What a site's own definition knows: a district portal never names its own district."""

    level: str | None = None
    locality: str | None = None
    province: str | None = None


#: ", huyện Hoằng Hóa" between a commune and its province ("xã X, huyện Y, tỉnh Z").
_INTERMEDIATE_UNIT = re.compile(r"^\s*,\s*(?:huyện|quận|thị\s+xã|thành\s+phố|TP\.?)\s+", re.IGNORECASE)
_PROVINCE_AFTER = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{2,60})\)|(?:,|\s+của|\s+thuộc)\s*(?:tỉnh|thành\s+phố|TP\.?)\s+(?P<comma>\S.*))",
    re.IGNORECASE,
)
_UNIT_PREFIX = re.compile(r"^(?:tỉnh|thành\s+phố|TP\.?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Organ:
    text: str
    level: str | None
    locality: str | None
    start: int
    province: str | None = None


def _is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _tokens(text: str) -> list[str]:
    """Words with punctuation split off, so a run of capitalised words stops at a comma or dash."""
    return re.findall(r"[^\W\d_]+|\d+|[^\w\s]", text)


def _leading_name(text: str, max_words: int = 4) -> str | None:
    words: list[str] = []
    for token in _tokens(text):
        if not _is_capitalised(token) or token.lower() in {"khóa", "lần", "hội"}:
            break
        words.append(token)
        if len(words) == max_words:
            break
    return " ".join(words) or None


def _trailing_run(text: str) -> list[str]:
    run: list[str] = []
    for token in reversed(_tokens(text)):
        if not _is_capitalised(token):
            break
        run.append(token)
    return run[::-1]


def _person_from_run(run: list[str], places: tuple[str, ...] = ()) -> str | None:
    """Split "<place> <person>" at the earliest family name that leaves a 2-4 word name (common names first).

    A place the text itself names (the committee's locality) is taken off the front first: in "Mộc Châu Hà Văn
    Thuận", "Châu" is also a family name."""
    for place in places:
        words = place.split()
        if words and run[: len(words)] == words and len(run) - len(words) >= 2:
            run = run[len(words) :]
            break
    for names in (_FAMILY_NAMES_COMMON, _FAMILY_NAMES_RARER):
        for start, word in enumerate(run):
            if word in names and 2 <= len(run) - start <= 4:
                return " ".join(run[start:])
    if 2 <= len(run) <= 4:
        return " ".join(run)
    return None


def _names_before(segment: str, places: tuple[str, ...] = ()) -> list[str]:
    """People named before a verb like "chủ trì": "Đồng chí A - titles", or "titles A và titles B"."""
    names: list[str] = []
    for part in re.split(r"\s+và\s+|;", segment):
        comrade = list(_COMRADE.finditer(part))
        name: str | None = None
        if comrade:
            run = []
            for token in _tokens(part[comrade[-1].end() :]):
                if not _is_capitalised(token):
                    break
                run.append(token)
            name = " ".join(run[:4]) if len(run) >= 2 else None
        if name is None:
            name = _person_from_run(_trailing_run(part), places)
        if name and name not in names:
            names.append(name)
    return names


_AFTER_VERB = re.compile(r"^\s*(?:hội\s+nghị\s+)?(?:có\s+|là\s+|gồm\s+)?(?:các\s+)?đồng\s+chí\s*:?\s+", re.IGNORECASE)


_AFTER_VERB_TITLES = re.compile(r"^\s*(?:hội\s+nghị\s+)?(?:là|có|gồm)\s+", re.IGNORECASE)


def _names_after(segment: str, places: tuple[str, ...] = ()) -> list[str]:
    """People named after the verb: "dự và chỉ đạo có đồng chí A, <titles>; đồng chí B", or "chủ trì hội nghị
    là <titles> <Name>"."""
    lead = _AFTER_VERB.match(segment)
    if not lead:
        titled = _AFTER_VERB_TITLES.match(segment)
        return _names_before(segment[titled.end() :].rstrip(" .;"), places) if titled else []
    names: list[str] = []
    for part in re.split(r"\s+và\s+đồng\s+chí\s+|;\s*đồng\s+chí\s+", segment[lead.end() :]):
        run = []
        for token in _tokens(part):
            if not _is_capitalised(token):
                break
            run.append(token)
        if 2 <= len(run) <= 4:
            names.append(" ".join(run))
    return names


def _people(sentences: list[str], verb: re.Pattern[str], places: tuple[str, ...] = ()) -> list[str]:
    found: list[str] = []
    for sentence in sentences:
        match = verb.search(sentence)
        if not match:
            continue
        names = _names_before(sentence[: match.start()], places) or _names_after(sentence[match.end() :], places)
        for name in names:
            if name not in found:
                found.append(name)
        if found:
            break
    return found


def _find_organs(sentence: str) -> list[_Organ]:
    organs: list[_Organ] = []
    for match in _ORGAN_HEAD.finditer(sentence):
        if _NOT_ORGAN_BEFORE.search(sentence[max(0, match.start() - 20) : match.start()]):
            continue
        level: str | None = None
        end = match.end()
        if match.group("committee"):
            level = _COMMITTEE_LEVEL.get(match.group("committee").lower())
        level_match = _LEVEL_AFTER.match(sentence, end)
        if level_match:
            word = re.sub(r"\s+", " ", level_match.group(1).lower()).rstrip(".")
            level = "thành phố" if word == "tp" else word
            end = level_match.end()
        locality = _leading_name(sentence[end:])
        if locality and locality.split()[0].lower() in {"tổ", "họp"}:
            locality = None
        text_end = end + (sentence[end:].find(locality) + len(locality) if locality else 0)
        organ_text = re.sub(r"\s+", " ", sentence[match.start() : text_end]).strip()
        organs.append(_Organ(organ_text, level, locality, match.start(), _stated_province(sentence[text_end:])))
    return organs


def _stated_province(after: str) -> str | None:
    """The province a text names right after a place: "huyện Yên Phong (Bắc Ninh)", "..., tỉnh Bắc Giang",
    "xã Hoằng Lộc, huyện Hoằng Hóa, tỉnh Thanh Hóa"."""
    for _ in range(2):
        unit = _INTERMEDIATE_UNIT.match(after)
        if not unit:
            break
        name = _leading_name(after[unit.end() :])
        if not name:
            break
        after = after[unit.end() + after[unit.end() :].find(name) + len(name) :]
    match = _PROVINCE_AFTER.match(after)
    if not match:
        return None
    if match.group("paren"):
        # "(Bắc Ninh)", "(tỉnh Bắc Ninh)", "(quận Hải Châu, TP Đà Nẵng)": the last unit named is the province.
        name = _UNIT_PREFIX.sub("", match.group("paren").split(",")[-1].strip()).strip()
        return name if name and all(_is_capitalised(w) for w in name.split()) else None
    return _leading_name(match.group("comma"))


def _province_stated_elsewhere(text: str, level: str | None, locality: str | None) -> str | None:
    """ "... huyện Diễn Châu (Nghệ An) ..." anywhere in the text names the committee's province."""
    if not level or not locality:
        return None
    for match in re.finditer(rf"\b{re.escape(level)}\s+{re.escape(locality)}\b", text, re.IGNORECASE):
        province = _stated_province(text[match.end() :])
        if province:
            return province
    return None


def _session_number(sentence: str) -> int | None:
    for match in _SESSION.finditer(sentence):
        if re.search(r"đại\s+hội", match.group("between"), re.IGNORECASE):
            continue
        words = match.group("rest").split()
        for size in range(min(4, len(words)), 0, -1):
            candidate = " ".join(words[:size])
            if size > 1 and not all(w.lower() in NUMBER_WORDS for w in words[:size]):
                continue
            value = parse_ordinal(candidate)
            if value:
                return value
    return None


def _split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _reported_meeting(sentence: str) -> re.Match[str] | None:
    """The first "hội nghị" that is a meeting in its own right, not part of "Nghị quyết Hội nghị ..."."""
    for match in _CONFERENCE_WORD.finditer(sentence):
        if not _RESOLUTION_OF.search(sentence[max(0, match.start() - 40) : match.start()]):
            return match
    return None


def _key_sentence(sentences: list[str], title_index: int) -> tuple[int, list[_Organ]] | None:
    """The first sentence that reports a committee session; None if a congress is reported before one.

    A body sentence must report the meeting as its event (an event verb or an opening time phrase), so a
    session mentioned in passing ("thông qua tại hội nghị lần thứ 12 hồi đầu năm") is not taken; the title,
    which has no verb ("Hội nghị Ban Chấp hành Đảng bộ quận lần thứ ba"), is exempt.
    """
    for index, sentence in enumerate(sentences):
        congress = _CONGRESS_EVENT.search(sentence)
        conference = _reported_meeting(sentence)
        if congress and (conference is None or congress.start() < conference.start()):
            return None
        if not conference or not _CONFERENCE_KIND.search(sentence):
            continue
        if _OTHER_MEETINGS.match(sentence, conference.start()):
            continue
        if index < title_index and not (_EVENT_VERB.search(sentence) or (_WHEN.match(sentence) and _WHEN.match(sentence).group("when").strip())):
            continue
        organs = _find_organs(sentence)
        if organs:
            return index, organs
    return None


def _review_period(sentence: str) -> str | None:
    months = _MONTHS_PERIOD.search(sentence)
    quarter = _QUARTER_PERIOD.search(sentence)
    year = _YEAR_PERIOD.search(sentence)
    candidates = [m for m in (months, quarter, year) if m]
    if not candidates:
        return None
    first = min(candidates, key=lambda m: m.start())
    if first is months and months is not None:
        part = (months.group("part") or "").strip()
        year_text = (months.group("year") or "").strip()
        if not year_text:
            later = _YEAR_PERIOD.search(sentence, months.end())
            year_text = later.group(1) if later else ""
        words = [months.group("n"), "tháng", part, "năm" if year_text or months.group("nam") else "", year_text]
        return " ".join(w for w in words if w)
    return re.sub(r"\s+", " ", first.group(0)).strip()


def _term_period(key: str, text: str, anchor: date | None) -> str | None:
    match = _TERM_PERIOD.search(key)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    if anchor is None:
        return None
    for match in _TERM_PERIOD.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start <= anchor.year <= end:
            return f"{start}-{end}"
    return None


def _term(key: str, sentences: list[str], organ: _Organ) -> str | None:
    match = _TERM.search(key[organ.start :]) or _TERM.search(key)
    if match:
        return match.group("term")
    for sentence in sentences:
        for match in _TERM.finditer(sentence):
            before = sentence[max(0, match.start() - 70) : match.start()]
            if re.search(r"(?:Ban\s+Chấp\s+hành\s+)?Đảng\s+bộ|\bủy\b", before, re.IGNORECASE) and not re.search(
                r"đại\s+hội|quốc\s+hội|hđnd|hội\s+đồng", before, re.IGNORECASE
            ):
                return match.group("term")
    return None


def extract_conference(
    title: str, body: str, published: date | None = None, site: SiteContext | None = None
) -> ConferenceFacts:
    """Read the conference an article reports from its title and body; `published` anchors "Chiều 3/10"."""
    site = site or SiteContext()
    title = unicodedata.normalize("NFC", title or "")
    body = unicodedata.normalize("NFC", body or "")
    if not _CONFERENCE_WORD.search(title) and not _CONFERENCE_WORD.search(body, 0, 3000):
        return ConferenceFacts()  # most news never says "hội nghị" near the top: skip the sentence analysis
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    # The lead names the meeting in full; a headline abbreviates it, so it is read last.
    body_sentences = _split_sentences("\n".join(paragraphs[:3]))
    lead_sentences = body_sentences + _split_sentences(title)
    all_sentences = _split_sentences("\n".join([title, *paragraphs]))
    found = _key_sentence(lead_sentences, title_index=len(body_sentences))
    if found is None:
        return ConferenceFacts()
    index, organs = found
    key = lead_sentences[index]
    organ = next((o for o in organs if o.locality), organs[0])
    # The title may name the meeting while the lead names the date: prefer a dated sentence for the day.
    day_sentence = next((s for s in lead_sentences[index:] if _WHEN.match(s)), key)
    when = _WHEN.match(day_sentence)
    held_on_text = when.group("when").strip() if when and when.group("when").strip() else None
    held_on = resolve_day_phrase(held_on_text, published) if held_on_text else None
    term = _term(key, all_sentences, organ)
    term_number = (roman_to_int(term) if term and not term.isdigit() else int(term)) if term else None
    level = organ.level or site.level
    locality = organ.locality or (site.locality if level and level == site.level else None)
    province = organ.province or _province_stated_elsewhere(body, level, locality) or site.province
    if level == "tỉnh" and organ.locality:
        province = organ.locality
    elif level == "thành phố" and organ.locality and not organ.province:
        # "Thành ủy Đà Nẵng": a centrally-run city is its own province; a provincial city names its province.
        province = organ.locality if site.province in (None, organ.locality) else site.province
    places = tuple(p for p in (locality, province) if p)
    session = _session_number(key)
    if session is None:
        session = next((n for n in map(_session_number, lead_sentences) if n), None)
    return ConferenceFacts(
        is_conference=True,
        organ=organ.text,
        organ_normalized=f"Ban Chấp hành Đảng bộ {level} {locality}" if level and locality else None,
        level=level,
        locality=locality,
        province=province,
        term=term,
        term_number=term_number,
        term_period=_term_period(key, body, published),
        session_number=session,
        held_on=held_on.isoformat() if held_on else None,
        held_on_text=held_on_text,
        presided_by=_people(lead_sentences + all_sentences, _PRESIDE, places),
        attendees=_people(lead_sentences + all_sentences, _ATTEND, places),
        targets=list(dict.fromkeys(f"{a}/{b}" for a, b in _TARGETS.findall(body) if int(a) <= int(b))),
        review_period=_review_period(key) or _review_period(day_sentence),
    )
