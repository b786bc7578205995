"""Text normalisation for Vietnamese pages.

Vietnamese can be typed in composed (NFC) or decomposed (NFD) form and CMS editors mix both, so two copies of the
same sentence only compare equal after NFC. Portals also pad text with non-breaking and zero-width spaces.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

#: Zero-width characters, the soft hyphen, and bidirectional controls (LRM/RLM, embeddings, overrides, isolates):
#: invisible in a browser, but they split words and can reorder what a reader of the stored text sees.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+")

#: Outlet prefixes that open a lead ("Kinhtedothi - Chiều 3/10, ..."). They name the outlet, not the event,
#: and a syndicated copy may carry or drop them, so they are removed before texts are compared.
OUTLET_PREFIXES: tuple[str, ...] = (
    "Kinhtedothi",
    "KTĐT",
    "HNMO",
    "HNM",
    "ĐCSVN",
    "TTXVN",
    "VOV",
    "VTV",
    "ANTĐ",
    "PLVN",
    "Chinhphu.vn",
    "Hanoimoi",
)
_OUTLET_PREFIX = re.compile(
    r"^\s*\(?(?:" + "|".join(re.escape(p) for p in OUTLET_PREFIXES) + r")\)?\s*[-–—:]\s*",
    re.IGNORECASE,
)


def _clean(value: str) -> str:
    # Both checks run in C and are nearly free when there is nothing to do, which is the common case.
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
    return value


def normalise_text(value: str | None) -> str:
    """NFC, drop invisible characters, fold runs of spaces; keep line breaks as paragraph structure."""
    if not value:
        return ""
    text = _clean(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def normalise_inline(value: str | None) -> str:
    """Like `normalise_text`, for one-line fields (titles, names): line breaks become spaces."""
    return " ".join(_clean(value).split()) if value else ""


def strip_outlet_prefix(text: str) -> str:
    """Remove a leading outlet tag ("Kinhtedothi - ", "(HNMO) -") from a lead or first paragraph."""
    return _OUTLET_PREFIX.sub("", text, count=1)


def normalised_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """The non-empty paragraphs, each normalised to one line."""
    return [p for p in map(normalise_inline, paragraphs) if p]


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Plain-text body: non-empty normalised paragraphs separated by one blank line."""
    return "\n\n".join(normalised_paragraphs(paragraphs))


def split_paragraphs(body: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINES.split(body or "") if p.strip()]


#: The fingerprints of the last few bodies (body -> fingerprint): the content hash and the near-duplicate
#: signature of a page both read it.
_RECENT_FINGERPRINTS: dict[str, str] = {}
_RECENT_LIMIT = 32


def _remember(body: str, fingerprint: str) -> str:
    if len(_RECENT_FINGERPRINTS) >= _RECENT_LIMIT:
        _RECENT_FINGERPRINTS.pop(next(iter(_RECENT_FINGERPRINTS)), None)
    _RECENT_FINGERPRINTS[body] = fingerprint
    return fingerprint


def _fingerprint(paragraphs: list[str]) -> str:
    """The fingerprint of a body already normalised and split into its paragraphs."""
    if paragraphs:
        paragraphs = [strip_outlet_prefix(paragraphs[0]), *paragraphs[1:]]
    # The words, single-spaced: what punctuation-to-space then folding runs of space gives, in one pass.
    return " ".join(_WORD.findall(" ".join(paragraphs).casefold()))


def content_fingerprint_text(body: str) -> str:
    """The text two copies of one article share: no outlet prefix, no punctuation or case differences."""
    fingerprint = _RECENT_FINGERPRINTS.get(body)
    if fingerprint is None:
        fingerprint = _remember(body, _fingerprint(split_paragraphs(normalise_text(body))))
    return fingerprint


def hash_of_fingerprint(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


def content_hash(body: str) -> str:
    """Stable hash of an article's text, equal for copies that differ only in outlet tag, spacing or case."""
    return hash_of_fingerprint(content_fingerprint_text(body))


def joined_body_and_hash(paragraphs: list[str]) -> tuple[str, str]:
    """(body, content hash) of paragraphs already normalised (`normalised_paragraphs`), with the text normalised
    once: such a body normalises to itself and splits back into these paragraphs, so its fingerprint is read
    from them directly (and remembered for the near-duplicate signature of the same body). Unless it is not NFC
    (an invisible character removed from between a letter and its mark): it then takes the long way."""
    body = "\n\n".join(paragraphs)
    if not unicodedata.is_normalized("NFC", body):
        return body, content_hash(body)
    return body, hash_of_fingerprint(_remember(body, _fingerprint(paragraphs)))


#: Old ("hoà", "uỷ") and new ("hòa", "ủy") tone-mark placement are both in use, often on one page. In an open
#: syllable ending in oa, oe or uy the old style marks the second vowel; the new style (the one spelling we keep)
#: marks the first. "qu" is a consonant, so "quý" is the same in both styles; "hoàn" (closed syllable) too.
_O_TONED = "àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ"
_U_TONED = "ỳýỷỹỵỲÝỶỸỴ"
#: An o or u, a toned vowel, and the syllable's end. Matching this wide class and checking the pair in
#: `_new_style` (the vowels that go together, no "q" before) finds the same pairs as matching them exactly (a
#: rejected pair hides no match: its second letter is never an o or u), and the regex engine skips ahead to each
#: o/u instead of testing every position.
_TONE_PAIR = re.compile(f"[oOuU][{_O_TONED}{_U_TONED}](?![^\\W\\d_])")


def _new_style(match: re.Match[str]) -> str:
    first, second = match.group()
    start = match.start()
    if (second in _O_TONED) != (first in "oO") or (start and match.string[start - 1] in "qQ"):
        return first + second  # not an old-style pair: "uà", "oỳ", the consonant "qu" in "quý"
    decomposed = unicodedata.normalize("NFD", second)
    return unicodedata.normalize("NFC", first + decomposed[1:]) + decomposed[0]


def canonical_tone_marks(text: str) -> str:
    """One spelling for both tone-mark placements: "Quận uỷ" → "Quận ủy", "Hoà" → "Hòa", "khoá" → "khóa".

    NFC in, NFC out, and the length is unchanged, so offsets found in the result hold in the input."""
    return _TONE_PAIR.sub(_new_style, text)
