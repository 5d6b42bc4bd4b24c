"""Bytes to text: byte-order marks, declared charsets, then detection; never a crash."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
#: Bytes sniffed for a declared charset or for binary content.
SNIFF_BYTES = 4096
#: Share of control bytes (besides tab/newline/CR/form feed) above which content is binary.
MAX_CONTROL_SHARE = 0.05
#: Share of NUL bytes above which content is binary (or UTF-16 without a BOM); a stray NUL in a
#: page is dropped instead.
MAX_NUL_SHARE = 0.01
MAX_STRAY_NULS = 3


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we can read."""


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], encoding
    return data, None


def looks_binary(data: bytes) -> bool:
    """True for images, archives, executables: many NUL or control bytes."""
    head = data[:SNIFF_BYTES]
    if not head:
        return False
    nul = head.count(0)
    if nul > MAX_STRAY_NULS and nul / len(head) > MAX_NUL_SHARE:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head) > MAX_CONTROL_SHARE


def declared_charset(data: bytes) -> str | None:
    head = data[:SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode bytes to str: BOM, then UTF-8, then the declared charset, then detection.

    Raises BinaryContent for data that is not text.
    """
    data, bom_encoding = strip_bom(data)
    if bom_encoding:
        return data.decode(bom_encoding, errors="replace")
    if looks_binary(data):
        raise BinaryContent("binary content, not text")
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in (declared, declared_charset(data)):
        if candidate and candidate.replace("_", "-") not in ("utf-8", "utf8"):
            try:
                text = data.decode(candidate)
                # Pages declare latin-1 and mean cp1252 (curly quotes in 0x80-0x9f).
                if candidate in ("iso8859-1", "latin-1", "iso-8859-1"):
                    return data.decode("cp1252", errors="replace")
                return text
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes  # slow import, only for undeclared non-UTF-8

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding not in ("utf_8",):
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")
