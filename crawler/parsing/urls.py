"""Canonical article URLs: one stored row per article however it was linked.

Pure functions, shared by every user of an article's identity (the normalise stage that names the stored row,
the incremental middleware that decides whether a link is already stored), so the two can never disagree:

- `followable_url`: an href from a listing, feed or sitemap made absolute, or None when no browser would fetch it
  (`javascript:`, `mailto:`, `tel:`, malformed); the caller counts the skip as `bad_link`;
- `strip_session_params`: the same URL without session ids and tracking parameters, which name a visit, not a page;
- `plausible_canonical`: whether a page's rel=canonical can be trusted to name the same article;
- `canonical_url`: the identity itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

#: Query parameters that carry a visit (a session) or a campaign, never which article a page shows. Every site
#: strips these; a site adds its own in `SiteDefinition.strip_query_params`. Compared case-insensitively.
SESSION_PARAMS: tuple[str, ...] = (
    "phpsessid", "jsessionid", "aspsessionid", "asp.net_sessionid", "cfid", "cftoken", "sessionid", "session_id",
    "sid", "s",
)
TRACKING_PARAMS: tuple[str, ...] = (
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
    "zarsrc", "gidzl", "ref_src",
)
#: Any parameter starting so is tracking (utm_source, utm_medium, ... and the rarer utm_id, utm_name).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
#: A session id carried as a path parameter: "/bai-viet.html;jsessionid=0A1B2C".
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
#: Characters a browser removes from an href before resolving it (WHATWG URL: tabs and newlines anywhere).
_HREF_NOISE = re.compile(r"[\t\n\r]")
_WEB_SCHEMES = frozenset({"http", "https"})
_ID_NUMBER = re.compile(r"\d{4,}")
_EXTENSION = re.compile(r"\.(?:html?|aspx?|php|jsp|cms|vn)$", re.IGNORECASE)


def followable_url(base: str, href: str | None) -> str | None:
    """`href` resolved against `base` when it names a web page a crawler can fetch; None otherwise."""
    if not href:
        return None
    cleaned = _HREF_NOISE.sub("", href).strip()
    if not cleaned or cleaned.startswith("#"):
        return None
    try:
        absolute = urljoin(base, cleaned)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.hostname:
        return None
    if any(ch.isspace() or ch in "<>\"{}|\\^`" for ch in parts.netloc):
        return None
    return absolute


def _is_dropped(name: str, drop: frozenset[str]) -> bool:
    key = name.lower()
    return key in drop or key.startswith(TRACKING_PREFIXES)


def strip_session_params(url: str, extra: Iterable[str] = ()) -> str:
    """The URL without session ids (query or `;jsessionid=` path parameters), tracking parameters and fragment.

    The order of the parameters that remain is kept, so the result is still the address the site printed.
    """
    drop = frozenset(p.lower() for p in (*SESSION_PARAMS, *TRACKING_PARAMS, *extra))
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _is_dropped(k, drop)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _host(netloc_or_host: str) -> str:
    host = netloc_or_host.lower()
    return host[4:] if host.startswith("www.") else host


def _segments(path: str) -> list[str]:
    return [s for s in _PATH_SESSION.sub("", path).split("/") if s]


def _slug(path: str) -> str:
    segments = _segments(path)
    return _EXTENSION.sub("", segments[-1]).lower() if segments else ""


_SCRIPT_NAMES = frozenset({"index.php", "index.html", "index.htm", "index.jsp", "default.aspx", "default.asp"})


def _slugless(segments: list[str]) -> bool:
    """A path that names no article by itself: the root, or a site's front script."""
    return not segments or segments[-1].lower() in _SCRIPT_NAMES


def _dropped_query_id(query: str, candidate: str) -> bool:
    """The fetched URL names its article by a query id (`detail.aspx?id=123`, `?newsid=`) that the candidate lacks:
    a template's canonical without the id would merge every article of the template into one."""
    for name, value in parse_qsl(query):
        key = name.lower()
        if value and (key.endswith("id") or key in {"p", "nid", "aid"}) and value not in candidate:
            return True
    return False


def plausible_canonical(
    url: str, candidate: str, hosts: Iterable[str] = (), section_paths: Iterable[str] = ()
) -> bool:
    """True when `candidate` (absolute) can name the same article as the fetched `url`.

    Pages print absurd canonicals: the home page, their category, another host, a template's placeholder.
    Trusting one merges different articles into one row. A canonical is trusted only when it is a web URL on
    one of the site's `hosts` (the fetched URL's host always counts; "www." is ignored), is not the root, not a
    section path of the site (its listings) and not a parent of the fetched path, and names the same article:
    the same last path segment (extension ignored), a shared id number of 4+ digits, or a permalink for a fetched
    URL that only a query names (`/?p=12`); and on the same path it keeps the id a fetched `?id=` / `?newsid=`
    query names the article by.
    """
    try:
        fetched, chosen = urlsplit(url), urlsplit(candidate)
    except ValueError:
        return False
    if chosen.scheme.lower() not in _WEB_SCHEMES or not chosen.hostname:
        return False
    allowed = {_host(h) for h in hosts} | {_host(fetched.hostname or "")}
    if _host(chosen.hostname) not in allowed:
        return False
    chosen_segments = _segments(chosen.path)
    if not chosen_segments:
        return False
    sections = {tuple(_segments(p)) for p in section_paths}
    if tuple(chosen_segments) in sections:
        return False
    fetched_segments = _segments(fetched.path)
    if len(chosen_segments) < len(fetched_segments) and fetched_segments[: len(chosen_segments)] == chosen_segments:
        return False
    if _segments(chosen.path) == fetched_segments and _dropped_query_id(fetched.query, candidate):
        return False
    if _slug(chosen.path) and _slug(chosen.path) == _slug(fetched.path):
        return True
    if _slugless(fetched_segments) and fetched.query:
        return True  # "/?p=12", "/index.php?id=5": the query is the only name; the canonical gives the permalink
    fetched_ids = set(_ID_NUMBER.findall(fetched.path + "?" + fetched.query))
    return bool(fetched_ids & set(_ID_NUMBER.findall(chosen.path + "?" + chosen.query)))


def canonical_url(
    url: str,
    rel_canonical: str | None = None,
    strip_params: Iterable[str] = (),
    hosts: Iterable[str] = (),
    section_paths: Iterable[str] = (),
) -> str:
    """An article's identity: its rel=canonical when plausible (see `plausible_canonical`), else the fetched URL;
    without session and tracking parameters, query sorted, fragment dropped.

    A canonical on another host is ignored: a syndicated copy pointing at its source is still its own page,
    and the dedup stage links the two by content instead.
    """
    chosen = url
    if rel_canonical and rel_canonical.strip():
        absolute = followable_url(url, rel_canonical)
        if absolute and plausible_canonical(url, absolute, hosts, section_paths):
            chosen = absolute
    return _cleaned(chosen, tuple(strip_params))


@lru_cache(maxsize=4096)
def _cleaned(url: str, strip_params: tuple[str, ...]) -> str:
    """`url` without session and tracking parameters, canonicalised. Cached: a page's identity and the link it
    was fetched under are usually one URL, which the incremental middleware has already checked as a link, and
    w3lib's canonicalisation is the costly part of reading a page's identity."""
    return canonicalize_url(strip_session_params(url, strip_params))
