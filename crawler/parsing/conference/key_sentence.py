"""Which sentence reports the meeting, and whether it is a session of a party committee's executive at all.

A report names its meeting in one key sentence, usually the lead. The meeting is the committee's own session when
 (a) "hội nghị" is followed by the executive itself: "Hội nghị [lần thứ N] [của] Ban Chấp hành Đảng bộ huyện",
     "hội nghị BCH Đảng bộ thị xã", "Hội nghị Tỉnh ủy lần thứ 8" (whoever convenes it, even its Ban Thường vụ);
 (b) or a committee convenes "hội nghị" as its own: "Quận ủy X tổ chức Hội nghị lần thứ 18", "Ban Chấp hành Đảng
     bộ xã X tổ chức hội nghị đánh giá nhiệm vụ 9 tháng năm 2025": a numbered or periodic session.
It is not when the first meeting the sentence reports is of another kind (quán triệt, học tập, công bố, thông báo,
cán bộ, ...), when its convener is a standing body meeting on its own ("Ban Thường vụ ... tổ chức Hội nghị lần
thứ 7"), or when the article reports a congress (Đại hội) before any session, including the first session that a
congress's new executive holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.parsing.conference.days import opening_phrase
from crawler.parsing.conference.organs import COMMITTEE_LEVEL, ORGAN_HEAD, Organ, find_organs, organ_at

#: "hội nghị" as words. "(?<!\whội)" after the word is "\b" before it: opening with the word lets the regex engine
#: skip ahead to it instead of testing every position (this runs on every article's head and lead).
CONFERENCE_WORD = re.compile(r"hội(?<!\whội)\s+nghị\b", re.IGNORECASE)
#: "Nghị quyết Hội nghị ...", "kết quả Hội nghị ...": a reference to some (often central) session.
_REFERENCE_BEFORE = re.compile(
    r"(?:nghị\s+quyết|kết\s+luận|kết\s+quả|thông\s+báo|chương\s+trình|tinh\s+thần|quy\s+chế)\s+(?:số\s+\S+\s+)?"
    r"(?:của\s+)?$",
    re.IGNORECASE,
)
#: What may stand between "hội nghị" and the committee: "lần thứ 8,", "(mở rộng)", "trực tuyến", "của".
_MODIFIERS = re.compile(
    r"(?:\s*\(?\s*mở\s+rộng\s*\)?|\s+trực\s+tuyến"
    r"|\s+lần\s+(?:thứ\s+[^\s,.;()]+|\d{1,3}\b)(?:\s+[^\s,.;()A-ZĐ]+){0,4}\s*,?"
    r"|\s+của|\s+thường\s+kỳ)*\s*",
    re.IGNORECASE,
)
#: Meetings called "hội nghị" that are not a session of the committee itself.
_OTHER_MEETINGS = re.compile(
    r"(?:tiếp\s+xúc|đối\s+thoại|ban\s+thường\s+vụ|thường\s+trực|BTV|cán\s+bộ|báo\s+cáo\s+viên|quán\s+triệt|"
    r"học\s+tập|xúc\s+tiến|khách\s+hàng|người\s+lao\s+động|thông\s+báo|công\s+bố|giao\s+ban|tập\s+huấn|"
    r"phổ\s+biến|biểu\s+dương|tuyên\s+dương|gặp\s+mặt|toàn\s+quốc|nghiên\s+cứu|lấy\s+ý\s+kiến|hiệp\s+thương|"
    r"điển\s+hình|liên\s+tịch|"
    r"triển\s+khai\s+(?:thực\s+hiện\s+)?(?:các\s+)?(?:nghị\s+quyết|chỉ\s+thị|kết\s+luận|quy\s+định|quyết\s+định|"
    r"kế\s+hoạch|luật|văn\s+bản))",
    re.IGNORECASE,
)
#: A convened meeting is the committee's session when it is numbered or periodic.
_SESSION_KIND = re.compile(
    r"lần\s+(?:thứ|\d)|chuyên\s+đề|giữa\s+nhiệm\s+kỳ|thường\s+kỳ|định\s+kỳ|mở\s+rộng|\b\d{1,2}\s+tháng|"
    r"\b(?:ba|sáu|chín)\s+tháng|\bquý\s+(?:I{1,3}|IV|[1-4])\b|\bnăm\s+\d{4}|cuối\s+năm|đầu\s+năm",
    re.IGNORECASE,
)
_CONVENE = re.compile(r"\b(?:tổ\s+chức|tiến\s+hành|họp|khai\s+mạc|bế\s+mạc|diễn\s+ra)\b", re.IGNORECASE)
_CONGRESS_WORD = re.compile(r"\bđại\s+hội\b", re.IGNORECASE)
#: A congress as the reported event ("Bế mạc Đại hội ...", "Đại hội ... đã khai mạc"), not one only prepared for.
_CONGRESS_EVENT = re.compile(
    r"(?:khai\s+mạc|bế\s+mạc|tổ\s+chức|diễn\s+ra|phiên\s+(?:họp\s+)?trù\s+bị)\s+(?:thành\s+công\s+)?"
    r"(?:phiên\s+(?:họp\s+)?trù\s+bị\s+)?đại\s+hội\b"
    # "đại(?<!\wđại)": "\bđại" with the boundary after the word, so every alternative opens with a letter and the
    # regex engine can skip ahead to one (same matches).
    r"|đại(?<!\wđại)\s+hội\b[^.;]{0,120}?(?:đã\s+)?(?:khai\s+mạc|bế\s+mạc|diễn\s+ra|thành\s+công\s+tốt\s+đẹp)",
    re.IGNORECASE,
)
_TITLE_CONGRESS = re.compile(
    r"^\s*(?:(?:khai\s+mạc|bế\s+mạc|phiên\s+(?:họp\s+)?trù\s+bị)\s+)?đại\s+hội\b", re.IGNORECASE
)
_ELECTS = re.compile(r"\bbầu\b", re.IGNORECASE)
_FIRST_SESSION = re.compile(r"lần\s+thứ\s+(?:nhất|I|1)\b", re.IGNORECASE)


@dataclass(frozen=True)
class KeySentence:
    index: int
    #: The committee in session (as named after "hội nghị", or as the convener).
    organ: Organ
    #: Every committee the sentence names (a standing body's committee names the place too).
    mentions: list[Organ]


def _executive_after(sentence: str, position: int) -> Organ | None:
    match = ORGAN_HEAD.match(sentence, position)
    return organ_at(sentence, match) if match else None


def _session_in(sentence: str, index: int, reported_only: bool) -> KeySentence | None | bool:
    """The key-sentence reading of one sentence: a KeySentence, None (no session here), or False (a congress
    is what this sentence reports, so the article reports no session)."""
    congress = _CONGRESS_EVENT.search(sentence)
    if reported_only and not (_CONVENE.search(sentence) or opening_phrase(sentence)):
        first = CONFERENCE_WORD.search(sentence)
        return False if congress and first and congress.start() < first.start() else None
    mentions = find_organs(sentence)
    for mention in CONFERENCE_WORD.finditer(sentence):
        if _REFERENCE_BEFORE.search(sentence[max(0, mention.start() - 45) : mention.start()]):
            continue
        if congress and congress.start() < mention.start():
            return False
        after = _MODIFIERS.match(sentence, mention.end())
        position = after.end() if after else mention.end()
        executive = _executive_after(sentence, position)
        if _FIRST_SESSION.search(sentence, mention.end(), position + 40) and (
            _CONGRESS_WORD.search(sentence, 0, mention.start()) or _ELECTS.search(sentence, mention.end())
        ):
            return False  # the first session, where a congress's new executive elects its officers, is the congress's
        if executive and not executive.standing:
            return KeySentence(index, executive, mentions)
        if _OTHER_MEETINGS.match(sentence, position):
            return None
        conveners = [o for o in mentions if o.end <= mention.start()]
        if not conveners:
            continue
        convener = conveners[-1]
        if convener.standing:
            return None  # the standing body's own meeting
        if reported_only and not _CONVENE.search(sentence, convener.end, mention.start()):
            continue  # "Tỉnh ủy ban hành nghị quyết ... tại Hội nghị lần thứ 20": not convened here
        rest = sentence[mention.end() :]
        rest = rest[: m.start()] if (m := _CONGRESS_WORD.search(rest)) else rest
        if _SESSION_KIND.search(rest) or _SESSION_KIND.search(sentence, mention.end(), position):
            return KeySentence(index, convener, mentions)
        return None
    return None


def find_key_sentence(lead: list[str], title_index: int, title: str) -> KeySentence | None | bool:
    """The first lead sentence that reports a committee session (the title, read last, needs no verb); False
    if the article reports another kind of meeting or a congress first, None if it reports no meeting."""
    if _TITLE_CONGRESS.search(title) and not CONFERENCE_WORD.search(title):
        return False
    refused = False
    for index, sentence in enumerate(lead):
        if not CONFERENCE_WORD.search(sentence):
            if _CONGRESS_EVENT.search(sentence):
                return False
            continue
        found = _session_in(sentence, index, reported_only=index < title_index)
        if found is False:
            return False
        if found:
            return found
        refused = refused or _refuses(sentence)
    return False if refused else None


_STANDING_CONVENES = re.compile(
    r"(?:ban\s+thường\s+vụ|thường\s+trực)\b[^.;]{0,60}\btổ\s+chức\s+hội\s+nghị", re.IGNORECASE
)


def _refuses(sentence: str) -> bool:
    """The sentence reports a meeting of another kind (a briefing, a standing body's meeting)."""
    for mention in CONFERENCE_WORD.finditer(sentence):
        after = _MODIFIERS.match(sentence, mention.end())
        if _OTHER_MEETINGS.match(sentence, after.end() if after else mention.end()):
            return True
    return bool(_STANDING_CONVENES.search(sentence))


#: "Kết luận Hội nghị, đồng chí Bí thư Huyện ủy ...": the committee's secretary concludes the meeting reported.
_CONCLUDED_BY_SECRETARY = re.compile(
    r"kết\s+luận\s+(?:tại\s+)?hội\s+nghị\b[^.;:]{0,80}?\bbí\s+thư\s+"
    r"(?:(?P<committee>Quận|Huyện|Thị|Thành|Tỉnh)\s+ủy\b|Đảng\s+ủy\s+(?P<level>xã|phường|đặc\s+khu|thị\s+trấn)\b)",
    re.IGNORECASE,
)


def lead_lost(lead: list[str]) -> bool:
    """No sentence of the lead says who convened or opened a meeting: the capture lost the report's lead."""
    return not any(CONFERENCE_WORD.search(s) and _CONVENE.search(s) for s in lead)


def concluding_committee(sentences: list[str]) -> str | None:
    """For a text that has lost its lead (only a middle part was captured): the level of the committee whose
    secretary concludes "the conference" it reports, or None."""
    for sentence in sentences:
        match = _CONCLUDED_BY_SECRETARY.search(sentence)
        if match:
            if match.group("level"):
                return re.sub(r"\s+", " ", match.group("level").lower())
            return COMMITTEE_LEVEL[match.group("committee").lower()]
    return None
