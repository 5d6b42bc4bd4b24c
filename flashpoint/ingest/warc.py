"""WARC and WARC.gz files (e.g. CC-NEWS), streamed: HTML responses become raw documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from flashpoint.ingest.decode import BinaryContent, decode_bytes
from flashpoint.model import Failure, RawDoc

#: A single record's payload larger than this is skipped (and reported).
MAX_RECORD_BYTES = 20_000_000


def iter_warc(path: str) -> Iterator[RawDoc | Failure]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Failure(path, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        yield from iter_warc_stream(path, handle)


def charset_of(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


def iter_warc_stream(doc: str, handle: BinaryIO) -> Iterator[RawDoc | Failure]:
    """HTML response records of a WARC stream; a damaged archive ends with a Failure."""
    from fastwarc.stream_io import GZipStream, PythonIOStreamAdapter
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    head = handle.read(2)
    handle.seek(0)
    stream = PythonIOStreamAdapter(handle)
    if head == b"\x1f\x8b":
        stream = GZipStream(stream)
    count = 0
    try:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
            count += 1
            uri = record.headers.get("WARC-Target-URI") or f"{doc}#{count}"
            http = record.http_headers
            content_type = (http.get("Content-Type") or "") if http is not None else ""
            if content_type and "html" not in content_type.lower():
                continue
            if record.content_length > MAX_RECORD_BYTES:
                yield Failure(f"{doc}#{count}", f"record of {record.content_length:,} bytes skipped (cap {MAX_RECORD_BYTES:,})")
                continue
            payload = record.reader.read()
            try:
                text = decode_bytes(payload, charset_of(content_type))
            except BinaryContent:
                yield Failure(uri, "WARC record holds binary content")
                continue
            date = record.headers.get("WARC-Date")
            yield RawDoc(doc=uri, kind="html", text=text, url=uri,
                         hints={"crawl_date": date} if date else {})
    except Exception as exc:  # fastwarc raises plain exceptions on damaged archives
        yield Failure(doc, f"damaged WARC after {count} records ({exc})")
        return
    if count == 0:
        yield Failure(doc, "no WARC response records found (damaged or empty archive?)")
