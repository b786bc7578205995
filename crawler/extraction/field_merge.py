"""Per-field merge of what a site's selectors read with what the generic reader reads.

A site's selectors are trusted first. When they miss the body, the generic reader reads the whole page
(`extraction="fallback"`). When they miss another field their selector set defines (title, date line, view
counter, author, category), the generic reader fills that field alone, and the item lists it in
`fallback_fields`, so a partial redesign shows up field by field instead of as silently empty values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.extraction.generic import NotAnArticle
from crawler.extraction.site import PageParts
from crawler.sites import Selectors

#: PageParts attribute -> (item field it fills, the selector that is meant to read it). Author and category are
#: left to the selectors: many pages legitimately have neither, and reading the page twice for them is waste.
_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("title", "title"),
    "date_labels": ("published_at", "date_label"),
    "view_label": ("view_count", "view_label"),
}
#: What a whole-page fallback reports as read by the generic reader.
_ALL_FIELDS: dict[str, str] = {
    "paragraphs": "body", **{name: item for name, (item, _) in _FIELDS.items()}, "author": "author", "category": "category"
}


@dataclass
class MergedParts:
    parts: PageParts
    extraction: str  # "site" or "fallback" (the body's source)
    fallback_fields: list[str] = field(default_factory=list)


def _filled(parts: PageParts) -> list[str]:
    return [item for name, item in _ALL_FIELDS.items() if getattr(parts, name)]


def missed_fields(parts: PageParts, selectors: Selectors) -> list[str]:
    """PageParts attributes whose selector is defined but found nothing on this page."""
    return [name for name, (_, query) in _FIELDS.items() if getattr(selectors, query) and not getattr(parts, name)]


def merge_parts(
    site_parts: PageParts | None, selectors: Selectors | None, read_generic: Callable[[], PageParts]
) -> MergedParts:
    """Site parts completed by the generic reader. `read_generic` may raise NotAnArticle: on a page whose body
    the site's selectors did read, that only means the generic reader has nothing to add."""
    if site_parts is None or selectors is None or not site_parts.paragraphs:
        generic = read_generic()
        return MergedParts(generic, "fallback", _filled(generic))
    missed = missed_fields(site_parts, selectors)
    if not missed:
        return MergedParts(site_parts, "site")
    try:
        generic = read_generic()
    except NotAnArticle:
        return MergedParts(site_parts, "site")
    filled: list[str] = []
    for name in missed:
        value = getattr(generic, name)
        if value:
            setattr(site_parts, name, value)
            filled.append(_FIELDS[name][0])
    return MergedParts(site_parts, "site", filled)
