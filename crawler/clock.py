"""The one source of "now": components take a clock instead of reading the real one, so tests can freeze it.

`CRAWLER_CLOCK` in the settings may hold a zero-argument callable returning an aware datetime (tests pass one
through `get_crawler(settings_dict=...)`); unset, the real UTC clock is used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def clock_from(settings: Mapping[str, Any] | Any) -> Clock:
    """The clock configured in `settings` (`CRAWLER_CLOCK`), else the real one."""
    clock = settings.get("CRAWLER_CLOCK") if settings is not None else None
    if clock is None:
        return utc_now
    if not callable(clock):
        raise TypeError(f"CRAWLER_CLOCK must be a callable returning a datetime, not {clock!r}")
    return clock


def fixed_clock(when: datetime) -> Clock:
    """A clock stopped at `when` (aware), for tests and replays."""
    if when.tzinfo is None:
        raise ValueError("a clock gives aware datetimes")
    return lambda: when
