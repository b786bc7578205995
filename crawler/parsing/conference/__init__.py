"""Facts about a party-committee conference, read from the structure of Vietnamese report sentences.

A report names its meeting in one key sentence, usually the lead: "[when], [organ] [khóa X] tổ chức Hội nghị lần
thứ N ...". Everything else (term, period, who presided) is read relative to that sentence. Names are found by
capitalisation, never from a list of known places or people.

Modules: `sentences` (the text as read), `key_sentence` (is it a session, and which sentence reports it), `organs`
(committees, levels, places), `people` (chairs, directors), `days` (the meeting's day), `periods` (session, term,
review period, targets); `extract` puts them together.
"""

from __future__ import annotations

from crawler.parsing.conference.extract import extract_conference
from crawler.parsing.conference.model import ConferenceFacts, SiteContext
from crawler.parsing.conference.organs import LEVEL_WORDS

__all__ = ["ConferenceFacts", "LEVEL_WORDS", "SiteContext", "extract_conference"]
