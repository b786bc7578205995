"""Decoding a page's bytes as a browser would, so a wrong HTTP header does not turn Vietnamese into mojibake.

Portals misconfigure their servers: a UTF-8 page served with `Content-Type: text/html; charset=iso-8859-1`
shows fine in a browser (which sees the bytes cannot be Latin-1 text of that kind) but decoding it by the
header gives "Quáº­n á»§y" or replacement characters. The order here: a byte-order mark; then the header's
charset if the body decodes cleanly with it; then the `<meta>` charset if it does; then UTF-8 if it does;
then detection, only when the page declares nothing. A body that decodes cleanly with nothing it declares is
decoded with its declaration and replacement characters, which validation then refuses (`encoding_errors`).

"Cleanly" for a single-byte charset (Latin-1, Windows-125x, which decode almost any bytes) also requires that the
body is not valid multi-byte UTF-8: legacy text that happens to be valid UTF-8 is vanishingly rare.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

#: NUL and other references no browser renders as text ("&#0;", "&#x0;", a lone surrogate): the HTML parser would
#: turn each into U+FFFD, indistinguishable from a decoding error.
_NUMERIC_REFERENCE = re.compile(r"&#(?:([0-9]{1,10})|[xX]([0-9a-fA-F]{1,8}));?")
_RAW_NULLS = re.compile("[\x00\ufffd]")


@dataclass(frozen=True)
class DecodedPage:
    text: str
    #: The codec that decoded the page (Python's name for it).
    encoding: str
    #: The HTTP header named a charset that was not the one that decoded the page.
    header_mismatch: bool = False
    #: Bytes did not decode with any charset the page declares: the text holds replacement characters.
    decode_errors: bool = False
    #: NUL / U+FFFD characters or references were removed from a cleanly decoded page.
    removed_nulls: int = 0


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    try:
        return codecs.lookup(resolved).name if resolved else None
    except LookupError:
        return None


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp125", "latin", "iso8859", "cp874", "koi8", "mac-")) or codec in {"ascii", "cp437", "cp850"}


def _decodes(body: bytes, codec: str, utf8_text: str | None) -> str | None:
    if utf8_text is not None and (codec == "utf-8" or _single_byte(codec)):
        return utf8_text if codec == "utf-8" else None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_text(body: bytes) -> str | None:
    """The body as UTF-8 when it is valid UTF-8 with non-ASCII bytes (strong evidence of UTF-8), else None."""
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return _codec(best.encoding) if best is not None else None


def decode_html(body: bytes, content_type: str | bytes | None = None) -> DecodedPage:
    """The page's text as a browser shows it, and what that took (see the module docstring)."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    header = _codec(http_content_type_encoding(content_type or ""))
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        codec = _codec(bom_encoding) or "utf-8"
        text = body[len(bom) :].decode(codec, errors="replace")
        return _finish(text, codec, header, decode_errors="\ufffd" in text)
    meta = _codec(html_body_declared_encoding(body))
    utf8_text = _utf8_text(body)
    for codec in dict.fromkeys(c for c in (header, meta) if c):
        text = _decodes(body, codec, utf8_text)
        if text is not None:
            return _finish(text, codec, header)
    if utf8_text is not None or body.isascii():
        return _finish(utf8_text if utf8_text is not None else body.decode("ascii"), "utf-8", header)
    if header is None and meta is None:
        detected = _detect(body)
        if detected:
            text = _decodes(body, detected, False)
            if text is not None:
                return _finish(text, detected, header)
    codec = header or meta or "utf-8"
    return _finish(body.decode(codec, errors="replace"), codec, header, decode_errors=True)


def _unrenderable(reference: re.Match[str]) -> bool:
    value = int(reference.group(1)) if reference.group(1) else int(reference.group(2), 16)
    return value == 0 or value == 0xFFFD or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF


def _drop_unrenderable(reference: re.Match[str]) -> str:
    return "" if _unrenderable(reference) else reference.group(0)


def _finish(text: str, codec: str, header: str | None, decode_errors: bool = False) -> DecodedPage:
    removed = 0
    if not decode_errors:
        references = sum(1 for m in _NUMERIC_REFERENCE.finditer(text) if _unrenderable(m)) if "&#" in text else 0
        if references:
            text = _NUMERIC_REFERENCE.sub(_drop_unrenderable, text)
        raw = 0
        if "\x00" in text or "\ufffd" in text:
            text, raw = _RAW_NULLS.subn("", text)
        removed = references + raw
    return DecodedPage(text, codec, header is not None and header != codec, decode_errors, removed)
