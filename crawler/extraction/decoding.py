"""A response re-decoded the way a browser decodes it (see `crawler.parsing.charset`), before anything reads it."""

from __future__ import annotations

import codecs

from scrapy.http import TextResponse

from crawler.parsing.charset import decode_html


def browser_decoded(response: TextResponse) -> tuple[TextResponse, list[str]]:
    """(the response with its text decoded as a browser would, warnings to count).

    `charset_mismatch`: the HTTP header named a charset the page is not in, or the page held NUL / U+FFFD
    references that were removed; the article is kept either way.
    """
    decoded = decode_html(response.body, response.headers.get("Content-Type"))
    warnings = ["charset_mismatch"] if decoded.header_mismatch or decoded.removed_nulls else []
    if decoded.decode_errors:
        return response, warnings
    if not warnings and decoded.encoding == _scrapy_codec(response):
        return response, warnings  # Scrapy decodes it the same way: no second copy of the page
    return response.replace(body=decoded.text.encode("utf-8"), encoding="utf-8"), warnings


def _scrapy_codec(response: TextResponse) -> str | None:
    """The codec Scrapy decodes `response` with when the page declares one (header, then BOM / meta)."""
    declared = response._declared_encoding()  # noqa: SLF001 - Scrapy's own choice, without decoding the body
    try:
        return codecs.lookup(declared).name if declared else None
    except LookupError:
        return None
