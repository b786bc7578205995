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

    def on(self, published: date | None, until: date | None) -> SiteContext:
        """This context for a page published on `published`, when the site's level and locality hold only until
        `until` (a district portal's district ceased with the district tier on 30 June 2025): later pages keep
        only the province. A page without a date keeps it all: the portal wrote it about its own unit."""
        if until is not None and published is not None and published > until:
            return SiteContext(None, None, self.province)
        return self

    @classmethod
    def of_site(cls, site: Any | None, published: date | None) -> SiteContext:
        """The context a `SiteDefinition` gives a page published on `published`."""
        if site is None:
            return cls()
        return cls(site.level, site.locality, site.province).on(published, getattr(site, "local_until", None))
