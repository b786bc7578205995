"""A response re-decoded the way a browser decodes it (see `crawler.parsing.charset`), before anything reads it."""

from __future__ import annotations

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
    return response.replace(body=decoded.text.encode("utf-8"), encoding="utf-8"), warnings
