"""The conference record and the context a site's own definition gives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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

    @classmethod
    def of_site(cls, site: Any | None, published: date | None) -> SiteContext:
        """The context a `SiteDefinition` gives a page published on `published`: its context valid on that day
        (a district portal's district until 30 June 2025, the ward after)."""
        if site is None:
            return cls()
        locale = site.locale_at(published)
        return cls(locale.level, locale.locality, locale.province)
