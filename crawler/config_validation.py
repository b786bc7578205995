"""Every setting the crawler reads from the environment, checked before anything starts.

Pure functions: `check_setting(name, raw)` returns the value or raises `SettingError` with one line that names
the variable, repeats the value and says what is expected (`CRAWLER_CONCURRENCY=0: must be a whole number from 1
to 256`). `validate_environment(environ)` checks every known variable at once and raises one `SettingError`
whose message has one such line per bad value. Settings modules call it before reading anything, the CLI turns
it into exit status 2.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class SettingError(ValueError):
    """A setting with a value the crawler cannot use; the message is one line per bad setting."""


@dataclass(frozen=True)
class Spec:
    kind: str  # int | float | bool | choice | url
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()
    above_minimum: bool = False  # the minimum itself is excluded (a timeout of 0 is no timeout)


#: The environment variables the crawler reads, and what each accepts.
SETTINGS: dict[str, Spec] = {
    "CRAWLER_MAX_LISTING_PAGES": Spec("int", 1, 100_000, "listing pages"),
    "CRAWLER_CONCURRENCY": Spec("int", 1, 256, "requests in flight per site"),
    "CRAWLER_DOWNLOAD_DELAY": Spec("float", 0, 3600, "seconds"),
    "CRAWLER_DOWNLOAD_TIMEOUT": Spec("float", 0, 3600, "seconds", above_minimum=True),
    "CRAWLER_DOWNLOAD_MAXSIZE": Spec("int", 1024, 2**31, "bytes"),
    "CRAWLER_LOG_LEVEL": Spec("choice", choices=LOG_LEVELS),
    "CRAWLER_COMMIT_EVERY": Spec("int", 1, 100_000, "articles"),
    "CRAWLER_INCREMENTAL": Spec("bool"),
    "CRAWLER_REFRESH_DAYS": Spec("int", 0, 3650, "days"),
    "CRAWLER_SITEMAP_EVERY_HOURS": Spec("float", 0, 24 * 365, "hours"),
    "CRAWLER_ROBOTS_CACHE_HOURS": Spec("float", 0, 24 * 30, "hours"),
    "CRAWLER_ROBOTS_ERROR_CACHE_MINUTES": Spec("float", 0, 24 * 60, "minutes"),
    "CRAWLER_RETRY_AFTER_MAX": Spec("float", 0, 24 * 3600, "seconds"),
    "CRAWLER_IDLE_CLOSE_SECONDS": Spec("float", 0, 24 * 3600, "seconds", above_minimum=True),
    "CRAWLER_BROWSER_TIMEOUT_MS": Spec("float", 0, 600_000, "milliseconds", above_minimum=True),
    "CRAWLER_REPLICA_URL": Spec("url"),
    "CRAWLER_PROGRESS": Spec("choice", choices=("AUTO", "LIVE", "PLAIN", "OFF")),
    "CRAWLER_PROGRESS_INTERVAL": Spec("float", 0, 24 * 3600, "seconds", above_minimum=True),
    "CRAWLER_ITEM_WORKER": Spec("choice", choices=("PROCESS", "INLINE")),
    "CRAWLER_ITEM_WORKER_MAX_PENDING": Spec("int", 1, 100_000, "pages"),
    "CRAWLER_ITEM_WORKER_SHARE": Spec("bool"),
}
#: Per-site base URLs: CRAWLER_BASE_URL_<SITE>.
BASE_URL_PREFIX = "CRAWLER_BASE_URL_"


def _number(raw: str, kind: str) -> float | int | None:
    text = raw.strip().replace("_", "")
    if kind == "int":
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _range(spec: Spec) -> str:
    low, high = spec.minimum, spec.maximum
    fmt: Callable[[float], str] = lambda v: f"{v:g}" if spec.kind == "float" else f"{int(v)}"  # noqa: E731
    if spec.above_minimum:
        return f"more than {fmt(low or 0)}" + (f" and at most {fmt(high)}" if high is not None else "")
    return f"from {fmt(low or 0)} to {fmt(high)}" if high is not None else f"of at least {fmt(low or 0)}"


def _check_number(spec: Spec, raw: str) -> float | int:
    value = _number(raw, spec.kind)
    noun = "a whole number" if spec.kind == "int" else "a number"
    expected = f"must be {noun} {_range(spec)}" + (f" ({spec.unit})" if spec.unit else "")
    if value is None:
        hint = ""
        if re.fullmatch(r"\s*[\d.]+\s*[A-Za-z]+\s*", raw):
            hint = "; write the plain number, without a unit" if spec.unit else ""
        raise SettingError(expected + hint)
    low, high = spec.minimum, spec.maximum
    if (low is not None and (value < low or (spec.above_minimum and value == low))) or (high is not None and value > high):
        raise SettingError(expected)
    return value


def _check_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingError("must be an http:// or https:// address with a host, e.g. http://127.0.0.1:8800")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number or out of range
    except ValueError:
        raise SettingError("has a port that is not a number from 1 to 65535") from None
    return raw.strip().rstrip("/")


def check_setting(name: str, raw: str, label: str | None = None) -> Any:
    """The value of setting `name` written as `raw`, or SettingError('NAME=raw: what is expected'); `label`
    replaces 'NAME=raw' when the value came from a command-line option."""
    spec = SETTINGS.get(name) or (Spec("url") if name.startswith(BASE_URL_PREFIX) else None)
    if spec is None:
        return raw
    try:
        if spec.kind in ("int", "float"):
            return _check_number(spec, raw)
        if spec.kind == "bool":
            if raw.strip().lower() in _TRUE:
                return True
            if raw.strip().lower() in _FALSE:
                return False
            raise SettingError(f"must be one of {', '.join(_TRUE)} (on) or {', '.join(_FALSE)} (off)")
        if spec.kind == "choice":
            if raw.strip().upper() in spec.choices:
                return raw.strip().upper()
            raise SettingError(f"must be one of {', '.join(spec.choices)}")
        return _check_url(raw)
    except SettingError as exc:
        raise SettingError(f"{label or f'{name}={raw!r}'}: {exc}") from None


def validate_environment(environ: Mapping[str, str]) -> None:
    """Check every crawler setting present in `environ`; one SettingError naming each bad one, one per line."""
    problems = []
    for name in sorted(environ):
        if name in SETTINGS or name.startswith(BASE_URL_PREFIX):
            try:
                check_setting(name, environ[name])
            except SettingError as exc:
                problems.append(str(exc))
    if problems:
        raise SettingError("\n".join(problems))
