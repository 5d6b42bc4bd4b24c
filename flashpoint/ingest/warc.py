"""WARC and WARC.gz files (e.g. CC-NEWS), streamed record by record.

The format is simple enough to read directly: a `WARC/1.x` line, headers, a blank line,
`Content-Length` bytes of block, then a blank line. Gzip WARCs are one gzip member per
record, which Python's gzip reader streams as one sequence. Only `response` records
holding HTML become raw documents.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from flashpoint.ingest.decode import BinaryContent, decode_bytes
from flashpoint.model import Failure, RawDoc

#: A single record's payload larger than this is skipped (and reported).
MAX_RECORD_BYTES = 20_000_000
#: Longest header block accepted before the archive is called damaged.
MAX_HEADER_LINES = 200


class DamagedWarc(ValueError):
    pass


def iter_warc(path: str) -> Iterator[RawDoc | Failure]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Failure(path, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        yield from iter_warc_stream(path, handle)


def read_headers(stream: BinaryIO) -> dict[str, str] | None:
    """The next record's WARC headers, or None at the end of the archive."""
    line = stream.readline()
    while line in (b"\r\n", b"\n"):
        line = stream.readline()
    if not line:
        return None
    if not line.startswith(b"WARC/"):
        raise DamagedWarc(f"expected a WARC/ version line, found {line[:30]!r}")
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        line = stream.readline()
        if not line:
            raise DamagedWarc("archive ends inside a record's headers")
        if line in (b"\r\n", b"\n"):
            return headers
        key, _, value = line.decode("utf-8", "replace").partition(":")
        headers[key.strip().lower()] = value.strip()
    raise DamagedWarc("record header block too long")


def split_http(block: bytes) -> tuple[str, bytes]:
    """(content type, body) of an HTTP response stored in a record."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    content_type = ""
    for line in head.split(b"\n")[1:]:
        key, _, value = line.decode("latin-1").partition(":")
        if key.strip().lower() == "content-type":
            content_type = value.strip()
    return content_type, body


def charset_of(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


def iter_warc_stream(doc: str, handle: BinaryIO) -> Iterator[RawDoc | Failure]:
    """HTML response records of a WARC stream; a damaged archive ends with a Failure."""
    head = handle.read(2)
    handle.seek(0)
    stream: BinaryIO = gzip.GzipFile(fileobj=handle) if head == b"\x1f\x8b" else handle
    count = 0
    try:
        while (headers := read_headers(stream)) is not None:
            count += 1
            length = int(headers.get("content-length", "0") or 0)
            if length < 0:
                # read(-1) would inflate the whole rest of the archive: no record boundary can be trusted.
                raise DamagedWarc(f"record {count} has a negative Content-Length ({length})")
            if length > MAX_RECORD_BYTES:
                stream.seek(length, 1) if stream.seekable() else stream.read(length)
                yield Failure(f"{doc}#{count}", f"record of {length:,} bytes skipped (cap {MAX_RECORD_BYTES:,})")
                continue
            block = stream.read(length)
            if len(block) < length:
                raise DamagedWarc(f"record {count} is cut short ({len(block):,} of {length:,} bytes)")
            if headers.get("warc-type") != "response":
                continue
            content_type, body = split_http(block)
            if content_type and "html" not in content_type.lower():
                continue
            uri = headers.get("warc-target-uri") or f"{doc}#{count}"
            try:
                text = decode_bytes(body, charset_of(content_type))
            except BinaryContent:
                yield Failure(uri, "WARC record holds binary content")
                continue
            hints = {"crawl_date": headers["warc-date"]} if headers.get("warc-date") else {}
            yield RawDoc(doc=uri, kind="html", text=text, url=uri, hints=hints)
    except (DamagedWarc, ValueError, EOFError, OSError, zlib.error) as exc:
        yield Failure(doc, f"damaged WARC after {max(count - 1, 0)} records ({exc})")
        return
    if count == 0:
        yield Failure(doc, "no WARC records found")
