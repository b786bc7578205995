"""The conference record of one article: the key sentence, then each field read relative to it."""

from __future__ import annotations

import unicodedata
from datetime import date

from crawler.parsing.conference import days, periods
from crawler.parsing.conference.key_sentence import CONFERENCE_WORD, concluding_committee, find_key_sentence, lead_lost
from crawler.parsing.conference.model import ConferenceFacts, SiteContext
from crawler.parsing.conference.organs import (
    level_named_elsewhere,
    locality_named_elsewhere,
    province_stated_elsewhere,
)
from crawler.parsing.conference.people import ATTEND, PRESIDE, people
from crawler.parsing.conference.sentences import read_article


def extract_conference(
    title: str, body: str, published: date | None = None, site: SiteContext | None = None
) -> ConferenceFacts:
    """Read the conference an article reports from its title and body; `published` anchors "Chiều 3/10"."""
    site = site or SiteContext()
    head = unicodedata.normalize("NFC", (title or "") + "\n" + (body or "")[:3000])
    if not CONFERENCE_WORD.search(head):
        return ConferenceFacts()  # most news never says "hội nghị" near the top: skip the sentence analysis
    article = read_article(title, body)
    key = find_key_sentence(article.lead, article.title_index, article.title)
    if key is None:
        level = concluding_committee(article.sentences) if lead_lost(article.lead) else None
        return ConferenceFacts(is_conference=True, level=level) if level else ConferenceFacts()
    if key is False:
        return ConferenceFacts()
    sentence = article.lead[key.index]
    organ = key.organ
    level = organ.level or next((o.level for o in key.mentions if o.level), None) or site.level
    if level is None and organ.text.lower().startswith("đảng"):
        level = level_named_elsewhere(article.body + "\n" + article.title)
    same_level = [o for o in key.mentions if o.locality and o.level == level]
    if organ.locality is None and same_level:
        organ = same_level[0]  # "Quận ủy Lê Chân tổ chức Hội nghị Quận ủy ...": the committee as the text names it
    locality = organ.locality
    stated = organ.province or next((o.province for o in same_level if o.province), None)
    if locality is None and level and level == site.level:
        locality = site.locality
    if locality is None and level:
        locality = locality_named_elsewhere(article.body + "\n" + article.title, level)
    province = stated or province_stated_elsewhere(article.body, level, locality) or site.province
    if level == "tỉnh" and locality:
        province = locality
    elif level == "thành phố" and locality and not stated:
        # "Thành ủy Đà Nẵng": a centrally-run city is its own province; a provincial city names its province.
        province = locality if site.province in (None, locality) else site.province

    # The title may name the meeting while the lead names the date: prefer a dated sentence for the day; a key
    # sentence in the title leaves the day to the lead, which is read before it.
    later = article.lead[key.index :] + (article.lead[: key.index] if key.index >= article.title_index else [])
    day_sentence = next((s for s in later if days.opening_phrase(s)), sentence)
    held_on_text = days.opening_phrase(day_sentence) or days.attached_phrase(sentence)
    held_on = days.meeting_day(held_on_text, published, article.body + "\n" + article.title) if held_on_text else None
    term = periods.term_of(sentence, organ.start, article.sentences, level)
    session = periods.session_number(sentence)
    if session is None:
        session = next((n for n in map(periods.session_number, article.lead) if n), None)
    places = tuple(p for p in (locality, province) if p)
    chairs_from = article.lead + article.sentences
    return ConferenceFacts(
        is_conference=True,
        organ=organ.text,
        organ_normalized=f"Ban Chấp hành Đảng bộ {level} {locality}" if level and locality else None,
        level=level,
        locality=locality,
        province=province,
        term=term,
        term_number=periods.term_number(term),
        term_period=periods.term_period(sentence, article.sentences, published or held_on, term),
        session_number=session,
        held_on=held_on.isoformat() if held_on else None,
        held_on_text=held_on_text,
        presided_by=people(chairs_from, PRESIDE, places),
        attendees=people(chairs_from, ATTEND, places),
        targets=periods.targets(article.body),
        review_period=periods.review_period(sentence) or periods.review_period(day_sentence),
    )
