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
        """The context of a `SiteDefinition` for a page published on `published`.

        A site's level and locality hold only while its unit exists (`local_until`: the district tier ended on
        30 June 2025), so a district portal's pages published later get only its province. A page without a
        date keeps the site's context: the portal wrote it about its own unit."""
        if site is None:
            return cls()
        until = getattr(site, "local_until", None)
        if until is not None and published is not None and published > until:
            return cls(None, None, site.province)
        return cls(site.level, site.locality, site.province)
