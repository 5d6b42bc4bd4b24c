"""Inputs to raw documents: files, directories, gzip, stdin, URLs, JSONL, feeds, WARC.

    expand(sources, options) -> iterator of RawDoc | Failure

What a file is comes from its content first (a feed named .txt is still a feed) and its
name second. Containers (JSONL, feeds, WARC) yield one RawDoc per record; a bad record
is a Failure and the rest go on.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flashpoint.ingest.decode import BinaryContent, decode_bytes
from flashpoint.ingest.fetch import FetchError, Fetcher, FetchOptions
from flashpoint.model import Failure, RawDoc

GZIP_MAGIC = b"\x1f\x8b"
#: Bytes of a document's start used to tell what it is.
SNIFF_CHARS = 2048
#: A document without <html>/<body> is HTML when its start holds this many tags.
MIN_TAGS_FOR_HTML = 8
_HTML_MARKERS = ("<html", "<!doctype html", "<body", "<head>", "<head ")
_TAG = re.compile(r"</?(?:p|div|span|a|br|h[1-6]|article|section|ul|li|table|meta|script|img)\b[^>]*>", re.I)
#: A feed item whose text is shorter than this is a summary; its linked page is fetched.
MIN_FEED_ARTICLE_CHARS = 600


@dataclass(frozen=True)
class SourceOptions:
    """How inputs are opened.

    SourceOptions()                      # 50 MB per file, feeds' linked pages fetched
    SourceOptions(fetch_links=False)     # never go to the network for a feed's items
    """

    max_file_bytes: int = 50_000_000
    fetch_links: bool = True
    fetch: FetchOptions = FetchOptions()


def is_url(source: str) -> bool:
    return "://" in source[:12]


def sniff_kind(text: str) -> str:
    """'warc', 'feed', 'html', 'jsonl' or 'dump', from the start of the content."""
    head = text[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    lowered = head.lower()
    if head.startswith("WARC/"):
        return "warc"
    if head.startswith("{"):
        return "jsonl"
    if "<rss" in lowered or "<rdf:rdf" in lowered or ("<feed" in lowered and "atom" in lowered):
        return "feed"
    if any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    # Fragments without <html>: judged by how many tags they hold, not by a stray one.
    if len(_TAG.findall(text[:SNIFF_CHARS * 4])) >= MIN_TAGS_FOR_HTML:
        return "html"
    return "dump"


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip bytes (all members), refusing output over `limit` (a gzip bomb)."""
    out = bytearray()
    try:
        while data:
            inflater = zlib.decompressobj(wbits=31)
            out += inflater.decompress(data, limit + 1 - len(out))
            if len(out) > limit:
                raise ValueError(f"decompresses to over the cap of {limit:,} bytes")
            if not inflater.eof:
                raise ValueError("damaged or truncated gzip (stream ends early)")
            data = inflater.unused_data.lstrip(b"\x00")
    except zlib.error as exc:
        raise ValueError(f"damaged or truncated gzip ({exc})") from None
    return bytes(out)


class Expander:
    """Turns the user's sources into raw documents, one at a time."""

    def __init__(self, options: SourceOptions | None = None):
        self.options = options or SourceOptions()
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options.fetch)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def expand(self, sources: list[str]) -> Iterator[RawDoc | Failure]:
        for source in sources:
            yield from self.expand_one(source)

    def expand_one(self, source: str) -> Iterator[RawDoc | Failure]:
        if source == "-":
            data = sys.stdin.buffer.read(self.options.max_file_bytes + 1)
            if len(data) > self.options.max_file_bytes:
                yield Failure("-", f"standard input is over the cap of {self.options.max_file_bytes:,} bytes")
                return
            yield from self.from_bytes("-", data, url=None)
        elif is_url(source):
            yield from self.from_url(source)
        elif os.path.isdir(source):
            for path in iter_files(Path(source)):
                yield from self.from_file(str(path))
        else:
            yield from self.from_file(source)

    def from_url(self, url: str, hints: dict | None = None) -> Iterator[RawDoc | Failure]:
        try:
            fetched = self.fetcher.fetch(url)
        except FetchError as exc:
            yield Failure(url, str(exc))
            return
        yield from self.from_bytes(url, fetched.data, url=fetched.final_url, hints=hints)

    def from_file(self, path: str) -> Iterator[RawDoc | Failure]:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                # A FIFO would block the batch forever, /dev/zero never ends: only regular files are read.
                yield Failure(path, "not a regular file (a pipe, device or socket): not read")
                return
            size = os.path.getsize(path)
            if size > self.options.max_file_bytes and not looks_like_warc_name(path):
                yield Failure(path, f"file is {size:,} bytes, over the cap of {self.options.max_file_bytes:,}")
                return
            if looks_like_warc_name(path) or sniff_file(path).startswith(b"WARC/"):
                from flashpoint.ingest.warc import iter_warc

                yield from iter_warc(path)
                return
            with open(path, "rb") as handle:
                data = handle.read(self.options.max_file_bytes + 1)  # the file may have grown since its size was read
            if len(data) > self.options.max_file_bytes:
                yield Failure(path, f"file is over the cap of {self.options.max_file_bytes:,} bytes")
                return
        except FileNotFoundError:
            yield Failure(path, "no such file or directory")
            return
        except PermissionError:
            yield Failure(path, "permission denied")
            return
        except OSError as exc:
            yield Failure(path, f"cannot read: {exc.strerror or exc}")
            return
        yield from self.from_bytes(path, data, url=None)

    def from_bytes(self, doc: str, data: bytes, url: str | None, hints: dict | None = None) -> Iterator[RawDoc | Failure]:
        if data.startswith(GZIP_MAGIC):
            try:
                data = gunzip(data, self.options.max_file_bytes)
            except ValueError as exc:
                yield Failure(doc, str(exc))
                return
        if len(data) > self.options.max_file_bytes:
            yield Failure(doc, f"content is {len(data):,} bytes, over the cap of {self.options.max_file_bytes:,}")
            return
        if not data.strip():
            yield Failure(doc, "empty input")
            return
        if data.startswith(b"WARC/"):
            from flashpoint.ingest.warc import iter_warc_stream

            yield from iter_warc_stream(doc, io.BytesIO(data))
            return
        try:
            text = decode_bytes(data)
        except BinaryContent as exc:
            yield Failure(doc, f"{exc} (is it an image, PDF or archive?)")
            return
        kind = sniff_kind(text)
        if kind == "jsonl":
            yield from self.from_jsonl(doc, text)
        elif kind == "feed":
            yield from self.from_feed(doc, text)
        else:
            yield RawDoc(doc=doc, kind=kind, text=text, url=url, hints=hints or {})

    def from_jsonl(self, doc: str, text: str) -> Iterator[RawDoc | Failure]:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{doc}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield Failure(where, "a JSONL record must be an object")
                continue
            content = record.get("html") or record.get("text")
            if not isinstance(content, str) or not content.strip():
                yield Failure(where, "record has no 'text' or 'html' string")
                continue
            kind = "html" if record.get("html") else sniff_kind(content)
            kind = kind if kind in ("html", "dump") else "dump"
            hints = {k: record[k] for k in ("published", "title", "publisher", "byline") if record.get(k)}
            yield RawDoc(doc=str(record.get("doc") or record.get("id") or where), kind=kind,
                         text=content, url=record.get("url"), hints=hints)

    def from_feed(self, doc: str, text: str) -> Iterator[RawDoc | Failure]:
        from flashpoint.ingest.feeds import feed_items

        for item in feed_items(doc, text):
            if isinstance(item, Failure):
                yield item
                continue
            if len(item.text) < MIN_FEED_ARTICLE_CHARS and item.url and self.options.fetch_links:
                page = list(self.from_url(item.url, hints=item.hints))
                if page and not isinstance(page[0], Failure):
                    for fetched in page:
                        fetched.doc = item.doc
                    yield from page
                    continue
                # The linked page failed: the feed's own summary is kept, not lost.
                item.hints["note"] = page[0].reason if page else "linked page was empty"
            yield item


def looks_like_warc_name(path: str) -> bool:
    return path.endswith((".warc", ".warc.gz", ".arc.gz"))


def sniff_file(path: str) -> bytes:
    """The first bytes of a file, decompressed when it is gzip."""
    with open(path, "rb") as handle:
        head = handle.read(2)
    if head == GZIP_MAGIC:
        try:
            with gzip.open(path, "rb") as handle:
                return handle.read(16)
        except (EOFError, OSError, zlib.error):
            return b""
    with open(path, "rb") as handle:
        return handle.read(16)


def iter_files(root: Path) -> Iterator[Path]:
    """Files under a directory, recursively, in a stable order; hidden entries skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
