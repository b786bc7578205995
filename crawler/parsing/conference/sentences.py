"""The article as the conference analysis reads it: one tone-mark spelling, lead tags and glued publish stamps
taken off, sentences split, and headline-like lines (related-article lists, captions) kept apart from prose."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crawler.parsing.conference.days import opening_phrase
from crawler.parsing.text import canonical_tone_marks

_LEAD_LINES = 6
#: A sentence's closing mark and the space after it, before a capital or an opening quote. (It opens with the
#: mark, not with a look-behind, so the regex engine skips ahead to the next mark instead of testing every
#: position: the split points are the same.)
_SENTENCE_END = re.compile(r"[.!?…]\s+(?=[A-ZÀ-ỸĐ\"“])")
#: An outlet or agency tag opening a lead: "(NSHN) - ", "(PLVN) -", "BDK.VN - ", "(NHN) ".
_LEAD_TAG = re.compile(r"^\s*(?:\([^()\s]{2,30}\)\s*(?:[-–—:]\s*)?|[^\W\d_][\w./]{1,24}\s*[-–—:]\s+)")
#: A dateline in capitals opening a lead: "QUẢNG NINH - ", "TP.HCM – ".
_DATELINE = re.compile(r"^\s*([^\W\d_][^\W\d_. ]*(?:[ .]+[^\W\d_]+){0,3})\s*[-–—]\s+")
#: A publish stamp glued to the lead by a page's markup: "14/12/2021Ngày 13/12, ...", "Cập nhật 13:45 30-03-2019TP...".
_GLUED_STAMP = re.compile(
    r"^\s*(?:(?:cập\s+nhật|đăng\s+ngày|ngày\s+đăng)\s*:?\s*)?(?:(?:thứ\s+\S+|chủ\s+nhật)\s*,?\s*)?(?:\d{1,2}:\d{2}\s*)?"
    r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}(?:\s*[|,\-]?\s*\d{1,2}:\d{2})?"
    r"(?=[^\W\d_]|\s+\d{1,2}:\d{2}|\s*[|\-–]?\s*(?:Ngày|Sáng|Chiều|Trưa|Tối|Vào|Trong|Hôm)\b)\s*[|\-–]?\s*",
    re.IGNORECASE,
)
#: An ISO stamp a capture put before the headline or lead: "date 2025-10-02 Ban Chấp hành ...".
_ISO_STAMP = re.compile(
    r"^\s*(?:(?:date|published|updated)\s*:?\s*)?\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s+", re.IGNORECASE
)
#: Abbreviations that end in a full stop inside a sentence ("TP. Hồ Chí Minh", "TS. Nguyễn Văn A").
_ABBREVIATION_END = re.compile(r"(?<![^\W\d_])(?:TP|Tp|TX|TT|Q|P|H|TS|ThS|PGS|GS|BS)\.$")
_LABELLED_STAMP = re.compile(
    r"^\s*(?:cập\s+nhật|đăng\s+ngày|ngày\s+đăng)\s*:?\s*(?:\d{1,2}:\d{2}\s*)?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}"
    r"(?:\s*[|,\-]?\s*\d{1,2}:\d{2})?\s*",
    re.IGNORECASE,
)
#: Prose ends its paragraph with punctuation; a headline, a related-article link or a caption does not.
_PROSE_END = re.compile(r"[.!?…:;\"”']\)?\s*$")


def clean_paragraph(text: str) -> str:
    """A paragraph without the stamps and tags that pages put in front of a lead."""
    text = _ISO_STAMP.sub("", text, count=1)
    text = _LABELLED_STAMP.sub("", text, count=1)
    text = _GLUED_STAMP.sub("", text, count=1)
    dateline = _DATELINE.match(text)
    if dateline and dateline.group(1).upper() == dateline.group(1):
        return text[dateline.end() :]
    return _LEAD_TAG.sub("", text, count=1)


def _line_pieces(line: str) -> list[str]:
    """A line cut after each sentence's closing mark (the mark kept, the space after it dropped), stripped."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(line):
        pieces.append(line[start : end.start() + 1])
        start = end.end()
    pieces.append(line[start:])
    return [p.strip() for p in pieces if p and p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences, line by line (so the sentences of "a\nb" are those of "a" then those of "b"); a piece after an
    abbreviation's full stop ("TP. Hà Nội") joins the one before it."""
    sentences: list[str] = []
    for line in text.split("\n"):
        for index, piece in enumerate(_line_pieces(line)):
            last = sentences[-1] if index else ""
            # The abbreviation test reads only the sentence's end (an abbreviation and its stop are <= 4 chars).
            if index and _ABBREVIATION_END.search(last, max(0, len(last) - 4)):
                sentences[-1] = f"{last} {piece}"
            else:
                sentences.append(piece)
    return sentences


def is_headline_like(paragraph: str) -> bool:
    """A headline, a link or a caption: short, or without closing punctuation. A paragraph that opens with the
    day of an event ("Chiều 3/10, ...") is a lead even when a capture cut its end."""
    words = len(paragraph.split())
    if words < 6:
        return True
    if words >= 30 or _PROSE_END.search(paragraph):
        return False
    return not opening_phrase(paragraph)


@dataclass(frozen=True)
class ArticleText:
    title: str
    #: Sentences of the lead (the first three prose paragraphs) then of the title: where the key sentence is.
    lead: list[str]
    #: Where the title's sentences start in `lead`.
    title_index: int
    #: Every prose sentence with the title first: where the other facts are read.
    sentences: list[str]
    #: The prose paragraphs joined: for facts read from the whole text (targets, places named elsewhere).
    body: str



def read_article(title: str, body: str) -> ArticleText:
    """Split an article into the parts the analysis reads. Paragraphs after the lead that read like headlines
    (a related-articles list, a photo caption) are left out, so another report's facts never fill this one."""
    title = canonical_tone_marks(unicodedata.normalize("NFC", title or ""))
    body = canonical_tone_marks(unicodedata.normalize("NFC", body or ""))
    raw = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    # Stamps and tags stand in front of the lead, within the first few lines of a capture.
    paragraphs = [clean_paragraph(p) for p in raw[:_LEAD_LINES]] + raw[_LEAD_LINES:]
    prose = [p for i, p in enumerate(paragraphs) if i == 0 or not is_headline_like(p)]
    lead = split_sentences("\n".join(prose[:3]))
    return ArticleText(
        title=title,
        lead=lead + split_sentences(clean_paragraph(title)),
        title_index=len(lead),
        # split_sentences works line by line: the lead's sentences are those of the first three paragraphs.
        sentences=split_sentences(title) + lead + split_sentences("\n".join(prose[3:])),
        body="\n\n".join(prose),
    )
